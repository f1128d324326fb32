//! `linkong import migrants` killed at random moments: after each kill the roster holds all of
//! the file or none of it, and at the end the import runs through with the full count.

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
    kill_imports(&mut size, &csv, None).await;
    if let Some(pg) = postgres().await {
        kill_imports(&mut size, &csv, Some(pg.url.clone())).await;
    }
}

async fn kill_imports(size: &mut Size, csv: &str, url: Option<String>) {
    let args = ["import", "migrants", csv, "--unit", "径河街道"];
    let backend = if url.is_some() {
        "PostgreSQL"
    } else {
        "SQLite"
    };
    // The span of the moments: a whole import on a database of its own (SQLite's for both:
    // only the order of magnitude matters).
    let span = timed(&DataDir::init(None), &args);
    let data = DataDir::init(url);
    let rows = size.rows as i64;
    let (mut killed, mut finished) = (0usize, 0i64);
    while killed < size.kills {
        let at = size.moment(span, 0.02, 0.8);
        let mut child = spawn(&data, &args);
        let ended = kill_after(&mut child, at);
        let after = format!("{backend} import, kill {killed} at {at:?}");
        data.assert_sound(&after).await;
        let persons = data.count("SELECT COUNT(*) FROM persons").await;
        let migrants = data.count("SELECT COUNT(*) FROM migrants").await;
        let audited = data
            .count("SELECT COUNT(*) FROM audit_log WHERE action = 'import.migrants'")
            .await;
        match ended {
            Some(status) => {
                assert!(status.success(), "{after}: the import failed");
                finished += 1;
            }
            None => killed += 1,
        }
        let expected = if finished > 0 { rows } else { 0 };
        assert_eq!(
            (persons, migrants, audited),
            (expected, expected, finished),
            "{after}: all of the file or none"
        );
        eprintln!(
            "  {backend}: {} at {at:?} of {span:?}: {persons} persons",
            if ended.is_some() {
                "ended before the kill"
            } else {
                "killed"
            }
        );
        assert!(
            killed + (finished as usize) < 4 * size.kills + 4,
            "the kills keep missing"
        );
    }
    let started = std::time::Instant::now();
    data.succeed(&args);
    eprintln!(
        "  {backend}: {killed} kills; the import run again took {:?}",
        started.elapsed()
    );
    data.assert_sound("the import run again").await;
    assert_eq!(data.count("SELECT COUNT(*) FROM persons").await, rows);
    assert_eq!(data.count("SELECT COUNT(*) FROM migrants").await, rows);
}
