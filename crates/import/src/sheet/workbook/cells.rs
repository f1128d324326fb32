//! The cells of a worksheet part in the order it holds them (ECMA-376 Part 1 §18.3.1.4 `c`,
//! §18.18.11 cell types), each turned into a `Cell`.

use std::io::Read;

use quick_xml::events::{BytesStart, Event};

use super::super::{Cell, MAX_COLUMNS};
use super::XlsxError;
use super::strings::{SharedStrings, read_rich_text, unescape_ooxml};
use super::xml::{XmlPart, attribute};

/// Excel's row limit.
const MAX_ROWS: u32 = crate::sheet::MAX_ROWS as u32;

/// Days from Excel's 1904 epoch (old Mac workbooks) to its 1900 one.
const DAYS_1900_TO_1904: f64 = 1462.0;

/// A cell and where it stands, both 0-based.
pub(super) struct SheetCell {
    pub(super) row: u32,
    pub(super) column: u32,
    pub(super) value: Cell,
}

pub(super) struct SheetCells<'s, R: Read> {
    part: XmlPart<R>,
    strings: &'s SharedStrings,
    date_styles: &'s [bool],
    date1904: bool,
    /// The row being read; before the first, 0.
    row: u32,
    /// Inside a `row` element: `row` may have more cells.
    in_row: bool,
    /// The row a `row` element without a number is.
    next_row: u32,
    /// The column a `c` element without a reference is.
    next_column: u32,
    value: String,
    buf: Vec<u8>,
}

/// What the `t` attribute says a cell's value is.
#[derive(Clone, Copy)]
enum Kind {
    Number,
    SharedString,
    InlineString,
    /// The text result of a formula.
    FormulaString,
    Bool,
    Error,
    /// An ISO 8601 date (strict OOXML).
    IsoDate,
}

