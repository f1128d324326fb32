//! Unplaced graduates (离校未就业高校毕业生, task 1.1.4): the yearly roster, the 1131 service
//! log of each graduate, their placement, and the placement rate against the 90 % target.
//! Scoped like every roster of people (see [`Store::people_scope`]); the rates are figures
//! without personal data and every staff member reads them for every street.

use chrono::{DateTime, NaiveDate, Utc};
use linkong_core::access::Actor;
use linkong_core::people::{
    Placement, ServiceItem, ValidPlacement, check_service, validate_placement,
};
use linkong_core::plan::Plan;
use linkong_core::time::local_date;
use serde::Serialize;
use sqlx::{PgConnection, SqliteConnection};

use crate::audit::{AuditAppend, AuditEvent};
use crate::figures::{DayKey, FigureWrite, Kind};
use crate::{BeginWrite, Error, Result, Store, on_db};
use linkong_core::access::{PeopleScope, Roster};

/// A graduate as lists and pages show them: ID and phone masked, 1131 items counted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct GraduateEntry {
    pub id: i64,
    pub person_id: i64,
    pub name: String,
    #[sqlx(skip)]
    pub id_masked: String,
    #[sqlx(skip)]
    pub phone_masked: String,
    #[serde(skip)]
    id_number_enc: Vec<u8>,
    #[serde(skip)]
    phone_enc: Option<Vec<u8>>,
    pub gender: String,
    pub street_code: String,
    pub community: String,
    pub year: i64,
    pub school: String,
    pub major: String,
    pub degree: String,
    pub graduated_on: NaiveDate,
    pub wish: String,
    pub placement: String,
    pub placed_on: Option<NaiveDate>,
    pub placement_evidence: String,
    pub placement_application: Option<i64>,
    pub policy: i64,
    pub guidance: i64,
    pub referral: i64,
    pub training: i64,
}

impl GraduateEntry {
    /// Whether the roster holds the graduate's phone (an SMS can reach them).
    pub fn has_phone(&self) -> bool {
        self.phone_enc.is_some()
    }

    /// How many of `item` this graduate has had.
    pub fn done(&self, item: ServiceItem) -> i64 {
        match item {
            ServiceItem::Policy => self.policy,
            ServiceItem::Guidance => self.guidance,
            ServiceItem::Referral => self.referral,
            ServiceItem::Training => self.training,
        }
    }

    /// The 1131 items still owed (none once placed).
    pub fn waiting(&self) -> Vec<ServiceItem> {
        if self.placement != Placement::NotYet.code() {
            return Vec::new();
        }
        ServiceItem::ALL
            .iter()
            .copied()
            .filter(|item| self.done(*item) < item.required() as i64)
            .collect()
    }
}

fn count_of(item: ServiceItem) -> String {
    format!(
        "(SELECT COUNT(*) FROM graduate_services s WHERE s.graduate_id = g.id AND s.item = '{}') AS {}",
        item.code(),
        item.code()
    )
}

fn graduate_select() -> String {
    format!(
        "SELECT g.id, g.person_id, p.name, p.id_number_enc, p.phone_enc, p.gender, p.street_code, \
         p.community, g.year, g.school, g.major, g.degree, g.graduated_on, g.wish, g.placement, \
         g.placed_on, g.placement_evidence, g.placement_application, {}, {}, {}, {} \
         FROM graduates g JOIN persons p ON p.id = g.person_id",
        count_of(ServiceItem::Policy),
        count_of(ServiceItem::Guidance),
        count_of(ServiceItem::Referral),
        count_of(ServiceItem::Training),
    )
}

/// Filters of the graduate list.
#[derive(Debug, Clone, Default)]
pub struct GraduateFilter {
    pub year: i32,
    pub street: Option<String>,
    pub placement: Option<Placement>,
    /// Only unplaced graduates still owed this 1131 item.
    pub waiting: Option<ServiceItem>,
    pub query: String,
}

/// One entry of a graduate's 1131 service log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct ServiceEntry {
    pub id: i64,
    pub item: String,
    pub post_id: Option<i64>,
    pub post_title: Option<String>,
    pub done_on: NaiveDate,
    pub unit_code: String,
    pub done_by: String,
    pub note: String,
    pub created_at: DateTime<Utc>,
}

/// A 1131 service as typed in.
#[derive(Debug, Clone, Default)]
pub struct ServiceDraft {
    pub item: String,
    pub post_id: String,
    pub done_on: String,
    pub note: String,
}

/// A placement as typed in.
#[derive(Debug, Clone, Default)]
pub struct PlacementDraft {
    pub placement: String,
    pub placed_on: String,
    pub evidence: String,
}

/// Placed graduates of one street (or the district) out of its roster.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlacementRate {
    pub unit_code: String,
    pub total: i64,
    pub placed: i64,
    /// Hundredths of a percent point (9000 = 90.00 %); None with nobody on the roster.
    pub rate: Option<i64>,
}

