//! The demo data reads like the real thing: valid codes, plausible pay, searchable text.

use std::collections::HashSet;

use chrono::NaiveDate;
use linkong_core::fraud::{FraudRules, PostFacts, RiskLevel};
use linkong_core::industry::{LeadingIndustry, Section};
use linkong_core::phone::Phone;
use linkong_core::uscc::Uscc;

use crate::words::{FAMILIES, ONE_WORDS, SECTORS, TWO_CHARS, TWO_WORDS};
use crate::*;

const SEED: u64 = 20_250_301;

fn sample(n: usize) -> (Vec<DemoEmployer>, Vec<DemoPost>) {
    let employers = employers(SEED, 2_000);
    let posts = posts(SEED, &employers).take(n).collect();
    (employers, posts)
}

fn text_of(post: &DemoPost) -> String {
    format!("{} {}", post.title, post.description)
}

#[test]
fn the_same_seed_gives_the_same_data_and_another_seed_other_data() {
    let a = employers(7, 300);
    assert_eq!(a, employers(7, 300));
    assert_ne!(a, employers(8, 300));
    let first: Vec<DemoPost> = posts(7, &a).take(500).collect();
    assert_eq!(first, posts(7, &a).take(500).collect::<Vec<_>>());
    assert_ne!(first, posts(8, &a).take(500).collect::<Vec<_>>());
    assert_eq!(queries(7, 200), queries(7, 200));
    assert_ne!(queries(7, 200), queries(8, 200));
}

#[test]
fn asking_for_more_employers_keeps_the_first_ones() {
    assert_eq!(employers(3, 2_000)[..100], employers(3, 100)[..]);
}

#[test]
fn every_uscc_is_valid_registered_in_dongxihu_and_unique() {
    let employers = employers(SEED, 2_000);
    let mut seen = HashSet::new();
    for employer in &employers {
        let uscc = Uscc::parse(&employer.uscc).unwrap_or_else(|e| panic!("{}: {e}", employer.uscc));
        assert_eq!(uscc.division_code(), "420112");
        assert!(
            seen.insert(employer.uscc.clone()),
            "{} twice",
            employer.uscc
        );
    }
}

#[test]
fn two_thousand_employers_have_distinct_plausible_names() {
    let employers = employers(SEED, 2_000);
    let names: HashSet<&str> = employers.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names.len(), 2_000);
    for employer in &employers {
        assert!(
            employer.name.starts_with("武汉") || employer.name.starts_with("湖北"),
            "{}",
            employer.name
        );
        assert!(employer.name.ends_with("公司"), "{}", employer.name);
        assert!(
            !employer.name.contains("分公司"),
            "ran out of names: {}",
            employer.name
        );
    }
}

#[test]
fn employers_have_valid_industries_streets_and_mobile_phones() {
    for employer in employers(SEED, 2_000) {
        assert!(Section::parse(&employer.industry.to_string()).is_ok());
        assert!(LeadingIndustry::parse(employer.leading).is_ok());
        assert!(street_name(employer.street).is_some());
        let phone = employer.contact_phone.as_bytes();
        assert!(
            phone.len() == 11
                && phone[0] == b'1'
                && (b'3'..=b'9').contains(&phone[1])
                && phone.iter().all(u8::is_ascii_digit),
            "{}",
            employer.contact_phone
        );
        assert!(Phone::parse(&employer.contact_phone).is_ok());
        assert!((2..=3).contains(&employer.contact_name.chars().count()));
    }
}

#[test]
fn every_sector_uses_real_sections_and_tells_its_trades_apart() {
    for (i, sector) in SECTORS.iter().enumerate() {
        assert!(Section::parse(&sector.section.to_string()).is_ok());
        for other in &SECTORS[i + 1..] {
            if (sector.leading, sector.section) != (other.leading, other.section) {
                continue;
            }
            for trade in sector.trades {
                assert!(
                    other
                        .trades
                        .iter()
                        .all(|t| !t.contains(trade) && !trade.contains(t))
                );
            }
        }
    }
}

#[test]
fn posts_have_plausible_pay_headcount_dates_and_codes() {
    let (employers, posts) = sample(20_000);
    let education = [
        "any",
        "high_school",
        "associate",
        "bachelor",
        "master",
        "doctor",
    ];
    let experience = ["any", "fresh", "y1_3", "y3_5", "y5"];
    for post in &posts {
        assert!(post.salary_min < post.salary_max, "{post:?}");
        assert!(
            post.salary_min >= 3_500 && post.salary_max <= 25_000,
            "{post:?}"
        );
        assert_eq!((post.salary_min % 500, post.salary_max % 500), (0, 0));
        assert!((1..=30).contains(&post.positions));
        assert!(post.days_ago < 365 && (30..=180).contains(&post.valid_days));
        assert!((1..=8).contains(&post.occupation_group));
        assert!(!post.occupation.is_empty());
        assert!(education.contains(&post.education) && experience.contains(&post.experience));
        assert!(street_name(post.street).is_some());
        assert!(unit_name(post.raised_by).is_some());
        let employer = &employers[post.employer];
        assert_eq!(
            (post.industry, post.leading),
            (employer.industry, employer.leading)
        );
        assert!(
            post.raised_by == employer.street || Some(post.raised_by) == office_for(post.leading)
        );
    }
    let small = posts.iter().filter(|p| p.positions <= 3).count();
    assert!(
        small * 100 / posts.len() >= 60,
        "headcounts are mostly small"
    );
    let common_groups = posts
        .iter()
        .filter(|p| [2, 3, 4, 6].contains(&p.occupation_group))
        .count();
    assert_eq!(common_groups, posts.len());
    let open = posts
        .iter()
        .filter(|p| p.experience == "any" && p.education == "any");
    assert!(open.clone().count() > 0);
    assert!(open.clone().all(|p| p.salary_max < 20_000));
}

