//! The out-migrant registry in the store, on SQLite and (with LINKONG_TEST_PG) PostgreSQL:
//! writing all-or-nothing, re-imports that change nothing, row scoping on every path, masking,
//! unmasking and exports audited.

use linkong_core::access::Roster;
use linkong_core::access::{Actor, Role};
use linkong_core::people::{Intention, MigrantDraft, PersonDraft, validate_migrant};
use linkong_store::people::{ImportRow, MigrantFilter, RowData, RowRefusal};
use linkong_store::{Backend, Error, Store};
use linkong_testkit::{TestClock, account, databases, date, import_rows, plan, resident_id_for};

fn row(n: usize, street: &str, intention: &str) -> ImportRow {
    let draft = MigrantDraft {
        person: PersonDraft {
            name: format!("居民{n}"),
            id_number: resident_id_for(n),
            phone: format!("139{:08}", n),
            street: street.into(),
            community: "示范社区".into(),
            schooling: "大专".into(),
        },
        province: "广东".into(),
        city: "深圳市".into(),
        section: "C".into(),
        occupation: "电工".into(),
        skills: String::new(),
        years_away: "3".into(),
        intention: intention.into(),
        business_field: if intention == "返区创业" {
            "电商".into()
        } else {
            String::new()
        },
        contact_consent: "是".into(),
        surveyed_on: "2025-03-01".into(),
        returned_on: String::new(),
    };
    ImportRow {
        row: n + 1,
        sealed: None,
        data: RowData::Migrant(
            validate_migrant(&plan(), &draft, date(2025, 10, 10)).expect("valid row"),
        ),
    }
}

/// Sends `rows` to the writer as the out-migrant roster.
async fn import(
    store: &Store,
    unit: &str,
    rows: Vec<ImportRow>,
    finish: bool,
) -> linkong_store::Result<Result<linkong_store::people::ImportOutcome, Vec<RowRefusal>>> {
    import_rows(store, unit, Roster::Migrants, rows, finish).await
}

/// How many out-migrants the registry holds, as the task force sees it.
async fn count(store: &Store) -> i64 {
    let task_force = Actor {
        user_id: 0,
        username: "t".into(),
        role: Role::TaskForce,
        unit_code: None,
        employer_id: None,
        applicant_id: None,
    };
    store
        .migrants(&plan(), &task_force, &MigrantFilter::default(), 1, 1, "")
        .await
        .unwrap()
        .1
}

#[tokio::test]
async fn an_import_is_written_whole_and_a_repeat_changes_nothing() {
    for db in databases(&TestClock::at(2025, 10, 10, 2)).await {
        let store = &db.store;
        let rows: Vec<ImportRow> = (0..1200).map(|n| row(n, "径河", "返区创业")).collect();

        // A sender that stops before the end of its file leaves nothing behind.
        let cut = import(store, "jinghe", rows.clone(), false).await.unwrap();
        assert_eq!(cut, Err(vec![]), "{:?}", db.backend);
        assert_eq!(count(store).await, 0, "{:?}", db.backend);

        let first = import(store, "jinghe", rows.clone(), true)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            (first.rows, first.created, first.updated, first.unchanged),
            (1200, 1200, 0, 0)
        );
        assert_eq!(count(store).await, 1200);

        let again = import(store, "jinghe", rows.clone(), true)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            (again.rows, again.created, again.updated, again.unchanged),
            (1200, 0, 0, 1200),
            "{:?}",
            db.backend
        );

        // One changed row is the one updated; the phone is kept when a row leaves it blank.
        let mut changed = rows.clone();
        if let RowData::Migrant(m) = &mut changed[7].data {
            m.intention = Intention::Work;
        }
        if let RowData::Migrant(m) = &mut changed[8].data {
            m.person.phone = None;
        }
        let third = import(store, "jinghe", changed, true)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            (third.created, third.updated, third.unchanged),
            (0, 1, 1199),
            "{:?}",
            db.backend
        );
    }
}

