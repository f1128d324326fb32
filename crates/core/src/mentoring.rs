//! Mentoring of returnee businesses (跟踪陪跑, task 2.3.2): 对优秀返区创业项目，给予"跟踪陪跑"
//! 帮扶，联动创业导师、创业投资基金等资源，帮助企业发展 (东政办〔2025〕3号 任务 2.3.2).
//!
//! A mentoring follows one returnee business from a start day to an end day with an outcome:
//! why the business was chosen, its mentor (an expert of the pool, or a 创业指导员 named with
//! their organisation), whether 区基金公司 joins, a plan of milestones, visit logs and contacts
//! with funds. It is opened by 区人社局 or a cooperating unit of 2.3.2 (a street only for its
//! own street's businesses); who reads and writes it is in [`crate::access`].
//!
//! **What 2.3.2's figure counts**: mentorings started, for the opening unit, on the start day
//! (the seed gives no number: an activity indicator, 无目标值).

use chrono::NaiveDate;

use crate::businesses::BusinessStatus;
use crate::cells;
use crate::field::{FieldError, checked_text_up_to};
use crate::quantity::Quantity;
use crate::selection::picked_id;

/// The task of the mentorings.
pub const TASK: &str = "2.3.2";
/// 区基金公司: the district fund that may join a mentoring (and then reads it).
pub const FUND_UNIT: &str = "jjgs";

vocabulary!(
    /// Why a business was chosen for mentoring.
    ChosenFor, "选定原因" {
        Selection = "selection", "遴选推荐";
        Showcase = "showcase", "示范案例";
        StreetReferral = "street_referral", "街道推荐";
        Other = "other", "其他";
    }
);

vocabulary!(
    /// Who mentors: an expert of the pool or a start-up instructor named in the form.
    MentorKind, "导师类型" {
        Expert = "expert", "专业人才库专家";
        Instructor = "instructor", "创业指导员";
    }
);

vocabulary!(
    /// Whether a mentoring is running or has ended.
    MentoringStatus, "陪跑状态" {
        Active = "active", "陪跑中";
        Ended = "ended", "已结束";
    }
);

vocabulary!(
    /// How a mentoring ended.
    Outcome, "结束结果" {
        Achieved = "achieved", "达成目标";
        Partial = "partial", "部分达成";
        Terminated = "terminated", "终止";
    }
);

vocabulary!(
    /// Where a contact with a fund or investor stands.
    FinancingResult, "洽谈结果" {
        Negotiating = "negotiating", "洽谈中";
        Invested = "invested", "已投资";
        Failed = "failed", "未成功";
    }
);

/// The mentor of a mentoring: an expert of the pool (by id), or an instructor by name and
/// organisation (no phone is taken: the instructor is reached through their organisation).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mentor {
    Expert(i64),
    Instructor { name: String, organisation: String },
}

/// A mentoring as typed into the open form.
#[derive(Debug, Clone, Default)]
pub struct MentoringDraft {
    pub business: String,
    pub chosen_for: String,
    pub chosen_note: String,
    pub started_on: String,
    /// A [`MentorKind`] code; empty: taken from what is filled in.
    pub mentor_kind: String,
    /// The expert's id, when the mentor is an expert of the pool.
    pub expert: String,
    pub instructor_name: String,
    pub instructor_organisation: String,
    /// Does 区基金公司 join?
    pub fund_joins: bool,
}

/// A mentoring whose every field has been checked; the store checks the business (its
/// street, licence day and status) and the expert (in the pool).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidMentoring {
    pub business_id: i64,
    pub chosen_for: ChosenFor,
    pub chosen_note: String,
    pub started_on: NaiveDate,
    pub mentor: Mentor,
    pub fund_joins: bool,
}

fn note<T>(
    errors: &mut Vec<FieldError>,
    field: &'static str,
    parsed: Result<T, String>,
) -> Option<T> {
    parsed
        .map_err(|message| errors.push(FieldError { field, message }))
        .ok()
}

