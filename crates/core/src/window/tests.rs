use super::*;

fn plan() -> Plan {
    crate::plan::dongxihu()
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn today() -> NaiveDate {
    day(2025, 10, 10)
}

fn walk_in() -> VisitDraft {
    VisitDraft {
        name: "王芳".into(),
        phone: "13912345678".into(),
        street: "径河".into(),
        visited_on: "2025-10-09".into(),
        topic: "企业用地".into(),
        question: "想在柏泉办农家乐，用地怎么办？".into(),
        answer: "已告知设施农用地政策，转农业农村局跟进。".into(),
        referred_to: "nyncj".into(),
        due_on: "2025-10-20".into(),
        ..VisitDraft::default()
    }
}

fn fields(errors: Vec<FieldError>) -> Vec<String> {
    errors.iter().map(|e| e.to_string()).collect()
}

#[test]
fn rsj_and_the_counters_unit_keep_the_window() {
    assert_eq!(window_keepers(&plan()), ["rsj", "xzspj"]);
}

#[test]
fn a_walk_in_visit_is_logged_with_its_referral_and_due_date() {
    let visit = validate_visit(&plan(), &walk_in(), today()).unwrap();
    assert_eq!(visit.topic, WindowTopic::Land);
    assert_eq!(
        visit.referral,
        Some(Referral {
            unit: "nyncj".into(),
            due_on: day(2025, 10, 20)
        })
    );
    let Visitor::WalkIn { street, phone, .. } = visit.visitor else {
        panic!("a walk-in");
    };
    assert_eq!(street.as_deref(), Some("jinghe"));
    assert_eq!(phone.unwrap().masked(), "139****5678");
}

#[test]
fn a_referral_without_a_due_date_is_refused_naming_the_field() {
    let mut draft = walk_in();
    draft.due_on = String::new();
    let errors = validate_visit(&plan(), &draft, today()).unwrap_err();
    assert_eq!(fields(errors), ["办结期限：转办须填写办结期限"]);
}

#[test]
fn a_due_date_before_the_visit_is_refused() {
    let mut draft = walk_in();
    draft.due_on = "2025-10-08".into();
    let errors = validate_visit(&plan(), &draft, today()).unwrap_err();
    assert_eq!(
        fields(errors),
        ["办结期限：2025-10-08 早于来访日期 2025-10-09"]
    );
}

#[test]
fn a_due_date_without_a_department_or_an_unknown_department_is_refused() {
    let mut draft = walk_in();
    draft.referred_to = String::new();
    assert_eq!(
        fields(validate_visit(&plan(), &draft, today()).unwrap_err()),
        ["转办部门：填写了办结期限，请选择转办部门"]
    );
    draft.referred_to = "nasa".into();
    assert!(
        fields(validate_visit(&plan(), &draft, today()).unwrap_err())[0].starts_with("转办部门")
    );
    draft.referred_to = String::new();
    draft.due_on = String::new();
    assert_eq!(
        validate_visit(&plan(), &draft, today()).unwrap().referral,
        None,
        "answered at the counter, nothing referred"
    );
}

#[test]
fn a_visit_in_the_future_without_a_question_or_answer_names_each_field() {
    let draft = VisitDraft {
        name: " ".into(),
        visited_on: "2025-10-11".into(),
        topic: "算命".into(),
        ..VisitDraft::default()
    };
    let errors = fields(validate_visit(&plan(), &draft, today()).unwrap_err());
    assert_eq!(
        errors,
        [
            "姓名：不能为空",
            "来访日期：2025-10-11 晚于今天",
            "咨询事项：“算命”无法识别，可填：政策咨询、创业指导、产业扶持、企业用地、财税金融、注册登记、其他",
            "问题：不能为空",
            "答复：不能为空"
        ]
    );
}

#[test]
fn a_registered_visitor_is_named_by_a_valid_resident_id() {
    let mut draft = walk_in();
    draft.id_number = "420112199001011230".into();
    let errors = fields(validate_visit(&plan(), &draft, today()).unwrap_err());
    assert!(errors[0].starts_with("身份证号码："), "{errors:?}");
}

#[test]
fn a_portal_question_needs_a_name_and_a_phone_and_waits_for_an_answer() {
    let asked = PortalQuestion {
        name: "赵强".into(),
        phone: "13700001111".into(),
        street: String::new(),
        topic: "policy".into(),
        question: "返乡开网店有什么补贴？".into(),
    };
    let visit = validate_portal_question(&plan(), &asked, today()).unwrap();
    assert_eq!(visit.visited_on, today());
    assert!(visit.answer.is_empty());
    assert!(matches!(
        visit.visitor,
        Visitor::WalkIn { street: None, .. }
    ));
    let no_phone = PortalQuestion {
        phone: String::new(),
        ..asked
    };
    assert_eq!(
        fields(validate_portal_question(&plan(), &no_phone, today()).unwrap_err()),
        ["联系电话：请填写电话号码"]
    );
}

#[test]
fn an_answer_may_refer_with_a_due_date_not_before_the_visit() {
    let draft = AnswerDraft {
        answer: "请携带营业执照到窗口办理。".into(),
        referred_to: "swj".into(),
        due_on: "2025-10-08".into(),
    };
    assert_eq!(
        fields(validate_answer(&plan(), &draft, day(2025, 10, 9)).unwrap_err()),
        ["办结期限：2025-10-08 早于来访日期 2025-10-09"]
    );
    let (answer, referral) = validate_answer(&plan(), &draft, day(2025, 10, 8)).unwrap();
    assert_eq!(answer, "请携带营业执照到窗口办理。");
    assert_eq!(referral.unwrap().unit, "swj");
}

#[test]
fn closing_a_referral_needs_a_result_and_a_follow_up_is_not_before_the_visit() {
    let visit = day(2025, 10, 1);
    let mut draft = FollowUpDraft {
        done_on: "2025-10-05".into(),
        note: "已电话联系，约定现场查看".into(),
        close: true,
        result: String::new(),
    };
    assert_eq!(
        fields(validate_follow_up(&draft, visit, today()).unwrap_err()),
        ["办结结果：不能为空"]
    );
    draft.result = "已完成设施农用地备案".into();
    let done = validate_follow_up(&draft, visit, today()).unwrap();
    assert_eq!(done.result.as_deref(), Some("已完成设施农用地备案"));
    draft.done_on = "2025-09-30".into();
    assert_eq!(
        fields(validate_follow_up(&draft, visit, today()).unwrap_err()),
        ["办理日期：2025-09-30 早于来访日期 2025-10-01"]
    );
}

#[test]
fn a_referral_is_overdue_after_its_due_day_until_it_is_closed() {
    let due = day(2025, 10, 20);
    assert!(
        !is_overdue(due, false, day(2025, 10, 20)),
        "the due day is in time"
    );
    assert!(is_overdue(due, false, day(2025, 10, 21)));
    assert!(!is_overdue(due, true, day(2025, 11, 1)));
    assert_eq!(
        visit_status(true, Some(due), false, day(2025, 10, 21)),
        VisitStatus::Overdue
    );
    assert_eq!(
        visit_status(true, Some(due), false, day(2025, 10, 12)),
        VisitStatus::Referred
    );
    assert_eq!(
        visit_status(true, Some(due), true, day(2025, 10, 21)),
        VisitStatus::Closed
    );
    assert_eq!(
        visit_status(true, None, false, day(2025, 10, 21)),
        VisitStatus::Answered
    );
    assert_eq!(
        visit_status(false, None, false, day(2025, 10, 21)),
        VisitStatus::AwaitingAnswer
    );
}

#[test]
fn follow_ups_go_only_on_an_open_referral() {
    assert!(takes_follow_ups(true, false).is_ok());
    assert!(takes_follow_ups(true, true).is_err());
    assert!(takes_follow_ups(false, false).is_err());
}

#[test]
fn one_address_asks_at_most_five_questions_an_hour() {
    assert!(portal_question_allowed(4).is_ok());
    assert!(portal_question_allowed(5).unwrap_err().contains("过于频繁"));
}

#[test]
fn the_plan_counts_window_visits_as_an_activity_of_2_3_1() {
    let plan = plan();
    let indicator = plan
        .indicator_filled_by(crate::registry::Registry::WindowVisits)
        .unwrap();
    assert_eq!(indicator.code, "2.3.1.window_visits");
    assert_eq!(indicator.comparator, crate::plan::Comparator::Activity);
    assert_eq!(indicator.target, None);
}
