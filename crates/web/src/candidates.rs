//! An employer's candidates for one of its open posts (issue 16 item 3): the applicants who
//! consented to be found, best fit first, with reasons and masked contacts, and an invitation
//! to apply that reaches the candidate's portal messages. Who may see them is the store's call.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use linkong_store::pushes::Candidate;
use serde::Deserialize;

use crate::auth::{Nav, Viewer};
use crate::{AppError, AppState};

/// Candidates listed per post.
const SHOWN: usize = 20;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/employer/posts/{id}/candidates", get(page))
        .route("/employer/posts/{id}/invite", post(invite))
        .route("/posts/{id}/candidates", get(page))
        .route("/posts/{id}/invite", post(invite))
}

#[derive(Template, WebTemplate)]
#[template(path = "candidates.html")]
struct Page {
    nav: Nav,
    post_id: i64,
    title: String,
    base: &'static str,
    candidates: Vec<Candidate>,
    invited: bool,
}

#[derive(Deserialize, Default)]
struct Shown {
    #[serde(default)]
    invited: String,
}

fn base(viewer: &Viewer) -> &'static str {
    if viewer.user.role == linkong_core::access::Role::Employer {
        "/employer/posts"
    } else {
        "/posts"
    }
}

async fn page(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Query(shown): Query<Shown>,
) -> Result<Page, AppError> {
    let post = state
        .store
        .job_post_for(&viewer.actor(), id, &viewer.ip)
        .await?;
    let candidates = state
        .store
        .post_candidates(&state.plan, &viewer.actor(), id, &state.matching, SHOWN)
        .await?;
    Ok(Page {
        nav: Nav::of(&viewer, &state),
        post_id: id,
        title: post.title,
        base: base(&viewer),
        candidates,
        invited: shown.invited == "1",
    })
}

#[derive(Deserialize)]
struct InviteForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    applicant_id: String,
}

async fn invite(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(form): Form<InviteForm>,
) -> Result<Response, AppError> {
    viewer.check_csrf(&state, &form.csrf).await?;
    let applicant =
        form.applicant_id.trim().parse::<i64>().map_err(|_| {
            AppError::bad_request(format!("候选人：无法识别“{}”", form.applicant_id))
        })?;
    state
        .store
        .invite_candidate(
            &state.plan,
            &viewer.actor(),
            (id, applicant),
            &state.matching,
            &viewer.ip,
        )
        .await?;
    Ok(Redirect::to(&format!("{}/{id}/candidates?invited=1", base(&viewer))).into_response())
}
