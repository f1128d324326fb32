//! Mentoring of returnee businesses (跟踪陪跑, 2.3.2) in the store, on SQLite and (with
//! LINKONG_TEST_PG) PostgreSQL: 区人社局 or a cooperating unit opens one with its mentor (an
//! expert still in the pool, or an instructor by name and organisation), the plan's milestones,
//! visits and financing contacts are added, and it ends with an outcome. 2.3.2's figure per
//! opening unit comes from the mentorings, kept as a tally equal to the rows and to the tallies
//! rebuilt. Bad input and wrong hands change nothing; a street reads only its own street's.

use linkong_core::access::{Actor, Role, Roster};
use linkong_core::businesses::BusinessDraft;
use linkong_core::experts::ExpertDraft;
use linkong_core::mentoring::{
    EndDraft, FinancingDraft, FinancingResult, MentorKind, MentoringDraft, MentoringStatus,
    MilestoneDraft, Outcome, VisitDraft,
};
use linkong_store::mentoring::MentoringFilter;
use linkong_store::{Error, Store};
use linkong_testkit::{
    TestClock, account, databases, date, field_errors, import_rows, plan, resident_id_for,
    unit_figures, uscc_for, would_be_founder,
};

fn business(n: usize, street: &str) -> BusinessDraft {
    BusinessDraft {
        name: format!("临空直播电商{n}号"),
        uscc: uscc_for(n),
        licensed_on: "2025-03-01".into(),
        legal_form: "small_micro".into(),
        section: "I".into(),
        forms: vec!["live_commerce".into()],
        street: street.into(),
        site: String::new(),
        founders: resident_id_for(n),
        keep_founders: false,
    }
}

fn expert(name: &str, status: &str) -> ExpertDraft {
    ExpertDraft {
        name: name.into(),
        field: "金融".into(),
        organisation: "临空港创投".into(),
        title: "投资总监".into(),
        services: vec!["resources".into()],
        availability: "每周三".into(),
        phone: "13812345678".into(),
        intro: String::new(),
        consents: vec!["name".into()],
        status: status.into(),
    }
}

/// The 2025 figure of `unit` on 2.3.2 (hundredths), from the tallies and from every row.
async fn figures(store: &Store, unit: &str) -> (Option<i64>, Option<i64>) {
    unit_figures(store, "2.3.2.mentorings", unit, 2025, date(2025, 10, 10)).await
}

struct Staff {
    rsj: Actor,
    jkj: Actor,
    jinghe: Actor,
    changqing: Actor,
    jjgs: Actor,
    swj: Actor,
}

/// Business 1 of 径河 and business 2 of 长青; an expert in the pool and one who left it.
async fn setup(store: &Store) -> (Staff, [i64; 2], [i64; 2]) {
    let plan = plan();
    let migrants = vec![
        would_be_founder(1, "返乡创业者", "径河"),
        would_be_founder(2, "返乡创业者", "长青"),
    ];
    import_rows(store, "rsj", Roster::Migrants, migrants, true)
        .await
        .unwrap()
        .unwrap();
    let s = Staff {
        rsj: account(store, "rsj01", Role::UnitStaff, Some("rsj")).await,
        jkj: account(store, "jkj01", Role::UnitStaff, Some("jkj")).await,
        jinghe: account(store, "jinghe01", Role::UnitStaff, Some("jinghe")).await,
        changqing: account(store, "changqing01", Role::UnitStaff, Some("changqing")).await,
        jjgs: account(store, "jjgs01", Role::UnitStaff, Some("jjgs")).await,
        swj: account(store, "swj01", Role::UnitStaff, Some("swj")).await,
    };
    let mut businesses = [0; 2];
    for (n, (street, actor)) in [("jinghe", &s.jinghe), ("changqing", &s.changqing)]
        .into_iter()
        .enumerate()
    {
        businesses[n] = store
            .save_business(&plan, actor, None, &business(n + 1, street), "")
            .await
            .unwrap();
    }
    let active = store
        .add_expert(&plan, &s.rsj, &expert("陈投资", ""), "")
        .await
        .unwrap();
    let retired = store
        .add_expert(&plan, &s.rsj, &expert("赵顾问", "retired"), "")
        .await
        .unwrap();
    (s, businesses, [active, retired])
}

