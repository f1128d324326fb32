//! The social-insurance enrolment list (参保名单) in the store, on SQLite and (with
//! LINKONG_TEST_PG) PostgreSQL: 区人社局 imports it whole, a second import of the same rows
//! updates and never duplicates, a street's staff are refused (audited) and nothing is written;
//! the 免申即享 scan's reads (enrolments by employer, headcount on a day) see the rows, joined
//! to residents by the blind index of the resident ID.

use chrono::NaiveDate;
use linkong_core::access::{Actor, Role, Roster};
use linkong_core::insurance::{
    EnrolmentDraft, InsuranceKind, ValidEnrolment, insured_months, validate_enrolment,
};
use linkong_store::{Error, Store};
use linkong_testkit::{
    TestClock, account, databases, date, import_rows, resident_id_for, uscc_for, would_be_founder,
};

fn row(n: usize, employer: usize, kinds: &str, started: &str, ended: &str) -> ValidEnrolment {
    let draft = EnrolmentDraft {
        name: format!("参保人{n}"),
        id_number: resident_id_for(n),
        uscc: uscc_for(employer),
        employer_name: format!("临空港企业{employer}"),
        kinds: kinds.into(),
        started: started.into(),
        ended: ended.into(),
    };
    validate_enrolment(&draft, date(2025, 12, 1)).expect("a good row")
}

fn list() -> Vec<ValidEnrolment> {
    vec![
        row(1, 1, "失业、工伤、养老", "2025-01", ""),
        row(2, 1, "失业、工伤、养老", "2025-03", "2025-08"),
        row(3, 1, "养老", "2025-06", ""),
        row(1, 2, "失业、工伤、养老", "2024-01", "2024-12"),
        row(4, 2, "工伤", "2025-02", ""),
    ]
}

/// Every stored enrolment, read back through the scan's read (employers 1 to 5 are all the
/// lists use).
async fn rows_in(store: &Store) -> usize {
    let usccs: Vec<String> = (1..=5).map(uscc_for).collect();
    store.enrolments_at_employers(&usccs).await.unwrap().len()
}

async fn audits(store: &Store, action: &str) -> usize {
    let recent = store.recent_audit(100).await.unwrap();
    recent.iter().filter(|r| r.action == action).count()
}

