//! Start-up carriers (创业载体, tasks 1.2.2 and 2.4.1): registered and changed by their
//! street's staff or by 区经科局, 区农业农村局 and 区人社局 as `core::access` decides, read by street
//! in the console and by everyone on the portal; returnee businesses moving in and out, each
//! move one transaction with its audit row and, for a move-in, the 2.4.1 tally it changes. The
//! applications for municipal recognition are in [`applications`].

use chrono::{DateTime, NaiveDate, Utc};
use linkong_core::access::may_write_typed_street;
use linkong_core::access::{Actor, PeopleScope};
use linkong_core::carriers::{
    CarrierDraft, CarrierKind, CarrierLevel, MoveIn, Stay, ValidCarrier, check_places, move_in,
    move_out, vacancies, validate_carrier,
};
use linkong_core::field::FieldError;
use linkong_core::plan::Plan;
use linkong_core::time::local_date;
use serde::Serialize;

use crate::audit::{AuditAppend, AuditEvent};
use crate::businesses::like_pattern;
use crate::figures::{DayKey, FigureWrite, Kind};
use crate::{BeginWrite, Error, Result, Store, on_db};

pub mod applications;
mod write;

use write::{CarrierWrite, StayWrite};

/// A carrier as lists, pages and the API show it (no personal data: the phone is the office's).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Carrier {
    pub id: i64,
    pub kind: CarrierKind,
    pub name: String,
    pub operator: String,
    pub address: String,
    pub street_code: String,
    /// 面积（㎡）.
    #[cfg_attr(feature = "openapi", schema(value_type = linkong_core::quantity::Quantity))]
    #[serde(serialize_with = "linkong_core::quantity::serialize_hundredths")]
    pub area: i64,
    /// 工位/房间数.
    pub places: i64,
    /// Businesses in the carrier now.
    pub residents: i64,
    /// 空余工位/房间: places less the businesses in it now.
    pub vacancies: i64,
    /// 租金（元/㎡·月）, if given as a figure.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<linkong_core::quantity::Quantity>))]
    #[serde(serialize_with = "linkong_core::quantity::serialize_opt_hundredths")]
    pub rent: Option<i64>,
    /// 租金及减免说明.
    pub rent_note: String,
    pub services: String,
    pub level: CarrierLevel,
    pub contact: String,
    /// The office's landline.
    pub phone: String,
    pub updated_at: DateTime<Utc>,
}

/// A business's stay in a carrier.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Residence {
    pub stay_id: i64,
    pub carrier_id: i64,
    pub carrier_name: String,
    pub business_id: i64,
    pub business_name: String,
    pub business_street: String,
    pub moved_in_on: NaiveDate,
    pub moved_out_on: Option<NaiveDate>,
}

/// A carrier with its residents (now and before) and its applications for recognition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CarrierDetail {
    pub carrier: Carrier,
    /// In the carrier now, earliest move-in first.
    pub residents: Vec<Residence>,
    /// Moved out, latest move-out first.
    pub former: Vec<Residence>,
    pub applications: Vec<applications::Application>,
}

/// Filters of a carrier list; `query` is a fragment of the name.
#[derive(Debug, Clone, Default)]
pub struct CarrierFilter {
    pub kind: Option<CarrierKind>,
    pub street: Option<String>,
    pub level: Option<CarrierLevel>,
    /// Only carriers with a free place.
    pub vacant: bool,
    pub query: String,
}

#[derive(sqlx::FromRow)]
struct CarrierRow {
    id: i64,
    kind: String,
    name: String,
    operator: String,
    address: String,
    street_code: String,
    area: i64,
    places: i64,
    residents: i64,
    rent: Option<i64>,
    rent_note: String,
    services: String,
    level: String,
    contact: String,
    phone: String,
    updated_at: DateTime<Utc>,
}

impl CarrierRow {
    fn view(self) -> Result<Carrier> {
        let id = self.id;
        let unreadable = |what: &str| Error::Config(format!("创业载体 {id} 的{what}无法识别"));
        Ok(Carrier {
            kind: CarrierKind::parse(&self.kind).map_err(|_| unreadable("类型"))?,
            level: CarrierLevel::parse(&self.level).map_err(|_| unreadable("认定级别"))?,
            vacancies: vacancies(self.places, self.residents),
            id,
            name: self.name,
            operator: self.operator,
            address: self.address,
            street_code: self.street_code,
            area: self.area,
            places: self.places,
            residents: self.residents,
            rent: self.rent,
            rent_note: self.rent_note,
            services: self.services,
            contact: self.contact,
            phone: self.phone,
            updated_at: self.updated_at,
        })
    }
}

