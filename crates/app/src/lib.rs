//! linkong-app: work that both faces of linkong need and that has nothing to do with HTTP —
//! the district's report as a workbook, tables as workbooks, and keeping the search index in
//! step with the database. `linkong serve` and the other commands call it alike; the web crate
//! only adds the download headers.

pub mod backup;
pub mod contest;
pub mod exchange;
pub mod match_batch;
pub mod search_sync;
pub mod workbook;

pub use search_sync::{SearchSync, SyncError};
