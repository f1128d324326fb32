//! Posts and queries for the tests of the job index.

#![allow(dead_code)]

use chrono::NaiveDate;
use linkong_search::{JobDoc, JobIndex, JobQuery};

pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 6, 1).expect("a real date")
}

/// A valid post with neutral attributes; tests change what they are about.
pub fn job(id: i64, title: &str, employer: &str, description: &str) -> JobDoc {
    JobDoc {
        id,
        title: title.to_owned(),
        employer: employer.to_owned(),
        description: description.to_owned(),
        industry: "I".to_owned(),
        leading: "intelligent_manufacturing".to_owned(),
        street: "jinghe".to_owned(),
        education: "any".to_owned(),
        experience: "any".to_owned(),
        positions: 1,
        emerging: false,
        salary_min: 4000,
        salary_max: 6000,
        published_at: 1_700_000_000 + id,
        valid_until: NaiveDate::from_ymd_opt(2025, 12, 31).expect("a real date"),
    }
}

pub fn index_of(jobs: Vec<JobDoc>) -> JobIndex {
    let index = JobIndex::in_ram().expect("an index in memory");
    index.apply(jobs, &[], 1).expect("the posts are indexed");
    index
}

pub fn query(text: &str) -> JobQuery {
    JobQuery {
        text: text.to_owned(),
        limit: 1000,
        ..JobQuery::new(today())
    }
}

/// The ids found, in order.
pub fn ids(index: &JobIndex, query: &JobQuery) -> Vec<i64> {
    let found = index.search(query).expect("the search answers");
    found.hits.iter().map(|hit| hit.id).collect()
}

/// The ids found, in ascending order.
pub fn sorted_ids(index: &JobIndex, query: &JobQuery) -> Vec<i64> {
    let mut found = ids(index, query);
    found.sort_unstable();
    found
}
