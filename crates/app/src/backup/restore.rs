//! `linkong restore FILE`: into an empty data directory (SQLite) or an empty PostgreSQL
//! database. Every entry's digest is checked against the manifest before anything is written;
//! then the database and the files are put in place and the restored database is read back
//! against the manifest's counts and audit head.

use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use linkong_core::backup::manifest::{
    BackupBackend, Difference, Manifest, entry_differences, restorable_path,
};
use linkong_store::backup::TableCounts;
use linkong_store::{Store, redact_url};

use super::{BackupError, archive, inspect, postgres};

/// Where a backup is restored.
#[derive(Debug, Clone)]
pub enum Target {
    /// A SQLite backup into an empty data directory (only `keys/` may be there).
    Sqlite { data_dir: PathBuf },
    /// A PostgreSQL backup into an empty database; its files go to `data_dir/files`.
    Postgres { url: String, data_dir: PathBuf },
}

impl Target {
    fn data_dir(&self) -> &Path {
        match self {
            Target::Sqlite { data_dir } | Target::Postgres { data_dir, .. } => data_dir,
        }
    }

    fn backend(&self) -> BackupBackend {
        match self {
            Target::Sqlite { .. } => BackupBackend::Sqlite,
            Target::Postgres { .. } => BackupBackend::Postgres,
        }
    }
}

/// A restore done.
#[derive(Debug, Clone)]
pub struct Restored {
    pub manifest: Manifest,
    /// The restored database's rows per table.
    pub tables: TableCounts,
    /// How the restored database differs from the manifest (empty when it is whole).
    pub differences: Vec<Difference>,
}

pub async fn restore(file: &Path, target: Target) -> Result<Restored, BackupError> {
    refuse_non_empty(&target).await?;
    let manifest = check_before_writing(file, &target).await?;
    let data_dir = target.data_dir().to_owned();
    std::fs::create_dir_all(&data_dir).map_err(|e| BackupError::io(&data_dir, e))?;
    let work = tempfile::tempdir().map_err(|e| BackupError::io(&std::env::temp_dir(), e))?;
    let database = match &target {
        Target::Sqlite { .. } => data_dir.join("linkong.db"),
        Target::Postgres { .. } => work.path().join("linkong.pgdump"),
    };
    let (archive, dest) = (file.to_owned(), database.clone());
    let backend = manifest.backend;
    let placed = tokio::task::spawn_blocking(move || {
        archive::read(&archive, |name, reader| {
            place(name, reader, backend, &dest, &data_dir)
        })
    })
    .await
    .map_err(|e| BackupError::Config(format!("恢复中断：{e}")))??;
    let changed = entry_differences(&manifest.entries, &placed.entries);
    if !changed.is_empty() {
        return Err(BackupError::Differs(changed));
    }
    let url = match &target {
        Target::Sqlite { .. } => format!("sqlite://{}", database.display()),
        Target::Postgres { url, .. } => {
            postgres::restore(url, &database).await?;
            url.clone()
        }
    };
    let found = inspect(&url, work.path()).await?;
    Ok(Restored {
        differences: found.differences(&manifest),
        tables: found.tables,
        manifest,
    })
}

/// Refuses a data directory holding anything but `keys/`, and a database holding any table.
async fn refuse_non_empty(target: &Target) -> Result<(), BackupError> {
    let dir = target.data_dir();
    if let Ok(entries) = std::fs::read_dir(dir) {
        let mut names: Vec<String> = entries
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|name| name != "keys")
            .collect();
        names.sort();
        if !names.is_empty() {
            return Err(BackupError::NotEmpty(format!(
                "数据目录 {} 中已有 {}",
                dir.display(),
                names.join("、")
            )));
        }
    }
    if let Target::Postgres { url, .. } = target {
        let store = Store::open_read_only(url, dir, linkong_store::system_clock()).await?;
        let tables = store.table_counts().await?;
        store.close().await;
        if !tables.is_empty() {
            let some: Vec<&str> = tables.keys().take(3).map(String::as_str).collect();
            return Err(BackupError::NotEmpty(format!(
                "数据库 {} 中已有 {} 张表（{} …）",
                redact_url(url),
                tables.len(),
                some.join("、")
            )));
        }
    }
    Ok(())
}

/// Reads the whole archive, writing nothing: its entries must match the manifest, its backend
/// the target's, and every entry must be a path restore may write.
async fn check_before_writing(file: &Path, target: &Target) -> Result<Manifest, BackupError> {
    let archive = file.to_owned();
    let contents = tokio::task::spawn_blocking(move || archive::read(&archive, |_, _| Ok(())))
        .await
        .map_err(|e| BackupError::Config(format!("恢复中断：{e}")))??;
    let manifest = contents.manifest;
    let differences = entry_differences(&manifest.entries, &contents.entries);
    if !differences.is_empty() {
        return Err(BackupError::Differs(differences));
    }
    if manifest.backend != target.backend() {
        let name = |b: BackupBackend| match b {
            BackupBackend::Sqlite => "SQLite",
            BackupBackend::Postgres => "PostgreSQL",
        };
        return Err(BackupError::Config(format!(
            "这是 {} 的备份，不能恢复到 {}",
            name(manifest.backend),
            name(target.backend())
        )));
    }
    if let Some(bad) = manifest
        .entries
        .iter()
        .find(|e| !restorable_path(&e.path, manifest.backend))
    {
        return Err(BackupError::Config(format!(
            "备份中的文件路径不允许恢复：{}",
            bad.path
        )));
    }
    Ok(manifest)
}

/// Writes one entry where it belongs: the database to `database`, a file under `data_dir`.
fn place(
    name: &str,
    reader: &mut dyn Read,
    backend: BackupBackend,
    database: &Path,
    data_dir: &Path,
) -> io::Result<()> {
    let path = if name == backend.database_entry() {
        database.to_owned()
    } else if restorable_path(name, backend) {
        data_dir.join(name)
    } else {
        return Ok(());
    };
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let mut out = File::create_new(&path)?;
    io::copy(reader, &mut out)?;
    out.sync_all()
}
