//! 免申即享: from what linkong already knows, who qualifies for which policy without applying.
//!
//! The store gathers two kinds of candidates — hires of graduates on the roster through the job
//! platform, with their months of social insurance at the hiring employer from the imported
//! enrolment list; and returnee businesses with their licence date and insured headcount —
//! and this module decides each against every scheme of its kind, as of the day the scan runs
//! (or the policy's last day, for one that has ended). Only eligible decisions are offered,
//! each with its trace. Two offers of one benefit group for the same graduate (扩岗补助 and
//! 一次性吸纳就业补贴) are flagged as a choice: staff confirm one, and the rule then refuses the
//! other (the graduate is counted).
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
    /// Another offer of the same group for the same graduate: staff confirm one.
    pub choice_with: Option<String>,
}

/// The day a policy is decided on in a scan: today, or its last day once it has ended.
fn decided_on(book: &RuleBook, policy_id: &str, today: NaiveDate) -> Option<NaiveDate> {
    let policy = book.policy(policy_id).ok()?;
    let day = policy.to.map_or(today, |to| to.min(today));
    (day >= policy.from).then_some(day)
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

/// Decides `scheme` on `facts` (only those the rules declare), keeping it if eligible.
fn offer(
    book: &RuleBook,
    scheme: &'static Scheme,
    facts: Facts,
    today: NaiveDate,
) -> Option<(Facts, Decision)> {
    let day = decided_on(book, scheme.policy_id, today)?;
    let facts: Facts = facts
        .into_iter()
        .filter(|(name, _)| book.facts.contains_key(name))
        .collect();
    let decision = book.decide(scheme.policy_id, &facts, day).ok()?;
    decision.eligible.then_some((facts, decision))
}

/// Every offer the scan finds, hires first, then businesses.
pub fn offers(
    book: &RuleBook,
    today: NaiveDate,
    hires: &[Hire],
    ventures: &[Venture],
) -> Vec<Offer> {
    let mut found = Vec::new();
    for hire in hires {
        let start = found.len();
        for scheme in SCHEMES.iter().filter(|s| s.names_graduate) {
            let group = book
                .policy(scheme.policy_id)
                .ok()
                .and_then(|p| p.group.clone());
            let facts = hire_facts(hire, group.as_deref());
            if let Some((facts, decision)) = offer(book, scheme, facts, today) {
                found.push(Offer {
                    scheme,
                    beneficiary: Beneficiary::Employer {
                        employer_id: hire.employer_id,
                        person_id: hire.person_id,
                    },
                    who: format!("{}（招用 {}）", hire.employer_name, hire.person_name),
                    street_code: hire.street_code.clone(),
                    facts,
                    decision,
                    choice_with: None,
                });
            }
        }
        flag_choices(book, &mut found[start..]);
    }
    for venture in ventures {
        for scheme in SCHEMES
            .iter()
            .filter(|s| s.applicant == ApplicantKind::Business)
            .filter(|s| !venture.claimed.iter().any(|c| c == s.policy_id))
        {
            if let Some((facts, decision)) = offer(book, scheme, venture_facts(venture), today) {
                found.push(Offer {
                    scheme,
                    beneficiary: Beneficiary::Business {
                        business_id: venture.business_id,
                    },
                    who: venture.name.clone(),
                    street_code: venture.street_code.clone(),
                    facts,
                    decision,
                    choice_with: None,
                });
            }
        }
    }
    found
}

/// Marks offers of one benefit group for the same hire as a choice between them.
fn flag_choices(book: &RuleBook, offers: &mut [Offer]) {
    let group_of = |o: &Offer| {
        book.policy(o.scheme.policy_id)
            .ok()
            .and_then(|p| p.group.clone())
    };
    let groups: Vec<Option<String>> = offers.iter().map(group_of).collect();
    let titles: Vec<String> = offers
        .iter()
        .map(|o| o.decision.trace.policy_title.clone())
        .collect();
    for (i, offer) in offers.iter_mut().enumerate() {
        let others: Vec<&str> = (0..titles.len())
            .filter(|&j| j != i && groups[j].is_some() && groups[j] == groups[i])
            .map(|j| titles[j].as_str())
            .collect();
        if !others.is_empty() {
            offer.choice_with = Some(format!(
                "与《{}》同属一类、不可同时享受：请择一确认",
                others.join("》《")
            ));
        }
    }
}
