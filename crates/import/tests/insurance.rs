//! Importing the social-insurance enrolment list (参保名单) end to end, on SQLite and (with
//! LINKONG_TEST_PG) PostgreSQL: csv and xlsx go in whole; a file with a bad ID checksum, a bad
//! USCC, a bad month, an end before its start or a row listed twice is refused with each wrong
//! cell named by row and column, nothing written, and an error workbook; importing the same file
//! again changes nothing; a street's staff are refused.

use std::path::{Path, PathBuf};

use calamine::{Data, Reader, Xlsx, open_workbook};
use linkong_core::access::{Actor, Role};
use linkong_import::insurance::import_insurance;
use linkong_import::run::Failure;
use linkong_import::run::Imported;
use linkong_testkit::{TestClock, TestDb, account, databases, date, resident_id_for, uscc_for};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use tempfile::TempDir;

const HEADER: [&str; 7] = [
    "姓名",
    "公民身份号码",
    "单位统一社会信用代码",
    "单位名称",
    "参保险种",
    "参保开始年月",
    "参保终止年月",
];

fn line(n: usize, employer: usize, kinds: &str, started: &str, ended: &str) -> Vec<String> {
    vec![
        format!("参保人{n}"),
        resident_id_for(n),
        uscc_for(employer),
        format!("临空港企业{employer}"),
        kinds.into(),
        started.into(),
        ended.into(),
    ]
}

fn good_rows() -> Vec<Vec<String>> {
    vec![
        HEADER.iter().map(|h| h.to_string()).collect(),
        line(1, 1, "失业、工伤、养老", "2025-01", ""),
        line(2, 1, "养老,失业,工伤", "2025年3月", "2025年8月"),
        line(3, 2, "工伤", "202502", ""),
    ]
}

fn csv(dir: &TempDir, name: &str, rows: &[Vec<String>]) -> PathBuf {
    let quoted = |cell: &String| {
        if cell.contains(',') {
            format!("\"{cell}\"")
        } else {
            cell.clone()
        }
    };
    let text: String = rows
        .iter()
        .map(|r| format!("{}\r\n", r.iter().map(quoted).collect::<Vec<_>>().join(",")))
        .collect();
    let path = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    path
}

async fn import(
    db: &TestDb,
    actor: &Actor,
    path: &Path,
    errors_to: Option<&Path>,
) -> Result<Imported, Failure> {
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    import_insurance(
        &db.store,
        actor,
        path,
        &name,
        date(2025, 12, 1),
        errors_to,
        "",
        None,
    )
    .await
}

async fn stored(db: &TestDb) -> usize {
    let usccs: Vec<String> = (1..=3).map(uscc_for).collect();
    db.store
        .enrolments_at_employers(&usccs)
        .await
        .unwrap()
        .len()
}

fn clock() -> TestClock {
    TestClock::at(2025, 12, 1, 2)
}

#[tokio::test]
async fn a_good_csv_goes_in_whole_and_again_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = csv(&dir, "参保名单.csv", &good_rows());
    for db in databases(&clock()).await {
        let rsj = account(&db.store, "rsj1", Role::UnitStaff, Some("rsj")).await;
        let outcome = import(&db, &rsj, &path, None).await.unwrap().outcome;
        assert_eq!((outcome.rows, outcome.created), (3, 3), "{:?}", db.backend);
        let again = import(&db, &rsj, &path, None).await.unwrap().outcome;
        assert_eq!((again.rows, again.created, again.unchanged), (3, 0, 3));
        assert_eq!(stored(&db).await, 3);
        let at_one = db
            .store
            .enrolments_at_employers(&[uscc_for(1)])
            .await
            .unwrap();
        let second = at_one
            .iter()
            .find(|e| e.started_on == date(2025, 3, 1))
            .unwrap();
        assert_eq!(second.ended_on, Some(date(2025, 8, 31)));
        assert_eq!(second.kinds.len(), 3);
    }
}

#[tokio::test]
async fn a_good_xlsx_with_its_columns_moved_and_months_as_dates_goes_in() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("参保名单.xlsx");
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    let month = Format::new().set_num_format("yyyy-mm");
    sheet.write_string(0, 0, "东西湖区参保人员名单").unwrap();
    // Columns in another order, under a title row, one under an alias (身份证号码).
    let header = [
        "参保开始年月",
        "姓名",
        "身份证号码",
        "单位名称",
        "单位统一社会信用代码",
        "参保险种",
    ];
    for (c, h) in header.iter().enumerate() {
        sheet.write_string(1, c as u16, *h).unwrap();
    }
    for n in 1..=2usize {
        let r = n as u32 + 1;
        let day = ExcelDateTime::from_ymd(2025, n as u8 + 3, 1).unwrap();
        sheet
            .write_datetime_with_format(r, 0, &day, &month)
            .unwrap();
        sheet.write_string(r, 1, format!("参保人{n}")).unwrap();
        sheet.write_string(r, 2, resident_id_for(n)).unwrap();
        sheet.write_string(r, 3, "临空港企业1").unwrap();
        sheet.write_string(r, 4, uscc_for(1)).unwrap();
        sheet.write_string(r, 5, "失业、工伤、养老").unwrap();
    }
    workbook.save(&path).unwrap();
    for db in databases(&clock()).await {
        let admin = account(&db.store, "admin1", Role::Admin, None).await;
        let outcome = import(&db, &admin, &path, None).await.unwrap().outcome;
        assert_eq!((outcome.rows, outcome.created), (2, 2), "{:?}", db.backend);
        let rows = db
            .store
            .enrolments_at_employers(&[uscc_for(1)])
            .await
            .unwrap();
        let mut starts: Vec<_> = rows.iter().map(|e| e.started_on).collect();
        starts.sort();
        assert_eq!(starts, vec![date(2025, 4, 1), date(2025, 5, 1)]);
        assert!(rows.iter().all(|e| e.ended_on.is_none()));
    }
}

