//! Job posts (招聘岗位) and applications (求职申请): the vocabularies, the workflow rules and
//! the checks of a post as typed in. The kinds of recruitment event are in [`crate::events`].

use chrono::NaiveDate;

use crate::access::{Actor, Role};
use crate::emerging::EmergingMap;
use crate::field::{FieldError, parse_date};
use crate::industry::{IndustryCode, LeadingIndustry, Section};
use crate::occupations::{Classification, OccupationCode};
use crate::plan::{Plan, UnitKind};

mod complaints;

pub use complaints::{
    COMPLAINT_REASONS, MAX_COMPLAINT_DETAIL_CHARS, check_complaint, handling_note,
};

vocabulary!(
    /// Education a post asks for, lowest first.
    Education, "学历要求" {
        Any = "any", "学历不限";
        HighSchool = "high_school", "高中/中专/技校";
        Associate = "associate", "大专";
        Bachelor = "bachelor", "本科";
        Master = "master", "硕士";
        Doctor = "doctor", "博士";
    }
);

vocabulary!(
    /// Experience a post asks for.
    Experience, "经验要求" {
        Any = "any", "经验不限";
        Fresh = "fresh", "应届毕业生";
        Y1To3 = "y1_3", "1-3年";
        Y3To5 = "y3_5", "3-5年";
        Y5Plus = "y5", "5年以上";
    }
);

vocabulary!(
    /// The eight major groups of 《中华人民共和国职业分类大典（2022年版）》.
    OccupationGroup, "职业大类" {
        Leaders = "1", "党政机关、群团和社会组织、企事业单位负责人";
        Professionals = "2", "专业技术人员";
        Clerks = "3", "办事人员和有关人员";
        Services = "4", "社会生产服务和生活服务人员";
        Farming = "5", "农、林、牧、渔业生产及辅助人员";
        Production = "6", "生产制造及有关人员";
        Military = "7", "军人";
        Other = "8", "不便分类的其他从业人员";
    }
);

vocabulary!(
    /// A post's job level (岗位层次, plan 1.1.1 "细化岗位层次分类"), and the level a person wants.
    JobLevel, "岗位层次" {
        Worker = "worker", "普工/技工";
        Professional = "professional", "专业技术";
        Management = "management", "管理";
        Advanced = "advanced", "研发/高端";
    }
);

impl JobLevel {
    /// The level a post of `group` has when none is given (and what migration 0040 gave the
    /// posts before it): heads of units manage, professionals are professionals, the rest are
    /// workers.
    pub fn default_for(group: OccupationGroup) -> JobLevel {
        match group {
            OccupationGroup::Leaders => JobLevel::Management,
            OccupationGroup::Professionals => JobLevel::Professional,
            _ => JobLevel::Worker,
        }
    }
}

vocabulary!(
    /// Where a post is in its life: draft → pending review → published → closed; a reviewer may
    /// reject a pending post with a reason. A published post past its validity is expired.
    PostStatus, "岗位状态" {
        Draft = "draft", "草稿";
        Pending = "pending", "待审核";
        Published = "published", "已发布";
        Rejected = "rejected", "未通过";
        Closed = "closed", "已关闭";
        Expired = "expired", "已过期";
    }
);

impl PostStatus {
    /// The status as people see it on `today`: a published post past its last valid day is expired.
    pub fn on(self, valid_until: NaiveDate, today: NaiveDate) -> PostStatus {
        if self == PostStatus::Published && valid_until < today {
            PostStatus::Expired
        } else {
            self
        }
    }

    /// Whether the employer (or staff for it) may still change the post's content.
    pub fn is_editable(self) -> bool {
        matches!(self, PostStatus::Draft | PostStatus::Rejected)
    }
}

vocabulary!(
    /// An application's way through the employer's hands.
    ApplicationStatus, "申请状态" {
        Received = "received", "已投递";
        Viewed = "viewed", "已查看";
        Interview = "interview", "邀请面试";
        Offer = "offer", "已发录用通知";
        Hired = "hired", "已录用";
        Declined = "declined", "未录用";
    }
);

