//! Telling a file's format from its first 64 KB, whatever its name says.

use std::io::Read;

use encoding_rs::GB18030;
use infer::MatcherType;

use super::ReadError;

/// How much of the head is looked at; a larger file is never read further to be refused.
const HEAD_LEN: usize = 64 * 1024;

const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
/// OLE compound file: .xls, .doc, and Office files encrypted with a password.
const OLE_MAGIC: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";
const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// How a csv file's text is encoded, as far as its head tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Encoding {
    Utf8,
    /// GBK, which Excel on Chinese Windows writes, and its superset GB18030.
    Gb18030,
    /// The head is plain ASCII: the first row with other bytes decides.
    Undecided,
}

#[derive(Debug)]
pub(super) enum Sniffed {
    Xlsx,
    Csv { encoding: Encoding, bom_len: u64 },
}

/// Reads the head of `file` and tells what it is. The file's cursor is left anywhere.
pub(super) fn sniff(file: &mut impl Read) -> Result<Sniffed, ReadError> {
    let mut head = Vec::with_capacity(HEAD_LEN);
    file.by_ref().take(HEAD_LEN as u64).read_to_end(&mut head)?;
    let whole_file = head.len() < HEAD_LEN;
    tell(&head, whole_file)
}

fn tell(head: &[u8], whole_file: bool) -> Result<Sniffed, ReadError> {
    if head.is_empty() {
        return Err(ReadError::Empty);
    }
    if head.starts_with(ZIP_MAGIC) {
        return tell_zip(head);
    }
    if head.starts_with(OLE_MAGIC) {
        return Err(tell_ole(head));
    }
    if head.starts_with(b"\xFF\xFE") || head.starts_with(b"\xFE\xFF") {
        return Err(ReadError::Utf16Text);
    }
    let bom_len = if head.starts_with(UTF8_BOM) {
        UTF8_BOM.len()
    } else {
        0
    };
    let text = &head[bom_len..];
    let Some(encoding) = text_encoding(text, whole_file) else {
        return Err(match infer::get(text) {
            Some(kind) => ReadError::NotASpreadsheet { kind: label(&kind) },
            None => ReadError::Binary,
        });
    };
    // Formats that are text themselves; other matches on text (such as "MZ" or "BM" at the
    // start of a row) are chance.
    if let Some(kind) = infer::get(text)
        && matches!(kind.extension(), "html" | "xml" | "pdf" | "rtf" | "ps")
    {
        return Err(ReadError::NotASpreadsheet { kind: label(&kind) });
    }
    if text.iter().all(u8::is_ascii_whitespace) && whole_file {
        return Err(ReadError::Empty);
    }
    Ok(Sniffed::Csv {
        encoding,
        bom_len: bom_len as u64,
    })
}

fn tell_zip(head: &[u8]) -> Result<Sniffed, ReadError> {
    match infer::get(head) {
        Some(kind) if kind.extension() == "ods" => Err(ReadError::OpenDocument),
        // A plain zip may still be a workbook whose parts are stored in another order.
        Some(kind) if !matches!(kind.extension(), "xlsx" | "zip") => {
            Err(ReadError::NotASpreadsheet { kind: label(&kind) })
        }
        _ => Ok(Sniffed::Xlsx),
    }
}

fn tell_ole(head: &[u8]) -> ReadError {
    match infer::get(head) {
        // infer calls any other OLE file "msi", so only these two are taken at its word.
        Some(kind) if matches!(kind.extension(), "doc" | "ppt") => {
            ReadError::NotASpreadsheet { kind: label(&kind) }
        }
        _ if holds_utf16_name(head, "EncryptedPackage") => ReadError::PasswordProtected,
        _ => ReadError::LegacyXls,
    }
}

/// Whether an OLE directory entry of this name is in the head (names are UTF-16LE there).
/// The directory of a small file sits near its start; this is a best guess, not a parse.
fn holds_utf16_name(head: &[u8], name: &str) -> bool {
    let needle: Vec<u8> = name.encode_utf16().flat_map(u16::to_le_bytes).collect();
    head.windows(needle.len()).any(|w| w == needle)
}

