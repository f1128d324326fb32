//! The guaranteed start-up loan ledger (创业担保贷款台账, task 2.4.2): loans recorded by the unit
//! that handled them, with the rules' cap and counter-guarantee waiver decisions kept as JSON
//! with their traces; the interest-subsidy schedule laid out in the same transaction; subsidy
//! payments, repayments, default and guarantee-fund claims. Each loan is a figure of
//! 2.4.2.guaranteed_loans for its handling unit on its issue day (principal in hundredths of
//! 万元), kept in the loan's own transaction.
//!
//! Who may do what is core's (`Actor::may_record_loan_for`, `may_keep_loan`, `loan_scope`);
//! every refusal is audited.

use chrono::NaiveDate;
use linkong_core::access::{Actor, Gate, LoanScope};
use linkong_core::field::FieldError;
use linkong_core::loans::{
    Borrower, BorrowerKind, FEN_PER_FIGURE, LoanDecisions, LoanDraft, LoanFacts, LoanStatus,
    PaymentDraft, SubsidyPeriod, decide_loan, subsidy_schedule, takes_default, validate_claim,
    validate_default, validate_loan, validate_repayment, validate_subsidy_payment,
};
use linkong_core::plan::Plan;
use linkong_core::rules::{RuleBook, format_fen};
use linkong_core::time::local_date;
use serde::Serialize;

use crate::audit::{AuditAppend, AuditEvent};
use crate::figures::{DayKey, FigureWrite, Kind};
use crate::{BeginWrite, Error, Result, Store, on_db};

mod write;
pub use write::PaymentKind;
use write::{LoanWrite, NewLoan};

/// A loan as lists, pages and the API show it: the borrower's ID masked, the money in 分 and
/// where it stands on the day it is read.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Loan {
    pub id: i64,
    pub borrower_kind: BorrowerKind,
    /// The person (the lead partner of a partnership) or the business.
    pub borrower_name: String,
    /// The person's resident ID masked (420112********1234); `null` for a business.
    pub id_masked: Option<String>,
    pub business_id: Option<i64>,
    pub uscc: Option<String>,
    pub partners: i64,
    pub bank: String,
    pub principal_fen: i64,
    pub term_months: i64,
    /// Annual rate in basis points (385 = 3.85%).
    pub rate_bp: i64,
    pub issued_on: NaiveDate,
    pub matures_on: NaiveDate,
    /// The handling unit: the loan counts for it in 2.4.2.
    pub unit_code: String,
    /// The guaranteed_loan rule's cap on the issue day.
    pub cap_fen: i64,
    /// The waiver policy that applied; `null`: a counter-guarantee is required.
    pub waived_by: Option<String>,
    pub rule_version: String,
    /// The annual rate the state subsidises, in basis points.
    pub subsidy_bp: i64,
    pub subsidy_due_fen: i64,
    pub subsidy_paid_fen: i64,
    pub repaid_fen: i64,
    pub claimed_fen: i64,
    pub outstanding_fen: i64,
    /// Principal owed past maturity (derived); 0 when none.
    pub arrears_fen: i64,
    pub overdue_days: i64,
    pub defaulted_on: Option<NaiveDate>,
    pub default_note: String,
    pub status: LoanStatus,
}

impl Loan {
    pub fn counter_guarantee_waived(&self) -> bool {
        self.waived_by.is_some()
    }

    fn facts(&self) -> LoanFacts {
        LoanFacts {
            principal_fen: self.principal_fen,
            issued_on: self.issued_on,
            term_months: self.term_months,
            repaid_fen: self.repaid_fen,
            claimed_fen: self.claimed_fen,
            defaulted_on: self.defaulted_on,
        }
    }
}

/// A period of the subsidy schedule with what was paid for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PeriodPaid {
    pub period: SubsidyPeriod,
    pub paid_fen: i64,
}

/// A payment on a loan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct LoanPayment {
    pub id: i64,
    pub kind: String,
    pub period: Option<i64>,
    pub paid_on: NaiveDate,
    pub amount_fen: i64,
}

