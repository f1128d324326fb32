//! The reporting cycle on the web: each unit's quarterly and annual reports (pre-filled from the
//! records, narrative, draft, submit), the task force's review, and the reporting-rate table.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use chrono::NaiveDate;
use linkong_app::workbook::district_workbook;
use linkong_core::access::Gate;
use linkong_core::plan::{Unit, UnitKind};
use linkong_core::reporting::Narrative;
use linkong_core::reporting::{
    ConsolidatedTask, DistrictReport, ReportLine, ReportPeriod, ReportStatus, ReportingRate,
    Review, Save, Standing, Timeliness, YearStandings, history_label, standing,
};
use linkong_store::reports::Report;
use serde::{Deserialize, Serialize};

use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::{ApiViewer, Nav, Viewer};
use crate::format::{amount, percent, time};
use crate::openapi::ErrorBody;
use crate::view::{YearQuery, due_text, year_of};
use crate::{AppError, AppState};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/reports", get(reports_page))
        .route("/reports.xlsx", get(reports_xlsx))
        .route("/reports/{period}/district", get(district_page))
        .route("/reports/{period}/district.xlsx", get(district_xlsx))
        .route(
            "/reports/{period}/{unit}",
            get(report_page).post(save_report),
        )
        .route("/reports/{period}/{unit}/review", post(review_report))
}

/// The reports' JSON API, each route with its OpenAPI annotation (see [`crate::openapi`]).
pub fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(deadlines_api))
        .routes(routes!(quarterly_api))
}

fn parse_period(state: &AppState, text: &str) -> Result<ReportPeriod, AppError> {
    ReportPeriod::parse(text, &state.plan)
        .map_err(|e| AppError::bad_request(format!("报告期：{e}")))
}

pub struct Cell {
    pub period: String,
    pub unit: String,
    pub status: &'static str,
    pub timeliness: String,
    pub class: &'static str,
}

pub struct UnitRow {
    pub name: String,
    pub cells: Vec<Cell>,
}

pub struct KindBlock {
    pub kind: &'static str,
    pub units: Vec<UnitRow>,
    pub rates: Vec<String>,
}

pub struct PeriodHead {
    pub label: String,
    pub due: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "reports.html")]
struct ReportsPage {
    nav: Nav,
    year: i32,
    years: Vec<crate::view::YearLink>,
    heads: Vec<PeriodHead>,
    periods: Vec<String>,
    kinds: Vec<KindBlock>,
    district_rates: Vec<String>,
    overdue: Vec<(String, usize, String)>,
    own: Option<UnitRow>,
    window: u32,
    annual_due: String,
}

/// "报送 b/c，按时 a（x%）": the reporting rate of a group of units, as the table shows it.
fn rate_text(rate: ReportingRate) -> String {
    match rate.on_time_percent() {
        None => "未到期".into(),
        Some(on_time) => format!(
            "报送 {}/{}，按时 {}（{}）",
            rate.reported,
            rate.expected,
            rate.on_time,
            percent(on_time)
        ),
    }
}

/// The rate table's blocks: the units of each kind with the kind's reporting rate per period.
fn kind_blocks(
    year_standings: &YearStandings,
    row: &impl Fn(&Unit, &[Standing; 5]) -> UnitRow,
) -> Vec<KindBlock> {
    UnitKind::ALL
        .iter()
        .filter_map(|kind| {
            let units: Vec<UnitRow> = year_standings
                .units
                .iter()
                .filter(|(unit, _)| unit.kind == *kind)
                .map(|(unit, standings)| row(unit, standings))
                .collect();
            (!units.is_empty()).then(|| KindBlock {
                kind: kind.label(),
                units,
                rates: (0..year_standings.periods.len())
                    .map(|i| rate_text(year_standings.rate(i, |u| u.kind == *kind)))
                    .collect(),
            })
        })
        .collect()
}

