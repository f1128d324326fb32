//! Job levels, occupation and industry codes and the derived emerging flag in the store, and
//! gig posts of the streets' gig stations, on SQLite and (with LINKONG_TEST_PG) PostgreSQL
//! (issue 16 items 1 and 3c; tasks 1.1.1 and 2.5.4).

use linkong_core::access::{Actor, Role};
use linkong_core::gigs::GigDraft;
use linkong_core::jobs::JobLevel;
use linkong_core::matching::{WEIGHTS_FILE, Weights};
use linkong_store::gigs::GigPost;
use linkong_store::{Error, Store};

use linkong_testkit::{
    TestClock, account, audit_actions, databases, date, field_errors, first_migrant_id,
    import_migrant, plan, publishing_employer, would_be_founder,
};

/// The 2025 emerging share (hundredths of a percent) and positions of the district, from the
/// tallies and from the rows.
async fn shares(store: &Store) -> ((i64, i64), (i64, i64)) {
    let plan = plan();
    let pick = |all: Vec<linkong_core::progress::RecordFigure>| {
        let sum = |code: &str| -> i64 {
            all.iter()
                .filter(|f| f.indicator_code == code)
                .map(|f| f.value)
                .sum()
        };
        (sum("1.1.1.emerging_share"), sum("1.1.1.positions"))
    };
    let tallied = store
        .record_figures(&plan, date(2025, 1, 1), date(2025, 12, 31))
        .await
        .unwrap();
    let counted = store
        .record_figures_from_rows(&plan, date(2025, 1, 1), date(2025, 12, 31))
        .await
        .unwrap();
    (pick(tallied), pick(counted))
}

#[tokio::test]
async fn a_reviewer_changes_the_derived_emerging_flag_only_with_a_reason_recorded_and_audited() {
    for db in databases(&TestClock::at(2025, 10, 10, 2)).await {
        let store = &db.store;
        let today = date(2025, 10, 10);
        // A cashier's post in manufacturing, no industry code: derived not emerging.
        let (_, _, _, post_id) = publishing_employer(store, 1, today).await;
        let reviewer = store
            .user_by_name("shenhe1")
            .await
            .unwrap()
            .unwrap()
            .actor();
        let post = store.job_post(post_id).await.unwrap().unwrap();
        assert!(!post.emerging);
        assert_eq!(
            post.level,
            JobLevel::Worker,
            "group 3 takes the worker level"
        );
        assert_eq!(post.emerging_basis, None);
        let before = shares(store).await;
        assert_eq!(before.0, before.1);
        assert_eq!(before.0.0, 0);

        let no_reason = store
            .override_emerging(&reviewer, post_id, true, "  ", "")
            .await
            .unwrap_err();
        assert!(
            matches!(
                no_reason,
                Error::Invalid {
                    field: "更改理由",
                    ..
                }
            ),
            "{no_reason:?}"
        );
        let staff = account(store, "jinghe01", Role::UnitStaff, Some("jinghe")).await;
        let not_a_reviewer = store
            .override_emerging(&staff, post_id, true, "研发中心的财务岗位", "")
            .await
            .unwrap_err();
        assert!(matches!(not_a_reviewer, Error::Forbidden(_)));
        assert!(audit_actions(store).await.contains(&"access.denied".into()));
        let unchanged = store.job_post(post_id).await.unwrap().unwrap();
        assert!(!unchanged.emerging && unchanged.emerging_override.is_none());

        let seq_before = store.search_seq().await.unwrap();
        let changed = store
            .override_emerging(
                &reviewer,
                post_id,
                true,
                "该岗位属企业研发中心，核实为高端服务岗位",
                "",
            )
            .await
            .unwrap();
        assert!(changed.emerging);
        // The search index filters on the flag and shows it on cards: it is told.
        let told = store.search_changes(seq_before, 100).await.unwrap();
        let indexed: Vec<_> = told.published.iter().map(|p| (p.id, p.emerging)).collect();
        assert_eq!(indexed, [(post_id, true)]);
        let kept = changed.emerging_override.unwrap();
        assert_eq!(kept.reason, "该岗位属企业研发中心，核实为高端服务岗位");
        assert_eq!(kept.by.as_deref(), Some("shenhe1"));
        assert!(kept.at.is_some());
        assert!(
            audit_actions(store)
                .await
                .contains(&"job_post.emerging_override".into())
        );
        // The share follows at once, and the tallies equal the rows and their rebuild.
        let after = shares(store).await;
        assert_eq!(after.0, after.1, "figure = rows");
        assert_eq!(after.0, (100_00, 200), "2 positions, all emerging now");
        let tallies = store.stored_tallies().await.unwrap();
        store.rebuild_figures().await.unwrap();
        assert_eq!(tallies, store.stored_tallies().await.unwrap());

        let twice = store
            .override_emerging(&reviewer, post_id, true, "再次确认为新兴产业", "")
            .await
            .unwrap_err();
        assert!(matches!(
            twice,
            Error::Invalid {
                field: "新兴产业岗位",
                ..
            }
        ));
    }
}

