//! Labour-market order (人力资源市场秩序, task 1.3.4): 区人社局 starts special actions; under
//! them every unit of 1.3.4 records its inspections of HR agencies and employers (a penalty
//! always with its legal basis, rectification by a due day and its closure); 区人社局 opens
//! cases from the public's complaints about posts and publishes the portal's monthly notices,
//! each from its source. Readers and writers are as `core::access` decides; an inspection counts
//! toward 1.3.4 for its unit on its day, a notice for its publisher on its publication day, each
//! tally written in the same transaction as the row and its audit line.

mod cases;
mod notices;

use chrono::NaiveDate;
use linkong_core::access::{Actor, MarketOrderScope};
use linkong_core::field::FieldError;
use linkong_core::market_order::{
    ActionDraft, InspectionDraft, PenaltyKind, Rectification, TargetKind, ValidInspection,
    rectified_day, validate_action, validate_inspection, within_action,
};
use linkong_core::plan::Plan;
use linkong_core::time::local_date;
use serde::Serialize;

use crate::audit::{AuditAppend, AuditEvent};
use crate::figures::{DayKey, FigureWrite, Kind};
use crate::{BeginWrite, Error, Result, Store, on_db};
pub use cases::MarketCase;
pub use notices::{MarketNotice, NoticeFilter};

/// A special action (专项行动).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MarketAction {
    pub id: i64,
    pub name: String,
    pub lead_unit: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    /// Unit codes.
    pub cooperating: Vec<String>,
    /// Inspections recorded under it.
    pub inspections: i64,
}

/// An inspection of an HR agency or an employer; `penalty_yuan` in whole 元.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Inspection {
    pub id: i64,
    pub action_id: i64,
    pub action_name: String,
    /// The inspecting unit (whose figure it is).
    pub unit_code: String,
    pub inspected_on: NaiveDate,
    pub target_kind: TargetKind,
    pub target_name: String,
    pub target_uscc: Option<String>,
    pub findings: String,
    pub penalty_kind: PenaltyKind,
    pub penalty_yuan: i64,
    pub legal_basis: String,
    pub rectification_due: Option<NaiveDate>,
    pub rectified_on: Option<NaiveDate>,
    /// Where the rectification stands today, in words.
    pub rectification: String,
    /// Past its due day and not rectified.
    pub overdue: bool,
}

/// Filters of the inspection list; the actor's scope narrows it further.
#[derive(Debug, Clone, Default)]
pub struct InspectionFilter {
    /// Inspected in this year.
    pub year: Option<i32>,
    /// Of this inspecting unit.
    pub unit: Option<String>,
    pub action: Option<i64>,
    /// Only those overdue.
    pub overdue: bool,
}

type InspectionRow = (
    i64,
    i64,
    String,
    String,
    NaiveDate,
    String,
    String,
    Option<String>,
    String,
    String,
    i64,
    String,
    Option<NaiveDate>,
    Option<NaiveDate>,
);

const INSPECTION_SELECT: &str = "SELECT i.id, i.action_id, a.name, i.unit_code, i.inspected_on, i.target_kind, \
     i.target_name, i.target_uscc, i.findings, i.penalty_kind, i.penalty_yuan, i.legal_basis, i.rectification_due, \
     i.rectified_on FROM market_inspections i JOIN market_actions a ON a.id = i.action_id";

/// `$1`–`$2` the days inspected, `$3` unit ('' any), `$4` action (0 any), `$5` today for the
/// overdue filter, `$6` 1 for overdue only.
const INSPECTION_WHERE: &str = " WHERE i.inspected_on >= $1 AND i.inspected_on <= $2 \
     AND ($3 = '' OR i.unit_code = $3) AND ($4 = 0 OR i.action_id = $4) \
     AND ($6 = 0 OR (i.rectification_due < $5 AND i.rectified_on IS NULL))";

/// The days of `year`, or of all time.
pub(crate) fn days_of(year: Option<i32>) -> (NaiveDate, NaiveDate) {
    let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default();
    match year {
        Some(y) => (day(y, 1, 1), day(y, 12, 31)),
        None => (day(1900, 1, 1), day(9999, 12, 31)),
    }
}

