//! The binary as an operator uses it: init, plan check, user add, audit verify.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use linkong_store::Backend;
use linkong_testkit::{PLAN_FILE, TestClock, TestDb, databases};

fn linkong(db: &TestDb, args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_linkong"))
        .args([
            "--database-url",
            &db.url,
            "--data-dir",
            db.files.path().to_str().unwrap(),
        ])
        .args(args)
        .env(
            "LINKONG_PLAN",
            concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../../plans/dongxihu-2025-2027.toml"
            ),
        )
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("linkong runs");
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
    }
    drop(child.stdin.take());
    child.wait_with_output().unwrap()
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

async fn tamper(db: &TestDb, sql: &'static str) {
    match db.backend {
        Backend::Sqlite => {
            let pool = sqlx::SqlitePool::connect(&db.url).await.unwrap();
            sqlx::query(sql).execute(&pool).await.unwrap();
            pool.close().await;
        }
        Backend::Postgres => {
            let pool = sqlx::PgPool::connect(&db.url).await.unwrap();
            sqlx::query(sql).execute(&pool).await.unwrap();
            pool.close().await;
        }
    }
}

#[tokio::test]
async fn init_prints_the_one_time_admin_password_once() {
    for db in databases(&TestClock::at(2025, 5, 1, 0)).await {
        let first = linkong(&db, &["init"], None);
        assert!(first.status.success(), "{}", text(&first));
        assert!(text(&first).contains("一次性初始密码"));
        let second = linkong(&db, &["init"], None);
        assert!(!text(&second).contains("一次性初始密码"));
    }
}

#[tokio::test]
async fn audit_verify_reports_an_audit_row_edited_in_the_database() {
    for db in databases(&TestClock::at(2025, 5, 1, 0)).await {
        assert!(linkong(&db, &["init"], None).status.success());
        let added = linkong(
            &db,
            &[
                "user",
                "add",
                "--username",
                "jinghe1",
                "--unit",
                "jinghe",
                "--role",
                "unit_staff",
            ],
            Some("Street#2025\n"),
        );
        assert!(added.status.success(), "{}", text(&added));
        let intact = linkong(&db, &["audit", "verify"], None);
        assert!(intact.status.success(), "{}", text(&intact));
        assert!(text(&intact).contains("哈希链校验通过"));

        tamper(
            &db,
            "UPDATE audit_log SET actor = 'someone-else' WHERE id = 2",
        )
        .await;
        let broken = linkong(&db, &["audit", "verify"], None);
        assert_eq!(broken.status.code(), Some(2), "{}", text(&broken));
        assert!(
            text(&broken).contains("第 2 条：记录内容与其哈希不符"),
            "{}",
            text(&broken)
        );
    }
}

#[tokio::test]
async fn user_add_refuses_a_weak_password_from_stdin() {
    for db in databases(&TestClock::at(2025, 5, 1, 0)).await {
        let weak = linkong(
            &db,
            &[
                "user",
                "add",
                "--username",
                "weakling",
                "--role",
                "task_force",
            ],
            Some("password\n"),
        );
        assert!(!weak.status.success());
        assert!(text(&weak).contains("密码需包含"), "{}", text(&weak));
        let unknown_unit = linkong(
            &db,
            &[
                "user",
                "add",
                "--username",
                "lost1",
                "--unit",
                "atlantis",
                "--role",
                "unit_staff",
            ],
            Some("Street#2025\n"),
        );
        assert!(text(&unknown_unit).contains("未知的单位代码“atlantis”"));
        assert!(db.store.user_by_name("weakling").await.unwrap().is_none());
    }
}

#[test]
fn plan_check_accepts_the_dongxihu_plan() {
    let output = Command::new(env!("CARGO_BIN_EXE_linkong"))
        .args([
            "plan",
            "check",
            concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../../plans/dongxihu-2025-2027.toml"
            ),
        ])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", text(&output));
    assert!(text(&output).contains("29 项任务"), "{}", text(&output));
}

#[test]
fn plan_check_names_every_error_with_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let broken = PLAN_FILE
        .replacen("jinghe = 2100", "atlantis = 2100", 1)
        .replacen("shiyao = 2000 }", "shiyao = 1900 }", 1)
        .replacen("code = \"1.1.2\"", "code = \"1.1.1\"", 1);
    let path = dir.path().join("broken.toml");
    std::fs::write(&path, &broken).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_linkong"))
        .args(["plan", "check", path.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(!output.status.success());
    let report = text(&output);
    let line_of = |needle: &str| broken.lines().position(|l| l.contains(needle)).unwrap() + 1;
    assert!(
        report.contains(&format!("第 {} 行", line_of("atlantis = 2100"))),
        "{report}"
    );
    assert!(report.contains("未知的单位“atlantis”"), "{report}");
    assert!(report.contains("任务编号重复"), "{report}");
    assert!(
        report.contains("各单位分解指标合计 29900 与总目标 30000 不一致"),
        "{report}"
    );
}
