//! The selection round (2.5.2) in the store, on SQLite and (with LINKONG_TEST_PG) PostgreSQL:
//! units recommend their returnee businesses' projects, 涉农 ones go to 区农业农村局 and the
//! others to 区人社局, each lead shortlists, sends up and records outcomes; 2.5.2's figure per
//! recommending unit comes from the recommendations, kept as a tally in the recommendation's
//! transaction and equal to the tallies rebuilt from the rows. Bad input and wrong hands
//! change nothing; a street sees only its own street's entries.

use linkong_core::access::{Actor, Role, Roster};
use linkong_core::businesses::BusinessDraft;
use linkong_core::plan::Plan;
use linkong_core::selection::{EntryDraft, EntryStatus, EntryStep, Route};
use linkong_store::selection::EntryFilter;
use linkong_store::{Error, Store};
use linkong_testkit::{
    TestClock, account, databases, date, field_errors, import_rows, plan, resident_id_for,
    unit_figures, uscc_for, would_be_founder,
};

fn business(n: usize, street: &str, section: &str, forms: &[&str]) -> BusinessDraft {
    BusinessDraft {
        name: format!("返乡创业示范{n}号"),
        uscc: uscc_for(n),
        licensed_on: "2025-03-01".into(),
        legal_form: "small_micro".into(),
        section: section.into(),
        forms: forms.iter().map(|f| f.to_string()).collect(),
        street: street.into(),
        site: "柏泉茅庙集".into(),
        founders: resident_id_for(n),
        keep_founders: false,
    }
}

fn entry(business: i64, title: &str) -> EntryDraft {
    EntryDraft {
        business: business.to_string(),
        title: title.into(),
        reason: "带动周边农户就业增收，模式可复制。".into(),
    }
}

/// The 2025 figure of `unit` on 2.5.2 (hundredths), from the tallies and from every row.
async fn figures(store: &Store, unit: &str) -> (Option<i64>, Option<i64>) {
    unit_figures(
        store,
        "2.5.2.selected_projects",
        unit,
        2025,
        date(2025, 10, 10),
    )
    .await
}

struct Staff {
    jinghe: Actor,
    changqing: Actor,
    wlj: Actor,
    rsj: Actor,
    nyncj: Actor,
}

/// Businesses: 1 a homestay of 径河 (H), 2 a rice-and-crayfish farm of 径河 (A), 3 a shop of
/// 长青 (F) selling its own produce (现代农业), 4 a software firm of 长青 (I).
async fn setup(store: &Store) -> (Staff, [i64; 4]) {
    let plan = plan();
    let rows = vec![
        would_be_founder(1, "返乡能人", "径河"),
        would_be_founder(2, "返乡能人", "径河"),
        would_be_founder(3, "返乡能人", "长青"),
        would_be_founder(4, "返乡能人", "长青"),
    ];
    import_rows(store, "rsj", Roster::Migrants, rows, true)
        .await
        .unwrap()
        .unwrap();
    let staff = Staff {
        jinghe: account(store, "jinghe01", Role::UnitStaff, Some("jinghe")).await,
        changqing: account(store, "changqing01", Role::UnitStaff, Some("changqing")).await,
        wlj: account(store, "wlj01", Role::UnitStaff, Some("wlj")).await,
        rsj: account(store, "rsj01", Role::UnitStaff, Some("rsj")).await,
        nyncj: account(store, "nyncj01", Role::UnitStaff, Some("nyncj")).await,
    };
    let drafts = [
        (
            business(1, "jinghe", "H", &["homestay", "rural_tourism"]),
            &staff.jinghe,
        ),
        (
            business(2, "jinghe", "A", &["modern_agriculture"]),
            &staff.jinghe,
        ),
        (
            business(
                3,
                "changqing",
                "F",
                &["live_commerce", "modern_agriculture"],
            ),
            &staff.changqing,
        ),
        (
            business(4, "changqing", "I", &["tech_innovation"]),
            &staff.changqing,
        ),
    ];
    let mut ids = [0; 4];
    for (n, (draft, actor)) in drafts.iter().enumerate() {
        ids[n] = store
            .save_business(&plan, actor, None, draft, "")
            .await
            .unwrap();
    }
    (staff, ids)
}

