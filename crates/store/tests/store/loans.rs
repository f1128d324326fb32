//! The guaranteed-loan ledger (task 2.4.2) in the store, on SQLite and (with LINKONG_TEST_PG)
//! PostgreSQL: the 2.4.2 figure equals the sum of the ledger's loans issued in the year per
//! handling unit, and a rebuild from the rows keeps it; the rules' cap and waiver decisions are
//! stored with their traces; a wrong unit is refused and audited; bad input writes nothing;
//! a claim above the principal outstanding is refused.

use linkong_core::access::{Actor, Role, Roster};
use linkong_core::businesses::BusinessDraft;
use linkong_core::loans::{LoanDraft, LoanStatus, PaymentDraft};
use linkong_core::rules::{DONGXIHU, RuleBook};
use linkong_store::loans::{LoanFilter, PaymentKind};
use linkong_store::{Error, Store};
use linkong_testkit::{
    TestClock, account, databases, date, field_errors, import_rows, plan, resident_id_for,
    unit_figures, uscc_for, would_be_founder,
};

const INDICATOR: &str = "2.4.2.guaranteed_loans";

fn book() -> RuleBook {
    RuleBook::parse(DONGXIHU).unwrap()
}

fn person_loan(n: usize, principal: &str, issued_on: &str) -> LoanDraft {
    LoanDraft {
        borrower_kind: "person".into(),
        id_number: resident_id_for(n),
        bank: "汉口银行东西湖支行".into(),
        principal: principal.into(),
        term_months: "36".into(),
        rate: "3.85".into(),
        issued_on: issued_on.into(),
        ..LoanDraft::default()
    }
}

fn business_loan(n: usize, principal: &str) -> LoanDraft {
    LoanDraft {
        borrower_kind: "business".into(),
        uscc: uscc_for(n),
        bank: "湖北银行东西湖支行".into(),
        principal: principal.into(),
        term_months: "24".into(),
        rate: "3.50".into(),
        issued_on: "2025-07-01".into(),
        honoured: true,
        ..LoanDraft::default()
    }
}

fn business(n: usize) -> BusinessDraft {
    BusinessDraft {
        name: format!("径河返乡创业{n}号公司"),
        uscc: uscc_for(n),
        licensed_on: "2025-03-01".into(),
        legal_form: "individual_business".into(),
        section: "F".into(),
        forms: vec!["live_commerce".into()],
        street: "径河".into(),
        site: "径河街道".into(),
        founders: resident_id_for(3),
        keep_founders: false,
    }
}

struct Staff {
    rsj: Actor,
    czj: Actor,
    jinghe: Actor,
    swj: Actor,
}

/// Residents 1–3 of 径河 and a returnee business founded by 3; the staff the tests act as.
async fn setup(store: &Store) -> Staff {
    let rows = (1..=3)
        .map(|n| would_be_founder(n, "创业者", "径河"))
        .collect();
    import_rows(store, "rsj", Roster::Migrants, rows, true)
        .await
        .unwrap()
        .unwrap();
    let s = Staff {
        rsj: account(store, "rsj01", Role::UnitStaff, Some("rsj")).await,
        czj: account(store, "czj01", Role::UnitStaff, Some("czj")).await,
        jinghe: account(store, "jinghe01", Role::UnitStaff, Some("jinghe")).await,
        swj: account(store, "swj01", Role::UnitStaff, Some("swj")).await,
    };
    store
        .save_business(&plan(), &s.jinghe, None, &business(1), "")
        .await
        .unwrap();
    s
}

async fn record(store: &Store, actor: &Actor, unit: &str, draft: &LoanDraft) -> Result<i64, Error> {
    store
        .record_loan(&plan(), &book(), actor, unit, draft, "10.0.0.1")
        .await
}

/// The ledger's principal issued by `unit` in `year`, in hundredths of 万元.
async fn ledger_sum(store: &Store, unit: &str, year: i32) -> i64 {
    let filter = LoanFilter {
        unit: Some(unit.into()),
        year: Some(year),
    };
    let loans = store
        .loans(&plan(), &Actor::console(), &filter, "")
        .await
        .unwrap();
    loans.iter().map(|l| l.principal_fen).sum::<i64>() / 10_000
}

