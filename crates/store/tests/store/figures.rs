//! The figures every view adds up are read from tallies kept by each write (issue 12, item 8);
//! these tests hold them to the figures counted from every row, on SQLite and (with
//! LINKONG_TEST_PG) PostgreSQL.

use chrono::{NaiveDate, TimeZone, Utc};
use linkong_core::access::{Actor, Role};
use linkong_core::jobs::{PostDraft, validate_post};
use linkong_core::password::NewPassword;
use linkong_core::phone::Phone;
use linkong_core::progress::compute;
use linkong_core::record::RecordDraft;
use linkong_core::reporting::{ReportPeriod, report_lines};
use linkong_store::Store;
use linkong_store::employers::EmployerDraft;
use linkong_store::events::EventDraft;
use linkong_store::jobs::{BulkPost, PostReview};
use linkong_store::users::NewUser;
use linkong_testkit::{TestClock, databases, date, plan};

const RULES: &str = include_str!("../../../../rules/fraud-screening.toml");

async fn user(store: &Store, username: &str, role: Role, unit: Option<&str>) -> Actor {
    let new = NewUser {
        username: username.into(),
        display_name: username.into(),
        role,
        unit_code: unit.map(str::to_owned),
        password: NewPassword::parse("Figures#2025", "x").unwrap(),
        must_change_password: false,
    };
    store.create_user(None, new, "").await.unwrap().actor()
}

fn guidance(unit: &str, value: &str, day: &str) -> RecordDraft {
    RecordDraft {
        indicator_code: "2.2.1.guidance".into(),
        unit_code: unit.into(),
        value: value.into(),
        occurred_on: day.into(),
        description: "创业指导".into(),
    }
}

fn post(positions: &str, emerging: bool) -> PostDraft {
    PostDraft {
        title: "前端开发工程师".into(),
        description: "负责公司官网和小程序的前端开发，熟悉 Vue 或 React，能与后端协作联调。".into(),
        occupation_group: if emerging { "2" } else { "6" }.into(),
        occupation: "软件工程技术人员".into(),
        // Software (6513) is emerging; a factory job (section C, group 6) is not.
        industry_section: if emerging { "I" } else { "C" }.into(),
        industry_code: if emerging { "6513" } else { "" }.into(),
        occupation_code: String::new(),
        level: String::new(),
        leading_industry: "cyber_security_big_data".into(),
        positions: positions.into(),
        education: "bachelor".into(),
        experience: "fresh".into(),
        salary_min: "6000".into(),
        salary_max: "9000".into(),
        street_code: "jinghe".into(),
        contact_name: "李女士".into(),
        contact_phone: "13900001111".into(),
        valid_from: "2025-01-01".into(),
        valid_until: "2025-12-31".into(),
        raised_by: "jinghe".into(),
    }
}

/// Records added, corrected into another month, voided; posts loaded in bulk, published by a
/// reviewer and closed; events held.
async fn write_everything(store: &Store) {
    let plan = plan();
    let jinghe = user(store, "jinghe01", Role::UnitStaff, Some("jinghe")).await;
    let changqing = user(store, "changqing01", Role::UnitStaff, Some("changqing")).await;
    let admin = user(store, "admin01", Role::Admin, None).await;
    let reviewer = user(store, "shenhe01", Role::Reviewer, None).await;
    let mut ids = Vec::new();
    for (value, day) in [
        ("3", "2025-02-03"),
        ("4", "2025-02-03"),
        ("5", "2025-05-31"),
        ("6", "2025-06-01"),
    ] {
        let id = store
            .add_record(
                &jinghe,
                &plan,
                &guidance("jinghe", value, day),
                None,
                None,
                "",
            )
            .await
            .unwrap();
        ids.push(id);
    }
    store
        .add_record(
            &changqing,
            &plan,
            &guidance("changqing", "7", "2025-03-15"),
            None,
            None,
            "",
        )
        .await
        .unwrap();
    // A correction moves the record of 5 from May into July; another record is voided.
    store
        .add_record(
            &jinghe,
            &plan,
            &guidance("jinghe", "8", "2025-07-02"),
            None,
            Some(ids[2]),
            "",
        )
        .await
        .unwrap();
    store
        .void_record(&jinghe, ids[1], "重复填报", "")
        .await
        .unwrap();

    let employer = store
        .register_employer(
            &plan,
            &EmployerDraft {
                uscc: "91420112MA4KXXXX1W".into(),
                name: "武汉临空港科技有限公司".into(),
                industry_section: "I".into(),
                street_code: "jinghe".into(),
                contact_name: "王敏".into(),
                contact_phone: "13812345678".into(),
                account_username: "boss".into(),
                account_password: "Employer#2025".into(),
            },
            "",
        )
        .await
        .unwrap();
    store
        .review_employer(&reviewer, employer.id, true, "", "")
        .await
        .unwrap();
    let bulk: Vec<BulkPost> = [
        ("4", true, (3, 1)),
        ("9", false, (3, 1)),
        ("2", true, (8, 31)),
    ]
    .into_iter()
    .map(|(positions, emerging, (m, d))| BulkPost {
        employer_id: employer.id,
        post: validate_post(&plan, &post(positions, emerging)).unwrap(),
        contact_phone: Phone::parse("13900001111").unwrap(),
        // 23:30 in Wuhan: the next day in local time than in UTC.
        published_at: Utc.with_ymd_and_hms(2025, m, d, 15, 30, 0).unwrap(),
    })
    .collect();
    let loaded = store.load_published_posts(&admin, &bulk).await.unwrap();
    let boss = store.user_by_name("boss").await.unwrap().unwrap().actor();
    let rules = linkong_core::fraud::FraudRules::parse(RULES).unwrap();
    let submitted = store
        .save_job_post(
            &boss,
            &plan,
            &rules,
            None,
            None,
            &post("5", false),
            true,
            "",
        )
        .await
        .unwrap();
    store
        .review_job_post(
            &reviewer,
            submitted.id,
            &PostReview::Publish {
                override_reason: Some("已核实".into()),
            },
            "",
        )
        .await
        .unwrap();
    store
        .close_job_post(&reviewer, loaded[0], "已招满", "")
        .await
        .unwrap();
    // A reviewer counts the factory post of March among the emerging ones, with a reason.
    store
        .override_emerging(&reviewer, loaded[1], true, "核实为智能制造研发岗位", "")
        .await
        .unwrap();

    for day in ["2025-04-20", "2025-04-20", "2025-09-30"] {
        let event = EventDraft {
            kind: "community".into(),
            title: "送岗位进社区".into(),
            organiser: "jinghe".into(),
            held_on: day.into(),
            online: false,
            place: "径河街道党群服务中心".into(),
            attendance: "100".into(),
            intentions: "10".into(),
            ..EventDraft::default()
        };
        store.save_event(&jinghe, &plan, &event, "").await.unwrap();
    }
}

