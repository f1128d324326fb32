//! The yearly selection round of returnee start-up projects (返区创业项目遴选, task 2.5.2): each
//! of the 21 units with a 2.5.2 quota recommends at least one project of a returnee business;
//! 涉农 entries go to 区农业农村局, the others to 区人社局, and each lead shortlists its entries,
//! sends the shortlist upward (报送上级) on a day, and records the outcome (入选 / 未入选).
//!
//! **What 2.5.2's figure counts.** The appendix gives the 21 units the duty "各推荐至少1个优秀
//! 返区创业项目": the unit's own work is the recommendation; the shortlist, the sending upward and
//! the city's choice are the leads' and the city's. So a recommendation counts for the
//! recommending unit on the day it is made, whatever becomes of it later (not shortlisted and
//! not selected included). The leads' steps are kept and shown on every entry, not counted.
//!
//! **Which lead an entry goes to** ([`route_of`]): 涉农 when the business is in GB/T 4754
//! section A (农、林、牧、渔业) or names 现代农业 among its new business forms; every other entry,
//! 乡村旅游, 休闲民宿 and 生态康养 included, goes to 区人社局. Those forms are services (sections H,
//! O, R) that 区文旅局 itself recommends for; the industry decides, and 现代农业 marks the farming
//! businesses registered under another section (a farm shop selling its own produce online).
//! The route is decided once, at the recommendation, and kept with the entry.

use chrono::{Datelike, NaiveDate};

use crate::businesses::{BusinessForm, BusinessStatus, text_field};
use crate::cells;
use crate::field::FieldError;
use crate::plan::Plan;

/// The task of the selection round.
pub const TASK: &str = "2.5.2";

vocabulary!(
    /// Which lead unit gathers an entry (2.5.2: 区人社局统筹非涉农项目汇总，区农业农村局统筹涉农项目汇总).
    Route, "归口" {
        Agricultural = "agricultural", "涉农";
        Other = "other", "非涉农";
    }
);

impl Route {
    /// The lead unit that gathers, shortlists and sends up the entries of this route.
    pub fn lead(self) -> &'static str {
        match self {
            Route::Agricultural => "nyncj",
            Route::Other => "rsj",
        }
    }

    /// The route `unit` leads, if it leads one.
    pub fn led_by(unit: &str) -> Option<Route> {
        Route::ALL.iter().copied().find(|r| r.lead() == unit)
    }
}

/// The route of a business's project: 涉农 for GB/T 4754 section A or the form 现代农业 (see the
/// module's reading), otherwise 区人社局's.
pub fn route_of(section: char, forms: &[BusinessForm]) -> Route {
    if section == 'A' || forms.contains(&BusinessForm::ModernAgriculture) {
        Route::Agricultural
    } else {
        Route::Other
    }
}

vocabulary!(
    /// Where an entry of the round stands.
    EntryStatus, "遴选状态" {
        Recommended = "recommended", "已推荐";
        Shortlisted = "shortlisted", "已入围";
        NotShortlisted = "not_shortlisted", "未入围";
        SentUp = "sent_up", "已报送上级";
        Selected = "selected", "入选";
        NotSelected = "not_selected", "未入选";
    }
);

/// What moves an entry along; all are the lead unit's of the entry's route.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EntryStep {
    /// 入围: put on the shortlist.
    Shortlist,
    /// Not put on the shortlist, with the reason the recommending unit is told.
    Pass { note: String },
    /// The shortlist goes upward (报送上级) on `on`.
    SendUp { on: NaiveDate },
    /// The upper level's decision, with a note (the list it was published in, a prize).
    Outcome { selected: bool, note: String },
}

impl EntryStep {
    pub fn label(&self) -> &'static str {
        match self {
            EntryStep::Shortlist => "入围",
            EntryStep::Pass { .. } => "不予入围",
            EntryStep::SendUp { .. } => "报送上级",
            EntryStep::Outcome { .. } => "登记遴选结果",
        }
    }
}

impl EntryStatus {
    /// The status after `step`, or why it does not apply: recommended entries are shortlisted
    /// or not; shortlisted ones are sent up; sent-up ones get their outcome, and only they.
    pub fn after(self, step: &EntryStep) -> Result<EntryStatus, String> {
        use EntryStatus::*;
        match (self, step) {
            (Recommended, EntryStep::Shortlist) => Ok(Shortlisted),
            (Recommended, EntryStep::Pass { .. }) => Ok(NotShortlisted),
            (Shortlisted, EntryStep::SendUp { .. }) => Ok(SentUp),
            (SentUp, EntryStep::Outcome { selected, .. }) => {
                Ok(if *selected { Selected } else { NotSelected })
            }
            (Recommended | Shortlisted, EntryStep::Outcome { .. }) => {
                Err("尚未报送上级，不能登记遴选结果".into())
            }
            (status, step) => Err(format!(
                "项目当前为“{}”，不能{}",
                status.label(),
                step.label()
            )),
        }
    }

