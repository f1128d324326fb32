//! The project library in the store, on SQLite and (with LINKONG_TEST_PG) PostgreSQL: projects
//! collected by the departments, screened in or dropped and published by 区人社局, adopted by
//! returnee businesses; 2.1.2's figure per source unit comes from the projects screened in,
//! kept as a tally in the screening's transaction and equal to the tallies rebuilt from rows.

use linkong_core::access::{Actor, Role, Roster};
use linkong_core::businesses::BusinessDraft;
use linkong_core::people::{MigrantDraft, PersonDraft, validate_migrant};
use linkong_core::projects::{ProjectDraft, ProjectStatus, ProjectStep};
use linkong_store::people::{ImportRow, RowData};
use linkong_store::projects::ProjectFilter;
use linkong_store::{Error, Store};
use linkong_testkit::{
    TestClock, account, databases, date, field_errors, import_rows, plan, resident_id_for,
    unit_figures, uscc_for,
};

fn project(name: &str, unit: &str) -> ProjectDraft {
    ProjectDraft {
        name: name.into(),
        section: "F".into(),
        investment_min: "5".into(),
        investment_max: "30".into(),
        expected_jobs: "4".into(),
        outlook: "社区团购和直播带货需求增长。".into(),
        site_needs: "临街门面 60 平方米".into(),
        policies: "一次性创业补贴".into(),
        source_unit: unit.into(),
        agricultural: false,
    }
}

/// The 2025 figure of `unit` on 2.1.2 (hundredths), as the dashboard computes it from the
/// tallies, and as counted from every row.
async fn figures(store: &Store, unit: &str) -> (Option<i64>, Option<i64>) {
    unit_figures(store, "2.1.2.projects", unit, 2025, date(2025, 10, 10)).await
}

async fn staff(store: &Store) -> (Actor, Actor, Actor) {
    (
        account(store, "swj01", Role::UnitStaff, Some("swj")).await,
        account(store, "jkj01", Role::UnitStaff, Some("jkj")).await,
        account(store, "rsj01", Role::UnitStaff, Some("rsj")).await,
    )
}

#[tokio::test]
async fn projects_screened_in_fill_2_1_2_for_their_source_unit_and_dropped_ones_never_count() {
    let clock = TestClock::at(2025, 6, 10, 2);
    let start = clock.now();
    for db in databases(&clock).await {
        clock.set(start);
        let (store, plan) = (&db.store, plan());
        let (swj, _, rsj) = staff(store).await;
        let mut ids = Vec::new();
        for name in ["社区生鲜团购", "跨境电商选品", "汉派服饰直播", "预制菜加工"]
        {
            ids.push(
                store
                    .save_project(&plan, &swj, None, &project(name, "swj"), "")
                    .await
                    .unwrap(),
            );
        }
        assert_eq!(
            figures(store, "swj").await,
            (Some(0), Some(0)),
            "collected: not yet"
        );
        for id in &ids[..3] {
            store
                .move_project(&plan, &rsj, *id, &ProjectStep::ScreenIn, "")
                .await
                .unwrap();
        }
        clock.advance(chrono::Duration::days(30));
        let drop = ProjectStep::Drop {
            reason: "与已入库项目重复".into(),
        };
        store
            .move_project(&plan, &rsj, ids[3], &drop, "")
            .await
            .unwrap();
        store
            .move_project(&plan, &rsj, ids[0], &ProjectStep::Publish, "")
            .await
            .unwrap();
        assert_eq!(figures(store, "swj").await, (Some(3_00), Some(3_00)));
        let behind = store
            .screened_projects(&swj, "swj", 2025, "")
            .await
            .unwrap();
        assert_eq!(behind.len(), 3);
        let days: Vec<_> = behind.iter().map(|p| p.screened_on).collect();
        assert_eq!(days, [Some(date(2025, 6, 10)); 3]);
        let dropped = store.project(&rsj, ids[3], "").await.unwrap().project;
        assert_eq!(dropped.status, ProjectStatus::Dropped);
        assert_eq!(dropped.drop_reason, "与已入库项目重复");

        let kept = store.stored_tallies().await.unwrap();
        store.rebuild_figures().await.unwrap();
        assert_eq!(kept, store.stored_tallies().await.unwrap());
        assert_eq!(figures(store, "swj").await, (Some(3_00), Some(3_00)));
    }
}

