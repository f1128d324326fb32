//! Importing roster files end to end, on SQLite and (with LINKONG_TEST_PG) PostgreSQL: the
//! whole file or nothing, each wrong cell named by row, column and field, an error workbook
//! that is fixed and imported again as it is, and no ID or phone number in clear at rest.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use calamine::{Data, Reader, Xlsx, open_workbook};
use linkong_core::access::{Actor, Role};
use linkong_core::plan::Plan;
use linkong_import::run::{Failure, Imported, ProgressFn, RosterFile, import_file};
use linkong_import::{graduates, migrants};
use linkong_store::Backend;
use linkong_store::graduates::{GraduateEntry, GraduateFilter};
use linkong_store::people::{ImportOutcome, Importer, MigrantEntry, MigrantFilter};
use linkong_testkit::{
    PLAN_FILE, TestClock, TestDb, databases, date, resident_id, resident_id_for,
};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, Worksheet};
use tempfile::TempDir;

/// Where a column stands in a roster row built by [`migrant`] (template order).
const ID: usize = 1;
const PHONE: usize = 2;
const STREET: usize = 3;
const SURVEYED_ON: usize = 15;
const RETURNED_ON: usize = 16;

fn plan() -> Arc<Plan> {
    Arc::new(Plan::parse(PLAN_FILE).unwrap())
}

fn clock() -> TestClock {
    TestClock::at(2025, 10, 10, 2)
}

/// Imports `path` as `unit` (a unit code), writing an error workbook to `errors_to` if given.
async fn import(
    db: &TestDb,
    file: RosterFile,
    unit: &str,
    path: &Path,
    errors_to: Option<&Path>,
) -> Result<Imported, Failure> {
    let importer = Importer {
        user_id: None,
        name: "测试".into(),
        unit_code: unit.into(),
        ip: String::new(),
        run: None,
    };
    let progress: ProgressFn = Arc::new(|_| {});
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    import_file(
        file,
        &db.store,
        plan(),
        &importer,
        path,
        &name,
        date(2025, 10, 10),
        errors_to,
        progress,
    )
    .await
}

/// Imports a file that must go in whole, and says how it went.
async fn imported(db: &TestDb, file: RosterFile, unit: &str, path: &Path) -> ImportOutcome {
    match import(db, file, unit, path, None).await {
        Ok(imported) => {
            assert!(imported.skipped.is_empty(), "{:?}", imported.skipped);
            imported.outcome
        }
        Err(failure) => panic!("{:?}: {} refused: {failure:?}", db.backend, path.display()),
    }
}

/// The problems of an import refused for its rows, as the user reads them.
fn row_problems(db: &TestDb, result: Result<Imported, Failure>) -> Vec<String> {
    match result {
        Err(Failure::Rows { problems, .. }) => problems.iter().map(ToString::to_string).collect(),
        other => panic!("{:?}: expected row problems, got {other:?}", db.backend),
    }
}

/// Why a whole file was refused.
fn file_refusal(db: &TestDb, result: Result<Imported, Failure>) -> String {
    match result {
        Err(Failure::File(message)) => message,
        other => panic!("{:?}: expected the file refused, got {other:?}", db.backend),
    }
}

/// What an import can change: residents, out-migrants, graduates and import audit events.
async fn snapshot(db: &TestDb) -> [i64; 4] {
    let queries = [
        "SELECT COUNT(*) FROM persons",
        "SELECT COUNT(*) FROM migrants",
        "SELECT COUNT(*) FROM graduates",
        "SELECT COUNT(*) FROM audit_log WHERE action LIKE 'import.%'",
    ];
    let mut counts = [0; 4];
    match db.backend {
        Backend::Sqlite => {
            let pool = sqlx::SqlitePool::connect(&db.url).await.unwrap();
            for (count, sql) in counts.iter_mut().zip(queries) {
                *count = sqlx::query_scalar(sql).fetch_one(&pool).await.unwrap();
            }
            pool.close().await;
        }
        Backend::Postgres => {
            let pool = sqlx::PgPool::connect(&db.url).await.unwrap();
            for (count, sql) in counts.iter_mut().zip(queries) {
                *count = sqlx::query_scalar(sql).fetch_one(&pool).await.unwrap();
            }
            pool.close().await;
        }
    }
    counts
}

fn task_force() -> Actor {
    Actor {
        user_id: 0,
        username: "zhuanban".into(),
        role: Role::TaskForce,
        unit_code: None,
        employer_id: None,
        applicant_id: None,
    }
}

/// The out-migrants matching `filter`, as the task force sees them, and how many.
async fn migrants_where(db: &TestDb, filter: &MigrantFilter) -> (Vec<MigrantEntry>, i64) {
    db.store
        .migrants(&plan(), &task_force(), filter, 1, 100, "")
        .await
        .unwrap()
}

/// The out-migrant with this resident ID (searched by the whole number).
async fn migrant_with_id(db: &TestDb, id: &str) -> MigrantEntry {
    let filter = MigrantFilter {
        query: id.into(),
        ..Default::default()
    };
    let (mut found, total) = migrants_where(db, &filter).await;
    assert_eq!(total, 1, "{:?}: resident {id} is found once", db.backend);
    found.remove(0)
}

