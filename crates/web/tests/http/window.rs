//! The expert pool (2.1.3) and the returnee service window (2.3.1) over HTTP, on each backend:
//! the dashboard shows both activity rows with their counts and 无目标值; the portal shows only
//! what an expert agreed to publish and never a phone; a returnee asks from the portal (CSRF,
//! bad input named) and the question waits at the window; a referral without a due date is
//! refused on the form; a street reading another street's visit gets 403 and an audit row,
//! on the page, the export and the API; the person's page lists their visits and expert services.

use crate::common;

use common::{App, get, hidden, logged_in, sheet_cells, spawn_apps};
use linkong_core::access::{Actor, Role, Roster};
use linkong_core::experts::{ExpertDraft, ServiceDraft};
use linkong_core::people::{MigrantDraft, PersonDraft, validate_migrant};
use linkong_core::window::VisitDraft;
use linkong_store::people::{ImportRow, RowData};
use linkong_testkit::{TestClock, account, date, import_rows, plan, resident_id_for};
use serde_json::Value;

const PASSWORD: &str = "Window#2025x";

fn migrant(n: usize, street: &str) -> ImportRow {
    let draft = MigrantDraft {
        person: PersonDraft {
            name: format!("返区人员{n}"),
            id_number: resident_id_for(n),
            street: street.into(),
            ..Default::default()
        },
        province: "浙江".into(),
        city: "杭州".into(),
        section: "I".into(),
        years_away: "4".into(),
        intention: "返区创业".into(),
        business_field: "直播电商".into(),
        contact_consent: "是".into(),
        surveyed_on: "2025-02-01".into(),
        ..Default::default()
    };
    ImportRow {
        row: n + 1,
        sealed: None,
        data: RowData::Migrant(validate_migrant(&plan(), &draft, date(2025, 10, 10)).unwrap()),
    }
}

fn expert() -> ExpertDraft {
    ExpertDraft {
        name: "周电商".into(),
        field: "电子商务".into(),
        organisation: "武汉临空港直播基地".into(),
        title: "运营总监".into(),
        services: vec!["marketing".into(), "branding".into()],
        availability: "周末".into(),
        phone: "13812345678".into(),
        intro: "带过三十个农产品直播间".into(),
        consents: vec!["name".into(), "field".into(), "services".into()],
        status: String::new(),
    }
}

fn visit(n: usize, referred: bool) -> VisitDraft {
    VisitDraft {
        id_number: resident_id_for(n),
        visited_on: "2025-10-09".into(),
        topic: "财税金融".into(),
        question: "开直播间要怎么报税？".into(),
        answer: "小规模纳税人月销售额 10 万元以下免征增值税。".into(),
        referred_to: if referred {
            "shuiwuj".into()
        } else {
            String::new()
        },
        due_on: if referred {
            "2025-10-20".into()
        } else {
            String::new()
        },
        ..VisitDraft::default()
    }
}

/// What the tests below find in the database: residents 1 (径河) and 2 (长青), an expert of
/// 商务局 with two services, and a visit of each resident logged by 行政审批局.
struct Filled {
    expert: i64,
    jinghe_visit: i64,
    changqing_visit: i64,
}

async fn fill(app: &App) -> Filled {
    let store = &app.db.store;
    let plan = plan();
    let rows = vec![migrant(1, "径河"), migrant(2, "长青")];
    import_rows(store, "rsj", Roster::Migrants, rows, true)
        .await
        .unwrap()
        .unwrap();
    let swj: Actor = account(store, "swj_fill", Role::UnitStaff, Some("swj")).await;
    let xzspj: Actor = account(store, "xzspj_fill", Role::UnitStaff, Some("xzspj")).await;
    let expert = store.add_expert(&plan, &swj, &expert(), "").await.unwrap();
    for (n, day) in [(1, "2025-09-01"), (2, "2025-09-15")] {
        let service = ServiceDraft {
            id_number: resident_id_for(n),
            served_on: day.into(),
            kind: "marketing".into(),
            hours: "3".into(),
            outcome: "开通抖音小店并完成首场直播".into(),
        };
        store
            .record_expert_service(&plan, &swj, expert, &service, "")
            .await
            .unwrap();
    }
    let jinghe_visit = store
        .log_visit(&plan, &xzspj, &visit(1, true), "")
        .await
        .unwrap();
    let changqing_visit = store
        .log_visit(&plan, &xzspj, &visit(2, false), "")
        .await
        .unwrap();
    Filled {
        expert,
        jinghe_visit,
        changqing_visit,
    }
}

/// The dashboard's table row of the indicator named `name`.
fn row_of<'a>(page: &'a str, name: &str) -> &'a str {
    let at = page
        .find(name)
        .unwrap_or_else(|| panic!("{name} on the dashboard"));
    let start = page[..at].rfind("<tr>").unwrap();
    let end = at + page[at..].find("</tr>").unwrap();
    &page[start..end]
}