async fn reports_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<YearQuery>,
) -> Result<ReportsPage, AppError> {
    let year = year_of(&state, &query)?;
    let plan = &state.plan;
    let calendar = state.calendar();
    let actor = viewer.actor();
    let year_reports = state
        .store
        .year_standings(&actor, plan, &calendar, year)
        .await?;
    let year_standings = &year_reports.standings;
    let periods = year_standings.periods;
    let row = |unit: &Unit, standings: &[Standing; 5]| UnitRow {
        name: unit.name.clone(),
        cells: periods
            .iter()
            .zip(standings)
            .map(|(period, standing)| Cell {
                period: period.code(),
                unit: unit.code.clone(),
                status: year_reports
                    .report(&unit.code, *period)
                    .map_or("未报送", |r| r.status.label()),
                timeliness: standing.timeliness.label(),
                class: standing.timeliness.code(),
            })
            .collect(),
    };
    let mut page = ReportsPage {
        nav: Nav::of(&viewer, &state),
        year,
        years: crate::view::year_links(plan, year),
        heads: periods
            .iter()
            .map(|p| PeriodHead {
                label: p.label(),
                due: due_text(&state, p.due(plan, &calendar)),
            })
            .collect(),
        periods: periods.iter().map(|p| p.code()).collect(),
        kinds: Vec::new(),
        district_rates: Vec::new(),
        overdue: Vec::new(),
        own: None,
        window: plan.reporting.quarterly_due_working_days,
        annual_due: format!(
            "{} 月 {} 日",
            plan.reporting.annual_due.0, plan.reporting.annual_due.1
        ),
    };
    if !actor.reads_all_units() {
        page.own = year_standings
            .units
            .iter()
            .find(|(unit, _)| viewer.user.unit_code.as_deref() == Some(unit.code.as_str()))
            .map(|(unit, standings)| row(unit, standings));
        return Ok(page);
    }
    page.kinds = kind_blocks(year_standings, &row);
    page.district_rates = (0..periods.len())
        .map(|i| rate_text(year_standings.rate(i, |_| true)))
        .collect();
    page.overdue = year_standings
        .overdue()
        .into_iter()
        .map(|(period, units)| {
            let names: Vec<&str> = units.iter().map(|u| u.name.as_str()).collect();
            (period.label(), names.len(), names.join("、"))
        })
        .collect();
    Ok(page)
}

pub struct LineView {
    pub task_code: String,
    pub name: String,
    pub target: String,
    pub period_actual: String,
    pub to_date: String,
    pub completion: String,
    pub pro_rata: String,
}

fn line_views(lines: &[ReportLine]) -> Vec<LineView> {
    let with = |v: Option<i64>, m: &str| v.map_or("—".into(), |v| format!("{}{m}", amount(v)));
    lines
        .iter()
        .map(|l| LineView {
            task_code: l.task_code.clone(),
            name: l.indicator_name.clone(),
            target: with(l.target, &l.measure),
            period_actual: with(l.period_actual, &l.measure),
            to_date: with(l.to_date_actual, &l.measure),
            completion: l.completion.map_or("—".into(), percent),
            pro_rata: percent(l.pro_rata),
        })
        .collect()
}

