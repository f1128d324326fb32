//! Demo editions of the “中国网谷杯” start-up contest (1.2.3), 2025 and 2026: 区经科局 opens
//! each on 1 April with its tracks, registers fifteen entries from the universities in spring,
//! holds 初赛, 复赛 and 决赛 with scores (the best advance), awards the final on 20 November;
//! 区人社局, 区科服中心 and 团区委 give lectures, training and financing contacts, 区基金公司
//! invests in the winners from the angel fund, and two winning projects of 2025 land as demo
//! returnee businesses. Every step is written on its own day and only if that day has come.

use chrono::NaiveDate;
use linkong_core::access::Actor;
use linkong_core::businesses::BusinessStatus;
use linkong_core::contest::{
    AwardDraft, EditionDraft, EntryDraft, LandingDraft, RoundDraft, SupportDraft,
};
use linkong_core::plan::Plan;
use linkong_core::time::local_date;
use linkong_store::Store;
use linkong_store::businesses::BusinessFilter;
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

use crate::demo_returnees::{on, staff_of};

const SCHOOLS: [&str; 10] = [
    "华中科技大学",
    "武汉大学",
    "华中师范大学",
    "武汉理工大学",
    "中南财经政法大学",
    "湖北大学",
    "江汉大学",
    "武汉工程大学",
    "湖北工业大学",
    "武汉纺织大学",
];

/// (project, field) of the demo entries.
const PROJECTS: [(&str, &str); 15] = [
    ("工控安全监测盒子", "网络安全"),
    ("临空港冷链溯源平台", "物流科技"),
    ("校园智能巡检机器人", "智能制造"),
    ("农产品直播供应链", "电子商务"),
    ("中小企业数据合规助手", "网络安全"),
    ("航空零部件视觉质检", "人工智能"),
    ("社区康养陪护小程序", "健康服务"),
    ("食品安全快检试剂", "生物医药"),
    ("跨境电商选品工具", "电子商务"),
    ("园区能耗优化系统", "节能环保"),
    ("无人机植保服务", "现代农业"),
    ("工业互联网标识解析应用", "工业互联网"),
    ("非遗文创设计工作室", "文化创意"),
    ("新能源车电池回收检测", "新能源"),
    ("密码芯片安全测评", "网络安全"),
];

const SURNAMES: [&str; 10] = ["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴"];
const GIVEN: [&str; 10] = [
    "思远", "一帆", "佳怡", "子涵", "浩然", "雨桐", "俊杰", "欣然", "宇航", "梓萱",
];

fn day(year: i32, month: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, d).unwrap_or_default()
}

/// The staff the demo acts as.
struct Staff {
    jkj: Actor,
    rsj: Actor,
    kfzx: Actor,
    tuanquwei: Actor,
    jjgs: Actor,
}

/// Fills the 2025 and 2026 editions, as far as today allows.
pub async fn fill(store: &Store, plan: &Plan, seed: u64) -> anyhow::Result<()> {
    let today = local_date(store.now());
    let staff = Staff {
        jkj: staff_of(store, plan, "jkj").await?,
        rsj: staff_of(store, plan, "rsj").await?,
        kfzx: staff_of(store, plan, "kfzx").await?,
        tuanquwei: staff_of(store, plan, "tuanquwei").await?,
        jjgs: staff_of(store, plan, "jjgs").await?,
    };
    let mut rng = StdRng::seed_from_u64(seed ^ 0x1223);
    let mut winners = Vec::new();
    let (mut entries, mut editions) = (0, 0);
    for (year, ordinal) in [(2025, "五"), (2026, "六")] {
        if day(year, 4, 1) > today || !plan.years().contains(&year) {
            continue;
        }
        let (ids, ranked) = edition(store, plan, &staff, &mut rng, (year, ordinal), today).await?;
        entries += ids;
        editions += 1;
        if year == 2025 {
            winners = ranked;
        }
    }
    let landed = land(store, plan, &staff.jkj, &winners, today).await?;
    println!(
        "创新创业大赛演示数据：{editions} 届大赛，参赛项目 {entries} 个，获奖项目落地 {landed} 个。"
    );
    Ok(())
}

