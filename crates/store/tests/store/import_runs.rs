//! Import runs as the store keeps them: a refused run's problems sealed at rest and kept a day,
//! re-encrypted by a key rotation; a web run marked done in the transaction of its rows.

use std::sync::Arc;

use linkong_core::access::Roster;
use linkong_core::imports::{ImportKind, RunState};
use linkong_store::crypto::FieldCipher;
use linkong_store::import_runs::{NewImportRun, RunEnd};
use linkong_store::people::Importer;
use linkong_store::{Backend, Store};
use linkong_testkit::{TestClock, TestDb, databases, import_rows_as, would_be_founder};

/// A sentence of the kind a refusal keeps: it quotes part of a resident ID.
const PROBLEM: &str = "第3行B列“身份证号码”：身份证号码中的出生日期19990231不存在";

/// One column of the run `token` as bytes (None for NULL).
async fn raw(db: &TestDb, column: &str, token: &str) -> Option<Vec<u8>> {
    let sql = format!("SELECT {column} FROM import_runs WHERE token = $1");
    let sql = sqlx::AssertSqlSafe(sql);
    match db.backend {
        Backend::Sqlite => {
            let pool = sqlx::SqlitePool::connect(&db.url).await.unwrap();
            sqlx::query_scalar(sql)
                .bind(token)
                .fetch_one(&pool)
                .await
                .unwrap()
        }
        Backend::Postgres => {
            let pool = sqlx::PgPool::connect(&db.url).await.unwrap();
            sqlx::query_scalar(sql)
                .bind(token)
                .fetch_one(&pool)
                .await
                .unwrap()
        }
    }
}

/// The run `token` of `owner`, refused with [`PROBLEM`] and an error workbook, written out.
async fn refused_run(store: &Store, token: &str, owner: i64) {
    store.begin_import_run(NewImportRun {
        token,
        owner_id: owner,
        kind: ImportKind::Migrants,
        file_name: "名册.xlsx",
        server: "node-a:8080",
    });
    store.end_import_run(
        token,
        RunEnd::Refused {
            message: "发现 1 处错误，整表未导入。".into(),
            problem_count: 1,
            problems: vec![PROBLEM.into()],
            errors_file: Some(format!("imports/{token}.errors.xlsx")),
        },
    );
    store.write_import_run(token).await.unwrap();
}

fn problems_of(run: &linkong_store::import_runs::ImportRun) -> (Vec<String>, Option<String>) {
    match &run.end {
        Some(RunEnd::Refused {
            problems,
            errors_file,
            ..
        }) => (problems.clone(), errors_file.clone()),
        other => panic!("not refused: {other:?}"),
    }
}

async fn owner(db: &TestDb) -> i64 {
    linkong_testkit::account(
        &db.store,
        "jinghe01",
        linkong_core::access::Role::UnitStaff,
        Some("jinghe"),
    )
    .await
    .user_id
}

#[tokio::test]
async fn a_refused_imports_problems_are_sealed_at_rest_and_cleared_a_day_after_it_ended() {
    let clock = TestClock::at(2025, 10, 10, 2);
    for db in databases(&clock).await {
        let owner = owner(&db).await;
        refused_run(&db.store, "refusedrun0001", owner).await;

        let sealed = raw(&db, "problems_enc", "refusedrun0001").await.unwrap();
        let text = String::from_utf8_lossy(&sealed);
        assert!(
            !text.contains("19990231") && !text.contains("身份证"),
            "sealed at rest"
        );
        // Another server (nothing in memory) opens them for the owner.
        let other = db.another_server().await;
        let run = other
            .import_run(owner, "refusedrun0001")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(run.state, RunState::Refused);
        assert_eq!(
            problems_of(&run),
            (
                vec![PROBLEM.to_owned()],
                Some("imports/refusedrun0001.errors.xlsx".into())
            )
        );
        assert_eq!(other.forget_old_import_problems().await.unwrap(), [""; 0]);

        // A day on they are not shown, even before they are cleared; then they are cleared.
        clock.advance(chrono::Duration::hours(24) + chrono::Duration::seconds(1));
        let run = other
            .import_run(owner, "refusedrun0001")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(problems_of(&run), (Vec::new(), None));
        assert_eq!(
            other.forget_old_import_problems().await.unwrap(),
            ["imports/refusedrun0001.errors.xlsx"]
        );
        assert_eq!(raw(&db, "problems_enc", "refusedrun0001").await, None);
        assert_eq!(raw(&db, "errors_file", "refusedrun0001").await, None);
        let run = other
            .import_run(owner, "refusedrun0001")
            .await
            .unwrap()
            .unwrap();
        assert!(
            matches!(run.end, Some(RunEnd::Refused { problem_count: 1, ref message, .. }) if message.contains("1 处错误")),
            "the message and the count stay: {:?}",
            run.end
        );
    }
}

