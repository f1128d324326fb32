//! Labour-market order (人力资源市场秩序, task 1.3.4) in the staff console: the inspections at
//! `/staff/market-order` (scoped, by year, unit and overdue rectification) with the actions and
//! their workbook, the inspection form and the closing of a rectification; 区人社局's forms —
//! special actions, cases from complaints, the portal's notices and their monthly schedule — in
//! `market_order/lead.rs`; the public page `/job-safety` in `market_order/portal.rs`; and
//! `GET /api/v1/market-order/{actions,inspections,notices}`. Who reads and writes what is decided
//! in core and enforced by the store.

mod lead;
mod portal;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use linkong_core::access::Gate;
use linkong_core::field::FieldError;
use linkong_core::market_order::{InspectionDraft, PenaltyKind, TargetKind};
use linkong_store::market_order::{Inspection, InspectionFilter, MarketAction};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::{ApiViewer, Nav, Viewer};
use crate::openapi::ErrorBody;
use crate::view::{Choice, choices, unit_name};
use crate::{AppError, AppState};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/staff/market-order", get(list_page))
        .route("/staff/market-order/export.xlsx", get(export))
        .route(
            "/staff/market-order/inspections",
            get(new_inspection).post(create_inspection),
        )
        .route(
            "/staff/market-order/inspections/{id}/rectified",
            post(rectified),
        )
        .merge(lead::router())
        .merge(portal::router())
}

/// The labour-market order's JSON API, with its OpenAPI annotations (see [`crate::openapi`]).
pub fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(api_actions))
        .routes(routes!(api_inspections))
        .routes(routes!(portal::api_notices))
}

/// A vocabulary as the options of a select.
fn vocabulary(
    all: impl Iterator<Item = (&'static str, &'static str)>,
    selected: &str,
) -> Vec<Choice> {
    choices(all.map(|(c, l)| (c.to_owned(), l.to_owned())), selected)
}

/// An inspection as the list shows it.
pub struct Line {
    pub i: Inspection,
    pub unit: String,
    pub penalty: String,
    pub badge: &'static str,
    pub may_close: bool,
}

fn line(state: &AppState, viewer: &Viewer, i: Inspection) -> Line {
    let penalty = match i.penalty_kind {
        PenaltyKind::NoPenalty => PenaltyKind::NoPenalty.label().to_owned(),
        kind if kind.takes_amount() => format!("{} {} 元", kind.label(), i.penalty_yuan),
        kind => kind.label().to_owned(),
    };
    let open = i.rectification_due.is_some() && i.rectified_on.is_none();
    Line {
        unit: unit_name(state, &i.unit_code),
        penalty,
        badge: if i.overdue {
            "lagging"
        } else if open {
            "on_track"
        } else {
            "done"
        },
        may_close: open
            && viewer
                .actor()
                .may_close_rectification(&state.plan, &i.unit_code),
        i,
    }
}

#[derive(Deserialize, Default, Clone)]
pub struct ListQuery {
    #[serde(default)]
    year: String,
    #[serde(default)]
    unit: String,
    #[serde(default)]
    overdue: String,
    #[serde(default)]
    saved: String,
}

impl ListQuery {
    /// The filter asked for; a wrong year or unit is a 422 naming the field.
    fn filter(&self, state: &AppState) -> Result<InspectionFilter, AppError> {
        let year = crate::view::optional_year(state, &self.year)?;
        let unit = crate::view::optional_unit(state, "检查单位", &self.unit)?;
        Ok(InspectionFilter {
            year,
            unit,
            overdue: !self.overdue.trim().is_empty(),
            ..InspectionFilter::default()
        })
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "staff_market_order.html")]
struct ListPage {
    nav: Nav,
    query: ListQuery,
    years: Vec<i32>,
    actions: Vec<(MarketAction, String)>,
    lines: Vec<Line>,
    overdue: usize,
    may_inspect: bool,
    may_lead: bool,
    export: String,
    today: String,
    errors: Vec<FieldError>,
}

async fn list_view(
    state: &AppState,
    viewer: &Viewer,
    query: ListQuery,
    errors: Vec<FieldError>,
) -> Result<ListPage, AppError> {
    let filter = query.filter(state)?;
    let (actor, plan, store) = (viewer.actor(), &state.plan, &state.store);
    let rows = store
        .market_inspections(plan, &actor, &filter, &viewer.ip)
        .await?;
    let actions = store.market_actions(plan, &actor, &viewer.ip).await?;
    let lines: Vec<Line> = rows.into_iter().map(|i| line(state, viewer, i)).collect();
    Ok(ListPage {
        nav: Nav::of(viewer, state),
        years: plan.years().collect(),
        actions: actions
            .into_iter()
            .map(|a| {
                let lead = unit_name(state, &a.lead_unit);
                (a, lead)
            })
            .collect(),
        overdue: lines.iter().filter(|l| l.i.overdue).count(),
        lines,
        may_inspect: actor.market_order_unit(plan).is_some(),
        may_lead: actor.may_lead_market_order(plan),
        export: format!(
            "year={}&unit={}&overdue={}",
            query.year.trim(),
            query.unit.trim(),
            query.overdue.trim()
        ),
        query,
        today: state.today().to_string(),
        errors,
    })
}

