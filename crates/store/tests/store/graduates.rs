//! Unplaced graduates in the store, on SQLite and (with LINKONG_TEST_PG) PostgreSQL: the 1131
//! service log, placements, the placement rate per street feeding indicator 1.1.4, scoping,
//! and a hire on the job platform placing the graduate by itself.

use linkong_core::access::Role;
use linkong_core::access::Roster;
use linkong_core::fraud::FraudRules;
use linkong_core::jobs::{ApplicationStatus, PostDraft};
use linkong_core::people::{GraduateDraft, PersonDraft, validate_graduate};
use linkong_core::plan::Plan;
use linkong_store::applicants::ApplicantSignup;
use linkong_store::employers::EmployerDraft;
use linkong_store::graduates::{GraduateFilter, PlacementDraft, ServiceDraft};
use linkong_store::jobs::PostReview;
use linkong_store::people::{ImportRow, RowData};
use linkong_store::{Error, Store};
use linkong_testkit::{TestClock, account, databases, date, import_rows, plan, resident_id_for};

fn graduate(n: usize, street: &str, phone: &str) -> ImportRow {
    let draft = GraduateDraft {
        person: PersonDraft {
            name: format!("毕业生{n}"),
            id_number: resident_id_for(n),
            phone: phone.into(),
            street: street.into(),
            community: String::new(),
            schooling: "本科".into(),
        },
        school: "江汉大学".into(),
        major: "会计学".into(),
        degree: "本科".into(),
        graduated_on: "2025-06-30".into(),
        wish: "财务".into(),
    };
    ImportRow {
        row: n + 1,
        sealed: None,
        data: RowData::Graduate(
            validate_graduate(&plan(), &draft, date(2025, 10, 10)).expect("valid row"),
        ),
    }
}

fn fields(error: Error) -> Vec<&'static str> {
    match error {
        Error::Fields(errors) => errors.iter().map(|e| e.field).collect(),
        other => panic!("expected field errors, got {other:?}"),
    }
}

/// The 1.1.4 figure of `unit` for 2025 as the dashboard computes it (hundredths of a point).
async fn rate_figure(store: &Store, unit: &str) -> Option<i64> {
    let figures = store
        .record_figures(&plan(), date(2025, 1, 1), date(2025, 12, 31))
        .await
        .unwrap();
    let progress = linkong_core::progress::compute(&plan(), 2025, date(2025, 10, 10), &figures);
    let indicator = progress
        .iter()
        .find(|p| p.indicator_code == "1.1.4.placement_rate")
        .expect("indicator 1.1.4");
    if unit.is_empty() {
        return indicator.district.actual;
    }
    indicator
        .units
        .iter()
        .find(|u| u.unit_code == unit)
        .and_then(|u| u.figure.actual)
}

/// Registers and verifies an employer, publishes one post and returns (employer account, post).
async fn published_post(store: &Store, plan: &Plan) -> (linkong_core::access::Actor, i64) {
    let reviewer = account(store, "shenhe", Role::Reviewer, None).await;
    let registered = store
        .register_employer(
            plan,
            &EmployerDraft {
                uscc: "91350100M000100Y43".into(),
                name: "武汉临空港智造科技有限公司".into(),
                industry_section: "C".into(),
                street_code: "jinghe".into(),
                contact_name: "王敏".into(),
                contact_phone: "13812345678".into(),
                account_username: "zhizao".into(),
                account_password: "Employer#2025".into(),
            },
            "",
        )
        .await
        .unwrap();
    store
        .review_employer(&reviewer, registered.id, true, "", "")
        .await
        .unwrap();
    let boss = store.user_by_name("zhizao").await.unwrap().unwrap().actor();
    let draft = PostDraft {
        title: "出纳（应届）".into(),
        description: "负责日常收付款、票据整理和银行对账，会计相关专业应届毕业生优先考虑。".into(),
        occupation_group: "3".into(),
        occupation: "会计".into(),
        industry_section: "C".into(),
        leading_industry: "intelligent_manufacturing".into(),
        industry_code: String::new(),
        occupation_code: String::new(),
        level: String::new(),
        positions: "2".into(),
        education: "bachelor".into(),
        experience: "fresh".into(),
        salary_min: "4500".into(),
        salary_max: "6000".into(),
        street_code: "jinghe".into(),
        contact_name: "李女士".into(),
        contact_phone: "13900001111".into(),
        valid_from: "2025-10-01".into(),
        valid_until: "2025-12-31".into(),
        raised_by: "jinghe".into(),
    };
    let rules = FraudRules::parse(include_str!("../../../../rules/fraud-screening.toml")).unwrap();
    let post = store
        .save_job_post(&boss, plan, &rules, None, None, &draft, true, "")
        .await
        .unwrap();
    store
        .review_job_post(
            &reviewer,
            post.id,
            &PostReview::Publish {
                override_reason: None,
            },
            "",
        )
        .await
        .unwrap();
    (boss, post.id)
}