#[tokio::test]
async fn recommendations_count_for_their_unit_on_the_day_and_each_lead_moves_its_route() {
    let clock = TestClock::at(2025, 6, 10, 2);
    let start = clock.now();
    for db in databases(&clock).await {
        clock.set(start);
        let (store, plan) = (&db.store, plan());
        let (s, b) = setup(store).await;
        assert_eq!(figures(store, "jinghe").await, (Some(0), Some(0)));
        let homestay = store
            .recommend_project(&plan, &s.jinghe, &entry(b[0], "江畔休闲民宿"), "")
            .await
            .unwrap();
        let shop = store
            .recommend_project(&plan, &s.wlj, &entry(b[2], "长青优品农产品直播"), "")
            .await
            .unwrap();
        clock.advance(chrono::Duration::days(1));
        let farm = store
            .recommend_project(&plan, &s.jinghe, &entry(b[1], "稻虾共作生态种养"), "")
            .await
            .unwrap();
        assert_eq!(figures(store, "jinghe").await, (Some(2_00), Some(2_00)));
        assert_eq!(figures(store, "wlj").await, (Some(1_00), Some(1_00)));

        // 涉农 by section A or by the form 现代农业; a homestay is 区人社局's.
        let mut routes = Vec::new();
        for id in [homestay, shop, farm] {
            routes.push(route_of(store, &plan, &s.rsj, id).await);
        }
        assert_eq!(
            routes,
            [Route::Other, Route::Agricultural, Route::Agricultural]
        );

        // 区人社局 shortlists the homestay and sends it up; 区农业农村局 shortlists the farm,
        // passes over the shop with a reason, then records the farm's outcome once sent up.
        store
            .move_selection_entry(&plan, &s.rsj, homestay, &EntryStep::Shortlist, "")
            .await
            .unwrap();
        let sent = store
            .send_shortlist_up(&plan, &s.rsj, (2025, Route::Other), "2025-06-11", "")
            .await
            .unwrap();
        assert_eq!(sent, 1);
        store
            .move_selection_entry(&plan, &s.nyncj, farm, &EntryStep::Shortlist, "")
            .await
            .unwrap();
        let pass = EntryStep::Pass {
            note: "带动就业人数不足".into(),
        };
        store
            .move_selection_entry(&plan, &s.nyncj, shop, &pass, "")
            .await
            .unwrap();
        store
            .send_shortlist_up(
                &plan,
                &s.nyncj,
                (2025, Route::Agricultural),
                "2025-06-11",
                "",
            )
            .await
            .unwrap();
        let selected = EntryStep::Outcome {
            selected: true,
            note: "入选2025年武汉市返乡创业优秀项目".into(),
        };
        store
            .move_selection_entry(&plan, &s.nyncj, farm, &selected, "")
            .await
            .unwrap();
        let farm = store
            .selection_entry(&plan, &s.nyncj, farm, "")
            .await
            .unwrap();
        assert_eq!(farm.status, EntryStatus::Selected);
        assert_eq!(farm.sent_on, Some(date(2025, 6, 11)));
        assert_eq!(farm.founder, "返乡能人2");
        let shop = store
            .selection_entry(&plan, &s.rsj, shop, "")
            .await
            .unwrap();
        assert_eq!(shop.status, EntryStatus::NotShortlisted);
        assert_eq!(shop.pass_note, "带动就业人数不足");

        // Whatever became of them, the recommendations still count, and the tallies kept by
        // each write equal those rebuilt from the rows.
        assert_eq!(figures(store, "jinghe").await, (Some(2_00), Some(2_00)));
        assert_eq!(figures(store, "wlj").await, (Some(1_00), Some(1_00)));
        let behind = store
            .recommended_entries(&s.jinghe, "jinghe", 2025, "")
            .await
            .unwrap();
        let days: Vec<_> = behind.iter().map(|e| e.recommended_on).collect();
        assert_eq!(days, [date(2025, 6, 10), date(2025, 6, 11)]);
        let kept = store.stored_tallies().await.unwrap();
        store.rebuild_figures().await.unwrap();
        assert_eq!(kept, store.stored_tallies().await.unwrap());
    }
}

