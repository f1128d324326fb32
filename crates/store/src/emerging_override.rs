//! A reviewer's change of a post's derived emerging-industry flag (task 1.1.1): core checks the
//! reason, the change is written with who and when, audited, and — for a published post — the
//! day's tallies of positions and emerging positions are recounted in the same transaction, so
//! the emerging share stays equal to its rows.

use linkong_core::access::Actor;
use linkong_core::emerging::check_override;
use linkong_core::jobs::PostStatus;

use crate::audit::{AuditAppend, AuditEvent};
use crate::figures::{DayKey, FigureWrite};
use crate::jobs::{JobPost, JobWrite};
use crate::{BeginWrite, Error, Result, Store, on_db};

impl Store {
    /// Sets post `id`'s emerging flag to `wanted` against its derivation, with `reason`: only
    /// reviewers, only pending or published posts, never without a reason (refusals name the
    /// field; a non-reviewer is refused and audited).
    pub async fn override_emerging(
        &self,
        actor: &Actor,
        id: i64,
        wanted: bool,
        reason: &str,
        ip: &str,
    ) -> Result<JobPost> {
        let target = format!("job_post:{id}");
        if !actor.may_review_posts() {
            let refusal = "只有审核员可以更改新兴产业岗位的认定";
            return Err(self.deny(actor, target, refusal, ip).await);
        }
        let post = self
            .job_post(id)
            .await?
            .ok_or_else(|| Error::not_found(format!("岗位 {id}")))?;
        if !matches!(post.status, PostStatus::Pending | PostStatus::Published) {
            return Err(Error::Conflict(format!(
                "岗位“{}”{}，只有待审核或已发布的岗位可以更改认定",
                post.title,
                post.status.label()
            )));
        }
        let reason = check_override(post.emerging, wanted, reason)?;
        let now = self.now();
        let event = AuditEvent::new("job_post.emerging_override", target)
            .by(Some(actor.user_id), &actor.username)
            .detail(format!(
                "{}：{} → {}；{reason}",
                post.title,
                yes_no(post.emerging),
                yes_no(wanted)
            ))
            .from_ip(ip);
        let _guard = self.write_lock.lock().await;
        on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            sqlx::query(
                "UPDATE job_posts SET emerging = $2, emerging_override_reason = $3, \
                 emerging_overridden_by = $4, emerging_overridden_at = $5, updated_at = $5 WHERE id = $1",
            )
            .bind(id)
            .bind(wanted)
            .bind(&reason)
            .bind(actor.user_id)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            if post.status == PostStatus::Published {
                // The index keeps the flag for its filter and its cards.
                tx.note_search_change(id).await?;
            }
            if let Some(published_at) = post.published_at {
                tx.refresh_figures(&DayKey::post(&post.raised_by, published_at))
                    .await?;
            }
            tx.append_audit(now, &event).await?;
            tx.commit().await?;
        });
        self.job_post(id)
            .await?
            .ok_or_else(|| Error::not_found("刚更改的岗位"))
    }
}

fn yes_no(emerging: bool) -> &'static str {
    if emerging { "是" } else { "否" }
}
