//! Rows of the first worksheet of an xlsx workbook, streamed from the zip package.
//!
//! calamine is not used here: it keeps every shared string of the workbook in memory (over
//! 200 MB for a million rows of names, ID numbers and addresses) and reserves room for as many
//! as the file claims, which a 2 KB file can make abort the process. Here shared strings past
//! 16 MB wait in a temporary file, every XML event and text is capped, and the sheet is read
//! as it is decompressed.
//!
//! A worksheet is read from the zip entry it is decompressed from, which borrows the archive;
//! both live on a thread of their own that hands rows over in small batches.

mod cells;
mod package;
mod strings;
mod styles;
mod xml;

use std::io::{self, BufReader, Read};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, SyncSender};
use std::thread::{self, JoinHandle};

use zip::read::ZipFile;

use super::{Cell, MAX_ROW_BYTES, ReadError, RowProblem, Source};
use cells::SheetCells;
use package::Package;
use strings::SharedStrings;
pub(super) use strings::{MAX_STRINGS, MAX_TEXT_TOTAL};
use xml::XmlPart;

/// Rows handed over at once, and the bytes of text after which a batch goes early.
const BATCH_ROWS: usize = 256;
const BATCH_BYTES: usize = 1 << 20;
/// Batches the reading thread may get ahead of the caller.
const BATCHES_AHEAD: usize = 2;

/// What is wrong inside an xlsx package.
#[derive(Debug, thiserror::Error)]
pub enum XlsxError {
    #[error("压缩包无法读取：{0}")]
    Zip(#[from] zip::result::ZipError),
    #[error("读取时出错：{0}")]
    Io(#[from] io::Error),
    #[error("缺少 {0}")]
    MissingPart(String),
    #[error("{part} 不是有效的 XML：{source}")]
    Xml {
        part: String,
        #[source]
        source: quick_xml::Error,
    },
    #[error("{part} 中有无法识别的实体 &{entity};")]
    Entity { part: String, entity: String },
    #[error("{part} 中有一项内容过大")]
    Oversized { part: String },
    #[error("{part} 嵌套超过 {} 层", xml::MAX_DEPTH)]
    TooDeep { part: String },
    /// A part that would inflate past `package::MAX_PART_BYTES`, or past the size the zip
    /// declares for it (a "zip bomb").
    #[error(
        "{part} 解压后超过 {} MB 或超过压缩包中记录的大小",
        package::MAX_PART_BYTES >> 20
    )]
    PartTooLarge { part: String },
    #[error("{part} 不完整")]
    Truncated { part: String },
    #[error("单元格位置“{0}”无效")]
    CellReference(String),
    #[error("单元格的值“{0}”无效")]
    BadValue(String),
    #[error("共享文字第 {0} 项不存在")]
    SharedStringIndex(usize),
    #[error(
        "不同的文字超过 {} 万项或 {} MB",
        strings::MAX_STRINGS / 10_000,
        strings::MAX_TEXT_TOTAL >> 20
    )]
    TooManyStrings,
}

/// "（reason）" when `e` is a limit of this reader that a workbook passed, else "".
pub(super) fn limit_passed(e: &XlsxError) -> String {
    match e {
        XlsxError::Entity { .. }
        | XlsxError::Oversized { .. }
        | XlsxError::TooDeep { .. }
        | XlsxError::PartTooLarge { .. } => format!("（{e}）"),
        _ => String::new(),
    }
}

pub(super) struct XlsxRows {
    batches: Receiver<Message>,
    batch: std::vec::IntoIter<(usize, Vec<Cell>)>,
    /// Compressed bytes taken from the file so far, counted by the reading thread.
    bytes_read: Arc<AtomicU64>,
    finished: bool,
    /// Set when the sheet is dropped: the reading thread stops at its next read of the file.
    closed: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

enum Message {
    Rows(Vec<(usize, Vec<Cell>)>),
    End,
    Failed(ReadError),
}

impl XlsxRows {
    /// Opens the workbook, its styles and shared strings, and its first worksheet; errors in
    /// any of them are returned here.
    pub(super) fn open(file: Box<dyn Source>) -> Result<XlsxRows, ReadError> {
        let bytes_read = Arc::new(AtomicU64::new(0));
        let closed = Arc::new(AtomicBool::new(false));
        let counting = Counting {
            inner: file,
            count: Arc::clone(&bytes_read),
            closed: Arc::clone(&closed),
        };
        let (ready_tx, ready) = mpsc::sync_channel(1);
        let (batches_tx, batches) = mpsc::sync_channel(BATCHES_AHEAD);
        let thread = thread::Builder::new()
            .name("xlsx-rows".into())
            .spawn(move || stream(BufReader::new(counting), &ready_tx, &batches_tx))?;
        let opened = ready.recv().unwrap_or(Err(ReadError::Interrupted));
        if let Err(e) = opened {
            // The thread ends as it says why; nothing of it outlives the call.
            let _ = thread.join();
            return Err(e);
        }
        Ok(XlsxRows {
            batches,
            batch: Vec::new().into_iter(),
            bytes_read,
            finished: false,
            closed,
            thread: Some(thread),
        })
    }

