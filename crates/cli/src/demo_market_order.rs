//! Demo labour-market order (1.3.4): a special action of 区人社局 each plan year so far (May to
//! December, with 区公安分局, 区市场监管局 and the streets), two to four inspections a month by
//! its units — some with a fine or a warning and its legal basis, rectification due a fortnight
//! later and mostly done, a few left overdue — a handful of complaints about posts opened as
//! cases with their outcome, and each month's 招聘求职陷阱提示 and 违规典型案例 published on the
//! 10th, so that 1.3.4's rows have figures and the portal's 求职防骗 page has notices.

use chrono::{Datelike, Duration, NaiveDate};
use linkong_core::market_order::{
    ActionDraft, CaseDraft, InspectionDraft, IssueMonth, NoticeDraft, OutcomeDraft,
};
use linkong_core::plan::Plan;
use linkong_core::time::local_date;
use linkong_store::Store;
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

use crate::demo_returnees::{on, staff_of};

/// The units that inspect in the demo.
const INSPECTORS: [&str; 5] = ["rsj", "gaj", "scjgj", "jinghe", "jinyinhu"];
/// (kind, name, finding, penalty kind, amount, legal basis).
const CASES: [(&str, &str, &str, &str, &str, &str); 5] = [
    (
        "agency",
        "武汉捷聘人力资源服务有限公司",
        "未经许可从事职业中介活动，向求职者收取押金 300 元",
        "fine",
        "10000",
        "《人力资源市场暂行条例》第四十二条",
    ),
    (
        "agency",
        "东西湖区某劳务信息部",
        "发布虚假招聘信息，以高薪诱导求职者办理培训贷",
        "warning",
        "",
        "《人力资源市场暂行条例》第四十三条",
    ),
    (
        "employer",
        "武汉临空港某电子厂",
        "试用期超过法定期限，未依法签订劳动合同",
        "none",
        "",
        "",
    ),
    (
        "employer",
        "某物流公司东西湖分拨中心",
        "招聘简章含性别限制",
        "none",
        "",
        "",
    ),
    (
        "agency",
        "武汉优才人力资源有限公司",
        "未按规定公示服务项目和收费标准",
        "warning",
        "",
        "《人力资源市场暂行条例》第三十六条、第四十三条",
    ),
];
const TIPS: [(&str, &str); 4] = [
    (
        "警惕“培训贷”：先交培训费再上岗的多是陷阱",
        "正规用人单位不会要求求职者贷款参加培训。遇到“先培训、后上岗、贷款交学费”的，请拒绝并举报。",
    ),
    (
        "求职不交押金、不交证件原件",
        "招聘时收取押金、服装费、体检费，或扣押身份证、毕业证原件的，均属违法行为。",
    ),
    (
        "高薪轻松的“刷单返利”岗位都是诈骗",
        "以兼职刷单、点赞返利为名的招聘，先小额返利再诱导大额垫付，请立即停止并报警。",
    ),
    (
        "试用期不是“白用期”",
        "劳动合同期限三个月以上不满一年的，试用期不得超过一个月；试用期工资不得低于本单位相同岗位最低档工资的百分之八十。",
    ),
];

/// Fills the labour-market order of every plan year up to today.
pub async fn fill(store: &Store, plan: &Plan, seed: u64) -> anyhow::Result<()> {
    let today = local_date(store.now());
    let rsj = staff_of(store, plan, "rsj").await?;
    let mut rng = StdRng::seed_from_u64(seed ^ 0x0134);
    let (mut inspections, mut notices) = (Vec::new(), 0);
    for year in plan.years() {
        let Some(start) = NaiveDate::from_ymd_opt(year, 5, 1).filter(|d| *d <= today) else {
            continue;
        };
        let end = NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(start);
        let draft = ActionDraft {
            name: format!("{year} 年人力资源市场秩序清理整顿专项行动"),
            lead_unit: "rsj".into(),
            starts_on: start.to_string(),
            ends_on: end.to_string(),
            cooperating: ["gaj", "scjgj", "jinghe", "jinyinhu"]
                .map(String::from)
                .into(),
        };
        let action = on(store, start)
            .start_market_action(plan, &rsj, &draft, "demo")
            .await?;
        let mut month = start;
        while month <= today.min(end) {
            let done = inspect_month(store, plan, &mut rng, (action, month), today).await?;
            notices +=
                publish_month(store, plan, &rsj, month, done.first().copied(), today).await?;
            inspections.extend(done);
            month = month
                .checked_add_months(chrono::Months::new(1))
                .unwrap_or(end + Duration::days(1));
        }
    }
    let cases = open_cases(store, plan, &inspections, today).await?;
    println!(
        "人力资源市场秩序演示数据：检查 {} 次，立案查处 {cases} 件，发布提示和案例 {notices} 篇。",
        inspections.len()
    );
    Ok(())
}

