use super::*;

const ID: &str = "11010519491231002X";

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn today() -> NaiveDate {
    day(2026, 6, 30)
}

fn draft() -> ApplicationDraft {
    ApplicationDraft {
        id_number: ID.into(),
        series: "agriculture".into(),
        speciality: "植物保护".into(),
        level: "中级".into(),
        submitted_on: "2026-03-02".into(),
        committee: "武汉市农业技术中级职务评审委员会".into(),
        forwarded_on: "2026-03-20".into(),
    }
}

#[test]
fn an_application_forwarded_after_its_submission_passes() {
    let app = validate_application(&draft(), today()).unwrap();
    assert_eq!(app.series, TitleSeries::Agriculture);
    assert_eq!(app.level, TitleLevel::Intermediate);
    assert_eq!(app.forwarded_on, day(2026, 3, 20));
}

#[test]
fn every_wrong_field_of_an_application_is_named_in_the_forms_order() {
    let bad = ApplicationDraft {
        id_number: "123".into(),
        series: "".into(),
        speciality: " ".into(),
        level: "特级".into(),
        submitted_on: "2026-07-01".into(),
        committee: "".into(),
        forwarded_on: "".into(),
    };
    let errors = validate_application(&bad, today()).unwrap_err();
    let fields: Vec<&str> = errors.iter().map(|e| e.field).collect();
    assert_eq!(
        fields,
        [
            "身份证号码",
            "职称系列",
            "专业",
            "申报级别",
            "申报日期",
            "评审委员会",
            "报送日期"
        ]
    );
    assert!(errors[4].message.contains("晚于今天"));
}

#[test]
fn forwarding_before_the_submission_is_refused_naming_the_field() {
    let bad = ApplicationDraft {
        forwarded_on: "2026-03-01".into(),
        ..draft()
    };
    let errors = validate_application(&bad, today()).unwrap_err();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].field, "报送日期");
    assert!(errors[0].message.contains("早于申报日期"));
}

fn result(result: &str, obtained_on: &str) -> Result<ValidResult, Vec<FieldError>> {
    let draft = ResultDraft {
        result: result.into(),
        obtained_on: obtained_on.into(),
    };
    validate_result(&draft, day(2026, 3, 2), day(2026, 3, 20), today())
}

#[test]
fn a_pass_carries_the_day_the_title_was_obtained() {
    let passed = result("passed", "2026-06-01").unwrap();
    assert_eq!(passed.result, TitleResult::Passed);
    assert_eq!(passed.obtained_on, Some(day(2026, 6, 1)));
    let failed = result("未通过", "").unwrap();
    assert_eq!(failed.obtained_on, None);
}

#[test]
fn a_pass_without_a_day_or_with_a_day_before_the_submission_is_refused() {
    let errors = result("passed", "").unwrap_err();
    assert_eq!(errors[0].field, "取得日期");
    let errors = result("passed", "2026-03-01").unwrap_err();
    assert_eq!(errors[0].field, "取得日期");
    assert!(errors[0].message.contains("早于申报日期"), "{errors:?}");
    let errors = result("passed", "2026-03-10").unwrap_err();
    assert!(errors[0].message.contains("早于报送日期"), "{errors:?}");
    let errors = result("passed", "2026-07-01").unwrap_err();
    assert!(errors[0].message.contains("晚于今天"), "{errors:?}");
}

#[test]
fn a_day_without_a_pass_and_an_unknown_result_are_refused() {
    let errors = result("failed", "2026-06-01").unwrap_err();
    assert_eq!(errors[0].field, "取得日期");
    let errors = result("", "").unwrap_err();
    assert_eq!(errors[0].field, "评审结果");
    let errors = result("maybe", "").unwrap_err();
    assert_eq!(errors[0].field, "评审结果");
}