/// A day of the mentoring: a date, not after today, not before `not_before` (named in the
/// message as `before_what`).
pub fn mentoring_day(
    input: &str,
    today: NaiveDate,
    not_before: Option<(NaiveDate, &str)>,
) -> Result<NaiveDate, String> {
    match cells::parse_date(input) {
        Ok(day) if day > today => Err(format!("{day} 晚于今天")),
        Ok(day) => match not_before {
            Some((first, what)) if day < first => Err(format!("{day} 早于{what} {first}")),
            _ => Ok(day),
        },
        Err(e) if input.trim().is_empty() => Err(format!("不能为空（{e}）")),
        Err(e) => Err(e),
    }
}

/// The mentor as typed: an expert picked from the pool, or an instructor's name and
/// organisation; neither is refused naming 创业导师.
fn mentor(errors: &mut Vec<FieldError>, draft: &MentoringDraft) -> Option<Mentor> {
    let kind = match draft.mentor_kind.trim() {
        "" if !draft.expert.trim().is_empty() => MentorKind::Expert,
        "" if !(draft.instructor_name.trim().is_empty()
            && draft.instructor_organisation.trim().is_empty()) =>
        {
            MentorKind::Instructor
        }
        "" => {
            errors.push(FieldError {
                field: "创业导师",
                message: "请从专业人才库选择专家，或填写创业指导员的姓名和单位".into(),
            });
            return None;
        }
        text => note(errors, "导师类型", MentorKind::parse(text))?,
    };
    match kind {
        MentorKind::Expert => picked_id(
            errors,
            "创业导师",
            &draft.expert,
            "请从专业人才库选择专家，或填写创业指导员的姓名和单位",
        )
        .map(Mentor::Expert),
        MentorKind::Instructor => {
            let name =
                checked_text_up_to(errors, "创业指导员姓名", &draft.instructor_name, true, 30);
            let organisation = checked_text_up_to(
                errors,
                "创业指导员单位",
                &draft.instructor_organisation,
                true,
                60,
            );
            (!name.is_empty() && !organisation.is_empty())
                .then_some(Mentor::Instructor { name, organisation })
        }
    }
}

/// Checks a mentoring as typed in; every wrong field is reported, in the form's order.
pub fn validate_mentoring(
    draft: &MentoringDraft,
    today: NaiveDate,
) -> Result<ValidMentoring, Vec<FieldError>> {
    let mut errors = Vec::new();
    let business = picked_id(
        &mut errors,
        "创业主体",
        &draft.business,
        "请选择返区创业主体",
    );
    let chosen_for = match draft.chosen_for.trim() {
        "" => note(&mut errors, "选定原因", Err("请选择".into())),
        text => note(&mut errors, "选定原因", ChosenFor::parse(text)),
    };
    let chosen_note = checked_text_up_to(&mut errors, "原因说明", &draft.chosen_note, false, 200);
    if chosen_for == Some(ChosenFor::Other) && chosen_note.is_empty() {
        errors.push(FieldError {
            field: "原因说明",
            message: "选定原因为“其他”时请说明".into(),
        });
    }
    let started_on = note(
        &mut errors,
        "开始日期",
        mentoring_day(&draft.started_on, today, None),
    );
    let mentor = mentor(&mut errors, draft);
    match (business, chosen_for, started_on, mentor) {
        (Some(business_id), Some(chosen_for), Some(started_on), Some(mentor))
            if errors.is_empty() =>
        {
            Ok(ValidMentoring {
                business_id,
                chosen_for,
                chosen_note,
                started_on,
                mentor,
                fund_joins: draft.fund_joins,
            })
        }
        _ => Err(errors),
    }
}

/// May a business of `status`, licensed on `licensed_on`, start a mentoring on `started_on`,
/// with `running` mentorings not yet ended? Not when closed, not before its licence, not
/// while another mentoring of it runs.
pub fn may_start(
    status: BusinessStatus,
    licensed_on: NaiveDate,
    started_on: NaiveDate,
    running: usize,
) -> Result<(), FieldError> {
    if status == BusinessStatus::Closed {
        return Err(FieldError {
            field: "创业主体",
            message: "该主体已关闭，不能开始新的跟踪陪跑".into(),
        });
    }
    if running > 0 {
        return Err(FieldError {
            field: "创业主体",
            message: "该主体已有进行中的跟踪陪跑".into(),
        });
    }
    if started_on < licensed_on {
        return Err(FieldError {
            field: "开始日期",
            message: format!("{started_on} 早于该主体的营业执照日期 {licensed_on}"),
        });
    }
    Ok(())
}

