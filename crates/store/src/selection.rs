//! The yearly selection round of returnee start-up projects (2.5.2): a unit recommends a
//! returnee business's project for itself (a street only its own street's businesses), the
//! lead of the entry's route (区人社局, or 区农业农村局 for 涉农 entries) shortlists, sends the
//! shortlist upward on a day and records the outcome. A recommendation counts toward 2.5.2 for
//! its unit on the recommendation day: the recommendation writes the entry, its tally and the
//! audit row in one transaction. Who reads which entries is `core::access`'s `selection_scope`.

use chrono::{DateTime, NaiveDate, Utc};
use linkong_core::access::{Actor, CaseScope};
use linkong_core::businesses::BusinessForm;
use linkong_core::field::FieldError;
use linkong_core::plan::Plan;
use linkong_core::selection::{
    EntryDraft, EntryStatus, EntryStep, Route, outcome_note, pass_note, recommendable, round_year,
    route_of, sent_up_day, validate_entry,
};
use linkong_core::time::local_date;
use serde::Serialize;
use sqlx::{PgConnection, SqliteConnection};

use crate::audit::{AuditAppend, AuditEvent};
use crate::figures::{DayKey, FigureWrite, Kind};
use crate::{BeginWrite, Error, Result, Store, on_db};

/// An entry of a selection round, with what it shows of its business.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SelectionEntry {
    pub id: i64,
    pub year: i32,
    pub business_id: i64,
    pub business_name: String,
    pub street_code: String,
    /// GB/T 4754 section letter of the business.
    pub section: String,
    pub forms: Vec<BusinessForm>,
    /// The business's first founder.
    pub founder: String,
    pub recommender: String,
    pub title: String,
    pub reason: String,
    pub route: Route,
    pub status: EntryStatus,
    pub recommended_on: NaiveDate,
    pub shortlisted_on: Option<NaiveDate>,
    pub pass_note: String,
    pub sent_on: Option<NaiveDate>,
    pub decided_on: Option<NaiveDate>,
    pub outcome_note: String,
}

