//! Employers (用人单位): registered with their USCC, verified by a 区人社局 reviewer. The
//! contact's phone is encrypted at rest and shown masked.

use chrono::{DateTime, Utc};
use linkong_core::access::Actor;
use linkong_core::employers::{EmployerStatus, review_note, validate_employer};
use linkong_core::field::FieldError;
use linkong_core::industry::Section;
use linkong_core::password::NewPassword;
use linkong_core::phone::{Phone, mask_phone};
use linkong_core::plan::Plan;
use linkong_core::users::parse_username;
use serde::Serialize;
use sqlx::{PgConnection, SqliteConnection};

use crate::audit::{AuditAppend, AuditEvent};
use crate::{BeginWrite, Error, Result, Store, on_db};

pub use linkong_core::employers::EmployerDraft;

/// An employer as staff see it: the contact phone masked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Employer {
    pub id: i64,
    pub uscc: String,
    pub name: String,
    pub industry_section: String,
    pub street_code: String,
    pub contact_name: String,
    pub contact_phone_masked: String,
    pub status: EmployerStatus,
    pub review_note: Option<String>,
    pub created_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct EmployerRow {
    id: i64,
    uscc: String,
    name: String,
    industry_section: String,
    street_code: String,
    contact_name: String,
    contact_phone_enc: Vec<u8>,
    status: String,
    review_note: Option<String>,
    created_at: DateTime<Utc>,
}

const EMPLOYER_COLUMNS: &str = "id, uscc, name, industry_section, street_code, contact_name, contact_phone_enc, status, review_note, created_at";

impl Store {
    fn employer_view(&self, row: EmployerRow) -> Result<Employer> {
        let phone = self.cipher()?.decrypt(&row.contact_phone_enc)?;
        Ok(Employer {
            id: row.id,
            uscc: row.uscc,
            name: row.name,
            industry_section: row.industry_section,
            street_code: row.street_code,
            contact_name: row.contact_name,
            contact_phone_masked: mask_phone(&phone),
            status: EmployerStatus::parse(&row.status),
            review_note: row.review_note,
            created_at: row.created_at,
        })
    }

    /// Registers an employer, pending a reviewer's verification. Every wrong field is named.
    pub async fn register_employer(
        &self,
        plan: &Plan,
        draft: &EmployerDraft,
        ip: &str,
    ) -> Result<Employer> {
        let mut errors = Vec::new();
        let fields = validate_employer(plan, draft, &mut errors);
        let account = self.check_employer_account(draft, &mut errors).await?;
        let (Some(fields), true) = (fields, errors.is_empty()) else {
            return Err(Error::Fields(errors));
        };
        let (uscc, phone) = (&fields.uscc, &fields.phone);
        let password_hash = match &account {
            Some((_, password)) => Some(crate::users::hash_password(password).await?),
            None => None,
        };
        let cipher = self.cipher()?;
        let new = NewEmployer {
            uscc: uscc.as_str(),
            name: fields.name,
            section: fields.section,
            street: fields.street,
            contact: fields.contact,
            phone_enc: cipher.encrypt(phone.expose()),
            phone_index: cipher.blind_index(phone.expose()),
        };
        let login = account
            .as_ref()
            .map(|(username, _)| username.as_str())
            .zip(password_hash.as_deref());
        let now = self.now();
        let event = AuditEvent::new("employer.register", format!("employer:{uscc}"))
            .detail(fields.name.to_owned())
            .from_ip(ip);
        let _guard = self.write_lock.lock().await;
        let inserted: std::result::Result<i64, Error> = on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            match tx.insert_employer(&new, now).await {
                Ok(id) => {
                    if let Some((username, hash)) = login {
                        tx.insert_employer_account(id, username, fields.name, hash, now).await?;
                    }
                    tx.append_audit(now, &event).await?;
                    tx.commit().await?;
                    Ok(id)
                }
                Err(e) => Err(e),
            }
        });
        let id = match inserted {
            Err(e) if e.is_unique_violation() => {
                return Err(Error::invalid(
                    "统一社会信用代码",
                    format!("{uscc} 已经注册，请勿重复注册"),
                ));
            }
            other => other?,
        };
        self.employer(id)
            .await?
            .ok_or_else(|| Error::not_found("刚注册的用人单位"))
    }

    /// The optional account that registers with the employer: a free username and a password.
    async fn check_employer_account(
        &self,
        draft: &EmployerDraft,
        errors: &mut Vec<FieldError>,
    ) -> Result<Option<(String, NewPassword)>> {
        if draft.account_username.trim().is_empty() {
            return Ok(None);
        }
        let username = parse_username(&draft.account_username)
            .map_err(|e| errors.push(e))
            .ok();
        let password = NewPassword::parse(&draft.account_password, draft.account_username.trim())
            .map_err(|e| wrong(errors, "密码", e.to_string()))
            .ok();
        if let Some(name) = &username
            && self.user_by_name(name).await?.is_some()
        {
            wrong(errors, "用户名", format!("用户名“{name}”已被使用"));
        }
        Ok(username.zip(password))
    }

    pub async fn employer(&self, id: i64) -> Result<Option<Employer>> {
        let row = on_db!(self, pool => sqlx::query_as::<_, EmployerRow>(sqlx::AssertSqlSafe(format!(
            "SELECT {EMPLOYER_COLUMNS} FROM employers WHERE id = $1"
        )))
        .bind(id)
        .fetch_optional(pool)
        .await?);
        row.map(|r| self.employer_view(r)).transpose()
    }

    /// Employers for review: reviewers, the task force and admins see all; a street's staff see
    /// those in their street.
    pub async fn employers(&self, actor: &Actor) -> Result<Vec<Employer>> {
        let Some(street) = Store::scope_street(actor) else {
            return Ok(Vec::new());
        };
        let rows = on_db!(self, pool => sqlx::query_as::<_, EmployerRow>(sqlx::AssertSqlSafe(format!(
            "SELECT {EMPLOYER_COLUMNS} FROM employers WHERE ($1 IS NULL OR street_code = $1) ORDER BY id DESC"
        )))
        .bind(&street)
        .fetch_all(pool)
        .await?);
        rows.into_iter().map(|r| self.employer_view(r)).collect()
    }

    fn scope_street(actor: &Actor) -> Option<Option<String>> {
        if actor.role.reads_all_units() {
            Some(None)
        } else {
            actor.unit_code.clone().map(Some)
        }
    }

    /// Employers whose contact has this phone number: an exact match through the blind index,
    /// within the actor's scope.
    pub async fn employers_by_phone(&self, actor: &Actor, phone: &Phone) -> Result<Vec<Employer>> {
        let Some(street) = Store::scope_street(actor) else {
            return Ok(Vec::new());
        };
        let index = self.cipher()?.blind_index(phone.expose());
        let rows = on_db!(self, pool => sqlx::query_as::<_, EmployerRow>(sqlx::AssertSqlSafe(format!(
            "SELECT {EMPLOYER_COLUMNS} FROM employers WHERE contact_phone_index = $1 AND ($2 IS NULL OR street_code = $2) ORDER BY id"
        )))
        .bind(&index)
        .bind(&street)
        .fetch_all(pool)
        .await?);
        rows.into_iter().map(|r| self.employer_view(r)).collect()
    }

    /// A reviewer verifies a pending employer, or rejects it with a reason the employer sees.
    pub async fn review_employer(
        &self,
        actor: &Actor,
        id: i64,
        verified: bool,
        note: &str,
        ip: &str,
    ) -> Result<()> {
        if !actor.may_review_posts() {
            return Err(self
                .deny(
                    actor,
                    format!("employer:{id}"),
                    "只有审核员可以审核用人单位",
                    ip,
                )
                .await);
        }
        let note = review_note(verified, note)?;
        let (status, action) = if verified {
            ("verified", "employer.verify")
        } else {
            ("rejected", "employer.reject")
        };
        let now = self.now();
        let event = AuditEvent::new(action, format!("employer:{id}"))
            .by(Some(actor.user_id), &actor.username)
            .detail(note.to_owned())
            .from_ip(ip);
        let _guard = self.write_lock.lock().await;
        let updated: Option<i64> = on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let done: Option<i64> = sqlx::query_scalar(
                "UPDATE employers SET status = $2, review_note = $3, reviewed_at = $4, reviewed_by = $5 \
                 WHERE id = $1 AND status = 'pending' RETURNING id",
            )
            .bind(id)
            .bind(status)
            .bind(note)
            .bind(now)
            .bind(actor.user_id)
            .fetch_optional(&mut *tx)
            .await?;
            if done.is_some() {
                tx.append_audit(now, &event).await?;
                tx.commit().await?;
            }
            done
        });
        match updated {
            Some(_) => Ok(()),
            None => Err(Error::Conflict("只有待审核的用人单位才能审核".into())),
        }
    }
}

