//! People in the registries (tasks 1.1.4, 2.1.1, 2.1.4, 2.2.1, 2.2.2): residents identified by
//! their resident ID, out-migrants (外出就业人员) and unplaced graduates (离校未就业高校毕业生).
//! The vocabularies, and the checks of a row as typed in or imported.

use chrono::{Datelike, NaiveDate};

use crate::cells;
use crate::field::FieldError;
use crate::industry::Section;
use crate::phone::Phone;
use crate::plan::{Plan, UnitKind};
use crate::resident::ResidentId;

mod returnees;
mod services;
#[cfg(test)]
mod tests;

pub use returnees::{
    FiveOnesDraft, MAX_ATTENDEES, Registered, ValidFiveOnes, attendee_list, checked_attendees,
    returnee, validate_five_ones,
};
pub use services::{
    MAX_SERVICE_NOTE_CHARS, ServiceCheck, ValidPlacement, ValidService, check_service,
    referable_post, referred_post_number, return_day, service_note, validate_placement,
};

vocabulary!(
    /// Highest education a person has completed.
    Schooling, "文化程度" {
        Primary = "primary", "小学及以下";
        Junior = "junior", "初中";
        Senior = "senior", "高中/中专/技校";
        Associate = "associate", "大专";
        Bachelor = "bachelor", "本科";
        Master = "master", "硕士";
        Doctor = "doctor", "博士";
    }
);

vocabulary!(
    /// Whether an out-migrant means to come back (返区意向).
    Intention, "返区意向" {
        None = "none", "无意向";
        Undecided = "undecided", "未确定";
        Work = "work", "返区就业";
        Business = "business", "返区创业";
    }
);

vocabulary!(
    /// The degree a graduate left school with.
    Degree, "学历" {
        Associate = "associate", "专科";
        Bachelor = "bachelor", "本科";
        Master = "master", "硕士研究生";
        Doctor = "doctor", "博士研究生";
    }
);

vocabulary!(
    /// Where an unplaced graduate has gone (去向).
    Placement, "去向" {
        NotYet = "not_yet", "未落实";
        Employed = "employed", "单位就业";
        SelfEmployed = "self_employed", "自主创业";
        FurtherStudy = "further_study", "升学";
        Military = "military", "参军入伍";
        Traineeship = "traineeship", "就业见习";
        Flexible = "flexible", "灵活就业";
    }
);

impl Intention {
    /// Means to come back to work or to start a business (2.1.1's share).
    pub fn means_to_come_back(self) -> bool {
        matches!(self, Intention::Work | Intention::Business)
    }
}

impl Placement {
    /// Counts as placed toward the 90 % rate (去向落实).
    pub fn is_placed(self) -> bool {
        self != Placement::NotYet
    }
}

vocabulary!(
    /// The items of the 1131 service: 1 policy briefing, 1 career guidance, 3 job referrals,
    /// 1 training or traineeship offer.
    ServiceItem, "服务项目" {
        Policy = "policy", "政策宣讲";
        Guidance = "guidance", "职业指导";
        Referral = "referral", "岗位推荐";
        Training = "training", "培训或见习";
    }
);

impl ServiceItem {
    /// How many of this item the 1131 service gives each graduate.
    pub fn required(self) -> usize {
        match self {
            ServiceItem::Referral => 3,
            _ => 1,
        }
    }
}

vocabulary!(
    /// Start-up training given to returnees: lectures (2.2.1) and Malanhua classes (2.2.2).
    TrainingKind, "培训类型" {
        Lecture = "lecture", "创业大讲堂";
        Malanhua = "malanhua", "马兰花创业培训";
    }
);

vocabulary!(
    /// The festivals of the five-ones service (2.1.4).
    Festival, "节日" {
        SpringFestival = "spring", "春节";
        Qingming = "qingming", "清明节";
        MidAutumn = "mid_autumn", "中秋节";
        National = "national", "国庆节";
    }
);

