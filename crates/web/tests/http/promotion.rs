//! Returnee promotion events (task 2.5.1) over HTTP, on each backend: a street records a
//! coastal promotion event, filters the out-migrant registry, invites its own people (another
//! street's person is refused and nothing written), exports the list, records attendance and
//! intentions after the event; the person's page, the portal, the drill-down and the API show
//! it; every path is scoped to the street.

use crate::common;

use common::{App, STAFF_PASSWORD, get, logged_in, post, sheet_cells, spawn_apps};
use linkong_core::access::{Role, Roster};
use linkong_core::people::{MigrantDraft, PersonDraft, validate_migrant};
use linkong_core::plan::Plan;
use linkong_store::people::{ImportRow, RowData};
use linkong_testkit::{PLAN_FILE, TestClock, date, import_rows, resident_id_for};
use serde_json::Value;

fn migrant(n: usize, street: &str, province: &str) -> ImportRow {
    let plan = Plan::parse(PLAN_FILE).unwrap();
    let draft = MigrantDraft {
        person: PersonDraft {
            name: format!("在外能人{n}"),
            id_number: resident_id_for(n),
            phone: format!("1390000{n:04}"),
            street: street.into(),
            ..Default::default()
        },
        province: province.into(),
        city: "深圳".into(),
        section: "C".into(),
        years_away: "8".into(),
        intention: "返区创业".into(),
        business_field: "电子元器件".into(),
        contact_consent: "是".into(),
        surveyed_on: "2025-03-01".into(),
        ..Default::default()
    };
    ImportRow {
        row: n + 1,
        sealed: None,
        data: RowData::Migrant(validate_migrant(&plan, &draft, date(2025, 10, 10)).unwrap()),
    }
}

/// The person id of `在外能人{n}` as the task force's list shows it.
async fn person(app: &App, client: &reqwest::Client, n: usize) -> String {
    let name = format!("在外能人{n}");
    let (_, page) = get(client, app, &format!("/people/migrants?q={name}")).await;
    let marker = format!("\">{name}</a>");
    let end = page.find(&marker).expect("a link to the person");
    let start = page[..end].rfind('/').expect("a person link") + 1;
    page[start..end].to_owned()
}

/// A coastal promotion event of 径河 on 2025-11-08, recorded through the form.
fn shenzhen_event() -> Vec<(&'static str, String)> {
    [
        ("kind", "returnee_promotion"),
        ("title", "径河街道赴深圳返区创业推介会"),
        ("organiser", "jinghe"),
        ("held_on", "2025-11-08"),
        ("away", "1"),
        ("province", "广东"),
        ("city", "深圳"),
        ("coastal", "1"),
        ("place", "深圳市湖北商会"),
    ]
    .iter()
    .map(|(k, v)| (*k, (*v).to_owned()))
    .collect()
}

