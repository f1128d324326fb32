//! The project library (创业项目库, task 2.1.2): the public pages of published projects (phone
//! first, no login) and their JSON list, and the staff console where a collecting unit enters
//! its projects and 区人社局 screens them in, drops them with a reason and publishes them. What
//! each may do is decided in core and enforced by the store.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use linkong_core::field::FieldError;
use linkong_core::industry::{SECTIONS, Section};
use linkong_core::projects::{ProjectDraft, ProjectStatus, ProjectStep, source_units};
use linkong_core::quantity::Quantity;
use linkong_store::projects::{Project, ProjectDetail, ProjectFilter};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::{MaybeViewer, Nav, Viewer};
use crate::jobs::PortalNav;
use crate::openapi::ErrorBody;
use crate::view::{Choice, choices, unit_name};
use crate::{AppError, AppState};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/projects", get(public_list))
        .route("/projects/{id}", get(public_detail))
        .route("/staff/projects", get(staff_list).post(create))
        .route("/staff/projects/new", get(new_page))
        .route("/staff/projects/{id}", get(staff_detail).post(update))
        .route("/staff/projects/{id}/edit", get(edit_page))
        .route("/staff/projects/{id}/move", post(move_project))
}

/// The public JSON list, with its OpenAPI annotation (see [`crate::openapi`]).
pub fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(api_list))
}

/// A project as lists and pages show it: labels and amounts in words people read.
pub struct Card {
    pub project: Project,
    pub section: String,
    pub source: String,
    pub investment: String,
}

fn card(state: &AppState, project: Project) -> Card {
    Card {
        section: Section::parse(&project.section)
            .map(|s| s.name().to_owned())
            .unwrap_or_else(|_| project.section.clone()),
        source: unit_name(state, &project.source_unit),
        investment: format!(
            "{}—{} 万元",
            Quantity::from_hundredths(project.investment_min),
            Quantity::from_hundredths(project.investment_max)
        ),
        project,
    }
}

fn section_choices(selected: &str) -> Vec<Choice> {
    choices(
        SECTIONS
            .iter()
            .map(|(l, n)| (l.to_string(), format!("{l} {n}"))),
        selected,
    )
}

/// The public filters: field (a section letter) and 涉农 (1 or 0).
#[derive(Deserialize, Default, Clone)]
pub struct PublicQuery {
    #[serde(default)]
    field: String,
    #[serde(default)]
    agricultural: String,
}

impl PublicQuery {
    fn filter(&self) -> Result<ProjectFilter, String> {
        let section = match self.field.trim() {
            "" => None,
            text => Some(
                Section::parse(text)
                    .map_err(|e| format!("所属行业：{e}"))?
                    .letter(),
            ),
        };
        let agricultural = match self.agricultural.trim() {
            "" => None,
            "1" => Some(true),
            "0" => Some(false),
            other => return Err(format!("涉农：“{other}”应为 1（涉农）或 0（非涉农）")),
        };
        Ok(ProjectFilter {
            section,
            agricultural,
            ..ProjectFilter::default()
        })
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "projects.html")]
struct PublicList {
    portal: PortalNav,
    query: PublicQuery,
    sections: Vec<Choice>,
    error: Option<String>,
    cards: Vec<Card>,
}

