//! The reporting cycle (东政办〔2025〕3号 三、保障措施（二）): a quarterly report from every unit
//! within a set number of working days after the quarter, and an annual report by a set date.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use thiserror::Error;

use crate::calendar::WorkCalendar;
use crate::plan::{Aggregation, Period, Plan};
use crate::progress::{RecordFigure, aggregate, completion_percent, pro_rata_percent};

mod district;
mod narrative;
mod standing;
mod workflow;

pub use district::{DistrictReport, HandedIn, district_remark, district_report};
pub use narrative::{MAX_COMMENT_CHARS, MAX_NARRATIVE_CHARS, Narrative, review_comment};
pub use standing::{ReportingRate, Standing, Submission, YearStandings, next_report, standing};
pub use workflow::{ReportStatus, Review, Save, history_label};

/// What a report covers: one quarter, or a whole year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum ReportPeriod {
    Quarter { year: i32, quarter: u32 },
    Annual { year: i32 },
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PeriodError {
    #[error("报告期“{0}”格式有误，应写作 2025Q3（季度）或 2025（年度）")]
    Malformed(String),
    #[error("季度须为 1 至 4（收到“{0}”）")]
    NoSuchQuarter(String),
    #[error("报告期“{0}”不在方案期 {1}—{2} 年内")]
    OutsidePlan(String, i32, i32),
}

const QUARTER_NAMES: [&str; 4] = ["一", "二", "三", "四"];

impl ReportPeriod {
    /// `2025Q3` (or `2025q3`) is a quarter, `2025` a year; both within the plan's years.
    pub fn parse(text: &str, plan: &Plan) -> Result<ReportPeriod, PeriodError> {
        let text = text.trim();
        let malformed = || PeriodError::Malformed(text.to_owned());
        let (year_text, quarter_text) = match text.split_once(['Q', 'q']) {
            Some((y, q)) => (y, Some(q)),
            None => (text, None),
        };
        if year_text.len() != 4 || !year_text.chars().all(|c| c.is_ascii_digit()) {
            return Err(malformed());
        }
        let year: i32 = year_text.parse().map_err(|_| malformed())?;
        let period = match quarter_text {
            None => ReportPeriod::Annual { year },
            Some(q) => match q.parse::<u32>() {
                Ok(quarter @ 1..=4) if q.len() == 1 => ReportPeriod::Quarter { year, quarter },
                Ok(_) => return Err(PeriodError::NoSuchQuarter(text.to_owned())),
                Err(_) => return Err(malformed()),
            },
        };
        if !plan.years().contains(&year) {
            return Err(PeriodError::OutsidePlan(
                text.to_owned(),
                plan.info.first_year,
                plan.info.last_year,
            ));
        }
        Ok(period)
    }

    /// Every report of a year: the four quarters, then the annual report.
    pub fn of_year(year: i32) -> [ReportPeriod; 5] {
        [
            ReportPeriod::Quarter { year, quarter: 1 },
            ReportPeriod::Quarter { year, quarter: 2 },
            ReportPeriod::Quarter { year, quarter: 3 },
            ReportPeriod::Quarter { year, quarter: 4 },
            ReportPeriod::Annual { year },
        ]
    }

    pub fn year(self) -> i32 {
        match self {
            ReportPeriod::Quarter { year, .. } | ReportPeriod::Annual { year } => year,
        }
    }

    pub fn code(self) -> String {
        match self {
            ReportPeriod::Quarter { year, quarter } => format!("{year}Q{quarter}"),
            ReportPeriod::Annual { year } => format!("{year}"),
        }
    }

    pub fn label(self) -> String {
        match self {
            ReportPeriod::Quarter { year, quarter } => {
                format!("{year}年第{}季度", QUARTER_NAMES[(quarter - 1) as usize])
            }
            ReportPeriod::Annual { year } => format!("{year}年度"),
        }
    }

