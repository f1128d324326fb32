//! Job posts (招聘岗位) of the demo employers, generated one at a time.

use chrono::{Days, NaiveDate};
use linkong_core::industry::LeadingIndustry;
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

use crate::employers::DemoEmployer;
use crate::pick;
use crate::words::{BENEFITS, CLOSINGS, Family, REST, RISKY_PHRASES, SECTORS, Sector, Title};
use crate::{STREETS, office_for, street_name};

/// A demo job post. Every field is filled and plausible; `risky` posts (about 1 in 200) carry
/// one phrase that the fraud screen (任务 1.3.4) must flag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoPost {
    /// Index into the employers the posts were generated from.
    pub employer: usize,
    /// "前端开发工程师", sometimes "应届生·…", "2025届校招·…", "（急招）…" or "…（双休）".
    pub title: String,
    /// 100–300 characters: duties, requirements, benefits and the place of work.
    pub description: String,
    /// 职业分类大典 major group, 1–8; mostly 2, 3, 4 and 6.
    pub occupation_group: u8,
    /// The occupation in 职业分类大典 words, e.g. "软件工程技术人员".
    pub occupation: String,
    /// GB/T 4754 section letter, the employer's.
    pub industry: char,
    /// Leading-industry code, the employer's.
    pub leading: &'static str,
    /// 新兴产业、高端服务业岗位: professional roles in cyber security and big data, electronic
    /// information and intelligent manufacturing, and high-end services (finance, R&D, design).
    pub emerging: bool,
    /// Headcount, 1..=30, mostly small.
    pub positions: i64,
    /// `any`, `high_school`, `associate`, `bachelor`, `master` or `doctor`.
    pub education: &'static str,
    /// `any`, `fresh`, `y1_3`, `y3_5` or `y5`.
    pub experience: &'static str,
    /// Monthly pay in yuan, multiples of 500 within 3,500–25,000, `salary_min < salary_max`.
    pub salary_min: i64,
    pub salary_max: i64,
    /// Unit code of the street where the work is done.
    pub street: &'static str,
    /// Unit code of the street or industry office that raised the post: usually the employer's
    /// street, sometimes the industry office of its leading industry.
    pub raised_by: &'static str,
    /// Published this many days before "now", 0..365.
    pub days_ago: u32,
    /// Open for this many days after publication, 30..=180.
    pub valid_days: u32,
    /// Carries a fraud phrase (押金, 培训费, 刷单 …) for a reviewer's queue to flag.
    pub risky: bool,
}

impl DemoPost {
    /// The day the post was published, given today's date.
    pub fn published_on(&self, today: NaiveDate) -> NaiveDate {
        today - Days::new(u64::from(self.days_ago))
    }

    /// The last day the post is open, given today's date.
    pub fn valid_until(&self, today: NaiveDate) -> NaiveDate {
        self.published_on(today) + Days::new(u64::from(self.valid_days))
    }
}

/// Keeps the posts' random stream apart from the employers' when both use the same seed.
const POSTS_STREAM: u64 = 0x706f_7374_735f_7631;
/// About 1 post in 200 is risky.
const RISKY_ONE_IN: u32 = 200;
/// The fraud screen reads a monthly maximum at or above 20,000 yuan with no education and no
/// experience asked as bait (rules/fraud-screening.toml): honest open posts stay below it.
const OPEN_POST_CEILING: i64 = 19_500;
const CEILING: i64 = 25_000;
const FLOOR: i64 = 3_500;
const MAX_DESCRIPTION: usize = 300;
const MIN_DESCRIPTION: usize = 100;

