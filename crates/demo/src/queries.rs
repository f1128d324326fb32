//! What job seekers type into the search box, for a search benchmark.

use linkong_core::industry::LeadingIndustry;
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

use crate::STREETS;
use crate::pick;
use crate::words::{ONE_WORDS, TWO_CHARS, TWO_WORDS};

/// The shape of a query's text, which stresses a search index differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum QueryKind {
    /// One word of three or more characters, or a Latin word: "数据分析", "Java".
    OneWord,
    /// Two words separated by a space: "前端 Vue", "仓库 叉车".
    TwoWord,
    /// One word of exactly two Chinese characters: "会计", "焊工".
    TwoChar,
}

/// A job seeker's query: text and the filters they ticked (about 40 % tick one or two).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoQuery {
    pub text: String,
    /// GB/T 4754 section letter.
    pub industry: Option<char>,
    /// Leading-industry code.
    pub leading: Option<&'static str>,
    /// Street unit code.
    pub street: Option<&'static str>,
    /// Education code (`high_school`, `associate`, `bachelor`, `master`).
    pub education: Option<&'static str>,
    /// Monthly yuan the post must be able to pay.
    pub salary_at_least: Option<i64>,
    pub emerging: Option<bool>,
    pub kind: QueryKind,
}

impl DemoQuery {
    /// The query as the search form sends it: `q` and each filter ticked, by the form's names.
    pub fn pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = vec![("q", self.text.clone())];
        if let Some(section) = self.industry {
            pairs.push(("industry", section.to_string()));
        }
        for (name, value) in [
            ("leading", self.leading),
            ("street", self.street),
            ("education", self.education),
        ] {
            if let Some(value) = value {
                pairs.push((name, value.to_owned()));
            }
        }
        if let Some(salary) = self.salary_at_least {
            pairs.push(("salary", salary.to_string()));
        }
        if let Some(emerging) = self.emerging {
            pairs.push(("emerging", if emerging { "1" } else { "0" }.to_owned()));
        }
        pairs
    }
}

/// Keeps the queries' random stream apart from the employers' when both use the same seed.
const QUERIES_STREAM: u64 = 0x7175_6572_795f_7631;

/// The sections that demo employers are in.
const SECTIONS: [char; 11] = ['I', 'C', 'G', 'F', 'M', 'Q', 'H', 'L', 'E', 'K', 'R'];

/// `n` queries, the same for the same seed: about 40 % one word, 30 % two words, 30 % two
/// characters; about 40 % carry one or two filters. Every word occurs in the generated posts.
pub fn queries(seed: u64, n: usize) -> Vec<DemoQuery> {
    let mut rng = StdRng::seed_from_u64(seed ^ QUERIES_STREAM);
    (0..n).map(|_| query(&mut rng)).collect()
}

fn query(rng: &mut StdRng) -> DemoQuery {
    let kind = *pick::weighted(
        rng,
        &[
            (QueryKind::OneWord, 40),
            (QueryKind::TwoWord, 30),
            (QueryKind::TwoChar, 30),
        ],
    );
    let text = match kind {
        QueryKind::OneWord => (*pick::one(rng, ONE_WORDS)).to_owned(),
        QueryKind::TwoWord => {
            let (first, second) = pick::one(rng, TWO_WORDS);
            format!("{first} {second}")
        }
        QueryKind::TwoChar => (*pick::one(rng, TWO_CHARS)).to_owned(),
    };
    let mut query = DemoQuery {
        text,
        industry: None,
        leading: None,
        street: None,
        education: None,
        salary_at_least: None,
        emerging: None,
        kind,
    };
    if rng.random_bool(0.4) {
        let count = if rng.random_bool(0.7) { 1 } else { 2 };
        for filter in pick::several(rng, &[0, 1, 2, 3, 4, 5], count) {
            match filter {
                0 => query.industry = Some(*pick::one(rng, &SECTIONS)),
                1 => query.leading = Some(pick::one(rng, &LeadingIndustry::ALL).code()),
                2 => query.street = Some(pick::one(rng, &STREETS).0),
                3 => {
                    query.education = Some(*pick::weighted(
                        rng,
                        &[
                            ("high_school", 20),
                            ("associate", 40),
                            ("bachelor", 35),
                            ("master", 5),
                        ],
                    ));
                }
                4 => {
                    query.salary_at_least = Some(*pick::one(
                        rng,
                        &[4_000, 5_000, 6_000, 8_000, 10_000, 15_000],
                    ));
                }
                _ => query.emerging = Some(rng.random_bool(0.85)),
            }
        }
    }
    query
}
