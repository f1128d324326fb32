//! linkong-core: the domain of the action plan, pure (no IO, no async, no database).
//!
//! Everything a user or a file can get wrong is parsed here into a type that cannot hold
//! an invalid value: a plan file into [`plan::Plan`], a typed-in value into
//! [`quantity::Quantity`], a password into [`password::NewPassword`].

pub mod access;
pub mod assessment;
pub mod calendar;
pub mod fraud;
pub mod industry;
pub mod jobs;
pub mod password;
pub mod phone;
pub mod plan;
pub mod progress;
pub mod quantity;
pub mod record;
pub mod reporting;
pub mod time;
pub mod uscc;
