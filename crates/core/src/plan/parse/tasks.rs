//! The tasks of a plan file and their indicators: codes that follow the plan's numbering, units
//! and sections that exist, targets and quotas that fit together.

use std::collections::{HashMap, HashSet};

use toml::Spanned;

use super::Checker;
use crate::plan::file::{RawIndicator, RawTask};
use crate::plan::{
    Aggregation, Comparator, Duty, Indicator, Period, PlanError, Quota, Section, Task, Unit,
};
use crate::registry::Registry;

/// What the tasks are checked against: the plan's units and sections, and the task and
/// indicator codes met so far (a code may be used once).
struct Known<'p> {
    unit_codes: HashSet<&'p str>,
    /// The plan's unit order, which is the appendix's order of quotas.
    unit_order: HashMap<&'p str, usize>,
    section_codes: HashSet<&'p str>,
    task_codes: HashSet<String>,
    indicator_codes: HashSet<String>,
}

impl<'p> Known<'p> {
    fn new(units: &'p [Unit], sections: &'p [Section]) -> Known<'p> {
        Known {
            unit_codes: units.iter().map(|u| u.code.as_str()).collect(),
            unit_order: units
                .iter()
                .enumerate()
                .map(|(i, u)| (u.code.as_str(), i))
                .collect(),
            section_codes: sections.iter().map(|s| s.code.as_str()).collect(),
            task_codes: HashSet::new(),
            indicator_codes: HashSet::new(),
        }
    }
}

