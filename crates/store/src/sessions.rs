//! Server-side sessions: the browser holds a random token, the database only its SM3 digest.
//! A session ends after 30 idle minutes or 12 hours in all.

use chrono::{DateTime, Duration, Utc};

use crate::users::{USER_COLUMNS, User, UserRow};
use crate::{Error, Result, Store, on_db, random_token, token_digest};

pub const IDLE_MINUTES: i64 = 30;
pub const MAX_HOURS: i64 = 12;

/// A session's row with its user's, read in one query: every signed-in request reads it.
#[derive(sqlx::FromRow)]
struct SessionRow {
    #[sqlx(flatten)]
    user: UserRow,
    csrf_token: String,
    session_created_at: DateTime<Utc>,
    last_seen_at: DateTime<Utc>,
    /// Waiting for a second factor.
    factor_pending: bool,
}

#[derive(Debug, Clone)]
pub struct Session {
    pub user: User,
    pub csrf_token: String,
    /// The account needs a second factor and this session has not given it yet.
    pub factor_pending: bool,
}

/// A new session as handed to the browser: the secret token goes into the cookie.
#[derive(Debug, Clone)]
pub struct NewSession {
    pub token: String,
    pub csrf_token: String,
}

impl Store {
    /// A session after the password: for an account that needs a second factor (core's
    /// `two_factor::required`) it serves nothing but the code's page until a code is accepted.
    pub async fn create_session(&self, user_id: i64) -> Result<NewSession> {
        let user = self
            .user(user_id)
            .await?
            .ok_or_else(|| Error::not_found("用户"))?;
        self.insert_session(user_id, crate::two_factor::session_waits(user.role))
            .await
    }

    /// A new session for a browser whose session has passed both factors (after a password
    /// change, which ends every session of the account).
    pub async fn renew_session(&self, user_id: i64) -> Result<NewSession> {
        self.insert_session(user_id, false).await
    }

    async fn insert_session(&self, user_id: i64, factor_pending: bool) -> Result<NewSession> {
        self.purge_sessions().await?;
        let token = random_token();
        let csrf_token = random_token();
        let now = self.now();
        on_db!(self, pool => sqlx::query(
            "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, last_seen_at, factor_pending) \
             VALUES ($1, $2, $3, $4, $4, $5)",
        )
        .bind(token_digest(&token))
        .bind(user_id)
        .bind(&csrf_token)
        .bind(now)
        .bind(factor_pending)
        .execute(pool)
        .await?.rows_affected());
        Ok(NewSession { token, csrf_token })
    }

    /// The live session for a token, refreshed; `None` if unknown, expired or its user disabled.
    pub async fn session(&self, token: &str) -> Result<Option<Session>> {
        let digest = token_digest(token);
        let row: Option<SessionRow> = on_db!(self, pool => sqlx::query_as(
            sqlx::AssertSqlSafe(format!(
                "SELECT {USER_COLUMNS}, s.csrf_token, s.session_created_at, s.last_seen_at, s.factor_pending \
                 FROM users JOIN (SELECT user_id, csrf_token, created_at AS session_created_at, \
                 last_seen_at, factor_pending FROM sessions WHERE token_hash = $1) s ON s.user_id = users.id",
            )),
        )
        .bind(&digest)
        .fetch_optional(pool)
        .await?);
        // A session's user is never deleted while the session stands (a foreign key).
        let Some(row) = row else {
            return Ok(None);
        };
        let now = self.now();
        let last_seen_at = row.last_seen_at;
        if now - last_seen_at > Duration::minutes(IDLE_MINUTES)
            || now - row.session_created_at > Duration::hours(MAX_HOURS)
            || row.user.disabled
        {
            self.end_session(token).await?;
            return Ok(None);
        }
        // Refresh at most once a minute: most requests then read without writing. The write
        // takes its turn with the process's other writes: on SQLite, a write that meets another
        // transaction's lock sleeps in SQLite's busy handler (up to 100 ms a try) and tries
        // again, and under a job fair's stream of application groups it would do so repeatedly.
        if now - last_seen_at > Duration::minutes(1) {
            let _turn = self.write_lock.lock().await;
            on_db!(self, pool => sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2")
                .bind(now)
                .bind(&digest)
                .execute(pool)
                .await?.rows_affected());
        }
        Ok(Some(Session {
            user: row.user.into_user(),
            csrf_token: row.csrf_token,
            factor_pending: row.factor_pending,
        }))
    }

    pub async fn end_session(&self, token: &str) -> Result<()> {
        on_db!(self, pool => sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_digest(token))
            .execute(pool)
            .await?.rows_affected());
        Ok(())
    }

    pub async fn end_sessions_of(&self, user_id: i64) -> Result<()> {
        on_db!(self, pool => sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(user_id).execute(pool).await?.rows_affected());
        Ok(())
    }

    /// Removes sessions that can no longer be used.
    pub async fn purge_sessions(&self) -> Result<u64> {
        let now = self.now();
        let idle_cutoff = now - Duration::minutes(IDLE_MINUTES);
        let age_cutoff = now - Duration::hours(MAX_HOURS);
        let done = on_db!(self, pool => sqlx::query("DELETE FROM sessions WHERE last_seen_at < $1 OR created_at < $2")
            .bind(idle_cutoff)
            .bind(age_cutoff)
            .execute(pool)
            .await?
            .rows_affected());
        Ok(done)
    }
}
