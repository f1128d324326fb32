//! The manifest of a backup archive (`manifest.toml`, its last entry): the format version, the
//! SM3 digest and size of every other entry, the row count of every table and the audit chain's
//! head, all taken from the same snapshot as the database copy. A copy is good when each of
//! these holds again ([`entry_differences`], [`database_differences`]).

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Component, Path};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// What every linkong backup says it is.
pub const FORMAT: &str = "linkong-backup";
/// The version of the archive's layout this build writes and reads.
pub const FORMAT_VERSION: u32 = 1;
/// The manifest's name in the archive (its last entry: it holds the others' digests).
pub const MANIFEST_ENTRY: &str = "manifest.toml";
/// Where the database copy (SQLite) or dump (PostgreSQL) lies in the archive.
pub const DATABASE_DIR: &str = "database";
/// Where the evidence files lie in the archive, as under the data directory.
pub const FILES_DIR: &str = "files";

/// Which database the backup was taken from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BackupBackend {
    Sqlite,
    Postgres,
}

impl BackupBackend {
    /// The database entry's path in the archive: the SQLite file, or `pg_dump`'s custom format.
    pub fn database_entry(self) -> &'static str {
        match self {
            BackupBackend::Sqlite => "database/linkong.db",
            BackupBackend::Postgres => "database/linkong.pgdump",
        }
    }
}

/// One entry of the archive, as written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntryDigest {
    pub path: String,
    pub size: u64,
    /// SM3 of the entry's bytes, hex.
    pub sm3: String,
}

/// The newest link of the audit chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditHead {
    pub last_id: i64,
    pub last_hash: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub format: String,
    pub format_version: u32,
    pub created_at: DateTime<Utc>,
    pub backend: BackupBackend,
    pub linkong_version: String,
    /// The audit chain's head in the snapshot (None: the log was empty).
    pub audit: Option<AuditHead>,
    /// Rows per table in the snapshot.
    pub tables: BTreeMap<String, i64>,
    pub entries: Vec<EntryDigest>,
}

/// Why a manifest cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ManifestError {
    #[error("清单 manifest.toml 无法解析：{0}")]
    Unreadable(String),
    #[error("不是 linkong 备份（清单格式为“{0}”）")]
    NotLinkong(String),
    #[error("备份格式版本为 {found}，本程序只能读取版本 {FORMAT_VERSION}")]
    WrongVersion { found: u32 },
}

/// The two fields read before the rest, so that another version is named rather than
/// reported as a parse error of a field it may not have.
#[derive(Deserialize)]
struct Header {
    format: String,
    format_version: u32,
}

impl Manifest {
    pub fn parse(text: &str) -> Result<Manifest, ManifestError> {
        let header: Header =
            toml::from_str(text).map_err(|e| ManifestError::Unreadable(e.message().to_owned()))?;
        if header.format != FORMAT {
            return Err(ManifestError::NotLinkong(header.format));
        }
        if header.format_version != FORMAT_VERSION {
            return Err(ManifestError::WrongVersion {
                found: header.format_version,
            });
        }
        toml::from_str(text).map_err(|e| ManifestError::Unreadable(e.message().to_owned()))
    }

    pub fn to_toml(&self) -> String {
        toml::to_string(self).expect("a manifest is plain data and always serialises")
    }

    /// The archive's database entry, as the manifest lists it.
    pub fn database_entry(&self) -> Option<&EntryDigest> {
        let path = self.backend.database_entry();
        self.entries.iter().find(|e| e.path == path)
    }
}

/// One way in which an archive or its restored database differs from the manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Difference {
    MissingEntry(String),
    UnexpectedEntry(String),
    EntryChanged {
        path: String,
        expected: EntryDigest,
        found: EntryDigest,
    },
    TableCount {
        table: String,
        expected: Option<i64>,
        found: Option<i64>,
    },
    AuditHead {
        expected: Option<AuditHead>,
        found: Option<AuditHead>,
    },
    AuditChain(String),
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let count = |n: &Option<i64>| n.map_or("无此表".to_owned(), |n| format!("{n} 行"));
        let head = |h: &Option<AuditHead>| {
            h.as_ref().map_or("空".to_owned(), |h| {
                format!("第 {} 条 {}", h.last_id, h.last_hash)
            })
        };
        match self {
            Difference::MissingEntry(path) => write!(f, "文件 {path}：清单中有，备份中缺失"),
            Difference::UnexpectedEntry(path) => write!(f, "文件 {path}：备份中有，清单中没有"),
            Difference::EntryChanged {
                path,
                expected,
                found,
            } => write!(
                f,
                "文件 {path}：内容与清单不符（清单 SM3 {}、{} 字节，实际 SM3 {}、{} 字节）",
                expected.sm3, expected.size, found.sm3, found.size
            ),
            Difference::TableCount {
                table,
                expected,
                found,
            } => write!(
                f,
                "数据表 {table}：清单 {}，恢复后 {}",
                count(expected),
                count(found)
            ),
            Difference::AuditHead { expected, found } => write!(
                f,
                "审计日志链尾：清单为{}，恢复后为{}",
                head(expected),
                head(found)
            ),
            Difference::AuditChain(problem) => write!(f, "审计日志哈希链：{problem}"),
        }
    }
}

