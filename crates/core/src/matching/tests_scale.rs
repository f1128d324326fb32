//! Distances between streets, the words' BM25 and the batch's prefilter.

use super::tests::{accountant, matcher, post, scored, today, weights, words};
use super::*;
use crate::plan::Plan;

fn reasons(found: &Match) -> Vec<&str> {
    found.top_reasons(9)
}

#[test]
fn the_distance_table_names_every_street_of_the_plan_both_ways() {
    let streets = Streets::parse(STREETS_FILE).expect("the shipped table");
    let plan = Plan::parse(include_str!("../../../../plans/dongxihu-2025-2027.toml")).unwrap();
    let mut planned: Vec<&str> = plan.streets().map(|u| u.code.as_str()).collect();
    let mut listed: Vec<&str> = streets.codes().collect();
    planned.sort_unstable();
    listed.sort_unstable();
    assert_eq!(listed, planned);
    for a in &planned {
        assert_eq!(streets.km(a, a), Some(0.0));
        for b in &planned {
            let km = streets.km(a, b).expect("every pair");
            assert_eq!(Some(km), streets.km(b, a), "{a} ↔ {b}");
            assert!(a == b || (1.0..60.0).contains(&km), "{a} → {b}: {km}");
        }
    }
    assert_eq!(streets.km("jinghe", "atlantis"), None);
}

#[test]
fn a_distance_table_missing_a_pair_or_not_symmetric_is_refused_naming_it() {
    let missing = STREETS_FILE.replacen("changqing = 14\n", "", 1);
    assert_eq!(
        Streets::parse(&missing).unwrap_err(),
        "街道距离表缺少“jinghe”到“changqing”的距离"
    );
    let lopsided = STREETS_FILE.replacen("changqing = 14\n", "changqing = 15\n", 1);
    assert!(
        Streets::parse(&lopsided)
            .unwrap_err()
            .starts_with("街道距离表不对称")
    );
    let negative = STREETS_FILE.replacen("changqing = 14\n", "changqing = -1\n", 1);
    assert_eq!(
        Streets::parse(&negative).unwrap_err(),
        "“jinghe”到“changqing”的距离不能为负数（收到 -1）"
    );
}

fn near(found: &Match) -> &Contribution {
    found
        .parts
        .iter()
        .find(|c| c.factor == Factor::Near)
        .unwrap()
}

#[test]
fn near_is_full_at_home_falls_with_the_kilometres_and_is_none_beyond_the_cut_off() {
    let home = scored(&accountant(), &[post("会计", "会计", "jinghe")], 0);
    assert_eq!(near(&home).points, 12.0);
    assert!(reasons(&home).contains(&"离家近：径河街道"));
    // 径河 → 吴家山 8 km: 12 × (1 − 8/20).
    let close = scored(&accountant(), &[post("会计", "会计", "wujiashan")], 0);
    assert!(
        (near(&close).points - 7.2).abs() < 1e-9,
        "{:?}",
        near(&close)
    );
    assert_eq!(
        near(&close).reason.as_deref(),
        Some("距离约 8 公里：wujiashan")
    );
    // 径河 → 常青花园 18 km is inside 20; 径河 → 将军路 17 km too; with a 15 km cut-off neither.
    let text = WEIGHTS_FILE.replace("cutoff_km = 20", "cutoff_km = 15");
    let strict = Weights::parse(&text).unwrap();
    let far = post("会计", "会计", "changqinghuayuan");
    let matcher = Matcher::new(vec![far], strict, today(), StreetNames::new(), &words);
    let found = matcher.score(&matcher.query(&accountant(), &words), 0);
    assert_eq!(near(&found).points, 0.0);
    assert_eq!(near(&found).reason, None);
}

