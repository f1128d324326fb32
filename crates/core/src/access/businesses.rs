//! Who writes and reads returnee businesses and the project library (issue 13, items 1–2). A
//! street's staff keep the businesses of their street; the units leading part 二 of the plan
//! (返区创业: 区人社局, 区农业农村局) keep every street's. Projects are edited by the unit that
//! collected them and screened and published by the lead unit of task 2.1.2.

use super::{Actor, PeopleScope, Role};
use crate::plan::{Plan, UnitKind};
use crate::projects;

/// Does `unit` lead a task of part 二 (返区创业, tasks 2.x)?
fn leads_part_two(plan: &Plan, unit: &str) -> bool {
    plan.tasks
        .iter()
        .any(|t| t.code.starts_with("2.") && t.lead_units.iter().any(|l| l == unit))
}

/// Does `unit` lead or cooperate on a task of part 二?
fn works_on_part_two(plan: &Plan, unit: &str) -> bool {
    plan.tasks.iter().any(|t| {
        t.code.starts_with("2.")
            && (t.lead_units.iter().any(|l| l == unit)
                || t.cooperating_units.iter().any(|c| c == unit))
    })
}

impl Actor {
    /// The unit staff's own unit, if it is one of the plan's.
    pub(super) fn own_unit<'p>(&self, plan: &'p Plan) -> Option<&'p crate::plan::Unit> {
        if self.role != Role::UnitStaff {
            return None;
        }
        self.unit_code.as_deref().and_then(|c| plan.unit(c))
    }

    /// May this actor register or change a business of `street`? Its street's staff, and the
    /// staff of a unit leading part 二 for any street.
    pub fn may_write_business(&self, plan: &Plan, street: &str) -> bool {
        self.own_unit(plan).is_some_and(|unit| {
            (unit.kind == UnitKind::Street && unit.code == street)
                || leads_part_two(plan, &unit.code)
        })
    }

    /// Which streets' businesses this actor reads: a street's staff their own; the units of
    /// part 二 and the district's readers all; anyone else none.
    pub fn business_scope(&self, plan: &Plan) -> PeopleScope {
        match self.role {
            Role::Admin | Role::TaskForce | Role::Reviewer => PeopleScope::All,
            Role::Employer | Role::Applicant => PeopleScope::Nothing,
            Role::UnitStaff => match self.own_unit(plan) {
                Some(unit) if unit.kind == UnitKind::Street => {
                    PeopleScope::Street(unit.code.clone())
                }
                Some(unit) if works_on_part_two(plan, &unit.code) => PeopleScope::All,
                _ => PeopleScope::Nothing,
            },
        }
    }

    /// May this actor enter or edit projects collected by `source_unit`? Only that unit's own
    /// staff, and only if it collects projects for 2.1.2.
    pub fn may_collect_projects_for(&self, plan: &Plan, source_unit: &str) -> bool {
        self.own_unit(plan).is_some_and(|unit| {
            unit.code == source_unit && projects::source_units(plan).contains(&source_unit)
        })
    }

    /// May this actor screen projects into the library, drop them and publish them? The staff
    /// of the lead unit of 2.1.2 (区人社局).
    pub fn may_screen_projects(&self, plan: &Plan) -> bool {
        self.own_unit(plan).is_some_and(|unit| {
            plan.tasks
                .iter()
                .any(|t| t.code == projects::TASK && t.lead_units.contains(&unit.code))
        })
    }

    /// Reads the whole library in the console (projects hold no personal data): staff.
    pub fn may_read_projects(&self) -> bool {
        self.role.is_staff()
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
    fn a_street_writes_its_own_businesses_and_the_part_two_leads_write_any() {
        let plan = plan();
        assert!(staff("jinghe").may_write_business(&plan, "jinghe"));
        assert!(!staff("jinghe").may_write_business(&plan, "changqing"));
        assert!(staff("rsj").may_write_business(&plan, "changqing"));
        assert!(staff("nyncj").may_write_business(&plan, "jinghe"));
        assert!(!staff("swj").may_write_business(&plan, "jinghe"));
        assert!(!as_role(Role::TaskForce).may_write_business(&plan, "jinghe"));
        assert!(!as_role(Role::Admin).may_write_business(&plan, "jinghe"));
    }

    #[test]
    fn a_street_reads_only_its_own_businesses() {
        let plan = plan();
        let scope = staff("jinghe").business_scope(&plan);
        assert_eq!(scope, PeopleScope::Street("jinghe".into()));
        assert!(!scope.reaches("changqing"));
        assert_eq!(staff("rsj").business_scope(&plan), PeopleScope::All);
        assert_eq!(staff("swj").business_scope(&plan), PeopleScope::All);
        assert_eq!(
            as_role(Role::TaskForce).business_scope(&plan),
            PeopleScope::All
        );
        assert_eq!(
            as_role(Role::Employer).business_scope(&plan),
            PeopleScope::Nothing
        );
        let unconcerned = plan
            .units
            .iter()
            .find(|u| u.kind != UnitKind::Street && !works_on_part_two(&plan, &u.code))
            .unwrap();
        assert_eq!(
            staff(&unconcerned.code).business_scope(&plan),
            PeopleScope::Nothing
        );
    }

    #[test]
    fn only_the_collecting_unit_enters_its_projects() {
        let plan = plan();
        assert!(staff("swj").may_collect_projects_for(&plan, "swj"));
        assert!(!staff("swj").may_collect_projects_for(&plan, "jkj"));
        assert!(staff("rsj").may_collect_projects_for(&plan, "rsj"));
        assert!(!staff("jinghe").may_collect_projects_for(&plan, "jinghe"));
        assert!(!as_role(Role::Admin).may_collect_projects_for(&plan, "swj"));
    }

    #[test]
    fn only_the_lead_unit_of_2_1_2_screens_and_publishes_projects() {
        let plan = plan();
        assert!(staff("rsj").may_screen_projects(&plan));
        assert!(!staff("swj").may_screen_projects(&plan));
        assert!(!staff("nyncj").may_screen_projects(&plan));
        assert!(!as_role(Role::TaskForce).may_screen_projects(&plan));
        assert!(staff("jinghe").may_read_projects());
        assert!(!as_role(Role::Applicant).may_read_projects());
    }
}