async fn open(store: &Store, actor: &Actor, draft: MentoringDraft) -> Result<i64, Error> {
    store.open_mentoring(&plan(), actor, &draft, "").await
}

async fn list(
    store: &Store,
    actor: Actor,
) -> Result<Vec<linkong_store::mentoring::Mentoring>, Error> {
    let all = MentoringFilter::default();
    store.mentorings(&plan(), &actor, &all, "").await
}

fn with_expert(business: i64, expert: i64) -> MentoringDraft {
    MentoringDraft {
        business: business.to_string(),
        chosen_for: "street_referral".into(),
        chosen_note: "街道推荐的优秀返区创业项目".into(),
        started_on: "2025-04-01".into(),
        expert: expert.to_string(),
        fund_joins: true,
        ..MentoringDraft::default()
    }
}

fn with_instructor(business: i64) -> MentoringDraft {
    MentoringDraft {
        business: business.to_string(),
        chosen_for: "other".into(),
        chosen_note: "区人社局走访发现".into(),
        started_on: "2025-05-06".into(),
        instructor_name: "李指导".into(),
        instructor_organisation: "东西湖区创业指导中心".into(),
        ..MentoringDraft::default()
    }
}

#[tokio::test]
async fn a_mentoring_counts_for_its_opener_on_its_start_day_runs_its_plan_and_ends_with_an_outcome()
{
    for db in databases(&TestClock::at(2025, 6, 10, 2)).await {
        let (store, plan) = (&db.store, plan());
        let (s, b, experts) = setup(store).await;
        let ours = store
            .open_mentoring(&plan, &s.jinghe, &with_expert(b[0], experts[0]), "")
            .await
            .unwrap();
        let theirs = store
            .open_mentoring(&plan, &s.jkj, &with_instructor(b[1]), "")
            .await
            .unwrap();
        assert_eq!(figures(store, "jinghe").await, (Some(1_00), Some(1_00)));
        assert_eq!(figures(store, "jkj").await, (Some(1_00), Some(1_00)));
        assert_eq!(figures(store, "rsj").await, (Some(0), Some(0)));

        let milestone = MilestoneDraft {
            title: "直播间月销售额过百万".into(),
            due_on: "2025-12-31".into(),
        };
        store
            .add_milestone(&plan, &s.jinghe, ours, &milestone, "")
            .await
            .unwrap();
        let visit = VisitDraft {
            visited_on: "2025-05-20".into(),
            visitor: "陈投资、径河街道 刘干事".into(),
            problems_raised: "缺少仓储场地".into(),
            problems_solved: "对接临空港物流园仓库".into(),
        };
        store
            .log_mentoring_visit(&plan, &s.rsj, ours, &visit, "")
            .await
            .unwrap();
        let financing = FinancingDraft {
            contacted_on: "2025-06-01".into(),
            funder: "临空港天使投资基金".into(),
            amount: "300".into(),
            result: "invested".into(),
        };
        store
            .record_financing_contact(&plan, &s.jjgs, ours, &financing, "")
            .await
            .unwrap();
        let detail = store.mentoring(&plan, &s.jinghe, ours, "").await.unwrap();
        let m_id = detail.milestones[0].id;
        store
            .reach_milestone(&plan, &s.jinghe, (ours, m_id), "2025-06-09", "")
            .await
            .unwrap();
        let end = EndDraft {
            outcome: "achieved".into(),
            ended_on: "2025-06-10".into(),
            note: "获天使轮投资 300 万元".into(),
        };
        store
            .end_mentoring(&plan, &s.jinghe, ours, &end, "")
            .await
            .unwrap();

        let detail = store.mentoring(&plan, &s.rsj, ours, "").await.unwrap();
        let m = &detail.mentoring;
        assert_eq!(m.opened_by, "jinghe");
        assert_eq!(m.mentor_kind, MentorKind::Expert);
        assert_eq!(
            (m.mentor_name.as_str(), m.mentor_organisation.as_str()),
            ("陈投资", "临空港创投")
        );
        assert_eq!(m.status, MentoringStatus::Ended);
        assert_eq!(m.outcome, Some(Outcome::Achieved));
        assert_eq!(m.ended_on, Some(date(2025, 6, 10)));
        assert_eq!((m.milestones, m.milestones_done, m.visits), (1, 1, 1));
        assert_eq!(detail.milestones[0].done_on, Some(date(2025, 6, 9)));
        assert_eq!(detail.visits[0].problems_solved, "对接临空港物流园仓库");
        assert_eq!(detail.financing[0].amount, 300_00);
        assert_eq!(detail.financing[0].result, FinancingResult::Invested);
        let instructor = store.mentoring(&plan, &s.jkj, theirs, "").await.unwrap();
        assert_eq!(instructor.mentoring.mentor_name, "李指导");
        assert_eq!(instructor.mentoring.mentor_kind, MentorKind::Instructor);

        // Nothing after the end: no visit, no milestone.
        let late = store
            .log_mentoring_visit(&plan, &s.jinghe, ours, &visit, "")
            .await
            .unwrap_err();
        assert!(matches!(late, Error::Conflict(_)), "{late:?}");
        let late = store
            .add_milestone(&plan, &s.jinghe, ours, &milestone, "")
            .await
            .unwrap_err();
        assert!(matches!(late, Error::Conflict(_)), "{late:?}");

        let behind = store
            .started_mentorings(&s.jinghe, "jinghe", 2025, "")
            .await
            .unwrap();
        assert_eq!(behind.iter().map(|m| m.id).collect::<Vec<_>>(), [ours]);
        let kept = store.stored_tallies().await.unwrap();
        store.rebuild_figures().await.unwrap();
        assert_eq!(kept, store.stored_tallies().await.unwrap());
        assert_eq!(figures(store, "jinghe").await, (Some(1_00), Some(1_00)));
    }
}