/// A loan with its schedule, payments and the rules' decisions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LoanDetail {
    pub loan: Loan,
    pub periods: Vec<PeriodPaid>,
    pub payments: Vec<LoanPayment>,
    /// The decisions kept with the loan (cap, waiver, subsidy parameters), as stored.
    pub decisions: serde_json::Value,
    /// The traces in plain Chinese, cap first, then each waiver policy.
    pub trace_lines: Vec<String>,
}

/// Filters of the ledger.
#[derive(Debug, Clone, Default)]
pub struct LoanFilter {
    /// Handling unit.
    pub unit: Option<String>,
    /// Issued in this year.
    pub year: Option<i32>,
}

#[derive(sqlx::FromRow)]
struct LoanRow {
    id: i64,
    borrower_kind: String,
    person_name: Option<String>,
    id_number_enc: Option<Vec<u8>>,
    business_id: Option<i64>,
    business_name: Option<String>,
    uscc: Option<String>,
    partners: i64,
    bank: String,
    principal_fen: i64,
    term_months: i64,
    rate_bp: i64,
    issued_on: NaiveDate,
    unit_code: String,
    cap_fen: i64,
    waived_by: Option<String>,
    rule_version: String,
    subsidy_bp: i64,
    defaulted_on: Option<NaiveDate>,
    default_note: String,
    subsidy_due_fen: i64,
    subsidy_paid_fen: i64,
    repaid_fen: i64,
    claimed_fen: i64,
}

const LOAN_SELECT: &str = "SELECT l.id, l.borrower_kind, p.name AS person_name, p.id_number_enc, l.business_id, \
     b.name AS business_name, b.uscc, l.partners, l.bank, l.principal_fen, l.term_months, l.rate_bp, l.issued_on, \
     l.unit_code, l.cap_fen, l.waived_by, l.rule_version, l.subsidy_bp, l.defaulted_on, l.default_note, \
     CAST(COALESCE((SELECT SUM(s.due_fen) FROM loan_subsidy_periods s WHERE s.loan_id = l.id), 0) AS BIGINT) AS subsidy_due_fen, \
     CAST(COALESCE((SELECT SUM(x.amount_fen) FROM loan_payments x WHERE x.loan_id = l.id AND x.kind = 'subsidy'), 0) AS BIGINT) AS subsidy_paid_fen, \
     CAST(COALESCE((SELECT SUM(x.amount_fen) FROM loan_payments x WHERE x.loan_id = l.id AND x.kind = 'repayment'), 0) AS BIGINT) AS repaid_fen, \
     CAST(COALESCE((SELECT SUM(x.amount_fen) FROM loan_payments x WHERE x.loan_id = l.id AND x.kind = 'claim'), 0) AS BIGINT) AS claimed_fen \
     FROM loans l LEFT JOIN persons p ON p.id = l.person_id LEFT JOIN businesses b ON b.id = l.business_id";

/// `$1` the handling unit ('' any), `$2`..`$3` the issue days.
const LOAN_WHERE: &str =
    " WHERE ($1 = '' OR l.unit_code = $1) AND l.issued_on >= $2 AND l.issued_on <= $3";

/// The most loans one list shows.
const MAX_LIST: i64 = 5000;

fn year_range(year: Option<i32>) -> (NaiveDate, NaiveDate) {
    let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default();
    match year {
        Some(y) => (day(y, 1, 1), day(y, 12, 31)),
        None => (day(2000, 1, 1), day(9999, 12, 31)),
    }
}

