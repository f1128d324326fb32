//! The guaranteed-loan ledger (2.4.2) over HTTP, on each backend: 区人社局 records a loan on the
//! form and finds it in the ledger, on its page with the rules' traces and in the API; 2.4.2's
//! drill-down leads to the ledger; a bad loan is refused with 422 naming each field and writes
//! nothing; another unit's loans, the form for a street and the API outside 2.4.2 are 403.

use crate::common;

use common::{App, get, logged_in, post, sheet_cells, spawn_apps};
use linkong_core::access::{Role, Roster};
use linkong_testkit::{TestClock, import_rows, resident_id_for, would_be_founder};
use serde_json::Value;

async fn residents(app: &App) {
    let rows = (1..=2)
        .map(|n| would_be_founder(n, "返区人员", "径河"))
        .collect();
    import_rows(&app.db.store, "rsj", Roster::Migrants, rows, true)
        .await
        .unwrap()
        .unwrap();
}

fn loan_form(n: usize, principal: &str) -> Vec<(&'static str, String)> {
    vec![
        ("unit", "rsj".into()),
        ("borrower_kind", "person".into()),
        ("id_number", resident_id_for(n)),
        ("bank", "汉口银行东西湖支行".into()),
        ("principal", principal.into()),
        ("term_months", "36".into()),
        ("rate", "3.85".into()),
        ("issued_on", "2025-09-01".into()),
    ]
}

