//! Mentoring of returnee businesses (跟踪陪跑, 2.3.2) over HTTP, on each backend: the dashboard
//! shows 2.3.2 as an activity with its count and 无目标值, and its drill-down leads to the rows;
//! a street opens a mentoring from its business's page, bad input comes back named beside the
//! form with nothing written, and the plan, visits, financing contacts and end follow on the
//! mentoring's page; a street reading another street's mentoring gets 403 and an audit row on
//! the page, the export and the API; the business's and the founder's pages list the mentoring.

use crate::common;

use common::{App, hidden, spawn_apps};
use linkong_core::access::{Actor, Role, Roster};
use linkong_core::businesses::BusinessDraft;
use linkong_core::experts::ExpertDraft;
use linkong_core::mentoring::MentoringDraft;
use linkong_testkit::{
    TestClock, account, import_rows, plan, resident_id_for, uscc_for, would_be_founder,
};
use serde_json::Value;

const PASSWORD: &str = "Mentor#2025x";

fn business(n: usize, street: &str) -> BusinessDraft {
    BusinessDraft {
        name: format!("湖畔预制菜工坊{n}号"),
        uscc: uscc_for(n),
        licensed_on: "2025-03-01".into(),
        legal_form: "small_micro".into(),
        section: "C".into(),
        forms: vec!["modern_agriculture".into()],
        street: street.into(),
        site: String::new(),
        founders: resident_id_for(n),
        keep_founders: false,
    }
}

fn expert(name: &str, status: &str) -> ExpertDraft {
    ExpertDraft {
        name: name.into(),
        field: "金融".into(),
        organisation: "临空港天使投资基金".into(),
        title: "合伙人".into(),
        services: vec!["resources".into()],
        availability: "每周五".into(),
        phone: "13812345678".into(),
        intro: String::new(),
        consents: vec!["name".into()],
        status: status.into(),
    }
}

/// Businesses 1 (径河) and 2 (长青), each founded by the resident of the same number; an
/// expert in the pool and one who left; a mentoring of business 2 opened by 长青.
struct Filled {
    jinghe_business: i64,
    changqing_business: i64,
    expert: i64,
    retired: i64,
    changqing_mentoring: i64,
    /// The founder of business 2.
    changqing_founder: i64,
}

async fn fill(app: &App) -> Filled {
    let store = &app.db.store;
    let plan = plan();
    let rows = vec![
        would_be_founder(1, "陪跑创业者", "径河"),
        would_be_founder(2, "陪跑创业者", "长青"),
    ];
    import_rows(store, "rsj", Roster::Migrants, rows, true)
        .await
        .unwrap()
        .unwrap();
    let jinghe: Actor = account(store, "jinghe_fill", Role::UnitStaff, Some("jinghe")).await;
    let changqing: Actor =
        account(store, "changqing_fill", Role::UnitStaff, Some("changqing")).await;
    let rsj: Actor = account(store, "rsj_fill", Role::UnitStaff, Some("rsj")).await;
    let jinghe_business = store
        .save_business(&plan, &jinghe, None, &business(1, "jinghe"), "")
        .await
        .unwrap();
    let changqing_business = store
        .save_business(&plan, &changqing, None, &business(2, "changqing"), "")
        .await
        .unwrap();
    let expert = store
        .add_expert(&plan, &rsj, &expert("钱投资", ""), "")
        .await
        .unwrap();
    let retired = store
        .add_expert(&plan, &rsj, &self::expert("孙退休", "retired"), "")
        .await
        .unwrap();
    let draft = MentoringDraft {
        business: changqing_business.to_string(),
        chosen_for: "street_referral".into(),
        started_on: "2025-05-01".into(),
        instructor_name: "周指导".into(),
        instructor_organisation: "长青街道创业服务站".into(),
        ..MentoringDraft::default()
    };
    let changqing_mentoring = store
        .open_mentoring(&plan, &changqing, &draft, "")
        .await
        .unwrap();
    let changqing_founder = store
        .business(&plan, &changqing, changqing_business, "")
        .await
        .unwrap()
        .business
        .founders[0]
        .person_id;
    Filled {
        changqing_founder,
        jinghe_business,
        changqing_business,
        expert,
        retired,
        changqing_mentoring,
    }
}