#[tokio::test]
async fn bad_input_and_wrong_hands_change_nothing() {
    for db in databases(&TestClock::at(2025, 6, 10, 2)).await {
        let (store, plan) = (&db.store, plan());
        let (swj, jkj, rsj) = staff(store).await;
        let id = store
            .save_project(&plan, &swj, None, &project("社区生鲜团购", "swj"), "")
            .await
            .unwrap();

        // Investment minimum above the maximum.
        let mut bad = project("跨境电商选品", "swj");
        bad.investment_min = "50".into();
        let errors = field_errors(
            store
                .save_project(&plan, &swj, None, &bad, "")
                .await
                .unwrap_err(),
        );
        assert_eq!(errors, ["投资上限（万元）：上限（30）不能小于下限（50）"]);

        // A department entering or screening for another.
        let refused = store
            .save_project(&plan, &jkj, Some(id), &project("改名", "swj"), "")
            .await
            .unwrap_err();
        assert!(matches!(refused, Error::Forbidden(_)), "{refused:?}");
        let refused = store
            .move_project(&plan, &swj, id, &ProjectStep::ScreenIn, "")
            .await
            .unwrap_err();
        assert!(matches!(refused, Error::Forbidden(_)), "{refused:?}");
        assert_eq!(
            store.recent_audit(1).await.unwrap()[0].action,
            "access.denied"
        );

        // Dropped without a reason; published before screening.
        let no_reason = ProjectStep::Drop { reason: " ".into() };
        let errors = field_errors(
            store
                .move_project(&plan, &rsj, id, &no_reason, "")
                .await
                .unwrap_err(),
        );
        assert_eq!(errors, ["不予入库原因：不能为空"]);
        assert!(matches!(
            store
                .move_project(&plan, &rsj, id, &ProjectStep::Publish, "")
                .await
                .unwrap_err(),
            Error::Conflict(_)
        ));
        let all = store
            .projects(&rsj, &ProjectFilter::default(), "")
            .await
            .unwrap();
        assert_eq!(all.len(), 1);
        assert_eq!(all[0].status, ProjectStatus::Collected);
        assert_eq!(all[0].name, "社区生鲜团购");
        assert_eq!(figures(store, "swj").await, (Some(0), Some(0)));

        // Once screened in, the collecting unit no longer edits it.
        store
            .move_project(&plan, &rsj, id, &ProjectStep::ScreenIn, "")
            .await
            .unwrap();
        assert!(matches!(
            store
                .save_project(&plan, &swj, Some(id), &project("改名", "swj"), "")
                .await
                .unwrap_err(),
            Error::Conflict(_)
        ));
    }
}

#[tokio::test]
async fn a_published_project_is_public_and_adopted_by_a_returnee_business() {
    for db in databases(&TestClock::at(2025, 6, 10, 2)).await {
        let (store, plan) = (&db.store, plan());
        let (swj, _, rsj) = staff(store).await;
        let draft = MigrantDraft {
            person: PersonDraft {
                name: "返乡青年".into(),
                id_number: resident_id_for(7),
                street: "径河".into(),
                ..Default::default()
            },
            province: "浙江".into(),
            city: "杭州".into(),
            section: "F".into(),
            years_away: "4".into(),
            intention: "返区创业".into(),
            business_field: "社区团购".into(),
            contact_consent: "是".into(),
            surveyed_on: "2025-02-01".into(),
            ..Default::default()
        };
        let row = ImportRow {
            row: 2,
            sealed: None,
            data: RowData::Migrant(validate_migrant(&plan, &draft, date(2025, 6, 10)).unwrap()),
        };
        import_rows(store, "rsj", Roster::Migrants, vec![row], true)
            .await
            .unwrap()
            .unwrap();
        let jinghe = account(store, "jinghe01", Role::UnitStaff, Some("jinghe")).await;
        let business = store
            .save_business(
                &plan,
                &jinghe,
                None,
                &BusinessDraft {
                    name: "径河邻里生鲜".into(),
                    uscc: uscc_for(1),
                    licensed_on: "2025-05-20".into(),
                    legal_form: "individual_business".into(),
                    section: "F".into(),
                    forms: vec!["live_commerce".into()],
                    street: "jinghe".into(),
                    site: "径河街道三店村".into(),
                    founders: resident_id_for(7),
                    keep_founders: false,
                },
                "",
            )
            .await
            .unwrap();
        let (open, hidden) = (
            store
                .save_project(&plan, &swj, None, &project("社区生鲜团购", "swj"), "")
                .await
                .unwrap(),
            store
                .save_project(&plan, &swj, None, &project("跨境电商选品", "swj"), "")
                .await
                .unwrap(),
        );
        let publish = |id| {
            let (plan, rsj) = (&plan, &rsj);
            async move {
                for step in [ProjectStep::ScreenIn, ProjectStep::Publish] {
                    store.move_project(plan, rsj, id, &step, "").await.unwrap();
                }
            }
        };
        // Not yet published: not public, and not adoptable.
        assert!(matches!(
            store.published_project(open).await.unwrap_err(),
            Error::NotFound(_)
        ));
        let errors = field_errors(
            store
                .adopt_project(&plan, &jinghe, business, &open.to_string(), "")
                .await
                .unwrap_err(),
        );
        assert!(errors[0].starts_with("采用项目"), "{errors:?}");
        publish(open).await;
        let public = store
            .published_projects(&ProjectFilter::default())
            .await
            .unwrap();
        assert_eq!(public.iter().map(|p| p.id).collect::<Vec<_>>(), [open]);
        assert!(store.published_project(hidden).await.is_err());

        store
            .adopt_project(&plan, &jinghe, business, &open.to_string(), "")
            .await
            .unwrap();
        assert_eq!(
            store.published_project(open).await.unwrap().status,
            ProjectStatus::Adopted
        );
        let detail = store.project(&rsj, open, "").await.unwrap();
        assert_eq!(detail.adopters[0].1, "径河邻里生鲜");
        let twice = store
            .adopt_project(&plan, &jinghe, business, &open.to_string(), "")
            .await
            .unwrap_err();
        assert!(field_errors(twice)[0].contains("已登记采用"));
        let person = store
            .business(&plan, &jinghe, business, "")
            .await
            .unwrap()
            .business
            .founders[0]
            .person_id;
        let founded = store
            .businesses_of_person(&plan, &jinghe, person, "")
            .await
            .unwrap();
        assert_eq!(founded[0].1, [(open, "社区生鲜团购".to_owned())]);
    }
}
