//! Backup and restore (issue 17 item 4), for `linkong backup`, `linkong restore`,
//! `linkong backup verify` and the server's daily backup.
//!
//! One archive file holds a consistent copy of the database (SQLite's `VACUUM INTO`, or
//! `pg_dump` of an exported snapshot), every file under `data/files/`, and a manifest: the
//! format version, each entry's SM3 digest and size, the rows per table and the audit chain's
//! head, read inside the same snapshot as the copy. The field key (`data/keys/`) is never in
//! it: a backup cannot be read without the key, which is kept apart from it.
//!
//! What a copy must satisfy is core's ([`linkong_core::backup`]); the database's part is the
//! store's ([`linkong_store::backup`]); this module moves the bytes.

mod archive;
mod postgres;
mod restore;
pub mod schedule;
mod verify;

use std::io;
use std::path::{Path, PathBuf};
use std::time::Instant;

use linkong_core::backup::manifest::{
    AuditHead, BackupBackend, FILES_DIR, FORMAT, FORMAT_VERSION, Manifest, ManifestError,
    database_differences,
};
use linkong_store::backup::TableCounts;
use linkong_store::{Backend, Store};

pub use linkong_core::backup::manifest::Difference;
pub use restore::{Restored, Target, restore};
pub use verify::{Scratch, Verification, verify};