#[tokio::test]
async fn services_and_placements_move_the_streets_rate() {
    for db in databases(&TestClock::at(2025, 10, 10, 2)).await {
        let store = &db.store;
        let plan = plan();
        let rows = vec![
            graduate(1, "径河", ""),
            graduate(2, "径河", ""),
            graduate(3, "长青", ""),
        ];
        let outcome = import_rows(store, "rsj", Roster::Graduates, rows, true)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(outcome.created, 3, "{:?}", db.backend);
        let jinghe = account(store, "jinghe01", Role::UnitStaff, Some("jinghe")).await;
        let changqing = account(store, "changqing01", Role::UnitStaff, Some("changqing")).await;
        let task_force = account(store, "zhuanban", Role::TaskForce, None).await;
        let year = GraduateFilter {
            year: 2025,
            ..Default::default()
        };
        let (mine, total) = store
            .graduates(&plan, &jinghe, &year, 1, 50, "")
            .await
            .unwrap();
        assert_eq!(total, 2);
        let first = mine[0].id;
        assert_eq!(mine[0].waiting().len(), 4, "every 1131 item still owed");
        assert_eq!(rate_figure(store, "jinghe").await, Some(0));

        // Bad services are refused with the field named.
        let bad = ServiceDraft {
            item: "referral".into(),
            post_id: "99999".into(),
            done_on: "2025-11-01".into(),
            note: String::new(),
        };
        assert_eq!(
            fields(
                store
                    .add_service(&plan, &jinghe, first, &bad, "")
                    .await
                    .unwrap_err()
            ),
            ["服务日期", "推荐岗位"]
        );
        let no_post = ServiceDraft {
            item: "referral".into(),
            done_on: "2025-10-01".into(),
            ..Default::default()
        };
        assert_eq!(
            fields(
                store
                    .add_service(&plan, &jinghe, first, &no_post, "")
                    .await
                    .unwrap_err()
            ),
            ["推荐岗位"]
        );

        // Another street, and the task force, may not serve this graduate.
        let policy = ServiceDraft {
            item: "policy".into(),
            done_on: "2025-10-09".into(),
            ..Default::default()
        };
        for outsider in [&changqing, &task_force] {
            assert!(matches!(
                store
                    .add_service(&plan, outsider, first, &policy, "")
                    .await
                    .unwrap_err(),
                Error::Forbidden(_)
            ));
        }
        store
            .add_service(&plan, &jinghe, first, &policy, "")
            .await
            .unwrap();
        let (_, post) = published_post(store, &plan).await;
        for _ in 0..3 {
            let referral = ServiceDraft {
                item: "referral".into(),
                post_id: post.to_string(),
                done_on: "2025-10-10".into(),
                note: "已推荐面试".into(),
            };
            store
                .add_service(&plan, &jinghe, first, &referral, "")
                .await
                .unwrap();
        }
        let (entry, log) = store.graduate(&plan, &jinghe, first, "").await.unwrap();
        assert_eq!(log.len(), 4);
        assert_eq!(log[1].post_title.as_deref(), Some("出纳（应届）"));
        let waiting: Vec<&str> = entry.waiting().iter().map(|i| i.code()).collect();
        assert_eq!(waiting, ["guidance", "training"]);
        let still_owed_guidance = GraduateFilter {
            year: 2025,
            waiting: Some(linkong_core::people::ServiceItem::Guidance),
            ..Default::default()
        };
        assert_eq!(
            store
                .graduates(&plan, &jinghe, &still_owed_guidance, 1, 50, "")
                .await
                .unwrap()
                .1,
            2
        );
        let still_owed_referral = GraduateFilter {
            waiting: Some(linkong_core::people::ServiceItem::Referral),
            ..still_owed_guidance
        };
        assert_eq!(
            store
                .graduates(&plan, &jinghe, &still_owed_referral, 1, 50, "")
                .await
                .unwrap()
                .1,
            1,
            "three referrals done"
        );

        // A placement needs its date and evidence.
        let bare = PlacementDraft {
            placement: "employed".into(),
            ..Default::default()
        };
        assert_eq!(
            fields(
                store
                    .set_placement(&plan, &jinghe, first, &bare, "")
                    .await
                    .unwrap_err()
            ),
            ["落实日期", "佐证说明"]
        );
        let placed = PlacementDraft {
            placement: "flexible".into(),
            placed_on: "2025/10/8".into(),
            evidence: "个体经营营业执照".into(),
        };
        store
            .set_placement(&plan, &jinghe, first, &placed, "")
            .await
            .unwrap();
        assert_eq!(
            rate_figure(store, "jinghe").await,
            Some(50_00),
            "{:?}",
            db.backend
        );
        assert_eq!(rate_figure(store, "changqing").await, Some(0));
        assert_eq!(
            rate_figure(store, "").await,
            Some(33_33),
            "district: 1 of 3"
        );

        // Scoping: 长青 cannot open 径河's graduate; the attempt is audited.
        assert!(matches!(
            store
                .graduate(&plan, &changqing, first, "")
                .await
                .unwrap_err(),
            Error::Forbidden(_)
        ));
        assert_eq!(
            store
                .graduates(&plan, &changqing, &year, 1, 50, "")
                .await
                .unwrap()
                .1,
            1
        );
        let audit = store.recent_audit(50).await.unwrap();
        assert!(audit.iter().any(|a| a.action == "access.denied"
            && a.actor == "changqing01"
            && a.target == format!("graduate:{first}")));
        assert!(audit.iter().any(|a| a.action == "graduate.placement"));
    }
}