#[tokio::test]
async fn a_mentoring_chosen_from_the_selection_round_links_its_entry_and_a_closed_business_starts_none()
 {
    for db in databases(&TestClock::at(2025, 6, 10, 2)).await {
        let (store, plan) = (&db.store, plan());
        let (s, b, experts) = setup(store).await;
        let entry = linkong_core::selection::EntryDraft {
            business: b[0].to_string(),
            title: "临空直播基地".into(),
            reason: "带动就业 20 人".into(),
        };
        let entry_id = store
            .recommend_project(&plan, &s.jinghe, &entry, "")
            .await
            .unwrap();
        let draft = MentoringDraft {
            chosen_for: "selection".into(),
            ..with_expert(b[0], experts[0])
        };
        let id = store
            .open_mentoring(&plan, &s.rsj, &draft, "")
            .await
            .unwrap();
        let m = store.mentoring(&plan, &s.rsj, id, "").await.unwrap();
        assert_eq!(m.mentoring.selection_entry_id, Some(entry_id));
        assert_eq!(m.mentoring.showcase_case_id, None);

        // The same business again while the first runs: refused.
        let twice = store
            .open_mentoring(&plan, &s.rsj, &draft, "")
            .await
            .unwrap_err();
        assert_eq!(
            field_errors(twice),
            ["创业主体：该主体已有进行中的跟踪陪跑"]
        );

        let closing = ("closed", "2025-06-01", "经营不善");
        store
            .change_business_status(&plan, &s.changqing, b[1], closing, "")
            .await
            .unwrap();
        let closed = store
            .open_mentoring(&plan, &s.rsj, &with_instructor(b[1]), "")
            .await
            .unwrap_err();
        assert_eq!(
            field_errors(closed),
            ["创业主体：该主体已关闭，不能开始新的跟踪陪跑"]
        );
    }
}

