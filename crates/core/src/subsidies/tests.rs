use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::facts::{combine, needed};
use super::scan::{Hire, Venture, offers};
use super::*;
use crate::access::{Actor, Role};
use crate::calendar::WorkCalendar;
use crate::rules::{DONGXIHU, Fact, Facts, RuleBook};

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a date")
}

fn calendar() -> WorkCalendar {
    WorkCalendar::parse(include_str!("../../../../calendar/cn-workdays.toml")).expect("calendar")
}

fn book() -> RuleBook {
    RuleBook::parse(DONGXIHU).expect("rules")
}

fn payment(amount: &str, paid_on: &str, account: &str) -> PaymentDraft {
    PaymentDraft {
        amount: amount.into(),
        paid_on: paid_on.into(),
        account: account.into(),
    }
}

fn fields(errors: Vec<crate::field::FieldError>) -> Vec<String> {
    errors.into_iter().map(|e| e.to_string()).collect()
}

#[test]
fn a_payment_in_yuan_with_cents_is_kept_in_fen() {
    let until = Some(day(2025, 10, 24));
    let valid = validate_payment(
        &payment("1,499.50", "2025-10-27", "6222 0202 0000 1234"),
        150_000,
        until,
        day(2025, 10, 28),
    )
    .expect("valid");
    assert_eq!(valid.amount_fen, 149_950);
    assert_eq!(valid.account, "6222020200001234");
    assert_eq!(mask_account("1234"), "**** 1234");
}

#[test]
fn a_payment_with_three_decimals_a_negative_or_too_large_amount_is_refused_naming_the_field() {
    let today = day(2025, 11, 3);
    let until = Some(day(2025, 10, 24));
    let refused = |amount: &str| {
        fields(
            validate_payment(
                &payment(amount, "2025-10-30", "62220202000012"),
                150_000,
                until,
                today,
            )
            .unwrap_err(),
        )
    };
    assert_eq!(
        refused("1500.005"),
        ["拨付金额：金额最多保留两位小数（到分）"]
    );
    assert_eq!(refused("-10"), ["拨付金额：金额不能为负数"]);
    assert_eq!(
        refused("1500.01"),
        ["拨付金额：1,500.01 元超过核定金额 1,500.00 元"]
    );
    assert_eq!(refused("0"), ["拨付金额：拨付金额须大于 0"]);
}

#[test]
fn a_payment_dated_inside_the_notice_or_in_the_future_or_to_a_bad_account_is_refused() {
    let until = Some(day(2025, 10, 24));
    let errors = fields(
        validate_payment(
            &payment("100", "2025-10-24", "12ab"),
            150_000,
            until,
            day(2025, 10, 28),
        )
        .unwrap_err(),
    );
    assert_eq!(
        errors,
        [
            "拨付日期：2025-10-24 尚在公示期内（至 2025-10-24）",
            "收款账号：应为 8 至 30 位数字"
        ]
    );
    let future = fields(
        validate_payment(
            &payment("100", "2025-10-29", "62220202000012"),
            150_000,
            until,
            day(2025, 10, 28),
        )
        .unwrap_err(),
    );
    assert_eq!(future, ["拨付日期：2025-10-29 晚于今天"]);
}

#[test]
fn the_notice_lasts_seven_working_days_and_skips_the_national_day_holiday() {
    let calendar = calendar();
    // Passed on Friday 2025-09-26: Sunday 9-28 and Saturday 10-11 are make-up working days,
    // 10-1..8 are off: 9-28, 9-29, 9-30, 10-9, 10-10, 10-11, 10-13.
    let until = workflow_notice_until(&calendar, day(2025, 9, 26));
    assert_eq!(until, day(2025, 10, 13));
    // An ordinary week: Monday 2025-10-13 + 7 working days is Wednesday 10-22.
    assert_eq!(
        workflow_notice_until(&calendar, day(2025, 10, 13)),
        day(2025, 10, 22)
    );
}

fn workflow_notice_until(calendar: &WorkCalendar, from: NaiveDate) -> NaiveDate {
    super::workflow::notice_until(calendar, from)
}

