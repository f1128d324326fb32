//! An import, start to end. The file is read once, streaming, so that memory stays flat at any
//! size: each row is checked, and while every row so far is right it is sealed (ID and phone
//! encrypted and indexed, on the reading thread) and handed to the writer, which holds one
//! transaction open. The first wrong row stops the rows; the reading goes on to name every
//! problem, the transaction is rolled back, and the problems come back as an error workbook
//! (a second reading, only then). The database holds all of a file or none of it — also after
//! a crash or a `kill -9`, which the database rolls back.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use chrono::NaiveDate;
use linkong_core::access::Roster;
use linkong_core::field::FieldError;
use linkong_core::plan::{Plan, UnitKind};
use linkong_store::Store;
use linkong_store::crypto::FieldCipher;
use linkong_store::people::{ImportBatch, ImportOutcome, ImportRow, Importer, RowData, seal};
use rust_xlsxwriter::{Color, Format, Workbook, Worksheet, XlsxError};

pub use crate::footer::Skipped;
use crate::footer::{Footers, is_blank};
use crate::layout::{
    Column, Kind, Layout, LayoutError, cell_text, column_letter, find_layout, header_key,
};
use crate::sheet::{Cell, Sheet};

/// Reads one row's texts (in the roster's column order) into a checked row.
pub type ReadRow = fn(&Plan, &mut [String], NaiveDate) -> Result<RowData, Vec<FieldError>>;

/// A roster as a file: its columns (the resident's six first: name, ID, phone, street,
/// community, schooling) and how a row's texts become a checked row.
#[derive(Clone, Copy)]
pub struct RosterFile {
    pub roster: Roster,
    pub sheet_name: &'static str,
    pub columns: &'static [Column],
    pub read: ReadRow,
}

/// Where the resident ID and household street stand among every roster's columns (and the
/// resident ID in the enrolment list's).
pub(crate) const ID_COLUMN: usize = 1;
const STREET_COLUMN: usize = 3;

/// One wrong cell (or row) of a file, in the user's terms: row and column as Excel shows them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub row: usize,
    /// The column's position in the file (0 = A), when the problem is in one cell.
    pub position: Option<usize>,
    pub header: &'static str,
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.position {
            Some(p) => write!(
                f,
                "第{}行{}列“{}”：{}",
                self.row,
                column_letter(p),
                self.header,
                self.message
            ),
            None => write!(f, "第{}行“{}”：{}", self.row, self.header, self.message),
        }
    }
}

/// What an import wrote, and the footer rows of the file it left out (合计, 填表人 …).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Imported {
    pub outcome: ImportOutcome,
    pub skipped: Vec<Skipped>,
}

/// How far an import has come: rows checked (and, while all are right, written).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Progress {
    pub rows: u64,
    /// 0.0 to 1.0 through the file.
    pub fraction: f64,
}

/// Why an import wrote nothing.
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    /// The file as a whole cannot be read (not a spreadsheet, no header row…).
    #[error("{0}")]
    File(String),
    /// Some rows are wrong; `problems` lists the first of them (all, up to [`MAX_PROBLEMS`]).
    #[error("{count} 处错误，未导入任何数据")]
    Rows {
        count: usize,
        rows: usize,
        problems: Vec<Problem>,
    },
    #[error(transparent)]
    Store(#[from] linkong_store::Error),
}

/// The header of the error workbook's first column; a file's own column of that name is not
/// copied into a new error workbook.
const NOTE_HEADER: &str = "错误说明";

/// The most problems kept for a file; more are counted but not listed.
pub const MAX_PROBLEMS: usize = 10_000;

/// Rows sent to the writer at a time.
const SEND_BATCH: usize = 2_000;

/// Reports progress; called from the reading thread.
pub type ProgressFn = Arc<dyn Fn(Progress) + Send + Sync>;

