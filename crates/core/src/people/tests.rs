use super::*;
use crate::plan::Plan;

fn plan() -> Plan {
    crate::plan::dongxihu()
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()
}

/// A made-up resident ID with its GB 11643 check digit.
pub(crate) fn id_with_check(first17: &str) -> String {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = first17
        .chars()
        .zip(WEIGHTS)
        .map(|(c, w)| c.to_digit(10).unwrap() * w)
        .sum();
    let check = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'][(sum % 11) as usize];
    format!("{first17}{check}")
}

fn draft() -> MigrantDraft {
    MigrantDraft {
        person: PersonDraft {
            name: " 张三 ".into(),
            id_number: id_with_check("42011219900307123"),
            phone: "１３８１２３４５６７８".into(),
            street: "径河".into(),
            community: "径河社区".into(),
            schooling: "高中/中专/技校".into(),
        },
        province: "广东".into(),
        city: "深圳".into(),
        section: "制造业".into(),
        occupation: "电工".into(),
        skills: "电工证".into(),
        years_away: "５".into(),
        intention: "返区创业".into(),
        business_field: "农产品电商".into(),
        contact_consent: "是".into(),
        surveyed_on: "2025年3月1日".into(),
        returned_on: String::new(),
    }
}

#[test]
fn a_good_row_is_normalised() {
    let m = validate_migrant(&plan(), &draft(), today()).expect("valid");
    assert_eq!(m.person.name, "张三");
    assert_eq!(m.person.street_code, "jinghe");
    assert_eq!(m.person.phone.as_ref().unwrap().expose(), "13812345678");
    assert_eq!(m.province, "广东省");
    assert_eq!(m.section.letter(), 'C');
    assert_eq!(m.years_away, 5);
    assert_eq!(m.intention, Intention::Business);
    assert!(m.contact_consent);
    assert_eq!(m.surveyed_on, NaiveDate::from_ymd_opt(2025, 3, 1).unwrap());
    assert_eq!(m.returned_on, None);
}

#[test]
fn every_wrong_field_is_named() {
    let mut bad = draft();
    bad.person.id_number = "420112199902301234".into();
    bad.person.street = "汉口街道".into();
    bad.province = "火星".into();
    bad.section = "Z".into();
    bad.years_away = "3.5".into();
    bad.intention = "也许".into();
    bad.contact_consent = "可能".into();
    bad.surveyed_on = "2027-01-01".into();
    let errors = validate_migrant(&plan(), &bad, today()).unwrap_err();
    let fields: Vec<&str> = errors.iter().map(|e| e.field).collect();
    assert_eq!(
        fields,
        [
            "身份证号码",
            "户籍街道",
            "务工省份",
            "从事行业",
            "外出年限",
            "返区意向",
            "同意联系",
            "调查日期"
        ]
    );
    assert!(
        errors[0].message.contains("19990230"),
        "{}",
        errors[0].message
    );
    assert!(errors[1].message.contains("汉口街道"));
}

#[test]
fn a_business_intention_needs_its_field() {
    let mut d = draft();
    d.business_field = " ".into();
    let errors = validate_migrant(&plan(), &d, today()).unwrap_err();
    assert_eq!(errors[0].field, "拟创业领域");
}

#[test]
fn streets_and_provinces_are_found_by_any_of_their_names() {
    let plan = plan();
    for name in ["径河", "径河街道", "东西湖区径河街道办事处", "jinghe"] {
        assert_eq!(parse_street(&plan, name), Ok("jinghe"), "{name}");
    }
    assert!(
        parse_street(&plan, "rsj").is_err(),
        "a department is not a street"
    );
    assert_eq!(parse_province("广西"), Ok("广西壮族自治区"));
    assert_eq!(parse_province("北京"), Ok("北京市"));
    assert_eq!(parse_province("湖北省"), Ok("湖北省"));
    assert!(parse_province("").is_err());
}

