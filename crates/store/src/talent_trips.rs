//! 揽才团 (task 1.1.3): out-of-city recruitment trips, their participating units and fairs, the
//! district's employers in the delegation (posts offered, CVs received) and the hires traced
//! back to a trip. A trip is a figure of 1.1.3.trips for its organiser on the departure day; a
//! hire one of 1.1.3.hires for the trip's organiser on the hire day — each kept in the same
//! transaction as its row, with the audit row.
//!
//! Scoping comes from core (`Actor::trip_scope`): 区人社局 and the district's readers all, a unit
//! of 1.1.3 the trips it organised or joined. A hire's name is shown masked.

use chrono::NaiveDate;
use linkong_core::access::{Actor, Gate, TripScope};
use linkong_core::field::FieldError;
use linkong_core::plan::Plan;
use linkong_core::subsidies::mask_name;
use linkong_core::talent_trips::{
    DelegateDraft, Fair, HireDraft, TripDraft, validate_delegate, validate_hire, validate_trip,
};
use linkong_core::time::local_date;
use serde::Serialize;

use crate::audit::{AuditAppend, AuditEvent};
use crate::figures::{DayKey, FigureWrite, Kind};
use crate::{BeginWrite, Error, Result, Store, on_db};

mod write;
use write::TripWrite;

/// A trip as lists and the API show it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TalentTrip {
    pub id: i64,
    /// The organising unit's code; the trip and its hires count for it.
    pub organiser: String,
    pub destination: String,
    pub departed_on: NaiveDate,
    pub returned_on: NaiveDate,
    pub note: String,
    /// The participating units' codes.
    pub partners: Vec<String>,
    pub fairs: Vec<Fair>,
    /// Employers in the delegation.
    pub employers: i64,
    /// Posts (positions) the employers offered.
    pub posts: i64,
    /// CVs the employers received.
    pub cvs: i64,
    /// Hires traced back to the trip.
    pub hires: i64,
}

/// An employer of the delegation.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Delegate {
    pub employer_id: i64,
    pub name: String,
    pub posts: i64,
    pub cvs: i64,
}

/// A hire traced back to a trip; the person's name masked.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TripHire {
    pub id: i64,
    /// 陈** for 陈晓明.
    pub name_masked: String,
    pub employer_id: i64,
    pub employer_name: String,
    pub hired_on: NaiveDate,
    /// The job application it came through, when known.
    pub application_id: Option<i64>,
}

/// A trip with its delegation and hires.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TalentTripDetail {
    pub trip: TalentTrip,
    pub delegates: Vec<Delegate>,
    pub hires: Vec<TripHire>,
}

/// Filters of the trip list.
#[derive(Debug, Clone, Default)]
pub struct TripFilter {
    pub year: Option<i32>,
    pub organiser: Option<String>,
}

#[derive(sqlx::FromRow)]
struct TripRow {
    id: i64,
    organiser: String,
    destination: String,
    departed_on: NaiveDate,
    returned_on: NaiveDate,
    note: String,
    employers: i64,
    posts: i64,
    cvs: i64,
    hires: i64,
}

/// A trip's columns with its delegation's totals, from `talent_trips t`.
macro_rules! trip_select {
    () => {
        "SELECT t.id, t.organiser, t.destination, t.departed_on, t.returned_on, t.note, \
         (SELECT COUNT(*) FROM talent_trip_employers e WHERE e.trip_id = t.id) AS employers, \
         (SELECT CAST(COALESCE(SUM(e.posts), 0) AS BIGINT) FROM talent_trip_employers e WHERE e.trip_id = t.id) AS posts, \
         (SELECT CAST(COALESCE(SUM(e.cvs), 0) AS BIGINT) FROM talent_trip_employers e WHERE e.trip_id = t.id) AS cvs, \
         (SELECT COUNT(*) FROM talent_trip_hires h WHERE h.trip_id = t.id) AS hires \
         FROM talent_trips t "
    };
}

/// `$1`/`$2` the days, `$3` the organiser ('' any), `$4` the scope's unit ('' all).
const TRIP_LIST: &str = concat!(
    trip_select!(),
    "WHERE t.departed_on >= $1 AND t.departed_on <= $2 AND ($3 = '' OR t.organiser = $3) \
     AND ($4 = '' OR t.organiser = $4 OR EXISTS (SELECT 1 FROM talent_trip_partners p \
       WHERE p.trip_id = t.id AND p.unit_code = $4)) \
     ORDER BY t.departed_on DESC, t.id DESC"
);