#[tokio::test]
async fn bad_input_and_wrong_hands_write_nothing() {
    for db in databases(&TestClock::at(2025, 6, 10, 2)).await {
        let (store, plan) = (&db.store, plan());
        let (s, b, experts) = setup(store).await;
        let running = store
            .open_mentoring(&plan, &s.jinghe, &with_expert(b[0], experts[0]), "")
            .await
            .unwrap();
        let all = MentoringFilter::default();
        let count = || async {
            let rows = store.mentorings(&plan, &s.rsj, &all, "").await.unwrap();
            let detail = store.mentoring(&plan, &s.rsj, running, "").await.unwrap();
            (
                rows.len(),
                detail.milestones.len(),
                detail.visits.len(),
                detail.mentoring.status,
                figures(store, "jinghe").await,
                figures(store, "changqing").await,
            )
        };
        let before = count().await;

        // A mentor that is neither an expert nor a named instructor.
        let nobody = MentoringDraft {
            expert: String::new(),
            ..with_expert(b[1], experts[0])
        };
        let errors = field_errors(open(store, &s.changqing, nobody).await.unwrap_err());
        assert!(errors[0].starts_with("创业导师："), "{errors:?}");
        // An expert who left the pool, and one who never was in it.
        let retired = with_expert(b[1], experts[1]);
        let errors = field_errors(open(store, &s.changqing, retired).await.unwrap_err());
        assert_eq!(
            errors,
            ["创业导师：该专家已退出专业人才库，不能担任创业导师"]
        );
        let unknown = with_expert(b[1], 9_999);
        let errors = field_errors(open(store, &s.changqing, unknown).await.unwrap_err());
        assert_eq!(errors, ["创业导师：专业人才库中没有该专家"]);
        // A start in the future, and one before the business's licence.
        let future = MentoringDraft {
            started_on: "2025-06-11".into(),
            ..with_instructor(b[1])
        };
        let errors = field_errors(open(store, &s.changqing, future).await.unwrap_err());
        assert_eq!(errors, ["开始日期：2025-06-11 晚于今天"]);
        let early = MentoringDraft {
            started_on: "2025-02-01".into(),
            ..with_instructor(b[1])
        };
        let errors = field_errors(open(store, &s.changqing, early).await.unwrap_err());
        assert_eq!(
            errors,
            ["开始日期：2025-02-01 早于该主体的营业执照日期 2025-03-01"]
        );
        // A street opening one for another street's business: refused and audited.
        let refused = open(store, &s.jinghe, with_instructor(b[1]))
            .await
            .unwrap_err();
        assert!(matches!(refused, Error::Forbidden(_)), "{refused:?}");
        let audit = store.recent_audit(1).await.unwrap();
        assert_eq!(
            (audit[0].action.as_str(), audit[0].target.as_str()),
            ("access.denied", format!("business:{}", b[1]).as_str())
        );
        // A unit outside 2.3.2 opens none.
        let outsider = store
            .open_mentoring(&plan, &s.swj, &with_instructor(b[1]), "")
            .await
            .unwrap_err();
        assert!(matches!(outsider, Error::Forbidden(_)));

        // A milestone due before the start, a visit in the future, an end without outcome.
        let early = MilestoneDraft {
            title: "开业".into(),
            due_on: "2025-03-31".into(),
        };
        let errors = field_errors(
            store
                .add_milestone(&plan, &s.jinghe, running, &early, "")
                .await
                .unwrap_err(),
        );
        assert_eq!(
            errors,
            ["计划完成日期：2025-03-31 早于陪跑开始日期 2025-04-01"]
        );
        let future = VisitDraft {
            visited_on: "2025-06-11".into(),
            visitor: "刘干事".into(),
            problems_raised: "融资难".into(),
            problems_solved: String::new(),
        };
        let errors = field_errors(
            store
                .log_mentoring_visit(&plan, &s.jinghe, running, &future, "")
                .await
                .unwrap_err(),
        );
        assert_eq!(errors, ["走访日期：2025-06-11 晚于今天"]);
        let unended = EndDraft {
            outcome: String::new(),
            ended_on: "2025-06-10".into(),
            note: String::new(),
        };
        let errors = field_errors(
            store
                .end_mentoring(&plan, &s.jinghe, running, &unended, "")
                .await
                .unwrap_err(),
        );
        assert!(errors[0].starts_with("结束结果："), "{errors:?}");
        // Another street may not add to it; the fund records no financing where it did not join.
        let visit = VisitDraft {
            visited_on: "2025-06-01".into(),
            ..future
        };
        let wrong = store
            .log_mentoring_visit(&plan, &s.changqing, running, &visit, "")
            .await
            .unwrap_err();
        assert!(matches!(wrong, Error::Forbidden(_)));
        assert_eq!(count().await, before);
    }
}

