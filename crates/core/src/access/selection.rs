//! Who recommends, decides and reads in the selection round (2.5.2) and the showcase cases
//! (2.5.3). A unit recommends only for itself, and a street only businesses of its own street;
//! the lead of an entry's route (区人社局 or 区农业农村局) moves a selection entry, 区人社局 a
//! showcase case, and only 区委宣传部 and 区融媒体中心 publish cases on the portal.

use super::{Actor, Role};
use crate::plan::{Plan, Unit, UnitKind};
use crate::selection::{self, Route};
use crate::showcase;

/// Which entries or cases an actor reads: all; those of businesses of one street; those one
/// unit recommended; none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CaseScope {
    All,
    Street(String),
    RecommendedBy(String),
    Nothing,
}

impl CaseScope {
    /// Does the scope reach an entry of a business of `street` recommended by `recommender`?
    pub fn reaches(&self, street: &str, recommender: &str) -> bool {
        match self {
            CaseScope::All => true,
            CaseScope::Street(own) => own == street,
            CaseScope::RecommendedBy(own) => own == recommender,
            CaseScope::Nothing => false,
        }
    }
}

/// Does `unit` lead `task`?
fn leads(plan: &Plan, unit: &str, task: &str) -> bool {
    plan.tasks
        .iter()
        .any(|t| t.code == task && t.lead_units.iter().any(|l| l == unit))
}

