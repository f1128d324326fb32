//! Invitations to the returnee promotion events of 2.5.1 (返区创业推介, 产业对接), drawn from the
//! out-migrant registry, and what is recorded about each invited person after the event.
//!
//! Scoping is the registry's ([`Actor::people_scope`]): a street's staff see, invite, export
//! and record only the people its registry files under it; the lead units and the task force
//! everyone. Who may invite to or record for an event is core's `Actor::may_run_promotion`;
//! which person may be invited, core's `check_invitee`. Phone numbers are shown masked.

use chrono::{DateTime, Utc};
use linkong_core::access::{Actor, PeopleScope, Roster};
use linkong_core::events::promotion::{
    InviteRefusal, Invitee as InviteeFacts, ValidAttendance, check_invitee, invitee_list,
    validate_attendance,
};
use linkong_core::phone::mask_phone;
use linkong_core::plan::Plan;
use linkong_core::time::local_date;
use serde::Serialize;
use sqlx::{PgConnection, SqliteConnection};

use crate::audit::{AuditAppend, AuditEvent};
use crate::events::RecruitmentEvent;
use crate::{BeginWrite, Error, Result, Store, on_db};

pub use linkong_core::events::promotion::{
    AttendanceDraft, InviteeFilter, InviteeQuery, MAX_INVITEES, PromotionOutcome,
};

/// A person of the registry as invitation lists show them: the phone masked, no ID number.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Invitee {
    pub person_id: i64,
    pub name: String,
    pub phone_masked: String,
    /// The street the registry files them under.
    pub street_code: String,
    /// The neighbouring district of their household; empty for the district's own residents.
    pub home_district: String,
    pub province: String,
    pub city: String,
    pub section: String,
    /// Their return intention at the survey (code of `Intention`).
    pub intention: String,
    pub business_field: String,
}

/// An invited person, and what was recorded after the event.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Invitation {
    pub person: Invitee,
    pub invited_at: DateTime<Utc>,
    pub invited_by: String,
    /// None until recorded after the event.
    pub attended: Option<bool>,
    /// The intention they left with (code of `PromotionOutcome`), if recorded.
    pub outcome: Option<String>,
    pub note: String,
}

/// A promotion event a person was invited to, for their page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PersonPromotion {
    pub event: RecruitmentEvent,
    pub attended: Option<bool>,
    pub outcome: Option<PromotionOutcome>,
    pub note: String,
}

/// What a promotion event's staff page shows: the event, the registry's people the filter
/// finds (the first page of them, and how many) when the actor may invite, and the invited
/// people the actor reaches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PromotionPage {
    pub event: RecruitmentEvent,
    pub may_run: bool,
    pub candidates: Vec<Invitee>,
    pub candidates_total: i64,
    pub invitations: Vec<Invitation>,
}

/// Whom to invite: these persons, or everyone the filter finds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Invitees {
    Persons(Vec<i64>),
    Matching(InviteeFilter),
}

#[derive(sqlx::FromRow)]
struct InviteeRow {
    person_id: i64,
    name: String,
    phone_enc: Option<Vec<u8>>,
    street_code: String,
    home_district: String,
    province: String,
    city: String,
    section: String,
    intention: String,
    business_field: String,
}

#[derive(sqlx::FromRow)]
struct InvitationRow {
    #[sqlx(flatten)]
    person: InviteeRow,
    invited_at: DateTime<Utc>,
    invited_by: String,
    attended: Option<bool>,
    outcome: Option<String>,
    note: String,
}

const PERSON_COLUMNS: &str = "p.id AS person_id, p.name, p.phone_enc, p.street_code, m.home_district, \
     m.province, m.city, m.section, m.intention, m.business_field";

/// A LIKE pattern finding `fragment` anywhere, its wildcards taken literally.
fn like(fragment: &str) -> String {
    format!(
        "%{}%",
        fragment
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_")
    )
}

/// A WHERE clause with text arguments, numbered as they come.
#[derive(Default)]
struct Clause {
    parts: Vec<String>,
    args: Vec<String>,
}

impl Clause {
    /// `sql` with each `?` standing for the next of `values`.
    fn push(&mut self, sql: &str, values: &[String]) {
        let mut out = String::new();
        let mut values = values.iter();
        for c in sql.chars() {
            if c == '?'
                && let Some(value) = values.next()
            {
                self.args.push(value.clone());
                out.push_str(&format!("${}", self.args.len()));
            } else {
                out.push(c);
            }
        }
        self.parts.push(out);
    }

