//! Who keeps and reads start-up carriers and follows their applications (tasks 1.2.2, 2.4.1).
//! A street's staff keep the carriers in their street; 区经科局 (lead of 1.2.2), 区农业农村局
//! (lead of 2.4.1) and 区人社局 (1.2.2: 负责创业孵化基地申报推荐工作) keep every street's. Any keeper
//! of a carrier recommends it for recognition; the later stages are recorded by 区人社局, which
//! reviews, and by the lead unit of the recognition's task.

use super::{Actor, PeopleScope, Role};
use crate::carriers::applications::{ApplicationKind, REVIEWING_UNIT};
use crate::carriers::{INCUBATOR_TASK, PARK_TASK};
use crate::plan::{Plan, UnitKind};

/// Does `unit` keep carriers in every street: a lead unit of 1.2.2 or 2.4.1, or a unit
/// cooperating on 1.2.2 (the incubators' own task)?
fn keeps_every_street(plan: &Plan, unit: &str) -> bool {
    plan.tasks.iter().any(|t| {
        let lead = t.lead_units.iter().any(|l| l == unit);
        let cooperates = t.cooperating_units.iter().any(|c| c == unit);
        (t.code == INCUBATOR_TASK && (lead || cooperates)) || (t.code == PARK_TASK && lead)
    })
}

/// Does `unit` lead or cooperate on 1.2.2 or 2.4.1?
fn works_on_carriers(plan: &Plan, unit: &str) -> bool {
    plan.tasks.iter().any(|t| {
        (t.code == INCUBATOR_TASK || t.code == PARK_TASK)
            && (t.lead_units.iter().any(|l| l == unit)
                || t.cooperating_units.iter().any(|c| c == unit))
    })
}

impl Actor {
    /// May this actor register or change a carrier of `street`, and move businesses in and out
    /// of it? Its street's staff, and the district keepers for any street.
    pub fn may_keep_carrier(&self, plan: &Plan, street: &str) -> bool {
        self.own_unit(plan).is_some_and(|unit| {
            if unit.kind == UnitKind::Street {
                unit.code == street
            } else {
                keeps_every_street(plan, &unit.code)
            }
        })
    }

    /// Which streets' carriers (with their residents and applications) this actor reads in the
    /// console: a street's staff their own; the units of 1.2.2 and 2.4.1 and the district's
    /// readers all; anyone else none. The portal shows every carrier's public facts.
    pub fn carrier_scope(&self, plan: &Plan) -> PeopleScope {
        match self.role {
            Role::Admin | Role::TaskForce | Role::Reviewer => PeopleScope::All,
            Role::Employer | Role::Applicant => PeopleScope::Nothing,
            Role::UnitStaff => match self.own_unit(plan) {
                Some(unit) if unit.kind == UnitKind::Street => {
                    PeopleScope::Street(unit.code.clone())
                }
                Some(unit) if works_on_carriers(plan, &unit.code) => PeopleScope::All,
                _ => PeopleScope::Nothing,
            },
        }
    }

    /// May this actor record the stages after the recommendation (区人社局审核, 报市里, 市级认定
    /// or 未通过) of an application of `kind`? 区人社局's staff, and the staff of the lead unit
    /// of the kind's task.
    pub fn may_follow_application(&self, plan: &Plan, kind: ApplicationKind) -> bool {
        self.own_unit(plan).is_some_and(|unit| {
            unit.code == REVIEWING_UNIT
                || plan
                    .tasks
                    .iter()
                    .any(|t| t.code == kind.task() && t.lead_units.contains(&unit.code))
        })
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
    fn jkj_nyncj_and_rsj_keep_every_streets_carriers_and_a_street_only_its_own() {
        let plan = plan();
        for unit in ["jkj", "nyncj", "rsj"] {
            assert!(staff(unit).may_keep_carrier(&plan, "cihui"), "{unit}");
        }
        assert!(staff("cihui").may_keep_carrier(&plan, "cihui"));
        assert!(!staff("cihui").may_keep_carrier(&plan, "baiquan"));
        for outsider in [staff("czj"), staff("swj"), as_role(Role::TaskForce)] {
            assert!(!outsider.may_keep_carrier(&plan, "cihui"));
        }
        assert!(!as_role(Role::Admin).may_keep_carrier(&plan, "cihui"));
    }

    #[test]
    fn a_street_reads_only_its_own_carriers() {
        let plan = plan();
        let scope = staff("baiquan").carrier_scope(&plan);
        assert_eq!(scope, PeopleScope::Street("baiquan".into()));
        assert!(!scope.reaches("cihui"));
        for unit in ["jkj", "nyncj", "rsj", "czj"] {
            assert_eq!(staff(unit).carrier_scope(&plan), PeopleScope::All, "{unit}");
        }
        assert_eq!(
            as_role(Role::TaskForce).carrier_scope(&plan),
            PeopleScope::All
        );
        assert_eq!(staff("swj").carrier_scope(&plan), PeopleScope::Nothing);
        assert_eq!(
            as_role(Role::Applicant).carrier_scope(&plan),
            PeopleScope::Nothing
        );
    }

    #[test]
    fn rsj_reviews_every_application_and_each_tasks_lead_follows_its_own() {
        let plan = plan();
        let (base, park) = (
            ApplicationKind::IncubationBase,
            ApplicationKind::ReturneePark,
        );
        assert!(staff("rsj").may_follow_application(&plan, base));
        assert!(staff("rsj").may_follow_application(&plan, park));
        assert!(staff("jkj").may_follow_application(&plan, base));
        assert!(!staff("jkj").may_follow_application(&plan, park));
        assert!(staff("nyncj").may_follow_application(&plan, park));
        assert!(!staff("nyncj").may_follow_application(&plan, base));
        assert!(!staff("cihui").may_follow_application(&plan, base));
        assert!(!as_role(Role::TaskForce).may_follow_application(&plan, base));
    }
}
