//! The task force's steering (core::steering): supervision items raised on units, answered with
//! evidence, closed or escalated; joint meetings whose minutes freeze the quarter's figures and
//! list the supervision items; publicity items. Who may do what is core's
//! (`core::access::steering`); each write is one transaction with its audit row.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use linkong_core::access::Actor;
use linkong_core::calendar::WorkCalendar;
use linkong_core::plan::Plan;
use linkong_core::reporting::ReportPeriod;
use linkong_core::steering::{
    FrozenLine, ListedItem, MeetingDraft, PublicityDraft, PublicityKind, SupervisionDraft,
    SupervisionStatus, ValidMeeting, checked_note, decision_overdue, freeze, is_overdue,
    validate_follow_up, validate_meeting, validate_publicity, validate_supervision,
};
use linkong_core::time::local_date;
use serde::Serialize;

use crate::audit::{AuditAppend, AuditEvent};
use crate::evidence::{CheckedEvidence, EvidenceUpload, check_evidence};
use crate::{BeginWrite, Error, Result, Store, on_db};

/// Adds one step to an item's history, inside the caller's transaction.
macro_rules! insert_step {
    ($tx:ident, $id:expr, $kind:expr, $note:expr, $user:expr, $now:expr) => {
        sqlx::query(
            "INSERT INTO supervision_steps (item_id, kind, note, user_id, at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind($id)
        .bind($kind)
        .bind($note)
        .bind($user)
        .bind($now)
        .execute(&mut *$tx)
        .await?;
    };
}

/// A supervision item as lists and pages show it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SupervisionItem {
    pub id: i64,
    pub unit_code: String,
    pub indicator_code: Option<String>,
    pub year: i64,
    pub problem: String,
    pub action: String,
    pub working_days: i64,
    pub raised_on: NaiveDate,
    pub due_on: NaiveDate,
    pub status: SupervisionStatus,
    pub response: String,
    pub evidence_name: Option<String>,
    pub answered_on: Option<NaiveDate>,
    pub closed_on: Option<NaiveDate>,
    /// Not closed, and its due date past (as of today).
    pub overdue: bool,
}

/// One step of an item's history.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct SupervisionStep {
    pub kind: String,
    pub note: String,
    pub username: String,
    pub at: DateTime<Utc>,
}

/// What the task force does with an answered (or still open) item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Close,
    Escalate,
}

#[derive(sqlx::FromRow)]
struct ItemRow {
    id: i64,
    unit_code: String,
    indicator_code: Option<String>,
    year: i64,
    problem: String,
    action: String,
    working_days: i64,
    raised_on: NaiveDate,
    due_on: NaiveDate,
    status: String,
    response: String,
    evidence_name: Option<String>,
    answered_on: Option<NaiveDate>,
    closed_on: Option<NaiveDate>,
}

impl ItemRow {
    fn view(self, today: NaiveDate) -> Result<SupervisionItem> {
        let status = SupervisionStatus::parse(&self.status)
            .map_err(|_| Error::Config(format!("督办事项 {} 的状态无法识别", self.id)))?;
        Ok(SupervisionItem {
            overdue: is_overdue(status, self.due_on, today),
            status,
            id: self.id,
            unit_code: self.unit_code,
            indicator_code: self.indicator_code,
            year: self.year,
            problem: self.problem,
            action: self.action,
            working_days: self.working_days,
            raised_on: self.raised_on,
            due_on: self.due_on,
            response: self.response,
            evidence_name: self.evidence_name,
            answered_on: self.answered_on,
            closed_on: self.closed_on,
        })
    }
}

const ITEM_SELECT: &str = "SELECT id, unit_code, indicator_code, year, problem, action, working_days, \
     raised_on, due_on, status, response, evidence_name, answered_on, closed_on FROM supervision_items";

