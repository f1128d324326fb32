//! The monitoring pages: the district dashboard, a unit's quotas, an indicator's breakdown by
//! unit, and the whole plan as the seed states it.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::routing::get;
use linkong_core::plan::{Indicator, Period, Plan, Task, UnitKind};
use linkong_core::progress::{self, IndicatorProgress};

use crate::auth::{Nav, Viewer};
use crate::charts::{Bar, completion_bars};
use crate::format::{FigureView, percent, status_class};
use crate::view::{YearLink, YearQuery, unit_name, year_links, year_of};
use crate::{AppError, AppState};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/dashboard", get(dashboard))
        .route("/dashboard.xlsx", get(dashboard_xlsx))
        .route("/plan", get(plan_page))
        .route("/units/{code}", get(unit_page))
        .route("/indicators/{code}", get(indicator_page))
}

pub struct IndicatorRow {
    pub code: String,
    pub name: String,
    pub period: &'static str,
    pub comparator: &'static str,
    pub figure: FigureView,
    pub choice: Option<String>,
}

pub struct TaskRow {
    pub code: String,
    pub name: String,
    pub lead: String,
    pub indicators: Vec<IndicatorRow>,
}

pub struct SectionBlock {
    pub code: String,
    pub title: String,
    pub tasks: Vec<TaskRow>,
}

fn unit_names(plan: &Plan, codes: &[String]) -> String {
    codes
        .iter()
        .map(|c| plan.unit(c).map_or(c.as_str(), |u| u.name.as_str()))
        .collect::<Vec<_>>()
        .join("、")
}

fn indicator_row(indicator: &Indicator, figure: &linkong_core::progress::Figure) -> IndicatorRow {
    IndicatorRow {
        code: indicator.code.clone(),
        name: indicator.name.clone(),
        period: indicator.period.label(),
        comparator: indicator.comparator.label(),
        figure: FigureView::of_indicator(figure, indicator),
        choice: indicator.choice.clone(),
    }
}

pub struct StatusCount {
    pub label: &'static str,
    pub class: &'static str,
    pub count: usize,
}

#[derive(Template, WebTemplate)]
#[template(path = "dashboard.html")]
struct DashboardPage {
    nav: Nav,
    plan_name: String,
    document_number: String,
    year: i32,
    years: Vec<YearLink>,
    today: String,
    counts: Vec<StatusCount>,
    sections: Vec<SectionBlock>,
    chart: String,
    overdue: Vec<(String, String)>,
    /// Units behind pro-rata progress on an indicator (the lag flags), for readers of every unit.
    lagging: Vec<LagFlag>,
    /// Open supervision items, and how many of them are overdue, for readers of every unit.
    open_items: usize,
    overdue_items: usize,
    may_steer: bool,
}

/// A unit behind on an indicator: a lag flag, with the supervision item already raised on it.
pub struct LagFlag {
    pub indicator_code: String,
    pub indicator_name: String,
    pub unit_code: String,
    pub unit_name: String,
    pub completion: String,
    pub pro_rata: String,
    pub status: &'static str,
    pub status_class: &'static str,
    /// The open supervision item on this unit and indicator, if one.
    pub item: Option<i64>,
    /// The supervision form filled from this flag.
    pub raise: String,
}

/// For readers of every unit: the lag flags and the open supervision items.
async fn steering_of(
    state: &AppState,
    viewer: &Viewer,
    progress: &[linkong_core::progress::IndicatorProgress],
    year: i32,
) -> Result<(Vec<LagFlag>, Vec<linkong_store::steering::SupervisionItem>), AppError> {
    if !viewer.user.role.reads_all_units() {
        return Ok((Vec::new(), Vec::new()));
    }
    let items = state
        .store
        .supervision_items(&viewer.actor(), None, true, &viewer.ip)
        .await?;
    Ok((lag_flags(state, progress, &items, year), items))
}

