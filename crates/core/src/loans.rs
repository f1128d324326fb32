//! The guaranteed start-up loan ledger (创业担保贷款台账, task 2.4.2; issue 14 item 7): each
//! loan's borrower (a person, a partnership led by a person, or a returnee business), bank,
//! principal, term, rate and handling unit; the guaranteed_loan rule's cap and the
//! counter-guarantee waiver rule, each decided by the rules engine with its trace kept; the
//! interest-subsidy schedule; subsidy payments, repayments, default and guarantee-fund claims.
//!
//! 东政办〔2025〕3号 任务 2.4.2: 优化创业担保贷款经办机构，对符合相关条件的创业项目免除反担保，每年
//! 新增发放创业担保贷款1亿元以上. The figure 2.4.2.guaranteed_loans is the principal of the
//! loans issued, in 万元, for the handling unit on the issue day: a principal is whole hundreds
//! of 元, so each loan's figure (`principal_fen / 10_000` hundredths of 万元) is exact.

use chrono::{Datelike, Months, NaiveDate};
use serde::Serialize;

use crate::cells;
use crate::field::{FieldError, checked_text_up_to};
use crate::plan::Plan;
use crate::resident::ResidentId;
use crate::rules::{Decision, Fact, Facts, RuleBook, RulesError, UsedParameter, format_fen};
use crate::uscc::Uscc;

/// The plan task the ledger serves.
pub const TASK: &str = "2.4.2";

/// 分 in one hundredth of 万元 (100 元): the figure's unit.
pub const FEN_PER_FIGURE: i64 = 10_000;

/// The policy group whose cap a loan is checked against.
pub const CAP_GROUP: &str = "guaranteed_loan";
/// The policy group of the counter-guarantee waiver.
pub const WAIVER_GROUP: &str = "counter_guarantee_waiver";
/// The policy whose parameters set the interest subsidy.
pub const SUBSIDY_POLICY: &str = "guaranteed_loan_subsidy";

/// The units that handle guaranteed loans: task 2.4.2's lead (区人社局) and its cooperating
/// units. A loan counts for the unit that handled (recorded) it.
pub fn loan_units(plan: &Plan) -> Vec<&str> {
    plan.tasks
        .iter()
        .filter(|t| t.code == TASK)
        .flat_map(|t| t.lead_units.iter().chain(&t.cooperating_units))
        .map(String::as_str)
        .collect()
}

/// Is `unit` the lead of task 2.4.2?
pub fn is_lead(plan: &Plan, unit: &str) -> bool {
    plan.tasks
        .iter()
        .any(|t| t.code == TASK && t.lead_units.iter().any(|u| u == unit))
}

vocabulary!(
    /// Who borrows.
    BorrowerKind, "借款人类别" {
        Person = "person", "个人";
        Partnership = "partnership", "合伙创业";
        Business = "business", "小微企业";
    }
);

impl BorrowerKind {
    /// The guaranteed_loan policy that sets this borrower's cap.
    pub fn cap_policy(self) -> &'static str {
        match self {
            BorrowerKind::Person => "guaranteed_loan",
            BorrowerKind::Partnership => "guaranteed_loan_partnership",
            BorrowerKind::Business => "guaranteed_loan_enterprise",
        }
    }
}

vocabulary!(
    /// Where a loan stands (derived from its dates, repayments, default and claims).
    LoanStatus, "贷款状态" {
        Current = "current", "正常";
        Overdue = "overdue", "逾期";
        Defaulted = "defaulted", "违约";
        Repaid = "repaid", "已结清";
        Claimed = "claimed", "已代偿";
    }
);

/// A loan as typed in.
#[derive(Debug, Clone, Default)]
pub struct LoanDraft {
    pub borrower_kind: String,
    /// The (lead) borrower's resident ID, for a person or a partnership.
    pub id_number: String,
    /// The number of partners, for a partnership.
    pub partners: String,
    /// The returnee business's USCC, for a small enterprise.
    pub uscc: String,
    pub bank: String,
    /// 元, whole hundreds.
    pub principal: String,
    pub term_months: String,
    /// Annual rate in percent, at most two decimals ("4.35").
    pub rate: String,
    pub issued_on: String,
    pub incubator_project: bool,
    pub honoured: bool,
}

