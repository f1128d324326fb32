//! Server A killed (`kill -9`) in the middle of a web import: server B shows the run 中断 once
//! A's heartbeat is stale, nothing of the file is in the shared database, and the same file
//! imported through B goes in whole.

use std::time::{Duration, Instant};

use linkong_core::imports::{INTERRUPTED, STALE_AFTER};

use crate::common::big_roster;
use crate::server::Server;
use crate::set_up::{Cluster, STAFF, within};

/// Rows of the roster: enough that the import is still running when A is killed.
const ROWS: usize = 50_000;

/// The import's page on `server`.
async fn page(server: &Server, client: &reqwest::Client, token: &str) -> String {
    let answer = client
        .get(server.url(&format!("/imports/{token}")))
        .send()
        .await
        .unwrap();
    assert_eq!(
        answer.status(),
        200,
        "the import is known on {}",
        server.base
    );
    answer.text().await.unwrap()
}

/// Whether the import's page says it is still going (it refreshes itself until the end).
fn going(shown: &str) -> bool {
    shown.contains("http-equiv=\"refresh\"")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_killed_mid_import_leaves_the_run_interrupted_on_the_other_and_nothing_written() {
    let Some(mut cluster) = Cluster::start("the two-server test (import)").await else {
        return;
    };
    let path = cluster.a_data.path().join("roster.csv");
    big_roster(&path, ROWS);
    let csv = std::fs::read(&path).unwrap();
    let on_a = cluster.a.signed_in(STAFF).await;
    let token = cluster.a.upload_roster(&on_a, &csv).await;

    // Killed as soon as A says it has rows in hand.
    let running = within(Duration::from_secs(60), || async {
        let shown = page(&cluster.a, &on_a, &token).await;
        going(&shown) && !shown.contains("已处理 0 行")
    })
    .await;
    assert!(running.is_some(), "the import never ran on A");
    cluster.a.kill_after(Duration::ZERO).await;
    let killed = Instant::now();

    // B sees the run stop once A's heartbeat is stale, and nothing was written.
    let on_b = cluster.b.signed_in(STAFF).await;
    let shown = page(&cluster.b, &on_b, &token).await;
    assert!(
        going(&shown),
        "right after the kill, B still shows the run going: {shown}"
    );
    let limit = STALE_AFTER.to_std().unwrap() + Duration::from_secs(10);
    let interrupted = within(limit, || async {
        page(&cluster.b, &on_b, &token).await.contains(INTERRUPTED)
    })
    .await;
    assert!(interrupted.is_some(), "B never showed the run 中断");
    eprintln!(
        "cluster: A killed mid-import; B showed 中断 {:?} after the kill",
        killed.elapsed()
    );
    let persons = cluster.a_data.count("SELECT COUNT(*) FROM persons").await;
    assert_eq!(persons, 0, "the killed import wrote nothing");

    // The same file through B goes in whole.
    let token = cluster.b.upload_roster(&on_b, &csv).await;
    let done = within(Duration::from_secs(600), || async {
        !going(&page(&cluster.b, &on_b, &token).await)
    })
    .await;
    assert!(done.is_some(), "the import on B hangs");
    let shown = page(&cluster.b, &on_b, &token).await;
    assert!(shown.contains("导入完成"), "{shown}");
    let persons = cluster.a_data.count("SELECT COUNT(*) FROM persons").await;
    assert_eq!(persons, ROWS as i64);
}
