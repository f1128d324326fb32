//! Returnee businesses (返区创业主体, issue 13 item 1): registered and changed by their street's
//! staff or by a unit leading part 二 of the plan, read by street as `core::access` decides,
//! with founders from the out-migrant registry (named by resident ID, found through the blind
//! index), employment snapshots and status changes. Every write is one transaction with its
//! audit row.

use chrono::{DateTime, NaiveDate, Utc};
use linkong_core::access::may_write_typed_street;
use linkong_core::access::{Actor, PeopleScope};
use linkong_core::businesses::{
    BusinessDraft, BusinessForm, BusinessStatus, Employment, LegalForm, StatusChange,
    ValidBusiness, status_change, validate_business, validate_employment,
};
use linkong_core::failure::closure_opens_cases;
use linkong_core::field::FieldError;
use linkong_core::plan::Plan;
use linkong_core::time::local_date;
use serde::Serialize;
use sqlx::{PgConnection, SqliteConnection};

use crate::audit::{AuditAppend, AuditEvent};
use crate::failure::FailureWrite;
use crate::{BeginWrite, Error, Result, Store, on_db};

/// A founder as pages show them: ID masked.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Founder {
    pub person_id: i64,
    pub name: String,
    pub id_masked: String,
}

/// A business as lists, pages and the API show it, with its latest employment snapshot.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Business {
    pub id: i64,
    pub name: String,
    pub uscc: String,
    pub licensed_on: NaiveDate,
    pub legal_form: LegalForm,
    /// GB/T 4754 section letter.
    pub section: String,
    pub forms: Vec<BusinessForm>,
    pub street_code: String,
    /// Where it trades when that is no carrier (柏泉茅庙集).
    pub site: String,
    /// The start-up carrier it is in now, if any: its site.
    pub carrier_id: Option<i64>,
    pub carrier_name: Option<String>,
    pub status: BusinessStatus,
    pub status_on: NaiveDate,
    pub close_reason: String,
    /// The latest employment snapshot: its day, headcount and how many are insured.
    pub counted_on: Option<NaiveDate>,
    pub headcount: Option<i64>,
    pub insured: Option<i64>,
    pub founders: Vec<Founder>,
    pub updated_at: DateTime<Utc>,
}

/// One employment snapshot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EmploymentEntry {
    pub counted_on: NaiveDate,
    pub headcount: i64,
    pub insured: i64,
}

/// One change of status, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatusEntry {
    pub status: BusinessStatus,
    pub changed_on: NaiveDate,
    pub reason: String,
}

/// A business with its history and the projects it adopted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BusinessDetail {
    pub business: Business,
    pub employment: Vec<EmploymentEntry>,
    pub history: Vec<StatusEntry>,
    /// (project id, name) of the library's projects this business adopted.
    pub projects: Vec<(i64, String)>,
    /// Its stays in start-up carriers, latest first.
    pub stays: Vec<crate::carriers::Residence>,
}

/// Filters of the business list; `query` is a fragment of the name.
#[derive(Debug, Clone, Default)]
pub struct BusinessFilter {
    pub street: Option<String>,
    pub status: Option<BusinessStatus>,
    pub query: String,
    /// Only the businesses this resident founded.
    pub founder: Option<i64>,
}

type BusinessRow = (
    i64,
    String,
    String,
    NaiveDate,
    String,
    String,
    String,
    String,
    String,
    String,
    NaiveDate,
    String,
    DateTime<Utc>,
    Option<NaiveDate>,
    Option<i64>,
    Option<i64>,
);

const BUSINESS_SELECT: &str = "SELECT b.id, b.name, b.uscc, b.licensed_on, b.legal_form, b.section, b.forms, \
     b.street_code, b.site, b.status, b.status_on, b.close_reason, b.updated_at, e.counted_on, e.headcount, e.insured \
     FROM businesses b LEFT JOIN business_employment e ON e.business_id = b.id \
     AND e.counted_on = (SELECT MAX(x.counted_on) FROM business_employment x WHERE x.business_id = b.id)";

