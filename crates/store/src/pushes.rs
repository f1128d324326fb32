//! Job pushes and their messages (issue 16 items 3–5; the channels, stages and messages are
//! core's `core::pushes`). A street officer pushes open posts to the graduates they serve —
//! each push is also a job referral of the 1131 service — and an employer invites applicants who
//! consented to be found. Every push writes a portal message (and an SMS to the outbox when the
//! person's phone is known) in the same transaction; opening the post on the portal, applying
//! and being hired are traced back to it.

use chrono::{DateTime, NaiveDate, Utc};
use linkong_core::access::Actor;
use linkong_core::matching::Weights;
use linkong_core::people::ServiceItem;
use linkong_core::plan::Plan;
use linkong_core::pushes::{Channel, Delivery, message};
use linkong_core::time::local_date;

use crate::audit::{AuditAppend, AuditEvent};
use crate::graduates::{GraduateWrite, NewService};
use crate::jobs::JobPost;
use crate::matching::{score_one, seeker_of};
use crate::{BeginWrite, Error, Result, Store, on_db};

mod conversion;
mod outbox;
mod portal;
mod returnees;

pub use conversion::{Conversion, PushFilter, PushTrail};
pub use outbox::{OutboxRun, OutgoingSms, SmsGateway, send_outbox};
pub use portal::{Candidate, Message, PushedToMe};
pub use returnees::{ReturneeLine, reaches_by_sms};

/// The note of a 1131 referral made by a push.
pub const PUSH_NOTE: &str = "人岗匹配推送";

/// One push about to be written: who, which post, where from, why, and its messages.
pub(crate) struct NewPush {
    post_id: i64,
    person_kind: &'static str,
    person_ref: i64,
    person_id: Option<i64>,
    applicant_id: Option<i64>,
    street_code: String,
    channel: Channel,
    reasons: Vec<String>,
    /// Whether an SMS goes too (the person's phone is known).
    sms: bool,
    title: String,
    employer_name: String,
}

/// A push checked and ready, with the 1131 referral a graduate's push also is (the unit
/// that gave it); a returnee's push is none.
struct ReadyPush {
    push: NewPush,
    referral_by: Option<String>,
}

impl NewPush {
    /// The audit row's action and target of a street officer's push: `graduate.push
    /// graduate:ID` or `returnee.push person:ID`.
    fn audited(&self) -> (&'static str, String) {
        if self.person_kind == RETURNEE {
            ("returnee.push", format!("person:{}", self.person_ref))
        } else {
            ("graduate.push", format!("graduate:{}", self.person_ref))
        }
    }
}

/// The person kinds of the pushes a street officer makes (`job_pushes.person_kind`): a graduate
/// of the roster (`person_ref` their roster row) or a resident of the out-migrant registry
/// (`person_ref` their person id).
const GRADUATE: &str = "graduate";
const RETURNEE: &str = "returnee";

impl Store {
    /// Pushes posts to graduates (`(graduate_id, post_id)` pairs) from `channel`, all or none, in
    /// one transaction: each is a job referral in the graduate's 1131 log, a push with the
    /// matching reasons, a portal message and (when the phone is known) an SMS, and an audit
    /// row. Every graduate must be one the actor serves, every post open, and no post pushed to
    /// the same graduate twice. Returns how many were pushed.
    pub async fn push_referrals(
        &self,
        plan: &Plan,
        actor: &Actor,
        channel: Channel,
        weights: &Weights,
        pushes: &[(i64, i64)],
        ip: &str,
    ) -> Result<usize> {
        check_batch(pushes)?;
        let mut ready: Vec<ReadyPush> = Vec::with_capacity(pushes.len());
        for &pair in pushes {
            let checked = self
                .check_graduate_push(plan, actor, (channel, weights), pair, ip)
                .await?;
            ready.push(checked);
        }
        self.write_pushes(actor, &ready, ip).await
    }