impl ApplicationStatus {
    /// Where an application may go from here: forward along the way, or declined before hire.
    pub fn next(self) -> &'static [ApplicationStatus] {
        use ApplicationStatus::*;
        match self {
            Received => &[Viewed, Interview, Declined],
            Viewed => &[Interview, Offer, Declined],
            Interview => &[Offer, Declined],
            Offer => &[Hired, Declined],
            Hired | Declined => &[],
        }
    }

    pub fn can_move_to(self, to: ApplicationStatus) -> bool {
        self.next().contains(&to)
    }
}

pub const MAX_POSITIONS: i64 = 10_000;
pub const MAX_SALARY: i64 = 1_000_000;
pub const MAX_TITLE_CHARS: usize = 40;
pub const MAX_DESCRIPTION_CHARS: usize = 3_000;
/// The longest validity a post may ask for.
pub const MAX_VALID_DAYS: i64 = 366;

/// A post as typed into the form, untouched.
#[derive(Debug, Clone, Default)]
pub struct PostDraft {
    pub title: String,
    pub description: String,
    pub occupation_group: String,
    /// 职业分类大典 code, optional (the group follows from it).
    pub occupation_code: String,
    pub occupation: String,
    /// 岗位层次; empty takes the group's default.
    pub level: String,
    pub industry_section: String,
    /// GB/T 4754 code below the section, optional (the section follows from it).
    pub industry_code: String,
    pub leading_industry: String,
    pub positions: String,
    pub education: String,
    pub experience: String,
    pub salary_min: String,
    pub salary_max: String,
    pub street_code: String,
    pub contact_name: String,
    pub contact_phone: String,
    pub valid_from: String,
    pub valid_until: String,
    pub raised_by: String,
}

/// A post whose every field is well formed. The contact phone is parsed apart (a
/// [`crate::phone::Phone`], which the store encrypts).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidPost {
    pub title: String,
    pub description: String,
    pub occupation_group: OccupationGroup,
    pub occupation_code: Option<OccupationCode>,
    pub occupation: String,
    pub level: JobLevel,
    pub industry_section: Section,
    pub industry_code: Option<IndustryCode>,
    pub leading_industry: LeadingIndustry,
    /// Derived from the industry and occupation ([`EmergingMap::derive`]), never ticked.
    pub emerging: bool,
    /// The row of the mapping the flag rests on.
    pub emerging_basis: Option<String>,
    pub positions: i64,
    pub education: Education,
    pub experience: Experience,
    pub salary_min: i64,
    pub salary_max: i64,
    pub street_code: String,
    pub contact_name: String,
    pub valid_from: NaiveDate,
    pub valid_until: NaiveDate,
    pub raised_by: String,
}

fn whole_number(input: &str) -> Option<i64> {
    let cleaned: String = input
        .trim()
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            other => other,
        })
        .filter(|c| *c != ',' && *c != '，')
        .collect();
    cleaned.parse().ok()
}

/// Checks every field of a post; all wrong fields are reported at once. The emerging flag is
/// derived from the shipped classifications.
pub fn validate_post(plan: &Plan, draft: &PostDraft) -> Result<ValidPost, Vec<FieldError>> {
    let mut errors = Vec::new();
    let title = check_title(&draft.title, &mut errors);
    let description = check_description(&draft.description, &mut errors);
    let kind = check_kind(draft, &mut errors);
    let occupation = check_occupation(&draft.occupation, &mut errors);
    let leading_industry = check_choice(
        "主导产业",
        LeadingIndustry::parse(&draft.leading_industry),
        &mut errors,
    );
    let positions = check_positions(&draft.positions, &mut errors);
    let education = check_choice("学历要求", Education::parse(&draft.education), &mut errors);
    let experience = check_choice(
        "经验要求",
        Experience::parse(&draft.experience),
        &mut errors,
    );
    let (salary_min, salary_max) =
        check_salaries(&draft.salary_min, &draft.salary_max, &mut errors);
    let street_code = check_work_street(plan, &draft.street_code, &mut errors);
    let contact_name = check_contact_name(&draft.contact_name, &mut errors);
    let (valid_from, valid_until) =
        check_validity(&draft.valid_from, &draft.valid_until, &mut errors);
    let raised_by = check_raising_unit(plan, &draft.raised_by, &mut errors);
    // A field that did not parse is `None` and has its error; a post needs every field.
    let post = || {
        let kind = kind?;
        let derived =
            EmergingMap::shipped().derive(kind.section, kind.industry_code.as_ref(), kind.group);
        Some(ValidPost {
            title: title.to_owned(),
            description: description.to_owned(),
            occupation_group: kind.group,
            occupation_code: kind.occupation_code,
            occupation: occupation.to_owned(),
            level: kind.level,
            industry_section: kind.section,
            industry_code: kind.industry_code,
            leading_industry: leading_industry?,
            emerging: derived.emerging,
            emerging_basis: derived.basis,
            positions: positions?,
            education: education?,
            experience: experience?,
            salary_min: salary_min?,
            salary_max: salary_max?,
            street_code: street_code.to_owned(),
            contact_name: contact_name.to_owned(),
            valid_from: valid_from?,
            valid_until: valid_until?,
            raised_by: raised_by.to_owned(),
        })
    };
    match post() {
        Some(post) if errors.is_empty() => Ok(post),
        _ => Err(errors),
    }
}