/// The five items of the five-ones service, in the plan's words.
pub const FIVE_ONES: [&str; 5] = [
    "一封家乡书信",
    "一场恳谈会",
    "一次创业园区走访",
    "一份政策清单",
    "一套东西湖特产礼包",
];

/// The 34 provincial divisions, full names; a short name (广东, 内蒙古) is accepted too.
pub const PROVINCES: [&str; 34] = [
    "北京市",
    "天津市",
    "河北省",
    "山西省",
    "内蒙古自治区",
    "辽宁省",
    "吉林省",
    "黑龙江省",
    "上海市",
    "江苏省",
    "浙江省",
    "安徽省",
    "福建省",
    "江西省",
    "山东省",
    "河南省",
    "湖北省",
    "湖南省",
    "广东省",
    "广西壮族自治区",
    "海南省",
    "重庆市",
    "四川省",
    "贵州省",
    "云南省",
    "西藏自治区",
    "陕西省",
    "甘肃省",
    "青海省",
    "宁夏回族自治区",
    "新疆维吾尔自治区",
    "香港特别行政区",
    "澳门特别行政区",
    "台湾省",
];

/// A province by its full or short name (广东 → 广东省, 广西 → 广西壮族自治区).
pub fn parse_province(input: &str) -> Result<&'static str, String> {
    let input = input.trim();
    if input.is_empty() {
        return Err("请填写务工所在省份".into());
    }
    let stem = province_stem(input);
    PROVINCES
        .iter()
        .copied()
        .find(|full| *full == input || province_stem(full) == stem)
        .ok_or_else(|| format!("省份“{input}”不存在"))
}

/// A province's name without its kind: 湖北省 → 湖北, 广西壮族自治区 → 广西.
fn province_stem(name: &str) -> &str {
    [
        "特别行政区",
        "维吾尔自治区",
        "壮族自治区",
        "回族自治区",
        "自治区",
        "省",
        "市",
    ]
    .iter()
    .find_map(|suffix| name.strip_suffix(suffix))
    .unwrap_or(name)
}

/// A street of the plan by its code, name, full name or alias (径河, 径河街道, jinghe).
pub fn parse_street<'a>(plan: &'a Plan, input: &str) -> Result<&'a str, String> {
    let input = input.trim();
    if input.is_empty() {
        return Err("请填写户籍所在街道".into());
    }
    plan.units
        .iter()
        .filter(|u| u.kind == UnitKind::Street)
        .find(|u| {
            u.code == input
                || u.name == input
                || u.full_name == input
                || u.aliases.iter().any(|a| a == input)
                || u.name.strip_suffix("街道") == Some(input)
        })
        .map(|u| u.code.as_str())
        .ok_or_else(|| format!("街道“{input}”不是东西湖区的街道"))
}

/// A resident as typed in or imported: every field text, as read.
#[derive(Debug, Clone, Default)]
pub struct PersonDraft {
    pub name: String,
    pub id_number: String,
    pub phone: String,
    pub street: String,
    pub community: String,
    pub schooling: String,
}

/// A resident whose every field has been checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidPerson {
    pub id_number: ResidentId,
    pub name: String,
    pub phone: Option<Phone>,
    pub street_code: String,
    pub community: String,
    pub schooling: Option<Schooling>,
}

/// An out-migrant's survey row as typed in or imported.
#[derive(Debug, Clone, Default)]
pub struct MigrantDraft {
    pub person: PersonDraft,
    pub province: String,
    pub city: String,
    pub section: String,
    pub occupation: String,
    pub skills: String,
    pub years_away: String,
    pub intention: String,
    pub business_field: String,
    pub contact_consent: String,
    pub surveyed_on: String,
    pub returned_on: String,
}

