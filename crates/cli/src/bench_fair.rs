//! `linkong bench fair` (issue 17, item 2): the public side of a job fair under load. A fresh
//! database (SQLite, and PostgreSQL with `--pg`) gets the demo's employers and POSTS posts, all
//! open today, and APPLICANTS portal applicants, each signed in. Then this very binary is
//! started as `linkong serve` on a loopback port — a process of its own, as in production — and
//! an open-loop load generator (`bench_load`) asks it for the fair's mix: 70 % search
//! (`/jobs?q=…` with the demo's queries and filters), 20 % job detail (`/jobs/{id}`), 10 %
//! applications (`POST /jobs/{id}/apply`, each by a distinct applicant and post), at rising
//! rates, each held for SECONDS, until p99 passes 50 ms or a request fails. The floor beside it:
//! the most the same server answers for a static file (`/static/app.css`) with 32 connections.
//! Afterwards the server is killed (`kill -9`) and every application the server confirmed must
//! be in the database, pair by pair (the table's unique key keeps a pair once).
//!
//! One client address speaks for the whole fair, so the server runs with rate limits wide
//! enough never to refuse (the limiter still runs and is paid for).

use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use linkong_core::access::Role;
use linkong_core::fraud::FraudRules;
use linkong_store::Store;
use linkong_store::applicants::ApplicantSignup;

use crate::bench_load::{Applicant, Mix, Step, floor, run_step};
use crate::bench_support::{ms, on_each_backend, percentile};
use crate::demo::ensure_user;
use crate::place::Place;

const SEED: u64 = 20250430;
/// The budget: the mix held at this rate or more with p99 at most `P99`.
const BUDGET_RATE: u32 = 3_000;
pub const P99: Duration = Duration::from_millis(50);
const PASSWORD: &str = "Fair#2025x";
/// Connections of the static-file floor.
const FLOOR_CONNECTIONS: usize = 32;
/// How long a server may take to end after SIGTERM (answering what it holds) before it is
/// killed and the stop counted as failed.
const STOP_LIMIT: Duration = Duration::from_secs(30);

/// What the benchmark is asked.
pub struct FairBench {
    pub posts: usize,
    pub applicants: usize,
    /// Requests per second of each step, rising.
    pub rates: Vec<u32>,
    pub seconds: u64,
    pub floor_seconds: u64,
    pub pg: Option<String>,
    pub dir: Option<PathBuf>,
}

/// One backend's run.
struct Backend {
    label: &'static str,
    floor: f64,
    steps: Vec<Step>,
    applications: Applications,
}

pub async fn bench(ask: FairBench) -> anyhow::Result<ExitCode> {
    anyhow::ensure!(!ask.rates.is_empty(), "--rates 不能为空");
    anyhow::ensure!(
        ask.applicants > 0 && ask.posts > 0,
        "--posts 与 --applicants 须大于 0"
    );
    let runs = on_each_backend(
        "fair",
        ask.dir.as_deref(),
        ask.pg.as_deref(),
        |label, url, dir| run(label, url, dir, &ask),
    )
    .await?;
    Ok(report(&ask, &runs))
}

/// Fills one backend, serves it, measures the floor and the steps, and counts the
/// applications.
async fn run(
    label: &'static str,
    database_url: Option<String>,
    dir: PathBuf,
    ask: &FairBench,
) -> anyhow::Result<Backend> {
    let place = Place {
        data_dir: dir.clone(),
        database_url,
        plan: None,
        calendar: None,
    };
    println!(
        "{label}：载入 {} 个岗位、{} 名求职者…",
        ask.posts, ask.applicants
    );
    let mix = fill(&place, ask).await?;
    let mut server = Server::start(&place, &dir)?;
    let measured = measure(label, &server, mix, ask).await;
    server.kill();
    let (floor, steps, confirmed) = measured?;
    let applications = check_applications(&place, confirmed).await?;
    Ok(Backend {
        label,
        floor,
        steps,
        applications,
    })
}

/// The floor, then the steps at rising rates until one misses.
async fn measure(
    label: &str,
    server: &Server,
    mix: Mix,
    ask: &FairBench,
) -> anyhow::Result<(f64, Vec<Step>, Vec<(i64, i64)>)> {
    server.wait_ready().await?;
    let base = server.base.clone();
    let floor = floor(
        &format!("{base}/static/app.css"),
        FLOOR_CONNECTIONS,
        Duration::from_secs(ask.floor_seconds),
    )
    .await?;
    println!("{label}：静态文件 {floor:.0} 次/秒");
    let mix = Arc::new(mix);
    let mut steps = Vec::new();
    for &rate in &ask.rates {
        let step = run_step(&base, &mix, rate, Duration::from_secs(ask.seconds)).await?;
        let held = step.held(P99);
        print_step(label, &step, if held { "" } else { "（未保持）" });
        steps.push(step);
        if !held {
            break;
        }
    }
    Ok((floor, steps, mix.confirmed()))
}

