//! The action plan as data: units, sections, tasks, indicators and quotas, read from a plan
//! file (`plans/*.toml`, format in `docs/plan-format.md`) and checked before anything uses it.
//!
//! [`Plan::parse`] is the only way to get a [`Plan`]; it reports every problem it finds, each
//! with its line and a path such as `tasks[1.1.1].indicators[1.1.1.positions].quotas.foo`.

use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

mod file;
mod parse;

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Hash)]
#[serde(rename_all = "snake_case")]
pub enum UnitKind {
    Street,
    IndustryOffice,
    Department,
    MassOrganisation,
    PublicInstitution,
    Soe,
}

impl UnitKind {
    pub const ALL: [UnitKind; 6] = [
        UnitKind::Street,
        UnitKind::IndustryOffice,
        UnitKind::Department,
        UnitKind::MassOrganisation,
        UnitKind::PublicInstitution,
        UnitKind::Soe,
    ];

    pub fn code(self) -> &'static str {
        match self {
            UnitKind::Street => "street",
            UnitKind::IndustryOffice => "industry_office",
            UnitKind::Department => "department",
            UnitKind::MassOrganisation => "mass_organisation",
            UnitKind::PublicInstitution => "public_institution",
            UnitKind::Soe => "soe",
        }
    }

    pub fn parse(code: &str) -> Option<UnitKind> {
        UnitKind::ALL.into_iter().find(|k| k.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            UnitKind::Street => "街道",
            UnitKind::IndustryOffice => "产业办",
            UnitKind::Department => "区直部门",
            UnitKind::MassOrganisation => "群团组织",
            UnitKind::PublicInstitution => "事业单位",
            UnitKind::Soe => "区属国企",
        }
    }
}

/// How an indicator's target reads in the seed.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Comparator {
    /// 以上 / 不低于 / 至少
    AtLeast,
    /// a plain number ("40场")
    Reach,
    /// a range ("1-2家"); reaching the lower bound completes it
    Between,
    /// The seed asks for the work but gives no number: the registry's count is shown as
    /// activity, with no target, completion or pro-rata (无目标值), and is not assessed.
    Activity,
}

impl Comparator {
    pub fn label(self) -> &'static str {
        match self {
            Comparator::AtLeast => "不低于",
            Comparator::Reach => "目标",
            Comparator::Between => "区间",
            Comparator::Activity => "无目标值",
        }
    }
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Period {
    /// 每年: the target applies to each plan year.
    Year,
    /// The whole plan period (2025–2027), counted cumulatively.
    Plan,
}

