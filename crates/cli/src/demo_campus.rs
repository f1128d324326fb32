//! Demo campus programmes (1.2.1 “创业培训进校园”, 1.1.2's 一校一策): eight universities in
//! Wuhan, the district's liaison stations at them, the cyber-security base of 现代服务业产业办
//! with the WHU and HUST cyber colleges and a manufacturing base of 区人社局; then, for each plan
//! year up to yesterday, campus activities of the four units (团区委 and 区人社局 two or three
//! 政策宣传 each), internship placements near each unit's quota pro rata for the year so far (a
//! few students placed twice, counted once), a recruitment plan per university and the year's
//! demo campus fairs linked to universities — so that 1.2.1's two figures come from rows.

use chrono::{Duration, NaiveDate};
use linkong_core::access::Actor;
use linkong_core::campus::{ActivityDraft, BaseDraft, PlacementDraft, PlanDraft, StationDraft};
use linkong_core::plan::Plan;
use linkong_core::time::local_date;
use linkong_store::Store;
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

use crate::demo_returnees::staff_of;

/// Universities, with their key disciplines and the industries that fit them.
const UNIVERSITIES: [(&str, &str, &[&str]); 8] = [
    (
        "武汉大学",
        "网络空间安全、计算机科学与技术、测绘科学",
        &["cyber_security_big_data", "electronic_information"],
    ),
    (
        "华中科技大学",
        "网络空间安全、光电信息、机械工程",
        &["cyber_security_big_data", "intelligent_manufacturing"],
    ),
    (
        "华中师范大学",
        "教育技术、数据科学、汉语言文学",
        &["cyber_security_big_data"],
    ),
    (
        "武汉理工大学",
        "材料科学、交通运输、物流工程",
        &["modern_logistics", "intelligent_manufacturing"],
    ),
    (
        "中南财经政法大学",
        "金融学、会计学、电子商务",
        &["modern_logistics"],
    ),
    ("华中农业大学", "食品科学与工程、生物技术", &["food_health"]),
    ("湖北大学", "微电子、化学工程", &["electronic_information"]),
    ("武汉轻工大学", "食品科学、粮食工程", &["food_health"]),
];
const WISHES: [&str; 4] = [
    "希望留汉发展，关注研发岗位、人才公寓和落户政策",
    "倾向国企和上市公司，关注薪酬与职业晋升通道",
    "愿意到园区企业实习后留用，关注通勤与生活配套",
    "部分学生有创业意向，希望获得场地和资金支持",
];
/// (host unit, university index) of the liaison stations.
const STATIONS: [(&str, usize); 7] = [
    ("tuanquwei", 0),
    ("tuanquwei", 1),
    ("tuanquwei", 2),
    ("rsj", 3),
    ("rsj", 4),
    ("jkj", 6),
    ("xiandaifuwu", 0),
];
/// The units, their yearly interns quota and the majors they place.
const UNITS: [(&str, i64, &[&str]); 4] = [
    ("tuanquwei", 80, &["市场营销", "新闻传播", "电子商务"]),
    ("rsj", 80, &["人力资源管理", "会计学", "物流工程"]),
    ("jkj", 70, &["机械工程", "微电子科学与工程", "材料科学"]),
    (
        "xiandaifuwu",
        70,
        &["网络空间安全", "信息安全", "密码科学与技术"],
    ),
];
const EMPLOYERS: [&str; 6] = [
    "武汉安网科技有限公司",
    "临空港智能装备有限公司",
    "东西湖冷链物流有限公司",
    "金银湖数据服务有限公司",
    "吴家山食品科技有限公司",
    "径河电子信息有限公司",
];
const SURNAMES: [&str; 12] = [
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "周", "吴", "徐", "孙",
];
const GIVEN: [&str; 12] = [
    "子涵", "欣怡", "浩然", "梓萱", "宇轩", "雨桐", "思远", "一诺", "俊杰", "佳怡", "明轩", "若曦",
];

