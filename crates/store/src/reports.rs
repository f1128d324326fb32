//! Quarterly and annual reports: drafted and submitted by a unit, accepted or returned by the
//! task force. Submitting freezes the figures: later records do not change a submitted report.

use chrono::{DateTime, NaiveDate, Utc};
use linkong_core::access::Actor;
use linkong_core::calendar::WorkCalendar;
use linkong_core::plan::Plan;
use linkong_core::reporting::{
    DistrictReport, HandedIn, Narrative, ReportLine, ReportPeriod, ReportStatus, Review, Save,
    Standing, Submission, YearStandings, district_report, next_report, report_lines,
    review_comment, standing,
};
use linkong_core::time::local_date;
use serde::Serialize;

use crate::audit::{AuditAppend, AuditEvent};
use crate::{BeginWrite, Error, Result, Store, on_db};

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
            // Only this module writes the column, and only the four codes.
            status: ReportStatus::parse(&self.status).unwrap_or(ReportStatus::Draft),
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

impl Report {
    /// The report as the deadline rules see it.
    pub fn submission(&self) -> Submission {
        Submission {
            status: self.status,
            due_on: self.due_on,
            first_submitted_on: self.first_submitted_at.map(local_date),
        }
    }

    /// The figures as submitted, once the report has reached the task force.
    pub fn frozen_figures(&self) -> Option<&[ReportLine]> {
        self.figures
            .as_deref()
            .filter(|_| self.status.is_submitted())
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

/// A year's reports of the units an actor may read, with each unit's standing per period.
#[derive(Debug, Clone)]
pub struct YearReports<'p> {
    pub standings: YearStandings<'p>,
    /// The reports of the same units: quarters and the annual report.
    pub reports: Vec<Report>,
}

impl YearReports<'_> {
    /// A unit's report of a period, if it has saved one.
    pub fn report(&self, unit: &str, period: ReportPeriod) -> Option<&Report> {
        find_report(&self.reports, unit, period)
    }
}

