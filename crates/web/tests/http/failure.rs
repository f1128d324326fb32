//! Failure support (2.3.4) over HTTP, on each backend: closing a business on its page opens the
//! founders' cases; the dashboard shows 2.3.4's activity row with its count and 无目标值 and
//! drills down to the steps; bad steps, closings and openings are refused on the form naming
//! the field and write nothing; a street reading another street's case gets 403 and an audit
//! row, on the page, the export and the API; the person's and the business's pages list the case.

use crate::common;

use common::{App, STAFF_PASSWORD, get, logged_in, post, sheet_cells, spawn_apps};
use linkong_core::access::{Actor, Role, Roster};
use linkong_core::businesses::BusinessDraft;
use linkong_core::failure::StepDraft;
use linkong_store::failure::CaseFilter;
use linkong_testkit::{
    TestClock, account, import_rows, plan, resident_id_for, uscc_for, would_be_founder,
};
use serde_json::Value;

fn business(n: usize, founders: &[usize]) -> BusinessDraft {
    BusinessDraft {
        name: format!("径河小商品直播{n}号店"),
        uscc: uscc_for(n),
        licensed_on: "2025-03-01".into(),
        legal_form: "individual_business".into(),
        section: "F".into(),
        forms: vec!["live_commerce".into()],
        street: "径河".into(),
        site: "径河街道".into(),
        founders: founders
            .iter()
            .map(|n| resident_id_for(*n))
            .collect::<Vec<_>>()
            .join("\n"),
        keep_founders: false,
    }
}

/// Residents 1 and 2 (径河), 3 (长青); a business of 径河 founded by 1 and 2, closed, and the
/// case of resident 1 with two steps done (区人社局, 区民政局) and one overdue (区人社局).
struct Filled {
    business: i64,
    case: i64,
    person: i64,
}

