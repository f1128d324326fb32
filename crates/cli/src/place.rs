//! Where linkong keeps its data and how every command opens it: the data directory, the
//! database, the plan and the working-day calendar.

use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Args;
use linkong_core::calendar::WorkCalendar;
use linkong_core::plan::Plan;
use linkong_store::{Store, plan::plan_digest, system_clock};

/// The plan shipped with the binary, used when no `--plan` file is given and
/// `plans/dongxihu-2025-2027.toml` is not in the working directory.
pub const BUILT_IN_PLAN: &str = include_str!("../../../plans/dongxihu-2025-2027.toml");
const DEFAULT_PLAN_PATH: &str = "plans/dongxihu-2025-2027.toml";
pub const BUILT_IN_CALENDAR: &str = include_str!("../../../calendar/cn-workdays.toml");
const DEFAULT_CALENDAR_PATH: &str = "calendar/cn-workdays.toml";

#[derive(Args, Clone)]
pub struct Place {
    /// Where the database (SQLite), evidence files and keys live.
    #[arg(long, global = true, env = "LINKONG_DATA_DIR", default_value = "data")]
    pub data_dir: PathBuf,
    /// A postgres:// URL to use PostgreSQL instead of the embedded SQLite.
    #[arg(long, global = true, env = "LINKONG_DATABASE_URL")]
    pub database_url: Option<String>,
    /// The plan file to load (default: plans/dongxihu-2025-2027.toml, else the built-in copy).
    #[arg(long, global = true, env = "LINKONG_PLAN")]
    pub plan: Option<PathBuf>,
    /// The working-day calendar (default: calendar/cn-workdays.toml, else the built-in copy).
    #[arg(long, global = true, env = "LINKONG_CALENDAR")]
    pub calendar: Option<PathBuf>,
}

/// The working-day calendar: `--calendar`, else the repository's file, else the built-in copy.
fn load_calendar(place: &Place) -> Result<WorkCalendar> {
    let text = match &place.calendar {
        Some(path) => std::fs::read_to_string(path)
            .with_context(|| format!("无法读取工作日历 {}", path.display()))?,
        None => std::fs::read_to_string(DEFAULT_CALENDAR_PATH)
            .unwrap_or_else(|_| BUILT_IN_CALENDAR.to_owned()),
    };
    Ok(WorkCalendar::parse(&text)?)
}

/// The calendar file with the years an admin entered in the database laid over it.
pub async fn effective_calendar(place: &Place, store: &Store) -> Result<WorkCalendar> {
    let mut calendar = load_calendar(place)?;
    for year in store.calendar_years().await? {
        calendar = calendar.with_year(year)?;
    }
    Ok(calendar)
}

/// The search index under `data/search`, opened (or rebuilt when its schema changed).
pub fn open_index(place: &Place) -> Result<linkong_search::JobIndex> {
    let dir = place.data_dir.join("search");
    linkong_search::JobIndex::open(&dir)
        .with_context(|| format!("无法打开搜索索引 {}", dir.display()))
}

/// The plan text to load: `--plan`, else the repository's file, else the built-in copy.
fn plan_text(place: &Place) -> Result<String> {
    if let Some(path) = &place.plan {
        return std::fs::read_to_string(path)
            .with_context(|| format!("无法读取计划文件 {}", path.display()));
    }
    Ok(std::fs::read_to_string(DEFAULT_PLAN_PATH).unwrap_or_else(|_| BUILT_IN_PLAN.to_owned()))
}

/// The database's URL: `--database-url`, else the SQLite file in the data directory.
pub fn database_url(place: &Place) -> String {
    match &place.database_url {
        Some(url) => url.clone(),
        None => format!("sqlite://{}", place.data_dir.join("linkong.db").display()),
    }
}

/// Is `url` a PostgreSQL one?
pub fn is_postgres(url: &str) -> bool {
    url.starts_with("postgres://") || url.starts_with("postgresql://")
}

/// Opens the database (creating the data directory) and applies the migrations.
pub async fn open_database(place: &Place) -> Result<Store> {
    std::fs::create_dir_all(&place.data_dir)
        .with_context(|| format!("无法创建数据目录 {}", place.data_dir.display()))?;
    let url = database_url(place);
    let cipher = linkong_store::crypto::FieldCipher::load_or_create(&place.data_dir.join("keys"))?;
    let store = Store::open(&url, &place.data_dir.join("files"), system_clock())
        .await
        .with_context(|| format!("无法打开数据库 {}", linkong_store::redact_url(&url)))?;
    Ok(store.with_field_cipher(std::sync::Arc::new(cipher)))
}

/// Opens the database and loads the plan into it.
pub async fn open(place: &Place) -> Result<(Store, Plan)> {
    let text = plan_text(place)?;
    let parsed = Plan::parse(&text)?;
    let store = open_database(place).await?;
    let outcome = store.load_plan(&parsed, &plan_digest(&text)).await?;
    if let linkong_store::plan::LoadOutcome::Loaded { first_time } = outcome {
        tracing::info!(plan = %parsed.info.code, first_time, "plan loaded into the database");
    }
    let plan = store.plan().await?;
    Ok((store, plan))
}
