//! Labour-market order (维护大学生就业合法权益, task 1.3.4): 深入开展人力资源市场秩序清理整顿专项
//! 行动，严厉打击"黑中介"、虚假招聘等违法犯罪活动 … 定期发布招聘求职陷阱提示和违规典型案例
//! (东政办〔2025〕3号 任务 1.3.4; 区人社局 lead, 区公安分局, 区市场监管局 and the streets cooperate).
//!
//! A special action (专项行动) has a lead unit, a period and cooperating units. Under it a unit of
//! 1.3.4 inspects an HR agency or an employer: findings, a penalty — with its legal basis, always
//! — and rectification by a due day, closed when rectified (overdue otherwise). A complaint about
//! a job post may be opened as a case (查处案件) with its outcome. 区人社局 publishes notices on
//! the portal every month, each from a complaint or an inspection.
//!
//! **What 1.3.4's figures count** (the seed gives no number: activity indicators, 无目标值):
//! inspections, for the inspecting unit on the inspection day; notices, for the publishing unit
//! on the publication day.

mod notices;

use chrono::NaiveDate;

use crate::cells;
use crate::field::{FieldError, checked_text_up_to};
use crate::plan::Plan;
use crate::selection::picked_id;
use crate::uscc::Uscc;

pub use notices::{
    IssueMonth, NoticeDraft, NoticeKind, NoticeSchedule, NoticeSource, ValidNotice, validate_notice,
};

/// The task of the labour-market order.
pub const TASK: &str = "1.3.4";

vocabulary!(
    /// Who was inspected.
    TargetKind, "检查对象类型" {
        Agency = "agency", "人力资源服务机构";
        Employer = "employer", "用人单位";
    }
);

vocabulary!(
    /// The administrative penalty of an inspection, if any.
    PenaltyKind, "处罚种类" {
        NoPenalty = "none", "无处罚";
        Warning = "warning", "警告";
        Fine = "fine", "罚款";
        Confiscation = "confiscation", "没收违法所得";
        Suspension = "suspension", "责令停业整顿";
        Revocation = "revocation", "吊销许可证";
    }
);

impl PenaltyKind {
    /// Is an amount of money part of the penalty?
    pub fn takes_amount(self) -> bool {
        matches!(self, PenaltyKind::Fine | PenaltyKind::Confiscation)
    }
}

vocabulary!(
    /// How a case opened from a complaint ended.
    CaseOutcome, "查处结果" {
        Confirmed = "confirmed", "查实";
        Unfounded = "unfounded", "不属实";
        ReferredPolice = "referred_police", "移送公安";
        ReferredMarket = "referred_market", "移送市场监管";
        Rectified = "rectified", "责令整改";
    }
);

fn note<T>(
    errors: &mut Vec<FieldError>,
    field: &'static str,
    parsed: Result<T, String>,
) -> Option<T> {
    parsed
        .map_err(|message| errors.push(FieldError { field, message }))
        .ok()
}

/// A day as typed: required, and not after today.
pub(crate) fn past_day(input: &str, today: NaiveDate) -> Result<NaiveDate, String> {
    match cells::parse_date(input) {
        Ok(day) if day > today => Err(format!("{day} 晚于今天")),
        Ok(day) => Ok(day),
        Err(e) if input.trim().is_empty() => Err(format!("不能为空（{e}）")),
        Err(e) => Err(e),
    }
}

/// A choice of a vocabulary, required.
fn picked<T>(
    errors: &mut Vec<FieldError>,
    field: &'static str,
    input: &str,
    parse: fn(&str) -> Result<T, String>,
) -> Option<T> {
    match input.trim() {
        "" => note(errors, field, Err("请选择".into())),
        text => note(errors, field, parse(text)),
    }
}

/// Is `unit` one of 1.3.4's lead or cooperating units?
pub fn in_task(plan: &Plan, unit: &str) -> bool {
    plan.tasks.iter().any(|t| {
        t.code == TASK
            && (t.lead_units.iter().any(|u| u == unit)
                || t.cooperating_units.iter().any(|u| u == unit))
    })
}

/// A special action as typed into its form.
#[derive(Debug, Clone, Default)]
pub struct ActionDraft {
    pub name: String,
    pub lead_unit: String,
    pub starts_on: String,
    pub ends_on: String,
    /// Unit codes.
    pub cooperating: Vec<String>,
}

