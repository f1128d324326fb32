//! Import runs kept (migration 0045): an import started on the web, from its start to its
//! end, so that its page shows it on every server behind the database and after a restart.
//!
//! The server that runs an import keeps the run in memory as well, and writes it out: at the
//! start, then with its progress and heartbeat every few seconds ([`Store::write_import_run`],
//! called on a timer — never once per row), and at the end. In memory it is always current:
//! on SQLite the import's own transaction holds the write lock for as long as it runs, so the
//! heartbeats wait, and the page of the server that runs it reads memory. Whether a run
//! still going has lost its server, and who may see a run, core decides
//! ([`linkong_core::imports`]).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use linkong_core::imports::{
    ImportKind, KEEP_PROBLEMS, RunState, Standing, may_see, problems_kept, standing,
};

use crate::crypto::FieldCipher;
use crate::people::ImportOutcome;
use crate::{BeginWrite, Error, Result, Store, on_db};

/// A run as it starts.
#[derive(Debug, Clone)]
pub struct NewImportRun<'a> {
    pub token: &'a str,
    pub owner_id: i64,
    pub kind: ImportKind,
    pub file_name: &'a str,
    /// The server that runs it (host:port).
    pub server: &'a str,
}

/// How far a run has come: rows read (and, while all are right, written) and the share of
/// the file read.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RunProgress {
    pub rows: u64,
    /// 0.0 to 1.0.
    pub fraction: f64,
}

/// A row at the foot of the file left out of an import (合计, 填表人 …), and the word it was
/// recognised by.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FooterRow {
    pub row: u64,
    pub word: String,
}

/// How a run ended, when it ended on its own.
#[derive(Debug, Clone, PartialEq)]
pub enum RunEnd {
    /// Written: the counts, and the footer rows left out.
    Done {
        outcome: ImportOutcome,
        skipped: Vec<FooterRow>,
    },
    /// Nothing written, and why: a message, and for wrong rows their count, the first of
    /// them as sentences naming row and column, and the error workbook (a path under the
    /// files directory).
    Refused {
        message: String,
        problem_count: u64,
        problems: Vec<String>,
        errors_file: Option<String>,
    },
}

/// A run as it is kept and shown.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportRun {
    pub token: String,
    pub owner_id: i64,
    pub kind: ImportKind,
    pub file_name: String,
    pub state: RunState,
    /// Where it stands now (core's [`standing`]); set when read.
    pub standing: Standing,
    /// None until its first row is read.
    pub progress: Option<RunProgress>,
    pub end: Option<RunEnd>,
    pub server: String,
    pub started_at: DateTime<Utc>,
    pub heartbeat_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
}

/// The runs this store's process runs, by token, until they are written out ended.
pub(crate) type Running = Arc<Mutex<HashMap<String, ImportRun>>>;

#[derive(sqlx::FromRow)]
struct RunRow {
    token: String,
    owner_id: i64,
    kind: String,
    file_name: String,
    state: String,
    rows_read: i64,
    progress_permille: Option<i64>,
    rows_total: Option<i64>,
    created: Option<i64>,
    updated: Option<i64>,
    unchanged: Option<i64>,
    skipped: String,
    message: String,
    problem_count: i64,
    problems_enc: Option<Vec<u8>>,
    errors_file: Option<String>,
    server: String,
    heartbeat_at: DateTime<Utc>,
    started_at: DateTime<Utc>,
    finished_at: Option<DateTime<Utc>>,
}

fn count(n: Option<i64>) -> u64 {
    n.and_then(|n| u64::try_from(n).ok()).unwrap_or(0)
}

fn bad_row(what: &str) -> Error {
    Error::Config(format!("导入任务记录无法读取：{what}"))
}

