//! Returnee services: start-up lectures (创业大讲堂, 2.2.1) and Malanhua classes (马兰花创业培训,
//! 2.2.2) with their attendees from the out-migrant registry, and the five-ones service (五个一,
//! 2.1.4) per returnee per festival. Attendees are named by resident ID, found through the blind
//! index, and must be within the recording unit's reach; counts feed the indicators.

use chrono::{Datelike, NaiveDate};
use linkong_core::access::Actor;
use linkong_core::field::FieldError;
use linkong_core::people::{
    Festival, Registered, TrainingKind, ValidFiveOnes, attendee_list, checked_attendees,
    checked_date, checked_text, returnee, validate_five_ones,
};
use linkong_core::plan::Plan;
use linkong_core::resident::ResidentId;
use linkong_core::time::local_date;
use serde::Serialize;
use sqlx::{PgConnection, SqliteConnection};

use crate::audit::{AuditAppend, AuditEvent};
use crate::figures::{DayKey, FigureWrite, Kind};
use crate::{BeginWrite, Error, Result, Store, on_db};
use linkong_core::access::Roster;

/// A lecture or class as typed in; `attendees` holds resident IDs, one a line (or separated by
/// commas, spaces or 、).
#[derive(Debug, Clone, Default)]
pub struct TrainingDraft {
    pub kind: String,
    pub title: String,
    pub held_on: String,
    pub place: String,
    pub speaker: String,
    pub attendees: String,
}

/// A lecture or class with how many attended: no personal data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Training {
    pub id: i64,
    pub kind: String,
    pub title: String,
    pub held_on: NaiveDate,
    pub organiser: String,
    pub place: String,
    pub speaker: String,
    pub attendees: i64,
}

pub use linkong_core::people::FiveOnesDraft;

/// How the five-ones went at one festival of a year, within the viewer's reach.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FestivalSummary {
    pub festival: Festival,
    pub people: i64,
    /// How many received each of the five items, in [`linkong_core::people::FIVE_ONES`] order.
    pub items: [i64; 5],
}

/// One five-ones record with the returnee masked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FiveOnesEntry {
    pub person_id: i64,
    pub name: String,
    pub id_masked: String,
    pub festival: Festival,
    pub items: [bool; 5],
    pub served_on: NaiveDate,
}

const TRAINING_SELECT: &str = "SELECT t.id, t.kind, t.title, t.held_on, t.organiser, t.place, t.speaker, \
     (SELECT COUNT(*) FROM training_attendees a WHERE a.training_id = t.id) AS attendees FROM trainings t";

impl Store {
    /// The unit an actor records returnee services for: a street, or a lead unit of the task.
    async fn serving_unit(
        &self,
        plan: &Plan,
        actor: &Actor,
        task: &str,
        ip: &str,
    ) -> Result<String> {
        if actor.may_record_returnee_services(plan, task) {
            return Ok(actor.unit_code.clone().unwrap_or_default());
        }
        Err(self
            .deny(
                actor,
                format!("task:{task}"),
                "只有街道和牵头部门的填报员可以登记返区人员服务",
                ip,
            )
            .await)
    }

    /// The person a returnee service names by `id_number`, or why core refuses them: the
    /// store looks the number up in the registry, core decides.
    pub(crate) async fn returnee(
        &self,
        plan: &Plan,
        actor: &Actor,
        id_number: &str,
    ) -> Result<std::result::Result<i64, String>> {
        match ResidentId::parse(id_number) {
            Ok(id) => self.registered_returnee(plan, actor, &id).await,
            Err(e) => Ok(Err(e.to_string())),
        }
    }

    async fn registered_returnee(
        &self,
        plan: &Plan,
        actor: &Actor,
        id: &ResidentId,
    ) -> Result<std::result::Result<i64, String>> {
        let index = self.cipher()?.blind_index(id.as_str());
        let found: Option<(i64, String, bool)> = on_db!(self, pool => sqlx::query_as(
            "SELECT p.id, p.street_code, m.person_id IS NOT NULL FROM persons p \
             LEFT JOIN migrants m ON m.person_id = p.id WHERE p.id_number_index = $1"
        )
        .bind(&index)
        .fetch_optional(pool)
        .await?);
        let found = found
            .as_ref()
            .map(|(person_id, street, migrant)| Registered {
                person_id: *person_id,
                household_street: street,
                migrant: *migrant,
            });
        let scope = actor.people_scope(plan, Roster::Migrants);
        Ok(returnee(id, found, &scope))
    }