/// A unit's report of a period among a year's reports.
pub fn find_report<'r>(
    reports: &'r [Report],
    unit: &str,
    period: ReportPeriod,
) -> Option<&'r Report> {
    let code = period.code();
    reports
        .iter()
        .find(|r| r.unit_code == unit && r.period == code)
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

    /// Every report of `year` of the units the actor may read, with each unit's standing as of
    /// today: the reports are read once for both.
    pub async fn year_standings<'p>(
        &self,
        actor: &Actor,
        plan: &'p Plan,
        calendar: &WorkCalendar,
        year: i32,
    ) -> Result<YearReports<'p>> {
        let reports = self.reports_of_year(year).await?;
        let mut standings = self.standings_of(plan, calendar, year, &reports);
        standings
            .units
            .retain(|(unit, _)| actor.may_read_records_of(&unit.code));
        let reports = reports
            .into_iter()
            .filter(|r| actor.may_read_records_of(&r.unit_code))
            .collect();
        Ok(YearReports { standings, reports })
    }

    /// Every unit's standings, for figures that rank units against each other.
    pub(crate) async fn all_year_standings<'p>(
        &self,
        plan: &'p Plan,
        calendar: &WorkCalendar,
        year: i32,
    ) -> Result<YearStandings<'p>> {
        let reports = self.reports_of_year(year).await?;
        Ok(self.standings_of(plan, calendar, year, &reports))
    }

    /// The standings of `year` as of today, given that year's reports.
    fn standings_of<'p>(
        &self,
        plan: &'p Plan,
        calendar: &WorkCalendar,
        year: i32,
        reports: &[Report],
    ) -> YearStandings<'p> {
        let today = local_date(self.now());
        YearStandings::new(plan, calendar, year, today, |unit, period| {
            find_report(reports, unit, period).map(Report::submission)
        })
    }

    /// A unit's earliest report open for submission and not yet submitted, with its standing.
    pub async fn next_report(
        &self,
        actor: &Actor,
        plan: &Plan,
        calendar: &WorkCalendar,
        unit: &str,
        ip: &str,
    ) -> Result<Option<(ReportPeriod, Standing)>> {
        if !actor.may_read_records_of(unit) {
            return Err(self
                .deny(
                    actor,
                    format!("reports:{unit}"),
                    "不能查看其他单位的报告",
                    ip,
                )
                .await);
        }
        let mut reports = Vec::new();
        for year in plan.years() {
            reports.extend(self.reports_of_year(year).await?);
        }
        let today = local_date(self.now());
        Ok(next_report(plan, calendar, today, |period| {
            find_report(&reports, unit, period).map(Report::submission)
        }))
    }

    /// One unit's report of a period, for those who may read that unit's reports.
    pub async fn unit_report(
        &self,
        actor: &Actor,
        unit: &str,
        period: ReportPeriod,
        ip: &str,
    ) -> Result<Option<Report>> {
        if !actor.may_read_records_of(unit) {
            let target = format!("report:{unit}:{}", period.code());
            return Err(self.deny(actor, target, "不能查看其他单位的报告", ip).await);
        }
        self.report(unit, period).await
    }

    /// The district's consolidated report of `period`: for readers of every unit only.
    pub async fn district_report(
        &self,
        actor: &Actor,
        plan: &Plan,
        calendar: &WorkCalendar,
        period: ReportPeriod,
        ip: &str,
    ) -> Result<DistrictReport> {
        if !actor.reads_all_units() {
            let target = format!("report:district:{}", period.code());
            return Err(self
                .deny(actor, target, "全区汇总报告只向工作专班开放", ip)
                .await);
        }
        let reports = self.reports_of_year(period.year()).await?;
        let from = NaiveDate::from_ymd_opt(plan.info.first_year, 1, 1).unwrap_or(period.range().0);
        let records = self.record_figures(plan, from, period.range().1).await?;
        let today = local_date(self.now());
        let units: Vec<HandedIn> = plan
            .units
            .iter()
            .map(|unit| {
                let report = find_report(&reports, &unit.code, period);
                let frozen = report.and_then(Report::frozen_figures);
                HandedIn {
                    unit_code: &unit.code,
                    status: report.map(|r| r.status),
                    frozen,
                    live: match frozen {
                        Some(_) => Vec::new(),
                        None => report_lines(plan, &unit.code, period, &records),
                    },
                    standing: standing(
                        plan,
                        calendar,
                        period,
                        report.map(Report::submission).as_ref(),
                        today,
                    ),
                }
            })
            .collect();
        Ok(district_report(
            plan,
            period,
            period.due(plan, calendar),
            &units,
        ))
    }

    /// Saves a draft of, or submits, the actor's own unit's report. A submission freezes the
    /// figures and keeps the deadline it was measured against, in the same transaction.
    #[allow(clippy::too_many_arguments)] // each is a distinct fact of one request; a struct would only rename them
    pub async fn save_report(
        &self,
        actor: &Actor,
        plan: &Plan,
        calendar: &WorkCalendar,
        unit: &str,
        period: ReportPeriod,
        narrative: &Narrative,
        save: Save,
        ip: &str,
    ) -> Result<()> {
        let target = format!("report:{unit}:{}", period.code());
        if !actor.may_record_for(unit) {
            return Err(self.deny(actor, target, "只能填报本单位的报告", ip).await);
        }
        let narrative = narrative.checked(save == Save::Submit)?;
        let figures = match save {
            Save::Submit => Some(self.figures_to_freeze(plan, unit, period).await?),
            Save::Draft => None,
        };
        let event = AuditEvent::new(
            match save {
                Save::Draft => "report.save",
                Save::Submit => "report.submit",
            },
            target,
        )
        .by(Some(actor.user_id), &actor.username)
        .from_ip(ip);
        let due = period.due(plan, calendar);
        let saved = self
            .write_report(actor, unit, period, &narrative, figures, due, &event)
            .await?;
        if saved {
            return Ok(());
        }
        let current = self.report(unit, period).await?.map(|r| r.status);
        let why = current
            .and_then(|status| status.after_save(save).err())
            .unwrap_or("报告状态已变化，请刷新后重试");
        Err(Error::Conflict(why.into()))
    }

    /// The live figures a submission freezes, as stored; refused before the period is over.
    async fn figures_to_freeze(
        &self,
        plan: &Plan,
        unit: &str,
        period: ReportPeriod,
    ) -> Result<String> {
        let opens = period.opens_on(plan);
        if local_date(self.now()) < opens {
            return Err(Error::invalid(
                "报送",
                format!(
                    "{}报告自 {} 起才能报送（报告期尚未结束），可先保存草稿",
                    period.label(),
                    opens.format("%Y年%-m月%-d日")
                ),
            ));
        }
        let lines = self.live_report_lines(plan, unit, period).await?;
        serde_json::to_string(&lines).map_err(|e| Error::Config(format!("无法保存报告数据：{e}")))
    }

    /// Writes a draft (no `figures`) or a submission of an open report, its history step and
    /// its audit row in one transaction; false when the report is not open (nothing written).
    #[allow(clippy::too_many_arguments)]
    async fn write_report(
        &self,
        actor: &Actor,
        unit: &str,
        period: ReportPeriod,
        narrative: &Narrative,
        figures: Option<String>,
        due: NaiveDate,
        event: &AuditEvent,
    ) -> Result<bool> {
        let submit = figures.is_some();
        let sql = if submit {
            // The first submission keeps its date and its deadline; a resubmission keeps both.
            "UPDATE reports SET progress = $3, practices = $4, problems = $5, next_steps = $6, updated_at = $7, \
             status = 'submitted', figures = $8, submitted_at = $7, first_submitted_at = COALESCE(first_submitted_at, $7), \
             submitted_by = $9, due_on = COALESCE(due_on, $10) \
             WHERE unit_code = $1 AND period = $2 AND status IN ('draft', 'returned') RETURNING id"
        } else {
            "UPDATE reports SET progress = $3, practices = $4, problems = $5, next_steps = $6, updated_at = $7 \
             WHERE unit_code = $1 AND period = $2 AND status IN ('draft', 'returned') RETURNING id"
        };
        let step = if submit { Save::Submit } else { Save::Draft };
        let now = self.now();
        let _guard = self.write_lock.lock().await;
        Ok(on_db!(self, pool => {
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
            if submit {
                query = query.bind(&figures).bind(actor.user_id).bind(due);
            }
            let id = query.fetch_optional(&mut *tx).await?;
            if let Some(id) = id {
                sqlx::query("INSERT INTO report_events (report_id, at, user_id, action, comment) VALUES ($1, $2, $3, $4, '')")
                    .bind(id)
                    .bind(now)
                    .bind(actor.user_id)
                    .bind(step.code())
                    .execute(&mut *tx)
                    .await?;
                tx.append_audit(now, event).await?;
                tx.commit().await?;
            }
            id.is_some()
        }))
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
        if !actor.may_review_reports() {
            return Err(self
                .deny(
                    actor,
                    format!("report:{unit}:{}", period.code()),
                    "只有工作专班可以审核报告",
                    ip,
                )
                .await);
        }
        let comment = review_comment(review, comment)?;
        // What the review leads to, from a submitted report (the UPDATE checks it is one).
        let status = ReportStatus::Submitted
            .after_review(review)
            .map_err(|why| Error::Conflict(why.into()))?
            .code();
        let action = review.code();
        let audit_action = match review {
            Review::Accept => "report.accept",
            Review::Return => "report.return",
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
            None => {
                let current = self.report(unit, period).await?.map(|r| r.status);
                let why = current
                    .unwrap_or(ReportStatus::Draft)
                    .after_review(review)
                    .err()
                    .unwrap_or("报告状态已变化，请刷新后重试");
                Err(Error::Conflict(why.into()))
            }
        }
    }
}
