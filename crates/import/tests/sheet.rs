//! Reading the files users upload: real files written to a temporary directory.

use std::io::Write;
use std::path::{Path, PathBuf};

mod common;

use common::{Package, sheet};
use linkong_import::{Cell, Format, ReadError, RowProblem, Sheet};
use rust_xlsxwriter::{ExcelDateTime, Format as XlsxFormat, Workbook};
use tempfile::TempDir;

fn write(dir: &TempDir, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

fn text(s: &str) -> Cell {
    Cell::Text(s.into())
}

fn all_rows(path: &Path) -> Vec<(usize, Vec<Cell>)> {
    let mut sheet = Sheet::open(path).unwrap();
    let mut rows = Vec::new();
    while let Some(row) = sheet.next_row().unwrap() {
        rows.push(row);
    }
    rows
}

fn refusal(path: &Path) -> ReadError {
    Sheet::open(path).unwrap_err()
}

/// Deterministic bytes that look like noise (xorshift).
fn noise(len: usize) -> Vec<u8> {
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 32) as u8
        })
        .collect()
}

#[test]
fn a_utf8_csv_reads_as_text_cells_numbered_from_one() {
    let dir = TempDir::new().unwrap();
    let path = write(
        &dir,
        "名单.csv",
        "姓名,身份证号码,电话\n张三,440301199001011234,13800138000\n".as_bytes(),
    );
    let sheet = Sheet::open(&path).unwrap();
    assert_eq!(sheet.format(), Format::Csv);
    assert_eq!(
        all_rows(&path),
        vec![
            (1, vec![text("姓名"), text("身份证号码"), text("电话")]),
            (
                2,
                vec![
                    text("张三"),
                    text("440301199001011234"),
                    text("13800138000")
                ]
            ),
        ]
    );
}

#[test]
fn a_utf8_bom_is_not_part_of_the_first_cell() {
    let dir = TempDir::new().unwrap();
    let path = write(
        &dir,
        "bom.csv",
        "\u{FEFF}姓名,年龄\r\n李四,30\r\n".as_bytes(),
    );
    assert_eq!(
        all_rows(&path),
        vec![
            (1, vec![text("姓名"), text("年龄")]),
            (2, vec![text("李四"), text("30")]),
        ]
    );
}

#[test]
fn a_gbk_csv_saved_by_excel_on_chinese_windows_is_decoded() {
    let dir = TempDir::new().unwrap();
    let (gbk, _, _) = encoding_rs::GBK.encode("姓名,户籍地址\r\n王五,东莞市南城街道\r\n");
    let path = write(&dir, "gbk.csv", &gbk);
    assert_eq!(
        all_rows(&path),
        vec![
            (1, vec![text("姓名"), text("户籍地址")]),
            (2, vec![text("王五"), text("东莞市南城街道")]),
        ]
    );
}

#[test]
fn a_gbk_row_after_a_long_ascii_head_is_still_decoded() {
    let dir = TempDir::new().unwrap();
    let mut bytes = Vec::new();
    for i in 0..5_000 {
        writeln!(bytes, "{i},440301199001011234,13800138000").unwrap();
    }
    assert!(bytes.len() > 64 * 1024);
    // In GBK "牛" is C5 A3, which is valid UTF-8 too ("ţ").
    bytes.extend_from_slice(&encoding_rs::GBK.encode("5000,牛\n5001,赵六\n").0);
    let path = write(&dir, "ascii-then-gbk.csv", &bytes);
    let rows = all_rows(&path);
    assert_eq!(rows.len(), 5_002);
    assert_eq!(rows[5_000], (5_001, vec![text("5000"), text("牛")]));
    assert_eq!(rows[5_001], (5_002, vec![text("5001"), text("赵六")]));
}

#[test]
fn quoted_cells_keep_commas_and_line_breaks_and_rows_keep_their_numbers() {
    let dir = TempDir::new().unwrap();
    let csv =
        "姓名,备注\r\n\"张,三\",\"第一行\r\n第二行\"\r\n\r\n李四,\"说\"\"好\"\"\"\r\n,\r\n王五\r\n";
    let path = write(&dir, "quoted.csv", csv.as_bytes());
    assert_eq!(
        all_rows(&path),
        vec![
            (1, vec![text("姓名"), text("备注")]),
            (2, vec![text("张,三"), text("第一行\r\n第二行")]),
            // The blank line is row 3 in Excel; the row of empty cells (row 5) is skipped.
            (4, vec![text("李四"), text("说\"好\"")]),
            (6, vec![text("王五")]),
        ]
    );
}

