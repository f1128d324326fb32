//! 揽才团 (task 1.1.3): out-of-city recruitment trips of a recruiting delegation — where it went,
//! the university fairs it attended (school, date), the district's employers in it with the
//! posts each offered and the CVs each received, and the hires traced back to the trip.
//!
//! 东政办〔2025〕3号 任务 1.1.3: 组织区内重点企业“揽才团”，参加我市赴外举办的各知名高校校园招聘活动，
//! 吸引优秀高校毕业生来东西湖就业创业 (区人社局 牵头; 各产业办、各街道 参与). The seed gives no
//! number: two activity indicators count, for the trip's organising unit, the trips held (on the
//! departure day) and the hires traced to them (on the hire day).

use chrono::{Datelike, Duration, NaiveDate};
use serde::Serialize;

use crate::cells;
use crate::field::{FieldError, checked_text_up_to};
use crate::plan::Plan;

/// The plan task the trips serve.
pub const TASK: &str = "1.1.3";

/// How long after the departure a hire may still be traced to a trip.
pub const HIRE_WINDOW_DAYS: i64 = 365;

/// The longest trip the ledger takes, in days.
pub const MAX_TRIP_DAYS: i64 = 30;

/// The units that organise or join trips: task 1.1.3's lead (区人社局) and cooperating units
/// (the industry offices and the streets).
pub fn trip_units(plan: &Plan) -> Vec<&str> {
    plan.tasks
        .iter()
        .filter(|t| t.code == TASK)
        .flat_map(|t| t.lead_units.iter().chain(&t.cooperating_units))
        .map(String::as_str)
        .collect()
}

/// Is `unit` the lead of task 1.1.3 (区人社局)?
pub fn is_lead(plan: &Plan, unit: &str) -> bool {
    plan.tasks
        .iter()
        .any(|t| t.code == TASK && t.lead_units.iter().any(|u| u == unit))
}

/// A fair as typed in.
#[derive(Debug, Clone, Default)]
pub struct FairDraft {
    pub school: String,
    pub held_on: String,
}

/// A university fair the delegation attended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Fair {
    pub school: String,
    pub held_on: NaiveDate,
}

/// A trip as typed in.
#[derive(Debug, Clone, Default)]
pub struct TripDraft {
    pub destination: String,
    pub departed_on: String,
    pub returned_on: String,
    /// The participating units' codes.
    pub partners: Vec<String>,
    pub fairs: Vec<FairDraft>,
    pub note: String,
}

/// A checked trip.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidTrip {
    pub destination: String,
    pub departed_on: NaiveDate,
    pub returned_on: NaiveDate,
    pub partners: Vec<String>,
    pub fairs: Vec<Fair>,
    pub note: String,
}

fn push(errors: &mut Vec<FieldError>, field: &'static str, message: impl Into<String>) {
    errors.push(FieldError {
        field,
        message: message.into(),
    });
}

/// The destination: a city outside Wuhan (the task is 市外引才).
fn checked_destination(errors: &mut Vec<FieldError>, input: &str) -> String {
    let city = checked_text_up_to(errors, "目的地城市", input, true, 30);
    if city.starts_with("武汉") {
        push(
            errors,
            "目的地城市",
            "揽才团赴市外高校招聘，目的地不能是武汉",
        );
    }
    city
}

/// The trip's days: departure in a plan year and no later than today, return on or after it
/// and within [`MAX_TRIP_DAYS`].
fn checked_days(
    errors: &mut Vec<FieldError>,
    plan: &Plan,
    draft: &TripDraft,
    today: NaiveDate,
) -> Option<(NaiveDate, NaiveDate)> {
    let departed = match cells::parse_date(&draft.departed_on) {
        Ok(d) if d > today => Err(format!("{d} 晚于今天")),
        Ok(d) if !plan.years().contains(&d.year()) => Err(format!("{d} 不在行动方案的年度内")),
        other => other,
    }
    .map_err(|m| push(errors, "出发日期", m))
    .ok();
    let returned = cells::parse_date(&draft.returned_on)
        .map_err(|m| push(errors, "返回日期", m))
        .ok();
    let (departed, returned) = (departed?, returned?);
    if returned < departed {
        push(
            errors,
            "返回日期",
            format!("{returned} 早于出发日期 {departed}"),
        );
        return None;
    }
    if returned - departed > Duration::days(MAX_TRIP_DAYS) {
        push(
            errors,
            "返回日期",
            format!("一次揽才团最长 {MAX_TRIP_DAYS} 天"),
        );
        return None;
    }
    Some((departed, returned))
}

