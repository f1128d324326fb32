//! A progress record as typed in by unit staff, checked against the plan before it is stored.

use chrono::NaiveDate;
use serde::Serialize;

use crate::field::{FieldError, parse_date};
use crate::plan::{Aggregation, Indicator, Plan, Task};
use crate::quantity::Quantity;

/// A value above this multiple of the unit's quota is taken for a typing error.
pub const ABSURD_MULTIPLE: i64 = 10;
pub const MAX_DESCRIPTION_CHARS: usize = 500;

/// What was typed into the form, untouched.
#[derive(Debug, Clone, Default)]
pub struct RecordDraft {
    pub indicator_code: String,
    pub unit_code: String,
    pub value: String,
    pub occurred_on: String,
    pub description: String,
}

/// A record that fits the plan: known indicator, a unit that holds it, a sane value and date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ValidRecord {
    pub indicator_code: String,
    pub unit_code: String,
    pub value: Quantity,
    pub occurred_on: NaiveDate,
    pub description: String,
}

/// Finds an indicator and its task by code.
pub fn find_indicator<'a>(plan: &'a Plan, code: &str) -> Option<(&'a Task, &'a Indicator)> {
    plan.indicators().find(|(_, i)| i.code == code)
}

/// The target a unit carries for an indicator: its quota, or for an indicator without quotas
/// the district target (held by the lead units).
pub fn unit_target(indicator: &Indicator, unit_code: &str) -> Option<i64> {
    if indicator.quotas.is_empty() {
        indicator.target
    } else {
        indicator
            .quotas
            .iter()
            .find(|q| q.unit == unit_code)
            .map(|q| q.target)
    }
}

/// Checks a draft against the plan on `today` (Wuhan's local date). Every wrong field is
/// reported. Whether the person may record for the unit is the store's question, not this one's.
pub fn validate_record(
    plan: &Plan,
    draft: &RecordDraft,
    today: NaiveDate,
) -> Result<ValidRecord, Vec<FieldError>> {
    let (task, indicator) =
        check_recordable_indicator(plan, &draft.indicator_code).map_err(|e| vec![e])?;
    let mut errors = Vec::new();
    let unit_code = draft.unit_code.trim();
    let target = check_recording_unit(plan, task, indicator, unit_code, &mut errors);
    let value = check_value(indicator, &draft.value, target, &mut errors);
    let occurred_on = check_occurred_on(plan, &draft.occurred_on, today, &mut errors);
    let description = check_description(&draft.description, &mut errors);
    match (value, occurred_on, errors.is_empty()) {
        (Some(value), Some(occurred_on), true) => Ok(ValidRecord {
            indicator_code: indicator.code.clone(),
            unit_code: unit_code.to_owned(),
            value,
            occurred_on,
            description,
        }),
        _ => Err(errors),
    }
}

/// The indicator is in the plan and takes manual records: a registry does not fill it alone.
/// Nothing else is checked without it, so this error comes alone.
fn check_recordable_indicator<'p>(
    plan: &'p Plan,
    code: &str,
) -> Result<(&'p Task, &'p Indicator), FieldError> {
    let Some((task, indicator)) = find_indicator(plan, code.trim()) else {
        return Err(FieldError {
            field: "指标",
            message: format!("未知的指标“{}”", code.trim()),
        });
    };
    if let Some(registry) = indicator.registry.filter(|r| !r.takes_manual_records()) {
        return Err(FieldError {
            field: "指标",
            message: format!(
                "“{}”由{}自动统计，无需手工填报",
                indicator.name,
                registry.label()
            ),
        });
    }
    Ok((task, indicator))
}

/// The unit exists and records this indicator; returns its target there, where it has one.
fn check_recording_unit(
    plan: &Plan,
    task: &Task,
    indicator: &Indicator,
    unit_code: &str,
    errors: &mut Vec<FieldError>,
) -> Option<i64> {
    let recording = indicator.recording_units(task);
    if plan.unit(unit_code).is_none() {
        errors.push(FieldError {
            field: "单位",
            message: format!("未知的单位“{unit_code}”"),
        });
        None
    } else if !recording.contains(&unit_code) {
        let name = plan.unit(unit_code).map_or(unit_code, |u| u.name.as_str());
        errors.push(FieldError {
            field: "单位",
            message: format!("{name}不承担指标“{}”", indicator.name),
        });
        None
    } else {
        unit_target(indicator, unit_code)
    }
}

