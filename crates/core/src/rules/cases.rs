//! Cases written by policy staff: facts in, expected eligibility, amount and reasons out.
//!
//! A case file names one `policy` (or one `group`, for mutual exclusion) and lists cases; a
//! case expects either `eligible` with `amount` (元) and `failed` (the ids of the conditions
//! that fail), or an `error` whose text the refusal must contain.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::RulesError;
use super::book::{FactKind, RuleBook, parse_date_value, toml_error};
use super::eval::{Decision, Fact, Facts};
use super::money::{format_fen, parse_yuan};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CaseFile {
    policy: Option<String>,
    group: Option<String>,
    case: Vec<Case>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    date: toml::Value,
    facts: BTreeMap<String, toml::Value>,
    eligible: Option<bool>,
    amount: Option<toml::Value>,
    #[serde(default)]
    failed: Vec<String>,
    /// For a group: the policy expected to be chosen.
    chosen: Option<String>,
    error: Option<String>,
}

/// A case whose expectation the rules no longer meet, or that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseFailure {
    pub case: String,
    pub message: String,
}

/// One case run: its name and, when the rules no longer meet its expectation, why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseOutcome {
    pub case: String,
    pub failure: Option<String>,
}

/// Runs every case of a case file against the rules, in file order; an unreadable file is one
/// failure naming the file.
pub fn check_cases(book: &RuleBook, text: &str) -> Result<Vec<CaseOutcome>, CaseFailure> {
    let file: CaseFile = toml::from_str(text).map_err(|e| CaseFailure {
        case: "案例文件".to_string(),
        message: toml_error(text, &e).to_string(),
    })?;
    Ok(file
        .case
        .iter()
        .map(|case| CaseOutcome {
            case: case.name.clone(),
            failure: run_case(book, &file, case).err(),
        })
        .collect())
}

/// Runs every case of a case file against the rules; returns how many passed, or the failures.
pub fn run_cases(book: &RuleBook, text: &str) -> Result<usize, Vec<CaseFailure>> {
    let outcomes = check_cases(book, text).map_err(|f| vec![f])?;
    let failures: Vec<CaseFailure> = outcomes
        .iter()
        .filter_map(|o| {
            o.failure.as_ref().map(|message| CaseFailure {
                case: o.case.clone(),
                message: message.clone(),
            })
        })
        .collect();
    if failures.is_empty() {
        Ok(outcomes.len())
    } else {
        Err(failures)
    }
}

fn run_case(book: &RuleBook, file: &CaseFile, case: &Case) -> Result<(), String> {
    let date = parse_date_value("date", &case.date).map_err(|e| e.to_string())?;
    let facts = read_facts(book, &case.facts).map_err(|e| e.to_string())?;
    let outcome = match (&file.policy, &file.group) {
        (Some(policy), None) => book.decide(policy, &facts, date).map(Some),
        (None, Some(group)) => book.decide_group(group, &facts, date),
        _ => return Err("案例文件须写 policy 或 group 之一".to_string()),
    };
    match (outcome, &case.error) {
        (Err(e), Some(expected)) if e.to_string().contains(expected.as_str()) => Ok(()),
        (Err(e), _) => Err(format!("意外拒绝：{e}")),
        (Ok(_), Some(expected)) => Err(format!("应被拒绝（{expected}），却得到了决定")),
        (Ok(decision), None) => check_decision(case, decision.as_ref()),
    }
}

fn check_decision(case: &Case, decision: Option<&Decision>) -> Result<(), String> {
    let eligible = decision.is_some_and(|d| d.eligible);
    if let Some(expected) = case.eligible.filter(|e| *e != eligible) {
        return Err(format!(
            "应{}符合条件，实际{}符合",
            yes(expected),
            yes(eligible)
        ));
    }
    if let Some(amount) = &case.amount {
        let expected = parse_yuan("amount", amount).map_err(|e| e.to_string())?;
        let actual = decision.map_or(0, |d| d.amount_fen);
        if expected != actual {
            return Err(format!(
                "金额应为 {}，实际 {}",
                format_fen(expected),
                format_fen(actual)
            ));
        }
    }
    let failed: Vec<String> = decision
        .map(|d| {
            d.trace
                .conditions
                .iter()
                .filter(|c| !c.met)
                .map(|c| c.id.clone())
                .collect()
        })
        .unwrap_or_default();
    if decision.is_some() && failed != case.failed {
        return Err(format!(
            "未满足的条件应为 {:?}，实际 {:?}",
            case.failed, failed
        ));
    }
    if case.chosen.as_deref() != decision.map(|d| d.policy_id.as_str()) && case.chosen.is_some() {
        return Err(format!("应选择政策 {:?}", case.chosen));
    }
    Ok(())
}

fn yes(b: bool) -> &'static str {
    if b { "" } else { "不" }
}

/// Reads facts written in TOML by the kinds the rules file declares.
pub fn read_facts(
    book: &RuleBook,
    raw: &BTreeMap<String, toml::Value>,
) -> Result<Facts, RulesError> {
    let mut facts = Facts::new();
    for (name, value) in raw {
        let field = format!("facts.{name}");
        let decl = book
            .facts
            .get(name)
            .ok_or_else(|| RulesError::field(&field, "规则文件未声明此事实"))?;
        let fact = match (decl.kind, value) {
            (FactKind::Date, v) => Fact::Date(parse_date_value(&field, v)?),
            (FactKind::Integer, toml::Value::Integer(n)) => Fact::Integer(*n),
            (FactKind::Boolean, toml::Value::Boolean(b)) => Fact::Boolean(*b),
            (FactKind::Text, toml::Value::String(s)) => Fact::Text(s.clone()),
            (FactKind::Money, v) => Fact::Money(parse_yuan(&field, v)?),
            _ => return Err(RulesError::field(&field, "值的类型与规则声明的不符")),
        };
        facts.insert(name.clone(), fact);
    }
    Ok(facts)
}
