//! `linkong bench match` (issue 16, Benchmark): the matching batch at the district's scale, in
//! memory. The demo generator makes the persons — unplaced graduates (major, degree, household
//! street) and out-migrants (skills, trade, schooling, household street), half each — and the
//! open posts of its employers (title, occupation, description, group, education, pay, street,
//! publication day, fraud phrase). The batch cuts the posts' words and indexes them, then finds
//! every person's top 10 with reasons on every core ([`best_for_all`] with its prefilter).
//! Beside it, in the same run, brute force scores every post for a random sample of the persons
//! with the same scoring function; its time is scaled to all persons, and recall@10 is the share
//! of the brute force's lists the batch found. Peak memory is the process's VmHWM.

use std::collections::HashMap;
use std::process::ExitCode;
use std::time::Instant;

use chrono::NaiveDate;
use linkong_app::match_batch::{Suggestion, best_for_all, cut_words, threads};
use linkong_core::jobs::{Education, JobLevel, OccupationGroup};
use linkong_core::matching::batch::{degree_education, returnee_seeker};
use linkong_core::matching::{Matcher, Opening, Seeker, StreetNames, WEIGHTS_FILE, Weights};
use linkong_core::occupations::Classification;
use linkong_core::people::{Degree, Schooling};
use rand::SeedableRng;
use rand::rngs::StdRng;
use rand::seq::index::sample;

const SEED: u64 = 20_251_206;
const TOP: usize = 10;
const BUDGET_SECONDS: f64 = 60.0;
const BUDGET_SPEEDUP: f64 = 10.0;
const BUDGET_RECALL: f64 = 0.95;
const BUDGET_PEAK_MB: f64 = 2048.0;
/// The size the budgets are set for.
const FULL_PERSONS: usize = 200_000;
const FULL_POSTS: usize = 30_000;

/// What the benchmark is asked.
pub struct MatchBench {
    pub persons: usize,
    pub posts: usize,
    /// The share of persons brute force scores, in percent.
    pub sample_percent: f64,
    /// Score every post for the batch too (recall is then 1 by construction).
    pub no_prefilter: bool,
}

/// What one run measured.
struct Measured {
    generate: f64,
    index: f64,
    batch: f64,
    sample: usize,
    brute: f64,
    recall: f64,
    peak_mb: f64,
    results: usize,
}

pub fn bench(ask: &MatchBench) -> anyhow::Result<ExitCode> {
    let today = NaiveDate::from_ymd_opt(2025, 9, 1).unwrap_or_default();
    let weights = Weights::parse(WEIGHTS_FILE).map_err(anyhow::Error::msg)?;
    let started = Instant::now();
    let posts = open_posts(ask.posts, today);
    let persons = persons(ask.persons);
    let generate = started.elapsed().as_secs_f64();

    let started = Instant::now();
    let words = cut_words(&posts);
    let matcher = Matcher::with_words(posts, &words, weights, today, street_names());
    drop(words);
    let index = started.elapsed().as_secs_f64();
    let started = Instant::now();
    let lists = best_for_all(&matcher, &persons, TOP, !ask.no_prefilter);
    let batch = started.elapsed().as_secs_f64();
    let results = lists.iter().map(Vec::len).sum();

    let chosen = sample_of(persons.len(), ask.sample_percent);
    let sampled: Vec<Seeker> = chosen.iter().map(|&i| persons[i].clone()).collect();
    let started = Instant::now();
    let brute = best_for_all(&matcher, &sampled, TOP, false);
    let brute_seconds = started.elapsed().as_secs_f64();
    let recall = recall(&chosen, &lists, &brute);
    let measured = Measured {
        generate,
        index,
        batch,
        sample: chosen.len(),
        brute: brute_seconds,
        recall,
        peak_mb: peak_mb(),
        results,
    };
    print_table(ask, matcher.posts().len(), persons.len(), &measured);
    Ok(check_budgets(ask, persons.len(), &measured))
}

/// `n` open posts of the demo's employers (published, still valid on `today`).
fn open_posts(n: usize, today: NaiveDate) -> Vec<Opening> {
    let employers = linkong_demo::employers(SEED, linkong_demo::employer_count(n));
    linkong_demo::posts(SEED, &employers)
        .filter(|post| post.valid_until(today) >= today)
        .take(n)
        .map(|post| {
            let group = OccupationGroup::parse(&post.occupation_group.to_string())
                .unwrap_or(OccupationGroup::Other);
            let code = linkong_demo::occupation_code(&post);
            Opening {
                occupation_group: group,
                occupation_code: Classification::shipped().code(&code).ok(),
                level: JobLevel::parse(linkong_demo::post_level(&post))
                    .unwrap_or(JobLevel::default_for(group)),
                education: Education::parse(post.education).unwrap_or(Education::Any),
                published_on: post.published_on(today),
                street_code: post.street.to_owned(),
                employer_verified: true,
                high_risk: post.risky,
                salary_min: post.salary_min,
                salary_max: post.salary_max,
                title: post.title,
                occupation: post.occupation,
                description: post.description,
            }
        })
        .collect()
}

