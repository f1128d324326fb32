//! `linkong demo`: plausible, deterministic progress for every unit, so that a newcomer sees a
//! living dashboard. The same seed and end date give the same records.

use anyhow::Context;
use chrono::{Datelike, NaiveDate};
use linkong_core::access::{Actor, Role};
use linkong_core::password::NewPassword;
use linkong_core::plan::{Aggregation, Indicator, Period, Plan, Unit};
use linkong_core::quantity::{Quantity, measure_is_whole};
use linkong_core::record::RecordDraft;
use linkong_core::time::local_date;
use linkong_store::Store;
use linkong_store::users::NewUser;
use std::process::ExitCode;
use std::sync::Arc;

use linkong_core::calendar::WorkCalendar;
use linkong_core::reporting::Narrative;
use linkong_core::reporting::ReportPeriod;
use linkong_core::reporting::{Review, Save};
use rand::rngs::StdRng;

use crate::place::{Place, effective_calendar, open};
use rand::{RngExt, SeedableRng};

/// Every demo account's password. Demo data only: never use a demo directory in production.
pub const DEMO_PASSWORD: &str = "Demo#2025";

/// The demo account of a unit: its code and "01" (jinghe01, rsj01).
fn demo_username(unit_code: &str) -> String {
    format!("{unit_code}01")
}

pub async fn ensure_user(
    store: &Store,
    username: &str,
    name: &str,
    role: Role,
    unit: Option<&str>,
) -> anyhow::Result<linkong_store::users::User> {
    if let Some(user) = store.user_by_name(username).await? {
        return Ok(user);
    }
    let new = NewUser {
        username: username.into(),
        display_name: name.into(),
        role,
        unit_code: unit.map(str::to_owned),
        password: NewPassword::parse(DEMO_PASSWORD, username)?,
        must_change_password: false,
    };
    Ok(store.create_user(None, new, "demo").await?)
}

fn description(indicator: &Indicator, month: u32) -> String {
    let name = &indicator.name;
    match indicator.measure.as_str() {
        "场" => format!("{month}月组织开展{name}，邀请辖区企业和求职者参加"),
        "人次" | "人" | "名" => format!("{month}月组织开展{name}，参与人员已登记造册"),
        "万元" => format!("{month}月经办机构新增发放创业担保贷款"),
        "%" => format!("截至{month}月底统计：{name}"),
        "家" => format!("{month}月完成{name}申报推荐"),
        _ => format!("{month}月走访辖区企业，收集{name}"),
    }
}

/// Splits `total` hundredths into at most `parts` pieces (whole units where the measure is whole).
fn split(rng: &mut StdRng, total: i64, parts: usize, whole: bool) -> Vec<i64> {
    let step = if whole { 100 } else { 1 };
    let units = total / step;
    if units <= 0 {
        return Vec::new();
    }
    let parts = parts.clamp(1, units as usize);
    let weights: Vec<f64> = (0..parts).map(|_| rng.random_range(0.5..1.5)).collect();
    let sum: f64 = weights.iter().sum();
    let mut pieces: Vec<i64> = weights
        .iter()
        .map(|w| ((units as f64) * w / sum).floor() as i64)
        .collect();
    let short = units - pieces.iter().sum::<i64>();
    for i in 0..short as usize {
        pieces[i % parts] += 1;
    }
    pieces
        .into_iter()
        .filter(|p| *p > 0)
        .map(|p| p * step)
        .collect()
}