/// May an expert of the pool mentor? Only one still in it (在库).
pub fn expert_mentors(found: Option<crate::experts::ExpertStatus>) -> Result<(), FieldError> {
    let refused = |message: &str| FieldError {
        field: "创业导师",
        message: message.into(),
    };
    match found {
        None => Err(refused("专业人才库中没有该专家")),
        Some(crate::experts::ExpertStatus::Retired) => {
            Err(refused("该专家已退出专业人才库，不能担任创业导师"))
        }
        Some(crate::experts::ExpertStatus::Active) => Ok(()),
    }
}

/// A mentoring as it stands when something is added to it: its start and, once ended, its
/// end day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Running {
    pub started_on: NaiveDate,
    pub ended_on: Option<NaiveDate>,
}

impl Running {
    /// Nothing is added to an ended mentoring: no milestone, visit or financing contact.
    pub fn takes_entries(self) -> Result<(), String> {
        match self.ended_on {
            Some(day) => Err(format!("该跟踪陪跑已于 {day} 结束，不能再登记")),
            None => Ok(()),
        }
    }
}

/// A milestone of the plan as typed in.
#[derive(Debug, Clone, Default)]
pub struct MilestoneDraft {
    pub title: String,
    pub due_on: String,
}

/// A checked milestone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidMilestone {
    pub title: String,
    pub due_on: NaiveDate,
}

/// Checks a milestone: a title, a due day not before the start (it may be in the future).
pub fn validate_milestone(
    draft: &MilestoneDraft,
    running: Running,
) -> Result<ValidMilestone, Vec<FieldError>> {
    let mut errors = Vec::new();
    let title = checked_text_up_to(&mut errors, "节点名称", &draft.title, true, 100);
    let due_on = match cells::parse_date(&draft.due_on) {
        Ok(day) if day < running.started_on => {
            Err(format!("{day} 早于陪跑开始日期 {}", running.started_on))
        }
        other => other,
    };
    let due_on = note(&mut errors, "计划完成日期", due_on);
    match due_on {
        Some(due_on) if errors.is_empty() => Ok(ValidMilestone { title, due_on }),
        _ => Err(errors),
    }
}

/// The day a milestone was reached: not in the future, not before the start, and only once.
pub fn milestone_done_day(
    input: &str,
    running: Running,
    done_on: Option<NaiveDate>,
    today: NaiveDate,
) -> Result<NaiveDate, FieldError> {
    let refused = |message: String| FieldError {
        field: "完成日期",
        message,
    };
    if let Some(day) = done_on {
        return Err(refused(format!("该节点已于 {day} 完成")));
    }
    mentoring_day(input, today, Some((running.started_on, "陪跑开始日期"))).map_err(refused)
}

/// A visit as typed in.
#[derive(Debug, Clone, Default)]
pub struct VisitDraft {
    pub visited_on: String,
    pub visitor: String,
    pub problems_raised: String,
    pub problems_solved: String,
}

/// A checked visit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidVisit {
    pub visited_on: NaiveDate,
    pub visitor: String,
    pub problems_raised: String,
    pub problems_solved: String,
}

/// Checks a visit: its day not in the future and not before the start, who visited, the
/// problems the business raised (required) and those solved.
pub fn validate_visit(
    draft: &VisitDraft,
    running: Running,
    today: NaiveDate,
) -> Result<ValidVisit, Vec<FieldError>> {
    let mut errors = Vec::new();
    let visited_on = note(
        &mut errors,
        "走访日期",
        mentoring_day(
            &draft.visited_on,
            today,
            Some((running.started_on, "陪跑开始日期")),
        ),
    );
    let visitor = checked_text_up_to(&mut errors, "走访人", &draft.visitor, true, 60);
    let problems_raised = checked_text_up_to(
        &mut errors,
        "企业反映问题",
        &draft.problems_raised,
        true,
        1000,
    );
    let problems_solved = checked_text_up_to(
        &mut errors,
        "已解决问题",
        &draft.problems_solved,
        false,
        1000,
    );
    match visited_on {
        Some(visited_on) if errors.is_empty() => Ok(ValidVisit {
            visited_on,
            visitor,
            problems_raised,
            problems_solved,
        }),
        _ => Err(errors),
    }
}