const CARRIER_SELECT: &str = "SELECT c.id, c.kind, c.name, c.operator, c.address, c.street_code, c.area, c.places, \
     (SELECT COUNT(*) FROM carrier_stays s WHERE s.carrier_id = c.id AND s.moved_out_on IS NULL) AS residents, \
     c.rent, c.rent_note, c.services, c.level, c.contact, c.phone, c.updated_at FROM carriers c";

/// `$1` street ('' for all), `$2` kind, `$3` level, `$4` a LIKE pattern of the name.
const CARRIER_WHERE: &str = " WHERE ($1 = '' OR c.street_code = $1) AND ($2 = '' OR c.kind = $2) \
     AND ($3 = '' OR c.level = $3) AND ($4 = '' OR c.name LIKE $4 ESCAPE '\\')";

type ResidenceRow = (
    i64,
    i64,
    String,
    i64,
    String,
    String,
    NaiveDate,
    Option<NaiveDate>,
);

const RESIDENCE_SELECT: &str = "SELECT s.id, c.id, c.name, b.id, b.name, b.street_code, s.moved_in_on, s.moved_out_on \
     FROM carrier_stays s JOIN carriers c ON c.id = s.carrier_id JOIN businesses b ON b.id = s.business_id";

fn residence(row: ResidenceRow) -> Residence {
    Residence {
        stay_id: row.0,
        carrier_id: row.1,
        carrier_name: row.2,
        business_id: row.3,
        business_name: row.4,
        business_street: row.5,
        moved_in_on: row.6,
        moved_out_on: row.7,
    }
}

impl Store {
    /// The street a carrier list is limited to ('' for all), as the actor's reach allows;
    /// asking beyond it, or having no reach, is refused and audited.
    async fn carrier_street(
        &self,
        plan: &Plan,
        actor: &Actor,
        asked: Option<&str>,
        ip: &str,
    ) -> Result<String> {
        match (actor.carrier_scope(plan), asked) {
            (PeopleScope::All, asked) => Ok(asked.unwrap_or_default().to_owned()),
            (PeopleScope::Street(own), None) => Ok(own),
            (PeopleScope::Street(own), Some(asked)) if asked == own => Ok(own),
            (PeopleScope::Street(_), Some(asked)) => Err(self
                .deny(
                    actor,
                    format!("carriers:{asked}"),
                    "只能查看本街道的创业载体",
                    ip,
                )
                .await),
            (PeopleScope::Nothing, _) => Err(self
                .deny(actor, "carriers".into(), "无权查看创业载体", ip)
                .await),
        }
    }

