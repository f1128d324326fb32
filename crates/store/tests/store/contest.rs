//! The “中国网谷杯” start-up contest (1.2.3) in the store, on SQLite and (with
//! LINKONG_TEST_PG) PostgreSQL: 区经科局 opens an edition with tracks, registers entries, holds
//! rounds, scores, advances and awards the final; the cooperating units record follow-on
//! support (the angel fund 区基金公司 only); a winning project lands as a returnee business.
//! 1.2.3's two activity figures come from the entries registered and landed, kept as tallies in
//! the same transactions and equal to the tallies rebuilt from the rows. Bad input and wrong
//! hands change nothing; streets have no part and are refused, audited.

use linkong_core::access::{Actor, Role, Roster};
use linkong_core::businesses::BusinessDraft;
use linkong_core::contest::{
    AwardDraft, AwardGrade, EditionDraft, EntryDraft, LandingDraft, RoundDraft, Stage, SupportDraft,
};
use linkong_store::{Error, Store};
use linkong_testkit::{
    TestClock, account, databases, date, field_errors, import_rows, plan, resident_id_for,
    unit_figures, uscc_for, would_be_founder,
};

fn business(n: usize) -> BusinessDraft {
    BusinessDraft {
        name: format!("网谷智能科技{n}号"),
        uscc: uscc_for(n),
        licensed_on: "2025-03-01".into(),
        legal_form: "small_micro".into(),
        section: "I".into(),
        forms: vec!["tech_innovation".into()],
        street: "jinghe".into(),
        site: "径河街道创业园".into(),
        founders: resident_id_for(n),
        keep_founders: false,
    }
}

fn edition_draft(year: i32) -> EditionDraft {
    EditionDraft {
        year: year.to_string(),
        name: format!("{year} 年“中国网谷杯”创新创业大赛"),
        opens_on: format!("{year}-04-01"),
        closes_on: format!("{year}-11-30"),
        tracks: "大学生创业组\n成长企业组\n网络安全赛道".into(),
    }
}

fn entry(track: i64, project: &str, day: &str) -> EntryDraft {
    EntryDraft {
        track: track.to_string(),
        project: project.into(),
        team: format!("{project}团队"),
        leader: "李明".into(),
        school: "华中科技大学".into(),
        field: "网络安全".into(),
        brief: "面向中小企业的安全服务".into(),
        leader_id: String::new(),
        phone: "13912345678".into(),
        registered_on: day.into(),
    }
}

fn round(stage: &str, day: &str) -> RoundDraft {
    RoundDraft {
        stage: stage.into(),
        scale: "100".into(),
        judges: "王教授、张总".into(),
        held_on: day.into(),
    }
}

/// The 2025 figure of 区经科局 on a 1.2.3 indicator (hundredths), from the tallies and the rows.
async fn figures(store: &Store, code: &str) -> (Option<i64>, Option<i64>) {
    unit_figures(store, code, "jkj", 2025, date(2025, 11, 25)).await
}

struct Staff {
    jkj: Actor,
    rsj: Actor,
    jjgs: Actor,
    jinghe: Actor,
}

/// 区经科局's 2025 edition with its three tracks, a returnee business of 径河, and the staff.
async fn setup(store: &Store) -> (Staff, i64, Vec<i64>, i64) {
    let plan = plan();
    import_rows(
        store,
        "rsj",
        Roster::Migrants,
        vec![would_be_founder(1, "返乡学子", "径河")],
        true,
    )
    .await
    .unwrap()
    .unwrap();
    let s = Staff {
        jkj: account(store, "jkj01", Role::UnitStaff, Some("jkj")).await,
        rsj: account(store, "rsj01", Role::UnitStaff, Some("rsj")).await,
        jjgs: account(store, "jjgs01", Role::UnitStaff, Some("jjgs")).await,
        jinghe: account(store, "jinghe01", Role::UnitStaff, Some("jinghe")).await,
    };
    let business = store
        .save_business(&plan, &s.jinghe, None, &business(1), "")
        .await
        .unwrap();
    let id = store
        .create_contest_edition(&plan, &s.jkj, &edition_draft(2025), "")
        .await
        .unwrap();
    let page = store.contest_edition(&plan, &s.jkj, id, "").await.unwrap();
    let tracks = page.edition.tracks.iter().map(|t| t.id).collect();
    (s, id, tracks, business)
}

