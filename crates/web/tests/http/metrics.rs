//! `/metrics` over HTTP, on each backend (issue 17 item 8): the Prometheus text format, whose
//! counts go up with the requests, labelled by route pattern and never by a path's values;
//! imports and queues; and only a request made on this machine, not through a proxy, is answered.

use crate::common;

use std::collections::HashMap;
use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::Request;
use common::{App, get, logged_in, spawn_apps, upload_roster};
use linkong_core::access::Role;
use linkong_testkit::{TestClock, databases, resident_id_for};
use linkong_web::AppState;
use tower::ServiceExt;

/// The samples of a Prometheus text exposition (format 0.0.4), by series (`name{labels}`);
/// panics on any line that is not a comment, a blank or `series value`.
fn parse_exposition(text: &str) -> HashMap<String, f64> {
    let mut samples = HashMap::new();
    let mut typed = HashMap::new();
    for line in text.lines() {
        if line.is_empty() {
            continue;
        }
        if let Some(comment) = line.strip_prefix("# ") {
            let mut words = comment.splitn(3, ' ');
            let (kind, name, rest) = (words.next(), words.next(), words.next());
            assert!(matches!(kind, Some("HELP" | "TYPE")), "comment: {line}");
            if kind == Some("TYPE") {
                let rest = rest.unwrap_or_default();
                assert!(
                    ["counter", "gauge", "histogram", "summary", "untyped"].contains(&rest),
                    "type: {line}"
                );
                typed.insert(name.unwrap().to_owned(), rest.to_owned());
            }
            continue;
        }
        let (series, value) = line.rsplit_once(' ').expect("a sample is `series value`");
        let name = series.split('{').next().unwrap();
        assert!(
            name.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':'),
            "metric name: {line}"
        );
        if let Some(labels) = series.strip_prefix(name)
            && !labels.is_empty()
        {
            assert!(
                labels.starts_with('{') && labels.ends_with('}'),
                "labels: {line}"
            );
            for pair in labels[1..labels.len() - 1].split("\",") {
                let (key, quoted) = pair.split_once("=\"").expect("label=\"value\"");
                assert!(!key.is_empty() && !quoted.contains('\n'), "label: {line}");
            }
        }
        let base = ["_bucket", "_sum", "_count", "_total"]
            .iter()
            .find_map(|s| name.strip_suffix(s).filter(|b| typed.contains_key(*b)))
            .unwrap_or(name);
        assert!(
            typed.contains_key(base) || typed.contains_key(name),
            "sample before its TYPE: {line}"
        );
        let value: f64 = value.parse().unwrap_or_else(|_| panic!("value: {line}"));
        assert!(
            samples.insert(series.to_owned(), value).is_none(),
            "twice: {line}"
        );
    }
    samples
}

async fn scrape(app: &App) -> HashMap<String, f64> {
    let response = reqwest::get(app.url("/metrics")).await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-type"],
        "text/plain; version=0.0.4; charset=utf-8"
    );
    parse_exposition(&response.text().await.unwrap())
}

fn value(samples: &HashMap<String, f64>, series: &str) -> f64 {
    samples.get(series).copied().unwrap_or(0.0)
}

