//! The rules file, parsed into types that cannot hold an undeclared fact, an unknown
//! parameter, a negative amount or overlapping dated values.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Deserialize;

use super::RulesError;
use super::money::parse_yuan;

/// Every policy of one rules file, with the facts its conditions may read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleBook {
    /// The rule version recorded in every decision's trace.
    pub version: String,
    pub facts: BTreeMap<String, FactDecl>,
    pub policies: Vec<Policy>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FactDecl {
    pub kind: FactKind,
    pub label: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FactKind {
    Date,
    Integer,
    Boolean,
    Text,
    /// An amount of money: written in 元 in cases, held in 分.
    Money,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    pub id: String,
    pub title: String,
    /// The 文号 of the document that sets the policy.
    pub source: String,
    pub from: NaiveDate,
    pub to: Option<NaiveDate>,
    /// Policies of one group are mutually exclusive (扩岗补助 vs 一次性吸纳就业补贴).
    pub group: Option<String>,
    pub priority_over: Vec<String>,
    pub parameters: BTreeMap<String, Parameter>,
    pub conditions: Vec<Condition>,
    pub amount: Amount,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// 分 (written in 元 in the file).
    Money,
    Count,
    Months,
    /// A share, written "2/3" in the file: `value` is the numerator, `denominator` the rest.
    Fraction,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parameter {
    pub name: String,
    pub label: String,
    pub unit: Unit,
    /// Sorted by `from`, not overlapping.
    pub values: Vec<DatedValue>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DatedValue {
    pub from: NaiveDate,
    pub to: Option<NaiveDate>,
    pub value: i64,
    /// 1 except for a [`Unit::Fraction`], whose value is `value / denominator`.
    pub denominator: i64,
    pub source: String,
    /// False where the amount is 待核实.
    pub confirmed: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Test {
    AtLeast,
    AtMost,
    IsTrue,
    IsFalse,
    /// Full months from the fact's date to the application date, at least the operand.
    MonthsSinceAtLeast,
    /// The application date is at most the operand's months after the fact's date: within
    /// n months, up to and including the day n months on.
    MonthsSinceAtMost,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Operand {
    None,
    Parameter(String),
    Constant(i64),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Condition {
    pub id: String,
    /// Chinese; `{n}` is replaced by the threshold in force ("营业执照满 {n} 个月").
    pub title: String,
    pub test: Test,
    pub fact: String,
    pub operand: Operand,
}

/// A fixed amount parameter (or a money fact, such as the insurance an employer paid a month),
/// times a count fact (`per`, itself at most the parameter `per_max`), times a share (`rate`),
/// capped by a parameter: `min(base × min(per, per_max) × rate, cap)`, rounded down to the 分.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Amount {
    /// The money parameter the amount starts from; None when it starts from `fact`.
    pub parameter: Option<String>,
    /// The money fact the amount starts from, instead of a parameter.
    pub fact: Option<String>,
    pub per: Option<String>,
    /// A count or months parameter: at most this many units of `per` are paid.
    pub per_max: Option<String>,
    /// A fraction parameter: the share of the amount paid (“不超过实际缴费的 2/3”).
    pub rate: Option<String>,
    pub cap: Option<String>,
}

impl Policy {
    pub fn in_force(&self, date: NaiveDate) -> bool {
        date >= self.from && self.to.is_none_or(|to| date <= to)
    }
}

impl Parameter {
    pub fn value_on(&self, date: NaiveDate) -> Option<&DatedValue> {
        self.values
            .iter()
            .find(|v| date >= v.from && v.to.is_none_or(|to| date <= to))
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBook {
    version: String,
    facts: BTreeMap<String, RawFact>,
    policy: Vec<RawPolicy>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFact {
    kind: String,
    label: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPolicy {
    id: String,
    title: String,
    source: String,
    from: toml::Value,
    to: Option<toml::Value>,
    group: Option<String>,
    #[serde(default)]
    priority_over: Vec<String>,
    #[serde(default)]
    parameter: Vec<RawParameter>,
    #[serde(default)]
    condition: Vec<RawCondition>,
    amount: RawAmount,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawParameter {
    name: String,
    label: String,
    unit: String,
    value: Vec<RawValue>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawValue {
    from: toml::Value,
    to: Option<toml::Value>,
    value: toml::Value,
    source: String,
    confirmed: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCondition {
    id: String,
    title: String,
    test: String,
    fact: String,
    param: Option<String>,
    value: Option<i64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAmount {
    param: Option<String>,
    fact: Option<String>,
    per: Option<String>,
    per_max: Option<String>,
    rate: Option<String>,
    cap: Option<String>,
}

/// A date written as a TOML date or a "YYYY-MM-DD" string; `field` names it in the error.
pub(crate) fn parse_date_value(field: &str, value: &toml::Value) -> Result<NaiveDate, RulesError> {
    let text = match value {
        toml::Value::Datetime(d) => d.to_string(),
        toml::Value::String(s) => s.trim().to_string(),
        other => other.to_string(),
    };
    NaiveDate::parse_from_str(&text, "%Y-%m-%d")
        .map_err(|_| RulesError::field(field, format!("日期“{text}”无效，应为 YYYY-MM-DD")))
}

/// A TOML syntax or shape error, named by its line and the key written on it.
pub(crate) fn toml_error(text: &str, error: &toml::de::Error) -> RulesError {
    let Some(span) = error.span() else {
        return RulesError::field("规则文件", error.message());
    };
    let start = span.start.min(text.len());
    let line = text[..start].matches('\n').count() + 1;
    let key = text
        .lines()
        .nth(line - 1)
        .and_then(|l| l.split_once('='))
        .map(|(k, _)| format!(" {}", k.trim()))
        .unwrap_or_default();
    RulesError::field(format!("规则文件第 {line} 行{key}"), error.message())
}

fn parse_optional_date(
    field: &str,
    value: Option<&toml::Value>,
) -> Result<Option<NaiveDate>, RulesError> {
    value.map(|v| parse_date_value(field, v)).transpose()
}

impl RuleBook {
    /// Parses and checks a rules file; every error names the field it is about.
    pub fn parse(text: &str) -> Result<RuleBook, RulesError> {
        let raw: RawBook = toml::from_str(text).map_err(|e| toml_error(text, &e))?;
        let mut facts = BTreeMap::new();
        for (name, fact) in raw.facts {
            let kind = match fact.kind.as_str() {
                "date" => FactKind::Date,
                "integer" => FactKind::Integer,
                "boolean" => FactKind::Boolean,
                "text" => FactKind::Text,
                "money" => FactKind::Money,
                other => {
                    return Err(RulesError::field(
                        format!("facts.{name}.kind"),
                        format!("类型“{other}”应为 date、integer、boolean、text 或 money"),
                    ));
                }
            };
            let label = fact.label;
            facts.insert(name, FactDecl { kind, label });
        }
        let mut policies = Vec::new();
        for raw_policy in raw.policy {
            policies.push(parse_policy(raw_policy, &facts)?);
        }
        let book = RuleBook {
            version: raw.version,
            facts,
            policies,
        };
        book.check_links()?;
        Ok(book)
    }

    pub fn policy(&self, id: &str) -> Result<&Policy, RulesError> {
        self.policies
            .iter()
            .find(|p| p.id == id)
            .ok_or_else(|| RulesError::UnknownPolicy(id.to_string()))
    }

    /// Ids are unique and every `priority_over` names a policy of the same group.
    fn check_links(&self) -> Result<(), RulesError> {
        for (i, policy) in self.policies.iter().enumerate() {
            let field = format!("policy[{}]", policy.id);
            if self.policies[..i].iter().any(|p| p.id == policy.id) {
                return Err(RulesError::field(format!("{field}.id"), "政策编号重复"));
            }
            for other in &policy.priority_over {
                let same_group = self
                    .policies
                    .iter()
                    .any(|p| &p.id == other && p.group.is_some() && p.group == policy.group);
                if !same_group {
                    return Err(RulesError::field(
                        format!("{field}.priority_over"),
                        format!("“{other}”不是同一互斥组中的政策"),
                    ));
                }
            }
        }
        Ok(())
    }
}

fn parse_policy(raw: RawPolicy, facts: &BTreeMap<String, FactDecl>) -> Result<Policy, RulesError> {
    let field = format!("policy[{}]", raw.id);
    let mut parameters = BTreeMap::new();
    for p in raw.parameter {
        let parameter = parse_parameter(&field, p)?;
        let name = parameter.name.clone();
        if parameters.insert(name.clone(), parameter).is_some() {
            return Err(RulesError::field(
                format!("{field}.parameter[{name}]"),
                "参数重复定义",
            ));
        }
    }
    let mut conditions = Vec::new();
    for c in raw.condition {
        let condition = parse_condition(&field, c, facts, &parameters)?;
        if conditions.iter().any(|c: &Condition| c.id == condition.id) {
            let at = format!("{field}.condition[{}]", condition.id);
            return Err(RulesError::field(at, "条件编号重复"));
        }
        conditions.push(condition);
    }
    let amount = parse_amount(&field, raw.amount, facts, &parameters)?;
    Ok(Policy {
        from: parse_date_value(&format!("{field}.from"), &raw.from)?,
        to: parse_optional_date(&format!("{field}.to"), raw.to.as_ref())?,
        id: raw.id,
        title: raw.title,
        source: raw.source,
        group: raw.group,
        priority_over: raw.priority_over,
        parameters,
        conditions,
        amount,
    })
}

fn parse_parameter(policy_field: &str, raw: RawParameter) -> Result<Parameter, RulesError> {
    let field = format!("{policy_field}.parameter[{}]", raw.name);
    let unit = match raw.unit.as_str() {
        "yuan" => Unit::Money,
        "count" => Unit::Count,
        "months" => Unit::Months,
        "fraction" => Unit::Fraction,
        other => {
            return Err(RulesError::field(
                format!("{field}.unit"),
                format!("单位“{other}”应为 yuan、count、months 或 fraction"),
            ));
        }
    };
    let mut values = Vec::new();
    for (i, v) in raw.value.into_iter().enumerate() {
        let vf = format!("{field}.value[{i}]");
        let (value, denominator) = match unit {
            Unit::Money => (parse_yuan(&format!("{vf}.value"), &v.value)?, 1),
            Unit::Count | Unit::Months => match v.value.as_integer() {
                Some(n) if n >= 0 => (n, 1),
                _ => return Err(RulesError::field(format!("{vf}.value"), "应为非负整数")),
            },
            Unit::Fraction => parse_fraction(&format!("{vf}.value"), &v.value)?,
        };
        values.push(DatedValue {
            from: parse_date_value(&format!("{vf}.from"), &v.from)?,
            to: parse_optional_date(&format!("{vf}.to"), v.to.as_ref())?,
            value,
            denominator,
            source: v.source,
            confirmed: v.confirmed,
        });
    }
    check_dated_values(&field, &mut values)?;
    Ok(Parameter {
        name: raw.name,
        label: raw.label,
        unit,
        values,
    })
}

/// A share written "2/3" (or a whole "1"): numerator and denominator, at most 1.
fn parse_fraction(field: &str, value: &toml::Value) -> Result<(i64, i64), RulesError> {
    let text = match value {
        toml::Value::String(s) => s.trim().to_string(),
        toml::Value::Integer(n) => n.to_string(),
        other => other.to_string(),
    };
    let bad = || RulesError::field(field, format!("比例“{text}”应写作“2/3”，且不大于 1"));
    let (num, den) = text.split_once('/').unwrap_or((&text, "1"));
    let num: i64 = num.trim().parse().map_err(|_| bad())?;
    let den: i64 = den.trim().parse().map_err(|_| bad())?;
    if num < 0 || den <= 0 || num > den {
        return Err(bad());
    }
    Ok((num, den))
}

/// One value at a time: sorted by start date, each ending before the next begins.
fn check_dated_values(field: &str, values: &mut [DatedValue]) -> Result<(), RulesError> {
    if values.is_empty() {
        return Err(RulesError::field(field, "至少要有一个取值"));
    }
    values.sort_by_key(|v| v.from);
    for v in values.iter() {
        if v.to.is_some_and(|to| to < v.from) {
            return Err(RulesError::field(
                field,
                format!("取值 {} 的止日早于起日", v.from),
            ));
        }
    }
    for pair in values.windows(2) {
        if pair[0].to.is_none_or(|to| to >= pair[1].from) {
            return Err(RulesError::field(
                field,
                format!("自 {} 与自 {} 的取值日期重叠", pair[0].from, pair[1].from),
            ));
        }
    }
    Ok(())
}

fn parse_condition(
    policy_field: &str,
    raw: RawCondition,
    facts: &BTreeMap<String, FactDecl>,
    parameters: &BTreeMap<String, Parameter>,
) -> Result<Condition, RulesError> {
    let field = format!("{policy_field}.condition[{}]", raw.id);
    let (test, kind) = match raw.test.as_str() {
        "at_least" => (Test::AtLeast, FactKind::Integer),
        "at_most" => (Test::AtMost, FactKind::Integer),
        "is_true" => (Test::IsTrue, FactKind::Boolean),
        "is_false" => (Test::IsFalse, FactKind::Boolean),
        "months_since_at_least" => (Test::MonthsSinceAtLeast, FactKind::Date),
        "months_since_at_most" => (Test::MonthsSinceAtMost, FactKind::Date),
        other => {
            return Err(RulesError::field(
                format!("{field}.test"),
                format!("比较“{other}”不存在"),
            ));
        }
    };
    check_fact(&format!("{field}.fact"), &raw.fact, kind, facts)?;
    let needs_operand = !matches!(test, Test::IsTrue | Test::IsFalse);
    let operand = match (raw.param, raw.value) {
        (Some(_), Some(_)) => {
            return Err(RulesError::field(&field, "param 与 value 只能写一个"));
        }
        (Some(p), None) => {
            check_parameter(&format!("{field}.param"), &p, parameters)?;
            Operand::Parameter(p)
        }
        (None, Some(v)) => Operand::Constant(v),
        (None, None) => Operand::None,
    };
    if needs_operand == (operand == Operand::None) {
        let message = if needs_operand {
            "此比较须写 param 或 value"
        } else {
            "真假比较不写 param 或 value"
        };
        return Err(RulesError::field(&field, message));
    }
    Ok(Condition {
        id: raw.id,
        title: raw.title,
        test,
        fact: raw.fact,
        operand,
    })
}

fn check_fact(
    field: &str,
    name: &str,
    kind: FactKind,
    facts: &BTreeMap<String, FactDecl>,
) -> Result<(), RulesError> {
    match facts.get(name) {
        None => Err(RulesError::field(
            field,
            format!("事实“{name}”未在 [facts] 中声明"),
        )),
        Some(decl) if decl.kind != kind => Err(RulesError::field(
            field,
            format!("事实“{name}”的类型与此比较不符"),
        )),
        Some(_) => Ok(()),
    }
}

fn check_parameter(
    field: &str,
    name: &str,
    parameters: &BTreeMap<String, Parameter>,
) -> Result<(), RulesError> {
    if parameters.contains_key(name) {
        Ok(())
    } else {
        Err(RulesError::field(field, format!("参数“{name}”未定义")))
    }
}

fn parse_amount(
    policy_field: &str,
    raw: RawAmount,
    facts: &BTreeMap<String, FactDecl>,
    parameters: &BTreeMap<String, Parameter>,
) -> Result<Amount, RulesError> {
    let field = format!("{policy_field}.amount");
    let money = |name: &str, f: &str| -> Result<(), RulesError> {
        check_parameter(f, name, parameters)?;
        if parameters[name].unit != Unit::Money {
            return Err(RulesError::field(f, format!("参数“{name}”不是金额")));
        }
        Ok(())
    };
    match (&raw.param, &raw.fact) {
        (Some(param), None) => money(param, &format!("{field}.param"))?,
        (None, Some(fact)) => check_fact(&format!("{field}.fact"), fact, FactKind::Money, facts)?,
        _ => return Err(RulesError::field(&field, "param 与 fact 须写且只写一个")),
    }
    if let Some(cap) = &raw.cap {
        money(cap, &format!("{field}.cap"))?;
    }
    if let Some(per) = &raw.per {
        check_fact(&format!("{field}.per"), per, FactKind::Integer, facts)?;
    }
    let unit_of = |name: &str, f: &str, units: &[Unit], what: &str| -> Result<(), RulesError> {
        check_parameter(f, name, parameters)?;
        if !units.contains(&parameters[name].unit) {
            return Err(RulesError::field(f, format!("参数“{name}”不是{what}")));
        }
        Ok(())
    };
    if let Some(per_max) = &raw.per_max {
        if raw.per.is_none() {
            return Err(RulesError::field(
                format!("{field}.per_max"),
                "写 per_max 须同时写 per",
            ));
        }
        unit_of(
            per_max,
            &format!("{field}.per_max"),
            &[Unit::Count, Unit::Months],
            "人数或月数",
        )?;
    }
    if let Some(rate) = &raw.rate {
        unit_of(rate, &format!("{field}.rate"), &[Unit::Fraction], "比例")?;
    }
    Ok(Amount {
        parameter: raw.param,
        fact: raw.fact,
        per: raw.per,
        per_max: raw.per_max,
        rate: raw.rate,
        cap: raw.cap,
    })
}
