//! Test support: every store and HTTP test runs against each backend with a fresh database.
//!
//! SQLite always; PostgreSQL when `LINKONG_TEST_PG` holds a `postgres://` URL (each test gets
//! its own new database on that server, dropped afterwards). Each is a copy of a migrated
//! template (`templates`). Without it the PostgreSQL run is
//! skipped with a notice on the terminal, and under `CI` a skip is a failure.

use std::io::Write;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use linkong_core::plan::Plan;
use linkong_store::{Backend, Clock, Store};

mod factors;
mod hires;
mod templates;
pub use factors::{ensure_factor, ensure_factor_of, factor_code, has_factor};
pub use hires::{Hired, graduate_on_roster, hired_graduate, insure, publishing_employer};

pub const PLAN_FILE: &str = include_str!("../../../plans/dongxihu-2025-2027.toml");
pub const CALENDAR_FILE: &str = include_str!("../../../calendar/cn-workdays.toml");

/// A clock the test moves by hand.
#[derive(Clone)]
pub struct TestClock(Arc<Mutex<DateTime<Utc>>>);

impl TestClock {
    pub fn at(y: i32, m: u32, d: u32, hour: u32) -> TestClock {
        TestClock(Arc::new(Mutex::new(
            Utc.with_ymd_and_hms(y, m, d, hour, 0, 0)
                .single()
                .expect("valid time"),
        )))
    }
    pub fn set(&self, at: DateTime<Utc>) {
        *self.0.lock().expect("clock lock") = at;
    }
    pub fn now(&self) -> DateTime<Utc> {
        *self.0.lock().expect("clock lock")
    }
    pub fn advance(&self, by: chrono::Duration) {
        let now = self.now();
        self.set(now + by);
    }
    pub fn clock(&self) -> Clock {
        let inner = self.0.clone();
        Arc::new(move || *inner.lock().expect("clock lock"))
    }
}

/// A store on a fresh database, with its files directory; the database goes when it drops.
pub struct TestDb {
    pub store: Store,
    pub backend: Backend,
    pub files: tempfile::TempDir,
    pub clock: TestClock,
    pub url: String,
    postgres: Option<(String, String)>,
    cipher: Arc<linkong_store::crypto::FieldCipher>,
}

impl TestDb {
    pub fn files_dir(&self) -> PathBuf {
        self.files.path().to_owned()
    }

    /// Another store on the same database, files and key: what a second app server holds
    /// (nothing kept in one store's memory is shared with it).
    pub async fn another_server(&self) -> Store {
        self.another_server_at(&self.url).await
    }

    /// Another store on the same files and key through `url` (the same database reached as
    /// another role, say).
    pub async fn another_server_at(&self, url: &str) -> Store {
        Store::open(url, self.files.path(), self.clock.clock())
            .await
            .expect("the database opens again")
            .with_field_cipher(self.cipher.clone())
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some((admin_url, name)) = self.postgres.take() {
            drop_database(admin_url, name);
        }
    }
}

/// Drops a test database from a `Drop`: Drop is sync and the test's runtime is blocked there,
/// so the pool cannot be closed politely; a private runtime drops the database, forcing its
/// connections off.
fn drop_database(admin_url: String, name: String) {
    let _ = std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        rt.block_on(async move {
            if let Ok(admin) = sqlx::PgPool::connect(&admin_url).await {
                let _ = sqlx::query(sqlx::AssertSqlSafe(format!(
                    "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                )))
                .execute(&admin)
                .await;
                admin.close().await;
            }
        })
    })
    .join();
}

/// A new, empty PostgreSQL database (no migrations) on the `LINKONG_TEST_PG` server — what a
/// restore is pointed at — dropped when this drops.
pub struct EmptyPostgres {
    pub url: String,
    admin_url: String,
    name: String,
}

impl EmptyPostgres {
    /// None when `LINKONG_TEST_PG` is not set (the PostgreSQL half is skipped already).
    pub async fn create() -> Option<EmptyPostgres> {
        let admin_url = std::env::var("LINKONG_TEST_PG")
            .ok()
            .filter(|u| !u.is_empty())?;
        let (name, url) = create_database(&admin_url, "linkong_empty", None).await;
        Some(EmptyPostgres {
            url,
            admin_url,
            name,
        })
    }
}

/// A new database named `prefix` and a random suffix on the server of `admin_url`, a copy of
/// `template` if given: its name and URL.
async fn create_database(
    admin_url: &str,
    prefix: &str,
    template: Option<&str>,
) -> (String, String) {
    let name = format!("{prefix}_{}", &linkong_store::random_token()[..16]);
    let admin = sqlx::PgPool::connect(admin_url)
        .await
        .expect("LINKONG_TEST_PG reachable");
    let copy = template.map_or(String::new(), |template| format!(" TEMPLATE {template}"));
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}{copy}")))
        .execute(&admin)
        .await
        .expect("create a test database");
    admin.close().await;
    let mut url = url::Url::parse(admin_url).expect("LINKONG_TEST_PG is a URL");
    url.set_path(&name);
    (name, url.to_string())
}

