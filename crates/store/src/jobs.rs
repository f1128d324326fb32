//! Job posts (招聘岗位): drafts by employers or by street and industry-office staff for them,
//! fraud screening on submit, review (publish, override a high risk, reject with a reason),
//! closing, and the public complaint queue (举报). Every change of what the public may see is
//! appended to `search_changes`, which the search index follows.

use chrono::{DateTime, NaiveDate, Utc};
use linkong_core::access::{Actor, Role};
use linkong_core::fraud::{Reason, RiskLevel, Screening};
use linkong_core::industry::LeadingIndustry;
use linkong_core::jobs::{
    Education, Experience, JobLevel, OccupationGroup, PostStatus, check_complaint, handling_note,
    publish_post, reject_post,
};
use linkong_core::phone::{Phone, mask_phone};
use linkong_core::time::local_date;
use serde::Serialize;
use sqlx::{PgConnection, SqliteConnection};

use crate::audit::{AuditAppend, AuditEvent};
use crate::figures::{DayKey, FigureWrite, NewFigure};
use crate::{BeginWrite, Error, Result, Store, on_db};

/// A post as its employer, staff and reviewers see it; the contact phone masked.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct JobPost {
    pub id: i64,
    pub employer_id: i64,
    pub employer_name: String,
    pub employer_verified: bool,
    pub title: String,
    pub description: String,
    pub occupation_group: OccupationGroup,
    /// 职业分类大典 code, when given.
    pub occupation_code: Option<String>,
    pub occupation: String,
    pub level: JobLevel,
    pub industry_section: String,
    /// GB/T 4754 code below the section, when given.
    pub industry_code: Option<String>,
    pub leading_industry: LeadingIndustry,
    /// The flag as it counts: derived, or a reviewer's change of it.
    pub emerging: bool,
    /// What the derived flag rests on (a row of the emerging-industry mapping).
    pub emerging_basis: Option<String>,
    /// A reviewer's change of the derived flag (or the employer's tick kept by migration 0040).
    pub emerging_override: Option<EmergingOverride>,
    pub positions: i64,
    pub education: Education,
    pub experience: Experience,
    pub salary_min: i64,
    pub salary_max: i64,
    pub street_code: String,
    pub contact_name: String,
    pub contact_phone_masked: String,
    pub valid_from: NaiveDate,
    pub valid_until: NaiveDate,
    pub raised_by: String,
    /// As stored; see [`JobPost::status_on`] for what people see.
    pub status: PostStatus,
    pub risk: Option<Screening>,
    pub review_note: Option<String>,
    pub override_reason: Option<String>,
    pub created_at: DateTime<Utc>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub published_at: Option<DateTime<Utc>>,
}

/// Why the emerging flag is not the derived one: the reviewer's reason, who and when (none for
/// a post whose tick migration 0040 kept).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EmergingOverride {
    pub reason: String,
    pub by: Option<String>,
    pub at: Option<DateTime<Utc>>,
}

impl JobPost {
    pub fn status_on(&self, today: NaiveDate) -> PostStatus {
        self.status.on(self.valid_until, today)
    }

    pub fn is_open_on(&self, today: NaiveDate) -> bool {
        self.status_on(today) == PostStatus::Published
    }
}

#[derive(sqlx::FromRow)]
struct PostRow {
    id: i64,
    employer_id: i64,
    employer_name: String,
    employer_status: String,
    title: String,
    description: String,
    occupation_group: String,
    occupation_code: Option<String>,
    occupation: String,
    level: String,
    industry_section: String,
    industry_code: Option<String>,
    leading_industry: String,
    emerging: bool,
    emerging_basis: Option<String>,
    emerging_override_reason: Option<String>,
    emerging_overrider: Option<String>,
    emerging_overridden_at: Option<DateTime<Utc>>,
    positions: i64,
    education: String,
    experience: String,
    salary_min: i64,
    salary_max: i64,
    street_code: String,
    contact_name: String,
    contact_phone_enc: Vec<u8>,
    valid_from: NaiveDate,
    valid_until: NaiveDate,
    raised_by: String,
    status: String,
    risk_score: Option<i64>,
    risk_level: Option<String>,
    risk_reasons: Option<String>,
    review_note: Option<String>,
    override_reason: Option<String>,
    created_at: DateTime<Utc>,
    submitted_at: Option<DateTime<Utc>>,
    published_at: Option<DateTime<Utc>>,
}

