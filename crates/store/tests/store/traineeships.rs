//! Traineeships and skills training of unplaced graduates (1.1.4) in the store, on SQLite and
//! (with LINKONG_TEST_PG) PostgreSQL: 区人社局 recognises bases; a street and 区人社局 place
//! graduates at a base and enroll them in courses, each with a 1131 "培训或见习" service row;
//! 1.1.4.trainees counts them (人次) for the recording unit on the start day, kept as tallies
//! equal to the rows and to the tallies rebuilt; a hire by the base places the graduate. Bad
//! input and wrong hands write nothing.

use linkong_core::access::{Actor, Role, Roster};
use linkong_core::people::{Placement, ServiceItem};
use linkong_core::traineeships::{BaseDraft, CourseDraft, TraineeshipDraft};
use linkong_store::graduates::{GraduateFilter, PlacementDraft};
use linkong_store::traineeships::TraineeFilter;
use linkong_store::{Error, Store};
use linkong_testkit::{
    TestClock, account, databases, date, field_errors, import_rows, plan, unplaced_graduate,
};

const CODE: &str = "1.1.4.trainees";

async fn figures(store: &Store, unit: &str) -> (Option<i64>, Option<i64>) {
    linkong_testkit::unit_figures(store, CODE, unit, 2025, date(2025, 10, 10)).await
}

fn base(name: &str, places: &str) -> BaseDraft {
    BaseDraft {
        name: name.into(),
        employer: format!("{name}依托单位"),
        uscc: String::new(),
        street: "jinghe".into(),
        places: places.into(),
        posts: "会计、行政助理".into(),
        contact_name: "王敏".into(),
        contact_phone: "13812345678".into(),
        recognised_on: "2025-03-01".into(),
    }
}

fn traineeship(base: i64, starts_on: &str) -> TraineeshipDraft {
    TraineeshipDraft {
        base: base.to_string(),
        starts_on: starts_on.into(),
        planned_end_on: "2026-01-31".into(),
        ended_on: String::new(),
        outcome: "ongoing".into(),
    }
}

fn course(starts_on: &str) -> CourseDraft {
    CourseDraft {
        course: "电工".into(),
        provider: "东西湖区职业技能培训中心".into(),
        starts_on: starts_on.into(),
        ends_on: "2025-09-20".into(),
        result: "certified".into(),
        certificate: "低压电工作业证".into(),
    }
}

struct World {
    rsj: Actor,
    jinghe: Actor,
    changqing: Actor,
    /// Graduates 1 and 3 of 径河, 2 of 长青, by number.
    ids: [i64; 4],
}

async fn world(store: &Store) -> World {
    let rows = vec![
        unplaced_graduate(1, "径河"),
        unplaced_graduate(2, "长青"),
        unplaced_graduate(3, "径河"),
    ];
    import_rows(store, "rsj", Roster::Graduates, rows, true)
        .await
        .unwrap()
        .unwrap();
    let rsj = account(store, "rsj01", Role::UnitStaff, Some("rsj")).await;
    let year = GraduateFilter {
        year: 2025,
        ..Default::default()
    };
    let (all, _) = store
        .graduates(&plan(), &rsj, &year, 1, 50, "")
        .await
        .unwrap();
    let id = |n: usize| {
        all.iter()
            .find(|g| g.name == format!("毕业生{n}"))
            .map(|g| g.id)
            .unwrap()
    };
    World {
        jinghe: account(store, "jinghe01", Role::UnitStaff, Some("jinghe")).await,
        changqing: account(store, "changqing01", Role::UnitStaff, Some("changqing")).await,
        ids: [0, id(1), id(2), id(3)],
        rsj,
    }
}

/// Rows written so far: traineeships, courses, 1131 services.
async fn written(store: &Store, w: &World) -> (usize, usize, usize) {
    let all = TraineeFilter::default();
    let t = store.traineeships(&plan(), &w.rsj, &all, "").await.unwrap();
    let c = store
        .graduate_courses(&plan(), &w.rsj, &all, "")
        .await
        .unwrap();
    let mut services = 0;
    for id in &w.ids[1..] {
        services += store
            .graduate(&plan(), &w.rsj, *id, "")
            .await
            .unwrap()
            .1
            .len();
    }
    (t.len(), c.len(), services)
}