/// Who borrows, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Borrower {
    Person(ResidentId),
    Partnership { lead: ResidentId, partners: i64 },
    Business(Uscc),
}

impl Borrower {
    pub fn kind(&self) -> BorrowerKind {
        match self {
            Borrower::Person(_) => BorrowerKind::Person,
            Borrower::Partnership { .. } => BorrowerKind::Partnership,
            Borrower::Business(_) => BorrowerKind::Business,
        }
    }

    pub fn partners(&self) -> i64 {
        match self {
            Borrower::Partnership { partners, .. } => *partners,
            _ => 1,
        }
    }
}

/// A checked loan, before the rules are asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidLoan {
    pub borrower: Borrower,
    pub bank: String,
    pub principal_fen: i64,
    pub term_months: i64,
    pub rate_bp: i64,
    pub issued_on: NaiveDate,
    pub incubator_project: bool,
    pub honoured: bool,
}

/// The longest term the ledger takes.
pub const MAX_TERM_MONTHS: i64 = 60;
/// The highest annual rate the ledger takes before the rules' cap: 24% in basis points.
pub const MAX_RATE_BP: i64 = 2_400;
/// The most partners a partnership loan names.
pub const MAX_PARTNERS: i64 = 50;

fn note<T>(errors: &mut Vec<FieldError>, field: &'static str, r: Result<T, String>) -> Option<T> {
    r.map_err(|message| errors.push(FieldError { field, message }))
        .ok()
}

/// An amount of money typed in 元: positive, at most two decimals; in 分.
pub fn parse_money(input: &str) -> Result<i64, String> {
    let text: String = input
        .trim()
        .chars()
        .filter(|c| *c != ',' && *c != '，' && !c.is_whitespace())
        .collect();
    let text = text.trim_end_matches('元');
    if text.is_empty() {
        return Err("请填写金额（元）".into());
    }
    if text.starts_with('-') {
        return Err(format!("金额“{text}”不能为负"));
    }
    let fen =
        crate::rules::parse_yuan("金额", &toml::Value::String(text.to_string())).map_err(|e| {
            match e {
                RulesError::Field { message, .. } => message,
                other => other.to_string(),
            }
        })?;
    if fen == 0 {
        return Err("金额须大于 0".into());
    }
    Ok(fen)
}

/// A loan's principal: money in whole hundreds of 元, so that its figure in 万元 is exact.
pub fn parse_principal(input: &str) -> Result<i64, String> {
    let fen = parse_money(input)?;
    if fen % FEN_PER_FIGURE != 0 {
        return Err(format!(
            "贷款金额须为整百元（填写的是 {}）",
            format_fen(fen)
        ));
    }
    Ok(fen)
}

/// An annual rate typed in percent ("4.35", "4.35%") as basis points, within (0, 24%].
pub fn parse_rate(input: &str) -> Result<i64, String> {
    let text = input.trim().trim_end_matches(['%', '％']).trim();
    if text.is_empty() {
        return Err("请填写年利率（%）".into());
    }
    let (whole, decimals) = text.split_once('.').unwrap_or((text, ""));
    let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    if whole.is_empty() || !digits(whole) || !digits(decimals) {
        return Err(format!("年利率“{text}”应为百分数，如 4.35"));
    }
    if decimals.len() > 2 {
        return Err(format!("年利率“{text}”最多两位小数"));
    }
    let bp = whole
        .parse::<i64>()
        .ok()
        .and_then(|w| w.checked_mul(100))
        .and_then(|w| w.checked_add(format!("{decimals:0<2}").parse::<i64>().ok()?))
        .ok_or_else(|| format!("年利率“{text}”无效"))?;
    if bp == 0 || bp > MAX_RATE_BP {
        return Err(format!("年利率须在 0.01% 至 {}% 之间", MAX_RATE_BP / 100));
    }
    Ok(bp)
}