#[test]
fn blank_lines_count_as_rows_with_any_line_ending() {
    let dir = TempDir::new().unwrap();
    for (name, csv) in [("lf.csv", "a\n\n\nb\n"), ("crlf.csv", "a\r\n\r\n\r\nb")] {
        let path = write(&dir, name, csv.as_bytes());
        assert_eq!(
            all_rows(&path),
            vec![(1, vec![text("a")]), (4, vec![text("b")])],
            "{name}"
        );
    }
}

#[test]
fn a_row_that_is_not_utf8_is_cited_by_its_number() {
    let dir = TempDir::new().unwrap();
    // Past the 64 KB the encoding is told from, a row of bytes that are no UTF-8.
    let mut bytes = Vec::new();
    for i in 0..3_000 {
        writeln!(bytes, "张三{i},13800138000").unwrap();
    }
    bytes.extend_from_slice(b"138,\xFF\xFE\xFD\n");
    let path = write(&dir, "broken.csv", &bytes);
    let mut sheet = Sheet::open(&path).unwrap();
    for _ in 0..3_000 {
        sheet.next_row().unwrap();
    }
    let err = sheet.next_row().unwrap_err();
    assert!(
        matches!(
            err,
            ReadError::BadRow {
                row: 3_001,
                problem: RowProblem::Undecodable { column: 1 }
            }
        ),
        "{err:?}"
    );
    assert!(
        err.to_string().starts_with("第3001行无法读取：第2列"),
        "{err}"
    );
    assert_eq!(sheet.next_row().unwrap(), None);
}

#[test]
fn an_unclosed_quote_is_refused_at_its_row_without_reading_the_rest_into_memory() {
    let dir = TempDir::new().unwrap();
    let mut bytes = b"name,note\n\"unclosed,oops\n".to_vec();
    while bytes.len() < 5 << 20 {
        bytes.extend_from_slice(b"plenty,of,rows,that,follow\n");
    }
    let path = write(&dir, "unclosed.csv", &bytes);
    let mut sheet = Sheet::open(&path).unwrap();
    sheet.next_row().unwrap();
    let err = sheet.next_row().unwrap_err();
    assert!(
        matches!(
            err,
            ReadError::BadRow {
                row: 2,
                problem: RowProblem::UnclosedQuote
            }
        ),
        "{err:?}"
    );
    assert!(err.to_string().contains("引号"), "{err}");
}

fn date_format() -> XlsxFormat {
    XlsxFormat::new().set_num_format("yyyy-mm-dd")
}

#[test]
fn an_xlsx_gives_text_numbers_dates_and_true_row_numbers_around_a_blank_row() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("名单.xlsx");
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.write_string(0, 0, "姓名").unwrap();
    sheet.write_string(0, 1, "年龄").unwrap();
    sheet.write_string(0, 2, "出生日期").unwrap();
    sheet.write_string(0, 3, "党员").unwrap();
    sheet.write_string(1, 0, "张三").unwrap();
    sheet.write_number(1, 1, 30).unwrap();
    let birthday = ExcelDateTime::from_ymd(2025, 3, 1).unwrap();
    sheet
        .write_datetime_with_format(1, 2, &birthday, &date_format())
        .unwrap();
    sheet.write_boolean(1, 3, true).unwrap();
    // Row 3 is left blank; row 4 starts in column B.
    sheet.write_number(3, 1, 2.5).unwrap();
    workbook.save(&path).unwrap();

    let opened = Sheet::open(&path).unwrap();
    assert_eq!(opened.format(), Format::Xlsx);
    let rows = all_rows(&path);
    assert_eq!(
        rows[0],
        (
            1,
            vec![text("姓名"), text("年龄"), text("出生日期"), text("党员")]
        )
    );
    assert_eq!(
        rows[1],
        (
            2,
            vec![
                text("张三"),
                Cell::Number(30.0),
                Cell::DateSerial(45717.0),
                Cell::Bool(true)
            ]
        )
    );
    assert_eq!(rows[2], (4, vec![Cell::Empty, Cell::Number(2.5)]));
    assert_eq!(rows.len(), 3);
}