    /// First and last day covered.
    pub fn range(self) -> (NaiveDate, NaiveDate) {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).expect("valid date");
        match self {
            ReportPeriod::Quarter { year, quarter } => {
                let first_month = 3 * (quarter - 1) + 1;
                let end = if quarter == 4 {
                    day(year, 12, 31)
                } else {
                    day(year, first_month + 3, 1).pred_opt().expect("valid")
                };
                (day(year, first_month, 1), end)
            }
            ReportPeriod::Annual { year } => (day(year, 1, 1), day(year, 12, 31)),
        }
    }

    /// The first day the report can be submitted: the day after the quarter, or for the annual
    /// report a month before its deadline (it is due before the year is over).
    pub fn opens_on(self, plan: &Plan) -> NaiveDate {
        match self {
            ReportPeriod::Quarter { .. } => self.range().1 + chrono::Duration::days(1),
            ReportPeriod::Annual { year } => {
                let (month, day) = plan.reporting.annual_due;
                let due =
                    NaiveDate::from_ymd_opt(year, month, day).unwrap_or_else(|| self.range().1);
                due - chrono::Duration::days(30)
            }
        }
    }

    /// The deadline: the n-th working day after the quarter (n from the plan), or the plan's
    /// annual date in the year itself.
    pub fn due(self, plan: &Plan, calendar: &WorkCalendar) -> NaiveDate {
        match self {
            ReportPeriod::Quarter { .. } => {
                calendar.add_working_days(self.range().1, plan.reporting.quarterly_due_working_days)
            }
            ReportPeriod::Annual { year } => {
                let (month, day) = plan.reporting.annual_due;
                NaiveDate::from_ymd_opt(year, month, day).unwrap_or_else(|| self.range().1)
            }
        }
    }
}

/// Whether a report came in on time (DHIS2's reporting-rate categories).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Timeliness {
    /// Not submitted, and the deadline has not passed.
    NotDue,
    OnTime,
    /// Submitted after the deadline, by this many working days.
    Late {
        working_days: u32,
    },
    /// Not submitted, and the deadline has passed.
    Missing,
}

impl Timeliness {
    pub fn of(
        due: NaiveDate,
        submitted_on: Option<NaiveDate>,
        today: NaiveDate,
        calendar: &WorkCalendar,
    ) -> Timeliness {
        match submitted_on {
            Some(day) if day <= due => Timeliness::OnTime,
            // Submitting on a weekend after the deadline is still at least one day late.
            Some(day) => Timeliness::Late {
                working_days: calendar.working_days_between(due, day).max(1),
            },
            None if today <= due => Timeliness::NotDue,
            None => Timeliness::Missing,
        }
    }

    pub fn label(self) -> String {
        match self {
            Timeliness::NotDue => "未到期".into(),
            Timeliness::OnTime => "按时报送".into(),
            Timeliness::Late { working_days } => format!("逾期 {working_days} 个工作日"),
            Timeliness::Missing => "逾期未报".into(),
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Timeliness::NotDue => "not_due",
            Timeliness::OnTime => "on_time",
            Timeliness::Late { .. } => "late",
            Timeliness::Missing => "missing",
        }
    }
}

/// One line of a unit's report: a quota (or a lead unit's district indicator) with its figures.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct ReportLine {
    pub task_code: String,
    pub indicator_code: String,
    pub indicator_name: String,
    pub measure: String,
    /// The unit's target for the year, in hundredths; `None` where it holds no quota of its own.
    pub target: Option<i64>,
    /// Done within the report's period.
    pub period_actual: Option<i64>,
    /// Done from the start of the counting window to the period's end.
    pub to_date_actual: Option<i64>,
    pub completion: Option<f64>,
    pub pro_rata: f64,
}

