//! [`Plan::parse`]: the plan file checked part by part in the file's order (plan, reporting,
//! units, sections, tasks with their indicators, assessment); every error is kept, then all are
//! returned sorted by line.

use std::collections::HashSet;

use chrono::NaiveDate;
use toml::Spanned;

use super::file::{RawAssessment, RawPlanFile, RawPlanInfo, RawReporting, RawSection, RawUnit};
use super::{
    Assessment, Plan, PlanError, PlanErrors, PlanInfo, Reporting, Section, Unit, UnitKind,
};

mod tasks;

impl Plan {
    /// Reads and checks a plan file. Every error found is returned, not only the first.
    pub fn parse(text: &str) -> Result<Plan, PlanErrors> {
        let raw = read_toml(text)?;
        let mut check = Checker {
            text,
            errors: Vec::new(),
        };
        let info = check.plan_info(raw.plan);
        let reporting = check.reporting(raw.reporting);
        let units = check.units(&raw.units);
        let sections = check.sections(&raw.sections);
        let tasks = check.tasks(&raw.tasks, &units, &sections);
        let assessment = check.assessment(raw.assessment.as_ref());
        if !check.errors.is_empty() {
            check.errors.sort_by_key(|e| e.line.unwrap_or(0));
            return Err(PlanErrors(check.errors));
        }
        Ok(Plan {
            info,
            reporting,
            assessment,
            units,
            sections,
            tasks,
        })
    }
}

/// The file as TOML of the plan's shape; a file that is not is one error, with its line.
fn read_toml(text: &str) -> Result<RawPlanFile, PlanErrors> {
    toml::from_str(text).map_err(|e| {
        let line = e
            .span()
            .map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1);
        PlanErrors(vec![PlanError {
            line,
            path: "(文件)".into(),
            message: format!("不是有效的计划文件：{}", e.message()),
        }])
    })
}

/// Collects the errors of one plan file, each with the line of the value it is about.
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

    /// `[plan]`: a first year in 2000–2100, a last year not before it and at most 20 years on,
    /// and an issue date that is a date.
    fn plan_info(&mut self, raw: RawPlanInfo) -> PlanInfo {
        let first_year = *raw.first_year.get_ref();
        let last_year = *raw.last_year.get_ref();
        if !(2000..=2100).contains(&first_year) {
            self.error(&raw.first_year, "plan.first_year", "起始年份不合理");
        }
        if last_year < first_year || last_year - first_year > 20 {
            self.error(
                &raw.last_year,
                "plan.last_year",
                "结束年份须不早于起始年份，且期限不超过 20 年",
            );
        }
        let issued_on = raw
            .issued_on
            .date
            .and_then(|d| NaiveDate::from_ymd_opt(d.year as i32, d.month as u32, d.day as u32));
        if issued_on.is_none() {
            self.errors.push(PlanError {
                line: None,
                path: "plan.issued_on".into(),
                message: "印发日期须为日期".into(),
            });
        }
        PlanInfo {
            code: raw.code,
            name: raw.name,
            document_number: raw.document_number,
            issuer: raw.issuer,
            issued_on: issued_on.unwrap_or_default(),
            district_code: raw.district_code,
            district_name: raw.district_name,
            first_year: first_year as i32,
            last_year: last_year as i32,
        }
    }

    /// `[reporting]`: a quarterly window of 1 to 30 working days and an annual deadline written
    /// as MM-DD.
    fn reporting(&mut self, raw: RawReporting) -> Reporting {
        let window = *raw.quarterly_due_working_days.get_ref();
        if !(1..=30).contains(&window) {
            self.error(
                &raw.quarterly_due_working_days,
                "reporting.quarterly_due_working_days",
                format!("季度报送时限须为 1 至 30 个工作日（现为 {window}）"),
            );
        }
        let annual_due = parse_month_day(raw.annual_due.get_ref());
        if annual_due.is_none() {
            self.error(
                &raw.annual_due,
                "reporting.annual_due",
                "年度报送日期须写作 MM-DD，如 12-05",
            );
        }
        Reporting {
            quarterly_due_working_days: window as u32,
            annual_due: annual_due.unwrap_or((12, 5)),
            source: raw.source,
        }
    }

    /// `[[units]]`: each code made of lower-case letters, digits and underscores, and used once;
    /// each kind one of [`UnitKind`].
    fn units(&mut self, raw: &[RawUnit]) -> Vec<Unit> {
        let mut units = Vec::new();
        let mut unit_codes = HashSet::new();
        for raw_unit in raw {
            let code = raw_unit.code.get_ref().clone();
            let path = format!("units[{code}]");
            if !is_code(&code) {
                self.error(
                    &raw_unit.code,
                    &path,
                    "单位代码只能由小写字母、数字和下划线组成",
                );
            }
            if !unit_codes.insert(code.clone()) {
                self.error(&raw_unit.code, &path, "单位代码重复");
            }
            let kind = UnitKind::parse(raw_unit.kind.get_ref());
            if kind.is_none() {
                self.error(
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
        units
    }

    /// `[[sections]]`: each code used once.
    fn sections(&mut self, raw: &[RawSection]) -> Vec<Section> {
        let mut sections = Vec::new();
        let mut section_codes = HashSet::new();
        for raw_section in raw {
            let code = raw_section.code.get_ref().clone();
            if !section_codes.insert(code.clone()) {
                self.error(
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
        sections
    }

    /// `[assessment]`, where given: completion and timeliness points not negative and adding
    /// up to 100; the credit for a late report a percentage. Without it, the default rules.
    fn assessment(&mut self, raw: Option<&RawAssessment>) -> Assessment {
        let Some(a) = raw else {
            return Assessment::default();
        };
        let (completion, timeliness, late) = (
            *a.completion_points.get_ref(),
            a.timeliness_points,
            *a.late_credit_percent.get_ref(),
        );
        if completion < 0 || timeliness < 0 || completion + timeliness != 100 {
            self.error(
                &a.completion_points,
                "assessment",
                "完成情况与报送及时性的分值须为非负数且合计 100 分",
            );
        }
        if !(0..=100).contains(&late) {
            self.error(
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
}

fn is_code(code: &str) -> bool {
    !code.is_empty()
        && code
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

fn parse_month_day(text: &str) -> Option<(u32, u32)> {
    let (month, day) = text.split_once('-')?;
    let (month, day) = (month.parse().ok()?, day.parse().ok()?);
    // 2024 is a leap year, so 02-29 is accepted as a month-day.
    NaiveDate::from_ymd_opt(2024, month, day).map(|_| (month, day))
}
