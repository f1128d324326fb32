//! People in the registries: residents (one row per resident ID, whatever registries they are
//! in) and the out-migrant registry (外出就业人员信息库, task 2.1.1).
//!
//! Row scoping lives here: a street's staff reach only residents whose household street
//! (户籍街道) is theirs; the units of a registry's tasks and the task force reach all; nobody
//! else reaches any. Every path — list, count, summary, detail, search, export — goes through
//! [`Store::people_scope`]. ID and phone numbers are stored encrypted with a blind index, shown
//! masked, and unmasked only for users allowed to, each time audited.

use chrono::{DateTime, NaiveDate, Utc};
use linkong_core::access::Actor;
use linkong_core::access::{PeopleScope, Roster};
use linkong_core::people::Intention;
use linkong_core::phone::mask_phone;
use linkong_core::plan::Plan;
use linkong_core::resident::mask_id;
use serde::Serialize;

use crate::audit::{AuditAppend, AuditEvent};
use crate::{BeginWrite, Error, Result, Store, on_db};

pub use crate::people_import::{
    ImportBatch, ImportOutcome, ImportRow, Importer, RowData, RowRefusal, Sealed, seal,
};

/// An out-migrant as lists and pages show them: ID and phone masked.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct MigrantEntry {
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
    pub birth_date: NaiveDate,
    pub street_code: String,
    pub community: String,
    pub schooling: Option<String>,
    pub province: String,
    pub city: String,
    pub section: String,
    pub occupation: String,
    pub skills: String,
    pub years_away: i64,
    pub intention: String,
    pub business_field: String,
    pub contact_consent: bool,
    pub surveyed_on: NaiveDate,
    pub surveyed_by: String,
    pub returned_on: Option<NaiveDate>,
    pub updated_at: DateTime<Utc>,
    /// A neighbouring district their household is in (then `street_code` is the street
    /// responsible for them); empty for the district's own residents.
    pub home_district: String,
}

const MIGRANT_SELECT: &str = "SELECT p.id AS person_id, p.name, p.id_number_enc, p.phone_enc, \
     p.gender, p.birth_date, p.street_code, p.community, p.schooling, m.province, m.city, m.section, \
     m.occupation, m.skills, m.years_away, m.intention, m.business_field, m.contact_consent, \
     m.surveyed_on, m.surveyed_by, m.returned_on, m.updated_at, m.home_district \
     FROM migrants m JOIN persons p ON p.id = m.person_id";

/// Filters of the out-migrant list; `query` is a name fragment, or a whole ID or phone number.
#[derive(Debug, Clone, Default)]
pub struct MigrantFilter {
    pub street: Option<String>,
    /// Only the district's residents surveyed in this year: the people 2.1.1's figures count.
    pub counted_in: Option<i32>,
    pub intention: Option<Intention>,
    pub province: Option<String>,
    pub section: Option<char>,
    pub query: String,
}

/// Counts of out-migrants by one dimension, largest first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct MigrantSummary {
    pub total: i64,
    pub by_street: Vec<(String, i64)>,
    pub by_province: Vec<(String, i64)>,
    pub by_section: Vec<(String, i64)>,
    pub by_intention: Vec<(String, i64)>,
}

/// The clear ID and phone number of one resident, for a user allowed to see them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unmasked {
    pub id_number: String,
    pub phone: Option<String>,
}

/// An argument of a [`Where`]: text, or the bytes of a blind index.
pub(crate) enum Arg {
    Text(String),
    Bytes(Vec<u8>),
}

impl From<String> for Arg {
    fn from(text: String) -> Arg {
        Arg::Text(text)
    }
}

impl From<Vec<u8>> for Arg {
    fn from(bytes: Vec<u8>) -> Arg {
        Arg::Bytes(bytes)
    }
}

/// `query` with `args` bound in turn (a query of either database).
macro_rules! bind_args {
    ($query:expr, $args:expr) => {{
        let mut query = $query;
        for arg in $args {
            query = match arg {
                $crate::people::Arg::Text(text) => query.bind(text),
                $crate::people::Arg::Bytes(bytes) => query.bind(bytes),
            };
        }
        query
    }};
}