async fn list_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<ListQuery>,
) -> Result<ListPage, AppError> {
    list_view(&state, &viewer, query, Vec::new()).await
}

#[derive(Deserialize, Default)]
struct RectifiedForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    rectified_on: String,
}

/// The inspecting unit or 区人社局 records the day a rectification was done.
async fn rectified(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(form): Form<RectifiedForm>,
) -> Result<Response, AppError> {
    viewer.check_csrf(&state, &form.csrf).await?;
    let (actor, plan) = (viewer.actor(), &state.plan);
    match state
        .store
        .close_rectification(plan, &actor, id, &form.rectified_on, &viewer.ip)
        .await
    {
        Ok(()) => Ok(Redirect::to("/staff/market-order?saved=1").into_response()),
        Err(linkong_store::Error::Fields(errors)) => {
            let page = list_view(&state, &viewer, ListQuery::default(), errors).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

/// The inspections of the list's filter the viewer reads, as a workbook.
async fn export(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<ListQuery>,
) -> Result<Response, AppError> {
    let filter = query.filter(&state)?;
    let rows = state
        .store
        .export_market_inspections(&state.plan, &viewer.actor(), &filter, &viewer.ip)
        .await?;
    let lines: Vec<Line> = rows.into_iter().map(|i| line(&state, &viewer, i)).collect();
    crate::download::download("market-inspections.xlsx", export_workbook(&lines))
}

fn export_workbook(lines: &[Line]) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let bold = rust_xlsxwriter::Format::new().set_bold();
    let ws = workbook.add_worksheet();
    ws.set_name("市场秩序检查")?;
    let headers = [
        ("专项行动", 28),
        ("检查单位", 14),
        ("检查日期", 12),
        ("对象类型", 14),
        ("检查对象", 28),
        ("统一社会信用代码", 22),
        ("检查发现", 40),
        ("处罚", 16),
        ("法律依据", 30),
        ("整改情况", 30),
    ];
    for (c, (h, width)) in headers.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &bold)?;
        ws.set_column_width(c as u16, *width)?;
    }
    for (r, l) in lines.iter().enumerate() {
        let i = &l.i;
        let cells = [
            i.action_name.clone(),
            l.unit.clone(),
            i.inspected_on.to_string(),
            i.target_kind.label().into(),
            i.target_name.clone(),
            i.target_uscc.clone().unwrap_or_default(),
            i.findings.clone(),
            l.penalty.clone(),
            i.legal_basis.clone(),
            i.rectification.clone(),
        ];
        for (c, text) in cells.iter().enumerate() {
            ws.write_string(r as u32 + 1, c as u16, text)?;
        }
    }
    workbook.save_to_buffer()
}

// ---- the inspection form ----

#[derive(Deserialize, Default, Clone)]
struct InspectionForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    action: String,
    #[serde(default)]
    inspected_on: String,
    #[serde(default)]
    target_kind: String,
    #[serde(default)]
    target_name: String,
    #[serde(default)]
    target_uscc: String,
    #[serde(default)]
    findings: String,
    #[serde(default)]
    penalty_kind: String,
    #[serde(default)]
    penalty_amount: String,
    #[serde(default)]
    legal_basis: String,
    #[serde(default)]
    rectification_due: String,
}

