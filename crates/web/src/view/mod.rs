//! Pieces of pages that several pages share: select options, the year switcher, deadlines,
//! the portal's header, a returnee's suggested jobs.
//! Feature modules import from here, never from each other.

mod business;
mod choice;
mod deadline;
mod filter;
mod list;
mod matches;
mod portal;
mod unit;
mod year;

pub use business::{forms_text, section_name};
pub use choice::{Choice, choices, vocabulary};
pub use deadline::due_text;
pub use filter::{optional_unit, optional_year};
pub use list::{ListQuery, SavedQuery, form_status, saved_or_again};
pub use matches::{MatchLine, match_line};
pub use portal::PortalNav;
pub use unit::{streets, unit_name};
pub use year::{YearLink, YearQuery, year_links, year_of};