/// The figures of `unit`'s report for `period`, from the (non-voided) records.
pub fn report_lines(
    plan: &Plan,
    unit: &str,
    period: ReportPeriod,
    records: &[RecordFigure],
) -> Vec<ReportLine> {
    let (from, to) = period.range();
    let mut lines = Vec::new();
    for (task, indicator) in plan.indicators() {
        if !indicator.recording_units(task).contains(&unit) {
            continue;
        }
        let window_start = match indicator.period {
            Period::Year => NaiveDate::from_ymd_opt(period.year(), 1, 1).unwrap_or(from),
            Period::Plan => NaiveDate::from_ymd_opt(plan.info.first_year, 1, 1).unwrap_or(from),
        };
        let mine = |start: NaiveDate| -> Vec<&RecordFigure> {
            records
                .iter()
                .filter(|r| {
                    r.indicator_code == indicator.code
                        && r.unit_code == unit
                        && r.occurred_on >= start
                        && r.occurred_on <= to
                })
                .collect()
        };
        let in_period = mine(from);
        let to_date = mine(window_start);
        let target = indicator
            .quotas
            .iter()
            .find(|q| q.unit == unit)
            .map(|q| q.target)
            .or_else(|| {
                // A lead unit holding a district indicator answers for the district target.
                indicator
                    .quotas
                    .is_empty()
                    .then_some(indicator.target)
                    .flatten()
            });
        let to_date_actual = aggregate(indicator.aggregation, &to_date);
        let completion = match (target, to_date_actual, indicator.aggregation) {
            (Some(_), None, Aggregation::Latest) | (None, _, _) => None,
            (Some(t), actual, _) => Some(completion_percent(actual.unwrap_or(0), t)),
        };
        lines.push(ReportLine {
            task_code: task.code.clone(),
            indicator_code: indicator.code.clone(),
            indicator_name: indicator.name.clone(),
            measure: indicator.measure.clone(),
            target,
            period_actual: aggregate(indicator.aggregation, &in_period),
            to_date_actual,
            completion,
            pro_rata: pro_rata_percent(plan, indicator.period, period.year(), to),
        });
    }
    lines
}

/// The local date of `day`'s weekday, in Chinese, for deadlines ("星期六").
pub fn weekday_name(day: NaiveDate) -> &'static str {
    [
        "星期一",
        "星期二",
        "星期三",
        "星期四",
        "星期五",
        "星期六",
        "星期日",
    ][day.weekday().num_days_from_monday() as usize]
}

/// A deadline as people read it: the date, its weekday, and a warning when the State Council
/// notice for that year is not in the calendar yet (then working days are counted Monday–Friday).
pub fn due_label(due: NaiveDate, calendar: &WorkCalendar) -> String {
    let estimate = if calendar.has_data(due.year()) {
        ""
    } else {
        "（该年节假日安排尚未录入，按周一至周五估算）"
    };
    format!(
        "{}（{}）{estimate}",
        due.format("%Y年%-m月%-d日"),
        weekday_name(due)
    )
}

/// One row of the district's consolidated report: the district total of an indicator
/// (`unit_code` is `None`) or one unit's share of it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConsolidatedRow {
    pub indicator_code: String,
    pub indicator_name: String,
    pub measure: String,
    pub unit_code: Option<String>,
    pub unit_name: String,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<crate::quantity::Quantity>))]
    #[serde(serialize_with = "crate::quantity::serialize_opt_hundredths")]
    pub target: Option<i64>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<crate::quantity::Quantity>))]
    #[serde(serialize_with = "crate::quantity::serialize_opt_hundredths")]
    pub period_actual: Option<i64>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<crate::quantity::Quantity>))]
    #[serde(serialize_with = "crate::quantity::serialize_opt_hundredths")]
    pub to_date_actual: Option<i64>,
    pub completion: Option<f64>,
    pub pro_rata: f64,
    pub remark: String,
}

/// The rows of one task in the consolidated report, under a merged task header.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConsolidatedTask {
    pub task_code: String,
    pub task_name: String,
    pub rows: Vec<ConsolidatedRow>,
}

/// A unit's contribution: its report lines (as submitted, or live when not submitted) and the
/// remark the report shows for it (timeliness, or that it has not reported).
pub struct UnitContribution<'a> {
    pub unit_code: &'a str,
    pub lines: &'a [ReportLine],
    pub remark: String,
}

