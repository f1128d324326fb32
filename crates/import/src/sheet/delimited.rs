//! Rows of a csv file, parsed with csv-core so that each row's line is known (Excel shows a
//! blank line as a blank row) and an unclosed quote cannot swallow the file into memory.

use std::io::{self, BufRead, BufReader, Read, Seek, SeekFrom};

use csv_core::ReadRecordResult;
use encoding_rs::GB18030;

use super::sniff::Encoding;
use super::{Cell, MAX_COLUMNS, MAX_ROW_BYTES, MAX_ROWS, ReadError, RowProblem, Source};

const BUFFER_LEN: usize = 64 * 1024;

pub(super) struct CsvRows {
    input: BufReader<Counting<Box<dyn Source>>>,
    parser: csv_core::Reader,
    /// The current row's fields, one after another, and where each ends.
    fields: Vec<u8>,
    ends: Vec<usize>,
    encoding: Encoding,
    /// The line of the next byte to parse: 1 + the line breaks parsed so far.
    line: usize,
    /// The last byte parsed was a carriage return (a line feed next ends no further line).
    after_cr: bool,
    /// Line breaks inside quoted cells so far: Excel keeps those inside one row.
    lines_in_cells: usize,
    finished: bool,
    /// The last row a file may have ([`MAX_ROWS`]; less in tests).
    max_rows: usize,
}

impl CsvRows {
    pub(super) fn open(
        mut file: Box<dyn Source>,
        encoding: Encoding,
        bom_len: u64,
    ) -> Result<CsvRows, ReadError> {
        file.seek(SeekFrom::Start(bom_len))?;
        Ok(CsvRows {
            input: BufReader::with_capacity(
                BUFFER_LEN,
                Counting {
                    inner: file,
                    count: bom_len,
                },
            ),
            parser: csv_core::Reader::new(),
            fields: vec![0; 4096],
            ends: vec![0; 64],
            encoding,
            line: 1,
            after_cr: false,
            lines_in_cells: 0,
            finished: false,
            max_rows: MAX_ROWS,
        })
    }

    pub(super) fn bytes_read(&self) -> u64 {
        self.input.get_ref().count
    }

    pub(super) fn next_row(&mut self) -> Result<Option<(usize, Vec<Cell>)>, ReadError> {
        if self.finished {
            return Ok(None);
        }
        loop {
            let cells = match self.read_record() {
                Ok(Some((row, _))) if row > self.max_rows => Err(ReadError::BadRow {
                    row,
                    problem: RowProblem::TooManyRows,
                }),
                Ok(Some((row, count))) => self.cells(row, count).map(|cells| Some((row, cells))),
                Ok(None) => Ok(None),
                Err((row, problem)) => Err(ReadError::BadRow { row, problem }),
            };
            match cells {
                Ok(Some((row, cells))) if !cells.is_empty() => return Ok(Some((row, cells))),
                Ok(Some(_)) => {}
                Ok(None) => {
                    self.finished = true;
                    return Ok(None);
                }
                Err(e) => {
                    self.finished = true;
                    return Err(e);
                }
            }
        }
    }

