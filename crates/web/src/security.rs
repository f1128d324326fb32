//! Security layers: response headers (a strict CSP: no scripts at all, styles and images from
//! this origin only) and the Origin check on every unsafe request.

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use linkong_store::audit::AuditEvent;

use crate::AppState;
use crate::error::Answer;

const CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; \
                   frame-ancestors 'none'; base-uri 'none'";

/// Adds the security headers to every response.
pub async fn headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    headers.insert(
        HeaderName::from_static("permissions-policy"),
        HeaderValue::from_static("camera=(), microphone=(), geolocation=()"),
    );
    if !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

/// Refuses a POST (or other unsafe method) whose Origin is not this server, and audits it.
pub async fn check_origin(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let unsafe_method = !matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if unsafe_method && let Some(origin) = request.headers().get(header::ORIGIN) {
        let host = request
            .headers()
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .unwrap_or("");
        let origin_host = origin
            .to_str()
            .ok()
            .and_then(|o| url::Url::parse(o).ok())
            .map(|u| match u.port() {
                Some(port) => format!("{}:{port}", u.host_str().unwrap_or("")),
                None => u.host_str().unwrap_or("").to_owned(),
            })
            .unwrap_or_default();
        if origin_host.is_empty() || origin_host != host {
            let event = AuditEvent::new("origin.rejected", request.uri().path().to_owned()).detail(
                format!("origin={} host={host}", origin.to_str().unwrap_or("?")),
            );
            let _ = state.store.audit(event).await;
            return Answer::new(
                StatusCode::FORBIDDEN,
                "无权访问",
                "请求来源不符（Origin 校验失败），请从本系统页面提交",
            )
            .into_response();
        }
    }
    next.run(request).await
}

const CSS: &str = include_str!("../static/app.css");

pub fn static_router() -> Router<AppState> {
    Router::new().route(
        "/static/app.css",
        get(|| async {
            Response::builder()
                .header(header::CONTENT_TYPE, "text/css; charset=utf-8")
                .header(header::CACHE_CONTROL, "public, max-age=3600")
                .body(Body::from(CSS))
                .unwrap_or_default()
        }),
    )
}
