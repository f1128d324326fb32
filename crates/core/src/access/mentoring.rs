//! Who opens, keeps and reads the mentorings of task 2.3.2. 区人社局 (lead) and the
//! cooperating units open them (a street only for its own street's businesses); the opening
//! unit and the lead keep them; 区基金公司, once it joined one, records its financing contacts.
//! Readers: the opening unit, the lead, the business's street, and 区基金公司 where it joined.

use super::{Actor, Role};
use crate::mentoring::{FUND_UNIT, TASK};
use crate::plan::{Plan, UnitKind};

/// Which mentorings an actor reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MentoringScope {
    All,
    /// A unit's staff: the mentorings it opened, those of its street's businesses (`street`:
    /// the unit is a street) and, for 区基金公司, those the fund joined (`fund`).
    Unit {
        unit: String,
        street: bool,
        fund: bool,
    },
    Nothing,
}

impl MentoringScope {
    /// Does the scope reach a mentoring opened by `opened_by` of a business of `street`, which
    /// the fund joined or not?
    pub fn reaches(&self, opened_by: &str, street: &str, fund_joins: bool) -> bool {
        match self {
            MentoringScope::All => true,
            MentoringScope::Unit {
                unit,
                street: is_street,
                fund,
            } => unit == opened_by || (*is_street && unit == street) || (*fund && fund_joins),
            MentoringScope::Nothing => false,
        }
    }

    /// Does the scope reach a list of the businesses of `street`? A street only its own.
    pub fn reaches_street(&self, street: &str) -> bool {
        match self {
            MentoringScope::All => true,
            MentoringScope::Unit {
                unit, street: true, ..
            } => unit == street,
            MentoringScope::Unit { .. } => true,
            MentoringScope::Nothing => false,
        }
    }
}

/// Is `unit` the lead of 2.3.2 (`lead_only`) or one of its lead and cooperating units?
fn in_mentoring_task(plan: &Plan, unit: &str, lead_only: bool) -> bool {
    plan.tasks.iter().any(|t| {
        t.code == TASK
            && (t.lead_units.iter().any(|u| u == unit)
                || (!lead_only && t.cooperating_units.iter().any(|u| u == unit)))
    })
}