impl Drop for EmptyPostgres {
    fn drop(&mut self) {
        drop_database(self.admin_url.clone(), self.name.clone());
    }
}

/// The value of the first hidden input named `name` in `html` (a form's CSRF token).
pub fn hidden(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html
        .find(&marker)
        .unwrap_or_else(|| panic!("no hidden {name} in page"))
        + marker.len();
    html[start..start + html[start..].find('"').unwrap()].to_owned()
}

/// Says loudly that a part of the suite did not run, and fails under CI, where nothing may skip.
pub fn skip(what: &str, why: &str) {
    let message = format!("\n*** SKIPPED: {what} — {why} ***\n");
    if std::env::var_os("CI").is_some() {
        panic!("{message} (CI must run everything)");
    }
    // Written to the process's stderr directly: the test harness does not capture it.
    let _ = std::io::stderr().write_all(message.as_bytes());
}

static PG_NOTICE: std::sync::Once = std::sync::Once::new();

/// One fresh database per available backend, each with the plan loaded, the clock at `clock`.
pub async fn databases(clock: &TestClock) -> Vec<TestDb> {
    let mut dbs = vec![sqlite(clock).await];
    match std::env::var("LINKONG_TEST_PG") {
        Ok(url) if !url.is_empty() => dbs.push(postgres(&url, clock).await),
        _ => PG_NOTICE.call_once(|| {
            skip(
                "PostgreSQL half of the store and HTTP tests",
                "LINKONG_TEST_PG is not set",
            )
        }),
    }
    for db in &dbs {
        let plan = Plan::parse(PLAN_FILE).expect("the Dongxihu plan parses");
        db.store.load_plan(&plan, "test").await.expect("plan loads");
    }
    dbs
}

async fn sqlite(clock: &TestClock) -> TestDb {
    let files = tempfile::tempdir().expect("temp dir");
    let path = files.path().join("linkong.db");
    std::fs::copy(templates::sqlite().await, &path).expect("copy the migrated SQLite template");
    let url = format!("sqlite://{}", path.display());
    let cipher = test_cipher();
    let store = Store::open(&url, files.path(), clock.clock())
        .await
        .expect("SQLite opens")
        .with_field_cipher(cipher.clone());
    TestDb {
        store,
        backend: Backend::Sqlite,
        files,
        clock: clock.clone(),
        url,
        postgres: None,
        cipher,
    }
}

async fn postgres(admin_url: &str, clock: &TestClock) -> TestDb {
    let template = templates::postgres(admin_url).await;
    let (name, url) = create_database(admin_url, "linkong_test", Some(template)).await;
    let files = tempfile::tempdir().expect("temp dir");
    let cipher = test_cipher();
    let store = Store::open(&url, files.path(), clock.clock())
        .await
        .expect("PostgreSQL opens")
        .with_field_cipher(cipher.clone());
    TestDb {
        store,
        backend: Backend::Postgres,
        files,
        clock: clock.clone(),
        url,
        postgres: Some((admin_url.to_owned(), name)),
        cipher,
    }
}

/// A fresh random field key for each test database.
fn test_cipher() -> Arc<linkong_store::crypto::FieldCipher> {
    let hex = format!(
        "{}{}",
        linkong_store::random_token(),
        &linkong_store::random_token()[..32]
    );
    let mut material = [0u8; 48];
    for (i, byte) in material.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).expect("hex");
    }
    Arc::new(linkong_store::crypto::FieldCipher::from_material(&material))
}

pub fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

/// A made-up resident ID: `first17` and its GB 11643 check digit.
pub fn resident_id(first17: &str) -> String {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = first17
        .chars()
        .zip(WEIGHTS)
        .map(|(c, w)| c.to_digit(10).expect("17 digits") * w)
        .sum();
    let check = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'][(sum % 11) as usize];
    format!("{first17}{check}")
}

/// The made-up resident ID of resident `n` (n < 10,000) of 东西湖区: born 1990-01-01 plus n
/// days, so that every n gives another valid ID.
pub fn resident_id_for(n: usize) -> String {
    let born = date(1990, 1, 1) + chrono::Duration::days(n as i64);
    resident_id(&format!("420112{}{:03}", born.format("%Y%m%d"), n % 1000))
}

