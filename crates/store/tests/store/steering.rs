//! The task force's steering in the store, on SQLite and (with LINKONG_TEST_PG) PostgreSQL: a
//! supervision item raised on a street, answered with evidence by that street only, closed by
//! the task force; a joint meeting freezing the quarter's figures and listing the item; bad
//! input refused with nothing written.

use linkong_core::access::Role;
use linkong_core::calendar::WorkCalendar;
use linkong_core::steering::{DecisionDraft, MeetingDraft, SupervisionDraft, SupervisionStatus};
use linkong_store::Error;
use linkong_store::evidence::EvidenceUpload;
use linkong_store::steering::Verdict;
use linkong_testkit::{CALENDAR_FILE, TestClock, account, databases, field_errors, plan};

fn calendar() -> WorkCalendar {
    WorkCalendar::parse(CALENDAR_FILE).unwrap()
}

fn item() -> SupervisionDraft {
    SupervisionDraft {
        unit: "jinghe".into(),
        indicator: "2.2.1.guidance".into(),
        problem: "创业指导人次严重滞后于序时进度".into(),
        action: "十个工作日内组织一场创业宣讲并反馈".into(),
        working_days: "10".into(),
    }
}

fn meeting(owner: &str) -> MeetingDraft {
    MeetingDraft {
        held_on: "2025-10-20".into(),
        quarter: "2025Q3".into(),
        chair: "分管副区长".into(),
        attendees: vec!["rsj".into(), "jinghe".into()],
        minutes: "通报三季度进展，研究滞后事项。".into(),
        decisions: vec![DecisionDraft {
            text: "径河街道补办创业宣讲".into(),
            owner: owner.into(),
            due_on: "2025-10-31".into(),
        }],
    }
}

#[tokio::test]
async fn an_item_is_raised_answered_with_evidence_closed_and_listed_in_the_minutes() {
    for db in databases(&TestClock::at(2025, 10, 15, 2)).await {
        let (store, plan) = (&db.store, plan());
        // Both backends share the clock, which the test moves on.
        db.clock.set(TestClock::at(2025, 10, 15, 2).now());
        let task_force = account(store, "zhuanban", Role::TaskForce, None).await;
        let jinghe = account(store, "jinghe01", Role::UnitStaff, Some("jinghe")).await;
        let changqing = account(store, "changqing01", Role::UnitStaff, Some("changqing")).await;

        // A street cannot raise one; a missing time limit is refused; nothing is written.
        let err = store
            .raise_supervision(&plan, &calendar(), &jinghe, &item(), "")
            .await
            .unwrap_err();
        assert!(matches!(err, Error::Forbidden(_)), "{err}");
        let no_limit = SupervisionDraft {
            working_days: String::new(),
            ..item()
        };
        let errors = field_errors(
            store
                .raise_supervision(&plan, &calendar(), &task_force, &no_limit, "")
                .await
                .unwrap_err(),
        );
        assert_eq!(errors, ["办理时限：请填写办理时限（工作日）"]);
        assert!(
            store
                .supervision_items(&task_force, None, false, "")
                .await
                .unwrap()
                .is_empty()
        );

        let id = store
            .raise_supervision(&plan, &calendar(), &task_force, &item(), "")
            .await
            .unwrap();
        let (raised, _) = store.supervision_item(&jinghe, id, "").await.unwrap();
        // Ten working days from Wednesday 2025-10-15.
        assert_eq!(raised.due_on, linkong_testkit::date(2025, 10, 29));
        assert_eq!(raised.status, SupervisionStatus::Open);

        // Another street neither reads nor answers it; the task force cannot close it unanswered.
        let err = store
            .supervision_item(&changqing, id, "")
            .await
            .unwrap_err();
        assert!(matches!(err, Error::Forbidden(_)), "{err}");
        let err = store
            .decide_supervision(&task_force, id, Verdict::Close, "办结", "")
            .await
            .unwrap_err();
        assert!(matches!(err, Error::Conflict(_)), "{err}");

        let pdf = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n".to_vec();
        store
            .answer_supervision(
                &jinghe,
                id,
                "10 月 22 日已在径河街道组织创业宣讲，35 人次参加。",
                Some(EvidenceUpload {
                    file_name: "宣讲签到表.pdf".into(),
                    bytes: pdf.clone(),
                }),
                "",
            )
            .await
            .unwrap();
        let (_, _, bytes) = store
            .supervision_evidence(&task_force, id, "")
            .await
            .unwrap();
        assert_eq!(bytes, pdf);
        store
            .decide_supervision(&task_force, id, Verdict::Close, "已整改，同意办结。", "")
            .await
            .unwrap();
        let (closed, steps) = store.supervision_item(&task_force, id, "").await.unwrap();
        assert_eq!(closed.status, SupervisionStatus::Closed);
        let kinds: Vec<&str> = steps.iter().map(|s| s.kind.as_str()).collect();
        assert_eq!(kinds, ["raise", "answer", "close"]);

        // A decision without an owner: refused, no meeting written.
        db.clock.set(TestClock::at(2025, 10, 21, 2).now());
        let errors = field_errors(
            store
                .record_meeting(&plan, &task_force, &meeting(""), "")
                .await
                .unwrap_err(),
        );
        assert_eq!(errors, ["责任单位：第 1 项：请选择责任单位"]);
        assert!(store.meetings(&task_force, "").await.unwrap().is_empty());

        let meeting_id = store
            .record_meeting(&plan, &task_force, &meeting("jinghe"), "")
            .await
            .unwrap();
        let minutes = store.meeting(&jinghe, meeting_id, "").await.unwrap();
        assert_eq!(minutes.items.len(), 1);
        assert_eq!(minutes.items[0].status, "已办结");
        assert_eq!(minutes.decisions[0].owner_unit, "jinghe");
        let positions = minutes
            .figures
            .iter()
            .find(|f| f.indicator_code == "1.1.1.positions")
            .unwrap();
        assert_eq!(positions.target, Some(3_000_000));
        assert_eq!(minutes.figures.len(), plan.indicators().count());
    }
}