/// Filters of an entry list; the actor's scope narrows it further.
#[derive(Debug, Clone, Default)]
pub struct EntryFilter {
    pub year: Option<i32>,
    pub street: Option<String>,
    pub recommender: Option<String>,
    pub route: Option<Route>,
    pub status: Option<EntryStatus>,
    pub business: Option<i64>,
    /// Entries of the businesses this resident founded.
    pub founder: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct EntryRow {
    id: i64,
    year: i64,
    business_id: i64,
    business_name: String,
    street_code: String,
    section: String,
    forms: String,
    founder: Option<String>,
    recommender: String,
    title: String,
    reason: String,
    route: String,
    status: String,
    recommended_on: NaiveDate,
    shortlisted_on: Option<NaiveDate>,
    pass_note: String,
    sent_on: Option<NaiveDate>,
    decided_on: Option<NaiveDate>,
    outcome_note: String,
}

/// The new business forms stored as codes separated by commas (unknown ones left out).
pub(crate) fn stored_forms(codes: &str) -> Vec<BusinessForm> {
    codes
        .split(',')
        .filter_map(|c| BusinessForm::parse(c).ok())
        .collect()
}

impl EntryRow {
    fn view(self) -> Result<SelectionEntry> {
        let id = self.id;
        let unreadable = |what: &str| Error::Config(format!("遴选项目 {id} 的{what}无法识别"));
        Ok(SelectionEntry {
            route: Route::parse(&self.route).map_err(|_| unreadable("归口"))?,
            status: EntryStatus::parse(&self.status).map_err(|_| unreadable("状态"))?,
            id,
            year: i32::try_from(self.year).map_err(|_| unreadable("年度"))?,
            business_id: self.business_id,
            business_name: self.business_name,
            street_code: self.street_code,
            section: self.section,
            forms: stored_forms(&self.forms),
            founder: self.founder.unwrap_or_default(),
            recommender: self.recommender,
            title: self.title,
            reason: self.reason,
            recommended_on: self.recommended_on,
            shortlisted_on: self.shortlisted_on,
            pass_note: self.pass_note,
            sent_on: self.sent_on,
            decided_on: self.decided_on,
            outcome_note: self.outcome_note,
        })
    }
}

const ENTRY_SELECT: &str = "SELECT e.id, e.year, e.business_id, b.name AS business_name, b.street_code, \
     b.section, b.forms, (SELECT p.name FROM business_founders f JOIN persons p ON p.id = f.person_id \
     WHERE f.business_id = b.id ORDER BY f.position LIMIT 1) AS founder, e.recommender, e.title, e.reason, \
     e.route, e.status, e.recommended_on, e.shortlisted_on, e.pass_note, e.sent_on, e.decided_on, e.outcome_note \
     FROM selection_entries e JOIN businesses b ON b.id = e.business_id";

/// `$1` year (0 any), `$2` street, `$3` recommender, `$4` route, `$5` status ('' any), `$6`
/// business, `$7` founder (0 any).
const ENTRY_WHERE: &str = " WHERE ($1 = 0 OR e.year = $1) AND ($2 = '' OR b.street_code = $2) \
     AND ($3 = '' OR e.recommender = $3) AND ($4 = '' OR e.route = $4) AND ($5 = '' OR e.status = $5) \
     AND ($6 = 0 OR e.business_id = $6) \
     AND ($7 = 0 OR e.business_id IN (SELECT f.business_id FROM business_founders f WHERE f.person_id = $7))";

/// The list's street and recommender as the scope allows, or what was asked beyond it.
pub(crate) fn scoped(
    scope: &CaseScope,
    street: Option<&str>,
    recommender: Option<&str>,
) -> std::result::Result<(String, String), String> {
    let asked = |s: Option<&str>| s.unwrap_or_default().to_owned();
    match scope {
        CaseScope::All => Ok((asked(street), asked(recommender))),
        CaseScope::Street(own) if street.is_none_or(|s| s == own) => {
            Ok((own.clone(), asked(recommender)))
        }
        CaseScope::Street(_) => Err(format!("street:{}", asked(street))),
        CaseScope::RecommendedBy(own) if recommender.is_none_or(|r| r == own) => {
            Ok((asked(street), own.clone()))
        }
        CaseScope::RecommendedBy(_) => Err(format!("recommender:{}", asked(recommender))),
        CaseScope::Nothing => Err(String::new()),
    }
}

impl Store {
    async fn entry_rows(
        &self,
        filter: &EntryFilter,
        street: &str,
        unit: &str,
    ) -> Result<Vec<SelectionEntry>> {
        let rows: Vec<EntryRow> = on_db!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "{ENTRY_SELECT}{ENTRY_WHERE} ORDER BY e.recommended_on DESC, e.id DESC LIMIT 2000"
        )))
        .bind(i64::from(filter.year.unwrap_or(0)))
        .bind(street)
        .bind(unit)
        .bind(filter.route.map_or("", |r| r.code()))
        .bind(filter.status.map_or("", |s| s.code()))
        .bind(filter.business.unwrap_or(0))
        .bind(filter.founder.unwrap_or(0))
        .fetch_all(pool)
        .await?);
        rows.into_iter().map(EntryRow::view).collect()
    }

    /// The entries the actor reads that match `filter`, newest first; asking beyond the
    /// actor's scope, or having none, is refused and audited.
    pub async fn selection_entries(
        &self,
        plan: &Plan,
        actor: &Actor,
        filter: &EntryFilter,
        ip: &str,
    ) -> Result<Vec<SelectionEntry>> {
        let scope = actor.selection_scope(plan);
        match scoped(
            &scope,
            filter.street.as_deref(),
            filter.recommender.as_deref(),
        ) {
            Ok((street, unit)) => self.entry_rows(filter, &street, &unit).await,
            Err(target) => Err(self
                .deny(
                    actor,
                    format!("selection:{target}"),
                    "只能查看本街道或本单位推荐的遴选项目",
                    ip,
                )
                .await),
        }
    }

    /// The entries about a resident's or a business's own businesses, as far as the actor
    /// reads (for the person's and the business's pages): none when it reads none.
    pub async fn selection_entries_about(
        &self,
        plan: &Plan,
        actor: &Actor,
        filter: &EntryFilter,
    ) -> Result<Vec<SelectionEntry>> {
        match scoped(&actor.selection_scope(plan), None, None) {
            Ok((street, unit)) => self.entry_rows(filter, &street, &unit).await,
            Err(_) => Ok(Vec::new()),
        }
    }

    async fn stored_entry(&self, id: i64) -> Result<SelectionEntry> {
        let row: Option<EntryRow> = on_db!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "{ENTRY_SELECT} WHERE e.id = $1"
        )))
        .bind(id)
        .fetch_optional(pool)
        .await?);
        row.ok_or_else(|| Error::not_found("该遴选项目不存在"))?
            .view()
    }

    /// One entry, if the actor reads it; refused and audited otherwise.
    pub async fn selection_entry(
        &self,
        plan: &Plan,
        actor: &Actor,
        id: i64,
        ip: &str,
    ) -> Result<SelectionEntry> {
        let entry = self.stored_entry(id).await?;
        if actor
            .selection_scope(plan)
            .reaches(&entry.street_code, &entry.recommender)
        {
            return Ok(entry);
        }
        Err(self
            .deny(
                actor,
                format!("selection:{id}"),
                "只能查看本街道或本单位推荐的遴选项目",
                ip,
            )
            .await)
    }

    /// The entries `unit` recommended in `year`: the rows behind its 2.5.2 figure. Only
    /// readers of the unit's records see them.
    pub async fn recommended_entries(
        &self,
        actor: &Actor,
        unit: &str,
        year: i32,
        ip: &str,
    ) -> Result<Vec<SelectionEntry>> {
        if !actor.may_read_records_of(unit) {
            return Err(self
                .deny(
                    actor,
                    format!("selection:{unit}"),
                    "只能查看本单位的明细",
                    ip,
                )
                .await);
        }
        let filter = EntryFilter {
            year: Some(year),
            ..EntryFilter::default()
        };
        let mut rows = self.entry_rows(&filter, "", unit).await?;
        rows.sort_by_key(|e| (e.recommended_on, e.id));
        Ok(rows)
    }

    /// Entries recommended within [from, to]: (id, unit, day), the reference the tallies are
    /// held to.
    pub(crate) async fn recommended_entries_from_rows(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<(i64, String, NaiveDate)>> {
        Ok(on_db!(self, pool => sqlx::query_as(
            "SELECT id, recommender, recommended_on FROM selection_entries \
             WHERE recommended_on >= $1 AND recommended_on <= $2",
        )
        .bind(from)
        .bind(to)
        .fetch_all(pool)
        .await?))
    }

    /// Recommends a returnee business's project to this year's round, for the actor's own
    /// unit; it counts toward 2.5.2 from today. One transaction with its tally and audit row.
    pub async fn recommend_project(
        &self,
        plan: &Plan,
        actor: &Actor,
        draft: &EntryDraft,
        ip: &str,
    ) -> Result<i64> {
        let Some(unit) = actor.selection_recommender(plan) else {
            return Err(self
                .deny(
                    actor,
                    "selection".into(),
                    "只有承担项目遴选推荐任务的单位可以推荐",
                    ip,
                )
                .await);
        };
        let valid = validate_entry(draft).map_err(Error::Fields)?;
        let business = match self.stored_business(valid.business_id).await {
            Ok(business) => business,
            Err(Error::NotFound(message)) => return Err(field("创业主体", message)),
            Err(e) => return Err(e),
        };
        if !actor.may_recommend_selection(plan, &business.street_code) {
            return Err(self
                .deny(
                    actor,
                    format!("business:{}", business.id),
                    "街道只能推荐本街道的返区创业主体",
                    ip,
                )
                .await);
        }
        let today = local_date(self.now());
        let year = round_year(plan, today).map_err(Error::Conflict)?;
        let taken: Option<String> = on_db!(self, pool => sqlx::query_scalar(
            "SELECT recommender FROM selection_entries WHERE year = $1 AND business_id = $2"
        )
        .bind(i64::from(year))
        .bind(business.id)
        .fetch_optional(pool)
        .await?);
        let taken = taken.map(|code| plan.unit(&code).map_or(code.clone(), |u| u.name.clone()));
        recommendable(business.status, taken.as_deref()).map_err(|e| Error::Fields(vec![e]))?;
        let section = business.section.chars().next().unwrap_or(' ');
        let new = NewEntry {
            year,
            business_id: business.id,
            recommender: unit,
            title: &valid.title,
            reason: &valid.reason,
            route: route_of(section, &business.forms),
            user_id: actor.user_id,
            now: self.now(),
        };
        let event = AuditEvent::new("selection.recommend", format!("business:{}", business.id))
            .by(Some(actor.user_id), &actor.username)
            .detail(format!(
                "{year} 年遴选：{}（{}）",
                valid.title, business.name
            ))
            .from_ip(ip);
        let keys = [DayKey::new(Kind::Selection, "", unit, today)];
        let _guard = self.write_lock.lock().await;
        Ok(on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let id = tx.insert_entry(&new).await?;
            tx.refresh_figures(&keys).await?;
            tx.append_audit(new.now, &event).await?;
            tx.commit().await?;
            id
        }))
    }

    /// Refuses (and audits) an actor who does not lead `route`.
    async fn check_leads(
        &self,
        plan: &Plan,
        actor: &Actor,
        route: Route,
        target: String,
        ip: &str,
    ) -> Result<()> {
        if actor.may_lead_selection(plan, route) {
            return Ok(());
        }
        let lead = plan
            .unit(route.lead())
            .map_or(route.lead(), |u| u.name.as_str());
        Err(self
            .deny(
                actor,
                target,
                &format!("{}项目由{lead}汇总、入围和报送", route.label()),
                ip,
            )
            .await)
    }

    /// Shortlists an entry, passes it over with a reason, or records its outcome once it was
    /// sent up: the lead of its route only.
    pub async fn move_selection_entry(
        &self,
        plan: &Plan,
        actor: &Actor,
        id: i64,
        step: &EntryStep,
        ip: &str,
    ) -> Result<()> {
        let entry = self.stored_entry(id).await?;
        self.check_leads(plan, actor, entry.route, format!("selection:{id}"), ip)
            .await?;
        let one = |e: FieldError| Error::Fields(vec![e]);
        let step = match step {
            EntryStep::Pass { note } => EntryStep::Pass {
                note: pass_note(note).map_err(one)?,
            },
            EntryStep::Outcome { selected, note } => EntryStep::Outcome {
                selected: *selected,
                note: outcome_note(note).map_err(one)?,
            },
            EntryStep::SendUp { .. } => {
                return Err(Error::Conflict("入围项目按归口一并报送上级".into()));
            }
            EntryStep::Shortlist => EntryStep::Shortlist,
        };
        let next = entry.status.after(&step).map_err(Error::Conflict)?;
        let now = self.now();
        let event = AuditEvent::new("selection.move", format!("selection:{id}"))
            .by(Some(actor.user_id), &actor.username)
            .detail(format!("{}：{}", step.label(), entry.title))
            .from_ip(ip);
        let _guard = self.write_lock.lock().await;
        on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            tx.move_entry(id, next, &step, now).await?;
            tx.append_audit(now, &event).await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// Sends the shortlist of `route` in the round of `year` upward on the day typed in (报送
    /// 上级): every shortlisted entry of that route moves on together. How many went.
    pub async fn send_shortlist_up(
        &self,
        plan: &Plan,
        actor: &Actor,
        (year, route): (i32, Route),
        on: &str,
        ip: &str,
    ) -> Result<u64> {
        self.check_leads(
            plan,
            actor,
            route,
            format!("selection:{year}:{}", route.code()),
            ip,
        )
        .await?;
        if !plan.years().contains(&year) {
            return Err(field("年度", format!("{year} 年不在行动方案之内")));
        }
        let today = local_date(self.now());
        let day = sent_up_day(on, year, today).map_err(|e| Error::Fields(vec![e]))?;
        let now = self.now();
        let event = AuditEvent::new(
            "selection.send_up",
            format!("selection:{year}:{}", route.code()),
        )
        .by(Some(actor.user_id), &actor.username)
        .detail(format!(
            "{year} 年{}入围项目于 {day} 报送上级",
            route.label()
        ))
        .from_ip(ip);
        let _guard = self.write_lock.lock().await;
        let sent = on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let sent = tx.send_up(year, route, day, now).await?;
            if sent > 0 {
                tx.append_audit(now, &event).await?;
                tx.commit().await?;
            }
            sent
        });
        if sent == 0 {
            return Err(Error::Conflict(format!(
                "{year} 年{}项目没有待报送的入围项目",
                route.label()
            )));
        }
        Ok(sent)
    }
}

