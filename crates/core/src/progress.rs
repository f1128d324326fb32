//! Progress against a target: completion, pro-rata progress (序时进度) and a status.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use crate::plan::{Aggregation, Period, Plan};

mod board;

pub use board::{STATUS_ORDER, status_counts, unit_standing};

/// How far behind pro-rata progress a figure may fall, in percentage points, before it is
/// "seriously lagging" rather than "lagging".
pub const SERIOUS_LAG_POINTS: f64 = 20.0;

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// 已完成: the target is reached.
    Done,
    /// 序时推进: at or above pro-rata progress.
    OnTrack,
    /// 滞后: below pro-rata progress.
    Lagging,
    /// 严重滞后: more than [`SERIOUS_LAG_POINTS`] below pro-rata progress.
    SeriouslyLagging,
    /// 暂无数据: a rate with no value reported yet.
    NoData,
}

impl Status {
    pub fn label(self) -> &'static str {
        match self {
            Status::Done => "已完成",
            Status::OnTrack => "序时推进",
            Status::Lagging => "滞后",
            Status::SeriouslyLagging => "严重滞后",
            Status::NoData => "暂无数据",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Status::Done => "done",
            Status::OnTrack => "on_track",
            Status::Lagging => "lagging",
            Status::SeriouslyLagging => "seriously_lagging",
            Status::NoData => "no_data",
        }
    }
}

/// The dates whose records count for `year`'s figure of an indicator with `period`:
/// the year itself, or for whole-plan targets everything from the plan's first year.
pub fn counting_window(plan: &Plan, period: Period, year: i32) -> (NaiveDate, NaiveDate) {
    let first = match period {
        Period::Year => year,
        Period::Plan => plan.info.first_year,
    };
    (
        NaiveDate::from_ymd_opt(first, 1, 1).expect("valid year"),
        NaiveDate::from_ymd_opt(year, 12, 31).expect("valid year"),
    )
}

/// 序时进度 in percent: the elapsed share of the target's period on `today`, counting `today`
/// as elapsed. For a year already over it is 100; for one not begun, 0.
pub fn pro_rata_percent(plan: &Plan, period: Period, year: i32, today: NaiveDate) -> f64 {
    let (start, end) = match period {
        Period::Year => counting_window(plan, period, year),
        Period::Plan => (
            NaiveDate::from_ymd_opt(plan.info.first_year, 1, 1).expect("valid year"),
            NaiveDate::from_ymd_opt(plan.info.last_year, 12, 31).expect("valid year"),
        ),
    };
    // For a whole-plan target viewed for a past year, progress is due up to that year's end.
    let as_of = today.min(NaiveDate::from_ymd_opt(year, 12, 31).expect("valid year"));
    if as_of < start {
        return 0.0;
    }
    let total = (end - start).num_days() + 1;
    let elapsed = ((as_of - start).num_days() + 1).min(total);
    100.0 * elapsed as f64 / total as f64
}

/// Completion in percent, actual ÷ target (uncapped: 120 % is shown as 120 %).
pub fn completion_percent(actual: i64, target: i64) -> f64 {
    if target <= 0 {
        0.0
    } else {
        100.0 * actual as f64 / target as f64
    }
}

/// The status of a figure. `actual` is `None` for a rate with nothing reported.
pub fn status(aggregation: Aggregation, actual: Option<i64>, target: i64, pro_rata: f64) -> Status {
    let Some(actual) = actual else {
        return match aggregation {
            Aggregation::Latest => Status::NoData,
            Aggregation::Sum => status(aggregation, Some(0), target, pro_rata),
        };
    };
    if actual >= target {
        return Status::Done;
    }
    let completion = completion_percent(actual, target);
    // A rate is measured against its target directly: it has no pro-rata path.
    let expected = match aggregation {
        Aggregation::Sum => pro_rata,
        Aggregation::Latest => 100.0,
    };
    if completion + 1e-9 >= expected {
        Status::OnTrack
    } else if completion + SERIOUS_LAG_POINTS + 1e-9 >= expected {
        Status::Lagging
    } else {
        Status::SeriouslyLagging
    }
}

