//! Figures kept as tallies, so that a view reads in proportion to units × indicators, not to
//! records (issue 12, item 8).
//!
//! Every figure the dashboard, reports and assessment add up — a progress record, a published
//! post's positions (and its emerging positions), an event held, a training's counted
//! attendees, a graduate placed or on the roster — belongs to one *day tally*: its source
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
use std::collections::{BTreeMap, BTreeSet};

use crate::{BeginWrite, Result, Store, on_db};

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
}

impl Kind {
    pub const ALL: [Kind; 7] = [
        Kind::Record,
        Kind::Posts,
        Kind::Emerging,
        Kind::Event,
        Kind::Training,
        Kind::Placed,
        Kind::Roster,
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
struct Count {
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

const REGISTRY_TALLIES: &str = "SELECT kind, code, unit_code, last_day, total, records, latest_id, latest_value \
     FROM figure_months WHERE kind IN ('posts', 'emerging', 'event', 'training') AND month >= $1 AND month <= $2 \
     UNION ALL SELECT kind, code, unit_code, day, total, records, latest_id, latest_value \
     FROM figure_days WHERE kind IN ('posts', 'emerging', 'event', 'training') AND day >= $3 AND day <= $4 \
     UNION ALL SELECT kind, code, unit_code, day, total, records, latest_id, latest_value \
     FROM figure_days WHERE kind IN ('posts', 'emerging', 'event', 'training') AND day >= $5 AND day <= $6";

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
        let sql = if registries {
            REGISTRY_TALLIES
        } else {
            RECORD_TALLIES
        };
        Ok(on_db!(self, pool => sqlx::query_as::<_, Tally>(sql)
            .bind(s.months.0)
            .bind(s.months.1)
            .bind(s.head.0)
            .bind(s.head.1)
            .bind(s.tail.0)
            .bind(s.tail.1)
            .fetch_all(pool)
            .await?))
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

/// Keeps the tallies inside the caller's transaction.
pub(crate) trait FigureWrite {
    /// Recounts each day of `keys` from the rows, and each of their months from its days.
    async fn refresh_figures(&mut self, keys: &[DayKey]) -> Result<()>;
    /// Adds figures that replace none (bulk loads) to their days and months.
    async fn add_figures(&mut self, figures: &[NewFigure]) -> Result<()>;
    /// Builds the tallies of `kinds` anew from the rows.
    async fn rebuild_figures(&mut self, kinds: &[Kind]) -> Result<()>;
    /// The days a new training changes: its own, and for Malanhua classes the days of its
    /// trainees' other classes that year (a trainee counts at the first class of the year, so
    /// an earlier class moves them off a later one's day).
    async fn training_days(
        &mut self,
        kind: &str,
        training: i64,
        organiser: &str,
        held_on: NaiveDate,
    ) -> Result<Vec<DayKey>>;
}

/// The figures of one day tally, read from the rows: (figure id, value) each.
mod day_sql {
    pub const RECORD: &str = "SELECT id, value FROM progress_records WHERE voided_at IS NULL \
         AND indicator_code = $1 AND unit_code = $2 AND occurred_on = $3";
    /// `$2` is true for every post, false for emerging posts only.
    pub const POSTS: &str = "SELECT -id, positions * 100 FROM job_posts WHERE published_at IS NOT NULL \
         AND raised_by = $1 AND published_at >= $3 AND published_at < $4 AND ($2 OR emerging)";
    pub const EVENT: &str = "SELECT -id, CAST(100 AS BIGINT) FROM recruitment_events \
         WHERE kind = $1 AND organiser = $2 AND held_on = $3";
    /// Lectures count person-times; a Malanhua trainee counts once a year, at the first class
    /// (by date, then id). `$4` is 1 January of the day's year.
    pub const TRAINING: &str = "SELECT -t.id, COUNT(*) * 100 FROM trainings t \
         JOIN training_attendees a ON a.training_id = t.id \
         WHERE t.kind = $1 AND t.organiser = $2 AND t.held_on = $3 AND (t.kind = 'lecture' OR NOT EXISTS ( \
         SELECT 1 FROM training_attendees b JOIN trainings u ON u.id = b.training_id WHERE b.person_id = a.person_id \
         AND u.kind = t.kind AND u.held_on >= $4 AND (u.held_on < t.held_on OR (u.held_on = t.held_on AND u.id < t.id)))) \
         GROUP BY t.id";
    pub const PLACED: &str = "SELECT g.id, CAST(1 AS BIGINT) FROM graduates g JOIN persons p ON p.id = g.person_id \
         WHERE g.year = $1 AND p.street_code = $2 AND g.placement <> 'not_yet' AND g.placed_on = $3";
    pub const ROSTER: &str = "SELECT g.id, CAST(1 AS BIGINT) FROM graduates g JOIN persons p ON p.id = g.person_id \
         WHERE g.year = $1 AND p.street_code = $2";
}

/// The counts of the days and months touched by new figures.
#[allow(clippy::type_complexity)]
fn counts_of(
    figures: &[NewFigure],
) -> (
    BTreeMap<(Kind, &str, &str, NaiveDate), Count>,
    BTreeMap<(Kind, &str, &str, NaiveDate), Count>,
) {
    let mut days: BTreeMap<(Kind, &str, &str, NaiveDate), Count> = BTreeMap::new();
    let mut months: BTreeMap<(Kind, &str, &str, NaiveDate), Count> = BTreeMap::new();
    for f in figures {
        let k = &f.key;
        let latest = (k.day, f.id, f.value);
        days.entry((k.kind, &k.code, &k.unit_code, k.day))
            .or_default()
            .add(f.value, 1, latest);
        months
            .entry((k.kind, &k.code, &k.unit_code, first_of_month(k.day)))
            .or_default()
            .add(f.value, 1, latest);
    }
    (days, months)
}

macro_rules! impl_figure_write {
    ($conn:ty, $db:ty, $lock:literal, $rebuild:expr) => {
        impl FigureWrite for $conn {
            async fn refresh_figures(&mut self, keys: &[DayKey]) -> Result<()> {
                sqlx::query($lock).execute(&mut *self).await?;
                let keys: BTreeSet<&DayKey> = keys.iter().collect();
                let mut months = BTreeSet::new();
                for key in keys {
                    let rows = day_figures(self, key).await?;
                    let mut count = Count::default();
                    for (id, value) in rows {
                        count.add(value, 1, (key.day, id, value));
                    }
                    write_day(self, key, count).await?;
                    months.insert((key.kind, &key.code, &key.unit_code, first_of_month(key.day)));
                }
                for (kind, code, unit, month) in months {
                    let days: Vec<(NaiveDate, i64, i64, i64, i64)> = sqlx::query_as(
                        "SELECT day, total, records, latest_id, latest_value FROM figure_days \
                         WHERE kind = $1 AND code = $2 AND unit_code = $3 AND day >= $4 AND day <= $5",
                    )
                    .bind(kind.code())
                    .bind(code)
                    .bind(unit)
                    .bind(month)
                    .bind(last_of_month(month))
                    .fetch_all(&mut *self)
                    .await?;
                    let mut count = Count::default();
                    for (day, total, records, id, value) in days {
                        count.add(total, records, (day, id, value));
                    }
                    write_month(self, (kind, code, unit, month), count).await?;
                }
                Ok(())
            }

            async fn add_figures(&mut self, figures: &[NewFigure]) -> Result<()> {
                if figures.is_empty() {
                    return Ok(());
                }
                sqlx::query($lock).execute(&mut *self).await?;
                let (days, months) = counts_of(figures);
                let days: Vec<_> = days.into_iter().collect();
                for chunk in days.chunks(1000) {
                    let mut query = sqlx::QueryBuilder::<$db>::new(
                        "INSERT INTO figure_days (kind, code, unit_code, day, total, records, latest_id, latest_value) ",
                    );
                    query.push_values(chunk, |mut row, ((kind, code, unit, day), count)| {
                        let (_, id, value) = count.latest.unwrap_or_default();
                        row.push_bind(kind.code())
                            .push_bind(code.to_string())
                            .push_bind(unit.to_string())
                            .push_bind(*day)
                            .push_bind(count.total)
                            .push_bind(count.records)
                            .push_bind(id)
                            .push_bind(value);
                    });
                    query.push(
                        " ON CONFLICT (kind, code, unit_code, day) DO UPDATE SET \
                         total = figure_days.total + excluded.total, records = figure_days.records + excluded.records, \
                         latest_value = CASE WHEN excluded.latest_id > figure_days.latest_id \
                           THEN excluded.latest_value ELSE figure_days.latest_value END, \
                         latest_id = CASE WHEN excluded.latest_id > figure_days.latest_id \
                           THEN excluded.latest_id ELSE figure_days.latest_id END",
                    );
                    query.build().execute(&mut *self).await?;
                }
                let months: Vec<_> = months.into_iter().collect();
                for chunk in months.chunks(1000) {
                    let mut query = sqlx::QueryBuilder::<$db>::new(
                        "INSERT INTO figure_months (kind, code, unit_code, month, last_day, total, records, latest_id, latest_value) ",
                    );
                    query.push_values(chunk, |mut row, ((kind, code, unit, month), count)| {
                        let (day, id, value) = count.latest.unwrap_or_default();
                        row.push_bind(kind.code())
                            .push_bind(code.to_string())
                            .push_bind(unit.to_string())
                            .push_bind(*month)
                            .push_bind(day)
                            .push_bind(count.total)
                            .push_bind(count.records)
                            .push_bind(id)
                            .push_bind(value);
                    });
                    query.push(
                        " ON CONFLICT (kind, code, unit_code, month) DO UPDATE SET \
                         total = figure_months.total + excluded.total, records = figure_months.records + excluded.records, \
                         latest_value = CASE WHEN excluded.last_day > figure_months.last_day OR (excluded.last_day = \
                           figure_months.last_day AND excluded.latest_id > figure_months.latest_id) \
                           THEN excluded.latest_value ELSE figure_months.latest_value END, \
                         latest_id = CASE WHEN excluded.last_day > figure_months.last_day OR (excluded.last_day = \
                           figure_months.last_day AND excluded.latest_id > figure_months.latest_id) \
                           THEN excluded.latest_id ELSE figure_months.latest_id END, \
                         last_day = CASE WHEN excluded.last_day > figure_months.last_day \
                           THEN excluded.last_day ELSE figure_months.last_day END",
                    );
                    query.build().execute(&mut *self).await?;
                }
                Ok(())
            }

            async fn training_days(
                &mut self,
                kind: &str,
                training: i64,
                organiser: &str,
                held_on: NaiveDate,
            ) -> Result<Vec<DayKey>> {
                let days: Vec<(String, NaiveDate)> = if kind == "lecture" {
                    vec![(organiser.to_owned(), held_on)]
                } else {
                    sqlx::query_as(
                        "SELECT DISTINCT t.organiser, t.held_on FROM trainings t \
                         JOIN training_attendees a ON a.training_id = t.id WHERE t.kind = $1 \
                         AND t.held_on >= $2 AND t.held_on <= $3 AND a.person_id IN \
                         (SELECT person_id FROM training_attendees WHERE training_id = $4)",
                    )
                    .bind(kind)
                    .bind(NaiveDate::from_ymd_opt(held_on.year(), 1, 1))
                    .bind(NaiveDate::from_ymd_opt(held_on.year(), 12, 31))
                    .bind(training)
                    .fetch_all(&mut *self)
                    .await?
                };
                Ok(days
                    .into_iter()
                    .map(|(unit, day)| DayKey::new(Kind::Training, kind, unit, day))
                    .collect())
            }

            async fn rebuild_figures(&mut self, kinds: &[Kind]) -> Result<()> {
                let (days, months): (&[(Kind, &'static str)], &[&'static str]) = $rebuild;
                for kind in kinds {
                    for table in ["DELETE FROM figure_days WHERE kind = $1", "DELETE FROM figure_months WHERE kind = $1"] {
                        sqlx::query(table).bind(kind.code()).execute(&mut *self).await?;
                    }
                    for (_, sql) in days.iter().filter(|(k, _)| k == kind) {
                        sqlx::query(*sql).execute(&mut *self).await?;
                    }
                    for sql in months {
                        sqlx::query(*sql).bind(kind.code()).execute(&mut *self).await?;
                    }
                }
                Ok(())
            }
        }

        impl TallyRow for $conn {
            async fn day_figures(&mut self, key: &DayKey) -> Result<Vec<(i64, i64)>> {
                let (code, unit, day) = (&key.code, &key.unit_code, key.day);
                let year = code.parse::<i64>().unwrap_or_default();
                let rows = match key.kind {
                    Kind::Record => sqlx::query_as(day_sql::RECORD).bind(code).bind(unit).bind(day),
                    Kind::Posts | Kind::Emerging => sqlx::query_as(day_sql::POSTS)
                        .bind(unit)
                        .bind(key.kind == Kind::Posts)
                        .bind(start_of(day))
                        .bind(start_of(day + Duration::days(1))),
                    Kind::Event => sqlx::query_as(day_sql::EVENT).bind(code).bind(unit).bind(day),
                    Kind::Training => sqlx::query_as(day_sql::TRAINING)
                        .bind(code)
                        .bind(unit)
                        .bind(day)
                        .bind(NaiveDate::from_ymd_opt(day.year(), 1, 1)),
                    Kind::Placed => sqlx::query_as(day_sql::PLACED).bind(year).bind(unit).bind(day),
                    Kind::Roster => sqlx::query_as(day_sql::ROSTER).bind(year).bind(unit),
                };
                Ok(rows.fetch_all(&mut *self).await?)
            }

            async fn remove_tally(&mut self, sql: &'static str, key: TallyKey<'_>) -> Result<()> {
                sqlx::query(sql)
                    .bind(key.0.code())
                    .bind(key.1)
                    .bind(key.2)
                    .bind(key.3)
                    .execute(&mut *self)
                    .await?;
                Ok(())
            }

            async fn put_tally(&mut self, sql: &'static str, key: TallyKey<'_>, count: Count) -> Result<()> {
                let (day, id, value) = count.latest.unwrap_or((key.3, 0, 0));
                sqlx::query(sql)
                    .bind(key.0.code())
                    .bind(key.1)
                    .bind(key.2)
                    .bind(key.3)
                    .bind(count.total)
                    .bind(count.records)
                    .bind(id)
                    .bind(value)
                    .bind(day)
                    .execute(&mut *self)
                    .await?;
                Ok(())
            }
        }
    };
}

/// (kind, code, unit, day or month) of one tally.
type TallyKey<'a> = (Kind, &'a str, &'a str, NaiveDate);

/// Writes one day or month tally as counted.
trait TallyRow {
    async fn day_figures(&mut self, key: &DayKey) -> Result<Vec<(i64, i64)>>;
    async fn remove_tally(&mut self, sql: &'static str, key: TallyKey<'_>) -> Result<()>;
    /// `$9` is the day of the latest figure (a month's last day).
    async fn put_tally(&mut self, sql: &'static str, key: TallyKey<'_>, count: Count)
    -> Result<()>;
}

async fn day_figures<C: TallyRow>(conn: &mut C, key: &DayKey) -> Result<Vec<(i64, i64)>> {
    conn.day_figures(key).await
}

async fn write_day<C: TallyRow>(conn: &mut C, key: &DayKey, count: Count) -> Result<()> {
    let key = (key.kind, key.code.as_str(), key.unit_code.as_str(), key.day);
    if count.records == 0 {
        return conn
            .remove_tally(
                "DELETE FROM figure_days WHERE kind = $1 AND code = $2 AND unit_code = $3 AND day = $4",
                key,
            )
            .await;
    }
    conn.put_tally(
        "INSERT INTO figure_days (kind, code, unit_code, day, total, records, latest_id, latest_value) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (kind, code, unit_code, day) DO UPDATE SET \
         total = excluded.total, records = excluded.records, latest_id = excluded.latest_id, \
         latest_value = excluded.latest_value, day = $9",
        key,
        count,
    )
    .await
}

async fn write_month<C: TallyRow>(conn: &mut C, key: TallyKey<'_>, count: Count) -> Result<()> {
    if count.records == 0 {
        return conn
            .remove_tally(
                "DELETE FROM figure_months WHERE kind = $1 AND code = $2 AND unit_code = $3 AND month = $4",
                key,
            )
            .await;
    }
    conn.put_tally(
        "INSERT INTO figure_months (kind, code, unit_code, month, last_day, total, records, latest_id, latest_value) \
         VALUES ($1, $2, $3, $4, $9, $5, $6, $7, $8) ON CONFLICT (kind, code, unit_code, month) DO UPDATE SET \
         last_day = excluded.last_day, total = excluded.total, records = excluded.records, \
         latest_id = excluded.latest_id, latest_value = excluded.latest_value",
        key,
        count,
    )
    .await
}

macro_rules! rebuild_sql {
    ($day_of_post:literal, $month_of:literal, $year_start:literal, $january:literal) => {
        (
            &[
                (
                    Kind::Record,
                    "INSERT INTO figure_days (kind, code, unit_code, day, total, records, latest_id, latest_value) \
                     SELECT 'record', indicator_code, unit_code, occurred_on, SUM(value), COUNT(*), MAX(id), 0 \
                     FROM progress_records WHERE voided_at IS NULL GROUP BY indicator_code, unit_code, occurred_on",
                ),
                (
                    Kind::Record,
                    "UPDATE figure_days SET latest_value = (SELECT r.value FROM progress_records r \
                     WHERE r.id = figure_days.latest_id) WHERE kind = 'record'",
                ),
                (
                    Kind::Posts,
                    concat!(
                        "INSERT INTO figure_days (kind, code, unit_code, day, total, records, latest_id, latest_value) \
                         SELECT 'posts', '', raised_by, ", $day_of_post, ", SUM(positions * 100), COUNT(*), -MIN(id), 0 \
                         FROM job_posts WHERE published_at IS NOT NULL GROUP BY raised_by, ", $day_of_post
                    ),
                ),
                (
                    Kind::Emerging,
                    concat!(
                        "INSERT INTO figure_days (kind, code, unit_code, day, total, records, latest_id, latest_value) \
                         SELECT 'emerging', '', raised_by, ", $day_of_post, ", SUM(positions * 100), COUNT(*), -MIN(id), 0 \
                         FROM job_posts WHERE published_at IS NOT NULL AND emerging GROUP BY raised_by, ", $day_of_post
                    ),
                ),
                (
                    Kind::Posts,
                    "UPDATE figure_days SET latest_value = (SELECT p.positions * 100 FROM job_posts p \
                     WHERE p.id = -figure_days.latest_id) WHERE kind = 'posts'",
                ),
                (
                    Kind::Emerging,
                    "UPDATE figure_days SET latest_value = (SELECT p.positions * 100 FROM job_posts p \
                     WHERE p.id = -figure_days.latest_id) WHERE kind = 'emerging'",
                ),
                (
                    Kind::Event,
                    "INSERT INTO figure_days (kind, code, unit_code, day, total, records, latest_id, latest_value) \
                     SELECT 'event', kind, organiser, held_on, COUNT(*) * 100, COUNT(*), -MIN(id), 100 \
                     FROM recruitment_events GROUP BY kind, organiser, held_on",
                ),
                (
                    Kind::Training,
                    concat!(
                        "INSERT INTO figure_days (kind, code, unit_code, day, total, records, latest_id, latest_value) \
                         SELECT 'training', f.kind, f.organiser, f.held_on, SUM(f.people) * 100, COUNT(*), -MIN(f.id), 0 \
                         FROM (SELECT t.id, t.kind, t.organiser, t.held_on, COUNT(*) AS people \
                         FROM trainings t JOIN training_attendees a ON a.training_id = t.id \
                         WHERE t.kind = 'lecture' OR NOT EXISTS (SELECT 1 FROM training_attendees b \
                         JOIN trainings u ON u.id = b.training_id WHERE b.person_id = a.person_id AND u.kind = t.kind \
                         AND u.held_on >= ", $year_start, " AND (u.held_on < t.held_on OR (u.held_on = t.held_on AND u.id < t.id))) \
                         GROUP BY t.id, t.kind, t.organiser, t.held_on) f GROUP BY f.kind, f.organiser, f.held_on"
                    ),
                ),
                (
                    Kind::Training,
                    concat!(
                        "UPDATE figure_days SET latest_value = (SELECT COUNT(*) * 100 FROM trainings t \
                         JOIN training_attendees a ON a.training_id = t.id WHERE t.id = -figure_days.latest_id \
                         AND (t.kind = 'lecture' OR NOT EXISTS (SELECT 1 FROM training_attendees b \
                         JOIN trainings u ON u.id = b.training_id WHERE b.person_id = a.person_id AND u.kind = t.kind \
                         AND u.held_on >= ", $year_start, " AND (u.held_on < t.held_on OR (u.held_on = t.held_on AND u.id < t.id))))) \
                         WHERE kind = 'training'"
                    ),
                ),
                (
                    Kind::Placed,
                    "INSERT INTO figure_days (kind, code, unit_code, day, total, records, latest_id, latest_value) \
                     SELECT 'placed', CAST(g.year AS TEXT), p.street_code, g.placed_on, COUNT(*), COUNT(*), MAX(g.id), 1 \
                     FROM graduates g JOIN persons p ON p.id = g.person_id \
                     WHERE g.placement <> 'not_yet' AND g.placed_on IS NOT NULL GROUP BY g.year, p.street_code, g.placed_on",
                ),
                (
                    Kind::Roster,
                    concat!(
                        "INSERT INTO figure_days (kind, code, unit_code, day, total, records, latest_id, latest_value) \
                         SELECT 'roster', CAST(g.year AS TEXT), p.street_code, ", $january, ", COUNT(*), COUNT(*), MAX(g.id), 1 \
                         FROM graduates g JOIN persons p ON p.id = g.person_id GROUP BY g.year, p.street_code"
                    ),
                ),
            ],
            &[
                concat!(
                    "INSERT INTO figure_months (kind, code, unit_code, month, last_day, total, records, latest_id, latest_value) \
                     SELECT kind, code, unit_code, ", $month_of, ", MAX(day), SUM(total), SUM(records), 0, 0 \
                     FROM figure_days WHERE kind = $1 GROUP BY kind, code, unit_code, ", $month_of
                ),
                "UPDATE figure_months SET latest_id = d.latest_id, latest_value = d.latest_value FROM figure_days d \
                 WHERE figure_months.kind = $1 AND d.kind = figure_months.kind AND d.code = figure_months.code \
                 AND d.unit_code = figure_months.unit_code AND d.day = figure_months.last_day",
            ],
        )
    };
}

impl_figure_write!(
    sqlx::SqliteConnection,
    sqlx::Sqlite,
    "SELECT 1",
    rebuild_sql!(
        "date(published_at, '+8 hours')",
        "date(day, 'start of month')",
        "date(t.held_on, 'start of year')",
        "printf('%04d-01-01', g.year)"
    )
);
// The audit chain's lock: recounts on several servers see each other's rows.
impl_figure_write!(
    sqlx::PgConnection,
    sqlx::Postgres,
    "SELECT pg_advisory_xact_lock(420112)",
    rebuild_sql!(
        "CAST((published_at AT TIME ZONE 'UTC') + INTERVAL '8 hours' AS DATE)",
        "CAST(date_trunc('month', day) AS DATE)",
        "CAST(date_trunc('year', t.held_on) AS DATE)",
        "make_date(CAST(g.year AS INTEGER), 1, 1)"
    )
);

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