/// The list's conditions: `$1` street ('' for all), `$2` status, `$3` a LIKE pattern of the
/// name, `$4` a founder (0 for any).
const BUSINESS_WHERE: &str = " WHERE ($1 = '' OR b.street_code = $1) AND ($2 = '' OR b.status = $2) \
     AND ($3 = '' OR b.name LIKE $3 ESCAPE '\\') \
     AND ($4 = 0 OR b.id IN (SELECT f.business_id FROM business_founders f WHERE f.person_id = $4))";

/// The most businesses one list shows.
const MAX_LIST: i64 = 2000;

fn business_view(row: BusinessRow) -> Result<Business> {
    let (id, name, uscc, licensed_on, legal_form, section, forms, street_code, site, status) = (
        row.0, row.1, row.2, row.3, row.4, row.5, row.6, row.7, row.8, row.9,
    );
    let unreadable = |what: &str| Error::Config(format!("返区创业主体 {id} 的{what}无法识别"));
    Ok(Business {
        id,
        name,
        uscc,
        licensed_on,
        legal_form: LegalForm::parse(&legal_form).map_err(|_| unreadable("组织形式"))?,
        section,
        forms: forms
            .split(',')
            .filter(|c| !c.is_empty())
            .map(|c| BusinessForm::parse(c).map_err(|_| unreadable("新业态")))
            .collect::<Result<_>>()?,
        street_code,
        site,
        status: BusinessStatus::parse(&status).map_err(|_| unreadable("经营状态"))?,
        status_on: row.10,
        close_reason: row.11,
        updated_at: row.12,
        counted_on: row.13,
        headcount: row.14,
        insured: row.15,
        founders: Vec::new(),
        carrier_id: None,
        carrier_name: None,
    })
}

/// A name fragment as a LIKE pattern (its wildcards taken literally), or '' for none.
pub(crate) fn like_pattern(fragment: &str) -> String {
    let fragment = fragment.trim();
    if fragment.is_empty() {
        return String::new();
    }
    format!(
        "%{}%",
        fragment
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_")
    )
}

impl Store {
    /// The street a business list is limited to ('' for all), as the actor's reach allows;
    /// asking beyond it, or having no reach, is refused and audited.
    async fn business_street(
        &self,
        plan: &Plan,
        actor: &Actor,
        asked: Option<&str>,
        ip: &str,
    ) -> Result<String> {
        match (actor.business_scope(plan), asked) {
            (PeopleScope::All, asked) => Ok(asked.unwrap_or_default().to_owned()),
            (PeopleScope::Street(own), None) => Ok(own),
            (PeopleScope::Street(own), Some(asked)) if asked == own => Ok(own),
            (PeopleScope::Street(_), Some(asked)) => Err(self
                .deny(
                    actor,
                    format!("businesses:{asked}"),
                    "只能查看本街道的返区创业主体",
                    ip,
                )
                .await),
            (PeopleScope::Nothing, _) => Err(self
                .deny(actor, "businesses".into(), "无权查看返区创业主体", ip)
                .await),
        }
    }