    /// Writes checked pushes in one transaction: each its referral (a graduate's), the push and
    /// its messages, and its audit row. Returns how many.
    async fn write_pushes(&self, actor: &Actor, ready: &[ReadyPush], ip: &str) -> Result<usize> {
        let now = self.now();
        let today = local_date(now);
        let _guard = self.write_lock.lock().await;
        on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            for ReadyPush { push, referral_by } in ready {
                if let Some(unit) = referral_by {
                    tx.insert_service(&NewService {
                        graduate_id: push.person_ref,
                        item: ServiceItem::Referral,
                        post_id: Some(push.post_id),
                        done_on: today,
                        unit,
                        user_id: actor.user_id,
                        note: PUSH_NOTE,
                        now,
                    })
                    .await?;
                }
                let id = tx.insert_push(push, actor.user_id, now).await?;
                let (action, target) = push.audited();
                let event = AuditEvent::new(action, target)
                    .by(Some(actor.user_id), &actor.username)
                    .detail(format!("job_post:{}; push:{id}; {}", push.post_id, push.channel.code()))
                    .from_ip(ip);
                tx.append_audit(now, &event).await?;
            }
            tx.commit().await?;
        });
        Ok(ready.len())
    }

    /// Checks one graduate push: the actor serves the graduate's street, the post is open, and
    /// it was not referred or pushed to them before; the reasons are the matching's.
    async fn check_graduate_push(
        &self,
        plan: &Plan,
        actor: &Actor,
        (channel, weights): (Channel, &Weights),
        (graduate_id, post_id): (i64, i64),
        ip: &str,
    ) -> Result<ReadyPush> {
        let (entry, services) = self.graduate(plan, actor, graduate_id, ip).await?;
        let target = format!("graduate:{graduate_id}");
        let unit = self
            .check_serves(plan, actor, &entry.street_code, target, ip)
            .await?;
        let today = local_date(self.now());
        let post = self.pushable_post(post_id, today).await?;
        // Referred in the 1131 log, or pushed to the same resident as a returnee.
        let pushed = self.pushed_posts_of(Some(entry.person_id), None).await?;
        if services.iter().any(|s| s.post_id == Some(post_id))
            || pushed
                .get(&entry.person_id)
                .is_some_and(|p| p.contains(&post_id))
        {
            return Err(invalid(format!(
                "岗位 #{post_id} 已推荐给{}，不重复推送",
                entry.name
            )));
        }
        let (matcher, at) = self.matcher_with(plan, weights, today, &post).await?;
        let found = score_one(&matcher, &seeker_of(&entry)?, at);
        let push = NewPush {
            post_id,
            person_kind: GRADUATE,
            person_ref: graduate_id,
            person_id: Some(entry.person_id),
            applicant_id: None,
            street_code: entry.street_code.clone(),
            channel,
            reasons: found
                .top_reasons(3)
                .into_iter()
                .map(str::to_owned)
                .collect(),
            sms: entry.has_phone(),
            title: post.title.clone(),
            employer_name: post.employer_name.clone(),
        };
        Ok(ReadyPush {
            push,
            referral_by: Some(unit),
        })
    }

    /// The post if it may be pushed on `today`: published and unexpired; refused naming 推送岗位.
    pub(crate) async fn pushable_post(&self, post_id: i64, today: NaiveDate) -> Result<JobPost> {
        let post = self
            .job_post(post_id)
            .await?
            .ok_or_else(|| invalid(format!("岗位 #{post_id} 不存在")))?;
        if post.is_open_on(today) {
            return Ok(post);
        }
        Err(invalid(format!(
            "岗位 #{post_id}“{}”{}，不能推送",
            post.title,
            post.status_on(today).label()
        )))
    }

    /// Marks the pushes of `post_id` to the signed-in applicant as viewed (the first time they
    /// open it). Anyone else opening the post changes nothing.
    pub async fn record_push_view(&self, actor: &Actor, post_id: i64) -> Result<u64> {
        let Ok(applicant_id) = Store::own_applicant(actor) else {
            return Ok(0);
        };
        let now = self.now();
        let _guard = self.write_lock.lock().await;
        let done = on_db!(self, pool => sqlx::query(sqlx::AssertSqlSafe(format!(
            "UPDATE job_pushes SET viewed_at = $1 WHERE post_id = $2 AND viewed_at IS NULL AND {}",
            reaching("", "$3")
        )))
        .bind(now)
        .bind(post_id)
        .bind(applicant_id)
        .execute(pool)
        .await?
        .rows_affected());
        Ok(done)
    }

    /// The posts pushed to a graduate, newest first, for their 1131 page.
    pub async fn pushes_to_graduate(&self, graduate_id: i64) -> Result<Vec<PushTrail>> {
        self.push_trail_where(
            "jp.person_kind = 'graduate' AND jp.person_ref = $1",
            graduate_id,
        )
        .await
    }

    /// The posts pushed to resident `person_id` (as a returnee or a graduate), newest first, for
    /// a page that has read the resident through a call that checked the actor's reach.
    pub(crate) async fn pushes_to_person(&self, person_id: i64) -> Result<Vec<PushTrail>> {
        self.push_trail_where("jp.person_id = $1", person_id).await
    }
}

