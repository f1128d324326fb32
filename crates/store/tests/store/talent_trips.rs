//! 揽才团 (1.1.3) in the store, on SQLite and (with LINKONG_TEST_PG) PostgreSQL: 区人社局 records
//! a trip with its participating units and fairs, adds the delegation's employers with posts and
//! CVs, and traces hires back to it (one through a job application). 1.1.3.trips and
//! 1.1.3.hires per organising unit are tallies equal to the rows and to the tallies rebuilt.
//! Bad input and wrong hands write nothing; a participating unit reads the trips it joined.

use linkong_core::access::Role;
use linkong_core::talent_trips::{DelegateDraft, FairDraft, HireDraft, TripDraft};
use linkong_store::talent_trips::TripFilter;
use linkong_store::{Error, Store};
use linkong_testkit::{
    TestClock, account, databases, date, field_errors, hired_graduate, plan, unit_figures,
};

async fn figures(store: &Store, code: &str, unit: &str) -> (Option<i64>, Option<i64>) {
    unit_figures(store, code, unit, 2025, date(2025, 11, 20)).await
}

fn trip() -> TripDraft {
    TripDraft {
        destination: "西安".into(),
        departed_on: "2025-10-20".into(),
        returned_on: "2025-10-23".into(),
        partners: vec!["gaoxin".into(), "jinghe".into()],
        fairs: vec![FairDraft {
            school: "西安电子科技大学".into(),
            held_on: "2025-10-21".into(),
        }],
        note: String::new(),
    }
}

fn hire(employer: i64, on: &str, application: &str) -> HireDraft {
    HireDraft {
        name: "陈晓明".into(),
        employer: employer.to_string(),
        hired_on: on.into(),
        application: application.into(),
    }
}

#[tokio::test]
async fn a_trip_and_its_hires_count_for_the_organiser_and_equal_the_rows() {
    for db in databases(&TestClock::at(2025, 11, 20, 2)).await {
        let (store, plan) = (&db.store, plan());
        let hired = hired_graduate(store, 1, date(2025, 11, 1)).await;
        let other = hired_graduate(store, 2, date(2025, 11, 1)).await;
        let rsj = account(store, "rsj01", Role::UnitStaff, Some("rsj")).await;
        let id = store
            .record_talent_trip(&plan, &rsj, &trip(), "")
            .await
            .unwrap();
        assert_eq!(
            figures(store, "1.1.3.trips", "rsj").await,
            (Some(1_00), Some(1_00))
        );
        let delegate = DelegateDraft {
            employer: hired.employer_id.to_string(),
            posts: "12".into(),
            cvs: "48".into(),
        };
        store
            .add_trip_employer(&plan, &rsj, id, &delegate, "")
            .await
            .unwrap();
        let again = field_errors(
            store
                .add_trip_employer(&plan, &rsj, id, &delegate, "")
                .await
                .unwrap_err(),
        );
        assert_eq!(again, ["用人单位：该用人单位已在本次揽才团中"]);
        // An application to another employer's post is refused, naming the field.
        let wrong = hire(
            hired.employer_id,
            "2025-11-05",
            &other.application.to_string(),
        );
        let errors = field_errors(
            store
                .add_trip_hire(&plan, &rsj, id, &wrong, "")
                .await
                .unwrap_err(),
        );
        assert_eq!(errors.len(), 1);
        assert!(errors[0].starts_with("求职申请编号："), "{errors:?}");
        let traced = hire(
            hired.employer_id,
            "2025-11-05",
            &hired.application.to_string(),
        );
        store
            .add_trip_hire(&plan, &rsj, id, &traced, "")
            .await
            .unwrap();
        store
            .add_trip_hire(
                &plan,
                &rsj,
                id,
                &hire(hired.employer_id, "2025-11-10", ""),
                "",
            )
            .await
            .unwrap();
        assert_eq!(
            figures(store, "1.1.3.hires", "rsj").await,
            (Some(2_00), Some(2_00))
        );
        let kept = store.stored_tallies().await.unwrap();
        store.rebuild_figures().await.unwrap();
        assert_eq!(kept, store.stored_tallies().await.unwrap());

        let detail = store.talent_trip(&plan, &rsj, id, "").await.unwrap();
        assert_eq!(
            (detail.trip.posts, detail.trip.cvs, detail.trip.hires),
            (12, 48, 2)
        );
        assert_eq!(detail.hires[0].name_masked, "陈**");
        assert_eq!(detail.hires[0].application_id, Some(hired.application));
        assert_eq!(detail.trip.partners, ["gaoxin", "jinghe"]);
    }
}

#[tokio::test]
async fn bad_input_and_wrong_hands_write_nothing_and_a_partner_reads_the_trips_it_joined() {
    for db in databases(&TestClock::at(2025, 11, 20, 2)).await {
        let (store, plan) = (&db.store, plan());
        let rsj = account(store, "rsj01", Role::UnitStaff, Some("rsj")).await;
        let jinghe = account(store, "jinghe01", Role::UnitStaff, Some("jinghe")).await;
        let changqing = account(store, "changqing01", Role::UnitStaff, Some("changqing")).await;
        let tuanquwei = account(store, "tuanquwei01", Role::UnitStaff, Some("tuanquwei")).await;
        let mut bad = trip();
        bad.destination = "武汉".into();
        bad.fairs.clear();
        let errors = field_errors(
            store
                .record_talent_trip(&plan, &rsj, &bad, "")
                .await
                .unwrap_err(),
        );
        assert_eq!(
            errors,
            [
                "目的地城市：揽才团赴市外高校招聘，目的地不能是武汉",
                "高校招聘会：至少填写一场参加的高校招聘会",
            ]
        );
        let refused = |e: Error| assert!(matches!(e, Error::Forbidden(_)), "{e:?}");
        refused(
            store
                .record_talent_trip(&plan, &tuanquwei, &trip(), "")
                .await
                .unwrap_err(),
        );
        assert!(store.stored_tallies().await.unwrap().is_empty());
        let id = store
            .record_talent_trip(&plan, &rsj, &trip(), "")
            .await
            .unwrap();
        let out_of_delegation = field_errors(
            store
                .add_trip_hire(&plan, &rsj, id, &hire(1, "2025-11-05", ""), "")
                .await
                .unwrap_err(),
        );
        assert_eq!(out_of_delegation, ["用人单位：该用人单位不在本次揽才团中"]);
        let delegate = DelegateDraft {
            employer: "1".into(),
            posts: "3".into(),
            cvs: "1".into(),
        };
        refused(
            store
                .add_trip_employer(&plan, &jinghe, id, &delegate, "")
                .await
                .unwrap_err(),
        );
        let all = TripFilter::default();
        assert_eq!(
            store
                .talent_trips(&plan, &jinghe, &all, "")
                .await
                .unwrap()
                .len(),
            1
        );
        assert!(
            store
                .talent_trips(&plan, &changqing, &all, "")
                .await
                .unwrap()
                .is_empty()
        );
        refused(
            store
                .talent_trip(&plan, &changqing, id, "")
                .await
                .unwrap_err(),
        );
        refused(
            store
                .talent_trips(&plan, &tuanquwei, &all, "")
                .await
                .unwrap_err(),
        );
        assert_eq!(
            figures(store, "1.1.3.hires", "rsj").await,
            (Some(0), Some(0))
        );
    }
}
