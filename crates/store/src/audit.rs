//! The audit log: append-only, each row chained to the previous one with SM3, so that a
//! changed, inserted or deleted row breaks the chain (`linkong audit verify`).
//!
//! hash(n) = SM3(hash(n-1) ‖ id ‖ at ‖ actor id ‖ actor ‖ action ‖ target ‖ detail ‖ ip),
//! fields separated by U+001F; the first row's previous hash is 64 zeros. `audit_head` keeps
//! the newest link so that cutting rows off the end is detected too.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sm3::{Digest, Sm3};
use sqlx::{PgConnection, SqliteConnection};

use crate::{BeginWrite, Result, Store, on_db};

pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What happened, by whom, to what. Never put personal data or secrets in `detail`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEvent {
    pub actor_user_id: Option<i64>,
    pub actor: String,
    pub action: &'static str,
    pub target: String,
    pub detail: String,
    pub ip: String,
}

impl AuditEvent {
    pub fn new(action: &'static str, target: impl Into<String>) -> AuditEvent {
        AuditEvent {
            actor_user_id: None,
            actor: "system".into(),
            action,
            target: target.into(),
            detail: String::new(),
            ip: String::new(),
        }
    }

    pub fn by(mut self, user_id: Option<i64>, actor: impl Into<String>) -> AuditEvent {
        self.actor_user_id = user_id;
        self.actor = actor.into();
        self
    }

    pub fn detail(mut self, detail: impl Into<String>) -> AuditEvent {
        self.detail = detail.into();
        self
    }