impl Checker<'_> {
    /// `[[tasks]]`: each task as [`Checker::task`] checks it, and at least one.
    pub(super) fn tasks(
        &mut self,
        raw: &[RawTask],
        units: &[Unit],
        sections: &[Section],
    ) -> Vec<Task> {
        let mut known = Known::new(units, sections);
        let tasks: Vec<Task> = raw.iter().map(|t| self.task(t, &mut known)).collect();
        if tasks.is_empty() {
            self.errors.push(PlanError {
                line: None,
                path: "tasks".into(),
                message: "计划文件没有任何任务".into(),
            });
        }
        tasks
    }

    /// One task: its code, at least one lead unit, every unit it names known; then its duties
    /// and indicators.
    fn task(&mut self, raw: &RawTask, known: &mut Known<'_>) -> Task {
        let code = raw.code.get_ref().clone();
        let path = format!("tasks[{code}]");
        self.task_code(raw, &path, known);
        if raw.lead_units.is_empty() {
            self.error(
                &raw.code,
                format!("{path}.lead_units"),
                "任务须至少有一个牵头单位",
            );
        }
        for unit in raw.lead_units.iter() {
            self.known_unit(known, unit, &format!("{path}.lead_units"));
        }
        for unit in raw.cooperating_units.iter() {
            self.known_unit(known, unit, &format!("{path}.cooperating_units"));
        }
        let duties = self.duties(raw, &path, known);
        let indicators = raw
            .indicators
            .iter()
            .map(|indicator| self.indicator(indicator, &code, &path, known))
            .collect();
        Task {
            code,
            section: raw.section.get_ref().clone(),
            name: raw.name.clone(),
            text: raw.text.trim().to_owned(),
            lead_units: raw.lead_units.iter().map(|u| u.get_ref().clone()).collect(),
            cooperating_units: raw
                .cooperating_units
                .iter()
                .map(|u| u.get_ref().clone())
                .collect(),
            remark: raw.remark.clone().filter(|r| !r.trim().is_empty()),
            duties,
            indicators,
        }
    }

    /// A task's code is used once, its section is known, and the code is the section's code
    /// followed by a number (section 1.1, task 1.1.3).
    fn task_code(&mut self, raw: &RawTask, path: &str, known: &mut Known<'_>) {
        let code = raw.code.get_ref();
        if !known.task_codes.insert(code.clone()) {
            self.error(&raw.code, path, "任务编号重复");
        }
        let section = raw.section.get_ref();
        if !known.section_codes.contains(section.as_str()) {
            self.error(
                &raw.section,
                format!("{path}.section"),
                format!("未知的章节“{section}”"),
            );
        } else if !code.starts_with(&format!("{section}."))
            || code[section.len() + 1..].parse::<u32>().is_err()
        {
            self.error(&raw.code, path, format!("任务编号须为“{section}.序号”"));
        }
    }

    /// The units of each duty are known.
    fn duties(&mut self, raw: &RawTask, path: &str, known: &Known<'_>) -> Vec<Duty> {
        let mut duties = Vec::new();
        for (n, duty) in raw.duties.iter().enumerate() {
            for unit in &duty.units {
                self.known_unit(known, unit, &format!("{path}.duties[{}]", n + 1));
            }
            duties.push(Duty {
                units: duty.units.iter().map(|u| u.get_ref().clone()).collect(),
                text: duty.text.clone(),
            });
        }
        duties
    }

    fn known_unit(&mut self, known: &Known<'_>, unit: &Spanned<String>, path: &str) {
        if !known.unit_codes.contains(unit.get_ref().as_str()) {
            self.error(unit, path, format!("未知的单位“{}”", unit.get_ref()));
        }
    }

    /// One indicator: its code used once and under its task's code; its comparator, period and
    /// aggregation known; a rate (latest) not split into quotas; then its targets, quotas,
    /// weight and registry.
    fn indicator(
        &mut self,
        raw: &RawIndicator,
        task_code: &str,
        task_path: &str,
        known: &mut Known<'_>,
    ) -> Indicator {
        let code = raw.code.get_ref().clone();
        let path = format!("{task_path}.indicators[{code}]");
        if !known.indicator_codes.insert(code.clone()) {
            self.error(&raw.code, &path, "指标编号重复");
        }
        if !code.starts_with(&format!("{task_code}.")) {
            self.error(
                &raw.code,
                &path,
                format!("指标编号须以所属任务编号“{task_code}.”开头"),
            );
        }
        let comparator = self.comparator(&raw.comparator, &path);
        let period = self.period(&raw.period, &path);
        let aggregation = self.aggregation(raw.aggregation.as_ref(), &path);
        let (target, target_max) = self.targets(raw, comparator, &path);
        if aggregation == Aggregation::Latest && !raw.quotas.is_empty() {
            self.error(&raw.code, &path, "比率类指标（latest）不能分解到单位");
        }
        let quotas = self.quotas(raw, target, &path, known);
        let weight = self.weight(raw.weight.as_ref(), &path);
        let registry = self.registry(raw.registry.as_ref(), &path);
        Indicator {
            code,
            name: raw.name.clone(),
            measure: raw.measure.clone(),
            comparator,
            target,
            target_max,
            period,
            aggregation,
            source: raw.source.clone(),
            quotas,
            quotas_sum_to_target: raw.quotas_sum_to_target,
            choice: raw.choice.clone().filter(|c| !c.trim().is_empty()),
            weight,
            registry,
        }
    }

    fn comparator(&mut self, raw: &Spanned<String>, path: &str) -> Comparator {
        match raw.get_ref().as_str() {
            "at_least" => Comparator::AtLeast,
            "reach" => Comparator::Reach,
            "between" => Comparator::Between,
            "activity" => Comparator::Activity,
            other => {
                self.error(
                    raw,
                    format!("{path}.comparator"),
                    format!("未知的比较方式“{other}”"),
                );
                Comparator::AtLeast
            }
        }
    }

    fn period(&mut self, raw: &Spanned<String>, path: &str) -> Period {
        match raw.get_ref().as_str() {
            "year" => Period::Year,
            "plan" => Period::Plan,
            other => {
                self.error(
                    raw,
                    format!("{path}.period"),
                    format!("未知的周期“{other}”（应为 year 或 plan）"),
                );
                Period::Year
            }
        }
    }

    /// Without `aggregation`, records add up (sum).
    fn aggregation(&mut self, raw: Option<&Spanned<String>>, path: &str) -> Aggregation {
        match raw.map(|a| (a, a.get_ref().as_str())) {
            None | Some((_, "sum")) => Aggregation::Sum,
            Some((_, "latest")) => Aggregation::Latest,
            Some((spanned, other)) => {
                self.error(
                    spanned,
                    format!("{path}.aggregation"),
                    format!("未知的汇总方式“{other}”"),
                );
                Aggregation::Sum
            }
        }
    }

    /// The target, required for every comparator but activity (which has none); an upper
    /// bound exactly when the comparator is a range (between), not below the target.
    fn targets(
        &mut self,
        raw: &RawIndicator,
        comparator: Comparator,
        path: &str,
    ) -> (Option<i64>, Option<i64>) {
        let target = match (&raw.target, comparator) {
            (Some(t), Comparator::Activity) => {
                self.error(
                    t,
                    format!("{path}.target"),
                    "无目标值的指标（activity）不能有 target",
                );
                None
            }
            (Some(t), _) => Some(self.amount(t, &format!("{path}.target"))),
            (None, Comparator::Activity) => None,
            (None, _) => {
                self.error(
                    &raw.comparator,
                    path,
                    "缺少 target（只有 activity 指标可以不给目标值）",
                );
                None
            }
        };
        let target_max = raw
            .target_max
            .as_ref()
            .map(|t| (t, self.amount(t, &format!("{path}.target_max"))));
        match (comparator, &target_max) {
            (Comparator::Between, None) => {
                self.error(&raw.comparator, path, "区间指标须给出 target_max")
            }
            (Comparator::Between, Some((spanned, max))) if Some(*max) < target => self.error(
                *spanned,
                format!("{path}.target_max"),
                "区间上限不能小于下限",
            ),
            (
                Comparator::AtLeast | Comparator::Reach | Comparator::Activity,
                Some((spanned, _)),
            ) => self.error(
                *spanned,
                format!("{path}.target_max"),
                "只有区间指标（between）才有 target_max",
            ),
            _ => {}
        }
        (target, target_max.map(|(_, max)| max))
    }

    /// Each quota's unit is known and its amount a valid target; where the plan says the quotas
    /// add up to the district target, they do.
    fn quotas(
        &mut self,
        raw: &RawIndicator,
        target: Option<i64>,
        path: &str,
        known: &Known<'_>,
    ) -> Vec<Quota> {
        let mut quotas = Vec::new();
        for (unit, value) in &raw.quotas {
            self.known_unit(known, unit, &format!("{path}.quotas.{}", unit.get_ref()));
            let amount = self.amount(value, &format!("{path}.quotas.{}", unit.get_ref()));
            quotas.push(Quota {
                unit: unit.get_ref().clone(),
                target: amount,
            });
        }
        if target.is_none() && !quotas.is_empty() {
            self.error(&raw.code, path, "无目标值的指标（activity）不能分解到单位");
        }
        let sum: i64 = quotas.iter().map(|q| q.target).sum();
        if let (true, Some(target), Some(at)) = (raw.quotas_sum_to_target, target, &raw.target)
            && sum != target
        {
            self.error(
                at,
                path,
                format!(
                    "各单位分解指标合计 {} 与总目标 {} 不一致",
                    sum as f64 / 100.0,
                    target as f64 / 100.0
                ),
            );
        }
        quotas.sort_by_key(|q| {
            known
                .unit_order
                .get(q.unit.as_str())
                .copied()
                .unwrap_or(usize::MAX)
        });
        quotas
    }

    /// The assessment weight, where given, is a whole number from 1 to 100; without it, 1.
    fn weight(&mut self, raw: Option<&Spanned<i64>>, path: &str) -> u32 {
        match raw {
            None => 1,
            Some(w) if (1..=100).contains(w.get_ref()) => *w.get_ref() as u32,
            Some(w) => {
                self.error(w, format!("{path}.weight"), "考核权重须为 1 至 100 的整数");
                1
            }
        }
    }

    /// The registry, where given, is one of [`Registry::ALL`].
    fn registry(&mut self, raw: Option<&Spanned<String>>, path: &str) -> Option<Registry> {
        let code = raw?;
        let registry = Registry::parse(code.get_ref());
        if registry.is_none() {
            self.error(
                code,
                format!("{path}.registry"),
                format!(
                    "未知的登记来源“{}”，可用：{}",
                    code.get_ref(),
                    Registry::ALL.map(|r| r.code()).join("、")
                ),
            );
        }
        registry
    }
}
