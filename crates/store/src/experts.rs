//! The expert pool (专业人才库, task 2.1.3): experts recommended by the task's units, kept with
//! their phone encrypted, published on the portal only with what they agreed to, and the
//! services they give returnees of the out-migrant registry. Each service is a figure of
//! 2.1.3 for the unit that recorded it, kept in the same transaction as the row.
//!
//! The pool is a few hundred experts at most: lists read it whole and filter in Rust.

use chrono::{DateTime, NaiveDate, Utc};
use linkong_core::access::{Actor, ServiceScope};
use linkong_core::experts::{
    Consent, ExpertCard, ExpertDraft, ExpertField, ExpertService, ExpertStatus, PhoneOnFile,
    PublicExpert, ServiceDraft, ValidExpert, ValidService, services_code, services_of,
    takes_services, validate_expert, validate_service,
};
use linkong_core::field::FieldError;
use linkong_core::plan::Plan;
use linkong_core::resident::ResidentId;
use linkong_core::time::local_date;
use serde::Serialize;
use sqlx::{PgConnection, SqliteConnection};

use crate::audit::{AuditAppend, AuditEvent};
use crate::figures::{DayKey, FigureWrite, Kind};
use crate::{BeginWrite, Error, Result, Store, on_db};

/// An expert as staff see them: the phone masked, never in clear.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Expert {
    pub id: i64,
    pub name: String,
    pub field: ExpertField,
    pub organisation: String,
    pub title: String,
    pub services: Vec<ExpertService>,
    pub availability: String,
    pub intro: String,
    pub phone_masked: String,
    pub consent: Consent,
    pub status: ExpertStatus,
    pub recommended_by: String,
    /// How many services the expert has given.
    pub services_given: i64,
    pub updated_at: DateTime<Utc>,
}

impl Expert {
    /// What could be published of the expert (core decides what is).
    pub fn card(&self) -> ExpertCard {
        ExpertCard {
            id: self.id,
            name: self.name.clone(),
            field: self.field,
            organisation: self.organisation.clone(),
            title: self.title.clone(),
            services: self.services.clone(),
            intro: self.intro.clone(),
            consent: self.consent,
            status: self.status,
        }
    }
}

/// Filters of the staff list; `query` is a name or organisation fragment.
#[derive(Debug, Clone, Default)]
pub struct ExpertFilter {
    pub field: Option<ExpertField>,
    pub service: Option<ExpertService>,
    pub status: Option<ExpertStatus>,
    pub recommended_by: Option<String>,
    pub query: String,
}

impl ExpertFilter {
    fn keeps(&self, e: &Expert) -> bool {
        let query = self.query.trim();
        self.field.is_none_or(|f| e.field == f)
            && self.service.is_none_or(|s| e.services.contains(&s))
            && self.status.is_none_or(|s| e.status == s)
            && self
                .recommended_by
                .as_ref()
                .is_none_or(|u| *u == e.recommended_by)
            && (query.is_empty() || e.name.contains(query) || e.organisation.contains(query))
    }
}

/// A service given to a returnee, with the returnee masked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ServiceEntry {
    pub id: i64,
    pub expert_id: i64,
    pub expert_name: String,
    pub person_id: i64,
    pub person_name: String,
    pub id_masked: String,
    pub street_code: String,
    pub served_on: NaiveDate,
    pub kind: ExpertService,
    /// Hours in hundredths.
    pub hours: i64,
    pub outcome: String,
    pub recorded_by: String,
}

