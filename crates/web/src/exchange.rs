//! The municipal platform's read endpoints beside the plan, progress and reports (issue 15
//! item 9): every registry's aggregates by unit, month and quarter, generically over
//! `Registry::ALL` (see `linkong_store::exchange`). Aggregates only: a token of scope
//! `aggregates` reads them.

use axum::Json;
use axum::extract::{Path, Query, State};
use chrono::NaiveDate;
use linkong_core::registry::Registry;
use linkong_store::exchange::RegistryAggregates;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::ApiViewer;
use crate::openapi::ErrorBody;
use crate::view::{YearQuery, year_of};
use crate::{AppError, AppState};

pub fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(registries))
        .routes(routes!(registry))
}

/// A year, and the day the figures stand on.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AsOfQuery {
    /// 方案年度（默认当年）
    #[param(example = 2025)]
    #[serde(default)]
    pub year: Option<String>,
    /// 截至日期（默认今天；晚于今天按今天），写作 2025-09-30
    #[param(example = "2025-09-30")]
    #[serde(default)]
    pub as_of: Option<String>,
}

impl AsOfQuery {
    /// The year and day asked for; a wrong one is a 422 naming the parameter.
    pub fn read(&self, state: &AppState) -> Result<(i32, NaiveDate), AppError> {
        let year = year_of(
            state,
            &YearQuery {
                year: self.year.clone(),
                saved: None,
            },
        )?;
        let today = state.today();
        let as_of = match self
            .as_of
            .as_deref()
            .map(str::trim)
            .filter(|d| !d.is_empty())
        {
            None => today,
            Some(text) => NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| {
                AppError::bad_request(format!("截至日期：须写作 2025-09-30（收到“{text}”）"))
            })?,
        };
        Ok((year, as_of.min(today)))
    }
}

/// Every registry's figures of a year: per plan indicator it fills, per unit and for the
/// district, by month, quarter and year — from the tallies the dashboard reads.
#[utoipa::path(
    get,
    path = "/api/v1/registries",
    operation_id = "listRegistryAggregates",
    tag = "exchange",
    params(AsOfQuery),
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "各台账按责任单位、月份和季度的汇总", body = Vec<RegistryAggregates>),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "该账户不能使用接口", body = ErrorBody),
        (status = 422, description = "年份或截至日期有误", body = ErrorBody),
    )
)]
async fn registries(
    State(state): State<AppState>,
    ApiViewer(_viewer): ApiViewer,
    Query(query): Query<AsOfQuery>,
) -> Result<Json<Vec<RegistryAggregates>>, AppError> {
    let (year, as_of) = query.read(&state)?;
    let all = state
        .store
        .registry_aggregates(&state.plan, year, as_of)
        .await?;
    Ok(Json(all))
}

/// One registry's figures of a year, by its code (`loans.issued`, `events.campus_fair` …).
#[utoipa::path(
    get,
    path = "/api/v1/registries/{code}",
    operation_id = "getRegistryAggregates",
    tag = "exchange",
    params(
        ("code" = String, Path, description = "台账代码，见 /api/v1/registries", example = "loans.issued"),
        AsOfQuery,
    ),
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "该台账按责任单位、月份和季度的汇总", body = RegistryAggregates),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "该账户不能使用接口", body = ErrorBody),
        (status = 404, description = "没有这个台账", body = ErrorBody),
        (status = 422, description = "年份或截至日期有误", body = ErrorBody),
    )
)]
async fn registry(
    State(state): State<AppState>,
    ApiViewer(_viewer): ApiViewer,
    Path(code): Path<String>,
    Query(query): Query<AsOfQuery>,
) -> Result<Json<RegistryAggregates>, AppError> {
    let Some(registry) = Registry::parse(&code) else {
        return Err(AppError::not_found(format!("台账“{code}”不存在")));
    };
    let (year, as_of) = query.read(&state)?;
    let all = state
        .store
        .registry_aggregates(&state.plan, year, as_of)
        .await?;
    all.into_iter()
        .find(|r| r.registry == registry.code())
        .map(Json)
        .ok_or_else(|| AppError::not_found(format!("台账“{code}”不存在")))
}
