use chrono::NaiveDate;

use super::*;

pub(super) fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 9, 1).unwrap()
}

pub(super) fn weights() -> Weights {
    Weights::parse(WEIGHTS_FILE).expect("the shipped weights")
}

pub(super) fn street_names() -> StreetNames {
    [
        ("jinghe", "径河街道"),
        ("changqing", "长青街道"),
        ("xinandu", "辛安渡街道"),
    ]
    .into_iter()
    .map(|(code, name)| (code.to_owned(), name.to_owned()))
    .collect()
}

pub(super) fn matcher(posts: &[Opening]) -> Matcher {
    Matcher::new(posts.to_vec(), weights(), today(), street_names(), &words)
}

/// A 会计学 bachelor living in 径河 who wants an office job at 5,000 a month.
pub(super) fn accountant() -> Seeker {
    Seeker {
        major: "会计学".into(),
        skills: vec!["Excel".into(), "用友".into()],
        education: Education::Bachelor,
        wanted_group: Some(OccupationGroup::Clerks),
        wanted_occupation: None,
        wanted_level: None,
        wanted_salary: Some(5000),
        home_street: "jinghe".into(),
        wanted_streets: vec![],
    }
}

pub(super) fn post(title: &str, occupation: &str, street: &str) -> Opening {
    Opening {
        title: title.into(),
        occupation: occupation.into(),
        description: String::new(),
        occupation_group: OccupationGroup::Clerks,
        occupation_code: None,
        level: JobLevel::Worker,
        education: Education::Associate,
        salary_min: 4500,
        salary_max: 6000,
        street_code: street.into(),
        published_on: NaiveDate::from_ymd_opt(2025, 8, 28).unwrap(),
        employer_verified: true,
        high_risk: false,
    }
}

fn electrician_elsewhere() -> Opening {
    Opening {
        occupation_group: OccupationGroup::Production,
        education: Education::HighSchool,
        description: "持电工证，负责厂区配电维护".into(),
        ..post("电工", "电工", "xinandu")
    }
}

pub(super) fn words(text: &str) -> Vec<String> {
    linkong_search::words(text)
}

/// `seeker` scored against post `at` of `posts` (the posts are the words' corpus).
pub(super) fn scored(seeker: &Seeker, posts: &[Opening], at: usize) -> Match {
    let matcher = matcher(posts);
    matcher.score(&matcher.query(seeker, &words), at)
}

/// `seeker` scored against `post` alone.
pub(super) fn score_one(seeker: &Seeker, post: &Opening) -> Match {
    scored(seeker, std::slice::from_ref(post), 0)
}

fn ranked_titles(seeker: &Seeker, posts: &[Opening]) -> Vec<String> {
    let matcher = matcher(posts);
    let query = matcher.query(seeker, &words);
    let ranked = matcher.rank(&query, 10);
    assert_eq!(
        matcher.top(&query, 10),
        ranked,
        "the prefiltered list is the full ranking's"
    );
    ranked
        .into_iter()
        .map(|(i, _)| posts[i].title.clone())
        .collect()
}

#[test]
fn an_accounting_graduate_ranks_an_accounting_post_in_her_street_above_an_electrician_post_elsewhere()
 {
    let posts = [
        electrician_elsewhere(),
        post("会计", "会计专业人员", "jinghe"),
    ];
    assert_eq!(ranked_titles(&accountant(), &posts), ["会计", "电工"]);
    let best = scored(&accountant(), &posts, 1);
    assert_eq!(
        best.top_reasons(3),
        [
            "专业匹配：会计学 ↔ 会计",
            "学历满足：大专",
            "离家近：径河街道"
        ]
    );
    let other = scored(&accountant(), &posts, 0);
    assert!(
        !other
            .top_reasons(3)
            .iter()
            .any(|r| r.starts_with("专业匹配")),
        "an electrician post does not match accounting: {:?}",
        other.top_reasons(3)
    );
}

#[test]
fn hand_made_cases_keep_their_order_under_the_shipped_weights() {
    let mut far = post("会计", "会计专业人员", "changqing");
    far.published_on = NaiveDate::from_ymd_opt(2025, 6, 1).unwrap();
    let mut risky = post("会计助理", "会计", "jinghe");
    risky.high_risk = true;
    let mut too_high = post("财务经理", "会计", "jinghe");
    too_high.education = Education::Master;
    let cashier = Opening {
        description: "熟练使用 Excel，会计电算化".into(),
        ..post("出纳", "出纳员", "jinghe")
    };
    let posts = [
        electrician_elsewhere(),
        risky,
        too_high,
        far,
        cashier,
        post("会计", "会计专业人员", "jinghe"),
    ];
    // The accounting post at home first (85); the cashier post naming 会计 only in its text,
    // and Excel, next (75.5: Excel is the commoner of her two skills); the same post 14 km
    // away in 长青, months old (72.6); the post asking a master's (55) and the high-risk one
    // (45) fall below; the electrician 13 km away last (37.2).
    assert_eq!(
        ranked_titles(&accountant(), &posts),
        ["会计", "出纳", "会计", "财务经理", "会计助理", "电工"]
    );
    let cashier = scored(&accountant(), &posts, 4);
    assert_eq!(
        cashier.top_reasons(2),
        ["专业匹配：会计学 ↔ 会计", "学历满足：大专"]
    );
    assert!(cashier.top_reasons(9).contains(&"技能匹配：Excel"));
    let risky = scored(&accountant(), &posts, 1);
    assert_eq!(risky.warnings(), ["风险提示：诈骗筛查标为高风险"]);
    let too_high = scored(&accountant(), &posts, 2);
    assert_eq!(too_high.warnings(), ["学历不足：岗位要求硕士"]);
}

