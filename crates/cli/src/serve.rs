//! `linkong serve` and `linkong init`: the web server, and the first start's set-up (database,
//! plan, the first admin with a one-time password printed once).

use std::net::SocketAddr;
use std::process::ExitCode;

use anyhow::{Context, Result};
use linkong_app::backup::Source;
use linkong_app::backup::schedule::{Daily, follow_daily};
use linkong_core::access::Role;
use linkong_core::calendar::WorkCalendar;
use linkong_core::limits::RateLimits;
use linkong_core::matching::{WEIGHTS_FILE, Weights};
use linkong_core::password::NewPassword;
use linkong_core::plan::Plan;
use linkong_store::Store;
use linkong_store::users::NewUser;
use linkong_web::AppState;

use crate::place::{Place, database_url, effective_calendar, open, open_index};

pub async fn serve(
    place: &Place,
    addr: SocketAddr,
    secure_cookies: bool,
    match_hour: u32,
    backups: Option<Daily>,
    rate_limits: Option<std::path::PathBuf>,
) -> Result<ExitCode> {
    let limits = load_rate_limits(rate_limits.as_deref())?;
    let (store, plan) = open(place).await?;
    bootstrap_admin(&store).await?;
    let weights = Weights::parse(WEIGHTS_FILE).map_err(anyhow::Error::msg)?;
    linkong_app::match_batch::follow_nightly(store.clone(), plan.clone(), weights, match_hour);
    if let Some(daily) = backups {
        let source = Source {
            store: store.clone(),
            database_url: database_url(place),
            files_dir: place.data_dir.join("files"),
        };
        follow_daily(source, daily);
    }
    let calendar = effective_calendar(place, &store).await?;
    let state = search_state(place, store, plan, calendar)
        .await?
        .with_secure_cookies(secure_cookies)
        .with_rate_limits(&limits);
    state.search_sync.clone().follow();
    println!("linkong 已启动：http://{addr}/ （Ctrl-C 停止）");
    linkong_web::serve(state, addr)
        .await
        .with_context(|| format!("无法在 {addr} 上提供服务"))?;
    Ok(ExitCode::SUCCESS)
}

/// `--rate-limits FILE`, else the shipped limits; a wrong file stops the start, naming why.
fn load_rate_limits(path: Option<&std::path::Path>) -> Result<RateLimits> {
    let Some(path) = path else {
        return Ok(RateLimits::shipped());
    };
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("无法读取访问频率限制文件 {}", path.display()))?;
    RateLimits::parse(&text).map_err(|e| anyhow::anyhow!("{}：{e}", path.display()))
}

pub async fn init(place: &Place) -> Result<ExitCode> {
    let (store, _) = open(place).await?;
    if !bootstrap_admin(&store).await? {
        println!("已初始化（管理员账户已存在）。");
    }
    Ok(ExitCode::SUCCESS)
}

/// The web state with the on-disk search index caught up with the database. An index that is
/// ahead of the database (built for another database) is rebuilt from scratch.
async fn search_state(
    place: &Place,
    store: Store,
    plan: Plan,
    calendar: WorkCalendar,
) -> Result<AppState> {
    let index = open_index(place)?;
    let seq = store.search_seq().await?;
    if index.last_seq() > seq {
        tracing::warn!(
            index = index.last_seq(),
            database = seq,
            "search index belongs to another database; rebuilding"
        );
        index.clear()?;
    }
    let state = AppState::new(store, plan, calendar).with_search(index);
    state.search_sync.sync().await.context("搜索索引同步失败")?;
    tracing::info!(posts = state.search.num_docs(), "search index ready");
    Ok(state)
}

/// On an empty database, creates `admin` with a one-time password printed on the terminal.
async fn bootstrap_admin(store: &Store) -> Result<bool> {
    if store.user_count().await? > 0 {
        return Ok(false);
    }
    let password = one_time_password();
    let new = NewUser {
        username: "admin".into(),
        display_name: "系统管理员".into(),
        role: Role::Admin,
        unit_code: None,
        password: NewPassword::parse(&password, "admin")?,
        must_change_password: true,
    };
    store.create_user(None, new, "").await?;
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
