//! Data exchange with the municipal platform (issue 15 item 9), on each backend: a token is
//! held to its scopes — a read-only token that writes, or an aggregates token that reads a
//! person, is refused with 403 JSON in Chinese and nothing is written; a registries token reads
//! people with their names masked and never unmasks; every registry's aggregates are read
//! generically; progress is read as of a day.

use crate::common;

use common::{App, spawn_apps};
use linkong_core::access::{Role, Roster, TokenScope, TokenScopes};
use linkong_core::registry::Registry;
use linkong_testkit::{TestClock, account, import_rows, would_be_founder};
use reqwest::multipart::Form;
use serde_json::Value;

fn clock() -> TestClock {
    TestClock::at(2025, 10, 15, 2)
}

/// A token of 径河街道's staff with `scopes`; the staff's roster holds 返区人员1 and 2.
async fn token(app: &App, username: &str, scopes: &[TokenScope]) -> String {
    let store = &app.db.store;
    if store.user_by_name(username).await.unwrap().is_none() {
        account(store, username, Role::UnitStaff, Some("jinghe")).await;
    }
    store
        .create_token(username, "市级平台", TokenScopes::of(scopes))
        .await
        .unwrap()
}

async fn with_migrants(app: &App) {
    let rows = (1..=2)
        .map(|n| would_be_founder(n, "返区人员", "jinghe"))
        .collect();
    import_rows(&app.db.store, "jinghe", Roster::Migrants, rows, true)
        .await
        .unwrap()
        .unwrap();
}

async fn get_json(app: &App, token: &str, path: &str) -> (u16, Value) {
    let response = reqwest::Client::new()
        .get(app.url(path))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// A progress record of 径河街道 posted as a form, with the token and no CSRF token.
async fn post_record(app: &App, token: &str) -> reqwest::Response {
    let form = Form::new()
        .text("indicator", "2.2.1.guidance")
        .text("value", "10")
        .text("occurred_on", "2025-10-10")
        .text("description", "邀请优秀创业者进社区开展创业宣讲");
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .post(app.url("/units/jinghe/records"))
        .bearer_auth(token)
        .multipart(form)
        .send()
        .await
        .unwrap()
}

async fn records_written(app: &App) -> usize {
    let store = &app.db.store;
    let plan = store.plan().await.unwrap();
    let (from, to) = (
        linkong_testkit::date(2025, 1, 1),
        linkong_testkit::date(2025, 12, 31),
    );
    store.record_figures(&plan, from, to).await.unwrap().len()
}

#[tokio::test]
async fn a_read_only_token_that_writes_is_refused_in_chinese_json_and_nothing_is_written() {
    for app in spawn_apps(&clock()).await {
        for scopes in [&[][..], &[TokenScope::Registries][..]] {
            let token = token(&app, "jinghe_api", scopes).await;
            let response = post_record(&app, &token).await;
            assert_eq!(response.status(), 403);
            assert!(
                response.headers()["content-type"]
                    .to_str()
                    .unwrap()
                    .starts_with("application/json")
            );
            let body: Value = response.json().await.unwrap();
            assert_eq!(body["status"], 403);
            let message = body["error"].as_str().unwrap();
            assert!(message.contains("只读令牌"), "{message}");
            assert_eq!(records_written(&app).await, 0, "nothing written");
            let audit = app.db.store.recent_audit(1).await.unwrap();
            assert_eq!(audit[0].action, "token.refused");
        }
        // A write token of the same staff writes, without a CSRF token: it is no cookie.
        let writer = token(&app, "jinghe_api", &[TokenScope::Write]).await;
        let response = post_record(&app, &writer).await;
        assert_eq!(response.status(), 303, "{:?}", response.text().await);
        assert_eq!(records_written(&app).await, 1);
    }
}

#[tokio::test]
async fn an_aggregates_token_reads_figures_and_is_refused_a_person() {
    for app in spawn_apps(&clock()).await {
        with_migrants(&app).await;
        let token = token(&app, "jinghe_api", &[]).await;
        for path in [
            "/api/v1/plan",
            "/api/v1/progress?year=2025&as_of=2025-09-30",
            "/api/v1/reports/deadlines?year=2025",
            "/api/v1/reports/quarterly/2025Q3",
            "/api/v1/registries?year=2025",
            "/api/v1/registries/loans.issued",
        ] {
            assert_eq!(get_json(&app, &token, path).await.0, 200, "{path}");
        }
        let (status, body) = get_json(&app, &token, "/api/v1/people/migrants").await;
        assert_eq!(status, 403);
        assert!(
            body["error"].as_str().unwrap().contains("只能读取汇总数据"),
            "{body}"
        );
        // Rows that are not about people are not aggregates either; nor are the pages.
        assert_eq!(get_json(&app, &token, "/api/v1/jobs").await.0, 403);
        let (status, body) = get_json(&app, &token, "/dashboard").await;
        assert_eq!(status, 403);
        assert!(body["error"].as_str().unwrap().contains("/api/"), "{body}");
    }
}

#[tokio::test]
async fn a_registries_token_reads_people_masked_and_never_unmasks() {
    for app in spawn_apps(&clock()).await {
        with_migrants(&app).await;
        let reader = token(&app, "jinghe_api", &[TokenScope::Registries]).await;
        let (status, body) = get_json(&app, &reader, "/api/v1/people/migrants").await;
        assert_eq!(status, 200, "{body}");
        let people = body["people"].as_array().unwrap();
        assert_eq!(people.len(), 2);
        let text = body.to_string();
        assert!(!text.contains("返区人员1"), "no name in clear: {text}");
        assert_eq!(people[0]["name"], "返****");
        assert!(people[0]["id_masked"].as_str().unwrap().contains("****"));
        // Not even a write token unmasks.
        let all = token(
            &app,
            "jinghe_api",
            &[TokenScope::Registries, TokenScope::Write],
        )
        .await;
        let id = people[0]["person_id"].as_i64().unwrap();
        let response = reqwest::Client::new()
            .post(app.url(&format!("/people/migrants/{id}/unmask")))
            .bearer_auth(&all)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 403);
        let body: Value = response.json().await.unwrap();
        assert!(body["error"].as_str().unwrap().contains("明文"), "{body}");
    }
}

#[tokio::test]
async fn every_registry_has_its_aggregates_by_unit_month_and_quarter() {
    for app in spawn_apps(&clock()).await {
        let token = token(&app, "jinghe_api", &[]).await;
        let (status, body) = get_json(&app, &token, "/api/v1/registries?year=2025").await;
        assert_eq!(status, 200);
        let all = body.as_array().unwrap();
        assert_eq!(all.len(), Registry::ALL.len(), "generic over Registry::ALL");
        let loans = all
            .iter()
            .find(|r| r["registry"] == "loans.issued")
            .unwrap();
        assert_eq!(loans["year"], 2025);
        let indicator = &loans["indicators"][0];
        assert_eq!(
            indicator["district"]["months"].as_array().unwrap().len(),
            12
        );
        assert_eq!(
            indicator["district"]["quarters"].as_array().unwrap().len(),
            4
        );
        // Wrong input names the parameter; an unknown registry is 404.
        let (status, body) = get_json(&app, &token, "/api/v1/registries?as_of=9-30").await;
        assert_eq!(status, 422);
        assert!(body["error"].as_str().unwrap().starts_with("截至日期"));
        assert_eq!(
            get_json(&app, &token, "/api/v1/registries/nothing").await.0,
            404
        );
    }
}
