//! Traineeships and skills training of unplaced graduates (就业见习 / 就业技能培训, task 1.1.4)
//! in the staff console: the bases at `/staff/traineeships` (places and places used in a year;
//! 区人社局 recognises and withdraws them), the traineeships at
//! `/staff/traineeships/placements` (their outcome recorded on the row) and the courses at
//! `/staff/traineeships/trainings`, by start year and recording unit, scoped like the roster;
//! `GET /api/v1/traineeships/bases`. Placing a graduate and enrolling them in a course happen
//! on the graduate's page. Who may do what is decided in core and enforced by the store.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use linkong_core::field::FieldError;
use linkong_core::traineeships::{BaseDraft, BaseStatus, Outcome};
use linkong_store::traineeships::{BaseEntry, CourseEntry, TraineeFilter, TraineeshipEntry};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::{ApiViewer, Nav, Viewer};
use crate::openapi::ErrorBody;
use crate::view::{Choice, choices, streets, unit_name};
use crate::{AppError, AppState};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/staff/traineeships", get(bases_page).post(create_base))
        .route("/staff/traineeships/bases/{id}/status", post(base_status))
        .route("/staff/traineeships/placements", get(placements_page))
        .route(
            "/staff/traineeships/placements.xlsx",
            get(placements_export),
        )
        .route(
            "/staff/traineeships/placements/{id}/outcome",
            post(set_outcome),
        )
        .route("/staff/traineeships/trainings", get(trainings_page))
}

/// The traineeships' JSON API, with its OpenAPI annotations (see [`crate::openapi`]).
pub fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(api_bases))
}

#[derive(Deserialize, Default, Clone)]
pub struct ListQuery {
    #[serde(default)]
    year: String,
    #[serde(default)]
    unit: String,
    #[serde(default)]
    saved: String,
}

impl ListQuery {
    /// The year and recording unit asked for; a wrong one is a 422 naming the field.
    fn filter(&self, state: &AppState) -> Result<TraineeFilter, AppError> {
        Ok(TraineeFilter {
            year: crate::view::optional_year(state, &self.year)?,
            unit: crate::view::optional_unit(state, "登记单位", &self.unit)?,
        })
    }

    /// The year the bases' places are counted in: the one asked for, or this year's.
    fn places_year(&self, state: &AppState) -> Result<i32, AppError> {
        let filter = self.filter(state)?;
        let this_year = linkong_core::progress::default_year(&state.plan, state.today());
        Ok(filter.year.unwrap_or(this_year))
    }

    /// The query string of these filters, for links between the pages.
    fn link(&self) -> String {
        let mut url = url::form_urlencoded::Serializer::new(String::new());
        for (key, value) in [("year", &self.year), ("unit", &self.unit)] {
            if !value.trim().is_empty() {
                url.append_pair(key, value.trim());
            }
        }
        url.finish()
    }
}

#[derive(Deserialize, Default, Clone)]
struct BaseForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    employer: String,
    #[serde(default)]
    uscc: String,
    #[serde(default)]
    street: String,
    #[serde(default)]
    places: String,
    #[serde(default)]
    posts: String,
    #[serde(default)]
    contact_name: String,
    #[serde(default)]
    contact_phone: String,
    #[serde(default)]
    recognised_on: String,
}

impl BaseForm {
    fn draft(&self) -> BaseDraft {
        BaseDraft {
            name: self.name.clone(),
            employer: self.employer.clone(),
            uscc: self.uscc.clone(),
            street: self.street.clone(),
            places: self.places.clone(),
            posts: self.posts.clone(),
            contact_name: self.contact_name.clone(),
            contact_phone: self.contact_phone.clone(),
            recognised_on: self.recognised_on.clone(),
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "staff_traineeships.html")]
struct BasesPage {
    nav: Nav,
    query: ListQuery,
    year: i32,
    years: Vec<i32>,
    bases: Vec<(BaseEntry, String)>,
    places: i64,
    used: i64,
    may_keep: bool,
    streets: Vec<Choice>,
    form: BaseForm,
    today: String,
    errors: Vec<FieldError>,
    links: String,
}

fn status_of(errors: &[FieldError]) -> StatusCode {
    if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    }
}

async fn bases(
    state: &AppState,
    viewer: &Viewer,
    query: ListQuery,
    form: BaseForm,
    errors: Vec<FieldError>,
) -> Result<Response, AppError> {
    let year = query.places_year(state)?;
    let rows = state.store.traineeship_bases(year).await?;
    let bases: Vec<(BaseEntry, String)> = rows
        .into_iter()
        .map(|b| {
            let street = unit_name(state, &b.street_code);
            (b, street)
        })
        .collect();
    let active = bases.iter().filter(|(b, _)| b.is_active());
    let page = BasesPage {
        nav: Nav::of(viewer, state),
        year,
        years: state.plan.years().collect(),
        places: active.clone().map(|(b, _)| b.places).sum(),
        used: active.map(|(b, _)| b.used).sum(),
        bases,
        may_keep: viewer.actor().may_keep_traineeship_bases(&state.plan),
        streets: choices(streets(state), &form.street),
        form,
        today: state.today().to_string(),
        links: query.link(),
        query,
        errors,
    };
    Ok((status_of(&page.errors), page).into_response())
}