/// The lag flags of a year's progress: every unit lagging or seriously lagging on an
/// indicator, in the plan's order.
fn lag_flags(
    state: &AppState,
    progress: &[linkong_core::progress::IndicatorProgress],
    items: &[linkong_store::steering::SupervisionItem],
    year: i32,
) -> Vec<LagFlag> {
    use linkong_core::progress::Status;
    let mut flags = Vec::new();
    for (_, indicator) in state.plan.indicators() {
        let Some(shown) = progress.iter().find(|p| p.indicator_code == indicator.code) else {
            continue;
        };
        for unit in &shown.units {
            let Some(status @ (Status::Lagging | Status::SeriouslyLagging)) = unit.figure.status
            else {
                continue;
            };
            let completion = unit
                .figure
                .completion
                .map_or("—".to_owned(), |c| format!("{c:.1}%"));
            let pro_rata = format!("{:.1}%", unit.figure.pro_rata);
            let unit_name = unit_name(state, &unit.unit_code);
            let problem = format!(
                "{} {}：{year} 年完成率 {completion}，序时进度 {pro_rata}，{}。",
                indicator.code,
                indicator.name,
                status.label()
            );
            let query: String = url::form_urlencoded::Serializer::new(String::new())
                .append_pair("unit", &unit.unit_code)
                .append_pair("indicator", &indicator.code)
                .append_pair("problem", &problem)
                .finish();
            flags.push(LagFlag {
                item: items
                    .iter()
                    .find(|i| {
                        i.unit_code == unit.unit_code
                            && i.indicator_code.as_deref() == Some(indicator.code.as_str())
                    })
                    .map(|i| i.id),
                indicator_code: indicator.code.clone(),
                indicator_name: indicator.name.clone(),
                unit_code: unit.unit_code.clone(),
                unit_name,
                completion,
                pro_rata,
                status: status.label(),
                status_class: status.code(),
                raise: format!("/staff/steering/supervision/new?{query}"),
            });
        }
    }
    flags
}

/// Units whose report deadline has passed without a submission, for the task force.
async fn overdue_reports(
    state: &AppState,
    viewer: &Viewer,
    year: i32,
) -> Result<Vec<(String, String)>, AppError> {
    let calendar = state.calendar();
    let year_reports = state
        .store
        .year_standings(&viewer.actor(), &state.plan, &calendar, year)
        .await?;
    Ok(year_reports
        .standings
        .overdue()
        .into_iter()
        .map(|(period, units)| {
            let names: Vec<&str> = units.iter().map(|u| u.name.as_str()).collect();
            (
                format!("{}：{} 个单位逾期未报", period.label(), names.len()),
                names.join("、"),
            )
        })
        .collect())
}

/// Each unit's average completion of its yearly quotas as bars, best first, against this
/// year's pro-rata line.
fn unit_chart(state: &AppState, progress: &[IndicatorProgress], year: i32) -> String {
    let plan = &state.plan;
    let today = state.today();
    let mut bars: Vec<Bar> = plan
        .units
        .iter()
        .filter_map(|unit| {
            progress::unit_standing(plan, progress, &unit.code, year, today).map(
                |(completion, status)| Bar {
                    label: unit.name.clone(),
                    completion,
                    status_class: status_class(Some(status)),
                },
            )
        })
        .collect();
    bars.sort_by(|a, b| b.completion.total_cmp(&a.completion));
    let pro_rata = progress::pro_rata_percent(plan, Period::Year, year, today);
    completion_bars(
        &format!("{year} 年各责任单位指标平均完成率"),
        &bars,
        Some(pro_rata),
    )
}

