//! The password policy (DESIGN.md, Security): at least 8 characters from at least three of
//! the four classes lower case, upper case, digits, symbols.

use thiserror::Error;

pub const MIN_LENGTH: usize = 8;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PasswordError {
    #[error("密码至少需要 {MIN_LENGTH} 个字符")]
    TooShort,
    #[error("密码需包含大写字母、小写字母、数字、符号中的至少三类")]
    TooFewClasses,
    #[error("密码不能与用户名相同")]
    SameAsUsername,
}

/// A password that satisfies the policy. The only way to get one is [`NewPassword::parse`].
#[derive(Clone)]
pub struct NewPassword(String);

impl std::fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NewPassword(***)")
    }
}

impl NewPassword {
    pub fn parse(candidate: &str, username: &str) -> Result<NewPassword, PasswordError> {
        if candidate.chars().count() < MIN_LENGTH {
            return Err(PasswordError::TooShort);
        }
        if candidate.eq_ignore_ascii_case(username) {
            return Err(PasswordError::SameAsUsername);
        }
        let classes = [
            candidate.chars().any(|c| c.is_lowercase()),
            candidate.chars().any(|c| c.is_uppercase()),
            candidate.chars().any(|c| c.is_ascii_digit()),
            candidate.chars().any(|c| !c.is_alphanumeric()),
        ];
        if classes.iter().filter(|present| **present).count() < 3 {
            return Err(PasswordError::TooFewClasses);
        }
        Ok(NewPassword(candidate.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_short_password_is_refused() {
        assert_eq!(
            NewPassword::parse("Ab1!", "u").unwrap_err(),
            PasswordError::TooShort
        );
    }

    #[test]
    fn two_classes_are_not_enough() {
        assert_eq!(
            NewPassword::parse("abcdefgh12", "u").unwrap_err(),
            PasswordError::TooFewClasses
        );
    }

    #[test]
    fn three_classes_of_eight_characters_pass() {
        assert!(NewPassword::parse("Abcdefg1", "u").is_ok());
        assert!(NewPassword::parse("abcdef1!", "u").is_ok());
    }

    #[test]
    fn the_username_is_not_a_password() {
        assert_eq!(
            NewPassword::parse("Admin123!", "admin123!").unwrap_err(),
            PasswordError::SameAsUsername
        );
    }

    #[test]
    fn debug_output_hides_the_password() {
        let p = NewPassword::parse("Secret-123", "u").unwrap();
        assert!(!format!("{p:?}").contains("Secret"));
    }
}
