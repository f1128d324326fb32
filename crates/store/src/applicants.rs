//! Applicants (求职者: graduates and returnees) and their applications. An applicant's account
//! logs in with the phone number, which is personal data: encrypted, blind-indexed, masked.
//! Employers move applications along; a hire is kept as evidence of placement.

use chrono::{DateTime, Utc};
use linkong_core::access::{Actor, Role};
use linkong_core::applicants::{Profile, ValidProfile, check_name, validate_profile};
use linkong_core::field::FieldError;
use linkong_core::jobs::{ApplicationStatus, Education};
use linkong_core::password::NewPassword;
use linkong_core::phone::{Phone, mask_phone};
use linkong_core::plan::Plan;
use linkong_core::time::local_date;
use serde::Serialize;
use sqlx::{PgConnection, SqliteConnection};

use crate::audit::{AuditAppend, AuditEvent};
use crate::figures::{DayKey, FigureWrite, Kind};
use crate::users::{APPLICANT_PREFIX, User};
use crate::{BeginWrite, Error, Result, Store, on_db};

/// What an applicant types in to register.
#[derive(Debug, Clone, Default)]
pub struct ApplicantSignup {
    pub phone: String,
    pub name: String,
    pub password: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Applicant {
    pub id: i64,
    pub phone_masked: String,
    pub name: String,
    pub education: Education,
    pub major: String,
    pub skills: String,
    pub wanted_job: String,
    /// 岗位层次 code wanted, if given.
    pub wanted_level: Option<String>,
    /// 职业分类大典 code wanted, if given.
    pub wanted_occupation_code: Option<String>,
    pub wanted_street: Option<String>,
    pub salary_expectation: Option<i64>,
}

/// An application with what both sides need to see of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Application {
    pub id: i64,
    pub post_id: i64,
    pub post_title: String,
    pub employer_name: String,
    pub applicant: Applicant,
    pub status: ApplicationStatus,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub hired_at: Option<DateTime<Utc>>,
}

#[derive(sqlx::FromRow)]
struct ApplicantRow {
    id: i64,
    phone_enc: Vec<u8>,
    name: String,
    education: String,
    major: String,
    skills: String,
    wanted_job: String,
    wanted_level: Option<String>,
    wanted_occupation_code: Option<String>,
    wanted_street: Option<String>,
    salary_expectation: Option<i64>,
}

const APPLICANT_COLUMNS: &str = "a.id, a.phone_enc, a.name, a.education, a.major, a.skills, a.wanted_job, \
     a.wanted_level, a.wanted_occupation_code, a.wanted_street, a.salary_expectation";

#[derive(sqlx::FromRow)]
struct ApplicationRow {
    app_id: i64,
    post_id: i64,
    post_title: String,
    employer_name: String,
    status: String,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    hired_at: Option<DateTime<Utc>>,
    #[sqlx(flatten)]
    applicant: ApplicantRow,
}

const APPLICATION_SELECT: &str = "SELECT ap.id AS app_id, ap.post_id, p.title AS post_title, e.name AS employer_name, \
     ap.status, ap.created_at, ap.updated_at, ap.hired_at, a.id, a.phone_enc, a.name, a.education, a.major, a.skills, \
     a.wanted_job, a.wanted_level, a.wanted_occupation_code, a.wanted_street, a.salary_expectation \
     FROM applications ap \
     JOIN job_posts p ON p.id = ap.post_id JOIN employers e ON e.id = p.employer_id \
     JOIN applicants a ON a.id = ap.applicant_id";

impl Store {
    fn applicant_view(&self, row: ApplicantRow) -> Result<Applicant> {
        let phone = self.cipher()?.decrypt(&row.phone_enc)?;
        Ok(Applicant {
            id: row.id,
            phone_masked: mask_phone(&phone),
            name: row.name,
            education: Education::parse(&row.education).unwrap_or(Education::Any),
            major: row.major,
            skills: row.skills,
            wanted_job: row.wanted_job,
            wanted_level: row.wanted_level,
            wanted_occupation_code: row.wanted_occupation_code,
            wanted_street: row.wanted_street,
            salary_expectation: row.salary_expectation,
        })
    }

    fn application_view(&self, row: ApplicationRow) -> Result<Application> {
        Ok(Application {
            id: row.app_id,
            post_id: row.post_id,
            post_title: row.post_title,
            employer_name: row.employer_name,
            applicant: self.applicant_view(row.applicant)?,
            status: ApplicationStatus::parse(&row.status)
                .map_err(|_| Error::Config(format!("申请 {} 的状态无法识别", row.app_id)))?,
            created_at: row.created_at,
            updated_at: row.updated_at,
            hired_at: row.hired_at,
        })
    }