async fn dashboard(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<YearQuery>,
) -> Result<DashboardPage, AppError> {
    let year = year_of(&state, &query)?;
    let plan = &state.plan;
    let progress = state.store.progress(&state.plan, year).await?;
    let figure_of = |code: &str| progress.iter().find(|p| p.indicator_code == code);

    let counts = progress::status_counts(&progress)
        .into_iter()
        .map(|(status, count)| StatusCount {
            label: status.label(),
            class: status.code(),
            count,
        })
        .collect();

    let sections = plan
        .sections
        .iter()
        .filter(|s| s.code.contains('.'))
        .map(|section| SectionBlock {
            code: section.code.clone(),
            title: section.title.clone(),
            tasks: plan
                .tasks
                .iter()
                .filter(|t| t.section == section.code)
                .map(|task| TaskRow {
                    code: task.code.clone(),
                    name: task.name.clone(),
                    lead: unit_names(plan, &task.lead_units),
                    indicators: task
                        .indicators
                        .iter()
                        .filter_map(|i| figure_of(&i.code).map(|p| indicator_row(i, &p.district)))
                        .collect(),
                })
                .collect(),
        })
        .collect();

    let chart = unit_chart(&state, &progress, year);
    let (lagging, items) = steering_of(&state, &viewer, &progress, year).await?;
    Ok(DashboardPage {
        lagging,
        open_items: items.len(),
        overdue_items: items.iter().filter(|i| i.overdue).count(),
        may_steer: viewer.actor().may_steer(),
        nav: Nav::of(&viewer, &state),
        plan_name: plan.info.name.clone(),
        document_number: plan.info.document_number.clone(),
        year,
        years: year_links(plan, year),
        today: state.today().format("%Y年%-m月%-d日").to_string(),
        counts,
        sections,
        chart,
        overdue: if viewer.user.role.reads_all_units() {
            overdue_reports(&state, &viewer, year).await?
        } else {
            Vec::new()
        },
    })
}

pub struct QuotaRow {
    pub task_code: String,
    pub task_name: String,
    pub indicator: IndicatorRow,
    pub holds_quota: bool,
    pub can_record: bool,
    pub registry: Option<&'static str>,
}

#[derive(Template, WebTemplate)]
#[template(path = "unit.html")]
struct UnitPage {
    nav: Nav,
    code: String,
    name: String,
    kind: &'static str,
    year: i32,
    years: Vec<YearLink>,
    quotas: Vec<QuotaRow>,
    lead_tasks: Vec<(String, String)>,
    cooperating_tasks: Vec<(String, String)>,
    overall: String,
    can_read_records: bool,
    saved: bool,
    next_report: Option<(String, String, String, String)>,
    /// The open supervision items raised on the unit, for those who may read them.
    open_items: Vec<linkong_store::steering::SupervisionItem>,
    /// The joint meetings' decisions the unit owns and has not carried out yet.
    open_decisions: Vec<linkong_store::steering::Decision>,
}

async fn unit_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(code): Path<String>,
    Query(query): Query<YearQuery>,
) -> Result<UnitPage, AppError> {
    let year = year_of(&state, &query)?;
    let plan = &state.plan;
    let unit = plan
        .unit(&code)
        .ok_or_else(|| AppError::not_found(format!("单位“{code}”不存在")))?;
    let progress = state.store.progress(&state.plan, year).await?;
    let actor = viewer.actor();
    let mut quotas = Vec::new();
    for (task, indicator) in plan.indicators() {
        let Some(p) = progress.iter().find(|p| p.indicator_code == indicator.code) else {
            continue;
        };
        let Some(mine) = p.units.iter().find(|u| u.unit_code == unit.code) else {
            continue;
        };
        quotas.push(QuotaRow {
            task_code: task.code.clone(),
            task_name: task.name.clone(),
            indicator: indicator_row(indicator, &mine.figure),
            holds_quota: mine.figure.target.is_some(),
            can_record: actor.may_record_for(&unit.code)
                && indicator.registry.is_none_or(|r| r.takes_manual_records())
                && indicator
                    .recording_units(task)
                    .contains(&unit.code.as_str()),
            registry: indicator
                .registry
                .filter(|r| !r.takes_manual_records())
                .map(|r| r.label()),
        });
    }
    let tasks_where = |lead: bool| -> Vec<(String, String)> {
        plan.tasks
            .iter()
            .filter(|t| {
                if lead {
                    t.lead_units.contains(&unit.code)
                } else {
                    t.cooperating_units.contains(&unit.code)
                }
            })
            .map(|t: &Task| (t.code.clone(), t.name.clone()))
            .collect()
    };
    let (open_items, open_decisions) = open_steering(&state, &viewer, &unit.code).await?;
    Ok(UnitPage {
        nav: Nav::of(&viewer, &state),
        code: unit.code.clone(),
        name: unit.name.clone(),
        kind: unit.kind.label(),
        year,
        years: year_links(plan, year),
        overall: progress::unit_completion(&progress, &unit.code).map_or("—".into(), percent),
        quotas,
        lead_tasks: tasks_where(true),
        cooperating_tasks: tasks_where(false),
        can_read_records: actor.may_read_records_of(&unit.code),
        saved: query.saved.is_some(),
        next_report: if actor.may_read_records_of(&unit.code) {
            next_report(&state, &viewer, &unit.code).await?
        } else {
            None
        },
        open_items,
        open_decisions,
    })
}

