//! Figures that registries fill by themselves (plan `registry = "…"`): positions of published
//! job posts per raising unit, the emerging share, events held per organiser (of one kind, or
//! 2.5.1's promotion events, or those of them held in a coastal region), lecture attendance
//! and Malanhua trainees per organiser, the placement rate per street, projects screened into
//! the project library per source unit, expert services and window visits per unit, failure-support steps done per responsible unit, businesses
//! moving into carriers per street, carriers recognised as municipal per counting unit, and projects and showcase
//! cases recommended per recommending unit, contest entries registered and landed per organiser.
//! They flow into the dashboard, the reports and the assessment exactly like manual records,
//! read from the tallies (`figures.rs`); `registry_rows.rs` counts the same from the rows.

use chrono::{Datelike, NaiveDate};
use linkong_core::carriers::applications::ApplicationKind;
use linkong_core::people::Festival;
use linkong_core::plan::{Aggregation, Indicator, Plan};
use linkong_core::progress::RecordFigure;
use linkong_core::registry::Registry;
use linkong_core::time::local_date;
use std::collections::BTreeMap;

use crate::figures::{Kind, Tally};
use crate::graduates::PlacementRate;
use crate::{Result, Store};

/// The kind of application whose approvals a recognition registry counts.
pub(crate) fn recognition_kind(registry: Registry) -> ApplicationKind {
    if registry == Registry::ReturneeParks {
        ApplicationKind::ReturneePark
    } else {
        ApplicationKind::IncubationBase
    }
}

/// A tally as a figure of `indicator`: the sum of its figures, or for an indicator that takes
/// the latest value, its latest figure.
pub(crate) fn tally_figure(tally: &Tally, indicator: &Indicator) -> RecordFigure {
    let latest = indicator.aggregation == Aggregation::Latest;
    RecordFigure {
        id: tally.latest_id,
        indicator_code: indicator.code.clone(),
        unit_code: tally.unit_code.clone(),
        value: if latest {
            tally.latest_value
        } else {
            tally.total
        },
        occurred_on: tally.last_day,
        records: usize::try_from(tally.records).unwrap_or_default(),
    }
}

/// One figure per year: the share of that year's positions so far, dated on its latest
/// publication, held by the task's lead unit; in hundredths of a percent point, half up.
fn emerging_shares(tallies: &[Tally], indicator: &Indicator, lead: &str) -> Vec<RecordFigure> {
    let mut years: BTreeMap<i32, (i64, i64, NaiveDate)> = BTreeMap::new();
    for t in tallies {
        let emerging = t.kind == Kind::Emerging.code();
        if !emerging && t.kind != Kind::Posts.code() {
            continue;
        }
        let year = years.entry(t.last_day.year()).or_insert((0, 0, t.last_day));
        if emerging {
            year.1 += t.total / 100;
        } else {
            year.0 += t.total / 100;
            year.2 = year.2.max(t.last_day);
        }
    }
    years
        .into_iter()
        .filter(|(_, (total, _, _))| *total > 0)
        .map(|(year, (total, emerging, last))| RecordFigure {
            id: -i64::from(year),
            indicator_code: indicator.code.clone(),
            unit_code: lead.to_owned(),
            value: (emerging * 10_000 * 2 + total) / (total * 2),
            occurred_on: last,
            records: 1,
        })
        .collect()
}