    /// Parses the next record into `fields`/`ends`: its row number and field count.
    fn read_record(&mut self) -> Result<Option<(usize, usize)>, (usize, RowProblem)> {
        let (mut out, mut ends) = (0, 0);
        // The line of the record's first byte; blank lines before it are skipped by the parser.
        let mut first_line = None;
        loop {
            let input = match self.input.fill_buf() {
                Ok(input) => input,
                Err(e) => return Err((self.row(first_line), RowProblem::Io(e))),
            };
            let (result, read, written, ended) =
                self.parser
                    .read_record(input, &mut self.fields[out..], &mut self.ends[ends..]);
            let parsed = &input[..read];
            if first_line.is_none()
                && let Some(start) = parsed.iter().position(|b| !matches!(b, b'\r' | b'\n'))
            {
                first_line = Some(self.line + line_breaks(&parsed[..start], self.after_cr));
            }
            self.line += line_breaks(parsed, self.after_cr);
            if let Some(&last) = parsed.last() {
                self.after_cr = last == b'\r';
            }
            self.input.consume(read);
            out += written;
            ends += ended;
            match result {
                ReadRecordResult::InputEmpty => {}
                ReadRecordResult::OutputFull => {
                    if self.fields.len() >= MAX_ROW_BYTES {
                        return Err((self.row(first_line), RowProblem::UnclosedQuote));
                    }
                    let len = (self.fields.len() * 2).min(MAX_ROW_BYTES);
                    self.fields.resize(len, 0);
                }
                ReadRecordResult::OutputEndsFull => {
                    if self.ends.len() >= MAX_COLUMNS {
                        return Err((self.row(first_line), RowProblem::TooManyColumns));
                    }
                    let len = (self.ends.len() * 2).min(MAX_COLUMNS);
                    self.ends.resize(len, 0);
                }
                ReadRecordResult::Record => {
                    let row = self.row(first_line);
                    let mut start = 0;
                    for &end in &self.ends[..ends] {
                        self.lines_in_cells += line_breaks(&self.fields[start..end], false);
                        start = end;
                    }
                    return Ok(Some((row, ends)));
                }
                ReadRecordResult::End => return Ok(None),
            }
        }
    }

    /// The row Excel shows for a record starting on `first_line` (or, not yet started, on the
    /// current line).
    fn row(&self, first_line: Option<usize>) -> usize {
        first_line.unwrap_or(self.line) - self.lines_in_cells
    }

    /// The cells of the record just parsed, without trailing empty ones.
    fn cells(&mut self, row: usize, count: usize) -> Result<Vec<Cell>, ReadError> {
        let ends = &self.ends[..count];
        if self.encoding == Encoding::Undecided {
            let bytes = &self.fields[..ends.last().copied().unwrap_or(0)];
            if !bytes.is_ascii() {
                self.encoding = encoding_of(bytes);
            }
        }
        let mut cells = Vec::with_capacity(count);
        let mut start = 0;
        for (column, &end) in ends.iter().enumerate() {
            let field = &self.fields[start..end];
            start = end;
            if field.is_empty() {
                cells.push(Cell::Empty);
                continue;
            }
            let text = decode(field, self.encoding).ok_or(ReadError::BadRow {
                row,
                problem: RowProblem::Undecodable { column },
            })?;
            cells.push(Cell::Text(text));
        }
        while matches!(cells.last(), Some(Cell::Empty)) {
            cells.pop();
        }
        Ok(cells)
    }
}

/// The encoding of the first row with other than ASCII bytes, in a file whose head was all
/// ASCII. A short GBK text can be valid UTF-8 too ("牛" is C5 A3, which UTF-8 reads as "ţ"):
/// then the reading with more common Chinese characters wins.
fn encoding_of(bytes: &[u8]) -> Encoding {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Encoding::Gb18030;
    };
    let as_utf8: isize = text
        .chars()
        .filter(|c| !c.is_ascii())
        .map(|c| match c {
            '\u{4E00}'..='\u{9FFF}' | '\u{3000}'..='\u{303F}' | '\u{FF00}'..='\u{FFEF}' => 1,
            _ => -1,
        })
        .sum();
    // Pairs in GB2312's Chinese characters (first byte B0–F7, second A1–FE) count for GBK.
    let (mut as_gbk, mut i) = (0isize, 0);
    while i < bytes.len() {
        if bytes[i] < 0x80 {
            i += 1;
            continue;
        }
        let pair = (bytes[i], bytes.get(i + 1).copied().unwrap_or(0));
        as_gbk += if matches!(pair, (0xB0..=0xF7, 0xA1..=0xFE)) {
            1
        } else {
            -1
        };
        i += 2;
    }
    let gbk_reads = GB18030
        .decode_without_bom_handling_and_without_replacement(bytes)
        .is_some();
    if gbk_reads && as_gbk > as_utf8 {
        Encoding::Gb18030
    } else {
        Encoding::Utf8
    }
}

fn decode(field: &[u8], encoding: Encoding) -> Option<String> {
    match encoding {
        Encoding::Utf8 | Encoding::Undecided => std::str::from_utf8(field).ok().map(str::to_owned),
        Encoding::Gb18030 => GB18030
            .decode_without_bom_handling_and_without_replacement(field)
            .map(|text| text.into_owned()),
    }
}

