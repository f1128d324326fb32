//! Person–job matching with reasons (issue 16; the plan's 1.1.1 "提升人岗匹配效率", 1.1.4
//! "精准推送就业岗位", 2.5.4 "主动推送岗位信息").
//!
//! A seeker (a graduate of the roster, a returnee, a portal applicant) is scored against an
//! open post factor by factor — major, skills, occupation, education, salary, where the post is,
//! freshness, the employer's verification, the fraud screening's risk — and every factor's
//! points are kept with the reason a street officer reads ("专业匹配：会计学 ↔ 会计"). The
//! weights are data (`matching/weights.toml`, [`Weights::parse`]); the hand-made cases in the
//! tests pin the order they give.
//!
//! The major and skills are scored by BM25 over the search crate's tokens ([`words`]), "near"
//! by the road distance between streets ([`streets`]). A [`Matcher`] holds the open posts with
//! their words indexed and scores a seeker against one post, every post ([`Matcher::rank`]) or
//! only the posts that can reach the top ([`Matcher::top`], the batch's prefilter: the same
//! scores, the same order). When the nightly batch is due is [`nightly`]'s to say.
//!
//! The occupation factor compares 职业分类大典 codes when both sides have one (same 中类 full,
//! same 大类 half) and the level factor the job levels (岗位层次).

pub mod batch;
mod matcher;
pub mod nightly;
mod streets;
mod words;

pub use matcher::{Matcher, Query, StreetNames};
pub use streets::{STREETS_FILE, Streets};
pub use words::{Bm25, PostTexts, PostWords, Tokenize};

use std::sync::Arc;

use chrono::NaiveDate;
use serde::Deserialize;

use crate::jobs::{Education, JobLevel, OccupationGroup};
use crate::occupations::{Classification, OccupationCode};

/// The factors a match is scored on, in the order the weights file lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Factor {
    Major,
    Skills,
    Occupation,
    Education,
    Salary,
    Near,
    Fresh,
    Verified,
    FraudRisk,
    Level,
}

impl Factor {
    pub const ALL: [Factor; 10] = [
        Factor::Major,
        Factor::Skills,
        Factor::Occupation,
        Factor::Education,
        Factor::Salary,
        Factor::Near,
        Factor::Fresh,
        Factor::Verified,
        Factor::FraudRisk,
        Factor::Level,
    ];

    /// The key of the factor's weight in the weights file.
    pub fn key(self) -> &'static str {
        match self {
            Factor::Major => "major",
            Factor::Skills => "skills",
            Factor::Occupation => "occupation",
            Factor::Education => "education",
            Factor::Salary => "salary",
            Factor::Near => "near",
            Factor::Fresh => "fresh",
            Factor::Verified => "verified",
            Factor::FraudRisk => "fraud_risk",
            Factor::Level => "level",
        }
    }
}

