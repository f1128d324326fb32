//! Employers in the store, on SQLite and (with LINKONG_TEST_PG) PostgreSQL.

use linkong_core::access::{Actor, Role};
use linkong_core::employers::EmployerStatus;
use linkong_core::password::NewPassword;
use linkong_core::phone::Phone;
use linkong_store::employers::EmployerDraft;
use linkong_store::users::NewUser;
use linkong_store::{Backend, Error, Store};
use linkong_testkit::{TestClock, TestDb, databases, plan};

fn draft() -> EmployerDraft {
    EmployerDraft {
        uscc: "91350100M000100Y43".into(),
        name: "武汉临空港智造科技有限公司".into(),
        industry_section: "C".into(),
        street_code: "jinghe".into(),
        contact_name: "王敏".into(),
        contact_phone: "138 1234 5678".into(),
        ..Default::default()
    }
}

async fn user(store: &Store, username: &str, role: Role, unit: Option<&str>) -> Actor {
    let new = NewUser {
        username: username.into(),
        display_name: username.into(),
        role,
        unit_code: unit.map(str::to_owned),
        password: NewPassword::parse("Employer#2025", "x").unwrap(),
        must_change_password: false,
    };
    store.create_user(None, new, "").await.unwrap().actor()
}

/// The stored phone columns of the one employer, as bytes.
async fn raw_phone_column(db: &TestDb) -> Vec<u8> {
    let sql = "SELECT contact_phone_enc, contact_phone_index FROM employers";
    match db.backend {
        Backend::Sqlite => {
            let (enc, index): (Vec<u8>, Vec<u8>) = sqlx::query_as(sql)
                .fetch_one(&sqlx::SqlitePool::connect(&db.url).await.unwrap())
                .await
                .unwrap();
            [enc, index].concat()
        }
        Backend::Postgres => {
            let (enc, index): (Vec<u8>, Vec<u8>) = sqlx::query_as(sql)
                .fetch_one(&sqlx::PgPool::connect(&db.url).await.unwrap())
                .await
                .unwrap();
            [enc, index].concat()
        }
    }
}

#[tokio::test]
async fn an_employer_registers_with_its_phone_encrypted_and_shown_masked() {
    for db in databases(&TestClock::at(2025, 10, 10, 2)).await {
        let store = &db.store;
        let employer = store
            .register_employer(&plan(), &draft(), "")
            .await
            .unwrap();
        assert_eq!(employer.status, EmployerStatus::Pending);
        assert_eq!(employer.contact_phone_masked, "138****5678");
        let raw = raw_phone_column(&db).await;
        assert_eq!(
            raw.len(),
            1 + 12 + 11 + 16 + 16,
            "sealed phone and blind index"
        );
        assert!(
            !raw.windows(11).any(|w| w == b"13812345678"),
            "the phone is not stored in clear: {raw:?}"
        );

        let reviewer = user(store, "shenhe1", Role::Reviewer, None).await;
        let found = store
            .employers_by_phone(&reviewer, &Phone::parse("13812345678").unwrap())
            .await
            .unwrap();
        assert_eq!(found.len(), 1, "the blind index finds it");
        assert!(
            store
                .employers_by_phone(&reviewer, &Phone::parse("13812345679").unwrap())
                .await
                .unwrap()
                .is_empty()
        );
    }
}

#[tokio::test]
async fn bad_registrations_name_every_wrong_field_and_write_nothing() {
    for db in databases(&TestClock::at(2025, 10, 10, 2)).await {
        let store = &db.store;
        let bad = EmployerDraft {
            uscc: "91350100M000100Y44".into(),
            street_code: "rsj".into(),
            contact_phone: "12345".into(),
            industry_section: "Z".into(),
            ..draft()
        };
        let Err(Error::Fields(errors)) = store.register_employer(&plan(), &bad, "").await else {
            panic!("expected field errors")
        };
        let fields: Vec<&str> = errors.iter().map(|e| e.field).collect();
        assert_eq!(
            fields,
            ["统一社会信用代码", "行业门类", "所在街道", "联系电话"]
        );
        assert!(errors[0].message.contains("校验位错误，应为“3”"));
        let reviewer = user(store, "shenhe2", Role::Reviewer, None).await;
        assert!(store.employers(&reviewer).await.unwrap().is_empty());

        store
            .register_employer(&plan(), &draft(), "")
            .await
            .unwrap();
        let again = store.register_employer(&plan(), &draft(), "").await;
        assert!(
            matches!(again, Err(Error::Invalid { field: "统一社会信用代码", ref message }) if message.contains("已经注册")),
            "{again:?}"
        );
    }
}

#[tokio::test]
async fn a_reviewer_verifies_employers_and_streets_see_only_their_own() {
    for db in databases(&TestClock::at(2025, 10, 10, 2)).await {
        let store = &db.store;
        let employer = store
            .register_employer(&plan(), &draft(), "")
            .await
            .unwrap();
        let jinghe = user(store, "jinghe1", Role::UnitStaff, Some("jinghe")).await;
        let changqing = user(store, "changqing1", Role::UnitStaff, Some("changqing")).await;
        assert_eq!(store.employers(&jinghe).await.unwrap().len(), 1);
        assert!(store.employers(&changqing).await.unwrap().is_empty());

        let denied = store
            .review_employer(&jinghe, employer.id, true, "", "")
            .await;
        assert!(matches!(denied, Err(Error::Forbidden(_))));
        assert_eq!(
            store.recent_audit(1).await.unwrap()[0].action,
            "access.denied"
        );

        let reviewer = user(store, "shenhe3", Role::Reviewer, None).await;
        let no_reason = store
            .review_employer(&reviewer, employer.id, false, "", "")
            .await;
        assert!(matches!(
            no_reason,
            Err(Error::Invalid {
                field: "审核意见",
                ..
            })
        ));
        store
            .review_employer(&reviewer, employer.id, true, "营业执照核验一致", "")
            .await
            .unwrap();
        assert_eq!(
            store.employer(employer.id).await.unwrap().unwrap().status,
            EmployerStatus::Verified
        );
        assert!(matches!(
            store
                .review_employer(&reviewer, employer.id, false, "x", "")
                .await,
            Err(Error::Conflict(_))
        ));
        assert_eq!(
            store.recent_audit(1).await.unwrap()[0].action,
            "employer.verify"
        );
    }
}
