//! The expert pool (专业人才库, task 2.1.3): the public list and profiles on the portal (only
//! what each expert agreed to publish, never a phone), the same at `/api/v1/experts`, and the
//! staff pages where the task's units recommend experts, keep them and record the services
//! they give returnees (which fill 2.1.3's figure).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use linkong_core::access::Gate;
use linkong_core::experts::{
    ExpertDraft, ExpertField, ExpertService, ExpertStatus, PublicExpert, PublicItem, ServiceDraft,
};
use linkong_core::field::FieldError;
use linkong_store::experts::{Expert, ExpertFilter, ServiceEntry, ServiceFilter};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::{CsrfForm, MaybeViewer, Nav, Viewer};
use crate::jobs::PortalNav;
use crate::openapi::ErrorBody;
use crate::view::{Choice, YearQuery, choices, unit_name, year_of};
use crate::{AppError, AppState};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/experts", get(public_list))
        .route("/experts/{id}", get(public_profile))
        .route("/staff/experts", get(staff_list).post(create))
        .route("/staff/experts/new", get(new_form))
        .route("/staff/experts/services", get(services_page))
        .route("/staff/experts/{id}", get(staff_detail).post(update))
        .route("/staff/experts/{id}/edit", get(edit_form))
        .route("/staff/experts/{id}/services", post(add_service))
        .route("/staff/experts/{id}/unmask", post(unmask))
}

/// The pool's JSON API, with its OpenAPI annotation (see [`crate::openapi`]).
pub fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(api_list))
}

/// A form as submitted: every name and value in order, so that ticked boxes sharing a name
/// (services, consents) all arrive.
struct Pairs(Vec<(String, String)>);

impl Pairs {
    fn one(&self, key: &str) -> String {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }

    fn all(&self, key: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
            .collect()
    }

    fn expert(&self) -> ExpertDraft {
        ExpertDraft {
            name: self.one("name"),
            field: self.one("field"),
            organisation: self.one("organisation"),
            title: self.one("title"),
            services: self.all("services"),
            availability: self.one("availability"),
            phone: self.one("phone"),
            intro: self.one("intro"),
            consents: self.all("consents"),
            status: self.one("status"),
        }
    }
}

fn expert_id(text: &str) -> Result<i64, AppError> {
    text.parse::<i64>()
        .map_err(|_| AppError::not_found("该专家不存在"))
}

/// An optional parameter of a vocabulary: empty is none; an unknown one names the field.
fn optional<T>(
    text: &str,
    label: &str,
    parse: impl Fn(&str) -> Result<T, String>,
) -> Result<Option<T>, AppError> {
    match text.trim() {
        "" => Ok(None),
        code => parse(code)
            .map(Some)
            .map_err(|e| AppError::bad_request(format!("{label}：{e}"))),
    }
}

fn field_param(text: &str) -> Result<Option<ExpertField>, AppError> {
    optional(text, "专业领域", ExpertField::parse)
}

fn service_labels(services: &[ExpertService]) -> String {
    services
        .iter()
        .map(|s| s.label())
        .collect::<Vec<_>>()
        .join("、")
}

// ---- the portal ----

#[derive(Deserialize, Default)]
struct FieldQuery {
    #[serde(default)]
    field: String,
}

/// A public profile as the page shows it: absent items stay absent.
pub struct PublicCard {
    pub expert: PublicExpert,
    pub field: Option<&'static str>,
    pub services: Option<String>,
}

fn public_card(expert: PublicExpert) -> PublicCard {
    PublicCard {
        field: expert.field.map(|f| f.label()),
        services: expert.services.as_deref().map(service_labels),
        expert,
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "portal_experts.html")]
struct PublicList {
    portal: PortalNav,
    fields: Vec<Choice>,
    cards: Vec<PublicCard>,
}

async fn public_list(
    State(state): State<AppState>,
    viewer: MaybeViewer,
    Query(query): Query<FieldQuery>,
) -> Result<PublicList, AppError> {
    let field = field_param(&query.field)?;
    let experts = state.store.public_experts(field).await?;
    Ok(PublicList {
        portal: PortalNav::of(&viewer),
        fields: field_choices(&query.field),
        cards: experts.into_iter().map(public_card).collect(),
    })
}

fn field_choices(selected: &str) -> Vec<Choice> {
    choices(
        ExpertField::ALL
            .iter()
            .map(|f| (f.code().to_owned(), f.label().to_owned())),
        selected,
    )
}