/// What the demo made once: the universities' ids and the bases' ids by unit.
struct Made {
    universities: Vec<i64>,
    bases: Vec<(&'static str, i64)>,
}

/// Fills the campus registries for every plan year up to yesterday.
pub async fn fill(store: &Store, plan: &Plan, seed: u64) -> anyhow::Result<()> {
    let today = local_date(store.now());
    let mut rng = StdRng::seed_from_u64(seed ^ 0x1210);
    let mut staff = Vec::new();
    for (unit, _, _) in UNITS {
        staff.push((unit, staff_of(store, plan, unit).await?));
    }
    let made = reference(store, &staff, &mut rng).await?;
    let (mut activities, mut placements) = (0, 0);
    for year in plan.years() {
        let Some(first) = NaiveDate::from_ymd_opt(year, 1, 1).filter(|d| *d < today) else {
            continue;
        };
        let last = NaiveDate::from_ymd_opt(year, 12, 31)
            .unwrap_or(first)
            .min(today - Duration::days(1));
        let share = ((last - first).num_days() + 1) as f64 / 365.0;
        for (unit, actor) in &staff {
            activities +=
                year_activities(store, actor, unit, &made, &mut rng, (first, last)).await?;
            placements +=
                year_placements(store, actor, unit, &made, &mut rng, (first, last), share).await?;
        }
        plans_and_fairs(store, plan, &staff[1].1, &made, &mut rng, year).await?;
    }
    println!(
        "校园工作演示数据：{} 所高校，{activities} 场校园活动，{placements} 人次实习实训。",
        made.universities.len()
    );
    Ok(())
}

/// The universities, stations and bases.
async fn reference(
    store: &Store,
    staff: &[(&'static str, Actor)],
    rng: &mut StdRng,
) -> anyhow::Result<Made> {
    let actor_of = |unit: &str| {
        staff
            .iter()
            .find(|(u, _)| *u == unit)
            .map(|(_, a)| a.clone())
    };
    let first = &staff[0].1;
    let mut universities = Vec::new();
    for (name, _, _) in UNIVERSITIES {
        universities.push(store.add_university(first, name, "demo").await?);
    }
    for (n, (unit, university)) in STATIONS.iter().enumerate() {
        let Some(actor) = actor_of(unit) else {
            continue;
        };
        let draft = StationDraft {
            university: universities[*university].to_string(),
            contact_name: format!("{}老师", SURNAMES[n % SURNAMES.len()]),
            contact_phone: format!("139{:08}", rng.random_range(10_000_000..99_999_999)),
            opened_on: format!("2025-0{}-1{}", 3 + n % 3, n % 9),
        };
        store.add_station(&actor, &draft, "demo").await?;
    }
    let mut bases = Vec::new();
    let cyber = BaseDraft {
        name: "网安基地武大、华科网安学院实习实训基地".into(),
        employer_name: "国家网络安全人才与创新基地入驻企业联盟".into(),
        partners: "武汉大学国家网络安全学院\n华中科技大学网络空间安全学院".into(),
        places: "150".into(),
        ..BaseDraft::default()
    };
    let manufacturing = BaseDraft {
        name: "临空港智能制造实习实训基地".into(),
        employer_name: "临空港智能装备有限公司".into(),
        partners: "武汉理工大学\n湖北大学".into(),
        places: "60".into(),
        ..BaseDraft::default()
    };
    for (unit, draft) in [("xiandaifuwu", cyber), ("rsj", manufacturing)] {
        if let Some(actor) = actor_of(unit) {
            bases.push((
                unit,
                store.add_internship_base(&actor, &draft, "demo").await?,
            ));
        }
    }
    Ok(Made {
        universities,
        bases,
    })
}

fn day_between(rng: &mut StdRng, (first, last): (NaiveDate, NaiveDate)) -> NaiveDate {
    first + Duration::days(rng.random_range(0..=(last - first).num_days().max(0)))
}

/// A unit's activities of a year: 政策宣传 (two or three for 团区委 and 区人社局, one now and
/// then for the others) and a few of the other kinds.
async fn year_activities(
    store: &Store,
    actor: &Actor,
    unit: &str,
    made: &Made,
    rng: &mut StdRng,
    days: (NaiveDate, NaiveDate),
) -> anyhow::Result<usize> {
    let publicity = if matches!(unit, "tuanquwei" | "rsj") {
        rng.random_range(2..=3)
    } else {
        rng.random_range(0..=1)
    };
    let others = ["pairing", "seminar", "internship", "innovation"];
    let mut kinds: Vec<&str> = vec!["policy_publicity"; publicity];
    kinds.extend((0..rng.random_range(2..=4)).map(|i| others[i % others.len()]));
    for kind in &kinds {
        let university = made.universities[rng.random_range(0..made.universities.len())];
        let note = match *kind {
            "policy_publicity" => "“东西湖就业政策通”小程序及一次性创业补贴、创业担保贷款政策宣讲",
            "pairing" => "创业导师与大学生创业团队结对辅导",
            "seminar" => "校企座谈：区内重点企业人才需求与专业设置",
            "internship" => "组织学生走进园区企业实训",
            _ => "大学生创新实践项目路演",
        };
        let draft = ActivityDraft {
            kind: (*kind).into(),
            university: university.to_string(),
            held_on: day_between(rng, days).to_string(),
            participants: rng.random_range(30..=200).to_string(),
            note: note.into(),
        };
        store.record_campus_activity(actor, &draft, "demo").await?;
    }
    Ok(kinds.len())
}

/// A unit's placements of a year: about its quota pro rata (90–105%), a few students twice.
async fn year_placements(
    store: &Store,
    actor: &Actor,
    unit: &str,
    made: &Made,
    rng: &mut StdRng,
    days: (NaiveDate, NaiveDate),
    share: f64,
) -> anyhow::Result<usize> {
    let Some((_, quota, majors)) = UNITS.iter().find(|(u, _, _)| *u == unit) else {
        return Ok(0);
    };
    let students = (*quota as f64 * share * rng.random_range(0.9..1.05)).round() as usize;
    let base = made
        .bases
        .iter()
        .find(|(u, _)| *u == unit)
        .map(|(_, id)| *id);
    let today = local_date(store.now());
    let year = days.0.format("%y").to_string();
    let mut written = 0;
    for n in 0..students {
        let starts_on = day_between(rng, days);
        let ends_on = starts_on + Duration::days(rng.random_range(28..=90));
        let outcome = match (ends_on < today, rng.random_range(0..10)) {
            (false, _) => "",
            (true, 0) => "stopped",
            (true, 1 | 2) => "retained",
            (true, _) => "completed",
        };
        let draft = PlacementDraft {
            student_name: format!(
                "{}{}",
                SURNAMES[rng.random_range(0..SURNAMES.len())],
                GIVEN[rng.random_range(0..GIVEN.len())]
            ),
            student_no: format!("20{year}{}{:04}", unit.len(), n),
            university: made.universities[rng.random_range(0..made.universities.len())].to_string(),
            major: majors[rng.random_range(0..majors.len())].to_string(),
            employer_name: EMPLOYERS[rng.random_range(0..EMPLOYERS.len())].into(),
            base: base
                .filter(|_| rng.random_range(0..3) == 0)
                .map(|b| b.to_string())
                .unwrap_or_default(),
            starts_on: starts_on.to_string(),
            ends_on: ends_on.to_string(),
            outcome: outcome.into(),
            ..PlacementDraft::default()
        };
        store.record_placement(actor, &draft, "demo").await?;
        written += 1;
        // One student in twenty goes back for a second placement with the same unit: listed,
        // not counted again.
        if rng.random_range(0..20) == 0 && ends_on + Duration::days(7) < days.1 {
            let again = PlacementDraft {
                starts_on: (ends_on + Duration::days(7)).to_string(),
                ends_on: (ends_on + Duration::days(37)).to_string(),
                outcome: String::new(),
                ..draft
            };
            store.record_placement(actor, &again, "demo").await?;
            written += 1;
        }
    }
    Ok(written)
}

/// A recruitment plan per university for the year (by 区人社局) and the year's campus fairs
/// linked to universities in turn.
async fn plans_and_fairs(
    store: &Store,
    plan: &Plan,
    rsj: &Actor,
    made: &Made,
    rng: &mut StdRng,
    year: i32,
) -> anyhow::Result<()> {
    for (n, (id, (_, disciplines, industries))) in
        made.universities.iter().zip(UNIVERSITIES).enumerate()
    {
        let draft = PlanDraft {
            university: id.to_string(),
            year: year.to_string(),
            disciplines: disciplines.into(),
            wishes: WISHES[(n + year as usize) % WISHES.len()].into(),
            industries: industries.iter().map(|s| (*s).to_owned()).collect(),
            fairs_planned: rng.random_range(1..=3).to_string(),
        };
        store.save_campus_plan(plan, rsj, &draft, "demo").await?;
    }
    let first = made.universities[0];
    let fairs = store
        .university_detail(rsj, first, year, "demo")
        .await?
        .unlinked_fairs;
    for (n, fair) in fairs.iter().enumerate() {
        // The university the fair's title names, else the universities in turn.
        let named = UNIVERSITIES
            .iter()
            .position(|(name, _, _)| fair.title.contains(name));
        let university = made.universities[named.unwrap_or(n % made.universities.len())];
        store
            .link_campus_fair(rsj, university, &fair.event_id.to_string(), "demo")
            .await?;
    }
    Ok(())
}
