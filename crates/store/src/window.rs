//! The returnee service window (返乡创业服务专窗, task 2.3.1): the counter's log of visits,
//! questions asked on the portal waiting for an answer, referrals to departments with their
//! due dates and follow-ups until closed. Each answered visit is a figure of 2.3.1 for the unit
//! that logged or answered it, kept in the same transaction as the row.
//!
//! Scoping comes from core (`Actor::visit_scope`) and is applied in the query and again on
//! every row: a street reaches visits of its residents and of walk-ins who give its street, a
//! department what it logged or was referred, the keepers and the district's readers all.
//! Walk-ins' phones are sealed like residents' and shown masked.

use chrono::{Duration, NaiveDate};
use linkong_core::access::{Actor, Roster, VisitReach, VisitScope};
use linkong_core::field::FieldError;
use linkong_core::plan::Plan;
use linkong_core::time::local_date;
use linkong_core::window::{
    AnswerDraft, FollowUpDraft, PortalQuestion, Referral, ValidVisit, VisitDraft, VisitStatus,
    Visitor, WindowTopic, portal_question_allowed, takes_follow_ups, validate_answer,
    validate_follow_up, validate_portal_question, validate_visit, visit_status,
};
use serde::Serialize;

use crate::audit::{AuditAppend, AuditEvent};
use crate::experts::{ServiceEntry, ServiceFilter};
use crate::figures::{DayKey, FigureWrite, Kind};
use crate::{BeginWrite, Error, Result, Store, on_db};

mod write;
use write::{NewVisit, WindowWrite};

/// A visit as lists, pages and the API show it: the visitor's ID and phone masked.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Visit {
    pub id: i64,
    /// The resident, when the visitor is registered; `null` for a walk-in.
    pub person_id: Option<i64>,
    pub name: String,
    /// The resident ID masked (420112********1234); empty for a walk-in.
    pub id_masked: String,
    /// The phone masked (138****5678); empty when none was given.
    pub phone_masked: String,
    /// The resident's household street, or the street a walk-in gave (`null`: not said).
    pub street_code: Option<String>,
    pub visited_on: NaiveDate,
    pub topic: WindowTopic,
    pub question: String,
    /// Empty while a portal question waits for an answer.
    pub answer: String,
    pub from_portal: bool,
    /// The unit that logged or answered the visit (`null` while a portal question waits).
    pub logged_by: Option<String>,
    pub referred_to: Option<String>,
    pub due_on: Option<NaiveDate>,
    pub closed_on: Option<NaiveDate>,
    /// What the department did, set when it closed the referral.
    pub result: String,
    pub status: VisitStatus,
}

/// A follow-up of a referral.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct FollowUp {
    pub id: i64,
    pub done_on: NaiveDate,
    pub note: String,
    pub closes: bool,
    pub unit_code: String,
}

/// A visit with its follow-ups.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VisitDetail {
    pub visit: Visit,
    pub follow_ups: Vec<FollowUp>,
}

/// Which visits a list shows, within the actor's scope.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Listed {
    #[default]
    All,
    /// Portal questions nobody has answered yet.
    Awaiting,
    /// Referrals not yet closed.
    OpenReferrals,
    /// Referrals past their due date and not closed (core decides which).
    Overdue,
}

/// Filters of the visit list.
#[derive(Debug, Clone, Default)]
pub struct VisitFilter {
    pub year: Option<i32>,
    pub logged_by: Option<String>,
    pub referred_to: Option<String>,
    pub person_id: Option<i64>,
    /// The household street of the visitor (a walk-in: the street they gave).
    pub street: Option<String>,
    pub listed: Listed,
}

/// What a returnee got from the window and the expert pool, for their page.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ReturneeSupport {
    pub visits: Vec<Visit>,
    pub expert_services: Vec<ServiceEntry>,
}

#[derive(sqlx::FromRow)]
struct VisitRow {
    id: i64,
    person_id: Option<i64>,
    person_name: Option<String>,
    id_number_enc: Option<Vec<u8>>,
    person_phone_enc: Option<Vec<u8>>,
    person_street: Option<String>,
    visitor_name: String,
    phone_enc: Option<Vec<u8>>,
    street_code: Option<String>,
    visited_on: NaiveDate,
    topic: String,
    question: String,
    answer: String,
    from_portal: bool,
    logged_by: Option<String>,
    referred_to: Option<String>,
    due_on: Option<NaiveDate>,
    closed_on: Option<NaiveDate>,
    result: String,
}