    /// `column IN (…)` for several values (nothing when there are none).
    fn any_of(&mut self, column: &str, values: &[String]) {
        if !values.is_empty() {
            let marks = vec!["?"; values.len()].join(", ");
            self.push(&format!("{column} IN ({marks})"), values);
        }
    }

    fn sql(&self) -> String {
        self.parts.join(" AND ")
    }
}

impl Store {
    fn invitee(&self, row: InviteeRow) -> Result<Invitee> {
        let phone_masked = match &row.phone_enc {
            Some(enc) => mask_phone(&self.cipher()?.decrypt(enc)?),
            None => String::new(),
        };
        Ok(Invitee {
            person_id: row.person_id,
            name: row.name,
            phone_masked,
            street_code: row.street_code,
            home_district: row.home_district,
            province: row.province,
            city: row.city,
            section: row.section,
            intention: row.intention,
            business_field: row.business_field,
        })
    }

    /// A promotion event (not a recruitment fair), or not found.
    async fn promotion(&self, event_id: i64) -> Result<RecruitmentEvent> {
        match self.event_row(event_id).await? {
            Some(event) if event.kind.is_promotion() => Ok(event),
            _ => Err(Error::not_found(format!(
                "返区创业推介活动 {event_id} 不存在"
            ))),
        }
    }

    /// A promotion event for its staff page, if the actor reaches anyone in the registry
    /// (refused and audited otherwise).
    pub async fn promotion_event(
        &self,
        actor: &Actor,
        plan: &Plan,
        event_id: i64,
        ip: &str,
    ) -> Result<RecruitmentEvent> {
        self.roster_scope(actor, plan, Roster::Migrants, ip).await?;
        self.promotion(event_id).await
    }

    /// A promotion event's staff page: the event, the people `filter` finds (at most `limit`)
    /// for an actor who may invite, and the invitations within the actor's reach.
    pub async fn promotion_page(
        &self,
        actor: &Actor,
        plan: &Plan,
        event_id: i64,
        filter: &InviteeFilter,
        limit: i64,
        ip: &str,
    ) -> Result<PromotionPage> {
        let event = self.promotion_event(actor, plan, event_id, ip).await?;
        let may_run = actor.may_run_promotion(plan, &event.organiser);
        let (candidates, candidates_total) = if may_run {
            self.invitee_candidates(actor, plan, event_id, filter, limit, ip)
                .await?
        } else {
            (Vec::new(), 0)
        };
        let invitations = self.invitations(actor, plan, event_id, ip).await?;
        Ok(PromotionPage {
            event,
            may_run,
            candidates,
            candidates_total,
            invitations,
        })
    }

    /// Refuses (and audits) an actor who may not invite to or record for `event`.
    async fn check_runs(
        &self,
        actor: &Actor,
        plan: &Plan,
        event: &RecruitmentEvent,
        ip: &str,
    ) -> Result<()> {
        if actor.may_run_promotion(plan, &event.organiser) {
            return Ok(());
        }
        Err(self
            .deny(
                actor,
                format!("event:{}", event.id),
                "只有举办单位和牵头单位可以邀约、登记参加情况",
                ip,
            )
            .await)
    }

    /// The registry's people the actor reaches whom `filter` finds and the event has not yet
    /// invited: those still away who agreed to be contacted. The first `limit` by street and
    /// name, and how many there are.
    pub async fn invitee_candidates(
        &self,
        actor: &Actor,
        plan: &Plan,
        event_id: i64,
        filter: &InviteeFilter,
        limit: i64,
        ip: &str,
    ) -> Result<(Vec<Invitee>, i64)> {
        let scope = self.roster_scope(actor, plan, Roster::Migrants, ip).await?;
        self.promotion(event_id).await?;
        let clause = self
            .candidate_clause(actor, &scope, event_id, filter, ip)
            .await?;
        let from = format!(
            "FROM migrants m JOIN persons p ON p.id = m.person_id WHERE {}",
            clause.sql()
        );
        let list_sql = format!(
            "SELECT {PERSON_COLUMNS} {from} ORDER BY p.street_code, p.name, p.id LIMIT {}",
            limit.clamp(0, MAX_INVITEES as i64 + 1)
        );
        let count_sql = format!("SELECT COUNT(*) {from}");
        let (rows, total): (Vec<InviteeRow>, i64) = on_db!(self, pool => {
            let mut list = sqlx::query_as(sqlx::AssertSqlSafe(list_sql.clone()));
            let mut count = sqlx::query_scalar(sqlx::AssertSqlSafe(count_sql.clone()));
            for arg in &clause.args {
                list = list.bind(arg.clone());
                count = count.bind(arg.clone());
            }
            (list.fetch_all(pool).await?, count.fetch_one(pool).await?)
        });
        let people = rows
            .into_iter()
            .map(|row| self.invitee(row))
            .collect::<Result<Vec<_>>>()?;
        Ok((people, total))
    }

