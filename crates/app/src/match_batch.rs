//! The matching batch (issue 16 items 4 and 6): every unplaced graduate of the year and every
//! returnee seeking a job, of the district or one street, with their best N open posts, kept in
//! the database for the push lists. `linkong match run` and the server's nightly job both run
//! [`run`]; `linkong bench match` times [`best_for_all`] against [`ranked_for_all`].
//!
//! The posts' words are cut and each seeker is scored on every core (rayon's pool, one thread
//! per core) with core's [`Matcher::top`]: the same scores and order as scoring every post.

use std::collections::HashMap;
use std::time::Instant;

use chrono::{DateTime, Datelike, Utc};
use linkong_core::matching::batch::SeekerKind;
use linkong_core::matching::{Match, Matcher, Opening, PostWords, Seeker, StreetNames, Weights};
use linkong_core::plan::{Plan, UnitKind};
use linkong_core::time::local_date;
use linkong_store::match_runs::{BatchSeeker, NewMatchResult, NewMatchRun};
use linkong_store::{Error, Store};
use rayon::prelude::*;

/// The reasons kept per suggestion, as the push list shows them.
const REASONS: usize = 3;

/// What a run did.
#[derive(Debug, Clone, PartialEq)]
pub struct BatchSummary {
    pub run_id: i64,
    pub run_at: DateTime<Utc>,
    pub street: Option<String>,
    pub top_n: usize,
    pub graduates: usize,
    pub returnees: usize,
    pub posts: usize,
    pub results: usize,
    pub seconds: f64,
}

/// The words of every post, cut on every core with the search index's cutter.
pub fn cut_words(posts: &[Opening]) -> Vec<PostWords> {
    posts
        .par_iter()
        .map(|post| PostWords::of(post, &linkong_search::words))
        .collect()
}

/// One suggested post of a list, with what the push list shows of its match.
#[derive(Debug, Clone, PartialEq)]
pub struct Suggestion {
    /// The post's place among the matcher's posts.
    pub post: usize,
    pub total: f64,
    /// The best reasons, best first (at most three).
    pub reasons: Vec<String>,
    pub warnings: Vec<String>,
}

impl Suggestion {
    fn of(post: usize, found: &Match) -> Suggestion {
        let owned = |texts: Vec<&str>| texts.into_iter().map(str::to_owned).collect();
        Suggestion {
            post,
            total: found.total,
            reasons: owned(found.top_reasons(REASONS)),
            warnings: owned(found.warnings()),
        }
    }
}

/// Each seeker's best `n` posts on every core: with `prefilter`, scoring only the posts that
/// can reach the list ([`Matcher::top`]); without, every post ([`Matcher::rank`], the brute
/// force the batch is measured against). Both give the same lists.
pub fn best_for_all(
    matcher: &Matcher,
    seekers: &[Seeker],
    n: usize,
    prefilter: bool,
) -> Vec<Vec<Suggestion>> {
    seekers
        .par_iter()
        .map(|seeker| {
            let query = matcher.query(seeker, &linkong_search::words);
            let found = if prefilter {
                matcher.top(&query, n)
            } else {
                matcher.rank(&query, n)
            };
            found
                .iter()
                .map(|(post, m)| Suggestion::of(*post, m))
                .collect()
        })
        .collect()
}

/// How many threads score at once (one per core).
pub fn threads() -> usize {
    rayon::current_num_threads()
}

/// The names of the plan's units by code, for the reasons.
pub fn street_names(plan: &Plan) -> StreetNames {
    plan.units
        .iter()
        .map(|u| (u.code.clone(), u.name.clone()))
        .collect()
}

/// Refuses a street that is not one of the plan's (naming 街道) and a list longer than the
/// weights allow (naming 推荐数量).
pub fn check_ask(
    plan: &Plan,
    weights: &Weights,
    street: Option<&str>,
    n: usize,
) -> Result<usize, Error> {
    if let Some(code) = street
        && !plan.unit(code).is_some_and(|u| u.kind == UnitKind::Street)
    {
        return Err(Error::Invalid {
            field: "街道",
            message: format!("没有代码为“{code}”的街道"),
        });
    }
    weights.results(n).map_err(|message| Error::Invalid {
        field: "推荐数量",
        message,
    })
}

