//! Demo title applications and HR agencies' special actions (2.4.4): each plan year so far, a
//! handful of returnees' title applications taken in by 区人社局 and a street, forwarded to a
//! committee and most decided; and two special actions (区人社局's, a street's) with services
//! to the demo returnee businesses, so that 2.4.4's two rows on the dashboard have figures.

use chrono::{Duration, NaiveDate};
use linkong_core::hr_actions::{ActionDraft, ServiceDraft, ServiceKind};
use linkong_core::plan::Plan;
use linkong_core::time::local_date;
use linkong_core::titles::{ApplicationDraft, ResultDraft};
use linkong_store::Store;
use linkong_store::businesses::BusinessFilter;
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

use crate::demo_returnees::{on, staff_of};

/// (series, speciality, committee) of the demo applications.
const TITLES: [(&str, &str, &str); 4] = [
    ("agriculture", "农学", "武汉市农业技术中级职务评审委员会"),
    (
        "engineering",
        "电气工程",
        "武汉市工程技术中级职务评审委员会",
    ),
    ("economics", "人力资源管理", "湖北省经济系列职称评审委员会"),
    (
        "agriculture",
        "畜牧兽医",
        "武汉市农业技术中级职务评审委员会",
    ),
];

const AGENCIES: &str =
    "武汉临空港人力资源服务有限公司\n湖北才聚人力资源服务有限公司\n武汉东西湖区劳务派遣有限公司";

/// Fills the applications and actions of every plan year up to today.
pub async fn fill(store: &Store, plan: &Plan, seed: u64, migrants: usize) -> anyhow::Result<()> {
    let today = local_date(store.now());
    let mut rng = StdRng::seed_from_u64(seed ^ 0x2444);
    let people: Vec<(String, String)> = linkong_demo::migrant_rows(seed, None)
        .take(migrants)
        .map(|row| (row[1].clone(), row[3].clone()))
        .collect();
    for year in plan.years() {
        let Some(start) = NaiveDate::from_ymd_opt(year, 3, 1).filter(|d| *d < today) else {
            continue;
        };
        applications(store, plan, &mut rng, &people, start, today).await?;
        actions(store, plan, &mut rng, year, today).await?;
    }
    Ok(())
}

/// Six applications taken in by 区人社局 and, for its own residents, by the first street.
async fn applications(
    store: &Store,
    plan: &Plan,
    rng: &mut StdRng,
    people: &[(String, String)],
    start: NaiveDate,
    today: NaiveDate,
) -> anyhow::Result<()> {
    let rsj = staff_of(store, plan, "rsj").await?;
    let (street_code, street_name) = linkong_demo::STREETS[0];
    let street = staff_of(store, plan, street_code).await?;
    let own = people.iter().filter(|(_, s)| s == street_name).take(2);
    let others = people.iter().skip(rng.random_range(0..10)).take(4);
    for (n, (id, home)) in others.chain(own).enumerate() {
        let (series, speciality, committee) = TITLES[n % TITLES.len()];
        let submitted = start + Duration::days(rng.random_range(0..120));
        let forwarded = submitted + Duration::days(rng.random_range(7..30));
        if forwarded >= today {
            continue;
        }
        let keeper = if home == street_name { &street } else { &rsj };
        let draft = ApplicationDraft {
            id_number: id.clone(),
            series: series.into(),
            speciality: speciality.into(),
            level: if n % 3 == 0 { "junior" } else { "intermediate" }.into(),
            submitted_on: submitted.to_string(),
            committee: committee.into(),
            forwarded_on: forwarded.to_string(),
        };
        let id = on(store, forwarded)
            .record_title_application(plan, keeper, &draft, "demo")
            .await?;
        let decided = forwarded + Duration::days(rng.random_range(60..120));
        if decided >= today {
            continue;
        }
        let result = match rng.random_range(0..4) {
            0 => ResultDraft {
                result: "failed".into(),
                obtained_on: String::new(),
            },
            _ => ResultDraft {
                result: "passed".into(),
                obtained_on: decided.to_string(),
            },
        };
        on(store, decided)
            .record_title_result(plan, keeper, id, &result, "demo")
            .await?;
    }
    Ok(())
}

/// 区人社局's action of the year for every street's businesses, and the first street's for its
/// own, each with a service every few weeks.
async fn actions(
    store: &Store,
    plan: &Plan,
    rng: &mut StdRng,
    year: i32,
    today: NaiveDate,
) -> anyhow::Result<()> {
    let (Some(starts), Some(ends)) = (
        NaiveDate::from_ymd_opt(year, 4, 1),
        NaiveDate::from_ymd_opt(year, 10, 31),
    ) else {
        return Ok(());
    };
    if starts >= today {
        return Ok(());
    }
    for unit in ["rsj", linkong_demo::STREETS[0].0] {
        let staff = staff_of(store, plan, unit).await?;
        let businesses = store
            .businesses(plan, &staff, &BusinessFilter::default(), "demo")
            .await?;
        if businesses.is_empty() {
            continue;
        }
        let name = plan.unit(unit).map_or(unit, |u| u.name.as_str());
        let draft = ActionDraft {
            name: format!("{year}年{name}稳就业促创业专项行动"),
            agencies: AGENCIES.into(),
            starts_on: starts.to_string(),
            ends_on: ends.to_string(),
        };
        let action = on(store, starts)
            .record_hr_action(plan, &staff, &draft, "demo")
            .await?;
        let mut day = starts + Duration::days(rng.random_range(3..10));
        while day <= ends && day < today {
            let business = &businesses[rng.random_range(0..businesses.len())];
            let kind = ServiceKind::ALL[rng.random_range(0..ServiceKind::ALL.len())];
            let posts = rng.random_range(0..12);
            let service = ServiceDraft {
                business: business.id.to_string(),
                kind: kind.code().into(),
                served_on: day.to_string(),
                posts_offered: posts.to_string(),
                recruited: rng.random_range(0..=posts).to_string(),
                note: String::new(),
            };
            on(store, day)
                .record_hr_service(plan, &staff, action, &service, "demo")
                .await?;
            day += Duration::days(rng.random_range(14..30));
        }
    }
    Ok(())
}
