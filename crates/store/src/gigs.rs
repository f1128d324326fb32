//! Gig posts (零工) of the streets' gig stations (零工驿站, task 2.5.4): a street's staff enter
//! one in a minute for their station (core decides who may and checks the fields), close it when
//! filled; open gigs (not closed, not past their last day) show in job search, on the portal
//! and in the returnee page's matches. The contact phone is encrypted and shown masked.

use chrono::{DateTime, NaiveDate, Utc};
use linkong_core::access::Actor;
use linkong_core::gigs::{GigDraft, PayBasis, gig_is_open, gig_station, rate_label, validate_gig};
use linkong_core::phone::mask_phone;
use linkong_core::plan::Plan;
use linkong_core::time::local_date;
use serde::Serialize;

use crate::audit::{AuditAppend, AuditEvent};
use crate::{BeginWrite, Error, Result, Store, on_db};

mod kept;

pub(crate) use kept::OpenGigs;

/// A gig as staff and the public see it: the phone masked, the rate in words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GigPost {
    pub id: i64,
    /// The street whose gig station posted it.
    pub station: String,
    pub title: String,
    pub work_street: String,
    pub pay_basis: PayBasis,
    /// In fen (分).
    pub rate_fen: i64,
    /// "180 元/天".
    pub rate: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub headcount: i64,
    pub contact_name: String,
    pub contact_phone_masked: String,
    pub note: String,
    /// Open for search and matching today.
    pub open: bool,
    pub created_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct GigRow {
    id: i64,
    station: String,
    title: String,
    work_street: String,
    pay_basis: String,
    rate_fen: i64,
    starts_on: NaiveDate,
    ends_on: NaiveDate,
    headcount: i64,
    contact_name: String,
    contact_phone_enc: Vec<u8>,
    note: String,
    closed: bool,
    created_at: DateTime<Utc>,
}

const GIG_SELECT: &str = "SELECT id, station, title, work_street, pay_basis, rate_fen, starts_on, ends_on, \
     headcount, contact_name, contact_phone_enc, note, closed, created_at FROM gig_posts";

/// The most gigs one list shows.
const MAX_GIG_LIST: i64 = 500;

impl Store {
    fn gig_view(&self, row: GigRow, today: NaiveDate) -> Result<GigPost> {
        let phone = self.cipher()?.decrypt(&row.contact_phone_enc)?;
        let pay_basis = PayBasis::parse(&row.pay_basis)
            .map_err(|_| Error::Config(format!("零工 {} 的计酬方式无法识别", row.id)))?;
        Ok(GigPost {
            id: row.id,
            open: gig_is_open(row.closed, row.ends_on, today),
            station: row.station,
            title: row.title,
            work_street: row.work_street,
            rate: rate_label(row.rate_fen, pay_basis),
            pay_basis,
            rate_fen: row.rate_fen,
            starts_on: row.starts_on,
            ends_on: row.ends_on,
            headcount: row.headcount,
            contact_name: row.contact_name,
            contact_phone_masked: mask_phone(&phone),
            note: row.note,
            created_at: row.created_at,
        })
    }

