//! The social-insurance enrolment list (参保名单) exported from the 社保 system (issue 14 item 6):
//! who is insured at which employer (by its USCC), for which kinds (失业、工伤、养老), from which
//! month to which. A row of the file is checked here ([`validate_enrolment`]); the store keeps
//! the rows, and the 免申即享 scan counts a person's insured months at an employer with
//! [`insured_months`].

use chrono::{Datelike, Months, NaiveDate};

use crate::field::{FieldError, checked_text_up_to};
use crate::resident::ResidentId;
use crate::uscc::Uscc;

vocabulary! {
    /// A kind of social insurance the enrolment list names (参保险种).
    InsuranceKind, "参保险种" {
        Unemployment = "unemployment", "失业";
        Injury = "injury", "工伤";
        Pension = "pension", "养老";
    }
}

/// The column headers of the file, which are also the field names of a row's errors.
pub mod field {
    pub const NAME: &str = "姓名";
    pub const ID_NUMBER: &str = "公民身份号码";
    pub const USCC: &str = "单位统一社会信用代码";
    pub const EMPLOYER: &str = "单位名称";
    pub const KINDS: &str = "参保险种";
    pub const STARTED: &str = "参保开始年月";
    pub const ENDED: &str = "参保终止年月";
}

/// One enrolment as the 免申即享 scan reads it: no personal data in clear. `id_number_index`
/// is the hex of the resident ID's blind index (the same as `persons.id_number_index`), so
/// that enrolments of one person group together and join the resident when known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Enrolment {
    pub person_id: Option<i64>,
    pub id_number_index: String,
    pub employer_uscc: String,
    pub kinds: Vec<InsuranceKind>,
    /// The first day of the first insured month.
    pub started_on: NaiveDate,
    /// The last day of the last insured month; None while the enrolment goes on.
    pub ended_on: Option<NaiveDate>,
}

impl Enrolment {
    /// Is the enrolment in force on `day`?
    pub fn covers(&self, day: NaiveDate) -> bool {
        self.started_on <= day && self.ended_on.is_none_or(|end| day <= end)
    }
}

/// The first day of `day`'s month.
fn month_start(day: NaiveDate) -> NaiveDate {
    day.with_day(1).unwrap_or(day)
}

/// The last day of the month that begins on `start`.
fn month_end(start: NaiveDate) -> NaiveDate {
    start
        .checked_add_months(Months::new(1))
        .and_then(|next| next.pred_opt())
        .unwrap_or(start)
}

/// The full calendar months, up to and including `as_of`, in which one person was insured at
/// the employer `uscc` for all three kinds (失业、工伤、养老). A month counts when it is over by
/// `as_of` (its last day is on or before it) and the enrolments at that employer cover the
/// whole month with the three kinds between them; overlapping rows do not count a month twice.
/// `enrolments` are one person's (the caller groups them by `id_number_index`).
pub fn insured_months(enrolments: &[Enrolment], uscc: &str, as_of: NaiveDate) -> i64 {
    let here: Vec<&Enrolment> = enrolments
        .iter()
        .filter(|e| e.employer_uscc == uscc)
        .collect();
    let Some(first) = here.iter().map(|e| e.started_on).min() else {
        return 0;
    };
    let mut month = month_start(first);
    let mut count = 0;
    while month_end(month) <= as_of {
        let end = month_end(month);
        let fully = |e: &&&Enrolment| e.started_on <= month && e.ended_on.is_none_or(|x| end <= x);
        let all_kinds = InsuranceKind::ALL
            .iter()
            .all(|k| here.iter().filter(fully).any(|e| e.kinds.contains(k)));
        if all_kinds {
            count += 1;
        }
        let Some(next) = month.checked_add_months(Months::new(1)) else {
            break;
        };
        month = next;
    }
    count
}

/// A row of the enrolment list as typed: every cell's text.
#[derive(Debug, Clone, Default)]
pub struct EnrolmentDraft {
    pub name: String,
    pub id_number: String,
    pub uscc: String,
    pub employer_name: String,
    pub kinds: String,
    pub started: String,
    pub ended: String,
}

/// A checked row: the resident ID valid, the USCC valid, the kinds known, the months whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidEnrolment {
    pub name: String,
    pub id_number: ResidentId,
    pub uscc: Uscc,
    pub employer_name: String,
    pub kinds: Vec<InsuranceKind>,
    /// The first day of the start month.
    pub started_on: NaiveDate,
    /// The last day of the end month.
    pub ended_on: Option<NaiveDate>,
}

impl ValidEnrolment {
    /// The kinds as stored: their codes, comma-separated, in [`InsuranceKind::ALL`] order.
    pub fn kinds_code(&self) -> String {
        kinds_code(&self.kinds)
    }
}

/// Kinds as stored: codes, comma-separated, in [`InsuranceKind::ALL`] order.
pub fn kinds_code(kinds: &[InsuranceKind]) -> String {
    InsuranceKind::ALL
        .iter()
        .filter(|k| kinds.contains(k))
        .map(|k| k.code())
        .collect::<Vec<_>>()
        .join(",")
}

