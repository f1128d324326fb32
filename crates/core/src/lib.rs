//! linkong-core: the domain of the action plan, pure (no IO, no async, no database).
//!
//! Everything a user or a file can get wrong is parsed here into a type that cannot hold
//! an invalid value: a plan file into [`plan::Plan`], a typed-in value into
//! [`quantity::Quantity`], a password into [`password::NewPassword`].
//!
//! Modules depend one way, so each can be read and tested on its own: [`field`], [`quantity`],
//! [`events`] and the identifier types at the bottom; [`registry`] and [`plan`] on them; the
//! checks and figures ([`record`], [`jobs`], [`applicants`], [`people`], [`progress`], [`reporting`],
//! [`assessment`]) on the plan. What two of them share goes down a level, not across.

/// Defines a closed vocabulary: `code` is stored, `label` is shown, `parse` takes either — or,
/// for a cell as people fill it in, one of the common spellings of [`synonyms`] (观望 for
/// 未确定); its refusal lists the labels, for the caller to put under the field's name.
macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident, $what:literal { $($variant:ident = $code:literal, $label:literal;)+ }) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[serde(rename_all = "snake_case")]
        $(#[$meta])*
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }

            /// The vocabulary's Chinese name, which names its section of the synonyms table.
            pub const NAME: &'static str = $what;

            pub fn parse(input: &str) -> Result<$name, String> {
                // A stored code or a chosen label (nearly every call) costs no allocation.
                let trimmed = input.trim();
                match $name::ALL.iter().copied().find(|v| v.code() == trimmed || v.label() == trimmed) {
                    Some(found) => Ok(found),
                    None => $crate::synonyms::read($what, $name::ALL, $name::code, $name::label, input),
                }
            }
        }
    };
}

pub mod access;
pub mod applicants;
pub mod assessment;
pub mod backup;
pub mod businesses;
pub mod calendar;
pub mod campus;
pub mod carriers;
pub mod cells;
pub mod contest;
pub mod emerging;
pub mod employers;
pub mod events;
pub mod evidence;
pub mod exchange;
pub mod experts;
pub mod failure;
pub mod field;
pub mod fraud;
pub mod gigs;
pub mod hr_actions;
pub mod imports;
pub mod industry;
pub mod insurance;
pub mod jobs;
pub mod limits;
pub mod loans;
pub mod market_order;
pub mod matching;
pub mod mentoring;
pub mod occupations;
pub mod password;
pub mod people;
pub mod phone;
pub mod plan;
pub mod policy_list;
pub mod progress;
pub mod projects;
pub mod pushes;
pub mod quantity;
pub mod record;
pub mod registry;
pub mod reporting;
pub mod resident;
pub mod rules;
pub mod selection;
pub mod showcase;
pub mod skills;
pub mod steering;
pub mod student_visits;
pub mod subsidies;
pub mod synonyms;
pub mod talent_trips;
pub mod time;
pub mod titles;
pub mod traineeships;
pub mod two_factor;
pub mod uscc;
pub mod users;
pub mod window;