/// One edition: opened, entries registered, rounds held, the final awarded. How many entries,
/// and the awarded ones best first.
async fn edition(
    store: &Store,
    plan: &Plan,
    staff: &Staff,
    rng: &mut StdRng,
    (year, ordinal): (i32, &str),
    today: NaiveDate,
) -> anyhow::Result<(usize, Vec<i64>)> {
    let mut tracks = "大学生创业组\n成长企业组\n网络安全赛道".to_owned();
    if year >= 2026 {
        tracks.push_str("\n人工智能赛道");
    }
    let draft = EditionDraft {
        year: year.to_string(),
        name: format!("第{ordinal}届“中国网谷杯”创新创业大赛"),
        opens_on: day(year, 4, 1).to_string(),
        closes_on: day(year, 11, 30).to_string(),
        tracks,
    };
    let id = on(store, day(year, 4, 1))
        .create_contest_edition(plan, &staff.jkj, &draft, "demo")
        .await?;
    let page = store.contest_edition(plan, &staff.jkj, id, "demo").await?;
    let track_ids: Vec<i64> = page.edition.tracks.iter().map(|t| t.id).collect();
    let ids = register(store, plan, &staff.jkj, rng, (year, id, &track_ids), today).await?;
    support(store, plan, staff, &ids, year, today).await?;
    let finalists = rounds(store, plan, &staff.jkj, rng, (year, id), today).await?;
    let awarded = award(store, plan, staff, &finalists, year, today).await?;
    Ok((ids.len(), awarded))
}

/// Fifteen entries registered between 10 April and 30 June: their ids.
async fn register(
    store: &Store,
    plan: &Plan,
    jkj: &Actor,
    rng: &mut StdRng,
    (year, edition, tracks): (i32, i64, &[i64]),
    today: NaiveDate,
) -> anyhow::Result<Vec<i64>> {
    let mut ids = Vec::new();
    for (n, (project, field)) in PROJECTS.iter().enumerate() {
        let registered = day(year, 4, 10) + chrono::Duration::days(rng.random_range(0..=81));
        if registered > today {
            continue;
        }
        let track = if field.contains("网络安全") {
            tracks[2]
        } else if *field == "人工智能" && tracks.len() > 3 {
            tracks[3]
        } else {
            tracks[n % 2]
        };
        let leader = format!(
            "{}{}",
            SURNAMES[rng.random_range(0..10)],
            GIVEN[rng.random_range(0..10)]
        );
        let draft = EntryDraft {
            track: track.to_string(),
            project: if year == 2025 {
                (*project).to_owned()
            } else {
                format!("{project}（二期）")
            },
            team: format!("{}团队", &project.chars().take(4).collect::<String>()),
            leader,
            school: SCHOOLS[rng.random_range(0..SCHOOLS.len())].to_owned(),
            field: (*field).to_owned(),
            brief: format!("面向临空港经济区的{field}项目，团队由在校生和应届毕业生组成。"),
            phone: format!("139{:08}", rng.random_range(10_000_000..99_999_999)),
            registered_on: registered.to_string(),
            ..EntryDraft::default()
        };
        ids.push(
            on(store, registered)
                .register_contest_entry(plan, jkj, edition, &draft, "demo")
                .await?,
        );
    }
    Ok(ids)
}

/// 初赛 (all), 复赛 (the best eight) and 决赛 (the best five), each scored on its day: the
/// finalists, best first.
async fn rounds(
    store: &Store,
    plan: &Plan,
    jkj: &Actor,
    rng: &mut StdRng,
    (year, edition): (i32, i64),
    today: NaiveDate,
) -> anyhow::Result<Vec<i64>> {
    let judges = "华中科技大学 王教授、临空港创投 张总、区经科局 刘科长、武汉大学 陈教授";
    let mut reached: Vec<i64> = store
        .contest_entries(plan, jkj, edition, "demo")
        .await?
        .into_iter()
        .map(|e| e.id)
        .collect();
    let mut previous: Option<i64> = None;
    for (stage, held, keep) in [
        ("初赛", day(year, 7, 15), 8),
        ("复赛", day(year, 9, 10), 5),
        ("决赛", day(year, 11, 15), 5),
    ] {
        if held > today {
            return Ok(Vec::new());
        }
        let writer = on(store, held);
        let draft = RoundDraft {
            stage: stage.into(),
            scale: "100".into(),
            judges: judges.into(),
            held_on: held.to_string(),
        };
        let round = writer
            .add_contest_round(plan, jkj, edition, &draft, "demo")
            .await?;
        if let Some(from) = previous {
            writer
                .advance_contest_entries(plan, jkj, (edition, from), &reached, "demo")
                .await?;
        }
        let mut scored = Vec::new();
        for id in &reached {
            let score = rng.random_range(6_000..=9_800);
            let text = format!("{}.{:02}", score / 100, score % 100);
            writer
                .score_contest_entry(plan, jkj, (*id, round), &text, "demo")
                .await?;
            scored.push((score, *id));
        }
        scored.sort_by(|a, b| b.cmp(a));
        reached = scored.into_iter().take(keep).map(|(_, id)| id).collect();
        previous = Some(round);
    }
    Ok(reached)
}