/// Hundredths of a percent point, rounded half up.
fn rate_of(placed: i64, total: i64) -> Option<i64> {
    (total > 0).then(|| (placed * 10_000 * 2 + total) / (total * 2))
}

impl Store {
    fn reveal_graduate(&self, mut entry: GraduateEntry) -> Result<GraduateEntry> {
        (entry.id_masked, entry.phone_masked) =
            self.masked_numbers(&entry.id_number_enc, entry.phone_enc.as_deref())?;
        Ok(entry)
    }

    /// One page of the year's graduates the actor reaches, and how many match.
    pub async fn graduates(
        &self,
        plan: &Plan,
        actor: &Actor,
        filter: &GraduateFilter,
        page: u32,
        per_page: u32,
        ip: &str,
    ) -> Result<(Vec<GraduateEntry>, i64)> {
        let scope = actor.people_scope(plan, Roster::Graduates);
        let mut w = crate::people::Where::default();
        w.push("g.year = CAST(? AS BIGINT)", filter.year.to_string());
        w.scope(&scope);
        if let Some(street) = &filter.street {
            self.check_reach(actor, &scope, street, format!("street:{street}"), ip)
                .await?;
            w.push("p.street_code = ?", street.clone());
        }
        if let Some(placement) = filter.placement {
            w.push("g.placement = ?", placement.code().to_owned());
        }
        if let Some(item) = filter.waiting {
            w.push("g.placement = ?", Placement::NotYet.code().to_owned());
            w.push(
                &format!(
                    "(SELECT COUNT(*) FROM graduate_services s WHERE s.graduate_id = g.id \
                     AND s.item = ?) < {}",
                    item.required()
                ),
                item.code().to_owned(),
            );
        }
        let query = filter.query.trim();
        if !query.is_empty() {
            w.name_like(query);
        }
        let (clause, args) = (w.sql(), w.args);
        let offset = i64::from(page.saturating_sub(1)) * i64::from(per_page);
        let list_sql = format!(
            "{}{clause} ORDER BY p.street_code, g.id LIMIT {per_page} OFFSET {offset}",
            graduate_select()
        );
        let count_sql = format!(
            "SELECT COUNT(*) FROM graduates g JOIN persons p ON p.id = g.person_id{clause}"
        );
        let (rows, total): (Vec<GraduateEntry>, i64) =
            self.page_with_count(list_sql, count_sql, &args).await?;
        let rows = rows
            .into_iter()
            .map(|r| self.reveal_graduate(r))
            .collect::<Result<Vec<_>>>()?;
        Ok((rows, total))
    }

    /// Every graduate of the filter the actor reaches, numbers masked, for export; audited with
    /// the row count.
    pub async fn export_graduates(
        &self,
        plan: &Plan,
        actor: &Actor,
        filter: &GraduateFilter,
        ip: &str,
    ) -> Result<Vec<GraduateEntry>> {
        if actor.people_scope(plan, Roster::Graduates) == PeopleScope::Nothing {
            return Err(self
                .deny(
                    actor,
                    "export:graduates".into(),
                    "无权导出离校未就业毕业生名册",
                    ip,
                )
                .await);
        }
        let (rows, _) = self
            .graduates(plan, actor, filter, 1, 1_000_000, ip)
            .await?;
        self.audit(
            AuditEvent::new("person.export", "export:graduates")
                .by(Some(actor.user_id), &actor.username)
                .detail(format!("{} 年 {} 行，号码已脱敏", filter.year, rows.len()))
                .from_ip(ip),
        )
        .await?;
        Ok(rows)
    }

    /// One graduate with their 1131 service log, if the actor reaches their street.
    pub async fn graduate(
        &self,
        plan: &Plan,
        actor: &Actor,
        id: i64,
        ip: &str,
    ) -> Result<(GraduateEntry, Vec<ServiceEntry>)> {
        let scope = actor.people_scope(plan, Roster::Graduates);
        let sql = format!("{} WHERE g.id = $1", graduate_select());
        let entry: Option<GraduateEntry> = on_db!(self, pool => sqlx::query_as(
            sqlx::AssertSqlSafe(sql.clone())
        )
        .bind(id)
        .fetch_optional(pool)
        .await?);
        let entry = entry.ok_or_else(|| Error::not_found(format!("毕业生 {id}")))?;
        if !scope.reaches(&entry.street_code) {
            return Err(self
                .deny(
                    actor,
                    format!("graduate:{id}"),
                    "只能查看本街道户籍人员",
                    ip,
                )
                .await);
        }
        let services: Vec<ServiceEntry> = on_db!(self, pool => sqlx::query_as(
            "SELECT s.id, s.item, s.post_id, jp.title AS post_title, s.done_on, s.unit_code, \
             u.display_name AS done_by, s.note, s.created_at FROM graduate_services s \
             JOIN users u ON u.id = s.user_id LEFT JOIN job_posts jp ON jp.id = s.post_id \
             WHERE s.graduate_id = $1 ORDER BY s.done_on, s.id"
        )
        .bind(id)
        .fetch_all(pool)
        .await?);
        Ok((self.reveal_graduate(entry)?, services))
    }

