//! What a registry's list page shares: its year and unit filters, the `saved` flag after a
//! redirect, and the status of a page that shows a form's errors.

use axum::http::StatusCode;
use linkong_core::field::FieldError;
use serde::Deserialize;

use crate::{AppError, AppState};

/// A list's year and unit filters.
#[derive(Deserialize, Default, Clone)]
pub struct ListQuery {
    #[serde(default)]
    pub year: String,
    #[serde(default)]
    pub unit: String,
    #[serde(default)]
    pub saved: String,
}

impl ListQuery {
    /// The year and unit asked for, the unit's field named `unit_label`; a wrong one is a 422
    /// naming the field.
    pub fn filter_as(
        &self,
        state: &AppState,
        unit_label: &str,
    ) -> Result<(Option<i32>, Option<String>), AppError> {
        let year = match self.year.trim() {
            "" => None,
            text => match text.parse::<i32>() {
                Ok(year) if state.plan.years().contains(&year) => Some(year),
                _ => {
                    let why = format!("年度：须为方案年度（收到“{text}”）");
                    return Err(AppError::bad_request(why));
                }
            },
        };
        let unit = match self.unit.trim() {
            "" => None,
            code if state.plan.unit(code).is_some() => Some(code.to_owned()),
            code => {
                let why = format!("{unit_label}：未知的单位“{code}”");
                return Err(AppError::bad_request(why));
            }
        };
        Ok((year, unit))
    }
}

/// `?saved=1` after a redirect from a form.
#[derive(Deserialize, Default)]
pub struct SavedQuery {
    #[serde(default)]
    pub saved: String,
}

/// 200 for a page without errors, 422 for one that shows a form's errors.
pub fn form_status(errors: &[FieldError]) -> StatusCode {
    if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    }
}
