//! How errors reach people: a Chinese page (or JSON under /api) with the right status. Store
//! and core errors are converted here; database details go to the log, never to the page.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use linkong_store::Error as StoreError;

#[derive(Debug)]
pub enum AppError {
    /// Not logged in: pages redirect to the login page, the API answers 401.
    Unauthorized {
        api: bool,
    },
    Forbidden {
        message: String,
        api: bool,
    },
    NotFound {
        message: String,
        api: bool,
    },
    BadRequest {
        message: String,
        api: bool,
    },
    Conflict {
        message: String,
        api: bool,
    },
    Internal {
        api: bool,
    },
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    title: &'a str,
    message: &'a str,
}

impl AppError {
    pub fn forbidden(message: impl Into<String>) -> AppError {
        AppError::Forbidden {
            message: message.into(),
            api: false,
        }
    }
    pub fn not_found(message: impl Into<String>) -> AppError {
        AppError::NotFound {
            message: message.into(),
            api: false,
        }
    }
    pub fn bad_request(message: impl Into<String>) -> AppError {
        AppError::BadRequest {
            message: message.into(),
            api: false,
        }
    }

    /// The same error, answered as JSON.
    pub fn for_api(self) -> AppError {
        match self {
            AppError::Unauthorized { .. } => AppError::Unauthorized { api: true },
            AppError::Forbidden { message, .. } => AppError::Forbidden { message, api: true },
            AppError::NotFound { message, .. } => AppError::NotFound { message, api: true },
            AppError::BadRequest { message, .. } => AppError::BadRequest { message, api: true },
            AppError::Conflict { message, .. } => AppError::Conflict { message, api: true },
            AppError::Internal { .. } => AppError::Internal { api: true },
        }
    }
}

impl From<StoreError> for AppError {
    fn from(error: StoreError) -> AppError {
        match error {
            StoreError::Forbidden(message) => AppError::Forbidden {
                message,
                api: false,
            },
            StoreError::NotFound(message) => AppError::NotFound {
                message,
                api: false,
            },
            StoreError::Conflict(message) => AppError::Conflict {
                message,
                api: false,
            },
            e @ (StoreError::Invalid { .. } | StoreError::Fields(_)) => AppError::BadRequest {
                message: e.to_string(),
                api: false,
            },
            other => {
                tracing::error!(error = %other, "request failed");
                AppError::Internal { api: false }
            }
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (status, title, message, api) = match self {
            AppError::Unauthorized { api: false } => return Redirect::to("/login").into_response(),
            AppError::Unauthorized { api: true } => (
                StatusCode::UNAUTHORIZED,
                "未登录",
                "请先登录，或在 Authorization 头中提供 Bearer 令牌".to_owned(),
                true,
            ),
            AppError::Forbidden { message, api } => {
                (StatusCode::FORBIDDEN, "无权访问", message, api)
            }
            AppError::NotFound { message, api } => (StatusCode::NOT_FOUND, "未找到", message, api),
            AppError::BadRequest { message, api } => {
                (StatusCode::UNPROCESSABLE_ENTITY, "输入有误", message, api)
            }
            AppError::Conflict { message, api } => (StatusCode::CONFLICT, "操作冲突", message, api),
            AppError::Internal { api } => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "系统错误",
                "系统暂时无法完成操作，请稍后再试".to_owned(),
                api,
            ),
        };
        error_response(status, title, &message, api)
    }
}

/// An error as a Chinese page, or as JSON `{"error": …, "status": …}` for the API.
pub fn error_response(status: StatusCode, title: &str, message: &str, api: bool) -> Response {
    if api {
        let body = serde_json::json!({ "error": message, "status": status.as_u16() });
        return (status, axum::Json(body)).into_response();
    }
    match (ErrorPage { title, message }).render() {
        Ok(html) => (status, axum::response::Html(html)).into_response(),
        Err(_) => (status, message.to_owned()).into_response(),
    }
}

impl std::fmt::Display for AppError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AppError::Unauthorized { .. } => f.write_str("未登录"),
            AppError::Forbidden { message, .. }
            | AppError::NotFound { message, .. }
            | AppError::BadRequest { message, .. }
            | AppError::Conflict { message, .. } => f.write_str(message),
            AppError::Internal { .. } => f.write_str("系统错误，详情见日志"),
        }
    }
}
