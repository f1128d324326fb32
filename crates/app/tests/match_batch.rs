//! The matching batch on SQLite and (with LINKONG_TEST_PG) PostgreSQL: it scores every unplaced
//! graduate of the year and every returnee seeking a job, keeps their lists, replaces a street's
//! lists when run for that street, shows each street only its own people, never shows a post
//! closed since the run, and refuses a street that does not exist and a list too long.

use linkong_app::match_batch::run;
use linkong_core::access::{Role, Roster};
use linkong_core::matching::batch::SeekerKind;
use linkong_core::matching::nightly::is_due;
use linkong_core::matching::{WEIGHTS_FILE, Weights};
use linkong_core::people::{MigrantDraft, PersonDraft, validate_migrant};
use linkong_store::Error;
use linkong_store::people::{ImportRow, RowData};
use linkong_testkit::{
    TestClock, account, databases, date, graduate_on_roster, import_rows, plan,
    publishing_employer, resident_id_for, unplaced_graduate,
};

/// A returnee of 径河 back from 东莞 to look for a job, who keeps accounts (出纳).
fn returning_cashier(n: usize) -> ImportRow {
    let draft = MigrantDraft {
        person: PersonDraft {
            name: format!("返乡{n}"),
            id_number: resident_id_for(n),
            street: "径河".into(),
            schooling: "大专".into(),
            ..Default::default()
        },
        province: "广东".into(),
        city: "东莞".into(),
        section: "C".into(),
        occupation: "出纳".into(),
        skills: "出纳".into(),
        years_away: "3".into(),
        intention: "返区就业".into(),
        contact_consent: "是".into(),
        surveyed_on: "2025-02-01".into(),
        ..Default::default()
    };
    let valid = validate_migrant(&plan(), &draft, date(2025, 6, 1)).expect("a valid migrant");
    ImportRow {
        row: 2,
        sealed: None,
        data: RowData::Migrant(valid),
    }
}

#[tokio::test]
async fn the_batch_keeps_every_job_seeker_s_list_and_each_street_sees_its_own() {
    for db in databases(&TestClock::at(2025, 9, 1, 2)).await {
        let (store, plan) = (&db.store, plan());
        let today = date(2025, 9, 1);
        let weights = Weights::parse(WEIGHTS_FILE).unwrap();
        graduate_on_roster(store, 1, today).await;
        let other = vec![unplaced_graduate(2, "长青")];
        import_rows(store, "changqing", Roster::Graduates, other, true)
            .await
            .unwrap()
            .unwrap();
        let returnee = vec![returning_cashier(3)];
        import_rows(store, "jinghe", Roster::Migrants, returnee, true)
            .await
            .unwrap()
            .unwrap();
        let (boss, _, _, cashier) = publishing_employer(store, 1, today).await;

        let done = run(store, &plan, &weights, None, 5, "command")
            .await
            .unwrap();
        assert_eq!((done.graduates, done.returnees, done.posts), (2, 1, 1));
        assert_eq!(done.results, 3, "one post for each of three persons");

        let jinghe = account(store, "jinghe01", Role::UnitStaff, Some("jinghe")).await;
        let seen = store
            .stored_matches(&plan, &jinghe, None, "")
            .await
            .unwrap();
        assert_eq!(
            seen.len(),
            2,
            "径河 sees its graduate and its returnee: {seen:?}"
        );
        assert!(
            seen.iter()
                .all(|m| m.street_code == "jinghe" && m.post_id == cashier)
        );
        let graduate = seen
            .iter()
            .find(|m| m.kind == SeekerKind::Graduate)
            .unwrap();
        assert_eq!(graduate.person_name, "毕业生1");
        assert_eq!(graduate.reasons[0], "专业匹配：会计学 ↔ 会计");
        let back = seen
            .iter()
            .find(|m| m.kind == SeekerKind::Returnee)
            .unwrap();
        assert_eq!(back.person_name, "返乡3");
        assert_eq!(back.reasons[0], "技能匹配：出纳", "{back:?}");
        assert_eq!(back.warnings, ["学历不足：岗位要求本科"]);
        assert_eq!(graduate.run_at, store.now());

        // Another street may not read 径河's lists.
        let changqing = account(store, "changqing01", Role::UnitStaff, Some("changqing")).await;
        let err = store
            .stored_matches(&plan, &changqing, Some("jinghe"), "")
            .await
            .unwrap_err();
        assert!(matches!(err, Error::Forbidden(_)), "{err}");
        assert_eq!(
            store
                .stored_matches(&plan, &changqing, None, "")
                .await
                .unwrap()
                .len(),
            1
        );

        // A run for 径河 replaces 径河's lists only; the nightly job is not due again tonight.
        let again = run(store, &plan, &weights, Some("jinghe"), 3, "command")
            .await
            .unwrap();
        assert_eq!((again.graduates, again.returnees), (1, 1));
        let rsj = account(store, "rsj01", Role::UnitStaff, Some("rsj")).await;
        assert_eq!(
            store
                .stored_matches(&plan, &rsj, None, "")
                .await
                .unwrap()
                .len(),
            3
        );
        let last = store.last_match_run().await.unwrap().unwrap();
        assert_eq!(last.id, again.run_id);
        assert_eq!(last.street_code.as_deref(), Some("jinghe"));
        assert!(!is_due(store.now(), 2, Some(last.run_at)));

        // A post closed since the run is never shown from the kept lists.
        store
            .close_job_post(&boss, cashier, "已招满", "")
            .await
            .unwrap();
        assert!(
            store
                .stored_matches(&plan, &rsj, None, "")
                .await
                .unwrap()
                .is_empty()
        );
    }
}

#[tokio::test]
async fn a_batch_for_an_unknown_street_or_too_many_posts_is_refused_naming_the_field() {
    for db in databases(&TestClock::at(2025, 9, 1, 2)).await {
        let (store, plan) = (&db.store, plan());
        let weights = Weights::parse(WEIGHTS_FILE).unwrap();
        let err = run(store, &plan, &weights, None, 21, "command")
            .await
            .unwrap_err();
        assert_eq!(err.to_string(), "推荐数量：推荐数量最多为 20（收到 21）");
        let err = run(store, &plan, &weights, Some("atlantis"), 5, "command")
            .await
            .unwrap_err();
        assert_eq!(err.to_string(), "街道：没有代码为“atlantis”的街道");
        let err = run(store, &plan, &weights, Some("rsj"), 5, "command")
            .await
            .unwrap_err();
        assert!(err.to_string().starts_with("街道："), "{err}");
        assert!(
            store.last_match_run().await.unwrap().is_none(),
            "nothing was run"
        );
    }
}