async fn bases_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<ListQuery>,
) -> Result<Response, AppError> {
    let form = BaseForm {
        recognised_on: state.today().to_string(),
        ..BaseForm::default()
    };
    bases(&state, &viewer, query, form, Vec::new()).await
}

/// 区人社局 recognises a base; wrong fields come back as a 422 naming them, nothing written.
async fn create_base(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(form): Form<BaseForm>,
) -> Result<Response, AppError> {
    viewer.check_csrf(&state, &form.csrf).await?;
    let recorded = state
        .store
        .record_traineeship_base(&state.plan, &viewer.actor(), &form.draft(), &viewer.ip)
        .await;
    let again =
        |errors| async move { bases(&state, &viewer, ListQuery::default(), form, errors).await };
    crate::view::saved_or_again(recorded, |_| "/staff/traineeships?saved=1".into(), again).await
}

#[derive(Deserialize, Default)]
struct StatusForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    status: String,
}

fn id_of(text: &str, what: &str) -> Result<i64, AppError> {
    text.parse::<i64>()
        .map_err(|_| AppError::not_found(format!("该{what}不存在")))
}

/// 区人社局 withdraws a base or takes it back.
async fn base_status(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(form): Form<StatusForm>,
) -> Result<Response, AppError> {
    viewer.check_csrf(&state, &form.csrf).await?;
    let id = id_of(&id, "见习基地")?;
    let changed = state
        .store
        .set_traineeship_base_status(&state.plan, &viewer.actor(), id, &form.status, &viewer.ip)
        .await;
    match changed {
        Ok(()) => Ok(Redirect::to("/staff/traineeships?saved=1").into_response()),
        Err(linkong_store::Error::Fields(errors)) => {
            bases(
                &state,
                &viewer,
                ListQuery::default(),
                BaseForm::default(),
                errors,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

/// A traineeship as the list shows it, with whether the viewer may record its outcome.
pub struct PlacementLine {
    pub entry: TraineeshipEntry,
    pub street: String,
    pub unit: String,
    pub may_serve: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "staff_traineeship_placements.html")]
struct PlacementsPage {
    nav: Nav,
    query: ListQuery,
    years: Vec<i32>,
    units: Vec<Choice>,
    lines: Vec<PlacementLine>,
    ongoing: usize,
    hired: usize,
    outcomes: Vec<(String, String)>,
    today: String,
    errors: Vec<FieldError>,
    links: String,
}

/// The units that record traineeships (1.1.4's lead and streets), for the unit filter.
fn recording_units(state: &AppState, selected: &str) -> Vec<Choice> {
    let units = state
        .plan
        .tasks
        .iter()
        .filter(|t| t.code == linkong_core::traineeships::TASK)
        .flat_map(|t| t.lead_units.iter().chain(&t.cooperating_units))
        .map(|code| (code.clone(), unit_name(state, code)));
    choices(units, selected)
}

async fn placements(
    state: &AppState,
    viewer: &Viewer,
    query: ListQuery,
    errors: Vec<FieldError>,
) -> Result<Response, AppError> {
    let filter = query.filter(state)?;
    let actor = viewer.actor();
    let rows = state
        .store
        .traineeships(&state.plan, &actor, &filter, &viewer.ip)
        .await?;
    let lines: Vec<PlacementLine> = rows
        .into_iter()
        .map(|entry| PlacementLine {
            street: unit_name(state, &entry.street_code),
            unit: unit_name(state, &entry.unit_code),
            may_serve: actor.may_serve_graduate(&state.plan, &entry.street_code),
            entry,
        })
        .collect();
    let count = |o: Outcome| lines.iter().filter(|l| l.entry.outcome == o.code()).count();
    let page = PlacementsPage {
        nav: Nav::of(viewer, state),
        years: state.plan.years().collect(),
        units: recording_units(state, &query.unit),
        ongoing: count(Outcome::Ongoing),
        hired: count(Outcome::Hired),
        lines,
        outcomes: Outcome::ALL
            .iter()
            .map(|o| (o.code().to_owned(), o.label().to_owned()))
            .collect(),
        today: state.today().to_string(),
        links: query.link(),
        query,
        errors,
    };
    Ok((status_of(&page.errors), page).into_response())
}

async fn placements_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<ListQuery>,
) -> Result<Response, AppError> {
    placements(&state, &viewer, query, Vec::new()).await
}

/// The traineeships of the filter as a workbook (names, no ID or phone numbers).
async fn placements_export(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<ListQuery>,
) -> Result<Response, AppError> {
    let filter = query.filter(&state)?;
    let rows = state
        .store
        .export_traineeships(&state.plan, &viewer.actor(), &filter, &viewer.ip)
        .await?;
    crate::download::download("traineeships.xlsx", placements_workbook(&state, &rows))
}

fn placements_workbook(
    state: &AppState,
    rows: &[TraineeshipEntry],
) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    let ws = workbook.add_worksheet();
    ws.set_name("就业见习登记")?;
    let headers = [
        "毕业生",
        "户籍街道",
        "见习基地",
        "开始日期",
        "计划结束日期",
        "实际结束日期",
        "结果",
        "登记单位",
    ];
    for (c, h) in headers.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &bold)?;
    }
    for (r, t) in rows.iter().enumerate() {
        let cells = [
            t.graduate_name.clone(),
            unit_name(state, &t.street_code),
            t.base_name.clone(),
            t.starts_on.to_string(),
            t.planned_end_on.to_string(),
            t.ended_on.map(|d| d.to_string()).unwrap_or_default(),
            t.outcome_label().to_owned(),
            unit_name(state, &t.unit_code),
        ];
        for (c, text) in cells.iter().enumerate() {
            ws.write_string(r as u32 + 1, c as u16, text)?;
        }
    }
    workbook.save_to_buffer()
}