/// What kind of job a post is: occupation and industry, with their codes, and its level.
struct PostKind {
    group: OccupationGroup,
    occupation_code: Option<OccupationCode>,
    level: JobLevel,
    section: Section,
    industry_code: Option<IndustryCode>,
}

fn check_kind(draft: &PostDraft, errors: &mut Vec<FieldError>) -> Option<PostKind> {
    let (group, occupation_code) =
        check_occupation_code(&draft.occupation_group, &draft.occupation_code, errors);
    let (section, industry_code) =
        check_industry_code(&draft.industry_section, &draft.industry_code, errors);
    let level = match (draft.level.trim(), group) {
        ("", Some(group)) => Some(JobLevel::default_for(group)),
        ("", None) => None,
        (level, _) => check_choice("岗位层次", JobLevel::parse(level), errors),
    };
    Some(PostKind {
        group: group?,
        occupation_code,
        level: level?,
        section: section?,
        industry_code,
    })
}

/// The major group and the optional occupation code: the group follows from the code, and a
/// group chosen as well must agree with it.
pub fn check_occupation_code(
    group: &str,
    code: &str,
    errors: &mut Vec<FieldError>,
) -> (Option<OccupationGroup>, Option<OccupationCode>) {
    let chosen = (!group.trim().is_empty()).then(|| OccupationGroup::parse(group));
    if code.trim().is_empty() {
        let group = check_choice(
            "职业大类",
            chosen.unwrap_or_else(|| Err("请选择职业大类或填写职业代码".into())),
            errors,
        );
        return (group, None);
    }
    let Some(code) = check_choice("职业代码", Classification::shipped().code(code), errors)
    else {
        return (None, None);
    };
    match chosen {
        Some(Ok(group)) if group != code.group() => {
            wrong(
                errors,
                "职业代码",
                format!(
                    "职业代码 {} 属于第 {} 大类（{}），与所选职业大类不符",
                    code.as_str(),
                    code.group().code(),
                    code.group().label()
                ),
            );
            (None, None)
        }
        Some(Err(e)) => {
            wrong(errors, "职业大类", e);
            (None, None)
        }
        _ => (Some(code.group()), Some(code)),
    }
}

/// The section and the optional GB/T 4754 code below it: the section follows from the code,
/// and a section chosen as well must agree with it.
fn check_industry_code(
    section: &str,
    code: &str,
    errors: &mut Vec<FieldError>,
) -> (Option<Section>, Option<IndustryCode>) {
    let chosen = (!section.trim().is_empty()).then(|| Section::parse(section));
    if code.trim().is_empty() {
        let section = check_choice(
            "行业门类",
            chosen.unwrap_or_else(|| Err("请选择行业门类或填写行业代码".into())),
            errors,
        );
        return (section, None);
    }
    let Some(code) = check_choice("行业代码", IndustryCode::parse(code), errors) else {
        return (None, None);
    };
    match chosen {
        Some(Ok(section)) if section != code.section() => {
            wrong(
                errors,
                "行业代码",
                format!(
                    "行业代码 {} 属于门类 {}（{}），与所选行业门类不符",
                    code.as_str(),
                    code.section().letter(),
                    code.section().name()
                ),
            );
            (None, None)
        }
        Some(Err(e)) => {
            wrong(errors, "行业门类", e);
            (None, None)
        }
        _ => (Some(code.section()), Some(code)),
    }
}

