use chrono::NaiveDate;

use super::*;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn messages(errors: Vec<FieldError>) -> Vec<String> {
    errors.iter().map(ToString::to_string).collect()
}

fn fined() -> InspectionDraft {
    InspectionDraft {
        action: "1".into(),
        inspected_on: "2025-06-05".into(),
        target_kind: "agency".into(),
        target_name: "武汉某人力资源服务有限公司".into(),
        target_uscc: "91420112MA4KXXXX0E".into(),
        findings: "未经许可从事职业中介活动，收取求职者押金".into(),
        penalty_kind: "fine".into(),
        penalty_amount: "10000".into(),
        legal_basis: "《人力资源市场暂行条例》第四十二条".into(),
        rectification_due: "2025-06-20".into(),
    }
}

#[test]
fn an_inspection_with_a_fine_keeps_its_amount_legal_basis_and_rectification_due() {
    let draft = InspectionDraft {
        target_uscc: String::new(),
        ..fined()
    };
    let valid = validate_inspection(&draft, day(2025, 6, 10)).unwrap();
    assert_eq!(valid.penalty.kind, PenaltyKind::Fine);
    assert_eq!(valid.penalty.amount_yuan, 10_000);
    assert_eq!(valid.rectification_due, Some(day(2025, 6, 20)));
    assert_eq!(valid.target_kind, TargetKind::Agency);
    assert_eq!(valid.target_uscc, None);
}

#[test]
fn a_penalty_without_its_legal_basis_is_refused_naming_the_field() {
    for kind in ["fine", "warning", "revocation"] {
        let draft = InspectionDraft {
            target_uscc: String::new(),
            penalty_kind: kind.into(),
            penalty_amount: if kind == "fine" { "5000" } else { "" }.into(),
            legal_basis: "  ".into(),
            ..fined()
        };
        let errors = messages(validate_inspection(&draft, day(2025, 6, 10)).unwrap_err());
        assert_eq!(
            errors,
            ["法律依据：有处罚时须写明法律依据（法律法规名称及条款）"],
            "{kind}"
        );
    }
    let none = InspectionDraft {
        target_uscc: String::new(),
        penalty_kind: String::new(),
        penalty_amount: String::new(),
        legal_basis: String::new(),
        ..fined()
    };
    let valid = validate_inspection(&none, day(2025, 6, 10)).unwrap();
    assert_eq!(valid.penalty.kind, PenaltyKind::NoPenalty);
}

#[test]
fn a_fine_needs_a_whole_amount_and_a_warning_takes_none() {
    let no_amount = InspectionDraft {
        target_uscc: String::new(),
        penalty_amount: String::new(),
        ..fined()
    };
    let errors = messages(validate_inspection(&no_amount, day(2025, 6, 10)).unwrap_err());
    assert_eq!(errors, ["处罚金额（元）：罚款须填写金额（元）"]);
    let warning_with_money = InspectionDraft {
        target_uscc: String::new(),
        penalty_kind: "warning".into(),
        ..fined()
    };
    let errors = messages(validate_inspection(&warning_with_money, day(2025, 6, 10)).unwrap_err());
    assert_eq!(errors, ["处罚金额（元）：“警告”不填金额"]);
}

#[test]
fn every_wrong_field_of_an_inspection_is_named_in_the_forms_order() {
    let draft = InspectionDraft {
        action: String::new(),
        inspected_on: "2025-06-11".into(),
        target_kind: "school".into(),
        target_name: String::new(),
        target_uscc: "91420112MA4KXXXX0X".into(),
        findings: String::new(),
        rectification_due: "2025-06-01".into(),
        ..fined()
    };
    let errors = messages(validate_inspection(&draft, day(2025, 6, 10)).unwrap_err());
    let fields: Vec<&str> = errors
        .iter()
        .map(|e| e.split('：').next().unwrap())
        .collect();
    assert_eq!(
        fields,
        [
            "专项行动",
            "检查日期",
            "检查对象类型",
            "检查对象名称",
            "统一社会信用代码",
            "检查发现"
        ]
    );
    let early_due = InspectionDraft {
        target_uscc: String::new(),
        rectification_due: "2025-06-01".into(),
        ..fined()
    };
    let errors = messages(validate_inspection(&early_due, day(2025, 6, 10)).unwrap_err());
    assert_eq!(errors, ["整改期限：2025-06-01 早于检查日期 2025-06-05"]);
}

