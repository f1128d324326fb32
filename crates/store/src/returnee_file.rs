//! A resident's file in the out-migrant registry, read in one call: who they are, the returnee
//! services they received, the businesses they founded with the projects those adopted, their
//! selection entries, showcase cases and the mentorings of their businesses, their window
//! visits and expert services, their failure-support cases, and the promotion events they were
//! invited to, the jobs that fit them and the posts pushed to them — each part as far as the
//! actor reads it.
//!
//! The resident must be within the actor's reach (refused and audited otherwise) before any
//! part is read; each part then keeps only what the actor's scope of that registry reaches.

use chrono::NaiveDate;
use linkong_core::access::Actor;
use linkong_core::matching::Weights;
use linkong_core::people::Festival;
use linkong_core::plan::Plan;

use crate::businesses::Business;
use crate::failure::FailureCase;
use crate::mentoring::{Mentoring, MentoringFilter};
use crate::people::MigrantEntry;
use crate::promotion::PersonPromotion;
use crate::pushes::PushTrail;
use crate::returnee_matches::{RETURNEE_MATCHES, ReturneeMatch};
use crate::returnees::Training;
use crate::selection::{EntryFilter, SelectionEntry};
use crate::showcase::{CaseFilter, ShowcaseCase};
use crate::window::ReturneeSupport;
use crate::{Result, Store};

/// A five-ones visit: the year, the festival, which of the five items were given, the day.
pub type FiveOnes = (i64, Festival, [bool; 5], NaiveDate);

/// Everything a resident's page shows.
pub struct ReturneeFile {
    pub entry: MigrantEntry,
    /// Whether the actor may ask for the whole ID and phone numbers.
    pub may_unmask: bool,
    pub trainings: Vec<Training>,
    pub five_ones: Vec<FiveOnes>,
    /// The businesses they founded, each with the library projects it adopted (id, name).
    pub founded: Vec<(Business, Vec<(i64, String)>)>,
    pub selection_entries: Vec<SelectionEntry>,
    pub showcase_cases: Vec<ShowcaseCase>,
    /// The mentorings (2.3.2) of the businesses they founded.
    pub mentorings: Vec<Mentoring>,
    pub support: ReturneeSupport,
    /// Their failure-support cases (2.3.4).
    pub failure_cases: Vec<FailureCase>,
    pub promotions: Vec<PersonPromotion>,
    /// Open posts and gigs near home that fit their skills (2.5.4), best first; posts already
    /// pushed to them left out.
    pub matches: Vec<ReturneeMatch>,
    /// The posts pushed to them, newest first, each with how far it came.
    pub pushes: Vec<PushTrail>,
}

impl Store {
    /// Resident `person_id`'s whole file as `actor` may read it, with the jobs that fit them
    /// scored with `weights`.
    pub async fn returnee_file(
        &self,
        plan: &Plan,
        actor: &Actor,
        person_id: i64,
        weights: &Weights,
        ip: &str,
    ) -> Result<ReturneeFile> {
        let entry = self.migrant(plan, actor, person_id, ip).await?;
        let pushes = self.pushes_to_person(person_id).await?;
        let pushed: Vec<i64> = pushes.iter().map(|p| p.post_id).collect();
        let matches = self
            .returnee_matches(plan, &entry, weights, (&pushed, RETURNEE_MATCHES))
            .await?;
        let (trainings, five_ones) = self.returnee_history(person_id).await?;
        let entries = EntryFilter {
            founder: Some(person_id),
            ..Default::default()
        };
        let cases = CaseFilter {
            person: Some(person_id),
            ..Default::default()
        };
        let mentorings = MentoringFilter {
            person: Some(person_id),
            ..Default::default()
        };
        Ok(ReturneeFile {
            may_unmask: self.may_unmask(actor).await?,
            trainings,
            five_ones,
            founded: self
                .businesses_of_person(plan, actor, person_id, ip)
                .await?,
            selection_entries: self.selection_entries_about(plan, actor, &entries).await?,
            showcase_cases: self.showcase_cases_about(plan, actor, &cases).await?,
            mentorings: self.mentorings_about(plan, actor, &mentorings).await?,
            support: self.returnee_support(plan, actor, person_id, ip).await?,
            failure_cases: self
                .failure_cases_about(
                    plan,
                    actor,
                    &crate::failure::CaseFilter {
                        person_id: Some(person_id),
                        ..Default::default()
                    },
                )
                .await?,
            promotions: self.promotion_history(actor, plan, person_id, ip).await?,
            matches,
            pushes,
            entry,
        })
    }
}