async fn graduates_of(db: &TestDb, year: i32) -> Vec<GraduateEntry> {
    let filter = GraduateFilter {
        year,
        ..Default::default()
    };
    db.store
        .graduates(&plan(), &task_force(), &filter, 1, 100, "")
        .await
        .unwrap()
        .0
}

fn phone(n: usize) -> String {
    format!("1390000{n:04}")
}

/// A good out-migrant row of resident `n` of `street`, in template order.
fn migrant(n: usize, street: &str) -> Vec<String> {
    let (name, id, phone) = (format!("居民{n}"), resident_id_for(n), phone(n));
    [
        name.as_str(),
        &id,
        &phone,
        street,
        "示范社区",
        "大专",
        "广东",
        "深圳市",
        "制造业",
        "电工",
        "",
        "3",
        "返区就业",
        "",
        "是",
        "2025-03-01",
        "",
    ]
    .map(str::to_owned)
    .to_vec()
}

/// A good graduate row of resident `n` of `street`, graduated on `graduated_on`.
fn graduate(n: usize, street: &str, graduated_on: &str) -> Vec<String> {
    let (name, id, phone) = (format!("毕业生{n}"), resident_id_for(n), phone(n));
    [
        name.as_str(),
        &id,
        &phone,
        street,
        "",
        "本科",
        "江汉大学",
        "会计学",
        "本科",
        graduated_on,
        "财务",
    ]
    .map(str::to_owned)
    .to_vec()
}

fn headers(file: RosterFile) -> Vec<String> {
    file.columns.iter().map(|c| c.header.to_owned()).collect()
}

/// The template's header row, then `rows`.
fn table(file: RosterFile, rows: impl IntoIterator<Item = Vec<String>>) -> Vec<Vec<String>> {
    std::iter::once(headers(file)).chain(rows).collect()
}

fn csv(dir: &TempDir, name: &str, rows: &[Vec<String>]) -> PathBuf {
    let text: String = rows
        .iter()
        .map(|r| format!("{}\r\n", r.join(",")))
        .collect();
    let path = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// An xlsx of `rows`, every cell a text cell; `edit` then writes cells of other kinds.
fn xlsx(
    dir: &TempDir,
    name: &str,
    rows: &[Vec<String>],
    edit: impl FnOnce(&mut Worksheet),
) -> PathBuf {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    for (r, row) in rows.iter().enumerate() {
        for (c, text) in row.iter().enumerate() {
            if !text.is_empty() {
                sheet.write_string(r as u32, c as u16, text).unwrap();
            }
        }
    }
    edit(sheet);
    let path = dir.path().join(name);
    workbook.save(&path).unwrap();
    path
}

/// Digits and X as typed with a Chinese input method in full-width mode.
fn full_width(ascii: &str) -> String {
    ascii
        .chars()
        .map(|c| char::from_u32(c as u32 + 0xFEE0).unwrap())
        .collect()
}

/// Every file of a SQLite database, or every table of a PostgreSQL one as text.
async fn bytes_at_rest(db: &TestDb) -> Vec<(String, Vec<u8>)> {
    match db.backend {
        Backend::Sqlite => {
            // The database file, its write-ahead log and everything else the store keeps.
            let mut found = Vec::new();
            let mut dirs = vec![db.files_dir()];
            while let Some(dir) = dirs.pop() {
                for entry in std::fs::read_dir(dir).unwrap() {
                    let path = entry.unwrap().path();
                    if path.is_dir() {
                        dirs.push(path);
                    } else {
                        found.push((path.display().to_string(), std::fs::read(&path).unwrap()));
                    }
                }
            }
            assert!(
                found.iter().any(|(name, _)| name.ends_with("linkong.db")),
                "the database file is among {:?}",
                found.iter().map(|(n, _)| n).collect::<Vec<_>>()
            );
            found
        }
        Backend::Postgres => {
            let pool = sqlx::PgPool::connect(&db.url).await.unwrap();
            let tables: Vec<String> = sqlx::query_scalar(
                "SELECT table_name::text FROM information_schema.tables \
                 WHERE table_schema = 'public' AND table_type = 'BASE TABLE'",
            )
            .fetch_all(&pool)
            .await
            .unwrap();
            for table in ["persons", "migrants", "graduates", "audit_log"] {
                assert!(tables.iter().any(|t| t == table), "{table} in {tables:?}");
            }
            let mut found = Vec::new();
            for table in tables {
                let text: Option<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
                    "SELECT string_agg(t::text, E'\\n') FROM \"{table}\" t"
                )))
                .fetch_one(&pool)
                .await
                .unwrap();
                found.push((table, text.unwrap_or_default().into_bytes()));
            }
            pool.close().await;
            found
        }
    }
}

