//! Failure support (task 2.3.4) in the store, on SQLite and (with LINKONG_TEST_PG) PostgreSQL:
//! closing a returnee business opens one case per founder in the closure's transaction; steps
//! of 2.3.4's units fill 2.3.4.support_steps for their unit on their done day (figure == rows ==
//! rebuild); bad input writes nothing; every path is scoped (a street its own cases, a unit
//! the cases with its steps, 区人社局 all).

use linkong_core::access::{Actor, Role, Roster};
use linkong_core::businesses::{BusinessDraft, BusinessStatus};
use linkong_core::failure::{
    CaseDraft, CloseDraft, FailureOutcome, FailureStatus, StepDraft, StepKind, StepStatus,
};
use linkong_store::failure::{CaseFilter, CaseListed};
use linkong_store::{Error, Store};
use linkong_testkit::{
    TestClock, account, databases, date, field_errors, import_rows, plan, resident_id_for,
    unit_figures, uscc_for, would_be_founder,
};

const INDICATOR: &str = "2.3.4.support_steps";

fn business(n: usize, street: &str, founders: &[usize]) -> BusinessDraft {
    BusinessDraft {
        name: format!("径河返乡创业{n}号店"),
        uscc: uscc_for(n),
        licensed_on: "2025-04-01".into(),
        legal_form: "individual_business".into(),
        section: "F".into(),
        forms: vec!["live_commerce".into()],
        street: street.into(),
        site: "径河街道".into(),
        founders: founders
            .iter()
            .map(|n| resident_id_for(*n))
            .collect::<Vec<_>>()
            .join("\n"),
        keep_founders: false,
    }
}

fn step(kind: &str, unit: &str, planned_on: &str, done_on: &str) -> StepDraft {
    StepDraft {
        kind: kind.into(),
        unit: unit.into(),
        planned_on: planned_on.into(),
        done_on: done_on.into(),
        note: "电话回访，推荐岗位并讲解政策".into(),
    }
}

struct Staff {
    jinghe: Actor,
    changqing: Actor,
    rsj: Actor,
    mzj: Actor,
    czj: Actor,
    swj: Actor,
}

/// Residents 1 and 2 of 径河, 3 of 长青; a business of 径河 founded by 1 and 2 (and a second
/// one by 1, their restart); the staff of the units the tests act as.
async fn setup(store: &Store) -> (Staff, i64, i64) {
    let rows = vec![
        would_be_founder(1, "创业者", "径河"),
        would_be_founder(2, "创业者", "径河"),
        would_be_founder(3, "创业者", "长青"),
    ];
    import_rows(store, "rsj", Roster::Migrants, rows, true)
        .await
        .unwrap()
        .unwrap();
    let s = Staff {
        jinghe: account(store, "jinghe01", Role::UnitStaff, Some("jinghe")).await,
        changqing: account(store, "changqing01", Role::UnitStaff, Some("changqing")).await,
        rsj: account(store, "rsj01", Role::UnitStaff, Some("rsj")).await,
        mzj: account(store, "mzj01", Role::UnitStaff, Some("mzj")).await,
        czj: account(store, "czj01", Role::UnitStaff, Some("czj")).await,
        swj: account(store, "swj01", Role::UnitStaff, Some("swj")).await,
    };
    let plan = plan();
    let failed = store
        .save_business(&plan, &s.jinghe, None, &business(1, "径河", &[1, 2]), "")
        .await
        .unwrap();
    let restart = store
        .save_business(&plan, &s.jinghe, None, &business(2, "径河", &[1]), "")
        .await
        .unwrap();
    (s, failed, restart)
}

async fn close(store: &Store, actor: &Actor, business: i64) -> Result<(), Error> {
    store
        .change_business_status(
            &plan(),
            actor,
            business,
            ("closed", "2025-09-30", "直播流量下滑，资金链断裂"),
            "",
        )
        .await
}

async fn cases(store: &Store, actor: &Actor, listed: CaseListed) -> Result<Vec<i64>, Error> {
    let filter = CaseFilter {
        listed,
        ..CaseFilter::default()
    };
    let found = store.failure_cases(&plan(), actor, &filter, "").await?;
    Ok(found.iter().map(|c| c.id).collect())
}