impl Store {
    fn loan_of(&self, row: LoanRow, today: NaiveDate) -> Result<Loan> {
        let kind = BorrowerKind::parse(&row.borrower_kind)
            .map_err(|_| Error::Config(format!("贷款 {} 的借款人类别无法识别", row.id)))?;
        let id_masked = row
            .id_number_enc
            .as_deref()
            .map(|enc| self.masked_numbers(enc, None).map(|m| m.0))
            .transpose()?;
        let mut loan = Loan {
            id: row.id,
            borrower_kind: kind,
            borrower_name: row.person_name.or(row.business_name).unwrap_or_default(),
            id_masked,
            business_id: row.business_id,
            uscc: row.uscc,
            partners: row.partners,
            bank: row.bank,
            principal_fen: row.principal_fen,
            term_months: row.term_months,
            rate_bp: row.rate_bp,
            issued_on: row.issued_on,
            matures_on: row.issued_on,
            unit_code: row.unit_code,
            cap_fen: row.cap_fen,
            waived_by: row.waived_by,
            rule_version: row.rule_version,
            subsidy_bp: row.subsidy_bp,
            subsidy_due_fen: row.subsidy_due_fen,
            subsidy_paid_fen: row.subsidy_paid_fen,
            repaid_fen: row.repaid_fen,
            claimed_fen: row.claimed_fen,
            outstanding_fen: 0,
            arrears_fen: 0,
            overdue_days: 0,
            defaulted_on: row.defaulted_on,
            default_note: row.default_note,
            status: LoanStatus::Current,
        };
        let facts = loan.facts();
        loan.matures_on = facts.maturity();
        loan.outstanding_fen = facts.outstanding_fen();
        (loan.arrears_fen, loan.overdue_days) = facts.arrears(today).unwrap_or((0, 0));
        loan.status = facts.status(today);
        Ok(loan)
    }

    /// Which loans the actor reads; refused (and audited) when none.
    async fn loan_scope(&self, plan: &Plan, actor: &Actor, ip: &str) -> Result<LoanScope> {
        let scope = actor.loan_scope(plan);
        if scope == LoanScope::Nothing {
            return Err(self
                .deny(actor, "loans".into(), "无权查看创业担保贷款台账", ip)
                .await);
        }
        Ok(scope)
    }

