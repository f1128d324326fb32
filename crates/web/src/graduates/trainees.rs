//! The "就业见习/技能培训" section of a graduate's page (task 1.1.4): the graduate's
//! traineeships (their outcome recorded on the staff list's form) and skills-training courses,
//! and the forms in which their street or 区人社局 places them at a base or enrolls them in a
//! course; each also writes a 1131 "培训或见习" service. Refusals come back as a 422 naming the
//! field, on this page.

use axum::Form;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use linkong_core::traineeships::{CourseDraft, CourseResult, Outcome, TraineeshipDraft};
use linkong_store::graduates::GraduateEntry;
use linkong_store::traineeships::{CourseEntry, TraineeshipEntry};
use serde::Deserialize;

use super::{Forms as PageForms, detail, graduate_id};
use crate::auth::Viewer;
use crate::view::{Choice, choices, unit_name};
use crate::{AppError, AppState};

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/people/graduates/{id}/traineeships", post(add_traineeship))
        .route("/people/graduates/{id}/courses", post(add_course))
}

#[derive(Deserialize, Default, Clone)]
pub struct TraineeshipForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    pub base: String,
    #[serde(default)]
    pub starts_on: String,
    #[serde(default)]
    pub planned_end_on: String,
    #[serde(default)]
    pub ended_on: String,
    #[serde(default)]
    pub outcome: String,
}

#[derive(Deserialize, Default, Clone)]
pub struct CourseForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    pub course: String,
    #[serde(default)]
    pub provider: String,
    #[serde(default)]
    pub starts_on: String,
    #[serde(default)]
    pub ends_on: String,
    #[serde(default)]
    pub result: String,
    #[serde(default)]
    pub certificate: String,
}

/// The section's two forms as typed.
#[derive(Default)]
pub(super) struct Forms {
    traineeship: TraineeshipForm,
    course: CourseForm,
}

/// A traineeship or course line with the name of the unit that recorded it.
pub struct Recorded<T> {
    pub entry: T,
    pub unit: String,
}

/// What the section shows.
pub struct Section {
    pub traineeships: Vec<Recorded<TraineeshipEntry>>,
    pub courses: Vec<Recorded<CourseEntry>>,
    /// Whether the viewer may place and enroll this graduate.
    pub may_serve: bool,
    /// Active bases with places left this year.
    pub bases: Vec<Choice>,
    pub outcomes: Vec<Choice>,
    pub results: Vec<Choice>,
    pub traineeship: TraineeshipForm,
    pub course: CourseForm,
}

pub(super) async fn section(
    state: &AppState,
    viewer: &Viewer,
    entry: &GraduateEntry,
    forms: Forms,
) -> Result<Section, AppError> {
    let actor = viewer.actor();
    let (traineeships, courses) = state
        .store
        .graduate_trainee_records(&state.plan, &actor, entry.id, &viewer.ip)
        .await?;
    let year = linkong_core::progress::default_year(&state.plan, state.today());
    let bases = state.store.traineeship_bases(year).await?;
    let open = bases.into_iter().filter(|b| b.is_active() && b.left() > 0);
    let base_options = open.map(|b| {
        let street = unit_name(state, &b.street_code);
        let label = format!("{}（{street}，{year} 年余 {} 个）", b.name, b.left());
        (b.id.to_string(), label)
    });
    let Forms {
        traineeship,
        course,
    } = forms;
    Ok(Section {
        traineeships: traineeships
            .into_iter()
            .map(|t| Recorded {
                unit: unit_name(state, &t.unit_code),
                entry: t,
            })
            .collect(),
        courses: courses
            .into_iter()
            .map(|c| Recorded {
                unit: unit_name(state, &c.unit_code),
                entry: c,
            })
            .collect(),
        may_serve: actor.may_serve_graduate(&state.plan, &entry.street_code),
        bases: choices(base_options, &traineeship.base),
        outcomes: choices(
            Outcome::ALL
                .iter()
                .map(|o| (o.code().to_owned(), o.label().to_owned())),
            &traineeship.outcome,
        ),
        results: choices(
            CourseResult::ALL
                .iter()
                .map(|r| (r.code().to_owned(), r.label().to_owned())),
            &course.result,
        ),
        traineeship,
        course,
    })
}

/// Back to the graduate's page once written; else the page again with the section's forms as
/// typed and what is wrong (a 422).
async fn answered(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    recorded: linkong_store::Result<i64>,
    forms: Forms,
) -> Result<Response, AppError> {
    let errors = match recorded {
        Ok(_) => {
            let to = format!("/people/graduates/{id}?saved=1#trainees");
            return Ok(Redirect::to(&to).into_response());
        }
        Err(linkong_store::Error::Fields(errors)) => errors,
        Err(e) => return Err(e.into()),
    };
    let forms = PageForms {
        trainees: forms,
        ..PageForms::default()
    };
    let page = detail(state, viewer, id, forms, errors, false).await?;
    Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

async fn add_traineeship(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(form): Form<TraineeshipForm>,
) -> Result<Response, AppError> {
    viewer.check_csrf(&state, &form.csrf).await?;
    let id = graduate_id(&id)?;
    let draft = TraineeshipDraft {
        base: form.base.clone(),
        starts_on: form.starts_on.clone(),
        planned_end_on: form.planned_end_on.clone(),
        ended_on: form.ended_on.clone(),
        outcome: form.outcome.clone(),
    };
    let recorded = state
        .store
        .record_traineeship(&state.plan, &viewer.actor(), id, &draft, &viewer.ip)
        .await;
    let forms = Forms {
        traineeship: form,
        ..Forms::default()
    };
    answered(&state, &viewer, id, recorded, forms).await
}

async fn add_course(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(form): Form<CourseForm>,
) -> Result<Response, AppError> {
    viewer.check_csrf(&state, &form.csrf).await?;
    let id = graduate_id(&id)?;
    let draft = CourseDraft {
        course: form.course.clone(),
        provider: form.provider.clone(),
        starts_on: form.starts_on.clone(),
        ends_on: form.ends_on.clone(),
        result: form.result.clone(),
        certificate: form.certificate.clone(),
    };
    let recorded = state
        .store
        .record_graduate_course(&state.plan, &viewer.actor(), id, &draft, &viewer.ip)
        .await;
    let forms = Forms {
        course: form,
        ..Forms::default()
    };
    answered(&state, &viewer, id, recorded, forms).await
}
