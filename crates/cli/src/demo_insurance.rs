//! The demo's social-insurance enrolment list (参保名单): the graduates placed through a job
//! application, enrolled at the post's employer from the month of their placement; the
//! founders of the returnee businesses still operating, from the month of the licence; and a
//! few employed graduates given a job at those businesses — some with every kind (失业、工伤、
//! 养老), some without unemployment insurance, some who left — so that the 免申即享 scan finds
//! people to look at. Written as 区人社局 would import it, sealed IDs copied, never decrypted.

use chrono::{Datelike, Months, NaiveDate};
use linkong_core::access::Actor;
use linkong_core::insurance::InsuranceKind;
use linkong_store::Store;
use linkong_store::insurance::{EnrolmentSource, ResidentEnrolment};

/// Employed graduates the demo gives a job at a returnee business.
const BUSINESS_STAFF: i64 = 40;

fn month_start(day: NaiveDate) -> NaiveDate {
    day.with_day(1).unwrap_or(day)
}

fn enrolment(source: &EnrolmentSource, kinds: &[InsuranceKind]) -> ResidentEnrolment {
    ResidentEnrolment {
        person_id: source.person_id,
        employer_uscc: source.employer_uscc.clone(),
        employer_name: source.employer_name.clone(),
        kinds: kinds.to_vec(),
        started_on: month_start(source.since),
        ended_on: None,
    }
}

/// Employed graduates spread over the businesses in turn, from the later of their placement
/// and the business's licence; every fifth without unemployment insurance, every seventh gone
/// after six months.
fn business_staff(
    businesses: &[EnrolmentSource],
    people: &[(i64, NaiveDate)],
) -> Vec<ResidentEnrolment> {
    if businesses.is_empty() {
        return Vec::new();
    }
    people
        .iter()
        .enumerate()
        .map(|(i, (person_id, placed_on))| {
            let at = &businesses[i % businesses.len()];
            let started_on = month_start((*placed_on).max(at.since));
            let kinds: &[InsuranceKind] = if i % 5 == 4 {
                &[InsuranceKind::Injury, InsuranceKind::Pension]
            } else {
                InsuranceKind::ALL
            };
            let ended_on = (i % 7 == 6)
                .then(|| started_on.checked_add_months(Months::new(6)))
                .flatten()
                .and_then(|d| d.pred_opt());
            ResidentEnrolment {
                person_id: *person_id,
                employer_uscc: at.employer_uscc.clone(),
                employer_name: at.employer_name.clone(),
                kinds: kinds.to_vec(),
                started_on,
                ended_on,
            }
        })
        .collect()
}

pub async fn fill(store: &Store) -> anyhow::Result<()> {
    let placed = store.placed_through_applications().await?;
    let founders = store.business_founders_at_work().await?;
    let people = store.employed_elsewhere(BUSINESS_STAFF).await?;
    let mut rows: Vec<ResidentEnrolment> = placed
        .iter()
        .chain(&founders)
        .map(|s| enrolment(s, InsuranceKind::ALL))
        .collect();
    rows.extend(business_staff(&founders, &people));
    // One row per person, employer and month, as the list keys them.
    rows.sort_by_key(|r| (r.person_id, r.employer_uscc.clone(), r.started_on));
    rows.dedup_by_key(|r| (r.person_id, r.employer_uscc.clone(), r.started_on));
    let outcome = store
        .enrol_residents(&Actor::console(), "演示参保名单", &rows, "demo")
        .await?;
    println!(
        "演示参保名单：{} 条（岗位平台录用 {} 人，返区创业主体创办人 {} 人，其员工 {} 人）。",
        outcome.rows,
        placed.len(),
        founders.len(),
        people
            .len()
            .min(if founders.is_empty() { 0 } else { people.len() })
    );
    Ok(())
}
