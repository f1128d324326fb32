//! The steering's JSON API, for the municipal platform and the units' own tools: supervision
//! items (a unit's staff see their own unit's, the task force every unit's) and the joint
//! meetings' minutes with their frozen figures and decisions. Nothing here is about a person.

use axum::Json;
use axum::extract::{Path, Query, State};
use chrono::NaiveDate;
use linkong_store::steering::{Meeting, SupervisionItem};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::ApiViewer;
use crate::openapi::ErrorBody;
use crate::{AppError, AppState};

pub fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(api_supervision))
        .routes(routes!(api_meetings))
        .routes(routes!(api_meeting))
}

#[derive(Deserialize, Default)]
struct SupervisionQuery {
    #[serde(default)]
    unit: String,
    #[serde(default)]
    open: String,
}

/// The supervision items.
#[derive(Serialize, ToSchema)]
struct ApiSupervision {
    items: Vec<SupervisionItem>,
}

/// Supervision items (督办事项), newest first: the unit, indicator, problem, required action,
/// time limit in working days and due date, the unit's response, closure, and whether the item
/// is overdue today. A unit's staff read their own unit's; the task force every unit's.
#[utoipa::path(
    get,
    path = "/api/v1/steering/supervision",
    operation_id = "listSupervisionItems",
    tag = "steering",
    params(
        ("unit" = Option<String>, Query, description = "被督办单位代码"),
        ("open" = Option<String>, Query, description = "填 1 只列未办结的事项"),
    ),
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "督办事项", body = ApiSupervision),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "无权查看", body = ErrorBody),
        (status = 422, description = "参数有误", body = ErrorBody),
    )
)]
async fn api_supervision(
    State(state): State<AppState>,
    ApiViewer(viewer): ApiViewer,
    Query(query): Query<SupervisionQuery>,
) -> Result<Json<ApiSupervision>, AppError> {
    let unit = crate::view::optional_unit(&state, "被督办单位", &query.unit)?;
    let open_only = match query.open.trim() {
        "" | "0" => false,
        "1" => true,
        other => {
            let why = format!("未办结：请填 1 或留空（收到“{other}”）");
            return Err(AppError::bad_request(why));
        }
    };
    let items = state
        .store
        .supervision_items(&viewer.actor(), unit.as_deref(), open_only, &viewer.ip)
        .await?;
    Ok(Json(ApiSupervision { items }))
}

/// A joint meeting in the list.
#[derive(Serialize, ToSchema)]
struct MeetingSummary {
    id: i64,
    held_on: NaiveDate,
    /// The quarter it reviewed, e.g. 2025Q3.
    quarter: String,
    chair: String,
}

/// The meetings.
#[derive(Serialize, ToSchema)]
struct ApiMeetings {
    meetings: Vec<MeetingSummary>,
}

/// The joint meetings (联席会议), newest first. For the task force and every unit's staff.
#[utoipa::path(
    get,
    path = "/api/v1/steering/meetings",
    operation_id = "listMeetings",
    tag = "steering",
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "联席会议", body = ApiMeetings),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "无权查看", body = ErrorBody),
    )
)]
async fn api_meetings(
    State(state): State<AppState>,
    ApiViewer(viewer): ApiViewer,
) -> Result<Json<ApiMeetings>, AppError> {
    let meetings = state.store.meetings(&viewer.actor(), &viewer.ip).await?;
    let meetings = meetings
        .into_iter()
        .map(|m| MeetingSummary {
            id: m.id,
            held_on: m.held_on,
            quarter: m.quarter,
            chair: m.chair,
        })
        .collect();
    Ok(Json(ApiMeetings { meetings }))
}

/// One joint meeting's minutes: attending units, the district's figures frozen as of the
/// quarter's end (values in hundredths), the supervision items listed in their state then, and
/// the decisions with their owner units, due dates and follow-up.
#[utoipa::path(
    get,
    path = "/api/v1/steering/meetings/{id}",
    operation_id = "getMeeting",
    tag = "steering",
    params(("id" = String, Path, description = "会议编号")),
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "会议纪要", body = Meeting),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "无权查看", body = ErrorBody),
        (status = 404, description = "没有这次会议", body = ErrorBody),
    )
)]
async fn api_meeting(
    State(state): State<AppState>,
    ApiViewer(viewer): ApiViewer,
    Path(id): Path<String>,
) -> Result<Json<Meeting>, AppError> {
    let id = super::number(&id, "联席会议")?;
    Ok(Json(
        state.store.meeting(&viewer.actor(), id, &viewer.ip).await?,
    ))
}