/// A checked survey row of the out-migrant registry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidMigrant {
    pub person: ValidPerson,
    pub province: &'static str,
    pub city: String,
    pub section: Section,
    pub occupation: String,
    pub skills: String,
    pub years_away: i64,
    pub intention: Intention,
    pub business_field: String,
    pub contact_consent: bool,
    pub surveyed_on: NaiveDate,
    pub returned_on: Option<NaiveDate>,
}

/// An unplaced graduate's roster row as typed in or imported.
#[derive(Debug, Clone, Default)]
pub struct GraduateDraft {
    pub person: PersonDraft,
    pub school: String,
    pub major: String,
    pub degree: String,
    pub graduated_on: String,
    pub wish: String,
}

/// A checked row of the unplaced-graduate roster; its year is the graduation year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidGraduate {
    pub person: ValidPerson,
    pub school: String,
    pub major: String,
    pub degree: Degree,
    pub graduated_on: NaiveDate,
    pub wish: String,
}

impl ValidGraduate {
    pub fn year(&self) -> i32 {
        self.graduated_on.year()
    }
}

/// The longest free text a registry field takes, in characters.
const MAX_TEXT: usize = 100;

/// A free-text field, normalised; an empty required one or one too long is noted in `errors`.
pub fn checked_text(
    errors: &mut Vec<FieldError>,
    field: &'static str,
    input: &str,
    required: bool,
) -> String {
    let value = cells::normalise(input);
    if required && value.is_empty() {
        errors.push(FieldError {
            field,
            message: "不能为空".into(),
        });
    } else if value.chars().count() > MAX_TEXT {
        errors.push(FieldError {
            field,
            message: format!("最多 {MAX_TEXT} 个字"),
        });
    }
    value
}

/// The day a 1131 service was given to a graduate of `graduation_year`: no later than today,
/// and not before that year, since the roster of a year is served from that year on (task 1.1.4).
pub fn service_day(
    input: &str,
    today: NaiveDate,
    graduation_year: i64,
) -> Result<NaiveDate, String> {
    match cells::parse_date(input) {
        Ok(day) if day > today => Err(format!("{day} 晚于今天")),
        Ok(day) if day.year() < i32::try_from(graduation_year).unwrap_or(0) => {
            Err(format!("{day} 早于毕业年度 {graduation_year}"))
        }
        other => other,
    }
}

/// The day a graduate who left school on `graduated_on` was placed: no later than today, and
/// at most a year before leaving school (an offer in the final year counts; earlier is a slip).
pub fn placement_day(
    input: &str,
    today: NaiveDate,
    graduated_on: NaiveDate,
) -> Result<NaiveDate, String> {
    match cells::parse_date(input) {
        Ok(day) if day > today => Err(format!("{day} 晚于今天")),
        Ok(day) if day < graduated_on - chrono::Duration::days(366) => {
            Err(format!("{day} 早于毕业日期一年以上"))
        }
        other => other,
    }
}

/// The evidence of a placement, trimmed: required once the graduate is placed, so that the
/// placement rate counts only what a contract, insurance record or admission letter shows.
pub fn placement_evidence(input: &str, placed: bool) -> Result<&str, String> {
    let evidence = input.trim();
    if placed && evidence.is_empty() {
        return Err("请写明佐证（如劳动合同、社保缴纳记录、录取通知书）".into());
    }
    if evidence.chars().count() > 200 {
        return Err("最多 200 个字".into());
    }
    Ok(evidence)
}

/// The year a five-ones service (五个一, task 2.1.4) is recorded for: one of the plan's years,
/// since the service is counted per returnee, festival and plan year.
pub fn five_ones_year(input: &str, years: std::ops::RangeInclusive<i32>) -> Result<i64, String> {
    match cells::parse_count(input) {
        Ok(y) if (i64::from(*years.start())..=i64::from(*years.end())).contains(&y) => Ok(y),
        _ => Err(format!(
            "须为 {}—{} 年（收到“{}”）",
            years.start(),
            years.end(),
            input.trim()
        )),
    }
}

