//! Returnee skills training (2.4.4) over HTTP, on each backend: the dashboard shows the trainees
//! as an activity (无目标值) with their count, drilled down to the organiser's classes; an end
//! before the start comes back as a 422 naming the field with nothing written; a unit outside
//! 2.4.4 gets no form and is refused the post.

use crate::common;

use common::{get, logged_in, post, spawn_apps};
use linkong_core::access::{Role, Roster};
use linkong_core::skills::ClassDraft;
use linkong_testkit::{TestClock, account, import_rows, plan, resident_id_for, would_be_founder};

/// The dashboard's table row of the indicator named `name`.
fn row_of<'a>(page: &'a str, name: &str) -> &'a str {
    let at = page
        .find(name)
        .unwrap_or_else(|| panic!("{name} on the dashboard"));
    let start = page[..at].rfind("<tr>").unwrap();
    let end = at + page[at..].find("</tr>").unwrap();
    &page[start..end]
}

async fn registry(store: &linkong_store::Store) {
    let rows = vec![
        would_be_founder(1, "张", "径河"),
        would_be_founder(2, "李", "径河"),
    ];
    import_rows(store, "rsj", Roster::Migrants, rows, true)
        .await
        .unwrap()
        .unwrap();
}

#[tokio::test]
async fn the_dashboard_counts_2_4_4s_trainees_and_drills_down_to_the_classes() {
    for app in spawn_apps(&TestClock::at(2025, 6, 25, 2)).await {
        let store = &app.db.store;
        registry(store).await;
        let rsj = account(store, "rsj_fill", Role::UnitStaff, Some("rsj")).await;
        let class = ClassDraft {
            kind: "vocational".into(),
            title: "中式面点师职业技能培训班".into(),
            starts_on: "2025-06-02".into(),
            ends_on: "2025-06-06".into(),
            trainees: format!(
                "{} 是 中式面点师\n{}",
                resident_id_for(1),
                resident_id_for(2)
            ),
        };
        store
            .record_skills_class(&plan(), &rsj, &class, "")
            .await
            .unwrap();
        let client = logged_in(&app, "zhuanban", Role::TaskForce, None).await;
        let (status, page) = get(&client, &app, "/dashboard?year=2025").await;
        assert_eq!(status, 200);
        let row = row_of(&page, "返区人员职业技能培训");
        assert!(row.contains("无目标值"), "{row}");
        assert!(row.contains(">2人次</a>"), "two trainees: {row}");
        let response = client
            .get(app.url("/indicators/2.4.4.trained/sources?unit=rsj&year=2025"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 303);
        let location = response.headers()["location"].to_str().unwrap().to_owned();
        assert_eq!(location, "/staff/skills?year=2025&unit=rsj");
        let (status, rows) = get(&client, &app, &location).await;
        assert_eq!(status, 200);
        assert!(rows.contains("中式面点师职业技能培训班"), "{rows}");
        assert!(!rows.contains(&resident_id_for(1)), "no personal data");
    }
}

#[tokio::test]
async fn an_end_before_the_start_is_named_and_writes_nothing() {
    for app in spawn_apps(&TestClock::at(2025, 6, 25, 2)).await {
        let store = &app.db.store;
        registry(store).await;
        let jinghe = logged_in(&app, "jinghe01", Role::UnitStaff, Some("jinghe")).await;
        let (status, form) = get(&jinghe, &app, "/staff/skills").await;
        assert_eq!(status, 200);
        assert!(form.contains("<label for=\"ends_on\">"), "{form}");
        let trainees = resident_id_for(1);
        let backwards = [
            ("kind", "farmers"),
            ("title", "高素质农民培训班"),
            ("starts_on", "2025-06-10"),
            ("ends_on", "2025-06-01"),
            ("trainees", trainees.as_str()),
        ];
        let (status, _, page) = post(&jinghe, &app, "/staff/skills", &backwards).await;
        assert_eq!(status, 422);
        assert!(
            page.contains("<strong>结束日期</strong>：2025-06-01 早于开始日期 2025-06-10"),
            "{page}"
        );
        assert!(
            page.contains("高素质农民培训班"),
            "the form keeps what was typed"
        );
        let (status, _) = get(&jinghe, &app, "/staff/skills?year=1999").await;
        assert_eq!(status, 422);
        assert!(store.skills_classes(None, None).await.unwrap().is_empty());

        // Outside 2.4.4: the list, but no form, and the post is refused.
        let gaj = logged_in(&app, "gaj01", Role::UnitStaff, Some("gaj")).await;
        let (status, page) = get(&gaj, &app, "/staff/skills").await;
        assert_eq!(status, 200);
        assert!(!page.contains("登记培训班"), "no form");
        let mut good = backwards;
        good[3] = ("ends_on", "2025-06-12");
        let (status, _, _) = post(&gaj, &app, "/staff/skills", &good).await;
        assert_eq!(status, 403);
        assert!(store.skills_classes(None, None).await.unwrap().is_empty());
    }
}
