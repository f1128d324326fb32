//! Import of rosters from the files users upload: csv (UTF-8 or GBK, as Excel saves it) and
//! xlsx workbooks, read row by row so that a million-row file fits in little memory.

pub mod footer;
pub mod graduates;
pub mod insurance;
pub mod layout;
pub mod migrants;
pub mod run;
pub mod sheet;
pub mod students;

pub use sheet::{Cell, Format, ReadError, RowProblem, Sheet, XlsxError};