    /// Registers an applicant with an account that logs in by phone. One phone, one account.
    pub async fn register_applicant(&self, signup: &ApplicantSignup, ip: &str) -> Result<User> {
        let (phone, name, password) = check_signup(signup)?;
        let cipher = self.cipher()?;
        let (phone_enc, phone_index) = (
            cipher.encrypt(phone.expose()),
            cipher.blind_index(phone.expose()),
        );
        let hash = crate::users::hash_password(&password).await?;
        let now = self.now();
        let _guard = self.write_lock.lock().await;
        let created: std::result::Result<i64, Error> = on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let inserted = tx.insert_applicant(&phone_enc, &phone_index, name, now).await;
            match inserted {
                Ok(id) => {
                    let user_id = tx.insert_applicant_account(id, name, &hash, now, ip).await?;
                    tx.commit().await?;
                    Ok(user_id)
                }
                Err(e) => Err(e),
            }
        });
        let user_id = match created {
            Err(e) if e.is_unique_violation() => {
                return Err(Error::invalid("手机号码", "该手机号码已注册，请直接登录"));
            }
            other => other?,
        };
        self.user(user_id)
            .await?
            .ok_or_else(|| Error::not_found("刚注册的求职者账户"))
    }

    /// The account of the applicant with this phone, for logging in.
    pub async fn applicant_username(&self, phone: &str) -> Result<Option<String>> {
        let Ok(phone) = Phone::parse(phone) else {
            return Ok(None);
        };
        let index = self.cipher()?.blind_index(phone.expose());
        Ok(on_db!(self, pool => sqlx::query_scalar(
            "SELECT u.username FROM users u JOIN applicants a ON a.id = u.applicant_id WHERE a.phone_index = $1",
        )
        .bind(&index)
        .fetch_optional(pool)
        .await?))
    }

    pub(crate) fn own_applicant(actor: &Actor) -> Result<i64> {
        match (actor.role, actor.applicant_id) {
            (Role::Applicant, Some(id)) => Ok(id),
            _ => Err(Error::forbidden("只有求职者账户可以进行此操作")),
        }
    }

    pub async fn applicant(&self, actor: &Actor) -> Result<Applicant> {
        let id = Store::own_applicant(actor)?;
        let row =
            on_db!(self, pool => sqlx::query_as::<_, ApplicantRow>(sqlx::AssertSqlSafe(format!(
            "SELECT {APPLICANT_COLUMNS} FROM applicants a WHERE a.id = $1"
        )))
        .bind(id)
        .fetch_optional(pool)
        .await?)
            .ok_or_else(|| Error::not_found("求职者"))?;
        self.applicant_view(row)
    }

    /// Applicants matching `condition` (on alias `a`, with `$1` bound to `value`), at most `limit`;
    /// the caller decides who may read them.
    pub(crate) async fn applicants_where(
        &self,
        condition: &str,
        value: i64,
        limit: i64,
    ) -> Result<Vec<Applicant>> {
        let rows = on_db!(self, pool => sqlx::query_as::<_, ApplicantRow>(sqlx::AssertSqlSafe(format!(
            "SELECT {APPLICANT_COLUMNS} FROM applicants a WHERE {condition} LIMIT {limit}"
        )))
        .bind(value)
        .fetch_all(pool)
        .await?);
        rows.into_iter().map(|r| self.applicant_view(r)).collect()
    }

    /// Saves the applicant's own profile; every wrong field is named.
    pub async fn save_profile(
        &self,
        actor: &Actor,
        plan: &Plan,
        profile: &Profile,
        ip: &str,
    ) -> Result<Applicant> {
        let id = Store::own_applicant(actor)?;
        let profile = validate_profile(plan, profile).map_err(Error::Fields)?;
        let now = self.now();
        let event = AuditEvent::new("applicant.profile", format!("applicant:{id}"))
            .by(Some(actor.user_id), &actor.username)
            .from_ip(ip);
        let _guard = self.write_lock.lock().await;
        on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            tx.update_profile(id, &profile, now).await?;
            tx.append_audit(now, &event).await?;
            tx.commit().await?;
        });
        drop(_guard);
        self.applicant(actor).await
    }

    /// Every application kept, as (post, applicant) pairs (the table keeps a pair once). For
    /// the load benchmarks' check that each application they were told was accepted is here.
    pub async fn application_pairs(&self) -> Result<Vec<(i64, i64)>> {
        Ok(on_db!(self, pool => sqlx::query_as(
            "SELECT post_id, applicant_id FROM applications ORDER BY post_id, applicant_id"
        )
        .fetch_all(pool)
        .await?))
    }

    /// An applicant applies to an open post, once.
    pub async fn apply(&self, actor: &Actor, post_id: i64, ip: &str) -> Result<i64> {
        let applicant_id = Store::own_applicant(actor)?;
        let post = self
            .job_post(post_id)
            .await?
            .ok_or_else(|| Error::not_found("该岗位不存在"))?;
        if !post.is_open_on(local_date(self.now())) {
            return Err(Error::Conflict(format!(
                "岗位“{}”{}，不能再申请",
                post.title,
                post.status_on(local_date(self.now())).label()
            )));
        }
        let event = AuditEvent::new("application.create", format!("job_post:{post_id}"))
            .by(Some(actor.user_id), &actor.username)
            .from_ip(ip);
        self.write_application(post_id, applicant_id, actor.user_id, event)
            .await?
            .ok_or_else(|| {
                Error::Conflict(format!(
                    "您已申请过岗位“{}”，请在“我的申请”中查看进度",
                    post.title
                ))
            })
    }

    /// An applicant's own applications, newest first.
    pub async fn my_applications(&self, actor: &Actor) -> Result<Vec<Application>> {
        let id = Store::own_applicant(actor)?;
        let rows = on_db!(self, pool => sqlx::query_as::<_, ApplicationRow>(sqlx::AssertSqlSafe(format!(
            "{APPLICATION_SELECT} WHERE ap.applicant_id = $1 ORDER BY ap.id DESC"
        )))
        .bind(id)
        .fetch_all(pool)
        .await?);
        rows.into_iter().map(|r| self.application_view(r)).collect()
    }

    /// The applications to an employer's posts (an employer account sees only its own).
    pub async fn employer_applications(&self, actor: &Actor) -> Result<Vec<Application>> {
        let employer = match (actor.role, actor.employer_id) {
            (Role::Employer, Some(id)) => id,
            _ => return Err(Error::forbidden("只有用人单位账户可以查看申请")),
        };
        let rows = on_db!(self, pool => sqlx::query_as::<_, ApplicationRow>(sqlx::AssertSqlSafe(format!(
            "{APPLICATION_SELECT} WHERE p.employer_id = $1 ORDER BY ap.id DESC LIMIT 1000"
        )))
        .bind(employer)
        .fetch_all(pool)
        .await?);
        rows.into_iter().map(|r| self.application_view(r)).collect()
    }

    /// The employer moves an application along its way; a hire is kept with its date.
    pub async fn move_application(
        &self,
        actor: &Actor,
        id: i64,
        to: ApplicationStatus,
        ip: &str,
    ) -> Result<()> {
        let row = self.application_row(id).await?;
        self.check_may_move_application(actor, &row, ip).await?;
        let from = ApplicationStatus::parse(&row.status)
            .map_err(|_| Error::Config(format!("申请 {id} 的状态无法识别")))?;
        // core's `ApplicationStatus::next` holds the way an application may go.
        if !from.can_move_to(to) {
            return Err(Error::Conflict(format!(
                "申请当前为“{}”，不能改为“{}”",
                from.label(),
                to.label()
            )));
        }
        let now = self.now();
        let step = Move {
            id,
            from,
            to,
            by: actor.user_id,
            at: now,
        };
        let event = AuditEvent::new("application.move", format!("application:{id}"))
            .by(Some(actor.user_id), &actor.username)
            .detail(format!("{} → {}", from.label(), to.label()))
            .from_ip(ip);
        let _guard = self.write_lock.lock().await;
        let done: Option<i64> = on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let done = tx.record_move(&step).await?;
            if done.is_some() {
                tx.append_audit(now, &event).await?;
                if to == ApplicationStatus::Hired {
                    tx.place_hired_graduate(&step, &row).await?;
                }
                tx.commit().await?;
            }
            done
        });
        done.map(|_| ())
            .ok_or_else(|| Error::Conflict("申请状态已被他人更新，请刷新后重试".into()))
    }

    async fn application_row(&self, id: i64) -> Result<ApplicationRow> {
        on_db!(self, pool => sqlx::query_as::<_, ApplicationRow>(sqlx::AssertSqlSafe(format!(
            "{APPLICATION_SELECT} WHERE ap.id = $1"
        )))
        .bind(id)
        .fetch_optional(pool)
        .await?)
        .ok_or_else(|| Error::not_found(format!("申请 {id}")))
    }

    /// Refuses (and audits) anyone but the account of the employer whose post it applies to.
    async fn check_may_move_application(
        &self,
        actor: &Actor,
        row: &ApplicationRow,
        ip: &str,
    ) -> Result<()> {
        let employer_id: i64 = on_db!(self, pool => sqlx::query_scalar(
            "SELECT employer_id FROM job_posts WHERE id = $1"
        )
        .bind(row.post_id)
        .fetch_one(pool)
        .await?);
        if actor.may_move_application(employer_id) {
            return Ok(());
        }
        Err(self
            .deny(
                actor,
                format!("application:{}", row.app_id),
                "只能处理本单位岗位的申请",
                ip,
            )
            .await)
    }
}

