//! Returnee title applications and HR agencies' special actions (2.4.4) in the store, on SQLite
//! and (with LINKONG_TEST_PG) PostgreSQL: 区人社局 and a street record applications of returnees
//! from the out-migrant registry and their results; an action's services to returnee
//! businesses are recorded by its organiser. 2.4.4's two figures count applications on the
//! forwarded day and services on the service day, kept as tallies equal to the rows and to
//! the tallies rebuilt. Bad input and wrong hands write nothing.

use linkong_core::access::{Actor, Role, Roster};
use linkong_core::businesses::BusinessDraft;
use linkong_core::hr_actions::{ActionDraft, ServiceDraft};
use linkong_core::titles::{ApplicationDraft, ResultDraft, TitleResult};
use linkong_store::{Error, Store};
use linkong_testkit::{
    TestClock, account, databases, date, field_errors, import_rows, plan, resident_id_for,
    uscc_for, would_be_founder,
};

async fn figures(store: &Store, code: &str, unit: &str) -> (Option<i64>, Option<i64>) {
    linkong_testkit::unit_figures(store, code, unit, 2025, date(2025, 6, 30)).await
}

fn application(n: usize) -> ApplicationDraft {
    ApplicationDraft {
        id_number: resident_id_for(n),
        series: "agriculture".into(),
        speciality: "植物保护".into(),
        level: "intermediate".into(),
        submitted_on: "2025-03-03".into(),
        committee: "武汉市农业技术中级职务评审委员会".into(),
        forwarded_on: "2025-03-20".into(),
    }
}

fn action() -> ActionDraft {
    ActionDraft {
        name: "2025年稳就业促创业专项行动".into(),
        agencies: "武汉临空港人力资源有限公司\n湖北才聚人力资源服务有限公司".into(),
        starts_on: "2025-04-01".into(),
        ends_on: "2025-09-30".into(),
    }
}

fn service(business: i64, served_on: &str) -> ServiceDraft {
    ServiceDraft {
        business: business.to_string(),
        kind: "recruitment".into(),
        served_on: served_on.into(),
        posts_offered: "10".into(),
        recruited: "4".into(),
        note: "现场招聘会".into(),
    }
}

struct Staff {
    rsj: Actor,
    jinghe: Actor,
    changqing: Actor,
    gaj: Actor,
}

/// Three returnees (two of 径河, one of 长青) and a business of each street.
async fn setup(store: &Store) -> (Staff, [i64; 2]) {
    let rows = vec![
        would_be_founder(1, "张", "径河"),
        would_be_founder(2, "李", "径河"),
        would_be_founder(3, "王", "长青"),
    ];
    import_rows(store, "rsj", Roster::Migrants, rows, true)
        .await
        .unwrap()
        .unwrap();
    let s = Staff {
        rsj: account(store, "rsj01", Role::UnitStaff, Some("rsj")).await,
        jinghe: account(store, "jinghe01", Role::UnitStaff, Some("jinghe")).await,
        changqing: account(store, "changqing01", Role::UnitStaff, Some("changqing")).await,
        gaj: account(store, "gaj01", Role::UnitStaff, Some("gaj")).await,
    };
    let mut businesses = [0; 2];
    for (n, (street, actor)) in [("jinghe", &s.jinghe), ("changqing", &s.changqing)]
        .into_iter()
        .enumerate()
    {
        let draft = BusinessDraft {
            name: format!("临空农业科技{n}号"),
            uscc: uscc_for(n + 1),
            licensed_on: "2025-03-01".into(),
            legal_form: "small_micro".into(),
            section: "A".into(),
            forms: vec![],
            street: street.into(),
            site: String::new(),
            founders: resident_id_for(n * 2 + 1),
            keep_founders: false,
        };
        businesses[n] = store
            .save_business(&plan(), actor, None, &draft, "")
            .await
            .unwrap();
    }
    (s, businesses)
}

