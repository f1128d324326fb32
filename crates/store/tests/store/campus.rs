//! Campus programmes (task 1.2.1, 1.1.2's 一校一策) in the store, on SQLite and (with
//! LINKONG_TEST_PG) PostgreSQL: 政策宣传 activities are 1.2.1.policy_events and placements
//! 1.2.1.interns per organising unit — the figure equals the rows and a rebuild from the rows
//! keeps it; a student counts once per unit and year, at the first placement, even when an
//! earlier one is recorded later; an internship ending before it starts writes nothing; a
//! street reads and records nothing, and a unit may not read another's placements.

use linkong_core::access::{Actor, Role};
use linkong_core::campus::{ActivityDraft, PlacementDraft};
use linkong_store::Store;
use linkong_store::campus::CampusFilter;
use linkong_testkit::{TestClock, account, databases, date, field_errors, plan, unit_figures};

const POLICY_EVENTS: &str = "1.2.1.policy_events";
const INTERNS: &str = "1.2.1.interns";

struct Staff {
    tuanquwei: Actor,
    rsj: Actor,
    jinghe: Actor,
}

async fn setup(store: &Store) -> (Staff, i64, i64) {
    let s = Staff {
        tuanquwei: account(store, "tqw01", Role::UnitStaff, Some("tuanquwei")).await,
        rsj: account(store, "rsj01", Role::UnitStaff, Some("rsj")).await,
        jinghe: account(store, "jinghe01", Role::UnitStaff, Some("jinghe")).await,
    };
    let whu = store
        .add_university(&s.tuanquwei, "武汉大学", "")
        .await
        .unwrap();
    let hust = store
        .add_university(&s.rsj, "华中科技大学", "")
        .await
        .unwrap();
    (s, whu, hust)
}

fn activity(kind: &str, university: i64, held_on: &str) -> ActivityDraft {
    ActivityDraft {
        kind: kind.into(),
        university: university.to_string(),
        held_on: held_on.into(),
        participants: "80".into(),
        note: "就业创业政策宣讲".into(),
    }
}

fn placement(no: &str, university: i64, starts_on: &str, ends_on: &str) -> PlacementDraft {
    PlacementDraft {
        student_name: "李想".into(),
        student_no: no.into(),
        university: university.to_string(),
        major: "网络空间安全".into(),
        employer_name: "武汉安网科技有限公司".into(),
        starts_on: starts_on.into(),
        ends_on: ends_on.into(),
        ..PlacementDraft::default()
    }
}

async fn assert_figure_is_rows_is_rebuild(store: &Store) {
    let plan = plan();
    let (from, to) = (date(2025, 1, 1), date(2025, 12, 31));
    let tallied = store.record_figures(&plan, from, to).await.unwrap();
    let counted = store
        .record_figures_from_rows(&plan, from, to)
        .await
        .unwrap();
    let today = date(2025, 10, 10);
    assert_eq!(
        linkong_core::progress::compute(&plan, 2025, today, &tallied),
        linkong_core::progress::compute(&plan, 2025, today, &counted)
    );
    let kept = store.stored_tallies().await.unwrap();
    store.rebuild_figures().await.unwrap();
    assert_eq!(kept, store.stored_tallies().await.unwrap());
}

#[tokio::test]
async fn policy_publicity_activities_are_the_policy_events_figure_per_organising_unit() {
    for db in databases(&TestClock::at(2025, 10, 10, 2)).await {
        let store = &db.store;
        let (s, whu, hust) = setup(store).await;
        for (actor, draft) in [
            (&s.tuanquwei, activity("政策宣传", whu, "2025-04-10")),
            (
                &s.tuanquwei,
                activity("policy_publicity", hust, "2025-05-20"),
            ),
            (&s.tuanquwei, activity("结对辅导", whu, "2025-05-21")),
            (&s.rsj, activity("政策宣传", hust, "2025-06-01")),
            (&s.rsj, activity("政策宣传", hust, "2024-12-01")),
        ] {
            store
                .record_campus_activity(actor, &draft, "")
                .await
                .unwrap();
        }
        let (tqw, tqw_rows) =
            unit_figures(store, POLICY_EVENTS, "tuanquwei", 2025, date(2025, 10, 10)).await;
        assert_eq!(tqw, tqw_rows, "{:?}", db.backend);
        assert_eq!(tqw, Some(200), "two 政策宣传, the 结对辅导 not counted");
        let (rsj, _) = unit_figures(store, POLICY_EVENTS, "rsj", 2025, date(2025, 10, 10)).await;
        assert_eq!(rsj, Some(100), "the 2024 one is not 2025's");
        assert_figure_is_rows_is_rebuild(store).await;
    }
}

