//! The carriers on the public portal (phone first, no login): where a returnee can set up,
//! with its vacancies, rent and services, filtered by kind and street; and the public JSON
//! list. Carriers hold no personal data: the phone is the office's landline.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use linkong_store::carriers::Carrier;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{Card, ListQuery, card, carrier_id, kind_choices, streets};
use crate::auth::MaybeViewer;
use crate::jobs::PortalNav;
use crate::openapi::ErrorBody;
use crate::view::{Choice, choices};
use crate::{AppError, AppState};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/carriers", get(public_list))
        .route("/carriers/{id}", get(public_detail))
}

pub fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(api_list))
}

/// The public filters: kind, street, vacant only.
#[derive(Deserialize, Default, Clone)]
pub struct PublicQuery {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    street: String,
    #[serde(default)]
    vacant: String,
}

impl PublicQuery {
    fn list_query(&self) -> ListQuery {
        ListQuery {
            kind: self.kind.clone(),
            street: self.street.clone(),
            vacant: self.vacant.clone(),
            ..ListQuery::default()
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "carriers.html")]
struct PublicList {
    portal: PortalNav,
    query: PublicQuery,
    kinds: Vec<Choice>,
    streets: Vec<Choice>,
    error: Option<String>,
    cards: Vec<Card>,
    vacancies: i64,
}

async fn public_list(
    State(state): State<AppState>,
    viewer: MaybeViewer,
    Query(query): Query<PublicQuery>,
) -> Result<Response, AppError> {
    let mut page = PublicList {
        portal: PortalNav::of(&viewer),
        kinds: kind_choices(&query.kind),
        streets: choices(streets(&state), &query.street),
        query: query.clone(),
        error: None,
        cards: Vec::new(),
        vacancies: 0,
    };
    match query.list_query().filter(&state) {
        Ok(filter) => {
            let carriers = state.store.published_carriers(&filter).await?;
            page.vacancies = carriers.iter().map(|c| c.vacancies).sum();
            page.cards = carriers.into_iter().map(|c| card(&state, c)).collect();
            Ok(page.into_response())
        }
        Err(message) => {
            page.error = Some(message);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "carrier.html")]
struct PublicDetail {
    portal: PortalNav,
    card: Card,
}

async fn public_detail(
    State(state): State<AppState>,
    viewer: MaybeViewer,
    Path(id): Path<String>,
) -> Result<PublicDetail, AppError> {
    let carrier = state.store.published_carrier(carrier_id(&id)?).await?;
    Ok(PublicDetail {
        portal: PortalNav::of(&viewer),
        card: card(&state, carrier),
    })
}

/// The district's start-up carriers.
#[derive(Serialize, ToSchema)]
struct CarrierList {
    total: usize,
    /// Free places in the carriers listed.
    vacancies: i64,
    carriers: Vec<Carrier>,
}

/// Start-up carriers (创业载体, public): incubation bases, maker spaces, returnee parks and
/// converted stock space, with their places, current vacancies, rent and services.
#[utoipa::path(
    get,
    path = "/api/v1/carriers",
    operation_id = "listCarriers",
    tag = "returnees",
    params(
        ("kind" = Option<String>, Query, description = "载体类型：incubation_base、maker_space、returnee_park、industrial_park、idle_factory、idle_school、other"),
        ("street" = Option<String>, Query, description = "所在街道代码"),
        ("vacant" = Option<String>, Query, description = "1：只列有空余工位或房间的载体"),
    ),
    responses(
        (status = 200, description = "创业载体", body = CarrierList),
        (status = 422, description = "参数有误", body = ErrorBody),
    )
)]
async fn api_list(
    State(state): State<AppState>,
    Query(query): Query<PublicQuery>,
) -> Result<Json<CarrierList>, AppError> {
    let filter = query
        .list_query()
        .filter(&state)
        .map_err(AppError::BadRequest)?;
    let carriers = state.store.published_carriers(&filter).await?;
    Ok(Json(CarrierList {
        total: carriers.len(),
        vacancies: carriers.iter().map(|c| c.vacancies).sum(),
        carriers,
    }))
}
