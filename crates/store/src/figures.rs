//! Figures kept as tallies, so that a view reads in proportion to units × indicators, not to
//! records (issue 12, item 8).
//!
//! Every figure the dashboard, reports and assessment add up — a progress record, a published
//! post's positions (and its emerging positions), an event held (and, held in a coastal
//! region, a coastal event), a training's counted attendees, a graduate placed or on the
//! roster, a project screened into the library, an expert's service, a window visit, a
//! business moving into a carrier, a carrier recognised, a project recommended to the selection
//! round, a showcase case recommended, a failure-support step done, a contest entry registered or landed — belongs to one *day tally*: its source
//! (`kind` and `code`), its unit and its day, holding the sum of the values, how many figures
//! there are, and the latest figure by (date, id) for indicators that take the latest value.
//! Each day tally is summed again into its *month tally*. A view of [from, to] reads the whole
//! months inside it and the days of the months cut at either end: a year is at most twelve rows
//! per source and unit, however many records it holds.
//!
//! Why this design: a day tally is a pure function of the rows of that day, so a write that
//! changes rows recounts the days it touched (the old day and the new one) from the rows, and
//! their months from their days, in its own transaction. That stays exact through voids,
//! corrections (the latest value falls back to the record before, read from the rows),
//! Malanhua trainees counted at their first class of the year, and placements moved or undone,
//! with no delta to get wrong; a recount reads one day of one unit through an index. Only
//! writes that purely add figures in bulk (demo and benchmark loads) add deltas instead. On
//! PostgreSQL the recount first takes the audit chain's advisory lock, so that two servers
//! writing the same day cannot each count without the other's row. [`FigureWrite::rebuild_figures`]
//! builds every tally from the rows with plain `GROUP BY`s; the first start after migration 0016
//! runs it once, and tests and the benchmark use it as the reference.
//!
//! What does not change a figure, on purpose: closing or expiring a post (a post counts for
//! positions raised once published, as before), editing a draft or returned post (never
//! published), reviewing a complaint.

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use std::collections::BTreeMap;

use crate::{BeginWrite, Result, Store, on_db};

// The rebuild's SQL per backend (`rebuild_sql!`), then the writes that keep the tallies.
#[macro_use]
mod rebuild;
mod write;
pub(crate) use write::FigureWrite;

/// The first instant of a Wuhan date, in UTC.
pub fn start_of(day: NaiveDate) -> DateTime<Utc> {
    day.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc() - Duration::hours(8)
}

