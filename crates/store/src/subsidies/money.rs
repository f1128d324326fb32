//! Money paid: the rows behind the money figures, and the table 区财政局 downloads (payments by
//! policy and month). Amounts are integer 分 throughout.

use chrono::{Datelike, NaiveDate};
use linkong_core::access::Actor;
use linkong_core::registry::Registry;
use serde::Serialize;

use crate::audit::AuditEvent;
use crate::{Result, Store, on_db};

/// Payments of one policy in one month.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct MonthlyPayment {
    pub policy_title: String,
    /// 1–12.
    pub month: i64,
    pub payments: i64,
    pub amount_fen: i64,
    /// Of which from 免申即享 offers.
    pub offer_fen: i64,
}

impl Store {
    /// Paid applications within [from, to] behind a money figure: (id, unit, 分, day).
    pub(crate) async fn paid_from_rows(
        &self,
        registry: Registry,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<(i64, String, i64, NaiveDate)>> {
        let (category, offers_only) = match registry {
            Registry::SubsidiesPaid(category) => (category.code(), false),
            _ => ("", true),
        };
        Ok(on_db!(self, pool => sqlx::query_as(
            "SELECT -id, counted_for, paid_fen, paid_on FROM subsidy_applications WHERE status = 'paid' \
             AND paid_on >= $1 AND paid_on <= $2 AND ($3 = '' OR category = $3) AND (NOT $4 OR channel = 'offer')"
        )
        .bind(from)
        .bind(to)
        .bind(category)
        .bind(offers_only)
        .fetch_all(pool)
        .await?))
    }

    /// Payments of `year` by policy and month, for 区财政局's download: every policy for the
    /// readers of every application, a district unit's own categories otherwise. The download
    /// is audited.
    pub async fn subsidy_payments_by_month(
        &self,
        actor: &Actor,
        year: i32,
        ip: &str,
    ) -> Result<Vec<MonthlyPayment>> {
        let unit = if actor.reads_every_subsidy() {
            String::new()
        } else if actor.reads_subsidy_lists() {
            actor.unit_code.clone().unwrap_or_default()
        } else {
            let why = "只有区财政局、区级主管单位和工作专班可以下载拨付汇总";
            return Err(self.deny(actor, "subsidies:payments".into(), why, ip).await);
        };
        let day = |m, d| NaiveDate::from_ymd_opt(year, m, d).unwrap_or_default();
        let rows: Vec<(String, NaiveDate, i64, String)> = on_db!(self, pool => sqlx::query_as(
            "SELECT policy_title, paid_on, paid_fen, channel FROM subsidy_applications WHERE status = 'paid' \
             AND paid_on >= $1 AND paid_on <= $2 AND ($3 = '' OR counted_for = $3) ORDER BY policy_title, paid_on"
        )
        .bind(day(1, 1))
        .bind(day(12, 31))
        .bind(&unit)
        .fetch_all(pool)
        .await?);
        let mut lines: Vec<MonthlyPayment> = Vec::new();
        for (policy_title, paid_on, fen, channel) in rows {
            let month = i64::from(paid_on.month());
            let offer = if channel == "offer" { fen } else { 0 };
            match lines.last_mut() {
                Some(l) if l.policy_title == policy_title && l.month == month => {
                    l.payments += 1;
                    l.amount_fen += fen;
                    l.offer_fen += offer;
                }
                _ => lines.push(MonthlyPayment {
                    policy_title,
                    month,
                    payments: 1,
                    amount_fen: fen,
                    offer_fen: offer,
                }),
            }
        }
        self.audit(
            AuditEvent::new("subsidy.export", format!("payments:{year}"))
                .by(Some(actor.user_id), &actor.username)
                .detail(format!("{} 行", lines.len()))
                .from_ip(ip),
        )
        .await?;
        Ok(lines)
    }
}
