//! Progress records: what a unit did towards a quota. Records are never deleted: a wrong one
//! is voided with a reason, or corrected by a new record that voids it.

use chrono::{DateTime, NaiveDate, Utc};
use linkong_core::access::Actor;
use linkong_core::plan::Plan;
use linkong_core::progress::RecordFigure;
use linkong_core::record::{
    RecordChangeError, RecordDraft, StoredRecord, ValidRecord, check_correction, check_void,
    validate_record,
};
use linkong_core::time::local_date;
use serde::Serialize;
use sqlx::{PgConnection, SqliteConnection};

use crate::audit::{AuditAppend, AuditEvent};
use crate::evidence::{CheckedEvidence, EvidenceUpload, check_evidence};
use crate::figures::{DayKey, FigureWrite, Kind};
use crate::{BeginWrite, Error, Result, Store, on_db};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct RecordRow {
    pub id: i64,
    pub indicator_code: String,
    pub unit_code: String,
    /// Hundredths of the indicator's measure.
    pub value: i64,
    pub occurred_on: NaiveDate,
    pub description: String,
    pub evidence_digest: Option<String>,
    pub evidence_name: Option<String>,
    pub corrects_id: Option<i64>,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub voided_at: Option<DateTime<Utc>>,
    pub void_reason: Option<String>,
}

impl RecordRow {
    /// The record as core's correction and voiding rules see it.
    fn stored(&self) -> StoredRecord<'_> {
        StoredRecord {
            id: self.id,
            indicator_code: &self.indicator_code,
            unit_code: &self.unit_code,
            voided: self.voided_at.is_some(),
        }
    }
}

/// Core's refusal to change a stored record as the store's error: a wrong field, or a
/// conflict with the record's state.
fn refused(e: RecordChangeError) -> Error {
    match e {
        RecordChangeError::Field(e) => e.into(),
        voided @ RecordChangeError::Voided { .. } => Error::Conflict(voided.to_string()),
    }
}

const RECORD_SELECT: &str = "SELECT r.id, r.indicator_code, r.unit_code, r.value, r.occurred_on, r.description, \
     r.evidence_digest, r.evidence_name, r.corrects_id, u.display_name AS created_by, r.created_at, r.voided_at, r.void_reason \
     FROM progress_records r JOIN users u ON u.id = r.created_by";

/// Which records to list. A unit's staff only ever see their own unit's.
#[derive(Debug, Clone, Default)]
pub struct RecordFilter {
    pub indicator_code: Option<String>,
    pub unit_code: Option<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub include_voided: bool,
}

