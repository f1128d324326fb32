//! 学子东西湖行 (task 1.3.3) in the staff console: the list at `/staff/visits` (scoped, by year
//! and organising unit), the form of a visit with its itinerary and students typed one a line,
//! a visit's page with its students, the upload of a student list (csv or xlsx, each wrong row
//! named, nothing written unless all are right) and the students' workbook; and
//! `GET /api/v1/student-visits`. Who reads and writes what is decided in core and enforced by
//! the store.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{DefaultBodyLimit, Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use linkong_core::access::Gate;
use linkong_core::field::FieldError;
use linkong_core::student_visits::{
    STUDENTS_FIELD, StopDraft, StopKind, VisitDraft, organisers, student_lines,
};
use linkong_store::student_visits::{StudentVisit, StudentVisitDetail, StudentVisitFilter};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::{ApiViewer, Nav, Viewer};
use crate::openapi::ErrorBody;
use crate::view::{Choice, choices, unit_name};
use crate::{AppError, AppState};

/// Stops offered on the form.
const FORM_STOPS: usize = 4;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/staff/visits", get(list_page).post(create))
        .route("/staff/visits/new", get(new_page))
        .route("/staff/visits/template.xlsx", get(template))
        .route("/staff/visits/{id}", get(detail_page))
        .route(
            "/staff/visits/{id}/students",
            post(upload).layer(DefaultBodyLimit::max(crate::roster::MAX_UPLOAD_BYTES)),
        )
        .route("/staff/visits/{id}/students.xlsx", get(export))
}

/// The visits' JSON API, with its OpenAPI annotation (see [`crate::openapi`]).
pub fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(api_list))
}

/// A visit as the list and its page show it.
pub struct Line {
    pub v: StudentVisit,
    pub organiser: String,
    pub itinerary: String,
}

fn line(state: &AppState, v: StudentVisit) -> Line {
    Line {
        organiser: unit_name(state, &v.organiser),
        itinerary: v
            .stops
            .iter()
            .map(|s| format!("{}：{}", s.kind.label(), s.place))
            .collect::<Vec<_>>()
            .join(" → "),
        v,
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
    fn filter(&self, state: &AppState) -> Result<StudentVisitFilter, AppError> {
        let year = crate::view::optional_year(state, &self.year)?;
        let organiser = crate::view::optional_unit(state, "组织单位", &self.unit)?;
        Ok(StudentVisitFilter { year, organiser })
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "student_visits.html")]
struct ListPage {
    nav: Nav,
    query: ListQuery,
    years: Vec<i32>,
    units: Vec<Choice>,
    lines: Vec<Line>,
    students: i64,
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
        .student_visits(plan, &actor, &filter, &viewer.ip)
        .await?;
    let units = organisers(plan)
        .into_iter()
        .map(|u| (u.to_owned(), unit_name(&state, u)));
    Ok(ListPage {
        nav: Nav::of(&viewer, &state),
        years: plan.years().collect(),
        units: choices(units, &query.unit),
        students: rows.iter().map(|v| v.students).sum(),
        lines: rows.into_iter().map(|v| line(&state, v)).collect(),
        may_record: actor.student_visit_organiser(plan).is_some(),
        query,
    })
}

/// The visits the caller reads.
#[derive(Serialize, ToSchema)]
struct ApiStudentVisits {
    visits: Vec<StudentVisit>,
}

/// 学子东西湖行 visits (task 1.3.3) with their itinerary and the number of students, scoped like
/// the pages: 团区委 and the task force all; an organising unit its own; 区文旅局 those it
/// assisted. Students' names are on each visit's page and workbook, not here.
#[utoipa::path(
    get,
    path = "/api/v1/student-visits",
    operation_id = "listStudentVisits",
    tag = "student_visits",
    params(
        ("year" = Option<String>, Query, description = "活动年度，四位数字（空或不填为全部）"),
        ("unit" = Option<String>, Query, description = "组织单位代码"),
    ),
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "学子东西湖行活动列表", body = ApiStudentVisits),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "无权查看学子东西湖行活动", body = ErrorBody),
        (status = 422, description = "参数有误", body = ErrorBody),
    )
)]
async fn api_list(
    State(state): State<AppState>,
    ApiViewer(viewer): ApiViewer,
    Query(query): Query<ListQuery>,
) -> Result<Json<ApiStudentVisits>, AppError> {
    let filter = query.filter(&state)?;
    let visits = state
        .store
        .student_visits(&state.plan, &viewer.actor(), &filter, &viewer.ip)
        .await?;
    Ok(Json(ApiStudentVisits { visits }))
}

