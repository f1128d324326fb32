//! Returnee services in the store, on SQLite and (with LINKONG_TEST_PG) PostgreSQL: lectures and
//! Malanhua classes with attendees from the out-migrant registry filling 2.2.1 (beside manual
//! records) and 2.2.2 (each trainee once a year), and the five-ones per festival — all scoped.

use linkong_core::access::Role;
use linkong_core::access::Roster;
use linkong_core::people::{MigrantDraft, PersonDraft, validate_migrant};
use linkong_store::people::{ImportRow, RowData};
use linkong_store::returnees::{FiveOnesDraft, TrainingDraft};
use linkong_store::{Error, Store};
use linkong_testkit::{
    TestClock, account, databases, date, field_errors, import_rows, plan, resident_id_for,
};

fn migrant(n: usize, street: &str) -> ImportRow {
    let draft = MigrantDraft {
        person: PersonDraft {
            name: format!("返区人员{n}"),
            id_number: resident_id_for(n),
            street: street.into(),
            ..Default::default()
        },
        province: "浙江".into(),
        city: "义乌".into(),
        section: "F".into(),
        years_away: "6".into(),
        intention: "返区创业".into(),
        business_field: "电商".into(),
        contact_consent: "是".into(),
        surveyed_on: "2025-02-01".into(),
        ..Default::default()
    };
    ImportRow {
        row: n + 1,
        sealed: None,
        data: RowData::Migrant(validate_migrant(&plan(), &draft, date(2025, 10, 10)).unwrap()),
    }
}

/// The 2025 figure of `unit` on `indicator` as the dashboard computes it (hundredths).
async fn figure(store: &Store, indicator: &str, unit: &str) -> Option<i64> {
    let figures = store
        .record_figures(&plan(), date(2025, 1, 1), date(2025, 12, 31))
        .await
        .unwrap();
    let progress = linkong_core::progress::compute(&plan(), 2025, date(2025, 10, 10), &figures);
    let found = progress
        .iter()
        .find(|p| p.indicator_code == indicator)
        .unwrap();
    if unit.is_empty() {
        return found.district.actual;
    }
    found
        .units
        .iter()
        .find(|u| u.unit_code == unit)
        .and_then(|u| u.figure.actual)
}

fn lecture(kind: &str, ids: &[usize]) -> TrainingDraft {
    TrainingDraft {
        kind: kind.into(),
        title: "返乡创业经验分享会".into(),
        held_on: "2025-09-20".into(),
        place: "径河街道办事处三楼".into(),
        speaker: "优秀返乡创业者".into(),
        attendees: ids
            .iter()
            .map(|n| resident_id_for(*n))
            .collect::<Vec<_>>()
            .join("\n"),
    }
}

#[tokio::test]
async fn lectures_and_classes_fill_2_2_1_and_2_2_2_from_their_attendees() {
    for db in databases(&TestClock::at(2025, 10, 10, 2)).await {
        let store = &db.store;
        let plan = plan();
        let rows = vec![migrant(1, "径河"), migrant(2, "径河"), migrant(3, "长青")];
        import_rows(store, "rsj", Roster::Migrants, rows, true)
            .await
            .unwrap()
            .unwrap();
        let jinghe = account(store, "jinghe01", Role::UnitStaff, Some("jinghe")).await;
        let rsj = account(store, "rsj01", Role::UnitStaff, Some("rsj")).await;
        let swj = account(store, "swj01", Role::UnitStaff, Some("swj")).await;

        // Bad input: a wrong ID, someone of another street, one not in the registry, a repeat.
        let mut bad = lecture("lecture", &[1, 3, 9, 1]);
        bad.attendees = format!("4201121990{}\n{}", "0101000X", bad.attendees);
        bad.held_on = "2025-12-01".into();
        let errors = field_errors(
            store
                .record_training(&plan, &jinghe, &bad, "")
                .await
                .unwrap_err(),
        );
        assert_eq!(errors.len(), 5, "{errors:?}");
        assert!(errors[0].starts_with("举办日期"), "{errors:?}");
        assert!(errors[1].contains("第1个"), "{errors:?}");
        assert!(errors[2].contains("第3个") && errors[2].contains("不是本街道户籍人员"));
        assert!(errors[3].contains("第4个") && errors[3].contains("未登记在外出就业人员信息库"));
        assert!(errors[4].contains("第5个号码重复"), "{errors:?}");
        assert!(matches!(
            store
                .record_training(&plan, &swj, &lecture("lecture", &[1]), "")
                .await
                .unwrap_err(),
            Error::Forbidden(_)
        ));
        assert_eq!(figure(store, "2.2.1.guidance", "jinghe").await, Some(0));

        store
            .record_training(&plan, &jinghe, &lecture("lecture", &[1, 2]), "")
            .await
            .unwrap();
        assert_eq!(
            figure(store, "2.2.1.guidance", "jinghe").await,
            Some(2_00),
            "{:?}",
            db.backend
        );
        // Malanhua: the lead unit trains all streets; a trainee counts once a year.
        store
            .record_training(&plan, &rsj, &lecture("malanhua", &[1, 3]), "")
            .await
            .unwrap();
        let mut second = lecture("malanhua", &[1, 2]);
        second.held_on = "2025-10-01".into();
        store
            .record_training(&plan, &rsj, &second, "")
            .await
            .unwrap();
        assert_eq!(
            figure(store, "2.2.2.malanhua_trainees", "").await,
            Some(3_00)
        );
        let classes = store.trainings_of_year(2025).await.unwrap();
        assert_eq!(classes.len(), 3);
        assert_eq!(classes[0].attendees, 2);
    }
}