#[test]
fn every_factor_keeps_its_points_and_the_total_is_their_sum() {
    let found = score_one(&accountant(), &post("会计", "会计专业人员", "jinghe"));
    assert_eq!(found.parts.len(), Factor::ALL.len());
    let sum: f64 = found.parts.iter().map(|c| c.points).sum();
    assert!((found.total - sum).abs() < 1e-9);
    // major 30 + occupation 10 + education 15 + salary 10 + near 12 + fresh 4 + verified 4;
    // no skill named in the post.
    assert!((found.total - 85.0).abs() < 1e-9, "{}", found.total);
}

#[test]
fn a_major_is_cut_to_the_words_a_post_names() {
    assert_eq!(major_words("会计学"), ["会计"]);
    assert_eq!(major_words("计算机科学与技术"), ["计算机"]);
    assert_eq!(major_words("电气工程及其自动化"), ["电气", "自动化"]);
    assert_eq!(major_words("物流管理"), ["物流"]);
    assert!(major_words("").is_empty());
}

#[test]
fn a_salary_above_the_offer_earns_part_of_the_points_and_no_reason() {
    let mut seeker = accountant();
    seeker.wanted_salary = Some(12000);
    let found = score_one(&seeker, &post("会计", "会计", "jinghe"));
    let salary = found
        .parts
        .iter()
        .find(|c| c.factor == Factor::Salary)
        .unwrap();
    assert!(
        (salary.points - 5.0).abs() < 1e-9,
        "6000 of 12000: half of 10"
    );
    assert_eq!(salary.reason, None);
}

#[test]
fn a_weights_file_with_a_negative_missing_or_unknown_weight_is_refused_naming_it() {
    let shipped = WEIGHTS_FILE;
    let negative = shipped.replace("near = 12", "near = -3");
    assert_eq!(
        Weights::parse(&negative).unwrap_err(),
        "权重“near”不能为负数（收到 -3）"
    );
    let missing = shipped.replace("fresh = 4\n", "");
    assert_eq!(
        Weights::parse(&missing).unwrap_err(),
        "权重文件缺少“fresh”的权重"
    );
    let unknown = shipped.replace("fresh = 4", "fresh = 4\nluck = 7");
    assert_eq!(
        Weights::parse(&unknown).unwrap_err(),
        "权重文件中有未知的因素“luck”"
    );
    let text = shipped.replace("salary = 10", "salary = \"ten\"");
    assert!(
        Weights::parse(&text)
            .unwrap_err()
            .starts_with("权重“salary”应为数字")
    );
    let too_many = shipped.replace("max_results = 20", "max_results = 5000");
    assert!(
        Weights::parse(&too_many)
            .unwrap_err()
            .starts_with("max_results")
    );
}

#[test]
fn a_list_longer_than_the_maximum_is_refused() {
    let weights = weights();
    assert_eq!(weights.results(10), Ok(10));
    assert_eq!(
        weights.results(21).unwrap_err(),
        "推荐数量最多为 20（收到 21）"
    );
    assert!(weights.results(0).is_err());
}

fn code(text: &str) -> Option<OccupationCode> {
    Some(Classification::shipped().code(text).unwrap())
}

fn occupation_points(seeker: &Seeker, post: &Opening) -> (f64, Option<String>) {
    let found = score_one(seeker, post);
    let part = found
        .parts
        .into_iter()
        .find(|c| c.factor == Factor::Occupation)
        .unwrap();
    (part.points, part.reason)
}

#[test]
fn the_same_middle_group_earns_full_occupation_points_the_same_major_group_half() {
    let seeker = Seeker {
        wanted_group: Some(OccupationGroup::Professionals),
        wanted_occupation: code("2-06-03-00"),
        ..accountant()
    };
    let auditor = Opening {
        occupation_group: OccupationGroup::Professionals,
        occupation_code: code("2-06-04-00"),
        ..post("审计助理", "审计", "jinghe")
    };
    assert_eq!(
        occupation_points(&seeker, &auditor),
        (10.0, Some("职业对口：经济和金融专业人员".into()))
    );
    let teacher = Opening {
        occupation_code: code("2-08-02-04"),
        ..auditor.clone()
    };
    assert_eq!(
        occupation_points(&seeker, &teacher),
        (5.0, Some("职业大类相同：专业技术人员".into()))
    );
    let electrician = Opening {
        occupation_group: OccupationGroup::Production,
        occupation_code: code("6-31-01-03"),
        ..auditor
    };
    assert_eq!(occupation_points(&seeker, &electrician), (0.0, None));
}

#[test]
fn a_code_on_one_side_only_compares_the_major_groups() {
    let seeker = Seeker {
        wanted_group: None,
        wanted_occupation: code("2-06-03-00"),
        ..accountant()
    };
    let post = Opening {
        occupation_group: OccupationGroup::Professionals,
        ..post("会计", "会计", "jinghe")
    };
    assert_eq!(
        occupation_points(&seeker, &post),
        (10.0, Some("职业对口：专业技术人员".into()))
    );
}

#[test]
fn a_wanted_job_level_earns_the_level_points_and_says_so() {
    let seeker = Seeker {
        wanted_level: Some(JobLevel::Professional),
        ..accountant()
    };
    let professional = Opening {
        level: JobLevel::Professional,
        ..post("会计", "会计专业人员", "jinghe")
    };
    let worker = post("会计", "会计专业人员", "jinghe");
    let posts = [professional, worker];
    let found = scored(&seeker, &posts, 0);
    let without = scored(&seeker, &posts, 1);
    assert!(
        (found.total - without.total - 6.0).abs() < 1e-9,
        "the level's 6 more: {} vs {}",
        found.total,
        without.total
    );
    assert!(found.top_reasons(9).contains(&"岗位层次相符：专业技术"));
}
