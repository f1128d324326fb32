//! Loads the generated employers and job posts into a store: employers registered and
//! verified, most posts published in bulk, the risky ones submitted for review so that a
//! reviewer's queue has something to flag.

use chrono::{NaiveDate, TimeZone, Utc};
use linkong_core::access::Actor;
use linkong_core::fraud::FraudRules;
use linkong_core::jobs::{PostDraft, ValidPost, validate_post};
use linkong_core::phone::Phone;
use linkong_core::plan::Plan;
use linkong_store::Store;
use linkong_store::employers::EmployerDraft;
use linkong_store::jobs::BulkPost;

use crate::{DemoEmployer, DemoPost, employers, posts};

/// What [`load_jobs`] put into the store.
#[derive(Debug, Clone, Default)]
pub struct Loaded {
    /// Employer ids, in the order of [`employers`].
    pub employers: Vec<i64>,
    /// Ids of the posts published in bulk.
    pub published: Vec<i64>,
    /// Ids of the risky posts waiting for review.
    pub pending: Vec<i64>,
}

/// How many employers carry `jobs` posts: one per 50 posts, at least 20, at most 2,000.
pub fn employer_count(jobs: usize) -> usize {
    (jobs / 50).clamp(20, 2000)
}

fn draft(
    post: &DemoPost,
    employer: &DemoEmployer,
    today: NaiveDate,
    open_on: Option<NaiveDate>,
) -> PostDraft {
    let valid_until = match open_on {
        Some(day) => post.valid_until(today).max(day),
        None => post.valid_until(today),
    };
    PostDraft {
        title: post.title.clone(),
        description: post.description.clone(),
        occupation_group: post.occupation_group.to_string(),
        occupation: post.occupation.clone(),
        industry_section: post.industry.to_string(),
        leading_industry: post.leading.to_owned(),
        emerging: post.emerging,
        positions: post.positions.to_string(),
        education: post.education.to_owned(),
        experience: post.experience.to_owned(),
        salary_min: post.salary_min.to_string(),
        salary_max: post.salary_max.to_string(),
        street_code: post.street.to_owned(),
        contact_name: employer.contact_name.clone(),
        contact_phone: employer.contact_phone.clone(),
        valid_from: post.published_on(today).to_string(),
        valid_until: valid_until.to_string(),
        raised_by: post.raised_by.to_owned(),
    }
}

fn valid(plan: &Plan, draft: &PostDraft) -> Result<ValidPost, String> {
    validate_post(plan, draft).map_err(|errors| {
        let fields: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
        format!("演示岗位“{}”不合规：{}", draft.title, fields.join("；"))
    })
}

/// Registers and verifies the employers (the first `accounts` of them with a login
/// `employer1`, `employer2` … and `password`), publishes `jobs` posts and submits the risky
/// ones for review. `admin` enters the risky posts; `reviewer` verifies the employers. With
/// `open_on`, every post stays open at least until that day (a benchmark's day, so that it
/// searches all of them).
#[allow(clippy::too_many_arguments)]
pub async fn load_jobs(
    store: &Store,
    plan: &Plan,
    rules: &FraudRules,
    admin: &Actor,
    reviewer: &Actor,
    seed: u64,
    jobs: usize,
    accounts: usize,
    password: &str,
    open_on: Option<NaiveDate>,
) -> Result<Loaded, String> {
    let today = linkong_core::time::local_date(store.now());
    let companies = employers(seed, employer_count(jobs));
    let mut loaded = Loaded::default();
    for (i, company) in companies.iter().enumerate() {
        let (username, account_password) = if i < accounts {
            (format!("employer{}", i + 1), password.to_owned())
        } else {
            (String::new(), String::new())
        };
        let employer = store
            .register_employer(
                plan,
                &EmployerDraft {
                    uscc: company.uscc.clone(),
                    name: company.name.clone(),
                    industry_section: company.industry.to_string(),
                    street_code: company.street.to_owned(),
                    contact_name: company.contact_name.clone(),
                    contact_phone: company.contact_phone.clone(),
                    account_username: username,
                    account_password,
                },
                "demo",
            )
            .await
            .map_err(|e| format!("演示用人单位“{}”：{e}", company.name))?;
        store
            .review_employer(reviewer, employer.id, true, "演示数据", "demo")
            .await
            .map_err(|e| e.to_string())?;
        loaded.employers.push(employer.id);
    }
    let mut batch = Vec::new();
    for post in posts(seed, &companies).take(jobs) {
        let company = &companies[post.employer];
        let draft = draft(&post, company, today, open_on);
        if post.risky {
            let saved = store
                .save_job_post(
                    admin,
                    plan,
                    rules,
                    None,
                    Some(loaded.employers[post.employer]),
                    &draft,
                    true,
                    "demo",
                )
                .await
                .map_err(|e| format!("演示岗位“{}”：{e}", draft.title))?;
            loaded.pending.push(saved.id);
            continue;
        }
        let published_on = post.published_on(today);
        let published_at = Utc
            .from_local_datetime(
                &published_on
                    .and_hms_opt(2, post.days_ago % 60, 0)
                    .unwrap_or_default(),
            )
            .single()
            .unwrap_or_default();
        batch.push(BulkPost {
            employer_id: loaded.employers[post.employer],
            post: valid(plan, &draft)?,
            contact_phone: Phone::parse(&company.contact_phone).map_err(|e| e.to_string())?,
            published_at,
        });
        if batch.len() == 5_000 {
            loaded.published.extend(
                store
                    .load_published_posts(admin, &batch)
                    .await
                    .map_err(|e| e.to_string())?,
            );
            batch.clear();
        }
    }
    loaded.published.extend(
        store
            .load_published_posts(admin, &batch)
            .await
            .map_err(|e| e.to_string())?,
    );
    Ok(loaded)
}