impl InspectionForm {
    fn draft(&self) -> InspectionDraft {
        InspectionDraft {
            action: self.action.clone(),
            inspected_on: self.inspected_on.clone(),
            target_kind: self.target_kind.clone(),
            target_name: self.target_name.clone(),
            target_uscc: self.target_uscc.clone(),
            findings: self.findings.clone(),
            penalty_kind: self.penalty_kind.clone(),
            penalty_amount: self.penalty_amount.clone(),
            legal_basis: self.legal_basis.clone(),
            rectification_due: self.rectification_due.clone(),
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "market_inspection_form.html")]
struct InspectionPage {
    nav: Nav,
    unit: String,
    actions: Vec<Choice>,
    kinds: Vec<Choice>,
    penalties: Vec<Choice>,
    form: InspectionForm,
    errors: Vec<FieldError>,
    today: String,
}

async fn inspection_page(
    state: &AppState,
    viewer: &Viewer,
    form: InspectionForm,
    errors: Vec<FieldError>,
) -> Result<Response, AppError> {
    let (actor, plan, store) = (viewer.actor(), &state.plan, &state.store);
    store
        .enter(&actor, Gate::MarketInspectionForm { plan }, &viewer.ip)
        .await?;
    let actions = store.market_actions(plan, &actor, &viewer.ip).await?;
    let actions = actions.into_iter().map(|a| {
        let label = format!("{}（{} 至 {}）", a.name, a.starts_on, a.ends_on);
        (a.id.to_string(), label)
    });
    let page = InspectionPage {
        nav: Nav::of(viewer, state),
        unit: actor
            .market_order_unit(plan)
            .map(|u| unit_name(state, u))
            .unwrap_or_default(),
        actions: choices(actions, &form.action),
        kinds: vocabulary(
            TargetKind::ALL.iter().map(|k| (k.code(), k.label())),
            &form.target_kind,
        ),
        penalties: vocabulary(
            PenaltyKind::ALL.iter().map(|k| (k.code(), k.label())),
            &form.penalty_kind,
        ),
        form,
        errors,
        today: state.today().to_string(),
    };
    let status = if page.errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok((status, page).into_response())
}

async fn new_inspection(
    State(state): State<AppState>,
    viewer: Viewer,
) -> Result<Response, AppError> {
    let form = InspectionForm {
        inspected_on: state.today().to_string(),
        penalty_kind: PenaltyKind::NoPenalty.code().into(),
        ..InspectionForm::default()
    };
    inspection_page(&state, &viewer, form, Vec::new()).await
}

async fn create_inspection(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(form): Form<InspectionForm>,
) -> Result<Response, AppError> {
    viewer.check_csrf(&state, &form.csrf).await?;
    match state
        .store
        .record_market_inspection(&state.plan, &viewer.actor(), &form.draft(), &viewer.ip)
        .await
    {
        Ok(_) => Ok(Redirect::to("/staff/market-order?saved=1").into_response()),
        Err(linkong_store::Error::Fields(errors)) => {
            inspection_page(&state, &viewer, form, errors).await
        }
        Err(e) => Err(e.into()),
    }
}

// ---- the JSON API ----

/// The special actions.
#[derive(Serialize, ToSchema)]
struct ApiActions {
    actions: Vec<MarketAction>,
}

/// Special actions of the labour-market order (人力资源市场秩序清理整顿专项行动, task 1.3.4):
/// name, lead unit, period, cooperating units and the inspections recorded under each. For the
/// units of 1.3.4 and the task force.
#[utoipa::path(
    get,
    path = "/api/v1/market-order/actions",
    operation_id = "listMarketActions",
    tag = "market_order",
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "专项行动列表", body = ApiActions),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "不是任务 1.3.4 的责任单位", body = ErrorBody),
    )
)]
async fn api_actions(
    State(state): State<AppState>,
    ApiViewer(viewer): ApiViewer,
) -> Result<Json<ApiActions>, AppError> {
    let actions = state
        .store
        .market_actions(&state.plan, &viewer.actor(), &viewer.ip)
        .await?;
    Ok(Json(ApiActions { actions }))
}

/// The inspections the caller reads.
#[derive(Serialize, ToSchema)]
struct ApiInspections {
    inspections: Vec<Inspection>,
}

/// Inspections of HR agencies and employers (task 1.3.4), scoped like the page: 区人社局 and the
/// task force all; a cooperating unit its own. Each with its penalty (amount in whole 元, legal
/// basis) and where its rectification stands today.
#[utoipa::path(
    get,
    path = "/api/v1/market-order/inspections",
    operation_id = "listMarketInspections",
    tag = "market_order",
    params(
        ("year" = Option<String>, Query, description = "检查年度，四位数字（空或不填为全部）"),
        ("unit" = Option<String>, Query, description = "检查单位代码"),
        ("overdue" = Option<String>, Query, description = "非空时只列逾期未整改的检查"),
    ),
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "检查列表", body = ApiInspections),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "无权查看该单位的检查", body = ErrorBody),
        (status = 422, description = "参数有误", body = ErrorBody),
    )
)]
async fn api_inspections(
    State(state): State<AppState>,
    ApiViewer(viewer): ApiViewer,
    Query(query): Query<ListQuery>,
) -> Result<Json<ApiInspections>, AppError> {
    let filter = query.filter(&state)?;
    let inspections = state
        .store
        .market_inspections(&state.plan, &viewer.actor(), &filter, &viewer.ip)
        .await?;
    Ok(Json(ApiInspections { inspections }))
}