/// Each contributing unit's row for `indicator`, in the order of `units`; a unit whose report
/// has no line for it has no row.
fn unit_rows(
    plan: &Plan,
    indicator: &crate::plan::Indicator,
    units: &[UnitContribution],
) -> Vec<ConsolidatedRow> {
    let mut unit_rows = Vec::new();
    for contribution in units {
        let Some(line) = contribution
            .lines
            .iter()
            .find(|l| l.indicator_code == indicator.code)
        else {
            continue;
        };
        unit_rows.push(ConsolidatedRow {
            indicator_code: indicator.code.clone(),
            indicator_name: indicator.name.clone(),
            measure: indicator.measure.clone(),
            unit_code: Some(contribution.unit_code.to_owned()),
            unit_name: plan
                .unit(contribution.unit_code)
                .map_or(contribution.unit_code.to_owned(), |u| u.name.clone()),
            // Without quotas the target is the district's, shown once on the district row.
            target: if indicator.quotas.is_empty() {
                None
            } else {
                line.target
            },
            period_actual: line.period_actual,
            to_date_actual: line.to_date_actual,
            completion: if indicator.quotas.is_empty() {
                None
            } else {
                line.completion
            },
            pro_rata: line.pro_rata,
            remark: contribution.remark.clone(),
        });
    }
    unit_rows
}

/// The district's row for `indicator`: the units' figures added up (a rate: the highest),
/// against the district target.
fn district_row(
    plan: &Plan,
    period: ReportPeriod,
    indicator: &crate::plan::Indicator,
    unit_rows: &[ConsolidatedRow],
) -> ConsolidatedRow {
    let (_, end) = period.range();
    let combine = |pick: fn(&ConsolidatedRow) -> Option<i64>| -> Option<i64> {
        let values: Vec<i64> = unit_rows.iter().filter_map(pick).collect();
        match indicator.aggregation {
            _ if values.is_empty() => None,
            Aggregation::Sum => Some(values.iter().sum()),
            // A rate reported by more than one lead unit: the district takes the highest.
            Aggregation::Latest => values.iter().max().copied(),
        }
    };
    let to_date = combine(|r| r.to_date_actual);
    let completion = match (to_date, indicator.aggregation, indicator.target) {
        (None, Aggregation::Latest, _) | (_, _, None) => None,
        (actual, _, Some(target)) => Some(completion_percent(actual.unwrap_or(0), target)),
    };
    ConsolidatedRow {
        indicator_code: indicator.code.clone(),
        indicator_name: indicator.name.clone(),
        measure: indicator.measure.clone(),
        unit_code: None,
        unit_name: "全区合计".into(),
        target: indicator.target,
        period_actual: combine(|r| r.period_actual),
        to_date_actual: to_date,
        completion,
        pro_rata: pro_rata_percent(plan, indicator.period, period.year(), end),
        remark: indicator.choice.clone().unwrap_or_default(),
    }
}

/// The district report of `period`: for each indicator a district total and each unit's line.
pub fn consolidate(
    plan: &Plan,
    period: ReportPeriod,
    units: &[UnitContribution],
) -> Vec<ConsolidatedTask> {
    let mut tasks = Vec::new();
    for task in &plan.tasks {
        let mut rows = Vec::new();
        for indicator in &task.indicators {
            let unit_rows = unit_rows(plan, indicator, units);
            rows.push(district_row(plan, period, indicator, &unit_rows));
            rows.extend(unit_rows);
        }
        if !rows.is_empty() {
            tasks.push(ConsolidatedTask {
                task_code: task.code.clone(),
                task_name: task.name.clone(),
                rows,
            });
        }
    }
    tasks
}

#[cfg(test)]
mod tests {
    use super::*;

    const PLAN: &str = include_str!("../../../plans/dongxihu-2025-2027.toml");
    const CALENDAR: &str = include_str!("../../../calendar/cn-workdays.toml");