/// A number in the indicator's measure that makes sense: a share at most 100 %; a count above
/// zero and at most `ABSURD_MULTIPLE` times the unit's target.
fn check_value(
    indicator: &Indicator,
    input: &str,
    target: Option<i64>,
    errors: &mut Vec<FieldError>,
) -> Option<Quantity> {
    let value = match Quantity::parse_for_measure(input, &indicator.measure) {
        Ok(value) => value,
        Err(e) => {
            errors.push(FieldError {
                field: "数值",
                message: e.to_string(),
            });
            return None;
        }
    };
    if indicator.measure == "%" && value.hundredths() > 100_00 {
        errors.push(FieldError {
            field: "数值",
            message: "比例不能超过 100%".into(),
        });
    } else if indicator.aggregation == Aggregation::Sum
        && let Some(target) = target
        && value.hundredths() > target * ABSURD_MULTIPLE
    {
        errors.push(FieldError {
            field: "数值",
            message: format!(
                "{}{} 超过该单位指标 {}{} 的 {ABSURD_MULTIPLE} 倍，请核实",
                value,
                indicator.measure,
                Quantity::from_hundredths(target),
                indicator.measure
            ),
        });
    } else if value == Quantity::ZERO && indicator.aggregation == Aggregation::Sum {
        errors.push(FieldError {
            field: "数值",
            message: "数值须大于 0".into(),
        });
    }
    Some(value)
}

/// A date given, readable, within the plan's years and not after today.
fn check_occurred_on(
    plan: &Plan,
    input: &str,
    today: NaiveDate,
    errors: &mut Vec<FieldError>,
) -> Option<NaiveDate> {
    let mut wrong = |message: String| {
        errors.push(FieldError {
            field: "日期",
            message,
        });
        None
    };
    match parse_date(input) {
        None if input.trim().is_empty() => wrong("请填写日期".into()),
        None => wrong(format!("“{}”不是有效日期", input.trim())),
        Some(date) if !plan.years().contains(&chrono::Datelike::year(&date)) => wrong(format!(
            "日期须在方案期 {}—{} 年内",
            plan.info.first_year, plan.info.last_year
        )),
        Some(date) if date > today => wrong("日期不能晚于今天".into()),
        Some(date) => Some(date),
    }
}

/// A description of what was done, of at most `MAX_DESCRIPTION_CHARS` characters.
fn check_description(input: &str, errors: &mut Vec<FieldError>) -> String {
    let description = input.trim().to_owned();
    if description.is_empty() {
        errors.push(FieldError {
            field: "情况说明",
            message: "请简要说明完成情况".into(),
        });
    } else if description.chars().count() > MAX_DESCRIPTION_CHARS {
        errors.push(FieldError {
            field: "情况说明",
            message: format!("不超过 {MAX_DESCRIPTION_CHARS} 个字"),
        });
    }
    description
}

/// A stored record as the correction and voiding rules see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoredRecord<'a> {
    pub id: i64,
    pub indicator_code: &'a str,
    pub unit_code: &'a str,
    pub voided: bool,
}

/// Why a stored record cannot be corrected or voided.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RecordChangeError {
    /// A wrong field of the form: the correction's unit or indicator, the void reason.
    #[error("{0}")]
    Field(FieldError),
    /// The record was already voided: nothing more can be done with it.
    #[error("记录 #{id} {}", if *.correcting { "已作废，不能再更正" } else { "已经作废" })]
    Voided { id: i64, correcting: bool },
}

/// The longest reason a record is voided with, in characters.
pub const MAX_VOID_REASON_CHARS: usize = 200;

/// A correction replaces a live record of the same unit and indicator: a record of another
/// unit or indicator is a different figure and is voided on its own, with its reason.
pub fn check_correction(old: &StoredRecord, new: &ValidRecord) -> Result<(), RecordChangeError> {
    if old.unit_code != new.unit_code || old.indicator_code != new.indicator_code {
        return Err(RecordChangeError::Field(FieldError {
            field: "更正",
            message: "只能更正同一单位、同一指标的记录".into(),
        }));
    }
    if old.voided {
        return Err(RecordChangeError::Voided {
            id: old.id,
            correcting: true,
        });
    }
    Ok(())
}

