//! What the benchmarks share: percentiles and milliseconds for their tables, and a PostgreSQL
//! database of their own, created for one run and dropped after it.

use std::future::Future;
use std::time::Duration;

/// The `p` percentile (0–1) of `times`, nearest rank; zero when there are none.
pub fn percentile(times: &[Duration], p: f64) -> Duration {
    let mut sorted = times.to_vec();
    sorted.sort();
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let at = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[at]
}

/// A duration in milliseconds with one decimal.
pub fn ms(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1000.0)
}

/// The real router over `store` and `plan`, serving on a free loopback port: its address, and
/// the handle that stops it.
pub async fn serve_on_loopback(
    store: &linkong_store::Store,
    plan: linkong_core::plan::Plan,
) -> anyhow::Result<(std::net::SocketAddr, tokio::task::AbortHandle)> {
    let calendar = linkong_core::calendar::WorkCalendar::parse(crate::place::BUILT_IN_CALENDAR)?;
    let state = linkong_web::AppState::new(store.clone(), plan, calendar);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let address = listener.local_addr()?;
    let server = tokio::spawn(async move { linkong_web::serve_on(state, listener).await });
    Ok((address, server.abort_handle()))
}

/// The exit code of a benchmark that ran to its end and missed a budget: apart from 1, a
/// failure to run at all.
pub const BUDGET_MISSED: u8 = 3;

/// Says whether every budget was met, naming the missed ones; the exit code says the same
/// (0, or [`BUDGET_MISSED`]).
pub fn verdict(missed: &[String]) -> std::process::ExitCode {
    if missed.is_empty() {
        println!("\n预算：全部达到。");
        std::process::ExitCode::SUCCESS
    } else {
        println!("\n预算未达到：{}", missed.join("；"));
        std::process::ExitCode::from(BUDGET_MISSED)
    }
}

/// Runs `run` with the URL of a new database `name` on the PostgreSQL server `admin`, and drops
/// the database afterwards whatever `run` returned.
pub async fn on_new_pg_database<T, F, Fut>(admin: &str, name: &str, run: F) -> anyhow::Result<T>
where
    F: FnOnce(String) -> Fut,
    Fut: Future<Output = anyhow::Result<T>>,
{
    let admin_pool = sqlx::PgPool::connect(admin).await?;
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&admin_pool)
        .await?;
    let mut url = url::Url::parse(admin)?;
    url.set_path(name);
    let result = run(url.to_string()).await;
    let _ = sqlx::query(sqlx::AssertSqlSafe(format!(
        "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
    )))
    .execute(&admin_pool)
    .await;
    result
}

/// Runs a benchmark on SQLite, then — with `pg`, the URL of a PostgreSQL server — on a database
/// created and dropped for it there; prints SKIPPED for PostgreSQL without one. `run` gets the
/// backend's label, the PostgreSQL database's URL (None for SQLite) and a directory of its own
/// under `dir` (a new temporary directory, removed afterwards, when `dir` is None).
pub async fn on_each_backend<T, F, Fut>(
    name: &str,
    dir: Option<&std::path::Path>,
    pg: Option<&str>,
    run: F,
) -> anyhow::Result<Vec<T>>
where
    F: Fn(&'static str, Option<String>, std::path::PathBuf) -> Fut,
    Fut: Future<Output = anyhow::Result<T>>,
{
    let temp = dir
        .is_none()
        .then(|| std::env::temp_dir().join(format!("linkong-bench-{name}-{}", std::process::id())));
    let dir = dir
        .map(std::path::Path::to_path_buf)
        .or(temp.clone())
        .unwrap_or_default();
    std::fs::create_dir_all(&dir)?;
    let mut runs = vec![run("SQLite", None, dir.join("sqlite")).await?];
    if let Some(admin) = pg {
        let database = format!("linkong_bench_{name}_{}", std::process::id());
        let (dir, run) = (dir.join("postgres"), &run);
        runs.push(
            on_new_pg_database(admin, &database, |url| async move {
                run("PostgreSQL", Some(url), dir).await
            })
            .await?,
        );
    }
    if let Some(temp) = temp {
        let _ = std::fs::remove_dir_all(temp);
    }
    if pg.is_none() {
        println!("*** SKIPPED: PostgreSQL (no --pg) ***");
    }
    Ok(runs)
}

/// Binds the admin `user_id` to an authenticator through the store's own enrolment and gives
/// its code in `session`, as the admin would on the code page: the benchmark then reads the
/// pages a signed-in admin reads.
pub async fn pass_second_factor(
    store: &linkong_store::Store,
    user_id: i64,
    session: &str,
) -> anyhow::Result<()> {
    let user = store
        .user(user_id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("用户 {user_id} 不存在"))?;
    let enrolment = store.begin_enrolment(&user).await?;
    let secret = enrolment.secret.replace(' ', "");
    let code = linkong_core::two_factor::Authenticator::from_base32(&secret, &user.username)
        .map_err(anyhow::Error::msg)?
        .code_at(store.now().timestamp());
    store
        .confirm_enrolment(&user, Some(session), &code, "")
        .await?
        .map_err(|refusal| anyhow::anyhow!("{refusal}"))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_take_the_nearest_rank() {
        let times: Vec<Duration> = (1..=100).rev().map(Duration::from_millis).collect();
        assert_eq!(percentile(&times, 0.5), Duration::from_millis(50));
        assert_eq!(percentile(&times, 0.99), Duration::from_millis(99));
        assert_eq!(percentile(&times, 1.0), Duration::from_millis(100));
        assert_eq!(percentile(&[], 0.99), Duration::ZERO);
        assert_eq!(ms(Duration::from_micros(1250)), "1.2");
    }
}
