//! `linkong bench recommend` (issue 16, Benchmark): the portal's 为你推荐 over HTTP. A fresh
//! database gets the demo's employers and POSTS posts, published and open today, and
//! APPLICANTS portal applicants whose profiles come from the demo's rosters (graduates' majors
//! and degrees, out-migrants' skills and trades, home streets as wanted streets); each signs
//! in. Then, against the real router on a loopback port, one client asks for `/me` (the
//! applicant's own page, whose 为你推荐 lists the best open posts for the profile with reasons)
//! as the applicants in turn, REQUESTS times after a warm-up, and the page must hold the list.
//! Timed too: the first request (it reads and indexes the open posts) and the first after a
//! post is closed (the kept posts are indexed anew, so the closed post is gone at once).

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use linkong_core::access::{Actor, Role};
use linkong_core::applicants::Profile;
use linkong_core::fraud::FraudRules;
use linkong_core::people::{Degree, Schooling};
use linkong_core::plan::Plan;
use linkong_store::Store;
use linkong_store::applicants::ApplicantSignup;

use crate::bench_support::{ms, on_each_backend, percentile};
use crate::demo::ensure_user;

const SEED: u64 = 20_251_206;
const BUDGET_P99: Duration = Duration::from_millis(50);
const WARM_UP: usize = 20;
const PASSWORD: &str = "Bench#2025x";

/// What the benchmark is asked.
pub struct RecommendBench {
    pub posts: usize,
    pub applicants: usize,
    pub requests: usize,
    pub pg: Option<String>,
    pub dir: Option<PathBuf>,
}

/// One backend's timings.
struct Timed {
    label: &'static str,
    first: Duration,
    times: Vec<Duration>,
    after_close: Duration,
    listed: usize,
    /// The posts open on the day (the demo's posts include expired ones).
    open: usize,
}

pub async fn bench(ask: RecommendBench) -> anyhow::Result<ExitCode> {
    let ask = &ask;
    let runs = on_each_backend(
        "recommend",
        ask.dir.as_deref(),
        ask.pg.as_deref(),
        |label, url, dir| async move {
            std::fs::create_dir_all(&dir)?;
            let url =
                url.unwrap_or_else(|| format!("sqlite://{}", dir.join("recommend.db").display()));
            run(label, &url, &dir, ask).await
        },
    )
    .await?;
    Ok(report(ask, &runs))
}

async fn run(
    label: &'static str,
    url: &str,
    dir: &std::path::Path,
    ask: &RecommendBench,
) -> anyhow::Result<Timed> {
    let plan = Plan::parse(crate::place::BUILT_IN_PLAN)?;
    let files = dir.join(format!("files-{label}"));
    let store = Store::open(url, &files, linkong_store::system_clock()).await?;
    let key: [u8; 48] = std::array::from_fn(|i| i as u8);
    let store = store.with_field_cipher(Arc::new(
        linkong_store::crypto::FieldCipher::from_material(&key),
    ));
    store.load_plan(&plan, "bench").await?;
    println!(
        "{label}：载入 {} 个岗位、{} 名求职者…",
        ask.posts, ask.applicants
    );
    let admin = ensure_user(&store, "admin", "系统管理员", Role::Admin, None)
        .await?
        .actor();
    let posts = load_posts(&store, &plan, &admin, ask.posts).await?;
    let sessions = applicants(&store, &plan, ask.applicants).await?;
    let today = linkong_core::time::local_date(store.now());
    let open = store.open_openings(today).await?.len();
    let timed = time_pages(&store, plan, &admin, &sessions, posts, ask.requests).await;
    store.close().await;
    let (first, times, after_close, listed) = timed?;
    Ok(Timed {
        label,
        first,
        times,
        after_close,
        listed,
        open,
    })
}

/// The demo's employers and `n` posts, published; the first published post's id.
async fn load_posts(store: &Store, plan: &Plan, admin: &Actor, n: usize) -> anyhow::Result<i64> {
    let reviewer = ensure_user(store, "reviewer", "审核员", Role::Reviewer, None)
        .await?
        .actor();
    let loaded = linkong_demo::load_jobs(
        store,
        plan,
        &FraudRules::shipped(),
        admin,
        &reviewer,
        SEED,
        n,
        0,
        "",
        // Every post stays open at least until today: all of them are scored.
        Some(linkong_core::time::local_date(store.now())),
    )
    .await
    .map_err(anyhow::Error::msg)?;
    loaded
        .published
        .first()
        .copied()
        .ok_or_else(|| anyhow::anyhow!("没有载入任何已发布岗位"))
}

