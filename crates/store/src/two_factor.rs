//! Two-factor sign-in's records (core's [`linkong_core::two_factor`] decides): the sealed TOTP
//! secret of each enrolled account, the last step taken, recovery codes' digests, and whether a
//! session still waits for its code. Every check and its outcome is one call here, so a code is
//! taken once across servers (a conditional update) and every success and failure is audited.

use linkong_core::access::{Actor, Role};
use linkong_core::two_factor::{
    self, Authenticator, Entry, MAX_FAILURES, RECOVERY_CODES, RECOVERY_RANDOM_BYTES, Refusal,
    SECRET_BYTES, read_entry, recovery_code, recovery_digest_input,
};

use crate::audit::{AuditAppend, AuditEvent};
use crate::users::User;
use crate::{BeginWrite, Error, Result, Store, on_db, token_digest};

/// A secret being enrolled: shown once as a QR code and as text.
#[derive(Debug, Clone)]
pub struct Enrolment {
    /// The `otpauth://` address for the QR code.
    pub address: String,
    /// The base32 secret in groups of four.
    pub secret: String,
}

/// An account's second factor as its own page shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FactorStatus {
    pub enrolled: bool,
    pub recovery_codes_left: i64,
}

fn random_bytes<const N: usize>() -> [u8; N] {
    use rand::Rng;
    let mut bytes = [0u8; N];
    rand::rng().fill_bytes(&mut bytes);
    bytes
}

impl Store {
    /// Whether the account has a confirmed second factor, and its unused recovery codes.
    pub async fn factor_status(&self, user_id: i64) -> Result<FactorStatus> {
        let (enrolled, left): (bool, i64) = on_db!(self, pool => sqlx::query_as(
            "SELECT totp_secret_enc IS NOT NULL, \
             (SELECT COUNT(*) FROM recovery_codes r WHERE r.user_id = u.id AND r.used_at IS NULL) \
             FROM users u WHERE id = $1",
        )
        .bind(user_id)
        .fetch_one(pool)
        .await?);
        Ok(FactorStatus {
            enrolled,
            recovery_codes_left: left,
        })
    }

    /// The secret for `user` to scan, kept (sealed) until a code from it is confirmed; the same
    /// one while it waits, so a reloaded page still matches the app. Refused for accounts that
    /// need no second factor, and when one is already enrolled (an admin resets it first).
    pub async fn begin_enrolment(&self, user: &User) -> Result<Enrolment> {
        if !two_factor::required(user.role) {
            return Err(Error::Forbidden("本账号无需两步验证".into()));
        }
        if self.factor_status(user.id).await?.enrolled {
            return Err(Error::Conflict(
                "已绑定身份验证器；如需更换，请联系管理员重置".into(),
            ));
        }
        let pending: Option<Vec<u8>> = on_db!(self, pool => sqlx::query_scalar(
            "SELECT totp_pending_enc FROM users WHERE id = $1",
        )
        .bind(user.id)
        .fetch_one(pool)
        .await?);
        let auth = match pending {
            Some(sealed) => self.authenticator(&sealed, user)?,
            None => self.new_pending_secret(user).await?,
        };
        Ok(Enrolment {
            address: auth.address(),
            secret: auth.secret_for_typing(),
        })
    }

