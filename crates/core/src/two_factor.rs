//! Two-factor sign-in (issue 17 item 5): who must confirm a sign-in with a second factor, the
//! TOTP codes of an authenticator app (RFC 6238: HMAC-SHA1, six digits, 30-second steps, one
//! step of drift either way), recovery codes, and what a person is told when a code is wrong.
//!
//! The store keeps the secrets (sealed), the last accepted step and the recovery codes' digests;
//! the web asks for the code. The time is the store's clock, in Unix seconds.

use std::fmt;

use totp_rs::{Algorithm, TOTP};

use crate::access::Role;

/// The issuer shown in the authenticator app.
pub const ISSUER: &str = "临空港就业创业服务平台";
/// Bytes of a TOTP secret: 160 bits, as RFC 4226 recommends.
pub const SECRET_BYTES: usize = 20;
/// Recovery codes handed out at enrolment.
pub const RECOVERY_CODES: usize = 10;
/// Wrong codes a session may try before it is ended (the password must be given again, and
/// the password has its own lockout).
pub const MAX_FAILURES: i64 = 5;
/// Seconds per step.
const STEP_SECONDS: u64 = 30;
/// Steps of drift accepted either side of now.
const SKEW: u8 = 1;
/// Characters of a recovery code: no 0/O, 1/I/L, so it reads back from paper.
const RECOVERY_ALPHABET: &[u8; 31] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";
/// Characters per recovery code (3 groups of 4: 60 bits).
const RECOVERY_LENGTH: usize = 12;

/// Accounts that can see or change everything sign in with a second factor.
pub fn required(role: Role) -> bool {
    matches!(role, Role::Admin | Role::TaskForce)
}

/// What the person typed on the code page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    /// Six digits from the app.
    Code(String),
    /// A recovery code, upper case without dashes.
    Recovery(String),
}

/// Why a code was not accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    Empty,
    Malformed,
    Wrong,
    Reused,
    /// The session's tries are spent; it has been ended.
    TooMany,
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Refusal::Empty => "验证码：请输入身份验证器应用中的 6 位数字，或一个恢复码",
            Refusal::Malformed => {
                "验证码：应为 6 位数字（如 123456），或 12 位恢复码（如 ABCD-EFGH-JKMN）"
            }
            Refusal::Wrong => "验证码：不正确或已过期，请输入应用中当前显示的 6 位数字",
            Refusal::Reused => "验证码：这个验证码已使用过，请等应用显示下一个",
            Refusal::TooMany => "验证码错误次数过多，请重新登录",
        })
    }
}

/// Reads what was typed: spaces, dashes and full-width digits are forgiven.
pub fn read_entry(input: &str) -> Result<Entry, Refusal> {
    let cleaned: String = input
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-' && *c != '－')
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            other => other.to_ascii_uppercase(),
        })
        .collect();
    if cleaned.is_empty() {
        return Err(Refusal::Empty);
    }
    if cleaned.len() == 6 && cleaned.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(Entry::Code(cleaned));
    }
    if cleaned.chars().count() == RECOVERY_LENGTH
        && cleaned.bytes().all(|b| RECOVERY_ALPHABET.contains(&b))
    {
        return Ok(Entry::Recovery(cleaned));
    }
    Err(Refusal::Malformed)
}

/// A recovery code from random bytes, grouped for reading: `ABCD-EFGH-JKMN`.
pub fn recovery_code(random: &[u8; RECOVERY_LENGTH]) -> String {
    let mut code = String::with_capacity(RECOVERY_LENGTH + 2);
    for (i, byte) in random.iter().enumerate() {
        if i > 0 && i % 4 == 0 {
            code.push('-');
        }
        code.push(RECOVERY_ALPHABET[usize::from(byte % 31)] as char);
    }
    code
}

/// The bytes a recovery code is made from.
pub const RECOVERY_RANDOM_BYTES: usize = RECOVERY_LENGTH;

/// The text a recovery code's digest is taken of: the account and the code without dashes, so
/// the same code of two accounts has two digests.
pub fn recovery_digest_input(user_id: i64, code: &str) -> String {
    let bare: String = code.chars().filter(|c| *c != '-').collect();
    format!("recovery:{user_id}:{bare}")
}

/// One account's authenticator: its secret and the name it shows in the app.
pub struct Authenticator {
    totp: TOTP,
}

impl fmt::Debug for Authenticator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Authenticator(***)")
    }
}

impl Authenticator {
    /// `secret` must be [`SECRET_BYTES`] long (at least 128 bits).
    pub fn new(secret: &[u8], username: &str) -> Result<Authenticator, String> {
        let account = username.replace(':', "_");
        TOTP::new(
            Algorithm::SHA1,
            6,
            SKEW,
            STEP_SECONDS,
            secret.to_vec(),
            Some(ISSUER.to_owned()),
            account,
        )
        .map(|totp| Authenticator { totp })
        .map_err(|e| format!("身份验证密钥无效：{e}"))
    }

    /// The base32 secret, for the store to seal and for a person to type into the app.
    pub fn secret_base32(&self) -> String {
        self.totp.get_secret_base32()
    }

    /// From a base32 secret as sealed by the store.
    pub fn from_base32(secret: &str, username: &str) -> Result<Authenticator, String> {
        let bytes = totp_rs::Secret::Encoded(secret.to_owned())
            .to_bytes()
            .map_err(|_| "身份验证密钥无效：不是 base32".to_owned())?;
        Authenticator::new(&bytes, username)
    }