#[test]
fn an_id_number_typed_as_a_number_comes_back_as_a_number() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("ids.xlsx");
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.write_string(0, 0, "身份证号码").unwrap();
    sheet.write_number(1, 0, 440301199001011234.0).unwrap();
    workbook.save(&path).unwrap();
    let rows = all_rows(&path);
    assert_eq!(rows[1], (2, vec![Cell::Number(440301199001011234.0)]));
}

#[test]
fn the_first_visible_worksheet_is_read() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("hidden.xlsx");
    let mut workbook = Workbook::new();
    let hidden = workbook.add_worksheet();
    hidden.write_string(0, 0, "说明").unwrap();
    hidden.set_hidden(true);
    let roster = workbook.add_worksheet();
    roster.write_string(0, 0, "姓名").unwrap();
    roster.set_active(true);
    workbook.save(&path).unwrap();
    assert_eq!(all_rows(&path), vec![(1, vec![text("姓名")])]);
}

#[test]
fn an_old_xls_is_refused_with_how_to_save_it() {
    let dir = TempDir::new().unwrap();
    let mut bytes = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1".to_vec();
    bytes.resize(4096, 0);
    let path = write(&dir, "名单.xls", &bytes);
    let err = refusal(&path);
    assert!(matches!(err, ReadError::LegacyXls), "{err:?}");
    assert_eq!(
        err.to_string(),
        "暂不支持旧版 .xls 文件，请在 Excel 中另存为 .xlsx 或 .csv"
    );
}

#[test]
fn a_png_named_csv_is_refused_as_an_image() {
    let dir = TempDir::new().unwrap();
    let mut bytes = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    bytes.extend(noise(2048));
    let path = write(&dir, "名单.csv", &bytes);
    let err = refusal(&path);
    assert_eq!(
        err.to_string(),
        "文件不是表格（识别为 PNG 图片），请上传 .xlsx 或 .csv"
    );
}

#[test]
fn a_pdf_is_refused_as_a_pdf_even_when_it_reads_as_text() {
    let dir = TempDir::new().unwrap();
    let path = write(
        &dir,
        "名单.csv",
        b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n",
    );
    assert_eq!(
        refusal(&path).to_string(),
        "文件不是表格（识别为 PDF 文档），请上传 .xlsx 或 .csv"
    );
}

#[test]
fn a_web_page_saved_as_xls_is_refused() {
    let dir = TempDir::new().unwrap();
    let path = write(
        &dir,
        "导出.xls",
        b"<html><body><table><tr><td>1</td></tr></table>",
    );
    assert!(refusal(&path).to_string().contains("HTML 网页"));
}

#[test]
fn random_bytes_are_refused_as_binary() {
    let dir = TempDir::new().unwrap();
    let path = write(&dir, "random.csv", &noise(1 << 20));
    let err = refusal(&path);
    assert!(matches!(err, ReadError::Binary), "{err:?}");
    assert_eq!(
        err.to_string(),
        "文件不是有效的 CSV 或 Excel 表格（含无法识别的二进制内容）"
    );
}

#[test]
fn a_large_binary_file_is_refused_from_its_head() {
    let dir = TempDir::new().unwrap();
    let path = write(&dir, "big.bin", &noise(1 << 20));
    // 50 MB: noise, then a hole the file system need not store.
    std::fs::File::options()
        .append(true)
        .open(&path)
        .unwrap()
        .set_len(50 << 20)
        .unwrap();
    // Refused from its head (the first 64 KB); how fast is for benchmarks, not tests.
    assert!(matches!(refusal(&path), ReadError::Binary));
}

#[test]
fn a_zip_that_is_no_workbook_is_refused() {
    let dir = TempDir::new().unwrap();
    let mut bytes = b"PK\x03\x04".to_vec();
    bytes.extend(noise(4096));
    let path = write(&dir, "名单.xlsx", &bytes);
    let err = refusal(&path);
    assert!(matches!(err, ReadError::InvalidXlsx(_)), "{err:?}");
    assert_eq!(err.to_string(), "文件不是有效的 Excel（.xlsx）工作簿");
}

