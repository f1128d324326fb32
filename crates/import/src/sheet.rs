//! A user's spreadsheet file read as a stream of rows: csv (UTF-8 or GBK) or the first
//! worksheet of an xlsx workbook. Memory stays bounded whatever the file's length or content:
//! one row at a time for csv; for xlsx at most 16 MB of its shared strings (the rest wait in a
//! temporary file), their index, and a few hundred rows. A million-row file reads in about
//! 4 MB (csv) or 32 MB (xlsx of names, ID numbers and addresses).

mod delimited;
mod sniff;
mod workbook;

use std::fs::File;
use std::io::{self, Cursor, Read, Seek};
use std::path::Path;

use delimited::CsvRows;
use sniff::Sniffed;
pub use workbook::XlsxError;
use workbook::XlsxRows;

/// What a sheet is read from: a file, or its bytes in memory. An xlsx workbook is read on a
/// thread of its own, hence `Send`.
pub(crate) trait Source: Read + Seek + Send {}

impl<T: Read + Seek + Send> Source for T {}

/// One cell as the file holds it.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Number(f64),
    /// An Excel date/datetime cell, as its serial (1900 system): 45717.0 is 2025-03-01.
    DateSerial(f64),
    Bool(bool),
    /// An Excel error value such as `#N/A`.
    Error(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Xlsx,
}

/// A spreadsheet file opened for reading, row by row.
///
/// Rows come in file order. Rows with no content are skipped, but every row carries its true
/// number, so a message can cite the row the user sees in Excel. Trailing empty cells are not
/// returned: callers read a column with `cells.get(i)`.
pub struct Sheet {
    total_bytes: u64,
    rows: Rows,
}

enum Rows {
    Csv(Box<CsvRows>),
    Xlsx(XlsxRows),
}

impl Sheet {
    /// Opens `path`, telling the format by its bytes (not only its extension).
    ///
    /// Only the first 64 KB are looked at to tell the format, so a large file that is no
    /// spreadsheet is refused at once.
    pub fn open(path: &Path) -> Result<Sheet, ReadError> {
        let file = File::open(path)?;
        let total_bytes = file.metadata()?.len();
        Sheet::read(Box::new(file), total_bytes)
    }

    /// Reads a file's bytes already in memory, as [`Sheet::open`] reads the file.
    pub fn from_bytes(bytes: Vec<u8>) -> Result<Sheet, ReadError> {
        let total_bytes = bytes.len() as u64;
        Sheet::read(Box::new(Cursor::new(bytes)), total_bytes)
    }

    fn read(mut source: Box<dyn Source>, total_bytes: u64) -> Result<Sheet, ReadError> {
        let rows = match sniff::sniff(&mut source)? {
            Sniffed::Xlsx => Rows::Xlsx(XlsxRows::open(source)?),
            Sniffed::Csv { encoding, bom_len } => {
                Rows::Csv(Box::new(CsvRows::open(source, encoding, bom_len)?))
            }
        };
        Ok(Sheet { total_bytes, rows })
    }

    pub fn format(&self) -> Format {
        match self.rows {
            Rows::Csv(_) => Format::Csv,
            Rows::Xlsx(_) => Format::Xlsx,
        }
    }

    /// The next row: its 1-based row number as the user sees it in Excel (blank rows count)
    /// and its cells; None at the end. After an error the sheet is finished: it returns None.
    pub fn next_row(&mut self) -> Result<Option<(usize, Vec<Cell>)>, ReadError> {
        match &mut self.rows {
            Rows::Csv(rows) => rows.next_row(),
            Rows::Xlsx(rows) => rows.next_row(),
        }
    }

    /// The file's size in bytes.
    pub fn total_bytes(&self) -> u64 {
        self.total_bytes
    }

    /// How far reading has got, in bytes of `total_bytes`, for a progress bar.
    ///
    /// The bytes taken from the file so far: for csv up to 64 KB ahead of the rows returned;
    /// for xlsx the compressed bytes of the parts read (the shared strings first, then the
    /// worksheet as its rows are decompressed, a few hundred rows ahead). An approximation
    /// either way; at the end it equals `total_bytes`.
    pub fn bytes_read(&self) -> u64 {
        match &self.rows {
            Rows::Csv(rows) => rows.bytes_read().min(self.total_bytes),
            Rows::Xlsx(rows) => rows.progress_of(self.total_bytes),
        }
    }
}

