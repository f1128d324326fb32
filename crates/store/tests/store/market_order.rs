//! Labour-market order (1.3.4) in the store, on SQLite and (with LINKONG_TEST_PG) PostgreSQL:
//! 区人社局 starts a special action; 区公安分局 and 区人社局 inspect an HR agency and an employer
//! under it (a fine with its legal basis, rectification due and then overdue, then closed);
//! 区人社局 opens a case from a complaint about a post, linked to the inspection, and publishes
//! the month's notices from their sources. 1.3.4's two figures come from the rows, kept as tallies
//! equal to the rows and to the tallies rebuilt. Bad input and wrong hands write nothing.

use linkong_core::access::{Actor, Role};
use linkong_core::market_order::{
    ActionDraft, CaseDraft, CaseOutcome, InspectionDraft, NoticeDraft, OutcomeDraft, PenaltyKind,
};
use linkong_store::market_order::{InspectionFilter, NoticeFilter};
use linkong_store::{Error, Store};
use linkong_testkit::{
    TestClock, account, databases, date, field_errors, plan, publishing_employer,
};

async fn figures(store: &Store, code: &str, unit: &str) -> (Option<i64>, Option<i64>) {
    linkong_testkit::unit_figures(store, code, unit, 2025, date(2025, 6, 30)).await
}

struct Staff {
    rsj: Actor,
    gaj: Actor,
    jinghe: Actor,
    jkj: Actor,
}

async fn staff(store: &Store) -> Staff {
    Staff {
        rsj: account(store, "rsj01", Role::UnitStaff, Some("rsj")).await,
        gaj: account(store, "gaj01", Role::UnitStaff, Some("gaj")).await,
        jinghe: account(store, "jinghe01", Role::UnitStaff, Some("jinghe")).await,
        jkj: account(store, "jkj01", Role::UnitStaff, Some("jkj")).await,
    }
}

fn special_action() -> ActionDraft {
    ActionDraft {
        name: "2025 年人力资源市场秩序清理整顿专项行动".into(),
        lead_unit: "rsj".into(),
        starts_on: "2025-05-01".into(),
        ends_on: "2025-08-31".into(),
        cooperating: vec!["gaj".into(), "scjgj".into()],
    }
}

fn fine(action: i64) -> InspectionDraft {
    InspectionDraft {
        action: action.to_string(),
        inspected_on: "2025-06-05".into(),
        target_kind: "agency".into(),
        target_name: "武汉速聘人力资源服务有限公司".into(),
        target_uscc: linkong_testkit::uscc_for(7),
        findings: "未经许可从事职业中介活动，向求职者收取押金".into(),
        penalty_kind: "fine".into(),
        penalty_amount: "20000".into(),
        legal_basis: "《人力资源市场暂行条例》第四十二条".into(),
        rectification_due: "2025-06-20".into(),
    }
}

fn tip(source: &str, published_on: &str) -> NoticeDraft {
    NoticeDraft {
        kind: "violation_case".into(),
        title: "某中介收取求职押金被罚款 2 万元".into(),
        body: "求职不交押金，遇到收费招聘请举报。".into(),
        issue_month: published_on[..7].into(),
        published_on: published_on.into(),
        source: source.into(),
    }
}