/// Kinds from their stored codes; an unknown code is left out.
pub fn kinds_from_code(stored: &str) -> Vec<InsuranceKind> {
    stored
        .split(',')
        .filter_map(|c| InsuranceKind::parse(c).ok())
        .collect()
}

/// Reads 参保险种: any of 失业、工伤、养老 (or their codes, or a common spelling such as
/// 企业职工基本养老保险), separated by 、 , ， ; or spaces; “失业保险” is taken for 失业. Each
/// kind once.
pub fn parse_kinds(input: &str) -> Result<Vec<InsuranceKind>, String> {
    let mut kinds = Vec::new();
    let parts = input
        .split(['、', ',', '，', ';', '；', '/', ' '])
        .map(str::trim)
        .filter(|p| !p.is_empty());
    for part in parts {
        let kind = match InsuranceKind::parse(part) {
            Ok(kind) => kind,
            Err(refusal) => InsuranceKind::parse(part.strip_suffix("保险").unwrap_or(part))
                .map_err(|_| format!("{refusal}（一种或几种，用“、”分隔）"))?,
        };
        if !kinds.contains(&kind) {
            kinds.push(kind);
        }
    }
    if kinds.is_empty() {
        return Err("请填写参保险种：失业、工伤、养老中的一种或几种，用“、”分隔".into());
    }
    kinds.sort_by_key(|k| InsuranceKind::ALL.iter().position(|x| x == k));
    Ok(kinds)
}

/// Reads a month as the 社保 system writes it: `2025-03`, `2025/3`, `2025.03`, `2025年3月`,
/// `202503`, or a whole date (its month is taken). The first day of the month.
pub fn parse_month(input: &str) -> Result<NaiveDate, String> {
    let text = crate::cells::normalise(input).trim().to_owned();
    let wrong = || format!("“{text}”不是年月，应写作 2025-03 或 2025年3月");
    if let Some(day) = crate::field::parse_date(&text) {
        return Ok(month_start(day));
    }
    let (year, month) = if text.len() == 6 && text.chars().all(|c| c.is_ascii_digit()) {
        (text[..4].to_owned(), text[4..].to_owned())
    } else {
        let cleaned: String = text
            .chars()
            .map(|c| {
                if matches!(c, '/' | '.' | '年') {
                    '-'
                } else {
                    c
                }
            })
            .filter(|c| *c != '月')
            .collect();
        let (y, m) = cleaned.split_once('-').ok_or_else(wrong)?;
        (y.trim().to_owned(), m.trim().to_owned())
    };
    if year.len() != 4 {
        return Err(wrong());
    }
    ymd(&year, &month).ok_or_else(wrong)
}

fn ymd(year: &str, month: &str) -> Option<NaiveDate> {
    let year: i32 = year.parse().ok()?;
    let month: u32 = month.parse().ok()?;
    if !(1950..=2100).contains(&year) {
        return None;
    }
    NaiveDate::from_ymd_opt(year, month, 1)
}

/// Checks one row of the enrolment list; every wrong cell is named by its column.
pub fn validate_enrolment(
    draft: &EnrolmentDraft,
    today: NaiveDate,
) -> Result<ValidEnrolment, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut wrong = |field: &'static str, message: String| {
        errors.push(FieldError { field, message });
    };
    let id_number = ResidentId::parse_on(&draft.id_number, today)
        .map_err(|e| wrong(field::ID_NUMBER, e.to_string()))
        .ok();
    let uscc = Uscc::parse(&draft.uscc)
        .map_err(|e| wrong(field::USCC, e.to_string()))
        .ok();
    let kinds = parse_kinds(&draft.kinds)
        .map_err(|e| wrong(field::KINDS, e))
        .ok();
    let started = parse_month(&draft.started)
        .map_err(|e| wrong(field::STARTED, e))
        .ok();
    let ended = if draft.ended.trim().is_empty() {
        Some(None)
    } else {
        parse_month(&draft.ended)
            .map(|m| Some(month_end(m)))
            .map_err(|e| wrong(field::ENDED, e))
            .ok()
    };
    if let (Some(start), Some(Some(end))) = (started, ended)
        && end < start
    {
        wrong(
            field::ENDED,
            format!(
                "参保终止年月{}早于参保开始年月{}",
                end.format("%Y-%m"),
                start.format("%Y-%m")
            ),
        );
    }
    if let Some(start) = started
        && start > today
    {
        wrong(
            field::STARTED,
            format!("参保开始年月{}晚于本月", start.format("%Y-%m")),
        );
    }
    let name = checked_text_up_to(&mut errors, field::NAME, &draft.name, true, 50);
    let employer_name = checked_text_up_to(
        &mut errors,
        field::EMPLOYER,
        &draft.employer_name,
        true,
        100,
    );
    match (id_number, uscc, kinds, started, ended) {
        (Some(id_number), Some(uscc), Some(kinds), Some(started_on), Some(ended_on))
            if errors.is_empty() =>
        {
            Ok(ValidEnrolment {
                name,
                id_number,
                uscc,
                employer_name,
                kinds,
                started_on,
                ended_on,
            })
        }
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests;