/// `n` persons from the demo's rosters: graduates and out-migrants in turn.
fn persons(n: usize) -> Vec<Seeker> {
    let code: HashMap<&str, &str> = linkong_demo::STREETS
        .iter()
        .map(|(code, name)| (*name, *code))
        .collect();
    let street = |name: &str| code.get(name).copied().unwrap_or(name).to_owned();
    let mut graduates = linkong_demo::graduate_rows(SEED, 2025, None);
    let mut migrants = linkong_demo::migrant_rows(SEED, None);
    (0..n)
        .filter_map(|i| {
            if i % 2 == 0 {
                let row = graduates.next()?;
                let degree = Degree::parse(&row[8]).unwrap_or(Degree::Bachelor);
                Some(Seeker {
                    major: row[7].clone(),
                    skills: Vec::new(),
                    education: degree_education(degree),
                    wanted_group: None,
                    wanted_occupation: None,
                    wanted_level: None,
                    wanted_salary: None,
                    home_street: street(&row[3]),
                    wanted_streets: Vec::new(),
                })
            } else {
                let row = migrants.next()?;
                let schooling = Schooling::parse(&row[5]).ok();
                Some(returnee_seeker(
                    &row[10],
                    &row[9],
                    schooling,
                    &street(&row[3]),
                ))
            }
        })
        .collect()
}

fn street_names() -> StreetNames {
    linkong_demo::STREETS
        .iter()
        .map(|(code, name)| ((*code).to_owned(), (*name).to_owned()))
        .collect()
}

/// A random `percent` of `0..n` (at least one when n > 0), ascending.
fn sample_of(n: usize, percent: f64) -> Vec<usize> {
    let size = ((n as f64 * percent / 100.0).round() as usize).clamp(n.min(1), n);
    let mut chosen = sample(&mut StdRng::seed_from_u64(SEED), n, size).into_vec();
    chosen.sort_unstable();
    chosen
}

/// The share of the brute force's posts the batch's lists hold, over the sample.
fn recall(chosen: &[usize], lists: &[Vec<Suggestion>], brute: &[Vec<Suggestion>]) -> f64 {
    let (mut found, mut wanted) = (0usize, 0usize);
    for (&person, exact) in chosen.iter().zip(brute) {
        wanted += exact.len();
        found += exact
            .iter()
            .filter(|e| lists[person].iter().any(|s| s.post == e.post))
            .count();
    }
    if wanted == 0 {
        1.0
    } else {
        found as f64 / wanted as f64
    }
}

/// The process's peak resident memory (VmHWM), in MB.
fn peak_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

fn print_table(ask: &MatchBench, posts: usize, persons: usize, m: &Measured) {
    let scale = persons as f64 / m.sample.max(1) as f64;
    let total = m.index + m.batch;
    let way = if ask.no_prefilter {
        "批量（不预筛，逐岗评分）"
    } else {
        "批量（倒排索引 + 分桶上界预筛）"
    };
    println!(
        "\n人岗匹配基准：{persons} 人 × {posts} 个在招岗位，每人前 {TOP} 个，{} 个线程；生成数据 {:.1} s",
        threads(),
        m.generate
    );
    println!("\n| 项目 | 结果 | 预算 |");
    println!("|---|---|---|");
    println!("| 岗位分词与索引 | {:.2} s | |", m.index);
    println!(
        "| {way}：全部 {persons} 人 | {:.2} s（含索引 {total:.2} s；{:.0} 人/秒） | ≤ {BUDGET_SECONDS:.0} s |",
        m.batch,
        persons as f64 / m.batch.max(1e-9)
    );
    println!(
        "| 暴力评分：随机 {} 人（{:.1} %） | {:.2} s | |",
        m.sample, ask.sample_percent, m.brute
    );
    println!(
        "| 暴力评分：按比例折算到 {persons} 人（×{scale:.0}） | {:.1} s | |",
        m.brute * scale
    );
    println!(
        "| 加速比（折算暴力 ÷ 批量含索引） | {:.1}× | ≥ {BUDGET_SPEEDUP:.0}× |",
        m.brute * scale / total.max(1e-9)
    );
    println!(
        "| recall@{TOP}（样本上，批量 vs 暴力） | {:.4} | ≥ {BUDGET_RECALL} |",
        m.recall
    );
    println!(
        "| 峰值内存（VmHWM） | {:.0} MB | ≤ {BUDGET_PEAK_MB:.0} MB |",
        m.peak_mb
    );
    println!("| 推荐条数 | {} | |", m.results);
}

/// Names every missed budget; the time budgets hold for the full size only.
fn check_budgets(ask: &MatchBench, persons: usize, m: &Measured) -> ExitCode {
    let scale = persons as f64 / m.sample.max(1) as f64;
    let total = m.index + m.batch;
    let mut missed = Vec::new();
    if m.recall < BUDGET_RECALL {
        missed.push(format!("recall@{TOP} 低于 {BUDGET_RECALL}"));
    }
    if m.peak_mb > BUDGET_PEAK_MB {
        missed.push(format!("峰值内存超过 {BUDGET_PEAK_MB:.0} MB"));
    }
    let full = ask.persons >= FULL_PERSONS && ask.posts >= FULL_POSTS;
    if full && total > BUDGET_SECONDS {
        missed.push(format!("批量用时超过 {BUDGET_SECONDS:.0} 秒"));
    }
    if full && m.brute * scale < BUDGET_SPEEDUP * total {
        missed.push(format!("比暴力评分快不到 {BUDGET_SPEEDUP:.0} 倍"));
    }
    if !full {
        println!(
            "\n用时预算按 {FULL_PERSONS} 人 × {FULL_POSTS} 个岗位衡量，本次规模较小，只检查 recall 与内存。"
        );
    }
    crate::bench_support::verdict(&missed)
}
