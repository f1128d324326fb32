//! 学子东西湖行 (1.3.3) in the store, on SQLite and (with LINKONG_TEST_PG) PostgreSQL: an
//! organising unit records a visit with its itinerary and students and adds more students from
//! a list; 1.3.3.students counts distinct students per unit and year on their first visit, kept
//! as a tally equal to the rows and to the tallies rebuilt. The same student twice in a visit,
//! bad input and wrong hands write nothing; a unit reads only its own visits.

use linkong_core::access::{Actor, Role};
use linkong_core::student_visits::{StopDraft, StudentDraft, VisitDraft, student_lines};
use linkong_store::student_visits::StudentVisitFilter;
use linkong_store::{Error, Store};
use linkong_testkit::{TestClock, account, databases, date, field_errors, plan, unit_figures};

/// The 2025 figure of `unit` on 1.3.3 (hundredths), from the tallies and from every row.
async fn figures(store: &Store, unit: &str) -> (Option<i64>, Option<i64>) {
    unit_figures(store, "1.3.3.students", unit, 2025, date(2025, 10, 10)).await
}

fn visit(on: &str, students: &str) -> VisitDraft {
    VisitDraft {
        title: "学子东西湖行·网安专场".into(),
        visited_on: on.into(),
        assisted: true,
        stops: vec![
            StopDraft {
                kind: "park_tour".into(),
                place: "国家网络安全人才与创新基地".into(),
            },
            StopDraft {
                kind: "culture".into(),
                place: "柏泉茅庙集".into(),
            },
        ],
        students: student_lines(students),
        note: String::new(),
    }
}

fn student(name: &str) -> StudentDraft {
    StudentDraft {
        name: name.into(),
        school: "武汉大学".into(),
        major: "网络空间安全".into(),
        grade: "大三".into(),
    }
}

async fn stored(store: &Store) -> usize {
    store.stored_tallies().await.unwrap().len()
}

async fn check_rebuild(store: &Store) {
    let kept = store.stored_tallies().await.unwrap();
    store.rebuild_figures().await.unwrap();
    assert_eq!(kept, store.stored_tallies().await.unwrap());
}

#[tokio::test]
async fn distinct_students_count_once_a_year_per_unit_on_their_first_visit() {
    for db in databases(&TestClock::at(2025, 10, 10, 2)).await {
        let (store, plan) = (&db.store, plan());
        let rsj = account(store, "rsj01", Role::UnitStaff, Some("rsj")).await;
        let jkj = account(store, "jkj01", Role::UnitStaff, Some("jkj")).await;
        let later = store
            .record_student_visit(
                &plan,
                &rsj,
                &visit(
                    "2025-08-01",
                    "甲，武汉大学，网络空间安全，大三\n乙，华中科技大学，软件工程，研一",
                ),
                "",
            )
            .await
            .unwrap();
        assert_eq!(figures(store, "rsj").await, (Some(2_00), Some(2_00)));
        // An earlier visit with 甲 moves 甲 to its own day; the unit's total stays distinct.
        store
            .record_student_visit(
                &plan,
                &rsj,
                &visit("2025-07-01", "甲,武汉大学,网络空间安全,大三"),
                "",
            )
            .await
            .unwrap();
        assert_eq!(figures(store, "rsj").await, (Some(2_00), Some(2_00)));
        // Another unit counts the same student for itself.
        store
            .record_student_visit(
                &plan,
                &jkj,
                &visit("2025-08-02", "甲，武汉大学，网络空间安全，大三"),
                "",
            )
            .await
            .unwrap();
        assert_eq!(figures(store, "jkj").await, (Some(1_00), Some(1_00)));
        // Students added from a list to the later visit: one new, one already counted by the unit.
        let added = store
            .add_visit_students(&plan, &rsj, later, &[(2, student("丙"))], "")
            .await
            .unwrap();
        assert_eq!(added, 1);
        assert_eq!(figures(store, "rsj").await, (Some(3_00), Some(3_00)));
        check_rebuild(store).await;
        let detail = store.student_visit(&plan, &rsj, later, "").await.unwrap();
        assert_eq!(detail.students.len(), 3);
        assert_eq!(detail.visit.stops.len(), 2);
        assert!(detail.visit.assisted);
    }
}

