//! `linkong keys rotate` killed at random moments and then run to its end: every ID and phone
//! number opens with the new key to what it was, each blind index is the new key's, and the
//! audit chain holds. After each kill, every value opens with the old key or the next one.

use std::collections::HashMap;
use std::path::Path;
use std::time::Instant;

use linkong_store::crypto::FieldCipher;

use crate::common::big_roster;
use crate::kit::{DataDir, Size, kill_after, spawn};

/// The residents' sealed numbers: (person id, what was sealed, its blind index) for the ID
/// and the phone number.
type Sealed = Vec<(i64, Vec<u8>, Vec<u8>, Vec<u8>, Vec<u8>)>;

async fn sealed(data: &DataDir) -> Sealed {
    let pool = sqlx::SqlitePool::connect(&data.database_url())
        .await
        .unwrap();
    let rows = sqlx::query_as(
        "SELECT id, id_number_enc, id_number_index, phone_enc, phone_index FROM persons ORDER BY id",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    pool.close().await;
    rows
}

/// A key file of `keys`, if it is there.
fn key(keys: &Path, name: &str) -> Option<FieldCipher> {
    let path = keys.join(name);
    let text = std::fs::read_to_string(path).ok()?;
    let material: [u8; 48] = hex::decode(text.trim()).unwrap().try_into().unwrap();
    Some(FieldCipher::from_material(&material))
}

/// Each person's ID and phone number in clear, opened with whichever of `keys` opens it.
fn opened(rows: &Sealed, keys: &[&FieldCipher], after: &str) -> HashMap<i64, (String, String)> {
    let open = |value: &[u8], what: &str, id: i64| -> String {
        keys.iter()
            .find_map(|k| k.decrypt(value).ok())
            .unwrap_or_else(|| panic!("{after}: person {id}'s {what} opens with no key"))
    };
    rows.iter()
        .map(|(id, id_enc, _, phone_enc, _)| {
            (
                *id,
                (open(id_enc, "ID", *id), open(phone_enc, "phone", *id)),
            )
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_key_rotation_killed_at_any_moment_resumes_to_a_key_that_opens_everything() {
    let mut size = Size::from_env("keys rotate");
    let data = DataDir::init(None);
    let csv = data.path().join("roster.csv");
    big_roster(&csv, size.rows);
    data.succeed(&[
        "import",
        "migrants",
        csv.to_str().unwrap(),
        "--unit",
        "径河街道",
    ]);
    let keys = data.path().join("keys");
    let first = key(&keys, "field.key").expect("init made the key");
    let clear = opened(&sealed(&data).await, &[&first], "before");
    assert_eq!(clear.len(), size.rows);

    // The span: a rotation run to its end (the kills then rotate from its key), so that the
    // moments reach the rotation's last steps — the last batches and the key's promotion.
    let started = Instant::now();
    data.succeed(&["keys", "rotate"]);
    let mut span = started.elapsed();
    let rotated = key(&keys, "field.key").unwrap();
    assert_eq!(
        opened(&sealed(&data).await, &[&rotated], "the first rotation"),
        clear
    );
    let (mut killed, mut finished) = (0, 0);
    while killed < size.kills {
        let at = size.moment(span, 0.0, 1.0);
        let started = Instant::now();
        let mut child = spawn(&data, &["keys", "rotate"]);
        let ended = kill_after(&mut child, at);
        let after = format!("keys rotate, kill {killed} at {at:?}");
        match ended {
            Some(status) => {
                assert!(status.success(), "{after}: the rotation failed");
                span = span.max(started.elapsed());
                finished += 1;
            }
            None => killed += 1,
        }
        let current = key(&keys, "field.key").expect("a current key at every moment");
        let next = key(&keys, "field.next.key");
        let mut both = vec![&current];
        both.extend(next.as_ref());
        data.assert_sound(&after).await;
        assert_eq!(
            opened(&sealed(&data).await, &both, &after),
            clear,
            "{after}"
        );
        eprintln!(
            "  keys rotate: {} at {at:?} of {span:?}; next key {}",
            if ended.is_some() {
                "ended before the kill"
            } else {
                "killed"
            },
            if next.is_some() {
                "pending"
            } else {
                "promoted"
            }
        );
        assert!(
            killed + finished < 4 * size.kills + 4,
            "the kills keep missing"
        );
    }
    data.succeed(&["keys", "rotate"]);
    assert!(!keys.join("field.next.key").exists(), "the rotation ended");
    let last = key(&keys, "field.key").unwrap();
    let rows = sealed(&data).await;
    assert_eq!(opened(&rows, &[&last], "at the end"), clear);
    for (id, _, id_index, _, phone_index) in &rows {
        let (number, phone) = &clear[id];
        assert_eq!(
            id_index,
            &last.blind_index(number),
            "person {id}'s ID index"
        );
        assert_eq!(
            phone_index,
            &last.blind_index(phone),
            "person {id}'s phone index"
        );
    }
    data.assert_sound("the rotation run to its end").await;
    eprintln!("  keys rotate: {killed} kills, {finished} rotations ran to their end");
}