#[tokio::test]
async fn a_street_invites_its_people_working_on_the_coast_and_records_who_came() {
    let clock = TestClock::at(2025, 10, 10, 2);
    let start = clock.now();
    for app in spawn_apps(&clock).await {
        clock.set(start);
        app.db.clock.set(start);
        let rows = vec![
            migrant(1, "径河", "广东"),
            migrant(2, "径河", "浙江"),
            migrant(3, "径河", "四川"),
            migrant(4, "长青", "广东"),
        ];
        import_rows(&app.db.store, "rsj", Roster::Migrants, rows, true)
            .await
            .unwrap()
            .unwrap();
        let tf = logged_in(&app, "zhuanban", Role::TaskForce, None).await;
        let ids: Vec<String> = {
            let mut ids = vec![String::new()];
            for n in 1..=4 {
                ids.push(person(&app, &tf, n).await);
            }
            ids
        };
        let jinghe = logged_in(&app, "jinghe01", Role::UnitStaff, Some("jinghe")).await;
        let changqing = logged_in(&app, "changqing01", Role::UnitStaff, Some("changqing")).await;

        // A coastal flag on an event in the district is refused, nothing written.
        let mut at_home = shenzhen_event();
        at_home.retain(|(k, _)| !matches!(*k, "away" | "province" | "city"));
        let (status, _, page) = post(&jinghe, &app, "/staff/events", &at_home).await;
        assert_eq!(status, 422);
        assert!(page.contains("沿海经济发达地区"), "{page}");
        let (status, location, _) = post(&jinghe, &app, "/staff/events", &shenzhen_event()).await;
        assert_eq!(status, 303);
        assert!(location.starts_with("/staff/events/"), "{location}");
        let event = location.trim_start_matches("/staff/events/").to_owned();
        let base = format!("/staff/events/{event}");

        // The portal shows it as upcoming, with place and date, and no one's name.
        let (_, portal) = get(&app.client(), &app, "/events").await;
        assert!(portal.contains("即将举办的返区创业推介活动"), "{portal}");
        assert!(portal.contains("广东省深圳（沿海经济发达地区）"));
        assert!(portal.contains("2025-11-08") && !portal.contains("在外能人"));

        // Everyone working in 广东/浙江/江苏 who wants to start a business: 1 and 2, not 4.
        let (status, page) = get(
            &jinghe,
            &app,
            &format!("{base}?intention=business&provinces=广东+浙江+江苏"),
        )
        .await;
        assert_eq!(status, 200);
        assert!(page.contains("符合条件 <strong>2</strong> 人"), "{page}");
        assert!(page.contains("在外能人1") && !page.contains("在外能人4"));
        assert!(page.contains("139****0001"), "phones masked");

        // Another street's person is refused, and nothing is written.
        let (status, _, _) = post(
            &jinghe,
            &app,
            &format!("{base}/invitations"),
            &[("person", ids[1].clone()), ("person", ids[4].clone())],
        )
        .await;
        assert_eq!(status, 403);
        let (_, page) = get(&jinghe, &app, &base).await;
        assert!(page.contains("已邀约（0 人）"), "{page}");
        let (status, location, _) = post(
            &jinghe,
            &app,
            &format!("{base}/invitations"),
            &[
                ("all", "1"),
                ("intention", "business"),
                ("provinces", "广东 浙江 江苏"),
            ],
        )
        .await;
        assert_eq!(
            (status, location.as_str()),
            (303, &*format!("{base}?invited=2"))
        );

        // Export: the street's list, phones masked; another street sees none of it.
        let bytes = jinghe
            .get(app.url(&format!("{base}/invitations.xlsx")))
            .send()
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap();
        let sheet = sheet_cells(&bytes, "\n");
        assert!(
            sheet.contains("在外能人1") && sheet.contains("在外能人2"),
            "{sheet}"
        );
        assert!(sheet.contains("139****0001") && !sheet.contains("13900000001"));
        let theirs = changqing
            .get(app.url(&format!("{base}/invitations.xlsx")))
            .send()
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap();
        assert!(
            !sheet_cells(&theirs, "\n").contains("在外能人"),
            "scoped export"
        );
        let (status, page) = get(&changqing, &app, &base).await;
        assert_eq!(status, 200);
        assert!(!page.contains("在外能人1"), "scoped page");
        let (_, json) = get(
            &changqing,
            &app,
            &format!("/api/v1/events/{event}/invitations"),
        )
        .await;
        let json: Value = serde_json::from_str(&json).unwrap();
        assert_eq!(json["invitations"].as_array().unwrap().len(), 0);
        let (_, json) = get(
            &jinghe,
            &app,
            &format!("/api/v1/events/{event}/invitations"),
        )
        .await;
        let json: Value = serde_json::from_str(&json).unwrap();
        assert_eq!(json["invitations"].as_array().unwrap().len(), 2);

        // After the event: attendance for a person not invited is refused naming them.
        let after =
            chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2025, 11, 10, 2, 0, 0).unwrap();
        app.db.clock.set(after);
        // A month on, the sessions have timed out: sign in again.
        let jinghe = app.client();
        assert_eq!(
            app.login(&jinghe, "jinghe01", STAFF_PASSWORD)
                .await
                .status(),
            303
        );
        let tf = app.client();
        assert_eq!(
            app.login(&tf, "zhuanban", STAFF_PASSWORD).await.status(),
            303
        );
        let changqing = app.client();
        assert_eq!(
            app.login(&changqing, "changqing01", STAFF_PASSWORD)
                .await
                .status(),
            303
        );
        let (status, _, page) = post(
            &jinghe,
            &app,
            &format!("{base}/attendance"),
            &[
                (&*format!("attended_{}", ids[1]), "1"),
                (&*format!("outcome_{}", ids[1]), "business"),
                (&*format!("attended_{}", ids[3]), "1"),
                (&*format!("outcome_{}", ids[3]), "work"),
            ],
        )
        .await;
        assert_eq!(status, 422);
        assert!(
            page.contains(&format!("人员 {} 未受邀参加本次活动", ids[3])),
            "{page}"
        );
        let (status, _, _) = post(
            &jinghe,
            &app,
            &format!("{base}/attendance"),
            &[
                (&*format!("attended_{}", ids[1]), "1"),
                (&*format!("outcome_{}", ids[1]), "business"),
                (&*format!("note_{}", ids[1]), "考察柏泉茅庙集"),
                (&*format!("attended_{}", ids[2]), "0"),
            ],
        )
        .await;
        assert_eq!(status, 303);
        let (_, page) = get(&jinghe, &app, &format!("/people/migrants/{}", ids[1])).await;
        assert!(page.contains("径河街道赴深圳返区创业推介会"), "{page}");
        assert!(
            page.contains("参加 · 有意向返乡创业（考察柏泉茅庙集）"),
            "{page}"
        );
        let (_, public) = get(&app.client(), &app, &format!("/events/{event}")).await;
        assert!(public.contains("<dt>参加人数</dt><dd>1</dd>"), "{public}");

        // 2.5.1's drill-down lists the event for 径河, and the coastal one.
        for code in ["2.5.1.promotion_events", "2.5.1.coastal_event"] {
            let (status, page) = get(
                &tf,
                &app,
                &format!("/indicators/{code}/sources?unit=jinghe&year=2025"),
            )
            .await;
            assert_eq!(status, 200);
            assert!(
                page.contains("径河街道赴深圳返区创业推介会"),
                "{code}: {page}"
            );
        }
        // A street outside the event cannot invite to it.
        let (status, _, _) = post(
            &changqing,
            &app,
            &format!("{base}/invitations"),
            &[("person", ids[4].clone())],
        )
        .await;
        assert_eq!(status, 403);
    }
}