const POST_SELECT: &str = "SELECT p.id, p.employer_id, e.name AS employer_name, e.status AS employer_status, \
     p.title, p.description, p.occupation_group, p.occupation_code, p.occupation, p.level, p.industry_section, \
     p.industry_code, p.leading_industry, p.emerging, p.emerging_basis, p.emerging_override_reason, \
     ou.username AS emerging_overrider, p.emerging_overridden_at, p.positions, p.education, p.experience, p.salary_min, p.salary_max, p.street_code, \
     p.contact_name, p.contact_phone_enc, p.valid_from, p.valid_until, p.raised_by, p.status, \
     p.risk_score, p.risk_level, p.risk_reasons, p.review_note, p.override_reason, p.created_at, \
     p.submitted_at, p.published_at FROM job_posts p JOIN employers e ON e.id = p.employer_id \
     LEFT JOIN users ou ON ou.id = p.emerging_overridden_by";

/// A post loaded in bulk as already published (`linkong demo --jobs`, benchmarks).
#[derive(Debug, Clone)]
pub struct BulkPost {
    pub employer_id: i64,
    pub post: linkong_core::jobs::ValidPost,
    pub contact_phone: Phone,
    pub published_at: DateTime<Utc>,
}

/// Which posts a list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PostList<'a> {
    /// An employer's own posts (or, for staff, the posts their unit raised).
    Mine,
    /// The review queue: pending posts, highest risk first.
    Pending,
    /// Posts raised by a unit and published in a year: the rows behind indicator 1.1.1.
    RaisedBy { unit: &'a str, year: i32 },
}

/// A reviewer's decision on a pending post.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PostReview {
    /// Publish. A high-risk post needs `override_reason`: the reviewer's reason for publishing anyway.
    Publish {
        override_reason: Option<String>,
    },
    Reject {
        reason: String,
    },
}

/// A post, as the search index needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexedPost {
    pub id: i64,
    pub title: String,
    pub employer: String,
    pub description: String,
    pub industry: String,
    pub leading: String,
    pub street: String,
    pub education: String,
    pub experience: String,
    pub positions: i64,
    pub emerging: bool,
    pub salary_min: i64,
    pub salary_max: i64,
    pub published_at: DateTime<Utc>,
    pub valid_until: NaiveDate,
}

/// The search index's feed: what changed after a sequence number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchChanges {
    /// Posts that are published now (to add or replace).
    pub published: Vec<IndexedPost>,
    /// Posts changed but not published now (to remove).
    pub removed: Vec<i64>,
    /// The last sequence number covered.
    pub seq: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Complaint {
    pub id: i64,
    pub post_id: i64,
    pub post_title: String,
    pub employer_name: String,
    pub reason: String,
    pub detail: String,
    pub status: String,
    pub created_at: DateTime<Utc>,
    pub handling_note: Option<String>,
}

pub use linkong_core::jobs::COMPLAINT_REASONS;

impl Store {
    fn post_view(&self, row: PostRow) -> Result<JobPost> {
        let phone = self.cipher()?.decrypt(&row.contact_phone_enc)?;
        let corrupt = |what: &str| Error::Config(format!("岗位 {} 的{what}无法识别", row.id));
        let risk = match (row.risk_score, row.risk_level.as_deref(), &row.risk_reasons) {
            (Some(score), Some(level), Some(reasons)) => Some(Screening {
                score: score as u32,
                level: match level {
                    "high" => RiskLevel::High,
                    "medium" => RiskLevel::Medium,
                    _ => RiskLevel::Low,
                },
                reasons: serde_json::from_str::<Vec<Reason>>(reasons)
                    .map_err(|_| corrupt("风险原因"))?,
            }),
            _ => None,
        };
        Ok(JobPost {
            id: row.id,
            employer_id: row.employer_id,
            employer_name: row.employer_name,
            employer_verified: row.employer_status == "verified",
            title: row.title,
            description: row.description,
            occupation_group: OccupationGroup::parse(&row.occupation_group)
                .map_err(|_| corrupt("职业大类"))?,
            occupation_code: row.occupation_code,
            occupation: row.occupation,
            level: JobLevel::parse(&row.level).map_err(|_| corrupt("岗位层次"))?,
            industry_section: row.industry_section,
            industry_code: row.industry_code,
            leading_industry: LeadingIndustry::parse(&row.leading_industry)
                .map_err(|_| corrupt("主导产业"))?,
            emerging: row.emerging,
            emerging_basis: row.emerging_basis,
            emerging_override: row.emerging_override_reason.map(|reason| EmergingOverride {
                reason,
                by: row.emerging_overrider,
                at: row.emerging_overridden_at,
            }),
            positions: row.positions,
            education: Education::parse(&row.education).map_err(|_| corrupt("学历要求"))?,
            experience: Experience::parse(&row.experience).map_err(|_| corrupt("经验要求"))?,
            salary_min: row.salary_min,
            salary_max: row.salary_max,
            street_code: row.street_code,
            contact_name: row.contact_name,
            contact_phone_masked: mask_phone(&phone),
            valid_from: row.valid_from,
            valid_until: row.valid_until,
            raised_by: row.raised_by,
            status: PostStatus::parse(&row.status).map_err(|_| corrupt("状态"))?,
            risk,
            review_note: row.review_note,
            override_reason: row.override_reason,
            created_at: row.created_at,
            submitted_at: row.submitted_at,
            published_at: row.published_at,
        })
    }

