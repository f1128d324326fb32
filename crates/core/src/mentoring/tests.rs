use super::*;
use crate::experts::ExpertStatus;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

const TODAY: (i32, u32, u32) = (2025, 6, 10);

fn today() -> NaiveDate {
    day(TODAY.0, TODAY.1, TODAY.2)
}

fn draft() -> MentoringDraft {
    MentoringDraft {
        business: "7".into(),
        chosen_for: "selection".into(),
        chosen_note: "2025 年遴选推荐项目".into(),
        started_on: "2025-05-01".into(),
        mentor_kind: String::new(),
        expert: "3".into(),
        instructor_name: String::new(),
        instructor_organisation: String::new(),
        fund_joins: true,
    }
}

fn fields(errors: Vec<FieldError>) -> Vec<String> {
    errors.iter().map(|e| e.to_string()).collect()
}

fn running() -> Running {
    Running {
        started_on: day(2025, 5, 1),
        ended_on: None,
    }
}

#[test]
fn a_mentoring_names_the_business_why_it_was_chosen_the_start_and_an_expert_mentor() {
    let valid = validate_mentoring(&draft(), today()).unwrap();
    assert_eq!(valid.business_id, 7);
    assert_eq!(valid.chosen_for, ChosenFor::Selection);
    assert_eq!(valid.started_on, day(2025, 5, 1));
    assert_eq!(valid.mentor, Mentor::Expert(3));
    assert!(valid.fund_joins);
}

#[test]
fn an_instructor_mentor_is_named_with_their_organisation_and_no_phone() {
    let instructor = MentoringDraft {
        expert: String::new(),
        instructor_name: " 李指导 ".into(),
        instructor_organisation: "区创业指导中心".into(),
        ..draft()
    };
    assert_eq!(
        validate_mentoring(&instructor, today()).unwrap().mentor,
        Mentor::Instructor {
            name: "李指导".into(),
            organisation: "区创业指导中心".into()
        }
    );
    let without_organisation = MentoringDraft {
        mentor_kind: "instructor".into(),
        instructor_organisation: String::new(),
        ..instructor
    };
    assert_eq!(
        fields(validate_mentoring(&without_organisation, today()).unwrap_err()),
        ["创业指导员单位：不能为空"]
    );
}

#[test]
fn a_mentor_that_is_neither_an_expert_nor_a_named_instructor_is_refused_naming_the_mentor() {
    let nobody = MentoringDraft {
        expert: String::new(),
        ..draft()
    };
    let errors = fields(validate_mentoring(&nobody, today()).unwrap_err());
    assert_eq!(errors.len(), 1);
    assert!(
        errors[0].starts_with("创业导师：请从专业人才库选择专家"),
        "{errors:?}"
    );
}

#[test]
fn a_start_date_in_the_future_or_missing_is_refused() {
    let future = MentoringDraft {
        started_on: "2025-06-11".into(),
        ..draft()
    };
    assert_eq!(
        fields(validate_mentoring(&future, today()).unwrap_err()),
        ["开始日期：2025-06-11 晚于今天"]
    );
    let missing = MentoringDraft {
        started_on: " ".into(),
        ..draft()
    };
    let errors = fields(validate_mentoring(&missing, today()).unwrap_err());
    assert!(errors[0].starts_with("开始日期：不能为空"), "{errors:?}");
}

#[test]
fn every_wrong_field_is_named_in_the_forms_order() {
    let wrong = MentoringDraft {
        business: String::new(),
        chosen_for: "other".into(),
        chosen_note: String::new(),
        started_on: "昨天".into(),
        expert: "x".into(),
        ..draft()
    };
    let errors: Vec<&str> = validate_mentoring(&wrong, today())
        .unwrap_err()
        .iter()
        .map(|e| e.field)
        .collect();
    assert_eq!(errors, ["创业主体", "原因说明", "开始日期", "创业导师"]);
}

#[test]
fn a_closed_business_cannot_start_a_mentoring_nor_one_already_mentored_nor_before_its_licence() {
    let licensed = day(2025, 3, 1);
    assert!(may_start(BusinessStatus::Operating, licensed, day(2025, 5, 1), 0).is_ok());
    assert!(may_start(BusinessStatus::Suspended, licensed, day(2025, 5, 1), 0).is_ok());
    let closed = may_start(BusinessStatus::Closed, licensed, day(2025, 5, 1), 0).unwrap_err();
    assert_eq!(
        closed.to_string(),
        "创业主体：该主体已关闭，不能开始新的跟踪陪跑"
    );
    let twice = may_start(BusinessStatus::Operating, licensed, day(2025, 5, 1), 1).unwrap_err();
    assert_eq!(twice.field, "创业主体");
    let early = may_start(BusinessStatus::Operating, licensed, day(2025, 2, 28), 0).unwrap_err();
    assert_eq!(
        early.to_string(),
        "开始日期：2025-02-28 早于该主体的营业执照日期 2025-03-01"
    );
}

#[test]
fn only_an_expert_still_in_the_pool_mentors() {
    assert!(expert_mentors(Some(ExpertStatus::Active)).is_ok());
    assert_eq!(
        expert_mentors(Some(ExpertStatus::Retired))
            .unwrap_err()
            .field,
        "创业导师"
    );
    assert_eq!(
        expert_mentors(None).unwrap_err().to_string(),
        "创业导师：专业人才库中没有该专家"
    );
}