/// The year shown by default on `today`: the current year, clamped to the plan's years.
pub fn default_year(plan: &Plan, today: NaiveDate) -> i32 {
    today
        .year()
        .clamp(plan.info.first_year, plan.info.last_year)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::{Plan, PlanInfo, Reporting};

    fn plan() -> Plan {
        Plan {
            info: PlanInfo {
                code: "t".into(),
                name: "t".into(),
                document_number: "t".into(),
                issuer: "t".into(),
                issued_on: NaiveDate::from_ymd_opt(2025, 4, 30).unwrap(),
                district_code: "420112".into(),
                district_name: "东西湖区".into(),
                first_year: 2025,
                last_year: 2027,
            },
            reporting: Reporting {
                quarterly_due_working_days: 3,
                annual_due: (12, 5),
                source: String::new(),
            },
            assessment: crate::plan::Assessment::default(),
            units: vec![],
            sections: vec![],
            tasks: vec![],
        }
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn pro_rata_progress_at_the_end_of_june_is_about_half() {
        let p = pro_rata_percent(&plan(), Period::Year, 2025, day(2025, 6, 30));
        assert!((p - 100.0 * 181.0 / 365.0).abs() < 1e-9, "{p}");
    }

    #[test]
    fn pro_rata_progress_of_a_past_year_is_complete_and_of_a_future_year_nothing() {
        assert_eq!(
            pro_rata_percent(&plan(), Period::Year, 2025, day(2026, 11, 26)),
            100.0
        );
        assert_eq!(
            pro_rata_percent(&plan(), Period::Year, 2027, day(2026, 11, 26)),
            0.0
        );
    }

    #[test]
    fn a_whole_plan_target_is_due_pro_rata_over_three_years() {
        let p = pro_rata_percent(&plan(), Period::Plan, 2025, day(2026, 1, 10));
        assert!((p - 100.0 * 365.0 / 1095.0).abs() < 1e-9, "{p}");
    }

    #[test]
    fn statuses_follow_pro_rata_progress() {
        let target = 100_00;
        assert_eq!(
            status(Aggregation::Sum, Some(100_00), target, 50.0),
            Status::Done
        );
        assert_eq!(
            status(Aggregation::Sum, Some(50_00), target, 50.0),
            Status::OnTrack
        );
        assert_eq!(
            status(Aggregation::Sum, Some(40_00), target, 50.0),
            Status::Lagging
        );
        assert_eq!(
            status(Aggregation::Sum, Some(29_00), target, 50.0),
            Status::SeriouslyLagging
        );
        assert_eq!(status(Aggregation::Sum, None, target, 0.0), Status::OnTrack);
    }

    #[test]
    fn a_rate_is_judged_against_its_target_not_the_calendar() {
        assert_eq!(
            status(Aggregation::Latest, None, 90_00, 50.0),
            Status::NoData
        );
        assert_eq!(
            status(Aggregation::Latest, Some(91_00), 90_00, 50.0),
            Status::Done
        );
        assert_eq!(
            status(Aggregation::Latest, Some(85_00), 90_00, 50.0),
            Status::Lagging
        );
        assert_eq!(
            status(Aggregation::Latest, Some(60_00), 90_00, 50.0),
            Status::SeriouslyLagging
        );
    }
}

/// One stored record as far as the figures are concerned, or a tally of several: a unit's
/// records of one indicator on one day or in one month, with their sum as `value` (for a
/// rate, the latest one's value and id), dated on the latest one's day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordFigure {
    pub id: i64,
    pub indicator_code: String,
    pub unit_code: String,
    pub value: i64,
    pub occurred_on: NaiveDate,
    /// How many records it stands for.
    pub records: usize,
}