    fn plan() -> Plan {
        Plan::parse(PLAN).unwrap()
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn periods_parse_and_bad_ones_say_why() {
        let plan = plan();
        assert_eq!(
            ReportPeriod::parse("2025Q3", &plan).unwrap(),
            ReportPeriod::Quarter {
                year: 2025,
                quarter: 3
            }
        );
        assert_eq!(
            ReportPeriod::parse("2026", &plan).unwrap(),
            ReportPeriod::Annual { year: 2026 }
        );
        assert_eq!(
            ReportPeriod::parse("2025Q5", &plan).unwrap_err(),
            PeriodError::NoSuchQuarter("2025Q5".into())
        );
        assert_eq!(
            ReportPeriod::parse("2025Q0", &plan).unwrap_err(),
            PeriodError::NoSuchQuarter("2025Q0".into())
        );
        assert!(matches!(
            ReportPeriod::parse("25Q1", &plan),
            Err(PeriodError::Malformed(_))
        ));
        assert!(matches!(
            ReportPeriod::parse("2030Q1", &plan),
            Err(PeriodError::OutsidePlan(..))
        ));
        assert_eq!(
            ReportPeriod::parse("2025Q5", &plan)
                .unwrap_err()
                .to_string(),
            "季度须为 1 至 4（收到“2025Q5”）"
        );
    }

    #[test]
    fn annual_reports_are_due_on_5_december() {
        let (plan, calendar) = (plan(), WorkCalendar::parse(CALENDAR).unwrap());
        assert_eq!(
            ReportPeriod::Annual { year: 2025 }.due(&plan, &calendar),
            day(2025, 12, 5)
        );
        assert_eq!(
            ReportPeriod::Annual { year: 2026 }.due(&plan, &calendar),
            day(2026, 12, 5)
        );
    }

    #[test]
    fn every_2025_and_2026_quarterly_deadline() {
        let (plan, calendar) = (plan(), WorkCalendar::parse(CALENDAR).unwrap());
        let due: Vec<NaiveDate> = [2025, 2026]
            .into_iter()
            .flat_map(|y| {
                (1..=4).map(move |q| ReportPeriod::Quarter {
                    year: y,
                    quarter: q,
                })
            })
            .map(|p| p.due(&plan, &calendar))
            .collect();
        assert_eq!(
            due,
            [
                day(2025, 4, 3),
                day(2025, 7, 3),
                day(2025, 10, 11),
                day(2026, 1, 6),
                day(2026, 4, 3),
                day(2026, 7, 3),
                day(2026, 10, 10),
                day(2027, 1, 5),
            ]
        );
    }

    #[test]
    fn timeliness_follows_the_deadline_in_working_days() {
        let calendar = WorkCalendar::parse(CALENDAR).unwrap();
        let due = day(2025, 10, 11);
        assert_eq!(
            Timeliness::of(due, Some(day(2025, 10, 11)), day(2025, 10, 20), &calendar),
            Timeliness::OnTime
        );
        assert_eq!(
            Timeliness::of(due, Some(day(2025, 10, 14)), day(2025, 10, 20), &calendar),
            Timeliness::Late { working_days: 2 }
        );
        assert_eq!(
            Timeliness::of(due, Some(day(2025, 10, 12)), day(2025, 10, 20), &calendar),
            Timeliness::Late { working_days: 1 }
        );
        assert_eq!(
            Timeliness::of(due, None, day(2025, 10, 11), &calendar),
            Timeliness::NotDue
        );
        assert_eq!(
            Timeliness::of(due, None, day(2025, 10, 12), &calendar),
            Timeliness::Missing
        );
    }

    #[test]
    fn a_report_shows_the_quarter_and_the_year_to_date() {
        let plan = plan();
        let record = |id, value, (y, m, d)| RecordFigure {
            id,
            indicator_code: "1.1.1.positions".into(),
            unit_code: "jinghe".into(),
            value,
            occurred_on: day(y, m, d),
            records: 1,
        };
        let records = [
            record(1, 300_00, (2025, 5, 1)),
            record(2, 750_00, (2025, 8, 1)),
            record(3, 99_00, (2025, 10, 1)),
        ];
        let lines = report_lines(
            &plan,
            "jinghe",
            ReportPeriod::Quarter {
                year: 2025,
                quarter: 3,
            },
            &records,
        );
        let positions = lines
            .iter()
            .find(|l| l.indicator_code == "1.1.1.positions")
            .unwrap();
        assert_eq!(positions.period_actual, Some(750_00));
        assert_eq!(positions.to_date_actual, Some(1050_00));
        assert_eq!(positions.target, Some(2100_00));
        assert_eq!(positions.completion, Some(50.0));
        assert!((positions.pro_rata - 100.0 * 273.0 / 365.0).abs() < 1e-9);
    }
}
