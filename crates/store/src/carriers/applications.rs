//! Applications for municipal recognition of a carrier (市级创业孵化基地 1.2.2, 市级返乡创业园
//! 2.4.1): recommended by a keeper of the carrier, followed by 区人社局 and the task's lead
//! unit stage by stage with their documents. An approval counts on its day for the unit core
//! names (the task's lead): the step, the carrier's level, the tally and the audit row are one
//! transaction.

use chrono::NaiveDate;
use linkong_core::access::Actor;
use linkong_core::carriers::applications::{
    ApplicationKind, Stage, application_step, document, new_application,
};
use linkong_core::plan::Plan;
use linkong_core::time::local_date;
use serde::Serialize;

use super::write::{ApplicationWrite, NewApplication};
use crate::audit::{AuditAppend, AuditEvent};
use crate::figures::{DayKey, FigureWrite, Kind};
use crate::{BeginWrite, Error, Result, Store, on_db};

/// An application as lists and pages show it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Application {
    pub id: i64,
    pub carrier_id: i64,
    pub carrier_name: String,
    /// The carrier's street.
    pub street_code: String,
    pub kind: ApplicationKind,
    /// The unit that recommended it.
    pub recommended_by: String,
    /// The unit its approval counts for.
    pub counted_for: String,
    pub stage: Stage,
    pub stage_on: NaiveDate,
    /// Why it did not pass.
    pub reason: String,
    pub approved_on: Option<NaiveDate>,
}

/// One stage reached, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApplicationStep {
    pub stage: Stage,
    pub on: NaiveDate,
    pub note: String,
}

/// A document of the application, by name and date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApplicationDocument {
    pub name: String,
    pub on: NaiveDate,
}

/// An application with its stages and documents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApplicationDetail {
    pub application: Application,
    pub steps: Vec<ApplicationStep>,
    pub documents: Vec<ApplicationDocument>,
}

/// Filters of the application list.
#[derive(Debug, Clone, Default)]
pub struct ApplicationFilter {
    pub kind: Option<ApplicationKind>,
    pub stage: Option<Stage>,
    pub street: Option<String>,
}

#[derive(sqlx::FromRow)]
struct ApplicationRow {
    id: i64,
    carrier_id: i64,
    carrier_name: String,
    street_code: String,
    kind: String,
    recommended_by: String,
    counted_for: String,
    stage: String,
    stage_on: NaiveDate,
    reason: String,
    approved_on: Option<NaiveDate>,
}

impl ApplicationRow {
    fn view(self) -> Result<Application> {
        let id = self.id;
        let unreadable = |what: &str| Error::Config(format!("认定申报 {id} 的{what}无法识别"));
        Ok(Application {
            kind: ApplicationKind::parse(&self.kind).map_err(|_| unreadable("类型"))?,
            stage: Stage::parse(&self.stage).map_err(|_| unreadable("阶段"))?,
            id,
            carrier_id: self.carrier_id,
            carrier_name: self.carrier_name,
            street_code: self.street_code,
            recommended_by: self.recommended_by,
            counted_for: self.counted_for,
            stage_on: self.stage_on,
            reason: self.reason,
            approved_on: self.approved_on,
        })
    }
}

const APPLICATION_SELECT: &str = "SELECT a.id, a.carrier_id, c.name AS carrier_name, c.street_code, a.kind, \
     a.recommended_by, a.counted_for, a.stage, a.stage_on, a.reason, a.approved_on \
     FROM carrier_applications a JOIN carriers c ON c.id = a.carrier_id";

fn views(rows: Vec<ApplicationRow>) -> Result<Vec<Application>> {
    rows.into_iter().map(ApplicationRow::view).collect()
}