#[tokio::test]
async fn bad_rows_are_named_by_row_and_column_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let mut rows = good_rows();
    // Row 5: the ID's check digit is wrong.
    let mut bad_id = line(4, 1, "养老", "2025-01", "");
    let last = bad_id[1].pop().unwrap();
    bad_id[1].push(if last == '1' { '2' } else { '1' });
    rows.push(bad_id);
    // Row 6: the USCC's check character is wrong.
    let mut bad_uscc = line(5, 1, "养老", "2025-01", "");
    let last = bad_uscc[2].pop().unwrap();
    bad_uscc[2].push(if last == '0' { '1' } else { '0' });
    rows.push(bad_uscc);
    // Row 7: no such month. Row 8: ends before it starts. Row 9: row 2 again.
    rows.push(line(6, 1, "养老", "2025-13", ""));
    rows.push(line(7, 1, "养老", "2025-05", "2025-04"));
    rows.push(line(1, 1, "失业", "2025-01", ""));
    let path = csv(&dir, "参保名单.csv", &rows);
    let errors_to = dir.path().join("错误清单.xlsx");
    for db in databases(&clock()).await {
        let rsj = account(&db.store, "rsj1", Role::UnitStaff, Some("rsj")).await;
        let problems = match import(&db, &rsj, &path, Some(&errors_to)).await {
            Err(Failure::Rows {
                problems, count, ..
            }) => {
                assert_eq!(count, 5, "{:?}", db.backend);
                problems.iter().map(ToString::to_string).collect::<Vec<_>>()
            }
            other => panic!("{:?}: expected row problems, got {other:?}", db.backend),
        };
        assert!(
            problems[0].starts_with("第5行B列“公民身份号码”：") && problems[0].contains("校验位"),
            "{problems:?}"
        );
        assert!(
            problems[1].starts_with("第6行C列“单位统一社会信用代码”：")
                && problems[1].contains("校验位"),
            "{problems:?}"
        );
        assert!(
            problems[2].starts_with("第7行F列“参保开始年月”：") && problems[2].contains("2025-13"),
            "{problems:?}"
        );
        assert!(
            problems[3].starts_with("第8行G列“参保终止年月”：") && problems[3].contains("早于"),
            "{problems:?}"
        );
        assert!(
            problems[4].starts_with("第9行B列“公民身份号码”：") && problems[4].contains("第2行"),
            "{problems:?}"
        );
        assert_eq!(stored(&db).await, 0, "nothing of the file is written");
        // The error workbook: every row of the file, the problems in a first column.
        let mut book: Xlsx<_> = open_workbook(&errors_to).unwrap();
        let sheet = book.worksheet_range_at(0).unwrap().unwrap();
        assert_eq!(sheet.get((0, 0)), Some(&Data::String("错误说明".into())));
        assert_eq!(sheet.height(), rows.len());
        let note = sheet.get((4, 0)).unwrap().to_string();
        assert!(note.contains("第5行B列"), "{note}");
        assert_eq!(sheet.get((1, 0)), Some(&Data::Empty));
    }
}

#[tokio::test]
async fn a_streets_staff_may_not_import_the_list() {
    let dir = tempfile::tempdir().unwrap();
    let path = csv(&dir, "参保名单.csv", &good_rows());
    for db in databases(&clock()).await {
        let jinghe = account(&db.store, "jinghe1", Role::UnitStaff, Some("jinghe")).await;
        let refused = import(&db, &jinghe, &path, None).await;
        assert!(
            matches!(
                refused,
                Err(Failure::Store(linkong_store::Error::Forbidden(_)))
            ),
            "{:?}: {refused:?}",
            db.backend
        );
        assert_eq!(stored(&db).await, 0);
    }
}

#[tokio::test]
async fn a_list_ending_in_a_sum_and_a_signature_goes_in_without_them() {
    let dir = tempfile::tempdir().unwrap();
    let mut rows = good_rows();
    rows[1][4] = "失业保险、工伤保险、企业职工基本养老保险".into();
    rows.push(vec![
        "合计".into(),
        String::new(),
        String::new(),
        "3人".into(),
    ]);
    rows.push(vec![
        "制表人：王五".into(),
        String::new(),
        "审核人：赵六".into(),
    ]);
    let path = csv(&dir, "参保名单.csv", &rows);
    for db in databases(&clock()).await {
        let rsj = account(&db.store, "rsj1", Role::UnitStaff, Some("rsj")).await;
        let imported = import(&db, &rsj, &path, None).await.unwrap();
        assert_eq!(
            (imported.outcome.rows, imported.outcome.created),
            (3, 3),
            "{:?}",
            db.backend
        );
        let notes: Vec<String> = imported.skipped.iter().map(ToString::to_string).collect();
        assert_eq!(notes, ["跳过第 5 行（合计行）", "跳过第 6 行（制表人行）"]);
        assert_eq!(stored(&db).await, 3, "{:?}", db.backend);
    }
}
