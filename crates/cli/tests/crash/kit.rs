//! What the scenarios share: the size and the seed, a data directory made by `linkong init`,
//! a kill at a random moment, and the checks after it.
//! Shared with the two-server test (`tests/cluster`), which uses parts the harness does not.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Output, Stdio};
use std::time::{Duration, Instant};

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use tempfile::TempDir;

use crate::common::linkong_at;

/// How big a run is, and the random moments' source.
pub struct Size {
    pub rows: usize,
    pub kills: usize,
    pub rng: StdRng,
}

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .map(|v| {
            v.parse()
                .unwrap_or_else(|_| panic!("{name}={v} is not a number"))
        })
        .unwrap_or(default)
}

impl Size {
    /// The size from the environment, its seed printed for `scenario`.
    pub fn from_env(scenario: &str) -> Size {
        let seed = env_number("LINKONG_CRASH_SEED", rand::rng().random());
        let size = Size {
            rows: env_number("LINKONG_CRASH_ROWS", 20_000) as usize,
            kills: env_number("LINKONG_CRASH_KILLS", 3) as usize,
            rng: StdRng::seed_from_u64(seed),
        };
        eprintln!(
            "crash harness [{scenario}]: seed {seed} (LINKONG_CRASH_SEED={seed} replays it), \
             {} rows, {} kills, binary {}",
            size.rows,
            size.kills,
            binary().display()
        );
        size
    }

    /// A moment between `from` and `to` of `span`.
    pub fn moment(&mut self, span: Duration, from: f64, to: f64) -> Duration {
        span.mul_f64(self.rng.random_range(from..to))
    }
}

/// The binary under test: `LINKONG_CRASH_BIN`, else the one built with the tests.
pub fn binary() -> PathBuf {
    std::env::var_os("LINKONG_CRASH_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_linkong")))
}

/// A data directory made by `linkong init`, on SQLite or on the PostgreSQL database `url`.
pub struct DataDir {
    pub dir: TempDir,
    pub url: Option<String>,
}

impl DataDir {
    pub fn init(url: Option<String>) -> DataDir {
        let data = DataDir {
            dir: TempDir::new().unwrap(),
            url,
        };
        data.succeed(&["init"]);
        data
    }

    /// A second server's data directory beside this one: the same database and field key,
    /// its own search index and files.
    pub fn beside(&self) -> DataDir {
        let data = DataDir {
            dir: TempDir::new().unwrap(),
            url: self.url.clone(),
        };
        let keys = data.path().join("keys");
        std::fs::create_dir_all(&keys).unwrap();
        for entry in std::fs::read_dir(self.path().join("keys")).unwrap() {
            let entry = entry.unwrap();
            std::fs::copy(entry.path(), keys.join(entry.file_name())).unwrap();
        }
        data
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn command(&self, args: &[&str]) -> Command {
        let mut command = linkong_at(&binary(), self.path(), self.url.as_deref(), args);
        command.env("LINKONG_LOG", "warn");
        command
    }

    /// Runs `args` to its end and asserts it succeeded.
    pub fn succeed(&self, args: &[&str]) -> Output {
        let output = self.command(args).output().expect("linkong runs");
        assert!(
            output.status.success(),
            "linkong {args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        output
    }

    /// The database's URL.
    pub fn database_url(&self) -> String {
        self.url
            .clone()
            .unwrap_or_else(|| format!("sqlite://{}", self.path().join("linkong.db").display()))
    }

    pub fn is_sqlite(&self) -> bool {
        self.url.is_none()
    }

    /// One number from the database.
    pub async fn count(&self, sql: &'static str) -> i64 {
        if self.is_sqlite() {
            let pool = sqlx::SqlitePool::connect(&self.database_url())
                .await
                .unwrap();
            let n = sqlx::query_scalar(sql).fetch_one(&pool).await.unwrap();
            pool.close().await;
            n
        } else {
            let pool = sqlx::PgPool::connect(&self.database_url()).await.unwrap();
            let n = sqlx::query_scalar(sql).fetch_one(&pool).await.unwrap();
            pool.close().await;
            n
        }
    }

    /// After a kill: SQLite finds its file sound, and the audit chain holds.
    pub async fn assert_sound(&self, after: &str) {
        if self.is_sqlite() {
            let pool = sqlx::SqlitePool::connect(&self.database_url())
                .await
                .unwrap();
            let integrity: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check")
                .fetch_all(&pool)
                .await
                .unwrap();
            pool.close().await;
            assert_eq!(integrity, ["ok"], "{after}: PRAGMA integrity_check");
        }
        let verify = self.command(&["audit", "verify"]).output().unwrap();
        assert!(
            verify.status.success(),
            "{after}: linkong audit verify: {}{}",
            String::from_utf8_lossy(&verify.stdout),
            String::from_utf8_lossy(&verify.stderr)
        );
    }
}

/// The databases a scenario runs on: SQLite, and PostgreSQL when `LINKONG_TEST_PG` is set
/// (each a new database, dropped with the returned guard).
pub async fn postgres() -> Option<linkong_testkit::EmptyPostgres> {
    let pg = linkong_testkit::EmptyPostgres::create().await;
    if pg.is_none() {
        linkong_testkit::skip(
            "PostgreSQL half of the crash harness",
            "LINKONG_TEST_PG is not set",
        );
    }
    pg
}

/// Waits `after`, then kills `child` with SIGKILL unless it ended first: None when killed,
/// else how it ended.
pub fn kill_after(child: &mut Child, after: Duration) -> Option<ExitStatus> {
    let deadline = Instant::now() + after;
    while Instant::now() < deadline {
        if let Some(status) = child.try_wait().unwrap() {
            return Some(status);
        }
        std::thread::sleep(Duration::from_millis(2).min(deadline - Instant::now()));
    }
    if let Some(status) = child.try_wait().unwrap() {
        return Some(status);
    }
    // std's kill is SIGKILL on Unix: no handler runs, nothing is flushed.
    child.kill().unwrap();
    child.wait().unwrap();
    None
}

/// How long `args` takes to run to its end on a data directory of its own (made like `data`'s
/// first state by `prepare`): the span the random moments are drawn from.
pub fn timed(data: &DataDir, args: &[&str]) -> Duration {
    let started = Instant::now();
    data.succeed(args);
    started.elapsed()
}

/// Spawns `args` on `data` with its output discarded.
pub fn spawn(data: &DataDir, args: &[&str]) -> Child {
    data.command(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("linkong starts")
}
