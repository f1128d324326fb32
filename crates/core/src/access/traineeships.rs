//! Who keeps the traineeship bases and who records traineeships and courses (task 1.1.4).
//! 区人社局, the task's lead, recognises and withdraws the bases; every staff member reads
//! them (places, no personal data beyond a masked contact phone). A graduate's traineeships
//! and courses are recorded, and their outcomes kept, by whoever serves the graduate
//! ([`Actor::may_serve_graduate`]: their street, or 区人社局); they are read as the roster is.

use super::{Actor, Role};
use crate::plan::Plan;
use crate::traineeships::TASK;

impl Actor {
    /// Recognises, lists the contacts of and withdraws traineeship bases: the staff of a lead
    /// unit of 1.1.4.
    pub fn may_keep_traineeship_bases(&self, plan: &Plan) -> bool {
        let Some(unit) = self.unit_code.as_deref() else {
            return false;
        };
        self.role == Role::UnitStaff
            && plan
                .tasks
                .iter()
                .any(|t| t.code == TASK && t.lead_units.iter().any(|l| l == unit))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::Gate;

    fn staff(unit: &str) -> Actor {
        Actor {
            user_id: 1,
            username: format!("{unit}01"),
            role: Role::UnitStaff,
            unit_code: Some(unit.into()),
            employer_id: None,
            applicant_id: None,
        }
    }

    #[test]
    fn only_rsj_keeps_the_traineeship_bases() {
        let plan = crate::plan::dongxihu();
        assert!(staff("rsj").may_keep_traineeship_bases(&plan));
        assert!(!staff("jinghe").may_keep_traineeship_bases(&plan));
        assert!(!staff("swj").may_keep_traineeship_bases(&plan));
        let task_force = Actor {
            role: Role::TaskForce,
            unit_code: None,
            ..staff("rsj")
        };
        assert!(!task_force.may_keep_traineeship_bases(&plan));
        let gate = Gate::TraineeshipBaseForm { plan: &plan };
        assert_eq!(staff("rsj").may_pass(gate), Ok(()));
        assert!(staff("jinghe").may_pass(gate).is_err());
    }

    #[test]
    fn a_street_places_its_own_graduates_and_rsj_every_streets() {
        let plan = crate::plan::dongxihu();
        assert!(staff("jinghe").may_serve_graduate(&plan, "jinghe"));
        assert!(!staff("jinghe").may_serve_graduate(&plan, "changqing"));
        assert!(staff("rsj").may_serve_graduate(&plan, "changqing"));
    }

    #[test]
    fn the_bases_api_holds_rows_about_employers_not_people() {
        use crate::access::Reach;
        assert_eq!(
            Reach::of(true, "/api/v1/traineeships/bases"),
            Reach::Rows,
            "a base's name is not a person's: a token's answer keeps it"
        );
    }
}
