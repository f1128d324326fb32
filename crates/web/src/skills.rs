//! Returnee skills training (返区人员职业技能培训, task 2.4.4) in the staff console: the classes
//! at `/staff/skills` (by year and organising unit, counts only) with the form in which a unit
//! of 2.4.4 records a class and its trainees (resident IDs from the out-migrant registry, each
//! with a certificate obtained or not); `GET /api/v1/skills/classes`. Who records is decided in
//! core and enforced by the store.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Form, Json, Router};
use linkong_core::field::FieldError;
use linkong_core::skills::{ClassDraft, ClassKind};
use linkong_store::skills::SkillsClass;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::{ApiViewer, Nav, Viewer};
use crate::openapi::ErrorBody;
use crate::view::{Choice, choices, unit_name};
use crate::{AppError, AppState};

pub fn router() -> Router<AppState> {
    Router::new().route("/staff/skills", get(list_page).post(create))
}

/// The skills training's JSON API, with its OpenAPI annotations (see [`crate::openapi`]).
pub fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(api_classes))
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
    /// The year and unit asked for; a wrong one is a 422 naming the field.
    fn filter(&self, state: &AppState) -> Result<(Option<i32>, Option<String>), AppError> {
        let year = crate::view::optional_year(state, &self.year)?;
        let unit = crate::view::optional_unit(state, "组织单位", &self.unit)?;
        Ok((year, unit))
    }
}

#[derive(Deserialize, Default, Clone)]
struct ClassForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    starts_on: String,
    #[serde(default)]
    ends_on: String,
    #[serde(default)]
    trainees: String,
}

impl ClassForm {
    fn draft(&self) -> ClassDraft {
        ClassDraft {
            kind: self.kind.clone(),
            title: self.title.clone(),
            starts_on: self.starts_on.clone(),
            ends_on: self.ends_on.clone(),
            trainees: self.trainees.clone(),
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "staff_skills.html")]
struct ListPage {
    nav: Nav,
    query: ListQuery,
    years: Vec<i32>,
    classes: Vec<(SkillsClass, String)>,
    trained: i64,
    certified: i64,
    /// The unit the viewer records for, if any.
    unit: Option<String>,
    kinds: Vec<Choice>,
    form: ClassForm,
    today: String,
    errors: Vec<FieldError>,
}

async fn page(
    state: &AppState,
    viewer: &Viewer,
    query: ListQuery,
    form: ClassForm,
    errors: Vec<FieldError>,
) -> Result<Response, AppError> {
    let (year, unit) = query.filter(state)?;
    let plan = &state.plan;
    let rows = state.store.skills_classes(year, unit.as_deref()).await?;
    let classes: Vec<(SkillsClass, String)> = rows
        .into_iter()
        .map(|c| {
            let organiser = unit_name(state, &c.organiser);
            (c, organiser)
        })
        .collect();
    let page = ListPage {
        nav: Nav::of(viewer, state),
        years: plan.years().collect(),
        trained: classes.iter().map(|(c, _)| c.trainees).sum(),
        certified: classes.iter().map(|(c, _)| c.certified).sum(),
        classes,
        unit: viewer
            .actor()
            .skills_unit(plan)
            .map(|u| unit_name(state, u)),
        kinds: choices(
            ClassKind::ALL
                .iter()
                .map(|k| (k.code().to_owned(), k.label().to_owned())),
            &form.kind,
        ),
        form,
        query,
        today: state.today().to_string(),
        errors,
    };
    let status = if page.errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok((status, page).into_response())
}

async fn list_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<ListQuery>,
) -> Result<Response, AppError> {
    let form = ClassForm {
        ends_on: state.today().to_string(),
        ..ClassForm::default()
    };
    page(&state, &viewer, query, form, Vec::new()).await
}

/// A unit of 2.4.4 records a class; wrong fields come back as a 422 naming them, nothing
/// written.
async fn create(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(form): Form<ClassForm>,
) -> Result<Response, AppError> {
    viewer.check_csrf(&state, &form.csrf).await?;
    let recorded = state
        .store
        .record_skills_class(&state.plan, &viewer.actor(), &form.draft(), &viewer.ip)
        .await;
    let again =
        |errors| async move { page(&state, &viewer, ListQuery::default(), form, errors).await };
    crate::view::saved_or_again(recorded, |_| "/staff/skills?saved=1".into(), again).await
}

/// The classes.
#[derive(Serialize, ToSchema)]
struct ApiClasses {
    classes: Vec<SkillsClass>,
}

/// Skills-training classes of returnees (返区人员职业技能培训, task 2.4.4): kind, title,
/// organising unit, period, how many were trained and how many obtained a certificate (counts
/// only, no personal data). For every staff member.
#[utoipa::path(
    get,
    path = "/api/v1/skills/classes",
    operation_id = "listSkillsClasses",
    tag = "skills",
    params(
        ("year" = Option<String>, Query, description = "结业年度，四位数字（空或不填为全部）"),
        ("unit" = Option<String>, Query, description = "组织单位代码"),
    ),
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "培训班列表", body = ApiClasses),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 422, description = "参数有误", body = ErrorBody),
    )
)]
async fn api_classes(
    State(state): State<AppState>,
    ApiViewer(_viewer): ApiViewer,
    Query(query): Query<ListQuery>,
) -> Result<Json<ApiClasses>, AppError> {
    let (year, unit) = query.filter(&state)?;
    let classes = state.store.skills_classes(year, unit.as_deref()).await?;
    Ok(Json(ApiClasses { classes }))
}
