//! Applications for municipal recognition of a carrier, followed stage by stage: a municipal
//! incubation base (市级创业孵化基地, task 1.2.2: 新增市级创业孵化基地1-2家) or a municipal
//! returnee park (市级返乡创业园, task 2.4.1: 提供指导申报等全流程服务). A street or department
//! recommends, 区人社局 reviews (the seed: 区人社局负责创业孵化基地申报推荐工作), the district
//! submits it to the city, and the city recognises it or not (with the reason). Each stage is
//! dated; an approval counts on its day.

use chrono::NaiveDate;

use crate::businesses::text_field;
use crate::cells;
use crate::field::FieldError;
use crate::plan::Plan;
use crate::registry::Registry;

use super::{INCUBATOR_TASK, PARK_TASK};

/// The unit that reviews every application (the stage 区人社局审核).
pub const REVIEWING_UNIT: &str = "rsj";

vocabulary!(
    /// What recognition is applied for.
    ApplicationKind, "申报类型" {
        IncubationBase = "incubation_base", "市级创业孵化基地";
        ReturneePark = "returnee_park", "市级返乡创业园";
    }
);

impl ApplicationKind {
    /// The plan's task the recognition belongs to.
    pub fn task(self) -> &'static str {
        match self {
            ApplicationKind::IncubationBase => INCUBATOR_TASK,
            ApplicationKind::ReturneePark => PARK_TASK,
        }
    }

    /// The registry whose figure an approval of this kind fills.
    pub fn registry(self) -> Registry {
        match self {
            ApplicationKind::IncubationBase => Registry::IncubationBases,
            ApplicationKind::ReturneePark => Registry::ReturneeParks,
        }
    }

    /// The unit an approval counts for: the task's lead unit (区经科局 for 1.2.2, 区农业农村局
    /// for 2.4.1). The plan gives neither count to a unit (附件未分解到单位), and the carrier's
    /// operator is no unit of the plan; the recommending unit is kept on the application.
    pub fn counted_for(self, plan: &Plan) -> Option<&str> {
        plan.tasks
            .iter()
            .find(|t| t.code == self.task())
            .and_then(|t| t.lead_units.first())
            .map(String::as_str)
    }
}

vocabulary!(
    /// Where an application stands.
    Stage, "申报阶段" {
        Recommended = "recommended", "街道/部门推荐";
        DistrictReview = "district_review", "区人社局审核";
        SubmittedToCity = "submitted_to_city", "报市里";
        Approved = "approved", "市级认定";
        Rejected = "rejected", "未通过";
    }
);

impl Stage {
    /// Recognised or refused: nothing follows.
    pub fn is_final(self) -> bool {
        matches!(self, Stage::Approved | Stage::Rejected)
    }

    /// The stage after this one on the way to recognition.
    pub fn next(self) -> Option<Stage> {
        match self {
            Stage::Recommended => Some(Stage::DistrictReview),
            Stage::DistrictReview => Some(Stage::SubmittedToCity),
            Stage::SubmittedToCity => Some(Stage::Approved),
            Stage::Approved | Stage::Rejected => None,
        }
    }

    /// May an application at this stage move to `next`? Only to the stage that follows (none
    /// is skipped), or out as not passed from any open stage; nothing after a final one.
    pub fn may_become(self, next: Stage) -> Result<(), String> {
        if self.is_final() {
            return Err(format!("申报已{}，不能再变更", self.label()));
        }
        if next == Stage::Rejected || self.next() == Some(next) {
            return Ok(());
        }
        match self.next() {
            Some(expected) => Err(format!(
                "当前为“{}”，下一步应为“{}”，不能直接到“{}”",
                self.label(),
                expected.label(),
                next.label()
            )),
            None => Err(format!("当前为“{}”，不能再变更", self.label())),
        }
    }
}

/// A step as checked: the stage reached, its day and the note (the reason when not passed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub stage: Stage,
    pub on: NaiveDate,
    pub note: String,
}

