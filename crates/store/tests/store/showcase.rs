//! Showcase cases (2.5.3) in the store, on SQLite and (with LINKONG_TEST_PG) PostgreSQL: a
//! street or 区农业农村局 recommends a returnee business and its founder with the founder's
//! consent and photos; 区人社局 collects, nominates to "武汉返乡创业之星" and records the
//! outcome; 区委宣传部 / 区融媒体中心 publish consented cases on the portal. 2.5.3's figure per
//! recommending unit comes from the cases, kept as a tally and equal to the tallies rebuilt
//! from the rows. A case without consent, a photo that is not an image, publishing by another
//! unit or without consent: refused, nothing written.

use linkong_core::access::{Actor, Role, Roster};
use linkong_core::businesses::BusinessDraft;
use linkong_core::showcase::{CaseDraft, CaseStatus};
use linkong_store::evidence::EvidenceUpload;
use linkong_store::showcase::{CaseAction, CaseFilter};
use linkong_store::{Error, Store};
use linkong_testkit::{
    TestClock, account, databases, date, field_errors, import_rows, plan, resident_id_for,
    unit_figures, uscc_for, would_be_founder,
};

/// A 1×1 PNG.
const PNG: [u8; 69] = [
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x02, 0x00, 0x00, 0x00, 0x90, 0x77, 0x53,
    0xde, 0x00, 0x00, 0x00, 0x0c, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x38, 0x11, 0x60, 0x00,
    0x00, 0x03, 0x2c, 0x01, 0x49, 0x1a, 0x90, 0x0a, 0x60, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e,
    0x44, 0xae, 0x42, 0x60, 0x82,
];

fn business(n: usize, street: &str) -> BusinessDraft {
    BusinessDraft {
        name: format!("江畔休闲民宿{n}号"),
        uscc: uscc_for(n),
        licensed_on: "2025-03-01".into(),
        legal_form: "individual_business".into(),
        section: "H".into(),
        forms: vec!["homestay".into(), "rural_tourism".into()],
        street: street.into(),
        site: "慈惠沿江小镇".into(),
        founders: resident_id_for(n),
        keep_founders: false,
    }
}

fn photo(bytes: &[u8], name: &str) -> EvidenceUpload {
    EvidenceUpload {
        file_name: name.into(),
        bytes: bytes.to_vec(),
    }
}

/// The 2025 figure of `unit` on 2.5.3 (hundredths), from the tallies and from every row.
async fn figures(store: &Store, unit: &str) -> (Option<i64>, Option<i64>) {
    unit_figures(
        store,
        "2.5.3.showcase_cases",
        unit,
        2025,
        date(2025, 10, 10),
    )
    .await
}

struct Staff {
    jinghe: Actor,
    changqing: Actor,
    nyncj: Actor,
    rsj: Actor,
    xcb: Actor,
}

/// Business 1 of 径河 founded by resident 1, business 2 of 长青 founded by resident 2: their
/// ids and founders' person ids.
async fn setup(store: &Store) -> (Staff, [(i64, i64); 2]) {
    let plan = plan();
    import_rows(
        store,
        "rsj",
        Roster::Migrants,
        vec![
            would_be_founder(1, "返乡能人", "径河"),
            would_be_founder(2, "返乡能人", "长青"),
        ],
        true,
    )
    .await
    .unwrap()
    .unwrap();
    let staff = Staff {
        jinghe: account(store, "jinghe01", Role::UnitStaff, Some("jinghe")).await,
        changqing: account(store, "changqing01", Role::UnitStaff, Some("changqing")).await,
        nyncj: account(store, "nyncj01", Role::UnitStaff, Some("nyncj")).await,
        rsj: account(store, "rsj01", Role::UnitStaff, Some("rsj")).await,
        xcb: account(store, "xcb01", Role::UnitStaff, Some("xcb")).await,
    };
    let mut out = [(0, 0); 2];
    for (n, (street, actor)) in [("jinghe", &staff.jinghe), ("changqing", &staff.changqing)]
        .into_iter()
        .enumerate()
    {
        let id = store
            .save_business(&plan, actor, None, &business(n + 1, street), "")
            .await
            .unwrap();
        let founder = store
            .business(&plan, actor, id, "")
            .await
            .unwrap()
            .business
            .founders[0]
            .person_id;
        out[n] = (id, founder);
    }
    (staff, out)
}

fn case((business, founder): (i64, i64), scopes: &[&str]) -> CaseDraft {
    CaseDraft {
        business: business.to_string(),
        founder: founder.to_string(),
        title: "从义乌回到慈惠，把老屋改成了民宿".into(),
        story: "他在义乌做了八年外贸，2024 年回到慈惠，把自家老屋改成民宿，带动村里 6 人就业。"
            .into(),
        consent_by: "返乡能人".into(),
        consent_on: "2025-06-01".into(),
        consent_scopes: scopes.iter().map(|s| s.to_string()).collect(),
    }
}

