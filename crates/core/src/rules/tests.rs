use chrono::NaiveDate;

use super::*;

const CASES: &[(&str, &str)] = &[
    (
        "startup_subsidy.toml",
        include_str!("../../../../policies/cases/startup_subsidy.toml"),
    ),
    (
        "expansion_subsidy.toml",
        include_str!("../../../../policies/cases/expansion_subsidy.toml"),
    ),
    (
        "hiring_subsidy.toml",
        include_str!("../../../../policies/cases/hiring_subsidy.toml"),
    ),
    (
        "graduate_hiring_group.toml",
        include_str!("../../../../policies/cases/graduate_hiring_group.toml"),
    ),
    (
        "insurance_subsidy.toml",
        include_str!("../../../../policies/cases/insurance_subsidy.toml"),
    ),
    (
        "flexible_insurance_subsidy.toml",
        include_str!("../../../../policies/cases/flexible_insurance_subsidy.toml"),
    ),
    (
        "housing_purchase_subsidy.toml",
        include_str!("../../../../policies/cases/housing_purchase_subsidy.toml"),
    ),
    (
        "rent_subsidy.toml",
        include_str!("../../../../policies/cases/rent_subsidy.toml"),
    ),
    (
        "youth_housing_group.toml",
        include_str!("../../../../policies/cases/youth_housing_group.toml"),
    ),
    (
        "industry_support.toml",
        include_str!("../../../../policies/cases/industry_support.toml"),
    ),
];

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

fn seed() -> RuleBook {
    RuleBook::parse(DONGXIHU).unwrap()
}

fn facts(pairs: &[(&str, Fact)]) -> Facts {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect()
}

fn business(licence: &str, employees: i64) -> Facts {
    facts(&[
        ("first_licence", Fact::Boolean(true)),
        ("licence_date", Fact::Date(day(licence))),
        ("employees", Fact::Integer(employees)),
    ])
}

/// A small rules file whose amount changes on 2026-01-01 and is paid per hire up to a cap.
const FIXTURE: &str = r#"
version = "test.1"
[facts]
hires = { kind = "integer", label = "招用人数" }
insured = { kind = "boolean", label = "已参保" }
[[policy]]
id = "per_hire"
title = "按人补贴"
source = "测试文号〔2025〕1号"
from = 2025-01-01
group = "g"
[[policy.parameter]]
name = "per"
label = "每人金额"
unit = "yuan"
value = [
  { from = 2025-01-01, to = 2025-12-31, value = "1000.50", source = "测试文号〔2025〕1号", confirmed = true },
  { from = 2026-01-01, value = 1200, source = "测试文号〔2025〕9号", confirmed = false },
]
[[policy.parameter]]
name = "cap"
label = "上限"
unit = "yuan"
value = [{ from = 2025-01-01, value = 5000, source = "测试文号〔2025〕1号", confirmed = true }]
[[policy.condition]]
id = "insured"
title = "已参保"
test = "is_true"
fact = "insured"
[policy.amount]
param = "per"
per = "hires"
cap = "cap"
[[policy]]
id = "flat"
title = "定额补贴"
source = "测试文号〔2025〕2号"
from = 2025-01-01
group = "g"
priority_over = []
[[policy.parameter]]
name = "amount"
label = "金额"
unit = "yuan"
value = [{ from = 2025-01-01, value = 800, source = "测试文号〔2025〕2号", confirmed = true }]
[policy.amount]
param = "amount"
"#;

fn fixture() -> RuleBook {
    RuleBook::parse(FIXTURE).unwrap()
}

fn field_error(text: &str) -> String {
    match RuleBook::parse(text) {
        Err(RulesError::Field { field, .. }) => field,
        other => panic!("expected a field error, got {other:?}"),
    }
}

#[test]
fn every_staff_case_in_policies_cases_holds() {
    let book = seed();
    let mut broken = Vec::new();
    for (file, text) in CASES {
        match run_cases(&book, text) {
            Ok(count) => assert!(count >= 5, "{file}: only {count} cases"),
            Err(failures) => broken.extend(
                failures
                    .into_iter()
                    .map(|f| format!("{file} 案例“{}”：{}", f.case, f.message)),
            ),
        }
    }
    assert!(broken.is_empty(), "案例不成立：\n{}", broken.join("\n"));
}

