//! The public page of 1.3.4's notices (`/job-safety`, 求职防骗; phone first, no login): the
//! recruitment and job-seeking traps and the typical violation cases 区人社局 published, newest
//! first, and `GET /api/v1/market-order/notices` with the same.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::routing::get;
use axum::{Json, Router};
use linkong_core::market_order::{IssueMonth, NoticeKind};
use linkong_store::market_order::{MarketNotice, NoticeFilter};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::MaybeViewer;
use crate::openapi::ErrorBody;
use crate::view::PortalNav;
use crate::{AppError, AppState};

pub fn router() -> Router<AppState> {
    Router::new().route("/job-safety", get(page))
}

#[derive(Deserialize, Default)]
pub struct KindQuery {
    #[serde(default)]
    kind: String,
}

impl KindQuery {
    /// The kind asked for; a wrong one is a 422 naming the field.
    fn filter(&self) -> Result<NoticeFilter, AppError> {
        let kind = match self.kind.trim() {
            "" => None,
            text => Some(
                NoticeKind::parse(text)
                    .map_err(|e| AppError::bad_request(format!("发布类型：{e}")))?,
            ),
        };
        Ok(NoticeFilter {
            kind,
            ..NoticeFilter::default()
        })
    }
}

/// A notice as the page shows it: the notice and its issue in words.
pub struct Shown {
    pub n: MarketNotice,
    pub issue: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "job_safety.html")]
struct Page {
    portal: PortalNav,
    kind: String,
    notices: Vec<Shown>,
}

async fn page(
    State(state): State<AppState>,
    viewer: MaybeViewer,
    Query(query): Query<KindQuery>,
) -> Result<Page, AppError> {
    let notices = state.store.market_notices(&query.filter()?).await?;
    Ok(Page {
        portal: PortalNav::of(&viewer),
        kind: query.kind.trim().to_owned(),
        notices: notices
            .into_iter()
            .map(|n| Shown {
                issue: IssueMonth::parse(&n.issue_month)
                    .map(IssueMonth::label)
                    .unwrap_or_default(),
                n,
            })
            .collect(),
    })
}

/// The notices published.
#[derive(Serialize, ToSchema)]
pub struct ApiMarketNotices {
    notices: Vec<MarketNotice>,
}

/// The recruitment and job-seeking traps (招聘求职陷阱提示) and typical violation cases (违规典型
/// 案例) 区人社局 publishes every month (task 1.3.4), newest first; public, like the portal page.
#[utoipa::path(
    get,
    path = "/api/v1/market-order/notices",
    operation_id = "listMarketNotices",
    tag = "market_order",
    params(("kind" = Option<String>, Query, description = "trap_tip（陷阱提示）或 violation_case（典型案例）")),
    responses(
        (status = 200, description = "已发布的提示和案例", body = ApiMarketNotices),
        (status = 422, description = "参数有误", body = ErrorBody),
    )
)]
pub async fn api_notices(
    State(state): State<AppState>,
    Query(query): Query<KindQuery>,
) -> Result<Json<ApiMarketNotices>, AppError> {
    let notices = state.store.market_notices(&query.filter()?).await?;
    Ok(Json(ApiMarketNotices { notices }))
}
