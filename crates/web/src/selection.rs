//! The yearly selection round of returnee start-up projects (2.5.2) in the staff console: the
//! round's entries with the units' checklist, the recommendation form (a unit recommends for
//! itself, a street only its own street's businesses), an entry's page where the lead of its
//! route shortlists it or not and records the outcome, and the sending of a route's shortlist
//! upward. Who may do what is decided in core and enforced by the store.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use linkong_core::access::CaseScope;
use linkong_core::businesses::BusinessStatus;
use linkong_core::field::FieldError;
use linkong_core::selection::{EntryDraft, EntryStatus, EntryStep, Route, round_checklist};
use linkong_store::businesses::BusinessFilter;
use linkong_store::selection::{EntryFilter, SelectionEntry};
use serde::Deserialize;

use crate::auth::{Nav, Viewer};
use crate::view::{
    Choice, YearLink, YearQuery, choices, forms_text, section_name, unit_name, year_links, year_of,
};
use crate::{AppError, AppState};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/staff/selection", get(list_page).post(create))
        .route("/staff/selection/new", get(new_page))
        .route("/staff/selection/send", post(send_up))
        .route("/staff/selection/{id}", get(detail_page))
        .route("/staff/selection/{id}/move", post(move_entry))
}

/// An entry as lists and its page show it.
pub struct Line {
    pub entry: SelectionEntry,
    pub street: String,
    pub recommender: String,
    pub lead: String,
    pub forms: String,
    pub section: String,
}

fn line(state: &AppState, entry: SelectionEntry) -> Line {
    Line {
        street: unit_name(state, &entry.street_code),
        recommender: unit_name(state, &entry.recommender),
        lead: unit_name(state, entry.route.lead()),
        forms: forms_text(&entry.forms),
        section: section_name(&entry.section),
        entry,
    }
}

#[derive(Deserialize, Default, Clone)]
pub struct ListQuery {
    #[serde(default)]
    year: Option<String>,
    #[serde(default)]
    route: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    unit: String,
    #[serde(default)]
    sent: String,
}

impl ListQuery {
    /// The store's filter for `year`, or the first wrong field.
    fn filter(&self, state: &AppState, year: i32) -> Result<EntryFilter, String> {
        let route = match self.route.trim() {
            "" => None,
            text => Some(Route::parse(text).map_err(|e| format!("归口：{e}"))?),
        };
        let status = match self.status.trim() {
            "" => None,
            text => Some(EntryStatus::parse(text).map_err(|e| format!("遴选状态：{e}"))?),
        };
        let recommender = match self.unit.trim() {
            "" => None,
            code if state.plan.unit(code).is_some() => Some(code.to_owned()),
            code => return Err(format!("推荐单位：“{code}”不存在")),
        };
        Ok(EntryFilter {
            year: Some(year),
            route,
            status,
            recommender,
            ..EntryFilter::default()
        })
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "staff_selection.html")]
struct ListPage {
    nav: Nav,
    year: i32,
    years: Vec<YearLink>,
    query: ListQuery,
    routes: Vec<Choice>,
    statuses: Vec<Choice>,
    error: Option<String>,
    lines: Vec<Line>,
    /// Each recommending unit with its entries this year (shown to whole-district readers).
    checklist: Vec<(String, usize)>,
    may_recommend: bool,
    /// The route the viewer leads, if any: its shortlist is sent up from this page.
    leads: Option<Route>,
    send_errors: Vec<FieldError>,
    today: String,
}

async fn list(
    state: &AppState,
    viewer: &Viewer,
    query: ListQuery,
    send_errors: Vec<FieldError>,
) -> Result<ListPage, AppError> {
    let year = year_of(
        state,
        &YearQuery {
            year: query.year.clone(),
            saved: None,
        },
    )?;
    let (actor, plan) = (viewer.actor(), &state.plan);
    let mut page = ListPage {
        nav: Nav::of(viewer, state),
        year,
        years: year_links(plan, year),
        routes: choices(
            Route::ALL
                .iter()
                .map(|r| (r.code().to_owned(), r.label().to_owned())),
            &query.route,
        ),
        statuses: choices(
            EntryStatus::ALL
                .iter()
                .map(|s| (s.code().to_owned(), s.label().to_owned())),
            &query.status,
        ),
        error: None,
        lines: Vec::new(),
        checklist: Vec::new(),
        may_recommend: actor.selection_recommender(plan).is_some(),
        leads: Route::ALL
            .iter()
            .copied()
            .find(|r| actor.may_lead_selection(plan, *r)),
        send_errors,
        today: state.today().to_string(),
        query: query.clone(),
    };
    match query.filter(state, year) {
        Ok(filter) => {
            let entries = state
                .store
                .selection_entries(plan, &actor, &filter, &viewer.ip)
                .await?;
            if actor.selection_scope(plan) == CaseScope::All && query.unit.trim().is_empty() {
                let units: Vec<&str> = entries.iter().map(|e| e.recommender.as_str()).collect();
                page.checklist = round_checklist(plan, &units)
                    .into_iter()
                    .map(|(u, n)| (unit_name(state, u), n))
                    .collect();
            }
            page.lines = entries.into_iter().map(|e| line(state, e)).collect();
        }
        Err(message) => page.error = Some(message),
    }
    Ok(page)
}

async fn list_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<ListQuery>,
) -> Result<ListPage, AppError> {
    list(&state, &viewer, query, Vec::new()).await
}