/// An endless stream of posts of `employers`, the same for the same seed and employers: take
/// as many as needed (`posts(seed, &e).take(100_000)`). Posts are made one at a time, so a
/// stream of any length holds one post in memory. Empty when `employers` is empty.
pub fn posts(seed: u64, employers: &[DemoEmployer]) -> impl Iterator<Item = DemoPost> {
    let mut rng = StdRng::seed_from_u64(seed ^ POSTS_STREAM);
    let sectors: Vec<&'static Sector> = employers.iter().map(sector_of).collect();
    std::iter::from_fn(move || {
        if employers.is_empty() {
            return None;
        }
        // Some employers recruit far more than others: favour the first ones of the list.
        let index = ((rng.random::<f64>().powf(1.5)) * employers.len() as f64) as usize;
        let index = index.min(employers.len() - 1);
        Some(post(&mut rng, index, &employers[index], sectors[index]))
    })
}

/// The sector an employer was generated from: its leading industry and section, and the trade
/// word in its name; for an employer made by hand, the closest sector.
fn sector_of(employer: &DemoEmployer) -> &'static Sector {
    let same_leading = || {
        SECTORS
            .iter()
            .filter(|s| s.leading.code() == employer.leading)
    };
    let exact = || same_leading().filter(|s| s.section == employer.industry);
    exact()
        .find(|s| s.trades.iter().any(|t| employer.name.contains(t)))
        .or_else(|| exact().next())
        .or_else(|| same_leading().next())
        .unwrap_or(&SECTORS[0])
}

fn is_emerging(family: &Family, leading: &str) -> bool {
    let emerging_industry = [
        LeadingIndustry::CyberSecurityBigData,
        LeadingIndustry::ElectronicInformation,
        LeadingIndustry::IntelligentManufacturing,
    ]
    .iter()
    .any(|l| l.code() == leading);
    family.high_end || (family.professional && emerging_industry)
}

fn post(rng: &mut StdRng, index: usize, employer: &DemoEmployer, sector: &Sector) -> DemoPost {
    let family = *pick::weighted(rng, sector.families);
    let title: &Title = pick::one(rng, family.titles);
    let education = *pick::weighted(rng, family.education);
    let mut experience = *pick::weighted(rng, family.experience);
    let mut rest = *pick::weighted(rng, REST);

    let hires_graduates = family.experience.iter().any(|(e, _)| *e == "fresh");
    let mut name = match rng.random_range(0..100) {
        0..4 if hires_graduates => {
            experience = "fresh";
            format!("应届生·{}", title.0)
        }
        4..7 if hires_graduates => {
            experience = "fresh";
            format!("2025届校招·{}", title.0)
        }
        7..10 => format!("（急招）{}", title.0),
        _ => title.0.to_owned(),
    };
    match rng.random_range(0..100) {
        0..5 => {
            rest = "双休";
            name.push_str("（双休）");
        }
        5..7 => name.push_str("（五险一金）"),
        _ => {}
    }

    let street = if rng.random_bool(0.88) {
        employer.street
    } else {
        pick::one(rng, &STREETS).0
    };
    let raised_by = match office_for(employer.leading) {
        Some(office) if rng.random_bool(0.2) => office,
        _ => employer.street,
    };
    let risky = rng.random_ratio(1, RISKY_ONE_IN);
    let risky_phrase = risky.then(|| *pick::one(rng, RISKY_PHRASES));
    let (salary_min, salary_max) = salary(rng, family, education, experience);
    let description = description(
        rng,
        &Facts {
            family,
            title,
            education,
            experience,
            rest,
            street,
            risky_phrase,
        },
    );
    DemoPost {
        employer: index,
        title: name,
        description,
        occupation_group: family.group,
        occupation: title.1.to_owned(),
        industry: employer.industry,
        leading: employer.leading,
        emerging: is_emerging(family, employer.leading),
        positions: positions(rng, family.bulk),
        education,
        experience,
        salary_min,
        salary_max,
        street,
        raised_by,
        days_ago: ((rng.random::<f64>().powf(1.6) * 365.0) as u32).min(364),
        valid_days: *pick::weighted(
            rng,
            &[(30, 30), (45, 10), (60, 25), (90, 20), (120, 5), (180, 10)],
        ),
        risky,
    }
}

