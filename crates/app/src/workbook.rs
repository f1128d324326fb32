//! Excel workbooks in the layout a government office uses for the district's consolidated
//! report: 序号, 责任单位, 任务指标, 年度目标, 本期完成, 累计完成, 完成率, 序时进度, 备注, with a
//! merged header row per task, A4 landscape, and column widths set for Chinese text
//! (rust_xlsxwriter's autofit undercounts CJK characters).

use chrono::NaiveDate;
use linkong_core::calendar::WorkCalendar;
use linkong_core::plan::Plan;
use linkong_core::reporting::{
    ConsolidatedRow, ConsolidatedTask, DistrictReport, ReportPeriod, due_label,
};
use linkong_store::steering::SupervisionItem;
use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};

pub const HEADERS: [&str; 9] = [
    "序号",
    "责任单位",
    "任务指标",
    "年度目标",
    "本期完成",
    "累计完成",
    "完成率",
    "序时进度",
    "备注",
];
const WIDTHS: [f64; 9] = [6.0, 18.0, 40.0, 12.0, 12.0, 12.0, 10.0, 10.0, 48.0];

/// The district's consolidated report as the workbook the task force sends on: titled with
/// the district and period, its deadline and the day it was made (what `linkong report` writes
/// and `/reports/{period}/district.xlsx` downloads). A second sheet lists the supervision
/// items overdue at the period's end (`overdue`, from `Store::overdue_supervision`), with the
/// working days each was late by then.
pub fn district_workbook(
    plan: &Plan,
    calendar: &WorkCalendar,
    district: &DistrictReport,
    overdue: &[SupervisionItem],
    today: NaiveDate,
) -> Result<Vec<u8>, XlsxError> {
    let period = district.period;
    let period_column = match period {
        ReportPeriod::Quarter { .. } => "本季度完成",
        ReportPeriod::Annual { .. } => "本年完成",
    };
    let title = format!(
        "{}{}推进高校毕业生就业创业和返区创业工作情况汇总表",
        plan.info.district_name,
        period.label()
    );
    let subtitle = format!(
        "{}　报送截止：{}　制表：{today}",
        plan.info.document_number,
        due_label(district.due, calendar),
    );
    let mut workbook = Workbook::new();
    consolidated(
        &mut workbook,
        &period.code(),
        &title,
        &subtitle,
        period_column,
        &district.tasks,
    )?;
    let on = period.range().1.min(today);
    let rows = overdue_rows(plan, calendar, overdue, on);
    let title = format!("截至{on}逾期未办结的督办事项（{} 项）", overdue.len());
    add_table(
        &mut workbook,
        "逾期督办事项",
        &title,
        &OVERDUE_HEADERS,
        &rows,
    )?;
    workbook.save_to_buffer()
}

const OVERDUE_HEADERS: [(&str, f64); 9] = [
    ("编号", 8.0),
    ("责任单位", 18.0),
    ("指标", 28.0),
    ("存在问题", 40.0),
    ("整改要求", 40.0),
    ("交办日期", 12.0),
    ("办结时限", 12.0),
    ("逾期工作日", 10.0),
    ("状态", 10.0),
];

/// The overdue sheet's rows: each item's unit and indicator by name, and how many working
/// days past its due date it was on `on`.
fn overdue_rows(
    plan: &Plan,
    calendar: &WorkCalendar,
    overdue: &[SupervisionItem],
    on: NaiveDate,
) -> Vec<Vec<Cell>> {
    let indicator_name = |code: &str| {
        plan.indicators()
            .find(|(_, i)| i.code == code)
            .map_or_else(|| code.to_owned(), |(_, i)| format!("{code} {}", i.name))
    };
    overdue
        .iter()
        .map(|item| {
            let unit = plan
                .unit(&item.unit_code)
                .map_or_else(|| item.unit_code.clone(), |u| u.name.clone());
            vec![
                Cell::Text(format!("#{}", item.id)),
                Cell::Text(unit),
                Cell::Text(
                    item.indicator_code
                        .as_deref()
                        .map_or("—".into(), indicator_name),
                ),
                Cell::Text(item.problem.clone()),
                Cell::Text(item.action.clone()),
                Cell::Text(item.raised_on.to_string()),
                Cell::Text(item.due_on.to_string()),
                Cell::Number(f64::from(calendar.working_days_between(item.due_on, on))),
                Cell::Text(item.status.label().to_owned()),
            ]
        })
        .collect()
}