impl Store {
    /// Raises a supervision item on a unit (the task force only); its due date is counted in
    /// working days by `calendar`. Returns its id.
    pub async fn raise_supervision(
        &self,
        plan: &Plan,
        calendar: &WorkCalendar,
        actor: &Actor,
        draft: &SupervisionDraft,
        ip: &str,
    ) -> Result<i64> {
        if !actor.may_steer() {
            let why = "只有工作专班可以发起督办";
            return Err(self.deny(actor, "supervision".into(), why, ip).await);
        }
        let today = local_date(self.now());
        let valid = validate_supervision(plan, calendar, draft, today).map_err(Error::Fields)?;
        let now = self.now();
        let event = AuditEvent::new("supervision.raise", format!("unit:{}", valid.unit))
            .by(Some(actor.user_id), &actor.username)
            .detail(format!(
                "限 {} 个工作日，{} 前办结",
                valid.working_days, valid.due_on
            ))
            .from_ip(ip);
        let _guard = self.write_lock.lock().await;
        Ok(on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO supervision_items (unit_code, indicator_code, year, problem, action, \
                 working_days, raised_on, due_on, status, raised_by, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'open', $9, $10, $10) RETURNING id",
            )
            .bind(&valid.unit)
            .bind(&valid.indicator)
            .bind(i64::from(today.year()))
            .bind(&valid.problem)
            .bind(&valid.action)
            .bind(i64::from(valid.working_days))
            .bind(valid.raised_on)
            .bind(valid.due_on)
            .bind(actor.user_id)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            insert_step!(tx, id, "raise", &valid.problem, actor.user_id, now);
            tx.append_audit(now, &event).await?;
            tx.commit().await?;
            id
        }))
    }

    /// The supervision items the actor reads, newest first; `open_only` leaves out closed ones,
    /// `unit` narrows to one unit (within the actor's scope).
    pub async fn supervision_items(
        &self,
        actor: &Actor,
        unit: Option<&str>,
        open_only: bool,
        ip: &str,
    ) -> Result<Vec<SupervisionItem>> {
        let scope = match actor.supervision_scope() {
            Ok(scope) => scope,
            Err(why) => return Err(self.deny(actor, "supervision".into(), why, ip).await),
        };
        let unit = match (scope, unit) {
            (Some(own), Some(asked)) if own != asked => {
                let why = "只能查看本单位的督办事项";
                return Err(self.deny(actor, format!("unit:{asked}"), why, ip).await);
            }
            (Some(own), _) => Some(own),
            (None, asked) => asked,
        };
        let sql = format!(
            "{ITEM_SELECT} WHERE ($1 OR unit_code = $2) AND ($3 OR status <> 'closed') \
             ORDER BY raised_on DESC, id DESC"
        );
        let rows: Vec<ItemRow> = on_db!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(unit.is_none())
            .bind(unit.unwrap_or_default())
            .bind(!open_only)
            .fetch_all(pool)
            .await?);
        let today = local_date(self.now());
        rows.into_iter().map(|r| r.view(today)).collect()
    }

    /// The supervision items overdue on `on` (for a quarter's report: its last day, or today
    /// if sooner): raised by then, due before it, and not closed by then. Readers of every unit
    /// only, like the consolidated report.
    pub async fn overdue_supervision(
        &self,
        actor: &Actor,
        on: NaiveDate,
        ip: &str,
    ) -> Result<Vec<SupervisionItem>> {
        if !actor.reads_all_units() && !actor.may_steer() {
            let why = "全区汇总报告只向工作专班开放";
            return Err(self
                .deny(actor, "supervision:overdue".into(), why, ip)
                .await);
        }
        let sql = format!(
            "{ITEM_SELECT} WHERE raised_on <= $1 AND due_on < $1 \
             AND (closed_on IS NULL OR closed_on > $1) ORDER BY due_on, id"
        );
        let rows: Vec<ItemRow> = on_db!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(on)
            .fetch_all(pool)
            .await?);
        rows.into_iter()
            .map(|r| {
                let mut item = r.view(on)?;
                // As of `on`: an item closed later was still open then.
                item.overdue = true;
                Ok(item)
            })
            .collect()
    }

    /// One supervision item with its history, for an actor who may read it.
    pub async fn supervision_item(
        &self,
        actor: &Actor,
        id: i64,
        ip: &str,
    ) -> Result<(SupervisionItem, Vec<SupervisionStep>)> {
        let item = self.readable_item(actor, id, ip).await?;
        let steps: Vec<SupervisionStep> = on_db!(self, pool => sqlx::query_as(
            "SELECT s.kind, s.note, u.username, s.at FROM supervision_steps s \
             JOIN users u ON u.id = s.user_id WHERE s.item_id = $1 ORDER BY s.id",
        )
        .bind(id)
        .fetch_all(pool)
        .await?);
        Ok((item, steps))
    }

    async fn readable_item(&self, actor: &Actor, id: i64, ip: &str) -> Result<SupervisionItem> {
        let sql = format!("{ITEM_SELECT} WHERE id = $1");
        let row: Option<ItemRow> = on_db!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(pool)
            .await?);
        let item = row
            .ok_or_else(|| Error::not_found(format!("督办事项 #{id}")))?
            .view(local_date(self.now()))?;
        if !actor.may_read_supervision(&item.unit_code) {
            let why = "只能查看本单位的督办事项";
            return Err(self.deny(actor, format!("supervision:{id}"), why, ip).await);
        }
        Ok(item)
    }

    /// The unit answers an item raised on it: what it did, with an optional evidence file
    /// (an image or a PDF). The item becomes 已反馈.
    pub async fn answer_supervision(
        &self,
        actor: &Actor,
        id: i64,
        response: &str,
        evidence: Option<EvidenceUpload>,
        ip: &str,
    ) -> Result<()> {
        let item = self.readable_item(actor, id, ip).await?;
        if !actor.may_answer_supervision(&item.unit_code) {
            let why = "只有被督办单位的人员可以反馈办理情况";
            return Err(self.deny(actor, format!("supervision:{id}"), why, ip).await);
        }
        if !item.status.takes_answer() {
            return Err(Error::Conflict(format!(
                "该督办事项{}，不能再反馈",
                item.status.label()
            )));
        }
        let response = checked_note("办理情况", response).map_err(Error::Fields)?;
        let evidence: Option<CheckedEvidence> = evidence.map(check_evidence).transpose()?;
        if let Some(file) = &evidence {
            self.write_evidence(file).await?;
        }
        let now = self.now();
        let today = local_date(now);
        let event = AuditEvent::new("supervision.answer", format!("supervision:{id}"))
            .by(Some(actor.user_id), &actor.username)
            .from_ip(ip);
        let _guard = self.write_lock.lock().await;
        on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            if let Some(file) = &evidence {
                sqlx::query(
                    "INSERT INTO evidence_files (digest, media_type, size_bytes, stored_at) \
                     VALUES ($1, $2, $3, $4) ON CONFLICT (digest) DO NOTHING",
                )
                .bind(&file.digest)
                .bind(file.media_type)
                .bind(file.bytes.len() as i64)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            }
            let done = sqlx::query(
                "UPDATE supervision_items SET status = 'answered', response = $1, \
                 evidence_digest = COALESCE($2, evidence_digest), evidence_name = COALESCE($3, evidence_name), \
                 answered_on = $4, updated_at = $5 WHERE id = $6 AND status <> 'closed'",
            )
            .bind(&response)
            .bind(evidence.as_ref().map(|f| f.digest.clone()))
            .bind(evidence.as_ref().map(|f| f.file_name.clone()))
            .bind(today)
            .bind(now)
            .bind(id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if done != 1 {
                return Err(Error::Conflict("该督办事项已办结，不能再反馈".into()));
            }
            insert_step!(tx, id, "answer", &response, actor.user_id, now);
            tx.append_audit(now, &event).await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// The task force closes an answered item or escalates an open one, with a note.
    pub async fn decide_supervision(
        &self,
        actor: &Actor,
        id: i64,
        verdict: Verdict,
        note: &str,
        ip: &str,
    ) -> Result<()> {
        if !actor.may_steer() {
            let why = "只有工作专班可以办结或升级督办事项";
            return Err(self.deny(actor, format!("supervision:{id}"), why, ip).await);
        }
        let item = self.readable_item(actor, id, ip).await?;
        let (allowed, status, kind, action) = match verdict {
            Verdict::Close => (
                item.status.may_close(),
                SupervisionStatus::Closed,
                "close",
                "supervision.close",
            ),
            Verdict::Escalate => (
                item.status.may_escalate(),
                SupervisionStatus::Escalated,
                "escalate",
                "supervision.escalate",
            ),
        };
        if !allowed {
            return Err(Error::Conflict(format!(
                "该督办事项{}，不能{}",
                item.status.label(),
                if verdict == Verdict::Close {
                    "办结（须先由被督办单位反馈）"
                } else {
                    "升级"
                }
            )));
        }
        let field = if verdict == Verdict::Close {
            "办结意见"
        } else {
            "升级督办意见"
        };
        let note = checked_note(field, note).map_err(Error::Fields)?;
        let now = self.now();
        let closed_on = (verdict == Verdict::Close).then(|| local_date(now));
        let event = AuditEvent::new(action, format!("supervision:{id}"))
            .by(Some(actor.user_id), &actor.username)
            .from_ip(ip);
        let _guard = self.write_lock.lock().await;
        on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let done = sqlx::query(
                "UPDATE supervision_items SET status = $1, closed_on = $2, updated_at = $3 \
                 WHERE id = $4 AND status = $5",
            )
            .bind(status.code())
            .bind(closed_on)
            .bind(now)
            .bind(id)
            .bind(item.status.code())
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if done != 1 {
                return Err(Error::Conflict("该督办事项刚被他人处理，请刷新后重试".into()));
            }
            insert_step!(tx, id, kind, &note, actor.user_id, now);
            tx.append_audit(now, &event).await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// The evidence file of an item's answer: (file name, media type, bytes).
    pub async fn supervision_evidence(
        &self,
        actor: &Actor,
        id: i64,
        ip: &str,
    ) -> Result<(String, String, Vec<u8>)> {
        let item = self.readable_item(actor, id, ip).await?;
        let digest: Option<String> = on_db!(self, pool => sqlx::query_scalar(
            "SELECT evidence_digest FROM supervision_items WHERE id = $1",
        )
        .bind(id)
        .fetch_one(pool)
        .await?);
        let digest = digest.ok_or_else(|| Error::not_found("该督办事项没有佐证材料"))?;
        let media_type: String = on_db!(self, pool => sqlx::query_scalar(
            "SELECT media_type FROM evidence_files WHERE digest = $1",
        )
        .bind(&digest)
        .fetch_one(pool)
        .await?);
        let bytes = self.read_evidence_file(&digest).await?;
        Ok((
            item.evidence_name.unwrap_or_else(|| "佐证材料".into()),
            media_type,
            bytes,
        ))
    }
}

/// A joint meeting as its page shows it: the minutes with the frozen figures and items.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Meeting {
    pub id: i64,
    pub held_on: NaiveDate,
    pub quarter: String,
    pub chair: String,
    pub attendees: Vec<String>,
    pub minutes: String,
    pub figures: Vec<FrozenLine>,
    pub items: Vec<ListedItem>,
    pub decisions: Vec<Decision>,
}

/// A decision of a meeting, with its follow-up.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Decision {
    pub id: i64,
    pub meeting_id: i64,
    /// The day of the meeting that took it.
    pub decided_on: NaiveDate,
    pub text: String,
    pub owner_unit: String,
    pub due_on: NaiveDate,
    /// When its owner recorded it carried out, and how (落实情况).
    pub done_on: Option<NaiveDate>,
    pub done_note: String,
    /// Not carried out, and its due date past (as of today).
    pub overdue: bool,
}

