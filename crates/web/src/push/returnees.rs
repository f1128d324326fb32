//! The returnees' push list (plan 2.5.4 "结合返区人员技能水平、求职需求，主动推送岗位信息"; issue
//! 16): for a street, every resident of the out-migrant registry who wants to come back to work
//! (返区就业) with the open posts and gigs that fit them best and why; the officer ticks posts to
//! push (a gig is shown but not pushed). The same list as a workbook. Who reaches which street,
//! and who may push, is decided in core and the store.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Router};
use linkong_app::workbook::Cell;
use linkong_store::pushes::ReturneeLine;

use super::{Of, PushQuery, push_ticked, refusal};
use crate::auth::{Nav, Viewer};
use crate::view::{Choice, MatchLine, choices, match_line, streets, unit_name};
use crate::{AppError, AppState};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/people/migrants/push", get(list_page).post(push))
        .route("/people/migrants/push.xlsx", get(list_xlsx))
}

/// A returnee on the list: the suggestions, and whether the viewer may push to them.
struct Line {
    person_id: i64,
    name: String,
    street: String,
    occupation: String,
    skills: String,
    returned: bool,
    may_push: bool,
    matches: Vec<MatchLine>,
}

#[derive(Template, WebTemplate)]
#[template(path = "push_returnees.html")]
struct ListPage {
    nav: Nav,
    street: String,
    n: usize,
    streets: Vec<Choice>,
    lines: Vec<Line>,
    pushed: Option<usize>,
    error: Option<String>,
}

/// The returnees' push list asked for.
async fn lines_of(
    state: &AppState,
    viewer: &Viewer,
    (street, n): (Option<&str>, usize),
) -> Result<Vec<ReturneeLine>, AppError> {
    Ok(state
        .store
        .returnee_push_list(
            &state.plan,
            &viewer.actor(),
            street,
            n,
            &state.matching,
            &viewer.ip,
        )
        .await?)
}

async fn render(
    state: &AppState,
    viewer: &Viewer,
    (street, n): (Option<&str>, usize),
    pushed: Option<usize>,
    error: Option<String>,
) -> Result<ListPage, AppError> {
    let actor = viewer.actor();
    let lines = lines_of(state, viewer, (street, n)).await?;
    let street = street.unwrap_or_default().to_owned();
    Ok(ListPage {
        nav: Nav::of(viewer, state),
        n,
        streets: choices(streets(state), &street),
        street,
        lines: lines
            .into_iter()
            .map(|line| Line {
                may_push: actor.may_serve_graduate(&state.plan, &line.street_code),
                person_id: line.person_id,
                street: unit_name(state, &line.street_code),
                name: line.name,
                occupation: line.occupation,
                skills: line.skills,
                returned: line.returned_on.is_some(),
                matches: line
                    .matches
                    .into_iter()
                    .map(|m| match_line(state, m))
                    .collect(),
            })
            .collect(),
        pushed,
        error,
    })
}

async fn list_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<PushQuery>,
) -> Result<ListPage, AppError> {
    let (street, n) = query.street_and_n(&state)?;
    let pushed = query.pushed.parse::<usize>().ok();
    render(&state, &viewer, (street.as_deref(), n), pushed, None).await
}

/// Pushes the ticked posts (`push=PERSON:POST`, repeated), all or none.
async fn push(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let (street, n) = PushQuery::of_form(&state, &viewer, &form)
        .await?
        .street_and_n(&state)?;
    let street = street.as_deref();
    let refused = match push_ticked(&state, &viewer, Of::Returnees, &form).await? {
        Ok(count) => {
            let back = format!(
                "/people/migrants/push?street={}&n={n}&pushed={count}",
                street.unwrap_or("")
            );
            return Ok(Redirect::to(&back).into_response());
        }
        Err(refused) => refusal(refused)?,
    };
    let page = render(&state, &viewer, (street, n), None, Some(refused)).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

/// The returnees' push list as a workbook: one row per returnee and suggested post or gig.
async fn list_xlsx(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<PushQuery>,
) -> Result<Response, AppError> {
    let (street, n) = query.street_and_n(&state)?;
    let lines = lines_of(&state, &viewer, (street.as_deref(), n)).await?;
    let mut rows = Vec::new();
    for line in &lines {
        for (rank, m) in line.matches.iter().cloned().enumerate() {
            let m = match_line(&state, m);
            let id = m.post_id.map_or(String::new(), |id| format!("#{id} "));
            rows.push(vec![
                Cell::Text(line.name.clone()),
                Cell::Text(unit_name(&state, &line.street_code)),
                Cell::Text(format!("{} · {}", line.occupation, line.skills)),
                Cell::Number((rank + 1) as f64),
                Cell::Text(m.kind.to_owned()),
                Cell::Text(format!("{id}{}", m.title)),
                Cell::Text(m.offered_by),
                Cell::Text(m.street),
                Cell::Text(m.pay),
                Cell::Number(m.score),
                Cell::Text(m.reasons),
            ]);
        }
    }
    let headers = [
        ("姓名", 10.0),
        ("户籍街道", 12.0),
        ("职业（工种） · 技能特长", 26.0),
        ("序", 5.0),
        ("类别", 8.0),
        ("推荐岗位", 26.0),
        ("发布方", 26.0),
        ("工作街道", 12.0),
        ("薪酬", 14.0),
        ("匹配度", 8.0),
        ("匹配理由", 48.0),
    ];
    let title = "返区求职人员岗位推送清单";
    let bytes = linkong_app::workbook::table("推送清单", title, &headers, &rows);
    crate::download::download("push-list-returnees.xlsx", bytes)
}