    /// Any post by id, whoever asks: callers check what the viewer may see.
    pub async fn job_post(&self, id: i64) -> Result<Option<JobPost>> {
        let row = on_db!(self, pool => sqlx::query_as::<_, PostRow>(sqlx::AssertSqlSafe(format!(
            "{POST_SELECT} WHERE p.id = $1"
        )))
        .bind(id)
        .fetch_optional(pool)
        .await?);
        row.map(|r| self.post_view(r)).transpose()
    }

    /// A post the public may see: published and still valid today.
    pub async fn public_post(&self, id: i64) -> Result<JobPost> {
        let today = local_date(self.now());
        match self.job_post(id).await? {
            Some(post) if post.is_open_on(today) => Ok(post),
            _ => Err(Error::not_found("该岗位不存在或已停止招聘")),
        }
    }

    /// A post with its applications for the console: refused (and audited) beyond what the
    /// actor may read.
    pub async fn job_post_for(&self, actor: &Actor, id: i64, ip: &str) -> Result<JobPost> {
        let post = self
            .job_post(id)
            .await?
            .ok_or_else(|| Error::not_found("该岗位不存在"))?;
        if !actor.may_read_post(post.employer_id, &post.raised_by) {
            let target = format!("job_post:{id}");
            return Err(self
                .deny(actor, target, "只能查看和管理本单位的岗位", ip)
                .await);
        }
        Ok(post)
    }

    pub(crate) async fn post_for_manager(
        &self,
        actor: &Actor,
        id: i64,
        ip: &str,
    ) -> Result<JobPost> {
        let post = self
            .job_post(id)
            .await?
            .ok_or_else(|| Error::not_found(format!("岗位 {id}")))?;
        if !actor.may_manage_post(post.employer_id, &post.raised_by) {
            return Err(self
                .deny(actor, format!("job_post:{id}"), "只能管理本单位的岗位", ip)
                .await);
        }
        Ok(post)
    }

