//! 揽才团 (task 1.1.3) in the staff console: the list at `/staff/talent-trips` (scoped, by year
//! and organising unit), the form of a trip with its participating units and fairs, a trip's
//! page with the delegation's employers (posts offered, CVs received) and the hires traced to
//! it (names masked), each added by a form naming every wrong field; and
//! `GET /api/v1/talent-trips`. Who reads and writes what is decided in core and enforced by the
//! store.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use linkong_core::access::Gate;
use linkong_core::field::FieldError;
use linkong_core::talent_trips::{DelegateDraft, FairDraft, HireDraft, TripDraft, trip_units};
use linkong_store::talent_trips::{TalentTrip, TalentTripDetail, TripFilter};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::{ApiViewer, Nav, Viewer};
use crate::openapi::ErrorBody;
use crate::view::{Choice, choices, unit_name};
use crate::{AppError, AppState};

/// Fairs offered on the form.
const FORM_FAIRS: usize = 3;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/staff/talent-trips", get(list_page).post(create))
        .route("/staff/talent-trips/new", get(new_page))
        .route("/staff/talent-trips/{id}", get(detail_page))
        .route("/staff/talent-trips/{id}/employers", post(add_employer))
        .route("/staff/talent-trips/{id}/hires", post(add_hire))
}

/// The trips' JSON API, with its OpenAPI annotation (see [`crate::openapi`]).
pub fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(api_list))
}

/// A trip as the list and its page show it.
pub struct Line {
    pub t: TalentTrip,
    pub organiser: String,
    pub partners: String,
}

fn line(state: &AppState, t: TalentTrip) -> Line {
    Line {
        organiser: unit_name(state, &t.organiser),
        partners: t
            .partners
            .iter()
            .map(|p| unit_name(state, p))
            .collect::<Vec<_>>()
            .join("、"),
        t,
    }
}

#[derive(Deserialize, Default, Clone)]
pub struct ListQuery {
    #[serde(default)]
    year: String,
    #[serde(default)]
    unit: String,
}

impl ListQuery {
    /// The filter asked for; a wrong year or unit is a 422 naming the field.
    fn filter(&self, state: &AppState) -> Result<TripFilter, AppError> {
        let year = crate::view::optional_year(state, &self.year)?;
        let organiser = crate::view::optional_unit(state, "组织单位", &self.unit)?;
        Ok(TripFilter { year, organiser })
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "talent_trips.html")]
struct ListPage {
    nav: Nav,
    query: ListQuery,
    years: Vec<i32>,
    lines: Vec<Line>,
    hires: i64,
    may_record: bool,
}

async fn list_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<ListQuery>,
) -> Result<ListPage, AppError> {
    let filter = query.filter(&state)?;
    let (actor, plan) = (viewer.actor(), &state.plan);
    let rows = state
        .store
        .talent_trips(plan, &actor, &filter, &viewer.ip)
        .await?;
    Ok(ListPage {
        nav: Nav::of(&viewer, &state),
        years: plan.years().collect(),
        hires: rows.iter().map(|t| t.hires).sum(),
        lines: rows.into_iter().map(|t| line(&state, t)).collect(),
        may_record: actor.trip_unit(plan).is_some(),
        query,
    })
}

/// The trips the caller reads.
#[derive(Serialize, ToSchema)]
struct ApiTalentTrips {
    trips: Vec<TalentTrip>,
}

/// 揽才团 trips (task 1.1.3) with their fairs and the delegation's totals (employers, posts
/// offered, CVs received, hires traced), scoped like the pages: 区人社局 and the task force all;
/// another unit of 1.1.3 the trips it organised or joined. Hires' names are on each trip's page.
#[utoipa::path(
    get,
    path = "/api/v1/talent-trips",
    operation_id = "listTalentTrips",
    tag = "talent_trips",
    params(
        ("year" = Option<String>, Query, description = "出发年度，四位数字（空或不填为全部）"),
        ("unit" = Option<String>, Query, description = "组织单位代码"),
    ),
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "揽才团列表", body = ApiTalentTrips),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "无权查看揽才团", body = ErrorBody),
        (status = 422, description = "参数有误", body = ErrorBody),
    )
)]
async fn api_list(
    State(state): State<AppState>,
    ApiViewer(viewer): ApiViewer,
    Query(query): Query<ListQuery>,
) -> Result<Json<ApiTalentTrips>, AppError> {
    let filter = query.filter(&state)?;
    let trips = state
        .store
        .talent_trips(&state.plan, &viewer.actor(), &filter, &viewer.ip)
        .await?;
    Ok(Json(ApiTalentTrips { trips }))
}