#[tokio::test]
async fn a_consented_case_counts_for_its_unit_goes_to_the_city_and_onto_the_portal() {
    for db in databases(&TestClock::at(2025, 6, 10, 2)).await {
        let (store, plan) = (&db.store, plan());
        let (s, b) = setup(store).await;
        let ours = store
            .recommend_case(
                &plan,
                &s.jinghe,
                &case(b[0], &["portal", "media"]),
                vec![photo(&PNG, "C:\\相册\\民宿.png")],
                "",
            )
            .await
            .unwrap();
        let theirs = store
            .recommend_case(&plan, &s.nyncj, &case(b[1], &["media"]), Vec::new(), "")
            .await
            .unwrap();
        assert_eq!(figures(store, "jinghe").await, (Some(1_00), Some(1_00)));
        assert_eq!(figures(store, "nyncj").await, (Some(1_00), Some(1_00)));

        store
            .move_showcase_case(&plan, &s.rsj, ours, CaseAction::Collect, "")
            .await
            .unwrap();
        let nominate = CaseAction::Nominate { on: "2025-06-10" };
        store
            .move_showcase_case(&plan, &s.rsj, ours, nominate, "")
            .await
            .unwrap();
        let starred = CaseAction::Outcome {
            starred: true,
            note: "2025 年度武汉返乡创业之星",
        };
        store
            .move_showcase_case(&plan, &s.rsj, ours, starred, "")
            .await
            .unwrap();

        // Not on the portal until 区委宣传部 publishes it.
        assert!(matches!(
            store.published_story(ours).await.unwrap_err(),
            Error::NotFound(_)
        ));
        store
            .publish_showcase_case(&plan, &s.xcb, ours, true, "")
            .await
            .unwrap();
        let story = store.published_story(ours).await.unwrap();
        assert_eq!(story.status, CaseStatus::Starred);
        assert_eq!(story.published_on, Some(date(2025, 6, 10)));
        assert_eq!(story.published_by.as_deref(), Some("xcb"));
        assert_eq!(story.founder, "返乡能人1");
        assert_eq!(story.photos, [(1, "民宿.png".to_owned())]);
        let (media_type, bytes) = store.story_photo(ours, 1).await.unwrap();
        assert_eq!(
            (media_type.as_str(), bytes.as_slice()),
            ("image/png", &PNG[..])
        );
        let public: Vec<i64> = store
            .published_stories()
            .await
            .unwrap()
            .iter()
            .map(|c| c.id)
            .collect();
        assert_eq!(public, [ours]);
        assert!(store.published_story(theirs).await.is_err());

        let behind = store
            .recommended_cases(&s.jinghe, "jinghe", 2025, "")
            .await
            .unwrap();
        assert_eq!(behind.len(), 1);
        let kept = store.stored_tallies().await.unwrap();
        store.rebuild_figures().await.unwrap();
        assert_eq!(kept, store.stored_tallies().await.unwrap());
        assert_eq!(figures(store, "jinghe").await, (Some(1_00), Some(1_00)));

        // Taken off the portal, it is not found there any more.
        store
            .publish_showcase_case(&plan, &s.xcb, ours, false, "")
            .await
            .unwrap();
        assert!(store.published_story(ours).await.is_err());
        assert!(store.story_photo(ours, 1).await.is_err());
    }
}

