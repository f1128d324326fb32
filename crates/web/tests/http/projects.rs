//! The project library over HTTP, on each backend: a department enters the projects it
//! collected, 区人社局 screens them in or drops them (with a reason) and publishes them; the
//! portal shows published projects only, with its filters, and the JSON list too; 2.1.2's
//! figure on the dashboard counts the projects screened in and links to them. Bad input comes
//! back with the field named and nothing written; a department cannot screen.

use crate::common;

use common::{App, get, logged_in, post, spawn_apps};
use linkong_core::access::Role;
use linkong_testkit::TestClock;
use serde_json::Value;

fn project<'a>(name: &'a str, section: &'a str, agricultural: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("name", name),
        ("section", section),
        ("agricultural", agricultural),
        ("investment_min", "10"),
        ("investment_max", "40"),
        ("expected_jobs", "6"),
        ("outlook", "周边社区消费需求旺盛。"),
        ("site_needs", "门面 80 平方米"),
        ("policies", "一次性创业补贴"),
        ("source_unit", "swj"),
    ]
}

/// The id in a `/staff/projects/{id}?saved=1` redirect.
fn id_of(location: &str) -> String {
    location
        .trim_start_matches("/staff/projects/")
        .trim_end_matches("?saved=1")
        .to_owned()
}

/// 2.1.2's 2025 figure for 区商务局 as the progress API gives it.
async fn swj_figure(client: &reqwest::Client, app: &App) -> Value {
    let progress: Value = client
        .get(app.url("/api/v1/progress?year=2025"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let indicator = progress["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["indicator_code"] == "2.1.2.projects")
        .unwrap()
        .clone();
    indicator["units"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["unit_code"] == "swj")
        .unwrap()["figure"]["actual"]
        .clone()
}

#[tokio::test]
async fn a_project_goes_from_collection_to_the_portal_and_counts_for_its_source_unit() {
    for app in spawn_apps(&TestClock::at(2025, 10, 10, 2)).await {
        let swj = logged_in(&app, "swj01", Role::UnitStaff, Some("swj")).await;
        let rsj = logged_in(&app, "rsj01", Role::UnitStaff, Some("rsj")).await;
        let public = app.client();

        // Bad input: investment minimum above the maximum; nothing written.
        let mut bad = project("社区生鲜团购", "F", "");
        bad[3] = ("investment_min", "50");
        let (status, _, page) = post(&swj, &app, "/staff/projects", &bad).await;
        assert_eq!(status, 422);
        assert!(
            page.contains("<strong>投资上限（万元）</strong>：上限（40）不能小于下限（50）"),
            "{page}"
        );
        let (_, list) = get(&swj, &app, "/staff/projects").await;
        assert!(list.contains("共 <strong>0</strong> 个项目"), "{list}");

        let (status, location, _) = post(
            &swj,
            &app,
            "/staff/projects",
            &project("社区生鲜团购", "F", ""),
        )
        .await;
        assert_eq!(status, 303);
        let fresh = id_of(&location);
        let (_, location, _) = post(
            &swj,
            &app,
            "/staff/projects",
            &project("稻虾共作", "A", "1"),
        )
        .await;
        let farm = id_of(&location);
        let (_, location, _) = post(
            &swj,
            &app,
            "/staff/projects",
            &project("重复的团购项目", "F", ""),
        )
        .await;
        let twin = id_of(&location);

        // A department cannot screen; a drop needs a reason.
        let screen = [("action", "screen_in")];
        let (status, _, _) = post(
            &swj,
            &app,
            &format!("/staff/projects/{fresh}/move"),
            &screen,
        )
        .await;
        assert_eq!(status, 403);
        let drop = [("action", "drop"), ("reason", " ")];
        let (status, _, page) =
            post(&rsj, &app, &format!("/staff/projects/{twin}/move"), &drop).await;
        assert_eq!(status, 422);
        assert!(page.contains("<strong>不予入库原因</strong>"), "{page}");
        let (_, page) = get(&rsj, &app, &format!("/staff/projects/{twin}")).await;
        assert!(page.contains("已收集"), "still collected: {page}");

        for id in [&fresh, &farm] {
            let (status, _, _) =
                post(&rsj, &app, &format!("/staff/projects/{id}/move"), &screen).await;
            assert_eq!(status, 303);
        }
        let drop = [("action", "drop"), ("reason", "与已收集项目重复")];
        let (status, _, _) = post(&rsj, &app, &format!("/staff/projects/{twin}/move"), &drop).await;
        assert_eq!(status, 303);

        // 2.1.2's figure for 区商务局: the two screened in; it links to them.
        assert_eq!(swj_figure(&swj, &app).await, 2);
        let (status, sources) = get(
            &swj,
            &app,
            "/indicators/2.1.2.projects/sources?unit=swj&year=2025",
        )
        .await;
        assert_eq!(status, 200);
        assert!(
            sources.contains("社区生鲜团购") && sources.contains("稻虾共作"),
            "{sources}"
        );
        assert!(
            !sources.contains("重复的团购项目"),
            "dropped ones do not count"
        );

        // The portal shows published projects only.
        assert_eq!(
            get(&public, &app, &format!("/projects/{fresh}")).await.0,
            404
        );
        let (_, portal) = get(&public, &app, "/projects").await;
        assert!(!portal.contains("社区生鲜团购"));
        for id in [&fresh, &farm] {
            let publish = [("action", "publish")];
            let (status, _, _) =
                post(&rsj, &app, &format!("/staff/projects/{id}/move"), &publish).await;
            assert_eq!(status, 303);
        }
        let (status, page) = get(&public, &app, &format!("/projects/{fresh}")).await;
        assert_eq!(status, 200);
        assert!(
            page.contains("10—40 万元") && page.contains("周边社区消费需求旺盛"),
            "{page}"
        );
        assert_eq!(
            get(&public, &app, &format!("/projects/{twin}")).await.0,
            404
        );
        // A returnee's interest goes to the service window as a question naming the project.
        let ask = format!("/window/ask?project={fresh}");
        assert!(page.contains(&format!("href=\"{ask}\"")), "{page}");
        let (status, form) = get(&public, &app, &ask).await;
        assert_eq!(status, 200);
        assert!(
            form.contains(&format!("对创业项目“社区生鲜团购”（编号 {fresh}）感兴趣"))
                && form.contains("<option value=\"guidance\" selected"),
            "{form}"
        );
        let unpublished = format!("/window/ask?project={twin}");
        assert_eq!(get(&public, &app, &unpublished).await.0, 404);
        let (_, farming) = get(&public, &app, "/projects?agricultural=1").await;
        assert!(farming.contains("稻虾共作") && !farming.contains("社区生鲜团购"));
        let (_, retail) = get(&public, &app, "/projects?field=F").await;
        assert!(retail.contains("社区生鲜团购") && !retail.contains("稻虾共作"));
        let (status, _) = get(&public, &app, "/projects?field=Z").await;
        assert_eq!(status, 422);
        let api: Value = public
            .get(app.url("/api/v1/projects?agricultural=1"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(api["total"], 1);
        assert_eq!(api["projects"][0]["investment_max"], 40);
    }
}