#[test]
fn a_broken_expectation_is_reported_with_the_case_name() {
    let text = r#"
policy = "startup_subsidy"
[[case]]
name = "故意写错的金额"
date = 2025-09-01
facts = { first_licence = true, licence_date = 2025-03-01, employees = 3 }
eligible = true
amount = 4000
"#;
    let failures = run_cases(&seed(), text).unwrap_err();
    assert_eq!(failures[0].case, "故意写错的金额");
    assert!(
        failures[0].message.contains("5,000.00 元"),
        "{}",
        failures[0].message
    );
}

#[test]
fn licence_six_months_minus_a_day_is_refused_with_the_reason_in_chinese() {
    let decision = seed()
        .decide(
            "startup_subsidy",
            &business("2025-03-01", 3),
            day("2025-08-31"),
        )
        .unwrap();
    assert!(!decision.eligible);
    assert_eq!(decision.amount_fen, 0);
    let sentences: Vec<&str> = decision
        .trace
        .conditions
        .iter()
        .map(|c| c.sentence.as_str())
        .collect();
    assert!(
        sentences.contains(&"营业执照满 6 个月：2025-03-01 至 2025-08-31 为 5 个月，未满足"),
        "{sentences:?}"
    );
}

#[test]
fn licence_exactly_six_months_gets_five_thousand_yuan_in_fen() {
    let decision = seed()
        .decide(
            "startup_subsidy",
            &business("2025-03-01", 3),
            day("2025-09-01"),
        )
        .unwrap();
    assert!(decision.eligible);
    assert_eq!(decision.amount_fen, 500_000);
}

#[test]
fn the_trace_keeps_version_parameters_sources_facts_and_conditions() {
    let decision = seed()
        .decide(
            "startup_subsidy",
            &business("2025-03-01", 4),
            day("2025-10-01"),
        )
        .unwrap();
    let trace = &decision.trace;
    assert_eq!(trace.rule_version, "2025-12-05.1");
    assert_eq!(trace.policy_title, "一次性创业补贴");
    let amount = trace
        .parameters
        .iter()
        .find(|p| p.name == "amount")
        .unwrap();
    assert_eq!((amount.value, amount.confirmed), (500_000, false));
    assert!(amount.source.contains("待核实"));
    assert_eq!(trace.parameters.len(), 3);
    assert_eq!(trace.facts.len(), 3);
    assert!(trace.conditions.iter().all(|c| c.met));
    let lines = trace.lines().join("\n");
    assert!(lines.contains("参数 补贴金额：5,000.00 元"), "{lines}");
    assert!(lines.contains("待核实"), "{lines}");
    assert!(lines.contains("事实 吸纳就业人数：4"), "{lines}");
    assert!(
        lines.contains("吸纳就业不少于 3 人：吸纳就业人数为 4，满足"),
        "{lines}"
    );
}

#[test]
fn a_policy_not_in_force_on_the_application_date_is_refused() {
    let err = seed()
        .decide("expansion_subsidy", &Facts::new(), day("2026-01-01"))
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "《一次性扩岗补助》在 2026-01-01 不在有效期内（2025-01-01 至 2025-12-31），不予受理"
    );
    let before = seed().decide(
        "startup_subsidy",
        &business("2024-01-01", 3),
        day("2024-12-31"),
    );
    assert!(matches!(before, Err(RulesError::NotInForce { .. })));
}

#[test]
fn the_value_in_force_is_picked_on_the_day_a_parameter_changes() {
    let book = fixture();
    let hires = |n| {
        facts(&[
            ("hires", Fact::Integer(n)),
            ("insured", Fact::Boolean(true)),
        ])
    };
    let last_old = book
        .decide("per_hire", &hires(2), day("2025-12-31"))
        .unwrap();
    assert_eq!(last_old.amount_fen, 200_100);
    assert!(last_old.trace.parameters[0].confirmed);
    let first_new = book
        .decide("per_hire", &hires(2), day("2026-01-01"))
        .unwrap();
    assert_eq!(first_new.amount_fen, 240_000);
    assert_eq!(first_new.trace.parameters[0].source, "测试文号〔2025〕9号");
    assert!(!first_new.trace.parameters[0].confirmed);
}

#[test]
fn an_amount_per_hire_is_capped() {
    let many = facts(&[
        ("hires", Fact::Integer(10)),
        ("insured", Fact::Boolean(true)),
    ]);
    let decision = fixture()
        .decide("per_hire", &many, day("2026-06-01"))
        .unwrap();
    assert_eq!(decision.amount_fen, 500_000);
    assert!(
        decision.trace.amount.contains("按上限 5,000.00 元"),
        "{}",
        decision.trace.amount
    );
}

