//! What the portal shows of pushes: an applicant's pushed posts, messages and "为你推荐"; an
//! employer's candidates who consented to be found, and their invitations.

use chrono::{DateTime, Utc};
use linkong_core::access::Actor;
use linkong_core::matching::{Seeker, Weights};
use linkong_core::plan::Plan;
use linkong_core::pushes::Channel;
use linkong_core::subsidies::mask_name;
use linkong_core::time::local_date;
use serde::Serialize;

use super::{NewPush, PushWrite, invalid, reaching};
use crate::applicants::Applicant;
use crate::audit::{AuditAppend, AuditEvent};
use crate::matching::{PostMatch, score_one};
use crate::{BeginWrite, Error, Result, Store, on_db};

/// A post pushed to the signed-in applicant, with why and whether it is still open.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PushedToMe {
    pub post_id: i64,
    pub title: String,
    pub employer_name: String,
    pub channel: Channel,
    pub reasons: String,
    pub pushed_at: DateTime<Utc>,
    pub applied: bool,
}

/// A portal message.
#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct Message {
    pub id: i64,
    pub title: String,
    pub body: String,
    pub link: String,
    pub created_at: DateTime<Utc>,
    pub read_at: Option<DateTime<Utc>>,
}

/// An applicant who consented to be found, as an employer sees them against one post: masked.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Candidate {
    pub applicant_id: i64,
    pub name_masked: String,
    pub phone_masked: String,
    pub education: String,
    pub major: String,
    pub score: f64,
    pub reasons: Vec<String>,
    pub invited: bool,
}

#[derive(sqlx::FromRow)]
struct PushedRow {
    post_id: i64,
    title: String,
    employer_name: String,
    channel: String,
    reasons: String,
    pushed_at: DateTime<Utc>,
    application_id: Option<i64>,
}

/// The most candidates read for one post.
const MAX_CANDIDATES_READ: i64 = 5000;