/// The supervision items and meeting decisions still open on `unit`, for those who may read
/// them (none for others).
async fn open_steering(
    state: &AppState,
    viewer: &Viewer,
    unit: &str,
) -> Result<
    (
        Vec<linkong_store::steering::SupervisionItem>,
        Vec<linkong_store::steering::Decision>,
    ),
    AppError,
> {
    let actor = viewer.actor();
    if !actor.may_read_supervision(unit) {
        return Ok((Vec::new(), Vec::new()));
    }
    let store = &state.store;
    let items = store
        .supervision_items(&actor, Some(unit), true, &viewer.ip)
        .await?;
    let decisions = store.open_decisions(&actor, Some(unit), &viewer.ip).await?;
    Ok((items, decisions))
}

/// The unit's earliest report not yet submitted: (period code, label, deadline, timeliness).
async fn next_report(
    state: &AppState,
    viewer: &Viewer,
    unit: &str,
) -> Result<Option<(String, String, String, String)>, AppError> {
    let calendar = state.calendar();
    let next = state
        .store
        .next_report(&viewer.actor(), &state.plan, &calendar, unit, &viewer.ip)
        .await?;
    Ok(next.map(|(period, standing)| {
        (
            period.code(),
            period.label(),
            crate::view::due_text(state, standing.due),
            standing.timeliness.label(),
        )
    }))
}

pub struct UnitRow {
    pub code: String,
    pub name: String,
    pub kind: &'static str,
    pub figure: FigureView,
    pub readable: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "indicator.html")]
struct IndicatorPage {
    nav: Nav,
    year: i32,
    years: Vec<YearLink>,
    task_code: String,
    task_name: String,
    task_text: String,
    indicator: IndicatorRow,
    measure: String,
    source: String,
    target_max: Option<String>,
    quota_note: String,
    units: Vec<UnitRow>,
    chart: String,
    /// Where the figures come from when a registry fills the indicator.
    registry: Option<&'static str>,
}

async fn indicator_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(code): Path<String>,
    Query(query): Query<YearQuery>,
) -> Result<IndicatorPage, AppError> {
    let year = year_of(&state, &query)?;
    let plan = &state.plan;
    let (task, indicator) = linkong_core::record::find_indicator(plan, &code)
        .ok_or_else(|| AppError::not_found(format!("指标“{code}”不存在")))?;
    let progress = state.store.progress(&state.plan, year).await?;
    let p = progress
        .iter()
        .find(|p| p.indicator_code == indicator.code)
        .ok_or_else(|| AppError::not_found("指标进度"))?;
    let actor = viewer.actor();
    let units: Vec<UnitRow> = p
        .units
        .iter()
        .map(|u| {
            let unit = plan.unit(&u.unit_code);
            UnitRow {
                code: u.unit_code.clone(),
                name: unit.map_or(u.unit_code.clone(), |u| u.name.clone()),
                kind: unit.map_or("", |u| u.kind.label()),
                figure: FigureView::new(&u.figure, &indicator.measure),
                readable: actor.may_read_records_of(&u.unit_code),
            }
        })
        .collect();
    let chart = indicator_chart(plan, indicator, p);
    let quota_note = quota_note(plan, task, indicator);
    Ok(IndicatorPage {
        nav: Nav::of(&viewer, &state),
        year,
        years: year_links(plan, year),
        task_code: task.code.clone(),
        task_name: task.name.clone(),
        task_text: task.text.clone(),
        indicator: indicator_row(indicator, &p.district),
        measure: indicator.measure.clone(),
        source: indicator.source.clone(),
        target_max: indicator.target_max.map(crate::format::amount),
        quota_note,
        units,
        chart,
        registry: indicator
            .registry
            .filter(|r| !r.takes_manual_records())
            .map(|r| r.label()),
    })
}