/// The route of an entry, as 区人社局 (who reads every entry) sees it.
async fn route_of(store: &Store, plan: &Plan, rsj: &Actor, id: i64) -> Route {
    store
        .selection_entry(plan, rsj, id, "")
        .await
        .unwrap()
        .route
}

#[tokio::test]
async fn bad_input_and_wrong_hands_change_nothing() {
    for db in databases(&TestClock::at(2025, 6, 10, 2)).await {
        let (store, plan) = (&db.store, plan());
        let (s, b) = setup(store).await;
        let homestay = store
            .recommend_project(&plan, &s.jinghe, &entry(b[0], "江畔休闲民宿"), "")
            .await
            .unwrap();
        let everything = || async {
            (
                store
                    .selection_entries(&plan, &s.rsj, &EntryFilter::default(), "")
                    .await
                    .unwrap(),
                figures(store, "jinghe").await,
                figures(store, "changqing").await,
            )
        };
        let before = everything().await;

        // A street recommending another street's business; a lead recommending at all.
        let refused = store
            .recommend_project(&plan, &s.changqing, &entry(b[0], "借用"), "")
            .await
            .unwrap_err();
        assert!(matches!(refused, Error::Forbidden(_)), "{refused:?}");
        assert_eq!(
            store.recent_audit(1).await.unwrap()[0].action,
            "access.denied"
        );
        let refused = store
            .recommend_project(&plan, &s.rsj, &entry(b[3], "软件外包"), "")
            .await
            .unwrap_err();
        assert!(matches!(refused, Error::Forbidden(_)), "{refused:?}");

        // Missing fields; the same business twice in a round; a closed business.
        let errors = field_errors(
            store
                .recommend_project(&plan, &s.changqing, &EntryDraft::default(), "")
                .await
                .unwrap_err(),
        );
        assert_eq!(
            errors,
            [
                "创业主体：请选择返区创业主体",
                "项目名称：不能为空",
                "推荐理由：不能为空"
            ]
        );
        let errors = field_errors(
            store
                .recommend_project(&plan, &s.wlj, &entry(b[0], "江畔民宿"), "")
                .await
                .unwrap_err(),
        );
        assert_eq!(errors, ["创业主体：本年度已由径河街道推荐，不能重复推荐"]);
        store
            .change_business_status(
                &plan,
                &s.changqing,
                b[3],
                ("closed", "2025-06-01", "转让"),
                "",
            )
            .await
            .unwrap();
        let errors = field_errors(
            store
                .recommend_project(&plan, &s.changqing, &entry(b[3], "软件外包"), "")
                .await
                .unwrap_err(),
        );
        assert_eq!(errors, ["创业主体：已关闭的创业主体不能推荐"]);

        // An outcome before the shortlist was sent up; the other route's lead; a send-up in
        // the future or with nothing shortlisted.
        let outcome = EntryStep::Outcome {
            selected: true,
            note: String::new(),
        };
        let early = store
            .move_selection_entry(&plan, &s.rsj, homestay, &outcome, "")
            .await
            .unwrap_err();
        assert!(
            matches!(&early, Error::Conflict(m) if m == "尚未报送上级，不能登记遴选结果"),
            "{early:?}"
        );
        let refused = store
            .move_selection_entry(&plan, &s.nyncj, homestay, &EntryStep::Shortlist, "")
            .await
            .unwrap_err();
        assert!(matches!(refused, Error::Forbidden(_)), "{refused:?}");
        let nothing = store
            .send_shortlist_up(&plan, &s.rsj, (2025, Route::Other), "2025-06-10", "")
            .await
            .unwrap_err();
        assert!(matches!(nothing, Error::Conflict(_)), "{nothing:?}");
        store
            .move_selection_entry(&plan, &s.rsj, homestay, &EntryStep::Shortlist, "")
            .await
            .unwrap();
        let errors = field_errors(
            store
                .send_shortlist_up(&plan, &s.rsj, (2025, Route::Other), "2025-06-30", "")
                .await
                .unwrap_err(),
        );
        assert_eq!(errors, ["报送日期：2025-06-30 晚于今天"]);

        let (entries, jinghe, changqing) = everything().await;
        assert_eq!(entries.len(), before.0.len());
        assert_eq!(entries[0].status, EntryStatus::Shortlisted);
        assert_eq!(entries[0].sent_on, None);
        assert_eq!((jinghe, changqing), (before.1, before.2));
    }
}

