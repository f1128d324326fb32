//! HR agencies' special actions (人力资源机构稳就业促创业专项行动, task 2.4.4) in the staff
//! console: the actions at `/staff/hr-actions` (by year and organising unit, with their
//! services' totals) and the form in which a unit of 2.4.4 records one; `/staff/hr-actions/{id}`
//! lists an action's services to returnee businesses with the organiser's form for another;
//! `GET /api/v1/hr-actions` gives the actions' aggregates. Who records is decided in core and
//! enforced by the store.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use linkong_core::businesses::BusinessStatus;
use linkong_core::field::FieldError;
use linkong_core::hr_actions::{ActionDraft, ServiceDraft, ServiceKind};
use linkong_store::businesses::BusinessFilter;
use linkong_store::hr_actions::{HrAction, HrService};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::{ApiViewer, Nav, Viewer};
use crate::openapi::ErrorBody;
use crate::view::{Choice, ListQuery, SavedQuery, choices, form_status, unit_name, vocabulary};
use crate::{AppError, AppState};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/staff/hr-actions", get(list_page).post(create))
        .route("/staff/hr-actions/{id}", get(detail_page))
        .route("/staff/hr-actions/{id}/services", post(add_service))
}

/// The actions' JSON API, with its OpenAPI annotations (see [`crate::openapi`]).
pub fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(api_actions))
}

#[derive(Deserialize, Default, Clone)]
struct ActionForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    agencies: String,
    #[serde(default)]
    starts_on: String,
    #[serde(default)]
    ends_on: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "staff_hr_actions.html")]
struct ListPage {
    nav: Nav,
    query: ListQuery,
    years: Vec<i32>,
    actions: Vec<(HrAction, String)>,
    services: i64,
    recruited: i64,
    /// The unit the viewer records for, if any.
    unit: Option<String>,
    form: ActionForm,
    today: String,
    errors: Vec<FieldError>,
}

async fn page(
    state: &AppState,
    viewer: &Viewer,
    query: ListQuery,
    form: ActionForm,
    errors: Vec<FieldError>,
) -> Result<Response, AppError> {
    let (year, unit) = query.filter_as(state, "组织单位")?;
    let plan = &state.plan;
    let rows = state.store.hr_actions(year, unit.as_deref()).await?;
    let actions: Vec<(HrAction, String)> = rows
        .into_iter()
        .map(|a| {
            let organiser = unit_name(state, &a.organiser);
            (a, organiser)
        })
        .collect();
    let status = form_status(&errors);
    let page = ListPage {
        nav: Nav::of(viewer, state),
        years: plan.years().collect(),
        services: actions.iter().map(|(a, _)| a.services).sum(),
        recruited: actions.iter().map(|(a, _)| a.recruited).sum(),
        actions,
        unit: viewer
            .actor()
            .titles_unit(plan)
            .map(|u| unit_name(state, u)),
        form,
        query,
        today: state.today().to_string(),
        errors,
    };
    Ok((status, page).into_response())
}

async fn list_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<ListQuery>,
) -> Result<Response, AppError> {
    page(&state, &viewer, query, ActionForm::default(), Vec::new()).await
}

/// A unit of 2.4.4 records an action; wrong fields come back as a 422 naming them, nothing
/// written.
async fn create(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(form): Form<ActionForm>,
) -> Result<Response, AppError> {
    viewer.check_csrf(&state, &form.csrf).await?;
    let draft = ActionDraft {
        name: form.name.clone(),
        agencies: form.agencies.clone(),
        starts_on: form.starts_on.clone(),
        ends_on: form.ends_on.clone(),
    };
    let recorded = state
        .store
        .record_hr_action(&state.plan, &viewer.actor(), &draft, &viewer.ip)
        .await;
    let again =
        |errors| async move { page(&state, &viewer, ListQuery::default(), form, errors).await };
    crate::view::saved_or_again(
        recorded,
        |id| format!("/staff/hr-actions/{id}?saved=1"),
        again,
    )
    .await
}

#[derive(Deserialize, Default, Clone)]
struct ServiceForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    business: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    served_on: String,
    #[serde(default)]
    posts_offered: String,
    #[serde(default)]
    recruited: String,
    #[serde(default)]
    note: String,
}