/// The consolidated report as a sheet of `workbook`. `period_column` names column E
/// ("本季度完成" or "本年完成").
fn consolidated(
    workbook: &mut Workbook,
    sheet: &str,
    title: &str,
    subtitle: &str,
    period_column: &str,
    tasks: &[ConsolidatedTask],
) -> Result<(), XlsxError> {
    let ws = workbook.add_worksheet();
    set_up_page(ws, sheet)?;
    let formats = ReportFormats::new();
    write_title_rows(ws, title, subtitle, period_column, &formats)?;
    let mut row = 3u32;
    let mut serial = 0;
    for task in tasks {
        ws.merge_range(
            row,
            0,
            row,
            8,
            &format!("{} {}", task.task_code, task.task_name),
            &formats.task,
        )?;
        row += 1;
        for line in &task.rows {
            // Only the district's line of an indicator is numbered; the units' lines follow it.
            if line.unit_code.is_none() {
                serial += 1;
            }
            write_line(ws, row, serial, line, &formats)?;
            row += 1;
        }
    }
    Ok(())
}

/// A4 landscape, the header row repeated on every page and frozen, the columns' widths.
fn set_up_page(ws: &mut Worksheet, sheet: &str) -> Result<(), XlsxError> {
    ws.set_name(sheet)?;
    ws.set_landscape();
    ws.set_paper_size(9); // A4
    ws.set_repeat_rows(2, 2)?;
    ws.set_freeze_panes(3, 0)?;
    for (column, width) in WIDTHS.iter().enumerate() {
        ws.set_column_width(column as u16, *width)?;
    }
    Ok(())
}

/// The cell formats of the consolidated report; the district's lines are bold.
struct ReportFormats {
    border: Format,
    title: Format,
    header: Format,
    task: Format,
    district: Format,
    whole: Format,
    fraction: Format,
    district_whole: Format,
    district_fraction: Format,
    percent: Format,
}

impl ReportFormats {
    fn new() -> ReportFormats {
        let border = Format::new()
            .set_border(FormatBorder::Thin)
            .set_text_wrap()
            .set_align(FormatAlign::VerticalCenter);
        let whole = border.clone().set_num_format("#,##0");
        let fraction = border.clone().set_num_format("#,##0.00");
        ReportFormats {
            title: Format::new()
                .set_bold()
                .set_font_size(16)
                .set_align(FormatAlign::Center),
            header: border
                .clone()
                .set_bold()
                .set_align(FormatAlign::Center)
                .set_background_color(Color::RGB(0xDCE6F1)),
            task: border
                .clone()
                .set_bold()
                .set_background_color(Color::RGB(0xF2F2F2)),
            district: border.clone().set_bold(),
            district_whole: whole.clone().set_bold(),
            district_fraction: fraction.clone().set_bold(),
            percent: border.clone().set_num_format("0.0%"),
            whole,
            fraction,
            border,
        }
    }

    /// Whole numbers without decimals, others with two; bold on the district's line.
    fn number(&self, is_district: bool, value: Option<i64>) -> &Format {
        match (is_district, value.is_some_and(|v| v % 100 == 0)) {
            (true, true) => &self.district_whole,
            (true, false) => &self.district_fraction,
            (false, true) => &self.whole,
            (false, false) => &self.fraction,
        }
    }
}

/// The title, the subtitle and the header row (column E named `period_column`).
fn write_title_rows(
    ws: &mut Worksheet,
    title: &str,
    subtitle: &str,
    period_column: &str,
    formats: &ReportFormats,
) -> Result<(), XlsxError> {
    ws.merge_range(0, 0, 0, 8, title, &formats.title)?;
    ws.merge_range(
        1,
        0,
        1,
        8,
        subtitle,
        &Format::new().set_align(FormatAlign::Center),
    )?;
    for (column, text) in HEADERS.iter().enumerate() {
        let text = if column == 4 { period_column } else { text };
        ws.write_string_with_format(2, column as u16, text, &formats.header)?;
    }
    Ok(())
}