#[derive(Deserialize, Default, Clone)]
pub struct EntryForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    business: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    reason: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "selection_form.html")]
struct FormPage {
    nav: Nav,
    /// The unit the viewer recommends for; none: the page says who recommends.
    unit: Option<String>,
    businesses: Vec<Choice>,
    form: EntryForm,
    errors: Vec<FieldError>,
}

/// The form, with the businesses the viewer reaches that still trade.
async fn form_page(
    state: &AppState,
    viewer: &Viewer,
    form: EntryForm,
    errors: Vec<FieldError>,
) -> Result<Response, AppError> {
    let (actor, plan) = (viewer.actor(), &state.plan);
    let unit = actor.selection_recommender(plan);
    let businesses = match unit {
        Some(_) => state
            .store
            .businesses(plan, &actor, &BusinessFilter::default(), &viewer.ip)
            .await?
            .into_iter()
            .filter(|b| b.status != BusinessStatus::Closed)
            .map(|b| {
                let founder = b.founders.first().map_or("", |f| f.name.as_str());
                let street = unit_name(state, &b.street_code);
                (
                    b.id.to_string(),
                    format!("{}（{street}，{founder}）", b.name),
                )
            })
            .collect(),
        None => Vec::new(),
    };
    let page = FormPage {
        nav: Nav::of(viewer, state),
        unit: unit.map(|u| unit_name(state, u)),
        businesses: choices(businesses.into_iter(), &form.business),
        form,
        errors,
    };
    let status = if page.errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok((status, page).into_response())
}

async fn new_page(State(state): State<AppState>, viewer: Viewer) -> Result<Response, AppError> {
    form_page(&state, &viewer, EntryForm::default(), Vec::new()).await
}

async fn create(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(form): Form<EntryForm>,
) -> Result<Response, AppError> {
    viewer.check_csrf(&state, &form.csrf).await?;
    let draft = EntryDraft {
        business: form.business.clone(),
        title: form.title.clone(),
        reason: form.reason.clone(),
    };
    match state
        .store
        .recommend_project(&state.plan, &viewer.actor(), &draft, &viewer.ip)
        .await
    {
        Ok(id) => Ok(Redirect::to(&format!("/staff/selection/{id}?saved=1")).into_response()),
        Err(linkong_store::Error::Fields(errors)) => form_page(&state, &viewer, form, errors).await,
        Err(e) => Err(e.into()),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "staff_selection_entry.html")]
struct DetailPage {
    nav: Nav,
    line: Line,
    may_lead: bool,
    note: String,
    errors: Vec<FieldError>,
    saved: bool,
}

fn entry_id(text: &str) -> Result<i64, AppError> {
    text.parse::<i64>()
        .map_err(|_| AppError::not_found("该遴选项目不存在"))
}

async fn detail(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    note: String,
    errors: Vec<FieldError>,
) -> Result<DetailPage, AppError> {
    let actor = viewer.actor();
    let entry = state
        .store
        .selection_entry(&state.plan, &actor, id, &viewer.ip)
        .await?;
    Ok(DetailPage {
        nav: Nav::of(viewer, state),
        may_lead: actor.may_lead_selection(&state.plan, entry.route),
        line: line(state, entry),
        note,
        errors,
        saved: false,
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
    let mut page = detail(&state, &viewer, entry_id(&id)?, String::new(), Vec::new()).await?;
    page.saved = saved.saved == "1";
    Ok(page)
}

#[derive(Deserialize, Default)]
struct MoveForm {
    #[serde(default)]
    csrf: String,
    /// shortlist, pass, selected or not_selected.
    #[serde(default)]
    action: String,
    #[serde(default)]
    note: String,
}

async fn move_entry(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(form): Form<MoveForm>,
) -> Result<Response, AppError> {
    viewer.check_csrf(&state, &form.csrf).await?;
    let id = entry_id(&id)?;
    let note = form.note.clone();
    let step = match form.action.as_str() {
        "shortlist" => EntryStep::Shortlist,
        "pass" => EntryStep::Pass { note },
        "selected" | "not_selected" => EntryStep::Outcome {
            selected: form.action == "selected",
            note,
        },
        other => return Err(AppError::bad_request(format!("操作：“{other}”不存在"))),
    };
    match state
        .store
        .move_selection_entry(&state.plan, &viewer.actor(), id, &step, &viewer.ip)
        .await
    {
        Ok(()) => Ok(Redirect::to(&format!("/staff/selection/{id}?saved=1")).into_response()),
        Err(linkong_store::Error::Fields(errors)) => {
            let page = detail(&state, &viewer, id, form.note, errors).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize, Default)]
struct SendForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    year: String,
    #[serde(default)]
    route: String,
    #[serde(default)]
    sent_on: String,
}

async fn send_up(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(form): Form<SendForm>,
) -> Result<Response, AppError> {
    viewer.check_csrf(&state, &form.csrf).await?;
    let year = year_of(
        &state,
        &YearQuery {
            year: Some(form.year.clone()),
            saved: None,
        },
    )?;
    let route =
        Route::parse(&form.route).map_err(|e| AppError::bad_request(format!("归口：{e}")))?;
    let query = ListQuery {
        year: Some(year.to_string()),
        route: route.code().into(),
        ..ListQuery::default()
    };
    match state
        .store
        .send_shortlist_up(
            &state.plan,
            &viewer.actor(),
            (year, route),
            &form.sent_on,
            &viewer.ip,
        )
        .await
    {
        Ok(sent) => Ok(Redirect::to(&format!(
            "/staff/selection?year={year}&route={}&sent={sent}",
            route.code()
        ))
        .into_response()),
        Err(linkong_store::Error::Fields(errors)) => {
            let page = list(&state, &viewer, query, errors).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}
