//! Migrated databases that each test's database is copied from. Running every migration took
//! 0.25 s of a test on SQLite and 0.6 s on PostgreSQL, two thirds of its 1.2 s of setting up;
//! copying takes a few milliseconds (a file copy; `CREATE DATABASE … TEMPLATE`).
//!
//! A template is named by the digest of its migrations (`migrations_digest`), so a changed or
//! added migration makes a new one, and it is kept between test runs: the SQLite one as a file
//! in the system's temporary directory, the PostgreSQL one as a database on the test server.
//! Each is built under a name of its own and renamed into place, so that a test process never
//! copies one half-built by another. Each test still opens its copy with `Store::open`, which
//! checks every migration's checksum against the copy's.

use std::path::{Path, PathBuf};

use linkong_store::schema::migrations_digest;
use linkong_store::{Backend, Store, system_clock};
use tokio::sync::OnceCell;

static SQLITE: OnceCell<PathBuf> = OnceCell::const_new();
static POSTGRES: OnceCell<String> = OnceCell::const_new();

/// Characters of the digest a template's name keeps.
const DIGEST_CHARS: usize = 16;

/// The migrated SQLite file to copy, made by this process's first test if no earlier run made it.
pub(crate) async fn sqlite() -> &'static Path {
    SQLITE.get_or_init(make_sqlite).await
}

async fn make_sqlite() -> PathBuf {
    let digest = migrations_digest(Backend::Sqlite);
    let temp = std::env::temp_dir();
    let path = temp.join(format!(
        "linkong-test-template-{}.db",
        &digest[..DIGEST_CHARS]
    ));
    if path.exists() {
        return path;
    }
    let dir = tempfile::tempdir_in(&temp).expect("temp dir");
    let building = dir.path().join("linkong.db");
    let url = format!("sqlite://{}", building.display());
    let store = Store::open(&url, dir.path(), system_clock())
        .await
        .expect("the SQLite template migrates");
    // Closing the last connection checkpoints the write-ahead log into the file and removes it.
    store.close().await;
    // A rename within one directory is atomic: another process sees the whole file or none.
    std::fs::rename(&building, &path).expect("the SQLite template is put in place");
    path
}

/// The name of the migrated PostgreSQL database to copy on the server of `admin_url`, made by
/// this process's first test if no earlier run made it.
pub(crate) async fn postgres(admin_url: &str) -> &'static str {
    POSTGRES.get_or_init(|| make_postgres(admin_url)).await
}

async fn make_postgres(admin_url: &str) -> String {
    let digest = migrations_digest(Backend::Postgres);
    let name = format!("linkong_template_{}", &digest[..DIGEST_CHARS]);
    let admin = sqlx::PgPool::connect(admin_url)
        .await
        .expect("LINKONG_TEST_PG reachable");
    let exists: bool =
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)")
            .bind(&name)
            .fetch_one(&admin)
            .await
            .expect("read pg_database");
    if !exists {
        build_postgres(&admin, admin_url, &name).await;
        forget_older_templates(&admin, &name).await;
    }
    admin.close().await;
    name
}

/// Migrates a new database and renames it `name`; if another process got there first, drops it.
async fn build_postgres(admin: &sqlx::PgPool, admin_url: &str, name: &str) {
    let (building, url) = crate::create_database(admin_url, "linkong_building", None).await;
    let files = tempfile::tempdir().expect("temp dir");
    let store = Store::open(&url, files.path(), system_clock())
        .await
        .expect("the PostgreSQL template migrates");
    store.close().await;
    // Waits (up to 5 s, PostgreSQL's own limit) for the closed connections' backends to exit.
    let renamed = sqlx::query(sqlx::AssertSqlSafe(format!(
        "ALTER DATABASE {building} RENAME TO {name}"
    )))
    .execute(admin)
    .await;
    if renamed.is_err() {
        crate::drop_database(admin_url.to_owned(), building);
    }
}

/// Drops the templates of earlier migrations (one in use by another run stays; so be it).
async fn forget_older_templates(admin: &sqlx::PgPool, name: &str) {
    let older: Vec<String> = sqlx::query_scalar(
        "SELECT datname FROM pg_database WHERE datname LIKE 'linkong\\_template\\_%' AND datname <> $1",
    )
    .bind(name)
    .fetch_all(admin)
    .await
    .unwrap_or_default();
    for old in older {
        let _ = sqlx::query(sqlx::AssertSqlSafe(format!(
            "DROP DATABASE IF EXISTS {old}"
        )))
        .execute(admin)
        .await;
    }
}