async fn assert_figure_is_rows_is_rebuild(store: &Store) {
    let plan = plan();
    let (from, to) = (date(2025, 1, 1), date(2025, 12, 31));
    let tallied = store.record_figures(&plan, from, to).await.unwrap();
    let counted = store
        .record_figures_from_rows(&plan, from, to)
        .await
        .unwrap();
    let today = date(2025, 10, 10);
    assert_eq!(
        linkong_core::progress::compute(&plan, 2025, today, &tallied),
        linkong_core::progress::compute(&plan, 2025, today, &counted)
    );
    let kept = store.stored_tallies().await.unwrap();
    store.rebuild_figures().await.unwrap();
    assert_eq!(kept, store.stored_tallies().await.unwrap());
}

#[tokio::test]
async fn the_figure_equals_the_ledger_sum_per_unit_per_year_and_the_rebuild() {
    for db in databases(&TestClock::at(2026, 2, 10, 2)).await {
        let store = &db.store;
        let s = setup(store).await;
        record(
            store,
            &s.rsj,
            "rsj",
            &person_loan(1, "300000", "2025-06-10"),
        )
        .await
        .unwrap();
        record(
            store,
            &s.rsj,
            "rsj",
            &person_loan(2, "100000", "2025-06-10"),
        )
        .await
        .unwrap();
        // Issued in 2026: in the ledger, not in 2025's figure.
        record(store, &s.rsj, "rsj", &person_loan(2, "50000", "2026-01-15"))
            .await
            .unwrap();
        record(store, &s.czj, "czj", &business_loan(1, "2000000"))
            .await
            .unwrap();
        let (rsj, rsj_rows) = unit_figures(store, INDICATOR, "rsj", 2025, date(2025, 12, 31)).await;
        assert_eq!(rsj, rsj_rows, "{:?}", db.backend);
        // 30 万 + 10 万 = 40.00 万元, in hundredths.
        assert_eq!(rsj, Some(40_00), "{:?}", db.backend);
        assert_eq!(rsj, Some(ledger_sum(store, "rsj", 2025).await));
        let (czj, _) = unit_figures(store, INDICATOR, "czj", 2025, date(2025, 12, 31)).await;
        assert_eq!(czj, Some(200_00));
        assert_eq!(czj, Some(ledger_sum(store, "czj", 2025).await));
        assert_eq!(ledger_sum(store, "rsj", 2026).await, 5_00);
        assert_figure_is_rows_is_rebuild(store).await;
    }
}

#[tokio::test]
async fn the_cap_and_waiver_decisions_are_kept_with_their_traces_and_audited() {
    for db in databases(&TestClock::at(2025, 10, 10, 2)).await {
        let store = &db.store;
        let s = setup(store).await;
        let small = record(
            store,
            &s.rsj,
            "rsj",
            &person_loan(1, "100000", "2025-06-10"),
        )
        .await
        .unwrap();
        let audit = &store.recent_audit(1).await.unwrap()[0];
        assert_eq!(audit.action, "loan.record");
        assert_eq!(audit.target, format!("loan:{small}"));
        assert!(audit.detail.contains("免除反担保"), "{}", audit.detail);
        assert!(audit.detail.contains(&book().version), "{}", audit.detail);
        let large = record(
            store,
            &s.rsj,
            "rsj",
            &person_loan(2, "100100", "2025-06-10"),
        )
        .await
        .unwrap();
        let plan = plan();
        let detail = store.loan(&plan, &s.rsj, small, "").await.unwrap();
        assert_eq!(
            detail.loan.waived_by.as_deref(),
            Some("counter_guarantee_waiver")
        );
        assert_eq!(detail.loan.cap_fen, 30_000_000);
        assert_eq!(detail.loan.rule_version, book().version);
        assert_eq!(detail.decisions["rule_version"], book().version.as_str());
        assert_eq!(
            detail.decisions["cap"]["trace"]["rule_version"],
            book().version.as_str()
        );
        assert!(
            detail.trace_lines.iter().any(|l| l.contains("免除反担保")),
            "{:?}",
            detail.trace_lines
        );
        // 3.85% less the borrower's 1.50%: 2.35% subsidised over 12 quarters.
        assert_eq!(detail.loan.subsidy_bp, 235);
        assert_eq!(detail.periods.len(), 12);
        assert_eq!(detail.periods[0].period.due_fen, 58_750);
        let required = store.loan(&plan, &s.rsj, large, "").await.unwrap();
        assert_eq!(required.loan.waived_by, None);
        assert_eq!(required.decisions["waiver"].as_array().unwrap().len(), 3);
        assert_eq!(
            required.loan.id_masked.as_deref().map(|m| m.contains('*')),
            Some(true)
        );
    }
}

