use super::*;
use crate::rules::DONGXIHU;

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

fn today() -> NaiveDate {
    day("2025-12-01")
}

fn book() -> RuleBook {
    RuleBook::parse(DONGXIHU).unwrap()
}

fn draft() -> LoanDraft {
    LoanDraft {
        borrower_kind: "person".into(),
        id_number: "420112199001011239".into(),
        bank: "汉口银行东西湖支行".into(),
        principal: "300000".into(),
        term_months: "36".into(),
        rate: "3.85".into(),
        issued_on: "2025-06-10".into(),
        ..LoanDraft::default()
    }
}

fn fields(draft: &LoanDraft) -> Vec<&'static str> {
    validate_loan(draft, today())
        .unwrap_err()
        .iter()
        .map(|e| e.field)
        .collect()
}

fn message(draft: &LoanDraft, field: &str) -> String {
    validate_loan(draft, today())
        .unwrap_err()
        .into_iter()
        .find(|e| e.field == field)
        .map(|e| e.message)
        .unwrap_or_default()
}

#[test]
fn a_good_loan_is_read_into_fen_and_basis_points() {
    let loan = validate_loan(&draft(), today()).unwrap();
    assert_eq!(loan.principal_fen, 30_000_000);
    assert_eq!(loan.rate_bp, 385);
    assert_eq!(loan.term_months, 36);
    assert_eq!(loan.borrower.kind(), BorrowerKind::Person);
}

#[test]
fn a_principal_with_three_decimals_is_refused_naming_the_field() {
    let d = LoanDraft {
        principal: "100000.005".into(),
        ..draft()
    };
    assert_eq!(fields(&d), ["贷款金额"]);
    assert!(message(&d, "贷款金额").contains("两位小数"));
}

#[test]
fn a_negative_principal_is_refused_naming_the_field() {
    let d = LoanDraft {
        principal: "-100000".into(),
        ..draft()
    };
    assert_eq!(fields(&d), ["贷款金额"]);
    assert!(message(&d, "贷款金额").contains("不能为负"));
}

#[test]
fn a_principal_not_in_whole_hundreds_is_refused() {
    for text in ["100050", "100000.50"] {
        let d = LoanDraft {
            principal: text.into(),
            ..draft()
        };
        assert_eq!(fields(&d), ["贷款金额"], "{text}");
        assert!(message(&d, "贷款金额").contains("整百元"), "{text}");
    }
}

#[test]
fn a_term_of_zero_months_is_refused() {
    let d = LoanDraft {
        term_months: "0".into(),
        ..draft()
    };
    assert_eq!(fields(&d), ["贷款期限"]);
}

#[test]
fn a_rate_out_of_bounds_is_refused() {
    for text in ["0", "24.01", "4.355", "abc", ""] {
        let d = LoanDraft {
            rate: text.into(),
            ..draft()
        };
        assert_eq!(fields(&d), ["年利率"], "{text}");
    }
    assert_eq!(parse_rate("24%"), Ok(2400));
}

#[test]
fn an_empty_bank_is_refused() {
    let d = LoanDraft {
        bank: "  ".into(),
        ..draft()
    };
    assert_eq!(fields(&d), ["经办银行"]);
}

#[test]
fn every_wrong_field_is_named_at_once() {
    let d = LoanDraft {
        borrower_kind: "partnership".into(),
        id_number: "123".into(),
        partners: "1".into(),
        bank: String::new(),
        principal: "abc".into(),
        term_months: "61".into(),
        rate: "-1".into(),
        issued_on: "2026-01-01".into(),
        ..LoanDraft::default()
    };
    assert_eq!(
        fields(&d),
        [
            "身份证号码",
            "合伙人数",
            "经办银行",
            "贷款金额",
            "贷款期限",
            "年利率",
            "放款日期"
        ]
    );
}

