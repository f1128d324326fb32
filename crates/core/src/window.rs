//! The returnee service window (返乡创业服务专窗, task 2.3.1) at the 政务服务中心: who came, what
//! they asked, the answer, and a referral to a department with a due date, followed up until
//! the department closes it. Questions asked on the portal wait in the same log for an answer.
//!
//! 东政办〔2025〕3号 任务 2.3.1: 在区政务服务中心开辟“返乡创业服务专窗”，提供政策咨询、创业指导等
//! 便利服务。系统梳理产业扶持、企业用地、财税金融等创业支持政策，帮助创业者解决实际难题。

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use crate::cells;
use crate::field::{FieldError, checked_text_up_to};
use crate::people::parse_street;
use crate::phone::Phone;
use crate::plan::Plan;
use crate::resident::ResidentId;

/// The plan task the window serves.
pub const WINDOW_TASK: &str = "2.3.1";

/// The unit that runs the 政务服务中心's counters (区行政审批局): it keeps the window beside the
/// task's lead unit.
pub const COUNTER_UNIT: &str = "xzspj";

/// The units that keep the window's log: the task's lead units and the counter's unit.
pub fn window_keepers(plan: &Plan) -> Vec<&str> {
    let mut keepers: Vec<&str> = plan
        .tasks
        .iter()
        .filter(|t| t.code == WINDOW_TASK)
        .flat_map(|t| t.lead_units.iter().map(String::as_str))
        .collect();
    if let Some(counter) = plan.unit(COUNTER_UNIT) {
        keepers.push(counter.code.as_str());
    }
    keepers
}

vocabulary!(
    /// What a visitor asks about: the window's services and the policies task 2.3.1 names.
    WindowTopic, "咨询事项" {
        Policy = "policy", "政策咨询";
        Guidance = "guidance", "创业指导";
        Industry = "industry", "产业扶持";
        Land = "land", "企业用地";
        Finance = "finance", "财税金融";
        Registration = "registration", "注册登记";
        Other = "other", "其他";
    }
);

/// What a returnee asks about from a portal page: an expert's help, a project of the library, a
/// place in a start-up carrier. Each lands in the window's log as a question awaiting an answer,
/// filed under the topic the window serves it with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Interest {
    Expert,
    Project,
    Carrier,
}

impl Interest {
    pub fn topic(self) -> WindowTopic {
        match self {
            Interest::Expert | Interest::Project => WindowTopic::Guidance,
            Interest::Carrier => WindowTopic::Land,
        }
    }

    /// The question's opening words, naming what the returnee saw (`name`, number `id`).
    pub fn question(self, name: &str, id: i64) -> String {
        match self {
            Interest::Expert => format!("希望请专家{name}（编号 {id}）提供指导："),
            Interest::Project => format!("对创业项目“{name}”（编号 {id}）感兴趣，希望了解："),
            Interest::Carrier => format!("希望入驻创业载体“{name}”（编号 {id}），想了解："),
        }
    }
}

/// Who came: a resident registered in linkong (by resident ID), or a walk-in with the little
/// the counter needs to call back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Visitor {
    Registered(ResidentId),
    WalkIn {
        name: String,
        phone: Option<Phone>,
        /// The household street they give; `None` from outside the district or not said.
        street: Option<String>,
    },
}

/// A referral to a department, which must settle it by `due_on`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Referral {
    pub unit: String,
    pub due_on: NaiveDate,
}

/// A visit as typed in at the counter.
#[derive(Debug, Clone, Default)]
pub struct VisitDraft {
    pub id_number: String,
    pub name: String,
    pub phone: String,
    pub street: String,
    pub visited_on: String,
    pub topic: String,
    pub question: String,
    pub answer: String,
    pub referred_to: String,
    pub due_on: String,
}

