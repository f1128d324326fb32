//! Excel workbooks in the layout a government office uses for the district's consolidated
//! report: 序号, 责任单位, 任务指标, 年度目标, 本期完成, 累计完成, 完成率, 序时进度, 备注, with a
//! merged header row per task, A4 landscape, and column widths set for Chinese text
//! (rust_xlsxwriter's autofit undercounts CJK characters).

use chrono::NaiveDate;
use linkong_core::calendar::WorkCalendar;
use linkong_core::plan::Plan;
use linkong_core::reporting::{ConsolidatedTask, DistrictReport, ReportPeriod, due_label};
use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, Workbook, XlsxError};

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
/// and `/reports/{period}/district.xlsx` downloads).
pub fn district_workbook(
    plan: &Plan,
    calendar: &WorkCalendar,
    district: &DistrictReport,
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
    consolidated(
        &period.code(),
        &title,
        &subtitle,
        period_column,
        &district.tasks,
    )
}

/// The consolidated report as an xlsx file. `period_column` names column E
/// ("本季度完成" or "本年完成").
pub fn consolidated(
    sheet: &str,
    title: &str,
    subtitle: &str,
    period_column: &str,
    tasks: &[ConsolidatedTask],
) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let ws = workbook.add_worksheet();
    ws.set_name(sheet)?;
    ws.set_landscape();
    ws.set_paper_size(9); // A4
    ws.set_repeat_rows(2, 2)?;
    ws.set_freeze_panes(3, 0)?;
    for (column, width) in WIDTHS.iter().enumerate() {
        ws.set_column_width(column as u16, *width)?;
    }
    let border = Format::new()
        .set_border(FormatBorder::Thin)
        .set_text_wrap()
        .set_align(FormatAlign::VerticalCenter);
    let title_format = Format::new()
        .set_bold()
        .set_font_size(16)
        .set_align(FormatAlign::Center);
    let header = border
        .clone()
        .set_bold()
        .set_align(FormatAlign::Center)
        .set_background_color(Color::RGB(0xDCE6F1));
    let task_format = border
        .clone()
        .set_bold()
        .set_background_color(Color::RGB(0xF2F2F2));
    let district = border.clone().set_bold();
    let whole = border.clone().set_num_format("#,##0");
    let fraction = border.clone().set_num_format("#,##0.00");
    let district_whole = whole.clone().set_bold();
    let district_fraction = fraction.clone().set_bold();
    let percent = border.clone().set_num_format("0.0%");

    ws.merge_range(0, 0, 0, 8, title, &title_format)?;
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
        ws.write_string_with_format(2, column as u16, text, &header)?;
    }
    let mut row = 3u32;
    let mut serial = 0;
    for task in tasks {
        ws.merge_range(
            row,
            0,
            row,
            8,
            &format!("{} {}", task.task_code, task.task_name),
            &task_format,
        )?;
        row += 1;
        for line in &task.rows {
            let is_district = line.unit_code.is_none();
            let text_format = if is_district { &district } else { &border };
            if is_district {
                serial += 1;
                ws.write_number_with_format(row, 0, f64::from(serial), &border)?;
            } else {
                ws.write_string_with_format(row, 0, "", &border)?;
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
                let number_format = match (is_district, value.is_some_and(|v| v % 100 == 0)) {
                    (true, true) => &district_whole,
                    (true, false) => &district_fraction,
                    (false, true) => &whole,
                    (false, false) => &fraction,
                };
                match value {
                    Some(v) => {
                        ws.write_number_with_format(row, column, v as f64 / 100.0, number_format)?
                    }
                    None => ws.write_string_with_format(row, column, "—", text_format)?,
                };
            }
            match line.completion {
                Some(c) => ws.write_number_with_format(row, 6, c / 100.0, &percent)?,
                None => ws.write_string_with_format(row, 6, "—", text_format)?,
            };
            ws.write_number_with_format(row, 7, line.pro_rata / 100.0, &percent)?;
            ws.write_string_with_format(row, 8, &line.remark, text_format)?;
            row += 1;
        }
    }
    workbook.save_to_buffer()
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
    workbook.save_to_buffer()
}
