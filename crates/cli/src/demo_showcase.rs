//! Demo selection rounds (2.5.2) and showcase cases (2.5.3), on the demo returnee businesses:
//! every plan year so far, most of the 21 units recommend a business's project on a day of
//! spring or summer, the leads shortlist most of their route's entries (some passed over with a
//! reason), send the shortlist up in autumn and record outcomes later; streets and 区农业农村局
//! recommend founders as showcase cases with consent and photos, 区人社局 collects and nominates
//! some to "武汉返乡创业之星", and 区委宣传部 / 区融媒体中心 publish the consented ones — so
//! that both dashboard rows have figures through the year and the portal has stories.

use std::collections::BTreeSet;

use chrono::{Duration, NaiveDate};
use linkong_core::access::Actor;
use linkong_core::businesses::BusinessStatus;
use linkong_core::plan::{Plan, UnitKind};
use linkong_core::selection::{EntryDraft, EntryStep, Route, recommending_units};
use linkong_core::showcase::CaseDraft;
use linkong_core::time::local_date;
use linkong_store::Store;
use linkong_store::businesses::{Business, BusinessFilter};
use linkong_store::evidence::EvidenceUpload;
use linkong_store::showcase::CaseAction;
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

use crate::demo_returnees::{on, staff_of};

/// Why demo entries are not shortlisted.
const PASS_NOTES: [&str; 3] = [
    "带动就业人数偏少，建议下一年度再推荐",
    "材料不完整，缺少经营数据",
    "与本年度已入围项目同质",
];
/// Where demo showcase founders worked before they came back.
const CITIES: [&str; 7] = ["深圳", "广州", "东莞", "杭州", "宁波", "苏州", "上海"];

/// A day of `year` between `from` and `to` (month, day), not after `today`.
fn day_in(rng: &mut StdRng, year: i32, from: (u32, u32), to: (u32, u32)) -> Option<NaiveDate> {
    let start = NaiveDate::from_ymd_opt(year, from.0, from.1)?;
    let end = NaiveDate::from_ymd_opt(year, to.0, to.1)?;
    Some(start + Duration::days(rng.random_range(0..=(end - start).num_days())))
}

/// Fills the rounds and the cases of every plan year up to today.
pub async fn fill(store: &Store, plan: &Plan, seed: u64) -> anyhow::Result<()> {
    let today = local_date(store.now());
    let rsj = staff_of(store, plan, "rsj").await?;
    let businesses: Vec<Business> = store
        .businesses(plan, &rsj, &BusinessFilter::default(), "demo")
        .await?
        .into_iter()
        .filter(|b| b.status != BusinessStatus::Closed && !b.founders.is_empty())
        .collect();
    if businesses.is_empty() {
        return Ok(());
    }
    let mut rng = StdRng::seed_from_u64(seed ^ 0x2552);
    let (mut entries, mut cases, mut published) = (0, 0, 0);
    // A founder is a showcase case once: each year's cases come from businesses not shown yet.
    let mut shown = BTreeSet::new();
    for year in plan.years() {
        if NaiveDate::from_ymd_opt(year, 4, 1).is_none_or(|d| d > today) {
            continue;
        }
        entries += round(store, plan, &mut rng, &businesses, (year, today)).await?;
        let fresh: Vec<Business> = businesses
            .iter()
            .filter(|b| !shown.contains(&b.id))
            .cloned()
            .collect();
        let (made, public) = showcase(store, plan, &mut rng, &fresh, (year, today)).await?;
        (cases, published) = (cases + made.len(), published + public);
        shown.extend(made);
    }
    println!(
        "项目遴选和典型案例演示数据：推荐遴选项目 {entries} 个，典型案例 {cases} 个（{published} 个已在门户发布）。"
    );
    Ok(())
}

/// The businesses `unit` may recommend: a street's own, anyone else's any.
fn candidates<'b>(plan: &Plan, unit: &str, businesses: &'b [Business]) -> Vec<&'b Business> {
    let street = plan.unit(unit).is_some_and(|u| u.kind == UnitKind::Street);
    businesses
        .iter()
        .filter(|b| !street || b.street_code == unit)
        .collect()
}

