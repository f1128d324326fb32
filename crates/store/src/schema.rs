//! The tables and columns the migrations produced, read from the database's own catalogue;
//! a test compares SQLite's and PostgreSQL's. And a digest of the migrations themselves.

use std::collections::BTreeMap;

use sm3::{Digest, Sm3};

use crate::{Backend, Db, POSTGRES_MIGRATIONS, Result, SQLITE_MIGRATIONS, Store};

/// The SM3 digest, in hex, of `backend`'s migrations (each one's version and checksum): two
/// databases migrated under the same digest have the same schema. The tests name the migrated
/// database they copy for each test by it.
pub fn migrations_digest(backend: Backend) -> String {
    let migrator = match backend {
        Backend::Sqlite => &SQLITE_MIGRATIONS,
        Backend::Postgres => &POSTGRES_MIGRATIONS,
    };
    let mut digest = Sm3::new();
    for migration in migrator.iter() {
        digest.update(migration.version.to_be_bytes());
        digest.update(&migration.checksum);
    }
    hex::encode(digest.finalize())
}

impl Store {
    /// Table name → sorted "column NULL|NOT NULL", without sqlx's own bookkeeping table.
    pub async fn schema_columns(&self) -> Result<BTreeMap<String, Vec<String>>> {
        let pairs: Vec<(String, String)> = match &self.db {
            Db::Sqlite(pool) => {
                sqlx::query_as(
                    // An INTEGER PRIMARY KEY is the rowid: never NULL, whatever `notnull` says.
                    "SELECT m.name, p.name || CASE WHEN p.\"notnull\" = 1 OR p.pk > 0 THEN ' NOT NULL' ELSE ' NULL' END \
                     FROM sqlite_master m JOIN pragma_table_info(m.name) p \
                     WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE '_sqlx%'",
                )
                .fetch_all(pool)
                .await?
            }
            Db::Postgres(pool) => {
                sqlx::query_as(
                    "SELECT table_name::text, column_name::text || CASE WHEN is_nullable = 'NO' THEN ' NOT NULL' ELSE ' NULL' END \
                     FROM information_schema.columns \
                     WHERE table_schema = current_schema() AND table_name NOT LIKE '_sqlx%'",
                )
                .fetch_all(pool)
                .await?
            }
        };
        let mut tables: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (table, column) in pairs {
            tables.entry(table).or_default().push(column);
        }
        for columns in tables.values_mut() {
            columns.sort();
        }
        Ok(tables)
    }
}
