//! Accounts: creation, login with lockout, password changes. Passwords are argon2id hashes.

use chrono::{DateTime, Duration, Utc};
use linkong_core::access::{Actor, Role};
use linkong_core::password::NewPassword;
use linkong_core::users::{AccountDraft, check_disable, check_new_account, check_password_change};
use serde::Serialize;

use crate::audit::{AuditAppend, AuditEvent};
use crate::{BeginWrite, Error, Result, Store, on_db};

pub use linkong_core::users::{APPLICANT_PREFIX, LOCK_MINUTES, MAX_FAILED_LOGINS};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct User {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub unit_code: Option<String>,
    pub employer_id: Option<i64>,
    pub applicant_id: Option<i64>,
    pub must_change_password: bool,
    pub disabled: bool,
    pub failed_logins: i64,
    pub locked_until: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

impl User {
    pub fn actor(&self) -> Actor {
        Actor {
            user_id: self.id,
            username: self.username.clone(),
            role: self.role,
            unit_code: self.unit_code.clone(),
            employer_id: self.employer_id,
            applicant_id: self.applicant_id,
        }
    }

    pub fn is_locked(&self, now: DateTime<Utc>) -> bool {
        self.locked_until.is_some_and(|until| until > now)
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct UserRow {
    id: i64,
    username: String,
    display_name: String,
    role: String,
    unit_code: Option<String>,
    employer_id: Option<i64>,
    applicant_id: Option<i64>,
    password_hash: String,
    must_change_password: bool,
    pub(crate) disabled: bool,
    failed_logins: i64,
    locked_until: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
}

impl UserRow {
    pub(crate) fn into_user(self) -> User {
        User {
            id: self.id,
            username: self.username,
            display_name: self.display_name,
            // Roles are written only from `Role::code`; an unknown one is treated as least privileged.
            role: Role::parse(&self.role).unwrap_or(Role::UnitStaff),
            unit_code: self.unit_code,
            employer_id: self.employer_id,
            applicant_id: self.applicant_id,
            must_change_password: self.must_change_password,
            disabled: self.disabled,
            failed_logins: self.failed_logins,
            locked_until: self.locked_until,
            created_at: self.created_at,
        }
    }
}

pub(crate) const USER_COLUMNS: &str = "id, username, display_name, role, unit_code, employer_id, applicant_id, password_hash, must_change_password, \
     disabled, failed_logins, locked_until, created_at";

#[derive(Debug, Clone)]
pub struct NewUser {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub unit_code: Option<String>,
    pub password: NewPassword,
    pub must_change_password: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LoginError {
    #[error("用户名或密码错误")]
    BadCredentials,
    #[error("账户已被锁定，请于 {minutes} 分钟后再试或联系管理员解锁")]
    Locked { minutes: i64 },
    #[error("账户已停用，请联系管理员")]
    Disabled,
}

pub(crate) async fn hash_password(password: &NewPassword) -> Result<String> {
    let secret = password.expose().to_owned();
    tokio::task::spawn_blocking(move || {
        use argon2::PasswordHasher;
        argon2::Argon2::default()
            .hash_password(secret.as_bytes())
            .map(|hash| hash.to_string())
            .map_err(|e| Error::Config(format!("无法计算密码摘要：{e}")))
    })
    .await
    .map_err(|e| Error::Config(format!("密码计算任务失败：{e}")))?
}

pub(crate) async fn verify_password(candidate: &str, stored_hash: &str) -> bool {
    let candidate = candidate.to_owned();
    let stored = stored_hash.to_owned();
    tokio::task::spawn_blocking(move || {
        use argon2::{PasswordHash, PasswordVerifier};
        PasswordHash::new(&stored)
            .map(|hash| {
                argon2::Argon2::default()
                    .verify_password(candidate.as_bytes(), &hash)
                    .is_ok()
            })
            .unwrap_or(false)
    })
    .await
    .unwrap_or(false)
}

/// A valid hash of a password nobody knows, verified against unknown usernames so that the
/// response time does not tell whether a username exists.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$9sTbSlTio3Biev89thdrlKKBCaiwQ9lpqBs8aSc6S8E";

impl Store {
    /// Only admins manage accounts; `None` is the command line, run by the operator.
    pub(crate) async fn require_user_manager(
        &self,
        by: Option<&Actor>,
        target: &str,
        ip: &str,
    ) -> Result<()> {
        match by {
            Some(actor) if !actor.role.manages_users() => Err(self
                .deny(actor, target.to_owned(), "只有系统管理员可以管理用户", ip)
                .await),
            _ => Ok(()),
        }
    }

    async fn user_row_by_name(&self, username: &str) -> Result<Option<UserRow>> {
        Ok(on_db!(self, pool => sqlx::query_as::<_, UserRow>(
            sqlx::AssertSqlSafe(format!("SELECT {USER_COLUMNS} FROM users WHERE username = $1")),
        )
        .bind(username)
        .fetch_optional(pool)
        .await?))
    }

    pub async fn user_by_name(&self, username: &str) -> Result<Option<User>> {
        Ok(self
            .user_row_by_name(&username.trim().to_lowercase())
            .await?
            .map(UserRow::into_user))
    }

    pub async fn user(&self, id: i64) -> Result<Option<User>> {
        Ok(on_db!(self, pool => sqlx::query_as::<_, UserRow>(
            sqlx::AssertSqlSafe(format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1")),
        )
        .bind(id)
        .fetch_optional(pool)
        .await?)
        .map(UserRow::into_user))
    }

    pub async fn users(&self) -> Result<Vec<User>> {
        let rows = on_db!(self, pool => sqlx::query_as::<_, UserRow>(
            sqlx::AssertSqlSafe(format!("SELECT {USER_COLUMNS} FROM users ORDER BY username")),
        )
        .fetch_all(pool)
        .await?);
        Ok(rows.into_iter().map(UserRow::into_user).collect())
    }

    pub async fn user_count(&self) -> Result<i64> {
        Ok(
            on_db!(self, pool => sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM users").fetch_one(pool).await?),
        )
    }

    /// Creates an account. `by` is the admin creating it (None for the CLI and first start).
    pub async fn create_user(&self, by: Option<&Actor>, new: NewUser, ip: &str) -> Result<User> {
        self.require_user_manager(by, &format!("user:{}", new.username.trim()), ip)
            .await?;
        let unit_active = match &new.unit_code {
            Some(unit) => {
                let known: i64 = on_db!(self, pool =>
                    sqlx::query_scalar("SELECT COUNT(*) FROM units WHERE code = $1 AND active").bind(unit).fetch_one(pool).await?);
                known > 0
            }
            None => false,
        };
        let draft = AccountDraft {
            username: &new.username,
            display_name: &new.display_name,
            role: new.role,
            unit_code: new.unit_code.as_deref(),
            password: &new.password,
        };
        let (username, display_name) = check_new_account(&draft, unit_active)?;
        let hash = hash_password(&new.password).await?;
        let now = self.now();
        let event = AuditEvent::new("user.create", format!("user:{username}"))
            .by(
                by.map(|a| a.user_id),
                by.map_or("system".into(), |a| a.username.clone()),
            )
            .detail(format!(
                "role={} unit={}",
                new.role.code(),
                new.unit_code.as_deref().unwrap_or("-")
            ))
            .from_ip(ip);
        let _guard = self.write_lock.lock().await;
        let id: i64 = on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let inserted = sqlx::query_scalar::<_, i64>(
                "INSERT INTO users (username, display_name, role, unit_code, password_hash, must_change_password, \
                 disabled, failed_logins, created_at) VALUES ($1, $2, $3, $4, $5, $6, FALSE, 0, $7) RETURNING id",
            )
            .bind(&username)
            .bind(display_name)
            .bind(new.role.code())
            .bind(&new.unit_code)
            .bind(&hash)
            .bind(new.must_change_password)
            .bind(now)
            .fetch_one(&mut *tx)
            .await
            .map_err(Error::from);
            let id = match inserted {
                Err(e) if e.is_unique_violation() => return Err(Error::invalid("用户名", format!("用户名“{username}”已被使用"))),
                other => other?,
            };
            tx.append_audit(now, &event).await?;
            tx.commit().await?;
            id
        });
        self.user(id)
            .await?
            .ok_or_else(|| Error::not_found("刚创建的用户"))
    }

    /// Checks a password. Wrong passwords count towards the lockout; every outcome is audited.
    pub async fn authenticate(
        &self,
        username: &str,
        password: &str,
        ip: &str,
    ) -> Result<Result<User, LoginError>> {
        let username = username.trim().to_lowercase();
        let now = self.now();
        let Some(row) = self.user_row_by_name(&username).await? else {
            return self
                .refuse_unknown_user(&username, password, ip)
                .await
                .map(Err);
        };
        let attempt = self.count_attempt(row.id).await?;
        // Always pay for the hash, so the answer's timing says nothing about the account.
        let correct = verify_password(password, &row.password_hash).await;
        let Some(attempt) = attempt else {
            return self.refuse_locked_account(&row, now, ip).await.map(Err);
        };
        if let Some(refused) = self.check_attempt(&row, attempt, correct, ip).await? {
            return Ok(Err(refused));
        }
        self.record_login(&row, now, ip).await?;
        if row.disabled {
            return Ok(Err(LoginError::Disabled));
        }
        let mut user = row.into_user();
        user.failed_logins = 0;
        user.locked_until = None;
        Ok(Ok(user))
    }

    /// An unknown username costs a hash like a known one and is audited.
    async fn refuse_unknown_user(
        &self,
        username: &str,
        password: &str,
        ip: &str,
    ) -> Result<LoginError> {
        verify_password(password, DUMMY_HASH).await;
        self.audit(
            AuditEvent::new("login.failure", format!("user:{username}"))
                .detail("unknown user")
                .from_ip(ip),
        )
        .await?;
        Ok(LoginError::BadCredentials)
    }

    /// An attempt on a locked account is audited and told how long the lock still lasts.
    async fn refuse_locked_account(
        &self,
        row: &UserRow,
        now: DateTime<Utc>,
        ip: &str,
    ) -> Result<LoginError> {
        self.audit(
            AuditEvent::new("login.failure", format!("user:{}", row.username))
                .by(Some(row.id), &row.username)
                .detail("locked")
                .from_ip(ip),
        )
        .await?;
        let until = self
            .user(row.id)
            .await?
            .and_then(|u| u.locked_until)
            .unwrap_or(now);
        Ok(LoginError::Locked {
            minutes: ((until - now).num_seconds() + 59).max(60) / 60,
        })
    }

    /// The refusal of a counted attempt that is over the budget or has the wrong password
    /// (recorded as a failure), or `None` when the password is right.
    async fn check_attempt(
        &self,
        row: &UserRow,
        attempt: i64,
        correct: bool,
        ip: &str,
    ) -> Result<Option<LoginError>> {
        if attempt > MAX_FAILED_LOGINS {
            // Parallel attempts used up the budget while this one was being checked.
            self.record_failure(row.id, &row.username, attempt, "login.failure", ip)
                .await?;
            return Ok(Some(LoginError::Locked {
                minutes: LOCK_MINUTES,
            }));
        }
        if !correct {
            let locked = self
                .record_failure(row.id, &row.username, attempt, "login.failure", ip)
                .await?;
            return Ok(Some(if locked {
                LoginError::Locked {
                    minutes: LOCK_MINUTES,
                }
            } else {
                LoginError::BadCredentials
            }));
        }
        Ok(None)
    }

    /// A right password clears the count of failures; the login (or, for a disabled account,
    /// its refusal) is audited in the same transaction.
    async fn record_login(&self, row: &UserRow, now: DateTime<Utc>, ip: &str) -> Result<()> {
        let (action, detail) = if row.disabled {
            ("login.failure", "disabled")
        } else {
            ("login.success", "")
        };
        let event = AuditEvent::new(action, format!("user:{}", row.username))
            .by(Some(row.id), &row.username)
            .detail(detail)
            .from_ip(ip);
        let _guard = self.write_lock.lock().await;
        on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            sqlx::query("UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = $1")
                .bind(row.id)
                .execute(&mut *tx)
                .await?;
            tx.append_audit(now, &event).await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// Counts a password attempt before it is checked, atomically, so that parallel guesses
    /// cannot share one count. `None` while the account is locked.
    async fn count_attempt(&self, user_id: i64) -> Result<Option<i64>> {
        let now = self.now();
        Ok(on_db!(self, pool => sqlx::query_scalar::<_, i64>(
            "UPDATE users SET failed_logins = failed_logins + 1 \
             WHERE id = $1 AND (locked_until IS NULL OR locked_until <= $2) RETURNING failed_logins",
        )
        .bind(user_id)
        .bind(now)
        .fetch_optional(pool)
        .await?))
    }

    /// Audits a wrong password; at the fifth in a row locks the account for 15 minutes and
    /// ends its sessions. Returns whether the account is now locked.
    async fn record_failure(
        &self,
        user_id: i64,
        username: &str,
        attempt: i64,
        action: &'static str,
        ip: &str,
    ) -> Result<bool> {
        let now = self.now();
        let target = format!("user:{username}");
        let failure = AuditEvent::new(action, target.clone())
            .by(Some(user_id), username)
            .detail(format!(
                "wrong password ({}/{MAX_FAILED_LOGINS})",
                attempt.min(MAX_FAILED_LOGINS)
            ))
            .from_ip(ip);
        let locks = linkong_core::users::locks_after(attempt);
        let lockout = AuditEvent::new("login.lockout", target)
            .by(Some(user_id), username)
            .detail(format!("locked for {LOCK_MINUTES} minutes"))
            .from_ip(ip);
        {
            let _guard = self.write_lock.lock().await;
            on_db!(self, pool => {
                let mut tx = pool.begin_write().await?;
                if locks {
                    sqlx::query("UPDATE users SET failed_logins = 0, locked_until = $1 WHERE id = $2")
                        .bind(now + Duration::minutes(LOCK_MINUTES))
                        .bind(user_id)
                        .execute(&mut *tx)
                        .await?;
                }
                tx.append_audit(now, &failure).await?;
                if locks {
                    tx.append_audit(now, &lockout).await?;
                }
                tx.commit().await?;
            });
        }
        if locks {
            self.end_sessions_of(user_id).await?;
        }
        Ok(locks)
    }

    /// A user changes their own password, proving the current one.
    pub async fn change_password(
        &self,
        user: &User,
        current: &str,
        new: &NewPassword,
        ip: &str,
    ) -> Result<()> {
        let Some(row) = self.user_row_by_name(&user.username).await? else {
            return Err(Error::not_found("用户"));
        };
        let attempt = self.count_attempt(row.id).await?;
        let correct = verify_password(current, &row.password_hash).await;
        match attempt {
            None => return Err(Error::forbidden("账户已被锁定，请稍后再试")),
            Some(n) if !correct || n > MAX_FAILED_LOGINS => {
                // A wrong current password counts like a wrong login: a stolen session cannot guess on.
                if self
                    .record_failure(row.id, &user.username, n, "password.change_failure", ip)
                    .await?
                {
                    return Err(Error::forbidden("当前密码连续输入错误，账户已锁定 15 分钟"));
                }
                return Err(Error::invalid("当前密码", "当前密码不正确"));
            }
            Some(_) => {}
        }
        check_password_change(&user.username, current, new)?;
        let event = AuditEvent::new("password.change", format!("user:{}", user.username))
            .by(Some(user.id), &user.username)
            .from_ip(ip);
        self.set_password(user.id, new, false, event).await?;
        // Whoever else held a session with the old password loses it; the caller starts a new one.
        self.end_sessions_of(user.id).await
    }

    /// An admin (or the CLI) sets a new one-time password; the user must change it at next login.
    pub async fn reset_password(
        &self,
        by: Option<&Actor>,
        user_id: i64,
        new: &NewPassword,
        ip: &str,
    ) -> Result<()> {
        self.require_user_manager(by, &format!("user:{user_id}"), ip)
            .await?;
        let user = self
            .user(user_id)
            .await?
            .ok_or_else(|| Error::not_found("用户"))?;
        let event = AuditEvent::new("password.reset", format!("user:{}", user.username))
            .by(
                by.map(|a| a.user_id),
                by.map_or("cli".into(), |a| a.username.clone()),
            )
            .from_ip(ip);
        self.set_password(user_id, new, true, event).await?;
        self.end_sessions_of(user_id).await
    }

    async fn set_password(
        &self,
        user_id: i64,
        new: &NewPassword,
        must_change: bool,
        event: AuditEvent,
    ) -> Result<()> {
        let hash = hash_password(new).await?;
        let now = self.now();
        let _guard = self.write_lock.lock().await;
        on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            sqlx::query(
                "UPDATE users SET password_hash = $1, must_change_password = $2, password_changed_at = $3, \
                 failed_logins = 0, locked_until = NULL WHERE id = $4",
            )
            .bind(&hash)
            .bind(must_change)
            .bind(now)
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
            tx.append_audit(now, &event).await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// Lifts a lockout before its 15 minutes are over.
    pub async fn unlock_user(&self, by: Option<&Actor>, username: &str, ip: &str) -> Result<User> {
        self.require_user_manager(by, &format!("user:{username}"), ip)
            .await?;
        let user = self
            .user_by_name(username)
            .await?
            .ok_or_else(|| Error::not_found(format!("用户“{username}”")))?;
        let event = AuditEvent::new("user.unlock", format!("user:{}", user.username))
            .by(
                by.map(|a| a.user_id),
                by.map_or("cli".into(), |a| a.username.clone()),
            )
            .from_ip(ip);
        self.update_user_flags(
            user.id,
            "UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = $1",
            event,
        )
        .await?;
        self.user(user.id)
            .await?
            .ok_or_else(|| Error::not_found("用户"))
    }

    /// Disables or re-enables an account; disabling ends its sessions at once.
    pub async fn set_user_disabled(
        &self,
        by: &Actor,
        user_id: i64,
        disabled: bool,
        ip: &str,
    ) -> Result<()> {
        self.require_user_manager(Some(by), &format!("user:{user_id}"), ip)
            .await?;
        let user = self
            .user(user_id)
            .await?
            .ok_or_else(|| Error::not_found("用户"))?;
        check_disable(by.user_id, user.id, disabled)?;
        let (sql, action) = if disabled {
            (
                "UPDATE users SET disabled = TRUE WHERE id = $1",
                "user.disable",
            )
        } else {
            (
                "UPDATE users SET disabled = FALSE WHERE id = $1",
                "user.enable",
            )
        };
        let event = AuditEvent::new(action, format!("user:{}", user.username))
            .by(Some(by.user_id), &by.username)
            .from_ip(ip);
        self.update_user_flags(user_id, sql, event).await?;
        if disabled {
            self.end_sessions_of(user_id).await?;
        }
        Ok(())
    }

    async fn update_user_flags(
        &self,
        user_id: i64,
        sql: &'static str,
        event: AuditEvent,
    ) -> Result<()> {
        let now = self.now();
        let _guard = self.write_lock.lock().await;
        on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            sqlx::query(sql).bind(user_id).execute(&mut *tx).await?;
            tx.append_audit(now, &event).await?;
            tx.commit().await?;
        });
        Ok(())
    }
}
