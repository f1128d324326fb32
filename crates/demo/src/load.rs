//! Loads the generated employers and job posts into a store: employers registered and
//! verified, most posts published in bulk, the risky ones submitted for review so that a
//! reviewer's queue has something to flag.

use chrono::{NaiveDate, TimeZone, Utc};
use linkong_core::access::Actor;
use linkong_core::fraud::FraudRules;
use linkong_core::jobs::{PostDraft, ValidPost, validate_post};
use linkong_core::occupations::Classification;
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
        occupation_code: occupation_code(post),
        occupation: post.occupation.clone(),
        level: level(post).to_owned(),
        industry_section: post.industry.to_string(),
        industry_code: industry_code(post).to_owned(),
        leading_industry: post.leading.to_owned(),
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

/// The 职业分类大典 code of the demo post's occupation, when the excerpt names it in the same
/// major group.
pub fn occupation_code(post: &DemoPost) -> String {
    Classification::shipped()
        .entries()
        .find(|(code, name)| {
            *name == post.occupation
                && code.len() > 1
                && code.starts_with(&post.occupation_group.to_string())
        })
        .map(|(code, _)| code.to_owned())
        .unwrap_or_default()
}

/// A GB/T 4754 code for the demo's emerging-industry posts, so that the derivation finds
/// them: software for section I, the plan's leading industries' typical classes in
/// manufacturing, R&D in section M. Other posts give their section only.
fn industry_code(post: &DemoPost) -> &'static str {
    if !post.emerging {
        return "";
    }
    match (post.industry, post.leading) {
        ('I', _) => "6513",
        ('M', _) => "7320",
        ('C', "electronic_information") => "3973",
        ('C', "food_health") => "2710",
        ('C', _) => "3491",
        _ => "",
    }
}

/// The job level: well-paid professional posts of emerging industries are R&D or high-end,
/// the rest take their group's default.
pub fn level(post: &DemoPost) -> &'static str {
    if post.emerging && post.occupation_group == 2 && post.salary_max >= 15_000 {
        "advanced"
    } else {
        ""
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
        let id =
            register_verified(store, plan, reviewer, company, username, account_password).await?;
        loaded.employers.push(id);
    }
    let mut batch = Vec::new();
    for post in posts(seed, &companies).take(jobs) {
        let company = &companies[post.employer];
        let draft = draft(&post, company, today, open_on);
        let employer_id = loaded.employers[post.employer];
        if post.risky {
            // A risky post is saved and submitted through the form, as an employer would: it waits for review.
            let saved = store
                .save_job_post(
                    admin,
                    plan,
                    rules,
                    None,
                    Some(employer_id),
                    &draft,
                    true,
                    "demo",
                )
                .await
                .map_err(|e| format!("演示岗位“{}”：{e}", draft.title))?;
            loaded.pending.push(saved.id);
            continue;
        }
        batch.push(published_post(
            plan,
            &post,
            company,
            &draft,
            employer_id,
            today,
        )?);
        if batch.len() == 5_000 {
            loaded
                .published
                .extend(publish(store, admin, &batch).await?);
            batch.clear();
        }
    }
    loaded
        .published
        .extend(publish(store, admin, &batch).await?);
    Ok(loaded)
}

/// Registers a demo employer (with a login if `username` is set) and verifies it.
async fn register_verified(
    store: &Store,
    plan: &Plan,
    reviewer: &Actor,
    company: &DemoEmployer,
    username: String,
    account_password: String,
) -> Result<i64, String> {
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
    Ok(employer.id)
}

/// A post that is published at once, on the day it was published `days_ago`.
fn published_post(
    plan: &Plan,
    post: &DemoPost,
    company: &DemoEmployer,
    draft: &PostDraft,
    employer_id: i64,
    today: NaiveDate,
) -> Result<BulkPost, String> {
    let published_on = post.published_on(today);
    let published_at = Utc
        .from_local_datetime(
            &published_on
                .and_hms_opt(2, post.days_ago % 60, 0)
                .unwrap_or_default(),
        )
        .single()
        .unwrap_or_default();
    Ok(BulkPost {
        employer_id,
        post: valid(plan, draft)?,
        contact_phone: Phone::parse(&company.contact_phone).map_err(|e| e.to_string())?,
        published_at,
    })
}

async fn publish(store: &Store, admin: &Actor, batch: &[BulkPost]) -> Result<Vec<i64>, String> {
    store
        .load_published_posts(admin, batch)
        .await
        .map_err(|e| e.to_string())
}