impl Store {
    /// Adds a record for the actor's own unit. With `corrects`, the new record replaces that
    /// earlier one, which is voided in the same transaction.
    pub async fn add_record(
        &self,
        actor: &Actor,
        plan: &Plan,
        draft: &RecordDraft,
        evidence: Option<EvidenceUpload>,
        corrects: Option<i64>,
        ip: &str,
    ) -> Result<i64> {
        let unit = draft.unit_code.trim();
        if !actor.may_record_for(unit) {
            return Err(self
                .deny(actor, format!("unit:{unit}"), "只能为本单位填报进度", ip)
                .await);
        }
        let now = self.now();
        let record = validate_record(plan, draft, local_date(now)).map_err(Error::Fields)?;
        let evidence = evidence.map(check_evidence).transpose()?;
        let mut figure_days = vec![DayKey::new(
            Kind::Record,
            &record.indicator_code,
            &record.unit_code,
            record.occurred_on,
        )];
        if let Some(old_id) = corrects {
            figure_days.push(self.correctable_day(old_id, &record).await?);
        }
        if let Some(file) = &evidence {
            self.write_evidence(file).await?;
        }
        let mut event = AuditEvent::new(
            "record.create",
            format!(
                "indicator:{} unit:{}",
                record.indicator_code, record.unit_code
            ),
        )
        .by(Some(actor.user_id), &actor.username)
        .from_ip(ip);
        let new = NewRecord {
            record: &record,
            evidence: evidence.as_ref(),
            corrects,
            user_id: actor.user_id,
            now,
        };
        let _guard = self.write_lock.lock().await;
        let id = on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let id = tx.insert_record(&new).await?;
            tx.refresh_figures(&figure_days).await?;
            event.detail = format!(
                "id={id} value={} date={}{}",
                record.value,
                record.occurred_on,
                corrects.map(|c| format!(" corrects={c}")).unwrap_or_default()
            );
            tx.append_audit(now, &event).await?;
            tx.commit().await?;
            id
        });
        Ok(id)
    }

    /// The day whose tally a correction of record `old_id` changes, once core finds that the
    /// old record may be corrected by this one.
    async fn correctable_day(&self, old_id: i64, record: &ValidRecord) -> Result<DayKey> {
        let old = self
            .record_row(old_id)
            .await?
            .ok_or_else(|| Error::not_found(format!("记录 #{old_id}")))?;
        check_correction(&old.stored(), record).map_err(refused)?;
        Ok(DayKey::new(
            Kind::Record,
            &old.indicator_code,
            &old.unit_code,
            old.occurred_on,
        ))
    }

    /// Voids a record of the actor's own unit, keeping it visible with the reason.
    pub async fn void_record(&self, actor: &Actor, id: i64, reason: &str, ip: &str) -> Result<()> {
        let record = self
            .record_row(id)
            .await?
            .ok_or_else(|| Error::not_found(format!("记录 #{id}")))?;
        if !actor.may_record_for(&record.unit_code) {
            return Err(self
                .deny(actor, format!("record:{id}"), "只能作废本单位的记录", ip)
                .await);
        }
        let reason = check_void(&record.stored(), reason).map_err(refused)?;
        let now = self.now();
        let event = AuditEvent::new("record.void", format!("record:{id}"))
            .by(Some(actor.user_id), &actor.username)
            .detail(format!("reason={reason}"))
            .from_ip(ip);
        let _guard = self.write_lock.lock().await;
        on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            sqlx::query("UPDATE progress_records SET voided_at = $1, voided_by = $2, void_reason = $3 WHERE id = $4 AND voided_at IS NULL")
                .bind(now)
                .bind(actor.user_id)
                .bind(reason)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            tx.refresh_figures(&[DayKey::new(
                Kind::Record,
                &record.indicator_code,
                &record.unit_code,
                record.occurred_on,
            )])
            .await?;
            tx.append_audit(now, &event).await?;
            tx.commit().await?;
        });
        Ok(())
    }

    async fn record_row(&self, id: i64) -> Result<Option<RecordRow>> {
        Ok(
            on_db!(self, pool => sqlx::query_as::<_, RecordRow>(sqlx::AssertSqlSafe(format!("{RECORD_SELECT} WHERE r.id = $1")))
            .bind(id)
            .fetch_optional(pool)
            .await?),
        )
    }

    /// One record, if the actor may read its unit's records.
    pub async fn record(&self, actor: &Actor, id: i64, ip: &str) -> Result<RecordRow> {
        let record = self
            .record_row(id)
            .await?
            .ok_or_else(|| Error::not_found(format!("记录 #{id}")))?;
        if !actor.may_read_records_of(&record.unit_code) {
            return Err(self
                .deny(actor, format!("record:{id}"), "不能查看其他单位的记录", ip)
                .await);
        }
        Ok(record)
    }

    /// Records matching `filter`, newest first, scoped to what the actor may read.
    pub async fn records(
        &self,
        actor: &Actor,
        filter: &RecordFilter,
        ip: &str,
    ) -> Result<Vec<RecordRow>> {
        if let Some(wanted) = filter.unit_code.as_deref()
            && !actor.may_read_records_of(wanted)
        {
            let target = format!("unit:{wanted}");
            return Err(self.deny(actor, target, "不能查看其他单位的记录", ip).await);
        }
        let unit = actor
            .records_scope(filter.unit_code.as_deref())
            .map(str::to_owned);
        if unit.is_none() && !actor.reads_all_units() {
            return Err(Error::forbidden("账户未关联单位"));
        }
        let rows = on_db!(self, pool => sqlx::query_as::<_, RecordRow>(sqlx::AssertSqlSafe(format!(
            "{RECORD_SELECT} WHERE ($1 IS NULL OR r.indicator_code = $1) AND ($2 IS NULL OR r.unit_code = $2) \
             AND ($3 IS NULL OR r.occurred_on >= $3) AND ($4 IS NULL OR r.occurred_on <= $4) \
             AND ($5 OR r.voided_at IS NULL) ORDER BY r.occurred_on DESC, r.id DESC"
        )))
        .bind(&filter.indicator_code)
        .bind(&unit)
        .bind(filter.from)
        .bind(filter.to)
        .bind(filter.include_voided)
        .fetch_all(pool)
        .await?);
        Ok(rows)
    }

    /// The figures behind every number: the non-voided records dated within [from, to], and
    /// what the registries count for the indicators they fill, read from the tallies
    /// (`figures.rs`): each figure stands for a unit's records of one indicator on one day or
    /// in one whole month of [from, to]. Exact for any window inside [from, to] that starts on
    /// `from` or a month's first day and ends on `to` or a month's last day, as every view's is.
    pub async fn record_figures(
        &self,
        plan: &Plan,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<RecordFigure>> {
        let tallies = self.tallies(false, from, to).await?;
        let indicators: std::collections::HashMap<&str, _> = plan
            .indicators()
            .map(|(_, i)| (i.code.as_str(), i))
            .collect();
        let mut figures: Vec<RecordFigure> = tallies
            .iter()
            .map(|t| match indicators.get(t.code.as_str()) {
                Some(indicator) => crate::registry::tally_figure(t, indicator),
                None => RecordFigure {
                    id: t.latest_id,
                    indicator_code: t.code.clone(),
                    unit_code: t.unit_code.clone(),
                    value: t.total,
                    occurred_on: t.last_day,
                    records: usize::try_from(t.records).unwrap_or_default(),
                },
            })
            .collect();
        figures.extend(self.registry_figures(plan, from, to).await?);
        Ok(figures)
    }

    /// The same figures counted from every row of the window, one per record, as before the
    /// tallies: the reference tests and the benchmark hold [`Store::record_figures`] to.
    pub async fn record_figures_from_rows(
        &self,
        plan: &Plan,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<RecordFigure>> {
        let rows: Vec<(i64, String, String, i64, NaiveDate)> = on_db!(self, pool => sqlx::query_as(
            "SELECT id, indicator_code, unit_code, value, occurred_on FROM progress_records \
             WHERE voided_at IS NULL AND occurred_on >= $1 AND occurred_on <= $2",
        )
        .bind(from)
        .bind(to)
        .fetch_all(pool)
        .await?);
        let mut figures: Vec<RecordFigure> = rows
            .into_iter()
            .map(
                |(id, indicator_code, unit_code, value, occurred_on)| RecordFigure {
                    id,
                    indicator_code,
                    unit_code,
                    value,
                    occurred_on,
                    records: 1,
                },
            )
            .collect();
        figures.extend(self.registry_figures_from_rows(plan, from, to).await?);
        Ok(figures)
    }

    /// The evidence file of a record the actor may read: (file name, media type, bytes).
    pub async fn record_evidence(
        &self,
        actor: &Actor,
        id: i64,
        ip: &str,
    ) -> Result<(String, String, Vec<u8>)> {
        let record = self.record(actor, id, ip).await?;
        let digest = record
            .evidence_digest
            .ok_or_else(|| Error::not_found("该记录没有佐证材料"))?;
        let media_type: String = on_db!(self, pool =>
            sqlx::query_scalar("SELECT media_type FROM evidence_files WHERE digest = $1").bind(&digest).fetch_one(pool).await?);
        let bytes = self.read_evidence_file(&digest).await?;
        Ok((
            record.evidence_name.unwrap_or_else(|| "佐证材料".into()),
            media_type,
            bytes,
        ))
    }
}

/// A new record as it is written: what was validated, its evidence, the record it corrects.
struct NewRecord<'a> {
    record: &'a ValidRecord,
    evidence: Option<&'a CheckedEvidence>,
    corrects: Option<i64>,
    user_id: i64,
    now: DateTime<Utc>,
}

