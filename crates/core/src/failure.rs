//! Failure support (创业失败帮扶, task 2.3.4): a case for each returnee whose business closed,
//! the support steps planned for them (each by a unit of the task, with a planned date and,
//! once done, the day it was done), and the outcome the case closes with.
//!
//! 东政办〔2025〕3号 任务 2.3.4: 对创业失败的返区人员，按规定提供就业服务、就业援助和社会救助等保障
//! 措施。对有再创业意愿且符合政策规定的，综合运用创业培训、创业指导、融资贷款等帮扶政策，帮助他们
//! 重树信心、再创新业。

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use crate::businesses::BusinessStatus;
use crate::cells;
use crate::field::{FieldError, checked_text_up_to};
use crate::plan::Plan;
use crate::resident::ResidentId;

/// The plan task failure support serves.
pub const TASK: &str = "2.3.4";

/// The units of task 2.3.4 (lead first, then the cooperating units): the only units a
/// support step may be given to.
pub fn support_units(plan: &Plan) -> Vec<&str> {
    plan.tasks
        .iter()
        .filter(|t| t.code == TASK)
        .flat_map(|t| t.lead_units.iter().chain(&t.cooperating_units))
        .map(String::as_str)
        .collect()
}

/// The lead unit of task 2.3.4 (区人社局 in the plan).
pub fn lead_unit(plan: &Plan) -> Option<&str> {
    plan.tasks
        .iter()
        .find(|t| t.code == TASK)
        .and_then(|t| t.lead_units.first())
        .map(String::as_str)
}

vocabulary!(
    /// What a support step gives: the safety net the task names for everyone, and the three
    /// policies for those who want to start again.
    StepKind, "帮扶措施" {
        EmploymentService = "employment_service", "就业服务";
        EmploymentAid = "employment_aid", "就业援助";
        SocialRelief = "social_relief", "社会救助";
        StartUpTraining = "startup_training", "创业培训";
        StartUpGuidance = "startup_guidance", "创业指导";
        Financing = "financing", "融资贷款";
    }
);

impl StepKind {
    /// Given only to a person who wants to start again (有再创业意愿).
    pub fn is_restart(self) -> bool {
        matches!(
            self,
            StepKind::StartUpTraining | StepKind::StartUpGuidance | StepKind::Financing
        )
    }

    /// The unit that naturally gives this step: social relief is 区民政局's, the rest (job
    /// services and aid, training, guidance, the guaranteed start-up loan) 区人社局's. A
    /// suggestion for the form; any unit of the task may be chosen.
    pub fn natural_unit(self) -> &'static str {
        match self {
            StepKind::SocialRelief => "mzj",
            _ => "rsj",
        }
    }
}

vocabulary!(
    /// How a case ends.
    FailureOutcome, "帮扶结果" {
        Reemployed = "reemployed", "再就业";
        Restarted = "restarted", "再创业";
        SocialRelief = "social_relief", "已纳入社会救助";
        Other = "other", "其他";
    }
);

const NOTE_MAX: usize = 500;

fn note<T>(errors: &mut Vec<FieldError>, field: &'static str, r: Result<T, String>) -> Option<T> {
    r.map_err(|message| errors.push(FieldError { field, message }))
        .ok()
}

/// A day of the case's past: no later than today, not before 2000.
fn past_day(input: &str, today: NaiveDate) -> Result<NaiveDate, String> {
    match cells::parse_date(input) {
        Ok(day) if day > today => Err(format!("{day} 晚于今天")),
        Ok(day) if day.year() < 2000 => Err(format!("{day} 早于 2000 年")),
        other => other,
    }
}

/// A day on or after the case opened (`opened_on`) and no later than today.
fn day_since(input: &str, opened_on: NaiveDate, today: NaiveDate) -> Result<NaiveDate, String> {
    match past_day(input, today) {
        Ok(day) if day < opened_on => Err(format!("{day} 早于帮扶建档日期 {opened_on}")),
        other => other,
    }
}

