//! The portal's notices of 1.3.4 (招聘求职陷阱提示, 违规典型案例): published by 区人社局 for a
//! month's issue, each naming its source (a complaint or an inspection); public once published.
//! Each counts toward 1.3.4 for its publisher on its publication day.

use chrono::NaiveDate;
use linkong_core::access::{Actor, MarketOrderScope};
use linkong_core::field::FieldError;
use linkong_core::market_order::{
    IssueMonth, NoticeDraft, NoticeKind, NoticeSchedule, NoticeSource, ValidNotice, validate_notice,
};
use linkong_core::plan::Plan;
use linkong_core::time::local_date;
use serde::Serialize;

use super::days_of;
use crate::audit::{AuditAppend, AuditEvent};
use crate::figures::{DayKey, FigureWrite, Kind};
use crate::{BeginWrite, Error, Result, Store, on_db};

/// A published notice.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MarketNotice {
    pub id: i64,
    pub kind: NoticeKind,
    /// The publishing unit (whose figure it is).
    pub unit_code: String,
    /// The month's issue, `2025-07`.
    pub issue_month: String,
    pub title: String,
    pub body: String,
    pub published_on: NaiveDate,
    /// `complaint` or `inspection`, with its id.
    pub source_kind: Option<String>,
    pub source_id: Option<i64>,
}

/// Filters of the notice list.
#[derive(Debug, Clone, Default)]
pub struct NoticeFilter {
    /// Published in this year.
    pub year: Option<i32>,
    /// Published by this unit.
    pub unit: Option<String>,
    pub kind: Option<NoticeKind>,
}

type NoticeRow = (
    i64,
    String,
    String,
    String,
    String,
    String,
    NaiveDate,
    Option<String>,
    Option<i64>,
);

fn notice_of(r: NoticeRow) -> Result<MarketNotice> {
    Ok(MarketNotice {
        id: r.0,
        kind: NoticeKind::parse(&r.1)
            .map_err(|_| Error::Config(format!("提示 {} 的发布类型无法识别", r.0)))?,
        unit_code: r.2,
        issue_month: r.3,
        title: r.4,
        body: r.5,
        published_on: r.6,
        source_kind: r.7,
        source_id: r.8,
    })
}

impl Store {
    /// The notices published that match `filter`, latest first: public, as the portal shows
    /// them (no personal data is in them).
    pub async fn market_notices(&self, filter: &NoticeFilter) -> Result<Vec<MarketNotice>> {
        let (from, to) = days_of(filter.year);
        let rows: Vec<NoticeRow> = on_db!(self, pool => sqlx::query_as(
            "SELECT id, kind, unit_code, issue_month, title, body, published_on, source_kind, source_id \
             FROM market_notices WHERE published_on >= $1 AND published_on <= $2 \
             AND ($3 = '' OR unit_code = $3) AND ($4 = '' OR kind = $4) \
             ORDER BY published_on DESC, id DESC LIMIT 500",
        )
        .bind(from)
        .bind(to)
        .bind(filter.unit.as_deref().unwrap_or_default())
        .bind(filter.kind.map_or("", |k| k.code()))
        .fetch_all(pool)
        .await?);
        rows.into_iter().map(notice_of).collect()
    }

    /// The monthly schedule of each kind of notice, today.
    pub async fn notice_schedules(&self) -> Result<Vec<NoticeSchedule>> {
        let issues: Vec<(String, String)> = on_db!(self, pool => sqlx::query_as(
            "SELECT DISTINCT kind, issue_month FROM market_notices"
        )
        .fetch_all(pool)
        .await?);
        let today = local_date(self.now());
        Ok(NoticeKind::ALL
            .iter()
            .map(|kind| {
                let months: Vec<IssueMonth> = issues
                    .iter()
                    .filter(|(k, _)| k == kind.code())
                    .filter_map(|(_, m)| IssueMonth::parse(m).ok())
                    .collect();
                NoticeSchedule::of(*kind, &months, today)
            })
            .collect())
    }

    /// The notice as typed in, checked; its source must exist.
    async fn checked_notice(&self, draft: &NoticeDraft) -> Result<ValidNotice> {
        let valid = validate_notice(draft, local_date(self.now())).map_err(Error::Fields)?;
        let Some(source) = valid.source else {
            return Ok(valid);
        };
        let sql = match source {
            NoticeSource::Complaint(_) => "SELECT COUNT(*) FROM post_complaints WHERE id = $1",
            NoticeSource::Inspection(_) => "SELECT COUNT(*) FROM market_inspections WHERE id = $1",
        };
        let found: i64 = on_db!(self, pool => sqlx::query_scalar(sql)
            .bind(source.parts().1)
            .fetch_one(pool)
            .await?);
        if found == 0 {
            return Err(Error::Fields(vec![FieldError {
                field: "来源",
                message: "所选举报或检查记录不存在".into(),
            }]));
        }
        Ok(valid)
    }

    /// Publishes a notice on the portal: 1.3.4's lead only. It counts toward 1.3.4 on its
    /// publication day; one transaction with its tally and audit row.
    pub async fn publish_market_notice(
        &self,
        plan: &Plan,
        actor: &Actor,
        draft: &NoticeDraft,
        ip: &str,
    ) -> Result<i64> {
        let unit = match actor.market_order_unit(plan) {
            Some(unit) if actor.may_lead_market_order(plan) => unit,
            _ => {
                let why = "只有区人社局的人员可以发布招聘求职陷阱提示和违规典型案例";
                return Err(self.deny(actor, "market_notice".into(), why, ip).await);
            }
        };
        let v = self.checked_notice(draft).await?;
        let now = self.now();
        let event = AuditEvent::new("market_order.notice", format!("unit:{unit}"))
            .by(Some(actor.user_id), &actor.username)
            .detail(format!(
                "{}：{}（{}）",
                v.kind.label(),
                v.title,
                v.issue_month.label()
            ))
            .from_ip(ip);
        let keys = [DayKey::new(Kind::MarketNotice, "", unit, v.published_on)];
        let (source_kind, source_id) = v.source.map(|s| s.parts()).unzip();
        let _guard = self.write_lock.lock().await;
        Ok(on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO market_notices (kind, unit_code, issue_month, title, body, published_on, source_kind, \
                 source_id, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
            )
            .bind(v.kind.code())
            .bind(unit)
            .bind(v.issue_month.code())
            .bind(&v.title)
            .bind(&v.body)
            .bind(v.published_on)
            .bind(source_kind)
            .bind(source_id)
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

    /// The notices staff list: the readers of 1.3.4 only (refused and audited otherwise).
    pub async fn staff_market_notices(
        &self,
        plan: &Plan,
        actor: &Actor,
        filter: &NoticeFilter,
        ip: &str,
    ) -> Result<Vec<MarketNotice>> {
        if actor.market_order_scope(plan) == MarketOrderScope::Nothing && !actor.reads_all_units() {
            let why = "只有任务 1.3.4 的责任单位可以管理招聘求职陷阱提示";
            return Err(self
                .deny(actor, "market_order:notices".into(), why, ip)
                .await);
        }
        self.market_notices(filter).await
    }
}