#[test]
fn a_business_borrower_needs_a_valid_uscc() {
    let d = LoanDraft {
        borrower_kind: "business".into(),
        uscc: "91350100M000100Y44".into(),
        ..draft()
    };
    assert_eq!(fields(&d), ["统一社会信用代码"]);
}

#[test]
fn exactly_thirty_wan_is_within_the_personal_cap_and_a_hundred_more_is_not() {
    let book = book();
    let at_cap = validate_loan(&draft(), today()).unwrap();
    let decided = decide_loan(&book, &at_cap).unwrap();
    assert_eq!(decided.cap.amount_fen, 30_000_000);
    assert_eq!(decided.cap.policy_id, "guaranteed_loan");
    let over = validate_loan(
        &LoanDraft {
            principal: "300100".into(),
            ..draft()
        },
        today(),
    )
    .unwrap();
    let errors = decide_loan(&book, &over).unwrap_err();
    assert_eq!(errors[0].field, "贷款金额");
    assert!(errors[0].message.contains("300,000.00 元"), "{errors:?}");
}

#[test]
fn a_partnership_of_three_may_borrow_sixty_six_wan() {
    let d = LoanDraft {
        borrower_kind: "partnership".into(),
        partners: "3".into(),
        principal: "660000".into(),
        ..draft()
    };
    let loan = validate_loan(&d, today()).unwrap();
    let decided = decide_loan(&book(), &loan).unwrap();
    assert_eq!(decided.cap.amount_fen, 66_000_000);
    let more = validate_loan(
        &LoanDraft {
            principal: "660100".into(),
            ..d
        },
        today(),
    )
    .unwrap();
    assert!(decide_loan(&book(), &more).is_err());
}

#[test]
fn a_rate_above_lpr_plus_150bp_is_refused_by_the_rule() {
    let loan = validate_loan(
        &LoanDraft {
            rate: "4.51".into(),
            ..draft()
        },
        today(),
    )
    .unwrap();
    let errors = decide_loan(&book(), &loan).unwrap_err();
    assert_eq!(errors[0].field, "年利率");
    assert!(errors[0].message.contains("450"), "{errors:?}");
}

#[test]
fn ten_wan_is_waived_and_ten_wan_plus_a_hundred_needs_a_counter_guarantee() {
    let book = book();
    let small = validate_loan(
        &LoanDraft {
            principal: "100000".into(),
            ..draft()
        },
        today(),
    )
    .unwrap();
    let decided = decide_loan(&book, &small).unwrap();
    assert_eq!(
        decided.waived_by.as_deref(),
        Some("counter_guarantee_waiver")
    );
    assert_eq!(decided.waiver.len(), 3);
    assert_eq!(decided.rule_version, book.version);
    let larger = validate_loan(
        &LoanDraft {
            principal: "100100".into(),
            ..draft()
        },
        today(),
    )
    .unwrap();
    let decided = decide_loan(&book, &larger).unwrap();
    assert_eq!(decided.waived_by, None);
    assert!(decided.waiver.iter().all(|d| !d.eligible));
}

#[test]
fn an_honoured_founder_is_waived_whatever_the_amount() {
    let loan = validate_loan(
        &LoanDraft {
            honoured: true,
            ..draft()
        },
        today(),
    )
    .unwrap();
    let decided = decide_loan(&book(), &loan).unwrap();
    assert_eq!(
        decided.waived_by.as_deref(),
        Some("counter_guarantee_waiver_honoured")
    );
}

