//! Workbooks made to hurt the reader: a zip bomb (both honest and lying about its size),
//! billion laughs, deep nesting, a huge shared-string table, and cells citing shared strings
//! that do not exist. Each ends with a clear Chinese error in bounded time and memory; none
//! is inflated or expanded past the reader's limits.

mod common;

use std::time::{Duration, Instant};

use common::{
    Entry, LAST_BLOCK, Package, SHEET_HEAD, SHEET_PART, bomb_after, deflate_blocks, sheet, workbook,
};
use linkong_import::{Cell, ReadError, RowProblem, Sheet, XlsxError};

/// Far more than any of these needs, far less than inflating a bomb would take.
const BOUNDED: Duration = Duration::from_secs(30);

const STRINGS_PART: &str = "xl/sharedStrings.xml";

/// A deflated worksheet of `megabytes` MB of empty rows: every event small, so only the size
/// of the whole can stop it.
fn bomb(megabytes: usize, declared_size: u32) -> Entry {
    bomb_after(SHEET_HEAD, megabytes, declared_size)
}

fn open_error(bytes: Vec<u8>) -> ReadError {
    Sheet::from_bytes(bytes).unwrap_err()
}

/// The error that ends reading the sheet, after the rows before it.
fn reading_error(bytes: Vec<u8>) -> (Vec<(usize, Vec<Cell>)>, ReadError) {
    let mut sheet = Sheet::from_bytes(bytes).unwrap();
    let mut rows = Vec::new();
    loop {
        match sheet.next_row() {
            Ok(Some(row)) => rows.push(row),
            Ok(None) => panic!("the sheet must fail, it ended after {} rows", rows.len()),
            Err(e) => {
                assert_eq!(sheet.next_row().unwrap(), None, "finished after an error");
                return (rows, e);
            }
        }
    }
}

#[test]
fn a_zip_bomb_is_refused_from_its_declared_size_before_anything_is_inflated() {
    // 3,000 MB of empty rows from under 5 MB.
    let bytes = workbook(&Package::default(), vec![bomb(3_000, 3_000_000_000)]);
    assert!(bytes.len() < 5 << 20, "{} bytes", bytes.len());
    let started = Instant::now();
    let err = open_error(bytes);
    assert!(started.elapsed() < BOUNDED);
    assert!(
        matches!(err, ReadError::InvalidXlsx(XlsxError::PartTooLarge { .. })),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "文件不是有效的 Excel（.xlsx）工作簿（xl/worksheets/sheet1.xml 解压后超过 2048 MB 或超过压缩包中记录的大小）"
    );
}

#[test]
fn a_zip_bomb_that_understates_its_size_stops_at_the_size_it_states() {
    // It says 64 KB and would inflate to 200 MB.
    let bytes = workbook(&Package::default(), vec![bomb(200, 64 << 10)]);
    let started = Instant::now();
    let (rows, err) = reading_error(bytes);
    assert!(started.elapsed() < BOUNDED);
    assert!(rows.is_empty());
    assert!(
        matches!(
            &err,
            ReadError::BadRow {
                problem: RowProblem::CorruptXlsx(XlsxError::PartTooLarge { .. }),
                ..
            }
        ),
        "{err:?}"
    );
    assert!(
        err.to_string().ends_with(
            "无法读取：Excel 文件内容已损坏（xl/worksheets/sheet1.xml 解压后超过 2048 MB 或超过压缩包中记录的大小）"
        ),
        "{err}"
    );
}

