//! The kill -9 harness (issue 17 item 3): the real binary is killed at random moments — during
//! `linkong import`, during a burst of report submissions against `linkong serve`, during
//! `linkong keys rotate` and during an import started on the web — and after every kill the
//! database must be sound (SQLite's `PRAGMA integrity_check`, `linkong audit verify`) and hold
//! each piece of work whole or not at all.
//!
//! The moments come from a seeded RNG; the seed is printed, and `LINKONG_CRASH_SEED` replays it.
//! The size is set by `LINKONG_CRASH_ROWS` (rows of the imported roster, default 20 000) and
//! `LINKONG_CRASH_KILLS` (kills per scenario, default 3); `LINKONG_CRASH_BIN` points the harness
//! at another build of the binary (a release build for the full size: 1 000 000 rows, 20 kills).
//! The import runs on PostgreSQL too when `LINKONG_TEST_PG` is set.

#[path = "../common/mod.rs"]
mod common;
mod kit;
mod server;

mod import;
mod reports;
mod rotation;
mod web_import;