/// Where figures come from: the `kind` column of the tallies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// Progress records; code: the indicator.
    Record,
    /// Positions of published posts, per raising unit.
    Posts,
    /// Positions of published emerging-industry posts, per raising unit.
    Emerging,
    /// Recruitment events held, per organiser; code: the event kind.
    Event,
    /// Counted attendees of trainings, per organiser; code: the training kind.
    Training,
    /// Graduates placed, per street and placement date; code: the roster year.
    Placed,
    /// Graduates on the roster, per street, dated 1 January; code: the roster year.
    Roster,
    /// Projects screened into the project library, per source unit and screening day.
    Project,
    /// Projects recommended to the selection round (2.5.2), per recommending unit and day.
    Selection,
    /// Showcase cases recommended (2.5.3), per recommending unit and day.
    Showcase,
    /// Returnee businesses moving into a carrier, per the carrier's street and move-in day, at
    /// each business's first move-in of the year.
    CarrierResident,
    /// Carriers recognised as municipal (市级认定), per counting unit and approval day; code:
    /// the application's kind.
    Recognition,
    /// Services given by the expert pool's experts, per recording unit and service day.
    ExpertService,
    /// Visits to the service window, per unit that logged or answered them, on the visit day.
    WindowVisit,
    /// Events held in a coastal, economically developed region, per organiser; code: the
    /// event kind (2.5.1's coastal promotion event).
    CoastalEvent,
    /// Failure-support steps done (2.3.4), per the step's responsible unit and done day.
    FailureStep,
    /// Entries registered for the start-up contest (1.2.3), per organising unit and
    /// registration day.
    ContestEntry,
    /// Winning contest entries landed as returnee businesses (1.2.3), per organising unit and
    /// landing day.
    ContestLanding,
    /// Mentorings of returnee businesses started (2.3.2), per opening unit and start day.
    Mentoring,
    /// Guaranteed loans issued (2.4.2), per handling unit and issue day; the value is the
    /// principal in hundredths of 万元 (principal_fen / 10000).
    Loan,
    /// Subsidies paid (in 分), per the category's district unit and payment day; code: the
    /// category (1.3.1, 1.3.2, 2.3.3, 2.4.3).
    SubsidyPaid,
    /// Subsidies paid (in 分) that came from a 免申即享 offer, per district unit and payment day.
    OfferPaid,
    /// Students on 学子东西湖行 visits (1.3.3), per organising unit and visit day, each once a
    /// year per unit at their first visit.
    StudentVisit,
    /// 揽才团 trips (1.1.3), per organising unit and departure day.
    TalentTrip,
    /// Hires traced to 揽才团 trips (1.1.3), per the trip's organiser and hire day.
    TripHire,
    /// Residents surveyed into the out-migrant registry (2.1.1), per household street and
    /// survey day; neighbouring districts' people excluded.
    Surveyed,
    /// Those of them who mean to come back to work or to start a business.
    Intending,
    /// Five-ones services (2.1.4), per returnee's household street and service day; code: the
    /// festival.
    FiveOnes,
    /// Inspections of the labour market (1.3.4), per inspecting unit and inspection day.
    MarketInspection,
    /// Notices published on the portal (1.3.4), per publishing unit and publication day.
    MarketNotice,
    /// Campus activities held (1.2.1), per organising unit and day; code: the activity kind.
    CampusActivity,
    /// Students placed in internships (1.2.1), per organising unit and start day; a student
    /// counts once per unit and year, at the first placement.
    Intern,
    /// Returnees trained in skills classes (2.4.4), 人次, per organising unit and end day.
    SkillsTrained,
    /// Title applications of returnees (2.4.4), per recording unit and forwarded day.
    TitlesForwarded,
    /// Services of HR agencies' special actions (2.4.4), per organising unit and service day.
    HrService,
    /// Unplaced graduates' traineeships and skills-training courses (1.1.4), 人次, per
    /// recording unit and start day.
    Trainees,
}

impl Kind {
    pub const ALL: [Kind; 36] = [
        Kind::Record,
        Kind::Posts,
        Kind::Emerging,
        Kind::Event,
        Kind::Training,
        Kind::Placed,
        Kind::Roster,
        Kind::Project,
        Kind::Selection,
        Kind::Showcase,
        Kind::CarrierResident,
        Kind::Recognition,
        Kind::ExpertService,
        Kind::WindowVisit,
        Kind::CoastalEvent,
        Kind::FailureStep,
        Kind::ContestEntry,
        Kind::ContestLanding,
        Kind::Mentoring,
        Kind::Loan,
        Kind::SubsidyPaid,
        Kind::OfferPaid,
        Kind::StudentVisit,
        Kind::TalentTrip,
        Kind::TripHire,
        Kind::Surveyed,
        Kind::Intending,
        Kind::FiveOnes,
        Kind::MarketInspection,
        Kind::MarketNotice,
        Kind::CampusActivity,
        Kind::Intern,
        Kind::SkillsTrained,
        Kind::TitlesForwarded,
        Kind::HrService,
        Kind::Trainees,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Kind::Record => "record",
            Kind::Posts => "posts",
            Kind::Emerging => "emerging",
            Kind::Event => "event",
            Kind::Training => "training",
            Kind::Placed => "placed",
            Kind::Roster => "roster",
            Kind::Project => "project",
            Kind::Selection => "selection",
            Kind::Showcase => "showcase",
            Kind::CarrierResident => "carrier_resident",
            Kind::Recognition => "recognition",
            Kind::ExpertService => "expert_service",
            Kind::WindowVisit => "window_visit",
            Kind::CoastalEvent => "coastal_event",
            Kind::FailureStep => "failure_step",
            Kind::ContestEntry => "contest_entry",
            Kind::ContestLanding => "contest_landing",
            Kind::Mentoring => "mentoring",
            Kind::Loan => "loan",
            Kind::SubsidyPaid => "subsidy_paid",
            Kind::OfferPaid => "offer_paid",
            Kind::StudentVisit => "student_visit",
            Kind::TalentTrip => "talent_trip",
            Kind::TripHire => "trip_hire",
            Kind::Surveyed => "surveyed",
            Kind::Intending => "intending",
            Kind::FiveOnes => "five_ones",
            Kind::MarketInspection => "market_inspection",
            Kind::MarketNotice => "market_notice",
            Kind::CampusActivity => "campus_activity",
            Kind::Intern => "intern",
            Kind::SkillsTrained => "skills_trained",
            Kind::TitlesForwarded => "titles_forwarded",
            Kind::HrService => "hr_service",
            Kind::Trainees => "trainees",
        }
    }
}