#[tokio::test]
async fn a_street_reads_only_its_streets_mentorings_and_the_fund_those_it_joined() {
    for db in databases(&TestClock::at(2025, 6, 10, 2)).await {
        let (store, plan) = (&db.store, plan());
        let (s, b, experts) = setup(store).await;
        let jinghe_fund = store
            .open_mentoring(&plan, &s.jkj, &with_expert(b[0], experts[0]), "")
            .await
            .unwrap();
        let changqing_own = store
            .open_mentoring(&plan, &s.changqing, &with_instructor(b[1]), "")
            .await
            .unwrap();
        let ids = |rows: Vec<linkong_store::mentoring::Mentoring>| {
            rows.iter().map(|m| m.id).collect::<Vec<_>>()
        };
        let list = |actor: &Actor| list(store, actor.clone());
        assert_eq!(ids(list(&s.jinghe).await.unwrap()), [jinghe_fund]);
        assert_eq!(ids(list(&s.changqing).await.unwrap()), [changqing_own]);
        assert_eq!(ids(list(&s.jjgs).await.unwrap()), [jinghe_fund]);
        assert_eq!(ids(list(&s.jkj).await.unwrap()), [jinghe_fund]);
        assert_eq!(
            ids(list(&s.rsj).await.unwrap()),
            [changqing_own, jinghe_fund]
        );
        assert!(matches!(list(&s.swj).await, Err(Error::Forbidden(_))));

        // A street reading another street's mentoring, or asking for its list: refused, audited.
        let refused = store
            .mentoring(&plan, &s.jinghe, changqing_own, "10.0.0.7")
            .await
            .unwrap_err();
        assert!(matches!(refused, Error::Forbidden(_)), "{refused:?}");
        let audit = store.recent_audit(1).await.unwrap();
        assert_eq!(audit[0].action, "access.denied");
        assert_eq!(audit[0].target, format!("mentoring:{changqing_own}"));
        assert_eq!(audit[0].ip, "10.0.0.7");
        let asked = MentoringFilter {
            street: Some("changqing".into()),
            ..MentoringFilter::default()
        };
        assert!(matches!(
            store.mentorings(&plan, &s.jinghe, &asked, "").await,
            Err(Error::Forbidden(_))
        ));
        assert!(matches!(
            store.export_mentorings(&plan, &s.jinghe, &asked, "").await,
            Err(Error::Forbidden(_))
        ));
        // The person's and the business's pages list only what the actor reads.
        let about = MentoringFilter {
            business: Some(b[1]),
            ..MentoringFilter::default()
        };
        assert!(
            store
                .mentorings_about(&plan, &s.jinghe, &about)
                .await
                .unwrap()
                .is_empty()
        );
        assert_eq!(
            store
                .mentorings_about(&plan, &s.changqing, &about)
                .await
                .unwrap()
                .len(),
            1
        );
        let jjgs_reads = store.mentoring(&plan, &s.jjgs, changqing_own, "").await;
        assert!(
            matches!(jjgs_reads, Err(Error::Forbidden(_))),
            "the fund did not join"
        );
    }
}
