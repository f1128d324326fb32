//! 免申即享: from what linkong already knows, who qualifies for which policy without applying.
//!
//! The store gathers two kinds of candidates — hires of graduates on the roster through the job
//! platform, with their months of social insurance at the hiring employer from the imported
//! enrolment list; and returnee businesses with their licence date and insured headcount —
//! and this module decides each against every scheme of its kind in force on the day the scan
//! runs. Only eligible decisions are offered,
//! each with its trace. A benefit group (扩岗补助 and 一次性吸纳就业补贴) is decided as a group:
//! the one policy that applies is offered; two that apply with no stated priority are a
//! conflict the scan lists, naming both, and offers neither.
//!
//! What the data stands for, to be confirmed by 区人社局: a graduate enrolled in social insurance
//! by the employer has a labour contract with it; a graduate on the roster hired within two
//! years of leaving school belongs to the target group.

use chrono::{Months, NaiveDate};

use super::{ApplicantKind, SCHEMES, Scheme};
use crate::rules::{Decision, Fact, Facts, RuleBook};

/// A graduate on the roster hired by an employer through the job platform.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hire {
    pub employer_id: i64,
    pub employer_name: String,
    pub person_id: i64,
    /// As the scan page shows it: masked.
    pub person_name: String,
    pub street_code: String,
    pub left_school_on: NaiveDate,
    pub hired_on: NaiveDate,
    /// Full months insured at the employer (失业、工伤、养老), as of the scan day.
    pub insured_months: i64,
    /// Policies of a benefit group already claimed for this graduate (any employer).
    pub claimed_groups: Vec<String>,
}

/// A returnee business, with what the registries know of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Venture {
    pub business_id: i64,
    pub name: String,
    pub street_code: String,
    pub licensed_on: NaiveDate,
    /// No founder had a business licensed before this one.
    pub first_licence: bool,
    /// People insured at the business on the scan day.
    pub employees: i64,
    /// Policies already applied for by this business (not rejected).
    pub claimed: Vec<String>,
}

/// Who an offer is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Beneficiary {
    /// An employer, for hiring this graduate (a person id).
    Employer {
        employer_id: i64,
        person_id: i64,
    },
    Business {
        business_id: i64,
    },
}

/// One qualifying (policy, beneficiary) with its decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Offer {
    pub scheme: &'static Scheme,
    pub beneficiary: Beneficiary,
    /// The employer's or business's name, and for a hire the graduate's masked name.
    pub who: String,
    pub street_code: String,
    pub facts: Facts,
    pub decision: Decision,
}

/// The scan's day, if the policy is in force on it (an ended policy is no longer applied for).
fn decided_on(book: &RuleBook, policy_id: &str, today: NaiveDate) -> Option<NaiveDate> {
    let policy = book.policy(policy_id).ok()?;
    policy.in_force(today).then_some(today)
}

/// The facts of a hire, as the data gives them.
pub fn hire_facts(hire: &Hire, group: Option<&str>) -> Facts {
    let two_years = hire
        .left_school_on
        .checked_add_months(Months::new(24))
        .unwrap_or(hire.left_school_on);
    let mut facts = Facts::new();
    facts.insert(
        "graduate_eligible".into(),
        Fact::Boolean(hire.hired_on <= two_years),
    );
    facts.insert(
        "labour_contract".into(),
        Fact::Boolean(hire.insured_months > 0),
    );
    facts.insert("insured_months".into(), Fact::Integer(hire.insured_months));
    facts.insert("left_school_on".into(), Fact::Date(hire.left_school_on));
    let counted = group.is_some_and(|g| hire.claimed_groups.iter().any(|c| c == g));
    facts.insert("counted_elsewhere".into(), Fact::Boolean(counted));
    facts
}

/// The facts of a returnee business, as the data gives them.
pub fn venture_facts(venture: &Venture) -> Facts {
    let mut facts = Facts::new();
    facts.insert("licence_date".into(), Fact::Date(venture.licensed_on));
    facts.insert("first_licence".into(), Fact::Boolean(venture.first_licence));
    facts.insert("employees".into(), Fact::Integer(venture.employees));
    facts
}

/// Only the facts the rules declare.
fn declared(book: &RuleBook, facts: Facts) -> Facts {
    facts
        .into_iter()
        .filter(|(name, _)| book.facts.contains_key(name))
        .collect()
}

/// What a scan finds: the offers, and the candidates whose rules are in conflict (two policies
/// of one group apply with no stated priority), which cannot be offered until the rules say.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ScanResult {
    pub offers: Vec<Offer>,
    pub conflicts: Vec<(String, String)>,
}

/// Decides the schemes a hire may bring: each benefit group as a group (the one that applies,
/// or a conflict), each policy without a group alone.
fn hire_offers(book: &RuleBook, hire: &Hire, today: NaiveDate, found: &mut ScanResult) {
    let who = format!("{}（招用 {}）", hire.employer_name, hire.person_name);
    let beneficiary = Beneficiary::Employer {
        employer_id: hire.employer_id,
        person_id: hire.person_id,
    };
    let mut groups_done: Vec<String> = Vec::new();
    for scheme in SCHEMES.iter().filter(|s| s.names_graduate) {
        let Ok(policy) = book.policy(scheme.policy_id) else {
            continue;
        };
        let Some(day) = decided_on(book, scheme.policy_id, today) else {
            continue;
        };
        let facts = declared(book, hire_facts(hire, policy.group.as_deref()));
        let decision = match &policy.group {
            Some(group) if groups_done.contains(group) => continue,
            Some(group) => {
                groups_done.push(group.clone());
                match book.decide_group(group, &facts, day) {
                    Ok(Some(decision)) => decision,
                    Ok(None) => continue,
                    Err(e) => {
                        found.conflicts.push((who.clone(), e.to_string()));
                        continue;
                    }
                }
            }
            None => match book.decide(scheme.policy_id, &facts, day) {
                Ok(decision) if decision.eligible => decision,
                _ => continue,
            },
        };
        let Some(scheme) = super::scheme(&decision.policy_id) else {
            continue;
        };
        found.offers.push(Offer {
            scheme,
            beneficiary,
            who: who.clone(),
            street_code: hire.street_code.clone(),
            facts,
            decision,
        });
    }
}

/// Decides the schemes a returnee business may bring, those it has not applied for.
fn venture_offers(book: &RuleBook, venture: &Venture, today: NaiveDate, found: &mut ScanResult) {
    for scheme in SCHEMES
        .iter()
        .filter(|s| s.applicant == ApplicantKind::Business)
        .filter(|s| !venture.claimed.iter().any(|c| c == s.policy_id))
    {
        let Some(day) = decided_on(book, scheme.policy_id, today) else {
            continue;
        };
        let facts = declared(book, venture_facts(venture));
        match book.decide(scheme.policy_id, &facts, day) {
            Ok(decision) if decision.eligible => found.offers.push(Offer {
                scheme,
                beneficiary: Beneficiary::Business {
                    business_id: venture.business_id,
                },
                who: venture.name.clone(),
                street_code: venture.street_code.clone(),
                facts,
                decision,
            }),
            _ => {}
        }
    }
}

/// Every offer the scan finds, hires first, then businesses, with the conflicts it met.
pub fn offers(
    book: &RuleBook,
    today: NaiveDate,
    hires: &[Hire],
    ventures: &[Venture],
) -> ScanResult {
    let mut found = ScanResult::default();
    for hire in hires {
        hire_offers(book, hire, today, &mut found);
    }
    for venture in ventures {
        venture_offers(book, venture, today, &mut found);
    }
    found
}
