use chrono::NaiveDate;

use super::*;
use crate::calendar::WorkCalendar;

fn calendar() -> WorkCalendar {
    WorkCalendar::parse(include_str!("../../../../calendar/cn-workdays.toml")).expect("calendar")
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn lagging_street() -> SupervisionDraft {
    SupervisionDraft {
        unit: "jinghe".into(),
        indicator: "2.2.1.guidance".into(),
        problem: "创业指导人次完成率低于序时进度".into(),
        action: "本月内组织一场创业宣讲活动并报送佐证".into(),
        working_days: "10".into(),
    }
}

#[test]
fn a_supervision_item_is_due_after_its_working_days_by_the_state_council_calendar() {
    // Raised on Friday 2025-09-26: ten working days skip the National Day holiday (10-01..08)
    // and count the make-up Saturday 09-28 and 10-11.
    let valid = validate_supervision(
        &crate::plan::dongxihu(),
        &calendar(),
        &lagging_street(),
        day(2025, 9, 26),
    )
    .unwrap();
    assert_eq!(
        valid.due_on,
        calendar().add_working_days(day(2025, 9, 26), 10)
    );
    assert!(valid.due_on > day(2025, 10, 8), "{}", valid.due_on);
    assert_eq!(valid.indicator.as_deref(), Some("2.2.1.guidance"));
}

#[test]
fn a_supervision_item_without_a_due_date_or_a_known_unit_is_refused_naming_the_fields() {
    let plan = crate::plan::dongxihu();
    for (limit, why) in [
        ("", "请填写办理时限"),
        ("0", "不是 1 至 60"),
        ("61", "不是 1 至 60"),
        ("十", "不是"),
    ] {
        let draft = SupervisionDraft {
            working_days: limit.into(),
            ..lagging_street()
        };
        let errors =
            validate_supervision(&plan, &calendar(), &draft, day(2025, 10, 15)).unwrap_err();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].field, "办理时限");
        assert!(errors[0].message.contains(why), "{}", errors[0].message);
    }
    let draft = SupervisionDraft {
        unit: "nowhere".into(),
        indicator: "9.9.9".into(),
        problem: " ".into(),
        ..lagging_street()
    };
    let errors = validate_supervision(&plan, &calendar(), &draft, day(2025, 10, 15)).unwrap_err();
    let fields: Vec<&str> = errors.iter().map(|e| e.field).collect();
    assert_eq!(fields, ["督办单位", "相关指标", "存在问题"]);
}

#[test]
fn an_item_is_overdue_only_while_open_and_after_its_due_day() {
    let due = day(2025, 10, 20);
    assert!(!is_overdue(SupervisionStatus::Open, due, due));
    assert!(is_overdue(SupervisionStatus::Open, due, day(2025, 10, 21)));
    assert!(is_overdue(
        SupervisionStatus::Answered,
        due,
        day(2025, 10, 21)
    ));
    assert!(!is_overdue(
        SupervisionStatus::Closed,
        due,
        day(2025, 12, 1)
    ));
    assert!(SupervisionStatus::Answered.may_close());
    assert!(!SupervisionStatus::Open.may_close());
    assert!(!SupervisionStatus::Closed.may_escalate());
    assert!(!SupervisionStatus::Closed.takes_answer());
}

fn meeting() -> MeetingDraft {
    MeetingDraft {
        held_on: "2025-10-20".into(),
        quarter: "2025Q3".into(),
        chair: "区政府分管副区长".into(),
        attendees: vec!["rsj".into(), "jinghe".into(), "rsj".into()],
        minutes: "通报三季度进展，研究滞后事项。".into(),
        decisions: vec![
            DecisionDraft {
                text: "径河街道十月底前补办创业宣讲".into(),
                owner: "jinghe".into(),
                due_on: "2025-10-31".into(),
            },
            DecisionDraft::default(),
        ],
    }
}

#[test]
fn a_meeting_reviews_an_ended_quarter_and_keeps_its_decisions_with_owners() {
    let valid = validate_meeting(&crate::plan::dongxihu(), &meeting(), day(2025, 10, 21)).unwrap();
    assert_eq!(
        valid.quarter,
        ReportPeriod::Quarter {
            year: 2025,
            quarter: 3
        }
    );
    assert_eq!(valid.attendees, ["rsj", "jinghe"], "each unit once");
    assert_eq!(valid.decisions.len(), 1, "a blank decision row is dropped");
    assert_eq!(valid.decisions[0].owner, "jinghe");
}

