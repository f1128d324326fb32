//! Workbooks (made by `linkong_app::workbook`) as file downloads.

use axum::response::{IntoResponse, Response};
use rust_xlsxwriter::XlsxError;

use crate::AppError;

/// An xlsx download response.
pub fn download(name: &str, bytes: Result<Vec<u8>, XlsxError>) -> Result<Response, AppError> {
    let bytes = bytes.map_err(|e| {
        tracing::error!(error = %e, "workbook failed");
        AppError::Internal
    })?;
    Ok(respond(name, bytes))
}

/// A finished workbook as a file download.
pub fn respond(name: &str, bytes: Vec<u8>) -> Response {
    (
        [
            (
                axum::http::header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_owned(),
            ),
            (
                axum::http::header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\"; filename*=UTF-8''{name}"),
            ),
        ],
        bytes,
    )
        .into_response()
}