/// A whole number typed in, within [min, max]; `what` names it in the message.
fn parse_count(input: &str, min: i64, max: i64, what: &str) -> Result<i64, String> {
    let text = input.trim();
    if text.is_empty() {
        return Err(format!("请填写{what}"));
    }
    match text.parse::<i64>() {
        Ok(n) if (min..=max).contains(&n) => Ok(n),
        Ok(_) => Err(format!("{what}须在 {min} 至 {max} 之间")),
        Err(_) => Err(format!("{what}“{text}”应为整数")),
    }
}

/// A day no later than today, not before 2000.
pub fn past_day(input: &str, today: NaiveDate) -> Result<NaiveDate, String> {
    match cells::parse_date(input) {
        Ok(day) if day > today => Err(format!("{day} 晚于今天")),
        Ok(day) if day.year() < 2000 => Err(format!("{day} 早于 2000 年")),
        other => other,
    }
}

fn borrower(draft: &LoanDraft, today: NaiveDate, errors: &mut Vec<FieldError>) -> Option<Borrower> {
    let kind = note(
        errors,
        "借款人类别",
        if draft.borrower_kind.trim().is_empty() {
            Err("请选择借款人类别".into())
        } else {
            BorrowerKind::parse(&draft.borrower_kind)
        },
    )?;
    let person = |errors: &mut Vec<FieldError>| {
        note(
            errors,
            "身份证号码",
            ResidentId::parse_on(&draft.id_number, today).map_err(|e| e.to_string()),
        )
    };
    match kind {
        BorrowerKind::Person => person(errors).map(Borrower::Person),
        BorrowerKind::Partnership => {
            let lead = person(errors);
            let partners = note(
                errors,
                "合伙人数",
                parse_count(&draft.partners, 2, MAX_PARTNERS, "合伙人数"),
            );
            Some(Borrower::Partnership {
                lead: lead?,
                partners: partners?,
            })
        }
        BorrowerKind::Business => note(
            errors,
            "统一社会信用代码",
            Uscc::parse(&draft.uscc).map_err(|e| e.to_string()),
        )
        .map(Borrower::Business),
    }
}

/// Checks a loan as typed: the borrower (a resident ID, with the number of partners for a
/// partnership, or a USCC), the bank, the principal (元, whole hundreds, positive), the term
/// (1 to 60 months), the annual rate (0.01% to 24%) and the issue day (no later than today).
/// Every wrong field is named; the rules' cap and rate ceiling are [`decide_loan`]'s.
pub fn validate_loan(draft: &LoanDraft, today: NaiveDate) -> Result<ValidLoan, Vec<FieldError>> {
    let mut errors = Vec::new();
    let borrower = borrower(draft, today, &mut errors);
    let bank = checked_text_up_to(&mut errors, "经办银行", &draft.bank, true, 60);
    let principal = note(&mut errors, "贷款金额", parse_principal(&draft.principal));
    let term = note(
        &mut errors,
        "贷款期限",
        parse_count(&draft.term_months, 1, MAX_TERM_MONTHS, "贷款期限（月）"),
    );
    let rate = note(&mut errors, "年利率", parse_rate(&draft.rate));
    let issued = note(&mut errors, "放款日期", past_day(&draft.issued_on, today));
    match (borrower, principal, term, rate, issued) {
        (
            Some(borrower),
            Some(principal_fen),
            Some(term_months),
            Some(rate_bp),
            Some(issued_on),
        ) if errors.is_empty() => Ok(ValidLoan {
            borrower,
            bank,
            principal_fen,
            term_months,
            rate_bp,
            issued_on,
            incubator_project: draft.incubator_project,
            honoured: draft.honoured,
        }),
        _ => Err(errors),
    }
}

/// What the rules decided about a loan, kept with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LoanDecisions {
    pub rule_version: String,
    /// The guaranteed_loan policy of the borrower's kind: the cap (`amount_fen`) and the rate
    /// ceiling, with its trace.
    pub cap: Decision,
    /// The waiver policy that applied (the first by priority), `None`: counter-guarantee
    /// required.
    pub waived_by: Option<String>,
    /// Every waiver policy in force, decided, so that a required counter-guarantee shows why.
    pub waiver: Vec<Decision>,
    /// The rate the borrower bears (LPR−150BP); the state subsidises the rest.
    pub borrower_rate: UsedParameter,
    /// The most months subsidised.
    pub subsidy_months: UsedParameter,
}

