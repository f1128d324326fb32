//! Demo mentorings (跟踪陪跑, 2.3.2) on the demo returnee businesses: every plan year so far,
//! 区人社局, 区经科局, 区农业农村局, 区基金公司 and the businesses' streets open a few, each with
//! a mentor (an expert of the pool or a street's start-up instructor), a plan of milestones
//! (reached when their day has come), visits every month or two, financing contacts where the
//! district fund joined, and an outcome after about eight months — so that 2.3.2's row has
//! figures and the business's and the founder's pages show the mentoring.

use std::collections::BTreeSet;

use chrono::{Duration, NaiveDate};
use linkong_core::businesses::BusinessStatus;
use linkong_core::experts::ExpertStatus;
use linkong_core::mentoring::{
    EndDraft, FinancingDraft, MentoringDraft, MilestoneDraft, VisitDraft,
};
use linkong_core::plan::{Plan, UnitKind};
use linkong_core::time::local_date;
use linkong_store::Store;
use linkong_store::businesses::{Business, BusinessFilter};
use linkong_store::experts::ExpertFilter;
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

use crate::demo_returnees::{on, staff_of};

/// The units that open demo mentorings besides the business's own street.
const OPENERS: [&str; 4] = ["rsj", "jkj", "nyncj", "jjgs"];
/// Start-up instructors of the streets' service stations: (name, organisation).
const INSTRUCTORS: [(&str, &str); 4] = [
    ("胡晓梅", "区创业指导服务中心"),
    ("郑国强", "区人社局创业指导专家团"),
    ("蔡丽", "区就业训练中心"),
    ("唐建军", "湖北省创业导师库（东西湖区）"),
];
const MILESTONES: [&str; 5] = [
    "完成品牌商标注册",
    "新增吸纳就业 5 人",
    "开通线上销售渠道",
    "月营业额突破 50 万元",
    "完成首轮融资洽谈",
];
const PROBLEMS: [(&str, &str); 5] = [
    ("流动资金紧张", "对接创业担保贷款 30 万元"),
    ("缺少熟练工人", "推送至街道招聘活动，招到 3 人"),
    ("仓储场地不足", "协调临空港物流园临时库位"),
    ("不清楚税收优惠政策", "专家讲解小规模纳税人减免政策"),
    ("线上运营经验不足", "安排电商专家上门指导直播"),
];
const FUNDS: [&str; 3] = [
    "临空港天使投资基金",
    "东西湖区创业投资引导基金",
    "武汉市返乡创业投资基金",
];

/// A day of `year` between `from` and `to` (month, day).
fn day_in(rng: &mut StdRng, year: i32, from: (u32, u32), to: (u32, u32)) -> Option<NaiveDate> {
    let start = NaiveDate::from_ymd_opt(year, from.0, from.1)?;
    let end = NaiveDate::from_ymd_opt(year, to.0, to.1)?;
    Some(start + Duration::days(rng.random_range(0..=(end - start).num_days())))
}

/// Fills the mentorings of every plan year up to today.
pub async fn fill(store: &Store, plan: &Plan, seed: u64) -> anyhow::Result<()> {
    let today = local_date(store.now());
    let rsj = staff_of(store, plan, "rsj").await?;
    let businesses: Vec<Business> = store
        .businesses(plan, &rsj, &BusinessFilter::default(), "demo")
        .await?
        .into_iter()
        .filter(|b| b.status != BusinessStatus::Closed && !b.founders.is_empty())
        .collect();
    let experts: Vec<i64> = store
        .experts(&rsj, &ExpertFilter::default(), "demo")
        .await?
        .into_iter()
        .filter(|e| e.status == ExpertStatus::Active)
        .map(|e| e.id)
        .collect();
    let mut rng = StdRng::seed_from_u64(seed ^ 0x0232);
    let (mut opened, mut ended) = (0, 0);
    let mut mentored = BTreeSet::new();
    for year in plan.years() {
        let fresh: Vec<&Business> = businesses
            .iter()
            .filter(|b| !mentored.contains(&b.id))
            .collect();
        for business in fresh {
            if rng.random_range(0..100) >= 50 || opened >= 8 * (year - 2024) as usize {
                continue;
            }
            let Some(start) = day_in(&mut rng, year, (3, 1), (10, 31))
                .filter(|d| *d <= today && *d >= business.licensed_on)
            else {
                continue;
            };
            let mentor = experts
                .get(rng.random_range(0..experts.len().max(1) * 2))
                .copied();
            let id = open(store, plan, &mut rng, (business, start), mentor).await?;
            mentored.insert(business.id);
            opened += 1;
            ended +=
                usize::from(follow(store, plan, &mut rng, (id, business, start), today).await?);
        }
    }
    println!("跟踪陪跑演示数据：开始陪跑 {opened} 个，已结束 {ended} 个。");
    Ok(())
}

