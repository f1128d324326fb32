//! The action plan as data: units, sections, tasks, indicators and quotas, read from a plan
//! file (`plans/*.toml`, format in `docs/plan-format.md`) and checked before anything uses it.
//!
//! [`Plan::parse`] is the only way to get a [`Plan`]; it reports every problem it finds, each
//! with its line and a path such as `tasks[1.1.1].indicators[1.1.1.positions].quotas.foo`.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use toml::Spanned;

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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Comparator {
    /// 以上 / 不低于 / 至少
    AtLeast,
    /// a plain number ("40场")
    Reach,
    /// a range ("1-2家"); reaching the lower bound completes it
    Between,
}

impl Comparator {
    pub fn label(self) -> &'static str {
        match self {
            Comparator::AtLeast => "不低于",
            Comparator::Reach => "目标",
            Comparator::Between => "区间",
        }
    }
}

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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Aggregation {
    /// Records add up (positions, events, person-times).
    #[default]
    Sum,
    /// A rate: the most recent record is the value.
    Latest,
}

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

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reporting {
    pub quarterly_due_working_days: u32,
    /// (month, day) of the annual report's deadline in the plan year.
    pub annual_due: (u32, u32),
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Unit {
    pub code: String,
    pub name: String,
    pub full_name: String,
    pub kind: UnitKind,
    pub aliases: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Section {
    pub code: String,
    pub title: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Duty {
    pub units: Vec<String>,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Quota {
    pub unit: String,
    /// Per period, in hundredths of the measure (see [`crate::quantity::Quantity`]).
    #[serde(serialize_with = "crate::quantity::serialize_hundredths")]
    pub target: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Indicator {
    pub code: String,
    pub name: String,
    pub measure: String,
    pub comparator: Comparator,
    /// District-wide target per period, in hundredths.
    #[serde(serialize_with = "crate::quantity::serialize_hundredths")]
    pub target: i64,
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

    pub fn years(&self) -> std::ops::RangeInclusive<i32> {
        self.info.first_year..=self.info.last_year
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

// ---- the file as written -------------------------------------------------------------

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPlanFile {
    plan: RawPlanInfo,
    reporting: RawReporting,
    #[serde(default)]
    assessment: Option<RawAssessment>,
    #[serde(default)]
    units: Vec<RawUnit>,
    #[serde(default)]
    sections: Vec<RawSection>,
    #[serde(default)]
    tasks: Vec<RawTask>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPlanInfo {
    code: String,
    name: String,
    document_number: String,
    issuer: String,
    issued_on: toml::value::Datetime,
    district_code: String,
    district_name: String,
    first_year: Spanned<i64>,
    last_year: Spanned<i64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawReporting {
    quarterly_due_working_days: Spanned<i64>,
    annual_due: Spanned<String>,
    #[serde(default)]
    source: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAssessment {
    completion_points: Spanned<i64>,
    timeliness_points: i64,
    late_credit_percent: Spanned<i64>,
    #[serde(default)]
    source: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawUnit {
    code: Spanned<String>,
    name: String,
    #[serde(default)]
    full_name: Option<String>,
    kind: Spanned<String>,
    #[serde(default)]
    aliases: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSection {
    code: Spanned<String>,
    title: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTask {
    code: Spanned<String>,
    section: Spanned<String>,
    name: String,
    text: String,
    #[serde(default)]
    lead_units: Vec<Spanned<String>>,
    #[serde(default)]
    cooperating_units: Vec<Spanned<String>>,
    #[serde(default)]
    remark: Option<String>,
    #[serde(default)]
    duties: Vec<RawDuty>,
    #[serde(default)]
    indicators: Vec<RawIndicator>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDuty {
    units: Vec<Spanned<String>>,
    text: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIndicator {
    code: Spanned<String>,
    name: String,
    measure: String,
    comparator: Spanned<String>,
    target: Spanned<f64>,
    #[serde(default)]
    target_max: Option<Spanned<f64>>,
    period: Spanned<String>,
    #[serde(default)]
    aggregation: Option<Spanned<String>>,
    #[serde(default)]
    source: String,
    #[serde(default)]
    quotas: BTreeMap<Spanned<String>, Spanned<f64>>,
    #[serde(default)]
    quotas_sum_to_target: bool,
    #[serde(default)]
    choice: Option<String>,
    #[serde(default)]
    weight: Option<Spanned<i64>>,
    #[serde(default)]
    registry: Option<Spanned<String>>,
}

struct Checker<'a> {
    text: &'a str,
    errors: Vec<PlanError>,
}

impl Checker<'_> {
    fn line_of(&self, offset: usize) -> usize {
        self.text[..offset.min(self.text.len())]
            .matches('\n')
            .count()
            + 1
    }

    fn error<T>(&mut self, at: &Spanned<T>, path: impl Into<String>, message: impl Into<String>) {
        let line = Some(self.line_of(at.span().start));
        self.errors.push(PlanError {
            line,
            path: path.into(),
            message: message.into(),
        });
    }

    /// A decimal target from the file, as hundredths; positive and with at most two places.
    fn amount(&mut self, value: &Spanned<f64>, path: &str) -> i64 {
        let raw = *value.get_ref();
        let hundredths = (raw * 100.0).round();
        if raw.is_nan() || raw <= 0.0 || !raw.is_finite() {
            self.error(value, path, format!("目标值必须为正数（现为 {raw}）"));
            0
        } else if (hundredths - raw * 100.0).abs() > 1e-6 {
            self.error(value, path, format!("目标值最多两位小数（现为 {raw}）"));
            0
        } else {
            hundredths as i64
        }
    }
}

fn is_code(code: &str) -> bool {
    !code.is_empty()
        && code
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

impl Plan {
    /// Reads and checks a plan file. Every error found is returned, not only the first.
    pub fn parse(text: &str) -> Result<Plan, PlanErrors> {
        let raw: RawPlanFile = toml::from_str(text).map_err(|e| {
            let line = e
                .span()
                .map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1);
            PlanErrors(vec![PlanError {
                line,
                path: "(文件)".into(),
                message: format!("不是有效的计划文件：{}", e.message()),
            }])
        })?;
        let mut check = Checker {
            text,
            errors: Vec::new(),
        };

        // plan
        let first_year = *raw.plan.first_year.get_ref();
        let last_year = *raw.plan.last_year.get_ref();
        if !(2000..=2100).contains(&first_year) {
            check.error(&raw.plan.first_year, "plan.first_year", "起始年份不合理");
        }
        if last_year < first_year || last_year - first_year > 20 {
            check.error(
                &raw.plan.last_year,
                "plan.last_year",
                "结束年份须不早于起始年份，且期限不超过 20 年",
            );
        }
        let issued_on = raw
            .plan
            .issued_on
            .date
            .and_then(|d| NaiveDate::from_ymd_opt(d.year as i32, d.month as u32, d.day as u32));
        if issued_on.is_none() {
            check.errors.push(PlanError {
                line: None,
                path: "plan.issued_on".into(),
                message: "印发日期须为日期".into(),
            });
        }

        // reporting
        let window = *raw.reporting.quarterly_due_working_days.get_ref();
        if !(1..=30).contains(&window) {
            check.error(
                &raw.reporting.quarterly_due_working_days,
                "reporting.quarterly_due_working_days",
                format!("季度报送时限须为 1 至 30 个工作日（现为 {window}）"),
            );
        }
        let annual_due = parse_month_day(raw.reporting.annual_due.get_ref());
        if annual_due.is_none() {
            check.error(
                &raw.reporting.annual_due,
                "reporting.annual_due",
                "年度报送日期须写作 MM-DD，如 12-05",
            );
        }

        // units
        let mut units = Vec::new();
        let mut unit_codes = HashSet::new();
        for raw_unit in &raw.units {
            let code = raw_unit.code.get_ref().clone();
            let path = format!("units[{code}]");
            if !is_code(&code) {
                check.error(
                    &raw_unit.code,
                    &path,
                    "单位代码只能由小写字母、数字和下划线组成",
                );
            }
            if !unit_codes.insert(code.clone()) {
                check.error(&raw_unit.code, &path, "单位代码重复");
            }
            let kind = UnitKind::parse(raw_unit.kind.get_ref());
            if kind.is_none() {
                check.error(
                    &raw_unit.kind,
                    format!("{path}.kind"),
                    format!("未知的单位类别“{}”", raw_unit.kind.get_ref()),
                );
            }
            units.push(Unit {
                code,
                name: raw_unit.name.clone(),
                full_name: raw_unit
                    .full_name
                    .clone()
                    .unwrap_or_else(|| raw_unit.name.clone()),
                kind: kind.unwrap_or(UnitKind::Department),
                aliases: raw_unit.aliases.clone(),
            });
        }

        // sections
        let mut sections = Vec::new();
        let mut section_codes = HashSet::new();
        for raw_section in &raw.sections {
            let code = raw_section.code.get_ref().clone();
            if !section_codes.insert(code.clone()) {
                check.error(
                    &raw_section.code,
                    format!("sections[{code}]"),
                    "章节编号重复",
                );
            }
            sections.push(Section {
                code,
                title: raw_section.title.clone(),
            });
        }

        // tasks
        let mut task_codes = HashSet::new();
        let mut indicator_codes = HashSet::new();
        let mut tasks = Vec::new();
        let known_unit = |check: &mut Checker, unit: &Spanned<String>, path: &str| {
            if !unit_codes.contains(unit.get_ref()) {
                check.error(unit, path, format!("未知的单位“{}”", unit.get_ref()));
            }
        };
        for raw_task in &raw.tasks {
            let code = raw_task.code.get_ref().clone();
            let path = format!("tasks[{code}]");
            if !task_codes.insert(code.clone()) {
                check.error(&raw_task.code, &path, "任务编号重复");
            }
            let section = raw_task.section.get_ref();
            if !section_codes.contains(section) {
                check.error(
                    &raw_task.section,
                    format!("{path}.section"),
                    format!("未知的章节“{section}”"),
                );
            } else if !code.starts_with(&format!("{section}."))
                || code[section.len() + 1..].parse::<u32>().is_err()
            {
                check.error(
                    &raw_task.code,
                    &path,
                    format!("任务编号须为“{section}.序号”"),
                );
            }
            if raw_task.lead_units.is_empty() {
                check.error(
                    &raw_task.code,
                    format!("{path}.lead_units"),
                    "任务须至少有一个牵头单位",
                );
            }
            for unit in raw_task.lead_units.iter() {
                known_unit(&mut check, unit, &format!("{path}.lead_units"));
            }
            for unit in raw_task.cooperating_units.iter() {
                known_unit(&mut check, unit, &format!("{path}.cooperating_units"));
            }
            let mut duties = Vec::new();
            for (n, duty) in raw_task.duties.iter().enumerate() {
                for unit in &duty.units {
                    known_unit(&mut check, unit, &format!("{path}.duties[{}]", n + 1));
                }
                duties.push(Duty {
                    units: duty.units.iter().map(|u| u.get_ref().clone()).collect(),
                    text: duty.text.clone(),
                });
            }

            let mut indicators = Vec::new();
            for raw_indicator in &raw_task.indicators {
                let icode = raw_indicator.code.get_ref().clone();
                let ipath = format!("{path}.indicators[{icode}]");
                if !indicator_codes.insert(icode.clone()) {
                    check.error(&raw_indicator.code, &ipath, "指标编号重复");
                }
                if !icode.starts_with(&format!("{code}.")) {
                    check.error(
                        &raw_indicator.code,
                        &ipath,
                        format!("指标编号须以所属任务编号“{code}.”开头"),
                    );
                }
                let comparator = match raw_indicator.comparator.get_ref().as_str() {
                    "at_least" => Comparator::AtLeast,
                    "reach" => Comparator::Reach,
                    "between" => Comparator::Between,
                    other => {
                        check.error(
                            &raw_indicator.comparator,
                            format!("{ipath}.comparator"),
                            format!("未知的比较方式“{other}”"),
                        );
                        Comparator::AtLeast
                    }
                };
                let period = match raw_indicator.period.get_ref().as_str() {
                    "year" => Period::Year,
                    "plan" => Period::Plan,
                    other => {
                        check.error(
                            &raw_indicator.period,
                            format!("{ipath}.period"),
                            format!("未知的周期“{other}”（应为 year 或 plan）"),
                        );
                        Period::Year
                    }
                };
                let aggregation = match raw_indicator
                    .aggregation
                    .as_ref()
                    .map(|a| (a, a.get_ref().as_str()))
                {
                    None | Some((_, "sum")) => Aggregation::Sum,
                    Some((_, "latest")) => Aggregation::Latest,
                    Some((spanned, other)) => {
                        check.error(
                            spanned,
                            format!("{ipath}.aggregation"),
                            format!("未知的汇总方式“{other}”"),
                        );
                        Aggregation::Sum
                    }
                };
                let target = check.amount(&raw_indicator.target, &format!("{ipath}.target"));
                let target_max = raw_indicator
                    .target_max
                    .as_ref()
                    .map(|t| (t, check.amount(t, &format!("{ipath}.target_max"))));
                match (comparator, &target_max) {
                    (Comparator::Between, None) => check.error(
                        &raw_indicator.comparator,
                        &ipath,
                        "区间指标须给出 target_max",
                    ),
                    (Comparator::Between, Some((spanned, max))) if *max < target => check.error(
                        *spanned,
                        format!("{ipath}.target_max"),
                        "区间上限不能小于下限",
                    ),
                    (Comparator::AtLeast | Comparator::Reach, Some((spanned, _))) => check.error(
                        *spanned,
                        format!("{ipath}.target_max"),
                        "只有区间指标（between）才有 target_max",
                    ),
                    _ => {}
                }
                if aggregation == Aggregation::Latest && !raw_indicator.quotas.is_empty() {
                    check.error(
                        &raw_indicator.code,
                        &ipath,
                        "比率类指标（latest）不能分解到单位",
                    );
                }
                let mut quotas = Vec::new();
                for (unit, value) in &raw_indicator.quotas {
                    known_unit(
                        &mut check,
                        unit,
                        &format!("{ipath}.quotas.{}", unit.get_ref()),
                    );
                    let amount = check.amount(value, &format!("{ipath}.quotas.{}", unit.get_ref()));
                    quotas.push(Quota {
                        unit: unit.get_ref().clone(),
                        target: amount,
                    });
                }
                let sum: i64 = quotas.iter().map(|q| q.target).sum();
                if raw_indicator.quotas_sum_to_target && sum != target {
                    check.error(
                        &raw_indicator.target,
                        &ipath,
                        format!(
                            "各单位分解指标合计 {} 与总目标 {} 不一致",
                            sum as f64 / 100.0,
                            target as f64 / 100.0
                        ),
                    );
                }
                // The appendix order of units is the plan's unit order.
                let order: HashMap<&str, usize> = units
                    .iter()
                    .enumerate()
                    .map(|(i, u)| (u.code.as_str(), i))
                    .collect();
                quotas.sort_by_key(|q| order.get(q.unit.as_str()).copied().unwrap_or(usize::MAX));
                indicators.push(Indicator {
                    code: icode,
                    name: raw_indicator.name.clone(),
                    measure: raw_indicator.measure.clone(),
                    comparator,
                    target,
                    target_max: target_max.map(|(_, v)| v),
                    period,
                    aggregation,
                    source: raw_indicator.source.clone(),
                    quotas,
                    quotas_sum_to_target: raw_indicator.quotas_sum_to_target,
                    choice: raw_indicator
                        .choice
                        .clone()
                        .filter(|c| !c.trim().is_empty()),
                    weight: match &raw_indicator.weight {
                        None => 1,
                        Some(w) if (1..=100).contains(w.get_ref()) => *w.get_ref() as u32,
                        Some(w) => {
                            check.error(
                                w,
                                format!("{ipath}.weight"),
                                "考核权重须为 1 至 100 的整数",
                            );
                            1
                        }
                    },
                    registry: match &raw_indicator.registry {
                        None => None,
                        Some(code) => {
                            let registry = crate::registry::Registry::parse(code.get_ref());
                            if registry.is_none() {
                                check.error(
                                    code,
                                    format!("{ipath}.registry"),
                                    format!(
                                        "未知的登记来源“{}”，可用：{}",
                                        code.get_ref(),
                                        crate::registry::Registry::ALL.map(|r| r.code()).join("、")
                                    ),
                                );
                            }
                            registry
                        }
                    },
                });
            }
            tasks.push(Task {
                code,
                section: section.clone(),
                name: raw_task.name.clone(),
                text: raw_task.text.trim().to_owned(),
                lead_units: raw_task
                    .lead_units
                    .iter()
                    .map(|u| u.get_ref().clone())
                    .collect(),
                cooperating_units: raw_task
                    .cooperating_units
                    .iter()
                    .map(|u| u.get_ref().clone())
                    .collect(),
                remark: raw_task.remark.clone().filter(|r| !r.trim().is_empty()),
                duties,
                indicators,
            });
        }
        if tasks.is_empty() {
            check.errors.push(PlanError {
                line: None,
                path: "tasks".into(),
                message: "计划文件没有任何任务".into(),
            });
        }

        let assessment = match &raw.assessment {
            None => Assessment::default(),
            Some(a) => {
                let (completion, timeliness, late) = (
                    *a.completion_points.get_ref(),
                    a.timeliness_points,
                    *a.late_credit_percent.get_ref(),
                );
                if completion < 0 || timeliness < 0 || completion + timeliness != 100 {
                    check.error(
                        &a.completion_points,
                        "assessment",
                        "完成情况与报送及时性的分值须为非负数且合计 100 分",
                    );
                }
                if !(0..=100).contains(&late) {
                    check.error(
                        &a.late_credit_percent,
                        "assessment.late_credit_percent",
                        "逾期报送的得分比例须在 0 至 100 之间",
                    );
                }
                Assessment {
                    completion_points: completion.clamp(0, 100) as u32,
                    timeliness_points: timeliness.clamp(0, 100) as u32,
                    late_credit_percent: late.clamp(0, 100) as u32,
                    source: a.source.clone(),
                }
            }
        };
        if !check.errors.is_empty() {
            check.errors.sort_by_key(|e| e.line.unwrap_or(0));
            return Err(PlanErrors(check.errors));
        }
        Ok(Plan {
            info: PlanInfo {
                code: raw.plan.code,
                name: raw.plan.name,
                document_number: raw.plan.document_number,
                issuer: raw.plan.issuer,
                issued_on: issued_on.unwrap_or_default(),
                district_code: raw.plan.district_code,
                district_name: raw.plan.district_name,
                first_year: first_year as i32,
                last_year: last_year as i32,
            },
            reporting: Reporting {
                quarterly_due_working_days: window as u32,
                annual_due: annual_due.unwrap_or((12, 5)),
                source: raw.reporting.source,
            },
            assessment,
            units,
            sections,
            tasks,
        })
    }
}

fn parse_month_day(text: &str) -> Option<(u32, u32)> {
    let (month, day) = text.split_once('-')?;
    let (month, day) = (month.parse().ok()?, day.parse().ok()?);
    // 2024 is a leap year, so 02-29 is accepted as a month-day.
    NaiveDate::from_ymd_opt(2024, month, day).map(|_| (month, day))
}

#[cfg(test)]
mod tests;
