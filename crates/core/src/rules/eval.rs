//! Evaluation: facts and an application date in, a decision with its trace out.

use std::collections::BTreeMap;

use chrono::{Datelike, Months, NaiveDate};

use super::RulesError;
use super::book::{Condition, FactKind, Operand, Policy, RuleBook, Test};
use super::money::format_fen;

/// One typed fact about an applicant, a business or a hire.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Fact {
    Date(NaiveDate),
    Integer(i64),
    Boolean(bool),
    Text(String),
    /// An amount in 分.
    Money(i64),
}

impl Fact {
    fn kind(&self) -> FactKind {
        match self {
            Fact::Date(_) => FactKind::Date,
            Fact::Integer(_) => FactKind::Integer,
            Fact::Boolean(_) => FactKind::Boolean,
            Fact::Text(_) => FactKind::Text,
            Fact::Money(_) => FactKind::Money,
        }
    }

    fn show(&self) -> String {
        match self {
            Fact::Date(d) => d.to_string(),
            Fact::Integer(n) => n.to_string(),
            Fact::Boolean(true) => "是".to_string(),
            Fact::Boolean(false) => "否".to_string(),
            Fact::Text(t) => t.clone(),
            Fact::Money(fen) => format_fen(*fen),
        }
    }
}

pub type Facts = BTreeMap<String, Fact>;

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Decision {
    pub policy_id: String,
    pub eligible: bool,
    pub amount_fen: i64,
    pub trace: Trace,
}

