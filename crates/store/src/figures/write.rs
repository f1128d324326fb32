//! Keeping the tallies inside a write's transaction: recounting days from the rows, adding
//! bulk figures, rebuilding kinds (see the parent module for why).

use chrono::{Datelike, Duration, NaiveDate};
use std::collections::{BTreeMap, BTreeSet};

use super::{BulkTally, Count, DayKey, Kind, NewFigure, first_of_month, last_of_month, start_of};
use crate::Result;

/// Keeps the tallies inside the caller's transaction.
pub(crate) trait FigureWrite {
    /// Recounts each day of `keys` from the rows, and each of their months from its days.
    async fn refresh_figures(&mut self, keys: &[DayKey]) -> Result<()>;
    /// Adds figures that replace none (bulk loads) to their days and months.
    async fn add_figures(&mut self, figures: &[NewFigure]) -> Result<()>;
    /// Adds a bulk load's tallies, counted as it was written, to their days and months.
    async fn add_tally(&mut self, tally: &BulkTally) -> Result<()>;
    /// Adds counts of new figures to their days and months.
    #[allow(clippy::type_complexity)]
    async fn add_counts(
        &mut self,
        days: BTreeMap<(Kind, &str, &str, NaiveDate), Count>,
        months: BTreeMap<(Kind, &str, &str, NaiveDate), Count>,
    ) -> Result<()>;
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
    pub const COASTAL_EVENT: &str = "SELECT -id, CAST(100 AS BIGINT) FROM recruitment_events \
         WHERE kind = $1 AND organiser = $2 AND held_on = $3 AND coastal";
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
    /// Projects in the library (screened in, published or adopted; never dropped).
    pub const PROJECT: &str = "SELECT -id, CAST(100 AS BIGINT) FROM projects \
         WHERE source_unit = $1 AND screened_on = $2 AND status IN ('screened_in', 'published', 'adopted')";
    /// Selection entries, whatever became of them.
    pub const SELECTION: &str = "SELECT -id, CAST(100 AS BIGINT) FROM selection_entries \
         WHERE recommender = $1 AND recommended_on = $2";
    /// Showcase cases, whatever became of them.
    pub const SHOWCASE: &str = "SELECT -id, CAST(100 AS BIGINT) FROM showcase_cases \
         WHERE recommender = $1 AND recommended_on = $2";
    /// A business counts at its first move-in of the year, for the carrier's street. `$3` is
    /// 1 January of the day's year.
    pub const CARRIER_RESIDENT: &str = "SELECT -s.id, CAST(100 AS BIGINT) FROM carrier_stays s \
         JOIN carriers c ON c.id = s.carrier_id WHERE c.street_code = $1 AND s.moved_in_on = $2 \
         AND NOT EXISTS (SELECT 1 FROM carrier_stays e WHERE e.business_id = s.business_id AND e.moved_in_on >= $3 \
         AND (e.moved_in_on < s.moved_in_on OR (e.moved_in_on = s.moved_in_on AND e.id < s.id)))";
    pub const RECOGNITION: &str = "SELECT -id, CAST(100 AS BIGINT) FROM carrier_applications \
         WHERE kind = $1 AND counted_for = $2 AND approved_on = $3";
    pub const EXPERT_SERVICE: &str = "SELECT -id, CAST(100 AS BIGINT) FROM expert_services \
         WHERE recorded_by = $1 AND served_on = $2";
    /// A portal question counts once answered, for the unit that answered it.
    /// A support step counts once done, for its responsible unit on its done day.
    pub const FAILURE_STEP: &str = "SELECT -id, CAST(100 AS BIGINT) FROM failure_steps \
         WHERE unit_code = $1 AND done_on = $2";
    /// Contest entries, for the edition's organiser on the registration day.
    pub const CONTEST_ENTRY: &str = "SELECT -e.id, CAST(100 AS BIGINT) FROM contest_entries e \
         JOIN contest_editions d ON d.id = e.edition_id WHERE d.organiser = $1 AND e.registered_on = $2";
    /// Contest entries landed, for the edition's organiser on the landing day.
    pub const CONTEST_LANDING: &str = "SELECT -e.id, CAST(100 AS BIGINT) FROM contest_entries e \
         JOIN contest_editions d ON d.id = e.edition_id WHERE d.organiser = $1 AND e.landed_on = $2";
    pub const WINDOW_VISIT: &str = "SELECT -id, CAST(100 AS BIGINT) FROM window_visits \
         WHERE logged_by = $1 AND visited_on = $2";
    /// Guaranteed loans, their principal in hundredths of 万元, for the handling unit on the
    /// issue day.
    pub const LOAN: &str =
        "SELECT -id, principal_fen / 10000 FROM loans WHERE unit_code = $1 AND issued_on = $2";
    /// Subsidies paid, in 分, for the category's district unit on the payment day.
    pub const SUBSIDY_PAID: &str = "SELECT -id, paid_fen FROM subsidy_applications \
         WHERE category = $1 AND counted_for = $2 AND paid_on = $3 AND status = 'paid'";
    /// Subsidies paid from a 免申即享 offer.
    pub const OFFER_PAID: &str = "SELECT -id, paid_fen FROM subsidy_applications \
         WHERE channel = 'offer' AND counted_for = $1 AND paid_on = $2 AND status = 'paid'";
    /// Residents surveyed (2.1.1) for their household street; `$3` true for every one, false
    /// for those who mean to come back. People of neighbouring districts never count.
    pub const SURVEYED: &str = "SELECT -m.person_id, CAST(100 AS BIGINT) FROM migrants m \
         JOIN persons p ON p.id = m.person_id WHERE p.street_code = $1 AND m.surveyed_on = $2 \
         AND m.home_district = '' AND ($3 OR m.intention IN ('work', 'business'))";
    /// Five-ones services of a festival (2.1.4), for the returnee's household street.
    pub const FIVE_ONES: &str = "SELECT -f.person_id, CAST(100 AS BIGINT) FROM five_ones f \
         JOIN persons p ON p.id = f.person_id WHERE f.festival = $1 AND p.street_code = $2 \
         AND f.served_on = $3";
    /// Mentorings, whatever became of them, on their start day.
    pub const MENTORING: &str = "SELECT -id, CAST(100 AS BIGINT) FROM mentorings \
         WHERE opened_by = $1 AND started_on = $2";
    /// Inspections of the labour market, for the inspecting unit on the inspection day.
    pub const MARKET_INSPECTION: &str = "SELECT -id, CAST(100 AS BIGINT) FROM market_inspections \
         WHERE unit_code = $1 AND inspected_on = $2";
    /// Notices published on the portal, for the publishing unit on the publication day.
    pub const MARKET_NOTICE: &str = "SELECT -id, CAST(100 AS BIGINT) FROM market_notices \
         WHERE unit_code = $1 AND published_on = $2";
    /// Campus activities of a kind, for the organiser on the day held.
    pub const CAMPUS_ACTIVITY: &str = "SELECT -id, CAST(100 AS BIGINT) FROM campus_activities \
         WHERE kind = $1 AND organiser = $2 AND held_on = $3";
    /// A student counts once per organising unit and year, at the first placement (by start
    /// day, then id).
    pub const INTERN: &str = "SELECT -i.id, CAST(100 AS BIGINT) FROM internships i \
         WHERE i.organiser = $1 AND i.starts_on = $2 AND NOT EXISTS (SELECT 1 FROM internships e \
         WHERE e.organiser = i.organiser AND e.university_id = i.university_id AND e.student_no = i.student_no \
         AND e.year = i.year AND (e.starts_on < i.starts_on OR (e.starts_on = i.starts_on AND e.id < i.id)))";
    /// Students on a visit who are on their first visit of the year with its organiser (by
    /// date, then id): 1.3.3 counts distinct students per unit and year.
    pub const STUDENT_VISIT: &str = "SELECT -v.id, COUNT(*) * 100 FROM student_visits v \
         JOIN student_visit_students a ON a.visit_id = v.id WHERE v.organiser = $1 AND v.visited_on = $2 \
         AND NOT EXISTS (SELECT 1 FROM student_visit_students b JOIN student_visits u ON u.id = b.visit_id \
         WHERE b.student_key = a.student_key AND u.organiser = v.organiser AND u.visit_year = v.visit_year \
         AND (u.visited_on < v.visited_on OR (u.visited_on = v.visited_on AND u.id < v.id))) GROUP BY v.id";
    /// 揽才团 trips, for the organiser on the departure day.
    pub const TALENT_TRIP: &str = "SELECT -id, CAST(100 AS BIGINT) FROM talent_trips \
         WHERE organiser = $1 AND departed_on = $2";
    /// Hires traced to a trip, for the trip's organiser on the hire day.
    pub const TRIP_HIRE: &str = "SELECT -h.id, CAST(100 AS BIGINT) FROM talent_trip_hires h \
         JOIN talent_trips t ON t.id = h.trip_id WHERE t.organiser = $1 AND h.hired_on = $2";
    /// Returnees trained in skills classes (2.4.4), per class, for the organiser on the end day.
    pub const SKILLS_TRAINED: &str = "SELECT -c.id, COUNT(*) * 100 FROM skills_classes c \
         JOIN skills_trainees t ON t.class_id = c.id WHERE c.organiser = $1 AND c.ends_on = $2 GROUP BY c.id";
    /// Title applications of returnees (2.4.4), for the recording unit on the forwarded day.
    pub const TITLES_FORWARDED: &str = "SELECT -id, CAST(100 AS BIGINT) FROM title_applications \
         WHERE unit_code = $1 AND forwarded_on = $2";
    /// Services of HR agencies' special actions (2.4.4), for the action's organiser on the day.
    pub const HR_SERVICE: &str = "SELECT -s.id, CAST(100 AS BIGINT) FROM hr_services s \
         JOIN hr_actions a ON a.id = s.action_id WHERE a.organiser = $1 AND s.served_on = $2";
    /// Graduates' traineeships and courses (1.1.4), for the recording unit on the start day;
    /// figure ids -2·id and -(2·id + 1) keep the two tables apart.
    pub const TRAINEES: &str = "SELECT -(2 * id), CAST(100 AS BIGINT) FROM traineeships \
         WHERE unit_code = $1 AND starts_on = $2 UNION ALL SELECT -(2 * id + 1), CAST(100 AS BIGINT) \
         FROM graduate_courses WHERE unit_code = $1 AND starts_on = $2";
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
                let (days, months) = counts_of(figures);
                self.add_counts(days, months).await
            }

            async fn add_tally(&mut self, tally: &BulkTally) -> Result<()> {
                let (days, months) = tally.counts();
                if days.is_empty() {
                    return Ok(());
                }
                self.add_counts(days, months).await
            }

            async fn add_counts(
                &mut self,
                days: BTreeMap<(Kind, &str, &str, NaiveDate), Count>,
                months: BTreeMap<(Kind, &str, &str, NaiveDate), Count>,
            ) -> Result<()> {
                sqlx::query($lock).execute(&mut *self).await?;
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
                    Kind::CoastalEvent => {
                        sqlx::query_as(day_sql::COASTAL_EVENT).bind(code).bind(unit).bind(day)
                    }
                    Kind::Training => sqlx::query_as(day_sql::TRAINING)
                        .bind(code)
                        .bind(unit)
                        .bind(day)
                        .bind(NaiveDate::from_ymd_opt(day.year(), 1, 1)),
                    Kind::Placed => sqlx::query_as(day_sql::PLACED).bind(year).bind(unit).bind(day),
                    Kind::Roster => sqlx::query_as(day_sql::ROSTER).bind(year).bind(unit),
                    Kind::Project => sqlx::query_as(day_sql::PROJECT).bind(unit).bind(day),
                    Kind::Selection => sqlx::query_as(day_sql::SELECTION).bind(unit).bind(day),
                    Kind::Showcase => sqlx::query_as(day_sql::SHOWCASE).bind(unit).bind(day),
                    Kind::CarrierResident => sqlx::query_as(day_sql::CARRIER_RESIDENT)
                        .bind(unit)
                        .bind(day)
                        .bind(NaiveDate::from_ymd_opt(day.year(), 1, 1)),
                    Kind::Recognition => sqlx::query_as(day_sql::RECOGNITION).bind(code).bind(unit).bind(day),
                    Kind::ExpertService => sqlx::query_as(day_sql::EXPERT_SERVICE).bind(unit).bind(day),
                    Kind::WindowVisit => sqlx::query_as(day_sql::WINDOW_VISIT).bind(unit).bind(day),
                    Kind::FailureStep => sqlx::query_as(day_sql::FAILURE_STEP).bind(unit).bind(day),
                    Kind::ContestEntry => sqlx::query_as(day_sql::CONTEST_ENTRY).bind(unit).bind(day),
                    Kind::ContestLanding => sqlx::query_as(day_sql::CONTEST_LANDING).bind(unit).bind(day),
                    Kind::Mentoring => sqlx::query_as(day_sql::MENTORING).bind(unit).bind(day),
                    Kind::Loan => sqlx::query_as(day_sql::LOAN).bind(unit).bind(day),
                    Kind::SubsidyPaid => sqlx::query_as(day_sql::SUBSIDY_PAID).bind(code).bind(unit).bind(day),
                    Kind::OfferPaid => sqlx::query_as(day_sql::OFFER_PAID).bind(unit).bind(day),
                    Kind::StudentVisit => sqlx::query_as(day_sql::STUDENT_VISIT).bind(unit).bind(day),
                    Kind::TalentTrip => sqlx::query_as(day_sql::TALENT_TRIP).bind(unit).bind(day),
                    Kind::TripHire => sqlx::query_as(day_sql::TRIP_HIRE).bind(unit).bind(day),
                    Kind::Surveyed | Kind::Intending => sqlx::query_as(day_sql::SURVEYED)
                        .bind(unit)
                        .bind(day)
                        .bind(key.kind == Kind::Surveyed),
                    Kind::FiveOnes => sqlx::query_as(day_sql::FIVE_ONES).bind(code).bind(unit).bind(day),
                    Kind::MarketInspection => sqlx::query_as(day_sql::MARKET_INSPECTION).bind(unit).bind(day),
                    Kind::SkillsTrained => sqlx::query_as(day_sql::SKILLS_TRAINED).bind(unit).bind(day),
                    Kind::TitlesForwarded => sqlx::query_as(day_sql::TITLES_FORWARDED).bind(unit).bind(day),
                    Kind::HrService => sqlx::query_as(day_sql::HR_SERVICE).bind(unit).bind(day),
                    Kind::MarketNotice => sqlx::query_as(day_sql::MARKET_NOTICE).bind(unit).bind(day),
                    Kind::CampusActivity => {
                        sqlx::query_as(day_sql::CAMPUS_ACTIVITY).bind(code).bind(unit).bind(day)
                    }
                    Kind::Intern => sqlx::query_as(day_sql::INTERN).bind(unit).bind(day),
                    Kind::Trainees => sqlx::query_as(day_sql::TRAINEES).bind(unit).bind(day),
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

impl_figure_write!(
    sqlx::SqliteConnection,
    sqlx::Sqlite,
    "SELECT 1",
    rebuild_sql!(
        "date(published_at, '+8 hours')",
        "date(day, 'start of month')",
        "date(t.held_on, 'start of year')",
        "printf('%04d-01-01', g.year)",
        "date(s.moved_in_on, 'start of year')"
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
        "make_date(CAST(g.year AS INTEGER), 1, 1)",
        "CAST(date_trunc('year', s.moved_in_on) AS DATE)"
    )
);
