//! The social-insurance enrolment list (参保名单) exported from the 社保 system: its columns, and
//! its import — the same engine as the rosters (csv or xlsx, headers found wherever they stand,
//! each wrong cell named by row and column, an error workbook), and the same rule: the whole
//! file or nothing. A list is a few ten thousand rows: it is read and checked whole, then
//! written by the store in one transaction.

use std::collections::HashMap;
use std::path::Path;

use chrono::NaiveDate;
use linkong_core::access::Actor;
use linkong_core::insurance::{EnrolmentDraft, ValidEnrolment, field, validate_enrolment};
use linkong_store::Store;

use crate::footer::{Footers, Skipped};
use crate::layout::{Column, Kind, Layout};
use crate::migrants::column;
use crate::run::{
    Failure, ID_COLUMN, Imported, MAX_PROBLEMS, Problem, error_workbook, field_problems, open,
    row_values,
};

/// The first sheet's name in the template.
pub const SHEET_NAME: &str = "参保名单";

/// The columns, in template order; headers equal the field names of core's row checks.
pub const COLUMNS: [Column; 7] = [
    column(field::NAME, &[], true, Kind::Text, "必填"),
    column(
        field::ID_NUMBER,
        &["身份证号码", "身份证号", "社会保障号码", "社会保障号"],
        true,
        Kind::Identifier,
        "必填，18位；请保持“文本”格式，勿让 Excel 转成数字",
    ),
    column(
        field::USCC,
        &["统一社会信用代码", "单位社会信用代码", "社会信用代码"],
        true,
        Kind::Identifier,
        "必填，18位，含校验位",
    ),
    column(
        field::EMPLOYER,
        &["参保单位", "参保单位名称"],
        true,
        Kind::Text,
        "必填",
    ),
    column(
        field::KINDS,
        &["险种", "参保险种类型"],
        true,
        Kind::Text,
        "必填：失业、工伤、养老中的一种或几种，用“、”或“,”分隔",
    ),
    column(
        field::STARTED,
        &["参保开始时间", "开始年月", "参保年月"],
        true,
        Kind::Date,
        "必填，如 2025-03 或 2025年3月",
    ),
    column(
        field::ENDED,
        &["参保终止时间", "终止年月", "停保年月"],
        false,
        Kind::Date,
        "仍在参保的不填；如 2025-12 或 2025年12月，不得早于开始年月",
    ),
];

/// The blank template: the header row and a sheet explaining each column.
pub fn template() -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    crate::run::template_of(SHEET_NAME, &COLUMNS)
}

/// What reading the list found: its checked rows, or every problem.
struct Reading {
    rows: Vec<ValidEnrolment>,
    count: usize,
    problems: Vec<Problem>,
    skipped: Vec<Skipped>,
}

impl Reading {
    fn note(&mut self, problem: Problem) {
        self.count += 1;
        if self.problems.len() < MAX_PROBLEMS {
            self.problems.push(problem);
        }
    }
}

/// Imports an enrolment list as `actor` (区人社局's staff or an admin; the store refuses anyone
/// else). On wrong rows nothing is written and, with `errors_to`, an error workbook is written
/// there: every row of the file with its problems in a first column and each wrong cell marked.
/// `run` is the web import run this is (its token), marked done with the rows.
#[allow(clippy::too_many_arguments)]
pub async fn import_insurance(
    store: &Store,
    actor: &Actor,
    path: &Path,
    file_name: &str,
    today: NaiveDate,
    errors_to: Option<&Path>,
    ip: &str,
    run: Option<&str>,
) -> Result<Imported, Failure> {
    let owned = path.to_owned();
    let reading = tokio::task::spawn_blocking(move || read(&owned, today))
        .await
        .map_err(|e| Failure::File(format!("读取中断：{e}")))??;
    if !reading.problems.is_empty() {
        if let Some(to) = errors_to {
            error_workbook(&COLUMNS, path, to, &reading.problems).await?;
        }
        return Err(Failure::Rows {
            count: reading.count,
            rows: reading.rows.len(),
            problems: reading.problems,
        });
    }
    let outcome = store
        .import_enrolments(actor, file_name, &reading.rows, ip, run)
        .await?;
    Ok(Imported {
        outcome,
        skipped: reading.skipped,
    })
}

/// Reads and checks every row of the file.
fn read(path: &Path, today: NaiveDate) -> Result<Reading, Failure> {
    let (mut sheet, layout) = open(&COLUMNS, path)?;
    let mut reading = Reading {
        rows: Vec::new(),
        count: 0,
        problems: Vec::new(),
        skipped: Vec::new(),
    };
    // (ID, USCC, start month) → the row it first appeared on.
    let mut seen: HashMap<(String, String, NaiveDate), usize> = HashMap::new();
    let mut data_rows = 0;
    let mut footers = Footers::new(layout.positions[ID_COLUMN]);
    while let Some((row, cells)) = sheet.next_row().map_err(|e| Failure::File(e.to_string()))? {
        footers.next(row, cells, |row, cells| {
            let Some((values, problems)) = row_values(&COLUMNS, &layout, row, cells) else {
                return;
            };
            data_rows += 1;
            match check_row(&layout, row, values, problems, &mut seen, today) {
                Ok(valid) => reading.rows.push(valid),
                Err(problems) => problems.into_iter().for_each(|p| reading.note(p)),
            }
        });
    }
    reading.skipped = footers.finish();
    if data_rows == 0 {
        return Err(Failure::File(format!(
            "第{}行表头之下没有数据",
            layout.header_row
        )));
    }
    Ok(reading)
}

/// Checks one row's texts, and that the same enrolment is not listed twice.
fn check_row(
    layout: &Layout,
    row: usize,
    values: Vec<String>,
    mut problems: Vec<Problem>,
    seen: &mut HashMap<(String, String, NaiveDate), usize>,
    today: NaiveDate,
) -> Result<ValidEnrolment, Vec<Problem>> {
    let mut values = values.into_iter();
    let mut next = || values.next().unwrap_or_default();
    let draft = EnrolmentDraft {
        name: next(),
        id_number: next(),
        uscc: next(),
        employer_name: next(),
        kinds: next(),
        started: next(),
        ended: next(),
    };
    match validate_enrolment(&draft, today) {
        Ok(valid) if problems.is_empty() => {
            let key = (
                valid.id_number.as_str().to_owned(),
                valid.uscc.as_str().to_owned(),
                valid.started_on,
            );
            if let Some(first) = seen.get(&key) {
                return Err(vec![Problem {
                    row,
                    position: layout.positions[ID_COLUMN],
                    header: field::ID_NUMBER,
                    message: format!(
                        "与第{first}行是同一条参保记录（同一人、同一单位、同一开始年月），只填一行"
                    ),
                }]);
            }
            seen.insert(key, row);
            Ok(valid)
        }
        Ok(_) => Err(problems),
        Err(errors) => {
            field_problems(&COLUMNS, layout, row, errors, &mut problems);
            Err(problems)
        }
    }
}
