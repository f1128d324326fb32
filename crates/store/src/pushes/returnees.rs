//! Pushes to returnees (plan 2.5.4 "结合返区人员技能水平、求职需求，主动推送岗位信息"; issue 16): a
//! street officer pushes open posts to the residents of the out-migrant registry they serve —
//! from a returnee's page, or from the street's list of those who want to come back to work
//! (返区意向 返区就业) — each with the reasons the returnee's page shows. Gigs (零工) are shown
//! beside the posts but are not job posts and are not pushed.
//!
//! Who may push is the graduates' rule (the resident's street, or 区人社局); an SMS goes only
//! to a returnee who agreed to be contacted (同意联系) and whose phone is known.

use std::collections::HashMap;

use chrono::NaiveDate;
use linkong_core::access::{Actor, Roster};
use linkong_core::matching::Weights;
use linkong_core::people::Intention;
use linkong_core::plan::Plan;
use linkong_core::pushes::Channel;
use linkong_core::time::local_date;
use serde::Serialize;

use super::{NewPush, RETURNEE, ReadyPush, check_batch, invalid};
use crate::jobs::JobPost;
use crate::people::{MigrantEntry, MigrantFilter};
use crate::returnee_matches::{ReturneeMatch, ReturneeOpenings, results};
use crate::{Result, Store, on_db};

/// A returnee who wants to come back to work, on a push list, with the posts and gigs that
/// fit them best (posts already pushed to them left out).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReturneeLine {
    pub person_id: i64,
    pub name: String,
    pub street_code: String,
    pub occupation: String,
    pub skills: String,
    pub returned_on: Option<NaiveDate>,
    pub matches: Vec<ReturneeMatch>,
}

/// The most returnees one push list shows.
const MAX_RETURNEE_LIST: u32 = 2000;

impl Store {
    /// Pushes posts to returnees (`(person_id, post_id)` pairs) from `channel`, all or none, in
    /// one transaction: each a push with the matching reasons, a portal message and (when the
    /// returnee agreed to be contacted and the phone is known) an SMS, and an audit row
    /// `returnee.push`. Every returnee must be one the actor reads and serves, every post open,
    /// and no post pushed to the same person twice. Returns how many were pushed.
    pub async fn push_to_returnees(
        &self,
        plan: &Plan,
        actor: &Actor,
        channel: Channel,
        weights: &Weights,
        pushes: &[(i64, i64)],
        ip: &str,
    ) -> Result<usize> {
        check_batch(pushes)?;
        let today = local_date(self.now());
        let mut checked = Vec::with_capacity(pushes.len());
        for &pair in pushes {
            checked.push(
                self.check_returnee_push(plan, actor, pair, today, ip)
                    .await?,
            );
        }
        // One matcher for the whole batch, over what the returnee's page is matched against.
        let posts: Vec<&JobPost> = checked.iter().map(|(_, post)| post).collect();
        let openings = self.returnee_openings(plan, weights, &posts).await?;
        let ready: Vec<ReadyPush> = checked
            .iter()
            .map(|(entry, post)| returnee_push(&openings, channel, entry, post))
            .collect();
        self.write_pushes(actor, &ready, ip).await
    }

    /// Checks one returnee push: the actor reads the resident (refused and audited otherwise)
    /// and serves their street, the post is open, and it was not pushed to them before.
    async fn check_returnee_push(
        &self,
        plan: &Plan,
        actor: &Actor,
        (person_id, post_id): (i64, i64),
        today: NaiveDate,
        ip: &str,
    ) -> Result<(MigrantEntry, JobPost)> {
        let entry = self.migrant(plan, actor, person_id, ip).await?;
        let target = format!("person:{person_id}");
        self.check_serves(plan, actor, &entry.street_code, target, ip)
            .await?;
        let post = self.pushable_post(post_id, today).await?;
        let pushed = self.pushed_posts_of(Some(person_id), None).await?;
        if pushed.get(&person_id).is_some_and(|p| p.contains(&post_id)) {
            return Err(invalid(format!(
                "岗位 #{post_id} 已推送给{}，不重复推送",
                entry.name
            )));
        }
        Ok((entry, post))
    }

    /// The returnees of a street (or, for the district's readers, every street or one) who want
    /// to come back to work (返区就业), each with the `n` open posts and gigs that fit them best,
    /// leaving out posts already pushed to them. A street the actor does not reach is refused
    /// (and audited).
    pub async fn returnee_push_list(
        &self,
        plan: &Plan,
        actor: &Actor,
        street: Option<&str>,
        n: usize,
        weights: &Weights,
        ip: &str,
    ) -> Result<Vec<ReturneeLine>> {
        let n = results(weights, n)?;
        self.roster_scope(actor, plan, Roster::Migrants, ip).await?;
        let filter = MigrantFilter {
            street: street.map(str::to_owned),
            intention: Some(Intention::Work),
            ..MigrantFilter::default()
        };
        let (returnees, _) = self
            .migrants(plan, actor, &filter, 1, MAX_RETURNEE_LIST, ip)
            .await?;
        let pushed = self.pushed_posts_of(None, street).await?;
        let openings = self.returnee_openings(plan, weights, &[]).await?;
        let none = Vec::new();
        Ok(returnees
            .into_iter()
            .map(|entry| {
                let theirs = pushed.get(&entry.person_id).unwrap_or(&none);
                ReturneeLine {
                    matches: openings.suggest(&entry, theirs, n),
                    person_id: entry.person_id,
                    name: entry.name,
                    street_code: entry.street_code,
                    occupation: entry.occupation,
                    skills: entry.skills,
                    returned_on: entry.returned_on,
                }
            })
            .collect())
    }

    /// The posts pushed to each resident (as a returnee or a graduate): of one resident, or of
    /// one street's, or all.
    pub(crate) async fn pushed_posts_of(
        &self,
        person: Option<i64>,
        street: Option<&str>,
    ) -> Result<HashMap<i64, Vec<i64>>> {
        let rows: Vec<(i64, i64)> = on_db!(self, pool => sqlx::query_as(
            "SELECT person_id, post_id FROM job_pushes WHERE person_id IS NOT NULL \
             AND ($1 = 0 OR person_id = $1) AND ($2 = '' OR street_code = $2)"
        )
        .bind(person.unwrap_or(0))
        .bind(street.unwrap_or(""))
        .fetch_all(pool)
        .await?);
        let mut pushed: HashMap<i64, Vec<i64>> = HashMap::new();
        for (person, post) in rows {
            pushed.entry(person).or_default().push(post);
        }
        Ok(pushed)
    }
}

/// Whether a push reaches the returnee by SMS too: they agreed to be contacted (同意联系) and
/// their phone is known.
pub fn reaches_by_sms(entry: &MigrantEntry) -> bool {
    entry.contact_consent && !entry.phone_masked.is_empty()
}

/// The push of `post` to a returnee, with the reasons their page gives it.
fn returnee_push(
    openings: &ReturneeOpenings,
    channel: Channel,
    entry: &MigrantEntry,
    post: &JobPost,
) -> ReadyPush {
    let reasons = openings
        .post_for(entry, post.id)
        .map(|m| m.reasons)
        .unwrap_or_default();
    ReadyPush {
        push: NewPush {
            post_id: post.id,
            person_kind: RETURNEE,
            person_ref: entry.person_id,
            person_id: Some(entry.person_id),
            applicant_id: None,
            street_code: entry.street_code.clone(),
            channel,
            reasons,
            sms: reaches_by_sms(entry),
            title: post.title.clone(),
            employer_name: post.employer_name.clone(),
        },
        referral_by: None,
    }
}
