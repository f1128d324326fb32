//! Who keeps the title applications and the HR agencies' special actions of task 2.4.4. Each
//! unit of 2.4.4 (区人社局, 区农业农村局, 区科服中心, the streets) records for itself alone:
//! applications it took in and their results, actions it organised and their services.
//! Readers: applications name a person, so the lead (区人社局) and the district's readers see
//! every unit's, a unit of 2.4.4 its own; actions and services hold no personal data and every
//! staff member reads them.

use super::{Actor, Role};
use crate::plan::Plan;
use crate::skills::{TASK, in_task};

/// Which title applications an actor reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TitleScope {
    All,
    /// A unit of 2.4.4: the applications it recorded.
    Unit(String),
    Nothing,
}

impl TitleScope {
    /// Does the scope reach the applications recorded by `unit`?
    pub fn reaches(&self, unit: &str) -> bool {
        match self {
            TitleScope::All => true,
            TitleScope::Unit(own) => own == unit,
            TitleScope::Nothing => false,
        }
    }
}

impl Actor {
    /// The unit this actor records title applications and HR actions for: its own, if it is
    /// one of 2.4.4's units and the actor is its staff.
    pub fn titles_unit<'p>(&self, plan: &'p Plan) -> Option<&'p str> {
        let unit = plan.unit(self.staff_unit()?)?;
        in_task(plan, &unit.code).then_some(unit.code.as_str())
    }

    /// May this actor record for `unit` (a result of its application, a service of its
    /// action)? That unit's own staff only.
    pub fn may_keep_titles_of(&self, plan: &Plan, unit: &str) -> bool {
        self.titles_unit(plan) == Some(unit)
    }

    /// Which title applications this actor reads.
    pub fn title_scope(&self, plan: &Plan) -> TitleScope {
        let leads = |unit: &str| {
            plan.tasks
                .iter()
                .any(|t| t.code == TASK && t.lead_units.iter().any(|u| u == unit))
        };
        if self.role.reads_all_units() {
            return TitleScope::All;
        }
        match self.titles_unit(plan) {
            Some(unit) if leads(unit) => TitleScope::All,
            Some(unit) if self.role == Role::UnitStaff => TitleScope::Unit(unit.to_owned()),
            _ => TitleScope::Nothing,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::Gate;
    use crate::access::test_actors::{as_role, staff};

    #[test]
    fn the_units_of_2_4_4_record_titles_and_actions_for_themselves_only() {
        let plan = crate::plan::dongxihu();
        assert_eq!(staff("rsj").titles_unit(&plan), Some("rsj"));
        assert_eq!(staff("kfzx").titles_unit(&plan), Some("kfzx"));
        assert_eq!(staff("jinghe").titles_unit(&plan), Some("jinghe"));
        assert_eq!(staff("gaj").titles_unit(&plan), None);
        assert_eq!(as_role(Role::TaskForce).titles_unit(&plan), None);
        assert!(staff("jinghe").may_keep_titles_of(&plan, "jinghe"));
        assert!(!staff("jinghe").may_keep_titles_of(&plan, "changqing"));
        assert!(!staff("rsj").may_keep_titles_of(&plan, "jinghe"));
        for gate in [
            Gate::TitleForm { plan: &plan },
            Gate::HrActionForm { plan: &plan },
        ] {
            assert_eq!(staff("nyncj").may_pass(gate), Ok(()));
            assert!(staff("gaj").may_pass(gate).is_err());
            assert!(as_role(Role::TaskForce).may_pass(gate).is_err());
        }
    }

    #[test]
    fn the_lead_and_the_task_force_read_every_application_a_street_its_own() {
        let plan = crate::plan::dongxihu();
        assert_eq!(staff("rsj").title_scope(&plan), TitleScope::All);
        assert_eq!(as_role(Role::TaskForce).title_scope(&plan), TitleScope::All);
        let street = staff("jinghe").title_scope(&plan);
        assert!(street.reaches("jinghe") && !street.reaches("changqing"));
        assert_eq!(staff("gaj").title_scope(&plan), TitleScope::Nothing);
        assert_eq!(
            as_role(Role::Applicant).title_scope(&plan),
            TitleScope::Nothing
        );
    }
}
