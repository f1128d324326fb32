//! The facts an application is decided on: those linkong knows from its registries (a
//! business's licence date, a hire's months of social insurance, whether a graduate is already
//! claimed) and those the applicant declares in the form. What the registries know is never
//! taken from the form.

use std::collections::BTreeMap;

use crate::cells;
use crate::field::FieldError;
use crate::rules::{Fact, FactDecl, FactKind, Facts, Policy, RuleBook};

/// One fact a policy reads: its name in the rules file and its declaration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NeededFact {
    pub name: String,
    pub decl: FactDecl,
}

/// The facts `policy` reads, in the order its conditions and amount read them, then those the
/// other policies of its benefit group read (the group is decided together).
pub fn needed(book: &RuleBook, policy: &Policy) -> Vec<NeededFact> {
    let group = book
        .policies
        .iter()
        .filter(|p| p.id != policy.id && p.group.is_some() && p.group == policy.group);
    let mut names: Vec<&str> = Vec::new();
    for p in std::iter::once(policy).chain(group) {
        names.extend(p.conditions.iter().map(|c| c.fact.as_str()));
        names.extend(p.amount.per.as_deref());
    }
    let mut seen = Vec::new();
    for name in names {
        if !seen.iter().any(|n: &NeededFact| n.name == name)
            && let Some(decl) = book.facts.get(name)
        {
            seen.push(NeededFact {
                name: name.to_owned(),
                decl: decl.clone(),
            });
        }
    }
    seen
}

/// The facts to decide on: each needed fact from `known` where the registries know it, else
/// from the form's `declared` text. Every missing or unreadable declared fact is named by its
/// label under 申报事项.
pub fn combine(
    book: &RuleBook,
    policy: &Policy,
    declared: &BTreeMap<String, String>,
    known: &Facts,
) -> Result<Facts, Vec<FieldError>> {
    let mut facts = Facts::new();
    let mut errors = Vec::new();
    for need in needed(book, policy) {
        if let Some(fact) = known.get(&need.name) {
            facts.insert(need.name, fact.clone());
            continue;
        }
        let text = declared.get(&need.name).map_or("", String::as_str);
        match read(&need.decl, text) {
            Ok(fact) => {
                facts.insert(need.name, fact);
            }
            Err(message) => errors.push(FieldError {
                field: "申报事项",
                message: format!("{}：{message}", need.decl.label),
            }),
        }
    }
    if errors.is_empty() {
        Ok(facts)
    } else {
        Err(errors)
    }
}

/// A declared fact as typed: a date, a whole number, an amount of 元, 是/否, or text.
fn read(decl: &FactDecl, text: &str) -> Result<Fact, String> {
    let text = text.trim();
    match decl.kind {
        FactKind::Date => cells::parse_date(text).map(Fact::Date),
        FactKind::Integer => match text.parse::<i64>() {
            _ if text.is_empty() => Err("请填写".into()),
            Ok(n) if n >= 0 => Ok(Fact::Integer(n)),
            Ok(_) => Err("不能为负数".into()),
            Err(_) => Err(format!("“{text}”不是整数")),
        },
        FactKind::Boolean => match text {
            "是" | "true" | "yes" | "1" => Ok(Fact::Boolean(true)),
            "否" | "false" | "no" | "0" => Ok(Fact::Boolean(false)),
            "" => Err("请选择“是”或“否”".into()),
            other => Err(format!("“{other}”应为“是”或“否”")),
        },
        FactKind::Money => crate::quantity::Quantity::parse(text)
            .map(|q| Fact::Money(q.hundredths()))
            .map_err(|e| format!("{e}（以元为单位，最多两位小数）")),
        FactKind::Text if text.is_empty() => Err("请填写".into()),
        FactKind::Text => Ok(Fact::Text(text.to_owned())),
    }
}
