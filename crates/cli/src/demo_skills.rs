//! Demo skills training (2.4.4): each plan year so far, 区人社局's vocational classes (电工, 中式
//! 面点师) for demo returnees of every street and a 高素质农民 class in a few streets for their
//! own, most trainees certified, so that 2.4.4's row on the dashboard has a figure.

use chrono::{Duration, NaiveDate};
use linkong_core::plan::Plan;
use linkong_core::skills::ClassDraft;
use linkong_core::time::local_date;
use linkong_store::Store;
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

use crate::demo_returnees::{on, staff_of};

/// (title, certificate) of 区人社局's classes.
const VOCATIONAL: [(&str, &str); 2] = [
    ("电工职业技能培训班", "低压电工作业证"),
    ("中式面点师培训班", "中式面点师（五级）"),
];

/// Fills the classes of every plan year up to today for the `migrants` demo out-migrants.
pub async fn fill(store: &Store, plan: &Plan, seed: u64, migrants: usize) -> anyhow::Result<()> {
    let today = local_date(store.now());
    let mut rng = StdRng::seed_from_u64(seed ^ 0x2440);
    let people: Vec<(String, String)> = linkong_demo::migrant_rows(seed, None)
        .take(migrants)
        .map(|row| (row[1].clone(), row[3].clone()))
        .collect();
    if people.is_empty() {
        return Ok(());
    }
    let rsj = staff_of(store, plan, "rsj").await?;
    for year in plan.years() {
        let Some(start) = NaiveDate::from_ymd_opt(year, 4, 1).filter(|d| *d < today) else {
            continue;
        };
        for (n, (title, certificate)) in VOCATIONAL.iter().enumerate() {
            let starts = start + Duration::days(60 * n as i64 + rng.random_range(0..20));
            let ends = starts + Duration::days(rng.random_range(4..10));
            if ends >= today {
                continue;
            }
            let count = rng.random_range(12..=20).min(people.len());
            let first = rng.random_range(0..people.len() - count + 1);
            let lines: Vec<String> = people[first..first + count]
                .iter()
                .map(|(id, _)| match rng.random_range(0..10) {
                    0..=6 => format!("{id} 是 {certificate}"),
                    _ => format!("{id} 否"),
                })
                .collect();
            let draft = class(
                "vocational",
                &format!("{year}年{title}"),
                starts,
                ends,
                &lines,
            );
            on(store, ends)
                .record_skills_class(plan, &rsj, &draft, "demo")
                .await?;
        }
        for (code, name) in linkong_demo::STREETS.iter().take(3) {
            let own: Vec<String> = people
                .iter()
                .filter(|(_, street)| street == name)
                .take(10)
                .map(|(id, _)| format!("{id} 是 新型职业农民培训合格证"))
                .collect();
            let starts = start + Duration::days(rng.random_range(30..90));
            let ends = starts + Duration::days(2);
            if own.is_empty() || ends >= today {
                continue;
            }
            let staff = staff_of(store, plan, code).await?;
            let title = format!("{year}年{name}高素质农民培训班");
            let draft = class("farmers", &title, starts, ends, &own);
            on(store, ends)
                .record_skills_class(plan, &staff, &draft, "demo")
                .await?;
        }
    }
    Ok(())
}

fn class(
    kind: &str,
    title: &str,
    starts: NaiveDate,
    ends: NaiveDate,
    lines: &[String],
) -> ClassDraft {
    ClassDraft {
        kind: kind.into(),
        title: title.into(),
        starts_on: starts.to_string(),
        ends_on: ends.to_string(),
        trainees: lines.join("\n"),
    }
}
