//! Loading the plan file into the database and reading it back.
//!
//! Units, sections, tasks, indicators and quotas are matched by code: a changed plan file
//! updates them in place, and items that left the file are marked inactive, never deleted,
//! so recorded progress keeps its indicator and unit.

use chrono::{DateTime, NaiveDate, Utc};
use linkong_core::plan::{
    Aggregation, Assessment, Comparator, Duty, Indicator, Period, Plan, PlanInfo, Quota, Reporting,
    Section, Task, Unit, UnitKind,
};

use sqlx::{PgConnection, SqliteConnection};

use crate::audit::{AuditAppend, AuditEvent};
use crate::{BeginWrite, Error, Result, Store, on_db};

/// What loading a plan changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoadOutcome {
    /// The same file was loaded before.
    Unchanged,
    Loaded {
        first_time: bool,
    },
}

fn comparator_code(c: Comparator) -> &'static str {
    match c {
        Comparator::AtLeast => "at_least",
        Comparator::Reach => "reach",
        Comparator::Between => "between",
        Comparator::Activity => "activity",
    }
}

fn period_code(p: Period) -> &'static str {
    match p {
        Period::Year => "year",
        Period::Plan => "plan",
    }
}

fn aggregation_code(a: Aggregation) -> &'static str {
    match a {
        Aggregation::Sum => "sum",
        Aggregation::Latest => "latest",
    }
}

/// A short digest of the plan file's text, to tell whether it changed.
pub fn plan_digest(text: &str) -> String {
    crate::token_digest(text)
}

