//! The rules files an administrator edits: fraud screening, matching weights and streets, the
//! work calendar, the policy rule book (with its case files), and the classification tables
//! (emerging industries, occupations, synonyms). Each parser takes any text; what one accepts
//! is then used as linkong uses it.
//!
//! The first byte chooses the file; the rest is its text, then, after a unit separator (0x1F),
//! a second text (a post to screen, a case file, a code to look up).
#![no_main]

use chrono::NaiveDate;
use libfuzzer_sys::fuzz_target;
use linkong_core::calendar::WorkCalendar;
use linkong_core::emerging::EmergingMap;
use linkong_core::fraud::{FraudRules, PostFacts};
use linkong_core::industry::{IndustryCode, Section};
use linkong_core::matching::Streets;
use linkong_core::matching::Weights;
use linkong_core::occupations::Classification;
use linkong_core::rules::{RuleBook, check_cases};
use linkong_core::synonyms::Synonyms;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a date")
}

fn fraud(file: &str, other: &str) {
    let Ok(rules) = FraudRules::parse(file) else {
        return;
    };
    let _ = rules.screen(&PostFacts {
        employer: other,
        title: other,
        description: other,
        positions: Some(other.len() as i64),
        place: other,
        salary_min: Some(3000),
        salary_max: Some(other.len() as i64 * 1000),
        valid_until: Some(day(2026, 6, 1)),
        requires_experience: false,
        requires_education: true,
    });
}

fn weights(file: &str, other: &str) {
    if let Ok(weights) = Weights::parse(file) {
        let _ = weights.results(other.len());
    }
    if let Ok(streets) = Streets::parse(file) {
        let codes: Vec<&str> = streets.codes().collect();
        for a in codes.iter().take(4) {
            let _ = streets.km(a, other);
            for b in codes.iter().take(4) {
                let _ = streets.km(a, b);
            }
        }
    }
}

fn calendar(file: &str, other: &str) {
    let Ok(calendar) = WorkCalendar::parse(file) else {
        return;
    };
    let start = day(2025, 1, 1);
    let _ = calendar.is_working_day(start);
    let _ = calendar.add_working_days(start, (other.len() % 64) as u32);
    let _ = calendar.working_days_between(start, day(2025, 12, 31));
}

fn rule_book(file: &str, other: &str) {
    if let Ok(book) = RuleBook::parse(file) {
        let _ = check_cases(&book, other);
    }
}

fn tables(which: u8, file: &str, other: &str) {
    match which {
        0 => {
            if let Ok(map) = EmergingMap::parse(file)
                && let (Ok(section), code) = (Section::parse(other), IndustryCode::parse(other))
            {
                for group in linkong_core::jobs::OccupationGroup::ALL {
                    let _ = map.derive(section, code.as_ref().ok(), *group);
                }
            }
        }
        1 => {
            if let Ok(classification) = Classification::parse(file)
                && let Ok(code) = classification.code(other)
            {
                let _ = classification.name(&code);
            }
        }
        _ => {
            if let Ok(synonyms) = Synonyms::parse(file) {
                let _ = synonyms.code("学历", other);
                let _ = synonyms.vocabularies().count();
            }
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&which, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    let (file, other) = text.split_once('\u{1F}').unwrap_or((&text, "会计"));
    match which % 7 {
        0 => fraud(file, other),
        1 => weights(file, other),
        2 => calendar(file, other),
        3 => rule_book(file, other),
        n => tables(n - 4, file, other),
    }
});