impl Actor {
    fn staff_unit_of<'p>(&self, plan: &'p Plan) -> Option<&'p Unit> {
        if self.role != Role::UnitStaff {
            return None;
        }
        self.unit_code.as_deref().and_then(|c| plan.unit(c))
    }

    /// The scope of a task's entries: the district's readers and `full` units all; a street
    /// its own; a recommending unit what it recommended; anyone else none.
    fn case_scope(&self, plan: &Plan, full: bool, recommenders: &[&str]) -> CaseScope {
        match self.role {
            Role::Admin | Role::TaskForce | Role::Reviewer => CaseScope::All,
            Role::Employer | Role::Applicant => CaseScope::Nothing,
            Role::UnitStaff => match self.staff_unit_of(plan) {
                Some(_) if full => CaseScope::All,
                Some(unit) if unit.kind == UnitKind::Street => CaseScope::Street(unit.code.clone()),
                Some(unit) if recommenders.contains(&unit.code.as_str()) => {
                    CaseScope::RecommendedBy(unit.code.clone())
                }
                _ => CaseScope::Nothing,
            },
        }
    }

    /// Which selection entries this actor reads: the leads of 2.5.2 all.
    pub fn selection_scope(&self, plan: &Plan) -> CaseScope {
        let full = self
            .unit_code
            .as_deref()
            .is_some_and(|u| leads(plan, u, selection::TASK));
        self.case_scope(plan, full, &selection::recommending_units(plan))
    }

    /// Which showcase cases this actor reads: the lead of 2.5.3 and the publishers all.
    pub fn showcase_scope(&self, plan: &Plan) -> CaseScope {
        let full = self
            .unit_code
            .as_deref()
            .is_some_and(|u| leads(plan, u, showcase::TASK) || showcase::PUBLISHERS.contains(&u));
        self.case_scope(plan, full, &showcase::recommending_units(plan))
    }

    /// May this actor recommend, for its own unit among `recommenders`, a business of
    /// `street`? A street only its own street's businesses.
    fn may_recommend(&self, plan: &Plan, recommenders: &[&str], street: &str) -> bool {
        self.staff_unit_of(plan).is_some_and(|unit| {
            recommenders.contains(&unit.code.as_str())
                && (unit.kind != UnitKind::Street || unit.code == street)
        })
    }

    /// The unit this actor recommends selection entries for, if it is one of the 21.
    pub fn selection_recommender<'p>(&self, plan: &'p Plan) -> Option<&'p str> {
        let unit = self.staff_unit_of(plan)?;
        selection::recommending_units(plan)
            .into_iter()
            .find(|u| *u == unit.code)
    }

    /// May this actor recommend a business of `street` to the selection round?
    pub fn may_recommend_selection(&self, plan: &Plan, street: &str) -> bool {
        self.may_recommend(plan, &selection::recommending_units(plan), street)
    }

    /// May this actor shortlist, send up and decide entries of `route`? Its lead's staff.
    pub fn may_lead_selection(&self, plan: &Plan, route: Route) -> bool {
        self.staff_unit_of(plan)
            .is_some_and(|u| u.code == route.lead())
    }

    /// The unit this actor recommends showcase cases for, if it is one of the 13.
    pub fn showcase_recommender<'p>(&self, plan: &'p Plan) -> Option<&'p str> {
        let unit = self.staff_unit_of(plan)?;
        showcase::recommending_units(plan)
            .into_iter()
            .find(|u| *u == unit.code)
    }

    /// May this actor recommend a case of a business of `street`?
    pub fn may_recommend_case(&self, plan: &Plan, street: &str) -> bool {
        self.may_recommend(plan, &showcase::recommending_units(plan), street)
    }

    /// May this actor collect, nominate and decide cases? The lead of 2.5.3's staff.
    pub fn may_lead_showcase(&self, plan: &Plan) -> bool {
        self.staff_unit_of(plan)
            .is_some_and(|u| leads(plan, &u.code, showcase::TASK))
    }

    /// May this actor publish cases on the portal (or take them off)? 区委宣传部 and
    /// 区融媒体中心's staff only.
    pub fn may_publish_showcase(&self, plan: &Plan) -> bool {
        self.staff_unit_of(plan)
            .is_some_and(|u| showcase::PUBLISHERS.contains(&u.code.as_str()))
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

    fn as_role(role: Role) -> Actor {
        Actor {
            role,
            unit_code: None,
            ..staff("")
        }
    }

    #[test]
    fn a_unit_recommends_only_for_itself_and_a_street_only_its_streets_businesses() {
        let plan = plan();
        assert!(staff("jinghe").may_recommend_selection(&plan, "jinghe"));
        assert!(!staff("jinghe").may_recommend_selection(&plan, "changqing"));
        assert!(staff("wlj").may_recommend_selection(&plan, "changqing"));
        assert!(staff("gaoxin").may_recommend_selection(&plan, "jinghe"));
        assert!(
            !staff("rsj").may_recommend_selection(&plan, "jinghe"),
            "a lead"
        );
        assert!(!staff("xcb").may_recommend_selection(&plan, "jinghe"));
        assert!(!as_role(Role::Admin).may_recommend_selection(&plan, "jinghe"));
        assert_eq!(staff("jkj").selection_recommender(&plan), Some("jkj"));
        assert_eq!(staff("rsj").selection_recommender(&plan), None);
    }

    #[test]
    fn each_lead_moves_only_the_entries_of_its_route() {
        let plan = plan();
        assert!(staff("rsj").may_lead_selection(&plan, Route::Other));
        assert!(!staff("rsj").may_lead_selection(&plan, Route::Agricultural));
        assert!(staff("nyncj").may_lead_selection(&plan, Route::Agricultural));
        assert!(!staff("jinghe").may_lead_selection(&plan, Route::Other));
        assert!(!as_role(Role::TaskForce).may_lead_selection(&plan, Route::Other));
    }

    #[test]
    fn street_staff_read_only_their_streets_entries_and_departments_their_own() {
        let plan = plan();
        let street = staff("jinghe").selection_scope(&plan);
        assert_eq!(street, CaseScope::Street("jinghe".into()));
        assert!(street.reaches("jinghe", "wlj"));
        assert!(!street.reaches("changqing", "changqing"));
        let wlj = staff("wlj").selection_scope(&plan);
        assert!(wlj.reaches("changqing", "wlj") && !wlj.reaches("changqing", "jinghe"));
        assert_eq!(staff("rsj").selection_scope(&plan), CaseScope::All);
        assert_eq!(staff("nyncj").selection_scope(&plan), CaseScope::All);
        assert_eq!(
            as_role(Role::TaskForce).selection_scope(&plan),
            CaseScope::All
        );
        assert_eq!(staff("xcb").selection_scope(&plan), CaseScope::Nothing);
        assert_eq!(
            as_role(Role::Applicant).selection_scope(&plan),
            CaseScope::Nothing
        );
    }

    #[test]
    fn streets_and_nyncj_recommend_cases_and_rsj_collects_them() {
        let plan = plan();
        assert!(staff("jinghe").may_recommend_case(&plan, "jinghe"));
        assert!(!staff("jinghe").may_recommend_case(&plan, "baiquan"));
        assert!(staff("nyncj").may_recommend_case(&plan, "baiquan"));
        assert!(!staff("rsj").may_recommend_case(&plan, "baiquan"));
        assert!(!staff("wlj").may_recommend_case(&plan, "baiquan"));
        assert!(staff("rsj").may_lead_showcase(&plan));
        assert!(!staff("nyncj").may_lead_showcase(&plan));
        assert_eq!(staff("nyncj").showcase_recommender(&plan), Some("nyncj"));
    }

    #[test]
    fn only_xcb_and_rmtzx_publish_cases() {
        let plan = plan();
        assert!(staff("xcb").may_publish_showcase(&plan));
        assert!(staff("rmtzx").may_publish_showcase(&plan));
        for other in ["rsj", "nyncj", "jinghe"] {
            assert!(!staff(other).may_publish_showcase(&plan), "{other}");
        }
        assert!(!as_role(Role::Admin).may_publish_showcase(&plan));
        assert_eq!(staff("xcb").showcase_scope(&plan), CaseScope::All);
        assert_eq!(
            staff("nyncj").showcase_scope(&plan),
            CaseScope::RecommendedBy("nyncj".into())
        );
        assert_eq!(
            staff("jinghe").showcase_scope(&plan),
            CaseScope::Street("jinghe".into())
        );
        assert_eq!(staff("swj").showcase_scope(&plan), CaseScope::Nothing);
    }
}
