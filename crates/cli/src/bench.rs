//! `linkong bench import`: the import benchmark of issue 5 (`bench dashboard` and `bench match`
//! live in files of their own). A roster of out-migrants is written
//! as csv and as xlsx (shared strings, as Excel writes them); each file is imported by this
//! very binary in a process of its own (`linkong import migrants`, full checks, encryption and
//! blind index, one transaction), into SQLite and into PostgreSQL; wall time and peak memory
//! (VmHWM) are measured from outside. `sqlite3 .import` of the same csv — no checks at all —
//! is the floor.

use anyhow::Context;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;
use std::time::Instant;

use clap::Subcommand;

use crate::demo_people::write_csv;

#[derive(Subcommand)]
pub enum BenchCommand {
    /// Imports an out-migrant roster of ROWS rows from csv and from xlsx into SQLite (and
    /// PostgreSQL with --pg), each in its own process on a platform set up beforehand (`init`,
    /// untimed): rows per second and peak memory, beside `sqlite3 .import` of the same csv
    /// without any checks.
    Import {
        #[arg(long, default_value_t = 1_000_000)]
        rows: usize,
        /// A PostgreSQL server to benchmark too (a database is created and dropped on it).
        #[arg(long)]
        pg: Option<String>,
        /// Where to write the generated files and databases (default: a new temporary directory).
        #[arg(long)]
        dir: Option<PathBuf>,
        /// Runs of each way; the table shows the median (a shared machine's speed wanders).
        #[arg(long, default_value_t = 3)]
        repeat: usize,
    },
    /// Times /api/v1/progress and /dashboard at each size of --figures on SQLite (and
    /// PostgreSQL with --pg) against the raw GROUP BY, and checks every figure equal.
    Dashboard {
        #[arg(long, value_delimiter = ',', default_values_t = [1_000_000_u64, 10_000_000])]
        figures: Vec<u64>,
        #[arg(long)]
        pg: Option<String>,
        #[arg(long)]
        dir: Option<PathBuf>,
        #[arg(long, default_value_t = 200)]
        requests: usize,
        /// Runs of the raw GROUP BY (seconds each at 10M figures).
        #[arg(long, default_value_t = 5)]
        raw_runs: usize,
    },
    /// The matching batch in memory: top 10 with reasons for PERSONS demo persons over POSTS
    /// open demo posts on every core, beside brute force on a random sample (timed, scaled):
    /// speed-up, recall@10 and peak memory.
    Match {
        #[arg(long, env = "LINKONG_BENCH_PERSONS", default_value_t = 200_000)]
        persons: usize,
        #[arg(long, env = "LINKONG_BENCH_POSTS", default_value_t = 30_000)]
        posts: usize,
        /// The share of persons brute force scores, in percent.
        #[arg(long, default_value_t = 1.0)]
        sample_percent: f64,
        /// Score every post in the batch too (no prefilter): recall is then 1.
        #[arg(long)]
        no_prefilter: bool,
    },
    /// The portal's 为你推荐 over HTTP: GET /me as APPLICANTS demo applicants in turn over
    /// POSTS open demo posts, on SQLite (and PostgreSQL with --pg): p50/p99, the first request
    /// and the first after a post is closed.
    Recommend {
        #[arg(long, default_value_t = 30_000)]
        posts: usize,
        #[arg(long, default_value_t = 100)]
        applicants: usize,
        #[arg(long, default_value_t = 2_000)]
        requests: usize,
        #[arg(long)]
        pg: Option<String>,
        #[arg(long)]
        dir: Option<PathBuf>,
    },
    /// A job fair's public load against `linkong serve` on loopback: search 70 %, job detail
    /// 20 %, applications 10 %, open loop at rising --rates (each held --seconds) until p99
    /// passes 50 ms, on SQLite (and PostgreSQL with --pg), beside a static file's rate; every
    /// accepted application counted in the database afterwards.
    Fair {
        #[arg(long, default_value_t = 100_000)]
        posts: usize,
        #[arg(long, default_value_t = 2_000)]
        applicants: usize,
        /// Requests per second of each step, rising; the run stops after the first step missed.
        #[arg(long, value_delimiter = ',', default_values_t = [1_000_u32, 2_000, 3_000, 3_500, 4_000, 4_500, 5_000, 6_000])]
        rates: Vec<u32>,
        #[arg(long, default_value_t = 60)]
        seconds: u64,
        /// Seconds of the static-file floor.
        #[arg(long, default_value_t = 10)]
        floor_seconds: u64,
        #[arg(long)]
        pg: Option<String>,
        #[arg(long)]
        dir: Option<PathBuf>,
    },
    /// What a second app server buys (PostgreSQL only): the fair's mix through nginx to one
    /// `linkong serve`, then to two, at rising --rates; the search index's catch-up lag from a
    /// publish on one server to the other's search; then a rolling restart under the mix at
    /// --restart-rate. Needs nginx (/usr/sbin/nginx).
    Cluster {
        #[arg(long, default_value_t = 100_000)]
        posts: usize,
        #[arg(long, default_value_t = 2_000)]
        applicants: usize,
        #[arg(long, value_delimiter = ',', default_values_t = [250_u32, 500, 750, 1_000, 1_500, 2_000, 3_000])]
        rates: Vec<u32>,
        #[arg(long, default_value_t = 60)]
        seconds: u64,
        /// Milliseconds between the lag probe's publishes. Each publish makes every server
        /// commit its search index; four a second cost the mix's p99 more than a fair's own
        /// publishing would.
        #[arg(long, default_value_t = 1_000)]
        probe_ms: u64,
        /// Requests per second of the mix during the rolling restart.
        #[arg(long, default_value_t = 250)]
        restart_rate: u32,
        /// Seconds of the unmeasured run at the first rate before each layout's steps.
        #[arg(long, default_value_t = 10)]
        warm_up_seconds: u64,
        #[arg(long)]
        pg: String,
        #[arg(long)]
        dir: Option<PathBuf>,
    },
}

