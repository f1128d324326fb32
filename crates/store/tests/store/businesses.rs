//! Returnee businesses in the store, on SQLite and (with LINKONG_TEST_PG) PostgreSQL: founders
//! from the out-migrant registry, employment snapshots, status changes; a street keeps and sees
//! only its own street's businesses, the units leading part 二 any street's; bad input writes
//! nothing.

use linkong_core::access::{Actor, Role, Roster};
use linkong_core::businesses::{BusinessDraft, BusinessStatus};
use linkong_store::businesses::BusinessFilter;
use linkong_store::{Error, Store};
use linkong_testkit::{
    TestClock, account, databases, date, field_errors, import_rows, plan, resident_id_for,
    uscc_for, would_be_founder,
};

fn business(n: usize, street: &str, founders: &[usize]) -> BusinessDraft {
    BusinessDraft {
        name: format!("临空港返乡创业{n}号店"),
        uscc: uscc_for(n),
        licensed_on: "2025-04-01".into(),
        legal_form: "individual_business".into(),
        section: "F".into(),
        forms: vec!["live_commerce".into()],
        street: street.into(),
        site: "柏泉茅庙集".into(),
        founders: founders
            .iter()
            .map(|n| resident_id_for(*n))
            .collect::<Vec<_>>()
            .join("\n"),
        keep_founders: false,
    }
}

/// Residents 1 and 2 of 径河, 3 of 长青; the staff of 径河, 长青, 区人社局 and 区商务局.
async fn setup(store: &Store) -> (Actor, Actor, Actor, Actor) {
    let rows = vec![
        would_be_founder(1, "创业者", "径河"),
        would_be_founder(2, "创业者", "径河"),
        would_be_founder(3, "创业者", "长青"),
    ];
    import_rows(store, "rsj", Roster::Migrants, rows, true)
        .await
        .unwrap()
        .unwrap();
    (
        account(store, "jinghe01", Role::UnitStaff, Some("jinghe")).await,
        account(store, "changqing01", Role::UnitStaff, Some("changqing")).await,
        account(store, "rsj01", Role::UnitStaff, Some("rsj")).await,
        account(store, "swj01", Role::UnitStaff, Some("swj")).await,
    )
}

async fn count(store: &Store, actor: &Actor) -> usize {
    store
        .businesses(&plan(), actor, &BusinessFilter::default(), "")
        .await
        .unwrap()
        .len()
}