impl LoanDecisions {
    /// The annual rate the state subsidises, in basis points.
    pub fn subsidy_bp(&self, rate_bp: i64) -> i64 {
        (rate_bp - self.borrower_rate.value).max(0)
    }
}

fn facts(loan: &ValidLoan) -> Facts {
    let mut facts = Facts::new();
    let enterprise = loan.borrower.kind() == BorrowerKind::Business;
    facts.insert("loan_enterprise".into(), Fact::Boolean(enterprise));
    facts.insert(
        "loan_partners".into(),
        Fact::Integer(loan.borrower.partners()),
    );
    facts.insert("loan_rate_bp".into(), Fact::Integer(loan.rate_bp));
    facts.insert(
        "loan_principal_fen".into(),
        Fact::Integer(loan.principal_fen),
    );
    facts.insert(
        "loan_incubator_project".into(),
        Fact::Boolean(loan.incubator_project),
    );
    facts.insert("loan_honoured".into(), Fact::Boolean(loan.honoured));
    facts
}

fn rules_error(field: &'static str, e: RulesError) -> Vec<FieldError> {
    vec![FieldError {
        field,
        message: e.to_string(),
    }]
}

/// Asks the rules about a checked loan on its issue day: the cap of the borrower's kind (a
/// principal above it, or a rate above the ceiling, is refused naming the field) and the
/// counter-guarantee waiver (every waiver policy decided, the first that applies by priority
/// recorded).
pub fn decide_loan(book: &RuleBook, loan: &ValidLoan) -> Result<LoanDecisions, Vec<FieldError>> {
    let day = loan.issued_on;
    let facts = facts(loan);
    let policy = loan.borrower.kind().cap_policy();
    let cap = book
        .decide(policy, &facts, day)
        .map_err(|e| rules_error("放款日期", e))?;
    if let Some(failed) = cap.trace.conditions.iter().find(|c| !c.met) {
        let field = if failed.id == "rate_within_cap" {
            "年利率"
        } else {
            "借款人类别"
        };
        return Err(vec![FieldError {
            field,
            message: failed.sentence.clone(),
        }]);
    }
    if loan.principal_fen > cap.amount_fen {
        return Err(vec![FieldError {
            field: "贷款金额",
            message: format!(
                "{} 超过《{}》的额度上限 {}（{}）",
                format_fen(loan.principal_fen),
                cap.trace.policy_title,
                format_fen(cap.amount_fen),
                cap.trace.amount
            ),
        }]);
    }
    let waived_by = book
        .decide_group(WAIVER_GROUP, &facts, day)
        .map_err(|e| rules_error("免除反担保", e))?
        .map(|d| d.policy_id);
    let mut waiver = Vec::new();
    for p in book
        .policies
        .iter()
        .filter(|p| p.group.as_deref() == Some(WAIVER_GROUP) && p.in_force(day))
    {
        waiver.push(
            book.decide(&p.id, &facts, day)
                .map_err(|e| rules_error("免除反担保", e))?,
        );
    }
    let subsidy = |name| {
        book.parameter_on(SUBSIDY_POLICY, name, day)
            .map_err(|e| rules_error("放款日期", e))
    };
    Ok(LoanDecisions {
        rule_version: book.version.clone(),
        cap,
        waived_by,
        waiver,
        borrower_rate: subsidy("borrower_rate")?,
        subsidy_months: subsidy("max_months")?,
    })
}

/// The day a loan falls due: its issue day plus its term.
pub fn maturity(issued_on: NaiveDate, term_months: i64) -> NaiveDate {
    issued_on
        .checked_add_months(Months::new(term_months.clamp(0, 1200) as u32))
        .unwrap_or(issued_on)
}

/// One period of the interest-subsidy schedule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SubsidyPeriod {
    /// 1, 2, …
    pub period: i64,
    pub from: NaiveDate,
    /// The day the period's subsidy falls due (its last day).
    pub due_on: NaiveDate,
    pub due_fen: i64,
}

