//! The columns a roster file has, found by their headers wherever they stand: in any order,
//! under a title row or two, with columns of the user's own (such as an error workbook's
//! 错误说明) ignored.

use linkong_core::cells;

use crate::sheet::{Cell, ReadError, Sheet};

/// How a column's cells are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Free text; a number is written out as typed (5, not 5.0).
    Text,
    /// An ID or phone number: text only. A number cell lost digits or will, so it is refused.
    Identifier,
    /// A date: text in any accepted form, or an Excel date.
    Date,
}

/// One column of a roster: its header, other headers taken for it, whether it must be present.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub header: &'static str,
    pub aliases: &'static [&'static str],
    pub required: bool,
    pub kind: Kind,
    /// What the template's notes say about it.
    pub note: &'static str,
}

impl Column {
    fn matches(&self, text: &str) -> bool {
        // Both sides normalised: 社区（村） is written with full-width parentheses, which
        // `normalise` turns half-width.
        let text = header_key(text);
        text == header_key(self.header) || self.aliases.iter().any(|a| header_key(a) == text)
    }
}

/// A header as compared: normalised, without spaces or the template's required mark `*`.
pub(crate) fn header_key(text: &str) -> String {
    cells::normalise(text)
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '*')
        .collect()
}

/// Where each column of a roster is, and the row the headers are on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    pub header_row: usize,
    /// The headers as the file writes them, by position.
    pub headers: Vec<String>,
    /// For each column of the roster, its position in a row (None: the column is absent).
    pub positions: Vec<Option<usize>>,
}

/// How many rows from the top are searched for the header row.
const HEADER_SEARCH: usize = 10;

#[derive(Debug, thiserror::Error)]
pub enum LayoutError {
    #[error(transparent)]
    Read(#[from] ReadError),
    #[error("前 {HEADER_SEARCH} 行中找不到表头（应有“{0}”等列），请使用下载的模板")]
    NoHeader(&'static str),
    #[error("第{row}行的表头缺少必填列：{missing}")]
    Missing { row: usize, missing: String },
    #[error("第{row}行的表头中“{header}”出现了两次（第{first}列和第{second}列）")]
    Repeated {
        row: usize,
        header: &'static str,
        first: String,
        second: String,
    },
}

/// Finds the header row among the first rows: the first row naming at least half of the
/// required columns. Data rows follow it.
pub fn find_layout(sheet: &mut Sheet, columns: &[Column]) -> Result<Layout, LayoutError> {
    let required = columns.iter().filter(|c| c.required).count();
    for _ in 0..HEADER_SEARCH {
        let Some((row, cells)) = sheet.next_row()? else {
            break;
        };
        let headers: Vec<String> = cells.iter().map(header_text).collect();
        let found = columns
            .iter()
            .filter(|c| c.required && headers.iter().any(|h| c.matches(h)))
            .count();
        if found * 2 < required.max(1) {
            continue;
        }
        let mut positions = Vec::with_capacity(columns.len());
        for column in columns {
            let mut at = headers
                .iter()
                .enumerate()
                .filter(|(_, h)| column.matches(h));
            let first = at.next().map(|(i, _)| i);
            if let (Some(first), Some((second, _))) = (first, at.next()) {
                return Err(LayoutError::Repeated {
                    row,
                    header: column.header,
                    first: column_letter(first),
                    second: column_letter(second),
                });
            }
            positions.push(first);
        }
        let missing: Vec<String> = columns
            .iter()
            .zip(&positions)
            .filter(|(c, p)| c.required && p.is_none())
            .map(|(c, _)| format!("“{}”", c.header))
            .collect();
        if !missing.is_empty() {
            return Err(LayoutError::Missing {
                row,
                missing: missing.join("、"),
            });
        }
        return Ok(Layout {
            header_row: row,
            headers,
            positions,
        });
    }
    Err(LayoutError::NoHeader(
        columns.iter().find(|c| c.required).map_or("", |c| c.header),
    ))
}

fn header_text(cell: &Cell) -> String {
    match cell {
        Cell::Text(text) => text.clone(),
        Cell::Number(n) => format_number(*n),
        _ => String::new(),
    }
}

/// Excel's name of a column: 0 → A, 25 → Z, 26 → AA.
pub fn column_letter(index: usize) -> String {
    let mut n = index + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(char::from(b'A' + rem as u8));
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect()
}

/// A number as a person typed it: 5 rather than 5.0.
pub fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// The text of a cell for a column of `kind`, or why it cannot be read.
pub fn cell_text(cell: Option<&Cell>, kind: Kind, header: &str) -> Result<String, String> {
    let Some(cell) = cell else {
        return Ok(String::new());
    };
    match (cell, kind) {
        (Cell::Empty, _) => Ok(String::new()),
        (Cell::Text(text), _) => Ok(text.clone()),
        (Cell::Number(_), Kind::Identifier) => Err(format!(
            "{header}被保存成了数字，可能已丢失末尾几位，请把该列设为“文本”格式后重新填写"
        )),
        (Cell::Number(n) | Cell::DateSerial(n), Kind::Date) => {
            cells::date_from_excel_serial(*n).map(|d| d.format("%Y-%m-%d").to_string())
        }
        (Cell::DateSerial(_), Kind::Identifier) => Err(format!("{header}被保存成了日期")),
        (Cell::Number(n), Kind::Text) => Ok(format_number(*n)),
        (Cell::DateSerial(n), Kind::Text) => {
            cells::date_from_excel_serial(*n).map(|d| d.format("%Y-%m-%d").to_string())
        }
        (Cell::Bool(b), _) => Ok(if *b { "是" } else { "否" }.into()),
        (Cell::Error(e), _) => Err(format!("单元格是错误值 {e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_letters_follow_excel() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(27), "AB");
    }

    #[test]
    fn every_header_is_found_as_the_template_writes_it() {
        let columns = crate::migrants::COLUMNS
            .iter()
            .chain(&crate::graduates::COLUMNS);
        for column in columns {
            assert!(column.matches(column.header), "{}", column.header);
            let required = format!("{}*", column.header);
            assert!(column.matches(&required), "{required}");
            for alias in column.aliases {
                assert!(column.matches(alias), "{alias}");
            }
        }
        assert!(crate::migrants::COLUMNS[4].matches("社区(村)"));
    }

    #[test]
    fn a_numeric_id_is_refused_never_guessed() {
        let err = cell_text(
            Some(&Cell::Number(4.20112199003071e17)),
            Kind::Identifier,
            "身份证号码",
        )
        .unwrap_err();
        assert!(err.contains("文本"), "{err}");
        assert_eq!(
            cell_text(Some(&Cell::Number(5.0)), Kind::Text, "外出年限").unwrap(),
            "5"
        );
        assert_eq!(
            cell_text(Some(&Cell::DateSerial(45717.0)), Kind::Date, "调查日期").unwrap(),
            "2025-03-01"
        );
    }
}
