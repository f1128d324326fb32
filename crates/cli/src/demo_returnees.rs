//! Demo returnee businesses and the project library (issue 13): businesses opened by demo
//! returnees who wanted to start one, registered by their street's staff with employment
//! snapshots and a few suspended or closed; the projects each collecting unit of task 2.1.2
//! entered, screened in or dropped and published by 区人社局 on the days they happened (so that
//! 2.1.2's dashboard row has figures through the year), and some adopted by the businesses.

use std::sync::Arc;

use chrono::{Duration, NaiveDate};
use linkong_core::access::{Actor, Role};
use linkong_core::businesses::BusinessDraft;
use linkong_core::plan::Plan;
use linkong_core::projects::{ProjectDraft, ProjectStep, source_units};
use linkong_core::time::local_date;
use linkong_store::Store;
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

use crate::demo::ensure_user;

/// Why demo projects are not taken into the library.
const DROP_REASONS: [&str; 3] = [
    "与已入库项目重复",
    "投资规模过大，不适合返乡创业起步",
    "市场前景论证不充分，请补充后重新报送",
];

/// The same database, its clock at 10:00 of `day` in Wuhan: the demo writes history with it.
pub(crate) fn on(store: &Store, day: NaiveDate) -> Store {
    let at = day.and_hms_opt(2, 0, 0).unwrap_or_default().and_utc();
    store.with_clock(Arc::new(move || at))
}

/// A unit's demo account, made if missing.
pub(crate) async fn staff_of(store: &Store, plan: &Plan, unit: &str) -> anyhow::Result<Actor> {
    let name = plan.unit(unit).map_or(unit, |u| u.name.as_str());
    Ok(ensure_user(
        store,
        &format!("{unit}01"),
        &format!("{name}填报员"),
        Role::UnitStaff,
        Some(unit),
    )
    .await?
    .actor())
}

/// A business the demo registered: its id, its street's staff, and whether it still trades.
struct Opened {
    id: i64,
    staff: Actor,
    open: bool,
}

/// Fills businesses and projects for the `migrants` demo out-migrants of `seed`.
pub async fn fill(store: &Store, plan: &Plan, seed: u64, migrants: usize) -> anyhow::Result<()> {
    let today = local_date(store.now());
    let Some(start) = NaiveDate::from_ymd_opt(2025, 3, 1).filter(|d| *d < today) else {
        return Ok(());
    };
    let mut rng = StdRng::seed_from_u64(seed ^ 0x2120);
    let opened = businesses(store, plan, &mut rng, (seed, migrants), (start, today)).await?;
    let published = projects(store, plan, &mut rng, today).await?;
    let trading: Vec<&Opened> = opened.iter().filter(|b| b.open).collect();
    let mut adopted = 0;
    for project in &published {
        if trading.is_empty() {
            break;
        }
        let business = trading[rng.random_range(0..trading.len())];
        if rng.random_bool(0.5) {
            let id = project.to_string();
            store
                .adopt_project(plan, &business.staff, business.id, &id, "demo")
                .await?;
            adopted += 1;
        }
    }
    println!(
        "返区创业演示数据：{} 个创业主体，{} 个项目已在门户发布，其中 {adopted} 个已被采用。",
        opened.len(),
        published.len()
    );
    Ok(())
}

/// Up to two businesses per street, opened by its returnees who wanted to start one.
async fn businesses(
    store: &Store,
    plan: &Plan,
    rng: &mut StdRng,
    (seed, migrants): (u64, usize),
    (start, today): (NaiveDate, NaiveDate),
) -> anyhow::Result<Vec<Opened>> {
    let founders: Vec<Vec<String>> = linkong_demo::migrant_rows(seed, None)
        .take(migrants)
        .filter(|row| row[12] == "返区创业")
        .collect();
    let span = (today - start).num_days().max(1);
    let mut opened = Vec::new();
    for (code, name) in linkong_demo::STREETS {
        let staff = staff_of(store, plan, code).await?;
        for row in founders.iter().filter(|r| r[3] == name).take(2) {
            let venture = linkong_demo::venture_for(&row[13]);
            let licensed_on = start + Duration::days(rng.random_range(0..span));
            let draft = BusinessDraft {
                name: format!("{}{}", name.trim_end_matches("街道"), venture.trade),
                uscc: linkong_demo::business_uscc(rng, venture.legal_form),
                licensed_on: licensed_on.to_string(),
                legal_form: venture.legal_form.into(),
                section: venture.section.into(),
                forms: venture.forms.iter().map(|f| f.to_string()).collect(),
                street: code.into(),
                site: venture.site.into(),
                founders: row[1].clone(),
                keep_founders: false,
            };
            let id = store
                .save_business(plan, &staff, None, &draft, "demo")
                .await?;
            let open = run_business(store, plan, rng, (id, &staff), (licensed_on, today)).await?;
            opened.push(Opened {
                id,
                staff: staff.clone(),
                open,
            });
        }
    }
    Ok(opened)
}

