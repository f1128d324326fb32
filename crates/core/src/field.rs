//! What every form check in core shares: the error that names a wrong field, and dates as
//! people type them. A module of its own so that the checks (records, posts, rosters, the
//! calendar) depend on it and not on each other.

use chrono::NaiveDate;
use serde::Serialize;

use crate::quantity::QuantityError;

/// One wrong field: `field` is the label the form shows, `message` says what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub field: &'static str,
    pub message: String,
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}：{}", self.field, self.message)
    }
}

impl From<QuantityError> for FieldError {
    fn from(e: QuantityError) -> FieldError {
        FieldError {
            field: "数值",
            message: e.to_string(),
        }
    }
}

/// Parses a date as people write it: `2025-03-01`, `2025/3/1`, `2025.3.1`, `2025年3月1日`.
pub fn parse_date(input: &str) -> Option<NaiveDate> {
    let cleaned: String = input
        .trim()
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '/' | '.' | '年' | '月' => '-',
            other => other,
        })
        .filter(|c| *c != '日' && !c.is_whitespace())
        .collect();
    let mut parts = cleaned.split('-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || y.len() != 4 {
        return None;
    }
    NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
}

/// The value of a field's check, or None with the error noted in `errors` under `field`.
pub fn note<T>(
    errors: &mut Vec<FieldError>,
    field: &'static str,
    parsed: Result<T, String>,
) -> Option<T> {
    parsed
        .map_err(|message| errors.push(FieldError { field, message }))
        .ok()
}

/// A day as typed into a form (any form [`crate::cells::parse_date`] reads): required, and not
/// after today.
pub fn past_day(input: &str, today: NaiveDate) -> Result<NaiveDate, String> {
    match crate::cells::parse_date(input) {
        Ok(day) if day > today => Err(format!("{day} 晚于今天")),
        Ok(day) => Ok(day),
        Err(e) if input.trim().is_empty() => Err(format!("不能为空（{e}）")),
        Err(e) => Err(e),
    }
}

/// A free-text field of at most `max` characters, trimmed; an empty required one or one too
/// long is noted in `errors`. Chinese prose keeps its full-width punctuation (，？), which the
/// cell normaliser would turn into ASCII.
pub fn checked_text_up_to(
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn people_write_dates_in_several_ways() {
        let d = NaiveDate::from_ymd_opt(2025, 3, 1);
        for text in [
            "2025-03-01",
            "2025/3/1",
            "2025.3.1",
            "2025年3月1日",
            " ２０２５-３-１ ",
        ] {
            assert_eq!(parse_date(text), d, "{text}");
        }
        assert_eq!(parse_date("25-3-1"), None);
    }

    #[test]
    fn a_free_text_is_trimmed_and_refused_past_its_limit_or_empty_when_required() {
        let mut errors = Vec::new();
        assert_eq!(
            checked_text_up_to(&mut errors, "问题", " 好，怎么办？ ", true, 6),
            "好，怎么办？",
            "prose keeps its full-width punctuation"
        );
        assert!(errors.is_empty());
        checked_text_up_to(&mut errors, "问题", "四个字啊", true, 3);
        checked_text_up_to(&mut errors, "答复", "  ", true, 3);
        checked_text_up_to(&mut errors, "备注", "", false, 3);
        let shown: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
        assert_eq!(shown, ["问题：最多 3 个字", "答复：不能为空"]);
    }
}
