//! `linkong bench dashboard` (issue 12, item 8): fills a database with N figures over every
//! indicator, unit and the plan's three years, builds the tallies with the rebuild the
//! migration and the tests use, then times `GET /api/v1/progress?year=2025` and
//! `/dashboard?year=2025` over HTTP against the real router, beside the plain `GROUP BY` over
//! the raw rows that answers the same question, and checks that every indicator × unit figure
//! equals the `GROUP BY`'s.
//!
//! The fill writes straight into the tables with `INSERT … SELECT` over a generated series
//! (a recursive CTE on SQLite, `generate_series` on PostgreSQL): records 80 %, published posts
//! 15 %, events 5 %, days spread evenly over 2025–2027, about 2 % of records voided. The
//! clock is fixed at the plan's last day, so the three years are all past.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{NaiveDate, TimeZone, Utc};
use linkong_core::access::{Role, TokenScopes};
use linkong_core::password::NewPassword;
use linkong_core::plan::Plan;
use linkong_core::progress::{IndicatorProgress, compute};
use linkong_core::registry::Registry;
use linkong_store::Store;
use linkong_store::employers::EmployerDraft;
use linkong_store::users::NewUser;

use crate::bench_support::{ms, on_new_pg_database, percentile};

const BUDGET_P99: Duration = Duration::from_millis(50);
const BUDGET_SPEEDUP: f64 = 20.0;
const YEAR: i32 = 2025;

/// One run's figures: backend, size and timings.
struct Run {
    label: String,
    figures: u64,
    fill: Duration,
    rebuild: Duration,
    /// `record_figures` and the progress math in process, without HTTP.
    figures_in_process: Vec<Duration>,
    api: Vec<Duration>,
    dashboard: Vec<Duration>,
    raw: Vec<Duration>,
    compared: usize,
    mismatches: Vec<String>,
}

/// Runs the benchmark at each size on SQLite and, with `pg`, on PostgreSQL.
pub async fn dashboard(
    sizes: Vec<u64>,
    pg: Option<String>,
    dir: Option<PathBuf>,
    requests: usize,
    raw_runs: usize,
) -> anyhow::Result<ExitCode> {
    let temp = dir.is_none().then(|| {
        std::env::temp_dir().join(format!("linkong-bench-dashboard-{}", std::process::id()))
    });
    let dir = dir.or(temp.clone()).unwrap_or_default();
    std::fs::create_dir_all(&dir)?;
    let mut runs = Vec::new();
    for &size in &sizes {
        let url = format!(
            "sqlite://{}",
            dir.join(format!("bench-{size}.db")).display()
        );
        runs.push(run("SQLite", &url, &dir, size, requests, raw_runs).await?);
        if let Some(admin) = &pg {
            let name = format!("linkong_bench_dashboard_{}_{size}", std::process::id());
            let dir = &dir;
            runs.push(
                on_new_pg_database(admin, &name, |url| async move {
                    run("PostgreSQL", &url, dir, size, requests, raw_runs).await
                })
                .await?,
            );
        }
    }
    if let Some(temp) = temp {
        let _ = std::fs::remove_dir_all(temp);
    }
    if pg.is_none() {
        println!("*** SKIPPED: PostgreSQL (no --pg) ***");
    }
    Ok(report(&runs))
}

