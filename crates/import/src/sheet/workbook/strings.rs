//! The shared strings table (ECMA-376 Part 1 §18.4): each distinct text of the workbook once,
//! cited by cells by index. A million-row workbook can hold hundreds of MB of it, so only the
//! first `IN_MEMORY` bytes stay in memory and the rest go to an unnamed temporary file.

use std::borrow::Cow;
use std::cell::RefCell;
use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Seek, SeekFrom, Write};

use quick_xml::events::Event;

use super::XlsxError;
use super::xml::{MAX_TEXT_BYTES, XmlPart, attribute};

/// Texts kept in memory. The first ones are the most cited (titles, 性别, 学历 …): Excel
/// numbers texts in the order it first meets them.
const IN_MEMORY: usize = 16 << 20;

/// Distinct texts a workbook may have: eight per row of a full million-row sheet.
pub(crate) const MAX_STRINGS: usize = 8 << 20;

/// Bytes of distinct text a workbook may have, on disk past `IN_MEMORY`.
pub(crate) const MAX_TEXT_TOTAL: u64 = 1 << 30;

#[derive(Default)]
pub(super) struct SharedStrings {
    memory: String,
    /// The texts past `memory`, one after another.
    spill: Spill,
    /// Where each text ends, counted over `memory` then the spill file.
    ends: Vec<u32>,
}

#[derive(Default)]
enum Spill {
    /// All texts fit in memory.
    #[default]
    None,
    Writing {
        file: BufWriter<File>,
        len: u64,
    },
    /// Cells cite texts mostly in the order they were written, so reads are mostly sequential
    /// and buffered.
    Reading(RefCell<SpillReader>),
}

struct SpillReader {
    file: BufReader<File>,
    position: u64,
}

impl SharedStrings {
    pub(super) fn read<R: Read>(part: &mut XmlPart<R>) -> Result<SharedStrings, XlsxError> {
        let mut strings = SharedStrings::default();
        let mut text = String::new();
        let mut buf = Vec::new();
        loop {
            match part.next(&mut buf)? {
                Event::Start(e) if e.local_name().as_ref() == "si" => {
                    text.clear();
                    read_rich_text(part, "si", &mut text)?;
                    strings.push(&text)?;
                }
                Event::Empty(e) if e.local_name().as_ref() == "si" => strings.push("")?,
                Event::End(e) if e.local_name().as_ref() == "sst" => break,
                Event::Eof => return Err(part.truncated()),
                _ => {}
            }
        }
        strings.finish()?;
        Ok(strings)
    }

    fn push(&mut self, text: &str) -> Result<(), XlsxError> {
        if self.ends.len() >= MAX_STRINGS {
            return Err(XlsxError::TooManyStrings);
        }
        if matches!(self.spill, Spill::None) && self.memory.len() + text.len() > IN_MEMORY {
            self.spill = Spill::Writing {
                file: BufWriter::new(tempfile::tempfile()?),
                len: 0,
            };
        }
        let spilled = match &mut self.spill {
            Spill::Writing { file, len } => {
                file.write_all(text.as_bytes())?;
                *len += text.len() as u64;
                *len
            }
            _ => {
                self.memory.push_str(text);
                0
            }
        };
        let end = self.memory.len() as u64 + spilled;
        if end > MAX_TEXT_TOTAL {
            return Err(XlsxError::TooManyStrings);
        }
        self.ends.push(end as u32);
        Ok(())
    }

    /// Turns the spill file, if any, from writing to reading.
    fn finish(&mut self) -> io::Result<()> {
        if let Spill::Writing { file, .. } = std::mem::take(&mut self.spill) {
            let mut file = file.into_inner().map_err(|e| e.into_error())?;
            file.rewind()?;
            self.spill = Spill::Reading(RefCell::new(SpillReader {
                file: BufReader::with_capacity(64 * 1024, file),
                position: 0,
            }));
        }
        Ok(())
    }

