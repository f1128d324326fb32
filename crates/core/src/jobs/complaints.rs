//! The public's complaints about job posts (举报): what a complaint says, and what the reviewer
//! who handles it writes.

use crate::field::FieldError;

/// Reasons the public may pick when reporting a post.
pub const COMPLAINT_REASONS: [&str; 6] = [
    "收取费用或押金",
    "培训贷、招转培",
    "刷单返利等诈骗",
    "虚假岗位或信息不实",
    "就业歧视",
    "其他",
];

/// The longest account of what happened a complaint takes, in characters.
pub const MAX_COMPLAINT_DETAIL_CHARS: usize = 500;

/// A complaint as typed: a reason from [`COMPLAINT_REASONS`] and an optional account of at
/// most [`MAX_COMPLAINT_DETAIL_CHARS`] characters, both trimmed.
pub fn check_complaint<'a>(
    reason: &'a str,
    detail: &'a str,
) -> Result<(&'a str, &'a str), FieldError> {
    let reason = reason.trim();
    if !COMPLAINT_REASONS.contains(&reason) {
        return Err(FieldError {
            field: "举报原因",
            message: "请从列表中选择举报原因".into(),
        });
    }
    let detail = detail.trim();
    if detail.chars().count() > MAX_COMPLAINT_DETAIL_CHARS {
        return Err(FieldError {
            field: "情况说明",
            message: format!("情况说明不超过 {MAX_COMPLAINT_DETAIL_CHARS} 字"),
        });
    }
    Ok((reason, detail))
}

/// The reviewer's note on a complaint, trimmed: upheld or dismissed, it says why.
pub fn handling_note(note: &str) -> Result<&str, FieldError> {
    let note = note.trim();
    if note.is_empty() {
        return Err(FieldError {
            field: "处理意见",
            message: "请写明处理意见".into(),
        });
    }
    Ok(note)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_complaint_picks_a_listed_reason_and_says_at_most_500_characters() {
        assert_eq!(
            check_complaint(" 收取费用或押金 ", " 面试要交 300 元 "),
            Ok(("收取费用或押金", "面试要交 300 元"))
        );
        assert_eq!(check_complaint("其他", ""), Ok(("其他", "")));
        let unlisted = check_complaint("看着不像", "").unwrap_err();
        assert_eq!(
            (unlisted.field, unlisted.message.as_str()),
            ("举报原因", "请从列表中选择举报原因")
        );
        let long = "字".repeat(501);
        let too_long = check_complaint("其他", &long).unwrap_err();
        assert_eq!(
            (too_long.field, too_long.message.as_str()),
            ("情况说明", "情况说明不超过 500 字")
        );
        assert!(check_complaint("其他", &"字".repeat(500)).is_ok());
    }

    #[test]
    fn handling_a_complaint_says_why() {
        assert_eq!(handling_note(" 已核实，岗位关闭 "), Ok("已核实，岗位关闭"));
        let silent = handling_note("  ").unwrap_err();
        assert_eq!(
            (silent.field, silent.message.as_str()),
            ("处理意见", "请写明处理意见")
        );
    }
}
