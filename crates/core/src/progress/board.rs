//! What the dashboard judges beyond single figures: how many indicators stand at each status,
//! and each unit's average completion against this year's pro-rata progress (the chart).

use chrono::NaiveDate;

use super::{IndicatorProgress, Status, pro_rata_percent, status, unit_completion};
use crate::plan::{Aggregation, Period, Plan};

/// The statuses in the order the dashboard counts them.
pub const STATUS_ORDER: [Status; 5] = [
    Status::Done,
    Status::OnTrack,
    Status::Lagging,
    Status::SeriouslyLagging,
    Status::NoData,
];

/// How many indicators' district figures stand at each status, in [`STATUS_ORDER`].
pub fn status_counts(progress: &[IndicatorProgress]) -> [(Status, usize); 5] {
    STATUS_ORDER.map(|wanted| {
        let count = progress
            .iter()
            .filter(|p| p.district.status == Some(wanted))
            .count();
        (wanted, count)
    })
}

/// A unit's average completion of its yearly quotas and its status against this year's
/// pro-rata progress; `None` for a unit without yearly quotas. Whole-plan targets stay out:
/// the chart judges against the year's pro-rata path.
pub fn unit_standing(
    plan: &Plan,
    progress: &[IndicatorProgress],
    unit_code: &str,
    year: i32,
    today: NaiveDate,
) -> Option<(f64, Status)> {
    let yearly: Vec<IndicatorProgress> = progress
        .iter()
        .filter(|p| {
            plan.indicators()
                .any(|(_, i)| i.code == p.indicator_code && i.period == Period::Year)
        })
        .cloned()
        .collect();
    let completion = unit_completion(&yearly, unit_code)?;
    let pro_rata = pro_rata_percent(plan, Period::Year, year, today);
    let judged = status(
        Aggregation::Sum,
        Some((completion * 100.0) as i64),
        100_00,
        pro_rata,
    );
    Some((completion, judged))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::progress::{Figure, UnitFigure};

    fn plan() -> Plan {
        crate::plan::dongxihu()
    }

    fn figure(completion: Option<f64>, status: Option<Status>) -> Figure {
        Figure {
            target: Some(100_00),
            actual: None,
            records: 0,
            completion,
            pro_rata: 0.0,
            status,
        }
    }

    /// One yearly indicator (1.1.1's positions) where 径河街道 has done `done` % of its quota.
    fn progress(done: f64) -> Vec<IndicatorProgress> {
        let plan = plan();
        let (task, indicator) = plan
            .indicators()
            .find(|(_, i)| i.period == Period::Year && !i.quotas.is_empty())
            .unwrap();
        vec![IndicatorProgress {
            task_code: task.code.clone(),
            indicator_code: indicator.code.clone(),
            district: figure(Some(done), Some(Status::Lagging)),
            units: vec![UnitFigure {
                unit_code: "jinghe".into(),
                figure: figure(Some(done), None),
            }],
        }]
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn indicators_are_counted_by_their_district_status() {
        let counts = status_counts(&progress(10.0));
        assert_eq!(counts[2], (Status::Lagging, 1));
        assert_eq!(counts.iter().map(|(_, n)| n).sum::<usize>(), 1);
    }

    #[test]
    fn a_unit_half_done_at_mid_year_is_on_track_and_at_year_end_seriously_lagging() {
        let plan = plan();
        let mid = unit_standing(&plan, &progress(50.0), "jinghe", 2025, day(2025, 6, 30));
        assert_eq!(mid.map(|(_, s)| s), Some(Status::OnTrack));
        let end = unit_standing(&plan, &progress(50.0), "jinghe", 2025, day(2025, 12, 31));
        assert_eq!(end, Some((50.0, Status::SeriouslyLagging)));
        assert_eq!(
            unit_standing(&plan, &progress(50.0), "nobody", 2025, day(2025, 6, 30)),
            None
        );
    }
}
