//! The list of students of a 学子东西湖行 visit (task 1.3.3), uploaded as csv or xlsx: 姓名,
//! 学校, 专业, 年级, headers found wherever they stand. The rows are read here, each with the row
//! number the user sees in Excel; core checks them (the same student twice, empty parts) and the
//! store adds them to the visit whole or not at all, each wrong row named.

use std::path::Path;

use linkong_core::student_visits::{MAX_STUDENTS, StudentDraft};

use crate::layout::{Column, Kind};
use crate::migrants::column;
use crate::run::{open, row_values};

/// The first sheet's name in the template.
pub const SHEET_NAME: &str = "参与学生";

/// The columns, in template order.
pub const COLUMNS: [Column; 4] = [
    column("姓名", &["学生姓名"], true, Kind::Text, "必填"),
    column(
        "学校",
        &["高校", "学校名称", "院校"],
        true,
        Kind::Text,
        "必填，如 武汉大学",
    ),
    column(
        "专业",
        &["所学专业"],
        true,
        Kind::Text,
        "必填；姓名、学校、专业相同视为同一名学生",
    ),
    column(
        "年级",
        &["年级/学历"],
        true,
        Kind::Text,
        "必填，如 大三、研一",
    ),
];

/// The blank template: the header row and a sheet explaining each column.
pub fn template() -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    crate::run::template_of(SHEET_NAME, &COLUMNS)
}

/// The students of the file at `path`, each with its row number; a file that cannot be read
/// (not a spreadsheet, no header row, a cell unreadable, too many rows) says why in Chinese.
pub fn read_students(path: &Path) -> Result<Vec<(usize, StudentDraft)>, String> {
    let (mut sheet, layout) = open(&COLUMNS, path).map_err(|e| e.to_string())?;
    let mut rows = Vec::new();
    while let Some((row, cells)) = sheet.next_row().map_err(|e| e.to_string())? {
        let Some((values, problems)) = row_values(&COLUMNS, &layout, row, &cells) else {
            continue;
        };
        if let Some(problem) = problems.first() {
            return Err(problem.to_string());
        }
        if rows.len() >= MAX_STUDENTS {
            return Err(format!("一次最多导入 {MAX_STUDENTS} 名学生"));
        }
        let mut values = values.into_iter();
        let mut next = || values.next().unwrap_or_default();
        let draft = StudentDraft {
            name: next(),
            school: next(),
            major: next(),
            grade: next(),
        };
        rows.push((row, draft));
    }
    if rows.is_empty() {
        return Err("文件中没有学生".into());
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_csv_list_is_read_with_the_row_numbers_excel_shows() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("students.csv");
        std::fs::write(
            &path,
            "学子东西湖行名单\n姓名,学校,专业,年级\n张三,武汉大学,网络空间安全,大三\n\n李四,华中科技大学,软件工程,研一\n",
        )
        .unwrap();
        let rows = read_students(&path).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].0, 3);
        assert_eq!(rows[1].0, 5);
        assert_eq!(rows[1].1.school, "华中科技大学");
    }
}
