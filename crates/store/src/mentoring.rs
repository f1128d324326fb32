//! Mentoring of returnee businesses (跟踪陪跑, task 2.3.2): opened by 区人社局 or a
//! cooperating unit of 2.3.2 (a street only for its own street's businesses) with why the
//! business was chosen, the start day and the mentor (an expert still in the pool, or an
//! instructor named with their organisation); kept with its milestones, visits and financing
//! contacts; ended with an outcome. Readers and writers are as `core::access` decides; a
//! mentoring counts toward 2.3.2 for its opening unit on its start day, the tally written in
//! the opening's transaction with its audit row.

mod entries;
mod write;

use chrono::NaiveDate;
use linkong_core::access::{Actor, MentoringScope};
use linkong_core::experts::ExpertStatus;
use linkong_core::field::FieldError;
use linkong_core::mentoring::{
    ChosenFor, Mentor, MentorKind, MentoringDraft, MentoringStatus, Outcome, ValidMentoring,
    expert_mentors, may_start, validate_mentoring,
};
use linkong_core::plan::Plan;
use linkong_core::time::local_date;
use serde::Serialize;

use crate::audit::{AuditAppend, AuditEvent};
use crate::figures::{DayKey, FigureWrite, Kind};
use crate::{BeginWrite, Error, Result, Store, on_db};
pub use entries::{FinancingContact, MentoringVisit, Milestone};
use write::{MentoringWrite, NewMentoring};

/// A mentoring as lists, pages and the API show it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Mentoring {
    pub id: i64,
    pub business_id: i64,
    pub business_name: String,
    /// The business's street.
    pub street_code: String,
    /// The unit that opened it (and whose figure it is).
    pub opened_by: String,
    pub chosen_for: ChosenFor,
    pub chosen_note: String,
    /// The business's selection entry or showcase case it was chosen from, if any.
    pub selection_entry_id: Option<i64>,
    pub showcase_case_id: Option<i64>,
    pub started_on: NaiveDate,
    pub mentor_kind: MentorKind,
    /// The expert of the pool, when the mentor is one.
    pub expert_id: Option<i64>,
    pub mentor_name: String,
    pub mentor_organisation: String,
    /// Has 区基金公司 joined?
    pub fund_joins: bool,
    pub status: MentoringStatus,
    pub outcome: Option<Outcome>,
    pub ended_on: Option<NaiveDate>,
    pub end_note: String,
    pub milestones: i64,
    pub milestones_done: i64,
    pub visits: i64,
    pub financing_contacts: i64,
}

/// A mentoring with its plan, visits and financing contacts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MentoringDetail {
    pub mentoring: Mentoring,
    pub milestones: Vec<Milestone>,
    pub visits: Vec<MentoringVisit>,
    pub financing: Vec<FinancingContact>,
}

