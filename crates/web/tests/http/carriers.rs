//! Start-up carriers over HTTP, on each backend: a street registers its carriers, moves its
//! returnee businesses in and out and recommends a carrier for municipal recognition; it sees
//! no other street's carrier on any staff path (list, detail, xlsx export, JSON API) while the
//! portal shows every carrier with its vacancies; bad input comes back on the form with the
//! field named and nothing written.

use crate::common;

use common::{App, get, logged_in, post, sheet_cells, spawn_apps};
use linkong_core::access::{Actor, Role, Roster};
use linkong_core::businesses::BusinessDraft;
use linkong_core::carriers::CarrierDraft;
use linkong_core::people::{MigrantDraft, PersonDraft, validate_migrant};
use linkong_core::plan::Plan;
use linkong_store::Store;
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
        province: "浙江".into(),
        city: "杭州".into(),
        section: "F".into(),
        years_away: "6".into(),
        intention: "返区创业".into(),
        business_field: "直播电商".into(),
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

fn carrier(name: &str, street: &str) -> CarrierDraft {
    CarrierDraft {
        kind: "idle_school".into(),
        name: name.into(),
        operator: "柏泉街道办事处".into(),
        address: "柏泉街道原柏泉小学".into(),
        street: street.into(),
        area: "2400".into(),
        places: "10".into(),
        rent: String::new(),
        rent_note: "免租金".into(),
        services: "创业指导、直播间".into(),
        level: "district".into(),
        contact: "街道社会事务办".into(),
        phone: "027-83221234".into(),
    }
}

/// Returnees 1–3 of 慈惠 and 4 of 柏泉, each with a business registered by 区人社局; a carrier
/// of 柏泉 with an application. The businesses' ids and 柏泉's carrier's id.
async fn seed(store: &Store) -> (Vec<i64>, i64) {
    let plan = store.plan().await.unwrap();
    let rows = (1..=4)
        .map(|n| migrant(n, if n == 4 { "柏泉" } else { "慈惠" }))
        .collect();
    import_rows(store, "rsj", Roster::Migrants, rows, true)
        .await
        .unwrap()
        .unwrap();
    let rsj: Actor = linkong_testkit::account(store, "rsj01", Role::UnitStaff, Some("rsj")).await;
    let mut businesses = Vec::new();
    for n in 1..=4 {
        let draft = BusinessDraft {
            name: format!("返乡直播{n}号店"),
            uscc: uscc_for(n),
            licensed_on: "2025-02-01".into(),
            legal_form: "individual_business".into(),
            section: "F".into(),
            forms: vec!["live_commerce".into()],
            street: if n == 4 { "baiquan" } else { "cihui" }.into(),
            site: String::new(),
            founders: resident_id_for(n),
            keep_founders: false,
        };
        businesses.push(
            store
                .save_business(&plan, &rsj, None, &draft, "")
                .await
                .unwrap(),
        );
    }
    let theirs = store
        .save_carrier(
            &plan,
            &rsj,
            None,
            &carrier("柏泉空闲校舍改造", "baiquan"),
            "",
        )
        .await
        .unwrap();
    store
        .apply_for_recognition(&plan, &rsj, theirs, ("returnee_park", "2025-05-01"), "")
        .await
        .unwrap();
    (businesses, theirs)
}

const GOOD: [(&str, &str); 13] = [
    ("kind", "returnee_park"),
    ("name", "慈惠返乡创业园"),
    ("operator", "东西湖区农业发展投资有限公司"),
    ("address", "慈惠街道沿江大道 8 号"),
    ("street", "cihui"),
    ("area", "3000"),
    ("places", "2"),
    ("rent", "12"),
    ("rent_note", "返乡创业项目前两年租金减半"),
    ("services", "工商注册代办、创业指导、电商培训"),
    ("level", "district"),
    ("contact", "园区服务中心"),
    ("phone", "027-83211234"),
];

fn with(key: &str, value: &'static str) -> Vec<(&'static str, &'static str)> {
    GOOD.iter()
        .map(|(k, v)| if *k == key { (*k, value) } else { (*k, *v) })
        .collect()
}

/// 慈惠's staff register the park from the form; its id.
async fn register(staff: &reqwest::Client, app: &App) -> String {
    let (status, location, _) = post(staff, app, "/staff/carriers", &GOOD).await;
    assert_eq!(status, 303, "{location}");
    location
        .trim_start_matches("/staff/carriers/")
        .trim_end_matches("?saved=1")
        .to_owned()
}