/// Imports a roster file. On failure with row problems and `errors_to` given, an error
/// workbook is written there: every row of the file, its problems in a first column
/// “错误说明”, each wrong cell marked — fix it and import it again as it is.
#[allow(clippy::too_many_arguments)]
pub async fn import_file(
    file: RosterFile,
    store: &Store,
    plan: Arc<Plan>,
    importer: &Importer,
    path: &Path,
    file_name: &str,
    today: NaiveDate,
    errors_to: Option<&Path>,
    progress: ProgressFn,
) -> Result<Imported, Failure> {
    let street = plan
        .unit(&importer.unit_code)
        .filter(|u| u.kind == UnitKind::Street)
        .map(|u| (u.code.clone(), u.name.clone()));
    if plan.unit(&importer.unit_code).is_none() {
        return Err(Failure::File(format!(
            "导入单位“{}”不存在",
            importer.unit_code
        )));
    }
    let cipher = store.field_cipher()?;
    let (sender, receiver) = tokio::sync::mpsc::channel(4);
    let reader = {
        let (plan, path, progress) = (plan.clone(), path.to_owned(), progress.clone());
        tokio::task::spawn_blocking(move || {
            let mut pass = Pass {
                file,
                plan: &plan,
                street: street.as_ref(),
                today,
                sender: Some(sender),
                cipher: &cipher,
                progress: &progress,
            };
            pass.run(&path)
        })
    };
    // The writer takes rows while the reader checks them; a problem anywhere stops the rows
    // and the transaction is rolled back, so nothing stays unless the whole file is right.
    let written = store
        .import_rows(importer, file.roster, file_name, receiver)
        .await?;
    let check = reader
        .await
        .map_err(|e| Failure::File(format!("读取中断：{e}")))??;
    if !check.problems.is_empty() {
        if let Some(to) = errors_to {
            error_workbook(file.columns, path, to, &check.problems).await?;
        }
        return Err(Failure::Rows {
            count: check.count,
            rows: check.rows,
            problems: check.problems,
        });
    }
    match written {
        Ok(outcome) => Ok(Imported {
            outcome,
            skipped: check.skipped,
        }),
        Err(refusals) => Err(Failure::Rows {
            count: refusals.len(),
            rows: check.rows,
            problems: refusals
                .into_iter()
                .take(MAX_PROBLEMS)
                .map(|r| Problem {
                    row: r.row,
                    position: None,
                    header: r.field,
                    message: r.message,
                })
                .collect(),
        }),
    }
}

/// Writes the error workbook of `path`'s `problems` to `to`, off the async threads.
pub(crate) async fn error_workbook(
    columns: &'static [Column],
    path: &Path,
    to: &Path,
    problems: &[Problem],
) -> Result<(), Failure> {
    let (path, to, problems) = (path.to_owned(), to.to_owned(), problems.to_vec());
    tokio::task::spawn_blocking(move || write_error_workbook(columns, &path, &to, &problems))
        .await
        .map_err(|e| Failure::File(format!("生成错误清单中断：{e}")))?
        .map_err(|e| Failure::File(format!("生成错误清单失败：{e}")))
}

struct Check {
    rows: usize,
    count: usize,
    problems: Vec<Problem>,
    skipped: Vec<Skipped>,
}

pub(crate) fn open(columns: &[Column], path: &Path) -> Result<(Sheet, Layout), Failure> {
    let mut sheet = Sheet::open(path).map_err(|e| Failure::File(e.to_string()))?;
    let layout = find_layout(&mut sheet, columns).map_err(|e| match e {
        LayoutError::Read(e) => Failure::File(e.to_string()),
        other => Failure::File(other.to_string()),
    })?;
    Ok((sheet, layout))
}

/// Reads one data row into a checked survey row, or its problems.
fn read_row(
    file: RosterFile,
    plan: &Plan,
    layout: &Layout,
    row: usize,
    cells: &[Cell],
    today: NaiveDate,
) -> Result<Option<RowData>, Vec<Problem>> {
    let Some((mut values, mut problems)) = row_values(file.columns, layout, row, cells) else {
        return Ok(None);
    };
    match (file.read)(plan, &mut values, today) {
        Ok(valid) if problems.is_empty() => Ok(Some(valid)),
        Ok(_) => Err(problems),
        Err(errors) => {
            field_problems(file.columns, layout, row, errors, &mut problems);
            Err(problems)
        }
    }
}

