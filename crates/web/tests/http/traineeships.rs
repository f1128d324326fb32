//! Traineeships and skills training of unplaced graduates (1.1.4) over HTTP, on each backend:
//! a street places its graduate at a base and enrolls them in a course from the graduate's
//! page; the dashboard counts both (人次, 无目标值) and drills down to the street's list; a
//! hire by the base places the graduate. A planned end before the start is a 422 naming the
//! field with nothing written; another street's graduate is a 403; only 区人社局 recognises bases.

use crate::common;

use common::{get, logged_in, post, spawn_apps};
use linkong_core::access::{Role, Roster};
use linkong_core::traineeships::BaseDraft;
use linkong_store::graduates::GraduateFilter;
use linkong_store::traineeships::TraineeFilter;
use linkong_testkit::{TestClock, account, import_rows, plan, unplaced_graduate};

/// The dashboard's table row of the indicator named `name`.
fn row_of<'a>(page: &'a str, name: &str) -> &'a str {
    let at = page
        .find(name)
        .unwrap_or_else(|| panic!("{name} on the dashboard"));
    let start = page[..at].rfind("<tr>").unwrap();
    let end = at + page[at..].find("</tr>").unwrap();
    &page[start..end]
}

/// Graduate 1 of 径河 and 2 of 长青, and base 甲基地 with 3 places: (graduate ids, base id).
async fn world(store: &linkong_store::Store) -> ([i64; 2], i64) {
    let rows = vec![unplaced_graduate(1, "径河"), unplaced_graduate(2, "长青")];
    import_rows(store, "rsj", Roster::Graduates, rows, true)
        .await
        .unwrap()
        .unwrap();
    let rsj = account(store, "rsj_bases", Role::UnitStaff, Some("rsj")).await;
    let base = BaseDraft {
        name: "甲基地".into(),
        employer: "武汉临空港智造科技有限公司".into(),
        uscc: String::new(),
        street: "jinghe".into(),
        places: "3".into(),
        posts: "会计".into(),
        contact_name: "王敏".into(),
        contact_phone: "13812345678".into(),
        recognised_on: "2025-03-01".into(),
    };
    let base = store
        .record_traineeship_base(&plan(), &rsj, &base, "")
        .await
        .unwrap();
    let year = GraduateFilter {
        year: 2025,
        ..Default::default()
    };
    let (all, _) = store
        .graduates(&plan(), &rsj, &year, 1, 50, "")
        .await
        .unwrap();
    let id = |name: &str| all.iter().find(|g| g.name == name).unwrap().id;
    ([id("毕业生1"), id("毕业生2")], base)
}

fn traineeship(base: i64, planned_end_on: &str) -> Vec<(&'static str, String)> {
    vec![
        ("base", base.to_string()),
        ("starts_on", "2025-08-01".into()),
        ("planned_end_on", planned_end_on.into()),
        ("outcome", "ongoing".into()),
        ("ended_on", String::new()),
    ]
}