/// The participating units: units of 1.1.3 other than the organiser, each once.
fn checked_partners(
    errors: &mut Vec<FieldError>,
    plan: &Plan,
    organiser: &str,
    partners: &[String],
) -> Vec<String> {
    let allowed = trip_units(plan);
    let mut checked: Vec<String> = Vec::new();
    for code in partners.iter().map(|p| p.trim()).filter(|p| !p.is_empty()) {
        if code == organiser {
            push(errors, "参与单位", "组织单位不必再列为参与单位");
        } else if !allowed.contains(&code) {
            push(
                errors,
                "参与单位",
                format!("单位“{code}”不是任务 1.1.3 的责任单位"),
            );
        } else if !checked.iter().any(|c| c == code) {
            checked.push(code.to_owned());
        }
    }
    checked
}

/// The fairs: at least one; each a school and a day within the trip.
fn checked_fairs(
    errors: &mut Vec<FieldError>,
    fairs: &[FairDraft],
    days: Option<(NaiveDate, NaiveDate)>,
) -> Vec<Fair> {
    let typed: Vec<&FairDraft> = fairs
        .iter()
        .filter(|f| !f.school.trim().is_empty() || !f.held_on.trim().is_empty())
        .collect();
    if typed.is_empty() {
        push(errors, "高校招聘会", "至少填写一场参加的高校招聘会");
    }
    let mut checked = Vec::new();
    for (n, fair) in typed.iter().enumerate() {
        let school = fair.school.trim();
        let day = cells::parse_date(&fair.held_on);
        let problem = match (&day, school.chars().count(), days) {
            (_, 0, _) => Some("请填写高校名称".to_owned()),
            (_, len, _) if len > 40 => Some("高校名称最多 40 个字".to_owned()),
            (Err(e), _, _) => Some(e.clone()),
            (Ok(d), _, Some((from, to))) if *d < from || *d > to => {
                Some(format!("{d} 不在揽才团行程（{from} 至 {to}）之内"))
            }
            _ => None,
        };
        match (problem, day) {
            (Some(m), _) => push(errors, "高校招聘会", format!("第 {} 场：{m}", n + 1)),
            (None, Ok(held_on)) => checked.push(Fair {
                school: school.to_owned(),
                held_on,
            }),
            (None, Err(_)) => {}
        }
    }
    checked
}

/// Checks a trip organised by `organiser`: the destination outside Wuhan, its days, the
/// participating units of 1.1.3, and at least one fair within the trip.
pub fn validate_trip(
    plan: &Plan,
    organiser: &str,
    draft: &TripDraft,
    today: NaiveDate,
) -> Result<ValidTrip, Vec<FieldError>> {
    let mut errors = Vec::new();
    let destination = checked_destination(&mut errors, &draft.destination);
    let days = checked_days(&mut errors, plan, draft, today);
    let partners = checked_partners(&mut errors, plan, organiser, &draft.partners);
    let fairs = checked_fairs(&mut errors, &draft.fairs, days);
    let note = checked_text_up_to(&mut errors, "备注", &draft.note, false, 500);
    match days {
        Some((departed_on, returned_on)) if errors.is_empty() => Ok(ValidTrip {
            destination,
            departed_on,
            returned_on,
            partners,
            fairs,
            note,
        }),
        _ => Err(errors),
    }
}

/// An employer of the delegation as typed in.
#[derive(Debug, Clone, Default)]
pub struct DelegateDraft {
    pub employer: String,
    pub posts: String,
    pub cvs: String,
}

/// A checked delegation employer: posts offered (positions) and CVs received.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ValidDelegate {
    pub employer_id: i64,
    pub posts: i64,
    pub cvs: i64,
}