#[test]
fn the_subsidy_schedule_covers_the_term_by_quarters_in_fen() {
    // 30 万元 at 3.85%, borrower bears 1.50%: 2.35% subsidised, 1,762.50 元 a quarter.
    let periods = subsidy_schedule(30_000_000, 235, day("2025-06-10"), 36, 36);
    assert_eq!(periods.len(), 12);
    assert_eq!(periods[0].due_fen, 176_250);
    assert_eq!(periods[0].due_on, day("2025-09-09"));
    assert_eq!(periods[11].due_on, day("2028-06-09"));
    // A 40-month term is subsidised for 36 months only; a 4-month term has a 1-month tail.
    assert_eq!(
        subsidy_schedule(30_000_000, 235, day("2025-06-10"), 40, 36).len(),
        12
    );
    let short = subsidy_schedule(30_000_000, 235, day("2025-06-10"), 4, 36);
    assert_eq!(short.len(), 2);
    assert_eq!(short[1].due_fen, 58_750);
}

fn loan_facts() -> LoanFacts {
    LoanFacts {
        principal_fen: 10_000_000,
        issued_on: day("2024-01-15"),
        term_months: 12,
        repaid_fen: 4_000_000,
        claimed_fen: 0,
        defaulted_on: None,
    }
}

#[test]
fn arrears_are_the_principal_owed_past_maturity() {
    let loan = loan_facts();
    assert_eq!(loan.arrears(day("2025-01-15")), None);
    assert_eq!(loan.arrears(day("2025-01-25")), Some((6_000_000, 10)));
    assert_eq!(loan.status(day("2025-01-25")), LoanStatus::Overdue);
    let repaid = LoanFacts {
        repaid_fen: 10_000_000,
        ..loan
    };
    assert_eq!(repaid.arrears(day("2025-06-01")), None);
    assert_eq!(repaid.status(day("2025-06-01")), LoanStatus::Repaid);
}

#[test]
fn a_repayment_above_the_outstanding_principal_is_refused() {
    let pay = |amount: &str| PaymentDraft {
        paid_on: "2024-06-01".into(),
        amount: amount.into(),
        period: String::new(),
    };
    assert!(validate_repayment(&pay("60000"), loan_facts(), today()).is_ok());
    let errors = validate_repayment(&pay("60000.01"), loan_facts(), today()).unwrap_err();
    assert_eq!(errors[0].field, "还款金额");
    let errors = validate_repayment(&pay("-5"), loan_facts(), today()).unwrap_err();
    assert_eq!(errors[0].field, "还款金额");
}

#[test]
fn a_claim_needs_a_default_and_stays_within_the_outstanding_principal() {
    let claim = |amount: &str| PaymentDraft {
        paid_on: "2025-03-01".into(),
        amount: amount.into(),
        period: String::new(),
    };
    let errors = validate_claim(&claim("1000"), loan_facts(), today()).unwrap_err();
    assert!(errors[0].message.contains("未登记违约"));
    let defaulted = LoanFacts {
        defaulted_on: Some(day("2025-02-01")),
        ..loan_facts()
    };
    assert!(validate_claim(&claim("60000"), defaulted, today()).is_ok());
    let errors = validate_claim(&claim("60000.01"), defaulted, today()).unwrap_err();
    assert_eq!(errors[0].field, "代偿金额");
    assert!(errors[0].message.contains("超过尚欠本金"));
    assert!(takes_default(defaulted).is_err());
}

#[test]
fn a_subsidy_payment_stays_within_its_period() {
    let schedule = subsidy_schedule(30_000_000, 235, day("2025-06-10"), 36, 36);
    let pay = |period: &str, amount: &str| PaymentDraft {
        paid_on: "2025-09-20".into(),
        amount: amount.into(),
        period: period.into(),
    };
    let issued = day("2025-06-10");
    let ok = validate_subsidy_payment(&pay("1", "1762.50"), &schedule, |_| 0, issued, today());
    assert_eq!(ok.unwrap().period, Some(1));
    let over = validate_subsidy_payment(&pay("1", "100"), &schedule, |_| 176_200, issued, today());
    assert_eq!(over.unwrap_err()[0].field, "贴息金额");
    let bad = validate_subsidy_payment(&pay("13", "1"), &schedule, |_| 0, issued, today());
    assert_eq!(bad.unwrap_err()[0].field, "贴息期次");
}