async fn fill(app: &App) -> Filled {
    let store = &app.db.store;
    let plan = plan();
    let rows = vec![
        would_be_founder(1, "返区人员", "径河"),
        would_be_founder(2, "返区人员", "径河"),
        would_be_founder(3, "返区人员", "长青"),
    ];
    import_rows(store, "rsj", Roster::Migrants, rows, true)
        .await
        .unwrap()
        .unwrap();
    let jinghe: Actor = account(store, "jinghe_fill", Role::UnitStaff, Some("jinghe")).await;
    let business = store
        .save_business(&plan, &jinghe, None, &business(1, &[1, 2]), "")
        .await
        .unwrap();
    store
        .change_business_status(
            &plan,
            &jinghe,
            business,
            ("closed", "2025-09-01", "平台流量下滑，亏损停业"),
            "",
        )
        .await
        .unwrap();
    let cases = store
        .failure_cases(&plan, &jinghe, &CaseFilter::default(), "")
        .await
        .unwrap();
    let case = cases.iter().find(|c| c.name == "返区人员1").unwrap();
    let steps = [
        (
            "就业服务",
            "rsj",
            "2025-09-10",
            "2025-09-12",
            "推荐电商运营岗位三个",
        ),
        (
            "社会救助",
            "mzj",
            "2025-09-15",
            "2025-09-20",
            "纳入临时救助",
        ),
        ("就业援助", "rsj", "2025-10-01", "", "公益性岗位安置"),
    ];
    for (kind, unit, planned, done, note) in steps {
        let draft = StepDraft {
            kind: kind.into(),
            unit: unit.into(),
            planned_on: planned.into(),
            done_on: done.into(),
            note: note.into(),
        };
        store
            .add_failure_step(&plan, &jinghe, case.id, &draft, "")
            .await
            .unwrap();
    }
    Filled {
        business,
        case: case.id,
        person: case.person_id,
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
async fn closing_a_business_on_its_page_opens_the_founders_cases() {
    for app in spawn_apps(&TestClock::at(2025, 10, 10, 2)).await {
        let store = &app.db.store;
        import_rows(
            store,
            "rsj",
            Roster::Migrants,
            vec![would_be_founder(1, "返区人员", "径河")],
            true,
        )
        .await
        .unwrap()
        .unwrap();
        let street = logged_in(&app, "jinghe01", Role::UnitStaff, Some("jinghe")).await;
        let actor = account(store, "jinghe_seed", Role::UnitStaff, Some("jinghe")).await;
        let id = store
            .save_business(&plan(), &actor, None, &business(7, &[1]), "")
            .await
            .unwrap();
        let (_, page) = get(&street, &app, &format!("/staff/businesses/{id}")).await;
        assert!(page.contains("变更经营状态") && !page.contains("创业失败帮扶"));
        let (status, location, _) = post(
            &street,
            &app,
            &format!("/staff/businesses/{id}/status"),
            &[
                ("status", "closed"),
                ("changed_on", "2025-10-08"),
                ("reason", "订单不足"),
            ],
        )
        .await;
        assert_eq!(status, 303, "on to the business's page");
        assert!(
            location.starts_with(&format!("/staff/businesses/{id}")),
            "{location}"
        );
        let (_, list) = get(&street, &app, "/staff/failure?listed=open").await;
        assert!(
            list.contains("返区人员1") && list.contains("径河小商品直播7号店"),
            "{list}"
        );
        let (_, page) = get(&street, &app, &format!("/staff/businesses/{id}")).await;
        assert!(
            page.contains("创业失败帮扶") && page.contains("2025-10-08 建档"),
            "{page}"
        );
    }
}

#[tokio::test]
async fn the_dashboard_shows_2_3_4_with_its_count_and_no_target_and_drills_down_to_the_steps() {
    for app in spawn_apps(&TestClock::at(2025, 10, 10, 2)).await {
        fill(&app).await;
        let client = logged_in(&app, "zhuanban", Role::TaskForce, None).await;
        let (status, page) = get(&client, &app, "/dashboard?year=2025").await;
        assert_eq!(status, 200);
        let row = row_of(&page, "创业失败人员获帮扶措施");
        assert!(row.contains("无目标值"), "{row}");
        assert!(row.contains(">2人次</a>"), "two steps done: {row}");
        let response = client
            .get(app.url("/indicators/2.3.4.support_steps/sources?unit=rsj&year=2025"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 303);
        let location = response.headers()["location"].to_str().unwrap().to_owned();
        assert_eq!(location, "/staff/failure/steps?year=2025&unit=rsj");
        let (status, rows) = get(&client, &app, &location).await;
        assert_eq!(status, 200);
        assert!(rows.contains("推荐电商运营岗位三个"), "{rows}");
        assert!(!rows.contains("纳入临时救助"), "区民政局's step is its own");
        assert!(
            !rows.contains("公益性岗位安置"),
            "a planned step is not counted"
        );
        assert!(rows.contains("共 <strong>1</strong> 人次"));
    }
}

#[tokio::test]
async fn bad_steps_closings_and_openings_are_refused_on_the_form_naming_the_field() {
    for app in spawn_apps(&TestClock::at(2025, 10, 10, 2)).await {
        let filled = fill(&app).await;
        let street = logged_in(&app, "jinghe01", Role::UnitStaff, Some("jinghe")).await;
        let path = format!("/staff/failure/{}", filled.case);
        let (status, page) = get(&street, &app, &path).await;
        assert_eq!(status, 200);
        assert!(page.contains("逾期未完成"), "the overdue step is shown");
        let steps = format!("{path}/steps");
        for ((kind, unit, planned, done), message) in [
            (
                ("employment_service", "rsj", "", ""),
                "<strong>计划日期</strong>：请填写计划日期",
            ),
            (
                ("employment_service", "swj", "2025-10-20", ""),
                "<strong>责任单位</strong>：区商务局不是任务 2.3.4 的责任单位",
            ),
            (
                ("financing", "rsj", "2025-10-20", ""),
                "<strong>帮扶措施</strong>：“融资贷款”仅用于有再创业意愿的人员",
            ),
            (
                ("employment_service", "rsj", "2025-10-01", "2025-10-11"),
                "<strong>完成日期</strong>：2025-10-11 晚于今天",
            ),
        ] {
            let form = [
                ("kind", kind),
                ("unit", unit),
                ("planned_on", planned),
                ("done_on", done),
                ("note", "测试措施"),
            ];
            let (status, _, page) = post(&street, &app, &steps, &form).await;
            assert_eq!(status, 422, "{kind} {unit}");
            assert!(page.contains(message), "{message}: {page}");
        }
        let (status, _, page) = post(
            &street,
            &app,
            &format!("{path}/close"),
            &[("outcome", ""), ("closed_on", "2025-10-09")],
        )
        .await;
        assert_eq!(status, 422);
        assert!(
            page.contains("<strong>帮扶结果</strong>：请选择帮扶结果"),
            "{page}"
        );
        let (_, page) = get(&street, &app, &path).await;
        assert!(!page.contains("测试措施"), "nothing written");

        // Opening a case for a person of another street: refused.
        let (status, form) = get(&street, &app, "/staff/failure/new").await;
        assert_eq!(status, 200);
        assert!(form.contains("手工建立创业失败帮扶档案"));
        let other = resident_id_for(3);
        let (status, _, _) = post(
            &street,
            &app,
            "/staff/failure",
            &[
                ("id_number", other.as_str()),
                ("business_name", "长青烧烤店"),
                ("business_closed_on", "2024-05-01"),
                ("reason", "房租上涨"),
                ("opened_on", "2025-10-09"),
            ],
        )
        .await;
        assert_eq!(status, 403);
        let (_, list) = get(&street, &app, "/staff/failure").await;
        assert!(!list.contains("长青烧烤店"), "nothing written");
        // A form with a missing name names it.
        let (status, _, page) = post(
            &street,
            &app,
            "/staff/failure",
            &[
                ("id_number", resident_id_for(2).as_str()),
                ("business_name", ""),
                ("business_closed_on", "2024-05-01"),
                ("reason", "房租上涨"),
                ("opened_on", "2025-10-09"),
            ],
        )
        .await;
        assert_eq!(status, 422);
        assert!(
            page.contains("<strong>创业主体名称</strong>：不能为空"),
            "{page}"
        );
    }
}

#[tokio::test]
async fn a_street_reading_another_streets_case_gets_403_and_an_audit_row_on_the_page_export_and_api()
 {
    for app in spawn_apps(&TestClock::at(2025, 10, 10, 2)).await {
        let filled = fill(&app).await;
        let other = logged_in(&app, "changqing01", Role::UnitStaff, Some("changqing")).await;
        let (status, _) = get(&other, &app, &format!("/staff/failure/{}", filled.case)).await;
        assert_eq!(status, 403);
        let audit = &app.db.store.recent_audit(1).await.unwrap()[0];
        assert_eq!(audit.action, "access.denied");
        assert_eq!(audit.target, format!("failure_case:{}", filled.case));
        let (_, list) = get(&other, &app, "/staff/failure").await;
        assert!(!list.contains("返区人员1"));
        // The export: the street's own cases only, IDs masked, audited; another street refused.
        let jinghe = logged_in(&app, "jinghe01", Role::UnitStaff, Some("jinghe")).await;
        let export = jinghe
            .get(app.url("/staff/failure/export.xlsx"))
            .send()
            .await
            .unwrap();
        assert_eq!(export.status(), 200);
        let text = sheet_cells(&export.bytes().await.unwrap(), "\n");
        assert!(
            text.contains("返区人员1") && text.contains("返区人员2"),
            "{text}"
        );
        assert!(
            text.contains("逾期未完成") && text.contains("区民政局"),
            "{text}"
        );
        assert!(!text.contains(&resident_id_for(1)), "IDs masked");
        let audit = &app.db.store.recent_audit(1).await.unwrap()[0];
        assert_eq!(audit.action, "failure.export");
        let export = other
            .get(app.url("/staff/failure/export.xlsx"))
            .send()
            .await
            .unwrap();
        let text = sheet_cells(&export.bytes().await.unwrap(), "\n");
        assert!(!text.contains("返区人员"), "another street's cases: {text}");
        assert_eq!(
            get(&other, &app, "/staff/failure/export.xlsx?street=jinghe")
                .await
                .0,
            403
        );
        // 区民政局 sees the case its step is in, and may record only its own steps.
        let mzj = logged_in(&app, "mzj01", Role::UnitStaff, Some("mzj")).await;
        let (status, page) = get(&mzj, &app, &format!("/staff/failure/{}", filled.case)).await;
        assert_eq!(status, 200);
        assert!(
            !page.contains("安排帮扶措施"),
            "only the keepers plan steps"
        );

        for (username, unit) in [("jinghe_api", "jinghe"), ("changqing_api", "changqing")] {
            app.user(username, Role::UnitStaff, Some(unit), STAFF_PASSWORD, false)
                .await;
        }
        let store = &app.db.store;
        let jinghe = store
            .create_token(
                "jinghe_api",
                "测试",
                linkong_core::access::TokenScopes::of(&[
                    linkong_core::access::TokenScope::Registries,
                ]),
            )
            .await
            .unwrap();
        let own: Value = app
            .client()
            .get(app.url("/api/v1/failure-cases?listed=overdue"))
            .bearer_auth(&jinghe)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(own["total"], 1);
        // Through a token, people's names come masked.
        assert_eq!(own["cases"][0]["name"], "返****");
        assert!(
            own["cases"][0]["id_masked"]
                .as_str()
                .unwrap()
                .contains("****")
        );
        assert_eq!(own["cases"][0]["steps"].as_array().unwrap().len(), 3);
        let changqing = store
            .create_token(
                "changqing_api",
                "测试",
                linkong_core::access::TokenScopes::of(&[
                    linkong_core::access::TokenScope::Registries,
                ]),
            )
            .await
            .unwrap();
        let refused = app
            .client()
            .get(app.url("/api/v1/failure-cases?street=jinghe"))
            .bearer_auth(&changqing)
            .send()
            .await
            .unwrap();
        assert_eq!(refused.status(), 403);
        let audit = &app.db.store.recent_audit(1).await.unwrap()[0];
        assert_eq!(audit.target, "failure:street:jinghe");
        let none: Value = app
            .client()
            .get(app.url("/api/v1/failure-cases"))
            .bearer_auth(&changqing)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(none["total"], 0);
    }
}

#[tokio::test]
async fn the_persons_and_the_businesss_pages_list_the_case() {
    for app in spawn_apps(&TestClock::at(2025, 10, 10, 2)).await {
        let filled = fill(&app).await;
        let street = logged_in(&app, "jinghe01", Role::UnitStaff, Some("jinghe")).await;
        let (status, page) = get(
            &street,
            &app,
            &format!("/people/migrants/{}", filled.person),
        )
        .await;
        assert_eq!(status, 200);
        assert!(page.contains("创业失败帮扶"));
        assert!(
            page.contains(&format!("/staff/failure/{}", filled.case))
                && page.contains("3 项措施 · 有措施逾期"),
            "{page}"
        );
        let (_, page) = get(
            &street,
            &app,
            &format!("/staff/businesses/{}", filled.business),
        )
        .await;
        assert!(page.contains(&format!("/staff/failure/{}", filled.case)));
        assert_eq!(
            page.matches("/staff/failure/").count(),
            2,
            "both founders' cases"
        );
    }
}
