//! The tables and columns the migrations produced, read from the database's own catalogue;
//! a test compares SQLite's and PostgreSQL's.

use std::collections::BTreeMap;

use crate::{Db, Result, Store};

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
