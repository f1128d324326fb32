//! Person–job matching over the open posts (issue 16; the scoring is core's
//! `core::matching`): a graduate of the roster scored against every published, unexpired post
//! of a verified employer not yet referred to them, best first, with each match's reasons. The
//! graduate is read through [`Store::graduate`], which asks core who may.

use chrono::NaiveDate;
use linkong_core::access::Actor;
use linkong_core::jobs::{Education, OccupationGroup};
use linkong_core::matching::{Opening, Seeker, Weights, rank};
use linkong_core::people::Degree;
use linkong_core::plan::Plan;
use linkong_core::time::local_date;
use serde::Serialize;

use crate::{Error, Result, Store, on_db};

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
struct OpenPost {
    id: i64,
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
    fn opening(&self) -> Result<Opening> {
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

/// The education a graduate holds, as posts ask for it.
fn held(degree: Degree) -> Education {
    match degree {
        Degree::Associate => Education::Associate,
        Degree::Bachelor => Education::Bachelor,
        Degree::Master => Education::Master,
        Degree::Doctor => Education::Doctor,
    }
}

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
        let degree = Degree::parse(&graduate.degree)
            .map_err(|_| Error::Config(format!("毕业生 {graduate_id} 的学历无法识别")))?;
        let seeker = Seeker {
            major: graduate.major.clone(),
            skills: Vec::new(),
            education: held(degree),
            wanted_group: None,
            wanted_salary: None,
            home_street: graduate.street_code.clone(),
            wanted_streets: Vec::new(),
        };
        let referred: Vec<i64> = services.iter().filter_map(|s| s.post_id).collect();
        let today = local_date(self.now());
        let posts: Vec<OpenPost> = self
            .open_posts(today)
            .await?
            .into_iter()
            .filter(|p| !referred.contains(&p.id))
            .collect();
        let openings = posts
            .iter()
            .map(OpenPost::opening)
            .collect::<Result<Vec<_>>>()?;
        let street_name = |code: &str| {
            plan.unit(code)
                .map_or_else(|| code.to_owned(), |u| u.name.clone())
        };
        Ok(rank(&seeker, &openings, weights, today, n, &street_name)
            .into_iter()
            .map(|(i, found)| {
                let post = &posts[i];
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
            .collect())
    }

    /// The published posts still valid on `today`, of verified employers.
    async fn open_posts(&self, today: NaiveDate) -> Result<Vec<OpenPost>> {
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