#[tokio::test]
async fn inspections_and_notices_count_for_their_units_and_a_complaint_becomes_a_case() {
    let clock = TestClock::at(2025, 6, 25, 2);
    for db in databases(&clock).await {
        let (store, plan) = (&db.store, plan());
        let s = staff(store).await;
        let action = store
            .start_market_action(&plan, &s.rsj, &special_action(), "")
            .await
            .unwrap();
        let fined = store
            .record_market_inspection(&plan, &s.gaj, &fine(action), "")
            .await
            .unwrap();
        let employer = InspectionDraft {
            target_kind: "employer".into(),
            target_name: "武汉临空港物流有限公司".into(),
            target_uscc: String::new(),
            findings: "试用期超过法定期限".into(),
            penalty_kind: String::new(),
            penalty_amount: String::new(),
            legal_basis: String::new(),
            rectification_due: "2025-07-15".into(),
            ..fine(action)
        };
        store
            .record_market_inspection(&plan, &s.rsj, &employer, "")
            .await
            .unwrap();
        let code = "1.3.4.inspections";
        assert_eq!(figures(store, code, "gaj").await, (Some(1_00), Some(1_00)));
        assert_eq!(figures(store, code, "rsj").await, (Some(1_00), Some(1_00)));

        // Past its due day the fine's rectification is overdue; 区公安分局 closes it late.
        let all = InspectionFilter::default();
        let rows = store
            .market_inspections(&plan, &s.rsj, &all, "")
            .await
            .unwrap();
        let row = rows.iter().find(|i| i.id == fined).unwrap();
        assert_eq!(row.penalty_kind, PenaltyKind::Fine);
        assert_eq!(row.penalty_yuan, 20_000);
        assert!(row.overdue, "{}", row.rectification);
        let overdue = InspectionFilter {
            overdue: true,
            ..InspectionFilter::default()
        };
        let listed = store
            .market_inspections(&plan, &s.rsj, &overdue, "")
            .await
            .unwrap();
        assert_eq!(listed.iter().map(|i| i.id).collect::<Vec<_>>(), [fined]);
        store
            .close_rectification(&plan, &s.gaj, fined, "2025-06-24", "")
            .await
            .unwrap();
        let rows = store
            .market_inspections(&plan, &s.gaj, &all, "")
            .await
            .unwrap();
        assert_eq!(rows.len(), 1, "区公安分局 reads its own inspections");
        assert_eq!(rows[0].rectification, "已于 2025-06-24 整改（逾期完成）");
        assert!(!rows[0].overdue);

        // A complaint about a post becomes a case linked to the inspection, then decided.
        let (_, _, _, post) = publishing_employer(store, 1, date(2025, 6, 1)).await;
        let complaint = store
            .report_job_post(post, "收取费用或押金", "面试要交 300 元押金", "")
            .await
            .unwrap();
        let open = store.complaints_without_case(&plan, &s.rsj).await.unwrap();
        assert_eq!(open.iter().map(|c| c.id).collect::<Vec<_>>(), [complaint]);
        let case = CaseDraft {
            complaint: complaint.to_string(),
            opened_on: "2025-06-10".into(),
            inspection: fined.to_string(),
            ..CaseDraft::default()
        };
        let case = store
            .open_market_case(&plan, &s.rsj, &case, "")
            .await
            .unwrap();
        let decided = OutcomeDraft {
            outcome: "referred_police".into(),
            decided_on: "2025-06-12".into(),
            note: "涉嫌诈骗，移送区公安分局".into(),
        };
        store
            .decide_market_case(&plan, &s.rsj, case, &decided, "")
            .await
            .unwrap();
        let cases = store.market_cases(&plan, &s.rsj, "").await.unwrap();
        assert_eq!(cases[0].outcome, Some(CaseOutcome::ReferredPolice));
        assert_eq!(
            cases[0].inspection_target.as_deref(),
            Some("武汉速聘人力资源服务有限公司")
        );
        assert!(
            store
                .complaints_without_case(&plan, &s.rsj)
                .await
                .unwrap()
                .is_empty()
        );

        // This month's violation case, from the inspection, is published: next due is July.
        let before = store.notice_schedules().await.unwrap();
        assert!(!before[1].published_this_month);
        let source = format!("inspection:{fined}");
        store
            .publish_market_notice(&plan, &s.rsj, &tip(&source, "2025-06-25"), "")
            .await
            .unwrap();
        let after = store.notice_schedules().await.unwrap();
        assert!(after[1].published_this_month);
        assert_eq!(after[1].next_due.code(), "2025-07");
        assert_eq!(
            figures(store, "1.3.4.notices", "rsj").await,
            (Some(1_00), Some(1_00))
        );
        let public = store
            .market_notices(&NoticeFilter::default())
            .await
            .unwrap();
        assert_eq!(public[0].source_id, Some(fined));

        let kept = store.stored_tallies().await.unwrap();
        store.rebuild_figures().await.unwrap();
        assert_eq!(kept, store.stored_tallies().await.unwrap());
        assert_eq!(figures(store, code, "gaj").await, (Some(1_00), Some(1_00)));
    }
}

