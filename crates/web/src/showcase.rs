//! Showcase cases of returnee start-ups (2.5.3) in the staff console: the list, the form in
//! which a street or 区农业农村局 recommends a business's founder with the story, the photos and
//! the founder's consent, and a case's page where 区人社局 collects it, nominates it to "武汉
//! 返乡创业之星" and records the outcome, and 区委宣传部 / 区融媒体中心 put it on the portal.
//! Who may do what is decided in core and enforced by the store.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{DefaultBodyLimit, Multipart, Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use linkong_core::businesses::BusinessStatus;
use linkong_core::field::FieldError;
use linkong_core::showcase::{CaseDraft, CaseStatus, ConsentScope, MAX_PHOTO_BYTES, MAX_PHOTOS};
use linkong_store::businesses::BusinessFilter;
use linkong_store::evidence::EvidenceUpload;
use linkong_store::showcase::{CaseAction, CaseFilter, ShowcaseCase};
use serde::Deserialize;

use crate::auth::{Nav, Viewer};
use crate::view::{
    Choice, YearLink, YearQuery, choices, forms_text, unit_name, year_links, year_of,
};
use crate::{AppError, AppState};

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/staff/showcase",
            get(list_page).post(create).layer(DefaultBodyLimit::max(
                MAX_PHOTOS * MAX_PHOTO_BYTES + 512 * 1024,
            )),
        )
        .route("/staff/showcase/new", get(new_page))
        .route("/staff/showcase/{id}", get(detail_page))
        .route("/staff/showcase/{id}/move", post(move_case))
        .route("/staff/showcase/{id}/publish", post(publish))
        .route("/staff/showcase/{id}/photos/{n}", get(photo))
}

/// A case as lists and its page show it.
pub struct Line {
    pub case: ShowcaseCase,
    pub street: String,
    pub recommender: String,
    pub forms: String,
    pub publisher: String,
}

fn line(state: &AppState, case: ShowcaseCase) -> Line {
    Line {
        street: unit_name(state, &case.street_code),
        recommender: unit_name(state, &case.recommender),
        forms: forms_text(&case.forms),
        publisher: case
            .published_by
            .as_deref()
            .map(|u| unit_name(state, u))
            .unwrap_or_default(),
        case,
    }
}

#[derive(Deserialize, Default, Clone)]
pub struct ListQuery {
    #[serde(default)]
    year: Option<String>,
    #[serde(default)]
    status: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "staff_showcase.html")]
struct ListPage {
    nav: Nav,
    year: i32,
    years: Vec<YearLink>,
    statuses: Vec<Choice>,
    error: Option<String>,
    lines: Vec<Line>,
    may_recommend: bool,
}

async fn list_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<ListQuery>,
) -> Result<ListPage, AppError> {
    let year = year_of(
        &state,
        &YearQuery {
            year: query.year.clone(),
            saved: None,
        },
    )?;
    let (actor, plan) = (viewer.actor(), &state.plan);
    let mut page = ListPage {
        nav: Nav::of(&viewer, &state),
        year,
        years: year_links(plan, year),
        statuses: choices(
            CaseStatus::ALL
                .iter()
                .map(|s| (s.code().to_owned(), s.label().to_owned())),
            &query.status,
        ),
        error: None,
        lines: Vec::new(),
        may_recommend: actor.showcase_recommender(plan).is_some(),
    };
    let status = match query.status.trim() {
        "" => Ok(None),
        text => CaseStatus::parse(text)
            .map(Some)
            .map_err(|e| format!("案例状态：{e}")),
    };
    match status {
        Ok(status) => {
            let filter = CaseFilter {
                year: Some(year),
                status,
                ..CaseFilter::default()
            };
            let cases = state
                .store
                .showcase_cases(plan, &actor, &filter, &viewer.ip)
                .await?;
            page.lines = cases.into_iter().map(|c| line(&state, c)).collect();
        }
        Err(message) => page.error = Some(message),
    }
    Ok(page)
}