/// Does a business's change to `status` open failure-support cases? Closing it does: one case
/// per founder, for the business's street, opened on the closing day.
pub fn closure_opens_cases(status: BusinessStatus) -> bool {
    status == BusinessStatus::Closed
}

/// A case opened by hand, for a person whose closed business is not in the registry (closed
/// before linkong, or never registered here).
#[derive(Debug, Clone, Default)]
pub struct CaseDraft {
    pub id_number: String,
    pub business_name: String,
    pub business_closed_on: String,
    pub reason: String,
    pub opened_on: String,
    pub wants_restart: bool,
}

/// A checked hand-opened case; the store finds the person (and so the responsible street, their
/// household street).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidCase {
    pub person: ResidentId,
    pub business_name: String,
    pub business_closed_on: NaiveDate,
    pub reason: String,
    pub opened_on: NaiveDate,
    pub wants_restart: bool,
}

/// Checks a case opened by hand: the person's resident ID, the closed business's name, its
/// closing day and reason, and the day the case is opened (on or after the closing day).
pub fn validate_case(draft: &CaseDraft, today: NaiveDate) -> Result<ValidCase, Vec<FieldError>> {
    let mut errors = Vec::new();
    let person = note(
        &mut errors,
        "身份证号码",
        ResidentId::parse_on(&draft.id_number, today).map_err(|e| e.to_string()),
    );
    let business_name =
        checked_text_up_to(&mut errors, "创业主体名称", &draft.business_name, true, 60);
    let closed = note(
        &mut errors,
        "关闭日期",
        past_day(&draft.business_closed_on, today),
    );
    let reason = checked_text_up_to(&mut errors, "关闭原因", &draft.reason, true, 200);
    let opened = match (past_day(&draft.opened_on, today), closed) {
        (Ok(day), Some(closed)) if day < closed => Err(format!("{day} 早于关闭日期 {closed}")),
        (other, _) => other,
    };
    let opened = note(&mut errors, "建档日期", opened);
    match (person, closed, opened) {
        (Some(person), Some(business_closed_on), Some(opened_on)) if errors.is_empty() => {
            Ok(ValidCase {
                person,
                business_name,
                business_closed_on,
                reason,
                opened_on,
                wants_restart: draft.wants_restart,
            })
        }
        _ => Err(errors),
    }
}

/// What of a case a step's checks depend on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CaseFacts {
    pub opened_on: NaiveDate,
    pub wants_restart: bool,
    pub closed: bool,
}

/// A support step as typed in.
#[derive(Debug, Clone, Default)]
pub struct StepDraft {
    pub kind: String,
    pub unit: String,
    pub planned_on: String,
    pub done_on: String,
    pub note: String,
}

/// A checked support step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidStep {
    pub kind: StepKind,
    pub unit: String,
    pub planned_on: NaiveDate,
    pub done_on: Option<NaiveDate>,
    pub note: String,
}

/// May a step be added to a case? Not once it has closed.
pub fn takes_steps(closed: bool) -> Result<(), String> {
    if closed {
        return Err("该帮扶已结案，不能再添加帮扶措施".into());
    }
    Ok(())
}

/// The kind of a step: a restart step only for a person who wants to start again.
fn step_kind(input: &str, wants_restart: bool) -> Result<StepKind, String> {
    if input.trim().is_empty() {
        return Err("请选择帮扶措施".into());
    }
    let kind = StepKind::parse(input)?;
    if kind.is_restart() && !wants_restart {
        return Err(format!(
            "“{}”仅用于有再创业意愿的人员，请先登记其再创业意愿",
            kind.label()
        ));
    }
    Ok(kind)
}

