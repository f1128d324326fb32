//! The SMS outbox: each push's SMS (and each notice of the 免申即享 scan) waits in
//! `notifications` until a gateway takes it. A push's number is read from the person's (or
//! applicant's) sealed phone at send time; the scan's is sealed in the row. Either is opened for
//! the gateway only, never logged.

use linkong_core::pushes::sms_text;

use crate::{Result, Store, on_db};

/// An SMS gateway: the operator's SMS service behind an interface (`linkong outbox send` uses an
/// HTTP one). `Err` carries the gateway's reason, kept with the message for the next attempt.
pub trait SmsGateway {
    fn send(
        &self,
        phone: &str,
        text: &str,
    ) -> impl Future<Output = std::result::Result<(), String>>;
}

/// An SMS due to go: the message's id, the number opened from its sealed column, the text.
pub struct OutgoingSms {
    pub id: i64,
    pub phone: String,
    pub text: String,
}

/// What one run of the outbox did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OutboxRun {
    pub sent: usize,
    pub failed: usize,
}

/// Attempts after which a message is no longer tried.
const MAX_ATTEMPTS: i64 = 5;

#[derive(sqlx::FromRow)]
struct PendingRow {
    id: i64,
    title: String,
    body: String,
    phone_enc: Option<Vec<u8>>,
}

/// Sends up to `limit` pending SMS through `gateway`, recording each outcome.
pub async fn send_outbox(
    store: &Store,
    gateway: &impl SmsGateway,
    limit: i64,
) -> Result<OutboxRun> {
    let mut run = OutboxRun::default();
    for sms in store.pending_sms(limit).await? {
        let outcome = gateway.send(&sms.phone, &sms.text).await;
        if outcome.is_ok() {
            run.sent += 1;
        } else {
            run.failed += 1;
        }
        store.record_sms(sms.id, outcome.err()).await?;
    }
    Ok(run)
}

impl Store {
    /// The SMS not yet sent (and not given up on), oldest first, with their numbers opened.
    pub async fn pending_sms(&self, limit: i64) -> Result<Vec<OutgoingSms>> {
        let rows: Vec<PendingRow> = on_db!(self, pool => sqlx::query_as(
            "SELECT n.id, n.title, n.body, COALESCE(n.phone_enc, pe.phone_enc, a.phone_enc) AS phone_enc \
             FROM notifications n LEFT JOIN persons pe ON pe.id = n.person_id \
             LEFT JOIN applicants a ON a.id = n.applicant_id \
             WHERE n.channel = 'sms' AND n.sent_at IS NULL AND n.attempts < $1 \
             ORDER BY n.id LIMIT $2"
        )
        .bind(MAX_ATTEMPTS)
        .bind(limit)
        .fetch_all(pool)
        .await?);
        let cipher = self.cipher()?;
        let mut due = Vec::with_capacity(rows.len());
        for row in rows {
            let Some(sealed) = row.phone_enc else {
                continue;
            };
            due.push(OutgoingSms {
                id: row.id,
                phone: cipher.decrypt(&sealed)?,
                // A push's SMS names its title; the 免申即享 scan's carries its whole notice.
                text: if row.title.is_empty() {
                    row.body
                } else {
                    sms_text(&row.title)
                },
            });
        }
        Ok(due)
    }

    /// Records an attempt at SMS `id`: sent (no error) or failed with the gateway's reason.
    pub async fn record_sms(&self, id: i64, error: Option<String>) -> Result<()> {
        let now = self.now();
        let _guard = self.write_lock.lock().await;
        on_db!(self, pool => sqlx::query(
            "UPDATE notifications SET attempts = attempts + 1, \
             sent_at = CASE WHEN $2 = '' THEN $3 ELSE sent_at END, last_error = $2 WHERE id = $1"
        )
        .bind(id)
        .bind(error.unwrap_or_default())
        .bind(now)
        .execute(pool)
        .await
        .map(drop)?);
        Ok(())
    }

    /// How many SMS wait, and how many were given up on.
    pub async fn outbox_counts(&self) -> Result<(i64, i64)> {
        let (waiting, abandoned): (i64, i64) = on_db!(self, pool => sqlx::query_as(
            "SELECT COALESCE(SUM(CASE WHEN attempts < $1 THEN 1 ELSE 0 END), 0), \
             COALESCE(SUM(CASE WHEN attempts >= $1 THEN 1 ELSE 0 END), 0) \
             FROM notifications WHERE channel = 'sms' AND sent_at IS NULL"
        )
        .bind(MAX_ATTEMPTS)
        .fetch_one(pool)
        .await?);
        Ok((waiting, abandoned))
    }
}