/// The phone, name and password of a sign-up, or every wrong field.
fn check_signup(signup: &ApplicantSignup) -> Result<(Phone, &str, NewPassword)> {
    let mut errors = Vec::new();
    let phone = Phone::parse(&signup.phone)
        .map_err(|e| {
            errors.push(FieldError {
                field: "手机号码",
                message: e.to_string(),
            })
        })
        .ok();
    let name = check_name(&signup.name).map_err(|e| errors.push(e)).ok();
    let password = NewPassword::parse(&signup.password, signup.phone.trim())
        .map_err(|e| {
            errors.push(FieldError {
                field: "密码",
                message: e.to_string(),
            })
        })
        .ok();
    let (Some(phone), Some(name), Some(password), true) =
        (phone, name, password, errors.is_empty())
    else {
        return Err(Error::Fields(errors));
    };
    Ok((phone, name, password))
}

/// One step of an application, as [`Store::move_application`] writes it.
struct Move {
    id: i64,
    from: ApplicationStatus,
    to: ApplicationStatus,
    by: i64,
    at: DateTime<Utc>,
}

/// The writes of an applicant's actions, each inside the caller's transaction so that the
/// action and its audit row commit together.
trait ApplicantWrite {
    async fn insert_applicant(
        &mut self,
        phone_enc: &[u8],
        phone_index: &[u8],
        name: &str,
        now: DateTime<Utc>,
    ) -> Result<i64>;
    async fn insert_applicant_account(
        &mut self,
        applicant_id: i64,
        name: &str,
        password_hash: &str,
        now: DateTime<Utc>,
        ip: &str,
    ) -> Result<i64>;
    async fn update_profile(
        &mut self,
        id: i64,
        profile: &ValidProfile,
        now: DateTime<Utc>,
    ) -> Result<()>;
    async fn record_move(&mut self, step: &Move) -> Result<Option<i64>>;
    async fn place_hired_graduate(&mut self, step: &Move, row: &ApplicationRow) -> Result<()>;
}

