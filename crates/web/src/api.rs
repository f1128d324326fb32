//! The JSON API (`/api/v1`): the plan with its quotas, and progress for a year (as of a day). Each handler
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
use crate::exchange::AsOfQuery;
use crate::openapi::ErrorBody;
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
    /// The day the figures stand on (today in Wuhan, or the `as_of` asked for).
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
    params(AsOfQuery),
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "各指标的完成情况", body = ProgressResponse),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "该账户不能使用接口", body = ErrorBody),
        (status = 422, description = "年份不在方案年度内，或截至日期有误", body = ErrorBody),
    )
)]
async fn progress(
    State(state): State<AppState>,
    ApiViewer(_viewer): ApiViewer,
    Query(query): Query<AsOfQuery>,
) -> Result<Json<ProgressResponse>, AppError> {
    let (year, as_of) = query.read(&state)?;
    let indicators = state.store.progress_as_of(&state.plan, year, as_of).await?;
    Ok(Json(ProgressResponse {
        year,
        as_of,
        indicators,
    }))
}
