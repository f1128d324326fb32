//! Demo rosters of people, written as roster files and imported the way staff import them:
//! out-migrants of every street, and the 2025 and 2026 unplaced graduates with their 1131
//! services and placements (most 2025 graduates placed, the 2026 roster under way).

use anyhow::Context;
use std::io::Write;
use std::path::Path;
use std::sync::Arc;

use chrono::{Datelike, Duration, NaiveDate};
use linkong_core::access::{Actor, Role};
use linkong_core::people::{Placement, ServiceItem};
use linkong_core::plan::Plan;
use linkong_core::time::local_date;
use linkong_import::run::{RosterFile, import_file};
use linkong_store::Store;
use linkong_store::graduates::{GraduateEntry, GraduateFilter, PlacementDraft, ServiceDraft};
use linkong_store::people::Importer;
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

use crate::demo::ensure_user;

/// Writes rows as a csv file (UTF-8 with a BOM, as Excel saves it), quoting where needed.
pub fn write_csv(
    path: &Path,
    header: &[&str],
    rows: impl Iterator<Item = Vec<String>>,
) -> anyhow::Result<()> {
    let file =
        std::fs::File::create(path).with_context(|| format!("无法写入 {}", path.display()))?;
    let mut out = std::io::BufWriter::new(file);
    let cell = |text: &str| -> String {
        if text.contains([',', '"', '\n', '\r']) {
            format!("\"{}\"", text.replace('"', "\"\""))
        } else {
            text.to_owned()
        }
    };
    let write = |out: &mut std::io::BufWriter<std::fs::File>, cells: Vec<String>| {
        let line: Vec<String> = cells.iter().map(|c| cell(c)).collect();
        writeln!(out, "{}", line.join(","))
    };
    let io =
        |e: std::io::Error| anyhow::Error::new(e).context(format!("无法写入 {}", path.display()));
    out.write_all("\u{feff}".as_bytes()).map_err(io)?;
    write(&mut out, header.iter().map(|h| h.to_string()).collect()).map_err(io)?;
    for row in rows {
        write(&mut out, row).map_err(io)?;
    }
    out.flush().map_err(io)
}

async fn import(store: &Store, plan: &Plan, roster: RosterFile, path: &Path) -> anyhow::Result<()> {
    let importer = Importer {
        user_id: None,
        name: "demo".into(),
        unit_code: "rsj".into(),
        ip: String::new(),
        run: None,
    };
    let imported = import_file(
        roster,
        store,
        Arc::new(plan.clone()),
        &importer,
        path,
        "demo.csv",
        local_date(store.now()),
        None,
        Arc::new(|_| {}),
    )
    .await
    .map_err(|e| match e {
        linkong_import::run::Failure::Rows { problems, .. } => problems
            .iter()
            .take(5)
            .map(|p| p.to_string())
            .collect::<Vec<_>>()
            .join("；"),
        other => other.to_string(),
    })
    .map_err(anyhow::Error::msg)?;
    println!(
        "演示名册（{}）：导入 {} 行。",
        roster.roster.label(),
        imported.outcome.rows
    );
    Ok(())
}

/// Fills the rosters: `migrants` out-migrants, and `graduates` unplaced graduates for each of
/// 2025 and 2026 with services and placements by the streets' demo accounts.
pub async fn fill(
    store: &Store,
    plan: &Plan,
    seed: u64,
    migrants: usize,
    graduates: usize,
    dir: &Path,
) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("无法创建 {}", dir.display()))?;
    let path = dir.join("demo-migrants.csv");
    write_csv(
        &path,
        &linkong_demo::MIGRANT_HEADER,
        linkong_demo::migrant_rows(seed, None).take(migrants),
    )?;
    import(store, plan, linkong_import::migrants::FILE, &path).await?;
    let today = local_date(store.now());
    returnee_services(store, plan, seed, migrants, today).await?;
    let posts: Vec<i64> = store
        .published_posts_after(0, 50)
        .await?
        .iter()
        .map(|p| p.id)
        .collect();
    let mut rng = StdRng::seed_from_u64(seed ^ 0x1131);
    for year in [2025, 2026] {
        if NaiveDate::from_ymd_opt(year, 7, 1).is_none_or(|d| d > today) {
            continue;
        }
        let path = dir.join(format!("demo-graduates-{year}.csv"));
        write_csv(
            &path,
            &linkong_demo::GRADUATE_HEADER,
            // Another seed per year: other people, other IDs' sequence.
            linkong_demo::graduate_rows(seed + year as u64, year, None)
                .skip((year as usize - 2025) * graduates)
                .take(graduates),
        )?;
        import(store, plan, linkong_import::graduates::FILE, &path).await?;
        serve(store, plan, &mut rng, year, today, &posts).await?;
    }
    Ok(())
}