/// An applicant as the matcher sees them: the profile's words, education, street and pay.
pub(crate) fn applicant_seeker(applicant: &Applicant) -> Seeker {
    let mut skills: Vec<String> = applicant
        .skills
        .split([',', '，', '、', ';', '；', ' ', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect();
    let wanted = applicant.wanted_job.trim();
    if !wanted.is_empty() && !skills.iter().any(|s| s == wanted) {
        skills.push(wanted.to_owned());
    }
    Seeker {
        major: applicant.major.clone(),
        skills,
        education: applicant.education,
        wanted_group: None,
        // The profile's wanted 职业分类大典 code and 岗位层次 (issue 16 item 1), when given.
        wanted_occupation: applicant.wanted_occupation_code.as_deref().and_then(|c| {
            linkong_core::occupations::Classification::shipped()
                .code(c)
                .ok()
        }),
        wanted_level: applicant
            .wanted_level
            .as_deref()
            .and_then(|l| linkong_core::jobs::JobLevel::parse(l).ok()),
        wanted_salary: applicant.salary_expectation,
        home_street: String::new(),
        wanted_streets: applicant.wanted_street.iter().cloned().collect(),
    }
}

impl Store {
    /// The posts pushed to the signed-in applicant (or to them as a resident of the roster),
    /// newest first.
    pub async fn pushed_to_me(&self, actor: &Actor) -> Result<Vec<PushedToMe>> {
        let me = Store::own_applicant(actor)?;
        let rows: Vec<PushedRow> = on_db!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT jp.post_id, p.title, e.name AS employer_name, jp.channel, jp.reasons, \
             jp.pushed_at, (SELECT ap.id FROM applications ap WHERE ap.post_id = jp.post_id \
             AND ap.applicant_id = $1) AS application_id FROM job_pushes jp \
             JOIN job_posts p ON p.id = jp.post_id JOIN employers e ON e.id = p.employer_id \
             WHERE {} ORDER BY jp.id DESC LIMIT 50",
            reaching("jp.", "$1")
        )))
        .bind(me)
        .fetch_all(pool)
        .await?);
        rows.into_iter()
            .map(|r| {
                Ok(PushedToMe {
                    post_id: r.post_id,
                    title: r.title,
                    employer_name: r.employer_name,
                    channel: Channel::parse(&r.channel).map_err(Error::Config)?,
                    reasons: r.reasons,
                    pushed_at: r.pushed_at,
                    applied: r.application_id.is_some(),
                })
            })
            .collect()
    }

    /// The signed-in applicant's portal messages, newest first.
    pub async fn my_messages(&self, actor: &Actor) -> Result<Vec<Message>> {
        let me = Store::own_applicant(actor)?;
        Ok(
            on_db!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT id, title, body, link, created_at, read_at FROM notifications \
             WHERE channel = 'portal' AND {} ORDER BY id DESC LIMIT 100",
            reaching("", "$1")
        )))
        .bind(me)
        .fetch_all(pool)
        .await?),
        )
    }

    /// Marks one of the signed-in applicant's messages read; another's is not found.
    pub async fn read_message(&self, actor: &Actor, id: i64) -> Result<String> {
        let me = Store::own_applicant(actor)?;
        let now = self.now();
        let _guard = self.write_lock.lock().await;
        let link: Option<String> = on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let link: Option<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
                "SELECT link FROM notifications WHERE id = $1 AND channel = 'portal' AND {}",
                reaching("", "$2")
            )))
            .bind(id)
            .bind(me)
            .fetch_optional(&mut *tx)
            .await?;
            if link.is_some() {
                sqlx::query("UPDATE notifications SET read_at = $2 WHERE id = $1 AND read_at IS NULL")
                    .bind(id)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
            link
        });
        link.ok_or_else(|| Error::not_found("该消息不存在"))
    }

    /// "为你推荐": the `n` open posts that best fit the signed-in applicant's profile, leaving
    /// out those they applied to. Computed on each call, so a new or closed post or a changed
    /// profile shows at once.
    pub async fn recommend_for_me(
        &self,
        plan: &Plan,
        actor: &Actor,
        weights: &Weights,
        n: usize,
    ) -> Result<Vec<PostMatch>> {
        let n = weights.results(n).map_err(|message| Error::Invalid {
            field: "推荐数量",
            message,
        })?;
        let applicant = self.applicant(actor).await?;
        let applied: Vec<i64> = self
            .my_applications(actor)
            .await?
            .iter()
            .map(|a| a.post_id)
            .collect();
        self.suggest_open(plan, &applicant_seeker(&applicant), &applied, weights, n)
            .await
    }

    /// Whether the signed-in applicant lets employers find them.
    pub async fn findable(&self, actor: &Actor) -> Result<bool> {
        let me = Store::own_applicant(actor)?;
        let since: Option<Option<DateTime<Utc>>> = on_db!(self, pool => sqlx::query_scalar(
            "SELECT findable_since FROM applicants WHERE id = $1"
        )
        .bind(me)
        .fetch_optional(pool)
        .await?);
        Ok(since.flatten().is_some())
    }

    /// The signed-in applicant gives or withdraws their consent to be found by employers; audited.
    pub async fn set_findable(&self, actor: &Actor, findable: bool, ip: &str) -> Result<()> {
        let me = Store::own_applicant(actor)?;
        let now = self.now();
        let event = AuditEvent::new("applicant.consent", format!("applicant:{me}"))
            .by(Some(actor.user_id), &actor.username)
            .detail(if findable {
                "允许单位查看"
            } else {
                "撤回"
            })
            .from_ip(ip);
        let _guard = self.write_lock.lock().await;
        on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            sqlx::query("UPDATE applicants SET findable_since = $2, updated_at = $3 WHERE id = $1")
                .bind(me)
                .bind(findable.then_some(now))
                .bind(now)
                .execute(&mut *tx)
                .await?;
            tx.append_audit(now, &event).await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// The applicants who consented to be found, best fit for post `post_id` first, masked: for
    /// whoever manages the post (its employer, the unit that raised it). Others are refused.
    pub async fn post_candidates(
        &self,
        plan: &Plan,
        actor: &Actor,
        post_id: i64,
        weights: &Weights,
        n: usize,
    ) -> Result<Vec<Candidate>> {
        let n = weights.results(n).map_err(|message| Error::Invalid {
            field: "推荐数量",
            message,
        })?;
        let post = self
            .job_post(post_id)
            .await?
            .ok_or_else(|| Error::not_found("该岗位不存在"))?;
        if !actor.may_manage_post(post.employer_id, &post.raised_by) {
            return Err(Error::forbidden("只有发布该岗位的单位可以查看候选人"));
        }
        let today = local_date(self.now());
        let invited = self.invited_to(post_id).await?;
        let (matcher, at) = self.matcher_with(plan, weights, today, &post).await?;
        let mut scored: Vec<(f64, Candidate)> = Vec::new();
        for applicant in self.findable_applicants().await? {
            let found = score_one(&matcher, &applicant_seeker(&applicant), at);
            scored.push((
                found.total,
                Candidate {
                    applicant_id: applicant.id,
                    name_masked: mask_name(&applicant.name),
                    phone_masked: applicant.phone_masked.clone(),
                    education: applicant.education.label().to_owned(),
                    major: applicant.major.clone(),
                    score: (found.total * 10.0).round() / 10.0,
                    reasons: found
                        .top_reasons(3)
                        .into_iter()
                        .map(str::to_owned)
                        .collect(),
                    invited: invited.contains(&applicant.id),
                },
            ));
        }
        scored.sort_by(|a, b| {
            b.0.total_cmp(&a.0)
                .then(a.1.applicant_id.cmp(&b.1.applicant_id))
        });
        Ok(scored.into_iter().take(n).map(|(_, c)| c).collect())
    }

    /// An employer invites a candidate to apply to an open post they manage: a push of the
    /// channel 单位邀约 with a portal message and an SMS. Refused for an applicant who has not
    /// consented to be found, a closed post, or a second invitation.
    pub async fn invite_candidate(
        &self,
        plan: &Plan,
        actor: &Actor,
        (post_id, applicant_id): (i64, i64),
        weights: &Weights,
        ip: &str,
    ) -> Result<i64> {
        let today = local_date(self.now());
        let post = self.pushable_post(post_id, today).await?;
        if !actor.may_manage_post(post.employer_id, &post.raised_by) {
            return Err(Error::forbidden("只有发布该岗位的单位可以邀请候选人"));
        }
        let Some(applicant) = self
            .findable_applicants_where(applicant_id)
            .await?
            .into_iter()
            .next()
        else {
            return Err(Error::Invalid {
                field: "候选人",
                message: "该求职者未同意单位查看其求职信息，不能邀请".into(),
            });
        };
        if self.invited_to(post_id).await?.contains(&applicant_id) {
            return Err(invalid("已邀请过该求职者，不重复邀请"));
        }
        let (matcher, at) = self.matcher_with(plan, weights, today, &post).await?;
        let found = score_one(&matcher, &applicant_seeker(&applicant), at);
        let push = NewPush {
            post_id,
            person_kind: "applicant",
            person_ref: applicant_id,
            person_id: None,
            applicant_id: Some(applicant_id),
            street_code: post.street_code.clone(),
            channel: Channel::Invitation,
            reasons: found
                .top_reasons(3)
                .into_iter()
                .map(str::to_owned)
                .collect(),
            sms: true,
            title: post.title.clone(),
            employer_name: post.employer_name.clone(),
        };
        let now = self.now();
        let event = AuditEvent::new("applicant.invite", format!("applicant:{applicant_id}"))
            .by(Some(actor.user_id), &actor.username)
            .detail(format!("job_post:{post_id}"))
            .from_ip(ip);
        let _guard = self.write_lock.lock().await;
        let id = on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let id = tx.insert_push(&push, actor.user_id, now).await?;
            tx.append_audit(now, &event).await?;
            tx.commit().await?;
            id
        });
        Ok(id)
    }

    /// The applicants invited to post `post_id`.
    async fn invited_to(&self, post_id: i64) -> Result<Vec<i64>> {
        Ok(on_db!(self, pool => sqlx::query_scalar(
            "SELECT applicant_id FROM job_pushes WHERE post_id = $1 AND applicant_id IS NOT NULL"
        )
        .bind(post_id)
        .fetch_all(pool)
        .await?))
    }

    /// Every applicant who consented to be found (the most recent first, at most a few thousand).
    async fn findable_applicants(&self) -> Result<Vec<Applicant>> {
        self.findable_applicants_where(0).await
    }

    /// The applicants who consented to be found: all (`only` = 0) or the one with id `only`.
    async fn findable_applicants_where(&self, only: i64) -> Result<Vec<Applicant>> {
        self.applicants_where(
            "a.findable_since IS NOT NULL AND ($1 = 0 OR a.id = $1) ORDER BY a.findable_since DESC",
            only,
            MAX_CANDIDATES_READ,
        )
        .await
    }
}