fn wrong(errors: &mut Vec<FieldError>, field: &'static str, message: impl Into<String>) {
    errors.push(FieldError {
        field,
        message: message.into(),
    });
}

/// A value from one of the vocabularies; the vocabulary's own message says what is wrong.
fn check_choice<T>(
    field: &'static str,
    parsed: Result<T, String>,
    errors: &mut Vec<FieldError>,
) -> Option<T> {
    parsed.map_err(|e| wrong(errors, field, e)).ok()
}

/// A title of 2 to `MAX_TITLE_CHARS` characters.
fn check_title<'a>(input: &'a str, errors: &mut Vec<FieldError>) -> &'a str {
    let title = input.trim();
    if title.chars().count() < 2 || title.chars().count() > MAX_TITLE_CHARS {
        wrong(
            errors,
            "岗位名称",
            format!("请填写岗位名称（2 至 {MAX_TITLE_CHARS} 字）"),
        );
    }
    title
}

/// Duties and requirements in 10 to `MAX_DESCRIPTION_CHARS` characters.
fn check_description<'a>(input: &'a str, errors: &mut Vec<FieldError>) -> &'a str {
    let description = input.trim();
    if description.chars().count() < 10 || description.chars().count() > MAX_DESCRIPTION_CHARS {
        wrong(
            errors,
            "岗位职责",
            format!("请写明岗位职责和任职要求（10 至 {MAX_DESCRIPTION_CHARS} 字）"),
        );
    }
    description
}

/// An occupation's name, optional, of at most 40 characters.
fn check_occupation<'a>(input: &'a str, errors: &mut Vec<FieldError>) -> &'a str {
    let occupation = input.trim();
    if occupation.chars().count() > 40 {
        wrong(errors, "职业", "职业名称不超过 40 字");
    }
    occupation
}

/// A whole number of positions from 1 to `MAX_POSITIONS`.
fn check_positions(input: &str, errors: &mut Vec<FieldError>) -> Option<i64> {
    match whole_number(input) {
        Some(n) if (1..=MAX_POSITIONS).contains(&n) => Some(n),
        Some(_) => {
            wrong(
                errors,
                "招聘人数",
                format!("招聘人数应为 1 至 {MAX_POSITIONS} 之间的整数"),
            );
            None
        }
        None => {
            wrong(errors, "招聘人数", "请填写招聘人数（整数）");
            None
        }
    }
}

/// Both monthly salaries whole yuan up to `MAX_SALARY`, the highest not below the lowest.
fn check_salaries(
    min: &str,
    max: &str,
    errors: &mut Vec<FieldError>,
) -> (Option<i64>, Option<i64>) {
    let salary_min = check_salary(min, "最低月薪", errors);
    let salary_max = check_salary(max, "最高月薪", errors);
    if let (Some(min), Some(max)) = (salary_min, salary_max)
        && min > max
    {
        wrong(
            errors,
            "最高月薪",
            format!("最高月薪（{max} 元）不能低于最低月薪（{min} 元）"),
        );
    }
    (salary_min, salary_max)
}

fn check_salary(input: &str, field: &'static str, errors: &mut Vec<FieldError>) -> Option<i64> {
    match whole_number(input) {
        Some(n) if (1..=MAX_SALARY).contains(&n) => Some(n),
        Some(_) => {
            wrong(errors, field, "月薪应为正的整数（元）");
            None
        }
        None => {
            wrong(errors, field, "请填写月薪（元，整数）");
            None
        }
    }
}

/// The work happens in one of the district's streets.
fn check_work_street<'a>(plan: &Plan, input: &'a str, errors: &mut Vec<FieldError>) -> &'a str {
    let street_code = input.trim();
    if !plan
        .unit(street_code)
        .is_some_and(|u| u.kind == UnitKind::Street)
    {
        wrong(
            errors,
            "工作街道",
            format!("“{street_code}”不是东西湖区的街道"),
        );
    }
    street_code
}

