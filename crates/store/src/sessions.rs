//! Server-side sessions: the browser holds a random token, the database only its SM3 digest.
//! A session ends after 30 idle minutes or 12 hours in all.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, Utc};

use crate::users::{USER_COLUMNS, User, UserRow};
use crate::{BeginWrite, Error, Result, Store, on_db, random_token, token_digest};

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
        let last_seen_at = self.seen.latest(&digest, row.last_seen_at);
        if now - last_seen_at > Duration::minutes(IDLE_MINUTES)
            || now - row.session_created_at > Duration::hours(MAX_HOURS)
            || row.user.disabled
        {
            self.end_session(token).await?;
            return Ok(None);
        }
        // Refresh at most once a minute: most requests then read without writing. The
        // refresh is noted here and written when the write lock is free, with every other
        // refresh noted by then, in one transaction: a request never waits for the lock for
        // it (under a job fair's stream of application groups, refreshes that waited their
        // turn, one commit each, held signed-in requests up for seconds).
        if now - last_seen_at > Duration::minutes(1) {
            self.seen.note(digest, now);
            self.write_seen(Turn::IfFree).await?;
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

    /// Removes sessions that can no longer be used (their refreshes written first).
    pub async fn purge_sessions(&self) -> Result<u64> {
        self.write_seen(Turn::Wait).await?;
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

/// Sessions seen again, by token digest, whose refresh is not written yet.
#[derive(Clone, Default)]
pub(crate) struct Seen(Arc<Mutex<HashMap<String, DateTime<Utc>>>>);

impl Seen {
    fn note(&self, digest: String, at: DateTime<Utc>) {
        let mut seen = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let last = seen.entry(digest).or_insert(at);
        *last = (*last).max(at);
    }

    /// When the session was last seen: as written, or later if noted since.
    fn latest(&self, digest: &str, written: DateTime<Utc>) -> DateTime<Utc> {
        let seen = self.0.lock().unwrap_or_else(|e| e.into_inner());
        seen.get(digest)
            .map_or(written, |noted| written.max(*noted))
    }

    fn take(&self) -> Vec<(String, DateTime<Utc>)> {
        let mut seen = self.0.lock().unwrap_or_else(|e| e.into_inner());
        seen.drain().collect()
    }

    /// Notes again what could not be written (a later note of the same session wins).
    fn restore(&self, refreshes: Vec<(String, DateTime<Utc>)>) {
        for (digest, at) in refreshes {
            self.note(digest, at);
        }
    }
}

/// Whether writing the noted refreshes waits for the write lock.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Turn {
    /// Only if no other write holds it: a later request writes them otherwise.
    IfFree,
    Wait,
}

impl Store {
    /// Writes the noted refreshes in one transaction, holding the process's write lock (on
    /// SQLite a write that met another's lock would sleep in the busy handler). On failure
    /// they stay noted.
    async fn write_seen(&self, turn: Turn) -> Result<()> {
        let _turn = match self.write_lock.try_lock() {
            Ok(guard) => guard,
            Err(_) if turn == Turn::IfFree => return Ok(()),
            Err(_) => self.write_lock.lock().await,
        };
        let refreshes = self.seen.take();
        if refreshes.is_empty() {
            return Ok(());
        }
        let written = self.write_refreshes(&refreshes).await;
        if written.is_err() {
            self.seen.restore(refreshes);
        }
        written
    }

    async fn write_refreshes(&self, refreshes: &[(String, DateTime<Utc>)]) -> Result<()> {
        on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            for (digest, at) in refreshes {
                sqlx::query(
                    "UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2 AND last_seen_at < $1",
                )
                .bind(*at)
                .bind(digest)
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
        });
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use chrono::{Duration, TimeZone, Utc};

    use super::Seen;

    #[test]
    fn a_noted_refresh_counts_at_once_and_the_latest_note_wins() {
        let seen = Seen::default();
        let written = Utc.with_ymd_and_hms(2026, 5, 1, 9, 0, 0).unwrap();
        let later = written + Duration::minutes(5);
        assert_eq!(seen.latest("a", written), written);
        seen.note("a".into(), later);
        seen.note("a".into(), written + Duration::minutes(2));
        assert_eq!(seen.latest("a", written), later);
        // What the database holds wins when it is later (another server refreshed it).
        assert_eq!(
            seen.latest("a", later + Duration::minutes(1)),
            later + Duration::minutes(1)
        );
        let taken = seen.take();
        assert_eq!(taken, vec![("a".to_owned(), later)]);
        assert_eq!(seen.latest("a", written), written);
        // A failed write notes them again, without going back on a newer note.
        seen.note("a".into(), later + Duration::minutes(3));
        seen.restore(taken);
        assert_eq!(seen.latest("a", written), later + Duration::minutes(3));
    }
}