async fn public_list(
    State(state): State<AppState>,
    viewer: MaybeViewer,
    Query(query): Query<PublicQuery>,
) -> Result<Response, AppError> {
    let mut page = PublicList {
        portal: PortalNav::of(&viewer),
        sections: section_choices(&query.field),
        query: query.clone(),
        error: None,
        cards: Vec::new(),
    };
    match query.filter() {
        Ok(filter) => {
            let projects = state.store.published_projects(&filter).await?;
            page.cards = projects.into_iter().map(|p| card(&state, p)).collect();
            Ok(page.into_response())
        }
        Err(message) => {
            page.error = Some(message);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "project.html")]
struct PublicDetail {
    portal: PortalNav,
    card: Card,
}

fn project_id(text: &str) -> Result<i64, AppError> {
    text.parse::<i64>()
        .map_err(|_| AppError::not_found("该创业项目不存在"))
}

async fn public_detail(
    State(state): State<AppState>,
    viewer: MaybeViewer,
    Path(id): Path<String>,
) -> Result<PublicDetail, AppError> {
    let project = state.store.published_project(project_id(&id)?).await?;
    Ok(PublicDetail {
        portal: PortalNav::of(&viewer),
        card: card(&state, project),
    })
}

/// The staff list's filters: status, source unit, field, 涉农.
#[derive(Deserialize, Default, Clone)]
pub struct StaffQuery {
    #[serde(default)]
    status: String,
    #[serde(default)]
    unit: String,
    #[serde(flatten)]
    public: PublicQuery,
}

impl StaffQuery {
    fn filter(&self, state: &AppState) -> Result<ProjectFilter, String> {
        let mut filter = self.public.filter()?;
        filter.status = match self.status.trim() {
            "" => None,
            text => Some(ProjectStatus::parse(text).map_err(|e| format!("项目状态：{e}"))?),
        };
        filter.source_unit = match self.unit.trim() {
            "" => None,
            code if source_units(&state.plan).contains(&code) => Some(code.to_owned()),
            code => return Err(format!("收集单位：“{code}”不是承担项目收集任务的单位")),
        };
        Ok(filter)
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "staff_projects.html")]
struct StaffList {
    nav: Nav,
    query: StaffQuery,
    statuses: Vec<Choice>,
    units: Vec<Choice>,
    sections: Vec<Choice>,
    error: Option<String>,
    cards: Vec<Card>,
    may_collect: bool,
    may_screen: bool,
}

async fn staff_list(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<StaffQuery>,
) -> Result<StaffList, AppError> {
    let actor = viewer.actor();
    let plan = &state.plan;
    let mut page = StaffList {
        nav: Nav::of(&viewer, &state),
        statuses: choices(
            ProjectStatus::ALL
                .iter()
                .map(|s| (s.code().to_owned(), s.label().to_owned())),
            &query.status,
        ),
        units: choices(
            source_units(plan)
                .into_iter()
                .map(|u| (u.to_owned(), unit_name(&state, u))),
            &query.unit,
        ),
        sections: section_choices(&query.public.field),
        error: None,
        cards: Vec::new(),
        may_collect: source_units(plan)
            .iter()
            .any(|u| actor.may_collect_projects_for(plan, u)),
        may_screen: actor.may_screen_projects(plan),
        query: query.clone(),
    };
    match query.filter(&state) {
        Ok(filter) => {
            let projects = state.store.projects(&actor, &filter, &viewer.ip).await?;
            page.cards = projects.into_iter().map(|p| card(&state, p)).collect();
        }
        Err(message) => page.error = Some(message),
    }
    Ok(page)
}

#[derive(Deserialize, Default, Clone)]
pub struct ProjectForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    section: String,
    #[serde(default)]
    investment_min: String,
    #[serde(default)]
    investment_max: String,
    #[serde(default)]
    expected_jobs: String,
    #[serde(default)]
    outlook: String,
    #[serde(default)]
    site_needs: String,
    #[serde(default)]
    policies: String,
    #[serde(default)]
    source_unit: String,
    #[serde(default)]
    agricultural: String,
}

impl ProjectForm {
    fn of(project: &Project) -> ProjectForm {
        ProjectForm {
            csrf: String::new(),
            name: project.name.clone(),
            section: project.section.clone(),
            investment_min: Quantity::from_hundredths(project.investment_min).to_string(),
            investment_max: Quantity::from_hundredths(project.investment_max).to_string(),
            expected_jobs: project.expected_jobs.to_string(),
            outlook: project.outlook.clone(),
            site_needs: project.site_needs.clone(),
            policies: project.policies.clone(),
            source_unit: project.source_unit.clone(),
            agricultural: if project.agricultural { "1" } else { "" }.into(),
        }
    }

    fn draft(&self) -> ProjectDraft {
        ProjectDraft {
            name: self.name.clone(),
            section: self.section.clone(),
            investment_min: self.investment_min.clone(),
            investment_max: self.investment_max.clone(),
            expected_jobs: self.expected_jobs.clone(),
            outlook: self.outlook.clone(),
            site_needs: self.site_needs.clone(),
            policies: self.policies.clone(),
            source_unit: self.source_unit.clone(),
            agricultural: self.agricultural == "1",
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "project_form.html")]
struct FormPage {
    nav: Nav,
    editing: Option<i64>,
    form: ProjectForm,
    sections: Vec<Choice>,
    units: Vec<Choice>,
    errors: Vec<FieldError>,
}

fn form_page(
    state: &AppState,
    viewer: &Viewer,
    editing: Option<i64>,
    mut form: ProjectForm,
    errors: Vec<FieldError>,
) -> Response {
    let actor = viewer.actor();
    if form.source_unit.is_empty() {
        form.source_unit = viewer.user.unit_code.clone().unwrap_or_default();
    }
    let page = FormPage {
        nav: Nav::of(viewer, state),
        sections: section_choices(&form.section),
        units: choices(
            source_units(&state.plan)
                .into_iter()
                .filter(|u| actor.may_collect_projects_for(&state.plan, u))
                .map(|u| (u.to_owned(), unit_name(state, u))),
            &form.source_unit,
        ),
        editing,
        form,
        errors,
    };
    let status = if page.errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    (status, page).into_response()
}

async fn new_page(State(state): State<AppState>, viewer: Viewer) -> Response {
    form_page(&state, &viewer, None, ProjectForm::default(), Vec::new())
}

async fn edit_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let id = project_id(&id)?;
    let detail = state.store.project(&viewer.actor(), id, &viewer.ip).await?;
    let form = ProjectForm::of(&detail.project);
    Ok(form_page(&state, &viewer, Some(id), form, Vec::new()))
}

