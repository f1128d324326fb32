//! Person–job matching over the open posts (issue 16; the scoring is core's
//! `core::matching`): a graduate of the roster scored against every published, unexpired post
//! of a verified employer not yet referred to them, best first, with each match's reasons. The
//! graduate is read through [`Store::graduate`], which asks core who may.

use chrono::NaiveDate;
use linkong_core::access::Actor;
use linkong_core::jobs::{Education, OccupationGroup};
use linkong_core::matching::batch::degree_education;
use linkong_core::matching::{Matcher, Opening, Seeker, Weights};
use linkong_core::people::Degree;
use linkong_core::plan::Plan;
use linkong_core::time::local_date;
use serde::Serialize;

use std::collections::HashMap;

use linkong_core::people::{Placement, ServiceItem};

use crate::audit::{AuditAppend, AuditEvent};
use crate::graduates::{GraduateEntry, GraduateFilter, GraduateWrite, NewService, ServiceEntry};
use crate::{BeginWrite, Error, Result, Store, on_db};

/// A post suggested for a person, with why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PostMatch {
    pub post_id: i64,
    pub title: String,
    pub employer_name: String,
    pub street_code: String,
    pub salary_min: i64,
    pub salary_max: i64,
    pub valid_until: NaiveDate,
    /// The total score, rounded to one decimal.
    pub score: f64,
    /// The best reasons, best first ("专业匹配：会计学 ↔ 会计").
    pub reasons: Vec<String>,
    /// What speaks against it (学历不足, 风险提示).
    pub warnings: Vec<String>,
}

#[derive(sqlx::FromRow)]
pub(crate) struct OpenPost {
    pub(crate) id: i64,
    title: String,
    occupation: String,
    description: String,
    occupation_group: String,
    education: String,
    salary_min: i64,
    salary_max: i64,
    street_code: String,
    published_on: NaiveDate,
    valid_until: NaiveDate,
    risk_level: Option<String>,
    employer_name: String,
}

impl OpenPost {
    pub(crate) fn opening(&self) -> Result<Opening> {
        let unreadable = |what: &str| Error::Config(format!("岗位 {} 的{what}无法识别", self.id));
        Ok(Opening {
            title: self.title.clone(),
            occupation: self.occupation.clone(),
            description: self.description.clone(),
            occupation_group: OccupationGroup::parse(&self.occupation_group)
                .map_err(|_| unreadable("职业大类"))?,
            education: Education::parse(&self.education).map_err(|_| unreadable("学历要求"))?,
            salary_min: self.salary_min,
            salary_max: self.salary_max,
            street_code: self.street_code.clone(),
            published_on: self.published_on,
            employer_verified: true,
            high_risk: self.risk_level.as_deref() == Some("high"),
        })
    }
}

/// A graduate as the matcher sees them: major, degree, household street.
fn seeker_of(graduate: &GraduateEntry) -> Result<Seeker> {
    let degree = Degree::parse(&graduate.degree)
        .map_err(|_| Error::Config(format!("毕业生 {} 的学历无法识别", graduate.id)))?;
    Ok(Seeker {
        major: graduate.major.clone(),
        skills: Vec::new(),
        education: degree_education(degree),
        wanted_group: None,
        wanted_salary: None,
        home_street: graduate.street_code.clone(),
        wanted_streets: Vec::new(),
    })
}

/// The open posts with their openings, read once for a page or a push list; their words are
/// cut and indexed once, at the first suggestion (every suggestion of a list has the same
/// plan, weights and day).
struct OpenPosts {
    posts: Vec<OpenPost>,
    openings: Vec<Opening>,
    matcher: std::sync::OnceLock<Matcher>,
}

impl OpenPosts {
    fn of(posts: Vec<OpenPost>) -> Result<OpenPosts> {
        let openings = posts
            .iter()
            .map(OpenPost::opening)
            .collect::<Result<Vec<_>>>()?;
        Ok(OpenPosts {
            posts,
            openings,
            matcher: std::sync::OnceLock::new(),
        })
    }

