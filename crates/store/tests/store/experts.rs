//! The expert pool in the store, on SQLite and (with LINKONG_TEST_PG) PostgreSQL: experts kept by
//! the units of task 2.1.3 with their phone sealed, public profiles limited to what each expert
//! agreed to, and services to returnees of the out-migrant registry filling 2.1.3 per recording
//! unit, scoped like the people they serve. Bad input is refused naming the field, nothing
//! written.

use linkong_core::access::{Role, Roster};
use linkong_core::experts::{ExpertDraft, ServiceDraft};
use linkong_store::experts::{ExpertFilter, ServiceFilter};
use linkong_store::{Error, Store};
use linkong_testkit::{
    TestClock, account, databases, date, import_rows, plan, resident_id_for, would_be_founder,
};

fn expert(name: &str, consents: &[&str]) -> ExpertDraft {
    ExpertDraft {
        name: name.into(),
        field: "法律".into(),
        organisation: "湖北临空律师事务所".into(),
        title: "合伙人".into(),
        services: vec!["policy".into(), "resources".into()],
        availability: "每周二、周四下午".into(),
        phone: "13812345678".into(),
        intro: "专注中小企业合规".into(),
        consents: consents.iter().map(|c| c.to_string()).collect(),
        status: String::new(),
    }
}

fn service(n: usize, day: &str) -> ServiceDraft {
    ServiceDraft {
        id_number: resident_id_for(n),
        served_on: day.into(),
        kind: "政策咨询".into(),
        hours: "2".into(),
        outcome: "讲解返乡创业补贴政策，协助准备申请材料".into(),
    }
}

fn field_names(error: Error) -> Vec<String> {
    match error {
        Error::Fields(errors) => errors.iter().map(|e| e.to_string()).collect(),
        other => panic!("expected field errors, got {other:?}"),
    }
}

