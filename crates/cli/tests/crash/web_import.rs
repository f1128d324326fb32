//! An import started on the web, the server killed while it runs and started again on the same
//! address: the import's page shows 中断 with its sentence and nothing of the file is in the
//! database — or, when the kill came after the commit, 导入完成 and all of it; its upload is
//! gone, and the same file then imports whole.

use std::time::{Duration, Instant};

use linkong_core::imports::INTERRUPTED;

use crate::common::big_roster;
use crate::kit::{DataDir, Size, timed};
use crate::server::{Server, staff_accounts};

/// The most rows uploaded: the web takes files up to 64 MB.
const MAX_WEB_ROWS: usize = 200_000;

/// Imports committed so far: each writes one audit row with its rows.
async fn imports_audited(data: &DataDir) -> i64 {
    data.count("SELECT COUNT(*) FROM audit_log WHERE action = 'import.migrants'")
        .await
}

async fn page(server: &Server, client: &reqwest::Client, token: &str) -> (u16, String) {
    let answer = client
        .get(server.url(&format!("/imports/{token}")))
        .send()
        .await
        .unwrap();
    (answer.status().as_u16(), answer.text().await.unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_web_import_whose_server_is_killed_shows_interrupted_and_wrote_nothing() {
    let mut size = Size::from_env("web import");
    let rows = size.rows.min(MAX_WEB_ROWS);
    let data = DataDir::init(None);
    let path = data.path().join("roster.csv");
    big_roster(&path, rows);
    let csv = std::fs::read(&path).unwrap();
    let import = [
        "import",
        "migrants",
        path.to_str().unwrap(),
        "--unit",
        "径河街道",
    ];
    let span = timed(&DataDir::init(None), &import);
    staff_accounts(&data, &[("w_jinghe".into(), "jinghe".into())]).await;
    let mut server = Server::start(&data).await;
    let client = server.signed_in("w_jinghe").await;

    for kill in 0..size.kills {
        let audited = imports_audited(&data).await;
        let token = server.upload_roster(&client, &csv).await;
        let at = size.moment(span, 0.02, 0.8);
        server.kill_after(at).await;
        let after = format!("web import, kill {kill} at {at:?}");
        data.assert_sound(&after).await;
        let persons = data.count("SELECT COUNT(*) FROM persons").await;
        let committed = imports_audited(&data).await - audited;
        server.restart(&data).await;
        let (status, shown) = page(&server, &client, &token).await;
        assert_eq!(
            status, 200,
            "{after}: the import is known after the restart"
        );
        let upload = data.path().join(format!("files/imports/{token}.upload"));
        assert!(!upload.exists(), "{after}: the upload was left behind");
        assert!(
            persons == 0 || persons == rows as i64,
            "{after}: {persons} persons"
        );
        // The page says what the database holds: done exactly when the import committed.
        if shown.contains("导入完成") {
            assert_eq!((committed, persons), (1, rows as i64), "{after}");
            eprintln!("  web import: kill {kill} at {at:?} came after the commit: 导入完成");
            continue;
        }
        assert_eq!(
            committed, 0,
            "{after}: 中断 shown over an import that committed"
        );
        assert!(
            shown.contains("中断") && shown.contains(INTERRUPTED),
            "{after}: {shown}"
        );
        assert!(!shown.contains("http-equiv=\"refresh\""), "{after}");
        eprintln!("  web import: kill {kill} at {at:?} of {span:?}: 中断, {persons} persons");
    }

    // The same file, imported again on the restarted server, goes in whole.
    let token = server.upload_roster(&client, &csv).await;
    let started = Instant::now();
    let shown = loop {
        let (_, shown) = page(&server, &client, &token).await;
        if !shown.contains("http-equiv=\"refresh\"") {
            break shown;
        }
        assert!(
            started.elapsed() < span * 20 + Duration::from_secs(60),
            "the import hangs"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert!(shown.contains("导入完成"), "{shown}");
    assert_eq!(
        data.count("SELECT COUNT(*) FROM persons").await,
        rows as i64
    );
    server.kill_after(Duration::ZERO).await;
    data.assert_sound("the last import").await;
}