#[test]
fn a_wanted_street_counts_as_near_and_the_nearest_of_home_and_wanted_streets_grades_the_rest() {
    let mut seeker = accountant();
    seeker.wanted_streets = vec!["jiangjunlu".into()];
    let wanted = scored(&seeker, &[post("会计", "会计", "jiangjunlu")], 0);
    assert_eq!(near(&wanted).points, 12.0);
    assert_eq!(
        near(&wanted).reason.as_deref(),
        Some("意向街道：jiangjunlu")
    );
    // 常青花园 is 18 km from home (径河) but 4 km from 将军路.
    let next_door = scored(&seeker, &[post("会计", "会计", "changqinghuayuan")], 0);
    let km = Streets::shipped()
        .km("jiangjunlu", "changqinghuayuan")
        .unwrap();
    assert!((near(&next_door).points - 12.0 * (1.0 - km / 20.0)).abs() < 1e-9);
}

#[test]
fn skills_are_scored_by_bm25_and_the_reason_names_the_skills_found() {
    let mut seeker = accountant();
    seeker.skills = vec!["Excel".into(), "出纳".into(), "叉车".into()];
    let cashier = Opening {
        description: "熟练使用 Excel，负责出纳与报销".into(),
        ..post("财务助理", "会计", "jinghe")
    };
    let found = scored(
        &seeker,
        &[cashier.clone(), post("文员", "文员", "jinghe")],
        0,
    );
    assert!(
        reasons(&found).contains(&"技能匹配：Excel、出纳"),
        "{:?}",
        reasons(&found)
    );
    let skills = found
        .parts
        .iter()
        .find(|c| c.factor == Factor::Skills)
        .unwrap();
    assert!(
        skills.points > 0.0 && skills.points < 15.0,
        "叉车 is not named: {skills:?}"
    );
    // A rare skill weighs more than a common one: with Excel in every post, the post naming
    // only 出纳 earns more than the post naming only Excel.
    let only_excel = Opening {
        description: "熟练使用 Excel".into(),
        ..post("行政", "行政", "jinghe")
    };
    let only_cashier = Opening {
        description: "负责出纳工作，Excel".into(),
        ..post("出纳", "出纳", "jinghe")
    };
    seeker.skills = vec!["Excel".into(), "出纳".into()];
    let posts = [only_excel.clone(), only_cashier, only_excel];
    let skills_of = |at: usize| {
        scored(&seeker, &posts, at)
            .parts
            .iter()
            .find(|c| c.factor == Factor::Skills)
            .unwrap()
            .points
    };
    assert!(skills_of(1) > skills_of(0));
}

#[test]
fn a_weights_file_without_the_near_cut_off_or_with_a_bad_bm25_constant_is_refused() {
    let missing = WEIGHTS_FILE.replace("cutoff_km = 20\n", "");
    assert!(Weights::parse(&missing).unwrap_err().contains("cutoff_km"));
    let zero = WEIGHTS_FILE.replace("cutoff_km = 20", "cutoff_km = 0");
    assert_eq!(
        Weights::parse(&zero).unwrap_err(),
        "near.cutoff_km 应大于 0（收到 0）"
    );
    let b = WEIGHTS_FILE.replace("b = 0.75", "b = 1.5");
    assert_eq!(
        Weights::parse(&b).unwrap_err(),
        "bm25.b 应在 0 至 1 之间（收到 1.5）"
    );
}

/// A small deterministic stream of numbers (no randomness crate in core).
struct Stream(u64);