#[tokio::test]
async fn a_street_sees_only_its_own_streets_entries_and_a_department_its_own() {
    for db in databases(&TestClock::at(2025, 6, 10, 2)).await {
        let (store, plan) = (&db.store, plan());
        let (s, b) = setup(store).await;
        let jinghe_entry = store
            .recommend_project(&plan, &s.jinghe, &entry(b[0], "江畔休闲民宿"), "")
            .await
            .unwrap();
        store
            .recommend_project(&plan, &s.wlj, &entry(b[2], "长青优品农产品直播"), "")
            .await
            .unwrap();
        store
            .recommend_project(&plan, &s.changqing, &entry(b[3], "云启软件"), "")
            .await
            .unwrap();
        let all = EntryFilter::default();
        let titles = |entries: Vec<linkong_store::selection::SelectionEntry>| {
            let mut t: Vec<String> = entries.into_iter().map(|e| e.title).collect();
            t.sort();
            t
        };
        let changqing = store
            .selection_entries(&plan, &s.changqing, &all, "")
            .await
            .unwrap();
        assert_eq!(titles(changqing), ["云启软件", "长青优品农产品直播"]);
        let wlj = store
            .selection_entries(&plan, &s.wlj, &all, "")
            .await
            .unwrap();
        assert_eq!(titles(wlj), ["长青优品农产品直播"]);
        assert_eq!(
            store
                .selection_entries(&plan, &s.rsj, &all, "")
                .await
                .unwrap()
                .len(),
            3
        );
        let asked = EntryFilter {
            street: Some("jinghe".into()),
            ..EntryFilter::default()
        };
        let refused = store
            .selection_entries(&plan, &s.changqing, &asked, "")
            .await
            .unwrap_err();
        assert!(matches!(refused, Error::Forbidden(_)), "{refused:?}");
        let refused = store
            .selection_entry(&plan, &s.changqing, jinghe_entry, "")
            .await
            .unwrap_err();
        assert!(matches!(refused, Error::Forbidden(_)), "{refused:?}");
        assert_eq!(
            store.recent_audit(1).await.unwrap()[0].action,
            "access.denied"
        );
        let refused = store
            .recommended_entries(&s.changqing, "jinghe", 2025, "")
            .await
            .unwrap_err();
        assert!(matches!(refused, Error::Forbidden(_)), "{refused:?}");

        // The founder's page: entries about the businesses they founded, within reach.
        let founder = store
            .business(&plan, &s.jinghe, b[0], "")
            .await
            .unwrap()
            .business
            .founders[0]
            .person_id;
        let about = EntryFilter {
            founder: Some(founder),
            ..EntryFilter::default()
        };
        let seen = store
            .selection_entries_about(&plan, &s.jinghe, &about)
            .await
            .unwrap();
        assert_eq!(titles(seen), ["江畔休闲民宿"]);
        let unseen = store
            .selection_entries_about(&plan, &s.changqing, &about)
            .await
            .unwrap();
        assert!(unseen.is_empty());
    }
}