/// A contact with a fund or investor as typed in; `amount` in 万元.
#[derive(Debug, Clone, Default)]
pub struct FinancingDraft {
    pub contacted_on: String,
    pub funder: String,
    pub amount: String,
    pub result: String,
}

/// A checked financing contact; `amount` in hundredths of 万元.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidFinancing {
    pub contacted_on: NaiveDate,
    pub funder: String,
    pub amount: i64,
    pub result: FinancingResult,
}

/// Checks a financing contact: its day (not in the future, not before the start), the fund or
/// investor, the amount sought in 万元 (≥ 0, two decimals) and where it stands.
pub fn validate_financing(
    draft: &FinancingDraft,
    running: Running,
    today: NaiveDate,
) -> Result<ValidFinancing, Vec<FieldError>> {
    let mut errors = Vec::new();
    let contacted_on = note(
        &mut errors,
        "对接日期",
        mentoring_day(
            &draft.contacted_on,
            today,
            Some((running.started_on, "陪跑开始日期")),
        ),
    );
    let funder = checked_text_up_to(&mut errors, "基金或投资机构", &draft.funder, true, 100);
    let amount = note(
        &mut errors,
        "拟融资金额（万元）",
        Quantity::parse(&draft.amount)
            .map(Quantity::hundredths)
            .map_err(|e| e.to_string()),
    );
    let result = match draft.result.trim() {
        "" => note(&mut errors, "洽谈结果", Err("请选择".into())),
        text => note(&mut errors, "洽谈结果", FinancingResult::parse(text)),
    };
    match (contacted_on, amount, result) {
        (Some(contacted_on), Some(amount), Some(result)) if errors.is_empty() => {
            Ok(ValidFinancing {
                contacted_on,
                funder,
                amount,
                result,
            })
        }
        _ => Err(errors),
    }
}

/// The end of a mentoring as typed in.
#[derive(Debug, Clone, Default)]
pub struct EndDraft {
    pub outcome: String,
    pub ended_on: String,
    pub note: String,
}

/// A checked end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidEnd {
    pub outcome: Outcome,
    pub ended_on: NaiveDate,
    pub note: String,
}

/// Checks the end of a running mentoring: an outcome (required), the end day (not in the
/// future, not before the start nor before the latest visit, milestone reached or financing
/// contact, `last_entry`), a note (required when 终止).
pub fn validate_end(
    draft: &EndDraft,
    running: Running,
    last_entry: Option<NaiveDate>,
    today: NaiveDate,
) -> Result<ValidEnd, Vec<FieldError>> {
    let mut errors = Vec::new();
    let outcome = match draft.outcome.trim() {
        "" => note(
            &mut errors,
            "结束结果",
            Err("请选择结束结果（达成目标、部分达成或终止）".into()),
        ),
        text => note(&mut errors, "结束结果", Outcome::parse(text)),
    };
    let first = match last_entry {
        Some(day) if day > running.started_on => (day, "最近一次登记日期"),
        _ => (running.started_on, "陪跑开始日期"),
    };
    let ended_on = note(
        &mut errors,
        "结束日期",
        mentoring_day(&draft.ended_on, today, Some(first)),
    );
    let end_note = checked_text_up_to(&mut errors, "结束说明", &draft.note, false, 500);
    if outcome == Some(Outcome::Terminated) && end_note.is_empty() {
        errors.push(FieldError {
            field: "结束说明",
            message: "终止陪跑时请说明原因".into(),
        });
    }
    match (outcome, ended_on) {
        (Some(outcome), Some(ended_on)) if errors.is_empty() => Ok(ValidEnd {
            outcome,
            ended_on,
            note: end_note,
        }),
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests;