/// Prints the table and names every missed budget; the exit code says whether all were met.
fn report(runs: &[Run]) -> ExitCode {
    println!();
    println!(
        "{:<11} {:>11} {:>7} {:>9} {:>12} {:>9} {:>9} {:>10} {:>10} {:>13} {:>9} {:>6}",
        "backend",
        "figures",
        "fill s",
        "tallies s",
        "in-proc p50",
        "API p50",
        "API p99",
        "page p50",
        "page p99",
        "GROUP BY p50",
        "speed-up",
        "equal"
    );
    let largest = runs.iter().map(|r| r.figures).max().unwrap_or_default();
    let mut missed = Vec::new();
    for r in runs {
        let api50 = percentile(&r.api, 0.5);
        let page50 = percentile(&r.dashboard, 0.5);
        let raw50 = percentile(&r.raw, 0.5);
        let slower = api50.max(page50).as_secs_f64().max(1e-9);
        let speedup = raw50.as_secs_f64() / slower;
        println!(
            "{:<11} {:>11} {:>7.1} {:>9.1} {:>12} {:>9} {:>9} {:>10} {:>10} {:>13} {:>8.0}× {:>6}",
            r.label,
            r.figures,
            r.fill.as_secs_f64(),
            r.rebuild.as_secs_f64(),
            ms(percentile(&r.figures_in_process, 0.5)),
            ms(api50),
            ms(percentile(&r.api, 0.99)),
            ms(page50),
            ms(percentile(&r.dashboard, 0.99)),
            ms(raw50),
            speedup,
            if r.mismatches.is_empty() { "yes" } else { "NO" },
        );
        let name = format!("{} {}", r.label, r.figures);
        for m in r.mismatches.iter().take(5) {
            missed.push(format!("{name}: figure differs: {m}"));
        }
        // The time budgets hold at the largest size; smaller ones show how the cost grows.
        if r.figures < largest {
            continue;
        }
        if percentile(&r.api, 0.99) > BUDGET_P99 {
            missed.push(format!("{name}: API p99 > 50 ms"));
        }
        if percentile(&r.dashboard, 0.99) > BUDGET_P99 {
            missed.push(format!("{name}: /dashboard p99 > 50 ms"));
        }
        if speedup < BUDGET_SPEEDUP {
            missed.push(format!(
                "{name}: less than 20× faster than the raw GROUP BY at p50"
            ));
        }
    }
    println!(
        "times in ms; in-proc = record_figures + progress math without HTTP; {} indicator × unit figures \
         compared per run; speed-up = raw GROUP BY p50 ÷ the slower page's p50; budgets checked at {largest} figures",
        runs.first().map_or(0, |r| r.compared)
    );
    if missed.is_empty() {
        println!("all budgets met");
        ExitCode::SUCCESS
    } else {
        for m in &missed {
            println!("MISSED {m}");
        }
        ExitCode::FAILURE
    }
}

/// A fresh store on `url` with the plan, an admin with a bearer token and one employer:
/// (store, plan, token, admin id, employer id).
async fn prepare(url: &str, dir: &Path) -> anyhow::Result<(Store, Plan, String, i64, i64)> {
    let plan = Plan::parse(crate::place::BUILT_IN_PLAN)?;
    // The plan's last day: its three years are all past.
    let clock: linkong_store::Clock =
        Arc::new(|| Utc.with_ymd_and_hms(2027, 12, 31, 4, 0, 0).unwrap());
    let store = Store::open(url, &dir.join("files"), clock).await?;
    let key: [u8; 48] = std::array::from_fn(|i| i as u8);
    let store = store.with_field_cipher(Arc::new(
        linkong_store::crypto::FieldCipher::from_material(&key),
    ));
    store.load_plan(&plan, "bench").await?;
    let admin = NewUser {
        username: "benchadmin".into(),
        display_name: "基准".into(),
        role: Role::Admin,
        unit_code: None,
        password: NewPassword::parse("Bench#2025x", "x")?,
        must_change_password: false,
    };
    let admin = store.create_user(None, admin, "").await?;
    let token = store
        .create_token("benchadmin", "bench", TokenScopes::AGGREGATES)
        .await?;
    let employer = EmployerDraft {
        uscc: "91420112MA4KXXXX1W".into(),
        name: "武汉临空港科技有限公司".into(),
        industry_section: "I".into(),
        street_code: "jinghe".into(),
        contact_name: "王敏".into(),
        contact_phone: "13812345678".into(),
        account_username: "benchboss".into(),
        account_password: "Employer#2025".into(),
    };
    let employer = store.register_employer(&plan, &employer, "").await?;
    Ok((store, plan, token, admin.id, employer.id))
}

