//! Campus programmes (1.2.1, 1.1.2's 一校一策) over HTTP, on each backend: 区人社局 adds a
//! university and a station (the phone masked), records a 政策宣传 activity and a placement on
//! the forms, finds them on the page, in the API and the xlsx export, and both 1.2.1 figures
//! drill down to the page; an internship ending before it starts is refused with 422 naming
//! 结束日期 and writes nothing; a street gets 403 on the page and the API.

use crate::common;

use common::{get, logged_in, post, sheet_cells, spawn_apps};
use linkong_core::access::Role;
use linkong_testkit::TestClock;
use serde_json::Value;

fn placement(university: &str, ends_on: &str) -> Vec<(&'static str, String)> {
    vec![
        ("student_name", "李想".into()),
        ("student_no", "2022301234".into()),
        ("university", university.into()),
        ("major", "网络空间安全".into()),
        ("employer_name", "武汉安网科技有限公司".into()),
        ("starts_on", "2025-07-01".into()),
        ("ends_on", ends_on.into()),
    ]
}

#[tokio::test]
async fn rsj_records_campus_work_on_the_forms_and_the_figures_drill_down_to_it() {
    for app in spawn_apps(&TestClock::at(2025, 10, 10, 2)).await {
        let rsj = logged_in(&app, "rsj01", Role::UnitStaff, Some("rsj")).await;
        let (status, page) = get(&rsj, &app, "/staff/campus").await;
        assert_eq!(status, 200);
        assert!(
            page.contains("<label for=\"p-ends\">结束日期</label>"),
            "{page}"
        );
        assert!(page.contains("同一学生（高校＋学号）同一单位同一年只计一次"));
        let (status, _, _) = post(
            &rsj,
            &app,
            "/staff/campus/universities",
            &[("name", "武汉大学".to_owned())],
        )
        .await;
        assert_eq!(status, 303);
        let whu = app.db.store.universities().await.unwrap()[0].id.to_string();
        let station = [
            ("university", whu.clone()),
            ("contact_name", "王老师".into()),
            ("contact_phone", "13871234567".into()),
            ("opened_on", "2025-03-01".into()),
        ];
        let (status, _, _) = post(&rsj, &app, "/staff/campus/stations", &station).await;
        assert_eq!(status, 303);
        let activity = [
            ("kind", "policy_publicity".to_owned()),
            ("university", whu.clone()),
            ("held_on", "2025-05-20".into()),
            ("participants", "120".into()),
            ("note", "就业创业政策宣讲".into()),
        ];
        let (status, _, _) = post(&rsj, &app, "/staff/campus/activities", &activity).await;
        assert_eq!(status, 303);
        let (status, location, _) = post(
            &rsj,
            &app,
            "/staff/campus/placements",
            &placement(&whu, "2025-08-31"),
        )
        .await;
        assert_eq!(status, 303, "{location}");
        let (_, page) = get(&rsj, &app, "/staff/campus?year=2025").await;
        assert!(
            page.contains("138****4567") && !page.contains("13871234567"),
            "{page}"
        );
        assert!(page.contains("就业创业政策宣讲") && page.contains("李想"));
        let api: Value = rsj
            .get(app.url("/api/v1/campus?year=2025"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(api["placements"][0]["student_no"], "2022301234");
        assert_eq!(api["placements"][0]["counted"], true);
        assert_eq!(api["stations"][0]["contact_phone_masked"], "138****4567");
        let export = rsj
            .get(app.url("/staff/campus/placements.xlsx?year=2025"))
            .send()
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap();
        assert!(sheet_cells(&export, "|").contains("李想"));
        let tf = logged_in(&app, "zhuanban", Role::TaskForce, None).await;
        for (code, anchor) in [
            ("1.2.1.policy_events", "activities"),
            ("1.2.1.interns", "placements"),
        ] {
            let response = tf
                .get(app.url(&format!("/indicators/{code}/sources?unit=rsj&year=2025")))
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), 303);
            assert_eq!(
                response.headers()["location"],
                format!("/staff/campus?year=2025&unit=rsj#{anchor}").as_str()
            );
        }
        let progress: Value = tf
            .get(app.url("/api/v1/progress?year=2025"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let interns = progress["indicators"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["indicator_code"] == "1.2.1.interns")
            .unwrap();
        assert_eq!(interns["district"]["actual"], 1.0, "{interns}");
    }
}

#[tokio::test]
async fn an_internship_ending_before_it_starts_is_refused_naming_the_end_date() {
    for app in spawn_apps(&TestClock::at(2025, 10, 10, 2)).await {
        let rsj = logged_in(&app, "rsj01", Role::UnitStaff, Some("rsj")).await;
        post(
            &rsj,
            &app,
            "/staff/campus/universities",
            &[("name", "武汉大学".to_owned())],
        )
        .await;
        let whu = app.db.store.universities().await.unwrap()[0].id.to_string();
        let (status, _, page) = post(
            &rsj,
            &app,
            "/staff/campus/placements",
            &placement(&whu, "2025-06-30"),
        )
        .await;
        assert_eq!(status, 422);
        assert!(
            page.contains("<strong>结束日期</strong>：结束日期 2025-06-30 早于开始日期 2025-07-01"),
            "{page}"
        );
        assert!(
            page.contains("value=\"2022301234\""),
            "the form keeps what was typed"
        );
        let api: Value = rsj
            .get(app.url("/api/v1/campus?year=2025"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(
            api["placements"].as_array().unwrap().len(),
            0,
            "nothing written"
        );
    }
}

#[tokio::test]
async fn a_street_is_refused_the_campus_page_the_forms_and_the_api() {
    for app in spawn_apps(&TestClock::at(2025, 10, 10, 2)).await {
        let jinghe = logged_in(&app, "jinghe01", Role::UnitStaff, Some("jinghe")).await;
        let (status, _) = get(&jinghe, &app, "/staff/campus").await;
        assert_eq!(status, 403);
        let (status, _, _) = post(
            &jinghe,
            &app,
            "/staff/campus/universities",
            &[("name", "武汉大学".to_owned())],
        )
        .await;
        assert_eq!(status, 403);
        let response = jinghe.get(app.url("/api/v1/campus")).send().await.unwrap();
        assert_eq!(response.status(), 403);
    }
}
