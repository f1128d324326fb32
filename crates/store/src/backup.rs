//! What a backup asks of the database (issue 17 item 4): a consistent copy taken while the
//! server writes, and the figures a copy is checked against — rows per table and the audit
//! chain's head — read inside the same snapshot as the copy.
//!
//! SQLite: `VACUUM INTO` copies the database inside one read transaction, which in WAL mode
//! neither blocks nor is blocked by writers; the counts are read from the copy. PostgreSQL: a
//! `REPEATABLE READ` transaction exports its snapshot (`pg_export_snapshot()`), counts in it,
//! and is held open while `pg_dump --snapshot` dumps exactly what it saw ([`HeldSnapshot`]).

use std::collections::BTreeMap;
use std::path::Path;
use std::str::FromStr;

use linkong_core::backup::manifest::AuditHead;
use sqlx::postgres::Postgres;
use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};

use crate::{Clock, Db, Error, Result, Store, connect_postgres, is_postgres, on_db};

/// Rows per table, by table name.
pub type TableCounts = BTreeMap<String, i64>;

const SQLITE_TABLES: &str = "SELECT name FROM sqlite_master \
     WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name";
const POSTGRES_TABLES: &str = "SELECT tablename::text FROM pg_tables \
     WHERE schemaname = current_schema() ORDER BY tablename";
const AUDIT_HEAD: &str = "SELECT last_id, last_hash FROM audit_head WHERE singleton = 1";

/// One statement counting every table, so that all counts come from one read.
fn count_sql(tables: &[String]) -> String {
    tables
        .iter()
        .map(|t| {
            format!(
                "SELECT '{}' AS name, COUNT(*) AS n FROM \"{}\"",
                t.replace('\'', "''"),
                t.replace('"', "\"\"")
            )
        })
        .collect::<Vec<_>>()
        .join(" UNION ALL ")
}

/// Lists the tables with `$list` and counts them, on one connection (or transaction).
macro_rules! count_tables {
    ($conn:expr, $list:expr) => {{
        let tables: Vec<String> = sqlx::query_scalar($list).fetch_all(&mut *$conn).await?;
        let counts: Vec<(String, i64)> = if tables.is_empty() {
            Vec::new()
        } else {
            sqlx::query_as(sqlx::AssertSqlSafe(count_sql(&tables)))
                .fetch_all(&mut *$conn)
                .await?
        };
        counts.into_iter().collect::<TableCounts>()
    }};
}

fn audit_head(row: Option<(i64, String)>) -> Option<AuditHead> {
    row.map(|(last_id, last_hash)| AuditHead { last_id, last_hash })
}

/// A PostgreSQL snapshot held open for `pg_dump --snapshot`, with the counts and audit head
/// read in it. Release it when the dump is done; dropping it releases it too.
pub struct HeldSnapshot {
    tx: sqlx::Transaction<'static, Postgres>,
    /// The snapshot's name, for `pg_dump --snapshot`.
    pub name: String,
    pub tables: TableCounts,
    pub audit: Option<AuditHead>,
}

impl HeldSnapshot {
    pub async fn release(self) -> Result<()> {
        Ok(self.tx.rollback().await?)
    }
}

impl Store {
    /// Rows per table of the whole database, in one statement.
    pub async fn table_counts(&self) -> Result<TableCounts> {
        Ok(match &self.db {
            Db::Sqlite(pool) => {
                let mut conn = pool.acquire().await?;
                count_tables!(conn, SQLITE_TABLES)
            }
            Db::Postgres(pool) => {
                let mut conn = pool.acquire().await?;
                count_tables!(conn, POSTGRES_TABLES)
            }
        })
    }

    /// The audit chain's newest link (None: nothing audited yet).
    pub async fn audit_head(&self) -> Result<Option<AuditHead>> {
        let row = on_db!(self, pool => sqlx::query_as(AUDIT_HEAD).fetch_optional(pool).await?);
        Ok(audit_head(row))
    }

    /// SQLite: a consistent copy of the database at `path` (which must not exist), taken in
    /// one read transaction while other connections keep writing.
    pub async fn copy_sqlite_into(&self, path: &Path) -> Result<()> {
        let Db::Sqlite(pool) = &self.db else {
            return Err(Error::Config("VACUUM INTO 只适用于 SQLite".into()));
        };
        let target = path
            .to_str()
            .ok_or_else(|| Error::Config(format!("路径不是 UTF-8：{}", path.display())))?;
        sqlx::query("VACUUM INTO $1")
            .bind(target)
            .execute(pool)
            .await?;
        Ok(())
    }

    /// PostgreSQL: a `REPEATABLE READ` snapshot exported for `pg_dump --snapshot`, with the
    /// rows per table and the audit head as that snapshot sees them.
    pub async fn hold_pg_snapshot(&self) -> Result<HeldSnapshot> {
        let Db::Postgres(pool) = &self.db else {
            return Err(Error::Config("导出快照只适用于 PostgreSQL".into()));
        };
        let mut tx = pool
            .begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            .await?;
        let name: String = sqlx::query_scalar("SELECT pg_export_snapshot()")
            .fetch_one(&mut *tx)
            .await?;
        let tables = count_tables!(tx, POSTGRES_TABLES);
        let audit = if tables.contains_key("audit_head") {
            audit_head(sqlx::query_as(AUDIT_HEAD).fetch_optional(&mut *tx).await?)
        } else {
            None
        };
        Ok(HeldSnapshot {
            tx,
            name,
            tables,
            audit,
        })
    }

    /// Opens a database as it is, to read it only: no migrations, no figures built. A SQLite
    /// file is opened immutable, which reads the main file only and ignores any WAL: use it
    /// for a copy nobody writes (made by `VACUUM INTO`, extracted or restored), never for
    /// a live database.
    pub async fn open_read_only(url: &str, files_dir: &Path, clock: Clock) -> Result<Store> {
        let db = if is_postgres(url) {
            Db::Postgres(connect_postgres(url, 2).await?)
        } else {
            let options = SqliteConnectOptions::from_str(url)?
                .read_only(true)
                .immutable(true);
            let pool = SqlitePoolOptions::new()
                .max_connections(2)
                .connect_with(options)
                .await?;
            Db::Sqlite(pool)
        };
        Ok(Store::on(db, files_dir, clock))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_table_is_counted_in_one_statement_with_its_name_quoted() {
        let sql = count_sql(&["users".into(), "odd\"na'me".into()]);
        assert_eq!(
            sql,
            "SELECT 'users' AS name, COUNT(*) AS n FROM \"users\" UNION ALL \
             SELECT 'odd\"na''me' AS name, COUNT(*) AS n FROM \"odd\"\"na'me\""
        );
    }
}
