//! `linkong bench cluster` (issue 18 item 5): what a second app server buys. One PostgreSQL
//! database gets the job fair's posts and applicants (as `bench fair` fills it); two `linkong
//! serve` processes (A and B, each with its own data directory and search index, the same
//! field key) run on loopback behind nginx. The fair's mix runs at rising rates through nginx,
//! first with only A in the upstream, then with both. Meanwhile a probe publishes a post through
//! A's review page every `probe_every` and times how long B's search takes to find it (the
//! search index's catch-up lag; with one server, A's own search, so both layouts carry the same
//! writes). Last, at `restart_rate`, a rolling restart while the mix runs:
//! A taken out of the upstream, stopped with SIGTERM, started and put back; then B, both within
//! the load's length. Every application the servers confirmed must be in the database
//! afterwards, pair by pair. Before each layout's steps, the first rate runs unmeasured for
//! `warm_up`: the first layout would otherwise pay alone for the database's and the page
//! cache's cold start after the fill, and the second for B's.
//!
//! On one machine the servers, nginx, PostgreSQL and the load generator share its cores, so the
//! ratio of the two best rates says what a second process buys there, not what a second machine
//! would.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use linkong_core::access::Role;
use linkong_core::fraud::FraudRules;
use linkong_core::jobs::PostDraft;
use linkong_store::Store;
use linkong_store::employers::EmployerDraft;
use rand::SeedableRng;
use rand::rngs::StdRng;

use crate::bench_fair::{
    Applications, FairBench, P99, Server, best_held, check_applications, fill, print_step,
    print_steps,
};
use crate::bench_load::{Mix, Step, run_step};
use crate::bench_support::{ms, on_new_pg_database, percentile};
use crate::demo::ensure_user;
use crate::nginx::Nginx;
use crate::place::Place;

/// The lag budget: p99 from a publish answered on A to the post found on B.
const LAG_P99: Duration = Duration::from_secs(1);
/// A probe not found on B in this time is counted as lost.
const LAG_LIMIT: Duration = Duration::from_secs(10);
/// Three rare characters name each probe post, so that one search finds it alone.
const PROBE_CHARS: &str =
    "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥鼎鼐彝爵觚觥斝卣罍瓿簋簠笾铏盉匜";

/// What the benchmark is asked.
pub struct ClusterBench {
    pub fair: FairBench,
    pub probe_every: Duration,
    pub restart_rate: u32,
    /// The unmeasured run at the first rate before each layout's steps.
    pub warm_up: Duration,
}

/// One layout's steps: through nginx to one server, or to two.
/// The mix during the rolling restart, and when both servers were back in the upstream.
struct Restart {
    step: Step,
    took: Duration,
    length: Duration,
}

struct Layout {
    label: &'static str,
    steps: Vec<Step>,
    /// Per step, the probes' lags (two servers only).
    lags: Vec<Lags>,
}

#[derive(Default)]
struct Lags {
    found: Vec<Duration>,
    lost: u64,
}

/// The probe's posts waiting for review, and the reviewer's session on A.
struct Probe {
    posts: Vec<(i64, String)>,
    next: usize,
    session: (String, String),
}

pub async fn bench(ask: ClusterBench) -> anyhow::Result<ExitCode> {
    let Some(admin) = ask.fair.pg.clone() else {
        anyhow::bail!("bench cluster 需要 --pg（多台应用服务器共用一个 PostgreSQL）");
    };
    anyhow::ensure!(!ask.fair.rates.is_empty(), "--rates 不能为空");
    anyhow::ensure!(
        Nginx::installed(),
        "bench cluster 需要 nginx（{}；Debian：apt-get install nginx-light）",
        crate::nginx::NGINX
    );
    let temp = std::env::temp_dir().join(format!("linkong-bench-cluster-{}", std::process::id()));
    let dir = ask.fair.dir.clone().unwrap_or_else(|| temp.clone());
    let database = format!("linkong_bench_cluster_{}", std::process::id());
    let result = on_new_pg_database(&admin, &database, |url| run(url, dir.clone(), &ask)).await;
    if ask.fair.dir.is_none() {
        let _ = std::fs::remove_dir_all(temp);
    }
    result
}

