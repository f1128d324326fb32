//! The start-up contest on the public portal (/contest, task 1.2.3): the current edition, its
//! tracks and its awarded projects — names of projects and schools only, no person data —
//! phone first and without login.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::State;
use axum::routing::get;
use linkong_store::contest::PublicContest;

use crate::auth::MaybeViewer;
use crate::view::PortalNav;
use crate::{AppError, AppState};

pub fn router() -> Router<AppState> {
    Router::new().route("/contest", get(contest_page))
}

#[derive(Template, WebTemplate)]
#[template(path = "contest.html")]
struct ContestPage {
    portal: PortalNav,
    contest: Option<PublicContest>,
}

async fn contest_page(
    State(state): State<AppState>,
    viewer: MaybeViewer,
) -> Result<ContestPage, AppError> {
    Ok(ContestPage {
        portal: PortalNav::of(&viewer),
        contest: state.store.public_contest().await?,
    })
}