#[tokio::test]
async fn bad_input_and_wrong_hands_change_nothing() {
    for db in databases(&TestClock::at(2025, 6, 10, 2)).await {
        let (store, plan) = (&db.store, plan());
        let (s, b) = setup(store).await;
        let media_only = store
            .recommend_case(&plan, &s.jinghe, &case(b[0], &["media"]), Vec::new(), "")
            .await
            .unwrap();
        let all = CaseFilter::default();
        let count = || async {
            (
                store
                    .showcase_cases(&plan, &s.rsj, &all, "")
                    .await
                    .unwrap()
                    .len(),
                figures(store, "jinghe").await,
                figures(store, "changqing").await,
            )
        };
        let before = count().await;

        // A showcase without consent.
        let mut unconsented = case(b[0], &[]);
        unconsented.consent_by.clear();
        unconsented.consent_on.clear();
        let errors = field_errors(
            store
                .recommend_case(&plan, &s.jinghe, &unconsented, Vec::new(), "")
                .await
                .unwrap_err(),
        );
        assert_eq!(errors.len(), 1);
        assert!(
            errors[0].starts_with("本人同意：未登记本人同意"),
            "{errors:?}"
        );

        // A photo that is not an image, named by its position.
        let photos = vec![photo(&PNG, "a.png"), photo(b"%PDF-1.4\n%%EOF\n", "b.png")];
        let errors = field_errors(
            store
                .recommend_case(&plan, &s.jinghe, &case(b[0], &["portal"]), photos, "")
                .await
                .unwrap_err(),
        );
        assert_eq!(errors, ["照片：第2张：只接受 JPEG 或 PNG 格式的图片"]);

        // A street recommending another street's business; a founder not of the business.
        let refused = store
            .recommend_case(
                &plan,
                &s.changqing,
                &case(b[0], &["portal"]),
                Vec::new(),
                "",
            )
            .await
            .unwrap_err();
        assert!(matches!(refused, Error::Forbidden(_)), "{refused:?}");
        assert_eq!(
            store.recent_audit(1).await.unwrap()[0].action,
            "access.denied"
        );
        let stranger = case((b[0].0, b[1].1), &["portal"]);
        let errors = field_errors(
            store
                .recommend_case(&plan, &s.jinghe, &stranger, Vec::new(), "")
                .await
                .unwrap_err(),
        );
        assert_eq!(errors, ["典型人物：须为该创业主体的创办人"]);

        // Publishing by a unit other than xcb / rmtzx; publishing an unconsented case.
        let refused = store
            .publish_showcase_case(&plan, &s.rsj, media_only, true, "")
            .await
            .unwrap_err();
        assert!(matches!(refused, Error::Forbidden(_)), "{refused:?}");
        let errors = field_errors(
            store
                .publish_showcase_case(&plan, &s.xcb, media_only, true, "")
                .await
                .unwrap_err(),
        );
        assert_eq!(errors, ["同意范围：本人未同意在门户网站发布，不能发布"]);

        // An outcome before the nomination; a street collecting.
        let outcome = CaseAction::Outcome {
            starred: false,
            note: "",
        };
        let early = store
            .move_showcase_case(&plan, &s.rsj, media_only, outcome, "")
            .await
            .unwrap_err();
        assert!(matches!(early, Error::Conflict(_)), "{early:?}");
        let refused = store
            .move_showcase_case(&plan, &s.jinghe, media_only, CaseAction::Collect, "")
            .await
            .unwrap_err();
        assert!(matches!(refused, Error::Forbidden(_)), "{refused:?}");

        assert_eq!(count().await, before);
        let stored = store
            .showcase_case(&plan, &s.rsj, media_only, "")
            .await
            .unwrap();
        assert_eq!(stored.status, CaseStatus::Recommended);
        assert_eq!(stored.published_on, None);
        assert!(store.published_stories().await.unwrap().is_empty());
    }
}

#[tokio::test]
async fn a_street_sees_only_its_own_streets_cases() {
    for db in databases(&TestClock::at(2025, 6, 10, 2)).await {
        let (store, plan) = (&db.store, plan());
        let (s, b) = setup(store).await;
        let jinghe_case = store
            .recommend_case(&plan, &s.jinghe, &case(b[0], &["portal"]), Vec::new(), "")
            .await
            .unwrap();
        store
            .recommend_case(&plan, &s.nyncj, &case(b[1], &["portal"]), Vec::new(), "")
            .await
            .unwrap();
        let all = CaseFilter::default();
        let streets = |cases: Vec<linkong_store::showcase::ShowcaseCase>| {
            cases.into_iter().map(|c| c.street_code).collect::<Vec<_>>()
        };
        let seen = store
            .showcase_cases(&plan, &s.changqing, &all, "")
            .await
            .unwrap();
        assert_eq!(streets(seen), ["changqing"]);
        let seen = store
            .showcase_cases(&plan, &s.nyncj, &all, "")
            .await
            .unwrap();
        assert_eq!(streets(seen), ["changqing"], "what nyncj recommended");
        assert_eq!(
            store
                .showcase_cases(&plan, &s.xcb, &all, "")
                .await
                .unwrap()
                .len(),
            2,
            "the publishers read every case"
        );
        let refused = store
            .showcase_case(&plan, &s.changqing, jinghe_case, "")
            .await
            .unwrap_err();
        assert!(matches!(refused, Error::Forbidden(_)), "{refused:?}");
        let asked = CaseFilter {
            street: Some("jinghe".into()),
            ..CaseFilter::default()
        };
        assert!(matches!(
            store
                .showcase_cases(&plan, &s.changqing, &asked, "")
                .await
                .unwrap_err(),
            Error::Forbidden(_)
        ));
        let about = CaseFilter {
            person: Some(b[0].1),
            ..CaseFilter::default()
        };
        assert_eq!(
            store
                .showcase_cases_about(&plan, &s.jinghe, &about)
                .await
                .unwrap()
                .len(),
            1
        );
        assert!(
            store
                .showcase_cases_about(&plan, &s.changqing, &about)
                .await
                .unwrap()
                .is_empty()
        );
    }
}
