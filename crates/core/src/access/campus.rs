//! Who records and reads the campus programmes (tasks 1.2.1 and 1.1.2's 一校一策). The staff of
//! 团区委, 区人社局, 区经科局 and 现代服务业产业办 record their own unit's stations, activities,
//! bases, placements and recruitment plans, and add universities; they read the universities,
//! stations, bases and plans of all four (shared reference, no personal data in clear) but
//! the activities and placements (students' names) of their own unit only. The task force
//! and the district's readers read all; every other account reads none.

use super::{Actor, Role};
use crate::campus::is_campus_unit;

/// Which units' activities and placements an actor reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CampusScope {
    All,
    Unit(String),
    Nothing,
}

impl CampusScope {
    /// Does the scope reach the rows of `unit`?
    pub fn reaches(&self, unit: &str) -> bool {
        match self {
            CampusScope::All => true,
            CampusScope::Unit(own) => own == unit,
            CampusScope::Nothing => false,
        }
    }

    /// The unit whose rows a list shows when `asked` is requested (`None`: every unit), or
    /// why not when a unit asks for another's.
    pub fn unit_of<'a>(&'a self, asked: Option<&'a str>) -> Result<Option<&'a str>, &'static str> {
        match (self, asked) {
            (CampusScope::All, asked) => Ok(asked),
            (CampusScope::Unit(own), Some(asked)) if own != asked => {
                Err("只能查看本单位的校园活动和实习实训")
            }
            (CampusScope::Unit(own), _) => Ok(Some(own)),
            (CampusScope::Nothing, _) => Err("无权查看校园工作台账"),
        }
    }
}

impl Actor {
    /// The unit this actor records campus programmes for: its own, if it is one of the four.
    pub fn campus_unit(&self) -> Option<&str> {
        self.staff_unit().filter(|u| is_campus_unit(u))
    }

    /// Which units' campus activities and placements this actor reads.
    pub fn campus_scope(&self) -> CampusScope {
        if self.role.reads_all_units() {
            return CampusScope::All;
        }
        match (self.role, self.campus_unit()) {
            (Role::UnitStaff, Some(unit)) => CampusScope::Unit(unit.to_owned()),
            _ => CampusScope::Nothing,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn the_four_units_record_their_own_and_the_task_force_reads_all() {
        assert_eq!(staff("tuanquwei").campus_unit(), Some("tuanquwei"));
        assert_eq!(staff("xiandaifuwu").campus_unit(), Some("xiandaifuwu"));
        assert_eq!(staff("jinghe").campus_unit(), None);
        assert_eq!(
            as_role(Role::TaskForce).campus_unit(),
            None,
            "reads, records nothing"
        );
        assert_eq!(as_role(Role::TaskForce).campus_scope(), CampusScope::All);
        let rsj = staff("rsj").campus_scope();
        assert!(rsj.reaches("rsj"));
        assert!(!rsj.reaches("jkj"));
        assert_eq!(rsj.unit_of(None), Ok(Some("rsj")));
        assert!(rsj.unit_of(Some("jkj")).is_err());
    }

    #[test]
    fn streets_other_departments_employers_and_applicants_read_none() {
        for actor in [
            staff("jinghe"),
            staff("kfzx"),
            as_role(Role::Employer),
            as_role(Role::Applicant),
        ] {
            assert_eq!(actor.campus_scope(), CampusScope::Nothing, "{actor:?}");
        }
    }
}
