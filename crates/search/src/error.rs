use std::path::PathBuf;

/// Why the search index could not answer or change.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("搜索索引出错：{0}")]
    Index(#[from] tantivy::TantivyError),
    #[error("无法打开搜索索引目录 {}：{source}", path.display())]
    Directory {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("搜索索引中的岗位缺少字段 {0}，请重建索引")]
    MissingField(&'static str),
}

impl From<tantivy::directory::error::OpenDirectoryError> for SearchError {
    fn from(error: tantivy::directory::error::OpenDirectoryError) -> SearchError {
        SearchError::Index(error.into())
    }
}
