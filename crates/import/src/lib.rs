//! Import of rosters from the files users upload: csv (UTF-8 or GBK, as Excel saves it) and
//! xlsx workbooks, read row by row so that a million-row file fits in little memory.

#[cfg(feature = "store")]
pub mod footer;
#[cfg(feature = "store")]
pub mod graduates;
#[cfg(feature = "store")]
pub mod insurance;
pub mod layout;
#[cfg(feature = "store")]
pub mod migrants;
#[cfg(feature = "store")]
pub mod run;
pub mod sheet;
#[cfg(feature = "store")]
pub mod students;

pub use sheet::{Cell, Format, ReadError, RowProblem, Sheet, XlsxError};