#[derive(Deserialize, Default)]
struct OutcomeForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    outcome: String,
    #[serde(default)]
    ended_on: String,
    /// `graduate` to go back to the graduate's page.
    #[serde(default)]
    back: String,
}

/// Records how a traineeship ended; a hire by the base places the graduate.
async fn set_outcome(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(form): Form<OutcomeForm>,
) -> Result<Response, AppError> {
    viewer.check_csrf(&state, &form.csrf).await?;
    let id = id_of(&id, "见习登记")?;
    let set = state
        .store
        .set_traineeship_outcome(
            &state.plan,
            &viewer.actor(),
            id,
            &form.outcome,
            &form.ended_on,
            &viewer.ip,
        )
        .await;
    match set {
        Ok(graduate) if form.back == "graduate" => {
            Ok(Redirect::to(&format!("/people/graduates/{graduate}?saved=1")).into_response())
        }
        Ok(_) => Ok(Redirect::to("/staff/traineeships/placements?saved=1").into_response()),
        Err(linkong_store::Error::Fields(errors)) => {
            placements(&state, &viewer, ListQuery::default(), errors).await
        }
        Err(e) => Err(e.into()),
    }
}

/// A course as the list shows it.
pub struct CourseLine {
    pub entry: CourseEntry,
    pub street: String,
    pub unit: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "staff_traineeship_trainings.html")]
struct TrainingsPage {
    nav: Nav,
    query: ListQuery,
    years: Vec<i32>,
    units: Vec<Choice>,
    lines: Vec<CourseLine>,
    certified: usize,
    links: String,
}

async fn trainings_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<ListQuery>,
) -> Result<TrainingsPage, AppError> {
    let filter = query.filter(&state)?;
    let rows = state
        .store
        .graduate_courses(&state.plan, &viewer.actor(), &filter, &viewer.ip)
        .await?;
    let lines: Vec<CourseLine> = rows
        .into_iter()
        .map(|entry| CourseLine {
            street: unit_name(&state, &entry.street_code),
            unit: unit_name(&state, &entry.unit_code),
            entry,
        })
        .collect();
    Ok(TrainingsPage {
        nav: Nav::of(&viewer, &state),
        years: state.plan.years().collect(),
        units: recording_units(&state, &query.unit),
        certified: lines
            .iter()
            .filter(|l| !l.entry.certificate.is_empty())
            .count(),
        lines,
        links: query.link(),
        query,
    })
}

/// The bases, with the year their places are counted in.
#[derive(Serialize, ToSchema)]
struct ApiBases {
    year: i32,
    /// Places a year of the active bases.
    places: i64,
    /// Traineeships started in the year at the active bases.
    used: i64,
    bases: Vec<BaseEntry>,
}

/// Traineeship bases for unplaced graduates (就业见习基地, task 1.1.4): employer, street,
/// places a year, traineeships started in the year (`used`), posts and status; the totals of
/// the active bases. No personal data (the contact is left out). For every staff member.
#[utoipa::path(
    get,
    path = "/api/v1/traineeships/bases",
    operation_id = "listTraineeshipBases",
    tag = "traineeships",
    params(
        ("year" = Option<String>, Query, description = "统计见习岗位使用情况的年度，四位数字（空或不填为本年度）"),
    ),
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "见习基地列表", body = ApiBases),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 422, description = "参数有误", body = ErrorBody),
    )
)]
async fn api_bases(
    State(state): State<AppState>,
    ApiViewer(_viewer): ApiViewer,
    Query(query): Query<ListQuery>,
) -> Result<Json<ApiBases>, AppError> {
    let year = query.places_year(&state)?;
    let bases = state.store.traineeship_bases(year).await?;
    let active = bases.iter().filter(|b| b.is_active());
    Ok(Json(ApiBases {
        year,
        places: active.clone().map(|b| b.places).sum(),
        used: active.map(|b| b.used).sum(),
        bases,
    }))
}

/// The label of a base's status, for the toggle button.
pub fn other_status(base: &BaseEntry) -> (&'static str, &'static str) {
    if base.is_active() {
        (BaseStatus::Withdrawn.code(), "撤销")
    } else {
        (BaseStatus::Active.code(), "恢复")
    }
}