    async fn carrier_list(&self, street: &str, filter: &CarrierFilter) -> Result<Vec<Carrier>> {
        let rows: Vec<CarrierRow> = on_db!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "{CARRIER_SELECT}{CARRIER_WHERE} ORDER BY c.street_code, c.id LIMIT 2000"
        )))
        .bind(street)
        .bind(filter.kind.map_or("", |k| k.code()))
        .bind(filter.level.map_or("", |l| l.code()))
        .bind(like_pattern(&filter.query))
        .fetch_all(pool)
        .await?);
        let carriers = rows
            .into_iter()
            .map(CarrierRow::view)
            .collect::<Result<Vec<_>>>()?;
        Ok(carriers
            .into_iter()
            .filter(|c| !filter.vacant || c.vacancies > 0)
            .collect())
    }

    /// The carriers the actor reaches in the console that match `filter`, by street.
    pub async fn carriers(
        &self,
        plan: &Plan,
        actor: &Actor,
        filter: &CarrierFilter,
        ip: &str,
    ) -> Result<Vec<Carrier>> {
        let street = self
            .carrier_street(plan, actor, filter.street.as_deref(), ip)
            .await?;
        self.carrier_list(&street, filter).await
    }

    /// Every carrier matching `filter`, with its vacancies (public: the portal and the API).
    pub async fn published_carriers(&self, filter: &CarrierFilter) -> Result<Vec<Carrier>> {
        let street = filter.street.clone().unwrap_or_default();
        self.carrier_list(&street, filter).await
    }

    /// One carrier as stored (no access check: callers check, or it is the public view).
    pub(crate) async fn stored_carrier(&self, id: i64) -> Result<Carrier> {
        let row: Option<CarrierRow> = on_db!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "{CARRIER_SELECT} WHERE c.id = $1"
        )))
        .bind(id)
        .fetch_optional(pool)
        .await?);
        row.ok_or_else(|| Error::not_found("该创业载体不存在"))?
            .view()
    }

    /// One carrier's public facts (the portal).
    pub async fn published_carrier(&self, id: i64) -> Result<Carrier> {
        self.stored_carrier(id).await
    }

    /// One carrier with its residents and applications, if the actor reaches its street; an
    /// attempt outside is refused and audited.
    pub async fn carrier(
        &self,
        plan: &Plan,
        actor: &Actor,
        id: i64,
        ip: &str,
    ) -> Result<CarrierDetail> {
        let carrier = self.stored_carrier(id).await?;
        if !actor.carrier_scope(plan).reaches(&carrier.street_code) {
            return Err(self
                .deny(
                    actor,
                    format!("carrier:{id}"),
                    "只能查看本街道的创业载体",
                    ip,
                )
                .await);
        }
        let stays: Vec<ResidenceRow> = on_db!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "{RESIDENCE_SELECT} WHERE s.carrier_id = $1 ORDER BY s.moved_in_on, s.id"
        )))
        .bind(id)
        .fetch_all(pool)
        .await?);
        let (residents, mut former): (Vec<Residence>, Vec<Residence>) = stays
            .into_iter()
            .map(residence)
            .partition(|r| r.moved_out_on.is_none());
        former.sort_by_key(|r| std::cmp::Reverse(r.moved_out_on));
        Ok(CarrierDetail {
            applications: self.applications_of_carrier(id).await?,
            carrier,
            residents,
            former,
        })
    }

    /// A business's stays in carriers, latest first (its page shows where it is).
    pub(crate) async fn stays_of_business(&self, business_id: i64) -> Result<Vec<Residence>> {
        let rows: Vec<ResidenceRow> = on_db!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "{RESIDENCE_SELECT} WHERE s.business_id = $1 ORDER BY s.moved_in_on DESC, s.id DESC"
        )))
        .bind(business_id)
        .fetch_all(pool)
        .await?);
        Ok(rows.into_iter().map(residence).collect())
    }

    /// The businesses that moved into the carriers of `street` in `year` and count toward
    /// 2.4.1 there (their first move-in of the year). Only readers of the street's records
    /// see them.
    pub async fn carrier_arrivals(
        &self,
        actor: &Actor,
        street: &str,
        year: i32,
        ip: &str,
    ) -> Result<Vec<Residence>> {
        if !actor.may_read_records_of(street) {
            return Err(self
                .deny(
                    actor,
                    format!("carrier_stays:{street}"),
                    "只能查看本单位的明细",
                    ip,
                )
                .await);
        }
        let rows: Vec<ResidenceRow> = on_db!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "{RESIDENCE_SELECT} WHERE c.street_code = $1 AND s.moved_in_on >= $2 AND s.moved_in_on <= $3 \
             AND {} ORDER BY s.moved_in_on, s.id", first_of_year("$2")
        )))
        .bind(street)
        .bind(NaiveDate::from_ymd_opt(year, 1, 1))
        .bind(NaiveDate::from_ymd_opt(year, 12, 31))
        .fetch_all(pool)
        .await?);
        Ok(rows.into_iter().map(residence).collect())
    }

    /// Move-ins within [from, to] that count toward 2.4.1: (stay id, carrier's street, day),
    /// the reference the tallies are held to.
    pub(crate) async fn arrivals_from_rows(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<(i64, String, NaiveDate)>> {
        let mut rows = Vec::new();
        for year in chrono::Datelike::year(&from)..=chrono::Datelike::year(&to) {
            let january = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(from);
            let end = NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(to).min(to);
            let year_rows: Vec<(i64, String, NaiveDate)> = on_db!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "SELECT s.id, c.street_code, s.moved_in_on FROM carrier_stays s JOIN carriers c ON c.id = s.carrier_id \
                 WHERE s.moved_in_on >= $2 AND s.moved_in_on <= $3 AND {}", first_of_year("$1")
            )))
            .bind(january)
            .bind(january.max(from))
            .bind(end)
            .fetch_all(pool)
            .await?);
            rows.extend(year_rows);
        }
        Ok(rows)
    }
}

/// The condition that stay `s` is its business's first move-in of the year, `year_start` being
/// the parameter holding 1 January of it: an earlier move-in that year, by day then id, takes
/// the count.
fn first_of_year(year_start: &str) -> String {
    format!(
        "NOT EXISTS (SELECT 1 FROM carrier_stays e WHERE e.business_id = s.business_id \
         AND e.moved_in_on >= {year_start} AND (e.moved_in_on < s.moved_in_on \
         OR (e.moved_in_on = s.moved_in_on AND e.id < s.id)))"
    )
}

