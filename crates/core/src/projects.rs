//! The project library (创业项目库, task 2.1.2): start-up projects collected by the departments
//! and industry offices with their plan quotas, screened into the library by 区人社局 (or
//! dropped, with a reason), published on the portal and adopted by returnee businesses. A
//! project counts toward 2.1.2 for its source unit once it is screened in, on the screening day.

use crate::businesses::text_field;
use crate::cells;
use crate::field::FieldError;
use crate::industry::Section;
use crate::people::parse_section;
use crate::plan::Plan;
use crate::quantity::Quantity;

/// The task whose units collect projects and whose lead unit screens them.
pub const TASK: &str = "2.1.2";
/// The largest investment taken, in 万元 (10 亿元): more is a slip in the unit.
const MAX_INVESTMENT: i64 = 100_000;

vocabulary!(
    /// Where a project stands in the library's workflow.
    ProjectStatus, "项目状态" {
        Collected = "collected", "已收集";
        ScreenedIn = "screened_in", "已入库";
        Dropped = "dropped", "未入库";
        Published = "published", "已发布";
        Adopted = "adopted", "已被采用";
    }
);

/// What moves a project along.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProjectStep {
    /// 入库: the lead unit takes the project into the library.
    ScreenIn,
    /// Not taken, with the reason the collecting unit is told.
    Drop { reason: String },
    /// Shown on the public portal.
    Publish,
    /// A returnee business takes the project up (several may).
    Adopt,
}

impl ProjectStatus {
    /// The status after `step`, or why the step does not apply: collected projects are
    /// screened in or dropped; screened-in ones are published; published ones are adopted,
    /// and stay adopted as more businesses take them up.
    pub fn after(self, step: &ProjectStep) -> Result<ProjectStatus, String> {
        use ProjectStatus::*;
        match (self, step) {
            (Collected, ProjectStep::ScreenIn) => Ok(ScreenedIn),
            (Collected, ProjectStep::Drop { .. }) => Ok(Dropped),
            (ScreenedIn, ProjectStep::Publish) => Ok(Published),
            (Published | Adopted, ProjectStep::Adopt) => Ok(Adopted),
            (status, step) => Err(format!(
                "项目当前为“{}”，不能{}",
                status.label(),
                step.label()
            )),
        }
    }

    /// Shown on the public portal.
    pub fn is_public(self) -> bool {
        matches!(self, ProjectStatus::Published | ProjectStatus::Adopted)
    }

    /// Counts toward 2.1.2: screened into the library, whatever happened after.
    pub fn is_in_library(self) -> bool {
        matches!(
            self,
            ProjectStatus::ScreenedIn | ProjectStatus::Published | ProjectStatus::Adopted
        )
    }

    /// The collecting unit may still change it: until it is screened.
    pub fn is_editable(self) -> bool {
        self == ProjectStatus::Collected
    }
}

impl ProjectStep {
    pub fn label(&self) -> &'static str {
        match self {
            ProjectStep::ScreenIn => "入库",
            ProjectStep::Drop { .. } => "不予入库",
            ProjectStep::Publish => "发布",
            ProjectStep::Adopt => "被采用",
        }
    }
}

/// The reason a project is dropped: required, so the collecting unit knows why (≤ 200 字).
pub fn drop_reason(input: &str) -> Result<String, FieldError> {
    let mut errors = Vec::new();
    let reason = text_field(&mut errors, "不予入库原因", input, true, 200);
    match errors.pop() {
        Some(error) => Err(error),
        None => Ok(reason),
    }
}

/// The units that collect projects: those with a quota on a 2.1.2 indicator, then its lead
/// units (区人社局 collects too, beside leading).
pub fn source_units(plan: &Plan) -> Vec<&str> {
    let mut units: Vec<&str> = Vec::new();
    for task in plan.tasks.iter().filter(|t| t.code == TASK) {
        let quotas = task.indicators.iter().flat_map(|i| i.quotas.iter());
        for unit in quotas
            .map(|q| q.unit.as_str())
            .chain(task.lead_units.iter().map(String::as_str))
        {
            if !units.contains(&unit) {
                units.push(unit);
            }
        }
    }
    units
}