/// A date field in any accepted form, no later than today and not before 2000; a wrong one is
/// noted in `errors`.
pub fn checked_date(
    errors: &mut Vec<FieldError>,
    field: &'static str,
    input: &str,
    today: NaiveDate,
) -> Option<NaiveDate> {
    match cells::parse_date(input) {
        Ok(day) if day > today => {
            errors.push(FieldError {
                field,
                message: format!("{day} 晚于今天"),
            });
            None
        }
        Ok(day) if day.year() < 2000 => {
            errors.push(FieldError {
                field,
                message: format!("{day} 早于 2000 年"),
            });
            None
        }
        Ok(day) => Some(day),
        Err(message) => {
            errors.push(FieldError { field, message });
            None
        }
    }
}

/// Checks a resident: the ID by GB 11643, the phone, the street against the plan.
pub fn validate_person(
    plan: &Plan,
    draft: &PersonDraft,
    today: NaiveDate,
    errors: &mut Vec<FieldError>,
) -> Option<ValidPerson> {
    let name = checked_text(errors, "姓名", &draft.name, true);
    let id_number = match ResidentId::parse_on(&draft.id_number, today) {
        Ok(id) => Some(id),
        Err(e) => {
            errors.push(FieldError {
                field: "身份证号码",
                message: e.to_string(),
            });
            None
        }
    };
    let phone_text = cells::normalise(&draft.phone);
    let phone = if phone_text.is_empty() {
        None
    } else {
        match Phone::parse(&phone_text) {
            Ok(phone) => Some(phone),
            Err(e) => {
                errors.push(FieldError {
                    field: "手机号码",
                    message: e.to_string(),
                });
                None
            }
        }
    };
    let street_code = match parse_street(plan, &cells::normalise(&draft.street)) {
        Ok(code) => Some(code.to_owned()),
        Err(message) => {
            errors.push(FieldError {
                field: "户籍街道",
                message,
            });
            None
        }
    };
    let community = checked_text(errors, "社区（村）", &draft.community, false);
    let schooling_text = cells::normalise(&draft.schooling);
    let schooling = if schooling_text.is_empty() {
        None
    } else {
        match Schooling::parse(&schooling_text) {
            Ok(s) => Some(s),
            Err(message) => {
                errors.push(FieldError {
                    field: "文化程度",
                    message,
                });
                None
            }
        }
    };
    Some(ValidPerson {
        id_number: id_number?,
        name,
        phone,
        street_code: street_code?,
        community,
        schooling,
    })
}

vocabulary!(
    /// A yes-or-no column (同意联系, 是否参加): 是/否, or as people write it — 同意/不同意,
    /// √/×, Y/N, 1/0 (the synonyms table's section 是否).
    YesNo, "是否" {
        Yes = "yes", "是";
        No = "no", "否";
    }
);

/// Yes or no, as people write it (是/否, 同意/不同意, √/×, Y/N, 1/0).
pub fn parse_yes_no(input: &str) -> Result<bool, String> {
    YesNo::parse(input).map(|answer| answer == YesNo::Yes)
}

/// A GB/T 4754 section by its letter or its name (C, 制造业).
pub fn parse_section(input: &str) -> Result<Section, String> {
    let input = cells::normalise(input);
    if let Some((letter, _)) = crate::industry::SECTIONS
        .iter()
        .find(|(_, name)| *name == input)
    {
        return Section::parse(&letter.to_string());
    }
    Section::parse(&input)
}

