//! Working-day calendar years entered by an admin (they replace the file's year of the same
//! number); every change is audited.

use chrono::NaiveDate;
use linkong_core::access::Actor;
use linkong_core::calendar::{Holiday, YearCalendar};

use crate::audit::{AuditAppend, AuditEvent};
use crate::{BeginWrite, Error, Result, Store, on_db};

impl Store {
    pub async fn calendar_years(&self) -> Result<Vec<YearCalendar>> {
        let rows: Vec<(i64, String, String, String)> = on_db!(self, pool => sqlx::query_as(
            "SELECT year, source, holidays, working_days FROM calendar_years ORDER BY year",
        )
        .fetch_all(pool)
        .await?);
        rows.into_iter()
            .map(|(year, source, holidays, working_days)| {
                let holidays: Vec<Holiday> = serde_json::from_str(&holidays)
                    .map_err(|e| Error::Config(format!("日历数据有误：{e}")))?;
                let working_days: Vec<NaiveDate> = serde_json::from_str(&working_days)
                    .map_err(|e| Error::Config(format!("日历数据有误：{e}")))?;
                Ok(YearCalendar {
                    year: year as i32,
                    source,
                    holidays,
                    working_days,
                })
            })
            .collect()
    }

    /// Saves one year (already checked against the whole calendar by the caller). Admins only.
    pub async fn save_calendar_year(
        &self,
        actor: &Actor,
        year: &YearCalendar,
        ip: &str,
    ) -> Result<()> {
        if !actor.may_edit_calendar() {
            return Err(self
                .deny(
                    actor,
                    format!("calendar:{}", year.year),
                    "只有系统管理员可以修改工作日历",
                    ip,
                )
                .await);
        }
        let holidays =
            serde_json::to_string(&year.holidays).map_err(|e| Error::Config(e.to_string()))?;
        let working_days =
            serde_json::to_string(&year.working_days).map_err(|e| Error::Config(e.to_string()))?;
        let now = self.now();
        let event = AuditEvent::new("calendar.update", format!("calendar:{}", year.year))
            .by(Some(actor.user_id), &actor.username)
            .detail(format!(
                "source={} holidays={} working_days={}",
                year.source, holidays, working_days
            ))
            .from_ip(ip);
        let _guard = self.write_lock.lock().await;
        on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            sqlx::query(
                "INSERT INTO calendar_years (year, source, holidays, working_days, updated_at, updated_by) \
                 VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (year) DO UPDATE SET source = excluded.source, \
                 holidays = excluded.holidays, working_days = excluded.working_days, updated_at = excluded.updated_at, \
                 updated_by = excluded.updated_by",
            )
            .bind(i64::from(year.year))
            .bind(&year.source)
            .bind(&holidays)
            .bind(&working_days)
            .bind(now)
            .bind(actor.user_id)
            .execute(&mut *tx)
            .await?;
            tx.append_audit(now, &event).await?;
            tx.commit().await?;
        });
        Ok(())
    }
}