/// The interest-subsidy schedule: quarters from the issue day over the term, no longer than
/// `max_months`; each period's subsidy is principal × subsidised rate × months / 12, rounded
/// down to the 分 (a loan is repaid at maturity, interest paid quarterly: 按季结息、到期还本).
pub fn subsidy_schedule(
    principal_fen: i64,
    subsidy_bp: i64,
    issued_on: NaiveDate,
    term_months: i64,
    max_months: i64,
) -> Vec<SubsidyPeriod> {
    let months = term_months.min(max_months).max(0);
    let mut periods = Vec::new();
    let mut start = 0;
    while start < months {
        let length = (months - start).min(3);
        let from = maturity(issued_on, start);
        let due_on = maturity(issued_on, start + length) - chrono::Duration::days(1);
        let due_fen =
            i128::from(principal_fen) * i128::from(subsidy_bp) * i128::from(length) / (12 * 10_000);
        periods.push(SubsidyPeriod {
            period: periods.len() as i64 + 1,
            from,
            due_on,
            due_fen: i64::try_from(due_fen).unwrap_or(i64::MAX),
        });
        start += length;
    }
    periods
}

/// What of a loan the checks of later writes depend on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoanFacts {
    pub principal_fen: i64,
    pub issued_on: NaiveDate,
    pub term_months: i64,
    pub repaid_fen: i64,
    pub claimed_fen: i64,
    pub defaulted_on: Option<NaiveDate>,
}

impl LoanFacts {
    /// Principal still owed: less repayments and guarantee-fund claims.
    pub fn outstanding_fen(&self) -> i64 {
        (self.principal_fen - self.repaid_fen - self.claimed_fen).max(0)
    }

    pub fn maturity(&self) -> NaiveDate {
        maturity(self.issued_on, self.term_months)
    }

    /// Arrears on `today`: the principal owed past maturity, with the days overdue; none
    /// before maturity or once nothing is owed.
    pub fn arrears(&self, today: NaiveDate) -> Option<(i64, i64)> {
        let due = self.maturity();
        let owed = self.outstanding_fen();
        (today > due && owed > 0).then(|| (owed, (today - due).num_days()))
    }

    pub fn status(&self, today: NaiveDate) -> LoanStatus {
        if self.outstanding_fen() == 0 {
            if self.claimed_fen > 0 {
                LoanStatus::Claimed
            } else {
                LoanStatus::Repaid
            }
        } else if self.defaulted_on.is_some() {
            LoanStatus::Defaulted
        } else if self.arrears(today).is_some() {
            LoanStatus::Overdue
        } else {
            LoanStatus::Current
        }
    }
}

/// A payment (repayment, subsidy payment, claim) as typed in.
#[derive(Debug, Clone, Default)]
pub struct PaymentDraft {
    pub paid_on: String,
    pub amount: String,
    /// The subsidy period paid, for a subsidy payment.
    pub period: String,
}

/// A checked payment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ValidPayment {
    pub paid_on: NaiveDate,
    pub amount_fen: i64,
    pub period: Option<i64>,
}

fn payment_day(input: &str, issued_on: NaiveDate, today: NaiveDate) -> Result<NaiveDate, String> {
    match past_day(input, today) {
        Ok(day) if day < issued_on => Err(format!("{day} 早于放款日期 {issued_on}")),
        other => other,
    }
}

/// A repayment: a day between the issue day and today, an amount no more than outstanding.
pub fn validate_repayment(
    draft: &PaymentDraft,
    loan: LoanFacts,
    today: NaiveDate,
) -> Result<ValidPayment, Vec<FieldError>> {
    let mut errors = Vec::new();
    let paid_on = note(
        &mut errors,
        "还款日期",
        payment_day(&draft.paid_on, loan.issued_on, today),
    );
    let amount = note(&mut errors, "还款金额", parse_money(&draft.amount)).and_then(|fen| {
        let owed = loan.outstanding_fen();
        note(
            &mut errors,
            "还款金额",
            if fen > owed {
                Err(format!(
                    "{} 超过尚欠本金 {}",
                    format_fen(fen),
                    format_fen(owed)
                ))
            } else {
                Ok(fen)
            },
        )
    });
    match (paid_on, amount) {
        (Some(paid_on), Some(amount_fen)) if errors.is_empty() => Ok(ValidPayment {
            paid_on,
            amount_fen,
            period: None,
        }),
        _ => Err(errors),
    }
}

