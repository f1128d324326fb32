//! The zip package of an xlsx file: its parts by name, their relationships, and the workbook
//! part that says which worksheet comes first (ECMA-376 Part 2 for the package, Part 1 §18.2
//! for the workbook).

use std::collections::HashMap;
use std::io::{Read, Seek};

use quick_xml::events::Event;
use zip::ZipArchive;
use zip::read::ZipFile;

use super::XlsxError;
use super::xml::{XmlPart, attribute};

/// More sheets or relationships than this is no workbook a person made.
const MAX_ENTRIES: usize = 10_000;

/// The most bytes one part may inflate to: a full million-row worksheet of twenty text columns
/// takes about 800 MB. Below 4 GiB, so that no zip64 entry is needed to test it. The zip reader holds each part to the size its directory declares, so a part that
/// declares less and inflates more fails there; this refuses one that declares more.
pub(super) const MAX_PART_BYTES: u64 = 2 << 30;

pub(super) struct Package<R: Read + Seek> {
    zip: ZipArchive<R>,
    /// Part names, lower case without a leading slash, to their index: some writers differ in
    /// case or slashes from the names the relationships give.
    parts: HashMap<String, usize>,
}

/// What the workbook part tells about the workbook.
pub(super) struct WorkbookInfo {
    /// The part of the first visible worksheet (else of the first worksheet); None if none.
    pub(super) first_sheet: Option<String>,
    pub(super) shared_strings: Option<String>,
    pub(super) styles: Option<String>,
    /// Serials count from 1904 (old Mac workbooks) rather than 1900.
    pub(super) date1904: bool,
}

struct Relationship {
    id: String,
    kind: String,
    target: String,
}

impl<R: Read + Seek> Package<R> {
    pub(super) fn open(reader: R) -> Result<Package<R>, XlsxError> {
        let zip = ZipArchive::new(reader)?;
        let parts = zip
            .file_names()
            .enumerate()
            .filter_map(|(index, name)| Some((normalise(&name.ok()?), index)))
            .collect();
        Ok(Package { zip, parts })
    }

    /// The part named `name`, or None when the package has none.
    pub(super) fn part(
        &mut self,
        name: &str,
    ) -> Result<Option<XmlPart<ZipFile<'_, R>>>, XlsxError> {
        let Some(&index) = self.parts.get(&normalise(name)) else {
            return Ok(None);
        };
        let file = self.zip.by_index(index)?;
        if file.size() > MAX_PART_BYTES {
            return Err(XlsxError::PartTooLarge { part: name.into() });
        }
        Ok(Some(XmlPart::new(name, file)))
    }

    pub(super) fn workbook(&mut self) -> Result<WorkbookInfo, XlsxError> {
        let workbook = self
            .relationships("")?
            .into_iter()
            .find(|r| r.kind.ends_with("/officeDocument"))
            .map_or_else(|| "xl/workbook.xml".to_owned(), |r| r.target);
        let related = self.relationships(&workbook)?;
        let target = |kind: &str| {
            related
                .iter()
                .find(|r| r.kind.ends_with(kind))
                .map(|r| r.target.clone())
        };
        let directory = directory_of(&workbook);
        let shared_strings = target("/sharedStrings").or_else(|| {
            let default = format!("{directory}sharedStrings.xml");
            self.parts
                .contains_key(&normalise(&default))
                .then_some(default)
        });
        let styles = target("/styles");

        let mut part = self
            .part(&workbook)?
            .ok_or_else(|| XlsxError::MissingPart(workbook.clone()))?;
        let mut date1904 = false;
        // (relationship id, visible) of each sheet, in workbook order.
        let mut sheets: Vec<(String, bool)> = Vec::new();
        let mut buf = Vec::new();
        loop {
            match part.next(&mut buf)? {
                Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                    "workbookPr" => {
                        date1904 = attribute(&e, "date1904")
                            .is_some_and(|v| v.as_ref() == "1" || v.as_ref() == "true");
                    }
                    "sheet" if sheets.len() < MAX_ENTRIES => {
                        if let Some(id) = attribute(&e, "id") {
                            let visible = attribute(&e, "state")
                                .is_none_or(|state| state.as_ref() == "visible");
                            sheets.push((id.into_owned(), visible));
                        }
                    }
                    _ => {}
                },
                Event::End(e) if e.local_name().as_ref() == "sheets" => break,
                Event::Eof => break,
                _ => {}
            }
        }
        let worksheet = |id: &str| {
            related
                .iter()
                .find(|r| r.id == id && r.kind.ends_with("/worksheet"))
                .map(|r| r.target.clone())
        };
        let first_sheet = sheets
            .iter()
            .filter(|(_, visible)| *visible)
            .chain(sheets.iter())
            .find_map(|(id, _)| worksheet(id));
        Ok(WorkbookInfo {
            first_sheet,
            shared_strings,
            styles,
            date1904,
        })
    }

    /// The relationships of the part named `source` ("" for the package itself), their
    /// targets resolved to part names. Missing relationships are no error: there are none.
    fn relationships(&mut self, source: &str) -> Result<Vec<Relationship>, XlsxError> {
        let directory = directory_of(source);
        let file = &source[directory.len()..];
        let name = format!("{directory}_rels/{file}.rels");
        let Some(mut part) = self.part(&name)? else {
            return Ok(Vec::new());
        };
        let mut found = Vec::new();
        let mut buf = Vec::new();
        loop {
            match part.next(&mut buf)? {
                Event::Start(e) | Event::Empty(e)
                    if e.local_name().as_ref() == "Relationship" && found.len() < MAX_ENTRIES =>
                {
                    if attribute(&e, "TargetMode").is_some_and(|m| m.as_ref() == "External") {
                        continue;
                    }
                    let (Some(id), Some(kind), Some(target)) = (
                        attribute(&e, "Id"),
                        attribute(&e, "Type"),
                        attribute(&e, "Target"),
                    ) else {
                        continue;
                    };
                    found.push(Relationship {
                        id: id.into_owned(),
                        kind: kind.into_owned(),
                        target: resolve(directory, &target),
                    });
                }
                Event::Eof => break,
                _ => {}
            }
        }
        Ok(found)
    }
}

/// A part name as looked up: lower case, forward slashes, no leading slash.
fn normalise(name: &str) -> String {
    name.trim_start_matches(['/', '\\'])
        .replace('\\', "/")
        .to_lowercase()
}

/// "xl/" for "xl/workbook.xml", "" for a part at the root.
fn directory_of(part: &str) -> &str {
    part.rfind('/').map_or("", |slash| &part[..=slash])
}

/// A relationship target as a part name: absolute ("/xl/…") or relative to `directory`.
fn resolve(directory: &str, target: &str) -> String {
    let joined = match target.strip_prefix('/') {
        Some(absolute) => absolute.to_owned(),
        None => format!("{directory}{target}"),
    };
    let mut segments: Vec<&str> = Vec::new();
    for segment in joined.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            _ => segments.push(segment),
        }
    }
    segments.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_resolve_relative_to_their_source_or_from_the_root() {
        assert_eq!(
            resolve("xl/", "worksheets/sheet1.xml"),
            "xl/worksheets/sheet1.xml"
        );
        assert_eq!(
            resolve("xl/", "/xl/worksheets/sheet1.xml"),
            "xl/worksheets/sheet1.xml"
        );
        assert_eq!(
            resolve("xl/worksheets/", "../sharedStrings.xml"),
            "xl/sharedStrings.xml"
        );
        assert_eq!(resolve("", "xl/workbook.xml"), "xl/workbook.xml");
    }
}