#[derive(Template, WebTemplate)]
#[template(path = "report.html")]
struct ReportPage {
    nav: Nav,
    period: String,
    period_label: String,
    unit: String,
    unit_name: String,
    due: String,
    status: &'static str,
    timeliness: String,
    frozen: bool,
    lines: Vec<LineView>,
    narrative: Narrative,
    editable: bool,
    reviewable: bool,
    review_comment: Option<String>,
    history: Vec<(String, String, &'static str, String)>,
    error: Option<String>,
}

async fn render_report(
    state: &AppState,
    viewer: &Viewer,
    period: ReportPeriod,
    unit: &str,
    typed: Option<Narrative>,
    error: Option<String>,
) -> Result<ReportPage, AppError> {
    let unit_info = state
        .plan
        .unit(unit)
        .ok_or_else(|| AppError::not_found(format!("单位“{unit}”不存在")))?;
    let actor = viewer.actor();
    let report = state
        .store
        .unit_report(&actor, unit, period, &viewer.ip)
        .await?;
    let calendar = state.calendar();
    let submission = report.as_ref().map(Report::submission);
    let Standing { due, timeliness } = standing(
        &state.plan,
        &calendar,
        period,
        submission.as_ref(),
        state.today(),
    );
    let frozen = report.as_ref().and_then(Report::frozen_figures);
    let lines = match frozen {
        Some(lines) => lines.to_vec(),
        None => {
            state
                .store
                .live_report_lines(&state.plan, unit, period)
                .await?
        }
    };
    let status = report.as_ref().map(|r| r.status);
    let history = match &report {
        Some(r) => state
            .store
            .report_events(r.id)
            .await?
            .into_iter()
            .map(|e| (time(e.at), e.actor, history_label(&e.action), e.comment))
            .collect(),
        None => Vec::new(),
    };
    Ok(ReportPage {
        nav: Nav::of(viewer, state),
        period: period.code(),
        period_label: period.label(),
        unit: unit.to_owned(),
        unit_name: unit_info.name.clone(),
        due: due_text(state, due),
        status: status.map_or("未报送", ReportStatus::label),
        timeliness: timeliness.label(),
        frozen: frozen.is_some(),
        lines: line_views(&lines),
        narrative: typed.unwrap_or_else(|| {
            report
                .as_ref()
                .map(|r| r.narrative.clone())
                .unwrap_or_default()
        }),
        editable: actor.may_record_for(unit) && status.is_none_or(ReportStatus::is_open),
        reviewable: actor.may_review_reports() && status.is_some_and(ReportStatus::awaits_review),
        review_comment: report
            .as_ref()
            .and_then(|r| r.review_comment.clone())
            .filter(|c| !c.is_empty()),
        history,
        error,
    })
}

async fn report_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((period, unit)): Path<(String, String)>,
) -> Result<ReportPage, AppError> {
    let period = parse_period(&state, &period)?;
    render_report(&state, &viewer, period, &unit, None, None).await
}

#[derive(Deserialize)]
struct ReportForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    action: String,
    #[serde(default)]
    progress: String,
    #[serde(default)]
    practices: String,
    #[serde(default)]
    problems: String,
    #[serde(default)]
    next_steps: String,
}

