//! A list's optional year and unit filters, as typed in its query string: empty means all, a
//! wrong one is a 422 naming the field.

use crate::{AppError, AppState};

/// The year filter: empty for every year, else one of the plan's years.
pub fn optional_year(state: &AppState, text: &str) -> Result<Option<i32>, AppError> {
    match text.trim() {
        "" => Ok(None),
        text => match text.parse::<i32>() {
            Ok(year) if state.plan.years().contains(&year) => Ok(Some(year)),
            _ => Err(AppError::bad_request(format!(
                "年度：须为方案年度（收到“{text}”）"
            ))),
        },
    }
}

/// A unit filter named `field` (组织单位, 街道 …): empty for every unit, else a unit of the plan.
pub fn optional_unit(
    state: &AppState,
    field: &str,
    text: &str,
) -> Result<Option<String>, AppError> {
    match text.trim() {
        "" => Ok(None),
        code if state.plan.unit(code).is_some() => Ok(Some(code.to_owned())),
        code => Err(AppError::bad_request(format!(
            "{field}：未知的单位“{code}”"
        ))),
    }
}