/// One day tally a write may have changed.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct DayKey {
    pub kind: Kind,
    pub code: String,
    pub unit_code: String,
    pub day: NaiveDate,
}

impl DayKey {
    pub fn new(
        kind: Kind,
        code: impl Into<String>,
        unit: impl Into<String>,
        day: NaiveDate,
    ) -> Self {
        DayKey {
            kind,
            code: code.into(),
            unit_code: unit.into(),
            day,
        }
    }

    /// The tallies a published post counts in: positions, and emerging positions.
    pub fn post(unit: &str, published_at: DateTime<Utc>) -> [DayKey; 2] {
        let day = linkong_core::time::local_date(published_at);
        [
            DayKey::new(Kind::Posts, "", unit, day),
            DayKey::new(Kind::Emerging, "", unit, day),
        ]
    }
}

/// A figure added by a bulk load (nothing replaced or removed).
#[derive(Debug, Clone)]
pub(crate) struct NewFigure {
    pub key: DayKey,
    pub id: i64,
    pub value: i64,
}

/// A tally as a view reads it: a day's, or a whole month's dated on its last day with figures.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Tally {
    pub kind: String,
    pub code: String,
    pub unit_code: String,
    pub last_day: NaiveDate,
    pub total: i64,
    pub records: i64,
    pub latest_id: i64,
    pub latest_value: i64,
}

/// Sum, count and latest figure of a set of figures (or of tallies, each with its last day).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Count {
    total: i64,
    records: i64,
    /// (day, id, value) of the latest figure.
    latest: Option<(NaiveDate, i64, i64)>,
}

impl Count {
    fn add(&mut self, total: i64, records: i64, latest: (NaiveDate, i64, i64)) {
        self.total += total;
        self.records += records;
        if self
            .latest
            .is_none_or(|(d, i, _)| (latest.0, latest.1) > (d, i))
        {
            self.latest = Some(latest);
        }
    }
}

/// Day tallies of figures that replace none, counted as they come: a bulk load too large to
/// list figure by figure (a million imported residents). Every figure here has an empty code.
#[derive(Default)]
pub(crate) struct BulkTally {
    days: std::collections::HashMap<(Kind, NaiveDate), std::collections::HashMap<String, Count>>,
}

impl BulkTally {
    /// Counts one figure of `kind` for `unit` on `day`.
    pub(crate) fn add(&mut self, kind: Kind, unit: &str, day: NaiveDate, id: i64, value: i64) {
        let units = self.days.entry((kind, day)).or_default();
        let count = match units.get_mut(unit) {
            Some(count) => count,
            None => units.entry(unit.to_owned()).or_default(),
        };
        count.add(value, 1, (day, id, value));
    }

    /// The counts by day and by month, as [`FigureWrite`] adds them.
    #[allow(clippy::type_complexity)]
    fn counts(
        &self,
    ) -> (
        BTreeMap<(Kind, &str, &str, NaiveDate), Count>,
        BTreeMap<(Kind, &str, &str, NaiveDate), Count>,
    ) {
        let mut days = BTreeMap::new();
        let mut months: BTreeMap<(Kind, &str, &str, NaiveDate), Count> = BTreeMap::new();
        for ((kind, day), units) in &self.days {
            for (unit, count) in units {
                days.insert((*kind, "", unit.as_str(), *day), *count);
                let month = months
                    .entry((*kind, "", unit.as_str(), first_of_month(*day)))
                    .or_default();
                if let Some(latest) = count.latest {
                    month.add(count.total, count.records, latest);
                }
            }
        }
        (days, months)
    }
}

fn first_of_month(day: NaiveDate) -> NaiveDate {
    day.with_day(1).unwrap_or(day)
}

