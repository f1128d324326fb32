//! Quarterly and annual reports: drafted and submitted by a unit, accepted or returned by the
//! task force. Submitting freezes the figures: later records do not change a submitted report.

use chrono::{DateTime, NaiveDate, Utc};
use linkong_core::access::{Actor, Role};
use linkong_core::plan::Plan;
use linkong_core::reporting::{ReportLine, ReportPeriod, report_lines};
use serde::Serialize;

use crate::audit::{AuditAppend, AuditEvent};
use crate::{BeginWrite, Error, Result, Store, on_db};

pub const MAX_NARRATIVE_CHARS: usize = 3000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportStatus {
    Draft,
    Submitted,
    Returned,
    Accepted,
}

impl ReportStatus {
    fn parse(code: &str) -> ReportStatus {
        match code {
            "submitted" => ReportStatus::Submitted,
            "returned" => ReportStatus::Returned,
            "accepted" => ReportStatus::Accepted,
            _ => ReportStatus::Draft,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ReportStatus::Draft => "草稿",
            ReportStatus::Submitted => "已报送待审核",
            ReportStatus::Returned => "已退回待修改",
            ReportStatus::Accepted => "已通过",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            ReportStatus::Draft => "draft",
            ReportStatus::Submitted => "submitted",
            ReportStatus::Returned => "returned",
            ReportStatus::Accepted => "accepted",
        }
    }
}

/// The four parts of a report's text (工作进展, 经验做法, 存在问题, 下步打算).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Narrative {
    pub progress: String,
    pub practices: String,
    pub problems: String,
    pub next_steps: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub id: i64,
    pub unit_code: String,
    pub period: String,
    pub status: ReportStatus,
    pub narrative: Narrative,
    /// The figures as submitted; `None` until the first submission.
    pub figures: Option<Vec<ReportLine>>,
    pub first_submitted_at: Option<DateTime<Utc>>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub reviewed_at: Option<DateTime<Utc>>,
    pub review_comment: Option<String>,
    pub updated_at: DateTime<Utc>,
    /// The deadline the first submission was measured against.
    pub due_on: Option<NaiveDate>,
}

#[derive(sqlx::FromRow)]
struct ReportRow {
    id: i64,
    unit_code: String,
    period: String,
    status: String,
    progress: String,
    practices: String,
    problems: String,
    next_steps: String,
    figures: Option<String>,
    first_submitted_at: Option<DateTime<Utc>>,
    submitted_at: Option<DateTime<Utc>>,
    reviewed_at: Option<DateTime<Utc>>,
    review_comment: Option<String>,
    updated_at: DateTime<Utc>,
    due_on: Option<NaiveDate>,
}

impl ReportRow {
    fn into_report(self) -> Report {
        Report {
            id: self.id,
            unit_code: self.unit_code,
            period: self.period,
            status: ReportStatus::parse(&self.status),
            narrative: Narrative {
                progress: self.progress,
                practices: self.practices,
                problems: self.problems,
                next_steps: self.next_steps,
            },
            figures: self.figures.and_then(|f| serde_json::from_str(&f).ok()),
            first_submitted_at: self.first_submitted_at,
            submitted_at: self.submitted_at,
            reviewed_at: self.reviewed_at,
            review_comment: self.review_comment,
            updated_at: self.updated_at,
            due_on: self.due_on,
        }
    }
}

const REPORT_COLUMNS: &str = "id, unit_code, period, status, progress, practices, problems, next_steps, figures, \
     first_submitted_at, submitted_at, reviewed_at, review_comment, updated_at, due_on";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct ReportEvent {
    pub at: DateTime<Utc>,
    pub actor: String,
    pub action: String,
    pub comment: String,
}

/// What the unit asks for: keep a draft, or submit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Save {
    Draft,
    Submit,
}

/// What the task force decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Review {
    Accept,
    Return,
}

fn check_narrative(narrative: &Narrative, submitting: bool) -> Result<Narrative> {
    let trimmed = Narrative {
        progress: narrative.progress.trim().to_owned(),
        practices: narrative.practices.trim().to_owned(),
        problems: narrative.problems.trim().to_owned(),
        next_steps: narrative.next_steps.trim().to_owned(),
    };
    for (field, text) in [
        ("工作进展", &trimmed.progress),
        ("经验做法", &trimmed.practices),
        ("存在问题", &trimmed.problems),
        ("下步打算", &trimmed.next_steps),
    ] {
        if text.chars().count() > MAX_NARRATIVE_CHARS {
            return Err(Error::invalid(
                field,
                format!("不超过 {MAX_NARRATIVE_CHARS} 字"),
            ));
        }
    }
    if submitting && trimmed.progress.is_empty() {
        return Err(Error::invalid("工作进展", "报送前请填写工作进展"));
    }
    Ok(trimmed)
}