/// Filters of a mentoring list; the actor's scope narrows it further.
#[derive(Debug, Clone, Default)]
pub struct MentoringFilter {
    /// Started in this year.
    pub year: Option<i32>,
    pub status: Option<MentoringStatus>,
    /// Of businesses of this street.
    pub street: Option<String>,
    /// Opened by this unit.
    pub unit: Option<String>,
    pub business: Option<i64>,
    /// Of businesses this resident founded.
    pub person: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct MentoringRow {
    id: i64,
    business_id: i64,
    business_name: String,
    street_code: String,
    opened_by: String,
    chosen_for: String,
    chosen_note: String,
    selection_entry_id: Option<i64>,
    showcase_case_id: Option<i64>,
    started_on: NaiveDate,
    mentor_kind: String,
    expert_id: Option<i64>,
    mentor_name: String,
    mentor_organisation: String,
    fund_joins: bool,
    status: String,
    outcome: Option<String>,
    ended_on: Option<NaiveDate>,
    end_note: String,
    milestones: i64,
    milestones_done: i64,
    visits: i64,
    financing_contacts: i64,
}

impl MentoringRow {
    fn view(self) -> Result<Mentoring> {
        let id = self.id;
        let unreadable = |what: &str| Error::Config(format!("跟踪陪跑 {id} 的{what}无法识别"));
        Ok(Mentoring {
            chosen_for: ChosenFor::parse(&self.chosen_for).map_err(|_| unreadable("选定原因"))?,
            mentor_kind: MentorKind::parse(&self.mentor_kind)
                .map_err(|_| unreadable("导师类型"))?,
            status: MentoringStatus::parse(&self.status).map_err(|_| unreadable("状态"))?,
            outcome: match self.outcome.as_deref() {
                Some(code) => Some(Outcome::parse(code).map_err(|_| unreadable("结束结果"))?),
                None => None,
            },
            id,
            business_id: self.business_id,
            business_name: self.business_name,
            street_code: self.street_code,
            opened_by: self.opened_by,
            chosen_note: self.chosen_note,
            selection_entry_id: self.selection_entry_id,
            showcase_case_id: self.showcase_case_id,
            started_on: self.started_on,
            expert_id: self.expert_id,
            mentor_name: self.mentor_name,
            mentor_organisation: self.mentor_organisation,
            fund_joins: self.fund_joins,
            ended_on: self.ended_on,
            end_note: self.end_note,
            milestones: self.milestones,
            milestones_done: self.milestones_done,
            visits: self.visits,
            financing_contacts: self.financing_contacts,
        })
    }
}

const MENTORING_SELECT: &str = "SELECT m.id, m.business_id, b.name AS business_name, b.street_code, m.opened_by, \
     m.chosen_for, m.chosen_note, m.selection_entry_id, m.showcase_case_id, m.started_on, m.mentor_kind, m.expert_id, \
     COALESCE(e.name, m.instructor_name) AS mentor_name, COALESCE(e.organisation, m.instructor_org) AS mentor_organisation, \
     m.fund_joins, m.status, m.outcome, m.ended_on, m.end_note, \
     (SELECT COUNT(*) FROM mentoring_milestones x WHERE x.mentoring_id = m.id) AS milestones, \
     (SELECT COUNT(*) FROM mentoring_milestones x WHERE x.mentoring_id = m.id AND x.done_on IS NOT NULL) AS milestones_done, \
     (SELECT COUNT(*) FROM mentoring_visits x WHERE x.mentoring_id = m.id) AS visits, \
     (SELECT COUNT(*) FROM mentoring_financing x WHERE x.mentoring_id = m.id) AS financing_contacts \
     FROM mentorings m JOIN businesses b ON b.id = m.business_id LEFT JOIN experts e ON e.id = m.expert_id";

/// `$1`–`$2` the days started, `$3` status, `$4` street, `$5` opening unit ('' any), `$6`
/// business, `$7` founder (0 any); the scope: `$8` its unit ('' all), `$9` its street ('' none),
/// `$10` 1 when it reads what the fund joined.
const MENTORING_WHERE: &str = " WHERE m.started_on >= $1 AND m.started_on <= $2 \
     AND ($3 = '' OR m.status = $3) AND ($4 = '' OR b.street_code = $4) AND ($5 = '' OR m.opened_by = $5) \
     AND ($6 = 0 OR m.business_id = $6) \
     AND ($7 = 0 OR m.business_id IN (SELECT f.business_id FROM business_founders f WHERE f.person_id = $7)) \
     AND ($8 = '' OR m.opened_by = $8 OR b.street_code = $9 OR ($10 = 1 AND m.fund_joins))";

/// The days of `year`, or of all time.
fn days_of(year: Option<i32>) -> (NaiveDate, NaiveDate) {
    let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default();
    match year {
        Some(y) => (day(y, 1, 1), day(y, 12, 31)),
        None => (day(1900, 1, 1), day(9999, 12, 31)),
    }
}

/// The scope's bounds for [`MENTORING_WHERE`]: (unit, street, fund).
fn scope_bounds(scope: &MentoringScope) -> (String, String, i64) {
    match scope {
        MentoringScope::Unit { unit, street, fund } => (
            unit.clone(),
            if *street { unit.clone() } else { String::new() },
            i64::from(*fund),
        ),
        MentoringScope::All | MentoringScope::Nothing => (String::new(), String::new(), 0),
    }
}

const DENIED: &str = "只能查看本单位发起、本街道主体或本单位参与的跟踪陪跑";

impl Store {
    async fn mentoring_rows(
        &self,
        filter: &MentoringFilter,
        scope: &MentoringScope,
    ) -> Result<Vec<Mentoring>> {
        let (from, to) = days_of(filter.year);
        let (unit, street, fund) = scope_bounds(scope);
        let rows: Vec<MentoringRow> = on_db!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "{MENTORING_SELECT}{MENTORING_WHERE} ORDER BY m.started_on DESC, m.id DESC LIMIT 2000"
        )))
        .bind(from)
        .bind(to)
        .bind(filter.status.map_or("", |s| s.code()))
        .bind(filter.street.as_deref().unwrap_or_default())
        .bind(filter.unit.as_deref().unwrap_or_default())
        .bind(filter.business.unwrap_or(0))
        .bind(filter.person.unwrap_or(0))
        .bind(unit)
        .bind(street)
        .bind(fund)
        .fetch_all(pool)
        .await?);
        rows.into_iter().map(MentoringRow::view).collect()
    }

    /// The mentorings the actor reads that match `filter`, latest start first; a street
    /// asking for another street's, or an actor reading none, is refused and audited.
    pub async fn mentorings(
        &self,
        plan: &Plan,
        actor: &Actor,
        filter: &MentoringFilter,
        ip: &str,
    ) -> Result<Vec<Mentoring>> {
        let scope = actor.mentoring_scope(plan);
        let asked = filter.street.as_deref();
        if scope == MentoringScope::Nothing || asked.is_some_and(|s| !scope.reaches_street(s)) {
            let target = format!("mentoring:street:{}", asked.unwrap_or_default());
            return Err(self.deny(actor, target, DENIED, ip).await);
        }
        self.mentoring_rows(filter, &scope).await
    }

    /// The same list for a download, the export audited.
    pub async fn export_mentorings(
        &self,
        plan: &Plan,
        actor: &Actor,
        filter: &MentoringFilter,
        ip: &str,
    ) -> Result<Vec<Mentoring>> {
        let rows = self.mentorings(plan, actor, filter, ip).await?;
        self.audit(
            AuditEvent::new("mentoring.export", "export:mentorings")
                .by(Some(actor.user_id), &actor.username)
                .detail(format!("{} 行", rows.len()))
                .from_ip(ip),
        )
        .await?;
        Ok(rows)
    }

    /// The mentorings of a resident's or a business's page, as far as the actor reads: none
    /// when it reads none.
    pub async fn mentorings_about(
        &self,
        plan: &Plan,
        actor: &Actor,
        filter: &MentoringFilter,
    ) -> Result<Vec<Mentoring>> {
        match actor.mentoring_scope(plan) {
            MentoringScope::Nothing => Ok(Vec::new()),
            scope => self.mentoring_rows(filter, &scope).await,
        }
    }

    /// One mentoring as stored (no access check: callers check).
    async fn stored_mentoring(&self, id: i64) -> Result<Mentoring> {
        let row: Option<MentoringRow> = on_db!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "{MENTORING_SELECT} WHERE m.id = $1"
        )))
        .bind(id)
        .fetch_optional(pool)
        .await?);
        row.ok_or_else(|| Error::not_found("该跟踪陪跑不存在"))?
            .view()
    }

    /// One mentoring with its milestones, visits and financing contacts, if the actor reads
    /// it; refused and audited otherwise.
    pub async fn mentoring(
        &self,
        plan: &Plan,
        actor: &Actor,
        id: i64,
        ip: &str,
    ) -> Result<MentoringDetail> {
        let mentoring = self.stored_mentoring(id).await?;
        let scope = actor.mentoring_scope(plan);
        if !scope.reaches(
            &mentoring.opened_by,
            &mentoring.street_code,
            mentoring.fund_joins,
        ) {
            return Err(self
                .deny(actor, format!("mentoring:{id}"), DENIED, ip)
                .await);
        }
        Ok(MentoringDetail {
            milestones: self.milestones_of(id).await?,
            visits: self.visits_of(id).await?,
            financing: self.financing_of(id).await?,
            mentoring,
        })
    }

    /// The mentorings `unit` opened that started in `year`: the rows behind its 2.3.2
    /// figure, for readers of the unit's records.
    pub async fn started_mentorings(
        &self,
        actor: &Actor,
        unit: &str,
        year: i32,
        ip: &str,
    ) -> Result<Vec<Mentoring>> {
        if !actor.may_read_records_of(unit) {
            let target = format!("mentoring:{unit}");
            return Err(self.deny(actor, target, "只能查看本单位的明细", ip).await);
        }
        let filter = MentoringFilter {
            year: Some(year),
            unit: Some(unit.to_owned()),
            ..MentoringFilter::default()
        };
        self.mentoring_rows(&filter, &MentoringScope::All).await
    }

    /// Mentorings started within [from, to]: (id, opening unit, start day), the reference
    /// the tallies are held to.
    pub(crate) async fn started_mentorings_from_rows(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<(i64, String, NaiveDate)>> {
        Ok(on_db!(self, pool => sqlx::query_as(
            "SELECT id, opened_by, started_on FROM mentorings WHERE started_on >= $1 AND started_on <= $2",
        )
        .bind(from)
        .bind(to)
        .fetch_all(pool)
        .await?))
    }

    /// The expert's standing in the pool, if they are in it at all.
    async fn expert_standing(&self, id: i64) -> Result<Option<ExpertStatus>> {
        let status: Option<String> = on_db!(self, pool => sqlx::query_scalar(
            "SELECT status FROM experts WHERE id = $1"
        )
        .bind(id)
        .fetch_optional(pool)
        .await?);
        Ok(status.and_then(|s| ExpertStatus::parse(&s).ok()))
    }

    /// The business's latest selection entry and showcase case: what a mentoring chosen from
    /// either links to.
    async fn chosen_from(
        &self,
        business: i64,
        chosen_for: ChosenFor,
    ) -> Result<(Option<i64>, Option<i64>)> {
        let table = match chosen_for {
            ChosenFor::Selection => "selection_entries",
            ChosenFor::Showcase => "showcase_cases",
            ChosenFor::StreetReferral | ChosenFor::Other => return Ok((None, None)),
        };
        let latest: Option<i64> = on_db!(self, pool => sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT MAX(id) FROM {table} WHERE business_id = $1"
        )))
        .bind(business)
        .fetch_one(pool)
        .await?);
        Ok(match chosen_for {
            ChosenFor::Selection => (latest, None),
            _ => (None, latest),
        })
    }

    /// The mentoring as typed in, checked; the business must exist, be within the actor's
    /// reach (a street: its own), trade, be licensed by the start and not be mentored already;
    /// an expert mentor must be in the pool.
    async fn checked_mentoring(
        &self,
        plan: &Plan,
        actor: &Actor,
        draft: &MentoringDraft,
        ip: &str,
    ) -> Result<ValidMentoring> {
        let today = local_date(self.now());
        let valid = validate_mentoring(draft, today).map_err(Error::Fields)?;
        let business = match self.stored_business(valid.business_id).await {
            Ok(business) => business,
            Err(Error::NotFound(message)) => {
                return Err(Error::Fields(vec![FieldError {
                    field: "创业主体",
                    message,
                }]));
            }
            Err(e) => return Err(e),
        };
        if !actor.may_open_mentoring(plan, &business.street_code) {
            let target = format!("business:{}", business.id);
            let why = "街道只能为本街道的返区创业主体发起跟踪陪跑";
            return Err(self.deny(actor, target, why, ip).await);
        }
        let running = self
            .mentoring_rows(
                &MentoringFilter {
                    business: Some(business.id),
                    status: Some(MentoringStatus::Active),
                    ..MentoringFilter::default()
                },
                &MentoringScope::All,
            )
            .await?
            .len();
        let one = |e: FieldError| Error::Fields(vec![e]);
        may_start(
            business.status,
            business.licensed_on,
            valid.started_on,
            running,
        )
        .map_err(one)?;
        if let Mentor::Expert(expert) = valid.mentor {
            expert_mentors(self.expert_standing(expert).await?).map_err(one)?;
        }
        Ok(valid)
    }

    /// Opens a mentoring for the actor's own unit; it counts toward 2.3.2 on its start day.
    /// One transaction with its tally and audit row.
    pub async fn open_mentoring(
        &self,
        plan: &Plan,
        actor: &Actor,
        draft: &MentoringDraft,
        ip: &str,
    ) -> Result<i64> {
        let Some(unit) = actor.mentoring_opener(plan) else {
            let why = "只有区人社局和任务 2.3.2 的配合单位可以发起跟踪陪跑";
            return Err(self.deny(actor, "mentoring".into(), why, ip).await);
        };
        let valid = self.checked_mentoring(plan, actor, draft, ip).await?;
        let links = self
            .chosen_from(valid.business_id, valid.chosen_for)
            .await?;
        let now = self.now();
        let new = NewMentoring {
            valid: &valid,
            opened_by: unit,
            links,
            user_id: actor.user_id,
            now,
        };
        let event = AuditEvent::new("mentoring.open", format!("business:{}", valid.business_id))
            .by(Some(actor.user_id), &actor.username)
            .detail(format!("跟踪陪跑，{} 开始", valid.started_on))
            .from_ip(ip);
        let keys = [DayKey::new(Kind::Mentoring, "", unit, valid.started_on)];
        let _guard = self.write_lock.lock().await;
        Ok(on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let id = tx.insert_mentoring(&new).await?;
            tx.refresh_figures(&keys).await?;
            tx.append_audit(now, &event).await?;
            tx.commit().await?;
            id
        }))
    }
}