fn holds(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

#[tokio::test]
async fn no_id_or_phone_number_is_kept_in_clear_at_rest() {
    for db in databases(&clock()).await {
        let dir = TempDir::new().unwrap();
        let from_csv = csv(
            &dir,
            "径河.csv",
            &table(migrants::FILE, (1..=3).map(|n| migrant(n, "径河"))),
        );
        let from_xlsx = xlsx(
            &dir,
            "长青.xlsx",
            &table(migrants::FILE, (4..=6).map(|n| migrant(n, "长青"))),
            |_| {},
        );
        let graduates_csv = csv(
            &dir,
            "毕业生.csv",
            &table(
                graduates::FILE,
                (7..=8).map(|n| graduate(n, "走马岭", "2025-06-30")),
            ),
        );
        assert_eq!(
            imported(&db, migrants::FILE, "rsj", &from_csv)
                .await
                .created,
            3
        );
        assert_eq!(
            imported(&db, migrants::FILE, "rsj", &from_xlsx)
                .await
                .created,
            3
        );
        assert_eq!(
            imported(&db, graduates::FILE, "rsj", &graduates_csv)
                .await
                .created,
            2
        );

        // The numbers are there for whoever may look them up…
        for n in 1..=6 {
            let found = migrant_with_id(&db, &resident_id_for(n)).await;
            assert_eq!(found.name, format!("居民{n}"));
            let by_phone = MigrantFilter {
                query: phone(n),
                ..Default::default()
            };
            assert_eq!(
                migrants_where(&db, &by_phone).await.1,
                1,
                "{:?}",
                db.backend
            );
        }
        assert_eq!(graduates_of(&db, 2025).await.len(), 2, "{:?}", db.backend);

        // …but nowhere in the database in clear, not even in the write-ahead log.
        let at_rest = bytes_at_rest(&db).await;
        assert!(
            at_rest.iter().any(|(_, bytes)| holds(bytes, "居民6")),
            "{:?}: the stored data was read (names are kept in clear)",
            db.backend
        );
        for n in 1..=8 {
            for secret in [resident_id_for(n), phone(n)] {
                for (place, bytes) in &at_rest {
                    assert!(
                        !holds(bytes, &secret),
                        "{:?}: {secret} in clear in {place}",
                        db.backend
                    );
                }
            }
        }
    }
}

#[tokio::test]
async fn wrong_resident_ids_are_named_by_row_and_column_and_nothing_is_written() {
    for db in databases(&clock()).await {
        let dir = TempDir::new().unwrap();
        let before_file = csv(
            &dir,
            "先前.csv",
            &table(migrants::FILE, [migrant(900, "径河")]),
        );
        imported(&db, migrants::FILE, "jinghe", &before_file).await;
        let before = snapshot(&db).await;

        let good = resident_id_for(2);
        let right_check = good.chars().last().unwrap();
        let wrong_check = if right_check == '5' { '6' } else { '5' };
        let mut check_digit = migrant(2, "径河");
        check_digit[ID] = format!("{}{wrong_check}", &good[..17]);
        let mut february_30 = migrant(3, "径河");
        february_30[ID] = resident_id("42011219990230123");
        let mut unknown_area = migrant(4, "径河");
        unknown_area[ID] = resident_id("99010119900101123");
        let path = csv(
            &dir,
            "身份证.csv",
            &table(
                migrants::FILE,
                [migrant(1, "径河"), check_digit, february_30, unknown_area],
            ),
        );

        assert_eq!(
            row_problems(
                &db,
                import(&db, migrants::FILE, "jinghe", &path, None).await
            ),
            [
                format!("第3行B列“身份证号码”：身份证号码校验位错误，应为“{right_check}”"),
                "第4行B列“身份证号码”：身份证号码中的出生日期19990230不存在".to_owned(),
                "第5行B列“身份证号码”：身份证号码前6位地区代码990101不存在（GB/T 2260）".to_owned(),
            ],
            "{:?}",
            db.backend
        );
        assert_eq!(snapshot(&db).await, before, "{:?}", db.backend);
    }
}

#[tokio::test]
async fn an_id_saved_as_a_number_in_excel_is_refused_never_guessed() {
    for db in databases(&clock()).await {
        let dir = TempDir::new().unwrap();
        let rows = table(migrants::FILE, [migrant(1, "径河"), migrant(2, "径河")]);
        let path = xlsx(&dir, "数字.xlsx", &rows, |sheet| {
            sheet
                .write_number(2, ID as u16, 4.20112199003071e17)
                .unwrap();
        });

        assert_eq!(
            row_problems(
                &db,
                import(&db, migrants::FILE, "jinghe", &path, None).await
            ),
            [
                "第3行B列“身份证号码”：身份证号码被保存成了数字，可能已丢失末尾几位，请把该列设为“文本”格式后重新填写"
            ],
            "{:?}",
            db.backend
        );
        assert_eq!(snapshot(&db).await, [0; 4], "{:?}", db.backend);
    }
}

#[tokio::test]
async fn one_person_twice_in_a_file_is_refused_citing_the_first_row() {
    for db in databases(&clock()).await {
        let dir = TempDir::new().unwrap();
        let mut again = migrant(1, "径河");
        again[0] = "居民一".into();
        let path = csv(
            &dir,
            "重复.csv",
            &table(
                migrants::FILE,
                [migrant(1, "径河"), migrant(2, "径河"), again],
            ),
        );

        assert_eq!(
            row_problems(
                &db,
                import(&db, migrants::FILE, "jinghe", &path, None).await
            ),
            ["第4行B列“身份证号码”：与第2行是同一人（身份证号码相同），一人只填一行"],
            "{:?}",
            db.backend
        );
        assert_eq!(snapshot(&db).await, [0; 4], "{:?}", db.backend);
    }
}

#[tokio::test]
async fn a_street_not_in_the_district_is_named() {
    for db in databases(&clock()).await {
        let dir = TempDir::new().unwrap();
        let path = csv(
            &dir,
            "街道.csv",
            &table(migrants::FILE, [migrant(1, "径河"), migrant(2, "花山街道")]),
        );

        assert_eq!(
            row_problems(&db, import(&db, migrants::FILE, "rsj", &path, None).await),
            ["第3行D列“户籍街道”：街道“花山街道”不是东西湖区的街道"],
            "{:?}",
            db.backend
        );
        assert_eq!(snapshot(&db).await, [0; 4], "{:?}", db.backend);
    }
}

#[tokio::test]
async fn dates_in_every_accepted_form_and_full_width_digits_import() {
    for db in databases(&clock()).await {
        let dir = TempDir::new().unwrap();
        let mut rows: Vec<Vec<String>> = (1..=6).map(|n| migrant(n, "径河")).collect();
        rows[2][SURVEYED_ON] = "2025/3/1".into();
        rows[3][SURVEYED_ON] = "2025-03-01".into();
        rows[4][SURVEYED_ON] = "2025年3月1日".into();
        rows[4][RETURNED_ON] = "2025.9.1".into();
        // Typed with a Chinese input method: full-width digits, ideographic and stray spaces.
        let id = resident_id_for(6);
        rows[5][0] = " 居民6　".into();
        rows[5][ID] = format!(
            " {}　{} {} ",
            full_width(&id[..6]),
            full_width(&id[6..14]),
            full_width(&id[14..])
        );
        rows[5][PHONE] = format!(
            "{} {}",
            full_width(&phone(6)[..3]),
            full_width(&phone(6)[3..])
        );
        rows[5][STREET] = "　径河街道 ".into();
        let date_cell = Format::new().set_num_format("yyyy-mm-dd");
        let slashed = Format::new().set_num_format("yyyy/m/d");
        let path = xlsx(&dir, "日期.xlsx", &table(migrants::FILE, rows), |sheet| {
            let march_1 = ExcelDateTime::from_ymd(2025, 3, 1).unwrap();
            sheet
                .write_datetime_with_format(1, SURVEYED_ON as u16, &march_1, &date_cell)
                .unwrap();
            // A date cell as some programs write it: the serial number with a date format.
            sheet
                .write_number_with_format(2, SURVEYED_ON as u16, 45717, &slashed)
                .unwrap();
            let september_1 = ExcelDateTime::from_ymd(2025, 9, 1).unwrap();
            sheet
                .write_datetime_with_format(1, RETURNED_ON as u16, &september_1, &date_cell)
                .unwrap();
        });

        let outcome = imported(&db, migrants::FILE, "jinghe", &path).await;
        assert_eq!(outcome.created, 6, "{:?}", db.backend);
        for n in 1..=6 {
            let entry = migrant_with_id(&db, &resident_id_for(n)).await;
            assert_eq!(
                entry.surveyed_on,
                date(2025, 3, 1),
                "{:?} row of 居民{n}",
                db.backend
            );
            assert_eq!(entry.name, format!("居民{n}"));
            assert_eq!(entry.street_code, "jinghe");
            let returned = matches!(n, 1 | 5).then(|| date(2025, 9, 1));
            assert_eq!(
                entry.returned_on, returned,
                "{:?} row of 居民{n}",
                db.backend
            );
        }
        let by_phone = MigrantFilter {
            query: phone(6),
            ..Default::default()
        };
        assert_eq!(
            migrants_where(&db, &by_phone).await.1,
            1,
            "{:?}",
            db.backend
        );
    }
}

#[tokio::test]
async fn a_csv_with_dates_as_people_type_them_imports() {
    for db in databases(&clock()).await {
        let dir = TempDir::new().unwrap();
        let mut rows: Vec<Vec<String>> = (1..=4).map(|n| migrant(n, "径河")).collect();
        rows[0][SURVEYED_ON] = "2025/3/1".into();
        rows[1][SURVEYED_ON] = " 2025-03-01 ".into();
        rows[2][SURVEYED_ON] = "2025年3月1日".into();
        rows[3][SURVEYED_ON] = full_width("2025-03-01");
        let id = resident_id_for(4);
        rows[3][ID] = format!("{} {}", full_width(&id[..9]), full_width(&id[9..]));
        let path = csv(&dir, "日期.csv", &table(migrants::FILE, rows));

        assert_eq!(
            imported(&db, migrants::FILE, "jinghe", &path).await.created,
            4,
            "{:?}",
            db.backend
        );
        for n in 1..=4 {
            let entry = migrant_with_id(&db, &resident_id_for(n)).await;
            assert_eq!(
                entry.surveyed_on,
                date(2025, 3, 1),
                "{:?} 居民{n}",
                db.backend
            );
        }
    }
}

#[tokio::test]
async fn files_that_are_no_roster_are_refused_whole() {
    for db in databases(&clock()).await {
        let dir = TempDir::new().unwrap();
        let before_file = csv(
            &dir,
            "先前.csv",
            &table(migrants::FILE, [migrant(900, "径河")]),
        );
        imported(&db, migrants::FILE, "rsj", &before_file).await;
        let before = snapshot(&db).await;

        let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10\0\0\0\x10\x08\x06\0\0\0".to_vec();
        png.extend(noise(4096));
        let picture = dir.path().join("名册.xlsx");
        std::fs::write(&picture, png).unwrap();

        // 50 MB of noise: refused from its first bytes, never read through.
        let random = dir.path().join("随机.csv");
        std::fs::write(&random, noise(50 << 20)).unwrap();

        let empty = dir.path().join("空.csv");
        std::fs::write(&empty, b"").unwrap();

        let no_city: Vec<Vec<String>> = table(migrants::FILE, [migrant(1, "径河")])
            .into_iter()
            .map(|mut row| {
                row.remove(7);
                row
            })
            .collect();
        assert_eq!(no_city[0][6], "务工省份");
        let missing = csv(&dir, "缺列.csv", &no_city);

        let cases = [
            (
                picture,
                "文件不是表格（识别为 PNG 图片），请上传 .xlsx 或 .csv",
            ),
            (
                random,
                "文件不是有效的 CSV 或 Excel 表格（含无法识别的二进制内容）",
            ),
            (empty, "文件是空的"),
            (missing, "第1行的表头缺少必填列：“务工城市”"),
        ];
        for (path, message) in cases {
            let result = import(
                &db,
                migrants::FILE,
                "rsj",
                &path,
                Some(&dir.path().join("错误.xlsx")),
            )
            .await;
            assert_eq!(
                file_refusal(&db, result),
                message,
                "{:?}: {}",
                db.backend,
                path.display()
            );
            assert_eq!(snapshot(&db).await, before, "{:?}", db.backend);
        }
        assert!(
            !dir.path().join("错误.xlsx").exists(),
            "no error workbook for a file refused whole"
        );
    }
}

/// Deterministic bytes that look like noise (xorshift), cheap to make by the megabyte.
fn noise(len: usize) -> Vec<u8> {
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut bytes = Vec::with_capacity(len + 8);
    while bytes.len() < len {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        bytes.extend_from_slice(&state.to_le_bytes());
    }
    bytes.truncate(len);
    bytes
}

#[tokio::test]
async fn title_rows_and_columns_in_another_order_are_read_by_their_headers() {
    for db in databases(&clock()).await {
        let dir = TempDir::new().unwrap();
        // Two title rows, a column of the street's own, the roster's columns back to front.
        let shuffle = |row: Vec<String>, first: &str| -> Vec<String> {
            std::iter::once(first.to_owned())
                .chain(row.into_iter().rev())
                .collect()
        };
        let mut second = migrant(2, "径河");
        second[6] = "浙江".into();
        second[7] = "宁波市".into();
        second[8] = "F".into();
        second[11] = "12".into();
        second[12] = "返区创业".into();
        second[13] = "电商".into();
        second[14] = "否".into();
        second[5] = "本科".into();
        let mut rows = vec![
            vec!["东西湖区外出就业人员摸排表（2025年）".to_owned()],
            vec![
                "填报单位：径河街道".to_owned(),
                String::new(),
                "填报日期：2025年3月5日".to_owned(),
            ],
            shuffle(headers(migrants::FILE), "备注"),
            shuffle(migrant(1, "径河"), "已核实"),
            shuffle(second, ""),
        ];
        let path = xlsx(&dir, "摸排表.xlsx", &rows, |_| {});
        assert_eq!(
            imported(&db, migrants::FILE, "jinghe", &path).await.created,
            2
        );

        let first = migrant_with_id(&db, &resident_id_for(1)).await;
        assert_eq!(
            (
                first.name.as_str(),
                first.community.as_str(),
                first.schooling.as_deref(),
                first.province.as_str(),
                first.city.as_str(),
                first.section.as_str(),
                first.occupation.as_str(),
                first.years_away,
                first.intention.as_str(),
                first.contact_consent,
                first.surveyed_on,
            ),
            (
                "居民1",
                "示范社区",
                Some("associate"),
                "广东省",
                "深圳市",
                "C",
                "电工",
                3,
                "work",
                true,
                date(2025, 3, 1)
            ),
            "{:?}",
            db.backend
        );
        assert!(
            first.phone_masked.starts_with("139"),
            "{}",
            first.phone_masked
        );
        let second = migrant_with_id(&db, &resident_id_for(2)).await;
        assert_eq!(
            (
                second.schooling.as_deref(),
                second.province.as_str(),
                second.city.as_str(),
                second.section.as_str(),
                second.years_away,
                second.intention.as_str(),
                second.business_field.as_str(),
                second.contact_consent,
            ),
            (
                Some("bachelor"),
                "浙江省",
                "宁波市",
                "F",
                12,
                "business",
                "电商",
                false
            ),
            "{:?}",
            db.backend
        );

        // A wrong cell in such a sheet is cited where the user sees it: row 6, column Q.
        let before = snapshot(&db).await;
        let mut bad = migrant(3, "径河");
        bad[PHONE] = "12345".into();
        rows.push(shuffle(bad, ""));
        let path = xlsx(&dir, "摸排表2.xlsx", &rows, |_| {});
        assert_eq!(
            row_problems(
                &db,
                import(&db, migrants::FILE, "jinghe", &path, None).await
            ),
            [
                "第6行P列“手机号码”：“12345”不是有效的手机号码（11 位，以 1 开头）或固定电话（区号-号码）"
            ],
            "{:?}",
            db.backend
        );
        assert_eq!(snapshot(&db).await, before, "{:?}", db.backend);
    }
}

/// Every cell of the first sheet of a workbook.
fn read_workbook(path: &Path) -> Vec<Vec<Data>> {
    let mut workbook: Xlsx<_> = open_workbook(path).unwrap();
    let range = workbook.worksheet_range_at(0).unwrap().unwrap();
    assert_eq!(range.start(), Some((0, 0)), "the sheet starts at A1");
    range.rows().map(<[Data]>::to_vec).collect()
}

/// Writes `rows` back as a workbook, each cell of the kind it was read as.
fn write_workbook(path: &Path, rows: &[Vec<Data>]) {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    let date_cell = Format::new().set_num_format("yyyy-mm-dd");
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let (r, c) = (r as u32, c as u16);
            match cell {
                Data::Empty => {}
                Data::String(text) => {
                    sheet.write_string(r, c, text).unwrap();
                }
                Data::Float(n) => {
                    sheet.write_number(r, c, *n).unwrap();
                }
                Data::Int(n) => {
                    sheet.write_number(r, c, *n as f64).unwrap();
                }
                Data::DateTime(d) => {
                    sheet
                        .write_number_with_format(r, c, d.as_f64(), &date_cell)
                        .unwrap();
                }
                other => panic!("unexpected cell {other:?} at {r},{c}"),
            }
        }
    }
    workbook.save(path).unwrap();
}

