//! Labour-market order (1.3.4) over HTTP, on each backend: the dashboard shows the inspections
//! as an activity (无目标值) with their count, drilled down to the unit's inspections; bad input
//! comes back as a 422 naming the field with nothing written (a fine without its legal basis, a
//! typical case without its source); a unit outside 1.3.4 is refused the form; the portal's
//! 求职防骗 page shows the published notices to anyone.

use crate::common;

use common::{App, get, logged_in, post, spawn_apps};
use linkong_core::access::{Actor, Role};
use linkong_core::market_order::{ActionDraft, InspectionDraft, NoticeDraft};
use linkong_store::market_order::{InspectionFilter, NoticeFilter};
use linkong_testkit::{TestClock, account, plan};

/// A special action of 区人社局 and an inspection by 区公安分局 under it: (action, inspection).
async fn fill(app: &App) -> (i64, i64) {
    let store = &app.db.store;
    let plan = plan();
    let rsj: Actor = account(store, "rsj_fill", Role::UnitStaff, Some("rsj")).await;
    let gaj: Actor = account(store, "gaj_fill", Role::UnitStaff, Some("gaj")).await;
    let action = ActionDraft {
        name: "2025 年清理整顿人力资源市场秩序专项行动".into(),
        lead_unit: "rsj".into(),
        starts_on: "2025-05-01".into(),
        ends_on: "2025-08-31".into(),
        cooperating: vec!["gaj".into()],
    };
    let action = store
        .start_market_action(&plan, &rsj, &action, "")
        .await
        .unwrap();
    let inspection = store
        .record_market_inspection(&plan, &gaj, &inspection(action), "")
        .await
        .unwrap();
    (action, inspection)
}

