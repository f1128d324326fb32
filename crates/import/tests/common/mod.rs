//! What the import tests share: xlsx packages made by hand, to give the reader what other
//! writers (or attackers) give.
#![allow(dead_code)]

use std::io::Write;
use std::path::PathBuf;

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