/// The 2025 figure of `unit` on 2.1.3's indicator as the dashboard computes it (hundredths).
async fn figure(store: &Store, unit: &str) -> Option<i64> {
    let figures = store
        .record_figures(&plan(), date(2025, 1, 1), date(2025, 12, 31))
        .await
        .unwrap();
    let progress = linkong_core::progress::compute(&plan(), 2025, date(2025, 10, 10), &figures);
    let found = progress
        .iter()
        .find(|p| p.indicator_code == "2.1.3.expert_services")
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

#[tokio::test]
async fn experts_are_recommended_by_the_units_of_2_1_3_with_the_phone_sealed_and_masked() {
    for db in databases(&TestClock::at(2025, 10, 10, 2)).await {
        let store = &db.store;
        let plan = plan();
        let sfj = account(store, "sfj01", Role::UnitStaff, Some("sfj")).await;
        let jinghe = account(store, "jinghe01", Role::UnitStaff, Some("jinghe")).await;
        let id = store
            .add_expert(&plan, &sfj, &expert("张律师", &["name"]), "")
            .await
            .unwrap();
        let seen = store.expert(&jinghe, id, "").await.unwrap();
        assert_eq!(seen.phone_masked, "138****5678");
        assert_eq!(seen.recommended_by, "sfj");
        assert!(!format!("{seen:?}").contains("13812345678"));

        // A street recommends no experts: refused, audited, nothing written.
        let refused = store
            .add_expert(&plan, &jinghe, &expert("王律师", &["name"]), "10.0.0.9")
            .await
            .unwrap_err();
        assert!(matches!(refused, Error::Forbidden(_)), "{refused:?}");
        let audit = store.recent_audit(1).await.unwrap();
        assert_eq!(audit[0].action, "access.denied");
        assert_eq!(
            store
                .experts(&jinghe, &ExpertFilter::default(), "")
                .await
                .unwrap()
                .len(),
            1
        );

        // An edit with a blank phone keeps it; the lead unit may edit, another unit may not.
        let rsj = account(store, "rsj01", Role::UnitStaff, Some("rsj")).await;
        let mut edit = expert("张律师", &["name", "organisation"]);
        edit.phone = String::new();
        store
            .update_expert(&plan, &rsj, id, &edit, "")
            .await
            .unwrap();
        assert_eq!(
            store.expert(&sfj, id, "").await.unwrap().phone_masked,
            "138****5678"
        );
        let jkj = account(store, "jkj01", Role::UnitStaff, Some("jkj")).await;
        assert!(matches!(
            store.update_expert(&plan, &jkj, id, &edit, "").await,
            Err(Error::Forbidden(_))
        ));
        if db.backend == linkong_store::Backend::Sqlite {
            let pool = sqlx::SqlitePool::connect(&db.url).await.unwrap();
            let stored: Vec<u8> = sqlx::query_scalar("SELECT phone_enc FROM experts")
                .fetch_one(&pool)
                .await
                .unwrap();
            assert!(
                !String::from_utf8_lossy(&stored).contains("13812345678"),
                "sealed at rest"
            );
        }
    }
}

#[tokio::test]
async fn the_public_profile_shows_only_what_the_expert_agreed_to_publish() {
    for db in databases(&TestClock::at(2025, 10, 10, 2)).await {
        let store = &db.store;
        let plan = plan();
        let sfj = account(store, "sfj01", Role::UnitStaff, Some("sfj")).await;
        let open = store
            .add_expert(&plan, &sfj, &expert("张律师", &["name", "field"]), "")
            .await
            .unwrap();
        let unnamed = store
            .add_expert(
                &plan,
                &sfj,
                &expert("李律师", &["organisation", "field"]),
                "",
            )
            .await
            .unwrap();
        let public = store.public_expert(open).await.unwrap();
        assert_eq!(public.name, "张律师");
        assert_eq!(public.field.map(|f| f.label()), Some("法律"));
        assert_eq!(
            public.organisation, None,
            "the organisation was not agreed to"
        );
        assert_eq!(public.intro, None);
        assert!(matches!(
            store.public_expert(unnamed).await,
            Err(Error::NotFound(_))
        ));
        let listed = store.public_experts(None).await.unwrap();
        assert_eq!(listed.iter().map(|e| e.id).collect::<Vec<_>>(), [open]);
    }
}

#[tokio::test]
async fn services_fill_2_1_3_for_the_recording_unit_and_are_read_within_scope() {
    for db in databases(&TestClock::at(2025, 10, 10, 2)).await {
        let store = &db.store;
        let plan = plan();
        let rows = vec![
            would_be_founder(1, "返区人员", "径河"),
            would_be_founder(2, "返区人员", "长青"),
        ];
        import_rows(store, "rsj", Roster::Migrants, rows, true)
            .await
            .unwrap()
            .unwrap();
        let sfj = account(store, "sfj01", Role::UnitStaff, Some("sfj")).await;
        let rsj = account(store, "rsj01", Role::UnitStaff, Some("rsj")).await;
        let jkj = account(store, "jkj01", Role::UnitStaff, Some("jkj")).await;
        let id = store
            .add_expert(&plan, &sfj, &expert("张律师", &["name"]), "")
            .await
            .unwrap();
        store
            .record_expert_service(&plan, &sfj, id, &service(1, "2025-09-20"), "")
            .await
            .unwrap();
        store
            .record_expert_service(&plan, &rsj, id, &service(2, "2025-10-09"), "")
            .await
            .unwrap();
        assert!(matches!(
            store
                .record_expert_service(&plan, &jkj, id, &service(1, "2025-09-21"), "")
                .await,
            Err(Error::Forbidden(_))
        ));
        assert_eq!(figure(store, "sfj").await, Some(1_00), "{:?}", db.backend);
        assert_eq!(figure(store, "rsj").await, Some(1_00));
        assert_eq!(figure(store, "").await, Some(2_00));
        assert_tallies_equal_rows(store).await;
        let kept = store.stored_tallies().await.unwrap();
        store.rebuild_figures().await.unwrap();
        assert_eq!(kept, store.stored_tallies().await.unwrap());

        let all = ServiceFilter::default();
        let seen = |who: linkong_core::access::Actor| {
            let all = all.clone();
            let plan = plan.clone();
            async move {
                store
                    .expert_services(&plan, &who, &all, "")
                    .await
                    .map(|s| s.len())
            }
        };
        let jinghe = account(store, "jinghe01", Role::UnitStaff, Some("jinghe")).await;
        assert_eq!(seen(jinghe).await.unwrap(), 1, "its own resident only");
        assert_eq!(seen(sfj.clone()).await.unwrap(), 2, "its expert's services");
        assert_eq!(seen(jkj).await.unwrap(), 0);
        let xzspj = account(store, "xzspj01", Role::UnitStaff, Some("xzspj")).await;
        assert!(matches!(seen(xzspj).await, Err(Error::Forbidden(_))));
        let listed = store.expert_services(&plan, &rsj, &all, "").await.unwrap();
        assert_eq!(listed[0].person_name, "返区人员2");
        assert_eq!(listed[0].hours, 200);
        assert!(listed[0].id_masked.contains("********"));
    }
}

#[tokio::test]
async fn bad_services_are_refused_naming_the_field_and_nothing_is_written() {
    for db in databases(&TestClock::at(2025, 10, 10, 2)).await {
        let store = &db.store;
        let plan = plan();
        import_rows(
            store,
            "rsj",
            Roster::Migrants,
            vec![would_be_founder(1, "返区人员", "径河")],
            true,
        )
        .await
        .unwrap()
        .unwrap();
        let sfj = account(store, "sfj01", Role::UnitStaff, Some("sfj")).await;
        let id = store
            .add_expert(&plan, &sfj, &expert("张律师", &["name"]), "")
            .await
            .unwrap();
        let tallies = store.stored_tallies().await.unwrap();
        let mut future = service(1, "2025-10-11");
        future.hours = "0".into();
        let errors = field_names(
            store
                .record_expert_service(&plan, &sfj, id, &future, "")
                .await
                .unwrap_err(),
        );
        assert_eq!(
            errors,
            [
                "服务日期：2025-10-11 晚于今天",
                "服务时长（小时）：须大于 0"
            ]
        );
        let mut long = service(1, "2025-10-01");
        long.hours = "25".into();
        let errors = field_names(
            store
                .record_expert_service(&plan, &sfj, id, &long, "")
                .await
                .unwrap_err(),
        );
        assert!(errors[0].starts_with("服务时长（小时）"), "{errors:?}");
        let unknown = service(9, "2025-10-01");
        let errors = field_names(
            store
                .record_expert_service(&plan, &sfj, id, &unknown, "")
                .await
                .unwrap_err(),
        );
        assert!(
            errors[0].starts_with("返区人员身份证号码")
                && errors[0].contains("未登记在外出就业人员信息库"),
            "{errors:?}"
        );
        // A retired expert takes no new service.
        let mut retired = expert("张律师", &["name"]);
        retired.status = "retired".into();
        store
            .update_expert(&plan, &sfj, id, &retired, "")
            .await
            .unwrap();
        assert!(matches!(
            store
                .record_expert_service(&plan, &sfj, id, &service(1, "2025-10-01"), "")
                .await,
            Err(Error::Conflict(_))
        ));
        assert!(
            store
                .expert_services(&plan, &sfj, &ServiceFilter::default(), "")
                .await
                .unwrap()
                .is_empty()
        );
        assert_eq!(store.stored_tallies().await.unwrap(), tallies);
        // A bad expert is refused naming its fields, and not added.
        let mut bad = expert("", &["name"]);
        bad.services.clear();
        let errors = field_names(store.add_expert(&plan, &sfj, &bad, "").await.unwrap_err());
        assert_eq!(errors, ["姓名：不能为空", "服务内容：请至少选择一项"]);
        assert_eq!(
            store
                .experts(&sfj, &ExpertFilter::default(), "")
                .await
                .unwrap()
                .len(),
            1
        );
    }
}