    /// The secret in groups of four, for typing by hand.
    pub fn secret_for_typing(&self) -> String {
        let secret = self.secret_base32();
        let groups: Vec<&str> = secret
            .as_bytes()
            .chunks(4)
            .map(|c| std::str::from_utf8(c).unwrap_or(""))
            .collect();
        groups.join(" ")
    }

    /// The `otpauth://` address the QR code carries.
    pub fn address(&self) -> String {
        self.totp.get_url()
    }

    /// The code the app shows at `unix` seconds.
    pub fn code_at(&self, unix: i64) -> String {
        self.totp.generate(unix.max(0) as u64)
    }

    /// The step `code` belongs to, within the drift allowed around `unix`; a step at or before
    /// `last_step` (a code already taken) is refused.
    pub fn accept(&self, code: &str, unix: i64, last_step: Option<i64>) -> Result<i64, Refusal> {
        let now = unix.max(0) / STEP_SECONDS as i64;
        let mut matched = None;
        for step in now - i64::from(SKEW)..=now + i64::from(SKEW) {
            let expected = self.totp.generate((step.max(0) as u64) * STEP_SECONDS);
            if constant_time_eq(expected.as_bytes(), code.as_bytes()) {
                matched = Some(step);
            }
        }
        let step = matched.ok_or(Refusal::Wrong)?;
        match last_step {
            Some(last) if step <= last => Err(Refusal::Reused),
            _ => Ok(step),
        }
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238's SHA-1 test secret ("12345678901234567890").
    const RFC_SECRET: &[u8] = b"12345678901234567890";

    #[test]
    fn only_admins_and_the_task_force_need_a_second_factor() {
        let needing: Vec<Role> = Role::ALL.into_iter().filter(|r| required(*r)).collect();
        assert_eq!(needing, [Role::Admin, Role::TaskForce]);
    }

    #[test]
    fn codes_follow_rfc_6238() {
        let auth = Authenticator::new(RFC_SECRET, "admin").unwrap();
        // RFC 6238 appendix B, SHA-1, last six digits of the eight.
        assert_eq!(auth.code_at(59), "287082");
        assert_eq!(auth.code_at(1_111_111_109), "081804");
        assert_eq!(auth.code_at(2_000_000_000), "279037");
    }

    #[test]
    fn a_code_is_accepted_one_step_either_side_and_only_once() {
        let auth = Authenticator::new(RFC_SECRET, "admin").unwrap();
        let now = 1_111_111_109;
        let step = now / 30;
        let code = auth.code_at(now);
        assert_eq!(auth.accept(&code, now, None), Ok(step));
        assert_eq!(auth.accept(&code, now + 30, None), Ok(step), "a step late");
        assert_eq!(auth.accept(&code, now - 30, None), Ok(step), "a step early");
        assert_eq!(auth.accept(&code, now + 90, None), Err(Refusal::Wrong));
        assert_eq!(auth.accept(&code, now, Some(step)), Err(Refusal::Reused));
        assert_eq!(auth.accept("000000", now, None), Err(Refusal::Wrong));
        let next = auth.code_at(now + 30);
        assert_eq!(auth.accept(&next, now + 30, Some(step)), Ok(step + 1));
    }

    #[test]
    fn the_secret_round_trips_through_base32_and_the_address_names_the_account() {
        let auth = Authenticator::new(&[7u8; SECRET_BYTES], "zhuanban").unwrap();
        let again = Authenticator::from_base32(&auth.secret_base32(), "zhuanban").unwrap();
        assert_eq!(again.code_at(1_000_000), auth.code_at(1_000_000));
        assert!(
            auth.address().starts_with("otpauth://totp/"),
            "{}",
            auth.address()
        );
        assert!(auth.address().contains("zhuanban"));
        assert!(
            auth.address()
                .contains(&format!("secret={}", auth.secret_base32()))
        );
        assert_eq!(auth.secret_for_typing().split(' ').count(), 8);
        assert!(
            Authenticator::new(&[1u8; 8], "x").is_err(),
            "too short a secret"
        );
        assert!(Authenticator::from_base32("not base32!", "x").is_err());
    }

    #[test]
    fn entries_forgive_spaces_dashes_case_and_full_width_digits() {
        assert_eq!(read_entry(" 123 456 "), Ok(Entry::Code("123456".into())));
        assert_eq!(read_entry("１２３４５６"), Ok(Entry::Code("123456".into())));
        assert_eq!(
            read_entry("abcd-efgh-jkmn"),
            Ok(Entry::Recovery("ABCDEFGHJKMN".into()))
        );
        assert_eq!(read_entry(""), Err(Refusal::Empty));
        assert_eq!(read_entry("12345"), Err(Refusal::Malformed));
        assert_eq!(
            read_entry("ABCD-EFGH-JKM0"),
            Err(Refusal::Malformed),
            "0 is not used"
        );
        assert!(Refusal::Malformed.to_string().starts_with("验证码："));
    }

    #[test]
    fn recovery_codes_read_back_and_their_digests_differ_per_account() {
        let code = recovery_code(&[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 200]);
        assert_eq!(code.len(), 14);
        assert_eq!(code.matches('-').count(), 2);
        let Ok(Entry::Recovery(bare)) = read_entry(&code) else {
            panic!("{code} reads back");
        };
        assert_eq!(
            recovery_digest_input(1, &code),
            recovery_digest_input(1, &bare)
        );
        assert_ne!(
            recovery_digest_input(1, &code),
            recovery_digest_input(2, &code)
        );
    }
}