#[tokio::test]
async fn traineeships_and_courses_count_for_the_recording_unit_on_the_start_day() {
    for db in databases(&TestClock::at(2025, 10, 10, 2)).await {
        let (store, plan) = (&db.store, plan());
        let w = world(store).await;
        let a = store
            .record_traineeship_base(&plan, &w.rsj, &base("甲基地", "2"), "")
            .await
            .unwrap();
        let placed = traineeship(a, "2025-08-01");
        store
            .record_traineeship(&plan, &w.jinghe, w.ids[1], &placed, "")
            .await
            .unwrap();
        store
            .record_graduate_course(&plan, &w.jinghe, w.ids[1], &course("2025-07-10"), "")
            .await
            .unwrap();
        store
            .record_graduate_course(&plan, &w.rsj, w.ids[2], &course("2025-07-01"), "")
            .await
            .unwrap();
        assert_eq!(figures(store, "jinghe").await, (Some(2_00), Some(2_00)));
        assert_eq!(figures(store, "rsj").await, (Some(1_00), Some(1_00)));

        // Each wrote a 1131 "培训或见习" service naming the base or the course.
        let (entry, log) = store
            .graduate(&plan, &w.jinghe, w.ids[1], "")
            .await
            .unwrap();
        assert_eq!(entry.done(ServiceItem::Training), 2);
        let notes: Vec<&str> = log.iter().map(|s| s.note.as_str()).collect();
        assert_eq!(notes, ["技能培训：电工", "就业见习：甲基地"]);

        let bases = store.traineeship_bases(2025).await.unwrap();
        assert_eq!((bases[0].places, bases[0].used, bases[0].left()), (2, 1, 1));
        assert_eq!(bases[0].contact_phone_masked, "138****5678");
        assert_eq!(store.traineeship_bases(2026).await.unwrap()[0].used, 0);

        // A street reads its own graduates' rows; the unit filter is the recording unit.
        let all = TraineeFilter::default();
        let own = store
            .graduate_courses(&plan, &w.jinghe, &all, "")
            .await
            .unwrap();
        assert_eq!(own.len(), 1);
        let by_rsj = TraineeFilter {
            year: Some(2025),
            unit: Some("rsj".into()),
        };
        let listed = store
            .graduate_courses(&plan, &w.rsj, &by_rsj, "")
            .await
            .unwrap();
        assert_eq!(
            (listed.len(), listed[0].graduate_name.as_str()),
            (1, "毕业生2")
        );
        assert!(
            store
                .traineeships(&plan, &w.changqing, &all, "")
                .await
                .unwrap()
                .is_empty()
        );

        let kept = store.stored_tallies().await.unwrap();
        store.rebuild_figures().await.unwrap();
        assert_eq!(kept, store.stored_tallies().await.unwrap());
        assert_eq!(figures(store, "jinghe").await, (Some(2_00), Some(2_00)));
    }
}

#[tokio::test]
async fn a_graduate_hired_by_the_base_is_placed_in_the_same_step() {
    for db in databases(&TestClock::at(2025, 10, 10, 2)).await {
        let (store, plan) = (&db.store, plan());
        let w = world(store).await;
        let a = store
            .record_traineeship_base(&plan, &w.rsj, &base("甲基地", "5"), "")
            .await
            .unwrap();
        let id = store
            .record_traineeship(
                &plan,
                &w.jinghe,
                w.ids[1],
                &traineeship(a, "2025-07-01"),
                "",
            )
            .await
            .unwrap();
        let listed = store
            .traineeships(&plan, &w.jinghe, &TraineeFilter::default(), "")
            .await
            .unwrap();
        assert_eq!(listed[0].outcome_label(), "在岗见习中");

        // Ended before it started: refused naming the field.
        let errors = field_errors(
            store
                .set_traineeship_outcome(&plan, &w.jinghe, id, "hired", "2025-06-30", "")
                .await
                .unwrap_err(),
        );
        assert!(errors[0].starts_with("实际结束日期"), "{errors:?}");
        // Another street may not record it.
        let refused = store
            .set_traineeship_outcome(&plan, &w.changqing, id, "hired", "2025-09-30", "")
            .await
            .unwrap_err();
        assert!(matches!(refused, Error::Forbidden(_)), "{refused:?}");

        store
            .set_traineeship_outcome(&plan, &w.jinghe, id, "hired", "2025-09-30", "")
            .await
            .unwrap();
        let (entry, _) = store
            .graduate(&plan, &w.jinghe, w.ids[1], "")
            .await
            .unwrap();
        assert_eq!(entry.placement, Placement::Employed.code());
        assert_eq!(entry.placed_on, Some(date(2025, 9, 30)));
        assert_eq!(entry.placement_evidence, "就业见习基地留用：甲基地");
        let (streets, _) = store
            .placement_rates(2025, date(2025, 10, 10))
            .await
            .unwrap();
        let jinghe = streets.iter().find(|r| r.unit_code == "jinghe").unwrap();
        assert_eq!((jinghe.total, jinghe.placed), (2, 1));

        // Recorded as hired at once; a graduate placed already keeps the placement.
        store
            .set_placement(
                &plan,
                &w.jinghe,
                w.ids[3],
                &PlacementDraft {
                    placement: "further_study".into(),
                    placed_on: "2025-09-01".into(),
                    evidence: "录取通知书".into(),
                },
                "",
            )
            .await
            .unwrap();
        let hired = TraineeshipDraft {
            outcome: "hired".into(),
            ended_on: "2025-09-30".into(),
            ..traineeship(a, "2025-07-01")
        };
        store
            .record_traineeship(&plan, &w.jinghe, w.ids[3], &hired, "")
            .await
            .unwrap();
        let (entry, _) = store
            .graduate(&plan, &w.jinghe, w.ids[3], "")
            .await
            .unwrap();
        assert_eq!(entry.placement, Placement::FurtherStudy.code());
        store
            .record_traineeship(&plan, &w.rsj, w.ids[2], &hired, "")
            .await
            .unwrap();
        let (entry, _) = store.graduate(&plan, &w.rsj, w.ids[2], "").await.unwrap();
        assert_eq!(entry.placement, Placement::Employed.code());

        let kept = store.stored_tallies().await.unwrap();
        store.rebuild_figures().await.unwrap();
        assert_eq!(kept, store.stored_tallies().await.unwrap());
        assert_eq!(figures(store, "jinghe").await, (Some(2_00), Some(2_00)));
    }
}

