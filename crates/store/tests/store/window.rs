//! The returnee service window in the store, on SQLite and (with LINKONG_TEST_PG) PostgreSQL:
//! visits logged by the keepers fill 2.3.1, referrals carry a due date and are followed up by
//! the referred department until closed, overdue ones are found, portal questions wait for an
//! answer (and one address cannot flood them), and every path is scoped: a street reads only its
//! residents' visits, a department what it logged or was referred.

use linkong_core::access::{Actor, Role, Roster};
use linkong_core::people::{MigrantDraft, PersonDraft, validate_migrant};
use linkong_core::window::{AnswerDraft, FollowUpDraft, PortalQuestion, VisitDraft, VisitStatus};
use linkong_store::people::{ImportRow, RowData};
use linkong_store::window::{Listed, VisitFilter};
use linkong_store::{Error, Store};
use linkong_testkit::{
    TestClock, account, databases, date, field_errors, import_rows, plan, resident_id_for,
};

fn migrant(n: usize, street: &str) -> ImportRow {
    let draft = MigrantDraft {
        person: PersonDraft {
            name: format!("返区人员{n}"),
            id_number: resident_id_for(n),
            phone: format!("1390000{n:04}"),
            street: street.into(),
            ..Default::default()
        },
        province: "江苏".into(),
        city: "苏州".into(),
        section: "C".into(),
        years_away: "5".into(),
        intention: "返区创业".into(),
        business_field: "休闲民宿".into(),
        contact_consent: "是".into(),
        surveyed_on: "2025-02-01".into(),
        ..Default::default()
    };
    ImportRow {
        row: n + 1,
        sealed: None,
        data: RowData::Migrant(validate_migrant(&plan(), &draft, date(2025, 10, 10)).unwrap()),
    }
}

/// A registered resident's visit, referred to 农业农村局 with a due date.
fn registered(n: usize) -> VisitDraft {
    VisitDraft {
        id_number: resident_id_for(n),
        visited_on: "2025-10-09".into(),
        topic: "企业用地".into(),
        question: "想在柏泉办民宿，集体建设用地怎么租？".into(),
        answer: "已讲解农村集体经营性建设用地政策，转区农业农村局跟进。".into(),
        referred_to: "nyncj".into(),
        due_on: "2025-10-20".into(),
        ..VisitDraft::default()
    }
}

fn walk_in(street: &str) -> VisitDraft {
    VisitDraft {
        name: "赵强".into(),
        phone: "13700001111".into(),
        street: street.into(),
        visited_on: "2025-10-09".into(),
        topic: "policy".into(),
        question: "开网店能申请哪些补贴？".into(),
        answer: "一次性创业补贴，需营业执照满 6 个月。".into(),
        ..VisitDraft::default()
    }
}

/// The 2025 figure of `unit` on 2.3.1's indicator (hundredths); "" for the district.
async fn figure(store: &Store, unit: &str) -> Option<i64> {
    let figures = store
        .record_figures(&plan(), date(2025, 1, 1), date(2025, 12, 31))
        .await
        .unwrap();
    let progress = linkong_core::progress::compute(&plan(), 2025, date(2025, 10, 10), &figures);
    let found = progress
        .iter()
        .find(|p| p.indicator_code == "2.3.1.window_visits")
        .unwrap();
    if unit.is_empty() {
        return found.district.actual;
    }
    found
        .units
        .iter()
        .find(|u| u.unit_code == unit)
        .and_then(|u| u.figure.actual)
}

/// The year's figures from the tallies equal those counted from the rows.
async fn assert_tallies_equal_rows(store: &Store) {
    let plan = plan();
    let (from, to) = (date(2025, 1, 1), date(2025, 12, 31));
    let tallied = store.record_figures(&plan, from, to).await.unwrap();
    let counted = store
        .record_figures_from_rows(&plan, from, to)
        .await
        .unwrap();
    let today = date(2025, 10, 10);
    assert_eq!(
        linkong_core::progress::compute(&plan, 2025, today, &tallied),
        linkong_core::progress::compute(&plan, 2025, today, &counted)
    );
}