// ---- the trip form ----

/// The form as typed: partners checked, fairs' schools and dates repeating in order.
#[derive(Default, Clone)]
struct TripForm {
    csrf: String,
    destination: String,
    departed_on: String,
    returned_on: String,
    partners: Vec<String>,
    fairs: Vec<(String, String)>,
    note: String,
}

impl TripForm {
    fn of(pairs: Vec<(String, String)>) -> TripForm {
        let mut form = TripForm::default();
        let (mut schools, mut days) = (Vec::new(), Vec::new());
        for (name, value) in pairs {
            match name.as_str() {
                "csrf" => form.csrf = value,
                "destination" => form.destination = value,
                "departed_on" => form.departed_on = value,
                "returned_on" => form.returned_on = value,
                "partner" => form.partners.push(value),
                "fair_school" => schools.push(value),
                "fair_date" => days.push(value),
                "note" => form.note = value,
                _ => {}
            }
        }
        schools.resize(schools.len().max(days.len()), String::new());
        days.resize(schools.len(), String::new());
        form.fairs = schools.into_iter().zip(days).collect();
        form
    }

    fn draft(&self) -> TripDraft {
        TripDraft {
            destination: self.destination.clone(),
            departed_on: self.departed_on.clone(),
            returned_on: self.returned_on.clone(),
            partners: self.partners.clone(),
            fairs: self
                .fairs
                .iter()
                .map(|(school, held_on)| FairDraft {
                    school: school.clone(),
                    held_on: held_on.clone(),
                })
                .collect(),
            note: self.note.clone(),
        }
    }
}

/// A participating unit's checkbox.
struct PartnerBox {
    code: String,
    name: String,
    checked: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "talent_trip_form.html")]
struct FormPage {
    nav: Nav,
    unit: String,
    form: TripForm,
    partners: Vec<PartnerBox>,
    errors: Vec<FieldError>,
    today: String,
}

async fn form_page(
    state: &AppState,
    viewer: &Viewer,
    mut form: TripForm,
    errors: Vec<FieldError>,
) -> Result<Response, AppError> {
    let (actor, plan) = (viewer.actor(), &state.plan);
    state
        .store
        .enter(&actor, Gate::TalentTripForm { plan }, &viewer.ip)
        .await?;
    let own = actor.trip_unit(plan).unwrap_or_default();
    let partners = trip_units(plan)
        .into_iter()
        .filter(|u| *u != own)
        .map(|u| PartnerBox {
            code: u.to_owned(),
            name: unit_name(state, u),
            checked: form.partners.iter().any(|p| p == u),
        })
        .collect();
    form.fairs
        .resize(form.fairs.len().max(FORM_FAIRS), Default::default());
    let page = FormPage {
        nav: Nav::of(viewer, state),
        unit: unit_name(state, own),
        partners,
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

async fn new_page(State(state): State<AppState>, viewer: Viewer) -> Result<Response, AppError> {
    form_page(&state, &viewer, TripForm::default(), Vec::new()).await
}

async fn create(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let form = TripForm::of(pairs);
    viewer.check_csrf(&state, &form.csrf).await?;
    match state
        .store
        .record_talent_trip(&state.plan, &viewer.actor(), &form.draft(), &viewer.ip)
        .await
    {
        Ok(id) => Ok(Redirect::to(&format!("/staff/talent-trips/{id}?saved=1")).into_response()),
        Err(linkong_store::Error::Fields(errors)) => form_page(&state, &viewer, form, errors).await,
        Err(e) => Err(e.into()),
    }
}

// ---- a trip's page: its delegation and hires ----

#[derive(Deserialize, Default, Clone)]
struct EmployerForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    employer: String,
    #[serde(default)]
    posts: String,
    #[serde(default)]
    cvs: String,
}

#[derive(Deserialize, Default, Clone)]
struct HireForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    employer: String,
    #[serde(default)]
    hired_on: String,
    #[serde(default)]
    application: String,
}

