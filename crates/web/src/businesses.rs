//! Returnee businesses (返区创业主体) in the staff console: the list with its filters and xlsx
//! export, the form (new and edit), a business's page with its employment snapshots, status
//! changes and the library projects it adopted, and the JSON list. Every query is scoped by the
//! store: a street's staff reach only their street's businesses.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use linkong_core::access::PeopleScope;
use linkong_core::businesses::{BusinessDraft, BusinessForm, BusinessStatus, LegalForm};
use linkong_core::field::FieldError;
use linkong_core::industry::SECTIONS;
use linkong_store::businesses::{Business, BusinessDetail, BusinessFilter};
use linkong_store::projects::ProjectFilter;
use rust_xlsxwriter::{Format, Workbook, XlsxError};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::{ApiViewer, Nav, Viewer};
use crate::openapi::ErrorBody;
use crate::roster::street_param;
use crate::view::{Choice, choices, streets, unit_name};
use crate::{AppError, AppState};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/staff/businesses", get(list_page).post(create))
        .route("/staff/businesses/export.xlsx", get(export))
        .route("/staff/businesses/new", get(new_page))
        .route("/staff/businesses/{id}", get(detail_page).post(update))
        .route("/staff/businesses/{id}/edit", get(edit_page))
        .route("/staff/businesses/{id}/employment", post(add_employment))
        .route("/staff/businesses/{id}/status", post(change_status))
        .route("/staff/businesses/{id}/adopt", post(adopt))
}

/// The JSON list, with its OpenAPI annotation (see [`crate::openapi`]).
pub fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(api_list))
}

#[derive(Deserialize, Default, Clone)]
pub struct ListQuery {
    #[serde(default)]
    street: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    q: String,
}

impl ListQuery {
    /// The store's filter, or the first wrong field.
    fn filter(&self, state: &AppState) -> Result<BusinessFilter, String> {
        let status = match self.status.trim() {
            "" => None,
            text => Some(BusinessStatus::parse(text).map_err(|e| format!("经营状态：{e}"))?),
        };
        let query = self.q.trim();
        linkong_core::jobs::check_query(query)?;
        Ok(BusinessFilter {
            street: street_param(state, &self.street)?,
            status,
            query: query.to_owned(),
            founder: None,
        })
    }

    fn encoded(&self) -> String {
        let mut url = url::form_urlencoded::Serializer::new(String::new());
        for (key, value) in [
            ("street", &self.street),
            ("status", &self.status),
            ("q", &self.q),
        ] {
            if !value.trim().is_empty() {
                url.append_pair(key, value.trim());
            }
        }
        url.finish()
    }
}

/// A business as a list row shows it.
pub struct Line {
    pub business: Business,
    pub street: String,
    pub forms: String,
}

fn line(state: &AppState, business: Business) -> Line {
    Line {
        street: unit_name(state, &business.street_code),
        forms: forms_text(&business),
        business,
    }
}

fn forms_text(business: &Business) -> String {
    business
        .forms
        .iter()
        .map(|f| f.label())
        .collect::<Vec<_>>()
        .join("、")
}

fn section_name(letter: &str) -> String {
    linkong_core::industry::Section::parse(letter)
        .map(|s| format!("{} {}", s.letter(), s.name()))
        .unwrap_or_else(|_| letter.to_owned())
}

#[derive(Template, WebTemplate)]
#[template(path = "businesses.html")]
struct ListPage {
    nav: Nav,
    query: ListQuery,
    error: Option<String>,
    lines: Vec<Line>,
    export: String,
    streets: Vec<Choice>,
    statuses: Vec<Choice>,
    whole_district: bool,
    may_register: bool,
}