fn text_of(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        other => other.to_string(),
    }
}

#[tokio::test]
async fn the_error_workbook_is_fixed_and_imported_as_it_is() {
    for db in databases(&clock()).await {
        let dir = TempDir::new().unwrap();
        let mut rows: Vec<Vec<String>> = (1..=5).map(|n| migrant(n, "径河")).collect();
        let good_id = resident_id_for(2);
        rows[1][ID] = format!(
            "{}{}",
            &good_id[..17],
            if good_id.ends_with('5') { '6' } else { '5' }
        );
        rows[3][STREET] = "花山".into();
        let expected_check = good_id.chars().last().unwrap();
        let path = xlsx(&dir, "名册.xlsx", &table(migrants::FILE, rows), |sheet| {
            let march_1 = ExcelDateTime::from_ymd(2025, 3, 1).unwrap();
            let date_cell = Format::new().set_num_format("yyyy-mm-dd");
            sheet
                .write_datetime_with_format(5, SURVEYED_ON as u16, &march_1, &date_cell)
                .unwrap();
        });
        let errors = dir.path().join("名册-错误清单.xlsx");

        let problems = [
            format!("第3行B列“身份证号码”：身份证号码校验位错误，应为“{expected_check}”"),
            "第5行D列“户籍街道”：街道“花山”不是东西湖区的街道".to_owned(),
        ];
        match import(&db, migrants::FILE, "jinghe", &path, Some(&errors)).await {
            Err(Failure::Rows {
                count,
                rows,
                problems: found,
            }) => {
                assert_eq!((count, rows), (2, 5), "{:?}", db.backend);
                let found: Vec<String> = found.iter().map(ToString::to_string).collect();
                assert_eq!(found, problems, "{:?}", db.backend);
            }
            other => panic!("{:?}: expected row problems, got {other:?}", db.backend),
        }
        assert_eq!(snapshot(&db).await, [0; 4], "{:?}", db.backend);

        // The workbook: 错误说明 first, then the file's own columns; each row says what is wrong.
        let mut sheet = read_workbook(&errors);
        let header: Vec<String> = sheet[0].iter().map(text_of).collect();
        let mut expected_header = vec!["错误说明".to_owned()];
        expected_header.extend(headers(migrants::FILE));
        assert_eq!(header, expected_header);
        assert_eq!(sheet.len(), 6, "the header and five rows");
        let notes: Vec<String> = sheet[1..].iter().map(|r| text_of(&r[0])).collect();
        assert_eq!(
            notes,
            ["", &problems[0], "", &problems[1], ""],
            "{:?}",
            db.backend
        );
        assert_eq!(
            text_of(&sheet[1][1 + ID]),
            resident_id_for(1),
            "IDs stay text"
        );

        // Fix one cell of the two: the other is cited again, in the workbook's own columns.
        sheet[2][1 + ID] = Data::String(good_id.clone());
        let half_fixed = dir.path().join("名册-错误清单-改.xlsx");
        write_workbook(&half_fixed, &sheet);
        let errors_again = dir.path().join("名册-错误清单-改-错误清单.xlsx");
        assert_eq!(
            row_problems(
                &db,
                import(
                    &db,
                    migrants::FILE,
                    "jinghe",
                    &half_fixed,
                    Some(&errors_again)
                )
                .await
            ),
            ["第5行E列“户籍街道”：街道“花山”不是东西湖区的街道"],
            "{:?}",
            db.backend
        );
        assert_eq!(snapshot(&db).await, [0; 4], "{:?}", db.backend);
        let second_round = read_workbook(&errors_again);
        let header: Vec<String> = second_round[0].iter().map(text_of).collect();
        assert_eq!(
            header, expected_header,
            "an error workbook of an error workbook has one 错误说明 column"
        );
        assert_eq!(
            second_round[1..]
                .iter()
                .map(|r| text_of(&r[0]))
                .collect::<Vec<_>>(),
            [
                "",
                "",
                "",
                "第5行E列“户籍街道”：街道“花山”不是东西湖区的街道",
                ""
            ]
        );

        // Fix the other: the whole file goes in; imported again, it changes nothing.
        sheet[4][1 + STREET] = Data::String("径河".into());
        let fixed = dir.path().join("名册-已改正.xlsx");
        write_workbook(&fixed, &sheet);
        let outcome = imported(&db, migrants::FILE, "jinghe", &fixed).await;
        assert_eq!(
            (
                outcome.rows,
                outcome.created,
                outcome.updated,
                outcome.unchanged
            ),
            (5, 5, 0, 0),
            "{:?}",
            db.backend
        );
        let again = imported(&db, migrants::FILE, "jinghe", &fixed).await;
        assert_eq!(
            (again.rows, again.created, again.updated, again.unchanged),
            (5, 0, 0, 5),
            "{:?}",
            db.backend
        );
        assert_eq!(snapshot(&db).await, [5, 5, 0, 2], "{:?}", db.backend);
        assert_eq!(
            migrant_with_id(&db, &resident_id_for(5)).await.surveyed_on,
            date(2025, 3, 1),
            "the date cell survived the round trip"
        );
    }
}