#[test]
fn payment_waits_for_the_end_of_the_notice_and_for_every_objection_to_be_answered() {
    let until = Some(day(2025, 10, 22));
    let notice = SubsidyStatus::Notice;
    assert_eq!(
        may_pay(notice, until, day(2025, 10, 22), 0).unwrap_err(),
        "公示期至 2025-10-22，期满后方可拨付"
    );
    assert_eq!(
        may_pay(notice, until, day(2025, 10, 23), 1).unwrap_err(),
        "有 1 条公示异议尚未答复，答复后方可拨付"
    );
    assert!(may_pay(notice, until, day(2025, 10, 23), 0).is_ok());
    assert_eq!(
        may_pay(SubsidyStatus::DistrictReview, None, day(2025, 10, 23), 0).unwrap_err(),
        "该申请当前为“待区级审核”，不能拨付（须为“公示中”）"
    );
    assert!(may_object(notice, until, day(2025, 10, 22)).is_ok());
    assert_eq!(
        may_object(notice, until, day(2025, 10, 23)).unwrap_err(),
        "公示已于 2025-10-22 结束，不再受理异议"
    );
}

#[test]
fn each_waiting_step_has_a_working_day_deadline_and_overdue_counts_working_days() {
    let calendar = calendar();
    let filed = day(2025, 10, 13);
    let due = due_on(&calendar, SubsidyStatus::StreetReview, filed, None);
    assert_eq!(due, Some(day(2025, 10, 20)));
    assert_eq!(
        overdue_working_days(&calendar, due, day(2025, 10, 20)),
        None
    );
    assert_eq!(
        overdue_working_days(&calendar, due, day(2025, 10, 22)),
        Some(2)
    );
    assert_eq!(due_on(&calendar, SubsidyStatus::Paid, filed, None), None);
    let paying = due_on(
        &calendar,
        SubsidyStatus::Notice,
        filed,
        Some(day(2025, 10, 22)),
    );
    assert_eq!(paying, Some(day(2025, 11, 5)));
}

#[test]
fn an_objection_and_its_answer_are_checked() {
    let empty = ObjectionDraft::default();
    assert_eq!(
        fields(validate_objection(&empty).unwrap_err()),
        ["异议内容：不能为空"]
    );
    assert_eq!(
        fields(validate_answer("", "").unwrap_err()),
        ["答复内容：不能为空", "异议是否成立：请选择“成立”或“不成立”"]
    );
    let answer = validate_answer("upheld", "经核实，该毕业生未实际到岗").expect("valid");
    assert!(answer.upheld);
}

#[test]
fn declared_facts_fill_what_the_registries_do_not_know_and_bad_ones_are_named() {
    let book = book();
    let policy = book.policy("startup_subsidy").expect("policy");
    let names: Vec<String> = needed(&book, policy).into_iter().map(|n| n.name).collect();
    assert_eq!(names, ["first_licence", "licence_date", "employees"]);
    let mut known = Facts::new();
    known.insert("licence_date".into(), Fact::Date(day(2025, 3, 1)));
    let mut declared = BTreeMap::new();
    declared.insert("first_licence".to_string(), "是".to_string());
    declared.insert("employees".to_string(), "3".to_string());
    // The form's licence date is ignored: the registry knows it.
    declared.insert("licence_date".to_string(), "2020-01-01".to_string());
    let facts = combine(&book, policy, &declared, &known).expect("facts");
    assert_eq!(
        facts.get("licence_date"),
        Some(&Fact::Date(day(2025, 3, 1)))
    );
    assert_eq!(facts.get("employees"), Some(&Fact::Integer(3)));
    declared.insert("first_licence".to_string(), "也许".to_string());
    declared.insert("employees".to_string(), "-2".to_string());
    let errors = fields(combine(&book, policy, &declared, &known).unwrap_err());
    assert_eq!(
        errors,
        [
            "申报事项：首次领取营业执照：“也许”应为“是”或“否”",
            "申报事项：吸纳就业人数：不能为负数"
        ]
    );
}

fn hire(insured_months: i64) -> Hire {
    Hire {
        employer_id: 7,
        employer_name: "临空港物流".into(),
        person_id: 11,
        person_name: "张*".into(),
        street_code: "jinghe".into(),
        left_school_on: day(2025, 6, 30),
        hired_on: day(2025, 7, 1),
        insured_months,
        claimed_groups: Vec::new(),
    }
}