    /// The conditions of [`Store::invitee_candidates`]: the scope, the filter, still away and
    /// consenting (what core's `check_invitee` asks), not yet invited.
    async fn candidate_clause(
        &self,
        actor: &Actor,
        scope: &PeopleScope,
        event_id: i64,
        filter: &InviteeFilter,
        ip: &str,
    ) -> Result<Clause> {
        let mut c = Clause::default();
        // The event's id is a number, written into the text as such.
        c.push(
            &format!(
                "m.contact_consent = TRUE AND m.returned_on IS NULL AND NOT EXISTS (SELECT 1 FROM \
                 event_invitations i WHERE i.person_id = p.id AND i.event_id = {event_id})"
            ),
            &[],
        );
        if let PeopleScope::Street(own) = scope {
            c.push("p.street_code = ?", std::slice::from_ref(own));
        }
        if let Some(street) = &filter.street {
            self.check_reach(actor, scope, street, format!("street:{street}"), ip)
                .await?;
            c.push("p.street_code = ?", std::slice::from_ref(street));
        }
        let intentions: Vec<String> = filter.intentions.iter().map(|i| i.code().into()).collect();
        c.any_of("m.intention", &intentions);
        let provinces: Vec<String> = filter.provinces.iter().map(|p| (*p).into()).collect();
        c.any_of("m.province", &provinces);
        if let Some(section) = filter.section {
            c.push("m.section = ?", &[section.to_string()]);
        }
        if !filter.city.is_empty() {
            c.push("m.city LIKE ? ESCAPE '\\'", &[like(&filter.city)]);
        }
        if !filter.business_field.is_empty() {
            c.push(
                "m.business_field LIKE ? ESCAPE '\\'",
                &[like(&filter.business_field)],
            );
        }
        Ok(c)
    }

