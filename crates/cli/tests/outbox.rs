//! `linkong outbox status | send --gateway URL` as the operator runs it, on each backend: a
//! push's SMS waits; a gateway that refuses keeps it for the next run (exit non-zero); one that
//! accepts gets the number and the text as JSON, and the outbox is empty after.

mod common;

use common::{run, text};

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, mpsc};

use linkong_core::access::Role;
use linkong_core::matching::{WEIGHTS_FILE, Weights};
use linkong_core::pushes::Channel;
use linkong_store::crypto::FieldCipher;
use linkong_store::graduates::GraduateFilter;
use linkong_testkit::{
    TestClock, account, databases, date, graduate_on_roster, plan, publishing_employer,
};

/// A one-request HTTP gateway on loopback answering `status`; sends the request body it got.
fn gateway(status: u16) -> (String, mpsc::Receiver<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/sms", listener.local_addr().unwrap());
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let (stream, _) = listener.accept().unwrap();
        let mut reader = BufReader::new(stream);
        let mut length = 0;
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            if line == "\r\n" {
                break;
            }
            if let Some(value) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                length = value.trim().parse().unwrap();
            }
        }
        let mut body = vec![0; length];
        reader.read_exact(&mut body).unwrap();
        let answer =
            format!("HTTP/1.1 {status} X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        reader.get_mut().write_all(answer.as_bytes()).unwrap();
        tx.send(String::from_utf8(body).unwrap()).unwrap();
    });
    (url, rx)
}

#[tokio::test]
async fn the_outbox_keeps_an_sms_until_the_gateway_takes_it() {
    for db in databases(&TestClock::at(2025, 9, 1, 2)).await {
        db.clock.set(TestClock::at(2025, 9, 1, 2).now());
        // The records are sealed with the data directory's key, as the command will open them.
        let cipher = FieldCipher::load_or_create_file(&db.files.path().join("keys")).unwrap();
        let store = &db.store.clone().with_field_cipher(Arc::new(cipher));
        let plan = plan();
        let (_, phone) = graduate_on_roster(store, 1, date(2025, 9, 1)).await;
        let (_, _, _, post) = publishing_employer(store, 1, date(2025, 9, 1)).await;
        let jinghe = account(store, "jinghe01", Role::UnitStaff, Some("jinghe")).await;
        let filter = GraduateFilter {
            year: 2025,
            ..Default::default()
        };
        let (graduates, _) = store
            .graduates(&plan, &jinghe, &filter, 1, 10, "")
            .await
            .unwrap();
        let weights = Weights::parse(WEIGHTS_FILE).unwrap();
        store
            .push_referrals(
                &plan,
                &jinghe,
                Channel::PushList,
                &weights,
                &[(graduates[0].id, post)],
                "",
            )
            .await
            .unwrap();

        let status = run(&db, &["outbox", "status"]);
        assert!(status.status.success(), "{}", text(&status.stderr));
        assert_eq!(
            text(&status.stdout).trim(),
            "待发送短信 1 条；多次失败已放弃 0 条"
        );

        let (down, _) = gateway(503);
        let failed = run(&db, &["outbox", "send", "--gateway", &down]);
        assert!(!failed.status.success(), "{}", text(&failed.stderr));
        assert!(
            text(&failed.stdout).contains("已发送 0 条，失败 1 条"),
            "{} {}",
            text(&failed.stdout),
            text(&failed.stderr)
        );
        let (up, got) = gateway(200);
        let sent = run(&db, &["outbox", "send", "--gateway", &up]);
        assert!(sent.status.success(), "{}", text(&sent.stderr));
        assert!(
            text(&sent.stdout).contains("已发送 1 条，失败 0 条"),
            "{}",
            text(&sent.stdout)
        );
        let body: serde_json::Value = serde_json::from_str(&got.recv().unwrap()).unwrap();
        assert_eq!(body["phone"], phone.as_str());
        assert!(
            body["text"]
                .as_str()
                .unwrap()
                .starts_with("【临空港就业】为您推荐岗位："),
            "{body}"
        );
        assert!(!text(&sent.stdout).contains(&phone) && !text(&sent.stderr).contains(&phone));
        let status = run(&db, &["outbox", "status"]);
        assert_eq!(
            text(&status.stdout).trim(),
            "待发送短信 0 条；多次失败已放弃 0 条"
        );
    }
}
