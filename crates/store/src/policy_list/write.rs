//! The writes of the policy list, inside the caller's transaction so that the entry, its
//! version and the audit row commit together.

use chrono::{DateTime, Utc};
use linkong_core::policy_list::{PolicyEntry, PolicyStatus};
use sqlx::{PgConnection, SqliteConnection};

use crate::Result;

/// Audience codes as the table keeps them: space-separated.
fn audience_codes(entry: &PolicyEntry) -> String {
    let codes: Vec<&str> = entry.audiences.iter().map(|a| a.code()).collect();
    codes.join(" ")
}

pub(crate) trait PolicyWrite {
    /// A new draft at version 1.
    async fn insert_entry(
        &mut self,
        entry: &PolicyEntry,
        user_id: i64,
        now: DateTime<Utc>,
    ) -> Result<i64>;
    async fn insert_version(
        &mut self,
        entry_id: i64,
        version: i64,
        entry: &PolicyEntry,
        changed: &str,
        user_id: i64,
        now: DateTime<Utc>,
    ) -> Result<()>;
    /// Replaces the current version `version` by the next; false if it is no longer current.
    async fn update_entry(
        &mut self,
        id: i64,
        version: i64,
        entry: &PolicyEntry,
        now: DateTime<Utc>,
    ) -> Result<bool>;
    /// Moves the status from `before` to `after`; false if it was no longer `before`.
    async fn set_status(
        &mut self,
        id: i64,
        before: PolicyStatus,
        after: PolicyStatus,
        now: DateTime<Utc>,
    ) -> Result<bool>;
}

macro_rules! impl_policy_write {
    ($conn:ty) => {
        impl PolicyWrite for $conn {
            async fn insert_entry(
                &mut self,
                e: &PolicyEntry,
                user_id: i64,
                now: DateTime<Utc>,
            ) -> Result<i64> {
                Ok(sqlx::query_scalar(
                    "INSERT INTO policy_entries (version, status, title, document_number, issuer, \
                     effective_from, effective_to, audiences, benefit, conditions, documents, handling_unit, \
                     rule_id, created_by, created_at, updated_at, published_at) VALUES (1, 'draft', $1, $2, \
                     $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13, NULL) RETURNING id",
                )
                .bind(&e.title)
                .bind(&e.document_number)
                .bind(&e.issuer)
                .bind(e.effective_from)
                .bind(e.effective_to)
                .bind(audience_codes(e))
                .bind(&e.benefit)
                .bind(&e.conditions)
                .bind(e.documents_text())
                .bind(&e.handling_unit)
                .bind(&e.rule_id)
                .bind(user_id)
                .bind(now)
                .fetch_one(&mut *self)
                .await?)
            }

            async fn insert_version(
                &mut self,
                entry_id: i64,
                version: i64,
                e: &PolicyEntry,
                changed: &str,
                user_id: i64,
                now: DateTime<Utc>,
            ) -> Result<()> {
                sqlx::query(
                    "INSERT INTO policy_entry_versions (entry_id, version, title, document_number, issuer, \
                     effective_from, effective_to, audiences, benefit, conditions, documents, handling_unit, \
                     rule_id, changed, saved_by, saved_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, \
                     $11, $12, $13, $14, $15, $16)",
                )
                .bind(entry_id)
                .bind(version)
                .bind(&e.title)
                .bind(&e.document_number)
                .bind(&e.issuer)
                .bind(e.effective_from)
                .bind(e.effective_to)
                .bind(audience_codes(e))
                .bind(&e.benefit)
                .bind(&e.conditions)
                .bind(e.documents_text())
                .bind(&e.handling_unit)
                .bind(&e.rule_id)
                .bind(changed)
                .bind(user_id)
                .bind(now)
                .execute(&mut *self)
                .await?;
                Ok(())
            }

            async fn update_entry(
                &mut self,
                id: i64,
                version: i64,
                e: &PolicyEntry,
                now: DateTime<Utc>,
            ) -> Result<bool> {
                let done = sqlx::query(
                    "UPDATE policy_entries SET version = version + 1, title = $1, document_number = $2, \
                     issuer = $3, effective_from = $4, effective_to = $5, audiences = $6, benefit = $7, \
                     conditions = $8, documents = $9, handling_unit = $10, rule_id = $11, updated_at = $12 \
                     WHERE id = $13 AND version = $14",
                )
                .bind(&e.title)
                .bind(&e.document_number)
                .bind(&e.issuer)
                .bind(e.effective_from)
                .bind(e.effective_to)
                .bind(audience_codes(e))
                .bind(&e.benefit)
                .bind(&e.conditions)
                .bind(e.documents_text())
                .bind(&e.handling_unit)
                .bind(&e.rule_id)
                .bind(now)
                .bind(id)
                .bind(version)
                .execute(&mut *self)
                .await?;
                Ok(done.rows_affected() == 1)
            }

            async fn set_status(
                &mut self,
                id: i64,
                before: PolicyStatus,
                after: PolicyStatus,
                now: DateTime<Utc>,
            ) -> Result<bool> {
                let published_at = (after == PolicyStatus::Published).then_some(now);
                let done = sqlx::query(
                    "UPDATE policy_entries SET status = $1, updated_at = $2, \
                     published_at = COALESCE($3, published_at) WHERE id = $4 AND status = $5",
                )
                .bind(after.code())
                .bind(now)
                .bind(published_at)
                .bind(id)
                .bind(before.code())
                .execute(&mut *self)
                .await?;
                Ok(done.rows_affected() == 1)
            }
        }
    };
}

impl_policy_write!(SqliteConnection);
impl_policy_write!(PgConnection);
