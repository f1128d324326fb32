//! Cases (查处案件) opened by 区人社局 from the public's complaints about posts, one per
//! complaint, linked to an inspection if there is one, with their outcome.

use chrono::{DateTime, NaiveDate, Utc};
use linkong_core::access::{Actor, MarketOrderScope};
use linkong_core::field::FieldError;
use linkong_core::market_order::{
    CaseDraft, CaseOutcome, OutcomeDraft, ValidCase, validate_case, validate_outcome,
};
use linkong_core::plan::Plan;
use linkong_core::time::local_date;
use serde::Serialize;

use crate::audit::{AuditAppend, AuditEvent};
use crate::jobs::Complaint;
use crate::{BeginWrite, Error, Result, Store, on_db};

/// A case opened from a complaint.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MarketCase {
    pub id: i64,
    pub complaint_id: i64,
    pub post_id: i64,
    pub post_title: String,
    pub employer_name: String,
    /// The complaint's reason.
    pub reason: String,
    pub unit_code: String,
    pub opened_on: NaiveDate,
    pub inspection_id: Option<i64>,
    /// The inspected agency or employer of the linked inspection.
    pub inspection_target: Option<String>,
    /// None while under investigation.
    pub outcome: Option<CaseOutcome>,
    pub decided_on: Option<NaiveDate>,
    pub note: String,
}

type CaseRow = (
    i64,
    i64,
    i64,
    String,
    String,
    String,
    String,
    NaiveDate,
    Option<i64>,
    Option<String>,
    Option<String>,
    Option<NaiveDate>,
    String,
);

const CASE_SELECT: &str = "SELECT k.id, k.complaint_id, c.post_id, p.title, e.name, c.reason, k.unit_code, \
     k.opened_on, k.inspection_id, i.target_name, k.outcome, k.decided_on, k.note \
     FROM market_cases k JOIN post_complaints c ON c.id = k.complaint_id JOIN job_posts p ON p.id = c.post_id \
     JOIN employers e ON e.id = p.employer_id LEFT JOIN market_inspections i ON i.id = k.inspection_id";

fn case_of(r: CaseRow) -> Result<MarketCase> {
    let outcome = match r.10.as_deref() {
        Some(code) => Some(
            CaseOutcome::parse(code)
                .map_err(|_| Error::Config(format!("查处案件 {} 的查处结果无法识别", r.0)))?,
        ),
        None => None,
    };
    Ok(MarketCase {
        id: r.0,
        complaint_id: r.1,
        post_id: r.2,
        post_title: r.3,
        employer_name: r.4,
        reason: r.5,
        unit_code: r.6,
        opened_on: r.7,
        inspection_id: r.8,
        inspection_target: r.9,
        outcome,
        decided_on: r.11,
        note: r.12,
    })
}

const DENIED: &str = "只有区人社局和工作专班可以查看查处案件";

fn one(field: &'static str, message: &str) -> Error {
    Error::Fields(vec![FieldError {
        field,
        message: message.into(),
    }])
}

