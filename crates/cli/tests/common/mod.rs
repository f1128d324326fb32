//! What the CLI tests share: running `linkong` on a test database as an operator would.

use std::process::{Command, Output, Stdio};

use linkong_testkit::TestDb;

/// The Dongxihu plan file.
pub const PLAN: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../plans/dongxihu-2025-2027.toml"
);

/// `linkong ARGS` on `db`'s database and data directory, with no input, to its end.
pub fn run(db: &TestDb, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_linkong"))
        .arg("--data-dir")
        .arg(db.files.path())
        .env_remove("LINKONG_DATABASE_URL")
        .env("LINKONG_PLAN", PLAN)
        .stdin(Stdio::null())
        .args(["--database-url", &db.url])
        .args(args)
        .output()
        .expect("linkong runs")
}

/// Bytes written by the command, as text.
pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}
