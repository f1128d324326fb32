//! Several app servers on one PostgreSQL (issue 18): each follows the search change log into its
//! own index. A server woken by the database's notifications finds a post published through
//! another server as soon as it commits, and loses it as soon as it is closed; a server that
//! hears no notifications (LISTEN blocked) still converges at its next poll. On SQLite there is
//! one server per file, so only PostgreSQL is run (skipped loudly without LINKONG_TEST_PG).
//! And on both backends: the first sync of a day removes the posts expired by then.

use std::sync::Arc;
use std::time::{Duration, Instant};

use linkong_app::search_sync::{SearchSync, Wake};
use linkong_search::{JobIndex, JobQuery};
use linkong_store::Backend;
use linkong_testkit::{TestClock, databases, date, publishing_employer};

/// A second server: its own store on the same database and its own index, caught up.
async fn server(db: &linkong_testkit::TestDb, dir: &std::path::Path) -> SearchSync {
    let index = Arc::new(JobIndex::open(dir).expect("an index"));
    let sync = SearchSync::new(db.another_server().await, index);
    sync.sync().await.expect("caught up");
    sync
}

/// How many posts the server's index finds for 出纳, waiting up to `within` for `expected`.
async fn found_within(sync: &SearchSync, expected: usize, within: Duration) -> Option<Duration> {
    let started = Instant::now();
    let mut query = JobQuery::new(date(2025, 9, 1));
    query.text = "出纳".into();
    while started.elapsed() < within {
        if sync.index().search(&query).expect("search").total == expected {
            return Some(started.elapsed());
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    None
}

#[tokio::test]
async fn a_post_reaches_every_server_on_notification_and_a_server_without_them_by_polling() {
    for db in databases(&TestClock::at(2025, 9, 1, 2)).await {
        if db.backend != Backend::Postgres {
            continue;
        }
        let dirs = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        // B would poll once an hour: only a notification can bring it the post in time.
        let notified = server(&db, dirs.0.path()).await;
        let b = notified
            .clone()
            .follow_with(Duration::from_secs(3600), Wake::OnNotification);
        // C hears nothing and polls every 500 ms.
        let polling = server(&db, dirs.1.path()).await;
        let c = polling
            .clone()
            .follow_with(Duration::from_millis(500), Wake::PollOnly);
        // Let B's listener start before the write.
        tokio::time::sleep(Duration::from_millis(300)).await;

        // Server A is the test's own store.
        let (boss, _, _, post) = publishing_employer(&db.store, 1, date(2025, 9, 1)).await;
        let reached = found_within(&notified, 1, Duration::from_secs(30)).await;
        assert!(reached.is_some(), "B was notified of the published post");
        let polled = found_within(&polling, 1, Duration::from_secs(30)).await;
        assert!(polled.is_some(), "C found it at a poll");

        db.store
            .close_job_post(&boss, post, "已招满", "")
            .await
            .expect("closed");
        assert!(
            found_within(&notified, 0, Duration::from_secs(30))
                .await
                .is_some(),
            "B was notified of the closed post"
        );
        assert!(
            found_within(&polling, 0, Duration::from_secs(30))
                .await
                .is_some(),
            "C dropped it at a poll"
        );
        println!(
            "published → B (notified) {:?}, C (polling every 500 ms) {:?}",
            reached.unwrap(),
            polled.unwrap()
        );
        b.abort();
        c.abort();
    }
}

#[tokio::test]
async fn the_first_sync_of_a_day_removes_the_posts_expired_by_then() {
    let clock = TestClock::at(2025, 9, 1, 2);
    for db in databases(&clock).await {
        let dir = tempfile::tempdir().unwrap();
        // Valid from 2025-09-01 through 2025-10-31.
        publishing_employer(&db.store, 1, date(2025, 9, 1)).await;
        let sync = server(&db, dir.path()).await;
        assert_eq!(sync.index().num_docs(), 1, "{:?}: indexed", db.backend);

        clock.set(clock.now() + chrono::Duration::days(60));
        sync.sync().await.expect("synced on its last day");
        assert_eq!(
            sync.index().num_docs(),
            1,
            "{:?}: kept on its last day",
            db.backend
        );

        clock.set(clock.now() + chrono::Duration::days(1));
        sync.sync().await.expect("synced the day after");
        assert_eq!(
            sync.index().num_docs(),
            0,
            "{:?}: removed once expired",
            db.backend
        );
        let mut query = JobQuery::new(date(2025, 11, 1));
        query.text = "出纳".into();
        assert_eq!(sync.index().search(&query).expect("search").total, 0);
        clock.set(clock.now() - chrono::Duration::days(61));
    }
}
