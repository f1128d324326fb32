//! Jobs near home for a returnee (plan 2.5.4 "结合返区人员技能水平、求职需求，主动推送岗位信息"):
//! the open posts and the open gigs of the gig stations, scored by core's matcher against the
//! returnee's registry record — their skills and trade, schooling and household street — best
//! first, each with its reasons. The record is read by the caller through a call that checked
//! the actor's reach.

use linkong_core::gigs::PayBasis;
use linkong_core::jobs::{Education, JobLevel, OccupationGroup};
use linkong_core::matching::{Opening, Seeker, Weights};
use linkong_core::people::Schooling;
use linkong_core::plan::Plan;
use linkong_core::time::local_date;
use serde::Serialize;

use crate::gigs::GigPost;
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

impl Store {
    /// The best `n` open posts and gigs for a returnee whose record the caller has read.
    pub(crate) async fn returnee_matches(
        &self,
        plan: &Plan,
        entry: &MigrantEntry,
        weights: &Weights,
        n: usize,
    ) -> Result<Vec<ReturneeMatch>> {
        let n = weights.results(n).map_err(|message| Error::Invalid {
            field: "推荐数量",
            message,
        })?;
        let today = local_date(self.now());
        let posts = self.open_posts(today).await?;
        let gigs = self.open_gigs(None).await?;
        let mut openings = posts
            .iter()
            .map(|p| p.opening())
            .collect::<Result<Vec<_>>>()?;
        openings.extend(gigs.iter().map(gig_opening));
        let matcher = crate::matching::matcher_over(openings, plan, weights, today);
        let seeker = seeker_of_returnee(entry);
        let query = matcher.query(&seeker, &linkong_search::words);
        let found = matcher.top(&query, n);
        Ok(found
            .into_iter()
            .map(|(i, found)| {
                let mut line = match posts.get(i) {
                    Some(post) => post_line(
                        post.id,
                        &post.title,
                        &post.employer_name,
                        &post.street_code,
                        post_pay(post.salary_min, post.salary_max),
                    ),
                    None => {
                        let gig = &gigs[i - posts.len()];
                        let mut line = post_line(
                            gig.id,
                            &gig.title,
                            &gig.station,
                            &gig.work_street,
                            gig.rate.clone(),
                        );
                        line.gig = true;
                        line
                    }
                };
                line.score = (found.total * 10.0).round() / 10.0;
                line.reasons = found
                    .top_reasons(3)
                    .into_iter()
                    .map(str::to_owned)
                    .collect();
                line.warnings = found.warnings().into_iter().map(str::to_owned).collect();
                line
            })
            .collect())
    }
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