impl<'s, R: Read> SheetCells<'s, R> {
    pub(super) fn new(
        part: XmlPart<R>,
        strings: &'s SharedStrings,
        date_styles: &'s [bool],
        date1904: bool,
    ) -> SheetCells<'s, R> {
        SheetCells {
            part,
            strings,
            date_styles,
            date1904,
            row: 0,
            in_row: false,
            next_row: 0,
            next_column: 0,
            value: String::new(),
            buf: Vec::new(),
        }
    }

    /// The 0-based row being read, and whether it is still open (else the next row is).
    pub(super) fn position(&self) -> (u32, bool) {
        if self.in_row {
            (self.row, true)
        } else {
            (self.next_row, false)
        }
    }

    /// The next cell, empty ones included; None after the sheet's last.
    pub(super) fn next_cell(&mut self) -> Result<Option<SheetCell>, XlsxError> {
        loop {
            match self.part.next(&mut self.buf)? {
                Event::Start(e) if e.local_name().as_ref() == "row" => {
                    self.row = row_number(&e, self.next_row)?;
                    self.in_row = true;
                    self.next_row = self.row + 1;
                    self.next_column = 0;
                }
                Event::Empty(e) if e.local_name().as_ref() == "row" => {
                    self.next_row = row_number(&e, self.next_row)? + 1;
                }
                Event::End(e) if e.local_name().as_ref() == "row" => self.in_row = false,
                Event::Start(e) if e.local_name().as_ref() == "c" => {
                    let (row, column, kind, style) = cell_start(&e, self.row, self.next_column)?;
                    self.next_column = column + 1;
                    let value = self.read_value(kind, style)?;
                    return Ok(Some(SheetCell { row, column, value }));
                }
                Event::Empty(e) if e.local_name().as_ref() == "c" => {
                    let (_, column, _, _) = cell_start(&e, self.row, self.next_column)?;
                    self.next_column = column + 1;
                }
                Event::End(e) if e.local_name().as_ref() == "sheetData" => return Ok(None),
                // A worksheet without data has an empty `<sheetData/>`.
                Event::Empty(e) if e.local_name().as_ref() == "sheetData" => return Ok(None),
                Event::Eof => return Err(self.part.truncated()),
                _ => {}
            }
        }
    }

    /// Reads a cell's children up to its end: the value is in `v`, or in `is` for an inline
    /// string; a formula (`f`) is left out, its cached result kept.
    fn read_value(&mut self, kind: Kind, style: usize) -> Result<Cell, XlsxError> {
        self.value.clear();
        let mut has_value = false;
        loop {
            match self.part.next(&mut self.buf)? {
                Event::Start(e) => {
                    let name = e.local_name().as_ref().to_owned();
                    match name.as_str() {
                        "v" => {
                            self.part.read_text("v", &mut self.value)?;
                            has_value = true;
                        }
                        "is" => {
                            read_rich_text(&mut self.part, "is", &mut self.value)?;
                            has_value = true;
                        }
                        other => self.part.skip(other)?,
                    }
                }
                Event::End(e) if e.local_name().as_ref() == "c" => break,
                Event::Eof => return Err(self.part.truncated()),
                _ => {}
            }
        }
        if !has_value {
            return Ok(Cell::Empty);
        }
        let value = self.value.as_str();
        Ok(match kind {
            Kind::SharedString => {
                let index = value
                    .trim()
                    .parse()
                    .map_err(|_| XlsxError::BadValue(value.to_owned()))?;
                text_cell(&self.strings.get(index)?)
            }
            Kind::InlineString => text_cell(value),
            Kind::FormulaString => {
                let mut text = String::with_capacity(value.len());
                unescape_ooxml(value, &mut text);
                text_cell(&text)
            }
            Kind::Bool => Cell::Bool(matches!(value.trim(), "1" | "true")),
            Kind::Error => match value.trim() {
                "" => Cell::Empty,
                error => Cell::Error(error.to_owned()),
            },
            Kind::IsoDate => {
                iso_serial(value.trim()).map_or_else(|| text_cell(value), Cell::DateSerial)
            }
            Kind::Number => match value.trim() {
                "" => Cell::Empty,
                number => match number.parse::<f64>() {
                    Ok(n) if self.date_styles.get(style).copied().unwrap_or(false) => {
                        Cell::DateSerial(if self.date1904 {
                            n + DAYS_1900_TO_1904
                        } else {
                            n
                        })
                    }
                    Ok(n) => Cell::Number(n),
                    // Some writers leave out t="str" on text.
                    Err(_) => text_cell(number),
                },
            },
        })
    }
}

fn text_cell(text: &str) -> Cell {
    if text.is_empty() {
        Cell::Empty
    } else {
        Cell::Text(text.to_owned())
    }
}

/// The 0-based row of a `row` element: its `r`, else the one after the previous row.
fn row_number(element: &BytesStart<'_>, next: u32) -> Result<u32, XlsxError> {
    let row = match attribute(element, "r") {
        Some(r) => r
            .trim()
            .parse::<u32>()
            .ok()
            .and_then(|r| r.checked_sub(1))
            .ok_or_else(|| XlsxError::CellReference(r.into_owned()))?,
        None => next,
    };
    if row >= MAX_ROWS {
        return Err(XlsxError::CellReference(format!(
            "第{}行",
            u64::from(row) + 1
        )));
    }
    Ok(row)
}

/// A `c` element's row, column (from `r`, else `row` and `next_column`), kind and style.
fn cell_start(
    element: &BytesStart<'_>,
    row: u32,
    next_column: u32,
) -> Result<(u32, u32, Kind, usize), XlsxError> {
    let (mut reference, mut kind, mut style) = (None, Kind::Number, 0);
    for attr in element.attributes().flatten() {
        match attr.key.local_name().as_ref() {
            "r" => reference = Some(parse_reference(&attr.value)?),
            "t" => {
                kind = match attr.value.as_ref() {
                    "s" => Kind::SharedString,
                    "inlineStr" => Kind::InlineString,
                    "str" => Kind::FormulaString,
                    "b" => Kind::Bool,
                    "e" => Kind::Error,
                    "d" => Kind::IsoDate,
                    _ => Kind::Number,
                }
            }
            "s" => style = attr.value.trim().parse().unwrap_or(0),
            _ => {}
        }
    }
    let (row, column) = reference.unwrap_or((row, next_column));
    if column as usize >= MAX_COLUMNS {
        return Err(XlsxError::CellReference(format!(
            "第{}列",
            u64::from(column) + 1
        )));
    }
    Ok((row, column, kind, style))
}