/// What is written for a carrier.
pub(crate) struct CarrierRowWrite<'a> {
    pub valid: &'a ValidCarrier,
    pub user_id: i64,
    pub now: DateTime<Utc>,
}

impl Store {
    /// Refuses (and audits) an actor who may not keep carriers of the street the draft names,
    /// or of any street when it names none the plan knows.
    async fn check_carrier_street(
        &self,
        plan: &Plan,
        actor: &Actor,
        draft: &CarrierDraft,
        ip: &str,
    ) -> Result<()> {
        if may_write_typed_street(plan, &draft.street, |s| actor.may_keep_carrier(plan, s)) {
            return Ok(());
        }
        Err(self
            .deny(
                actor,
                format!("carrier:street:{}", draft.street.trim()),
                "只能登记和修改本街道的创业载体",
                ip,
            )
            .await)
    }

    /// A carrier the actor may keep; refused and audited otherwise.
    pub(crate) async fn kept_carrier(
        &self,
        plan: &Plan,
        actor: &Actor,
        id: i64,
        ip: &str,
    ) -> Result<Carrier> {
        let carrier = self.stored_carrier(id).await?;
        if !actor.may_keep_carrier(plan, &carrier.street_code) {
            return Err(self
                .deny(
                    actor,
                    format!("carrier:{id}"),
                    "只能登记和修改本街道的创业载体",
                    ip,
                )
                .await);
        }
        Ok(carrier)
    }

    /// Notes a name another carrier already has.
    async fn check_carrier_name_free(
        &self,
        valid: &ValidCarrier,
        id: Option<i64>,
        errors: &mut Vec<FieldError>,
    ) -> Result<()> {
        let taken: Option<i64> = on_db!(self, pool => sqlx::query_scalar(
            "SELECT id FROM carriers WHERE name = $1 AND id <> $2"
        )
        .bind(&valid.name)
        .bind(id.unwrap_or(0))
        .fetch_optional(pool)
        .await?);
        if taken.is_some() {
            errors.push(FieldError {
                field: "载体名称",
                message: format!("“{}”已登记", valid.name),
            });
        }
        Ok(())
    }

    /// The 2.4.1 days a change of a carrier's street moves: each of its move-in days, in the
    /// old street and the new one.
    async fn moved_street_days(&self, id: i64, old: &str, new: &str) -> Result<Vec<DayKey>> {
        if old == new {
            return Ok(Vec::new());
        }
        let days: Vec<NaiveDate> = on_db!(self, pool => sqlx::query_scalar(
            "SELECT DISTINCT moved_in_on FROM carrier_stays WHERE carrier_id = $1"
        )
        .bind(id)
        .fetch_all(pool)
        .await?);
        Ok(days
            .into_iter()
            .flat_map(|day| {
                [old, new].map(|unit| DayKey::new(Kind::CarrierResident, "", unit, day))
            })
            .collect())
    }

