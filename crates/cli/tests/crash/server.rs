//! `linkong serve` as the scenarios run it: on a free loopback port, with rate limits wide
//! enough for one address signing in dozens of accounts, killed and started again on the same
//! port; and its accounts, signed in over HTTP.
//! Shared with the two-server test (`tests/cluster`), which uses parts the harness does not.
#![allow(dead_code)]

use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use linkong_core::access::Role;
use linkong_core::password::NewPassword;
use linkong_store::users::NewUser;

use linkong_testkit::hidden;

use crate::kit::{DataDir, kill_after};

pub const PASSWORD: &str = "Crash#2025x";

pub struct Server {
    pub base: String,
    port: u16,
    limits: std::path::PathBuf,
    child: Option<Child>,
}

impl Server {
    /// Starts the server on `data` and waits until it answers.
    pub async fn start(data: &DataDir) -> Server {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let shipped = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../rules/rate-limits.toml"
        ))
        .unwrap();
        let wide: String = shipped
            .lines()
            .map(|line| match line.split_once(" = ") {
                Some((key @ ("burst" | "per_minute"), _)) => format!("{key} = 1000000\n"),
                _ => format!("{line}\n"),
            })
            .collect();
        let limits = data.path().join("wide-limits.toml");
        std::fs::write(&limits, wide).unwrap();
        let mut server = Server {
            base: format!("http://127.0.0.1:{port}"),
            port,
            limits,
            child: None,
        };
        server.restart(data).await;
        server
    }

    /// Starts the server again on the same port (after a kill) and waits until it answers.
    pub async fn restart(&mut self, data: &DataDir) {
        let addr = format!("127.0.0.1:{}", self.port);
        let limits = self.limits.to_str().unwrap().to_owned();
        let child = data
            .command(&["serve", "--addr", &addr, "--rate-limits", &limits])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("linkong serve starts");
        self.child = Some(child);
        let client = reqwest::Client::new();
        let started = Instant::now();
        loop {
            let answer = client.get(format!("{}/healthz", self.base)).send().await;
            if answer.is_ok_and(|a| a.status().is_success()) {
                return;
            }
            if let Some(status) = self.child.as_mut().unwrap().try_wait().unwrap() {
                panic!("linkong serve ended at start: {status}");
            }
            assert!(
                started.elapsed() < Duration::from_secs(120),
                "serve did not answer"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Kills the server with SIGKILL after `after` (on a thread of its own: the requests in
    /// flight go on meanwhile).
    pub async fn kill_after(&mut self, after: Duration) {
        let mut child = self.child.take().expect("a running server");
        let ended = tokio::task::spawn_blocking(move || kill_after(&mut child, after))
            .await
            .unwrap();
        assert!(ended.is_none(), "the server ended by itself: {ended:?}");
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// A client signed in as `username`.
    pub async fn signed_in(&self, username: &str) -> reqwest::Client {
        sign_in(&self.base, username).await
    }

    /// `127.0.0.1:PORT`, as nginx names it in an upstream.
    pub fn addr(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    /// Stops the server with SIGTERM, as systemd does, and waits until it has answered the
    /// requests it held and ended; it must end cleanly.
    pub async fn terminate(&mut self) {
        let mut child = self.child.take().expect("a running server");
        let pid = child.id().to_string();
        let sent = std::process::Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap();
        assert!(sent.success(), "kill -TERM {pid}");
        let waited = tokio::time::timeout(
            std::time::Duration::from_secs(30),
            tokio::task::spawn_blocking(move || child.wait().unwrap()),
        )
        .await;
        let Ok(ended) = waited else {
            let _ = std::process::Command::new("kill")
                .args(["-KILL", &pid])
                .status();
            panic!("the server had not ended 30 s after SIGTERM (killed)");
        };
        let ended = ended.unwrap();
        assert!(ended.success(), "the server ended on SIGTERM with {ended}");
    }

    /// Uploads `csv` as the out-migrant roster on the web: the import's token.
    pub async fn upload_roster(&self, client: &reqwest::Client, csv: &[u8]) -> String {
        let csrf = self.csrf(client).await;
        let form = reqwest::multipart::Form::new().text("csrf", csrf).part(
            "file",
            reqwest::multipart::Part::bytes(csv.to_vec()).file_name("名册.csv"),
        );
        let answer = client
            .post(self.url("/people/migrants/import"))
            .header("Origin", &self.base)
            .multipart(form)
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 303, "the upload goes on to its page");
        let to = answer.headers()["location"].to_str().unwrap();
        to.trim_start_matches("/imports/").to_owned()
    }

    /// The session's CSRF token of `client`.
    pub async fn csrf(&self, client: &reqwest::Client) -> String {
        let page = client.get(self.url("/plan")).send().await.unwrap();
        hidden(&page.text().await.unwrap(), "csrf")
    }
}

/// A client signed in as `username` at `base` (a server, or nginx in front of several).
pub async fn sign_in(base: &str, username: &str) -> reqwest::Client {
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let page = client.get(format!("{base}/login")).send().await.unwrap();
    let csrf = hidden(&page.text().await.unwrap(), "csrf");
    let answer = client
        .post(format!("{base}/login"))
        .header("Origin", base)
        .form(&[
            ("username", username),
            ("password", PASSWORD),
            ("csrf", &csrf),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 303, "{username} signs in at {base}");
    client
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// Creates unit-staff accounts (username, unit) in `data`'s database, as an admin would.
pub async fn staff_accounts(data: &DataDir, accounts: &[(String, String)]) {
    let store = linkong_store::Store::open(
        &data.database_url(),
        &data.path().join("files"),
        linkong_store::system_clock(),
    )
    .await
    .unwrap();
    for (username, unit) in accounts {
        let new = NewUser {
            username: username.clone(),
            display_name: format!("{username}测试"),
            role: Role::UnitStaff,
            unit_code: Some(unit.clone()),
            password: NewPassword::parse(PASSWORD, username).unwrap(),
            must_change_password: false,
        };
        store.create_user(None, new, "").await.unwrap();
    }
    store.close().await;
}