const TRIP_BY_ID: &str = concat!(trip_select!(), "WHERE t.id = $1");

fn year_days(year: Option<i32>) -> (NaiveDate, NaiveDate) {
    let day = |y: i32, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default();
    year.map_or((day(2000, 1, 1), day(2999, 12, 31)), |y| {
        (day(y, 1, 1), day(y, 12, 31))
    })
}

impl Store {
    /// Records a trip organised by the actor's unit (a unit of 1.1.3), with its participating
    /// units and fairs; it counts for 1.1.3.trips on the departure day.
    pub async fn record_talent_trip(
        &self,
        plan: &Plan,
        actor: &Actor,
        draft: &TripDraft,
        ip: &str,
    ) -> Result<i64> {
        self.enter(actor, Gate::TalentTripForm { plan }, ip).await?;
        let organiser = actor.trip_unit(plan).unwrap_or_default();
        let now = self.now();
        let trip = validate_trip(plan, organiser, draft, local_date(now)).map_err(Error::Fields)?;
        let event = |id: i64| {
            AuditEvent::new("talent_trip.record", format!("talent_trip:{id}"))
                .by(Some(actor.user_id), &actor.username)
                .detail(format!("{}，{} 出发", trip.destination, trip.departed_on))
                .from_ip(ip)
        };
        let key = DayKey::new(Kind::TalentTrip, "", organiser, trip.departed_on);
        let _guard = self.write_lock.lock().await;
        Ok(on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let id = tx.insert_trip(organiser, &trip, actor.user_id, now).await?;
            tx.refresh_figures(std::slice::from_ref(&key)).await?;
            tx.append_audit(now, &event(id)).await?;
            tx.commit().await?;
            id
        }))
    }

    /// The trip, if the actor may keep it (its organiser's staff or the lead's); refused and
    /// audited otherwise.
    async fn kept_trip(&self, plan: &Plan, actor: &Actor, id: i64, ip: &str) -> Result<TripRow> {
        let trip = self.trip_row(id).await?;
        if actor.may_keep_trip(plan, &trip.organiser) {
            return Ok(trip);
        }
        let why = "只有揽才团的组织单位和区人社局可以登记用人单位和引才结果";
        Err(self.deny(actor, format!("talent_trip:{id}"), why, ip).await)
    }

    /// Adds an employer of the employers registry to a trip's delegation, with the posts it
    /// offered and the CVs it received.
    pub async fn add_trip_employer(
        &self,
        plan: &Plan,
        actor: &Actor,
        id: i64,
        draft: &DelegateDraft,
        ip: &str,
    ) -> Result<()> {
        self.kept_trip(plan, actor, id, ip).await?;
        let already: Vec<i64> = self
            .delegates(id)
            .await?
            .iter()
            .map(|d| d.employer_id)
            .collect();
        let delegate = validate_delegate(draft, &already).map_err(Error::Fields)?;
        let Some(employer) = self.employer(delegate.employer_id).await? else {
            return Err(Error::Fields(vec![FieldError {
                field: "用人单位",
                message: format!("用人单位 {} 不存在", delegate.employer_id),
            }]));
        };
        let now = self.now();
        let event = AuditEvent::new("talent_trip.employer", format!("talent_trip:{id}"))
            .by(Some(actor.user_id), &actor.username)
            .detail(format!(
                "{}：岗位 {}，简历 {}",
                employer.name, delegate.posts, delegate.cvs
            ))
            .from_ip(ip);
        let _guard = self.write_lock.lock().await;
        on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            tx.insert_delegate(id, &delegate, now).await?;
            tx.append_audit(now, &event).await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// Traces a hire to a trip: an employer of its delegation, within a year of departure, the
    /// job application (if given) one made to that employer's post. It counts for 1.1.3.hires
    /// of the trip's organiser on the hire day.
    pub async fn add_trip_hire(
        &self,
        plan: &Plan,
        actor: &Actor,
        id: i64,
        draft: &HireDraft,
        ip: &str,
    ) -> Result<i64> {
        let trip = self.kept_trip(plan, actor, id, ip).await?;
        let delegates: Vec<i64> = self
            .delegates(id)
            .await?
            .iter()
            .map(|d| d.employer_id)
            .collect();
        let now = self.now();
        let hire = validate_hire(draft, &delegates, trip.departed_on, local_date(now))
            .map_err(Error::Fields)?;
        if let Some(application) = hire.application_id {
            self.check_hire_application(application, hire.employer_id)
                .await?;
        }
        let event = |hire_id: i64| {
            AuditEvent::new("talent_trip.hire", format!("talent_trip_hire:{hire_id}"))
                .by(Some(actor.user_id), &actor.username)
                .detail(format!("{}，{} 录用", mask_name(&hire.name), hire.hired_on))
                .from_ip(ip)
        };
        let key = DayKey::new(Kind::TripHire, "", &trip.organiser, hire.hired_on);
        let _guard = self.write_lock.lock().await;
        Ok(on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let hire_id = tx.insert_hire(id, &hire, actor.user_id, now).await?;
            tx.refresh_figures(std::slice::from_ref(&key)).await?;
            tx.append_audit(now, &event(hire_id)).await?;
            tx.commit().await?;
            hire_id
        }))
    }

    /// The verified employers of the registry that may still join the trip's delegation, as
    /// (id, name), for the actor keeping the trip (refused and audited otherwise).
    pub async fn delegation_candidates(
        &self,
        plan: &Plan,
        actor: &Actor,
        id: i64,
        ip: &str,
    ) -> Result<Vec<(i64, String)>> {
        self.kept_trip(plan, actor, id, ip).await?;
        Ok(on_db!(self, pool => sqlx::query_as(
            "SELECT id, name FROM employers WHERE status = 'verified' AND id NOT IN \
             (SELECT employer_id FROM talent_trip_employers WHERE trip_id = $1) ORDER BY name",
        )
        .bind(id)
        .fetch_all(pool)
        .await?))
    }

    /// The application must exist and be one to a post of `employer`.
    async fn check_hire_application(&self, application: i64, employer: i64) -> Result<()> {
        let of: Option<i64> = on_db!(self, pool => sqlx::query_scalar(
            "SELECT p.employer_id FROM applications a JOIN job_posts p ON p.id = a.post_id WHERE a.id = $1",
        )
        .bind(application)
        .fetch_optional(pool)
        .await?);
        let message = match of {
            None => format!("求职申请 {application} 不存在"),
            Some(e) if e != employer => format!("求职申请 {application} 不是投给该用人单位的岗位"),
            Some(_) => return Ok(()),
        };
        Err(Error::Fields(vec![FieldError {
            field: "求职申请编号",
            message,
        }]))
    }

    async fn trip_row(&self, id: i64) -> Result<TripRow> {
        let row: Option<TripRow> = on_db!(self, pool => sqlx::query_as(TRIP_BY_ID)
            .bind(id)
            .fetch_optional(pool)
            .await?);
        row.ok_or_else(|| Error::not_found(format!("揽才团 {id}")))
    }

    async fn delegates(&self, id: i64) -> Result<Vec<Delegate>> {
        Ok(on_db!(self, pool => sqlx::query_as(
            "SELECT d.employer_id, e.name, d.posts, d.cvs FROM talent_trip_employers d \
             JOIN employers e ON e.id = d.employer_id WHERE d.trip_id = $1 ORDER BY d.id",
        )
        .bind(id)
        .fetch_all(pool)
        .await?))
    }

    async fn trip_hires(&self, id: i64) -> Result<Vec<TripHire>> {
        let rows: Vec<(i64, String, i64, String, NaiveDate, Option<i64>)> = on_db!(self, pool => sqlx::query_as(
            "SELECT h.id, h.person_name, h.employer_id, e.name, h.hired_on, h.application_id \
             FROM talent_trip_hires h JOIN employers e ON e.id = h.employer_id WHERE h.trip_id = $1 \
             ORDER BY h.hired_on, h.id",
        )
        .bind(id)
        .fetch_all(pool)
        .await?);
        Ok(rows
            .into_iter()
            .map(
                |(id, name, employer_id, employer_name, hired_on, application_id)| TripHire {
                    id,
                    name_masked: mask_name(&name),
                    employer_id,
                    employer_name,
                    hired_on,
                    application_id,
                },
            )
            .collect())
    }

    async fn trips_of(&self, rows: Vec<TripRow>) -> Result<Vec<TalentTrip>> {
        let partners: Vec<(i64, String)> = on_db!(self, pool => sqlx::query_as(
            "SELECT trip_id, unit_code FROM talent_trip_partners ORDER BY trip_id, unit_code",
        )
        .fetch_all(pool)
        .await?);
        let fairs: Vec<(i64, String, NaiveDate)> = on_db!(self, pool => sqlx::query_as(
            "SELECT trip_id, school, held_on FROM talent_trip_fairs ORDER BY trip_id, held_on, id",
        )
        .fetch_all(pool)
        .await?);
        Ok(rows
            .into_iter()
            .map(|r| TalentTrip {
                partners: partners
                    .iter()
                    .filter(|(t, _)| *t == r.id)
                    .map(|(_, u)| u.clone())
                    .collect(),
                fairs: fairs
                    .iter()
                    .filter(|(t, _, _)| *t == r.id)
                    .map(|(_, school, held_on)| Fair {
                        school: school.clone(),
                        held_on: *held_on,
                    })
                    .collect(),
                id: r.id,
                organiser: r.organiser,
                destination: r.destination,
                departed_on: r.departed_on,
                returned_on: r.returned_on,
                note: r.note,
                employers: r.employers,
                posts: r.posts,
                cvs: r.cvs,
                hires: r.hires,
            })
            .collect())
    }

    /// The trips the actor reads, newest first; a reader of none is refused (audited).
    pub async fn talent_trips(
        &self,
        plan: &Plan,
        actor: &Actor,
        filter: &TripFilter,
        ip: &str,
    ) -> Result<Vec<TalentTrip>> {
        let unit = match actor.trip_scope(plan) {
            TripScope::All => String::new(),
            TripScope::Unit(unit) => unit,
            TripScope::Nothing => {
                let why = "只有任务 1.1.3 的责任单位可以查看揽才团";
                return Err(self.deny(actor, "talent_trips".into(), why, ip).await);
            }
        };
        let (from, to) = year_days(filter.year);
        let rows: Vec<TripRow> = on_db!(self, pool => sqlx::query_as(TRIP_LIST)
            .bind(from)
            .bind(to)
            .bind(filter.organiser.clone().unwrap_or_default())
            .bind(unit)
            .fetch_all(pool)
            .await?);
        self.trips_of(rows).await
    }

    /// A trip with its delegation and hires, if the actor reads it (refused and audited
    /// otherwise).
    pub async fn talent_trip(
        &self,
        plan: &Plan,
        actor: &Actor,
        id: i64,
        ip: &str,
    ) -> Result<TalentTripDetail> {
        let row = self.trip_row(id).await?;
        let trip = self.trips_of(vec![row]).await?.remove(0);
        if !actor
            .trip_scope(plan)
            .reaches(&trip.organiser, &trip.partners)
        {
            let why = "只能查看本单位组织或参与的揽才团";
            return Err(self.deny(actor, format!("talent_trip:{id}"), why, ip).await);
        }
        Ok(TalentTripDetail {
            delegates: self.delegates(id).await?,
            hires: self.trip_hires(id).await?,
            trip,
        })
    }

    /// Trips departed (`hires` false) or hires made (true) within [from, to], from every row:
    /// (id, the trip's organiser, day).
    pub(crate) async fn trip_rows(
        &self,
        hires: bool,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<(i64, String, NaiveDate)>> {
        let sql = if hires {
            "SELECT h.id, t.organiser, h.hired_on FROM talent_trip_hires h JOIN talent_trips t ON t.id = h.trip_id \
             WHERE h.hired_on >= $1 AND h.hired_on <= $2"
        } else {
            "SELECT id, organiser, departed_on FROM talent_trips WHERE departed_on >= $1 AND departed_on <= $2"
        };
        Ok(on_db!(self, pool => sqlx::query_as(sql)
            .bind(from)
            .bind(to)
            .fetch_all(pool)
            .await?))
    }
}
