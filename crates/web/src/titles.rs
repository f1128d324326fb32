//! Returnee title evaluation (职称评审申报, task 2.4.4) in the staff console: the applications
//! at `/staff/titles` (by forwarded year and recording unit, applicants' IDs masked) with the
//! form in which a unit of 2.4.4 records one it forwarded; `/staff/titles/{id}` shows one with
//! the form of the committee's result. Who records and reads is decided in core and enforced
//! by the store.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use linkong_core::field::FieldError;
use linkong_core::titles::{ApplicationDraft, ResultDraft, TitleLevel, TitleResult, TitleSeries};
use linkong_store::titles::TitleApplication;
use serde::Deserialize;

use crate::auth::{Nav, Viewer};
use crate::view::{Choice, ListQuery, SavedQuery, form_status, unit_name, vocabulary};
use crate::{AppError, AppState};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/staff/titles", get(list_page).post(create))
        .route("/staff/titles/{id}", get(detail_page))
        .route("/staff/titles/{id}/result", post(record_result))
}

#[derive(Deserialize, Default, Clone)]
struct ApplicationForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    id_number: String,
    #[serde(default)]
    series: String,
    #[serde(default)]
    speciality: String,
    #[serde(default)]
    level: String,
    #[serde(default)]
    submitted_on: String,
    #[serde(default)]
    committee: String,
    #[serde(default)]
    forwarded_on: String,
}

impl ApplicationForm {
    fn draft(&self) -> ApplicationDraft {
        ApplicationDraft {
            id_number: self.id_number.clone(),
            series: self.series.clone(),
            speciality: self.speciality.clone(),
            level: self.level.clone(),
            submitted_on: self.submitted_on.clone(),
            committee: self.committee.clone(),
            forwarded_on: self.forwarded_on.clone(),
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "staff_titles.html")]
struct ListPage {
    nav: Nav,
    query: ListQuery,
    years: Vec<i32>,
    applications: Vec<(TitleApplication, String)>,
    passed: usize,
    /// The unit the viewer records for, if any.
    unit: Option<String>,
    series: Vec<Choice>,
    levels: Vec<Choice>,
    form: ApplicationForm,
    today: String,
    errors: Vec<FieldError>,
}

async fn page(
    state: &AppState,
    viewer: &Viewer,
    query: ListQuery,
    form: ApplicationForm,
    errors: Vec<FieldError>,
) -> Result<Response, AppError> {
    let (year, unit) = query.filter_as(state, "受理单位")?;
    let (plan, actor) = (&state.plan, viewer.actor());
    let unit_recording = actor.titles_unit(plan).map(|u| unit_name(state, u));
    let rows = if actor.title_scope(plan) == linkong_core::access::TitleScope::Nothing {
        Vec::new()
    } else {
        let asked = unit.as_deref();
        state
            .store
            .title_applications(plan, &actor, year, asked, &viewer.ip)
            .await?
    };
    let applications: Vec<(TitleApplication, String)> = rows
        .into_iter()
        .map(|a| {
            let name = unit_name(state, &a.unit_code);
            (a, name)
        })
        .collect();
    let page = ListPage {
        nav: Nav::of(viewer, state),
        years: plan.years().collect(),
        passed: applications
            .iter()
            .filter(|(a, _)| a.result == TitleResult::Passed)
            .count(),
        applications,
        unit: unit_recording,
        series: vocabulary(
            TitleSeries::ALL.iter().map(|s| (s.code(), s.label())),
            &form.series,
        ),
        levels: vocabulary(
            TitleLevel::ALL.iter().map(|l| (l.code(), l.label())),
            &form.level,
        ),
        form,
        query,
        today: state.today().to_string(),
        errors,
    };
    Ok((form_status(&page.errors), page).into_response())
}

async fn list_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<ListQuery>,
) -> Result<Response, AppError> {
    let form = ApplicationForm {
        forwarded_on: state.today().to_string(),
        ..ApplicationForm::default()
    };
    page(&state, &viewer, query, form, Vec::new()).await
}

/// A unit of 2.4.4 records an application it forwarded; wrong fields come back as a 422
/// naming them, nothing written.
async fn create(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(form): Form<ApplicationForm>,
) -> Result<Response, AppError> {
    viewer.check_csrf(&state, &form.csrf).await?;
    let recorded = state
        .store
        .record_title_application(&state.plan, &viewer.actor(), &form.draft(), &viewer.ip)
        .await;
    let again =
        |errors| async move { page(&state, &viewer, ListQuery::default(), form, errors).await };
    crate::view::saved_or_again(recorded, |id| format!("/staff/titles/{id}?saved=1"), again).await
}

#[derive(Deserialize, Default, Clone)]
struct ResultForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    result: String,
    #[serde(default)]
    obtained_on: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "staff_title.html")]
struct DetailPage {
    nav: Nav,
    app: TitleApplication,
    unit: String,
    /// May the viewer record the result?
    keeps: bool,
    results: Vec<Choice>,
    form: ResultForm,
    saved: bool,
    today: String,
    errors: Vec<FieldError>,
}

async fn detail(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    form: Option<ResultForm>,
    errors: Vec<FieldError>,
    saved: bool,
) -> Result<Response, AppError> {
    let (plan, actor) = (&state.plan, viewer.actor());
    let app = state
        .store
        .title_application(plan, &actor, id, &viewer.ip)
        .await?;
    let form = form.unwrap_or_else(|| ResultForm {
        result: app.result.code().to_owned(),
        obtained_on: app.obtained_on.map(|d| d.to_string()).unwrap_or_default(),
        ..ResultForm::default()
    });
    let page = DetailPage {
        nav: Nav::of(viewer, state),
        unit: unit_name(state, &app.unit_code),
        keeps: actor.may_keep_titles_of(plan, &app.unit_code),
        results: vocabulary(
            TitleResult::ALL.iter().map(|r| (r.code(), r.label())),
            &form.result,
        ),
        app,
        form,
        saved,
        today: state.today().to_string(),
        errors,
    };
    Ok((form_status(&page.errors), page).into_response())
}

async fn detail_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Query(query): Query<SavedQuery>,
) -> Result<Response, AppError> {
    detail(&state, &viewer, id, None, Vec::new(), query.saved == "1").await
}

/// The recording unit records the committee's result; wrong fields come back as a 422 naming
/// them, nothing written; another unit is refused.
async fn record_result(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(form): Form<ResultForm>,
) -> Result<Response, AppError> {
    viewer.check_csrf(&state, &form.csrf).await?;
    let draft = ResultDraft {
        result: form.result.clone(),
        obtained_on: form.obtained_on.clone(),
    };
    let recorded = state
        .store
        .record_title_result(&state.plan, &viewer.actor(), id, &draft, &viewer.ip)
        .await;
    match recorded {
        Ok(()) => Ok(Redirect::to(&format!("/staff/titles/{id}?saved=1")).into_response()),
        Err(linkong_store::Error::Fields(errors)) => {
            detail(&state, &viewer, id, Some(form), errors, false).await
        }
        Err(e) => Err(e.into()),
    }
}
