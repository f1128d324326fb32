//! Traineeships and skills training of unplaced graduates (就业见习 / 就业技能培训, task 1.1.4):
//! 区人社局 keeps the traineeship bases (contact phone sealed); whoever serves a graduate
//! places them at a base or enrolls them in a course. Each traineeship and course is written
//! in one transaction with a 1131 service row of the item "培训或见习", the 1.1.4.trainees tally
//! of its start day and the audit row; a graduate hired by the base is placed in the same
//! transaction (the placement tallies too). Lists are scoped like the roster.

use chrono::{Datelike, NaiveDate};
use linkong_core::access::{Actor, Gate, PeopleScope, Roster};
use linkong_core::people::{Placement, ServiceItem};
use linkong_core::phone::mask_phone;
use linkong_core::plan::Plan;
use linkong_core::time::local_date;
use linkong_core::traineeships::{
    BaseDraft, BaseStatus, CourseDraft, CourseResult, Outcome, TraineeshipDraft, validate_base,
    validate_course, validate_traineeship,
};
use serde::Serialize;

use crate::audit::{AuditAppend, AuditEvent};
use crate::figures::{DayKey, Kind};
use crate::market_order::days_of;
use crate::{BeginWrite, Error, Result, Store, on_db};

mod graduate;
mod rows;

/// A traineeship base with its places and how many are used in the year asked for.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct BaseEntry {
    pub id: i64,
    pub name: String,
    pub employer: String,
    pub uscc: Option<String>,
    pub street_code: String,
    /// Traineeship places a year (见习岗位数).
    pub places: i64,
    /// Traineeships at the base starting in the year asked for.
    pub used: i64,
    pub posts: String,
    #[serde(skip)]
    pub contact_name: String,
    #[serde(skip)]
    contact_phone_enc: Vec<u8>,
    #[serde(skip)]
    #[sqlx(skip)]
    pub contact_phone_masked: String,
    pub recognised_on: NaiveDate,
    /// A [`BaseStatus`] code.
    pub status: String,
}

impl BaseEntry {
    pub fn status_label(&self) -> &'static str {
        BaseStatus::parse(&self.status).map_or("", BaseStatus::label)
    }

    pub fn is_active(&self) -> bool {
        self.status == BaseStatus::Active.code()
    }

    /// Places still free in the year asked for.
    pub fn left(&self) -> i64 {
        (self.places - self.used).max(0)
    }
}

/// A graduate's traineeship as lists show it (the graduate by name only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct TraineeshipEntry {
    pub id: i64,
    pub graduate_id: i64,
    pub graduate_name: String,
    pub street_code: String,
    pub base_id: i64,
    pub base_name: String,
    pub starts_on: NaiveDate,
    pub planned_end_on: NaiveDate,
    pub ended_on: Option<NaiveDate>,
    /// An [`Outcome`] code.
    pub outcome: String,
    pub unit_code: String,
}

impl TraineeshipEntry {
    pub fn outcome_label(&self) -> &'static str {
        Outcome::parse(&self.outcome).map_or("", Outcome::label)
    }
}

/// A graduate's skills-training course as lists show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct CourseEntry {
    pub id: i64,
    pub graduate_id: i64,
    pub graduate_name: String,
    pub street_code: String,
    pub course: String,
    pub provider: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    /// A [`CourseResult`] code.
    pub result: String,
    pub certificate: String,
    pub unit_code: String,
}

impl CourseEntry {
    pub fn result_label(&self) -> &'static str {
        CourseResult::parse(&self.result).map_or("", CourseResult::label)
    }
}

/// Filters of the traineeship and course lists: the start's year and the recording unit.
#[derive(Debug, Clone, Default)]
pub struct TraineeFilter {
    pub year: Option<i32>,
    pub unit: Option<String>,
}

const BASE_SELECT: &str = "SELECT b.id, b.name, b.employer, b.uscc, b.street_code, b.places, \
     (SELECT COUNT(*) FROM traineeships t WHERE t.base_id = b.id AND t.starts_on >= $1 AND t.starts_on <= $2) AS used, \
     b.posts, b.contact_name, b.contact_phone_enc, b.recognised_on, b.status FROM traineeship_bases b";

const TRAINEESHIP_SELECT: &str = "SELECT r.id, r.graduate_id, p.name AS graduate_name, p.street_code, \
     r.base_id, b.name AS base_name, r.starts_on, r.planned_end_on, r.ended_on, r.outcome, r.unit_code \
     FROM traineeships r JOIN traineeship_bases b ON b.id = r.base_id \
     JOIN graduates g ON g.id = r.graduate_id JOIN persons p ON p.id = g.person_id";