/// One year's round: recommendations, the leads' shortlists, the sending up, the outcomes.
/// How many entries were recommended.
async fn round(
    store: &Store,
    plan: &Plan,
    rng: &mut StdRng,
    businesses: &[Business],
    (year, today): (i32, NaiveDate),
) -> anyhow::Result<usize> {
    let mut taken = BTreeSet::new();
    let mut made = Vec::new();
    for unit in recommending_units(plan) {
        let free: Vec<&Business> = candidates(plan, unit, businesses)
            .into_iter()
            .filter(|b| !taken.contains(&b.id))
            .collect();
        let Some(day) = day_in(rng, year, (4, 1), (9, 20)).filter(|d| *d <= today) else {
            continue;
        };
        if free.is_empty() || rng.random_range(0..100) < 12 {
            continue;
        }
        let business = free[rng.random_range(0..free.len())];
        taken.insert(business.id);
        let draft = EntryDraft {
            business: business.id.to_string(),
            title: format!("{}创业项目", business.name),
            reason: format!(
                "{}，主营{}，{}，经营稳定，示范带动作用明显。",
                if business.site.trim().is_empty() {
                    "扎根本地".to_owned()
                } else {
                    format!("依托{}", business.site)
                },
                forms_or_trade(business),
                business
                    .headcount
                    .map_or("持续吸纳就业".to_owned(), |n| format!(
                        "已吸纳就业 {n} 人"
                    )),
            ),
        };
        let staff = staff_of(store, plan, unit).await?;
        let id = on(store, day)
            .recommend_project(plan, &staff, &draft, "demo")
            .await?;
        made.push((id, day));
    }
    decide(store, plan, rng, &made, (year, today)).await?;
    Ok(made.len())
}

/// What a business does, for a recommendation: its new business forms, or its name.
pub(crate) fn forms_or_trade(business: &Business) -> String {
    let forms: Vec<&str> = business
        .forms
        .iter()
        .filter(|f| f.code() != "other")
        .map(|f| f.label())
        .collect();
    if forms.is_empty() {
        "本地生活服务".to_owned()
    } else {
        forms.join("、")
    }
}

/// The leads shortlist or pass each entry 10–40 days after it came, send each route's
/// shortlist up in autumn, and record outcomes a month later (each when that day has come).
async fn decide(
    store: &Store,
    plan: &Plan,
    rng: &mut StdRng,
    made: &[(i64, NaiveDate)],
    (year, today): (i32, NaiveDate),
) -> anyhow::Result<()> {
    let leads = [
        (Route::Other, staff_of(store, plan, "rsj").await?),
        (Route::Agricultural, staff_of(store, plan, "nyncj").await?),
    ];
    let lead_of = |route: Route| {
        &leads
            .iter()
            .find(|(r, _)| *r == route)
            .expect("both routes")
            .1
    };
    let mut shortlisted = Vec::new();
    for (id, day) in made {
        let decided = *day + Duration::days(rng.random_range(10..40));
        if decided > today {
            continue;
        }
        let route = store
            .selection_entry(plan, &leads[0].1, *id, "demo")
            .await?
            .route;
        let step = if rng.random_range(0..100) < 80 {
            shortlisted.push((*id, route));
            EntryStep::Shortlist
        } else {
            EntryStep::Pass {
                note: PASS_NOTES[rng.random_range(0..PASS_NOTES.len())].into(),
            }
        };
        on(store, decided)
            .move_selection_entry(plan, lead_of(route), *id, &step, "demo")
            .await?;
    }
    for (route, lead) in &leads {
        let Some(sent) = NaiveDate::from_ymd_opt(year, 11, 10).filter(|d| *d <= today) else {
            continue;
        };
        if !shortlisted.iter().any(|(_, r)| r == route) {
            continue;
        }
        on(store, sent)
            .send_shortlist_up(plan, lead, (year, *route), &sent.to_string(), "demo")
            .await?;
        outcomes(store, plan, rng, (lead, *route), &shortlisted, sent, today).await?;
    }
    Ok(())
}

/// The upper level's decisions on a route's entries sent up on `sent`, a month later.
async fn outcomes(
    store: &Store,
    plan: &Plan,
    rng: &mut StdRng,
    (lead, route): (&Actor, Route),
    shortlisted: &[(i64, Route)],
    sent: NaiveDate,
    today: NaiveDate,
) -> anyhow::Result<()> {
    let decided = sent + Duration::days(20);
    if decided > today {
        return Ok(());
    }
    for (id, _) in shortlisted.iter().filter(|(_, r)| *r == route) {
        let selected = rng.random_range(0..100) < 45;
        let step = EntryStep::Outcome {
            selected,
            note: if selected {
                "入选武汉市返乡创业优秀项目".into()
            } else {
                String::new()
            },
        };
        on(store, decided)
            .move_selection_entry(plan, lead, *id, &step, "demo")
            .await?;
    }
    Ok(())
}

