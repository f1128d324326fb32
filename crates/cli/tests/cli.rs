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

/// The workbook of `linkong report quarterly` holds the same figures as the JSON API, and
/// LibreOffice opens it.
#[tokio::test]
async fn the_quarterly_workbook_matches_the_json_and_opens_in_libreoffice() {
    use calamine::{Data, Reader, Xlsx, open_workbook};
    use linkong_core::access::Role;
    use linkong_core::password::NewPassword;
    use linkong_core::record::RecordDraft;
    use linkong_core::reporting::Narrative;
    use linkong_core::reporting::{ReportPeriod, Save};
    use linkong_store::users::NewUser;

    let clock = TestClock::at(2025, 10, 14, 2);
    let calendar =
        linkong_core::calendar::WorkCalendar::parse(linkong_testkit::CALENDAR_FILE).unwrap();
    for db in databases(&clock).await {
        let store = &db.store;
        let plan = store.plan().await.unwrap();
        let mut actors = Vec::new();
        for (username, role, unit) in [
            ("jinghe1", Role::UnitStaff, Some("jinghe")),
            ("changqing1", Role::UnitStaff, Some("changqing")),
            ("zhuanban", Role::TaskForce, None),
        ] {
            let new = NewUser {
                username: username.into(),
                display_name: username.into(),
                role,
                unit_code: unit.map(str::to_owned),
                password: NewPassword::parse("Report#2025", "x").unwrap(),
                must_change_password: false,
            };
            actors.push(store.create_user(None, new, "").await.unwrap().actor());
        }
        // Start-up guidance for returnees (任务 2.2.1): 径河's quota 35 人次, 长青's 65.
        let record = |unit: &str, value: &str, date: &str| RecordDraft {
            indicator_code: "2.2.1.guidance".into(),
            unit_code: unit.into(),
            value: value.into(),
            occurred_on: date.into(),
            description: "创业指导".into(),
        };
        store
            .add_record(
                &actors[0],
                &plan,
                &record("jinghe", "14", "2025-08-01"),
                None,
                None,
                "",
            )
            .await
            .unwrap();
        store
            .add_record(
                &actors[1],
                &plan,
                &record("changqing", "26", "2025-09-01"),
                None,
                None,
                "",
            )
            .await
            .unwrap();
        let q3 = ReportPeriod::Quarter {
            year: 2025,
            quarter: 3,
        };
        let narrative = Narrative {
            progress: "第三季度为返区人员提供创业指导 14 人次".into(),
            ..Default::default()
        };
        store
            .save_report(
                &actors[0],
                &plan,
                &calendar,
                "jinghe",
                q3,
                &narrative,
                Save::Submit,
                "",
            )
            .await
            .unwrap();
        // Recorded after submission: not in 径河's submitted figures.
        store
            .add_record(
                &actors[0],
                &plan,
                &record("jinghe", "6", "2025-09-30"),
                None,
                None,
                "",
            )
            .await
            .unwrap();

        let out = db.files.path().join("q3.xlsx");
        let made = linkong(
            &db,
            &[
                "report",
                "quarterly",
                "2025Q3",
                "--out",
                out.to_str().unwrap(),
            ],
            None,
        );
        assert!(made.status.success(), "{}", text(&made));
        let bad = linkong(
            &db,
            &[
                "report",
                "quarterly",
                "2025Q5",
                "--out",
                out.to_str().unwrap(),
            ],
            None,
        );
        assert!(text(&bad).contains("季度须为 1 至 4"), "{}", text(&bad));

        // The JSON, from the running application on the same database.
        let calendar =
            linkong_core::calendar::WorkCalendar::parse(linkong_testkit::CALENDAR_FILE).unwrap();
        let state = linkong_web::AppState::new(store.clone(), plan.clone(), calendar);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(linkong_web::serve_on(state, listener));
        let token = store
            .create_token(
                "zhuanban",
                "test",
                linkong_core::access::TokenScopes::AGGREGATES,
            )
            .await
            .unwrap();
        let json: serde_json::Value = reqwest::Client::new()
            .get(format!("{base}/api/v1/reports/quarterly/2025Q3"))
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let rows: Vec<&serde_json::Value> = json["consolidated"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|t| t["rows"].as_array().unwrap())
            .collect();

        let mut workbook: Xlsx<_> = open_workbook(&out).unwrap();
        let sheet = workbook.worksheet_range("2025Q3").unwrap();
        let number = |cell: Option<&Data>| match cell {
            Some(Data::Float(f)) => Some(*f),
            Some(Data::Int(i)) => Some(*i as f64),
            _ => None,
        };
        let data_rows: Vec<Vec<Data>> = sheet
            .rows()
            .skip(3)
            .filter(|r| !matches!(r.get(1), Some(Data::Empty) | None))
            .map(|r| r.to_vec())
            .collect();
        assert_eq!(data_rows.len(), rows.len(), "one sheet row per JSON row");
        for (sheet_row, json_row) in data_rows.iter().zip(&rows) {
            assert_eq!(
                sheet_row[1].to_string(),
                json_row["unit_name"].as_str().unwrap()
            );
            for (column, key) in [(3, "target"), (4, "period_actual"), (5, "to_date_actual")] {
                assert_eq!(
                    number(sheet_row.get(column)),
                    json_row[key].as_f64(),
                    "{key} of {}",
                    json_row["unit_name"]
                );
            }
            let completion = json_row["completion"].as_f64().map(|c| c / 100.0);
            match (number(sheet_row.get(6)), completion) {
                (Some(a), Some(b)) => assert!((a - b).abs() < 1e-9),
                (a, b) => assert_eq!(a, b),
            }
        }
        let jinghe = rows
            .iter()
            .find(|r| r["indicator_code"] == "2.2.1.guidance" && r["unit_code"] == "jinghe")
            .unwrap();
        assert_eq!(
            jinghe["period_actual"], 14,
            "the submitted snapshot, not the later record"
        );
        let total = rows
            .iter()
            .find(|r| r["indicator_code"] == "2.2.1.guidance" && r["unit_code"].is_null())
            .unwrap();
        assert_eq!(
            total["period_actual"], 40,
            "径河 as submitted (14, not 20) plus 长青 from its records (26)"
        );

        match which_soffice() {
            Some(soffice) => {
                let converted = Command::new(soffice)
                    .args([
                        "--headless",
                        "--convert-to",
                        "csv:Text - txt - csv (StarCalc):44,34,76",
                        "--outdir",
                        db.files.path().to_str().unwrap(),
                        out.to_str().unwrap(),
                    ])
                    .env("HOME", db.files.path())
                    .output()
                    .unwrap();
                assert!(converted.status.success(), "{}", text(&converted));
                let csv = std::fs::read_to_string(db.files.path().join("q3.csv")).unwrap();
                // 径河's guidance row: target 35, submitted 14.
                assert!(
                    csv.lines()
                        .any(|l| l.contains("径河街道,为返区人员提供创业指导（人次）,35,14,")),
                    "{csv}"
                );
            }
            None => linkong_testkit::skip(
                "LibreOffice conversion of the quarterly workbook",
                "soffice is not installed",
            ),
        }
    }
}

