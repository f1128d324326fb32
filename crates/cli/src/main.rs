//! `linkong`: the one binary. Serves the platform, manages accounts, checks plan files,
//! verifies the audit chain and fills a demo database.

use std::io::{BufRead, IsTerminal};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use linkong_core::access::Role;
use linkong_core::calendar::WorkCalendar;
use linkong_core::password::NewPassword;
use linkong_core::plan::Plan;
use linkong_core::reporting::ReportPeriod;
use linkong_store::users::NewUser;
use linkong_store::{Store, plan::plan_digest, system_clock};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod bench;
mod bench_dashboard;
mod demo;
mod demo_jobs;
mod demo_people;
mod import;

/// The plan shipped with the binary, used when no `--plan` file is given and
/// `plans/dongxihu-2025-2027.toml` is not in the working directory.
const BUILT_IN_PLAN: &str = include_str!("../../../plans/dongxihu-2025-2027.toml");
const DEFAULT_PLAN_PATH: &str = "plans/dongxihu-2025-2027.toml";
const BUILT_IN_CALENDAR: &str = include_str!("../../../calendar/cn-workdays.toml");
const DEFAULT_CALENDAR_PATH: &str = "calendar/cn-workdays.toml";

#[derive(Parser)]
#[command(
    name = "linkong",
    version,
    about = "临空港就业创业服务平台 — 东西湖区高校毕业生就业创业和返区创业行动方案（2025—2027）"
)]
struct Cli {
    #[command(flatten)]
    place: Place,
    #[command(subcommand)]
    command: Command,
}

#[derive(Args, Clone)]
struct Place {
    /// Where the database (SQLite), evidence files and keys live.
    #[arg(long, global = true, env = "LINKONG_DATA_DIR", default_value = "data")]
    data_dir: PathBuf,
    /// A postgres:// URL to use PostgreSQL instead of the embedded SQLite.
    #[arg(long, global = true, env = "LINKONG_DATABASE_URL")]
    database_url: Option<String>,
    /// The plan file to load (default: plans/dongxihu-2025-2027.toml, else the built-in copy).
    #[arg(long, global = true, env = "LINKONG_PLAN")]
    plan: Option<PathBuf>,
    /// The working-day calendar (default: calendar/cn-workdays.toml, else the built-in copy).
    #[arg(long, global = true, env = "LINKONG_CALENDAR")]
    calendar: Option<PathBuf>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the web server (creates the database and the first admin on first start).
    Serve {
        #[arg(long, env = "LINKONG_ADDR", default_value = "127.0.0.1:8080")]
        addr: SocketAddr,
        /// Mark session cookies Secure (when served behind TLS).
        #[arg(long, env = "LINKONG_SECURE_COOKIES")]
        secure_cookies: bool,
    },
    /// Create the data directory and database, load the plan, create the first admin.
    Init,
    /// Plan files.
    #[command(subcommand)]
    Plan(PlanCommand),
    /// Accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// API tokens.
    #[command(subcommand)]
    Token(TokenCommand),
    /// The audit log.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// District reports as xlsx workbooks.
    #[command(subcommand)]
    Report(ReportCommand),
    /// Rebuild the search index of job posts from the database (`data/search`).
    Reindex,
    /// The personal-data field key.
    #[command(subcommand)]
    Keys(KeysCommand),
    /// Import a roster file (xlsx or csv): all of it or nothing, with an error workbook.
    #[command(subcommand)]
    Import(ImportCommand),
    /// Fill the data directory with plausible, deterministic demo data.
    Demo {
        /// Random seed: the same seed gives the same records.
        #[arg(long, default_value_t = 20250430)]
        seed: u64,
        /// Last date to generate records for (default: today).
        #[arg(long)]
        until: Option<chrono::NaiveDate>,
        /// How many job posts to generate (employers: one per 50 posts, 20 to 2,000).
        #[arg(long, default_value_t = 2000)]
        jobs: usize,
        /// How many out-migrants to put in the registry (any number; imported from a csv).
        #[arg(long, default_value_t = 3000)]
        migrants: usize,
        /// How many unplaced graduates per year (2025 and 2026), with services and placements.
        #[arg(long, default_value_t = 360)]
        graduates: usize,
    },
    /// Benchmarks, e.g. `linkong bench import --rows 1000000 --pg postgres://…`.
    #[command(subcommand)]
    Bench(BenchCommand),
}