/// The year's figures in process, 50 timed after 20 untimed: the times and the last answer.
async fn figures_in_process(
    store: &Store,
    plan: &Plan,
) -> anyhow::Result<(Vec<Duration>, Vec<IndicatorProgress>)> {
    let today = NaiveDate::from_ymd_opt(2027, 12, 31).unwrap_or_default();
    let (from, to) = year_window();
    let mut times = Vec::new();
    let mut progress = Vec::new();
    for n in 0..70 {
        let started = Instant::now();
        let figures = store.record_figures(plan, from, to).await?;
        progress = compute(plan, YEAR, today, &figures);
        if n >= 20 {
            times.push(started.elapsed());
        }
    }
    Ok((times, progress))
}

fn year_window() -> (NaiveDate, NaiveDate) {
    (
        NaiveDate::from_ymd_opt(YEAR, 1, 1).unwrap_or_default(),
        NaiveDate::from_ymd_opt(YEAR, 12, 31).unwrap_or_default(),
    )
}

/// Both pages over HTTP against the real router on a loopback port.
async fn time_pages(
    store: &Store,
    plan: Plan,
    token: &str,
    session: &str,
    requests: usize,
) -> anyhow::Result<(Vec<Duration>, Vec<Duration>)> {
    let (address, server) = crate::bench_support::serve_on_loopback(store, plan).await?;
    let client = reqwest::Client::new();
    let api = format!("http://{address}/api/v1/progress?year={YEAR}");
    let api = time_get(
        &client,
        &api,
        ("authorization", format!("Bearer {token}")),
        requests,
    )
    .await;
    // A token is for the API only: the page is asked for as a signed-in person asks.
    let page = format!("http://{address}/dashboard?year={YEAR}");
    let cookie = format!("lk_session={session}");
    let page = time_get(&client, &page, ("cookie", cookie), requests).await;
    server.abort();
    Ok((api?, page?))
}

async fn run(
    label: &str,
    url: &str,
    dir: &Path,
    size: u64,
    requests: usize,
    raw_runs: usize,
) -> anyhow::Result<Run> {
    let (store, plan, token, admin, employer) = prepare(url, dir).await?;
    println!("{label}, {size} figures: filling…");
    let started = Instant::now();
    fill(url, &plan, size, admin, employer).await?;
    let fill = started.elapsed();
    println!(
        "  filled in {:.1} s; building the tallies with Store::rebuild_figures (what migration 0016's first start runs)…",
        fill.as_secs_f64()
    );
    let started = Instant::now();
    store.rebuild_figures().await?;
    let rebuild = started.elapsed();
    let (in_process, progress) = figures_in_process(&store, &plan).await?;
    let (from, to) = year_window();
    let mut raw = Vec::new();
    let mut counted = Counted::default();
    for _ in 0..raw_runs.max(1) {
        let (found, took) = raw_group_by(url, from, to).await?;
        counted = found;
        raw.push(took);
    }
    let (compared, mismatches) = compare(&plan, &progress, &counted);
    let session = store.create_session(admin).await?.token;
    crate::bench_support::pass_second_factor(&store, admin, &session).await?;
    let (api, dashboard) = time_pages(&store, plan, &token, &session, requests).await?;
    store.close().await;
    Ok(Run {
        label: label.into(),
        figures: size,
        fill,
        rebuild,
        figures_in_process: in_process,
        api,
        dashboard,
        raw,
        compared,
        mismatches,
    })
}

/// `requests` timed GETs after 20 untimed ones; every answer must be 200.
async fn time_get(
    client: &reqwest::Client,
    url: &str,
    (header, value): (&str, String),
    requests: usize,
) -> anyhow::Result<Vec<Duration>> {
    let mut times = Vec::with_capacity(requests);
    for n in 0..requests + 20 {
        let started = Instant::now();
        let response = client.get(url).header(header, &value).send().await?;
        let status = response.status();
        let body = response.bytes().await?;
        if !status.is_success() || body.is_empty() {
            return Err(anyhow::anyhow!("{url}: {status}"));
        }
        if n >= 20 {
            times.push(started.elapsed());
        }
    }
    Ok(times)
}

