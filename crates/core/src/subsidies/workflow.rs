//! The steps after filing: which step an application waits for, by when (working days by the
//! State Council calendar), and the checks of a 公示 objection, its answer and a payment.

use chrono::NaiveDate;

use super::{DISTRICT_DAYS, NOTICE_DAYS, PAYMENT_DAYS, STREET_DAYS, SubsidyStatus};
use crate::calendar::WorkCalendar;
use crate::cells;
use crate::field::{FieldError, checked_text_up_to};
use crate::quantity::{Quantity, QuantityError};
use crate::rules::format_fen;

/// Refuses an action unless the application is at `expected` ("该申请当前为“公示中”，不能街道审核").
pub fn stage_for(
    status: SubsidyStatus,
    expected: SubsidyStatus,
    action: &str,
) -> Result<(), String> {
    if status == expected {
        Ok(())
    } else {
        Err(format!(
            "该申请当前为“{}”，不能{action}（须为“{}”）",
            status.label(),
            expected.label()
        ))
    }
}

/// The last day of the 公示 that starts on `from` (the day the district review passed it):
/// [`NOTICE_DAYS`] working days counted from the next working day.
pub fn notice_until(calendar: &WorkCalendar, from: NaiveDate) -> NaiveDate {
    calendar.add_working_days(from, NOTICE_DAYS)
}

/// By when the step an application waits for is due: the street's review [`STREET_DAYS`]
/// working days after filing, the district's [`DISTRICT_DAYS`] after the street passed it,
/// the payment [`PAYMENT_DAYS`] after the 公示 ends; none once paid or rejected.
pub fn due_on(
    calendar: &WorkCalendar,
    status: SubsidyStatus,
    since: NaiveDate,
    notice_until: Option<NaiveDate>,
) -> Option<NaiveDate> {
    match status {
        SubsidyStatus::StreetReview => Some(calendar.add_working_days(since, STREET_DAYS)),
        SubsidyStatus::DistrictReview => Some(calendar.add_working_days(since, DISTRICT_DAYS)),
        SubsidyStatus::Notice => notice_until.map(|d| calendar.add_working_days(d, PAYMENT_DAYS)),
        SubsidyStatus::Paid | SubsidyStatus::Rejected => None,
    }
}

/// Working days past `due` on `today`, if any.
pub fn overdue_working_days(
    calendar: &WorkCalendar,
    due: Option<NaiveDate>,
    today: NaiveDate,
) -> Option<u32> {
    let due = due?;
    (today > due).then(|| calendar.working_days_between(due, today).max(1))
}

/// An objection may be lodged while the application is in its 公示, up to its last day.
pub fn may_object(
    status: SubsidyStatus,
    notice_until: Option<NaiveDate>,
    today: NaiveDate,
) -> Result<(), String> {
    match notice_until {
        Some(until) if status == SubsidyStatus::Notice && today <= until => Ok(()),
        Some(until) if status == SubsidyStatus::Notice => {
            Err(format!("公示已于 {until} 结束，不再受理异议"))
        }
        _ => Err("该申请不在公示期，不受理异议".into()),
    }
}

/// 区财政局 may pay once the 公示 has ended with every objection answered.
pub fn may_pay(
    status: SubsidyStatus,
    notice_until: Option<NaiveDate>,
    today: NaiveDate,
    open_objections: i64,
) -> Result<(), String> {
    stage_for(status, SubsidyStatus::Notice, "拨付")?;
    match notice_until {
        Some(until) if today <= until => Err(format!("公示期至 {until}，期满后方可拨付")),
        None => Err("该申请尚未公示，不能拨付".into()),
        Some(_) if open_objections > 0 => Err(format!(
            "有 {open_objections} 条公示异议尚未答复，答复后方可拨付"
        )),
        Some(_) => Ok(()),
    }
}

/// An objection as typed on the public 公示 page.
#[derive(Debug, Clone, Default)]
pub struct ObjectionDraft {
    pub text: String,
    /// How to reach the objector (optional; kept for the answer, never shown publicly).
    pub contact: String,
}

/// Checks an objection: its text is required, at most 500 characters; the contact at most 60.
pub fn validate_objection(draft: &ObjectionDraft) -> Result<(String, String), Vec<FieldError>> {
    let mut errors = Vec::new();
    let text = checked_text_up_to(&mut errors, "异议内容", &draft.text, true, 500);
    let contact = checked_text_up_to(&mut errors, "联系方式", &draft.contact, false, 60);
    if errors.is_empty() {
        Ok((text, contact))
    } else {
        Err(errors)
    }
}

/// The district unit's answer to an objection: whether it is upheld (the application is then
/// rejected with the answer as the reason), and the answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidAnswer {
    pub upheld: bool,
    pub answer: String,
}

pub fn validate_answer(upheld: &str, answer: &str) -> Result<ValidAnswer, Vec<FieldError>> {
    let mut errors = Vec::new();
    let answer = checked_text_up_to(&mut errors, "答复内容", answer, true, 500);
    let upheld = match upheld.trim() {
        "upheld" | "成立" => Some(true),
        "dismissed" | "不成立" => Some(false),
        _ => {
            errors.push(FieldError {
                field: "异议是否成立",
                message: "请选择“成立”或“不成立”".into(),
            });
            None
        }
    };
    match upheld {
        Some(upheld) if errors.is_empty() => Ok(ValidAnswer { upheld, answer }),
        _ => Err(errors),
    }
}

