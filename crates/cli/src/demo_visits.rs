//! Demo 学子东西湖行 visits (1.3.3) and 揽才团 trips (1.1.3) for every plan year so far. Each of
//! 1.3.3's five organising units holds a few visits a year (parks, leading firms, a policy
//! briefing, a cultural stop) with 20 to 45 students each, some coming twice so that the
//! distinct count shows; 区人社局 (and now and then an industry office) leads trips to other
//! cities' university fairs with a handful of the demo employers, and hires follow within a
//! few months — so that 1.3.3, 1.1.3.trips and 1.1.3.hires have figures.

use chrono::{Datelike, Duration, NaiveDate};
use linkong_core::plan::Plan;
use linkong_core::student_visits::{StopDraft, StudentDraft, VisitDraft, organisers};
use linkong_core::talent_trips::{DelegateDraft, FairDraft, HireDraft, TripDraft};
use linkong_core::time::local_date;
use linkong_store::Store;
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

use crate::demo_returnees::{on, staff_of};

const SURNAMES: [&str; 16] = [
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "周", "吴", "徐", "孙", "胡", "朱", "高", "林",
];
const GIVEN: [&str; 16] = [
    "子涵", "浩然", "雨桐", "思远", "欣怡", "宇轩", "梓萱", "俊杰", "佳怡", "博文", "诗琪", "明哲",
    "若曦", "天佑", "语嫣", "嘉豪",
];
const SCHOOLS: [&str; 8] = [
    "武汉大学",
    "华中科技大学",
    "武汉理工大学",
    "华中师范大学",
    "中南财经政法大学",
    "江汉大学",
    "湖北大学",
    "武汉科技大学",
];
const MAJORS: [&str; 8] = [
    "网络空间安全",
    "软件工程",
    "电子信息工程",
    "机械设计制造及其自动化",
    "物流管理",
    "食品科学与工程",
    "市场营销",
    "人工智能",
];
const GRADES: [&str; 5] = ["大二", "大三", "大四", "研一", "研二"];
const PARKS: [&str; 4] = [
    "国家网络安全人才与创新基地",
    "临空港经开区智能制造产业园",
    "武汉临空港综合保税区",
    "东西湖食品产业园",
];
const FIRMS: [&str; 4] = [
    "武汉临空港智造科技有限公司",
    "华星光电（武汉）",
    "卓尔智联物流中心",
    "周黑鸭食品工业园",
];
const CULTURE: [&str; 3] = ["柏泉茅庙集", "慈惠沿江小镇", "五环体育中心"];
const CITIES: [(&str, &str); 6] = [
    ("西安", "西安电子科技大学"),
    ("成都", "电子科技大学"),
    ("长沙", "中南大学"),
    ("南京", "东南大学"),
    ("重庆", "重庆大学"),
    ("哈尔滨", "哈尔滨工业大学"),
];

fn pick<'a>(rng: &mut StdRng, items: &[&'a str]) -> &'a str {
    items[rng.random_range(0..items.len())]
}

/// Student `n` of a unit's pool: the same `n` is the same student (name, school, major).
fn student(n: usize) -> StudentDraft {
    StudentDraft {
        name: format!("{}{}", SURNAMES[n % 16], GIVEN[(n / 16) % 16]),
        school: SCHOOLS[(n / 7) % 8].into(),
        major: MAJORS[(n / 3) % 8].into(),
        grade: GRADES[n % 5].into(),
    }
}

/// A day of `year` from `first` (month) on, no later than `today`.
fn day_of(rng: &mut StdRng, year: i32, first: u32, today: NaiveDate) -> Option<NaiveDate> {
    let start = NaiveDate::from_ymd_opt(year, first, 1)?;
    let end = NaiveDate::from_ymd_opt(year, 12, 20)?.min(today);
    (end >= start).then(|| start + Duration::days(rng.random_range(0..=(end - start).num_days())))
}

fn visit_draft(
    rng: &mut StdRng,
    unit: usize,
    day: NaiveDate,
    students: Vec<(usize, StudentDraft)>,
) -> VisitDraft {
    let stops = vec![
        StopDraft {
            kind: "park_tour".into(),
            place: pick(rng, &PARKS).into(),
        },
        StopDraft {
            kind: "leading_firm".into(),
            place: pick(rng, &FIRMS).into(),
        },
        StopDraft {
            kind: "policy_briefing".into(),
            place: "临空港大厦报告厅".into(),
        },
        StopDraft {
            kind: "culture".into(),
            place: pick(rng, &CULTURE).into(),
        },
    ];
    VisitDraft {
        title: format!("{} 年“学子东西湖行”第 {} 站", day.year(), unit + 1),
        visited_on: day.to_string(),
        assisted: rng.random_range(0..3) == 0,
        stops,
        students,
        note: String::new(),
    }
}

