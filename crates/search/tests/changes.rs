//! How the index follows the database: upserts, deletes, the change sequence, the disk.

mod common;

use common::{index_of, job, query, sorted_ids};
use linkong_search::{JobIndex, SCHEMA_VERSION};

#[test]
fn an_upsert_replaces_the_post_with_the_same_id() {
    let index = index_of(vec![
        job(1, "会计", "甲公司", ""),
        job(2, "出纳", "乙公司", ""),
    ]);
    index
        .apply(vec![job(1, "司机", "甲公司", "")], &[], 2)
        .expect("the change is applied");

    assert_eq!(index.num_docs(), 2);
    assert_eq!(sorted_ids(&index, &query("会计")), Vec::<i64>::new());
    assert_eq!(sorted_ids(&index, &query("司机")), [1]);
    assert_eq!(index.last_seq(), 2);
}

#[test]
fn deletes_remove_posts_and_unknown_ids_are_ignored() {
    let index = index_of(vec![
        job(1, "会计", "甲公司", ""),
        job(2, "会计", "乙公司", ""),
    ]);
    index
        .apply(Vec::new(), &[2, 99], 3)
        .expect("the change is applied");

    assert_eq!(sorted_ids(&index, &query("会计")), [1]);
    assert_eq!(index.num_docs(), 1);
}

#[test]
fn of_two_upserts_with_one_id_the_later_stays() {
    let index = JobIndex::in_ram().expect("an index in memory");
    let twice = vec![job(7, "会计", "甲公司", ""), job(7, "司机", "甲公司", "")];
    index.apply(twice, &[], 1).expect("the change is applied");

    assert_eq!(index.num_docs(), 1);
    assert_eq!(sorted_ids(&index, &query("司机")), [7]);
}

/// An index in memory with `batches` commits of 20 posts titled 会计 (ids from 0), the
/// sequence one per commit.
fn in_batches(batches: i64) -> JobIndex {
    let index = JobIndex::in_ram().expect("an index in memory");
    for batch in 0..batches {
        let posts = (0..20)
            .map(|n| job(batch * 20 + n, "会计", "甲公司", ""))
            .collect();
        index
            .apply(posts, &[], batch + 1)
            .expect("a batch is applied");
    }
    index
}

#[test]
fn changes_go_on_after_waiting_for_merges() {
    let index = in_batches(10);
    index.wait_for_merges().expect("the merges finish");
    assert_eq!(index.num_docs(), 200);
    assert_eq!(index.last_seq(), 10);

    index
        .apply(vec![job(500, "司机", "乙公司", "")], &[0], 11)
        .expect("a change after the merges is applied");
    assert_eq!(index.num_docs(), 200);
    assert_eq!(sorted_ids(&index, &query("司机")), [500]);
}

#[test]
fn merging_leaves_one_segment_with_every_post_and_the_sequence() {
    let index = in_batches(3);
    index
        .apply(Vec::new(), &[5], 4)
        .expect("a delete is applied");

    let merged = index.merge_segments().expect("the segments merge");
    assert!(merged > 1, "each commit left a segment: {merged}");
    assert_eq!(index.merge_segments().expect("nothing to merge"), 1);
    assert_eq!(index.num_docs(), 59);
    assert_eq!(index.last_seq(), 4);
    assert_eq!(sorted_ids(&index, &query("会计")).len(), 59);
    // The writer is open again after the merge: changes go on.
    index
        .apply(vec![job(500, "司机", "乙公司", "")], &[0], 5)
        .expect("a change after the merge is applied");
    assert_eq!(sorted_ids(&index, &query("司机")), [500]);
    assert_eq!(index.last_seq(), 5);
}

#[test]
fn clear_removes_everything_and_resets_the_sequence() {
    let index = index_of(vec![
        job(1, "会计", "甲公司", ""),
        job(2, "出纳", "乙公司", ""),
    ]);
    index.clear().expect("the index is cleared");

    assert_eq!(index.num_docs(), 0);
    assert_eq!(index.last_seq(), 0);
    assert_eq!(sorted_ids(&index, &query("")), Vec::<i64>::new());
    index
        .apply(vec![job(3, "会计", "丙公司", "")], &[], 5)
        .expect("the change is applied");
    assert_eq!(sorted_ids(&index, &query("会计")), [3]);
}

#[test]
fn a_new_index_starts_at_sequence_zero() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let index = JobIndex::open(&dir.path().join("jobs")).expect("the index opens");
    assert_eq!(index.last_seq(), 0);
    assert_eq!(index.num_docs(), 0);
    assert_eq!(JobIndex::in_ram().expect("an index").last_seq(), 0);
}

#[test]
fn posts_and_sequence_survive_reopening_the_index() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    {
        let index = JobIndex::open(dir.path()).expect("the index opens");
        index
            .apply(vec![job(1, "会计", "甲公司", "")], &[], 41)
            .expect("the change is applied");
        index
            .apply(vec![job(2, "前端", "乙公司", "")], &[], 42)
            .expect("the change is applied");
    }
    let reopened = JobIndex::open(dir.path()).expect("the index opens again");

    assert_eq!(reopened.last_seq(), 42);
    assert_eq!(reopened.num_docs(), 2);
    assert_eq!(sorted_ids(&reopened, &query("前端")), [2]);
}

#[test]
fn an_index_of_another_schema_version_is_wiped() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    {
        let index = JobIndex::open(dir.path()).expect("the index opens");
        index
            .apply(vec![job(1, "会计", "甲公司", "")], &[], 9)
            .expect("the change is applied");
    }
    let version_file = dir.path().join("schema-version");
    let written = std::fs::read_to_string(&version_file).expect("the version is written");
    assert_eq!(written.trim(), SCHEMA_VERSION.to_string());
    std::fs::write(&version_file, "0").expect("an older version is pretended");
    std::fs::write(dir.path().join("left-over"), "x").expect("a stray file");

    let rebuilt = JobIndex::open(dir.path()).expect("the index opens anew");
    assert_eq!(rebuilt.last_seq(), 0);
    assert_eq!(rebuilt.num_docs(), 0);
    assert!(!dir.path().join("left-over").exists());
    let written = std::fs::read_to_string(&version_file).expect("the version is rewritten");
    assert_eq!(written.trim(), SCHEMA_VERSION.to_string());
    rebuilt
        .apply(vec![job(2, "司机", "乙公司", "")], &[], 1)
        .expect("the rebuilt index takes posts");
    assert_eq!(sorted_ids(&rebuilt, &query("司机")), [2]);
}

#[test]
fn a_directory_without_a_version_file_is_wiped() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    std::fs::write(dir.path().join("meta.json"), "not an index").expect("a broken file");

    let index = JobIndex::open(dir.path()).expect("the index opens");
    assert_eq!(index.num_docs(), 0);
    assert_eq!(index.last_seq(), 0);
}
