//! What is added to a running mentoring — milestones (and the day each is reached), visits,
//! financing contacts — and its end with an outcome. The opening unit and the lead keep it
//! (区基金公司 also records financing contacts once it joined); nothing is added once it ended.

use chrono::NaiveDate;
use linkong_core::access::Actor;
use linkong_core::mentoring::{
    EndDraft, FinancingDraft, FinancingResult, MilestoneDraft, Running, VisitDraft,
    milestone_done_day, validate_end, validate_financing, validate_milestone, validate_visit,
};
use linkong_core::plan::Plan;
use linkong_core::time::local_date;
use serde::Serialize;

use super::write::{Entry, MentoringWrite};
use super::{Mentoring, MentoringStatus};
use crate::audit::{AuditAppend, AuditEvent};
use crate::{BeginWrite, Error, Result, Store, on_db};

/// A milestone of the plan.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Milestone {
    pub id: i64,
    pub title: String,
    pub due_on: NaiveDate,
    pub done_on: Option<NaiveDate>,
}

/// A visit to the business.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct MentoringVisit {
    pub id: i64,
    pub visited_on: NaiveDate,
    pub visitor: String,
    pub problems_raised: String,
    pub problems_solved: String,
}

/// A contact with a fund or investor; `amount` in hundredths of 万元.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FinancingContact {
    pub id: i64,
    pub contacted_on: NaiveDate,
    pub funder: String,
    pub amount: i64,
    pub result: FinancingResult,
}

fn running(m: &Mentoring) -> Running {
    Running {
        started_on: m.started_on,
        ended_on: m.ended_on.filter(|_| m.status == MentoringStatus::Ended),
    }
}

impl Store {
    pub(super) async fn milestones_of(&self, id: i64) -> Result<Vec<Milestone>> {
        Ok(on_db!(self, pool => sqlx::query_as(
            "SELECT id, title, due_on, done_on FROM mentoring_milestones WHERE mentoring_id = $1 ORDER BY due_on, id"
        )
        .bind(id)
        .fetch_all(pool)
        .await?))
    }

    pub(super) async fn visits_of(&self, id: i64) -> Result<Vec<MentoringVisit>> {
        Ok(on_db!(self, pool => sqlx::query_as(
            "SELECT id, visited_on, visitor, problems_raised, problems_solved FROM mentoring_visits \
             WHERE mentoring_id = $1 ORDER BY visited_on DESC, id DESC"
        )
        .bind(id)
        .fetch_all(pool)
        .await?))
    }

    pub(super) async fn financing_of(&self, id: i64) -> Result<Vec<FinancingContact>> {
        let rows: Vec<(i64, NaiveDate, String, i64, String)> = on_db!(self, pool => sqlx::query_as(
            "SELECT id, contacted_on, funder, amount, result FROM mentoring_financing \
             WHERE mentoring_id = $1 ORDER BY contacted_on DESC, id DESC"
        )
        .bind(id)
        .fetch_all(pool)
        .await?);
        rows.into_iter()
            .map(|(id, contacted_on, funder, amount, result)| {
                Ok(FinancingContact {
                    id,
                    contacted_on,
                    funder,
                    amount,
                    result: FinancingResult::parse(&result)
                        .map_err(|_| Error::Config(format!("融资对接 {id} 的结果无法识别")))?,
                })
            })
            .collect()
    }

    /// A mentoring the actor may add to (`financing`: a financing contact, which 区基金公司 may
    /// record once it joined), still running; refused and audited, or a conflict, otherwise.
    async fn kept_mentoring(
        &self,
        plan: &Plan,
        actor: &Actor,
        id: i64,
        financing: bool,
        ip: &str,
    ) -> Result<Mentoring> {
        let m = self.stored_mentoring(id).await?;
        let allowed = if financing {
            actor.may_record_financing(plan, &m.opened_by, m.fund_joins)
        } else {
            actor.may_keep_mentoring(plan, &m.opened_by)
        };
        if !allowed {
            let why = "跟踪陪跑由发起单位和区人社局登记";
            return Err(self.deny(actor, format!("mentoring:{id}"), why, ip).await);
        }
        running(&m).takes_entries().map_err(Error::Conflict)?;
        Ok(m)
    }