#[tokio::test]
async fn a_street_places_and_trains_its_graduate_and_the_dashboard_counts_both() {
    for app in spawn_apps(&TestClock::at(2025, 10, 10, 2)).await {
        let store = &app.db.store;
        let ([first, _], base) = world(store).await;
        let jinghe = logged_in(&app, "jinghe01", Role::UnitStaff, Some("jinghe")).await;
        let page = format!("/people/graduates/{first}");
        let (status, form) = get(&jinghe, &app, &page).await;
        assert_eq!(status, 200);
        assert!(form.contains("<label for=\"planned_end_on\">"), "{form}");
        assert!(
            form.contains("甲基地（径河街道，2025 年余 3 个）"),
            "{form}"
        );

        let path = format!("{page}/traineeships");
        let (status, location, _) =
            post(&jinghe, &app, &path, &traineeship(base, "2026-01-31")).await;
        assert_eq!(
            (status, location.as_str()),
            (303, format!("{page}?saved=1#trainees").as_str())
        );
        let course = [
            ("course", "电工"),
            ("provider", "东西湖区职业技能培训中心"),
            ("starts_on", "2025-07-01"),
            ("ends_on", "2025-07-20"),
            ("result", "certified"),
            ("certificate", "低压电工作业证"),
        ];
        let (status, _, _) = post(&jinghe, &app, &format!("{page}/courses"), &course).await;
        assert_eq!(status, 303);
        let (_, shown) = get(&jinghe, &app, &page).await;
        assert!(
            shown.contains("就业见习：甲基地"),
            "a 1131 service: {shown}"
        );
        assert!(shown.contains("培训或见习 2/1"), "{shown}");

        let tf = logged_in(&app, "zhuanban", Role::TaskForce, None).await;
        let (status, dashboard) = get(&tf, &app, "/dashboard?year=2025").await;
        assert_eq!(status, 200);
        let row = row_of(&dashboard, "离校未就业高校毕业生参加就业见习和技能培训");
        assert!(row.contains("无目标值"), "{row}");
        assert!(row.contains(">2人次</a>"), "{row}");
        let response = tf
            .get(app.url("/indicators/1.1.4.trainees/sources?unit=jinghe&year=2025"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 303);
        let location = response.headers()["location"].to_str().unwrap().to_owned();
        assert_eq!(
            location,
            "/staff/traineeships/placements?year=2025&unit=jinghe"
        );
        let (status, listed) = get(&tf, &app, &location).await;
        assert_eq!(status, 200);
        assert!(
            listed.contains("毕业生1") && listed.contains("在岗见习中"),
            "{listed}"
        );
        let download = tf
            .get(app.url("/staff/traineeships/placements.xlsx?year=2025&unit=jinghe"))
            .send()
            .await
            .unwrap();
        assert_eq!(download.status(), 200);
        let sheet = common::sheet_cells(&download.bytes().await.unwrap(), "|");
        assert!(
            sheet.contains("毕业生1|径河街道|甲基地|2025-08-01"),
            "{sheet}"
        );
        let (status, courses) = get(&tf, &app, "/staff/traineeships/trainings?year=2025").await;
        assert_eq!(status, 200);
        assert!(courses.contains("低压电工作业证"), "{courses}");

        // The base's hire, recorded on the list, places the graduate.
        let traineeship = store
            .traineeships(
                &plan(),
                &account(store, "rsj_read", Role::UnitStaff, Some("rsj")).await,
                &TraineeFilter::default(),
                "",
            )
            .await
            .unwrap()[0]
            .id;
        let hired = [
            ("outcome", "hired"),
            ("ended_on", "2025-10-08"),
            ("back", "graduate"),
        ];
        let outcome = format!("/staff/traineeships/placements/{traineeship}/outcome");
        let (status, location, _) = post(&jinghe, &app, &outcome, &hired).await;
        assert_eq!(
            (status, location.as_str()),
            (303, format!("{page}?saved=1").as_str())
        );
        let (_, shown) = get(&jinghe, &app, &page).await;
        assert!(shown.contains("就业见习基地留用：甲基地"), "{shown}");
        let (status, bases) = get(&jinghe, &app, "/staff/traineeships?year=2025").await;
        assert_eq!(status, 200);
        assert!(
            bases.contains("1（余 2）") && bases.contains("138****5678"),
            "{bases}"
        );
    }
}

#[tokio::test]
async fn bad_input_is_named_another_streets_graduate_is_refused_and_only_rsj_keeps_bases() {
    for app in spawn_apps(&TestClock::at(2025, 10, 10, 2)).await {
        let store = &app.db.store;
        let ([first, second], base) = world(store).await;
        let jinghe = logged_in(&app, "jinghe01", Role::UnitStaff, Some("jinghe")).await;

        let path = format!("/people/graduates/{first}/traineeships");
        let (status, _, page) = post(&jinghe, &app, &path, &traineeship(base, "2025-07-01")).await;
        assert_eq!(status, 422);
        assert!(
            page.contains(
                "<strong>计划结束日期</strong>：2025-07-01 不晚于见习开始日期 2025-08-01"
            ),
            "{page}"
        );
        assert!(
            page.contains("value=\"2025-07-01\""),
            "the form keeps what was typed"
        );
        let no_result = [
            ("course", "电工"),
            ("provider", "中心"),
            ("starts_on", "2025-07-01"),
            ("ends_on", "2025-07-02"),
        ];
        let courses = format!("/people/graduates/{first}/courses");
        let (status, _, page) = post(&jinghe, &app, &courses, &no_result).await;
        assert_eq!(status, 422);
        assert!(page.contains("<strong>培训结果</strong>"), "{page}");

        // 长青's graduate: not on 径河's pages, and not placed by 径河.
        let other = format!("/people/graduates/{second}/traineeships");
        let (status, _, _) = post(&jinghe, &app, &other, &traineeship(base, "2026-01-31")).await;
        assert_eq!(status, 403);
        let (status, _) = get(&jinghe, &app, &format!("/people/graduates/{second}")).await;
        assert_eq!(status, 403);
        let all = TraineeFilter::default();
        let rsj = account(store, "rsj_read", Role::UnitStaff, Some("rsj")).await;
        assert!(
            store
                .traineeships(&plan(), &rsj, &all, "")
                .await
                .unwrap()
                .is_empty()
        );
        assert!(
            store
                .graduate_courses(&plan(), &rsj, &all, "")
                .await
                .unwrap()
                .is_empty()
        );

        // Bases: 区人社局 has the form; a street reads the list but may not add or withdraw.
        let (_, list) = get(&jinghe, &app, "/staff/traineeships").await;
        assert!(
            list.contains("甲基地") && !list.contains("认定见习基地"),
            "{list}"
        );
        let new_base = [
            ("name", "乙基地"),
            ("employer", "某公司"),
            ("street", "jinghe"),
            ("places", "2"),
            ("posts", "文员"),
            ("contact_name", "李"),
            ("contact_phone", "13900001111"),
            ("recognised_on", "2025-03-01"),
        ];
        let (status, _, _) = post(&jinghe, &app, "/staff/traineeships", &new_base).await;
        assert_eq!(status, 403);
        let withdraw = format!("/staff/traineeships/bases/{base}/status");
        let (status, _, _) = post(&jinghe, &app, &withdraw, &[("status", "withdrawn")]).await;
        assert_eq!(status, 403);
        let rsj_client = logged_in(&app, "rsj01", Role::UnitStaff, Some("rsj")).await;
        let (_, list) = get(&rsj_client, &app, "/staff/traineeships").await;
        assert!(
            list.contains("认定见习基地") && list.contains("<label for=\"contact_phone\">"),
            "{list}"
        );
        let mut bad = new_base.to_vec();
        bad[3] = ("places", "0");
        let (status, _, page) = post(&rsj_client, &app, "/staff/traineeships", &bad).await;
        assert_eq!(status, 422);
        assert!(page.contains("<strong>每年见习岗位数</strong>"), "{page}");
        let (status, _, _) = post(&rsj_client, &app, "/staff/traineeships", &new_base).await;
        assert_eq!(status, 303);
        let (status, _, _) = post(&rsj_client, &app, &withdraw, &[("status", "withdrawn")]).await;
        assert_eq!(status, 303);
        let bases = store.traineeship_bases(2025).await.unwrap();
        assert_eq!(bases.len(), 2);
        assert_eq!(bases[1].status_label(), "已撤销");
        let (status, _) = get(
            &rsj_client,
            &app,
            "/staff/traineeships/placements?unit=nowhere",
        )
        .await;
        assert_eq!(status, 422);
    }
}
