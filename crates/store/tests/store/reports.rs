//! The reporting cycle in the store, on SQLite and (with LINKONG_TEST_PG) PostgreSQL.

use chrono::NaiveDate;
use linkong_core::access::{Actor, Role};
use linkong_core::calendar::WorkCalendar;
use linkong_core::password::NewPassword;
use linkong_core::record::RecordDraft;
use linkong_core::reporting::Narrative;
use linkong_core::reporting::ReportPeriod;
use linkong_core::reporting::{ReportStatus, Review, Save};
use linkong_store::users::NewUser;
use linkong_store::{Error, Store};
use linkong_testkit::{CALENDAR_FILE, TestClock, databases, plan};

const Q3: ReportPeriod = ReportPeriod::Quarter {
    year: 2025,
    quarter: 3,
};

fn calendar() -> WorkCalendar {
    WorkCalendar::parse(CALENDAR_FILE).unwrap()
}

async fn user(store: &Store, username: &str, role: Role, unit: Option<&str>) -> Actor {
    let new = NewUser {
        username: username.into(),
        display_name: username.into(),
        role,
        unit_code: unit.map(str::to_owned),
        password: NewPassword::parse("Report#2025", "x").unwrap(),
        must_change_password: false,
    };
    store.create_user(None, new, "").await.unwrap().actor()
}

fn narrative() -> Narrative {
    Narrative {
        progress: "第三季度组织创业宣讲 2 场，为返区人员提供创业指导 14 人次。".into(),
        practices: "街道、社区两级联动邀请优秀创业者宣讲。".into(),
        problems: "部分返区人员创业意愿尚不明确。".into(),
        next_steps: "第四季度邀请优秀创业者进社区开展创业沙龙。".into(),
    }
}

/// 径河's start-up guidance for returnees (任务 2.2.1, quota 35 人次 a year).
async fn record(store: &Store, actor: &Actor, value: &str, date: &str) {
    let draft = RecordDraft {
        indicator_code: "2.2.1.guidance".into(),
        unit_code: "jinghe".into(),
        value: value.into(),
        occurred_on: date.into(),
        description: "创业指导".into(),
    };
    store
        .add_record(actor, &plan(), &draft, None, None, "")
        .await
        .unwrap();
}

#[tokio::test]
async fn a_submitted_report_keeps_its_figures_whatever_is_recorded_later() {
    for db in databases(&TestClock::at(2025, 10, 10, 2)).await {
        let store = &db.store;
        let jinghe = user(store, "jinghe1", Role::UnitStaff, Some("jinghe")).await;
        record(store, &jinghe, "14", "2025-08-01").await;
        store
            .save_report(
                &jinghe,
                &plan(),
                &calendar(),
                "jinghe",
                Q3,
                &narrative(),
                Save::Submit,
                "",
            )
            .await
            .unwrap();
        record(store, &jinghe, "6", "2025-09-30").await;

        let report = store.report("jinghe", Q3).await.unwrap().unwrap();
        assert_eq!(report.status, ReportStatus::Submitted);
        let guidance = report
            .figures
            .as_ref()
            .unwrap()
            .iter()
            .find(|l| l.indicator_code == "2.2.1.guidance")
            .unwrap();
        assert_eq!(guidance.period_actual, Some(14_00));
        let live = store
            .live_report_lines(&plan(), "jinghe", Q3)
            .await
            .unwrap();
        assert_eq!(
            live.iter()
                .find(|l| l.indicator_code == "2.2.1.guidance")
                .unwrap()
                .period_actual,
            Some(20_00)
        );
    }
}

#[tokio::test]
async fn returned_reports_are_resubmitted_and_accepted_ones_are_final() {
    for db in databases(&TestClock::at(2025, 10, 10, 2)).await {
        let store = &db.store;
        let jinghe = user(store, "jinghe2", Role::UnitStaff, Some("jinghe")).await;
        let task_force = user(store, "zhuanban", Role::TaskForce, None).await;
        store
            .save_report(
                &jinghe,
                &plan(),
                &calendar(),
                "jinghe",
                Q3,
                &narrative(),
                Save::Submit,
                "",
            )
            .await
            .unwrap();
        let again = store
            .save_report(
                &jinghe,
                &plan(),
                &calendar(),
                "jinghe",
                Q3,
                &narrative(),
                Save::Submit,
                "",
            )
            .await;
        assert!(
            matches!(again, Err(Error::Conflict(ref m)) if m.contains("等待工作专班审核")),
            "{again:?}"
        );

        let no_reason = store
            .review_report(&task_force, "jinghe", Q3, Review::Return, " ", "")
            .await;
        assert!(matches!(
            no_reason,
            Err(Error::Invalid {
                field: "审核意见",
                ..
            })
        ));
        store
            .review_report(
                &task_force,
                "jinghe",
                Q3,
                Review::Return,
                "请补充创业指导对象的行业分布",
                "",
            )
            .await
            .unwrap();
        assert_eq!(
            store.report("jinghe", Q3).await.unwrap().unwrap().status,
            ReportStatus::Returned
        );

        store
            .save_report(
                &jinghe,
                &plan(),
                &calendar(),
                "jinghe",
                Q3,
                &narrative(),
                Save::Submit,
                "",
            )
            .await
            .unwrap();
        store
            .review_report(&task_force, "jinghe", Q3, Review::Accept, "", "")
            .await
            .unwrap();
        let accepted = store.report("jinghe", Q3).await.unwrap().unwrap();
        assert_eq!(accepted.status, ReportStatus::Accepted);
        let final_try = store
            .save_report(
                &jinghe,
                &plan(),
                &calendar(),
                "jinghe",
                Q3,
                &narrative(),
                Save::Submit,
                "",
            )
            .await;
        assert!(
            matches!(final_try, Err(Error::Conflict(ref m)) if m.contains("已通过审核")),
            "{final_try:?}"
        );

        let history: Vec<String> = store
            .report_events(accepted.id)
            .await
            .unwrap()
            .into_iter()
            .map(|e| e.action)
            .collect();
        assert_eq!(history, ["submit", "return", "submit", "accept"]);
    }
}