/// Runs the batch for `street` (None: the district) with `n` posts per person and keeps the
/// results, replacing the street's (or the district's) previous ones.
pub async fn run(
    store: &Store,
    plan: &Plan,
    weights: &Weights,
    street: Option<&str>,
    n: usize,
    started_by: &str,
) -> Result<BatchSummary, Error> {
    let n = check_ask(plan, weights, street, n)?;
    let started = Instant::now();
    let today = local_date(store.now());
    let seekers = store.batch_seekers(today.year(), street).await?;
    let (ids, openings): (Vec<i64>, Vec<Opening>) =
        store.open_openings(today).await?.into_iter().unzip();
    let posts = openings.len();
    let (weights_owned, names) = (weights.clone(), street_names(plan));
    let (seekers, results) = tokio::task::spawn_blocking(move || {
        let words = cut_words(&openings);
        let matcher = Matcher::with_words(openings, &words, weights_owned, today, names);
        let results = score_all(&matcher, &ids, &seekers, n);
        (seekers, results)
    })
    .await
    .map_err(|e| Error::Config(format!("匹配批量运行中断：{e}")))?;
    let count = |kind: SeekerKind| seekers.iter().filter(|s| s.kind == kind).count();
    let millis = started.elapsed().as_millis() as u64;
    let run = NewMatchRun {
        street,
        top_n: n,
        persons: seekers.len(),
        posts,
        millis,
        started_by,
    };
    let run_id = store.save_match_run(&run, &results).await?;
    Ok(BatchSummary {
        run_id,
        run_at: store.now(),
        street: street.map(str::to_owned),
        top_n: n,
        graduates: count(SeekerKind::Graduate),
        returnees: count(SeekerKind::Returnee),
        posts,
        results: results.len(),
        seconds: started.elapsed().as_secs_f64(),
    })
}

/// Every seeker's best `n`, leaving out the posts already referred to them, as rows to keep.
fn score_all(
    matcher: &Matcher,
    ids: &[i64],
    seekers: &[BatchSeeker],
    n: usize,
) -> Vec<NewMatchResult> {
    let place: HashMap<i64, usize> = ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
    seekers
        .par_iter()
        .flat_map_iter(|person| {
            let query = matcher.query(&person.seeker, &linkong_search::words);
            let left_out: Vec<usize> = person
                .left_out
                .iter()
                .filter_map(|id| place.get(id).copied())
                .collect();
            let found = matcher.top(&query, n + left_out.len());
            found
                .into_iter()
                .filter(|(post, _)| !left_out.contains(post))
                .take(n)
                .enumerate()
                .map(|(rank, (post, found))| {
                    let found = Suggestion::of(post, &found);
                    NewMatchResult {
                        kind: person.kind,
                        person_ref: person.person_ref,
                        street_code: person.street_code.clone(),
                        rank: rank as i64 + 1,
                        post_id: ids[post],
                        score: found.total,
                        reasons: found.reasons,
                        warnings: found.warnings,
                    }
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

/// How often the server asks whether the nightly batch is due.
const NIGHTLY_CHECK: std::time::Duration = std::time::Duration::from_secs(60);
/// The length of the nightly lists.
pub const NIGHTLY_N: usize = 10;

/// Runs the district's batch once a day at `hour` o'clock (Wuhan time, the store's clock) for
/// as long as the runtime runs; whether it is due is core's [`is_due`], asked every minute
/// against the last recorded run, so a restart neither skips nor repeats a night. With several
/// servers on one database, the one that takes the job's lock runs it (see
/// [`Store::try_exclusive`]); a server that dies mid-run leaves no run recorded and releases
/// the lock, so another runs the night at its next check.
///
/// [`is_due`]: linkong_core::matching::nightly::is_due
pub fn follow_nightly(store: Store, plan: Plan, weights: Weights, hour: u32) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(NIGHTLY_CHECK);
        loop {
            tick.tick().await;
            nightly_once(&store, &plan, &weights, hour).await;
        }
    });
}

/// The job's name for its lock across servers.
pub const NIGHTLY_JOB: &str = "nightly-match";

/// Runs the nightly batch if it is due and no other server is running it.
pub async fn nightly_once(store: &Store, plan: &Plan, weights: &Weights, hour: u32) {
    use linkong_core::matching::nightly::is_due;
    let due = || async {
        match store.last_match_run().await {
            Ok(last) => is_due(store.now(), hour, last.map(|run| run.run_at)),
            Err(e) => {
                tracing::warn!(error = %e, "cannot read the last matching run");
                false
            }
        }
    };
    if !due().await {
        return;
    }
    let _held = match store.try_exclusive(NIGHTLY_JOB).await {
        Ok(Some(held)) => held,
        Ok(None) => return,
        Err(e) => {
            tracing::warn!(error = %e, "cannot take the nightly matching lock");
            return;
        }
    };
    // Another server may have run the night while this one asked for the lock.
    if !due().await {
        return;
    }
    match run(store, plan, weights, None, NIGHTLY_N, "nightly").await {
        Ok(done) => tracing::info!(
            run = done.run_id,
            persons = done.graduates + done.returnees,
            posts = done.posts,
            seconds = done.seconds,
            "nightly matching batch done"
        ),
        Err(e) => tracing::warn!(error = %e, "nightly matching batch failed"),
    }
}