/// A checked special action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidAction {
    pub name: String,
    pub lead_unit: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub cooperating: Vec<String>,
}

/// Checks a special action: a name, a lead unit of 1.3.4, a period that ends on or after it
/// starts (it may lie in the future), cooperating units of the plan other than the lead.
pub fn validate_action(plan: &Plan, draft: &ActionDraft) -> Result<ValidAction, Vec<FieldError>> {
    let mut errors = Vec::new();
    let name = checked_text_up_to(&mut errors, "行动名称", &draft.name, true, 100);
    let lead_unit = match draft.lead_unit.trim() {
        "" => note(&mut errors, "牵头单位", Err("请选择".into())),
        code if in_task(plan, code) => Some(code.to_owned()),
        code => note(
            &mut errors,
            "牵头单位",
            Err(format!("“{code}”不是任务 1.3.4 的责任单位")),
        ),
    };
    let starts_on = note(&mut errors, "开始日期", cells::parse_date(&draft.starts_on));
    let ends_on = match (starts_on, cells::parse_date(&draft.ends_on)) {
        (Some(start), Ok(end)) if end < start => Err(format!("{end} 早于开始日期 {start}")),
        (_, parsed) => parsed,
    };
    let ends_on = note(&mut errors, "结束日期", ends_on);
    let mut cooperating: Vec<String> = Vec::new();
    for code in draft.cooperating.iter().map(|c| c.trim()) {
        if code.is_empty() || cooperating.iter().any(|c| c == code) {
            continue;
        }
        if plan.unit(code).is_none() {
            note::<()>(&mut errors, "配合单位", Err(format!("未知的单位“{code}”")));
        } else if lead_unit.as_deref() != Some(code) {
            cooperating.push(code.to_owned());
        }
    }
    match (lead_unit, starts_on, ends_on) {
        (Some(lead_unit), Some(starts_on), Some(ends_on)) if errors.is_empty() => Ok(ValidAction {
            name,
            lead_unit,
            starts_on,
            ends_on,
            cooperating,
        }),
        _ => Err(errors),
    }
}

/// An inspection as typed into its form; `penalty_amount` in 元.
#[derive(Debug, Clone, Default)]
pub struct InspectionDraft {
    pub action: String,
    pub inspected_on: String,
    pub target_kind: String,
    pub target_name: String,
    pub target_uscc: String,
    pub findings: String,
    /// A [`PenaltyKind`] code; empty: no penalty.
    pub penalty_kind: String,
    pub penalty_amount: String,
    pub legal_basis: String,
    /// Empty: no rectification required.
    pub rectification_due: String,
}

/// The penalty of an inspection: its kind, the amount in whole 元 (0 unless it takes one) and
/// the legal basis (empty only when there is no penalty).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Penalty {
    pub kind: PenaltyKind,
    pub amount_yuan: i64,
    pub legal_basis: String,
}

/// A checked inspection; the store checks the action (its period) and who records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidInspection {
    pub action_id: i64,
    pub inspected_on: NaiveDate,
    pub target_kind: TargetKind,
    pub target_name: String,
    pub target_uscc: Option<Uscc>,
    pub findings: String,
    pub penalty: Penalty,
    pub rectification_due: Option<NaiveDate>,
}

/// An amount of 元: a whole number above zero.
fn whole_yuan(input: &str) -> Result<i64, String> {
    match input.trim().replace([',', '，'], "").parse::<i64>() {
        Ok(n) if n > 0 => Ok(n),
        Ok(_) => Err("须大于 0".into()),
        Err(_) => Err(format!("“{}”不是以元计的整数金额", input.trim())),
    }
}