/// The 2025 figure of `unit` on 2.3.4's indicator (hundredths), the same from the tallies and
/// from the rows; "" for the district.
async fn figure(store: &Store, unit: &str) -> Option<i64> {
    if !unit.is_empty() {
        let (tallied, counted) =
            unit_figures(store, INDICATOR, unit, 2025, date(2025, 10, 10)).await;
        assert_eq!(tallied, counted, "{unit}: tallies and rows");
        return tallied;
    }
    let figures = store
        .record_figures(&plan(), date(2025, 1, 1), date(2025, 12, 31))
        .await
        .unwrap();
    let progress = linkong_core::progress::compute(&plan(), 2025, date(2025, 10, 10), &figures);
    progress
        .iter()
        .find(|p| p.indicator_code == INDICATOR)
        .unwrap()
        .district
        .actual
}

/// The year's figures from the tallies equal those counted from the rows, and a rebuild from
/// the rows keeps the same tallies.
async fn assert_figure_is_rows_is_rebuild(store: &Store) {
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
    let kept = store.stored_tallies().await.unwrap();
    store.rebuild_figures().await.unwrap();
    assert_eq!(kept, store.stored_tallies().await.unwrap());
}

#[tokio::test]
async fn closing_a_business_opens_exactly_one_case_per_registered_founder() {
    for db in databases(&TestClock::at(2025, 10, 10, 2)).await {
        let (store, plan) = (&db.store, plan());
        let (s, failed, restart) = setup(store).await;
        // Suspending opens nothing.
        store
            .change_business_status(
                &plan,
                &s.jinghe,
                restart,
                ("suspended", "2025-08-01", ""),
                "",
            )
            .await
            .unwrap();
        assert!(
            cases(store, &s.rsj, CaseListed::All)
                .await
                .unwrap()
                .is_empty()
        );

        close(store, &s.jinghe, failed).await.unwrap();
        let opened = store
            .failure_cases(&plan, &s.jinghe, &CaseFilter::default(), "")
            .await
            .unwrap();
        let mut names: Vec<&str> = opened.iter().map(|c| c.name.as_str()).collect();
        names.sort();
        assert_eq!(names, ["创业者1", "创业者2"], "{:?}", db.backend);
        for case in &opened {
            assert_eq!(case.business_id, Some(failed));
            assert_eq!(case.business_name, "径河返乡创业1号店");
            assert_eq!(case.street_code, "jinghe");
            assert_eq!(case.opened_on, date(2025, 9, 30));
            assert_eq!(case.business_closed_on, date(2025, 9, 30));
            assert_eq!(case.close_reason, "直播流量下滑，资金链断裂");
            assert_eq!(case.status, FailureStatus::Open);
            assert!(case.id_masked.contains("********"), "masked");
        }
        let audit = &store.recent_audit(1).await.unwrap()[0];
        assert_eq!(audit.action, "business.status");
        assert!(
            audit.detail.contains("建立创业失败帮扶档案 2 份"),
            "{}",
            audit.detail
        );
        // The business's page lists its cases.
        let about = CaseFilter {
            business_id: Some(failed),
            ..CaseFilter::default()
        };
        let listed = store
            .failure_cases_about(&plan, &s.jinghe, &about)
            .await
            .unwrap();
        assert_eq!(listed.len(), 2);
    }
}

