//! Jobs near home for a returnee (plan 2.5.4 "结合返区人员技能水平、求职需求，主动推送岗位信息"):
//! the open posts and the open gigs of the gig stations, scored by core's matcher against the
//! returnee's registry record — their skills and trade, schooling and household street — best
//! first, each with its reasons. The record is read by the caller through a call that checked
//! the actor's reach.

use linkong_core::gigs::PayBasis;
use linkong_core::jobs::{Education, JobLevel, OccupationGroup};
use linkong_core::matching::{Match, Matcher, Opening, Seeker, Weights};
use linkong_core::people::Schooling;
use linkong_core::plan::Plan;
use linkong_core::time::local_date;
use serde::Serialize;

use crate::gigs::GigPost;
use crate::jobs::JobPost;
use crate::matching::{matcher_over, opening_of};
use crate::people::MigrantEntry;
use crate::{Error, Result, Store};

/// How many matches a returnee's page shows.
pub const RETURNEE_MATCHES: usize = 8;

/// A post or a gig suggested for a returnee, with why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReturneeMatch {
    /// A gig (零工) rather than a job post.
    pub gig: bool,
    /// The post's or the gig's id.
    pub id: i64,
    pub title: String,
    /// The employer, or the street whose gig station posted the gig (its code).
    pub offered_by: String,
    pub street_code: String,
    /// "4500–6000 元/月" or "180 元/天".
    pub pay: String,
    pub score: f64,
    pub reasons: Vec<String>,
    pub warnings: Vec<String>,
}

/// The education a schooling counts as, as posts ask for it.
fn education_of(schooling: Option<&str>) -> Education {
    match schooling.and_then(|s| Schooling::parse(s).ok()) {
        Some(Schooling::Senior) => Education::HighSchool,
        Some(Schooling::Associate) => Education::Associate,
        Some(Schooling::Bachelor) => Education::Bachelor,
        Some(Schooling::Master) => Education::Master,
        Some(Schooling::Doctor) => Education::Doctor,
        Some(Schooling::Primary | Schooling::Junior) | None => Education::Any,
    }
}

/// A returnee as the matcher sees them: their skills and trade as skill words, their schooling,
/// their household street.
pub(crate) fn seeker_of_returnee(entry: &MigrantEntry) -> Seeker {
    let mut skills: Vec<String> = entry
        .skills
        .split([',', '，', '、', ';', '；', '/', ' '])
        .map(str::trim)
        .filter(|s| s.chars().count() >= 2)
        .map(str::to_owned)
        .collect();
    let trade = entry.occupation.trim();
    if trade.chars().count() >= 2 && !skills.iter().any(|s| s == trade) {
        skills.push(trade.to_owned());
    }
    Seeker {
        major: String::new(),
        skills,
        education: education_of(entry.schooling.as_deref()),
        wanted_group: None,
        wanted_occupation: None,
        wanted_level: None,
        wanted_salary: None,
        home_street: entry.street_code.clone(),
        wanted_streets: Vec::new(),
    }
}

/// A gig as the matcher sees it: a worker's job of no education asked, posted by staff; a day
/// rate counts as 22 working days a month.
fn gig_opening(gig: &GigPost) -> Opening {
    let monthly = match gig.pay_basis {
        PayBasis::Daily => gig.rate_fen * 22 / 100,
        PayBasis::Piece => 0,
    };
    Opening {
        title: gig.title.clone(),
        occupation: "零工".into(),
        description: gig.note.clone(),
        occupation_group: OccupationGroup::Other,
        occupation_code: None,
        level: JobLevel::Worker,
        education: Education::Any,
        salary_min: monthly,
        salary_max: monthly,
        street_code: gig.work_street.clone(),
        published_on: local_date(gig.created_at),
        employer_verified: true,
        high_risk: false,
    }
}

/// The open posts and gigs a returnee may be matched with, under one matcher built once: each
/// opening's line (id, title, pay) at the matcher's index, its score and reasons not yet filled.
pub(crate) struct ReturneeOpenings {
    lines: Vec<ReturneeMatch>,
    matcher: Matcher,
}