/// The penalty as typed: with a penalty the legal basis is required (行政处罚法 第四十四条：
/// 告知 … 依据); an amount only for a fine or a confiscation, and then required.
fn penalty(errors: &mut Vec<FieldError>, draft: &InspectionDraft) -> Option<Penalty> {
    let kind = match draft.penalty_kind.trim() {
        "" => PenaltyKind::NoPenalty,
        text => note(errors, "处罚种类", PenaltyKind::parse(text))?,
    };
    let amount_text = draft.penalty_amount.trim();
    let amount_yuan = if kind.takes_amount() {
        let amount = match amount_text {
            "" => Err(format!("{}须填写金额（元）", kind.label())),
            text => whole_yuan(text),
        };
        note(errors, "处罚金额（元）", amount)?
    } else {
        if !(amount_text.is_empty() || amount_text == "0") {
            let why = format!("“{}”不填金额", kind.label());
            note::<()>(errors, "处罚金额（元）", Err(why));
        }
        0
    };
    let legal_basis = checked_text_up_to(errors, "法律依据", &draft.legal_basis, false, 300);
    if kind != PenaltyKind::NoPenalty && legal_basis.is_empty() {
        let why = "有处罚时须写明法律依据（法律法规名称及条款）".into();
        note::<()>(errors, "法律依据", Err(why));
        return None;
    }
    Some(Penalty {
        kind,
        amount_yuan,
        legal_basis,
    })
}

/// Checks an inspection as typed in; every wrong field is reported, in the form's order.
pub fn validate_inspection(
    draft: &InspectionDraft,
    today: NaiveDate,
) -> Result<ValidInspection, Vec<FieldError>> {
    let mut errors = Vec::new();
    let action = picked_id(&mut errors, "专项行动", &draft.action, "请选择专项行动");
    let inspected_on = note(
        &mut errors,
        "检查日期",
        past_day(&draft.inspected_on, today),
    );
    let target_kind = picked(
        &mut errors,
        "检查对象类型",
        &draft.target_kind,
        TargetKind::parse,
    );
    let target_name =
        checked_text_up_to(&mut errors, "检查对象名称", &draft.target_name, true, 100);
    let target_uscc = match draft.target_uscc.trim() {
        "" => None,
        text => note(
            &mut errors,
            "统一社会信用代码",
            Uscc::parse(text).map(Some).map_err(|e| e.to_string()),
        )
        .flatten(),
    };
    let findings = checked_text_up_to(&mut errors, "检查发现", &draft.findings, true, 1000);
    let penalty = penalty(&mut errors, draft);
    let rectification_due = match (draft.rectification_due.trim(), inspected_on) {
        ("", _) => None,
        (text, day) => note(
            &mut errors,
            "整改期限",
            cells::parse_date(text).and_then(|due| match day {
                Some(day) if due < day => Err(format!("{due} 早于检查日期 {day}")),
                _ => Ok(due),
            }),
        ),
    };
    match (action, inspected_on, target_kind, penalty) {
        (Some(action_id), Some(inspected_on), Some(target_kind), Some(penalty))
            if errors.is_empty() =>
        {
            Ok(ValidInspection {
                action_id,
                inspected_on,
                target_kind,
                target_name,
                target_uscc,
                findings,
                penalty,
                rectification_due,
            })
        }
        _ => Err(errors),
    }
}

/// Is the inspection's day within its action's period? Named 检查日期 otherwise.
pub fn within_action(
    inspected_on: NaiveDate,
    (starts_on, ends_on): (NaiveDate, NaiveDate),
) -> Result<(), FieldError> {
    if inspected_on < starts_on || inspected_on > ends_on {
        return Err(FieldError {
            field: "检查日期",
            message: format!("{inspected_on} 不在专项行动期间（{starts_on} 至 {ends_on}）"),
        });
    }
    Ok(())
}

/// Where an inspection's rectification stands on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rectification {
    NotRequired,
    Pending { due: NaiveDate },
    Overdue { due: NaiveDate, days: i64 },
    Done { on: NaiveDate, late: bool },
}

impl Rectification {
    /// The standing of a rectification due on `due`, done on `done`, seen on `today`.
    pub fn standing(due: Option<NaiveDate>, done: Option<NaiveDate>, today: NaiveDate) -> Self {
        match (due, done) {
            (None, _) => Rectification::NotRequired,
            (Some(due), Some(on)) => Rectification::Done { on, late: on > due },
            (Some(due), None) if today > due => Rectification::Overdue {
                due,
                days: (today - due).num_days(),
            },
            (Some(due), None) => Rectification::Pending { due },
        }
    }

    pub fn is_overdue(self) -> bool {
        matches!(self, Rectification::Overdue { .. })
    }

    /// As the pages show it.
    pub fn label(self) -> String {
        match self {
            Rectification::NotRequired => "无需整改".into(),
            Rectification::Pending { due } => format!("整改中（期限 {due}）"),
            Rectification::Overdue { due, days } => {
                format!("逾期未整改（期限 {due}，已逾期 {days} 天）")
            }
            Rectification::Done { on, late: false } => format!("已于 {on} 整改"),
            Rectification::Done { on, late: true } => format!("已于 {on} 整改（逾期完成）"),
        }
    }
}