#[test]
fn every_description_is_100_to_300_characters() {
    let (_, posts) = sample(20_000);
    for post in &posts {
        let length = post.description.chars().count();
        assert!(
            (100..=300).contains(&length),
            "{length}: {}",
            post.description
        );
        assert!(post.description.starts_with("岗位职责："));
        assert!(post.description.contains("任职要求：") && post.description.contains("福利待遇："));
    }
}

#[test]
fn more_than_120_titles_across_the_leading_industries() {
    let listed: HashSet<&str> = FAMILIES
        .iter()
        .flat_map(|f| f.titles.iter().map(|t| t.0))
        .collect();
    assert!(listed.len() >= 120, "{} titles", listed.len());
    let (_, posts) = sample(20_000);
    let decorated = posts
        .iter()
        .filter(|p| p.title.contains('·') || p.title.contains('（'));
    assert!(decorated.count() > 1_000);
    let seen: HashSet<&str> = posts.iter().map(|p| p.title.as_str()).collect();
    assert!(seen.len() >= 150, "{} distinct titles", seen.len());
    let leading: HashSet<&str> = posts.iter().map(|p| p.leading).collect();
    assert_eq!(leading.len(), 6);
}

#[test]
fn emerging_industry_jobs_are_35_to_45_percent_of_posts_and_over_30_percent_of_positions() {
    let (_, posts) = sample(20_000);
    let emerging = posts.iter().filter(|p| p.emerging).count() as f64 / posts.len() as f64;
    assert!((0.35..=0.45).contains(&emerging), "{emerging}");
    let positions: i64 = posts.iter().map(|p| p.positions).sum();
    let emerging_positions: i64 = posts
        .iter()
        .filter(|p| p.emerging)
        .map(|p| p.positions)
        .sum();
    // 东政办〔2025〕3号 任务 1.1.1: emerging-industry jobs are at least 30 % of positions.
    assert!(emerging_positions as f64 / positions as f64 >= 0.30);
}

#[test]
fn honest_posts_pass_the_fraud_screen_and_about_one_in_200_is_flagged() {
    let rules = FraudRules::shipped();
    let (employers, posts) = sample(20_000);
    let today = NaiveDate::from_ymd_opt(2025, 9, 1).expect("date");
    let mut risky = 0;
    for post in &posts {
        let facts = PostFacts {
            employer: &employers[post.employer].name,
            title: &post.title,
            description: &post.description,
            positions: Some(post.positions),
            place: street_name(post.street).unwrap_or(""),
            salary_min: Some(post.salary_min),
            salary_max: Some(post.salary_max),
            valid_until: Some(post.valid_until(today)),
            requires_experience: post.experience != "any",
            requires_education: post.education != "any",
        };
        let screening = rules.screen(&facts);
        if post.risky {
            risky += 1;
            assert!(screening.level >= RiskLevel::Medium, "{screening:?}");
        } else {
            assert_eq!(screening.score, 0, "{screening:?} {}", post.description);
        }
    }
    assert!((60..=140).contains(&risky), "{risky} risky posts of 20,000");
}

#[test]
fn dates_follow_from_days_ago_and_valid_days() {
    let (_, posts) = sample(1);
    let today = NaiveDate::from_ymd_opt(2025, 9, 1).expect("date");
    let post = &posts[0];
    assert_eq!(
        (today - post.published_on(today)).num_days(),
        i64::from(post.days_ago)
    );
    assert_eq!(
        (post.valid_until(today) - post.published_on(today)).num_days(),
        i64::from(post.valid_days)
    );
}

#[test]
fn a_hundred_thousand_posts_stream_one_at_a_time() {
    let employers = employers(SEED, 2_000);
    assert_eq!(posts(SEED, &employers).take(100_000).count(), 100_000);
    assert_eq!(posts(SEED, &[]).next(), None);
}