/// The texts of a data row's cells, in `columns` order, with the cells that cannot be read as
/// problems; None for an empty row.
pub(crate) fn row_values(
    columns: &[Column],
    layout: &Layout,
    row: usize,
    cells: &[Cell],
) -> Option<(Vec<String>, Vec<Problem>)> {
    if is_blank(cells) {
        return None;
    }
    let mut problems = Vec::new();
    let mut values = vec![String::new(); columns.len()];
    for (i, (column, position)) in columns.iter().zip(&layout.positions).enumerate() {
        match cell_text(
            position.and_then(|p| cells.get(p)),
            column.kind,
            column.header,
        ) {
            Ok(text) => values[i] = text,
            Err(message) => problems.push(Problem {
                row,
                position: *position,
                header: column.header,
                message,
            }),
        }
    }
    Some((values, problems))
}

/// Adds core's field errors of a row to its `problems`, each at the column its field names;
/// a cell already reported as unreadable is reported once. Sorted by column.
pub(crate) fn field_problems(
    columns: &'static [Column],
    layout: &Layout,
    row: usize,
    errors: Vec<FieldError>,
    problems: &mut Vec<Problem>,
) {
    let unreadable: Vec<&'static str> = problems.iter().map(|p| p.header).collect();
    for error in errors {
        if unreadable.contains(&error.field) {
            continue;
        }
        let at = columns.iter().position(|c| c.header == error.field);
        problems.push(Problem {
            row,
            position: at.and_then(|i| layout.positions[i]),
            header: at.map_or(error.field, |i| columns[i].header),
            message: error.message,
        });
    }
    problems.sort_by_key(|p| p.position);
}

/// One reading of a file: every row checked; while all is well, the rows sealed and sent to
/// the writer, and `Finish` sent at the end. At the first problem the rows stop (the sender
/// is dropped, so the writer rolls back) but the checking goes on, to name every problem.
struct Pass<'a> {
    file: RosterFile,
    plan: &'a Plan,
    street: Option<&'a (String, String)>,
    today: NaiveDate,
    sender: Option<tokio::sync::mpsc::Sender<ImportBatch>>,
    cipher: &'a FieldCipher,
    progress: &'a ProgressFn,
}

impl Check {
    /// Counts a problem; the first `MAX_PROBLEMS` are kept to be shown.
    fn note(&mut self, problem: Problem) {
        self.count += 1;
        if self.problems.len() < MAX_PROBLEMS {
            self.problems.push(problem);
        }
    }
}

/// What checking one row found.
// Made and taken apart once per row, never stored: boxing the row would cost an allocation
// per row for nothing.
#[allow(clippy::large_enum_variant)]
enum RowOutcome {
    /// An empty row, not counted.
    Blank,
    /// A row with at least one problem (noted).
    Wrong,
    /// A row without problems, to be written.
    Clean(ImportRow),
}

