//! Whether each unit reported on time: the deadline a report is measured against, its
//! timeliness, the reporting rate of a group of units (DHIS2's "reporting rate" and
//! "reporting rate on time") and the units overdue. The reports page, the dashboard's overdue
//! list, the API and the consolidated report all ask here.

use chrono::NaiveDate;

use super::{ReportPeriod, ReportStatus, Timeliness};
use crate::calendar::WorkCalendar;
use crate::plan::{Plan, Unit};

/// A unit's report as the deadline rules see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Submission {
    pub status: ReportStatus,
    /// The deadline the first submission was measured against, kept so that a later edit of
    /// the calendar does not change whether it was on time.
    pub due_on: Option<NaiveDate>,
    /// The Wuhan date of the first submission (a resubmission after a return keeps it).
    pub first_submitted_on: Option<NaiveDate>,
}

/// A report's deadline and how it stands against it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Standing {
    pub due: NaiveDate,
    pub timeliness: Timeliness,
}

/// Where one unit's report of `period` stands on `today`.
pub fn standing(
    plan: &Plan,
    calendar: &WorkCalendar,
    period: ReportPeriod,
    submission: Option<&Submission>,
    today: NaiveDate,
) -> Standing {
    let due = submission
        .and_then(|s| s.due_on)
        .unwrap_or_else(|| period.due(plan, calendar));
    // Drafts and returned reports are not (yet) submitted; a resubmitted one keeps its first date.
    let submitted_on = submission
        .filter(|s| s.status.is_submitted())
        .and_then(|s| s.first_submitted_on);
    Standing {
        due,
        timeliness: Timeliness::of(due, submitted_on, today, calendar),
    }
}

/// A unit's earliest report that is open for submission and not yet submitted, over the
/// plan's years; `submission_of(period)` gives what the unit has handed in.
pub fn next_report(
    plan: &Plan,
    calendar: &WorkCalendar,
    today: NaiveDate,
    submission_of: impl Fn(ReportPeriod) -> Option<Submission>,
) -> Option<(ReportPeriod, Standing)> {
    plan.years()
        .flat_map(ReportPeriod::of_year)
        .filter(|period| period.opens_on(plan) <= today)
        .find_map(|period| {
            let submission = submission_of(period);
            let submitted = submission.is_some_and(|s| s.status.is_submitted());
            (!submitted).then(|| {
                let standing = standing(plan, calendar, period, submission.as_ref(), today);
                (period, standing)
            })
        })
}

/// The reporting rate of a group of units for one period, counting only the reports already
/// due (or already in).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReportingRate {
    /// Reports due by now, or submitted before their deadline.
    pub expected: usize,
    /// Of those, submitted (on time or late).
    pub reported: usize,
    pub on_time: usize,
}

impl ReportingRate {
    /// The share of expected reports that came in on time, in percent; `None` while none is due.
    pub fn on_time_percent(&self) -> Option<f64> {
        (self.expected > 0).then(|| 100.0 * self.on_time as f64 / self.expected as f64)
    }
}

impl FromIterator<Timeliness> for ReportingRate {
    fn from_iter<I: IntoIterator<Item = Timeliness>>(items: I) -> ReportingRate {
        let mut rate = ReportingRate::default();
        for timeliness in items {
            match timeliness {
                Timeliness::NotDue => continue,
                Timeliness::OnTime => {
                    rate.reported += 1;
                    rate.on_time += 1;
                }
                Timeliness::Late { .. } => rate.reported += 1,
                Timeliness::Missing => {}
            }
            rate.expected += 1;
        }
        rate
    }
}

/// Every unit's standing for every report of a year (four quarters, then the annual report).
#[derive(Debug, Clone)]
pub struct YearStandings<'p> {
    pub periods: [ReportPeriod; 5],
    pub units: Vec<(&'p Unit, [Standing; 5])>,
}

