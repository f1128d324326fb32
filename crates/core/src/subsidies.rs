//! Subsidy applications from filing to payment (补贴申领, issue 14 items 5, 6 and 8): 政策红利直达快享
//! (东政办〔2025〕3号 任务 1.3.1), 社保补贴 (2.3.3), youth housing (1.3.2) and industry support (2.4.3).
//!
//! An application names a policy of the rules file ([`crate::rules`]) that has a [`Scheme`]
//! here: who applies (a person, an employer or a returnee business), which figure its payments
//! fill, and whether it names a hired graduate. The rule pre-checks it on its date with the
//! trace; a refused pre-check is not filed. Filed, it goes through the street's review, the
//! district unit's review (区人社局 for most; 区住更局 for housing, 区农业农村局 for industry
//! support), a 公示 of [`NOTICE_DAYS`] working days on the public page (objections recorded and
//! answered; an upheld one ends it), and 区财政局's payment of at most the approved amount. Each
//! step is dated; each waiting step has a deadline in working days ([`due_on`]).
//!
//! 免申即享 ([`scan`]): offers found from what linkong already knows, confirmed by the district
//! unit in bulk, enter straight into 公示 (the street's check is the data's).

pub mod facts;
pub mod scan;
#[cfg(test)]
mod tests;
mod workflow;

pub use workflow::{
    Level, ObjectionDraft, PaymentDraft, ValidAnswer, ValidPayment, Verdict, due_on, mask_account,
    may_object, may_pay, notice_until, overdue_working_days, review_verdict, stage_for,
    validate_answer, validate_objection, validate_payment,
};

use crate::access::{Actor, Role};

/// 公示期：7 个工作日（DESIGN：武汉的做法为 7 日公示，按工作日计）。
pub const NOTICE_DAYS: u32 = 7;
/// 街道审核时限（工作日）。
pub const STREET_DAYS: u32 = 5;
/// 区级审核时限（工作日；DESIGN：区级 5 个工作日内审核）。
pub const DISTRICT_DAYS: u32 = 5;
/// 公示期满后拨付时限（工作日，待区财政局核实）。
pub const PAYMENT_DAYS: u32 = 10;
/// 区财政局: records the payments.
pub const FINANCE_UNIT: &str = "czj";

vocabulary!(
    /// How an application came in.
    Channel, "申请渠道" {
        Portal = "portal", "网上申请";
        Window = "window", "窗口代办";
        Offer = "offer", "免申即享";
    }
);

vocabulary!(
    /// Who applies for a policy.
    ApplicantKind, "申请主体" {
        Person = "person", "个人";
        Employer = "employer", "用人单位";
        Business = "business", "返区创业主体";
    }
);

vocabulary!(
    /// Which figure a policy's payments fill, and which district unit reviews it.
    Category, "补贴类别" {
        Graduates = "graduates", "高校毕业生就业创业补贴";
        Insurance = "insurance", "社会保险补贴";
        Housing = "housing", "青年住房补贴";
        Industry = "industry", "产业扶持资金";
    }
);

vocabulary!(
    /// Where an application stands.
    SubsidyStatus, "办理状态" {
        StreetReview = "street_review", "待街道审核";
        DistrictReview = "district_review", "待区级审核";
        Notice = "notice", "公示中";
        Paid = "paid", "已拨付";
        Rejected = "rejected", "未通过";
    }
);

vocabulary!(
    /// One dated step of an application's history.
    StepKind, "办理环节" {
        Applied = "applied", "提交申请";
        Offered = "offered", "免申即享确认";
        StreetPassed = "street_passed", "街道审核通过";
        StreetRejected = "street_rejected", "街道审核不通过";
        DistrictPassed = "district_passed", "区级审核通过，进入公示";
        DistrictRejected = "district_rejected", "区级审核不通过";
        Objection = "objection", "收到公示异议";
        ObjectionAnswered = "objection_answered", "答复公示异议";
        ObjectionUpheld = "objection_upheld", "异议成立，不予拨付";
        Paid = "paid", "财政拨付";
    }
);

impl Category {
    /// The district unit that reviews this category's applications after the street, and whose
    /// figure its payments are: the task's lead unit.
    pub fn district_unit(self) -> &'static str {
        match self {
            Category::Graduates | Category::Insurance => "rsj",
            Category::Housing => "zgj",
            Category::Industry => "nyncj",
        }
    }
}

/// A policy of the rules file that can be applied for, and how.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scheme {
    pub policy_id: &'static str,
    pub applicant: ApplicantKind,
    pub category: Category,
    /// Does the application name a hired graduate (the hiring subsidies)?
    pub names_graduate: bool,
}