impl VisitRow {
    fn reach(&self) -> VisitReach<'_> {
        VisitReach {
            street: self
                .person_street
                .as_deref()
                .or(self.street_code.as_deref()),
            logged_by: self.logged_by.as_deref(),
            referred_to: self.referred_to.as_deref(),
        }
    }
}

/// The select and its filters: `$1`/`$2` the days, `$3` the logging unit ('' any), `$4` the
/// scope ('all', 'unit', 'street'), `$5` the scope's unit or street, `$6` what is listed
/// ('', 'awaiting', 'open'), `$7` the referred unit ('' any), `$8` the person (0 any), `$11`
/// the visitor's street ('' any); `$9` and `$10` are the list's limit and offset.
macro_rules! visit_from {
    () => {
        " FROM window_visits v LEFT JOIN persons p ON p.id = v.person_id \
         WHERE v.visited_on >= $1 AND v.visited_on <= $2 AND ($3 = '' OR v.logged_by = $3) \
         AND ($4 = 'all' OR ($4 = 'unit' AND (v.logged_by = $5 OR v.referred_to = $5)) \
           OR ($4 = 'street' AND COALESCE(p.street_code, v.street_code) = $5)) \
         AND ($6 = '' OR ($6 = 'awaiting' AND v.logged_by IS NULL) \
           OR ($6 = 'open' AND v.referred_to IS NOT NULL AND v.closed_on IS NULL)) \
         AND ($7 = '' OR v.referred_to = $7) AND ($8 = 0 OR v.person_id = $8) \
         AND ($11 = '' OR COALESCE(p.street_code, v.street_code) = $11)"
    };
}

const VISIT_LIST: &str = concat!(
    "SELECT v.id, v.person_id, p.name AS person_name, p.id_number_enc, p.phone_enc AS person_phone_enc, \
     p.street_code AS person_street, v.visitor_name, v.phone_enc, v.street_code, v.visited_on, v.topic, \
     v.question, v.answer, v.from_portal, v.logged_by, v.referred_to, v.due_on, v.closed_on, v.result",
    visit_from!(),
    " ORDER BY v.visited_on DESC, v.id DESC LIMIT $9 OFFSET $10"
);

const VISIT_COUNT: &str = concat!(
    "SELECT COUNT(*)",
    visit_from!(),
    " AND $9 >= 0 AND $10 >= 0"
);

const VISIT_BY_ID: &str = "SELECT v.id, v.person_id, p.name AS person_name, p.id_number_enc, \
     p.phone_enc AS person_phone_enc, p.street_code AS person_street, v.visitor_name, v.phone_enc, \
     v.street_code, v.visited_on, v.topic, v.question, v.answer, v.from_portal, v.logged_by, \
     v.referred_to, v.due_on, v.closed_on, v.result \
     FROM window_visits v LEFT JOIN persons p ON p.id = v.person_id WHERE v.id = $1";

/// The bound values of [`VISIT_LIST`] and [`VISIT_COUNT`].
struct VisitArgs {
    from: NaiveDate,
    to: NaiveDate,
    logged_by: String,
    scope: &'static str,
    scope_code: String,
    listed: &'static str,
    referred_to: String,
    person_id: i64,
    street: String,
}

impl VisitArgs {
    fn of(scope: &VisitScope, filter: &VisitFilter) -> VisitArgs {
        let (scope, scope_code) = match scope {
            VisitScope::Unit(unit) => ("unit", unit.clone()),
            VisitScope::Street(street) => ("street", street.clone()),
            VisitScope::All | VisitScope::Nothing => ("all", String::new()),
        };
        let year = |y: i32, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default();
        let (from, to) = filter
            .year
            .map_or((year(2000, 1, 1), year(2999, 12, 31)), |y| {
                (year(y, 1, 1), year(y, 12, 31))
            });
        VisitArgs {
            from,
            to,
            logged_by: filter.logged_by.clone().unwrap_or_default(),
            scope,
            scope_code,
            listed: match filter.listed {
                Listed::All => "",
                Listed::Awaiting => "awaiting",
                Listed::OpenReferrals | Listed::Overdue => "open",
            },
            referred_to: filter.referred_to.clone().unwrap_or_default(),
            person_id: filter.person_id.unwrap_or(0),
            street: filter.street.clone().unwrap_or_default(),
        }
    }
}

