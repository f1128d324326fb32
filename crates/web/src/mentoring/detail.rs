//! A mentoring's page: what it is, its plan of milestones (each reached on a day), its visits,
//! its financing contacts and its end, each with its form for those who keep it. A form's errors
//! come back beside that form.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use linkong_core::field::FieldError;
use linkong_core::mentoring::{
    EndDraft, FinancingDraft, FinancingResult, MentoringStatus, MilestoneDraft, Outcome, VisitDraft,
};
use linkong_store::mentoring::MentoringDetail;
use serde::Deserialize;

use super::{Line, line};
use crate::auth::{Nav, Viewer};
use crate::format::amount;
use crate::view::{Choice, choices};
use crate::{AppError, AppState};

#[derive(Template, WebTemplate)]
#[template(path = "staff_mentoring_detail.html")]
pub(super) struct DetailPage {
    nav: Nav,
    line: Line,
    detail: MentoringDetail,
    /// Financing contacts as shown: (date, funder, amount in 万元, result).
    financing: Vec<(String, String, String, &'static str)>,
    running: bool,
    may_keep: bool,
    may_fund: bool,
    results: Vec<Choice>,
    outcomes: Vec<Choice>,
    form: EntryForm,
    /// Which form the errors belong to: milestone, reached, visit, financing or end.
    errors_of: &'static str,
    errors: Vec<FieldError>,
    saved: bool,
    today: String,
    /// The selection entry's or showcase case's page it was chosen from, if any.
    chosen_from: Option<String>,
}

fn mentoring_id(text: &str) -> Result<i64, AppError> {
    text.parse::<i64>()
        .map_err(|_| AppError::not_found("该跟踪陪跑不存在"))
}

async fn detail(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    form: EntryForm,
    (errors_of, errors): (&'static str, Vec<FieldError>),
) -> Result<DetailPage, AppError> {
    let (actor, plan) = (viewer.actor(), &state.plan);
    let detail = state.store.mentoring(plan, &actor, id, &viewer.ip).await?;
    let m = &detail.mentoring;
    let chosen_from = match (m.selection_entry_id, m.showcase_case_id) {
        (Some(entry), _) => Some(format!("/staff/selection/{entry}")),
        (None, Some(case)) => Some(format!("/staff/showcase/{case}")),
        (None, None) => None,
    };
    let vocabulary = |all: Vec<(&str, &str)>, selected: &str| {
        choices(
            all.into_iter().map(|(c, l)| (c.to_owned(), l.to_owned())),
            selected,
        )
    };
    Ok(DetailPage {
        nav: Nav::of(viewer, state),
        running: m.status == MentoringStatus::Active,
        may_keep: actor.may_keep_mentoring(plan, &m.opened_by),
        may_fund: actor.may_record_financing(plan, &m.opened_by, m.fund_joins),
        financing: detail
            .financing
            .iter()
            .map(|f| {
                let sought = amount(f.amount);
                (
                    f.contacted_on.to_string(),
                    f.funder.clone(),
                    sought,
                    f.result.label(),
                )
            })
            .collect(),
        results: vocabulary(
            FinancingResult::ALL
                .iter()
                .map(|r| (r.code(), r.label()))
                .collect(),
            &form.result,
        ),
        outcomes: vocabulary(
            Outcome::ALL.iter().map(|o| (o.code(), o.label())).collect(),
            &form.outcome,
        ),
        line: line(state, m.clone()),
        detail,
        form,
        errors_of,
        errors,
        saved: false,
        today: state.today().to_string(),
        chosen_from,
    })
}

#[derive(Deserialize, Default)]
pub(super) struct Saved {
    #[serde(default)]
    saved: String,
}

pub(super) async fn page(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(saved): Query<Saved>,
) -> Result<DetailPage, AppError> {
    let id = mentoring_id(&id)?;
    let form = EntryForm::default();
    let mut page = detail(&state, &viewer, id, form, ("", Vec::new())).await?;
    page.saved = saved.saved == "1";
    Ok(page)
}

/// Every form of the page in one: each sends only its own fields.
#[derive(Deserialize, Default)]
pub(super) struct EntryForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    due_on: String,
    #[serde(default)]
    done_on: String,
    #[serde(default)]
    visited_on: String,
    #[serde(default)]
    visitor: String,
    #[serde(default)]
    problems_raised: String,
    #[serde(default)]
    problems_solved: String,
    #[serde(default)]
    contacted_on: String,
    #[serde(default)]
    funder: String,
    #[serde(default)]
    amount: String,
    #[serde(default)]
    result: String,
    #[serde(default)]
    outcome: String,
    #[serde(default)]
    ended_on: String,
    #[serde(default)]
    note: String,
}

/// Back to the mentoring, or its page again with the form's errors beside it (422).
async fn after(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    (done, errors_of): (linkong_store::Result<()>, &'static str),
    form: EntryForm,
) -> Result<Response, AppError> {
    match done {
        Ok(()) => {
            Ok(Redirect::to(&format!("/staff/mentoring/{id}?saved=1#{errors_of}")).into_response())
        }
        Err(linkong_store::Error::Fields(errors)) => {
            let page = detail(state, viewer, id, form, (errors_of, errors)).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

pub(super) async fn add_milestone(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(form): Form<EntryForm>,
) -> Result<Response, AppError> {
    viewer.check_csrf(&state, &form.csrf).await?;
    let id = mentoring_id(&id)?;
    let draft = MilestoneDraft {
        title: form.title.clone(),
        due_on: form.due_on.clone(),
    };
    let done = state
        .store
        .add_milestone(&state.plan, &viewer.actor(), id, &draft, &viewer.ip)
        .await;
    after(&state, &viewer, id, (done, "milestone"), form).await
}

pub(super) async fn reach_milestone(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, milestone)): Path<(String, String)>,
    Form(form): Form<EntryForm>,
) -> Result<Response, AppError> {
    viewer.check_csrf(&state, &form.csrf).await?;
    let id = mentoring_id(&id)?;
    let milestone = milestone
        .parse::<i64>()
        .map_err(|_| AppError::not_found("该节点不存在"))?;
    let done = state
        .store
        .reach_milestone(
            &state.plan,
            &viewer.actor(),
            (id, milestone),
            &form.done_on,
            &viewer.ip,
        )
        .await;
    after(&state, &viewer, id, (done, "milestone"), form).await
}

pub(super) async fn log_visit(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(form): Form<EntryForm>,
) -> Result<Response, AppError> {
    viewer.check_csrf(&state, &form.csrf).await?;
    let id = mentoring_id(&id)?;
    let draft = VisitDraft {
        visited_on: form.visited_on.clone(),
        visitor: form.visitor.clone(),
        problems_raised: form.problems_raised.clone(),
        problems_solved: form.problems_solved.clone(),
    };
    let done = state
        .store
        .log_mentoring_visit(&state.plan, &viewer.actor(), id, &draft, &viewer.ip)
        .await;
    after(&state, &viewer, id, (done, "visit"), form).await
}

pub(super) async fn record_financing(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(form): Form<EntryForm>,
) -> Result<Response, AppError> {
    viewer.check_csrf(&state, &form.csrf).await?;
    let id = mentoring_id(&id)?;
    let draft = FinancingDraft {
        contacted_on: form.contacted_on.clone(),
        funder: form.funder.clone(),
        amount: form.amount.clone(),
        result: form.result.clone(),
    };
    let done = state
        .store
        .record_financing_contact(&state.plan, &viewer.actor(), id, &draft, &viewer.ip)
        .await;
    after(&state, &viewer, id, (done, "financing"), form).await
}

pub(super) async fn end(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(form): Form<EntryForm>,
) -> Result<Response, AppError> {
    viewer.check_csrf(&state, &form.csrf).await?;
    let id = mentoring_id(&id)?;
    let draft = EndDraft {
        outcome: form.outcome.clone(),
        ended_on: form.ended_on.clone(),
        note: form.note.clone(),
    };
    let done = state
        .store
        .end_mentoring(&state.plan, &viewer.actor(), id, &draft, &viewer.ip)
        .await;
    after(&state, &viewer, id, (done, "end"), form).await
}