async fn save_report(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((period, unit)): Path<(String, String)>,
    Form(form): Form<ReportForm>,
) -> Result<Response, AppError> {
    viewer.check_csrf(&state, &form.csrf).await?;
    let period = parse_period(&state, &period)?;
    let save = if form.action == "submit" {
        Save::Submit
    } else {
        Save::Draft
    };
    let narrative = Narrative {
        progress: form.progress,
        practices: form.practices,
        problems: form.problems,
        next_steps: form.next_steps,
    };
    match state
        .store
        .save_report(
            &viewer.actor(),
            &state.plan,
            &state.calendar(),
            &unit,
            period,
            &narrative,
            save,
            &viewer.ip,
        )
        .await
    {
        Ok(()) => Ok(Redirect::to(&format!("/reports/{}/{unit}", period.code())).into_response()),
        Err(linkong_store::Error::Invalid { field, message }) => {
            let page = render_report(
                &state,
                &viewer,
                period,
                &unit,
                Some(narrative),
                Some(format!("{field}：{message}")),
            )
            .await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
struct ReviewForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    decision: String,
    #[serde(default)]
    comment: String,
}

async fn review_report(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((period, unit)): Path<(String, String)>,
    Form(form): Form<ReviewForm>,
) -> Result<Response, AppError> {
    viewer.check_csrf(&state, &form.csrf).await?;
    let period = parse_period(&state, &period)?;
    let review = match form.decision.as_str() {
        "accept" => Review::Accept,
        "return" => Review::Return,
        _ => return Err(AppError::bad_request("审核结论：请选择通过或退回")),
    };
    match state
        .store
        .review_report(
            &viewer.actor(),
            &unit,
            period,
            review,
            &form.comment,
            &viewer.ip,
        )
        .await
    {
        Ok(()) => Ok(Redirect::to(&format!("/reports/{}/{unit}", period.code())).into_response()),
        Err(linkong_store::Error::Invalid { field, message }) => {
            let page = render_report(
                &state,
                &viewer,
                period,
                &unit,
                None,
                Some(format!("{field}：{message}")),
            )
            .await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

/// One report of one unit: when it is due and how it stands.
#[derive(Serialize, ToSchema)]
struct Deadline {
    unit_code: String,
    unit_name: String,
    period: String,
    due: NaiveDate,
    /// The due year's State Council notice is missing: counted Monday–Friday.
    calendar_estimated: bool,
    status: Option<ReportStatus>,
    timeliness: Timeliness,
    first_submitted_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// Every unit's reports of a year (four quarters and the annual report): due date, status and
/// timeliness. Units see all units' deadlines; the figures stay in the quarterly report.
#[utoipa::path(
    get,
    path = "/api/v1/reports/deadlines",
    operation_id = "listReportDeadlines",
    tag = "reports",
    params(("year" = Option<String>, Query, description = "方案年度，四位数字（空或不填为当年）", example = "2025")),
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "各单位各期报告的截止日期与报送情况", body = Vec<Deadline>),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 422, description = "年份不在方案年度内", body = ErrorBody),
    )
)]
async fn deadlines_api(
    State(state): State<AppState>,
    ApiViewer(viewer): ApiViewer,
    Query(query): Query<YearQuery>,
) -> Result<Json<Vec<Deadline>>, AppError> {
    let year = year_of(&state, &query)?;
    let calendar = state.calendar();
    let actor = viewer.actor();
    let year_reports = state
        .store
        .year_standings(&actor, &state.plan, &calendar, year)
        .await?;
    let year_standings = &year_reports.standings;
    let mut out = Vec::new();
    for (unit, standings) in &year_standings.units {
        for (period, standing) in year_standings.periods.iter().zip(standings) {
            let report = year_reports.report(&unit.code, *period);
            out.push(Deadline {
                unit_code: unit.code.clone(),
                unit_name: unit.name.clone(),
                period: period.code(),
                due: standing.due,
                calendar_estimated: !calendar.has_data(chrono::Datelike::year(&standing.due)),
                status: report.map(|r| r.status),
                timeliness: standing.timeliness,
                first_submitted_at: report.and_then(|r| r.first_submitted_at),
            });
        }
    }
    Ok(Json(out))
}

/// One unit's report of the quarter.
#[derive(Serialize, ToSchema)]
struct QuarterlyUnit {
    unit_code: String,
    unit_name: String,
    status: Option<ReportStatus>,
    timeliness: Timeliness,
    narrative: Option<Narrative>,
    /// The figures as submitted, or `null` before submission.
    figures: Option<Vec<ApiLine>>,
}

/// A report line with amounts in the indicator's own measure, as everywhere in the API.
#[derive(Serialize, ToSchema)]
struct ApiLine {
    task_code: String,
    indicator_code: String,
    indicator_name: String,
    measure: String,
    #[schema(value_type = Option<linkong_core::quantity::Quantity>)]
    #[serde(serialize_with = "linkong_core::quantity::serialize_opt_hundredths")]
    target: Option<i64>,
    #[schema(value_type = Option<linkong_core::quantity::Quantity>)]
    #[serde(serialize_with = "linkong_core::quantity::serialize_opt_hundredths")]
    period_actual: Option<i64>,
    #[schema(value_type = Option<linkong_core::quantity::Quantity>)]
    #[serde(serialize_with = "linkong_core::quantity::serialize_opt_hundredths")]
    to_date_actual: Option<i64>,
    completion: Option<f64>,
    pro_rata: f64,
}

impl From<ReportLine> for ApiLine {
    fn from(l: ReportLine) -> ApiLine {
        ApiLine {
            task_code: l.task_code,
            indicator_code: l.indicator_code,
            indicator_name: l.indicator_name,
            measure: l.measure,
            target: l.target,
            period_actual: l.period_actual,
            to_date_actual: l.to_date_actual,
            completion: l.completion,
            pro_rata: l.pro_rata,
        }
    }
}

/// A quarter's reports: every unit's, and the consolidated rows for readers of all units.
#[derive(Serialize, ToSchema)]
struct QuarterlyReport {
    period: String,
    label: String,
    due: NaiveDate,
    /// The due year's State Council notice is missing: counted Monday–Friday.
    calendar_estimated: bool,
    units: Vec<QuarterlyUnit>,
    /// The district's consolidated report (the rows of the xlsx), for readers of all units.
    consolidated: Option<Vec<ConsolidatedTask>>,
}

/// A quarter's reports, as submitted, and (for the task force) the district's consolidated
/// report — the rows of the workbook.
#[utoipa::path(
    get,
    path = "/api/v1/reports/quarterly/{period}",
    operation_id = "getQuarterlyReports",
    tag = "reports",
    params(("period" = String, Path, description = "季度，写作 2025Q3", example = "2025Q3")),
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "该季度各单位报告及全区汇总", body = QuarterlyReport),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 422, description = "报告期有误（不是季度或不在方案年度内）", body = ErrorBody),
    )
)]
async fn quarterly_api(
    State(state): State<AppState>,
    ApiViewer(viewer): ApiViewer,
    Path(period): Path<String>,
) -> Result<Json<QuarterlyReport>, AppError> {
    let period = parse_period(&state, &period)?;
    let ReportPeriod::Quarter { quarter, .. } = period else {
        return Err(AppError::bad_request("报告期：季度报告请写作 2025Q3"));
    };
    let calendar = state.calendar();
    let actor = viewer.actor();
    let year_reports = state
        .store
        .year_standings(&actor, &state.plan, &calendar, period.year())
        .await?;
    let units = year_reports
        .standings
        .units
        .iter()
        .map(|(unit, standings)| {
            let report = year_reports.report(&unit.code, period);
            let submitted = report.filter(|r| r.status.is_submitted());
            QuarterlyUnit {
                unit_code: unit.code.clone(),
                unit_name: unit.name.clone(),
                status: report.map(|r| r.status),
                timeliness: standings[quarter as usize - 1].timeliness,
                narrative: submitted.map(|r| r.narrative.clone()),
                figures: submitted
                    .and_then(Report::frozen_figures)
                    .map(|lines| lines.iter().cloned().map(ApiLine::from).collect()),
            }
        })
        .collect();
    let consolidated = if actor.reads_all_units() {
        let district = state
            .store
            .district_report(&actor, &state.plan, &calendar, period, &viewer.ip)
            .await?;
        Some(district.tasks)
    } else {
        None
    };
    let due = period.due(&state.plan, &calendar);
    Ok(Json(QuarterlyReport {
        period: period.code(),
        label: period.label(),
        due,
        calendar_estimated: !calendar.has_data(chrono::Datelike::year(&due)),
        units,
        consolidated,
    }))
}