#[tokio::test]
async fn rsj_imports_the_list_and_the_scan_reads_it_by_employer() {
    let clock = TestClock::at(2025, 12, 1, 9);
    for db in databases(&clock).await {
        let store = &db.store;
        // Resident 1 is in the out-migrant registry; the others are not.
        import_rows(
            store,
            "jinghe",
            Roster::Migrants,
            vec![would_be_founder(1, "王", "jinghe")],
            true,
        )
        .await
        .unwrap()
        .unwrap();
        let rsj = account(store, "rsj1", Role::UnitStaff, Some("rsj")).await;
        let outcome = store
            .import_enrolments(&rsj, "参保名单.xlsx", &list(), "127.0.0.1", None)
            .await
            .unwrap();
        assert_eq!(
            (
                outcome.rows,
                outcome.created,
                outcome.updated,
                outcome.unchanged
            ),
            (5, 5, 0, 0),
            "{:?}",
            db.backend
        );
        assert_eq!(rows_in(store).await, 5);
        assert_eq!(audits(store, "import.insurance").await, 1);

        let at_one = store.enrolments_at_employers(&[uscc_for(1)]).await.unwrap();
        assert_eq!(at_one.len(), 3);
        assert!(at_one.iter().all(|e| e.employer_uscc == uscc_for(1)));
        let both = store
            .enrolments_at_employers(&[uscc_for(1), uscc_for(2)])
            .await
            .unwrap();
        assert_eq!(both.len(), 5);
        assert!(
            store
                .enrolments_at_employers(&[uscc_for(3)])
                .await
                .unwrap()
                .is_empty()
        );
        assert!(store.enrolments_at_employers(&[]).await.unwrap().is_empty());

        // Resident 1's two enrolments share the blind index and are linked to the resident.
        let first: Vec<_> = both
            .iter()
            .filter(|e| e.started_on == date(2025, 1, 1) || e.started_on == date(2024, 1, 1))
            .collect();
        assert_eq!(first.len(), 2);
        assert_eq!(first[0].id_number_index, first[1].id_number_index);
        assert!(first[0].person_id.is_some());
        assert_eq!(first[0].person_id, first[1].person_id);
        assert_eq!(both.iter().filter(|e| e.person_id.is_some()).count(), 2);
        // No personal data in clear: the index is not the ID.
        assert!(both.iter().all(|e| e.id_number_index.len() == 32
            && !e.id_number_index.contains(&resident_id_for(1)[..6])));
        let three = both
            .iter()
            .find(|e| e.started_on == date(2025, 6, 1))
            .unwrap();
        assert_eq!(three.kinds, vec![InsuranceKind::Pension]);
        let two = both
            .iter()
            .find(|e| e.started_on == date(2025, 3, 1))
            .unwrap();
        assert_eq!(two.ended_on, Some(date(2025, 8, 31)));

        // Resident 1 at employer 1: January to November 2025 are over by 30 November.
        let one: Vec<_> = both
            .iter()
            .filter(|e| e.id_number_index == first[0].id_number_index)
            .cloned()
            .collect();
        assert_eq!(insured_months(&one, &uscc_for(1), date(2025, 11, 30)), 11);
        assert_eq!(insured_months(&one, &uscc_for(2), date(2025, 11, 30)), 12);

        // Headcount on a day: who is enrolled then, any kind, each person once.
        assert_eq!(
            store
                .insured_headcount(&uscc_for(1), date(2025, 2, 28))
                .await
                .unwrap(),
            1
        );
        assert_eq!(
            store
                .insured_headcount(&uscc_for(1), date(2025, 6, 1))
                .await
                .unwrap(),
            3
        );
        assert_eq!(
            store
                .insured_headcount(&uscc_for(1), date(2025, 8, 31))
                .await
                .unwrap(),
            3
        );
        assert_eq!(
            store
                .insured_headcount(&uscc_for(1), date(2025, 9, 1))
                .await
                .unwrap(),
            2
        );
        assert_eq!(
            store
                .insured_headcount(&uscc_for(2), date(2024, 12, 31))
                .await
                .unwrap(),
            1
        );
        assert_eq!(
            store
                .insured_headcount(&uscc_for(2), date(2025, 1, 1))
                .await
                .unwrap(),
            0
        );
        assert_eq!(
            store
                .insured_headcount(&uscc_for(2), date(2025, 2, 1))
                .await
                .unwrap(),
            1
        );
    }
}

#[tokio::test]
async fn importing_the_same_list_again_updates_and_never_duplicates() {
    let clock = TestClock::at(2025, 12, 1, 9);
    for db in databases(&clock).await {
        let store = &db.store;
        let admin = account(store, "admin1", Role::Admin, None).await;
        store
            .import_enrolments(&admin, "一月.csv", &list(), "", None)
            .await
            .unwrap();
        let again = store
            .import_enrolments(&admin, "一月.csv", &list(), "", None)
            .await
            .unwrap();
        assert_eq!(
            (again.rows, again.created, again.updated, again.unchanged),
            (5, 0, 0, 5),
            "{:?}",
            db.backend
        );
        assert_eq!(rows_in(store).await, 5);

        // Next month's list: resident 1 left employer 1 in November; a new enrolment started.
        let mut next = list();
        next[0] = row(1, 1, "失业、工伤、养老", "2025-01", "2025-11");
        next.push(row(5, 1, "失业、工伤、养老", "2025-11", ""));
        let third = store
            .import_enrolments(&admin, "二月.csv", &next, "", None)
            .await
            .unwrap();
        assert_eq!(
            (third.rows, third.created, third.updated, third.unchanged),
            (6, 1, 1, 4)
        );
        assert_eq!(rows_in(store).await, 6);
        let ended = store.enrolments_at_employers(&[uscc_for(1)]).await.unwrap();
        assert!(ended.iter().any(|e| e.started_on == date(2025, 1, 1) && e.ended_on == Some(date(2025, 11, 30))));
        assert_eq!(
            store
                .insured_headcount(&uscc_for(1), date(2025, 12, 1))
                .await
                .unwrap(),
            2
        );
    }
}

