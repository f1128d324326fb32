//! The task force's steering (保障措施 of 东政办〔2025〕3号): "建立工作专班……定期召开联席会议，
//! 研究解决工作中的重点难点问题", supervision of lagging units (督办) and publicity (宣传).
//!
//! - A **joint meeting** (联席会议) reviews one quarter: its date, chair, the units attending,
//!   the minutes, and decisions as action items, each with an owner unit and a due date. When it
//!   is recorded, the district's progress as of the quarter's end is frozen into it, and the
//!   supervision items open or raised in the quarter are listed with their state at that moment.
//! - A **supervision item** (督办事项) is raised by the task force on one unit, usually from a
//!   lag flag of the dashboard (an indicator the unit is behind on): the problem, the action
//!   required and a time limit in working days (the due date counted by the State Council
//!   calendar). The unit answers with what it did and evidence; the task force closes it, or
//!   escalates it (the unit must answer again). Not closed by its due date, it is overdue and
//!   listed in the quarterly report.
//! - A **publicity item** (宣传报道) is an article, broadcast or post about the work, by
//!   区融媒体中心 or another unit, with its link; counted per quarter.
//!
//! Who may do what is in [`crate::access`] (`steering.rs`).

use chrono::NaiveDate;

use crate::calendar::WorkCalendar;
use crate::field::{FieldError, checked_text_up_to, parse_date};
use crate::plan::Plan;
use crate::reporting::ReportPeriod;

/// Longest problem, action, response or minutes text.
pub const MAX_TEXT_CHARS: usize = 2000;
/// Longest time limit of a supervision item, in working days.
pub const MAX_WORKING_DAYS: u32 = 60;
/// Most decisions one meeting records.
pub const MAX_DECISIONS: usize = 30;

vocabulary!(
    /// Where a supervision item stands.
    SupervisionStatus, "督办状态" {
        Open = "open", "待办理";
        Answered = "answered", "已反馈";
        Escalated = "escalated", "已升级督办";
        Closed = "closed", "已办结";
    }
);

impl SupervisionStatus {
    /// Still waiting on the unit or on the task force.
    pub fn is_open(self) -> bool {
        self != SupervisionStatus::Closed
    }

    /// Whether the unit may answer now: before the task force closes it.
    pub fn takes_answer(self) -> bool {
        matches!(
            self,
            SupervisionStatus::Open | SupervisionStatus::Escalated | SupervisionStatus::Answered
        )
    }

    /// Whether the task force may close it: once the unit has answered.
    pub fn may_close(self) -> bool {
        self == SupervisionStatus::Answered
    }

    /// Whether the task force may escalate it: any time before it is closed.
    pub fn may_escalate(self) -> bool {
        self.is_open()
    }
}

/// Overdue: not closed, and its due date is past.
pub fn is_overdue(status: SupervisionStatus, due_on: NaiveDate, today: NaiveDate) -> bool {
    status.is_open() && today > due_on
}

vocabulary!(
    /// The kind of a publicity item.
    PublicityKind, "宣传形式" {
        Article = "article", "新闻报道";
        Broadcast = "broadcast", "广播电视";
        NewMedia = "new_media", "新媒体";
        Poster = "poster", "宣传海报、展板";
        Other = "other", "其他";
    }
);

/// A supervision item as typed (the dashboard's lag flag fills unit and indicator).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SupervisionDraft {
    pub unit: String,
    pub indicator: String,
    pub problem: String,
    pub action: String,
    /// The time limit, in working days from the day it is raised.
    pub working_days: String,
}

/// A checked supervision item, its due date counted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidSupervision {
    pub unit: String,
    pub indicator: Option<String>,
    pub problem: String,
    pub action: String,
    pub working_days: u32,
    pub raised_on: NaiveDate,
    pub due_on: NaiveDate,
}