async fn district_of(
    state: &AppState,
    viewer: &Viewer,
    period: ReportPeriod,
) -> Result<DistrictReport, AppError> {
    let calendar = state.calendar();
    Ok(state
        .store
        .district_report(&viewer.actor(), &state.plan, &calendar, period, &viewer.ip)
        .await?)
}

pub struct DistrictRowView {
    pub serial: String,
    pub unit: String,
    pub indicator: String,
    pub target: String,
    pub period_actual: String,
    pub to_date: String,
    pub completion: String,
    pub pro_rata: String,
    pub remark: String,
    pub total: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "district.html")]
struct DistrictPage {
    nav: Nav,
    period: String,
    title: String,
    due: String,
    period_column: &'static str,
    tasks: Vec<(String, Vec<DistrictRowView>)>,
    /// Supervision items overdue at the period's end (or today): (item, unit name).
    overdue_items: Vec<(linkong_store::steering::SupervisionItem, String)>,
}

async fn district_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(period): Path<String>,
) -> Result<DistrictPage, AppError> {
    let period = parse_period(&state, &period)?;
    let district = district_of(&state, &viewer, period).await?;
    let with = |v: Option<i64>| v.map_or("—".into(), amount);
    let mut serial = 0;
    let tasks = district
        .tasks
        .iter()
        .map(|task| {
            let rows = task
                .rows
                .iter()
                .map(|r| {
                    let total = r.unit_code.is_none();
                    if total {
                        serial += 1;
                    }
                    DistrictRowView {
                        serial: if total {
                            serial.to_string()
                        } else {
                            String::new()
                        },
                        unit: r.unit_name.clone(),
                        indicator: format!("{}（{}）", r.indicator_name, r.measure),
                        target: with(r.target),
                        period_actual: with(r.period_actual),
                        to_date: with(r.to_date_actual),
                        completion: r.completion.map_or("—".into(), percent),
                        pro_rata: percent(r.pro_rata),
                        remark: r.remark.clone(),
                        total,
                    }
                })
                .collect();
            (format!("{} {}", task.task_code, task.task_name), rows)
        })
        .collect();
    Ok(DistrictPage {
        nav: Nav::of(&viewer, &state),
        period: period.code(),
        title: format!(
            "{}{}工作情况汇总表",
            state.plan.info.district_name,
            period.label()
        ),
        due: due_text(&state, district.due),
        period_column: if matches!(period, ReportPeriod::Quarter { .. }) {
            "本季度完成"
        } else {
            "本年完成"
        },
        tasks,
        overdue_items: overdue_of(&state, &viewer, period)
            .await?
            .into_iter()
            .map(|i| {
                let unit = crate::view::unit_name(&state, &i.unit_code);
                (i, unit)
            })
            .collect(),
    })
}