#[derive(Template, WebTemplate)]
#[template(path = "showcase_form.html")]
struct FormPage {
    nav: Nav,
    /// The unit the viewer recommends for; none: the page says who recommends.
    unit: Option<String>,
    /// One option per business and founder, valued `business:founder`.
    picks: Vec<Choice>,
    draft: CaseDraft,
    scopes: Vec<(&'static str, &'static str, bool)>,
    max_photos: usize,
    errors: Vec<FieldError>,
    today: String,
}

/// The form, with the founders of the businesses the viewer reaches that still trade.
async fn form_page(
    state: &AppState,
    viewer: &Viewer,
    draft: CaseDraft,
    errors: Vec<FieldError>,
) -> Result<Response, AppError> {
    let (actor, plan) = (viewer.actor(), &state.plan);
    let unit = actor.showcase_recommender(plan);
    let mut picks = Vec::new();
    if unit.is_some() {
        let businesses = state
            .store
            .businesses(plan, &actor, &BusinessFilter::default(), &viewer.ip)
            .await?;
        for b in businesses
            .iter()
            .filter(|b| b.status != BusinessStatus::Closed)
        {
            let street = unit_name(state, &b.street_code);
            for f in &b.founders {
                let value = format!("{}:{}", b.id, f.person_id);
                picks.push((value, format!("{} · {}（{street}）", f.name, b.name)));
            }
        }
    }
    let pick = format!("{}:{}", draft.business, draft.founder);
    let page = FormPage {
        nav: Nav::of(viewer, state),
        unit: unit.map(|u| unit_name(state, u)),
        picks: choices(picks.into_iter(), &pick),
        scopes: ConsentScope::ALL
            .iter()
            .map(|s| {
                (
                    s.code(),
                    s.label(),
                    draft.consent_scopes.iter().any(|c| c == s.code()),
                )
            })
            .collect(),
        max_photos: MAX_PHOTOS,
        draft,
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
    form_page(&state, &viewer, CaseDraft::default(), Vec::new()).await
}

/// The form's fields and photos as sent (the CSRF token beside them).
async fn received(
    multipart: &mut Multipart,
) -> Result<(String, CaseDraft, Vec<EvidenceUpload>), AppError> {
    let unreadable = |_| {
        AppError::bad_request(format!(
            "照片：表单数据不完整或文件过大（每张不超过 {} MB）",
            MAX_PHOTO_BYTES / 1024 / 1024
        ))
    };
    let (mut csrf, mut draft, mut photos) = (String::new(), CaseDraft::default(), Vec::new());
    while let Some(field) = multipart.next_field().await.map_err(unreadable)? {
        let name = field.name().unwrap_or("").to_owned();
        if name == "photos" {
            let file_name = field.file_name().unwrap_or("").to_owned();
            let bytes = field.bytes().await.map_err(unreadable)?;
            if !(bytes.is_empty() && file_name.is_empty()) {
                photos.push(EvidenceUpload {
                    file_name,
                    bytes: bytes.to_vec(),
                });
            }
            continue;
        }
        let text = field.text().await.map_err(unreadable)?;
        match name.as_str() {
            "csrf" => csrf = text,
            "pick" => {
                let (business, founder) = text.split_once(':').unwrap_or((&text, ""));
                draft.business = business.to_owned();
                draft.founder = founder.to_owned();
            }
            "title" => draft.title = text,
            "story" => draft.story = text,
            "consent_by" => draft.consent_by = text,
            "consent_on" => draft.consent_on = text,
            "consent_scope" => draft.consent_scopes.push(text),
            _ => {}
        }
    }
    Ok((csrf, draft, photos))
}

async fn create(
    State(state): State<AppState>,
    viewer: Viewer,
    mut multipart: Multipart,
) -> Result<Response, AppError> {
    let (csrf, draft, photos) = received(&mut multipart).await?;
    viewer.check_csrf(&state, &csrf).await?;
    match state
        .store
        .recommend_case(&state.plan, &viewer.actor(), &draft, photos, &viewer.ip)
        .await
    {
        Ok(id) => Ok(Redirect::to(&format!("/staff/showcase/{id}?saved=1")).into_response()),
        Err(linkong_store::Error::Fields(errors)) => {
            form_page(&state, &viewer, draft, errors).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "staff_showcase_case.html")]
struct DetailPage {
    nav: Nav,
    line: Line,
    may_lead: bool,
    may_publish: bool,
    form: MoveForm,
    errors: Vec<FieldError>,
    saved: bool,
    today: String,
}

fn case_id(text: &str) -> Result<i64, AppError> {
    text.parse::<i64>()
        .map_err(|_| AppError::not_found("该典型案例不存在"))
}

async fn detail(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    form: MoveForm,
    errors: Vec<FieldError>,
) -> Result<DetailPage, AppError> {
    let actor = viewer.actor();
    let case = state
        .store
        .showcase_case(&state.plan, &actor, id, &viewer.ip)
        .await?;
    Ok(DetailPage {
        nav: Nav::of(viewer, state),
        may_lead: actor.may_lead_showcase(&state.plan),
        may_publish: actor.may_publish_showcase(&state.plan),
        line: line(state, case),
        form,
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
    let id = case_id(&id)?;
    let mut page = detail(&state, &viewer, id, MoveForm::default(), Vec::new()).await?;
    page.saved = saved.saved == "1";
    Ok(page)
}

#[derive(Deserialize, Default)]
struct MoveForm {
    #[serde(default)]
    csrf: String,
    /// collect, nominate, starred or not_starred; publish or unpublish.
    #[serde(default)]
    action: String,
    #[serde(default)]
    nominated_on: String,
    #[serde(default)]
    note: String,
}

/// Back to the case, or its page again with the step's errors.
async fn after_step(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    done: linkong_store::Result<()>,
    form: MoveForm,
) -> Result<Response, AppError> {
    match done {
        Ok(()) => Ok(Redirect::to(&format!("/staff/showcase/{id}?saved=1")).into_response()),
        Err(linkong_store::Error::Fields(errors)) => {
            let page = detail(state, viewer, id, form, errors).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

async fn move_case(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(form): Form<MoveForm>,
) -> Result<Response, AppError> {
    viewer.check_csrf(&state, &form.csrf).await?;
    let id = case_id(&id)?;
    let action = match form.action.as_str() {
        "collect" => CaseAction::Collect,
        "nominate" => CaseAction::Nominate {
            on: &form.nominated_on,
        },
        "starred" | "not_starred" => CaseAction::Outcome {
            starred: form.action == "starred",
            note: &form.note,
        },
        other => return Err(AppError::bad_request(format!("操作：“{other}”不存在"))),
    };
    let done = state
        .store
        .move_showcase_case(&state.plan, &viewer.actor(), id, action, &viewer.ip)
        .await;
    after_step(&state, &viewer, id, done, form).await
}

async fn publish(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(form): Form<MoveForm>,
) -> Result<Response, AppError> {
    viewer.check_csrf(&state, &form.csrf).await?;
    let id = case_id(&id)?;
    let publish = match form.action.as_str() {
        "publish" => true,
        "unpublish" => false,
        other => return Err(AppError::bad_request(format!("操作：“{other}”不存在"))),
    };
    let done = state
        .store
        .publish_showcase_case(&state.plan, &viewer.actor(), id, publish, &viewer.ip)
        .await;
    after_step(&state, &viewer, id, done, form).await
}

async fn photo(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, n)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let id = case_id(&id)?;
    let n = n
        .parse::<i64>()
        .map_err(|_| AppError::not_found("该照片不存在"))?;
    let (media_type, bytes) = state
        .store
        .case_photo(&state.plan, &viewer.actor(), (id, n), &viewer.ip)
        .await?;
    Ok((
        [
            (header::CONTENT_TYPE, media_type),
            (header::CACHE_CONTROL, "private, max-age=3600".to_owned()),
        ],
        bytes,
    )
        .into_response())
}