    /// A reviewer publishes or rejects a pending post. A high-risk post is published only with
    /// the reviewer's written reason (audited as an override); the employer must be verified.
    pub async fn review_job_post(
        &self,
        actor: &Actor,
        id: i64,
        review: &PostReview,
        ip: &str,
    ) -> Result<JobPost> {
        if !actor.may_review_posts() {
            return Err(self
                .deny(
                    actor,
                    format!("job_post:{id}"),
                    "只有审核员可以审核岗位",
                    ip,
                )
                .await);
        }
        let post = self
            .job_post(id)
            .await?
            .ok_or_else(|| Error::not_found(format!("岗位 {id}")))?;
        if post.status != PostStatus::Pending {
            return Err(Error::Conflict(format!(
                "岗位“{}”{}，只有待审核的岗位才能审核",
                post.title,
                post.status.label()
            )));
        }
        let (status, note, override_reason, action) = review_outcome(&post, review)?;
        let now = self.now();
        let event = AuditEvent::new(action, format!("job_post:{id}"))
            .by(Some(actor.user_id), &actor.username)
            .detail(match (&note, &override_reason) {
                (Some(n), _) | (None, Some(n)) => format!("{}：{n}", post.title),
                _ => post.title.clone(),
            })
            .from_ip(ip);
        let published = status == PostStatus::Published;
        let _guard = self.write_lock.lock().await;
        let done: Option<i64> = on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let done = tx
                .record_review(&Review {
                    id,
                    status,
                    note: note.as_deref(),
                    override_reason: override_reason.as_deref(),
                    user_id: actor.user_id,
                    now,
                })
                .await?;
            if done.is_some() {
                if published {
                    tx.note_search_change(id).await?;
                    tx.refresh_figures(&DayKey::post(&post.raised_by, now)).await?;
                }
                tx.append_audit(now, &event).await?;
                tx.commit().await?;
            }
            done
        });
        done.ok_or_else(|| Error::Conflict("岗位已被他人审核".into()))?;
        self.job_post(id)
            .await?
            .ok_or_else(|| Error::not_found("刚审核的岗位"))
    }

    /// Closes a published post (filled, withdrawn, or upheld complaint): it leaves the search at once.
    pub async fn close_job_post(
        &self,
        actor: &Actor,
        id: i64,
        reason: &str,
        ip: &str,
    ) -> Result<()> {
        if !actor.may_close_any_post() {
            self.post_for_manager(actor, id, ip).await?;
        }
        let now = self.now();
        let event = AuditEvent::new("job_post.close", format!("job_post:{id}"))
            .by(Some(actor.user_id), &actor.username)
            .detail(reason.trim().to_owned())
            .from_ip(ip);
        let _guard = self.write_lock.lock().await;
        let done: Option<i64> = on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let done: Option<i64> = sqlx::query_scalar(
                "UPDATE job_posts SET status = 'closed', closed_at = $2, updated_at = $2 \
                 WHERE id = $1 AND status = 'published' RETURNING id",
            )
            .bind(id)
            .bind(now)
            .fetch_optional(&mut *tx)
            .await?;
            if done.is_some() {
                tx.note_search_change(id).await?;
                tx.append_audit(now, &event).await?;
                tx.commit().await?;
            }
            done
        });
        done.map(|_| ())
            .ok_or_else(|| Error::Conflict("只有已发布的岗位才能关闭".into()))
    }

    /// Loads published posts in bulk, bypassing review: for demo data and benchmarks only, on a
    /// fresh database. One audit row names how many were loaded. Returns the ids in order.
    pub async fn load_published_posts(
        &self,
        created_by: &Actor,
        posts: &[BulkPost],
    ) -> Result<Vec<i64>> {
        const CHUNK: usize = 500;
        let cipher = self.cipher()?;
        let now = self.now();
        let mut ids = Vec::with_capacity(posts.len());
        let _guard = self.write_lock.lock().await;
        for chunk in posts.chunks(CHUNK) {
            let phones: Vec<Vec<u8>> = chunk
                .iter()
                .map(|p| cipher.encrypt(p.contact_phone.expose()))
                .collect();
            let chunk_ids: Vec<i64> = on_db!(self, pool => {
                let mut tx = pool.begin_write().await?;
                let chunk_ids = tx.insert_published_posts(created_by.user_id, chunk, &phones).await?;
                tx.note_search_changes(&chunk_ids).await?;
                tx.add_figures(&post_figures(chunk, &chunk_ids)).await?;
                tx.commit().await?;
                chunk_ids
            });
            ids.extend(chunk_ids);
        }
        let event = AuditEvent::new("job_post.bulk_load", "job_posts".to_owned())
            .by(Some(created_by.user_id), &created_by.username)
            .detail(format!(
                "批量载入已发布岗位 {} 个（演示或基准测试数据）",
                ids.len()
            ));
        on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            tx.append_audit(now, &event).await?;
            tx.commit().await?;
        });
        Ok(ids)
    }

    /// Lists posts: an employer's own, the units' own, the review queue, or the posts behind a
    /// unit's positions in a year. Scoped to what the actor may read.
    pub async fn job_posts(&self, actor: &Actor, list: PostList<'_>) -> Result<Vec<JobPost>> {
        let rows = match list {
            PostList::Mine => {
                let (employer, unit) = match actor.role {
                    Role::Employer => (actor.employer_id.or(Some(-1)), None),
                    Role::UnitStaff => (None, actor.unit_code.clone()),
                    _ => (None, None),
                };
                on_db!(self, pool => sqlx::query_as::<_, PostRow>(sqlx::AssertSqlSafe(format!(
                    "{POST_SELECT} WHERE ($1 IS NULL OR p.employer_id = $1) AND ($2 IS NULL OR p.raised_by = $2) \
                     ORDER BY p.id DESC LIMIT 500"
                )))
                .bind(employer)
                .bind(unit)
                .fetch_all(pool)
                .await?)
            }
            PostList::Pending => {
                if !actor.may_review_posts() {
                    return Ok(Vec::new());
                }
                on_db!(self, pool => sqlx::query_as::<_, PostRow>(sqlx::AssertSqlSafe(format!(
                    "{POST_SELECT} WHERE p.status = 'pending' ORDER BY p.risk_score DESC, p.submitted_at"
                )))
                .fetch_all(pool)
                .await?)
            }
            PostList::RaisedBy { unit, year } => {
                if !actor.may_read_records_of(unit) {
                    return Ok(Vec::new());
                }
                let (from, to) = year_bounds(year);
                on_db!(self, pool => sqlx::query_as::<_, PostRow>(sqlx::AssertSqlSafe(format!(
                    "{POST_SELECT} WHERE p.raised_by = $1 AND p.published_at >= $2 AND p.published_at < $3 \
                     ORDER BY p.published_at"
                )))
                .bind(unit)
                .bind(from)
                .bind(to)
                .fetch_all(pool)
                .await?)
            }
        };
        rows.into_iter().map(|r| self.post_view(r)).collect()
    }

    /// Posts published by an employer and open today, for events and the employer's public page.
    pub async fn open_posts_of_employer(&self, employer_id: i64) -> Result<Vec<JobPost>> {
        let today = local_date(self.now());
        let rows = on_db!(self, pool => sqlx::query_as::<_, PostRow>(sqlx::AssertSqlSafe(format!(
            "{POST_SELECT} WHERE p.employer_id = $1 AND p.status = 'published' AND p.valid_until >= $2 ORDER BY p.id DESC"
        )))
        .bind(employer_id)
        .bind(today)
        .fetch_all(pool)
        .await?);
        rows.into_iter().map(|r| self.post_view(r)).collect()
    }

    /// The search index's feed after `seq`, at most `limit` changes.
    pub async fn search_changes(&self, seq: i64, limit: i64) -> Result<SearchChanges> {
        let changes: Vec<(i64, i64)> = on_db!(self, pool => sqlx::query_as(
            "SELECT seq, post_id FROM search_changes WHERE seq > $1 ORDER BY seq LIMIT $2",
        )
        .bind(seq)
        .bind(limit)
        .fetch_all(pool)
        .await?);
        let last = changes.last().map_or(seq, |(s, _)| *s);
        let mut ids: Vec<i64> = changes.into_iter().map(|(_, id)| id).collect();
        ids.sort_unstable();
        ids.dedup();
        let published = self.indexed_posts_by_id(&ids).await?;
        let removed = ids
            .into_iter()
            .filter(|id| !published.iter().any(|p| p.id == *id))
            .collect();
        Ok(SearchChanges {
            published,
            removed,
            seq: last,
        })
    }

    /// The latest change sequence number (0 when nothing was ever published).
    pub async fn search_seq(&self) -> Result<i64> {
        Ok(on_db!(self, pool => sqlx::query_scalar::<_, Option<i64>>(
            "SELECT MAX(seq) FROM search_changes"
        )
        .fetch_one(pool)
        .await?)
        .unwrap_or(0))
    }

    /// Published posts with id above `after`, in id order, for a full rebuild of the index.
    pub async fn published_posts_after(&self, after: i64, limit: i64) -> Result<Vec<IndexedPost>> {
        let rows: Vec<IndexedRow> = on_db!(self, pool => sqlx::query_as::<_, IndexedRow>(sqlx::AssertSqlSafe(format!(
            "{INDEXED_SELECT} WHERE p.status = 'published' AND p.id > $1 ORDER BY p.id LIMIT $2"
        )))
        .bind(after)
        .bind(limit)
        .fetch_all(pool)
        .await?);
        Ok(rows.into_iter().map(IndexedRow::into_post).collect())
    }

    async fn indexed_posts_by_id(&self, ids: &[i64]) -> Result<Vec<IndexedPost>> {
        let mut posts = Vec::new();
        for chunk in ids.chunks(500) {
            let rows: Vec<IndexedRow> = on_db!(self, pool => {
                let mut query = sqlx::QueryBuilder::new(format!(
                    "{INDEXED_SELECT} WHERE p.status = 'published' AND p.id IN ("
                ));
                let mut list = query.separated(", ");
                for id in chunk {
                    list.push_bind(*id);
                }
                query.push(")");
                query.build_query_as().fetch_all(pool).await?
            });
            posts.extend(rows.into_iter().map(IndexedRow::into_post));
        }
        Ok(posts)
    }

    /// Anyone may report a post they believe fraudulent (举报); the report queues for reviewers.
    pub async fn report_job_post(
        &self,
        post_id: i64,
        reason: &str,
        detail: &str,
        ip: &str,
    ) -> Result<i64> {
        let post = self.public_post(post_id).await?;
        let (reason, detail) = check_complaint(reason, detail)?;
        let now = self.now();
        let event = AuditEvent::new("job_post.complaint", format!("job_post:{post_id}"))
            .detail(format!("{}：{reason}", post.title))
            .from_ip(ip);
        let _guard = self.write_lock.lock().await;
        Ok(on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO post_complaints (post_id, reason, detail, status, created_at) \
                 VALUES ($1, $2, $3, 'open', $4) RETURNING id",
            )
            .bind(post_id)
            .bind(reason)
            .bind(detail)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            tx.append_audit(now, &event).await?;
            tx.commit().await?;
            id
        }))
    }

    /// The complaint queue for reviewers: open ones first.
    pub async fn complaints(&self, actor: &Actor) -> Result<Vec<Complaint>> {
        if !actor.may_review_posts() {
            return Ok(Vec::new());
        }
        type Row = (
            i64,
            i64,
            String,
            String,
            String,
            String,
            String,
            DateTime<Utc>,
            Option<String>,
        );
        let rows: Vec<Row> = on_db!(self, pool => sqlx::query_as(
            "SELECT c.id, c.post_id, p.title, e.name, c.reason, c.detail, c.status, c.created_at, c.handling_note \
             FROM post_complaints c JOIN job_posts p ON p.id = c.post_id JOIN employers e ON e.id = p.employer_id \
             ORDER BY CASE WHEN c.status = 'open' THEN 0 ELSE 1 END, c.id DESC LIMIT 500",
        )
        .fetch_all(pool)
        .await?);
        Ok(rows
            .into_iter()
            .map(
                |(
                    id,
                    post_id,
                    post_title,
                    employer_name,
                    reason,
                    detail,
                    status,
                    created_at,
                    handling_note,
                )| {
                    Complaint {
                        id,
                        post_id,
                        post_title,
                        employer_name,
                        reason,
                        detail,
                        status,
                        created_at,
                        handling_note,
                    }
                },
            )
            .collect())
    }

    /// A reviewer handles a complaint: upheld closes the post, dismissed keeps it.
    pub async fn handle_complaint(
        &self,
        actor: &Actor,
        id: i64,
        upheld: bool,
        note: &str,
        ip: &str,
    ) -> Result<()> {
        if !actor.may_review_posts() {
            return Err(self
                .deny(
                    actor,
                    format!("complaint:{id}"),
                    "只有审核员可以处理举报",
                    ip,
                )
                .await);
        }
        let note = handling_note(note)?;
        let now = self.now();
        let status = if upheld { "upheld" } else { "dismissed" };
        let event = AuditEvent::new("complaint.handle", format!("complaint:{id}"))
            .by(Some(actor.user_id), &actor.username)
            .detail(format!("{status}：{note}"))
            .from_ip(ip);
        let _guard = self.write_lock.lock().await;
        let post: Option<i64> = on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let post: Option<i64> = sqlx::query_scalar(
                "UPDATE post_complaints SET status = $2, handled_by = $3, handled_at = $4, handling_note = $5 \
                 WHERE id = $1 AND status = 'open' RETURNING post_id",
            )
            .bind(id)
            .bind(status)
            .bind(actor.user_id)
            .bind(now)
            .bind(note)
            .fetch_optional(&mut *tx)
            .await?;
            if let Some(post_id) = post {
                if upheld {
                    let closed = sqlx::query(
                        "UPDATE job_posts SET status = 'closed', closed_at = $2, updated_at = $2 \
                         WHERE id = $1 AND status = 'published'",
                    )
                    .bind(post_id)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                    if closed.rows_affected() > 0 {
                        tx.note_search_change(post_id).await?;
                    }
                }
                tx.append_audit(now, &event).await?;
                tx.commit().await?;
            }
            post
        });
        post.map(|_| ())
            .ok_or_else(|| Error::Conflict("该举报已处理".into()))
    }
}