#[tokio::test]
async fn if_the_case_cannot_be_written_the_business_stays_open() {
    for db in databases(&TestClock::at(2025, 10, 10, 2)).await {
        let (store, plan) = (&db.store, plan());
        let (s, failed, _) = setup(store).await;
        let founder = store
            .business(&plan, &s.jinghe, failed, "")
            .await
            .unwrap()
            .business
            .founders[1]
            .person_id;
        // A case for the second founder already stands in the way (the table's unique key),
        // so the closure's second case cannot be written.
        let blocker = "INSERT INTO failure_cases (person_id, business_id, business_name, business_closed_on, \
             close_reason, street_code, opened_on, wants_restart, outcome_note, created_by, created_at) \
             VALUES ($1, $2, 'x', '2025-09-01', 'x', 'jinghe', '2025-09-01', FALSE, '', $3, '2025-09-01T00:00:00+00:00')";
        let remove = "DELETE FROM failure_cases";
        let run = |sql: &'static str| {
            let url = db.url.clone();
            let backend = db.backend;
            let user = s.jinghe.user_id;
            async move {
                // The delete takes no arguments: only the insert binds the three.
                let binds = sql.contains("$1");
                if backend == linkong_store::Backend::Sqlite {
                    let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
                    let query = sqlx::query(sql);
                    let query = if binds {
                        query.bind(founder).bind(failed).bind(user)
                    } else {
                        query
                    };
                    query.execute(&pool).await.unwrap();
                    pool.close().await;
                } else {
                    let pool = sqlx::PgPool::connect(&url).await.unwrap();
                    let query = sqlx::query(sql);
                    let query = if binds {
                        query.bind(founder).bind(failed).bind(user)
                    } else {
                        query
                    };
                    query.execute(&pool).await.unwrap();
                    pool.close().await;
                }
            }
        };
        run(blocker).await;
        let audit_before = store.recent_audit(1).await.unwrap()[0].id;
        assert!(close(store, &s.jinghe, failed).await.is_err());
        let kept = store.business(&plan, &s.jinghe, failed, "").await.unwrap();
        assert_eq!(kept.business.status, BusinessStatus::Operating);
        assert_eq!(kept.history.len(), 1, "no closure in the history");
        assert_eq!(store.recent_audit(1).await.unwrap()[0].id, audit_before);
        assert_eq!(
            cases(store, &s.rsj, CaseListed::All).await.unwrap().len(),
            1
        );

        run(remove).await;
        close(store, &s.jinghe, failed).await.unwrap();
        assert_eq!(
            cases(store, &s.rsj, CaseListed::All).await.unwrap().len(),
            2
        );
    }
}

#[tokio::test]
async fn steps_done_count_for_their_unit_on_their_done_day_figure_equals_rows_and_rebuild() {
    for db in databases(&TestClock::at(2025, 10, 10, 2)).await {
        let (store, plan) = (&db.store, plan());
        let (s, failed, _) = setup(store).await;
        close(store, &s.jinghe, failed).await.unwrap();
        let ids = cases(store, &s.jinghe, CaseListed::All).await.unwrap();
        let case = ids[0];
        store
            .add_failure_step(
                &plan,
                &s.jinghe,
                case,
                &step("就业服务", "rsj", "2025-10-08", "2025-10-08"),
                "",
            )
            .await
            .unwrap();
        store
            .add_failure_step(
                &plan,
                &s.rsj,
                case,
                &step("employment_aid", "jinghe", "2025-10-01", "2025-10-02"),
                "",
            )
            .await
            .unwrap();
        let relief = store
            .add_failure_step(
                &plan,
                &s.jinghe,
                case,
                &step("社会救助", "mzj", "2025-10-05", ""),
                "",
            )
            .await
            .unwrap();
        assert_eq!(figure(store, "rsj").await, Some(1_00), "{:?}", db.backend);
        assert_eq!(figure(store, "jinghe").await, Some(1_00));
        assert_eq!(
            figure(store, "mzj").await,
            None,
            "planned steps do not count"
        );
        assert_figure_is_rows_is_rebuild(store).await;

        // The relief step is overdue; 区民政局 sees the case and records its own step.
        assert_eq!(
            cases(store, &s.jinghe, CaseListed::Overdue).await.unwrap(),
            [case]
        );
        assert_eq!(cases(store, &s.mzj, CaseListed::All).await.unwrap(), [case]);
        store
            .record_step_done(&plan, &s.mzj, (case, relief), "2025-10-09", "")
            .await
            .unwrap();
        assert_eq!(figure(store, "mzj").await, Some(1_00));
        assert_eq!(figure(store, "").await, Some(3_00));
        assert!(
            cases(store, &s.jinghe, CaseListed::Overdue)
                .await
                .unwrap()
                .is_empty()
        );
        assert!(matches!(
            store
                .record_step_done(&plan, &s.mzj, (case, relief), "2025-10-09", "")
                .await,
            Err(Error::Conflict(_))
        ));
        assert_figure_is_rows_is_rebuild(store).await;
        let detail = store.failure_case(&plan, &s.mzj, case, "").await.unwrap();
        assert!(
            detail
                .case
                .steps
                .iter()
                .all(|s| s.status == StepStatus::Done)
        );
    }
}