/// Lectures in every street, Malanhua classes by 区人社局, and the five-ones at past festivals,
/// for the out-migrants just imported.
async fn returnee_services(
    store: &Store,
    plan: &Plan,
    seed: u64,
    migrants: usize,
    today: NaiveDate,
) -> anyhow::Result<()> {
    let mut rng = StdRng::seed_from_u64(seed ^ 0x2214);
    let people: Vec<(String, String)> = linkong_demo::migrant_rows(seed, None)
        .take(migrants)
        .map(|row| (row[1].clone(), row[3].clone()))
        .collect();
    let rsj = ensure_user(
        store,
        "rsj01",
        "区人社局填报员",
        Role::UnitStaff,
        Some("rsj"),
    )
    .await?
    .actor();
    for year in [2025, 2026] {
        let start = NaiveDate::from_ymd_opt(year, 3, 1).unwrap_or(today);
        if start > today {
            continue;
        }
        let span = (today.min(NaiveDate::from_ymd_opt(year, 12, 20).unwrap_or(today)) - start)
            .num_days()
            .max(1);
        let days = (start, span, today);
        for (code, name) in linkong_demo::STREETS {
            let ids: Vec<&String> = people
                .iter()
                .filter(|(_, street)| street == name)
                .map(|(id, _)| id)
                .collect();
            if ids.is_empty() {
                continue;
            }
            street_services(store, plan, &mut rng, year, days, (code, name), &ids).await?;
        }
        malanhua_classes(store, plan, &mut rng, year, (start, span), &people, &rsj).await?;
    }
    Ok(())
}

/// A street's lectures for its returnees, and the five-ones at each festival of `year` so far.
async fn street_services(
    store: &Store,
    plan: &Plan,
    rng: &mut StdRng,
    year: i32,
    (start, span, today): (NaiveDate, i64, NaiveDate),
    (code, name): (&str, &str),
    ids: &[&String],
) -> anyhow::Result<()> {
    use linkong_store::returnees::{FiveOnesDraft, TrainingDraft};
    let staff = ensure_user(
        store,
        &format!("{code}01"),
        &format!("{name}填报员"),
        Role::UnitStaff,
        Some(code),
    )
    .await?
    .actor();
    for _ in 0..rng.random_range(1..=3) {
        let count = rng.random_range(8..=25).min(ids.len());
        let first = rng.random_range(0..ids.len() - count + 1);
        let draft = TrainingDraft {
            kind: "lecture".into(),
            title: format!("{name}返乡创业大讲堂"),
            held_on: (start + Duration::days(rng.random_range(0..span))).to_string(),
            place: format!("{name}党群服务中心"),
            speaker: "返乡创业优秀代表".into(),
            attendees: ids[first..first + count]
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join("\n"),
        };
        store.record_training(plan, &staff, &draft, "demo").await?;
    }
    for festival in ["spring", "qingming", "mid_autumn", "national"] {
        let Some(day) = match festival {
            "spring" => NaiveDate::from_ymd_opt(year, 2, 2),
            "qingming" => NaiveDate::from_ymd_opt(year, 4, 4),
            "mid_autumn" => NaiveDate::from_ymd_opt(year, 10, 6),
            _ => NaiveDate::from_ymd_opt(year, 10, 2),
        }
        .filter(|d| *d <= today) else {
            continue;
        };
        for id in ids.iter().take(rng.random_range(2..=6)) {
            let draft = FiveOnesDraft {
                id_number: (*id).clone(),
                year: year.to_string(),
                festival: festival.into(),
                items: [true, rng.random_bool(0.8), rng.random_bool(0.6), true, true],
                served_on: day.to_string(),
            };
            store.record_five_ones(plan, &staff, &draft, "demo").await?;
        }
    }
    Ok(())
}

