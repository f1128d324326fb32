//! What a report says in words (工作进展, 经验做法, 存在问题, 下步打算) and the task force's
//! review comment, with the rules on each.

use serde::Serialize;

use super::Review;
use crate::field::FieldError;

/// The longest part of a report's text, in characters.
pub const MAX_NARRATIVE_CHARS: usize = 3000;

/// The longest review comment, in characters.
pub const MAX_COMMENT_CHARS: usize = 1000;

/// The four parts of a report's text.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Narrative {
    pub progress: String,
    pub practices: String,
    pub problems: String,
    pub next_steps: String,
}

impl Narrative {
    /// The text trimmed, each part within [`MAX_NARRATIVE_CHARS`]; a submission must say what
    /// progress was made.
    pub fn checked(&self, submitting: bool) -> Result<Narrative, FieldError> {
        let trimmed = Narrative {
            progress: self.progress.trim().to_owned(),
            practices: self.practices.trim().to_owned(),
            problems: self.problems.trim().to_owned(),
            next_steps: self.next_steps.trim().to_owned(),
        };
        for (field, text) in [
            ("工作进展", &trimmed.progress),
            ("经验做法", &trimmed.practices),
            ("存在问题", &trimmed.problems),
            ("下步打算", &trimmed.next_steps),
        ] {
            if text.chars().count() > MAX_NARRATIVE_CHARS {
                return Err(FieldError {
                    field,
                    message: format!("不超过 {MAX_NARRATIVE_CHARS} 字"),
                });
            }
        }
        if submitting && trimmed.progress.is_empty() {
            return Err(FieldError {
                field: "工作进展",
                message: "报送前请填写工作进展".into(),
            });
        }
        Ok(trimmed)
    }
}

/// The review comment, trimmed: a returned report must say why.
pub fn review_comment(review: Review, comment: &str) -> Result<&str, FieldError> {
    let comment = comment.trim();
    let refuse = |message: String| FieldError {
        field: "审核意见",
        message,
    };
    if review == Review::Return && comment.is_empty() {
        return Err(refuse("退回时请写明退回原因".into()));
    }
    if comment.chars().count() > MAX_COMMENT_CHARS {
        return Err(refuse(format!("不超过 {MAX_COMMENT_CHARS} 字")));
    }
    Ok(comment)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn narrative(progress: &str) -> Narrative {
        Narrative {
            progress: progress.into(),
            ..Narrative::default()
        }
    }

    #[test]
    fn a_draft_may_be_empty_but_a_submission_says_what_progress_was_made() {
        assert!(narrative("").checked(false).is_ok());
        let refused = narrative("  ").checked(true).unwrap_err();
        assert_eq!(refused.field, "工作进展");
    }

    #[test]
    fn each_part_is_trimmed_and_at_most_3000_characters() {
        assert_eq!(
            narrative(" 组织宣讲 2 场 ").checked(true).unwrap().progress,
            "组织宣讲 2 场"
        );
        let long = Narrative {
            problems: "问".repeat(MAX_NARRATIVE_CHARS + 1),
            ..narrative("进展")
        };
        assert_eq!(long.checked(true).unwrap_err().field, "存在问题");
    }

    #[test]
    fn a_returned_report_must_say_why_and_an_accepted_one_need_not() {
        assert_eq!(review_comment(Review::Accept, " "), Ok(""));
        assert_eq!(
            review_comment(Review::Return, " "),
            Err(FieldError {
                field: "审核意见",
                message: "退回时请写明退回原因".into(),
            })
        );
        assert!(review_comment(Review::Return, &"因".repeat(MAX_COMMENT_CHARS + 1)).is_err());
    }
}