/// The unit responsible for a step: one of task 2.3.4's units; left empty, the kind's natural
/// unit (core's suggestion).
fn step_unit(plan: &Plan, input: &str, kind: Option<StepKind>) -> Result<String, String> {
    let input = match (input.trim(), kind) {
        ("", Some(kind)) => kind.natural_unit(),
        ("", None) => return Err("请选择责任单位".into()),
        (typed, _) => typed,
    };
    let unit = plan
        .units
        .iter()
        .find(|u| u.code == input || u.name == input || u.full_name == input)
        .ok_or_else(|| format!("单位“{input}”不在行动方案的责任单位中"))?;
    if !support_units(plan).contains(&unit.code.as_str()) {
        return Err(format!(
            "{}不是任务 {TASK} 的责任单位，请选择牵头或配合单位",
            unit.name
        ));
    }
    Ok(unit.code.clone())
}

/// Checks a support step for a case: its kind (a restart step only when the person wants to
/// start again), a unit of task 2.3.4 (none chosen: the kind's natural unit), a planned date (required, not before the case opened),
/// a done date if done (between the case's opening and today) and a note.
pub fn validate_step(
    plan: &Plan,
    draft: &StepDraft,
    case: CaseFacts,
    today: NaiveDate,
) -> Result<ValidStep, Vec<FieldError>> {
    let mut errors = Vec::new();
    let kind = note(
        &mut errors,
        "帮扶措施",
        step_kind(&draft.kind, case.wants_restart),
    );
    let unit = note(&mut errors, "责任单位", step_unit(plan, &draft.unit, kind));
    let planned = match cells::parse_date(&draft.planned_on) {
        Err(_) if draft.planned_on.trim().is_empty() => Err("请填写计划日期".into()),
        Ok(day) if day < case.opened_on => {
            Err(format!("{day} 早于帮扶建档日期 {}", case.opened_on))
        }
        other => other,
    };
    let planned_on = note(&mut errors, "计划日期", planned);
    let done_on = match draft.done_on.trim() {
        "" => Some(None),
        text => note(
            &mut errors,
            "完成日期",
            day_since(text, case.opened_on, today).map(Some),
        ),
    };
    let note_text = checked_text_up_to(&mut errors, "措施内容", &draft.note, true, NOTE_MAX);
    match (kind, unit, planned_on, done_on) {
        (Some(kind), Some(unit), Some(planned_on), Some(done_on)) if errors.is_empty() => {
            Ok(ValidStep {
                kind,
                unit,
                planned_on,
                done_on,
                note: note_text,
            })
        }
        _ => Err(errors),
    }
}

/// Checks the day a planned step was done: between the case's opening and today.
pub fn validate_done(
    done_on: &str,
    opened_on: NaiveDate,
    today: NaiveDate,
) -> Result<NaiveDate, Vec<FieldError>> {
    day_since(done_on, opened_on, today).map_err(|message| {
        vec![FieldError {
            field: "完成日期",
            message,
        }]
    })
}

/// May a step's done date be recorded? Once, and not after the case closed.
pub fn takes_done(already_done: bool, case_closed: bool) -> Result<(), String> {
    match (already_done, case_closed) {
        (true, _) => Err("该措施已登记完成".into()),
        (false, true) => Err("该帮扶已结案，不能再登记措施完成".into()),
        (false, false) => Ok(()),
    }
}

/// May the wish to start again be set to `wants`? Withdrawing it is refused while the case
/// holds restart steps (training, guidance, financing), which only that wish allows.
pub fn restart_wish(wants: bool, restart_steps: usize) -> Result<(), String> {
    if !wants && restart_steps > 0 {
        return Err(format!(
            "已安排 {restart_steps} 项创业培训、创业指导或融资贷款措施，不能撤销再创业意愿"
        ));
    }
    Ok(())
}

/// The case's closing as typed in.
#[derive(Debug, Clone, Default)]
pub struct CloseDraft {
    pub outcome: String,
    pub closed_on: String,
    /// The new business (its id in the registry), only for 再创业; empty when it is not
    /// registered here.
    pub new_business: String,
    pub note: String,
}

