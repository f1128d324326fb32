//! Returnee businesses (返区创业主体, issue 13 item 1): businesses started by returnees or
//! graduates, with their licence, legal form, industry, the plan's new business forms, founders
//! from the out-migrant registry, employees over time and their status. The checks of a business
//! as typed in; who may write which street's businesses is in [`crate::access`].

use chrono::{Datelike, NaiveDate};

use crate::cells;
use crate::field::FieldError;
use crate::industry::Section;
use crate::people::{parse_section, parse_street};
use crate::plan::Plan;
use crate::resident::ResidentId;
use crate::uscc::Uscc;

vocabulary!(
    /// The legal form a business is registered in (市场主体类型).
    LegalForm, "组织形式" {
        IndividualBusiness = "individual_business", "个体工商户";
        SmallMicro = "small_micro", "小微企业";
        Cooperative = "cooperative", "农民专业合作社";
        PrivateNonEnterprise = "private_non_enterprise", "民办非企业单位";
        Other = "other", "其他";
    }
);

vocabulary!(
    /// The new business forms the plan encourages returnees into (东政办〔2025〕3号 二、返区创业).
    BusinessForm, "新业态" {
        RuralTourism = "rural_tourism", "乡村旅游";
        Wellness = "wellness", "生态康养";
        Homestay = "homestay", "休闲民宿";
        OutdoorSports = "outdoor_sports", "户外运动";
        LiveCommerce = "live_commerce", "直播电商";
        TechInnovation = "tech_innovation", "科技创新";
        ModernAgriculture = "modern_agriculture", "现代农业";
        Other = "other", "其他";
    }
);

vocabulary!(
    /// Whether a business is trading.
    BusinessStatus, "经营状态" {
        Operating = "operating", "正常经营";
        Suspended = "suspended", "暂停经营";
        Closed = "closed", "已关闭";
    }
);

impl BusinessStatus {
    /// A business moves between operating and suspended, and closes from either; a closed
    /// business stays closed (starting again is a new business with a new licence).
    pub fn may_become(self, next: BusinessStatus) -> bool {
        self != BusinessStatus::Closed && self != next
    }
}

/// The earliest licence date taken: older ones are typing slips, not returnee businesses.
pub const FIRST_LICENCE_YEAR: i32 = 1990;
/// The most founders a business lists.
pub const MAX_FOUNDERS: usize = 10;
/// The most people one snapshot counts.
const MAX_HEADCOUNT: i64 = 100_000;

/// A business as typed into the form; `founders` holds resident IDs, one a line.
#[derive(Debug, Clone, Default)]
pub struct BusinessDraft {
    pub name: String,
    pub uscc: String,
    pub licensed_on: String,
    pub legal_form: String,
    pub section: String,
    pub forms: Vec<String>,
    pub street: String,
    pub site: String,
    pub founders: String,
    /// On a change: an empty `founders` keeps the founders as they are (the form shows them
    /// masked and cannot give their numbers back).
    pub keep_founders: bool,
}

/// A business whose every field has been checked; founders are resolved by the store (none:
/// keep the founders a change did not retype).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidBusiness {
    pub name: String,
    pub uscc: Uscc,
    pub licensed_on: NaiveDate,
    pub legal_form: LegalForm,
    pub section: Section,
    pub forms: Vec<BusinessForm>,
    pub street_code: String,
    pub site: String,
    pub founders: Vec<ResidentId>,
}

/// A free-text field, trimmed; empty when required, or longer than `max`, is noted. Chinese
/// punctuation (，（）；) stays as typed: these fields are prose and names, not cells.
pub fn text_field(
    errors: &mut Vec<FieldError>,
    field: &'static str,
    input: &str,
    required: bool,
    max: usize,
) -> String {
    let value = input.trim().to_owned();
    if required && value.is_empty() {
        errors.push(FieldError {
            field,
            message: "不能为空".into(),
        });
    } else if value.chars().count() > max {
        errors.push(FieldError {
            field,
            message: format!("最多 {max} 个字"),
        });
    }
    value
}

/// The day a business got its licence: not in the future, and not before 1990.
pub fn licence_day(input: &str, today: NaiveDate) -> Result<NaiveDate, String> {
    match cells::parse_date(input) {
        Ok(day) if day > today => Err(format!("{day} 晚于今天")),
        Ok(day) if day.year() < FIRST_LICENCE_YEAR => {
            Err(format!("{day} 早于 {FIRST_LICENCE_YEAR} 年"))
        }
        other => other,
    }
}

/// The resident IDs typed into a list (one a line, or separated by commas, spaces or 、), each
/// parsed and named once; what is wrong goes to `errors` under `field`, by position (第n个).
pub fn resident_ids(
    errors: &mut Vec<FieldError>,
    field: &'static str,
    typed: &str,
    max: usize,
    today: NaiveDate,
) -> Vec<ResidentId> {
    let items: Vec<&str> = typed
        .split(|c: char| matches!(c, '\n' | ',' | '，' | '、' | ';' | '；') || c.is_whitespace())
        .filter(|s| !s.is_empty())
        .collect();
    let mut ids: Vec<ResidentId> = Vec::new();
    if items.is_empty() {
        errors.push(FieldError {
            field,
            message: "请填写身份证号码，每行一个".into(),
        });
    } else if items.len() > max {
        errors.push(FieldError {
            field,
            message: format!("最多 {max} 人"),
        });
    } else {
        for (n, item) in items.iter().enumerate() {
            match ResidentId::parse_on(item, today) {
                Ok(id) if ids.contains(&id) => errors.push(FieldError {
                    field,
                    message: format!("第{}个号码重复", n + 1),
                }),
                Ok(id) => ids.push(id),
                Err(e) => errors.push(FieldError {
                    field,
                    message: format!("第{}个：{e}", n + 1),
                }),
            }
        }
    }
    ids
}

