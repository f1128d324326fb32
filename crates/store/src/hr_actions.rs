//! HR agencies' special actions (人力资源机构稳就业促创业专项行动, task 2.4.4): a unit of 2.4.4
//! records the actions it organised, with the agencies taking part, and the services they gave
//! returnee businesses (picked from the businesses the unit reaches) during each. Services
//! count toward 2.4.4 (次) for the action's organiser on the service day, the tally written in
//! the same transaction as the row and its audit line. Actions and services hold no personal
//! data: every staff member reads them.

use chrono::NaiveDate;
use linkong_core::access::{Actor, Gate};
use linkong_core::field::FieldError;
use linkong_core::hr_actions::{
    ActionDraft, ServiceDraft, ServiceKind, ValidService, validate_action, validate_service,
};
use linkong_core::plan::Plan;
use linkong_core::time::local_date;
use serde::Serialize;

use crate::audit::{AuditAppend, AuditEvent};
use crate::figures::{DayKey, FigureWrite, Kind};
use crate::{BeginWrite, Error, Result, Store, on_db};

/// An action with what its services add up to: aggregates only, no personal data.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HrAction {
    pub id: i64,
    pub name: String,
    /// The organising unit's code.
    pub organiser: String,
    /// The HR agencies taking part.
    pub agencies: Vec<String>,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    /// Services given to returnee businesses.
    pub services: i64,
    /// Returnee businesses served (each once).
    pub businesses: i64,
    pub posts_offered: i64,
    pub recruited: i64,
}

/// One service of an action, with the business it was given to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HrService {
    pub id: i64,
    pub business_id: i64,
    pub business_name: String,
    pub kind: ServiceKind,
    pub served_on: NaiveDate,
    pub posts_offered: i64,
    pub recruited: i64,
    pub note: String,
}

type ActionRow = (
    i64,
    String,
    String,
    String,
    NaiveDate,
    NaiveDate,
    i64,
    i64,
    i64,
    i64,
);

// PostgreSQL sums BIGINTs as NUMERIC: the sums are cast back to BIGINT.
const ACTION_SELECT: &str = "SELECT a.id, a.name, a.organiser, a.agencies, a.starts_on, a.ends_on, \
     COUNT(s.id), COUNT(DISTINCT s.business_id), CAST(COALESCE(SUM(s.posts_offered), 0) AS BIGINT), \
     CAST(COALESCE(SUM(s.recruited), 0) AS BIGINT) FROM hr_actions a LEFT JOIN hr_services s ON s.action_id = a.id";

const ACTION_GROUP: &str =
    " GROUP BY a.id, a.name, a.organiser, a.agencies, a.starts_on, a.ends_on";

fn action_of(row: ActionRow) -> HrAction {
    HrAction {
        id: row.0,
        name: row.1,
        organiser: row.2,
        agencies: row.3.lines().map(str::to_owned).collect(),
        starts_on: row.4,
        ends_on: row.5,
        services: row.6,
        businesses: row.7,
        posts_offered: row.8,
        recruited: row.9,
    }
}

