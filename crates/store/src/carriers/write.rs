//! The writes of carriers, stays and applications, inside the caller's transaction so that a
//! row, the business's site, the tallies and the audit row commit together.

use chrono::{DateTime, NaiveDate, Utc};
use linkong_core::carriers::CarrierLevel;
use linkong_core::carriers::applications::{ApplicationKind, Document, Stage, Step};
use sqlx::{PgConnection, SqliteConnection};

use super::{CarrierRowWrite, Residence};
use crate::Result;

pub(crate) trait CarrierWrite {
    /// Inserts a carrier (`id` None) or changes one; its id.
    async fn write_carrier(&mut self, id: Option<i64>, write: &CarrierRowWrite<'_>) -> Result<i64>;
}

pub(crate) trait StayWrite {
    /// A stay from `day`, and the business's site as the carrier; the stay's id.
    async fn open_stay(
        &mut self,
        carrier_id: i64,
        business_id: i64,
        day: NaiveDate,
        user_id: i64,
        now: DateTime<Utc>,
    ) -> Result<i64>;
    /// Ends a stay on `day`; the business's site is no longer the carrier.
    async fn close_stay(
        &mut self,
        stay: &Residence,
        day: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<()>;
}

/// A new application as written: its carrier, kind, recommending and counting units, day.
pub(crate) struct NewApplication<'a> {
    pub carrier_id: i64,
    pub kind: ApplicationKind,
    pub recommended_by: &'a str,
    pub counted_for: &'a str,
    pub on: NaiveDate,
}

pub(crate) trait ApplicationWrite {
    /// The application at its first stage (推荐), with that step; its id.
    async fn insert_application(
        &mut self,
        new: &NewApplication<'_>,
        user_id: i64,
        now: DateTime<Utc>,
    ) -> Result<i64>;
    /// Moves an application to `step`'s stage, kept in its steps; an approval dates it and
    /// raises the carrier's level to `level`.
    async fn step_application(
        &mut self,
        id: i64,
        step: &Step,
        level: Option<(i64, CarrierLevel)>,
        user_id: i64,
        now: DateTime<Utc>,
    ) -> Result<()>;
    async fn insert_document(
        &mut self,
        id: i64,
        document: &Document,
        user_id: i64,
        now: DateTime<Utc>,
    ) -> Result<()>;
}

macro_rules! impl_carrier_write {
    ($conn:ty) => {
        impl CarrierWrite for $conn {
            async fn write_carrier(&mut self, id: Option<i64>, w: &CarrierRowWrite<'_>) -> Result<i64> {
                let v = w.valid;
                // $14 is the author on insert, the carrier's id on update.
                let (sql, last) = match id {
                    None => ("INSERT INTO carriers (kind, name, operator, address, street_code, area, places, rent, \
                         rent_note, services, level, contact, phone, created_by, created_at, updated_at) VALUES \
                         ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15) RETURNING id", w.user_id),
                    Some(id) => ("UPDATE carriers SET kind = $1, name = $2, operator = $3, address = $4, street_code = $5, \
                         area = $6, places = $7, rent = $8, rent_note = $9, services = $10, level = $11, contact = $12, \
                         phone = $13, updated_at = $15 WHERE id = $14 RETURNING id", id),
                };
                Ok(sqlx::query_scalar(sql)
                    .bind(v.kind.code())
                    .bind(&v.name)
                    .bind(&v.operator)
                    .bind(&v.address)
                    .bind(&v.street_code)
                    .bind(v.area.hundredths())
                    .bind(v.places)
                    .bind(v.rent.map(|r| r.hundredths()))
                    .bind(&v.rent_note)
                    .bind(&v.services)
                    .bind(v.level.code())
                    .bind(&v.contact)
                    .bind(&v.phone)
                    .bind(last)
                    .bind(w.now)
                    .fetch_one(&mut *self)
                    .await?)
            }
        }

        impl StayWrite for $conn {
            async fn open_stay(
                &mut self,
                carrier_id: i64,
                business_id: i64,
                day: NaiveDate,
                user_id: i64,
                now: DateTime<Utc>,
            ) -> Result<i64> {
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO carrier_stays (carrier_id, business_id, moved_in_on, moved_out_on, recorded_by, \
                     recorded_at) VALUES ($1, $2, $3, NULL, $4, $5) RETURNING id",
                )
                .bind(carrier_id)
                .bind(business_id)
                .bind(day)
                .bind(user_id)
                .bind(now)
                .fetch_one(&mut *self)
                .await?;
                sqlx::query("UPDATE businesses SET carrier_id = $1, updated_at = $2 WHERE id = $3")
                    .bind(carrier_id)
                    .bind(now)
                    .bind(business_id)
                    .execute(&mut *self)
                    .await?;
                Ok(id)
            }

            async fn close_stay(&mut self, stay: &Residence, day: NaiveDate, now: DateTime<Utc>) -> Result<()> {
                sqlx::query("UPDATE carrier_stays SET moved_out_on = $1 WHERE id = $2")
                    .bind(day)
                    .bind(stay.stay_id)
                    .execute(&mut *self)
                    .await?;
                sqlx::query(
                    "UPDATE businesses SET carrier_id = NULL, updated_at = $1 WHERE id = $2 AND carrier_id = $3",
                )
                .bind(now)
                .bind(stay.business_id)
                .bind(stay.carrier_id)
                .execute(&mut *self)
                .await?;
                Ok(())
            }
        }

        impl ApplicationWrite for $conn {
            async fn insert_application(
                &mut self,
                new: &NewApplication<'_>,
                user_id: i64,
                now: DateTime<Utc>,
            ) -> Result<i64> {
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO carrier_applications (carrier_id, kind, recommended_by, counted_for, stage, stage_on, \
                     reason, approved_on, created_by, created_at, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, '', NULL, $7, $8, $8) RETURNING id",
                )
                .bind(new.carrier_id)
                .bind(new.kind.code())
                .bind(new.recommended_by)
                .bind(new.counted_for)
                .bind(Stage::Recommended.code())
                .bind(new.on)
                .bind(user_id)
                .bind(now)
                .fetch_one(&mut *self)
                .await?;
                let first = Step {
                    stage: Stage::Recommended,
                    on: new.on,
                    note: String::new(),
                };
                insert_step(self, id, &first, user_id, now).await?;
                Ok(id)
            }

            async fn step_application(
                &mut self,
                id: i64,
                step: &Step,
                level: Option<(i64, CarrierLevel)>,
                user_id: i64,
                now: DateTime<Utc>,
            ) -> Result<()> {
                let approved = (step.stage == Stage::Approved).then_some(step.on);
                let reason = if step.stage == Stage::Rejected { step.note.as_str() } else { "" };
                sqlx::query(
                    "UPDATE carrier_applications SET stage = $1, stage_on = $2, reason = $3, approved_on = $4, \
                     updated_at = $5 WHERE id = $6",
                )
                .bind(step.stage.code())
                .bind(step.on)
                .bind(reason)
                .bind(approved)
                .bind(now)
                .bind(id)
                .execute(&mut *self)
                .await?;
                if let Some((carrier, level)) = level {
                    sqlx::query("UPDATE carriers SET level = $1, updated_at = $2 WHERE id = $3")
                        .bind(level.code())
                        .bind(now)
                        .bind(carrier)
                        .execute(&mut *self)
                        .await?;
                }
                insert_step(self, id, step, user_id, now).await
            }

            async fn insert_document(
                &mut self,
                id: i64,
                document: &Document,
                user_id: i64,
                now: DateTime<Utc>,
            ) -> Result<()> {
                sqlx::query(
                    "INSERT INTO carrier_application_documents (application_id, name, dated_on, recorded_by, \
                     recorded_at) VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(id)
                .bind(&document.name)
                .bind(document.on)
                .bind(user_id)
                .bind(now)
                .execute(&mut *self)
                .await?;
                sqlx::query("UPDATE carrier_applications SET updated_at = $1 WHERE id = $2")
                    .bind(now)
                    .bind(id)
                    .execute(&mut *self)
                    .await?;
                Ok(())
            }
        }

        impl StepRow for $conn {
            async fn step_row(&mut self, id: i64, step: &Step, user_id: i64, now: DateTime<Utc>) -> Result<()> {
                sqlx::query(
                    "INSERT INTO carrier_application_steps (application_id, stage, stepped_on, note, recorded_by, \
                     recorded_at) VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(id)
                .bind(step.stage.code())
                .bind(step.on)
                .bind(&step.note)
                .bind(user_id)
                .bind(now)
                .execute(&mut *self)
                .await?;
                Ok(())
            }
        }
    };
}

/// One line of an application's steps.
trait StepRow {
    async fn step_row(
        &mut self,
        id: i64,
        step: &Step,
        user_id: i64,
        now: DateTime<Utc>,
    ) -> Result<()>;
}

async fn insert_step<C: StepRow>(
    conn: &mut C,
    id: i64,
    step: &Step,
    user_id: i64,
    now: DateTime<Utc>,
) -> Result<()> {
    conn.step_row(id, step, user_id, now).await
}

impl_carrier_write!(SqliteConnection);
impl_carrier_write!(PgConnection);
