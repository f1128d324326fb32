//! `linkong`: the one binary. Each command lives in a file of its own, named after it; this
//! file only parses the command line and hands over. Errors reach the terminal in Chinese with
//! their causes (`错误：无法读取 x.toml：No such file or directory`).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod audit;
mod backup;
mod bench;
mod bench_cluster;
mod bench_dashboard;
mod bench_fair;
mod bench_load;
mod bench_match;
mod bench_recommend;
mod bench_support;
mod demo;
mod demo_campus;
mod demo_carriers;
mod demo_contest;
mod demo_failure;
mod demo_gigs;
mod demo_insurance;
mod demo_jobs;
mod demo_loans;
mod demo_market_order;
mod demo_mentoring;
mod demo_people;
mod demo_policies;
mod demo_promotion;
mod demo_pushes;
mod demo_returnees;
mod demo_showcase;
mod demo_skills;
mod demo_subsidies;
mod demo_support;
mod demo_titles;
mod demo_traineeships;
mod demo_visits;
mod export;
mod import;
mod keys;
mod match_run;
mod nginx;
mod outbox;
mod place;
mod plan_check;
mod reindex;
mod report;
mod rules;
mod serve;
mod tokens;
mod users;

use place::Place;

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

#[derive(Subcommand)]
enum Command {
    /// Run the web server (creates the database and the first admin on first start).
    Serve {
        #[arg(long, env = "LINKONG_ADDR", default_value = "127.0.0.1:8080")]
        addr: SocketAddr,
        /// Mark session cookies Secure (when served behind TLS).
        #[arg(long, env = "LINKONG_SECURE_COOKIES")]
        secure_cookies: bool,
        /// The local hour (Wuhan time, 0–23) of the nightly matching batch.
        #[arg(long, env = "LINKONG_MATCH_HOUR", default_value_t = 2,
              value_parser = clap::value_parser!(u32).range(0..=23))]
        match_hour: u32,
        /// Take a backup every night into this directory (named linkong-backup-DATE.tar.zst).
        #[arg(long, env = "LINKONG_BACKUP_DIR")]
        backup_dir: Option<PathBuf>,
        /// How many of the newest nightly backups to keep in --backup-dir (older ones deleted).
        #[arg(long, env = "LINKONG_BACKUP_KEEP", default_value_t = 7, requires = "backup_dir",
              value_parser = clap::value_parser!(u64).range(1..))]
        backup_keep: u64,
        /// The local hour (Wuhan time, 0–23) of the nightly backup.
        #[arg(long, env = "LINKONG_BACKUP_HOUR", default_value_t = 2, requires = "backup_dir",
              value_parser = clap::value_parser!(u32).range(0..=23))]
        backup_hour: u32,
        /// The rate limits (default: the shipped rules/rate-limits.toml).
        #[arg(long, env = "LINKONG_RATE_LIMITS")]
        rate_limits: Option<PathBuf>,
    },
    /// Create the data directory and database, load the plan, create the first admin.
    Init,
    /// Plan files.
    #[command(subcommand)]
    Plan(PlanCommand),
    /// Accounts.
    #[command(subcommand)]
    User(users::UserCommand),
    /// API tokens.
    #[command(subcommand)]
    Token(tokens::TokenCommand),
    /// The audit log.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// District reports as xlsx workbooks.
    #[command(subcommand)]
    Report(report::ReportCommand),
    /// Data bundles for the municipal platform (xlsx, csv and an SM3 manifest).
    #[command(subcommand)]
    Export(export::ExportCommand),
    /// Back up the database and evidence files online into one archive (the key is never in
    /// it), or check an archive (`backup verify FILE`).
    Backup(backup::BackupArgs),
    /// Restore an archive into an empty data directory or an empty PostgreSQL database.
    Restore { file: PathBuf },
    /// Rebuild the search index of job posts from the database (`data/search`).
    Reindex,
    /// The personal-data field key.
    #[command(subcommand)]
    Keys(KeysCommand),
    /// Import a roster file (xlsx or csv): all of it or nothing, with an error workbook.
    #[command(subcommand)]
    Import(import::ImportCommand),
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
    /// Policy rules: run staff cases, show the parameters in force.
    #[command(subcommand)]
    Rules(rules::RulesCommand),
    /// Person–job matching: the batch for the district or a street.
    #[command(subcommand)]
    Match(match_run::MatchCommand),
    /// The SMS outbox of job pushes: its status, and sending through the SMS gateway.
    #[command(subcommand)]
    Outbox(outbox::OutboxCommand),
    /// Benchmarks, e.g. `linkong bench import --rows 1000000 --pg postgres://…`.
    #[command(subcommand)]
    Bench(bench::BenchCommand),
}

#[derive(Subcommand)]
enum KeysCommand {
    /// Re-encrypt every ID and phone number with a new key and recompute the blind indexes, in
    /// place; stop the server first. Resumable: run it again after an interruption.
    Rotate,
}

#[derive(Subcommand)]
enum PlanCommand {
    /// Check a plan file and name every error with its line.
    Check { file: PathBuf },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Verify the SM3 chain of the audit log.
    Verify,
}

/// Logs go to standard error: readable lines for a person at a terminal, one JSON object per
/// line otherwise (journald, a log shipper). `LINKONG_LOG` filters, as `RUST_LOG` would.
fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("LINKONG_LOG")
        .unwrap_or_else(|_| "info,sqlx=warn".into());
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        builder.init();
    } else {
        builder.json().with_current_span(false).init();
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    init_logging();
    let cli = Cli::parse();
    match run(cli).await {
        Ok(code) => code,
        Err(error) => {
            let causes: Vec<String> = error.chain().map(ToString::to_string).collect();
            eprintln!("错误：{}", causes.join("："));
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let place = &cli.place;
    match cli.command {
        Command::Serve {
            addr,
            secure_cookies,
            match_hour,
            backup_dir,
            backup_keep,
            backup_hour,
            rate_limits,
        } => {
            let backups = backup_dir.map(|dir| linkong_app::backup::schedule::Daily {
                dir,
                keep: backup_keep as usize,
                hour: backup_hour,
            });
            serve::serve(
                place,
                addr,
                secure_cookies,
                match_hour,
                backups,
                rate_limits,
            )
            .await
        }
        Command::Init => serve::init(place).await,
        Command::Plan(PlanCommand::Check { file }) => plan_check::check(&file),
        Command::User(command) => users::user(place, command).await,
        Command::Token(command) => tokens::token(place, command).await,
        Command::Audit(AuditCommand::Verify) => audit::verify(place).await,
        Command::Report(command) => report::report(place, command).await,
        Command::Export(command) => export::export(place, command).await,
        Command::Backup(args) => backup::backup(place, args).await,
        Command::Restore { file } => backup::restore(place, &file).await,
        Command::Reindex => reindex::reindex(place).await,
        Command::Keys(KeysCommand::Rotate) => keys::rotate(place).await,
        Command::Import(command) => import::import(place, command).await,
        Command::Demo {
            seed,
            until,
            jobs,
            migrants,
            graduates,
        } => demo::run(place, seed, until, jobs, migrants, graduates).await,
        Command::Match(command) => match_run::matching(place, command).await,
        Command::Bench(command) => bench::bench(command).await,
        Command::Outbox(command) => outbox::outbox(place, command).await,
        Command::Rules(command) => rules::rules(command),
    }
}