/// The demo's posts (open today) and signed-in applicants, written through the store; the
/// mix's searches, posts and sessions.
pub(crate) async fn fill(place: &Place, ask: &FairBench) -> anyhow::Result<Mix> {
    let (store, plan) = crate::place::open(place).await?;
    let admin = ensure_user(&store, "admin", "系统管理员", Role::Admin, None)
        .await?
        .actor();
    let reviewer = ensure_user(&store, "reviewer", "审核员", Role::Reviewer, None)
        .await?
        .actor();
    let today = linkong_core::time::local_date(store.now());
    let loaded = linkong_demo::load_jobs(
        &store,
        &plan,
        &FraudRules::shipped(),
        &admin,
        &reviewer,
        SEED,
        ask.posts,
        0,
        "",
        Some(today),
    )
    .await
    .map_err(anyhow::Error::msg)?;
    let sessions = sign_in(&store, ask.applicants).await?;
    store.close().await;
    let queries = linkong_demo::queries(SEED, 1_000)
        .iter()
        .map(|q| {
            let pairs = q.pairs();
            url::form_urlencoded::Serializer::new(String::new())
                .extend_pairs(pairs.iter().map(|(k, v)| (*k, v.as_str())))
                .finish()
        })
        .collect();
    Ok(Mix::new(queries, loaded.published, sessions, SEED))
}

/// `n` portal applicants, each signed in.
async fn sign_in(store: &Store, n: usize) -> anyhow::Result<Vec<Applicant>> {
    let mut sessions = Vec::with_capacity(n);
    for i in 0..n {
        let signup = ApplicantSignup {
            phone: format!("137{:08}", 10_000_000 + i),
            name: format!("求职者{}", i + 1),
            password: PASSWORD.into(),
        };
        let user = store.register_applicant(&signup, "bench").await?;
        let session = store.create_session(user.id).await?;
        sessions.push(Applicant {
            id: user
                .applicant_id
                .ok_or_else(|| anyhow::anyhow!("注册的求职者没有求职者编号"))?,
            session: session.token,
            csrf: session.csrf_token,
        });
    }
    Ok(sessions)
}

/// The applications the server confirmed, set against those in the database.
pub(crate) struct Applications {
    pub confirmed: usize,
    pub stored: usize,
    /// Confirmed and not in the database: lost.
    pub missing: usize,
}

impl Applications {
    /// "投递成功 N 次，数据库中 M 条，缺少 K 条".
    pub fn line(&self) -> String {
        format!(
            "投递成功 {} 次，数据库中 {} 条，缺少 {} 条",
            self.confirmed, self.stored, self.missing
        )
    }
}

/// Looks up every confirmed (post, applicant) pair in the database. More stored than
/// confirmed is no loss: a request the generator gave up on (timed out) may still have been
/// saved.
pub(crate) async fn check_applications(
    place: &Place,
    confirmed: Vec<(i64, i64)>,
) -> anyhow::Result<Applications> {
    let store = crate::place::open_database(place).await?;
    let stored = store.application_pairs().await;
    store.close().await;
    let stored: std::collections::HashSet<(i64, i64)> = stored?.into_iter().collect();
    Ok(Applications {
        confirmed: confirmed.len(),
        stored: stored.len(),
        missing: confirmed.iter().filter(|p| !stored.contains(p)).count(),
    })
}

/// `linkong serve` in a process of its own, on a free loopback port.
pub(crate) struct Server {
    child: Option<Child>,
    pub base: String,
    port: u16,
    limits: PathBuf,
    log: PathBuf,
}

impl Server {
    pub fn start(place: &Place, dir: &Path) -> anyhow::Result<Server> {
        let port = std::net::TcpListener::bind("127.0.0.1:0")?
            .local_addr()?
            .port();
        let limits = dir.join("fair-limits.toml");
        std::fs::create_dir_all(dir)?;
        std::fs::write(&limits, wide_limits())?;
        let mut server = Server {
            child: None,
            base: format!("http://127.0.0.1:{port}"),
            port,
            limits,
            log: dir.join("serve.log"),
        };
        server.restart(place)?;
        Ok(server)
    }

    /// Starts the server (again) on its port, its output appended to its log.
    pub fn restart(&mut self, place: &Place) -> anyhow::Result<()> {
        let mut command = Command::new(std::env::current_exe()?);
        command.arg("--data-dir").arg(&place.data_dir);
        if let Some(url) = &place.database_url {
            command.arg("--database-url").arg(url);
        }
        let log = || {
            std::fs::File::options()
                .create(true)
                .append(true)
                .open(&self.log)
        };
        command
            .args(["serve", "--addr", &self.addr()])
            .arg("--rate-limits")
            .arg(&self.limits)
            .stdin(Stdio::null())
            .stdout(Stdio::from(log()?))
            .stderr(Stdio::from(log()?));
        self.child = Some(command.spawn().context("无法启动 linkong serve")?);
        Ok(())
    }