#[test]
fn queries_mix_forty_thirty_thirty_and_forty_percent_filter() {
    let queries = queries(SEED, 1_000);
    let share = |kind| queries.iter().filter(|q| q.kind == kind).count() as f64 / 1_000.0;
    assert!((0.35..=0.45).contains(&share(QueryKind::OneWord)));
    assert!((0.25..=0.35).contains(&share(QueryKind::TwoWord)));
    assert!((0.25..=0.35).contains(&share(QueryKind::TwoChar)));
    let filters = |q: &DemoQuery| {
        [
            q.industry.is_some(),
            q.leading.is_some(),
            q.street.is_some(),
            q.education.is_some(),
            q.salary_at_least.is_some(),
            q.emerging.is_some(),
        ]
        .iter()
        .filter(|f| **f)
        .count()
    };
    let filtered = queries.iter().filter(|q| filters(q) > 0).count() as f64 / 1_000.0;
    assert!((0.35..=0.45).contains(&filtered), "{filtered}");
    assert!(queries.iter().all(|q| filters(q) <= 2));
    for query in &queries {
        match query.kind {
            QueryKind::TwoChar => assert_eq!(query.text.chars().count(), 2),
            QueryKind::TwoWord => assert_eq!(query.text.split(' ').count(), 2),
            QueryKind::OneWord => {
                assert!(!query.text.contains(' ') && query.text.chars().count() != 2)
            }
        }
    }
}

#[test]
fn every_query_word_occurs_in_the_first_5000_posts() {
    let (_, posts) = sample(5_000);
    let texts: Vec<String> = posts.iter().map(text_of).collect();
    let occurs = |word: &str| texts.iter().any(|t| t.contains(word));
    for word in TWO_CHARS {
        assert_eq!(word.chars().count(), 2, "{word}");
        assert!(occurs(word), "two-character word {word} never occurs");
    }
    for word in ONE_WORDS {
        assert!(occurs(word), "word {word} never occurs");
    }
    for (first, second) in TWO_WORDS {
        assert!(
            texts
                .iter()
                .any(|t| t.contains(first) && t.contains(second)),
            "{first} {second} never occur together"
        );
    }
}

#[test]
fn most_queries_find_many_posts() {
    let (_, posts) = sample(5_000);
    let texts: Vec<String> = posts.iter().map(text_of).collect();
    let hits = |query: &DemoQuery| {
        texts
            .iter()
            .filter(|t| query.text.split(' ').all(|w| t.contains(w)))
            .count()
    };
    let queries = queries(SEED, 1_000);
    let with_ten_hits = queries.iter().filter(|q| hits(q) >= 10).count();
    assert!(
        with_ten_hits >= 800,
        "{with_ten_hits} of 1,000 queries have 10 hits"
    );
}

#[test]
fn units_are_named_by_their_codes() {
    assert_eq!(street_name("jinghe"), Some("径河街道"));
    assert_eq!(street_name("gaoxin"), None);
    assert_eq!(unit_name("shiyao"), Some("食药产业办"));
    assert_eq!(office_for("modern_logistics"), Some("zongbao"));
    assert_eq!(office_for("aerospace"), None);
}

#[test]
fn roster_rows_are_valid_and_their_ids_unique() {
    let plan =
        linkong_core::plan::Plan::parse(include_str!("../../../plans/dongxihu-2025-2027.toml"))
            .unwrap();
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
    let mut seen = std::collections::HashSet::new();
    for row in crate::migrant_rows(7, None).take(3000) {
        assert_eq!(row.len(), crate::MIGRANT_HEADER.len());
        assert!(seen.insert(row[1].clone()), "duplicate ID");
        let draft = linkong_core::people::MigrantDraft {
            person: linkong_core::people::PersonDraft {
                name: row[0].clone(),
                id_number: row[1].clone(),
                phone: row[2].clone(),
                street: row[3].clone(),
                community: row[4].clone(),
                schooling: row[5].clone(),
            },
            province: row[6].clone(),
            city: row[7].clone(),
            section: row[8].clone(),
            occupation: row[9].clone(),
            skills: row[10].clone(),
            years_away: row[11].clone(),
            intention: row[12].clone(),
            business_field: row[13].clone(),
            contact_consent: row[14].clone(),
            surveyed_on: row[15].clone(),
            returned_on: row[16].clone(),
        };
        if let Err(errors) = linkong_core::people::validate_migrant(&plan, &draft, today) {
            panic!("{row:?}: {errors:?}");
        }
    }
    assert_eq!(
        crate::migrant_rows(7, None).nth(2999),
        crate::migrant_rows(7, None).nth(2999),
        "deterministic"
    );
    for row in crate::graduate_rows(7, 2025, Some("径河街道")).take(500) {
        let draft = linkong_core::people::GraduateDraft {
            person: linkong_core::people::PersonDraft {
                name: row[0].clone(),
                id_number: row[1].clone(),
                phone: row[2].clone(),
                street: row[3].clone(),
                community: row[4].clone(),
                schooling: row[5].clone(),
            },
            school: row[6].clone(),
            major: row[7].clone(),
            degree: row[8].clone(),
            graduated_on: row[9].clone(),
            wish: row[10].clone(),
        };
        let valid = linkong_core::people::validate_graduate(&plan, &draft, today)
            .unwrap_or_else(|e| panic!("{row:?}: {e:?}"));
        assert_eq!(valid.year(), 2025);
        assert_eq!(valid.person.street_code, "jinghe");
    }
}
