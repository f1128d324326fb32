//! Gig work (零工, task 2.5.4) at the streets' gig stations (零工驿站): `/gigs` is the station's
//! page — a one-minute form for a gig, the station's gigs with a button to close one, and the
//! district's open gigs; `GET /api/v1/gigs` lists the open gigs for anyone (phones masked).
//! Core decides who posts and checks every field; the store keeps and audits.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use linkong_core::field::FieldError;
use linkong_core::gigs::{GigDraft, PayBasis, gig_station, station_name};
use linkong_core::plan::UnitKind;
use linkong_store::gigs::GigPost;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::{CsrfForm, Nav, Viewer};
use crate::openapi::ErrorBody;
use crate::view::{Choice, choices, unit_name};
use crate::{AppError, AppState};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/gigs", get(station_page).post(create))
        .route("/gigs/{id}/close", post(close))
}

/// The open gigs' JSON API, with its OpenAPI annotation (see [`crate::openapi`]).
pub fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(api_list))
}

/// A gig as the pages show it.
pub struct GigLine {
    pub g: GigPost,
    pub station: String,
    pub street: String,
}

pub fn gig_line(state: &AppState, g: GigPost) -> GigLine {
    GigLine {
        station: station_name(&unit_name(state, &g.station)),
        street: unit_name(state, &g.work_street),
        g,
    }
}

#[derive(Deserialize, Default, Clone)]
pub struct GigForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    work_street: String,
    #[serde(default)]
    pay_basis: String,
    #[serde(default)]
    rate: String,
    #[serde(default)]
    starts_on: String,
    #[serde(default)]
    ends_on: String,
    #[serde(default)]
    headcount: String,
    #[serde(default)]
    contact_name: String,
    #[serde(default)]
    contact_phone: String,
    #[serde(default)]
    note: String,
}

impl GigForm {
    fn draft(&self) -> GigDraft {
        GigDraft {
            title: self.title.clone(),
            work_street: self.work_street.clone(),
            pay_basis: self.pay_basis.clone(),
            rate: self.rate.clone(),
            starts_on: self.starts_on.clone(),
            ends_on: self.ends_on.clone(),
            headcount: self.headcount.clone(),
            contact_name: self.contact_name.clone(),
            contact_phone: self.contact_phone.clone(),
            note: self.note.clone(),
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "gigs.html")]
struct StationPage {
    nav: Nav,
    /// The viewer's station's name, when they have one (and so the form).
    station: Option<String>,
    form: GigForm,
    streets: Vec<Choice>,
    bases: Vec<Choice>,
    errors: Vec<FieldError>,
    saved: bool,
    mine: Vec<GigLine>,
    open: Vec<GigLine>,
}

#[derive(Deserialize, Default)]
struct Saved {
    #[serde(default)]
    saved: String,
}

async fn render(
    state: &AppState,
    viewer: &Viewer,
    mut form: GigForm,
    errors: Vec<FieldError>,
    saved: bool,
) -> Result<Response, AppError> {
    let actor = viewer.actor();
    let station = gig_station(&state.plan, &actor).ok();
    if form.work_street.is_empty()
        && let Some(street) = &station
    {
        form.work_street = street.clone();
    }
    let streets = state
        .plan
        .units
        .iter()
        .filter(|u| u.kind == UnitKind::Street)
        .map(|u| (u.code.clone(), u.name.clone()));
    let bases = PayBasis::ALL
        .iter()
        .map(|b| (b.code().to_owned(), b.label().to_owned()));
    let mine = state.store.station_gigs(&state.plan, &actor).await?;
    let open = state.store.open_gigs(None).await?;
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = StationPage {
        nav: Nav::of(viewer, state),
        station: station.map(|s| station_name(&unit_name(state, &s))),
        streets: choices(streets, &form.work_street),
        bases: choices(bases, &form.pay_basis),
        form,
        errors,
        saved,
        mine: mine.into_iter().map(|g| gig_line(state, g)).collect(),
        open: open.into_iter().map(|g| gig_line(state, g)).collect(),
    };
    Ok((status, page).into_response())
}

async fn station_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(saved): Query<Saved>,
) -> Result<Response, AppError> {
    render(
        &state,
        &viewer,
        GigForm::default(),
        Vec::new(),
        saved.saved == "1",
    )
    .await
}

async fn create(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(form): Form<GigForm>,
) -> Result<Response, AppError> {
    viewer.check_csrf(&state, &form.csrf).await?;
    let created = state
        .store
        .create_gig(&state.plan, &viewer.actor(), &form.draft(), &viewer.ip)
        .await;
    match created {
        Ok(_) => Ok(Redirect::to("/gigs?saved=1").into_response()),
        Err(linkong_store::Error::Fields(errors)) => {
            render(&state, &viewer, form, errors, false).await
        }
        Err(e) => Err(e.into()),
    }
}

async fn close(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(form): Form<CsrfForm>,
) -> Result<Response, AppError> {
    viewer.check_csrf(&state, &form.csrf).await?;
    let id = id
        .parse::<i64>()
        .map_err(|_| AppError::not_found("该零工不存在"))?;
    state
        .store
        .close_gig(&state.plan, &viewer.actor(), id, &viewer.ip)
        .await?;
    Ok(Redirect::to("/gigs").into_response())
}

#[derive(Deserialize, Default)]
struct ApiQuery {
    #[serde(default)]
    street: String,
}

/// The open gigs, newest first.
#[derive(Serialize, ToSchema)]
struct ApiGigs {
    gigs: Vec<GigPost>,
}

/// Open gigs (零工) of the streets' gig stations (task 2.5.4): not closed and not past their
/// last day, of one work street or all; contact phones masked. No login needed.
#[utoipa::path(
    get,
    path = "/api/v1/gigs",
    operation_id = "listGigs",
    tag = "gigs",
    params(("street" = Option<String>, Query, description = "工作街道代码，如 jinghe（不填为全区）")),
    responses(
        (status = 200, description = "在招零工", body = ApiGigs),
        (status = 422, description = "参数有误", body = ErrorBody),
    )
)]
async fn api_list(
    State(state): State<AppState>,
    Query(query): Query<ApiQuery>,
) -> Result<Json<ApiGigs>, AppError> {
    let street = crate::view::optional_unit(&state, "工作街道", &query.street)?;
    let gigs = state.store.open_gigs(street.as_deref()).await?;
    Ok(Json(ApiGigs { gigs }))
}
