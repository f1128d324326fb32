//! HR agencies' special actions (人力资源机构稳就业促创业专项行动, task 2.4.4): 组织人力资源机构
//! 开展稳就业促创业专项行动，提供用工指导、人才招聘等专业服务. A unit of 2.4.4 organises an
//! action over a period with the agencies taking part; each service an agency gives a returnee
//! business during it (用工指导, 人才招聘, 政策咨询, 其他) is recorded with the posts offered and
//! the people recruited.
//!
//! **What 2.4.4's figure counts** (the seed gives no number: an activity indicator, 无目标值):
//! services (次), for the action's organising unit on the service day.

use chrono::NaiveDate;

use crate::cells;
use crate::field::{FieldError, checked_text_up_to};
use crate::field::{note, past_day};
use crate::titles::chosen;

/// At most this many agencies take part in one action.
pub const MAX_AGENCIES: usize = 50;

vocabulary!(
    /// What an agency did for a business.
    ServiceKind, "服务类型" {
        Guidance = "guidance", "用工指导";
        Recruitment = "recruitment", "人才招聘";
        Policy = "policy", "政策咨询";
        Other = "other", "其他";
    }
);

/// An action as typed into its form; `agencies` holds one agency's name a line.
#[derive(Debug, Clone, Default)]
pub struct ActionDraft {
    pub name: String,
    pub agencies: String,
    pub starts_on: String,
    pub ends_on: String,
}

/// A checked action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidAction {
    pub name: String,
    pub agencies: Vec<String>,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
}

/// A service as typed into its form; `business` is the id of a returnee business.
#[derive(Debug, Clone, Default)]
pub struct ServiceDraft {
    pub business: String,
    pub kind: String,
    pub served_on: String,
    pub posts_offered: String,
    pub recruited: String,
    pub note: String,
}

/// A checked service; the store finds the business.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidService {
    pub business_id: i64,
    pub kind: ServiceKind,
    pub served_on: NaiveDate,
    pub posts_offered: i64,
    pub recruited: i64,
    pub note: String,
}

/// A day as typed, required (an action may end in the future).
fn any_day(input: &str) -> Result<NaiveDate, String> {
    match cells::parse_date(input) {
        Err(e) if input.trim().is_empty() => Err(format!("不能为空（{e}）")),
        parsed => parsed,
    }
}

/// The agencies as typed, one a line, each named once.
fn agency_list(errors: &mut Vec<FieldError>, typed: &str) -> Vec<String> {
    let field = "参与机构";
    let mut out: Vec<String> = Vec::new();
    for line in typed.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if line.chars().count() > 60 {
            note::<()>(errors, field, Err(format!("“{line}”超过 60 个字")));
        } else if !out.iter().any(|a| a == line) {
            out.push(line.to_owned());
        }
    }
    if out.is_empty() {
        note::<()>(
            errors,
            field,
            Err("请填写参与的人力资源机构，每行一家".into()),
        );
    } else if out.len() > MAX_AGENCIES {
        note::<()>(errors, field, Err(format!("最多 {MAX_AGENCIES} 家")));
    }
    out
}

/// Checks an action as typed in; every wrong field is reported, in the form's order. It may
/// be recorded before it ends, but it starts no later than today.
pub fn validate_action(
    draft: &ActionDraft,
    today: NaiveDate,
) -> Result<ValidAction, Vec<FieldError>> {
    let mut errors = Vec::new();
    let name = checked_text_up_to(&mut errors, "行动名称", &draft.name, true, 100);
    let agencies = agency_list(&mut errors, &draft.agencies);
    let starts_on = note(&mut errors, "开始日期", past_day(&draft.starts_on, today));
    let ends_on = match (starts_on, any_day(&draft.ends_on)) {
        (Some(start), Ok(end)) if end < start => Err(format!("{end} 早于开始日期 {start}")),
        (_, parsed) => parsed,
    };
    let ends_on = note(&mut errors, "结束日期", ends_on);
    match (starts_on, ends_on) {
        (Some(starts_on), Some(ends_on)) if errors.is_empty() => Ok(ValidAction {
            name,
            agencies,
            starts_on,
            ends_on,
        }),
        _ => Err(errors),
    }
}

/// A count of zero or more.
fn count(errors: &mut Vec<FieldError>, field: &'static str, typed: &str) -> i64 {
    note(errors, field, cells::parse_count(typed)).unwrap_or_default()
}

/// Checks a service of an action running from `starts_on` to `ends_on`: the day within the
/// action's period and not after today, the counts zero or more.
pub fn validate_service(
    draft: &ServiceDraft,
    period: (NaiveDate, NaiveDate),
    today: NaiveDate,
) -> Result<ValidService, Vec<FieldError>> {
    let (starts_on, ends_on) = period;
    let mut errors = Vec::new();
    let business_id = match draft.business.trim() {
        "" => note(&mut errors, "返区创业企业", Err("请选择".into())),
        text => note(
            &mut errors,
            "返区创业企业",
            text.parse::<i64>()
                .map_err(|_| format!("“{text}”不是平台登记的返区创业主体")),
        ),
    };
    let kind = chosen(&mut errors, "服务类型", &draft.kind, ServiceKind::parse);
    let served_on = match past_day(&draft.served_on, today) {
        Ok(day) if day < starts_on || day > ends_on => Err(format!(
            "{day} 不在专项行动期间（{starts_on} 至 {ends_on}）内"
        )),
        parsed => parsed,
    };
    let served_on = note(&mut errors, "服务日期", served_on);
    let posts_offered = count(&mut errors, "提供岗位数", &draft.posts_offered);
    let recruited = count(&mut errors, "招聘人数", &draft.recruited);
    let note_text = checked_text_up_to(&mut errors, "备注", &draft.note, false, 200);
    match (business_id, kind, served_on) {
        (Some(business_id), Some(kind), Some(served_on)) if errors.is_empty() => Ok(ValidService {
            business_id,
            kind,
            served_on,
            posts_offered,
            recruited,
            note: note_text,
        }),
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests;