    /// Invites people to a promotion event, all or none: each must be an out-migrant still
    /// away who agreed to be contacted, within the actor's reach — a street inviting another
    /// street's person is refused (and audited) naming them. People invited already are
    /// skipped. One transaction with its audit row; returns how many were newly invited.
    pub async fn invite(
        &self,
        actor: &Actor,
        plan: &Plan,
        event_id: i64,
        invitees: &Invitees,
        ip: &str,
    ) -> Result<usize> {
        let event = self.promotion(event_id).await?;
        self.check_runs(actor, plan, &event, ip).await?;
        let scope = actor.people_scope(plan, Roster::Migrants);
        let ids = match invitees {
            Invitees::Persons(ids) => invitee_list(ids).map_err(|e| Error::Fields(vec![e]))?,
            Invitees::Matching(filter) => {
                let limit = MAX_INVITEES as i64 + 1;
                let (people, _) = self
                    .invitee_candidates(actor, plan, event_id, filter, limit, ip)
                    .await?;
                let ids: Vec<i64> = people.iter().map(|p| p.person_id).collect();
                invitee_list(&ids).map_err(|e| Error::Fields(vec![e]))?
            }
        };
        self.check_invitees(actor, &scope, &ids, ip).await?;
        let now = self.now();
        let audit = AuditEvent::new("event.invite", format!("event:{event_id}"))
            .by(Some(actor.user_id), &actor.username)
            .detail(format!("邀约 {} 人参加“{}”", ids.len(), event.title))
            .from_ip(ip);
        let _guard = self.write_lock.lock().await;
        Ok(on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let added = tx.insert_invitations(event_id, &ids, actor.user_id, now).await?;
            tx.append_audit(now, &audit).await?;
            tx.commit().await?;
            added
        }))
    }

    /// Core's verdict on each person to invite; the first outside the actor's reach is refused
    /// and audited, the unfit ones are named together.
    async fn check_invitees(
        &self,
        actor: &Actor,
        scope: &PeopleScope,
        ids: &[i64],
        ip: &str,
    ) -> Result<()> {
        let mut errors = Vec::new();
        for id in ids {
            let found: Option<(String, bool, bool)> = on_db!(self, pool => sqlx::query_as(
                "SELECT p.street_code, m.contact_consent, m.returned_on IS NOT NULL \
                 FROM persons p JOIN migrants m ON m.person_id = p.id WHERE p.id = $1",
            )
            .bind(id)
            .fetch_optional(pool)
            .await?);
            let facts = found
                .as_ref()
                .map(|(street, consent, returned)| InviteeFacts {
                    person_id: *id,
                    street,
                    migrant: true,
                    contact_consent: *consent,
                    returned: *returned,
                });
            match check_invitee(*id, facts, scope) {
                Ok(()) => {}
                Err(InviteRefusal::OutsideReach) => {
                    let why = format!("人员 {id} 不是本街道的外出就业人员，不能邀约");
                    return Err(self.deny(actor, format!("person:{id}"), &why, ip).await);
                }
                Err(InviteRefusal::Unfit(message)) => {
                    errors.push(linkong_core::field::FieldError {
                        field: "邀约对象",
                        message,
                    })
                }
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(Error::Fields(errors))
        }
    }

    /// The people invited to a promotion event whom the actor reaches, by street and name.
    pub async fn invitations(
        &self,
        actor: &Actor,
        plan: &Plan,
        event_id: i64,
        ip: &str,
    ) -> Result<Vec<Invitation>> {
        let scope = self.roster_scope(actor, plan, Roster::Migrants, ip).await?;
        self.promotion(event_id).await?;
        let own = match &scope {
            PeopleScope::Street(own) => Some(own.clone()),
            _ => None,
        };
        let sql = format!(
            "SELECT {PERSON_COLUMNS}, i.invited_at, u.username AS invited_by, i.attended, i.outcome, i.note \
             FROM event_invitations i JOIN persons p ON p.id = i.person_id \
             JOIN migrants m ON m.person_id = p.id JOIN users u ON u.id = i.invited_by \
             WHERE i.event_id = $1 AND ($2 IS NULL OR p.street_code = $2) \
             ORDER BY p.street_code, p.name, p.id"
        );
        let rows: Vec<InvitationRow> = on_db!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
            .bind(event_id)
            .bind(own.clone())
            .fetch_all(pool)
            .await?);
        rows.into_iter()
            .map(|row| {
                Ok(Invitation {
                    person: self.invitee(row.person)?,
                    invited_at: row.invited_at,
                    invited_by: row.invited_by,
                    attended: row.attended,
                    outcome: row.outcome,
                    note: row.note,
                })
            })
            .collect()
    }

    /// The invitation list for a street's export: as [`Store::invitations`], audited with
    /// its row count.
    pub async fn export_invitations(
        &self,
        actor: &Actor,
        plan: &Plan,
        event_id: i64,
        ip: &str,
    ) -> Result<Vec<Invitation>> {
        let rows = self.invitations(actor, plan, event_id, ip).await?;
        self.audit(
            AuditEvent::new("person.export", format!("export:event:{event_id}"))
                .by(Some(actor.user_id), &actor.username)
                .detail(format!("推介活动邀约名单 {} 行，号码已脱敏", rows.len()))
                .from_ip(ip),
        )
        .await?;
        Ok(rows)
    }

    /// Records who of the invited came and the intention they left with, after the event:
    /// all rows or none. A person not invited is refused naming them; one invited but outside
    /// the actor's reach is refused and audited.
    pub async fn record_attendance(
        &self,
        actor: &Actor,
        plan: &Plan,
        event_id: i64,
        drafts: &[AttendanceDraft],
        ip: &str,
    ) -> Result<usize> {
        let event = self.promotion(event_id).await?;
        self.check_runs(actor, plan, &event, ip).await?;
        let scope = actor.people_scope(plan, Roster::Migrants);
        let invited: Vec<(i64, String)> = on_db!(self, pool => sqlx::query_as(
            "SELECT p.id, p.street_code FROM event_invitations i JOIN persons p ON p.id = i.person_id \
             WHERE i.event_id = $1",
        )
        .bind(event_id)
        .fetch_all(pool)
        .await?);
        for draft in drafts {
            if let Some((id, _)) = invited
                .iter()
                .find(|(id, street)| *id == draft.person_id && !scope.reaches(street))
            {
                let why = format!("人员 {id} 不是本街道的外出就业人员，不能登记");
                return Err(self.deny(actor, format!("person:{id}"), &why, ip).await);
            }
        }
        let mut errors = Vec::new();
        let is_invited = |id: i64| invited.iter().any(|(i, _)| *i == id);
        let today = local_date(self.now());
        let rows = validate_attendance(drafts, is_invited, event.held_on, today, &mut errors);
        if !errors.is_empty() {
            return Err(Error::Fields(errors));
        }
        let now = self.now();
        let audit = AuditEvent::new("event.attendance", format!("event:{event_id}"))
            .by(Some(actor.user_id), &actor.username)
            .detail(format!("登记 {} 人的参加情况", rows.len()))
            .from_ip(ip);
        let _guard = self.write_lock.lock().await;
        on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            tx.update_attendance(event_id, &rows, actor.user_id, now).await?;
            tx.append_audit(now, &audit).await?;
            tx.commit().await?;
        });
        Ok(rows.len())
    }

    /// The promotion events a person was invited to, newest first, with what was recorded;
    /// only for an actor who reaches them (refused and audited otherwise).
    pub async fn promotion_history(
        &self,
        actor: &Actor,
        plan: &Plan,
        person_id: i64,
        ip: &str,
    ) -> Result<Vec<PersonPromotion>> {
        let scope = actor.people_scope(plan, Roster::Migrants);
        let street: Option<String> = on_db!(self, pool => sqlx::query_scalar(
            "SELECT street_code FROM persons WHERE id = $1",
        )
        .bind(person_id)
        .fetch_optional(pool)
        .await?);
        let street = street.ok_or_else(|| Error::not_found(format!("人员 {person_id}")))?;
        self.check_reach(actor, &scope, &street, format!("person:{person_id}"), ip)
            .await?;
        let rows: Vec<(i64, Option<bool>, Option<String>, String)> = on_db!(self, pool => sqlx::query_as(
            "SELECT i.event_id, i.attended, i.outcome, i.note FROM event_invitations i \
             JOIN recruitment_events e ON e.id = i.event_id WHERE i.person_id = $1 \
             ORDER BY e.held_on DESC, e.id DESC",
        )
        .bind(person_id)
        .fetch_all(pool)
        .await?);
        let mut history = Vec::new();
        for (event_id, attended, outcome, note) in rows {
            let Some(event) = self.event_row(event_id).await? else {
                continue;
            };
            history.push(PersonPromotion {
                event,
                attended,
                outcome: outcome.and_then(|o| PromotionOutcome::parse(&o).ok()),
                note,
            });
        }
        Ok(history)
    }
}

