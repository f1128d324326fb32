//! Tasks 2.1.1 and 2.1.4 counted from their registries, on SQLite and (with LINKONG_TEST_PG)
//! PostgreSQL: people surveyed into the out-migrant registry per household street, the share of
//! them meaning to come back (per street, and the district's for the lead unit), and five-ones
//! services per street — each figure equal to the rows and to a rebuild of the tallies.

use linkong_core::access::{Role, Roster};
use linkong_core::people::{MigrantDraft, PersonDraft, validate_migrant};
use linkong_store::Store;
use linkong_store::people::{ImportRow, RowData};
use linkong_store::returnees::FiveOnesDraft;
use linkong_testkit::{
    TestClock, account, databases, date, import_rows, plan, resident_id_for, unit_figures,
};

fn migrant(n: usize, street: &str, intention: &str, surveyed_on: &str) -> ImportRow {
    let draft = MigrantDraft {
        person: PersonDraft {
            name: format!("外出人员{n}"),
            id_number: resident_id_for(n),
            street: street.into(),
            ..Default::default()
        },
        province: "广东".into(),
        city: "深圳".into(),
        section: "C".into(),
        years_away: "4".into(),
        intention: intention.into(),
        business_field: if intention == "返区创业" {
            "农产品电商".into()
        } else {
            String::new()
        },
        contact_consent: "是".into(),
        surveyed_on: surveyed_on.into(),
        ..Default::default()
    };
    ImportRow {
        row: n + 1,
        sealed: None,
        data: RowData::Migrant(validate_migrant(&plan(), &draft, date(2025, 10, 10)).unwrap()),
    }
}

/// The 2025 figure of `unit` on `code`, from the tallies and from the rows, which must agree.
async fn figure(store: &Store, code: &str, unit: &str) -> Option<i64> {
    let (tallied, counted) = unit_figures(store, code, unit, 2025, date(2025, 10, 10)).await;
    assert_eq!(tallied, counted, "{code} {unit}: tallies against rows");
    tallied
}

async fn same_after_rebuild(store: &Store) {
    let kept = store.stored_tallies().await.unwrap();
    store.rebuild_figures().await.unwrap();
    assert_eq!(kept, store.stored_tallies().await.unwrap());
}

#[tokio::test]
async fn people_surveyed_and_their_intention_to_come_back_fill_2_1_1_per_street() {
    for db in databases(&TestClock::at(2025, 10, 10, 2)).await {
        let store = &db.store;
        // 径河: four surveyed in 2025, two of them meaning to come back (work, business), one
        // undecided, one not; 长青: one surveyed in 2025 (business) and one in 2024 (not counted).
        let rows = vec![
            migrant(1, "jinghe", "返区就业", "2025-03-01"),
            migrant(2, "jinghe", "返区创业", "2025-03-01"),
            migrant(3, "jinghe", "未确定", "2025-04-02"),
            migrant(4, "jinghe", "无意向", "2025-05-03"),
            migrant(5, "changqing", "返区创业", "2025-06-04"),
            migrant(6, "changqing", "返区就业", "2024-12-30"),
        ];
        import_rows(store, "rsj", Roster::Migrants, rows, true)
            .await
            .unwrap()
            .unwrap();

        assert_eq!(figure(store, "2.1.1.surveyed", "jinghe").await, Some(400));
        assert_eq!(
            figure(store, "2.1.1.surveyed", "changqing").await,
            Some(100)
        );
        // Shares in hundredths of a percent point: 2 of 4, 1 of 1, and 3 of 5 for the district
        // (held by the lead unit, 区人社局).
        assert_eq!(
            figure(store, "2.1.1.intention_share", "jinghe").await,
            Some(5000)
        );
        assert_eq!(
            figure(store, "2.1.1.intention_share", "changqing").await,
            Some(10_000)
        );
        assert_eq!(
            figure(store, "2.1.1.intention_share", "rsj").await,
            Some(6000)
        );
        same_after_rebuild(store).await;

        // A later import moves person 4 to 长青 and changes their mind: both streets follow.
        import_rows(
            store,
            "rsj",
            Roster::Migrants,
            vec![migrant(4, "changqing", "返区就业", "2025-09-09")],
            true,
        )
        .await
        .unwrap()
        .unwrap();
        assert_eq!(figure(store, "2.1.1.surveyed", "jinghe").await, Some(300));
        assert_eq!(
            figure(store, "2.1.1.surveyed", "changqing").await,
            Some(200)
        );
        assert_eq!(
            figure(store, "2.1.1.intention_share", "changqing").await,
            Some(10_000)
        );
        // 2 of 3 (径河): 66.67 %.
        assert_eq!(
            figure(store, "2.1.1.intention_share", "jinghe").await,
            Some(6667)
        );
        same_after_rebuild(store).await;
    }
}

#[tokio::test]
async fn five_ones_services_fill_2_1_4_per_street_and_a_correction_moves_its_day() {
    for db in databases(&TestClock::at(2025, 10, 10, 2)).await {
        let (store, plan) = (&db.store, plan());
        let rows = vec![
            migrant(11, "jinghe", "返区创业", "2025-01-05"),
            migrant(12, "jinghe", "返区就业", "2025-01-05"),
            migrant(13, "changqing", "返区创业", "2025-01-05"),
        ];
        import_rows(store, "rsj", Roster::Migrants, rows, true)
            .await
            .unwrap()
            .unwrap();
        let rsj = account(store, "rsj01", Role::UnitStaff, Some("rsj")).await;
        let serve = |n: usize, festival: &str, on: &str| FiveOnesDraft {
            id_number: resident_id_for(n),
            year: "2025".into(),
            festival: festival.into(),
            items: [true, true, false, true, true],
            served_on: on.into(),
        };
        for draft in [
            serve(11, "spring", "2025-01-28"),
            serve(11, "mid_autumn", "2025-10-05"),
            serve(12, "spring", "2025-01-29"),
            serve(13, "qingming", "2025-04-04"),
        ] {
            store
                .record_five_ones(&plan, &rsj, &draft, "")
                .await
                .unwrap();
        }
        // Each service counts for the returnee's household street, whoever recorded it.
        assert_eq!(figure(store, "2.1.4.five_ones", "jinghe").await, Some(300));
        assert_eq!(
            figure(store, "2.1.4.five_ones", "changqing").await,
            Some(100)
        );
        assert_eq!(
            figure(store, "2.1.4.five_ones", "rsj").await.unwrap_or(0),
            0
        );
        same_after_rebuild(store).await;

        // Corrected to another day: still one service, counted on its new day only.
        store
            .record_five_ones(&plan, &rsj, &serve(11, "spring", "2025-02-03"), "")
            .await
            .unwrap();
        assert_eq!(figure(store, "2.1.4.five_ones", "jinghe").await, Some(300));
        same_after_rebuild(store).await;
        let (summaries, _) = store
            .five_ones_of_year(&plan, &rsj, 2025, Some("jinghe"))
            .await
            .unwrap();
        let people: i64 = summaries.iter().map(|s| s.people).sum();
        assert_eq!(people, 3, "the drill-down lists the rows behind the figure");
    }
}