/// The fields named when `actor` adds `draft` to `case` (which must be refused).
async fn refused_step(store: &Store, actor: &Actor, case: i64, draft: StepDraft) -> Vec<String> {
    field_errors(
        store
            .add_failure_step(&plan(), actor, case, &draft, "")
            .await
            .unwrap_err(),
    )
}

#[tokio::test]
async fn bad_steps_closings_and_openings_are_refused_and_nothing_is_written() {
    for db in databases(&TestClock::at(2025, 10, 10, 2)).await {
        let (store, plan) = (&db.store, plan());
        let (s, failed, _) = setup(store).await;
        close(store, &s.jinghe, failed).await.unwrap();
        let case = cases(store, &s.jinghe, CaseListed::All).await.unwrap()[0];
        let tallies = store.stored_tallies().await.unwrap();
        let add = |draft: StepDraft| refused_step(store, &s.jinghe, case, draft);
        assert_eq!(
            add(step("就业服务", "rsj", "", "")).await,
            ["计划日期：请填写计划日期"]
        );
        let foreign = add(step("就业服务", "swj", "2025-10-20", "")).await;
        assert!(
            foreign[0].starts_with("责任单位：") && foreign[0].contains("不是任务 2.3.4"),
            "{foreign:?}"
        );
        let unknown = add(step("就业服务", "nowhere", "2025-10-20", "")).await;
        assert!(unknown[0].starts_with("责任单位："), "{unknown:?}");
        let restart = add(step("融资贷款", "rsj", "2025-10-20", "")).await;
        assert!(
            restart[0].starts_with("帮扶措施：") && restart[0].contains("再创业意愿"),
            "{restart:?}"
        );
        assert_eq!(
            add(step("就业服务", "rsj", "2025-10-01", "2025-10-11")).await,
            ["完成日期：2025-10-11 晚于今天"]
        );
        assert_eq!(
            field_errors(
                store
                    .close_failure_case(
                        &plan,
                        &s.jinghe,
                        case,
                        &CloseDraft {
                            closed_on: "2025-10-09".into(),
                            ..CloseDraft::default()
                        },
                        ""
                    )
                    .await
                    .unwrap_err()
            ),
            ["帮扶结果：请选择帮扶结果"]
        );
        // A street opening a case for a person of another street: refused and audited.
        let other = CaseDraft {
            id_number: resident_id_for(3),
            business_name: "长青烧烤店".into(),
            business_closed_on: "2024-05-01".into(),
            reason: "房租上涨".into(),
            opened_on: "2025-10-09".into(),
            wants_restart: false,
        };
        assert!(matches!(
            store
                .open_failure_case(&plan, &s.jinghe, &other, "10.0.0.9")
                .await,
            Err(Error::Forbidden(_))
        ));
        let audit = &store.recent_audit(1).await.unwrap()[0];
        assert_eq!(audit.action, "access.denied");
        assert!(
            audit.target.starts_with("failure:person:"),
            "{}",
            audit.target
        );
        // A unit outside the case cannot plan its steps.
        assert!(matches!(
            store
                .add_failure_step(
                    &plan,
                    &s.mzj,
                    case,
                    &step("社会救助", "mzj", "2025-10-20", ""),
                    ""
                )
                .await,
            Err(Error::Forbidden(_))
        ));

        let detail = store.failure_case(&plan, &s.rsj, case, "").await.unwrap();
        assert!(detail.case.steps.is_empty(), "no step written");
        assert_eq!(detail.case.outcome, None);
        assert_eq!(
            cases(store, &s.rsj, CaseListed::All).await.unwrap().len(),
            2
        );
        assert_eq!(store.stored_tallies().await.unwrap(), tallies);
    }
}