async fn list_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<ListQuery>,
) -> Result<ListPage, AppError> {
    let actor = viewer.actor();
    let scope = actor.business_scope(&state.plan);
    let mut page = ListPage {
        nav: Nav::of(&viewer, &state),
        error: None,
        lines: Vec::new(),
        export: format!("/staff/businesses/export.xlsx?{}", query.encoded()),
        streets: choices(
            streets(&state).filter(|(code, _)| scope.reaches(code)),
            &query.street,
        ),
        statuses: choices(
            BusinessStatus::ALL
                .iter()
                .map(|s| (s.code().to_owned(), s.label().to_owned())),
            &query.status,
        ),
        whole_district: scope == PeopleScope::All,
        may_register: streets(&state).any(|(code, _)| actor.may_write_business(&state.plan, &code)),
        query: query.clone(),
    };
    match query.filter(&state) {
        Ok(filter) => {
            let list = state
                .store
                .businesses(&state.plan, &actor, &filter, &viewer.ip)
                .await?;
            page.lines = list.into_iter().map(|b| line(&state, b)).collect();
        }
        Err(message) => page.error = Some(message),
    }
    Ok(page)
}

async fn export(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<ListQuery>,
) -> Result<Response, AppError> {
    let filter = query.filter(&state).map_err(AppError::bad_request)?;
    let list = state
        .store
        .businesses(&state.plan, &viewer.actor(), &filter, &viewer.ip)
        .await?;
    crate::download::download("businesses.xlsx", export_workbook(&state, &list))
}

fn export_workbook(state: &AppState, list: &[Business]) -> Result<Vec<u8>, XlsxError> {
    const HEADERS: [(&str, f64); 13] = [
        ("名称", 28.0),
        ("统一社会信用代码", 22.0),
        ("登记日期", 12.0),
        ("组织形式", 14.0),
        ("行业门类", 24.0),
        ("新业态", 20.0),
        ("所在街道", 12.0),
        ("经营场所", 20.0),
        ("创办人（脱敏）", 30.0),
        ("经营状态", 10.0),
        ("状态日期", 12.0),
        ("从业人数", 10.0),
        ("参保人数", 10.0),
    ];
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    let ws = workbook.add_worksheet();
    ws.set_name("返区创业主体")?;
    for (c, (header, width)) in HEADERS.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *header, &bold)?;
        ws.set_column_width(c as u16, *width)?;
    }
    for (r, b) in list.iter().enumerate() {
        let founders: Vec<String> = b
            .founders
            .iter()
            .map(|f| format!("{} {}", f.name, f.id_masked))
            .collect();
        let count = |n: Option<i64>| n.map(|n| n.to_string()).unwrap_or_default();
        let values = [
            b.name.clone(),
            b.uscc.clone(),
            b.licensed_on.to_string(),
            b.legal_form.label().to_owned(),
            section_name(&b.section),
            forms_text(b),
            unit_name(state, &b.street_code),
            b.carrier_name.clone().unwrap_or_else(|| b.site.clone()),
            founders.join("；"),
            b.status.label().to_owned(),
            b.status_on.to_string(),
            count(b.headcount),
            count(b.insured),
        ];
        for (c, value) in values.iter().enumerate() {
            ws.write_string(r as u32 + 1, c as u16, value)?;
        }
    }
    workbook.save_to_buffer()
}

/// The business form as submitted; `forms` may come several times (one per ticked box).
#[derive(Default, Clone)]
pub struct BusinessInput {
    csrf: String,
    name: String,
    uscc: String,
    licensed_on: String,
    legal_form: String,
    section: String,
    forms: Vec<String>,
    street: String,
    site: String,
    founders: String,
}

impl BusinessInput {
    fn from_pairs(pairs: Vec<(String, String)>) -> BusinessInput {
        let mut input = BusinessInput::default();
        for (key, value) in pairs {
            let slot = match key.as_str() {
                "csrf" => &mut input.csrf,
                "name" => &mut input.name,
                "uscc" => &mut input.uscc,
                "licensed_on" => &mut input.licensed_on,
                "legal_form" => &mut input.legal_form,
                "section" => &mut input.section,
                "street" => &mut input.street,
                "site" => &mut input.site,
                "founders" => &mut input.founders,
                "forms" => {
                    input.forms.push(value);
                    continue;
                }
                _ => continue,
            };
            *slot = value;
        }
        input
    }