    /// Posts a gig for the actor's station (a street's staff only; others refused and
    /// audited), the fields checked by core, audited; returns it.
    pub async fn create_gig(
        &self,
        plan: &Plan,
        actor: &Actor,
        draft: &GigDraft,
        ip: &str,
    ) -> Result<GigPost> {
        let station = match gig_station(plan, actor) {
            Ok(station) => station,
            Err(refusal) => return Err(self.deny(actor, "gig:new".into(), refusal, ip).await),
        };
        let gig = validate_gig(plan, draft).map_err(Error::Fields)?;
        let phone_enc = self.cipher()?.encrypt(gig.contact_phone.expose());
        let now = self.now();
        let mut event = AuditEvent::new("gig.create", String::new())
            .by(Some(actor.user_id), &actor.username)
            .detail(format!(
                "{}（{}）",
                gig.title,
                rate_label(gig.rate_fen, gig.pay_basis)
            ))
            .from_ip(ip);
        let _guard = self.write_lock.lock().await;
        let id: i64 = on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO gig_posts (station, title, work_street, pay_basis, rate_fen, starts_on, ends_on, \
                 headcount, contact_name, contact_phone_enc, note, closed, created_by, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, FALSE, $12, $13) RETURNING id",
            )
            .bind(&station)
            .bind(&gig.title)
            .bind(&gig.work_street)
            .bind(gig.pay_basis.code())
            .bind(gig.rate_fen)
            .bind(gig.starts_on)
            .bind(gig.ends_on)
            .bind(gig.headcount)
            .bind(&gig.contact_name)
            .bind(&phone_enc)
            .bind(&gig.note)
            .bind(actor.user_id)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            event.target = format!("gig:{id}");
            tx.append_audit(now, &event).await?;
            tx.commit().await?;
            id
        });
        self.open_gigs.clear();
        self.gig(id).await
    }

    /// Closes a gig of the actor's own station (filled or withdrawn), audited.
    pub async fn close_gig(&self, plan: &Plan, actor: &Actor, id: i64, ip: &str) -> Result<()> {
        let gig = self.gig(id).await?;
        let target = format!("gig:{id}");
        if gig_station(plan, actor).ok().as_deref() != Some(gig.station.as_str()) {
            let refusal = "只能关闭本街道零工驿站的零工";
            return Err(self.deny(actor, target, refusal, ip).await);
        }
        let now = self.now();
        let event = AuditEvent::new("gig.close", target)
            .by(Some(actor.user_id), &actor.username)
            .detail(gig.title.clone())
            .from_ip(ip);
        let _guard = self.write_lock.lock().await;
        on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let closed = sqlx::query(
                "UPDATE gig_posts SET closed = TRUE, closed_at = $2 WHERE id = $1 AND NOT closed",
            )
            .bind(id)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            if closed.rows_affected() == 0 {
                return Err(Error::Conflict(format!("零工“{}”已关闭", gig.title)));
            }
            tx.append_audit(now, &event).await?;
            tx.commit().await?;
        });
        self.open_gigs.clear();
        Ok(())
    }

    /// One gig, whoever asks (nothing in it is more than masked).
    pub async fn gig(&self, id: i64) -> Result<GigPost> {
        let row: Option<GigRow> = on_db!(self, pool => sqlx::query_as(
            sqlx::AssertSqlSafe(format!("{GIG_SELECT} WHERE id = $1"))
        )
        .bind(id)
        .fetch_optional(pool)
        .await?);
        let row = row.ok_or_else(|| Error::not_found(format!("零工 {id}")))?;
        self.gig_view(row, local_date(self.now()))
    }

    /// The open gigs (not closed, not past their last day), of one work street or all, newest
    /// first: what search, the portal and matching show.
    /// Kept a few seconds per street (see [`kept`]).
    pub async fn open_gigs(&self, street: Option<&str>) -> Result<Vec<GigPost>> {
        let today = local_date(self.now());
        if let Some(gigs) = self.open_gigs.get(street, today) {
            return Ok(gigs);
        }
        let rows: Vec<GigRow> = on_db!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "{GIG_SELECT} WHERE NOT closed AND ends_on >= $1 AND ($2 IS NULL OR work_street = $2) \
             ORDER BY id DESC LIMIT {MAX_GIG_LIST}"
        )))
        .bind(today)
        .bind(street)
        .fetch_all(pool)
        .await?);
        let gigs = rows
            .into_iter()
            .map(|r| self.gig_view(r, today))
            .collect::<Result<Vec<_>>>()?;
        self.open_gigs.put(street, today, &gigs);
        Ok(gigs)
    }

    /// The gigs the actor's station posted, newest first (empty for anyone without a station).
    pub async fn station_gigs(&self, plan: &Plan, actor: &Actor) -> Result<Vec<GigPost>> {
        let Ok(station) = gig_station(plan, actor) else {
            return Ok(Vec::new());
        };
        let today = local_date(self.now());
        let rows: Vec<GigRow> = on_db!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "{GIG_SELECT} WHERE station = $1 ORDER BY id DESC LIMIT {MAX_GIG_LIST}"
        )))
        .bind(&station)
        .fetch_all(pool)
        .await?);
        rows.into_iter().map(|r| self.gig_view(r, today)).collect()
    }
}