    /// The `n` posts that fit `seeker` best, leaving out those in `referred`.
    fn suggest(
        &self,
        plan: &Plan,
        seeker: &Seeker,
        referred: &[i64],
        weights: &Weights,
        today: NaiveDate,
        n: usize,
    ) -> Vec<PostMatch> {
        let matcher = self.matcher.get_or_init(|| {
            let names = plan
                .units
                .iter()
                .map(|u| (u.code.clone(), u.name.clone()))
                .collect();
            Matcher::new(
                self.openings.clone(),
                weights.clone(),
                today,
                names,
                &linkong_search::words,
            )
        });
        let query = matcher.query(seeker, &linkong_search::words);
        let found = matcher.top(&query, n + referred.len());
        found
            .into_iter()
            .filter(|(i, _)| !referred.contains(&self.posts[*i].id))
            .take(n)
            .map(|(i, found)| {
                let post = &self.posts[i];
                PostMatch {
                    post_id: post.id,
                    title: post.title.clone(),
                    employer_name: post.employer_name.clone(),
                    street_code: post.street_code.clone(),
                    salary_min: post.salary_min,
                    salary_max: post.salary_max,
                    valid_until: post.valid_until,
                    score: (found.total * 10.0).round() / 10.0,
                    reasons: found
                        .top_reasons(3)
                        .into_iter()
                        .map(str::to_owned)
                        .collect(),
                    warnings: found.warnings().into_iter().map(str::to_owned).collect(),
                }
            })
            .collect()
    }
}

/// An unplaced graduate on a push list, with the posts to push.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PushLine {
    pub graduate_id: i64,
    pub name: String,
    pub street_code: String,
    pub major: String,
    pub degree: String,
    pub matches: Vec<PostMatch>,
}

/// Which push list: the graduates of `year`, of one street or all the actor reaches, with `n`
/// posts each.
#[derive(Debug, Clone, Copy)]
pub struct PushAsk<'a> {
    pub year: i32,
    pub street: Option<&'a str>,
    pub n: usize,
}

/// The most graduates one push list shows.
const MAX_PUSH_LIST: u32 = 2000;
/// The note of a referral pushed from a push list.
pub const PUSH_NOTE: &str = "人岗匹配推送";

impl Store {
    /// The `n` open posts that best match graduate `graduate_id` (at most the weights' maximum;
    /// more is refused naming 推荐数量), leaving out posts already referred to them. Refused
    /// (and audited) for an actor who may not read the graduate.
    pub async fn graduate_matches(
        &self,
        plan: &Plan,
        actor: &Actor,
        graduate_id: i64,
        weights: &Weights,
        n: usize,
        ip: &str,
    ) -> Result<Vec<PostMatch>> {
        let n = weights.results(n).map_err(|message| Error::Invalid {
            field: "推荐数量",
            message,
        })?;
        let (graduate, services) = self.graduate(plan, actor, graduate_id, ip).await?;
        self.matches_of(plan, &graduate, &services, weights, n)
            .await
    }

    /// The `n` open posts that best match a graduate already read through [`Store::graduate`]
    /// (which asked who may), leaving out the posts their `services` referred.
    pub async fn matches_of(
        &self,
        plan: &Plan,
        graduate: &GraduateEntry,
        services: &[ServiceEntry],
        weights: &Weights,
        n: usize,
    ) -> Result<Vec<PostMatch>> {
        let n = weights.results(n).map_err(|message| Error::Invalid {
            field: "推荐数量",
            message,
        })?;
        let referred: Vec<i64> = services.iter().filter_map(|s| s.post_id).collect();
        let today = local_date(self.now());
        let open = OpenPosts::of(self.open_posts(today).await?)?;
        Ok(open.suggest(plan, &seeker_of(graduate)?, &referred, weights, today, n))
    }

    /// The push list of a street (or, for 区人社局, every street or one): each unplaced
    /// graduate of `year` the actor reaches, with the `n` open posts that fit them best and have
    /// not been referred to them. A street the actor does not reach is refused (and audited).
    pub async fn push_list(
        &self,
        plan: &Plan,
        actor: &Actor,
        asked: &PushAsk<'_>,
        weights: &Weights,
        ip: &str,
    ) -> Result<Vec<PushLine>> {
        let PushAsk { year, street, n } = *asked;
        let n = weights.results(n).map_err(|message| Error::Invalid {
            field: "推荐数量",
            message,
        })?;
        let filter = GraduateFilter {
            year,
            street: street.map(str::to_owned),
            placement: Some(Placement::NotYet),
            ..GraduateFilter::default()
        };
        let (graduates, _) = self
            .graduates(plan, actor, &filter, 1, MAX_PUSH_LIST, ip)
            .await?;
        let referred = self.referred_posts(year).await?;
        let today = local_date(self.now());
        let open = OpenPosts::of(self.open_posts(today).await?)?;
        let mut lines = Vec::with_capacity(graduates.len());
        for graduate in graduates {
            let none = Vec::new();
            let theirs = referred.get(&graduate.id).unwrap_or(&none);
            let matches = open.suggest(plan, &seeker_of(&graduate)?, theirs, weights, today, n);
            lines.push(PushLine {
                graduate_id: graduate.id,
                name: graduate.name,
                street_code: graduate.street_code,
                major: graduate.major,
                degree: graduate.degree,
                matches,
            });
        }
        Ok(lines)
    }