pub async fn bench(command: BenchCommand) -> anyhow::Result<ExitCode> {
    match command {
        BenchCommand::Import {
            rows,
            pg,
            dir,
            repeat,
        } => import(rows, pg, dir, repeat).await,
        BenchCommand::Dashboard {
            figures,
            pg,
            dir,
            requests,
            raw_runs,
        } => crate::bench_dashboard::dashboard(figures, pg, dir, requests, raw_runs).await,
        BenchCommand::Match {
            persons,
            posts,
            sample_percent,
            no_prefilter,
        } => {
            let ask = crate::bench_match::MatchBench {
                persons,
                posts,
                sample_percent,
                no_prefilter,
            };
            tokio::task::spawn_blocking(move || crate::bench_match::bench(&ask)).await?
        }
        BenchCommand::Recommend {
            posts,
            applicants,
            requests,
            pg,
            dir,
        } => {
            crate::bench_recommend::bench(crate::bench_recommend::RecommendBench {
                posts,
                applicants,
                requests,
                pg,
                dir,
            })
            .await
        }
        BenchCommand::Fair {
            posts,
            applicants,
            rates,
            seconds,
            floor_seconds,
            pg,
            dir,
        } => {
            crate::bench_fair::bench(crate::bench_fair::FairBench {
                posts,
                applicants,
                rates,
                seconds,
                floor_seconds,
                pg,
                dir,
            })
            .await
        }
        cluster @ BenchCommand::Cluster { .. } => self::cluster(cluster).await,
    }
}

/// `bench cluster`: the fair's settings and the cluster's own.
async fn cluster(command: BenchCommand) -> anyhow::Result<ExitCode> {
    let BenchCommand::Cluster {
        posts,
        applicants,
        rates,
        seconds,
        probe_ms,
        restart_rate,
        warm_up_seconds,
        pg,
        dir,
    } = command
    else {
        unreachable!("called with bench cluster only")
    };
    let fair = crate::bench_fair::FairBench {
        posts,
        applicants,
        rates,
        seconds,
        floor_seconds: 0,
        pg: Some(pg),
        dir,
    };
    crate::bench_cluster::bench(crate::bench_cluster::ClusterBench {
        fair,
        probe_every: Duration::from_millis(probe_ms),
        restart_rate,
        warm_up: Duration::from_secs(warm_up_seconds),
    })
    .await
}

/// One measured run, or the median of several.
struct Run {
    way: String,
    seconds: f64,
    peak_mb: f64,
    /// The time of each run a median was taken of.
    each: Vec<f64>,
}