impl<'p> YearStandings<'p> {
    /// The standings of `year` on `today`, for every unit of the plan in the plan's order;
    /// `submission_of(unit, period)` gives what the unit has handed in.
    pub fn new(
        plan: &'p Plan,
        calendar: &WorkCalendar,
        year: i32,
        today: NaiveDate,
        submission_of: impl Fn(&str, ReportPeriod) -> Option<Submission>,
    ) -> YearStandings<'p> {
        let periods = ReportPeriod::of_year(year);
        let units = plan
            .units
            .iter()
            .map(|unit| {
                let of = |period| {
                    let submission = submission_of(&unit.code, period);
                    standing(plan, calendar, period, submission.as_ref(), today)
                };
                (unit, periods.map(of))
            })
            .collect();
        YearStandings { periods, units }
    }

    /// The standings of one unit, by period.
    pub fn of_unit(&self, code: &str) -> Option<&[Standing; 5]> {
        self.units
            .iter()
            .find(|(unit, _)| unit.code == code)
            .map(|(_, standings)| standings)
    }

    /// The reporting rate in period number `period` (0–4) of the units `include` picks.
    pub fn rate(&self, period: usize, include: impl Fn(&Unit) -> bool) -> ReportingRate {
        self.units
            .iter()
            .filter(|(unit, _)| include(unit))
            .map(|(_, standings)| standings[period].timeliness)
            .collect()
    }

    /// For each period with any, the units whose deadline has passed without a submission.
    pub fn overdue(&self) -> Vec<(ReportPeriod, Vec<&'p Unit>)> {
        self.periods
            .iter()
            .enumerate()
            .filter_map(|(i, period)| {
                let missing: Vec<&Unit> = self
                    .units
                    .iter()
                    .filter(|(_, standings)| standings[i].timeliness == Timeliness::Missing)
                    .map(|(unit, _)| *unit)
                    .collect();
                (!missing.is_empty()).then_some((*period, missing))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::WorkCalendar;

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, m, d).unwrap()
    }

    fn plan() -> Plan {
        crate::plan::dongxihu()
    }

    fn calendar() -> WorkCalendar {
        WorkCalendar::parse(include_str!("../../../../calendar/cn-workdays.toml")).unwrap()
    }

    const Q3: ReportPeriod = ReportPeriod::Quarter {
        year: 2025,
        quarter: 3,
    };

    fn submitted(on: NaiveDate) -> Submission {
        Submission {
            status: ReportStatus::Submitted,
            due_on: None,
            first_submitted_on: Some(on),
        }
    }

    #[test]
    fn q3_2025_is_due_on_saturday_11_october_and_a_report_that_day_is_on_time() {
        let s = standing(
            &plan(),
            &calendar(),
            Q3,
            Some(&submitted(day(10, 11))),
            day(12, 1),
        );
        assert_eq!(s.due, day(10, 11));
        assert_eq!(s.timeliness, Timeliness::OnTime);
    }

    #[test]
    fn a_report_after_the_deadline_is_late_by_working_days() {
        // Sat 11 Oct is the deadline; Tue 14 Oct is two working days after it.
        let s = standing(
            &plan(),
            &calendar(),
            Q3,
            Some(&submitted(day(10, 14))),
            day(12, 1),
        );
        assert_eq!(s.timeliness, Timeliness::Late { working_days: 2 });
    }

    #[test]
    fn a_draft_is_missing_once_the_deadline_passes_and_not_due_before() {
        let draft = Submission {
            status: ReportStatus::Draft,
            due_on: None,
            first_submitted_on: None,
        };
        let before = standing(&plan(), &calendar(), Q3, Some(&draft), day(10, 11));
        let after = standing(&plan(), &calendar(), Q3, Some(&draft), day(10, 12));
        assert_eq!(before.timeliness, Timeliness::NotDue);
        assert_eq!(after.timeliness, Timeliness::Missing);
        assert_eq!(
            standing(&plan(), &calendar(), Q3, None, day(10, 12)).timeliness,
            Timeliness::Missing
        );
    }

    #[test]
    fn a_returned_report_counts_as_not_submitted_until_resubmitted() {
        let returned = Submission {
            status: ReportStatus::Returned,
            due_on: Some(day(10, 11)),
            first_submitted_on: Some(day(10, 9)),
        };
        let s = standing(&plan(), &calendar(), Q3, Some(&returned), day(10, 20));
        assert_eq!(s.timeliness, Timeliness::Missing);
        let resubmitted = Submission {
            status: ReportStatus::Submitted,
            ..returned
        };
        let s = standing(&plan(), &calendar(), Q3, Some(&resubmitted), day(10, 20));
        assert_eq!(
            s.timeliness,
            Timeliness::OnTime,
            "keeps its first submission date"
        );
    }

    #[test]
    fn a_submitted_report_keeps_the_deadline_it_was_submitted_against() {
        let kept = Submission {
            due_on: Some(day(10, 9)),
            ..submitted(day(10, 10))
        };
        let s = standing(&plan(), &calendar(), Q3, Some(&kept), day(12, 1));
        assert_eq!(s.due, day(10, 9));
        assert_eq!(s.timeliness, Timeliness::Late { working_days: 1 });
    }

    #[test]
    fn the_reporting_rate_counts_only_reports_already_due() {
        let rate: ReportingRate = [
            Timeliness::OnTime,
            Timeliness::Late { working_days: 3 },
            Timeliness::Missing,
            Timeliness::NotDue,
        ]
        .into_iter()
        .collect();
        assert_eq!(
            rate,
            ReportingRate {
                expected: 3,
                reported: 2,
                on_time: 1
            }
        );
        let percent = rate.on_time_percent().unwrap();
        assert!((percent - 100.0 / 3.0).abs() < 1e-9);
        let nothing_due: ReportingRate = [Timeliness::NotDue].into_iter().collect();
        assert_eq!(nothing_due.on_time_percent(), None);
    }

    #[test]
    fn the_next_report_is_the_earliest_open_one_not_yet_submitted() {
        let plan = plan();
        let calendar = calendar();
        // On 20 Oct 2025 Q1–Q3 are open; Q1 and Q2 are in, a returned Q3 is next.
        let next = next_report(&plan, &calendar, day(10, 20), |period| match period {
            ReportPeriod::Quarter { quarter: 1 | 2, .. } => Some(submitted(day(7, 3))),
            ReportPeriod::Quarter { quarter: 3, .. } => Some(Submission {
                status: ReportStatus::Returned,
                ..submitted(day(10, 10))
            }),
            _ => None,
        });
        let (period, standing) = next.unwrap();
        assert_eq!(period, Q3);
        assert_eq!(standing.timeliness, Timeliness::Missing);
        // Before Q1 2025 ends nothing is open yet.
        assert_eq!(next_report(&plan, &calendar, day(3, 31), |_| None), None);
    }

    #[test]
    fn units_that_missed_the_deadline_are_listed_as_overdue_by_period() {
        let plan = plan();
        let calendar = calendar();
        // On 20 Oct 2025: Q1–Q3 are past their deadlines; only 径河街道 reported Q3.
        let year = YearStandings::new(&plan, &calendar, 2025, day(10, 20), |unit, period| {
            (unit == "jinghe" && period == Q3).then(|| submitted(day(10, 10)))
        });
        let overdue = year.overdue();
        assert_eq!(
            overdue.iter().map(|(p, _)| p.code()).collect::<Vec<_>>(),
            ["2025Q1", "2025Q2", "2025Q3"]
        );
        let q3 = &overdue[2].1;
        assert_eq!(q3.len(), plan.units.len() - 1);
        assert!(q3.iter().all(|u| u.code != "jinghe"));
        let rate = year.rate(2, |_| true);
        assert_eq!(
            (rate.expected, rate.reported, rate.on_time),
            (plan.units.len(), 1, 1)
        );
        assert_eq!(
            year.rate(4, |_| true).expected,
            0,
            "the annual report is not due yet"
        );
    }
}