#[tokio::test]
async fn a_street_registers_a_business_founded_by_its_returnees() {
    for db in databases(&TestClock::at(2025, 10, 10, 2)).await {
        let (store, plan) = (&db.store, plan());
        let (jinghe, _, _, _) = setup(store).await;
        let id = store
            .save_business(&plan, &jinghe, None, &business(1, "径河", &[1, 2]), "")
            .await
            .unwrap();
        let detail = store.business(&plan, &jinghe, id, "").await.unwrap();
        let b = &detail.business;
        assert_eq!(b.street_code, "jinghe");
        assert_eq!(b.status, BusinessStatus::Operating);
        assert_eq!(b.status_on, date(2025, 4, 1));
        let founders: Vec<&str> = b.founders.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(founders, ["创业者1", "创业者2"]);
        assert!(b.founders[0].id_masked.contains("********"), "masked");
        assert_eq!(detail.history.len(), 1);
        let audit = store.recent_audit(1).await.unwrap();
        assert_eq!(audit[0].action, "business.create");

        // A change that leaves the founders empty keeps them.
        let mut renamed = business(1, "径河", &[]);
        renamed.name = "径河返乡直播电商中心".into();
        renamed.keep_founders = true;
        store
            .save_business(&plan, &jinghe, Some(id), &renamed, "")
            .await
            .unwrap();
        let changed = store
            .business(&plan, &jinghe, id, "")
            .await
            .unwrap()
            .business;
        assert_eq!(changed.name, "径河返乡直播电商中心");
        assert_eq!(changed.founders.len(), 2);
        assert_eq!(
            store.recent_audit(1).await.unwrap()[0].action,
            "business.update"
        );

        // Employees over time: the latest snapshot shows on the list.
        store
            .record_employment(&plan, &jinghe, id, ("2025-06-30", "3", "2"), "")
            .await
            .unwrap();
        store
            .record_employment(&plan, &jinghe, id, ("2025-09-30", "6", "4"), "")
            .await
            .unwrap();
        let list = store
            .businesses(&plan, &jinghe, &BusinessFilter::default(), "")
            .await
            .unwrap();
        assert_eq!((list[0].headcount, list[0].insured), (Some(6), Some(4)));
        assert_eq!(list[0].founders.len(), 2);

        // Suspended, then closed with a reason; a closed business stays closed.
        for (status, on, reason) in [
            ("suspended", "2025-08-01", ""),
            ("closed", "2025-09-30", "客源不足"),
        ] {
            store
                .change_business_status(&plan, &jinghe, id, (status, on, reason), "")
                .await
                .unwrap();
        }
        let detail = store.business(&plan, &jinghe, id, "").await.unwrap();
        assert_eq!(detail.business.status, BusinessStatus::Closed);
        assert_eq!(detail.business.close_reason, "客源不足");
        assert_eq!(detail.history.len(), 3);
        let errors = field_errors(
            store
                .change_business_status(&plan, &jinghe, id, ("operating", "2025-10-01", ""), "")
                .await
                .unwrap_err(),
        );
        assert!(errors[0].starts_with("经营状态"), "{errors:?}");

        // The founder's page finds the business.
        let person = b.founders[0].person_id;
        let founded = store
            .businesses_of_person(&plan, &jinghe, person, "")
            .await
            .unwrap();
        assert_eq!(founded.len(), 1);
    }
}

#[tokio::test]
async fn bad_input_names_the_field_and_writes_nothing() {
    for db in databases(&TestClock::at(2025, 10, 10, 2)).await {
        let (store, plan) = (&db.store, plan());
        let (jinghe, _, rsj, _) = setup(store).await;

        // An invalid USCC.
        let mut bad = business(1, "径河", &[1]);
        bad.uscc.pop();
        bad.uscc.push('?');
        let errors = field_errors(
            store
                .save_business(&plan, &jinghe, None, &bad, "")
                .await
                .unwrap_err(),
        );
        assert_eq!(errors.len(), 1);
        assert!(errors[0].starts_with("统一社会信用代码"), "{errors:?}");

        // A licence date in the future.
        let mut bad = business(1, "径河", &[1]);
        bad.licensed_on = "2025-10-11".into();
        let errors = field_errors(
            store
                .save_business(&plan, &jinghe, None, &bad, "")
                .await
                .unwrap_err(),
        );
        assert_eq!(errors, ["登记日期：2025-10-11 晚于今天"]);

        // A founder not in the registry, named by position; one of another street for a street.
        let errors = field_errors(
            store
                .save_business(&plan, &jinghe, None, &business(1, "径河", &[1, 9, 3]), "")
                .await
                .unwrap_err(),
        );
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert!(
            errors[0].starts_with("创办人：第2个")
                && errors[0].contains("未登记在外出就业人员信息库")
        );
        assert!(errors[1].starts_with("创办人：第3个") && errors[1].contains("不是本街道户籍人员"));
        assert_eq!(count(store, &rsj).await, 0, "nothing written");

        // Insured more than the headcount; closing without a reason.
        let id = store
            .save_business(&plan, &jinghe, None, &business(1, "径河", &[1]), "")
            .await
            .unwrap();
        let errors = field_errors(
            store
                .record_employment(&plan, &jinghe, id, ("2025-09-30", "3", "5"), "")
                .await
                .unwrap_err(),
        );
        assert_eq!(errors, ["参保人数：参保人数（5）不能多于从业人数（3）"]);
        let errors = field_errors(
            store
                .change_business_status(&plan, &jinghe, id, ("closed", "2025-09-30", " "), "")
                .await
                .unwrap_err(),
        );
        assert_eq!(errors, ["关闭原因：不能为空"]);
        let detail = store.business(&plan, &jinghe, id, "").await.unwrap();
        assert!(detail.employment.is_empty());
        assert_eq!(detail.business.status, BusinessStatus::Operating);

        // The same USCC twice.
        let mut twin = business(2, "径河", &[2]);
        twin.uscc = uscc_for(1);
        let errors = field_errors(
            store
                .save_business(&plan, &jinghe, None, &twin, "")
                .await
                .unwrap_err(),
        );
        assert!(errors[0].contains("已登记为"), "{errors:?}");
        assert_eq!(count(store, &rsj).await, 1);
    }
}

