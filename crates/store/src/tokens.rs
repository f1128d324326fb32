//! API tokens for machine clients (`linkong token create`): shown once, stored as a digest.

use chrono::{DateTime, Utc};
use linkong_core::access::TokenScopes;

use crate::audit::{AuditAppend, AuditEvent};
use crate::users::User;
use crate::{BeginWrite, Error, Result, Store, on_db, random_token, token_digest};

/// Prefix that makes a linkong token recognisable in a secret scanner.
pub const TOKEN_PREFIX: &str = "lk_";

/// A token's user, when it was revoked, when it was last used, its scopes.
type TokenUse = (i64, Option<DateTime<Utc>>, Option<DateTime<Utc>>, String);

impl Store {
    /// Creates a bearer token acting as `username`, limited to `scopes` (see
    /// `core::access::TokenScopes`); returns the token, which is never shown again.
    pub async fn create_token(
        &self,
        username: &str,
        name: &str,
        scopes: TokenScopes,
    ) -> Result<String> {
        let user = self
            .user_by_name(username)
            .await?
            .ok_or_else(|| Error::not_found(format!("用户“{username}”")))?;
        let name = linkong_core::users::token_name(name)?;
        let token = format!("{TOKEN_PREFIX}{}", random_token());
        let now = self.now();
        let event = AuditEvent::new("token.create", format!("user:{}", user.username))
            .by(None, "cli")
            .detail(format!("name={name} scopes={scopes}"));
        let _guard = self.write_lock.lock().await;
        on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            sqlx::query("INSERT INTO api_tokens (user_id, name, token_hash, created_at, scopes) VALUES ($1, $2, $3, $4, $5)")
                .bind(user.id)
                .bind(name)
                .bind(token_digest(&token))
                .bind(now)
                .bind(scopes.codes())
                .execute(&mut *tx)
                .await?;
            tx.append_audit(now, &event).await?;
            tx.commit().await?;
        });
        Ok(token)
    }

    /// The user a bearer token acts as and what the token may do, if the token is known, not
    /// revoked and its user enabled.
    pub async fn user_for_token(&self, token: &str) -> Result<Option<(User, TokenScopes)>> {
        if !token.starts_with(TOKEN_PREFIX) {
            return Ok(None);
        }
        let digest = token_digest(token);
        let row: Option<TokenUse> = on_db!(self, pool => sqlx::query_as(
            "SELECT user_id, revoked_at, last_used_at, scopes FROM api_tokens WHERE token_hash = $1",
        )
        .bind(&digest)
        .fetch_optional(pool)
        .await?);
        let Some((user_id, None, last_used, scopes)) = row else {
            return Ok(None);
        };
        // Stored by `create_token` from parsed scopes; anything else reads aggregates only.
        let scopes = TokenScopes::parse(scopes.split(',')).unwrap_or(TokenScopes::AGGREGATES);
        // "Last used" to the minute: a client polling the API does not write (and wait for the
        // disk) on every request.
        let now = self.now();
        if last_used.is_none_or(|at| now - at >= chrono::Duration::minutes(1)) {
            on_db!(self, pool => sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE token_hash = $2")
                .bind(now)
                .bind(&digest)
                .execute(pool)
                .await?.rows_affected());
        }
        let user = self.user(user_id).await?.filter(|u| !u.disabled);
        Ok(user.map(|user| (user, scopes)))
    }
}

/// A token as listed to the operator (never the token itself).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct TokenInfo {
    pub id: i64,
    pub username: String,
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
    /// `aggregates`, `aggregates,registries,write` … as `TokenScopes::codes` writes them.
    pub scopes: String,
}

impl Store {
    pub async fn tokens(&self) -> Result<Vec<TokenInfo>> {
        Ok(on_db!(self, pool => sqlx::query_as::<_, TokenInfo>(
            "SELECT t.id, u.username, t.name, t.created_at, t.last_used_at, t.revoked_at, t.scopes \
             FROM api_tokens t JOIN users u ON u.id = t.user_id ORDER BY t.id",
        )
        .fetch_all(pool)
        .await?))
    }

    /// Revokes a token at once; it stays listed with its revocation time.
    pub async fn revoke_token(&self, id: i64) -> Result<()> {
        let now = self.now();
        let event = AuditEvent::new("token.revoke", format!("token:{id}")).by(None, "cli");
        let _guard = self.write_lock.lock().await;
        let revoked = on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let done = sqlx::query("UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL")
                .bind(now)
                .bind(id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if done == 1 {
                tx.append_audit(now, &event).await?;
                tx.commit().await?;
            }
            done
        });
        if revoked == 0 {
            return Err(Error::not_found(format!("未撤销的令牌 #{id}")));
        }
        Ok(())
    }
}