/// The figures of newly published posts: positions, and emerging positions.
fn post_figures(posts: &[BulkPost], ids: &[i64]) -> Vec<NewFigure> {
    let mut figures = Vec::with_capacity(posts.len() * 2);
    for (bulk, id) in posts.iter().zip(ids) {
        let [positions, emerging] = DayKey::post(&bulk.post.raised_by, bulk.published_at);
        let value = bulk.post.positions * 100;
        figures.push(NewFigure {
            key: positions,
            id: -id,
            value,
        });
        if bulk.post.emerging {
            figures.push(NewFigure {
                key: emerging,
                id: -id,
                value,
            });
        }
    }
    figures
}

/// The instants a local (UTC+8) year starts and the next one starts.
pub(crate) fn year_bounds(year: i32) -> (DateTime<Utc>, DateTime<Utc>) {
    let start = |y: i32| {
        NaiveDate::from_ymd_opt(y, 1, 1)
            .unwrap_or_default()
            .and_hms_opt(0, 0, 0)
            .unwrap_or_default()
            .and_utc()
            - chrono::Duration::hours(8)
    };
    (start(year), start(year + 1))
}

const INDEXED_SELECT: &str = "SELECT p.id, p.title, e.name AS employer, p.description, p.industry_section, \
     p.leading_industry, p.street_code, p.education, p.experience, p.positions, p.emerging, p.salary_min, \
     p.salary_max, p.published_at, p.valid_until FROM job_posts p JOIN employers e ON e.id = p.employer_id";

