//! linkong-store: every database access of linkong, for SQLite (the default, embedded) and
//! PostgreSQL, through one code path.
//!
//! SQL is written once with `$1` placeholders; [`on_db!`] expands a body for whichever pool
//! the store holds. Access rules (who may write or read which unit's rows) are enforced here,
//! not only in the pages.

use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, SubsecRound, Utc};
use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions};
use tokio::sync::Mutex;

pub mod applicants;
mod application_write;
pub mod audit;
pub mod backup;
pub mod businesses;
pub mod calendar;
pub mod campus;
pub mod carriers;
pub mod change_feed;
pub mod contest;
pub mod crypto;
mod emerging_override;
pub mod employers;
pub mod events;
pub mod evidence;
pub mod exchange;
pub mod exclusive;
pub mod experts;
pub mod failure;
pub mod figures;
mod gate;
pub mod gigs;
pub mod graduates;
pub mod hr_actions;
pub mod import_runs;
pub mod insurance;
mod job_post_save;
pub mod jobs;
pub mod loans;
pub mod market_order;
pub mod match_runs;
pub mod matching;
pub mod mentoring;
pub mod metrics;
mod monitoring;
mod neighbours;
pub mod people;
mod people_import;
pub mod plan;
pub mod policy_list;
pub mod progress;
pub mod projects;
pub mod promotion;
pub mod pushes;
mod registry;
mod registry_rows;
pub mod reports;
pub mod returnee_file;
pub mod returnee_matches;
pub mod returnees;
pub mod rotation;
pub mod schema;
pub mod selection;
pub mod sessions;
pub mod showcase;
pub mod skills;
pub mod steering;
pub mod student_visits;
pub mod subsidies;
pub mod talent_trips;
pub mod titles;
pub mod tokens;
pub mod traineeships;
pub mod two_factor;
pub mod users;
pub mod window;

mod error;
#[cfg(test)]
mod migration_tests;
pub use error::{Error, Result};

/// Expands `$body` once per backend, with `$pool` bound to that backend's pool.
#[macro_export]
macro_rules! on_db {
    ($store:expr, $pool:ident => $body:expr) => {
        match &$store.db {
            $crate::Db::Sqlite($pool) => $body,
            $crate::Db::Postgres($pool) => $body,
        }
    };
}

/// The page size of a new SQLite database. SQLite's default of 4 KiB dates from small disks;
/// with 16 KiB a row import writes a quarter of the pages — fewer page-cache lookups, B-tree
/// splits and WAL frames — while a page is still a small read for the pages' lookups. An
/// existing database keeps the page size it was made with.
const SQLITE_PAGE_SIZE: u32 = 16_384;

/// How a SQLite write transaction begins (see [`BeginWrite`]).
pub(crate) const SQLITE_BEGIN_WRITE: &str = "BEGIN IMMEDIATE";

/// Begins a transaction that will write. SQLite takes the write lock at once (`BEGIN IMMEDIATE`):
/// a deferred transaction that reads, then writes, fails outright (SQLITE_BUSY_SNAPSHOT) when
/// another connection committed in between, and the busy timeout does not cover that.
pub(crate) trait BeginWrite {
    type Database: sqlx::Database;
    async fn begin_write(&self) -> Result<sqlx::Transaction<'static, Self::Database>>;
}

impl BeginWrite for SqlitePool {
    type Database = sqlx::Sqlite;
    async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Sqlite>> {
        Ok(self.begin_with(SQLITE_BEGIN_WRITE).await?)
    }
}

impl BeginWrite for PgPool {
    type Database = sqlx::Postgres;
    async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Postgres>> {
        Ok(self.begin().await?)
    }
}

#[derive(Debug, Clone)]
pub enum Db {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A source of the current time, injectable so that tests can set the date.
pub type Clock = Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>;

pub fn system_clock() -> Clock {
    Arc::new(Utc::now)
}

#[derive(Clone)]
pub struct Store {
    pub(crate) db: Db,
    /// Serialises write transactions that extend the audit chain within this process;
    /// PostgreSQL additionally takes an advisory lock so that several servers stay ordered.
    pub(crate) write_lock: Arc<Mutex<()>>,
    pub(crate) clock: Clock,
    /// Shared, not copied: a store is cloned for each background task and group write.
    pub(crate) files_dir: Arc<Path>,
    /// Encrypts personal data; set with [`Store::with_field_cipher`].
    pub(crate) cipher: Option<Arc<crypto::FieldCipher>>,
    /// The open posts and their matcher, kept while no post is published or closed.
    pub(crate) open_cache: matching::OpenCache,
    /// The open gigs per street, kept a few seconds (the job search shows them on every page).
    pub(crate) open_gigs: gigs::OpenGigs,
    /// The web imports this process runs, until they are written out ended.
    pub(crate) import_runs: import_runs::Running,
    /// Job locks within this process (SQLite; PostgreSQL's are advisory locks).
    pub(crate) process_locks: exclusive::ProcessLocks,
    /// Applications waiting to be committed in a group (see `application_write`).
    pub(crate) waiting_applications: application_write::Waiting,
    /// Sessions seen again whose refresh is not written yet (see `sessions`).
    pub(crate) seen: sessions::Seen,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("backend", &self.backend())
            .finish()
    }
}

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations/postgres");