    /// The businesses the actor reaches that match `filter`, newest licence first, each with
    /// its founders (IDs masked).
    pub async fn businesses(
        &self,
        plan: &Plan,
        actor: &Actor,
        filter: &BusinessFilter,
        ip: &str,
    ) -> Result<Vec<Business>> {
        let street = self
            .business_street(plan, actor, filter.street.as_deref(), ip)
            .await?;
        let args = (
            street,
            filter.status.map_or("", |s| s.code()).to_owned(),
            like_pattern(&filter.query),
            filter.founder.unwrap_or(0),
        );
        let rows: Vec<BusinessRow> = on_db!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "{BUSINESS_SELECT}{BUSINESS_WHERE} ORDER BY b.licensed_on DESC, b.id DESC LIMIT {MAX_LIST}"
        )))
        .bind(&args.0)
        .bind(&args.1)
        .bind(&args.2)
        .bind(args.3)
        .fetch_all(pool)
        .await?);
        let founders: Vec<(i64, i64, String, Vec<u8>)> = on_db!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT f.business_id, p.id, p.name, p.id_number_enc FROM business_founders f \
             JOIN persons p ON p.id = f.person_id JOIN businesses b ON b.id = f.business_id{BUSINESS_WHERE} \
             ORDER BY f.business_id, f.position"
        )))
        .bind(&args.0)
        .bind(&args.1)
        .bind(&args.2)
        .bind(args.3)
        .fetch_all(pool)
        .await?);
        let mut list = rows
            .into_iter()
            .map(business_view)
            .collect::<Result<Vec<_>>>()?;
        let carriers: Vec<(i64, i64, String)> = on_db!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT b.id, c.id, c.name FROM businesses b JOIN carriers c ON c.id = b.carrier_id{BUSINESS_WHERE}"
        )))
        .bind(&args.0)
        .bind(&args.1)
        .bind(&args.2)
        .bind(args.3)
        .fetch_all(pool)
        .await?);
        for (business_id, carrier_id, name) in carriers {
            if let Some(b) = list.iter_mut().find(|b| b.id == business_id) {
                (b.carrier_id, b.carrier_name) = (Some(carrier_id), Some(name));
            }
        }
        for (business_id, person_id, name, id_enc) in founders {
            if let Some(b) = list.iter_mut().find(|b| b.id == business_id) {
                b.founders.push(Founder {
                    person_id,
                    name,
                    id_masked: self.masked_numbers(&id_enc, None)?.0,
                });
            }
        }
        Ok(list)
    }

    /// One business with its founders, as stored (no access check: callers check).
    pub(crate) async fn stored_business(&self, id: i64) -> Result<Business> {
        let row: Option<BusinessRow> = on_db!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "{BUSINESS_SELECT} WHERE b.id = $1"
        )))
        .bind(id)
        .fetch_optional(pool)
        .await?);
        let mut business =
            business_view(row.ok_or_else(|| Error::not_found("该返区创业主体不存在"))?)?;
        let founders: Vec<(i64, String, Vec<u8>)> = on_db!(self, pool => sqlx::query_as(
            "SELECT p.id, p.name, p.id_number_enc FROM business_founders f \
             JOIN persons p ON p.id = f.person_id WHERE f.business_id = $1 ORDER BY f.position"
        )
        .bind(id)
        .fetch_all(pool)
        .await?);
        for (person_id, name, id_enc) in founders {
            business.founders.push(Founder {
                person_id,
                name,
                id_masked: self.masked_numbers(&id_enc, None)?.0,
            });
        }
        let carrier: Option<(i64, String)> = on_db!(self, pool => sqlx::query_as(
            "SELECT c.id, c.name FROM businesses b JOIN carriers c ON c.id = b.carrier_id WHERE b.id = $1"
        )
        .bind(id)
        .fetch_optional(pool)
        .await?);
        if let Some((carrier_id, name)) = carrier {
            (business.carrier_id, business.carrier_name) = (Some(carrier_id), Some(name));
        }
        Ok(business)
    }

    /// One business with its employment, status history and adopted projects, if the actor
    /// reaches its street; an attempt outside is refused and audited.
    pub async fn business(
        &self,
        plan: &Plan,
        actor: &Actor,
        id: i64,
        ip: &str,
    ) -> Result<BusinessDetail> {
        let business = self.stored_business(id).await?;
        if !actor.business_scope(plan).reaches(&business.street_code) {
            return Err(self
                .deny(
                    actor,
                    format!("business:{id}"),
                    "只能查看本街道的返区创业主体",
                    ip,
                )
                .await);
        }
        let employment: Vec<(NaiveDate, i64, i64)> = on_db!(self, pool => sqlx::query_as(
            "SELECT counted_on, headcount, insured FROM business_employment \
             WHERE business_id = $1 ORDER BY counted_on DESC"
        )
        .bind(id)
        .fetch_all(pool)
        .await?);
        let history: Vec<(String, NaiveDate, String)> = on_db!(self, pool => sqlx::query_as(
            "SELECT status, changed_on, reason FROM business_status_changes \
             WHERE business_id = $1 ORDER BY changed_on, id"
        )
        .bind(id)
        .fetch_all(pool)
        .await?);
        Ok(BusinessDetail {
            business,
            employment: employment
                .into_iter()
                .map(|(counted_on, headcount, insured)| EmploymentEntry {
                    counted_on,
                    headcount,
                    insured,
                })
                .collect(),
            history: history
                .into_iter()
                .filter_map(|(status, changed_on, reason)| {
                    let status = BusinessStatus::parse(&status).ok()?;
                    Some(StatusEntry {
                        status,
                        changed_on,
                        reason,
                    })
                })
                .collect(),
            projects: self.adopted_projects(id).await?,
            stays: self.stays_of_business(id).await?,
        })
    }

    /// The library's projects a business adopted: (id, name), in adoption order.
    pub(crate) async fn adopted_projects(&self, business_id: i64) -> Result<Vec<(i64, String)>> {
        Ok(on_db!(self, pool => sqlx::query_as(
            "SELECT p.id, p.name FROM project_adoptions a JOIN projects p ON p.id = a.project_id \
             WHERE a.business_id = $1 ORDER BY a.adopted_on, p.id"
        )
        .bind(business_id)
        .fetch_all(pool)
        .await?))
    }

    /// The businesses a resident founded, within the actor's reach, each with the projects it
    /// adopted (the resident's page).
    pub async fn businesses_of_person(
        &self,
        plan: &Plan,
        actor: &Actor,
        person_id: i64,
        ip: &str,
    ) -> Result<Vec<(Business, Vec<(i64, String)>)>> {
        if actor.business_scope(plan) == PeopleScope::Nothing {
            return Ok(Vec::new());
        }
        let filter = BusinessFilter {
            founder: Some(person_id),
            ..BusinessFilter::default()
        };
        let mut founded = Vec::new();
        for business in self.businesses(plan, actor, &filter, ip).await? {
            let projects = self.adopted_projects(business.id).await?;
            founded.push((business, projects));
        }
        Ok(founded)
    }

    /// A business the actor may change; refused and audited otherwise.
    pub(crate) async fn writable_business(
        &self,
        plan: &Plan,
        actor: &Actor,
        id: i64,
        ip: &str,
    ) -> Result<Business> {
        let business = self.stored_business(id).await?;
        if !actor.may_write_business(plan, &business.street_code) {
            return Err(self
                .deny(
                    actor,
                    format!("business:{id}"),
                    "只能登记和修改本街道的返区创业主体",
                    ip,
                )
                .await);
        }
        Ok(business)
    }

    /// Refuses (and audits) an actor who may not write businesses of the street the draft
    /// names, or of any street when it names none the plan knows.
    async fn check_business_street(
        &self,
        plan: &Plan,
        actor: &Actor,
        draft: &BusinessDraft,
        ip: &str,
    ) -> Result<()> {
        if may_write_typed_street(plan, &draft.street, |s| actor.may_write_business(plan, s)) {
            return Ok(());
        }
        Err(self
            .deny(
                actor,
                format!("business:street:{}", draft.street.trim()),
                "只能登记和修改本街道的返区创业主体",
                ip,
            )
            .await)
    }

    /// The founders' person ids: each in the out-migrant registry and within the actor's
    /// reach; what is wrong goes to `errors`, naming the founder's position.
    async fn founder_ids(
        &self,
        plan: &Plan,
        actor: &Actor,
        valid: &ValidBusiness,
        errors: &mut Vec<FieldError>,
    ) -> Result<Vec<i64>> {
        let mut ids = Vec::new();
        for (n, id) in valid.founders.iter().enumerate() {
            match self.returnee(plan, actor, id.as_str()).await? {
                Ok(person) => ids.push(person),
                Err(message) => errors.push(FieldError {
                    field: "创办人",
                    message: format!("第{}个：{message}", n + 1),
                }),
            }
        }
        Ok(ids)
    }

    /// Notes a USCC already registered for another business.
    async fn check_uscc_free(
        &self,
        valid: &ValidBusiness,
        id: Option<i64>,
        errors: &mut Vec<FieldError>,
    ) -> Result<()> {
        let taken: Option<(i64, String)> = on_db!(self, pool => sqlx::query_as(
            "SELECT id, name FROM businesses WHERE uscc = $1 AND id <> $2"
        )
        .bind(valid.uscc.as_str())
        .bind(id.unwrap_or(0))
        .fetch_optional(pool)
        .await?);
        if let Some((_, name)) = taken {
            errors.push(FieldError {
                field: "统一社会信用代码",
                message: format!("已登记为“{name}”"),
            });
        }
        Ok(())
    }

    /// Registers a business (`id` None) or changes one, with its founders (a change may keep
    /// them); one transaction with its audit row. Its status starts as operating on the
    /// licence day.
    pub async fn save_business(
        &self,
        plan: &Plan,
        actor: &Actor,
        id: Option<i64>,
        draft: &BusinessDraft,
        ip: &str,
    ) -> Result<i64> {
        if let Some(id) = id {
            self.writable_business(plan, actor, id, ip).await?;
        }
        self.check_business_street(plan, actor, draft, ip).await?;
        let draft = BusinessDraft {
            keep_founders: draft.keep_founders && id.is_some(),
            ..draft.clone()
        };
        let valid =
            validate_business(plan, &draft, local_date(self.now())).map_err(Error::Fields)?;
        let mut errors = Vec::new();
        self.check_uscc_free(&valid, id, &mut errors).await?;
        let founders = self.founder_ids(plan, actor, &valid, &mut errors).await?;
        if !errors.is_empty() {
            return Err(Error::Fields(errors));
        }
        let now = self.now();
        let event = AuditEvent::new(
            if id.is_some() {
                "business.update"
            } else {
                "business.create"
            },
            format!("business:{}", valid.uscc.as_str()),
        )
        .by(Some(actor.user_id), &actor.username)
        .detail(format!("{}（{}）", valid.name, valid.street_code))
        .from_ip(ip);
        let write = BusinessRowWrite {
            valid: &valid,
            user_id: actor.user_id,
            now,
        };
        let _guard = self.write_lock.lock().await;
        Ok(on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let id = match id {
                Some(id) => {
                    tx.update_business(id, &write).await?;
                    id
                }
                None => tx.insert_business(&write).await?,
            };
            if !founders.is_empty() {
                tx.set_founders(id, &founders).await?;
            }
            tx.append_audit(now, &event).await?;
            tx.commit().await?;
            id
        }))
    }

    /// Records how many people a business employs on a day and how many are insured (a second
    /// entry of the same day replaces the first).
    pub async fn record_employment(
        &self,
        plan: &Plan,
        actor: &Actor,
        id: i64,
        (on, headcount, insured): (&str, &str, &str),
        ip: &str,
    ) -> Result<()> {
        let business = self.writable_business(plan, actor, id, ip).await?;
        let today = local_date(self.now());
        let counted = validate_employment(on, headcount, insured, business.licensed_on, today)
            .map_err(Error::Fields)?;
        let now = self.now();
        let event = AuditEvent::new("business.employment", format!("business:{id}"))
            .by(Some(actor.user_id), &actor.username)
            .detail(format!(
                "{}：从业 {} 人，参保 {} 人",
                counted.on, counted.headcount, counted.insured
            ))
            .from_ip(ip);
        let _guard = self.write_lock.lock().await;
        on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            tx.upsert_employment(id, &counted, actor.user_id, now).await?;
            tx.append_audit(now, &event).await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// Changes a business's status (operating, suspended, closed with a reason), kept in its
    /// history. A closure opens a failure-support case (task 2.3.4) for each founder in the
    /// same transaction: if a case cannot be written, the business stays as it was.
    pub async fn change_business_status(
        &self,
        plan: &Plan,
        actor: &Actor,
        id: i64,
        (status, on, reason): (&str, &str, &str),
        ip: &str,
    ) -> Result<()> {
        let business = self.writable_business(plan, actor, id, ip).await?;
        let today = local_date(self.now());
        let change = status_change(
            business.status,
            status,
            on,
            reason,
            business.licensed_on,
            today,
        )
        .map_err(Error::Fields)?;
        let now = self.now();
        let cases = if closure_opens_cases(change.status) {
            crate::failure::cases_of_closure(
                &business,
                change.on,
                &change.reason,
                actor.user_id,
                now,
            )
        } else {
            Vec::new()
        };
        let opened = if cases.is_empty() {
            String::new()
        } else {
            format!("；建立创业失败帮扶档案 {} 份", cases.len())
        };
        let event = AuditEvent::new("business.status", format!("business:{id}"))
            .by(Some(actor.user_id), &actor.username)
            .detail(format!(
                "{}（{}）{}{opened}",
                change.status.label(),
                change.on,
                change.reason
            ))
            .from_ip(ip);
        let _guard = self.write_lock.lock().await;
        on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            tx.change_status(id, &change, actor.user_id, now).await?;
            for case in &cases {
                tx.insert_case(case).await?;
            }
            tx.append_audit(now, &event).await?;
            tx.commit().await?;
        });
        Ok(())
    }
}