/// Which services a list shows (within the actor's scope).
#[derive(Debug, Clone, Default)]
pub struct ServiceFilter {
    pub year: Option<i32>,
    pub recorded_by: Option<String>,
    pub expert_id: Option<i64>,
    pub person_id: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct ExpertRow {
    id: i64,
    name: String,
    field: String,
    organisation: String,
    title: String,
    services: String,
    availability: String,
    intro: String,
    phone_enc: Vec<u8>,
    public_name: bool,
    public_organisation: bool,
    public_title: bool,
    public_field: bool,
    public_services: bool,
    public_intro: bool,
    status: String,
    recommended_by: String,
    services_given: i64,
    updated_at: DateTime<Utc>,
}

const EXPERT_SELECT: &str = "SELECT e.id, e.name, e.field, e.organisation, e.title, e.services, \
     e.availability, e.intro, e.phone_enc, e.public_name, e.public_organisation, e.public_title, \
     e.public_field, e.public_services, e.public_intro, e.status, e.recommended_by, \
     (SELECT COUNT(*) FROM expert_services s WHERE s.expert_id = e.id) AS services_given, \
     e.updated_at FROM experts e";

#[derive(sqlx::FromRow)]
struct ServiceRow {
    id: i64,
    expert_id: i64,
    expert_name: String,
    recommended_by: String,
    person_id: i64,
    person_name: String,
    id_number_enc: Vec<u8>,
    street_code: String,
    served_on: NaiveDate,
    kind: String,
    hours: i64,
    outcome: String,
    recorded_by: String,
}

const SERVICE_SELECT: &str = "SELECT s.id, s.expert_id, e.name AS expert_name, e.recommended_by, \
     s.person_id, p.name AS person_name, p.id_number_enc, p.street_code, s.served_on, s.kind, \
     s.hours, s.outcome, s.recorded_by FROM expert_services s \
     JOIN experts e ON e.id = s.expert_id JOIN persons p ON p.id = s.person_id";

impl Store {
    fn expert_of(&self, row: ExpertRow) -> Result<Expert> {
        let cipher = self.cipher()?;
        Ok(Expert {
            id: row.id,
            name: row.name,
            field: ExpertField::parse(&row.field).unwrap_or(ExpertField::Other),
            organisation: row.organisation,
            title: row.title,
            services: services_of(&row.services),
            availability: row.availability,
            intro: row.intro,
            phone_masked: linkong_core::phone::mask_phone(&cipher.decrypt(&row.phone_enc)?),
            consent: Consent {
                name: row.public_name,
                organisation: row.public_organisation,
                title: row.public_title,
                field: row.public_field,
                services: row.public_services,
                intro: row.public_intro,
            },
            status: ExpertStatus::parse(&row.status).unwrap_or(ExpertStatus::Retired),
            recommended_by: row.recommended_by,
            services_given: row.services_given,
            updated_at: row.updated_at,
        })
    }

