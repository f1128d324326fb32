//! Gig work (零工) posted at the district's gig stations (零工驿站, plan 2.5.4): short jobs paid by
//! the day or by the piece, entered by a street's staff in a minute. Each street has one
//! station, named after it; the staff member's street is the station that posts.

use chrono::NaiveDate;

use crate::access::{Actor, Role};
use crate::field::{FieldError, parse_date};
use crate::phone::Phone;
use crate::plan::{Plan, UnitKind};

vocabulary!(
    /// How a gig is paid.
    PayBasis, "计酬方式" {
        Daily = "day", "元/天";
        Piece = "piece", "元/件";
    }
);

/// The longest a gig may last, first to last day (a longer job is a job post).
pub const MAX_GIG_DAYS: i64 = 30;
/// The highest rate, in yuan a day or a piece.
pub const MAX_RATE_YUAN: i64 = 5_000;
pub const MAX_HEADCOUNT: i64 = 500;
pub const MAX_NOTE_CHARS: usize = 200;

/// A gig as typed into the station's form.
#[derive(Debug, Clone, Default)]
pub struct GigDraft {
    pub title: String,
    pub work_street: String,
    pub pay_basis: String,
    /// Yuan, up to two decimals ("180", "0.8").
    pub rate: String,
    pub starts_on: String,
    pub ends_on: String,
    pub headcount: String,
    pub contact_name: String,
    pub contact_phone: String,
    pub note: String,
}

/// A gig whose every field is well formed; the rate in fen (分).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidGig {
    pub title: String,
    pub work_street: String,
    pub pay_basis: PayBasis,
    pub rate_fen: i64,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub headcount: i64,
    pub contact_name: String,
    pub contact_phone: Phone,
    pub note: String,
}

/// The station's name for a street: 径河街道 → 径河街道零工驿站.
pub fn station_name(street_name: &str) -> String {
    format!("{street_name}零工驿站")
}

/// The street whose station `actor` posts gigs for: only a street's staff do.
pub fn gig_station(plan: &Plan, actor: &Actor) -> Result<String, &'static str> {
    let street = actor
        .unit_code
        .as_deref()
        .filter(|unit| plan.unit(unit).is_some_and(|u| u.kind == UnitKind::Street));
    match (actor.role, street) {
        (Role::UnitStaff, Some(street)) => Ok(street.to_owned()),
        _ => Err("只有街道零工驿站的工作人员可以登记零工"),
    }
}

/// A gig is open for search and matching while published and not past its last day.
pub fn gig_is_open(closed: bool, ends_on: NaiveDate, today: NaiveDate) -> bool {
    !closed && ends_on >= today
}

/// The rate as people read it: "180 元/天", "0.8 元/件".
pub fn rate_label(rate_fen: i64, basis: PayBasis) -> String {
    let yuan = rate_fen / 100;
    let fen = rate_fen % 100;
    let amount = match fen {
        0 => yuan.to_string(),
        f if f % 10 == 0 => format!("{yuan}.{}", f / 10),
        f => format!("{yuan}.{f:02}"),
    };
    format!("{amount} {}", basis.label())
}

/// Checks every field of a gig; all wrong fields are reported at once.
pub fn validate_gig(plan: &Plan, draft: &GigDraft) -> Result<ValidGig, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut wrong = |field: &'static str, message: String| {
        errors.push(FieldError { field, message });
    };
    let title = draft.title.trim();
    if !(2..=40).contains(&title.chars().count()) {
        wrong("零工名称", "请填写零工名称（2 至 40 字）".into());
    }
    let street = draft.work_street.trim();
    if !plan
        .unit(street)
        .is_some_and(|u| u.kind == UnitKind::Street)
    {
        wrong("工作街道", format!("“{street}”不是东西湖区的街道"));
    }
    let basis = PayBasis::parse(&draft.pay_basis)
        .map_err(|e| wrong("计酬方式", e))
        .ok();
    let rate = rate_fen(&draft.rate).map_err(|e| wrong("工价", e)).ok();
    let (starts_on, ends_on) = match gig_dates(&draft.starts_on, &draft.ends_on) {
        Ok(dates) => (Some(dates.0), Some(dates.1)),
        Err((field, message)) => {
            wrong(field, message);
            (None, None)
        }
    };
    let headcount = match draft.headcount.trim().parse::<i64>() {
        Ok(n) if (1..=MAX_HEADCOUNT).contains(&n) => Some(n),
        _ => {
            wrong(
                "招用人数",
                format!("招用人数应为 1 至 {MAX_HEADCOUNT} 的整数"),
            );
            None
        }
    };
    let contact_name = draft.contact_name.trim();
    if contact_name.is_empty() || contact_name.chars().count() > 40 {
        wrong("联系人", "请填写联系人姓名（不超过 40 字）".into());
    }
    let phone = Phone::parse(&draft.contact_phone)
        .map_err(|e| wrong("联系电话", e.to_string()))
        .ok();
    let note = draft.note.trim();
    if note.chars().count() > MAX_NOTE_CHARS {
        wrong("备注", format!("备注不超过 {MAX_NOTE_CHARS} 字"));
    }
    let gig = (|| {
        Some(ValidGig {
            title: title.to_owned(),
            work_street: street.to_owned(),
            pay_basis: basis?,
            rate_fen: rate?,
            starts_on: starts_on?,
            ends_on: ends_on?,
            headcount: headcount?,
            contact_name: contact_name.to_owned(),
            contact_phone: phone?,
            note: note.to_owned(),
        })
    })();
    match gig {
        Some(gig) if errors.is_empty() => Ok(gig),
        _ => Err(errors),
    }
}

/// A rate in yuan with at most two decimals, above zero and at most [`MAX_RATE_YUAN`], in fen.
fn rate_fen(input: &str) -> Result<i64, String> {
    let text = input.trim();
    let (yuan, decimals) = text.split_once('.').unwrap_or((text, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let fen = match (yuan.parse::<i64>(), decimals.len()) {
        (Ok(y), 0..=2) if digits(yuan) && digits(decimals) => {
            let cents = format!("{decimals:0<2}").parse::<i64>().unwrap_or(0);
            y * 100 + cents
        }
        _ => return Err("工价应为金额（元，最多两位小数），如 180 或 0.8".into()),
    };
    if fen <= 0 || fen > MAX_RATE_YUAN * 100 {
        return Err(format!("工价应大于 0、不超过 {MAX_RATE_YUAN} 元"));
    }
    Ok(fen)
}

/// The first and last day: both dates, the last not before the first, at most
/// [`MAX_GIG_DAYS`] days in all. The error names its field.
fn gig_dates(starts: &str, ends: &str) -> Result<(NaiveDate, NaiveDate), (&'static str, String)> {
    let starts_on =
        parse_date(starts).ok_or(("开始日期", "请填写日期，如 2025-09-01".to_owned()))?;
    let ends_on = parse_date(ends).ok_or(("结束日期", "请填写日期，如 2025-09-07".to_owned()))?;
    if ends_on < starts_on {
        return Err((
            "结束日期",
            format!("结束日期（{ends_on}）不能早于开始日期（{starts_on}）"),
        ));
    }
    let days = (ends_on - starts_on).num_days() + 1;
    if days > MAX_GIG_DAYS {
        return Err((
            "结束日期",
            format!("零工最长 {MAX_GIG_DAYS} 天（收到 {days} 天），更长的请登记为招聘岗位"),
        ));
    }
    Ok((starts_on, ends_on))
}

#[cfg(test)]
mod tests;