#[derive(Subcommand)]
enum KeysCommand {
    /// Re-encrypt every ID and phone number with a new key and recompute the blind indexes, in
    /// place; stop the server first. Resumable: run it again after an interruption.
    Rotate,
}

#[derive(Subcommand)]
enum BenchCommand {
    /// Imports an out-migrant roster of ROWS rows from csv and from xlsx into SQLite (and
    /// PostgreSQL with --pg), each in its own process: rows per second and peak memory, beside
    /// `sqlite3 .import` of the same csv without any checks.
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
}

#[derive(Subcommand)]
enum ImportCommand {
    /// Out-migrants (外出就业人员), e.g. `linkong import migrants 名册.xlsx --unit 径河街道`.
    Migrants(ImportArgs),
    /// Unplaced graduates (离校未就业高校毕业生), e.g. `linkong import graduates 名册.csv --unit rsj`.
    Graduates(ImportArgs),
}

#[derive(Args)]
struct ImportArgs {
    /// The roster file, xlsx or csv (UTF-8 or GBK).
    file: PathBuf,
    /// The importing unit (code or name): a street imports its own residents, a lead unit any.
    #[arg(long)]
    unit: String,
    /// Where to write the error workbook (default: beside FILE, named …-错误清单.xlsx).
    #[arg(long)]
    errors: Option<PathBuf>,
}

#[derive(Subcommand)]
enum ReportCommand {
    /// The consolidated quarterly report, e.g. `linkong report quarterly 2025Q3 --out q3.xlsx`.
    Quarterly {
        period: String,
        #[arg(long)]
        out: PathBuf,
    },
    /// The consolidated annual report, e.g. `linkong report annual 2025 --out 2025.xlsx`.
    Annual {
        year: String,
        #[arg(long)]
        out: PathBuf,
    },
}

#[derive(Subcommand)]
enum PlanCommand {
    /// Check a plan file and name every error with its line.
    Check { file: PathBuf },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create an account; the password is read from standard input.
    Add {
        #[arg(long)]
        username: String,
        /// Unit code (required for unit_staff), e.g. jinghe.
        #[arg(long)]
        unit: Option<String>,
        /// admin | task_force | unit_staff | reviewer
        #[arg(long)]
        role: String,
        /// Display name (default: the username).
        #[arg(long)]
        name: Option<String>,
    },
    /// Set a new one-time password (read from standard input); it must be changed at login.
    ResetPassword {
        #[arg(long)]
        username: String,
    },
    /// Lift a lockout after failed logins.
    Unlock {
        #[arg(long)]
        username: String,
    },
}

#[derive(Subcommand)]
enum TokenCommand {
    /// Create a bearer token for API clients acting as a user; printed once.
    Create {
        #[arg(long)]
        username: String,
        #[arg(long, default_value = "API")]
        name: String,
    },
    /// List tokens (id, user, purpose, last use; never the token itself).
    List,
    /// Revoke a token by its id.
    Revoke { id: i64 },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Verify the SM3 chain of the audit log.
    Verify,
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("LINKONG_LOG")
                .unwrap_or_else(|_| "info,sqlx=warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    match run(cli).await {
        Ok(code) => code,
        Err(message) => {
            eprintln!("错误：{message}");
            ExitCode::FAILURE
        }
    }
}

type Outcome = Result<ExitCode, String>;