fn last_of_month(day: NaiveDate) -> NaiveDate {
    let next = if day.month() == 12 {
        NaiveDate::from_ymd_opt(day.year() + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(day.year(), day.month() + 1, 1)
    };
    next.map_or(day, |n| n - Duration::days(1))
}

/// [from, to] as a range of whole months (first days) and the day ranges of the months cut at
/// either end. An empty range ends before it starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Segments {
    pub months: (NaiveDate, NaiveDate),
    pub head: (NaiveDate, NaiveDate),
    pub tail: (NaiveDate, NaiveDate),
}

pub(crate) fn segments(from: NaiveDate, to: NaiveDate) -> Segments {
    let first_whole = if from.day() == 1 {
        from
    } else {
        last_of_month(from) + Duration::days(1)
    };
    let last_whole_end = if last_of_month(to) == to {
        to
    } else {
        first_of_month(to) - Duration::days(1)
    };
    let empty = (to, to - Duration::days(1));
    if first_whole > last_whole_end {
        return Segments {
            months: empty,
            head: (from, to),
            tail: empty,
        };
    }
    Segments {
        months: (first_whole, first_of_month(last_whole_end)),
        head: (from, first_whole - Duration::days(1)),
        tail: (last_whole_end + Duration::days(1), to),
    }
}

// Head and tail days are separate branches: an OR of two ranges would make the planners scan
// every day of the kind instead of seeking each range in the (kind, day) index.
const RECORD_TALLIES: &str = "SELECT kind, code, unit_code, last_day, total, records, latest_id, latest_value \
     FROM figure_months WHERE kind = 'record' AND month >= $1 AND month <= $2 \
     UNION ALL SELECT kind, code, unit_code, day, total, records, latest_id, latest_value \
     FROM figure_days WHERE kind = 'record' AND day >= $3 AND day <= $4 \
     UNION ALL SELECT kind, code, unit_code, day, total, records, latest_id, latest_value \
     FROM figure_days WHERE kind = 'record' AND day >= $5 AND day <= $6";

/// The registries' tallies: every kind but progress records and the roster counts behind the
/// placement rate (read from the rows by `placement_rates`). The kinds are listed, not
/// excluded, so that each branch seeks the (kind, day) index; the list is made from
/// [`Kind::ALL`], so a new kind is read without touching this query.
static REGISTRY_TALLIES: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    let kinds: Vec<String> = Kind::ALL
        .iter()
        .filter(|k| !matches!(k, Kind::Record | Kind::Placed | Kind::Roster))
        .map(|k| format!("'{}'", k.code()))
        .collect();
    let kinds = kinds.join(", ");
    format!(
        "SELECT kind, code, unit_code, last_day, total, records, latest_id, latest_value \
         FROM figure_months WHERE kind IN ({kinds}) AND month >= $1 AND month <= $2 \
         UNION ALL SELECT kind, code, unit_code, day, total, records, latest_id, latest_value \
         FROM figure_days WHERE kind IN ({kinds}) AND day >= $3 AND day <= $4 \
         UNION ALL SELECT kind, code, unit_code, day, total, records, latest_id, latest_value \
         FROM figure_days WHERE kind IN ({kinds}) AND day >= $5 AND day <= $6"
    )
});

impl Store {
    /// The tallies of progress records (`registries` false) or of the registries' posts,
    /// events and trainings (true) covering [from, to]: whole months and cut days.
    pub(crate) async fn tallies(
        &self,
        registries: bool,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<Tally>> {
        if from > to {
            return Ok(Vec::new());
        }
        let s = segments(from, to);
        let sql: &'static str = if registries {
            REGISTRY_TALLIES.as_str()
        } else {
            RECORD_TALLIES
        };
        Ok(
            on_db!(self, pool => sqlx::query_as::<_, Tally>(sqlx::AssertSqlSafe(sql))
            .bind(s.months.0)
            .bind(s.months.1)
            .bind(s.head.0)
            .bind(s.head.1)
            .bind(s.tail.0)
            .bind(s.tail.1)
            .fetch_all(pool)
            .await?),
        )
    }