#[tokio::test]
async fn requests_are_counted_by_route_pattern_and_the_text_parses_as_prometheus() {
    let detail = r#"route="/jobs/{id}""#;
    let counted = format!(r#"linkong_http_requests_total{{method="GET",{detail},status="4xx"}}"#);
    let timed = format!(r#"linkong_http_request_duration_seconds_count{{method="GET",{detail}}}"#);
    for app in spawn_apps(&TestClock::at(2025, 6, 10, 2)).await {
        let before = scrape(&app).await;
        let client = app.client();
        for _ in 0..3 {
            assert_eq!(get(&client, &app, "/jobs/987654").await.0, 404);
        }
        assert_eq!(get(&client, &app, "/no/such/page").await.0, 404);
        let after = scrape(&app).await;
        assert_eq!(value(&after, &counted) - value(&before, &counted), 3.0);
        assert_eq!(value(&after, &timed) - value(&before, &timed), 3.0);
        let buckets: Vec<(&String, &f64)> = after
            .iter()
            .filter(|(k, _)| {
                k.starts_with("linkong_http_request_duration_seconds_bucket{") && k.contains(detail)
            })
            .collect();
        assert_eq!(buckets.len(), 14, "{buckets:?}");
        let all = buckets.iter().find(|(k, _)| k.contains(r#"le="+Inf""#));
        assert_eq!(all.map(|(_, v)| **v), Some(value(&after, &timed)));
        let unmatched =
            r#"linkong_http_requests_total{method="GET",route="unmatched",status="4xx"}"#;
        assert!(value(&after, unmatched) >= 1.0);
        let scrapes = r#"linkong_http_requests_total{method="GET",route="/metrics",status="2xx"}"#;
        assert!(value(&after, scrapes) >= 1.0);
        // A path's values never become labels.
        assert!(
            !after
                .keys()
                .any(|k| k.contains("987654") || k.contains("/no/such"))
        );
        for queue in [
            "sms",
            "sms_abandoned",
            "posts_pending_review",
            "search_changes",
        ] {
            let series = format!(r#"linkong_queue_size{{queue="{queue}"}}"#);
            assert_eq!(after.get(&series), Some(&0.0), "{series}");
        }
        assert!(value(&after, "linkong_db_pool_max_connections") >= 1.0);
        assert!(after.contains_key(r#"linkong_db_pool_connections{state="idle"}"#));
        assert!(value(&after, "process_resident_memory_bytes") > 0.0);
        assert!(value(&after, "process_start_time_seconds") > 1.7e9);
    }
}

/// A csv out-migrant roster of residents `ns`, all of 径河.
fn roster(ns: &[usize], bad_id: bool) -> String {
    let mut csv = String::from(
        "姓名,身份证号码,手机号码,户籍街道,社区（村）,文化程度,务工省份,务工城市,从事行业,职业（工种）,技能特长,外出年限,返区意向,拟创业领域,同意联系,调查日期,返区日期\n",
    );
    for n in ns {
        let id = if bad_id {
            "123".to_owned()
        } else {
            resident_id_for(*n)
        };
        csv.push_str(&format!(
            "居民{n},{id},,径河,,大专,广东,深圳,C,电工,,3,返区创业,电商,是,2025-03-01,\n"
        ));
    }
    csv
}

#[tokio::test]
async fn finished_imports_are_counted_by_outcome() {
    let written = r#"linkong_imports_finished_total{outcome="written"}"#;
    let refused = r#"linkong_imports_finished_total{outcome="refused"}"#;
    for app in spawn_apps(&TestClock::at(2025, 10, 10, 2)).await {
        let staff = logged_in(&app, "jinghe01", Role::UnitStaff, Some("jinghe")).await;
        let base = "/people/migrants";
        upload_roster(&app, &staff, base, roster(&[1, 2], false)).await;
        upload_roster(&app, &staff, base, roster(&[3], true)).await;
        let samples = scrape(&app).await;
        assert_eq!(value(&samples, written), 1.0);
        assert_eq!(value(&samples, refused), 1.0);
        assert_eq!(value(&samples, "linkong_imports_running"), 0.0);
    }
}

#[tokio::test]
async fn a_request_relayed_by_a_proxy_is_refused() {
    for app in spawn_apps(&TestClock::at(2025, 6, 10, 2)).await {
        let client = app.client();
        for (header, value) in [
            ("X-Forwarded-For", "203.0.113.5"),
            ("X-Real-IP", "203.0.113.5"),
            ("X-Forwarded-For", "127.0.0.1"),
            ("Forwarded", "for=203.0.113.5"),
        ] {
            let response = client
                .get(app.url("/metrics"))
                .header(header, value)
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), 404, "{header}: {value}");
            let body = response.text().await.unwrap();
            assert!(!body.contains("linkong_http"), "{body}");
        }
    }
}

/// `/metrics` asked through the router from `peer` (None: no connection info at all).
async fn status_from(state: &AppState, peer: Option<&str>) -> u16 {
    let mut request = Request::builder().uri("/metrics");
    if let Some(peer) = peer {
        let addr: SocketAddr = peer.parse().unwrap();
        request = request.extension(ConnectInfo(addr));
    }
    let response = linkong_web::router(state.clone())
        .oneshot(request.body(Body::empty()).unwrap())
        .await
        .unwrap();
    response.status().as_u16()
}

#[tokio::test]
async fn a_peer_not_on_this_machine_is_refused() {
    for db in databases(&TestClock::at(2025, 6, 10, 2)).await {
        let plan = db.store.plan().await.expect("plan");
        let calendar = linkong_core::calendar::WorkCalendar::parse(linkong_testkit::CALENDAR_FILE)
            .expect("calendar");
        let state = AppState::new(db.store.clone(), plan, calendar);
        assert_eq!(status_from(&state, Some("203.0.113.9:40000")).await, 404);
        assert_eq!(status_from(&state, Some("[2001:db8::1]:40000")).await, 404);
        assert_eq!(status_from(&state, None).await, 404);
        assert_eq!(status_from(&state, Some("127.0.0.1:40000")).await, 200);
        assert_eq!(status_from(&state, Some("[::1]:40000")).await, 200);
    }
}