#[tokio::test]
async fn a_streets_staff_may_not_import_and_nothing_is_written() {
    let clock = TestClock::at(2025, 12, 1, 9);
    for db in databases(&clock).await {
        let store = &db.store;
        let jinghe = account(store, "jinghe1", Role::UnitStaff, Some("jinghe")).await;
        let task_force = account(store, "zb1", Role::TaskForce, None).await;
        for actor in [&jinghe, &task_force] {
            let refused = store
                .import_enrolments(actor, "参保名单.xlsx", &list(), "10.0.0.1", None)
                .await;
            assert!(matches!(refused, Err(Error::Forbidden(_))), "{refused:?}");
        }
        assert_eq!(rows_in(store).await, 0, "{:?}", db.backend);
        assert_eq!(audits(store, "import.insurance").await, 0);
        assert_eq!(audits(store, "access.denied").await, 2);
        // The console (the CLI) reads as an admin and may.
        let outcome = store
            .import_enrolments(&Actor::console(), "参保名单.xlsx", &list(), "", None)
            .await
            .unwrap();
        assert_eq!(outcome.created, 5);
    }
}

#[test]
fn rows_are_whole_months() {
    let r = row(1, 1, "养老", "2025-02", "2025-02");
    assert_eq!(
        (r.started_on, r.ended_on),
        (
            date(2025, 2, 1),
            Some(NaiveDate::from_ymd_opt(2025, 2, 28).unwrap())
        )
    );
}

#[tokio::test]
async fn residents_are_enrolled_by_id_under_the_same_key_as_an_import_of_the_list() {
    use linkong_core::businesses::BusinessDraft;
    use linkong_store::insurance::ResidentEnrolment;
    let clock = TestClock::at(2025, 12, 1, 9);
    for db in databases(&clock).await {
        let store = &db.store;
        let plan = linkong_testkit::plan();
        import_rows(
            store,
            "jinghe",
            Roster::Migrants,
            vec![would_be_founder(1, "王", "jinghe")],
            true,
        )
        .await
        .unwrap()
        .unwrap();
        let jinghe = account(store, "jinghe1", Role::UnitStaff, Some("jinghe")).await;
        let draft = BusinessDraft {
            name: "径河智能科技".into(),
            uscc: uscc_for(1),
            licensed_on: "2025-03-01".into(),
            legal_form: "small_micro".into(),
            section: "I".into(),
            forms: vec!["tech_innovation".into()],
            street: "jinghe".into(),
            site: "径河街道创业园".into(),
            founders: resident_id_for(1),
            keep_founders: false,
        };
        store
            .save_business(&plan, &jinghe, None, &draft, "")
            .await
            .unwrap();
        let founders = store.business_founders_at_work().await.unwrap();
        assert_eq!(founders.len(), 1, "{:?}", db.backend);
        assert_eq!(
            (founders[0].employer_uscc.as_str(), founders[0].since),
            (uscc_for(1).as_str(), date(2025, 3, 1))
        );
        assert!(
            store
                .placed_through_applications()
                .await
                .unwrap()
                .is_empty()
        );

        let enrol = ResidentEnrolment {
            person_id: founders[0].person_id,
            employer_uscc: uscc_for(1),
            employer_name: "径河智能科技".into(),
            kinds: InsuranceKind::ALL.to_vec(),
            started_on: date(2025, 3, 1),
            ended_on: None,
        };
        // A street may not; 区人社局 may.
        assert!(matches!(
            store
                .enrol_residents(&jinghe, "演示", std::slice::from_ref(&enrol), "")
                .await,
            Err(Error::Forbidden(_))
        ));
        let rsj = account(store, "rsj1", Role::UnitStaff, Some("rsj")).await;
        let done = store
            .enrol_residents(&rsj, "演示", &[enrol], "")
            .await
            .unwrap();
        assert_eq!(done.created, 1);
        let rows = store.enrolments_at_employers(&[uscc_for(1)]).await.unwrap();
        assert_eq!(rows[0].person_id, Some(founders[0].person_id));
        // The same person, employer and month in a list with the ID in clear: the same row.
        let again = store
            .import_enrolments(
                &rsj,
                "参保名单.xlsx",
                &[row(1, 1, "失业、工伤、养老", "2025-03", "")],
                "",
                None,
            )
            .await
            .unwrap();
        assert_eq!((again.created, again.updated), (0, 1));
        assert_eq!(rows_in(store).await, 1);
    }
}
