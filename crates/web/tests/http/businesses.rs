//! Returnee businesses over HTTP, on each backend: a street registers its businesses with
//! founders from the out-migrant registry and sees no other street's on any path (list,
//! detail, xlsx export, JSON API); bad input comes back on the form with the field named and
//! nothing written; the founder's page lists the business.

use crate::common;

use common::{get, logged_in, post, sheet_cells, spawn_apps};
use linkong_core::access::{Role, Roster};
use linkong_core::businesses::BusinessDraft;
use linkong_core::people::{MigrantDraft, PersonDraft, validate_migrant};
use linkong_core::plan::Plan;
use linkong_store::people::{ImportRow, RowData};
use linkong_testkit::{PLAN_FILE, TestClock, date, import_rows, resident_id_for, uscc_for};
use serde_json::Value;

fn migrant(n: usize, street: &str) -> ImportRow {
    let plan = Plan::parse(PLAN_FILE).unwrap();
    let draft = MigrantDraft {
        person: PersonDraft {
            name: format!("创业者{n}"),
            id_number: resident_id_for(n),
            street: street.into(),
            ..Default::default()
        },
        province: "江苏".into(),
        city: "苏州".into(),
        section: "C".into(),
        years_away: "6".into(),
        intention: "返区创业".into(),
        business_field: "生态康养".into(),
        contact_consent: "是".into(),
        surveyed_on: "2025-02-01".into(),
        ..Default::default()
    };
    ImportRow {
        row: n + 1,
        sealed: None,
        data: RowData::Migrant(validate_migrant(&plan, &draft, date(2025, 10, 10)).unwrap()),
    }
}

#[tokio::test]
async fn a_street_keeps_its_businesses_and_sees_no_other_streets_on_any_path() {
    for app in spawn_apps(&TestClock::at(2025, 10, 10, 2)).await {
        let store = &app.db.store;
        let plan = store.plan().await.unwrap();
        let rows = vec![migrant(1, "径河"), migrant(2, "长青")];
        import_rows(store, "rsj", Roster::Migrants, rows, true)
            .await
            .unwrap()
            .unwrap();
        let rsj = linkong_testkit::account(store, "rsj01", Role::UnitStaff, Some("rsj")).await;
        let theirs = store
            .save_business(
                &plan,
                &rsj,
                None,
                &BusinessDraft {
                    name: "长青生态康养园".into(),
                    uscc: uscc_for(2),
                    licensed_on: "2025-03-01".into(),
                    legal_form: "small_micro".into(),
                    section: "Q".into(),
                    forms: vec!["wellness".into()],
                    street: "changqing".into(),
                    site: String::new(),
                    founders: resident_id_for(2),
                    keep_founders: false,
                },
                "",
            )
            .await
            .unwrap();
        let staff = logged_in(&app, "jinghe01", Role::UnitStaff, Some("jinghe")).await;
        let id1 = resident_id_for(1);
        let uscc1 = uscc_for(1);
        let good: Vec<(&str, &str)> = vec![
            ("name", "径河乡村民宿"),
            ("uscc", &uscc1),
            ("licensed_on", "2025-04-01"),
            ("legal_form", "individual_business"),
            ("section", "H"),
            ("forms", "homestay"),
            ("forms", "rural_tourism"),
            ("street", "jinghe"),
            ("site", "径河街道三店村"),
            ("founders", &id1),
        ];
        let with = |key: &str, value: &'static str| {
            good.iter()
                .map(|(k, v)| if *k == key { (*k, value) } else { (*k, *v) })
                .collect::<Vec<_>>()
        };

        // Bad input: an invalid USCC; a licence date in the future; nothing written.
        let (status, _, page) = post(
            &staff,
            &app,
            "/staff/businesses",
            &with("uscc", "91420112MA4K000000"),
        )
        .await;
        assert_eq!(status, 422);
        assert!(page.contains("<strong>统一社会信用代码</strong>"), "{page}");
        let (status, _, page) = post(
            &staff,
            &app,
            "/staff/businesses",
            &with("licensed_on", "2025-12-01"),
        )
        .await;
        assert_eq!(status, 422);
        assert!(page.contains("2025-12-01 晚于今天"), "{page}");
        // Another street's business: refused.
        let (status, _, _) = post(
            &staff,
            &app,
            "/staff/businesses",
            &with("street", "changqing"),
        )
        .await;
        assert_eq!(status, 403);
        let (_, list) = get(&staff, &app, "/staff/businesses").await;
        assert!(list.contains("共 <strong>0</strong> 个主体"), "{list}");

        let (status, location, _) = post(&staff, &app, "/staff/businesses", &good).await;
        assert_eq!(status, 303, "{location}");
        let ours = location
            .trim_start_matches("/staff/businesses/")
            .trim_end_matches("?saved=1")
            .to_owned();
        let (status, page) = get(&staff, &app, &location).await;
        assert_eq!(status, 200);
        assert!(
            page.contains("乡村旅游") && page.contains("休闲民宿"),
            "{page}"
        );

        // Insured more than the headcount: the page again with the field named.
        let path = format!("/staff/businesses/{ours}/employment");
        let form = [
            ("counted_on", "2025-09-30"),
            ("headcount", "3"),
            ("insured", "5"),
        ];
        let (status, _, page) = post(&staff, &app, &path, &form).await;
        assert_eq!(status, 422);
        assert!(
            page.contains("参保人数（5）不能多于从业人数（3）"),
            "{page}"
        );

        // The list, detail, export and API of 径河 hold only 径河's business.
        let (_, list) = get(&staff, &app, "/staff/businesses").await;
        assert!(list.contains("径河乡村民宿") && !list.contains("长青生态康养园"));
        assert_eq!(
            get(&staff, &app, &format!("/staff/businesses/{theirs}"))
                .await
                .0,
            403
        );
        assert_eq!(
            get(&staff, &app, &format!("/staff/businesses/{theirs}/edit"))
                .await
                .0,
            403
        );
        assert_eq!(
            get(&staff, &app, "/staff/businesses?street=changqing")
                .await
                .0,
            403
        );
        let export = staff
            .get(app.url("/staff/businesses/export.xlsx"))
            .send()
            .await
            .unwrap();
        assert_eq!(export.status(), 200);
        let text = sheet_cells(&export.bytes().await.unwrap(), "|");
        assert!(
            text.contains("径河乡村民宿") && !text.contains("长青生态康养园"),
            "{text}"
        );
        assert!(text.contains("********"), "founders' IDs masked: {text}");
        assert!(!text.contains(&id1), "no whole ID in the export");
        let api: Value = staff
            .get(app.url("/api/v1/businesses"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(api["total"], 1);
        assert_eq!(api["businesses"][0]["forms"][0], "homestay");
        let refused = staff
            .get(app.url("/api/v1/businesses?street=changqing"))
            .send()
            .await
            .unwrap();
        assert_eq!(refused.status(), 403);

        // The founder's page lists the business.
        let (_, detail) = get(&staff, &app, &format!("/staff/businesses/{ours}")).await;
        // The founder's link, not the menu's push list under the same path.
        let start = detail
            .match_indices("/people/migrants/")
            .map(|(at, _)| at)
            .find(|&at| {
                detail[at + "/people/migrants/".len()..].starts_with(|c: char| c.is_ascii_digit())
            })
            .unwrap();
        let end = start + detail[start..].find('"').unwrap();
        let (status, person) = get(&staff, &app, &detail[start..end]).await;
        assert_eq!(status, 200);
        assert!(person.contains("径河乡村民宿"), "{person}");
    }
}