async fn logged_in(app: &App, username: &str, role: Role, unit: Option<&str>) -> reqwest::Client {
    app.user(username, role, unit, PASSWORD, false).await;
    let client = app.client();
    assert_eq!(app.login(&client, username, PASSWORD).await.status(), 303);
    client
}

async fn get(client: &reqwest::Client, app: &App, path: &str) -> (u16, String) {
    let response = client.get(app.url(path)).send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.text().await.unwrap())
}

async fn post(
    client: &reqwest::Client,
    app: &App,
    path: &str,
    fields: &[(&str, &str)],
) -> (u16, String, String) {
    let response = client
        .post(app.url(path))
        .header("Origin", &app.base)
        .form(fields)
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
async fn the_dashboard_shows_2_3_2_as_an_activity_and_its_drill_down_lists_the_mentorings() {
    for app in spawn_apps(&TestClock::at(2025, 10, 10, 2)).await {
        fill(&app).await;
        let client = logged_in(&app, "zhuanban", Role::TaskForce, None).await;
        let (status, page) = get(&client, &app, "/dashboard?year=2025").await;
        assert_eq!(status, 200);
        let row = row_of(&page, "跟踪陪跑返区创业项目");
        assert!(row.contains("无目标值"), "{row}");
        assert!(row.contains(">1个</a>"), "one mentoring: {row}");
        let task = row_of(&page, "2.3.2 提供专业指导服务");
        assert!(!task.contains("无量化指标"), "{task}");
        let response = client
            .get(app.url("/indicators/2.3.2.mentorings/sources?unit=changqing&year=2025"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 303);
        let location = response.headers()["location"].to_str().unwrap().to_owned();
        assert_eq!(location, "/staff/mentoring?year=2025&unit=changqing");
        let (status, rows) = get(&client, &app, &location).await;
        assert_eq!(status, 200);
        assert!(
            rows.contains("湖畔预制菜工坊2号") && rows.contains("周指导"),
            "{rows}"
        );
        let (_, none) = get(&client, &app, "/staff/mentoring?year=2025&unit=jinghe").await;
        assert!(!none.contains("湖畔预制菜工坊2号"));
    }
}

#[tokio::test]
async fn a_street_opens_a_mentoring_from_its_business_and_bad_input_is_named_beside_the_form() {
    for app in spawn_apps(&TestClock::at(2025, 10, 10, 2)).await {
        let filled = fill(&app).await;
        let street = logged_in(&app, "jinghe01", Role::UnitStaff, Some("jinghe")).await;
        let (status, page) = get(
            &street,
            &app,
            &format!("/staff/businesses/{}", filled.jinghe_business),
        )
        .await;
        assert_eq!(status, 200);
        let link = format!("/staff/mentoring/new?business={}", filled.jinghe_business);
        assert!(page.contains(&link), "the open form is reachable: {page}");
        let (status, form) = get(&street, &app, &link).await;
        assert_eq!(status, 200);
        for label in [
            "创业主体",
            "选定原因",
            "开始日期",
            "专业人才库专家",
            "创业指导员姓名",
        ] {
            assert!(form.contains(&format!("\">{label}")), "{label} labelled");
        }
        let chosen = format!("<option value=\"{}\" selected>", filled.jinghe_business);
        assert!(form.contains(&chosen), "the business is picked");
        assert!(
            !form.contains("湖畔预制菜工坊2号"),
            "not another street's business"
        );
        let csrf = hidden(&form, "csrf");
        let business = filled.jinghe_business.to_string();
        let (expert, retired) = (filled.expert.to_string(), filled.retired.to_string());
        let open = |started: &'static str, expert: String| {
            let fields = [
                ("csrf", csrf.clone()),
                ("business", business.clone()),
                ("chosen_for", "street_referral".to_owned()),
                ("started_on", started.to_owned()),
                ("expert", expert),
                ("fund_joins", "1".to_owned()),
            ];
            let street = &street;
            let app = &app;
            async move {
                let fields: Vec<(&str, &str)> =
                    fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
                post(street, app, "/staff/mentoring", &fields).await
            }
        };
        let bad = [
            (
                open("2025-06-01", String::new()).await,
                "<strong>创业导师</strong>：请从专业人才库选择专家",
            ),
            (
                open("2025-06-01", retired).await,
                "<strong>创业导师</strong>：该专家已退出专业人才库",
            ),
            (
                open("2025-10-11", expert.clone()).await,
                "<strong>开始日期</strong>：2025-10-11 晚于今天",
            ),
        ];
        for ((status, _, page), message) in bad {
            assert_eq!(status, 422, "{message}");
            assert!(page.contains(message), "{message}: {page}");
        }
        let (_, listed) = get(&street, &app, "/staff/mentoring").await;
        assert!(!listed.contains("湖畔预制菜工坊1号"), "nothing written");

        let (status, location, _) = open("2025-06-01", expert).await;
        assert_eq!(status, 303);
        assert!(location.starts_with("/staff/mentoring/"), "{location}");
        let path = location.split('?').next().unwrap().to_owned();
        let (_, page) = get(&street, &app, &path).await;
        assert!(
            page.contains("钱投资") && page.contains("区基金公司</dt><dd>参与"),
            "{page}"
        );
        follow_the_plan(&app, &street, &path, &csrf).await;
    }
}

/// A form's fields as sent.
type Fields<'a> = Vec<(&'a str, &'a str)>;

/// The plan, a visit, a financing contact and the end on the mentoring's page at `path`, each
/// wrong input named beside its form first.
async fn follow_the_plan(app: &App, client: &reqwest::Client, path: &str, csrf: &str) {
    let steps: [(&str, Fields, &str); 3] = [
        (
            "milestones",
            vec![("title", "完成食品生产许可"), ("due_on", "2025-05-31")],
            "<strong>计划完成日期</strong>：2025-05-31 早于陪跑开始日期 2025-06-01",
        ),
        (
            "visits",
            vec![
                ("visited_on", "2025-10-11"),
                ("visitor", "径河街道 吴干事"),
                ("problems_raised", "冷库不够用"),
            ],
            "<strong>走访日期</strong>：2025-10-11 晚于今天",
        ),
        (
            "end",
            vec![("outcome", ""), ("ended_on", "2025-10-10")],
            "<strong>结束结果</strong>：请选择结束结果",
        ),
    ];
    for (action, fields, message) in steps {
        let mut fields = fields;
        fields.push(("csrf", csrf));
        let (status, _, page) = post(client, app, &format!("{path}/{action}"), &fields).await;
        assert_eq!(status, 422, "{action}");
        assert!(page.contains(message), "{action}: {page}");
    }
    let good: [(&str, Fields); 4] = [
        (
            "milestones",
            vec![("title", "完成食品生产许可"), ("due_on", "2025-12-31")],
        ),
        (
            "visits",
            vec![
                ("visited_on", "2025-07-01"),
                ("visitor", "径河街道 吴干事"),
                ("problems_raised", "冷库不够用"),
                ("problems_solved", "协调临空港冷链园区库位"),
            ],
        ),
        (
            "financing",
            vec![
                ("contacted_on", "2025-08-01"),
                ("funder", "临空港天使投资基金"),
                ("amount", "150"),
                ("result", "negotiating"),
            ],
        ),
        (
            "end",
            vec![("outcome", "partial"), ("ended_on", "2025-10-10")],
        ),
    ];
    for (action, fields) in good {
        let mut fields = fields;
        fields.push(("csrf", csrf));
        let (status, _, page) = post(client, app, &format!("{path}/{action}"), &fields).await;
        assert_eq!(status, 303, "{action}: {page}");
    }
    let (_, page) = get(client, app, path).await;
    assert!(
        page.contains("协调临空港冷链园区库位") && page.contains("150"),
        "{page}"
    );
    assert!(
        page.contains("部分达成") && page.contains("2025-10-10 结束"),
        "{page}"
    );
    assert!(!page.contains("登记走访"), "no visit form once ended");
    let (status, _, _) = post(
        client,
        app,
        &format!("{path}/visits"),
        &[
            ("csrf", csrf),
            ("visited_on", "2025-10-10"),
            ("visitor", "吴干事"),
            ("problems_raised", "回访"),
        ],
    )
    .await;
    assert_eq!(status, 409, "nothing after the end");
}

#[tokio::test]
async fn a_street_reading_another_streets_mentoring_gets_403_and_an_audit_row() {
    for app in spawn_apps(&TestClock::at(2025, 10, 10, 2)).await {
        let filled = fill(&app).await;
        let street = logged_in(&app, "jinghe01", Role::UnitStaff, Some("jinghe")).await;
        let theirs = format!("/staff/mentoring/{}", filled.changqing_mentoring);
        assert_eq!(get(&street, &app, &theirs).await.0, 403);
        let audit = &app.db.store.recent_audit(1).await.unwrap()[0];
        assert_eq!(audit.action, "access.denied");
        assert_eq!(
            audit.target,
            format!("mentoring:{}", filled.changqing_mentoring)
        );
        let (_, listed) = get(&street, &app, "/staff/mentoring").await;
        assert!(!listed.contains("湖畔预制菜工坊2号"));
        for path in [
            "/staff/mentoring?street=changqing",
            "/staff/mentoring/export.xlsx?street=changqing",
        ] {
            assert_eq!(get(&street, &app, path).await.0, 403, "{path}");
        }
        // Opening one for another street's business: refused, audited, nothing written.
        let csrf = app.csrf(&street).await;
        let other = filled.changqing_business.to_string();
        let (status, _, _) = post(
            &street,
            &app,
            "/staff/mentoring",
            &[
                ("csrf", csrf.as_str()),
                ("business", other.as_str()),
                ("chosen_for", "other"),
                ("chosen_note", "越权"),
                ("started_on", "2025-06-01"),
                ("instructor_name", "某人"),
                ("instructor_organisation", "某单位"),
            ],
        )
        .await;
        assert_eq!(status, 403);
        let audit = &app.db.store.recent_audit(1).await.unwrap()[0];
        assert_eq!(
            audit.target,
            format!("business:{}", filled.changqing_business)
        );
        // The owner street reads it, and the founder's and the business's pages list it.
        let owner = logged_in(&app, "changqing01", Role::UnitStaff, Some("changqing")).await;
        let (status, page) = get(&owner, &app, &theirs).await;
        assert_eq!(status, 200);
        assert!(page.contains("周指导") && page.contains("长青街道创业服务站"));
        let (_, business) = get(
            &owner,
            &app,
            &format!("/staff/businesses/{}", filled.changqing_business),
        )
        .await;
        assert!(business.contains(&theirs), "{business}");
        let founder = filled.changqing_founder;
        let (_, person) = get(&owner, &app, &format!("/people/migrants/{founder}")).await;
        assert!(
            person.contains(&theirs) && person.contains("跟踪陪跑"),
            "{person}"
        );
        // The export: the street's own.
        let export = owner
            .get(app.url("/staff/mentoring/export.xlsx"))
            .send()
            .await
            .unwrap();
        assert_eq!(export.status(), 200);
        assert!(sheet_text(&export.bytes().await.unwrap()).contains("湖畔预制菜工坊2号"));

        // The API: the street's token sees none of 长青's; another street's list is refused.
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
        let own: Value = api("/api/v1/mentorings")
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(own["mentorings"], serde_json::json!([]));
        assert_eq!(
            api("/api/v1/mentorings?street=changqing")
                .await
                .unwrap()
                .status(),
            403
        );
        assert_eq!(
            api("/api/v1/mentorings?status=paused")
                .await
                .unwrap()
                .status(),
            422
        );
        let rsj_token = {
            app.user("rsj_api", Role::UnitStaff, Some("rsj"), PASSWORD, false)
                .await;
            app.db
                .store
                .create_token(
                    "rsj_api",
                    "测试",
                    linkong_core::access::TokenScopes::of(&[
                        linkong_core::access::TokenScope::Registries,
                    ]),
                )
                .await
                .unwrap()
        };
        let all: Value = app
            .client()
            .get(app.url("/api/v1/mentorings?status=active"))
            .bearer_auth(&rsj_token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(all["mentorings"][0]["mentor_name"], "周指导");
        assert_eq!(all["mentorings"][0]["opened_by"], "changqing");
    }
}

/// Every cell of a workbook's first sheet, as text.
fn sheet_text(bytes: &[u8]) -> String {
    use calamine::{Reader, Xlsx};
    let mut workbook: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let range = workbook.worksheet_range_at(0).unwrap().unwrap();
    range
        .rows()
        .flat_map(|r| r.iter().map(|c| c.to_string()))
        .collect::<Vec<_>>()
        .join("\n")
}