/// Why a backup, a verification or a restore could not be done.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("{} 已存在，不会覆盖", .0.display())]
    Exists(PathBuf),
    #[error("无法读写 {}：{}", .0.display(), .1)]
    Io(PathBuf, io::Error),
    #[error("无法读取备份文件 {}（不是 linkong 备份，或已损坏）：{}", .0.display(), .1)]
    NotAnArchive(PathBuf, String),
    #[error("{} 不是 linkong 备份：没有清单 manifest.toml", .0.display())]
    NoManifest(PathBuf),
    #[error(transparent)]
    Manifest(#[from] ManifestError),
    #[error(
        "找不到 {0}：请安装与数据库服务器主版本相同的 PostgreSQL 客户端（Debian：apt install postgresql-client）"
    )]
    ToolMissing(&'static str),
    #[error("{program} 失败：{message}")]
    Tool {
        program: &'static str,
        message: String,
    },
    #[error("{0}")]
    Config(String),
    #[error("恢复目标不是空的：{0}。只能恢复到空的数据目录或空数据库")]
    NotEmpty(String),
    #[error("备份与清单不符，未写入任何内容：{}", list(.0))]
    Differs(Vec<Difference>),
    #[error(transparent)]
    Store(#[from] linkong_store::Error),
    #[error("数据库错误：{0}")]
    Database(#[from] sqlx::Error),
}

fn list(differences: &[Difference]) -> String {
    differences
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("；")
}

impl BackupError {
    pub(crate) fn io(path: &Path, error: io::Error) -> BackupError {
        BackupError::Io(path.to_owned(), error)
    }
}

/// What a backup is taken of: the running store, its database URL (for `pg_dump`) and the
/// evidence files' directory.
#[derive(Clone)]
pub struct Source {
    pub store: Store,
    pub database_url: String,
    pub files_dir: PathBuf,
}

/// A backup written.
#[derive(Debug, Clone)]
pub struct Created {
    pub manifest: Manifest,
    pub bytes: u64,
    pub seconds: f64,
}

/// The database copy in the work directory, with what its snapshot saw.
struct Snapshot {
    backend: BackupBackend,
    path: PathBuf,
    tables: TableCounts,
    audit: Option<AuditHead>,
}

/// Takes a backup of `source` into the new file `out` (written as `out.partial`, renamed when
/// complete), while the server keeps running and writing.
pub async fn create(source: &Source, out: &Path) -> Result<Created, BackupError> {
    let started = Instant::now();
    if out.exists() {
        return Err(BackupError::Exists(out.to_owned()));
    }
    let dir = match out.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_owned(),
        _ => PathBuf::from("."),
    };
    // The copy is made beside the archive: the same disk must hold both anyway.
    let work = tempfile::Builder::new()
        .prefix(".linkong-backup-")
        .tempdir_in(&dir)
        .map_err(|e| BackupError::io(&dir, e))?;
    let snapshot = copy_database(source, work.path()).await?;
    let partial = partial_path(out);
    let files_dir = source.files_dir.clone();
    let written = partial.clone();
    let created_at = source.store.now();
    let (manifest, bytes) = tokio::task::spawn_blocking(move || {
        write_archive(&written, &snapshot, &files_dir, created_at)
    })
    .await
    .map_err(|e| BackupError::Config(format!("备份中断：{e}")))?
    .map_err(|e| BackupError::io(&partial, e))?;
    std::fs::rename(&partial, out).map_err(|e| BackupError::io(out, e))?;
    Ok(Created {
        manifest,
        bytes,
        seconds: started.elapsed().as_secs_f64(),
    })
}

fn partial_path(out: &Path) -> PathBuf {
    let mut name = out.as_os_str().to_owned();
    name.push(".partial");
    PathBuf::from(name)
}

/// A consistent copy of the database in `work`, and its counts and audit head.
async fn copy_database(source: &Source, work: &Path) -> Result<Snapshot, BackupError> {
    let store = &source.store;
    match store.backend() {
        Backend::Sqlite => {
            let path = work.join("linkong.db");
            store.copy_sqlite_into(&path).await?;
            let url = format!("sqlite://{}", path.display());
            let copy = Store::open_read_only(&url, work, store.clock()).await?;
            let (tables, audit) = (copy.table_counts().await?, copy.audit_head().await?);
            copy.close().await;
            Ok(Snapshot {
                backend: BackupBackend::Sqlite,
                path,
                tables,
                audit,
            })
        }
        Backend::Postgres => {
            let path = work.join("linkong.pgdump");
            let held = store.hold_pg_snapshot().await?;
            postgres::dump(&source.database_url, &held.name, &path).await?;
            let (tables, audit) = (held.tables.clone(), held.audit.clone());
            held.release().await?;
            Ok(Snapshot {
                backend: BackupBackend::Postgres,
                path,
                tables,
                audit,
            })
        }
    }
}

/// Writes the archive: the database copy, the files, the manifest.
fn write_archive(
    partial: &Path,
    snapshot: &Snapshot,
    files_dir: &Path,
    created_at: chrono::DateTime<chrono::Utc>,
) -> io::Result<(Manifest, u64)> {
    let _ = std::fs::remove_file(partial); // what an interrupted backup left
    let mut writer = archive::Writer::create(partial)?;
    writer.add_file(snapshot.backend.database_entry(), &snapshot.path)?;
    // Evidence files are named by their SM3 digest, never changed or deleted, and written
    // before the record that names them commits: every file the snapshot refers to is already
    // on disk, so copying them after the snapshot is safe (files added since come along too).
    for (name, path) in archive::files_under(files_dir)? {
        match writer.add_file(&format!("{FILES_DIR}/{name}"), &path) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => continue, // an upload cleared away
            other => other?,
        }
    }
    let manifest = Manifest {
        format: FORMAT.into(),
        format_version: FORMAT_VERSION,
        created_at,
        backend: snapshot.backend,
        linkong_version: env!("CARGO_PKG_VERSION").into(),
        audit: snapshot.audit.clone(),
        tables: snapshot.tables.clone(),
        entries: writer.entries.clone(),
    };
    let bytes = writer.finish(&manifest)?;
    Ok((manifest, bytes))
}

/// A database as found: its rows per table, its audit head and its audit chain's check.
pub(crate) struct Inspected {
    tables: TableCounts,
    audit: Option<AuditHead>,
    chain: linkong_store::audit::VerifyReport,
}

impl Inspected {
    /// How it differs from the manifest: counts, audit head, and every break in the chain.
    fn differences(&self, manifest: &Manifest) -> Vec<Difference> {
        let mut differences = database_differences(manifest, &self.tables, self.audit.as_ref());
        differences.extend(
            self.chain
                .breaks
                .iter()
                .map(|b| Difference::AuditChain(format!("第 {} 条：{}", b.id, b.problem))),
        );
        differences
    }
}

/// Opens the database at `url` read-only and reads what a backup is checked against.
pub(crate) async fn inspect(url: &str, files_dir: &Path) -> Result<Inspected, BackupError> {
    let store = Store::open_read_only(url, files_dir, linkong_store::system_clock()).await?;
    let found = async {
        Ok::<_, BackupError>(Inspected {
            tables: store.table_counts().await?,
            audit: store.audit_head().await?,
            chain: store.verify_audit().await?,
        })
    }
    .await;
    store.close().await;
    found
}
