//! How errors reach people: a Chinese page, or JSON for API clients, with the right status.
//! Store and core errors are converted here; database details go to the log, never to the page.
//!
//! An error does not know who asked. The [`answer_in_kind`] layer does: it answers JSON to a
//! request under `/api/` or one that accepts JSON and not HTML, and a page (or, when not logged
//! in, the login page) to everyone else. It also turns axum's own plain-text rejections (a path
//! parameter that is not a number, an unknown route, a body too large) into Chinese.

use askama::Template;
use axum::extract::Request;
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use linkong_store::Error as StoreError;

#[derive(Debug)]
pub enum AppError {
    /// Not logged in: pages go to the login page, the API answers 401.
    Unauthorized,
    Forbidden(String),
    NotFound(String),
    /// Input that cannot be accepted; the message names the field.
    BadRequest(String),
    Conflict(String),
    /// Past a rate limit (see [`crate::limits`]): the message says when to try again, in
    /// seconds, and so does the `Retry-After` header.
    TooMany {
        message: String,
        retry_after: u64,
    },
    /// Anything else; the cause is in the log.
    Internal,
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    title: &'a str,
    message: &'a str,
}

impl AppError {
    pub fn forbidden(message: impl Into<String>) -> AppError {
        AppError::Forbidden(message.into())
    }
    pub fn not_found(message: impl Into<String>) -> AppError {
        AppError::NotFound(message.into())
    }
    pub fn bad_request(message: impl Into<String>) -> AppError {
        AppError::BadRequest(message.into())
    }

    /// A failure people cannot act on: logged with its cause, answered as 系统错误.
    pub fn internal(cause: impl std::fmt::Display) -> AppError {
        tracing::error!(error = %cause, "request failed");
        AppError::Internal
    }

    fn answer(&self) -> Answer {
        let (status, title, message) = match self {
            AppError::Unauthorized => (
                StatusCode::UNAUTHORIZED,
                "未登录",
                "请先登录，或在 Authorization 头中提供 Bearer 令牌",
            ),
            AppError::Forbidden(message) => (StatusCode::FORBIDDEN, "无权访问", message.as_str()),
            AppError::NotFound(message) => (StatusCode::NOT_FOUND, "未找到", message.as_str()),
            AppError::BadRequest(message) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "输入有误",
                message.as_str(),
            ),
            AppError::Conflict(message) => (StatusCode::CONFLICT, "操作冲突", message.as_str()),
            AppError::TooMany { message, .. } => (
                StatusCode::TOO_MANY_REQUESTS,
                "操作过于频繁",
                message.as_str(),
            ),
            AppError::Internal => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "系统错误",
                "系统暂时无法完成操作，请稍后再试",
            ),
        };
        let retry_after = match self {
            AppError::TooMany { retry_after, .. } => Some(*retry_after),
            _ => None,
        };
        Answer {
            status,
            title,
            message: message.to_owned(),
            retry_after,
        }
    }
}

impl From<StoreError> for AppError {
    fn from(error: StoreError) -> AppError {
        match error {
            StoreError::Forbidden(message) => AppError::Forbidden(message),
            StoreError::NotFound(message) => AppError::NotFound(message),
            StoreError::Conflict(message) => AppError::Conflict(message),
            e @ (StoreError::Invalid { .. } | StoreError::Fields(_)) => {
                AppError::BadRequest(e.to_string())
            }
            other => AppError::internal(other),
        }
    }
}

/// An error's status, title and message, kept on its response until [`answer_in_kind`] knows
/// how the request wants it.
#[derive(Debug, Clone)]
pub struct Answer {
    pub status: StatusCode,
    pub title: &'static str,
    pub message: String,
    /// Seconds for the `Retry-After` header of a 429.
    pub retry_after: Option<u64>,
}

impl Answer {
    pub fn new(status: StatusCode, title: &'static str, message: impl Into<String>) -> Answer {
        Answer {
            status,
            title,
            message: message.into(),
            retry_after: None,
        }
    }