#[tokio::test]
async fn a_wrong_unit_is_refused_and_audited_and_writes_nothing() {
    for db in databases(&TestClock::at(2025, 10, 10, 2)).await {
        let store = &db.store;
        let s = setup(store).await;
        let plan = plan();
        // 区财政局 recording a loan for 区人社局.
        let refused = record(
            store,
            &s.czj,
            "rsj",
            &person_loan(1, "100000", "2025-06-10"),
        )
        .await;
        assert!(matches!(refused, Err(Error::Forbidden(_))), "{refused:?}");
        let audit = &store.recent_audit(1).await.unwrap()[0];
        assert_eq!(audit.action, "access.denied");
        assert_eq!(audit.target, "loans:unit:rsj");
        // A street is not a unit of 2.4.2.
        let refused = record(
            store,
            &s.jinghe,
            "jinghe",
            &person_loan(1, "100000", "2025-06-10"),
        )
        .await;
        assert!(matches!(refused, Err(Error::Forbidden(_))));
        assert_eq!(
            store.recent_audit(1).await.unwrap()[0].action,
            "access.denied"
        );
        let all = LoanFilter::default();
        assert!(
            store
                .loans(&plan, &s.rsj, &all, "")
                .await
                .unwrap()
                .is_empty()
        );
        // Reading: a cooperating unit its own loans only, a unit outside 2.4.2 none.
        let id = record(
            store,
            &s.rsj,
            "rsj",
            &person_loan(1, "100000", "2025-06-10"),
        )
        .await
        .unwrap();
        assert!(
            store
                .loans(&plan, &s.czj, &all, "")
                .await
                .unwrap()
                .is_empty()
        );
        let asked = LoanFilter {
            unit: Some("rsj".into()),
            year: None,
        };
        assert!(matches!(
            store.loans(&plan, &s.czj, &asked, "").await,
            Err(Error::Forbidden(_))
        ));
        assert!(matches!(
            store.loan(&plan, &s.czj, id, "").await,
            Err(Error::Forbidden(_))
        ));
        assert_eq!(
            store.recent_audit(1).await.unwrap()[0].target,
            format!("loan:{id}")
        );
        assert!(matches!(
            store.loans(&plan, &s.swj, &all, "").await,
            Err(Error::Forbidden(_))
        ));
        // Keeping: 区财政局 may not repay on 区人社局's loan.
        let pay = PaymentDraft {
            paid_on: "2025-09-01".into(),
            amount: "1000".into(),
            period: String::new(),
        };
        let kept = store
            .record_loan_payment(&plan, &s.czj, (id, PaymentKind::Repayment), &pay, "")
            .await;
        assert!(matches!(kept, Err(Error::Forbidden(_))));
        assert_eq!(
            store
                .loan(&plan, &s.rsj, id, "")
                .await
                .unwrap()
                .loan
                .repaid_fen,
            0
        );
    }
}

#[tokio::test]
async fn bad_input_is_refused_naming_the_field_and_writes_nothing() {
    for db in databases(&TestClock::at(2025, 10, 10, 2)).await {
        let store = &db.store;
        let s = setup(store).await;
        let audit_before = store.recent_audit(1).await.unwrap()[0].id;
        let tallies_before = store.stored_tallies().await.unwrap();
        let cases = [
            (person_loan(1, "100000.005", "2025-06-10"), "贷款金额"),
            (person_loan(1, "-100000", "2025-06-10"), "贷款金额"),
            (person_loan(1, "100050", "2025-06-10"), "贷款金额"),
            (person_loan(1, "300100", "2025-06-10"), "贷款金额"),
            (person_loan(9, "100000", "2025-06-10"), "身份证号码"),
            (business_loan(7, "100000"), "统一社会信用代码"),
            (
                LoanDraft {
                    term_months: "0".into(),
                    ..person_loan(1, "100000", "2025-06-10")
                },
                "贷款期限",
            ),
            (
                LoanDraft {
                    rate: "4.51".into(),
                    ..person_loan(1, "100000", "2025-06-10")
                },
                "年利率",
            ),
            (
                LoanDraft {
                    bank: String::new(),
                    ..person_loan(1, "100000", "2025-06-10")
                },
                "经办银行",
            ),
        ];
        for (draft, field) in cases {
            let errors = field_errors(record(store, &s.rsj, "rsj", &draft).await.unwrap_err());
            assert!(
                errors.iter().any(|e| e.starts_with(field)),
                "{field}: {errors:?}"
            );
        }
        assert_eq!(store.recent_audit(1).await.unwrap()[0].id, audit_before);
        assert_eq!(store.stored_tallies().await.unwrap(), tallies_before);
        let all = LoanFilter::default();
        assert!(
            store
                .loans(&plan(), &s.rsj, &all, "")
                .await
                .unwrap()
                .is_empty()
        );
    }
}