#[tokio::test]
async fn a_street_cannot_import_another_streets_residents() {
    for db in databases(&clock()).await {
        let dir = TempDir::new().unwrap();
        let path = csv(
            &dir,
            "径河.csv",
            &table(migrants::FILE, [migrant(1, "径河"), migrant(2, "长青")]),
        );
        assert_eq!(
            row_problems(
                &db,
                import(&db, migrants::FILE, "jinghe", &path, None).await
            ),
            ["第3行D列“户籍街道”：本次以径河街道导入，该行为长青街道户籍，请由所在街道导入"],
            "{:?}",
            db.backend
        );
        assert_eq!(snapshot(&db).await, [0; 4], "{:?}", db.backend);

        // A resident already registered to 长青, listed by 径河 as its own: refused on writing.
        let changqing = csv(
            &dir,
            "长青.csv",
            &table(migrants::FILE, [migrant(3, "长青")]),
        );
        imported(&db, migrants::FILE, "changqing", &changqing).await;
        let before = snapshot(&db).await;
        let claimed = csv(
            &dir,
            "径河2.csv",
            &table(migrants::FILE, [migrant(4, "径河"), migrant(3, "径河")]),
        );
        assert_eq!(
            row_problems(
                &db,
                import(&db, migrants::FILE, "jinghe", &claimed, None).await
            ),
            ["第3行“身份证号码”：此人已登记为其他街道户籍，不能由本街道导入"],
            "{:?}",
            db.backend
        );
        assert_eq!(snapshot(&db).await, before, "{:?}", db.backend);
        assert_eq!(
            migrant_with_id(&db, &resident_id_for(3)).await.street_code,
            "changqing"
        );
    }
}