    pub fn from_ip(mut self, ip: impl Into<String>) -> AuditEvent {
        self.ip = ip.into();
        self
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct AuditRow {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub actor_user_id: Option<i64>,
    pub actor: String,
    pub action: String,
    pub target: String,
    pub detail: String,
    pub ip: String,
    pub prev_hash: String,
    pub hash: String,
}

fn link_hash(
    prev_hash: &str,
    id: i64,
    at: DateTime<Utc>,
    e: (&Option<i64>, &str, &str, &str, &str, &str),
) -> String {
    let (actor_user_id, actor, action, target, detail, ip) = e;
    let mut h = Sm3::new();
    let actor_id = actor_user_id.map(|i| i.to_string()).unwrap_or_default();
    let at = at.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string();
    for field in [
        prev_hash,
        &id.to_string(),
        &at,
        &actor_id,
        actor,
        action,
        target,
        detail,
        ip,
    ] {
        h.update(field.as_bytes());
        h.update([0x1f]);
    }
    hex::encode(h.finalize())
}

impl AuditRow {
    fn expected_hash(&self) -> String {
        link_hash(
            &self.prev_hash,
            self.id,
            self.at,
            (
                &self.actor_user_id,
                &self.actor,
                &self.action,
                &self.target,
                &self.detail,
                &self.ip,
            ),
        )
    }
}

/// Appends to the chain inside the caller's transaction, so the audited change and its audit
/// row commit together or not at all.
pub(crate) trait AuditAppend {
    async fn append_audit(&mut self, at: DateTime<Utc>, event: &AuditEvent) -> Result<i64>;

    /// Appends several links at once: the head read and moved once, the links written in a
    /// few multi-row statements (a group of applications commits its links so).
    async fn append_audits(&mut self, at: DateTime<Utc>, events: &[&AuditEvent]) -> Result<()>;
}

/// Links written by one statement of [`AuditAppend::append_audits`] (ten values each).
const LINKS_PER_STATEMENT: usize = 100;

/// The link after `last_id` (whose hash is `prev_hash`) for `event`: its id and hash.
fn link_after(
    last_id: i64,
    prev_hash: &str,
    at: DateTime<Utc>,
    event: &AuditEvent,
) -> (i64, String) {
    let id = last_id + 1;
    let hash = link_hash(
        prev_hash,
        id,
        at,
        (
            &event.actor_user_id,
            &event.actor,
            event.action,
            &event.target,
            &event.detail,
            &event.ip,
        ),
    );
    (id, hash)
}

/// The chain's head as read (its last id and hash), or the start of an empty chain.
fn head_or_genesis(head: Option<(i64, String)>) -> (i64, String) {
    head.unwrap_or_else(|| (0, GENESIS.to_owned()))
}

/// The next links of the chain after `head` (its last id and hash): id, previous hash, hash.
fn next_links(
    head: Option<(i64, String)>,
    at: DateTime<Utc>,
    events: &[&AuditEvent],
) -> Vec<(i64, String, String)> {
    let (mut last_id, mut prev_hash) = head_or_genesis(head);
    events
        .iter()
        .map(|event| {
            let (id, hash) = link_after(last_id, &prev_hash, at, event);
            last_id = id;
            (id, std::mem::replace(&mut prev_hash, hash.clone()), hash)
        })
        .collect()
}

/// The statement that writes a link and moves the head to it. SQLite takes no data-modifying
/// `WITH`: two statements there. PostgreSQL writes both in one round trip, which matters
/// because appends take turns at the chain's lock.
const INSERT_LINK: &str = "INSERT INTO audit_log (id, at, actor_user_id, actor, action, target, detail, ip, prev_hash, hash) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";
const MOVE_HEAD: &str = "INSERT INTO audit_head (singleton, last_id, last_hash) VALUES (1, $1, $2) \
     ON CONFLICT (singleton) DO UPDATE SET last_id = excluded.last_id, last_hash = excluded.last_hash";
const INSERT_LINK_AND_MOVE_HEAD: &str = "WITH link AS (INSERT INTO audit_log (id, at, actor_user_id, actor, action, target, detail, ip, prev_hash, hash) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id, hash) \
     INSERT INTO audit_head (singleton, last_id, last_hash) SELECT 1, id, hash FROM link \
     ON CONFLICT (singleton) DO UPDATE SET last_id = excluded.last_id, last_hash = excluded.last_hash";

macro_rules! impl_audit_append {
    ($conn:ty, $db:ty, head: $head:expr, one_statement: $one:expr) => {
        impl AuditAppend for $conn {
            async fn append_audits(&mut self, at: DateTime<Utc>, events: &[&AuditEvent]) -> Result<()> {
                if events.is_empty() {
                    return Ok(());
                }
                let head: Option<(i64, String)> = sqlx::query_as($head)
                    .fetch_optional(&mut *self)
                    .await?;
                let links = next_links(head, at, events);
                let rows: Vec<_> = events.iter().zip(&links).collect();
                let chunks = rows.chunks(LINKS_PER_STATEMENT).count();
                for (n, chunk) in rows.chunks(LINKS_PER_STATEMENT).enumerate() {
                    // Where a statement may modify data in `WITH`, the last one moves the
                    // head too: one round trip fewer while the chain's lock is held.
                    let last_with_head = $one && n + 1 == chunks;
                    let mut query = sqlx::QueryBuilder::<$db>::new(if last_with_head {
                        "WITH link AS ("
                    } else {
                        ""
                    });
                    query.push(
                        "INSERT INTO audit_log (id, at, actor_user_id, actor, action, target, detail, ip, prev_hash, hash) ",
                    );
                    query.push_values(chunk, |mut row, (event, (id, prev_hash, hash))| {
                        row.push_bind(*id)
                            .push_bind(at)
                            .push_bind(event.actor_user_id)
                            .push_bind(event.actor.as_str())
                            .push_bind(event.action)
                            .push_bind(event.target.as_str())
                            .push_bind(event.detail.as_str())
                            .push_bind(event.ip.as_str())
                            .push_bind(prev_hash.as_str())
                            .push_bind(hash.as_str());
                    });
                    if let (true, Some((id, _, hash))) = (last_with_head, links.last()) {
                        query
                            .push(") INSERT INTO audit_head (singleton, last_id, last_hash) VALUES (1, ")
                            .push_bind(*id)
                            .push(", ")
                            .push_bind(hash.as_str())
                            .push(
                                ") ON CONFLICT (singleton) DO UPDATE \
                                 SET last_id = excluded.last_id, last_hash = excluded.last_hash",
                            );
                    }
                    query.build().execute(&mut *self).await?;
                }
                if let (false, Some((id, _, hash))) = ($one, links.last()) {
                    sqlx::query(MOVE_HEAD)
                        .bind(id)
                        .bind(hash)
                        .execute(&mut *self)
                        .await?;
                }
                Ok(())
            }

            async fn append_audit(&mut self, at: DateTime<Utc>, event: &AuditEvent) -> Result<i64> {
                let head: Option<(i64, String)> = sqlx::query_as($head)
                    .fetch_optional(&mut *self)
                    .await?;
                let (last_id, prev_hash) = head_or_genesis(head);
                let (id, hash) = link_after(last_id, &prev_hash, at, event);
                let insert = if $one {
                    INSERT_LINK_AND_MOVE_HEAD
                } else {
                    INSERT_LINK
                };
                sqlx::query(insert)
                    .bind(id)
                    .bind(at)
                    .bind(event.actor_user_id)
                    .bind(&event.actor)
                    .bind(event.action)
                    .bind(&event.target)
                    .bind(&event.detail)
                    .bind(&event.ip)
                    .bind(&prev_hash)
                    .bind(&hash)
                    .execute(&mut *self)
                    .await?;
                if !$one {
                    sqlx::query(MOVE_HEAD)
                        .bind(id)
                        .bind(&hash)
                        .execute(&mut *self)
                        .await?;
                }
                Ok(id)
            }
        }
    };
}

// SQLite: every writing transaction holds the database's one write lock already.
impl_audit_append!(
    SqliteConnection,
    sqlx::Sqlite,
    head: "SELECT last_id, last_hash FROM audit_head WHERE singleton = 1",
    one_statement: false
);
// One chain across several app servers: PostgreSQL serialises appends with an advisory lock,
// taken and the head read after it in one call (migration 0049).
impl_audit_append!(
    PgConnection,
    sqlx::Postgres,
    head: "SELECT last_id, last_hash FROM linkong_audit_head_locked()",
    one_statement: true
);

/// One break in the chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChainBreak {
    pub id: i64,
    pub problem: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VerifyReport {
    pub rows: i64,
    pub breaks: Vec<ChainBreak>,
}

impl VerifyReport {
    pub fn is_intact(&self) -> bool {
        self.breaks.is_empty()
    }
}

impl Store {
    /// Records an event that changes nothing else (a failed login, a denied request).
    pub async fn audit(&self, event: AuditEvent) -> Result<()> {
        let _guard = self.write_lock.lock().await;
        let at = self.now();
        on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            tx.append_audit(at, &event).await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// The newest audit rows, newest first.
    pub async fn recent_audit(&self, limit: i64) -> Result<Vec<AuditRow>> {
        let rows = on_db!(self, pool => sqlx::query_as::<_, AuditRow>(
            "SELECT id, at, actor_user_id, actor, action, target, detail, ip, prev_hash, hash \
             FROM audit_log ORDER BY id DESC LIMIT $1",
        )
        .bind(limit)
        .fetch_all(pool)
        .await?);
        Ok(rows)
    }

    /// Walks the whole chain and reports every row whose link does not hold.
    pub async fn verify_audit(&self) -> Result<VerifyReport> {
        let rows = on_db!(self, pool => sqlx::query_as::<_, AuditRow>(
            "SELECT id, at, actor_user_id, actor, action, target, detail, ip, prev_hash, hash \
             FROM audit_log ORDER BY id",
        )
        .fetch_all(pool)
        .await?);
        let head: Option<(i64, String)> = on_db!(self, pool =>
            sqlx::query_as("SELECT last_id, last_hash FROM audit_head WHERE singleton = 1").fetch_optional(pool).await?);
        let mut breaks = Vec::new();
        let mut expected_prev = GENESIS.to_owned();
        let mut expected_id = 1;
        for row in &rows {
            if row.id != expected_id {
                breaks.push(ChainBreak {
                    id: row.id,
                    problem: format!("缺少第 {expected_id} 至 {} 条记录（已被删除）", row.id - 1),
                });
            } else if row.prev_hash != expected_prev {
                breaks.push(ChainBreak {
                    id: row.id,
                    problem: "与前一条记录的链接不符（前一条被修改或删除）".into(),
                });
            }
            if row.expected_hash() != row.hash {
                breaks.push(ChainBreak {
                    id: row.id,
                    problem: "记录内容与其哈希不符（已被修改）".into(),
                });
            }
            expected_prev = row.hash.clone();
            expected_id = row.id + 1;
        }
        match (&head, rows.last()) {
            (Some((last_id, last_hash)), Some(last))
                if *last_id != last.id || *last_hash != last.hash =>
            {
                breaks.push(ChainBreak {
                    id: *last_id,
                    problem: format!("链尾应为第 {last_id} 条，最后的记录已被删除或修改"),
                })
            }
            (Some((last_id, _)), None) => breaks.push(ChainBreak {
                id: *last_id,
                problem: "审计日志已被清空".into(),
            }),
            (None, Some(first)) => breaks.push(ChainBreak {
                id: first.id,
                problem: "缺少链尾记录".into(),
            }),
            _ => {}
        }
        Ok(VerifyReport {
            rows: rows.len() as i64,
            breaks,
        })
    }
}