    /// The text numbered `index`.
    pub(super) fn get(&self, index: usize) -> Result<Cow<'_, str>, XlsxError> {
        let missing = || XlsxError::SharedStringIndex(index);
        let end = *self.ends.get(index).ok_or_else(missing)? as usize;
        let start = match index {
            0 => 0,
            _ => self.ends[index - 1] as usize,
        };
        if end <= self.memory.len() {
            return Ok(Cow::Borrowed(&self.memory[start..end]));
        }
        let Spill::Reading(reader) = &self.spill else {
            return Err(missing());
        };
        let mut reader = reader.borrow_mut();
        let offset = (start - self.memory.len()) as u64;
        // Unknown (u64::MAX) while a read is under way, and after one failed.
        match std::mem::replace(&mut reader.position, u64::MAX) {
            u64::MAX => {
                reader.file.seek(SeekFrom::Start(offset))?;
            }
            // Within the buffer this moves in it; beyond, it seeks.
            at => reader.file.seek_relative(offset as i64 - at as i64)?,
        }
        let mut bytes = vec![0; end - start];
        reader.file.read_exact(&mut bytes)?;
        reader.position = offset + bytes.len() as u64;
        // Written from a `str` just before, so it is UTF-8 unless the disk lies.
        String::from_utf8(bytes)
            .map(Cow::Owned)
            .map_err(|_| missing())
    }
}

/// Appends the text of a rich text element (`si`, `is`) up to its end to `out`: its runs'
/// `t` joined, phonetic guides (`rPh`) left out.
pub(super) fn read_rich_text<R: Read>(
    part: &mut XmlPart<R>,
    end: &str,
    out: &mut String,
) -> Result<(), XlsxError> {
    let mut buf = Vec::new();
    let mut text = String::new();
    loop {
        match part.next(&mut buf)? {
            Event::Start(e) if e.local_name().as_ref() == "rPh" => part.skip("rPh")?,
            Event::Start(e) if e.local_name().as_ref() == "t" => {
                let preserve = attribute(&e, "space").is_some_and(|s| s.as_ref() == "preserve");
                text.clear();
                part.read_text("t", &mut text)?;
                // Without xml:space="preserve" the spaces around are layout, not content.
                let kept = if preserve {
                    text.as_str()
                } else {
                    text.trim_matches([' ', '\t', '\r', '\n'])
                };
                unescape_ooxml(kept, out);
                if out.len() > MAX_TEXT_BYTES {
                    return Err(part.oversized());
                }
            }
            Event::End(e) if e.local_name().as_ref() == end => return Ok(()),
            Event::Eof => return Err(part.truncated()),
            _ => {}
        }
    }
}

/// Appends `text` to `out` with OOXML's `_xHHHH_` escapes (characters XML cannot hold, such
/// as `_x000D_` for a carriage return) turned back into characters.
pub(super) fn unescape_ooxml(text: &str, out: &mut String) {
    let mut rest = text;
    while let Some(at) = rest.find("_x") {
        let Some(unit) = escape_at(&rest[at..]) else {
            out.push_str(&rest[..at + 2]);
            rest = &rest[at + 2..];
            continue;
        };
        out.push_str(&rest[..at]);
        rest = &rest[at + 7..];
        let c = match unit {
            0xD800..=0xDBFF => match escape_at(rest) {
                Some(low @ 0xDC00..=0xDFFF) => {
                    rest = &rest[7..];
                    char::from_u32(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00))
                }
                _ => None,
            },
            _ => char::from_u32(unit),
        };
        out.push(c.unwrap_or(char::REPLACEMENT_CHARACTER));
    }
    out.push_str(rest);
}

/// The code unit of an `_xHHHH_` escape at the start of `text`.
fn escape_at(text: &str) -> Option<u32> {
    let escape = text.get(..7)?;
    let hex = escape.strip_prefix("_x")?.strip_suffix('_')?;
    if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    u32::from_str_radix(hex, 16).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unescaped(text: &str) -> String {
        let mut out = String::new();
        unescape_ooxml(text, &mut out);
        out
    }

    #[test]
    fn ooxml_escapes_become_characters() {
        assert_eq!(unescaped("a_x000D_b"), "a\rb");
        assert_eq!(unescaped("_xD83D__xDE00_"), "😀");
        assert_eq!(unescaped("my_xfile_x"), "my_xfile_x");
        assert_eq!(unescaped("姓名"), "姓名");
    }

    #[test]
    fn texts_past_the_memory_budget_are_read_back_from_disk() {
        let mut strings = SharedStrings::default();
        let big = "字".repeat(IN_MEMORY / 3);
        strings.push("性别").unwrap();
        strings.push(&big).unwrap();
        strings.push("男").unwrap();
        strings.finish().unwrap();
        assert!(matches!(strings.spill, Spill::Reading(_)));
        assert_eq!(strings.get(0).unwrap(), "性别");
        assert_eq!(strings.get(1).unwrap(), big);
        assert_eq!(strings.get(2).unwrap(), "男");
        assert_eq!(strings.get(1).unwrap(), big);
        assert!(strings.get(3).is_err());
    }
}