/// The run of median time among `runs` (not empty; of an even number, the slower of the two
/// in the middle), with the highest peak memory of all and every run's time in run order.
fn median(mut runs: Vec<Run>) -> Run {
    let each: Vec<f64> = runs.iter().map(|r| r.seconds).collect();
    runs.sort_by(|a, b| a.seconds.total_cmp(&b.seconds));
    let peak_mb = runs.iter().map(|r| r.peak_mb).fold(0.0, f64::max);
    let mut middle = runs.swap_remove(runs.len() / 2);
    middle.peak_mb = peak_mb;
    middle.each = each;
    middle
}

/// Runs `command` to its end, polling its peak resident memory; fails on a non-zero exit.
fn measure(way: &str, mut command: Command, stdin: Option<String>) -> anyhow::Result<Run> {
    // Each run starts with no dirty pages of the files written before it (the generated
    // files, the previous run's database) waiting to go to disk: the kernel would write them
    // back in the middle of this run and charge it the time.
    Command::new("sync")
        .status()
        .with_context(|| format!("{way}：无法运行 sync"))?;
    let started = Instant::now();
    command.stdout(Stdio::piped()).stderr(Stdio::piped());
    if stdin.is_some() {
        command.stdin(Stdio::piped());
    }
    let mut child = command
        .spawn()
        .with_context(|| format!("{way}：无法启动"))?;
    if let (Some(text), Some(mut input)) = (stdin, child.stdin.take()) {
        use std::io::Write;
        input
            .write_all(text.as_bytes())
            .with_context(|| way.to_owned())?;
    }
    let peak_kb = Arc::new(AtomicU64::new(0));
    let status_path = format!("/proc/{}/status", child.id());
    let watcher = {
        let peak_kb = peak_kb.clone();
        std::thread::spawn(move || {
            while let Ok(status) = std::fs::read_to_string(&status_path) {
                if let Some(kb) = status
                    .lines()
                    .find_map(|l| l.strip_prefix("VmHWM:"))
                    .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
                {
                    peak_kb.fetch_max(kb, Ordering::Relaxed);
                }
                std::thread::sleep(std::time::Duration::from_millis(10));
            }
        })
    };
    let output = child.wait_with_output().with_context(|| way.to_owned())?;
    let seconds = started.elapsed().as_secs_f64();
    let _ = watcher.join();
    if !output.status.success() {
        return Err(anyhow::anyhow!(
            "{way} 失败：{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let out = String::from_utf8_lossy(&output.stdout);
    if let Some(line) = out.lines().find(|l| l.starts_with("导入完成")) {
        println!("  {way}: {line}");
    }
    for phases in phase_lines(&String::from_utf8_lossy(&output.stderr)) {
        println!("  {way}: {phases}");
    }
    Ok(Run {
        way: way.to_owned(),
        seconds,
        peak_mb: peak_kb.load(Ordering::Relaxed) as f64 / 1024.0,
        each: vec![seconds],
    })
}

fn write_xlsx(path: &Path, rows: usize) -> anyhow::Result<()> {
    use rust_xlsxwriter::{Format, Workbook};
    let fail = |e: rust_xlsxwriter::XlsxError| {
        anyhow::Error::new(e).context(format!("无法写入 {}", path.display()))
    };
    let mut workbook = Workbook::new();
    let text = Format::new().set_num_format("@");
    let sheet = workbook.add_worksheet_with_low_memory().map_err(fail)?;
    sheet.set_name("外出就业人员").map_err(fail)?;
    for (c, header) in linkong_demo::MIGRANT_HEADER.iter().enumerate() {
        sheet.write_string(0, c as u16, *header).map_err(fail)?;
    }
    for (r, row) in linkong_demo::migrant_rows(SEED, None)
        .take(rows)
        .enumerate()
    {
        for (c, cell) in row.iter().enumerate() {
            if cell.is_empty() {
                continue;
            }
            let (r, c) = (r as u32 + 1, c as u16);
            if c == 1 || c == 2 {
                sheet
                    .write_string_with_format(r, c, cell, &text)
                    .map_err(fail)?;
            } else {
                sheet.write_string(r, c, cell).map_err(fail)?;
            }
        }
    }
    workbook.save(path).map_err(fail)
}

const SEED: u64 = 20_251_130;

fn file_mb(path: &Path) -> f64 {
    std::fs::metadata(path).map_or(0.0, |m| m.len() as f64 / 1_048_576.0)
}

async fn pg_database(admin: &str, name: &str, create: bool) -> anyhow::Result<String> {
    let pool = sqlx::PgPool::connect(admin)
        .await
        .with_context(|| "--pg：无法连接")?;
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
    )))
    .execute(&pool)
    .await?;
    if create {
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(&pool)
            .await?;
    }
    pool.close().await;
    let mut url = url::Url::parse(admin)?;
    url.set_path(name);
    Ok(url.to_string())
}

