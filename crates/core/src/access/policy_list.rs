//! Who keeps the policy list (政策清单, issue 14 item 1): 区科服中心's staff, whom the plan gives
//! the list (任务 1.2.1: "收集涉企政策并制定政策清单"), and the task force and admins. Published
//! entries are public: anyone reads them, signed in or not.

use super::{Actor, Role};
use crate::policy_list::MAINTAINING_UNIT;

impl Actor {
    /// Creates, edits, publishes and withdraws entries of the policy list, and reads its
    /// drafts and versions.
    pub fn may_keep_policy_list(&self) -> bool {
        match self.role {
            Role::Admin | Role::TaskForce => true,
            Role::UnitStaff => self.unit_code.as_deref() == Some(MAINTAINING_UNIT),
            Role::Reviewer | Role::Employer | Role::Applicant => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(role: Role, unit: Option<&str>) -> Actor {
        Actor {
            user_id: 1,
            username: "u".into(),
            role,
            unit_code: unit.map(str::to_owned),
            employer_id: None,
            applicant_id: None,
        }
    }

    #[test]
    fn the_science_service_centre_the_task_force_and_admins_keep_the_policy_list() {
        assert!(actor(Role::UnitStaff, Some("kfzx")).may_keep_policy_list());
        assert!(actor(Role::TaskForce, None).may_keep_policy_list());
        assert!(actor(Role::Admin, None).may_keep_policy_list());
    }

    #[test]
    fn a_street_another_unit_a_reviewer_or_an_employer_may_not_keep_it() {
        assert!(!actor(Role::UnitStaff, Some("jinghe")).may_keep_policy_list());
        assert!(!actor(Role::UnitStaff, Some("rsj")).may_keep_policy_list());
        assert!(!actor(Role::Reviewer, None).may_keep_policy_list());
        assert!(!actor(Role::Employer, None).may_keep_policy_list());
        assert!(!actor(Role::Applicant, None).may_keep_policy_list());
    }
}