/// The one tally (kind and code) a registry's figures are read from, for the registries whose
/// figure is a tally as it stands; `None` for those that combine tallies (the emerging share,
/// events of several kinds) or compute a rate (placements).
fn tally_of(registry: Registry) -> Option<(Kind, &'static str)> {
    use linkong_core::people::TrainingKind;
    Some(match registry {
        Registry::PostPositions => (Kind::Posts, ""),
        Registry::LectureAttendance => (Kind::Training, TrainingKind::Lecture.code()),
        Registry::MalanhuaTrainees => (Kind::Training, TrainingKind::Malanhua.code()),
        Registry::ProjectsScreenedIn => (Kind::Project, ""),
        Registry::SelectionRecommendations => (Kind::Selection, ""),
        Registry::ShowcaseRecommendations => (Kind::Showcase, ""),
        Registry::CarrierResidents => (Kind::CarrierResident, ""),
        Registry::IncubationBases | Registry::ReturneeParks => {
            (Kind::Recognition, recognition_kind(registry).code())
        }
        Registry::ExpertServices => (Kind::ExpertService, ""),
        Registry::WindowVisits => (Kind::WindowVisit, ""),
        Registry::FailureSupportSteps => (Kind::FailureStep, ""),
        Registry::ContestEntries => (Kind::ContestEntry, ""),
        Registry::ContestLandings => (Kind::ContestLanding, ""),
        Registry::MentoringsStarted => (Kind::Mentoring, ""),
        Registry::Loans => (Kind::Loan, ""),
        Registry::SubsidiesPaid(category) => (Kind::SubsidyPaid, category.code()),
        Registry::OfferPayments => (Kind::OfferPaid, ""),
        Registry::StudentVisitors => (Kind::StudentVisit, ""),
        Registry::TalentTrips => (Kind::TalentTrip, ""),
        Registry::TalentTripHires => (Kind::TripHire, ""),
        Registry::MigrantsSurveyed => (Kind::Surveyed, ""),
        Registry::MarketInspections => (Kind::MarketInspection, ""),
        Registry::MarketNotices => (Kind::MarketNotice, ""),
        Registry::CampusPolicyEvents => (
            Kind::CampusActivity,
            linkong_core::campus::ActivityKind::PolicyPublicity.code(),
        ),
        Registry::CampusInterns => (Kind::Intern, ""),
        Registry::SkillsTrained => (Kind::SkillsTrained, ""),
        Registry::TitlesForwarded => (Kind::TitlesForwarded, ""),
        Registry::HrServices => (Kind::HrService, ""),
        Registry::GraduateTrainees => (Kind::Trainees, ""),
        Registry::EmergingShare
        | Registry::ReturnIntentionShare
        | Registry::FiveOnesServices
        | Registry::PlacementRate
        | Registry::Events(_)
        | Registry::PromotionEvents
        | Registry::CoastalPromotionEvents => return None,
    })
}

impl Store {
    /// The registry figures of every registry-filled indicator, dated within [from, to] and no
    /// later than today. Ids are negative so that they never meet a manual record's.
    pub(crate) async fn registry_figures(
        &self,
        plan: &Plan,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<RecordFigure>> {
        let today = local_date(self.now());
        let to = to.min(today);
        let mut figures = Vec::new();
        if from > to {
            return Ok(figures);
        }
        let tallies = self.tallies(true, from, to).await?;
        let of = |kind: Kind, code: &'static str| {
            let kind = kind.code();
            tallies
                .iter()
                .filter(move |t| t.kind == kind && t.code == code)
        };
        // Events of the registry's kinds: every one, or the coastal tallies only.
        let events = |kinds: &'static [linkong_core::events::EventKind], coastal: bool| {
            let tally = if coastal {
                Kind::CoastalEvent
            } else {
                Kind::Event
            };
            kinds.iter().flat_map(move |k| of(tally, k.code()))
        };
        for (task, indicator) in plan.indicators() {
            let Some(registry) = indicator.registry else {
                continue;
            };
            if let Some((kind, code)) = tally_of(registry) {
                figures.extend(of(kind, code).map(|t| tally_figure(t, indicator)));
                continue;
            }
            match registry {
                Registry::EmergingShare => {
                    if let Some(lead) = task.lead_units.first() {
                        figures.extend(emerging_shares(&tallies, indicator, lead));
                    }
                }
                Registry::PlacementRate => {
                    let lead = task.lead_units.first().map(String::as_str);
                    figures.extend(self.placement_figures(indicator, lead, from, to).await?);
                }
                Registry::Events(_)
                | Registry::PromotionEvents
                | Registry::CoastalPromotionEvents => {
                    if let Some((kinds, coastal)) = registry.counted_events() {
                        figures.extend(events(kinds, coastal).map(|t| tally_figure(t, indicator)));
                    }
                }
                Registry::FiveOnesServices => {
                    let festivals = Festival::ALL.iter();
                    let served = festivals.flat_map(|f| of(Kind::FiveOnes, f.code()));
                    figures.extend(served.map(|t| tally_figure(t, indicator)));
                }
                Registry::ReturnIntentionShare => {
                    let mut counts = SurveyCounts::new();
                    for t in of(Kind::Surveyed, "").chain(of(Kind::Intending, "")) {
                        let count = counts
                            .entry((t.last_day.year(), t.unit_code.clone()))
                            .or_default();
                        if t.kind == Kind::Surveyed.code() {
                            count.0 += t.total / 100;
                        } else {
                            count.1 += t.total / 100;
                        }
                    }
                    let lead = task.lead_units.first().map(String::as_str);
                    figures.extend(intention_share_figures(&indicator.code, lead, to, &counts));
                }
                _ => {}
            }
        }
        Ok(figures)
    }

    /// Per roster year, as of the window's end within that year: the rates as figures.
    async fn placement_figures(
        &self,
        indicator: &Indicator,
        lead: Option<&str>,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<RecordFigure>> {
        let mut figures = Vec::new();
        for year in from.year()..=to.year() {
            let on = to.min(NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(to));
            let (streets, district) = self.placement_rates(year, on).await?;
            figures.extend(placement_rate_figures(
                &indicator.code,
                lead,
                year,
                on,
                &streets,
                &district,
            ));
        }
        Ok(figures)
    }
}