#[tokio::test]
async fn a_unit_cannot_submit_another_units_report_nor_review_its_own() {
    for db in databases(&TestClock::at(2025, 10, 10, 2)).await {
        let store = &db.store;
        let jinghe = user(store, "jinghe3", Role::UnitStaff, Some("jinghe")).await;
        let other = store
            .save_report(
                &jinghe,
                &plan(),
                &calendar(),
                "changqing",
                Q3,
                &narrative(),
                Save::Submit,
                "",
            )
            .await;
        assert!(matches!(other, Err(Error::Forbidden(_))));
        assert_eq!(
            store.recent_audit(1).await.unwrap()[0].action,
            "access.denied"
        );
        store
            .save_report(
                &jinghe,
                &plan(),
                &calendar(),
                "jinghe",
                Q3,
                &narrative(),
                Save::Submit,
                "",
            )
            .await
            .unwrap();
        let self_review = store
            .review_report(&jinghe, "jinghe", Q3, Review::Accept, "", "")
            .await;
        assert!(matches!(self_review, Err(Error::Forbidden(_))));
        assert!(store.report("changqing", Q3).await.unwrap().is_none());
    }
}

#[tokio::test]
async fn a_report_without_its_progress_text_is_not_submitted() {
    for db in databases(&TestClock::at(2025, 10, 10, 2)).await {
        let store = &db.store;
        let jinghe = user(store, "jinghe4", Role::UnitStaff, Some("jinghe")).await;
        let empty = Narrative::default();
        let refused = store
            .save_report(
                &jinghe,
                &plan(),
                &calendar(),
                "jinghe",
                Q3,
                &empty,
                Save::Submit,
                "",
            )
            .await;
        assert!(
            matches!(
                refused,
                Err(Error::Invalid {
                    field: "工作进展",
                    ..
                })
            ),
            "{refused:?}"
        );
        assert!(
            store.report("jinghe", Q3).await.unwrap().is_none(),
            "nothing written"
        );
        store
            .save_report(
                &jinghe,
                &plan(),
                &calendar(),
                "jinghe",
                Q3,
                &empty,
                Save::Draft,
                "",
            )
            .await
            .unwrap();
        assert_eq!(
            store.report("jinghe", Q3).await.unwrap().unwrap().status,
            ReportStatus::Draft
        );
    }
}

#[tokio::test]
async fn a_quarter_is_reported_only_after_it_ends() {
    for db in databases(&TestClock::at(2025, 10, 10, 2)).await {
        let store = &db.store;
        let jinghe = user(store, "jinghe5", Role::UnitStaff, Some("jinghe")).await;
        let q4 = ReportPeriod::Quarter {
            year: 2025,
            quarter: 4,
        };
        let early = store
            .save_report(
                &jinghe,
                &plan(),
                &calendar(),
                "jinghe",
                q4,
                &narrative(),
                Save::Submit,
                "",
            )
            .await;
        assert!(
            matches!(early, Err(Error::Invalid { ref message, .. }) if message.contains("2026年1月1日")),
            "{early:?}"
        );
        store
            .save_report(
                &jinghe,
                &plan(),
                &calendar(),
                "jinghe",
                q4,
                &narrative(),
                Save::Draft,
                "",
            )
            .await
            .unwrap();
        // The annual report opens a month before its 5 December deadline, before the year ends.
        let annual = ReportPeriod::Annual { year: 2025 };
        let too_soon = store
            .save_report(
                &jinghe,
                &plan(),
                &calendar(),
                "jinghe",
                annual,
                &narrative(),
                Save::Submit,
                "",
            )
            .await;
        assert!(
            matches!(too_soon, Err(Error::Invalid { ref message, .. }) if message.contains("2025年11月5日")),
            "{too_soon:?}"
        );
    }
}

#[tokio::test]
async fn a_submission_keeps_its_deadline_in_the_same_write_and_a_resubmission_keeps_the_first() {
    for db in databases(&TestClock::at(2025, 10, 14, 2)).await {
        let store = &db.store;
        let jinghe = user(store, "jinghe6", Role::UnitStaff, Some("jinghe")).await;
        let task_force = user(store, "zhuanban6", Role::TaskForce, None).await;
        let (plan, calendar) = (plan(), calendar());
        store
            .save_report(
                &jinghe,
                &plan,
                &calendar,
                "jinghe",
                Q3,
                &narrative(),
                Save::Submit,
                "",
            )
            .await
            .unwrap();
        let first = store.report("jinghe", Q3).await.unwrap().unwrap();
        // Q3 2025 is due on Saturday 11 October (3 working days after the National Day break).
        assert_eq!(first.due_on, NaiveDate::from_ymd_opt(2025, 10, 11));
        store
            .review_report(
                &task_force,
                "jinghe",
                Q3,
                Review::Return,
                "请补充数据来源",
                "",
            )
            .await
            .unwrap();
        // A later calendar would give another deadline; the resubmission keeps the first.
        let shifted = WorkCalendar::default();
        store
            .save_report(
                &jinghe,
                &plan,
                &shifted,
                "jinghe",
                Q3,
                &narrative(),
                Save::Submit,
                "",
            )
            .await
            .unwrap();
        let again = store.report("jinghe", Q3).await.unwrap().unwrap();
        assert_eq!(again.due_on, first.due_on);
        assert_eq!(again.first_submitted_at, first.first_submitted_at);
    }
}