impl Period {
    pub fn label(self) -> &'static str {
        match self {
            Period::Year => "每年",
            Period::Plan => "方案期内",
        }
    }
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Aggregation {
    /// Records add up (positions, events, person-times).
    #[default]
    Sum,
    /// A rate: the most recent record is the value.
    Latest,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanInfo {
    pub code: String,
    pub name: String,
    pub document_number: String,
    pub issuer: String,
    pub issued_on: NaiveDate,
    pub district_code: String,
    pub district_name: String,
    pub first_year: i32,
    pub last_year: i32,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reporting {
    pub quarterly_due_working_days: u32,
    /// (month, day) of the annual report's deadline in the plan year.
    #[cfg_attr(feature = "openapi", schema(value_type = [u32; 2], min_items = 2, max_items = 2))]
    pub annual_due: (u32, u32),
    pub source: String,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Unit {
    pub code: String,
    pub name: String,
    pub full_name: String,
    pub kind: UnitKind,
    pub aliases: Vec<String>,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Section {
    pub code: String,
    pub title: String,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Duty {
    pub units: Vec<String>,
    pub text: String,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Quota {
    pub unit: String,
    /// The unit's quota per period: kept in hundredths of the measure, written as the number
    /// people read (see [`crate::quantity::Quantity`]).
    #[cfg_attr(feature = "openapi", schema(value_type = crate::quantity::Quantity))]
    #[serde(serialize_with = "crate::quantity::serialize_hundredths")]
    pub target: i64,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Indicator {
    pub code: String,
    pub name: String,
    pub measure: String,
    pub comparator: Comparator,
    /// District-wide target per period: kept in hundredths, written as the number people read;
    /// `None` exactly for an activity indicator (no number in the seed).
    #[cfg_attr(feature = "openapi", schema(value_type = Option<crate::quantity::Quantity>))]
    #[serde(serialize_with = "crate::quantity::serialize_opt_hundredths")]
    pub target: Option<i64>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<crate::quantity::Quantity>))]
    #[serde(serialize_with = "crate::quantity::serialize_opt_hundredths")]
    pub target_max: Option<i64>,
    pub period: Period,
    pub aggregation: Aggregation,
    pub source: String,
    pub quotas: Vec<Quota>,
    pub quotas_sum_to_target: bool,
    pub choice: Option<String>,
    /// Weight of this indicator's quotas in the yearly assessment (考核); 1 unless the plan says.
    pub weight: u32,
    /// The registry that fills this indicator by itself; manual records are refused for it.
    pub registry: Option<crate::registry::Registry>,
}

/// How the yearly assessment (考核) scores a unit: points for completing its quotas and for
/// reporting on time, out of 100.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Assessment {
    pub completion_points: u32,
    pub timeliness_points: u32,
    /// Credit for a late report, as a percentage of an on-time one.
    pub late_credit_percent: u32,
    pub source: String,
}

impl Default for Assessment {
    fn default() -> Assessment {
        Assessment {
            completion_points: 80,
            timeliness_points: 20,
            late_credit_percent: 50,
            source: String::new(),
        }
    }
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Task {
    pub code: String,
    pub section: String,
    pub name: String,
    pub text: String,
    pub lead_units: Vec<String>,
    pub cooperating_units: Vec<String>,
    pub remark: Option<String>,
    pub duties: Vec<Duty>,
    pub indicators: Vec<Indicator>,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Plan {
    pub info: PlanInfo,
    pub reporting: Reporting,
    pub assessment: Assessment,
    pub units: Vec<Unit>,
    pub sections: Vec<Section>,
    pub tasks: Vec<Task>,
}

impl Plan {
    pub fn unit(&self, code: &str) -> Option<&Unit> {
        self.units.iter().find(|u| u.code == code)
    }

    pub fn indicators(&self) -> impl Iterator<Item = (&Task, &Indicator)> {
        self.tasks
            .iter()
            .flat_map(|t| t.indicators.iter().map(move |i| (t, i)))
    }

    /// The indicator a registry fills, if the plan has one (e.g. 1.1.4's placement rate).
    pub fn indicator_filled_by(&self, registry: crate::registry::Registry) -> Option<&Indicator> {
        self.indicators()
            .map(|(_, indicator)| indicator)
            .find(|indicator| indicator.registry == Some(registry))
    }

    /// The plan's streets (街道), in its order.
    pub fn streets(&self) -> impl Iterator<Item = &Unit> {
        self.units.iter().filter(|u| u.kind == UnitKind::Street)
    }

    pub fn years(&self) -> std::ops::RangeInclusive<i32> {
        self.info.first_year..=self.info.last_year
    }

    /// The units holding a quota on an indicator of `task`, each once, in the plan's order.
    pub fn quota_units(&self, task: &str) -> Vec<&str> {
        let mut units: Vec<&str> = Vec::new();
        let quotas = self
            .tasks
            .iter()
            .filter(|t| t.code == task)
            .flat_map(|t| t.indicators.iter().flat_map(|i| i.quotas.iter()));
        for quota in quotas {
            if !units.contains(&quota.unit.as_str()) {
                units.push(&quota.unit);
            }
        }
        units
    }
}

impl Indicator {
    /// The units that record progress for this indicator: the quota holders, or, where the
    /// appendix assigns no quotas, the task's lead units (they hold the district target).
    pub fn recording_units<'a>(&'a self, task: &'a Task) -> Vec<&'a str> {
        if self.quotas.is_empty() {
            task.lead_units.iter().map(String::as_str).collect()
        } else {
            self.quotas.iter().map(|q| q.unit.as_str()).collect()
        }
    }
}

/// One problem in a plan file, with where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanError {
    /// 1-based line in the file, where known.
    pub line: Option<usize>,
    /// The path of the offending item, e.g. `tasks[1.1.1].lead_units`.
    pub path: String,
    pub message: String,
}

impl fmt::Display for PlanError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "第 {line} 行 {}：{}", self.path, self.message),
            None => write!(f, "{}：{}", self.path, self.message),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanErrors(pub Vec<PlanError>);

impl fmt::Display for PlanErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "计划文件有 {} 处错误：", self.0.len())?;
        for error in &self.0 {
            writeln!(f, "  {error}")?;
        }
        Ok(())
    }
}

impl std::error::Error for PlanErrors {}

#[cfg(test)]
mod tests;

/// The Dongxihu plan, parsed: the plan every core test checks its rules against.
#[cfg(test)]
pub(crate) fn dongxihu() -> Plan {
    Plan::parse(include_str!("../../../plans/dongxihu-2025-2027.toml")).expect("the plan parses")
}