    /// Registers a carrier (`id` None) or changes one; one transaction with its audit row (and,
    /// when its street changes, the 2.4.1 tallies of its move-ins). Its places may not fall
    /// below the businesses in it now.
    pub async fn save_carrier(
        &self,
        plan: &Plan,
        actor: &Actor,
        id: Option<i64>,
        draft: &CarrierDraft,
        ip: &str,
    ) -> Result<i64> {
        let stored = match id {
            Some(id) => Some(self.kept_carrier(plan, actor, id, ip).await?),
            None => None,
        };
        self.check_carrier_street(plan, actor, draft, ip).await?;
        let valid = validate_carrier(plan, draft).map_err(Error::Fields)?;
        let mut errors = Vec::new();
        self.check_carrier_name_free(&valid, id, &mut errors)
            .await?;
        if let Some(stored) = &stored
            && let Err(e) = check_places(valid.places, stored.residents)
        {
            errors.push(e);
        }
        if !errors.is_empty() {
            return Err(Error::Fields(errors));
        }
        let keys = match &stored {
            Some(s) => {
                self.moved_street_days(s.id, &s.street_code, &valid.street_code)
                    .await?
            }
            None => Vec::new(),
        };
        let now = self.now();
        let action = if id.is_some() {
            "carrier.update"
        } else {
            "carrier.create"
        };
        let event = AuditEvent::new(action, format!("carrier:{}", valid.name))
            .by(Some(actor.user_id), &actor.username)
            .detail(format!(
                "{}（{}，{} 个工位/房间）",
                valid.name, valid.street_code, valid.places
            ))
            .from_ip(ip);
        let write = CarrierRowWrite {
            valid: &valid,
            user_id: actor.user_id,
            now,
        };
        let _guard = self.write_lock.lock().await;
        Ok(on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let id = tx.write_carrier(id, &write).await?;
            tx.refresh_figures(&keys).await?;
            tx.append_audit(now, &event).await?;
            tx.commit().await?;
            id
        }))
    }

    /// The business named by the move-in form, if the actor reaches its street; refused and
    /// audited otherwise.
    async fn business_to_move(
        &self,
        plan: &Plan,
        actor: &Actor,
        business: &str,
        ip: &str,
    ) -> Result<crate::businesses::Business> {
        let not_chosen = || {
            Error::Fields(vec![FieldError {
                field: "入驻主体",
                message: "请选择返区创业主体".into(),
            }])
        };
        let id: i64 = business.trim().parse().map_err(|_| not_chosen())?;
        let business = match self.stored_business(id).await {
            Ok(b) => b,
            Err(Error::NotFound(_)) => return Err(not_chosen()),
            Err(e) => return Err(e),
        };
        if !actor.business_scope(plan).reaches(&business.street_code) {
            return Err(self
                .deny(
                    actor,
                    format!("business:{id}"),
                    "只能登记本街道的返区创业主体入驻",
                    ip,
                )
                .await);
        }
        Ok(business)
    }

    /// Moves a returnee business into a carrier on `on`: one transaction writes the stay, the
    /// business's site as the carrier, the 2.4.1 tally and the audit row. Refused, naming the
    /// field, when the carrier is full, the business is still in a carrier or has closed, or
    /// the day is wrong.
    pub async fn move_in(
        &self,
        plan: &Plan,
        actor: &Actor,
        carrier_id: i64,
        (business, on): (&str, &str),
        ip: &str,
    ) -> Result<i64> {
        self.kept_carrier(plan, actor, carrier_id, ip).await?;
        let business = self.business_to_move(plan, actor, business, ip).await?;
        // Places and stays are read under the write lock, so that two move-ins at once cannot
        // both take the last place (the refusal below audits nothing, so the lock is free).
        let _guard = self.write_lock.lock().await;
        let carrier = self.stored_carrier(carrier_id).await?;
        let stays: Vec<Stay> = self
            .stays_of_business(business.id)
            .await?
            .into_iter()
            .map(|r| Stay {
                carrier_name: r.carrier_name,
                moved_in_on: r.moved_in_on,
                moved_out_on: r.moved_out_on,
            })
            .collect();
        let now = self.now();
        let check = MoveIn {
            places: carrier.places,
            residents: carrier.residents,
            stays: &stays,
            closed: business.status == linkong_core::businesses::BusinessStatus::Closed,
            today: local_date(now),
        };
        let day = move_in(on, &check).map_err(Error::Fields)?;
        let event = AuditEvent::new("carrier.move_in", format!("carrier:{carrier_id}"))
            .by(Some(actor.user_id), &actor.username)
            .detail(format!("{} 于 {day} 入驻 {}", business.name, carrier.name))
            .from_ip(ip);
        let keys = [DayKey::new(
            Kind::CarrierResident,
            "",
            &carrier.street_code,
            day,
        )];
        Ok(on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let stay = tx.open_stay(carrier_id, business.id, day, actor.user_id, now).await?;
            tx.refresh_figures(&keys).await?;
            tx.append_audit(now, &event).await?;
            tx.commit().await?;
            stay
        }))
    }

    /// Records that a business moved out of a carrier on `on` (not before it moved in); its
    /// site is no longer the carrier. One transaction with its audit row.
    pub async fn move_out(
        &self,
        plan: &Plan,
        actor: &Actor,
        carrier_id: i64,
        (stay_id, on): (i64, &str),
        ip: &str,
    ) -> Result<()> {
        let carrier = self.kept_carrier(plan, actor, carrier_id, ip).await?;
        let stay = self
            .carrier(plan, actor, carrier_id, ip)
            .await?
            .residents
            .into_iter()
            .find(|r| r.stay_id == stay_id)
            .ok_or_else(|| Error::not_found("该主体不在此载体入驻"))?;
        let now = self.now();
        let day =
            move_out(on, stay.moved_in_on, local_date(now)).map_err(|e| Error::Fields(vec![e]))?;
        let event = AuditEvent::new("carrier.move_out", format!("carrier:{carrier_id}"))
            .by(Some(actor.user_id), &actor.username)
            .detail(format!(
                "{} 于 {day} 迁出 {}",
                stay.business_name, carrier.name
            ))
            .from_ip(ip);
        let _guard = self.write_lock.lock().await;
        on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            tx.close_stay(&stay, day, now).await?;
            tx.append_audit(now, &event).await?;
            tx.commit().await?;
        });
        Ok(())
    }
}