/// One year's showcase cases: most streets recommend one founder, 区农业农村局 two; 区人社局
/// collects and nominates, the publishers publish the consented ones. (the businesses shown,
/// how many were published).
async fn showcase(
    store: &Store,
    plan: &Plan,
    rng: &mut StdRng,
    businesses: &[Business],
    (year, today): (i32, NaiveDate),
) -> anyhow::Result<(Vec<i64>, usize)> {
    let mut picks: Vec<(&str, &Business)> = Vec::new();
    for unit in linkong_core::showcase::recommending_units(plan) {
        let free: Vec<&Business> = candidates(plan, unit, businesses)
            .into_iter()
            .filter(|b| !picks.iter().any(|(_, p)| p.id == b.id))
            .collect();
        let count = if unit == "nyncj" { 2 } else { 1 };
        for business in free.into_iter().take(count) {
            if rng.random_range(0..100) < 40 {
                continue;
            }
            picks.push((unit, business));
        }
    }
    let (mut made, mut published) = (Vec::new(), 0);
    for (unit, business) in picks {
        let Some(day) = day_in(rng, year, (5, 1), (10, 31)).filter(|d| *d <= today) else {
            continue;
        };
        let id = recommend_case(store, plan, rng, (unit, business), day).await?;
        made.push(business.id);
        if follow_case(store, plan, rng, id, (day, today)).await? {
            published += 1;
        }
    }
    Ok((made, published))
}

/// A founder of `business` recommended by `unit` on `day`, with consent and one or two photos.
async fn recommend_case(
    store: &Store,
    plan: &Plan,
    rng: &mut StdRng,
    (unit, business): (&str, &Business),
    day: NaiveDate,
) -> anyhow::Result<i64> {
    let founder = &business.founders[0];
    let street = plan
        .unit(&business.street_code)
        .map_or(business.street_code.as_str(), |u| u.name.as_str());
    let field = linkong_demo::VENTURES
        .iter()
        .find(|v| business.name.ends_with(v.trade))
        .map_or("", |v| v.field);
    let city = CITIES[rng.random_range(0..CITIES.len())];
    let story = linkong_demo::story_of(&founder.name, city, street, &business.name, field);
    let portal = rng.random_range(0..100) < 85;
    let draft = CaseDraft {
        business: business.id.to_string(),
        founder: founder.person_id.to_string(),
        title: story.title,
        story: story.story,
        consent_by: founder.name.clone(),
        consent_on: (day - Duration::days(rng.random_range(1..10))).to_string(),
        consent_scopes: if portal {
            vec!["portal".into(), "media".into()]
        } else {
            vec!["media".into()]
        },
    };
    let photos = (0..rng.random_range(1..=2_u64))
        .map(|n| EvidenceUpload {
            file_name: format!("{}{}.png", business.name, n + 1),
            bytes: linkong_demo::photo_png(business.id as u64 * 7 + n),
        })
        .collect();
    let staff = staff_of(store, plan, unit).await?;
    Ok(on(store, day)
        .recommend_case(plan, &staff, &draft, photos, "demo")
        .await?)
}

/// 区人社局 collects a case within weeks and nominates some; a publisher puts most consented
/// ones on the portal. Whether it went up.
async fn follow_case(
    store: &Store,
    plan: &Plan,
    rng: &mut StdRng,
    id: i64,
    (day, today): (NaiveDate, NaiveDate),
) -> anyhow::Result<bool> {
    let rsj = staff_of(store, plan, "rsj").await?;
    let collected = day + Duration::days(rng.random_range(5..25));
    if collected > today {
        return Ok(false);
    }
    on(store, collected)
        .move_showcase_case(plan, &rsj, id, CaseAction::Collect, "demo")
        .await?;
    let nominated = collected + Duration::days(rng.random_range(10..30));
    if nominated <= today && rng.random_range(0..100) < 50 {
        let on_day = nominated.to_string();
        let nominate = CaseAction::Nominate { on: &on_day };
        on(store, nominated)
            .move_showcase_case(plan, &rsj, id, nominate, "demo")
            .await?;
        let decided = nominated + Duration::days(30);
        if decided <= today {
            let starred = rng.random_range(0..100) < 40;
            let note = if starred {
                "武汉返乡创业之星"
            } else {
                ""
            };
            on(store, decided)
                .move_showcase_case(
                    plan,
                    &rsj,
                    id,
                    CaseAction::Outcome { starred, note },
                    "demo",
                )
                .await?;
        }
    }
    let publisher = if rng.random_bool(0.5) { "xcb" } else { "rmtzx" };
    let publisher = staff_of(store, plan, publisher).await?;
    let case = store.showcase_case(plan, &publisher, id, "demo").await?;
    let up = collected + Duration::days(rng.random_range(3..20));
    if !case.consent.portal || up > today || rng.random_range(0..100) < 25 {
        return Ok(false);
    }
    on(store, up)
        .publish_showcase_case(plan, &publisher, id, true, "demo")
        .await?;
    Ok(true)
}