    /// Confirms the secret shown by [`Store::begin_enrolment`] with a code from the app: it
    /// becomes the account's, ten recovery codes are made and returned (shown once), and the
    /// session it was confirmed in, if any, has passed its second factor.
    pub async fn confirm_enrolment(
        &self,
        user: &User,
        session_token: Option<&str>,
        typed: &str,
        ip: &str,
    ) -> Result<std::result::Result<Vec<String>, Refusal>> {
        let pending: Option<Vec<u8>> = on_db!(self, pool => sqlx::query_scalar(
            "SELECT totp_pending_enc FROM users WHERE id = $1",
        )
        .bind(user.id)
        .fetch_one(pool)
        .await?);
        let Some(pending) = pending else {
            return Err(Error::Conflict(
                "没有待确认的身份验证器，请刷新页面重新扫码".into(),
            ));
        };
        let auth = self.authenticator(&pending, user)?;
        let step = match read_entry(typed) {
            Ok(Entry::Code(code)) => auth.accept(&code, self.now().timestamp(), None),
            Ok(Entry::Recovery(_)) => Err(Refusal::Malformed),
            Err(refusal) => Err(refusal),
        };
        let step = match step {
            Ok(step) => step,
            Err(refusal) => return Ok(Err(refusal)),
        };
        let codes: Vec<String> = (0..RECOVERY_CODES)
            .map(|_| recovery_code(&random_bytes::<RECOVERY_RANDOM_BYTES>()))
            .collect();
        let digests: Vec<String> = codes
            .iter()
            .map(|c| token_digest(&recovery_digest_input(user.id, c)))
            .collect();
        let event = AuditEvent::new("two_factor.enrolled", format!("user:{}", user.username))
            .by(Some(user.id), &user.username)
            .from_ip(ip);
        let at = self.now();
        let _guard = self.write_lock.lock().await;
        on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            sqlx::query(
                "UPDATE users SET totp_secret_enc = totp_pending_enc, totp_pending_enc = NULL, \
                 totp_last_step = $1 WHERE id = $2",
            )
            .bind(step)
            .bind(user.id)
            .execute(&mut *tx)
            .await?;
            sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1")
                .bind(user.id)
                .execute(&mut *tx)
                .await?;
            for digest in &digests {
                sqlx::query("INSERT INTO recovery_codes (user_id, code_digest) VALUES ($1, $2)")
                    .bind(user.id)
                    .bind(digest)
                    .execute(&mut *tx)
                    .await?;
            }
            if let Some(token) = session_token {
                sqlx::query("UPDATE sessions SET factor_pending = FALSE WHERE token_hash = $1")
                    .bind(token_digest(token))
                    .execute(&mut *tx)
                    .await?;
            }
            tx.append_audit(at, &event).await?;
            tx.commit().await?;
        });
        Ok(Ok(codes))
    }

    async fn new_pending_secret(&self, user: &User) -> Result<Authenticator> {
        let auth = Authenticator::new(&random_bytes::<SECRET_BYTES>(), &user.username)
            .map_err(Error::Config)?;
        let sealed = self.cipher()?.encrypt(&auth.secret_base32());
        let _guard = self.write_lock.lock().await;
        on_db!(self, pool => sqlx::query("UPDATE users SET totp_pending_enc = $1 WHERE id = $2")
            .bind(&sealed)
            .bind(user.id)
            .execute(pool)
            .await?
            .rows_affected());
        Ok(auth)
    }

    fn authenticator(&self, sealed: &[u8], user: &User) -> Result<Authenticator> {
        let secret = self.cipher()?.decrypt(sealed)?;
        Authenticator::from_base32(&secret, &user.username).map_err(Error::Config)
    }

    /// Marks a session's second factor passed.
    async fn pass_factor(&self, session_token: &str) -> Result<()> {
        let _guard = self.write_lock.lock().await;
        on_db!(self, pool => sqlx::query(
            "UPDATE sessions SET factor_pending = FALSE, factor_failures = 0 WHERE token_hash = $1",
        )
        .bind(token_digest(session_token))
        .execute(pool)
        .await?
        .rows_affected());
        Ok(())
    }

    /// Checks the code (or recovery code) `typed` for the session that waits for it: on success
    /// the session serves the account; a wrong code counts, and the fifth ends the session.
    pub async fn check_factor(
        &self,
        user: &User,
        session_token: &str,
        typed: &str,
        ip: &str,
    ) -> Result<std::result::Result<(), Refusal>> {
        let taken = match read_entry(typed) {
            Ok(Entry::Code(code)) => self.take_code(user, &code).await?,
            Ok(Entry::Recovery(code)) => self.take_recovery_code(user, &code).await?,
            Err(refusal) => Err(refusal),
        };
        let (action, outcome) = match taken {
            Ok(how) => {
                self.pass_factor(session_token).await?;
                (how, Ok(()))
            }
            Err(refusal) => {
                let refusal = self.count_failure(session_token, refusal).await?;
                ("two_factor.failed", Err(refusal))
            }
        };
        let event = AuditEvent::new(action, format!("user:{}", user.username))
            .by(Some(user.id), &user.username)
            .from_ip(ip);
        self.audit(event).await?;
        Ok(outcome)
    }

    /// A TOTP code, taken once: the step is written only if it is later than the last one.
    async fn take_code(
        &self,
        user: &User,
        code: &str,
    ) -> Result<std::result::Result<&'static str, Refusal>> {
        let (sealed, last): (Option<Vec<u8>>, Option<i64>) = on_db!(self, pool => sqlx::query_as(
            "SELECT totp_secret_enc, totp_last_step FROM users WHERE id = $1",
        )
        .bind(user.id)
        .fetch_one(pool)
        .await?);
        let Some(sealed) = sealed else {
            return Err(Error::Conflict("尚未绑定身份验证器".into()));
        };
        let step =
            match self
                .authenticator(&sealed, user)?
                .accept(code, self.now().timestamp(), last)
            {
                Ok(step) => step,
                Err(refusal) => return Ok(Err(refusal)),
            };
        let _guard = self.write_lock.lock().await;
        let taken = on_db!(self, pool => sqlx::query(
            "UPDATE users SET totp_last_step = $1 \
             WHERE id = $2 AND (totp_last_step IS NULL OR totp_last_step < $1)",
        )
        .bind(step)
        .bind(user.id)
        .execute(pool)
        .await?
        .rows_affected());
        Ok(if taken == 1 {
            Ok("two_factor.passed")
        } else {
            Err(Refusal::Reused)
        })
    }

    /// A recovery code, used once.
    async fn take_recovery_code(
        &self,
        user: &User,
        code: &str,
    ) -> Result<std::result::Result<&'static str, Refusal>> {
        let digest = token_digest(&recovery_digest_input(user.id, code));
        let now = self.now();
        let _guard = self.write_lock.lock().await;
        let used = on_db!(self, pool => sqlx::query(
            "UPDATE recovery_codes SET used_at = $1 \
             WHERE user_id = $2 AND code_digest = $3 AND used_at IS NULL",
        )
        .bind(now)
        .bind(user.id)
        .bind(&digest)
        .execute(pool)
        .await?
        .rows_affected());
        Ok(if used == 1 {
            Ok("two_factor.recovery_code_used")
        } else {
            Err(Refusal::Wrong)
        })
    }

    /// Counts a wrong code against the session; the last allowed one ends it.
    async fn count_failure(&self, session_token: &str, refusal: Refusal) -> Result<Refusal> {
        let digest = token_digest(session_token);
        let _guard = self.write_lock.lock().await;
        let failures: Option<i64> = on_db!(self, pool => sqlx::query_scalar(
            "UPDATE sessions SET factor_failures = factor_failures + 1 WHERE token_hash = $1 \
             RETURNING factor_failures",
        )
        .bind(&digest)
        .fetch_optional(pool)
        .await?);
        if failures.is_none_or(|f| f >= MAX_FAILURES) {
            on_db!(self, pool => sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
                .bind(&digest)
                .execute(pool)
                .await?
                .rows_affected());
            return Ok(Refusal::TooMany);
        }
        Ok(refusal)
    }

    /// Removes an account's second factor (a lost phone): its secret and recovery codes go and
    /// its sessions end; at the next sign-in it enrols again. Admins only (or the command line).
    pub async fn reset_factor(&self, by: Option<&Actor>, user_id: i64, ip: &str) -> Result<()> {
        self.require_user_manager(by, &format!("user:{user_id}"), ip)
            .await?;
        let user = self
            .user(user_id)
            .await?
            .ok_or_else(|| Error::not_found("用户"))?;
        let event = AuditEvent::new("two_factor.reset", format!("user:{}", user.username))
            .by(
                by.map(|a| a.user_id),
                by.map_or("cli".into(), |a| a.username.clone()),
            )
            .from_ip(ip);
        let at = self.now();
        let _guard = self.write_lock.lock().await;
        on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            sqlx::query(
                "UPDATE users SET totp_secret_enc = NULL, totp_pending_enc = NULL, \
                 totp_last_step = NULL WHERE id = $1",
            )
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
            sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1")
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
            sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
            tx.append_audit(at, &event).await?;
            tx.commit().await?;
        });
        Ok(())
    }
}

/// Whether a new session of `role` waits for a second factor.
pub(crate) fn session_waits(role: Role) -> bool {
    two_factor::required(role)
}