/// The final's awards on 20 November (一等奖 to 优秀奖), and the angel fund's investment in the
/// two best five days later: the awarded, best first.
async fn award(
    store: &Store,
    plan: &Plan,
    staff: &Staff,
    finalists: &[i64],
    year: i32,
    today: NaiveDate,
) -> anyhow::Result<Vec<i64>> {
    let awarded_on = day(year, 11, 20);
    if awarded_on > today {
        return Ok(Vec::new());
    }
    let grades = [
        ("一等奖", 50_000),
        ("二等奖", 30_000),
        ("三等奖", 10_000),
        ("三等奖", 10_000),
        ("优秀奖", 5_000),
    ];
    let writer = on(store, awarded_on);
    for (id, (grade, amount)) in finalists.iter().zip(grades) {
        let draft = AwardDraft {
            grade: grade.into(),
            amount: amount.to_string(),
            awarded_on: awarded_on.to_string(),
        };
        writer
            .award_contest_entry(plan, &staff.jkj, *id, &draft, "demo")
            .await?;
    }
    let invested = day(year, 11, 25);
    if invested <= today {
        for (id, amount) in finalists.iter().zip(["500000", "300000"]) {
            let draft = SupportDraft {
                kind: "临空港天使投资基金".into(),
                given_on: invested.to_string(),
                note: "临空港天使投资基金天使轮投资".into(),
                amount: amount.into(),
            };
            on(store, invested)
                .record_contest_support(plan, &staff.jjgs, *id, &draft, "demo")
                .await?;
        }
    }
    Ok(finalists.to_vec())
}

/// Lectures (区人社局, June), training (区科服中心, August) and financing contacts (团区委,
/// October) for some of the entries.
async fn support(
    store: &Store,
    plan: &Plan,
    staff: &Staff,
    ids: &[i64],
    year: i32,
    today: NaiveDate,
) -> anyhow::Result<()> {
    let given = [
        (
            &staff.rsj,
            "创业讲堂",
            day(year, 6, 28),
            "参加“创业大讲堂”临空港专场",
            2,
        ),
        (
            &staff.kfzx,
            "创业实训",
            day(year, 8, 12),
            "入驻众创空间开展为期两周的创业实训",
            3,
        ),
        (
            &staff.tuanquwei,
            "融资对接",
            day(year, 10, 18),
            "参加青年创业项目融资路演",
            4,
        ),
    ];
    for (actor, kind, given_on, note, every) in given {
        if given_on > today {
            continue;
        }
        for id in ids.iter().step_by(every) {
            let draft = SupportDraft {
                kind: kind.into(),
                given_on: given_on.to_string(),
                note: note.into(),
                amount: String::new(),
            };
            on(store, given_on)
                .record_contest_support(plan, actor, *id, &draft, "demo")
                .await?;
        }
    }
    Ok(())
}

/// The two best projects of 2025 land as demo returnee businesses in December 2025 and
/// January 2026: how many landed.
async fn land(
    store: &Store,
    plan: &Plan,
    jkj: &Actor,
    winners: &[i64],
    today: NaiveDate,
) -> anyhow::Result<usize> {
    let businesses: Vec<i64> = store
        .businesses(plan, jkj, &BusinessFilter::default(), "demo")
        .await?
        .into_iter()
        .filter(|b| b.status == BusinessStatus::Operating)
        .map(|b| b.id)
        .take(2)
        .collect();
    let mut landed = 0;
    for ((entry, business), landed_on) in winners
        .iter()
        .zip(businesses)
        .zip([day(2025, 12, 10), day(2026, 1, 15)])
    {
        if landed_on > today {
            continue;
        }
        let draft = LandingDraft {
            business: business.to_string(),
            landed_on: landed_on.to_string(),
        };
        on(store, landed_on)
            .land_contest_entry(plan, jkj, *entry, &draft, "demo")
            .await?;
        landed += 1;
    }
    Ok(landed)
}