pub async fn import(
    rows: usize,
    pg: Option<String>,
    dir: Option<PathBuf>,
    repeat: usize,
) -> anyhow::Result<ExitCode> {
    let dir = dir.unwrap_or_else(|| {
        std::env::temp_dir().join(format!("linkong-bench-{}", std::process::id()))
    });
    std::fs::create_dir_all(&dir).with_context(|| format!("无法创建 {}", dir.display()))?;
    let (csv, xlsx) = write_bench_files(&dir, rows)?;
    let repeat = repeat.max(1);
    let mut runs = Vec::new();
    for (label, file) in [("csv", &csv), ("xlsx", &xlsx)] {
        runs.push(time_sqlite_import(&dir, label, file, repeat)?);
        if let Some(admin) = &pg {
            runs.push(time_postgres_import(admin, &dir, label, file, repeat).await?);
        }
    }
    runs.push(time_plain_import(&dir, &csv, repeat)?);
    print_runs(&runs, rows, repeat);
    // The budgets (issues 5 and 17), for a million rows (a small file is mostly start-up time).
    if rows < 1_000_000 {
        println!("\n预算按 1,000,000 行衡量，本次行数较少，未检查。");
        return Ok(std::process::ExitCode::SUCCESS);
    }
    let missed = check_budget(&runs, rows);
    if missed.is_empty() {
        println!("\n预算：全部达到。");
        Ok(std::process::ExitCode::SUCCESS)
    } else {
        println!("\n预算未达到：{}", missed.join("；"));
        Ok(std::process::ExitCode::FAILURE)
    }
}

/// The import's own timing of its phases (PostgreSQL logs them), from its JSON log lines.
fn phase_lines(stderr: &str) -> Vec<String> {
    stderr
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter_map(|log| log["fields"]["message"].as_str().map(str::to_owned))
        .filter(|message| message.starts_with("导入阶段"))
        .collect()
}

/// The same `rows` out-migrants as csv and as xlsx, in `dir`.
fn write_bench_files(dir: &Path, rows: usize) -> anyhow::Result<(PathBuf, PathBuf)> {
    let csv = dir.join("migrants.csv");
    let xlsx = dir.join("migrants.xlsx");
    let started = Instant::now();
    write_csv(
        &csv,
        &linkong_demo::MIGRANT_HEADER,
        linkong_demo::migrant_rows(SEED, None).take(rows),
    )?;
    write_xlsx(&xlsx, rows)?;
    println!(
        "生成 {rows} 行：csv {:.1} MB，xlsx {:.1} MB，用时 {:.1} s（{}）",
        file_mb(&csv),
        file_mb(&xlsx),
        started.elapsed().as_secs_f64(),
        dir.display()
    );
    Ok((csv, xlsx))
}

/// `linkong import migrants` of `file` into a fresh SQLite database, `repeat` times.
fn time_sqlite_import(dir: &Path, label: &str, file: &Path, repeat: usize) -> anyhow::Result<Run> {
    let exe = std::env::current_exe()?;
    let way = format!("{label} → SQLite");
    let mut times = Vec::new();
    for _ in 0..repeat {
        let data = dir.join(format!("sqlite-{label}"));
        let _ = std::fs::remove_dir_all(&data);
        init(&way, &data, None)?;
        let mut command = Command::new(&exe);
        command
            .arg("--data-dir")
            .arg(&data)
            .args(["import", "migrants"])
            .arg(file)
            .args(["--unit", "rsj"])
            .env_remove("LINKONG_DATABASE_URL");
        times.push(measure(&way, command, None)?);
    }
    Ok(median(times))
}

