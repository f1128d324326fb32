//! Who imports the social-insurance enrolment list (参保名单): 区人社局, which receives it from
//! the 社保 system, and the administrators. Streets and other units neither import nor read it.

use super::{Actor, Role};

/// The unit whose staff import the enrolment list: 区人社局.
pub const INSURANCE_KEEPER: &str = "rsj";

impl Actor {
    /// Imports the enrolment list: 区人社局's staff and admins.
    pub fn may_import_insurance(&self) -> bool {
        match self.role {
            Role::Admin => true,
            Role::UnitStaff => self.staff_unit() == Some(INSURANCE_KEEPER),
            Role::TaskForce | Role::Reviewer | Role::Employer | Role::Applicant => false,
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
    fn only_rsj_staff_and_admins_import_the_enrolment_list() {
        assert!(actor(Role::UnitStaff, Some("rsj")).may_import_insurance());
        assert!(actor(Role::Admin, None).may_import_insurance());
        assert!(!actor(Role::UnitStaff, Some("jinghe")).may_import_insurance());
        assert!(!actor(Role::UnitStaff, Some("jkj")).may_import_insurance());
        assert!(!actor(Role::TaskForce, None).may_import_insurance());
        assert!(!actor(Role::Reviewer, None).may_import_insurance());
        assert!(!actor(Role::Employer, None).may_import_insurance());
    }
}