    fn of(business: &Business) -> BusinessInput {
        BusinessInput {
            csrf: String::new(),
            name: business.name.clone(),
            uscc: business.uscc.clone(),
            licensed_on: business.licensed_on.to_string(),
            legal_form: business.legal_form.code().to_owned(),
            section: business.section.clone(),
            forms: business.forms.iter().map(|f| f.code().to_owned()).collect(),
            street: business.street_code.clone(),
            site: business.site.clone(),
            founders: String::new(),
        }
    }

    fn draft(&self, editing: bool) -> BusinessDraft {
        BusinessDraft {
            name: self.name.clone(),
            uscc: self.uscc.clone(),
            licensed_on: self.licensed_on.clone(),
            legal_form: self.legal_form.clone(),
            section: self.section.clone(),
            forms: self.forms.clone(),
            street: self.street.clone(),
            site: self.site.clone(),
            founders: self.founders.clone(),
            keep_founders: editing,
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "business_form.html")]
struct FormPage {
    nav: Nav,
    /// The business being changed, with its founders as they are.
    editing: Option<Business>,
    form: BusinessInput,
    legal_forms: Vec<Choice>,
    sections: Vec<Choice>,
    forms: Vec<Choice>,
    streets: Vec<Choice>,
    errors: Vec<FieldError>,
    today: String,
}

fn form_page(
    state: &AppState,
    viewer: &Viewer,
    editing: Option<Business>,
    form: BusinessInput,
    errors: Vec<FieldError>,
) -> Response {
    let actor = viewer.actor();
    let vocabulary = |items: Vec<(&str, &str)>, selected: &str| {
        choices(
            items.into_iter().map(|(c, l)| (c.to_owned(), l.to_owned())),
            selected,
        )
    };
    let page = FormPage {
        nav: Nav::of(viewer, state),
        legal_forms: vocabulary(
            LegalForm::ALL
                .iter()
                .map(|f| (f.code(), f.label()))
                .collect(),
            &form.legal_form,
        ),
        sections: choices(
            SECTIONS
                .iter()
                .map(|(l, n)| (l.to_string(), format!("{l} {n}"))),
            &form.section,
        ),
        forms: BusinessForm::ALL
            .iter()
            .map(|f| Choice {
                value: f.code().to_owned(),
                label: f.label().to_owned(),
                selected: form.forms.iter().any(|c| c == f.code()),
            })
            .collect(),
        streets: choices(
            streets(state).filter(|(code, _)| actor.may_write_business(&state.plan, code)),
            &form.street,
        ),
        today: state.today().to_string(),
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
    form_page(&state, &viewer, None, BusinessInput::default(), Vec::new())
}

fn business_id(text: &str) -> Result<i64, AppError> {
    text.parse::<i64>()
        .map_err(|_| AppError::not_found("该返区创业主体不存在"))
}

async fn edit_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let detail = state
        .store
        .business(&state.plan, &viewer.actor(), business_id(&id)?, &viewer.ip)
        .await?;
    let form = BusinessInput::of(&detail.business);
    Ok(form_page(
        &state,
        &viewer,
        Some(detail.business),
        form,
        Vec::new(),
    ))
}

/// Saves the form as a new business (`id` None) or a change; errors show on the form.
async fn save(
    state: AppState,
    viewer: Viewer,
    id: Option<i64>,
    form: BusinessInput,
) -> Result<Response, AppError> {
    viewer.check_csrf(&state, &form.csrf).await?;
    let saved = state
        .store
        .save_business(
            &state.plan,
            &viewer.actor(),
            id,
            &form.draft(id.is_some()),
            &viewer.ip,
        )
        .await;
    match saved {
        Ok(id) => Ok(Redirect::to(&format!("/staff/businesses/{id}?saved=1")).into_response()),
        Err(linkong_store::Error::Fields(errors)) => {
            let editing = match id {
                Some(id) => Some(
                    state
                        .store
                        .business(&state.plan, &viewer.actor(), id, &viewer.ip)
                        .await?
                        .business,
                ),
                None => None,
            };
            Ok(form_page(&state, &viewer, editing, form, errors))
        }
        Err(e) => Err(e.into()),
    }
}

async fn create(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    save(state, viewer, None, BusinessInput::from_pairs(pairs)).await
}

async fn update(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let id = business_id(&id)?;
    save(state, viewer, Some(id), BusinessInput::from_pairs(pairs)).await
}

#[derive(Deserialize, Default, Clone)]
pub struct ActionForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    counted_on: String,
    #[serde(default)]
    headcount: String,
    #[serde(default)]
    insured: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    changed_on: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    project: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "business.html")]
