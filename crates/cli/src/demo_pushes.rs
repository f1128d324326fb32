//! Demo job pushes (issue 16): each street's officer pushes the two best open posts to about
//! seven in ten of the street's unplaced graduates of this year from the push list, and the best
//! open post (not a gig) to about half of the street's job-seeking returnees (2.5.4) from theirs,
//! so that the graduates' and residents' pages, the SMS outbox and 区人社局's conversion page
//! have rows. The pushes are dated today (a push is made now); views, applications and hires
//! follow on the portal.

use chrono::Datelike;
use linkong_core::matching::{WEIGHTS_FILE, Weights};
use linkong_core::plan::{Plan, UnitKind};
use linkong_core::pushes::Channel;
use linkong_core::time::local_date;
use linkong_store::Store;
use linkong_store::matching::PushAsk;
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

use crate::demo_returnees::staff_of;

pub async fn fill(store: &Store, plan: &Plan, seed: u64) -> anyhow::Result<usize> {
    let year = local_date(store.now()).year();
    if !plan.years().any(|y| y == year) {
        return Ok(0);
    }
    let weights = Weights::parse(WEIGHTS_FILE).map_err(anyhow::Error::msg)?;
    let mut rng = StdRng::seed_from_u64(seed ^ 0x1616);
    let mut pushed = 0;
    for street in plan.units.iter().filter(|u| u.kind == UnitKind::Street) {
        let officer = staff_of(store, plan, &street.code).await?;
        let ask = PushAsk {
            year,
            street: Some(&street.code),
            n: 2,
        };
        let lines = store
            .push_list(plan, &officer, &ask, &weights, "demo")
            .await?;
        let chosen: Vec<(i64, i64)> = lines
            .iter()
            .filter(|_| rng.random_bool(0.7))
            .flat_map(|line| line.matches.iter().map(|m| (line.graduate_id, m.post_id)))
            .collect();
        if !chosen.is_empty() {
            pushed += store
                .push_referrals(plan, &officer, Channel::PushList, &weights, &chosen, "demo")
                .await?;
        }
        pushed += returnees(store, plan, (&officer, &street.code), &weights, &mut rng).await?;
    }
    Ok(pushed)
}

/// The street's job-seeking returnees, about half of them pushed their best open post.
async fn returnees(
    store: &Store,
    plan: &Plan,
    (officer, street): (&linkong_core::access::Actor, &str),
    weights: &Weights,
    rng: &mut StdRng,
) -> anyhow::Result<usize> {
    let lines = store
        .returnee_push_list(plan, officer, Some(street), 3, weights, "demo")
        .await?;
    let chosen: Vec<(i64, i64)> = lines
        .iter()
        .filter(|_| rng.random_bool(0.5))
        .filter_map(|line| {
            let post = line.matches.iter().find(|m| !m.gig)?;
            Some((line.person_id, post.id))
        })
        .collect();
    if chosen.is_empty() {
        return Ok(0);
    }
    Ok(store
        .push_to_returnees(plan, officer, Channel::PushList, weights, &chosen, "demo")
        .await?)
}