#[tokio::test]
async fn entries_count_on_their_day_and_a_winner_lands_as_a_returnee_business() {
    for db in databases(&TestClock::at(2025, 11, 25, 2)).await {
        let (store, plan) = (&db.store, plan());
        let (s, edition, tracks, business) = setup(store).await;
        let mut ids = Vec::new();
        for (track, project, day) in [
            (tracks[0], "校园智能巡检", "2025-05-10"),
            (tracks[2], "工控安全盒子", "2025-05-10"),
            (tracks[1], "冷链溯源平台", "2025-06-01"),
        ] {
            // The first leader is the returnee of the registry, linked by resident ID.
            let draft = EntryDraft {
                leader_id: if ids.is_empty() {
                    resident_id_for(1)
                } else {
                    String::new()
                },
                ..entry(track, project, day)
            };
            let id = store
                .register_contest_entry(&plan, &s.jkj, edition, &draft, "")
                .await
                .unwrap();
            ids.push(id);
        }
        assert_eq!(
            figures(store, "1.2.3.entries").await,
            (Some(3_00), Some(3_00))
        );
        assert_eq!(figures(store, "1.2.3.landed").await, (Some(0), Some(0)));

        let first = store
            .add_contest_round(&plan, &s.jkj, edition, &round("初赛", "2025-09-10"), "")
            .await
            .unwrap();
        let last = store
            .add_contest_round(&plan, &s.jkj, edition, &round("决赛", "2025-11-15"), "")
            .await
            .unwrap();
        for (id, score) in ids.iter().zip(["91.5", "88", "72"]) {
            store
                .score_contest_entry(&plan, &s.jkj, (*id, first), score, "")
                .await
                .unwrap();
        }
        let advanced = store
            .advance_contest_entries(&plan, &s.jkj, (edition, first), &ids[..2], "")
            .await
            .unwrap();
        assert_eq!(advanced, 2);
        store
            .score_contest_entry(&plan, &s.jkj, (ids[0], last), "95.25", "")
            .await
            .unwrap();
        let award = AwardDraft {
            grade: "一等奖".into(),
            amount: "50000".into(),
            awarded_on: "2025-11-20".into(),
        };
        store
            .award_contest_entry(&plan, &s.jkj, ids[0], &award, "")
            .await
            .unwrap();

        // Support from 区人社局 and the angel fund from 区基金公司.
        let lecture = SupportDraft {
            kind: "创业讲堂".into(),
            given_on: "2025-06-15".into(),
            note: "参加创业大讲堂".into(),
            amount: String::new(),
        };
        store
            .record_contest_support(&plan, &s.rsj, ids[0], &lecture, "")
            .await
            .unwrap();
        let fund = SupportDraft {
            kind: "临空港天使投资基金".into(),
            given_on: "2025-11-22".into(),
            note: "天使轮".into(),
            amount: "300000".into(),
        };
        store
            .record_contest_support(&plan, &s.jjgs, ids[0], &fund, "")
            .await
            .unwrap();

        let landing = LandingDraft {
            business: business.to_string(),
            landed_on: "2025-11-24".into(),
        };
        store
            .land_contest_entry(&plan, &s.jkj, ids[0], &landing, "")
            .await
            .unwrap();
        assert_eq!(
            figures(store, "1.2.3.landed").await,
            (Some(1_00), Some(1_00))
        );
        assert_eq!(
            figures(store, "1.2.3.entries").await,
            (Some(3_00), Some(3_00))
        );

        let page = store
            .contest_entry(&plan, &s.rsj, ids[0], "")
            .await
            .unwrap();
        assert_eq!(page.entry.phone_masked, "139****5678");
        assert!(
            page.entry.person_id.is_some(),
            "the leader is linked to the registry"
        );
        let second = store
            .contest_entry(&plan, &s.rsj, ids[1], "")
            .await
            .unwrap();
        assert_eq!(second.entry.person_id, None);
        assert_eq!(page.entry.award.as_ref().unwrap().grade, AwardGrade::First);
        assert_eq!(page.entry.furthest(), Some(Stage::Final));
        assert_eq!(page.entry.results[1].score, Some(9525));
        assert_eq!(page.support.len(), 2);
        assert_eq!(page.support[1].amount, Some(300_000));
        let landed = page.entry.landing.unwrap();
        assert_eq!(
            (landed.business_id, landed.landed_on),
            (business, date(2025, 11, 24))
        );

        // The business's page lists it; the drill-down gives the rows behind each figure.
        let on_business = store
            .contest_landings_of(&plan, &s.jkj, business)
            .await
            .unwrap();
        assert_eq!(on_business.len(), 1);
        let behind = store
            .contest_counted(
                &s.jkj,
                linkong_core::registry::Registry::ContestEntries,
                "jkj",
                2025,
                "",
            )
            .await
            .unwrap();
        assert_eq!(behind.len(), 3);

        // The portal shows the winner's project and school, and how many entered.
        let public = store.public_contest().await.unwrap().unwrap();
        assert_eq!(public.entries, 3);
        assert_eq!(public.winners.len(), 1);
        assert_eq!(public.winners[0].project, "校园智能巡检");
        assert!(public.winners[0].landed);

        let kept = store.stored_tallies().await.unwrap();
        store.rebuild_figures().await.unwrap();
        assert_eq!(kept, store.stored_tallies().await.unwrap());
    }
}

