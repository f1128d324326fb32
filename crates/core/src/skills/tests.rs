use super::*;

const ID: &str = "11010519491231002X";

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 6, 30).unwrap()
}

fn draft() -> ClassDraft {
    ClassDraft {
        kind: "vocational".into(),
        title: "电工技能培训班".into(),
        starts_on: "2026-06-01".into(),
        ends_on: "2026-06-10".into(),
        trainees: format!("{ID} 是 低压电工作业证"),
    }
}

#[test]
fn a_class_with_a_certified_trainee_passes() {
    let class = validate_class(&draft(), today()).unwrap();
    assert_eq!(class.kind, ClassKind::Vocational);
    assert_eq!(class.trainees.len(), 1);
    assert!(class.trainees[0].certified);
    assert_eq!(class.trainees[0].certificate, "低压电工作业证");
}

#[test]
fn the_certificate_is_optional_and_a_name_alone_means_obtained() {
    for (line, certified, name) in [
        (ID.to_owned(), false, ""),
        (format!("{ID} 否"), false, ""),
        (format!("{ID} 是"), true, ""),
        (format!("{ID}，中式面点师"), true, "中式面点师"),
    ] {
        let class = validate_class(
            &ClassDraft {
                trainees: line,
                ..draft()
            },
            today(),
        )
        .unwrap();
        assert_eq!(class.trainees[0].certified, certified);
        assert_eq!(class.trainees[0].certificate, name);
    }
}

#[test]
fn an_end_before_the_start_is_refused_naming_the_field() {
    let bad = ClassDraft {
        ends_on: "2026-05-31".into(),
        ..draft()
    };
    let errors = validate_class(&bad, today()).unwrap_err();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].field, "结束日期");
    assert!(errors[0].message.contains("早于开始日期"));
}

#[test]
fn every_wrong_field_is_reported_with_the_line_of_a_wrong_trainee() {
    let bad = ClassDraft {
        kind: "x".into(),
        title: " ".into(),
        starts_on: "2026-07-01".into(),
        ends_on: "".into(),
        trainees: format!("{ID}\n123\n{ID}\n{ID} 否 某证"),
    };
    let errors = validate_class(&bad, today()).unwrap_err();
    let fields: Vec<&str> = errors.iter().map(|e| e.field).collect();
    assert_eq!(
        fields,
        [
            "培训类型",
            "培训名称",
            "开始日期",
            "结束日期",
            "参训人员",
            "参训人员",
            "参训人员"
        ]
    );
    assert!(errors[4].message.starts_with("第2行"));
    assert!(errors[5].message.contains("重复"));
    let empty = ClassDraft {
        trainees: "  \n".into(),
        ..draft()
    };
    assert_eq!(
        validate_class(&empty, today()).unwrap_err()[0].field,
        "参训人员"
    );
}

#[test]
fn the_units_of_2_4_4_record_classes() {
    use crate::access::{Actor, Gate, Role};
    let plan = crate::plan::dongxihu();
    let staff = |unit: &str| Actor {
        user_id: 1,
        username: "u".into(),
        role: Role::UnitStaff,
        unit_code: Some(unit.into()),
        employer_id: None,
        applicant_id: None,
    };
    assert_eq!(staff("rsj").skills_unit(&plan), Some("rsj"));
    assert_eq!(staff("nyncj").skills_unit(&plan), Some("nyncj"));
    assert_eq!(staff("jinghe").skills_unit(&plan), Some("jinghe"));
    assert_eq!(staff("gaj").skills_unit(&plan), None);
    assert!(
        staff("gaj")
            .may_pass(Gate::SkillsForm { plan: &plan })
            .is_err()
    );
    assert_eq!(
        staff("kfzx").may_pass(Gate::SkillsForm { plan: &plan }),
        Ok(())
    );
}
