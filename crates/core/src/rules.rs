//! Policies as dated rules (issue 14 items 2–4; DESIGN "Policies as dated rules").
//!
//! A rules file (`policies/*.toml`) holds every amount, count and period as a parameter whose
//! values are dated and cite their source 文号, with `confirmed = false` where the amount is
//! still 待核实. [`RuleBook::decide`] turns typed facts and an application date into a
//! [`Decision`] with a [`Trace`] of every parameter, fact and condition it used, in plain
//! Chinese (learned from OpenFisca). Two policies of one benefit group that both apply with no
//! stated priority are an error naming both, never "first match wins" (learned from Catala).
//! Money is integer 分 throughout; the file writes 元 with at most two decimals.

mod book;
mod cases;
mod eval;
mod money;
#[cfg(test)]
mod tests;

pub use book::{
    Amount, Condition, DatedValue, FactDecl, FactKind, Operand, Parameter, Policy, RuleBook, Test,
    Unit,
};
pub use cases::{CaseFailure, CaseOutcome, check_cases, read_facts, run_cases};
pub use eval::{
    ConditionResult, Decision, Fact, Facts, Trace, UsedFact, UsedParameter, full_months,
};
pub use money::{format_fen, parse_yuan};

/// The district's seed rules, checked by the case files in `policies/cases/`.
pub const DONGXIHU: &str = include_str!("../../../policies/dongxihu.toml");

/// Everything a rules file, a case or an evaluation can get wrong, in Chinese.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RulesError {
    /// A field of the rules file or of the facts is wrong; `field` is its path in the file.
    #[error("{field}：{message}")]
    Field { field: String, message: String },
    #[error("政策“{0}”不存在")]
    UnknownPolicy(String),
    #[error("《{title}》在 {date} 不在有效期内（{from} 至 {to}），不予受理")]
    NotInForce {
        title: String,
        date: chrono::NaiveDate,
        from: chrono::NaiveDate,
        to: String,
    },
    #[error("《{title}》的参数“{parameter}”在 {date} 没有有效取值")]
    NoValue {
        title: String,
        parameter: String,
        date: chrono::NaiveDate,
    },
    #[error("缺少事实“{0}”")]
    MissingFact(String),
    /// Two policies of one benefit group both apply and neither has priority over the other.
    #[error(
        "《{first}》与《{second}》同属“{group}”、不可同时享受，且规则未规定何者优先：请在规则中写明 priority_over"
    )]
    Conflict {
        group: String,
        first: String,
        second: String,
    },
}

impl RulesError {
    pub(crate) fn field(field: impl Into<String>, message: impl Into<String>) -> RulesError {
        RulesError::Field {
            field: field.into(),
            message: message.into(),
        }
    }
}
