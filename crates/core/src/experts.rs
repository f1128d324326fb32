//! The expert pool (专业人才库, task 2.1.3): experts in finance, law, planning, design, breeding,
//! planting, e-commerce and more, recommended by the task's units, what they offer, what they
//! agreed to publish, and the services they give returnees (each a figure of 2.1.3).
//!
//! 东政办〔2025〕3号 任务 2.1.3: 建立金融、法律、规划、设计、养殖、种植、电子商务等方面的专业人才库，
//! 为返区创业者提供政策咨询、技术指导、市场营销、品牌培育、资源对接等服务。

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use crate::cells;
use crate::field::{FieldError, checked_text_up_to};
use crate::phone::Phone;
use crate::quantity::Quantity;

/// The plan task the expert pool serves.
pub const EXPERT_TASK: &str = "2.1.3";

vocabulary!(
    /// An expert's field (专业领域), the plan's seven and the ones returnees ask for most.
    ExpertField, "专业领域" {
        Finance = "finance", "金融";
        Law = "law", "法律";
        Planning = "planning", "规划";
        Design = "design", "设计";
        Breeding = "breeding", "养殖";
        Planting = "planting", "种植";
        Ecommerce = "ecommerce", "电子商务";
        Tax = "tax", "财税";
        Marketing = "marketing", "营销";
        Other = "other", "其他";
    }
);

vocabulary!(
    /// What an expert does for a returnee: the five services of task 2.1.3.
    ExpertService, "服务内容" {
        Policy = "policy", "政策咨询";
        Technical = "technical", "技术指导";
        Marketing = "marketing", "市场营销";
        Branding = "branding", "品牌培育";
        Resources = "resources", "资源对接";
    }
);

vocabulary!(
    /// Whether an expert is in the pool (在库) or has left it (已退出).
    ExpertStatus, "状态" {
        Active = "active", "在库";
        Retired = "retired", "已退出";
    }
);

vocabulary!(
    /// What an expert may agree to show on the public portal, item by item (PIPL: consent per
    /// purpose). Without the name nothing is shown: the expert is not listed at all.
    PublicItem, "公开项" {
        Name = "name", "姓名";
        Organisation = "organisation", "工作单位";
        Title = "title", "职务职称";
        Field = "field", "专业领域";
        Services = "services", "服务内容";
        Intro = "intro", "个人简介";
    }
);

/// The items an expert agreed to publish.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Consent {
    pub name: bool,
    pub organisation: bool,
    pub title: bool,
    pub field: bool,
    pub services: bool,
    pub intro: bool,
}

impl Consent {
    pub fn allows(self, item: PublicItem) -> bool {
        match item {
            PublicItem::Name => self.name,
            PublicItem::Organisation => self.organisation,
            PublicItem::Title => self.title,
            PublicItem::Field => self.field,
            PublicItem::Services => self.services,
            PublicItem::Intro => self.intro,
        }
    }

    /// The consent given by ticking `items` (codes or labels); an unknown one is an error.
    pub fn of_items(items: &[String]) -> Result<Consent, String> {
        let mut consent = Consent::default();
        for item in items.iter().filter(|i| !i.trim().is_empty()) {
            match PublicItem::parse(item)? {
                PublicItem::Name => consent.name = true,
                PublicItem::Organisation => consent.organisation = true,
                PublicItem::Title => consent.title = true,
                PublicItem::Field => consent.field = true,
                PublicItem::Services => consent.services = true,
                PublicItem::Intro => consent.intro = true,
            }
        }
        Ok(consent)
    }
}

/// Services as stored: their codes joined by commas.
pub fn services_code(services: &[ExpertService]) -> String {
    services
        .iter()
        .map(|s| s.code())
        .collect::<Vec<_>>()
        .join(",")
}

/// Services read back from [`services_code`]; unknown codes are skipped.
pub fn services_of(code: &str) -> Vec<ExpertService> {
    code.split(',')
        .filter_map(|c| ExpertService::parse(c).ok())
        .collect()
}

/// An expert as typed in: every field text, services and consents as ticked.
#[derive(Debug, Clone, Default)]
pub struct ExpertDraft {
    pub name: String,
    pub field: String,
    pub organisation: String,
    pub title: String,
    pub services: Vec<String>,
    pub availability: String,
    pub phone: String,
    pub intro: String,
    pub consents: Vec<String>,
    pub status: String,
}