/// Visits of every organising unit in every plan year up to today.
async fn fill_visits(
    store: &Store,
    plan: &Plan,
    rng: &mut StdRng,
    today: NaiveDate,
) -> anyhow::Result<usize> {
    let mut visits = 0;
    for (u, unit) in organisers(plan).into_iter().enumerate() {
        let staff = staff_of(store, plan, unit).await?;
        for year in plan.years().filter(|y| *y <= today.year()) {
            let mut days: Vec<NaiveDate> =
                (0..3).filter_map(|_| day_of(rng, year, 4, today)).collect();
            days.sort_unstable();
            let pool = 1000 * (u + 1) + 200 * (year as usize % 10);
            for (n, day) in days.into_iter().enumerate() {
                let size = rng.random_range(20..=45);
                // A few of the previous visit's students come again: counted once.
                let first = pool + n * 30;
                let students = (first..first + size)
                    .map(|s| (s - first + 1, student(s)))
                    .collect();
                let draft = visit_draft(rng, n, day, students);
                on(store, day)
                    .record_student_visit(plan, &staff, &draft, "demo")
                    .await?;
                visits += 1;
            }
        }
    }
    Ok(visits)
}

/// 区人社局's trips of every plan year (and one of an industry office), with employers and hires.
async fn fill_trips(
    store: &Store,
    plan: &Plan,
    rng: &mut StdRng,
    today: NaiveDate,
) -> anyhow::Result<(usize, usize)> {
    let (mut trips, mut hires) = (0, 0);
    for year in plan.years().filter(|y| *y <= today.year()) {
        for n in 0..3 {
            let organiser = if n == 2 { "gaoxin" } else { "rsj" };
            let staff = staff_of(store, plan, organiser).await?;
            let Some(departed) = day_of(rng, year, 3 + n as u32 * 3, today) else {
                continue;
            };
            let (city, school) = CITIES[rng.random_range(0..CITIES.len())];
            let draft = TripDraft {
                destination: city.into(),
                departed_on: departed.to_string(),
                returned_on: (departed + Duration::days(2)).min(today).to_string(),
                partners: vec!["jidian".into(), "jinyinhu".into()]
                    .into_iter()
                    .filter(|p| p != organiser)
                    .collect(),
                fairs: vec![FairDraft {
                    school: school.into(),
                    held_on: departed.to_string(),
                }],
                note: String::new(),
            };
            let at = on(store, departed);
            let id = at.record_talent_trip(plan, &staff, &draft, "demo").await?;
            trips += 1;
            let candidates = at.delegation_candidates(plan, &staff, id, "demo").await?;
            let mut employers = Vec::new();
            for (employer, _) in candidates.into_iter().skip(rng.random_range(0..10)).take(5) {
                let delegate = DelegateDraft {
                    employer: employer.to_string(),
                    posts: rng.random_range(3..=20).to_string(),
                    cvs: rng.random_range(10..=80).to_string(),
                };
                at.add_trip_employer(plan, &staff, id, &delegate, "demo")
                    .await?;
                employers.push(employer);
            }
            for (h, employer) in employers.iter().enumerate() {
                let hired = departed + Duration::days(rng.random_range(20..=120));
                if hired > today {
                    continue;
                }
                let hire = HireDraft {
                    name: student(7000 + trips * 10 + h).name,
                    employer: employer.to_string(),
                    hired_on: hired.to_string(),
                    application: String::new(),
                };
                on(store, hired)
                    .add_trip_hire(plan, &staff, id, &hire, "demo")
                    .await?;
                hires += 1;
            }
        }
    }
    Ok((trips, hires))
}

/// Fills the visits and the trips of every plan year up to today.
pub async fn fill(store: &Store, plan: &Plan, seed: u64) -> anyhow::Result<()> {
    let today = local_date(store.now());
    let mut rng = StdRng::seed_from_u64(seed ^ 0x0133);
    let visits = fill_visits(store, plan, &mut rng, today).await?;
    let (trips, hires) = fill_trips(store, plan, &mut rng, today).await?;
    println!("演示学子东西湖行活动：{visits} 场；揽才团：{trips} 次，引进 {hires} 人。");
    Ok(())
}