#[tokio::test]
async fn bad_input_full_or_withdrawn_bases_and_wrong_hands_write_nothing() {
    for db in databases(&TestClock::at(2025, 10, 10, 2)).await {
        let (store, plan) = (&db.store, plan());
        let w = world(store).await;
        let full = store
            .record_traineeship_base(&plan, &w.rsj, &base("甲基地", "1"), "")
            .await
            .unwrap();
        let other = store
            .record_traineeship_base(&plan, &w.rsj, &base("乙基地", "3"), "")
            .await
            .unwrap();
        store
            .record_traineeship(
                &plan,
                &w.jinghe,
                w.ids[1],
                &traineeship(full, "2025-08-01"),
                "",
            )
            .await
            .unwrap();
        let before = written(store, &w).await;
        let tallies = store.stored_tallies().await.unwrap();

        let refusals: Vec<(i64, TraineeshipDraft, &str)> = vec![
            // The planned end before the start.
            (
                w.ids[3],
                TraineeshipDraft {
                    planned_end_on: "2025-07-01".into(),
                    ..traineeship(other, "2025-08-01")
                },
                "计划结束日期",
            ),
            // No place left at the base this year.
            (w.ids[3], traineeship(full, "2025-09-01"), "见习基地"),
            // Already in an ongoing traineeship.
            (w.ids[1], traineeship(other, "2025-09-01"), "毕业生"),
        ];
        for (graduate, draft, field) in refusals {
            let errors = field_errors(
                store
                    .record_traineeship(&plan, &w.jinghe, graduate, &draft, "")
                    .await
                    .unwrap_err(),
            );
            assert_eq!(errors.len(), 1, "{errors:?}");
            assert!(errors[0].starts_with(field), "{errors:?}");
        }
        // A withdrawn base takes nobody.
        store
            .set_traineeship_base_status(&plan, &w.rsj, other, "withdrawn", "")
            .await
            .unwrap();
        let errors = field_errors(
            store
                .record_traineeship(
                    &plan,
                    &w.jinghe,
                    w.ids[3],
                    &traineeship(other, "2025-09-01"),
                    "",
                )
                .await
                .unwrap_err(),
        );
        assert!(errors[0].contains("已撤销"), "{errors:?}");
        // A course ending before it starts.
        let backwards = CourseDraft {
            ends_on: "2025-06-01".into(),
            ..course("2025-07-01")
        };
        let errors = field_errors(
            store
                .record_graduate_course(&plan, &w.jinghe, w.ids[3], &backwards, "")
                .await
                .unwrap_err(),
        );
        assert!(errors[0].starts_with("培训结束日期"), "{errors:?}");
        // Another street's graduate, and a street recognising a base.
        for refused in [
            store
                .record_graduate_course(&plan, &w.changqing, w.ids[3], &course("2025-07-01"), "")
                .await
                .unwrap_err(),
            store
                .record_traineeship_base(&plan, &w.jinghe, &base("丙基地", "3"), "")
                .await
                .unwrap_err(),
            store
                .set_traineeship_base_status(&plan, &w.jinghe, full, "withdrawn", "")
                .await
                .unwrap_err(),
        ] {
            assert!(matches!(refused, Error::Forbidden(_)), "{refused:?}");
        }
        let bad_base = field_errors(
            store
                .record_traineeship_base(&plan, &w.rsj, &base("丁基地", "0"), "")
                .await
                .unwrap_err(),
        );
        assert!(bad_base[0].starts_with("每年见习岗位数"), "{bad_base:?}");

        assert_eq!(written(store, &w).await, before);
        assert_eq!(store.stored_tallies().await.unwrap(), tallies);
        assert_eq!(store.traineeship_bases(2025).await.unwrap().len(), 2);
    }
}
