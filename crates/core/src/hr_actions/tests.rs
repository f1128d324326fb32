use super::*;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn today() -> NaiveDate {
    day(2026, 6, 30)
}

fn action() -> ActionDraft {
    ActionDraft {
        name: "2026年稳就业促创业专项行动".into(),
        agencies:
            "武汉临空港人力资源有限公司\n\n湖北才聚人力资源服务有限公司\n武汉临空港人力资源有限公司"
                .into(),
        starts_on: "2026-04-01".into(),
        ends_on: "2026-09-30".into(),
    }
}

fn service() -> ServiceDraft {
    ServiceDraft {
        business: "7".into(),
        kind: "recruitment".into(),
        served_on: "2026-05-12".into(),
        posts_offered: "12".into(),
        recruited: "5".into(),
        note: "".into(),
    }
}

const PERIOD: (NaiveDate, NaiveDate) = (
    NaiveDate::from_ymd_opt(2026, 4, 1).unwrap(),
    NaiveDate::from_ymd_opt(2026, 9, 30).unwrap(),
);

#[test]
fn an_action_may_run_past_today_and_names_each_agency_once() {
    let valid = validate_action(&action(), today()).unwrap();
    assert_eq!(valid.agencies.len(), 2);
    assert_eq!(valid.ends_on, day(2026, 9, 30));
}

#[test]
fn an_action_ending_before_it_starts_is_refused_naming_the_field() {
    let bad = ActionDraft {
        ends_on: "2026-03-31".into(),
        ..action()
    };
    let errors = validate_action(&bad, today()).unwrap_err();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].field, "结束日期");
    assert!(errors[0].message.contains("早于开始日期"));
    let empty = ActionDraft {
        name: "".into(),
        agencies: " \n".into(),
        starts_on: "2026-07-01".into(),
        ends_on: "x".into(),
    };
    let fields: Vec<&str> = validate_action(&empty, today())
        .unwrap_err()
        .iter()
        .map(|e| e.field)
        .collect();
    assert_eq!(fields, ["行动名称", "参与机构", "开始日期", "结束日期"]);
}

#[test]
fn a_service_within_the_period_passes() {
    let valid = validate_service(&service(), PERIOD, today()).unwrap();
    assert_eq!(valid.business_id, 7);
    assert_eq!(valid.kind, ServiceKind::Recruitment);
    assert_eq!((valid.posts_offered, valid.recruited), (12, 5));
}

#[test]
fn a_service_outside_its_actions_period_is_refused_naming_the_day() {
    for served_on in ["2026-03-31", "2026-10-01"] {
        let bad = ServiceDraft {
            served_on: served_on.into(),
            ..service()
        };
        let errors = validate_service(&bad, PERIOD, day(2026, 12, 1)).unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].field, "服务日期");
        assert!(errors[0].message.contains("不在专项行动期间"), "{errors:?}");
    }
    let future = ServiceDraft {
        served_on: "2026-07-01".into(),
        ..service()
    };
    let errors = validate_service(&future, PERIOD, today()).unwrap_err();
    assert!(errors[0].message.contains("晚于今天"));
}

#[test]
fn negative_counts_and_a_missing_business_are_refused() {
    let bad = ServiceDraft {
        business: "".into(),
        kind: "x".into(),
        posts_offered: "-1".into(),
        recruited: "2.5".into(),
        ..service()
    };
    let fields: Vec<&str> = validate_service(&bad, PERIOD, today())
        .unwrap_err()
        .iter()
        .map(|e| e.field)
        .collect();
    assert_eq!(
        fields,
        ["返区创业企业", "服务类型", "提供岗位数", "招聘人数"]
    );
}
