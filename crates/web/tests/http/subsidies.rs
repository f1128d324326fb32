//! Subsidy applications over HTTP, on each backend: the window's form shows the policy's facts
//! (those the registries know marked); the 免申即享 scan page offers a hired, insured graduate's
//! 扩岗补助 with its trace and 区人社局 confirms it; the public 公示 shows it with the graduate's
//! name masked and takes objections (an empty one named); 区财政局's payment with three decimals
//! or above the approved amount comes back named, a good one is kept and appears in the
//! payments workbook; a street may not run the scan; a returnee business five months after its
//! licence is refused with the trace naming the six-month condition.

use crate::common;

use common::{App, get, hidden, logged_in, post, sheet_cells, spawn_apps};
use linkong_core::access::{Role, Roster};
use linkong_core::businesses::BusinessDraft;
use linkong_store::subsidies::SubsidyFilter;
use linkong_testkit::{
    TestClock, account, date, hired_graduate, import_rows, insure, plan, resident_id_for, uscc_for,
    would_be_founder,
};

fn at(app: &App, y: i32, m: u32, d: u32) {
    app.db.clock.set(
        chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, y, m, d, 2, 0, 0)
            .single()
            .unwrap(),
    );
}

async fn only_application(app: &App) -> i64 {
    let store = &app.db.store;
    let tf = account(store, "tf_reader", Role::TaskForce, None).await;
    let calendar =
        linkong_core::calendar::WorkCalendar::parse(linkong_testkit::CALENDAR_FILE).unwrap();
    let list = store
        .subsidies(&calendar, &tf, &SubsidyFilter::default(), "")
        .await
        .unwrap();
    assert_eq!(list.len(), 1);
    list[0].id
}

#[tokio::test]
async fn an_offer_is_confirmed_noticed_objected_to_and_paid_over_http() {
    let clock = TestClock::at(2025, 7, 1, 2);
    for app in spawn_apps(&clock).await {
        at(&app, 2025, 7, 1);
        let store = &app.db.store;
        let rsj_actor = account(store, "rsj_import", Role::UnitStaff, Some("rsj")).await;
        let hired = hired_graduate(store, 1, date(2025, 7, 1)).await;
        insure(store, &rsj_actor, &hired, "2025-07", date(2025, 7, 1)).await;
        at(&app, 2025, 10, 15);
        let rsj = logged_in(&app, "rsj01", Role::UnitStaff, Some("rsj")).await;
        let jinghe = logged_in(&app, "jinghe01", Role::UnitStaff, Some("jinghe")).await;

        let (status, form) = get(&rsj, &app, "/staff/subsidies/new?policy=expansion_subsidy").await;
        assert_eq!(status, 200);
        assert!(form.contains("招用的毕业生公民身份号码"));
        assert!(form.contains("从登记数据取得"));
        let (status, _, body) = post(
            &rsj,
            &app,
            "/staff/subsidies",
            &[
                ("policy", "expansion_subsidy"),
                ("applicant", hired.employer_uscc.as_str()),
                ("graduate", "420112199001011234"),
                ("applied_on", "2025-10-15"),
            ],
        )
        .await;
        assert_eq!(status, 422, "{body}");
        assert!(body.contains("招用的毕业生"), "{body}");

        assert_eq!(get(&jinghe, &app, "/staff/subsidies/scan").await.0, 403);
        let (status, scan) = get(&rsj, &app, "/staff/subsidies/scan").await;
        assert_eq!(status, 200);
        assert!(
            scan.contains("一次性扩岗补助") && scan.contains("1,500.00 元"),
            "{scan}"
        );
        assert!(scan.contains("参保满 3 个月"));
        let offer = hidden(&scan, "offer");
        let (status, location, _) = post(
            &rsj,
            &app,
            "/staff/subsidies/scan",
            &[("offer", offer.as_str())],
        )
        .await;
        assert_eq!(
            (status, location.as_str()),
            (303, "/staff/subsidies?status=notice&channel=offer")
        );
        let id = only_application(&app).await;

        // The employer reads the offer on its own page, and only its own.
        let boss = app.client();
        assert_eq!(
            app.login(&boss, "boss1", "Employer#2025").await.status(),
            303
        );
        let (status, own) = get(&boss, &app, "/employer/subsidies").await;
        assert_eq!(status, 200);
        assert!(own.contains("无需申请") && own.contains("公示中"), "{own}");
        assert!(
            own.contains("判定依据") && own.contains("参保满 3 个月"),
            "{own}"
        );
        assert_eq!(
            get(&boss, &app, &format!("/staff/subsidies/{id}")).await.0,
            403
        );
        assert_eq!(get(&jinghe, &app, "/employer/subsidies").await.0, 403);

        // The public 公示: the graduate masked, no numbers; an empty objection is named.
        let public = app.client();
        let (status, notices) = get(&public, &app, "/notices").await;
        assert_eq!(status, 200);
        assert!(notices.contains("一次性扩岗补助") && notices.contains("毕***"));
        assert!(!notices.contains(&hired.resident_id));
        let object = |csrf: String, text: &'static str| {
            public
                .post(app.url(&format!("/notices/{id}/objection")))
                .header("Origin", &app.base)
                .form(&[("csrf", csrf.as_str()), ("text", text), ("contact", "")])
                .send()
        };
        let empty = object(hidden(&notices, "csrf"), "").await.unwrap();
        assert_eq!(empty.status().as_u16(), 422);
        let again = empty.text().await.unwrap();
        assert!(again.contains("异议内容"));
        let lodged = object(hidden(&again, "csrf"), "请核实是否到岗")
            .await
            .unwrap();
        assert_eq!(lodged.status().as_u16(), 303);

        // The answer, then 财政局's payment after the 公示.
        let (_, page) = get(&rsj, &app, &format!("/staff/subsidies/{id}")).await;
        assert!(page.contains("请核实是否到岗") && page.contains("答复内容"));
        let objection = page
            .split(&format!("/staff/subsidies/{id}/objections/"))
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .unwrap()
            .to_owned();
        let (status, _, _) = post(
            &rsj,
            &app,
            &format!("/staff/subsidies/{id}/objections/{objection}"),
            &[("upheld", "dismissed"), ("answer", "经核实已到岗参保")],
        )
        .await;
        assert_eq!(status, 303);
        at(&app, 2025, 10, 27);
        let czj = logged_in(&app, "czj01", Role::UnitStaff, Some("czj")).await;
        let pay = |amount: &'static str| {
            let path = format!("/staff/subsidies/{id}/pay");
            let czj = czj.clone();
            let app = &app;
            async move {
                post(
                    &czj,
                    app,
                    &path,
                    &[
                        ("amount", amount),
                        ("paid_on", "2025-10-27"),
                        ("account", "6222020200001234"),
                    ],
                )
                .await
            }
        };
        let (status, _, body) = pay("1500.001").await;
        assert_eq!(status, 422);
        assert!(
            body.contains("拨付金额") && body.contains("最多保留两位小数"),
            "{body}"
        );
        let (status, _, body) = pay("2000").await;
        assert_eq!(status, 422);
        assert!(body.contains("超过核定金额 1,500.00 元"), "{body}");
        let (status, _, _) = pay("1500").await;
        assert_eq!(status, 303);
        let (_, paid) = get(&czj, &app, &format!("/staff/subsidies/{id}")).await;
        assert!(paid.contains("已拨付") && paid.contains("**** 1234"));
        assert!(!paid.contains("6222020200001234"));

        let response = czj
            .get(app.url("/staff/subsidies/payments.xlsx?year=2025"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), 200);
        let cells = sheet_cells(&response.bytes().await.unwrap(), "|");
        assert!(cells.contains("一次性扩岗补助|10月|1|1500|1500"), "{cells}");
        let response = czj
            .get(app.url("/staff/subsidies/export.xlsx"))
            .send()
            .await
            .unwrap();
        let cells = sheet_cells(&response.bytes().await.unwrap(), "|");
        assert!(
            cells.contains("已拨付|1500.00") && cells.contains("参保满 3 个月"),
            "{cells}"
        );
        let (status, _) = get(&czj, &app, "/staff/subsidies/payments.xlsx?year=2031").await;
        assert_eq!(status, 422);
    }
}