impl Store {
    /// Loads `plan` (read from a file whose text has digest `digest`) into the database.
    pub async fn load_plan(&self, plan: &Plan, digest: &str) -> Result<LoadOutcome> {
        let existing: Option<String> = on_db!(self, pool =>
            sqlx::query_scalar("SELECT file_digest FROM plans WHERE code = $1").bind(&plan.info.code).fetch_optional(pool).await?);
        if existing.as_deref() == Some(digest) {
            return Ok(LoadOutcome::Unchanged);
        }
        self.refuse_orphaning_records(plan).await?;
        let first_time = existing.is_none();
        let now = self.now();
        let info = &plan.info;
        let event = AuditEvent::new("plan.load", format!("plan:{}", info.code)).detail(format!(
            "digest={digest} units={} tasks={} indicators={}",
            plan.units.len(),
            plan.tasks.len(),
            plan.indicators().count()
        ));
        let _guard = self.write_lock.lock().await;
        on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            tx.upsert_plan_row(plan, digest, now).await?;
            tx.deactivate_plan_items().await?;
            tx.upsert_units(plan).await?;
            tx.upsert_sections(plan).await?;
            tx.upsert_tasks(plan).await?;
            tx.append_audit(now, &event).await?;
            tx.commit().await?;
        });
        Ok(LoadOutcome::Loaded { first_time })
    }

    /// A plan that drops an indicator or unit holding live records would hide those records
    /// from every figure: such a plan is refused, naming what it drops.
    async fn refuse_orphaning_records(&self, plan: &Plan) -> Result<()> {
        let used: Vec<(String, String, i64)> = on_db!(self, pool => sqlx::query_as(
            "SELECT indicator_code, unit_code, COUNT(*) FROM progress_records WHERE voided_at IS NULL \
             GROUP BY indicator_code, unit_code",
        )
        .fetch_all(pool)
        .await?);
        let mut problems = Vec::new();
        for (indicator, unit, count) in used {
            if !plan.indicators().any(|(_, i)| i.code == indicator) {
                problems.push(format!("指标“{indicator}”（{unit} 有 {count} 条记录）"));
            } else if plan.unit(&unit).is_none() {
                problems.push(format!(
                    "单位“{unit}”（指标 {indicator} 有 {count} 条记录）"
                ));
            }
        }
        if problems.is_empty() {
            return Ok(());
        }
        Err(Error::Conflict(format!(
            "新的计划文件删除了已有填报记录的{}；请在计划文件中保留它们，或先作废这些记录",
            problems.join("、")
        )))
    }

    /// The active plan as stored in the database.
    pub async fn plan(&self) -> Result<Plan> {
        let (info, reporting) = self.stored_plan_info().await?;
        let assessment = self.stored_assessment(&info.code).await?;
        let units = self.stored_units().await?;
        let sections: Vec<(String, String)> = on_db!(self, pool =>
            sqlx::query_as("SELECT code, title FROM sections WHERE active ORDER BY position").fetch_all(pool).await?);
        let tasks = self.stored_tasks().await?;
        Ok(Plan {
            info,
            reporting,
            assessment,
            units,
            sections: sections
                .into_iter()
                .map(|(code, title)| Section { code, title })
                .collect(),
            tasks,
        })
    }

    /// The plan's heading and reporting rules, of the plan loaded last.
    async fn stored_plan_info(&self) -> Result<(PlanInfo, Reporting)> {
        type PlanRow = (
            String,
            String,
            String,
            String,
            NaiveDate,
            String,
            String,
            i64,
            i64,
            i64,
            i64,
            i64,
            String,
        );
        let info: Option<PlanRow> = on_db!(self, pool => sqlx::query_as(
            "SELECT code, name, document_number, issuer, issued_on, district_code, district_name, first_year, last_year, \
             quarterly_due_working_days, annual_due_month, annual_due_day, reporting_source FROM plans ORDER BY loaded_at DESC LIMIT 1",
        )
        .fetch_optional(pool)
        .await?);
        let Some((
            code,
            name,
            document_number,
            issuer,
            issued_on,
            district_code,
            district_name,
            first,
            last,
            window,
            month,
            day,
            source,
        )) = info
        else {
            return Err(Error::not_found("尚未加载行动方案"));
        };
        let info = PlanInfo {
            code,
            name,
            document_number,
            issuer,
            issued_on,
            district_code,
            district_name,
            first_year: first as i32,
            last_year: last as i32,
        };
        let reporting = Reporting {
            quarterly_due_working_days: window as u32,
            annual_due: (month as u32, day as u32),
            source,
        };
        Ok((info, reporting))
    }

    async fn stored_assessment(&self, plan_code: &str) -> Result<Assessment> {
        let (completion_points, timeliness_points, late_credit_percent, assessment_source): (
            i64,
            i64,
            i64,
            String,
        ) = on_db!(self, pool => sqlx::query_as(
                "SELECT completion_points, timeliness_points, late_credit_percent, assessment_source FROM plans WHERE code = $1",
            )
            .bind(plan_code)
            .fetch_one(pool)
            .await?);
        Ok(Assessment {
            completion_points: completion_points as u32,
            timeliness_points: timeliness_points as u32,
            late_credit_percent: late_credit_percent as u32,
            source: assessment_source,
        })
    }

    async fn stored_units(&self) -> Result<Vec<Unit>> {
        let units: Vec<(String, String, String, String, String)> = on_db!(self, pool => sqlx::query_as(
            "SELECT code, name, full_name, kind, aliases FROM units WHERE active ORDER BY position",
        )
        .fetch_all(pool)
        .await?);
        let mut plan_units = Vec::new();
        for (code, name, full_name, kind, aliases) in units {
            let kind =
                UnitKind::parse(&kind).ok_or_else(|| corrupt(&format!("单位类别 {kind}")))?;
            let aliases = serde_json::from_str(&aliases).map_err(|_| corrupt("单位别名"))?;
            plan_units.push(Unit {
                code,
                name,
                full_name,
                kind,
                aliases,
            });
        }
        Ok(plan_units)
    }

    /// The active tasks with their units, duties, indicators and quotas, in the file's order.
    async fn stored_tasks(&self) -> Result<Vec<Task>> {
        let tasks: Vec<(String, String, String, String, Option<String>)> = on_db!(self, pool => sqlx::query_as(
            "SELECT code, section_code, name, body, remark FROM tasks WHERE active ORDER BY position",
        )
        .fetch_all(pool)
        .await?);
        let task_units: Vec<(String, String, String)> = on_db!(self, pool => sqlx::query_as(
            "SELECT task_code, unit_code, role FROM task_units ORDER BY task_code, position",
        )
        .fetch_all(pool)
        .await?);
        let duties: Vec<(String, String, String)> = on_db!(self, pool => sqlx::query_as(
            "SELECT task_code, unit_codes, body FROM task_duties ORDER BY task_code, position",
        )
        .fetch_all(pool)
        .await?);
        let indicators: Vec<IndicatorRow> = on_db!(self, pool => sqlx::query_as(
            "SELECT code, task_code, name, measure, comparator, target, target_max, period, aggregation, source, \
             quotas_sum_to_target, choice, weight, registry FROM indicators WHERE active ORDER BY position",
        )
        .fetch_all(pool)
        .await?);
        let quotas: Vec<(String, String, i64)> = on_db!(self, pool => sqlx::query_as(
            "SELECT indicator_code, unit_code, target FROM quotas WHERE active ORDER BY indicator_code, position",
        )
        .fetch_all(pool)
        .await?);
        let mut plan_tasks = Vec::new();
        for (code, section, name, text, remark) in tasks {
            let units_of = |role: &str| {
                task_units
                    .iter()
                    .filter(|(t, _, r)| *t == code && r == role)
                    .map(|(_, u, _)| u.clone())
                    .collect::<Vec<_>>()
            };
            let mut task_duties = Vec::new();
            for (_, units, text) in duties.iter().filter(|(t, _, _)| *t == code) {
                let units = serde_json::from_str(units).map_err(|_| corrupt("职责单位"))?;
                task_duties.push(Duty {
                    units,
                    text: text.clone(),
                });
            }
            let task_indicators = indicators
                .iter()
                .filter(|row| row.1 == code)
                .map(|row| indicator_of(row.clone(), &quotas))
                .collect::<Result<Vec<_>>>()?;
            plan_tasks.push(Task {
                lead_units: units_of("lead"),
                cooperating_units: units_of("cooperating"),
                code,
                section,
                name,
                text,
                remark,
                duties: task_duties,
                indicators: task_indicators,
            });
        }
        Ok(plan_tasks)
    }
}