#[derive(sqlx::FromRow)]
struct IndexedRow {
    id: i64,
    title: String,
    employer: String,
    description: String,
    industry_section: String,
    leading_industry: String,
    street_code: String,
    education: String,
    experience: String,
    positions: i64,
    emerging: bool,
    salary_min: i64,
    salary_max: i64,
    published_at: Option<DateTime<Utc>>,
    valid_until: NaiveDate,
}

impl IndexedRow {
    fn into_post(self) -> IndexedPost {
        IndexedPost {
            id: self.id,
            title: self.title,
            employer: self.employer,
            description: self.description,
            industry: self.industry_section,
            leading: self.leading_industry,
            street: self.street_code,
            education: self.education,
            experience: self.experience,
            positions: self.positions,
            emerging: self.emerging,
            salary_min: self.salary_min,
            salary_max: self.salary_max,
            published_at: self.published_at.unwrap_or_default(),
            valid_until: self.valid_until,
        }
    }
}

/// What a review does to a pending post, as core decides it, and the audited action; a
/// refusal becomes the error naming the field (or the conflict) the reviewer sees.
fn review_outcome(
    post: &JobPost,
    review: &PostReview,
) -> Result<(PostStatus, Option<String>, Option<String>, &'static str)> {
    let high = post
        .risk
        .as_ref()
        .is_some_and(|r| r.level == RiskLevel::High);
    let decided = match review {
        PostReview::Reject { reason } => reject_post(reason),
        PostReview::Publish { override_reason } => {
            publish_post(high, post.employer_verified, override_reason.as_deref())
        }
    };
    let outcome = decided.map_err(|refusal| {
        let message = refusal.message(&post.employer_name);
        match refusal.field() {
            Some(field) => Error::invalid(field, message),
            None => Error::Conflict(message),
        }
    })?;
    let action = match (outcome.status, &outcome.override_reason) {
        (PostStatus::Rejected, _) => "job_post.reject",
        (_, Some(_)) => "job_post.publish_override",
        (_, None) => "job_post.publish",
    };
    Ok((
        outcome.status,
        outcome.note,
        outcome.override_reason,
        action,
    ))
}