/// Checks a supervision item raised on `today`; every wrong field is named.
pub fn validate_supervision(
    plan: &Plan,
    calendar: &WorkCalendar,
    draft: &SupervisionDraft,
    today: NaiveDate,
) -> Result<ValidSupervision, Vec<FieldError>> {
    let mut errors = Vec::new();
    let unit = draft.unit.trim();
    if plan.unit(unit).is_none() {
        errors.push(FieldError {
            field: "督办单位",
            message: if unit.is_empty() {
                "请选择被督办的单位".into()
            } else {
                format!("未知的单位“{unit}”")
            },
        });
    }
    let indicator = match draft.indicator.trim() {
        "" => None,
        code if crate::record::find_indicator(plan, code).is_some() => Some(code.to_owned()),
        code => {
            errors.push(FieldError {
                field: "相关指标",
                message: format!("未知的指标“{code}”"),
            });
            None
        }
    };
    let problem = checked_text_up_to(
        &mut errors,
        "存在问题",
        &draft.problem,
        true,
        MAX_TEXT_CHARS,
    );
    let action = checked_text_up_to(&mut errors, "整改要求", &draft.action, true, MAX_TEXT_CHARS);
    let working_days = working_days(&mut errors, &draft.working_days);
    match (errors.is_empty(), working_days) {
        (true, Some(days)) => Ok(ValidSupervision {
            unit: unit.to_owned(),
            indicator,
            problem,
            action,
            working_days: days,
            raised_on: today,
            due_on: calendar.add_working_days(today, days),
        }),
        _ => Err(errors),
    }
}

/// The time limit in working days: a whole number from 1 to [`MAX_WORKING_DAYS`].
fn working_days(errors: &mut Vec<FieldError>, input: &str) -> Option<u32> {
    let text = input.trim();
    let message = match text.parse::<u32>() {
        _ if text.is_empty() => "请填写办理时限（工作日）".to_owned(),
        Ok(days @ 1..=MAX_WORKING_DAYS) => return Some(days),
        _ => format!("“{text}”不是 1 至 {MAX_WORKING_DAYS} 之间的工作日数"),
    };
    errors.push(FieldError {
        field: "办理时限",
        message,
    });
    None
}

/// The unit's answer (or the task force's note when closing or escalating): required text.
pub fn checked_note(field: &'static str, input: &str) -> Result<String, Vec<FieldError>> {
    let mut errors = Vec::new();
    let note = checked_text_up_to(&mut errors, field, input, true, MAX_TEXT_CHARS);
    if errors.is_empty() {
        Ok(note)
    } else {
        Err(errors)
    }
}

/// One decision of a meeting as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DecisionDraft {
    pub text: String,
    pub owner: String,
    pub due_on: String,
}

/// A joint meeting as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MeetingDraft {
    pub held_on: String,
    pub quarter: String,
    pub chair: String,
    pub attendees: Vec<String>,
    pub minutes: String,
    pub decisions: Vec<DecisionDraft>,
}

/// A checked decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidDecision {
    pub text: String,
    pub owner: String,
    pub due_on: NaiveDate,
}

/// A checked joint meeting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidMeeting {
    pub held_on: NaiveDate,
    pub quarter: ReportPeriod,
    pub chair: String,
    pub attendees: Vec<String>,
    pub minutes: String,
    pub decisions: Vec<ValidDecision>,
}

/// Checks a meeting: held on or before `today`, reviewing a quarter that has ended by then,
/// with known attending units and decisions each with an owner unit and a due date (a decision
/// row left wholly blank is dropped). Every wrong field is named, a decision's by its number.
pub fn validate_meeting(
    plan: &Plan,
    draft: &MeetingDraft,
    today: NaiveDate,
) -> Result<ValidMeeting, Vec<FieldError>> {
    let mut errors = Vec::new();
    let held_on = meeting_date(&mut errors, &draft.held_on, today);
    let quarter = meeting_quarter(&mut errors, plan, &draft.quarter, held_on);
    let chair = checked_text_up_to(&mut errors, "主持人", &draft.chair, true, 50);
    let minutes = checked_text_up_to(
        &mut errors,
        "会议纪要",
        &draft.minutes,
        true,
        MAX_TEXT_CHARS,
    );
    let attendees = attending_units(&mut errors, plan, &draft.attendees);
    let decisions = decisions(&mut errors, plan, &draft.decisions);
    match (errors.is_empty(), held_on, quarter) {
        (true, Some(held_on), Some(quarter)) => Ok(ValidMeeting {
            held_on,
            quarter,
            chair,
            attendees,
            minutes,
            decisions,
        }),
        _ => Err(errors),
    }
}

fn meeting_date(errors: &mut Vec<FieldError>, input: &str, today: NaiveDate) -> Option<NaiveDate> {
    let message = match parse_date(input) {
        Some(day) if day <= today => return Some(day),
        Some(day) => format!("{day} 晚于今天，会议召开后再登记"),
        None if input.trim().is_empty() => "请填写会议日期".into(),
        None => format!("“{}”不是日期", input.trim()),
    };
    errors.push(FieldError {
        field: "会议日期",
        message,
    });
    None
}

