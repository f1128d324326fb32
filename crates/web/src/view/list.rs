//! What a registry's list page shares: its year and unit filters, the `saved` flag after a
//! redirect, and the status of a page that shows a form's errors.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
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
        let year = super::optional_year(state, &self.year)?;
        let unit = super::optional_unit(state, unit_label, &self.unit)?;
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

/// A form's POST answered from the store's result: a redirect to `to(saved)` when it was
/// saved; the form again with its fields' errors (`again`, which answers 422) when fields are
/// wrong; any other error as it is.
pub async fn saved_or_again<T, Again>(
    saved: Result<T, linkong_store::Error>,
    to: impl FnOnce(T) -> String,
    again: impl FnOnce(Vec<FieldError>) -> Again,
) -> Result<Response, AppError>
where
    Again: Future<Output = Result<Response, AppError>>,
{
    match saved {
        Ok(value) => Ok(Redirect::to(&to(value)).into_response()),
        Err(linkong_store::Error::Fields(errors)) => again(errors).await,
        Err(e) => Err(e.into()),
    }
}