#[tokio::test]
async fn a_graduate_roster_lists_each_graduate_in_the_year_of_graduation() {
    for db in databases(&clock()).await {
        let dir = TempDir::new().unwrap();
        let path = csv(
            &dir,
            "毕业生.csv",
            &table(
                graduates::FILE,
                [
                    graduate(1, "径河", "2025-06-30"),
                    graduate(2, "长青", "2025/7/1"),
                    graduate(3, "径河", "2024年6月20日"),
                ],
            ),
        );
        assert_eq!(
            imported(&db, graduates::FILE, "rsj", &path).await.created,
            3,
            "{:?}",
            db.backend
        );
        let of_2025 = graduates_of(&db, 2025).await;
        let mut names: Vec<(&str, i64, &str)> = of_2025
            .iter()
            .map(|g| (g.name.as_str(), g.year, g.school.as_str()))
            .collect();
        names.sort();
        assert_eq!(
            names,
            [("毕业生1", 2025, "江汉大学"), ("毕业生2", 2025, "江汉大学")],
            "{:?}",
            db.backend
        );
        let of_2024 = graduates_of(&db, 2024).await;
        assert_eq!(of_2024.len(), 1);
        assert_eq!(
            (
                of_2024[0].name.as_str(),
                of_2024[0].year,
                of_2024[0].graduated_on
            ),
            ("毕业生3", 2024, date(2024, 6, 20))
        );
        assert_eq!(of_2024[0].degree, "bachelor");

        // A graduation outside the plan's years is refused with the years allowed.
        let before = snapshot(&db).await;
        let old = csv(
            &dir,
            "往届.csv",
            &table(graduates::FILE, [graduate(4, "径河", "2019-06-30")]),
        );
        assert_eq!(
            row_problems(&db, import(&db, graduates::FILE, "rsj", &old, None).await),
            ["第2行J列“毕业日期”：2019-06-30 不在 2023—2027 年之间"],
            "{:?}",
            db.backend
        );
        assert_eq!(snapshot(&db).await, before, "{:?}", db.backend);
    }
}

