//! Who runs the promotion events of task 2.5.1 (返区创业推介, 产业对接): the appendix gives one
//! a year to each street and the lead units (区人社局, 区农业农村局) gather the figures and hold
//! district-wide ones.

use super::{Actor, Role, Roster, may_import};
use crate::plan::{Plan, UnitKind};

/// The plan's task of the promotion events.
pub const PROMOTION_TASK: &str = "2.5.1";

fn leads_promotion(plan: &Plan, unit: &str) -> bool {
    plan.tasks
        .iter()
        .any(|t| t.code == PROMOTION_TASK && t.lead_units.iter().any(|l| l == unit))
}

/// May `unit` organise a promotion event? A street, or a lead unit of 2.5.1.
pub fn may_organise_promotion(plan: &Plan, unit: &str) -> bool {
    plan.unit(unit).is_some_and(|u| u.kind == UnitKind::Street) || leads_promotion(plan, unit)
}

impl Actor {
    /// Invites people to a promotion event organised by `organiser` and records who came:
    /// whoever records the organiser's events (its staff, the task force, admins), and the
    /// staff of a lead unit of 2.5.1, who invite for the streets' events too. Which people
    /// they reach is the registry's scope ([`Actor::people_scope`]).
    pub fn may_run_promotion(&self, plan: &Plan, organiser: &str) -> bool {
        self.may_record_event_for(organiser)
            || (self.role == Role::UnitStaff
                && self
                    .unit_code
                    .as_deref()
                    .is_some_and(|u| leads_promotion(plan, u)))
    }

    /// Adds a person of a neighbouring district to the out-migrant registry, filed under
    /// `street`: the staff of a unit that imports the registry (a street, or a lead unit of
    /// 2.1.1) who reach that street — a street only under itself.
    pub fn may_register_neighbour(&self, plan: &Plan, street: &str) -> bool {
        self.role == Role::UnitStaff
            && self
                .unit_code
                .as_deref()
                .is_some_and(|u| may_import(plan, u, Roster::Migrants))
            && self.people_scope(plan, Roster::Migrants).reaches(street)
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

    #[test]
    fn streets_and_the_lead_units_organise_promotion_events() {
        let plan = plan();
        for unit in ["jinghe", "changqinghuayuan", "rsj", "nyncj"] {
            assert!(may_organise_promotion(&plan, unit), "{unit}");
        }
        // Cooperating units bring chambers of commerce; they do not hold the events.
        for unit in ["swj", "gsl", "gaoxin", "atlantis"] {
            assert!(!may_organise_promotion(&plan, unit), "{unit}");
        }
    }

    #[test]
    fn a_street_runs_its_own_promotion_events_and_the_leads_run_every_one() {
        let plan = plan();
        assert!(staff("jinghe").may_run_promotion(&plan, "jinghe"));
        assert!(!staff("jinghe").may_run_promotion(&plan, "changqing"));
        assert!(staff("rsj").may_run_promotion(&plan, "changqing"));
        assert!(staff("nyncj").may_run_promotion(&plan, "jinghe"));
        assert!(!staff("swj").may_run_promotion(&plan, "jinghe"));
        let taskforce = Actor {
            role: Role::TaskForce,
            unit_code: None,
            ..staff("x")
        };
        assert!(taskforce.may_run_promotion(&plan, "jinghe"));
    }

    #[test]
    fn a_street_files_neighbouring_people_only_under_itself() {
        let plan = plan();
        assert!(staff("jinghe").may_register_neighbour(&plan, "jinghe"));
        assert!(!staff("jinghe").may_register_neighbour(&plan, "changqing"));
        assert!(staff("rsj").may_register_neighbour(&plan, "changqing"));
        assert!(!staff("swj").may_register_neighbour(&plan, "jinghe"));
    }
}