/// The new business forms ticked, each once; an unknown one is noted.
fn business_forms(errors: &mut Vec<FieldError>, ticked: &[String]) -> Vec<BusinessForm> {
    let mut forms = Vec::new();
    for code in ticked.iter().filter(|c| !c.trim().is_empty()) {
        match BusinessForm::parse(code) {
            Ok(form) if !forms.contains(&form) => forms.push(form),
            Ok(_) => {}
            Err(message) => errors.push(FieldError {
                field: "新业态",
                message,
            }),
        }
    }
    forms
}

/// Notes `result`'s error under `field` and gives its value, if any.
fn noted<T>(
    errors: &mut Vec<FieldError>,
    field: &'static str,
    result: Result<T, String>,
) -> Option<T> {
    result
        .map_err(|message| errors.push(FieldError { field, message }))
        .ok()
}

/// Checks a business as typed in. Every wrong field is reported, in the form's order.
pub fn validate_business(
    plan: &Plan,
    draft: &BusinessDraft,
    today: NaiveDate,
) -> Result<ValidBusiness, Vec<FieldError>> {
    let mut errors = Vec::new();
    let name = text_field(&mut errors, "名称", &draft.name, true, 60);
    let uscc = noted(
        &mut errors,
        "统一社会信用代码",
        Uscc::parse(&draft.uscc).map_err(|e| e.to_string()),
    );
    let licensed_on = noted(
        &mut errors,
        "登记日期",
        licence_day(&draft.licensed_on, today),
    );
    let legal_form = noted(&mut errors, "组织形式", LegalForm::parse(&draft.legal_form));
    let section = noted(&mut errors, "行业门类", parse_section(&draft.section));
    let forms = business_forms(&mut errors, &draft.forms);
    let street = noted(
        &mut errors,
        "所在街道",
        parse_street(plan, &cells::normalise(&draft.street)).map(str::to_owned),
    );
    let site = text_field(&mut errors, "经营场所", &draft.site, false, 100);
    let founders = if draft.keep_founders && draft.founders.trim().is_empty() {
        Vec::new()
    } else {
        resident_ids(&mut errors, "创办人", &draft.founders, MAX_FOUNDERS, today)
    };
    match (uscc, licensed_on, legal_form, section, street) {
        (Some(uscc), Some(licensed_on), Some(legal_form), Some(section), Some(street_code))
            if errors.is_empty() =>
        {
            Ok(ValidBusiness {
                name,
                uscc,
                licensed_on,
                legal_form,
                section,
                forms,
                street_code,
                site,
                founders,
            })
        }
        _ => Err(errors),
    }
}

/// How many people a business employs on a day, and how many of them are insured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Employment {
    pub on: NaiveDate,
    pub headcount: i64,
    pub insured: i64,
}

/// Checks an employment snapshot: dated between the licence and today, the insured no more
/// than the headcount (参保人数不能多于从业人数).
pub fn validate_employment(
    on: &str,
    headcount: &str,
    insured: &str,
    licensed_on: NaiveDate,
    today: NaiveDate,
) -> Result<Employment, Vec<FieldError>> {
    let mut errors = Vec::new();
    let day = match cells::parse_date(on) {
        Ok(day) if day > today => Err(format!("{day} 晚于今天")),
        Ok(day) if day < licensed_on => Err(format!("{day} 早于登记日期 {licensed_on}")),
        other => other,
    };
    let day = noted(&mut errors, "统计日期", day);
    let count = |text: &str| match cells::parse_count(text) {
        Ok(n) if n > MAX_HEADCOUNT => Err(format!("{n} 人过多")),
        other => other,
    };
    let headcount = noted(&mut errors, "从业人数", count(headcount));
    let insured = noted(&mut errors, "参保人数", count(insured));
    if let (Some(h), Some(i)) = (headcount, insured)
        && i > h
    {
        errors.push(FieldError {
            field: "参保人数",
            message: format!("参保人数（{i}）不能多于从业人数（{h}）"),
        });
    }
    match (day, headcount, insured) {
        (Some(on), Some(headcount), Some(insured)) if errors.is_empty() => Ok(Employment {
            on,
            headcount,
            insured,
        }),
        _ => Err(errors),
    }
}

/// A change of status as checked: the new status, its day and, when closing, the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusChange {
    pub status: BusinessStatus,
    pub on: NaiveDate,
    pub reason: String,
}

/// Checks a change of status from `current`: a move the status allows, dated between the
/// licence and today, and a reason when the business closes.
pub fn status_change(
    current: BusinessStatus,
    status: &str,
    on: &str,
    reason: &str,
    licensed_on: NaiveDate,
    today: NaiveDate,
) -> Result<StatusChange, Vec<FieldError>> {
    let mut errors = Vec::new();
    let next = match BusinessStatus::parse(status) {
        Ok(next) if !current.may_become(next) => Err(format!(
            "当前为“{}”，不能改为“{}”",
            current.label(),
            next.label()
        )),
        other => other,
    };
    let next = noted(&mut errors, "经营状态", next);
    let day = match cells::parse_date(on) {
        Ok(day) if day > today => Err(format!("{day} 晚于今天")),
        Ok(day) if day < licensed_on => Err(format!("{day} 早于登记日期 {licensed_on}")),
        other => other,
    };
    let day = noted(&mut errors, "变更日期", day);
    let reason = text_field(
        &mut errors,
        "关闭原因",
        reason,
        next == Some(BusinessStatus::Closed),
        200,
    );
    match (next, day) {
        (Some(status), Some(on)) if errors.is_empty() => Ok(StatusChange { status, on, reason }),
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests;
