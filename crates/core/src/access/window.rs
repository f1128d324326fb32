//! Who keeps the service window's log (task 2.3.1) and who reads which visits. The keepers (the
//! task's lead unit and 区行政审批局, which runs the counters) log and answer; a department sees
//! what it logged or was referred and follows its referrals up; a street sees the visits of
//! its residents (and of walk-ins who give its street).

use super::Actor;
use crate::plan::{Plan, UnitKind};
use crate::window::window_keepers;

/// Which visits an actor reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VisitScope {
    All,
    /// A department: the visits it logged or was referred.
    Unit(String),
    /// A street: visits of residents of its household street, and of walk-ins giving it.
    Street(String),
    Nothing,
}

/// What of a visit decides who reaches it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VisitReach<'a> {
    /// The household street of the registered resident, or the street a walk-in gave.
    pub street: Option<&'a str>,
    pub logged_by: Option<&'a str>,
    pub referred_to: Option<&'a str>,
}

impl VisitScope {
    pub fn reaches(&self, visit: VisitReach<'_>) -> bool {
        match self {
            VisitScope::All => true,
            VisitScope::Unit(unit) => {
                visit.logged_by == Some(unit.as_str()) || visit.referred_to == Some(unit.as_str())
            }
            VisitScope::Street(own) => visit.street == Some(own.as_str()),
            VisitScope::Nothing => false,
        }
    }

    /// May a list be asked for the visits of `street`? A street only for its own; the others
    /// narrow what they reach.
    pub fn allows_street(&self, street: &str) -> bool {
        match self {
            VisitScope::Street(own) => own == street,
            VisitScope::All | VisitScope::Unit(_) => true,
            VisitScope::Nothing => false,
        }
    }
}

impl Actor {
    /// Logs visits at the counter and answers portal questions: the keepers' staff.
    pub fn may_keep_window(&self, plan: &Plan) -> bool {
        self.staff_unit()
            .is_some_and(|unit| window_keepers(plan).contains(&unit))
    }

    /// Records follow-ups of a referral to `referred_to` and closes it: that unit's staff.
    pub fn may_follow_up(&self, referred_to: &str) -> bool {
        self.staff_unit() == Some(referred_to)
    }

    /// Which visits this actor reads.
    pub fn visit_scope(&self, plan: &Plan) -> VisitScope {
        if self.role.reads_all_units() || self.may_keep_window(plan) {
            return VisitScope::All;
        }
        match self
            .staff_unit()
            .and_then(|code| plan.unit(code))
            .map(|u| (u.code.clone(), u.kind))
        {
            Some((code, UnitKind::Street)) => VisitScope::Street(code),
            Some((code, _)) => VisitScope::Unit(code),
            None => VisitScope::Nothing,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::Role;

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

    fn visit<'a>(
        street: Option<&'a str>,
        logged_by: Option<&'a str>,
        referred_to: Option<&'a str>,
    ) -> VisitReach<'a> {
        VisitReach {
            street,
            logged_by,
            referred_to,
        }
    }

    #[test]
    fn the_window_is_kept_by_rsj_and_the_counters_unit_only() {
        let plan = plan();
        assert!(staff("rsj").may_keep_window(&plan));
        assert!(staff("xzspj").may_keep_window(&plan));
        assert!(!staff("nyncj").may_keep_window(&plan));
        assert!(!staff("jinghe").may_keep_window(&plan));
        let task_force = Actor {
            role: Role::TaskForce,
            unit_code: None,
            ..staff("rsj")
        };
        assert!(!task_force.may_keep_window(&plan));
        assert_eq!(task_force.visit_scope(&plan), VisitScope::All);
    }

    #[test]
    fn the_visit_form_opens_for_the_keepers_only() {
        let plan = plan();
        let gate = crate::access::Gate::WindowForm { plan: &plan };
        assert_eq!(staff("xzspj").may_pass(gate), Ok(()));
        assert!(staff("nyncj").may_pass(gate).is_err());
        assert!(staff("jinghe").may_pass(gate).is_err());
    }

    #[test]
    fn a_street_reads_only_visits_of_its_residents_and_of_walk_ins_giving_its_street() {
        let scope = staff("jinghe").visit_scope(&plan());
        assert_eq!(scope, VisitScope::Street("jinghe".into()));
        assert!(scope.reaches(visit(Some("jinghe"), Some("xzspj"), None)));
        assert!(!scope.reaches(visit(Some("changqing"), Some("xzspj"), Some("jinghe"))));
        assert!(!scope.reaches(visit(None, Some("xzspj"), None)));
        assert!(scope.allows_street("jinghe"));
        assert!(!scope.allows_street("changqing"));
        assert!(VisitScope::All.allows_street("changqing"));
    }

    #[test]
    fn a_department_reads_what_it_logged_or_was_referred() {
        let scope = staff("nyncj").visit_scope(&plan());
        assert!(scope.reaches(visit(Some("jinghe"), Some("xzspj"), Some("nyncj"))));
        assert!(!scope.reaches(visit(Some("jinghe"), Some("xzspj"), Some("swj"))));
        assert!(
            !scope.reaches(visit(None, None, None)),
            "a waiting portal question"
        );
        assert_eq!(staff("rsj").visit_scope(&plan()), VisitScope::All);
    }

    #[test]
    fn only_the_referred_units_staff_follow_a_referral_up() {
        assert!(staff("nyncj").may_follow_up("nyncj"));
        assert!(!staff("xzspj").may_follow_up("nyncj"));
        let admin = Actor {
            role: Role::Admin,
            unit_code: None,
            ..staff("nyncj")
        };
        assert!(!admin.may_follow_up("nyncj"));
    }
}