fn gig(title: &str, street: &str, starts: &str, ends: &str) -> GigDraft {
    GigDraft {
        title: title.into(),
        work_street: street.into(),
        pay_basis: "day".into(),
        rate: "180".into(),
        starts_on: starts.into(),
        ends_on: ends.into(),
        headcount: "6".into(),
        contact_name: "王师傅".into(),
        contact_phone: "13800138000".into(),
        note: "管午饭".into(),
    }
}

/// Posts a gig of (title, work street, first day, last day) as `actor`.
async fn post_gig(
    store: &Store,
    actor: &Actor,
    [title, street, starts, ends]: [&str; 4],
) -> Result<GigPost, Error> {
    store
        .create_gig(&plan(), actor, &gig(title, street, starts, ends), "")
        .await
}

async fn gig_count(store: &Store) -> usize {
    store.open_gigs(None).await.unwrap().len()
}

#[tokio::test]
async fn a_street_posts_closes_and_lists_gigs_of_its_station() {
    for db in databases(&TestClock::at(2025, 10, 10, 2)).await {
        let store = &db.store;
        let plan = plan();
        let jinghe = account(store, "jinghe01", Role::UnitStaff, Some("jinghe")).await;
        let changqing = account(store, "changqing01", Role::UnitStaff, Some("changqing")).await;
        let rsj = account(store, "rsj01", Role::UnitStaff, Some("rsj")).await;
        let created = post_gig(
            store,
            &jinghe,
            ["仓库临时分拣", "jinghe", "2025-10-09", "2025-10-15"],
        )
        .await
        .unwrap();
        assert_eq!(created.station, "jinghe");
        assert_eq!(created.rate, "180 元/天");
        assert_eq!(created.contact_phone_masked, "138****8000");
        assert!(created.open);
        assert!(audit_actions(store).await.contains(&"gig.create".into()));

        // Over 30 days: refused naming the end date, nothing written.
        let long = post_gig(
            store,
            &jinghe,
            ["长期搬运", "jinghe", "2025-10-10", "2025-11-30"],
        )
        .await
        .unwrap_err();
        let errors = field_errors(long);
        assert_eq!(errors.len(), 1);
        assert!(errors[0].starts_with("结束日期"), "{errors:?}");
        // Only a street's staff post gigs.
        let refused = post_gig(
            store,
            &rsj,
            ["活动布展", "jinghe", "2025-10-10", "2025-10-11"],
        )
        .await
        .unwrap_err();
        assert!(matches!(refused, Error::Forbidden(_)));
        assert_eq!(gig_count(store).await, 1);

        // Over by its last day: not open.
        post_gig(
            store,
            &jinghe,
            ["国庆值守", "jinghe", "2025-10-01", "2025-10-07"],
        )
        .await
        .unwrap();
        assert_eq!(gig_count(store).await, 1);
        assert_eq!(store.station_gigs(&plan, &jinghe).await.unwrap().len(), 2);
        assert!(
            store
                .station_gigs(&plan, &changqing)
                .await
                .unwrap()
                .is_empty()
        );
        assert!(store.open_gigs(Some("changqing")).await.unwrap().is_empty());

        // Another street cannot close it; its own station can, once.
        let other = store.close_gig(&plan, &changqing, created.id, "").await;
        assert!(matches!(other, Err(Error::Forbidden(_))));
        store
            .close_gig(&plan, &jinghe, created.id, "")
            .await
            .unwrap();
        assert_eq!(gig_count(store).await, 0);
        let again = store.close_gig(&plan, &jinghe, created.id, "").await;
        assert!(matches!(again, Err(Error::Conflict(_))));
    }
}

#[tokio::test]
async fn a_returnees_file_lists_gigs_and_posts_near_home_with_reasons_within_reach() {
    for db in databases(&TestClock::at(2025, 10, 10, 2)).await {
        let store = &db.store;
        let plan = plan();
        let weights = Weights::parse(WEIGHTS_FILE).unwrap();
        import_migrant(store, would_be_founder(3, "返区", "径河")).await;
        let jinghe: Actor = account(store, "jinghe01", Role::UnitStaff, Some("jinghe")).await;
        let changqing = account(store, "changqing01", Role::UnitStaff, Some("changqing")).await;
        publishing_employer(store, 1, date(2025, 10, 10)).await;
        post_gig(
            store,
            &jinghe,
            ["仓库临时分拣", "jinghe", "2025-10-09", "2025-10-15"],
        )
        .await
        .unwrap();
        let id = first_migrant_id(store, &jinghe).await;
        let file = store
            .returnee_file(&plan, &jinghe, id, &weights, "")
            .await
            .unwrap();
        assert_eq!(file.matches.len(), 2, "{:?}", file.matches);
        let gig = file.matches.iter().find(|m| m.gig).expect("the gig");
        assert_eq!(gig.pay, "180 元/天");
        assert!(
            gig.reasons.contains(&"离家近：径河街道".to_owned()),
            "{:?}",
            gig.reasons
        );
        let post = file.matches.iter().find(|m| !m.gig).expect("the post");
        assert!(!post.reasons.is_empty());
        // Street scoping holds: another street reads nothing of the file.
        assert!(matches!(
            store
                .returnee_file(&plan, &changqing, id, &weights, "")
                .await,
            Err(Error::Forbidden(_))
        ));
    }
}
