//! The JSON API describes itself: an OpenAPI 3.1 document generated from the code, served at
//! `GET /api/openapi.json` (public, JSON only: no UI bundle).
//!
//! **A route cannot be served undocumented.** Every `/api/` route is registered in
//! [`api_routes`], an `OpenApiRouter` to which each feature module adds its handlers with
//! `routes!(handler)`; `routes!` takes the path and the method from the handler's
//! `#[utoipa::path]` annotation. The application's router and the document are the two halves
//! of that one value ([`crate::router`] serves one half, [`document`] the other). A plain
//! `.route("/api/…")` would bypass it: `tests/http/openapi.rs` reads every `"/api/…"` string in this
//! crate's sources and fails on one the document lacks.
//!
//! **Where the schemas come from.** The types the API returns from core and store (the plan,
//! progress figures, report status and timeliness, consolidated rows, out-migrant entries)
//! derive `utoipa::ToSchema` behind their crate's `openapi` feature, which only this crate turns
//! on: each schema is derived from the very type serde writes, so the two cannot drift, and
//! core and store build without utoipa elsewhere. Envelopes that exist only in the API (the
//! progress answer, a job card, a deadline row, [`ErrorBody`]) are defined here in web.
//! Amounts are `i64` hundredths in Rust but the number people read in JSON (2100, 12.5): their
//! fields carry `value_type = Quantity`, whose schema, `Amount`, says what the JSON holds.

use std::sync::OnceLock;

use axum::http::header;
use axum::response::IntoResponse;
use serde::Serialize;
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::Schema;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::auth::SESSION_COOKIE;

/// The body of every error the API answers: a Chinese message naming what is wrong, and the
/// HTTP status again (as `crate::error` writes it).
#[derive(Serialize, ToSchema, Debug)]
pub struct ErrorBody {
    /// 中文说明，例如“年份：2030 不在行动方案的年度内”。
    pub error: String,
    /// The HTTP status of the answer (401, 403, 404, 409, 422, 500).
    #[schema(minimum = 400, maximum = 599)]
    pub status: u16,
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "临空港就业创业服务平台 API",
        description = "东西湖区高校毕业生就业创业和返乡创业行动方案（东政办〔2025〕3号）的数据接口：\
                       行动方案与分解指标、工作进度、季度报告与报送时效、公开岗位搜索、外出务工人员名册。\
                       受保护的接口接受登录会话（Cookie）或 `Authorization: Bearer lk_…` 令牌\
                       （`linkong token create` 签发）。出错时一律返回 `ErrorBody`：中文说明及状态码。"
    ),
    components(schemas(ErrorBody)),
    modifiers(&Authentication)
)]
struct ApiDoc;

/// The two ways the API knows who asks (see `crate::auth::ApiViewer`).
struct Authentication;

impl Modify for Authentication {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("`linkong token create` 签发的令牌（lk_…）"))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                SESSION_COOKIE,
                "网页登录后的会话",
            ))),
        );
    }
}

/// Every `/api/` route with its description; the only place API routes are registered.
pub fn api_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(openapi_json))
        .merge(crate::api::api())
        .merge(crate::reports::api())
        .merge(crate::jobs::api())
        .merge(crate::people::api())
        .merge(crate::businesses::api())
        .merge(crate::projects::api())
        .merge(crate::stories::api())
        .merge(crate::carriers::api())
        .merge(crate::experts::api())
        .merge(crate::window::api())
        .merge(crate::failure::api())
        .merge(crate::loans::api())
        .merge(crate::mentoring::api())
        .merge(crate::market_order::api())
        .merge(crate::skills::api())
        .merge(crate::steering::api())
        .merge(crate::subsidies::api())
        .merge(crate::events::api())
        .merge(crate::contest::api())
        .merge(crate::policy_list::api())
        .merge(crate::exchange::api())
        .merge(crate::campus::api())
        .merge(crate::student_visits::api())
        .merge(crate::talent_trips::api())
        .merge(crate::hr_actions::api())
        .merge(crate::traineeships::api())
        .merge(crate::gigs::api())
}

/// The document, as served (built once).
pub fn document() -> &'static str {
    static DOCUMENT: OnceLock<String> = OnceLock::new();
    DOCUMENT.get_or_init(|| {
        let mut openapi = api_routes().into_openapi();
        openapi
            .paths
            .paths
            .iter_mut()
            .filter(|(path, item)| may_refuse(path, item))
            .filter_map(|(_, item)| item.get.as_mut())
            .for_each(refused_to_a_token);
        if let Some(components) = openapi.components.as_mut() {
            components
                .schemas
                .values_mut()
                .for_each(every_field_present);
        }
        openapi.to_json().expect("the OpenAPI document serialises")
    })
}

/// May this GET answer 403? When it needs a signed-in caller (an employer's or applicant's
/// account is refused the API), or when it reaches beyond aggregates (a token of scope
/// `aggregates` is refused it, `core::access::TokenScopes::permit`).
fn may_refuse(path: &str, item: &utoipa::openapi::path::PathItem) -> bool {
    let signed_in = item
        .get
        .as_ref()
        .is_some_and(|op| op.security.as_ref().is_some_and(|s| !s.is_empty()));
    signed_in
        || linkong_core::access::Reach::of(true, path) != linkong_core::access::Reach::Aggregates
}

/// The 403 of an endpoint that may refuse, said once.
fn refused_to_a_token(operation: &mut utoipa::openapi::path::Operation) {
    use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
    let responses = &mut operation.responses.responses;
    if responses.contains_key("403") {
        return;
    }
    let body = ContentBuilder::new()
        .schema(Some(Ref::from_schema_name("ErrorBody")))
        .build();
    let refused = ResponseBuilder::new()
        .description(
            "无权访问：令牌的权限不包括该接口（如只读汇总的令牌读取台账明细），或该账户不能使用",
        )
        .content("application/json", body)
        .build();
    responses.insert("403".into(), RefOr::T(refused));
}

/// utoipa leaves an `Option` field out of `required`, but serde writes every field of these
/// types, `null` when empty (none of them skips one): the document says so, so that a client
/// can count on each field being there.
fn every_field_present(schema: &mut RefOr<Schema>) {
    let RefOr::T(schema) = schema else { return };
    match schema {
        Schema::Object(object) => object.required = object.properties.keys().cloned().collect(),
        Schema::AllOf(all) => all.items.iter_mut().for_each(every_field_present),
        Schema::OneOf(one) => one.items.iter_mut().for_each(every_field_present),
        _ => {}
    }
}

/// This document.
#[utoipa::path(
    get,
    path = "/api/openapi.json",
    operation_id = "getOpenApiDocument",
    tag = "meta",
    responses((status = 200, description = "本文档（OpenAPI 3.1）", body = Object))
)]
async fn openapi_json() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json")], document())
}