async fn listed(store: &Store, actor: &Actor, listed: Listed) -> Result<Vec<i64>, Error> {
    let filter = VisitFilter {
        listed,
        ..VisitFilter::default()
    };
    let (visits, _) = store
        .window_visits(&plan(), actor, &filter, (1, 50), "")
        .await?;
    Ok(visits.iter().map(|v| v.id).collect())
}

struct Staff {
    xzspj: Actor,
    nyncj: Actor,
    jinghe: Actor,
    changqing: Actor,
}

async fn staff(store: &Store) -> Staff {
    import_rows(
        store,
        "rsj",
        Roster::Migrants,
        vec![migrant(1, "径河"), migrant(2, "长青")],
        true,
    )
    .await
    .unwrap()
    .unwrap();
    Staff {
        xzspj: account(store, "xzspj01", Role::UnitStaff, Some("xzspj")).await,
        nyncj: account(store, "nyncj01", Role::UnitStaff, Some("nyncj")).await,
        jinghe: account(store, "jinghe01", Role::UnitStaff, Some("jinghe")).await,
        changqing: account(store, "changqing01", Role::UnitStaff, Some("changqing")).await,
    }
}

#[tokio::test]
async fn a_visit_with_a_referral_counts_for_2_3_1_and_is_followed_up_until_closed() {
    for db in databases(&TestClock::at(2025, 10, 10, 2)).await {
        let store = &db.store;
        let plan = plan();
        let s = staff(store).await;
        let id = store
            .log_visit(&plan, &s.xzspj, &registered(1), "")
            .await
            .unwrap();
        store
            .log_visit(&plan, &s.xzspj, &walk_in(""), "")
            .await
            .unwrap();
        assert_eq!(figure(store, "xzspj").await, Some(2_00), "{:?}", db.backend);
        assert_eq!(figure(store, "").await, Some(2_00));
        let kept = store.stored_tallies().await.unwrap();
        store.rebuild_figures().await.unwrap();
        assert_eq!(kept, store.stored_tallies().await.unwrap());

        let detail = store.window_visit(&plan, &s.nyncj, id, "").await.unwrap();
        assert_eq!(detail.visit.name, "返区人员1");
        assert_eq!(detail.visit.phone_masked, "139****0001");
        assert!(detail.visit.id_masked.contains("********"));
        assert_eq!(detail.visit.status, VisitStatus::Referred);

        // Only the referred department follows up; closing needs a result.
        let mut follow = FollowUpDraft {
            done_on: "2025-10-10".into(),
            note: "电话联系，约定现场查看地块".into(),
            close: false,
            result: String::new(),
        };
        assert!(matches!(
            store.follow_up_visit(&s.xzspj, id, &follow, "").await,
            Err(Error::Forbidden(_))
        ));
        store
            .follow_up_visit(&s.nyncj, id, &follow, "")
            .await
            .unwrap();
        follow.close = true;
        assert_eq!(
            field_errors(
                store
                    .follow_up_visit(&s.nyncj, id, &follow, "")
                    .await
                    .unwrap_err()
            ),
            ["办结结果：不能为空"]
        );
        follow.result = "已指导办理集体经营性建设用地租赁手续".into();
        store
            .follow_up_visit(&s.nyncj, id, &follow, "")
            .await
            .unwrap();
        let closed = store.window_visit(&plan, &s.nyncj, id, "").await.unwrap();
        assert_eq!(closed.visit.status, VisitStatus::Closed);
        assert_eq!(closed.visit.closed_on, Some(date(2025, 10, 10)));
        assert_eq!(closed.follow_ups.len(), 2);
        assert!(matches!(
            store.follow_up_visit(&s.nyncj, id, &follow, "").await,
            Err(Error::Conflict(_))
        ));
    }
}

