//! Accounts as an admin creates and a person keeps them: the form of a username, what a new
//! account must say about its role and unit, the rules of a password change, API token names.
//! The password policy itself is [`crate::password`].

use crate::access::Role;
use crate::field::FieldError;
use crate::password::NewPassword;

/// Applicants log in with their phone; their account's username is this prefix and their id.
pub const APPLICANT_PREFIX: &str = "applicant.";

/// The longest display name of an account, in characters.
pub const MAX_DISPLAY_NAME_CHARS: usize = 40;

/// After this many wrong passwords in a row an account locks for [`LOCK_MINUTES`] (等保: 登录
/// 失败处理), and its sessions end.
pub const MAX_FAILED_LOGINS: i64 = 5;
pub const LOCK_MINUTES: i64 = 15;

/// Whether the `attempt`-th wrong password in a row locks the account.
pub fn locks_after(attempt: i64) -> bool {
    attempt >= MAX_FAILED_LOGINS
}

fn wrong(field: &'static str, message: impl Into<String>) -> FieldError {
    FieldError {
        field,
        message: message.into(),
    }
}

/// A username in its stored form: 3–32 characters of a–z, 0–9, `.`, `_`, `-` (upper case is
/// folded); the applicants' prefix is reserved for the accounts they register themselves.
pub fn parse_username(input: &str) -> Result<String, FieldError> {
    let name = input.trim().to_lowercase();
    let ok_chars = name
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c));
    if !(3..=32).contains(&name.len()) || !ok_chars {
        return Err(wrong("用户名", "须为 3 至 32 位小写字母、数字或 . _ -"));
    }
    if name.starts_with(APPLICANT_PREFIX) {
        return Err(wrong(
            "用户名",
            format!("以“{APPLICANT_PREFIX}”开头的用户名保留给求职者"),
        ));
    }
    Ok(name)
}

/// A staff account as an admin fills it in.
#[derive(Debug, Clone, Copy)]
pub struct AccountDraft<'a> {
    pub username: &'a str,
    pub display_name: &'a str,
    pub role: Role,
    pub unit_code: Option<&'a str>,
    pub password: &'a NewPassword,
}

/// A new staff account's username and display name, once its fields fit together: employers
/// and applicants register themselves; unit staff, and only they, belong to a unit, one of the
/// plan's active units (`unit_active`, looked up by the store); the password is not the
/// username. The first wrong field is named.
pub fn check_new_account<'a>(
    draft: &AccountDraft<'a>,
    unit_active: bool,
) -> Result<(String, &'a str), FieldError> {
    let username = parse_username(draft.username)?;
    let display_name = draft.display_name.trim();
    if display_name.is_empty() || display_name.chars().count() > MAX_DISPLAY_NAME_CHARS {
        return Err(wrong(
            "姓名",
            format!("请填写姓名（不超过 {MAX_DISPLAY_NAME_CHARS} 个字）"),
        ));
    }
    match draft.role {
        Role::Employer => return Err(wrong("角色", "用人单位账户在用人单位注册时创建")),
        Role::Applicant => return Err(wrong("角色", "求职者账户由求职者自行注册")),
        _ => {}
    }
    match (draft.role.needs_unit(), draft.unit_code) {
        (true, None) => return Err(wrong("所属单位", "责任单位填报员必须选择所属单位")),
        (false, Some(_)) => return Err(wrong("所属单位", "只有责任单位填报员属于某个单位")),
        (_, Some(unit)) if !unit_active => {
            return Err(wrong("所属单位", format!("单位“{unit}”不存在")));
        }
        _ => {}
    }
    if draft.password.expose().eq_ignore_ascii_case(&username) {
        return Err(wrong("密码", "密码不能与用户名相同"));
    }
    Ok((username, display_name))
}

/// A password change, once the current password is proven: the new one differs from the
/// current one and from the username.
pub fn check_password_change(
    username: &str,
    current: &str,
    new: &NewPassword,
) -> Result<(), FieldError> {
    if new.expose() == current {
        return Err(wrong("新密码", "新密码不能与当前密码相同"));
    }
    if new.expose().eq_ignore_ascii_case(username) {
        return Err(wrong("新密码", "密码不能与用户名相同"));
    }
    Ok(())
}

/// An admin may not disable their own account: the district would be left without one who
/// can enable it again.
pub fn check_disable(admin_id: i64, user_id: i64, disabled: bool) -> Result<(), FieldError> {
    if disabled && admin_id == user_id {
        return Err(wrong("账户", "不能停用自己的账户"));
    }
    Ok(())
}

