//! The writes of the loan ledger, inside the caller's transaction so that the loan, its
//! subsidy schedule, the 2.4.2 tally and the audit row commit together.

use chrono::{DateTime, NaiveDate, Utc};
use linkong_core::loans::{SubsidyPeriod, ValidLoan};
use sqlx::{PgConnection, SqliteConnection};

use crate::Result;

/// A loan as it is written, with what the rules decided.
pub(crate) struct NewLoan<'a> {
    pub loan: &'a ValidLoan,
    pub person_id: Option<i64>,
    pub business_id: Option<i64>,
    pub unit_code: &'a str,
    pub cap_fen: i64,
    pub waived_by: Option<&'a str>,
    pub rule_version: &'a str,
    /// The decisions with their traces, as JSON.
    pub decisions: &'a str,
    pub subsidy_bp: i64,
    pub user_id: i64,
    pub now: DateTime<Utc>,
}

/// What moves money on a loan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaymentKind {
    /// 贴息拨付, for a period of the schedule.
    Subsidy,
    /// 还款, principal repaid.
    Repayment,
    /// 担保基金代偿.
    Claim,
}

impl PaymentKind {
    pub fn code(self) -> &'static str {
        match self {
            PaymentKind::Subsidy => "subsidy",
            PaymentKind::Repayment => "repayment",
            PaymentKind::Claim => "claim",
        }
    }

    /// The audit log's action.
    pub fn action(self) -> &'static str {
        match self {
            PaymentKind::Subsidy => "loan.subsidy",
            PaymentKind::Repayment => "loan.repayment",
            PaymentKind::Claim => "loan.claim",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            PaymentKind::Subsidy => "贴息拨付",
            PaymentKind::Repayment => "还款",
            PaymentKind::Claim => "担保基金代偿",
        }
    }
}

pub(crate) trait LoanWrite {
    async fn insert_loan(&mut self, loan: &NewLoan<'_>) -> Result<i64>;
    async fn insert_periods(&mut self, loan_id: i64, periods: &[SubsidyPeriod]) -> Result<()>;
    async fn insert_payment(
        &mut self,
        loan_id: i64,
        kind: PaymentKind,
        payment: (Option<i64>, NaiveDate, i64),
        user_id: i64,
        now: DateTime<Utc>,
    ) -> Result<i64>;
    /// Marks a loan in default; false if it was already.
    async fn mark_default(&mut self, loan_id: i64, day: NaiveDate, note: &str) -> Result<bool>;
    /// The principal a loan still owes, read inside the transaction (principal less
    /// repayments and claims).
    async fn owed_fen(&mut self, loan_id: i64) -> Result<i64>;
}

macro_rules! impl_loan_write {
    ($conn:ty) => {
        impl LoanWrite for $conn {
            async fn insert_loan(&mut self, n: &NewLoan<'_>) -> Result<i64> {
                let l = n.loan;
                Ok(sqlx::query_scalar(
                    "INSERT INTO loans (borrower_kind, person_id, business_id, partners, bank, principal_fen, \
                     term_months, rate_bp, issued_on, unit_code, incubator_project, honoured, cap_fen, waived_by, \
                     rule_version, decisions, subsidy_bp, defaulted_on, default_note, created_by, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, NULL, '', \
                     $18, $19) RETURNING id",
                )
                .bind(l.borrower.kind().code())
                .bind(n.person_id)
                .bind(n.business_id)
                .bind(l.borrower.partners())
                .bind(&l.bank)
                .bind(l.principal_fen)
                .bind(l.term_months)
                .bind(l.rate_bp)
                .bind(l.issued_on)
                .bind(n.unit_code)
                .bind(l.incubator_project)
                .bind(l.honoured)
                .bind(n.cap_fen)
                .bind(n.waived_by)
                .bind(n.rule_version)
                .bind(n.decisions)
                .bind(n.subsidy_bp)
                .bind(n.user_id)
                .bind(n.now)
                .fetch_one(&mut *self)
                .await?)
            }

            async fn insert_periods(&mut self, loan_id: i64, periods: &[SubsidyPeriod]) -> Result<()> {
                for p in periods {
                    sqlx::query(
                        "INSERT INTO loan_subsidy_periods (loan_id, period, from_on, due_on, due_fen) \
                         VALUES ($1, $2, $3, $4, $5)",
                    )
                    .bind(loan_id)
                    .bind(p.period)
                    .bind(p.from)
                    .bind(p.due_on)
                    .bind(p.due_fen)
                    .execute(&mut *self)
                    .await?;
                }
                Ok(())
            }

            async fn insert_payment(
                &mut self,
                loan_id: i64,
                kind: PaymentKind,
                (period, paid_on, amount_fen): (Option<i64>, NaiveDate, i64),
                user_id: i64,
                now: DateTime<Utc>,
            ) -> Result<i64> {
                Ok(sqlx::query_scalar(
                    "INSERT INTO loan_payments (loan_id, kind, period, paid_on, amount_fen, created_by, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                )
                .bind(loan_id)
                .bind(kind.code())
                .bind(period)
                .bind(paid_on)
                .bind(amount_fen)
                .bind(user_id)
                .bind(now)
                .fetch_one(&mut *self)
                .await?)
            }

            async fn mark_default(&mut self, loan_id: i64, day: NaiveDate, note: &str) -> Result<bool> {
                let done = sqlx::query(
                    "UPDATE loans SET defaulted_on = $1, default_note = $2 WHERE id = $3 AND defaulted_on IS NULL",
                )
                .bind(day)
                .bind(note)
                .bind(loan_id)
                .execute(&mut *self)
                .await?;
                Ok(done.rows_affected() == 1)
            }

            async fn owed_fen(&mut self, loan_id: i64) -> Result<i64> {
                Ok(sqlx::query_scalar(
                    "SELECT CAST(l.principal_fen - COALESCE((SELECT SUM(p.amount_fen) FROM loan_payments p \
                     WHERE p.loan_id = l.id AND p.kind IN ('repayment', 'claim')), 0) AS BIGINT) FROM loans l \
                     WHERE l.id = $1",
                )
                .bind(loan_id)
                .fetch_one(&mut *self)
                .await?)
            }
        }
    };
}

impl_loan_write!(SqliteConnection);
impl_loan_write!(PgConnection);