/// Sends checked `rows` to the store's import writer in batches, as the file reader does;
/// without `finish` the sender stops before the end of its file.
pub async fn import_rows(
    store: &Store,
    unit: &str,
    roster: linkong_core::access::Roster,
    rows: Vec<linkong_store::people::ImportRow>,
    finish: bool,
) -> linkong_store::Result<
    Result<linkong_store::people::ImportOutcome, Vec<linkong_store::people::RowRefusal>>,
> {
    let importer = linkong_store::people::Importer {
        user_id: None,
        name: "命令行".into(),
        unit_code: unit.into(),
        ip: String::new(),
        run: None,
    };
    import_rows_as(store, &importer, roster, rows, finish).await
}

/// Sends checked `rows` to the store's import writer as `importer` (a web import run's, say),
/// in batches, as the file reader does; without `finish` the sender stops before the end.
pub async fn import_rows_as(
    store: &Store,
    importer: &linkong_store::people::Importer,
    roster: linkong_core::access::Roster,
    rows: Vec<linkong_store::people::ImportRow>,
    finish: bool,
) -> linkong_store::Result<
    Result<linkong_store::people::ImportOutcome, Vec<linkong_store::people::RowRefusal>>,
> {
    use linkong_store::people::ImportBatch;
    let (sender, receiver) = tokio::sync::mpsc::channel(2);
    let send = tokio::spawn(async move {
        for chunk in rows.chunks(700) {
            let _ = sender.send(ImportBatch::Rows(chunk.to_vec())).await;
        }
        if finish {
            let _ = sender.send(ImportBatch::Finish).await;
        }
    });
    let result = store
        .import_rows(importer, roster, "名册.xlsx", receiver)
        .await;
    send.await.expect("sender");
    result
}

/// A new account with a fixed password, as an actor.
pub async fn account(
    store: &Store,
    username: &str,
    role: linkong_core::access::Role,
    unit: Option<&str>,
) -> linkong_core::access::Actor {
    let new = linkong_store::users::NewUser {
        username: username.into(),
        display_name: username.into(),
        role,
        unit_code: unit.map(str::to_owned),
        password: linkong_core::password::NewPassword::parse("Account#2025x", "x")
            .expect("a good password"),
        must_change_password: false,
    };
    store
        .create_user(None, new, "")
        .await
        .expect("account created")
        .actor()
}

/// A made-up USCC of a business registered in 东西湖区, number `n` (n < 100,000), with its
/// GB 32100 check character.
pub fn uscc_for(n: usize) -> String {
    const CHARSET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    const WEIGHTS: [usize; 17] = [
        1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
    ];
    let first17 = format!("92420112MA4K{n:05}");
    let sum: usize = first17
        .chars()
        .zip(WEIGHTS)
        .map(|(c, w)| CHARSET.find(c).expect("USCC character") * w)
        .sum();
    let check = CHARSET.as_bytes()[(31 - sum % 31) % 31] as char;
    format!("{first17}{check}")
}

/// The actions of the audit log, newest first.
pub async fn audit_actions(store: &Store) -> Vec<String> {
    store
        .recent_audit(1000)
        .await
        .expect("the audit log")
        .into_iter()
        .map(|r| r.action)
        .collect()
}

/// Registers one out-migrant's row, imported by 区人社局.
pub async fn import_migrant(store: &Store, row: linkong_store::people::ImportRow) {
    import_rows(
        store,
        "rsj",
        linkong_core::access::Roster::Migrants,
        vec![row],
        true,
    )
    .await
    .expect("imported")
    .expect("no refusals");
}

/// The first out-migrant `actor` reaches in the registry: their person id.
pub async fn first_migrant_id(store: &Store, actor: &linkong_core::access::Actor) -> i64 {
    let all = linkong_store::people::MigrantFilter::default();
    store
        .migrants(&plan(), actor, &all, 1, 5, "")
        .await
        .expect("the registry")
        .0
        .first()
        .expect("a migrant within reach")
        .person_id
}

/// The Dongxihu plan, parsed.
pub fn plan() -> Plan {
    Plan::parse(PLAN_FILE).expect("the plan file parses")
}

/// The field errors of a refusal, each as `字段：原因`; panics on any other error.
pub fn field_errors(error: linkong_store::Error) -> Vec<String> {
    match error {
        linkong_store::Error::Fields(errors) => errors.iter().map(|e| e.to_string()).collect(),
        other => panic!("expected field errors, got {other:?}"),
    }
}