fn inspection(action: i64) -> InspectionDraft {
    InspectionDraft {
        action: action.to_string(),
        inspected_on: "2025-06-05".into(),
        target_kind: "agency".into(),
        target_name: "武汉快聘人力资源服务有限公司".into(),
        target_uscc: String::new(),
        findings: "发布虚假招聘信息".into(),
        penalty_kind: "warning".into(),
        penalty_amount: String::new(),
        legal_basis: "《人力资源市场暂行条例》第四十三条".into(),
        rectification_due: "2025-06-30".into(),
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
async fn the_dashboard_counts_1_3_4s_inspections_and_drills_down_to_them() {
    for app in spawn_apps(&TestClock::at(2025, 6, 25, 2)).await {
        fill(&app).await;
        let client = logged_in(&app, "zhuanban", Role::TaskForce, None).await;
        let (status, page) = get(&client, &app, "/dashboard?year=2025").await;
        assert_eq!(status, 200);
        let row = row_of(&page, "人力资源市场秩序专项检查");
        assert!(row.contains("无目标值"), "{row}");
        assert!(row.contains(">1次</a>"), "one inspection: {row}");
        let response = client
            .get(app.url("/indicators/1.3.4.inspections/sources?unit=gaj&year=2025"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 303);
        let location = response.headers()["location"].to_str().unwrap().to_owned();
        assert_eq!(location, "/staff/market-order?year=2025&unit=gaj");
        let (status, rows) = get(&client, &app, &location).await;
        assert_eq!(status, 200);
        assert!(rows.contains("武汉快聘人力资源服务有限公司"), "{rows}");
        assert!(rows.contains("整改中（期限 2025-06-30）"), "{rows}");
    }
}

#[tokio::test]
async fn bad_input_is_named_and_writes_nothing_and_other_units_are_refused() {
    for app in spawn_apps(&TestClock::at(2025, 6, 25, 2)).await {
        let (action, _) = fill(&app).await;
        let store = &app.db.store;
        let plan = plan();
        let rsj: Actor = account(store, "rsj_count", Role::UnitStaff, Some("rsj")).await;
        let count = || async {
            let all = InspectionFilter::default();
            let rows = store
                .market_inspections(&plan, &rsj, &all, "")
                .await
                .unwrap();
            let notices = store
                .market_notices(&NoticeFilter::default())
                .await
                .unwrap();
            (rows.len(), notices.len())
        };
        let before = count().await;

        let gaj = logged_in(&app, "gaj01", Role::UnitStaff, Some("gaj")).await;
        let (status, form) = get(&gaj, &app, "/staff/market-order/inspections").await;
        assert_eq!(status, 200);
        assert!(form.contains("<label for=\"legal_basis\">"), "{form}");
        let fine = [
            ("action", action.to_string()),
            ("inspected_on", "2025-06-20".into()),
            ("target_kind", "agency".into()),
            ("target_name", "某黑中介".into()),
            ("findings", "收取求职押金".into()),
            ("penalty_kind", "fine".into()),
            ("penalty_amount", "5000".into()),
            ("legal_basis", String::new()),
        ];
        let (status, _, page) = post(&gaj, &app, "/staff/market-order/inspections", &fine).await;
        assert_eq!(status, 422);
        assert!(
            page.contains("<strong>法律依据</strong>：有处罚时须写明法律依据"),
            "{page}"
        );
        assert!(page.contains("某黑中介"), "the form keeps what was typed");

        let rsj_web = logged_in(&app, "rsj01", Role::UnitStaff, Some("rsj")).await;
        let sourceless = [
            ("kind", "violation_case"),
            ("title", "某中介收取押金被查处"),
            ("body", "求职不交押金。"),
            ("issue_month", "2025-06"),
            ("published_on", "2025-06-25"),
            ("source", ""),
        ];
        let (status, _, page) =
            post(&rsj_web, &app, "/staff/market-order/notices", &sourceless).await;
        assert_eq!(status, 422);
        assert!(page.contains("<strong>来源</strong>"), "{page}");
        let (status, _) = get(&rsj_web, &app, "/staff/market-order?year=1999").await;
        assert_eq!(status, 422);
        assert_eq!(count().await, before, "nothing was written");

        // Outside 1.3.4: no form; a cooperating unit reads only its own inspections.
        let jkj = logged_in(&app, "jkj01", Role::UnitStaff, Some("jkj")).await;
        let (status, _) = get(&jkj, &app, "/staff/market-order/inspections").await;
        assert_eq!(status, 403);
        let (status, _) = get(&gaj, &app, "/staff/market-order?unit=jinghe").await;
        assert_eq!(status, 403);
        let (status, _) = get(&gaj, &app, "/staff/market-order/cases").await;
        assert_eq!(status, 403);
    }
}

#[tokio::test]
async fn the_portal_shows_the_published_notices_to_anyone() {
    for app in spawn_apps(&TestClock::at(2025, 6, 25, 2)).await {
        let (_, inspection) = fill(&app).await;
        let store = &app.db.store;
        let rsj: Actor = account(store, "rsj_pub", Role::UnitStaff, Some("rsj")).await;
        let notice = NoticeDraft {
            kind: "violation_case".into(),
            title: "某人力资源公司发布虚假招聘信息被警告".into(),
            body: "应聘前请核实单位信息，警惕高薪诱惑。".into(),
            issue_month: "2025-06".into(),
            published_on: "2025-06-25".into(),
            source: format!("inspection:{inspection}"),
        };
        store
            .publish_market_notice(&plan(), &rsj, &notice, "")
            .await
            .unwrap();
        let anyone = app.client();
        let (status, page) = get(&anyone, &app, "/job-safety").await;
        assert_eq!(status, 200);
        assert!(
            page.contains("某人力资源公司发布虚假招聘信息被警告"),
            "{page}"
        );
        assert!(page.contains("href=\"/job-safety\""), "in the portal's nav");
        let (status, _) = get(&anyone, &app, "/job-safety?kind=nonsense").await;
        assert_eq!(status, 422);
        let staff = logged_in(&app, "rsj01", Role::UnitStaff, Some("rsj")).await;
        let (_, schedule) = get(&staff, &app, "/staff/market-order/notices").await;
        assert!(
            schedule.contains("本月（2025年6月）<span class=\"badge done\">已发布</span>"),
            "{schedule}"
        );
    }
}
