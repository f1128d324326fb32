//! Employers (用人单位) on the job platform: registered with their USCC (see `uscc`), verified
//! by a 区人社局 reviewer before their posts can be published.

use serde::Serialize;

use crate::field::FieldError;
use crate::industry::Section;
use crate::phone::Phone;
use crate::plan::{Plan, UnitKind};
use crate::uscc::Uscc;

/// What an employer (or a street's staff for it) types in.
#[derive(Debug, Clone, Default)]
pub struct EmployerDraft {
    pub uscc: String,
    pub name: String,
    pub industry_section: String,
    pub street_code: String,
    pub contact_name: String,
    pub contact_phone: String,
    /// The employer's own account; empty when a street's staff enter an employer met offline.
    pub account_username: String,
    pub account_password: String,
}

/// An employer's own fields, each parsed or trimmed (the account is checked apart: whether
/// its username is free is for the store to look up).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidEmployer<'a> {
    pub uscc: Uscc,
    pub name: &'a str,
    pub section: Section,
    pub street: &'a str,
    pub contact: &'a str,
    pub phone: Phone,
}

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

/// Checks an employer's fields as typed in; what is wrong goes to `errors`. The USCC by
/// GB 32100, the industry section by GB/T 4754, the street among the district's streets (an
/// employer belongs to the street it is in), a contact's name and a phone to reach them.
pub fn validate_employer<'a>(
    plan: &Plan,
    draft: &'a EmployerDraft,
    errors: &mut Vec<FieldError>,
) -> Option<ValidEmployer<'a>> {
    let mut wrong =
        |field: &'static str, message: String| errors.push(FieldError { field, message });
    let uscc = Uscc::parse(&draft.uscc)
        .map_err(|e| wrong("统一社会信用代码", e.to_string()))
        .ok();
    let name = draft.name.trim();
    if !(2..=100).contains(&name.chars().count()) {
        wrong("单位名称", "请填写单位全称（2 至 100 字）".into());
    }
    let section = Section::parse(&draft.industry_section)
        .map_err(|e| wrong("行业门类", e))
        .ok();
    let street = draft.street_code.trim();
    if !plan
        .unit(street)
        .is_some_and(|u| u.kind == UnitKind::Street)
    {
        wrong("所在街道", format!("“{street}”不是东西湖区的街道"));
    }
    let contact = draft.contact_name.trim();
    if contact.is_empty() || contact.chars().count() > 40 {
        wrong("联系人", "请填写联系人姓名（不超过 40 字）".into());
    }
    let phone = Phone::parse(&draft.contact_phone)
        .map_err(|e| wrong("联系电话", e.to_string()))
        .ok();
    Some(ValidEmployer {
        uscc: uscc?,
        name,
        section: section?,
        street,
        contact,
        phone: phone?,
    })
}

/// A reviewer's note on an employer, trimmed: a rejection must say why, since the employer
/// reads it to put its registration right.
pub fn review_note(verified: bool, note: &str) -> Result<&str, FieldError> {
    let note = note.trim();
    if !verified && note.is_empty() {
        return Err(FieldError {
            field: "审核意见",
            message: "不予认证时请写明原因".into(),
        });
    }
    Ok(note)
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

    const PLAN: &str = include_str!("../../../plans/dongxihu-2025-2027.toml");

    fn draft() -> EmployerDraft {
        EmployerDraft {
            uscc: "91350100M000100Y43".into(),
            name: "武汉临空港智造科技有限公司".into(),
            industry_section: "C".into(),
            street_code: "jinghe".into(),
            contact_name: "王敏".into(),
            contact_phone: "138 1234 5678".into(),
            ..EmployerDraft::default()
        }
    }

    #[test]
    fn an_employer_with_right_fields_passes() {
        let plan = Plan::parse(PLAN).unwrap();
        let draft = draft();
        let mut errors = Vec::new();
        let employer = validate_employer(&plan, &draft, &mut errors).unwrap();
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(employer.uscc.as_str(), "91350100M000100Y43");
        assert_eq!(employer.street, "jinghe");
    }

    #[test]
    fn every_wrong_field_of_an_employer_is_named() {
        let plan = Plan::parse(PLAN).unwrap();
        let draft = EmployerDraft {
            uscc: "91350100M000100Y44".into(),
            name: "厂".into(),
            industry_section: "?".into(),
            street_code: "rsj".into(),
            contact_name: " ".into(),
            contact_phone: "12345".into(),
            ..EmployerDraft::default()
        };
        let mut errors = Vec::new();
        assert!(validate_employer(&plan, &draft, &mut errors).is_none());
        let fields: Vec<&str> = errors.iter().map(|e| e.field).collect();
        assert_eq!(
            fields,
            [
                "统一社会信用代码",
                "单位名称",
                "行业门类",
                "所在街道",
                "联系人",
                "联系电话"
            ]
        );
        assert_eq!(errors[3].message, "“rsj”不是东西湖区的街道");
    }

    #[test]
    fn rejecting_an_employer_must_say_why() {
        assert_eq!(review_note(true, "  "), Ok(""));
        assert_eq!(review_note(false, " 营业执照模糊 "), Ok("营业执照模糊"));
        let refused = review_note(false, " ").unwrap_err();
        assert_eq!(refused.field, "审核意见");
        assert_eq!(refused.message, "不予认证时请写明原因");
    }
}