#[derive(sqlx::FromRow)]
struct DecisionRow {
    id: i64,
    meeting_id: i64,
    decided_on: NaiveDate,
    text: String,
    owner_unit: String,
    due_on: NaiveDate,
    done_on: Option<NaiveDate>,
    done_note: String,
}

impl DecisionRow {
    fn view(self, today: NaiveDate) -> Decision {
        Decision {
            overdue: decision_overdue(self.done_on, self.due_on, today),
            id: self.id,
            meeting_id: self.meeting_id,
            decided_on: self.decided_on,
            text: self.text,
            owner_unit: self.owner_unit,
            due_on: self.due_on,
            done_on: self.done_on,
            done_note: self.done_note,
        }
    }
}

const DECISION_SELECT: &str = "SELECT d.id, d.meeting_id, m.held_on AS decided_on, d.text, \
     d.owner_unit, d.due_on, d.done_on, d.done_note FROM meeting_decisions d \
     JOIN meetings m ON m.id = d.meeting_id";

#[derive(sqlx::FromRow)]
struct MeetingRow {
    id: i64,
    held_on: NaiveDate,
    quarter: String,
    chair: String,
    attendees: String,
    minutes: String,
    figures: String,
    items: String,
}

impl Store {
    /// Records a joint meeting (the task force only). The district's progress as of the
    /// quarter's end and the supervision items open at the meeting or raised in the quarter
    /// are frozen into it, in the same transaction as its decisions and audit row.
    pub async fn record_meeting(
        &self,
        plan: &Plan,
        actor: &Actor,
        draft: &MeetingDraft,
        ip: &str,
    ) -> Result<i64> {
        if !actor.may_steer() {
            let why = "只有工作专班可以登记联席会议";
            return Err(self.deny(actor, "meeting".into(), why, ip).await);
        }
        let today = local_date(self.now());
        let valid = validate_meeting(plan, draft, today).map_err(Error::Fields)?;
        let figures = self.frozen_figures(plan, valid.quarter).await?;
        let items = self.listed_items(&valid).await?;
        let now = self.now();
        let event = AuditEvent::new(
            "meeting.record",
            format!("quarter:{}", valid.quarter.code()),
        )
        .by(Some(actor.user_id), &actor.username)
        .detail(format!(
            "{} 召开，议定事项 {} 项",
            valid.held_on,
            valid.decisions.len()
        ))
        .from_ip(ip);
        let figures = serde_json::to_string(&figures)
            .map_err(|e| Error::Config(format!("冻结进度无法保存：{e}")))?;
        let items = serde_json::to_string(&items)
            .map_err(|e| Error::Config(format!("督办事项清单无法保存：{e}")))?;
        let _guard = self.write_lock.lock().await;
        Ok(on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO meetings (held_on, quarter, chair, attendees, minutes, figures, items, \
                 created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
            )
            .bind(valid.held_on)
            .bind(valid.quarter.code())
            .bind(&valid.chair)
            .bind(valid.attendees.join(","))
            .bind(&valid.minutes)
            .bind(&figures)
            .bind(&items)
            .bind(actor.user_id)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            for d in &valid.decisions {
                sqlx::query(
                    "INSERT INTO meeting_decisions (meeting_id, text, owner_unit, due_on) VALUES ($1, $2, $3, $4)",
                )
                .bind(id)
                .bind(&d.text)
                .bind(&d.owner)
                .bind(d.due_on)
                .execute(&mut *tx)
                .await?;
            }
            tx.append_audit(now, &event).await?;
            tx.commit().await?;
            id
        }))
    }

    /// The district's figure of every indicator as of the quarter's end.
    async fn frozen_figures(&self, plan: &Plan, quarter: ReportPeriod) -> Result<Vec<FrozenLine>> {
        let (_, end) = quarter.range();
        let year = quarter.year();
        let start = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(end);
        let figures = self.record_figures(plan, start, end).await?;
        let progress = linkong_core::progress::compute(plan, year, end, &figures);
        Ok(freeze(plan, &progress))
    }

    /// The supervision items a meeting lists: open when it is held, or raised in its quarter.
    async fn listed_items(&self, meeting: &ValidMeeting) -> Result<Vec<ListedItem>> {
        let (start, _) = meeting.quarter.range();
        let sql = format!(
            "{ITEM_SELECT} WHERE raised_on <= $1 AND (status <> 'closed' OR raised_on >= $2) ORDER BY id"
        );
        let rows: Vec<ItemRow> = on_db!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(meeting.held_on)
            .bind(start)
            .fetch_all(pool)
            .await?);
        let today = local_date(self.now());
        rows.into_iter()
            .map(|r| {
                let item = r.view(today)?;
                Ok(ListedItem {
                    id: item.id,
                    unit_code: item.unit_code,
                    problem: item.problem,
                    due_on: item.due_on,
                    status: item.status.label().to_owned(),
                    overdue: item.overdue,
                })
            })
            .collect()
    }

    /// The meetings, newest first (their figures and items not parsed).
    pub async fn meetings(&self, actor: &Actor, ip: &str) -> Result<Vec<Meeting>> {
        self.may_read_meetings(actor, ip).await?;
        let rows: Vec<MeetingRow> = on_db!(self, pool => sqlx::query_as(
            "SELECT id, held_on, quarter, chair, attendees, minutes, '[]' AS figures, '[]' AS items \
             FROM meetings ORDER BY held_on DESC, id DESC",
        )
        .fetch_all(pool)
        .await?);
        rows.into_iter()
            .map(|r| meeting_of(r, Vec::new()))
            .collect()
    }

    /// One meeting's minutes, with the figures and items frozen into them and its decisions.
    pub async fn meeting(&self, actor: &Actor, id: i64, ip: &str) -> Result<Meeting> {
        self.may_read_meetings(actor, ip).await?;
        let row: Option<MeetingRow> = on_db!(self, pool => sqlx::query_as(
            "SELECT id, held_on, quarter, chair, attendees, minutes, figures, items FROM meetings WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(pool)
        .await?);
        let row = row.ok_or_else(|| Error::not_found(format!("联席会议 #{id}")))?;
        let sql = format!("{DECISION_SELECT} WHERE d.meeting_id = $1 ORDER BY d.id");
        let rows: Vec<DecisionRow> = on_db!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .fetch_all(pool)
            .await?);
        let today = local_date(self.now());
        meeting_of(row, rows.into_iter().map(|d| d.view(today)).collect())
    }

    /// The meetings' decisions not yet carried out, oldest due first: every unit's for the
    /// task force and readers of every unit, a unit's own for its staff (`unit` narrows the
    /// former to one unit).
    pub async fn open_decisions(
        &self,
        actor: &Actor,
        unit: Option<&str>,
        ip: &str,
    ) -> Result<Vec<Decision>> {
        let unit = match (actor.supervision_scope(), unit) {
            (Err(why), _) => return Err(self.deny(actor, "meetings".into(), why, ip).await),
            (Ok(Some(own)), Some(asked)) if own != asked => {
                let why = "只能查看本单位的议定事项";
                return Err(self.deny(actor, format!("unit:{asked}"), why, ip).await);
            }
            (Ok(Some(own)), _) => Some(own.to_owned()),
            (Ok(None), asked) => asked.map(str::to_owned),
        };
        let sql = format!(
            "{DECISION_SELECT} WHERE d.done_on IS NULL AND ($1 OR d.owner_unit = $2) \
             ORDER BY d.due_on, d.id"
        );
        let rows: Vec<DecisionRow> = on_db!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(unit.is_none())
            .bind(unit.unwrap_or_default())
            .fetch_all(pool)
            .await?);
        let today = local_date(self.now());
        Ok(rows.into_iter().map(|d| d.view(today)).collect())
    }

    /// The meeting that took decision `id` (its page is read through [`Store::meeting`], which
    /// asks who may).
    pub async fn decision_meeting(&self, id: i64) -> Result<i64> {
        let meeting: Option<i64> = on_db!(self, pool => sqlx::query_scalar(
            "SELECT meeting_id FROM meeting_decisions WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(pool)
        .await?);
        meeting.ok_or_else(|| Error::not_found(format!("议定事项 #{id}")))
    }

    /// Records how a meeting decision was carried out (its owner unit's staff, or the task
    /// force), once; one transaction with its audit row. Returns the meeting's id.
    pub async fn follow_up_decision(
        &self,
        actor: &Actor,
        id: i64,
        note: &str,
        done_on: &str,
        ip: &str,
    ) -> Result<i64> {
        let sql = format!("{DECISION_SELECT} WHERE d.id = $1");
        let row: Option<DecisionRow> = on_db!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(pool)
            .await?);
        let decision = row.ok_or_else(|| Error::not_found(format!("议定事项 #{id}")))?;
        if !actor.may_follow_up_decision(&decision.owner_unit) {
            let why = "只有责任单位和工作专班可以登记议定事项的落实情况";
            return Err(self.deny(actor, format!("decision:{id}"), why, ip).await);
        }
        if decision.done_on.is_some() {
            return Err(Error::Conflict(format!("议定事项 #{id} 的落实情况已登记")));
        }
        let today = local_date(self.now());
        let valid =
            validate_follow_up(note, done_on, decision.decided_on, today).map_err(Error::Fields)?;
        let now = self.now();
        let event = AuditEvent::new("meeting.decision.done", format!("decision:{id}"))
            .by(Some(actor.user_id), &actor.username)
            .detail(format!("{} 落实", valid.done_on))
            .from_ip(ip);
        let _guard = self.write_lock.lock().await;
        on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let done = sqlx::query(
                "UPDATE meeting_decisions SET done_on = $2, done_note = $3, done_by = $4 \
                 WHERE id = $1 AND done_on IS NULL",
            )
            .bind(id)
            .bind(valid.done_on)
            .bind(&valid.note)
            .bind(actor.user_id)
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() != 1 {
                return Err(Error::Conflict(format!("议定事项 #{id} 的落实情况已登记")));
            }
            tx.append_audit(now, &event).await?;
            tx.commit().await?;
        });
        Ok(decision.meeting_id)
    }

    async fn may_read_meetings(&self, actor: &Actor, ip: &str) -> Result<()> {
        if actor.may_read_meetings() {
            return Ok(());
        }
        let why = "只有工作专班和责任单位的人员可以查看联席会议纪要";
        Err(self.deny(actor, "meetings".into(), why, ip).await)
    }
}