/// The policies that go through applications; a policy the rules file lacks is not offered.
pub const SCHEMES: &[Scheme] = &[
    Scheme {
        policy_id: "startup_subsidy",
        applicant: ApplicantKind::Business,
        category: Category::Graduates,
        names_graduate: false,
    },
    Scheme {
        policy_id: "expansion_subsidy",
        applicant: ApplicantKind::Employer,
        category: Category::Graduates,
        names_graduate: true,
    },
    Scheme {
        policy_id: "hiring_subsidy",
        applicant: ApplicantKind::Employer,
        category: Category::Graduates,
        names_graduate: true,
    },
    Scheme {
        policy_id: "insurance_subsidy",
        applicant: ApplicantKind::Employer,
        category: Category::Insurance,
        names_graduate: true,
    },
    Scheme {
        policy_id: "housing_purchase_subsidy",
        applicant: ApplicantKind::Person,
        category: Category::Housing,
        names_graduate: false,
    },
    Scheme {
        policy_id: "rent_subsidy",
        applicant: ApplicantKind::Person,
        category: Category::Housing,
        names_graduate: false,
    },
    Scheme {
        policy_id: "industry_support",
        applicant: ApplicantKind::Business,
        category: Category::Industry,
        names_graduate: false,
    },
];

/// The scheme of a policy id, if it can be applied for.
pub fn scheme(policy_id: &str) -> Option<&'static Scheme> {
    SCHEMES.iter().find(|s| s.policy_id == policy_id)
}

/// What an actor may do with subsidy applications, decided here and enforced by the store.
impl Actor {
    fn unit_staff_of(&self, unit: &str) -> bool {
        self.role == Role::UnitStaff && self.unit_code.as_deref() == Some(unit)
    }

    /// Files at the window: staff of a street (for its own street's applicants) or of the
    /// category's district unit.
    pub fn may_file_subsidy(&self, category: Category, street: &str) -> bool {
        self.unit_staff_of(street) || self.unit_staff_of(category.district_unit())
    }

    /// The street's review: staff of the applicant's street.
    pub fn may_review_subsidy_for_street(&self, street: &str) -> bool {
        self.unit_staff_of(street)
    }

    /// The district review and 免申即享 confirmation: staff of the category's district unit, or
    /// 区人社局's reviewers.
    pub fn may_review_subsidy_for_district(&self, category: Category) -> bool {
        self.unit_staff_of(category.district_unit()) || self.role == Role::Reviewer
    }

    /// Payments: 区财政局's staff.
    pub fn may_pay_subsidy(&self) -> bool {
        self.unit_staff_of(FINANCE_UNIT)
    }

    /// Reads an application of `street` in `category` (and the employer's or business's own,
    /// through the portal): the task force, admins, reviewers, 区财政局, the category's district
    /// unit and the applicant's street; an employer its own.
    pub fn may_read_subsidy(
        &self,
        category: Category,
        street: &str,
        employer_id: Option<i64>,
    ) -> bool {
        match self.role {
            Role::Admin | Role::TaskForce | Role::Reviewer => true,
            Role::UnitStaff => {
                self.unit_staff_of(FINANCE_UNIT)
                    || self.unit_staff_of(category.district_unit())
                    || self.unit_staff_of(street)
            }
            Role::Employer => employer_id.is_some() && self.employer_id == employer_id,
            Role::Applicant => false,
        }
    }

    /// Reads the list of every application (filtered to its reach): the same readers as
    /// [`Actor::may_read_subsidy`] but employers and applicants, who see their own on the portal.
    pub fn reads_subsidy_lists(&self) -> bool {
        matches!(
            self.role,
            Role::Admin | Role::TaskForce | Role::Reviewer | Role::UnitStaff
        )
    }

    /// Reads every application, whatever its street and category.
    pub fn reads_every_subsidy(&self) -> bool {
        matches!(self.role, Role::Admin | Role::TaskForce | Role::Reviewer)
            || self.unit_staff_of(FINANCE_UNIT)
    }
}

/// A person's name as the public 公示 and lists show it: the surname, the rest as `*`
/// ("张三丰" → "张**").
pub fn mask_name(name: &str) -> String {
    let mut chars = name.trim().chars();
    match chars.next() {
        Some(first) => std::iter::once(first).chain(chars.map(|_| '*')).collect(),
        None => String::new(),
    }
}

/// Decides an application for `policy` on `facts`: the policy's own decision, and where it
/// belongs to a benefit group, the group's too — another policy of the group that applies with
/// no stated priority is an error naming both; one that outranks it sends the applicant there.
pub fn decide(
    book: &crate::rules::RuleBook,
    policy: &crate::rules::Policy,
    facts: &crate::rules::Facts,
    date: chrono::NaiveDate,
) -> Result<crate::rules::Decision, String> {
    let decision = book
        .decide(&policy.id, facts, date)
        .map_err(|e| e.to_string())?;
    let Some(group) = policy.group.as_deref().filter(|_| decision.eligible) else {
        return Ok(decision);
    };
    match book.decide_group(group, facts, date) {
        Err(e) => Err(e.to_string()),
        Ok(Some(winner)) if winner.policy_id != policy.id => Err(format!(
            "《{}》与《{}》不可同时享受，规则规定《{}》优先：请申请《{}》",
            policy.title,
            winner.trace.policy_title,
            winner.trace.policy_title,
            winner.trace.policy_title
        )),
        Ok(_) => Ok(decision),
    }
}