fn with(
    mut form: Vec<(&'static str, String)>,
    key: &str,
    value: &str,
) -> Vec<(&'static str, String)> {
    for (k, v) in &mut form {
        if *k == key {
            *v = value.into();
        }
    }
    form
}

#[tokio::test]
async fn a_loan_recorded_on_the_form_is_in_the_ledger_the_api_and_2_4_2() {
    for app in spawn_apps(&TestClock::at(2025, 10, 10, 2)).await {
        residents(&app).await;
        let rsj = logged_in(&app, "rsj01", Role::UnitStaff, Some("rsj")).await;
        let (status, page) = get(&rsj, &app, "/staff/loans/new").await;
        assert_eq!(status, 200);
        assert!(page.contains("<label for=\"principal\">贷款金额（元，整百元）</label>"));
        let (status, location, _) = post(&rsj, &app, "/staff/loans", &loan_form(1, "100000")).await;
        assert_eq!(status, 303);
        assert!(location.starts_with("/staff/loans/"), "{location}");
        let (status, page) = get(&rsj, &app, &location).await;
        assert_eq!(status, 200);
        assert!(page.contains("100,000.00 元"), "{page}");
        assert!(page.contains("免除"), "a 10 万 personal loan is waived");
        assert!(
            page.contains("10 万元及以下个人创业担保贷款免除反担保"),
            "the trace"
        );
        assert!(
            page.contains("贴息计划") && page.contains("587.50 元"),
            "{page}"
        );
        let (_, list) = get(&rsj, &app, "/staff/loans?year=2025").await;
        assert!(list.contains("返区人员1") && list.contains("420"), "{list}");
        assert!(!list.contains(&resident_id_for(1)), "the ID is masked");
        let api: Value = rsj
            .get(app.url("/api/v1/loans?year=2025&unit=rsj"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(api["total"], 1);
        assert_eq!(api["principal_fen"], 10_000_000);
        assert_eq!(api["loans"][0]["waived_by"], "counter_guarantee_waiver");
        let export = rsj
            .get(app.url("/staff/loans/export.xlsx?year=2025"))
            .send()
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap();
        let cells = sheet_cells(&export, "|");
        assert!(cells.contains("返区人员1") && !cells.contains(&resident_id_for(1)));
        let tf = logged_in(&app, "zhuanban", Role::TaskForce, None).await;
        let response = tf
            .get(app.url("/indicators/2.4.2.guaranteed_loans/sources?unit=rsj&year=2025"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 303);
        assert_eq!(
            response.headers()["location"],
            "/staff/loans?year=2025&unit=rsj"
        );
        let progress: Value = tf
            .get(app.url("/api/v1/progress?year=2025"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let loans = progress["indicators"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["indicator_code"] == "2.4.2.guaranteed_loans")
            .unwrap();
        assert_eq!(
            loans["district"]["actual"], 10.0,
            "10 万元, from the ledger"
        );
    }
}

#[tokio::test]
async fn a_bad_loan_is_refused_with_422_naming_each_field_and_writes_nothing() {
    for app in spawn_apps(&TestClock::at(2025, 10, 10, 2)).await {
        residents(&app).await;
        let rsj = logged_in(&app, "rsj01", Role::UnitStaff, Some("rsj")).await;
        let bad = with(
            with(with(loan_form(1, "100000.005"), "rate", "0"), "bank", ""),
            "term_months",
            "0",
        );
        let (status, _, page) = post(&rsj, &app, "/staff/loans", &bad).await;
        assert_eq!(status, 422);
        for field in ["贷款金额", "年利率", "经办银行", "贷款期限"] {
            assert!(
                page.contains(&format!("<strong>{field}</strong>")),
                "{field}: {page}"
            );
        }
        assert!(page.contains("100000.005"), "the form keeps what was typed");
        for (form, message) in [
            (
                loan_form(1, "-100000"),
                "<strong>贷款金额</strong>：金额“-100000”不能为负",
            ),
            (
                loan_form(1, "100050"),
                "<strong>贷款金额</strong>：贷款金额须为整百元",
            ),
            (
                loan_form(1, "300100"),
                "超过《个人创业担保贷款》的额度上限 300,000.00 元",
            ),
            (
                with(loan_form(1, "100000"), "rate", "4.60"),
                "<strong>年利率</strong>",
            ),
            (loan_form(9, "100000"), "<strong>身份证号码</strong>"),
        ] {
            let (status, _, page) = post(&rsj, &app, "/staff/loans", &form).await;
            assert_eq!(status, 422, "{message}");
            assert!(page.contains(message), "{message}: {page}");
        }
        let (_, list) = get(&rsj, &app, "/staff/loans").await;
        assert!(
            list.contains("共 <strong>0</strong> 笔"),
            "nothing written: {list}"
        );
    }
}

#[tokio::test]
async fn other_units_loans_a_streets_form_and_the_api_outside_2_4_2_are_403() {
    for app in spawn_apps(&TestClock::at(2025, 10, 10, 2)).await {
        residents(&app).await;
        let rsj = logged_in(&app, "rsj01", Role::UnitStaff, Some("rsj")).await;
        let (_, location, _) = post(&rsj, &app, "/staff/loans", &loan_form(1, "200000")).await;
        let czj = logged_in(&app, "czj01", Role::UnitStaff, Some("czj")).await;
        // 区财政局 recording a loan as 区人社局's.
        let (status, _, _) = post(&czj, &app, "/staff/loans", &loan_form(2, "100000")).await;
        assert_eq!(status, 403);
        let (status, _) = get(&czj, &app, &location).await;
        assert_eq!(status, 403, "区人社局's loan");
        let (status, list) = get(&czj, &app, "/staff/loans").await;
        assert_eq!(status, 200);
        assert!(list.contains("共 <strong>0</strong> 笔"), "{list}");
        let (status, _) = get(&czj, &app, "/staff/loans?unit=rsj").await;
        assert_eq!(status, 403);
        let street = logged_in(&app, "jinghe01", Role::UnitStaff, Some("jinghe")).await;
        let (status, _) = get(&street, &app, "/staff/loans/new").await;
        assert_eq!(status, 403);
        let (status, _) = get(&street, &app, "/staff/loans").await;
        assert_eq!(status, 403);
        let response = street.get(app.url("/api/v1/loans")).send().await.unwrap();
        assert_eq!(response.status(), 403);
        let body: Value = response.json().await.unwrap();
        assert!(
            body["error"]
                .as_str()
                .unwrap_or_default()
                .contains("创业担保贷款"),
            "{body}"
        );
        let audit = app.db.store.recent_audit(1).await.unwrap();
        assert_eq!(audit[0].action, "access.denied");
        let (_, list) = get(&rsj, &app, "/staff/loans").await;
        assert!(
            list.contains("共 <strong>1</strong> 笔"),
            "only 区人社局's own: {list}"
        );
    }
}