/// The archive's entries (as read, in any order) against the manifest's, every difference named.
pub fn entry_differences(manifest: &[EntryDigest], found: &[EntryDigest]) -> Vec<Difference> {
    let listed: BTreeMap<&str, &EntryDigest> =
        manifest.iter().map(|e| (e.path.as_str(), e)).collect();
    let read: BTreeMap<&str, &EntryDigest> = found.iter().map(|e| (e.path.as_str(), e)).collect();
    let mut differences = Vec::new();
    for (path, expected) in &listed {
        match read.get(path) {
            None => differences.push(Difference::MissingEntry((*path).to_owned())),
            Some(found) if found != expected => differences.push(Difference::EntryChanged {
                path: (*path).to_owned(),
                expected: (*expected).clone(),
                found: (*found).clone(),
            }),
            Some(_) => {}
        }
    }
    for path in read.keys().filter(|p| !listed.contains_key(*p)) {
        differences.push(Difference::UnexpectedEntry((*path).to_owned()));
    }
    differences
}

/// A restored database's row counts and audit head against the manifest's.
pub fn database_differences(
    manifest: &Manifest,
    tables: &BTreeMap<String, i64>,
    audit: Option<&AuditHead>,
) -> Vec<Difference> {
    let names: std::collections::BTreeSet<&String> =
        manifest.tables.keys().chain(tables.keys()).collect();
    let mut differences: Vec<Difference> = names
        .into_iter()
        .filter_map(|table| {
            let expected = manifest.tables.get(table).copied();
            let found = tables.get(table).copied();
            (expected != found).then(|| Difference::TableCount {
                table: table.clone(),
                expected,
                found,
            })
        })
        .collect();
    if manifest.audit.as_ref() != audit {
        differences.push(Difference::AuditHead {
            expected: manifest.audit.clone(),
            found: audit.cloned(),
        });
    }
    differences
}

/// Where an entry may be written on restore: the database entry of its backend, or a plain
/// relative path under `files/` (never `..`, an absolute path or a drive).
pub fn restorable_path(path: &str, backend: BackupBackend) -> bool {
    if path == backend.database_entry() {
        return true;
    }
    let path = Path::new(path);
    path.starts_with(FILES_DIR)
        && path.components().count() > 1
        && path.components().all(|c| matches!(c, Component::Normal(_)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn entry(path: &str, sm3: &str) -> EntryDigest {
        EntryDigest {
            path: path.into(),
            size: 3,
            sm3: sm3.into(),
        }
    }

    fn manifest() -> Manifest {
        Manifest {
            format: FORMAT.into(),
            format_version: FORMAT_VERSION,
            created_at: Utc.with_ymd_and_hms(2026, 12, 6, 2, 0, 0).unwrap(),
            backend: BackupBackend::Sqlite,
            linkong_version: "0.1.0".into(),
            audit: Some(AuditHead {
                last_id: 7,
                last_hash: "ab".into(),
            }),
            tables: BTreeMap::from([("audit_log".into(), 7), ("users".into(), 2)]),
            entries: vec![entry("database/linkong.db", "11"), entry("files/a", "22")],
        }
    }

    #[test]
    fn a_manifest_reads_back_what_was_written() {
        let written = manifest();
        assert_eq!(Manifest::parse(&written.to_toml()), Ok(written));
    }

    #[test]
    fn another_format_version_is_named_not_misread() {
        let text = manifest()
            .to_toml()
            .replace("format_version = 1", "format_version = 9");
        assert_eq!(
            Manifest::parse(&text),
            Err(ManifestError::WrongVersion { found: 9 })
        );
        assert!(matches!(
            Manifest::parse("format = \"zip\"\nformat_version = 1\n"),
            Err(ManifestError::NotLinkong(_))
        ));
        assert!(matches!(
            Manifest::parse("not toml at all ="),
            Err(ManifestError::Unreadable(_))
        ));
    }

    #[test]
    fn a_changed_missing_or_added_entry_is_named() {
        let listed = manifest().entries;
        assert!(entry_differences(&listed, &listed).is_empty());
        let found = vec![entry("database/linkong.db", "12"), entry("files/b", "33")];
        let differences = entry_differences(&listed, &found);
        let text: Vec<String> = differences.iter().map(ToString::to_string).collect();
        assert_eq!(differences.len(), 3, "{text:?}");
        assert!(text[0].starts_with("文件 database/linkong.db：内容与清单不符"));
        assert!(text[1].contains("files/a") && text[1].contains("缺失"));
        assert!(text[2].contains("files/b") && text[2].contains("清单中没有"));
    }

    #[test]
    fn a_restored_database_must_have_every_tables_rows_and_the_same_audit_head() {
        let m = manifest();
        assert!(database_differences(&m, &m.tables, m.audit.as_ref()).is_empty());
        let fewer = BTreeMap::from([("audit_log".into(), 7), ("users".into(), 1)]);
        let other_head = AuditHead {
            last_id: 6,
            last_hash: "cd".into(),
        };
        let differences = database_differences(&m, &fewer, Some(&other_head));
        assert_eq!(
            differences[0].to_string(),
            "数据表 users：清单 2 行，恢复后 1 行"
        );
        assert!(matches!(differences[1], Difference::AuditHead { .. }));
        let missing_table = BTreeMap::from([("audit_log".into(), 7)]);
        assert_eq!(
            database_differences(&m, &missing_table, m.audit.as_ref())[0].to_string(),
            "数据表 users：清单 2 行，恢复后 无此表"
        );
    }

    #[test]
    fn restore_writes_only_the_database_and_plain_paths_under_files() {
        let sqlite = BackupBackend::Sqlite;
        assert!(restorable_path("database/linkong.db", sqlite));
        assert!(restorable_path("files/evidence/ab/abcd", sqlite));
        assert!(!restorable_path("database/linkong.pgdump", sqlite));
        assert!(!restorable_path("files/../../etc/passwd", sqlite));
        assert!(!restorable_path("/etc/passwd", sqlite));
        assert!(!restorable_path("files", sqlite));
        assert!(!restorable_path("keys/field.key", sqlite));
    }
}
