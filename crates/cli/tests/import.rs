//! `linkong import` as an operator runs it: the counts on success, the wrong rows and an error
//! workbook on failure, and nothing at all in the database after a `kill -9` mid-import.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};
use std::time::Duration;

use calamine::{Data, Reader, Xlsx, open_workbook};
use common::{HEADER, big_roster, linkong, row, run};
use linkong_store::Backend;
use linkong_testkit::{TestClock, TestDb, databases, resident_id_for};
use tempfile::TempDir;

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn resident(n: usize, street: &str) -> String {
    row(
        &format!("居民{n}"),
        &resident_id_for(n),
        &format!("1390000{n:04}"),
        street,
    )
}

fn write_csv(path: &Path, rows: &[String]) {
    let mut text = format!("{HEADER}\n");
    text.extend(rows.iter().map(String::as_str));
    std::fs::write(path, text).unwrap();
}

async fn count(db: &TestDb, sql: &'static str) -> i64 {
    match db.backend {
        Backend::Sqlite => {
            let pool = sqlx::SqlitePool::connect(&db.url).await.unwrap();
            let n = sqlx::query_scalar(sql).fetch_one(&pool).await.unwrap();
            pool.close().await;
            n
        }
        Backend::Postgres => {
            let pool = sqlx::PgPool::connect(&db.url).await.unwrap();
            let n = sqlx::query_scalar(sql).fetch_one(&pool).await.unwrap();
            pool.close().await;
            n
        }
    }
}

#[tokio::test]
async fn import_prints_the_counts_or_the_wrong_rows_with_an_error_workbook_beside_the_file() {
    for db in databases(&TestClock::at(2025, 10, 10, 2)).await {
        let dir = TempDir::new().unwrap();
        let good = dir.path().join("径河名册.csv");
        write_csv(
            &good,
            &(1..=3).map(|n| resident(n, "径河")).collect::<Vec<_>>(),
        );
        let done = run(
            &db,
            &[
                "import",
                "migrants",
                good.to_str().unwrap(),
                "--unit",
                "径河街道",
            ],
        );
        assert!(done.status.success(), "{:?}: {}", db.backend, stderr(&done));
        assert!(
            stdout(&done).contains("导入完成：共 3 行，新增 3 人，更新 0 人，未变化 0 人。"),
            "{:?}: {}",
            db.backend,
            stdout(&done)
        );
        assert_eq!(count(&db, "SELECT COUNT(*) FROM migrants").await, 3);

        let id = resident_id_for(5);
        let right_check = id.chars().last().unwrap();
        let wrong_id = format!(
            "{}{}",
            &id[..17],
            if right_check == '5' { '6' } else { '5' }
        );
        let bad = dir.path().join("第二批.csv");
        write_csv(
            &bad,
            &[
                resident(4, "径河"),
                row("居民5", &wrong_id, "13900000005", "径河"),
                resident(6, "长青"),
            ],
        );
        let refused = run(
            &db,
            &[
                "import",
                "migrants",
                bad.to_str().unwrap(),
                "--unit",
                "径河街道",
            ],
        );
        assert_eq!(refused.status.code(), Some(1), "{:?}", db.backend);
        let said = stderr(&refused);
        let workbook = dir.path().join("第二批-错误清单.xlsx");
        for line in [
            format!("第3行B列“身份证号码”：身份证号码校验位错误，应为“{right_check}”"),
            "第4行D列“户籍街道”：本次以径河街道导入，该行为长青街道户籍，请由所在街道导入".into(),
            format!("错误清单已写入 {}", workbook.display()),
            "错误：2 处错误，未导入任何数据".into(),
        ] {
            assert!(
                said.contains(&line),
                "{:?}: “{line}” not in {said}",
                db.backend
            );
        }
        let mut errors: Xlsx<_> = open_workbook(&workbook).unwrap();
        let sheet = errors.worksheet_range_at(0).unwrap().unwrap();
        let notes: Vec<String> = sheet.rows().map(|r| r[0].to_string()).collect();
        assert_eq!(notes[0], "错误说明");
        assert_eq!(notes.len(), 4, "the header and the three rows");
        assert!(notes[2].contains("校验位错误"), "{notes:?}");
        assert!(notes[3].contains("长青街道户籍"), "{notes:?}");
        assert_eq!(sheet.rows().nth(1).unwrap()[0], Data::Empty);
        assert_eq!(count(&db, "SELECT COUNT(*) FROM migrants").await, 3);
        assert_eq!(count(&db, "SELECT COUNT(*) FROM persons").await, 3);
    }
}