/// A subsidy payment: a period of the schedule, a day on or after the issue day, an amount no
/// more than what the period still has due (`paid_fen`: paid for that period before).
pub fn validate_subsidy_payment(
    draft: &PaymentDraft,
    schedule: &[SubsidyPeriod],
    paid_fen: impl Fn(i64) -> i64,
    issued_on: NaiveDate,
    today: NaiveDate,
) -> Result<ValidPayment, Vec<FieldError>> {
    let mut errors = Vec::new();
    let period = note(
        &mut errors,
        "贴息期次",
        parse_count(&draft.period, 1, schedule.len().max(1) as i64, "贴息期次").and_then(|n| {
            schedule
                .iter()
                .find(|p| p.period == n)
                .ok_or_else(|| "该贷款没有贴息计划".to_string())
        }),
    );
    let paid_on = note(
        &mut errors,
        "拨付日期",
        payment_day(&draft.paid_on, issued_on, today),
    );
    let amount = note(&mut errors, "贴息金额", parse_money(&draft.amount));
    if let (Some(p), Some(fen)) = (period, amount) {
        let left = p.due_fen - paid_fen(p.period);
        if fen > left {
            errors.push(FieldError {
                field: "贴息金额",
                message: format!(
                    "{} 超过第 {} 期尚未拨付的贴息 {}",
                    format_fen(fen),
                    p.period,
                    format_fen(left.max(0))
                ),
            });
        }
    }
    match (period, paid_on, amount) {
        (Some(p), Some(paid_on), Some(amount_fen)) if errors.is_empty() => Ok(ValidPayment {
            paid_on,
            amount_fen,
            period: Some(p.period),
        }),
        _ => Err(errors),
    }
}

/// May a loan be marked in default? Only once, while principal is owed.
pub fn takes_default(loan: LoanFacts) -> Result<(), String> {
    if loan.defaulted_on.is_some() {
        return Err("该贷款已登记违约".into());
    }
    if loan.outstanding_fen() == 0 {
        return Err("该贷款已结清，不能登记违约".into());
    }
    Ok(())
}

/// The day of a default: between the issue day and today; with a note why.
pub fn validate_default(
    day: &str,
    note_text: &str,
    loan: LoanFacts,
    today: NaiveDate,
) -> Result<(NaiveDate, String), Vec<FieldError>> {
    let mut errors = Vec::new();
    let day = note(
        &mut errors,
        "违约日期",
        payment_day(day, loan.issued_on, today),
    );
    let text = checked_text_up_to(&mut errors, "违约情况", note_text, true, 200);
    match day {
        Some(day) if errors.is_empty() => Ok((day, text)),
        _ => Err(errors),
    }
}

/// A guarantee-fund claim (担保基金代偿): only for a loan in default, on or after the default
/// day, no more than the principal outstanding.
pub fn validate_claim(
    draft: &PaymentDraft,
    loan: LoanFacts,
    today: NaiveDate,
) -> Result<ValidPayment, Vec<FieldError>> {
    let Some(defaulted_on) = loan.defaulted_on else {
        return Err(vec![FieldError {
            field: "代偿金额",
            message: "贷款未登记违约，不能申请担保基金代偿".into(),
        }]);
    };
    let mut errors = Vec::new();
    let paid_on = note(
        &mut errors,
        "代偿日期",
        payment_day(&draft.paid_on, defaulted_on, today)
            .map_err(|m| m.replace("放款日期", "违约日期")),
    );
    let amount = note(&mut errors, "代偿金额", parse_money(&draft.amount));
    let owed = loan.outstanding_fen();
    if let Some(fen) = amount.filter(|fen| *fen > owed) {
        errors.push(FieldError {
            field: "代偿金额",
            message: format!("{} 超过尚欠本金 {}", format_fen(fen), format_fen(owed)),
        });
    }
    match (paid_on, amount) {
        (Some(paid_on), Some(amount_fen)) if errors.is_empty() => Ok(ValidPayment {
            paid_on,
            amount_fen,
            period: None,
        }),
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests;
