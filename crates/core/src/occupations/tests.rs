use super::*;

#[test]
fn the_shipped_excerpt_parses_with_all_eight_major_groups() {
    let shipped = Classification::shipped();
    assert!(shipped.len() >= 100, "{}", shipped.len());
    for major in 1..=8 {
        let code = shipped.code(&major.to_string()).unwrap();
        assert!(!shipped.name(&code).is_empty());
    }
}

#[test]
fn a_detailed_code_names_its_occupation_and_derives_its_major_group() {
    let shipped = Classification::shipped();
    let accountant = shipped.code(" 2-06-03-00 ").unwrap();
    assert_eq!(shipped.name(&accountant), "会计专业人员");
    assert_eq!(accountant.group(), OccupationGroup::Professionals);
    assert_eq!(accountant.middle(), Some("2-06"));
    let electrician = shipped.code("6-31-01-03").unwrap();
    assert_eq!(shipped.name(&electrician), "电工");
    assert_eq!(electrician.group(), OccupationGroup::Production);
}

#[test]
fn an_occupation_the_excerpt_does_not_list_is_named_by_its_group() {
    let shipped = Classification::shipped();
    let code = shipped.code("2-06-03-99").unwrap();
    assert_eq!(shipped.name(&code), "会计专业人员");
}

#[test]
fn a_malformed_or_unknown_code_is_refused_naming_the_field() {
    let shipped = Classification::shipped();
    for bad in ["", "9", "2-6", "2-06-3", "2-06-03-00-01", "x-06", "2-77"] {
        let err = shipped.code(bad).unwrap_err();
        assert!(err.starts_with("职业代码"), "{bad}: {err}");
    }
}

#[test]
fn a_bad_row_is_refused_naming_its_line() {
    let text = "# 注释\n2\t专业技术人员\n2-06\t经济和金融专业人员\n2-6-03\t会计\n";
    assert_eq!(
        Classification::parse(text).unwrap_err(),
        "职业代码表第 4 行：职业代码“2-6-03”格式不对（应如 2-06-03-00）"
    );
    let orphan = "2\t专业技术人员\n2-06-03\t会计专业人员\n";
    assert_eq!(
        Classification::parse(orphan).unwrap_err(),
        "职业代码表第 2 行：2-06-03 的上一级 2-06 不在表中"
    );
    let unnamed = "2\t\n";
    assert!(
        Classification::parse(unnamed)
            .unwrap_err()
            .contains("第 1 行")
    );
    let twice = "2\t专业技术人员\n2\t专业技术人员\n";
    assert!(
        Classification::parse(twice)
            .unwrap_err()
            .contains("第 2 行")
    );
}