#[tokio::test]
async fn repayments_default_and_claims_keep_within_the_outstanding_principal() {
    for db in databases(&TestClock::at(2025, 10, 10, 2)).await {
        let store = &db.store;
        let s = setup(store).await;
        let plan = plan();
        let id = record(
            store,
            &s.rsj,
            "rsj",
            &person_loan(1, "100000", "2025-01-10"),
        )
        .await
        .unwrap();
        let pay = |on: &str, amount: &str, period: &str| PaymentDraft {
            paid_on: on.into(),
            amount: amount.into(),
            period: period.into(),
        };
        let write = |kind, draft: PaymentDraft| {
            let (plan, actor) = (plan.clone(), s.rsj.clone());
            async move {
                store
                    .record_loan_payment(&plan, &actor, (id, kind), &draft, "")
                    .await
            }
        };
        write(PaymentKind::Repayment, pay("2025-06-01", "40000", ""))
            .await
            .unwrap();
        assert_eq!(
            store.recent_audit(1).await.unwrap()[0].action,
            "loan.repayment"
        );
        // 3.85% − 1.60% (LPR 3.10% before 2025-05-20) = 2.25%: 562.50 元 a quarter.
        let detail = store.loan(&plan, &s.rsj, id, "").await.unwrap();
        assert_eq!(detail.periods[0].period.due_fen, 56_250);
        write(PaymentKind::Subsidy, pay("2025-04-15", "562.50", "1"))
            .await
            .unwrap();
        let over = write(PaymentKind::Subsidy, pay("2025-04-16", "0.01", "1")).await;
        assert_eq!(
            field_errors(over.unwrap_err())[0].split('：').next(),
            Some("贴息金额")
        );
        // A claim before default is refused.
        let early = write(PaymentKind::Claim, pay("2025-09-01", "1000", "")).await;
        assert!(field_errors(early.unwrap_err())[0].contains("未登记违约"));
        store
            .mark_loan_default(&plan, &s.rsj, id, ("2025-08-01", "连续三期未付息"), "")
            .await
            .unwrap();
        assert_eq!(
            store.recent_audit(1).await.unwrap()[0].action,
            "loan.default"
        );
        let audit_before = store.recent_audit(1).await.unwrap()[0].id;
        let too_much = write(PaymentKind::Claim, pay("2025-09-01", "60000.01", "")).await;
        let errors = field_errors(too_much.unwrap_err());
        assert!(errors[0].starts_with("代偿金额"), "{errors:?}");
        assert!(errors[0].contains("60,000.00 元"), "{errors:?}");
        assert_eq!(store.recent_audit(1).await.unwrap()[0].id, audit_before);
        write(PaymentKind::Claim, pay("2025-09-01", "60000", ""))
            .await
            .unwrap();
        let loan = store.loan(&plan, &s.rsj, id, "").await.unwrap().loan;
        assert_eq!(
            (loan.repaid_fen, loan.claimed_fen, loan.outstanding_fen),
            (4_000_000, 6_000_000, 0)
        );
        assert_eq!(loan.status, LoanStatus::Claimed);
        assert_eq!(loan.subsidy_paid_fen, 56_250);
        // Repaying a loan settled by the fund is refused.
        let after = write(PaymentKind::Repayment, pay("2025-09-02", "1", "")).await;
        assert!(after.is_err());
    }
}