/// A contact's name of 1 to 40 characters.
fn check_contact_name<'a>(input: &'a str, errors: &mut Vec<FieldError>) -> &'a str {
    let contact_name = input.trim();
    if contact_name.is_empty() || contact_name.chars().count() > 40 {
        wrong(errors, "联系人", "请填写联系人姓名（不超过 40 字）");
    }
    contact_name
}

/// Both dates readable, the last day not before the first and less than `MAX_VALID_DAYS` after.
fn check_validity(
    from: &str,
    until: &str,
    errors: &mut Vec<FieldError>,
) -> (Option<NaiveDate>, Option<NaiveDate>) {
    let valid_from = parse_date(from);
    if valid_from.is_none() {
        wrong(errors, "有效期开始", "请填写日期，如 2025-03-01");
    }
    let valid_until = parse_date(until);
    if valid_until.is_none() {
        wrong(errors, "有效期截止", "请填写日期，如 2025-06-30");
    }
    if let (Some(from), Some(until)) = (valid_from, valid_until) {
        if until < from {
            wrong(
                errors,
                "有效期截止",
                format!("截止日期（{until}）不能早于开始日期（{from}）"),
            );
        } else if (until - from).num_days() >= MAX_VALID_DAYS {
            wrong(
                errors,
                "有效期截止",
                format!("有效期最长 {MAX_VALID_DAYS} 天，到期后可重新发布"),
            );
        }
    }
    (valid_from, valid_until)
}

/// Posts are raised by a street or an industry office.
fn check_raising_unit<'a>(plan: &Plan, input: &'a str, errors: &mut Vec<FieldError>) -> &'a str {
    let raised_by = input.trim();
    if !plan
        .unit(raised_by)
        .is_some_and(|u| matches!(u.kind, UnitKind::Street | UnitKind::IndustryOffice))
    {
        wrong(
            errors,
            "筹集单位",
            format!("“{raised_by}”不是街道或产业办，岗位须由街道或产业办筹集"),
        );
    }
    raised_by
}

/// Checks a search's keywords: at most `MAX_QUERY_CHARS` characters.
pub const MAX_QUERY_CHARS: usize = 50;

pub fn check_query(input: &str) -> Result<String, String> {
    let query = input.split_whitespace().collect::<Vec<_>>().join(" ");
    if query.chars().count() > MAX_QUERY_CHARS {
        return Err(format!(
            "关键词过长：最多 {MAX_QUERY_CHARS} 个字（收到 {} 个）",
            query.chars().count()
        ));
    }
    Ok(query)
}

/// Checks a page number typed into the address bar.
pub const MAX_PAGE: i64 = 500;

pub fn check_page(input: &str) -> Result<usize, String> {
    match input.trim().parse::<i64>() {
        Ok(page) if (1..=MAX_PAGE).contains(&page) => Ok(page as usize),
        Ok(page) => Err(format!(
            "页码应为 1 至 {MAX_PAGE} 之间的整数（收到 {page}）"
        )),
        Err(_) => Err(format!("页码应为整数（收到“{}”）", input.trim())),
    }
}

/// A unit's staff enter posts collected offline for their own unit, which they count for
/// (1.1.1); a post another unit raised is that unit's to enter.
pub fn raised_by_own_unit(actor: &Actor, post: &ValidPost) -> Result<(), FieldError> {
    if actor.role == Role::UnitStaff && actor.unit_code.as_deref() != Some(post.raised_by.as_str())
    {
        return Err(FieldError {
            field: "筹集单位",
            message: "代为登记的岗位计入本单位".into(),
        });
    }
    Ok(())
}

/// A unit's staff enter posts only for a verified employer (`employer_verified`, named
/// `employer_name`): an employer met offline is verified before its posts are entered for it.
/// Employers and admins are not held to this here (review publishes only verified employers'
/// posts anyway).
pub fn staff_may_post_for(
    actor: &Actor,
    employer_name: &str,
    employer_verified: bool,
) -> Result<(), FieldError> {
    if actor.role == Role::UnitStaff && !employer_verified {
        return Err(FieldError {
            field: "用人单位",
            message: format!("{employer_name}尚未通过认证，不能代为登记岗位"),
        });
    }
    Ok(())
}