/// `n` applicants with profiles from the demo's rosters, each signed in: their session tokens.
async fn applicants(store: &Store, plan: &Plan, n: usize) -> anyhow::Result<Vec<String>> {
    let street_code = |name: &str| {
        linkong_demo::STREETS
            .iter()
            .find(|(_, street)| *street == name)
            .map_or(String::new(), |(code, _)| (*code).to_owned())
    };
    let mut graduates = linkong_demo::graduate_rows(SEED, 2025, None);
    let mut migrants = linkong_demo::migrant_rows(SEED, None);
    let mut sessions = Vec::with_capacity(n);
    for i in 0..n {
        let profile = if i % 2 == 0 {
            let row = graduates.next().unwrap_or_default();
            let degree = Degree::parse(&row[8]).unwrap_or(Degree::Bachelor);
            Profile {
                name: row[0].clone(),
                education: linkong_core::matching::batch::degree_education(degree)
                    .code()
                    .into(),
                major: row[7].clone(),
                wanted_job: row[10].chars().take(40).collect(),
                wanted_street: street_code(&row[3]),
                ..Profile::default()
            }
        } else {
            let row = migrants.next().unwrap_or_default();
            let schooling = Schooling::parse(&row[5]).ok();
            Profile {
                name: row[0].clone(),
                education: linkong_core::matching::batch::schooling_education(schooling)
                    .code()
                    .into(),
                skills: row[10].chars().take(200).collect(),
                wanted_job: row[9].chars().take(40).collect(),
                wanted_street: street_code(&row[3]),
                ..Profile::default()
            }
        };
        let signup = ApplicantSignup {
            phone: format!("139{:08}", 10_000_000 + i),
            name: profile.name.clone(),
            password: PASSWORD.into(),
        };
        let user = store.register_applicant(&signup, "bench").await?;
        store
            .save_profile(&user.actor(), plan, &profile, "bench")
            .await?;
        sessions.push(store.create_session(user.id).await?.token);
    }
    Ok(sessions)
}

/// `/me` over HTTP against the real router: the first request, `requests` timed ones in turn
/// over the applicants after a warm-up, and the first after post `close` is closed; and how
/// many posts the last page recommended.
async fn time_pages(
    store: &Store,
    plan: Plan,
    admin: &Actor,
    sessions: &[String],
    close: i64,
    requests: usize,
) -> anyhow::Result<(Duration, Vec<Duration>, Duration, usize)> {
    let (address, server) = crate::bench_support::serve_on_loopback(store, plan).await?;
    let client = reqwest::Client::new();
    let url = format!("http://{address}/me");
    let page = |n: usize| get_page(&client, &url, &sessions[n % sessions.len()]);
    let (first, _) = page(0).await?;
    let mut times = Vec::with_capacity(requests);
    let mut listed = 0;
    for n in 0..requests + WARM_UP {
        let (took, found) = page(n).await?;
        if n >= WARM_UP {
            times.push(took);
        }
        listed = found;
    }
    store
        .close_job_post(admin, close, "基准测试：关闭一个岗位", "bench")
        .await?;
    let (after_close, _) = page(1).await?;
    server.abort();
    Ok((first, times, after_close, listed))
}

/// One `/me` as the applicant of `session`: its time and how many posts it recommended; the
/// page must answer 200 with the 为你推荐 list.
async fn get_page(
    client: &reqwest::Client,
    url: &str,
    session: &str,
) -> anyhow::Result<(Duration, usize)> {
    let started = Instant::now();
    let response = client
        .get(url)
        .header("cookie", format!("lk_session={session}"))
        .send()
        .await?;
    let status = response.status();
    let body = response.text().await?;
    let took = started.elapsed();
    if !status.is_success() || !body.contains("为你推荐") {
        return Err(anyhow::anyhow!("{url}: {status}，页面没有“为你推荐”"));
    }
    Ok((took, body.matches("data-recommended").count()))
}

/// Prints the table; the exit code says whether every backend's p99 met the budget.
fn report(ask: &RecommendBench, runs: &[Timed]) -> ExitCode {
    println!(
        "\n门户“为你推荐”（GET /me）：载入 {} 个演示岗位，{} 名求职者轮流请求，单客户端，{} 次计时（预热 {WARM_UP} 次）",
        ask.posts, ask.applicants, ask.requests
    );
    println!(
        "\n| 数据库 | 在招岗位 | 首个请求（读取并索引岗位） | p50 | p99 | 最慢 | 关闭一个岗位后的首个请求 | 每页推荐 | 预算 p99 |"
    );
    println!("|---|---|---|---|---|---|---|---|---|");
    let mut missed = Vec::new();
    for run in runs {
        let p99 = percentile(&run.times, 0.99);
        println!(
            "| {} | {} | {} ms | {} ms | {} ms | {} ms | {} ms | {} 个 | ≤ {} ms |",
            run.label,
            run.open,
            ms(run.first),
            ms(percentile(&run.times, 0.50)),
            ms(p99),
            ms(run.times.iter().copied().max().unwrap_or_default()),
            ms(run.after_close),
            run.listed,
            BUDGET_P99.as_millis()
        );
        if p99 > BUDGET_P99 {
            missed.push(format!("{} 的 p99 {} ms 超过预算", run.label, ms(p99)));
        }
        if run.listed == 0 {
            missed.push(format!("{} 的页面没有推荐任何岗位", run.label));
        }
    }
    crate::bench_support::verdict(&missed)
}
