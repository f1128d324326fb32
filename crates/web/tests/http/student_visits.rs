//! 学子东西湖行 (1.3.3) over HTTP, on each backend: an organising unit records a visit through
//! the form; the same student twice comes back 422 naming 参与学生 and the line, nothing
//! written; a student list uploaded as csv is added, a list repeating a student already on the
//! visit is refused naming the row; the students' workbook holds them; 1.3.3's drill-down leads
//! to the unit's visits; another unit reading the visit gets 403; the API answers JSON.

use crate::common;

use common::{App, get, logged_in, post, sheet_cells, spawn_apps};
use linkong_core::access::Role;
use linkong_testkit::TestClock;

fn visit_form(students: &str) -> Vec<(&'static str, String)> {
    vec![
        ("title", "学子东西湖行·网安专场".into()),
        ("visited_on", "2025-07-10".into()),
        ("stop_kind", "park_tour".into()),
        ("stop_place", "国家网络安全人才与创新基地".into()),
        ("stop_kind", "policy_briefing".into()),
        ("stop_place", "临空港大厦".into()),
        ("stop_kind", String::new()),
        ("stop_place", String::new()),
        ("students", students.into()),
        ("assisted", "1".into()),
    ]
}

async fn upload(client: &reqwest::Client, app: &App, id: i64, csv: &str) -> (u16, String, String) {
    let csrf = app.csrf(client).await;
    let part = reqwest::multipart::Part::bytes(csv.as_bytes().to_vec()).file_name("students.csv");
    let form = reqwest::multipart::Form::new()
        .text("csrf", csrf)
        .part("file", part);
    let response = client
        .post(app.url(&format!("/staff/visits/{id}/students")))
        .header("Origin", &app.base)
        .multipart(form)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let location = response
        .headers()
        .get("location")
        .map(|l| l.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (status, location, response.text().await.unwrap())
}

#[tokio::test]
async fn a_visit_is_recorded_with_its_students_and_the_same_student_twice_is_refused_by_line_and_row()
 {
    for app in spawn_apps(&TestClock::at(2025, 10, 10, 2)).await {
        let rsj = logged_in(&app, "rsj01", Role::UnitStaff, Some("rsj")).await;
        let (status, body) = get(&rsj, &app, "/staff/visits/new").await;
        assert_eq!(status, 200);
        assert!(
            body.contains("for=\"students\""),
            "the students box has its label"
        );

        let twice = "张三，武汉大学，网络空间安全，大三\n李四,华中科技大学,软件工程,研一\n张三 武汉大学 网络空间安全 大四";
        let (status, _, body) = post(&rsj, &app, "/staff/visits", &visit_form(twice)).await;
        assert_eq!(status, 422);
        assert!(
            body.contains("<strong>参与学生</strong>：第 3 行：与第 1 行是同一名学生"),
            "{body}"
        );
        assert!(body.contains("本次未保存任何数据"));
        let (_, list) = get(&rsj, &app, "/staff/visits").await;
        assert!(
            list.contains("共 <strong>0</strong> 场活动"),
            "nothing written"
        );

        let mut bad = visit_form("王五，江汉大学，物流管理，大二");
        bad[1].1 = "2025-10-11".into();
        bad[2].1 = String::new();
        let (status, _, body) = post(&rsj, &app, "/staff/visits", &bad).await;
        assert_eq!(status, 422);
        assert!(
            body.contains("<strong>活动日期</strong>：2025-10-11 晚于今天"),
            "{body}"
        );
        assert!(
            body.contains("<strong>行程</strong>：第 1 站：请选择类别"),
            "{body}"
        );

        let good = "张三，武汉大学，网络空间安全，大三\n李四,华中科技大学,软件工程,研一";
        let (status, location, _) = post(&rsj, &app, "/staff/visits", &visit_form(good)).await;
        assert_eq!(status, 303);
        let id: i64 = location
            .trim_start_matches("/staff/visits/")
            .trim_end_matches("?saved=1")
            .parse()
            .unwrap();

        let repeated =
            "姓名,学校,专业,年级\n王五,江汉大学,物流管理,大二\n张三,武汉大学,网络空间安全,大三\n";
        let (status, _, body) = upload(&rsj, &app, id, repeated).await;
        assert_eq!(status, 422);
        assert!(
            body.contains("第 3 行：张三（武汉大学 网络空间安全）已在本次活动名单中"),
            "{body}"
        );
        let (status, location, _) = upload(
            &rsj,
            &app,
            id,
            "姓名,学校,专业,年级\n王五,江汉大学,物流管理,大二\n",
        )
        .await;
        assert_eq!(
            (status, location.as_str()),
            (303, format!("/staff/visits/{id}?saved=1").as_str())
        );
        let (status, page) = get(&rsj, &app, &format!("/staff/visits/{id}")).await;
        assert_eq!(status, 200);
        assert!(page.contains("3 名") && page.contains("王五"), "{page}");

        let bytes = rsj
            .get(app.url(&format!("/staff/visits/{id}/students.xlsx")))
            .send()
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap();
        let cells = sheet_cells(&bytes, "|");
        assert!(cells.contains("张三|武汉大学|网络空间安全|大三"), "{cells}");

        let drill = rsj
            .get(app.url("/indicators/1.3.3.students/sources?unit=rsj&year=2025"))
            .send()
            .await
            .unwrap();
        assert_eq!(drill.status(), 303);
        assert_eq!(
            drill.headers()["location"],
            "/staff/visits?year=2025&unit=rsj"
        );

        let jkj = logged_in(&app, "jkj01", Role::UnitStaff, Some("jkj")).await;
        let (status, _) = get(&jkj, &app, &format!("/staff/visits/{id}")).await;
        assert_eq!(status, 403);
        let (status, json) = get(&rsj, &app, "/api/v1/student-visits?year=2025").await;
        assert_eq!(status, 200);
        let json: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(json["visits"][0]["students"], 3);
        let street = logged_in(&app, "jinghe01", Role::UnitStaff, Some("jinghe")).await;
        let (status, _) = get(&street, &app, "/staff/visits/new").await;
        assert_eq!(status, 403);
    }
}