/// A project as typed into the form.
#[derive(Debug, Clone, Default)]
pub struct ProjectDraft {
    pub name: String,
    pub section: String,
    pub investment_min: String,
    pub investment_max: String,
    pub expected_jobs: String,
    pub outlook: String,
    pub site_needs: String,
    pub policies: String,
    pub source_unit: String,
    pub agricultural: bool,
}

/// A project whose every field has been checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidProject {
    pub name: String,
    pub section: Section,
    /// 万元, in hundredths.
    pub investment_min: Quantity,
    pub investment_max: Quantity,
    pub expected_jobs: i64,
    pub outlook: String,
    pub site_needs: String,
    pub policies: String,
    pub source_unit: String,
    pub agricultural: bool,
}

/// An amount of 万元: at most two decimals, no more than 10 亿元.
fn investment(input: &str) -> Result<Quantity, String> {
    match Quantity::parse(input) {
        Ok(q) if q.hundredths() > MAX_INVESTMENT * 100 => {
            Err(format!("超过 {MAX_INVESTMENT} 万元，请以万元为单位填写"))
        }
        Ok(q) => Ok(q),
        Err(e) => Err(e.to_string()),
    }
}

/// The investment range: each amount valid, the lower no more than the upper.
fn investment_range(
    errors: &mut Vec<FieldError>,
    min: &str,
    max: &str,
) -> (Option<Quantity>, Option<Quantity>) {
    let mut note = |field, result: Result<Quantity, String>| {
        result
            .map_err(|message| errors.push(FieldError { field, message }))
            .ok()
    };
    let low = note("投资下限（万元）", investment(min));
    let high = note("投资上限（万元）", investment(max));
    if let (Some(l), Some(h)) = (low, high)
        && l > h
    {
        errors.push(FieldError {
            field: "投资上限（万元）",
            message: format!("上限（{h}）不能小于下限（{l}）"),
        });
    }
    (low, high)
}

/// Checks a project as typed in. Every wrong field is reported, in the form's order.
pub fn validate_project(
    plan: &Plan,
    draft: &ProjectDraft,
) -> Result<ValidProject, Vec<FieldError>> {
    let mut errors = Vec::new();
    let name = text_field(&mut errors, "项目名称", &draft.name, true, 60);
    let section = parse_section(&draft.section)
        .map_err(|message| {
            errors.push(FieldError {
                field: "所属行业",
                message,
            })
        })
        .ok();
    let (low, high) = investment_range(&mut errors, &draft.investment_min, &draft.investment_max);
    let jobs = match cells::parse_count(&draft.expected_jobs) {
        Ok(n) if n > 10_000 => Err(format!("{n} 人过多")),
        other => other,
    }
    .map_err(|message| {
        errors.push(FieldError {
            field: "预计带动就业（人）",
            message,
        })
    })
    .ok();
    let outlook = text_field(&mut errors, "市场前景", &draft.outlook, true, 500);
    let site_needs = text_field(&mut errors, "场地需求", &draft.site_needs, false, 200);
    let policies = text_field(&mut errors, "扶持政策", &draft.policies, false, 500);
    let source_unit = draft.source_unit.trim();
    if !source_units(plan).contains(&source_unit) {
        errors.push(FieldError {
            field: "收集单位",
            message: format!("“{source_unit}”不是承担创业项目收集任务的单位"),
        });
    }
    match (section, low, high, jobs) {
        (Some(section), Some(investment_min), Some(investment_max), Some(expected_jobs))
            if errors.is_empty() =>
        {
            Ok(ValidProject {
                name,
                section,
                investment_min,
                investment_max,
                expected_jobs,
                outlook,
                site_needs,
                policies,
                source_unit: source_unit.to_owned(),
                agricultural: draft.agricultural,
            })
        }
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests;