#[tokio::test]
async fn bad_visits_are_refused_naming_the_field_and_nothing_is_written() {
    for db in databases(&TestClock::at(2025, 10, 10, 2)).await {
        let store = &db.store;
        let plan = plan();
        let s = staff(store).await;
        let tallies = store.stored_tallies().await.unwrap();
        let mut no_due = registered(1);
        no_due.due_on = String::new();
        assert_eq!(
            field_errors(
                store
                    .log_visit(&plan, &s.xzspj, &no_due, "")
                    .await
                    .unwrap_err()
            ),
            ["办结期限：转办须填写办结期限"]
        );
        let mut early = registered(1);
        early.due_on = "2025-10-01".into();
        assert_eq!(
            field_errors(
                store
                    .log_visit(&plan, &s.xzspj, &early, "")
                    .await
                    .unwrap_err()
            ),
            ["办结期限：2025-10-01 早于来访日期 2025-10-09"]
        );
        let unknown = registered(9);
        let errors = field_errors(
            store
                .log_visit(&plan, &s.xzspj, &unknown, "")
                .await
                .unwrap_err(),
        );
        assert!(
            errors[0].starts_with("身份证号码") && errors[0].contains("未在平台登记"),
            "{errors:?}"
        );
        // A street does not keep the window: refused and audited.
        assert!(matches!(
            store
                .log_visit(&plan, &s.jinghe, &walk_in("径河"), "")
                .await,
            Err(Error::Forbidden(_))
        ));
        assert_eq!(
            store.recent_audit(1).await.unwrap()[0].action,
            "access.denied"
        );
        assert!(
            listed(store, &s.xzspj, Listed::All)
                .await
                .unwrap()
                .is_empty()
        );
        assert_eq!(store.stored_tallies().await.unwrap(), tallies);
    }
}

#[tokio::test]
async fn a_street_reads_only_its_residents_visits_and_is_refused_and_audited_otherwise() {
    for db in databases(&TestClock::at(2025, 10, 10, 2)).await {
        let store = &db.store;
        let plan = plan();
        let s = staff(store).await;
        let jinghe_resident = store
            .log_visit(&plan, &s.xzspj, &registered(1), "")
            .await
            .unwrap();
        let changqing_resident = store
            .log_visit(&plan, &s.xzspj, &registered(2), "")
            .await
            .unwrap();
        let jinghe_walk_in = store
            .log_visit(&plan, &s.xzspj, &walk_in("径河"), "")
            .await
            .unwrap();
        let outsider = store
            .log_visit(&plan, &s.xzspj, &walk_in(""), "")
            .await
            .unwrap();
        let mut seen = listed(store, &s.jinghe, Listed::All).await.unwrap();
        seen.sort();
        assert_eq!(seen, [jinghe_resident, jinghe_walk_in]);
        assert_eq!(
            listed(store, &s.changqing, Listed::All).await.unwrap(),
            [changqing_resident]
        );
        let mut referred = listed(store, &s.nyncj, Listed::All).await.unwrap();
        referred.sort();
        assert_eq!(referred, [jinghe_resident, changqing_resident]);
        assert_eq!(listed(store, &s.xzspj, Listed::All).await.unwrap().len(), 4);

        // Reading another street's visit: 403, and an audit row.
        let refused = store
            .window_visit(&plan, &s.jinghe, changqing_resident, "10.1.2.3")
            .await
            .unwrap_err();
        assert!(matches!(refused, Error::Forbidden(_)), "{refused:?}");
        let audit = &store.recent_audit(1).await.unwrap()[0];
        assert_eq!(
            (audit.action.as_str(), audit.target.clone()),
            (
                "access.denied",
                format!("window_visit:{changqing_resident}")
            )
        );
        assert!(matches!(
            store.window_visit(&plan, &s.nyncj, outsider, "").await,
            Err(Error::Forbidden(_))
        ));
        // Someone of no unit reaches nothing and is refused.
        let employer = Actor {
            role: Role::Employer,
            unit_code: None,
            ..s.jinghe.clone()
        };
        assert!(matches!(
            listed(store, &employer, Listed::All).await,
            Err(Error::Forbidden(_))
        ));
        // The person's page: a street sees its resident's visits only through their page.
        let support = store
            .returnee_support(&plan, &s.jinghe, first_person(store, &s).await, "")
            .await
            .unwrap();
        assert_eq!(support.visits.len(), 1);
    }
}

/// The person id of resident 1 (径河), as the registry gives it.
async fn first_person(store: &Store, s: &Staff) -> i64 {
    let (people, _) = store
        .migrants(
            &plan(),
            &s.jinghe,
            &linkong_store::people::MigrantFilter::default(),
            1,
            10,
            "",
        )
        .await
        .unwrap();
    people[0].person_id
}