#[test]
fn a_milestone_is_due_no_earlier_than_the_start_and_is_reached_once_not_in_the_future() {
    let ok = MilestoneDraft {
        title: "完成品牌注册".into(),
        due_on: "2025-12-31".into(),
    };
    assert_eq!(
        validate_milestone(&ok, running()).unwrap().due_on,
        day(2025, 12, 31),
        "a plan looks ahead"
    );
    let early = MilestoneDraft {
        due_on: "2025-04-30".into(),
        ..ok
    };
    assert_eq!(
        fields(validate_milestone(&early, running()).unwrap_err()),
        ["计划完成日期：2025-04-30 早于陪跑开始日期 2025-05-01"]
    );
    assert_eq!(
        milestone_done_day("2025-06-01", running(), None, today()),
        Ok(day(2025, 6, 1))
    );
    assert_eq!(
        milestone_done_day("2025-06-11", running(), None, today())
            .unwrap_err()
            .to_string(),
        "完成日期：2025-06-11 晚于今天"
    );
    assert!(
        milestone_done_day("2025-06-01", running(), Some(day(2025, 5, 20)), today()).is_err(),
        "reached once"
    );
}

#[test]
fn a_visit_is_not_in_the_future_nor_before_the_start_and_says_who_and_what_was_raised() {
    let visit = VisitDraft {
        visited_on: "2025-06-01".into(),
        visitor: "区人社局 王科长".into(),
        problems_raised: "缺少流动资金".into(),
        problems_solved: "对接创业担保贷款".into(),
    };
    assert_eq!(
        validate_visit(&visit, running(), today())
            .unwrap()
            .visited_on,
        day(2025, 6, 1)
    );
    let future = VisitDraft {
        visited_on: "2025-06-11".into(),
        ..visit.clone()
    };
    assert_eq!(
        fields(validate_visit(&future, running(), today()).unwrap_err()),
        ["走访日期：2025-06-11 晚于今天"]
    );
    let before = VisitDraft {
        visited_on: "2025-04-01".into(),
        visitor: String::new(),
        problems_raised: String::new(),
        ..visit
    };
    assert_eq!(
        fields(validate_visit(&before, running(), today()).unwrap_err()),
        [
            "走访日期：2025-04-01 早于陪跑开始日期 2025-05-01",
            "走访人：不能为空",
            "企业反映问题：不能为空"
        ]
    );
}

#[test]
fn a_financing_contact_names_the_fund_an_amount_of_at_least_zero_and_its_result() {
    let contact = FinancingDraft {
        contacted_on: "2025-06-01".into(),
        funder: "临空港天使投资基金".into(),
        amount: "200.5".into(),
        result: "洽谈中".into(),
    };
    let valid = validate_financing(&contact, running(), today()).unwrap();
    assert_eq!(
        (valid.amount, valid.result),
        (200_50, FinancingResult::Negotiating)
    );
    let bad = FinancingDraft {
        amount: "-5".into(),
        result: String::new(),
        ..contact
    };
    let errors: Vec<&str> = validate_financing(&bad, running(), today())
        .unwrap_err()
        .iter()
        .map(|e| e.field)
        .collect();
    assert_eq!(errors, ["拟融资金额（万元）", "洽谈结果"]);
}

#[test]
fn ending_without_an_outcome_is_refused_naming_the_outcome() {
    let end = EndDraft {
        outcome: String::new(),
        ended_on: "2025-06-10".into(),
        note: String::new(),
    };
    let errors = fields(validate_end(&end, running(), None, today()).unwrap_err());
    assert_eq!(errors.len(), 1);
    assert!(errors[0].starts_with("结束结果："), "{errors:?}");
    let achieved = EndDraft {
        outcome: "达成目标".into(),
        ..end
    };
    assert_eq!(
        validate_end(&achieved, running(), None, today())
            .unwrap()
            .outcome,
        Outcome::Achieved
    );
}

#[test]
fn a_mentoring_ends_no_earlier_than_its_last_entry_and_a_termination_says_why() {
    let end = EndDraft {
        outcome: "terminated".into(),
        ended_on: "2025-05-20".into(),
        note: String::new(),
    };
    let errors = fields(validate_end(&end, running(), Some(day(2025, 6, 1)), today()).unwrap_err());
    assert_eq!(
        errors,
        [
            "结束日期：2025-05-20 早于最近一次登记日期 2025-06-01",
            "结束说明：终止陪跑时请说明原因"
        ]
    );
}

#[test]
fn nothing_is_added_to_an_ended_mentoring() {
    assert!(running().takes_entries().is_ok());
    let ended = Running {
        ended_on: Some(day(2025, 6, 1)),
        ..running()
    };
    assert_eq!(
        ended.takes_entries().unwrap_err(),
        "该跟踪陪跑已于 2025-06-01 结束，不能再登记"
    );
}

#[test]
fn task_2_3_2_counts_mentorings_started_as_an_activity_without_a_target() {
    let plan = crate::plan::dongxihu();
    let (task, indicator) = crate::record::find_indicator(&plan, "2.3.2.mentorings").unwrap();
    assert_eq!(task.code, TASK);
    assert_eq!(
        indicator.registry,
        Some(crate::registry::Registry::MentoringsStarted)
    );
    assert_eq!(indicator.comparator, crate::plan::Comparator::Activity);
    assert!(indicator.quotas.is_empty());
    assert!(task.cooperating_units.iter().any(|u| u == FUND_UNIT));
}
