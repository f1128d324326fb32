//! The writes of failure support, inside the caller's transaction so that the case, its steps,
//! the tallies and the audit row commit together (and a closure's cases with the business's
//! status).

use chrono::{DateTime, NaiveDate, Utc};
use linkong_core::failure::{ValidClose, ValidStep};
use sqlx::{PgConnection, SqliteConnection};

use crate::Result;

/// A case as it is written: opened by a business's closure (`business_id` set) or by hand.
pub(crate) struct NewCase<'a> {
    pub person_id: i64,
    pub business_id: Option<i64>,
    pub business_name: &'a str,
    pub business_closed_on: NaiveDate,
    pub close_reason: &'a str,
    pub street_code: &'a str,
    pub opened_on: NaiveDate,
    pub wants_restart: bool,
    pub user_id: i64,
    pub now: DateTime<Utc>,
}

pub(crate) trait FailureWrite {
    async fn insert_case(&mut self, case: &NewCase<'_>) -> Result<i64>;
    /// Adds a step to a case still open; `None` if it closed meanwhile.
    async fn insert_step(
        &mut self,
        case_id: i64,
        step: &ValidStep,
        user_id: i64,
        now: DateTime<Utc>,
    ) -> Result<Option<i64>>;
    /// Records a planned step of an open case as done; false if it was done or the case
    /// closed meanwhile.
    async fn mark_step_done(
        &mut self,
        step_id: i64,
        done_on: NaiveDate,
        user_id: i64,
    ) -> Result<bool>;
    /// Records the wish to start again; false if the case closed meanwhile.
    async fn set_wants_restart(&mut self, case_id: i64, wants: bool) -> Result<bool>;
    /// Closes an open case; false if it closed meanwhile.
    async fn close_case(&mut self, case_id: i64, close: &ValidClose) -> Result<bool>;
}

macro_rules! impl_failure_write {
    ($conn:ty) => {
        impl FailureWrite for $conn {
            async fn insert_case(&mut self, c: &NewCase<'_>) -> Result<i64> {
                Ok(sqlx::query_scalar(
                    "INSERT INTO failure_cases (person_id, business_id, business_name, business_closed_on, \
                     close_reason, street_code, opened_on, wants_restart, outcome, closed_on, new_business_id, \
                     outcome_note, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, NULL, NULL, \
                     NULL, '', $9, $10) RETURNING id",
                )
                .bind(c.person_id)
                .bind(c.business_id)
                .bind(c.business_name)
                .bind(c.business_closed_on)
                .bind(c.close_reason)
                .bind(c.street_code)
                .bind(c.opened_on)
                .bind(c.wants_restart)
                .bind(c.user_id)
                .bind(c.now)
                .fetch_one(&mut *self)
                .await?)
            }

            async fn insert_step(
                &mut self,
                case_id: i64,
                step: &ValidStep,
                user_id: i64,
                now: DateTime<Utc>,
            ) -> Result<Option<i64>> {
                // Inserted only while the case is open: the check and the write are one statement.
                Ok(sqlx::query_scalar(
                    "INSERT INTO failure_steps (case_id, kind, unit_code, planned_on, done_on, note, created_by, \
                     created_at, done_by) SELECT id, $2, $3, $4, $5, $6, $7, $8, $9 FROM failure_cases \
                     WHERE id = $1 AND outcome IS NULL RETURNING id",
                )
                .bind(case_id)
                .bind(step.kind.code())
                .bind(&step.unit)
                .bind(step.planned_on)
                .bind(step.done_on)
                .bind(&step.note)
                .bind(user_id)
                .bind(now)
                .bind(step.done_on.map(|_| user_id))
                .fetch_optional(&mut *self)
                .await?)
            }

            async fn mark_step_done(
                &mut self,
                step_id: i64,
                done_on: NaiveDate,
                user_id: i64,
            ) -> Result<bool> {
                let done = sqlx::query(
                    "UPDATE failure_steps SET done_on = $1, done_by = $2 WHERE id = $3 AND done_on IS NULL \
                     AND case_id IN (SELECT id FROM failure_cases WHERE outcome IS NULL)",
                )
                .bind(done_on)
                .bind(user_id)
                .bind(step_id)
                .execute(&mut *self)
                .await?;
                Ok(done.rows_affected() == 1)
            }

            async fn set_wants_restart(&mut self, case_id: i64, wants: bool) -> Result<bool> {
                let done = sqlx::query(
                    "UPDATE failure_cases SET wants_restart = $1 WHERE id = $2 AND outcome IS NULL",
                )
                .bind(wants)
                .bind(case_id)
                .execute(&mut *self)
                .await?;
                Ok(done.rows_affected() == 1)
            }

            async fn close_case(&mut self, case_id: i64, close: &ValidClose) -> Result<bool> {
                let done = sqlx::query(
                    "UPDATE failure_cases SET outcome = $1, closed_on = $2, new_business_id = $3, \
                     outcome_note = $4 WHERE id = $5 AND outcome IS NULL",
                )
                .bind(close.outcome.code())
                .bind(close.closed_on)
                .bind(close.new_business)
                .bind(&close.note)
                .bind(case_id)
                .execute(&mut *self)
                .await?;
                Ok(done.rows_affected() == 1)
            }
        }
    };
}

impl_failure_write!(SqliteConnection);
impl_failure_write!(PgConnection);