/// One line of an indicator: the district's (numbered `serial`) or a unit's.
fn write_line(
    ws: &mut Worksheet,
    row: u32,
    serial: i32,
    line: &ConsolidatedRow,
    formats: &ReportFormats,
) -> Result<(), XlsxError> {
    let is_district = line.unit_code.is_none();
    let text_format = if is_district {
        &formats.district
    } else {
        &formats.border
    };
    if is_district {
        ws.write_number_with_format(row, 0, f64::from(serial), &formats.border)?;
    } else {
        ws.write_string_with_format(row, 0, "", &formats.border)?;
    }
    ws.write_string_with_format(row, 1, &line.unit_name, text_format)?;
    ws.write_string_with_format(
        row,
        2,
        format!("{}（{}）", line.indicator_name, line.measure),
        text_format,
    )?;
    for (column, value) in [
        (3u16, line.target),
        (4, line.period_actual),
        (5, line.to_date_actual),
    ] {
        match value {
            Some(v) => ws.write_number_with_format(
                row,
                column,
                v as f64 / 100.0,
                formats.number(is_district, value),
            )?,
            None => ws.write_string_with_format(row, column, "—", text_format)?,
        };
    }
    match line.completion {
        Some(c) => ws.write_number_with_format(row, 6, c / 100.0, &formats.percent)?,
        None => ws.write_string_with_format(row, 6, "—", text_format)?,
    };
    ws.write_number_with_format(row, 7, line.pro_rata / 100.0, &formats.percent)?;
    ws.write_string_with_format(row, 8, &line.remark, text_format)?;
    Ok(())
}

/// One cell of a plain table export.
pub enum Cell {
    Text(String),
    Number(f64),
    /// A percentage given in percent (45.5 for 45.5 %).
    Percent(f64),
}

/// A plain table as an xlsx file: a title row, a header row, then the rows. `widths` are in
/// Excel character units, set by hand for Chinese text.
pub fn table(
    sheet: &str,
    title: &str,
    headers: &[(&str, f64)],
    rows: &[Vec<Cell>],
) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    add_table(&mut workbook, sheet, title, headers, rows)?;
    workbook.save_to_buffer()
}

/// A plain table as a sheet of `workbook` (see [`table`]).
fn add_table(
    workbook: &mut Workbook,
    sheet: &str,
    title: &str,
    headers: &[(&str, f64)],
    rows: &[Vec<Cell>],
) -> Result<(), XlsxError> {
    let ws = workbook.add_worksheet();
    ws.set_name(sheet)?;
    ws.set_landscape();
    ws.set_paper_size(9);
    ws.set_repeat_rows(1, 1)?;
    ws.set_freeze_panes(2, 0)?;
    let border = Format::new()
        .set_border(FormatBorder::Thin)
        .set_text_wrap()
        .set_align(FormatAlign::VerticalCenter);
    let header = border
        .clone()
        .set_bold()
        .set_align(FormatAlign::Center)
        .set_background_color(Color::RGB(0xDCE6F1));
    let whole = border.clone().set_num_format("#,##0");
    let fraction = border.clone().set_num_format("#,##0.00");
    let percent = border.clone().set_num_format("0.0%");
    let last = headers.len().saturating_sub(1) as u16;
    ws.merge_range(
        0,
        0,
        0,
        last,
        title,
        &Format::new()
            .set_bold()
            .set_font_size(14)
            .set_align(FormatAlign::Center),
    )?;
    for (column, (text, width)) in headers.iter().enumerate() {
        ws.set_column_width(column as u16, *width)?;
        ws.write_string_with_format(1, column as u16, *text, &header)?;
    }
    for (r, row) in rows.iter().enumerate() {
        let r = r as u32 + 2;
        for (c, cell) in row.iter().enumerate() {
            let c = c as u16;
            match cell {
                Cell::Text(text) => ws.write_string_with_format(r, c, text, &border)?,
                Cell::Number(n) if n.fract() == 0.0 => {
                    ws.write_number_with_format(r, c, *n, &whole)?
                }
                Cell::Number(n) => ws.write_number_with_format(r, c, *n, &fraction)?,
                Cell::Percent(p) => ws.write_number_with_format(r, c, *p / 100.0, &percent)?,
            };
        }
    }
    Ok(())
}