#[derive(Template, WebTemplate)]
#[template(path = "portal_expert.html")]
struct PublicProfile {
    portal: PortalNav,
    card: PublicCard,
}

async fn public_profile(
    State(state): State<AppState>,
    viewer: MaybeViewer,
    Path(id): Path<String>,
) -> Result<PublicProfile, AppError> {
    let expert = state.store.public_expert(expert_id(&id)?).await?;
    Ok(PublicProfile {
        portal: PortalNav::of(&viewer),
        card: public_card(expert),
    })
}

/// The experts on the portal.
#[derive(Serialize, ToSchema)]
struct ApiExperts {
    experts: Vec<PublicExpert>,
}

/// The expert pool's public profiles (no login): each item only if the expert agreed to
/// publish it (`null` otherwise); never a phone number.
#[utoipa::path(
    get,
    path = "/api/v1/experts",
    operation_id = "listExperts",
    tag = "experts",
    params(("field" = Option<String>, Query, description = "专业领域（代码或中文，如 law、法律）")),
    responses(
        (status = 200, description = "公开的专家", body = ApiExperts),
        (status = 422, description = "专业领域不存在", body = ErrorBody),
    )
)]
async fn api_list(
    State(state): State<AppState>,
    Query(query): Query<FieldQuery>,
) -> Result<Json<ApiExperts>, AppError> {
    let field = field_param(&query.field)?;
    Ok(Json(ApiExperts {
        experts: state.store.public_experts(field).await?,
    }))
}

// ---- the staff pages ----

#[derive(Deserialize, Default, Clone)]
struct ListQuery {
    #[serde(default)]
    field: String,
    #[serde(default)]
    service: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    q: String,
}

impl ListQuery {
    fn filter(&self) -> Result<ExpertFilter, AppError> {
        Ok(ExpertFilter {
            field: field_param(&self.field)?,
            service: optional(&self.service, "服务内容", ExpertService::parse)?,
            status: optional(&self.status, "状态", ExpertStatus::parse)?,
            recommended_by: None,
            query: self.q.trim().chars().take(50).collect(),
        })
    }
}

pub struct ExpertLine {
    pub expert: Expert,
    pub field: &'static str,
    pub services: String,
    pub unit: String,
    pub status: &'static str,
}

fn line(state: &AppState, expert: Expert) -> ExpertLine {
    ExpertLine {
        field: expert.field.label(),
        services: service_labels(&expert.services),
        unit: unit_name(state, &expert.recommended_by),
        status: expert.status.label(),
        expert,
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "experts.html")]
struct StaffList {
    nav: Nav,
    query: ListQuery,
    fields: Vec<Choice>,
    services: Vec<Choice>,
    statuses: Vec<Choice>,
    lines: Vec<ExpertLine>,
    may_recommend: bool,
    year: i32,
}

async fn staff_list(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<ListQuery>,
) -> Result<StaffList, AppError> {
    let filter = query.filter()?;
    let experts = state
        .store
        .experts(&viewer.actor(), &filter, &viewer.ip)
        .await?;
    Ok(StaffList {
        nav: Nav::of(&viewer, &state),
        fields: field_choices(&query.field),
        services: vocabulary_choices(
            ExpertService::ALL.iter().map(|s| (s.code(), s.label())),
            &query.service,
        ),
        statuses: vocabulary_choices(
            ExpertStatus::ALL.iter().map(|s| (s.code(), s.label())),
            &query.status,
        ),
        lines: experts.into_iter().map(|e| line(&state, e)).collect(),
        may_recommend: viewer.actor().may_recommend_experts(&state.plan),
        year: crate::view::year_of(&state, &YearQuery::default())?,
        query,
    })
}

fn vocabulary_choices<'a>(
    items: impl Iterator<Item = (&'a str, &'a str)>,
    selected: &str,
) -> Vec<Choice> {
    choices(items.map(|(c, l)| (c.to_owned(), l.to_owned())), selected)
}

/// A checkbox of a form: its value, label and whether it is ticked.
pub struct Tick {
    pub value: &'static str,
    pub label: &'static str,
    pub checked: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "expert_form.html")]
struct FormPage {
    nav: Nav,
    /// `None` for a new expert.
    id: Option<i64>,
    values: ExpertDraft,
    fields: Vec<Choice>,
    services: Vec<Tick>,
    consents: Vec<Tick>,
    statuses: Vec<Choice>,
    errors: Vec<FieldError>,
}

