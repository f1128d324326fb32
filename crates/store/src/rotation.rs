//! Key rotation of the personal-data field key: every encrypted value is re-encrypted, and every
//! blind index recomputed, with a new key — in place, in batches of their own transactions, so
//! that a rotation cut short resumes where it stopped (a value the new key already opens is
//! left alone). Run with the server stopped: lookups need one key for all blind indexes.

use serde::Serialize;

use crate::audit::{AuditAppend, AuditEvent};
use crate::crypto::FieldCipher;
use crate::{BeginWrite, Error, Result, Store, on_db};

/// Every encrypted column: table, ciphertext column, and its blind index column if it has one.
/// The plaintext encrypted is the very string indexed.
const SEALED_COLUMNS: [(&str, &str, Option<&str>); 9] = [
    (
        "employers",
        "contact_phone_enc",
        Some("contact_phone_index"),
    ),
    ("job_posts", "contact_phone_enc", None),
    ("applicants", "phone_enc", Some("phone_index")),
    ("persons", "id_number_enc", Some("id_number_index")),
    ("persons", "phone_enc", Some("phone_index")),
    ("traineeship_bases", "contact_phone_enc", None),
    ("notifications", "phone_enc", None),
    ("users", "totp_secret_enc", None),
    ("users", "totp_pending_enc", None),
];

/// Values read and rewritten per transaction.
const ROTATION_BATCH: i64 = 1000;

/// What a rotation did, per column.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Rotation {
    /// (table.column, values re-encrypted, values already under the new key)
    pub columns: Vec<(String, u64, u64)>,
}

impl Store {
    /// Re-encrypts every personal-data value from `old` to `new` and recomputes the blind
    /// indexes; `progress` hears each column and how many values are done.
    pub async fn rotate_field_key(
        &self,
        old: &FieldCipher,
        new: &FieldCipher,
        progress: &dyn Fn(&str, u64),
    ) -> Result<Rotation> {
        let mut report = Rotation::default();
        for (table, enc, index) in SEALED_COLUMNS {
            let name = format!("{table}.{enc}");
            let (rotated, skipped) = self
                .rotate_column((table, enc, index), old, new, &|done| progress(&name, done))
                .await?;
            report.columns.push((name, rotated, skipped));
        }
        // Import runs are found by token, not by id; their problems are few (kept a day).
        let (rotated, skipped) = self.rotate_import_problems(old, new).await?;
        let name = "import_runs.problems_enc".to_owned();
        progress(&name, rotated + skipped);
        report.columns.push((name, rotated, skipped));
        self.audit_rotation(&report).await?;
        Ok(report)
    }

    /// Rotates one column batch by batch, each batch its own transaction: (values
    /// re-encrypted, values already under the new key).
    async fn rotate_column(
        &self,
        (table, enc, index): (&str, &str, Option<&str>),
        old: &FieldCipher,
        new: &FieldCipher,
        progress: &dyn Fn(u64),
    ) -> Result<(u64, u64)> {
        let (mut rotated, mut skipped, mut last) = (0u64, 0u64, 0i64);
        let select = format!(
            "SELECT id, {enc} FROM {table} WHERE id > $1 AND {enc} IS NOT NULL \
             ORDER BY id LIMIT {ROTATION_BATCH}"
        );
        let update = match index {
            Some(index) => format!("UPDATE {table} SET {enc} = $1, {index} = $2 WHERE id = $3"),
            None => format!("UPDATE {table} SET {enc} = $1 WHERE id = $3 AND $2 = $2"),
        };
        loop {
            let rows: Vec<(i64, Vec<u8>)> = on_db!(self, pool => sqlx::query_as(
                sqlx::AssertSqlSafe(select.clone())
            )
            .bind(last)
            .fetch_all(pool)
            .await?);
            let Some((end, _)) = rows.last() else {
                break;
            };
            last = *end;
            let mut updates = Vec::new();
            for (id, stored) in rows {
                if new.decrypt(&stored).is_ok() {
                    skipped += 1;
                    continue;
                }
                let plain = old.decrypt(&stored).map_err(|_| {
                    Error::Config(format!(
                        "{table}.{enc} 第 {id} 行既不能用旧密钥也不能用新密钥解密，轮换已停止"
                    ))
                })?;
                updates.push((id, new.encrypt(&plain), new.blind_index(&plain)));
            }
            let _guard = self.write_lock.lock().await;
            on_db!(self, pool => {
                let mut tx = pool.begin_write().await?;
                for (id, sealed, blind) in &updates {
                    sqlx::query(sqlx::AssertSqlSafe(update.clone()))
                        .bind(sealed)
                        .bind(blind)
                        .bind(id)
                        .execute(&mut *tx)
                        .await?;
                }
                tx.commit().await?;
            });
            rotated += updates.len() as u64;
            progress(rotated + skipped);
        }
        Ok((rotated, skipped))
    }

    /// One audit row for the rotation, with its counts per column.
    async fn audit_rotation(&self, report: &Rotation) -> Result<()> {
        let detail: Vec<String> = report
            .columns
            .iter()
            .map(|(name, rotated, skipped)| format!("{name} {rotated}（已是新密钥 {skipped}）"))
            .collect();
        let _guard = self.write_lock.lock().await;
        let at = self.now();
        let event = AuditEvent::new("keys.rotate", "field.key").detail(detail.join("；"));
        on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            tx.append_audit(at, &event).await?;
            tx.commit().await?;
        });
        Ok(())
    }
}
