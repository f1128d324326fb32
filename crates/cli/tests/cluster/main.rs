//! Two app servers on one PostgreSQL with nginx in front (issue 18 item 4): a post published
//! through server A is found through server B at once, a session begun on A holds on B and
//! through nginx on both, a post closed on B leaves A's search, a server killed mid-import
//! leaves its run 中断 on the other with nothing written, and a rolling restart behind nginx
//! answers every request.
//!
//! Needs PostgreSQL (`LINKONG_TEST_PG`) and nginx (`/usr/sbin/nginx`, Debian's `nginx-light`);
//! without either it skips loudly, and under CI it fails instead (`.ci/run` installs both).

#[path = "../common/mod.rs"]
mod common;
#[path = "../crash/kit.rs"]
mod kit;
#[path = "../../src/nginx.rs"]
mod nginx;
#[path = "../crash/server.rs"]
mod server;
mod set_up;

mod bench;
mod import;
mod restart;

use std::collections::BTreeSet;
use std::time::Duration;

use linkong_testkit::hidden;
use server::{Server, sign_in};
use set_up::{Cluster, EMPLOYER, REVIEWER, found, within};

/// The search follows the other server's writes within this (issue 18 item 4).
const VISIBLE_WITHIN: Duration = Duration::from_secs(2);

/// Posts `fields` to `path` on `server`, with the CSRF token of the session's page `from`:
/// the status.
async fn submit(
    server: &Server,
    client: &reqwest::Client,
    from: &str,
    path: &str,
    fields: &[(&str, &str)],
) -> u16 {
    let page = client.get(server.url(from)).send().await.unwrap();
    let csrf = hidden(&page.text().await.unwrap(), "csrf");
    let mut form = vec![("csrf", csrf.as_str())];
    form.extend_from_slice(fields);
    client
        .post(server.url(path))
        .header("Origin", &server.base)
        .form(&form)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

/// Whether `client` is signed in as the reviewer at `base` (the review page, not the sign-in).
async fn reviewing(client: &reqwest::Client, base: &str) -> (bool, String) {
    let answer = client
        .get(format!("{base}/review/posts"))
        .send()
        .await
        .unwrap();
    let upstream = answer
        .headers()
        .get("x-upstream")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (answer.status() == 200, upstream)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_post_published_on_one_server_is_found_on_the_other_and_sessions_hold_on_both() {
    let Some(cluster) = Cluster::start("the two-server test (search and sessions)").await else {
        return;
    };
    let (a, b) = (&cluster.a, &cluster.b);
    let id = cluster.submitted_post("临空港集群联调专员").await;
    assert_eq!(
        found(&b.base, "集群联调").await,
        0,
        "not found before it is published"
    );

    // Signed in through A, the same session cookie is signed in on B.
    let reviewer = a.signed_in(REVIEWER).await;
    assert!(reviewing(&reviewer, &a.base).await.0);
    assert!(
        reviewing(&reviewer, &b.base).await.0,
        "the session holds on B"
    );

    // Published through A's review page, found through B's search.
    let path = format!("/review/posts/{id}");
    let status = submit(
        a,
        &reviewer,
        "/review/posts",
        &path,
        &[("decision", "publish"), ("note", "")],
    )
    .await;
    assert_eq!(status, 200, "published on A");
    let seen = within(VISIBLE_WITHIN, || async {
        found(&b.base, "集群联调").await == 1
    })
    .await;
    let seen = seen.unwrap_or_else(|| panic!("B did not find the post within {VISIBLE_WITHIN:?}"));
    eprintln!("cluster: a post published on A was found on B after {seen:?}");

    // Closed by its employer through B, gone from A's search.
    let boss = b.signed_in(EMPLOYER).await;
    let status = submit(
        b,
        &boss,
        "/employer",
        &format!("/employer/posts/{id}/close"),
        &[("note", "招满")],
    )
    .await;
    assert_eq!(status, 303, "closed on B");
    let gone = within(VISIBLE_WITHIN, || async {
        found(&a.base, "集群联调").await == 0
    })
    .await;
    let gone = gone.unwrap_or_else(|| panic!("A still found the post after {VISIBLE_WITHIN:?}"));
    eprintln!("cluster: a post closed on B left A's search after {gone:?}");

    // Through nginx, one session is served by both servers in turn.
    let through = sign_in(&cluster.nginx.base, REVIEWER).await;
    let mut upstreams = BTreeSet::new();
    for _ in 0..12 {
        let (signed_in, upstream) = reviewing(&through, &cluster.nginx.base).await;
        assert!(signed_in, "signed in through nginx, answered by {upstream}");
        upstreams.insert(upstream);
    }
    assert_eq!(
        upstreams,
        BTreeSet::from([a.addr(), b.addr()]),
        "nginx spread the requests over both servers"
    );

    // Signed out through B, the session is over on A too.
    assert_eq!(
        submit(b, &reviewer, "/review/posts", "/logout", &[]).await,
        303
    );
    assert!(
        !reviewing(&reviewer, &a.base).await.0,
        "signed out on A too"
    );
}
