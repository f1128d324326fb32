//! What the monitoring views read: every indicator's progress in a year and the yearly
//! assessment. Both are computed by core from the stored figures, so the dashboard, the API,
//! the workbooks and the command line show the same numbers.

use chrono::NaiveDate;
use linkong_core::access::Actor;
use linkong_core::assessment::{UnitScore, assess};
use linkong_core::calendar::WorkCalendar;
use linkong_core::plan::Plan;
use linkong_core::progress::{self, IndicatorProgress};
use linkong_core::time::local_date;

use crate::{Result, Store};

impl Store {
    /// Progress of every indicator for `year`, as of today.
    pub async fn progress(&self, plan: &Plan, year: i32) -> Result<Vec<IndicatorProgress>> {
        let from = NaiveDate::from_ymd_opt(plan.info.first_year, 1, 1).unwrap_or_default();
        let to = NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or_default();
        let records = self.record_figures(plan, from, to).await?;
        Ok(progress::compute(
            plan,
            year,
            local_date(self.now()),
            &records,
        ))
    }

    /// The yearly assessment: every unit's score and rank for readers of all units; a unit's
    /// staff get their own unit's score (ranked among all).
    pub async fn assessment(
        &self,
        actor: &Actor,
        plan: &Plan,
        calendar: &WorkCalendar,
        year: i32,
    ) -> Result<Vec<UnitScore>> {
        let progress = self.progress(plan, year).await?;
        let standings = self.all_year_standings(plan, calendar, year).await?;
        let timeliness: Vec<(String, _)> = standings
            .units
            .iter()
            .flat_map(|(unit, of)| of.iter().map(|s| (unit.code.clone(), s.timeliness)))
            .collect();
        let mut scores = assess(plan, &progress, &timeliness);
        scores.retain(|s| actor.may_read_records_of(&s.unit_code));
        Ok(scores)
    }
}