impl Store {
    /// The cases, open ones first: for 1.3.4's lead and the district's readers; refused and
    /// audited for anyone else.
    pub async fn market_cases(
        &self,
        plan: &Plan,
        actor: &Actor,
        ip: &str,
    ) -> Result<Vec<MarketCase>> {
        if actor.market_order_scope(plan) != MarketOrderScope::All {
            return Err(self
                .deny(actor, "market_order:cases".into(), DENIED, ip)
                .await);
        }
        let rows: Vec<CaseRow> = on_db!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "{CASE_SELECT} ORDER BY CASE WHEN k.outcome IS NULL THEN 0 ELSE 1 END, k.opened_on DESC, k.id DESC LIMIT 1000"
        )))
        .fetch_all(pool)
        .await?);
        rows.into_iter().map(case_of).collect()
    }

    /// The complaints not yet opened as a case, newest first, for 1.3.4's lead (none for
    /// anyone else).
    pub async fn complaints_without_case(
        &self,
        plan: &Plan,
        actor: &Actor,
    ) -> Result<Vec<Complaint>> {
        if !actor.may_lead_market_order(plan) {
            return Ok(Vec::new());
        }
        type Row = (
            i64,
            i64,
            String,
            String,
            String,
            String,
            String,
            DateTime<Utc>,
        );
        let rows: Vec<Row> = on_db!(self, pool => sqlx::query_as(
            "SELECT c.id, c.post_id, p.title, e.name, c.reason, c.detail, c.status, c.created_at \
             FROM post_complaints c JOIN job_posts p ON p.id = c.post_id JOIN employers e ON e.id = p.employer_id \
             WHERE NOT EXISTS (SELECT 1 FROM market_cases k WHERE k.complaint_id = c.id) \
             ORDER BY c.id DESC LIMIT 500",
        )
        .fetch_all(pool)
        .await?);
        Ok(rows
            .into_iter()
            .map(
                |(id, post_id, post_title, employer_name, reason, detail, status, created_at)| {
                    Complaint {
                        id,
                        post_id,
                        post_title,
                        employer_name,
                        reason,
                        detail,
                        status,
                        created_at,
                        handling_note: None,
                    }
                },
            )
            .collect())
    }

    /// The case as typed in, checked: the complaint exists and has no case yet, the linked
    /// inspection exists.
    async fn checked_market_case(&self, draft: &CaseDraft) -> Result<ValidCase> {
        let valid = validate_case(draft, local_date(self.now())).map_err(Error::Fields)?;
        let (complaint, cased): (i64, i64) = on_db!(self, pool => sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM post_complaints WHERE id = $1), \
             (SELECT COUNT(*) FROM market_cases WHERE complaint_id = $1)",
        )
        .bind(valid.complaint_id)
        .fetch_one(pool)
        .await?);
        if complaint == 0 {
            return Err(one("举报", "该举报不存在"));
        }
        if cased > 0 {
            return Err(one("举报", "该举报已立案查处"));
        }
        if let Some(inspection) = valid.inspection_id {
            let found: i64 = on_db!(self, pool => sqlx::query_scalar(
                "SELECT COUNT(*) FROM market_inspections WHERE id = $1"
            )
            .bind(inspection)
            .fetch_one(pool)
            .await?);
            if found == 0 {
                return Err(one("关联检查", "该检查记录不存在"));
            }
        }
        Ok(valid)
    }

    /// Opens a case from a complaint: 1.3.4's lead only. One transaction with its audit row.
    pub async fn open_market_case(
        &self,
        plan: &Plan,
        actor: &Actor,
        draft: &CaseDraft,
        ip: &str,
    ) -> Result<i64> {
        if !actor.may_lead_market_order(plan) {
            let why = "只有区人社局的人员可以立案查处举报";
            return Err(self.deny(actor, "market_case".into(), why, ip).await);
        }
        let Some(unit) = actor.market_order_unit(plan) else {
            return Err(Error::Forbidden(
                "只有区人社局的人员可以立案查处举报".into(),
            ));
        };
        let v = self.checked_market_case(draft).await?;
        let now = self.now();
        let event = AuditEvent::new("market_order.case", format!("complaint:{}", v.complaint_id))
            .by(Some(actor.user_id), &actor.username)
            .detail(format!(
                "{} 立案{}",
                v.opened_on,
                v.outcome
                    .map(|o| format!("，{}", o.label()))
                    .unwrap_or_default()
            ))
            .from_ip(ip);
        let decided_on = v.outcome.map(|_| v.opened_on);
        let _guard = self.write_lock.lock().await;
        Ok(on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO market_cases (complaint_id, unit_code, opened_on, inspection_id, outcome, decided_on, note, \
                 created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
            )
            .bind(v.complaint_id)
            .bind(unit)
            .bind(v.opened_on)
            .bind(v.inspection_id)
            .bind(v.outcome.map(|o| o.code()))
            .bind(decided_on)
            .bind(&v.note)
            .bind(actor.user_id)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            tx.append_audit(now, &event).await?;
            tx.commit().await?;
            id
        }))
    }

    /// Records the outcome of a case still under investigation: 1.3.4's lead only, once.
    pub async fn decide_market_case(
        &self,
        plan: &Plan,
        actor: &Actor,
        id: i64,
        draft: &OutcomeDraft,
        ip: &str,
    ) -> Result<()> {
        if !actor.may_lead_market_order(plan) {
            let why = "只有区人社局的人员可以登记查处结果";
            return Err(self.deny(actor, format!("market_case:{id}"), why, ip).await);
        }
        let opened: Option<(NaiveDate, Option<String>)> = on_db!(self, pool => sqlx::query_as(
            "SELECT opened_on, outcome FROM market_cases WHERE id = $1"
        )
        .bind(id)
        .fetch_optional(pool)
        .await?);
        let Some((opened_on, None)) = opened else {
            return Err(match opened {
                None => Error::not_found("该查处案件不存在"),
                Some(_) => Error::Conflict("该案件已登记查处结果".into()),
            });
        };
        let v =
            validate_outcome(draft, opened_on, local_date(self.now())).map_err(Error::Fields)?;
        let now = self.now();
        let event = AuditEvent::new("market_order.case_outcome", format!("market_case:{id}"))
            .by(Some(actor.user_id), &actor.username)
            .detail(format!("{}（{}）", v.outcome.label(), v.decided_on))
            .from_ip(ip);
        let _guard = self.write_lock.lock().await;
        on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let done = sqlx::query(
                "UPDATE market_cases SET outcome = $1, decided_on = $2, note = $3 WHERE id = $4 AND outcome IS NULL",
            )
            .bind(v.outcome.code())
            .bind(v.decided_on)
            .bind(&v.note)
            .bind(id)
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() != 1 {
                return Err(Error::Conflict("该案件已登记查处结果".into()));
            }
            tx.append_audit(now, &event).await?;
            tx.commit().await?;
        });
        Ok(())
    }
}
