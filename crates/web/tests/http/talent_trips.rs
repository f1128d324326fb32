//! 揽才团 (1.1.3) over HTTP, on each backend: 区人社局 records a trip; bad input comes back 422
//! naming each field with nothing written; an employer joins the delegation (a post count of
//! 0 refused naming 提供岗位数) and a hire is traced (an employer outside the delegation
//! refused); the hire's name is masked on the page; 1.1.3's drill-downs lead to the trips; a
//! unit outside the trip gets 403.

use crate::common;

use common::{get, logged_in, post, spawn_apps};
use linkong_core::access::Role;
use linkong_store::employers::EmployerDraft;
use linkong_testkit::{TestClock, account, plan, uscc_for};

fn trip_form(destination: &str, fair_day: &str) -> Vec<(&'static str, String)> {
    vec![
        ("destination", destination.into()),
        ("departed_on", "2025-10-20".into()),
        ("returned_on", "2025-10-23".into()),
        ("partner", "gaoxin".into()),
        ("fair_school", "西安电子科技大学".into()),
        ("fair_date", fair_day.into()),
        ("fair_school", String::new()),
        ("fair_date", String::new()),
    ]
}

#[tokio::test]
async fn a_trip_its_delegation_and_hires_are_recorded_and_bad_input_is_named() {
    for app in spawn_apps(&TestClock::at(2025, 11, 20, 2)).await {
        let store = &app.db.store;
        let reviewer = account(store, "shenhe1", Role::Reviewer, None).await;
        let employer = store
            .register_employer(
                &plan(),
                &EmployerDraft {
                    uscc: uscc_for(321),
                    name: "武汉临空港网安科技有限公司".into(),
                    industry_section: "I".into(),
                    street_code: "jinghe".into(),
                    contact_name: "王敏".into(),
                    contact_phone: "13812345678".into(),
                    account_username: String::new(),
                    account_password: String::new(),
                },
                "",
            )
            .await
            .unwrap();
        store
            .review_employer(&reviewer, employer.id, true, "", "")
            .await
            .unwrap();
        let rsj = logged_in(&app, "rsj01", Role::UnitStaff, Some("rsj")).await;

        let (status, _, body) = post(
            &rsj,
            &app,
            "/staff/talent-trips",
            &trip_form("武汉", "2025-10-25"),
        )
        .await;
        assert_eq!(status, 422);
        assert!(
            body.contains("<strong>目的地城市</strong>：揽才团赴市外高校招聘，目的地不能是武汉"),
            "{body}"
        );
        assert!(
            body.contains("<strong>高校招聘会</strong>：第 1 场：2025-10-25 不在揽才团行程"),
            "{body}"
        );
        let (_, list) = get(&rsj, &app, "/staff/talent-trips").await;
        assert!(
            list.contains("共 <strong>0</strong> 次揽才团"),
            "nothing written"
        );

        let (status, location, _) = post(
            &rsj,
            &app,
            "/staff/talent-trips",
            &trip_form("西安", "2025-10-21"),
        )
        .await;
        assert_eq!(status, 303);
        let page = location.trim_end_matches("?saved=1").to_owned();
        let id = page.trim_start_matches("/staff/talent-trips/").to_owned();

        let employers = format!("{page}/employers");
        let zero = [
            ("employer", employer.id.to_string()),
            ("posts", "0".into()),
            ("cvs", "5".into()),
        ];
        let (status, _, body) = post(&rsj, &app, &employers, &zero).await;
        assert_eq!(status, 422);
        assert!(
            body.contains("<strong>提供岗位数</strong>：至少为 1"),
            "{body}"
        );
        let good = [
            ("employer", employer.id.to_string()),
            ("posts", "12".into()),
            ("cvs", "48".into()),
        ];
        assert_eq!(post(&rsj, &app, &employers, &good).await.0, 303);

        let hires = format!("{page}/hires");
        let outside = [
            ("name", "陈晓明"),
            ("employer", "999999"),
            ("hired_on", "2025-11-05"),
            ("application", ""),
        ];
        let (status, _, body) = post(&rsj, &app, &hires, &outside).await;
        assert_eq!(status, 422);
        assert!(
            body.contains("<strong>用人单位</strong>：该用人单位不在本次揽才团中"),
            "{body}"
        );
        let employer_id = employer.id.to_string();
        let hire = [
            ("name", "陈晓明"),
            ("employer", employer_id.as_str()),
            ("hired_on", "2025-11-05"),
            ("application", ""),
        ];
        assert_eq!(post(&rsj, &app, &hires, &hire).await.0, 303);
        let (status, body) = get(&rsj, &app, &page).await;
        assert_eq!(status, 200);
        assert!(
            body.contains("陈**") && !body.contains("陈晓明"),
            "the name is masked"
        );
        assert!(
            body.contains("提供岗位 12 个，收到简历 48 份，引进 1 人"),
            "{body}"
        );

        for code in ["1.1.3.trips", "1.1.3.hires"] {
            let drill = rsj
                .get(app.url(&format!("/indicators/{code}/sources?unit=rsj&year=2025")))
                .send()
                .await
                .unwrap();
            assert_eq!(
                drill.headers()["location"],
                "/staff/talent-trips?year=2025&unit=rsj"
            );
        }
        let gaoxin = logged_in(&app, "gaoxin01", Role::UnitStaff, Some("gaoxin")).await;
        assert_eq!(
            get(&gaoxin, &app, &page).await.0,
            200,
            "a participating unit reads it"
        );
        let jidian = logged_in(&app, "jidian01", Role::UnitStaff, Some("jidian")).await;
        assert_eq!(get(&jidian, &app, &page).await.0, 403);
        let (status, json) = get(&rsj, &app, "/api/v1/talent-trips?year=2025").await;
        assert_eq!(status, 200);
        let json: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(json["trips"][0]["id"].to_string(), id);
        assert_eq!(json["trips"][0]["hires"], 1);
    }
}