/// Out-migrant `n`'s survey row checked as the roster import checks it (on 2025-06-01).
fn migrant_row(
    n: usize,
    draft: &linkong_core::people::MigrantDraft,
) -> linkong_store::people::ImportRow {
    let valid = linkong_core::people::validate_migrant(&plan(), draft, date(2025, 6, 1))
        .expect("a valid migrant");
    linkong_store::people::ImportRow {
        row: n + 1,
        sealed: None,
        data: linkong_store::people::RowData::Migrant(valid),
    }
}

/// Out-migrant `n` of `street`, named `{name}{n}`, working in 广东东莞 and wanting to come
/// back and start a business: a row as the roster import checks it.
pub fn would_be_founder(n: usize, name: &str, street: &str) -> linkong_store::people::ImportRow {
    use linkong_core::people::{MigrantDraft, PersonDraft};
    let draft = MigrantDraft {
        person: PersonDraft {
            name: format!("{name}{n}"),
            id_number: resident_id_for(n),
            street: street.into(),
            ..Default::default()
        },
        province: "广东".into(),
        city: "东莞".into(),
        section: "C".into(),
        years_away: "6".into(),
        intention: "返区创业".into(),
        business_field: "特色种养殖".into(),
        contact_consent: "是".into(),
        surveyed_on: "2025-02-01".into(),
        ..Default::default()
    };
    migrant_row(n, &draft)
}

/// Out-migrant `n` of `street` who wants to come back to work (返区就业), named `返区求职{n}`: a
/// cashier in 广东东莞 with a bachelor's degree and the phone `1365000{n:04}`, who agreed to be
/// contacted or not (`consent`): a row as the roster import checks it.
pub fn job_seeking_returnee(
    n: usize,
    street: &str,
    consent: bool,
) -> linkong_store::people::ImportRow {
    use linkong_core::people::{MigrantDraft, PersonDraft};
    let draft = MigrantDraft {
        person: PersonDraft {
            name: format!("返区求职{n}"),
            id_number: resident_id_for(n),
            phone: format!("1365000{:04}", n % 10_000),
            street: street.into(),
            schooling: "本科".into(),
            ..Default::default()
        },
        province: "广东".into(),
        city: "东莞".into(),
        section: "C".into(),
        occupation: "会计".into(),
        skills: "出纳、Excel".into(),
        years_away: "5".into(),
        intention: "返区就业".into(),
        contact_consent: if consent { "是" } else { "否" }.into(),
        surveyed_on: "2025-02-01".into(),
        ..Default::default()
    };
    migrant_row(n, &draft)
}

/// The figure (hundredths) of `unit` on indicator `code` in `year` as of `today`: as the
/// dashboard computes it from the tallies, and as counted from every row of the registries.
/// Store tests compare the two.
pub async fn unit_figures(
    store: &Store,
    code: &str,
    unit: &str,
    year: i32,
    today: NaiveDate,
) -> (Option<i64>, Option<i64>) {
    let plan = plan();
    let (from, to) = (date(year, 1, 1), date(year, 12, 31));
    let tallied = store.record_figures(&plan, from, to).await.unwrap();
    let counted = store
        .record_figures_from_rows(&plan, from, to)
        .await
        .unwrap();
    let of = |figures| {
        linkong_core::progress::compute(&plan, year, today, figures)
            .into_iter()
            .find(|p| p.indicator_code == code)
            .unwrap_or_else(|| panic!("indicator {code}"))
            .units
            .into_iter()
            .find(|u| u.unit_code == unit)
            .and_then(|u| u.figure.actual)
    };
    (of(&tallied), of(&counted))
}

/// Unplaced graduate `n` of `street` on the 2025 roster (毕业生{n}, left 江汉大学 on
/// 2025-06-30): a row as the roster import checks it.
pub fn unplaced_graduate(n: usize, street: &str) -> linkong_store::people::ImportRow {
    use linkong_core::people::{GraduateDraft, PersonDraft, validate_graduate};
    let draft = GraduateDraft {
        person: PersonDraft {
            name: format!("毕业生{n}"),
            id_number: resident_id_for(n),
            street: street.into(),
            schooling: "本科".into(),
            ..Default::default()
        },
        school: "江汉大学".into(),
        major: "会计学".into(),
        degree: "本科".into(),
        graduated_on: "2025-06-30".into(),
        wish: "财务".into(),
    };
    let valid = validate_graduate(&plan(), &draft, date(2025, 10, 10)).expect("a valid graduate");
    linkong_store::people::ImportRow {
        row: n + 1,
        sealed: None,
        data: linkong_store::people::RowData::Graduate(valid),
    }
}