// ---- the form ----

/// The form as typed: the stops' kinds and places repeat, in order.
#[derive(Default, Clone)]
struct VisitForm {
    csrf: String,
    title: String,
    visited_on: String,
    assisted: bool,
    stops: Vec<(String, String)>,
    students: String,
    note: String,
}

impl VisitForm {
    fn of(pairs: Vec<(String, String)>) -> VisitForm {
        let mut form = VisitForm::default();
        let (mut kinds, mut places) = (Vec::new(), Vec::new());
        for (name, value) in pairs {
            match name.as_str() {
                "csrf" => form.csrf = value,
                "title" => form.title = value,
                "visited_on" => form.visited_on = value,
                "assisted" => form.assisted = !value.trim().is_empty(),
                "stop_kind" => kinds.push(value),
                "stop_place" => places.push(value),
                "students" => form.students = value,
                "note" => form.note = value,
                _ => {}
            }
        }
        places.resize(kinds.len().max(places.len()), String::new());
        kinds.resize(places.len(), String::new());
        form.stops = kinds.into_iter().zip(places).collect();
        form
    }

    fn draft(&self) -> VisitDraft {
        VisitDraft {
            title: self.title.clone(),
            visited_on: self.visited_on.clone(),
            assisted: self.assisted,
            stops: self
                .stops
                .iter()
                .map(|(kind, place)| StopDraft {
                    kind: kind.clone(),
                    place: place.clone(),
                })
                .collect(),
            students: student_lines(&self.students),
            note: self.note.clone(),
        }
    }
}

/// A stop row of the form: its kinds (the typed one selected) and place.
struct StopRow {
    number: usize,
    kinds: Vec<Choice>,
    place: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "student_visit_form.html")]
struct FormPage {
    nav: Nav,
    unit: String,
    form: VisitForm,
    stops: Vec<StopRow>,
    errors: Vec<FieldError>,
    today: String,
}

async fn form_page(
    state: &AppState,
    viewer: &Viewer,
    mut form: VisitForm,
    errors: Vec<FieldError>,
) -> Result<Response, AppError> {
    let (actor, plan) = (viewer.actor(), &state.plan);
    state
        .store
        .enter(&actor, Gate::StudentVisitForm { plan }, &viewer.ip)
        .await?;
    form.stops
        .resize(form.stops.len().max(FORM_STOPS), Default::default());
    let stops = form
        .stops
        .iter()
        .enumerate()
        .map(|(i, (kind, place))| StopRow {
            number: i + 1,
            kinds: choices(
                StopKind::ALL
                    .iter()
                    .map(|k| (k.code().to_owned(), k.label().to_owned())),
                kind,
            ),
            place: place.clone(),
        })
        .collect();
    let page = FormPage {
        nav: Nav::of(viewer, state),
        unit: actor
            .student_visit_organiser(plan)
            .map(|u| unit_name(state, u))
            .unwrap_or_default(),
        stops,
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
    let form = VisitForm {
        visited_on: state.today().to_string(),
        ..VisitForm::default()
    };
    form_page(&state, &viewer, form, Vec::new()).await
}

async fn create(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let form = VisitForm::of(pairs);
    viewer.check_csrf(&state, &form.csrf).await?;
    match state
        .store
        .record_student_visit(&state.plan, &viewer.actor(), &form.draft(), &viewer.ip)
        .await
    {
        Ok(id) => Ok(Redirect::to(&format!("/staff/visits/{id}?saved=1")).into_response()),
        Err(linkong_store::Error::Fields(errors)) => form_page(&state, &viewer, form, errors).await,
        Err(e) => Err(e.into()),
    }
}

// ---- a visit's page, its students' upload and workbook ----

#[derive(Template, WebTemplate)]
#[template(path = "student_visit.html")]
struct DetailPage {
    nav: Nav,
    line: Line,
    detail: StudentVisitDetail,
    may_add: bool,
    saved: bool,
    errors: Vec<FieldError>,
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
    errors: Vec<FieldError>,
    saved: bool,
) -> Result<Response, AppError> {
    let (actor, plan) = (viewer.actor(), &state.plan);
    let detail = state
        .store
        .student_visit(plan, &actor, id, &viewer.ip)
        .await?;
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = DetailPage {
        nav: Nav::of(viewer, state),
        may_add: actor.may_keep_student_visit(plan, &detail.visit.organiser),
        line: line(state, detail.visit.clone()),
        detail,
        saved,
        errors,
    };
    Ok((status, page).into_response())
}

async fn detail_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Query(query): Query<DetailQuery>,
) -> Result<Response, AppError> {
    detail_of(&state, &viewer, id, Vec::new(), query.saved.is_some()).await
}