#[tokio::test]
async fn bad_input_and_wrong_hands_write_nothing() {
    for db in databases(&TestClock::at(2025, 6, 25, 2)).await {
        let (store, plan) = (&db.store, plan());
        let s = staff(store).await;
        let action = store
            .start_market_action(&plan, &s.rsj, &special_action(), "")
            .await
            .unwrap();
        let all = InspectionFilter::default();
        let count = || async {
            (
                store
                    .market_inspections(&plan, &s.rsj, &all, "")
                    .await
                    .unwrap()
                    .len(),
                store
                    .market_notices(&NoticeFilter::default())
                    .await
                    .unwrap()
                    .len(),
                figures(store, "1.3.4.inspections", "gaj").await,
            )
        };
        let before = count().await;

        // A fine without its legal basis: refused naming the field.
        let no_basis = InspectionDraft {
            legal_basis: String::new(),
            ..fine(action)
        };
        let errors = field_errors(
            store
                .record_market_inspection(&plan, &s.gaj, &no_basis, "")
                .await
                .unwrap_err(),
        );
        assert_eq!(
            errors,
            ["法律依据：有处罚时须写明法律依据（法律法规名称及条款）"]
        );
        // Outside the action's period, and under an action that does not exist.
        let early = InspectionDraft {
            inspected_on: "2025-04-30".into(),
            ..fine(action)
        };
        let errors = field_errors(
            store
                .record_market_inspection(&plan, &s.gaj, &early, "")
                .await
                .unwrap_err(),
        );
        assert_eq!(
            errors,
            ["检查日期：2025-04-30 不在专项行动期间（2025-05-01 至 2025-08-31）"]
        );
        let nowhere = fine(action + 100);
        let errors = field_errors(
            store
                .record_market_inspection(&plan, &s.gaj, &nowhere, "")
                .await
                .unwrap_err(),
        );
        assert_eq!(errors, ["专项行动：该专项行动不存在"]);
        // A violation case without a source; a source that does not exist.
        let errors = field_errors(
            store
                .publish_market_notice(&plan, &s.rsj, &tip("", "2025-06-25"), "")
                .await
                .unwrap_err(),
        );
        assert_eq!(errors, ["来源：违规典型案例须注明来源（举报或检查）"]);
        let errors = field_errors(
            store
                .publish_market_notice(&plan, &s.rsj, &tip("complaint:999", "2025-06-25"), "")
                .await
                .unwrap_err(),
        );
        assert_eq!(errors, ["来源：所选举报或检查记录不存在"]);

        // Wrong hands: a unit outside 1.3.4 inspects; a cooperating unit starts an action,
        // publishes a notice or reads another unit's inspections.
        let refused = store
            .record_market_inspection(&plan, &s.jkj, &fine(action), "")
            .await
            .unwrap_err();
        assert!(matches!(refused, Error::Forbidden(_)), "{refused:?}");
        let refused = store
            .start_market_action(&plan, &s.gaj, &special_action(), "")
            .await
            .unwrap_err();
        assert!(matches!(refused, Error::Forbidden(_)), "{refused:?}");
        let refused = store
            .publish_market_notice(&plan, &s.gaj, &tip("", "2025-06-25"), "")
            .await
            .unwrap_err();
        assert!(matches!(refused, Error::Forbidden(_)), "{refused:?}");
        let theirs = InspectionFilter {
            unit: Some("jinghe".into()),
            ..InspectionFilter::default()
        };
        let refused = store
            .market_inspections(&plan, &s.gaj, &theirs, "")
            .await
            .unwrap_err();
        assert!(matches!(refused, Error::Forbidden(_)), "{refused:?}");
        let refused = store.market_cases(&plan, &s.jinghe, "").await.unwrap_err();
        assert!(matches!(refused, Error::Forbidden(_)), "{refused:?}");

        assert_eq!(count().await, before, "nothing was written");
    }
}
