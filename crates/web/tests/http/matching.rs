//! Person–job matching on a graduate's page, on both backends: the street's officer sees the
//! open posts that fit an unplaced graduate with their reasons, pushes one, and the push is a
//! referral in the 1131 log; the pushed post is not suggested again.

use crate::common;

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
        assert!(
            page.contains(&format!("action=\"{page_at}/push\"")),
            "{page}"
        );
        // A post id that is not one is refused naming the field.
        let (status, _, body) = post(
            &jinghe,
            &app,
            &format!("{page_at}/push"),
            &[("post_id", "x")],
        )
        .await;
        assert_eq!(status, 422);
        assert!(body.contains("推送岗位：无法识别“x”"), "{body}");
        let pushed = cashier.to_string();
        let (status, location, _) = post(
            &jinghe,
            &app,
            &format!("{page_at}/push"),
            &[("post_id", pushed.as_str())],
        )
        .await;
        assert_eq!((status, location), (303, format!("{page_at}#pushes-h")));
        let (_, page) = get(&jinghe, &app, page_at).await;
        assert!(page.contains("岗位推荐 1/3"), "{page}");
        assert!(page.contains("人岗匹配推送"), "{page}");
        assert!(
            page.contains("已推送岗位") && page.contains("1131服务页"),
            "{page}"
        );
        // Twice is refused.
        let (status, _, body) = post(
            &jinghe,
            &app,
            &format!("{page_at}/push"),
            &[("post_id", pushed.as_str())],
        )
        .await;
        assert_eq!(status, 422, "{body}");
        assert!(body.contains("不重复推送"), "{body}");
        assert!(
            !page.contains("id=\"matches-h\""),
            "the one open post was pushed; nothing is left to suggest: {page}"
        );
    }
}

#[tokio::test]
async fn a_street_officer_pushes_from_the_push_list_and_exports_it() {
    use calamine::{Reader, Xlsx};
    for app in spawn_apps(&TestClock::at(2025, 9, 1, 2)).await {
        app.db.clock.set(TestClock::at(2025, 9, 1, 2).now());
        let store = &app.db.store;
        graduate_on_roster(store, 4, date(2025, 9, 1)).await;
        let (_, _, _, cashier) = publishing_employer(store, 4, date(2025, 9, 1)).await;
        let jinghe = logged_in(&app, "jinghe01", Role::UnitStaff, Some("jinghe")).await;
        let (status, page) = get(&jinghe, &app, "/people/graduates/push?year=2025").await;
        assert_eq!(status, 200);
        assert!(
            page.contains("毕业生4") && page.contains("出纳（应届）"),
            "{page}"
        );
        assert!(page.contains("专业匹配：会计学 ↔ 会计"), "{page}");
        let marker = "name=\"push\" value=\"";
        let start = page.find(marker).unwrap() + marker.len();
        let value = &page[start..start + page[start..].find('"').unwrap()];
        assert!(value.ends_with(&format!(":{cashier}")), "{value}");

        // The workbook lists the same suggestion.
        let response = jinghe
            .get(app.url("/people/graduates/push.xlsx?year=2025"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        let bytes = response.bytes().await.unwrap().to_vec();
        let mut book = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
        let sheet = book.worksheet_range("推送清单").unwrap();
        let row: Vec<String> = sheet
            .rows()
            .nth(2)
            .unwrap()
            .iter()
            .map(|c| c.to_string())
            .collect();
        assert_eq!(row[0], "毕业生4");
        assert_eq!(row[4], format!("#{cashier} 出纳（应届）"));

        // A malformed push is refused naming the field; the ticked one is pushed.
        let (status, _, body) = post(
            &jinghe,
            &app,
            "/people/graduates/push",
            &[("year", "2025"), ("street", ""), ("n", "3"), ("push", "x")],
        )
        .await;
        assert_eq!(status, 422);
        assert!(body.contains("推送岗位"), "{body}");
        let (status, back, body) = post(
            &jinghe,
            &app,
            "/people/graduates/push",
            &[
                ("year", "2025"),
                ("street", ""),
                ("n", "3"),
                ("push", value),
            ],
        )
        .await;
        assert_eq!(status, 303, "{body}");
        let (_, page) = get(&jinghe, &app, &back).await;
        assert!(page.contains("已推送 1 个岗位"), "{page}");
        assert!(page.contains("暂无可推送的岗位"), "{page}");
        // Pushed twice (a second submit of the same form): refused, the page says why.
        let (status, _, body) = post(
            &jinghe,
            &app,
            "/people/graduates/push",
            &[
                ("year", "2025"),
                ("street", ""),
                ("n", "3"),
                ("push", value),
            ],
        )
        .await;
        assert_eq!(status, 422);
        assert!(body.contains("不重复推送"), "{body}");
    }
}