#[tokio::test]
async fn the_five_ones_are_kept_per_returnee_and_festival_within_reach() {
    for db in databases(&TestClock::at(2025, 10, 10, 2)).await {
        let store = &db.store;
        let plan = plan();
        import_rows(
            store,
            "rsj",
            Roster::Migrants,
            vec![migrant(4, "径河"), migrant(5, "长青")],
            true,
        )
        .await
        .unwrap()
        .unwrap();
        let jinghe = account(store, "jinghe01", Role::UnitStaff, Some("jinghe")).await;
        let draft = FiveOnesDraft {
            id_number: resident_id_for(4),
            year: "2025".into(),
            festival: "mid_autumn".into(),
            items: [true, true, false, true, true],
            served_on: "2025-10-06".into(),
        };
        store
            .record_five_ones(&plan, &jinghe, &draft, "")
            .await
            .unwrap();
        // Recorded again (corrected): one record per returnee and festival.
        let all_five = FiveOnesDraft {
            items: [true; 5],
            ..draft.clone()
        };
        store
            .record_five_ones(&plan, &jinghe, &all_five, "")
            .await
            .unwrap();
        let (summary, entries) = store
            .five_ones_of_year(&plan, &jinghe, 2025, None)
            .await
            .unwrap();
        let mid_autumn = summary
            .iter()
            .find(|s| s.festival.code() == "mid_autumn")
            .unwrap();
        assert_eq!((mid_autumn.people, mid_autumn.items), (1, [1; 5]));
        assert_eq!(entries.len(), 1);
        assert!(entries[0].id_masked.contains("********"));

        let wrong = FiveOnesDraft {
            id_number: resident_id_for(5),
            year: "2031".into(),
            festival: "元宵".into(),
            items: [false; 5],
            served_on: "2025-13-01".into(),
        };
        let errors = field_errors(
            store
                .record_five_ones(&plan, &jinghe, &wrong, "")
                .await
                .unwrap_err(),
        );
        let named: Vec<&str> = errors
            .iter()
            .map(|e| e.split('：').next().unwrap())
            .collect();
        assert_eq!(
            named,
            ["身份证号码", "节日", "服务日期", "年度", "服务内容"],
            "{errors:?}"
        );
        assert!(errors[0].contains("不是本街道户籍人员"));
        // 长青 sees none of 径河's five-ones.
        let changqing = account(store, "changqing01", Role::UnitStaff, Some("changqing")).await;
        let (summary, entries) = store
            .five_ones_of_year(&plan, &changqing, 2025, None)
            .await
            .unwrap();
        assert!(entries.is_empty());
        assert!(summary.iter().all(|s| s.people == 0));
    }
}

#[tokio::test]
async fn a_return_is_recorded_by_the_residents_street_and_shows_in_their_history() {
    for db in databases(&TestClock::at(2025, 10, 10, 2)).await {
        let store = &db.store;
        let plan = plan();
        import_rows(
            store,
            "rsj",
            Roster::Migrants,
            vec![migrant(8, "径河")],
            true,
        )
        .await
        .unwrap()
        .unwrap();
        let jinghe = account(store, "jinghe01", Role::UnitStaff, Some("jinghe")).await;
        let changqing = account(store, "changqing01", Role::UnitStaff, Some("changqing")).await;
        let task_force = account(store, "zhuanban", Role::TaskForce, None).await;
        let all = linkong_store::people::MigrantFilter::default();
        let id = store
            .migrants(&plan, &jinghe, &all, 1, 5, "")
            .await
            .unwrap()
            .0[0]
            .person_id;
        for outsider in [&changqing, &task_force] {
            assert!(matches!(
                store
                    .set_returned(&plan, outsider, id, "2025-09-01", "")
                    .await
                    .unwrap_err(),
                Error::Forbidden(_)
            ));
        }
        assert!(matches!(
            store
                .set_returned(&plan, &jinghe, id, "2025-11-01", "")
                .await
                .unwrap_err(),
            Error::Invalid {
                field: "返区日期",
                ..
            }
        ));
        store
            .set_returned(&plan, &jinghe, id, "2025/9/1", "")
            .await
            .unwrap();
        let entry = store.migrant(&plan, &jinghe, id, "").await.unwrap();
        assert_eq!(
            entry.returned_on,
            Some(date(2025, 9, 1)),
            "{:?}",
            db.backend
        );
        store
            .record_training(&plan, &jinghe, &lecture("lecture", &[8]), "")
            .await
            .unwrap();
        let file = store
            .returnee_file(&plan, &jinghe, id, &weights(), "")
            .await
            .unwrap();
        assert_eq!(file.trainings.len(), 1);
        assert!(file.five_ones.is_empty());
        // Another street reads none of the file: refused before any part is read.
        assert!(matches!(
            store
                .returnee_file(&plan, &changqing, id, &weights(), "")
                .await,
            Err(Error::Forbidden(_))
        ));
        store
            .set_returned(&plan, &jinghe, id, "", "")
            .await
            .unwrap();
        assert_eq!(
            store
                .migrant(&plan, &jinghe, id, "")
                .await
                .unwrap()
                .returned_on,
            None
        );
    }
}

fn weights() -> linkong_core::matching::Weights {
    linkong_core::matching::Weights::parse(linkong_core::matching::WEIGHTS_FILE).unwrap()
}