fn which_soffice() -> Option<&'static str> {
    ["/usr/bin/soffice", "/usr/bin/libreoffice"]
        .into_iter()
        .find(|p| std::path::Path::new(p).exists())
}

#[tokio::test]
async fn user_reset_2fa_removes_the_authenticator_and_ends_the_sessions() {
    for db in databases(&TestClock::at(2025, 5, 1, 0)).await {
        let actor = linkong_testkit::account(
            &db.store,
            "zhuanban",
            linkong_core::access::Role::TaskForce,
            None,
        )
        .await;
        let user = db.store.user(actor.user_id).await.unwrap().unwrap();
        assert_eq!(linkong_testkit::ensure_factor(&db, &user).await.len(), 10);
        let session = db.store.create_session(user.id).await.unwrap();
        let done = linkong(&db, &["user", "reset-2fa", "--username", "zhuanban"], None);
        assert!(done.status.success(), "{}", text(&done));
        assert!(text(&done).contains("已重置 zhuanban 的两步验证"));
        let status = db.store.factor_status(user.id).await.unwrap();
        assert!(!status.enrolled);
        assert_eq!(status.recovery_codes_left, 0);
        assert!(db.store.session(&session.token).await.unwrap().is_none());
        let audit = db.store.recent_audit(5).await.unwrap();
        assert!(
            audit
                .iter()
                .any(|r| r.action == "two_factor.reset" && r.actor == "cli")
        );
        let unknown = linkong(&db, &["user", "reset-2fa", "--username", "nobody"], None);
        assert!(!unknown.status.success());
        assert!(
            text(&unknown).contains("用户“nobody”不存在"),
            "{}",
            text(&unknown)
        );
    }
}

#[tokio::test]
async fn logs_are_json_lines_when_not_on_a_terminal() {
    let db = databases(&TestClock::at(2025, 5, 1, 0)).await.remove(0);
    let out = linkong(&db, &["init"], None);
    assert!(out.status.success(), "{}", text(&out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<&str> = stderr.lines().filter(|l| !l.trim().is_empty()).collect();
    assert!(
        lines
            .iter()
            .any(|l| l.contains("plan loaded into the database")),
        "{stderr}"
    );
    for line in lines {
        let entry: serde_json::Value =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("{line}: {e}"));
        assert!(entry["level"].is_string(), "{line}");
        assert!(entry["timestamp"].is_string(), "{line}");
    }
}
