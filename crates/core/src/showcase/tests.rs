use super::*;
use crate::registry::Registry;

fn plan() -> Plan {
    crate::plan::dongxihu()
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn draft() -> CaseDraft {
    CaseDraft {
        business: "3".into(),
        founder: "17".into(),
        title: "从深圳回到柏泉，把小龙虾做成了品牌".into(),
        story: "2021 年，他辞去深圳的工作回到柏泉，流转 80 亩水田发展稻虾共作。".into(),
        consent_by: "王建国".into(),
        consent_on: "2025-05-06".into(),
        consent_scopes: vec!["portal".into(), "media".into()],
    }
}

fn fields(errors: &[FieldError]) -> Vec<&'static str> {
    errors.iter().map(|e| e.field).collect()
}

#[test]
fn the_streets_and_nyncj_recommend_cases() {
    let plan = plan();
    let units = recommending_units(&plan);
    assert_eq!(units.len(), 13);
    assert!(units.contains(&"nyncj") && units.contains(&"jinghe"));
    assert!(!units.contains(&"rsj") && !units.contains(&"xcb"));
    let task = plan.tasks.iter().find(|t| t.code == TASK).unwrap();
    for publisher in PUBLISHERS {
        assert!(task.cooperating_units.iter().any(|u| u == publisher));
    }
}

#[test]
fn a_case_with_its_consent_is_accepted() {
    let valid = validate_case(&draft(), d(2025, 6, 1)).unwrap();
    assert_eq!((valid.business_id, valid.founder_id), (3, 17));
    assert_eq!(
        valid.consent,
        Consent {
            given_by: "王建国".into(),
            given_on: d(2025, 5, 6),
            portal: true,
            media: true,
        }
    );
}

#[test]
fn a_showcase_without_consent_is_refused_naming_the_field() {
    let mut bad = draft();
    bad.consent_by = String::new();
    bad.consent_on = " ".into();
    bad.consent_scopes = Vec::new();
    let errors = validate_case(&bad, d(2025, 6, 1)).unwrap_err();
    assert_eq!(fields(&errors), ["本人同意"]);
    assert!(errors[0].message.starts_with("未登记本人同意"));
}

#[test]
fn a_partial_consent_names_what_is_missing() {
    let mut bad = draft();
    bad.consent_on = "2025-07-01".into();
    bad.consent_scopes = vec![String::new()];
    let errors = validate_case(&bad, d(2025, 6, 1)).unwrap_err();
    assert_eq!(fields(&errors), ["同意日期", "同意范围"]);
    assert_eq!(errors[0].message, "2025-07-01 晚于今天");
    bad.consent_scopes = vec!["tv".into()];
    bad.consent_on = "2025-05-06".into();
    bad.consent_by = " ".into();
    let errors = validate_case(&bad, d(2025, 6, 1)).unwrap_err();
    assert_eq!(fields(&errors), ["同意人", "同意范围"]);
}

#[test]
fn every_wrong_field_of_a_case_is_named() {
    let bad = CaseDraft {
        business: "x".into(),
        founder: "".into(),
        title: String::new(),
        story: "字".repeat(5001),
        ..draft()
    };
    let errors = validate_case(&bad, d(2025, 6, 1)).unwrap_err();
    assert_eq!(
        fields(&errors),
        ["创业主体", "典型人物", "标题", "创业故事"]
    );
}

#[test]
fn only_a_founder_of_the_business_is_its_case() {
    assert!(founder_of(17, &[16, 17]).is_ok());
    assert_eq!(founder_of(18, &[16, 17]).unwrap_err().field, "典型人物");
}

#[test]
fn only_a_case_consented_for_the_portal_is_published_there() {
    let mut consent = validate_case(&draft(), d(2025, 6, 1)).unwrap().consent;
    assert!(consent.allows_portal().is_ok());
    consent.portal = false;
    let refused = consent.allows_portal().unwrap_err();
    assert_eq!(
        (refused.field, refused.message.as_str()),
        ("同意范围", "本人未同意在门户网站发布，不能发布")
    );
}

#[test]
fn a_case_is_collected_then_nominated_then_decided() {
    use CaseStatus::*;
    let nominate = CaseStep::Nominate { on: d(2025, 9, 1) };
    let starred = CaseStep::Outcome {
        starred: true,
        note: "2025 年度武汉返乡创业之星".into(),
    };
    assert_eq!(Recommended.after(&CaseStep::Collect), Ok(Collected));
    assert_eq!(Collected.after(&nominate), Ok(Nominated));
    assert_eq!(Nominated.after(&starred), Ok(Starred));
    assert!(Recommended.after(&nominate).is_err());
    assert_eq!(
        Collected.after(&starred),
        Err("尚未推荐参选“武汉返乡创业之星”，不能登记评选结果".into())
    );
    assert!(Starred.after(&CaseStep::Collect).is_err());
}

#[test]
fn a_photo_is_a_jpeg_or_a_png_of_at_most_5_mb() {
    assert_eq!(photo_media_type(10, Some("image/png")), Ok("image/png"));
    assert_eq!(photo_media_type(10, Some("image/jpeg")), Ok("image/jpeg"));
    for (size, sniffed, message) in [
        (0, Some("image/png"), "文件为空"),
        (
            MAX_PHOTO_BYTES + 1,
            Some("image/png"),
            "单张照片不超过 5 MB",
        ),
        (10, Some("application/pdf"), "只接受 JPEG 或 PNG 格式的图片"),
        (10, Some("image/gif"), "只接受 JPEG 或 PNG 格式的图片"),
        (10, None, "只接受 JPEG 或 PNG 格式的图片"),
    ] {
        let e = photo_media_type(size, sniffed).unwrap_err();
        assert_eq!((e.field, e.message.as_str()), ("照片", message));
    }
    assert!(photo_count(MAX_PHOTOS).is_ok());
    assert_eq!(
        photo_count(MAX_PHOTOS + 1).unwrap_err().message,
        "最多 6 张"
    );
}

#[test]
fn a_nomination_is_dated_between_the_recommendation_and_today() {
    let (recommended, today) = (d(2025, 5, 1), d(2025, 10, 1));
    assert_eq!(
        nomination_day("2025-09-01", recommended, today),
        Ok(d(2025, 9, 1))
    );
    assert!(nomination_day("2025-04-30", recommended, today).is_err());
    let e = nomination_day("2025-10-02", recommended, today).unwrap_err();
    assert_eq!(e.field, "推荐参选日期");
}

#[test]
fn indicator_2_5_3_is_filled_by_the_cases_recommended() {
    let plan = plan();
    let indicator = plan
        .indicator_filled_by(Registry::ShowcaseRecommendations)
        .unwrap();
    assert_eq!(indicator.code, "2.5.3.showcase_cases");
    assert_eq!(
        Registry::parse("showcase.recommendations"),
        Some(Registry::ShowcaseRecommendations)
    );
}

#[test]
fn a_case_goes_up_on_the_portal_once_and_comes_off_only_when_up() {
    assert!(check_publication(None, true).is_ok());
    assert!(check_publication(Some(d(2025, 6, 1)), false).is_ok());
    assert_eq!(
        check_publication(Some(d(2025, 6, 1)), true),
        Err("该案例已于 2025-06-01 在门户发布".into())
    );
    assert!(check_publication(None, false).is_err());
}
