//! Who records, keeps and reads the 揽才团 trips (task 1.1.3). A unit of 1.1.3 (区人社局, the
//! lead, or an industry office or street) records the trips it organises; the trip's employers
//! and hires are kept by that unit's staff and the lead's. 区人社局 and the district's readers
//! read every trip; another unit of 1.1.3 the trips it organised or joined; others none (a
//! hire names a person).

use super::{Actor, Role};
use crate::plan::Plan;
use crate::talent_trips::{is_lead, trip_units};

/// Which trips an actor reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TripScope {
    All,
    /// The trips this unit organised or joined.
    Unit(String),
    Nothing,
}

impl TripScope {
    /// Does the scope reach a trip organised by `organiser` with `partners`?
    pub fn reaches(&self, organiser: &str, partners: &[String]) -> bool {
        match self {
            TripScope::All => true,
            TripScope::Unit(own) => own == organiser || partners.iter().any(|p| p == own),
            TripScope::Nothing => false,
        }
    }
}

impl Actor {
    /// The unit this actor records trips for: its own, if it is one of task 1.1.3's units.
    pub fn trip_unit<'p>(&self, plan: &'p Plan) -> Option<&'p str> {
        let unit = self.staff_unit()?;
        trip_units(plan).into_iter().find(|u| *u == unit)
    }

    /// May this actor add employers and hires to a trip organised by `organiser`? That unit's
    /// staff and the lead's.
    pub fn may_keep_trip(&self, plan: &Plan, organiser: &str) -> bool {
        self.trip_unit(plan)
            .is_some_and(|own| own == organiser || is_lead(plan, own))
    }

    /// Which trips this actor reads.
    pub fn trip_scope(&self, plan: &Plan) -> TripScope {
        if self.role.reads_all_units() {
            return TripScope::All;
        }
        if self.role != Role::UnitStaff {
            return TripScope::Nothing;
        }
        match self.trip_unit(plan) {
            Some(unit) if is_lead(plan, unit) => TripScope::All,
            Some(unit) => TripScope::Unit(unit.to_owned()),
            None => TripScope::Nothing,
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
    fn rsj_keeps_every_trip_and_a_participating_unit_reads_the_trips_it_joined() {
        let plan = crate::plan::dongxihu();
        assert!(staff("rsj").may_keep_trip(&plan, "gaoxin"));
        assert!(staff("gaoxin").may_keep_trip(&plan, "gaoxin"));
        assert!(!staff("gaoxin").may_keep_trip(&plan, "rsj"));
        assert!(!staff("tuanquwei").may_keep_trip(&plan, "tuanquwei"));
        assert_eq!(staff("rsj").trip_scope(&plan), TripScope::All);
        let jinghe = staff("jinghe").trip_scope(&plan);
        assert!(jinghe.reaches("rsj", &["jinghe".into()]));
        assert!(!jinghe.reaches("rsj", &["gaoxin".into()]));
        assert_eq!(staff("tuanquwei").trip_scope(&plan), TripScope::Nothing);
    }
}