/// A WHERE clause being built: conditions with `?` for their one argument.
#[derive(Default)]
pub(crate) struct Where {
    clauses: Vec<String>,
    pub(crate) args: Vec<Arg>,
}

impl Where {
    pub(crate) fn push(&mut self, clause: &str, value: impl Into<Arg>) {
        self.args.push(value.into());
        self.clauses
            .push(clause.replace('?', &format!("${}", self.args.len())));
    }

    /// Only the residents `scope` reaches.
    pub(crate) fn scope(&mut self, scope: &PeopleScope) {
        match scope {
            PeopleScope::All => {}
            PeopleScope::Street(own) => self.push("p.street_code = ?", own.clone()),
            PeopleScope::Nothing => self.clauses.push("1 = 0".into()),
        }
    }

    /// Residents whose name contains `fragment` (LIKE's wildcards taken literally).
    pub(crate) fn name_like(&mut self, fragment: &str) {
        let pattern = format!(
            "%{}%",
            fragment
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_")
        );
        self.push("p.name LIKE ? ESCAPE '\\'", pattern);
    }

    /// ` WHERE …`, or nothing without conditions.
    pub(crate) fn sql(&self) -> String {
        if self.clauses.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", self.clauses.join(" AND "))
        }
    }
}

impl Store {
    /// Whom the actor reaches in `roster`; refused (and audited) when nobody.
    pub async fn roster_scope(
        &self,
        actor: &Actor,
        plan: &Plan,
        roster: Roster,
        ip: &str,
    ) -> Result<PeopleScope> {
        let scope = actor.people_scope(plan, roster);
        if scope == PeopleScope::Nothing {
            let target = match roster {
                Roster::Migrants => "roster:migrants",
                Roster::Graduates => "roster:graduates",
            };
            let why = format!("无权查看{}", roster.label());
            return Err(self.deny(actor, target.into(), &why, ip).await);
        }
        Ok(scope)
    }

    /// Refuses and audits an actor reaching outside their scope, unless `street` is in it.
    pub(crate) async fn check_reach(
        &self,
        actor: &Actor,
        scope: &PeopleScope,
        street: &str,
        target: String,
        ip: &str,
    ) -> Result<()> {
        if scope.reaches(street) {
            return Ok(());
        }
        Err(self.deny(actor, target, "只能查看本街道户籍人员", ip).await)
    }

    /// A resident's stored ID and phone, decrypted and masked for display (no phone: empty).
    pub(crate) fn masked_numbers(
        &self,
        id_enc: &[u8],
        phone_enc: Option<&[u8]>,
    ) -> Result<(String, String)> {
        let cipher = self.cipher()?;
        let phone = match phone_enc {
            Some(enc) => mask_phone(&cipher.decrypt(enc)?),
            None => String::new(),
        };
        Ok((mask_id(&cipher.decrypt(id_enc)?), phone))
    }

    fn reveal(&self, mut entry: MigrantEntry) -> Result<MigrantEntry> {
        (entry.id_masked, entry.phone_masked) =
            self.masked_numbers(&entry.id_number_enc, entry.phone_enc.as_deref())?;
        Ok(entry)
    }

    /// One page of `list_sql` and the total of `count_sql`, both with the same text arguments.
    pub(crate) async fn page_with_count<T>(
        &self,
        list_sql: String,
        count_sql: String,
        args: &[Arg],
    ) -> Result<(Vec<T>, i64)>
    where
        T: for<'r> sqlx::FromRow<'r, sqlx::sqlite::SqliteRow>
            + for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow>
            + Send
            + Unpin,
    {
        Ok(on_db!(self, pool => {
            let list = bind_args!(sqlx::query_as(sqlx::AssertSqlSafe(list_sql.clone())), args);
            let count = bind_args!(sqlx::query_scalar(sqlx::AssertSqlSafe(count_sql.clone())), args);
            (list.fetch_all(pool).await?, count.fetch_one(pool).await?)
        }))
    }