/// A checked expert. `phone` is `None` only when an edit leaves the stored number as it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidExpert {
    pub name: String,
    pub field: ExpertField,
    pub organisation: String,
    pub title: String,
    pub services: Vec<ExpertService>,
    pub availability: String,
    pub phone: Option<Phone>,
    pub intro: String,
    pub consent: Consent,
    pub status: ExpertStatus,
}

/// Is the phone number required? On a new expert yes; an edit may leave it blank to keep it
/// (the form never shows the stored number in clear).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhoneOnFile {
    Required,
    KeepIfBlank,
}

fn parse_or_note<T>(
    errors: &mut Vec<FieldError>,
    field: &'static str,
    parsed: Result<T, String>,
) -> Option<T> {
    parsed
        .map_err(|message| errors.push(FieldError { field, message }))
        .ok()
}

/// The services ticked: at least one, each known, none twice.
fn checked_services(errors: &mut Vec<FieldError>, ticked: &[String]) -> Vec<ExpertService> {
    let mut services = Vec::new();
    for item in ticked.iter().filter(|i| !i.trim().is_empty()) {
        match ExpertService::parse(item) {
            Ok(s) if !services.contains(&s) => services.push(s),
            Ok(_) => {}
            Err(message) => errors.push(FieldError {
                field: "服务内容",
                message,
            }),
        }
    }
    if services.is_empty() && errors.iter().all(|e| e.field != "服务内容") {
        errors.push(FieldError {
            field: "服务内容",
            message: "请至少选择一项".into(),
        });
    }
    services.sort_by_key(|s| ExpertService::ALL.iter().position(|a| a == s));
    services
}

/// Checks an expert as typed in; every wrong field is reported, in the form's order.
pub fn validate_expert(
    draft: &ExpertDraft,
    phone_on_file: PhoneOnFile,
) -> Result<ValidExpert, Vec<FieldError>> {
    let mut errors = Vec::new();
    let name = checked_text_up_to(&mut errors, "姓名", &draft.name, true, 50);
    let field = parse_or_note(&mut errors, "专业领域", ExpertField::parse(&draft.field));
    let organisation = checked_text_up_to(&mut errors, "工作单位", &draft.organisation, true, 100);
    let title = checked_text_up_to(&mut errors, "职务职称", &draft.title, false, 50);
    let services = checked_services(&mut errors, &draft.services);
    let availability =
        checked_text_up_to(&mut errors, "可服务时间", &draft.availability, true, 100);
    let phone = match (cells::normalise(&draft.phone).as_str(), phone_on_file) {
        ("", PhoneOnFile::KeepIfBlank) => Some(None),
        (text, _) => parse_or_note(
            &mut errors,
            "联系电话",
            Phone::parse(text).map(Some).map_err(|e| e.to_string()),
        ),
    };
    let intro = checked_text_up_to(&mut errors, "个人简介", &draft.intro, false, 300);
    let consent = parse_or_note(&mut errors, "公开授权", Consent::of_items(&draft.consents));
    let status = match draft.status.trim() {
        "" => Some(ExpertStatus::Active),
        text => parse_or_note(&mut errors, "状态", ExpertStatus::parse(text)),
    };
    match (field, phone, consent, status) {
        (Some(field), Some(phone), Some(consent), Some(status)) if errors.is_empty() => {
            Ok(ValidExpert {
                name,
                field,
                organisation,
                title,
                services,
                availability,
                phone,
                intro,
                consent,
                status,
            })
        }
        _ => Err(errors),
    }
}

/// What could be published of an expert, as kept; [`ExpertCard::public`] keeps what they agreed to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpertCard {
    pub id: i64,
    pub name: String,
    pub field: ExpertField,
    pub organisation: String,
    pub title: String,
    pub services: Vec<ExpertService>,
    pub intro: String,
    pub consent: Consent,
    pub status: ExpertStatus,
}

/// An expert's public profile: each item present only if the expert agreed to publish it
/// (`null` in JSON, left out on the page). Never a phone number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublicExpert {
    pub id: i64,
    pub name: String,
    pub organisation: Option<String>,
    pub title: Option<String>,
    pub field: Option<ExpertField>,
    pub services: Option<Vec<ExpertService>>,
    pub intro: Option<String>,
}