    /// The `Retry-After` header, when the answer has one.
    fn with_retry_after(&self, mut response: Response) -> Response {
        if let Some(seconds) = self.retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, seconds.into());
        }
        response
    }

    fn json(&self) -> Response {
        // To a program, input axum could not read (a repeated or malformed parameter) is wrong
        // input like any other: 422, as the API's document says.
        let status = match self.status {
            StatusCode::BAD_REQUEST => StatusCode::UNPROCESSABLE_ENTITY,
            other => other,
        };
        let body = crate::openapi::ErrorBody {
            error: self.message.clone(),
            status: status.as_u16(),
        };
        self.with_retry_after((status, axum::Json(body)).into_response())
    }

    fn page(&self) -> Response {
        if self.status == StatusCode::UNAUTHORIZED {
            return Redirect::to("/login").into_response();
        }
        let page = ErrorPage {
            title: self.title,
            message: &self.message,
        };
        let response = match page.render() {
            Ok(html) => (self.status, axum::response::Html(html)).into_response(),
            Err(_) => (self.status, self.message.clone()).into_response(),
        };
        self.with_retry_after(response)
    }
}

impl IntoResponse for Answer {
    /// A bare status carrying the answer; [`answer_in_kind`] writes the body.
    fn into_response(self) -> Response {
        let mut response = self.status.into_response();
        response.extensions_mut().insert(self);
        response
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        self.answer().into_response()
    }
}

/// Does this request want JSON? Under `/api/`, with a bearer token, or when it accepts JSON
/// and not HTML.
pub fn wants_json(path: &str, headers: &HeaderMap) -> bool {
    if path.starts_with("/api/") {
        return true;
    }
    // A client with a bearer token is a program: it reads the error as JSON.
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("Bearer "));
    if bearer {
        return true;
    }
    let accept = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    accept.contains("application/json") && !accept.contains("text/html")
}

/// Writes every error's body the way the request wants it (see the module's doc).
pub async fn answer_in_kind(request: Request, next: Next) -> Response {
    let json = wants_json(request.uri().path(), request.headers());
    let mut response = next.run(request).await;
    let answer = match response.extensions_mut().remove::<Answer>() {
        Some(answer) => answer,
        None => match humane_rejection(&response) {
            Some(answer) => answer,
            None => return response,
        },
    };
    if json { answer.json() } else { answer.page() }
}

/// axum's own rejections arrive as plain text (or nothing): say what went wrong, in Chinese.
fn humane_rejection(response: &Response) -> Option<Answer> {
    let status = response.status();
    if !status.is_client_error() {
        return None;
    }
    let content_type = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if content_type.starts_with("text/html") || content_type.starts_with("application/json") {
        return None;
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
    Some(Answer::new(status, title, message))
}

impl std::fmt::Display for AppError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AppError::Unauthorized => f.write_str("未登录"),
            AppError::Forbidden(message)
            | AppError::NotFound(message)
            | AppError::BadRequest(message)
            | AppError::Conflict(message)
            | AppError::TooMany { message, .. } => f.write_str(message),
            AppError::Internal => f.write_str("系统错误，详情见日志"),
        }
    }
}

/// What a form's save answers: on to `to` when the store took it; the form's page again (422)
/// with the fields core refused, drawn by `again`; any other error as itself.
pub async fn saved_or_again<T, P, Fut>(
    saved: linkong_store::Result<T>,
    to: &str,
    again: impl FnOnce(Vec<linkong_core::field::FieldError>) -> Fut,
) -> Result<Response, AppError>
where
    P: IntoResponse,
    Fut: std::future::Future<Output = Result<P, AppError>>,
{
    match saved {
        Ok(_) => Ok(Redirect::to(to).into_response()),
        Err(StoreError::Fields(errors)) => {
            Ok((StatusCode::UNPROCESSABLE_ENTITY, again(errors).await?).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accept(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::ACCEPT, value.parse().unwrap());
        headers
    }

    #[test]
    fn the_api_and_json_clients_get_json_and_browsers_get_pages() {
        assert!(wants_json("/api/v1/progress", &HeaderMap::new()));
        assert!(wants_json("/dashboard", &accept("application/json")));
        assert!(!wants_json(
            "/dashboard",
            &accept("text/html,application/xhtml+xml,application/json;q=0.9")
        ));
        assert!(!wants_json("/dashboard", &HeaderMap::new()));
    }
}
