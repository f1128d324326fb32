//! Applications for municipal recognition of carriers (市级创业孵化基地 1.2.2, 市级返乡创业园
//! 2.4.1) in the staff console: the list by kind and stage, an application's page with its
//! stages and documents and the forms that move it on, and the scoped JSON list.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use linkong_core::carriers::applications::{ApplicationKind, Stage};
use linkong_core::field::FieldError;
use linkong_store::carriers::applications::{Application, ApplicationDetail, ApplicationFilter};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::{ApiViewer, Nav, Viewer};
use crate::openapi::ErrorBody;
use crate::roster::street_param;
use crate::view::streets;
use crate::view::{Choice, choices, unit_name};
use crate::{AppError, AppState};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/staff/carriers/applications", get(list_page))
        .route("/staff/carriers/applications/{id}", get(detail_page))
        .route("/staff/carriers/applications/{id}/step", post(step))
        .route(
            "/staff/carriers/applications/{id}/documents",
            post(add_document),
        )
}

pub fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(api_list))
}

/// The list's filters: kind, stage, the carrier's street.
#[derive(Deserialize, Default, Clone)]
pub struct ListQuery {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    stage: String,
    #[serde(default)]
    street: String,
}

impl ListQuery {
    fn filter(&self, state: &AppState) -> Result<ApplicationFilter, String> {
        let kind = match self.kind.trim() {
            "" => None,
            text => Some(ApplicationKind::parse(text).map_err(|e| format!("申报类型：{e}"))?),
        };
        let stage = match self.stage.trim() {
            "" => None,
            text => Some(Stage::parse(text).map_err(|e| format!("申报阶段：{e}"))?),
        };
        Ok(ApplicationFilter {
            kind,
            stage,
            street: street_param(state, &self.street)?,
        })
    }
}

/// An application as a row shows it.
pub struct Line {
    pub application: Application,
    pub street: String,
    pub recommended_by: String,
    pub counted_for: String,
}

fn line(state: &AppState, application: Application) -> Line {
    Line {
        street: unit_name(state, &application.street_code),
        recommended_by: unit_name(state, &application.recommended_by),
        counted_for: unit_name(state, &application.counted_for),
        application,
    }
}

fn vocabulary<T: Copy>(
    all: &[T],
    code: fn(T) -> &'static str,
    label: fn(T) -> &'static str,
    selected: &str,
) -> Vec<Choice> {
    choices(
        all.iter()
            .map(|v| (code(*v).to_owned(), label(*v).to_owned())),
        selected,
    )
}

#[derive(Template, WebTemplate)]
#[template(path = "carrier_applications.html")]
struct ListPage {
    nav: Nav,
    error: Option<String>,
    lines: Vec<Line>,
    kinds: Vec<Choice>,
    stages: Vec<Choice>,
    streets: Vec<Choice>,
}

async fn list_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<ListQuery>,
) -> Result<ListPage, AppError> {
    let actor = viewer.actor();
    let scope = actor.carrier_scope(&state.plan);
    let mut page = ListPage {
        nav: Nav::of(&viewer, &state),
        error: None,
        lines: Vec::new(),
        kinds: vocabulary(
            ApplicationKind::ALL,
            ApplicationKind::code,
            ApplicationKind::label,
            &query.kind,
        ),
        stages: vocabulary(Stage::ALL, Stage::code, Stage::label, &query.stage),
        streets: choices(
            streets(&state).filter(|(code, _)| scope.reaches(code)),
            &query.street,
        ),
    };
    match query.filter(&state) {
        Ok(filter) => {
            let list = state
                .store
                .carrier_applications(&state.plan, &actor, &filter, &viewer.ip)
                .await?;
            page.lines = list.into_iter().map(|a| line(&state, a)).collect();
        }
        Err(message) => page.error = Some(message),
    }
    Ok(page)
}

/// The forms of an application's page: the next stage, a document.
#[derive(Deserialize, Default, Clone)]
pub struct ActionForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    stage: String,
    #[serde(default)]
    stepped_on: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    dated_on: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "carrier_application.html")]
struct DetailPage {
    nav: Nav,
    line: Line,
    detail: ApplicationDetail,
    may_follow: bool,
    may_add_documents: bool,
    /// The stages it may move to: the next one, and 未通过.
    next: Vec<Choice>,
    form: ActionForm,
    /// Which form the errors belong to: step or document.
    errors_of: &'static str,
    errors: Vec<FieldError>,
    saved: bool,
    today: String,
}

