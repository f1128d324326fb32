//! Text of spreadsheet and CSV cells as people type it (full-width digits, stray spaces, dates
//! written five ways), made into the values an import needs. Pure: callers pass the cell's text,
//! or the number behind an Excel date cell.

use std::borrow::Cow;

use chrono::{Duration, NaiveDate};

mod footer;

pub use footer::{Footer, footer};

/// Full-width ASCII (U+FF01–U+FF5E) to half-width, every kind of space to one ASCII space,
/// zero-width characters and the BOM removed, trimmed.
pub fn normalise(text: &str) -> String {
    if is_normal(text) {
        return text.to_owned();
    }
    normalise_slowly(text)
}

fn normalise_slowly(text: &str) -> String {
    let half_width: String = text
        .chars()
        .filter(|c| {
            !matches!(
                c,
                '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}'
            )
        })
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            other => other,
        })
        .collect();
    // `split_whitespace` also splits on U+3000 and U+00A0, which Chinese spreadsheets are full of.
    half_width.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Would [`normalise`] leave `text` as it is? (Most cells of a roster: this check allocates
/// nothing.) No zero-width or full-width character, and no whitespace but single ASCII spaces
/// between words.
fn is_normal(text: &str) -> bool {
    let mut after_space = true;
    for c in text.chars() {
        if c == ' ' {
            if after_space {
                return false;
            }
            after_space = true;
            continue;
        }
        if c.is_whitespace()
            || matches!(
                c,
                '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{FF01}'
                    ..='\u{FF5E}'
            )
        {
            return false;
        }
        after_space = false;
    }
    !after_space || text.is_empty()
}

/// A date written year first: 2025-03-01, 2025-3-1, 2025/3/1, 2025.3.1, 2025年3月1日 or 20250301.
pub fn parse_date(text: &str) -> Result<NaiveDate, String> {
    let shown = text.trim();
    let cleaned: String = normalise(text).chars().filter(|c| *c != ' ').collect();
    if cleaned.is_empty() {
        return Err("请填写日期".to_owned());
    }
    let unrecognised = || format!("日期“{shown}”无法识别，请写成 2025-03-01");
    let (year, month, day) = split_date(&cleaned).ok_or_else(unrecognised)?;
    let number = |s: &str| s.parse::<u32>().map_err(|_| unrecognised());
    let year = i32::try_from(number(year)?).map_err(|_| unrecognised())?;
    NaiveDate::from_ymd_opt(year, number(month)?, number(day)?)
        .ok_or_else(|| format!("日期“{shown}”不存在"))
}

/// Year (4 digits), month and day (1 or 2 digits each), or `None` if the shape is not a date.
fn split_date(cleaned: &str) -> Option<(&str, &str, &str)> {
    let digits = |s: &str, lengths: &[usize]| {
        lengths.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
    };
    if digits(cleaned, &[8]) {
        return Some((&cleaned[..4], &cleaned[4..6], &cleaned[6..]));
    }
    let (year, month, day) = if let Some(rest) = cleaned.strip_suffix('日') {
        let (year, rest) = rest.split_once('年')?;
        let (month, day) = rest.split_once('月')?;
        (year, month, day)
    } else {
        let separator = cleaned.chars().find(|c| matches!(c, '-' | '/' | '.'))?;
        let mut parts = cleaned.split(separator);
        let parts = (parts.next()?, parts.next()?, parts.next()?, parts.next());
        match parts {
            (year, month, day, None) => (year, month, day),
            _ => return None,
        }
    };
    (digits(year, &[4]) && digits(month, &[1, 2]) && digits(day, &[1, 2]))
        .then_some((year, month, day))
}

/// The date of an Excel date cell, given the number Excel stores (1900 date system: 1 is
/// 1900-01-01). Excel counts a 29 February 1900 that never was, so from 61 on it is one day
/// ahead; a time of day in the fraction is dropped.
pub fn date_from_excel_serial(serial: f64) -> Result<NaiveDate, String> {
    // 2958465 is 9999-12-31, the last date Excel can show; NaN is outside every range.
    if !(1.0..2_958_466.0).contains(&serial) {
        return Err(format!("单元格中的数字{serial}不是 Excel 日期"));
    }
    let days = serial.trunc() as i64;
    let epoch = match days {
        ..=59 => NaiveDate::from_ymd_opt(1899, 12, 31),
        60 => return Err("Excel 日期 1900-02-29 不存在，请核对".to_owned()),
        _ => NaiveDate::from_ymd_opt(1899, 12, 30),
    };
    epoch
        .and_then(|epoch| epoch.checked_add_signed(Duration::days(days)))
        .ok_or_else(|| format!("单元格中的数字{serial}不是 Excel 日期"))
}

/// A count of people, posts or events: a whole number, zero or more. "3.0" (a number cell saved
/// as text) is read as 3.
pub fn parse_count(text: &str) -> Result<i64, String> {
    let shown = text.trim();
    let cleaned = normalise(text);
    if cleaned.is_empty() {
        return Err("请填写数量".to_owned());
    }
    let (negative, unsigned) = match cleaned.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, cleaned.as_str()),
    };
    let is_number = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let (whole, fraction) = unsigned.split_once('.').unwrap_or((unsigned, "0"));
    if !is_number(whole) || !is_number(fraction) {
        return Err(format!("数量“{shown}”不是数字"));
    }
    if negative {
        return Err(format!("数量“{shown}”不能为负数"));
    }
    if fraction.bytes().any(|b| b != b'0') {
        return Err(format!("数量“{shown}”应为整数"));
    }
    whole
        .parse::<i64>()
        .map_err(|_| format!("数量“{shown}”过大"))
}