#[tokio::test]
async fn a_student_counts_once_per_unit_and_year_on_the_first_start_day() {
    for db in databases(&TestClock::at(2025, 10, 10, 2)).await {
        let store = &db.store;
        let (s, whu, hust) = setup(store).await;
        let record = |actor: &Actor, draft: PlacementDraft| {
            let actor = actor.clone();
            async move { store.record_placement(&actor, &draft, "").await.unwrap() }
        };
        let later = record(
            &s.rsj,
            placement("2022301", whu, "2025-08-01", "2025-08-31"),
        )
        .await;
        // The same student placed again by 区人社局, earlier in the year: counts instead.
        let earlier = record(
            &s.rsj,
            placement("2022301", whu, "2025-07-01", "2025-07-31"),
        )
        .await;
        // Same 学号 at another university: another student.
        record(
            &s.rsj,
            placement("2022301", hust, "2025-07-15", "2025-09-15"),
        )
        .await;
        // The same student with 团区委: counts for 团区委 too.
        record(
            &s.tuanquwei,
            placement("2022301", whu, "2025-09-01", "2025-09-30"),
        )
        .await;
        let (rsj, rsj_rows) = unit_figures(store, INTERNS, "rsj", 2025, date(2025, 10, 10)).await;
        assert_eq!(rsj, rsj_rows, "{:?}", db.backend);
        assert_eq!(rsj, Some(200), "{:?}", db.backend);
        let (tqw, _) = unit_figures(store, INTERNS, "tuanquwei", 2025, date(2025, 10, 10)).await;
        assert_eq!(tqw, Some(100));
        let filter = CampusFilter {
            year: 2025,
            unit: Some("rsj".into()),
        };
        let listed = store.campus_overview(&s.rsj, &filter, "").await.unwrap();
        let counted = |id| {
            listed
                .placements
                .iter()
                .find(|p| p.id == id)
                .unwrap()
                .counted
        };
        assert!(counted(earlier) && !counted(later));
        assert_figure_is_rows_is_rebuild(store).await;
    }
}

#[tokio::test]
async fn an_internship_ending_before_it_starts_is_refused_and_writes_nothing() {
    for db in databases(&TestClock::at(2025, 10, 10, 2)).await {
        let store = &db.store;
        let (s, whu, _) = setup(store).await;
        let audit_before = store.recent_audit(1).await.unwrap();
        let wrong = placement("2022302", whu, "2025-07-01", "2025-06-30");
        let refused = store
            .record_placement(&s.rsj, &wrong, "")
            .await
            .unwrap_err();
        assert_eq!(
            field_errors(refused),
            ["结束日期：结束日期 2025-06-30 早于开始日期 2025-07-01"]
        );
        let unknown = placement("2022302", whu + 100, "2025-07-01", "2025-07-30");
        let refused = store
            .record_placement(&s.rsj, &unknown, "")
            .await
            .unwrap_err();
        assert!(field_errors(refused)[0].starts_with("高校："));
        let filter = CampusFilter {
            year: 2025,
            unit: None,
        };
        let overview = store
            .campus_overview(&Actor::console(), &filter, "")
            .await
            .unwrap();
        assert!(overview.placements.is_empty(), "{:?}", db.backend);
        assert_eq!(store.recent_audit(1).await.unwrap(), audit_before);
        let (rsj, _) = unit_figures(store, INTERNS, "rsj", 2025, date(2025, 10, 10)).await;
        assert_eq!(rsj, Some(0), "nothing counted");
    }
}

#[tokio::test]
async fn a_street_reads_and_records_nothing_and_a_unit_reads_only_its_own_placements() {
    for db in databases(&TestClock::at(2025, 10, 10, 2)).await {
        let store = &db.store;
        let (s, whu, _) = setup(store).await;
        let id = store
            .record_placement(
                &s.rsj,
                &placement("2022303", whu, "2025-07-01", "2025-07-30"),
                "",
            )
            .await
            .unwrap();
        let filter = CampusFilter {
            year: 2025,
            unit: None,
        };
        let refused = store.campus_overview(&s.jinghe, &filter, "").await;
        assert!(matches!(refused, Err(linkong_store::Error::Forbidden(_))));
        let refused = store
            .record_campus_activity(&s.jinghe, &activity("政策宣传", whu, "2025-05-01"), "")
            .await;
        assert!(matches!(refused, Err(linkong_store::Error::Forbidden(_))));
        let audit = &store.recent_audit(1).await.unwrap()[0];
        assert_eq!(audit.action, "access.denied");
        let other = store.placement(&s.tuanquwei, id, "").await;
        assert!(matches!(other, Err(linkong_store::Error::Forbidden(_))));
        let own = store
            .campus_overview(&s.tuanquwei, &filter, "")
            .await
            .unwrap();
        assert!(own.placements.is_empty(), "团区委 sees only its own");
        let asked = CampusFilter {
            year: 2025,
            unit: Some("rsj".into()),
        };
        assert!(
            store
                .campus_overview(&s.tuanquwei, &asked, "")
                .await
                .is_err()
        );
        let task_force = account(store, "zb01", Role::TaskForce, None).await;
        let all = store
            .campus_overview(&task_force, &filter, "")
            .await
            .unwrap();
        assert_eq!(all.placements.len(), 1);
    }
}