    /// Has the upper level decided?
    pub fn is_decided(self) -> bool {
        matches!(self, EntryStatus::Selected | EntryStatus::NotSelected)
    }
}

/// The units that recommend: those with a quota on 2.5.2 (3 departments, 12 streets, 6
/// industry offices).
pub fn recommending_units(plan: &Plan) -> Vec<&str> {
    plan.quota_units(TASK)
}

/// The round's checklist: each recommending unit with how many of `recommenders` (the
/// recommending unit of each entry of the round) are its, in the plan's order.
pub fn round_checklist<'p>(plan: &'p Plan, recommenders: &[&str]) -> Vec<(&'p str, usize)> {
    recommending_units(plan)
        .into_iter()
        .map(|unit| (unit, recommenders.iter().filter(|r| **r == unit).count()))
        .collect()
}

/// The round a recommendation made on `today` belongs to: today's year, if the plan runs then.
pub fn round_year(plan: &Plan, today: NaiveDate) -> Result<i32, String> {
    let year = today.year();
    if plan.years().contains(&year) {
        Ok(year)
    } else {
        Err(format!(
            "{year} 年不在行动方案（{}—{} 年）之内，不开展项目遴选",
            plan.info.first_year, plan.info.last_year
        ))
    }
}

/// A recommendation as typed into the form: the business (its id) and the project's words.
#[derive(Debug, Clone, Default)]
pub struct EntryDraft {
    pub business: String,
    pub title: String,
    pub reason: String,
}

/// A recommendation whose every field has been checked; the store checks the business.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidEntry {
    pub business_id: i64,
    pub title: String,
    pub reason: String,
}

/// An id picked from a select: a positive number, or the field's message.
pub fn picked_id(
    errors: &mut Vec<FieldError>,
    field: &'static str,
    input: &str,
    missing: &str,
) -> Option<i64> {
    match input.trim().parse::<i64>() {
        Ok(id) if id > 0 => Some(id),
        _ => {
            errors.push(FieldError {
                field,
                message: missing.to_owned(),
            });
            None
        }
    }
}

/// Checks a recommendation as typed in. Every wrong field is reported, in the form's order.
pub fn validate_entry(draft: &EntryDraft) -> Result<ValidEntry, Vec<FieldError>> {
    let mut errors = Vec::new();
    let business = picked_id(
        &mut errors,
        "创业主体",
        &draft.business,
        "请选择返区创业主体",
    );
    let title = text_field(&mut errors, "项目名称", &draft.title, true, 60);
    let reason = text_field(&mut errors, "推荐理由", &draft.reason, true, 1000);
    match business {
        Some(business_id) if errors.is_empty() => Ok(ValidEntry {
            business_id,
            title,
            reason,
        }),
        _ => Err(errors),
    }
}

/// May a business be recommended in a round? It trades (a closed business is no project to
/// recommend), and no unit recommended it in that round yet (`taken_by`: the unit that did),
/// so one business counts once a year.
pub fn recommendable(status: BusinessStatus, taken_by: Option<&str>) -> Result<(), FieldError> {
    let message = match (status, taken_by) {
        (BusinessStatus::Closed, _) => "已关闭的创业主体不能推荐".to_owned(),
        (_, Some(unit)) => format!("本年度已由{unit}推荐，不能重复推荐"),
        _ => return Ok(()),
    };
    Err(FieldError {
        field: "创业主体",
        message,
    })
}

/// Why an entry is not shortlisted: required, so the recommending unit knows (≤ 200 字).
pub fn pass_note(input: &str) -> Result<String, FieldError> {
    one_field(|errors| text_field(errors, "未入围原因", input, true, 200))
}

/// The note of an outcome (optional, ≤ 200 字).
pub fn outcome_note(input: &str) -> Result<String, FieldError> {
    one_field(|errors| text_field(errors, "结果说明", input, false, 200))
}

/// The day a shortlist goes upward: a date of the round's year, not after today.
pub fn sent_up_day(input: &str, round: i32, today: NaiveDate) -> Result<NaiveDate, FieldError> {
    let day = match cells::parse_date(input) {
        Ok(day) if day > today => Err(format!("{day} 晚于今天")),
        Ok(day) if day.year() != round => Err(format!("{day} 不在 {round} 年遴选的年度内")),
        other => other,
    };
    day.map_err(|message| FieldError {
        field: "报送日期",
        message,
    })
}

fn one_field(check: impl FnOnce(&mut Vec<FieldError>) -> String) -> Result<String, FieldError> {
    let mut errors = Vec::new();
    let value = check(&mut errors);
    match errors.pop() {
        Some(error) => Err(error),
        None => Ok(value),
    }
}

#[cfg(test)]
mod tests;
