//! An application's rows as each database writes them best: the application, its first
//! status step, and the push it answers (a post pushed to this applicant, by their account or
//! by their resident's phone, is marked answered). Applications take turns at the store's write
//! lock and the audit chain's, so their round trips count at a job fair's rate: PostgreSQL
//! writes all three in one statement; SQLite, which takes no data-modifying `WITH`, in three
//! (each a call on its own connection's thread, not a trip over a network).

use chrono::{DateTime, Utc};
use sqlx::{PgConnection, SqliteConnection};

use crate::Result;
use crate::pushes::reaching;

pub(crate) trait ApplicationWrite {
    /// Inserts the application of `applicant_id` to `post_id` received `now` (as `user_id`) and
    /// returns its id; a second application to the same post fails as a unique violation.
    async fn insert_application(
        &mut self,
        post_id: i64,
        applicant_id: i64,
        user_id: i64,
        now: DateTime<Utc>,
    ) -> Result<i64>;
}

impl ApplicationWrite for PgConnection {
    async fn insert_application(
        &mut self,
        post_id: i64,
        applicant_id: i64,
        user_id: i64,
        now: DateTime<Utc>,
    ) -> Result<i64> {
        let statement = format!(
            "WITH application AS (\
               INSERT INTO applications (post_id, applicant_id, status, created_at, updated_at) \
               VALUES ($1, $2, 'received', $3, $3) RETURNING id), \
             step AS (\
               INSERT INTO application_events (application_id, status, at, by_user) \
               SELECT id, 'received', $3, $4 FROM application), \
             push AS (\
               UPDATE job_pushes SET application_id = (SELECT id FROM application) \
               WHERE post_id = $1 AND application_id IS NULL AND {}) \
             SELECT id FROM application",
            reaching("", "$2")
        );
        Ok(sqlx::query_scalar(sqlx::AssertSqlSafe(statement))
            .bind(post_id)
            .bind(applicant_id)
            .bind(now)
            .bind(user_id)
            .fetch_one(&mut *self)
            .await?)
    }
}

impl ApplicationWrite for SqliteConnection {
    async fn insert_application(
        &mut self,
        post_id: i64,
        applicant_id: i64,
        user_id: i64,
        now: DateTime<Utc>,
    ) -> Result<i64> {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO applications (post_id, applicant_id, status, created_at, updated_at) \
             VALUES ($1, $2, 'received', $3, $3) RETURNING id",
        )
        .bind(post_id)
        .bind(applicant_id)
        .bind(now)
        .fetch_one(&mut *self)
        .await?;
        sqlx::query(
            "INSERT INTO application_events (application_id, status, at, by_user) \
             VALUES ($1, 'received', $2, $3)",
        )
        .bind(id)
        .bind(now)
        .bind(user_id)
        .execute(&mut *self)
        .await?;
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "UPDATE job_pushes SET application_id = $1 WHERE post_id = $2 \
             AND application_id IS NULL AND {}",
            reaching("", "$3")
        )))
        .bind(id)
        .bind(post_id)
        .bind(applicant_id)
        .execute(&mut *self)
        .await?;
        Ok(id)
    }
}