    /// Lets the actor serve and place a graduate of `street` if core allows it; returns the
    /// unit the service is recorded for.
    pub(crate) async fn check_serves(
        &self,
        plan: &Plan,
        actor: &Actor,
        street: &str,
        target: String,
        ip: &str,
    ) -> Result<String> {
        if actor.may_serve_graduate(plan, street) {
            return Ok(actor.unit_code.clone().unwrap_or_default());
        }
        Err(self
            .deny(
                actor,
                target,
                "只有所在街道或区人社局的填报员可以登记服务和去向",
                ip,
            )
            .await)
    }

    /// Records one 1131 service given to a graduate; a referral names a published job post.
    pub async fn add_service(
        &self,
        plan: &Plan,
        actor: &Actor,
        graduate_id: i64,
        draft: &ServiceDraft,
        ip: &str,
    ) -> Result<i64> {
        let (entry, _) = self.graduate(plan, actor, graduate_id, ip).await?;
        let unit = self
            .check_serves(
                plan,
                actor,
                &entry.street_code,
                format!("graduate:{graduate_id}"),
                ip,
            )
            .await?;
        let today = local_date(self.now());
        let check = check_service(
            &draft.item,
            &draft.done_on,
            &draft.post_id,
            &draft.note,
            today,
            entry.year,
        );
        let published = match check.referred_post() {
            Some(id) => self.post_published(id).await?,
            None => None,
        };
        let valid = check.finish(published).map_err(Error::Fields)?;
        let (item, done_on, post_id, note) = (valid.item, valid.done_on, valid.post_id, valid.note);
        let now = self.now();
        let event = AuditEvent::new("graduate.service", format!("graduate:{graduate_id}"))
            .by(Some(actor.user_id), &actor.username)
            .detail(item.label())
            .from_ip(ip);
        let _guard = self.write_lock.lock().await;
        let id = on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let id = tx
                .insert_service(&NewService {
                    graduate_id,
                    item,
                    post_id,
                    done_on,
                    unit: &unit,
                    user_id: actor.user_id,
                    note,
                    now,
                })
                .await?;
            tx.append_audit(now, &event).await?;
            tx.commit().await?;
            id
        });
        Ok(id)
    }

    /// Whether job post `id` is published (None: there is no such post).
    async fn post_published(&self, id: i64) -> Result<Option<bool>> {
        let published: Option<Option<DateTime<Utc>>> = on_db!(self, pool => sqlx::query_scalar(
            "SELECT published_at FROM job_posts WHERE id = $1"
        )
        .bind(id)
        .fetch_optional(pool)
        .await?);
        Ok(published.map(|at| at.is_some()))
    }

    /// Records where a graduate has gone, with its date and evidence; audited.
    pub async fn set_placement(
        &self,
        plan: &Plan,
        actor: &Actor,
        graduate_id: i64,
        draft: &PlacementDraft,
        ip: &str,
    ) -> Result<()> {
        let (entry, _) = self.graduate(plan, actor, graduate_id, ip).await?;
        self.check_serves(
            plan,
            actor,
            &entry.street_code,
            format!("graduate:{graduate_id}"),
            ip,
        )
        .await?;
        let today = local_date(self.now());
        let ValidPlacement {
            placement,
            placed_on,
            evidence,
        } = validate_placement(
            &draft.placement,
            &draft.placed_on,
            &draft.evidence,
            today,
            entry.graduated_on,
        )
        .map_err(Error::Fields)?;
        let now = self.now();
        let event = AuditEvent::new("graduate.placement", format!("graduate:{graduate_id}"))
            .by(Some(actor.user_id), &actor.username)
            .detail(placement.label())
            .from_ip(ip);
        // The days the graduate counted on before, and counts on now, as placed.
        let placement_days: Vec<DayKey> = [entry.placed_on, placed_on]
            .into_iter()
            .flatten()
            .map(|day| {
                DayKey::new(
                    Kind::Placed,
                    entry.year.to_string(),
                    &entry.street_code,
                    day,
                )
            })
            .collect();
        let _guard = self.write_lock.lock().await;
        on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            tx.update_placement(graduate_id, placement, placed_on, evidence, now)
                .await?;
            tx.refresh_figures(&placement_days).await?;
            tx.append_audit(now, &event).await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// The placement rate of the `year` roster as of `on`, per street and district-wide
    /// (the district's `unit_code` is empty). A placement dated after `on` does not count yet.
    /// Read from the tallies: a few rows per street, however long the roster.
    pub async fn placement_rates(
        &self,
        year: i32,
        on: NaiveDate,
    ) -> Result<(Vec<PlacementRate>, PlacementRate)> {
        let (roster, placed) = self.placement_tallies(year, on).await?;
        let rows = roster
            .into_iter()
            .map(|(street, total)| {
                let placed = placed.get(&street).copied().unwrap_or(0);
                (street, total, placed)
            })
            .collect();
        Ok(rates_of_streets(rows))
    }

    /// [`Store::placement_rates`] counted from every graduate of the roster: the reference.
    pub(crate) async fn placement_rates_from_rows(
        &self,
        year: i32,
        on: NaiveDate,
    ) -> Result<(Vec<PlacementRate>, PlacementRate)> {
        let rows: Vec<(String, i64, i64)> = on_db!(self, pool => sqlx::query_as(
            "SELECT p.street_code, COUNT(*), \
             SUM(CASE WHEN g.placement <> 'not_yet' AND g.placed_on <= $2 THEN 1 ELSE 0 END) \
             FROM graduates g JOIN persons p ON p.id = g.person_id WHERE g.year = $1 \
             GROUP BY p.street_code ORDER BY p.street_code"
        )
        .bind(i64::from(year))
        .bind(on)
        .fetch_all(pool)
        .await?);
        Ok(rates_of_streets(rows))
    }
}