/// A business's employment snapshots every quarter or so, and for a few of them a suspension
/// or a closure; whether it still trades.
async fn run_business(
    store: &Store,
    plan: &Plan,
    rng: &mut StdRng,
    (id, staff): (i64, &Actor),
    (licensed_on, today): (NaiveDate, NaiveDate),
) -> anyhow::Result<bool> {
    let mut headcount: i64 = rng.random_range(1..=4);
    let mut day = licensed_on + Duration::days(rng.random_range(20..60));
    while day <= today {
        let insured = rng.random_range(0..=headcount).max(headcount / 2);
        let counted = (day.to_string(), headcount.to_string(), insured.to_string());
        store
            .record_employment(
                plan,
                staff,
                id,
                (&counted.0, &counted.1, &counted.2),
                "demo",
            )
            .await?;
        headcount += rng.random_range(0..=3);
        day += Duration::days(rng.random_range(80..110));
    }
    let ending = rng.random_range(0..100);
    let Some(changed_on) = Some(licensed_on + Duration::days(rng.random_range(60..240)))
        .filter(|d| *d <= today && ending < 15)
    else {
        return Ok(true);
    };
    let (status, reason) = if ending < 5 {
        ("closed", "经营不善，资金链断裂")
    } else {
        ("suspended", "")
    };
    let change = (status, changed_on.to_string(), reason);
    store
        .change_business_status(plan, staff, id, (change.0, &change.1, change.2), "demo")
        .await?;
    Ok(status != "closed")
}

/// Each collecting unit's projects of every plan year so far, as many as its quota (区人社局
/// two): collected, then most screened in and many of those published, some dropped, some
/// still waiting. The published ones' ids.
async fn projects(
    store: &Store,
    plan: &Plan,
    rng: &mut StdRng,
    today: NaiveDate,
) -> anyhow::Result<Vec<i64>> {
    let rsj = staff_of(store, plan, "rsj").await?;
    let quota = |unit: &str| {
        plan.indicators()
            .filter(|(t, _)| t.code == linkong_core::projects::TASK)
            .flat_map(|(_, i)| i.quotas.iter())
            .find(|q| q.unit == unit)
            .map_or(2, |q| (q.target / 100) as usize)
    };
    let mut published = Vec::new();
    for year in plan.years() {
        let Some(start) = NaiveDate::from_ymd_opt(year, 3, 1).filter(|d| *d < today) else {
            continue;
        };
        let end = today.min(NaiveDate::from_ymd_opt(year, 11, 30).unwrap_or(today));
        let span = (end - start).num_days().max(1);
        for unit in source_units(plan) {
            let staff = staff_of(store, plan, unit).await?;
            let ideas = linkong_demo::project_ideas(unit);
            for n in 0..quota(unit) {
                let idea = ideas[(n + year as usize) % ideas.len()];
                let collected = start + Duration::days(rng.random_range(0..span));
                let id = on(store, collected)
                    .save_project(plan, &staff, None, &project_draft(idea, year), "demo")
                    .await?;
                if let Some(public) = screen(store, plan, rng, &rsj, id, (collected, today)).await?
                {
                    published.push(public);
                }
            }
        }
    }
    Ok(published)
}

fn project_draft(idea: &linkong_demo::ProjectIdea, year: i32) -> ProjectDraft {
    ProjectDraft {
        name: if year == 2025 {
            idea.name.to_owned()
        } else {
            format!("{}（{year}年）", idea.name)
        },
        section: idea.section.into(),
        investment_min: idea.investment.0.to_string(),
        investment_max: idea.investment.1.to_string(),
        expected_jobs: idea.jobs.to_string(),
        outlook: idea.outlook.into(),
        site_needs: idea.site_needs.into(),
        policies: "一次性创业补贴；创业担保贷款；返乡创业园场租减免".into(),
        source_unit: idea.unit.into(),
        agricultural: idea.agricultural,
    }
}

/// 区人社局 screens a collected project a few days to a month later (if that day has come):
/// most in, some dropped; screened-in ones are mostly published within weeks. The id if
/// published.
async fn screen(
    store: &Store,
    plan: &Plan,
    rng: &mut StdRng,
    rsj: &Actor,
    id: i64,
    (collected, today): (NaiveDate, NaiveDate),
) -> anyhow::Result<Option<i64>> {
    let screened = collected + Duration::days(rng.random_range(3..30));
    let outcome = rng.random_range(0..100);
    if screened > today || outcome < 12 {
        return Ok(None);
    }
    if outcome < 27 {
        let reason = DROP_REASONS[rng.random_range(0..DROP_REASONS.len())];
        let drop = ProjectStep::Drop {
            reason: reason.into(),
        };
        on(store, screened)
            .move_project(plan, rsj, id, &drop, "demo")
            .await?;
        return Ok(None);
    }
    on(store, screened)
        .move_project(plan, rsj, id, &ProjectStep::ScreenIn, "demo")
        .await?;
    let publish = screened + Duration::days(rng.random_range(2..20));
    if publish > today || outcome > 80 {
        return Ok(None);
    }
    on(store, publish)
        .move_project(plan, rsj, id, &ProjectStep::Publish, "demo")
        .await?;
    Ok(Some(id))
}