#[tokio::test]
async fn a_street_writes_and_sees_only_its_own_streets_businesses() {
    for db in databases(&TestClock::at(2025, 10, 10, 2)).await {
        let (store, plan) = (&db.store, plan());
        let (jinghe, changqing, rsj, swj) = setup(store).await;

        // 径河 cannot register a business of 长青: refused, audited, nothing written.
        let refused = store
            .save_business(&plan, &jinghe, None, &business(3, "长青", &[1]), "")
            .await
            .unwrap_err();
        assert!(matches!(refused, Error::Forbidden(_)), "{refused:?}");
        assert_eq!(
            store.recent_audit(1).await.unwrap()[0].action,
            "access.denied"
        );
        assert_eq!(count(store, &rsj).await, 0);
        // 区人社局 (leading part 二) registers it for 长青; 区商务局 cannot.
        let theirs = store
            .save_business(&plan, &rsj, None, &business(3, "长青", &[3]), "")
            .await
            .unwrap();
        assert!(matches!(
            store
                .save_business(&plan, &swj, None, &business(4, "长青", &[3]), "")
                .await
                .unwrap_err(),
            Error::Forbidden(_)
        ));
        let ours = store
            .save_business(&plan, &jinghe, None, &business(1, "径河", &[1]), "")
            .await
            .unwrap();

        // The list, the detail and a filter for another street.
        let listed = store
            .businesses(&plan, &jinghe, &BusinessFilter::default(), "")
            .await
            .unwrap();
        assert_eq!(listed.iter().map(|b| b.id).collect::<Vec<_>>(), [ours]);
        assert_eq!(count(store, &changqing).await, 1);
        assert_eq!(count(store, &rsj).await, 2);
        assert_eq!(
            count(store, &swj).await,
            2,
            "a cooperating department reads all"
        );
        assert!(matches!(
            store
                .business(&plan, &jinghe, theirs, "")
                .await
                .unwrap_err(),
            Error::Forbidden(_)
        ));
        let asked = BusinessFilter {
            street: Some("changqing".into()),
            ..BusinessFilter::default()
        };
        assert!(matches!(
            store
                .businesses(&plan, &jinghe, &asked, "")
                .await
                .unwrap_err(),
            Error::Forbidden(_)
        ));
        // Nor change it, nor move one of its own to another street.
        for attempt in [
            store
                .record_employment(&plan, &jinghe, theirs, ("2025-09-30", "2", "1"), "")
                .await,
            store
                .change_business_status(&plan, &jinghe, theirs, ("suspended", "2025-09-30", ""), "")
                .await,
            store
                .save_business(&plan, &jinghe, Some(ours), &business(1, "长青", &[1]), "")
                .await
                .map(|_| ()),
        ] {
            assert!(matches!(attempt, Err(Error::Forbidden(_))), "{attempt:?}");
        }
        let detail = store.business(&plan, &rsj, theirs, "").await.unwrap();
        assert!(detail.employment.is_empty());
        assert_eq!(detail.business.status, BusinessStatus::Operating);
    }
}
