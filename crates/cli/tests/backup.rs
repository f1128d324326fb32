//! `linkong backup`, `linkong backup verify` and `linkong restore` as an operator runs them:
//! the demo backed up, restored into a fresh directory and verified; a tampered archive named;
//! a non-empty place refused; the key never in the archive; bad input answered in Chinese.

use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, Output, Stdio};

use linkong_store::Store;
use linkong_store::backup::TableCounts;
use linkong_testkit::{EmptyPostgres, skip};

const PLAN: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../plans/dongxihu-2025-2027.toml"
);

/// `linkong --data-dir DIR ARGS` with the repository's plan, no input, no database URL set.
fn linkong(data_dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_linkong"))
        .arg("--data-dir")
        .arg(data_dir)
        .env_remove("LINKONG_DATABASE_URL")
        .env_remove("LINKONG_FIELD_KEY")
        .env("LINKONG_PLAN", PLAN)
        .stdin(Stdio::null())
        .args(args)
        .output()
        .expect("linkong runs")
}

fn text(output: &Output) -> String {
    String::from_utf8_lossy(&[&output.stdout[..], &output.stderr[..]].concat()).into_owned()
}

fn code(output: &Output) -> i32 {
    output.status.code().expect("exited")
}

/// The command ended with exit code `expected` and said `words`.
fn answered(output: &Output, expected: i32, words: &str) {
    let said = text(output);
    assert_eq!(code(output), expected, "{said}");
    assert!(said.contains(words), "expected “{words}” in: {said}");
}

/// Every entry of an archive: its path and bytes.
fn entries(archive: &Path) -> Vec<(String, Vec<u8>)> {
    let decoder = zstd::Decoder::new(std::fs::File::open(archive).unwrap()).unwrap();
    let mut tar = tar::Archive::new(decoder);
    tar.entries()
        .unwrap()
        .map(|entry| {
            let mut entry = entry.unwrap();
            let path = entry.path().unwrap().to_string_lossy().into_owned();
            let mut bytes = Vec::new();
            entry.read_to_end(&mut bytes).unwrap();
            (path, bytes)
        })
        .collect()
}

/// Writes `entries` as an archive (tar, zstd) at `path`.
fn write_archive(path: &Path, entries: &[(String, Vec<u8>)]) {
    let file = std::fs::File::create(path).unwrap();
    let mut tar = tar::Builder::new(zstd::Encoder::new(file, 3).unwrap().auto_finish());
    for (name, bytes) in entries {
        let mut header = tar::Header::new_gnu();
        header.set_size(bytes.len() as u64);
        header.set_mode(0o600);
        tar.append_data(&mut header, name, bytes.as_slice())
            .unwrap();
    }
    tar.into_inner().unwrap().flush().unwrap();
}

/// A copy of `archive` at `out` with one byte changed in the entry named `path`.
fn tampered(archive: &Path, out: &Path, path: &str) {
    let mut all = entries(archive);
    let (_, bytes) = all.iter_mut().find(|(p, _)| p == path).expect("the entry");
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x01;
    write_archive(out, &all);
}

/// Rows per table of a live database (its WAL read too: not the immutable read-only open).
async fn counts(url: &str) -> TableCounts {
    let dir = tempfile::tempdir().unwrap();
    let clock = linkong_store::system_clock();
    let store = Store::open(url, dir.path(), clock).await.unwrap();
    let counts = store.table_counts().await.unwrap();
    store.close().await;
    counts
}

fn sqlite_url(data_dir: &Path) -> String {
    format!("sqlite://{}", data_dir.join("linkong.db").display())
}

/// A small demo with one evidence file.
fn small_demo(data: &Path) -> String {
    let demo = linkong(
        data,
        &[
            "demo",
            "--jobs",
            "20",
            "--migrants",
            "10",
            "--graduates",
            "5",
            "--until",
            "2025-06-30",
        ],
    );
    assert!(demo.status.success(), "{}", text(&demo));
    let evidence = data.join("files/evidence/ab/ab0123");
    std::fs::create_dir_all(evidence.parent().unwrap()).unwrap();
    std::fs::write(&evidence, b"%PDF-1.4 a signed attendance sheet").unwrap();
    "files/evidence/ab/ab0123".into()
}

#[tokio::test]
async fn the_demo_is_backed_up_restored_into_a_fresh_directory_and_verified() {
    let work = tempfile::tempdir().unwrap();
    let (data, restored) = (work.path().join("data"), work.path().join("restored"));
    let evidence = small_demo(&data);
    let archive = work.path().join("demo.tar.zst");
    let archive_arg = archive.to_str().unwrap();

    let backup = linkong(&data, &["backup", "--out", archive_arg]);
    answered(&backup, 0, "备份完成");
    let again = linkong(&data, &["backup", "--out", archive_arg]);
    assert_eq!(code(&again), 1, "an existing archive is never overwritten");

    let restore = linkong(&restored, &["restore", archive_arg]);
    answered(&restore, 0, "审计日志哈希链完整");
    let original = counts(&sqlite_url(&data)).await;
    assert!(original["audit_log"] > 0 && original["job_posts"] > 0);
    assert_eq!(counts(&sqlite_url(&restored)).await, original);
    assert_eq!(
        std::fs::read(restored.join(&evidence)).unwrap(),
        b"%PDF-1.4 a signed attendance sheet"
    );

    let verify = linkong(&data, &["backup", "verify", archive_arg]);
    answered(&verify, 0, "备份校验通过");

    let into_full = linkong(&data, &["restore", archive_arg]);
    answered(&into_full, 1, "恢复目标不是空的");

    the_key_is_in_no_entry(&data, &archive);
    a_changed_byte_is_named_and_nothing_is_restored(work.path(), &data, &archive, &evidence);
}