/// `linkong demo`: job posts and events first (the report history freezes the figures they
/// fill), then the rosters, returnee businesses and the project library, the expert pool and
/// the service window, the promotion events inviting from the rosters, the start-up carriers,
/// the selection rounds and the showcase cases, then progress records and the report history.
pub async fn run(
    place: &Place,
    seed: u64,
    until: Option<NaiveDate>,
    jobs: usize,
    migrants: usize,
    graduates: usize,
) -> anyhow::Result<ExitCode> {
    let (store, plan) = open(place).await?;
    let calendar = effective_calendar(place, &store).await?;
    ensure_fresh(&store).await?;
    crate::demo_jobs::fill(&store, &plan, seed, jobs).await?;
    let rosters = place.data_dir.join("demo");
    crate::demo_people::fill(&store, &plan, seed, migrants, graduates, &rosters).await?;
    crate::demo_returnees::fill(&store, &plan, seed, migrants).await?;
    crate::demo_failure::fill(&store, &plan, seed, migrants).await?;
    crate::demo_support::fill(&store, &plan, seed, migrants).await?;
    crate::demo_promotion::fill(&store, &plan, seed).await?;
    crate::demo_carriers::fill(&store, &plan, seed).await?;
    crate::demo_showcase::fill(&store, &plan, seed).await?;
    crate::demo_contest::fill(&store, &plan, seed).await?;
    crate::demo_mentoring::fill(&store, &plan, seed).await?;
    crate::demo_loans::fill(&store, &plan, seed, migrants).await?;
    crate::demo_campus::fill(&store, &plan, seed).await?;
    crate::demo_visits::fill(&store, &plan, seed).await?;
    crate::demo_policies::fill(&store, &plan).await?;
    crate::demo_insurance::fill(&store).await?;
    crate::demo_subsidies::fill(&store, &calendar).await?;
    crate::demo_market_order::fill(&store, &plan, seed).await?;
    crate::demo_skills::fill(&store, &plan, seed, migrants).await?;
    crate::demo_titles::fill(&store, &plan, seed, migrants).await?;
    crate::demo_traineeships::fill(&store, &plan, seed).await?;
    crate::demo_pushes::fill(&store, &plan, seed).await?;
    crate::demo_gigs::fill(&store, &plan, seed).await?;
    fill(&store, &plan, &calendar, seed, until).await?;
    // The push lists read the last matching run: the demo's district has one.
    let weights = linkong_core::matching::Weights::parse(linkong_core::matching::WEIGHTS_FILE)
        .map_err(anyhow::Error::msg)?;
    linkong_app::match_batch::run(&store, &plan, &weights, None, 10, "demo").await?;
    Ok(ExitCode::SUCCESS)
}

/// Demo accounts share a published password: never mix them into a real database.
pub async fn ensure_fresh(store: &Store) -> anyhow::Result<()> {
    if store.user_count().await? > 0 {
        anyhow::bail!(
            "该数据目录已有账户或数据：演示数据只能写入新的数据目录，请用 --data-dir 指定一个新目录（如 --data-dir demo）"
        );
    }
    Ok(())
}