/// A day of the application: not in the future, not before `since` (the last stage's day).
fn step_day(on: &str, since: NaiveDate, today: NaiveDate) -> Result<NaiveDate, String> {
    match cells::parse_date(on) {
        Ok(day) if day > today => Err(format!("{day} 晚于今天")),
        Ok(day) if day < since => Err(format!("{day} 早于上一阶段的日期 {since}")),
        other => other,
    }
}

/// Checks the next step of an application at `current` since `since`: a stage that follows
/// (none skipped), dated between the last stage and today, and a reason when it did not pass.
pub fn application_step(
    (current, since): (Stage, NaiveDate),
    stage: &str,
    on: &str,
    note: &str,
    today: NaiveDate,
) -> Result<Step, Vec<FieldError>> {
    let mut errors = Vec::new();
    let stage = Stage::parse(stage)
        .and_then(|next| current.may_become(next).map(|()| next))
        .map_err(|message| {
            errors.push(FieldError {
                field: "申报阶段",
                message,
            })
        })
        .ok();
    let day = step_day(on, since, today)
        .map_err(|message| {
            errors.push(FieldError {
                field: "阶段日期",
                message,
            })
        })
        .ok();
    let rejected = stage == Some(Stage::Rejected);
    let field = if rejected {
        "未通过原因"
    } else {
        "说明"
    };
    let note = text_field(&mut errors, field, note, rejected, 200);
    match (stage, day) {
        (Some(stage), Some(on)) if errors.is_empty() => Ok(Step { stage, on, note }),
        _ => Err(errors),
    }
}

/// Checks a new application (the recommendation, dated `on`) of `kind` for a carrier with the
/// applications `existing` (kind and stage): one open application of a kind at a time, and
/// none once the carrier is recognised as such.
pub fn new_application(
    kind: &str,
    on: &str,
    existing: &[(ApplicationKind, Stage)],
    today: NaiveDate,
) -> Result<(ApplicationKind, NaiveDate), Vec<FieldError>> {
    let mut errors = Vec::new();
    let kind = match ApplicationKind::parse(kind) {
        Ok(kind) => match existing
            .iter()
            .find(|(k, s)| *k == kind && *s != Stage::Rejected)
        {
            Some((_, Stage::Approved)) => Err(format!("该载体已认定为{}", kind.label())),
            Some((_, stage)) => Err(format!(
                "该载体已有一份{}申报正在办理（{}）",
                kind.label(),
                stage.label()
            )),
            None => Ok(kind),
        },
        Err(e) => Err(e),
    }
    .map_err(|message| {
        errors.push(FieldError {
            field: "申报类型",
            message,
        })
    })
    .ok();
    let day = match cells::parse_date(on) {
        Ok(day) if day > today => Err(format!("{day} 晚于今天")),
        other => other,
    }
    .map_err(|message| {
        errors.push(FieldError {
            field: "推荐日期",
            message,
        })
    })
    .ok();
    match (kind, day) {
        (Some(kind), Some(day)) if errors.is_empty() => Ok((kind, day)),
        _ => Err(errors),
    }
}

/// A document of an application (申报材料): its name and the day it is dated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    pub name: String,
    pub on: NaiveDate,
}

/// Checks a document: a name, and a day not in the future (materials are often dated before
/// the recommendation that sends them).
pub fn document(name: &str, on: &str, today: NaiveDate) -> Result<Document, Vec<FieldError>> {
    let mut errors = Vec::new();
    let name = text_field(&mut errors, "材料名称", name, true, 100);
    let day = match cells::parse_date(on) {
        Ok(day) if day > today => Err(format!("{day} 晚于今天")),
        other => other,
    }
    .map_err(|message| {
        errors.push(FieldError {
            field: "材料日期",
            message,
        })
    })
    .ok();
    match day {
        Some(on) if errors.is_empty() => Ok(Document { name, on }),
        _ => Err(errors),
    }
}
