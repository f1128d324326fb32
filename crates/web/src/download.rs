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

/// An evidence file (an image or a PDF) as a download, its Chinese name encoded per RFC 6266.
pub fn attachment(name: &str, media_type: &str, bytes: Vec<u8>) -> Response {
    let encoded: String = url::form_urlencoded::byte_serialize(name.as_bytes())
        .collect::<String>()
        .replace('+', "%20");
    (
        [
            (axum::http::header::CONTENT_TYPE, media_type.to_owned()),
            (
                axum::http::header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"evidence\"; filename*=UTF-8''{encoded}"),
            ),
        ],
        bytes,
    )
        .into_response()
}