async fn run(url: String, dir: PathBuf, ask: &ClusterBench) -> anyhow::Result<ExitCode> {
    let a_place = place(&dir.join("a"), &url);
    let b_place = place(&dir.join("b"), &url);
    println!(
        "PostgreSQL：载入 {} 个岗位、{} 名求职者…",
        ask.fair.posts, ask.fair.applicants
    );
    let mix = Arc::new(fill(&a_place, &ask.fair).await?);
    let probe_count = probes_needed(ask);
    let probe = probe_posts(&a_place, probe_count).await?;
    copy_keys(&a_place.data_dir, &b_place.data_dir)?;
    let mut a = Server::start(&a_place, &a_place.data_dir)?;
    let mut b = Server::start(&b_place, &b_place.data_dir)?;
    a.wait_ready().await?;
    b.wait_ready().await?;
    let nginx = Nginx::start(&dir.join("nginx"), &[&a.addr()]).await?;
    let measured = measure(
        ask,
        &mix,
        probe,
        &nginx,
        &mut a,
        &mut b,
        (&a_place, &b_place),
    )
    .await;
    drop(nginx);
    a.kill();
    b.kill();
    let (layouts, restart) = measured?;
    let applications = check_applications(&a_place, mix.confirmed()).await?;
    Ok(report(ask, &layouts, &restart, &applications))
}

fn place(dir: &Path, url: &str) -> Place {
    Place {
        data_dir: dir.to_owned(),
        database_url: Some(url.to_owned()),
        plan: None,
        calendar: None,
    }
}

/// B reads personal data with A's field key.
fn copy_keys(from: &Path, to: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(to.join("keys"))?;
    for entry in std::fs::read_dir(from.join("keys"))? {
        let entry = entry?;
        std::fs::copy(entry.path(), to.join("keys").join(entry.file_name()))?;
    }
    Ok(())
}

/// One probe per `probe_every` over every step of both layouts and the restart, and a margin.
fn probes_needed(ask: &ClusterBench) -> usize {
    let seconds = ask.fair.seconds * (2 * ask.fair.rates.len() as u64 + 1) + 30;
    (Duration::from_secs(seconds).as_millis() / ask.probe_every.as_millis().max(1)) as usize + 10
}

/// The steps through nginx to A alone, then to A and B with the lag probe; then the rolling
/// restart.
async fn measure(
    ask: &ClusterBench,
    mix: &Arc<Mix>,
    mut probe: Probe,
    nginx: &Nginx,
    a: &mut Server,
    b: &mut Server,
    places: (&Place, &Place),
) -> anyhow::Result<(Vec<Layout>, Restart)> {
    // The same writes in both layouts: with one server, the probe publishes on A and finds the
    // post on A.
    let one = steps("一台服务器", ask, mix, nginx, (&mut probe, a, a)).await?;
    let both_servers = [a.addr(), b.addr()];
    let both: Vec<&str> = both_servers.iter().map(String::as_str).collect();
    nginx.reload(&both, &[]).await?;
    let two = steps("两台服务器", ask, mix, nginx, (&mut probe, a, b)).await?;
    let restart = rolling_restart(ask, mix, nginx, (a, b), places).await?;
    Ok((vec![one, two], restart))
}

/// The rising steps through `nginx`, each with the probe publishing on `a` and searching `b`.
async fn steps(
    label: &'static str,
    ask: &ClusterBench,
    mix: &Arc<Mix>,
    nginx: &Nginx,
    (probe, a, b): (&mut Probe, &Server, &Server),
) -> anyhow::Result<Layout> {
    let mut layout = Layout {
        label,
        steps: Vec::new(),
        lags: Vec::new(),
    };
    let warm = run_step(&nginx.base, mix, ask.fair.rates[0], ask.warm_up).await?;
    println!(
        "{label}：预热 {} 秒（{} 次/秒，不计入），错误 {}",
        ask.warm_up.as_secs(),
        warm.rate,
        warm.errors
    );
    for &rate in &ask.fair.rates {
        let length = Duration::from_secs(ask.fair.seconds);
        let load = run_step(&nginx.base, mix, rate, length);
        let (step, lags) = with_probe(load, probe, a, b, ask).await?;
        let held = step.held(P99);
        print_step(label, &step, &lag_note(&lags));
        layout.steps.push(step);
        layout.lags.push(lags);
        if !held {
            break;
        }
    }
    Ok(layout)
}