    /// Records a lecture or Malanhua class held by the actor's unit, with its attendees.
    pub async fn record_training(
        &self,
        plan: &Plan,
        actor: &Actor,
        draft: &TrainingDraft,
        ip: &str,
    ) -> Result<i64> {
        let mut errors = Vec::new();
        let kind = TrainingKind::parse(&draft.kind)
            .map_err(|message| {
                errors.push(FieldError {
                    field: "培训类型",
                    message,
                })
            })
            .ok();
        let task = kind.unwrap_or(TrainingKind::Lecture).task_code();
        let organiser = self.serving_unit(plan, actor, task, ip).await?;
        let today = local_date(self.now());
        let title = checked_text(&mut errors, "名称", &draft.title, true);
        let held_on = checked_date(&mut errors, "举办日期", &draft.held_on, today);
        let place = checked_text(&mut errors, "地点", &draft.place, true);
        let speaker = checked_text(&mut errors, "主讲人", &draft.speaker, false);
        let attendees = self
            .attendee_ids(plan, actor, &draft.attendees, &mut errors)
            .await?;
        let (Some(kind), Some(held_on), true) = (kind, held_on, errors.is_empty()) else {
            return Err(Error::Fields(errors));
        };
        let now = self.now();
        let event = AuditEvent::new("training.record", format!("unit:{organiser}"))
            .by(Some(actor.user_id), &actor.username)
            .detail(format!("{}：{title}，{} 人", kind.label(), attendees.len()))
            .from_ip(ip);
        let _guard = self.write_lock.lock().await;
        let id = on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let id = tx
                .insert_training(&NewTraining {
                    kind,
                    title: &title,
                    held_on,
                    organiser: &organiser,
                    place: &place,
                    speaker: &speaker,
                    attendees: &attendees,
                    user_id: actor.user_id,
                    now,
                })
                .await?;
            let keys = tx.training_days(kind.code(), id, &organiser, held_on).await?;
            tx.refresh_figures(&keys).await?;
            tx.append_audit(now, &event).await?;
            tx.commit().await?;
            id
        });
        Ok(id)
    }

    /// The attendees typed in, as core checks them: each a returnee within the actor's reach
    /// (looked up here), named once; what is wrong goes to `errors`.
    async fn attendee_ids(
        &self,
        plan: &Plan,
        actor: &Actor,
        typed: &str,
        errors: &mut Vec<FieldError>,
    ) -> Result<Vec<i64>> {
        let list = match attendee_list(typed) {
            Ok(list) => list,
            Err(refused) => {
                errors.push(refused);
                return Ok(Vec::new());
            }
        };
        let mut named = Vec::with_capacity(list.len());
        for entry in list {
            named.push(match entry {
                Ok(id) => self.registered_returnee(plan, actor, &id).await?,
                Err(why) => Err(why),
            });
        }
        Ok(checked_attendees(&named, errors))
    }

    /// The lectures and classes held in `year`, newest first (counts only: no personal data).
    pub async fn trainings_of_year(&self, year: i32) -> Result<Vec<Training>> {
        let (from, to) = (
            NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or_default(),
            NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or_default(),
        );
        Ok(
            on_db!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "{TRAINING_SELECT} WHERE t.held_on >= $1 AND t.held_on <= $2 ORDER BY t.held_on DESC, t.id DESC"
        )))
        .bind(from)
        .bind(to)
        .fetch_all(pool)
        .await?),
        )
    }

    /// Records (or corrects) the five-ones a returnee received at a festival.
    pub async fn record_five_ones(
        &self,
        plan: &Plan,
        actor: &Actor,
        draft: &FiveOnesDraft,
        ip: &str,
    ) -> Result<()> {
        let unit = self.serving_unit(plan, actor, "2.1.4", ip).await?;
        let today = local_date(self.now());
        let mut errors = Vec::new();
        let person = self
            .returnee(plan, actor, &draft.id_number)
            .await?
            .map_err(|message| {
                errors.push(FieldError {
                    field: "身份证号码",
                    message,
                })
            })
            .ok();
        let valid = validate_five_ones(draft, plan.years(), today, &mut errors);
        let (Some(person), Some(valid), true) = (person, valid, errors.is_empty()) else {
            return Err(Error::Fields(errors));
        };
        let ValidFiveOnes {
            year,
            festival,
            items,
            served_on,
        } = valid;
        let now = self.now();
        let event = AuditEvent::new("returnee.five_ones", format!("person:{person}"))
            .by(Some(actor.user_id), &actor.username)
            .detail(format!("{year} {}", festival.label()))
            .from_ip(ip);
        let _guard = self.write_lock.lock().await;
        on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let days = tx.upsert_five_ones(&FiveOnesRow {
                person,
                year,
                festival,
                items,
                served_on,
                unit: &unit,
                user_id: actor.user_id,
                now,
            })
            .await?;
            tx.refresh_figures(&days).await?;
            tx.append_audit(now, &event).await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// The five-ones of `year` within the actor's reach (of one household street's returnees
    /// when `street` is given: the rows behind 2.1.4's figure of that street): per festival,
    /// and the latest records.
    pub async fn five_ones_of_year(
        &self,
        plan: &Plan,
        actor: &Actor,
        year: i32,
        street: Option<&str>,
    ) -> Result<(Vec<FestivalSummary>, Vec<FiveOnesEntry>)> {
        let scope = actor.people_scope(plan, Roster::Migrants);
        type Row = (
            i64,
            String,
            Vec<u8>,
            String,
            bool,
            bool,
            bool,
            bool,
            bool,
            NaiveDate,
            String,
        );
        let rows: Vec<Row> = on_db!(self, pool => sqlx::query_as(
            "SELECT f.person_id, p.name, p.id_number_enc, f.festival, f.letter, f.talk, f.park_visit, \
             f.policy_list, f.gift, f.served_on, p.street_code FROM five_ones f \
             JOIN persons p ON p.id = f.person_id WHERE f.year = $1 ORDER BY f.served_on DESC, f.person_id"
        )
        .bind(i64::from(year))
        .fetch_all(pool)
        .await?);
        let mut summaries: Vec<FestivalSummary> = Festival::ALL
            .iter()
            .map(|f| FestivalSummary {
                festival: *f,
                people: 0,
                items: [0; 5],
            })
            .collect();
        let mut entries = Vec::new();
        for (person_id, name, id_enc, festival, a, b, c, d, e, served_on, home) in rows {
            if !scope.reaches(&home) || street.is_some_and(|s| s != home) {
                continue;
            }
            let Ok(festival) = Festival::parse(&festival) else {
                continue;
            };
            let items = [a, b, c, d, e];
            if let Some(summary) = summaries.iter_mut().find(|s| s.festival == festival) {
                summary.people += 1;
                for (count, given) in summary.items.iter_mut().zip(items) {
                    *count += i64::from(given);
                }
            }
            if entries.len() < 200 {
                entries.push(FiveOnesEntry {
                    person_id,
                    name,
                    id_masked: self.masked_numbers(&id_enc, None)?.0,
                    festival,
                    items,
                    served_on,
                });
            }
        }
        Ok((summaries, entries))
    }

    /// The lectures and classes a resident attended, and the five-ones they received: part of
    /// [`Store::returnee_file`], which checks first that the resident is within reach.
    pub(crate) async fn returnee_history(
        &self,
        person_id: i64,
    ) -> Result<(Vec<Training>, Vec<(i64, Festival, [bool; 5], NaiveDate)>)> {
        let trainings: Vec<Training> = on_db!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "{TRAINING_SELECT} WHERE t.id IN (SELECT training_id FROM training_attendees \
             WHERE person_id = $1) ORDER BY t.held_on DESC"
        )))
        .bind(person_id)
        .fetch_all(pool)
        .await?);
        type Row = (i64, String, bool, bool, bool, bool, bool, NaiveDate);
        let rows: Vec<Row> = on_db!(self, pool => sqlx::query_as(
            "SELECT year, festival, letter, talk, park_visit, policy_list, gift, served_on \
             FROM five_ones WHERE person_id = $1 ORDER BY served_on DESC"
        )
        .bind(person_id)
        .fetch_all(pool)
        .await?);
        let five_ones = rows
            .into_iter()
            .filter_map(|(year, festival, a, b, c, d, e, on)| {
                Festival::parse(&festival)
                    .ok()
                    .map(|f| (year, f, [a, b, c, d, e], on))
            })
            .collect();
        Ok((trainings, five_ones))
    }

    /// Registry figures of the trainings in [from, to]: lecture person-times, and Malanhua
    /// trainees counted once a year each (at their first class), per organising unit.
    pub(crate) async fn training_figures(
        &self,
        kind: TrainingKind,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<(i64, String, i64, NaiveDate)>> {
        let rows: Vec<(i64, String, NaiveDate, i64)> = on_db!(self, pool => sqlx::query_as(
            "SELECT t.id, t.organiser, t.held_on, a.person_id FROM trainings t \
             JOIN training_attendees a ON a.training_id = t.id \
             WHERE t.kind = $1 AND t.held_on >= $2 AND t.held_on <= $3 ORDER BY t.held_on, t.id"
        )
        .bind(kind.code())
        .bind(from)
        .bind(to)
        .fetch_all(pool)
        .await?);
        let mut seen: std::collections::HashSet<(i32, i64)> = std::collections::HashSet::new();
        let mut figures: Vec<(i64, String, i64, NaiveDate)> = Vec::new();
        for (id, organiser, held_on, person) in rows {
            let counts = kind == TrainingKind::Lecture || seen.insert((held_on.year(), person));
            if !counts {
                continue;
            }
            match figures.last_mut() {
                Some(last) if last.0 == id => last.2 += 1,
                _ => figures.push((id, organiser, 1, held_on)),
            }
        }
        Ok(figures)
    }
}