/// What the raw `GROUP BY`s found for the year: sums and counts per source and unit.
#[derive(Default)]
pub struct Counted {
    /// (indicator, unit) → (sum of values, records)
    pub records: HashMap<(String, String), (i64, i64)>,
    /// raising unit → (positions, emerging positions, posts)
    pub posts: HashMap<String, (i64, i64, i64)>,
    /// (event kind, organiser) → events
    pub events: HashMap<(String, String), i64>,
}

/// The figure the raw rows give `unit` for `indicator` (`total`: all positions and the emerging
/// ones); `None` where the benchmark does not check it (the placement rate).
fn expected(
    task: &linkong_core::plan::Task,
    indicator: &linkong_core::plan::Indicator,
    counted: &Counted,
    total: (i64, i64),
    unit: &str,
) -> Option<i64> {
    match indicator.registry {
        None => Some(
            counted
                .records
                .get(&(indicator.code.clone(), unit.to_owned()))
                .map_or(0, |c| c.0),
        ),
        Some(Registry::PostPositions) => Some(counted.posts.get(unit).map_or(0, |c| c.0 * 100)),
        Some(Registry::EmergingShare) => {
            (task.lead_units.first().map(String::as_str) == Some(unit) && total.0 > 0)
                .then(|| (total.1 * 10_000 * 2 + total.0) / (total.0 * 2))
        }
        Some(
            registry @ (Registry::Events(_)
            | Registry::PromotionEvents
            | Registry::CoastalPromotionEvents),
        ) => {
            let (kinds, coastal_only) = registry.counted_events().unwrap_or_default();
            // The benchmark's events are all held in the district: none is coastal.
            let held = |kind: &linkong_core::events::EventKind| {
                counted
                    .events
                    .get(&(kind.code().to_owned(), unit.to_owned()))
                    .map_or(0, |c| c * 100)
            };
            Some(if coastal_only {
                0
            } else {
                kinds.iter().map(held).sum()
            })
        }
        Some(Registry::PlacementRate | Registry::ReturnIntentionShare) => None,
        Some(
            Registry::LectureAttendance
            | Registry::MalanhuaTrainees
            | Registry::ProjectsScreenedIn
            | Registry::SelectionRecommendations
            | Registry::ShowcaseRecommendations
            | Registry::CarrierResidents
            | Registry::IncubationBases
            | Registry::ReturneeParks
            | Registry::ExpertServices
            | Registry::WindowVisits
            | Registry::FailureSupportSteps
            | Registry::ContestEntries
            | Registry::ContestLandings
            | Registry::MentoringsStarted
            | Registry::Loans
            | Registry::SubsidiesPaid(_)
            | Registry::OfferPayments
            | Registry::StudentVisitors
            | Registry::TalentTrips
            | Registry::TalentTripHires
            | Registry::MigrantsSurveyed
            | Registry::FiveOnesServices
            | Registry::MarketInspections
            | Registry::MarketNotices
            | Registry::CampusPolicyEvents
            | Registry::CampusInterns
            | Registry::SkillsTrained
            | Registry::TitlesForwarded
            | Registry::HrServices
            | Registry::GraduateTrainees,
        ) => Some(0),
    }
}

/// Every indicator × unit figure of the tallies' dashboard against the `GROUP BY`'s: how many
/// were compared, and each that differs.
fn compare(plan: &Plan, progress: &[IndicatorProgress], counted: &Counted) -> (usize, Vec<String>) {
    let mut compared = 0;
    let mut wrong = Vec::new();
    let total: (i64, i64) = counted
        .posts
        .values()
        .fold((0, 0), |(t, e), (p, m, _)| (t + p, e + m));
    for (task, indicator) in plan.indicators() {
        let Some(shown) = progress.iter().find(|p| p.indicator_code == indicator.code) else {
            wrong.push(format!("{} missing", indicator.code));
            continue;
        };
        for unit in &shown.units {
            compared += 1;
            let want = expected(task, indicator, counted, total, &unit.unit_code);
            if unit.figure.actual != want {
                wrong.push(format!(
                    "{} {}: {:?} ≠ {want:?}",
                    indicator.code, unit.unit_code, unit.figure.actual
                ));
            }
        }
        if indicator.registry.is_none() {
            for ((code, unit), _) in counted
                .records
                .iter()
                .filter(|((c, _), _)| *c == indicator.code)
            {
                if !shown.units.iter().any(|u| &u.unit_code == unit) {
                    wrong.push(format!("{code} {unit}: not shown"));
                }
            }
        }
    }
    (compared, wrong)
}