pub async fn fill(
    store: &Store,
    plan: &Plan,
    calendar: &WorkCalendar,
    seed: u64,
    until: Option<NaiveDate>,
) -> anyhow::Result<()> {
    let today = local_date(store.now());
    let until = until.unwrap_or(today);
    if until > today {
        return Err(anyhow::anyhow!(
            "--until {until} 晚于今天，进度记录不能填写未来日期"
        ));
    }
    let mut rng = StdRng::seed_from_u64(seed);
    ensure_user(store, "admin", "系统管理员", Role::Admin, None).await?;
    ensure_user(store, "taskforce", "工作专班", Role::TaskForce, None).await?;

    // Each unit works at its own pace: some ahead, some lagging.
    let pace: Vec<(String, f64)> = plan
        .units
        .iter()
        .map(|u| (u.code.clone(), rng.random_range(0.55..1.15)))
        .collect();
    let pace_of = |code: &str| {
        pace.iter()
            .find(|(c, _)| c == code)
            .map_or(1.0, |(_, p)| *p)
    };

    let mut created = 0usize;
    // Registry-filled indicators (1.1.1 positions, the fairs, …) are counted from the demo job
    // posts and events; a manual record for them would be refused.
    for (task, indicator) in plan.indicators().filter(|(_, i)| i.registry.is_none()) {
        let units: Vec<&str> = if indicator.quotas.is_empty() {
            task.lead_units.iter().take(1).map(String::as_str).collect()
        } else {
            indicator.quotas.iter().map(|q| q.unit.as_str()).collect()
        };
        for unit_code in units {
            let Some(unit) = plan.unit(unit_code) else {
                continue;
            };
            let staff = ensure_user(
                store,
                &demo_username(unit_code),
                &format!("{}填报员", unit.name),
                Role::UnitStaff,
                Some(unit_code),
            )
            .await?;
            let pace = pace_of(unit_code);
            let drafts = unit_drafts(plan, indicator, unit_code, pace, until, &mut rng);
            created +=
                add_records(store, plan, &staff.actor(), indicator, unit_code, drafts).await?;
        }
    }
    let reports = fill_reports(store, plan, calendar, &mut rng, until).await?;
    println!(
        "演示数据已生成：{created} 条进度记录、{reports} 份报告（截至 {until}，随机种子 {seed}）。"
    );
    println!(
        "演示账户（密码均为 {DEMO_PASSWORD}）：admin（系统管理员）、taskforce（工作专班）、各单位代码加 01（如 jinghe01 径河街道填报员、rsj01 区人社局填报员）。"
    );
    Ok(())
}

/// A unit's records of an indicator (value, date, description) for each year up to `until`.
fn unit_drafts(
    plan: &Plan,
    indicator: &Indicator,
    unit_code: &str,
    pace: f64,
    until: NaiveDate,
    rng: &mut StdRng,
) -> Vec<(i64, NaiveDate, String)> {
    // An activity indicator has no target: the demo paces it as if ten a year were asked.
    let target = linkong_core::record::unit_target(indicator, unit_code)
        .or(indicator.target)
        .unwrap_or(10_00);
    let mut drafts = Vec::new();
    for year in plan.info.first_year..=until.year().min(plan.info.last_year) {
        let year_end = NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(until);
        let last = until.min(year_end);
        let months = last.month();
        match indicator.aggregation {
            Aggregation::Latest => {
                for month in (3..=months).step_by(3) {
                    let value = ((target as f64) * rng.random_range(0.9..1.06))
                        .min(100_00.0)
                        .round() as i64;
                    let day = NaiveDate::from_ymd_opt(year, month, 28).unwrap_or(last);
                    drafts.push((value, day.min(last), description(indicator, month)));
                }
            }
            Aggregation::Sum => {
                let (elapsed, share) = match indicator.period {
                    Period::Year => (f64::from(last.ordinal()) / 365.0, 1.0),
                    // A whole-plan target is spread over the plan's years.
                    Period::Plan => (
                        f64::from(last.ordinal()) / 365.0,
                        1.0 / plan.years().count() as f64,
                    ),
                };
                let total = ((target as f64)
                    * pace
                    * elapsed.min(1.0)
                    * share
                    * rng.random_range(0.9..1.1))
                .round() as i64;
                let whole = measure_is_whole(&indicator.measure);
                for value in split(rng, total, months as usize, whole) {
                    let month = rng.random_range(1..=months);
                    let day = rng.random_range(1..=28);
                    let date = NaiveDate::from_ymd_opt(year, month, day)
                        .unwrap_or(last)
                        .min(last);
                    drafts.push((value, date, description(indicator, month)));
                }
            }
        }
    }
    drafts
}

/// Records the drafts through the store, as the unit's staff would; returns how many.
async fn add_records(
    store: &Store,
    plan: &Plan,
    actor: &Actor,
    indicator: &Indicator,
    unit_code: &str,
    drafts: Vec<(i64, NaiveDate, String)>,
) -> anyhow::Result<usize> {
    let mut created = 0;
    for (value, date, text) in drafts {
        let draft = RecordDraft {
            indicator_code: indicator.code.clone(),
            unit_code: unit_code.to_owned(),
            value: Quantity::from_hundredths(value).to_string(),
            occurred_on: date.to_string(),
            description: text,
        };
        store
            .add_record(actor, plan, &draft, None, None, "demo")
            .await
            .with_context(|| format!("{}/{unit_code}", indicator.code))?;
        created += 1;
    }
    Ok(created)
}