macro_rules! impl_applicant_write {
    ($conn:ty) => {
        impl ApplicantWrite for $conn {
            async fn insert_applicant(
                &mut self,
                phone_enc: &[u8],
                phone_index: &[u8],
                name: &str,
                now: DateTime<Utc>,
            ) -> Result<i64> {
                Ok(sqlx::query_scalar::<_, i64>(
                    "INSERT INTO applicants (phone_enc, phone_index, name, education, major, skills, wanted_job, \
                     created_at, updated_at) VALUES ($1, $2, $3, 'any', '', '', '', $4, $4) RETURNING id",
                )
                .bind(phone_enc)
                .bind(phone_index)
                .bind(name)
                .bind(now)
                .fetch_one(&mut *self)
                .await?)
            }

            /// The account that logs in as the applicant, with its audit row.
            async fn insert_applicant_account(
                &mut self,
                applicant_id: i64,
                name: &str,
                password_hash: &str,
                now: DateTime<Utc>,
                ip: &str,
            ) -> Result<i64> {
                let username = format!("{APPLICANT_PREFIX}{applicant_id}");
                let user_id: i64 = sqlx::query_scalar(
                    "INSERT INTO users (username, display_name, role, unit_code, applicant_id, password_hash, \
                     must_change_password, disabled, failed_logins, created_at) \
                     VALUES ($1, $2, 'applicant', NULL, $3, $4, FALSE, FALSE, 0, $5) RETURNING id",
                )
                .bind(&username)
                .bind(name)
                .bind(applicant_id)
                .bind(password_hash)
                .bind(now)
                .fetch_one(&mut *self)
                .await?;
                let event = AuditEvent::new("applicant.register", format!("applicant:{applicant_id}"))
                    .by(Some(user_id), &username)
                    .from_ip(ip);
                self.append_audit(now, &event).await?;
                Ok(user_id)
            }

            async fn update_profile(
                &mut self,
                id: i64,
                profile: &ValidProfile,
                now: DateTime<Utc>,
            ) -> Result<()> {
                sqlx::query(
                    "UPDATE applicants SET name = $2, education = $3, major = $4, skills = $5, wanted_job = $6, \
                     wanted_street = $7, salary_expectation = $8, updated_at = $9, wanted_level = $10, \
                     wanted_occupation_code = $11 WHERE id = $1",
                )
                .bind(id)
                .bind(&profile.name)
                .bind(profile.education.code())
                .bind(&profile.major)
                .bind(&profile.skills)
                .bind(&profile.wanted_job)
                .bind(&profile.wanted_street)
                .bind(profile.salary_expectation)
                .bind(now)
                .bind(profile.wanted_level.map(|l| l.code()))
                .bind(profile.wanted_occupation_code.as_ref().map(|c| c.as_str().to_owned()))
                .execute(&mut *self)
                .await?;
                Ok(())
            }

            /// The new status and its history step, if the application is still where it was read
            /// (`None` when someone else moved it in between).
            async fn record_move(&mut self, step: &Move) -> Result<Option<i64>> {
                let hired = step.to == ApplicationStatus::Hired;
                let done: Option<i64> = sqlx::query_scalar(
                    "UPDATE applications SET status = $2, updated_at = $3, hired_at = CASE WHEN $4 THEN $3 ELSE hired_at END \
                     WHERE id = $1 AND status = $5 RETURNING id",
                )
                .bind(step.id)
                .bind(step.to.code())
                .bind(step.at)
                .bind(hired)
                .bind(step.from.code())
                .fetch_optional(&mut *self)
                .await?;
                if done.is_some() {
                    sqlx::query(
                        "INSERT INTO application_events (application_id, status, at, by_user) VALUES ($1, $2, $3, $4)",
                    )
                    .bind(step.id)
                    .bind(step.to.code())
                    .bind(step.at)
                    .bind(step.by)
                    .execute(&mut *self)
                    .await?;
                }
                Ok(done)
            }

            /// A hire places the applicant if they are an unplaced graduate (same phone), on the
            /// roster of a year up to this one; each placement is audited.
            async fn place_hired_graduate(&mut self, step: &Move, row: &ApplicationRow) -> Result<()> {
                let (id, now) = (step.id, step.at);
                let placed: Vec<(i64, i64, String)> = sqlx::query_as(
                    "UPDATE graduates SET placement = 'employed', placed_on = $1, \
                     placement_evidence = $2, placement_application = $3, updated_at = $4 \
                     WHERE placement = 'not_yet' AND year <= $5 \
                     AND (SELECT phone_index FROM persons WHERE id = graduates.person_id) \
                       = (SELECT phone_index FROM applicants WHERE id = $6) \
                     RETURNING id, year, (SELECT street_code FROM persons WHERE id = graduates.person_id)",
                )
                .bind(local_date(now))
                .bind(format!(
                    "岗位平台录用：{}“{}”（申请 {id}）",
                    row.employer_name, row.post_title
                ))
                .bind(id)
                .bind(now)
                .bind(i64::from(chrono::Datelike::year(&local_date(now))))
                .bind(row.applicant.id)
                .fetch_all(&mut *self)
                .await?;
                // The placement rate's tallies of each graduate's street, in this transaction.
                let days: Vec<DayKey> = placed
                    .iter()
                    .map(|(_, year, street)| {
                        DayKey::new(Kind::Placed, year.to_string(), street, local_date(now))
                    })
                    .collect();
                self.refresh_figures(&days).await?;
                for (graduate, _, _) in placed {
                    let event = AuditEvent::new("graduate.placement", format!("graduate:{graduate}"))
                        .detail(format!("单位就业（岗位平台录用，申请 {id}）"));
                    self.append_audit(now, &event).await?;
                }
                Ok(())
            }
        }
    };
}

impl_applicant_write!(SqliteConnection);
impl_applicant_write!(PgConnection);
