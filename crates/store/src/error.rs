//! The store's error type. Messages meant for people are Chinese; database errors are kept
//! whole for the log and shown to users only as a generic failure by the web layer.

use thiserror::Error;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, Error)]
pub enum Error {
    #[error("数据库错误：{0}")]
    Database(#[from] sqlx::Error),
    /// From the bulk writer's own statements on a SQLite connection.
    #[error("数据库错误：{0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("数据库迁移失败：{0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    #[error("文件读写失败：{0}")]
    Io(#[from] std::io::Error),
    #[error("{0}")]
    Config(String),
    /// The input is wrong; `field` names the form field, `message` says why (Chinese).
    #[error("{field}：{message}")]
    Invalid {
        field: &'static str,
        message: String,
    },
    /// Several form fields are wrong at once (each names its field).
    #[error("{}", .0.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("；"))]
    Fields(Vec<linkong_core::field::FieldError>),
    #[error("无权执行此操作：{0}")]
    Forbidden(String),
    #[error("未找到：{0}")]
    NotFound(String),
    #[error("{0}")]
    Conflict(String),
}

/// A field core refused, as the store's error naming that field.
impl From<linkong_core::field::FieldError> for Error {
    fn from(e: linkong_core::field::FieldError) -> Error {
        Error::Invalid {
            field: e.field,
            message: e.message,
        }
    }
}

impl Error {
    pub fn invalid(field: &'static str, message: impl Into<String>) -> Error {
        Error::Invalid {
            field,
            message: message.into(),
        }
    }

    pub fn forbidden(message: impl Into<String>) -> Error {
        Error::Forbidden(message.into())
    }

    pub fn not_found(message: impl Into<String>) -> Error {
        Error::NotFound(message.into())
    }

    /// True when the database refused a row because a unique key already exists.
    pub fn is_unique_violation(&self) -> bool {
        matches!(self, Error::Database(sqlx::Error::Database(e)) if e.is_unique_violation())
    }
}