fn lag_note(lags: &Lags) -> String {
    if lags.found.is_empty() && lags.lost == 0 {
        return String::new();
    }
    format!(
        "；索引延迟 p99 {} ms（{} 次，丢失 {}）",
        ms(percentile(&lags.found, 0.99)),
        lags.found.len(),
        lags.lost
    )
}

/// Runs `load` while the probe publishes on A and times B's search, one probe at a time.
async fn with_probe(
    load: impl Future<Output = anyhow::Result<Step>>,
    probe: &mut Probe,
    a: &Server,
    b: &Server,
    ask: &ClusterBench,
) -> anyhow::Result<(Step, Lags)> {
    let done = AtomicBool::new(false);
    let probing = async {
        let mut lags = Lags::default();
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()?;
        while !done.load(Ordering::Relaxed) {
            let started = Instant::now();
            match probe.once(&client, a, b).await? {
                Some(lag) => lags.found.push(lag),
                None => lags.lost += 1,
            }
            tokio::time::sleep(ask.probe_every.saturating_sub(started.elapsed())).await;
        }
        anyhow::Ok(lags)
    };
    let loading = async {
        let step = load.await;
        done.store(true, Ordering::Relaxed);
        step
    };
    let (step, lags) = tokio::join!(loading, probing);
    Ok((step?, lags?))
}