#[tokio::test]
async fn a_decision_is_followed_up_once_by_its_owner_and_is_overdue_until_then() {
    for db in databases(&TestClock::at(2025, 10, 21, 2)).await {
        let (store, plan) = (&db.store, plan());
        db.clock.set(TestClock::at(2025, 10, 21, 2).now());
        let task_force = account(store, "zhuanban3", Role::TaskForce, None).await;
        let jinghe = account(store, "jinghe03", Role::UnitStaff, Some("jinghe")).await;
        let changqing = account(store, "changqing03", Role::UnitStaff, Some("changqing")).await;
        let meeting_id = store
            .record_meeting(&plan, &task_force, &meeting("jinghe"), "")
            .await
            .unwrap();
        let decision = store
            .meeting(&jinghe, meeting_id, "")
            .await
            .unwrap()
            .decisions[0]
            .clone();
        assert_eq!((decision.done_on, decision.overdue), (None, false));

        // Past its due date it is overdue, on the owner's list and not on another unit's.
        db.clock.set(TestClock::at(2025, 11, 3, 2).now());
        let open = store.open_decisions(&jinghe, None, "").await.unwrap();
        assert_eq!(open.len(), 1);
        assert!(open[0].overdue);
        assert!(
            store
                .open_decisions(&changqing, None, "")
                .await
                .unwrap()
                .is_empty()
        );
        let err = store
            .open_decisions(&changqing, Some("jinghe"), "")
            .await
            .unwrap_err();
        assert!(matches!(err, Error::Forbidden(_)), "{err}");

        // Another street may not record it; a follow-up dated before the meeting is refused
        // naming the field; nothing is written.
        let err = store
            .follow_up_decision(&changqing, decision.id, "已办", "2025-10-30", "")
            .await
            .unwrap_err();
        assert!(matches!(err, Error::Forbidden(_)), "{err}");
        let errors = field_errors(
            store
                .follow_up_decision(&jinghe, decision.id, "", "2025-10-19", "")
                .await
                .unwrap_err(),
        );
        assert_eq!(
            errors,
            [
                "落实情况：不能为空",
                "落实日期：2025-10-19 早于会议日期 2025-10-20"
            ]
        );
        assert_eq!(
            store
                .open_decisions(&task_force, None, "")
                .await
                .unwrap()
                .len(),
            1
        );

        let back = store
            .follow_up_decision(
                &jinghe,
                decision.id,
                "10月30日补办宣讲一场，52人参加",
                "2025-10-30",
                "",
            )
            .await
            .unwrap();
        assert_eq!(back, meeting_id);
        let done = store
            .meeting(&task_force, meeting_id, "")
            .await
            .unwrap()
            .decisions[0]
            .clone();
        assert_eq!(done.done_on, chrono::NaiveDate::from_ymd_opt(2025, 10, 30));
        assert_eq!(done.done_note, "10月30日补办宣讲一场，52人参加");
        assert!(!done.overdue);
        assert!(
            store
                .open_decisions(&task_force, None, "")
                .await
                .unwrap()
                .is_empty()
        );
        // Once only.
        let again = store
            .follow_up_decision(&task_force, decision.id, "再次登记", "2025-10-31", "")
            .await
            .unwrap_err();
        assert!(matches!(again, Error::Conflict(_)), "{again}");
    }
}