    /// Writes one entry with its audit row, in one transaction.
    async fn write_entry(&self, actor: &Actor, id: i64, entry: Entry<'_>, ip: &str) -> Result<()> {
        let now = self.now();
        let event = AuditEvent::new(entry.action(), format!("mentoring:{id}"))
            .by(Some(actor.user_id), &actor.username)
            .detail(entry.detail())
            .from_ip(ip);
        let _guard = self.write_lock.lock().await;
        on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            tx.write_entry(id, &entry, actor.user_id, now).await?;
            tx.append_audit(now, &event).await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// Adds a milestone to the plan of a running mentoring.
    pub async fn add_milestone(
        &self,
        plan: &Plan,
        actor: &Actor,
        id: i64,
        draft: &MilestoneDraft,
        ip: &str,
    ) -> Result<()> {
        let m = self.kept_mentoring(plan, actor, id, false, ip).await?;
        let valid = validate_milestone(draft, running(&m)).map_err(Error::Fields)?;
        self.write_entry(actor, id, Entry::Milestone(&valid), ip)
            .await
    }

    /// Records the day a milestone was reached.
    pub async fn reach_milestone(
        &self,
        plan: &Plan,
        actor: &Actor,
        (id, milestone): (i64, i64),
        done_on: &str,
        ip: &str,
    ) -> Result<()> {
        let m = self.kept_mentoring(plan, actor, id, false, ip).await?;
        let found = self
            .milestones_of(id)
            .await?
            .into_iter()
            .find(|x| x.id == milestone)
            .ok_or_else(|| Error::not_found("该节点不存在"))?;
        let today = local_date(self.now());
        let day = milestone_done_day(done_on, running(&m), found.done_on, today)
            .map_err(|e| Error::Fields(vec![e]))?;
        let entry = Entry::Reached {
            milestone,
            title: &found.title,
            on: day,
        };
        self.write_entry(actor, id, entry, ip).await
    }

    /// Logs a visit to the business.
    pub async fn log_mentoring_visit(
        &self,
        plan: &Plan,
        actor: &Actor,
        id: i64,
        draft: &VisitDraft,
        ip: &str,
    ) -> Result<()> {
        let m = self.kept_mentoring(plan, actor, id, false, ip).await?;
        let today = local_date(self.now());
        let valid = validate_visit(draft, running(&m), today).map_err(Error::Fields)?;
        self.write_entry(actor, id, Entry::Visit(&valid), ip).await
    }

    /// Records a contact with a fund or investor.
    pub async fn record_financing_contact(
        &self,
        plan: &Plan,
        actor: &Actor,
        id: i64,
        draft: &FinancingDraft,
        ip: &str,
    ) -> Result<()> {
        let m = self.kept_mentoring(plan, actor, id, true, ip).await?;
        let today = local_date(self.now());
        let valid = validate_financing(draft, running(&m), today).map_err(Error::Fields)?;
        self.write_entry(actor, id, Entry::Financing(&valid), ip)
            .await
    }

    /// The latest day recorded on a mentoring: a visit, a milestone reached, a financing contact.
    async fn last_entry(&self, id: i64) -> Result<Option<NaiveDate>> {
        let visits = self.visits_of(id).await?.into_iter().map(|v| v.visited_on);
        let reached = self
            .milestones_of(id)
            .await?
            .into_iter()
            .filter_map(|x| x.done_on);
        let financing = self
            .financing_of(id)
            .await?
            .into_iter()
            .map(|f| f.contacted_on);
        Ok(visits.chain(reached).chain(financing).max())
    }

    /// Ends a running mentoring with its outcome; nothing is added to it afterwards.
    pub async fn end_mentoring(
        &self,
        plan: &Plan,
        actor: &Actor,
        id: i64,
        draft: &EndDraft,
        ip: &str,
    ) -> Result<()> {
        let m = self.kept_mentoring(plan, actor, id, false, ip).await?;
        let today = local_date(self.now());
        let last = self.last_entry(id).await?;
        let valid = validate_end(draft, running(&m), last, today).map_err(Error::Fields)?;
        self.write_entry(actor, id, Entry::End(&valid), ip).await
    }
}