/// Two to four inspections in the month of `month` (days before today), their rectification
/// mostly closed a few days before its due day: the ids.
async fn inspect_month(
    store: &Store,
    plan: &Plan,
    rng: &mut StdRng,
    (action, month): (i64, NaiveDate),
    today: NaiveDate,
) -> anyhow::Result<Vec<i64>> {
    let mut ids = Vec::new();
    for _ in 0..rng.random_range(2..=4) {
        let day = month + Duration::days(rng.random_range(0..25));
        if day >= today {
            continue;
        }
        let unit = INSPECTORS[rng.random_range(0..INSPECTORS.len())];
        let actor = staff_of(store, plan, unit).await?;
        let (kind, name, finding, penalty, amount, basis) = CASES[rng.random_range(0..CASES.len())];
        let due = day + Duration::days(15);
        let draft = InspectionDraft {
            action: action.to_string(),
            inspected_on: day.to_string(),
            target_kind: kind.into(),
            target_name: name.into(),
            target_uscc: String::new(),
            findings: finding.into(),
            penalty_kind: penalty.into(),
            penalty_amount: amount.into(),
            legal_basis: basis.into(),
            rectification_due: due.to_string(),
        };
        let id = on(store, day)
            .record_market_inspection(plan, &actor, &draft, "demo")
            .await?;
        let fixed = due - Duration::days(rng.random_range(0..10));
        if fixed < today && rng.random_range(0..10) < 8 {
            store
                .close_rectification(plan, &actor, id, &fixed.to_string(), "demo")
                .await?;
        }
        ids.push(id);
    }
    Ok(ids)
}

/// The month's trap tip and, from one of its inspections, its violation case, published on
/// the 10th when that day has come: how many.
async fn publish_month(
    store: &Store,
    plan: &Plan,
    rsj: &linkong_core::access::Actor,
    month: NaiveDate,
    inspection: Option<i64>,
    today: NaiveDate,
) -> anyhow::Result<usize> {
    let Some(day) = month.with_day(10).filter(|d| *d <= today) else {
        return Ok(0);
    };
    let issue = IssueMonth::of(day);
    let (title, body) = TIPS[(day.month() as usize) % TIPS.len()];
    let mut drafts = vec![NoticeDraft {
        kind: "trap_tip".into(),
        title: title.into(),
        body: body.into(),
        issue_month: issue.code(),
        published_on: day.to_string(),
        source: String::new(),
    }];
    if let Some(id) = inspection {
        drafts.push(NoticeDraft {
            kind: "violation_case".into(),
            title: format!("{}违规典型案例：无证中介收取求职押金被查处", issue.label()),
            body: "经专项行动检查查实，该机构未经许可从事职业中介活动并收取押金，已依法处罚并责令整改。求职者遇到收费招聘请及时举报。".into(),
            issue_month: issue.code(),
            published_on: day.to_string(),
            source: format!("inspection:{id}"),
        });
    }
    for draft in &drafts {
        on(store, day)
            .publish_market_notice(plan, rsj, draft, "demo")
            .await?;
    }
    Ok(drafts.len())
}

/// A few complaints about published posts, each opened as a case linked to an inspection,
/// those older than a fortnight decided: how many cases.
async fn open_cases(
    store: &Store,
    plan: &Plan,
    inspections: &[i64],
    today: NaiveDate,
) -> anyhow::Result<usize> {
    let rsj = staff_of(store, plan, "rsj").await?;
    let mut opened = 0;
    for (n, post) in (1..400).step_by(37).enumerate() {
        let Ok(complaint) = store
            .report_job_post(
                post,
                "收取费用或押金",
                "面试时要求先交 200 元服装费",
                "demo",
            )
            .await
        else {
            continue;
        };
        let opened_on = today - Duration::days(3 + 5 * n as i64);
        let draft = CaseDraft {
            complaint: complaint.to_string(),
            opened_on: opened_on.to_string(),
            inspection: inspections
                .get(n)
                .map(|i| i.to_string())
                .unwrap_or_default(),
            ..CaseDraft::default()
        };
        let case = store.open_market_case(plan, &rsj, &draft, "demo").await?;
        if opened_on + Duration::days(14) < today {
            let outcome = OutcomeDraft {
                outcome: ["confirmed", "unfounded", "referred_police"][n % 3].into(),
                decided_on: (opened_on + Duration::days(7)).to_string(),
                note: "经核查办结，结果已告知举报人。".into(),
            };
            store
                .decide_market_case(plan, &rsj, case, &outcome, "demo")
                .await?;
        }
        opened += 1;
    }
    Ok(opened)
}
