//! The archive itself: a tar stream compressed with zstd (already in the dependency tree, and
//! a SQLite copy shrinks several-fold), each entry hashed with SM3 as it is written or read,
//! the manifest last — it lists the digests of the entries before it.

use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use linkong_core::backup::manifest::{EntryDigest, MANIFEST_ENTRY, Manifest};
use sm3::{Digest, Sm3};

use super::BackupError;

/// zstd's default level: fast enough to keep up with the disk, a good ratio on SQLite pages.
const LEVEL: i32 = 3;

/// A reader that hashes and counts what passes through it.
struct Hashing<R> {
    inner: R,
    hasher: Sm3,
    size: u64,
}

impl<R: Read> Hashing<R> {
    fn new(inner: R) -> Hashing<R> {
        Hashing {
            inner,
            hasher: Sm3::new(),
            size: 0,
        }
    }

    fn digest(self, path: &str) -> EntryDigest {
        EntryDigest {
            path: path.to_owned(),
            size: self.size,
            sm3: hex::encode(self.hasher.finalize()),
        }
    }
}

impl<R: Read> Read for Hashing<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        self.size += n as u64;
        Ok(n)
    }
}

/// Writes an archive entry by entry; [`Writer::finish`] adds the manifest and closes it.
pub(super) struct Writer {
    tar: tar::Builder<zstd::Encoder<'static, BufWriter<File>>>,
    pub(super) entries: Vec<EntryDigest>,
}

impl Writer {
    pub(super) fn create(path: &Path) -> io::Result<Writer> {
        let file = private_new_file(path)?;
        let mut encoder = zstd::Encoder::new(BufWriter::new(file), LEVEL)?;
        // A damaged archive then fails its frame's checksum rather than decoding to garbage.
        encoder.include_checksum(true)?;
        Ok(Writer {
            tar: tar::Builder::new(encoder),
            entries: Vec::new(),
        })
    }

    /// Adds the file at `source` as `path`; the file must keep its size while it is read.
    pub(super) fn add_file(&mut self, path: &str, source: &Path) -> io::Result<()> {
        let file = File::open(source)?;
        let size = file.metadata()?.len();
        let mut reader = Hashing::new(BufReader::new(file).take(size));
        let mut header = tar::Header::new_gnu();
        header.set_size(size);
        header.set_mode(0o600);
        header.set_entry_type(tar::EntryType::Regular);
        self.tar.append_data(&mut header, path, &mut reader)?;
        if reader.size != size {
            return Err(io::Error::other(format!(
                "{} 在备份时变短了（{size} 字节读到 {} 字节）",
                source.display(),
                reader.size
            )));
        }
        self.entries.push(reader.digest(path));
        Ok(())
    }

    /// Adds the manifest as the last entry and flushes the archive to disk.
    pub(super) fn finish(mut self, manifest: &Manifest) -> io::Result<u64> {
        let text = manifest.to_toml();
        let mut header = tar::Header::new_gnu();
        header.set_size(text.len() as u64);
        header.set_mode(0o600);
        header.set_entry_type(tar::EntryType::Regular);
        self.tar
            .append_data(&mut header, MANIFEST_ENTRY, text.as_bytes())?;
        let encoder = self.tar.into_inner()?;
        let mut file = encoder.finish()?.into_inner().map_err(|e| e.into_error())?;
        file.flush()?;
        file.sync_all()?;
        file.metadata().map(|m| m.len())
    }
}

/// A new file only its owner may read: the archive holds personal data (encrypted, but the
/// rest of each record in clear).
fn private_new_file(path: &Path) -> io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)
}

/// Every regular file under `dir` with its path relative to `dir`, sorted; half-written
/// evidence files (`….tmpPID`, renamed into place when complete) are left out.
pub(super) fn files_under(dir: &Path) -> io::Result<Vec<(String, PathBuf)>> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_owned()];
    while let Some(current) = pending.pop() {
        let entries = match std::fs::read_dir(&current) {
            Ok(entries) => entries,
            Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
            Err(e) => return Err(e),
        };
        for entry in entries {
            let entry = entry?;
            let kind = entry.file_type()?;
            let path = entry.path();
            if kind.is_dir() {
                pending.push(path);
            } else if kind.is_file() && !is_partial(&path) {
                let relative = path.strip_prefix(dir).map_err(io::Error::other)?;
                let name = relative.to_str().ok_or_else(|| {
                    io::Error::other(format!("文件名不是 UTF-8：{}", path.display()))
                })?;
                found.push((name.replace('\\', "/"), path));
            }
        }
    }
    found.sort();
    Ok(found)
}

fn is_partial(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.starts_with("tmp"))
}

/// What reading an archive found: each entry's digest as read, and the manifest.
pub(super) struct Contents {
    pub(super) entries: Vec<EntryDigest>,
    pub(super) manifest: Manifest,
}

/// Reads the archive at `path` from start to end, handing each entry but the manifest to
/// `sink` (which may copy it somewhere or ignore it) while hashing it.
pub(super) fn read(
    path: &Path,
    mut sink: impl FnMut(&str, &mut dyn Read) -> io::Result<()>,
) -> Result<Contents, BackupError> {
    let file = File::open(path).map_err(|e| BackupError::io(path, e))?;
    let damaged = |e: io::Error| BackupError::NotAnArchive(path.to_owned(), e.to_string());
    let decoder = zstd::Decoder::new(file).map_err(damaged)?;
    let mut tar = tar::Archive::new(decoder);
    let mut entries = Vec::new();
    let mut manifest = None;
    for entry in tar.entries().map_err(damaged)? {
        let entry = entry.map_err(damaged)?;
        let name = entry
            .path()
            .map_err(damaged)?
            .to_string_lossy()
            .into_owned();
        let mut reader = Hashing::new(entry);
        if name == MANIFEST_ENTRY {
            let mut text = String::new();
            reader.read_to_string(&mut text).map_err(damaged)?;
            manifest = Some(Manifest::parse(&text)?);
            continue;
        }
        sink(&name, &mut reader).map_err(damaged)?;
        io::copy(&mut reader, &mut io::sink()).map_err(damaged)?;
        entries.push(reader.digest(&name));
    }
    let manifest = manifest.ok_or_else(|| BackupError::NoManifest(path.to_owned()))?;
    Ok(Contents { entries, manifest })
}
