use super::*;

fn section(letter: &str) -> Section {
    Section::parse(letter).unwrap()
}

fn code(text: &str) -> IndustryCode {
    IndustryCode::parse(text).unwrap()
}

#[test]
fn the_shipped_mapping_parses() {
    assert!(EmergingMap::shipped().rows.len() >= 20);
}

#[test]
fn a_software_post_is_emerging_whatever_the_occupation() {
    let found =
        EmergingMap::shipped().derive(section("I"), Some(&code("6513")), OccupationGroup::Services);
    assert!(found.emerging);
    assert_eq!(
        found.basis.as_deref(),
        Some("战略性新兴产业 1.3 新兴软件和新型信息技术服务（行业 6513）")
    );
}

#[test]
fn the_longest_matching_row_names_the_category() {
    let found = EmergingMap::shipped().derive(
        section("I"),
        Some(&code("6572")),
        OccupationGroup::Professionals,
    );
    assert!(
        found
            .basis
            .unwrap()
            .starts_with("战略性新兴产业 8 数字创意产业")
    );
}

#[test]
fn a_bank_counts_as_high_end_service_for_professionals_only() {
    let map = EmergingMap::shipped();
    let analyst = map.derive(section("J"), None, OccupationGroup::Professionals);
    assert!(analyst.emerging);
    assert_eq!(
        analyst.basis.as_deref(),
        Some("高端服务业（金融）（行业 J）")
    );
    let cleaner = map.derive(section("J"), None, OccupationGroup::Services);
    assert!(!cleaner.emerging);
}

#[test]
fn a_factory_post_without_an_industry_code_is_not_emerging() {
    let map = EmergingMap::shipped();
    assert!(
        !map.derive(section("C"), None, OccupationGroup::Production)
            .emerging
    );
    assert!(
        map.derive(
            section("C"),
            Some(&code("2710")),
            OccupationGroup::Production
        )
        .emerging
    );
    assert!(
        !map.derive(
            section("C"),
            Some(&code("1391")),
            OccupationGroup::Production
        )
        .emerging
    );
}

#[test]
fn a_bad_mapping_row_is_refused_naming_its_line() {
    let err = EmergingMap::parse("# x\n65\t1.3\t软件\n").unwrap_err();
    assert!(err.starts_with("新兴产业认定表第 2 行"), "{err}");
    let err = EmergingMap::parse("6x\t1.3\t软件\t*\n").unwrap_err();
    assert!(err.contains("行业代码“6x”"), "{err}");
    let err = EmergingMap::parse("J\t高端\t金融\t1,9\n").unwrap_err();
    assert!(err.contains("职业大类"), "{err}");
}

#[test]
fn a_reviewer_changes_the_flag_only_with_a_reason() {
    assert_eq!(
        check_override(false, true, "  研发岗位，属智能制造  ").unwrap(),
        "研发岗位，属智能制造"
    );
    assert_eq!(
        check_override(false, true, "").unwrap_err().field,
        "更改理由"
    );
    assert_eq!(
        check_override(true, true, "理由充分的说明")
            .unwrap_err()
            .field,
        "新兴产业岗位"
    );
}