/// A checked closing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidClose {
    pub outcome: FailureOutcome,
    pub closed_on: NaiveDate,
    pub new_business: Option<i64>,
    pub note: String,
}

/// Checks a case's closing: an outcome (required), its day (between the case's opening and
/// today) and, for 再创业 only, the new business when it is in the registry.
pub fn validate_close(
    draft: &CloseDraft,
    opened_on: NaiveDate,
    today: NaiveDate,
) -> Result<ValidClose, Vec<FieldError>> {
    let mut errors = Vec::new();
    let outcome = if draft.outcome.trim().is_empty() {
        note(&mut errors, "帮扶结果", Err("请选择帮扶结果".into()))
    } else {
        note(
            &mut errors,
            "帮扶结果",
            FailureOutcome::parse(&draft.outcome),
        )
    };
    let closed_on = note(
        &mut errors,
        "结案日期",
        day_since(&draft.closed_on, opened_on, today),
    );
    let new_business = match draft.new_business.trim() {
        "" => Some(None),
        _ if outcome.is_some_and(|o| o != FailureOutcome::Restarted) => note(
            &mut errors,
            "新创业主体",
            Err("只有“再创业”才关联新创业主体".into()),
        ),
        text => note(
            &mut errors,
            "新创业主体",
            text.parse::<i64>()
                .map(Some)
                .map_err(|_| format!("“{text}”不是平台登记的创业主体")),
        ),
    };
    let note_text = checked_text_up_to(&mut errors, "结案说明", &draft.note, false, NOTE_MAX);
    match (outcome, closed_on, new_business) {
        (Some(outcome), Some(closed_on), Some(new_business)) if errors.is_empty() => {
            Ok(ValidClose {
                outcome,
                closed_on,
                new_business,
                note: note_text,
            })
        }
        _ => Err(errors),
    }
}

/// May the case still be closed? Only once.
pub fn takes_closing(closed: bool) -> Result<(), String> {
    if closed {
        return Err("该帮扶已结案".into());
    }
    Ok(())
}

/// Where a step stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum StepStatus {
    /// Planned, its date not passed.
    Planned,
    /// Planned, its date passed, not done, the case open.
    Overdue,
    Done,
    /// Not done when the case closed.
    NotDone,
}

impl StepStatus {
    pub fn label(self) -> &'static str {
        match self {
            StepStatus::Planned => "计划中",
            StepStatus::Overdue => "逾期未完成",
            StepStatus::Done => "已完成",
            StepStatus::NotDone => "结案时未实施",
        }
    }
}

/// Where a step planned for `planned_on` stands `today`: done, or overdue once its planned day
/// has passed (the day itself is still in time) while the case is open.
pub fn step_status(
    planned_on: NaiveDate,
    done: bool,
    case_closed: bool,
    today: NaiveDate,
) -> StepStatus {
    match (done, case_closed) {
        (true, _) => StepStatus::Done,
        (false, true) => StepStatus::NotDone,
        (false, false) if today > planned_on => StepStatus::Overdue,
        (false, false) => StepStatus::Planned,
    }
}

/// Where a case stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum FailureStatus {
    Open,
    /// Open, with a step past its planned date and not done.
    Overdue,
    Closed,
}

impl FailureStatus {
    pub fn label(self) -> &'static str {
        match self {
            FailureStatus::Open => "帮扶中",
            FailureStatus::Overdue => "有措施逾期",
            FailureStatus::Closed => "已结案",
        }
    }

    /// A case's standing from its steps' and whether it closed.
    pub fn of(closed: bool, steps: &[StepStatus]) -> FailureStatus {
        if closed {
            FailureStatus::Closed
        } else if steps.contains(&StepStatus::Overdue) {
            FailureStatus::Overdue
        } else {
            FailureStatus::Open
        }
    }
}

#[cfg(test)]
mod tests;
