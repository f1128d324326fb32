//! 统一社会信用代码 (USCC), GB 32100-2015: 18 characters from a 31-character set (digits and
//! capitals without I, O, Z, S, V); position 18 is a check character, mod 31.

use std::fmt;

use serde::Serialize;
use thiserror::Error;

const CHARSET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
/// GB 32100-2015 §5: the weight of each of the first 17 positions (3^(i-1) mod 31).
const WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum UsccError {
    #[error("统一社会信用代码应为 18 位（收到 {0} 位）")]
    Length(usize),
    #[error("统一社会信用代码第 {position} 位“{found}”不是有效字符（不含 I、O、Z、S、V）")]
    Character { position: usize, found: char },
    #[error("统一社会信用代码第 3 至 8 位应为行政区划代码（数字）")]
    Division,
    #[error("统一社会信用代码校验位错误，应为“{expected}”，请核对")]
    Check { expected: char },
}

/// A valid USCC; the only constructor is [`Uscc::parse`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Uscc(String);

impl Uscc {
    /// Accepts upper or lower case, full-width characters and stray spaces.
    pub fn parse(input: &str) -> Result<Uscc, UsccError> {
        let code: String = input
            .chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| match c {
                '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ' => {
                    char::from_u32(c as u32 - 0xFEE0).unwrap_or(c)
                }
                other => other,
            })
            .map(|c| c.to_ascii_uppercase())
            .collect();
        let length = code.chars().count();
        if length != 18 {
            return Err(UsccError::Length(length));
        }
        let mut values = Vec::with_capacity(18);
        for (i, c) in code.chars().enumerate() {
            match CHARSET.find(c) {
                Some(v) => values.push(v as u32),
                None => {
                    return Err(UsccError::Character {
                        position: i + 1,
                        found: c,
                    });
                }
            }
        }
        if !code[2..8].chars().all(|c| c.is_ascii_digit()) {
            return Err(UsccError::Division);
        }
        let sum: u32 = values.iter().zip(WEIGHTS).map(|(v, w)| v * w).sum();
        let check = (31 - sum % 31) % 31;
        let expected = CHARSET.as_bytes()[check as usize] as char;
        if values[17] != check {
            return Err(UsccError::Check { expected });
        }
        Ok(Uscc(code))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The GB/T 2260 division code in positions 3–8 (420112 for 东西湖区).
    pub fn division_code(&self) -> &str {
        &self.0[2..8]
    }
}

impl fmt::Display for Uscc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn published_codes_are_valid() {
        for code in ["91350100M000100Y43", "91110000802100433B"] {
            assert_eq!(Uscc::parse(code).unwrap().as_str(), code);
        }
    }

    #[test]
    fn case_full_width_and_spaces_are_normalised() {
        assert_eq!(
            Uscc::parse(" 91350100m000100y43 ").unwrap().as_str(),
            "91350100M000100Y43"
        );
        assert_eq!(
            Uscc::parse("９１３５０１００Ｍ０００１００Ｙ４３")
                .unwrap()
                .as_str(),
            "91350100M000100Y43"
        );
    }

    #[test]
    fn a_wrong_check_character_names_the_right_one() {
        assert_eq!(
            Uscc::parse("91350100M000100Y44").unwrap_err(),
            UsccError::Check { expected: '3' }
        );
    }

    #[test]
    fn letters_are_allowed_in_positions_one_and_two() {
        // Registration authority "Y" (other) and entity type "1": the check still has to hold.
        let mut code = String::from("Y1420112MA4KLGXX0");
        let sum: u32 = code
            .chars()
            .zip(WEIGHTS)
            .map(|(c, w)| CHARSET.find(c).unwrap() as u32 * w)
            .sum();
        code.push(CHARSET.as_bytes()[((31 - sum % 31) % 31) as usize] as char);
        let parsed = Uscc::parse(&code).unwrap();
        assert_eq!(parsed.division_code(), "420112");
    }

    #[test]
    fn bad_shapes_say_what_is_wrong() {
        assert_eq!(Uscc::parse("9135010").unwrap_err(), UsccError::Length(7));
        assert_eq!(
            Uscc::parse("91350100M000100O43").unwrap_err(),
            UsccError::Character {
                position: 16,
                found: 'O'
            }
        );
        assert_eq!(
            Uscc::parse("913501A0M000100Y43").unwrap_err(),
            UsccError::Division
        );
    }
}
