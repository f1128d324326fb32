//! `linkong backup verify FILE`: every entry's digest against the manifest, then the database
//! copy opened as it is — SQLite extracted to a temporary directory and opened read-only, a
//! PostgreSQL dump restored into a scratch database — its rows per table, its audit head and
//! its whole audit chain against the manifest.

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

use linkong_core::backup::manifest::{BackupBackend, Difference, Manifest, entry_differences};
use linkong_store::backup::TableCounts;

use super::{BackupError, archive, inspect, postgres};

/// Where a PostgreSQL dump is restored to be checked.
#[derive(Debug, Clone, Copy)]
pub enum Scratch<'a> {
    /// No PostgreSQL at hand: a PostgreSQL backup cannot be verified.
    None,
    /// An empty database to restore into (`--scratch-url`).
    Database(&'a str),
    /// A server (`--database-url`) on which a database is created for the check and dropped.
    OnServer(&'a str),
}

/// What a verification found.
#[derive(Debug, Clone)]
pub struct Verification {
    pub manifest: Manifest,
    /// The database copy's rows per table (empty when the copy itself was damaged).
    pub tables: TableCounts,
    pub differences: Vec<Difference>,
}

impl Verification {
    pub fn holds(&self) -> bool {
        self.differences.is_empty()
    }
}

/// Checks the archive at `file` against its manifest (see the module's comment).
pub async fn verify(file: &Path, scratch: Scratch<'_>) -> Result<Verification, BackupError> {
    let work = tempfile::tempdir().map_err(|e| BackupError::io(&std::env::temp_dir(), e))?;
    let extracted = work.path().to_owned();
    let archive = file.to_owned();
    let contents = tokio::task::spawn_blocking(move || {
        archive::read(&archive, |name, reader| {
            extract_database(name, reader, &extracted)
        })
    })
    .await
    .map_err(|e| BackupError::Config(format!("校验中断：{e}")))??;
    let manifest = contents.manifest;
    let mut differences = entry_differences(&manifest.entries, &contents.entries);
    let database = manifest.backend.database_entry();
    let copy_damaged = differences.iter().any(|d| match d {
        Difference::MissingEntry(path) | Difference::EntryChanged { path, .. } => path == database,
        _ => false,
    });
    let mut tables = TableCounts::new();
    if !copy_damaged {
        let copy = work.path().join(file_name(database));
        let found = match manifest.backend {
            BackupBackend::Sqlite => {
                inspect(&format!("sqlite://{}", copy.display()), work.path()).await?
            }
            BackupBackend::Postgres => inspect_dump(&copy, scratch, work.path()).await?,
        };
        differences.extend(found.differences(&manifest));
        tables = found.tables;
    }
    Ok(Verification {
        manifest,
        tables,
        differences,
    })
}

fn file_name(entry: &str) -> &str {
    entry.rsplit('/').next().unwrap_or(entry)
}

/// Copies the database entry (either backend's) into `dir`; every other entry is only hashed.
fn extract_database(name: &str, reader: &mut dyn Read, dir: &Path) -> io::Result<()> {
    let database = [BackupBackend::Sqlite, BackupBackend::Postgres]
        .into_iter()
        .map(BackupBackend::database_entry)
        .find(|entry| *entry == name);
    if let Some(entry) = database {
        let mut out = File::create_new(dir.join(file_name(entry)))?;
        io::copy(reader, &mut out)?;
    }
    Ok(())
}

/// Restores the dump into the scratch database and reads it there.
async fn inspect_dump(
    dump: &Path,
    scratch: Scratch<'_>,
    files_dir: &Path,
) -> Result<super::Inspected, BackupError> {
    match scratch {
        Scratch::None => Err(BackupError::Config(
            "这是 PostgreSQL 的备份：请用 --scratch-url 给出一个空数据库，或用 --database-url 给出可以临时建库的服务器".into(),
        )),
        Scratch::Database(url) => {
            postgres::restore(url, dump).await?;
            inspect(url, files_dir).await
        }
        Scratch::OnServer(server) => {
            let scratch = postgres::Scratch::create(server).await?;
            let found = match postgres::restore(&scratch.url, dump).await {
                Ok(()) => inspect(&scratch.url, files_dir).await,
                Err(e) => Err(e),
            };
            scratch.drop_now().await;
            found
        }
    }
}
