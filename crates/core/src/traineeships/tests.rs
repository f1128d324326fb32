use super::*;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 9, 30).unwrap()
}

fn day(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, m, d).unwrap()
}

fn base() -> BaseDraft {
    BaseDraft {
        name: "临空港智造就业见习基地".into(),
        employer: "武汉临空港智造科技有限公司".into(),
        uscc: String::new(),
        street: "jinghe".into(),
        places: "20".into(),
        posts: "会计、行政助理".into(),
        contact_name: "王敏".into(),
        contact_phone: "13812345678".into(),
        recognised_on: "2025-03-01".into(),
    }
}

fn traineeship() -> TraineeshipDraft {
    TraineeshipDraft {
        base: "7".into(),
        starts_on: "2025-08-01".into(),
        planned_end_on: "2026-01-31".into(),
        ended_on: String::new(),
        outcome: "ongoing".into(),
    }
}

fn course() -> CourseDraft {
    CourseDraft {
        course: "电工".into(),
        provider: "东西湖区职业技能培训中心".into(),
        starts_on: "2025-07-01".into(),
        ends_on: "2025-07-20".into(),
        result: "certified".into(),
        certificate: "低压电工作业证".into(),
    }
}

fn fields(errors: &[FieldError]) -> Vec<&'static str> {
    errors.iter().map(|e| e.field).collect()
}

#[test]
fn a_base_with_a_phone_and_places_passes_and_its_uscc_is_optional() {
    let plan = crate::plan::dongxihu();
    let valid = validate_base(&plan, &base(), today()).unwrap();
    assert_eq!((valid.places, valid.uscc), (20, None));
    assert_eq!(valid.street_code, "jinghe");
    let with_uscc = BaseDraft {
        uscc: "91350100M000100Y43".into(),
        ..base()
    };
    assert!(
        validate_base(&plan, &with_uscc, today())
            .unwrap()
            .uscc
            .is_some()
    );
}

#[test]
fn every_wrong_field_of_a_base_is_named() {
    let plan = crate::plan::dongxihu();
    let bad = BaseDraft {
        name: " ".into(),
        employer: String::new(),
        uscc: "123".into(),
        street: "wuchang".into(),
        places: "0".into(),
        posts: String::new(),
        contact_name: String::new(),
        contact_phone: "123".into(),
        recognised_on: "2025-10-01".into(),
    };
    let errors = validate_base(&plan, &bad, today()).unwrap_err();
    assert_eq!(
        fields(&errors),
        [
            "基地名称",
            "依托单位",
            "统一社会信用代码",
            "所在街道",
            "每年见习岗位数",
            "见习岗位（职业）",
            "联系人",
            "联系电话",
            "认定日期"
        ]
    );
}

#[test]
fn an_ongoing_traineeship_has_no_end_yet() {
    let valid = validate_traineeship(&traineeship(), today(), 2025).unwrap();
    assert_eq!(valid.base_id, 7);
    assert_eq!(valid.starts_on, day(8, 1));
    assert_eq!(
        valid.end,
        ValidEnd {
            outcome: Outcome::Ongoing,
            ended_on: None
        }
    );
    let with_end = TraineeshipDraft {
        ended_on: "2025-09-01".into(),
        ..traineeship()
    };
    let errors = validate_traineeship(&with_end, today(), 2025).unwrap_err();
    assert_eq!(fields(&errors), ["实际结束日期"]);
}

#[test]
fn a_planned_end_before_the_start_is_refused_naming_the_field() {
    let bad = TraineeshipDraft {
        planned_end_on: "2025-07-01".into(),
        ..traineeship()
    };
    let errors = validate_traineeship(&bad, today(), 2025).unwrap_err();
    assert_eq!(fields(&errors), ["计划结束日期"]);
    assert!(errors[0].message.contains("不晚于见习开始日期"));
    let long = TraineeshipDraft {
        planned_end_on: "2026-08-02".into(),
        ..traineeship()
    };
    let errors = validate_traineeship(&long, today(), 2025).unwrap_err();
    assert_eq!(errors[0].message, "见习期限最长 12 个月");
}

#[test]
fn an_actual_end_before_the_start_is_refused_naming_the_field() {
    let bad = TraineeshipDraft {
        outcome: "quit".into(),
        ended_on: "2025-07-15".into(),
        ..traineeship()
    };
    let errors = validate_traineeship(&bad, today(), 2025).unwrap_err();
    assert_eq!(fields(&errors), ["实际结束日期"]);
    assert!(errors[0].message.contains("早于见习开始日期"));
    let none = validate_end("hired", "", Some(day(8, 1)), today()).unwrap_err();
    assert_eq!(fields(&none), ["实际结束日期"]);
    let ok = validate_end("见习期满留用", "2025-09-15", Some(day(8, 1)), today()).unwrap();
    assert_eq!(
        (ok.outcome, ok.ended_on),
        (Outcome::Hired, Some(day(9, 15)))
    );
}

