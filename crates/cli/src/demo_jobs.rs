//! `linkong demo --jobs N`: the job platform's demo data — verified employers, N job posts
//! (a few risky ones waiting for review), recruitment events of every kind, applicants and
//! their applications, some of them hired. Deterministic for a seed.

use anyhow::Context;
use chrono::{Duration, NaiveDate};
use linkong_core::access::{Actor, Role};
use linkong_core::events::EventKind;
use linkong_core::fraud::FraudRules;
use linkong_core::jobs::ApplicationStatus;
use linkong_core::plan::{Plan, UnitKind};
use linkong_core::time::local_date;
use linkong_store::Store;
use linkong_store::applicants::ApplicantSignup;
use linkong_store::events::EventDraft;
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

use crate::demo::{DEMO_PASSWORD, ensure_user};

/// Employer accounts `employer1` … `employerN` (password [`DEMO_PASSWORD`]).
const EMPLOYER_ACCOUNTS: usize = 5;
const APPLICANTS: usize = 12;

pub async fn fill(store: &Store, plan: &Plan, seed: u64, jobs: usize) -> anyhow::Result<()> {
    let rules = FraudRules::shipped();
    let admin = ensure_user(store, "admin", "系统管理员", Role::Admin, None)
        .await?
        .actor();
    let reviewer = ensure_user(store, "reviewer", "区人社局审核员", Role::Reviewer, None)
        .await?
        .actor();
    let loaded = linkong_demo::load_jobs(
        store,
        plan,
        &rules,
        &admin,
        &reviewer,
        seed,
        jobs,
        EMPLOYER_ACCOUNTS,
        DEMO_PASSWORD,
        None,
    )
    .await
    .map_err(anyhow::Error::msg)?;
    println!(
        "演示岗位：{} 家用人单位，{} 个已发布岗位，{} 个待审核（含风险提示）。用人单位账户 employer1—employer{EMPLOYER_ACCOUNTS}，审核员 reviewer，密码 {DEMO_PASSWORD}。",
        loaded.employers.len(),
        loaded.published.len(),
        loaded.pending.len()
    );
    let mut rng = StdRng::seed_from_u64(seed ^ 0x6576_656e_7473);
    events(store, plan, &mut rng, &loaded.published).await?;
    applications(store, &mut rng, &loaded.employers, &loaded.published).await?;
    Ok(())
}

/// Events held this year and last: a 送岗位进社区 event per street, campus fairs and other fairs
/// by the district's human-resources bureau, and a 市外引才 trip.
async fn events(store: &Store, plan: &Plan, rng: &mut StdRng, posts: &[i64]) -> anyhow::Result<()> {
    let taskforce = ensure_user(store, "taskforce", "工作专班", Role::TaskForce, None)
        .await?
        .actor();
    let today = local_date(store.now());
    let first = NaiveDate::from_ymd_opt(plan.info.first_year, 5, 1).unwrap_or(today);
    let span = (today - first).num_days().max(1);
    let some_posts = |rng: &mut StdRng| -> Vec<i64> {
        if posts.is_empty() {
            return Vec::new();
        }
        (0..rng.random_range(3..8))
            .map(|_| posts[rng.random_range(0..posts.len())])
            .collect()
    };
    let mut planned: Vec<(EventKind, String, String, String)> = Vec::new();
    for unit in plan.units.iter().filter(|u| u.kind == UnitKind::Street) {
        planned.push((
            EventKind::Community,
            unit.code.clone(),
            format!("{}“送岗位进社区”招聘会", unit.name),
            format!("{}社区党群服务中心", unit.name),
        ));
    }
    let schools = [
        "华中科技大学",
        "武汉大学",
        "武汉理工大学",
        "华中师范大学",
        "中南财经政法大学",
        "湖北工业大学",
        "江汉大学",
        "武汉纺织大学",
    ];
    for school in schools {
        planned.push((
            EventKind::CampusFair,
            "rsj".into(),
            format!("“就在武汉·职在临空港”{school}专场招聘会"),
            school.into(),
        ));
    }
    for n in 1..=12 {
        planned.push((
            EventKind::OtherFair,
            "rsj".into(),
            format!("临空港人力资源市场第 {n} 期综合招聘会"),
            "武汉临空港人力资源市场".into(),
        ));
    }
    planned.push((
        EventKind::OutOfCity,
        "rsj".into(),
        "临空港重点企业“揽才团”赴长沙高校招聘".into(),
        "长沙".into(),
    ));
    for (kind, organiser, title, place) in planned {
        let held_on = first + Duration::days(rng.random_range(0..span));
        let attendance: i64 = rng.random_range(80..600);
        let draft = EventDraft {
            kind: kind.code().into(),
            title,
            organiser,
            held_on: held_on.to_string(),
            online: false,
            place,
            attendance: attendance.to_string(),
            intentions: rng.random_range(5..attendance / 4).to_string(),
            note: String::new(),
            employer_ids: Vec::new(),
            post_ids: some_posts(rng),
            ..EventDraft::default()
        };
        store
            .save_event(&taskforce, plan, &draft, "demo")
            .await
            .with_context(|| "演示招聘活动")?;
    }
    Ok(())
}