/// One series of rows, `$1`..=`$2`; `$3` the user, `$4` the employer (posts), `$5` how many
/// pairs or units there are to cycle through.
struct FillSql {
    records: &'static str,
    posts: &'static str,
    events: &'static str,
}

const SQLITE_FILL: FillSql = FillSql {
    records: "INSERT INTO progress_records (indicator_code, unit_code, value, occurred_on, description, created_by, \
         created_at, voided_at, voided_by, void_reason) \
         WITH RECURSIVE s(i) AS (SELECT $1 UNION ALL SELECT i + 1 FROM s WHERE i < $2) \
         SELECT p.indicator_code, p.unit_code, (i * 37 % 500 + 1) * 100, date('2025-01-01', '+' || (i * 7919 % 1095) || ' days'), \
         '基准', $3, '2025-01-01T00:00:00+00:00', CASE WHEN i % 50 = 0 THEN '2025-06-01T00:00:00+00:00' END, \
         CASE WHEN i % 50 = 0 THEN $3 END, CASE WHEN i % 50 = 0 THEN '基准作废' END \
         FROM s JOIN bench_pairs p ON p.n = i % $5 WHERE $4 = $4",
    posts: "INSERT INTO job_posts (employer_id, title, description, occupation_group, occupation, industry_section, \
         leading_industry, emerging, positions, education, experience, salary_min, salary_max, street_code, contact_name, \
         contact_phone_enc, valid_from, valid_until, raised_by, status, risk_score, risk_level, risk_reasons, created_by, \
         created_at, updated_at, submitted_at, reviewed_by, reviewed_at, published_at) \
         WITH RECURSIVE s(i) AS (SELECT $1 UNION ALL SELECT i + 1 FROM s WHERE i < $2), \
         t(i, at) AS (SELECT i, strftime('%Y-%m-%dT%H:%M:%S+00:00', '2024-12-31 16:00:00', \
           '+' || (i * 7919 % 1095) || ' days', '+' || (i % 86400) || ' seconds') FROM s) \
         SELECT $4, '基准岗位', '基准岗位说明', '2', '软件工程技术人员', 'I', 'cyber_security_big_data', i % 3 = 0, \
         i % 9 + 1, 'bachelor', 'fresh', 6000, 9000, u.code, '李女士', e.contact_phone_enc, '2025-01-01', '2027-12-31', \
         u.code, 'published', 0, 'low', '[]', $3, at, at, at, $3, at, at \
         FROM t JOIN bench_units u ON u.n = i % $5 CROSS JOIN (SELECT contact_phone_enc FROM employers WHERE id = $4) e",
    events: "INSERT INTO recruitment_events (kind, title, organiser, held_on, online, place, attendance, intentions, note, \
         created_by, created_at) \
         WITH RECURSIVE s(i) AS (SELECT $1 UNION ALL SELECT i + 1 FROM s WHERE i < $2) \
         SELECT CASE i % 4 WHEN 0 THEN 'campus_fair' WHEN 1 THEN 'other_fair' WHEN 2 THEN 'community' ELSE 'out_of_city' END, \
         '基准活动', u.code, date('2025-01-01', '+' || (i * 7919 % 1095) || ' days'), FALSE, '基准地点', 100, 10, '', $3, \
         '2025-01-01T00:00:00+00:00' FROM s JOIN bench_units u ON u.n = i % $5 WHERE $4 = $4",
};

