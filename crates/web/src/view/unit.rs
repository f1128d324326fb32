//! A unit as people read it.

use crate::AppState;

/// The unit's name, or its code when the plan does not know it.
pub fn unit_name(state: &AppState, code: &str) -> String {
    state
        .plan
        .unit(code)
        .map_or_else(|| code.to_owned(), |u| u.name.clone())
}

/// The plan's streets as (code, name), for select options and checks over every street.
pub fn streets(state: &AppState) -> impl Iterator<Item = (String, String)> + '_ {
    state
        .plan
        .streets()
        .map(|u| (u.code.clone(), u.name.clone()))
}