#[test]
fn billion_laughs_in_the_shared_strings_are_refused_not_expanded() {
    let mut doctype = String::from(r#"<!DOCTYPE sst [<!ENTITY lol0 "lol">"#);
    for i in 1..10 {
        let previous = format!("&lol{};", i - 1).repeat(10);
        doctype.push_str(&format!(r#"<!ENTITY lol{i} "{previous}">"#));
    }
    doctype.push_str("]>");
    let strings = format!(
        r#"<?xml version="1.0"?>{doctype}<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&lol9;</t></si></sst>"#
    );
    let sheet_data = sheet(r#"<row r="1"><c r="A1" t="s"><v>0</v></c></row>"#);
    let package = Package {
        sheet_data: &sheet_data,
        shared_strings: Some(&strings),
        ..Package::default()
    };
    let started = Instant::now();
    let err = open_error(workbook(&package, vec![]));
    assert!(started.elapsed() < BOUNDED);
    assert!(
        matches!(err, ReadError::InvalidXlsx(XlsxError::Entity { .. })),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "文件不是有效的 Excel（.xlsx）工作簿（xl/sharedStrings.xml 中有无法识别的实体 &lol9;）"
    );
}

#[test]
fn an_entity_in_a_cell_is_refused_at_its_row() {
    let sheet_data = sheet(
        r#"<row r="1"><c r="A1" t="inlineStr"><is><t>姓名</t></is></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>&xxe;</t></is></c></row>"#,
    );
    let package = Package {
        sheet_data: &sheet_data,
        ..Package::default()
    };
    let (rows, err) = reading_error(workbook(&package, vec![]));
    assert_eq!(rows, vec![(1, vec![Cell::Text("姓名".into())])]);
    assert_eq!(
        err.to_string(),
        "第2行无法读取：Excel 文件内容已损坏（xl/worksheets/sheet1.xml 中有无法识别的实体 &xxe;）"
    );
}

#[test]
fn deep_nesting_in_a_cell_is_refused_at_its_row() {
    let mut data = String::from(SHEET_HEAD);
    data.push_str(
        r#"<row r="1"><c r="A1"><v>1</v></c></row><row r="2"><c r="A2" t="inlineStr"><is>"#,
    );
    data.push_str(&"<r>".repeat(1_000_000));
    let entry = Entry {
        name: SHEET_PART.into(),
        method: 8,
        declared_size: data.len() as u32,
        data: [deflate_blocks(&data), LAST_BLOCK.to_vec()].concat(),
        crc: 0,
    };
    let started = Instant::now();
    let (rows, err) = reading_error(workbook(&Package::default(), vec![entry]));
    assert!(started.elapsed() < BOUNDED);
    assert_eq!(rows, vec![(1, vec![Cell::Number(1.0)])]);
    assert_eq!(
        err.to_string(),
        "第2行无法读取：Excel 文件内容已损坏（xl/worksheets/sheet1.xml 嵌套超过 256 层）"
    );
}

#[test]
fn deep_nesting_in_the_shared_strings_is_refused_at_once() {
    let strings = format!(
        r#"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si>{}"#,
        "<x>".repeat(100_000)
    );
    let package = Package {
        sheet_data: SHEET_HEAD,
        shared_strings: Some(&strings),
        ..Package::default()
    };
    let err = open_error(workbook(&package, vec![]));
    assert_eq!(
        err.to_string(),
        "文件不是有效的 Excel（.xlsx）工作簿（xl/sharedStrings.xml 嵌套超过 256 层）"
    );
}

#[test]
fn a_huge_shared_string_table_is_refused_past_its_limit() {
    // 8,400,000 texts (past 8,388,608) in about 40 KB.
    let (head, texts, tail) = (
        r#"<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#,
        "<si/>".repeat(200_000),
        "</sst>",
    );
    let mut data = deflate_blocks(head);
    let deflated_texts = deflate_blocks(&texts);
    for _ in 0..42 {
        data.extend(&deflated_texts);
    }
    data.extend(deflate_blocks(tail));
    data.extend(LAST_BLOCK);
    let entry = Entry {
        name: STRINGS_PART.into(),
        method: 8,
        data,
        crc: 0,
        declared_size: (head.len() + 42 * texts.len() + tail.len()) as u32,
    };
    let sheet_data = sheet("");
    let package = Package {
        sheet_data: &sheet_data,
        ..Package::default()
    };
    let bytes = workbook(&package, vec![entry]);
    assert!(bytes.len() < 1 << 20, "{} bytes", bytes.len());
    let started = Instant::now();
    let err = open_error(bytes);
    assert!(started.elapsed() < BOUNDED);
    assert!(matches!(err, ReadError::TooMuchText), "{err:?}");
    assert_eq!(
        err.to_string(),
        "工作簿中的文字过多（不同的文字超过 838 万项或 1024 MB），请拆分为几个文件后上传"
    );
}

#[test]
fn a_cell_citing_a_shared_string_past_the_table_is_refused_at_its_row() {
    let strings = r#"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>姓名</t></si><si><t>张三</t></si></sst>"#;
    for (value, problem) in [
        ("2", "共享文字第 2 项不存在"),
        ("4294967296", "共享文字第 4294967296 项不存在"),
        ("-1", "单元格的值“-1”无效"),
        (
            "99999999999999999999999",
            "单元格的值“99999999999999999999999”无效",
        ),
    ] {
        let sheet_data = sheet(&format!(
            r#"<row r="1"><c r="A1" t="s"><v>1</v></c></row><row r="2"><c r="A2" t="s"><v>{value}</v></c></row>"#
        ));
        let package = Package {
            sheet_data: &sheet_data,
            shared_strings: Some(strings),
            ..Package::default()
        };
        let (rows, err) = reading_error(workbook(&package, vec![]));
        assert_eq!(rows, vec![(1, vec![Cell::Text("张三".into())])]);
        assert_eq!(
            err.to_string(),
            format!("第2行无法读取：Excel 文件内容已损坏（{problem}）")
        );
    }
}
