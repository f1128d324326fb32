//! The plan file (TOML): `Plan::parse` on any text, and, when a plan parses, the plan's own
//! reckoning over it (years, report periods and their due days, report lines, quota holders),
//! which must not panic either: whatever `parse` accepts, the rest of linkong will use.
//!
//! After a unit separator (0x1F), the rest of the input is a report period as typed.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use linkong_core::calendar::WorkCalendar;
use linkong_core::plan::Plan;
use linkong_core::registry::Registry;
use linkong_core::reporting::{self, ReportPeriod};

fn calendar() -> &'static WorkCalendar {
    static CALENDAR: OnceLock<WorkCalendar> = OnceLock::new();
    CALENDAR.get_or_init(|| {
        WorkCalendar::parse(include_str!("../../calendar/cn-workdays.toml"))
            .expect("shipped calendar")
    })
}

/// A plan's years are checked, but a fuzzer's plan may still span many: a few are enough.
const YEARS_LOOKED_AT: usize = 4;

fn use_plan(plan: &Plan, period: &str) {
    let _ = ReportPeriod::parse(period, plan);
    let _ = plan.unit(period);
    let _ = plan.streets().count();
    for registry in Registry::ALL {
        let _ = plan.indicator_filled_by(registry);
    }
    for (task, indicator) in plan.indicators() {
        let _ = indicator.recording_units(task);
        let _ = plan.quota_units(&task.code);
    }
    for year in plan.years().take(YEARS_LOOKED_AT) {
        for period in ReportPeriod::of_year(year) {
            let _ = (period.range(), period.code(), period.label());
            let _ = period.opens_on(plan);
            let due = period.due(plan, calendar());
            let _ = reporting::due_label(due, calendar());
            for unit in plan.units.iter().take(3) {
                let _ = reporting::report_lines(plan, &unit.code, period, &[]);
            }
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (file, period) = text.split_once('\u{1F}').unwrap_or((&text, "2026Q1"));
    match Plan::parse(file) {
        Ok(plan) => use_plan(&plan, period),
        Err(errors) => {
            let _ = errors.to_string();
        }
    }
});