/// Where the vocabulary columns stand in a row built by [`migrant`].
const SCHOOLING: usize = 5;
const INTENTION: usize = 12;
const BUSINESS_FIELD: usize = 13;
const CONSENT: usize = 14;

#[tokio::test]
async fn a_survey_sheet_written_as_streets_write_it_imports() {
    for db in databases(&clock()).await {
        let dir = TempDir::new().unwrap();
        let mut rows: Vec<Vec<String>> = (1..=4).map(|n| migrant(n, "径河")).collect();
        rows[0][INTENTION] = "观望".into();
        rows[0][SCHOOLING] = "初中毕业".into();
        rows[0][CONSENT] = "√".into();
        rows[1][INTENTION] = "有意向返乡创业".into();
        rows[1][BUSINESS_FIELD] = "农产品电商".into();
        rows[1][SCHOOLING] = "大学本科".into();
        rows[1][CONSENT] = "不同意".into();
        rows[2][INTENTION] = "无".into();
        rows[2][SCHOOLING] = "中专".into();
        rows[2][CONSENT] = "同意".into();
        rows[3][INTENTION] = "想回来上班".into();
        rows[3][SCHOOLING] = "专科".into();
        let path = xlsx(&dir, "摸排表.xlsx", &table(migrants::FILE, rows), |_| {});

        let outcome = imported(&db, migrants::FILE, "jinghe", &path).await;
        assert_eq!(outcome.created, 4, "{:?}", db.backend);
        let expected = [
            ("undecided", "junior", true),
            ("business", "bachelor", false),
            ("none", "senior", true),
            ("work", "associate", true),
        ];
        for (n, (intention, schooling, consent)) in (1..=4).zip(expected) {
            let entry = migrant_with_id(&db, &resident_id_for(n)).await;
            assert_eq!(
                (
                    entry.intention.as_str(),
                    entry.schooling.as_deref(),
                    entry.contact_consent
                ),
                (intention, Some(schooling), consent),
                "{:?} row of 居民{n}",
                db.backend
            );
        }
    }
}