impl Store {
    /// Opens the database named by `url` (`sqlite://PATH` or `postgres://…`), creating a
    /// SQLite file if needed, and applies the migrations. Evidence files live in `files_dir`.
    pub async fn open(url: &str, files_dir: &Path, clock: Clock) -> Result<Store> {
        let db = if is_postgres(url) {
            let pool = connect_postgres(url, 10).await?;
            POSTGRES_MIGRATIONS.run(&pool).await?;
            Db::Postgres(pool)
        } else if url.starts_with("sqlite:") {
            let options = SqliteConnectOptions::from_str(url)?
                .create_if_missing(true)
                .page_size(SQLITE_PAGE_SIZE)
                .journal_mode(SqliteJournalMode::Wal)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10));
            let pool = SqlitePoolOptions::new()
                .max_connections(8)
                .connect_with(options)
                .await?;
            SQLITE_MIGRATIONS.run(&pool).await?;
            Db::Sqlite(pool)
        } else {
            return Err(Error::Config(format!(
                "不支持的数据库地址：{}（应为 sqlite:// 或 postgres://）",
                redact_url(url)
            )));
        };
        let store = Store::on(db, files_dir, clock);
        store.build_pending_figures().await?;
        Ok(store)
    }

    /// A store on an open pool, with nothing run on it yet.
    pub(crate) fn on(db: Db, files_dir: &Path, clock: Clock) -> Store {
        Store {
            db,
            write_lock: Arc::new(Mutex::new(())),
            clock,
            files_dir: Arc::from(files_dir),
            cipher: None,
            open_cache: matching::OpenCache::default(),
            open_gigs: gigs::OpenGigs::default(),
            import_runs: import_runs::Running::default(),
            process_locks: exclusive::ProcessLocks::default(),
            waiting_applications: application_write::Waiting::default(),
            seen: sessions::Seen::default(),
        }
    }

    pub fn backend(&self) -> Backend {
        match self.db {
            Db::Sqlite(_) => Backend::Sqlite,
            Db::Postgres(_) => Backend::Postgres,
        }
    }

    /// The current instant, to microseconds (what PostgreSQL keeps), so that values read back
    /// equal values written on both backends.
    pub fn now(&self) -> DateTime<Utc> {
        (self.clock)().trunc_subsecs(6)
    }

    /// Where evidence files and import uploads are kept.
    pub fn files_dir(&self) -> &Path {
        &self.files_dir
    }

    pub fn clock(&self) -> Clock {
        self.clock.clone()
    }

    /// The store, encrypting personal data with `cipher` (its key lives outside the database).
    pub fn with_field_cipher(self, cipher: Arc<crypto::FieldCipher>) -> Store {
        Store {
            cipher: Some(cipher),
            ..self
        }
    }

    pub(crate) fn cipher(&self) -> Result<&crypto::FieldCipher> {
        self.cipher
            .as_deref()
            .ok_or_else(|| Error::Config("未配置个人信息加密密钥".into()))
    }

    /// The same database seen through another clock (the demo writes history with it).
    pub fn with_clock(&self, clock: Clock) -> Store {
        Store {
            clock,
            ..self.clone()
        }
    }

    pub async fn close(&self) {
        on_db!(self, pool => pool.close().await)
    }

    pub async fn ping(&self) -> Result<()> {
        on_db!(self, pool => sqlx::query("SELECT 1").execute(pool).await.map(|_| ()))?;
        Ok(())
    }
}

/// Is `url` a PostgreSQL URL (else SQLite)?
pub(crate) fn is_postgres(url: &str) -> bool {
    url.starts_with("postgres://") || url.starts_with("postgresql://")
}

/// A pool of at most `connections` to the PostgreSQL database at `url`.
pub(crate) async fn connect_postgres(url: &str, connections: u32) -> Result<PgPool> {
    Ok(PgPoolOptions::new()
        .max_connections(connections)
        .acquire_timeout(Duration::from_secs(10))
        .connect(url)
        .await?)
}

/// A database URL without its password, fit for messages and logs.
pub fn redact_url(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) if parsed.password().is_some() => {
            let _ = parsed.set_password(Some("***"));
            parsed.to_string()
        }
        _ => url.to_owned(),
    }
}

/// 32 random bytes as 64 hex characters: session tokens, API tokens, CSRF tokens.
pub fn random_token() -> String {
    use rand::Rng;
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// SM3 of a secret token, hex: what the database keeps instead of the token.
pub fn token_digest(token: &str) -> String {
    use sm3::{Digest, Sm3};
    hex::encode(Sm3::digest(token.as_bytes()))
}