/// What a reviewer's decision does to a pending post.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewOutcome {
    pub status: PostStatus,
    /// The rejection's reason, shown to the employer.
    pub note: Option<String>,
    /// The reviewer's reason for publishing a high-risk post anyway.
    pub override_reason: Option<String>,
}

/// Why a review cannot be recorded as asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewRefusal {
    /// A rejection without a reason: the employer must learn what to fix.
    NoRejectReason,
    /// Only a verified employer's posts are published.
    EmployerNotVerified,
    /// A high-risk post (fraud screening) is published only with the reviewer's written reason.
    NoOverrideReason,
}

impl ReviewRefusal {
    /// The form field a refusal is about; `None` when the post itself is not ready (a conflict).
    pub fn field(self) -> Option<&'static str> {
        match self {
            ReviewRefusal::NoRejectReason => Some("审核意见"),
            ReviewRefusal::NoOverrideReason => Some("人工复核意见"),
            ReviewRefusal::EmployerNotVerified => None,
        }
    }

    /// What the reviewer reads, naming the employer where it matters.
    pub fn message(self, employer_name: &str) -> String {
        match self {
            ReviewRefusal::NoRejectReason => "退回时请写明原因，用人单位会看到".into(),
            ReviewRefusal::EmployerNotVerified => {
                format!("{employer_name}尚未通过单位认证，请先认证再发布岗位")
            }
            ReviewRefusal::NoOverrideReason => "该岗位为高风险，须写明复核意见才能发布".into(),
        }
    }
}

/// Why nobody can be named as the employer of a post being saved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PostEmployerRefusal {
    /// An employer account that belongs to no employer.
    AccountWithoutEmployer,
    /// Staff entering a post offline must choose the employer (a form field).
    NoEmployerChosen,
    /// Applicants and others do not raise posts (refused and audited).
    MayNotPost,
}

impl PostEmployerRefusal {
    pub fn message(self) -> &'static str {
        match self {
            PostEmployerRefusal::AccountWithoutEmployer => "该账户不属于任何用人单位",
            PostEmployerRefusal::NoEmployerChosen => "请选择用人单位",
            PostEmployerRefusal::MayNotPost => "无权登记岗位",
        }
    }
}

/// The employer a post is saved for: an existing post keeps its own; an employer posts for
/// itself; unit staff and admins name the employer they enter it for; nobody else posts.
pub fn post_employer(
    actor: &Actor,
    existing: Option<i64>,
    chosen: Option<i64>,
) -> Result<i64, PostEmployerRefusal> {
    match (actor.role, existing) {
        (_, Some(employer)) => Ok(employer),
        (Role::Employer, None) => actor
            .employer_id
            .ok_or(PostEmployerRefusal::AccountWithoutEmployer),
        (Role::UnitStaff | Role::Admin, None) => {
            chosen.ok_or(PostEmployerRefusal::NoEmployerChosen)
        }
        (_, None) => Err(PostEmployerRefusal::MayNotPost),
    }
}

/// A rejection of a pending post, with its reason (trimmed).
pub fn reject_post(reason: &str) -> Result<ReviewOutcome, ReviewRefusal> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(ReviewRefusal::NoRejectReason);
    }
    Ok(ReviewOutcome {
        status: PostStatus::Rejected,
        note: Some(reason.to_owned()),
        override_reason: None,
    })
}

/// Publishing a pending post: the employer must be verified, and a high-risk post needs the
/// reviewer's reason, which overrides the screening (a low-risk post ignores any reason given).
pub fn publish_post(
    high_risk: bool,
    employer_verified: bool,
    override_reason: Option<&str>,
) -> Result<ReviewOutcome, ReviewRefusal> {
    if !employer_verified {
        return Err(ReviewRefusal::EmployerNotVerified);
    }
    let reason = override_reason.map(str::trim).filter(|r| !r.is_empty());
    let override_reason = match (high_risk, reason) {
        (true, None) => return Err(ReviewRefusal::NoOverrideReason),
        (true, Some(reason)) => Some(reason.to_owned()),
        (false, _) => None,
    };
    Ok(ReviewOutcome {
        status: PostStatus::Published,
        note: None,
        override_reason,
    })
}

#[cfg(test)]
mod tests;
