//! Who reads and writes failure-support cases (task 2.3.4). A case belongs to its responsible
//! street (the closed business's street, or the household street of a hand-opened case's
//! person); the street and 区人社局 (the task's lead unit) keep it: they open it, plan its
//! steps, record the wish to start again and close it. A unit given one of its steps sees the
//! case and records its own steps as done. The district's readers read every case.

use super::{Actor, Role};
use crate::failure::{lead_unit, support_units};
use crate::plan::{Plan, UnitKind};

/// Which cases an actor reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FailureScope {
    All,
    /// A street: its own cases, and those with a step given to it.
    Street(String),
    /// A cooperating unit of 2.3.4: the cases with a step given to it.
    Unit(String),
    Nothing,
}

/// What of a case decides who reaches it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FailureReach<'a> {
    pub street: &'a str,
    /// The units responsible for the case's steps.
    pub step_units: &'a [&'a str],
}

impl FailureScope {
    pub fn reaches(&self, case: FailureReach<'_>) -> bool {
        let has_step = |unit: &str| case.step_units.contains(&unit);
        match self {
            FailureScope::All => true,
            FailureScope::Street(own) => case.street == own || has_step(own),
            FailureScope::Unit(own) => has_step(own),
            FailureScope::Nothing => false,
        }
    }

    /// May a list be asked for the cases of `street`? A street only for its own.
    pub fn allows_street(&self, street: &str) -> bool {
        match self {
            FailureScope::Street(own) => own == street,
            FailureScope::All | FailureScope::Unit(_) => true,
            FailureScope::Nothing => false,
        }
    }
}

impl Actor {
    fn is_failure_lead(&self, plan: &Plan) -> bool {
        self.role == Role::UnitStaff
            && self.unit_code.is_some()
            && self.unit_code.as_deref() == lead_unit(plan)
    }

    /// Which failure-support cases this actor reads.
    pub fn failure_scope(&self, plan: &Plan) -> FailureScope {
        if self.role.reads_all_units() || self.is_failure_lead(plan) {
            return FailureScope::All;
        }
        match self.own_unit(plan) {
            Some(unit) if !support_units(plan).contains(&unit.code.as_str()) => {
                FailureScope::Nothing
            }
            Some(unit) if unit.kind == UnitKind::Street => FailureScope::Street(unit.code.clone()),
            Some(unit) => FailureScope::Unit(unit.code.clone()),
            None => FailureScope::Nothing,
        }
    }

    /// Opens a case of `street` by hand, plans its steps, records the wish to start again and
    /// closes it: 区人社局's staff for any street, a street's staff for their own.
    pub fn may_keep_failure_case(&self, plan: &Plan, street: &str) -> bool {
        self.is_failure_lead(plan)
            || self
                .own_unit(plan)
                .is_some_and(|u| u.kind == UnitKind::Street && u.code == street)
    }

    /// Opens cases by hand at all (the form's door): 区人社局's and the streets' staff.
    pub fn may_open_failure_cases(&self, plan: &Plan) -> bool {
        self.is_failure_lead(plan)
            || self
                .own_unit(plan)
                .is_some_and(|u| u.kind == UnitKind::Street)
    }

    /// Records a step of a case of `street` given to `step_unit` as done: that unit's staff,
    /// and the case's keepers.
    pub fn may_record_step_done(&self, plan: &Plan, street: &str, step_unit: &str) -> bool {
        self.own_unit(plan).is_some_and(|u| u.code == step_unit)
            || self.may_keep_failure_case(plan, street)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan() -> Plan {
        Plan::parse(include_str!("../../../../plans/dongxihu-2025-2027.toml")).unwrap()
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

    fn case<'a>(street: &'a str, step_units: &'a [&'a str]) -> FailureReach<'a> {
        FailureReach { street, step_units }
    }

    #[test]
    fn a_street_reads_its_own_cases_and_is_refused_another_streets() {
        let scope = staff("jinghe").failure_scope(&plan());
        assert_eq!(scope, FailureScope::Street("jinghe".into()));
        assert!(scope.reaches(case("jinghe", &[])));
        assert!(!scope.reaches(case("changqing", &["rsj", "mzj"])));
        assert!(!scope.allows_street("changqing"));
        assert!(scope.allows_street("jinghe"));
    }

    #[test]
    fn the_lead_unit_and_the_district_readers_read_every_case() {
        let plan = plan();
        assert_eq!(staff("rsj").failure_scope(&plan), FailureScope::All);
        let task_force = Actor {
            role: Role::TaskForce,
            unit_code: None,
            ..staff("rsj")
        };
        assert_eq!(task_force.failure_scope(&plan), FailureScope::All);
        assert!(!task_force.may_keep_failure_case(&plan, "jinghe"));
    }

    #[test]
    fn a_unit_given_a_step_reads_that_case_and_records_its_own_steps_only() {
        let plan = plan();
        let scope = staff("mzj").failure_scope(&plan);
        assert_eq!(scope, FailureScope::Unit("mzj".into()));
        assert!(scope.reaches(case("changqing", &["rsj", "mzj"])));
        assert!(!scope.reaches(case("changqing", &["rsj"])));
        assert!(staff("mzj").may_record_step_done(&plan, "changqing", "mzj"));
        assert!(!staff("mzj").may_record_step_done(&plan, "changqing", "rsj"));
        assert!(!staff("mzj").may_keep_failure_case(&plan, "changqing"));
        assert!(staff("changqing").may_record_step_done(&plan, "changqing", "mzj"));
        assert!(staff("rsj").may_record_step_done(&plan, "changqing", "mzj"));
    }

    #[test]
    fn a_unit_outside_2_3_4_reads_no_case() {
        assert_eq!(staff("swj").failure_scope(&plan()), FailureScope::Nothing);
        let employer = Actor {
            role: Role::Employer,
            unit_code: None,
            ..staff("rsj")
        };
        assert_eq!(employer.failure_scope(&plan()), FailureScope::Nothing);
    }

    #[test]
    fn a_street_keeps_only_its_own_cases_and_rsj_keeps_any() {
        let plan = plan();
        assert!(staff("jinghe").may_keep_failure_case(&plan, "jinghe"));
        assert!(!staff("jinghe").may_keep_failure_case(&plan, "changqing"));
        assert!(staff("rsj").may_keep_failure_case(&plan, "changqing"));
        assert!(!staff("czj").may_keep_failure_case(&plan, "changqing"));
        assert!(staff("jinghe").may_open_failure_cases(&plan));
        assert!(!staff("mzj").may_open_failure_cases(&plan));
    }
}