#[tokio::test]
async fn bad_input_and_wrong_hands_change_nothing() {
    for db in databases(&TestClock::at(2025, 11, 25, 2)).await {
        let (store, plan) = (&db.store, plan());
        let (s, edition, tracks, business) = setup(store).await;
        let mut ids = Vec::new();
        for project in ["甲项目", "乙项目"] {
            let id = store
                .register_contest_entry(
                    &plan,
                    &s.jkj,
                    edition,
                    &entry(tracks[0], project, "2025-05-10"),
                    "",
                )
                .await
                .unwrap();
            ids.push(id);
        }
        let first = store
            .add_contest_round(&plan, &s.jkj, edition, &round("初赛", "2025-09-10"), "")
            .await
            .unwrap();
        let last = store
            .add_contest_round(&plan, &s.jkj, edition, &round("决赛", "2025-11-15"), "")
            .await
            .unwrap();
        store
            .score_contest_entry(&plan, &s.jkj, (ids[0], first), "90", "")
            .await
            .unwrap();
        store
            .advance_contest_entries(&plan, &s.jkj, (edition, first), &ids[..1], "")
            .await
            .unwrap();
        let award = |day: &str| AwardDraft {
            grade: "二等奖".into(),
            amount: "20000".into(),
            awarded_on: day.into(),
        };
        store
            .award_contest_entry(&plan, &s.jkj, ids[0], &award("2025-11-20"), "")
            .await
            .unwrap();
        let everything = || async {
            (
                store
                    .contest_edition(&plan, &s.jkj, edition, "")
                    .await
                    .unwrap(),
                store.contest_editions(&plan, &s.jkj, "").await.unwrap(),
                figures(store, "1.2.3.entries").await,
                figures(store, "1.2.3.landed").await,
            )
        };
        let before = everything().await;

        // A score outside the round's scale; a score in a round the entry did not reach.
        let refused = store
            .score_contest_entry(&plan, &s.jkj, (ids[1], first), "101", "")
            .await
            .unwrap_err();
        assert_eq!(field_errors(refused), ["评分：应在 0 到 100 之间"]);
        let refused = store
            .score_contest_entry(&plan, &s.jkj, (ids[1], last), "80", "")
            .await
            .unwrap_err();
        assert_eq!(field_errors(refused), ["参赛项目：未进入决赛，不能评分"]);
        // An award for an entry not in the final.
        let refused = store
            .award_contest_entry(&plan, &s.jkj, ids[1], &award("2025-11-20"), "")
            .await
            .unwrap_err();
        assert_eq!(field_errors(refused), ["获奖项目：未进入决赛，不能获奖"]);
        // A landing before the award, or in the future.
        for (day, message) in [
            ("2025-11-19", "落地日期：2025-11-19 早于获奖日期 2025-11-20"),
            ("2025-11-26", "落地日期：2025-11-26 晚于今天"),
        ] {
            let landing = LandingDraft {
                business: business.to_string(),
                landed_on: day.into(),
            };
            let refused = store
                .land_contest_entry(&plan, &s.jkj, ids[0], &landing, "")
                .await
                .unwrap_err();
            assert_eq!(field_errors(refused), [message]);
        }
        // An entry without a track; a second edition for 2025.
        let refused = store
            .register_contest_entry(
                &plan,
                &s.jkj,
                edition,
                &entry(0, "丙项目", "2025-05-10"),
                "",
            )
            .await
            .unwrap_err();
        assert_eq!(field_errors(refused), ["赛道：请选择赛道"]);
        // A leader's resident ID found in neither the graduate roster nor the registry.
        let unknown = EntryDraft {
            leader_id: resident_id_for(99),
            ..entry(tracks[0], "己项目", "2025-05-10")
        };
        let refused = store
            .register_contest_entry(&plan, &s.jkj, edition, &unknown, "")
            .await
            .unwrap_err();
        assert_eq!(
            field_errors(refused),
            ["负责人身份证号码：未在毕业生名册或外出就业人员信息库中找到；不关联可留空"]
        );
        let refused = store
            .create_contest_edition(&plan, &s.jkj, &edition_draft(2025), "")
            .await
            .unwrap_err();
        assert_eq!(
            field_errors(refused),
            ["年度：2025 年已有一届大赛，每年只办一届"]
        );

        // A street reads and writes nothing; 区人社局 registers nothing nor invests the fund.
        let refused = store
            .contest_editions(&plan, &s.jinghe, "")
            .await
            .unwrap_err();
        assert!(matches!(refused, Error::Forbidden(_)), "{refused:?}");
        assert_eq!(
            store.recent_audit(1).await.unwrap()[0].action,
            "access.denied"
        );
        let refused = store
            .contest_entry(&plan, &s.jinghe, ids[0], "")
            .await
            .unwrap_err();
        assert!(matches!(refused, Error::Forbidden(_)), "{refused:?}");
        let refused = store
            .register_contest_entry(
                &plan,
                &s.jinghe,
                edition,
                &entry(tracks[0], "丁项目", "2025-05-10"),
                "",
            )
            .await
            .unwrap_err();
        assert!(matches!(refused, Error::Forbidden(_)), "{refused:?}");
        let refused = store
            .register_contest_entry(
                &plan,
                &s.rsj,
                edition,
                &entry(tracks[0], "戊项目", "2025-05-10"),
                "",
            )
            .await
            .unwrap_err();
        assert!(matches!(refused, Error::Forbidden(_)), "{refused:?}");
        let fund = SupportDraft {
            kind: "临空港天使投资基金".into(),
            given_on: "2025-11-22".into(),
            note: "天使轮".into(),
            amount: "300000".into(),
        };
        let refused = store
            .record_contest_support(&plan, &s.rsj, ids[0], &fund, "")
            .await
            .unwrap_err();
        assert!(matches!(refused, Error::Forbidden(_)), "{refused:?}");
        assert!(
            store
                .contest_landings_of(&plan, &s.jinghe, business)
                .await
                .unwrap()
                .is_empty()
        );
        assert_eq!(
            store
                .contest_entry(&plan, &s.jkj, ids[0], "")
                .await
                .unwrap()
                .support,
            []
        );
        assert_eq!(before, everything().await);
    }
}