/// The household tallies after an import are what a rebuild from the rows makes: counted
/// while writing when every row is a new resident (PostgreSQL), rebuilt when some are not.
#[tokio::test]
async fn the_tallies_an_import_leaves_are_those_a_rebuild_makes() {
    for db in databases(&TestClock::at(2025, 10, 10, 2)).await {
        let store = &db.store;
        let intentions = ["返区创业", "返区就业", "无意向", "未确定"];
        let streets = ["径河", "走马岭"];
        let rows = |range: std::ops::Range<usize>| -> Vec<ImportRow> {
            range
                .map(|n| row(n, streets[n % 2], intentions[n % 4]))
                .collect()
        };
        for (batch, created) in [
            (rows(0..1500), 1500),
            (rows(1000..1900), 400),
            (rows(1850..1950), 50),
        ] {
            let outcome = import(store, "rsj", batch, true).await.unwrap().unwrap();
            assert_eq!(outcome.created, created, "{:?}", db.backend);
            let kept = store.stored_tallies().await.unwrap();
            let surveyed: i64 = kept
                .iter()
                .filter(|t| t.kind == "surveyed")
                .map(|t| t.records)
                .sum();
            assert!(surveyed > 0, "{:?}: no surveyed tally", db.backend);
            store.rebuild_figures().await.unwrap();
            assert_eq!(
                kept,
                store.stored_tallies().await.unwrap(),
                "{:?}",
                db.backend
            );
        }
    }
}

/// A role that may not turn PostgreSQL's per-row foreign-key checks off (no superuser) has
/// them checked row by row, and imports the same.
#[tokio::test]
async fn a_role_that_is_no_superuser_imports_the_same_on_postgres() {
    for db in databases(&TestClock::at(2025, 10, 10, 2)).await {
        if db.backend != Backend::Postgres {
            continue;
        }
        let role = format!("linkong_plain_{}", std::process::id());
        let admin = sqlx::PgPool::connect(&db.url).await.unwrap();
        let database: String = sqlx::query_scalar("SELECT current_database()")
            .fetch_one(&admin)
            .await
            .unwrap();
        let grants = format!(
            "CREATE ROLE {role} LOGIN NOSUPERUSER; \
             GRANT ALL ON SCHEMA public TO {role}; \
             GRANT ALL ON ALL TABLES IN SCHEMA public TO {role}; \
             GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO {role}; \
             GRANT TEMPORARY ON DATABASE {database} TO {role}"
        );
        sqlx::raw_sql(sqlx::AssertSqlSafe(grants))
            .execute(&admin)
            .await
            .unwrap();
        let mut url = url::Url::parse(&db.url).unwrap();
        url.set_username(&role).unwrap();
        let store = db.another_server_at(url.as_str()).await;
        let rows: Vec<ImportRow> = (0..1200).map(|n| row(n, "径河", "返区创业")).collect();
        let first = import(&store, "jinghe", rows.clone(), true).await.unwrap();
        let again = import(&store, "jinghe", rows, true).await.unwrap();
        let stored = count(&store).await;
        drop(store);
        sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
            "DROP OWNED BY {role}; DROP ROLE {role}"
        )))
        .execute(&admin)
        .await
        .unwrap();
        let (first, again) = (first.unwrap(), again.unwrap());
        assert_eq!(
            (first.rows, first.created, first.updated, first.unchanged),
            (1200, 1200, 0, 0)
        );
        assert_eq!((again.created, again.unchanged), (0, 1200));
        assert_eq!(stored, 1200);
    }
}

#[tokio::test]
async fn a_street_imports_only_its_own_residents() {
    for db in databases(&TestClock::at(2025, 10, 10, 2)).await {
        let store = &db.store;
        import(store, "changqing", vec![row(1, "长青", "无意向")], true)
            .await
            .unwrap()
            .unwrap();
        // The same person listed by 径河 (moved, or a mistake): refused, nothing written.
        let mut moved = row(1, "径河", "无意向");
        moved.row = 9;
        let refused = import(store, "jinghe", vec![row(2, "径河", "无意向"), moved], true)
            .await
            .unwrap()
            .unwrap_err();
        assert_eq!(refused.len(), 1);
        assert_eq!(refused[0].row, 9);
        assert_eq!(count(store).await, 1, "{:?}", db.backend);
        // A lead unit (区人社局) imports any street.
        let outcome = import(store, "rsj", vec![row(2, "径河", "无意向")], true)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(outcome.created, 1);
    }
}

