//! Migrations that rewrite stored values, run on values written the way the migration before
//! them left them.

use sqlx::Row;

use crate::crypto::FieldCipher;
use crate::{POSTGRES_MIGRATIONS, SQLITE_MIGRATIONS};

/// The last migration that stored sealed values as `sm4gcm1:` and hex.
const BEFORE_BYTES: i64 = 13;

const ID: &str = "420112199001011234";
const PHONE: &str = "13812345678";

fn cipher() -> FieldCipher {
    FieldCipher::from_material(&[7u8; 48])
}

/// A value sealed as before migration 0014: the scheme as a text prefix, the rest in hex.
fn old_sealed(cipher: &FieldCipher, plain: &str) -> String {
    format!("sm4gcm1:{}", hex::encode(&cipher.encrypt(plain)[1..]))
}

const INSERT_PERSON: &str = "INSERT INTO persons (id_number_enc, id_number_index, name, gender, \
     birth_date, phone_enc, phone_index, street_code, community, schooling, created_at, updated_at) \
     VALUES ($1, $2, '王芳', 'female', '1990-01-01', $3, $4, 'xinandu', '一社区', NULL, \
     '2025-01-01T00:00:00+00:00', '2025-01-01T00:00:00+00:00')";

const INSERT_UNIT: &str = "INSERT INTO units (code, name, full_name, kind, aliases, position, active) \
     VALUES ('xinandu', '辛安渡', '辛安渡街道', 'street', '', 1, TRUE)";

const SELECT_PERSON: &str =
    "SELECT id_number_enc, id_number_index, phone_enc, phone_index FROM persons";

/// The person as stored after migration 0014 opens with the same key and finds the same index.
fn check(row: (Vec<u8>, Vec<u8>, Vec<u8>, Vec<u8>)) {
    let c = cipher();
    let (id_enc, id_index, phone_enc, phone_index) = row;
    assert_eq!(c.decrypt(&id_enc).unwrap(), ID);
    assert_eq!(c.decrypt(&phone_enc).unwrap(), PHONE);
    assert_eq!(id_index, c.blind_index(ID));
    assert_eq!(phone_index, c.blind_index(PHONE));
}

fn person_row<R: Row>(row: &R) -> (Vec<u8>, Vec<u8>, Vec<u8>, Vec<u8>)
where
    for<'r> Vec<u8>: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    usize: sqlx::ColumnIndex<R>,
{
    (row.get(0), row.get(1), row.get(2), row.get(3))
}

/// Writes a resident as the migrations before 0014 left them, runs the rest of `migrations`
/// on `pool` and checks what they made of the resident (a macro: one body, two databases).
macro_rules! migrate_old_person {
    ($migrations:expr, $pool:expr) => {{
        let c = cipher();
        sqlx::query(INSERT_PERSON)
            .bind(old_sealed(&c, ID))
            .bind(hex::encode(c.blind_index(ID)))
            .bind(old_sealed(&c, PHONE))
            .bind(hex::encode(c.blind_index(PHONE)))
            .execute($pool)
            .await
            .unwrap();
        $migrations.run($pool).await.unwrap();
        let row = sqlx::query(SELECT_PERSON).fetch_one($pool).await.unwrap();
        check(person_row(&row));
    }};
}

/// A new SQLite database migrated up to [`BEFORE_BYTES`], on one connection without foreign
/// keys (only the rows a test writes: no units behind their street codes).
async fn sqlite_before_bytes() -> (tempfile::TempDir, sqlx::SqlitePool) {
    use std::str::FromStr;
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("old.db").display());
    let options = sqlx::sqlite::SqliteConnectOptions::from_str(&url)
        .unwrap()
        .create_if_missing(true)
        .foreign_keys(false);
    let pool = sqlx::sqlite::SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(options)
        .await
        .unwrap();
    SQLITE_MIGRATIONS.run_to(BEFORE_BYTES, &pool).await.unwrap();
    (dir, pool)
}