/// Adds the students of an uploaded list (csv or xlsx) to the visit, all or none: a file that
/// cannot be read, or any wrong row, shows the visit again with each problem named (422).
async fn upload(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    mut multipart: Multipart,
) -> Result<Response, AppError> {
    let token = linkong_store::random_token()[..24].to_owned();
    let (csrf, upload) = crate::roster::receive(&state, &mut multipart, &token).await?;
    viewer.check_csrf(&state, &csrf).await?;
    let Some((_, path)) = upload.filter(|(name, _)| !name.is_empty()) else {
        let error = file_error("请选择要导入的 .xlsx 或 .csv 文件".into());
        return detail_of(&state, &viewer, id, error, false).await;
    };
    let read = tokio::task::spawn_blocking({
        let path = path.clone();
        move || linkong_import::students::read_students(&path)
    })
    .await
    .map_err(AppError::internal)?;
    let _ = tokio::fs::remove_file(&path).await;
    let rows = match read {
        Ok(rows) => rows,
        Err(message) => return detail_of(&state, &viewer, id, file_error(message), false).await,
    };
    let added = state
        .store
        .add_visit_students(&state.plan, &viewer.actor(), id, &rows, &viewer.ip)
        .await;
    crate::error::saved_or_again(added, &format!("/staff/visits/{id}?saved=1"), |errors| {
        detail_of(&state, &viewer, id, errors, false)
    })
    .await
}

fn file_error(message: String) -> Vec<FieldError> {
    vec![FieldError {
        field: STUDENTS_FIELD,
        message,
    }]
}

async fn template() -> Result<Response, AppError> {
    crate::download::download(
        "student-visit-template.xlsx",
        linkong_import::students::template(),
    )
}

/// The visit's students as a workbook (the download audited by the store).
async fn export(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let detail = state
        .store
        .export_visit_students(&state.plan, &viewer.actor(), id, &viewer.ip)
        .await?;
    let organiser = unit_name(&state, &detail.visit.organiser);
    crate::download::download(
        &format!("student-visit-{id}.xlsx"),
        students_workbook(&detail, &organiser),
    )
}

fn students_workbook(
    detail: &StudentVisitDetail,
    organiser: &str,
) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let bold = rust_xlsxwriter::Format::new().set_bold();
    let ws = workbook.add_worksheet();
    ws.set_name("参与学生")?;
    let v = &detail.visit;
    ws.write_string_with_format(
        0,
        0,
        format!("{}（{}，{}）", v.title, organiser, v.visited_on),
        &bold,
    )?;
    let headers = [
        ("序号", 6),
        ("姓名", 12),
        ("学校", 24),
        ("专业", 22),
        ("年级", 8),
    ];
    for (c, (h, width)) in headers.iter().enumerate() {
        ws.write_string_with_format(1, c as u16, *h, &bold)?;
        ws.set_column_width(c as u16, *width)?;
    }
    for (r, s) in detail.students.iter().enumerate() {
        let row = r as u32 + 2;
        ws.write_number(row, 0, (r + 1) as f64)?;
        for (c, text) in [&s.name, &s.school, &s.major, &s.grade].iter().enumerate() {
            ws.write_string(row, c as u16 + 1, *text)?;
        }
    }
    workbook.save_to_buffer()
}