/// What a reviewer, an applicant and an auditor see of how a decision was reached.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Trace {
    pub policy_id: String,
    pub policy_title: String,
    pub policy_source: String,
    pub rule_version: String,
    pub date: NaiveDate,
    pub parameters: Vec<UsedParameter>,
    pub facts: Vec<UsedFact>,
    pub conditions: Vec<ConditionResult>,
    /// How the amount was reached, in Chinese; empty when not eligible.
    pub amount: String,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct UsedParameter {
    pub name: String,
    pub label: String,
    pub value: i64,
    /// The value as people read it ("5,000.00 元", "6 个月").
    pub shown: String,
    pub from: NaiveDate,
    pub to: Option<NaiveDate>,
    pub source: String,
    pub confirmed: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct UsedFact {
    pub name: String,
    pub label: String,
    pub value: Fact,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ConditionResult {
    pub id: String,
    pub met: bool,
    /// "营业执照满 6 个月：2025-03-01 至 2025-08-31 为 5 个月，未满足"
    pub sentence: String,
}

impl Trace {
    /// The whole trace as lines of plain Chinese, for the applicant and the audit export.
    pub fn lines(&self) -> Vec<String> {
        let mut lines = vec![format!(
            "《{}》（{}，规则版本 {}），申请日 {}",
            self.policy_title, self.policy_source, self.rule_version, self.date
        )];
        for p in &self.parameters {
            let mark = if p.confirmed { "" } else { "，待核实" };
            lines.push(format!(
                "参数 {}：{}（依据 {}{}）",
                p.label, p.shown, p.source, mark
            ));
        }
        for f in &self.facts {
            lines.push(format!("事实 {}：{}", f.label, f.value.show()));
        }
        lines.extend(self.conditions.iter().map(|c| c.sentence.clone()));
        if !self.amount.is_empty() {
            lines.push(self.amount.clone());
        }
        lines
    }
}

/// Full months from `from` to `to`: 2025-03-01 to 2025-08-31 is 5, to 2025-09-01 is 6.
pub fn full_months(from: NaiveDate, to: NaiveDate) -> i64 {
    if to < from {
        return -full_months(to, from);
    }
    let mut months = (to.year() - from.year()) * 12 + to.month() as i32 - from.month() as i32;
    let reached = |m: i32| {
        from.checked_add_months(Months::new(m as u32))
            .is_some_and(|d| d <= to)
    };
    while months > 0 && !reached(months) {
        months -= 1;
    }
    i64::from(months)
}

/// Collects the parameters and facts one evaluation reads, in the order it reads them.
struct Reader<'a> {
    book: &'a RuleBook,
    policy: &'a Policy,
    facts: &'a Facts,
    date: NaiveDate,
    trace: Trace,
}

impl<'a> Reader<'a> {
    fn parameter(&mut self, name: &str) -> Result<i64, RulesError> {
        let parameter = &self.policy.parameters[name];
        let value = parameter
            .value_on(self.date)
            .ok_or_else(|| RulesError::NoValue {
                title: self.policy.title.clone(),
                parameter: parameter.label.clone(),
                date: self.date,
            })?;
        if !self.trace.parameters.iter().any(|p| p.name == name) {
            let shown = match parameter.unit {
                super::Unit::Money => format_fen(value.value),
                super::Unit::Count => format!("{} 人", value.value),
                super::Unit::Months => format!("{} 个月", value.value),
                super::Unit::Fraction => format!("{}/{}", value.value, value.denominator),
            };
            self.trace.parameters.push(UsedParameter {
                name: name.to_string(),
                label: parameter.label.clone(),
                value: value.value,
                shown,
                from: value.from,
                to: value.to,
                source: value.source.clone(),
                confirmed: value.confirmed,
            });
        }
        Ok(value.value)
    }

    fn fact(&mut self, name: &str) -> Result<Fact, RulesError> {
        let fact = self
            .facts
            .get(name)
            .cloned()
            .ok_or_else(|| RulesError::MissingFact(self.label(name)))?;
        if !self.trace.facts.iter().any(|f| f.name == name) {
            self.trace.facts.push(UsedFact {
                name: name.to_string(),
                label: self.label(name),
                value: fact.clone(),
            });
        }
        Ok(fact)
    }

    fn label(&self, name: &str) -> String {
        self.book
            .facts
            .get(name)
            .map_or_else(|| name.to_string(), |d| d.label.clone())
    }

    fn operand(&mut self, operand: &Operand) -> Result<i64, RulesError> {
        match operand {
            Operand::Parameter(p) => self.parameter(p),
            Operand::Constant(v) => Ok(*v),
            Operand::None => Ok(0),
        }
    }

    fn condition(&mut self, condition: &Condition) -> Result<ConditionResult, RulesError> {
        let threshold = self.operand(&condition.operand)?;
        let title = condition.title.replace("{n}", &threshold.to_string());
        let fact = self.fact(&condition.fact)?;
        let label = self.label(&condition.fact);
        let (met, detail) = match (condition.test, &fact) {
            (Test::AtLeast, Fact::Integer(n)) => (*n >= threshold, format!("{label}为 {n}")),
            (Test::AtMost, Fact::Integer(n)) => (*n <= threshold, format!("{label}为 {n}")),
            (Test::IsTrue, Fact::Boolean(b)) => (*b, format!("{label}：{}", fact.show())),
            (Test::IsFalse, Fact::Boolean(b)) => (!*b, format!("{label}：{}", fact.show())),
            (Test::MonthsSinceAtLeast, Fact::Date(d)) => {
                let months = full_months(*d, self.date);
                (
                    months >= threshold,
                    format!("{d} 至 {} 为 {months} 个月", self.date),
                )
            }
            (Test::MonthsSinceAtMost, Fact::Date(d)) => {
                // Within n months: up to and including the day n months on, not a day later
                // (离校 2 年内: left 2024-06-30, until 2026-06-30).
                let last = u32::try_from(threshold)
                    .ok()
                    .and_then(|n| d.checked_add_months(Months::new(n)));
                let met = last.is_some_and(|last| self.date <= last);
                let months = full_months(*d, self.date);
                let until = last.map_or_else(String::new, |l| format!("（截至 {l}）"));
                (met, format!("{d} 至 {} 为 {months} 个月{until}", self.date))
            }
            _ => return Err(wrong_kind(&condition.fact)),
        };
        let verdict = if met { "满足" } else { "未满足" };
        Ok(ConditionResult {
            id: condition.id.clone(),
            met,
            sentence: format!("{title}：{detail}，{verdict}"),
        })
    }

    /// The amount's base: its money parameter, or its money fact.
    fn amount_base(&mut self) -> Result<(i64, String), RulesError> {
        let amount = &self.policy.amount;
        match (&amount.parameter, &amount.fact) {
            (Some(parameter), _) => {
                let base = self.parameter(parameter)?;
                Ok((base, format!("金额 {}", format_fen(base))))
            }
            (None, Some(fact)) => match self.fact(fact)? {
                Fact::Money(base) => {
                    Ok((base, format!("{} {}", self.label(fact), format_fen(base))))
                }
                _ => Err(wrong_kind(fact)),
            },
            (None, None) => Err(RulesError::field("amount", "未写金额的依据")),
        }
    }

    /// How many units of `per` are paid: the fact, at most the `per_max` parameter.
    fn amount_count(&mut self, per: &str) -> Result<(i64, String), RulesError> {
        let Fact::Integer(count) = self.fact(per)? else {
            return Err(wrong_kind(per));
        };
        let count = count.max(0);
        let Some(per_max) = self.policy.amount.per_max.clone() else {
            return Ok((count, format!("{} {count}", self.label(per))));
        };
        let max = self.parameter(&per_max)?;
        if count > max {
            let label = self.label(per);
            return Ok((max, format!("{label} {count}，最多按 {max}")));
        }
        Ok((count, format!("{} {count}", self.label(per))))
    }

    fn amount(&mut self) -> Result<(i64, String), RulesError> {
        let amount = self.policy.amount.clone();
        let (base, mut sentence) = self.amount_base()?;
        let mut total = base;
        if let Some(per) = &amount.per {
            let (count, shown) = self.amount_count(per)?;
            total = base.checked_mul(count).unwrap_or(i64::MAX);
            sentence = format!("{sentence} × {shown} = {}", format_fen(total));
        }
        if let Some(rate) = &amount.rate {
            let value = self.policy.parameters[rate]
                .value_on(self.date)
                .map(|v| v.denominator.max(1));
            let numerator = self.parameter(rate)?;
            let denominator = value.unwrap_or(1);
            total =
                i64::try_from(i128::from(total) * i128::from(numerator) / i128::from(denominator))
                    .unwrap_or(i64::MAX);
            sentence.push_str(&format!(
                " × {numerator}/{denominator} = {}",
                format_fen(total)
            ));
        }
        if let Some(cap) = &amount.cap {
            let cap_value = self.parameter(cap)?;
            if total > cap_value {
                total = cap_value;
                sentence.push_str(&format!("，超过上限，按上限 {}", format_fen(cap_value)));
            }
        }
        Ok((total, sentence))
    }
}

fn wrong_kind(fact: &str) -> RulesError {
    RulesError::field(format!("facts.{fact}"), "事实的类型与规则声明的不符")
}

impl RuleBook {
    /// Decides one policy as of the application date; a policy not in force is refused.
    pub fn decide(
        &self,
        policy_id: &str,
        facts: &Facts,
        date: NaiveDate,
    ) -> Result<Decision, RulesError> {
        let policy = self.policy(policy_id)?;
        if !policy.in_force(date) {
            return Err(RulesError::NotInForce {
                title: policy.title.clone(),
                date,
                from: policy.from,
                to: policy
                    .to
                    .map_or_else(|| "长期".to_string(), |d| d.to_string()),
            });
        }
        self.check_facts(facts)?;
        let mut reader = Reader {
            book: self,
            policy,
            facts,
            date,
            trace: Trace {
                policy_id: policy.id.clone(),
                policy_title: policy.title.clone(),
                policy_source: policy.source.clone(),
                rule_version: self.version.clone(),
                date,
                parameters: Vec::new(),
                facts: Vec::new(),
                conditions: Vec::new(),
                amount: String::new(),
            },
        };
        for condition in &policy.conditions {
            let result = reader.condition(condition)?;
            reader.trace.conditions.push(result);
        }
        let eligible = reader.trace.conditions.iter().all(|c| c.met);
        let mut amount_fen = 0;
        if eligible {
            let (amount, sentence) = reader.amount()?;
            amount_fen = amount;
            reader.trace.amount = sentence;
        }
        Ok(Decision {
            policy_id: policy.id.clone(),
            eligible,
            amount_fen,
            trace: reader.trace,
        })
    }

    /// Every fact given is declared, with the declared type.
    fn check_facts(&self, facts: &Facts) -> Result<(), RulesError> {
        for (name, fact) in facts {
            match self.facts.get(name) {
                None => {
                    return Err(RulesError::field(
                        format!("facts.{name}"),
                        "规则文件未声明此事实",
                    ));
                }
                Some(decl) if decl.kind != fact.kind() => return Err(wrong_kind(name)),
                Some(_) => {}
            }
        }
        Ok(())
    }

    /// Decides every policy of a benefit group in force on the date and returns the one that
    /// applies; two that apply with neither having priority over the other are an error.
    pub fn decide_group(
        &self,
        group: &str,
        facts: &Facts,
        date: NaiveDate,
    ) -> Result<Option<Decision>, RulesError> {
        let mut eligible = Vec::new();
        for policy in &self.policies {
            if policy.group.as_deref() == Some(group) && policy.in_force(date) {
                let decision = self.decide(&policy.id, facts, date)?;
                if decision.eligible {
                    eligible.push(decision);
                }
            }
        }
        let outranks = |a: &Decision, b: &Decision| {
            self.policy(&a.policy_id)
                .is_ok_and(|p| p.priority_over.contains(&b.policy_id))
        };
        let mut winner: Option<Decision> = None;
        for decision in eligible {
            winner = Some(match winner {
                None => decision,
                Some(w) if outranks(&w, &decision) => w,
                Some(w) if outranks(&decision, &w) => decision,
                Some(w) => {
                    return Err(RulesError::Conflict {
                        group: group.to_string(),
                        first: w.trace.policy_title,
                        second: decision.trace.policy_title,
                    });
                }
            });
        }
        Ok(winner)
    }
}
