//! Returnee services for unit staff: the year's start-up lectures and Malanhua classes with
//! their attendance (filling 2.2.1 and 2.2.2), and the five-ones per festival (2.1.4), each with
//! its form. Attendees and returnees are named by resident ID and checked against the registry.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use chrono::Datelike;
use linkong_core::field::FieldError;
use linkong_core::people::{FIVE_ONES, Festival, TrainingKind};
use linkong_store::returnees::{
    FestivalSummary, FiveOnesDraft, FiveOnesEntry, Training, TrainingDraft,
};
use serde::Deserialize;

use crate::auth::{Nav, Viewer};
use crate::view::unit_name;
use crate::view::{Choice, choices};
use crate::{AppError, AppState};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/people/returnees", get(page))
        .route("/people/returnees/trainings", post(add_training))
        .route("/people/returnees/five-ones", post(add_five_ones))
}

#[derive(Deserialize, Default)]
struct YearQuery {
    #[serde(default)]
    year: String,
    /// A household street: only its returnees' five-ones (2.1.4's drill-down).
    #[serde(default)]
    street: String,
    #[serde(default)]
    saved: String,
}

#[derive(Deserialize, Default, Clone)]
struct TrainingForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    held_on: String,
    #[serde(default)]
    place: String,
    #[serde(default)]
    speaker: String,
    #[serde(default)]
    attendees: String,
}

#[derive(Deserialize, Default, Clone)]
struct FiveOnesForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    id_number: String,
    #[serde(default)]
    year: String,
    #[serde(default)]
    festival: String,
    #[serde(default)]
    item0: String,
    #[serde(default)]
    item1: String,
    #[serde(default)]
    item2: String,
    #[serde(default)]
    item3: String,
    #[serde(default)]
    item4: String,
    #[serde(default)]
    served_on: String,
}

impl FiveOnesForm {
    fn items(&self) -> [bool; 5] {
        [
            &self.item0,
            &self.item1,
            &self.item2,
            &self.item3,
            &self.item4,
        ]
        .map(|v| v == "1")
    }
}

pub struct TrainingLine {
    pub training: Training,
    pub kind: &'static str,
    pub organiser: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "returnees.html")]
