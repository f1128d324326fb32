//! A rolling restart behind nginx, as `docs/operations.md` tells an operator to do it: take one
//! server out of the upstream (`down`, graceful reload), stop it with SIGTERM (it finishes the
//! requests it holds), start it again, put it back; then the other. Clients searching, reading a
//! post and signing in through nginx the whole time get every answer.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use linkong_testkit::hidden;

use crate::server::PASSWORD;
use crate::set_up::{Cluster, REVIEWER, STAFF};

/// Clients of the public and the staff side, each asking in a loop.
const CLIENTS: usize = 4;

#[derive(Default)]
struct Tally {
    answered: AtomicU64,
    failed: AtomicU64,
    first_failure: std::sync::Mutex<Option<String>>,
}

impl Tally {
    fn count(&self, what: &str, outcome: Result<u16, reqwest::Error>, expected: u16) {
        match outcome {
            Ok(status) if status == expected => {
                self.answered.fetch_add(1, Ordering::Relaxed);
            }
            other => {
                self.failed.fetch_add(1, Ordering::Relaxed);
                let mut first = self.first_failure.lock().unwrap();
                first.get_or_insert_with(|| format!("{what}: {other:?}"));
            }
        }
    }
}

/// One client's loop until `stop`: a search, a post's page, the health check, a sign-in.
async fn ask(base: String, post: i64, tally: Arc<Tally>, stop: Arc<AtomicBool>) {
    // A connection per request. A graceful reload makes nginx's old worker close its idle
    // keep-alive connections, and a request sent on one at that instant gets no answer; browsers
    // resend such a request, this client would not. So the count covers the servers and the
    // upstream's switch, not that race of the client's side.
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .pool_max_idle_per_host(0)
        .build()
        .unwrap();
    let status = |r: Result<reqwest::Response, reqwest::Error>| r.map(|r| r.status().as_u16());
    while !stop.load(Ordering::Relaxed) {
        let search = client.get(format!("{base}/jobs?q=集群")).send().await;
        tally.count("search", status(search), 200);
        let detail = client.get(format!("{base}/jobs/{post}")).send().await;
        tally.count("post page", status(detail), 200);
        let health = client.get(format!("{base}/healthz")).send().await;
        tally.count("health", status(health), 200);
        sign_in_once(&client, &base, &tally).await;
    }
}

/// A sign-in's two requests: the form (its CSRF token) and the POST.
async fn sign_in_once(client: &reqwest::Client, base: &str, tally: &Tally) {
    let form = match client.get(format!("{base}/login")).send().await {
        Ok(page) if page.status() == 200 => page.text().await.unwrap(),
        other => {
            tally.count("sign-in form", other.map(|r| r.status().as_u16()), 200);
            return;
        }
    };
    tally.answered.fetch_add(1, Ordering::Relaxed);
    let csrf = hidden(&form, "csrf");
    let posted = client
        .post(format!("{base}/login"))
        .header("Origin", base)
        .form(&[("username", STAFF), ("password", PASSWORD), ("csrf", &csrf)])
        .send()
        .await;
    tally.count("sign-in", posted.map(|r| r.status().as_u16()), 303);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rolling_restart_behind_nginx_answers_every_request() {
    let Some(mut cluster) = Cluster::start("the two-server test (rolling restart)").await else {
        return;
    };
    let post = cluster.submitted_post("集群滚动重启验证员").await;
    let reviewer = cluster.a.signed_in(REVIEWER).await;
    let csrf = cluster.a.csrf(&reviewer).await;
    let published = reviewer
        .post(cluster.a.url(&format!("/review/posts/{post}")))
        .header("Origin", &cluster.a.base)
        .form(&[
            ("csrf", csrf.as_str()),
            ("decision", "publish"),
            ("note", ""),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(published.status(), 200);

    let tally = Arc::new(Tally::default());
    let stop = Arc::new(AtomicBool::new(false));
    let clients: Vec<_> = (0..CLIENTS)
        .map(|_| {
            let base = cluster.nginx.base.clone();
            tokio::spawn(ask(base, post, tally.clone(), stop.clone()))
        })
        .collect();
    tokio::time::sleep(Duration::from_secs(1)).await;

    let upstreams = [cluster.a.addr(), cluster.b.addr()];
    let upstreams: Vec<&str> = upstreams.iter().map(String::as_str).collect();
    for (server, data) in [
        (&mut cluster.a, &cluster.a_data),
        (&mut cluster.b, &cluster.b_data),
    ] {
        let addr = server.addr();
        cluster.nginx.reload(&upstreams, &[&addr]).await.unwrap();
        server.terminate().await;
        server.restart(data).await;
        cluster.nginx.reload(&upstreams, &[]).await.unwrap();
        tokio::time::sleep(Duration::from_secs(1)).await;
    }

    stop.store(true, Ordering::Relaxed);
    for client in clients {
        client.await.unwrap();
    }
    let answered = tally.answered.load(Ordering::Relaxed);
    let failed = tally.failed.load(Ordering::Relaxed);
    eprintln!(
        "cluster: rolling restart of both servers: {answered} requests answered, {failed} failed"
    );
    assert_eq!(
        failed,
        0,
        "a request failed during the rolling restart: {:?}",
        tally.first_failure.lock().unwrap()
    );
    assert!(
        answered > 100,
        "the clients were at work: {answered} answers"
    );
}
