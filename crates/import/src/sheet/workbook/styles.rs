//! Which cell styles show a date or a time: an xlsx date is a number whose style's number
//! format is a date format (ECMA-376 Part 1 §18.8.30–31).

use std::collections::HashMap;
use std::io::Read;

use quick_xml::events::Event;

use super::XlsxError;
use super::xml::{XmlPart, attribute};

/// Excel caps a workbook at 64,000 cell formats.
const MAX_STYLES: usize = 65_536;

/// Excel's own limit on a number format's length.
const MAX_FORMAT_LEN: usize = 255;

/// For each cell style (the `s` of a cell), whether it shows a date or time.
pub(super) fn date_styles<R: Read>(part: &mut XmlPart<R>) -> Result<Vec<bool>, XlsxError> {
    let mut custom: HashMap<u32, bool> = HashMap::new();
    let mut format_ids: Vec<u32> = Vec::new();
    let mut in_cell_xfs = false;
    let mut buf = Vec::new();
    loop {
        match part.next(&mut buf)? {
            Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                "numFmt" if custom.len() < MAX_STYLES => {
                    let id = attribute(&e, "numFmtId").and_then(|id| id.parse().ok());
                    let code = attribute(&e, "formatCode");
                    if let (Some(id), Some(code)) = (id, code)
                        && code.len() <= MAX_FORMAT_LEN
                    {
                        custom.insert(id, is_date_format(&code));
                    }
                }
                "cellXfs" => in_cell_xfs = true,
                "xf" if in_cell_xfs => {
                    if format_ids.len() >= MAX_STYLES {
                        return Err(part.oversized());
                    }
                    let id = attribute(&e, "numFmtId").and_then(|id| id.parse().ok());
                    format_ids.push(id.unwrap_or(0));
                }
                _ => {}
            },
            Event::End(e) if e.local_name().as_ref() == "cellXfs" => break,
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(format_ids
        .into_iter()
        .map(|id| {
            custom
                .get(&id)
                .copied()
                .unwrap_or_else(|| is_builtin_date(id))
        })
        .collect())
}

/// Built-in date and time formats, the East Asian ones (27–36, 50–58) included.
fn is_builtin_date(id: u32) -> bool {
    matches!(id, 14..=22 | 27..=36 | 45..=47 | 50..=58)
}

/// Whether a number format shows a date or time: its first section has a date or time letter
/// (y m d h s) outside quoted text, `[…]` parts and escaped characters, or is an elapsed time
/// such as `[h]:mm`.
pub(super) fn is_date_format(code: &str) -> bool {
    let section = first_section(code);
    let mut chars = section.chars();
    let mut in_quotes = false;
    while let Some(c) = chars.next() {
        match c {
            '"' => in_quotes = !in_quotes,
            _ if in_quotes => {}
            // Each of these makes the next character a literal.
            '\\' | '_' | '*' => {
                chars.next();
            }
            '[' => {
                let inside: String = chars.by_ref().take_while(|&c| c != ']').collect();
                let elapsed = !inside.is_empty()
                    && inside
                        .chars()
                        .all(|c| matches!(c.to_ascii_lowercase(), 'h' | 'm' | 's'));
                if elapsed {
                    return true;
                }
            }
            _ if matches!(c.to_ascii_lowercase(), 'y' | 'm' | 'd' | 'h' | 's') => return true,
            _ => {}
        }
    }
    false
}

/// The format up to its first unquoted `;`: the one positive numbers use.
fn first_section(code: &str) -> &str {
    let mut in_quotes = false;
    let mut escaped = false;
    for (i, c) in code.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '"' => in_quotes = !in_quotes,
            ';' if !in_quotes => return &code[..i],
            _ => {}
        }
    }
    code
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_formats_are_told_from_number_formats() {
        for date in [
            "yyyy-mm-dd",
            "yyyy\"年\"m\"月\"d\"日\"",
            "[$-F800]dddd, mmmm dd, yyyy",
            "[DBNum1][$-804]yyyy\"年\"m\"月\"",
            "h:mm AM/PM",
            "[h]:mm:ss",
            "m/d/yy h:mm;@",
        ] {
            assert!(is_date_format(date), "{date}");
        }
        for number in [
            "General",
            "0.00",
            "#,##0.00 \"元\"",
            "[Red]0.00;[Blue]-0.00",
            "_(* #,##0_);_(* (#,##0);_(* \"-\"_);_(@_)",
            "0.00E+00",
            "@",
            "\"days\" 0",
            "0;\"yes\";\"no\"",
        ] {
            assert!(!is_date_format(number), "{number}");
        }
    }
}