#[tokio::test]
async fn a_hire_on_the_job_platform_places_the_graduate_with_that_phone() {
    for db in databases(&TestClock::at(2025, 10, 10, 2)).await {
        let store = &db.store;
        let plan = plan();
        import_rows(
            store,
            "jinghe",
            Roster::Graduates,
            vec![graduate(7, "径河", "13700001234")],
            true,
        )
        .await
        .unwrap()
        .unwrap();
        let (boss, post) = published_post(store, &plan).await;
        let applicant = store
            .register_applicant(
                &ApplicantSignup {
                    phone: "137 0000 1234".into(),
                    name: "毕业生7".into(),
                    password: "Graduate#2025".into(),
                },
                "",
            )
            .await
            .unwrap()
            .actor();
        let application = store.apply(&applicant, post, "").await.unwrap();
        for to in [
            ApplicationStatus::Viewed,
            ApplicationStatus::Interview,
            ApplicationStatus::Offer,
        ] {
            store
                .move_application(&boss, application, to, "")
                .await
                .unwrap();
        }
        assert_eq!(rate_figure(store, "jinghe").await, Some(0));
        store
            .move_application(&boss, application, ApplicationStatus::Hired, "")
            .await
            .unwrap();
        let task_force = account(store, "zhuanban", Role::TaskForce, None).await;
        let (list, _) = store
            .graduates(
                &plan,
                &task_force,
                &GraduateFilter {
                    year: 2025,
                    ..Default::default()
                },
                1,
                50,
                "",
            )
            .await
            .unwrap();
        assert_eq!(list[0].placement, "employed", "{:?}", db.backend);
        assert_eq!(list[0].placed_on, Some(date(2025, 10, 10)));
        assert_eq!(list[0].placement_application, Some(application));
        assert!(list[0].placement_evidence.contains("出纳（应届）"));
        assert_eq!(rate_figure(store, "jinghe").await, Some(100_00));
    }
}
