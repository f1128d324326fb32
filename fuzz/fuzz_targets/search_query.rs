//! The job search as a job seeker drives it: any text and filters against a small index built
//! once, plus the word cutter and the policy list's search. Nothing in the text is syntax, so
//! no text may fail, let alone panic.
#![no_main]

use std::sync::OnceLock;

use arbitrary::Arbitrary;
use chrono::NaiveDate;
use libfuzzer_sys::fuzz_target;
use linkong_search::{JobDoc, JobIndex, JobQuery, PolicyDoc, PolicyIndex, Sort, words};

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a date")
}

const POSTS: &[(&str, &str, &str)] = &[
    (
        "会计",
        "江城财务咨询有限公司",
        "负责日常账务处理，底薪加提成，熟练使用用友、金蝶。",
    ),
    (
        "CAD 制图员",
        "东西湖精工机械厂",
        "熟练使用 AutoCAD 绘制零件图，五险一金。",
    ),
    (
        "仓库管理员",
        "临空港物流园",
        "负责出入库登记与盘点，能适应倒班。",
    ),
    (
        "食品检验员",
        "吴家山食品工业园",
        "按 GB 4789 做微生物检验，持证优先。",
    ),
    (
        "网络安全工程师",
        "国家网安基地某公司",
        "渗透测试、等保测评，熟悉 Linux 与 Python。",
    ),
    (
        "电工",
        "金银湖物业",
        "持低压电工证，负责小区配电维护 & 巡检 <夜班>。",
    ),
];

fn jobs() -> &'static JobIndex {
    static INDEX: OnceLock<JobIndex> = OnceLock::new();
    INDEX.get_or_init(|| {
        let index = JobIndex::in_ram().expect("an index in memory");
        let docs = POSTS
            .iter()
            .enumerate()
            .map(|(i, (title, employer, description))| JobDoc {
                id: i as i64 + 1,
                title: (*title).into(),
                employer: (*employer).into(),
                description: (*description).into(),
                industry: ["I", "C", "G", "C", "I", "K"][i].into(),
                leading: "other".into(),
                street: ["jinghe", "wujiashan"][i % 2].into(),
                education: "any".into(),
                experience: "any".into(),
                positions: 1 + i as i64,
                emerging: i % 2 == 0,
                salary_min: 3000 + i as i64 * 500,
                salary_max: 6000 + i as i64 * 1000,
                published_at: 1_750_000_000 + i as i64,
                valid_until: day(2026, 12, 31),
            })
            .collect();
        index.apply(docs, &[], 1).expect("posts indexed");
        index
    })
}

fn policies() -> &'static PolicyIndex {
    static INDEX: OnceLock<PolicyIndex> = OnceLock::new();
    INDEX.get_or_init(|| {
        let index = PolicyIndex::in_ram().expect("an index in memory");
        index
            .replace(&[PolicyDoc {
                id: 1,
                title: "高校毕业生就业补贴".into(),
                issuer: "区人社局".into(),
                document_number: "东政办〔2025〕3号".into(),
                benefit: "一次性补贴 3000 元".into(),
                conditions: "毕业两年内，签订一年以上劳动合同".into(),
            }])
            .expect("policies indexed");
        index
    })
}

#[derive(Arbitrary, Debug)]
struct Asked {
    text: String,
    industry: Option<String>,
    leading: Option<String>,
    street: Option<String>,
    education: Option<String>,
    salary_at_least: Option<i64>,
    emerging: Option<bool>,
    sort: u8,
    offset: usize,
    limit: usize,
    days_from_2026: i16,
}

fuzz_target!(|asked: Asked| {
    let today = day(2026, 1, 1) + chrono::Duration::days(i64::from(asked.days_from_2026));
    let query = JobQuery {
        text: asked.text.clone(),
        industry: asked.industry,
        leading: asked.leading,
        street: asked.street,
        education: asked.education,
        salary_at_least: asked.salary_at_least,
        emerging: asked.emerging,
        sort: [Sort::Relevance, Sort::Newest, Sort::Salary][usize::from(asked.sort % 3)],
        offset: asked.offset,
        limit: asked.limit,
        today,
    };
    let hits = jobs().search(&query).expect("any query is answered");
    assert!(hits.hits.len() <= hits.total);
    let _ = words(&asked.text);
    let _ = policies()
        .search(&asked.text)
        .expect("any text is answered");
});
