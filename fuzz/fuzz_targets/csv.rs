//! A user's uploaded file read as an import reads it: `Sheet::from_bytes` tells the format by
//! its bytes (csv in UTF-8 or GBK, xlsx, or a refusal) and every row is read to the end.
#![no_main]

use libfuzzer_sys::fuzz_target;
use linkong_import::sheet::{Format, Sheet};

fuzz_target!(|data: &[u8]| {
    let Ok(mut sheet) = Sheet::from_bytes(data.to_vec()) else {
        return;
    };
    let csv = sheet.format() == Format::Csv;
    let mut last = 0;
    while let Ok(Some((row, cells))) = sheet.next_row() {
        // A csv file's rows are its lines (a quoted line feed stays in its row): in order.
        if csv {
            assert!(row > last, "rows come in order: {row} after {last}");
        }
        assert!(!cells.is_empty(), "a row with no content is skipped");
        last = row;
        assert!(sheet.bytes_read() <= sheet.total_bytes());
    }
});