#[tokio::test]
async fn a_street_adds_a_person_of_a_neighbouring_district_as_a_target() {
    for app in spawn_apps(&TestClock::at(2025, 10, 10, 2)).await {
        let jinghe = logged_in(&app, "jinghe01", Role::UnitStaff, Some("jinghe")).await;
        let (status, page) = get(&jinghe, &app, "/staff/promotion/neighbours").await;
        assert_eq!(status, 200);
        assert!(page.contains("<label for=\"home_district\">户籍所在区</label>"));
        let form = |district: &str, street: &str| -> Vec<(&'static str, String)> {
            [
                ("name", "黄陂能人"),
                ("id_number", "420116199001010039"),
                ("phone", "13900009999"),
                ("home_district", district),
                ("street", street),
                ("province", "广东"),
                ("city", "东莞"),
                ("section", "C"),
                ("years_away", "5"),
                ("intention", "business"),
                ("business_field", "电子元器件"),
                ("consent", "1"),
            ]
            .iter()
            .map(|(k, v)| (*k, (*v).to_owned()))
            .collect()
        };
        let (status, _, page) = post(
            &jinghe,
            &app,
            "/staff/promotion/neighbours",
            &form("洪山区", "jinghe"),
        )
        .await;
        assert_eq!(status, 422);
        assert!(page.contains("<strong>户籍所在区</strong>"), "{page}");
        let (status, _, _) = post(
            &jinghe,
            &app,
            "/staff/promotion/neighbours",
            &form("黄陂区", "changqing"),
        )
        .await;
        assert_eq!(status, 403);
        let (status, location, _) = post(
            &jinghe,
            &app,
            "/staff/promotion/neighbours",
            &form("黄陂区", "jinghe"),
        )
        .await;
        assert_eq!(status, 303, "{location}");
        let (_, page) = get(&jinghe, &app, &location).await;
        assert!(page.contains("黄陂区（周边区域推介对象）"), "{page}");
        assert!(
            page.contains("<dt>负责街道</dt><dd>径河街道</dd>"),
            "{page}"
        );
    }
}