/// An API token's name, trimmed: it says what the token is for, so that it can be revoked
/// knowingly.
pub fn token_name(name: &str) -> Result<&str, FieldError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(wrong("名称", "请为令牌填写用途名称"));
    }
    Ok(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn password(p: &str) -> NewPassword {
        NewPassword::parse(p, "x").unwrap()
    }

    #[test]
    fn a_username_is_3_to_32_lower_case_letters_digits_or_dot_underscore_hyphen() {
        assert_eq!(parse_username(" JingHe_01 "), Ok("jinghe_01".into()));
        for bad in ["ab", "张三", "a b c", &"a".repeat(33)] {
            let refused = parse_username(bad).unwrap_err();
            assert_eq!(refused.field, "用户名", "{bad}");
            assert_eq!(refused.message, "须为 3 至 32 位小写字母、数字或 . _ -");
        }
    }

    #[test]
    fn the_applicants_prefix_is_reserved() {
        let refused = parse_username("Applicant.7").unwrap_err();
        assert_eq!(refused.message, "以“applicant.”开头的用户名保留给求职者");
    }

    fn account<'a>(role: Role, unit: Option<&'a str>, pw: &'a NewPassword) -> AccountDraft<'a> {
        AccountDraft {
            username: "jinghe01",
            display_name: " 王敏 ",
            role,
            unit_code: unit,
            password: pw,
        }
    }

    fn refusal(draft: &AccountDraft, unit_active: bool) -> (&'static str, String) {
        let e = check_new_account(draft, unit_active).unwrap_err();
        (e.field, e.message)
    }

    #[test]
    fn unit_staff_and_only_they_belong_to_an_active_unit() {
        let pw = password("Street#2025");
        let staff = account(Role::UnitStaff, Some("jinghe"), &pw);
        assert_eq!(
            check_new_account(&staff, true),
            Ok(("jinghe01".into(), "王敏"))
        );
        assert_eq!(
            refusal(&staff, false),
            ("所属单位", "单位“jinghe”不存在".into())
        );
        assert_eq!(
            refusal(&account(Role::UnitStaff, None, &pw), true),
            ("所属单位", "责任单位填报员必须选择所属单位".into())
        );
        assert_eq!(
            refusal(&account(Role::Reviewer, Some("rsj"), &pw), true),
            ("所属单位", "只有责任单位填报员属于某个单位".into())
        );
        assert!(check_new_account(&account(Role::TaskForce, None, &pw), false).is_ok());
    }

    #[test]
    fn employers_and_applicants_register_themselves() {
        let pw = password("Street#2025");
        assert_eq!(
            refusal(&account(Role::Employer, None, &pw), true),
            ("角色", "用人单位账户在用人单位注册时创建".into())
        );
        assert_eq!(
            refusal(&account(Role::Applicant, None, &pw), true),
            ("角色", "求职者账户由求职者自行注册".into())
        );
    }

    #[test]
    fn a_new_account_has_a_name_and_a_password_other_than_its_username() {
        let pw = password("Street#2025");
        let nameless = AccountDraft {
            display_name: " ",
            ..account(Role::TaskForce, None, &pw)
        };
        assert_eq!(
            refusal(&nameless, true),
            ("姓名", "请填写姓名（不超过 40 个字）".into())
        );
        let pw = password("Jinghe.01");
        let echo = AccountDraft {
            username: "jinghe.01",
            ..account(Role::TaskForce, None, &pw)
        };
        assert_eq!(
            refusal(&echo, true),
            ("密码", "密码不能与用户名相同".into())
        );
    }

    #[test]
    fn a_new_password_differs_from_the_current_one_and_the_username() {
        let new = password("Street#2026");
        assert_eq!(
            check_password_change("jinghe01", "Street#2025", &new),
            Ok(())
        );
        let same = check_password_change("jinghe01", "Street#2026", &new).unwrap_err();
        assert_eq!(
            (same.field, same.message.as_str()),
            ("新密码", "新密码不能与当前密码相同")
        );
        let echo = password("Jinghe.01");
        let named = check_password_change("jinghe.01", "Street#2025", &echo).unwrap_err();
        assert_eq!(named.message, "密码不能与用户名相同");
    }

    #[test]
    fn an_admin_cannot_disable_their_own_account() {
        assert_eq!(check_disable(1, 2, true), Ok(()));
        assert_eq!(
            check_disable(1, 1, false),
            Ok(()),
            "enabling oneself is harmless"
        );
        let own = check_disable(1, 1, true).unwrap_err();
        assert_eq!(
            (own.field, own.message.as_str()),
            ("账户", "不能停用自己的账户")
        );
    }

    #[test]
    fn a_token_says_what_it_is_for() {
        assert_eq!(token_name(" 统计局对接 "), Ok("统计局对接"));
        assert_eq!(token_name(" ").unwrap_err().message, "请为令牌填写用途名称");
    }
}

#[cfg(test)]
mod lockout_tests {
    use super::*;

    #[test]
    fn the_fifth_wrong_password_in_a_row_locks_the_account_for_fifteen_minutes() {
        assert!(!locks_after(4));
        assert!(locks_after(5));
        assert!(locks_after(6), "attempts raced past the budget still lock");
        assert_eq!(LOCK_MINUTES, 15);
    }
}
