//! Backups on both backends: taken while a writer keeps committing, restored into an empty
//! place, every row committed before the backup began is there and the audit chain holds; the
//! daily schedule writes tonight's backup and keeps the newest N of its own.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::time::Duration;

use chrono::TimeZone;
use linkong_app::backup::schedule::{Daily, once};
use linkong_app::backup::{self, Source, Target};
use linkong_store::audit::AuditEvent;
use linkong_store::{Backend, Store};
use linkong_testkit::{EmptyPostgres, TestClock, TestDb, databases};
use sm3::{Digest, Sm3};

fn source(db: &TestDb) -> Source {
    Source {
        store: db.store.clone(),
        database_url: db.url.clone(),
        files_dir: db.files_dir(),
    }
}

/// An evidence file as the store keeps it: named by its SM3 digest.
fn put_evidence(files_dir: &Path, bytes: &[u8]) -> PathBuf {
    let digest = hex::encode(Sm3::digest(bytes));
    let path = files_dir.join("evidence").join(&digest[..2]).join(&digest);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, bytes).unwrap();
    path.strip_prefix(files_dir).unwrap().to_owned()
}

/// A writer committing audit rows through the store until told to stop; `last` is the id of
/// its newest committed row.
struct Writer {
    stop: Arc<AtomicBool>,
    last: Arc<AtomicI64>,
    task: tokio::task::JoinHandle<()>,
}

impl Writer {
    fn start(store: Store) -> Writer {
        let stop = Arc::new(AtomicBool::new(false));
        let last = Arc::new(AtomicI64::new(0));
        let (s, l) = (stop.clone(), last.clone());
        let task = tokio::spawn(async move {
            let mut n = 0;
            while !s.load(Ordering::SeqCst) {
                n += 1;
                let event = AuditEvent::new("backup.load", format!("row {n}"));
                store.audit(event).await.expect("the writer commits");
                let id = store.recent_audit(1).await.expect("read back")[0].id;
                l.store(id, Ordering::SeqCst);
            }
        });
        Writer { stop, last, task }
    }