/// Mostly one to three people; production lines and warehouses hire in batches.
fn positions(rng: &mut StdRng, bulk: bool) -> i64 {
    let n = match rng.random_range(0..100) {
        0..40 => 1,
        40..64 => 2,
        64..78 => 3,
        78..86 => rng.random_range(4..=5),
        86..96 => rng.random_range(6..=10),
        _ => rng.random_range(11..=30),
    };
    if bulk {
        (n * rng.random_range(1..=3)).min(30)
    } else {
        n
    }
}

fn round_to_500(yuan: f64) -> i64 {
    (yuan / 500.0).round() as i64 * 500
}

/// The family's pay, raised by education and experience, in steps of 500 yuan.
fn salary(rng: &mut StdRng, family: &Family, education: &str, experience: &str) -> (i64, i64) {
    let (low, high) = family.pay;
    let by_education = match education {
        "any" => 0.92,
        "high_school" => 0.96,
        "bachelor" => 1.1,
        "master" => 1.25,
        "doctor" => 1.5,
        _ => 1.0,
    };
    let by_experience = match experience {
        "fresh" => 0.85,
        "y3_5" => 1.15,
        "y5" => 1.3,
        _ => 1.0,
    };
    let ceiling = if education == "any" && experience == "any" {
        OPEN_POST_CEILING
    } else {
        CEILING
    };
    let base = rng.random_range(low..=high) as f64 * by_education * by_experience;
    let min = round_to_500(base).clamp(FLOOR, ceiling - 500);
    let spread = (min as f64 * rng.random_range(0.2..0.6)).max(500.0);
    let max = round_to_500(min as f64 + spread).clamp(min + 500, ceiling);
    (min, max)
}

/// What a description is written from.
struct Facts<'a> {
    family: &'a Family,
    title: &'a Title,
    education: &'a str,
    experience: &'a str,
    rest: &'a str,
    street: &'a str,
    risky_phrase: Option<&'a str>,
}

/// How many of each pool a description uses; adjusted until it is 100–300 characters.
struct Counts {
    duties: usize,
    requirements: usize,
    benefits: usize,
    closings: usize,
}

fn description(rng: &mut StdRng, facts: &Facts) -> String {
    let parts = Parts::draw(rng, facts);
    let mut counts = Counts {
        duties: rng.random_range(2..=4),
        requirements: rng.random_range(0..=2),
        benefits: rng.random_range(3..=5),
        closings: usize::from(rng.random_bool(0.3)),
    };
    // Each step changes the length by less than 60 characters, so it settles within the bounds.
    for _ in 0..24 {
        let length = parts.render(facts, &counts).chars().count();
        let changed = if length > MAX_DESCRIPTION {
            counts.shorten()
        } else if length < MIN_DESCRIPTION {
            counts.lengthen(&parts)
        } else {
            false
        };
        if !changed {
            break;
        }
    }
    parts.render(facts, &counts)
}

/// The pools a description is cut from, each in a random order, and its two fixed asks.
struct Parts<'a> {
    duties: Vec<&'a str>,
    requirements: Vec<&'a str>,
    benefits: Vec<&'a str>,
    closings: Vec<&'a str>,
    qualification: String,
    skill_line: String,
}