async fn save(
    state: AppState,
    viewer: Viewer,
    id: Option<i64>,
    form: ProjectForm,
) -> Result<Response, AppError> {
    viewer.check_csrf(&state, &form.csrf).await?;
    let saved = state
        .store
        .save_project(&state.plan, &viewer.actor(), id, &form.draft(), &viewer.ip)
        .await;
    match saved {
        Ok(id) => Ok(Redirect::to(&format!("/staff/projects/{id}?saved=1")).into_response()),
        Err(linkong_store::Error::Fields(errors)) => {
            Ok(form_page(&state, &viewer, id, form, errors))
        }
        Err(e) => Err(e.into()),
    }
}

async fn create(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(form): Form<ProjectForm>,
) -> Result<Response, AppError> {
    save(state, viewer, None, form).await
}

async fn update(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(form): Form<ProjectForm>,
) -> Result<Response, AppError> {
    let id = project_id(&id)?;
    save(state, viewer, Some(id), form).await
}

#[derive(Template, WebTemplate)]
#[template(path = "staff_project.html")]
struct StaffDetail {
    nav: Nav,
    card: Card,
    adopters: Vec<(i64, String, String)>,
    may_edit: bool,
    may_screen: bool,
    /// Screened in and not yet on the portal.
    publishable: bool,
    reason: String,
    errors: Vec<FieldError>,
    saved: bool,
}

async fn staff_page(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    reason: String,
    errors: Vec<FieldError>,
) -> Result<StaffDetail, AppError> {
    let actor = viewer.actor();
    let ProjectDetail { project, adopters } = state.store.project(&actor, id, &viewer.ip).await?;
    Ok(StaffDetail {
        nav: Nav::of(viewer, state),
        may_edit: project.status.is_editable()
            && actor.may_collect_projects_for(&state.plan, &project.source_unit),
        may_screen: actor.may_screen_projects(&state.plan),
        publishable: project.status == ProjectStatus::ScreenedIn,
        adopters: adopters
            .into_iter()
            .map(|(id, name, street)| (id, name, unit_name(state, &street)))
            .collect(),
        card: card(state, project),
        reason,
        errors,
        saved: false,
    })
}

#[derive(Deserialize, Default)]
struct Saved {
    #[serde(default)]
    saved: String,
}

async fn staff_detail(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(saved): Query<Saved>,
) -> Result<StaffDetail, AppError> {
    let mut page = staff_page(&state, &viewer, project_id(&id)?, String::new(), Vec::new()).await?;
    page.saved = saved.saved == "1";
    Ok(page)
}

#[derive(Deserialize, Default)]
struct MoveForm {
    #[serde(default)]
    csrf: String,
    /// screen_in, drop or publish.
    #[serde(default)]
    action: String,
    #[serde(default)]
    reason: String,
}

async fn move_project(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(form): Form<MoveForm>,
) -> Result<Response, AppError> {
    viewer.check_csrf(&state, &form.csrf).await?;
    let id = project_id(&id)?;
    let step = match form.action.as_str() {
        "screen_in" => ProjectStep::ScreenIn,
        "drop" => ProjectStep::Drop {
            reason: form.reason.clone(),
        },
        "publish" => ProjectStep::Publish,
        other => return Err(AppError::bad_request(format!("操作：“{other}”不存在"))),
    };
    match state
        .store
        .move_project(&state.plan, &viewer.actor(), id, &step, &viewer.ip)
        .await
    {
        Ok(()) => Ok(Redirect::to(&format!("/staff/projects/{id}?saved=1")).into_response()),
        Err(linkong_store::Error::Fields(errors)) => {
            let page = staff_page(&state, &viewer, id, form.reason, errors).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

/// The published projects of the library.
#[derive(Serialize, ToSchema)]
struct ProjectList {
    total: usize,
    projects: Vec<Project>,
}

/// The project library's published projects (public): what a returnee may take up, with the
/// investment in 万元, the jobs expected and the policies that support it.
#[utoipa::path(
    get,
    path = "/api/v1/projects",
    operation_id = "listProjects",
    tag = "returnees",
    params(
        ("field" = Option<String>, Query, description = "所属行业门类字母（GB/T 4754）"),
        ("agricultural" = Option<String>, Query, description = "涉农：1 涉农，0 非涉农"),
    ),
    responses(
        (status = 200, description = "已发布的创业项目", body = ProjectList),
        (status = 422, description = "参数有误", body = ErrorBody),
    )
)]
async fn api_list(
    State(state): State<AppState>,
    Query(query): Query<PublicQuery>,
) -> Result<Json<ProjectList>, AppError> {
    let filter = query.filter().map_err(AppError::BadRequest)?;
    let projects = state.store.published_projects(&filter).await?;
    Ok(Json(ProjectList {
        total: projects.len(),
        projects,
    }))
}
