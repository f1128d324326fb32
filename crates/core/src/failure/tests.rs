use super::*;

fn plan() -> Plan {
    Plan::parse(include_str!("../../../../plans/dongxihu-2025-2027.toml")).unwrap()
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn today() -> NaiveDate {
    day(2025, 10, 10)
}

fn case(wants_restart: bool) -> CaseFacts {
    CaseFacts {
        opened_on: day(2025, 6, 30),
        wants_restart,
        closed: false,
    }
}

fn step() -> StepDraft {
    StepDraft {
        kind: "就业服务".into(),
        unit: "rsj".into(),
        planned_on: "2025-07-15".into(),
        done_on: String::new(),
        note: "推荐三个岗位，约定 7 月中旬面试".into(),
    }
}

fn fields(errors: Vec<FieldError>) -> Vec<String> {
    errors.iter().map(|e| e.to_string()).collect()
}

#[test]
fn the_units_of_2_3_4_are_rsj_its_cooperating_units_and_the_twelve_streets() {
    let plan = plan();
    let units = support_units(&plan);
    assert_eq!(units[0], "rsj");
    for unit in [
        "nyncj",
        "mzj",
        "czj",
        "tuanquwei",
        "jinghe",
        "changqinghuayuan",
    ] {
        assert!(units.contains(&unit), "{unit}");
    }
    assert!(!units.contains(&"swj"));
    assert_eq!(units.len(), 17);
    assert_eq!(lead_unit(&plan), Some("rsj"));
}

#[test]
fn core_suggests_mzj_for_social_relief_and_rsj_for_loans_and_the_rest() {
    assert_eq!(StepKind::SocialRelief.natural_unit(), "mzj");
    assert_eq!(StepKind::Financing.natural_unit(), "rsj");
    assert_eq!(StepKind::EmploymentAid.natural_unit(), "rsj");
    let plan = plan();
    for kind in StepKind::ALL {
        assert!(support_units(&plan).contains(&kind.natural_unit()));
    }
    let unchosen = StepDraft {
        kind: "社会救助".into(),
        unit: String::new(),
        ..step()
    };
    assert_eq!(
        validate_step(&plan, &unchosen, case(false), today())
            .unwrap()
            .unit,
        "mzj"
    );
}

#[test]
fn a_step_is_checked_with_its_unit_planned_date_and_note() {
    let valid = validate_step(&plan(), &step(), case(false), today()).unwrap();
    assert_eq!(valid.kind, StepKind::EmploymentService);
    assert_eq!(valid.unit, "rsj");
    assert_eq!(valid.planned_on, day(2025, 7, 15));
    assert_eq!(valid.done_on, None);
    let by_name = StepDraft {
        unit: "区民政局".into(),
        kind: "social_relief".into(),
        ..step()
    };
    assert_eq!(
        validate_step(&plan(), &by_name, case(false), today())
            .unwrap()
            .unit,
        "mzj"
    );
}

#[test]
fn a_step_without_a_planned_date_is_refused_naming_the_field() {
    let draft = StepDraft {
        planned_on: String::new(),
        ..step()
    };
    assert_eq!(
        fields(validate_step(&plan(), &draft, case(false), today()).unwrap_err()),
        ["计划日期：请填写计划日期"]
    );
}

#[test]
fn a_step_of_a_unit_outside_2_3_4_or_unknown_is_refused() {
    let foreign = StepDraft {
        unit: "swj".into(),
        ..step()
    };
    let errors = fields(validate_step(&plan(), &foreign, case(false), today()).unwrap_err());
    assert_eq!(errors.len(), 1);
    assert!(
        errors[0].starts_with("责任单位：") && errors[0].contains("不是任务 2.3.4 的责任单位"),
        "{errors:?}"
    );
    let unknown = StepDraft {
        unit: "nowhere".into(),
        ..step()
    };
    assert_eq!(
        fields(validate_step(&plan(), &unknown, case(false), today()).unwrap_err()),
        ["责任单位：单位“nowhere”不在行动方案的责任单位中"]
    );
}

#[test]
fn a_restart_step_needs_the_wish_to_start_again() {
    for kind in ["创业培训", "创业指导", "融资贷款"] {
        let draft = StepDraft {
            kind: kind.into(),
            ..step()
        };
        let errors = fields(validate_step(&plan(), &draft, case(false), today()).unwrap_err());
        assert_eq!(errors.len(), 1, "{kind}");
        assert!(
            errors[0].starts_with("帮扶措施：") && errors[0].contains("有再创业意愿"),
            "{errors:?}"
        );
        assert!(validate_step(&plan(), &draft, case(true), today()).is_ok());
    }
}

#[test]
fn a_done_date_may_be_neither_in_the_future_nor_before_the_case_opened() {
    let future = StepDraft {
        done_on: "2025-10-11".into(),
        ..step()
    };
    assert_eq!(
        fields(validate_step(&plan(), &future, case(false), today()).unwrap_err()),
        ["完成日期：2025-10-11 晚于今天"]
    );
    let early = StepDraft {
        done_on: "2025-06-29".into(),
        ..step()
    };
    assert_eq!(
        fields(validate_step(&plan(), &early, case(false), today()).unwrap_err()),
        ["完成日期：2025-06-29 早于帮扶建档日期 2025-06-30"]
    );
    assert_eq!(
        fields(validate_done("2025-10-11", day(2025, 6, 30), today()).unwrap_err()),
        ["完成日期：2025-10-11 晚于今天"]
    );
    assert_eq!(
        validate_done("2025-10-10", day(2025, 6, 30), today()).unwrap(),
        today()
    );
}

#[test]
fn no_step_is_added_and_nothing_marked_done_after_the_case_closed() {
    assert!(takes_steps(false).is_ok());
    assert_eq!(
        takes_steps(true).unwrap_err(),
        "该帮扶已结案，不能再添加帮扶措施"
    );
    assert!(takes_done(false, false).is_ok());
    assert!(takes_done(true, false).is_err());
    assert!(takes_done(false, true).is_err());
}

#[test]
fn a_step_past_its_planned_date_and_not_done_is_overdue_while_the_case_is_open() {
    let planned = day(2025, 10, 1);
    assert_eq!(
        step_status(planned, false, false, day(2025, 10, 1)),
        StepStatus::Planned
    );
    assert_eq!(
        step_status(planned, false, false, day(2025, 10, 2)),
        StepStatus::Overdue
    );
    assert_eq!(
        step_status(planned, true, false, day(2025, 10, 2)),
        StepStatus::Done
    );
    assert_eq!(
        step_status(planned, false, true, day(2025, 10, 2)),
        StepStatus::NotDone
    );
    assert_eq!(
        FailureStatus::of(false, &[StepStatus::Done, StepStatus::Overdue]),
        FailureStatus::Overdue
    );
    assert_eq!(
        FailureStatus::of(false, &[StepStatus::Planned]),
        FailureStatus::Open
    );
    assert_eq!(
        FailureStatus::of(true, &[StepStatus::NotDone]),
        FailureStatus::Closed
    );
}

#[test]
fn closing_needs_an_outcome_and_a_day_and_links_a_new_business_only_on_restart() {
    let opened = day(2025, 6, 30);
    let missing = CloseDraft::default();
    assert_eq!(
        fields(validate_close(&missing, opened, today()).unwrap_err()),
        ["帮扶结果：请选择帮扶结果", "结案日期：请填写日期"]
    );
    let restarted = CloseDraft {
        outcome: "再创业".into(),
        closed_on: "2025-10-01".into(),
        new_business: "12".into(),
        note: String::new(),
    };
    let valid = validate_close(&restarted, opened, today()).unwrap();
    assert_eq!(valid.outcome, FailureOutcome::Restarted);
    assert_eq!(valid.new_business, Some(12));
    let reemployed = CloseDraft {
        outcome: "reemployed".into(),
        ..restarted.clone()
    };
    assert_eq!(
        fields(validate_close(&reemployed, opened, today()).unwrap_err()),
        ["新创业主体：只有“再创业”才关联新创业主体"]
    );
    assert!(takes_closing(true).is_err());
}

#[test]
fn a_hand_opened_case_names_the_person_the_business_and_its_closing() {
    let draft = CaseDraft {
        id_number: "420112199001011239".into(),
        business_name: "径河小龙虾夜市摊".into(),
        business_closed_on: "2023-11-30".into(),
        reason: "客流不足，停业".into(),
        opened_on: "2025-10-09".into(),
        wants_restart: true,
    };
    let valid = validate_case(&draft, today()).unwrap();
    assert_eq!(valid.business_closed_on, day(2023, 11, 30));
    assert!(valid.wants_restart);
    let bad = CaseDraft {
        id_number: "420112199001011230".into(),
        business_name: String::new(),
        opened_on: "2023-11-01".into(),
        ..draft
    };
    let errors = fields(validate_case(&bad, today()).unwrap_err());
    assert_eq!(errors.len(), 3, "{errors:?}");
    assert!(errors[0].starts_with("身份证号码："));
    assert_eq!(errors[1], "创业主体名称：不能为空");
    assert_eq!(errors[2], "建档日期：2023-11-01 早于关闭日期 2023-11-30");
}

#[test]
fn the_plan_counts_support_steps_as_an_activity_of_2_3_4() {
    let plan = plan();
    let indicator = plan
        .indicator_filled_by(crate::registry::Registry::FailureSupportSteps)
        .unwrap();
    assert_eq!(indicator.code, "2.3.4.support_steps");
    assert_eq!(indicator.comparator, crate::plan::Comparator::Activity);
    assert_eq!(indicator.target, None);
    assert!(indicator.choice.as_deref().unwrap().contains("完成之日"));
}

#[test]
fn the_wish_to_start_again_cannot_be_withdrawn_under_restart_steps() {
    assert!(restart_wish(true, 0).is_ok());
    assert!(restart_wish(false, 0).is_ok());
    assert!(restart_wish(true, 2).is_ok());
    assert!(
        restart_wish(false, 1)
            .unwrap_err()
            .contains("不能撤销再创业意愿")
    );
}

#[test]
fn closing_a_business_opens_cases_and_suspending_it_does_not() {
    assert!(closure_opens_cases(BusinessStatus::Closed));
    assert!(!closure_opens_cases(BusinessStatus::Suspended));
    assert!(!closure_opens_cases(BusinessStatus::Operating));
}
