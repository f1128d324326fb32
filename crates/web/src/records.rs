//! Recording progress: the form (own unit only), the list behind every number, voiding and
//! correcting, evidence files.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use linkong_core::access::{Actor, Gate};
use linkong_core::field::FieldError;
use linkong_core::plan::{Aggregation, Indicator, Plan};
use linkong_core::progress::{self, RecordFigure, counting_window};
use linkong_core::record::{RecordDraft, find_indicator};
use linkong_store::evidence::{EvidenceUpload, MAX_EVIDENCE_BYTES};
use linkong_store::progress::{RecordFilter, RecordRow};
use serde::Deserialize;

use crate::auth::{Nav, Viewer};
use crate::format::{amount, time};
use crate::view::{YearQuery, year_of};
use crate::{AppError, AppState};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/units/{code}/records/new", get(record_form))
        .route(
            "/units/{code}/records",
            post(create_record).layer(DefaultBodyLimit::max(MAX_EVIDENCE_BYTES + 512 * 1024)),
        )
        .route("/records", get(record_list))
        .route("/records.xlsx", get(records_xlsx))
        .route("/records/{id}/void", post(void_record))
        .route("/records/{id}/evidence", get(evidence))
}

pub struct IndicatorChoice {
    pub code: String,
    pub label: String,
    pub selected: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "record_form.html")]
struct RecordFormPage {
    nav: Nav,
    unit_code: String,
    unit_name: String,
    indicators: Vec<IndicatorChoice>,
    value: String,
    occurred_on: String,
    description: String,
    corrects: Option<i64>,
    errors: Vec<FieldError>,
    today: String,
}

#[derive(Deserialize)]
struct FormQuery {
    #[serde(default)]
    indicator: Option<String>,
    #[serde(default)]
    corrects: Option<i64>,
}

/// The indicators `unit` records, for the form's select.
fn indicator_choices(state: &AppState, unit: &str, selected: Option<&str>) -> Vec<IndicatorChoice> {
    state
        .plan
        .indicators()
        .filter(|(task, indicator)| {
            indicator.registry.is_none_or(|r| r.takes_manual_records())
                && indicator.recording_units(task).contains(&unit)
        })
        .map(|(task, indicator)| IndicatorChoice {
            code: indicator.code.clone(),
            label: format!(
                "{} {} · {}（{}）",
                task.code, task.name, indicator.name, indicator.measure
            ),
            selected: selected == Some(indicator.code.as_str()),
        })
        .collect()
}

async fn guard_own_unit(state: &AppState, viewer: &Viewer, unit: &str) -> Result<String, AppError> {
    let name = state
        .plan
        .unit(unit)
        .map(|u| u.name.clone())
        .ok_or_else(|| AppError::not_found(format!("单位“{unit}”不存在")))?;
    let gate = Gate::ProgressForm { unit };
    state.store.enter(&viewer.actor(), gate, &viewer.ip).await?;
    Ok(name)
}

async fn record_form(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(unit): Path<String>,
    Query(query): Query<FormQuery>,
) -> Result<RecordFormPage, AppError> {
    let unit_name = guard_own_unit(&state, &viewer, &unit).await?;
    let (value, occurred_on, description) = match query.corrects {
        Some(id) => {
            let old = state.store.record(&viewer.actor(), id, &viewer.ip).await?;
            (
                amount(old.value),
                old.occurred_on.to_string(),
                old.description,
            )
        }
        None => (String::new(), state.today().to_string(), String::new()),
    };
    Ok(RecordFormPage {
        indicators: indicator_choices(&state, &unit, query.indicator.as_deref()),
        nav: Nav::of(&viewer, &state),
        unit_code: unit,
        unit_name,
        value,
        occurred_on,
        description,
        corrects: query.corrects,
        errors: Vec::new(),
        today: state.today().to_string(),
    })
}