#[test]
fn two_policies_of_one_group_that_both_apply_are_a_conflict_naming_both() {
    let hire = facts(&[
        ("hires", Fact::Integer(1)),
        ("insured", Fact::Boolean(true)),
    ]);
    let err = fixture()
        .decide_group("g", &hire, day("2025-06-01"))
        .unwrap_err();
    assert_eq!(
        err,
        RulesError::Conflict {
            group: "g".into(),
            first: "按人补贴".into(),
            second: "定额补贴".into()
        }
    );
    // The seed states 扩岗补助's priority; without that line the two conflict.
    let unstated = crate::rules::DONGXIHU.replace("priority_over = [\"hiring_subsidy\"]\n", "");
    let seed_err = RuleBook::parse(&unstated)
        .unwrap()
        .decide_group(
            "graduate_hiring",
            &facts(&[
                ("graduate_eligible", Fact::Boolean(true)),
                ("labour_contract", Fact::Boolean(true)),
                ("insured_months", Fact::Integer(3)),
                ("counted_elsewhere", Fact::Boolean(false)),
            ]),
            day("2025-07-10"),
        )
        .unwrap_err()
        .to_string();
    assert!(
        seed_err.contains("《一次性扩岗补助》与《一次性吸纳就业补贴》"),
        "{seed_err}"
    );
}

#[test]
fn a_stated_priority_resolves_the_conflict() {
    let text = FIXTURE.replace("priority_over = []", "priority_over = [\"per_hire\"]");
    let book = RuleBook::parse(&text).unwrap();
    let hire = facts(&[
        ("hires", Fact::Integer(1)),
        ("insured", Fact::Boolean(true)),
    ]);
    let chosen = book
        .decide_group("g", &hire, day("2025-06-01"))
        .unwrap()
        .unwrap();
    assert_eq!(
        (chosen.policy_id.as_str(), chosen.amount_fen),
        ("flat", 80_000)
    );
}

#[test]
fn a_bad_date_is_named_by_its_field() {
    let text = FIXTURE.replace("from = 2025-01-01\ngroup", "from = \"2025-02-30\"\ngroup");
    assert_eq!(field_error(&text), "policy[per_hire].from");
}

#[test]
fn an_amount_with_three_decimals_is_refused_naming_the_field() {
    let text = FIXTURE.replace("\"1000.50\"", "\"1000.505\"");
    let err = RuleBook::parse(&text).unwrap_err();
    assert_eq!(
        err.to_string(),
        "policy[per_hire].parameter[per].value[0].value：金额“1000.505”最多两位小数（到分）"
    );
    let float = FIXTURE.replace("\"1000.50\"", "1000.505");
    assert_eq!(
        field_error(&float),
        "policy[per_hire].parameter[per].value[0].value"
    );
}

#[test]
fn a_negative_amount_is_refused_naming_the_field() {
    let text = FIXTURE.replace("value = 800", "value = -800");
    let err = RuleBook::parse(&text).unwrap_err().to_string();
    assert_eq!(
        err,
        "policy[flat].parameter[amount].value[0].value：金额“-800”不能为负"
    );
}

#[test]
fn a_condition_on_an_undeclared_fact_is_refused() {
    let text = FIXTURE.replace("fact = \"insured\"", "fact = \"insurd\"");
    assert_eq!(
        field_error(&text),
        "policy[per_hire].condition[insured].fact"
    );
}

#[test]
fn an_undeclared_or_mistyped_fact_given_to_a_decision_is_refused() {
    let book = fixture();
    let unknown = facts(&[("salary", Fact::Integer(1))]);
    let err = book
        .decide("flat", &unknown, day("2025-06-01"))
        .unwrap_err();
    assert_eq!(err.to_string(), "facts.salary：规则文件未声明此事实");
    let mistyped = facts(&[("hires", Fact::Boolean(true))]);
    assert!(book.decide("flat", &mistyped, day("2025-06-01")).is_err());
    let missing = book
        .decide("per_hire", &Facts::new(), day("2025-06-01"))
        .unwrap_err();
    assert_eq!(missing.to_string(), "缺少事实“已参保”");
}

