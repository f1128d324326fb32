//! Person–job matching over the open posts (issue 16; the scoring is core's
//! `core::matching`): a graduate of the roster scored against every published, unexpired post
//! of a verified employer not yet referred to them, best first, with each match's reasons. The
//! graduate is read through [`Store::graduate`], which asks core who may.

use chrono::NaiveDate;
use linkong_core::access::Actor;
use linkong_core::jobs::{Education, JobLevel, OccupationGroup};
use linkong_core::matching::batch::degree_education;
use linkong_core::matching::{Match, Matcher, Opening, Seeker, StreetNames, Weights};
use linkong_core::occupations::Classification;
use linkong_core::people::Degree;
use linkong_core::plan::Plan;
use linkong_core::time::local_date;
use serde::Serialize;

use std::collections::HashMap;

use linkong_core::fraud::RiskLevel;
use linkong_core::people::Placement;

use crate::graduates::{GraduateEntry, GraduateFilter, ServiceEntry};
use crate::jobs::JobPost;
use crate::{Error, Result, Store, on_db};

mod live;

pub(crate) use live::{OpenCache, Scoring};

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
    pub(crate) title: String,
    occupation: String,
    description: String,
    occupation_group: String,
    occupation_code: Option<String>,
    level: String,
    education: String,
    pub(crate) salary_min: i64,
    pub(crate) salary_max: i64,
    pub(crate) street_code: String,
    published_on: NaiveDate,
    valid_until: NaiveDate,
    risk_level: Option<String>,
    pub(crate) employer_name: String,
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
            occupation_code: self
                .occupation_code
                .as_deref()
                .and_then(|c| Classification::shipped().code(c).ok()),
            level: JobLevel::parse(&self.level).map_err(|_| unreadable("岗位层次"))?,
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

/// A post of the registry as the matcher sees it.
pub(crate) fn opening_of(post: &JobPost) -> Opening {
    Opening {
        title: post.title.clone(),
        occupation: post.occupation.clone(),
        description: post.description.clone(),
        occupation_group: post.occupation_group,
        occupation_code: post
            .occupation_code
            .as_deref()
            .and_then(|c| Classification::shipped().code(c).ok()),
        level: post.level,
        education: post.education,
        salary_min: post.salary_min,
        salary_max: post.salary_max,
        street_code: post.street_code.clone(),
        published_on: post.valid_from,
        employer_verified: post.employer_verified,
        high_risk: post
            .risk
            .as_ref()
            .is_some_and(|r| r.level == RiskLevel::High),
    }
}

/// The streets' names by unit code, for the reasons.
pub(crate) fn street_names(plan: &Plan) -> StreetNames {
    plan.units
        .iter()
        .map(|u| (u.code.clone(), u.name.clone()))
        .collect()
}

/// A matcher over `openings`, their words cut with the search crate's tokenizer.
pub(crate) fn matcher_over(
    openings: Vec<Opening>,
    plan: &Plan,
    weights: &Weights,
    today: NaiveDate,
) -> Matcher {
    index_openings(openings, street_names(plan), weights, today)
}

/// [`matcher_over`] with the streets' names already read from the plan.
pub(crate) fn index_openings(
    openings: Vec<Opening>,
    streets: StreetNames,
    weights: &Weights,
    today: NaiveDate,
) -> Matcher {
    Matcher::new(
        openings,
        weights.clone(),
        today,
        streets,
        &linkong_search::words,
    )
}

/// `seeker` scored against post `post` of `matcher`, their words cut as the posts' were.
pub(crate) fn score_one(matcher: &Matcher, seeker: &Seeker, post: usize) -> Match {
    let query = matcher.query(seeker, &linkong_search::words);
    matcher.score(&query, post)
}

/// A graduate as the matcher sees them: major, degree, household street.
pub(crate) fn seeker_of(graduate: &GraduateEntry) -> Result<Seeker> {
    let degree = Degree::parse(&graduate.degree)
        .map_err(|_| Error::Config(format!("毕业生 {} 的学历无法识别", graduate.id)))?;
    Ok(Seeker {
        major: graduate.major.clone(),
        skills: Vec::new(),
        education: degree_education(degree),
        wanted_group: None,
        wanted_occupation: None,
        wanted_level: None,
        wanted_salary: None,
        home_street: graduate.street_code.clone(),
        wanted_streets: Vec::new(),
    })
}

/// The open posts with the matcher over them (kept between requests: see [`live`]).
pub(crate) struct OpenPosts {
    posts: Vec<OpenPost>,
    matcher: Matcher,
}

impl OpenPosts {
    /// `posts` with the matcher `index` builds over their openings (in the same order).
    fn of(posts: Vec<OpenPost>, index: impl FnOnce(Vec<Opening>) -> Matcher) -> Result<OpenPosts> {
        let openings = posts
            .iter()
            .map(OpenPost::opening)
            .collect::<Result<Vec<_>>>()?;
        Ok(OpenPosts {
            posts,
            matcher: index(openings),
        })
    }

    /// The `n` posts that fit `seeker` best, leaving out those in `referred`.
    fn suggest(&self, seeker: &Seeker, referred: &[i64], n: usize) -> Vec<PostMatch> {
        let matcher = &self.matcher;
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
        self.suggest_open(plan, &seeker_of(graduate)?, &referred, weights, n)
            .await
    }

    /// The `n` open posts that best fit `seeker`, leaving out the posts in `left_out`: read and
    /// scored now, so a new or closed post shows at once.
    pub(crate) async fn suggest_open(
        &self,
        plan: &Plan,
        seeker: &Seeker,
        left_out: &[i64],
        weights: &Weights,
        n: usize,
    ) -> Result<Vec<PostMatch>> {
        let today = local_date(self.now());
        let open = self.live_open(plan, weights, today).await?;
        Ok(open.suggest(seeker, left_out, n))
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
        let open = self.live_open(plan, weights, today).await?;
        let mut lines = Vec::with_capacity(graduates.len());
        for graduate in graduates {
            let none = Vec::new();
            let theirs = referred.get(&graduate.id).unwrap_or(&none);
            let matches = open.suggest(&seeker_of(&graduate)?, theirs, n);
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

    /// A matcher over the open posts on `today` with `post` among them (added at the end when
    /// it is not open, as a pending post its employer looks at), and `post`'s place in it: one
    /// post is scored with the same words' weights (BM25 idf) as the lists.
    pub(crate) async fn matcher_with(
        &self,
        plan: &Plan,
        weights: &Weights,
        today: NaiveDate,
        post: &JobPost,
    ) -> Result<(Scoring, usize)> {
        let open = self.live_open(plan, weights, today).await?;
        if let Some(at) = open.posts.iter().position(|p| p.id == post.id) {
            return Ok((Scoring::Kept(open), at));
        }
        let mut openings = open.matcher.posts().to_vec();
        openings.push(opening_of(post));
        let at = openings.len() - 1;
        let matcher = matcher_over(openings, plan, weights, today);
        Ok((Scoring::Own(Box::new(matcher)), at))
    }

    /// The published posts still valid on `today`, of verified employers.
    pub(crate) async fn open_posts(&self, today: NaiveDate) -> Result<Vec<OpenPost>> {
        Ok(on_db!(self, pool => sqlx::query_as(
            "SELECT p.id, p.title, p.occupation, p.description, p.occupation_group, p.occupation_code, p.level, p.education, \
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