#[tokio::test]
async fn a_street_reads_only_its_cases_and_is_refused_and_audited_otherwise() {
    for db in databases(&TestClock::at(2025, 10, 10, 2)).await {
        let (store, plan) = (&db.store, plan());
        let (s, failed, _) = setup(store).await;
        close(store, &s.jinghe, failed).await.unwrap();
        let case = cases(store, &s.rsj, CaseListed::All).await.unwrap()[0];
        assert!(
            cases(store, &s.changqing, CaseListed::All)
                .await
                .unwrap()
                .is_empty()
        );
        let refused = store
            .failure_case(&plan, &s.changqing, case, "10.1.2.3")
            .await
            .unwrap_err();
        assert!(matches!(refused, Error::Forbidden(_)), "{refused:?}");
        let audit = &store.recent_audit(1).await.unwrap()[0];
        assert_eq!(
            (audit.action.as_str(), audit.target.clone()),
            ("access.denied", format!("failure_case:{case}"))
        );
        // Asking for another street's list.
        let other_street = CaseFilter {
            street: Some("jinghe".into()),
            ..CaseFilter::default()
        };
        assert!(matches!(
            store
                .failure_cases(&plan, &s.changqing, &other_street, "")
                .await,
            Err(Error::Forbidden(_))
        ));
        // A cooperating unit with no step sees nothing; a unit outside 2.3.4 is refused.
        assert!(
            cases(store, &s.czj, CaseListed::All)
                .await
                .unwrap()
                .is_empty()
        );
        assert!(matches!(
            store.failure_case(&plan, &s.czj, case, "").await,
            Err(Error::Forbidden(_))
        ));
        assert!(matches!(
            cases(store, &s.swj, CaseListed::All).await,
            Err(Error::Forbidden(_))
        ));
        // A step given to 区民政局 opens the case to it, and only its own steps to record.
        let planned = store
            .add_failure_step(
                &plan,
                &s.jinghe,
                case,
                &step("就业服务", "rsj", "2025-10-20", ""),
                "",
            )
            .await
            .unwrap();
        store
            .add_failure_step(
                &plan,
                &s.jinghe,
                case,
                &step("社会救助", "mzj", "2025-10-20", ""),
                "",
            )
            .await
            .unwrap();
        assert_eq!(cases(store, &s.mzj, CaseListed::All).await.unwrap(), [case]);
        assert!(matches!(
            store
                .record_step_done(&plan, &s.mzj, (case, planned), "2025-10-09", "")
                .await,
            Err(Error::Forbidden(_))
        ));
        assert!(matches!(
            store
                .record_step_done(&plan, &s.changqing, (case, planned), "2025-10-09", "")
                .await,
            Err(Error::Forbidden(_))
        ));
    }
}