    /// The loans of the ledger the actor reads that match `filter`, newest first. Asking for
    /// another unit's loans is refused and audited.
    pub async fn loans(
        &self,
        plan: &Plan,
        actor: &Actor,
        filter: &LoanFilter,
        ip: &str,
    ) -> Result<Vec<Loan>> {
        let scope = self.loan_scope(plan, actor, ip).await?;
        let unit = match (&scope, &filter.unit) {
            (LoanScope::Unit(own), Some(asked)) if own != asked => {
                return Err(self
                    .deny(
                        actor,
                        format!("loans:unit:{asked}"),
                        "只能查看本单位经办的创业担保贷款",
                        ip,
                    )
                    .await);
            }
            (LoanScope::Unit(own), _) => own.clone(),
            (_, asked) => asked.clone().unwrap_or_default(),
        };
        let (from, to) = year_range(filter.year);
        let rows: Vec<LoanRow> = on_db!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "{LOAN_SELECT}{LOAN_WHERE} ORDER BY l.issued_on DESC, l.id DESC LIMIT {MAX_LIST}"
        )))
        .bind(&unit)
        .bind(from)
        .bind(to)
        .fetch_all(pool)
        .await?);
        let today = local_date(self.now());
        rows.into_iter().map(|r| self.loan_of(r, today)).collect()
    }

    async fn loan_by_id(&self, id: i64) -> Result<Loan> {
        let row: Option<LoanRow> = on_db!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "{LOAN_SELECT} WHERE l.id = $1"
        )))
        .bind(id)
        .fetch_optional(pool)
        .await?);
        let row = row.ok_or_else(|| Error::not_found(format!("创业担保贷款 {id}")))?;
        self.loan_of(row, local_date(self.now()))
    }

    /// One loan with its schedule, payments and decisions, if the actor reads it; refused and
    /// audited otherwise.
    pub async fn loan(&self, plan: &Plan, actor: &Actor, id: i64, ip: &str) -> Result<LoanDetail> {
        let scope = self.loan_scope(plan, actor, ip).await?;
        let loan = self.loan_by_id(id).await?;
        if !scope.reaches(&loan.unit_code) {
            return Err(self
                .deny(
                    actor,
                    format!("loan:{id}"),
                    "只能查看本单位经办的创业担保贷款",
                    ip,
                )
                .await);
        }
        let (periods, payments, decisions) = self.loan_parts(id).await?;
        let parsed: serde_json::Value = serde_json::from_str(&decisions)
            .map_err(|e| Error::Config(format!("贷款 {id} 的规则决定无法读取：{e}")))?;
        let trace_lines = trace_lines(&decisions);
        let periods = periods
            .into_iter()
            .map(|period| PeriodPaid {
                paid_fen: payments
                    .iter()
                    .filter(|p| p.kind == PaymentKind::Subsidy.code())
                    .filter(|p| p.period == Some(period.period))
                    .map(|p| p.amount_fen)
                    .sum(),
                period,
            })
            .collect();
        Ok(LoanDetail {
            loan,
            periods,
            payments,
            decisions: parsed,
            trace_lines,
        })
    }

    async fn loan_parts(&self, id: i64) -> Result<(Vec<SubsidyPeriod>, Vec<LoanPayment>, String)> {
        Ok(on_db!(self, pool => {
            let periods: Vec<(i64, NaiveDate, NaiveDate, i64)> = sqlx::query_as(
                "SELECT period, from_on, due_on, due_fen FROM loan_subsidy_periods WHERE loan_id = $1 ORDER BY period",
            )
            .bind(id)
            .fetch_all(pool)
            .await?;
            let payments: Vec<LoanPayment> = sqlx::query_as(
                "SELECT id, kind, period, paid_on, amount_fen FROM loan_payments WHERE loan_id = $1 ORDER BY paid_on, id",
            )
            .bind(id)
            .fetch_all(pool)
            .await?;
            let decisions: String = sqlx::query_scalar("SELECT decisions FROM loans WHERE id = $1")
                .bind(id)
                .fetch_one(pool)
                .await?;
            let periods = periods
                .into_iter()
                .map(|(period, from, due_on, due_fen)| SubsidyPeriod { period, from, due_on, due_fen })
                .collect();
            (periods, payments, decisions)
        }))
    }

    /// The registry's person or business behind a checked borrower.
    async fn loan_borrower(&self, borrower: &Borrower) -> Result<(Option<i64>, Option<i64>)> {
        match borrower {
            Borrower::Person(id) | Borrower::Partnership { lead: id, .. } => {
                match self.registered_person(id, false).await? {
                    Some((person, _)) => Ok((Some(person), None)),
                    None => Err(Error::Fields(vec![FieldError {
                        field: "身份证号码",
                        message: format!("{} 未在平台登记，请先登记该人员", id.masked()),
                    }])),
                }
            }
            Borrower::Business(uscc) => {
                let found: Option<i64> = on_db!(self, pool => sqlx::query_scalar(
                    "SELECT id FROM businesses WHERE uscc = $1"
                )
                .bind(uscc.as_str())
                .fetch_optional(pool)
                .await?);
                match found {
                    Some(id) => Ok((None, Some(id))),
                    None => Err(Error::Fields(vec![FieldError {
                        field: "统一社会信用代码",
                        message: format!(
                            "{} 不在返区创业主体名录中，请先登记该主体",
                            uscc.as_str()
                        ),
                    }])),
                }
            }
        }
    }

    /// Records a loan handled by `unit` (its own staff only, a unit of task 2.4.2): checked by
    /// core, its cap and counter-guarantee waiver decided by the rules on the issue day, written
    /// with its subsidy schedule, its 2.4.2 tally and its audit row in one transaction. Bad
    /// input writes nothing.
    pub async fn record_loan(
        &self,
        plan: &Plan,
        book: &RuleBook,
        actor: &Actor,
        unit: &str,
        draft: &LoanDraft,
        ip: &str,
    ) -> Result<i64> {
        self.enter(actor, Gate::LoanForm { plan }, ip).await?;
        if !actor.may_record_loan_for(plan, unit) {
            return Err(self
                .deny(
                    actor,
                    format!("loans:unit:{unit}"),
                    "只能登记本单位经办的创业担保贷款",
                    ip,
                )
                .await);
        }
        let valid = validate_loan(draft, local_date(self.now())).map_err(Error::Fields)?;
        let decided = decide_loan(book, &valid).map_err(Error::Fields)?;
        let (person_id, business_id) = self.loan_borrower(&valid.borrower).await?;
        let subsidy_bp = decided.subsidy_bp(valid.rate_bp);
        let periods = subsidy_schedule(
            valid.principal_fen,
            subsidy_bp,
            valid.issued_on,
            valid.term_months,
            decided.subsidy_months.value,
        );
        let decisions = serde_json::to_string(&decided)
            .map_err(|e| Error::Config(format!("规则决定无法保存：{e}")))?;
        let now = self.now();
        let new = NewLoan {
            loan: &valid,
            person_id,
            business_id,
            unit_code: unit,
            cap_fen: decided.cap.amount_fen,
            waived_by: decided.waived_by.as_deref(),
            rule_version: &decided.rule_version,
            decisions: &decisions,
            subsidy_bp,
            user_id: actor.user_id,
            now,
        };
        let detail = record_detail(&valid.principal_fen, &decided, valid.issued_on);
        let event = |id: i64| {
            AuditEvent::new("loan.record", format!("loan:{id}"))
                .by(Some(actor.user_id), &actor.username)
                .detail(format!("{unit}：{detail}"))
                .from_ip(ip)
        };
        let key = DayKey::new(Kind::Loan, "", unit, valid.issued_on);
        let _guard = self.write_lock.lock().await;
        Ok(on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let id = tx.insert_loan(&new).await?;
            tx.insert_periods(id, &periods).await?;
            tx.refresh_figures(std::slice::from_ref(&key)).await?;
            tx.append_audit(now, &event(id)).await?;
            tx.commit().await?;
            id
        }))
    }

    /// A loan the actor keeps (its handling unit's staff, the lead's); refused and audited
    /// otherwise.
    async fn kept_loan(&self, plan: &Plan, actor: &Actor, id: i64, ip: &str) -> Result<Loan> {
        let loan = self.loan_by_id(id).await?;
        if !actor.may_keep_loan(plan, &loan.unit_code) {
            return Err(self
                .deny(
                    actor,
                    format!("loan:{id}"),
                    "只有经办单位和区人社局可以登记贴息、还款、违约和代偿",
                    ip,
                )
                .await);
        }
        Ok(loan)
    }

    /// Records a subsidy payment, a repayment or a guarantee-fund claim on a loan (its
    /// keepers): checked by core against the schedule or the principal outstanding, written
    /// with its audit row; a repayment or claim above what is owed when written is refused.
    pub async fn record_loan_payment(
        &self,
        plan: &Plan,
        actor: &Actor,
        (loan_id, kind): (i64, PaymentKind),
        draft: &PaymentDraft,
        ip: &str,
    ) -> Result<i64> {
        let loan = self.kept_loan(plan, actor, loan_id, ip).await?;
        let today = local_date(self.now());
        let payment = match kind {
            PaymentKind::Repayment => validate_repayment(draft, loan.facts(), today),
            PaymentKind::Claim => validate_claim(draft, loan.facts(), today),
            PaymentKind::Subsidy => {
                let detail = self.loan(plan, actor, loan_id, ip).await?;
                let schedule: Vec<SubsidyPeriod> =
                    detail.periods.iter().map(|p| p.period.clone()).collect();
                let paid = |n: i64| {
                    detail
                        .periods
                        .iter()
                        .find(|p| p.period.period == n)
                        .map_or(0, |p| p.paid_fen)
                };
                validate_subsidy_payment(draft, &schedule, paid, loan.issued_on, today)
            }
        }
        .map_err(Error::Fields)?;
        let now = self.now();
        let event = AuditEvent::new(kind.action(), format!("loan:{loan_id}"))
            .by(Some(actor.user_id), &actor.username)
            .detail(format!(
                "{}{} {}（{}）",
                kind.label(),
                payment
                    .period
                    .map(|p| format!("第 {p} 期"))
                    .unwrap_or_default(),
                format_fen(payment.amount_fen),
                payment.paid_on
            ))
            .from_ip(ip);
        let row = (payment.period, payment.paid_on, payment.amount_fen);
        let _guard = self.write_lock.lock().await;
        Ok(on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            if kind != PaymentKind::Subsidy && tx.owed_fen(loan_id).await? < payment.amount_fen {
                return Err(Error::Conflict("金额超过尚欠本金（其间已有还款或代偿）".into()));
            }
            let id = tx.insert_payment(loan_id, kind, row, actor.user_id, now).await?;
            tx.append_audit(now, &event).await?;
            tx.commit().await?;
            id
        }))
    }

    /// Marks a loan in default on `day` with a note (its keepers), once, while principal is
    /// owed.
    pub async fn mark_loan_default(
        &self,
        plan: &Plan,
        actor: &Actor,
        loan_id: i64,
        (day, note): (&str, &str),
        ip: &str,
    ) -> Result<()> {
        let loan = self.kept_loan(plan, actor, loan_id, ip).await?;
        takes_default(loan.facts()).map_err(Error::Conflict)?;
        let (day, note) = validate_default(day, note, loan.facts(), local_date(self.now()))
            .map_err(Error::Fields)?;
        let now = self.now();
        let event = AuditEvent::new("loan.default", format!("loan:{loan_id}"))
            .by(Some(actor.user_id), &actor.username)
            .detail(format!("违约 {day}：{note}"))
            .from_ip(ip);
        let _guard = self.write_lock.lock().await;
        on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            if !tx.mark_default(loan_id, day, &note).await? {
                return Err(Error::Conflict("该贷款已登记违约".into()));
            }
            tx.append_audit(now, &event).await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// Every loan the actor reads, for export, audited with the row count (IDs masked).
    pub async fn export_loans(
        &self,
        plan: &Plan,
        actor: &Actor,
        filter: &LoanFilter,
        ip: &str,
    ) -> Result<Vec<Loan>> {
        let loans = self.loans(plan, actor, filter, ip).await?;
        self.audit(
            AuditEvent::new("loan.export", "export:loans")
                .by(Some(actor.user_id), &actor.username)
                .detail(format!("{} 笔贷款，号码已脱敏", loans.len()))
                .from_ip(ip),
        )
        .await?;
        Ok(loans)
    }

    /// Loans issued within [from, to], for the figures' reference: (id, unit, value in
    /// hundredths of 万元, day).
    pub(crate) async fn loans_from_rows(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<(i64, String, i64, NaiveDate)>> {
        let rows: Vec<(i64, String, i64, NaiveDate)> = on_db!(self, pool => sqlx::query_as(
            "SELECT id, unit_code, principal_fen, issued_on FROM loans WHERE issued_on >= $1 AND issued_on <= $2"
        )
        .bind(from)
        .bind(to)
        .fetch_all(pool)
        .await?);
        Ok(rows
            .into_iter()
            .map(|(id, unit, fen, day)| (id, unit, fen / FEN_PER_FIGURE, day))
            .collect())
    }
}

/// The audit row's words for a loan recorded: principal, cap, waiver, rule version.
fn record_detail(principal_fen: &i64, decided: &LoanDecisions, issued_on: NaiveDate) -> String {
    let waiver = match &decided.waived_by {
        Some(id) => {
            let title = decided
                .waiver
                .iter()
                .find(|d| &d.policy_id == id)
                .map_or(id.as_str(), |d| d.trace.policy_title.as_str());
            format!("免除反担保（{title}）")
        }
        None => "须提供反担保".to_string(),
    };
    format!(
        "放款 {issued_on}，本金 {}，上限 {}（{}），{waiver}，规则版本 {}",
        format_fen(*principal_fen),
        format_fen(decided.cap.amount_fen),
        decided.cap.trace.policy_title,
        decided.rule_version
    )
}

/// The kept decisions' traces as lines of Chinese; none if the JSON is not a decision record.
fn trace_lines(json: &str) -> Vec<String> {
    #[derive(serde::Deserialize)]
    struct Kept {
        cap: linkong_core::rules::Decision,
        waiver: Vec<linkong_core::rules::Decision>,
    }
    let Ok(kept) = serde_json::from_str::<Kept>(json) else {
        return Vec::new();
    };
    let mut lines = kept.cap.trace.lines();
    for d in kept.waiver {
        lines.extend(d.trace.lines());
    }
    lines
}