impl std::fmt::Debug for Sheet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sheet")
            .field("format", &self.format())
            .field("total_bytes", &self.total_bytes)
            .field("bytes_read", &self.bytes_read())
            .finish()
    }
}

/// Why a file cannot be read as a spreadsheet. The message speaks to the user who uploaded it.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("无法读取文件：{}", io_reason(.0))]
    Io(#[from] io::Error),
    #[error("文件是空的")]
    Empty,
    #[error("暂不支持旧版 .xls 文件，请在 Excel 中另存为 .xlsx 或 .csv")]
    LegacyXls,
    /// An encrypted workbook: Office stores it as an OLE container whatever its extension.
    #[error("Excel 工作簿设置了打开密码，请在 Excel 中取消密码后重新上传")]
    PasswordProtected,
    #[error("暂不支持 .ods 文件，请在 WPS 或 Excel 中另存为 .xlsx 或 .csv")]
    OpenDocument,
    /// Excel's 「Unicode 文本」: UTF-16, tab separated.
    #[error(
        "暂不支持 UTF-16 编码的文本文件，请在 Excel 中另存为 .xlsx 或「CSV UTF-8（逗号分隔）」"
    )]
    Utf16Text,
    /// A known file type that holds no table, named as the user knows it ("PDF 文档").
    #[error("文件不是表格（识别为 {kind}），请上传 .xlsx 或 .csv")]
    NotASpreadsheet { kind: String },
    #[error("文件不是有效的 CSV 或 Excel 表格（含无法识别的二进制内容）")]
    Binary,
    /// The reason is told when it is a limit the file passed (a zip bomb, entities, nesting);
    /// other faults are beyond what the user can mend.
    #[error("文件不是有效的 Excel（.xlsx）工作簿{}", workbook::limit_passed(.0))]
    InvalidXlsx(#[source] XlsxError),
    #[error("Excel 工作簿中没有工作表")]
    NoWorksheet,
    /// More distinct text than a workbook of a million full rows has.
    #[error(
        "工作簿中的文字过多（不同的文字超过 {} 万项或 {} MB），请拆分为几个文件后上传",
        workbook::MAX_STRINGS / 10_000,
        workbook::MAX_TEXT_TOTAL >> 20
    )]
    TooMuchText,
    #[error("第{row}行无法读取：{problem}")]
    BadRow {
        row: usize,
        #[source]
        problem: RowProblem,
    },
    /// The thread reading the workbook stopped without saying why (it panicked).
    #[error("读取 Excel 文件时意外中断")]
    Interrupted,
}

/// What is wrong with one row of an otherwise readable file.
#[derive(Debug, thiserror::Error)]
pub enum RowProblem {
    #[error("读取文件时出错（{}）", io_reason(.0))]
    Io(#[source] io::Error),
    #[error("该行超过 {} MB，可能有未配对的英文引号（\"）", MAX_ROW_BYTES >> 20)]
    UnclosedQuote,
    #[error("该行的文字超过 {} MB", MAX_ROW_BYTES >> 20)]
    TooLong,
    #[error("该行超过 {MAX_COLUMNS} 列（Excel 的上限）")]
    TooManyColumns,
    #[error("文件超过 {MAX_ROWS} 行（Excel 工作表的上限），请拆分为几个文件分别导入")]
    TooManyRows,
    /// `column` is 0-based.
    #[error("第{}列含有无法识别的文字（文件应为 UTF-8 或 GBK 编码）", .column + 1)]
    Undecodable { column: usize },
    #[error("Excel 文件内容已损坏（{0}）")]
    CorruptXlsx(#[source] XlsxError),
}

/// Excel's row limit: a csv file may not be longer than a sheet. It also bounds what an import
/// keeps per row (the resident IDs seen, to find duplicates), whatever the file's size.
pub(crate) const MAX_ROWS: usize = 1_048_576;

/// Excel's column limit (XFD); a row wider than this is not a table a person made.
const MAX_COLUMNS: usize = 16_384;

/// The most bytes of text one row may hold. Far above any real row, far below the memory limit.
const MAX_ROW_BYTES: usize = 4 << 20;

fn io_reason(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::NotFound => "文件不存在".into(),
        io::ErrorKind::PermissionDenied => "没有读取权限".into(),
        _ => e.to_string(),
    }
}
