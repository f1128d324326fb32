//! Recruitment events: the public list and detail page with the posts on offer, and the form
//! where a unit's staff record an event they held (it counts toward 1.1.2 and 2.5.4 at once).

mod promotion;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Router};
use chrono::Datelike;
use linkong_core::events::EventKind;
use linkong_core::field::FieldError;
use linkong_store::events::{EventDetail, EventDraft, RecruitmentEvent};
use serde::Deserialize;

use crate::auth::{MaybeViewer, Nav, Viewer};
use crate::jobs::{PortalNav, salary_text};
use crate::view::Choice;
use crate::{AppError, AppState};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/events", get(list_page))
        .route("/events/{id}", get(detail_page))
        .route("/staff/events", get(form_page).post(create))
        .merge(promotion::router())
}

/// The events' JSON routes: a promotion event's invitations.
pub fn api() -> utoipa_axum::router::OpenApiRouter<AppState> {
    promotion::api()
}

pub struct EventRow {
    pub event: RecruitmentEvent,
    pub kind: &'static str,
    pub organiser: String,
    /// Where it is held: 区内, or the province and city elsewhere (marked when coastal).
    pub venue: String,
}

/// Where an event is held, in words.
fn venue_text(event: &RecruitmentEvent) -> String {
    match (&event.away_province, &event.away_city) {
        (Some(province), Some(city)) if event.coastal => {
            format!("{province}{city}（沿海经济发达地区）")
        }
        (Some(province), Some(city)) => format!("{province}{city}"),
        _ => "东西湖区内".into(),
    }
}

pub fn event_row(state: &AppState, event: RecruitmentEvent) -> EventRow {
    EventRow {
        venue: venue_text(&event),
        kind: event.kind.label(),
        organiser: state
            .plan
            .unit(&event.organiser)
            .map_or(event.organiser.clone(), |u| u.name.clone()),
        event,
    }
}

#[derive(Deserialize, Default)]
struct YearQuery {
    #[serde(default)]
    year: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "events.html")]
struct ListPage {
    portal: PortalNav,
    year: i32,
    years: Vec<i32>,
    events: Vec<EventRow>,
    upcoming: Vec<EventRow>,
}

async fn list_page(
    State(state): State<AppState>,
    viewer: MaybeViewer,
    Query(query): Query<YearQuery>,
) -> Result<ListPage, AppError> {
    let plan = &state.plan.info;
    let year = match query.year.trim() {
        "" => state.today().year().clamp(plan.first_year, plan.last_year),
        text => text
            .parse::<i32>()
            .ok()
            .filter(|y| (plan.first_year..=plan.last_year).contains(y))
            .ok_or_else(|| {
                AppError::bad_request(format!(
                    "年份：须为 {}—{} 之间的年份（收到“{text}”）",
                    plan.first_year, plan.last_year
                ))
            })?,
    };
    let list = state.store.event_list(year, state.today()).await?;
    let rows = |events: Vec<RecruitmentEvent>| -> Vec<EventRow> {
        events.into_iter().map(|e| event_row(&state, e)).collect()
    };
    Ok(ListPage {
        portal: PortalNav::of(&viewer),
        year,
        years: (plan.first_year..=plan.last_year).collect(),
        upcoming: rows(list.upcoming_promotions),
        events: rows(list.events),
    })
}

pub struct PostLine {
    pub id: i64,
    pub title: String,
    pub employer: String,
    pub salary: String,
    pub positions: i64,
}

#[derive(Template, WebTemplate)]
#[template(path = "event.html")]
struct DetailPage {
    portal: PortalNav,
    row: EventRow,
    employers: Vec<(i64, String)>,
    posts: Vec<PostLine>,
}

async fn detail_page(
    State(state): State<AppState>,
    viewer: MaybeViewer,
    Path(id): Path<String>,
) -> Result<DetailPage, AppError> {
    let id = id
        .parse::<i64>()
        .map_err(|_| AppError::not_found("该招聘活动不存在"))?;
    let EventDetail {
        event,
        employers,
        posts,
    } = state.store.event(id).await?;
    Ok(DetailPage {
        portal: PortalNav::of(&viewer),
        row: event_row(&state, event),
        employers,
        posts: posts
            .into_iter()
            .map(|p| PostLine {
                id: p.id,
                salary: salary_text(p.salary_min, p.salary_max),
                title: p.title,
                employer: p.employer_name,
                positions: p.positions,
            })
            .collect(),
    })
}