/// The same into a fresh PostgreSQL database on `admin`'s server, dropped after each run.
async fn time_postgres_import(
    admin: &str,
    dir: &Path,
    label: &str,
    file: &Path,
    repeat: usize,
) -> anyhow::Result<Run> {
    let exe = std::env::current_exe()?;
    let way = format!("{label} → PostgreSQL");
    let mut times = Vec::new();
    for _ in 0..repeat {
        let name = format!("linkong_bench_{label}");
        let url = pg_database(admin, &name, true).await?;
        let data = dir.join(format!("pg-{label}"));
        let _ = std::fs::remove_dir_all(&data);
        init(&way, &data, Some(&url))?;
        let mut command = Command::new(&exe);
        command
            .arg("--data-dir")
            .arg(&data)
            .args(["--database-url", &url])
            .args(["import", "migrants"])
            .arg(file)
            .args(["--unit", "rsj"]);
        let run = measure(&way, command, None);
        pg_database(admin, &name, false).await?;
        times.push(run?);
    }
    Ok(median(times))
}

/// `linkong init` of a fresh data directory (and database), untimed: an import runs on a
/// platform already set up, so creating the schema (the migrations) and loading the plan are
/// not part of its time.
fn init(way: &str, data: &Path, url: Option<&str>) -> anyhow::Result<()> {
    let mut command = Command::new(std::env::current_exe()?);
    command.arg("--data-dir").arg(data);
    match url {
        Some(url) => command.args(["--database-url", url]),
        None => command.env_remove("LINKONG_DATABASE_URL"),
    };
    let output = command
        .arg("init")
        .output()
        .with_context(|| format!("{way}：无法运行 linkong init"))?;
    if !output.status.success() {
        anyhow::bail!(
            "{way}：linkong init 失败：{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    Ok(())
}

/// sqlite3's own `.import` of the csv, unchecked: the floor the other ways are measured by.
fn time_plain_import(dir: &Path, csv: &Path, repeat: usize) -> anyhow::Result<Run> {
    let mut times = Vec::new();
    for _ in 0..repeat {
        let plain = dir.join("plain.db");
        let _ = std::fs::remove_file(&plain);
        let mut command = Command::new("sqlite3");
        command.arg(&plain);
        let script = format!(".mode csv\n.import {} migrants\n", csv.display());
        times.push(measure("sqlite3 .import（无校验）", command, Some(script))?);
    }
    Ok(median(times))
}

/// The runs as a Markdown table; the last run is the plain import.
fn print_runs(runs: &[Run], rows: usize, repeat: usize) {
    let floor = runs.last().map_or(1.0, |r| r.seconds);
    println!(
        "\n| 方式 | 用时 s（{repeat} 次的中位数） | 各次 s | 行/秒 | 峰值内存 MB（最大） | 相对 sqlite3 .import |"
    );
    println!("|---|---|---|---|---|---|");
    for run in runs {
        let each: Vec<String> = run.each.iter().map(|s| format!("{s:.2}")).collect();
        println!(
            "| {} | {:.2} | {} | {:.0} | {:.1} | {:.2}× |",
            run.way,
            run.seconds,
            each.join(" / "),
            rows as f64 / run.seconds,
            run.peak_mb,
            run.seconds / floor
        );
    }
}

/// Issue 5's budget: csv into SQLite at 50,000 rows/s or more and within 3× of the plain
/// import; no way above 500 MB. Issue 17's: csv into PostgreSQL at 100,000 rows/s or more. Returns what was missed.
fn check_budget(runs: &[Run], rows: usize) -> Vec<String> {
    let floor = runs.last().map_or(1.0, |r| r.seconds);
    let mut missed = Vec::new();
    if let Some(csv) = runs.iter().find(|r| r.way == "csv → SQLite") {
        if (rows as f64 / csv.seconds) < 50_000.0 {
            missed.push("csv → SQLite 不足 50,000 行/秒".to_owned());
        }
        if csv.seconds > 3.0 * floor {
            missed.push("csv → SQLite 超过 sqlite3 .import 的 3 倍".to_owned());
        }
    }
    // Issue 17's budget for PostgreSQL (when it was run).
    if let Some(pg) = runs.iter().find(|r| r.way == "csv → PostgreSQL")
        && (rows as f64 / pg.seconds) < 100_000.0
    {
        missed.push("csv → PostgreSQL 不足 100,000 行/秒".to_owned());
    }
    for run in runs.iter().filter(|r| r.peak_mb > 500.0) {
        missed.push(format!("{} 峰值内存超过 500 MB", run.way));
    }
    missed
}
