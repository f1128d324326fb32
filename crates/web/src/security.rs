//! Security layers: response headers (a strict CSP: no scripts at all, styles and images from
//! this origin only) and the Origin check on every unsafe request.

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use axum::routing::get;
use linkong_store::audit::AuditEvent;

use crate::AppState;
use crate::error::error_response;

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
            let api = request.uri().path().starts_with("/api/");
            return error_response(
                StatusCode::FORBIDDEN,
                "无权访问",
                "请求来源不符（Origin 校验失败），请从本系统页面提交",
                api,
            );
        }
    }
    next.run(request).await
}

/// axum answers malformed requests (a path parameter that is not a number, an unknown route, a
/// body that is too large) in English plain text or not at all; people get Chinese instead.
pub async fn humane_rejections(request: Request, next: Next) -> Response {
    let api = request.uri().path().starts_with("/api/");
    let response = next.run(request).await;
    let status = response.status();
    if !status.is_client_error() {
        return response;
    }
    let content_type = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if content_type.starts_with("text/html")
        || content_type.starts_with("application/json")
        || status == StatusCode::SEE_OTHER
    {
        return response;
    }
    let (title, message) = match status {
        StatusCode::NOT_FOUND => ("未找到", "页面或数据不存在，请检查地址"),
        StatusCode::METHOD_NOT_ALLOWED => ("请求方式有误", "该地址不支持这种请求方式"),
        StatusCode::PAYLOAD_TOO_LARGE => ("上传内容过大", "提交的内容过大：佐证材料不超过 10 MB"),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => {
            ("格式有误", "提交内容的格式不受支持，请从本系统页面提交")
        }
        StatusCode::UNAUTHORIZED => ("未登录", "请先登录"),
        StatusCode::FORBIDDEN => ("无权访问", "无权执行此操作"),
        _ => ("输入有误", "请求参数有误（例如编号不是数字），请检查后重试"),
    };
    error_response(status, title, message, api)
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