/// Opens a mentoring of `business` on `start`, by its street or one of [`OPENERS`], with
/// expert `mentor` or an instructor.
async fn open(
    store: &Store,
    plan: &Plan,
    rng: &mut StdRng,
    (business, start): (&Business, NaiveDate),
    mentor: Option<i64>,
) -> anyhow::Result<i64> {
    let pick = rng.random_range(0..=OPENERS.len());
    let opener = OPENERS.get(pick).copied().unwrap_or(&business.street_code);
    let street = plan
        .unit(opener)
        .is_some_and(|u| u.kind == UnitKind::Street);
    let (name, organisation) = INSTRUCTORS[rng.random_range(0..INSTRUCTORS.len())];
    let draft = MentoringDraft {
        business: business.id.to_string(),
        chosen_for: if street {
            "street_referral"
        } else {
            "selection"
        }
        .into(),
        chosen_note: if street {
            "街道走访推荐的优秀返区创业项目".into()
        } else {
            "成长性好、带动就业明显的返区创业项目".into()
        },
        started_on: start.to_string(),
        expert: mentor.map(|e| e.to_string()).unwrap_or_default(),
        instructor_name: if mentor.is_none() { name } else { "" }.into(),
        instructor_organisation: if mentor.is_none() { organisation } else { "" }.into(),
        fund_joins: opener == "jjgs" || rng.random_range(0..100) < 30,
        ..MentoringDraft::default()
    };
    let staff = staff_of(store, plan, opener).await?;
    Ok(on(store, start)
        .open_mentoring(plan, &staff, &draft, "demo")
        .await?)
}

/// The plan, visits, financing contacts and (after about eight months) the end of mentoring
/// `id`, each on its day if that day has come; whether it ended.
async fn follow(
    store: &Store,
    plan: &Plan,
    rng: &mut StdRng,
    (id, business, start): (i64, &Business, NaiveDate),
    today: NaiveDate,
) -> anyhow::Result<bool> {
    let detail = store
        .mentoring(plan, &staff_of(store, plan, "rsj").await?, id, "demo")
        .await?;
    let keeper = staff_of(store, plan, &detail.mentoring.opened_by).await?;
    let end = start + Duration::days(rng.random_range(200..280));
    let last = end.min(today);
    for n in 0..rng.random_range(2..=3_usize) {
        let due = start + Duration::days(60 * (n as i64 + 1) + rng.random_range(0..30));
        let milestone = MilestoneDraft {
            title: MILESTONES[(n + business.id as usize) % MILESTONES.len()].into(),
            due_on: due.to_string(),
        };
        let kept = on(store, start);
        kept.add_milestone(plan, &keeper, id, &milestone, "demo")
            .await?;
        let reached = due - Duration::days(rng.random_range(0..20));
        if reached <= last && rng.random_range(0..100) < 75 {
            let m_id = kept.mentoring(plan, &keeper, id, "demo").await?.milestones;
            let m_id = m_id
                .iter()
                .find(|m| m.title == milestone.title)
                .map(|m| m.id);
            if let Some(m_id) = m_id {
                on(store, reached)
                    .reach_milestone(plan, &keeper, (id, m_id), &reached.to_string(), "demo")
                    .await?;
            }
        }
    }
    let unit = plan
        .unit(&detail.mentoring.opened_by)
        .map_or("", |u| u.name.as_str());
    visits(store, plan, rng, (id, &keeper, unit), (start, last)).await?;
    if detail.mentoring.fund_joins {
        financing(store, plan, rng, id, (start, last)).await?;
    }
    if end > today {
        return Ok(false);
    }
    let outcome = ["achieved", "achieved", "partial", "terminated"][rng.random_range(0..4)];
    let ending = EndDraft {
        outcome: outcome.into(),
        ended_on: end.to_string(),
        note: if outcome == "terminated" {
            "企业转型，经营方向调整，双方同意终止陪跑".into()
        } else {
            "陪跑期满，企业经营稳定".into()
        },
    };
    on(store, end)
        .end_mentoring(plan, &keeper, id, &ending, "demo")
        .await?;
    Ok(true)
}

/// Visits every 30–60 days within [start, last].
async fn visits(
    store: &Store,
    plan: &Plan,
    rng: &mut StdRng,
    (id, keeper, unit): (i64, &linkong_core::access::Actor, &str),
    (start, last): (NaiveDate, NaiveDate),
) -> anyhow::Result<()> {
    let mut day = start + Duration::days(rng.random_range(10..30));
    while day <= last {
        let (raised, solved) = PROBLEMS[rng.random_range(0..PROBLEMS.len())];
        let visit = VisitDraft {
            visited_on: day.to_string(),
            visitor: format!("{unit}工作人员、创业导师"),
            problems_raised: raised.into(),
            problems_solved: if rng.random_range(0..100) < 70 {
                solved
            } else {
                ""
            }
            .into(),
        };
        on(store, day)
            .log_mentoring_visit(plan, keeper, id, &visit, "demo")
            .await?;
        day += Duration::days(rng.random_range(30..60));
    }
    Ok(())
}

/// One or two contacts of 区基金公司 with funds within [start, last].
async fn financing(
    store: &Store,
    plan: &Plan,
    rng: &mut StdRng,
    id: i64,
    (start, last): (NaiveDate, NaiveDate),
) -> anyhow::Result<()> {
    let fund = staff_of(store, plan, "jjgs").await?;
    let mut day = start + Duration::days(rng.random_range(20..60));
    for _ in 0..rng.random_range(1..=2) {
        if day > last {
            break;
        }
        let result = match rng.random_range(0..100) {
            0..35 => "invested",
            35..70 => "negotiating",
            _ => "failed",
        };
        let contact = FinancingDraft {
            contacted_on: day.to_string(),
            funder: FUNDS[rng.random_range(0..FUNDS.len())].into(),
            amount: (rng.random_range(5..=60) * 10).to_string(),
            result: result.into(),
        };
        on(store, day)
            .record_financing_contact(plan, &fund, id, &contact, "demo")
            .await?;
        day += Duration::days(rng.random_range(30..90));
    }
    Ok(())
}