impl ServiceForm {
    fn draft(&self) -> ServiceDraft {
        ServiceDraft {
            business: self.business.clone(),
            kind: self.kind.clone(),
            served_on: self.served_on.clone(),
            posts_offered: self.posts_offered.clone(),
            recruited: self.recruited.clone(),
            note: self.note.clone(),
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "staff_hr_action.html")]
struct DetailPage {
    nav: Nav,
    action: HrAction,
    organiser: String,
    services: Vec<HrService>,
    /// The businesses the organiser's staff may pick; empty for other viewers.
    businesses: Vec<Choice>,
    keeps: bool,
    kinds: Vec<Choice>,
    form: ServiceForm,
    saved: bool,
    today: String,
    errors: Vec<FieldError>,
}

async fn detail(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    form: ServiceForm,
    errors: Vec<FieldError>,
    saved: bool,
) -> Result<Response, AppError> {
    let (plan, actor) = (&state.plan, viewer.actor());
    let (action, services) = state.store.hr_action(id).await?;
    let keeps = actor.may_keep_titles_of(plan, &action.organiser);
    let businesses = if keeps {
        let filter = BusinessFilter::default();
        let all = state
            .store
            .businesses(plan, &actor, &filter, &viewer.ip)
            .await?;
        let open = all
            .into_iter()
            .filter(|b| b.status != BusinessStatus::Closed);
        let items = open.map(|b| {
            let street = unit_name(state, &b.street_code);
            (b.id.to_string(), format!("{}（{street}）", b.name))
        });
        choices(items, &form.business)
    } else {
        Vec::new()
    };
    let status = form_status(&errors);
    let page = DetailPage {
        nav: Nav::of(viewer, state),
        organiser: unit_name(state, &action.organiser),
        action,
        services,
        businesses,
        keeps,
        kinds: vocabulary(
            ServiceKind::ALL.iter().map(|k| (k.code(), k.label())),
            &form.kind,
        ),
        form,
        saved,
        today: state.today().to_string(),
        errors,
    };
    Ok((status, page).into_response())
}

async fn detail_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Query(query): Query<SavedQuery>,
) -> Result<Response, AppError> {
    let form = ServiceForm {
        posts_offered: "0".into(),
        recruited: "0".into(),
        ..ServiceForm::default()
    };
    detail(&state, &viewer, id, form, Vec::new(), query.saved == "1").await
}

/// The action's organiser records a service; wrong fields come back as a 422 naming them,
/// nothing written; another unit is refused.
async fn add_service(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(form): Form<ServiceForm>,
) -> Result<Response, AppError> {
    viewer.check_csrf(&state, &form.csrf).await?;
    let recorded = state
        .store
        .record_hr_service(&state.plan, &viewer.actor(), id, &form.draft(), &viewer.ip)
        .await;
    match recorded {
        Ok(_) => Ok(Redirect::to(&format!("/staff/hr-actions/{id}?saved=1")).into_response()),
        Err(linkong_store::Error::Fields(errors)) => {
            detail(&state, &viewer, id, form, errors, false).await
        }
        Err(e) => Err(e.into()),
    }
}

/// The actions.
#[derive(Serialize, ToSchema)]
struct ApiHrActions {
    actions: Vec<HrAction>,
}

/// HR agencies' special actions for returnee start-ups (人力资源机构稳就业促创业专项行动, task
/// 2.4.4): name, organising unit, agencies taking part, period, and what their services to
/// returnee businesses add up to (services, businesses served, posts offered, people
/// recruited). Aggregates only, no personal data. For every staff member.
#[utoipa::path(
    get,
    path = "/api/v1/hr-actions",
    operation_id = "listHrActions",
    tag = "hr_actions",
    params(
        ("year" = Option<String>, Query, description = "行动期间所在年度，四位数字（空或不填为全部）"),
        ("unit" = Option<String>, Query, description = "组织单位代码"),
    ),
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "专项行动列表", body = ApiHrActions),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 422, description = "参数有误", body = ErrorBody),
    )
)]
async fn api_actions(
    State(state): State<AppState>,
    ApiViewer(_viewer): ApiViewer,
    Query(query): Query<ListQuery>,
) -> Result<Json<ApiHrActions>, AppError> {
    let (year, unit) = query.filter_as(&state, "组织单位")?;
    let actions = state.store.hr_actions(year, unit.as_deref()).await?;
    Ok(Json(ApiHrActions { actions }))
}
