//! The server's daily backup (`serve --backup-dir DIR --backup-keep N`): asked every minute
//! whether tonight's backup is due (core's [`due_backup`], read from the file names in DIR),
//! it takes one named by the night, then deletes all but the newest N of linkong's own backups
//! there ([`to_delete`]); other files in DIR are never touched. A line is logged per backup,
//! with sizes and counts only.

use std::path::{Path, PathBuf};
use std::time::Duration;

use linkong_core::backup::schedule::{due_backup, next_backup, scheduled_name, to_delete};
use linkong_core::time::china;

use super::{Source, create};

/// How often the server asks whether the backup is due.
const CHECK: Duration = Duration::from_secs(60);
/// How long a failed backup waits before it is tried again.
const RETRY: Duration = Duration::from_secs(15 * 60);

/// Where and how the daily backups are kept.
#[derive(Debug, Clone)]
pub struct Daily {
    pub dir: PathBuf,
    /// How many of the newest backups to keep (at least one).
    pub keep: usize,
    /// The local hour in Wuhan (0–23).
    pub hour: u32,
}

/// Runs the daily backup for as long as the runtime runs.
pub fn follow_daily(source: Source, daily: Daily) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(CHECK);
        loop {
            tick.tick().await;
            if !once(&source, &daily).await {
                tokio::time::sleep(RETRY).await;
            }
        }
    });
}

/// The job's name for its lock across servers.
pub const BACKUP_JOB: &str = "nightly-backup";

/// Takes the backup if it is due and applies the retention; false when it failed. With several
/// servers on one database, only the one holding the job's lock looks and takes it (so a
/// backup directory shared by the servers gets each night's backup once).
pub async fn once(source: &Source, daily: &Daily) -> bool {
    let _held = match source.store.try_exclusive(BACKUP_JOB).await {
        Ok(Some(held)) => held,
        Ok(None) => return true,
        Err(e) => {
            tracing::warn!(error = %e, "cannot take the backup lock");
            return false;
        }
    };
    let existing = match names_in(&daily.dir) {
        Ok(names) => names,
        Err(e) => {
            tracing::warn!(dir = %daily.dir.display(), error = %e, "cannot read the backup directory");
            return false;
        }
    };
    let now = source.store.now();
    let Some(night) = due_backup(now, daily.hour, existing.iter().map(String::as_str)) else {
        return true;
    };
    let out = daily.dir.join(scheduled_name(night));
    match create(source, &out).await {
        Ok(done) => tracing::info!(
            file = %out.display(),
            bytes = done.bytes,
            entries = done.manifest.entries.len(),
            tables = done.manifest.tables.len(),
            seconds = done.seconds,
            next = %next_backup(now, daily.hour).with_timezone(&china()),
            "daily backup done"
        ),
        Err(e) => {
            tracing::warn!(file = %out.display(), error = %e, "daily backup failed");
            return false;
        }
    }
    remove_old(daily);
    true
}

/// Deletes the backups beyond the newest `keep`.
fn remove_old(daily: &Daily) {
    let Ok(existing) = names_in(&daily.dir) else {
        return;
    };
    for name in to_delete(&existing, daily.keep) {
        let path = daily.dir.join(&name);
        match std::fs::remove_file(&path) {
            Ok(()) => tracing::info!(file = %path.display(), "old backup deleted"),
            Err(e) => {
                tracing::warn!(file = %path.display(), error = %e, "cannot delete an old backup")
            }
        }
    }
}

/// The file names in `dir` (created when missing).
fn names_in(dir: &Path) -> std::io::Result<Vec<String>> {
    std::fs::create_dir_all(dir)?;
    Ok(std::fs::read_dir(dir)?
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect())
}