/// A store error naming one field.
fn field(field: &'static str, message: String) -> Error {
    Error::Fields(vec![FieldError { field, message }])
}

/// A recommendation as it is written.
struct NewEntry<'a> {
    year: i32,
    business_id: i64,
    recommender: &'a str,
    title: &'a str,
    reason: &'a str,
    route: Route,
    user_id: i64,
    now: DateTime<Utc>,
}

/// The writes of the selection round, inside the caller's transaction so that the entry, its
/// tally and the audit row commit together.
trait EntryWrite {
    async fn insert_entry(&mut self, new: &NewEntry<'_>) -> Result<i64>;
    async fn move_entry(
        &mut self,
        id: i64,
        next: EntryStatus,
        step: &EntryStep,
        now: DateTime<Utc>,
    ) -> Result<()>;
    async fn send_up(
        &mut self,
        year: i32,
        route: Route,
        day: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<u64>;
}

macro_rules! impl_entry_write {
    ($conn:ty) => {
        impl EntryWrite for $conn {
            async fn insert_entry(&mut self, n: &NewEntry<'_>) -> Result<i64> {
                Ok(sqlx::query_scalar(
                    "INSERT INTO selection_entries (year, business_id, recommender, title, reason, route, status, \
                     recommended_on, shortlisted_on, pass_note, sent_on, decided_on, outcome_note, created_by, \
                     created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, 'recommended', $7, NULL, '', NULL, \
                     NULL, '', $8, $9, $9) RETURNING id",
                )
                .bind(i64::from(n.year))
                .bind(n.business_id)
                .bind(n.recommender)
                .bind(n.title)
                .bind(n.reason)
                .bind(n.route.code())
                .bind(local_date(n.now))
                .bind(n.user_id)
                .bind(n.now)
                .fetch_one(&mut *self)
                .await?)
            }

            async fn move_entry(
                &mut self,
                id: i64,
                next: EntryStatus,
                step: &EntryStep,
                now: DateTime<Utc>,
            ) -> Result<()> {
                let today = local_date(now);
                let query = match step {
                    EntryStep::Outcome { note, .. } => sqlx::query(
                        "UPDATE selection_entries SET status = $1, decided_on = $2, outcome_note = $3, \
                         updated_at = $4 WHERE id = $5",
                    )
                    .bind(next.code())
                    .bind(today)
                    .bind(note.as_str())
                    .bind(now)
                    .bind(id),
                    _ => sqlx::query(
                        "UPDATE selection_entries SET status = $1, shortlisted_on = $2, pass_note = $3, \
                         updated_at = $4 WHERE id = $5",
                    )
                    .bind(next.code())
                    .bind(today)
                    .bind(match step {
                        EntryStep::Pass { note } => note.as_str(),
                        _ => "",
                    })
                    .bind(now)
                    .bind(id),
                };
                query.execute(&mut *self).await?;
                Ok(())
            }

            async fn send_up(
                &mut self,
                year: i32,
                route: Route,
                day: NaiveDate,
                now: DateTime<Utc>,
            ) -> Result<u64> {
                let done = sqlx::query(
                    "UPDATE selection_entries SET status = $1, sent_on = $2, updated_at = $3 \
                     WHERE year = $4 AND route = $5 AND status = $6",
                )
                .bind(EntryStatus::SentUp.code())
                .bind(day)
                .bind(now)
                .bind(i64::from(year))
                .bind(route.code())
                .bind(EntryStatus::Shortlisted.code())
                .execute(&mut *self)
                .await?;
                Ok(done.rows_affected())
            }
        }
    };
}

impl_entry_write!(SqliteConnection);
impl_entry_write!(PgConnection);
