//! The quarterly data bundle for the municipal platform (issue 15 item 9): `linkong export
//! quarter 2025Q3 --out DIR` writes, into `DIR/420112-2025Q3/`, three tables each as xlsx (to
//! read) and csv (UTF-8 with BOM, to load) — progress by indicator and unit as of the quarter's
//! last day, every unit's reporting status, and every registry's aggregates by unit and month —
//! and `manifest.json`, which lists each file with its rows and SM3 digest. The manifest is
//! written last, so a directory with a manifest is complete.

use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, Utc};
use linkong_core::access::Actor;
use linkong_core::calendar::WorkCalendar;
use linkong_core::cells;
use linkong_core::exchange::{BUNDLE_TABLES, MANIFEST, PeriodFigures, bundle_files};
use linkong_core::plan::Plan;
use linkong_core::quantity::Quantity;
use linkong_core::reporting::ReportPeriod;
use linkong_store::Store;
use rust_xlsxwriter::{Format, Workbook};
use serde::Serialize;
use sm3::{Digest, Sm3};

/// What went wrong making or writing a bundle.
#[derive(Debug, thiserror::Error)]
pub enum BundleError {
    #[error(transparent)]
    Store(#[from] linkong_store::Error),
    #[error("无法生成工作簿：{0}")]
    Workbook(#[from] rust_xlsxwriter::XlsxError),
    #[error("无法写入 {path}：{source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("无法生成清单：{0}")]
    Manifest(#[from] serde_json::Error),
}

/// A cell of a table: text, a number, or nothing.
#[derive(Debug, Clone, PartialEq)]
enum Cell {
    Text(String),
    Number(f64),
    Empty,
}

impl Cell {
    fn quantity(value: Option<Quantity>) -> Cell {
        value.map_or(Cell::Empty, |q| Cell::Number(q.as_f64()))
    }

    fn hundredths(value: Option<i64>) -> Cell {
        Cell::quantity(value.map(Quantity::from_hundredths))
    }

    /// The cell as a csv field: text quoted where needed and never taken for a formula
    /// (`cells::csv_field`), a number as a number.
    fn csv(&self) -> String {
        match self {
            Cell::Text(text) => cells::csv_field(text).into_owned(),
            Cell::Number(n) => n.to_string(),
            Cell::Empty => String::new(),
        }
    }
}

fn text(value: impl Into<String>) -> Cell {
    Cell::Text(value.into())
}

/// One table of the bundle.
struct Table {
    title: &'static str,
    headers: Vec<String>,
    rows: Vec<Vec<Cell>>,
}

/// A file of the bundle as the manifest lists it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ManifestFile {
    pub name: String,
    pub title: String,
    /// Data rows (the header row aside).
    pub rows: usize,
    pub bytes: usize,
    /// SM3 (GB/T 32905) of the file's bytes, lowercase hex.
    pub sm3: String,
}

/// `manifest.json`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Manifest {
    pub format: &'static str,
    pub district_code: String,
    pub district_name: String,
    pub plan: String,
    pub document_number: String,
    pub period: String,
    pub period_label: String,
    /// The figures stand on the quarter's last day (or today, for a quarter not yet over).
    pub as_of: NaiveDate,
    pub generated_at: DateTime<Utc>,
    pub files: Vec<ManifestFile>,
}

/// A bundle made in memory: its files' bytes and the manifest.
pub struct Bundle {
    pub directory: String,
    pub files: Vec<(String, Vec<u8>)>,
    pub manifest: Manifest,
}

/// The directory a quarter's bundle goes in, under the `--out` directory: `420112-2025Q3`.
pub fn bundle_directory(plan: &Plan, period: ReportPeriod) -> String {
    format!("{}-{}", plan.info.district_code, period.code())
}

/// Makes the bundle of `period` from the store, as the console (reads every unit).
pub async fn quarter_bundle(
    store: &Store,
    plan: &Plan,
    calendar: &WorkCalendar,
    period: ReportPeriod,
) -> Result<Bundle, BundleError> {
    let now = store.now();
    let today = linkong_core::time::local_date(now);
    let as_of = period.range().1.min(today);
    let year = period.year();
    let progress = store.progress_as_of(plan, year, as_of).await?;
    let reports = store
        .year_standings(&Actor::console(), plan, calendar, year)
        .await?;
    let registries = store.registry_aggregates(plan, year, as_of).await?;
    let tables = [
        progress_table(plan, &progress),
        reporting_table(&reports, period),
        registries_table(plan, &registries, as_of),
    ];
    let code = period.code();
    let names = bundle_files(&code);
    let mut files = Vec::new();
    let mut listed = Vec::new();
    for (table, pair) in tables.iter().zip(names.chunks(2)) {
        let encoded = [xlsx(table)?, csv(table)];
        for ((name, title), bytes) in pair.iter().zip(encoded) {
            listed.push(ManifestFile {
                name: name.clone(),
                title: (*title).to_owned(),
                rows: table.rows.len(),
                bytes: bytes.len(),
                sm3: sm3_hex(&bytes),
            });
            files.push((name.clone(), bytes));
        }
    }
    let manifest = Manifest {
        format: "linkong-quarterly-exchange/1",
        district_code: plan.info.district_code.clone(),
        district_name: plan.info.district_name.clone(),
        plan: plan.info.name.clone(),
        document_number: plan.info.document_number.clone(),
        period: code,
        period_label: period.label(),
        as_of,
        generated_at: now,
        files: listed,
    };
    Ok(Bundle {
        directory: bundle_directory(plan, period),
        files,
        manifest,
    })
}

/// SM3 of `bytes`, lowercase hex.
pub fn sm3_hex(bytes: &[u8]) -> String {
    hex::encode(Sm3::digest(bytes))
}

impl Bundle {
    /// Writes the files, then the manifest, into `out/<directory>/`; returns that directory.
    pub fn write_to(&self, out: &Path) -> Result<PathBuf, BundleError> {
        let dir = out.join(&self.directory);
        let write = |path: PathBuf, bytes: &[u8]| {
            std::fs::write(&path, bytes).map_err(|source| BundleError::Write { path, source })
        };
        std::fs::create_dir_all(&dir).map_err(|source| BundleError::Write {
            path: dir.clone(),
            source,
        })?;
        for (name, bytes) in &self.files {
            write(dir.join(name), bytes)?;
        }
        let manifest = serde_json::to_vec_pretty(&self.manifest)?;
        write(dir.join(MANIFEST), &manifest)?;
        Ok(dir)
    }
}

/// Is a bundle of `period` due on `today` and not yet in `out`? Due once the quarter is over.
pub fn is_due(plan: &Plan, period: ReportPeriod, today: NaiveDate, out: &Path) -> bool {
    today > period.range().1
        && !out
            .join(bundle_directory(plan, period))
            .join(MANIFEST)
            .exists()
}

fn unit_name(plan: &Plan, code: &str) -> String {
    plan.unit(code).map_or(code.to_owned(), |u| u.name.clone())
}

fn progress_table(plan: &Plan, progress: &[linkong_core::progress::IndicatorProgress]) -> Table {
    let headers = [
        "任务编号",
        "指标代码",
        "指标名称",
        "计量单位",
        "责任单位代码",
        "责任单位",
        "目标",
        "完成",
        "完成率（%）",
        "序时进度（%）",
        "状态",
    ];
    let mut rows = Vec::new();
    for p in progress {
        let Some((_, indicator)) = linkong_core::record::find_indicator(plan, &p.indicator_code)
        else {
            continue;
        };
        let district = (String::new(), "全区".to_owned(), &p.district);
        let units = p.units.iter().map(|u| {
            (
                u.unit_code.clone(),
                unit_name(plan, &u.unit_code),
                &u.figure,
            )
        });
        for (code, name, figure) in std::iter::once(district).chain(units) {
            rows.push(vec![
                text(&p.task_code),
                text(&p.indicator_code),
                text(&indicator.name),
                text(&indicator.measure),
                text(code),
                text(name),
                Cell::hundredths(figure.target),
                Cell::hundredths(figure.actual),
                figure.completion.map_or(Cell::Empty, Cell::Number),
                Cell::Number(figure.pro_rata),
                figure.status.map_or(text("无目标值"), |s| text(s.label())),
            ]);
        }
    }
    Table {
        title: BUNDLE_TABLES[0].1,
        headers: headers.map(String::from).to_vec(),
        rows,
    }
}

fn reporting_table(
    reports: &linkong_store::reports::YearReports<'_>,
    period: ReportPeriod,
) -> Table {
    let headers = [
        "责任单位代码",
        "责任单位",
        "报告期",
        "截止日期",
        "状态",
        "报送时效",
        "首次报送时间",
    ];
    let index = reports
        .standings
        .periods
        .iter()
        .position(|p| *p == period)
        .unwrap_or_default();
    let rows = reports
        .standings
        .units
        .iter()
        .map(|(unit, standings)| {
            let standing = &standings[index];
            let report = reports.report(&unit.code, period);
            vec![
                text(&unit.code),
                text(&unit.name),
                text(period.code()),
                text(standing.due.to_string()),
                text(report.map_or("未填报", |r| r.status.label())),
                text(standing.timeliness.label()),
                report
                    .and_then(|r| r.first_submitted_at)
                    .map_or(Cell::Empty, |at| text(at.to_rfc3339())),
            ]
        })
        .collect();
    Table {
        title: BUNDLE_TABLES[1].1,
        headers: headers.map(String::from).to_vec(),
        rows,
    }
}

fn registries_table(
    plan: &Plan,
    registries: &[linkong_store::exchange::RegistryAggregates],
    as_of: NaiveDate,
) -> Table {
    use chrono::Datelike;
    let months = as_of.month() as usize;
    let mut headers: Vec<String> = ["台账代码", "台账", "指标代码", "指标名称", "计量单位"]
        .map(String::from)
        .to_vec();
    headers.extend(["责任单位代码", "责任单位"].map(String::from));
    headers.extend((1..=months).map(|m| format!("{m}月")));
    headers.extend((1..=months.div_ceil(3)).map(|q| format!("第{q}季度")));
    headers.push("年度累计".into());
    let mut rows = Vec::new();
    for registry in registries {
        for indicator in &registry.indicators {
            let district = (String::new(), "全区".to_owned(), &indicator.district);
            let units = indicator.units.iter().map(|u| {
                (
                    u.unit_code.clone(),
                    unit_name(plan, &u.unit_code),
                    &u.figures,
                )
            });
            for (code, name, figures) in std::iter::once(district).chain(units) {
                let mut row = vec![
                    text(&registry.registry),
                    text(&registry.label),
                    text(&indicator.indicator_code),
                    text(&indicator.indicator_name),
                    text(&indicator.measure),
                    text(code),
                    text(name),
                ];
                row.extend(period_cells(figures, months));
                rows.push(row);
            }
        }
    }
    Table {
        title: BUNDLE_TABLES[2].1,
        headers,
        rows,
    }
}

fn period_cells(figures: &PeriodFigures, months: usize) -> Vec<Cell> {
    let mut cells: Vec<Cell> = figures.months[..months]
        .iter()
        .map(|m| Cell::quantity(*m))
        .collect();
    cells.extend(
        figures.quarters[..months.div_ceil(3)]
            .iter()
            .map(|q| Cell::quantity(*q)),
    );
    cells.push(Cell::quantity(figures.year));
    cells
}

/// The table as a workbook: one sheet, a bold header row, widths set for Chinese text.
fn xlsx(table: &Table) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name(table.title)?;
    let bold = Format::new().set_bold();
    for (c, header) in table.headers.iter().enumerate() {
        let c = c as u16;
        sheet.write_string_with_format(0, c, header, &bold)?;
        // rust_xlsxwriter's autofit undercounts Chinese characters: two widths each.
        let longest = table
            .rows
            .iter()
            .filter_map(|r| match r.get(c as usize) {
                Some(Cell::Text(t)) => Some(t.chars().count()),
                _ => None,
            })
            .chain([header.chars().count()])
            .max()
            .unwrap_or(4);
        sheet.set_column_width(c, (longest.clamp(4, 40) * 2) as f64)?;
    }
    for (r, row) in table.rows.iter().enumerate() {
        let r = r as u32 + 1;
        for (c, cell) in row.iter().enumerate() {
            let c = c as u16;
            match cell {
                Cell::Text(t) => sheet.write_string(r, c, t)?,
                Cell::Number(n) => sheet.write_number(r, c, *n)?,
                Cell::Empty => sheet,
            };
        }
    }
    workbook.save_to_buffer()
}