#[tokio::test]
async fn a_business_five_months_after_its_licence_is_refused_with_the_trace() {
    for app in spawn_apps(&TestClock::at(2025, 10, 15, 2)).await {
        let store = &app.db.store;
        let jinghe_actor = account(store, "jinghe_fill", Role::UnitStaff, Some("jinghe")).await;
        import_rows(
            store,
            "jinghe",
            Roster::Migrants,
            vec![would_be_founder(3, "吴返乡", "径河")],
            true,
        )
        .await
        .unwrap()
        .unwrap();
        let draft = BusinessDraft {
            name: "径河农创3号".into(),
            uscc: uscc_for(3),
            licensed_on: "2025-05-15".into(),
            legal_form: "small_micro".into(),
            section: "I".into(),
            forms: vec!["tech_innovation".into()],
            street: "jinghe".into(),
            site: "径河街道".into(),
            founders: resident_id_for(3),
            keep_founders: false,
        };
        store
            .save_business(&plan(), &jinghe_actor, None, &draft, "")
            .await
            .unwrap();
        let jinghe = logged_in(&app, "jinghe01", Role::UnitStaff, Some("jinghe")).await;
        let (status, _, body) = post(
            &jinghe,
            &app,
            "/staff/subsidies",
            &[
                ("policy", "startup_subsidy"),
                ("applicant", uscc_for(3).as_str()),
                ("applied_on", "2025-10-15"),
                ("fact.employees", "3"),
            ],
        )
        .await;
        assert_eq!(status, 422, "{body}");
        assert!(
            body.contains("不予受理") && body.contains("营业执照满 6 个月"),
            "{body}"
        );
        let (_, list) = get(&jinghe, &app, "/staff/subsidies").await;
        assert!(list.contains("共 <strong>0</strong> 件申请"), "{list}");
    }
}