/// How many rows the killed import has: enough that its writing phase lasts a while.
const BIG_ROWS: usize = 150_000;

/// The write-ahead log's size at which the import is taken to be writing: the checking phase
/// writes nothing, and the transaction is committed only at the end.
const WRITING_WAL_BYTES: u64 = 2 << 20;

fn file_size(path: &Path) -> u64 {
    std::fs::metadata(path).map(|m| m.len()).unwrap_or(0)
}

#[tokio::test]
async fn a_kill_9_in_the_middle_of_an_import_leaves_nothing_behind() {
    let dir = TempDir::new().unwrap();
    let data = dir.path().join("data");
    let database = data.join("linkong.db");
    let wal: PathBuf = data.join("linkong.db-wal");
    let big = dir.path().join("big.csv");
    big_roster(&big, BIG_ROWS);

    // The database made, then its log emptied: from here only the import writes to it.
    let init = linkong(&data, None, &["init"]).output().unwrap();
    assert!(init.status.success(), "{}", stderr(&init));
    let url = format!("sqlite://{}", database.display());
    let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
    sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
        .execute(&pool)
        .await
        .unwrap();
    pool.close().await;
    assert!(file_size(&wal) < WRITING_WAL_BYTES, "the log starts small");

    let log = dir.path().join("stderr.txt");
    let mut child = linkong(
        &data,
        None,
        &[
            "import",
            "migrants",
            big.to_str().unwrap(),
            "--unit",
            "径河街道",
        ],
    )
    .stdout(Stdio::null())
    .stderr(std::fs::File::create(&log).unwrap())
    .spawn()
    .unwrap();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            panic!(
                "the import ended ({status}) before its writing phase was seen (log {} bytes); \
                 raise BIG_ROWS. stderr: {}",
                file_size(&wal),
                std::fs::read_to_string(&log).unwrap_or_default()
            );
        }
        if file_size(&wal) > WRITING_WAL_BYTES {
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    child.kill().unwrap();
    let status = child.wait().unwrap();
    assert!(!status.success(), "the import was killed, not finished");
    let seen = file_size(&wal);
    assert!(
        seen > WRITING_WAL_BYTES,
        "the killed import left its uncommitted pages in the log ({seen} bytes)"
    );

    // Opened again, the database holds none of the file and is sound.
    let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
    for (sql, expected) in [
        ("SELECT COUNT(*) FROM migrants", 0),
        ("SELECT COUNT(*) FROM persons", 0),
        (
            "SELECT COUNT(*) FROM audit_log WHERE action LIKE 'import.%'",
            0,
        ),
    ] {
        let n: i64 = sqlx::query_scalar(sql).fetch_one(&pool).await.unwrap();
        assert_eq!(n, expected, "{sql}");
    }
    let integrity: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(integrity, "ok");
    pool.close().await;

    // And it takes the next import as usual.
    let small = dir.path().join("small.csv");
    write_csv(&small, &[resident(1, "径河"), resident(2, "径河")]);
    let next = linkong(
        &data,
        None,
        &[
            "import",
            "migrants",
            small.to_str().unwrap(),
            "--unit",
            "径河街道",
        ],
    )
    .output()
    .unwrap();
    assert!(next.status.success(), "{}", stderr(&next));
    assert!(stdout(&next).contains("新增 2 人"), "{}", stdout(&next));
}

#[tokio::test]
async fn import_prints_the_footer_rows_it_skipped() {
    for db in databases(&TestClock::at(2025, 10, 10, 2)).await {
        let dir = TempDir::new().unwrap();
        let sheet = dir.path().join("摸排表.csv");
        let mut rows: Vec<String> = (1..=2).map(|n| resident(n, "径河")).collect();
        rows.push("合计,,,,,,,,,,,6,,,,,\n".into());
        rows.push("填表人：张三,,,审核人：李四,,,,,,,,,,,,,\n".into());
        write_csv(&sheet, &rows);
        let done = run(
            &db,
            &[
                "import",
                "migrants",
                sheet.to_str().unwrap(),
                "--unit",
                "径河",
            ],
        );
        assert!(done.status.success(), "{:?}: {}", db.backend, stderr(&done));
        let out = stdout(&done);
        assert!(out.contains("导入完成：共 2 行，新增 2 人"), "{out}");
        assert!(
            out.contains("跳过第 4 行（合计行）\n跳过第 5 行（填表人行）"),
            "{:?}: {out}",
            db.backend
        );
        assert_eq!(count(&db, "SELECT COUNT(*) FROM migrants").await, 2);
    }
}