/// A lecture or class as it is written, with its checked attendees.
struct NewTraining<'a> {
    kind: TrainingKind,
    title: &'a str,
    held_on: NaiveDate,
    organiser: &'a str,
    place: &'a str,
    speaker: &'a str,
    attendees: &'a [i64],
    user_id: i64,
    now: chrono::DateTime<chrono::Utc>,
}

/// One returnee's five-ones at one festival as it is written.
struct FiveOnesRow<'a> {
    person: i64,
    year: i64,
    festival: Festival,
    /// Letter, talk, park visit, policy list, gift.
    items: [bool; 5],
    served_on: NaiveDate,
    unit: &'a str,
    user_id: i64,
    now: chrono::DateTime<chrono::Utc>,
}

/// The writes of the returnee services, inside the caller's transaction so that the rows, the
/// tallies and the audit row commit together.
trait ReturneeWrite {
    async fn insert_training(&mut self, training: &NewTraining<'_>) -> Result<i64>;
    /// Writes the row; returns the tallies it changes (2.1.4): its day, and the day it
    /// replaces when corrected.
    async fn upsert_five_ones(&mut self, row: &FiveOnesRow<'_>) -> Result<Vec<DayKey>>;
}

macro_rules! impl_returnee_write {
    ($conn:ty) => {
        impl ReturneeWrite for $conn {
            async fn insert_training(&mut self, t: &NewTraining<'_>) -> Result<i64> {
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO trainings (kind, title, held_on, organiser, place, speaker, created_by, \
                     created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
                )
                .bind(t.kind.code())
                .bind(t.title)
                .bind(t.held_on)
                .bind(t.organiser)
                .bind(t.place)
                .bind(t.speaker)
                .bind(t.user_id)
                .bind(t.now)
                .fetch_one(&mut *self)
                .await?;
                for person in t.attendees {
                    sqlx::query("INSERT INTO training_attendees (training_id, person_id) VALUES ($1, $2)")
                        .bind(id)
                        .bind(person)
                        .execute(&mut *self)
                        .await?;
                }
                Ok(id)
            }

            async fn upsert_five_ones(&mut self, row: &FiveOnesRow<'_>) -> Result<Vec<DayKey>> {
                let [letter, talk, park_visit, policy_list, gift] = row.items;
                let before: Option<NaiveDate> = sqlx::query_scalar(
                    "SELECT served_on FROM five_ones WHERE person_id = $1 AND year = $2 AND festival = $3",
                )
                .bind(row.person)
                .bind(row.year)
                .bind(row.festival.code())
                .fetch_optional(&mut *self)
                .await?;
                let street: String = sqlx::query_scalar("SELECT street_code FROM persons WHERE id = $1")
                    .bind(row.person)
                    .fetch_one(&mut *self)
                    .await?;
                sqlx::query(
                    "INSERT INTO five_ones (person_id, year, festival, letter, talk, park_visit, \
                     policy_list, gift, served_on, unit_code, user_id, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) \
                     ON CONFLICT (person_id, year, festival) DO UPDATE SET letter = excluded.letter, \
                     talk = excluded.talk, park_visit = excluded.park_visit, \
                     policy_list = excluded.policy_list, gift = excluded.gift, \
                     served_on = excluded.served_on, unit_code = excluded.unit_code, \
                     user_id = excluded.user_id, updated_at = excluded.updated_at",
                )
                .bind(row.person)
                .bind(row.year)
                .bind(row.festival.code())
                .bind(letter)
                .bind(talk)
                .bind(park_visit)
                .bind(policy_list)
                .bind(gift)
                .bind(row.served_on)
                .bind(row.unit)
                .bind(row.user_id)
                .bind(row.now)
                .execute(&mut *self)
                .await?;
                let festival = row.festival.code();
                Ok(std::iter::once(row.served_on)
                    .chain(before)
                    .map(|day| DayKey::new(Kind::FiveOnes, festival, street.as_str(), day))
                    .collect())
            }
        }
    };
}

impl_returnee_write!(SqliteConnection);
impl_returnee_write!(PgConnection);