    /// The WHERE clause and its text arguments for a scoped, filtered out-migrant query.
    async fn migrant_where(
        &self,
        actor: &Actor,
        scope: &PeopleScope,
        filter: &MigrantFilter,
        ip: &str,
    ) -> Result<(String, Vec<Arg>)> {
        let mut w = Where::default();
        w.scope(scope);
        if let Some(street) = &filter.street {
            self.check_reach(actor, scope, street, format!("street:{street}"), ip)
                .await?;
            w.push("p.street_code = ?", street.clone());
        }
        if let Some(intention) = filter.intention {
            w.push("m.intention = ?", intention.code().to_owned());
        }
        if let Some(year) = filter.counted_in {
            // Dates compared as ISO text on both backends.
            w.push("m.home_district = ?", String::new());
            w.push(
                "CAST(m.surveyed_on AS TEXT) >= ?",
                format!("{year:04}-01-01"),
            );
            w.push(
                "CAST(m.surveyed_on AS TEXT) <= ?",
                format!("{year:04}-12-31"),
            );
        }
        if let Some(province) = &filter.province {
            w.push("m.province = ?", province.clone());
        }
        if let Some(section) = filter.section {
            w.push("m.section = ?", section.to_string());
        }
        let query = filter.query.trim();
        if !query.is_empty() {
            if let Some(index) = self.exact_lookup(query)? {
                // A whole ID or phone number: found through the blind index only.
                let (column, value) = index;
                let outside: Option<(String,)> = on_db!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(format!(
                    "SELECT street_code FROM persons WHERE {column} = $1"
                )))
                .bind(&value)
                .fetch_optional(pool)
                .await?);
                if let Some((street,)) = outside
                    && !scope.reaches(&street)
                {
                    let event = AuditEvent::new("access.denied", "person:lookup")
                        .by(Some(actor.user_id), &actor.username)
                        .detail("按号码查找其他街道户籍人员")
                        .from_ip(ip);
                    self.audit(event).await?;
                }
                w.push(&format!("p.{column} = ?"), value);
            } else {
                w.name_like(query);
            }
        }
        Ok((w.sql(), w.args))
    }

    /// A whole resident ID or phone number typed into a search box: the column and blind index.
    fn exact_lookup(&self, query: &str) -> Result<Option<(&'static str, Vec<u8>)>> {
        let cipher = self.cipher()?;
        if let Ok(id) = linkong_core::resident::ResidentId::parse(query) {
            return Ok(Some(("id_number_index", cipher.blind_index(id.as_str()))));
        }
        let digits: String = query.chars().filter(|c| !c.is_whitespace()).collect();
        if digits.len() >= 7
            && let Ok(phone) = linkong_core::phone::Phone::parse(&digits)
        {
            return Ok(Some(("phone_index", cipher.blind_index(phone.expose()))));
        }
        Ok(None)
    }

    /// One page of out-migrants the actor reaches, newest surveys first, and how many match.
    pub async fn migrants(
        &self,
        plan: &Plan,
        actor: &Actor,
        filter: &MigrantFilter,
        page: u32,
        per_page: u32,
        ip: &str,
    ) -> Result<(Vec<MigrantEntry>, i64)> {
        let scope = actor.people_scope(plan, Roster::Migrants);
        let (clause, args) = self.migrant_where(actor, &scope, filter, ip).await?;
        let offset = i64::from(page.saturating_sub(1)) * i64::from(per_page);
        let list_sql = format!(
            "{MIGRANT_SELECT}{clause} ORDER BY m.surveyed_on DESC, p.id DESC LIMIT {} OFFSET {offset}",
            per_page
        );
        let count_sql =
            format!("SELECT COUNT(*) FROM migrants m JOIN persons p ON p.id = m.person_id{clause}");
        let (rows, total): (Vec<MigrantEntry>, i64) =
            self.page_with_count(list_sql, count_sql, &args).await?;
        let rows = rows
            .into_iter()
            .map(|row| self.reveal(row))
            .collect::<Result<Vec<_>>>()?;
        Ok((rows, total))
    }

    /// How many out-migrants the actor reaches, by street, destination, trade and intention.
    pub async fn migrant_summary(
        &self,
        plan: &Plan,
        actor: &Actor,
        filter: &MigrantFilter,
        ip: &str,
    ) -> Result<MigrantSummary> {
        let scope = actor.people_scope(plan, Roster::Migrants);
        let (clause, args) = self.migrant_where(actor, &scope, filter, ip).await?;
        let mut summary = MigrantSummary::default();
        for (column, slot) in [
            ("p.street_code", &mut summary.by_street),
            ("m.province", &mut summary.by_province),
            ("m.section", &mut summary.by_section),
            ("m.intention", &mut summary.by_intention),
        ] {
            let sql = format!(
                "SELECT {column}, COUNT(*) FROM migrants m JOIN persons p ON p.id = m.person_id\
                 {clause} GROUP BY {column} ORDER BY COUNT(*) DESC, {column}"
            );
            *slot = on_db!(self, pool => {
                bind_args!(sqlx::query_as(sqlx::AssertSqlSafe(sql.clone())), &args)
                    .fetch_all(pool)
                    .await?
            });
        }
        summary.total = summary.by_street.iter().map(|(_, n)| n).sum();
        Ok(summary)
    }

    /// One out-migrant, if the actor reaches their street; an attempt outside is audited.
    pub async fn migrant(
        &self,
        plan: &Plan,
        actor: &Actor,
        person_id: i64,
        ip: &str,
    ) -> Result<MigrantEntry> {
        let scope = actor.people_scope(plan, Roster::Migrants);
        let entry: Option<MigrantEntry> = on_db!(self, pool => sqlx::query_as(
            sqlx::AssertSqlSafe(format!("{MIGRANT_SELECT} WHERE p.id = $1"))
        )
        .bind(person_id)
        .fetch_optional(pool)
        .await?);
        let entry = entry.ok_or_else(|| Error::not_found(format!("人员 {person_id}")))?;
        self.check_reach(
            actor,
            &scope,
            &entry.street_code,
            format!("person:{person_id}"),
            ip,
        )
        .await?;
        self.reveal(entry)
    }

    /// Records that an out-migrant has come back (or clears it), by the staff of their street
    /// or of a lead unit of task 2.1.1; audited.
    pub async fn set_returned(
        &self,
        plan: &Plan,
        actor: &Actor,
        person_id: i64,
        returned_on: &str,
        ip: &str,
    ) -> Result<()> {
        let entry = self.migrant(plan, actor, person_id, ip).await?;
        if !actor.may_record_return(plan, &entry.street_code) {
            return Err(self
                .deny(
                    actor,
                    format!("person:{person_id}"),
                    "只有户籍街道或牵头部门的填报员可以登记返区",
                    ip,
                )
                .await);
        }
        let today = linkong_core::time::local_date(self.now());
        let day = linkong_core::people::return_day(returned_on, today, entry.surveyed_on)?;
        let now = self.now();
        let event = AuditEvent::new("migrant.returned", format!("person:{person_id}"))
            .by(Some(actor.user_id), &actor.username)
            .detail(day.map_or("清除返区日期".into(), |d| d.to_string()))
            .from_ip(ip);
        let _guard = self.write_lock.lock().await;
        on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            sqlx::query("UPDATE migrants SET returned_on = $1, updated_at = $2 WHERE person_id = $3")
                .bind(day)
                .bind(now)
                .bind(person_id)
                .execute(&mut *tx)
                .await?;
            tx.append_audit(now, &event).await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// May this user see ID and phone numbers in clear (granted by an admin)?
    pub async fn may_unmask(&self, actor: &Actor) -> Result<bool> {
        let allowed: Option<bool> = on_db!(self, pool => sqlx::query_scalar(
            "SELECT may_unmask FROM users WHERE id = $1 AND disabled = FALSE"
        )
        .bind(actor.user_id)
        .fetch_optional(pool)
        .await?);
        Ok(allowed.unwrap_or(false))
    }

    /// Refuses (and audits, naming `target`) a user who may not see numbers in clear.
    pub(crate) async fn check_may_unmask(
        &self,
        actor: &Actor,
        target: String,
        ip: &str,
    ) -> Result<()> {
        if self.may_unmask(actor).await? {
            return Ok(());
        }
        Err(self.deny(actor, target, "没有查看完整号码的权限", ip).await)
    }

    /// Grants or withdraws the unmask permission (admins only), audited.
    pub async fn set_may_unmask(
        &self,
        actor: &Actor,
        user_id: i64,
        allowed: bool,
        ip: &str,
    ) -> Result<()> {
        if !actor.role.manages_users() {
            return Err(self
                .deny(
                    actor,
                    format!("user:{user_id}"),
                    "只有系统管理员能授予查看完整号码的权限",
                    ip,
                )
                .await);
        }
        let _guard = self.write_lock.lock().await;
        let at = self.now();
        let event = AuditEvent::new("user.may_unmask", format!("user:{user_id}"))
            .by(Some(actor.user_id), &actor.username)
            .detail(if allowed { "授予" } else { "收回" })
            .from_ip(ip);
        on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let done = sqlx::query("UPDATE users SET may_unmask = $1 WHERE id = $2")
                .bind(allowed)
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
            if done.rows_affected() == 0 {
                return Err(Error::not_found(format!("用户 {user_id}")));
            }
            tx.append_audit(at, &event).await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// The clear ID and phone number of a resident the actor reaches, for a user allowed to
    /// unmask; every unmask is audited (who, whom).
    pub async fn unmask_person(
        &self,
        plan: &Plan,
        actor: &Actor,
        roster: Roster,
        person_id: i64,
        ip: &str,
    ) -> Result<Unmasked> {
        let scope = actor.people_scope(plan, roster);
        let row: Option<(Vec<u8>, Option<Vec<u8>>, String)> = on_db!(self, pool => sqlx::query_as(
            "SELECT id_number_enc, phone_enc, street_code FROM persons WHERE id = $1"
        )
        .bind(person_id)
        .fetch_optional(pool)
        .await?);
        let (id_enc, phone_enc, street) =
            row.ok_or_else(|| Error::not_found(format!("人员 {person_id}")))?;
        self.check_reach(actor, &scope, &street, format!("person:{person_id}"), ip)
            .await?;
        self.check_may_unmask(actor, format!("person:{person_id}"), ip)
            .await?;
        let cipher = self.cipher()?;
        let unmasked = Unmasked {
            id_number: cipher.decrypt(&id_enc)?,
            phone: phone_enc.map(|enc| cipher.decrypt(&enc)).transpose()?,
        };
        self.audit(
            AuditEvent::new("person.unmask", format!("person:{person_id}"))
                .by(Some(actor.user_id), &actor.username)
                .detail(roster.label())
                .from_ip(ip),
        )
        .await?;
        Ok(unmasked)
    }

    /// Every out-migrant the actor reaches under `filter`, for export: masked, or in clear for
    /// a user allowed to unmask who asks for it. Audited with the row count.
    pub async fn export_migrants(
        &self,
        plan: &Plan,
        actor: &Actor,
        filter: &MigrantFilter,
        unmasked: bool,
        ip: &str,
    ) -> Result<Vec<(MigrantEntry, Option<Unmasked>)>> {
        if unmasked && !self.may_unmask(actor).await? {
            return Err(self
                .deny(
                    actor,
                    "export:migrants".into(),
                    "没有导出完整号码的权限",
                    ip,
                )
                .await);
        }
        let scope = actor.people_scope(plan, Roster::Migrants);
        if scope == PeopleScope::Nothing {
            return Err(self
                .deny(
                    actor,
                    "export:migrants".into(),
                    "无权导出外出就业人员信息",
                    ip,
                )
                .await);
        }
        let (clause, args) = self.migrant_where(actor, &scope, filter, ip).await?;
        let sql = format!("{MIGRANT_SELECT}{clause} ORDER BY p.street_code, p.id");
        let rows: Vec<MigrantEntry> = on_db!(self, pool => {
            bind_args!(sqlx::query_as(sqlx::AssertSqlSafe(sql.clone())), &args)
                .fetch_all(pool)
                .await?
        });
        let cipher = self.cipher()?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let clear = if unmasked {
                Some(Unmasked {
                    id_number: cipher.decrypt(&row.id_number_enc)?,
                    phone: row
                        .phone_enc
                        .as_deref()
                        .map(|enc| cipher.decrypt(enc))
                        .transpose()?,
                })
            } else {
                None
            };
            out.push((self.reveal(row)?, clear));
        }
        self.audit(
            AuditEvent::new("person.export", "export:migrants")
                .by(Some(actor.user_id), &actor.username)
                .detail(format!(
                    "{} 行，{}",
                    out.len(),
                    if unmasked {
                        "完整号码"
                    } else {
                        "号码已脱敏"
                    }
                ))
                .from_ip(ip),
        )
        .await?;
        Ok(out)
    }
}
