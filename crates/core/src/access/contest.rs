//! Who runs the start-up contest (1.2.3) and who reads it. The lead unit (区经科局) organises:
//! editions, entries, rounds, scores, awards and landings. The cooperating units (区人社局,
//! 区科服中心, 团区委, 区基金公司) record the follow-on support they give; only 区基金公司, which
//! manages the fund, records investments of the 临空港天使投资基金. The task's units and the
//! district's readers read everything of the contest; streets and other units read nothing.

use super::{Actor, Role};
use crate::contest::{ANGEL_FUND_KEEPER, SupportKind, TASK};
use crate::plan::Plan;

/// Is `unit` a lead unit of 1.2.3 (`lead_only`), or a lead or cooperating one?
fn in_contest_task(plan: &Plan, unit: &str, lead_only: bool) -> bool {
    plan.tasks.iter().any(|t| {
        t.code == TASK
            && (t.lead_units.iter().any(|u| u == unit)
                || (!lead_only && t.cooperating_units.iter().any(|u| u == unit)))
    })
}

impl Actor {
    /// The unit this actor organises the contest for: a lead unit of 1.2.3, its staff only.
    pub fn contest_organiser<'a>(&'a self, plan: &Plan) -> Option<&'a str> {
        self.staff_unit()
            .filter(|unit| in_contest_task(plan, unit, true))
    }

    /// Creates editions, registers entries, holds rounds, scores, awards and lands projects.
    pub fn may_run_contest(&self, plan: &Plan) -> bool {
        self.contest_organiser(plan).is_some()
    }

    /// Records follow-on support of `kind`: the staff of 1.2.3's lead and cooperating units;
    /// angel-fund investments 区基金公司's only.
    pub fn may_record_contest_support(&self, plan: &Plan, kind: SupportKind) -> bool {
        self.staff_unit().is_some_and(|unit| {
            in_contest_task(plan, unit, false)
                && (kind != SupportKind::AngelFund || unit == ANGEL_FUND_KEEPER)
        })
    }

    /// Reads the contest's editions, entries, scores and support: the task's units and the
    /// district's readers.
    pub fn may_read_contest(&self, plan: &Plan) -> bool {
        match self.role {
            Role::Admin | Role::TaskForce | Role::Reviewer => true,
            Role::UnitStaff => self
                .staff_unit()
                .is_some_and(|unit| in_contest_task(plan, unit, false)),
            Role::Employer | Role::Applicant => false,
        }
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
    fn only_jkj_organises_the_contest() {
        let plan = plan();
        assert!(staff("jkj").may_run_contest(&plan));
        assert_eq!(staff("jkj").contest_organiser(&plan), Some("jkj"));
        for other in ["rsj", "jjgs", "kfzx", "jinghe"] {
            assert!(!staff(other).may_run_contest(&plan), "{other}");
        }
        assert!(!as_role(Role::Admin).may_run_contest(&plan));
        assert!(!as_role(Role::TaskForce).may_run_contest(&plan));
    }

    #[test]
    fn cooperating_units_record_support_and_only_jjgs_the_angel_fund() {
        let plan = plan();
        for unit in ["rsj", "kfzx", "tuanquwei", "jjgs", "jkj"] {
            assert!(
                staff(unit).may_record_contest_support(&plan, SupportKind::Financing),
                "{unit}"
            );
        }
        assert!(staff("jjgs").may_record_contest_support(&plan, SupportKind::AngelFund));
        assert!(!staff("rsj").may_record_contest_support(&plan, SupportKind::AngelFund));
        assert!(!staff("jinghe").may_record_contest_support(&plan, SupportKind::Lecture));
        assert!(!as_role(Role::Admin).may_record_contest_support(&plan, SupportKind::Lecture));
    }

    #[test]
    fn the_tasks_units_read_the_contest_and_streets_do_not() {
        let plan = plan();
        for unit in ["jkj", "rsj", "kfzx", "tuanquwei", "jjgs"] {
            assert!(staff(unit).may_read_contest(&plan), "{unit}");
        }
        for unit in ["jinghe", "changqinghuayuan", "nyncj", "gaoxin"] {
            assert!(!staff(unit).may_read_contest(&plan), "{unit}");
        }
        assert!(as_role(Role::TaskForce).may_read_contest(&plan));
        assert!(as_role(Role::Admin).may_read_contest(&plan));
        assert!(!as_role(Role::Applicant).may_read_contest(&plan));
        assert!(!as_role(Role::Employer).may_read_contest(&plan));
    }
}
