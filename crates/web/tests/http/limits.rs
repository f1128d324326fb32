//! Rate limits over HTTP, on each backend (issue 17 item 5): sign-in, search, applications and
//! complaints past their bucket get 429 with a Chinese page (or JSON) and `Retry-After`; one
//! address's bucket does not stop another's, and only a proxy on this machine may name the
//! client; an account's own limit on applying holds whatever address it comes from.

use crate::common;

use common::{App, applicant, get, hidden, spawn_apps, spawn_apps_with};
use linkong_core::limits::{Limited, Rate, RateLimits};
use linkong_testkit::{TestClock, date, publishing_employer};

/// A wrong password posted to /login from `client`, the proxy naming `real_ip` when given.
async fn wrong_login(app: &App, client: &reqwest::Client, real_ip: Option<&str>) -> u16 {
    let (_, page) = get(client, app, "/login").await;
    let mut request = client
        .post(app.url("/login"))
        .header("Origin", &app.base)
        .form(&[
            ("username", "nobody"),
            ("password", "Wrong#2025xx"),
            ("csrf", hidden(&page, "csrf").as_str()),
        ]);
    if let Some(ip) = real_ip {
        request = request.header("X-Real-IP", ip);
    }
    request.send().await.unwrap().status().as_u16()
}

#[tokio::test]
async fn sign_in_past_the_addresss_bucket_is_refused_in_chinese_and_another_address_is_not() {
    let burst = RateLimits::shipped().rate(Limited::LoginIp).burst;
    for app in spawn_apps(&TestClock::at(2025, 6, 10, 2)).await {
        let client = app.client();
        for attempt in 0..burst {
            assert_eq!(wrong_login(&app, &client, None).await, 401, "{attempt}");
        }
        let (_, page) = get(&client, &app, "/login").await;
        let refused = client
            .post(app.url("/login"))
            .header("Origin", &app.base)
            .form(&[
                ("username", "nobody"),
                ("password", "Wrong#2025xx"),
                ("csrf", hidden(&page, "csrf").as_str()),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(refused.status(), 429);
        let wait: u64 = refused.headers()["retry-after"]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!((1..=10).contains(&wait), "{wait}");
        let body = refused.text().await.unwrap();
        assert!(body.contains("操作过于频繁"), "{body}");
        assert!(body.contains("登录尝试过于频繁，请"), "{body}");
        assert!(body.contains("<html"), "a page, not bare text");
        // The login page itself is not limited: only the attempts are.
        assert_eq!(get(&client, &app, "/login").await.0, 200);
        // A client the local proxy names is another bucket; its own attempts go on.
        assert_eq!(wrong_login(&app, &client, Some("198.51.100.7")).await, 401);
    }
}

#[tokio::test]
async fn search_past_its_bucket_answers_429_as_a_page_and_as_json() {
    let tight = RateLimits::shipped().with(
        Limited::SearchIp,
        Rate {
            burst: 2,
            per_minute: 1,
        },
    );
    for app in spawn_apps_with(&TestClock::at(2025, 6, 10, 2), |s| {
        s.with_rate_limits(&tight)
    })
    .await
    {
        let client = app.client();
        assert_eq!(get(&client, &app, "/jobs?q=会计").await.0, 200);
        assert_eq!(get(&client, &app, "/api/v1/jobs?q=会计").await.0, 200);
        let (status, page) = get(&client, &app, "/jobs?q=会计").await;
        assert_eq!(status, 429);
        assert!(page.contains("搜索过于频繁，请"), "{page}");
        let response = client
            .get(app.url("/api/v1/jobs?q=会计"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 429);
        let body: serde_json::Value = response.json().await.unwrap();
        assert_eq!(body["status"], 429);
        assert!(body["error"].as_str().unwrap().starts_with("搜索过于频繁"));
        // A job's own page is not search: it still answers.
        assert_eq!(get(&client, &app, "/jobs/999999").await.0, 404);
    }
}

/// POSTs to a job's `action` (apply, report) with the applicant's session token.
async fn act(app: &App, client: &reqwest::Client, post: i64, action: &str) -> (u16, String) {
    let (_, me) = get(client, app, "/me").await;
    let response = client
        .post(app.url(&format!("/jobs/{post}/{action}")))
        .header("Origin", &app.base)
        .form(&[
            ("csrf", hidden(&me, "csrf").as_str()),
            ("reason", "其他"),
            ("detail", "收取报名费"),
        ])
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.text().await.unwrap())
}

#[tokio::test]
async fn an_account_past_its_own_bucket_cannot_apply_or_complain_and_others_still_can() {
    let one_each = Rate {
        burst: 2,
        per_minute: 1,
    };
    let tight = RateLimits::shipped()
        .with(Limited::ApplyAccount, one_each)
        .with(Limited::ComplaintAccount, one_each);
    let clock = TestClock::at(2025, 6, 10, 2);
    for app in spawn_apps_with(&clock, |s| s.with_rate_limits(&tight)).await {
        let today = date(2025, 6, 10);
        let (mut posts, mut bosses) = (Vec::new(), Vec::new());
        for n in 1..=3 {
            let (boss, _, _, post) = publishing_employer(&app.db.store, n, today).await;
            posts.push(post);
            bosses.push(boss);
        }
        let zhang = applicant(&app, "13700001234", "张伟").await;
        assert_eq!(act(&app, &zhang, posts[0], "apply").await.0, 200);
        assert_eq!(act(&app, &zhang, posts[1], "apply").await.0, 200);
        let (status, page) = act(&app, &zhang, posts[2], "apply").await;
        assert_eq!(status, 429, "{page}");
        assert!(page.contains("投递申请过于频繁，请"), "{page}");
        let third = app
            .db
            .store
            .employer_applications(&bosses[2])
            .await
            .unwrap();
        assert!(third.is_empty(), "the refused application is not written");
        // Another account from the same address applies.
        let li = applicant(&app, "13700005678", "李娜").await;
        assert_eq!(act(&app, &li, posts[2], "apply").await.0, 200);
        // Complaints: the account's own bucket too.
        assert_eq!(act(&app, &li, posts[0], "report").await.0, 200);
        assert_eq!(act(&app, &li, posts[1], "report").await.0, 200);
        let (status, page) = act(&app, &li, posts[2], "report").await;
        assert_eq!(status, 429);
        assert!(page.contains("举报过于频繁，请"), "{page}");
    }
}