type IndicatorRow = (
    String,
    String,
    String,
    String,
    String,
    i64,
    Option<i64>,
    String,
    String,
    String,
    bool,
    Option<String>,
    i64,
    Option<String>,
);

fn corrupt(what: &str) -> Error {
    Error::Config(format!("数据库中的行动方案数据有误：{what}"))
}

/// An indicator as stored, with its quotas; a code the plan does not know is corruption.
fn indicator_of(row: IndicatorRow, quotas: &[(String, String, i64)]) -> Result<Indicator> {
    let (
        icode,
        _,
        name,
        measure,
        comparator,
        target,
        target_max,
        period,
        aggregation,
        source,
        sums,
        choice,
        weight,
        registry,
    ) = row;
    let comparator = match comparator.as_str() {
        "at_least" => Comparator::AtLeast,
        "reach" => Comparator::Reach,
        "between" => Comparator::Between,
        "activity" => Comparator::Activity,
        other => return Err(corrupt(&format!("比较方式 {other}"))),
    };
    Ok(Indicator {
        quotas: quotas
            .iter()
            .filter(|(i, _, _)| *i == icode)
            .map(|(_, unit, target)| Quota {
                unit: unit.clone(),
                target: *target,
            })
            .collect(),
        code: icode,
        name,
        measure,
        comparator,
        // The column is NOT NULL (migration 0001); an activity indicator's row holds 0 there.
        target: (comparator != Comparator::Activity).then_some(target),
        target_max,
        period: match period.as_str() {
            "year" => Period::Year,
            "plan" => Period::Plan,
            other => return Err(corrupt(&format!("周期 {other}"))),
        },
        aggregation: match aggregation.as_str() {
            "sum" => Aggregation::Sum,
            "latest" => Aggregation::Latest,
            other => return Err(corrupt(&format!("汇总方式 {other}"))),
        },
        source,
        quotas_sum_to_target: sums,
        choice,
        weight: weight.clamp(1, 100) as u32,
        registry: match registry.as_deref() {
            None => None,
            Some(code) => Some(
                linkong_core::registry::Registry::parse(code)
                    .ok_or_else(|| corrupt(&format!("登记来源 {code}")))?,
            ),
        },
    })
}

/// The writes of loading a plan, each inside the caller's transaction: a plan is loaded whole
/// or not at all.
trait PlanWrite {
    async fn upsert_plan_row(
        &mut self,
        plan: &Plan,
        digest: &str,
        now: DateTime<Utc>,
    ) -> Result<()>;
    async fn deactivate_plan_items(&mut self) -> Result<()>;
    async fn upsert_units(&mut self, plan: &Plan) -> Result<()>;
    async fn upsert_sections(&mut self, plan: &Plan) -> Result<()>;
    async fn upsert_tasks(&mut self, plan: &Plan) -> Result<()>;
    async fn upsert_task(
        &mut self,
        position: usize,
        task: &Task,
        indicator_position: i64,
    ) -> Result<()>;
    async fn upsert_indicator(
        &mut self,
        task: &Task,
        indicator: &Indicator,
        indicator_position: i64,
    ) -> Result<()>;
}