/// A business as it is written (its founders are written beside it).
struct BusinessRowWrite<'a> {
    valid: &'a ValidBusiness,
    user_id: i64,
    now: DateTime<Utc>,
}

impl BusinessRowWrite<'_> {
    fn forms(&self) -> String {
        self.valid
            .forms
            .iter()
            .map(|f| f.code())
            .collect::<Vec<_>>()
            .join(",")
    }
}

/// The writes of a business, inside the caller's transaction so that the business, its
/// founders, its history and the audit row commit together.
trait BusinessWrite {
    async fn insert_business(&mut self, write: &BusinessRowWrite<'_>) -> Result<i64>;
    async fn update_business(&mut self, id: i64, write: &BusinessRowWrite<'_>) -> Result<()>;
    async fn set_founders(&mut self, id: i64, founders: &[i64]) -> Result<()>;
    async fn upsert_employment(
        &mut self,
        id: i64,
        counted: &Employment,
        user_id: i64,
        now: DateTime<Utc>,
    ) -> Result<()>;
    async fn change_status(
        &mut self,
        id: i64,
        change: &StatusChange,
        user_id: i64,
        now: DateTime<Utc>,
    ) -> Result<()>;
}

macro_rules! impl_business_write {
    ($conn:ty) => {
        impl BusinessWrite for $conn {
            async fn insert_business(&mut self, w: &BusinessRowWrite<'_>) -> Result<i64> {
                let v = w.valid;
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO businesses (name, uscc, licensed_on, legal_form, section, forms, street_code, \
                     site, status, status_on, close_reason, created_by, created_at, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'operating', $3, '', $9, $10, $10) RETURNING id",
                )
                .bind(&v.name)
                .bind(v.uscc.as_str())
                .bind(v.licensed_on)
                .bind(v.legal_form.code())
                .bind(v.section.letter().to_string())
                .bind(w.forms())
                .bind(&v.street_code)
                .bind(&v.site)
                .bind(w.user_id)
                .bind(w.now)
                .fetch_one(&mut *self)
                .await?;
                let opened = StatusChange {
                    status: BusinessStatus::Operating,
                    on: v.licensed_on,
                    reason: "登记".into(),
                };
                insert_history(self, id, &opened, w.user_id, w.now).await?;
                Ok(id)
            }

            async fn update_business(&mut self, id: i64, w: &BusinessRowWrite<'_>) -> Result<()> {
                let v = w.valid;
                sqlx::query(
                    "UPDATE businesses SET name = $1, uscc = $2, licensed_on = $3, legal_form = $4, section = $5, \
                     forms = $6, street_code = $7, site = $8, updated_at = $9 WHERE id = $10",
                )
                .bind(&v.name)
                .bind(v.uscc.as_str())
                .bind(v.licensed_on)
                .bind(v.legal_form.code())
                .bind(v.section.letter().to_string())
                .bind(w.forms())
                .bind(&v.street_code)
                .bind(&v.site)
                .bind(w.now)
                .bind(id)
                .execute(&mut *self)
                .await?;
                Ok(())
            }

            async fn set_founders(&mut self, id: i64, founders: &[i64]) -> Result<()> {
                sqlx::query("DELETE FROM business_founders WHERE business_id = $1")
                    .bind(id)
                    .execute(&mut *self)
                    .await?;
                for (position, person) in (0_i64..).zip(founders) {
                    sqlx::query(
                        "INSERT INTO business_founders (business_id, person_id, position) VALUES ($1, $2, $3)",
                    )
                        .bind(id)
                        .bind(person)
                        .bind(position)
                        .execute(&mut *self)
                        .await?;
                }
                Ok(())
            }

            async fn upsert_employment(
                &mut self,
                id: i64,
                c: &Employment,
                user_id: i64,
                now: DateTime<Utc>,
            ) -> Result<()> {
                sqlx::query(
                    "INSERT INTO business_employment (business_id, counted_on, headcount, insured, recorded_by, \
                     recorded_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (business_id, counted_on) DO UPDATE \
                     SET headcount = excluded.headcount, insured = excluded.insured, \
                     recorded_by = excluded.recorded_by, recorded_at = excluded.recorded_at",
                )
                .bind(id)
                .bind(c.on)
                .bind(c.headcount)
                .bind(c.insured)
                .bind(user_id)
                .bind(now)
                .execute(&mut *self)
                .await?;
                sqlx::query("UPDATE businesses SET updated_at = $1 WHERE id = $2")
                    .bind(now)
                    .bind(id)
                    .execute(&mut *self)
                    .await?;
                Ok(())
            }

            async fn change_status(
                &mut self,
                id: i64,
                change: &StatusChange,
                user_id: i64,
                now: DateTime<Utc>,
            ) -> Result<()> {
                let reason = if change.status == BusinessStatus::Closed {
                    change.reason.as_str()
                } else {
                    ""
                };
                sqlx::query(
                    "UPDATE businesses SET status = $1, status_on = $2, close_reason = $3, updated_at = $4 \
                     WHERE id = $5",
                )
                .bind(change.status.code())
                .bind(change.on)
                .bind(reason)
                .bind(now)
                .bind(id)
                .execute(&mut *self)
                .await?;
                insert_history(self, id, change, user_id, now).await
            }
        }

        impl HistoryRow for $conn {
            async fn history_row(
                &mut self,
                id: i64,
                change: &StatusChange,
                user_id: i64,
                now: DateTime<Utc>,
            ) -> Result<()> {
                sqlx::query(
                    "INSERT INTO business_status_changes (business_id, status, changed_on, reason, changed_by, \
                     changed_at) VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(id)
                .bind(change.status.code())
                .bind(change.on)
                .bind(&change.reason)
                .bind(user_id)
                .bind(now)
                .execute(&mut *self)
                .await?;
                Ok(())
            }
        }
    };
}

/// One line of a business's status history.
trait HistoryRow {
    async fn history_row(
        &mut self,
        id: i64,
        change: &StatusChange,
        user_id: i64,
        now: DateTime<Utc>,
    ) -> Result<()>;
}

async fn insert_history<C: HistoryRow>(
    conn: &mut C,
    id: i64,
    change: &StatusChange,
    user_id: i64,
    now: DateTime<Utc>,
) -> Result<()> {
    conn.history_row(id, change, user_id, now).await
}

impl_business_write!(SqliteConnection);
impl_business_write!(PgConnection);
