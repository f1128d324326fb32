//! The JSON API (`/api/v1`): the plan with its quotas, and progress for a year. Each handler
//! carries its OpenAPI annotation and is registered through `routes!` (see [`crate::openapi`]).

use axum::Json;
use axum::extract::{Query, State};
use linkong_core::plan::Plan;
use linkong_core::progress::IndicatorProgress;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::ApiViewer;
use crate::openapi::ErrorBody;
use crate::view::{YearQuery, year_of};
use crate::{AppError, AppState};

pub fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(plan))
        .routes(routes!(progress))
}

/// The plan is a published government document: anyone may read it.
/// Amounts (targets, quotas) are in the indicator's own measure (个, 场, 万元, %).
#[utoipa::path(
    get,
    path = "/api/v1/plan",
    operation_id = "getPlan",
    tag = "plan",
    responses((status = 200, description = "行动方案：单位、任务、指标及各单位分解指标", body = Plan))
)]
async fn plan(State(state): State<AppState>) -> Json<Plan> {
    Json(state.plan.as_ref().clone())
}

#[derive(Serialize, ToSchema)]
struct ProgressResponse {
    year: i32,
    /// The day the figures stand on (today in Wuhan).
    as_of: chrono::NaiveDate,
    indicators: Vec<IndicatorProgress>,
}

/// Every indicator's figures for a year: district and per unit, completion, pro-rata progress
/// (序时进度) and status.
#[utoipa::path(
    get,
    path = "/api/v1/progress",
    operation_id = "getProgress",
    tag = "plan",
    params(("year" = Option<i32>, Query, description = "方案年度（默认当年）", example = 2025)),
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "各指标的完成情况", body = ProgressResponse),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 422, description = "年份不在方案年度内", body = ErrorBody),
    )
)]
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
