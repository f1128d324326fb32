//! The “中国网谷杯” start-up contest (1.2.3) over HTTP, on each backend: 区经科局 opens an
//! edition, registers entries, holds rounds, scores, advances the best into the final and
//! awards it; 区基金公司 records an angel-fund investment; the winner lands as a returnee
//! business. Both activity figures show on the progress API and drill down to the rows; the
//! business's page lists the landed project; the results download as a workbook; the portal
//! shows the awarded projects without person data. Bad input comes back with the field named
//! and nothing written; a street reaches none of it (pages, export, API).

use crate::common;

use common::{App, get, logged_in, post, spawn_apps};
use linkong_core::access::{Actor, Role, Roster};
use linkong_core::businesses::BusinessDraft;
use linkong_core::plan::Plan;
use linkong_testkit::{PLAN_FILE, TestClock, import_rows, resident_id_for, uscc_for};
use serde_json::Value;

/// A returnee business of 径河, registered by its street: its id.
async fn seed_business(app: &App) -> i64 {
    let (store, plan) = (&app.db.store, Plan::parse(PLAN_FILE).unwrap());
    let row = linkong_testkit::would_be_founder(1, "返乡学子", "径河");
    import_rows(store, "rsj", Roster::Migrants, vec![row], true)
        .await
        .unwrap()
        .unwrap();
    let jinghe =
        linkong_testkit::account(store, "jinghe_seed", Role::UnitStaff, Some("jinghe")).await;
    let business = BusinessDraft {
        name: "网谷安全科技".into(),
        uscc: uscc_for(1),
        licensed_on: "2025-03-01".into(),
        legal_form: "small_micro".into(),
        section: "I".into(),
        forms: vec!["tech_innovation".into()],
        street: "jinghe".into(),
        site: "径河街道创业园".into(),
        founders: resident_id_for(1),
        keep_founders: false,
    };
    store
        .save_business(&plan, &jinghe, None, &business, "")
        .await
        .unwrap()
}