impl<'a> Parts<'a> {
    fn draw(rng: &mut StdRng, facts: &Facts<'a>) -> Parts<'a> {
        let family = facts.family;
        let duties = pick::several(rng, family.duties, family.duties.len());
        let requirements = pick::several(rng, family.requirements, family.requirements.len());
        let mut benefits: Vec<&str> = Vec::new();
        if rng.random_bool(0.9) {
            benefits.push("五险一金");
        }
        benefits.push(facts.rest);
        benefits.extend(pick::several(rng, BENEFITS, 5).into_iter().copied());
        let closings = pick::several(rng, CLOSINGS, CLOSINGS.len());
        let title_skills = rng.random_range(1..=2);
        let mut skills: Vec<&str> = pick::several(rng, facts.title.2, title_skills)
            .into_iter()
            .copied()
            .collect();
        let family_skills = rng.random_range(1..=2);
        for skill in pick::several(rng, family.skills, family_skills) {
            if !skills.contains(skill) {
                skills.push(skill);
            }
        }
        Parts {
            duties: duties.into_iter().copied().collect(),
            requirements: requirements.into_iter().copied().collect(),
            benefits,
            closings: closings.into_iter().copied().collect(),
            qualification: qualification(facts.education, facts.experience, family.majors),
            skill_line: family.skill_line.replace("{}", &skills.join("、")),
        }
    }

    /// The description with `counts` of each pool: duties, asks, benefits, place, closings.
    fn render(&self, facts: &Facts, c: &Counts) -> String {
        let mut text = String::from("岗位职责：");
        for (i, duty) in self.duties.iter().take(c.duties).enumerate() {
            let end = if i + 1 == c.duties.min(self.duties.len()) {
                "。"
            } else {
                "；"
            };
            text.push_str(&format!("{}、{duty}{end}", i + 1));
        }
        let mut asks = vec![self.qualification.as_str(), self.skill_line.as_str()];
        asks.extend(self.requirements.iter().take(c.requirements).copied());
        text.push_str("任职要求：");
        for (i, ask) in asks.iter().enumerate() {
            let end = if i + 1 == asks.len() { "。" } else { "；" };
            text.push_str(&format!("{}、{ask}{end}", i + 1));
        }
        if let Some(phrase) = facts.risky_phrase {
            text.push_str(phrase);
        }
        text.push_str("福利待遇：");
        text.push_str(&self.benefits[..c.benefits.min(self.benefits.len())].join("、"));
        text.push_str("。工作地点：武汉市东西湖区");
        text.push_str(street_name(facts.street).unwrap_or(""));
        text.push('。');
        for closing in self.closings.iter().take(c.closings) {
            text.push_str(closing);
        }
        text
    }
}

impl Counts {
    /// One piece fewer, the least telling first; `false` when nothing more can go.
    fn shorten(&mut self) -> bool {
        if self.closings > 0 {
            self.closings -= 1;
        } else if self.benefits > 2 {
            self.benefits -= 1;
        } else if self.requirements > 0 {
            self.requirements -= 1;
        } else if self.duties > 1 {
            self.duties -= 1;
        } else {
            return false;
        }
        true
    }

    /// One piece more, the most telling first; `false` when every pool is used up.
    fn lengthen(&mut self, parts: &Parts) -> bool {
        if self.duties < parts.duties.len() {
            self.duties += 1;
        } else if self.requirements < parts.requirements.len() {
            self.requirements += 1;
        } else if self.benefits < parts.benefits.len() {
            self.benefits += 1;
        } else if self.closings < parts.closings.len() {
            self.closings += 1;
        } else {
            return false;
        }
        true
    }
}

/// "本科及以上学历，计算机、软件工程等相关专业，1年以上相关工作经验".
fn qualification(education: &str, experience: &str, majors: &str) -> String {
    let degree = match education {
        "high_school" => "高中、中专或技校及以上学历",
        "associate" => "大专及以上学历",
        "bachelor" => "本科及以上学历",
        "master" => "硕士研究生及以上学历",
        "doctor" => "博士研究生学历",
        _ => "学历不限",
    };
    let years = match experience {
        "fresh" => "欢迎应届毕业生",
        "y1_3" => "1年以上相关工作经验",
        "y3_5" => "3年以上相关工作经验",
        "y5" => "5年以上相关工作经验",
        _ => "经验不限",
    };
    let with_major = !majors.is_empty() && !matches!(education, "any" | "high_school");
    if with_major {
        format!("{degree}，{majors}，{years}")
    } else {
        format!("{degree}，{years}")
    }
}
