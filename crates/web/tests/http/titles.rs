//! Returnee title applications and HR agencies' special actions (2.4.4) over HTTP, on each
//! backend: the dashboard shows both figures as activities drilled down to their lists; a
//! forwarding before the submission, a pass without a day and a service outside its action's
//! period come back as 422s naming the field with nothing written; a unit outside 2.4.4 gets no
//! form and is refused the post, another street is refused a street's application and action.

use crate::common;

use common::{get, logged_in, post, row_of, spawn_apps};
use linkong_core::access::{Role, Roster};
use linkong_core::businesses::BusinessDraft;
use linkong_core::hr_actions::{ActionDraft, ServiceDraft};
use linkong_core::titles::ApplicationDraft;
use linkong_testkit::{
    TestClock, account, import_rows, plan, resident_id_for, uscc_for, would_be_founder,
};

async fn registry(store: &linkong_store::Store) {
    let rows = vec![
        would_be_founder(1, "张", "径河"),
        would_be_founder(2, "李", "径河"),
    ];
    import_rows(store, "rsj", Roster::Migrants, rows, true)
        .await
        .unwrap()
        .unwrap();
}

fn application(n: usize) -> ApplicationDraft {
    ApplicationDraft {
        id_number: resident_id_for(n),
        series: "engineering".into(),
        speciality: "电气工程".into(),
        level: "intermediate".into(),
        submitted_on: "2025-03-03".into(),
        committee: "武汉市工程系列中级评审委员会".into(),
        forwarded_on: "2025-03-20".into(),
    }
}

#[tokio::test]
async fn the_dashboard_counts_applications_and_services_and_drills_down() {
    for app in spawn_apps(&TestClock::at(2025, 6, 25, 2)).await {
        let (store, plan) = (&app.db.store, plan());
        registry(store).await;
        let jinghe = account(store, "jinghe_fill", Role::UnitStaff, Some("jinghe")).await;
        for n in [1, 2] {
            store
                .record_title_application(&plan, &jinghe, &application(n), "")
                .await
                .unwrap();
        }
        let business = BusinessDraft {
            name: "径河农机合作社".into(),
            uscc: uscc_for(1),
            licensed_on: "2025-03-01".into(),
            legal_form: "small_micro".into(),
            section: "A".into(),
            forms: vec![],
            street: "jinghe".into(),
            site: String::new(),
            founders: resident_id_for(1),
            keep_founders: false,
        };
        let firm = store
            .save_business(&plan, &jinghe, None, &business, "")
            .await
            .unwrap();
        let action = ActionDraft {
            name: "径河街稳就业促创业专项行动".into(),
            agencies: "武汉临空港人力资源有限公司".into(),
            starts_on: "2025-04-01".into(),
            ends_on: "2025-12-31".into(),
        };
        let id = store
            .record_hr_action(&plan, &jinghe, &action, "")
            .await
            .unwrap();
        let service = ServiceDraft {
            business: firm.to_string(),
            kind: "guidance".into(),
            served_on: "2025-05-06".into(),
            posts_offered: "3".into(),
            recruited: "1".into(),
            note: String::new(),
        };
        store
            .record_hr_service(&plan, &jinghe, id, &service, "")
            .await
            .unwrap();

        let client = logged_in(&app, "zhuanban", Role::TaskForce, None).await;
        let (status, page) = get(&client, &app, "/dashboard?year=2025").await;
        assert_eq!(status, 200);
        let row = row_of(&page, "返区人才职称评审申报");
        assert!(
            row.contains("无目标值") && row.contains(">2人次</a>"),
            "{row}"
        );
        let row = row_of(&page, "人力资源机构为返区创业企业提供专业服务");
        assert!(row.contains(">1次</a>"), "{row}");
        for (code, list, shows) in [
            ("2.4.4.titles", "/staff/titles", "电气工程"),
            (
                "2.4.4.hr_services",
                "/staff/hr-actions",
                "径河街稳就业促创业专项行动",
            ),
        ] {
            let url = format!("/indicators/{code}/sources?unit=jinghe&year=2025");
            let response = client.get(app.url(&url)).send().await.unwrap();
            assert_eq!(response.status(), 303);
            let location = response.headers()["location"].to_str().unwrap().to_owned();
            assert_eq!(location, format!("{list}?year=2025&unit=jinghe"));
            let (status, rows) = get(&client, &app, &location).await;
            assert_eq!(status, 200);
            assert!(rows.contains(shows), "{rows}");
            assert!(!rows.contains(&resident_id_for(1)), "IDs masked");
        }
        let (status, detail) = get(&client, &app, &format!("/staff/hr-actions/{id}")).await;
        assert_eq!(status, 200);
        assert!(detail.contains("径河农机合作社") && detail.contains("用工指导"));
        assert!(
            !detail.contains("登记服务"),
            "the task force records no service"
        );
    }
}