impl Store {
    pub async fn report(&self, unit: &str, period: ReportPeriod) -> Result<Option<Report>> {
        let row = on_db!(self, pool => sqlx::query_as::<_, ReportRow>(sqlx::AssertSqlSafe(format!(
            "SELECT {REPORT_COLUMNS} FROM reports WHERE unit_code = $1 AND period = $2"
        )))
        .bind(unit)
        .bind(period.code())
        .fetch_optional(pool)
        .await?);
        Ok(row.map(ReportRow::into_report))
    }

    /// Every unit's reports of `year` (quarters and the annual report).
    pub async fn reports_of_year(&self, year: i32) -> Result<Vec<Report>> {
        let rows = on_db!(self, pool => sqlx::query_as::<_, ReportRow>(sqlx::AssertSqlSafe(format!(
            "SELECT {REPORT_COLUMNS} FROM reports WHERE period = $1 OR period LIKE $2 ORDER BY unit_code, period"
        )))
        .bind(year.to_string())
        .bind(format!("{year}Q%"))
        .fetch_all(pool)
        .await?);
        Ok(rows.into_iter().map(ReportRow::into_report).collect())
    }

    pub async fn report_events(&self, report_id: i64) -> Result<Vec<ReportEvent>> {
        Ok(on_db!(self, pool => sqlx::query_as::<_, ReportEvent>(
            "SELECT e.at, u.display_name AS actor, e.action, e.comment FROM report_events e \
             JOIN users u ON u.id = e.user_id WHERE e.report_id = $1 ORDER BY e.id",
        )
        .bind(report_id)
        .fetch_all(pool)
        .await?))
    }

    /// The live figures of a unit's report (what a submission would freeze).
    pub async fn live_report_lines(
        &self,
        plan: &Plan,
        unit: &str,
        period: ReportPeriod,
    ) -> Result<Vec<ReportLine>> {
        let from = NaiveDate::from_ymd_opt(plan.info.first_year, 1, 1).unwrap_or(period.range().0);
        let records = self.record_figures(plan, from, period.range().1).await?;
        Ok(report_lines(plan, unit, period, &records))
    }

