//! Demo expert pool (task 2.1.3) and service window (task 2.3.1), tied to the demo
//! out-migrants: about forty experts recommended by the task's eleven units (most agreeing to a
//! public profile), their services to returnees, and each year's visits to the window —
//! registered returnees and walk-ins, some referred to departments and followed up (a few left
//! open, a few overdue), and a few portal questions still waiting for an answer.

use chrono::{Datelike, Duration, NaiveDate};
use linkong_core::access::{Actor, Role};
use linkong_core::experts::{ExpertDraft, ExpertField, ExpertService, ServiceDraft};
use linkong_core::plan::Plan;
use linkong_core::time::local_date;
use linkong_core::window::{FollowUpDraft, PortalQuestion, VisitDraft, WindowTopic};
use linkong_store::Store;
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

use crate::demo::ensure_user;

/// The units that recommend experts (task 2.1.3's lead and cooperating units).
const EXPERT_UNITS: [&str; 11] = [
    "rsj",
    "jkj",
    "fgj",
    "nyncj",
    "jyj",
    "zjj",
    "swj",
    "sfj",
    "gsl",
    "tuanquwei",
    "kx",
];

const SURNAMES: [&str; 16] = [
    "张", "王", "李", "刘", "陈", "杨", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "郭", "何",
];
const GIVEN: [&str; 16] = [
    "建国", "志强", "海燕", "文博", "晓东", "丽华", "明辉", "春梅", "国庆", "伟", "静", "磊", "芳",
    "俊杰", "玉兰", "新民",
];

/// Where an expert of a field works, and their title.
fn organisation(field: ExpertField) -> (&'static str, &'static str) {
    match field {
        ExpertField::Finance => ("武汉农商银行东西湖支行", "小微金融部经理"),
        ExpertField::Law => ("湖北临空律师事务所", "合伙人律师"),
        ExpertField::Planning => ("东西湖区规划设计院", "高级规划师"),
        ExpertField::Design => ("临空港创意设计中心", "设计总监"),
        ExpertField::Breeding => ("区畜牧水产技术推广站", "高级畜牧师"),
        ExpertField::Planting => ("区农业技术推广中心", "农艺师"),
        ExpertField::Ecommerce => ("临空港直播电商基地", "运营总监"),
        ExpertField::Tax => ("东西湖区税务师事务所", "注册税务师"),
        ExpertField::Marketing => ("武汉品牌策划有限公司", "品牌顾问"),
        ExpertField::Other => ("东西湖区创业指导中心", "创业指导师"),
    }
}

/// The demo's `n`-th expert, recommended by one of the eleven units in turn; most agree to a
/// public profile, every seventh to nothing but the staff list.
fn expert_draft(n: usize, rng: &mut StdRng) -> ExpertDraft {
    let field = ExpertField::ALL[n % ExpertField::ALL.len()];
    let (organisation, title) = organisation(field);
    let services: Vec<String> = ExpertService::ALL
        .iter()
        .filter(|_| rng.random_bool(0.5))
        .map(|s| s.code().to_owned())
        .chain(std::iter::once(ExpertService::Policy.code().to_owned()))
        .collect();
    let consents: &[&str] = match n % 7 {
        0 => &["field"],
        1 | 2 => &["name", "field", "services"],
        _ => &[
            "name",
            "organisation",
            "title",
            "field",
            "services",
            "intro",
        ],
    };
    ExpertDraft {
        name: format!("{}{}", SURNAMES[n % 16], GIVEN[(n * 7 + 3) % 16]),
        field: field.code().into(),
        organisation: organisation.into(),
        title: title.into(),
        services,
        availability: ["每周三下午", "工作日预约", "每月第一个周六", "电话预约"][n % 4].into(),
        phone: format!("1390271{:04}", n),
        intro: format!("长期为返乡创业人员提供{}方面的咨询与辅导。", field.label()),
        consents: consents.iter().map(|c| c.to_string()).collect(),
        status: if n % 19 == 18 { "retired" } else { "" }.into(),
    }
}

