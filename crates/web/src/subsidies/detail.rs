//! One application's page: its decision and trace (parameters, facts — those from the
//! registries marked — and each condition), its dated history with the deadline of the step it
//! waits for, the 公示 objections, the payment, and the forms of whoever acts next (the street,
//! the district unit, 区财政局).

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use linkong_core::field::FieldError;
use linkong_core::subsidies::{PaymentDraft, SubsidyStatus};
use linkong_store::subsidies::{Level, ReviewDraft, SubsidyDetail};
use serde::Deserialize;

use super::{Line, line, yuan};
use crate::auth::{Nav, Viewer};
use crate::view::unit_name;
use crate::{AppError, AppState};

#[derive(Template, WebTemplate)]
#[template(path = "subsidy.html")]
pub struct DetailPage {
    nav: Nav,
    l: Line,
    d: SubsidyDetail,
    counted_for: String,
    trace: Vec<String>,
    may_street: bool,
    may_district: bool,
    may_pay: bool,
    saved: bool,
    errors: Vec<FieldError>,
    /// What the payment form had typed, when it comes back with errors.
    pay_amount: String,
    pay_on: String,
}

#[derive(Deserialize, Default)]
pub struct DetailQuery {
    #[serde(default)]
    saved: String,
}

async fn detail_page(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    errors: Vec<FieldError>,
    typed: Option<&PaymentDraft>,
    saved: bool,
) -> Result<DetailPage, AppError> {
    let actor = viewer.actor();
    let d = state
        .store
        .subsidy(&state.calendar(), &actor, id, &viewer.ip)
        .await?;
    let a = &d.application;
    let status = a.status;
    Ok(DetailPage {
        nav: Nav::of(viewer, state),
        counted_for: unit_name(state, &a.counted_for),
        trace: d.decision.trace.lines(),
        may_street: status == SubsidyStatus::StreetReview
            && actor.may_review_subsidy_for_street(&a.street_code),
        may_district: actor.may_review_subsidy_for_district(a.category),
        may_pay: status == SubsidyStatus::Notice && actor.may_pay_subsidy(),
        saved,
        errors,
        pay_amount: typed.map_or_else(
            || yuan(a.amount_fen).trim_end_matches(" 元").replace(',', ""),
            |t| t.amount.clone(),
        ),
        pay_on: typed.map_or_else(|| state.today().to_string(), |t| t.paid_on.clone()),
        l: line(state, a.clone()),
        d,
    })
}

pub async fn page(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Query(query): Query<DetailQuery>,
) -> Result<DetailPage, AppError> {
    detail_page(
        &state,
        &viewer,
        id,
        Vec::new(),
        None,
        !query.saved.is_empty(),
    )
    .await
}

#[derive(Deserialize, Default)]
pub struct ReviewForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    level: String,
    #[serde(default)]
    verdict: String,
    #[serde(default)]
    note: String,
}

/// The street's or the district unit's review.
pub async fn review(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(form): Form<ReviewForm>,
) -> Result<Response, AppError> {
    viewer.check_csrf(&state, &form.csrf).await?;
    let level = match form.level.as_str() {
        "street" => Level::Street,
        "district" => Level::District,
        other => return Err(AppError::bad_request(format!("审核环节：“{other}”不存在"))),
    };
    let draft = ReviewDraft {
        verdict: form.verdict,
        note: form.note,
    };
    let saved = state
        .store
        .review_subsidy(
            &state.calendar(),
            &viewer.actor(),
            id,
            level,
            &draft,
            &viewer.ip,
        )
        .await;
    let to = format!("/staff/subsidies/{id}?saved=1");
    crate::error::saved_or_again(saved, &to, |errors| {
        detail_page(&state, &viewer, id, errors, None, false)
    })
    .await
}

#[derive(Deserialize, Default)]
pub struct AnswerForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    upheld: String,
    #[serde(default)]
    answer: String,
}

/// The district unit's answer to an objection.
pub async fn answer(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, objection)): Path<(i64, i64)>,
    Form(form): Form<AnswerForm>,
) -> Result<Response, AppError> {
    viewer.check_csrf(&state, &form.csrf).await?;
    let saved = state
        .store
        .answer_objection(
            &state.calendar(),
            &viewer.actor(),
            id,
            objection,
            &form.upheld,
            &form.answer,
            &viewer.ip,
        )
        .await;
    let to = format!("/staff/subsidies/{id}?saved=1");
    crate::error::saved_or_again(saved, &to, |errors| {
        detail_page(&state, &viewer, id, errors, None, false)
    })
    .await
}

#[derive(Deserialize, Default)]
pub struct PayForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    amount: String,
    #[serde(default)]
    paid_on: String,
    #[serde(default)]
    account: String,
}

/// 区财政局's payment.
pub async fn pay(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(form): Form<PayForm>,
) -> Result<Response, AppError> {
    viewer.check_csrf(&state, &form.csrf).await?;
    let draft = PaymentDraft {
        amount: form.amount,
        paid_on: form.paid_on,
        account: form.account,
    };
    let saved = state
        .store
        .pay_subsidy(&state.calendar(), &viewer.actor(), id, &draft, &viewer.ip)
        .await;
    let to = format!("/staff/subsidies/{id}?saved=1");
    let typed = PaymentDraft {
        account: String::new(),
        ..draft
    };
    let page = crate::error::saved_or_again(saved, &to, |errors| {
        detail_page(&state, &viewer, id, errors, Some(&typed), false)
    })
    .await?;
    Ok(page.into_response())
}