    /// Saves a draft of, or submits, the actor's own unit's report.
    #[allow(clippy::too_many_arguments)] // each is a distinct fact of one request; a struct would only rename them
    pub async fn save_report(
        &self,
        actor: &Actor,
        plan: &Plan,
        unit: &str,
        period: ReportPeriod,
        narrative: &Narrative,
        save: Save,
        ip: &str,
    ) -> Result<()> {
        if !actor.may_record_for(unit) {
            return Err(self
                .deny(
                    actor,
                    format!("report:{unit}:{}", period.code()),
                    "只能填报本单位的报告",
                    ip,
                )
                .await);
        }
        let narrative = check_narrative(narrative, save == Save::Submit)?;
        let opens = period.opens_on(plan);
        if save == Save::Submit && linkong_core::time::local_date(self.now()) < opens {
            return Err(Error::invalid(
                "报送",
                format!(
                    "{}报告自 {} 起才能报送（报告期尚未结束），可先保存草稿",
                    period.label(),
                    opens.format("%Y年%-m月%-d日")
                ),
            ));
        }
        let figures = match save {
            Save::Submit => Some(
                serde_json::to_string(&self.live_report_lines(plan, unit, period).await?)
                    .map_err(|e| Error::Config(format!("无法保存报告数据：{e}")))?,
            ),
            Save::Draft => None,
        };
        let now = self.now();
        let (action, sql) = match save {
            Save::Draft => (
                "report.save",
                "UPDATE reports SET progress = $3, practices = $4, problems = $5, next_steps = $6, updated_at = $7 \
                 WHERE unit_code = $1 AND period = $2 AND status IN ('draft', 'returned') RETURNING id",
            ),
            Save::Submit => (
                "report.submit",
                "UPDATE reports SET progress = $3, practices = $4, problems = $5, next_steps = $6, updated_at = $7, \
                 status = 'submitted', figures = $8, submitted_at = $7, first_submitted_at = COALESCE(first_submitted_at, $7), \
                 submitted_by = $9 WHERE unit_code = $1 AND period = $2 AND status IN ('draft', 'returned') RETURNING id",
            ),
        };
        let event = AuditEvent::new(action, format!("report:{unit}:{}", period.code()))
            .by(Some(actor.user_id), &actor.username)
            .from_ip(ip);
        let _guard = self.write_lock.lock().await;
        let updated: Option<i64> = on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            sqlx::query(
                "INSERT INTO reports (unit_code, period, status, progress, practices, problems, next_steps, updated_at) \
                 VALUES ($1, $2, 'draft', '', '', '', '', $3) ON CONFLICT (unit_code, period) DO NOTHING",
            )
            .bind(unit)
            .bind(period.code())
            .bind(now)
            .execute(&mut *tx)
            .await?;
            let mut query = sqlx::query_scalar::<_, i64>(sql)
                .bind(unit)
                .bind(period.code())
                .bind(&narrative.progress)
                .bind(&narrative.practices)
                .bind(&narrative.problems)
                .bind(&narrative.next_steps)
                .bind(now);
            if save == Save::Submit {
                query = query.bind(&figures).bind(actor.user_id);
            }
            let id = query.fetch_optional(&mut *tx).await?;
            if let Some(id) = id {
                sqlx::query("INSERT INTO report_events (report_id, at, user_id, action, comment) VALUES ($1, $2, $3, $4, '')")
                    .bind(id)
                    .bind(now)
                    .bind(actor.user_id)
                    .bind(match save { Save::Draft => "save", Save::Submit => "submit" })
                    .execute(&mut *tx)
                    .await?;
                tx.append_audit(now, &event).await?;
                tx.commit().await?;
            }
            id
        });
        if updated.is_some() {
            return Ok(());
        }
        let current = self.report(unit, period).await?.map(|r| r.status);
        Err(Error::Conflict(match current {
            Some(ReportStatus::Accepted) => "报告已通过审核，不能再次报送或修改".into(),
            Some(ReportStatus::Submitted) => "报告已报送，正在等待工作专班审核，暂不能修改".into(),
            _ => "报告状态已变化，请刷新后重试".into(),
        }))
    }

    /// Keeps the deadline a report was first submitted against (set once), so that editing the
    /// calendar later does not change whether it was on time.
    pub async fn record_report_due(
        &self,
        unit: &str,
        period: ReportPeriod,
        due: NaiveDate,
    ) -> Result<()> {
        on_db!(self, pool => sqlx::query(
            "UPDATE reports SET due_on = $3 WHERE unit_code = $1 AND period = $2 AND due_on IS NULL \
             AND first_submitted_at IS NOT NULL",
        )
        .bind(unit)
        .bind(period.code())
        .bind(due)
        .execute(pool)
        .await?
        .rows_affected());
        Ok(())
    }

    /// The task force accepts a submitted report, or returns it with a reason.
    pub async fn review_report(
        &self,
        actor: &Actor,
        unit: &str,
        period: ReportPeriod,
        review: Review,
        comment: &str,
        ip: &str,
    ) -> Result<()> {
        if !matches!(actor.role, Role::TaskForce | Role::Admin) {
            return Err(self
                .deny(
                    actor,
                    format!("report:{unit}:{}", period.code()),
                    "只有工作专班可以审核报告",
                    ip,
                )
                .await);
        }
        let comment = comment.trim();
        if review == Review::Return && comment.is_empty() {
            return Err(Error::invalid("审核意见", "退回时请写明退回原因"));
        }
        if comment.chars().count() > 1000 {
            return Err(Error::invalid("审核意见", "不超过 1000 字"));
        }
        let (status, action, audit_action) = match review {
            Review::Accept => ("accepted", "accept", "report.accept"),
            Review::Return => ("returned", "return", "report.return"),
        };
        let now = self.now();
        let event = AuditEvent::new(audit_action, format!("report:{unit}:{}", period.code()))
            .by(Some(actor.user_id), &actor.username)
            .detail(comment.to_owned())
            .from_ip(ip);
        let _guard = self.write_lock.lock().await;
        let updated: Option<i64> = on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let id: Option<i64> = sqlx::query_scalar(
                "UPDATE reports SET status = $3, reviewed_at = $4, reviewed_by = $5, review_comment = $6, updated_at = $4 \
                 WHERE unit_code = $1 AND period = $2 AND status = 'submitted' RETURNING id",
            )
            .bind(unit)
            .bind(period.code())
            .bind(status)
            .bind(now)
            .bind(actor.user_id)
            .bind(comment)
            .fetch_optional(&mut *tx)
            .await?;
            if let Some(id) = id {
                sqlx::query("INSERT INTO report_events (report_id, at, user_id, action, comment) VALUES ($1, $2, $3, $4, $5)")
                    .bind(id)
                    .bind(now)
                    .bind(actor.user_id)
                    .bind(action)
                    .bind(comment)
                    .execute(&mut *tx)
                    .await?;
                tx.append_audit(now, &event).await?;
                tx.commit().await?;
            }
            id
        });
        match updated {
            Some(_) => Ok(()),
            None => Err(Error::Conflict("只有已报送、等待审核的报告才能审核".into())),
        }
    }
}