/// A checked visit. `answer` is empty only for a portal question waiting for one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidVisit {
    pub visitor: Visitor,
    pub visited_on: NaiveDate,
    pub topic: WindowTopic,
    pub question: String,
    pub answer: String,
    pub referral: Option<Referral>,
}

/// A question asked on the portal: name and phone to answer on, the street if they give one.
#[derive(Debug, Clone, Default)]
pub struct PortalQuestion {
    pub name: String,
    pub phone: String,
    pub street: String,
    pub topic: String,
    pub question: String,
}

/// The answer to a visit that waited for one (a portal question), with a referral if needed.
#[derive(Debug, Clone, Default)]
pub struct AnswerDraft {
    pub answer: String,
    pub referred_to: String,
    pub due_on: String,
}

/// A follow-up of a referral by the department it was referred to; `close` settles it with
/// `result`.
#[derive(Debug, Clone, Default)]
pub struct FollowUpDraft {
    pub done_on: String,
    pub note: String,
    pub close: bool,
    pub result: String,
}

/// A checked follow-up; `result` is set exactly when it closes the referral.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidFollowUp {
    pub done_on: NaiveDate,
    pub note: String,
    pub result: Option<String>,
}

const QUESTION_MAX: usize = 500;

fn note<T>(errors: &mut Vec<FieldError>, field: &'static str, r: Result<T, String>) -> Option<T> {
    r.map_err(|message| errors.push(FieldError { field, message }))
        .ok()
}

/// A date of the window's work: no later than today, not before 2000.
fn window_day(input: &str, today: NaiveDate) -> Result<NaiveDate, String> {
    match cells::parse_date(input) {
        Ok(day) if day > today => Err(format!("{day} 晚于今天")),
        Ok(day) if day.year() < 2000 => Err(format!("{day} 早于 2000 年")),
        other => other,
    }
}

/// The referral, if a department is chosen: a unit of the plan and a due date on or after the
/// visit. A department without a due date, or a due date without a department, is refused.
pub fn checked_referral(
    plan: &Plan,
    errors: &mut Vec<FieldError>,
    referred_to: &str,
    due_on: &str,
    visited_on: Option<NaiveDate>,
) -> Option<Referral> {
    let (unit, due) = (referred_to.trim(), cells::normalise(due_on));
    if unit.is_empty() {
        if !due.is_empty() {
            errors.push(FieldError {
                field: "转办部门",
                message: "填写了办结期限，请选择转办部门".into(),
            });
        }
        return None;
    }
    let unit = note(
        errors,
        "转办部门",
        plan.unit(unit)
            .map(|u| u.code.clone())
            .ok_or_else(|| format!("单位“{unit}”不在行动方案的责任单位中")),
    );
    let due_on = if due.is_empty() {
        note(errors, "办结期限", Err("转办须填写办结期限".into()))
    } else {
        note(errors, "办结期限", cells::parse_date(&due))
    };
    if let (Some(due), Some(visit)) = (due_on, visited_on)
        && due < visit
    {
        errors.push(FieldError {
            field: "办结期限",
            message: format!("{due} 早于来访日期 {visit}"),
        });
        return None;
    }
    Some(Referral {
        unit: unit?,
        due_on: due_on?,
    })
}

/// Who came: a resident ID when given (the store finds the resident), else a walk-in's name,
/// phone (optional at the counter, required on the portal) and household street.
fn checked_visitor(
    plan: &Plan,
    errors: &mut Vec<FieldError>,
    draft: &VisitDraft,
    phone_required: bool,
    today: NaiveDate,
) -> Option<Visitor> {
    if !cells::normalise(&draft.id_number).is_empty() {
        return note(
            errors,
            "身份证号码",
            ResidentId::parse_on(&draft.id_number, today).map_err(|e| e.to_string()),
        )
        .map(Visitor::Registered);
    }
    let name = checked_text_up_to(errors, "姓名", &draft.name, true, 50);
    let phone_text = cells::normalise(&draft.phone);
    let phone = if phone_text.is_empty() && !phone_required {
        Some(None)
    } else {
        note(
            errors,
            "联系电话",
            Phone::parse(&phone_text)
                .map(Some)
                .map_err(|e| e.to_string()),
        )
    };
    let street = match cells::normalise(&draft.street).as_str() {
        "" => Some(None),
        text => note(
            errors,
            "户籍街道",
            parse_street(plan, text).map(|s| Some(s.to_owned())),
        ),
    };
    Some(Visitor::WalkIn {
        name,
        phone: phone?,
        street: street?,
    })
}