/// A payment as typed by 区财政局.
#[derive(Debug, Clone, Default)]
pub struct PaymentDraft {
    /// 元, at most two decimals.
    pub amount: String,
    pub paid_on: String,
    /// The receiving bank account, digits (spaces allowed).
    pub account: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidPayment {
    pub amount_fen: i64,
    pub paid_on: NaiveDate,
    /// Digits only; the store encrypts it and keeps the last four for the mask.
    pub account: String,
}

/// Checks a payment against the approved amount: in 元 with at most two decimals, positive,
/// not above what was approved; paid on a day not after today and not before the 公示 ended;
/// to an account of 8 to 30 digits.
pub fn validate_payment(
    draft: &PaymentDraft,
    approved_fen: i64,
    notice_until: Option<NaiveDate>,
    today: NaiveDate,
) -> Result<ValidPayment, Vec<FieldError>> {
    let mut errors = Vec::new();
    let amount = match Quantity::parse(&draft.amount) {
        Ok(q) if q.hundredths() == 0 => Err("拨付金额须大于 0".to_owned()),
        Ok(q) if q.hundredths() > approved_fen => Err(format!(
            "{}超过核定金额 {}",
            format_fen(q.hundredths()),
            format_fen(approved_fen)
        )),
        Ok(q) => Ok(q.hundredths()),
        Err(QuantityError::TooManyDecimals) => Err("金额最多保留两位小数（到分）".into()),
        Err(QuantityError::Negative) => Err("金额不能为负数".into()),
        Err(e) => Err(e.to_string()),
    };
    let amount = amount
        .map_err(|message| {
            errors.push(FieldError {
                field: "拨付金额",
                message,
            })
        })
        .ok();
    let paid_on = match cells::parse_date(&draft.paid_on) {
        Ok(day) if day > today => Err(format!("{day} 晚于今天")),
        Ok(day) if notice_until.is_some_and(|until| day <= until) => Err(format!(
            "{day} 尚在公示期内（至 {}）",
            notice_until.unwrap_or(day)
        )),
        other => other,
    }
    .map_err(|message| {
        errors.push(FieldError {
            field: "拨付日期",
            message,
        })
    })
    .ok();
    let account: String = draft
        .account
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    if !(8..=30).contains(&account.len()) || !account.chars().all(|c| c.is_ascii_digit()) {
        errors.push(FieldError {
            field: "收款账号",
            message: "应为 8 至 30 位数字".into(),
        });
    }
    match (amount, paid_on) {
        (Some(amount_fen), Some(paid_on)) if errors.is_empty() => Ok(ValidPayment {
            amount_fen,
            paid_on,
            account,
        }),
        _ => Err(errors),
    }
}

/// An account as shown: its last four digits ("**** 6789").
pub fn mask_account(last_four: &str) -> String {
    format!("**** {last_four}")
}

/// Which review: the applicant's street, or the category's district unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Street,
    District,
}

impl Level {
    /// The status an application waits in for this review, and the review's name.
    pub fn waits_in(self) -> (SubsidyStatus, &'static str) {
        match self {
            Level::Street => (SubsidyStatus::StreetReview, "街道审核"),
            Level::District => (SubsidyStatus::DistrictReview, "区级审核"),
        }
    }
}

/// A review's outcome: the next status, its history step, the reason kept when it rejects,
/// and whether the 公示 starts (the district passed it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    pub status: SubsidyStatus,
    pub step: super::StepKind,
    pub note: String,
    pub reason: String,
    pub starts_notice: bool,
}

/// Checks a review as typed: `pass` or `reject`; a rejection needs its reason (the applicant
/// reads it), a note is at most 300 characters.
pub fn review_verdict(level: Level, verdict: &str, note: &str) -> Result<Verdict, Vec<FieldError>> {
    use super::StepKind;
    let mut errors = Vec::new();
    let note = checked_text_up_to(&mut errors, "审核意见", note, false, 300);
    let pass = match verdict.trim() {
        "pass" => Some(true),
        "reject" if note.is_empty() => {
            errors.push(FieldError {
                field: "审核意见",
                message: "不通过时请写明理由".into(),
            });
            None
        }
        "reject" => Some(false),
        _ => {
            errors.push(FieldError {
                field: "审核结论",
                message: "请选择“通过”或“不通过”".into(),
            });
            None
        }
    };
    let Some(pass) = pass.filter(|_| errors.is_empty()) else {
        return Err(errors);
    };
    let (status, step) = match (level, pass) {
        (Level::Street, true) => (SubsidyStatus::DistrictReview, StepKind::StreetPassed),
        (Level::Street, false) => (SubsidyStatus::Rejected, StepKind::StreetRejected),
        (Level::District, true) => (SubsidyStatus::Notice, StepKind::DistrictPassed),
        (Level::District, false) => (SubsidyStatus::Rejected, StepKind::DistrictRejected),
    };
    Ok(Verdict {
        status,
        step,
        reason: if pass { String::new() } else { note.clone() },
        note,
        starts_notice: level == Level::District && pass,
    })
}