#[tokio::test]
async fn the_dashboard_shows_2_1_3_and_2_3_1_with_their_counts_and_no_target() {
    for app in spawn_apps(&TestClock::at(2025, 10, 10, 2)).await {
        fill(&app).await;
        let client = logged_in(&app, "zhuanban", Role::TaskForce, None).await;
        let (status, page) = get(&client, &app, "/dashboard?year=2025").await;
        assert_eq!(status, 200);
        let experts = row_of(&page, "专业人才库专家为返区创业者提供服务");
        assert!(experts.contains("无目标值"), "{experts}");
        assert!(experts.contains(">2次</a>"), "two services: {experts}");
        let window = row_of(&page, "“返乡创业服务专窗”接待咨询");
        assert!(window.contains("无目标值"), "{window}");
        assert!(window.contains(">2次</a>"), "two visits: {window}");
        // The drill-down leads to the rows of the unit and year.
        let response = client
            .get(app.url("/indicators/2.3.1.window_visits/sources?unit=xzspj&year=2025"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 303);
        let location = response.headers()["location"].to_str().unwrap().to_owned();
        let (status, rows) = get(&client, &app, &location).await;
        assert_eq!(status, 200);
        assert!(rows.contains("开直播间要怎么报税？"), "{rows}");
        let (_, services) = get(&client, &app, "/staff/experts/services?year=2025&unit=swj").await;
        assert_eq!(services.matches("开通抖音小店").count(), 2);
    }
}

#[tokio::test]
async fn the_portal_shows_only_what_the_expert_agreed_to_publish_and_never_a_phone() {
    for app in spawn_apps(&TestClock::at(2025, 10, 10, 2)).await {
        let filled = fill(&app).await;
        let visitor = app.client();
        for path in [
            "/experts".to_owned(),
            format!("/experts/{}", filled.expert),
            "/api/v1/experts".to_owned(),
        ] {
            let (status, page) = get(&visitor, &app, &path).await;
            assert_eq!(status, 200, "{path}");
            assert!(page.contains("周电商"), "{path}");
            assert!(
                !page.contains("直播基地"),
                "organisation not agreed to: {path}"
            );
            assert!(!page.contains("带过三十个"), "intro not agreed to: {path}");
            assert!(
                !page.contains("13812345678") && !page.contains("5678"),
                "{path}"
            );
        }
        let api: Value = visitor
            .get(app.url("/api/v1/experts?field=ecommerce"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let found = &api["experts"][0];
        assert_eq!(found["organisation"], Value::Null);
        assert_eq!(found["field"], "ecommerce");
        assert_eq!(
            found["services"],
            serde_json::json!(["marketing", "branding"])
        );
        let (status, _) = get(&visitor, &app, "/api/v1/experts?field=占卜").await;
        assert_eq!(status, 422);
        // Staff see the phone masked only.
        let staff = logged_in(&app, "jinghe01", Role::UnitStaff, Some("jinghe")).await;
        let (_, page) = get(&staff, &app, &format!("/staff/experts/{}", filled.expert)).await;
        assert!(page.contains("138****5678") && !page.contains("13812345678"));
    }
}

#[tokio::test]
async fn a_returnee_asks_from_the_portal_and_the_question_waits_at_the_window() {
    for app in spawn_apps(&TestClock::at(2025, 10, 10, 2)).await {
        let filled = fill(&app).await;
        let visitor = app.client();
        let (status, page) = get(
            &visitor,
            &app,
            &format!("/window/ask?expert={}", filled.expert),
        )
        .await;
        assert_eq!(status, 200);
        assert!(
            page.contains("希望请专家周电商"),
            "the question names the expert"
        );
        let csrf = hidden(&page, "csrf");
        let ask = |csrf: String, phone: &'static str| {
            visitor
                .post(app.url("/window/ask"))
                .header("Origin", &app.base)
                .form(&[
                    ("csrf", csrf.as_str()),
                    ("name", "孙返乡"),
                    ("phone", phone),
                    ("street", "jinghe"),
                    ("topic", "guidance"),
                    ("question", "希望请专家指导直播带货"),
                ])
                .send()
        };
        assert_eq!(
            ask(String::new(), "13700001111").await.unwrap().status(),
            403
        );
        let refused = ask(csrf, "").await.unwrap();
        assert_eq!(refused.status(), 422);
        let again = refused.text().await.unwrap();
        assert!(again.contains("<strong>联系电话</strong>"), "{again}");
        // The form comes back with what was typed and a fresh token.
        assert!(again.contains("希望请专家指导直播带货"));
        let asked = ask(hidden(&again, "csrf"), "13700001111").await.unwrap();
        assert_eq!(asked.status(), 200);
        assert!(asked.text().await.unwrap().contains("已收到您的问题"));

        let window = logged_in(&app, "xzspj01", Role::UnitStaff, Some("xzspj")).await;
        let (_, waiting) = get(&window, &app, "/staff/window?listed=awaiting").await;
        assert!(
            waiting.contains("孙返乡") && waiting.contains("待答复"),
            "{waiting}"
        );
        assert!(!waiting.contains("13700001111"));
        // The street the walk-in gave reads it too.
        let street = logged_in(&app, "jinghe01", Role::UnitStaff, Some("jinghe")).await;
        let (_, listed) = get(&street, &app, "/staff/window").await;
        assert!(listed.contains("孙返乡"));
    }
}

#[tokio::test]
async fn a_referral_without_a_due_date_is_refused_on_the_form_naming_the_field() {
    for app in spawn_apps(&TestClock::at(2025, 10, 10, 2)).await {
        let window = logged_in(&app, "xzspj01", Role::UnitStaff, Some("xzspj")).await;
        let (_, form) = get(&window, &app, "/staff/window/new").await;
        let csrf = hidden(&form, "csrf");
        let response = window
            .post(app.url("/staff/window"))
            .header("Origin", &app.base)
            .form(&[
                ("csrf", csrf.as_str()),
                ("name", "李来访"),
                ("visited_on", "2025-10-09"),
                ("topic", "land"),
                ("question", "厂房租赁有补贴吗？"),
                ("answer", "转区经科局核实。"),
                ("referred_to", "jkj"),
                ("due_on", ""),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 422);
        let page = response.text().await.unwrap();
        assert!(
            page.contains("<strong>办结期限</strong>：转办须填写办结期限"),
            "{page}"
        );
        let (_, listed) = get(&window, &app, "/staff/window").await;
        assert!(!listed.contains("李来访"), "nothing written");
    }
}

#[tokio::test]
async fn a_street_reading_another_streets_visit_gets_403_and_an_audit_row() {
    for app in spawn_apps(&TestClock::at(2025, 10, 10, 2)).await {
        let filled = fill(&app).await;
        let street = logged_in(&app, "jinghe01", Role::UnitStaff, Some("jinghe")).await;
        let (status, own) = get(
            &street,
            &app,
            &format!("/staff/window/{}", filled.jinghe_visit),
        )
        .await;
        assert_eq!(status, 200);
        assert!(own.contains("返区人员1"));
        let (status, _) = get(
            &street,
            &app,
            &format!("/staff/window/{}", filled.changqing_visit),
        )
        .await;
        assert_eq!(status, 403);
        let audit = &app.db.store.recent_audit(1).await.unwrap()[0];
        assert_eq!(audit.action, "access.denied");
        assert_eq!(
            audit.target,
            format!("window_visit:{}", filled.changqing_visit)
        );
        let (_, listed) = get(&street, &app, "/staff/window").await;
        assert!(listed.contains("返区人员1") && !listed.contains("返区人员2"));
        // The forms of the keepers and of the experts' units are not a street's.
        for path in [
            "/staff/window/new".to_owned(),
            "/staff/experts/new".to_owned(),
            format!("/staff/experts/{}/edit", filled.expert),
        ] {
            assert_eq!(get(&street, &app, &path).await.0, 403, "{path}");
        }
        let denied = &app.db.store.recent_audit(1).await.unwrap()[0];
        assert_eq!(denied.target, format!("expert:{}", filled.expert));
        // The export: its own residents only, numbers masked; another street refused.
        let export = street
            .get(app.url("/staff/window/export.xlsx?year=2025"))
            .send()
            .await
            .unwrap();
        assert_eq!(export.status(), 200);
        let text = sheet_cells(&export.bytes().await.unwrap(), "\n");
        assert!(
            text.contains("返区人员1") && !text.contains("返区人员2"),
            "{text}"
        );
        assert!(!text.contains(&resident_id_for(1)), "IDs masked");
        assert_eq!(
            get(&street, &app, "/staff/window/export.xlsx?street=changqing")
                .await
                .0,
            403
        );

        // The API: a token of the street sees its own only; another street is refused.
        app.user(
            "jinghe_api",
            Role::UnitStaff,
            Some("jinghe"),
            PASSWORD,
            false,
        )
        .await;
        let token = app
            .db
            .store
            .create_token(
                "jinghe_api",
                "测试",
                linkong_core::access::TokenScopes::of(&[
                    linkong_core::access::TokenScope::Registries,
                ]),
            )
            .await
            .unwrap();
        let api = |path: &'static str| app.client().get(app.url(path)).bearer_auth(&token).send();
        let own: Value = api("/api/v1/window/visits")
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(own["total"], 1);
        // Through a token, people's names come masked.
        assert_eq!(own["visits"][0]["name"], "返****");
        assert!(
            own["visits"][0]["id_masked"]
                .as_str()
                .unwrap()
                .contains("****")
        );
        let other = api("/api/v1/window/visits?street=changqing").await.unwrap();
        assert_eq!(other.status(), 403);
        let audit = &app.db.store.recent_audit(1).await.unwrap()[0];
        assert_eq!(audit.target, "street:changqing");
    }
}

#[tokio::test]
async fn the_persons_page_lists_their_window_visits_and_expert_services() {
    for app in spawn_apps(&TestClock::at(2025, 10, 10, 2)).await {
        fill(&app).await;
        let street = logged_in(&app, "jinghe01", Role::UnitStaff, Some("jinghe")).await;
        let (_, list) = get(&street, &app, "/people/migrants").await;
        let marker = "\">返区人员1</a>";
        let end = list.find(marker).expect("resident 1 listed");
        let start = list[..end].rfind('/').unwrap() + 1;
        let (status, page) = get(
            &street,
            &app,
            &format!("/people/migrants/{}", &list[start..end]),
        )
        .await;
        assert_eq!(status, 200);
        assert!(page.contains("专窗咨询和专家服务"));
        assert!(page.contains("2025-10-09 · 财税金融"), "the window visit");
        assert!(
            page.contains("周电商") && page.contains("市场营销"),
            "the service"
        );
        assert!(
            !page.contains("2025-09-15"),
            "resident 2's service is not theirs"
        );
    }
}

#[tokio::test]
async fn an_experts_and_a_walk_ins_whole_phone_are_shown_only_to_those_allowed_and_audited() {
    for app in spawn_apps(&TestClock::at(2025, 10, 10, 2)).await {
        let filled = fill(&app).await;
        let xzspj = account(&app.db.store, "xzspj_walk", Role::UnitStaff, Some("xzspj")).await;
        let walk_in = VisitDraft {
            name: "赵强".into(),
            phone: "13700001111".into(),
            street: "jinghe".into(),
            visited_on: "2025-10-09".into(),
            topic: "policy".into(),
            question: "开网店能申请哪些补贴？".into(),
            answer: "一次性创业补贴，需营业执照满 6 个月。".into(),
            ..VisitDraft::default()
        };
        let visit = app
            .db
            .store
            .log_visit(&plan(), &xzspj, &walk_in, "")
            .await
            .unwrap();
        let staff = logged_in(&app, "xzspj01", Role::UnitStaff, Some("xzspj")).await;
        let expert_page = format!("/staff/experts/{}", filled.expert);
        let visit_page = format!("/staff/window/{visit}");
        for page in [&expert_page, &visit_page] {
            let (status, html) = get(&staff, &app, page).await;
            assert_eq!(status, 200, "{page}");
            assert!(
                !html.contains("显示完整号码"),
                "no button without the permission: {page}"
            );
            assert!(html.contains("****"), "masked: {page}");
        }
        let csrf = app.csrf(&staff).await;
        let unmask = |client: &reqwest::Client, page: &str| {
            client
                .post(app.url(&format!("{page}/unmask")))
                .header("Origin", &app.base)
                .form(&[("csrf", csrf.clone())])
                .send()
        };
        for page in [&expert_page, &visit_page] {
            assert_eq!(unmask(&staff, page).await.unwrap().status(), 403, "{page}");
        }

        common::grant_unmask(&app, "xzspj01").await;
        let (_, html) = get(&staff, &app, &expert_page).await;
        assert!(html.contains("显示完整号码"));
        let shown = unmask(&staff, &expert_page)
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(shown.contains("13812345678"), "{shown}");
        let (_, html) = get(&staff, &app, &visit_page).await;
        assert!(html.contains("显示完整号码"));
        let shown = unmask(&staff, &visit_page)
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(shown.contains("13700001111"), "{shown}");
        // A registered visitor's numbers are on their page in the registry, not here.
        let registered = format!("/staff/window/{}", filled.jinghe_visit);
        assert_eq!(unmask(&staff, &registered).await.unwrap().status(), 409);

        let audit = app.db.store.recent_audit(30).await.unwrap();
        for action in ["expert.unmask", "window_visit.unmask"] {
            assert!(
                audit
                    .iter()
                    .any(|a| a.action == action && a.actor == "xzspj01"),
                "{action} audited"
            );
        }
        let refused = audit
            .iter()
            .filter(|a| a.action == "access.denied" && a.actor == "xzspj01")
            .count();
        assert_eq!(refused, 2, "both refusals audited");
    }
}