fn inspection_of(row: InspectionRow, today: NaiveDate) -> Result<Inspection> {
    let (id, action_id, action_name, unit_code, inspected_on, target_kind, target_name) =
        (row.0, row.1, row.2, row.3, row.4, row.5, row.6);
    let unreadable = |what: &str| Error::Config(format!("检查记录 {id} 的{what}无法识别"));
    let standing = Rectification::standing(row.12, row.13, today);
    Ok(Inspection {
        id,
        action_id,
        action_name,
        unit_code,
        inspected_on,
        target_kind: TargetKind::parse(&target_kind).map_err(|_| unreadable("检查对象类型"))?,
        target_name,
        target_uscc: row.7,
        findings: row.8,
        penalty_kind: PenaltyKind::parse(&row.9).map_err(|_| unreadable("处罚种类"))?,
        penalty_yuan: row.10,
        legal_basis: row.11,
        rectification_due: row.12,
        rectified_on: row.13,
        rectification: standing.label(),
        overdue: standing.is_overdue(),
    })
}

const DENIED: &str = "只有任务 1.3.4 的责任单位可以查看市场秩序检查，配合单位只看本单位的检查";

impl Store {
    /// The special actions, latest first, for the readers of 1.3.4; refused and audited for
    /// anyone else.
    pub async fn market_actions(
        &self,
        plan: &Plan,
        actor: &Actor,
        ip: &str,
    ) -> Result<Vec<MarketAction>> {
        if actor.market_order_scope(plan) == MarketOrderScope::Nothing {
            let target = "market_order:actions".to_owned();
            return Err(self.deny(actor, target, DENIED, ip).await);
        }
        let rows: Vec<(i64, String, String, NaiveDate, NaiveDate, String, i64)> = on_db!(self, pool => sqlx::query_as(
                "SELECT a.id, a.name, a.lead_unit, a.starts_on, a.ends_on, a.cooperating, \
                 (SELECT COUNT(*) FROM market_inspections i WHERE i.action_id = a.id) \
                 FROM market_actions a ORDER BY a.starts_on DESC, a.id DESC LIMIT 500",
            )
            .fetch_all(pool)
            .await?);
        Ok(rows
            .into_iter()
            .map(
                |(id, name, lead_unit, starts_on, ends_on, cooperating, inspections)| {
                    MarketAction {
                        id,
                        name,
                        lead_unit,
                        starts_on,
                        ends_on,
                        cooperating: cooperating
                            .split(',')
                            .filter(|c| !c.is_empty())
                            .map(str::to_owned)
                            .collect(),
                        inspections,
                    }
                },
            )
            .collect())
    }