async fn run(cli: Cli) -> Outcome {
    let place = cli.place;
    match cli.command {
        Command::Plan(PlanCommand::Check { file }) => plan_check(&file),
        Command::Serve {
            addr,
            secure_cookies,
        } => {
            let (store, plan) = open(&place).await?;
            bootstrap_admin(&store).await?;
            let calendar = effective_calendar(&place, &store).await?;
            let mut state = search_state(&place, store, plan, calendar).await?;
            state.secure_cookies = secure_cookies;
            linkong_web::search::follow(state.clone());
            println!("linkong 已启动：http://{addr}/ （Ctrl-C 停止）");
            linkong_web::serve(state, addr)
                .await
                .map_err(|e| format!("无法在 {addr} 上提供服务：{e}"))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Init => {
            let (store, _) = open(&place).await?;
            if !bootstrap_admin(&store).await? {
                println!("已初始化（管理员账户已存在）。");
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::User(command) => user(&place, command).await,
        Command::Import(ImportCommand::Migrants(args)) => {
            import::roster(&place, linkong_import::migrants::FILE, args).await
        }
        Command::Import(ImportCommand::Graduates(args)) => {
            import::roster(&place, linkong_import::graduates::FILE, args).await
        }
        Command::Token(TokenCommand::Create { username, name }) => {
            let (store, _) = open(&place).await?;
            let token = store
                .create_token(&username, &name)
                .await
                .map_err(|e| e.to_string())?;
            println!("{token}");
            eprintln!(
                "这是 {username} 的 API 令牌，只显示这一次。请求时使用：Authorization: Bearer <令牌>"
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Token(TokenCommand::List) => {
            let store = open_database(&place).await?;
            for t in store.tokens().await.map_err(|e| e.to_string())? {
                let state = match t.revoked_at {
                    Some(at) => format!("已撤销 {}", at.format("%Y-%m-%d %H:%M")),
                    None => "有效".into(),
                };
                let used = t.last_used_at.map_or("从未使用".into(), |at| {
                    format!("最近使用 {}", at.format("%Y-%m-%d %H:%M"))
                });
                println!("#{}\t{}\t{}\t{}\t{}", t.id, t.username, t.name, used, state);
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Token(TokenCommand::Revoke { id }) => {
            let store = open_database(&place).await?;
            store.revoke_token(id).await.map_err(|e| e.to_string())?;
            println!("已撤销令牌 #{id}。");
            Ok(ExitCode::SUCCESS)
        }
        Command::Audit(AuditCommand::Verify) => {
            // Read-only: no plan load, so the check adds nothing to the log it checks.
            let store = open_database(&place).await?;
            let report = store.verify_audit().await.map_err(|e| e.to_string())?;
            if report.is_intact() {
                println!("审计日志完整：{} 条记录，哈希链校验通过。", report.rows);
                Ok(ExitCode::SUCCESS)
            } else {
                println!(
                    "审计日志校验失败：{} 条记录中发现 {} 处问题：",
                    report.rows,
                    report.breaks.len()
                );
                for b in &report.breaks {
                    println!("  第 {} 条：{}", b.id, b.problem);
                }
                Ok(ExitCode::from(2))
            }
        }
        Command::Report(command) => {
            let (text, out, quarterly) = match command {
                ReportCommand::Quarterly { period, out } => (period, out, true),
                ReportCommand::Annual { year, out } => (year, out, false),
            };
            let (store, plan) = open(&place).await?;
            let period = ReportPeriod::parse(&text, &plan).map_err(|e| e.to_string())?;
            if quarterly != matches!(period, ReportPeriod::Quarter { .. }) {
                return Err(if quarterly {
                    format!("季度报告期应写作 2025Q3（收到“{text}”）")
                } else {
                    format!("年度报告期应写作 2025（收到“{text}”）")
                });
            }
            let calendar = effective_calendar(&place, &store).await?;
            let state = linkong_web::AppState::new(store, plan, calendar);
            let bytes = linkong_web::reports::district_workbook(&state, period)
                .await
                .map_err(|e| format!("{e:?}"))?;
            std::fs::write(&out, bytes).map_err(|e| format!("无法写入 {}：{e}", out.display()))?;
            println!("已生成 {}：{}", period.label(), out.display());
            Ok(ExitCode::SUCCESS)
        }
        Command::Reindex => {
            let (store, plan) = open(&place).await?;
            let calendar = effective_calendar(&place, &store).await?;
            let index = open_index(&place)?;
            index.clear().map_err(|e| e.to_string())?;
            let state = linkong_web::AppState::new(store, plan, calendar).with_search(index);
            linkong_web::search::sync(&state)
                .await
                .map_err(|e| format!("重建搜索索引失败：{e:?}"))?;
            println!("搜索索引已重建：{} 个在招岗位。", state.search.num_docs());
            Ok(ExitCode::SUCCESS)
        }
        Command::Bench(BenchCommand::Import {
            rows,
            pg,
            dir,
            repeat,
        }) => bench::import(rows, pg, dir, repeat).await,
        Command::Bench(BenchCommand::Dashboard {
            figures,
            pg,
            dir,
            requests,
            raw_runs,
        }) => bench_dashboard::dashboard(figures, pg, dir, requests, raw_runs).await,
        Command::Keys(KeysCommand::Rotate) => rotate_keys(&place).await,
        Command::Demo {
            seed,
            until,
            jobs,
            migrants,
            graduates,
        } => {
            let (store, plan) = open(&place).await?;
            let calendar = effective_calendar(&place, &store).await?;
            demo::ensure_fresh(&store).await?;
            // Job posts and events first: the report history freezes the figures they fill.
            demo_jobs::fill(&store, &plan, seed, jobs).await?;
            demo_people::fill(
                &store,
                &plan,
                seed,
                migrants,
                graduates,
                &place.data_dir.join("demo"),
            )
            .await?;
            demo::fill(&store, &plan, &calendar, seed, until).await?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

async fn rotate_keys(place: &Place) -> Outcome {
    use linkong_store::crypto::FieldCipher;
    if std::env::var_os("LINKONG_FIELD_KEY").is_some() {
        return Err(
            "密钥由环境变量 LINKONG_FIELD_KEY 提供：请去掉该变量、把密钥写入 data/keys/field.key 后再轮换"
                .into(),
        );
    }
    let keys = place.data_dir.join("keys");
    let next = keys.join("field.next.key");
    if !keys.join("field.key").exists() && next.exists() {
        // Stopped after retiring the old key: only the promotion is left.
        FieldCipher::promote_next(
            &keys,
            &chrono::Utc::now().format("%Y%m%d%H%M%S").to_string(),
        )
        .map_err(|e| e.to_string())?;
        println!("已启用新密钥（上次轮换在最后一步中断）。");
        return Ok(ExitCode::SUCCESS);
    }
    let store = open_database(place).await?;
    let old = FieldCipher::load_or_create_file(&keys).map_err(|e| e.to_string())?;
    let new = FieldCipher::load_or_create_next(&keys).map_err(|e| e.to_string())?;
    let report = store
        .rotate_field_key(&old, &new, &|column, done| {
            eprintln!("{column}：{done}");
        })
        .await
        .map_err(|e| format!("{e}（已完成的部分保留，再次运行可继续）"))?;
    store.close().await;
    FieldCipher::promote_next(
        &keys,
        &chrono::Utc::now().format("%Y%m%d%H%M%S").to_string(),
    )
    .map_err(|e| e.to_string())?;
    for (column, rotated, skipped) in &report.columns {
        println!("{column}：重新加密 {rotated} 个，已是新密钥 {skipped} 个");
    }
    println!("密钥已轮换：旧密钥改名为 field.key.retired-…，请离线保管后删除。");
    Ok(ExitCode::SUCCESS)
}

fn plan_check(file: &Path) -> Outcome {
    let text =
        std::fs::read_to_string(file).map_err(|e| format!("无法读取 {}：{e}", file.display()))?;
    match Plan::parse(&text) {
        Ok(plan) => {
            let quotas: usize = plan.indicators().map(|(_, i)| i.quotas.len()).sum();
            println!(
                "{}：有效。{} 个责任单位，{} 项任务，{} 项指标，{} 项分解指标。",
                file.display(),
                plan.units.len(),
                plan.tasks.len(),
                plan.indicators().count(),
                quotas
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(errors) => {
            print!("{}：{errors}", file.display());
            Ok(ExitCode::FAILURE)
        }
    }
}

/// The working-day calendar: `--calendar`, else the repository's file, else the built-in copy.
fn load_calendar(place: &Place) -> Result<WorkCalendar, String> {
    let text = match &place.calendar {
        Some(path) => std::fs::read_to_string(path)
            .map_err(|e| format!("无法读取工作日历 {}：{e}", path.display()))?,
        None => std::fs::read_to_string(DEFAULT_CALENDAR_PATH)
            .unwrap_or_else(|_| BUILT_IN_CALENDAR.to_owned()),
    };
    WorkCalendar::parse(&text).map_err(|e| e.to_string())
}

/// The search index under `data/search`, opened (or rebuilt when its schema changed).
fn open_index(place: &Place) -> Result<linkong_search::JobIndex, String> {
    let dir = place.data_dir.join("search");
    linkong_search::JobIndex::open(&dir).map_err(|e| e.to_string())
}

/// The web state with the on-disk search index caught up with the database. An index that is
/// ahead of the database (built for another database) is rebuilt from scratch.
async fn search_state(
    place: &Place,
    store: Store,
    plan: Plan,
    calendar: WorkCalendar,
) -> Result<linkong_web::AppState, String> {
    let index = open_index(place)?;
    let seq = store.search_seq().await.map_err(|e| e.to_string())?;
    if index.last_seq() > seq {
        tracing::warn!(
            index = index.last_seq(),
            database = seq,
            "search index belongs to another database; rebuilding"
        );
        index.clear().map_err(|e| e.to_string())?;
    }
    let state = linkong_web::AppState::new(store, plan, calendar).with_search(index);
    linkong_web::search::sync(&state)
        .await
        .map_err(|e| format!("搜索索引同步失败：{e:?}"))?;
    tracing::info!(posts = state.search.num_docs(), "search index ready");
    Ok(state)
}

/// The calendar file with the years an admin entered in the database laid over it.
async fn effective_calendar(place: &Place, store: &Store) -> Result<WorkCalendar, String> {
    let mut calendar = load_calendar(place)?;
    for year in store.calendar_years().await.map_err(|e| e.to_string())? {
        calendar = calendar.with_year(year).map_err(|e| e.to_string())?;
    }
    Ok(calendar)
}

/// The plan text to load: `--plan`, else the repository's file, else the built-in copy.
fn plan_text(place: &Place) -> Result<String, String> {
    if let Some(path) = &place.plan {
        return std::fs::read_to_string(path)
            .map_err(|e| format!("无法读取计划文件 {}：{e}", path.display()));
    }
    Ok(std::fs::read_to_string(DEFAULT_PLAN_PATH).unwrap_or_else(|_| BUILT_IN_PLAN.to_owned()))
}

/// Opens the database (creating the data directory) and applies the migrations.
async fn open_database(place: &Place) -> Result<Store, String> {
    std::fs::create_dir_all(&place.data_dir)
        .map_err(|e| format!("无法创建数据目录 {}：{e}", place.data_dir.display()))?;
    let url = match &place.database_url {
        Some(url) => url.clone(),
        None => format!("sqlite://{}", place.data_dir.join("linkong.db").display()),
    };
    let cipher = linkong_store::crypto::FieldCipher::load_or_create(&place.data_dir.join("keys"))
        .map_err(|e| e.to_string())?;
    let store = Store::open(&url, &place.data_dir.join("files"), system_clock())
        .await
        .map_err(|e| format!("无法打开数据库 {}：{e}", linkong_store::redact_url(&url)))?;
    Ok(store.with_field_cipher(std::sync::Arc::new(cipher)))
}

/// Opens the database and loads the plan into it.
async fn open(place: &Place) -> Result<(Store, Plan), String> {
    let text = plan_text(place)?;
    let parsed = Plan::parse(&text).map_err(|e| e.to_string())?;
    let store = open_database(place).await?;
    let outcome = store
        .load_plan(&parsed, &plan_digest(&text))
        .await
        .map_err(|e| e.to_string())?;
    if let linkong_store::plan::LoadOutcome::Loaded { first_time } = outcome {
        tracing::info!(plan = %parsed.info.code, first_time, "plan loaded into the database");
    }
    let plan = store.plan().await.map_err(|e| e.to_string())?;
    Ok((store, plan))
}

/// On an empty database, creates `admin` with a one-time password printed on the terminal.
async fn bootstrap_admin(store: &Store) -> Result<bool, String> {
    if store.user_count().await.map_err(|e| e.to_string())? > 0 {
        return Ok(false);
    }
    let password = one_time_password();
    let new = NewUser {
        username: "admin".into(),
        display_name: "系统管理员".into(),
        role: Role::Admin,
        unit_code: None,
        password: NewPassword::parse(&password, "admin").map_err(|e| e.to_string())?,
        must_change_password: true,
    };
    store
        .create_user(None, new, "")
        .await
        .map_err(|e| e.to_string())?;
    println!();
    println!("================================================================");
    println!(" 已创建管理员账户  用户名：admin");
    println!(" 一次性初始密码：{password}");
    println!(" 首次登录后必须修改密码。此密码只显示这一次。");
    println!("================================================================");
    println!();
    Ok(true)
}

fn one_time_password() -> String {
    let token = linkong_store::random_token();
    format!("Lk-{}{}", &token[..10], "Q")
}

fn read_password_from_stdin() -> Result<String, String> {
    if std::io::stdin().is_terminal() {
        eprint!("请输入密码（输入后回车）：");
    }
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| format!("无法读取密码：{e}"))?;
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}

async fn user(place: &Place, command: UserCommand) -> Outcome {
    let (store, plan) = open(place).await?;
    match command {
        UserCommand::Add {
            username,
            unit,
            role,
            name,
        } => {
            let role = Role::parse(&role).ok_or_else(|| {
                format!("未知的角色“{role}”（可选：admin、task_force、unit_staff、reviewer）")
            })?;
            if let Some(code) = &unit
                && plan.unit(code).is_none()
            {
                return Err(format!("未知的单位代码“{code}”"));
            }
            let password = read_password_from_stdin()?;
            let password =
                NewPassword::parse(&password, &username).map_err(|e| format!("密码：{e}"))?;
            let new = NewUser {
                display_name: name.unwrap_or_else(|| username.clone()),
                username,
                role,
                unit_code: unit,
                password,
                must_change_password: false,
            };
            let user = store
                .create_user(None, new, "")
                .await
                .map_err(|e| e.to_string())?;
            println!("已创建用户 {}（{}）。", user.username, user.role.label());
        }
        UserCommand::ResetPassword { username } => {
            let user = store
                .user_by_name(&username)
                .await
                .map_err(|e| e.to_string())?
                .ok_or(format!("用户“{username}”不存在"))?;
            let password = read_password_from_stdin()?;
            let password =
                NewPassword::parse(&password, &username).map_err(|e| format!("密码：{e}"))?;
            store
                .reset_password(None, user.id, &password, "")
                .await
                .map_err(|e| e.to_string())?;
            println!("已重置 {username} 的密码；下次登录须修改。");
        }
        UserCommand::Unlock { username } => {
            store
                .unlock_user(None, &username, "")
                .await
                .map_err(|e| e.to_string())?;
            println!("已解锁 {username}。");
        }
    }
    Ok(ExitCode::SUCCESS)
}