/// 区人社局's two Malanhua classes of `year`, each of 18 returnees.
async fn malanhua_classes(
    store: &Store,
    plan: &Plan,
    rng: &mut StdRng,
    year: i32,
    (start, span): (NaiveDate, i64),
    people: &[(String, String)],
    rsj: &Actor,
) -> anyhow::Result<()> {
    use linkong_store::returnees::TrainingDraft;
    for class in 0..2 {
        let count = 18.min(people.len());
        let first = rng.random_range(0..people.len() - count + 1);
        let draft = TrainingDraft {
            kind: "malanhua".into(),
            title: format!("{year}年第{}期“马兰花”创业培训班", class + 1),
            held_on: (start + Duration::days(rng.random_range(0..span))).to_string(),
            place: "东西湖区创业孵化基地".into(),
            speaker: "马兰花创业培训讲师".into(),
            attendees: people[first..first + count]
                .iter()
                .map(|(id, _)| id.as_str())
                .collect::<Vec<_>>()
                .join("\n"),
        };
        store.record_training(plan, rsj, &draft, "demo").await?;
    }
    Ok(())
}

/// The streets' staff serve their graduates of `year` and record placements: the earlier the
/// year, the further along.
async fn serve(
    store: &Store,
    plan: &Plan,
    rng: &mut StdRng,
    year: i32,
    today: NaiveDate,
    posts: &[i64],
) -> anyhow::Result<()> {
    let task_force = ensure_user(store, "taskforce", "工作专班", Role::TaskForce, None)
        .await?
        .actor();
    let all = graduates_of_year(store, plan, &task_force, year).await?;
    let start = NaiveDate::from_ymd_opt(year, 7, 1).unwrap_or(today);
    // Within the roster's year, so that a past year's rate stands as the year ended.
    let end = today.min(NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(today));
    let span = (end - start).num_days().max(1);
    let placed_share = if year < today.year() { 0.93 } else { 0.55 };
    for graduate in all {
        let unit = graduate.street_code.clone();
        let staff = ensure_user(
            store,
            &format!("{unit}01"),
            &format!("{}填报员", unit),
            Role::UnitStaff,
            Some(&unit),
        )
        .await?
        .actor();
        let day = |rng: &mut StdRng| start + Duration::days(rng.random_range(0..span));
        let mut items = vec![ServiceItem::Policy, ServiceItem::Guidance];
        if !posts.is_empty() {
            items.extend([ServiceItem::Referral; 3]);
        }
        if rng.random_bool(0.7) {
            items.push(ServiceItem::Training);
        }
        let done = rng.random_range(2..=items.len());
        for item in &items[..done] {
            let draft = ServiceDraft {
                item: item.code().into(),
                post_id: if *item == ServiceItem::Referral {
                    posts[rng.random_range(0..posts.len())].to_string()
                } else {
                    String::new()
                },
                done_on: day(rng).to_string(),
                note: String::new(),
            };
            store
                .add_service(plan, &staff, graduate.id, &draft, "demo")
                .await?;
        }
        if rng.random_bool(placed_share) {
            let placement = demo_placement(rng);
            let draft = PlacementDraft {
                placement: placement.code().into(),
                placed_on: day(rng).to_string(),
                evidence: "劳动合同或社保缴纳记录（演示）".into(),
            };
            store
                .set_placement(plan, &staff, graduate.id, &draft, "demo")
                .await?;
        }
    }
    Ok(())
}

/// Every graduate on the roster of `year`, page by page.
pub(crate) async fn graduates_of_year(
    store: &Store,
    plan: &Plan,
    task_force: &Actor,
    year: i32,
) -> anyhow::Result<Vec<GraduateEntry>> {
    let mut all = Vec::new();
    for page in 1.. {
        let (some, total) = store
            .graduates(
                plan,
                task_force,
                &GraduateFilter {
                    year,
                    ..Default::default()
                },
                page,
                500,
                "demo",
            )
            .await?;
        all.extend(some);
        if all.len() as i64 >= total {
            break;
        }
    }
    Ok(all)
}

/// Most graduates are employed; the rest spread over the other ways of placement.
fn demo_placement(rng: &mut StdRng) -> Placement {
    *[
        Placement::Employed,
        Placement::Employed,
        Placement::Employed,
        Placement::Flexible,
        Placement::FurtherStudy,
        Placement::SelfEmployed,
        Placement::Traineeship,
        Placement::Military,
    ]
    .get(rng.random_range(0..8))
    .unwrap_or(&Placement::Employed)
}
