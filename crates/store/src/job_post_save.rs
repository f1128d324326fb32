//! Saving a job post as a draft or submitting it for review, in named steps: find the post
//! being edited, settle its employer, check the draft, screen it on submit, write it. The
//! INSERT of a new post and the UPDATE of an edited one bind the same columns in one place
//! ([`bind_post_columns!`]), so that they cannot drift apart.
//!
//! Only drafts and returned posts are edited, and neither was ever published: saving a post
//! changes no figure (the positions count once a reviewer publishes it).

use chrono::{DateTime, Utc};
use linkong_core::access::Actor;
use linkong_core::field::FieldError;
use linkong_core::fraud::{FraudRules, PostFacts, RiskLevel, Screening};
use linkong_core::jobs::{
    Education, Experience, PostDraft, PostEmployerRefusal, PostStatus, ValidPost, post_employer,
    raised_by_own_unit, staff_may_post_for, validate_post,
};
use linkong_core::phone::Phone;
use linkong_core::plan::Plan;

use crate::audit::{AuditAppend, AuditEvent};
use crate::employers::Employer;
use crate::jobs::JobPost;
use crate::{BeginWrite, Error, Result, Store, on_db};

/// What a save writes besides the draft's own fields, bound as `$2`…`$29` by both statements.
struct PostColumns<'a> {
    post: &'a ValidPost,
    phone_enc: Vec<u8>,
    status: PostStatus,
    risk_score: Option<i64>,
    risk_level: Option<&'static str>,
    risk_reasons: Option<String>,
    now: DateTime<Utc>,
    /// Set when the save submits the post for review.
    submitted_at: Option<DateTime<Utc>>,
}

impl<'a> PostColumns<'a> {
    fn new(
        post: &'a ValidPost,
        phone_enc: Vec<u8>,
        screening: Option<&Screening>,
        now: DateTime<Utc>,
    ) -> Self {
        let submit = screening.is_some();
        PostColumns {
            post,
            phone_enc,
            status: if submit {
                PostStatus::Pending
            } else {
                PostStatus::Draft
            },
            risk_score: screening.map(|s| i64::from(s.score)),
            risk_level: screening.map(|s| match s.level {
                RiskLevel::High => "high",
                RiskLevel::Medium => "medium",
                RiskLevel::Low => "low",
            }),
            risk_reasons: screening
                .map(|s| serde_json::to_string(&s.reasons).unwrap_or_else(|_| "[]".into())),
            now,
            submitted_at: submit.then_some(now),
        }
    }
}

/// Binds [`PostColumns`] as `$2`…`$29`, in the order both statements name them.
macro_rules! bind_post_columns {
    ($query:expr, $c:expr) => {
        $query
            .bind(&$c.post.title)
            .bind(&$c.post.description)
            .bind($c.post.occupation_group.code())
            .bind(&$c.post.occupation)
            .bind($c.post.industry_section.letter().to_string())
            .bind($c.post.leading_industry.code())
            .bind($c.post.emerging)
            .bind($c.post.positions)
            .bind($c.post.education.code())
            .bind($c.post.experience.code())
            .bind($c.post.salary_min)
            .bind($c.post.salary_max)
            .bind(&$c.post.street_code)
            .bind(&$c.post.contact_name)
            .bind(&$c.phone_enc)
            .bind($c.post.valid_from)
            .bind($c.post.valid_until)
            .bind(&$c.post.raised_by)
            .bind($c.status.code())
            .bind($c.risk_score)
            .bind($c.risk_level)
            .bind(&$c.risk_reasons)
            .bind($c.now)
            .bind($c.submitted_at)
            .bind($c.post.level.code())
            .bind(
                $c.post
                    .occupation_code
                    .as_ref()
                    .map(|c| c.as_str().to_owned()),
            )
            .bind(
                $c.post
                    .industry_code
                    .as_ref()
                    .map(|c| c.as_str().to_owned()),
            )
            .bind(&$c.post.emerging_basis)
    };
}

const INSERT_POST: &str = "INSERT INTO job_posts (employer_id, title, description, occupation_group, occupation, \
     industry_section, leading_industry, emerging, positions, education, experience, salary_min, salary_max, \
     street_code, contact_name, contact_phone_enc, valid_from, valid_until, raised_by, status, risk_score, \
     risk_level, risk_reasons, created_at, updated_at, submitted_at, level, occupation_code, industry_code, \
     emerging_basis, created_by) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, \
     $22, $23, $24, $24, $25, $26, $27, $28, $29, $30) RETURNING id";

// Only an editable post is changed: a concurrent submit or review wins.
const UPDATE_POST: &str = "UPDATE job_posts SET title = $2, description = $3, occupation_group = $4, occupation = $5, \
     industry_section = $6, leading_industry = $7, emerging = $8, positions = $9, education = $10, \
     experience = $11, salary_min = $12, salary_max = $13, street_code = $14, contact_name = $15, \
     contact_phone_enc = $16, valid_from = $17, valid_until = $18, raised_by = $19, status = $20, \
     risk_score = $21, risk_level = $22, risk_reasons = $23, updated_at = $24, \
     submitted_at = COALESCE($25, submitted_at), level = $26, occupation_code = $27, industry_code = $28, \
     emerging_basis = $29, emerging_override_reason = NULL, emerging_overridden_by = NULL, \
     emerging_overridden_at = NULL \
     WHERE id = $1 AND status IN ('draft', 'rejected') RETURNING id";

