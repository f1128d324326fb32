//! What the import tests share: xlsx packages made by hand, to give the reader what other
//! writers (or attackers) give, down to zip archives written byte by byte with deflate streams
//! that inflate to gigabytes.
#![allow(dead_code)]

use std::io::Write;
use std::path::PathBuf;

use flate2::{Compress, Compression, Crc, FlushCompress};
use tempfile::TempDir;
use zip::write::SimpleFileOptions;

/// An xlsx package made by hand.
pub struct Package<'a> {
    pub sheet_data: &'a str,
    pub shared_strings: Option<&'a str>,
    pub styles: Option<&'a str>,
    pub workbook_pr: &'a str,
    /// The relationship type of the one sheet: "worksheet" or "chartsheet".
    pub sheet_relationship: &'a str,
}

impl Default for Package<'_> {
    fn default() -> Self {
        Package {
            sheet_data: "",
            shared_strings: None,
            styles: None,
            workbook_pr: "",
            sheet_relationship: "worksheet",
        }
    }
}

impl Package<'_> {
    /// Its parts: name and XML text.
    pub fn parts(&self) -> Vec<(&'static str, String)> {
        let mut parts = vec![
            (
                "_rels/.rels",
                r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.to_owned(),
            ),
            (
                "xl/workbook.xml",
                format!(
                    r#"<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">{}<sheets><sheet name="名单" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
                    self.workbook_pr
                ),
            ),
            (
                "xl/_rels/workbook.xml.rels",
                format!(
                    r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/{}" Target="/xl/worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>"#,
                    self.sheet_relationship
                ),
            ),
            ("xl/worksheets/sheet1.xml", self.sheet_data.to_owned()),
        ];
        if let Some(strings) = self.shared_strings {
            parts.push(("xl/sharedStrings.xml", strings.to_owned()));
        }
        if let Some(styles) = self.styles {
            parts.push(("xl/styles.xml", styles.to_owned()));
        }
        parts
    }

    pub fn write(&self, dir: &TempDir, name: &str) -> PathBuf {
        let path = dir.path().join(name);
        let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
        for (name, text) in self.parts() {
            zip.start_file(name, SimpleFileOptions::default()).unwrap();
            zip.write_all(text.as_bytes()).unwrap();
        }
        zip.finish().unwrap();
        path
    }
}

pub fn sheet(data: &str) -> String {
    format!(
        r#"<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{data}</sheetData></worksheet>"#
    )
}

pub const SHEET_PART: &str = "xl/worksheets/sheet1.xml";
pub const SHEET_HEAD: &str = r#"<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#;

/// `text` as raw deflate blocks, not the last, ending on a byte: blocks made so can follow one
/// another any number of times (a bomb of N MB costs N times the compressed size of one).
pub fn deflate_blocks(text: &str) -> Vec<u8> {
    let mut compress = Compress::new(Compression::best(), false);
    // Room for all of it, stored, so that one call compresses and flushes it whole.
    let mut out = Vec::with_capacity(text.len() + 1024);
    compress
        .compress_vec(text.as_bytes(), &mut out, FlushCompress::Full)
        .unwrap();
    assert_eq!(
        compress.total_in(),
        text.len() as u64,
        "one call takes it all"
    );
    out
}

/// The final, empty deflate block (fixed Huffman, end of block).
pub const LAST_BLOCK: [u8; 2] = [0x03, 0x00];

/// A zip entry written as given: `data` already deflated (`method` 8) or stored (0), and the
/// sizes and CRC the directory declares, true or not.
pub struct Entry {
    pub name: String,
    pub method: u16,
    pub data: Vec<u8>,
    pub crc: u32,
    pub declared_size: u32,
}

impl Entry {
    pub fn stored(name: &str, text: &str) -> Entry {
        let mut crc = Crc::new();
        crc.update(text.as_bytes());
        Entry {
            name: name.into(),
            method: 0,
            data: text.as_bytes().to_vec(),
            crc: crc.sum(),
            declared_size: text.len() as u32,
        }
    }
}

/// A zip archive of `entries`, written byte by byte (APPNOTE 4.3.7, 4.3.12, 4.3.16).
pub fn zip_of(entries: &[Entry]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut directory = Vec::new();
    for entry in entries {
        let offset = out.len() as u32;
        let common = |out: &mut Vec<u8>| {
            out.extend(20u16.to_le_bytes()); // version needed
            out.extend(0u16.to_le_bytes()); // flags
            out.extend(entry.method.to_le_bytes());
            out.extend(0u16.to_le_bytes()); // time
            out.extend(0x21u16.to_le_bytes()); // 1980-01-01
            out.extend(entry.crc.to_le_bytes());
            out.extend((entry.data.len() as u32).to_le_bytes());
            out.extend(entry.declared_size.to_le_bytes());
            out.extend((entry.name.len() as u16).to_le_bytes());
            out.extend(0u16.to_le_bytes()); // extra field length
        };
        out.extend(0x0403_4b50u32.to_le_bytes());
        common(&mut out);
        out.extend(entry.name.as_bytes());
        out.extend(&entry.data);

        directory.extend(0x0201_4b50u32.to_le_bytes());
        directory.extend(20u16.to_le_bytes()); // version made by
        common(&mut directory);
        directory.extend([0; 10]); // comment length, disk, internal and external attributes
        directory.extend(offset.to_le_bytes());
        directory.extend(entry.name.as_bytes());
    }
    let directory_offset = out.len() as u32;
    out.extend(&directory);
    out.extend(0x0605_4b50u32.to_le_bytes());
    out.extend([0; 4]); // disk numbers
    out.extend((entries.len() as u16).to_le_bytes());
    out.extend((entries.len() as u16).to_le_bytes());
    out.extend((directory.len() as u32).to_le_bytes());
    out.extend(directory_offset.to_le_bytes());
    out.extend(0u16.to_le_bytes()); // comment length
    out
}

/// The parts of `package`, stored, those named in `replacing` given instead as they are there.
pub fn workbook(package: &Package<'_>, replacing: Vec<Entry>) -> Vec<u8> {
    let mut entries: Vec<Entry> = package
        .parts()
        .into_iter()
        .filter(|(name, _)| replacing.iter().all(|entry| entry.name != *name))
        .map(|(name, text)| Entry::stored(name, &text))
        .collect();
    entries.extend(replacing);
    zip_of(&entries)
}

/// A bomb after `head`, the start of the worksheet.
pub fn bomb_after(head: &str, megabytes: usize, declared_size: u32) -> Entry {
    let mut data = deflate_blocks(head);
    let empty_rows = deflate_blocks(&"<row/>".repeat(1_000_000 / 6));
    for _ in 0..megabytes {
        data.extend(&empty_rows);
    }
    data.extend(LAST_BLOCK);
    Entry {
        name: SHEET_PART.into(),
        method: 8,
        data,
        crc: 0,
        declared_size,
    }
}
