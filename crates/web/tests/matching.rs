//! Person–job matching on a graduate's page, on both backends: the street's officer sees the
//! open posts that fit an unplaced graduate with their reasons, pushes one, and the push is a
//! referral in the 1131 log; the pushed post is not suggested again.

mod common;

use common::{get, logged_in, post, spawn_apps};
use linkong_core::access::Role;
use linkong_testkit::{TestClock, date, graduate_on_roster, publishing_employer};

#[tokio::test]
async fn a_street_pushes_a_suggested_post_and_it_becomes_a_referral_in_the_1131_log() {
    for app in spawn_apps(&TestClock::at(2025, 9, 1, 2)).await {
        app.db.clock.set(TestClock::at(2025, 9, 1, 2).now());
        let store = &app.db.store;
        graduate_on_roster(store, 3, date(2025, 9, 1)).await;
        let (_, _, _, cashier) = publishing_employer(store, 3, date(2025, 9, 1)).await;
        let jinghe = logged_in(&app, "jinghe01", Role::UnitStaff, Some("jinghe")).await;
        let (_, list) = get(&jinghe, &app, "/people/graduates?year=2025").await;
        let page_at = list
            .split("href=\"")
            .filter_map(|rest| rest.split('"').next())
            .find(|link| {
                link.strip_prefix("/people/graduates/")
                    .is_some_and(|id| !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()))
            })
            .expect("a graduate in the list")
            .to_owned();
        let page_at = page_at.as_str();

        let (status, page) = get(&jinghe, &app, page_at).await;
        assert_eq!(status, 200);
        assert!(page.contains("岗位匹配"), "{page}");
        assert!(
            page.contains("专业匹配：会计学 ↔ 会计；学历满足：本科；离家近：径河街道"),
            "{page}"
        );
        let pushed = cashier.to_string();
        let (status, _, _) = post(
            &jinghe,
            &app,
            &format!("{page_at}/services"),
            &[
                ("item", "referral"),
                ("post_id", pushed.as_str()),
                ("done_on", "2025-09-01"),
                ("note", "人岗匹配推荐"),
            ],
        )
        .await;
        assert_eq!(status, 303);
        let (_, page) = get(&jinghe, &app, page_at).await;
        assert!(page.contains("岗位推荐 1/3"), "{page}");
        assert!(page.contains("人岗匹配推荐"), "{page}");
        assert!(
            !page.contains("id=\"matches-h\""),
            "the one open post was pushed; nothing is left to suggest: {page}"
        );
    }
}