/// The day a rectification was done: only where one is required, once, not before the
/// inspection and not after today.
pub fn rectified_day(
    input: &str,
    inspected_on: NaiveDate,
    standing: Rectification,
    today: NaiveDate,
) -> Result<NaiveDate, FieldError> {
    let refused = |message: String| FieldError {
        field: "整改完成日期",
        message,
    };
    match standing {
        Rectification::NotRequired => Err(refused("该检查未要求整改".into())),
        Rectification::Done { on, .. } => Err(refused(format!("已于 {on} 登记整改完成"))),
        _ => match past_day(input, today).map_err(refused)? {
            day if day < inspected_on => Err(refused(format!("{day} 早于检查日期 {inspected_on}"))),
            day => Ok(day),
        },
    }
}

/// A case opened from a complaint, as typed in.
#[derive(Debug, Clone, Default)]
pub struct CaseDraft {
    pub complaint: String,
    pub opened_on: String,
    /// The inspection it is linked to; empty: none.
    pub inspection: String,
    /// Empty: still under investigation.
    pub outcome: String,
    pub note: String,
}

/// A checked case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidCase {
    pub complaint_id: i64,
    pub opened_on: NaiveDate,
    pub inspection_id: Option<i64>,
    pub outcome: Option<CaseOutcome>,
    pub note: String,
}

/// Checks a case: the complaint, the day opened (not after today), an inspection if linked,
/// an outcome if already decided — then its account is required.
pub fn validate_case(draft: &CaseDraft, today: NaiveDate) -> Result<ValidCase, Vec<FieldError>> {
    let mut errors = Vec::new();
    let complaint = picked_id(&mut errors, "举报", &draft.complaint, "请选择举报");
    let opened_on = note(&mut errors, "立案日期", past_day(&draft.opened_on, today));
    let inspection_id = match draft.inspection.trim() {
        "" => None,
        text => picked_id(&mut errors, "关联检查", text, "请从列表中选择检查"),
    };
    let outcome = match draft.outcome.trim() {
        "" => None,
        text => note(&mut errors, "查处结果", CaseOutcome::parse(text)),
    };
    let case_note = checked_text_up_to(&mut errors, "查处说明", &draft.note, false, 500);
    if outcome.is_some() && case_note.is_empty() {
        note::<()>(
            &mut errors,
            "查处说明",
            Err("登记查处结果时请写明查处情况".into()),
        );
    }
    match (complaint, opened_on) {
        (Some(complaint_id), Some(opened_on)) if errors.is_empty() => Ok(ValidCase {
            complaint_id,
            opened_on,
            inspection_id,
            outcome,
            note: case_note,
        }),
        _ => Err(errors),
    }
}

/// The outcome of an open case as typed in.
#[derive(Debug, Clone, Default)]
pub struct OutcomeDraft {
    pub outcome: String,
    pub decided_on: String,
    pub note: String,
}

/// A checked outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidOutcome {
    pub outcome: CaseOutcome,
    pub decided_on: NaiveDate,
    pub note: String,
}

/// Checks the outcome of a case opened on `opened_on`: an outcome, its day (not before the
/// opening, not after today) and its account.
pub fn validate_outcome(
    draft: &OutcomeDraft,
    opened_on: NaiveDate,
    today: NaiveDate,
) -> Result<ValidOutcome, Vec<FieldError>> {
    let mut errors = Vec::new();
    let outcome = picked(&mut errors, "查处结果", &draft.outcome, CaseOutcome::parse);
    let decided_on = past_day(&draft.decided_on, today).and_then(|day| match day {
        day if day < opened_on => Err(format!("{day} 早于立案日期 {opened_on}")),
        day => Ok(day),
    });
    let decided_on = note(&mut errors, "办结日期", decided_on);
    let case_note = checked_text_up_to(&mut errors, "查处说明", &draft.note, true, 500);
    match (outcome, decided_on) {
        (Some(outcome), Some(decided_on)) if errors.is_empty() => Ok(ValidOutcome {
            outcome,
            decided_on,
            note: case_note,
        }),
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests;
