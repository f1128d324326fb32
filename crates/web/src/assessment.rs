//! The yearly assessment page (考核): every unit's score with the formula, and its export.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use linkong_core::assessment::{UnitScore, formula};

use crate::auth::{Nav, Viewer};
use crate::view::{YearLink, YearQuery, year_of};
use crate::{AppError, AppState};
use linkong_app::workbook::Cell;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/assessment", get(page))
        .route("/assessment.xlsx", get(export))
}

/// Every unit's score for the task force; a unit's staff see their own unit's only.
async fn scores(state: &AppState, viewer: &Viewer, year: i32) -> Result<Vec<UnitScore>, AppError> {
    let calendar = state.calendar();
    Ok(state
        .store
        .assessment(&viewer.actor(), &state.plan, &calendar, year)
        .await?)
}

pub struct Row {
    pub rank: String,
    pub unit: String,
    pub kind: &'static str,
    pub quotas: usize,
    pub completion: String,
    pub reports: String,
    pub timeliness: String,
    pub total: String,
}

fn rows(state: &AppState, scores: &[UnitScore]) -> Vec<Row> {
    scores
        .iter()
        .map(|s| {
            let unit = state.plan.unit(&s.unit_code);
            Row {
                rank: if s.completion_points.is_some() {
                    s.rank.to_string()
                } else {
                    format!("{}（仅按报送）", s.rank)
                },
                unit: unit.map_or(s.unit_code.clone(), |u| u.name.clone()),
                kind: unit.map_or("", |u| u.kind.label()),
                quotas: s.quotas,
                completion: s
                    .completion_points
                    .map_or("—".into(), |p| format!("{p:.2}")),
                reports: format!(
                    "应报 {}，按时 {}，逾期 {}，未报 {}",
                    s.reports_due, s.on_time, s.late, s.missing
                ),
                timeliness: format!("{:.2}", s.timeliness_points),
                total: format!("{:.2}", s.total),
            }
        })
        .collect()
}

#[derive(Template, WebTemplate)]
#[template(path = "assessment.html")]
struct Page {
    nav: Nav,
    year: i32,
    years: Vec<YearLink>,
    formula: String,
    source: String,
    as_of: String,
    rows: Vec<Row>,
}

async fn page(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<YearQuery>,
) -> Result<Page, AppError> {
    let year = year_of(&state, &query)?;
    let scores = scores(&state, &viewer, year).await?;
    Ok(Page {
        nav: Nav::of(&viewer, &state),
        year,
        years: state
            .plan
            .years()
            .map(|y| YearLink {
                year: y,
                current: y == year,
            })
            .collect(),
        formula: formula(&state.plan),
        source: state.plan.assessment.source.clone(),
        as_of: state.today().format("%Y年%-m月%-d日").to_string(),
        rows: rows(&state, &scores),
    })
}

async fn export(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<YearQuery>,
) -> Result<Response, AppError> {
    let year = year_of(&state, &query)?;
    let scores = scores(&state, &viewer, year).await?;
    let table: Vec<Vec<Cell>> = scores
        .iter()
        .map(|s| {
            let unit = state.plan.unit(&s.unit_code);
            vec![
                if s.completion_points.is_some() {
                    Cell::Number(s.rank as f64)
                } else {
                    Cell::Text(format!("{}（仅按报送）", s.rank))
                },
                Cell::Text(unit.map_or(s.unit_code.clone(), |u| u.name.clone())),
                Cell::Text(unit.map_or("", |u| u.kind.label()).into()),
                Cell::Number(s.quotas as f64),
                s.completion_points
                    .map_or(Cell::Text("—".into()), Cell::Number),
                Cell::Number(s.reports_due as f64),
                Cell::Number(s.on_time as f64),
                Cell::Number(s.late as f64),
                Cell::Number(s.missing as f64),
                Cell::Number(s.timeliness_points),
                Cell::Number(s.total),
            ]
        })
        .collect();
    let headers = [
        ("排名", 6.0),
        ("责任单位", 18.0),
        ("类别", 10.0),
        ("分解指标数", 10.0),
        ("完成情况得分", 12.0),
        ("应报", 6.0),
        ("按时", 6.0),
        ("逾期", 6.0),
        ("未报", 6.0),
        ("及时性得分", 12.0),
        ("总分", 10.0),
    ];
    let title = format!(
        "{}{year}年度高校毕业生就业创业和返区创业工作考核得分",
        state.plan.info.district_name
    );
    crate::download::download(
        &format!("assessment-{year}.xlsx"),
        linkong_app::workbook::table(&format!("{year}考核"), &title, &headers, &table),
    )
}
