//! Search latency over 100,000 posts: `cargo bench -p linkong-search`.
//!
//! Indexes generated posts (templated descriptions, so common phrases occur in half the posts:
//! a hard case), waits for the merges, then runs each query ten times and prints, per query, the
//! fastest and the median run, and over all runs the p50, p90 and p99. The budget is p99 ≤ 5 ms.

#[path = "../tests/common/mod.rs"]
mod common;

use std::time::{Duration, Instant};

use common::{job, query, today};
use linkong_search::{JobDoc, JobIndex, JobQuery, Sort};

const POSTS: i64 = 100_000;
const ROUNDS: usize = 10;

#[rustfmt::skip]
const TITLES: &[&str] = &[
    "会计", "出纳", "财务主管", "电工", "机电工程师", "焊工", "普工", "操作工", "叉车司机",
    "货车司机", "前端开发工程师", "Java开发工程师", "JavaScript工程师", "测试工程师", "产品经理",
    "销售代表", "客服专员", "仓库管理员", "行政助理", "人事专员", "保安", "保洁", "厨师", "服务员",
    "店长", "质检员", "设备维护", "数控操作员", "电气工程师", "审计助理",
];
const PLACES: &[&str] = &["泾河新城", "沣东新城", "秦汉新城", "空港新城", "沣西新城"];
#[rustfmt::skip]
const KINDS: &[&str] = &[
    "智能制造有限公司", "物流有限公司", "会计师事务所", "科技有限公司", "餐饮管理有限公司",
    "新能源有限公司", "物业服务有限公司", "商贸有限公司",
];
#[rustfmt::skip]
const SENTENCES: &[&str] = &[
    "负责公司日常账务处理，编制财务报表，", "熟悉电气设备安装与维修，持有电工证者优先，",
    "按照工艺要求完成生产任务，服从车间安排，", "持A2驾照，熟悉西安及周边路线，",
    "使用Vue或React进行前端开发，熟悉JavaScript，", "五险一金，包吃包住，节假日福利，",
    "有相关工作经验一年以上，吃苦耐劳，", "负责仓库出入库管理与盘点，",
    "接待客户来访，处理客户咨询与投诉，", "参与产品需求分析与设计，编写技术文档，",
    "做好设备日常点检与保养，保证安全生产，", "完成上级交办的其他工作。",
];
const EDUCATIONS: &[&str] = &["any", "high_school", "associate", "bachelor", "master"];

struct Random(u64);

impl Random {
    fn below(&mut self, bound: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % bound as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

fn post(random: &mut Random, id: i64) -> JobDoc {
    let title = format!("{}（{}）", random.pick(TITLES), random.pick(PLACES));
    let employer = format!("陕西{}{}", random.pick(PLACES), random.pick(KINDS));
    let mut description = String::new();
    let sentences = 6 + random.below(10);
    for _ in 0..sentences {
        description.push_str(random.pick(SENTENCES));
    }
    let mut post = job(id, &title, &employer, &description);
    post.education = random.pick(EDUCATIONS).to_owned();
    post.street = random
        .pick(&["jinghe", "chongwen", "gaozhuang", "yongle"])
        .to_owned();
    post.emerging = random.below(4) == 0;
    post.salary_max = 3000 + 500 * random.below(20) as i64;
    post.published_at = 1_700_000_000 + random.below(10_000_000) as i64;
    post.valid_until = today() + chrono::Days::new(random.below(60) as u64);
    post
}

fn queries() -> Vec<JobQuery> {
    let texts = [
        "会计",
        "电工",
        "司机",
        "前端",
        "java",
        "工程师",
        "财务报表",
        "泾河新城 电工",
        "服务",
        "五险一金",
        "会 计",
        "a",
        "熟悉JavaScript",
        "智能制造 普工 包吃包住",
        "不存在的岗位",
        "",
    ];
    let mut all = Vec::new();
    for text in texts {
        for sort in [Sort::Relevance, Sort::Newest, Sort::Salary] {
            all.push(JobQuery {
                sort,
                limit: 20,
                ..query(text)
            });
        }
        all.push(JobQuery {
            street: Some("jinghe".into()),
            education: Some("bachelor".into()),
            salary_at_least: Some(6000),
            limit: 20,
            offset: 20,
            ..query(text)
        });
    }
    all
}

fn main() {
    // `cargo test --all-targets` runs this too, unoptimised and without `--bench`: skip then.
    if !std::env::args().any(|arg| arg == "--bench") {
        println!("search latency: run with `cargo bench -p linkong-search`");
        return;
    }
    let index = JobIndex::in_ram().expect("an index in memory");
    let mut random = Random(0x0bad_cafe_1234_5678);
    let started = Instant::now();
    let mut batch = Vec::new();
    for id in 1..=POSTS {
        batch.push(post(&mut random, id));
        if batch.len() == 10_000 {
            index
                .apply(std::mem::take(&mut batch), &[], id)
                .expect("a batch is indexed");
        }
    }
    println!(
        "indexed {} posts in {:?}",
        index.num_docs(),
        started.elapsed()
    );
    index.wait_for_merges().expect("the merges finish");
    println!("merged by {:?}", started.elapsed());
    // As a server's sync does once a day: searches for today then need no expiry filter.
    let removed = index.remove_expired(today()).expect("the sweep");
    println!("{removed} expired posts removed");

    let queries = queries();
    for asked in &queries {
        index.search(asked).expect("the warm-up search answers");
    }
    let mut per_query: Vec<Vec<Duration>> = vec![Vec::new(); queries.len()];
    let rounds = std::env::var("LINKONG_SEARCH_ROUNDS")
        .ok()
        .and_then(|text| text.parse().ok())
        .unwrap_or(ROUNDS);
    for _ in 0..rounds {
        for (times, asked) in per_query.iter_mut().zip(&queries) {
            let started = Instant::now();
            index.search(asked).expect("the search answers");
            times.push(started.elapsed());
        }
    }

    println!("{:>10} {:>10} {:>7}  query", "fastest", "median", "total");
    for (times, asked) in per_query.iter_mut().zip(&queries) {
        times.sort_unstable();
        let total = index.search(asked).expect("the search answers").total;
        println!(
            "{:>10.2?} {:>10.2?} {total:>7}  {:?} {:?} offset {}{}",
            times[0],
            times[times.len() / 2],
            asked.text,
            asked.sort,
            asked.offset,
            if asked.street.is_some() {
                " filtered"
            } else {
                ""
            },
        );
    }
    let mut all: Vec<Duration> = per_query.into_iter().flatten().collect();
    all.sort_unstable();
    let at = |share: f64| all[((all.len() as f64 * share) as usize).min(all.len() - 1)];
    println!(
        "{} searches: p50 {:.2?}, p90 {:.2?}, p99 {:.2?}, max {:.2?}",
        all.len(),
        at(0.50),
        at(0.90),
        at(0.99),
        all[all.len() - 1]
    );
}
