//! Employers (用人单位) on the job platform: registered with their USCC (see `uscc`), verified
//! by a 区人社局 reviewer before their posts can be published.

use serde::Serialize;

/// Where an employer's registration stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EmployerStatus {
    Pending,
    Verified,
    Rejected,
}

impl EmployerStatus {
    /// The stored code; anything else reads as pending review, the safe side.
    pub fn parse(code: &str) -> EmployerStatus {
        match code {
            "verified" => EmployerStatus::Verified,
            "rejected" => EmployerStatus::Rejected,
            _ => EmployerStatus::Pending,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            EmployerStatus::Pending => "pending",
            EmployerStatus::Verified => "verified",
            EmployerStatus::Rejected => "rejected",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            EmployerStatus::Pending => "待审核",
            EmployerStatus::Verified => "已认证",
            EmployerStatus::Rejected => "未通过",
        }
    }

    /// Only a verified employer's posts reach the public.
    pub fn may_publish(self) -> bool {
        self == EmployerStatus::Verified
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_verified_employer_may_publish() {
        assert!(EmployerStatus::Verified.may_publish());
        assert!(!EmployerStatus::Pending.may_publish());
        assert!(!EmployerStatus::Rejected.may_publish());
    }

    #[test]
    fn codes_read_back_and_unknown_ones_are_pending() {
        for status in [
            EmployerStatus::Pending,
            EmployerStatus::Verified,
            EmployerStatus::Rejected,
        ] {
            assert_eq!(EmployerStatus::parse(status.code()), status);
        }
        assert_eq!(EmployerStatus::parse("?"), EmployerStatus::Pending);
    }
}