/// The most posts or CVs one employer reports for one trip.
pub const MAX_COUNT: i64 = 100_000;

fn count(errors: &mut Vec<FieldError>, field: &'static str, input: &str, least: i64) -> i64 {
    match cells::parse_count(input) {
        Ok(n) if n < least => {
            push(errors, field, format!("至少为 {least}"));
            0
        }
        Ok(n) if n > MAX_COUNT => {
            push(errors, field, format!("最多 {MAX_COUNT}"));
            0
        }
        Ok(n) => n,
        Err(m) => {
            push(errors, field, m);
            0
        }
    }
}

/// Checks an employer joining the delegation: one chosen, not already in it, at least one post
/// offered, CVs zero or more.
pub fn validate_delegate(
    draft: &DelegateDraft,
    already: &[i64],
) -> Result<ValidDelegate, Vec<FieldError>> {
    let mut errors = Vec::new();
    let employer_id = match draft.employer.trim().parse::<i64>() {
        Ok(id) if already.contains(&id) => {
            push(&mut errors, "用人单位", "该用人单位已在本次揽才团中");
            0
        }
        Ok(id) if id > 0 => id,
        _ => {
            push(&mut errors, "用人单位", "请选择用人单位");
            0
        }
    };
    let posts = count(&mut errors, "提供岗位数", &draft.posts, 1);
    let cvs = count(&mut errors, "收到简历数", &draft.cvs, 0);
    if errors.is_empty() {
        Ok(ValidDelegate {
            employer_id,
            posts,
            cvs,
        })
    } else {
        Err(errors)
    }
}

/// A hire as typed in.
#[derive(Debug, Clone, Default)]
pub struct HireDraft {
    pub name: String,
    pub employer: String,
    pub hired_on: String,
    /// The job application it came through, if known (its number).
    pub application: String,
}

/// A checked hire traced to a trip.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidHire {
    pub name: String,
    pub employer_id: i64,
    pub hired_on: NaiveDate,
    pub application_id: Option<i64>,
}

/// Checks a hire traced to a trip that departed on `departed_on`: a name, an employer of the
/// delegation, a day from the departure to [`HIRE_WINDOW_DAYS`] after it and no later than
/// today, and the application's number if one is given.
pub fn validate_hire(
    draft: &HireDraft,
    delegates: &[i64],
    departed_on: NaiveDate,
    today: NaiveDate,
) -> Result<ValidHire, Vec<FieldError>> {
    let mut errors = Vec::new();
    let name = checked_text_up_to(&mut errors, "姓名", &draft.name, true, 20);
    let employer_id = match draft.employer.trim().parse::<i64>() {
        Ok(id) if delegates.contains(&id) => id,
        Ok(_) => {
            push(&mut errors, "用人单位", "该用人单位不在本次揽才团中");
            0
        }
        Err(_) => {
            push(&mut errors, "用人单位", "请选择揽才团中的用人单位");
            0
        }
    };
    let last = departed_on + Duration::days(HIRE_WINDOW_DAYS);
    let hired_on = match cells::parse_date(&draft.hired_on) {
        Ok(d) if d > today => Err(format!("{d} 晚于今天")),
        Ok(d) if d < departed_on => Err(format!("{d} 早于揽才团出发日期 {departed_on}")),
        Ok(d) if d > last => Err(format!(
            "{d} 已超过出发后 {HIRE_WINDOW_DAYS} 天，不能再计为揽才团引才"
        )),
        other => other,
    }
    .map_err(|m| push(&mut errors, "录用日期", m))
    .ok();
    let application_id = match draft.application.trim() {
        "" => None,
        text => match text.parse::<i64>() {
            Ok(id) if id > 0 => Some(id),
            _ => {
                push(&mut errors, "求职申请编号", format!("“{text}”不是申请编号"));
                None
            }
        },
    };
    match hired_on {
        Some(hired_on) if errors.is_empty() => Ok(ValidHire {
            name,
            employer_id,
            hired_on,
            application_id,
        }),
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests;
