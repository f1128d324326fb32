use super::*;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn today() -> NaiveDate {
    day(2025, 10, 10)
}

fn fields(errors: Vec<FieldError>) -> Vec<String> {
    errors.iter().map(|e| e.to_string()).collect()
}

fn placement() -> PlacementDraft {
    PlacementDraft {
        student_name: "李想".into(),
        student_no: "2022301234".into(),
        university: "1".into(),
        major: "网络空间安全".into(),
        employer_uscc: String::new(),
        employer_name: "武汉安网科技有限公司".into(),
        base: "2".into(),
        starts_on: "2025-07-01".into(),
        ends_on: "2025-08-31".into(),
        outcome: "完成".into(),
    }
}

#[test]
fn the_campus_units_are_the_four_units_of_1_2_1_with_a_figure_or_a_base() {
    let plan = crate::plan::dongxihu();
    let task = plan.tasks.iter().find(|t| t.code == TASK).unwrap();
    for unit in UNITS {
        assert!(
            task.lead_units
                .iter()
                .chain(&task.cooperating_units)
                .any(|u| u == unit),
            "{unit}"
        );
    }
    assert!(is_campus_unit("xiandaifuwu"));
    assert!(
        !is_campus_unit("kfzx"),
        "科服中心 collects policies, records no campus work"
    );
}

#[test]
fn a_placement_is_checked_with_its_student_employer_base_and_dates() {
    let valid = validate_placement(&placement(), today()).unwrap();
    assert_eq!(valid.student_no, "2022301234");
    assert_eq!(valid.university_id, 1);
    assert_eq!(
        valid.employer,
        HostEmployer::Named("武汉安网科技有限公司".into())
    );
    assert_eq!(valid.base_id, Some(2));
    assert_eq!(valid.starts_on, day(2025, 7, 1));
    assert_eq!(valid.outcome, Some(InternshipOutcome::Completed));
}

#[test]
fn an_internship_ending_before_it_starts_is_refused_naming_the_end_date() {
    let draft = PlacementDraft {
        ends_on: "2025-06-30".into(),
        ..placement()
    };
    assert_eq!(
        fields(validate_placement(&draft, today()).unwrap_err()),
        ["结束日期：结束日期 2025-06-30 早于开始日期 2025-07-01"]
    );
}

#[test]
fn a_placement_without_a_student_number_or_employer_is_refused_field_by_field() {
    let draft = PlacementDraft {
        student_no: "学号?".into(),
        employer_name: String::new(),
        starts_on: "2025-11-01".into(),
        ..placement()
    };
    let errors = fields(validate_placement(&draft, today()).unwrap_err());
    assert_eq!(errors.len(), 3, "{errors:?}");
    assert!(errors[0].starts_with("学号："));
    assert!(errors[1].starts_with("接收单位："));
    assert_eq!(errors[2], "开始日期：2025-11-01 晚于今天");
}

#[test]
fn a_registered_host_employer_is_named_by_a_valid_uscc() {
    let draft = PlacementDraft {
        employer_uscc: "91420112MA4KXXXX0X".into(),
        ..placement()
    };
    let errors = fields(validate_placement(&draft, today()).unwrap_err());
    assert!(errors[0].starts_with("统一社会信用代码："), "{errors:?}");
}

#[test]
fn completed_or_retained_is_recorded_only_once_the_placement_has_ended() {
    let running = PlacementDraft {
        ends_on: "2025-12-31".into(),
        outcome: "留用".into(),
        ..placement()
    };
    assert_eq!(
        fields(validate_placement(&running, today()).unwrap_err()),
        ["实习结果：实习至 2025-12-31 结束，结束前只能登记“中止”"]
    );
    let stopped = PlacementDraft {
        outcome: "stopped".into(),
        ..running
    };
    assert!(validate_placement(&stopped, today()).is_ok());
    assert_eq!(
        validate_outcome("retained", day(2025, 8, 31), today()),
        Ok(InternshipOutcome::Retained)
    );
    assert!(validate_outcome("", day(2025, 8, 31), today()).is_err());
}

