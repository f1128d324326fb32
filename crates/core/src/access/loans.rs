//! Who records, keeps and reads the guaranteed-loan ledger (task 2.4.2). A loan is recorded by
//! the staff of the unit that handled it — 区人社局 (the lead) or a cooperating unit
//! (区农业农村局, 区财政局, 团区委) — for their own unit only; its later entries (subsidy payments,
//! repayments, default, claims) are kept by that unit's staff and the lead's. The lead and the
//! district's readers read every loan, a cooperating unit its own; streets and other units
//! none (a borrower's ID is personal data).

use super::{Actor, Role};
use crate::loans::{is_lead, loan_units};
use crate::plan::Plan;

/// Which loans an actor reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoanScope {
    All,
    /// The loans handled by this unit.
    Unit(String),
    Nothing,
}

impl LoanScope {
    /// Does the scope reach a loan handled by `unit`?
    pub fn reaches(&self, unit: &str) -> bool {
        match self {
            LoanScope::All => true,
            LoanScope::Unit(own) => own == unit,
            LoanScope::Nothing => false,
        }
    }
}

impl Actor {
    /// The unit this actor records loans for: its own, if it is one of task 2.4.2's units.
    pub fn loan_unit<'p>(&self, plan: &'p Plan) -> Option<&'p str> {
        let unit = self.staff_unit()?;
        loan_units(plan).into_iter().find(|u| *u == unit)
    }

    /// May this actor record a loan handled by `unit`? Only that unit's own staff.
    pub fn may_record_loan_for(&self, plan: &Plan, unit: &str) -> bool {
        self.loan_unit(plan) == Some(unit)
    }

    /// May this actor add payments, repayments, a default or a claim to a loan handled by
    /// `unit`? That unit's staff and the lead's.
    pub fn may_keep_loan(&self, plan: &Plan, unit: &str) -> bool {
        self.loan_unit(plan)
            .is_some_and(|own| own == unit || is_lead(plan, own))
    }

    /// Which loans this actor reads.
    pub fn loan_scope(&self, plan: &Plan) -> LoanScope {
        if self.role.reads_all_units() {
            return LoanScope::All;
        }
        if self.role != Role::UnitStaff {
            return LoanScope::Nothing;
        }
        match self.loan_unit(plan) {
            Some(unit) if is_lead(plan, unit) => LoanScope::All,
            Some(unit) => LoanScope::Unit(unit.to_string()),
            None => LoanScope::Nothing,
        }
    }
}