fn meeting_of(row: MeetingRow, decisions: Vec<Decision>) -> Result<Meeting> {
    let unreadable = |what: &str| Error::Config(format!("联席会议 {} 的{what}无法识别", row.id));
    Ok(Meeting {
        figures: serde_json::from_str(&row.figures).map_err(|_| unreadable("冻结进度"))?,
        items: serde_json::from_str(&row.items).map_err(|_| unreadable("督办事项清单"))?,
        id: row.id,
        held_on: row.held_on,
        quarter: row.quarter,
        chair: row.chair,
        attendees: row
            .attendees
            .split(',')
            .filter(|u| !u.is_empty())
            .map(str::to_owned)
            .collect(),
        minutes: row.minutes,
        decisions,
    })
}

/// A publicity item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PublicityItem {
    pub id: i64,
    pub unit_code: String,
    pub kind: PublicityKind,
    pub title: String,
    pub outlet: String,
    pub published_on: NaiveDate,
    pub link: String,
}

impl Store {
    /// Records a publicity item of a unit (its own staff, or the task force).
    pub async fn record_publicity(
        &self,
        plan: &Plan,
        actor: &Actor,
        draft: &PublicityDraft,
        ip: &str,
    ) -> Result<i64> {
        let today = local_date(self.now());
        let valid = validate_publicity(plan, draft, today).map_err(Error::Fields)?;
        if !actor.may_record_publicity(&valid.unit) {
            let why = "只能登记本单位的宣传报道";
            return Err(self
                .deny(actor, format!("unit:{}", valid.unit), why, ip)
                .await);
        }
        let now = self.now();
        let event = AuditEvent::new("publicity.record", format!("unit:{}", valid.unit))
            .by(Some(actor.user_id), &actor.username)
            .detail(valid.title.clone())
            .from_ip(ip);
        let _guard = self.write_lock.lock().await;
        Ok(on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO publicity_items (unit_code, kind, title, outlet, published_on, link, \
                 created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
            )
            .bind(&valid.unit)
            .bind(valid.kind.code())
            .bind(&valid.title)
            .bind(&valid.outlet)
            .bind(valid.published_on)
            .bind(&valid.link)
            .bind(actor.user_id)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            tx.append_audit(now, &event).await?;
            tx.commit().await?;
            id
        }))
    }

    /// The publicity items published in `year`, newest first (public facts: anyone signed in
    /// among the staff reads them).
    pub async fn publicity(&self, year: i32) -> Result<Vec<PublicityItem>> {
        type Row = (i64, String, String, String, String, NaiveDate, String);
        let (from, to) = (
            NaiveDate::from_ymd_opt(year, 1, 1),
            NaiveDate::from_ymd_opt(year, 12, 31),
        );
        let rows: Vec<Row> = on_db!(self, pool => sqlx::query_as(
            "SELECT id, unit_code, kind, title, outlet, published_on, link FROM publicity_items \
             WHERE published_on >= $1 AND published_on <= $2 ORDER BY published_on DESC, id DESC",
        )
        .bind(from)
        .bind(to)
        .fetch_all(pool)
        .await?);
        rows.into_iter()
            .map(|(id, unit_code, kind, title, outlet, published_on, link)| {
                Ok(PublicityItem {
                    kind: PublicityKind::parse(&kind)
                        .map_err(|_| Error::Config(format!("宣传报道 {id} 的形式无法识别")))?,
                    id,
                    unit_code,
                    title,
                    outlet,
                    published_on,
                    link,
                })
            })
            .collect()
    }
}