/// Reports as units really send them: most on time, some a few days late, some never; the task
/// force accepts most. Each is written with the clock set to the day it was sent.
async fn fill_reports(
    store: &Store,
    plan: &Plan,
    calendar: &WorkCalendar,
    rng: &mut StdRng,
    until: NaiveDate,
) -> anyhow::Result<usize> {
    let task_force = store
        .user_by_name("taskforce")
        .await?
        .context("缺少 taskforce 账户")?
        .actor();
    let mut count = 0;
    for year in plan.years() {
        for period in ReportPeriod::of_year(year) {
            let due = period.due(plan, calendar);
            if due >= until {
                continue;
            }
            for unit in &plan.units {
                let Some(sent) = sent_on(period, due, until, rng) else {
                    continue;
                };
                let at = sent
                    .and_hms_opt(2, 0, 0)
                    .map(|t| t.and_utc())
                    .context("无效时间")?;
                let actor = unit_staff(store, unit).await?;
                let then = store.with_clock(Arc::new(move || at));
                then.save_report(
                    &actor,
                    plan,
                    calendar,
                    &unit.code,
                    period,
                    &demo_narrative(period, unit),
                    Save::Submit,
                    "demo",
                )
                .await?;
                count += 1;
                if rng.random_range(0.0..1.0) < 0.8 {
                    let reviewed = at + chrono::Duration::days(2);
                    let later = store.with_clock(Arc::new(move || reviewed));
                    later
                        .review_report(&task_force, &unit.code, period, Review::Accept, "", "demo")
                        .await?;
                }
            }
        }
    }
    Ok(count)
}

/// The day a unit sends a report: 70% up to three days before the deadline, 15% up to six days
/// after it, 15% never (`None`).
fn sent_on(
    period: ReportPeriod,
    due: NaiveDate,
    until: NaiveDate,
    rng: &mut StdRng,
) -> Option<NaiveDate> {
    let roll: f64 = rng.random_range(0.0..1.0);
    let sent = if roll < 0.70 {
        due - chrono::Duration::days(rng.random_range(0..4))
    } else if roll < 0.85 {
        due + chrono::Duration::days(rng.random_range(1..7))
    } else {
        return None;
    };
    // A quarter is reported after it ends; the annual report before its 5 December deadline.
    let earliest = match period {
        ReportPeriod::Quarter { .. } => period.range().1 + chrono::Duration::days(1),
        ReportPeriod::Annual { .. } => due - chrono::Duration::days(10),
    };
    Some(sent.max(earliest).min(until))
}

/// The unit's demo staff account, made if it is not there yet.
async fn unit_staff(store: &Store, unit: &Unit) -> anyhow::Result<Actor> {
    let staff = store.user_by_name(&demo_username(&unit.code)).await?;
    Ok(match staff {
        Some(user) => user.actor(),
        None => ensure_user(
            store,
            &demo_username(&unit.code),
            &format!("{}填报员", unit.name),
            Role::UnitStaff,
            Some(&unit.code),
        )
        .await?
        .actor(),
    })
}

fn demo_narrative(period: ReportPeriod, unit: &Unit) -> Narrative {
    Narrative {
        progress: format!(
            "{}，{}按照行动方案分工推进各项任务，按时统计填报相关数据。",
            period.label(),
            unit.name
        ),
        practices: "建立台账、定期调度，主要负责同志亲自部署。".into(),
        problems: "部分工作受季节因素影响，进度不均衡。".into(),
        next_steps: "对照序时进度查漏补缺，确保完成年度目标。".into(),
    }
}