#[tokio::test]
async fn a_street_keeps_its_carriers_and_sees_no_other_streets_on_any_staff_path() {
    for app in spawn_apps(&TestClock::at(2025, 10, 10, 2)).await {
        let (businesses, theirs) = seed(&app.db.store).await;
        let staff = logged_in(&app, "cihui01", Role::UnitStaff, Some("cihui")).await;
        let ours = register(&staff, &app).await;
        let path = format!("/staff/carriers/{ours}/residents");
        let business = businesses[0].to_string();
        let form = [
            ("business", business.as_str()),
            ("moved_in_on", "2025-06-01"),
        ];
        let (status, location, _) = post(&staff, &app, &path, &form).await;
        assert_eq!(status, 303, "{location}");
        let (_, page) = get(&staff, &app, &format!("/staff/carriers/{ours}")).await;
        assert!(
            page.contains("返乡直播1号店") && page.contains("空余 <strong>1</strong> 个"),
            "{page}"
        );
        // The business's site is now the carrier.
        let (_, page) = get(
            &staff,
            &app,
            &format!("/staff/businesses/{}", businesses[0]),
        )
        .await;
        assert!(page.contains("慈惠返乡创业园</a>（创业载体）"), "{page}");

        // List, detail, edit, export and API hold only 慈惠's carrier.
        let (_, list) = get(&staff, &app, "/staff/carriers").await;
        assert!(list.contains("慈惠返乡创业园") && !list.contains("柏泉空闲校舍改造"));
        for path in [
            format!("/staff/carriers/{theirs}"),
            format!("/staff/carriers/{theirs}/edit"),
            "/staff/carriers?street=baiquan".into(),
            "/staff/carriers/applications?street=baiquan".into(),
            "/staff/carriers/applications/1".into(),
        ] {
            assert_eq!(get(&staff, &app, &path).await.0, 403, "{path}");
        }
        let (status, _, _) = post(
            &staff,
            &app,
            &format!("/staff/carriers/{theirs}"),
            &with("street", "baiquan"),
        )
        .await;
        assert_eq!(status, 403);
        let export = staff
            .get(app.url("/staff/carriers/export.xlsx"))
            .send()
            .await
            .unwrap();
        assert_eq!(export.status(), 200);
        let text = sheet_cells(&export.bytes().await.unwrap(), "|");
        assert!(
            text.contains("慈惠返乡创业园") && !text.contains("柏泉空闲校舍改造"),
            "{text}"
        );
        let api: Value = staff
            .get(app.url("/api/v1/carriers/applications"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(api["total"], 0);
        let refused = staff
            .get(app.url("/api/v1/carriers/applications?street=baiquan"))
            .send()
            .await
            .unwrap();
        assert_eq!(refused.status(), 403);

        // The portal shows every carrier with its vacancies, to anyone.
        let public = app.client();
        let (status, page) = get(&public, &app, "/carriers?vacant=1").await;
        assert_eq!(status, 200);
        assert!(
            page.contains("慈惠返乡创业园") && page.contains("柏泉空闲校舍改造"),
            "{page}"
        );
        let (_, page) = get(&public, &app, "/carriers?kind=idle_school&street=baiquan").await;
        assert!(!page.contains("慈惠返乡创业园") && page.contains("柏泉空闲校舍改造"));
        let (status, page) = get(&public, &app, &format!("/carriers/{ours}")).await;
        assert_eq!(status, 200);
        assert!(
            page.contains("027-83211234") && page.contains("12 元/㎡·月"),
            "{page}"
        );
        // A returnee who wants a place asks the service window from here.
        let ask = format!("/window/ask?carrier={ours}");
        assert!(page.contains(&format!("href=\"{ask}\"")), "{page}");
        let (status, form) = get(&public, &app, &ask).await;
        assert_eq!(status, 200);
        assert!(
            form.contains(&format!("”（编号 {ours}），想了解"))
                && form.contains("<option value=\"land\" selected"),
            "{form}"
        );
        assert_eq!(
            get(&public, &app, "/window/ask?carrier=999999").await.0,
            404
        );
        let api: Value = public
            .get(app.url("/api/v1/carriers?street=cihui"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(api["total"], 1);
        assert_eq!(api["carriers"][0]["vacancies"], 1);
        assert_eq!(api["carriers"][0]["rent"], 12.0);
    }
}

#[tokio::test]
async fn bad_input_comes_back_with_the_field_named_and_writes_nothing() {
    for app in spawn_apps(&TestClock::at(2025, 10, 10, 2)).await {
        let (businesses, _) = seed(&app.db.store).await;
        let staff = logged_in(&app, "cihui01", Role::UnitStaff, Some("cihui")).await;

        // Negative area and places.
        let mut bad = with("area", "-10");
        bad.retain(|(k, _)| *k != "places");
        bad.push(("places", "-2"));
        let (status, _, page) = post(&staff, &app, "/staff/carriers", &bad).await;
        assert_eq!(status, 422);
        assert!(
            page.contains("<strong>面积（㎡）</strong>")
                && page.contains("<strong>工位/房间数</strong>"),
            "{page}"
        );
        let (_, list) = get(&staff, &app, "/staff/carriers").await;
        assert!(list.contains("共 <strong>0</strong> 个载体"), "{list}");

        let ours = register(&staff, &app).await;
        let residents = format!("/staff/carriers/{ours}/residents");
        for (b, day) in businesses[..2].iter().zip(["2025-06-01", "2025-06-02"]) {
            let b = b.to_string();
            let (status, _, _) = post(
                &staff,
                &app,
                &residents,
                &[("business", b.as_str()), ("moved_in_on", day)],
            )
            .await;
            assert_eq!(status, 303);
        }
        // More residents than places, both ways.
        let third = businesses[2].to_string();
        let (status, _, page) = post(
            &staff,
            &app,
            &residents,
            &[("business", third.as_str()), ("moved_in_on", "2025-06-03")],
        )
        .await;
        assert_eq!(status, 422);
        assert!(
            page.contains("<strong>入驻主体</strong>：载体已满"),
            "{page}"
        );
        let (status, _, page) = post(
            &staff,
            &app,
            &format!("/staff/carriers/{ours}"),
            &with("places", "1"),
        )
        .await;
        assert_eq!(status, 422);
        assert!(page.contains("不能少于现有入驻主体数（2 家）"), "{page}");

        // A move-out before the move-in.
        let store = &app.db.store;
        let plan = store.plan().await.unwrap();
        let keeper = store
            .user_by_name("cihui01")
            .await
            .unwrap()
            .unwrap()
            .actor();
        let id: i64 = ours.parse().unwrap();
        let stay = store
            .carrier(&plan, &keeper, id, "")
            .await
            .unwrap()
            .residents[0]
            .stay_id;
        let (status, _, page) = post(
            &staff,
            &app,
            &format!("/staff/carriers/{ours}/residents/{stay}/out"),
            &[("moved_out_on", "2025-05-01")],
        )
        .await;
        assert_eq!(status, 422);
        assert!(
            page.contains("<strong>迁出日期</strong>：2025-05-01 早于入驻日期 2025-06-01"),
            "{page}"
        );

        // An application skipping a stage, and a rejection without a reason (区人社局).
        let (status, _, _) = post(
            &staff,
            &app,
            &format!("/staff/carriers/{ours}/applications"),
            &[("kind", "returnee_park"), ("recommended_on", "2025-07-01")],
        )
        .await;
        assert_eq!(status, 303);
        let application = store
            .carrier(&plan, &keeper, id, "")
            .await
            .unwrap()
            .applications[0]
            .id;
        let reviewer = logged_in(&app, "rsj02", Role::UnitStaff, Some("rsj")).await;
        let step = format!("/staff/carriers/applications/{application}/step");
        let (status, _, page) = post(
            &reviewer,
            &app,
            &step,
            &[("stage", "approved"), ("stepped_on", "2025-08-01")],
        )
        .await;
        assert_eq!(status, 422);
        assert!(page.contains("<strong>申报阶段</strong>"), "{page}");
        let (status, _, page) = post(
            &reviewer,
            &app,
            &step,
            &[
                ("stage", "rejected"),
                ("stepped_on", "2025-08-01"),
                ("note", ""),
            ],
        )
        .await;
        assert_eq!(status, 422);
        assert!(page.contains("<strong>未通过原因</strong>"), "{page}");
        // The street records no later stage.
        let (status, _, _) = post(
            &staff,
            &app,
            &step,
            &[("stage", "district_review"), ("stepped_on", "2025-08-01")],
        )
        .await;
        assert_eq!(status, 403);

        let detail = store.carrier(&plan, &keeper, id, "").await.unwrap();
        assert_eq!((detail.carrier.places, detail.residents.len()), (2, 2));
        assert!(detail.former.is_empty());
        assert_eq!(detail.applications[0].stage.code(), "recommended");
        let (status, _) = get(&app.client(), &app, "/carriers?kind=office").await;
        assert_eq!(status, 422);
    }
}
