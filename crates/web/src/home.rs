//! The public home at `/`: one door for graduates, returnees and employers — job search,
//! recruitment and promotion events, the returnee start-up pages — with staff sign-in as a
//! link (until issue 13 `/` opened the staff login).

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::State;
use axum::routing::get;
use chrono::NaiveDate;

use crate::auth::MaybeViewer;
use crate::view::{PortalNav, unit_name};
use crate::{AppError, AppState};

/// How many coming events the home page lists.
const COMING_EVENTS: i64 = 5;

pub fn router() -> Router<AppState> {
    Router::new().route("/", get(home))
}

/// A coming event as the home page lists it.
struct ComingEvent {
    id: i64,
    title: String,
    kind: &'static str,
    held_on: NaiveDate,
    place: String,
    organiser: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "home.html")]
struct HomePage {
    portal: PortalNav,
    events: Vec<ComingEvent>,
}

async fn home(State(state): State<AppState>, viewer: MaybeViewer) -> Result<HomePage, AppError> {
    let events = state
        .store
        .coming_events(state.today(), COMING_EVENTS)
        .await?
        .into_iter()
        .map(|e| ComingEvent {
            id: e.id,
            title: e.title,
            kind: e.kind.label(),
            held_on: e.held_on,
            place: if e.online { "线上".into() } else { e.place },
            organiser: unit_name(&state, &e.organiser),
        })
        .collect();
    Ok(HomePage {
        portal: PortalNav::of(&viewer),
        events,
    })
}
