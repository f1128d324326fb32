//! A unit as people read it.

use crate::AppState;

/// The unit's name, or its code when the plan does not know it.
pub fn unit_name(state: &AppState, code: &str) -> String {
    state
        .plan
        .unit(code)
        .map_or_else(|| code.to_owned(), |u| u.name.clone())
}