fn meeting_quarter(
    errors: &mut Vec<FieldError>,
    plan: &Plan,
    input: &str,
    held_on: Option<NaiveDate>,
) -> Option<ReportPeriod> {
    let message = match ReportPeriod::parse(input, plan) {
        Ok(period @ ReportPeriod::Quarter { .. })
            if held_on.is_none_or(|day| day > period.range().1) =>
        {
            return Some(period);
        }
        Ok(period @ ReportPeriod::Quarter { .. }) => {
            format!("{}尚未结束，会议须在季度结束后召开", period.label())
        }
        Ok(_) => "请选择一个季度（如 2025Q3）".into(),
        Err(e) => e.to_string(),
    };
    errors.push(FieldError {
        field: "研究季度",
        message,
    });
    None
}

fn attending_units(errors: &mut Vec<FieldError>, plan: &Plan, codes: &[String]) -> Vec<String> {
    let mut units: Vec<String> = Vec::new();
    for code in codes.iter().map(|c| c.trim()).filter(|c| !c.is_empty()) {
        if plan.unit(code).is_none() {
            errors.push(FieldError {
                field: "参会单位",
                message: format!("未知的单位“{code}”"),
            });
        } else if !units.iter().any(|u| u == code) {
            units.push(code.to_owned());
        }
    }
    if units.is_empty() && !errors.iter().any(|e| e.field == "参会单位") {
        errors.push(FieldError {
            field: "参会单位",
            message: "请至少选择一个参会单位".into(),
        });
    }
    units
}

fn decisions(
    errors: &mut Vec<FieldError>,
    plan: &Plan,
    drafts: &[DecisionDraft],
) -> Vec<ValidDecision> {
    let filled: Vec<&DecisionDraft> = drafts
        .iter()
        .filter(|d| {
            !(d.text.trim().is_empty() && d.owner.trim().is_empty() && d.due_on.trim().is_empty())
        })
        .collect();
    if filled.len() > MAX_DECISIONS {
        errors.push(FieldError {
            field: "议定事项",
            message: format!("一次会议最多登记 {MAX_DECISIONS} 项"),
        });
        return Vec::new();
    }
    let mut valid = Vec::new();
    for (i, d) in filled.into_iter().enumerate() {
        let n = i + 1;
        let mut wrong = |field: &'static str, message: String| {
            errors.push(FieldError {
                field,
                message: format!("第 {n} 项：{message}"),
            })
        };
        let text = d.text.trim();
        if text.is_empty() {
            wrong("议定事项", "请填写事项内容".into());
        } else if text.chars().count() > 500 {
            wrong("议定事项", "最多 500 个字".into());
        }
        let owner = d.owner.trim();
        if owner.is_empty() {
            wrong("责任单位", "请选择责任单位".into());
        } else if plan.unit(owner).is_none() {
            wrong("责任单位", format!("未知的单位“{owner}”"));
        }
        let due_on = parse_date(&d.due_on);
        if due_on.is_none() {
            wrong(
                "完成时限",
                if d.due_on.trim().is_empty() {
                    "请填写完成时限".into()
                } else {
                    format!("“{}”不是日期", d.due_on.trim())
                },
            );
        }
        if let (Some(due_on), false, Some(_)) = (due_on, text.is_empty(), plan.unit(owner)) {
            valid.push(ValidDecision {
                text: text.to_owned(),
                owner: owner.to_owned(),
                due_on,
            });
        }
    }
    valid
}

/// A publicity item as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PublicityDraft {
    pub unit: String,
    pub kind: String,
    pub title: String,
    pub outlet: String,
    pub published_on: String,
    pub link: String,
}

/// A checked publicity item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidPublicity {
    pub unit: String,
    pub kind: PublicityKind,
    pub title: String,
    pub outlet: String,
    pub published_on: NaiveDate,
    pub link: String,
}