#[test]
fn overlapping_dated_values_are_refused() {
    let text = FIXTURE.replace(
        "to = 2025-12-31, value = \"1000.50\"",
        "to = 2026-01-01, value = \"1000.50\"",
    );
    assert_eq!(field_error(&text), "policy[per_hire].parameter[per]");
}

#[test]
fn yuan_are_converted_to_fen_exactly() {
    let v = |s: &str| parse_yuan("f", &toml::Value::String(s.into()));
    assert_eq!(v("1500"), Ok(150_000));
    assert_eq!(v("0.1"), Ok(10));
    assert_eq!(v("1000.05"), Ok(100_005));
    assert!(v("1e3").is_err());
    assert!(v("").is_err());
    assert_eq!(parse_yuan("f", &toml::Value::Float(0.29)), Ok(29));
    assert_eq!(format_fen(123_456_789), "1,234,567.89 元");
}

#[test]
fn full_months_count_whole_months_only() {
    assert_eq!(full_months(day("2025-03-01"), day("2025-08-31")), 5);
    assert_eq!(full_months(day("2025-03-01"), day("2025-09-01")), 6);
    assert_eq!(full_months(day("2025-08-31"), day("2026-02-28")), 6);
    assert_eq!(full_months(day("2025-09-01"), day("2025-03-01")), -6);
}

#[test]
fn a_date_toml_itself_rejects_is_named_by_its_line_and_key() {
    let text = FIXTURE.replace("from = 2025-01-01\ngroup", "from = 2025-02-30\ngroup");
    let field = field_error(&text);
    assert!(
        field.starts_with("规则文件第 ") && field.ends_with(" 行 from"),
        "{field}"
    );
}

#[test]
fn every_case_file_in_policies_cases_is_run() {
    // Reads the folder in a test only, so that a staff case file cannot be silently skipped.
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../policies/cases");
    let mut on_disk: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".toml"))
        .collect();
    on_disk.sort();
    let mut listed: Vec<String> = CASES.iter().map(|(name, _)| name.to_string()).collect();
    listed.sort();
    assert_eq!(
        on_disk, listed,
        "add the new case file to CASES in rules/tests.rs"
    );
}

#[test]
fn a_parameter_defined_twice_is_refused() {
    let text = FIXTURE.replace("name = \"cap\"", "name = \"per\"");
    assert_eq!(field_error(&text), "policy[per_hire].parameter[per]");
}

#[test]
fn a_condition_id_used_twice_is_refused() {
    let text = FIXTURE.replace(
        "[policy.amount]\nparam = \"per\"",
        "[[policy.condition]]\nid = \"insured\"\ntitle = \"又一条\"\ntest = \"is_true\"\nfact = \"insured\"\n[policy.amount]\nparam = \"per\"",
    );
    assert_eq!(field_error(&text), "policy[per_hire].condition[insured]");
}

/// The case file of `name`, as listed in [`CASES`].
fn case_file(name: &str) -> &'static str {
    CASES.iter().find(|(n, _)| *n == name).unwrap().1
}

#[test]
fn a_changed_parameter_in_the_rules_text_breaks_the_case_that_checks_it_by_name() {
    let changed = DONGXIHU.replacen(
        "value = 5000, source = \"DESIGN 起始值",
        "value = 6000, source = \"DESIGN 起始值",
        1,
    );
    assert_ne!(changed, DONGXIHU, "the startup amount is in the seed");
    let book = RuleBook::parse(&changed).unwrap();
    let failures = run_cases(&book, case_file("startup_subsidy.toml")).unwrap_err();
    let broken = failures
        .iter()
        .find(|f| f.case == "营业执照恰满 6 个月、吸纳 3 人，补贴 5,000 元")
        .unwrap_or_else(|| panic!("{failures:?}"));
    assert!(broken.message.contains("6,000.00"), "{}", broken.message);
    // The other case files still hold against the changed text.
    assert!(run_cases(&book, case_file("insurance_subsidy.toml")).is_ok());
}

