//! A deadline as people read it.

use chrono::NaiveDate;
use linkong_core::reporting::due_label;

use crate::AppState;

/// The deadline with its weekday, by the calendar as it stands now.
pub fn due_text(state: &AppState, due: NaiveDate) -> String {
    due_label(due, &state.calendar())
}