    /// Every expert, newest first, as read from the table.
    async fn all_experts(&self) -> Result<Vec<Expert>> {
        let rows: Vec<ExpertRow> = on_db!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(
            format!("{EXPERT_SELECT} ORDER BY e.id DESC")
        ))
        .fetch_all(pool)
        .await?);
        rows.into_iter().map(|r| self.expert_of(r)).collect()
    }

    async fn expert_by_id(&self, id: i64) -> Result<Expert> {
        let row: Option<ExpertRow> = on_db!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(
            format!("{EXPERT_SELECT} WHERE e.id = $1")
        ))
        .bind(id)
        .fetch_optional(pool)
        .await?);
        self.expert_of(row.ok_or_else(|| Error::not_found(format!("专家 {id}")))?)
    }

    /// Refuses (and audits) an actor who may not consult the pool.
    async fn check_pool_reader(&self, actor: &Actor, ip: &str) -> Result<()> {
        if actor.may_consult_expert_pool() {
            return Ok(());
        }
        Err(self
            .deny(actor, "experts".into(), "无权查看专业人才库", ip)
            .await)
    }

    /// The pool as staff see it, phones masked.
    pub async fn experts(
        &self,
        actor: &Actor,
        filter: &ExpertFilter,
        ip: &str,
    ) -> Result<Vec<Expert>> {
        self.check_pool_reader(actor, ip).await?;
        Ok(self
            .all_experts()
            .await?
            .into_iter()
            .filter(|e| filter.keeps(e))
            .collect())
    }

    /// One expert as staff see them, phone masked.
    pub async fn expert(&self, actor: &Actor, id: i64, ip: &str) -> Result<Expert> {
        self.check_pool_reader(actor, ip).await?;
        self.expert_by_id(id).await
    }

    /// The expert's whole phone number, for a reader of the pool allowed to see numbers in
    /// clear; every look is audited (who, whose), a refusal too.
    pub async fn unmask_expert_phone(&self, actor: &Actor, id: i64, ip: &str) -> Result<String> {
        self.check_pool_reader(actor, ip).await?;
        let phone_enc: Option<Vec<u8>> = on_db!(self, pool => sqlx::query_scalar(
            "SELECT phone_enc FROM experts WHERE id = $1"
        )
        .bind(id)
        .fetch_optional(pool)
        .await?);
        let phone_enc = phone_enc.ok_or_else(|| Error::not_found(format!("专家 {id}")))?;
        self.check_may_unmask(actor, format!("expert:{id}"), ip)
            .await?;
        let phone = self.cipher()?.decrypt(&phone_enc)?;
        self.audit(
            AuditEvent::new("expert.unmask", format!("expert:{id}"))
                .by(Some(actor.user_id), &actor.username)
                .from_ip(ip),
        )
        .await?;
        Ok(phone)
    }

    /// An expert for their edit form: only the recommending unit's and the lead unit's staff
    /// (refused and audited otherwise).
    pub async fn expert_to_edit(
        &self,
        plan: &Plan,
        actor: &Actor,
        id: i64,
        ip: &str,
    ) -> Result<Expert> {
        let expert = self.expert_by_id(id).await?;
        if !actor.may_keep_expert(plan, &expert.recommended_by) {
            return Err(self
                .deny(
                    actor,
                    format!("expert:{id}"),
                    "只有推荐单位和牵头单位可以修改专家信息",
                    ip,
                )
                .await);
        }
        Ok(expert)
    }

    /// One expert as staff see them, with the services they gave that the actor's scope of
    /// service records reaches (none for those it reaches nothing of).
    pub async fn expert_detail(
        &self,
        plan: &Plan,
        actor: &Actor,
        id: i64,
        ip: &str,
    ) -> Result<(Expert, Vec<ServiceEntry>)> {
        let expert = self.expert(actor, id, ip).await?;
        if actor.expert_service_scope(plan) == ServiceScope::Nothing {
            return Ok((expert, Vec::new()));
        }
        let filter = ServiceFilter {
            expert_id: Some(id),
            ..ServiceFilter::default()
        };
        let services = self.expert_services(plan, actor, &filter, ip).await?;
        Ok((expert, services))
    }

    /// The portal's list: listed experts with only what each agreed to publish.
    pub async fn public_experts(&self, field: Option<ExpertField>) -> Result<Vec<PublicExpert>> {
        Ok(self
            .all_experts()
            .await?
            .iter()
            .filter(|e| field.is_none_or(|f| e.field == f && e.consent.field))
            .filter_map(|e| e.card().public())
            .collect())
    }

    /// One expert's public profile; an unlisted expert is not found.
    pub async fn public_expert(&self, id: i64) -> Result<PublicExpert> {
        let not_found = || Error::not_found("该专家不存在或未公开".to_owned());
        match self.expert_by_id(id).await {
            Ok(expert) => expert.card().public().ok_or_else(not_found),
            Err(Error::NotFound(_)) => Err(not_found()),
            Err(e) => Err(e),
        }
    }

    /// Adds an expert recommended by the actor's unit (a unit of task 2.1.3).
    pub async fn add_expert(
        &self,
        plan: &Plan,
        actor: &Actor,
        draft: &ExpertDraft,
        ip: &str,
    ) -> Result<i64> {
        if !actor.may_recommend_experts(plan) {
            return Err(self
                .deny(
                    actor,
                    "experts".into(),
                    "只有任务 2.1.3 的牵头和配合单位可以推荐专家",
                    ip,
                )
                .await);
        }
        let expert = validate_expert(draft, PhoneOnFile::Required).map_err(Error::Fields)?;
        let unit = actor.unit_code.clone().unwrap_or_default();
        let phone_enc = self.sealed_phone(&expert)?;
        let now = self.now();
        let event = |id: i64| {
            AuditEvent::new("expert.add", format!("expert:{id}"))
                .by(Some(actor.user_id), &actor.username)
                .detail(format!("{} 推荐，{}", unit, expert.field.label()))
                .from_ip(ip)
        };
        let phone_enc = phone_enc.unwrap_or_default();
        let _guard = self.write_lock.lock().await;
        Ok(on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let id = tx
                .insert_expert(&expert, &phone_enc, &unit, actor.user_id, now)
                .await?;
            tx.append_audit(now, &event(id)).await?;
            tx.commit().await?;
            id
        }))
    }

    /// The expert's phone sealed for storage, if one was typed in.
    fn sealed_phone(&self, expert: &ValidExpert) -> Result<Option<Vec<u8>>> {
        let cipher = self.cipher()?;
        Ok(expert.phone.as_ref().map(|p| cipher.encrypt(p.expose())))
    }

    /// Changes an expert (a blank phone keeps the stored one): the recommending unit or the
    /// task's lead unit.
    pub async fn update_expert(
        &self,
        plan: &Plan,
        actor: &Actor,
        id: i64,
        draft: &ExpertDraft,
        ip: &str,
    ) -> Result<()> {
        let current = self.expert_by_id(id).await?;
        if !actor.may_keep_expert(plan, &current.recommended_by) {
            return Err(self
                .deny(
                    actor,
                    format!("expert:{id}"),
                    "只有推荐单位和牵头单位可以修改专家信息",
                    ip,
                )
                .await);
        }
        let expert = validate_expert(draft, PhoneOnFile::KeepIfBlank).map_err(Error::Fields)?;
        let phone_enc = self.sealed_phone(&expert)?;
        let now = self.now();
        let event = AuditEvent::new("expert.update", format!("expert:{id}"))
            .by(Some(actor.user_id), &actor.username)
            .detail(expert.status.label())
            .from_ip(ip);
        let _guard = self.write_lock.lock().await;
        on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            tx.update_expert(id, &expert, phone_enc.as_deref(), now).await?;
            tx.append_audit(now, &event).await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// The resident behind a checked resident ID, with their household street; `migrants_only`
    /// asks for one in the out-migrant registry. Not scoped: the caller names the person it
    /// served, it does not browse the registry.
    pub(crate) async fn registered_person(
        &self,
        id: &ResidentId,
        migrants_only: bool,
    ) -> Result<Option<(i64, String)>> {
        let index = self.cipher()?.blind_index(id.as_str());
        let found: Option<(i64, String, bool)> = on_db!(self, pool => sqlx::query_as(
            "SELECT p.id, p.street_code, m.person_id IS NOT NULL FROM persons p \
             LEFT JOIN migrants m ON m.person_id = p.id WHERE p.id_number_index = $1"
        )
        .bind(&index)
        .fetch_optional(pool)
        .await?);
        Ok(found
            .filter(|(_, _, migrant)| *migrant || !migrants_only)
            .map(|(person, street, _)| (person, street)))
    }

    /// Records a service an expert gave a returnee of the out-migrant registry, counted for the
    /// actor's unit (the expert's recommending unit, or the lead unit).
    pub async fn record_expert_service(
        &self,
        plan: &Plan,
        actor: &Actor,
        expert_id: i64,
        draft: &ServiceDraft,
        ip: &str,
    ) -> Result<i64> {
        let expert = self.expert_by_id(expert_id).await?;
        if !actor.may_keep_expert(plan, &expert.recommended_by) {
            return Err(self
                .deny(
                    actor,
                    format!("expert:{expert_id}"),
                    "只有推荐单位和牵头单位可以登记该专家的服务",
                    ip,
                )
                .await);
        }
        takes_services(expert.status).map_err(Error::Conflict)?;
        let (service, person) = self.checked_service(plan, draft).await?;
        let unit = actor.unit_code.clone().unwrap_or_default();
        let now = self.now();
        let event = AuditEvent::new("expert.service", format!("expert:{expert_id}"))
            .by(Some(actor.user_id), &actor.username)
            .detail(format!(
                "person:{person} {} {}",
                service.served_on,
                service.kind.label()
            ))
            .from_ip(ip);
        let key = DayKey::new(Kind::ExpertService, "", &unit, service.served_on);
        let _guard = self.write_lock.lock().await;
        Ok(on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let row = NewService { expert_id, person, service: &service, unit: &unit, user_id: actor.user_id, now };
            let id = tx.insert_service(&row).await?;
            tx.refresh_figures(std::slice::from_ref(&key)).await?;
            tx.append_audit(now, &event).await?;
            tx.commit().await?;
            id
        }))
    }

    /// A service as typed in, checked, with the returnee it names found in the registry.
    async fn checked_service(
        &self,
        plan: &Plan,
        draft: &ServiceDraft,
    ) -> Result<(ValidService, i64)> {
        let today = local_date(self.now());
        let service = validate_service(draft, plan.years(), today).map_err(Error::Fields)?;
        match self.registered_person(&service.id_number, true).await? {
            Some((person, _)) => Ok((service, person)),
            None => Err(Error::Fields(vec![FieldError {
                field: "返区人员身份证号码",
                message: format!(
                    "{} 未登记在外出就业人员信息库中，请先登记",
                    service.id_number.masked()
                ),
            }])),
        }
    }

    /// The services within the actor's reach (a street: its residents'; a cooperating unit:
    /// its own), newest first, returnees masked; refused (and audited) for those who reach none.
    pub async fn expert_services(
        &self,
        plan: &Plan,
        actor: &Actor,
        filter: &ServiceFilter,
        ip: &str,
    ) -> Result<Vec<ServiceEntry>> {
        let scope = actor.expert_service_scope(plan);
        if scope == ServiceScope::Nothing {
            return Err(self
                .deny(actor, "expert_services".into(), "无权查看专家服务记录", ip)
                .await);
        }
        let (from, to) = match filter.year {
            Some(y) => (
                NaiveDate::from_ymd_opt(y, 1, 1).unwrap_or_default(),
                NaiveDate::from_ymd_opt(y, 12, 31).unwrap_or_default(),
            ),
            None => (
                NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or_default(),
                NaiveDate::from_ymd_opt(2999, 12, 31).unwrap_or_default(),
            ),
        };
        let rows: Vec<ServiceRow> = on_db!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "{SERVICE_SELECT} WHERE s.served_on >= $1 AND s.served_on <= $2 \
             ORDER BY s.served_on DESC, s.id DESC"
        )))
        .bind(from)
        .bind(to)
        .fetch_all(pool)
        .await?);
        rows.into_iter()
            .filter(|r| scope.reaches(&r.recorded_by, &r.recommended_by, &r.street_code))
            .filter(|r| {
                filter
                    .recorded_by
                    .as_ref()
                    .is_none_or(|u| *u == r.recorded_by)
            })
            .filter(|r| filter.expert_id.is_none_or(|e| e == r.expert_id))
            .filter(|r| filter.person_id.is_none_or(|p| p == r.person_id))
            .map(|r| self.service_entry(r))
            .collect()
    }

    fn service_entry(&self, row: ServiceRow) -> Result<ServiceEntry> {
        Ok(ServiceEntry {
            id: row.id,
            expert_id: row.expert_id,
            expert_name: row.expert_name,
            person_id: row.person_id,
            person_name: row.person_name,
            id_masked: self.masked_numbers(&row.id_number_enc, None)?.0,
            street_code: row.street_code,
            served_on: row.served_on,
            kind: ExpertService::parse(&row.kind).unwrap_or(ExpertService::Policy),
            hours: row.hours,
            outcome: row.outcome,
            recorded_by: row.recorded_by,
        })
    }
}