#[tokio::test]
async fn a_value_no_spelling_matches_is_refused_with_the_values_allowed() {
    for db in databases(&clock()).await {
        let dir = TempDir::new().unwrap();
        let mut rows: Vec<Vec<String>> = (1..=2).map(|n| migrant(n, "径河")).collect();
        rows[1][INTENTION] = "随便".into();
        rows[1][CONSENT] = "看情况".into();
        let path = csv(&dir, "意向.csv", &table(migrants::FILE, rows));
        let before = snapshot(&db).await;
        assert_eq!(
            row_problems(
                &db,
                import(&db, migrants::FILE, "jinghe", &path, None).await
            ),
            [
                "第3行M列“返区意向”：“随便”无法识别，可填：无意向、未确定、返区就业、返区创业",
                "第3行O列“同意联系”：“看情况”无法识别，可填：是、否",
            ],
            "{:?}",
            db.backend
        );
        assert_eq!(snapshot(&db).await, before, "{:?}", db.backend);
    }
}

#[tokio::test]
async fn the_sum_and_signature_rows_under_the_data_are_skipped_and_named() {
    for db in databases(&clock()).await {
        let dir = TempDir::new().unwrap();
        let width = migrants::COLUMNS.len();
        let footer = |cells: &[(usize, &str)]| {
            let mut row = vec![String::new(); width];
            for (c, text) in cells {
                row[*c] = (*text).to_owned();
            }
            row
        };
        let mut rows = vec![
            footer(&[(0, "径河街道外出就业人员摸排表")]),
            headers(migrants::FILE),
        ];
        rows.extend((1..=3).map(|n| migrant(n, "径河")));
        rows.push(footer(&[(0, "合计"), (1, "3人")]));
        rows.push(vec![String::new(); width]);
        rows.push(footer(&[
            (0, "填表人：张三"),
            (3, "审核人：李四"),
            (15, "填表日期：2025年3月5日"),
        ]));
        let path = xlsx(&dir, "摸排表.xlsx", &rows, |sheet| {
            // The sum's count as a number cell, as Excel's SUM leaves it.
            sheet.write_number(5, 11, 9).unwrap();
        });

        let before = snapshot(&db).await;
        match import(&db, migrants::FILE, "jinghe", &path, None).await {
            Ok(Imported { outcome, skipped }) => {
                assert_eq!((outcome.rows, outcome.created), (3, 3), "{:?}", db.backend);
                let notes: Vec<String> = skipped.iter().map(ToString::to_string).collect();
                assert_eq!(
                    notes,
                    ["跳过第 6 行（合计行）", "跳过第 8 行（填表人行）"],
                    "{:?}",
                    db.backend
                );
            }
            Err(failure) => panic!("{:?}: refused: {failure:?}", db.backend),
        }
        let after = snapshot(&db).await;
        assert_eq!(after[0] - before[0], 3, "{:?}: residents", db.backend);
        assert_eq!(after[1] - before[1], 3, "{:?}: out-migrants", db.backend);
    }
}

#[tokio::test]
async fn a_signature_above_more_people_is_read_as_a_row_and_refused() {
    for db in databases(&clock()).await {
        let dir = TempDir::new().unwrap();
        let width = migrants::COLUMNS.len();
        let mut signature = vec![String::new(); width];
        signature[0] = "填表人：张三".into();
        let rows = table(
            migrants::FILE,
            [migrant(1, "径河"), signature, migrant(2, "径河")],
        );
        let path = csv(&dir, "中间.csv", &rows);
        let problems = row_problems(
            &db,
            import(&db, migrants::FILE, "jinghe", &path, None).await,
        );
        assert!(
            !problems.is_empty() && problems.iter().all(|p| p.starts_with("第3行")),
            "{:?}: {problems:?}",
            db.backend
        );
    }
}