/// Every indicator × unit figure of the year's dashboard and of each unit's quarterly reports,
/// from the tallies and from the rows.
async fn assert_tallies_equal_rows(store: &Store, today: NaiveDate) {
    let plan = plan();
    let from = date(2025, 1, 1);
    let tallied = store
        .record_figures(&plan, from, date(2025, 12, 31))
        .await
        .unwrap();
    let counted = store
        .record_figures_from_rows(&plan, from, date(2025, 12, 31))
        .await
        .unwrap();
    assert_eq!(
        compute(&plan, 2025, today, &tallied),
        compute(&plan, 2025, today, &counted)
    );
    for quarter in ["2025Q1", "2025Q2", "2025Q3", "2025Q4"] {
        let period = ReportPeriod::parse(quarter, &plan).unwrap();
        let end = period.range().1;
        let tallied = store.record_figures(&plan, from, end).await.unwrap();
        let counted = store
            .record_figures_from_rows(&plan, from, end)
            .await
            .unwrap();
        for unit in ["jinghe", "changqing", "rsj"] {
            assert_eq!(
                report_lines(&plan, unit, period, &tallied),
                report_lines(&plan, unit, period, &counted),
                "{unit} {quarter}"
            );
        }
    }
}

#[tokio::test]
async fn dashboard_figures_equal_the_raw_rows_after_voids_and_corrections() {
    let clock = TestClock::at(2025, 10, 10, 2);
    for db in databases(&clock).await {
        let store = &db.store;
        write_everything(store).await;
        assert_tallies_equal_rows(store, date(2025, 10, 10)).await;
        let progress = compute(
            &plan(),
            2025,
            date(2025, 10, 10),
            &store
                .record_figures(&plan(), date(2025, 1, 1), date(2025, 12, 31))
                .await
                .unwrap(),
        );
        let guidance = progress
            .iter()
            .find(|p| p.indicator_code == "2.2.1.guidance")
            .unwrap();
        let jinghe = guidance
            .units
            .iter()
            .find(|u| u.unit_code == "jinghe")
            .unwrap();
        // 3 + 6 + 8: the voided 4 and the corrected 5 are gone.
        assert_eq!(jinghe.figure.actual, Some(17_00));
        assert_eq!(jinghe.figure.records, 3);
        let positions = progress
            .iter()
            .find(|p| p.indicator_code == "1.1.1.positions")
            .unwrap();
        // The closed post still counts, as published posts always did.
        assert_eq!(positions.district.actual, Some(20_00));
    }
}

#[tokio::test]
async fn tallies_kept_by_every_write_equal_tallies_rebuilt_from_the_rows() {
    let clock = TestClock::at(2025, 10, 10, 2);
    for db in databases(&clock).await {
        let store = &db.store;
        write_everything(store).await;
        let kept = store.stored_tallies().await.unwrap();
        assert!(!kept.is_empty());
        store.rebuild_figures().await.unwrap();
        assert_eq!(kept, store.stored_tallies().await.unwrap());
    }
}

#[tokio::test]
async fn a_later_day_of_the_year_reads_whole_months_and_cut_days_exactly() {
    let clock = TestClock::at(2025, 10, 10, 2);
    for db in databases(&clock).await {
        let store = &db.store;
        write_everything(store).await;
        // Later in the year: the registries' window ends mid-month.
        for day in [15, 31] {
            clock.set(Utc.with_ymd_and_hms(2025, 12, day, 2, 0, 0).unwrap());
            assert_tallies_equal_rows(store, date(2025, 12, day)).await;
        }
    }
}