#[test]
fn yes_and_no_are_read_as_people_write_them() {
    assert_eq!(parse_yes_no("同意"), Ok(true));
    assert_eq!(parse_yes_no(" 否 "), Ok(false));
    assert!(parse_yes_no("").is_err());
    assert!(parse_yes_no("随便").unwrap_err().contains("随便"));
}

#[test]
fn a_graduate_row_is_checked_and_its_year_is_the_graduation_year() {
    let draft = GraduateDraft {
        person: draft().person,
        school: "华中科技大学".into(),
        major: "软件工程".into(),
        degree: "本科".into(),
        graduated_on: "2025/6/30".into(),
        wish: "软件开发".into(),
    };
    let g = validate_graduate(&plan(), &draft, today()).expect("valid");
    assert_eq!(g.year(), 2025);
    assert_eq!(g.degree, Degree::Bachelor);
    let mut bad = draft.clone();
    bad.school = String::new();
    bad.degree = "大师".into();
    bad.graduated_on = "2019-06-30".into();
    let errors = validate_graduate(&plan(), &bad, today()).unwrap_err();
    let fields: Vec<&str> = errors.iter().map(|e| e.field).collect();
    assert_eq!(fields, ["毕业院校", "学历", "毕业日期"]);
    let mut short = draft;
    short.degree = "大专".into();
    assert_eq!(
        validate_graduate(&plan(), &short, today()).unwrap().degree,
        Degree::Associate
    );
}

#[test]
fn the_1131_service_asks_three_referrals_and_one_of_the_rest() {
    let total: usize = ServiceItem::ALL.iter().map(|i| i.required()).sum();
    assert_eq!(total, 6);
    assert!(!Placement::NotYet.is_placed());
    assert!(Placement::Flexible.is_placed());
}

#[test]
fn a_service_cannot_be_dated_after_today_or_before_the_graduation_year() {
    assert_eq!(
        service_day("2026-11-20", today(), 2025),
        Ok(NaiveDate::from_ymd_opt(2026, 11, 20).unwrap())
    );
    assert_eq!(
        service_day("2026-11-27", today(), 2025),
        Err("2026-11-27 晚于今天".to_owned())
    );
    assert_eq!(
        service_day("2024-12-31", today(), 2025),
        Err("2024-12-31 早于毕业年度 2025".to_owned())
    );
    assert!(service_day("明天", today(), 2025).is_err());
}

#[test]
fn a_placement_may_come_up_to_a_year_before_leaving_school_but_not_after_today() {
    let graduated_on = NaiveDate::from_ymd_opt(2025, 6, 30).unwrap();
    assert_eq!(
        placement_day("2024-07-01", today(), graduated_on),
        Ok(NaiveDate::from_ymd_opt(2024, 7, 1).unwrap())
    );
    assert_eq!(
        placement_day("2024-06-28", today(), graduated_on),
        Err("2024-06-28 早于毕业日期一年以上".to_owned())
    );
    assert_eq!(
        placement_day("2026-11-27", today(), graduated_on),
        Err("2026-11-27 晚于今天".to_owned())
    );
}

#[test]
fn a_placed_graduate_needs_evidence_of_at_most_200_characters() {
    assert_eq!(placement_evidence(" 劳动合同 ", true), Ok("劳动合同"));
    assert_eq!(placement_evidence("  ", false), Ok(""));
    assert!(
        placement_evidence("  ", true)
            .unwrap_err()
            .contains("请写明佐证")
    );
    assert_eq!(
        placement_evidence(&"证".repeat(201), false),
        Err("最多 200 个字".to_owned())
    );
}

#[test]
fn five_ones_are_recorded_for_one_of_the_plan_years() {
    assert_eq!(five_ones_year(" 2026 ", 2025..=2027), Ok(2026));
    assert_eq!(
        five_ones_year("2024", 2025..=2027),
        Err("须为 2025—2027 年（收到“2024”）".to_owned())
    );
    assert!(five_ones_year("明年", 2025..=2027).is_err());
}