#[test]
fn a_meeting_decision_without_an_owner_is_refused_naming_the_field_and_the_row() {
    let plan = crate::plan::dongxihu();
    let mut draft = meeting();
    draft.decisions.push(DecisionDraft {
        text: "区人社局牵头复核台账".into(),
        owner: "".into(),
        due_on: "2025-11-15".into(),
    });
    let errors = validate_meeting(&plan, &draft, day(2025, 10, 21)).unwrap_err();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].field, "责任单位");
    assert_eq!(errors[0].message, "第 2 项：请选择责任单位");

    let early = MeetingDraft {
        held_on: "2025-09-20".into(),
        attendees: vec![],
        ..meeting()
    };
    let errors = validate_meeting(&plan, &early, day(2025, 10, 21)).unwrap_err();
    let fields: Vec<&str> = errors.iter().map(|e| e.field).collect();
    assert_eq!(fields, ["研究季度", "参会单位"], "{errors:?}");
    let later = MeetingDraft {
        held_on: "2025-10-30".into(),
        ..meeting()
    };
    let errors = validate_meeting(&plan, &later, day(2025, 10, 21)).unwrap_err();
    assert_eq!(errors[0].field, "会议日期");
}

#[test]
fn a_publicity_item_needs_a_web_link_when_it_has_one() {
    let plan = crate::plan::dongxihu();
    let draft = PublicityDraft {
        unit: "rmtzx".into(),
        kind: "article".into(),
        title: "临空港“学子东西湖行”走进网安基地".into(),
        outlet: "东西湖发布".into(),
        published_on: "2025-07-16".into(),
        link: "https://example.org/news/1".into(),
    };
    let valid = validate_publicity(&plan, &draft, day(2025, 10, 1)).unwrap();
    assert_eq!(valid.kind, PublicityKind::Article);
    let broadcast = PublicityDraft {
        kind: "broadcast".into(),
        link: String::new(),
        ..draft.clone()
    };
    assert!(validate_publicity(&plan, &broadcast, day(2025, 10, 1)).is_ok());
    let wrong = PublicityDraft {
        link: "javascript:alert(1)".into(),
        published_on: "2025-12-01".into(),
        ..draft
    };
    let errors = validate_publicity(&plan, &wrong, day(2025, 10, 1)).unwrap_err();
    let fields: Vec<&str> = errors.iter().map(|e| e.field).collect();
    assert_eq!(fields, ["发布日期", "链接"]);
}

#[test]
fn a_decision_is_followed_up_with_what_was_done_on_a_day_between_the_meeting_and_today() {
    let held = day(2025, 10, 20);
    let today = day(2025, 11, 3);
    let ok = validate_follow_up(" 已补办宣讲两场 ", "2025-10-30", held, today).unwrap();
    assert_eq!(
        (ok.note.as_str(), ok.done_on),
        ("已补办宣讲两场", day(2025, 10, 30))
    );
    let fields = |note: &str, on: &str| -> Vec<(&'static str, String)> {
        validate_follow_up(note, on, held, today)
            .unwrap_err()
            .into_iter()
            .map(|e| (e.field, e.message))
            .collect()
    };
    assert_eq!(
        fields("", "2025-10-19"),
        [
            ("落实情况", "不能为空".to_owned()),
            ("落实日期", "2025-10-19 早于会议日期 2025-10-20".to_owned())
        ]
    );
    assert_eq!(fields("做了", "")[0].1, "请填写落实日期");
    assert_eq!(fields("做了", "2025-11-04")[0].1, "2025-11-04 晚于今天");
    assert_eq!(fields("做了", "下周")[0].0, "落实日期");
}

#[test]
fn a_decision_is_overdue_only_while_not_followed_up_and_after_its_due_day() {
    let due = day(2025, 10, 31);
    assert!(!decision_overdue(None, due, due));
    assert!(decision_overdue(None, due, day(2025, 11, 1)));
    assert!(!decision_overdue(
        Some(day(2025, 11, 2)),
        due,
        day(2025, 11, 3)
    ));
}