/// A unit's demo account (its code and "01").
async fn staff(store: &Store, plan: &Plan, unit: &str) -> anyhow::Result<Actor> {
    let name = plan.unit(unit).map_or(unit.to_owned(), |u| u.name.clone());
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

/// Fills the pool and the window for the first `migrants` demo out-migrants.
pub async fn fill(store: &Store, plan: &Plan, seed: u64, migrants: usize) -> anyhow::Result<()> {
    let mut rng = StdRng::seed_from_u64(seed ^ 0x2131);
    let today = local_date(store.now());
    // (resident ID, household street name) of returnees who mean to start a business first.
    let mut people: Vec<(String, String, bool)> = linkong_demo::migrant_rows(seed, None)
        .take(migrants)
        .map(|row| (row[1].clone(), row[3].clone(), row[12] == "返区创业"))
        .collect();
    people.sort_by_key(|(_, _, business)| !business);
    people.truncate(people.len().min(300));
    if people.is_empty() {
        return Ok(());
    }
    let experts = add_experts(store, plan, &mut rng, 40).await?;
    let mut services = 0;
    let mut visits = 0;
    for year in plan.years() {
        let start = NaiveDate::from_ymd_opt(year, 3, 1).unwrap_or(today);
        let end = today.min(NaiveDate::from_ymd_opt(year, 12, 20).unwrap_or(today));
        if start > end {
            continue;
        }
        let days = (start, (end - start).num_days().max(1));
        services += expert_services(store, plan, &mut rng, days, &experts, &people).await?;
        visits += window_visits(store, plan, &mut rng, days, today, &people).await?;
    }
    visits += portal_questions(store, plan, &mut rng, today).await?;
    println!(
        "演示专业人才库：{} 位专家、{services} 次服务；返乡创业服务专窗：{visits} 次来访和咨询。",
        experts.len()
    );
    Ok(())
}

/// `n` experts, recommended by the eleven units in turn: (id, recommending unit, active).
async fn add_experts(
    store: &Store,
    plan: &Plan,
    rng: &mut StdRng,
    n: usize,
) -> anyhow::Result<Vec<(i64, &'static str, bool)>> {
    let mut experts = Vec::new();
    for i in 0..n {
        let unit = EXPERT_UNITS[i % EXPERT_UNITS.len()];
        let actor = staff(store, plan, unit).await?;
        let draft = expert_draft(i, rng);
        let active = draft.status.is_empty();
        let mut added = draft.clone();
        added.status = String::new();
        let id = store.add_expert(plan, &actor, &added, "demo").await?;
        if !active {
            store
                .update_expert(plan, &actor, id, &draft, "demo")
                .await?;
        }
        experts.push((id, unit, active));
    }
    Ok(experts)
}

/// A year's services by active experts, each recorded by the expert's recommending unit.
async fn expert_services(
    store: &Store,
    plan: &Plan,
    rng: &mut StdRng,
    (start, span): (NaiveDate, i64),
    experts: &[(i64, &'static str, bool)],
    people: &[(String, String, bool)],
) -> anyhow::Result<usize> {
    let active: Vec<&(i64, &str, bool)> = experts.iter().filter(|e| e.2).collect();
    let count = rng.random_range(45..=70);
    for _ in 0..count {
        let (expert, unit, _) = *active[rng.random_range(0..active.len())];
        let (id_number, _, _) = &people[rng.random_range(0..people.len().min(120))];
        let kind = ExpertService::ALL[rng.random_range(0..ExpertService::ALL.len())];
        let draft = ServiceDraft {
            id_number: id_number.clone(),
            served_on: (start + Duration::days(rng.random_range(0..span))).to_string(),
            kind: kind.code().into(),
            hours: ["1", "1.5", "2", "3", "4"][rng.random_range(0..5)].into(),
            outcome: format!("为返区创业人员提供{}，已形成下一步计划", kind.label()),
        };
        let actor = staff(store, plan, unit).await?;
        store
            .record_expert_service(plan, &actor, expert, &draft, "demo")
            .await?;
    }
    Ok(count)
}

/// The departments the window refers to, with what they settle.
const REFERRALS: [(&str, WindowTopic, &str); 5] = [
    ("nyncj", WindowTopic::Land, "已指导办理设施农用地备案"),
    (
        "shuiwuj",
        WindowTopic::Finance,
        "已辅导完成税务登记和优惠申报",
    ),
    ("swj", WindowTopic::Industry, "已对接商贸扶持政策并协助申报"),
    ("xzspj", WindowTopic::Registration, "已协助完成营业执照办理"),
    ("jkj", WindowTopic::Industry, "已对接创业园区厂房资源"),
];

/// A year's visits to the window, logged by 行政审批局 (most) and 区人社局; one in three is
/// referred with a due date, and the department follows up, mostly closing it.
async fn window_visits(
    store: &Store,
    plan: &Plan,
    rng: &mut StdRng,
    (start, span): (NaiveDate, i64),
    today: NaiveDate,
    people: &[(String, String, bool)],
) -> anyhow::Result<usize> {
    let count = rng.random_range(60..=90);
    for i in 0..count {
        let keeper = if i % 4 == 0 { "rsj" } else { "xzspj" };
        let visited_on = start + Duration::days(rng.random_range(0..span));
        let referral = (rng.random_bool(0.33)).then(|| REFERRALS[rng.random_range(0..5)]);
        let draft = visit_draft(rng, people, visited_on, referral);
        let actor = staff(store, plan, keeper).await?;
        let id = store.log_visit(plan, &actor, &draft, "demo").await?;
        if let Some((unit, _, result)) = referral {
            follow_up(store, plan, rng, (id, visited_on, today), unit, result).await?;
        }
    }
    Ok(count)
}

fn visit_draft(
    rng: &mut StdRng,
    people: &[(String, String, bool)],
    visited_on: NaiveDate,
    referral: Option<(&str, WindowTopic, &str)>,
) -> VisitDraft {
    let topic = referral.map_or_else(
        || WindowTopic::ALL[rng.random_range(0..WindowTopic::ALL.len())],
        |(_, topic, _)| topic,
    );
    let mut draft = VisitDraft {
        visited_on: visited_on.to_string(),
        topic: topic.code().into(),
        question: format!("咨询返乡创业的{}问题", topic.label()),
        answer: format!("已讲解{}相关政策和办理流程", topic.label()),
        ..VisitDraft::default()
    };
    if rng.random_bool(0.6) {
        draft.id_number = people[rng.random_range(0..people.len())].0.clone();
    } else {
        let n = rng.random_range(0..256);
        draft.name = format!("{}{}", SURNAMES[n % 16], GIVEN[n / 16]);
        draft.phone = format!("1358600{:04}", n);
        draft.street = linkong_demo::STREETS[n % 12].0.into();
    }
    if let Some((unit, _, _)) = referral {
        draft.referred_to = unit.into();
        draft.due_on = (visited_on + Duration::days(rng.random_range(7..=20))).to_string();
        draft.answer.push_str("，已转相关部门跟进");
    }
    draft
}

/// The referred department's follow-ups: a first contact, then (four times in five, once the
/// day has come) the closing one.
async fn follow_up(
    store: &Store,
    plan: &Plan,
    rng: &mut StdRng,
    (id, visited_on, today): (i64, NaiveDate, NaiveDate),
    unit: &str,
    result: &str,
) -> anyhow::Result<()> {
    let actor = staff(store, plan, unit).await?;
    let first = visited_on + Duration::days(rng.random_range(1..=5));
    if first > today {
        return Ok(());
    }
    let contact = FollowUpDraft {
        done_on: first.to_string(),
        note: "已电话联系来访人，了解具体需求".into(),
        close: false,
        result: String::new(),
    };
    store.follow_up_visit(&actor, id, &contact, "demo").await?;
    let closing = first + Duration::days(rng.random_range(2..=15));
    if closing > today || rng.random_bool(0.2) {
        return Ok(());
    }
    let done = FollowUpDraft {
        done_on: closing.to_string(),
        note: "现场指导办理".into(),
        close: true,
        result: result.into(),
    };
    store.follow_up_visit(&actor, id, &done, "demo").await?;
    Ok(())
}

/// A few questions asked on the portal this week, waiting for an answer.
async fn portal_questions(
    store: &Store,
    plan: &Plan,
    rng: &mut StdRng,
    today: NaiveDate,
) -> anyhow::Result<usize> {
    if !plan.years().contains(&today.year()) {
        return Ok(0);
    }
    let questions = [
        ("guidance", "想回柏泉开农家乐，能请专家看看方案吗？"),
        ("finance", "创业担保贷款需要什么条件？"),
        ("registration", "个体户营业执照可以网上办吗？"),
        ("policy", "返乡开网店有哪些补贴？"),
    ];
    for (i, (topic, question)) in questions.iter().enumerate() {
        let n = rng.random_range(0..256);
        let asked = PortalQuestion {
            name: format!("{}{}", SURNAMES[n % 16], GIVEN[n / 16]),
            phone: format!("1377100{:04}", n),
            street: linkong_demo::STREETS[n % 12].0.into(),
            topic: (*topic).into(),
            question: (*question).into(),
        };
        store.ask_window(plan, &asked, &format!("demo-{i}")).await?;
    }
    Ok(questions.len())
}