/// Points per factor at a full match (the fraud risk's is a deduction), and the most results
/// one list may ask for.
#[derive(Debug, Clone, PartialEq)]
pub struct Weights {
    points: [f64; 10],
    pub max_results: usize,
    /// Beyond this many kilometres from home or a wanted street a post earns no "near" points.
    pub near_cutoff_km: f64,
    /// BM25's constants for the major and skills words.
    pub bm25: Bm25,
    streets: Arc<Streets>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WeightsFile {
    weights: toml::Table,
    limits: Limits,
    near: NearFile,
    bm25: Bm25File,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NearFile {
    cutoff_km: f64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Bm25File {
    k1: f64,
    b: f64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Limits {
    max_results: i64,
}

impl Weights {
    /// Reads a weights file: every factor present, a finite number ≥ 0, no unknown factor,
    /// and a maximum list length from 1 to 200. The error names the key.
    pub fn parse(text: &str) -> Result<Weights, String> {
        let file: WeightsFile =
            toml::from_str(text).map_err(|e| format!("权重文件格式有误：{}", e.message()))?;
        if let Some(unknown) = file
            .weights
            .keys()
            .find(|k| Factor::ALL.iter().all(|f| f.key() != k.as_str()))
        {
            return Err(format!("权重文件中有未知的因素“{unknown}”"));
        }
        let mut points = [0.0; Factor::ALL.len()];
        for (slot, factor) in points.iter_mut().zip(Factor::ALL) {
            let key = factor.key();
            let value = match file.weights.get(key) {
                None => return Err(format!("权重文件缺少“{key}”的权重")),
                Some(toml::Value::Integer(n)) => *n as f64,
                Some(toml::Value::Float(x)) => *x,
                Some(other) => return Err(format!("权重“{key}”应为数字（收到 {other}）")),
            };
            if !value.is_finite() || value < 0.0 {
                return Err(format!("权重“{key}”不能为负数（收到 {value}）"));
            }
            *slot = value;
        }
        let max_results = match file.limits.max_results {
            n @ 1..=200 => n as usize,
            n => return Err(format!("max_results 应在 1 至 200 之间（收到 {n}）")),
        };
        Ok(Weights {
            points,
            max_results,
            near_cutoff_km: positive("near.cutoff_km", file.near.cutoff_km)?,
            bm25: Bm25 {
                k1: positive("bm25.k1", file.bm25.k1)?,
                b: match file.bm25.b {
                    b if (0.0..=1.0).contains(&b) => b,
                    b => return Err(format!("bm25.b 应在 0 至 1 之间（收到 {b}）")),
                },
            },
            streets: Streets::shipped(),
        })
    }

    /// The same weights over another distance table.
    pub fn with_streets(mut self, streets: Streets) -> Weights {
        self.streets = Arc::new(streets);
        self
    }

    /// The distances between streets the "near" factor reads.
    pub fn streets(&self) -> &Streets {
        &self.streets
    }

    /// The points of `factor` at a full match.
    pub fn of(&self, factor: Factor) -> f64 {
        self.points[Factor::ALL.iter().position(|f| *f == factor).unwrap_or(0)]
    }

    /// How many results a list of `asked` may show: refused above the file's maximum.
    pub fn results(&self, asked: usize) -> Result<usize, String> {
        match asked {
            0 => Err("推荐数量至少为 1".into()),
            n if n > self.max_results => {
                Err(format!("推荐数量最多为 {}（收到 {n}）", self.max_results))
            }
            n => Ok(n),
        }
    }
}

/// A setting that must be a finite number above 0; the error names its key.
fn positive(key: &str, value: f64) -> Result<f64, String> {
    if value.is_finite() && value > 0.0 {
        Ok(value)
    } else {
        Err(format!("{key} 应大于 0（收到 {value}）"))
    }
}

/// The district's weights as shipped (`matching/weights.toml`).
pub const WEIGHTS_FILE: &str = include_str!("../../../matching/weights.toml");

/// Who is matched: what they studied and can do, what they hold and want, where they live.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seeker {
    /// The major studied (会计学), or empty.
    pub major: String,
    /// Skills words typed by the person or staff (Excel, 叉车证).
    pub skills: Vec<String>,
    pub education: Education,
    pub wanted_group: Option<OccupationGroup>,
    /// The occupation wanted, by its 职业分类大典 code (its group is `wanted_group`'s).
    pub wanted_occupation: Option<OccupationCode>,
    pub wanted_level: Option<JobLevel>,
    /// Expected monthly pay in yuan.
    pub wanted_salary: Option<i64>,
    /// Street codes: where they live, and any they would work in.
    pub home_street: String,
    pub wanted_streets: Vec<String>,
}

/// An open post as the matcher sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Opening {
    pub title: String,
    pub occupation: String,
    pub description: String,
    pub occupation_group: OccupationGroup,
    pub occupation_code: Option<OccupationCode>,
    pub level: JobLevel,
    pub education: Education,
    /// Monthly pay in yuan.
    pub salary_min: i64,
    pub salary_max: i64,
    pub street_code: String,
    pub published_on: NaiveDate,
    pub employer_verified: bool,
    /// Marked high-risk by the fraud screening.
    pub high_risk: bool,
}

/// One factor's points, with the reason shown when it counts for the seeker.
#[derive(Debug, Clone, PartialEq)]
pub struct Contribution {
    pub factor: Factor,
    pub points: f64,
    pub reason: Option<String>,
}

/// A seeker scored against one post: the total and each factor's part.
#[derive(Debug, Clone, PartialEq)]
pub struct Match {
    pub total: f64,
    pub parts: Vec<Contribution>,
}

impl Match {
    /// The reasons of the factors that earned the most points (at most `n`), best first.
    pub fn top_reasons(&self, n: usize) -> Vec<&str> {
        let mut earned: Vec<&Contribution> = self
            .parts
            .iter()
            .filter(|c| c.points > 0.0 && c.reason.is_some())
            .collect();
        earned.sort_by(|a, b| b.points.total_cmp(&a.points));
        earned
            .into_iter()
            .take(n)
            .filter_map(|c| c.reason.as_deref())
            .collect()
    }

    /// The warnings: factors that took points away (学历不足, 风险提示).
    pub fn warnings(&self) -> Vec<&str> {
        self.parts
            .iter()
            .filter(|c| c.points < 0.0)
            .filter_map(|c| c.reason.as_deref())
            .collect()
    }
}

/// The words of a major that a post names: 会计学 → 会计, 计算机科学与技术 → 计算机,
/// 电气工程及其自动化 → 电气, 自动化. Parts of two characters or more, after the generic
/// endings (学, 科学, 工程, 技术, 管理) are taken off.
pub fn major_words(major: &str) -> Vec<String> {
    const ENDINGS: [&str; 6] = ["科学", "工程", "技术", "专业", "学", "管理"];
    let mut words: Vec<String> = Vec::new();
    for part in major.split(['与', '和', '及', '、', '/', ' ']) {
        let mut word = part.trim().trim_start_matches('其');
        if ENDINGS.contains(&word) {
            continue;
        }
        for ending in ENDINGS {
            if let Some(stem) = word.strip_suffix(ending)
                && stem.chars().count() >= 2
            {
                word = stem;
            }
        }
        if word.chars().count() >= 2 && !words.iter().any(|w| w == word) {
            words.push(word.to_owned());
        }
    }
    words
}

pub(crate) fn part(factor: Factor, points: f64, reason: Option<String>) -> Contribution {
    Contribution {
        factor,
        points,
        reason,
    }
}

/// The occupation: with codes on both sides, the same middle group (中类) earns full points
/// and the same major group half; otherwise the major groups are compared.
pub(crate) fn occupation_part(seeker: &Seeker, post: &Opening, weights: &Weights) -> Contribution {
    let full = weights.of(Factor::Occupation);
    if let (Some(wanted), Some(offered)) = (&seeker.wanted_occupation, &post.occupation_code) {
        let names = Classification::shipped();
        return match (wanted.middle(), offered.middle()) {
            (Some(w), Some(o)) if w == o => {
                let reason = format!("职业对口：{}", middle_name(names, offered));
                part(Factor::Occupation, full, Some(reason))
            }
            _ if wanted.group() == offered.group() => {
                let reason = format!("职业大类相同：{}", offered.group().label());
                part(Factor::Occupation, full / 2.0, Some(reason))
            }
            _ => part(Factor::Occupation, 0.0, None),
        };
    }
    let wanted = seeker
        .wanted_group
        .or(seeker.wanted_occupation.as_ref().map(OccupationCode::group));
    match wanted {
        Some(group) if group == post.occupation_group => part(
            Factor::Occupation,
            full,
            Some(format!("职业对口：{}", group.label())),
        ),
        _ => part(Factor::Occupation, 0.0, None),
    }
}

/// The name of a code's middle group (中类).
fn middle_name(names: &Classification, code: &OccupationCode) -> String {
    let middle = code.middle().unwrap_or(code.as_str());
    names
        .code(middle)
        .map_or_else(|_| middle.to_owned(), |c| names.name(&c).to_owned())
}

/// The job level (岗位层次): points when the level wanted is the post's.
pub(crate) fn level_part(seeker: &Seeker, post: &Opening, weights: &Weights) -> Contribution {
    match seeker.wanted_level {
        Some(level) if level == post.level => part(
            Factor::Level,
            weights.of(Factor::Level),
            Some(format!("岗位层次相符：{}", level.label())),
        ),
        _ => part(Factor::Level, 0.0, None),
    }
}

/// Education's rank, lowest first (学历不限 is 0).
fn level(education: Education) -> usize {
    Education::ALL
        .iter()
        .position(|e| *e == education)
        .unwrap_or(0)
}

pub(crate) fn education_part(seeker: &Seeker, post: &Opening, weights: &Weights) -> Contribution {
    let full = weights.of(Factor::Education);
    if post.education == Education::Any {
        part(Factor::Education, full, Some("学历不限".into()))
    } else if level(seeker.education) >= level(post.education) {
        let reason = format!("学历满足：{}", post.education.label());
        part(Factor::Education, full, Some(reason))
    } else {
        let reason = format!("学历不足：岗位要求{}", post.education.label());
        part(Factor::Education, -full, Some(reason))
    }
}

pub(crate) fn salary_part(seeker: &Seeker, post: &Opening, weights: &Weights) -> Contribution {
    let full = weights.of(Factor::Salary);
    match seeker.wanted_salary {
        Some(wanted) if wanted > 0 && wanted > post.salary_max => {
            let share = (post.salary_max.max(0) as f64 / wanted as f64).clamp(0.0, 1.0);
            part(Factor::Salary, full * share, None)
        }
        Some(wanted) if wanted > 0 => {
            let reason = format!("薪资符合：{}–{}元/月", post.salary_min, post.salary_max);
            part(Factor::Salary, full, Some(reason))
        }
        _ => part(Factor::Salary, 0.0, None),
    }
}

/// Full points within a week of publication, falling to none at 60 days.
pub(crate) fn fresh_part(post: &Opening, weights: &Weights, today: NaiveDate) -> Contribution {
    let days = (today - post.published_on).num_days().max(0);
    let full = weights.of(Factor::Fresh);
    let points = match days {
        0..=7 => full,
        8..=59 => full * (60 - days) as f64 / 53.0,
        _ => 0.0,
    };
    let reason = match days {
        0 => Some("新发布：今天".to_owned()),
        1..=7 => Some(format!("新发布：{days} 天前")),
        _ => None,
    };
    part(Factor::Fresh, points, reason)
}

/// A yes-or-no factor: the verified employer earns its points, the fraud risk takes them.
pub(crate) fn flag_part(
    factor: Factor,
    set: bool,
    weights: &Weights,
    reason: &str,
) -> Contribution {
    let sign = if factor == Factor::FraudRisk {
        -1.0
    } else {
        1.0
    };
    match set {
        true => part(factor, sign * weights.of(factor), Some(reason.to_owned())),
        false => part(factor, 0.0, None),
    }
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_scale;
