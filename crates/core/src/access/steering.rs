//! Who steers (the task force's joint meetings, supervision items and publicity, see
//! [`crate::steering`]). The task force (工作专班) and admins standing in for it raise, close and
//! escalate supervision items and record meetings; a unit's staff read and answer the items
//! raised on their own unit and read the meetings (their decisions name owners across units);
//! any unit's staff record their own unit's publicity, the task force any unit's.

use super::{Actor, Role};

impl Actor {
    /// Raises, closes and escalates supervision items; records joint meetings.
    pub fn may_steer(&self) -> bool {
        matches!(self.role, Role::TaskForce | Role::Admin)
    }

    /// Answers a supervision item raised on `unit`: that unit's staff only.
    pub fn may_answer_supervision(&self, unit: &str) -> bool {
        self.role == Role::UnitStaff && self.unit_code.as_deref() == Some(unit)
    }

    /// Reads a supervision item raised on `unit`: the steering roles, readers of every unit,
    /// and that unit's staff.
    pub fn may_read_supervision(&self, unit: &str) -> bool {
        self.may_steer() || self.role.reads_all_units() || self.may_answer_supervision(unit)
    }

    /// Which unit's supervision items a list shows: `None` for every unit, else one unit's;
    /// `Err` for an actor who reads none (an employer, an applicant, a unit-less account).
    pub fn supervision_scope(&self) -> Result<Option<&str>, &'static str> {
        if self.may_steer() || self.role.reads_all_units() {
            Ok(None)
        } else if self.role == Role::UnitStaff
            && let Some(unit) = self.unit_code.as_deref()
        {
            Ok(Some(unit))
        } else {
            Err("只有工作专班和责任单位的人员可以查看督办事项")
        }
    }

    /// Reads the joint meetings' minutes: the task force, readers of every unit, and every
    /// responsible unit's staff.
    pub fn may_read_meetings(&self) -> bool {
        self.may_steer() || self.role.reads_all_units() || self.role == Role::UnitStaff
    }

    /// Records how a meeting decision owned by `unit` was carried out: that unit's staff, or
    /// the task force for any unit.
    pub fn may_follow_up_decision(&self, unit: &str) -> bool {
        self.may_steer() || self.may_answer_supervision(unit)
    }

    /// Records a publicity item of `unit`: its own staff, or the task force for any unit.
    pub fn may_record_publicity(&self, unit: &str) -> bool {
        self.may_steer() || self.may_answer_supervision(unit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(role: Role, unit: Option<&str>) -> Actor {
        Actor {
            user_id: 1,
            username: "someone".into(),
            role,
            unit_code: unit.map(str::to_owned),
            employer_id: None,
            applicant_id: None,
        }
    }

    #[test]
    fn the_task_force_steers_and_a_unit_answers_only_its_own_items() {
        let task_force = actor(Role::TaskForce, None);
        let jinghe = actor(Role::UnitStaff, Some("jinghe"));
        let changqing = actor(Role::UnitStaff, Some("changqing"));
        assert!(task_force.may_steer());
        assert!(!task_force.may_answer_supervision("jinghe"));
        assert!(!jinghe.may_steer());
        assert!(jinghe.may_answer_supervision("jinghe"));
        assert!(!changqing.may_answer_supervision("jinghe"));
        assert!(!changqing.may_read_supervision("jinghe"));
        assert_eq!(jinghe.supervision_scope(), Ok(Some("jinghe")));
        assert_eq!(task_force.supervision_scope(), Ok(None));
        assert!(actor(Role::Employer, None).supervision_scope().is_err());
        assert!(jinghe.may_record_publicity("jinghe"));
        assert!(!jinghe.may_record_publicity("rmtzx"));
        assert!(task_force.may_record_publicity("rmtzx"));
        assert!(jinghe.may_follow_up_decision("jinghe"));
        assert!(!changqing.may_follow_up_decision("jinghe"));
        assert!(task_force.may_follow_up_decision("jinghe"));
        assert!(!actor(Role::Reviewer, None).may_follow_up_decision("jinghe"));
    }
}