/// Each unit's completion of the indicator as bars against its pro-rata line (none when no
/// unit holds a quota).
fn indicator_chart(plan: &Plan, indicator: &Indicator, p: &IndicatorProgress) -> String {
    let bars: Vec<Bar> = p
        .units
        .iter()
        .filter_map(|u| {
            u.figure.completion.map(|completion| Bar {
                label: plan
                    .unit(&u.unit_code)
                    .map_or(u.unit_code.clone(), |u| u.name.clone()),
                completion,
                status_class: status_class(u.figure.status),
            })
        })
        .collect();
    if bars.is_empty() {
        return String::new();
    }
    completion_bars(
        &format!("{}：各单位完成率", indicator.name),
        &bars,
        Some(p.district.pro_rata),
    )
}

/// How the plan's annex divides the indicator among units, in words.
fn quota_note(plan: &Plan, task: &Task, indicator: &Indicator) -> String {
    if indicator.quotas.is_empty() {
        return format!(
            "附件未将本指标分解到单位，由牵头单位（{}）统筹填报。",
            unit_names(plan, &task.lead_units)
        );
    }
    let kinds: Vec<&str> = UnitKind::ALL
        .iter()
        .filter(|k| {
            indicator
                .quotas
                .iter()
                .any(|q| plan.unit(&q.unit).is_some_and(|u| u.kind == **k))
        })
        .map(|k| k.label())
        .collect();
    format!(
        "附件将本指标分解到 {} 个单位（{}）。",
        indicator.quotas.len(),
        kinds.join("、")
    )
}

pub struct PlanTask {
    pub code: String,
    pub name: String,
    pub text: String,
    pub lead: String,
    pub cooperating: String,
    pub remark: Option<String>,
    pub duties: Vec<(String, String)>,
    pub indicators: Vec<PlanIndicator>,
}

pub struct PlanIndicator {
    pub code: String,
    pub name: String,
    pub target: String,
    pub comparator: &'static str,
    pub period: &'static str,
    pub source: String,
    pub choice: Option<String>,
    pub quotas: Vec<(String, String)>,
}