/// Per street (street, roster, placed), in order: each street's rate and the district's.
fn rates_of_streets(rows: Vec<(String, i64, i64)>) -> (Vec<PlacementRate>, PlacementRate) {
    let (total, placed) = rows
        .iter()
        .fold((0, 0), |(t, p), (_, total, placed)| (t + total, p + placed));
    let streets = rows
        .into_iter()
        .map(|(unit_code, total, placed)| PlacementRate {
            unit_code,
            total,
            placed,
            rate: rate_of(placed, total),
        })
        .collect();
    (
        streets,
        PlacementRate {
            unit_code: String::new(),
            total,
            placed,
            rate: rate_of(placed, total),
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_round_half_up_in_hundredths() {
        assert_eq!(rate_of(0, 0), None);
        assert_eq!(rate_of(9, 10), Some(9000));
        assert_eq!(rate_of(2, 3), Some(6667));
        assert_eq!(rate_of(1, 3), Some(3333));
    }
}

/// One 1131 service as it is written.
pub(crate) struct NewService<'a> {
    pub(crate) graduate_id: i64,
    pub(crate) item: ServiceItem,
    pub(crate) post_id: Option<i64>,
    pub(crate) done_on: NaiveDate,
    pub(crate) unit: &'a str,
    pub(crate) user_id: i64,
    pub(crate) note: &'a str,
    pub(crate) now: DateTime<Utc>,
}

/// The writes of a graduate's services and placement, inside the caller's transaction so that
/// the row, the placement tallies and the audit row commit together.
pub(crate) trait GraduateWrite {
    async fn insert_service(&mut self, service: &NewService<'_>) -> Result<i64>;
    async fn update_placement(
        &mut self,
        graduate_id: i64,
        placement: Placement,
        placed_on: Option<NaiveDate>,
        evidence: &str,
        now: DateTime<Utc>,
    ) -> Result<()>;
}

macro_rules! impl_graduate_write {
    ($conn:ty) => {
        impl GraduateWrite for $conn {
            async fn insert_service(&mut self, s: &NewService<'_>) -> Result<i64> {
                Ok(sqlx::query_scalar(
                    "INSERT INTO graduate_services (graduate_id, item, post_id, done_on, unit_code, \
                     user_id, note, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
                )
                .bind(s.graduate_id)
                .bind(s.item.code())
                .bind(s.post_id)
                .bind(s.done_on)
                .bind(s.unit)
                .bind(s.user_id)
                .bind(s.note)
                .bind(s.now)
                .fetch_one(&mut *self)
                .await?)
            }

            async fn update_placement(
                &mut self,
                graduate_id: i64,
                placement: Placement,
                placed_on: Option<NaiveDate>,
                evidence: &str,
                now: DateTime<Utc>,
            ) -> Result<()> {
                sqlx::query(
                    "UPDATE graduates SET placement = $2, placed_on = $3, placement_evidence = $4, \
                     placement_application = NULL, updated_at = $5 WHERE id = $1",
                )
                .bind(graduate_id)
                .bind(placement.code())
                .bind(placed_on)
                .bind(evidence)
                .bind(now)
                .execute(&mut *self)
                .await?;
                Ok(())
            }
        }
    };
}

impl_graduate_write!(SqliteConnection);
impl_graduate_write!(PgConnection);