fn form_page(
    state: &AppState,
    viewer: &Viewer,
    id: Option<i64>,
    values: ExpertDraft,
    errors: Vec<FieldError>,
) -> Response {
    let page = FormPage {
        nav: Nav::of(viewer, state),
        id,
        fields: field_choices(&values.field),
        services: ExpertService::ALL
            .iter()
            .map(|s| Tick {
                value: s.code(),
                label: s.label(),
                checked: values.services.iter().any(|v| v == s.code()),
            })
            .collect(),
        consents: PublicItem::ALL
            .iter()
            .map(|i| Tick {
                value: i.code(),
                label: i.label(),
                checked: values.consents.iter().any(|v| v == i.code()),
            })
            .collect(),
        statuses: vocabulary_choices(
            ExpertStatus::ALL.iter().map(|s| (s.code(), s.label())),
            &values.status,
        ),
        values,
        errors,
    };
    let status = if page.errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    (status, page).into_response()
}

async fn new_form(State(state): State<AppState>, viewer: Viewer) -> Result<Response, AppError> {
    let gate = Gate::ExpertForm { plan: &state.plan };
    state.store.enter(&viewer.actor(), gate, &viewer.ip).await?;
    Ok(form_page(
        &state,
        &viewer,
        None,
        ExpertDraft::default(),
        Vec::new(),
    ))
}

async fn edit_form(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let id = expert_id(&id)?;
    let expert = state
        .store
        .expert_to_edit(&state.plan, &viewer.actor(), id, &viewer.ip)
        .await?;
    Ok(form_page(
        &state,
        &viewer,
        Some(id),
        edit_values(&expert),
        Vec::new(),
    ))
}

async fn create(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let pairs = Pairs(pairs);
    viewer.check_csrf(&state, &pairs.one("csrf")).await?;
    let draft = pairs.expert();
    match state
        .store
        .add_expert(&state.plan, &viewer.actor(), &draft, &viewer.ip)
        .await
    {
        Ok(id) => Ok(Redirect::to(&format!("/staff/experts/{id}?saved=1")).into_response()),
        Err(linkong_store::Error::Fields(errors)) => {
            Ok(form_page(&state, &viewer, None, draft, errors))
        }
        Err(e) => Err(e.into()),
    }
}

async fn update(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let id = expert_id(&id)?;
    let pairs = Pairs(pairs);
    viewer.check_csrf(&state, &pairs.one("csrf")).await?;
    let draft = pairs.expert();
    match state
        .store
        .update_expert(&state.plan, &viewer.actor(), id, &draft, &viewer.ip)
        .await
    {
        Ok(()) => Ok(Redirect::to(&format!("/staff/experts/{id}?saved=1")).into_response()),
        Err(linkong_store::Error::Fields(errors)) => {
            Ok(form_page(&state, &viewer, Some(id), draft, errors))
        }
        Err(e) => Err(e.into()),
    }
}

/// A service as the pages show it.
pub struct ServiceLine {
    pub entry: ServiceEntry,
    pub kind: &'static str,
    pub hours: String,
    pub unit: String,
}

fn service_line(state: &AppState, entry: ServiceEntry) -> ServiceLine {
    ServiceLine {
        kind: entry.kind.label(),
        hours: crate::format::amount(entry.hours),
        unit: unit_name(state, &entry.recorded_by),
        entry,
    }
}

#[derive(Deserialize, Default, Clone)]
struct ServiceForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    id_number: String,
    #[serde(default)]
    served_on: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    hours: String,
    #[serde(default)]
    outcome: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "expert.html")]
struct DetailPage {
    nav: Nav,
    line: ExpertLine,
    consents: String,
    listed: bool,
    services: Vec<ServiceLine>,
    may_keep: bool,
    kinds: Vec<Choice>,
    service: ServiceForm,
    errors: Vec<FieldError>,
    saved: bool,
    today: String,
    may_unmask: bool,
    /// The whole phone number, on the one response that asked for it (audited).
    clear_phone: Option<String>,
}