/// Could a spreadsheet take this text for a formula when it opens a csv file? It begins with
/// = + - @ (or their full-width forms), a tab or a carriage return (OWASP, “CSV injection”):
/// `=HYPERLINK(…)` in a name would be a live link in Excel.
pub fn may_be_formula(text: &str) -> bool {
    text.starts_with(['=', '+', '-', '@', '\t', '\r', '＝', '＋', '－', '＠'])
}

/// A text as a csv field that Excel shows and never evaluates: one that [`may_be_formula`]
/// gets a leading apostrophe, and one with a comma, quote or line break is quoted. Every csv
/// export writes its text cells through this; numbers are written as numbers.
pub fn csv_field(text: &str) -> Cow<'_, str> {
    let guarded = if may_be_formula(text) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    };
    if guarded.contains([',', '"', '\n', '\r']) {
        Cow::Owned(format!("\"{}\"", guarded.replace('"', "\"\"")))
    } else {
        guarded
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(year: i32, month: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(year, month, day).unwrap()
    }

    #[test]
    fn full_width_text_and_odd_spaces_become_plain() {
        assert_eq!(normalise("\u{FEFF}  ＡＢＣ　１２３  "), "ABC 123");
        assert_eq!(
            normalise("东西湖区\t\t吴家山\u{200B}街道"),
            "东西湖区 吴家山街道"
        );
        assert_eq!(normalise("（武汉）\u{00A0} 临空港"), "(武汉) 临空港");
        assert_eq!(normalise("　\u{200D}　"), "");
    }

    #[test]
    fn the_fast_path_leaves_only_what_normalising_would_leave() {
        let cells = [
            "",
            " ",
            "a",
            " a",
            "a ",
            "a  b",
            "a b",
            "武汉 临空港",
            "武汉\u{3000}临空港",
            "武汉\u{00A0}临空港",
            "１２３",
            "ａ",
            "x\u{200B}",
            "\u{FEFF}姓名",
            "a\tb",
            "a\nb",
            "420112199001011234",
            "13812345678",
            "高中/中专/技校",
        ];
        for cell in cells {
            assert_eq!(normalise(cell), normalise_slowly(cell), "{cell:?}");
            assert_eq!(is_normal(cell), normalise_slowly(cell) == cell, "{cell:?}");
        }
    }

    #[test]
    fn every_usual_way_of_writing_1_march_2025_is_read() {
        for text in [
            "2025-03-01",
            "2025-3-1",
            "2025/3/1",
            "2025/03/01",
            "2025.3.1",
            "2025年3月1日",
            "2025 年 3 月 1 日",
            "20250301",
            "２０２５－０３－０１",
            "２０２５年３月１日",
            "  2025-03-01\u{3000}",
        ] {
            assert_eq!(parse_date(text), Ok(date(2025, 3, 1)), "{text}");
        }
    }

    #[test]
    fn an_unreadable_date_is_quoted_back_with_the_form_to_use() {
        for text in [
            "3/1/2025",
            "25-3-1",
            "2025-3",
            "2025-3-1-1",
            "2025-03/01",
            "2025年3月",
            "202531",
            "明天",
        ] {
            assert_eq!(
                parse_date(text),
                Err(format!("日期“{text}”无法识别，请写成 2025-03-01")),
                "{text}"
            );
        }
        assert_eq!(parse_date("  "), Err("请填写日期".to_owned()));
    }

    #[test]
    fn a_date_that_does_not_exist_is_named() {
        assert_eq!(
            parse_date("2025-02-30"),
            Err("日期“2025-02-30”不存在".to_owned())
        );
        assert_eq!(
            parse_date("2025年13月1日"),
            Err("日期“2025年13月1日”不存在".to_owned())
        );
        assert_eq!(parse_date("2024-02-29"), Ok(date(2024, 2, 29)));
    }

    #[test]
    fn excel_serials_follow_excels_1900_calendar() {
        assert_eq!(date_from_excel_serial(1.0), Ok(date(1900, 1, 1)));
        assert_eq!(date_from_excel_serial(59.0), Ok(date(1900, 2, 28)));
        assert_eq!(date_from_excel_serial(61.0), Ok(date(1900, 3, 1)));
        assert_eq!(date_from_excel_serial(45717.0), Ok(date(2025, 3, 1)));
        assert_eq!(date_from_excel_serial(2_958_465.0), Ok(date(9999, 12, 31)));
    }

    #[test]
    fn a_time_of_day_in_an_excel_serial_is_dropped() {
        assert_eq!(date_from_excel_serial(45717.75), Ok(date(2025, 3, 1)));
    }

    #[test]
    fn numbers_that_are_not_excel_dates_are_refused() {
        assert!(
            date_from_excel_serial(60.0)
                .unwrap_err()
                .contains("1900-02-29")
        );
        for serial in [0.0, 0.5, -1.0, 2_958_466.0, 1e300, f64::NAN, f64::INFINITY] {
            assert!(date_from_excel_serial(serial).is_err(), "{serial}");
        }
        assert_eq!(
            date_from_excel_serial(-3.0),
            Err("单元格中的数字-3不是 Excel 日期".to_owned())
        );
    }

    #[test]
    fn a_csv_field_that_excel_would_evaluate_is_made_inert() {
        for text in [
            "=HYPERLINK(\"http://x.example\",\"点此\")",
            "+1",
            "-2+3",
            "@SUM(A1)",
            "\t=1",
            "\r=1",
            "＝1+1",
        ] {
            let field = csv_field(text);
            let unquoted = field.trim_start_matches('"');
            assert!(unquoted.starts_with('\''), "{text:?} → {field}");
        }
        assert_eq!(csv_field("=1+1"), "'=1+1");
        assert_eq!(
            csv_field("=HYPERLINK(\"http://x.example\",\"点此\")"),
            "\"'=HYPERLINK(\"\"http://x.example\"\",\"\"点此\"\")\""
        );
    }

    #[test]
    fn ordinary_csv_fields_are_kept_as_they_are_or_quoted() {
        assert_eq!(csv_field("张三"), "张三");
        assert_eq!(csv_field("a=b"), "a=b");
        assert_eq!(csv_field(""), "");
        assert_eq!(csv_field("径河街道,吴家山"), "\"径河街道,吴家山\"");
        assert_eq!(csv_field("他说\"好\""), "\"他说\"\"好\"\"\"");
        assert!(!may_be_formula("12.5"));
        assert!(may_be_formula("-12.5"));
    }

    #[test]
    fn counts_accept_whole_numbers_in_any_width() {
        assert_eq!(parse_count("3"), Ok(3));
        assert_eq!(parse_count(" 0 "), Ok(0));
        assert_eq!(parse_count("３"), Ok(3));
        assert_eq!(parse_count("１２０"), Ok(120));
        assert_eq!(parse_count("15.0"), Ok(15));
    }

    #[test]
    fn counts_refuse_fractions_negatives_and_words() {
        assert_eq!(parse_count("3.5"), Err("数量“3.5”应为整数".to_owned()));
        assert_eq!(parse_count("-1"), Err("数量“-1”不能为负数".to_owned()));
        assert_eq!(parse_count("-1.5"), Err("数量“-1.5”不能为负数".to_owned()));
        assert_eq!(parse_count("3."), Err("数量“3.”不是数字".to_owned()));
        assert_eq!(parse_count("－２"), Err("数量“－２”不能为负数".to_owned()));
        assert_eq!(parse_count("abc"), Err("数量“abc”不是数字".to_owned()));
        assert_eq!(parse_count("+3"), Err("数量“+3”不是数字".to_owned()));
        assert_eq!(parse_count("3人"), Err("数量“3人”不是数字".to_owned()));
        assert_eq!(parse_count(""), Err("请填写数量".to_owned()));
        assert_eq!(
            parse_count("99999999999999999999"),
            Err("数量“99999999999999999999”过大".to_owned())
        );
    }
}