impl Pass<'_> {
    fn run(&mut self, path: &Path) -> Result<Check, Failure> {
        let (mut sheet, layout) = open(self.file.columns, path)?;
        let total = sheet.total_bytes().max(1);
        let mut check = Check {
            rows: 0,
            count: 0,
            problems: Vec::new(),
            skipped: Vec::new(),
        };
        let mut batch = Vec::with_capacity(SEND_BATCH);
        // Resident ID → the row it first appeared on: one person, one row.
        let mut seen: HashMap<[u8; 18], usize> = HashMap::new();
        let mut footers = Footers::new(layout.positions[ID_COLUMN]);
        while let Some((row, cells)) = sheet.next_row().map_err(|e| Failure::File(e.to_string()))? {
            let before = check.rows;
            footers.next(row, cells, |row, cells| {
                self.take_row(&layout, row, cells, &mut check, &mut seen, &mut batch);
            });
            if check.rows != before && check.rows.is_multiple_of(10_000) {
                (self.progress)(Progress {
                    rows: check.rows as u64,
                    fraction: sheet.bytes_read() as f64 / total as f64,
                });
            }
        }
        check.skipped = footers.finish();
        if check.rows == 0 {
            return Err(Failure::File(format!(
                "第{}行表头之下没有数据",
                layout.header_row
            )));
        }
        if !batch.is_empty() {
            self.send(ImportBatch::Rows(batch));
        }
        self.send(ImportBatch::Finish);
        (self.progress)(Progress {
            rows: check.rows as u64,
            fraction: 1.0,
        });
        Ok(check)
    }

    /// Checks one row and, while every row is right, adds it to the batch for the writer.
    fn take_row(
        &mut self,
        layout: &Layout,
        row: usize,
        cells: &[Cell],
        check: &mut Check,
        seen: &mut HashMap<[u8; 18], usize>,
        batch: &mut Vec<ImportRow>,
    ) {
        match self.check_row(layout, row, cells, check, seen) {
            RowOutcome::Blank => return,
            RowOutcome::Clean(valid) if self.sender.is_some() => {
                let sealed = seal(self.cipher, valid.person());
                batch.push(ImportRow {
                    sealed: Some(sealed),
                    ..valid
                });
            }
            RowOutcome::Clean(_) | RowOutcome::Wrong => {}
        }
        self.pass_on(check, batch);
    }

    /// Reads one row and checks it against the rows before it and the importing street.
    fn check_row(
        &self,
        layout: &Layout,
        row: usize,
        cells: &[Cell],
        check: &mut Check,
        seen: &mut HashMap<[u8; 18], usize>,
    ) -> RowOutcome {
        let before = check.count;
        match read_row(self.file, self.plan, layout, row, cells, self.today) {
            Ok(None) => RowOutcome::Blank,
            Ok(Some(data)) => {
                check.rows += 1;
                let valid = ImportRow {
                    row,
                    data,
                    sealed: None,
                };
                if let Some(problem) = check_same_person(&valid, layout, seen) {
                    check.note(problem);
                }
                if let Some(problem) = self.check_street(&valid, layout) {
                    check.note(problem);
                }
                if check.count == before {
                    RowOutcome::Clean(valid)
                } else {
                    RowOutcome::Wrong
                }
            }
            Err(problems) => {
                check.rows += 1;
                for problem in problems {
                    check.note(problem);
                }
                RowOutcome::Wrong
            }
        }
    }

    /// A street imports only its own residents.
    fn check_street(&self, valid: &ImportRow, layout: &Layout) -> Option<Problem> {
        let (code, name) = self.street?;
        if valid.person().street_code == *code {
            return None;
        }
        let other = self
            .plan
            .unit(&valid.person().street_code)
            .map_or("", |u| u.name.as_str());
        Some(Problem {
            row: valid.row,
            position: layout.positions[STREET_COLUMN],
            header: "户籍街道",
            message: format!("本次以{name}导入，该行为{other}户籍，请由所在街道导入"),
        })
    }

    /// Sends a full batch to the writer, or, once there is a problem, stops the rows.
    fn pass_on(&mut self, check: &Check, batch: &mut Vec<ImportRow>) {
        if check.count > 0 {
            // Stop the rows: the writer sees the channel close without `Finish`.
            self.sender = None;
            batch.clear();
        }
        if batch.len() == SEND_BATCH {
            let full = std::mem::replace(batch, Vec::with_capacity(SEND_BATCH));
            self.send(ImportBatch::Rows(full));
        }
    }

    /// Hands the writer a batch; if the writer has stopped (a database error), rows stop too.
    fn send(&mut self, batch: ImportBatch) {
        if let Some(sender) = &self.sender
            && sender.blocking_send(batch).is_err()
        {
            self.sender = None;
        }
    }
}

/// One person, one row: a resident ID seen on an earlier row is a problem naming that row.
fn check_same_person(
    valid: &ImportRow,
    layout: &Layout,
    seen: &mut HashMap<[u8; 18], usize>,
) -> Option<Problem> {
    let key: [u8; 18] = valid
        .person()
        .id_number
        .as_str()
        .as_bytes()
        .try_into()
        .unwrap_or([0; 18]);
    if let Some(first) = seen.get(&key) {
        return Some(Problem {
            row: valid.row,
            position: layout.positions[ID_COLUMN],
            header: "身份证号码",
            message: format!("与第{first}行是同一人（身份证号码相同），一人只填一行"),
        });
    }
    seen.insert(key, valid.row);
    None
}