/// People surveyed and those of them meaning to come back, per (year, household street).
pub(crate) type SurveyCounts = BTreeMap<(i32, String), (i64, i64)>;

/// 2.1.1's share of the people surveyed in a year who mean to come back to work or to start a
/// business, in hundredths of a percent point (half up): one figure per street, and one for
/// the district held by the lead unit, all dated at the window's end within the year; the
/// district's larger id makes it the indicator's latest figure. The tallies and the
/// row-by-row reference both use it.
pub(crate) fn intention_share_figures(
    code: &str,
    lead: Option<&str>,
    to: NaiveDate,
    counts: &SurveyCounts,
) -> Vec<RecordFigure> {
    let share =
        |surveyed: i64, intending: i64| (intending * 10_000 * 2 + surveyed) / (surveyed * 2);
    let mut years: BTreeMap<i32, (i64, i64)> = BTreeMap::new();
    let mut figures = Vec::new();
    for (i, ((year, unit), (surveyed, intending))) in counts.iter().enumerate() {
        let district = years.entry(*year).or_default();
        district.0 += surveyed;
        district.1 += intending;
        if *surveyed > 0 {
            figures.push(RecordFigure {
                id: -i64::from(*year) * 1000 - 500 - i as i64,
                indicator_code: code.to_owned(),
                unit_code: unit.clone(),
                value: share(*surveyed, *intending),
                occurred_on: year_end(*year, to),
                records: 1,
            });
        }
    }
    if let Some(lead) = lead {
        for (year, (surveyed, intending)) in years.into_iter().filter(|(_, (s, _))| *s > 0) {
            figures.push(RecordFigure {
                id: -i64::from(year) * 1000 - 400,
                indicator_code: code.to_owned(),
                unit_code: lead.to_owned(),
                value: share(surveyed, intending),
                occurred_on: year_end(year, to),
                records: 1,
            });
        }
    }
    figures
}

/// The window's end within `year`.
fn year_end(year: i32, to: NaiveDate) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, 12, 31).map_or(to, |end| end.min(to))
}

/// A roster year's placement rates as figures dated `on`: one per street and one for the
/// district, held by the lead unit. Same date, so the district's larger id makes it the
/// indicator's latest figure. The tallies and the row-by-row reference both use it.
pub(crate) fn placement_rate_figures(
    code: &str,
    lead: Option<&str>,
    year: i32,
    on: NaiveDate,
    streets: &[PlacementRate],
    district: &PlacementRate,
) -> Vec<RecordFigure> {
    let base = -i64::from(year) * 1000;
    let figure = |id: i64, unit: &str, value: i64| RecordFigure {
        id,
        indicator_code: code.to_owned(),
        unit_code: unit.to_owned(),
        value,
        occurred_on: on,
        records: 1,
    };
    let mut figures: Vec<RecordFigure> = streets
        .iter()
        .enumerate()
        .filter_map(|(i, street)| {
            street
                .rate
                .map(|rate| figure(base - 1 - i as i64, &street.unit_code, rate))
        })
        .collect();
    if let (Some(rate), Some(lead)) = (district.rate, lead) {
        figures.push(figure(base, lead, rate));
    }
    figures
}
