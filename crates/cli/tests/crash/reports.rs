//! A burst of quarterly-report submissions against `linkong serve`, the server killed in the
//! middle of it and started again: every report that exists is whole (submitted, its frozen
//! figures, its history step and its audit row), and every submission answered as saved is there.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use linkong_core::plan::Plan;
use linkong_core::reporting::{ReportLine, ReportPeriod};

use crate::common::PLAN;
use crate::kit::{DataDir, Size};
use crate::server::{Server, staff_accounts};

/// Submissions fired at once.
const BURST: usize = 16;

/// A unit's report of a period.
type Pair = (String, String);

/// Every (unit, period) whose report may be submitted today, in a random order.
fn open_reports(size: &mut Size) -> Vec<Pair> {
    use rand::seq::SliceRandom;
    let plan = Plan::parse(&std::fs::read_to_string(PLAN).unwrap()).unwrap();
    let today = linkong_core::time::local_date(chrono::Utc::now());
    let mut pairs: Vec<Pair> = plan
        .units
        .iter()
        .flat_map(|unit| {
            plan.years()
                .flat_map(ReportPeriod::of_year)
                .filter(|period| period.opens_on(&plan) <= today)
                .map(|period| (unit.code.clone(), period.code()))
                .collect::<Vec<_>>()
        })
        .collect();
    pairs.shuffle(&mut size.rng);
    pairs
}

/// Fires one submission per pair at once: the pairs answered as saved.
async fn burst(
    server: &Server,
    clients: &std::collections::HashMap<String, (reqwest::Client, String)>,
    pairs: &[Pair],
) -> Vec<tokio::task::JoinHandle<Option<Pair>>> {
    pairs
        .iter()
        .map(|(unit, period)| {
            let (client, csrf) = clients[unit].clone();
            let url = server.url(&format!("/reports/{period}/{unit}"));
            let (origin, pair) = (server.base.clone(), (unit.clone(), period.clone()));
            tokio::spawn(async move {
                let answer = client
                    .post(&url)
                    .header("Origin", origin)
                    .form(&[
                        ("csrf", csrf.as_str()),
                        ("action", "submit"),
                        ("progress", "本季度按计划推进，岗位筹集与服务均已完成。"),
                        ("practices", "送岗位进社区"),
                        ("problems", "无"),
                        ("next_steps", "继续推进"),
                    ])
                    .send()
                    .await
                    .ok()?;
                let to = answer.headers().get("location")?.to_str().ok()?;
                (answer.status() == 303 && url.ends_with(to)).then_some(pair)
            })
        })
        .collect()
}

async fn answered(handles: Vec<tokio::task::JoinHandle<Option<Pair>>>) -> Vec<Pair> {
    let mut saved = Vec::new();
    for handle in handles {
        saved.extend(handle.await.unwrap());
    }
    saved
}

/// Every report row is a whole submission, and every answered submission is one of them.
async fn assert_whole(data: &DataDir, answered: &HashSet<Pair>, after: &str) {
    type Row = (String, String, String, Option<String>, i64, i64, i64);
    let pool = sqlx::SqlitePool::connect(&data.database_url())
        .await
        .unwrap();
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT r.unit_code, r.period, r.status, r.figures, \
         CASE WHEN r.submitted_at IS NOT NULL AND r.first_submitted_at IS NOT NULL \
              AND r.due_on IS NOT NULL THEN 1 ELSE 0 END, \
         (SELECT COUNT(*) FROM report_events e WHERE e.report_id = r.id AND e.action = 'submit'), \
         (SELECT COUNT(*) FROM audit_log a WHERE a.action = 'report.submit' \
          AND a.target = 'report:' || r.unit_code || ':' || r.period) \
         FROM reports r",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    pool.close().await;
    let mut present = HashSet::new();
    for (unit, period, status, figures, stamped, steps, audited) in rows {
        let what = format!("{after}: report {unit} {period}");
        assert_eq!(status, "submitted", "{what}: half written");
        let lines: Vec<ReportLine> = serde_json::from_str(figures.as_deref().unwrap_or(""))
            .unwrap_or_else(|e| panic!("{what}: its frozen figures do not read: {e}"));
        assert_eq!(
            (stamped, steps, audited),
            (1, 1, 1),
            "{what} ({} lines): dates, history step, audit row",
            lines.len()
        );
        present.insert((unit, period));
    }
    let lost: Vec<&Pair> = answered.difference(&present).collect();
    assert!(
        lost.is_empty(),
        "{after}: answered as saved but missing: {lost:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_killed_during_a_burst_of_report_submissions_loses_no_saved_report() {
    let mut size = Size::from_env("reports");
    let data = DataDir::init(None);
    let mut pairs = open_reports(&mut size).into_iter();
    let needed = BURST * (size.kills + 1);
    assert!(
        pairs.len() >= needed,
        "{} reports open, {needed} needed",
        pairs.len()
    );
    let units: Vec<String> = {
        let plan = Plan::parse(&std::fs::read_to_string(PLAN).unwrap()).unwrap();
        plan.units.iter().map(|u| u.code.clone()).collect()
    };
    let accounts: Vec<(String, String)> = units
        .iter()
        .map(|u| (format!("r_{u}"), u.clone()))
        .collect();
    staff_accounts(&data, &accounts).await;
    let mut server = Server::start(&data).await;
    let mut clients = std::collections::HashMap::new();
    for (username, unit) in &accounts {
        let client = server.signed_in(username).await;
        let csrf = server.csrf(&client).await;
        clients.insert(unit.clone(), (client, csrf));
    }

    // The span of the moments: a burst that runs to its end.
    let first: Vec<Pair> = pairs.by_ref().take(BURST).collect();
    let started = Instant::now();
    let mut saved: HashSet<Pair> = answered(burst(&server, &clients, &first).await)
        .await
        .into_iter()
        .collect();
    let span = started.elapsed();
    assert_eq!(
        saved.len(),
        BURST,
        "a burst without a kill saves every report"
    );

    for kill in 0..size.kills {
        let next: Vec<Pair> = pairs.by_ref().take(BURST).collect();
        let at = size.moment(span, 0.0, 1.0);
        let handles = burst(&server, &clients, &next).await;
        server.kill_after(at).await;
        let now_saved = answered(handles).await;
        eprintln!(
            "  reports: kill {kill} at {at:?} of {span:?}: {} of {BURST} answered as saved",
            now_saved.len()
        );
        saved.extend(now_saved);
        let after = format!("reports, kill {kill} at {at:?}");
        data.assert_sound(&after).await;
        assert_whole(&data, &saved, &after).await;
        server.restart(&data).await;
    }
    server.kill_after(Duration::ZERO).await;
    data.assert_sound("the last restart").await;
    assert_whole(&data, &saved, "the last restart").await;
}