#[test]
fn an_activity_has_a_kind_a_university_a_past_day_and_a_count() {
    let draft = ActivityDraft {
        kind: "政策宣传".into(),
        university: "3".into(),
        held_on: "2025/5/20".into(),
        participants: "120".into(),
        note: "“东西湖就业政策通”小程序宣讲".into(),
    };
    let valid = validate_activity(&draft, today()).unwrap();
    assert_eq!(valid.kind, ActivityKind::PolicyPublicity);
    assert_eq!(valid.held_on, day(2025, 5, 20));
    let bad = ActivityDraft {
        kind: "联谊".into(),
        university: String::new(),
        participants: "-3".into(),
        ..draft
    };
    let errors = fields(validate_activity(&bad, today()).unwrap_err());
    assert_eq!(errors.len(), 3, "{errors:?}");
    assert!(errors[0].starts_with("活动类型："));
    assert_eq!(errors[1], "高校：请选择高校");
    assert!(errors[2].starts_with("参与人数："));
}

#[test]
fn a_station_keeps_an_optional_phone_and_refuses_a_wrong_one() {
    let draft = StationDraft {
        university: "1".into(),
        contact_name: "王老师".into(),
        contact_phone: "13871234567".into(),
        opened_on: "2025-03-01".into(),
    };
    let valid = validate_station(&draft, today()).unwrap();
    assert_eq!(valid.contact_phone.unwrap().masked(), "138****4567");
    let no_phone = StationDraft {
        contact_phone: String::new(),
        ..draft.clone()
    };
    assert_eq!(
        validate_station(&no_phone, today()).unwrap().contact_phone,
        None
    );
    let wrong = StationDraft {
        contact_phone: "12345".into(),
        ..draft
    };
    let errors = fields(validate_station(&wrong, today()).unwrap_err());
    assert!(errors[0].starts_with("联系电话："), "{errors:?}");
}

#[test]
fn the_cyber_security_base_has_its_partner_colleges_and_places() {
    let draft = BaseDraft {
        name: "网安基地实习实训基地".into(),
        employer_uscc: String::new(),
        employer_name: "国家网络安全人才与创新基地企业".into(),
        partners: "武汉大学国家网络安全学院\n华中科技大学网络空间安全学院".into(),
        places: "60".into(),
    };
    let valid = validate_base(&draft).unwrap();
    assert_eq!(valid.partners.len(), 2);
    assert_eq!(valid.places, 60);
    let empty = BaseDraft {
        partners: " ".into(),
        places: "0".into(),
        ..draft
    };
    assert_eq!(
        fields(validate_base(&empty).unwrap_err()),
        [
            "合作院校：请至少填写一所合作高校或学院",
            "实习岗位数：至少 1 个"
        ]
    );
}

#[test]
fn a_recruitment_plan_names_fitting_leading_industries_within_the_plan_years() {
    let draft = PlanDraft {
        university: "1".into(),
        year: "2025".into(),
        disciplines: "网络空间安全、计算机科学与技术".into(),
        wishes: "希望留汉，关注研发岗位和人才公寓".into(),
        industries: vec!["cyber_security_big_data".into(), "电子信息".into()],
        fairs_planned: "2".into(),
    };
    let valid = validate_plan(&draft, 2025..=2027).unwrap();
    assert_eq!(
        industries_code(&valid.industries),
        "cyber_security_big_data,electronic_information"
    );
    assert_eq!(
        industries_of(&industries_code(&valid.industries)),
        valid.industries
    );
    let bad = PlanDraft {
        year: "2030".into(),
        industries: Vec::new(),
        ..draft
    };
    assert_eq!(
        fields(validate_plan(&bad, 2025..=2027).unwrap_err()),
        [
            "年度：年度应为 2025 至 2027 年之一",
            "对接产业：请至少选择一个对接的主导产业"
        ]
    );
}

#[test]
fn a_student_counts_once_per_unit_and_year_at_the_first_placement() {
    let counted = counted_placements([
        (3, "rsj", "1:A1", day(2025, 9, 1)),
        (1, "rsj", "1:A1", day(2025, 7, 1)),
        (2, "jkj", "1:A1", day(2025, 8, 1)),
        (4, "rsj", "1:A1", day(2026, 3, 1)),
        (5, "rsj", "2:A1", day(2025, 9, 1)),
    ]);
    assert_eq!(
        counted,
        [1, 2, 5, 4],
        "the second rsj placement of 2025 adds nothing"
    );
}