/// "AB12" → (11, 27), both 0-based.
fn parse_reference(reference: &str) -> Result<(u32, u32), XlsxError> {
    let bad = || XlsxError::CellReference(reference.to_owned());
    let digits_at = reference
        .find(|c: char| c.is_ascii_digit())
        .ok_or_else(bad)?;
    let (letters, digits) = reference.split_at(digits_at);
    if letters.is_empty() || letters.len() > 3 {
        return Err(bad());
    }
    let mut column = 0u32;
    for c in letters.chars() {
        if !c.is_ascii_alphabetic() {
            return Err(bad());
        }
        column = column * 26 + (c.to_ascii_uppercase() as u32 - 'A' as u32 + 1);
    }
    let row: u32 = digits.parse().map_err(|_| bad())?;
    if row == 0 || row > MAX_ROWS {
        return Err(bad());
    }
    Ok((row - 1, column - 1))
}

/// The 1900-system serial of an ISO 8601 date, time or datetime ("2025-03-01",
/// "2025-03-01T08:30:00", "08:30:00"), as cells of type `d` hold it.
fn iso_serial(text: &str) -> Option<f64> {
    let (date, time) = match text.split_once('T') {
        Some((date, time)) => (Some(date), Some(time)),
        None if text.contains(':') => (None, Some(text)),
        None => (Some(text), None),
    };
    let days = match date {
        Some(date) => {
            let mut parts = date.splitn(3, '-').map(str::parse::<i64>);
            let (year, month, day) = (
                parts.next()?.ok()?,
                parts.next()?.ok()?,
                parts.next()?.ok()?,
            );
            if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
                return None;
            }
            // Excel counts 29 February 1900, which never was: serials before March 1900 are
            // one less than the days since 30 December 1899.
            match days_from_civil(year, month, day) - days_from_civil(1899, 12, 30) {
                ..=0 => return None,
                days @ 1..=60 => days - 1,
                days => days,
            }
        }
        None => 0,
    };
    let seconds = match time {
        Some(time) => {
            let mut parts = time.trim_end_matches('Z').splitn(3, ':');
            let hours: f64 = parts.next()?.parse().ok()?;
            let minutes: f64 = parts.next()?.parse().ok()?;
            let seconds: f64 = parts.next().map_or(Some(0.0), |s| s.parse().ok())?;
            hours * 3600.0 + minutes * 60.0 + seconds
        }
        None => 0.0,
    };
    Some(days as f64 + seconds / 86_400.0)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's `days_from_civil`).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let day_of_year = (153 * ((month + 9) % 12) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_references_are_column_letters_and_a_row() {
        assert_eq!(parse_reference("A1").unwrap(), (0, 0));
        assert_eq!(parse_reference("AB12").unwrap(), (11, 27));
        assert_eq!(parse_reference("XFD1048576").unwrap(), (1_048_575, 16_383));
        for bad in ["1", "A", "A0", "ABCD1", "A1048577", "Ä1"] {
            assert!(parse_reference(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn iso_dates_become_excel_serials() {
        assert_eq!(iso_serial("2025-03-01"), Some(45717.0));
        assert_eq!(iso_serial("2025-03-01T12:00:00Z"), Some(45717.5));
        assert_eq!(iso_serial("1900-01-01"), Some(1.0));
        assert_eq!(iso_serial("1900-03-01"), Some(61.0));
        assert_eq!(iso_serial("06:00:00"), Some(0.25));
        assert_eq!(iso_serial("P1D"), None);
    }
}
