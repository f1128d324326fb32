//! Who keeps the expert pool (task 2.1.3) and who reads its service records. The pool itself
//! (names, fields, masked phones) is a district resource every staff member may consult; the
//! service records name returnees, so they are scoped like the people they serve.

use super::{Actor, Role};
use crate::experts::EXPERT_TASK;
use crate::plan::{Plan, UnitKind};

/// Which service records of the expert pool an actor reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ServiceScope {
    All,
    /// A cooperating unit: the services it recorded or given by experts it recommended.
    Unit(String),
    /// A street: the services given to residents of its household street.
    Street(String),
    Nothing,
}

impl ServiceScope {
    /// Does this scope reach a service recorded by `recorded_by`, given by an expert that
    /// `recommended_by` recommended, to a resident of `street`?
    pub fn reaches(&self, recorded_by: &str, recommended_by: &str, street: &str) -> bool {
        match self {
            ServiceScope::All => true,
            ServiceScope::Unit(unit) => unit == recorded_by || unit == recommended_by,
            ServiceScope::Street(own) => own == street,
            ServiceScope::Nothing => false,
        }
    }
}

/// Is `unit` one of task 2.1.3's units: `lead` ones only, or lead and cooperating?
fn in_expert_task(plan: &Plan, unit: &str, lead_only: bool) -> bool {
    plan.tasks.iter().any(|t| {
        t.code == EXPERT_TASK
            && (t.lead_units.iter().any(|u| u == unit)
                || (!lead_only && t.cooperating_units.iter().any(|u| u == unit)))
    })
}

impl Actor {
    /// The actor's unit, if they are a unit's staff.
    pub(super) fn staff_unit(&self) -> Option<&str> {
        (self.role == Role::UnitStaff)
            .then_some(self.unit_code.as_deref())
            .flatten()
    }

    /// Recommends experts to the pool: the staff of task 2.1.3's lead and cooperating units
    /// (区人社局 and the ten units that 配合提供人才信息).
    pub fn may_recommend_experts(&self, plan: &Plan) -> bool {
        self.staff_unit()
            .is_some_and(|unit| in_expert_task(plan, unit, false))
    }

    /// Edits an expert and records the services they give: the staff of the unit that
    /// recommended them, and of the task's lead unit, which 统筹汇总.
    pub fn may_keep_expert(&self, plan: &Plan, recommended_by: &str) -> bool {
        self.staff_unit().is_some_and(|unit| {
            in_expert_task(plan, unit, false)
                && (unit == recommended_by || in_expert_task(plan, unit, true))
        })
    }

    /// Consults the pool (names, fields, masked phones): any staff member, to point a
    /// returnee to the right expert.
    pub fn may_consult_expert_pool(&self) -> bool {
        self.role.is_staff()
    }

    /// Which service records this actor reads.
    pub fn expert_service_scope(&self, plan: &Plan) -> ServiceScope {
        if self.role.reads_all_units() {
            return ServiceScope::All;
        }
        let Some(unit) = self.staff_unit() else {
            return ServiceScope::Nothing;
        };
        if in_expert_task(plan, unit, true) {
            ServiceScope::All
        } else if in_expert_task(plan, unit, false) {
            ServiceScope::Unit(unit.to_owned())
        } else if plan.unit(unit).is_some_and(|u| u.kind == UnitKind::Street) {
            ServiceScope::Street(unit.to_owned())
        } else {
            ServiceScope::Nothing
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
            ..staff("rsj")
        }
    }

    #[test]
    fn the_lead_and_the_ten_cooperating_units_recommend_experts_and_no_one_else() {
        let plan = plan();
        for unit in [
            "rsj",
            "jkj",
            "fgj",
            "nyncj",
            "jyj",
            "zjj",
            "swj",
            "sfj",
            "gsl",
            "tuanquwei",
            "kx",
        ] {
            assert!(staff(unit).may_recommend_experts(&plan), "{unit}");
        }
        assert!(!staff("jinghe").may_recommend_experts(&plan));
        assert!(!staff("xzspj").may_recommend_experts(&plan));
        assert!(!as_role(Role::TaskForce).may_recommend_experts(&plan));
        assert!(!as_role(Role::Admin).may_recommend_experts(&plan));
    }

    #[test]
    fn the_expert_form_opens_for_the_units_that_recommend_and_no_one_else() {
        let plan = plan();
        let gate = crate::access::Gate::ExpertForm { plan: &plan };
        assert_eq!(staff("kx").may_pass(gate), Ok(()));
        assert!(staff("jinghe").may_pass(gate).is_err());
    }

    #[test]
    fn an_expert_is_kept_by_the_recommending_unit_and_the_lead_unit() {
        let plan = plan();
        assert!(staff("sfj").may_keep_expert(&plan, "sfj"));
        assert!(staff("rsj").may_keep_expert(&plan, "sfj"));
        assert!(!staff("jkj").may_keep_expert(&plan, "sfj"));
        assert!(!staff("jinghe").may_keep_expert(&plan, "jinghe"));
        assert!(!as_role(Role::Reviewer).may_keep_expert(&plan, "sfj"));
    }

    #[test]
    fn every_staff_member_consults_the_pool_but_employers_and_applicants_do_not() {
        assert!(staff("jinghe").may_consult_expert_pool());
        assert!(as_role(Role::TaskForce).may_consult_expert_pool());
        assert!(!as_role(Role::Employer).may_consult_expert_pool());
        assert!(!as_role(Role::Applicant).may_consult_expert_pool());
    }

    #[test]
    fn services_are_read_by_the_lead_all_a_cooperating_unit_its_own_and_a_street_its_residents() {
        let plan = plan();
        assert_eq!(staff("rsj").expert_service_scope(&plan), ServiceScope::All);
        assert_eq!(
            as_role(Role::TaskForce).expert_service_scope(&plan),
            ServiceScope::All
        );
        let sfj = staff("sfj").expert_service_scope(&plan);
        assert!(sfj.reaches("sfj", "rsj", "jinghe"));
        assert!(
            sfj.reaches("rsj", "sfj", "jinghe"),
            "its own expert's service"
        );
        assert!(!sfj.reaches("rsj", "jkj", "jinghe"));
        let jinghe = staff("jinghe").expert_service_scope(&plan);
        assert!(jinghe.reaches("rsj", "jkj", "jinghe"));
        assert!(!jinghe.reaches("rsj", "jkj", "changqing"));
        assert_eq!(
            staff("xzspj").expert_service_scope(&plan),
            ServiceScope::Nothing
        );
        assert_eq!(
            as_role(Role::Employer).expert_service_scope(&plan),
            ServiceScope::Nothing
        );
    }
}