impl Store {
    /// A carrier's applications, newest first (its page).
    pub(crate) async fn applications_of_carrier(
        &self,
        carrier_id: i64,
    ) -> Result<Vec<Application>> {
        let rows: Vec<ApplicationRow> = on_db!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "{APPLICATION_SELECT} WHERE a.carrier_id = $1 ORDER BY a.id DESC"
        )))
        .bind(carrier_id)
        .fetch_all(pool)
        .await?);
        views(rows)
    }

    /// The applications of the carriers the actor reaches, matching `filter`, newest first.
    pub async fn carrier_applications(
        &self,
        plan: &Plan,
        actor: &Actor,
        filter: &ApplicationFilter,
        ip: &str,
    ) -> Result<Vec<Application>> {
        let street = self
            .carrier_street(plan, actor, filter.street.as_deref(), ip)
            .await?;
        let rows: Vec<ApplicationRow> = on_db!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "{APPLICATION_SELECT} WHERE ($1 = '' OR c.street_code = $1) AND ($2 = '' OR a.kind = $2) \
             AND ($3 = '' OR a.stage = $3) ORDER BY a.stage_on DESC, a.id DESC LIMIT 2000"
        )))
        .bind(&street)
        .bind(filter.kind.map_or("", |k| k.code()))
        .bind(filter.stage.map_or("", |s| s.code()))
        .fetch_all(pool)
        .await?);
        views(rows)
    }

    async fn stored_application(&self, id: i64) -> Result<Application> {
        let row: Option<ApplicationRow> = on_db!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "{APPLICATION_SELECT} WHERE a.id = $1"
        )))
        .bind(id)
        .fetch_optional(pool)
        .await?);
        row.ok_or_else(|| Error::not_found("该认定申报不存在"))?
            .view()
    }

    /// One application with its stages and documents, if the actor reaches its carrier's
    /// street; an attempt outside is refused and audited.
    pub async fn carrier_application(
        &self,
        plan: &Plan,
        actor: &Actor,
        id: i64,
        ip: &str,
    ) -> Result<ApplicationDetail> {
        let application = self.stored_application(id).await?;
        if !actor.carrier_scope(plan).reaches(&application.street_code) {
            return Err(self
                .deny(
                    actor,
                    format!("carrier_application:{id}"),
                    "只能查看本街道创业载体的申报",
                    ip,
                )
                .await);
        }
        let steps: Vec<(String, NaiveDate, String)> = on_db!(self, pool => sqlx::query_as(
            "SELECT stage, stepped_on, note FROM carrier_application_steps WHERE application_id = $1 \
             ORDER BY stepped_on, id"
        )
        .bind(id)
        .fetch_all(pool)
        .await?);
        let documents: Vec<(String, NaiveDate)> = on_db!(self, pool => sqlx::query_as(
            "SELECT name, dated_on FROM carrier_application_documents WHERE application_id = $1 \
             ORDER BY dated_on, id"
        )
        .bind(id)
        .fetch_all(pool)
        .await?);
        Ok(ApplicationDetail {
            application,
            steps: steps
                .into_iter()
                .filter_map(|(stage, on, note)| {
                    Some(ApplicationStep {
                        stage: Stage::parse(&stage).ok()?,
                        on,
                        note,
                    })
                })
                .collect(),
            documents: documents
                .into_iter()
                .map(|(name, on)| ApplicationDocument { name, on })
                .collect(),
        })
    }

    /// Recommends a carrier for municipal recognition of `kind` on `on` (the application's
    /// first stage), for the actor's unit: a keeper of the carrier. One open application of a
    /// kind per carrier, none once recognised.
    pub async fn apply_for_recognition(
        &self,
        plan: &Plan,
        actor: &Actor,
        carrier_id: i64,
        (kind, on): (&str, &str),
        ip: &str,
    ) -> Result<i64> {
        let carrier = self.kept_carrier(plan, actor, carrier_id, ip).await?;
        let existing: Vec<(ApplicationKind, Stage)> = self
            .applications_of_carrier(carrier_id)
            .await?
            .into_iter()
            .map(|a| (a.kind, a.stage))
            .collect();
        let now = self.now();
        let (kind, day) =
            new_application(kind, on, &existing, local_date(now)).map_err(Error::Fields)?;
        let recommended_by = actor.unit_code.clone().unwrap_or_default();
        let counted_for = kind
            .counted_for(plan)
            .ok_or_else(|| Error::Config(format!("方案中没有任务 {}", kind.task())))?;
        let event = AuditEvent::new("carrier.apply", format!("carrier:{carrier_id}"))
            .by(Some(actor.user_id), &actor.username)
            .detail(format!("推荐 {} 申报{}", carrier.name, kind.label()))
            .from_ip(ip);
        let new = NewApplication {
            carrier_id,
            kind,
            recommended_by: &recommended_by,
            counted_for,
            on: day,
        };
        let _guard = self.write_lock.lock().await;
        Ok(on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let id = tx.insert_application(&new, actor.user_id, now).await?;
            tx.append_audit(now, &event).await?;
            tx.commit().await?;
            id
        }))
    }

    /// Moves an application to its next stage (or out as not passed, with the reason): 区人社局
    /// or the lead unit of its task. An approval counts from its day and makes a district
    /// carrier municipal, in the same transaction.
    pub async fn step_carrier_application(
        &self,
        plan: &Plan,
        actor: &Actor,
        id: i64,
        (stage, on, note): (&str, &str, &str),
        ip: &str,
    ) -> Result<()> {
        let application = self.stored_application(id).await?;
        if !actor.may_follow_application(plan, application.kind) {
            return Err(self
                .deny(
                    actor,
                    format!("carrier_application:{id}"),
                    "只有区人社局和该任务的牵头单位可以登记申报进展",
                    ip,
                )
                .await);
        }
        let now = self.now();
        let at = (application.stage, application.stage_on);
        let step = application_step(at, stage, on, note, local_date(now)).map_err(Error::Fields)?;
        let carrier = self.stored_carrier(application.carrier_id).await?;
        let approved = step.stage == Stage::Approved;
        let level = approved.then(|| (carrier.id, carrier.level.recognised_municipal()));
        let keys: Vec<DayKey> = approved
            .then(|| {
                let code = application.kind.code();
                DayKey::new(Kind::Recognition, code, &application.counted_for, step.on)
            })
            .into_iter()
            .collect();
        let event = AuditEvent::new(
            "carrier.application_step",
            format!("carrier_application:{id}"),
        )
        .by(Some(actor.user_id), &actor.username)
        .detail(format!(
            "{} {}：{}（{}）{}",
            carrier.name,
            application.kind.label(),
            step.stage.label(),
            step.on,
            step.note
        ))
        .from_ip(ip);
        let _guard = self.write_lock.lock().await;
        on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            tx.step_application(id, &step, level, actor.user_id, now).await?;
            tx.refresh_figures(&keys).await?;
            tx.append_audit(now, &event).await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// Adds a document (name and date) to an application: a keeper of the carrier, or a unit
    /// that follows the application.
    pub async fn add_application_document(
        &self,
        plan: &Plan,
        actor: &Actor,
        id: i64,
        (name, on): (&str, &str),
        ip: &str,
    ) -> Result<()> {
        let application = self.stored_application(id).await?;
        if !actor.may_keep_carrier(plan, &application.street_code)
            && !actor.may_follow_application(plan, application.kind)
        {
            return Err(self
                .deny(
                    actor,
                    format!("carrier_application:{id}"),
                    "只能为本单位推荐或跟进的申报登记材料",
                    ip,
                )
                .await);
        }
        let now = self.now();
        let doc = document(name, on, local_date(now)).map_err(Error::Fields)?;
        let event = AuditEvent::new(
            "carrier.application_document",
            format!("carrier_application:{id}"),
        )
        .by(Some(actor.user_id), &actor.username)
        .detail(format!("{}（{}）", doc.name, doc.on))
        .from_ip(ip);
        let _guard = self.write_lock.lock().await;
        on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            tx.insert_document(id, &doc, actor.user_id, now).await?;
            tx.append_audit(now, &event).await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// The applications of `kind` approved in `year` that count for `unit`: the rows behind
    /// its 1.2.2 or 2.4.1 figure. Only readers of the unit's records see them.
    pub async fn recognitions(
        &self,
        actor: &Actor,
        kind: ApplicationKind,
        unit: &str,
        year: i32,
        ip: &str,
    ) -> Result<Vec<Application>> {
        if !actor.may_read_records_of(unit) {
            return Err(self
                .deny(
                    actor,
                    format!("carrier_applications:{unit}"),
                    "只能查看本单位的明细",
                    ip,
                )
                .await);
        }
        let rows: Vec<ApplicationRow> = on_db!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "{APPLICATION_SELECT} WHERE a.kind = $1 AND a.counted_for = $2 AND a.approved_on >= $3 \
             AND a.approved_on <= $4 ORDER BY a.approved_on, a.id"
        )))
        .bind(kind.code())
        .bind(unit)
        .bind(NaiveDate::from_ymd_opt(year, 1, 1))
        .bind(NaiveDate::from_ymd_opt(year, 12, 31))
        .fetch_all(pool)
        .await?);
        views(rows)
    }

    /// Applications of `kind` approved within [from, to]: (id, counting unit, day), the
    /// reference the tallies are held to.
    pub(crate) async fn recognitions_from_rows(
        &self,
        kind: ApplicationKind,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<(i64, String, NaiveDate)>> {
        Ok(on_db!(self, pool => sqlx::query_as(
            "SELECT id, counted_for, approved_on FROM carrier_applications WHERE kind = $1 \
             AND approved_on >= $2 AND approved_on <= $3"
        )
        .bind(kind.code())
        .bind(from)
        .bind(to)
        .fetch_all(pool)
        .await?))
    }
}
