//! A sheet closed early stops its reading thread: nothing inflates the rest of a workbook no one
//! reads any more. Alone in its test binary, so that the threads it counts are its own.

mod common;

use std::time::{Duration, Instant};

use common::{Package, SHEET_HEAD, bomb_after, workbook};
use linkong_import::{Cell, Sheet};

/// Threads of this process named as the xlsx reader names its own (Linux).
fn reading_threads() -> usize {
    std::fs::read_dir("/proc/self/task")
        .unwrap()
        .filter_map(|task| std::fs::read_to_string(task.ok()?.path().join("comm")).ok())
        .filter(|name| name.trim() == "xlsx-rows")
        .count()
}

#[test]
fn a_sheet_closed_after_its_first_row_stops_reading_the_rest() {
    // 2,000 MB of empty rows (the size declared, within the limit) after one row. The reader
    // may end on its own soon after the first row (a loaded machine can pause this thread that
    // long), and then nothing is shown: up to five tries to find it still at work.
    let head = format!(r#"{SHEET_HEAD}<row r="1"><c r="A1"><v>1</v></c></row>"#);
    for _ in 0..5 {
        let entry = bomb_after(&head, 2_000, 2_000_000_000);
        let mut sheet = Sheet::from_bytes(workbook(&Package::default(), vec![entry])).unwrap();
        assert_eq!(
            sheet.next_row().unwrap(),
            Some((1, vec![Cell::Number(1.0)]))
        );
        let reading = reading_threads();
        let started = Instant::now();
        drop(sheet);
        assert!(started.elapsed() < Duration::from_secs(5));
        assert_eq!(reading_threads(), 0);
        if reading == 1 {
            return;
        }
    }
    panic!("the reading thread was never caught at work after the first row");
}