impl RunRow {
    /// The run, its problems opened with `cipher` while they are kept ([`problems_kept`]).
    fn into_run(self, cipher: Option<&FieldCipher>, now: DateTime<Utc>) -> Result<ImportRun> {
        let state = RunState::parse(&self.state).map_err(|e| bad_row(&e))?;
        let end = match state {
            RunState::Done => Some(RunEnd::Done {
                outcome: ImportOutcome {
                    rows: count(self.rows_total),
                    created: count(self.created),
                    updated: count(self.updated),
                    unchanged: count(self.unchanged),
                },
                skipped: serde_json::from_str(&self.skipped)
                    .map_err(|e| bad_row(&e.to_string()))?,
            }),
            RunState::Refused => {
                let kept = problems_kept(self.finished_at, now);
                let problems = match (&self.problems_enc, cipher) {
                    (Some(sealed), Some(cipher)) if kept => {
                        let json = cipher.decrypt(sealed)?;
                        serde_json::from_str(&json).map_err(|e| bad_row(&e.to_string()))?
                    }
                    _ => Vec::new(),
                };
                Some(RunEnd::Refused {
                    message: self.message,
                    problem_count: count(Some(self.problem_count)),
                    problems,
                    errors_file: self.errors_file.filter(|_| kept),
                })
            }
            RunState::Running | RunState::Interrupted => None,
        };
        Ok(ImportRun {
            token: self.token,
            owner_id: self.owner_id,
            kind: ImportKind::parse(&self.kind).map_err(|e| bad_row(&e))?,
            file_name: self.file_name,
            state,
            standing: Standing::Queued,
            progress: self.progress_permille.map(|p| RunProgress {
                rows: count(Some(self.rows_read)),
                fraction: p as f64 / 1000.0,
            }),
            end,
            server: self.server,
            started_at: self.started_at,
            heartbeat_at: self.heartbeat_at,
            finished_at: self.finished_at,
        })
    }
}

/// The columns of a run as they are written: (rows_total, created, updated, unchanged,
/// skipped, message, problem_count, problems as JSON to be sealed (None when there are none),
/// errors_file).
type EndColumns = (
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    String,
    String,
    i64,
    Option<String>,
    Option<String>,
);

fn end_columns(end: Option<&RunEnd>) -> EndColumns {
    let signed = |n: u64| i64::try_from(n).unwrap_or(i64::MAX);
    match end {
        Some(RunEnd::Done { outcome, skipped }) => (
            Some(signed(outcome.rows)),
            Some(signed(outcome.created)),
            Some(signed(outcome.updated)),
            Some(signed(outcome.unchanged)),
            serde_json::to_string(skipped).unwrap_or_else(|_| "[]".into()),
            String::new(),
            0,
            None,
            None,
        ),
        Some(RunEnd::Refused {
            message,
            problem_count,
            problems,
            errors_file,
        }) => (
            None,
            None,
            None,
            None,
            "[]".into(),
            message.clone(),
            signed(*problem_count),
            (!problems.is_empty())
                .then(|| serde_json::to_string(problems).unwrap_or_else(|_| "[]".into())),
            errors_file.clone(),
        ),
        None => (
            None,
            None,
            None,
            None,
            "[]".into(),
            String::new(),
            0,
            None,
            None,
        ),
    }
}

impl Store {
    /// Takes a run into this process's memory, running, with nothing read yet; its page shows
    /// it at once. [`Store::write_import_run`] writes it to the database.
    pub fn begin_import_run(&self, new: NewImportRun<'_>) {
        let now = self.now();
        let run = ImportRun {
            token: new.token.to_owned(),
            owner_id: new.owner_id,
            kind: new.kind,
            file_name: new.file_name.to_owned(),
            state: RunState::Running,
            standing: Standing::Queued,
            progress: None,
            end: None,
            server: new.server.to_owned(),
            started_at: now,
            heartbeat_at: now,
            finished_at: None,
        };
        self.running_imports().insert(run.token.clone(), run);
    }

    /// Notes how far a run of this process has come (in memory: called from the reading
    /// thread as often as it likes), which is also a heartbeat.
    pub fn note_import_progress(&self, token: &str, progress: RunProgress) {
        let now = self.now();
        if let Some(run) = self.running_imports().get_mut(token) {
            run.progress = Some(progress);
            run.heartbeat_at = now;
        }
    }

    /// Notes how a run of this process ended (in memory; [`Store::write_import_run`] writes it).
    pub fn end_import_run(&self, token: &str, end: RunEnd) {
        let now = self.now();
        if let Some(run) = self.running_imports().get_mut(token) {
            run.state = match end {
                RunEnd::Done { .. } => RunState::Done,
                RunEnd::Refused { .. } => RunState::Refused,
            };
            run.end = Some(end);
            run.heartbeat_at = now;
            run.finished_at = Some(now);
        }
    }