/// The encoding of a text head, or None when it is not text: it holds a NUL byte, more than
/// one control character in twenty, or bytes neither UTF-8 nor GB18030. A multi-byte
/// character cut at the end of the head counts as whole unless the head is the whole file.
fn text_encoding(head: &[u8], whole_file: bool) -> Option<Encoding> {
    if head.contains(&0) {
        return None;
    }
    // Multi-byte sequences of both encodings hold no byte below 0x30, so raw bytes are counted.
    let controls = head
        .iter()
        .filter(|&&b| (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C)) || b == 0x7F)
        .count();
    if controls * 20 > head.len() {
        return None;
    }
    if head.is_ascii() {
        return Some(Encoding::Undecided);
    }
    match std::str::from_utf8(head) {
        Ok(_) => return Some(Encoding::Utf8),
        Err(e) if e.error_len().is_none() && !whole_file => return Some(Encoding::Utf8),
        Err(_) => {}
    }
    let mut decoder = GB18030.new_decoder_without_bom_handling();
    let mut out = String::with_capacity(
        decoder
            .max_utf8_buffer_length_without_replacement(head.len())
            .unwrap_or(head.len() * 2),
    );
    let (result, _) = decoder.decode_to_string_without_replacement(head, &mut out, whole_file);
    (result == encoding_rs::DecoderResult::InputEmpty).then_some(Encoding::Gb18030)
}

/// A recognised file type as a user names it: "PDF 文档", "PNG 图片".
fn label(kind: &infer::Type) -> String {
    let ext = kind.extension();
    let named = match ext {
        "pdf" => Some("PDF 文档"),
        "doc" | "docx" => Some("Word 文档"),
        "ppt" | "pptx" => Some("PowerPoint 演示文稿"),
        "odt" => Some("OpenDocument 文本文档"),
        "odp" => Some("OpenDocument 演示文稿"),
        "rtf" => Some("RTF 文档"),
        "html" => Some("HTML 网页"),
        "xml" => Some("XML 文件"),
        "epub" => Some("EPUB 电子书"),
        _ => None,
    };
    if let Some(named) = named {
        return named.into();
    }
    let what = match kind.matcher_type() {
        MatcherType::Image => "图片",
        MatcherType::Archive => "压缩包",
        MatcherType::Audio => "音频",
        MatcherType::Video => "视频",
        MatcherType::Font => "字体文件",
        MatcherType::App => "程序",
        MatcherType::Book => "电子书",
        MatcherType::Doc => "文档",
        MatcherType::Text | MatcherType::Custom => "文件",
    };
    format!("{} {what}", ext.to_ascii_uppercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_gbk_head_cut_inside_a_character_is_still_gbk() {
        // "姓名" in GBK is C6 D5 C3 FB; the head ends after the first byte of 名.
        assert_eq!(
            text_encoding(b"\xC6\xD5\xC3", false),
            Some(Encoding::Gb18030)
        );
        assert_eq!(text_encoding(b"\xC6\xD5\xC3", true), None);
    }

    #[test]
    fn a_utf8_head_cut_inside_a_character_is_still_utf8() {
        let name = "姓名".as_bytes();
        assert_eq!(
            text_encoding(&name[..name.len() - 1], false),
            Some(Encoding::Utf8)
        );
    }

    #[test]
    fn control_characters_make_a_head_binary() {
        assert_eq!(text_encoding(b"a\x01b\x02c\x03", true), None);
        assert_eq!(text_encoding(b"a\tb\r\n", true), Some(Encoding::Undecided));
    }

    #[test]
    fn a_password_protected_workbook_is_told_from_an_old_xls() {
        let mut head = OLE_MAGIC.to_vec();
        head.resize(512, 0);
        assert!(matches!(tell_ole(&head), ReadError::LegacyXls));
        head.extend("EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes));
        assert!(matches!(tell_ole(&head), ReadError::PasswordProtected));
    }
}
