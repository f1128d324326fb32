//! The year a monitoring page shows, and the links to the plan's other years.

use linkong_core::plan::Plan;
use linkong_core::progress;
use serde::Deserialize;

use crate::{AppError, AppState};

#[derive(Deserialize, Default)]
pub struct YearQuery {
    #[serde(default)]
    pub year: Option<String>,
    /// Set after a record was saved, to confirm it.
    #[serde(default)]
    pub saved: Option<String>,
}

/// The year asked for, or the current one; outside the plan's years is an error.
pub fn year_of(state: &AppState, query: &YearQuery) -> Result<i32, AppError> {
    let plan = &state.plan;
    match query
        .year
        .as_deref()
        .map(str::trim)
        .filter(|y| !y.is_empty())
    {
        None => Ok(progress::default_year(plan, state.today())),
        Some(text) => match text.parse::<i32>() {
            Ok(year) if plan.years().contains(&year) => Ok(year),
            _ => Err(AppError::bad_request(format!(
                "年份：须为 {}—{} 之间的年份（收到“{text}”）",
                plan.info.first_year, plan.info.last_year
            ))),
        },
    }
}

pub struct YearLink {
    pub year: i32,
    pub current: bool,
}

pub fn year_links(plan: &Plan, year: i32) -> Vec<YearLink> {
    plan.years()
        .map(|y| YearLink {
            year: y,
            current: y == year,
        })
        .collect()
}