/// Checks a visit logged at the counter: a visitor, a day no later than today, a topic, the
/// question and the answer given, and a referral with its due date if one is made.
pub fn validate_visit(
    plan: &Plan,
    draft: &VisitDraft,
    today: NaiveDate,
) -> Result<ValidVisit, Vec<FieldError>> {
    let mut errors = Vec::new();
    let visitor = checked_visitor(plan, &mut errors, draft, false, today);
    let visited_on = note(
        &mut errors,
        "来访日期",
        window_day(&draft.visited_on, today),
    );
    let topic = note(&mut errors, "咨询事项", WindowTopic::parse(&draft.topic));
    let question = checked_text_up_to(&mut errors, "问题", &draft.question, true, QUESTION_MAX);
    let answer = checked_text_up_to(&mut errors, "答复", &draft.answer, true, QUESTION_MAX);
    let referral = checked_referral(
        plan,
        &mut errors,
        &draft.referred_to,
        &draft.due_on,
        visited_on,
    );
    match (visitor, visited_on, topic) {
        (Some(visitor), Some(visited_on), Some(topic)) if errors.is_empty() => Ok(ValidVisit {
            visitor,
            visited_on,
            topic,
            question,
            answer,
            referral,
        }),
        _ => Err(errors),
    }
}

/// Checks a question asked on the portal: a walk-in with a name and a phone to answer on,
/// asked today, waiting for an answer.
pub fn validate_portal_question(
    plan: &Plan,
    asked: &PortalQuestion,
    today: NaiveDate,
) -> Result<ValidVisit, Vec<FieldError>> {
    let mut errors = Vec::new();
    let draft = VisitDraft {
        name: asked.name.clone(),
        phone: asked.phone.clone(),
        street: asked.street.clone(),
        ..VisitDraft::default()
    };
    let visitor = checked_visitor(plan, &mut errors, &draft, true, today);
    let topic = note(&mut errors, "咨询事项", WindowTopic::parse(&asked.topic));
    let question = checked_text_up_to(&mut errors, "问题", &asked.question, true, QUESTION_MAX);
    match (visitor, topic) {
        (Some(visitor), Some(topic)) if errors.is_empty() => Ok(ValidVisit {
            visitor,
            visited_on: today,
            topic,
            question,
            answer: String::new(),
            referral: None,
        }),
        _ => Err(errors),
    }
}

/// Checks the answer to a waiting question, with a referral if one is made.
pub fn validate_answer(
    plan: &Plan,
    draft: &AnswerDraft,
    visited_on: NaiveDate,
) -> Result<(String, Option<Referral>), Vec<FieldError>> {
    let mut errors = Vec::new();
    let answer = checked_text_up_to(&mut errors, "答复", &draft.answer, true, QUESTION_MAX);
    let referral = checked_referral(
        plan,
        &mut errors,
        &draft.referred_to,
        &draft.due_on,
        Some(visited_on),
    );
    if errors.is_empty() {
        Ok((answer, referral))
    } else {
        Err(errors)
    }
}