struct DetailPage {
    nav: Nav,
    detail: BusinessDetail,
    street: String,
    section: String,
    forms: String,
    may_write: bool,
    statuses: Vec<Choice>,
    /// Published projects it may still adopt: (id, name, source unit).
    adoptable: Vec<(i64, String, String)>,
    form: ActionForm,
    /// Which form the errors belong to: employment, status or adopt.
    errors_of: &'static str,
    errors: Vec<FieldError>,
    saved: bool,
    today: String,
    /// The business's selection entries (2.5.2) and showcase cases (2.5.3), as far as the
    /// viewer reads.
    entries: Vec<linkong_store::selection::SelectionEntry>,
    cases: Vec<linkong_store::showcase::ShowcaseCase>,
    /// The failure-support cases (2.3.4) its closure opened, or that name it as a founder's
    /// new business, as far as the viewer reads.
    failure_cases: Vec<linkong_store::failure::FailureCase>,
    /// The winning contest projects (1.2.3) that landed as this business.
    landed: Vec<linkong_store::contest::ContestEntry>,
    /// Its mentorings (2.3.2), as far as the viewer reads, and whether the viewer may open one.
    mentorings: Vec<linkong_store::mentoring::Mentoring>,
    may_mentor: bool,
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
        .business(&state.plan, &actor, id, &viewer.ip)
        .await?;
    let b = &detail.business;
    let may_write = actor.may_write_business(&state.plan, &b.street_code);
    let adoptable = if may_write && b.status != BusinessStatus::Closed {
        state
            .store
            .published_projects(&ProjectFilter::default())
            .await?
            .into_iter()
            .filter(|p| !detail.projects.iter().any(|(id, _)| *id == p.id))
            .map(|p| (p.id, p.name, unit_name(state, &p.source_unit)))
            .collect()
    } else {
        Vec::new()
    };
    let (entries, cases) = (
        linkong_store::selection::EntryFilter {
            business: Some(id),
            ..Default::default()
        },
        linkong_store::showcase::CaseFilter {
            business: Some(id),
            ..Default::default()
        },
    );
    let store = &state.store;
    let entries = store.selection_entries_about(&state.plan, &actor, &entries);
    let cases = store.showcase_cases_about(&state.plan, &actor, &cases);
    let failure = linkong_store::failure::CaseFilter {
        business_id: Some(id),
        ..Default::default()
    };
    let failure_cases = store.failure_cases_about(&state.plan, &actor, &failure);
    let landed = store.contest_landings_of(&state.plan, &actor, id);
    let mentorings = linkong_store::mentoring::MentoringFilter {
        business: Some(id),
        ..Default::default()
    };
    let mentorings = store.mentorings_about(&state.plan, &actor, &mentorings);
    Ok(DetailPage {
        failure_cases: failure_cases.await?,
        entries: entries.await?,
        cases: cases.await?,
        landed: landed.await?,
        mentorings: mentorings.await?,
        may_mentor: b.status != BusinessStatus::Closed
            && actor.may_open_mentoring(&state.plan, &b.street_code),
        nav: Nav::of(viewer, state),
        street: unit_name(state, &b.street_code),
        section: section_name(&b.section),
        forms: forms_text(b),
        statuses: choices(
            BusinessStatus::ALL
                .iter()
                .filter(|s| b.status.may_become(**s))
                .map(|s| (s.code().to_owned(), s.label().to_owned())),
            &form.status,
        ),
        may_write,
        adoptable,
        detail,
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
    let id = business_id(&id)?;
    let mut page = detail(&state, &viewer, id, ActionForm::default(), ("", Vec::new())).await?;
    page.saved = saved.saved == "1";
    Ok(page)
}

/// Runs one action of a business's page: back to the page, or the page again with the
/// action's errors beside its form.
async fn act(
    state: AppState,
    viewer: Viewer,
    id: String,
    form: ActionForm,
    which: &'static str,
) -> Result<Response, AppError> {
    viewer.check_csrf(&state, &form.csrf).await?;
    let id = business_id(&id)?;
    let (plan, actor, store) = (&state.plan, viewer.actor(), &state.store);
    let done = match which {
        "employment" => {
            let counted = (
                form.counted_on.as_str(),
                form.headcount.as_str(),
                form.insured.as_str(),
            );
            store
                .record_employment(plan, &actor, id, counted, &viewer.ip)
                .await
        }
        "status" => {
            let change = (
                form.status.as_str(),
                form.changed_on.as_str(),
                form.reason.as_str(),
            );
            store
                .change_business_status(plan, &actor, id, change, &viewer.ip)
                .await
        }
        _ => {
            store
                .adopt_project(plan, &actor, id, &form.project, &viewer.ip)
                .await
        }
    };
    match done {
        Ok(()) => {
            Ok(Redirect::to(&format!("/staff/businesses/{id}?saved=1#{which}")).into_response())
        }
        Err(linkong_store::Error::Fields(errors)) => {
            let page = detail(&state, &viewer, id, form, (which, errors)).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

async fn add_employment(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(form): Form<ActionForm>,
) -> Result<Response, AppError> {
    act(state, viewer, id, form, "employment").await
}

async fn change_status(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(form): Form<ActionForm>,
) -> Result<Response, AppError> {
    act(state, viewer, id, form, "status").await
}

async fn adopt(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(form): Form<ActionForm>,
) -> Result<Response, AppError> {
    act(state, viewer, id, form, "adopt").await
}

/// The returnee businesses the caller reaches.
#[derive(Serialize, ToSchema)]
struct BusinessList {
    total: usize,
    businesses: Vec<Business>,
}

/// Returnee businesses (返区创业主体), scoped like the page: a street's staff get only their
/// street's businesses. Founders' ID numbers are masked.
#[utoipa::path(
    get,
    path = "/api/v1/businesses",
    operation_id = "listBusinesses",
    tag = "returnees",
    params(
        ("street" = Option<String>, Query, description = "所在街道代码"),
        ("status" = Option<String>, Query, description = "经营状态：operating、suspended、closed"),
        ("q" = Option<String>, Query, description = "名称中的文字"),
    ),
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "返区创业主体", body = BusinessList),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "无权查看返区创业主体或该街道", body = ErrorBody),
        (status = 422, description = "参数有误", body = ErrorBody),
    )
)]
async fn api_list(
    State(state): State<AppState>,
    ApiViewer(viewer): ApiViewer,
    Query(query): Query<ListQuery>,
) -> Result<Json<BusinessList>, AppError> {
    let filter = query.filter(&state).map_err(AppError::BadRequest)?;
    let businesses = state
        .store
        .businesses(&state.plan, &viewer.actor(), &filter, &viewer.ip)
        .await?;
    Ok(Json(BusinessList {
        total: businesses.len(),
        businesses,
    }))
}