#[tokio::test]
async fn a_portal_question_waits_for_an_answer_then_counts_for_the_answering_unit() {
    let clock = TestClock::at(2025, 10, 10, 2);
    let start = clock.now();
    for db in databases(&clock).await {
        // The backends share the clock, which this test moves.
        db.clock.set(start);
        let store = &db.store;
        let plan = plan();
        let s = staff(store).await;
        let asked = PortalQuestion {
            name: "钱多多".into(),
            phone: "13600002222".into(),
            street: "径河".into(),
            topic: "finance".into(),
            question: "创业担保贷款最多能贷多少？".into(),
        };
        let id = store.ask_window(&plan, &asked, "10.9.9.9").await.unwrap();
        assert_eq!(
            listed(store, &s.xzspj, Listed::Awaiting).await.unwrap(),
            [id]
        );
        assert_eq!(
            figure(store, "").await,
            Some(0),
            "not counted until answered"
        );
        let answer = AnswerDraft {
            answer: "个人最高 30 万元，已电话告知申请材料。".into(),
            referred_to: "rsj".into(),
            due_on: String::new(),
        };
        assert_eq!(
            field_errors(
                store
                    .answer_visit(&plan, &s.xzspj, id, &answer, "")
                    .await
                    .unwrap_err()
            ),
            ["办结期限：转办须填写办结期限"]
        );
        let answer = AnswerDraft {
            referred_to: String::new(),
            ..answer
        };
        assert!(matches!(
            store.answer_visit(&plan, &s.nyncj, id, &answer, "").await,
            Err(Error::Forbidden(_))
        ));
        store
            .answer_visit(&plan, &s.xzspj, id, &answer, "")
            .await
            .unwrap();
        assert_eq!(figure(store, "xzspj").await, Some(1_00));
        assert_tallies_equal_rows(store).await;
        let kept = store.stored_tallies().await.unwrap();
        store.rebuild_figures().await.unwrap();
        assert_eq!(kept, store.stored_tallies().await.unwrap());
        assert!(matches!(
            store.answer_visit(&plan, &s.xzspj, id, &answer, "").await,
            Err(Error::Conflict(_))
        ));
        // One address asks at most five questions an hour.
        for _ in 0..4 {
            store.ask_window(&plan, &asked, "10.9.9.9").await.unwrap();
        }
        assert!(matches!(
            store.ask_window(&plan, &asked, "10.9.9.9").await,
            Err(Error::Conflict(_))
        ));
        store.ask_window(&plan, &asked, "10.8.8.8").await.unwrap();
        db.clock.advance(chrono::Duration::minutes(61));
        store.ask_window(&plan, &asked, "10.9.9.9").await.unwrap();
        // A question without a phone is refused naming the field.
        let no_phone = PortalQuestion {
            phone: String::new(),
            ..asked
        };
        assert_eq!(
            field_errors(store.ask_window(&plan, &no_phone, "").await.unwrap_err()),
            ["联系电话：请填写电话号码"]
        );
    }
}

#[tokio::test]
async fn a_referral_past_its_due_date_and_not_closed_is_listed_as_overdue() {
    let clock = TestClock::at(2025, 10, 10, 2);
    let start = clock.now();
    for db in databases(&clock).await {
        // The backends share the clock, which this test moves.
        db.clock.set(start);
        let store = &db.store;
        let plan = plan();
        let s = staff(store).await;
        let late = store
            .log_visit(&plan, &s.xzspj, &registered(1), "")
            .await
            .unwrap();
        let mut later = registered(2);
        later.due_on = "2025-10-30".into();
        store.log_visit(&plan, &s.xzspj, &later, "").await.unwrap();
        assert!(
            listed(store, &s.xzspj, Listed::Overdue)
                .await
                .unwrap()
                .is_empty()
        );
        assert_eq!(
            listed(store, &s.nyncj, Listed::OpenReferrals)
                .await
                .unwrap()
                .len(),
            2
        );
        db.clock.advance(chrono::Duration::days(11)); // 2025-10-21
        assert_eq!(
            listed(store, &s.nyncj, Listed::Overdue).await.unwrap(),
            [late]
        );
        assert!(listed(store, &s.jinghe, Listed::Overdue).await.unwrap() == [late]);
        assert!(
            listed(store, &s.changqing, Listed::Overdue)
                .await
                .unwrap()
                .is_empty()
        );
    }
}
