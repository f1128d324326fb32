//! Returnee skills training (2.4.4) in the store, on SQLite and (with LINKONG_TEST_PG)
//! PostgreSQL: 区人社局 and a street record classes with trainees from the out-migrant registry,
//! some certified; 2.4.4's figure counts the trainees (人次) for the organiser on the end day,
//! kept as tallies equal to the rows and to the tallies rebuilt. Bad input and wrong hands
//! write nothing.

use linkong_core::access::{Role, Roster};
use linkong_core::skills::ClassDraft;
use linkong_store::{Error, Store};
use linkong_testkit::{
    TestClock, account, databases, date, field_errors, import_rows, plan, resident_id_for,
    would_be_founder,
};

const CODE: &str = "2.4.4.trained";

async fn figures(store: &Store, unit: &str) -> (Option<i64>, Option<i64>) {
    linkong_testkit::unit_figures(store, CODE, unit, 2025, date(2025, 6, 30)).await
}

fn class(trainees: &str) -> ClassDraft {
    ClassDraft {
        kind: "vocational".into(),
        title: "电工职业技能培训班".into(),
        starts_on: "2025-06-02".into(),
        ends_on: "2025-06-06".into(),
        trainees: trainees.into(),
    }
}

async fn registry(store: &Store) {
    let rows = vec![
        would_be_founder(1, "张", "径河"),
        would_be_founder(2, "李", "径河"),
        would_be_founder(3, "王", "长青"),
    ];
    import_rows(store, "rsj", Roster::Migrants, rows, true)
        .await
        .unwrap()
        .unwrap();
}

#[tokio::test]
async fn trainees_count_for_the_organiser_on_the_end_day() {
    for db in databases(&TestClock::at(2025, 6, 25, 2)).await {
        let (store, plan) = (&db.store, plan());
        registry(store).await;
        let rsj = account(store, "rsj01", Role::UnitStaff, Some("rsj")).await;
        let jinghe = account(store, "jinghe01", Role::UnitStaff, Some("jinghe")).await;
        let typed = format!(
            "{} 是 低压电工作业证\n{}\n{} 否",
            resident_id_for(1),
            resident_id_for(2),
            resident_id_for(3)
        );
        store
            .record_skills_class(&plan, &rsj, &class(&typed), "")
            .await
            .unwrap();
        let farmers = ClassDraft {
            kind: "farmers".into(),
            title: "高素质农民培训班".into(),
            ends_on: "2025-06-10".into(),
            ..class(&format!("{}\n{}", resident_id_for(1), resident_id_for(2)))
        };
        store
            .record_skills_class(&plan, &jinghe, &farmers, "")
            .await
            .unwrap();
        assert_eq!(figures(store, "rsj").await, (Some(3_00), Some(3_00)));
        assert_eq!(figures(store, "jinghe").await, (Some(2_00), Some(2_00)));

        let listed = store.skills_classes(Some(2025), None).await.unwrap();
        assert_eq!(listed.len(), 2);
        assert_eq!(listed[1].trainees, 3);
        assert_eq!(listed[1].certified, 1);
        assert_eq!(listed[0].kind_label(), "高素质农民培训");
        let own = store
            .skills_classes(Some(2025), Some("jinghe"))
            .await
            .unwrap();
        assert_eq!(own.len(), 1);

        let kept = store.stored_tallies().await.unwrap();
        store.rebuild_figures().await.unwrap();
        assert_eq!(kept, store.stored_tallies().await.unwrap());
        assert_eq!(figures(store, "rsj").await, (Some(3_00), Some(3_00)));
    }
}

#[tokio::test]
async fn bad_input_and_wrong_hands_write_nothing() {
    for db in databases(&TestClock::at(2025, 6, 25, 2)).await {
        let (store, plan) = (&db.store, plan());
        registry(store).await;
        let jinghe = account(store, "jinghe01", Role::UnitStaff, Some("jinghe")).await;
        let gaj = account(store, "gaj01", Role::UnitStaff, Some("gaj")).await;
        let one = resident_id_for(1);

        // The end before the start: refused naming the field.
        let backwards = ClassDraft {
            ends_on: "2025-06-01".into(),
            ..class(&one)
        };
        let errors = field_errors(
            store
                .record_skills_class(&plan, &jinghe, &backwards, "")
                .await
                .unwrap_err(),
        );
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].starts_with("结束日期"), "{errors:?}");

        // Someone of another street, and someone not in the registry: named by line.
        let typed = format!("{one}\n{}\n{}", resident_id_for(3), resident_id_for(9));
        let errors = field_errors(
            store
                .record_skills_class(&plan, &jinghe, &class(&typed), "")
                .await
                .unwrap_err(),
        );
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert!(
            errors[0].starts_with("参训人员") && errors[0].contains("第2行"),
            "{errors:?}"
        );
        assert!(
            errors[1].contains("第3行") && errors[1].contains("未登记"),
            "{errors:?}"
        );

        // A unit outside 2.4.4.
        let refused = store
            .record_skills_class(&plan, &gaj, &class(&one), "")
            .await
            .unwrap_err();
        assert!(matches!(refused, Error::Forbidden(_)), "{refused:?}");

        assert!(store.skills_classes(None, None).await.unwrap().is_empty());
        assert_eq!(figures(store, "jinghe").await, (None, None));
    }
}