impl ReturneeOpenings {
    /// The best `n` openings for a returnee, leaving out the posts in `pushed` (gigs stay).
    pub(crate) fn suggest(
        &self,
        entry: &MigrantEntry,
        pushed: &[i64],
        n: usize,
    ) -> Vec<ReturneeMatch> {
        let seeker = seeker_of_returnee(entry);
        let query = self.matcher.query(&seeker, &linkong_search::words);
        self.matcher
            .top(&query, n + pushed.len())
            .into_iter()
            .filter(|(i, _)| self.lines[*i].gig || !pushed.contains(&self.lines[*i].id))
            .take(n)
            .map(|(i, found)| self.scored(i, &found))
            .collect()
    }

    /// Post `post_id` scored for a returnee, as their page shows it; `None` when it is not one
    /// of the openings.
    pub(crate) fn post_for(&self, entry: &MigrantEntry, post_id: i64) -> Option<ReturneeMatch> {
        let at = self.lines.iter().position(|l| !l.gig && l.id == post_id)?;
        let seeker = seeker_of_returnee(entry);
        let query = self.matcher.query(&seeker, &linkong_search::words);
        Some(self.scored(at, &self.matcher.score(&query, at)))
    }

    fn scored(&self, at: usize, found: &Match) -> ReturneeMatch {
        let mut line = self.lines[at].clone();
        line.score = (found.total * 10.0).round() / 10.0;
        line.reasons = found
            .top_reasons(3)
            .into_iter()
            .map(str::to_owned)
            .collect();
        line.warnings = found.warnings().into_iter().map(str::to_owned).collect();
        line
    }
}

impl Store {
    /// The best `n` open posts and gigs for a returnee whose record the caller has read,
    /// leaving out the posts already pushed to them.
    pub(crate) async fn returnee_matches(
        &self,
        plan: &Plan,
        entry: &MigrantEntry,
        weights: &Weights,
        (pushed, n): (&[i64], usize),
    ) -> Result<Vec<ReturneeMatch>> {
        let n = results(weights, n)?;
        let openings = self.returnee_openings(plan, weights, &[]).await?;
        Ok(openings.suggest(entry, pushed, n))
    }

    /// The open posts and gigs today, with `also` (posts that may be pushed but are not among
    /// the open posts, as of an employer no longer verified) added: one matcher over them all.
    pub(crate) async fn returnee_openings(
        &self,
        plan: &Plan,
        weights: &Weights,
        also: &[&JobPost],
    ) -> Result<ReturneeOpenings> {
        let today = local_date(self.now());
        let posts = self.open_posts(today).await?;
        let gigs = self.open_gigs(None).await?;
        let open = posts.iter().map(|p| {
            let pay = post_pay(p.salary_min, p.salary_max);
            let line = post_line(p.id, &p.title, &p.employer_name, &p.street_code, pay);
            Ok((p.opening()?, line))
        });
        let extra = also.iter().filter(|a| posts.iter().all(|p| p.id != a.id));
        let extra = extra.map(|p| {
            let pay = post_pay(p.salary_min, p.salary_max);
            let line = post_line(p.id, &p.title, &p.employer_name, &p.street_code, pay);
            Ok((opening_of(p), line))
        });
        let gigs = gigs.iter().map(|g| {
            let mut line = post_line(g.id, &g.title, &g.station, &g.work_street, g.rate.clone());
            line.gig = true;
            Ok((gig_opening(g), line))
        });
        let (openings, lines): (Vec<Opening>, Vec<ReturneeMatch>) = open
            .chain(extra)
            .chain(gigs)
            .collect::<Result<Vec<_>>>()?
            .into_iter()
            .unzip();
        let matcher = matcher_over(openings, plan, weights, today);
        Ok(ReturneeOpenings { lines, matcher })
    }
}

/// `n` if the weights allow that many results; refused naming 推荐数量 otherwise.
pub(crate) fn results(weights: &Weights, n: usize) -> Result<usize> {
    weights.results(n).map_err(|message| Error::Invalid {
        field: "推荐数量",
        message,
    })
}

fn post_pay(min: i64, max: i64) -> String {
    format!("{min}–{max} 元/月")
}

fn post_line(id: i64, title: &str, by: &str, street: &str, pay: String) -> ReturneeMatch {
    ReturneeMatch {
        gig: false,
        id,
        title: title.to_owned(),
        offered_by: by.to_owned(),
        street_code: street.to_owned(),
        pay,
        score: 0.0,
        reasons: Vec::new(),
        warnings: Vec::new(),
    }
}