#[tokio::test]
async fn sqlite_sealed_hex_becomes_bytes_that_still_open() {
    let (_dir, pool) = sqlite_before_bytes().await;
    migrate_old_person!(SQLITE_MIGRATIONS, &pool);
    let kinds: (String, String) =
        sqlx::query_as("SELECT typeof(id_number_enc), typeof(id_number_index) FROM persons")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(kinds, ("blob".to_owned(), "blob".to_owned()));
    // Migration 0015 rebuilt persons: the same indexes, ids without AUTOINCREMENT.
    let indexes: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'persons' ORDER BY name",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(indexes, ["persons_street", "sqlite_autoindex_persons_1"]);
    // Migration 0015 ends with foreign keys on, as the platform's connections have them.
    sqlx::query(INSERT_UNIT).execute(&pool).await.unwrap();
    let c = cipher();
    sqlx::query(INSERT_PERSON)
        .bind(c.encrypt("420112199001011242"))
        .bind(c.blind_index("420112199001011242"))
        .bind(None::<Vec<u8>>)
        .bind(None::<Vec<u8>>)
        .execute(&pool)
        .await
        .unwrap();
    let counted: (i64, i64, i64) = sqlx::query_as(
        "SELECT count(*), max(id), (SELECT count(*) FROM sqlite_sequence WHERE name = 'persons') \
         FROM persons",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(counted, (2, 2, 0), "a plain rowid: no sqlite_sequence row");
    let duplicate = sqlx::query(INSERT_PERSON)
        .bind(c.encrypt(ID))
        .bind(c.blind_index(ID))
        .bind(None::<Vec<u8>>)
        .bind(None::<Vec<u8>>)
        .execute(&pool)
        .await;
    assert!(duplicate.is_err(), "the blind index is still unique");
}

#[tokio::test]
async fn sqlite_migration_0014_stops_on_a_value_it_cannot_convert() {
    let (_dir, pool) = sqlite_before_bytes().await;
    let c = cipher();
    sqlx::query(INSERT_PERSON)
        .bind(old_sealed(&c, ID))
        .bind(hex::encode(c.blind_index(ID)))
        .bind("sm4gcm1:not-hex")
        .bind(hex::encode(c.blind_index(PHONE)))
        .execute(&pool)
        .await
        .unwrap();
    assert!(SQLITE_MIGRATIONS.run(&pool).await.is_err());
    let stored: String = sqlx::query_scalar("SELECT phone_enc FROM persons")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(stored, "sm4gcm1:not-hex", "nothing converted");
}

#[tokio::test]
async fn postgres_sealed_hex_becomes_bytes_that_still_open() {
    let Some(admin) = std::env::var("LINKONG_TEST_PG")
        .ok()
        .filter(|u| !u.is_empty())
    else {
        linkong_testkit::skip(
            "PostgreSQL half of migration 0014's test",
            "LINKONG_TEST_PG is not set",
        );
        return;
    };
    let name = format!("linkong_test_{}", &crate::random_token()[..16]);
    let admin_pool = sqlx::PgPool::connect(&admin).await.unwrap();
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&admin_pool)
        .await
        .unwrap();
    let mut url = url::Url::parse(&admin).unwrap();
    url.set_path(&name);
    let pool = sqlx::postgres::PgPoolOptions::new()
        .max_connections(1)
        .connect(url.as_str())
        .await
        .unwrap();
    POSTGRES_MIGRATIONS
        .run_to(BEFORE_BYTES, &pool)
        .await
        .unwrap();
    sqlx::query(INSERT_UNIT).execute(&pool).await.unwrap();
    migrate_old_person!(POSTGRES_MIGRATIONS, &pool);
    pool.close().await;
    sqlx::query(sqlx::AssertSqlSafe(format!("DROP DATABASE {name}")))
        .execute(&admin_pool)
        .await
        .unwrap();
}