#[test]
fn an_empty_file_is_refused_as_empty() {
    let dir = TempDir::new().unwrap();
    for (name, bytes) in [
        ("empty.csv", &b""[..]),
        ("bom-only.csv", &b"\xEF\xBB\xBF\r\n"[..]),
    ] {
        let path = write(&dir, name, bytes);
        assert_eq!(refusal(&path).to_string(), "文件是空的", "{name}");
    }
}

#[test]
fn a_missing_file_says_so() {
    let dir = TempDir::new().unwrap();
    assert_eq!(
        refusal(&dir.path().join("none.csv")).to_string(),
        "无法读取文件：文件不存在"
    );
}

#[test]
fn long_files_stream_through_with_progress() {
    let dir = TempDir::new().unwrap();

    let csv_rows = 200_000;
    let csv_path = dir.path().join("long.csv");
    let mut csv = std::io::BufWriter::new(std::fs::File::create(&csv_path).unwrap());
    writeln!(csv, "姓名,身份证号码,电话,地址").unwrap();
    for i in 0..csv_rows {
        writeln!(
            csv,
            "居民{i},44030119900101{:04},138{i:08},东莞市南城街道{i}号",
            i % 10_000
        )
        .unwrap();
    }
    drop(csv);
    let (count, last) = count_rows(&csv_path);
    assert_eq!(count, csv_rows + 1);
    assert_eq!(last, csv_rows + 1);

    let xlsx_rows: u32 = 50_000;
    let xlsx_path = dir.path().join("long.xlsx");
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    for row in 0..xlsx_rows {
        sheet.write_string(row, 0, format!("居民{row}")).unwrap();
        sheet
            .write_string(row, 1, format!("44030119900101{:04}", row % 10_000))
            .unwrap();
        sheet.write_number(row, 2, f64::from(row)).unwrap();
    }
    workbook.save(&xlsx_path).unwrap();
    let (count, last) = count_rows(&xlsx_path);
    assert_eq!(count, xlsx_rows as usize);
    assert_eq!(last, xlsx_rows as usize);
}

/// Reads a file through, checking that progress only grows and ends at the file's size.
fn count_rows(path: &Path) -> (usize, usize) {
    let mut sheet = Sheet::open(path).unwrap();
    let (mut count, mut last, mut progress) = (0, 0, 0);
    while let Some((row, _)) = sheet.next_row().unwrap() {
        count += 1;
        last = row;
        assert!(sheet.bytes_read() >= progress);
        progress = sheet.bytes_read();
        if count == 1_000 {
            assert!(progress > 0 && progress < sheet.total_bytes(), "{progress}");
        }
    }
    assert_eq!(sheet.bytes_read(), sheet.total_bytes());
    (count, last)
}

