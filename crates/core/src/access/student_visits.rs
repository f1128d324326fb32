//! Who records and reads the 学子东西湖行 visits (task 1.3.3). Each organising unit (the five
//! units holding 1.3.3's quotas) records its own visits and their students; 团区委, the lead,
//! reads every unit's to add up the district's 500; 区文旅局 reads the visits it assisted; the
//! task force and the district's readers read all. Nobody writes another unit's visit.

use super::{Actor, Role};
use crate::plan::Plan;
use crate::student_visits::{ASSISTING_UNIT, is_lead, organisers};

/// Which visits an actor reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StudentVisitScope {
    All,
    /// The visits this unit organised.
    Unit(String),
    /// 区文旅局: the visits it assisted.
    Assisted,
    Nothing,
}

impl StudentVisitScope {
    /// Does the scope reach a visit organised by `organiser` (`assisted` by 区文旅局)?
    pub fn reaches(&self, organiser: &str, assisted: bool) -> bool {
        match self {
            StudentVisitScope::All => true,
            StudentVisitScope::Unit(own) => own == organiser,
            StudentVisitScope::Assisted => assisted,
            StudentVisitScope::Nothing => false,
        }
    }
}

impl Actor {
    /// The unit this actor records visits for: its own, if it organises 1.3.3's visits.
    pub fn student_visit_organiser<'p>(&self, plan: &'p Plan) -> Option<&'p str> {
        let unit = self.staff_unit()?;
        organisers(plan).into_iter().find(|u| *u == unit)
    }

    /// May this actor record a visit, or add students to one, organised by `organiser`? Only
    /// that unit's own staff.
    pub fn may_keep_student_visit(&self, plan: &Plan, organiser: &str) -> bool {
        self.student_visit_organiser(plan) == Some(organiser)
    }

    /// Which visits this actor reads.
    pub fn student_visit_scope(&self, plan: &Plan) -> StudentVisitScope {
        if self.role.reads_all_units() {
            return StudentVisitScope::All;
        }
        if self.role != Role::UnitStaff {
            return StudentVisitScope::Nothing;
        }
        match (self.student_visit_organiser(plan), self.staff_unit()) {
            (Some(unit), _) if is_lead(plan, unit) => StudentVisitScope::All,
            (Some(unit), _) => StudentVisitScope::Unit(unit.to_owned()),
            (None, Some(ASSISTING_UNIT)) => StudentVisitScope::Assisted,
            _ => StudentVisitScope::Nothing,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn an_organising_unit_records_and_reads_its_own_visits_and_the_lead_reads_all() {
        let plan = crate::plan::dongxihu();
        assert!(staff("rsj").may_keep_student_visit(&plan, "rsj"));
        assert!(!staff("rsj").may_keep_student_visit(&plan, "jkj"));
        assert!(!staff("tuanquwei").may_keep_student_visit(&plan, "rsj"));
        assert!(!staff("wlj").may_keep_student_visit(&plan, "wlj"));
        assert_eq!(
            staff("jkj").student_visit_scope(&plan),
            StudentVisitScope::Unit("jkj".into())
        );
        assert_eq!(
            staff("tuanquwei").student_visit_scope(&plan),
            StudentVisitScope::All
        );
        assert_eq!(
            staff("wlj").student_visit_scope(&plan),
            StudentVisitScope::Assisted
        );
        assert_eq!(
            staff("jinghe").student_visit_scope(&plan),
            StudentVisitScope::Nothing
        );
        let mut tf = staff("rsj");
        (tf.role, tf.unit_code) = (Role::TaskForce, None);
        assert_eq!(tf.student_visit_scope(&plan), StudentVisitScope::All);
        assert!(tf.student_visit_organiser(&plan).is_none());
    }
}
