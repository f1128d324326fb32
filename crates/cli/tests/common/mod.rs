//! What the CLI tests share: running `linkong` on a test database as an operator would, and
//! the out-migrant rosters they import.
#![allow(dead_code)]

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

/// `linkong` with the data directory (and, for a test database, its URL) and `args`.
pub fn linkong(data_dir: &std::path::Path, database_url: Option<&str>, args: &[&str]) -> Command {
    linkong_at(
        std::path::Path::new(env!("CARGO_BIN_EXE_linkong")),
        data_dir,
        database_url,
        args,
    )
}

/// The binary at `program` run as [`linkong`] runs the one built for the tests.
pub fn linkong_at(
    program: &std::path::Path,
    data_dir: &std::path::Path,
    database_url: Option<&str>,
    args: &[&str],
) -> Command {
    let mut command = Command::new(program);
    command
        .arg("--data-dir")
        .arg(data_dir)
        .env_remove("LINKONG_DATABASE_URL")
        .env("LINKONG_PLAN", PLAN)
        .stdin(Stdio::null());
    if let Some(url) = database_url {
        command.args(["--database-url", url]);
    }
    command.args(args);
    command
}

/// Bytes written by the command, as text.
pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The header row of an out-migrant roster.
pub const HEADER: &str = "姓名,身份证号码,手机号码,户籍街道,社区（村）,文化程度,务工省份,务工城市,\
    从事行业,职业（工种）,技能特长,外出年限,返区意向,拟创业领域,同意联系,调查日期,返区日期";

/// One out-migrant row of the csv, resident `id` of `street`.
pub fn row(name: &str, id: &str, phone: &str, street: &str) -> String {
    format!(
        "{name},{id},{phone},{street},示范社区,大专,广东,深圳市,制造业,电工,,3,返区就业,,是,2025-03-01,\n"
    )
}

/// A roster of `rows` different residents of 径河, each with a valid resident ID.
pub fn big_roster(path: &std::path::Path, rows: usize) {
    use std::io::Write;
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    writeln!(out, "{HEADER}").unwrap();
    let first_birthday = chrono::NaiveDate::from_ymd_opt(1970, 1, 1).unwrap();
    for n in 0..rows {
        // A thousand sequence numbers per birth date, a birth date every 16 days: a million
        // rows are born by 2013, before any day the tests run on.
        let born = first_birthday + chrono::Duration::days((n / 1000) as i64 * 16);
        let id = linkong_testkit::resident_id(&format!(
            "420112{}{:03}",
            born.format("%Y%m%d"),
            n % 1000
        ));
        out.write_all(row(&format!("居民{n}"), &id, &format!("139{n:08}"), "径河").as_bytes())
            .unwrap();
    }
    out.flush().unwrap();
}
