//! Full-text search over published job posts, kept in a tantivy index beside the database.
//!
//! A post matches when every keyword occurs as a substring of its title, employer name or
//! description, case-insensitively: the same posts as SQL `ILIKE '%keyword%'`, found through
//! character n-grams (see `grams`), then ranked by whole jieba words. The database stays the
//! source of truth, but a hit carries the post as the index last received it (every field of its
//! [`JobDoc`] is stored) with its highlighted text, so that a page of hits needs no database
//! read; a post's own page reads the database.
//!
//! The policy list (政策清单) is searched the same way by a small index in memory
//! ([`PolicyIndex`]), rebuilt whole from the published entries on each change.

mod error;
mod grams;
mod highlight;
mod index;
mod policies;
mod presence;
mod query;
mod schema;
mod sum;
mod words;

pub use error::SearchError;
pub use index::JobIndex;
pub use policies::{PolicyDoc, PolicyHit, PolicyIndex};
pub use schema::SCHEMA_VERSION;
pub use words::words;

use chrono::NaiveDate;

/// A published job post as the index needs it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JobDoc {
    /// Job post id.
    pub id: i64,
    pub title: String,
    /// Employer name.
    pub employer: String,
    pub description: String,
    /// GB/T 4754 section letter, e.g. "I".
    pub industry: String,
    /// Leading-industry code, e.g. "intelligent_manufacturing".
    pub leading: String,
    /// Unit code of the work street, e.g. "jinghe".
    pub street: String,
    /// Education code: any|high_school|associate|bachelor|master|doctor.
    pub education: String,
    /// Experience code, as `linkong_core::jobs::Experience` writes it; shown, not searched.
    pub experience: String,
    /// Number of people wanted; shown, not searched.
    pub positions: i64,
    pub emerging: bool,
    /// Yuan per month.
    pub salary_min: i64,
    /// Yuan per month.
    pub salary_max: i64,
    /// Unix seconds.
    pub published_at: i64,
    /// Last day the post is valid.
    pub valid_until: NaiveDate,
}

/// Order of the hits.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Sort {
    /// Best match first (BM25 over whole words and substrings); newest first among equals.
    #[default]
    Relevance,
    /// Latest `published_at` first.
    Newest,
    /// Highest `salary_max` first, then newest.
    Salary,
}

/// What a job seeker asked for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JobQuery {
    /// Keywords separated by whitespace; every one must occur. At most 8 count, each cut to 30
    /// characters. Any text is accepted: nothing in it is query syntax.
    pub text: String,
    pub industry: Option<String>,
    pub leading: Option<String>,
    pub street: Option<String>,
    pub education: Option<String>,
    /// Only posts whose `salary_max` is at least this.
    pub salary_at_least: Option<i64>,
    pub emerging: Option<bool>,
    pub sort: Sort,
    pub offset: usize,
    pub limit: usize,
    /// Posts whose `valid_until` is before this day are expired and never found.
    pub today: NaiveDate,
}

impl JobQuery {
    /// Every valid post, by relevance, first page of 20.
    pub fn new(today: NaiveDate) -> JobQuery {
        JobQuery {
            text: String::new(),
            industry: None,
            leading: None,
            street: None,
            education: None,
            salary_at_least: None,
            emerging: None,
            sort: Sort::Relevance,
            offset: 0,
            limit: 20,
            today,
        }
    }
}

/// One post found, with every field a list of posts shows.
#[derive(Clone, Debug, PartialEq)]
pub struct JobHit {
    pub id: i64,
    /// The relevance score; 0 when sorting by date or salary, which skips scoring.
    pub score: f32,
    /// The whole title, HTML-escaped, keywords in `<mark>`.
    pub title_html: String,
    /// About 120 characters of the description around the keywords, HTML-escaped, keywords in
    /// `<mark>`, `…` where cut.
    pub snippet_html: String,
    /// The post as the index last received it.
    pub post: JobDoc,
}

/// One page of hits.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct JobHits {
    /// How many posts match in all, across pages.
    pub total: usize,
    pub hits: Vec<JobHit>,
}
