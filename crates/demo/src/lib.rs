//! linkong-demo: realistic, deterministic demo data for the job platform of 东西湖区 (临空港).
//!
//! Everything is drawn from a `u64` seed with [`rand::rngs::StdRng`], so the same seed gives the
//! same employers, posts and queries (within one version of `rand`):
//!
//! - [`employers`]: companies registered in 东西湖区, each with a valid USCC (GB 32100), a GB/T
//!   4754 section, a leading industry (东政办〔2025〕3号 任务 1.1.1), a street and a contact;
//! - [`posts`]: an endless stream of job posts of those employers, generated one at a time so
//!   that 100,000 posts need never be in memory together; take as many as needed;
//! - [`queries`]: what job seekers type, for a search benchmark, drawn from the posts' vocabulary;
//! - [`migrant_rows`], [`graduate_rows`]: roster rows of people with valid resident IDs, for the
//!   demo and the import benchmark, streamed one at a time;
//! - [`VENTURES`], [`PROJECT_IDEAS`]: the businesses returnees open and the start-up projects
//!   the units collect for the project library (task 2.1.2);
//! - [`photo_png`], [`story_of`]: pictures and stories of showcase cases (task 2.5.3).
//! - [`CARRIERS`], [`APPLICATIONS`]: start-up carriers across the streets and their applications
//!   for municipal recognition (tasks 1.2.2 and 2.4.1).
//!
//! Demo data only: the names, codes and phones are invented and must never reach a production
//! database.

mod carriers;
mod employers;
mod load;
mod people;
mod photos;
mod pick;
mod posts;
mod queries;
mod stories;
mod ventures;
mod words;

#[cfg(test)]
mod tests;

pub use carriers::{APPLICATION_DOCUMENTS, APPLICATIONS, CARRIERS, DemoApplication, DemoCarrier};
pub use employers::{DemoEmployer, employers};
pub use load::{Loaded, employer_count, level as post_level, load_jobs, occupation_code};
pub use people::{GRADUATE_HEADER, MIGRANT_HEADER, check_character, graduate_rows, migrant_rows};
pub use photos::photo_png;
pub use posts::{DemoPost, posts};
pub use queries::{DemoQuery, QueryKind, queries};
pub use stories::{DemoStory, story_of};
pub use ventures::{
    PROJECT_IDEAS, ProjectIdea, VENTURES, Venture, business_uscc, project_ideas, venture_for,
};

use linkong_core::industry::LeadingIndustry;

/// The 12 street-level units (街道办事处，含常青花园社管办): unit code and name.
pub const STREETS: [(&str, &str); 12] = [
    ("jinghe", "径河街道"),
    ("changqing", "长青街道"),
    ("zoumaling", "走马岭街道"),
    ("cihui", "慈惠街道"),
    ("jiangjunlu", "将军路街道"),
    ("jinyinhu", "金银湖街道"),
    ("baiquan", "柏泉街道"),
    ("xingouzhen", "新沟镇街道"),
    ("wujiashan", "吴家山街道"),
    ("xinandu", "辛安渡街道"),
    ("dongshan", "东山街道"),
    ("changqinghuayuan", "常青花园社管办"),
];

/// The 6 industry offices (产业办): unit code and name.
pub const INDUSTRY_OFFICES: [(&str, &str); 6] = [
    ("gaoxin", "高新技术产业办"),
    ("jidian", "机电产业办"),
    ("zongbao", "综合保税物流产业办"),
    ("xiandaifuwu", "现代服务业产业办"),
    ("linkong", "临空产业办"),
    ("shiyao", "食药产业办"),
];

/// The name of a street by its unit code: `street_name("jinghe") == Some("径河街道")`.
pub fn street_name(code: &str) -> Option<&'static str> {
    STREETS.iter().find(|(c, _)| *c == code).map(|(_, n)| *n)
}

/// The name of a street or an industry office by its unit code.
pub fn unit_name(code: &str) -> Option<&'static str> {
    STREETS
        .iter()
        .chain(INDUSTRY_OFFICES.iter())
        .find(|(c, _)| *c == code)
        .map(|(_, n)| *n)
}

/// The industry office that raises posts of a leading industry, by its code
/// (`office_for("food_health") == Some("shiyao")`). A demo assumption: the 国家网络安全人才与
/// 创新基地 lies in 临空港, so cyber security goes to 临空产业办.
pub fn office_for(leading: &str) -> Option<&'static str> {
    let office = match LeadingIndustry::parse(leading).ok()? {
        LeadingIndustry::CyberSecurityBigData => "linkong",
        LeadingIndustry::ElectronicInformation => "gaoxin",
        LeadingIndustry::IntelligentManufacturing => "jidian",
        LeadingIndustry::ModernLogistics => "zongbao",
        LeadingIndustry::FoodHealth => "shiyao",
        LeadingIndustry::Other => "xiandaifuwu",
    };
    Some(office)
}