    pub(super) fn next_row(&mut self) -> Result<Option<(usize, Vec<Cell>)>, ReadError> {
        loop {
            if let Some(row) = self.batch.next() {
                return Ok(Some(row));
            }
            if self.finished {
                return Ok(None);
            }
            let message = self
                .batches
                .recv()
                .unwrap_or(Message::Failed(ReadError::Interrupted));
            match message {
                Message::Rows(rows) => self.batch = rows.into_iter(),
                Message::End => self.finished = true,
                Message::Failed(e) => {
                    self.finished = true;
                    return Err(e);
                }
            }
        }
    }

    pub(super) fn progress_of(&self, total_bytes: u64) -> u64 {
        if self.finished && self.batch.len() == 0 {
            total_bytes
        } else {
            self.bytes_read.load(Ordering::Relaxed).min(total_bytes)
        }
    }
}

impl Drop for XlsxRows {
    /// Stops the reading thread and waits for it, so that a sheet closed early (an import
    /// cancelled, a file refused at its header) leaves no thread inflating the rest.
    fn drop(&mut self) {
        self.closed.store(true, Ordering::Relaxed);
        // A thread waiting to hand over a batch learns that no one takes it.
        let (_, nobody) = mpsc::sync_channel(0);
        drop(std::mem::replace(&mut self.batches, nobody));
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// The reading thread: opens the workbook, says it is ready or why not, then sends rows until
/// the end, an error, or the caller hanging up.
fn stream<R: Read + io::Seek>(
    reader: R,
    ready: &SyncSender<Result<(), ReadError>>,
    batches: &SyncSender<Message>,
) {
    let mut package = match Package::open(reader) {
        Ok(package) => package,
        Err(e) => {
            let _ = ready.send(Err(ReadError::InvalidXlsx(e)));
            return;
        }
    };
    let sheet = match open_sheet(&mut package) {
        Ok(sheet) => sheet,
        Err(e) => {
            let _ = ready.send(Err(e));
            return;
        }
    };
    if ready.send(Ok(())).is_err() {
        return;
    }
    let mut cells = SheetCells::new(
        sheet.part,
        &sheet.strings,
        &sheet.date_styles,
        sheet.date1904,
    );
    let mut batch = Batch::default();
    if let Err(e) = send_rows(&mut cells, &mut batch, batches) {
        // The rows read before the error come first.
        if batch.flush(batches) {
            let _ = batches.send(Message::Failed(e));
        }
    }
}

/// The first worksheet, opened, with what its cells need to be read.
struct OpenSheet<'p, R: Read + io::Seek> {
    part: XmlPart<ZipFile<'p, R>>,
    strings: SharedStrings,
    /// For each cell style, whether it shows a date.
    date_styles: Vec<bool>,
    date1904: bool,
}

fn open_sheet<R: Read + io::Seek>(package: &mut Package<R>) -> Result<OpenSheet<'_, R>, ReadError> {
    let info = package.workbook().map_err(ReadError::InvalidXlsx)?;
    let sheet = info.first_sheet.ok_or(ReadError::NoWorksheet)?;
    let strings = match &info.shared_strings {
        Some(name) => match package.part(name).map_err(ReadError::InvalidXlsx)? {
            Some(mut part) => SharedStrings::read(&mut part).map_err(|e| match e {
                XlsxError::TooManyStrings => ReadError::TooMuchText,
                e => ReadError::InvalidXlsx(e),
            })?,
            None => SharedStrings::default(),
        },
        None => SharedStrings::default(),
    };
    let date_styles = match &info.styles {
        Some(name) => match package.part(name).map_err(ReadError::InvalidXlsx)? {
            Some(mut part) => styles::date_styles(&mut part).map_err(ReadError::InvalidXlsx)?,
            None => Vec::new(),
        },
        None => Vec::new(),
    };
    let part = package
        .part(&sheet)
        .map_err(ReadError::InvalidXlsx)?
        .ok_or(ReadError::InvalidXlsx(XlsxError::MissingPart(sheet)))?;
    Ok(OpenSheet {
        part,
        strings,
        date_styles,
        date1904: info.date1904,
    })
}

/// Puts cells together into rows and sends them in batches; Ok also when the caller hung up.
/// On an error, `batch` keeps the rows read before it.
fn send_rows<R: Read>(
    cells: &mut SheetCells<'_, R>,
    batch: &mut Batch,
    batches: &SyncSender<Message>,
) -> Result<(), ReadError> {
    // The row being put together: its 0-based number, cells, and bytes of text.
    let mut current: Option<(u32, Vec<Cell>, usize)> = None;
    let bad_row = |row: u32, problem| ReadError::BadRow {
        row: row as usize + 1,
        problem,
    };
    loop {
        let cell = match cells.next_cell() {
            Ok(Some(cell)) => cell,
            Ok(None) => break,
            Err(e) => {
                let (row, open) = cells.position();
                // A row closed before the error is whole; one still open is not given.
                if let Some((done, values, bytes)) = current.take()
                    && !(open && done == row)
                {
                    batch.add(done, values, bytes, batches);
                }
                return Err(bad_row(row, RowProblem::CorruptXlsx(e)));
            }
        };
        if current.as_ref().is_some_and(|(row, ..)| *row != cell.row)
            && let Some((row, values, bytes)) = current.take()
            && !batch.add(row, values, bytes, batches)
        {
            return Ok(());
        }
        let (_, values, bytes) = current.get_or_insert_with(|| (cell.row, Vec::new(), 0));
        if let Cell::Text(text) | Cell::Error(text) = &cell.value {
            *bytes += text.len();
            if *bytes > MAX_ROW_BYTES {
                return Err(bad_row(cell.row, RowProblem::TooLong));
            }
        }
        // Empty cells are left out so that a formatted but blank row stays empty.
        if cell.value != Cell::Empty {
            let column = cell.column as usize;
            if values.len() <= column {
                values.resize(column + 1, Cell::Empty);
            }
            values[column] = cell.value;
        }
    }
    if let Some((row, values, bytes)) = current.take()
        && !batch.add(row, values, bytes, batches)
    {
        return Ok(());
    }
    if batch.flush(batches) {
        let _ = batches.send(Message::End);
    }
    Ok(())
}

#[derive(Default)]
struct Batch {
    rows: Vec<(usize, Vec<Cell>)>,
    bytes: usize,
}

impl Batch {
    /// Adds a finished row unless it is empty, sending the batch when full; false when the
    /// caller has hung up.
    fn add(
        &mut self,
        row: u32,
        cells: Vec<Cell>,
        bytes: usize,
        batches: &SyncSender<Message>,
    ) -> bool {
        if cells.is_empty() {
            return true;
        }
        self.rows.push((row as usize + 1, cells));
        self.bytes += bytes;
        if self.rows.len() >= BATCH_ROWS || self.bytes >= BATCH_BYTES {
            return self.flush(batches);
        }
        true
    }

    fn flush(&mut self, batches: &SyncSender<Message>) -> bool {
        self.bytes = 0;
        let rows = std::mem::take(&mut self.rows);
        rows.is_empty() || batches.send(Message::Rows(rows)).is_ok()
    }
}

/// Counts the bytes taken from the file, for progress, and stops reading once the sheet is
/// closed.
struct Counting {
    inner: Box<dyn Source>,
    count: Arc<AtomicU64>,
    closed: Arc<AtomicBool>,
}

impl Read for Counting {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.closed.load(Ordering::Relaxed) {
            return Err(io::Error::other("the sheet was closed"));
        }
        let n = self.inner.read(buf)?;
        self.count.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

impl io::Seek for Counting {
    fn seek(&mut self, position: io::SeekFrom) -> io::Result<u64> {
        self.inner.seek(position)
    }
}