impl ExpertCard {
    /// Is the expert on the public list? Only while in the pool, and only with their name
    /// agreed to: a profile without a name helps nobody and tells too much.
    pub fn is_listed(&self) -> bool {
        self.status == ExpertStatus::Active && self.consent.name
    }

    /// The public profile, with only the items the expert agreed to publish; none if unlisted.
    pub fn public(&self) -> Option<PublicExpert> {
        if !self.is_listed() {
            return None;
        }
        let shown = |item: PublicItem| self.consent.allows(item);
        let text = |item: PublicItem, value: &str| {
            (shown(item) && !value.is_empty()).then(|| value.to_owned())
        };
        Some(PublicExpert {
            id: self.id,
            name: self.name.clone(),
            organisation: text(PublicItem::Organisation, &self.organisation),
            title: text(PublicItem::Title, &self.title),
            field: shown(PublicItem::Field).then_some(self.field),
            services: shown(PublicItem::Services).then(|| self.services.clone()),
            intro: text(PublicItem::Intro, &self.intro),
        })
    }
}

/// A service given to a returnee, as typed in (the returnee by resident ID).
#[derive(Debug, Clone, Default)]
pub struct ServiceDraft {
    pub id_number: String,
    pub served_on: String,
    pub kind: String,
    pub hours: String,
    pub outcome: String,
}

/// A checked service (the returnee is looked up by the store).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidService {
    pub id_number: crate::resident::ResidentId,
    pub served_on: NaiveDate,
    pub kind: ExpertService,
    /// Hours in hundredths (1.5 h = 150).
    pub hours: i64,
    pub outcome: String,
}

/// The most hours one service record takes: a day.
const MAX_HOURS: i64 = 24 * 100;

/// Hours of a service: more than none and no more than a day, to two decimals.
pub fn service_hours(input: &str) -> Result<i64, String> {
    let hours = Quantity::parse(input)
        .map_err(|e| e.to_string())?
        .hundredths();
    if hours == 0 {
        return Err("须大于 0".into());
    }
    if hours > MAX_HOURS {
        return Err(format!("一次服务不超过 24 小时（收到“{}”）", input.trim()));
    }
    Ok(hours)
}

/// The day a service was given: no later than today, within the plan's years.
pub fn service_day(
    input: &str,
    years: std::ops::RangeInclusive<i32>,
    today: NaiveDate,
) -> Result<NaiveDate, String> {
    match cells::parse_date(input) {
        Ok(day) if day > today => Err(format!("{day} 晚于今天")),
        Ok(day) if !years.contains(&day.year()) => Err(format!(
            "{day} 不在方案年度 {}—{} 年内",
            years.start(),
            years.end()
        )),
        other => other,
    }
}

/// Checks a service as typed in, every wrong field in the form's order.
pub fn validate_service(
    draft: &ServiceDraft,
    years: std::ops::RangeInclusive<i32>,
    today: NaiveDate,
) -> Result<ValidService, Vec<FieldError>> {
    let mut errors = Vec::new();
    let id_number = parse_or_note(
        &mut errors,
        "返区人员身份证号码",
        crate::resident::ResidentId::parse_on(&draft.id_number, today).map_err(|e| e.to_string()),
    );
    let served_on = parse_or_note(
        &mut errors,
        "服务日期",
        service_day(&draft.served_on, years, today),
    );
    let kind = parse_or_note(&mut errors, "服务类型", ExpertService::parse(&draft.kind));
    let hours = parse_or_note(&mut errors, "服务时长（小时）", service_hours(&draft.hours));
    let outcome = checked_text_up_to(&mut errors, "服务成效", &draft.outcome, true, 500);
    match (id_number, served_on, kind, hours) {
        (Some(id_number), Some(served_on), Some(kind), Some(hours)) if errors.is_empty() => {
            Ok(ValidService {
                id_number,
                served_on,
                kind,
                hours,
                outcome,
            })
        }
        _ => Err(errors),
    }
}

/// May an expert of `status` be given new services? Only while in the pool.
pub fn takes_services(status: ExpertStatus) -> Result<(), String> {
    match status {
        ExpertStatus::Active => Ok(()),
        ExpertStatus::Retired => Err("该专家已退出人才库，不能再登记服务".into()),
    }
}

#[cfg(test)]
mod tests;