    /// The `year` roster per street, and per street how many were placed on or before `on`,
    /// from the tallies: a few rows per street and month.
    pub(crate) async fn placement_tallies(
        &self,
        year: i32,
        on: NaiveDate,
    ) -> Result<(Vec<(String, i64)>, BTreeMap<String, i64>)> {
        let code = year.to_string();
        let roster: Vec<(String, i64)> = on_db!(self, pool => sqlx::query_as(
            "SELECT unit_code, total FROM figure_days WHERE kind = 'roster' AND code = $1 ORDER BY unit_code",
        )
        .bind(&code)
        .fetch_all(pool)
        .await?);
        // Whole months up to `on`, and the days of `on`'s month when it is cut.
        let (months_before, days_from) = if last_of_month(on) == on {
            (on + Duration::days(1), on + Duration::days(1))
        } else {
            (first_of_month(on), first_of_month(on))
        };
        let placed: Vec<(String, i64)> = on_db!(self, pool => sqlx::query_as(
            "SELECT unit_code, total FROM figure_months WHERE kind = 'placed' AND code = $1 AND month < $2 \
             UNION ALL SELECT unit_code, total FROM figure_days WHERE kind = 'placed' AND code = $1 \
             AND day >= $3 AND day <= $4",
        )
        .bind(&code)
        .bind(months_before)
        .bind(days_from)
        .bind(on)
        .fetch_all(pool)
        .await?);
        let mut by_street: BTreeMap<String, i64> = BTreeMap::new();
        for (street, count) in placed {
            *by_street.entry(street).or_default() += count;
        }
        Ok((roster, by_street))
    }

    /// Builds every tally anew from the rows, in one transaction (what the first start after
    /// migration 0016 does; tests and the benchmark use it as the reference).
    pub async fn rebuild_figures(&self) -> Result<()> {
        let _guard = self.write_lock.lock().await;
        on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            tx.rebuild_figures(&Kind::ALL).await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// Builds the tallies if migration 0016 left them pending; a second server starting at the
    /// same time waits for the first and finds nothing to do.
    pub(crate) async fn build_pending_figures(&self) -> Result<()> {
        on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let pending: Option<i64> = sqlx::query_scalar(
                "UPDATE figure_rebuild SET pending = FALSE WHERE singleton = 1 AND pending RETURNING singleton",
            )
            .fetch_optional(&mut *tx)
            .await?;
            if pending.is_some() {
                tx.rebuild_figures(&Kind::ALL).await?;
            }
            tx.commit().await?;
        });
        Ok(())
    }

    /// Every tally as stored, ordered: for tests comparing maintained tallies with rebuilt ones.
    pub async fn stored_tallies(&self) -> Result<Vec<Tally>> {
        Ok(on_db!(self, pool => sqlx::query_as::<_, Tally>(
            "SELECT kind, code, unit_code, day AS last_day, total, records, latest_id, latest_value FROM figure_days \
             UNION ALL SELECT kind || ':month', code, unit_code, last_day, total, records, latest_id, latest_value \
             FROM figure_months ORDER BY 1, 2, 3, 4",
        )
        .fetch_all(pool)
        .await?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn a_year_reads_as_twelve_whole_months() {
        let s = segments(d(2025, 1, 1), d(2025, 12, 31));
        assert_eq!(s.months, (d(2025, 1, 1), d(2025, 12, 1)));
        assert!(s.head.0 > s.head.1 && s.tail.0 > s.tail.1);
    }

    #[test]
    fn a_year_to_date_reads_whole_months_and_the_days_of_this_month() {
        let s = segments(d(2026, 1, 1), d(2026, 12, 5));
        assert_eq!(s.months, (d(2026, 1, 1), d(2026, 11, 1)));
        assert_eq!(s.tail, (d(2026, 12, 1), d(2026, 12, 5)));
        assert!(s.head.0 > s.head.1);
    }

    #[test]
    fn a_window_inside_one_month_reads_days_only() {
        let s = segments(d(2025, 3, 4), d(2025, 3, 20));
        assert!(s.months.0 > s.months.1);
        assert_eq!(s.head, (d(2025, 3, 4), d(2025, 3, 20)));
        let s = segments(d(2025, 3, 4), d(2025, 5, 2));
        assert_eq!(s.months, (d(2025, 4, 1), d(2025, 4, 1)));
        assert_eq!(s.head, (d(2025, 3, 4), d(2025, 3, 31)));
        assert_eq!(s.tail, (d(2025, 5, 1), d(2025, 5, 2)));
    }
}