#[tokio::test]
async fn a_street_reaches_only_its_residents_on_every_path_and_tries_are_audited() {
    for db in databases(&TestClock::at(2025, 10, 10, 2)).await {
        let store = &db.store;
        let plan = plan();
        let rows = vec![
            row(1, "径河", "返区创业"),
            row(2, "径河", "无意向"),
            row(3, "长青", "返区就业"),
        ];
        import(store, "rsj", rows, true).await.unwrap().unwrap();
        let jinghe = account(store, "jinghe01", Role::UnitStaff, Some("jinghe")).await;
        let rsj = account(store, "rsj01", Role::UnitStaff, Some("rsj")).await;
        let swj = account(store, "swj01", Role::UnitStaff, Some("swj")).await;
        let all = MigrantFilter::default();

        // List and count.
        let (list, total) = store
            .migrants(&plan, &jinghe, &all, 1, 20, "")
            .await
            .unwrap();
        assert_eq!(total, 2, "{:?}", db.backend);
        assert!(list.iter().all(|m| m.street_code == "jinghe"));
        assert!(
            list[0].id_masked.contains("********"),
            "{}",
            list[0].id_masked
        );
        assert!(list[0].phone_masked.contains("****"));
        assert_eq!(
            store
                .migrants(&plan, &rsj, &all, 1, 20, "")
                .await
                .unwrap()
                .1,
            3
        );
        assert_eq!(
            store
                .migrants(&plan, &swj, &all, 1, 20, "")
                .await
                .unwrap()
                .1,
            0
        );

        // Asking for another street by filter is refused and audited.
        let other = MigrantFilter {
            street: Some("changqing".into()),
            ..Default::default()
        };
        let err = store
            .migrants(&plan, &jinghe, &other, 1, 20, "")
            .await
            .unwrap_err();
        assert!(matches!(err, Error::Forbidden(_)), "{err}");

        // Summary counts.
        let summary = store
            .migrant_summary(&plan, &jinghe, &all, "")
            .await
            .unwrap();
        assert_eq!(summary.total, 2);
        assert_eq!(summary.by_street, vec![("jinghe".to_string(), 2)]);

        // Detail of another street's resident: refused, audited.
        let (changqing, _) = store
            .migrants(&plan, &rsj, &other, 1, 20, "")
            .await
            .unwrap();
        let their_id = changqing[0].person_id;
        let err = store
            .migrant(&plan, &jinghe, their_id, "10.0.0.9")
            .await
            .unwrap_err();
        assert!(matches!(err, Error::Forbidden(_)), "{err}");

        // Search by the whole ID number: found for the street's own, nothing for another's.
        let own = MigrantFilter {
            query: resident_id_for(1),
            ..Default::default()
        };
        assert_eq!(
            store
                .migrants(&plan, &jinghe, &own, 1, 20, "")
                .await
                .unwrap()
                .1,
            1
        );
        let theirs = MigrantFilter {
            query: resident_id_for(3),
            ..Default::default()
        };
        assert_eq!(
            store
                .migrants(&plan, &jinghe, &theirs, 1, 20, "")
                .await
                .unwrap()
                .1,
            0
        );
        let by_phone = MigrantFilter {
            query: "139 0000 0003".into(),
            ..Default::default()
        };
        assert_eq!(
            store
                .migrants(&plan, &rsj, &by_phone, 1, 20, "")
                .await
                .unwrap()
                .1,
            1
        );
        assert_eq!(
            store
                .migrants(&plan, &jinghe, &by_phone, 1, 20, "")
                .await
                .unwrap()
                .1,
            0
        );

        // Export: only the street's own, masked, audited with the row count.
        let exported = store
            .export_migrants(&plan, &jinghe, &all, false, "")
            .await
            .unwrap();
        assert_eq!(exported.len(), 2);
        assert!(
            exported
                .iter()
                .all(|(m, clear)| m.street_code == "jinghe" && clear.is_none())
        );
        assert!(matches!(
            store
                .export_migrants(&plan, &jinghe, &all, true, "")
                .await
                .unwrap_err(),
            Error::Forbidden(_)
        ));
        assert!(matches!(
            store
                .export_migrants(&plan, &swj, &all, false, "")
                .await
                .unwrap_err(),
            Error::Forbidden(_)
        ));

        let audit = store.recent_audit(50).await.unwrap();
        let denied: Vec<_> = audit
            .iter()
            .filter(|a| a.action == "access.denied" && a.actor == "jinghe01")
            .map(|a| a.target.as_str())
            .collect();
        for target in [
            "street:changqing",
            &format!("person:{their_id}"),
            "person:lookup",
            "export:migrants",
        ] {
            assert!(denied.contains(&target), "{target} not in {denied:?}");
        }
        assert!(
            audit
                .iter()
                .any(|a| a.action == "person.export" && a.detail.contains("2 行"))
        );
        for row in &audit {
            assert!(!row.detail.contains("4201121990"), "no ID in the audit log");
        }
    }
}