impl Store {
    fn visit_of(&self, row: VisitRow, today: NaiveDate) -> Result<Visit> {
        let cipher = self.cipher()?;
        let masked_phone = |enc: &Option<Vec<u8>>| -> Result<String> {
            Ok(match enc {
                Some(enc) => linkong_core::phone::mask_phone(&cipher.decrypt(enc)?),
                None => String::new(),
            })
        };
        let (name, id_masked, phone_masked) = match (&row.person_name, &row.id_number_enc) {
            (Some(name), Some(id_enc)) => (
                name.clone(),
                linkong_core::resident::mask_id(&cipher.decrypt(id_enc)?),
                masked_phone(&row.person_phone_enc)?,
            ),
            _ => (
                row.visitor_name.clone(),
                String::new(),
                masked_phone(&row.phone_enc)?,
            ),
        };
        let answered = row.logged_by.is_some();
        Ok(Visit {
            id: row.id,
            person_id: row.person_id,
            name,
            id_masked,
            phone_masked,
            street_code: row.person_street.or(row.street_code),
            visited_on: row.visited_on,
            topic: WindowTopic::parse(&row.topic).unwrap_or(WindowTopic::Other),
            question: row.question,
            answer: row.answer,
            from_portal: row.from_portal,
            status: visit_status(answered, row.due_on, row.closed_on.is_some(), today),
            logged_by: row.logged_by,
            referred_to: row.referred_to,
            due_on: row.due_on,
            closed_on: row.closed_on,
            result: row.result,
        })
    }

    /// The unit that keeps the window for the actor; refused (and audited) otherwise.
    async fn window_keeper(
        &self,
        plan: &Plan,
        actor: &Actor,
        target: String,
        ip: &str,
    ) -> Result<String> {
        if actor.may_keep_window(plan) {
            return Ok(actor.unit_code.clone().unwrap_or_default());
        }
        Err(self
            .deny(
                actor,
                target,
                "只有区人社局和区行政审批局的窗口人员可以登记和答复",
                ip,
            )
            .await)
    }

