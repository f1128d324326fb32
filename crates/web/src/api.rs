//! The JSON API (`/api/v1`): the plan with its quotas, and progress for a year.

use axum::extract::{Query, State};
use axum::routing::get;
use axum::{Json, Router};
use linkong_core::plan::Plan;
use linkong_core::progress::IndicatorProgress;
use serde::Serialize;

use crate::auth::ApiViewer;
use crate::view::{YearQuery, year_of};
use crate::{AppError, AppState};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/plan", get(plan))
        .route("/api/v1/progress", get(progress))
}

/// The plan is a published government document: anyone may read it.
/// Amounts (targets, quotas) are in the indicator's own measure (个, 场, 万元, %).
async fn plan(State(state): State<AppState>) -> Json<Plan> {
    Json(state.plan.as_ref().clone())
}

#[derive(Serialize)]
struct ProgressResponse {
    year: i32,
    as_of: chrono::NaiveDate,
    indicators: Vec<IndicatorProgress>,
}

async fn progress(
    State(state): State<AppState>,
    ApiViewer(_viewer): ApiViewer,
    Query(query): Query<YearQuery>,
) -> Result<Json<ProgressResponse>, AppError> {
    let year = year_of(&state, &query)?;
    let indicators = state.store.progress(&state.plan, year).await?;
    Ok(Json(ProgressResponse {
        year,
        as_of: state.today(),
        indicators,
    }))
}