#[test]
fn shared_strings_join_rich_text_and_leave_out_phonetic_guides() {
    let dir = TempDir::new().unwrap();
    let sheet_data =
        sheet(r#"<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>"#);
    let path = Package {
        sheet_data: &sheet_data,
        // The count claimed is absurd: it must not be trusted to reserve memory.
        shared_strings: Some(
            r#"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="2" uniqueCount="100000000000"><si><r><t>东莞</t></r><r><rPr><b/></rPr><t xml:space="preserve"> 南城</t></r><rPh sb="0" eb="2"><t>とうかん</t></rPh></si><si><t>a&amp;b_x000D_</t></si></sst>"#,
        ),
        ..Package::default()
    }
    .write(&dir, "rich.xlsx");
    assert_eq!(
        all_rows(&path),
        vec![(1, vec![text("东莞 南城"), text("a&b\r")])]
    );
}

#[test]
fn rows_and_cells_without_references_follow_one_another() {
    let dir = TempDir::new().unwrap();
    let sheet_data = r#"<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData><x:row><x:c t="inlineStr"><x:is><x:t>甲</x:t></x:is></x:c><x:c><x:v>2</x:v></x:c></x:row><x:row/><x:row><x:c t="str"><x:v>乙</x:v></x:c><x:c t="d"><x:v>2025-03-01T12:00:00</x:v></x:c><x:c t="e"><x:v>#N/A</x:v></x:c></x:row></x:sheetData></x:worksheet>"#;
    let path = Package {
        sheet_data,
        ..Package::default()
    }
    .write(&dir, "prefixed.xlsx");
    assert_eq!(
        all_rows(&path),
        vec![
            (1, vec![text("甲"), Cell::Number(2.0)]),
            (
                3,
                vec![
                    text("乙"),
                    Cell::DateSerial(45717.5),
                    Cell::Error("#N/A".into())
                ]
            ),
        ]
    );
}

#[test]
fn dates_of_a_1904_workbook_come_in_the_1900_system() {
    let dir = TempDir::new().unwrap();
    let sheet_data = sheet(
        r#"<row r="1"><c r="A1" s="1"><v>0</v></c><c r="B1" s="2"><v>1</v></c><c r="C1"><v>1</v></c></row>"#,
    );
    let path = Package {
        sheet_data: &sheet_data,
        styles: Some(
            r#"<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy&quot;年&quot;m&quot;月&quot;"/></numFmts><cellStyleXfs count="1"><xf numFmtId="14"/></cellStyleXfs><cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/></cellXfs></styleSheet>"#,
        ),
        workbook_pr: r#"<workbookPr date1904="1"/>"#,
        ..Package::default()
    }
    .write(&dir, "mac.xlsx");
    assert_eq!(
        all_rows(&path),
        vec![(
            1,
            vec![
                // 1904-01-01 and 1904-01-02.
                Cell::DateSerial(1462.0),
                Cell::DateSerial(1463.0),
                Cell::Number(1.0)
            ]
        )]
    );
}

#[test]
fn a_compressed_giant_tag_is_refused_without_filling_memory() {
    let dir = TempDir::new().unwrap();
    let giant = "a".repeat(6 << 20);
    let sheet_data = sheet(&format!(
        r#"<row r="1"><c r="A1" t="inlineStr"><is><t>姓名</t></is></c></row><row r="2" x="{giant}"/>"#
    ));
    let path = Package {
        sheet_data: &sheet_data,
        ..Package::default()
    }
    .write(&dir, "giant.xlsx");
    assert!(std::fs::metadata(&path).unwrap().len() < 100_000);
    let mut sheet = Sheet::open(&path).unwrap();
    assert_eq!(sheet.next_row().unwrap(), Some((1, vec![text("姓名")])));
    let err = sheet.next_row().unwrap_err();
    assert!(
        matches!(
            err,
            ReadError::BadRow {
                problem: RowProblem::CorruptXlsx(_),
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.to_string().contains("内容过大"), "{err}");
}

#[test]
fn a_cut_off_worksheet_fails_at_the_row_it_stops_in() {
    let dir = TempDir::new().unwrap();
    let sheet_data = r#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1"><v>1</v></c></row><row r="2"><c r="A2"><v>2"#;
    let path = Package {
        sheet_data,
        ..Package::default()
    }
    .write(&dir, "cut.xlsx");
    let mut sheet = Sheet::open(&path).unwrap();
    assert_eq!(
        sheet.next_row().unwrap(),
        Some((1, vec![Cell::Number(1.0)]))
    );
    let err = sheet.next_row().unwrap_err();
    assert!(matches!(err, ReadError::BadRow { row: 2, .. }), "{err:?}");
    assert!(
        err.to_string()
            .starts_with("第2行无法读取：Excel 文件内容已损坏"),
        "{err}"
    );
    assert_eq!(sheet.next_row().unwrap(), None);
}

#[test]
fn a_workbook_of_chart_sheets_only_has_no_worksheet() {
    let dir = TempDir::new().unwrap();
    let sheet_data = sheet("");
    let path = Package {
        sheet_data: &sheet_data,
        sheet_relationship: "chartsheet",
        ..Package::default()
    }
    .write(&dir, "charts.xlsx");
    let err = refusal(&path);
    assert!(matches!(err, ReadError::NoWorksheet), "{err:?}");
    assert_eq!(err.to_string(), "Excel 工作簿中没有工作表");
}

#[test]
fn a_word_document_is_refused_as_one() {
    use zip::write::SimpleFileOptions;
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("名单.xlsx");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
    zip.start_file("word/document.xml", SimpleFileOptions::default())
        .unwrap();
    zip.write_all(b"<w:document/>").unwrap();
    zip.finish().unwrap();
    assert_eq!(
        refusal(&path).to_string(),
        "文件不是表格（识别为 Word 文档），请上传 .xlsx 或 .csv"
    );
}