impl Actor {
    /// The unit this actor opens mentorings for: its own, if it is 2.3.2's lead or a
    /// cooperating unit.
    pub fn mentoring_opener<'p>(&self, plan: &'p Plan) -> Option<&'p str> {
        let unit = plan.unit(self.staff_unit()?)?;
        in_mentoring_task(plan, &unit.code, false).then_some(unit.code.as_str())
    }

    /// May this actor open a mentoring of a business of `street`? A street only its own.
    pub fn may_open_mentoring(&self, plan: &Plan, street: &str) -> bool {
        self.mentoring_opener(plan).is_some_and(|unit| {
            plan.unit(unit)
                .is_some_and(|u| u.kind != UnitKind::Street || u.code == street)
        })
    }

    /// May this actor add milestones and visits to a mentoring opened by `opened_by`, and end
    /// it? The opening unit's staff and the lead's.
    pub fn may_keep_mentoring(&self, plan: &Plan, opened_by: &str) -> bool {
        self.staff_unit()
            .is_some_and(|unit| unit == opened_by || in_mentoring_task(plan, unit, true))
    }

    /// May this actor record financing contacts? Those who keep the mentoring, and 区基金公司
    /// once it joined.
    pub fn may_record_financing(&self, plan: &Plan, opened_by: &str, fund_joins: bool) -> bool {
        self.may_keep_mentoring(plan, opened_by)
            || (fund_joins && self.staff_unit() == Some(FUND_UNIT))
    }

    /// Which mentorings this actor reads.
    pub fn mentoring_scope(&self, plan: &Plan) -> MentoringScope {
        if self.role.reads_all_units() {
            return MentoringScope::All;
        }
        if self.role != Role::UnitStaff {
            return MentoringScope::Nothing;
        }
        let Some(unit) = self.staff_unit().and_then(|u| plan.unit(u)) else {
            return MentoringScope::Nothing;
        };
        let street = unit.kind == UnitKind::Street;
        if in_mentoring_task(plan, &unit.code, true) {
            MentoringScope::All
        } else if in_mentoring_task(plan, &unit.code, false) || street {
            MentoringScope::Unit {
                unit: unit.code.clone(),
                street,
                fund: unit.code == FUND_UNIT,
            }
        } else {
            MentoringScope::Nothing
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan() -> Plan {
        crate::plan::dongxihu()
    }

    fn staff(unit: &str) -> Actor {
        Actor {
            user_id: 1,
            username: "u".into(),
            role: Role::UnitStaff,
            unit_code: Some(unit.into()),
            employer_id: None,
            applicant_id: None,
        }
    }

    fn as_role(role: Role) -> Actor {
        Actor {
            role,
            unit_code: None,
            ..staff("")
        }
    }

    #[test]
    fn rsj_and_the_cooperating_units_open_mentorings_and_a_street_only_for_its_own_businesses() {
        let plan = plan();
        assert!(staff("rsj").may_open_mentoring(&plan, "jinghe"));
        assert!(staff("jkj").may_open_mentoring(&plan, "jinghe"));
        assert!(staff("nyncj").may_open_mentoring(&plan, "baiquan"));
        assert!(staff("jjgs").may_open_mentoring(&plan, "baiquan"));
        assert!(staff("jinghe").may_open_mentoring(&plan, "jinghe"));
        assert!(!staff("jinghe").may_open_mentoring(&plan, "changqing"));
        assert!(
            !staff("swj").may_open_mentoring(&plan, "jinghe"),
            "not of 2.3.2"
        );
        assert!(!as_role(Role::Admin).may_open_mentoring(&plan, "jinghe"));
        assert!(!as_role(Role::TaskForce).may_open_mentoring(&plan, "jinghe"));
        assert_eq!(staff("jkj").mentoring_opener(&plan), Some("jkj"));
        assert_eq!(staff("swj").mentoring_opener(&plan), None);
    }

    #[test]
    fn the_open_form_opens_for_the_units_that_open_mentorings_only() {
        let plan = plan();
        let gate = crate::access::Gate::MentoringForm { plan: &plan };
        assert_eq!(staff("rsj").may_pass(gate), Ok(()));
        assert_eq!(staff("jinghe").may_pass(gate), Ok(()));
        assert!(staff("swj").may_pass(gate).is_err());
        assert!(as_role(Role::TaskForce).may_pass(gate).is_err());
    }

    #[test]
    fn the_opening_unit_and_rsj_keep_a_mentoring_and_the_fund_records_financing_once_it_joined() {
        let plan = plan();
        assert!(staff("jkj").may_keep_mentoring(&plan, "jkj"));
        assert!(staff("rsj").may_keep_mentoring(&plan, "jkj"));
        assert!(!staff("jinghe").may_keep_mentoring(&plan, "jkj"));
        assert!(!staff("jjgs").may_keep_mentoring(&plan, "jkj"));
        assert!(staff("jjgs").may_record_financing(&plan, "jkj", true));
        assert!(!staff("jjgs").may_record_financing(&plan, "jkj", false));
        assert!(!staff("nyncj").may_record_financing(&plan, "jkj", true));
        assert!(!as_role(Role::Admin).may_keep_mentoring(&plan, "jkj"));
    }

    #[test]
    fn readers_are_the_opener_the_lead_the_businesss_street_and_the_fund_where_it_joined() {
        let plan = plan();
        assert_eq!(staff("rsj").mentoring_scope(&plan), MentoringScope::All);
        assert_eq!(
            as_role(Role::TaskForce).mentoring_scope(&plan),
            MentoringScope::All
        );
        let jinghe = staff("jinghe").mentoring_scope(&plan);
        assert!(
            jinghe.reaches("jkj", "jinghe", false),
            "its street's business"
        );
        assert!(jinghe.reaches("jinghe", "jinghe", false));
        assert!(
            !jinghe.reaches("rsj", "changqing", true),
            "another street's"
        );
        assert!(!jinghe.reaches_street("changqing"));
        assert!(jinghe.reaches_street("jinghe"));
        let jkj = staff("jkj").mentoring_scope(&plan);
        assert!(jkj.reaches("jkj", "changqing", false));
        assert!(!jkj.reaches("rsj", "changqing", true));
        let fund = staff("jjgs").mentoring_scope(&plan);
        assert!(fund.reaches("rsj", "changqing", true));
        assert!(!fund.reaches("rsj", "changqing", false));
        assert_eq!(staff("swj").mentoring_scope(&plan), MentoringScope::Nothing);
        assert_eq!(
            as_role(Role::Applicant).mentoring_scope(&plan),
            MentoringScope::Nothing
        );
    }
}