    /// Writes a run of this process to the database as it stands in memory, with a fresh
    /// heartbeat while it runs; once an ended run is written, memory lets it go. A run the
    /// database holds as ended already is left as it is (interrupted by a restart), except
    /// that a run its import's transaction marked done gets its footer rows.
    pub async fn write_import_run(&self, token: &str) -> Result<()> {
        let now = self.now();
        let Some(run) = self.running_imports().get_mut(token).map(|run| {
            if run.state == RunState::Running {
                run.heartbeat_at = now;
            }
            run.clone()
        }) else {
            return Ok(());
        };
        let (total, created, updated, unchanged, skipped, message, problem_count, problems, errors) =
            end_columns(run.end.as_ref());
        let problems = problems
            .map(|json| self.cipher().map(|cipher| cipher.encrypt(&json)))
            .transpose()?;
        let progress = run
            .progress
            .map(|p| (p.fraction.clamp(0.0, 1.0) * 1000.0) as i64);
        let rows = run
            .progress
            .map_or(0, |p| i64::try_from(p.rows).unwrap_or(i64::MAX));
        on_db!(self, pool => sqlx::query(
            "INSERT INTO import_runs (token, owner_id, kind, file_name, state, rows_read, \
             progress_permille, rows_total, created, updated, unchanged, skipped, message, \
             problem_count, problems_enc, errors_file, server, heartbeat_at, started_at, finished_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, \
             $18, $19, $20) \
             ON CONFLICT (token) DO UPDATE SET state = excluded.state, \
             rows_read = excluded.rows_read, progress_permille = excluded.progress_permille, \
             rows_total = excluded.rows_total, created = excluded.created, \
             updated = excluded.updated, unchanged = excluded.unchanged, \
             skipped = excluded.skipped, message = excluded.message, \
             problem_count = excluded.problem_count, problems_enc = excluded.problems_enc, \
             errors_file = excluded.errors_file, heartbeat_at = excluded.heartbeat_at, \
             finished_at = excluded.finished_at \
             WHERE import_runs.state = 'running' \
             OR (import_runs.state = 'done' AND excluded.state = 'done')",
        )
        .bind(&run.token)
        .bind(run.owner_id)
        .bind(run.kind.code())
        .bind(&run.file_name)
        .bind(run.state.code())
        .bind(rows)
        .bind(progress)
        .bind(total)
        .bind(created)
        .bind(updated)
        .bind(unchanged)
        .bind(skipped)
        .bind(message)
        .bind(problem_count)
        .bind(problems)
        .bind(errors)
        .bind(&run.server)
        .bind(run.heartbeat_at)
        .bind(run.started_at)
        .bind(run.finished_at)
        .execute(pool)
        .await
        .map(|_| ()))?;
        if run.state != RunState::Running {
            self.running_imports().remove(token);
        }
        Ok(())
    }

    /// The run of `token` as `viewer_id` may see it — only the user who started it; None for
    /// anyone else or an unknown token. The process that runs it answers from memory.
    pub async fn import_run(&self, viewer_id: i64, token: &str) -> Result<Option<ImportRun>> {
        let here = self.running_imports().get(token).cloned();
        let in_this_process = here.is_some();
        let run = match here {
            Some(run) => run,
            None => {
                let row: Option<RunRow> = on_db!(self, pool => sqlx::query_as(
                    "SELECT token, owner_id, kind, file_name, state, rows_read, \
                     progress_permille, rows_total, created, updated, unchanged, skipped, \
                     message, problem_count, problems_enc, errors_file, server, heartbeat_at, \
                     started_at, finished_at FROM import_runs WHERE token = $1",
                )
                .bind(token)
                .fetch_optional(pool)
                .await?);
                match row {
                    Some(row) => row.into_run(self.cipher.as_deref(), self.now())?,
                    None => return Ok(None),
                }
            }
        };
        if !may_see(run.owner_id, viewer_id) {
            return Ok(None);
        }
        let now = self.now();
        // A run this process holds is alive whatever its last heartbeat write says (the
        // database may have kept that write waiting): only another server judges by heartbeat.
        let heartbeat = if in_this_process {
            now
        } else {
            run.heartbeat_at
        };
        Ok(Some(ImportRun {
            standing: standing(run.state, run.progress.is_some(), heartbeat, now),
            ..run
        }))
    }

    /// Marks interrupted every run the database holds as running on `server`, and returns
    /// their tokens (their uploads can go). Called when a server starts on that address, before
    /// it runs any import: it holds the address, so the process that ran them is gone.
    pub async fn interrupt_import_runs(&self, server: &str) -> Result<Vec<String>> {
        let now = self.now();
        let tokens: Vec<(String,)> = on_db!(self, pool => sqlx::query_as(
            "UPDATE import_runs SET state = 'interrupted', finished_at = $2 \
             WHERE server = $1 AND state = 'running' RETURNING token",
        )
        .bind(server)
        .bind(now)
        .fetch_all(pool)
        .await?);
        Ok(tokens.into_iter().map(|(t,)| t).collect())
    }