/// A live record is voided with a reason, which stays visible beside it; returns the reason
/// trimmed.
pub fn check_void<'r>(
    record: &StoredRecord,
    reason: &'r str,
) -> Result<&'r str, RecordChangeError> {
    if record.voided {
        return Err(RecordChangeError::Voided {
            id: record.id,
            correcting: false,
        });
    }
    let reason = reason.trim();
    if reason.is_empty() || reason.chars().count() > MAX_VOID_REASON_CHARS {
        return Err(RecordChangeError::Field(FieldError {
            field: "作废原因",
            message: format!("请填写作废原因（不超过 {MAX_VOID_REASON_CHARS} 字）"),
        }));
    }
    Ok(reason)
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = include_str!("../../../plans/dongxihu-2025-2027.toml");

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()
    }

    fn draft(value: &str, date: &str) -> RecordDraft {
        RecordDraft {
            indicator_code: "2.2.1.guidance".into(),
            unit_code: "jinghe".into(),
            value: value.into(),
            occurred_on: date.into(),
            description: "为返区人员提供创业指导".into(),
        }
    }

    fn fields(result: Result<ValidRecord, Vec<FieldError>>) -> Vec<&'static str> {
        result
            .expect_err("should be refused")
            .iter()
            .map(|e| e.field)
            .collect()
    }

    #[test]
    fn a_sane_record_passes() {
        let plan = Plan::parse(FILE).unwrap();
        let record = validate_record(&plan, &draft("12", "2025年3月1日"), today()).unwrap();
        assert_eq!(record.value, Quantity::whole(12));
        assert_eq!(
            record.occurred_on,
            NaiveDate::from_ymd_opt(2025, 3, 1).unwrap()
        );
    }

    #[test]
    fn negative_non_numeric_and_absurd_values_are_refused() {
        let plan = Plan::parse(FILE).unwrap();
        assert_eq!(
            fields(validate_record(&plan, &draft("-5", "2025-03-01"), today())),
            ["数值"]
        );
        assert_eq!(
            fields(validate_record(
                &plan,
                &draft("很多", "2025-03-01"),
                today()
            )),
            ["数值"]
        );
        // 径河 holds 35 person-times a year: 351 is more than ten times that.
        assert_eq!(
            fields(validate_record(&plan, &draft("351", "2025-03-01"), today())),
            ["数值"]
        );
        assert!(validate_record(&plan, &draft("350", "2025-03-01"), today()).is_ok());
    }

    #[test]
    fn dates_outside_the_plan_or_in_the_future_are_refused() {
        let plan = Plan::parse(FILE).unwrap();
        assert_eq!(
            fields(validate_record(&plan, &draft("1", "2024-12-31"), today())),
            ["日期"]
        );
        assert_eq!(
            fields(validate_record(&plan, &draft("1", "2026-11-27"), today())),
            ["日期"]
        );
        assert_eq!(
            fields(validate_record(&plan, &draft("1", "2026-02-30"), today())),
            ["日期"]
        );
    }

    #[test]
    fn a_unit_without_that_quota_cannot_record_it() {
        let plan = Plan::parse(FILE).unwrap();
        let mut d = draft("1", "2025-03-01");
        d.unit_code = "rsj".into();
        assert_eq!(fields(validate_record(&plan, &d, today())), ["单位"]);
    }

    #[test]
    fn an_indicator_a_registry_fills_takes_no_manual_record() {
        let plan = Plan::parse(FILE).unwrap();
        let mut d = draft("100", "2025-03-01");
        d.indicator_code = "1.1.1.positions".into();
        let errors = validate_record(&plan, &d, today()).unwrap_err();
        assert_eq!(errors[0].field, "指标");
        assert_eq!(
            errors[0].message,
            "“筹集适合高校毕业生的就业岗位”由岗位发布自动统计，无需手工填报"
        );
    }

    #[test]
    fn an_unknown_indicator_is_named() {
        let plan = Plan::parse(FILE).unwrap();
        let mut d = draft("1", "2025-03-01");
        d.indicator_code = "9.9.9.x".into();
        let errors = validate_record(&plan, &d, today()).unwrap_err();
        assert_eq!(errors[0].message, "未知的指标“9.9.9.x”");
    }

    fn stored(voided: bool) -> StoredRecord<'static> {
        StoredRecord {
            id: 7,
            indicator_code: "2.2.1.guidance",
            unit_code: "jinghe",
            voided,
        }
    }

    #[test]
    fn a_correction_must_keep_the_unit_and_the_indicator() {
        let plan = Plan::parse(FILE).unwrap();
        let new = validate_record(&plan, &draft("3", "2025-03-01"), today()).unwrap();
        assert_eq!(check_correction(&stored(false), &new), Ok(()));
        let other_unit = StoredRecord {
            unit_code: "changqing",
            ..stored(false)
        };
        let other_indicator = StoredRecord {
            indicator_code: "2.2.2.malanhua_trainees",
            ..stored(false)
        };
        for old in [other_unit, other_indicator] {
            let Err(RecordChangeError::Field(e)) = check_correction(&old, &new) else {
                panic!("a correction of {old:?} should be refused");
            };
            assert_eq!(e.field, "更正");
            assert_eq!(e.message, "只能更正同一单位、同一指标的记录");
        }
    }

    #[test]
    fn a_voided_record_can_be_neither_corrected_nor_voided_again() {
        let plan = Plan::parse(FILE).unwrap();
        let new = validate_record(&plan, &draft("3", "2025-03-01"), today()).unwrap();
        let corrected = check_correction(&stored(true), &new).unwrap_err();
        assert_eq!(corrected.to_string(), "记录 #7 已作废，不能再更正");
        let voided = check_void(&stored(true), "重复填报").unwrap_err();
        assert_eq!(voided.to_string(), "记录 #7 已经作废");
    }

    #[test]
    fn a_record_is_voided_with_a_reason_of_at_most_200_characters() {
        assert_eq!(check_void(&stored(false), "  重复填报 "), Ok("重复填报"));
        for reason in [" ".to_owned(), "字".repeat(201)] {
            let Err(RecordChangeError::Field(e)) = check_void(&stored(false), &reason) else {
                panic!("{reason:?} should be refused");
            };
            assert_eq!(e.field, "作废原因");
            assert_eq!(e.message, "请填写作废原因（不超过 200 字）");
        }
        assert!(check_void(&stored(false), &"字".repeat(200)).is_ok());
    }
}
