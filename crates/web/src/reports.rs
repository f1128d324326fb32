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
use linkong_core::plan::UnitKind;
use linkong_core::reporting::{
    ConsolidatedTask, ReportLine, ReportPeriod, Timeliness, UnitContribution, consolidate,
    report_lines, weekday_name,
};
use linkong_core::time::local_date;
use linkong_store::reports::{Narrative, Report, ReportStatus, Review, Save};
use serde::{Deserialize, Serialize};

use crate::auth::{ApiViewer, Nav, Viewer};
use crate::dashboard::{YearQuery, year_of};
use crate::format::{amount, percent, time};
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
        .route("/api/v1/reports/deadlines", get(deadlines_api))
        .route("/api/v1/reports/quarterly/{period}", get(quarterly_api))
}

fn parse_period(state: &AppState, text: &str) -> Result<ReportPeriod, AppError> {
    ReportPeriod::parse(text, &state.plan)
        .map_err(|e| AppError::bad_request(format!("报告期：{e}")))
}

/// A deadline as shown: the date, its weekday, and a warning when the State Council notice
/// for that year is not in the calendar yet.
pub fn due_text(state: &AppState, due: NaiveDate) -> String {
    let estimate = if state.calendar().has_data(chrono::Datelike::year(&due)) {
        ""
    } else {
        "（该年节假日安排尚未录入，按周一至周五估算）"
    };
    format!(
        "{}（{}）{estimate}",
        due.format("%Y年%-m月%-d日"),
        weekday_name(due)
    )
}

/// Deadline and timeliness of one unit's report.
pub fn standing(
    state: &AppState,
    period: ReportPeriod,
    report: Option<&Report>,
) -> (NaiveDate, Timeliness) {
    // A submitted report keeps the deadline it was submitted against.
    let due = report
        .and_then(|r| r.due_on)
        .unwrap_or_else(|| period.due(&state.plan, &state.calendar()));
    // Drafts and returned reports are not (yet) submitted; a resubmitted one keeps its first date.
    let submitted = report
        .filter(|r| matches!(r.status, ReportStatus::Submitted | ReportStatus::Accepted))
        .and_then(|r| r.first_submitted_at)
        .map(local_date);
    (
        due,
        Timeliness::of(due, submitted, state.today(), &state.calendar()),
    )
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
    years: Vec<crate::dashboard::YearLink>,
    heads: Vec<PeriodHead>,
    periods: Vec<String>,
    kinds: Vec<KindBlock>,
    district_rates: Vec<String>,
    overdue: Vec<(String, usize, String)>,
    own: Option<UnitRow>,
    window: u32,
    annual_due: String,
}

/// "按时 a / 已报 b / 应报 c": DHIS2's reporting rate and timeliness, for the units in `cells`
/// whose deadline has passed (or that reported already).
fn rate(cells: &[&Cell]) -> String {
    // Timeliness is NotDue exactly when the report is not submitted and not yet due.
    let expected = cells.iter().filter(|c| c.class != "not_due").count();
    let reported = cells
        .iter()
        .filter(|c| matches!(c.class, "on_time" | "late"))
        .count();
    let on_time = cells.iter().filter(|c| c.class == "on_time").count();
    if expected == 0 {
        return "未到期".into();
    }
    format!(
        "报送 {reported}/{expected}，按时 {on_time}（{}）",
        percent(100.0 * on_time as f64 / expected as f64)
    )
}