#[tokio::test]
async fn unmasking_needs_the_permission_and_is_audited() {
    for db in databases(&TestClock::at(2025, 10, 10, 2)).await {
        let store = &db.store;
        let plan = plan();
        import(store, "jinghe", vec![row(5, "径河", "未确定")], true)
            .await
            .unwrap()
            .unwrap();
        let admin = account(store, "admin1", Role::Admin, None).await;
        let staff = account(store, "jinghe02", Role::UnitStaff, Some("jinghe")).await;
        let (list, _) = store
            .migrants(&plan, &staff, &MigrantFilter::default(), 1, 20, "")
            .await
            .unwrap();
        let person = list[0].person_id;
        let roster = Roster::Migrants;
        assert!(matches!(
            store
                .unmask_person(&plan, &staff, roster, person, "")
                .await
                .unwrap_err(),
            Error::Forbidden(_)
        ));
        assert!(matches!(
            store
                .set_may_unmask(&staff, staff.user_id, true, "")
                .await
                .unwrap_err(),
            Error::Forbidden(_)
        ));
        store
            .set_may_unmask(&admin, staff.user_id, true, "")
            .await
            .unwrap();
        let clear = store
            .unmask_person(&plan, &staff, roster, person, "")
            .await
            .unwrap();
        assert_eq!(clear.id_number, resident_id_for(5));
        assert_eq!(clear.phone.as_deref(), Some("13900000005"));
        let audit = store.recent_audit(10).await.unwrap();
        assert!(
            audit
                .iter()
                .any(|a| a.action == "person.unmask" && a.target == format!("person:{person}"))
        );
        assert!(audit.iter().any(|a| a.action == "user.may_unmask"));
    }
}

#[tokio::test]
async fn a_key_rotation_re_encrypts_in_place_and_resumes_where_it_stopped() {
    use linkong_store::crypto::FieldCipher;
    use std::sync::Arc;
    for db in databases(&TestClock::at(2025, 10, 10, 2)).await {
        let store = &db.store;
        let plan = plan();
        import(
            store,
            "jinghe",
            (0..30).map(|n| row(n, "径河", "未确定")).collect(),
            true,
        )
        .await
        .unwrap()
        .unwrap();
        let old = store.field_cipher().unwrap();
        let new = Arc::new(FieldCipher::from_material(&[9u8; 48]));
        let first = store
            .rotate_field_key(&old, &new, &|_, _| {})
            .await
            .unwrap();
        let persons: Vec<_> = first
            .columns
            .iter()
            .filter(|(name, _, _)| name.starts_with("persons."))
            .map(|(_, rotated, skipped)| (*rotated, *skipped))
            .collect();
        assert_eq!(persons, [(30, 0), (30, 0)], "{:?}", db.backend);
        // Run again (as after an interruption): everything is already under the new key.
        let again = store
            .rotate_field_key(&old, &new, &|_, _| {})
            .await
            .unwrap();
        assert!(again.columns.iter().all(|(_, rotated, _)| *rotated == 0));
        // Under the new key the numbers open and the blind index finds them; the old key fails.
        let rotated = store.clone().with_field_cipher(new);
        let task_force = account(&rotated, "zhuanban", Role::TaskForce, None).await;
        let by_id = MigrantFilter {
            query: resident_id_for(7),
            ..Default::default()
        };
        let (found, total) = rotated
            .migrants(&plan, &task_force, &by_id, 1, 20, "")
            .await
            .unwrap();
        assert_eq!(total, 1);
        assert_eq!(found[0].name, "居民7");
        assert!(
            store
                .migrants(&plan, &task_force, &MigrantFilter::default(), 1, 20, "")
                .await
                .is_err(),
            "the old key no longer opens the stored values"
        );
        assert!(
            rotated
                .recent_audit(5)
                .await
                .unwrap()
                .iter()
                .any(|a| a.action == "keys.rotate")
        );
    }
}