/// Which of the page's forms the errors belong to.
#[derive(Default)]
struct Typed {
    employer: EmployerForm,
    employer_errors: Vec<FieldError>,
    hire: HireForm,
    hire_errors: Vec<FieldError>,
}

#[derive(Template, WebTemplate)]
#[template(path = "talent_trip.html")]
struct DetailPage {
    nav: Nav,
    line: Line,
    detail: TalentTripDetail,
    may_keep: bool,
    candidates: Vec<Choice>,
    delegates: Vec<Choice>,
    typed: Typed,
    saved: bool,
    today: String,
}

#[derive(Deserialize, Default)]
struct DetailQuery {
    #[serde(default)]
    saved: Option<String>,
}

async fn detail_of(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    typed: Typed,
    saved: bool,
) -> Result<Response, AppError> {
    let (actor, plan, store) = (viewer.actor(), &state.plan, &state.store);
    let detail = store.talent_trip(plan, &actor, id, &viewer.ip).await?;
    let may_keep = actor.may_keep_trip(plan, &detail.trip.organiser);
    let candidates = if may_keep {
        store
            .delegation_candidates(plan, &actor, id, &viewer.ip)
            .await?
    } else {
        Vec::new()
    };
    let delegates = detail
        .delegates
        .iter()
        .map(|d| (d.employer_id.to_string(), d.name.clone()));
    let failed = !typed.employer_errors.is_empty() || !typed.hire_errors.is_empty();
    let page = DetailPage {
        nav: Nav::of(viewer, state),
        line: line(state, detail.trip.clone()),
        candidates: choices(
            candidates.into_iter().map(|(i, n)| (i.to_string(), n)),
            &typed.employer.employer,
        ),
        delegates: choices(delegates, &typed.hire.employer),
        detail,
        may_keep,
        typed,
        saved,
        today: state.today().to_string(),
    };
    let status = if failed {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok((status, page).into_response())
}

async fn detail_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Query(query): Query<DetailQuery>,
) -> Result<Response, AppError> {
    detail_of(&state, &viewer, id, Typed::default(), query.saved.is_some()).await
}

async fn add_employer(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(form): Form<EmployerForm>,
) -> Result<Response, AppError> {
    viewer.check_csrf(&state, &form.csrf).await?;
    let draft = DelegateDraft {
        employer: form.employer.clone(),
        posts: form.posts.clone(),
        cvs: form.cvs.clone(),
    };
    let saved = state
        .store
        .add_trip_employer(&state.plan, &viewer.actor(), id, &draft, &viewer.ip)
        .await;
    let to = format!("/staff/talent-trips/{id}?saved=1");
    crate::error::saved_or_again(saved, &to, |employer_errors| {
        let typed = Typed {
            employer: form,
            employer_errors,
            ..Typed::default()
        };
        detail_of(&state, &viewer, id, typed, false)
    })
    .await
}

async fn add_hire(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(form): Form<HireForm>,
) -> Result<Response, AppError> {
    viewer.check_csrf(&state, &form.csrf).await?;
    let draft = HireDraft {
        name: form.name.clone(),
        employer: form.employer.clone(),
        hired_on: form.hired_on.clone(),
        application: form.application.clone(),
    };
    let saved = state
        .store
        .add_trip_hire(&state.plan, &viewer.actor(), id, &draft, &viewer.ip)
        .await;
    let to = format!("/staff/talent-trips/{id}?saved=1");
    crate::error::saved_or_again(saved, &to, |hire_errors| {
        let typed = Typed {
            hire: form,
            hire_errors,
            ..Typed::default()
        };
        detail_of(&state, &viewer, id, typed, false)
    })
    .await
}