/// Checks a follow-up of a referral made on a visit of `visited_on`: its day between the visit
/// and today, what was done, and the result when it closes the referral.
pub fn validate_follow_up(
    draft: &FollowUpDraft,
    visited_on: NaiveDate,
    today: NaiveDate,
) -> Result<ValidFollowUp, Vec<FieldError>> {
    let mut errors = Vec::new();
    let done_on = match window_day(&draft.done_on, today) {
        Ok(day) if day < visited_on => note(
            &mut errors,
            "办理日期",
            Err(format!("{day} 早于来访日期 {visited_on}")),
        ),
        other => note(&mut errors, "办理日期", other),
    };
    let note_text = checked_text_up_to(&mut errors, "办理情况", &draft.note, true, QUESTION_MAX);
    let result = draft
        .close
        .then(|| checked_text_up_to(&mut errors, "办结结果", &draft.result, true, QUESTION_MAX));
    match done_on {
        Some(done_on) if errors.is_empty() => Ok(ValidFollowUp {
            done_on,
            note: note_text,
            result,
        }),
        _ => Err(errors),
    }
}

/// Where a visit stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum VisitStatus {
    /// A portal question nobody has answered yet.
    AwaitingAnswer,
    /// Answered at the counter, nothing referred.
    Answered,
    /// Referred, not closed, due date not passed.
    Referred,
    /// Referred, not closed, past its due date.
    Overdue,
    /// Referred and closed by the department with a result.
    Closed,
}

impl VisitStatus {
    pub fn label(self) -> &'static str {
        match self {
            VisitStatus::AwaitingAnswer => "待答复",
            VisitStatus::Answered => "已答复",
            VisitStatus::Referred => "转办中",
            VisitStatus::Overdue => "转办逾期",
            VisitStatus::Closed => "已办结",
        }
    }
}

/// Is a referral due on `due_on` overdue `today`? Past its due date (the due day itself still
/// counts as in time) and not closed.
pub fn is_overdue(due_on: NaiveDate, closed: bool, today: NaiveDate) -> bool {
    !closed && today > due_on
}

/// Where a visit stands from what it holds: answered or not, its referral's due date and
/// whether that is closed.
pub fn visit_status(
    answered: bool,
    referral_due: Option<NaiveDate>,
    closed: bool,
    today: NaiveDate,
) -> VisitStatus {
    match referral_due {
        _ if !answered => VisitStatus::AwaitingAnswer,
        None => VisitStatus::Answered,
        Some(_) if closed => VisitStatus::Closed,
        Some(due) if is_overdue(due, closed, today) => VisitStatus::Overdue,
        Some(_) => VisitStatus::Referred,
    }
}

/// May a follow-up still be recorded? Only on a referral not yet closed.
pub fn takes_follow_ups(has_referral: bool, closed: bool) -> Result<(), String> {
    match (has_referral, closed) {
        (false, _) => Err("该来访未转办，无需跟进".into()),
        (true, true) => Err("该转办事项已办结，不能再登记跟进".into()),
        (true, false) => Ok(()),
    }
}

/// Questions one address may ask on the portal within an hour; more is refused, so that the
/// window's log cannot be flooded from one place.
pub const PORTAL_QUESTIONS_PER_HOUR: i64 = 5;

/// May one more question be taken from an address that asked `recent` in the past hour?
pub fn portal_question_allowed(recent: i64) -> Result<(), String> {
    if recent >= PORTAL_QUESTIONS_PER_HOUR {
        return Err(format!(
            "提交过于频繁：同一网络一小时内最多提交 {PORTAL_QUESTIONS_PER_HOUR} 个问题，请稍后再试或拨打窗口电话"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod interest_tests {
    use super::*;

    #[test]
    fn interest_in_a_project_or_a_carrier_lands_at_the_window_under_its_topic_and_names_it() {
        assert_eq!(Interest::Project.topic(), WindowTopic::Guidance);
        assert_eq!(Interest::Carrier.topic(), WindowTopic::Land);
        assert_eq!(Interest::Expert.topic(), WindowTopic::Guidance);
        assert!(
            Interest::Carrier
                .question("慈惠返乡创业园", 3)
                .contains("“慈惠返乡创业园”（编号 3）")
        );
    }
}