/// A review as it is written onto the post.
pub(crate) struct Review<'a> {
    id: i64,
    status: PostStatus,
    note: Option<&'a str>,
    override_reason: Option<&'a str>,
    user_id: i64,
    now: DateTime<Utc>,
}

/// The writes of a post's review and of a bulk load, inside the caller's transaction so that
/// the posts, the search index's change log, the tallies and the audit row commit together.
pub(crate) trait JobWrite {
    /// The post's id if it was still pending (and is now reviewed); `None` if someone else was first.
    async fn record_review(&mut self, review: &Review<'_>) -> Result<Option<i64>>;
    /// Tells the search index to look at the posts again. On PostgreSQL the change log's
    /// sequence numbers are taken under the audit chain's lock, so that they commit in their
    /// order across servers: a follower that has applied sequence n never misses a smaller one
    /// committed after it.
    async fn note_search_changes(&mut self, post_ids: &[i64]) -> Result<()>;
    async fn note_search_change(&mut self, post_id: i64) -> Result<()> {
        self.note_search_changes(&[post_id]).await
    }
    async fn insert_published_posts(
        &mut self,
        created_by: i64,
        chunk: &[BulkPost],
        phones: &[Vec<u8>],
    ) -> Result<Vec<i64>>;
}

macro_rules! impl_job_write {
    ($conn:ty, $lock:literal) => {
        impl JobWrite for $conn {
            async fn record_review(&mut self, r: &Review<'_>) -> Result<Option<i64>> {
                Ok(sqlx::query_scalar(
                    "UPDATE job_posts SET status = $2, review_note = $3, override_reason = $4, reviewed_by = $5, \
                     reviewed_at = $6, updated_at = $6, published_at = CASE WHEN $7 THEN $6 ELSE published_at END \
                     WHERE id = $1 AND status = 'pending' RETURNING id",
                )
                .bind(r.id)
                .bind(r.status.code())
                .bind(r.note)
                .bind(r.override_reason)
                .bind(r.user_id)
                .bind(r.now)
                .bind(r.status == PostStatus::Published)
                .fetch_optional(&mut *self)
                .await?)
            }

            async fn note_search_changes(&mut self, post_ids: &[i64]) -> Result<()> {
                if post_ids.is_empty() {
                    return Ok(());
                }
                sqlx::query($lock).execute(&mut *self).await?;
                let mut changes = sqlx::QueryBuilder::new("INSERT INTO search_changes (post_id) ");
                changes.push_values(post_ids, |mut row, id| {
                    row.push_bind(*id);
                });
                changes.build().execute(&mut *self).await?;
                Ok(())
            }

            async fn insert_published_posts(
                &mut self,
                created_by: i64,
                chunk: &[BulkPost],
                phones: &[Vec<u8>],
            ) -> Result<Vec<i64>> {
                let mut query = sqlx::QueryBuilder::new(
                    "INSERT INTO job_posts (employer_id, title, description, occupation_group, occupation, \
                     industry_section, leading_industry, emerging, positions, education, experience, salary_min, \
                     salary_max, street_code, contact_name, contact_phone_enc, valid_from, valid_until, raised_by, \
                     status, risk_score, risk_level, risk_reasons, created_by, created_at, updated_at, submitted_at, \
                     reviewed_by, reviewed_at, published_at, level, occupation_code, industry_code, emerging_basis) ",
                );
                query.push_values(chunk.iter().zip(phones), |mut row, (bulk, phone)| {
                    let p = &bulk.post;
                    row.push_bind(bulk.employer_id)
                        .push_bind(p.title.clone())
                        .push_bind(p.description.clone())
                        .push_bind(p.occupation_group.code())
                        .push_bind(p.occupation.clone())
                        .push_bind(p.industry_section.letter().to_string())
                        .push_bind(p.leading_industry.code())
                        .push_bind(p.emerging)
                        .push_bind(p.positions)
                        .push_bind(p.education.code())
                        .push_bind(p.experience.code())
                        .push_bind(p.salary_min)
                        .push_bind(p.salary_max)
                        .push_bind(p.street_code.clone())
                        .push_bind(p.contact_name.clone())
                        .push_bind(phone.clone())
                        .push_bind(p.valid_from)
                        .push_bind(p.valid_until)
                        .push_bind(p.raised_by.clone())
                        .push_bind("published")
                        .push_bind(0_i64)
                        .push_bind("low")
                        .push_bind("[]")
                        .push_bind(created_by)
                        .push_bind(bulk.published_at)
                        .push_bind(bulk.published_at)
                        .push_bind(bulk.published_at)
                        .push_bind(created_by)
                        .push_bind(bulk.published_at)
                        .push_bind(bulk.published_at)
                        .push_bind(p.level.code())
                        .push_bind(p.occupation_code.as_ref().map(|c| c.as_str().to_owned()))
                        .push_bind(p.industry_code.as_ref().map(|c| c.as_str().to_owned()))
                        .push_bind(p.emerging_basis.clone());
                });
                query.push(" RETURNING id");
                Ok(query.build_query_scalar().fetch_all(&mut *self).await?)
            }
        }
    };
}

impl_job_write!(SqliteConnection, "SELECT 1");
impl_job_write!(PgConnection, "SELECT pg_advisory_xact_lock(420112)");