impl Store {
    /// Records an action organised by the actor's own unit of 2.4.4, with its agencies. One
    /// transaction with its audit row; an action alone counts nothing.
    pub async fn record_hr_action(
        &self,
        plan: &Plan,
        actor: &Actor,
        draft: &ActionDraft,
        ip: &str,
    ) -> Result<i64> {
        self.enter(actor, Gate::HrActionForm { plan }, ip).await?;
        let organiser = actor.titles_unit(plan).unwrap_or_default().to_owned();
        let action = validate_action(draft, local_date(self.now())).map_err(Error::Fields)?;
        let now = self.now();
        let event = AuditEvent::new("hr_actions.action", format!("unit:{organiser}"))
            .by(Some(actor.user_id), &actor.username)
            .detail(format!(
                "{}（{} 至 {}），{} 家机构",
                action.name,
                action.starts_on,
                action.ends_on,
                action.agencies.len()
            ))
            .from_ip(ip);
        let _guard = self.write_lock.lock().await;
        Ok(on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO hr_actions (name, organiser, agencies, starts_on, ends_on, created_by, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            )
            .bind(&action.name)
            .bind(&organiser)
            .bind(action.agencies.join("\n"))
            .bind(action.starts_on)
            .bind(action.ends_on)
            .bind(actor.user_id)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            tx.append_audit(now, &event).await?;
            tx.commit().await?;
            id
        }))
    }

    /// The service as core checks it against its action's period, with its business found
    /// among the returnee businesses the actor reaches.
    async fn checked_hr_service(
        &self,
        plan: &Plan,
        actor: &Actor,
        action: &HrAction,
        draft: &ServiceDraft,
    ) -> Result<ValidService> {
        let today = local_date(self.now());
        let period = (action.starts_on, action.ends_on);
        let service = validate_service(draft, period, today).map_err(Error::Fields)?;
        let street: Option<String> = on_db!(self, pool => sqlx::query_scalar(
            "SELECT street_code FROM businesses WHERE id = $1"
        )
        .bind(service.business_id)
        .fetch_optional(pool)
        .await?);
        match street {
            Some(street) if actor.business_scope(plan).reaches(&street) => Ok(service),
            _ => Err(Error::Fields(vec![FieldError {
                field: "返区创业企业",
                message: "不是本单位可查看的返区创业主体".into(),
            }])),
        }
    }

    /// Records a service of an action, by the action's organiser only; it counts toward 2.4.4
    /// for the organiser on its day. One transaction with its tally and audit row.
    pub async fn record_hr_service(
        &self,
        plan: &Plan,
        actor: &Actor,
        action_id: i64,
        draft: &ServiceDraft,
        ip: &str,
    ) -> Result<i64> {
        let action = self.hr_action(action_id).await?.0;
        if !actor.may_keep_titles_of(plan, &action.organiser) {
            let why = "只能为本单位组织的专项行动登记服务";
            return Err(self
                .deny(actor, format!("hr_action:{action_id}"), why, ip)
                .await);
        }
        let service = self.checked_hr_service(plan, actor, &action, draft).await?;
        let now = self.now();
        let event = AuditEvent::new("hr_actions.service", format!("hr_action:{action_id}"))
            .by(Some(actor.user_id), &actor.username)
            .detail(format!(
                "{}：企业 {}，{}，岗位 {}，招聘 {} 人",
                service.served_on,
                service.business_id,
                service.kind.label(),
                service.posts_offered,
                service.recruited
            ))
            .from_ip(ip);
        let keys = [DayKey::new(
            Kind::HrService,
            "",
            &action.organiser,
            service.served_on,
        )];
        let _guard = self.write_lock.lock().await;
        Ok(on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO hr_services (action_id, business_id, kind, served_on, posts_offered, recruited, \
                 note, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
            )
            .bind(action_id)
            .bind(service.business_id)
            .bind(service.kind.code())
            .bind(service.served_on)
            .bind(service.posts_offered)
            .bind(service.recruited)
            .bind(&service.note)
            .bind(actor.user_id)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            tx.refresh_figures(&keys).await?;
            tx.append_audit(now, &event).await?;
            tx.commit().await?;
            id
        }))
    }

    /// The actions running at some time in `year` (every year when `None`), of `unit` if
    /// given, latest start first, with their services' totals.
    pub async fn hr_actions(&self, year: Option<i32>, unit: Option<&str>) -> Result<Vec<HrAction>> {
        let (from, to) = crate::market_order::days_of(year);
        let rows: Vec<ActionRow> = on_db!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "{ACTION_SELECT} WHERE a.starts_on <= $2 AND a.ends_on >= $1 AND ($3 = '' OR a.organiser = $3)\
             {ACTION_GROUP} ORDER BY a.starts_on DESC, a.id DESC LIMIT 2000"
        )))
        .bind(from)
        .bind(to)
        .bind(unit.unwrap_or_default())
        .fetch_all(pool)
        .await?);
        Ok(rows.into_iter().map(action_of).collect())
    }

    /// One action with its services, latest first.
    pub async fn hr_action(&self, id: i64) -> Result<(HrAction, Vec<HrService>)> {
        let row: Option<ActionRow> = on_db!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "{ACTION_SELECT} WHERE a.id = $1{ACTION_GROUP}"
        )))
        .bind(id)
        .fetch_optional(pool)
        .await?);
        let action = action_of(row.ok_or_else(|| Error::not_found("该专项行动不存在"))?);
        type ServiceRow = (i64, i64, String, String, NaiveDate, i64, i64, String);
        let rows: Vec<ServiceRow> = on_db!(self, pool => sqlx::query_as(
            "SELECT s.id, b.id, b.name, s.kind, s.served_on, s.posts_offered, s.recruited, s.note \
             FROM hr_services s JOIN businesses b ON b.id = s.business_id WHERE s.action_id = $1 \
             ORDER BY s.served_on DESC, s.id DESC"
        )
        .bind(id)
        .fetch_all(pool)
        .await?);
        let services = rows
            .into_iter()
            .map(|r| {
                let kind = ServiceKind::parse(&r.3)
                    .map_err(|_| Error::Config(format!("服务记录 {} 的服务类型无法识别", r.0)))?;
                Ok(HrService {
                    id: r.0,
                    business_id: r.1,
                    business_name: r.2,
                    kind,
                    served_on: r.4,
                    posts_offered: r.5,
                    recruited: r.6,
                    note: r.7,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok((action, services))
    }
}