/// The condition on pushes or messages (of table alias `alias`, with its dot) that reach the
/// applicant bound at `param`: made to them, or to the resident of the roster whose phone is theirs.
pub(crate) fn reaching(alias: &str, param: &str) -> String {
    format!(
        "({alias}applicant_id = {param} OR {alias}person_id IN (SELECT pe.id FROM persons pe \
         JOIN applicants a ON a.phone_index = pe.phone_index WHERE a.id = {param}))"
    )
}

/// A batch of `(person, post)` pairs to push: refused when empty or naming a pair twice.
fn check_batch(pushes: &[(i64, i64)]) -> Result<()> {
    if pushes.is_empty() {
        return Err(invalid("请至少选择一个岗位"));
    }
    for (at, pair) in pushes.iter().enumerate() {
        if pushes[..at].contains(pair) {
            return Err(invalid(format!("岗位 #{} 重复选择", pair.1)));
        }
    }
    Ok(())
}

fn invalid(message: impl Into<String>) -> Error {
    Error::Invalid {
        field: "推送岗位",
        message: message.into(),
    }
}

/// The writes of a push and its messages, inside the caller's transaction.
pub(crate) trait PushWrite {
    async fn insert_push(&mut self, push: &NewPush, by: i64, now: DateTime<Utc>) -> Result<i64>;
}

macro_rules! impl_push_write {
    ($conn:ty) => {
        impl PushWrite for $conn {
            async fn insert_push(&mut self, push: &NewPush, by: i64, now: DateTime<Utc>) -> Result<i64> {
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO job_pushes (post_id, person_kind, person_ref, person_id, \
                     applicant_id, street_code, channel, reasons, pushed_by, pushed_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
                )
                .bind(push.post_id)
                .bind(push.person_kind)
                .bind(push.person_ref)
                .bind(push.person_id)
                .bind(push.applicant_id)
                .bind(&push.street_code)
                .bind(push.channel.code())
                .bind(push.reasons.join("；"))
                .bind(by)
                .bind(now)
                .fetch_one(&mut *self)
                .await?;
                let (title, body) =
                    message(push.channel, &push.title, &push.employer_name, &push.reasons);
                let deliveries: &[Delivery] = if push.sms {
                    &[Delivery::Portal, Delivery::Sms]
                } else {
                    &[Delivery::Portal]
                };
                for delivery in deliveries {
                    sqlx::query(
                        "INSERT INTO notifications (person_id, applicant_id, channel, title, \
                         body, link, push_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                    )
                    .bind(push.person_id)
                    .bind(push.applicant_id)
                    .bind(delivery.code())
                    .bind(&title)
                    .bind(&body)
                    .bind(format!("/jobs/{}", push.post_id))
                    .bind(id)
                    .bind(now)
                    .execute(&mut *self)
                    .await?;
                }
                Ok(id)
            }
        }
    };
}

impl_push_write!(sqlx::SqliteConnection);
impl_push_write!(sqlx::PgConnection);