const POSTGRES_FILL: FillSql = FillSql {
    records: "INSERT INTO progress_records (indicator_code, unit_code, value, occurred_on, description, created_by, \
         created_at, voided_at, voided_by, void_reason) \
         SELECT p.indicator_code, p.unit_code, (i * 37 % 500 + 1) * 100, DATE '2025-01-01' + CAST(i * 7919 % 1095 AS INTEGER), \
         '基准', $3, TIMESTAMPTZ '2025-01-01 00:00:00+00', \
         CASE WHEN i % 50 = 0 THEN TIMESTAMPTZ '2025-06-01 00:00:00+00' END, \
         CASE WHEN i % 50 = 0 THEN CAST($3 AS BIGINT) END, CASE WHEN i % 50 = 0 THEN '基准作废' END \
         FROM generate_series(CAST($1 AS BIGINT), CAST($2 AS BIGINT)) s(i) JOIN bench_pairs p ON p.n = i % $5 \
         WHERE CAST($4 AS BIGINT) IS NOT NULL",
    posts: "INSERT INTO job_posts (employer_id, title, description, occupation_group, occupation, industry_section, \
         leading_industry, emerging, positions, education, experience, salary_min, salary_max, street_code, contact_name, \
         contact_phone_enc, valid_from, valid_until, raised_by, status, risk_score, risk_level, risk_reasons, created_by, \
         created_at, updated_at, submitted_at, reviewed_by, reviewed_at, published_at) \
         SELECT $4, '基准岗位', '基准岗位说明', '2', '软件工程技术人员', 'I', 'cyber_security_big_data', i % 3 = 0, \
         i % 9 + 1, 'bachelor', 'fresh', 6000, 9000, u.code, '李女士', e.contact_phone_enc, DATE '2025-01-01', \
         DATE '2027-12-31', u.code, 'published', 0, 'low', '[]', $3, at, at, at, $3, at, at \
         FROM (SELECT i, TIMESTAMPTZ '2024-12-31 16:00:00+00' + (i * 7919 % 1095) * INTERVAL '1 day' \
           + (i % 86400) * INTERVAL '1 second' AS at \
           FROM generate_series(CAST($1 AS BIGINT), CAST($2 AS BIGINT)) s(i)) t \
         JOIN bench_units u ON u.n = i % $5 CROSS JOIN (SELECT contact_phone_enc FROM employers WHERE id = $4) e",
    events: "INSERT INTO recruitment_events (kind, title, organiser, held_on, online, place, attendance, intentions, note, \
         created_by, created_at) \
         SELECT CASE i % 4 WHEN 0 THEN 'campus_fair' WHEN 1 THEN 'other_fair' WHEN 2 THEN 'community' ELSE 'out_of_city' END, \
         '基准活动', u.code, DATE '2025-01-01' + CAST(i * 7919 % 1095 AS INTEGER), FALSE, '基准地点', 100, 10, '', $3, \
         TIMESTAMPTZ '2025-01-01 00:00:00+00' \
         FROM generate_series(CAST($1 AS BIGINT), CAST($2 AS BIGINT)) s(i) JOIN bench_units u ON u.n = i % $5 \
         WHERE CAST($4 AS BIGINT) IS NOT NULL",
};

const RAW_RECORDS: &str = "SELECT indicator_code, unit_code, CAST(SUM(value) AS BIGINT), COUNT(*) FROM progress_records \
     WHERE voided_at IS NULL AND occurred_on >= $1 AND occurred_on <= $2 GROUP BY indicator_code, unit_code";
const RAW_POSTS: &str = "SELECT raised_by, CAST(SUM(positions) AS BIGINT), \
     CAST(SUM(CASE WHEN emerging THEN positions ELSE 0 END) AS BIGINT), COUNT(*) FROM job_posts \
     WHERE published_at IS NOT NULL AND published_at >= $1 AND published_at < $2 GROUP BY raised_by";
const RAW_EVENTS: &str = "SELECT kind, organiser, COUNT(*) FROM recruitment_events \
     WHERE held_on >= $1 AND held_on <= $2 GROUP BY kind, organiser";