/// Writes the error workbook: the file's header and rows as they were, a first column saying
/// what is wrong in each row, and each wrong cell filled red.
fn write_error_workbook(
    columns: &[Column],
    path: &Path,
    to: &Path,
    problems: &[Problem],
) -> Result<(), Failure> {
    let (mut sheet, layout) = open(columns, path)?;
    let mut by_row: HashMap<usize, Vec<&Problem>> = HashMap::new();
    for problem in problems {
        by_row.entry(problem.row).or_default().push(problem);
    }
    let identifiers: Vec<usize> = columns
        .iter()
        .zip(&layout.positions)
        .filter(|(c, _)| c.kind == Kind::Identifier)
        .filter_map(|(_, p)| *p)
        .collect();
    let columns = OutputColumns::of(&layout);
    let formats = ErrorFormats::new();
    let mut workbook = Workbook::new();
    let ws = workbook
        .add_worksheet_with_constant_memory()
        .map_err(xlsx)?;
    write_header_row(ws, &layout, &columns, &identifiers, &formats)?;
    let mut out_row: u32 = 1;
    while let Some((row, cells)) = sheet.next_row().map_err(|e| Failure::File(e.to_string()))? {
        let found = by_row.get(&row);
        if let Some(found) = found {
            let text: Vec<String> = found.iter().map(|p| p.to_string()).collect();
            ws.write_string_with_format(out_row, 0, text.join("\n"), &formats.note)
                .map_err(xlsx)?;
        }
        for (i, cell) in cells.iter().enumerate() {
            let Some(col) = columns.column(i)? else {
                continue;
            };
            let wrong = found.is_some_and(|f| f.iter().any(|p| p.position == Some(i)));
            let format = formats.of_cell(wrong, identifiers.contains(&i));
            write_cell(ws, (out_row, col), cell, format, &formats)?;
        }
        out_row += 1;
    }
    workbook.save(to).map_err(xlsx)?;
    Ok(())
}

fn xlsx(e: XlsxError) -> Failure {
    Failure::File(e.to_string())
}

/// Where the file's columns go in the error workbook: one to the right of the note column.
struct OutputColumns<'a> {
    layout: &'a Layout,
    /// How many 错误说明 columns stand before each of the file's columns.
    dropped_before: Vec<usize>,
}

impl<'a> OutputColumns<'a> {
    // A file that is itself an error workbook brings its old 错误说明 column: dropped, so that
    // no stale message stays beside the new ones (and, in column A, cells keep their letters).
    fn of(layout: &'a Layout) -> OutputColumns<'a> {
        let mut dropped_before = Vec::with_capacity(layout.headers.len() + 1);
        dropped_before.push(0usize);
        for h in &layout.headers {
            let dropped = usize::from(header_key(h) == NOTE_HEADER);
            dropped_before.push(dropped_before.last().copied().unwrap_or(0) + dropped);
        }
        OutputColumns {
            layout,
            dropped_before,
        }
    }

    /// The output column of the file's column `i`; `None` for an old 错误说明 column.
    fn column(&self, i: usize) -> Result<Option<u16>, Failure> {
        if self
            .layout
            .headers
            .get(i)
            .is_some_and(|h| header_key(h) == NOTE_HEADER)
        {
            return Ok(None);
        }
        let dropped = self.dropped_before[i.min(self.layout.headers.len())];
        u16::try_from(i + 1 - dropped)
            .map(Some)
            .map_err(|_| Failure::File("列数过多".into()))
    }
}

/// The cell formats of the error workbook: wrong cells red, identifiers kept as text.
struct ErrorFormats {
    text: Format,
    bad: Format,
    bad_text: Format,
    header: Format,
    note: Format,
    date: Format,
}

impl ErrorFormats {
    fn new() -> ErrorFormats {
        let bad = Format::new()
            .set_background_color(Color::RGB(0xFFC7CE))
            .set_font_color(Color::RGB(0x9C0006));
        ErrorFormats {
            text: Format::new().set_num_format("@"),
            bad_text: bad.clone().set_num_format("@"),
            bad,
            header: Format::new()
                .set_bold()
                .set_background_color(Color::RGB(0xE7EEF7)),
            note: Format::new()
                .set_font_color(Color::RGB(0x9C0006))
                .set_text_wrap(),
            date: Format::new().set_num_format("yyyy-mm-dd"),
        }
    }