async fn create_record(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(unit): Path<String>,
    mut multipart: Multipart,
) -> Result<Response, AppError> {
    let mut draft = RecordDraft {
        unit_code: unit.clone(),
        ..Default::default()
    };
    let mut csrf = String::new();
    let mut corrects = None;
    let mut evidence = None;
    let unreadable = |_| AppError::bad_request("表单数据不完整或文件过大（佐证材料不超过 10 MB）");
    while let Some(field) = multipart.next_field().await.map_err(unreadable)? {
        let name = field.name().unwrap_or("").to_owned();
        if name == "evidence" {
            let file_name = field.file_name().unwrap_or("").to_owned();
            let bytes = field.bytes().await.map_err(unreadable)?;
            if !bytes.is_empty() {
                evidence = Some(EvidenceUpload {
                    file_name,
                    bytes: bytes.to_vec(),
                });
            }
            continue;
        }
        let text = field.text().await.map_err(unreadable)?;
        match name.as_str() {
            "csrf" => csrf = text,
            "indicator" => draft.indicator_code = text,
            "value" => draft.value = text,
            "occurred_on" => draft.occurred_on = text,
            "description" => draft.description = text,
            "corrects" if !text.trim().is_empty() => {
                corrects = Some(
                    text.trim()
                        .parse::<i64>()
                        .map_err(|_| AppError::bad_request("更正：记录编号无效"))?,
                )
            }
            _ => {}
        }
    }
    viewer.check_csrf(&state, &csrf).await?;
    let unit_name = guard_own_unit(&state, &viewer, &unit).await?;
    match state
        .store
        .add_record(
            &viewer.actor(),
            &state.plan,
            &draft,
            evidence,
            corrects,
            &viewer.ip,
        )
        .await
    {
        Ok(_) => {
            let year = linkong_core::field::parse_date(&draft.occurred_on)
                .map(|d| chrono::Datelike::year(&d))
                .unwrap_or_default();
            Ok(Redirect::to(&format!("/units/{unit}?year={year}&saved=1")).into_response())
        }
        Err(linkong_store::Error::Fields(errors)) => Ok(form_again(
            &state, &viewer, unit, unit_name, &draft, corrects, errors,
        )),
        Err(linkong_store::Error::Invalid { field, message }) => Ok(form_again(
            &state,
            &viewer,
            unit,
            unit_name,
            &draft,
            corrects,
            vec![FieldError { field, message }],
        )),
        Err(e) => Err(e.into()),
    }
}

fn form_again(
    state: &AppState,
    viewer: &Viewer,
    unit: String,
    unit_name: String,
    draft: &RecordDraft,
    corrects: Option<i64>,
    errors: Vec<FieldError>,
) -> Response {
    let page = RecordFormPage {
        nav: Nav::of(viewer, state),
        indicators: indicator_choices(state, &unit, Some(draft.indicator_code.as_str())),
        unit_code: unit,
        unit_name,
        value: draft.value.clone(),
        occurred_on: draft.occurred_on.clone(),
        description: draft.description.clone(),
        corrects,
        errors,
        today: state.today().to_string(),
    };
    (StatusCode::UNPROCESSABLE_ENTITY, page).into_response()
}

pub struct RecordView {
    pub id: i64,
    pub indicator_code: String,
    pub indicator_name: String,
    pub unit_code: String,
    pub unit_name: String,
    pub value: String,
    pub occurred_on: String,
    pub description: String,
    pub has_evidence: bool,
    pub evidence_name: String,
    pub created_by: String,
    pub created_at: String,
    pub voided: bool,
    pub void_reason: String,
    pub corrects_id: Option<i64>,
    pub can_edit: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "records.html")]
struct RecordListPage {
    nav: Nav,
    year: i32,
    heading: String,
    /// The list's query string, for the export link.
    query: String,
    records: Vec<RecordView>,
    total: String,
}

#[derive(Deserialize)]
struct ListQuery {
    #[serde(default)]
    unit: Option<String>,
    #[serde(default)]
    indicator: Option<String>,
    #[serde(default)]
    year: Option<String>,
}

async fn record_list(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<ListQuery>,
) -> Result<RecordListPage, AppError> {
    let year = year_of(
        &state,
        &YearQuery {
            year: query.year.clone(),
            saved: None,
        },
    )?;
    let plan = &state.plan;
    let unit = query.unit.filter(|u| !u.is_empty());
    let indicator = query.indicator.filter(|i| !i.is_empty());
    let found = match &indicator {
        Some(code) => Some(
            find_indicator(plan, code)
                .ok_or_else(|| AppError::not_found(format!("指标“{code}”不存在")))?,
        ),
        None => None,
    };
    let period = found.map_or(linkong_core::plan::Period::Year, |(_, i)| i.period);
    let (from, to) = counting_window(plan, period, year);
    let filter = RecordFilter {
        indicator_code: indicator.clone(),
        unit_code: unit.clone(),
        from: Some(from),
        to: Some(to),
        include_voided: true,
    };
    let actor = viewer.actor();
    let rows = state.store.records(&actor, &filter, &viewer.ip).await?;
    let total = found.and_then(|(_, i)| total_line(i, &rows));
    Ok(RecordListPage {
        nav: Nav::of(&viewer, &state),
        year,
        heading: heading(plan, &actor, unit.as_deref(), found.map(|(_, i)| i)),
        query: url::form_urlencoded::Serializer::new(String::new())
            .append_pair("year", &year.to_string())
            .append_pair("unit", unit.as_deref().unwrap_or(""))
            .append_pair("indicator", indicator.as_deref().unwrap_or(""))
            .finish(),
        total: total.unwrap_or_default(),
        records: rows
            .into_iter()
            .map(|r| record_view(plan, &actor, r))
            .collect(),
    })
}