/// A service as it is written.
struct NewService<'a> {
    expert_id: i64,
    person: i64,
    service: &'a ValidService,
    unit: &'a str,
    user_id: i64,
    now: DateTime<Utc>,
}

/// The writes of the expert pool, inside the caller's transaction so that the rows, the
/// tallies and the audit row commit together.
trait ExpertWrite {
    async fn insert_expert(
        &mut self,
        expert: &ValidExpert,
        phone_enc: &[u8],
        unit: &str,
        user_id: i64,
        now: DateTime<Utc>,
    ) -> Result<i64>;
    async fn update_expert(
        &mut self,
        id: i64,
        expert: &ValidExpert,
        phone_enc: Option<&[u8]>,
        now: DateTime<Utc>,
    ) -> Result<()>;
    async fn insert_service(&mut self, row: &NewService<'_>) -> Result<i64>;
}

macro_rules! impl_expert_write {
    ($conn:ty) => {
        impl ExpertWrite for $conn {
            async fn insert_expert(
                &mut self,
                e: &ValidExpert,
                phone_enc: &[u8],
                unit: &str,
                user_id: i64,
                now: DateTime<Utc>,
            ) -> Result<i64> {
                let c = e.consent;
                Ok(sqlx::query_scalar(
                    "INSERT INTO experts (name, field, organisation, title, services, availability, intro, \
                     phone_enc, public_name, public_organisation, public_title, public_field, public_services, \
                     public_intro, status, recommended_by, created_by, created_at, updated_at) VALUES \
                     ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $18) \
                     RETURNING id",
                )
                .bind(&e.name)
                .bind(e.field.code())
                .bind(&e.organisation)
                .bind(&e.title)
                .bind(services_code(&e.services))
                .bind(&e.availability)
                .bind(&e.intro)
                .bind(phone_enc)
                .bind(c.name)
                .bind(c.organisation)
                .bind(c.title)
                .bind(c.field)
                .bind(c.services)
                .bind(c.intro)
                .bind(e.status.code())
                .bind(unit)
                .bind(user_id)
                .bind(now)
                .fetch_one(&mut *self)
                .await?)
            }

            async fn update_expert(
                &mut self,
                id: i64,
                e: &ValidExpert,
                phone_enc: Option<&[u8]>,
                now: DateTime<Utc>,
            ) -> Result<()> {
                let c = e.consent;
                sqlx::query(
                    "UPDATE experts SET name = $1, field = $2, organisation = $3, title = $4, services = $5, \
                     availability = $6, intro = $7, phone_enc = COALESCE($8, phone_enc), public_name = $9, \
                     public_organisation = $10, public_title = $11, public_field = $12, public_services = $13, \
                     public_intro = $14, status = $15, updated_at = $16 WHERE id = $17",
                )
                .bind(&e.name)
                .bind(e.field.code())
                .bind(&e.organisation)
                .bind(&e.title)
                .bind(services_code(&e.services))
                .bind(&e.availability)
                .bind(&e.intro)
                .bind(phone_enc)
                .bind(c.name)
                .bind(c.organisation)
                .bind(c.title)
                .bind(c.field)
                .bind(c.services)
                .bind(c.intro)
                .bind(e.status.code())
                .bind(now)
                .bind(id)
                .execute(&mut *self)
                .await?;
                Ok(())
            }

            async fn insert_service(&mut self, row: &NewService<'_>) -> Result<i64> {
                let s = row.service;
                Ok(sqlx::query_scalar(
                    "INSERT INTO expert_services (expert_id, person_id, served_on, kind, hours, outcome, \
                     recorded_by, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
                )
                .bind(row.expert_id)
                .bind(row.person)
                .bind(s.served_on)
                .bind(s.kind.code())
                .bind(s.hours)
                .bind(&s.outcome)
                .bind(row.unit)
                .bind(row.user_id)
                .bind(row.now)
                .fetch_one(&mut *self)
                .await?)
            }
        }
    };
}

impl_expert_write!(SqliteConnection);
impl_expert_write!(PgConnection);