/// The writes of invitations and attendance, inside the caller's transaction.
trait InvitationWrite {
    async fn insert_invitations(
        &mut self,
        event_id: i64,
        ids: &[i64],
        user_id: i64,
        now: DateTime<Utc>,
    ) -> Result<usize>;
    async fn update_attendance(
        &mut self,
        event_id: i64,
        rows: &[ValidAttendance],
        user_id: i64,
        now: DateTime<Utc>,
    ) -> Result<()>;
}

macro_rules! impl_invitation_write {
    ($conn:ty) => {
        impl InvitationWrite for $conn {
            async fn insert_invitations(
                &mut self,
                event_id: i64,
                ids: &[i64],
                user_id: i64,
                now: DateTime<Utc>,
            ) -> Result<usize> {
                let mut added = 0;
                for id in ids {
                    let done = sqlx::query(
                        "INSERT INTO event_invitations (event_id, person_id, invited_by, invited_at) \
                         VALUES ($1, $2, $3, $4) ON CONFLICT (event_id, person_id) DO NOTHING",
                    )
                    .bind(event_id)
                    .bind(id)
                    .bind(user_id)
                    .bind(now)
                    .execute(&mut *self)
                    .await?;
                    added += done.rows_affected() as usize;
                }
                Ok(added)
            }

            async fn update_attendance(
                &mut self,
                event_id: i64,
                rows: &[ValidAttendance],
                user_id: i64,
                now: DateTime<Utc>,
            ) -> Result<()> {
                for row in rows {
                    sqlx::query(
                        "UPDATE event_invitations SET attended = $1, outcome = $2, note = $3, \
                         recorded_by = $4, recorded_at = $5 WHERE event_id = $6 AND person_id = $7",
                    )
                    .bind(row.attended)
                    .bind(row.outcome.map(|o| o.code()))
                    .bind(&row.note)
                    .bind(user_id)
                    .bind(now)
                    .bind(event_id)
                    .bind(row.person_id)
                    .execute(&mut *self)
                    .await?;
                }
                Ok(())
            }
        }
    };
}

impl_invitation_write!(SqliteConnection);
impl_invitation_write!(PgConnection);
