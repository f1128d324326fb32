//! Who reaches which residents of the people registries. A street's staff reach the residents
//! whose household street (户籍街道) is theirs; the units of a roster's tasks and the district's
//! readers reach all; employers and applicants none.

use super::{Actor, Role};
use crate::plan::{Plan, UnitKind};

/// The registries of people, each tied to the plan tasks it serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Roster {
    /// 外出就业人员信息库 (2.1.1; also used by 2.1.4, 2.2.1, 2.2.2).
    Migrants,
    /// 离校未就业高校毕业生 (1.1.4).
    Graduates,
}

impl Roster {
    /// The tasks whose units read the whole roster; the first one's lead units import it.
    pub fn tasks(self) -> &'static [&'static str] {
        match self {
            Roster::Migrants => &["2.1.1", "2.1.4", "2.2.1", "2.2.2"],
            Roster::Graduates => &["1.1.4"],
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Roster::Migrants => "外出就业人员信息库",
            Roster::Graduates => "离校未就业高校毕业生名册",
        }
    }
}

/// Which residents an actor reaches in a roster.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PeopleScope {
    All,
    Street(String),
    Nothing,
}

impl PeopleScope {
    pub fn reaches(&self, street: &str) -> bool {
        match self {
            PeopleScope::All => true,
            PeopleScope::Street(own) => own == street,
            PeopleScope::Nothing => false,
        }
    }
}

impl Actor {
    /// Which residents of `roster` this actor reaches.
    pub fn people_scope(&self, plan: &Plan, roster: Roster) -> PeopleScope {
        match self.role {
            Role::Admin | Role::TaskForce | Role::Reviewer => PeopleScope::All,
            Role::Employer | Role::Applicant => PeopleScope::Nothing,
            Role::UnitStaff => {
                let Some(unit) = self.unit_code.as_deref().and_then(|c| plan.unit(c)) else {
                    return PeopleScope::Nothing;
                };
                if unit.kind == UnitKind::Street {
                    return PeopleScope::Street(unit.code.clone());
                }
                let concerned = plan.tasks.iter().any(|task| {
                    roster.tasks().contains(&task.code.as_str())
                        && (task.lead_units.contains(&unit.code)
                            || task.cooperating_units.contains(&unit.code))
                });
                if concerned {
                    PeopleScope::All
                } else {
                    PeopleScope::Nothing
                }
            }
        }
    }
}

impl Actor {
    /// Records that an out-migrant has come back (2.1.1): the staff of their household street,
    /// or of a lead unit of the task.
    pub fn may_record_return(&self, plan: &Plan, household_street: &str) -> bool {
        let Some(unit) = self.unit_code.as_deref() else {
            return false;
        };
        let lead = plan
            .tasks
            .iter()
            .any(|t| t.code == "2.1.1" && t.lead_units.iter().any(|l| l == unit));
        self.role == Role::UnitStaff && (lead || unit == household_street)
    }
}

impl Actor {
    /// Records the 1131 services and the placement of an unplaced graduate (1.1.4) whose
    /// household street is `household_street`: the staff of that street, or of a lead unit of
    /// the task for every street.
    pub fn may_serve_graduate(&self, plan: &Plan, household_street: &str) -> bool {
        let Some(unit) = self.unit_code.as_deref() else {
            return false;
        };
        let lead = plan
            .tasks
            .iter()
            .any(|t| t.code == "1.1.4" && t.lead_units.iter().any(|l| l == unit));
        let street_staff = plan
            .unit(unit)
            .is_some_and(|u| u.kind == UnitKind::Street && u.code == household_street);
        self.role == Role::UnitStaff && (lead || street_staff)
    }
}

/// May `unit_code` import rows of `roster`? A street (its own residents) or a lead unit of the
/// roster's first task.
/// A roster row naming a resident whom another street registered: the importing street may
/// not take them over (street scoping holds through imports too).
pub fn registered_elsewhere() -> crate::field::FieldError {
    crate::field::FieldError {
        field: "身份证号码",
        message: "此人已登记为其他街道户籍，不能由本街道导入".into(),
    }
}

pub fn may_import(plan: &Plan, unit_code: &str, roster: Roster) -> bool {
    let Some(unit) = plan.unit(unit_code) else {
        return false;
    };
    unit.kind == UnitKind::Street
        || plan.tasks.iter().any(|task| {
            roster.tasks().first() == Some(&task.code.as_str())
                && task.lead_units.contains(&unit.code)
        })
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
    fn a_street_reaches_only_its_own_residents() {
        let scope = staff("jinghe").people_scope(&plan(), Roster::Migrants);
        assert_eq!(scope, PeopleScope::Street("jinghe".into()));
        assert!(scope.reaches("jinghe"));
        assert!(!scope.reaches("changqing"));
    }

    #[test]
    fn the_units_of_a_rosters_tasks_reach_all_and_others_none() {
        let plan = plan();
        assert_eq!(
            staff("rsj").people_scope(&plan, Roster::Graduates),
            PeopleScope::All
        );
        let unconcerned = plan
            .units
            .iter()
            .find(|u| {
                u.kind != UnitKind::Street
                    && !plan.tasks.iter().any(|t| {
                        t.code == "1.1.4"
                            && (t.lead_units.contains(&u.code)
                                || t.cooperating_units.contains(&u.code))
                    })
            })
            .unwrap();
        assert_eq!(
            staff(&unconcerned.code).people_scope(&plan, Roster::Graduates),
            PeopleScope::Nothing
        );
    }

    #[test]
    fn a_return_is_recorded_by_the_household_street_or_a_lead_unit_of_2_1_1() {
        let plan = plan();
        assert!(staff("jinghe").may_record_return(&plan, "jinghe"));
        assert!(!staff("changqing").may_record_return(&plan, "jinghe"));
        let lead = plan
            .tasks
            .iter()
            .find(|t| t.code == "2.1.1")
            .unwrap()
            .lead_units[0]
            .clone();
        assert!(staff(&lead).may_record_return(&plan, "jinghe"));
    }

    #[test]
    fn streets_and_lead_units_import_others_do_not() {
        let plan = plan();
        assert!(may_import(&plan, "jinghe", Roster::Migrants));
        assert!(may_import(&plan, "rsj", Roster::Graduates));
        assert!(!may_import(&plan, "nowhere", Roster::Graduates));
    }

    #[test]
    fn a_graduate_is_served_by_their_streets_staff_or_the_lead_unit_of_1_1_4() {
        let plan = plan();
        assert!(staff("jinghe").may_serve_graduate(&plan, "jinghe"));
        assert!(!staff("jinghe").may_serve_graduate(&plan, "changqing"));
        assert!(staff("rsj").may_serve_graduate(&plan, "changqing"));
        assert!(!staff("swj").may_serve_graduate(&plan, "jinghe"));
        let task_force = Actor {
            role: Role::TaskForce,
            unit_code: None,
            ..staff("jinghe")
        };
        assert!(!task_force.may_serve_graduate(&plan, "jinghe"));
    }
}