#[tokio::test]
async fn applications_count_for_the_recording_unit_on_the_forwarded_day() {
    for db in databases(&TestClock::at(2025, 6, 25, 2)).await {
        let (store, plan) = (&db.store, plan());
        let (s, _) = setup(store).await;
        store
            .record_title_application(&plan, &s.rsj, &application(3), "")
            .await
            .unwrap();
        let id = store
            .record_title_application(&plan, &s.jinghe, &application(1), "")
            .await
            .unwrap();
        let later = ApplicationDraft {
            level: "junior".into(),
            forwarded_on: "2025-05-08".into(),
            ..application(2)
        };
        store
            .record_title_application(&plan, &s.jinghe, &later, "")
            .await
            .unwrap();
        let code = "2.4.4.titles";
        assert_eq!(figures(store, code, "rsj").await, (Some(1_00), Some(1_00)));
        assert_eq!(
            figures(store, code, "jinghe").await,
            (Some(2_00), Some(2_00))
        );

        // The result is recorded later and moves no figure.
        let passed = ResultDraft {
            result: "passed".into(),
            obtained_on: "2025-06-10".into(),
        };
        store
            .record_title_result(&plan, &s.jinghe, id, &passed, "")
            .await
            .unwrap();
        let app = store
            .title_application(&plan, &s.jinghe, id, "")
            .await
            .unwrap();
        assert_eq!(app.result, TitleResult::Passed);
        assert_eq!(app.obtained_on, Some(date(2025, 6, 10)));
        assert!(app.id_masked.contains('*'), "masked: {}", app.id_masked);
        assert_eq!(
            figures(store, code, "jinghe").await,
            (Some(2_00), Some(2_00))
        );

        // 区人社局 leads and reads all; a street its own.
        let all = store
            .title_applications(&plan, &s.rsj, Some(2025), None, "")
            .await
            .unwrap();
        assert_eq!(all.len(), 3);
        let own = store
            .title_applications(&plan, &s.jinghe, Some(2025), None, "")
            .await
            .unwrap();
        assert_eq!(own.len(), 2);
        assert!(own.iter().all(|a| a.unit_code == "jinghe"));

        let kept = store.stored_tallies().await.unwrap();
        store.rebuild_figures().await.unwrap();
        assert_eq!(kept, store.stored_tallies().await.unwrap());
        assert_eq!(
            figures(store, code, "jinghe").await,
            (Some(2_00), Some(2_00))
        );
    }
}

#[tokio::test]
async fn wrong_applications_and_wrong_hands_write_nothing() {
    for db in databases(&TestClock::at(2025, 6, 25, 2)).await {
        let (store, plan) = (&db.store, plan());
        let (s, _) = setup(store).await;

        // Forwarded before the submission: named.
        let backwards = ApplicationDraft {
            forwarded_on: "2025-03-01".into(),
            ..application(1)
        };
        let errors = field_errors(
            store
                .record_title_application(&plan, &s.jinghe, &backwards, "")
                .await
                .unwrap_err(),
        );
        assert!(errors[0].starts_with("报送日期"), "{errors:?}");

        // Someone not in the registry, and someone of another street.
        for n in [9, 3] {
            let errors = field_errors(
                store
                    .record_title_application(&plan, &s.jinghe, &application(n), "")
                    .await
                    .unwrap_err(),
            );
            assert!(errors[0].starts_with("身份证号码"), "{errors:?}");
        }

        // A unit outside 2.4.4.
        let refused = store
            .record_title_application(&plan, &s.gaj, &application(1), "")
            .await
            .unwrap_err();
        assert!(matches!(refused, Error::Forbidden(_)), "{refused:?}");
        assert!(
            store
                .title_applications(&plan, &s.rsj, None, None, "")
                .await
                .unwrap()
                .is_empty()
        );
        assert_eq!(figures(store, "2.4.4.titles", "jinghe").await, (None, None));

        // A result: 通过 without a day, a day before the submission, another unit's hands.
        let id = store
            .record_title_application(&plan, &s.jinghe, &application(1), "")
            .await
            .unwrap();
        for (obtained_on, why) in [("", "须填写"), ("2025-03-01", "早于申报日期")] {
            let draft = ResultDraft {
                result: "passed".into(),
                obtained_on: obtained_on.into(),
            };
            let errors = field_errors(
                store
                    .record_title_result(&plan, &s.jinghe, id, &draft, "")
                    .await
                    .unwrap_err(),
            );
            assert!(
                errors[0].starts_with("取得日期") && errors[0].contains(why),
                "{errors:?}"
            );
        }
        let failed = ResultDraft {
            result: "failed".into(),
            obtained_on: String::new(),
        };
        for other in [&s.changqing, &s.rsj] {
            let refused = store
                .record_title_result(&plan, other, id, &failed, "")
                .await
                .unwrap_err();
            assert!(matches!(refused, Error::Forbidden(_)), "{refused:?}");
        }
        let refused = store
            .title_application(&plan, &s.changqing, id, "")
            .await
            .unwrap_err();
        assert!(matches!(refused, Error::Forbidden(_)), "{refused:?}");
        let app = store
            .title_application(&plan, &s.jinghe, id, "")
            .await
            .unwrap();
        assert_eq!(app.result, TitleResult::Pending);
    }
}

