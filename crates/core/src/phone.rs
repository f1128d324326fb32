//! Phone numbers of people (personal data): parsed, and masked for display (138****5678).

use std::fmt;

use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PhoneError {
    #[error("请填写电话号码")]
    Empty,
    #[error("“{0}”不是有效的手机号码（11 位，以 1 开头）或固定电话（区号-号码）")]
    Invalid(String),
}

/// A mobile number (11 digits, 1[3-9]…) or a landline written with its area code (027-8xxxxxxx).
/// Its `Debug` output is masked, so it never reaches a log in clear.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Phone(String);

impl Phone {
    /// Accepts full-width digits, spaces, and a +86 / 0086 prefix on mobiles.
    pub fn parse(input: &str) -> Result<Phone, PhoneError> {
        let cleaned: String = input
            .trim()
            .chars()
            .map(|c| match c {
                '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
                '－' | '—' => '-',
                other => other,
            })
            .filter(|c| !c.is_whitespace())
            .collect();
        if cleaned.is_empty() {
            return Err(PhoneError::Empty);
        }
        let invalid = || PhoneError::Invalid(input.trim().to_owned());
        let national = cleaned
            .strip_prefix("+86")
            .or_else(|| cleaned.strip_prefix("0086"))
            .unwrap_or(&cleaned);
        let is_mobile = national.len() == 11
            && national.chars().all(|c| c.is_ascii_digit())
            && national.starts_with('1')
            && matches!(national.as_bytes()[1], b'3'..=b'9');
        if is_mobile {
            return Ok(Phone(national.to_owned()));
        }
        if let Some((area, number)) = cleaned.split_once('-') {
            let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
            if area.starts_with('0')
                && (3..=4).contains(&area.len())
                && digits(area)
                && (7..=8).contains(&number.len())
                && digits(number)
            {
                return Ok(Phone(format!("{area}-{number}")));
            }
        }
        Err(invalid())
    }

    /// The number in clear: only for encryption, never for display or logs.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// 138****5678 for a mobile, 027-****5678 for a landline.
    pub fn masked(&self) -> String {
        mask_phone(&self.0)
    }
}

/// Masks a stored phone number for display: the middle digits become asterisks.
pub fn mask_phone(number: &str) -> String {
    match number.split_once('-') {
        Some((area, rest)) => {
            let keep = rest.len().saturating_sub(4);
            format!("{area}-{}{}", "*".repeat(keep), &rest[keep..])
        }
        None if number.len() == 11 => format!("{}****{}", &number[..3], &number[7..]),
        None => "*".repeat(number.chars().count()),
    }
}

impl fmt::Debug for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Phone({})", self.masked())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mobiles_and_landlines_parse_and_mask() {
        let mobile = Phone::parse(" +86 138 1234 5678 ").unwrap();
        assert_eq!(
            (mobile.expose(), mobile.masked().as_str()),
            ("13812345678", "138****5678")
        );
        let landline = Phone::parse("027－83451234").unwrap();
        assert_eq!(
            (landline.expose(), landline.masked().as_str()),
            ("027-83451234", "027-****1234")
        );
        assert_eq!(
            Phone::parse("１３９００００１１１１").unwrap().expose(),
            "13900001111"
        );
    }

    #[test]
    fn wrong_numbers_are_refused_with_the_number_named() {
        assert_eq!(Phone::parse("").unwrap_err(), PhoneError::Empty);
        for bad in [
            "12812345678",
            "1381234567",
            "83451234",
            "27-83451234",
            "abc",
        ] {
            assert_eq!(
                Phone::parse(bad).unwrap_err(),
                PhoneError::Invalid(bad.into()),
                "{bad}"
            );
        }
    }

    #[test]
    fn debug_output_is_masked() {
        assert_eq!(
            format!("{:?}", Phone::parse("13812345678").unwrap()),
            "Phone(138****5678)"
        );
    }
}