/// Checks one survey row of the out-migrant registry. Every wrong field is reported, in order.
pub fn validate_migrant(
    plan: &Plan,
    draft: &MigrantDraft,
    today: NaiveDate,
) -> Result<ValidMigrant, Vec<FieldError>> {
    let mut errors = Vec::new();
    let person = validate_person(plan, &draft.person, today, &mut errors);
    let province = parse_province(&cells::normalise(&draft.province))
        .map_err(|message| {
            errors.push(FieldError {
                field: "务工省份",
                message,
            })
        })
        .ok();
    let city = checked_text(&mut errors, "务工城市", &draft.city, true);
    let section = parse_section(&draft.section)
        .map_err(|message| {
            errors.push(FieldError {
                field: "从事行业",
                message,
            })
        })
        .ok();
    let occupation = checked_text(&mut errors, "职业（工种）", &draft.occupation, false);
    let skills = checked_text(&mut errors, "技能特长", &draft.skills, false);
    let years_away = match cells::parse_count(&draft.years_away) {
        Ok(n) if n <= 70 => Some(n),
        Ok(n) => {
            errors.push(FieldError {
                field: "外出年限",
                message: format!("{n} 年超过 70 年"),
            });
            None
        }
        Err(message) => {
            errors.push(FieldError {
                field: "外出年限",
                message,
            });
            None
        }
    };
    let intention = Intention::parse(&cells::normalise(&draft.intention))
        .map_err(|message| {
            errors.push(FieldError {
                field: "返区意向",
                message,
            })
        })
        .ok();
    let business_field = checked_text(&mut errors, "拟创业领域", &draft.business_field, false);
    if intention == Some(Intention::Business) && business_field.is_empty() {
        errors.push(FieldError {
            field: "拟创业领域",
            message: "返区创业意向须填写拟创业领域".into(),
        });
    }
    let contact_consent = parse_yes_no(&draft.contact_consent)
        .map_err(|message| {
            errors.push(FieldError {
                field: "同意联系",
                message,
            })
        })
        .ok();
    let surveyed_on = checked_date(&mut errors, "调查日期", &draft.surveyed_on, today);
    let returned_on = if cells::normalise(&draft.returned_on).is_empty() {
        Some(None)
    } else {
        checked_date(&mut errors, "返区日期", &draft.returned_on, today).map(Some)
    };
    match (
        person,
        province,
        section,
        years_away,
        intention,
        contact_consent,
        surveyed_on,
        returned_on,
    ) {
        (
            Some(person),
            Some(province),
            Some(section),
            Some(years_away),
            Some(intention),
            Some(contact_consent),
            Some(surveyed_on),
            Some(returned_on),
        ) if errors.is_empty() => Ok(ValidMigrant {
            person,
            province,
            city,
            section,
            occupation,
            skills,
            years_away,
            intention,
            business_field,
            contact_consent,
            surveyed_on,
            returned_on,
        }),
        _ => Err(errors),
    }
}

/// Checks one row of the unplaced-graduate roster.
pub fn validate_graduate(
    plan: &Plan,
    draft: &GraduateDraft,
    today: NaiveDate,
) -> Result<ValidGraduate, Vec<FieldError>> {
    let mut errors = Vec::new();
    let person = validate_person(plan, &draft.person, today, &mut errors);
    let school = checked_text(&mut errors, "毕业院校", &draft.school, true);
    let major = checked_text(&mut errors, "专业", &draft.major, true);
    let degree = Degree::parse(&draft.degree)
        .map_err(|message| {
            errors.push(FieldError {
                field: "学历",
                message,
            })
        })
        .ok();
    let graduated_on = checked_date(&mut errors, "毕业日期", &draft.graduated_on, today);
    if let Some(day) = graduated_on
        && !(plan.info.first_year - 2..=plan.info.last_year).contains(&day.year())
    {
        errors.push(FieldError {
            field: "毕业日期",
            message: format!(
                "{day} 不在 {}—{} 年之间",
                plan.info.first_year - 2,
                plan.info.last_year
            ),
        });
    }
    let wish = checked_text(&mut errors, "求职意向", &draft.wish, false);
    match (person, degree, graduated_on) {
        (Some(person), Some(degree), Some(graduated_on)) if errors.is_empty() => {
            Ok(ValidGraduate {
                person,
                school,
                major,
                degree,
                graduated_on,
                wish,
            })
        }
        _ => Err(errors),
    }
}