#[tokio::test]
async fn services_count_for_the_actions_organiser_on_the_service_day() {
    for db in databases(&TestClock::at(2025, 6, 25, 2)).await {
        let (store, plan) = (&db.store, plan());
        let (s, [jinghe_firm, changqing_firm]) = setup(store).await;
        let district = store
            .record_hr_action(&plan, &s.rsj, &action(), "")
            .await
            .unwrap();
        let street = store
            .record_hr_action(&plan, &s.jinghe, &action(), "")
            .await
            .unwrap();
        for (firm, day) in [(jinghe_firm, "2025-04-10"), (changqing_firm, "2025-05-20")] {
            store
                .record_hr_service(&plan, &s.rsj, district, &service(firm, day), "")
                .await
                .unwrap();
        }
        store
            .record_hr_service(
                &plan,
                &s.jinghe,
                street,
                &service(jinghe_firm, "2025-06-01"),
                "",
            )
            .await
            .unwrap();
        let code = "2.4.4.hr_services";
        assert_eq!(figures(store, code, "rsj").await, (Some(2_00), Some(2_00)));
        assert_eq!(
            figures(store, code, "jinghe").await,
            (Some(1_00), Some(1_00))
        );

        let listed = store.hr_actions(Some(2025), Some("rsj")).await.unwrap();
        assert_eq!(listed.len(), 1);
        let totals = &listed[0];
        assert_eq!((totals.services, totals.businesses), (2, 2));
        assert_eq!((totals.posts_offered, totals.recruited), (20, 8));
        assert_eq!(totals.agencies.len(), 2);
        let (_, services) = store.hr_action(district).await.unwrap();
        assert_eq!(services[0].business_name, "临空农业科技1号");
        assert!(store.hr_actions(Some(2026), None).await.unwrap().is_empty());

        let kept = store.stored_tallies().await.unwrap();
        store.rebuild_figures().await.unwrap();
        assert_eq!(kept, store.stored_tallies().await.unwrap());
        assert_eq!(figures(store, code, "rsj").await, (Some(2_00), Some(2_00)));
    }
}

#[tokio::test]
async fn wrong_actions_services_and_hands_write_nothing() {
    for db in databases(&TestClock::at(2025, 6, 25, 2)).await {
        let (store, plan) = (&db.store, plan());
        let (s, [jinghe_firm, changqing_firm]) = setup(store).await;
        let backwards = ActionDraft {
            ends_on: "2025-03-01".into(),
            ..action()
        };
        let errors = field_errors(
            store
                .record_hr_action(&plan, &s.jinghe, &backwards, "")
                .await
                .unwrap_err(),
        );
        assert!(errors[0].starts_with("结束日期"), "{errors:?}");
        let refused = store
            .record_hr_action(&plan, &s.gaj, &action(), "")
            .await
            .unwrap_err();
        assert!(matches!(refused, Error::Forbidden(_)), "{refused:?}");
        assert!(store.hr_actions(None, None).await.unwrap().is_empty());

        let id = store
            .record_hr_action(&plan, &s.jinghe, &action(), "")
            .await
            .unwrap();
        // Outside the period, negative counts, another street's business.
        let outside = service(jinghe_firm, "2025-03-31");
        let negative = ServiceDraft {
            posts_offered: "-3".into(),
            ..service(jinghe_firm, "2025-04-10")
        };
        let elsewhere = service(changqing_firm, "2025-04-10");
        for (draft, field) in [
            (outside, "服务日期"),
            (negative, "提供岗位数"),
            (elsewhere, "返区创业企业"),
        ] {
            let errors = field_errors(
                store
                    .record_hr_service(&plan, &s.jinghe, id, &draft, "")
                    .await
                    .unwrap_err(),
            );
            assert!(errors[0].starts_with(field), "{errors:?}");
        }
        // Another unit cannot record for the street's action.
        for other in [&s.changqing, &s.rsj, &s.gaj] {
            let refused = store
                .record_hr_service(&plan, other, id, &service(jinghe_firm, "2025-04-10"), "")
                .await
                .unwrap_err();
            assert!(matches!(refused, Error::Forbidden(_)), "{refused:?}");
        }
        let (totals, services) = store.hr_action(id).await.unwrap();
        assert!(services.is_empty());
        assert_eq!(totals.services, 0);
        assert_eq!(
            figures(store, "2.4.4.hr_services", "jinghe").await,
            (None, None)
        );
    }
}