#[tokio::test]
async fn a_case_closes_with_restart_linking_the_new_business_and_takes_no_step_after() {
    for db in databases(&TestClock::at(2025, 10, 10, 2)).await {
        let (store, plan) = (&db.store, plan());
        let (s, failed, restart) = setup(store).await;
        close(store, &s.jinghe, failed).await.unwrap();
        let opened = store
            .failure_cases(&plan, &s.jinghe, &CaseFilter::default(), "")
            .await
            .unwrap();
        let case = opened.iter().find(|c| c.name == "创业者1").unwrap().id;
        // The wish to start again opens the restart steps.
        store
            .set_failure_restart(&plan, &s.jinghe, case, true, "")
            .await
            .unwrap();
        store
            .add_failure_step(
                &plan,
                &s.jinghe,
                case,
                &step("融资贷款", "rsj", "2025-10-05", "2025-10-06"),
                "",
            )
            .await
            .unwrap();
        assert!(matches!(
            store
                .set_failure_restart(&plan, &s.jinghe, case, false, "")
                .await,
            Err(Error::Conflict(_))
        ));
        let mut draft = CloseDraft {
            outcome: "再创业".into(),
            closed_on: "2025-10-09".into(),
            new_business: failed.to_string(),
            note: "获创业担保贷款 20 万元，重新开业".into(),
        };
        assert_eq!(
            field_errors(
                store
                    .close_failure_case(&plan, &s.jinghe, case, &draft, "")
                    .await
                    .unwrap_err()
            ),
            ["新创业主体：该主体不是此人创办的其他在册创业主体"]
        );
        draft.new_business = restart.to_string();
        assert!(matches!(
            store
                .close_failure_case(&plan, &s.changqing, case, &draft, "")
                .await,
            Err(Error::Forbidden(_))
        ));
        store
            .close_failure_case(&plan, &s.rsj, case, &draft, "")
            .await
            .unwrap();
        let closed = store
            .failure_case(&plan, &s.jinghe, case, "")
            .await
            .unwrap()
            .case;
        assert_eq!(closed.outcome, Some(FailureOutcome::Restarted));
        assert_eq!(closed.new_business_id, Some(restart));
        assert_eq!(
            closed.new_business_name.as_deref(),
            Some("径河返乡创业2号店")
        );
        assert_eq!(closed.status, FailureStatus::Closed);
        assert_eq!(closed.steps[0].kind, StepKind::Financing);
        assert!(matches!(
            store
                .add_failure_step(
                    &plan,
                    &s.jinghe,
                    case,
                    &step("就业服务", "rsj", "2025-10-20", ""),
                    ""
                )
                .await,
            Err(Error::Conflict(_))
        ));
        assert!(matches!(
            store
                .close_failure_case(&plan, &s.jinghe, case, &draft, "")
                .await,
            Err(Error::Conflict(_))
        ));
        assert_eq!(
            cases(store, &s.jinghe, CaseListed::Closed).await.unwrap(),
            [case]
        );
        assert_eq!(
            cases(store, &s.jinghe, CaseListed::Open)
                .await
                .unwrap()
                .len(),
            1
        );
        // The new business's page lists the case too.
        let about = CaseFilter {
            business_id: Some(restart),
            ..CaseFilter::default()
        };
        assert_eq!(
            store
                .failure_cases_about(&plan, &s.jinghe, &about)
                .await
                .unwrap()
                .len(),
            1
        );
    }
}

#[tokio::test]
async fn a_case_is_opened_by_hand_for_the_persons_household_street() {
    for db in databases(&TestClock::at(2025, 10, 10, 2)).await {
        let (store, plan) = (&db.store, plan());
        let (s, _, _) = setup(store).await;
        let draft = CaseDraft {
            id_number: resident_id_for(3),
            business_name: "长青烧烤店".into(),
            business_closed_on: "2024-05-01".into(),
            reason: "房租上涨，客源不足".into(),
            opened_on: "2025-10-09".into(),
            wants_restart: true,
        };
        let id = store
            .open_failure_case(&plan, &s.rsj, &draft, "")
            .await
            .unwrap();
        let case = store
            .failure_case(&plan, &s.changqing, id, "")
            .await
            .unwrap()
            .case;
        assert_eq!(case.street_code, "changqing");
        assert_eq!(case.business_id, None);
        assert!(case.wants_restart);
        assert_eq!(
            store.recent_audit(1).await.unwrap()[0].action,
            "failure.open"
        );
        let by_street = store
            .open_failure_case(&plan, &s.changqing, &draft, "")
            .await
            .unwrap();
        assert_ne!(by_street, id);
        // Someone not in the registry.
        let stranger = CaseDraft {
            id_number: resident_id_for(9),
            ..draft
        };
        let errors = field_errors(
            store
                .open_failure_case(&plan, &s.rsj, &stranger, "")
                .await
                .unwrap_err(),
        );
        assert!(
            errors[0].starts_with("身份证号码") && errors[0].contains("未在平台登记"),
            "{errors:?}"
        );
        // A unit that keeps no cases cannot open the form.
        assert!(matches!(
            store.open_failure_case(&plan, &s.mzj, &stranger, "").await,
            Err(Error::Forbidden(_))
        ));
        // The person's page lists their cases.
        let about = CaseFilter {
            person_id: Some(case.person_id),
            ..CaseFilter::default()
        };
        assert_eq!(
            store
                .failure_cases_about(&plan, &s.changqing, &about)
                .await
                .unwrap()
                .len(),
            2
        );
    }
}
