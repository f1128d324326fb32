//! The writes of the service window, inside the caller's transaction so that the rows, the
//! tallies and the audit row commit together.

use chrono::{DateTime, Utc};
use linkong_core::window::{Referral, ValidFollowUp, ValidVisit};
use sqlx::{PgConnection, SqliteConnection};

use super::StoredVisitor;
use crate::Result;

/// A visit as it is written.
pub(super) struct NewVisit<'a> {
    pub visit: &'a ValidVisit,
    pub visitor: &'a StoredVisitor,
    /// The keeper's unit; `None` for a portal question waiting for an answer.
    pub logged_by: Option<&'a str>,
    /// The digest of the asking address of a portal question.
    pub asked_from: Option<&'a str>,
    pub user_id: Option<i64>,
    pub now: DateTime<Utc>,
}

pub(super) trait WindowWrite {
    async fn insert_visit(&mut self, row: &NewVisit<'_>) -> Result<i64>;
    /// How many questions the address of digest `from` asked since `since`.
    async fn questions_from(&mut self, from: &str, since: DateTime<Utc>) -> Result<i64>;
    /// Answers a waiting question; false if it was answered meanwhile.
    async fn answer_visit(
        &mut self,
        id: i64,
        answer: &str,
        referral: Option<&Referral>,
        unit: &str,
        now: DateTime<Utc>,
    ) -> Result<bool>;
    /// Adds a follow-up (closing the referral when it has a result); false if the referral
    /// was closed meanwhile.
    async fn add_follow_up(
        &mut self,
        id: i64,
        follow: &ValidFollowUp,
        unit: &str,
        user_id: i64,
        now: DateTime<Utc>,
    ) -> Result<bool>;
}

macro_rules! impl_window_write {
    ($conn:ty) => {
        impl WindowWrite for $conn {
            async fn insert_visit(&mut self, row: &NewVisit<'_>) -> Result<i64> {
                let (person, name, phone_enc, street) = match row.visitor {
                    StoredVisitor::Person(id) => (Some(*id), String::new(), None, None),
                    StoredVisitor::WalkIn {
                        name,
                        phone_enc,
                        street,
                    } => (None, name.clone(), phone_enc.clone(), street.clone()),
                };
                let v = row.visit;
                let referral = v.referral.as_ref();
                Ok(sqlx::query_scalar(
                    "INSERT INTO window_visits (person_id, visitor_name, phone_enc, street_code, visited_on, \
                     topic, question, answer, from_portal, asked_from, logged_by, answered_at, referred_to, \
                     due_on, closed_on, result, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, \
                     $8, $9, $10, $11, $12, $13, $14, NULL, '', $15, $16) RETURNING id",
                )
                .bind(person)
                .bind(name)
                .bind(phone_enc)
                .bind(street)
                .bind(v.visited_on)
                .bind(v.topic.code())
                .bind(&v.question)
                .bind(&v.answer)
                .bind(row.asked_from.is_some())
                .bind(row.asked_from)
                .bind(row.logged_by)
                .bind(row.logged_by.map(|_| row.now))
                .bind(referral.map(|r| r.unit.as_str()))
                .bind(referral.map(|r| r.due_on))
                .bind(row.user_id)
                .bind(row.now)
                .fetch_one(&mut *self)
                .await?)
            }

            async fn questions_from(&mut self, from: &str, since: DateTime<Utc>) -> Result<i64> {
                Ok(sqlx::query_scalar(
                    "SELECT COUNT(*) FROM window_visits WHERE asked_from = $1 AND created_at >= $2",
                )
                .bind(from)
                .bind(since)
                .fetch_one(&mut *self)
                .await?)
            }

            async fn answer_visit(
                &mut self,
                id: i64,
                answer: &str,
                referral: Option<&Referral>,
                unit: &str,
                now: DateTime<Utc>,
            ) -> Result<bool> {
                let done = sqlx::query(
                    "UPDATE window_visits SET answer = $1, referred_to = $2, due_on = $3, logged_by = $4, \
                     answered_at = $5 WHERE id = $6 AND logged_by IS NULL",
                )
                .bind(answer)
                .bind(referral.map(|r| r.unit.as_str()))
                .bind(referral.map(|r| r.due_on))
                .bind(unit)
                .bind(now)
                .bind(id)
                .execute(&mut *self)
                .await?;
                Ok(done.rows_affected() == 1)
            }

            async fn add_follow_up(
                &mut self,
                id: i64,
                follow: &ValidFollowUp,
                unit: &str,
                user_id: i64,
                now: DateTime<Utc>,
            ) -> Result<bool> {
                // Closing and the check that it is still open are one statement; a plain
                // follow-up only checks.
                let open = sqlx::query(
                    "UPDATE window_visits SET closed_on = CASE WHEN $1 THEN $2 ELSE closed_on END, \
                     result = CASE WHEN $1 THEN $3 ELSE result END WHERE id = $4 AND closed_on IS NULL",
                )
                .bind(follow.result.is_some())
                .bind(follow.done_on)
                .bind(follow.result.as_deref().unwrap_or_default())
                .bind(id)
                .execute(&mut *self)
                .await?;
                if open.rows_affected() != 1 {
                    return Ok(false);
                }
                sqlx::query(
                    "INSERT INTO window_follow_ups (visit_id, done_on, note, closes, unit_code, user_id, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7)",
                )
                .bind(id)
                .bind(follow.done_on)
                .bind(&follow.note)
                .bind(follow.result.is_some())
                .bind(unit)
                .bind(user_id)
                .bind(now)
                .execute(&mut *self)
                .await?;
                Ok(true)
            }
        }
    };
}

impl_window_write!(SqliteConnection);
impl_window_write!(PgConnection);