#[test]
fn the_scan_lists_a_conflict_naming_both_policies_when_the_rules_state_no_priority() {
    let book = book();
    let today = day(2025, 10, 15);
    let too_early = offers(&book, today, &[hire(2)], &[]);
    assert!(too_early.offers.is_empty() && too_early.conflicts.is_empty());
    let both = offers(&book, today, &[hire(3)], &[]);
    assert!(
        both.offers
            .iter()
            .all(|o| o.scheme.policy_id != "hiring_subsidy")
    );
    let priority = book
        .policy("expansion_subsidy")
        .is_ok_and(|p| p.priority_over.iter().any(|q| q == "hiring_subsidy"));
    if priority {
        let expansion = &both.offers[0];
        assert_eq!(expansion.scheme.policy_id, "expansion_subsidy");
        assert_eq!(expansion.decision.amount_fen, 150_000);
        let lines = expansion.decision.trace.lines();
        assert!(
            lines.iter().any(|l| l.contains("参保满 3 个月")),
            "{lines:?}"
        );
    } else {
        assert_eq!(both.conflicts.len(), 1);
        assert!(
            both.conflicts[0]
                .1
                .contains("《一次性扩岗补助》与《一次性吸纳就业补贴》")
        );
    }
    let mut claimed = hire(3);
    claimed.claimed_groups = vec!["graduate_hiring".into()];
    let again = offers(&book, today, &[claimed], &[]);
    assert!(again.offers.is_empty() && again.conflicts.is_empty());
}

#[test]
fn in_2026_the_scan_offers_the_hiring_subsidy_alone_once_the_expansion_subsidy_ended() {
    let book = book();
    let mut later = hire(4);
    later.hired_on = day(2026, 3, 1);
    let found = offers(&book, day(2026, 9, 1), &[later], &[]);
    // 扩岗补助 ended on 2025-12-31: only 一次性吸纳就业补贴 is in force.
    let ids: Vec<&str> = found.offers.iter().map(|o| o.scheme.policy_id).collect();
    assert!(
        ids.contains(&"hiring_subsidy"),
        "{ids:?} {:?}",
        found.conflicts
    );
}

#[test]
fn the_scan_offers_the_startup_subsidy_from_six_months_of_licence_and_three_insured_people() {
    let book = book();
    let venture = |licensed_on, employees| Venture {
        business_id: 3,
        name: "径河农创".into(),
        street_code: "jinghe".into(),
        licensed_on,
        first_licence: true,
        employees,
        claimed: Vec::new(),
    };
    let today = day(2025, 10, 15);
    let startup = |v: Venture| {
        offers(&book, today, &[], &[v])
            .offers
            .iter()
            .any(|o| o.scheme.policy_id == "startup_subsidy")
    };
    assert!(startup(venture(day(2025, 4, 15), 3)));
    assert!(!startup(venture(day(2025, 4, 16), 3)));
    assert!(!startup(venture(day(2025, 4, 15), 2)));
}

fn staff(unit: &str) -> Actor {
    Actor {
        user_id: 1,
        username: unit.into(),
        role: Role::UnitStaff,
        unit_code: Some(unit.into()),
        employer_id: None,
        applicant_id: None,
    }
}

#[test]
fn streets_review_their_own_the_district_unit_reviews_its_category_and_only_finance_pays() {
    assert!(staff("jinghe").may_review_subsidy_for_street("jinghe"));
    assert!(!staff("jinghe").may_review_subsidy_for_street("changqing"));
    assert!(staff("rsj").may_review_subsidy_for_district(Category::Graduates));
    assert!(!staff("rsj").may_review_subsidy_for_district(Category::Housing));
    assert!(staff("zgj").may_review_subsidy_for_district(Category::Housing));
    assert!(!staff("jinghe").may_review_subsidy_for_district(Category::Graduates));
    assert!(staff("czj").may_pay_subsidy());
    assert!(!staff("rsj").may_pay_subsidy());
    assert!(staff("jinghe").may_read_subsidy(Category::Graduates, "jinghe", None));
    assert!(!staff("changqing").may_read_subsidy(Category::Graduates, "jinghe", None));
    let employer = Actor {
        role: Role::Employer,
        unit_code: None,
        employer_id: Some(7),
        ..staff("x")
    };
    assert!(employer.may_read_subsidy(Category::Graduates, "jinghe", Some(7)));
    assert!(!employer.may_read_subsidy(Category::Graduates, "jinghe", Some(8)));
}

#[test]
fn every_scheme_names_a_policy_of_the_rules_file_or_is_waiting_for_it() {
    let book = book();
    // The schemes of the seed policies exist; the others arrive with their rules.
    for id in ["startup_subsidy", "expansion_subsidy", "hiring_subsidy"] {
        assert!(scheme(id).is_some());
        assert!(book.policy(id).is_ok());
    }
    assert!(scheme("guaranteed_loan").is_none());
}

#[test]
fn a_name_is_shown_as_its_surname_and_stars() {
    assert_eq!(mask_name("张三丰"), "张**");
    assert_eq!(mask_name("李"), "李");
    assert_eq!(mask_name(""), "");
}