/// Expands `$body` with `$pool` a pool on `url`, SQLite or PostgreSQL, and `$fill` its SQL.
macro_rules! on_url {
    ($url:expr, $pool:ident, $fill:ident => $body:expr) => {
        if $url.starts_with("postgres") {
            let $pool = sqlx::PgPool::connect($url).await?;
            let $fill = &POSTGRES_FILL;
            $body
        } else {
            let $pool = sqlx::SqlitePool::connect($url).await?;
            let $fill = &SQLITE_FILL;
            $body
        }
    };
}

/// Fills `size` figures: 80 % records over every manual indicator × recording unit, 15 %
/// published posts and 5 % events over every unit.
async fn fill(url: &str, plan: &Plan, size: u64, user: i64, employer: i64) -> anyhow::Result<()> {
    let pairs: Vec<(String, String)> = plan
        .indicators()
        .filter(|(_, i)| i.registry.is_none())
        .flat_map(|(t, i)| {
            i.recording_units(t)
                .into_iter()
                .map(|u| (i.code.clone(), u.to_owned()))
        })
        .collect();
    let units: Vec<String> = plan.units.iter().map(|u| u.code.clone()).collect();
    on_url!(url, pool, sql => {
        sqlx::raw_sql("CREATE TABLE bench_pairs (n BIGINT PRIMARY KEY, indicator_code TEXT NOT NULL, unit_code TEXT NOT NULL); \
                       CREATE TABLE bench_units (n BIGINT PRIMARY KEY, code TEXT NOT NULL)")
            .execute(&pool).await?;
        for (n, (indicator, unit)) in pairs.iter().enumerate() {
            sqlx::query("INSERT INTO bench_pairs (n, indicator_code, unit_code) VALUES ($1, $2, $3)")
                .bind(n as i64).bind(indicator).bind(unit).execute(&pool).await?;
        }
        for (n, unit) in units.iter().enumerate() {
            sqlx::query("INSERT INTO bench_units (n, code) VALUES ($1, $2)")
                .bind(n as i64).bind(unit).execute(&pool).await?;
        }
        let shares = [(sql.records, size * 80 / 100, pairs.len()), (sql.posts, size * 15 / 100, units.len()), (sql.events, size * 5 / 100, units.len())];
        for (statement, rows, cycle) in shares {
            let mut start = 1_u64;
            while start <= rows {
                let end = (start + 999_999).min(rows);
                sqlx::query(statement)
                    .bind(start as i64).bind(end as i64).bind(user).bind(employer).bind(cycle as i64)
                    .execute(&pool).await?;
                start = end + 1;
            }
        }
        sqlx::raw_sql("DROP TABLE bench_pairs; DROP TABLE bench_units; ANALYZE").execute(&pool).await?;
        pool.close().await;
    });
    Ok(())
}

/// The plain `GROUP BY`s over the raw rows that answer the year's figures.
/// Timed from the first query to the last answer (the connection is made before).
async fn raw_group_by(
    url: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> anyhow::Result<(Counted, Duration)> {
    let (start, end) = (
        linkong_store::figures::start_of(from),
        linkong_store::figures::start_of(to + chrono::Duration::days(1)),
    );
    let mut counted = Counted::default();
    let took;
    on_url!(url, pool, _sql => {
        let started = Instant::now();
        let records: Vec<(String, String, i64, i64)> = sqlx::query_as(RAW_RECORDS).bind(from).bind(to).fetch_all(&pool).await?;
        let posts: Vec<(String, i64, i64, i64)> = sqlx::query_as(RAW_POSTS).bind(start).bind(end).fetch_all(&pool).await?;
        let events: Vec<(String, String, i64)> = sqlx::query_as(RAW_EVENTS).bind(from).bind(to).fetch_all(&pool).await?;
        took = started.elapsed();
        pool.close().await;
        counted.records = records.into_iter().map(|(i, u, s, c)| ((i, u), (s, c))).collect();
        counted.posts = posts.into_iter().map(|(u, p, e, c)| (u, (p, e, c))).collect();
        counted.events = events.into_iter().map(|(k, u, c)| ((k, u), c)).collect();
    });
    Ok((counted, took))
}