#[derive(Deserialize, Default, Clone)]
struct EventForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    organiser: String,
    #[serde(default)]
    held_on: String,
    #[serde(default)]
    online: String,
    #[serde(default)]
    place: String,
    /// "1": held outside the district.
    #[serde(default)]
    away: String,
    #[serde(default)]
    province: String,
    #[serde(default)]
    city: String,
    #[serde(default)]
    coastal: String,
    #[serde(default)]
    attendance: String,
    #[serde(default)]
    intentions: String,
    #[serde(default)]
    note: String,
    /// Post ids, separated by commas or spaces.
    #[serde(default)]
    posts: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "event_form.html")]
struct FormPage {
    nav: Nav,
    form: EventForm,
    kinds: Vec<Choice>,
    units: Vec<Choice>,
    errors: Vec<FieldError>,
}

fn render_form(
    state: &AppState,
    viewer: &Viewer,
    mut form: EventForm,
    errors: Vec<FieldError>,
) -> Response {
    if form.organiser.is_empty() {
        form.organiser = viewer.user.unit_code.clone().unwrap_or_default();
    }
    let page = FormPage {
        nav: Nav::of(viewer, state),
        kinds: EventKind::ALL
            .iter()
            .map(|k| Choice {
                value: k.code().into(),
                label: k.label().into(),
                selected: k.code() == form.kind,
            })
            .collect(),
        units: state
            .plan
            .units
            .iter()
            .filter(|u| {
                viewer.user.unit_code.is_none() || viewer.user.unit_code.as_deref() == Some(&u.code)
            })
            .map(|u| Choice {
                value: u.code.clone(),
                label: u.name.clone(),
                selected: u.code == form.organiser,
            })
            .collect(),
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

#[derive(Deserialize, Default)]
struct KindQuery {
    #[serde(default)]
    kind: String,
}

async fn form_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<KindQuery>,
) -> Response {
    let form = EventForm {
        kind: query.kind,
        ..EventForm::default()
    };
    render_form(&state, &viewer, form, Vec::new())
}

async fn create(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(form): Form<EventForm>,
) -> Result<Response, AppError> {
    viewer.check_csrf(&state, &form.csrf).await?;
    let mut errors = Vec::new();
    let post_ids: Vec<i64> = form
        .posts
        .split(|c: char| c == ',' || c == '，' || c.is_whitespace())
        .filter(|s| !s.is_empty())
        .filter_map(|s| match s.parse::<i64>() {
            Ok(id) => Some(id),
            Err(_) => {
                errors.push(FieldError {
                    field: "参与岗位",
                    message: format!("“{s}”不是岗位编号"),
                });
                None
            }
        })
        .collect();
    if !errors.is_empty() {
        return Ok(render_form(&state, &viewer, form, errors));
    }
    let mut employer_ids = Vec::new();
    for id in &post_ids {
        if let Some(post) = state.store.job_post(*id).await? {
            employer_ids.push(post.employer_id);
        }
    }
    let draft = EventDraft {
        kind: form.kind.clone(),
        title: form.title.clone(),
        organiser: form.organiser.clone(),
        held_on: form.held_on.clone(),
        online: form.online == "1",
        place: form.place.clone(),
        away: form.away == "1",
        province: form.province.clone(),
        city: form.city.clone(),
        coastal: form.coastal == "1",
        attendance: form.attendance.clone(),
        intentions: form.intentions.clone(),
        note: form.note.clone(),
        employer_ids,
        post_ids,
    };
    match state
        .store
        .save_event(&viewer.actor(), &state.plan, &draft, &viewer.ip)
        .await
    {
        // A promotion event goes on to its staff page, where people are invited.
        Ok(id) if EventKind::parse(&draft.kind).is_ok_and(EventKind::is_promotion) => {
            Ok(Redirect::to(&format!("/staff/events/{id}")).into_response())
        }
        Ok(id) => Ok(Redirect::to(&format!("/events/{id}")).into_response()),
        Err(linkong_store::Error::Fields(errors)) => Ok(render_form(&state, &viewer, form, errors)),
        Err(e) => Err(e.into()),
    }
}