/// The writes of a new record, inside the caller's transaction so that the evidence row, the
/// record, the voiding of the one it corrects, the tallies and the audit row commit together.
trait RecordWrite {
    async fn insert_record(&mut self, new: &NewRecord<'_>) -> Result<i64>;
}

macro_rules! impl_record_write {
    ($conn:ty) => {
        impl RecordWrite for $conn {
            async fn insert_record(&mut self, new: &NewRecord<'_>) -> Result<i64> {
                if let Some(file) = new.evidence {
                    sqlx::query(
                        "INSERT INTO evidence_files (digest, media_type, size_bytes, stored_at) VALUES ($1, $2, $3, $4) \
                         ON CONFLICT (digest) DO NOTHING",
                    )
                    .bind(&file.digest)
                    .bind(file.media_type)
                    .bind(file.bytes.len() as i64)
                    .bind(new.now)
                    .execute(&mut *self)
                    .await?;
                }
                let record = new.record;
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO progress_records (indicator_code, unit_code, value, occurred_on, description, evidence_digest, \
                     evidence_name, corrects_id, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
                )
                .bind(&record.indicator_code)
                .bind(&record.unit_code)
                .bind(record.value.hundredths())
                .bind(record.occurred_on)
                .bind(&record.description)
                .bind(new.evidence.map(|f| f.digest.clone()))
                .bind(new.evidence.map(|f| f.file_name.clone()))
                .bind(new.corrects)
                .bind(new.user_id)
                .bind(new.now)
                .fetch_one(&mut *self)
                .await?;
                if let Some(old_id) = new.corrects {
                    sqlx::query("UPDATE progress_records SET voided_at = $1, voided_by = $2, void_reason = $3 WHERE id = $4 AND voided_at IS NULL")
                        .bind(new.now)
                        .bind(new.user_id)
                        .bind(format!("已由记录 #{id} 更正"))
                        .bind(old_id)
                        .execute(&mut *self)
                        .await?;
                }
                Ok(id)
            }
        }
    };
}

impl_record_write!(SqliteConnection);
impl_record_write!(PgConnection);
