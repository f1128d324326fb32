//! A report's workflow: the unit drafts and submits, the task force accepts or returns, a
//! returned report is edited and submitted again. Submitting freezes the figures.

use serde::Serialize;

/// Where a unit's report stands.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportStatus {
    Draft,
    Submitted,
    Returned,
    Accepted,
}

/// What the unit asks for: keep a draft, or submit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Save {
    Draft,
    Submit,
}

/// What the task force decides on a submitted report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Review {
    Accept,
    Return,
}

impl ReportStatus {
    pub const ALL: [ReportStatus; 4] = [
        ReportStatus::Draft,
        ReportStatus::Submitted,
        ReportStatus::Returned,
        ReportStatus::Accepted,
    ];

    pub fn parse(code: &str) -> Option<ReportStatus> {
        ReportStatus::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn code(self) -> &'static str {
        match self {
            ReportStatus::Draft => "draft",
            ReportStatus::Submitted => "submitted",
            ReportStatus::Returned => "returned",
            ReportStatus::Accepted => "accepted",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ReportStatus::Draft => "草稿",
            ReportStatus::Submitted => "已报送待审核",
            ReportStatus::Returned => "已退回待修改",
            ReportStatus::Accepted => "已通过",
        }
    }

    /// The unit may still edit or submit it (a report not yet saved is a draft too).
    pub fn is_open(self) -> bool {
        matches!(self, ReportStatus::Draft | ReportStatus::Returned)
    }

    /// It has reached the task force: its figures are frozen and it counts as reported.
    pub fn is_submitted(self) -> bool {
        matches!(self, ReportStatus::Submitted | ReportStatus::Accepted)
    }

    /// Only a submitted report waits for a review.
    pub fn awaits_review(self) -> bool {
        self == ReportStatus::Submitted
    }

    /// The status a save leads to, or why the report cannot be saved now.
    pub fn after_save(self, save: Save) -> Result<ReportStatus, &'static str> {
        match self {
            ReportStatus::Accepted => Err("报告已通过审核，不能再次报送或修改"),
            ReportStatus::Submitted => Err("报告已报送，正在等待工作专班审核，暂不能修改"),
            ReportStatus::Draft | ReportStatus::Returned => Ok(match save {
                Save::Draft => self,
                Save::Submit => ReportStatus::Submitted,
            }),
        }
    }

    /// The status a review leads to, or why the report cannot be reviewed now.
    pub fn after_review(self, review: Review) -> Result<ReportStatus, &'static str> {
        if !self.awaits_review() {
            return Err("只有已报送、等待审核的报告才能审核");
        }
        Ok(match review {
            Review::Accept => ReportStatus::Accepted,
            Review::Return => ReportStatus::Returned,
        })
    }
}

impl Save {
    /// The word kept in the report's history.
    pub fn code(self) -> &'static str {
        match self {
            Save::Draft => "save",
            Save::Submit => "submit",
        }
    }
}

impl Review {
    /// The word kept in the report's history.
    pub fn code(self) -> &'static str {
        match self {
            Review::Accept => "accept",
            Review::Return => "return",
        }
    }
}

/// The label of a step in a report's history (`save`, `submit`, `return`, `accept`).
pub fn history_label(code: &str) -> &'static str {
    match code {
        "submit" => "报送",
        "return" => "退回",
        "accept" => "审核通过",
        _ => "保存草稿",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_draft_or_returned_report_can_be_submitted() {
        for open in [ReportStatus::Draft, ReportStatus::Returned] {
            assert_eq!(open.after_save(Save::Submit), Ok(ReportStatus::Submitted));
            assert_eq!(open.after_save(Save::Draft), Ok(open));
        }
    }

    #[test]
    fn a_submitted_or_accepted_report_cannot_be_edited_and_says_why() {
        assert_eq!(
            ReportStatus::Submitted.after_save(Save::Draft),
            Err("报告已报送，正在等待工作专班审核，暂不能修改")
        );
        assert_eq!(
            ReportStatus::Accepted.after_save(Save::Submit),
            Err("报告已通过审核，不能再次报送或修改")
        );
    }

    #[test]
    fn only_a_submitted_report_is_reviewed() {
        assert_eq!(
            ReportStatus::Submitted.after_review(Review::Return),
            Ok(ReportStatus::Returned)
        );
        assert_eq!(
            ReportStatus::Submitted.after_review(Review::Accept),
            Ok(ReportStatus::Accepted)
        );
        for status in [
            ReportStatus::Draft,
            ReportStatus::Returned,
            ReportStatus::Accepted,
        ] {
            assert!(status.after_review(Review::Accept).is_err(), "{status:?}");
        }
    }

    #[test]
    fn submitted_and_accepted_reports_count_as_reported() {
        let reported: Vec<_> = ReportStatus::ALL
            .into_iter()
            .filter(|s| s.is_submitted())
            .collect();
        assert_eq!(reported, [ReportStatus::Submitted, ReportStatus::Accepted]);
    }

    #[test]
    fn status_codes_read_back() {
        for status in ReportStatus::ALL {
            assert_eq!(ReportStatus::parse(status.code()), Some(status));
        }
        assert_eq!(ReportStatus::parse("lost"), None);
    }
}