    /// `127.0.0.1:PORT`, as nginx names it in an upstream.
    pub fn addr(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    /// Waits until the server answers a search (its index caught up before it listens).
    pub async fn wait_ready(&self) -> anyhow::Result<()> {
        let client = reqwest::Client::new();
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(600) {
            if let Ok(response) = client.get(format!("{}/jobs", self.base)).send().await
                && response.status().is_success()
            {
                return Ok(());
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        let log = std::fs::read_to_string(&self.log).unwrap_or_default();
        anyhow::bail!("linkong serve 10 分钟内未就绪：\n{log}")
    }

    /// SIGTERM, as systemd stops it: it answers the requests it holds, then ends cleanly.
    pub async fn terminate(&mut self) -> anyhow::Result<()> {
        let Some(mut child) = self.child.take() else {
            return Ok(());
        };
        let pid = child.id().to_string();
        let sent = Command::new("kill").args(["-TERM", &pid]).status()?;
        anyhow::ensure!(sent.success(), "kill -TERM {pid} 失败");
        let waited = tokio::time::timeout(
            STOP_LIMIT,
            tokio::task::spawn_blocking(move || child.wait()),
        )
        .await;
        let Ok(waited) = waited else {
            let _ = Command::new("kill").args(["-KILL", &pid]).status();
            anyhow::bail!(
                "linkong serve 收到 SIGTERM 后 {} 秒仍未结束，已强行终止",
                STOP_LIMIT.as_secs()
            );
        };
        let ended = waited??;
        anyhow::ensure!(
            ended.success(),
            "linkong serve 收到 SIGTERM 后以 {ended} 结束"
        );
        Ok(())
    }

    /// `kill -9`: whatever the server acknowledged must already be in the database.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Rate limits that never refuse the benchmark's one address.
fn wide_limits() -> String {
    linkong_core::limits::Limited::ALL
        .iter()
        .map(|kind| {
            format!(
                "[{}]\nburst = 1000000000\nper_minute = 1000000000\n",
                kind.key()
            )
        })
        .collect()
}

/// Prints the tables; the exit code says whether every backend held the budget and lost no
/// application (a lost application is a failure, not a missed budget).
fn report(ask: &FairBench, runs: &[Backend]) -> ExitCode {
    println!(
        "\n招聘会负载（搜索 70 %、岗位详情 20 %、投递 10 %；开环，每档 {} 秒；{} 个岗位、{} 名求职者；预算 ≥ {BUDGET_RATE} 次/秒且 p99 ≤ {} ms、零错误）",
        ask.seconds,
        ask.posts,
        ask.applicants,
        P99.as_millis()
    );
    let mut missed = Vec::new();
    let mut lost = Vec::new();
    for run in runs {
        print_steps(run.label, &run.steps);
        let best = best_held(&run.steps);
        println!(
            "\n{}：保持的最高速率 {}；静态文件下限 {:.0} 次/秒；{}",
            run.label,
            best.map_or("无".into(), |r| format!("{r} 次/秒")),
            run.floor,
            run.applications.line()
        );
        if best.unwrap_or(0) < BUDGET_RATE {
            missed.push(format!("{} 未能以 {BUDGET_RATE} 次/秒保持", run.label));
        }
        if run.applications.missing > 0 {
            lost.push(format!("{}：{}", run.label, run.applications.line()));
        }
    }
    if !lost.is_empty() {
        println!("\n投递丢失：{}", lost.join("；"));
        return ExitCode::FAILURE;
    }
    crate::bench_support::verdict(&missed)
}

/// A step's line as it ends (with `note` after it), and its first error.
pub(crate) fn print_step(label: &str, step: &Step, note: &str) {
    println!(
        "{label}：{} 次/秒 → 完成 {:.0} 次/秒，p99 {} ms，错误 {}{note}",
        step.rate,
        step.achieved(),
        ms(percentile(&step.all(), 0.99)),
        step.errors,
    );
    if step.retried > 0 {
        println!(
            "{label}：{} 个搜索或详情请求的连接在答复前被关闭，已重发一次并得到答复（计入其等待时间）",
            step.retried
        );
    }
    if let Some(error) = &step.first_error {
        println!("{label}：第一个错误：{error}");
    }
}

/// The highest rate of `steps` held (no error, p99 within [`P99`]).
pub(crate) fn best_held(steps: &[Step]) -> Option<u32> {
    steps.iter().filter(|s| s.held(P99)).map(|s| s.rate).max()
}

pub(crate) fn print_steps(label: &str, steps: &[Step]) {
    println!("\n{label}");
    println!(
        "\n| 目标 次/秒 | 完成 次/秒 | 请求 | 错误 | p50 | p99 | 最慢 | 搜索 p99 | 详情 p99 | 投递 p99 |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|");
    for step in steps {
        let all = step.all();
        println!(
            "| {} | {:.0} | {} | {} | {} ms | {} ms | {} ms | {} ms | {} ms | {} ms |",
            step.rate,
            step.achieved(),
            all.len() as u64 + step.errors,
            step.errors,
            ms(percentile(&all, 0.50)),
            ms(percentile(&all, 0.99)),
            ms(all.iter().copied().max().unwrap_or_default()),
            ms(percentile(&step.search, 0.99)),
            ms(percentile(&step.detail, 0.99)),
            ms(percentile(&step.apply, 0.99)),
        );
    }
}