#[tokio::test]
async fn the_same_student_twice_in_a_visit_and_bad_input_write_nothing() {
    for db in databases(&TestClock::at(2025, 10, 10, 2)).await {
        let (store, plan) = (&db.store, plan());
        let rsj = account(store, "rsj01", Role::UnitStaff, Some("rsj")).await;
        let twice = visit(
            "2025-08-01",
            "甲，武汉大学，网络空间安全，大三\n乙，华中科技大学，软件工程，研一\n甲，武汉大学，网络空间安全，大四",
        );
        let errors = field_errors(
            store
                .record_student_visit(&plan, &rsj, &twice, "")
                .await
                .unwrap_err(),
        );
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(
            errors[0].starts_with("参与学生：第 3 行：与第 1 行是同一名学生"),
            "{errors:?}"
        );
        let all = StudentVisitFilter::default();
        assert!(
            store
                .student_visits(&plan, &rsj, &all, "")
                .await
                .unwrap()
                .is_empty()
        );
        assert_eq!(stored(store).await, 0);

        let id = store
            .record_student_visit(
                &plan,
                &rsj,
                &visit("2025-08-01", "甲，武汉大学，网络空间安全，大三"),
                "",
            )
            .await
            .unwrap();
        let list = [(2, student("丁")), (3, student("甲"))];
        let errors = field_errors(
            store
                .add_visit_students(&plan, &rsj, id, &list, "")
                .await
                .unwrap_err(),
        );
        assert_eq!(
            errors,
            ["参与学生：第 3 行：甲（武汉大学 网络空间安全）已在本次活动名单中，不能重复登记"]
        );
        let detail = store.student_visit(&plan, &rsj, id, "").await.unwrap();
        assert_eq!(detail.students.len(), 1, "nothing of the list was written");
        assert_eq!(figures(store, "rsj").await, (Some(1_00), Some(1_00)));
    }
}

#[tokio::test]
async fn only_the_organiser_records_and_a_unit_reads_its_own_visits() {
    for db in databases(&TestClock::at(2025, 10, 10, 2)).await {
        let (store, plan) = (&db.store, plan());
        let rsj = account(store, "rsj01", Role::UnitStaff, Some("rsj")).await;
        let jkj = account(store, "jkj01", Role::UnitStaff, Some("jkj")).await;
        let lead = account(store, "tuanquwei01", Role::UnitStaff, Some("tuanquwei")).await;
        let street = account(store, "jinghe01", Role::UnitStaff, Some("jinghe")).await;
        let wlj = account(store, "wlj01", Role::UnitStaff, Some("wlj")).await;
        let tf = account(store, "zhuanban", Role::TaskForce, None).await;
        let good = visit("2025-08-01", "甲，武汉大学，网络空间安全，大三");
        let refused = |e: Error| assert!(matches!(e, Error::Forbidden(_)), "{e:?}");
        refused(
            store
                .record_student_visit(&plan, &street, &good, "")
                .await
                .unwrap_err(),
        );
        refused(
            store
                .record_student_visit(&plan, &wlj, &good, "")
                .await
                .unwrap_err(),
        );
        let id = store
            .record_student_visit(&plan, &rsj, &good, "")
            .await
            .unwrap();
        refused(
            store
                .add_visit_students(&plan, &jkj, id, &[(2, student("乙"))], "")
                .await
                .unwrap_err(),
        );
        refused(store.student_visit(&plan, &jkj, id, "").await.unwrap_err());
        let all = StudentVisitFilter::default();
        let count = |actor: Actor| {
            let all = all.clone();
            let plan = plan.clone();
            async move {
                store
                    .student_visits(&plan, &actor, &all, "")
                    .await
                    .map(|v| v.len())
            }
        };
        assert_eq!(count(jkj).await.unwrap(), 0);
        assert_eq!(count(lead).await.unwrap(), 1);
        assert_eq!(count(wlj).await.unwrap(), 1, "区文旅局 assisted it");
        assert_eq!(count(tf).await.unwrap(), 1);
        refused(count(street).await.unwrap_err());
        assert_eq!(figures(store, "rsj").await, (Some(1_00), Some(1_00)));
    }
}