/// Applicants who apply to posts of the employers with accounts; those employers move the
/// applications along, some to a hire.
async fn applications(
    store: &Store,
    rng: &mut StdRng,
    employers: &[i64],
    published: &[i64],
) -> anyhow::Result<()> {
    let with_accounts = &employers[..EMPLOYER_ACCOUNTS.min(employers.len())];
    let mut targets = Vec::new();
    for id in published {
        if let Some(post) = store.job_post(*id).await?
            && with_accounts.contains(&post.employer_id)
            && post.is_open_on(local_date(store.now()))
        {
            targets.push(post);
        }
        if targets.len() >= 20 {
            break;
        }
    }
    if targets.is_empty() {
        return Ok(());
    }
    let names = [
        "张伟", "王芳", "李娜", "刘洋", "陈静", "杨帆", "赵磊", "黄敏", "周杰", "吴婷", "徐凯",
        "孙悦",
    ];
    let mut hired = 0;
    for (i, name) in names.iter().enumerate().take(APPLICANTS) {
        let user = store
            .register_applicant(
                &ApplicantSignup {
                    phone: format!("139{:08}", 27_000_000 + i),
                    name: (*name).into(),
                    password: DEMO_PASSWORD.into(),
                },
                "demo",
            )
            .await
            .with_context(|| "演示求职者")?;
        let applicant = user.actor();
        for _ in 0..2 {
            let post = &targets[rng.random_range(0..targets.len())];
            let Ok(application) = store.apply(&applicant, post.id, "demo").await else {
                continue; // applied to this one already
            };
            let employer = employer_actor(store, post.employer_id).await?;
            let way: &[ApplicationStatus] = match rng.random_range(0..4) {
                0 => &[],
                1 => &[ApplicationStatus::Viewed],
                2 => &[ApplicationStatus::Viewed, ApplicationStatus::Interview],
                _ => &[
                    ApplicationStatus::Viewed,
                    ApplicationStatus::Interview,
                    ApplicationStatus::Offer,
                    ApplicationStatus::Hired,
                ],
            };
            for status in way {
                store
                    .move_application(&employer, application, *status, "demo")
                    .await?;
            }
            hired += usize::from(way.last() == Some(&ApplicationStatus::Hired));
        }
    }
    println!(
        "演示求职者：{APPLICANTS} 人（手机号 13927000000 起，密码 {DEMO_PASSWORD}），已录用 {hired} 人。"
    );
    Ok(())
}

async fn employer_actor(store: &Store, employer_id: i64) -> anyhow::Result<Actor> {
    for i in 1..=EMPLOYER_ACCOUNTS {
        if let Some(user) = store.user_by_name(&format!("employer{i}")).await?
            && user.employer_id == Some(employer_id)
        {
            return Ok(user.actor());
        }
    }
    Err(anyhow::anyhow!("用人单位 {employer_id} 没有演示账户"))
}