const COURSE_SELECT: &str = "SELECT r.id, r.graduate_id, p.name AS graduate_name, p.street_code, \
     r.course, r.provider, r.starts_on, r.ends_on, r.result, r.certificate, r.unit_code \
     FROM graduate_courses r JOIN graduates g ON g.id = r.graduate_id JOIN persons p ON p.id = g.person_id";

/// The 1.1.4.trainees tally of a traineeship or course recorded by `unit` starting on `day`.
fn trainee_day(unit: &str, day: NaiveDate) -> DayKey {
    DayKey::new(Kind::Trainees, "", unit, day)
}

impl Store {
    /// 区人社局 recognises a traineeship base; it starts active. One transaction with its audit
    /// row; the contact phone sealed.
    pub async fn record_traineeship_base(
        &self,
        plan: &Plan,
        actor: &Actor,
        draft: &BaseDraft,
        ip: &str,
    ) -> Result<i64> {
        self.enter(actor, Gate::TraineeshipBaseForm { plan }, ip)
            .await?;
        let base = validate_base(plan, draft, local_date(self.now())).map_err(Error::Fields)?;
        let phone = self.cipher()?.encrypt(base.contact_phone.expose());
        let now = self.now();
        let event = AuditEvent::new("traineeship.base", format!("street:{}", base.street_code))
            .by(Some(actor.user_id), &actor.username)
            .detail(format!("{}，{} 个见习岗位", base.name, base.places))
            .from_ip(ip);
        let _guard = self.write_lock.lock().await;
        Ok(on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO traineeship_bases (name, employer, uscc, street_code, places, posts, \
                 contact_name, contact_phone_enc, recognised_on, status, created_by, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING id",
            )
            .bind(&base.name)
            .bind(&base.employer)
            .bind(base.uscc.as_ref().map(|u| u.as_str().to_owned()))
            .bind(&base.street_code)
            .bind(base.places)
            .bind(&base.posts)
            .bind(&base.contact_name)
            .bind(&phone)
            .bind(base.recognised_on)
            .bind(BaseStatus::Active.code())
            .bind(actor.user_id)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            tx.append_audit(now, &event).await?;
            tx.commit().await?;
            id
        }))
    }

    /// 区人社局 withdraws a base (no new traineeships there) or takes it back; audited.
    pub async fn set_traineeship_base_status(
        &self,
        plan: &Plan,
        actor: &Actor,
        id: i64,
        status: &str,
        ip: &str,
    ) -> Result<()> {
        self.enter(actor, Gate::TraineeshipBaseForm { plan }, ip)
            .await?;
        let status = BaseStatus::parse(status).map_err(|message| {
            Error::Fields(vec![linkong_core::field::FieldError {
                field: "基地状态",
                message,
            }])
        })?;
        let now = self.now();
        let event = AuditEvent::new("traineeship.base_status", format!("traineeship_base:{id}"))
            .by(Some(actor.user_id), &actor.username)
            .detail(status.label())
            .from_ip(ip);
        let _guard = self.write_lock.lock().await;
        on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let changed = sqlx::query(
                "UPDATE traineeship_bases SET status = $2, updated_at = $3 WHERE id = $1",
            )
            .bind(id)
            .bind(status.code())
            .bind(now)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if changed == 0 {
                return Err(Error::not_found(format!("见习基地 {id}")));
            }
            tx.append_audit(now, &event).await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// Every base with its places used in `year` (active first): every staff member reads
    /// them; the contact phone masked.
    pub async fn traineeship_bases(&self, year: i32) -> Result<Vec<BaseEntry>> {
        let (from, to) = days_of(Some(year));
        let rows: Vec<BaseEntry> = on_db!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "{BASE_SELECT} ORDER BY b.status, b.id"
        )))
        .bind(from)
        .bind(to)
        .fetch_all(pool)
        .await?);
        let cipher = self.cipher()?;
        rows.into_iter()
            .map(|mut b| {
                b.contact_phone_masked = mask_phone(&cipher.decrypt(&b.contact_phone_enc)?);
                Ok(b)
            })
            .collect()
    }

    /// The traineeships the actor reaches (by the graduate's household street), of the
    /// filter's start year and recording unit, latest first.
    pub async fn traineeships(
        &self,
        plan: &Plan,
        actor: &Actor,
        filter: &TraineeFilter,
        ip: &str,
    ) -> Result<Vec<TraineeshipEntry>> {
        let street = self.trainee_reach(plan, actor, ip).await?;
        self.trainee_list(TRAINEESHIP_SELECT, filter, &street).await
    }

    /// [`Store::traineeships`] for a download: audited with the row count (it names people).
    pub async fn export_traineeships(
        &self,
        plan: &Plan,
        actor: &Actor,
        filter: &TraineeFilter,
        ip: &str,
    ) -> Result<Vec<TraineeshipEntry>> {
        let rows = self.traineeships(plan, actor, filter, ip).await?;
        self.audit(
            AuditEvent::new("traineeship.export", "export:traineeships")
                .by(Some(actor.user_id), &actor.username)
                .detail(format!("{} 行", rows.len()))
                .from_ip(ip),
        )
        .await?;
        Ok(rows)
    }

    /// The skills-training courses the actor reaches, as [`Store::traineeships`].
    pub async fn graduate_courses(
        &self,
        plan: &Plan,
        actor: &Actor,
        filter: &TraineeFilter,
        ip: &str,
    ) -> Result<Vec<CourseEntry>> {
        let street = self.trainee_reach(plan, actor, ip).await?;
        self.trainee_list(COURSE_SELECT, filter, &street).await
    }

    /// The rows of `select` (a traineeship or course list, its row as `r`) of the filter and
    /// of `street` ("" for every street), latest first.
    async fn trainee_list<T>(
        &self,
        select: &str,
        filter: &TraineeFilter,
        street: &str,
    ) -> Result<Vec<T>>
    where
        T: for<'r> sqlx::FromRow<'r, sqlx::sqlite::SqliteRow>
            + for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow>
            + Send
            + Unpin,
    {
        let (from, to) = days_of(filter.year);
        let sql = format!(
            "{select} WHERE r.starts_on >= $1 AND r.starts_on <= $2 \
             AND ($3 = '' OR r.unit_code = $3) AND ($4 = '' OR p.street_code = $4) \
             ORDER BY r.starts_on DESC, r.id DESC LIMIT 5000"
        );
        Ok(
            on_db!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
            .bind(from)
            .bind(to)
            .bind(filter.unit.as_deref().unwrap_or_default())
            .bind(street)
            .fetch_all(pool)
            .await?),
        )
    }

    /// The household street the actor's lists are limited to ("" for every street); refused
    /// (and audited) for one who reaches no graduate.
    async fn trainee_reach(&self, plan: &Plan, actor: &Actor, ip: &str) -> Result<String> {
        match actor.people_scope(plan, Roster::Graduates) {
            PeopleScope::All => Ok(String::new()),
            PeopleScope::Street(street) => Ok(street),
            PeopleScope::Nothing => Err(self
                .deny(
                    actor,
                    "traineeships".into(),
                    "只有街道、区人社局和工作专班可以查看见习和培训登记",
                    ip,
                )
                .await),
        }
    }

    /// Places a graduate at a traineeship base (see [`graduate`]).
    pub async fn record_traineeship(
        &self,
        plan: &Plan,
        actor: &Actor,
        graduate_id: i64,
        draft: &TraineeshipDraft,
        ip: &str,
    ) -> Result<i64> {
        let served = self.served_graduate(plan, actor, graduate_id, ip).await?;
        let today = local_date(self.now());
        let valid = validate_traineeship(draft, today, served.entry.year).map_err(Error::Fields)?;
        let _guard = self.write_lock.lock().await;
        let base = self
            .admitted(graduate_id, valid.base_id, valid.starts_on, None)
            .await?;
        self.write_traineeship(actor, &served, &valid, &base, ip)
            .await
    }

    /// Enrolls a graduate in a skills-training course (see [`graduate`]).
    pub async fn record_graduate_course(
        &self,
        plan: &Plan,
        actor: &Actor,
        graduate_id: i64,
        draft: &CourseDraft,
        ip: &str,
    ) -> Result<i64> {
        let served = self.served_graduate(plan, actor, graduate_id, ip).await?;
        let today = local_date(self.now());
        let valid = validate_course(draft, today, served.entry.year).map_err(Error::Fields)?;
        self.write_course(actor, &served, &valid, ip).await
    }
}

/// The days a graduate of `year` and `street` counts as placed on, before and after.
fn placement_days(year: i64, street: &str, days: [Option<NaiveDate>; 2]) -> Vec<DayKey> {
    days.into_iter()
        .flatten()
        .map(|day| DayKey::new(Kind::Placed, year.to_string(), street, day))
        .collect()
}

/// The start year of a traineeship, for its base's places.
fn year_of(day: NaiveDate) -> i32 {
    day.year()
}

/// Whether a graduate now placed as `current` is placed by `outcome`.
fn hired_placement(outcome: Outcome, current: &str) -> Option<Placement> {
    let current = Placement::parse(current).unwrap_or(Placement::NotYet);
    linkong_core::traineeships::placement_on(outcome, current)
}

/// The 1131 item a traineeship or course gives.
const ITEM: ServiceItem = ServiceItem::Training;