/// Line breaks in `bytes` as Excel counts rows: CR LF, a lone LF and a lone CR (old Mac files)
/// each end one line. `after_cr`: the byte before `bytes` was a CR.
fn line_breaks(bytes: &[u8], after_cr: bool) -> usize {
    let mut breaks = 0;
    let mut previous_cr = after_cr;
    for &byte in bytes {
        if byte == b'\r' || (byte == b'\n' && !previous_cr) {
            breaks += 1;
        }
        previous_cr = byte == b'\r';
    }
    breaks
}

/// Counts the bytes taken from the file, for progress.
struct Counting<R> {
    inner: R,
    count: u64,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count += n as u64;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_longer_than_a_sheet_is_refused_at_the_first_row_past_it() {
        let path = std::env::temp_dir().join(format!("linkong-rows-{}.csv", std::process::id()));
        std::fs::write(&path, "姓名\n甲\n乙\n丙\n").unwrap();
        let mut rows = CsvRows::open(
            Box::new(std::fs::File::open(&path).unwrap()),
            Encoding::Utf8,
            0,
        )
        .unwrap();
        rows.max_rows = 3;
        let mut read = Vec::new();
        let error = loop {
            match rows.next_row() {
                Ok(Some((row, _))) => read.push(row),
                Ok(None) => panic!("the fourth row must be refused"),
                Err(e) => break e,
            }
        };
        std::fs::remove_file(&path).unwrap();
        assert_eq!(read, [1, 2, 3]);
        assert_eq!(
            error.to_string(),
            "第4行无法读取：文件超过 1048576 行（Excel 工作表的上限），请拆分为几个文件分别导入"
        );
    }

    /// Row numbers of every non-empty row of `bytes`, read as GBK.
    fn rows_of(bytes: &[u8]) -> Vec<usize> {
        let source = Box::new(std::io::Cursor::new(bytes.to_vec()));
        let mut rows = CsvRows::open(source, Encoding::Gb18030, 0).unwrap();
        let mut numbers = Vec::new();
        while let Some((row, _)) = rows.next_row().unwrap() {
            numbers.push(row);
        }
        numbers
    }

    #[test]
    fn a_lone_carriage_return_ends_a_row_as_in_excel() {
        // Old Mac files end lines with CR alone; Excel shows each line as a row.
        assert_eq!(rows_of(b"a\rb\rc\r"), [1, 2, 3]);
        assert_eq!(rows_of(b"a\r\nb\n\rc\r\r\nd"), [1, 2, 4, 6]);
        // Quoted line breaks stay in their row, whichever they are: a record is one row.
        assert_eq!(
            rows_of(b"\"a\r\",\"\nb\"\rc\r\n\"d\r\ne\"\nf"),
            [1, 2, 3, 4]
        );
    }

    #[test]
    fn rows_found_by_the_csv_fuzz_target_are_numbered_in_order() {
        // GBK roster rows, the first line ended by a lone CR: two records were both row 1.
        let found = include_bytes!("../../tests/found/csv-rows-after-a-lone-cr.csv");
        // The header, a row, a blank line, a row whose quoted cells run over several lines, 合计.
        assert_eq!(rows_of(found), [1, 2, 4, 5]);
    }

    #[test]
    fn a_short_text_valid_in_both_encodings_goes_to_the_likelier() {
        let gbk = |text: &str| encoding_rs::GBK.encode(text).0.into_owned();
        assert!(std::str::from_utf8(&gbk("牛")).is_ok());
        assert_eq!(encoding_of(&gbk("5,牛")), Encoding::Gb18030);
        assert_eq!(encoding_of(&gbk("5,张三")), Encoding::Gb18030);
        assert_eq!(encoding_of("5,张三".as_bytes()), Encoding::Utf8);
        assert_eq!(encoding_of("5,牛".as_bytes()), Encoding::Utf8);
        // "é" in UTF-8 is "茅" in GBK: on this platform the Chinese reading is the likelier.
        assert_eq!(encoding_of("café".as_bytes()), Encoding::Gb18030);
    }
}