async fn reports_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<YearQuery>,
) -> Result<ReportsPage, AppError> {
    let year = year_of(&state, &query)?;
    let plan = &state.plan;
    let periods = ReportPeriod::of_year(year);
    let reports = state.store.reports_of_year(year).await?;
    let cell = |unit: &str, period: ReportPeriod| {
        let report = reports
            .iter()
            .find(|r| r.unit_code == unit && r.period == period.code());
        let (_, timeliness) = standing(&state, period, report);
        Cell {
            period: period.code(),
            unit: unit.to_owned(),
            status: report.map_or("未报送", |r| r.status.label()),
            timeliness: timeliness.label(),
            class: timeliness.code(),
        }
    };
    let row = |unit: &linkong_core::plan::Unit| UnitRow {
        name: unit.name.clone(),
        cells: periods.iter().map(|p| cell(&unit.code, *p)).collect(),
    };
    let heads = periods
        .iter()
        .map(|p| PeriodHead {
            label: p.label(),
            due: due_text(&state, p.due(plan, &state.calendar())),
        })
        .collect();
    let years = plan
        .years()
        .map(|y| crate::dashboard::YearLink {
            year: y,
            current: y == year,
        })
        .collect();
    if !viewer.user.role.reads_all_units() {
        let own = viewer
            .user
            .unit_code
            .as_deref()
            .and_then(|c| plan.unit(c))
            .map(row);
        return Ok(ReportsPage {
            nav: Nav::of(&viewer, &state),
            year,
            years,
            heads,
            periods: periods.iter().map(|p| p.code()).collect(),
            kinds: Vec::new(),
            district_rates: Vec::new(),
            overdue: Vec::new(),
            own,
            window: plan.reporting.quarterly_due_working_days,
            annual_due: format!(
                "{} 月 {} 日",
                plan.reporting.annual_due.0, plan.reporting.annual_due.1
            ),
        });
    }
    let kinds: Vec<KindBlock> = UnitKind::ALL
        .iter()
        .filter_map(|kind| {
            let units: Vec<UnitRow> = plan
                .units
                .iter()
                .filter(|u| u.kind == *kind)
                .map(row)
                .collect();
            if units.is_empty() {
                return None;
            }
            let rates = (0..periods.len())
                .map(|i| rate(&units.iter().map(|u| &u.cells[i]).collect::<Vec<_>>()))
                .collect();
            Some(KindBlock {
                kind: kind.label(),
                units,
                rates,
            })
        })
        .collect();
    let district_rates = (0..periods.len())
        .map(|i| {
            rate(
                &kinds
                    .iter()
                    .flat_map(|k| k.units.iter().map(move |u| &u.cells[i]))
                    .collect::<Vec<_>>(),
            )
        })
        .collect();
    // Per period: how many units are overdue, and which.
    let overdue = periods
        .iter()
        .enumerate()
        .filter_map(|(i, period)| {
            let names: Vec<&str> = kinds
                .iter()
                .flat_map(|k| k.units.iter())
                .filter(|u| u.cells[i].class == "missing")
                .map(|u| u.name.as_str())
                .collect();
            (!names.is_empty()).then(|| (period.label(), names.len(), names.join("、")))
        })
        .collect();
    Ok(ReportsPage {
        nav: Nav::of(&viewer, &state),
        year,
        years,
        heads,
        periods: periods.iter().map(|p| p.code()).collect(),
        kinds,
        district_rates,
        overdue,
        own: None,
        window: plan.reporting.quarterly_due_working_days,
        annual_due: format!(
            "{} 月 {} 日",
            plan.reporting.annual_due.0, plan.reporting.annual_due.1
        ),
    })
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
    if !actor.may_read_records_of(unit) {
        return Err(state
            .store
            .deny(
                &actor,
                format!("report:{unit}:{}", period.code()),
                "不能查看其他单位的报告",
                &viewer.ip,
            )
            .await
            .into());
    }
    let report = state.store.report(unit, period).await?;
    let (due, timeliness) = standing(state, period, report.as_ref());
    let (lines, frozen) = match report.as_ref().and_then(|r| r.figures.clone()).filter(|_| {
        report
            .as_ref()
            .is_some_and(|r| matches!(r.status, ReportStatus::Submitted | ReportStatus::Accepted))
    }) {
        Some(lines) => (lines, true),
        None => (
            state
                .store
                .live_report_lines(&state.plan, unit, period)
                .await?,
            false,
        ),
    };
    let status = report.as_ref().map(|r| r.status);
    let history = match &report {
        Some(r) => state
            .store
            .report_events(r.id)
            .await?
            .into_iter()
            .map(|e| {
                let action = match e.action.as_str() {
                    "submit" => "报送",
                    "return" => "退回",
                    "accept" => "审核通过",
                    _ => "保存草稿",
                };
                (time(e.at), e.actor, action, e.comment)
            })
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
        frozen,
        lines: line_views(&lines),
        narrative: typed.unwrap_or_else(|| {
            report
                .as_ref()
                .map(|r| r.narrative.clone())
                .unwrap_or_default()
        }),
        editable: actor.may_record_for(unit)
            && matches!(
                status,
                None | Some(ReportStatus::Draft | ReportStatus::Returned)
            ),
        reviewable: matches!(
            actor.role,
            linkong_core::access::Role::TaskForce | linkong_core::access::Role::Admin
        ) && status == Some(ReportStatus::Submitted),
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
            &unit,
            period,
            &narrative,
            save,
            &viewer.ip,
        )
        .await
    {
        Ok(()) => {
            if save == Save::Submit {
                state
                    .store
                    .record_report_due(&unit, period, period.due(&state.plan, &state.calendar()))
                    .await?;
            }
            Ok(Redirect::to(&format!("/reports/{}/{unit}", period.code())).into_response())
        }
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

#[derive(Serialize)]
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

async fn deadlines_api(
    State(state): State<AppState>,
    ApiViewer(viewer): ApiViewer,
    Query(query): Query<YearQuery>,
) -> Result<Json<Vec<Deadline>>, AppError> {
    let year = year_of(&state, &query).map_err(AppError::for_api)?;
    let reports = state
        .store
        .reports_of_year(year)
        .await
        .map_err(|e| AppError::from(e).for_api())?;
    let actor = viewer.actor();
    let mut out = Vec::new();
    for unit in state
        .plan
        .units
        .iter()
        .filter(|u| actor.may_read_records_of(&u.code))
    {
        for period in ReportPeriod::of_year(year) {
            let report = reports
                .iter()
                .find(|r| r.unit_code == unit.code && r.period == period.code());
            let (due, timeliness) = standing(&state, period, report);
            out.push(Deadline {
                unit_code: unit.code.clone(),
                unit_name: unit.name.clone(),
                period: period.code(),
                due,
                calendar_estimated: !state.calendar().has_data(chrono::Datelike::year(&due)),
                status: report.map(|r| r.status),
                timeliness,
                first_submitted_at: report.and_then(|r| r.first_submitted_at),
            });
        }
    }
    Ok(Json(out))
}

#[derive(Serialize)]
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
#[derive(Serialize)]
struct ApiLine {
    task_code: String,
    indicator_code: String,
    indicator_name: String,
    measure: String,
    #[serde(serialize_with = "linkong_core::quantity::serialize_opt_hundredths")]
    target: Option<i64>,
    #[serde(serialize_with = "linkong_core::quantity::serialize_opt_hundredths")]
    period_actual: Option<i64>,
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

#[derive(Serialize)]
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

async fn quarterly_api(
    State(state): State<AppState>,
    ApiViewer(viewer): ApiViewer,
    Path(period): Path<String>,
) -> Result<Json<QuarterlyReport>, AppError> {
    let period = parse_period(&state, &period).map_err(AppError::for_api)?;
    if !matches!(period, ReportPeriod::Quarter { .. }) {
        return Err(AppError::bad_request("报告期：季度报告请写作 2025Q3").for_api());
    }
    let reports = state
        .store
        .reports_of_year(period.year())
        .await
        .map_err(|e| AppError::from(e).for_api())?;
    let actor = viewer.actor();
    let units = state
        .plan
        .units
        .iter()
        .filter(|u| actor.may_read_records_of(&u.code))
        .map(|unit| {
            let report = reports
                .iter()
                .find(|r| r.unit_code == unit.code && r.period == period.code());
            let submitted = report
                .filter(|r| matches!(r.status, ReportStatus::Submitted | ReportStatus::Accepted));
            QuarterlyUnit {
                unit_code: unit.code.clone(),
                unit_name: unit.name.clone(),
                status: report.map(|r| r.status),
                timeliness: standing(&state, period, report).1,
                narrative: submitted.map(|r| r.narrative.clone()),
                figures: submitted
                    .and_then(|r| r.figures.clone())
                    .map(|lines| lines.into_iter().map(ApiLine::from).collect()),
            }
        })
        .collect();
    let consolidated = if actor.role.reads_all_units() {
        Some(
            district(&state, period)
                .await
                .map_err(AppError::for_api)?
                .tasks,
        )
    } else {
        None
    };
    Ok(Json(QuarterlyReport {
        period: period.code(),
        label: period.label(),
        due: period.due(&state.plan, &state.calendar()),
        calendar_estimated: !state.calendar().has_data(chrono::Datelike::year(
            &period.due(&state.plan, &state.calendar()),
        )),
        units,
        consolidated,
    }))
}

/// The district's consolidated report of a period: every unit's figures as submitted, or, for a
/// unit that has not submitted, as its records stand (the remark says which).
pub struct District {
    pub period: ReportPeriod,
    pub due: NaiveDate,
    pub tasks: Vec<ConsolidatedTask>,
}

pub async fn district(state: &AppState, period: ReportPeriod) -> Result<District, AppError> {
    let plan = &state.plan;
    let reports = state.store.reports_of_year(period.year()).await?;
    let from = NaiveDate::from_ymd_opt(plan.info.first_year, 1, 1).unwrap_or(period.range().0);
    let records = state
        .store
        .record_figures(plan, from, period.range().1)
        .await?;
    let mut owned: Vec<(String, Vec<ReportLine>, String)> = Vec::new();
    for unit in &plan.units {
        let report = reports
            .iter()
            .find(|r| r.unit_code == unit.code && r.period == period.code());
        let (_, timeliness) = standing(state, period, report);
        let submitted =
            report.filter(|r| matches!(r.status, ReportStatus::Submitted | ReportStatus::Accepted));
        let (lines, remark) = match submitted.and_then(|r| r.figures.clone()) {
            Some(lines) => (
                lines,
                format!(
                    "{}，{}",
                    timeliness.label(),
                    submitted.map_or("", |r| r.status.label())
                ),
            ),
            None => {
                let why = match report.map(|r| r.status) {
                    Some(ReportStatus::Returned) => "已退回修改",
                    Some(ReportStatus::Draft) => "草稿未报送",
                    _ => "未报送",
                };
                (
                    report_lines(plan, &unit.code, period, &records),
                    format!("{}（{why}，数据取自填报记录）", timeliness.label()),
                )
            }
        };
        owned.push((unit.code.clone(), lines, remark));
    }
    let contributions: Vec<UnitContribution> = owned
        .iter()
        .map(|(unit_code, lines, remark)| UnitContribution {
            unit_code,
            lines,
            remark: remark.clone(),
        })
        .collect();
    Ok(District {
        period,
        due: period.due(plan, &state.calendar()),
        tasks: consolidate(plan, period, &contributions),
    })
}

/// The consolidated report as an xlsx workbook (what `linkong report` writes).
pub async fn district_workbook(
    state: &AppState,
    period: ReportPeriod,
) -> Result<Vec<u8>, AppError> {
    let district = district(state, period).await?;
    let period_column = match period {
        ReportPeriod::Quarter { .. } => "本季度完成",
        ReportPeriod::Annual { .. } => "本年完成",
    };
    let title = format!(
        "{}{}推进高校毕业生就业创业和返区创业工作情况汇总表",
        state.plan.info.district_name,
        period.label()
    );
    let subtitle = format!(
        "{}　报送截止：{}　制表：{}",
        state.plan.info.document_number,
        due_text(state, district.due),
        state.today()
    );
    crate::workbook::consolidated(
        &period.code(),
        &title,
        &subtitle,
        period_column,
        &district.tasks,
    )
    .map_err(|e| {
        tracing::error!(error = %e, "workbook failed");
        AppError::Internal { api: false }
    })
}

async fn require_reader(
    state: &AppState,
    viewer: &Viewer,
    period: ReportPeriod,
) -> Result<(), AppError> {
    if viewer.user.role.reads_all_units() {
        return Ok(());
    }
    Err(state
        .store
        .deny(
            &viewer.actor(),
            format!("report:district:{}", period.code()),
            "全区汇总报告只向工作专班开放",
            &viewer.ip,
        )
        .await
        .into())
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
}

async fn district_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(period): Path<String>,
) -> Result<DistrictPage, AppError> {
    let period = parse_period(&state, &period)?;
    require_reader(&state, &viewer, period).await?;
    let district = district(&state, period).await?;
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
    })
}

async fn district_xlsx(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(file): Path<String>,
) -> Result<Response, AppError> {
    let period = parse_period(&state, &file)?;
    require_reader(&state, &viewer, period).await?;
    let bytes = district_workbook(&state, period).await?;
    Ok(crate::workbook::respond(
        &format!("district-report-{}.xlsx", period.code()),
        bytes,
    ))
}

/// The reporting-rate table as a workbook (task force only, like the page's table).
async fn reports_xlsx(
    state: State<AppState>,
    viewer: Viewer,
    query: Query<YearQuery>,
) -> Result<Response, AppError> {
    use crate::workbook::Cell as X;
    if !viewer.user.role.reads_all_units() {
        let denied = state
            .store
            .deny(
                &viewer.actor(),
                "reports:rates".into(),
                "报送率汇总只向工作专班开放",
                &viewer.ip,
            )
            .await;
        return Err(denied.into());
    }
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
    crate::workbook::download(
        &format!("reporting-rates-{}.xlsx", page.year),
        crate::workbook::table(&format!("{}报送", page.year), &title, &headers, &rows),
    )
}