impl Store {
    /// Saves a post as a draft or submits it for review. `id` None creates one. An employer
    /// posts for itself; a street's or industry office's staff post for a verified employer met
    /// offline (`employer_id`), raised by their own unit. On submit the post is screened.
    #[allow(clippy::too_many_arguments)]
    pub async fn save_job_post(
        &self,
        actor: &Actor,
        plan: &Plan,
        rules: &FraudRules,
        id: Option<i64>,
        employer_id: Option<i64>,
        draft: &PostDraft,
        submit: bool,
        ip: &str,
    ) -> Result<JobPost> {
        let existing = match id {
            Some(id) => Some(self.editable_post(actor, id, ip).await?),
            None => None,
        };
        let employer = self
            .post_employer(actor, existing.as_ref(), employer_id, ip)
            .await?;
        let (post, phone) = checked_post(plan, actor, draft)?;
        let screening = submit.then(|| screen(rules, plan, &employer, &post));
        let columns = PostColumns::new(
            &post,
            self.cipher()?.encrypt(phone.expose()),
            screening.as_ref(),
            self.now(),
        );
        let action = match (existing.is_some(), submit) {
            (_, true) => "job_post.submit",
            (false, false) => "job_post.create",
            (true, false) => "job_post.update",
        };
        let detail = match &screening {
            Some(s) => format!("{}；{}（{} 分）", post.title, s.level.label(), s.score),
            None => post.title.clone(),
        };
        let event = AuditEvent::new(action, String::new())
            .by(Some(actor.user_id), &actor.username)
            .detail(detail)
            .from_ip(ip);
        let target = existing.as_ref().map(|p| p.id);
        let id = self
            .write_post(target, employer.id, actor.user_id, &columns, event)
            .await?;
        self.job_post(id)
            .await?
            .ok_or_else(|| Error::not_found("刚保存的岗位"))
    }

    /// The post `id`, if the actor manages it and it may still be edited.
    async fn editable_post(&self, actor: &Actor, id: i64, ip: &str) -> Result<JobPost> {
        let post = self.post_for_manager(actor, id, ip).await?;
        if !post.status.is_editable() {
            return Err(Error::Conflict(format!(
                "岗位“{}”{}，不能再修改",
                post.title,
                post.status.label()
            )));
        }
        Ok(post)
    }

    /// The employer a post is saved for: its own, the actor's, or (for staff) the one chosen;
    /// staff post only for verified employers.
    async fn post_employer(
        &self,
        actor: &Actor,
        existing: Option<&JobPost>,
        chosen: Option<i64>,
        ip: &str,
    ) -> Result<Employer> {
        let employer_id = match post_employer(actor, existing.map(|p| p.employer_id), chosen) {
            Ok(id) => id,
            Err(refusal @ PostEmployerRefusal::AccountWithoutEmployer) => {
                return Err(Error::forbidden(refusal.message()));
            }
            Err(refusal @ PostEmployerRefusal::NoEmployerChosen) => {
                return Err(Error::invalid("用人单位", refusal.message()));
            }
            Err(refusal @ PostEmployerRefusal::MayNotPost) => {
                return Err(self
                    .deny(actor, "job_post:new".into(), refusal.message(), ip)
                    .await);
            }
        };
        let employer = self
            .employer(employer_id)
            .await?
            .ok_or_else(|| Error::invalid("用人单位", "用人单位不存在"))?;
        staff_may_post_for(actor, &employer.name, employer.status.may_publish())?;
        Ok(employer)
    }

    /// Inserts the post (`target` None) or updates the editable post `target`, audited, in one
    /// transaction; returns its id.
    async fn write_post(
        &self,
        target: Option<i64>,
        employer_id: i64,
        created_by: i64,
        columns: &PostColumns<'_>,
        mut event: AuditEvent,
    ) -> Result<i64> {
        let _guard = self.write_lock.lock().await;
        Ok(on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let id: i64 = match target {
                None => bind_post_columns!(sqlx::query_scalar(INSERT_POST).bind(employer_id), columns)
                    .bind(created_by)
                    .fetch_one(&mut *tx)
                    .await?,
                Some(id) => bind_post_columns!(sqlx::query_scalar(UPDATE_POST).bind(id), columns)
                    .fetch_optional(&mut *tx)
                    .await?
                    .ok_or_else(|| Error::Conflict("岗位已提交或已审核，不能再修改".into()))?,
            };
            event.target = format!("job_post:{id}");
            tx.append_audit(columns.now, &event).await?;
            tx.commit().await?;
            id
        }))
    }
}

/// The draft checked: the post and its contact phone, or every field error. Staff post for
/// their own unit.
fn checked_post(plan: &Plan, actor: &Actor, draft: &PostDraft) -> Result<(ValidPost, Phone)> {
    let mut errors = Vec::new();
    let valid = validate_post(plan, draft)
        .map_err(|e| errors.extend(e))
        .ok();
    let phone = Phone::parse(&draft.contact_phone)
        .map_err(|e| {
            errors.push(FieldError {
                field: "联系电话",
                message: e.to_string(),
            })
        })
        .ok();
    if let Some(valid) = &valid
        && let Err(e) = raised_by_own_unit(actor, valid)
    {
        errors.push(e);
    }
    match (valid, phone, errors.is_empty()) {
        (Some(post), Some(phone), true) => Ok((post, phone)),
        _ => Err(Error::Fields(errors)),
    }
}

/// The fraud screening of a post being submitted.
fn screen(rules: &FraudRules, plan: &Plan, employer: &Employer, post: &ValidPost) -> Screening {
    rules.screen(&PostFacts {
        employer: &employer.name,
        title: &post.title,
        description: &post.description,
        positions: Some(post.positions),
        place: plan.unit(&post.street_code).map_or("", |u| u.name.as_str()),
        salary_min: Some(post.salary_min),
        salary_max: Some(post.salary_max),
        valid_until: Some(post.valid_until),
        requires_experience: post.experience != Experience::Any,
        requires_education: post.education != Education::Any,
    })
}