#[test]
fn an_inspection_falls_within_its_actions_period() {
    let period = (day(2025, 5, 1), day(2025, 7, 31));
    assert!(within_action(day(2025, 5, 1), period).is_ok());
    let late = within_action(day(2025, 8, 1), period).unwrap_err();
    assert_eq!(
        late.to_string(),
        "检查日期：2025-08-01 不在专项行动期间（2025-05-01 至 2025-07-31）"
    );
}

#[test]
fn a_rectification_is_pending_until_its_due_day_then_overdue_until_done() {
    let due = Some(day(2025, 6, 20));
    assert_eq!(
        Rectification::standing(None, None, day(2025, 7, 1)),
        Rectification::NotRequired
    );
    assert_eq!(
        Rectification::standing(due, None, day(2025, 6, 20)),
        Rectification::Pending {
            due: day(2025, 6, 20)
        }
    );
    let overdue = Rectification::standing(due, None, day(2025, 6, 23));
    assert!(overdue.is_overdue());
    assert_eq!(
        overdue.label(),
        "逾期未整改（期限 2025-06-20，已逾期 3 天）"
    );
    let late = Rectification::standing(due, Some(day(2025, 6, 25)), day(2025, 7, 1));
    assert_eq!(late.label(), "已于 2025-06-25 整改（逾期完成）");
    assert!(!late.is_overdue());
}

#[test]
fn a_rectification_is_closed_once_on_a_day_between_the_inspection_and_today() {
    let inspected = day(2025, 6, 5);
    let today = day(2025, 6, 30);
    let pending = Rectification::Pending {
        due: day(2025, 6, 20),
    };
    assert_eq!(
        rectified_day("2025-06-18", inspected, pending, today),
        Ok(day(2025, 6, 18))
    );
    let early = rectified_day("2025-06-01", inspected, pending, today).unwrap_err();
    assert_eq!(early.message, "2025-06-01 早于检查日期 2025-06-05");
    let future = rectified_day("2025-07-01", inspected, pending, today).unwrap_err();
    assert_eq!(future.message, "2025-07-01 晚于今天");
    let none = rectified_day("2025-06-18", inspected, Rectification::NotRequired, today);
    assert_eq!(none.unwrap_err().message, "该检查未要求整改");
    let done = Rectification::Done {
        on: day(2025, 6, 18),
        late: false,
    };
    let twice = rectified_day("2025-06-19", inspected, done, today).unwrap_err();
    assert_eq!(twice.message, "已于 2025-06-18 登记整改完成");
}

#[test]
fn an_action_has_a_lead_unit_of_1_3_4_and_a_period_that_does_not_end_before_it_starts() {
    let plan = crate::plan::dongxihu();
    let draft = ActionDraft {
        name: "2025 年清理整顿人力资源市场秩序专项行动".into(),
        lead_unit: "rsj".into(),
        starts_on: "2025-05-01".into(),
        ends_on: "2025-07-31".into(),
        cooperating: vec!["gaj".into(), "scjgj".into(), "rsj".into(), "gaj".into()],
    };
    let valid = validate_action(&plan, &draft).unwrap();
    assert_eq!(valid.cooperating, ["gaj", "scjgj"]);
    let wrong = ActionDraft {
        name: String::new(),
        lead_unit: "jkj".into(),
        ends_on: "2025-04-30".into(),
        cooperating: vec!["nowhere".into()],
        ..draft
    };
    let errors = messages(validate_action(&plan, &wrong).unwrap_err());
    assert_eq!(
        errors,
        [
            "行动名称：不能为空",
            "牵头单位：“jkj”不是任务 1.3.4 的责任单位",
            "结束日期：2025-04-30 早于开始日期 2025-05-01",
            "配合单位：未知的单位“nowhere”",
        ]
    );
}