    /// Clears the problems and the error workbook's path of runs that ended more than
    /// [`KEEP_PROBLEMS`] ago, and returns the paths cleared (the workbooks can go): they hold
    /// personal data and are kept only to correct the file.
    pub async fn forget_old_import_problems(&self) -> Result<Vec<String>> {
        let before = self.now() - KEEP_PROBLEMS;
        let old = "finished_at < $1 AND (problems_enc IS NOT NULL OR errors_file IS NOT NULL)";
        // Nearly always nothing to clear: no write transaction (nor the write lock) for that.
        let any: Option<String> = on_db!(self, pool => sqlx::query_scalar(sqlx::AssertSqlSafe(
            format!("SELECT token FROM import_runs WHERE {old} LIMIT 1")
        ))
        .bind(before)
        .fetch_optional(pool)
        .await?);
        if any.is_none() {
            return Ok(Vec::new());
        }
        let _guard = self.write_lock.lock().await;
        let files: Vec<(Option<String>,)> = on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let files = sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "SELECT errors_file FROM import_runs WHERE {old}"
            )))
            .bind(before)
            .fetch_all(&mut *tx)
            .await?;
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "UPDATE import_runs SET problems_enc = NULL, errors_file = NULL WHERE {old}"
            )))
            .bind(before)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            files
        });
        Ok(files.into_iter().filter_map(|(f,)| f).collect())
    }

    /// Re-encrypts the kept problems of import runs from `old` to `new` (part of a key
    /// rotation; problems the new key opens already are left alone). Few: they are kept a day.
    pub(crate) async fn rotate_import_problems(
        &self,
        old: &FieldCipher,
        new: &FieldCipher,
    ) -> Result<(u64, u64)> {
        let rows: Vec<(String, Vec<u8>)> = on_db!(self, pool => sqlx::query_as(
            "SELECT token, problems_enc FROM import_runs WHERE problems_enc IS NOT NULL \
             ORDER BY token",
        )
        .fetch_all(pool)
        .await?);
        let mut updates = Vec::new();
        let mut already = 0u64;
        for (token, sealed) in rows {
            if new.decrypt(&sealed).is_ok() {
                already += 1;
                continue;
            }
            let json = old.decrypt(&sealed).map_err(|_| {
                Error::Config(format!(
                    "import_runs.problems_enc（{token}）既不能用旧密钥也不能用新密钥解密，轮换已停止"
                ))
            })?;
            updates.push((token, new.encrypt(&json)));
        }
        let _guard = self.write_lock.lock().await;
        on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            for (token, sealed) in &updates {
                sqlx::query("UPDATE import_runs SET problems_enc = $1 WHERE token = $2")
                    .bind(sealed)
                    .bind(token)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
        });
        Ok((updates.len() as u64, already))
    }

    fn running_imports(&self) -> std::sync::MutexGuard<'_, HashMap<String, ImportRun>> {
        self.import_runs
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// Marks a run done inside the transaction that writes its rows, so that the rows and the
/// run's end commit together: a server killed after the commit shows the run done after its
/// restart, never 中断 over rows that are in. The footer rows left out follow when the run is
/// written out ([`Store::write_import_run`]).
pub(crate) trait FinishRun {
    async fn finish_import_run(
        &mut self,
        token: Option<&str>,
        outcome: &ImportOutcome,
        now: DateTime<Utc>,
    ) -> Result<()>;
}

macro_rules! impl_finish_run {
    ($conn:ty) => {
        impl FinishRun for $conn {
            async fn finish_import_run(
                &mut self,
                token: Option<&str>,
                outcome: &ImportOutcome,
                now: DateTime<Utc>,
            ) -> Result<()> {
                let Some(token) = token else {
                    return Ok(());
                };
                let (total, created, updated, unchanged, ..) = end_columns(Some(&RunEnd::Done {
                    outcome: *outcome,
                    skipped: Vec::new(),
                }));
                sqlx::query(
                    "UPDATE import_runs SET state = 'done', rows_total = $2, created = $3, \
                     updated = $4, unchanged = $5, heartbeat_at = $6, finished_at = $6 \
                     WHERE token = $1 AND state = 'running'",
                )
                .bind(token)
                .bind(total)
                .bind(created)
                .bind(updated)
                .bind(unchanged)
                .bind(now)
                .execute(&mut *self)
                .await?;
                Ok(())
            }
        }
    };
}

impl_finish_run!(sqlx::SqliteConnection);
impl_finish_run!(sqlx::PgConnection);