#[test]
fn within_two_years_ends_on_the_day_two_years_on_also_at_a_month_end() {
    let book = seed();
    let flexible = |left: &str, on: &str| {
        let facts = facts(&[
            ("flexibly_employed", Fact::Boolean(true)),
            ("left_school_on", Fact::Date(day(left))),
            ("paid_monthly", Fact::Money(90_000)),
            ("subsidy_months", Fact::Integer(1)),
        ]);
        book.decide("flexible_insurance_subsidy", &facts, day(on))
            .unwrap()
    };
    // 2024-02-29 plus 24 months is 2026-02-28.
    assert!(flexible("2024-02-29", "2026-02-28").eligible);
    let late = flexible("2024-02-29", "2026-03-01");
    assert!(!late.eligible);
    let sentence = &late.trace.conditions[1].sentence;
    assert!(
        sentence.contains("截至 2026-02-28") && sentence.contains("未满足"),
        "{sentence}"
    );
}

#[test]
fn a_share_of_a_money_fact_over_capped_months_is_traced_in_chinese() {
    let book = seed();
    let facts = facts(&[
        ("flexibly_employed", Fact::Boolean(true)),
        ("left_school_on", Fact::Date(day("2025-06-30"))),
        ("paid_monthly", Fact::Money(100_001)),
        ("subsidy_months", Fact::Integer(30)),
    ]);
    let decision = book
        .decide("flexible_insurance_subsidy", &facts, day("2025-12-01"))
        .unwrap();
    // 1,000.01 元 × 24 × 2/3 = 16,000.16 元, rounded down to the 分.
    assert_eq!(decision.amount_fen, 1_600_016);
    let amount = &decision.trace.amount;
    assert!(
        amount.contains("最多按 24") && amount.contains("2/3"),
        "{amount}"
    );
    let lines = decision.trace.lines().join("\n");
    assert!(lines.contains("补贴比例（不超过实际缴费）：2/3"), "{lines}");
    assert!(
        lines.contains("每月实际缴纳的社会保险费：1,000.01 元"),
        "{lines}"
    );
}

#[test]
fn a_bad_share_or_amount_base_is_named_by_its_field() {
    let with = |amount: &str, rate: &str| {
        FIXTURE
            .replacen(
                "[policy.amount]\nparam = \"per\"\nper = \"hires\"\ncap = \"cap\"",
                amount,
                1,
            )
            .replacen(
                "[[policy.condition]]\nid = \"insured\"",
                &format!("{rate}\n[[policy.condition]]\nid = \"insured\""),
                1,
            )
    };
    let rate = |value: &str| {
        format!(
            "[[policy.parameter]]\nname = \"rate\"\nlabel = \"比例\"\nunit = \"fraction\"\nvalue = [{{ from = 2025-01-01, value = \"{value}\", source = \"x\", confirmed = false }}]"
        )
    };
    let good = with(
        "[policy.amount]\nparam = \"per\"\nper = \"hires\"\nrate = \"rate\"",
        &rate("2/3"),
    );
    assert!(RuleBook::parse(&good).is_ok());
    assert_eq!(
        field_error(&with(
            "[policy.amount]\nparam = \"per\"\nrate = \"rate\"",
            &rate("3/2")
        )),
        "policy[per_hire].parameter[rate].value[0].value"
    );
    assert_eq!(
        field_error(&with(
            "[policy.amount]\nparam = \"per\"\nrate = \"cap\"",
            &rate("1/2")
        )),
        "policy[per_hire].amount.rate"
    );
    assert_eq!(
        field_error(&with(
            "[policy.amount]\nparam = \"per\"\nfact = \"hires\"",
            &rate("1/2")
        )),
        "policy[per_hire].amount"
    );
    assert_eq!(
        field_error(&with("[policy.amount]\nfact = \"hires\"", &rate("1/2"))),
        "policy[per_hire].amount.fact"
    );
    assert_eq!(
        field_error(&with(
            "[policy.amount]\nparam = \"per\"\nper_max = \"cap\"\nper = \"hires\"",
            &rate("1/2")
        )),
        "policy[per_hire].amount.per_max"
    );
}

#[test]
fn a_money_fact_in_a_case_is_read_in_yuan() {
    let raw: std::collections::BTreeMap<String, toml::Value> =
        toml::from_str("paid_monthly = \"1234.5\"\nsubsidy_months = 2").unwrap();
    let read = read_facts(&seed(), &raw).unwrap();
    assert_eq!(read["paid_monthly"], Fact::Money(123_450));
    let wrong: std::collections::BTreeMap<String, toml::Value> =
        toml::from_str("paid_monthly = \"12.345\"").unwrap();
    assert!(
        read_facts(&seed(), &wrong)
            .unwrap_err()
            .to_string()
            .contains("facts.paid_monthly")
    );
}