macro_rules! impl_plan_write {
    ($conn:ty) => {
        impl PlanWrite for $conn {
            async fn upsert_plan_row(&mut self, plan: &Plan, digest: &str, now: DateTime<Utc>) -> Result<()> {
                let info = &plan.info;
                sqlx::query(
                    "INSERT INTO plans (code, name, document_number, issuer, issued_on, district_code, district_name, \
                     first_year, last_year, quarterly_due_working_days, annual_due_month, annual_due_day, reporting_source, \
                     file_digest, loaded_at, completion_points, timeliness_points, late_credit_percent, assessment_source) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19) \
                     ON CONFLICT (code) DO UPDATE SET name = excluded.name, document_number = excluded.document_number, \
                     issuer = excluded.issuer, issued_on = excluded.issued_on, district_code = excluded.district_code, \
                     district_name = excluded.district_name, first_year = excluded.first_year, last_year = excluded.last_year, \
                     quarterly_due_working_days = excluded.quarterly_due_working_days, annual_due_month = excluded.annual_due_month, \
                     annual_due_day = excluded.annual_due_day, reporting_source = excluded.reporting_source, \
                     file_digest = excluded.file_digest, loaded_at = excluded.loaded_at, \
                     completion_points = excluded.completion_points, timeliness_points = excluded.timeliness_points, \
                     late_credit_percent = excluded.late_credit_percent, assessment_source = excluded.assessment_source",
                )
                .bind(&info.code)
                .bind(&info.name)
                .bind(&info.document_number)
                .bind(&info.issuer)
                .bind(info.issued_on)
                .bind(&info.district_code)
                .bind(&info.district_name)
                .bind(i64::from(info.first_year))
                .bind(i64::from(info.last_year))
                .bind(i64::from(plan.reporting.quarterly_due_working_days))
                .bind(i64::from(plan.reporting.annual_due.0))
                .bind(i64::from(plan.reporting.annual_due.1))
                .bind(&plan.reporting.source)
                .bind(digest)
                .bind(now)
                .bind(i64::from(plan.assessment.completion_points))
                .bind(i64::from(plan.assessment.timeliness_points))
                .bind(i64::from(plan.assessment.late_credit_percent))
                .bind(&plan.assessment.source)
                .execute(&mut *self)
                .await?;
                Ok(())
            }

            /// Every item is inactive until the file names it again; links are written anew.
            async fn deactivate_plan_items(&mut self) -> Result<()> {
                for table in ["units", "sections", "tasks", "indicators", "quotas"] {
                    let sql = match table {
                        "units" => "UPDATE units SET active = FALSE",
                        "sections" => "UPDATE sections SET active = FALSE",
                        "tasks" => "UPDATE tasks SET active = FALSE",
                        "indicators" => "UPDATE indicators SET active = FALSE",
                        _ => "UPDATE quotas SET active = FALSE",
                    };
                    sqlx::query(sql).execute(&mut *self).await?;
                }
                sqlx::query("DELETE FROM task_units").execute(&mut *self).await?;
                sqlx::query("DELETE FROM task_duties").execute(&mut *self).await?;


                Ok(())
            }

            async fn upsert_units(&mut self, plan: &Plan) -> Result<()> {
                let info = &plan.info;
                for (position, unit) in plan.units.iter().enumerate() {
                    sqlx::query(
                        "INSERT INTO units (code, district_code, name, full_name, kind, aliases, position, active) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, TRUE) ON CONFLICT (code) DO UPDATE SET \
                         district_code = excluded.district_code, name = excluded.name, full_name = excluded.full_name, \
                         kind = excluded.kind, aliases = excluded.aliases, position = excluded.position, active = TRUE",
                    )
                    .bind(&unit.code)
                    .bind(&info.district_code)
                    .bind(&unit.name)
                    .bind(&unit.full_name)
                    .bind(unit.kind.code())
                    .bind(serde_json::to_string(&unit.aliases).unwrap_or_else(|_| "[]".into()))
                    .bind(position as i64)
                    .execute(&mut *self)
                    .await?;
                }

                Ok(())
            }

            async fn upsert_sections(&mut self, plan: &Plan) -> Result<()> {
                for (position, section) in plan.sections.iter().enumerate() {
                    sqlx::query(
                        "INSERT INTO sections (code, title, position, active) VALUES ($1, $2, $3, TRUE) \
                         ON CONFLICT (code) DO UPDATE SET title = excluded.title, position = excluded.position, active = TRUE",
                    )
                    .bind(&section.code)
                    .bind(&section.title)
                    .bind(position as i64)
                    .execute(&mut *self)
                    .await?;
                }

                Ok(())
            }

            async fn upsert_tasks(&mut self, plan: &Plan) -> Result<()> {
                // Indicators are numbered across the whole plan, in the file's order.
                let mut indicator_position = 0i64;
                for (position, task) in plan.tasks.iter().enumerate() {
                    self.upsert_task(position, task, indicator_position).await?;
                    indicator_position += task.indicators.len() as i64;
                }
                Ok(())
            }

            /// A task with its units, duties, indicators and quotas; its first indicator has
            /// `indicator_position`.
            async fn upsert_task(
                &mut self,
                position: usize,
                task: &Task,
                mut indicator_position: i64,
            ) -> Result<()> {
                sqlx::query(
                    "INSERT INTO tasks (code, section_code, name, body, remark, position, active) \
                     VALUES ($1, $2, $3, $4, $5, $6, TRUE) ON CONFLICT (code) DO UPDATE SET \
                     section_code = excluded.section_code, name = excluded.name, body = excluded.body, \
                     remark = excluded.remark, position = excluded.position, active = TRUE",
                )
                .bind(&task.code)
                .bind(&task.section)
                .bind(&task.name)
                .bind(&task.text)
                .bind(&task.remark)
                .bind(position as i64)
                .execute(&mut *self)
                .await?;
                let roles = task.lead_units.iter().map(|u| (u, "lead")).chain(task.cooperating_units.iter().map(|u| (u, "cooperating")));
                for (unit_position, (unit, role)) in roles.enumerate() {
                    sqlx::query(
                        "INSERT INTO task_units (task_code, unit_code, role, position) VALUES ($1, $2, $3, $4) \
                         ON CONFLICT (task_code, unit_code, role) DO NOTHING",
                    )
                    .bind(&task.code)
                    .bind(unit)
                    .bind(role)
                    .bind(unit_position as i64)
                    .execute(&mut *self)
                    .await?;
                }
                for (duty_position, duty) in task.duties.iter().enumerate() {
                    sqlx::query("INSERT INTO task_duties (task_code, position, unit_codes, body) VALUES ($1, $2, $3, $4)")
                        .bind(&task.code)
                        .bind(duty_position as i64)
                        .bind(serde_json::to_string(&duty.units).unwrap_or_else(|_| "[]".into()))
                        .bind(&duty.text)
                        .execute(&mut *self)
                        .await?;
                }

                for indicator in &task.indicators {
                    self.upsert_indicator(task, indicator, indicator_position).await?;
                    indicator_position += 1;
                }
                Ok(())
            }

            async fn upsert_indicator(
                &mut self,
                task: &Task,
                indicator: &Indicator,
                indicator_position: i64,
            ) -> Result<()> {
                sqlx::query(
                    "INSERT INTO indicators (code, task_code, name, measure, comparator, target, target_max, period, \
                     aggregation, source, quotas_sum_to_target, choice, position, weight, registry, active) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, TRUE) ON CONFLICT (code) DO UPDATE SET \
                     task_code = excluded.task_code, name = excluded.name, measure = excluded.measure, \
                     comparator = excluded.comparator, target = excluded.target, target_max = excluded.target_max, \
                     period = excluded.period, aggregation = excluded.aggregation, source = excluded.source, \
                     quotas_sum_to_target = excluded.quotas_sum_to_target, choice = excluded.choice, \
                     position = excluded.position, weight = excluded.weight, registry = excluded.registry, active = TRUE",
                )
                .bind(&indicator.code)
                .bind(&task.code)
                .bind(&indicator.name)
                .bind(&indicator.measure)
                .bind(comparator_code(indicator.comparator))
                .bind(indicator.target.unwrap_or(0))
                .bind(indicator.target_max)
                .bind(period_code(indicator.period))
                .bind(aggregation_code(indicator.aggregation))
                .bind(&indicator.source)
                .bind(indicator.quotas_sum_to_target)
                .bind(&indicator.choice)
                .bind(indicator_position)
                .bind(i64::from(indicator.weight))
                .bind(indicator.registry.map(|r| r.code()))
                .execute(&mut *self)
                .await?;
                for (quota_position, quota) in indicator.quotas.iter().enumerate() {
                    sqlx::query(
                        "INSERT INTO quotas (indicator_code, unit_code, target, position, active) VALUES ($1, $2, $3, $4, TRUE) \
                         ON CONFLICT (indicator_code, unit_code) DO UPDATE SET target = excluded.target, \
                         position = excluded.position, active = TRUE",
                    )
                    .bind(&indicator.code)
                    .bind(&quota.unit)
                    .bind(quota.target)
                    .bind(quota_position as i64)
                    .execute(&mut *self)
                    .await?;
                }

                Ok(())
            }
        }
    };
}

impl_plan_write!(SqliteConnection);
impl_plan_write!(PgConnection);