    /// Starts a special action: 1.3.4's lead only. One transaction with its audit row.
    pub async fn start_market_action(
        &self,
        plan: &Plan,
        actor: &Actor,
        draft: &ActionDraft,
        ip: &str,
    ) -> Result<i64> {
        if !actor.may_lead_market_order(plan) {
            let why = "只有区人社局的人员可以开展专项行动";
            return Err(self.deny(actor, "market_action".into(), why, ip).await);
        }
        let valid = validate_action(plan, draft).map_err(Error::Fields)?;
        let now = self.now();
        let event = AuditEvent::new("market_order.action", format!("unit:{}", valid.lead_unit))
            .by(Some(actor.user_id), &actor.username)
            .detail(format!(
                "{}（{} 至 {}）",
                valid.name, valid.starts_on, valid.ends_on
            ))
            .from_ip(ip);
        let _guard = self.write_lock.lock().await;
        Ok(on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO market_actions (name, lead_unit, starts_on, ends_on, cooperating, created_by, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            )
            .bind(&valid.name)
            .bind(&valid.lead_unit)
            .bind(valid.starts_on)
            .bind(valid.ends_on)
            .bind(valid.cooperating.join(","))
            .bind(actor.user_id)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            tx.append_audit(now, &event).await?;
            tx.commit().await?;
            id
        }))
    }

    async fn inspection_rows(
        &self,
        filter: &InspectionFilter,
        scope: &MarketOrderScope,
    ) -> Result<Vec<Inspection>> {
        let today = local_date(self.now());
        let (from, to) = days_of(filter.year);
        let unit = match scope {
            MarketOrderScope::Unit(own) => own.clone(),
            _ => filter.unit.clone().unwrap_or_default(),
        };
        let rows: Vec<InspectionRow> = on_db!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "{INSPECTION_SELECT}{INSPECTION_WHERE} ORDER BY i.inspected_on DESC, i.id DESC LIMIT 2000"
        )))
        .bind(from)
        .bind(to)
        .bind(unit)
        .bind(filter.action.unwrap_or(0))
        .bind(today)
        .bind(i64::from(filter.overdue))
        .fetch_all(pool)
        .await?);
        rows.into_iter().map(|r| inspection_of(r, today)).collect()
    }

    /// The inspections the actor reads that match `filter`, latest first; a cooperating unit
    /// asking for another unit's, or an actor reading none, is refused and audited.
    pub async fn market_inspections(
        &self,
        plan: &Plan,
        actor: &Actor,
        filter: &InspectionFilter,
        ip: &str,
    ) -> Result<Vec<Inspection>> {
        let scope = actor.market_order_scope(plan);
        let asked = filter.unit.as_deref();
        if scope == MarketOrderScope::Nothing || asked.is_some_and(|u| !scope.reaches(u)) {
            let target = format!("market_order:unit:{}", asked.unwrap_or_default());
            return Err(self.deny(actor, target, DENIED, ip).await);
        }
        self.inspection_rows(filter, &scope).await
    }

    /// The same list for a download, the export audited.
    pub async fn export_market_inspections(
        &self,
        plan: &Plan,
        actor: &Actor,
        filter: &InspectionFilter,
        ip: &str,
    ) -> Result<Vec<Inspection>> {
        let rows = self.market_inspections(plan, actor, filter, ip).await?;
        self.audit(
            AuditEvent::new("market_order.export", "export:market_inspections")
                .by(Some(actor.user_id), &actor.username)
                .detail(format!("{} 行", rows.len()))
                .from_ip(ip),
        )
        .await?;
        Ok(rows)
    }

    /// One inspection as stored (no access check: callers check).
    async fn stored_inspection(&self, id: i64) -> Result<Inspection> {
        let row: Option<InspectionRow> = on_db!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "{INSPECTION_SELECT} WHERE i.id = $1"
        )))
        .bind(id)
        .fetch_optional(pool)
        .await?);
        let row = row.ok_or_else(|| Error::not_found("该检查记录不存在"))?;
        inspection_of(row, local_date(self.now()))
    }

    /// The inspection as typed in, checked; its action must exist and the day fall within it.
    async fn checked_inspection(&self, draft: &InspectionDraft) -> Result<ValidInspection> {
        let today = local_date(self.now());
        let valid = validate_inspection(draft, today).map_err(Error::Fields)?;
        let period: Option<(NaiveDate, NaiveDate)> = on_db!(self, pool => sqlx::query_as(
            "SELECT starts_on, ends_on FROM market_actions WHERE id = $1"
        )
        .bind(valid.action_id)
        .fetch_optional(pool)
        .await?);
        let Some(period) = period else {
            return Err(Error::Fields(vec![FieldError {
                field: "专项行动",
                message: "该专项行动不存在".into(),
            }]));
        };
        within_action(valid.inspected_on, period).map_err(|e| Error::Fields(vec![e]))?;
        Ok(valid)
    }

    /// Records an inspection for the actor's own unit of 1.3.4; it counts toward 1.3.4 on its
    /// day. One transaction with its tally and audit row.
    pub async fn record_market_inspection(
        &self,
        plan: &Plan,
        actor: &Actor,
        draft: &InspectionDraft,
        ip: &str,
    ) -> Result<i64> {
        let Some(unit) = actor.market_order_unit(plan) else {
            let why = "只有任务 1.3.4 的牵头和配合单位可以登记市场检查";
            return Err(self.deny(actor, "market_inspection".into(), why, ip).await);
        };
        let v = self.checked_inspection(draft).await?;
        let now = self.now();
        let event = AuditEvent::new(
            "market_order.inspection",
            format!("market_action:{}", v.action_id),
        )
        .by(Some(actor.user_id), &actor.username)
        .detail(format!(
            "{} 检查 {}（{}）",
            v.inspected_on,
            v.target_name,
            v.penalty.kind.label()
        ))
        .from_ip(ip);
        let keys = [DayKey::new(
            Kind::MarketInspection,
            "",
            unit,
            v.inspected_on,
        )];
        let uscc = v.target_uscc.as_ref().map(|u| u.as_str().to_owned());
        let _guard = self.write_lock.lock().await;
        Ok(on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO market_inspections (action_id, unit_code, inspected_on, target_kind, target_name, \
                 target_uscc, findings, penalty_kind, penalty_yuan, legal_basis, rectification_due, rectified_on, \
                 created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, NULL, $12, $13) RETURNING id",
            )
            .bind(v.action_id)
            .bind(unit)
            .bind(v.inspected_on)
            .bind(v.target_kind.code())
            .bind(&v.target_name)
            .bind(&uscc)
            .bind(&v.findings)
            .bind(v.penalty.kind.code())
            .bind(v.penalty.amount_yuan)
            .bind(&v.penalty.legal_basis)
            .bind(v.rectification_due)
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

    /// Records the day an inspection's rectification was done: the inspecting unit or the
    /// lead, once, where one was required.
    pub async fn close_rectification(
        &self,
        plan: &Plan,
        actor: &Actor,
        id: i64,
        rectified_on: &str,
        ip: &str,
    ) -> Result<()> {
        let inspection = self.stored_inspection(id).await?;
        if !actor.may_close_rectification(plan, &inspection.unit_code) {
            let why = "只有检查单位和区人社局可以登记整改完成";
            return Err(self
                .deny(actor, format!("market_inspection:{id}"), why, ip)
                .await);
        }
        let today = local_date(self.now());
        let standing =
            Rectification::standing(inspection.rectification_due, inspection.rectified_on, today);
        let day = rectified_day(rectified_on, inspection.inspected_on, standing, today)
            .map_err(|e| Error::Fields(vec![e]))?;
        let now = self.now();
        let event = AuditEvent::new("market_order.rectified", format!("market_inspection:{id}"))
            .by(Some(actor.user_id), &actor.username)
            .detail(format!("整改完成：{day}"))
            .from_ip(ip);
        let _guard = self.write_lock.lock().await;
        on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let done = sqlx::query(
                "UPDATE market_inspections SET rectified_on = $1 WHERE id = $2 AND rectified_on IS NULL",
            )
            .bind(day)
            .bind(id)
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() != 1 {
                return Err(Error::Conflict("该检查的整改已登记，请刷新后重试".into()));
            }
            tx.append_audit(now, &event).await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// The inspections `unit` recorded in `year`: the rows behind its 1.3.4 figure, for
    /// readers of the unit's records.
    pub async fn counted_inspections(
        &self,
        actor: &Actor,
        unit: &str,
        year: i32,
        ip: &str,
    ) -> Result<Vec<Inspection>> {
        if !actor.may_read_records_of(unit) {
            let target = format!("market_order:{unit}");
            return Err(self.deny(actor, target, "只能查看本单位的明细", ip).await);
        }
        let filter = InspectionFilter {
            year: Some(year),
            unit: Some(unit.to_owned()),
            ..InspectionFilter::default()
        };
        self.inspection_rows(&filter, &MarketOrderScope::All).await
    }

    /// Inspections (`notices` false) or notices published (true) within [from, to]: (id,
    /// unit, day), the reference the tallies are held to.
    pub(crate) async fn market_order_rows(
        &self,
        notices: bool,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<(i64, String, NaiveDate)>> {
        let sql = if notices {
            "SELECT id, unit_code, published_on FROM market_notices WHERE published_on >= $1 AND published_on <= $2"
        } else {
            "SELECT id, unit_code, inspected_on FROM market_inspections WHERE inspected_on >= $1 AND inspected_on <= $2"
        };
        Ok(on_db!(self, pool => sqlx::query_as(sql)
            .bind(from)
            .bind(to)
            .fetch_all(pool)
            .await?))
    }
}