/// Checks a publicity item: published by `today`, its link a web address (http or https) when
/// given (a broadcast may have none).
pub fn validate_publicity(
    plan: &Plan,
    draft: &PublicityDraft,
    today: NaiveDate,
) -> Result<ValidPublicity, Vec<FieldError>> {
    let mut errors = Vec::new();
    let unit = draft.unit.trim();
    if plan.unit(unit).is_none() {
        errors.push(FieldError {
            field: "发布单位",
            message: format!("未知的单位“{unit}”"),
        });
    }
    let kind = PublicityKind::parse(draft.kind.trim())
        .map_err(|message| {
            errors.push(FieldError {
                field: "宣传形式",
                message,
            })
        })
        .ok();
    let title = checked_text_up_to(&mut errors, "标题", &draft.title, true, 200);
    let outlet = checked_text_up_to(&mut errors, "刊发媒体", &draft.outlet, true, 100);
    let published_on = match parse_date(&draft.published_on) {
        Some(day) if day <= today => Some(day),
        other => {
            errors.push(FieldError {
                field: "发布日期",
                message: match other {
                    Some(day) => format!("{day} 晚于今天"),
                    None => "请填写发布日期".into(),
                },
            });
            None
        }
    };
    let link = draft.link.trim().to_owned();
    let web = link.starts_with("https://") || link.starts_with("http://");
    if !link.is_empty()
        && (!web || link.chars().count() > 500 || link.contains(char::is_whitespace))
    {
        errors.push(FieldError {
            field: "链接",
            message: "须为以 http:// 或 https:// 开头的网址".into(),
        });
    }
    match (errors.is_empty(), kind, published_on) {
        (true, Some(kind), Some(published_on)) => Ok(ValidPublicity {
            unit: unit.to_owned(),
            kind,
            title,
            outlet,
            published_on,
            link,
        }),
        _ => Err(errors),
    }
}

/// One indicator's district figure as a meeting's minutes freeze it (values in hundredths).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct FrozenLine {
    pub indicator_code: String,
    pub name: String,
    pub measure: String,
    pub target: Option<i64>,
    pub actual: Option<i64>,
    pub completion: Option<f64>,
    pub pro_rata: f64,
    /// The status's label (滞后…), or none for an activity without a target.
    pub status: Option<String>,
}

/// The district's figure of every indicator, in the plan's order, as frozen into minutes.
pub fn freeze(plan: &Plan, progress: &[crate::progress::IndicatorProgress]) -> Vec<FrozenLine> {
    plan.indicators()
        .filter_map(|(_, indicator)| {
            let shown = progress
                .iter()
                .find(|p| p.indicator_code == indicator.code)?;
            let figure = &shown.district;
            Some(FrozenLine {
                indicator_code: indicator.code.clone(),
                name: indicator.name.clone(),
                measure: indicator.measure.clone(),
                target: figure.target,
                actual: figure.actual,
                completion: figure.completion,
                pro_rata: figure.pro_rata,
                status: figure.status.map(|s| s.label().to_owned()),
            })
        })
        .collect()
}

/// A meeting decision's follow-up, checked: what its owner did (落实情况) and on which day —
/// not before the meeting, not after `today`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidFollowUp {
    pub note: String,
    pub done_on: NaiveDate,
}

/// Checks a decision's follow-up as typed, for a decision taken at a meeting held on `held_on`.
/// Every wrong field is named.
pub fn validate_follow_up(
    note: &str,
    done_on: &str,
    held_on: NaiveDate,
    today: NaiveDate,
) -> Result<ValidFollowUp, Vec<FieldError>> {
    let mut errors = Vec::new();
    let note = checked_text_up_to(&mut errors, "落实情况", note, true, MAX_TEXT_CHARS);
    let message = match parse_date(done_on) {
        Some(day) if day < held_on => Some(format!("{day} 早于会议日期 {held_on}")),
        Some(day) if day > today => Some(format!("{day} 晚于今天")),
        Some(_) => None,
        None if done_on.trim().is_empty() => Some("请填写落实日期".into()),
        None => Some(format!("“{}”不是日期", done_on.trim())),
    };
    if let Some(message) = message {
        errors.push(FieldError {
            field: "落实日期",
            message,
        });
    }
    match parse_date(done_on) {
        Some(done_on) if errors.is_empty() => Ok(ValidFollowUp { note, done_on }),
        _ => Err(errors),
    }
}

/// A decision is overdue while not followed up and its due date is past.
pub fn decision_overdue(done_on: Option<NaiveDate>, due_on: NaiveDate, today: NaiveDate) -> bool {
    done_on.is_none() && today > due_on
}

/// A supervision item as a meeting's minutes list it, in its state when they were recorded.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ListedItem {
    pub id: i64,
    pub unit_code: String,
    pub problem: String,
    pub due_on: NaiveDate,
    /// The status's label.
    pub status: String,
    pub overdue: bool,
}

#[cfg(test)]
mod tests;
