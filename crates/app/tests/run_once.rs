//! Scheduled work runs once across servers (issue 18 item 2): a job's lock is held by one server
//! (PostgreSQL: an advisory lock on a connection of its own) and released when the job ends or
//! its server's connection goes; two servers asking for the nightly matching batch at the same
//! moment record one run. On SQLite (one file, one server) two tasks of the server do the same.

use linkong_app::match_batch::{NIGHTLY_JOB, nightly_once};
use linkong_core::matching::{WEIGHTS_FILE, Weights};
use linkong_store::{Backend, Store};
use linkong_testkit::{TestClock, TestDb, databases, plan};

/// The other server: on PostgreSQL a store of its own; on SQLite the same server.
async fn other(db: &TestDb) -> Store {
    match db.backend {
        Backend::Postgres => db.another_server().await,
        Backend::Sqlite => db.store.clone(),
    }
}

async fn match_runs(db: &TestDb) -> i64 {
    let count = "SELECT COUNT(*) FROM match_runs";
    match db.backend {
        Backend::Postgres => {
            let pool = sqlx::PgPool::connect(&db.url).await.unwrap();
            sqlx::query_scalar(count).fetch_one(&pool).await.unwrap()
        }
        Backend::Sqlite => {
            let pool = sqlx::SqlitePool::connect(&db.url).await.unwrap();
            sqlx::query_scalar(count).fetch_one(&pool).await.unwrap()
        }
    }
}

#[tokio::test]
async fn a_job_lock_is_held_by_one_server_until_it_is_released() {
    for db in databases(&TestClock::at(2025, 9, 1, 2)).await {
        let (a, b) = (db.store.clone(), other(&db).await);
        let held = a.try_exclusive(NIGHTLY_JOB).await.unwrap();
        assert!(
            held.is_some(),
            "{:?}: the first server takes it",
            db.backend
        );
        assert!(
            b.try_exclusive(NIGHTLY_JOB).await.unwrap().is_none(),
            "{:?}: the second waits",
            db.backend
        );
        assert!(
            b.try_exclusive("nightly-backup").await.unwrap().is_some(),
            "{:?}: another job's lock is free",
            db.backend
        );
        // The job ends (or its server dies: PostgreSQL ends the session and its locks).
        held.unwrap().release().await.unwrap();
        assert!(
            b.try_exclusive(NIGHTLY_JOB).await.unwrap().is_some(),
            "{:?}: released, the other server takes it",
            db.backend
        );
    }
}

#[tokio::test]
async fn two_servers_due_at_the_same_moment_run_the_nightly_batch_once() {
    for db in databases(&TestClock::at(2025, 9, 1, 2)).await {
        let (a, b) = (db.store.clone(), other(&db).await);
        let (plan, weights) = (plan(), Weights::parse(WEIGHTS_FILE).unwrap());
        tokio::join!(
            nightly_once(&a, &plan, &weights, 2),
            nightly_once(&b, &plan, &weights, 2),
        );
        assert_eq!(match_runs(&db).await, 1, "{:?}", db.backend);
        // The night is done: neither runs it again.
        nightly_once(&b, &plan, &weights, 2).await;
        assert_eq!(match_runs(&db).await, 1, "{:?}", db.backend);
    }
}