struct Page {
    nav: Nav,
    year: i32,
    years: Vec<i32>,
    saved: bool,
    trainings: Vec<TrainingLine>,
    lecture_times: i64,
    summaries: Vec<FestivalSummary>,
    entries: Vec<FiveOnesEntry>,
    /// The household street the five-ones are shown for, if one.
    street: Option<String>,
    items: [&'static str; 5],
    kinds: Vec<Choice>,
    festivals: Vec<Choice>,
    may_record: bool,
    training: TrainingForm,
    training_errors: Vec<FieldError>,
    five_ones: FiveOnesForm,
    five_ones_checked: [bool; 5],
    five_ones_errors: Vec<FieldError>,
    today: String,
}

/// The two forms as submitted, with what is wrong in each (empty on a fresh page).
#[derive(Default)]
struct Forms {
    training: TrainingForm,
    training_errors: Vec<FieldError>,
    five_ones: FiveOnesForm,
    five_ones_errors: Vec<FieldError>,
}

async fn render(
    state: &AppState,
    viewer: &Viewer,
    year: Option<i32>,
    saved: bool,
    forms: Forms,
) -> Result<Page, AppError> {
    let Forms {
        training,
        training_errors,
        five_ones,
        five_ones_errors,
    } = forms;
    let info = &state.plan.info;
    let year = year
        .unwrap_or_else(|| state.today().year())
        .clamp(info.first_year, info.last_year);
    let trainings: Vec<TrainingLine> = state
        .store
        .trainings_of_year(year)
        .await?
        .into_iter()
        .map(|t| TrainingLine {
            kind: TrainingKind::parse(&t.kind).map_or("", |k| k.label()),
            organiser: unit_name(state, &t.organiser),
            training: t,
        })
        .collect();
    let (summaries, entries) = state
        .store
        .five_ones_of_year(&state.plan, &viewer.actor(), year, None)
        .await?;
    Ok(Page {
        nav: Nav::of(viewer, state),
        year,
        years: (info.first_year..=info.last_year).collect(),
        saved,
        lecture_times: trainings
            .iter()
            .filter(|t| t.training.kind == TrainingKind::Lecture.code())
            .map(|t| t.training.attendees)
            .sum(),
        trainings,
        summaries,
        entries,
        street: None,
        items: FIVE_ONES,
        kinds: choices(
            TrainingKind::ALL
                .iter()
                .map(|k| (k.code().to_owned(), k.label().to_owned())),
            &training.kind,
        ),
        festivals: choices(
            Festival::ALL
                .iter()
                .map(|f| (f.code().to_owned(), f.label().to_owned())),
            &five_ones.festival,
        ),
        may_record: ["2.1.4", "2.2.1", "2.2.2"].iter().any(|task| {
            viewer
                .actor()
                .may_record_returnee_services(&state.plan, task)
        }),
        five_ones_checked: five_ones.items(),
        training,
        training_errors,
        five_ones,
        five_ones_errors,
        today: state.today().to_string(),
    })
}

async fn page(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<YearQuery>,
) -> Result<Page, AppError> {
    let year = match query.year.trim() {
        "" => None,
        text => Some(
            text.parse::<i32>()
                .map_err(|_| AppError::bad_request(format!("年度：“{text}”不是年份")))?,
        ),
    };
    let street = match query.street.trim() {
        "" => None,
        code => Some(
            state
                .plan
                .unit(code)
                .filter(|u| u.kind == linkong_core::plan::UnitKind::Street)
                .ok_or_else(|| AppError::bad_request(format!("户籍街道：未知的街道“{code}”")))?,
        ),
    };
    let mut page = render(&state, &viewer, year, query.saved == "1", Forms::default()).await?;
    if let Some(street) = street {
        let (summaries, entries) = state
            .store
            .five_ones_of_year(&state.plan, &viewer.actor(), page.year, Some(&street.code))
            .await?;
        page.summaries = summaries;
        page.entries = entries;
        page.street = Some(street.name.clone());
    }
    Ok(page)
}

async fn add_training(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(form): Form<TrainingForm>,
) -> Result<Response, AppError> {
    viewer.check_csrf(&state, &form.csrf).await?;
    let draft = TrainingDraft {
        kind: form.kind.clone(),
        title: form.title.clone(),
        held_on: form.held_on.clone(),
        place: form.place.clone(),
        speaker: form.speaker.clone(),
        attendees: form.attendees.clone(),
    };
    match state
        .store
        .record_training(&state.plan, &viewer.actor(), &draft, &viewer.ip)
        .await
    {
        Ok(_) => {
            let year = linkong_core::cells::parse_date(&form.held_on)
                .map(|d| d.year())
                .unwrap_or_default();
            Ok(
                Redirect::to(&format!("/people/returnees?year={year}&saved=1#trainings"))
                    .into_response(),
            )
        }
        Err(linkong_store::Error::Fields(errors)) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            render(
                &state,
                &viewer,
                None,
                false,
                Forms {
                    training: form,
                    training_errors: errors,
                    ..Forms::default()
                },
            )
            .await?,
        )
            .into_response()),
        Err(e) => Err(e.into()),
    }
}

async fn add_five_ones(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(form): Form<FiveOnesForm>,
) -> Result<Response, AppError> {
    viewer.check_csrf(&state, &form.csrf).await?;
    let draft = FiveOnesDraft {
        id_number: form.id_number.clone(),
        year: form.year.clone(),
        festival: form.festival.clone(),
        items: form.items(),
        served_on: form.served_on.clone(),
    };
    match state
        .store
        .record_five_ones(&state.plan, &viewer.actor(), &draft, &viewer.ip)
        .await
    {
        Ok(()) => Ok(Redirect::to(&format!(
            "/people/returnees?year={}&saved=1#five-ones",
            form.year.trim()
        ))
        .into_response()),
        Err(linkong_store::Error::Fields(errors)) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            render(
                &state,
                &viewer,
                None,
                false,
                Forms {
                    five_ones: form,
                    five_ones_errors: errors,
                    ..Forms::default()
                },
            )
            .await?,
        )
            .into_response()),
        Err(e) => Err(e.into()),
    }
}