#[test]
fn a_traineeship_starts_within_the_graduates_roster_years_and_not_after_today() {
    let early = TraineeshipDraft {
        starts_on: "2024-12-31".into(),
        ..traineeship()
    };
    let errors = validate_traineeship(&early, today(), 2025).unwrap_err();
    assert_eq!(fields(&errors), ["见习开始日期"]);
    let empty = TraineeshipDraft {
        base: String::new(),
        starts_on: String::new(),
        planned_end_on: String::new(),
        outcome: "nonsense".into(),
        ..traineeship()
    };
    let errors = validate_traineeship(&empty, today(), 2025).unwrap_err();
    assert_eq!(
        fields(&errors),
        ["见习基地", "见习开始日期", "计划结束日期", "见习结果"]
    );
}

#[test]
fn a_withdrawn_or_full_base_and_an_ongoing_traineeship_are_refused() {
    let facts = |status, used| BaseFacts {
        name: "甲基地".into(),
        status,
        places: 2,
        used,
    };
    assert!(admit(Some(&facts(BaseStatus::Active, 1)), None, 2025).is_empty());
    let full = admit(Some(&facts(BaseStatus::Active, 2)), None, 2025);
    assert_eq!(fields(&full), ["见习基地"]);
    assert_eq!(full[0].message, "甲基地 2025 年的 2 个见习岗位已满");
    let withdrawn = admit(Some(&facts(BaseStatus::Withdrawn, 0)), None, 2025);
    assert!(withdrawn[0].message.contains("已撤销"));
    assert_eq!(fields(&admit(None, None, 2025)), ["见习基地"]);
    let twice = admit(Some(&facts(BaseStatus::Active, 0)), Some("乙基地"), 2025);
    assert_eq!(fields(&twice), ["毕业生"]);
    assert!(twice[0].message.contains("乙基地"));
}

#[test]
fn a_graduate_hired_by_the_base_is_placed_unless_placed_already() {
    assert_eq!(
        placement_on(Outcome::Hired, Placement::NotYet),
        Some(Placement::Employed)
    );
    assert_eq!(placement_on(Outcome::Hired, Placement::FurtherStudy), None);
    assert_eq!(placement_on(Outcome::Completed, Placement::NotYet), None);
    assert_eq!(hire_evidence("甲基地"), "就业见习基地留用：甲基地");
    assert_eq!(traineeship_note("甲基地"), "就业见习：甲基地");
    assert_eq!(course_note("电工"), "技能培训：电工");
}

#[test]
fn a_course_names_its_certificate_only_when_one_was_obtained() {
    let valid = validate_course(&course(), today(), 2025).unwrap();
    assert_eq!(valid.result, CourseResult::Certified);
    assert_eq!(valid.certificate, "低压电工作业证");
    let unnamed = CourseDraft {
        certificate: String::new(),
        ..course()
    };
    assert_eq!(
        fields(&validate_course(&unnamed, today(), 2025).unwrap_err()),
        ["证书名称"]
    );
    let completed = CourseDraft {
        result: "结业".into(),
        ..course()
    };
    assert_eq!(
        fields(&validate_course(&completed, today(), 2025).unwrap_err()),
        ["证书名称"]
    );
    let running = CourseDraft {
        result: "not_completed".into(),
        ends_on: "2025-12-31".into(),
        certificate: String::new(),
        ..course()
    };
    assert!(validate_course(&running, today(), 2025).is_ok());
}

#[test]
fn every_wrong_field_of_a_course_is_named() {
    let bad = CourseDraft {
        course: String::new(),
        provider: String::new(),
        starts_on: "2025-07-01".into(),
        ends_on: "2025-06-01".into(),
        result: String::new(),
        certificate: String::new(),
    };
    let errors = validate_course(&bad, today(), 2025).unwrap_err();
    assert_eq!(
        fields(&errors),
        ["培训项目", "培训机构", "培训结果", "培训结束日期"]
    );
    let unfinished = CourseDraft {
        ends_on: "2025-10-20".into(),
        ..course()
    };
    let errors = validate_course(&unfinished, today(), 2025).unwrap_err();
    assert!(errors[0].message.contains("尚未结业"));
}