    async fn reaches(&self, id: i64) {
        while self.last.load(Ordering::SeqCst) < id {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }

    async fn stop(self) -> i64 {
        self.stop.store(true, Ordering::SeqCst);
        self.task.await.expect("the writer ends");
        self.last.load(Ordering::SeqCst)
    }
}

/// Where a backup of `db` is restored: a new data directory, and for PostgreSQL a new empty
/// database (kept alive by the returned guard).
async fn restore_target(db: &TestDb, dir: &Path) -> (Target, Option<EmptyPostgres>) {
    let data_dir = dir.join("restored");
    match db.backend {
        Backend::Sqlite => (Target::Sqlite { data_dir }, None),
        Backend::Postgres => {
            let empty = EmptyPostgres::create()
                .await
                .expect("LINKONG_TEST_PG is set");
            let target = Target::Postgres {
                url: empty.url.clone(),
                data_dir,
            };
            (target, Some(empty))
        }
    }
}

fn restored_url(target: &Target) -> String {
    match target {
        Target::Sqlite { data_dir } => {
            format!("sqlite://{}", data_dir.join("linkong.db").display())
        }
        Target::Postgres { url, .. } => url.clone(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_under_load_restores_every_row_committed_before_it_began() {
    let clock = TestClock::at(2026, 12, 6, 4);
    for db in databases(&clock).await {
        db.clock
            .set(chrono::Utc.with_ymd_and_hms(2026, 12, 6, 4, 0, 0).unwrap());
        let evidence = put_evidence(&db.files_dir(), b"%PDF-1.4 evidence of a record");
        let writer = Writer::start(db.store.clone());
        writer.reaches(50).await;
        let committed_before = writer.last.load(Ordering::SeqCst);
        let work = tempfile::tempdir().unwrap();
        let out = work.path().join("under-load.tar.zst");
        let created = backup::create(&source(&db), &out).await.expect("backup");
        let committed_after = writer.last.load(Ordering::SeqCst);
        let snapshot_head = created.manifest.audit.clone().expect("the log has rows");
        writer.reaches(snapshot_head.last_id + 20).await;
        let last_written = writer.stop().await;

        assert!(
            snapshot_head.last_id >= committed_before,
            "{:?}",
            db.backend
        );
        assert!(
            committed_after > committed_before,
            "the writer went on committing while the backup ran ({:?})",
            db.backend
        );
        let (target, _empty) = restore_target(&db, work.path()).await;
        let restored = backup::restore(&out, target.clone())
            .await
            .expect("restore");
        assert!(
            restored.differences.is_empty(),
            "{:?}",
            restored.differences
        );

        let url = restored_url(&target);
        let copy = Store::open_read_only(&url, work.path(), clock.clock())
            .await
            .unwrap();
        let ids: BTreeSet<i64> = copy
            .recent_audit(1_000_000)
            .await
            .unwrap()
            .iter()
            .map(|row| row.id)
            .collect();
        let missing: Vec<i64> = (1..=committed_before)
            .filter(|id| !ids.contains(id))
            .collect();
        assert!(missing.is_empty(), "{:?} lost rows {missing:?}", db.backend);
        assert_eq!(
            ids.last().copied(),
            Some(snapshot_head.last_id),
            "the copy is the snapshot: nothing after it"
        );
        assert!(last_written > snapshot_head.last_id);
        assert!(copy.verify_audit().await.unwrap().is_intact());
        assert_eq!(copy.table_counts().await.unwrap(), created.manifest.tables);
        copy.close().await;
        let data_dir = work.path().join("restored");
        assert_eq!(
            std::fs::read(data_dir.join("files").join(&evidence)).unwrap(),
            b"%PDF-1.4 evidence of a record"
        );
    }
}

#[tokio::test]
async fn the_daily_backup_writes_tonights_archive_and_keeps_the_newest_n_of_its_own() {
    let clock = TestClock::at(2026, 12, 6, 4);
    for db in databases(&clock).await {
        // 02:30 in Wuhan on 6 December.
        db.clock.set(
            chrono::Utc
                .with_ymd_and_hms(2026, 12, 5, 18, 30, 0)
                .unwrap(),
        );
        let dir = tempfile::tempdir().unwrap();
        for day in 1..=5 {
            std::fs::write(
                dir.path()
                    .join(format!("linkong-backup-2026-12-0{day}.tar.zst")),
                b"old",
            )
            .unwrap();
        }
        std::fs::write(dir.path().join("notes.txt"), b"not ours").unwrap();
        let daily = Daily {
            dir: dir.path().to_owned(),
            keep: 3,
            hour: 2,
        };
        assert!(once(&source(&db), &daily).await);
        let mut names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(
            names,
            [
                "linkong-backup-2026-12-04.tar.zst",
                "linkong-backup-2026-12-05.tar.zst",
                "linkong-backup-2026-12-06.tar.zst",
                "notes.txt"
            ],
            "{:?}",
            db.backend
        );
        let tonight = dir.path().join("linkong-backup-2026-12-06.tar.zst");
        let written = std::fs::metadata(&tonight).unwrap().modified().unwrap();
        assert!(once(&source(&db), &daily).await);
        assert_eq!(
            std::fs::metadata(&tonight).unwrap().modified().unwrap(),
            written,
            "the night's backup is taken once"
        );
        let verified = backup::verify(&tonight, scratch(&db)).await.unwrap();
        assert!(verified.holds(), "{:?}", verified.differences);
    }
}

fn scratch(db: &TestDb) -> backup::Scratch<'_> {
    match db.backend {
        Backend::Sqlite => backup::Scratch::None,
        Backend::Postgres => backup::Scratch::OnServer(&db.url),
    }
}
