//! `linkong import migrants` killed at random moments: after each kill the roster holds all of
//! the file or none of it, and at the end the import runs through with the full count.
//!
//! Every attempt starts from an empty roster: once a file is in, the next attempt gets a fresh
//! database, so that no kill lands on a re-import of rows already there (where "all or none"
//! could only ever show "all").

use tempfile::TempDir;

use crate::common::big_roster;
use crate::kit::{DataDir, Size, kill_after, postgres, spawn, timed};

#[tokio::test]
async fn an_import_killed_at_any_moment_holds_all_of_the_file_or_none() {
    let mut size = Size::from_env("import");
    let files = TempDir::new().unwrap();
    let csv = files.path().join("roster.csv");
    big_roster(&csv, size.rows);
    let csv = csv.to_str().unwrap().to_owned();
    kill_imports(&mut size, &csv, Backend::Sqlite).await;
    if postgres().await.is_some() {
        kill_imports(&mut size, &csv, Backend::Postgres).await;
    }
}

#[derive(Clone, Copy)]
enum Backend {
    Sqlite,
    Postgres,
}

/// An empty data directory on `backend`; the PostgreSQL database goes with the guard.
async fn empty(backend: Backend) -> (DataDir, Option<linkong_testkit::EmptyPostgres>) {
    match backend {
        Backend::Sqlite => (DataDir::init(None), None),
        Backend::Postgres => {
            let pg = postgres().await.expect("LINKONG_TEST_PG is set");
            (DataDir::init(Some(pg.url.clone())), Some(pg))
        }
    }
}

/// How an attempt ended.
enum Attempt {
    /// Killed before its commit: nothing of the file is in.
    KilledBefore,
    /// Killed after its commit (closing the database, say): all of it is in.
    KilledAfter,
    /// Ended on its own before the kill.
    Ended,
}

async fn kill_imports(size: &mut Size, csv: &str, backend: Backend) {
    let args = ["import", "migrants", csv, "--unit", "径河街道"];
    let name = match backend {
        Backend::Sqlite => "SQLite",
        Backend::Postgres => "PostgreSQL",
    };
    // The span of the moments: a whole import on a database of its own.
    let span = {
        let (data, _pg) = empty(backend).await;
        timed(&data, &args)
    };
    let rows = size.rows as i64;
    let (mut data, mut pg) = empty(backend).await;
    let (mut killed, mut attempts) = (0usize, 0usize);
    while killed < size.kills {
        let at = size.moment(span, 0.02, 0.8);
        let mut child = spawn(&data, &args);
        let ended = kill_after(&mut child, at);
        attempts += 1;
        let after = format!("{name} import, attempt {attempts} at {at:?}");
        data.assert_sound(&after).await;
        let persons = data.count("SELECT COUNT(*) FROM persons").await;
        let migrants = data.count("SELECT COUNT(*) FROM migrants").await;
        let audited = data
            .count("SELECT COUNT(*) FROM audit_log WHERE action = 'import.migrants'")
            .await;
        let attempt = match (ended, audited) {
            (Some(status), _) => {
                assert!(status.success(), "{after}: the import failed");
                Attempt::Ended
            }
            (None, 0) => Attempt::KilledBefore,
            (None, _) => Attempt::KilledAfter,
        };
        let whole = !matches!(attempt, Attempt::KilledBefore);
        let expected = if whole { (rows, rows, 1) } else { (0, 0, 0) };
        assert_eq!(
            (persons, migrants, audited),
            expected,
            "{after}: all of the file or none"
        );
        eprintln!(
            "  {name}: {} at {at:?} of {span:?}: {persons} persons",
            match attempt {
                Attempt::KilledBefore => "killed before the commit",
                Attempt::KilledAfter => "killed after the commit",
                Attempt::Ended => "ended before the kill",
            }
        );
        if !matches!(attempt, Attempt::Ended) {
            killed += 1;
        }
        if whole {
            // The next kill starts from an empty roster again.
            (data, pg) = empty(backend).await;
        }
        assert!(attempts < 4 * size.kills + 4, "the kills keep missing");
    }
    let started = std::time::Instant::now();
    data.succeed(&args);
    eprintln!(
        "  {name}: {killed} kills; the import run again took {:?}",
        started.elapsed()
    );
    data.assert_sound("the import run again").await;
    assert_eq!(data.count("SELECT COUNT(*) FROM persons").await, rows);
    assert_eq!(data.count("SELECT COUNT(*) FROM migrants").await, rows);
    drop(pg);
}