fn application_id(text: &str) -> Result<i64, AppError> {
    text.parse::<i64>()
        .map_err(|_| AppError::not_found("该认定申报不存在"))
}

async fn detail(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    form: ActionForm,
    (errors_of, errors): (&'static str, Vec<FieldError>),
) -> Result<DetailPage, AppError> {
    let actor = viewer.actor();
    let detail = state
        .store
        .carrier_application(&state.plan, &actor, id, &viewer.ip)
        .await?;
    let a = &detail.application;
    let may_follow = actor.may_follow_application(&state.plan, a.kind) && !a.stage.is_final();
    let next = a
        .stage
        .next()
        .into_iter()
        .chain((!a.stage.is_final()).then_some(Stage::Rejected))
        .map(|s| (s.code().to_owned(), s.label().to_owned()));
    Ok(DetailPage {
        nav: Nav::of(viewer, state),
        may_add_documents: actor.may_keep_carrier(&state.plan, &a.street_code)
            || actor.may_follow_application(&state.plan, a.kind),
        next: choices(next, &form.stage),
        line: line(state, a.clone()),
        detail,
        may_follow,
        form,
        errors_of,
        errors,
        saved: false,
        today: state.today().to_string(),
    })
}

#[derive(Deserialize, Default)]
struct Saved {
    #[serde(default)]
    saved: String,
}

async fn detail_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(saved): Query<Saved>,
) -> Result<DetailPage, AppError> {
    let id = application_id(&id)?;
    let mut page = detail(&state, &viewer, id, ActionForm::default(), ("", Vec::new())).await?;
    page.saved = saved.saved == "1";
    Ok(page)
}

/// Runs one form of an application's page: back to the page, or the page again with the
/// form's errors beside it.
async fn act(
    state: AppState,
    viewer: Viewer,
    id: String,
    form: ActionForm,
    which: &'static str,
) -> Result<Response, AppError> {
    viewer.check_csrf(&state, &form.csrf).await?;
    let id = application_id(&id)?;
    let (plan, actor, store) = (&state.plan, viewer.actor(), &state.store);
    let done = if which == "step" {
        let step = (
            form.stage.as_str(),
            form.stepped_on.as_str(),
            form.note.as_str(),
        );
        store
            .step_carrier_application(plan, &actor, id, step, &viewer.ip)
            .await
    } else {
        let document = (form.name.as_str(), form.dated_on.as_str());
        store
            .add_application_document(plan, &actor, id, document, &viewer.ip)
            .await
    };
    match done {
        Ok(()) => Ok(Redirect::to(&format!(
            "/staff/carriers/applications/{id}?saved=1#{which}"
        ))
        .into_response()),
        Err(linkong_store::Error::Fields(errors)) => {
            let page = detail(&state, &viewer, id, form, (which, errors)).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

async fn step(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(form): Form<ActionForm>,
) -> Result<Response, AppError> {
    act(state, viewer, id, form, "step").await
}

async fn add_document(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(form): Form<ActionForm>,
) -> Result<Response, AppError> {
    act(state, viewer, id, form, "document").await
}

/// The applications the caller reaches.
#[derive(Serialize, ToSchema)]
struct ApplicationList {
    total: usize,
    applications: Vec<Application>,
}

/// Applications for municipal recognition of carriers (市级创业孵化基地, 市级返乡创业园), scoped
/// like the page: a street's staff get only their street's carriers' applications.
#[utoipa::path(
    get,
    path = "/api/v1/carriers/applications",
    operation_id = "listCarrierApplications",
    tag = "returnees",
    params(
        ("kind" = Option<String>, Query, description = "申报类型：incubation_base、returnee_park"),
        ("stage" = Option<String>, Query, description = "申报阶段：recommended、district_review、submitted_to_city、approved、rejected"),
        ("street" = Option<String>, Query, description = "载体所在街道代码"),
    ),
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "认定申报", body = ApplicationList),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "无权查看创业载体或该街道", body = ErrorBody),
        (status = 422, description = "参数有误", body = ErrorBody),
    )
)]
async fn api_list(
    State(state): State<AppState>,
    ApiViewer(viewer): ApiViewer,
    Query(query): Query<ListQuery>,
) -> Result<Json<ApplicationList>, AppError> {
    let filter = query.filter(&state).map_err(AppError::BadRequest)?;
    let applications = state
        .store
        .carrier_applications(&state.plan, &viewer.actor(), &filter, &viewer.ip)
        .await?;
    Ok(Json(ApplicationList {
        total: applications.len(),
        applications,
    }))
}