    /// Pushes posts to graduates as job referrals of the 1131 service, all or none, in one
    /// transaction with an audit row each: every graduate must be one the actor serves, every
    /// post open, and no post pushed to the same graduate twice. Returns how many were pushed.
    pub async fn push_referrals(
        &self,
        plan: &Plan,
        actor: &Actor,
        pushes: &[(i64, i64)],
        ip: &str,
    ) -> Result<usize> {
        if pushes.is_empty() {
            return Err(Error::Invalid {
                field: "推送岗位",
                message: "请至少选择一个岗位".into(),
            });
        }
        let today = local_date(self.now());
        let mut rows = Vec::with_capacity(pushes.len());
        for &(graduate_id, post_id) in pushes {
            let (entry, services) = self.graduate(plan, actor, graduate_id, ip).await?;
            let target = format!("graduate:{graduate_id}");
            let unit = self
                .check_serves(plan, actor, &entry.street_code, target, ip)
                .await?;
            self.check_pushable(post_id, today).await?;
            let twice = services.iter().any(|s| s.post_id == Some(post_id))
                || rows
                    .iter()
                    .any(|(g, p, _)| (*g, *p) == (graduate_id, post_id));
            if twice {
                return Err(Error::Invalid {
                    field: "推送岗位",
                    message: format!("岗位 #{post_id} 已推荐给{}，不重复推送", entry.name),
                });
            }
            rows.push((graduate_id, post_id, unit));
        }
        let now = self.now();
        let _guard = self.write_lock.lock().await;
        on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            for (graduate_id, post_id, unit) in &rows {
                tx.insert_service(&NewService {
                    graduate_id: *graduate_id,
                    item: ServiceItem::Referral,
                    post_id: Some(*post_id),
                    done_on: today,
                    unit,
                    user_id: actor.user_id,
                    note: PUSH_NOTE,
                    now,
                })
                .await?;
                let event = AuditEvent::new("graduate.push", format!("graduate:{graduate_id}"))
                    .by(Some(actor.user_id), &actor.username)
                    .detail(format!("job_post:{post_id}"))
                    .from_ip(ip);
                tx.append_audit(now, &event).await?;
            }
            tx.commit().await?;
        });
        Ok(rows.len())
    }

    /// Refuses a post that is not published and valid on `today` (closed, expired, unknown).
    async fn check_pushable(&self, post_id: i64, today: NaiveDate) -> Result<()> {
        let found: Option<(String, NaiveDate)> = on_db!(self, pool => sqlx::query_as(
            "SELECT status, valid_until FROM job_posts WHERE id = $1",
        )
        .bind(post_id)
        .fetch_optional(pool)
        .await?);
        let message = match found {
            None => format!("岗位 #{post_id} 不存在"),
            Some((status, _)) if status != "published" => {
                format!("岗位 #{post_id} 未发布或已关闭，不能推送")
            }
            Some((_, until)) if until < today => format!("岗位 #{post_id} 已过有效期，不能推送"),
            Some(_) => return Ok(()),
        };
        Err(Error::Invalid {
            field: "推送岗位",
            message,
        })
    }

    /// The posts referred to each graduate of `year`.
    pub(crate) async fn referred_posts(&self, year: i32) -> Result<HashMap<i64, Vec<i64>>> {
        let rows: Vec<(i64, i64)> = on_db!(self, pool => sqlx::query_as(
            "SELECT s.graduate_id, s.post_id FROM graduate_services s \
             JOIN graduates g ON g.id = s.graduate_id \
             WHERE g.year = $1 AND s.post_id IS NOT NULL",
        )
        .bind(i64::from(year))
        .fetch_all(pool)
        .await?);
        let mut referred: HashMap<i64, Vec<i64>> = HashMap::new();
        for (graduate, post) in rows {
            referred.entry(graduate).or_default().push(post);
        }
        Ok(referred)
    }

    /// The published posts still valid on `today`, of verified employers.
    pub(crate) async fn open_posts(&self, today: NaiveDate) -> Result<Vec<OpenPost>> {
        Ok(on_db!(self, pool => sqlx::query_as(
            "SELECT p.id, p.title, p.occupation, p.description, p.occupation_group, p.education, \
             p.salary_min, p.salary_max, p.street_code, p.valid_from AS published_on, \
             p.valid_until, p.risk_level, e.name AS employer_name FROM job_posts p \
             JOIN employers e ON e.id = p.employer_id \
             WHERE p.status = 'published' AND p.valid_until >= $1 AND e.status = 'verified' \
             ORDER BY p.id",
        )
        .bind(today)
        .fetch_all(pool)
        .await?))
    }
}