    /// Logs a visit at the counter for the actor's unit (a keeper of the window).
    pub async fn log_visit(
        &self,
        plan: &Plan,
        actor: &Actor,
        draft: &VisitDraft,
        ip: &str,
    ) -> Result<i64> {
        let unit = self.window_keeper(plan, actor, "window".into(), ip).await?;
        let today = local_date(self.now());
        let visit = validate_visit(plan, draft, today).map_err(Error::Fields)?;
        let visitor = self.stored_visitor(&visit.visitor).await?;
        let now = self.now();
        let event = |id: i64| {
            AuditEvent::new("window.visit", format!("window_visit:{id}"))
                .by(Some(actor.user_id), &actor.username)
                .detail(visit_detail(&visit))
                .from_ip(ip)
        };
        let key = DayKey::new(Kind::WindowVisit, "", &unit, visit.visited_on);
        let row = NewVisit {
            visit: &visit,
            visitor: &visitor,
            logged_by: Some(&unit),
            asked_from: None,
            user_id: Some(actor.user_id),
            now,
        };
        let _guard = self.write_lock.lock().await;
        Ok(on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let id = tx.insert_visit(&row).await?;
            tx.refresh_figures(std::slice::from_ref(&key)).await?;
            tx.append_audit(now, &event(id)).await?;
            tx.commit().await?;
            id
        }))
    }

    /// The visitor as stored: a registered resident found by ID, or a walk-in with the phone
    /// sealed. An ID nobody registered is refused naming the field.
    async fn stored_visitor(&self, visitor: &Visitor) -> Result<StoredVisitor> {
        match visitor {
            Visitor::Registered(id) => match self.registered_person(id, false).await? {
                Some((person, _)) => Ok(StoredVisitor::Person(person)),
                None => Err(Error::Fields(vec![FieldError {
                    field: "身份证号码",
                    message: format!(
                        "{} 未在平台登记，请不填身份证号码，按来访人员填写姓名和电话",
                        id.masked()
                    ),
                }])),
            },
            Visitor::WalkIn {
                name,
                phone,
                street,
            } => Ok(StoredVisitor::WalkIn {
                name: name.clone(),
                phone_enc: phone
                    .as_ref()
                    .map(|p| self.cipher().map(|c| c.encrypt(p.expose())))
                    .transpose()?,
                street: street.clone(),
            }),
        }
    }

    /// A question asked on the portal (no login): it waits in the log for a keeper's answer.
    /// One address may ask only so often (core's limit), counted in the same transaction.
    pub async fn ask_window(&self, plan: &Plan, asked: &PortalQuestion, ip: &str) -> Result<i64> {
        let now = self.now();
        let visit =
            validate_portal_question(plan, asked, local_date(now)).map_err(Error::Fields)?;
        let visitor = self.stored_visitor(&visit.visitor).await?;
        let from = crate::token_digest(&format!("window:{ip}"));
        let event = |id: i64| {
            AuditEvent::new("window.portal_question", format!("window_visit:{id}"))
                .detail(visit.topic.label())
                .from_ip(ip)
        };
        let row = NewVisit {
            visit: &visit,
            visitor: &visitor,
            logged_by: None,
            asked_from: Some(&from),
            user_id: None,
            now,
        };
        let since = now - Duration::hours(1);
        let _guard = self.write_lock.lock().await;
        Ok(on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let recent = tx.questions_from(&from, since).await?;
            portal_question_allowed(recent).map_err(Error::Conflict)?;
            let id = tx.insert_visit(&row).await?;
            tx.append_audit(now, &event(id)).await?;
            tx.commit().await?;
            id
        }))
    }

    async fn visit_row(&self, id: i64) -> Result<VisitRow> {
        let row: Option<VisitRow> = on_db!(self, pool => sqlx::query_as(VISIT_BY_ID)
            .bind(id)
            .fetch_optional(pool)
            .await?);
        row.ok_or_else(|| Error::not_found(format!("来访登记 {id}")))
    }

    /// Answers a waiting portal question (a keeper), with a referral if needed: the visit then
    /// counts for the answering unit, dated on the day it was asked.
    pub async fn answer_visit(
        &self,
        plan: &Plan,
        actor: &Actor,
        id: i64,
        draft: &AnswerDraft,
        ip: &str,
    ) -> Result<()> {
        let unit = self
            .window_keeper(plan, actor, format!("window_visit:{id}"), ip)
            .await?;
        let row = self.visit_row(id).await?;
        if row.logged_by.is_some() {
            return Err(Error::Conflict("该问题已答复".into()));
        }
        let (answer, referral) =
            validate_answer(plan, draft, row.visited_on).map_err(Error::Fields)?;
        let now = self.now();
        let event = AuditEvent::new("window.answer", format!("window_visit:{id}"))
            .by(Some(actor.user_id), &actor.username)
            .detail(referral_detail(referral.as_ref()))
            .from_ip(ip);
        let key = DayKey::new(Kind::WindowVisit, "", &unit, row.visited_on);
        let _guard = self.write_lock.lock().await;
        on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            if !tx.answer_visit(id, &answer, referral.as_ref(), &unit, now).await? {
                return Err(Error::Conflict("该问题已答复".into()));
            }
            tx.refresh_figures(std::slice::from_ref(&key)).await?;
            tx.append_audit(now, &event).await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// Records a follow-up of a referral by the department it was referred to; with a result
    /// it closes the referral.
    pub async fn follow_up_visit(
        &self,
        actor: &Actor,
        id: i64,
        draft: &FollowUpDraft,
        ip: &str,
    ) -> Result<()> {
        let row = self.visit_row(id).await?;
        let referred_to = row.referred_to.clone().unwrap_or_default();
        if !actor.may_follow_up(&referred_to) {
            return Err(self
                .deny(
                    actor,
                    format!("window_visit:{id}"),
                    "只有被转办部门的人员可以登记跟进和办结",
                    ip,
                )
                .await);
        }
        takes_follow_ups(row.referred_to.is_some(), row.closed_on.is_some())
            .map_err(Error::Conflict)?;
        let today = local_date(self.now());
        let follow = validate_follow_up(draft, row.visited_on, today).map_err(Error::Fields)?;
        let now = self.now();
        let event = AuditEvent::new("window.follow_up", format!("window_visit:{id}"))
            .by(Some(actor.user_id), &actor.username)
            .detail(if follow.result.is_some() {
                "办结"
            } else {
                "跟进"
            })
            .from_ip(ip);
        let _guard = self.write_lock.lock().await;
        on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            if !tx.add_follow_up(id, &follow, &referred_to, actor.user_id, now).await? {
                return Err(Error::Conflict("该转办事项已办结，不能再登记跟进".into()));
            }
            tx.append_audit(now, &event).await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// Which visits the actor reads; refused (and audited) when none.
    async fn visit_scope(&self, plan: &Plan, actor: &Actor, ip: &str) -> Result<VisitScope> {
        let scope = actor.visit_scope(plan);
        if scope == VisitScope::Nothing {
            return Err(self
                .deny(actor, "window".into(), "无权查看返乡创业服务专窗登记", ip)
                .await);
        }
        Ok(scope)
    }

    /// One page of the visits the actor reaches, newest first, and how many match. Overdue
    /// referrals are the open ones core finds past their due date, all on one page.
    pub async fn window_visits(
        &self,
        plan: &Plan,
        actor: &Actor,
        filter: &VisitFilter,
        (page, per_page): (u32, u32),
        ip: &str,
    ) -> Result<(Vec<Visit>, i64)> {
        let scope = self.visit_scope(plan, actor, ip).await?;
        if let Some(street) = &filter.street
            && !scope.allows_street(street)
        {
            return Err(self
                .deny(
                    actor,
                    format!("street:{street}"),
                    "只能查看本街道户籍人员的来访",
                    ip,
                )
                .await);
        }
        let overdue = filter.listed == Listed::Overdue;
        let (limit, offset) = if overdue {
            (i64::MAX, 0)
        } else {
            let per_page = i64::from(per_page);
            (per_page, i64::from(page.saturating_sub(1)) * per_page)
        };
        let (rows, total) = self
            .visit_rows(&VisitArgs::of(&scope, filter), limit, offset)
            .await?;
        let today = local_date(self.now());
        let visits: Vec<Visit> = rows
            .into_iter()
            .filter(|r| scope.reaches(r.reach()))
            .map(|r| self.visit_of(r, today))
            .collect::<Result<_>>()?;
        if overdue {
            let late: Vec<Visit> = visits
                .into_iter()
                .filter(|v| v.status == VisitStatus::Overdue)
                .collect();
            let count = late.len() as i64;
            return Ok((late, count));
        }
        Ok((visits, total))
    }

    /// Every visit of the filter the actor reaches, for export (phones and IDs masked), audited
    /// with the row count.
    pub async fn export_window_visits(
        &self,
        plan: &Plan,
        actor: &Actor,
        filter: &VisitFilter,
        ip: &str,
    ) -> Result<Vec<Visit>> {
        let (visits, _) = self
            .window_visits(plan, actor, filter, (1, 1_000_000), ip)
            .await?;
        self.audit(
            AuditEvent::new("window.export", "export:window_visits")
                .by(Some(actor.user_id), &actor.username)
                .detail(format!("{} 行，号码已脱敏", visits.len()))
                .from_ip(ip),
        )
        .await?;
        Ok(visits)
    }

    async fn visit_rows(
        &self,
        a: &VisitArgs,
        limit: i64,
        offset: i64,
    ) -> Result<(Vec<VisitRow>, i64)> {
        // Both statements take the same eleven arguments (the count ignores the page).
        macro_rules! bound {
            ($query:expr) => {
                $query
                    .bind(a.from)
                    .bind(a.to)
                    .bind(&a.logged_by)
                    .bind(a.scope)
                    .bind(&a.scope_code)
                    .bind(a.listed)
                    .bind(&a.referred_to)
                    .bind(a.person_id)
                    .bind(limit)
                    .bind(offset)
                    .bind(&a.street)
            };
        }
        Ok(on_db!(self, pool => {
            let rows: Vec<VisitRow> = bound!(sqlx::query_as(VISIT_LIST)).fetch_all(pool).await?;
            let total: i64 = bound!(sqlx::query_scalar(VISIT_COUNT)).fetch_one(pool).await?;
            (rows, total)
        }))
    }

    /// The visit's row, if the actor reaches it; an attempt outside is refused and audited.
    async fn reachable_visit_row(
        &self,
        plan: &Plan,
        actor: &Actor,
        id: i64,
        ip: &str,
    ) -> Result<VisitRow> {
        let scope = self.visit_scope(plan, actor, ip).await?;
        let row = self.visit_row(id).await?;
        if !scope.reaches(row.reach()) {
            return Err(self
                .deny(
                    actor,
                    format!("window_visit:{id}"),
                    "只能查看本街道户籍人员或本单位经办、被转办的来访",
                    ip,
                )
                .await);
        }
        Ok(row)
    }

    /// The whole phone number a walk-in left at the window (`None`: none left), for a user
    /// who reaches the visit and may see numbers in clear; audited. A registered visitor's
    /// numbers are shown on their page in the registry, not here.
    pub async fn unmask_walk_in_phone(
        &self,
        plan: &Plan,
        actor: &Actor,
        id: i64,
        ip: &str,
    ) -> Result<Option<String>> {
        let row = self.reachable_visit_row(plan, actor, id, ip).await?;
        if row.person_id.is_some() {
            return Err(Error::Conflict(
                "登记人员的完整号码请在其人员页面查看".into(),
            ));
        }
        self.check_may_unmask(actor, format!("window_visit:{id}"), ip)
            .await?;
        let phone = match &row.phone_enc {
            Some(enc) => Some(self.cipher()?.decrypt(enc)?),
            None => None,
        };
        self.audit(
            AuditEvent::new("window_visit.unmask", format!("window_visit:{id}"))
                .by(Some(actor.user_id), &actor.username)
                .from_ip(ip),
        )
        .await?;
        Ok(phone)
    }

    /// One visit with its follow-ups, if the actor reaches it; an attempt outside is refused
    /// and audited.
    pub async fn window_visit(
        &self,
        plan: &Plan,
        actor: &Actor,
        id: i64,
        ip: &str,
    ) -> Result<VisitDetail> {
        let row = self.reachable_visit_row(plan, actor, id, ip).await?;
        let follow_ups: Vec<FollowUp> = on_db!(self, pool => sqlx::query_as(
            "SELECT id, done_on, note, closes, unit_code FROM window_follow_ups WHERE visit_id = $1 ORDER BY done_on, id"
        )
        .bind(id)
        .fetch_all(pool)
        .await?);
        Ok(VisitDetail {
            visit: self.visit_of(row, local_date(self.now()))?,
            follow_ups,
        })
    }

    /// A returnee's window visits and expert services, for their page: the resident must be
    /// within the actor's reach in the out-migrant registry (else refused and audited), and
    /// each list keeps only what the actor's scope of it reaches.
    pub async fn returnee_support(
        &self,
        plan: &Plan,
        actor: &Actor,
        person_id: i64,
        ip: &str,
    ) -> Result<ReturneeSupport> {
        let street: Option<String> = on_db!(self, pool => sqlx::query_scalar(
            "SELECT street_code FROM persons WHERE id = $1"
        )
        .bind(person_id)
        .fetch_optional(pool)
        .await?);
        let street = street.ok_or_else(|| Error::not_found(format!("人员 {person_id}")))?;
        let people = actor.people_scope(plan, Roster::Migrants);
        self.check_reach(actor, &people, &street, format!("person:{person_id}"), ip)
            .await?;
        let mut support = ReturneeSupport::default();
        let scope = actor.visit_scope(plan);
        if scope != VisitScope::Nothing {
            let filter = VisitFilter {
                person_id: Some(person_id),
                ..VisitFilter::default()
            };
            let (rows, _) = self
                .visit_rows(&VisitArgs::of(&scope, &filter), 200, 0)
                .await?;
            let today = local_date(self.now());
            support.visits = rows
                .into_iter()
                .filter(|r| scope.reaches(r.reach()))
                .map(|r| self.visit_of(r, today))
                .collect::<Result<_>>()?;
        }
        if actor.expert_service_scope(plan) != linkong_core::access::ServiceScope::Nothing {
            let filter = ServiceFilter {
                person_id: Some(person_id),
                ..ServiceFilter::default()
            };
            support.expert_services = self.expert_services(plan, actor, &filter, ip).await?;
        }
        Ok(support)
    }
}

/// The visitor as the row keeps them.
pub(crate) enum StoredVisitor {
    Person(i64),
    WalkIn {
        name: String,
        phone_enc: Option<Vec<u8>>,
        street: Option<String>,
    },
}

/// An audit line for a visit: its topic and referral, never the visitor's data.
fn visit_detail(visit: &ValidVisit) -> String {
    format!(
        "{}；{}",
        visit.topic.label(),
        referral_detail(visit.referral.as_ref())
    )
}

fn referral_detail(referral: Option<&Referral>) -> String {
    match referral {
        Some(r) => format!("转办 {}，期限 {}", r.unit, r.due_on),
        None => "未转办".into(),
    }
}