/// `unit`'s 2025 figure on `indicator`, as the progress API gives it.
async fn figure(client: &reqwest::Client, app: &App, indicator: &str, unit: &str) -> Value {
    let progress: Value = client
        .get(app.url("/api/v1/progress?year=2025"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let found = progress["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["indicator_code"] == indicator)
        .unwrap()
        .clone();
    found["units"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["unit_code"] == unit)
        .unwrap()["figure"]["actual"]
        .clone()
}

/// The entries of an edition as the store gives them to the console: (id, project).
async fn entries(app: &App, edition: i64) -> Vec<(i64, String)> {
    let plan = Plan::parse(PLAN_FILE).unwrap();
    app.db
        .store
        .contest_entries(&plan, &Actor::console(), edition, "")
        .await
        .unwrap()
        .into_iter()
        .map(|e| (e.id, e.project))
        .collect()
}

fn entry_form<'a>(track: &'a str, project: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("track", track),
        ("project", project),
        ("team", "网谷先锋"),
        ("leader", "李明"),
        ("school", "华中科技大学"),
        ("field", "网络安全"),
        ("brief", "工控安全"),
        ("leader_id", ""),
        ("phone", "13912345678"),
        ("registered_on", "2025-05-10"),
    ]
}

/// Opens the 2025 edition and registers two entries over HTTP: the edition's id, the first
/// track's id and the entries' ids.
async fn open_edition(app: &App, jkj: &reqwest::Client) -> (i64, String, Vec<i64>) {
    let edition = [
        ("year", "2025"),
        ("name", "第五届“中国网谷杯”创新创业大赛"),
        ("opens_on", "2025-04-01"),
        ("closes_on", "2025-11-30"),
        ("tracks", "大学生创业组\n网络安全赛道"),
    ];
    let (status, location, _) = post(jkj, app, "/staff/contest", &edition).await;
    assert_eq!(status, 303, "{location}");
    let id: i64 = location
        .trim_start_matches("/staff/contest/")
        .trim_end_matches("?saved=1")
        .parse()
        .unwrap();
    let (status, _, page) = post(jkj, app, "/staff/contest", &edition).await;
    assert_eq!(status, 422);
    assert!(
        page.contains("<strong>年度</strong>：2025 年已有一届大赛"),
        "{page}"
    );
    let plan = Plan::parse(PLAN_FILE).unwrap();
    let page = app
        .db
        .store
        .contest_edition(&plan, &Actor::console(), id, "")
        .await
        .unwrap();
    let track = page.edition.tracks[0].id.to_string();
    let path = format!("/staff/contest/{id}/entries");
    let (status, _, page) = post(jkj, app, &path, &entry_form("", "无赛道项目")).await;
    assert_eq!(status, 422);
    assert!(page.contains("<strong>赛道</strong>：请选择赛道"), "{page}");
    for project in ["校园智能巡检", "工控安全盒子"] {
        let (status, _, _) = post(jkj, app, &path, &entry_form(&track, project)).await;
        assert_eq!(status, 303);
    }
    let ids = entries(app, id)
        .await
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    (id, track, ids)
}

#[tokio::test]
async fn the_organiser_runs_an_edition_and_a_winner_lands_in_the_district() {
    for app in spawn_apps(&TestClock::at(2025, 11, 25, 2)).await {
        let business = seed_business(&app).await;
        let jkj = logged_in(&app, "jkj01", Role::UnitStaff, Some("jkj")).await;
        let jjgs = logged_in(&app, "jjgs01", Role::UnitStaff, Some("jjgs")).await;
        let rsj = logged_in(&app, "rsj01", Role::UnitStaff, Some("rsj")).await;
        let (edition, _, ids) = open_edition(&app, &jkj).await;
        assert_eq!(ids.len(), 2, "the entry without a track wrote nothing");
        assert_eq!(figure(&jkj, &app, "1.2.3.entries", "jkj").await, 2);

        let rounds = format!("/staff/contest/{edition}/rounds");
        for (stage, day) in [("preliminary", "2025-09-10"), ("final", "2025-11-15")] {
            let round = [
                ("stage", stage),
                ("scale", "100"),
                ("judges", "王教授、张总"),
                ("held_on", day),
            ];
            let (status, _, _) = post(&jkj, &app, &rounds, &round).await;
            assert_eq!(status, 303);
        }
        let plan = Plan::parse(PLAN_FILE).unwrap();
        let page = app
            .db
            .store
            .contest_edition(&plan, &Actor::console(), edition, "")
            .await
            .unwrap();
        let (first, last) = (
            page.edition.rounds[0].id.to_string(),
            page.edition.rounds[1].id.to_string(),
        );

        // A score beyond the scale is named; the best is scored, advanced and awarded.
        let (winner, other) = (ids[0], ids[1]);
        let score = format!("/staff/contest/entries/{winner}/score");
        let (status, _, page) = post(
            &jkj,
            &app,
            &score,
            &[("round", first.as_str()), ("score", "101")],
        )
        .await;
        assert_eq!(status, 422);
        assert!(
            page.contains("<strong>评分</strong>：应在 0 到 100 之间"),
            "{page}"
        );
        let (status, _, _) = post(
            &jkj,
            &app,
            &score,
            &[("round", first.as_str()), ("score", "92.5")],
        )
        .await;
        assert_eq!(status, 303);
        let advance = format!("/staff/contest/{edition}/advance");
        let winner_text = winner.to_string();
        let (status, _, _) = post(
            &jkj,
            &app,
            &advance,
            &[("round", first.as_str()), ("entry", winner_text.as_str())],
        )
        .await;
        assert_eq!(status, 303);
        let (status, _, _) = post(
            &jkj,
            &app,
            &score,
            &[("round", last.as_str()), ("score", "95")],
        )
        .await;
        assert_eq!(status, 303);
        let award = [
            ("grade", "first"),
            ("amount", "50000"),
            ("awarded_on", "2025-11-20"),
        ];
        let (status, _, page) = post(
            &jkj,
            &app,
            &format!("/staff/contest/entries/{other}/award"),
            &award,
        )
        .await;
        assert_eq!(status, 422);
        assert!(
            page.contains("<strong>获奖项目</strong>：未进入决赛，不能获奖"),
            "{page}"
        );
        let (status, _, _) = post(
            &jkj,
            &app,
            &format!("/staff/contest/entries/{winner}/award"),
            &award,
        )
        .await;
        assert_eq!(status, 303);

        // 区基金公司 invests from the angel fund; 区人社局 may not record that.
        let fund = [
            ("kind", "angel_fund"),
            ("given_on", "2025-11-22"),
            ("note", "天使轮"),
            ("amount", "300000"),
        ];
        let support = format!("/staff/contest/entries/{winner}/support");
        let (status, _, _) = post(&rsj, &app, &support, &fund).await;
        assert_eq!(status, 403);
        let (status, _, _) = post(&jjgs, &app, &support, &fund).await;
        assert_eq!(status, 303);

        // A landing before the award or in the future is named; then it lands.
        let landing = format!("/staff/contest/entries/{winner}/landing");
        let b = business.to_string();
        for (day, message) in [
            (
                "2025-11-19",
                "<strong>落地日期</strong>：2025-11-19 早于获奖日期 2025-11-20",
            ),
            (
                "2025-11-26",
                "<strong>落地日期</strong>：2025-11-26 晚于今天",
            ),
        ] {
            let (status, _, page) = post(
                &jkj,
                &app,
                &landing,
                &[("business", b.as_str()), ("landed_on", day)],
            )
            .await;
            assert_eq!(status, 422);
            assert!(page.contains(message), "{page}");
        }
        assert_eq!(figure(&jkj, &app, "1.2.3.landed", "jkj").await, 0);
        let (status, _, _) = post(
            &jkj,
            &app,
            &landing,
            &[("business", b.as_str()), ("landed_on", "2025-11-24")],
        )
        .await;
        assert_eq!(status, 303);
        assert_eq!(figure(&jkj, &app, "1.2.3.landed", "jkj").await, 1);

        // The entry's page, the drill-down, the business's page, the workbook, the API.
        let (_, page) = get(&rsj, &app, &format!("/staff/contest/entries/{winner}")).await;
        assert!(
            page.contains("139****5678") && !page.contains("13912345678"),
            "{page}"
        );
        assert!(
            page.contains("300000 元") && page.contains("网谷安全科技"),
            "{page}"
        );
        let sources = jkj
            .get(app.url("/indicators/1.2.3.landed/sources?unit=jkj&year=2025"))
            .send()
            .await
            .unwrap();
        let to = sources.headers()["location"].to_str().unwrap().to_owned();
        assert_eq!(
            to,
            "/staff/contest/counted?registry=contest.landed&unit=jkj&year=2025"
        );
        let (_, rows) = get(&jkj, &app, &to).await;
        assert!(
            rows.contains("校园智能巡检") && !rows.contains("工控安全盒子"),
            "{rows}"
        );
        let (_, page) = get(&jkj, &app, &format!("/staff/businesses/{business}")).await;
        assert!(
            page.contains(&format!("/staff/contest/entries/{winner}")),
            "{page}"
        );
        let export = jkj
            .get(app.url(&format!("/staff/contest/{edition}/export.xlsx")))
            .send()
            .await
            .unwrap();
        assert_eq!(export.status(), 200);
        assert!(export.bytes().await.unwrap().starts_with(b"PK"));
        let api: Value = rsj
            .get(app.url(&format!("/api/v1/contest/editions/{edition}/entries")))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(api["total"], 2);
        assert_eq!(api["entries"][0]["phone_masked"], "139****5678");

        // The portal: the awarded project and its school, no leader, no phone.
        let (status, portal) = get(&app.client(), &app, "/contest").await;
        assert_eq!(status, 200);
        assert!(
            portal.contains("校园智能巡检") && portal.contains("华中科技大学"),
            "{portal}"
        );
        assert!(
            portal.contains("一等奖") && !portal.contains("工控安全盒子"),
            "{portal}"
        );
        assert!(
            !portal.contains("李明") && !portal.contains("139"),
            "{portal}"
        );
        let (_, home) = get(&app.client(), &app, "/").await;
        assert!(home.contains("href=\"/contest\""), "{home}");
    }
}

#[tokio::test]
async fn a_street_reaches_no_page_export_or_api_of_the_contest() {
    for app in spawn_apps(&TestClock::at(2025, 11, 25, 2)).await {
        let jkj = logged_in(&app, "jkj01", Role::UnitStaff, Some("jkj")).await;
        let jinghe = logged_in(&app, "jinghe01", Role::UnitStaff, Some("jinghe")).await;
        let (edition, track, ids) = open_edition(&app, &jkj).await;
        for path in [
            "/staff/contest".to_owned(),
            format!("/staff/contest/{edition}"),
            format!("/staff/contest/{edition}/export.xlsx"),
            format!("/staff/contest/entries/{}", ids[0]),
            "/staff/contest/counted?registry=contest.entries&unit=jkj&year=2025".to_owned(),
            "/api/v1/contest/editions".to_owned(),
            format!("/api/v1/contest/editions/{edition}/entries"),
        ] {
            let (status, _) = get(&jinghe, &app, &path).await;
            assert_eq!(status, 403, "{path}");
        }
        let path = format!("/staff/contest/{edition}/entries");
        let (status, _, _) = post(&jinghe, &app, &path, &entry_form(&track, "借名项目")).await;
        assert_eq!(status, 403);
        let audit = app.db.store.recent_audit(1).await.unwrap();
        assert_eq!(audit[0].action, "access.denied");
        assert_eq!(entries(&app, edition).await.len(), 2);
        let (_, nav) = get(&jkj, &app, "/staff/contest").await;
        assert!(nav.contains("第五届“中国网谷杯”创新创业大赛"), "{nav}");
    }
}