/// A record as the list shows it.
fn record_view(plan: &Plan, actor: &Actor, r: RecordRow) -> RecordView {
    let found = find_indicator(plan, &r.indicator_code);
    let measure = found.map_or("", |(_, i)| i.measure.as_str());
    RecordView {
        id: r.id,
        indicator_name: found.map_or(r.indicator_code.clone(), |(_, i)| i.name.clone()),
        indicator_code: r.indicator_code,
        unit_name: plan
            .unit(&r.unit_code)
            .map_or(r.unit_code.clone(), |u| u.name.clone()),
        can_edit: actor.may_record_for(&r.unit_code) && r.voided_at.is_none(),
        unit_code: r.unit_code,
        value: format!("{}{}", amount(r.value), measure),
        occurred_on: r.occurred_on.to_string(),
        description: r.description,
        has_evidence: r.evidence_digest.is_some(),
        evidence_name: r.evidence_name.unwrap_or_default(),
        created_by: r.created_by,
        created_at: time(r.created_at),
        voided: r.voided_at.is_some(),
        void_reason: r.void_reason.unwrap_or_default(),
        corrects_id: r.corrects_id,
    }
}

/// The list's title: the unit the store showed (core's scope for the actor) and the indicator.
fn heading(
    plan: &Plan,
    actor: &Actor,
    asked: Option<&str>,
    indicator: Option<&Indicator>,
) -> String {
    let shown = actor.records_scope(asked);
    let unit_name = shown.and_then(|u| plan.unit(u)).map(|u| u.name.clone());
    match (unit_name, indicator) {
        (Some(u), Some(i)) => format!("{u} · {}", i.name),
        (Some(u), None) => u,
        (None, Some(i)) => format!("全区 · {}", i.name),
        (None, None) if actor.reads_all_units() => "全区".into(),
        (None, None) => "本单位".into(),
    }
}

/// The listed records' figure by the indicator's own rule: a sum, or a rate's latest value.
fn total_line(indicator: &Indicator, rows: &[RecordRow]) -> Option<String> {
    let live: Vec<RecordFigure> = rows
        .iter()
        .filter(|r| r.voided_at.is_none())
        .map(|r| RecordFigure {
            id: r.id,
            indicator_code: r.indicator_code.clone(),
            unit_code: r.unit_code.clone(),
            value: r.value,
            occurred_on: r.occurred_on,
            records: 1,
        })
        .collect();
    let live: Vec<&RecordFigure> = live.iter().collect();
    let label = match indicator.aggregation {
        Aggregation::Sum => "有效记录合计",
        Aggregation::Latest => "最新填报值",
    };
    progress::aggregate(indicator.aggregation, &live)
        .map(|value| format!("{label}：{}{}", amount(value), indicator.measure))
}

#[derive(Deserialize)]
struct VoidForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    reason: String,
}

async fn void_record(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(form): Form<VoidForm>,
) -> Result<Response, AppError> {
    viewer.check_csrf(&state, &form.csrf).await?;
    state
        .store
        .void_record(&viewer.actor(), id, &form.reason, &viewer.ip)
        .await?;
    let record = state.store.record(&viewer.actor(), id, &viewer.ip).await?;
    let year = chrono::Datelike::year(&record.occurred_on);
    Ok(Redirect::to(&format!(
        "/records?unit={}&indicator={}&year={year}",
        record.unit_code, record.indicator_code
    ))
    .into_response())
}

async fn evidence(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let (name, media_type, bytes) = state
        .store
        .record_evidence(&viewer.actor(), id, &viewer.ip)
        .await?;
    Ok(crate::download::attachment(&name, &media_type, bytes))
}

/// The same list as `/records`, with the same scope, as a workbook.
async fn records_xlsx(
    state: State<AppState>,
    viewer: Viewer,
    query: Query<ListQuery>,
) -> Result<Response, AppError> {
    use linkong_app::workbook::Cell;
    let page = record_list(state, viewer, query).await?;
    let rows: Vec<Vec<Cell>> = page
        .records
        .into_iter()
        .map(|r| {
            vec![
                Cell::Number(r.id as f64),
                Cell::Text(r.occurred_on),
                Cell::Text(r.unit_name),
                Cell::Text(r.indicator_name),
                Cell::Text(r.value),
                Cell::Text(r.description),
                Cell::Text(r.created_by),
                Cell::Text(r.created_at),
                Cell::Text(if r.voided {
                    format!("已作废：{}", r.void_reason)
                } else {
                    "有效".into()
                }),
            ]
        })
        .collect();
    let headers = [
        ("编号", 7.0),
        ("日期", 11.0),
        ("单位", 16.0),
        ("指标", 30.0),
        ("数值", 10.0),
        ("情况说明", 40.0),
        ("填报人", 12.0),
        ("填报时间", 16.0),
        ("状态", 20.0),
    ];
    let title = format!("填报记录 · {} · {} 年", page.heading, page.year);
    crate::download::download(
        &format!("records-{}.xlsx", page.year),
        linkong_app::workbook::table("填报记录", &title, &headers, &rows),
    )
}
