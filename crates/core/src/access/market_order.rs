//! Who keeps and reads the labour-market order of task 1.3.4. 区人社局 (lead) starts special
//! actions, opens cases from complaints and publishes the portal's notices; every unit of 1.3.4
//! (区公安分局, 区市场监管局, the streets) records its own inspections, and the inspecting unit
//! or the lead closes their rectification. Readers: the lead and the task force everything; a
//! cooperating unit the actions and its own inspections.

use super::{Actor, Role};
use crate::market_order::{TASK, in_task};
use crate::plan::Plan;

/// Which inspections an actor reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MarketOrderScope {
    All,
    /// A cooperating unit: its own inspections.
    Unit(String),
    Nothing,
}

impl MarketOrderScope {
    /// Does the scope reach the inspections of `unit`?
    pub fn reaches(&self, unit: &str) -> bool {
        match self {
            MarketOrderScope::All => true,
            MarketOrderScope::Unit(own) => own == unit,
            MarketOrderScope::Nothing => false,
        }
    }
}

fn leads(plan: &Plan, unit: &str) -> bool {
    plan.tasks
        .iter()
        .any(|t| t.code == TASK && t.lead_units.iter().any(|u| u == unit))
}

impl Actor {
    /// The unit this actor records inspections for: its own, if it is one of 1.3.4's units.
    pub fn market_order_unit<'p>(&self, plan: &'p Plan) -> Option<&'p str> {
        let unit = plan.unit(self.staff_unit()?)?;
        in_task(plan, &unit.code).then_some(unit.code.as_str())
    }

    /// May this actor start actions, open cases and publish notices? 1.3.4's lead's staff.
    pub fn may_lead_market_order(&self, plan: &Plan) -> bool {
        self.staff_unit().is_some_and(|unit| leads(plan, unit))
    }

    /// May this actor close the rectification of an inspection by `inspected_by`? Its unit's
    /// staff and the lead's.
    pub fn may_close_rectification(&self, plan: &Plan, inspected_by: &str) -> bool {
        self.staff_unit()
            .is_some_and(|unit| unit == inspected_by || leads(plan, unit))
    }

    /// Which inspections this actor reads.
    pub fn market_order_scope(&self, plan: &Plan) -> MarketOrderScope {
        if self.role.reads_all_units() || self.may_lead_market_order(plan) {
            return MarketOrderScope::All;
        }
        match self.market_order_unit(plan) {
            Some(unit) if self.role == Role::UnitStaff => MarketOrderScope::Unit(unit.to_owned()),
            _ => MarketOrderScope::Nothing,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::Gate;

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
    fn the_units_of_1_3_4_record_inspections_and_only_rsj_leads() {
        let plan = crate::plan::dongxihu();
        assert_eq!(staff("gaj").market_order_unit(&plan), Some("gaj"));
        assert_eq!(staff("jinghe").market_order_unit(&plan), Some("jinghe"));
        assert_eq!(staff("jkj").market_order_unit(&plan), None, "not of 1.3.4");
        assert!(staff("rsj").may_lead_market_order(&plan));
        assert!(!staff("scjgj").may_lead_market_order(&plan));
        assert!(!as_role(Role::Admin).may_lead_market_order(&plan));
        assert!(staff("rsj").may_close_rectification(&plan, "gaj"));
        assert!(staff("gaj").may_close_rectification(&plan, "gaj"));
        assert!(!staff("jinghe").may_close_rectification(&plan, "gaj"));
        let form = Gate::MarketInspectionForm { plan: &plan };
        assert_eq!(staff("scjgj").may_pass(form), Ok(()));
        assert!(staff("jkj").may_pass(form).is_err());
        let lead = Gate::MarketOrderLead { plan: &plan };
        assert_eq!(staff("rsj").may_pass(lead), Ok(()));
        assert!(staff("gaj").may_pass(lead).is_err());
    }

    #[test]
    fn the_lead_and_the_task_force_read_every_inspection_a_cooperating_unit_its_own() {
        let plan = crate::plan::dongxihu();
        assert_eq!(
            staff("rsj").market_order_scope(&plan),
            MarketOrderScope::All
        );
        assert_eq!(
            as_role(Role::TaskForce).market_order_scope(&plan),
            MarketOrderScope::All
        );
        let gaj = staff("gaj").market_order_scope(&plan);
        assert!(gaj.reaches("gaj") && !gaj.reaches("jinghe"));
        assert_eq!(
            staff("jkj").market_order_scope(&plan),
            MarketOrderScope::Nothing
        );
        assert_eq!(
            as_role(Role::Applicant).market_order_scope(&plan),
            MarketOrderScope::Nothing
        );
    }
}