/// Target, actual and standing of one figure (a unit's quota or the district total).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Figure {
    /// `None` for a unit that contributes to a target it does not hold alone.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<crate::quantity::Quantity>))]
    #[serde(serialize_with = "crate::quantity::serialize_opt_hundredths")]
    pub target: Option<i64>,
    /// `None` for a rate with nothing reported yet.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<crate::quantity::Quantity>))]
    #[serde(serialize_with = "crate::quantity::serialize_opt_hundredths")]
    pub actual: Option<i64>,
    pub records: usize,
    pub completion: Option<f64>,
    pub pro_rata: f64,
    pub status: Option<Status>,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnitFigure {
    pub unit_code: String,
    pub figure: Figure,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndicatorProgress {
    pub task_code: String,
    pub indicator_code: String,
    pub district: Figure,
    pub units: Vec<UnitFigure>,
}

/// The value of a set of records: their sum, or for a rate the most recent one.
pub fn aggregate(aggregation: Aggregation, records: &[&RecordFigure]) -> Option<i64> {
    match aggregation {
        Aggregation::Sum => Some(records.iter().map(|r| r.value).sum()),
        Aggregation::Latest => records
            .iter()
            .max_by_key(|r| (r.occurred_on, r.id))
            .map(|r| r.value),
    }
}

fn figure(
    aggregation: Aggregation,
    target: Option<i64>,
    records: &[&RecordFigure],
    pro_rata: f64,
) -> Figure {
    let actual = aggregate(aggregation, records);
    // A rate with nothing reported has no completion yet, rather than 0 %.
    let completion = match (target, actual, aggregation) {
        (Some(_), None, Aggregation::Latest) | (None, _, _) => None,
        (Some(t), a, _) => Some(completion_percent(a.unwrap_or(0), t)),
    };
    let status = target.map(|t| status(aggregation, actual, t, pro_rata));
    Figure {
        target,
        actual,
        records: records.iter().map(|r| r.records).sum(),
        completion,
        pro_rata,
        status,
    }
}

/// The figures of every indicator for `year` as of `today`, from the non-voided records.
pub fn compute(
    plan: &Plan,
    year: i32,
    today: NaiveDate,
    records: &[RecordFigure],
) -> Vec<IndicatorProgress> {
    let mut result = Vec::new();
    for (task, indicator) in plan.indicators() {
        let (from, to) = counting_window(plan, indicator.period, year);
        let pro_rata = pro_rata_percent(plan, indicator.period, year, today);
        let in_window: Vec<&RecordFigure> = records
            .iter()
            .filter(|r| {
                r.indicator_code == indicator.code && r.occurred_on >= from && r.occurred_on <= to
            })
            .collect();
        let mut unit_codes: Vec<&str> = indicator.recording_units(task);
        // Units with figures beyond those recording the indicator (a registry counting per
        // street, say) follow in the plan's order, whatever order the figures came in.
        let mut others: Vec<(usize, &str)> = in_window
            .iter()
            .map(|r| r.unit_code.as_str())
            .filter(|u| !unit_codes.contains(u))
            .map(|u| {
                (
                    plan.units
                        .iter()
                        .position(|p| p.code == u)
                        .unwrap_or(usize::MAX),
                    u,
                )
            })
            .collect();
        others.sort_unstable();
        others.dedup();
        unit_codes.extend(others.into_iter().map(|(_, u)| u));
        let units = unit_codes
            .into_iter()
            .map(|unit| {
                let mine: Vec<&RecordFigure> = in_window
                    .iter()
                    .copied()
                    .filter(|r| r.unit_code == unit)
                    .collect();
                let target = indicator
                    .quotas
                    .iter()
                    .find(|q| q.unit == unit)
                    .map(|q| q.target);
                UnitFigure {
                    unit_code: unit.to_owned(),
                    figure: figure(indicator.aggregation, target, &mine, pro_rata),
                }
            })
            .collect();
        result.push(IndicatorProgress {
            task_code: task.code.clone(),
            indicator_code: indicator.code.clone(),
            district: figure(
                indicator.aggregation,
                indicator.target,
                &in_window,
                pro_rata,
            ),
            units,
        });
    }
    result
}

/// A unit's overall completion for the chart: the mean of its quotas' completion, each capped
/// at 100 %, or `None` if it holds no quota.
pub fn unit_completion(progress: &[IndicatorProgress], unit_code: &str) -> Option<f64> {
    let completions: Vec<f64> = progress
        .iter()
        .flat_map(|p| p.units.iter())
        .filter(|u| u.unit_code == unit_code)
        .filter_map(|u| u.figure.completion)
        .map(|c| c.min(100.0))
        .collect();
    if completions.is_empty() {
        None
    } else {
        Some(completions.iter().sum::<f64>() / completions.len() as f64)
    }
}

#[cfg(test)]
mod compute_tests {
    use super::*;

    const FILE: &str = include_str!("../../../plans/dongxihu-2025-2027.toml");

    fn record(
        id: i64,
        indicator: &str,
        unit: &str,
        value: i64,
        date: (i32, u32, u32),
    ) -> RecordFigure {
        RecordFigure {
            id,
            indicator_code: indicator.into(),
            unit_code: unit.into(),
            value,
            occurred_on: NaiveDate::from_ymd_opt(date.0, date.1, date.2).unwrap(),
            records: 1,
        }
    }

    #[test]
    fn district_positions_add_up_the_units_and_only_for_the_year() {
        let plan = Plan::parse(FILE).unwrap();
        let records = vec![
            record(1, "1.1.1.positions", "jinghe", 1050_00, (2025, 3, 1)),
            record(2, "1.1.1.positions", "changqing", 300_00, (2025, 5, 1)),
            record(3, "1.1.1.positions", "jinghe", 500_00, (2026, 2, 1)),
        ];
        let today = NaiveDate::from_ymd_opt(2025, 7, 2).unwrap();
        let progress = compute(&plan, 2025, today, &records);
        let positions = progress
            .iter()
            .find(|p| p.indicator_code == "1.1.1.positions")
            .unwrap();
        assert_eq!(positions.district.actual, Some(1350_00));
        assert_eq!(positions.district.target, Some(30000_00));
        let jinghe = positions
            .units
            .iter()
            .find(|u| u.unit_code == "jinghe")
            .unwrap();
        assert_eq!(jinghe.figure.actual, Some(1050_00));
        assert_eq!(jinghe.figure.completion, Some(50.0));
        // Half the quota done on 2 July, a hair past half the year: just lagging.
        assert_eq!(jinghe.figure.status, Some(Status::Lagging));
        assert_eq!(positions.units.len(), 18);
    }

    #[test]
    fn an_activity_indicator_counts_what_was_done_with_no_completion_or_status() {
        let mut plan = Plan::parse(FILE).unwrap();
        let task = plan.tasks.iter_mut().find(|t| t.code == "2.1.2").unwrap();
        let indicator = &mut task.indicators[0];
        indicator.comparator = crate::plan::Comparator::Activity;
        indicator.target = None;
        indicator.quotas.clear();
        let records = vec![
            record(1, "2.1.2.projects", "swj", 3_00, (2025, 3, 1)),
            record(2, "2.1.2.projects", "jkj", 2_00, (2025, 5, 1)),
        ];
        let today = NaiveDate::from_ymd_opt(2025, 7, 2).unwrap();
        let progress = compute(&plan, 2025, today, &records);
        let projects = progress
            .iter()
            .find(|p| p.indicator_code == "2.1.2.projects")
            .unwrap();
        assert_eq!(projects.district.actual, Some(5_00));
        assert_eq!(projects.district.target, None);
        assert_eq!(projects.district.completion, None);
        assert_eq!(projects.district.status, None);
        assert!(projects.units.iter().all(|u| u.figure.status.is_none()));
    }

    #[test]
    fn a_rate_takes_its_latest_value() {
        let plan = Plan::parse(FILE).unwrap();
        let records = vec![
            record(1, "1.1.4.placement_rate", "rsj", 80_00, (2025, 6, 1)),
            record(2, "1.1.4.placement_rate", "rsj", 92_00, (2025, 9, 1)),
        ];
        let progress = compute(
            &plan,
            2025,
            NaiveDate::from_ymd_opt(2025, 12, 1).unwrap(),
            &records,
        );
        let rate = progress
            .iter()
            .find(|p| p.indicator_code == "1.1.4.placement_rate")
            .unwrap();
        assert_eq!(rate.district.actual, Some(92_00));
        assert_eq!(rate.district.status, Some(Status::Done));
    }

    #[test]
    fn unit_completion_caps_each_quota_at_100_percent() {
        let plan = Plan::parse(FILE).unwrap();
        let records = vec![record(
            1,
            "2.2.1.guidance",
            "changqing",
            130_00,
            (2025, 3, 1),
        )];
        let progress = compute(
            &plan,
            2025,
            NaiveDate::from_ymd_opt(2025, 12, 1).unwrap(),
            &records,
        );
        // 长青 holds quotas for positions (0 %), guidance (200 % → 100 %) and per-street events.
        let held = progress
            .iter()
            .flat_map(|p| &p.units)
            .filter(|u| u.unit_code == "changqing" && u.figure.target.is_some())
            .count();
        let expected = 100.0 / held as f64;
        assert!((unit_completion(&progress, "changqing").unwrap() - expected).abs() < 1e-9);
    }
}