    fn of_cell(&self, wrong: bool, is_id: bool) -> Option<&Format> {
        match (wrong, is_id) {
            (true, true) => Some(&self.bad_text),
            (true, false) => Some(&self.bad),
            (false, true) => Some(&self.text),
            (false, false) => None,
        }
    }
}

/// The sheet's name, and its first row: 错误说明, then the file's headers.
fn write_header_row(
    ws: &mut Worksheet,
    layout: &Layout,
    columns: &OutputColumns,
    identifiers: &[usize],
    formats: &ErrorFormats,
) -> Result<(), Failure> {
    ws.set_name("导入错误").map_err(xlsx)?;
    ws.set_column_width(0, 50).map_err(xlsx)?;
    ws.write_string_with_format(0, 0, NOTE_HEADER, &formats.header)
        .map_err(xlsx)?;
    for (i, h) in layout.headers.iter().enumerate() {
        let Some(col) = columns.column(i)? else {
            continue;
        };
        ws.write_string_with_format(0, col, h, &formats.header)
            .map_err(xlsx)?;
        ws.set_column_width(col, if identifiers.contains(&i) { 22 } else { 14 })
            .map_err(xlsx)?;
    }
    Ok(())
}

/// A cell as it was in the file, in `format` if it has one.
fn write_cell(
    ws: &mut Worksheet,
    (out_row, col): (u32, u16),
    cell: &Cell,
    format: Option<&Format>,
    formats: &ErrorFormats,
) -> Result<(), Failure> {
    match (cell, format) {
        (Cell::Empty, Some(f)) => {
            ws.write_blank(out_row, col, f).map_err(xlsx)?;
        }
        (Cell::Empty, None) => {}
        (Cell::Text(t), Some(f)) => {
            ws.write_string_with_format(out_row, col, t, f)
                .map_err(xlsx)?;
        }
        (Cell::Text(t), None) => {
            ws.write_string(out_row, col, t).map_err(xlsx)?;
        }
        (Cell::Number(n), Some(f)) => {
            ws.write_number_with_format(out_row, col, *n, f)
                .map_err(xlsx)?;
        }
        (Cell::Number(n), None) => {
            ws.write_number(out_row, col, *n).map_err(xlsx)?;
        }
        (Cell::DateSerial(n), f) => {
            ws.write_number_with_format(out_row, col, *n, f.unwrap_or(&formats.date))
                .map_err(xlsx)?;
        }
        (Cell::Bool(b), _) => {
            ws.write_boolean(out_row, col, *b).map_err(xlsx)?;
        }
        (Cell::Error(e), _) => {
            ws.write_string_with_format(out_row, col, e, &formats.bad)
                .map_err(xlsx)?;
        }
    }
    Ok(())
}

/// The blank template of a roster: its header row, ID and phone columns formatted as text,
/// and a second sheet explaining each column.
pub fn template(file: RosterFile) -> Result<Vec<u8>, XlsxError> {
    template_of(file.sheet_name, file.columns)
}

/// The blank template of a file of `columns`, its first sheet named `sheet_name`.
pub fn template_of(sheet_name: &str, columns: &[Column]) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let header = Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0xE7EEF7));
    let required = header.clone().set_font_color(Color::RGB(0x9C0006));
    let text = Format::new().set_num_format("@");
    let ws = workbook.add_worksheet();
    ws.set_name(sheet_name)?;
    for (i, column) in columns.iter().enumerate() {
        let col = i as u16;
        let label = if column.required {
            format!("{}*", column.header)
        } else {
            column.header.to_owned()
        };
        ws.write_string_with_format(
            0,
            col,
            label,
            if column.required { &required } else { &header },
        )?;
        if column.kind == Kind::Identifier {
            ws.set_column_format(col, &text)?;
            ws.set_column_width(col, 22)?;
        } else {
            ws.set_column_width(col, 14)?;
        }
    }
    ws.set_freeze_panes(1, 0)?;
    let notes = workbook.add_worksheet();
    notes.set_name("填写说明")?;
    notes.write_string_with_format(0, 0, "列", &header)?;
    notes.write_string_with_format(0, 1, "说明", &header)?;
    notes.set_column_width(0, 16)?;
    notes.set_column_width(1, 70)?;
    for (i, column) in columns.iter().enumerate() {
        let row = i as u32 + 1;
        notes.write_string(row, 0, column.header)?;
        notes.write_string(
            row,
            1,
            if column.note.is_empty() {
                "选填"
            } else {
                column.note
            },
        )?;
    }
    let last = columns.len() as u32 + 2;
    notes.write_string(
        last,
        0,
        "整表导入：任一行有错则整表不导入，并返回标明错误的工作簿；改正后可直接再次导入。同一人（身份证号码相同）重复导入只更新有变化的内容。",
    )?;
    workbook.save_to_buffer()
}