impl Probe {
    /// Publishes the next probe post through A's review page and polls B's search for it:
    /// the time from A's answer to B's first finding it, or None past [`LAG_LIMIT`] (or when A
    /// refused the publish).
    async fn once(
        &mut self,
        client: &reqwest::Client,
        a: &Server,
        b: &Server,
    ) -> anyhow::Result<Option<Duration>> {
        let (id, query) = self
            .posts
            .get(self.next)
            .cloned()
            .ok_or_else(|| anyhow::anyhow!("探针岗位用完了"))?;
        self.next += 1;
        let (token, csrf) = &self.session;
        let published = client
            .post(format!("{}/review/posts/{id}", a.base))
            .header("cookie", format!("lk_session={token}"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(format!("csrf={csrf}&decision=publish&note="))
            .send()
            .await?;
        if !published.status().is_success() {
            // An overloaded A refused the publish: counted with the lost probes.
            return Ok(None);
        }
        let answered = Instant::now();
        while answered.elapsed() < LAG_LIMIT {
            let url = format!("{}/api/v1/jobs?q={query}", b.base);
            // A refused or failed search (an overloaded step) is "not found yet".
            let found: serde_json::Value = match client.get(url).send().await {
                Ok(answer) if answer.status().is_success() => {
                    serde_json::from_slice(&answer.bytes().await.unwrap_or_default())
                        .unwrap_or_default()
                }
                _ => serde_json::Value::Null,
            };
            let jobs = found["jobs"].as_array().cloned().unwrap_or_default();
            if jobs.iter().any(|job| job["id"].as_i64() == Some(id)) {
                return Ok(Some(answered.elapsed()));
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        Ok(None)
    }
}

/// The mix at `restart_rate` for the step's length while A, then B, is taken out of nginx's
/// upstream, stopped with SIGTERM, started again and put back.
async fn rolling_restart(
    ask: &ClusterBench,
    mix: &Arc<Mix>,
    nginx: &Nginx,
    (a, b): (&mut Server, &mut Server),
    (a_place, b_place): (&Place, &Place),
) -> anyhow::Result<Restart> {
    let length = Duration::from_secs(ask.fair.seconds.max(20));
    let servers = [a.addr(), b.addr()];
    let upstream: Vec<&str> = servers.iter().map(String::as_str).collect();
    let load = run_step(&nginx.base, mix, ask.restart_rate, length);
    let started = Instant::now();
    let restarting = async {
        for (server, place) in [(&mut *a, a_place), (&mut *b, b_place)] {
            tokio::time::sleep(length / 5).await;
            let addr = server.addr();
            nginx.reload(&upstream, &[&addr]).await?;
            server.terminate().await?;
            server.restart(place)?;
            server.wait_ready().await?;
            nginx.reload(&upstream, &[]).await?;
            println!(
                "滚动重启：{addr} 已重启并回到上游（第 {:.1} 秒）",
                started.elapsed().as_secs_f64()
            );
        }
        anyhow::Ok(started.elapsed())
    };
    let (loaded, restarted) = tokio::join!(load, restarting);
    let took = restarted?;
    let step = loaded?;
    println!(
        "滚动重启中 {} 次/秒 → 完成 {:.0} 次/秒，p99 {} ms，错误 {}",
        ask.restart_rate,
        step.achieved(),
        ms(percentile(&step.all(), 0.99)),
        step.errors
    );
    if let Some(error) = &step.first_error {
        println!("滚动重启：第一个错误：{error}");
    }
    Ok(Restart { step, took, length })
}

/// `count` posts of a probe employer waiting for review, each titled with three rare characters
/// no other post has, and a reviewer's session.
async fn probe_posts(place: &Place, count: usize) -> anyhow::Result<Probe> {
    let (store, plan) = crate::place::open(place).await?;
    let reviewer = ensure_user(&store, "reviewer", "审核员", Role::Reviewer, None).await?;
    let employer = probe_employer(&store, &plan, &reviewer.actor()).await?;
    let chars: Vec<char> = PROBE_CHARS.chars().collect();
    let most = chars.len().pow(3);
    anyhow::ensure!(
        count <= most,
        "探针岗位至多 {most} 个：请加大 --probe-ms 或减少档位"
    );
    let today = linkong_core::time::local_date(store.now());
    let rules = FraudRules::shipped();
    let mut posts = Vec::with_capacity(count);
    for n in 0..count {
        let k = chars.len();
        let query: String = [n / (k * k), n / k % k, n % k]
            .map(|i| chars[i])
            .iter()
            .collect();
        let draft = probe_draft(&format!("延迟探针{query}岗"), today);
        let post = store
            .save_job_post(&employer, &plan, &rules, None, None, &draft, true, "")
            .await?;
        posts.push((post.id, query));
    }
    let session = store.create_session(reviewer.id).await?;
    store.close().await;
    Ok(Probe {
        posts,
        next: 0,
        session: (session.token, session.csrf_token),
    })
}

async fn probe_employer(
    store: &Store,
    plan: &linkong_core::plan::Plan,
    reviewer: &linkong_core::access::Actor,
) -> anyhow::Result<linkong_core::access::Actor> {
    let draft = EmployerDraft {
        uscc: linkong_demo::business_uscc(&mut StdRng::seed_from_u64(7), "company"),
        name: "武汉临空港延迟探针科技有限公司".into(),
        industry_section: "I".into(),
        street_code: "jinghe".into(),
        contact_name: "王敏".into(),
        contact_phone: "13812345678".into(),
        account_username: "probe_employer".into(),
        account_password: "Probe#2025x".into(),
    };
    let registered = store.register_employer(plan, &draft, "").await?;
    store
        .review_employer(reviewer, registered.id, true, "", "")
        .await?;
    let user = store
        .user_by_name("probe_employer")
        .await?
        .ok_or_else(|| anyhow::anyhow!("探针用人单位账户未建立"))?;
    Ok(user.actor())
}

fn probe_draft(title: &str, today: chrono::NaiveDate) -> PostDraft {
    PostDraft {
        title: title.into(),
        description: "负责航空货运站的调度联络，熟悉办公软件。".into(),
        occupation_group: "4".into(),
        occupation: "调度员".into(),
        industry_section: "G".into(),
        leading_industry: "modern_logistics".into(),
        industry_code: String::new(),
        occupation_code: String::new(),
        level: String::new(),
        positions: "1".into(),
        education: "associate".into(),
        experience: "fresh".into(),
        salary_min: "5000".into(),
        salary_max: "7000".into(),
        street_code: "jinghe".into(),
        contact_name: "李女士".into(),
        contact_phone: "13900001111".into(),
        valid_from: today.to_string(),
        valid_until: (today + chrono::Duration::days(30)).to_string(),
        raised_by: "jinghe".into(),
    }
}

/// The tables; the exit code says whether the lag and the restart held their budgets and no
/// application was lost.
fn report(
    ask: &ClusterBench,
    layouts: &[Layout],
    restart: &Restart,
    applications: &Applications,
) -> ExitCode {
    println!(
        "\n招聘会负载经 nginx（搜索 70 %、岗位详情 20 %、投递 10 %；每档 {} 秒；{} 个岗位、{} 名求职者；PostgreSQL）",
        ask.fair.seconds, ask.fair.posts, ask.fair.applicants
    );
    let mut missed = Vec::new();
    let mut best = Vec::new();
    for layout in layouts {
        print_steps(layout.label, &layout.steps);
        let held = best_held(&layout.steps);
        best.push(held.unwrap_or(0));
        println!(
            "{}：保持的最高速率 {}",
            layout.label,
            held.map_or("无".into(), |r| format!("{r} 次/秒"))
        );
    }
    if let [one, two] = best[..]
        && one > 0
        && two > 0
    {
        println!(
            "两台 ÷ 一台：{:.2}（同一台两核机器上，见说明）",
            f64::from(two) / f64::from(one)
        );
    }
    lag_table(&layouts[layouts.len() - 1], &mut missed);
    restart_line(ask, restart, &mut missed);
    println!("\n{}", applications.line());
    if applications.missing > 0 {
        println!("投递丢失");
        return ExitCode::FAILURE;
    }
    crate::bench_support::verdict(&missed)
}

fn restart_line(ask: &ClusterBench, restart: &Restart, missed: &mut Vec<String>) {
    let step = &restart.step;
    println!(
        "\n滚动重启（{} 次/秒，{} 秒）：请求 {}，错误 {}，重发 {}，p99 {} ms；两台在第 {:.1} 秒都已回到上游",
        ask.restart_rate,
        step.elapsed.as_secs(),
        step.all().len() as u64 + step.errors,
        step.errors,
        step.retried,
        ms(percentile(&step.all(), 0.99)),
        restart.took.as_secs_f64()
    );
    if step.errors > 0 {
        missed.push(format!("滚动重启中有 {} 个请求出错", step.errors));
    }
    // A restart that ended after the load did was not measured under it.
    if restart.took > restart.length {
        missed.push(format!(
            "滚动重启用了 {:.1} 秒，超出负载的 {} 秒",
            restart.took.as_secs_f64(),
            restart.length.as_secs()
        ));
    }
}

fn lag_table(two: &Layout, missed: &mut Vec<String>) {
    println!(
        "\n索引追赶延迟（在 A 上发布，到 B 的搜索找到；预算 p99 ≤ {} ms）",
        LAG_P99.as_millis()
    );
    println!("\n| 目标 次/秒 | 探针 | 丢失 | p50 | p99 | 最慢 |");
    println!("|---|---|---|---|---|---|");
    // The lag counts under a mix the servers keep up with: the steps held, or the first.
    let held = two.steps.iter().filter(|s| s.held(P99)).count().max(1);
    for (n, (step, lags)) in two.steps.iter().zip(&two.lags).enumerate() {
        let p99 = percentile(&lags.found, 0.99);
        println!(
            "| {} | {} | {} | {} ms | {} ms | {} ms |",
            step.rate,
            lags.found.len(),
            lags.lost,
            ms(percentile(&lags.found, 0.50)),
            ms(p99),
            ms(lags.found.iter().copied().max().unwrap_or_default()),
        );
        if n < held && (p99 > LAG_P99 || lags.lost > 0 || lags.found.is_empty()) {
            missed.push(format!("{} 次/秒时索引延迟 p99 {} ms", step.rate, ms(p99)));
        }
    }
}