#[derive(Template, WebTemplate)]
#[template(path = "plan.html")]
struct PlanPage {
    nav: Nav,
    name: String,
    document_number: String,
    issuer: String,
    issued_on: String,
    reporting: String,
    sections: Vec<(String, String, Vec<PlanTask>)>,
    units: Vec<(&'static str, Vec<String>)>,
}

/// A task of the plan as the seed states it.
fn plan_task(plan: &Plan, task: &Task) -> PlanTask {
    PlanTask {
        code: task.code.clone(),
        name: task.name.clone(),
        text: task.text.clone(),
        lead: unit_names(plan, &task.lead_units),
        cooperating: unit_names(plan, &task.cooperating_units),
        remark: task.remark.clone(),
        duties: task
            .duties
            .iter()
            .map(|d| (unit_names(plan, &d.units), d.text.clone()))
            .collect(),
        indicators: task
            .indicators
            .iter()
            .map(|i| plan_indicator(plan, i))
            .collect(),
    }
}

/// An indicator with its target (or range) and each unit's quota.
fn plan_indicator(plan: &Plan, i: &Indicator) -> PlanIndicator {
    let amount = crate::format::amount;
    PlanIndicator {
        code: i.code.clone(),
        name: i.name.clone(),
        target: match (i.target, i.target_max) {
            (Some(min), Some(max)) => format!("{}—{}{}", amount(min), amount(max), i.measure),
            (Some(target), None) => format!("{}{}", amount(target), i.measure),
            (None, _) => "无目标值".into(),
        },
        comparator: i.comparator.label(),
        period: i.period.label(),
        source: i.source.clone(),
        choice: i.choice.clone(),
        quotas: i
            .quotas
            .iter()
            .map(|q| {
                (
                    plan.unit(&q.unit)
                        .map_or(q.unit.clone(), |u| u.name.clone()),
                    format!("{}{}", amount(q.target), i.measure),
                )
            })
            .collect(),
    }
}

async fn plan_page(State(state): State<AppState>, viewer: Viewer) -> PlanPage {
    let plan = &state.plan;
    let sections = plan
        .sections
        .iter()
        .map(|section| {
            let tasks = plan
                .tasks
                .iter()
                .filter(|t| t.section == section.code)
                .map(|task| plan_task(plan, task))
                .collect();
            (section.code.clone(), section.title.clone(), tasks)
        })
        .collect();
    let units = UnitKind::ALL
        .iter()
        .map(|kind| {
            (
                kind.label(),
                plan.units
                    .iter()
                    .filter(|u| u.kind == *kind)
                    .map(|u| u.name.clone())
                    .collect(),
            )
        })
        .collect();
    PlanPage {
        nav: Nav::of(&viewer, &state),
        name: plan.info.name.clone(),
        document_number: plan.info.document_number.clone(),
        issuer: plan.info.issuer.clone(),
        issued_on: plan.info.issued_on.format("%Y年%-m月%-d日").to_string(),
        reporting: format!(
            "每季度结束后 {} 个工作日内报送季度情况，每年 {} 月 {} 日前报送年度工作情况（{}）。",
            plan.reporting.quarterly_due_working_days,
            plan.reporting.annual_due.0,
            plan.reporting.annual_due.1,
            plan.reporting.source
        ),
        sections,
        units,
    }
}

/// Every figure of the year, district-wide and per unit, as a workbook.
async fn dashboard_xlsx(
    State(state): State<AppState>,
    _viewer: Viewer,
    Query(query): Query<YearQuery>,
) -> Result<axum::response::Response, AppError> {
    use linkong_app::workbook::Cell;
    let year = year_of(&state, &query)?;
    let plan = &state.plan;
    let progress = state.store.progress(&state.plan, year).await?;
    let mut rows = Vec::new();
    for p in &progress {
        let Some((task, indicator)) = linkong_core::record::find_indicator(plan, &p.indicator_code)
        else {
            continue;
        };
        let figures =
            std::iter::once(("全区合计".to_owned(), &p.district)).chain(p.units.iter().map(|u| {
                (
                    plan.unit(&u.unit_code)
                        .map_or(u.unit_code.clone(), |x| x.name.clone()),
                    &u.figure,
                )
            }));
        for (unit, figure) in figures {
            let amount = |v: Option<i64>| {
                v.map_or(Cell::Text("—".into()), |v| Cell::Number(v as f64 / 100.0))
            };
            rows.push(vec![
                Cell::Text(format!("{} {}", task.code, task.name)),
                Cell::Text(format!("{}（{}）", indicator.name, indicator.measure)),
                Cell::Text(unit),
                amount(figure.target),
                amount(figure.actual),
                figure
                    .completion
                    .map_or(Cell::Text("—".into()), Cell::Percent),
                Cell::Percent(figure.pro_rata),
                Cell::Text(
                    figure
                        .status
                        .map_or("—", linkong_core::progress::Status::label)
                        .into(),
                ),
            ]);
        }
    }
    let headers = [
        ("任务", 24.0),
        ("指标", 36.0),
        ("单位", 16.0),
        ("目标", 10.0),
        ("累计完成", 10.0),
        ("完成率", 9.0),
        ("序时进度", 9.0),
        ("状态", 10.0),
    ];
    let title = format!(
        "{}{year}年指标完成情况（截至{}）",
        plan.info.district_name,
        state.today()
    );
    crate::download::download(
        &format!("progress-{year}.xlsx"),
        linkong_app::workbook::table(&format!("{year}进度"), &title, &headers, &rows),
    )
}