/// The table as csv: UTF-8 with a byte-order mark (Excel opens it as UTF-8), CRLF lines.
fn csv(table: &Table) -> Vec<u8> {
    let mut out = String::from("\u{feff}");
    let line = |cells: Vec<String>| cells.join(",") + "\r\n";
    out.push_str(&line(
        table
            .headers
            .iter()
            .map(|h| text(h.as_str()).csv())
            .collect(),
    ));
    for row in &table.rows {
        out.push_str(&line(row.iter().map(Cell::csv).collect()));
    }
    out.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_excel_would_evaluate_is_loaded_inert_and_numbers_stay_numbers() {
        let link = text("=HYPERLINK(\"http://x.example\",\"点此\")");
        assert_eq!(
            link.csv(),
            "\"'=HYPERLINK(\"\"http://x.example\"\",\"\"点此\"\")\""
        );
        assert_eq!(text("@SUM(A1:A9)").csv(), "'@SUM(A1:A9)");
        assert_eq!(text("径河街道").csv(), "径河街道");
        assert_eq!(Cell::Number(-12.5).csv(), "-12.5");
        assert_eq!(Cell::Number(40.0).csv(), "40");
        let table = Table {
            title: "测试",
            headers: vec!["名称".into(), "数值".into()],
            rows: vec![vec![text("+1 的说法"), Cell::Number(-3.0)]],
        };
        assert_eq!(
            String::from_utf8(csv(&table)).unwrap(),
            "\u{feff}名称,数值\r\n'+1 的说法,-3\r\n"
        );
    }
}