#[tokio::test]
async fn a_key_rotation_re_encrypts_the_kept_problems() {
    let clock = TestClock::at(2025, 10, 10, 2);
    for db in databases(&clock).await {
        let owner = owner(&db).await;
        refused_run(&db.store, "rotatedrun0001", owner).await;
        let old = db.store.field_cipher().unwrap();
        let new = FieldCipher::from_material(&[9u8; 48]);
        let report = db
            .store
            .rotate_field_key(&old, &new, &|_, _| {})
            .await
            .unwrap();
        assert!(
            report
                .columns
                .contains(&("import_runs.problems_enc".into(), 1, 0)),
            "{report:?}"
        );
        let rotated = Store::open(&db.url, &db.files_dir(), clock.clock())
            .await
            .unwrap()
            .with_field_cipher(Arc::new(new));
        let run = rotated
            .import_run(owner, "rotatedrun0001")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(problems_of(&run).0, [PROBLEM]);
    }
}

#[tokio::test]
async fn a_web_runs_rows_and_its_end_commit_together() {
    let clock = TestClock::at(2025, 10, 10, 2);
    for db in databases(&clock).await {
        let owner = owner(&db).await;
        db.store.begin_import_run(NewImportRun {
            token: "donerun000001",
            owner_id: owner,
            kind: ImportKind::Migrants,
            file_name: "名册.xlsx",
            server: "node-a:8080",
        });
        db.store.write_import_run("donerun000001").await.unwrap();
        let importer = Importer {
            user_id: Some(owner),
            name: "jinghe01".into(),
            unit_code: "rsj".into(),
            ip: String::new(),
            run: Some("donerun000001".into()),
        };
        let rows = vec![
            would_be_founder(1, "甲", "径河街道"),
            would_be_founder(2, "乙", "径河街道"),
        ];
        let outcome = import_rows_as(&db.store, &importer, Roster::Migrants, rows, true)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(outcome.created, 2);
        // The server is killed before it writes the end out: the database has it all the same.
        let restarted = db.another_server().await;
        assert!(
            restarted
                .interrupt_import_runs("node-a:8080")
                .await
                .unwrap()
                .is_empty(),
            "a committed run is not interrupted by a restart"
        );
        let run = restarted
            .import_run(owner, "donerun000001")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(run.state, RunState::Done);
        assert!(
            matches!(run.end, Some(RunEnd::Done { outcome: o, .. }) if o.rows == 2 && o.created == 2),
            "{:?}",
            run.end
        );
        assert!(run.finished_at.is_some());

        // A run whose import wrote nothing stays running until it is written out.
        db.store.begin_import_run(NewImportRun {
            token: "stoppedrun001",
            owner_id: owner,
            kind: ImportKind::Migrants,
            file_name: "名册.xlsx",
            server: "node-a:8080",
        });
        db.store.write_import_run("stoppedrun001").await.unwrap();
        let importer = Importer {
            run: Some("stoppedrun001".into()),
            ..importer
        };
        let rows = vec![would_be_founder(3, "丙", "径河街道")];
        let written = import_rows_as(&db.store, &importer, Roster::Migrants, rows, false)
            .await
            .unwrap();
        assert!(written.is_err(), "the sender stopped: nothing written");
        assert_eq!(
            restarted
                .interrupt_import_runs("node-a:8080")
                .await
                .unwrap(),
            ["stoppedrun001"]
        );
    }
}