#[test]
fn a_case_with_an_outcome_says_what_was_found() {
    let draft = CaseDraft {
        complaint: "3".into(),
        opened_on: "2025-06-08".into(),
        inspection: "2".into(),
        outcome: "referred_police".into(),
        note: String::new(),
    };
    let errors = messages(validate_case(&draft, day(2025, 6, 10)).unwrap_err());
    assert_eq!(errors, ["查处说明：登记查处结果时请写明查处情况"]);
    let open = CaseDraft {
        outcome: String::new(),
        ..draft
    };
    let valid = validate_case(&open, day(2025, 6, 10)).unwrap();
    assert_eq!(
        (valid.complaint_id, valid.inspection_id, valid.outcome),
        (3, Some(2), None)
    );
    let outcome = OutcomeDraft {
        outcome: "confirmed".into(),
        decided_on: "2025-06-07".into(),
        note: "查实收取押金".into(),
    };
    let errors =
        messages(validate_outcome(&outcome, day(2025, 6, 8), day(2025, 6, 10)).unwrap_err());
    assert_eq!(errors, ["办结日期：2025-06-07 早于立案日期 2025-06-08"]);
}

fn tip() -> NoticeDraft {
    NoticeDraft {
        kind: "trap_tip".into(),
        title: "警惕“培训贷”招聘陷阱".into(),
        body: "求职时遇到先交培训费再安排工作的，请拒绝并举报。".into(),
        issue_month: "2025-06".into(),
        published_on: "2025-06-10".into(),
        source: String::new(),
    }
}

#[test]
fn a_violation_case_names_its_source_and_an_issue_is_not_after_its_publication_month() {
    assert!(validate_notice(&tip(), day(2025, 6, 10)).is_ok());
    let sourceless = NoticeDraft {
        kind: "violation_case".into(),
        ..tip()
    };
    let errors = messages(validate_notice(&sourceless, day(2025, 6, 10)).unwrap_err());
    assert_eq!(errors, ["来源：违规典型案例须注明来源（举报或检查）"]);
    let sourced = NoticeDraft {
        source: "inspection:4".into(),
        ..sourceless
    };
    let valid = validate_notice(&sourced, day(2025, 6, 10)).unwrap();
    assert_eq!(valid.source, Some(NoticeSource::Inspection(4)));
    let ahead = NoticeDraft {
        issue_month: "2025-07".into(),
        ..tip()
    };
    let errors = messages(validate_notice(&ahead, day(2025, 6, 10)).unwrap_err());
    assert_eq!(errors, ["期次：2025年7月 晚于发布日期所在月份 2025年6月"]);
}

#[test]
fn the_schedule_shows_this_months_issue_due_until_published_then_next_months() {
    let june = IssueMonth::parse("2025年6月").unwrap();
    let may = IssueMonth::parse("2025-5").unwrap();
    let due = NoticeSchedule::of(NoticeKind::TrapTip, &[may], day(2025, 6, 10));
    assert!(!due.published_this_month);
    assert_eq!(due.next_due, june);
    assert_eq!(due.latest, Some(may));
    let done = NoticeSchedule::of(NoticeKind::TrapTip, &[may, june], day(2025, 6, 10));
    assert!(done.published_this_month);
    assert_eq!(done.next_due.code(), "2025-07");
    let december = IssueMonth::parse("2025-12").unwrap();
    assert_eq!(december.next().label(), "2026年1月");
    assert!(IssueMonth::parse("2025-13").is_err());
}