fn the_key_is_in_no_entry(data: &Path, archive: &Path) {
    let key_hex = std::fs::read_to_string(data.join("keys/field.key")).unwrap();
    let key_hex = key_hex.trim();
    let key_bytes = hex::decode(key_hex).unwrap();
    let all = entries(archive);
    assert!(all.len() > 2);
    for (path, bytes) in &all {
        assert!(!path.starts_with("keys"), "{path}");
        for needle in [key_hex.as_bytes(), &key_bytes[..], &key_bytes[..16]] {
            assert!(
                !bytes.windows(needle.len()).any(|w| w == needle),
                "the key is in {path}"
            );
        }
    }
}

fn a_changed_byte_is_named_and_nothing_is_restored(
    work: &Path,
    data: &Path,
    archive: &Path,
    evidence: &str,
) {
    for entry in [evidence, "database/linkong.db"] {
        let bad = work.join("tampered.tar.zst");
        let _ = std::fs::remove_file(&bad);
        tampered(archive, &bad, entry);
        let verify = linkong(data, &["backup", "verify", bad.to_str().unwrap()]);
        answered(&verify, 2, &format!("文件 {entry}：内容与清单不符"));
        let nowhere = work.join("nowhere");
        let restore = linkong(&nowhere, &["restore", bad.to_str().unwrap()]);
        answered(&restore, 1, entry);
        assert!(
            !nowhere.exists(),
            "nothing is written before the digests hold"
        );
    }
    let mut raw = std::fs::read(archive).unwrap();
    let middle = raw.len() / 2;
    raw[middle] ^= 0xff;
    let damaged = work.join("damaged.tar.zst");
    std::fs::write(&damaged, raw).unwrap();
    let verify = linkong(data, &["backup", "verify", damaged.to_str().unwrap()]);
    answered(&verify, 2, "备份校验失败");
}

#[test]
fn a_missing_file_something_else_and_another_format_version_are_refused_in_chinese() {
    let work = tempfile::tempdir().unwrap();
    let data = work.path().join("data");
    let missing = linkong(&data, &["backup", "verify", "no-such.tar.zst"]);
    answered(&missing, 1, "无法读写 no-such.tar.zst");

    let notes = work.path().join("notes.txt");
    std::fs::write(&notes, "这不是备份").unwrap();
    let not_archive = linkong(&data, &["backup", "verify", notes.to_str().unwrap()]);
    answered(&not_archive, 2, "不是 linkong 备份");

    let future = work.path().join("future.tar.zst");
    let manifest = "format = \"linkong-backup\"\nformat_version = 9\n";
    write_archive(
        &future,
        &[("manifest.toml".into(), manifest.as_bytes().to_vec())],
    );
    let verify = linkong(&data, &["backup", "verify", future.to_str().unwrap()]);
    answered(&verify, 2, "备份格式版本为 9，本程序只能读取版本 1");
    let restore = linkong(&data, &["restore", future.to_str().unwrap()]);
    answered(&restore, 1, "备份格式版本为 9");
    assert!(!data.exists());
}

#[tokio::test]
async fn a_postgresql_database_is_dumped_verified_on_a_scratch_database_and_restored() {
    let (Some(source), Some(target)) =
        (EmptyPostgres::create().await, EmptyPostgres::create().await)
    else {
        skip("backup of PostgreSQL", "LINKONG_TEST_PG is not set");
        return;
    };
    let work = tempfile::tempdir().unwrap();
    let (data, restored) = (work.path().join("data"), work.path().join("restored"));
    let pg = |url: &str, dir: &Path, args: &[&str]| {
        let mut all = vec!["--database-url", url];
        all.extend_from_slice(args);
        linkong(dir, &all)
    };
    let init = pg(&source.url, &data, &["init"]);
    assert!(init.status.success(), "{}", text(&init));
    let archive = work.path().join("pg.tar.zst");
    let archive_arg = archive.to_str().unwrap();
    let backup = pg(&source.url, &data, &["backup", "--out", archive_arg]);
    assert!(backup.status.success(), "{}", text(&backup));

    let verify = pg(&source.url, &data, &["backup", "verify", archive_arg]);
    answered(&verify, 0, "备份校验通过");
    let no_server = linkong(&data, &["backup", "verify", archive_arg]);
    answered(&no_server, 1, "--scratch-url");

    let restore = pg(&target.url, &restored, &["restore", archive_arg]);
    assert!(restore.status.success(), "{}", text(&restore));
    assert_eq!(counts(&target.url).await, counts(&source.url).await);
    let again = pg(
        &target.url,
        &work.path().join("other"),
        &["restore", archive_arg],
    );
    answered(&again, 1, "张表");
    without_pg_dump_the_error_names_it_and_never_the_password(&source.url, &data);
}

fn without_pg_dump_the_error_names_it_and_never_the_password(url: &str, data: &Path) {
    let mut with_password = url::Url::parse(url).unwrap();
    with_password.set_password(Some("s3cret-pw")).unwrap();
    let out = data.join("no-tools.tar.zst");
    let ran = Command::new(env!("CARGO_BIN_EXE_linkong"))
        .arg("--data-dir")
        .arg(data)
        .args(["--database-url", with_password.as_str(), "backup", "--out"])
        .arg(&out)
        .env("LINKONG_PLAN", PLAN)
        .env("PATH", "/nonexistent")
        .stdin(Stdio::null())
        .output()
        .expect("linkong runs");
    answered(&ran, 1, "找不到 pg_dump");
    assert!(!text(&ran).contains("s3cret-pw"), "{}", text(&ran));
    assert!(!out.exists());
}