#[tokio::test]
async fn wrong_fields_are_named_and_other_units_are_refused() {
    for app in spawn_apps(&TestClock::at(2025, 6, 25, 2)).await {
        let store = &app.db.store;
        registry(store).await;
        let jinghe = logged_in(&app, "jinghe01", Role::UnitStaff, Some("jinghe")).await;
        let (status, form) = get(&jinghe, &app, "/staff/titles").await;
        assert_eq!(status, 200);
        assert!(form.contains("<label for=\"forwarded_on\">"), "{form}");
        let id_number = resident_id_for(1);
        let mut fields = vec![
            ("id_number", id_number.as_str()),
            ("series", "engineering"),
            ("speciality", "电气工程"),
            ("level", "intermediate"),
            ("submitted_on", "2025-03-20"),
            ("committee", "武汉市工程系列中级评审委员会"),
            ("forwarded_on", "2025-03-01"),
        ];
        let (status, _, page) = post(&jinghe, &app, "/staff/titles", &fields).await;
        assert_eq!(status, 422);
        assert!(
            page.contains("<strong>报送日期</strong>：2025-03-01 早于申报日期 2025-03-20"),
            "{page}"
        );
        assert!(page.contains("武汉市工程系列中级评审委员会"), "kept");
        let (status, _) = get(&jinghe, &app, "/staff/titles?year=1999").await;
        assert_eq!(status, 422);

        // Outside 2.4.4: no form, the post refused; nothing written.
        let gaj = logged_in(&app, "gaj01", Role::UnitStaff, Some("gaj")).await;
        let (status, page) = get(&gaj, &app, "/staff/titles").await;
        assert_eq!(status, 200);
        assert!(!page.contains("登记申报"), "no form");
        fields[6] = ("forwarded_on", "2025-03-25");
        let (status, _, _) = post(&gaj, &app, "/staff/titles", &fields).await;
        assert_eq!(status, 403);

        // Recorded; 通过 without a day is named; another street is refused.
        let (status, location, _) = post(&jinghe, &app, "/staff/titles", &fields).await;
        assert_eq!(status, 303, "{location}");
        let detail = location.trim_end_matches("?saved=1").to_owned();
        let result = [("result", "passed"), ("obtained_on", "")];
        let (status, _, page) = post(&jinghe, &app, &format!("{detail}/result"), &result).await;
        assert_eq!(status, 422);
        assert!(page.contains("<strong>取得日期</strong>"), "{page}");
        let changqing = logged_in(&app, "changqing01", Role::UnitStaff, Some("changqing")).await;
        let (status, _) = get(&changqing, &app, &detail).await;
        assert_eq!(status, 403);
        let failed = [("result", "failed"), ("obtained_on", "")];
        let (status, _, _) = post(&changqing, &app, &format!("{detail}/result"), &failed).await;
        assert_eq!(status, 403);
        let (_, page) = get(&jinghe, &app, &detail).await;
        assert!(page.contains("待评审"), "nothing written");

        // An action: an end before the start is named; a service outside its period too.
        let action = [
            ("name", "径河街专项行动"),
            ("agencies", "武汉临空港人力资源有限公司"),
            ("starts_on", "2025-04-01"),
            ("ends_on", "2025-03-01"),
        ];
        let (status, _, page) = post(&jinghe, &app, "/staff/hr-actions", &action).await;
        assert_eq!(status, 422);
        assert!(page.contains("<strong>结束日期</strong>"), "{page}");
        let mut action = action;
        action[3] = ("ends_on", "2025-05-31");
        let (status, location, _) = post(&jinghe, &app, "/staff/hr-actions", &action).await;
        assert_eq!(status, 303);
        let services = format!("{}/services", location.trim_end_matches("?saved=1"));
        let service = [
            ("business", "1"),
            ("kind", "recruitment"),
            ("served_on", "2025-06-10"),
            ("posts_offered", "2"),
            ("recruited", "-1"),
            ("note", ""),
        ];
        let (status, _, page) = post(&jinghe, &app, &services, &service).await;
        assert_eq!(status, 422);
        assert!(page.contains("<strong>服务日期</strong>"), "{page}");
        assert!(page.contains("<strong>招聘人数</strong>"), "{page}");
        let (status, _, _) = post(&changqing, &app, &services, &service).await;
        assert_eq!(status, 403);
        let actions = store.hr_actions(None, None).await.unwrap();
        assert_eq!(actions.len(), 1);
        assert_eq!(actions[0].services, 0);
    }
}
