use super::*;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn draft() -> ExpertDraft {
    ExpertDraft {
        name: "李明".into(),
        field: "金融".into(),
        organisation: "武汉农商银行东西湖支行".into(),
        title: "信贷部经理".into(),
        services: vec!["policy".into(), "资源对接".into()],
        availability: "每周三下午".into(),
        phone: "13812345678".into(),
        intro: "从事小微企业信贷十五年".into(),
        consents: vec!["name".into(), "field".into()],
        status: String::new(),
    }
}

fn card(consent: Consent) -> ExpertCard {
    ExpertCard {
        id: 7,
        name: "李明".into(),
        field: ExpertField::Finance,
        organisation: "武汉农商银行东西湖支行".into(),
        title: "信贷部经理".into(),
        services: vec![ExpertService::Policy, ExpertService::Resources],
        intro: "从事小微企业信贷十五年".into(),
        consent,
        status: ExpertStatus::Active,
    }
}

fn fields(errors: Vec<FieldError>) -> Vec<&'static str> {
    errors.into_iter().map(|e| e.field).collect()
}

#[test]
fn an_expert_is_kept_with_the_services_and_consents_ticked() {
    let expert = validate_expert(&draft(), PhoneOnFile::Required).unwrap();
    assert_eq!(expert.field, ExpertField::Finance);
    assert_eq!(
        expert.services,
        [ExpertService::Policy, ExpertService::Resources]
    );
    assert_eq!(expert.status, ExpertStatus::Active);
    assert!(expert.consent.name && expert.consent.field && !expert.consent.organisation);
    assert_eq!(expert.phone.unwrap().masked(), "138****5678");
}

#[test]
fn an_expert_without_a_service_phone_or_known_field_is_refused_naming_each_field() {
    let mut bad = draft();
    bad.field = "占卜".into();
    bad.services.clear();
    bad.phone = "12345".into();
    bad.consents = vec!["住址".into()];
    let errors = validate_expert(&bad, PhoneOnFile::Required).unwrap_err();
    assert_eq!(
        fields(errors),
        ["专业领域", "服务内容", "联系电话", "公开授权"]
    );
}

#[test]
fn an_edit_may_leave_the_phone_blank_to_keep_it_but_a_new_expert_may_not() {
    let mut edit = draft();
    edit.phone = " ".into();
    assert_eq!(
        validate_expert(&edit, PhoneOnFile::KeepIfBlank)
            .unwrap()
            .phone,
        None
    );
    assert_eq!(
        fields(validate_expert(&edit, PhoneOnFile::Required).unwrap_err()),
        ["联系电话"]
    );
}

#[test]
fn the_public_profile_shows_only_what_the_expert_agreed_to_publish() {
    let consent = Consent {
        name: true,
        field: true,
        ..Consent::default()
    };
    let public = card(consent).public().unwrap();
    assert_eq!(public.name, "李明");
    assert_eq!(public.field, Some(ExpertField::Finance));
    assert_eq!(public.organisation, None, "no consent: absent");
    assert_eq!(public.title, None);
    assert_eq!(public.services, None);
    assert_eq!(public.intro, None);
}

#[test]
fn an_expert_who_did_not_agree_to_the_name_or_left_the_pool_is_not_listed() {
    let everything = Consent {
        name: true,
        organisation: true,
        title: true,
        field: true,
        services: true,
        intro: true,
    };
    assert!(card(everything).public().unwrap().intro.is_some());
    let nameless = Consent {
        name: false,
        ..everything
    };
    assert_eq!(card(nameless).public(), None);
    let mut retired = card(everything);
    retired.status = ExpertStatus::Retired;
    assert_eq!(retired.public(), None);
}

#[test]
fn services_round_trip_through_their_stored_codes() {
    let services = [ExpertService::Technical, ExpertService::Branding];
    assert_eq!(services_code(&services), "technical,branding");
    assert_eq!(services_of("technical,branding,gone"), services);
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

fn service() -> ServiceDraft {
    ServiceDraft {
        id_number: id_with_check("42011219900307123"),
        served_on: "2025-09-20".into(),
        kind: "技术指导".into(),
        hours: "1.5".into(),
        outcome: "指导完成网店开设".into(),
    }
}

#[test]
fn a_service_is_given_within_the_plan_years_and_not_in_the_future() {
    let today = day(2025, 10, 10);
    let ok = validate_service(&service(), 2025..=2027, today).unwrap();
    assert_eq!(ok.hours, 150);
    assert_eq!(ok.kind, ExpertService::Technical);
    let mut future = service();
    future.served_on = "2025-10-11".into();
    let errors = validate_service(&future, 2025..=2027, today).unwrap_err();
    assert_eq!(errors[0].to_string(), "服务日期：2025-10-11 晚于今天");
    assert_eq!(
        service_day("2024-12-31", 2025..=2027, today),
        Err("2024-12-31 不在方案年度 2025—2027 年内".to_owned())
    );
}

#[test]
fn service_hours_are_more_than_none_and_at_most_a_day() {
    assert_eq!(service_hours("24"), Ok(2400));
    assert_eq!(service_hours("０.５"), Ok(50));
    assert_eq!(service_hours("0"), Err("须大于 0".to_owned()));
    assert!(
        service_hours("24.5")
            .unwrap_err()
            .contains("不超过 24 小时")
    );
    assert!(service_hours("-1").is_err());
    assert!(service_hours("").is_err());
}

#[test]
fn a_service_names_every_wrong_field() {
    let bad = ServiceDraft {
        id_number: "420112".into(),
        served_on: "明天".into(),
        kind: "算命".into(),
        hours: "30".into(),
        outcome: String::new(),
    };
    let errors = validate_service(&bad, 2025..=2027, day(2025, 10, 10)).unwrap_err();
    assert_eq!(
        fields(errors),
        [
            "返区人员身份证号码",
            "服务日期",
            "服务类型",
            "服务时长（小时）",
            "服务成效"
        ]
    );
}

#[test]
fn a_retired_expert_takes_no_new_services() {
    assert!(takes_services(ExpertStatus::Active).is_ok());
    assert!(takes_services(ExpertStatus::Retired).is_err());
}

#[test]
fn the_plan_counts_expert_services_as_an_activity_of_2_1_3() {
    let plan = crate::plan::dongxihu();
    let indicator = plan
        .indicator_filled_by(crate::registry::Registry::ExpertServices)
        .unwrap();
    assert_eq!(indicator.code, "2.1.3.expert_services");
    assert_eq!(indicator.comparator, crate::plan::Comparator::Activity);
    assert_eq!(indicator.measure, "次");
}