impl Stream {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const STREETS: [&str; 5] = ["jinghe", "wujiashan", "changqing", "xinandu", "baiquan"];
const TITLES: [(&str, &str); 6] = [
    ("会计", "会计专业人员"),
    ("出纳", "出纳员"),
    ("电工", "电工"),
    ("软件开发工程师", "软件工程技术人员"),
    ("仓库管理员", "仓储人员"),
    ("护士", "护士"),
];
const TEXTS: [&str; 5] = [
    "熟练使用 Excel，会计电算化",
    "持电工证，负责配电维护",
    "熟悉 Java 与 SQL，计算机相关专业",
    "叉车证优先，能吃苦",
    "",
];

/// An occupation code of the shipped classification, or none (half the time).
fn random_code(stream: &mut Stream) -> Option<crate::occupations::OccupationCode> {
    const CODES: [&str; 5] = [
        "2-06-03-00",
        "2-06-04-00",
        "2-08-02-04",
        "6-31-01-03",
        "4-02",
    ];
    let code = *stream.pick(&CODES);
    (stream.below(2) == 0).then(|| {
        crate::occupations::Classification::shipped()
            .code(code)
            .expect("a shipped code")
    })
}

fn random_post(stream: &mut Stream) -> Opening {
    let (title, occupation) = *stream.pick(&TITLES);
    let max = 3000 + 500 * stream.below(12) as i64;
    Opening {
        title: title.into(),
        occupation: occupation.into(),
        description: (*stream.pick(&TEXTS)).into(),
        occupation_group: *stream.pick(OccupationGroup::ALL),
        occupation_code: random_code(stream),
        level: *stream.pick(JobLevel::ALL),
        education: *stream.pick(Education::ALL),
        salary_min: max - 1000,
        salary_max: max,
        street_code: (*stream.pick(&STREETS)).into(),
        published_on: today() - chrono::Days::new(stream.below(70) as u64),
        employer_verified: stream.below(4) > 0,
        high_risk: stream.below(20) == 0,
    }
}

fn random_seeker(stream: &mut Stream) -> Seeker {
    let skills = [
        ["Excel", "出纳"],
        ["叉车", "电工证"],
        ["Java", "SQL"],
        ["护理", "沟通"],
    ];
    Seeker {
        major: (*stream.pick(&["会计学", "计算机科学与技术", "护理学", "", "物流管理"])).into(),
        skills: match stream.below(3) {
            0 => Vec::new(),
            _ => stream
                .pick(&skills)
                .iter()
                .map(|s| (*s).to_owned())
                .collect(),
        },
        education: *stream.pick(Education::ALL),
        wanted_group: (stream.below(2) == 0).then(|| *stream.pick(OccupationGroup::ALL)),
        wanted_occupation: random_code(stream),
        wanted_level: (stream.below(2) == 0).then(|| *stream.pick(JobLevel::ALL)),
        wanted_salary: (stream.below(2) == 0).then(|| 3000 + 500 * stream.below(14) as i64),
        home_street: (*stream.pick(&STREETS)).into(),
        wanted_streets: match stream.below(3) {
            0 => vec![(*stream.pick(&STREETS)).into()],
            _ => Vec::new(),
        },
    }
}

#[test]
fn the_prefiltered_top_is_the_full_ranking_for_every_seeker_ties_included() {
    let mut stream = Stream(20250430);
    let posts: Vec<Opening> = (0..400).map(|_| random_post(&mut stream)).collect();
    let matcher = matcher(&posts);
    for _ in 0..300 {
        let seeker = random_seeker(&mut stream);
        let query = matcher.query(&seeker, &words);
        for n in [1, 10, 20] {
            let full = matcher.rank(&query, n);
            assert_eq!(full.len(), n);
            assert_eq!(matcher.top(&query, n), full, "{seeker:?}, n = {n}");
        }
    }
}

#[test]
fn a_list_is_ordered_by_total_and_equal_totals_by_the_posts_order() {
    let posts = vec![post("文员", "文员", "jinghe"); 5];
    let matcher = matcher(&posts);
    let seeker = accountant();
    let query = matcher.query(&seeker, &words);
    let order: Vec<usize> = matcher.top(&query, 3).into_iter().map(|(i, _)| i).collect();
    assert_eq!(order, [0, 1, 2]);
    assert!(matcher.top(&query, 0).is_empty());
    let none = Matcher::new(Vec::new(), weights(), today(), StreetNames::new(), &words);
    assert!(none.top(&none.query(&seeker, &words), 5).is_empty());
}