/// The supervision items overdue at the period's end (or today, if sooner).
async fn overdue_of(
    state: &AppState,
    viewer: &Viewer,
    period: ReportPeriod,
) -> Result<Vec<linkong_store::steering::SupervisionItem>, AppError> {
    let on = period.range().1.min(state.today());
    Ok(state
        .store
        .overdue_supervision(&viewer.actor(), on, &viewer.ip)
        .await?)
}

async fn district_xlsx(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(file): Path<String>,
) -> Result<Response, AppError> {
    let period = parse_period(&state, &file)?;
    let district = district_of(&state, &viewer, period).await?;
    let calendar = state.calendar();
    let overdue = overdue_of(&state, &viewer, period).await?;
    let bytes = district_workbook(&state.plan, &calendar, &district, &overdue, state.today());
    crate::download::download(&format!("district-report-{}.xlsx", period.code()), bytes)
}

/// The reporting-rate table as a workbook (task force only, like the page's table).
async fn reports_xlsx(
    state: State<AppState>,
    viewer: Viewer,
    query: Query<YearQuery>,
) -> Result<Response, AppError> {
    use linkong_app::workbook::Cell as X;
    let gate = Gate::ReportingRates;
    state.store.enter(&viewer.actor(), gate, &viewer.ip).await?;
    let page = reports_page(state, viewer, query).await?;
    let mut rows = Vec::new();
    for kind in &page.kinds {
        for unit in &kind.units {
            let mut row = vec![X::Text(kind.kind.into()), X::Text(unit.name.clone())];
            row.extend(
                unit.cells
                    .iter()
                    .map(|c| X::Text(format!("{}（{}）", c.timeliness, c.status))),
            );
            rows.push(row);
        }
        let mut subtotal = vec![
            X::Text(kind.kind.into()),
            X::Text(format!("{}小计", kind.kind)),
        ];
        subtotal.extend(kind.rates.iter().map(|r| X::Text(r.clone())));
        rows.push(subtotal);
    }
    let mut total = vec![X::Text("全区".into()), X::Text("全区".into())];
    total.extend(page.district_rates.iter().map(|r| X::Text(r.clone())));
    rows.push(total);
    let mut headers: Vec<(&str, f64)> = vec![("类别", 10.0), ("责任单位", 18.0)];
    headers.extend(page.heads.iter().map(|h| (h.label.as_str(), 26.0)));
    let title = format!("{}年工作情况报送率与及时率", page.year);
    crate::download::download(
        &format!("reporting-rates-{}.xlsx", page.year),
        linkong_app::workbook::table(&format!("{}报送", page.year), &title, &headers, &rows),
    )
}