fn wrong(errors: &mut Vec<FieldError>, field: &'static str, message: String) {
    errors.push(FieldError { field, message });
}

/// An employer's row as [`Store::register_employer`] writes it.
struct NewEmployer<'a> {
    uscc: &'a str,
    name: &'a str,
    section: Section,
    street: &'a str,
    contact: &'a str,
    phone_enc: Vec<u8>,
    phone_index: Vec<u8>,
}

/// The writes of registering an employer, inside the caller's transaction so that the employer,
/// its account and the audit row commit together.
trait EmployerWrite {
    async fn insert_employer(&mut self, new: &NewEmployer<'_>, now: DateTime<Utc>) -> Result<i64>;
    async fn insert_employer_account(
        &mut self,
        employer_id: i64,
        username: &str,
        display_name: &str,
        password_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<()>;
}

macro_rules! impl_employer_write {
    ($conn:ty) => {
        impl EmployerWrite for $conn {
            async fn insert_employer(&mut self, new: &NewEmployer<'_>, now: DateTime<Utc>) -> Result<i64> {
                Ok(sqlx::query_scalar::<_, i64>(
                    "INSERT INTO employers (uscc, name, industry_section, street_code, contact_name, contact_phone_enc, \
                     contact_phone_index, status, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending', $8) RETURNING id",
                )
                .bind(new.uscc)
                .bind(new.name)
                .bind(new.section.letter().to_string())
                .bind(new.street)
                .bind(new.contact)
                .bind(&new.phone_enc)
                .bind(&new.phone_index)
                .bind(now)
                .fetch_one(&mut *self)
                .await?)
            }

            async fn insert_employer_account(
                &mut self,
                employer_id: i64,
                username: &str,
                display_name: &str,
                password_hash: &str,
                now: DateTime<Utc>,
            ) -> Result<()> {
                sqlx::query(
                    "INSERT INTO users (username, display_name, role, unit_code, employer_id, password_hash, \
                     must_change_password, disabled, failed_logins, created_at) \
                     VALUES ($1, $2, 'employer', NULL, $3, $4, FALSE, FALSE, 0, $5)",
                )
                .bind(username)
                .bind(display_name)
                .bind(employer_id)
                .bind(password_hash)
                .bind(now)
                .execute(&mut *self)
                .await?;
                Ok(())
            }
        }
    };
}

impl_employer_write!(SqliteConnection);
impl_employer_write!(PgConnection);