async fn detail(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    service: ServiceForm,
    errors: Vec<FieldError>,
) -> Result<DetailPage, AppError> {
    let (expert, services) = state
        .store
        .expert_detail(&state.plan, &viewer.actor(), id, &viewer.ip)
        .await?;
    let consents: Vec<&str> = PublicItem::ALL
        .iter()
        .filter(|i| expert.consent.allows(**i))
        .map(|i| i.label())
        .collect();
    Ok(DetailPage {
        nav: Nav::of(viewer, state),
        consents: consents.join("、"),
        listed: expert.card().is_listed(),
        services: services
            .into_iter()
            .map(|s| service_line(state, s))
            .collect(),
        may_keep: viewer
            .actor()
            .may_keep_expert(&state.plan, &expert.recommended_by),
        kinds: vocabulary_choices(
            ExpertService::ALL.iter().map(|s| (s.code(), s.label())),
            &service.kind,
        ),
        service,
        errors,
        saved: false,
        today: state.today().to_string(),
        may_unmask: state.store.may_unmask(&viewer.actor()).await?,
        clear_phone: None,
        line: line(state, expert),
    })
}

/// Shows the expert's whole phone number once, on this response only (never in a URL),
/// audited.
async fn unmask(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(form): Form<CsrfForm>,
) -> Result<DetailPage, AppError> {
    viewer.check_csrf(&state, &form.csrf).await?;
    let id = expert_id(&id)?;
    let phone = state
        .store
        .unmask_expert_phone(&viewer.actor(), id, &viewer.ip)
        .await?;
    let mut page = detail(&state, &viewer, id, ServiceForm::default(), Vec::new()).await?;
    page.clear_phone = Some(phone);
    Ok(page)
}

/// The edit form's values: what is stored, the phone left blank (kept unless retyped).
fn edit_values(expert: &Expert) -> ExpertDraft {
    ExpertDraft {
        name: expert.name.clone(),
        field: expert.field.code().into(),
        organisation: expert.organisation.clone(),
        title: expert.title.clone(),
        services: expert.services.iter().map(|s| s.code().into()).collect(),
        availability: expert.availability.clone(),
        phone: String::new(),
        intro: expert.intro.clone(),
        consents: PublicItem::ALL
            .iter()
            .filter(|i| expert.consent.allows(**i))
            .map(|i| i.code().into())
            .collect(),
        status: expert.status.code().into(),
    }
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
) -> Result<DetailPage, AppError> {
    let mut page = detail(
        &state,
        &viewer,
        expert_id(&id)?,
        ServiceForm::default(),
        Vec::new(),
    )
    .await?;
    page.saved = saved.saved == "1";
    Ok(page)
}

async fn add_service(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(form): Form<ServiceForm>,
) -> Result<Response, AppError> {
    let id = expert_id(&id)?;
    viewer.check_csrf(&state, &form.csrf).await?;
    let draft = ServiceDraft {
        id_number: form.id_number.clone(),
        served_on: form.served_on.clone(),
        kind: form.kind.clone(),
        hours: form.hours.clone(),
        outcome: form.outcome.clone(),
    };
    let saved = state
        .store
        .record_expert_service(&state.plan, &viewer.actor(), id, &draft, &viewer.ip)
        .await;
    let to = format!("/staff/experts/{id}?saved=1#services");
    crate::error::saved_or_again(saved, &to, |errors| {
        detail(&state, &viewer, id, form, errors)
    })
    .await
}

#[derive(Deserialize, Default)]
struct ServicesQuery {
    #[serde(default)]
    year: String,
    #[serde(default)]
    unit: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "expert_services.html")]
struct ServicesPage {
    nav: Nav,
    year: i32,
    years: Vec<i32>,
    unit: String,
    unit_name: String,
    lines: Vec<ServiceLine>,
}

/// The services of a year (of one recording unit from the dashboard's drill-down), scoped.
async fn services_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<ServicesQuery>,
) -> Result<ServicesPage, AppError> {
    let year = year_of(
        &state,
        &YearQuery {
            year: Some(query.year.clone()),
            saved: None,
        },
    )?;
    let unit = crate::view::optional_unit(&state, "单位", &query.unit)?;
    let filter = ServiceFilter {
        year: Some(year),
        recorded_by: unit.clone(),
        ..ServiceFilter::default()
    };
    let services = state
        .store
        .expert_services(&state.plan, &viewer.actor(), &filter, &viewer.ip)
        .await?;
    Ok(ServicesPage {
        nav: Nav::of(&viewer, &state),
        year,
        years: state.plan.years().collect(),
        unit_name: unit
            .as_deref()
            .map(|u| unit_name(&state, u))
            .unwrap_or_default(),
        unit: unit.unwrap_or_default(),
        lines: services
            .into_iter()
            .map(|s| service_line(&state, s))
            .collect(),
    })
}
