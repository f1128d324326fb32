//! Roles and what each may do. Row scoping itself is enforced by the store; these rules say
//! which rows a role reaches.

use serde::{Deserialize, Serialize};

mod businesses;
mod campus;
mod carriers;
mod contest;
mod experts;
mod failure;
mod insurance;
mod loans;
mod market_order;
mod mentoring;
mod people;
mod policy_list;
mod promotion;
mod selection;
mod steering;
mod student_visits;
mod talent_trips;
mod titles;
mod token;
mod traineeships;
mod window;

use crate::plan::{Plan, UnitKind};

pub use campus::CampusScope;
pub use experts::ServiceScope;
pub use failure::{FailureReach, FailureScope};
pub use insurance::INSURANCE_KEEPER;
pub use loans::LoanScope;
pub use market_order::MarketOrderScope;

impl Actor {
    /// The unit this actor records skills-training classes for (2.4.4): its own, if it is one
    /// of the task's units and the actor is its staff.
    pub fn skills_unit<'p>(&self, plan: &'p Plan) -> Option<&'p str> {
        let unit = plan.unit(self.staff_unit()?)?;
        crate::skills::in_task(plan, &unit.code).then_some(unit.code.as_str())
    }
}
pub use mentoring::MentoringScope;
pub use people::{PeopleScope, Roster, may_import, registered_elsewhere};
pub use promotion::{PROMOTION_TASK, may_organise_promotion};
pub use selection::CaseScope;
pub use student_visits::StudentVisitScope;
pub use talent_trips::TripScope;
pub use titles::TitleScope;
pub use token::{PERSON_NAME_FIELDS, Reach, TokenScope, TokenScopes};
pub use window::{VisitReach, VisitScope};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Manages accounts and the system; reads everything.
    Admin,
    /// 工作专班: reads every unit, every figure.
    TaskForce,
    /// Staff of one responsible unit: writes for that unit only.
    UnitStaff,
    /// 区人社局 reviewers (job posts, subsidies); read everything.
    Reviewer,
    /// An employer's own account: its registration, posts and applications only.
    Employer,
    /// A graduate or returnee looking for work (求职者): their profile and applications only.
    Applicant,
}

impl Role {
    pub const ALL: [Role; 6] = [
        Role::Admin,
        Role::TaskForce,
        Role::UnitStaff,
        Role::Reviewer,
        Role::Employer,
        Role::Applicant,
    ];

    /// The roles an admin creates accounts for; employers register themselves.
    pub const STAFF: [Role; 4] = [
        Role::Admin,
        Role::TaskForce,
        Role::UnitStaff,
        Role::Reviewer,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::TaskForce => "task_force",
            Role::UnitStaff => "unit_staff",
            Role::Reviewer => "reviewer",
            Role::Employer => "employer",
            Role::Applicant => "applicant",
        }
    }

    pub fn parse(code: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|role| role.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Admin => "系统管理员",
            Role::TaskForce => "工作专班",
            Role::UnitStaff => "责任单位填报员",
            Role::Reviewer => "审核员",
            Role::Employer => "用人单位",
            Role::Applicant => "求职者",
        }
    }

    /// Only unit staff belong to a unit; every other role is district-wide.
    pub fn needs_unit(self) -> bool {
        self == Role::UnitStaff
    }

    /// Reads every unit's records, not only its own.
    pub fn reads_all_units(self) -> bool {
        matches!(self, Role::Admin | Role::TaskForce | Role::Reviewer)
    }

    /// Works in the staff console (monitoring, reports); employers have pages of their own.
    pub fn is_staff(self) -> bool {
        !matches!(self, Role::Employer | Role::Applicant)
    }

    pub fn manages_users(self) -> bool {
        self == Role::Admin
    }

    /// May an account of this role use pages of `area`? Employers and applicants have pages
    /// of their own and never the staff console; the refusal says why.
    pub fn may_enter(self, area: Area) -> Result<(), &'static str> {
        match (self, area) {
            (_, Area::Shared) => Ok(()),
            (Role::Employer, Area::Employer) | (Role::Applicant, Area::Applicant) => Ok(()),
            (Role::Applicant, _) => Err("求职者账户只能使用求职者页面"),
            (Role::Employer, _) => Err("用人单位账户只能使用用人单位页面"),
            (_, Area::Staff | Area::Employer | Area::Applicant) => Ok(()),
        }
    }
}

/// The parts of the site a signed-in account may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Area {
    /// The staff console: monitoring, reports, registries.
    Staff,
    /// An employer's own pages.
    Employer,
    /// A job seeker's own pages.
    Applicant,
    /// The home page, the password change, logging out.
    Shared,
}

/// A page (or a download) served whole or refused whole, asked at its door before anything
/// is read. Pages that read rows are scoped by the store function that reads them instead.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Gate<'a> {
    /// A part of the site, by the path asked for.
    Area { area: Area, path: &'a str },
    /// The JSON API (`/api/`), by the path asked for: the staff's, like the console.
    Api { path: &'a str },
    /// The administration pages: accounts, the audit log, the work calendar.
    Administration,
    /// The form in which a unit's staff record progress for their unit.
    ProgressForm { unit: &'a str },
    /// The rows behind an indicator that a registry fills, of one unit.
    IndicatorSources { indicator: &'a str, unit: &'a str },
    /// The reporting-rate table of every unit, as a workbook.
    ReportingRates,
    /// The queue of job posts waiting for review.
    PostReview,
    /// The public's complaints about job posts.
    Complaints,
    /// The import of a roster file, as the actor's unit (see [`may_import`]).
    RosterImport { plan: &'a Plan, roster: Roster },
    /// The import of the social-insurance enrolment list (参保名单).
    InsuranceImport,
    /// The form in which a unit of task 2.1.3 recommends an expert to the pool.
    ExpertForm { plan: &'a Plan },
    /// The form in which the service window's keepers log a visit.
    WindowForm { plan: &'a Plan },
    /// The form in which a street or 区人社局 opens a failure-support case by hand (2.3.4).
    FailureCaseForm { plan: &'a Plan },
    /// The form in which 区人社局 or a cooperating unit of 2.3.2 opens a mentoring.
    MentoringForm { plan: &'a Plan },
    /// The form in which a unit of task 2.4.2 records a guaranteed loan it handled.
    LoanForm { plan: &'a Plan },
    /// The form in which a unit of task 1.3.4 records an inspection of the labour market.
    MarketInspectionForm { plan: &'a Plan },
    /// The forms of 1.3.4's lead: special actions, cases from complaints, portal notices.
    MarketOrderLead { plan: &'a Plan },
    /// The forms in which 团区委, 区人社局, 区经科局 and 现代服务业产业办 record campus
    /// programmes (1.2.1, 1.1.2's 一校一策) for their own unit.
    CampusForm,
    /// The form in which a unit of task 1.3.3 records a 学子东西湖行 visit it organised.
    StudentVisitForm { plan: &'a Plan },
    /// The form in which a unit of task 1.1.3 records a 揽才团 trip it organised.
    TalentTripForm { plan: &'a Plan },
    /// The form in which a unit of task 2.4.4 records a skills-training class it organised.
    SkillsForm { plan: &'a Plan },
    /// The form in which a unit of task 2.4.4 records a title application it took in.
    TitleForm { plan: &'a Plan },
    /// The form in which a unit of task 2.4.4 records an HR agencies' special action.
    HrActionForm { plan: &'a Plan },
    /// The form in which 区人社局 (1.1.4's lead) recognises or withdraws a traineeship base.
    TraineeshipBaseForm { plan: &'a Plan },
}

/// Who is acting, as far as access rules are concerned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub user_id: i64,
    pub username: String,
    pub role: Role,
    pub unit_code: Option<String>,
    /// The employer an employer account belongs to.
    pub employer_id: Option<i64>,
    /// The applicant an applicant account belongs to.
    pub applicant_id: Option<i64>,
}

impl Actor {
    /// The operator at the server's console (`linkong report …`): whoever can run the binary
    /// on the data directory already holds the whole database, so reads as an admin.
    pub fn console() -> Actor {
        Actor {
            user_id: 0,
            username: "console".into(),
            role: Role::Admin,
            unit_code: None,
            employer_id: None,
            applicant_id: None,
        }
    }

    /// May this actor pass `gate`? The refusal says why.
    pub fn may_pass(&self, gate: Gate<'_>) -> Result<(), &'static str> {
        let (allowed, why) = match gate {
            Gate::Area { area, .. } => return self.role.may_enter(area),
            Gate::Api { .. } => (self.role.is_staff(), "用人单位和求职者账户不能使用该接口"),
            Gate::Administration => (self.role.manages_users(), "只有系统管理员可以管理用户"),
            Gate::ProgressForm { unit } => (self.may_record_for(unit), "只能为本单位填报进度"),
            Gate::IndicatorSources { unit, .. } => {
                (self.may_read_records_of(unit), "只能查看本单位的明细")
            }
            Gate::ReportingRates => (self.reads_all_units(), "报送率汇总只向工作专班开放"),
            Gate::PostReview => (self.may_review_posts(), "只有审核员可以审核岗位"),
            Gate::Complaints => (self.may_review_posts(), "只有审核员可以处理举报"),
            Gate::ExpertForm { plan } => (
                self.may_recommend_experts(plan),
                "只有任务 2.1.3 的牵头和配合单位可以推荐专家",
            ),
            Gate::WindowForm { plan } => (
                self.may_keep_window(plan),
                "只有区人社局和区行政审批局的窗口人员可以登记来访",
            ),
            Gate::FailureCaseForm { plan } => (
                self.may_open_failure_cases(plan),
                "只有区人社局和各街道的人员可以建立创业失败帮扶档案",
            ),
            Gate::MentoringForm { plan } => (
                self.mentoring_opener(plan).is_some(),
                "只有区人社局和任务 2.3.2 的配合单位可以发起跟踪陪跑",
            ),
            Gate::LoanForm { plan } => (
                self.loan_unit(plan).is_some(),
                "只有任务 2.4.2 的牵头和配合单位可以登记创业担保贷款",
            ),
            Gate::MarketInspectionForm { plan } => (
                self.market_order_unit(plan).is_some(),
                "只有任务 1.3.4 的牵头和配合单位可以登记市场检查",
            ),
            Gate::MarketOrderLead { plan } => (
                self.may_lead_market_order(plan),
                "只有区人社局的人员可以开展专项行动、立案查处和发布提示",
            ),
            Gate::StudentVisitForm { plan } => (
                self.student_visit_organiser(plan).is_some(),
                "只有任务 1.3.3 的组织单位（团区委、区人社局、区经科局、区科服中心、区现代服务产业办）可以登记学子东西湖行活动",
            ),
            Gate::TalentTripForm { plan } => (
                self.trip_unit(plan).is_some(),
                "只有任务 1.1.3 的责任单位（区人社局、各产业办、各街道）可以登记揽才团",
            ),
            Gate::SkillsForm { plan } => (
                self.skills_unit(plan).is_some(),
                "只有任务 2.4.4 的牵头和配合单位可以登记技能培训",
            ),
            Gate::TraineeshipBaseForm { plan } => (
                self.may_keep_traineeship_bases(plan),
                "只有区人社局的填报员可以认定和撤销就业见习基地",
            ),
            Gate::RosterImport { plan, roster } => (
                (self.unit_code.as_deref()).is_some_and(|u| may_import(plan, u, roster)),
                "只有街道和牵头部门的填报员可以导入名册",
            ),
            Gate::InsuranceImport => (
                self.may_import_insurance(),
                "只有区人社局的人员和系统管理员可以导入参保名单",
            ),
            Gate::CampusForm => (
                self.campus_unit().is_some(),
                "只有团区委、区人社局、区经科局和现代服务业产业办的人员可以登记校园工作",
            ),
            Gate::TitleForm { plan } => (
                self.titles_unit(plan).is_some(),
                "只有任务 2.4.4 的牵头和配合单位可以登记职称评审申报",
            ),
            Gate::HrActionForm { plan } => (
                self.titles_unit(plan).is_some(),
                "只有任务 2.4.4 的牵头和配合单位可以登记人力资源机构专项行动",
            ),
        };
        if allowed { Ok(()) } else { Err(why) }
    }

    /// May this actor write progress records for `unit_code`? Only its own unit's staff may.
    pub fn may_record_for(&self, unit_code: &str) -> bool {
        self.role == Role::UnitStaff && self.unit_code.as_deref() == Some(unit_code)
    }

    /// May this actor record an event held by `organiser`? A unit's staff for their own unit;
    /// the task force and admins for any unit, as they also run district-wide events.
    pub fn may_record_event_for(&self, organiser: &str) -> bool {
        match self.role {
            Role::UnitStaff => self.unit_code.as_deref() == Some(organiser),
            Role::TaskForce | Role::Admin => true,
            _ => false,
        }
    }

    /// May this actor read the records (the rows behind the numbers) of `unit_code`?
    pub fn may_read_records_of(&self, unit_code: &str) -> bool {
        self.role.reads_all_units() || self.unit_code.as_deref() == Some(unit_code)
    }

    /// The unit whose records a list shows when `asked` is requested: what was asked for
    /// (`None`: all units) by readers of every unit; a unit's staff always their own.
    pub fn records_scope<'a>(&'a self, asked: Option<&'a str>) -> Option<&'a str> {
        if self.role.reads_all_units() {
            asked
        } else {
            self.unit_code.as_deref()
        }
    }

    /// Reads every unit: the district's consolidated report, the reporting-rate table and the
    /// assessment are theirs.
    pub fn reads_all_units(&self) -> bool {
        self.role.reads_all_units()
    }

    /// Edits the State Council work calendar the deadlines are counted by: admins, since a
    /// wrong day moves every unit's deadline.
    pub fn may_edit_calendar(&self) -> bool {
        self.role == Role::Admin
    }

    /// Accepts or returns the units' reports: the task force (and admins standing in for it).
    pub fn may_review_reports(&self) -> bool {
        matches!(self.role, Role::TaskForce | Role::Admin)
    }

    /// Reviews job posts, employers and the public's complaints: 区人社局's reviewers (and admins).
    pub fn may_review_posts(&self) -> bool {
        matches!(self.role, Role::Reviewer | Role::Admin)
    }

    /// Changes a job post (its content, submitting or closing it): the employer's own account,
    /// the staff of the unit that raised it, and admins.
    pub fn may_manage_post(&self, employer_id: i64, raised_by: &str) -> bool {
        match self.role {
            Role::Employer => self.employer_id == Some(employer_id),
            Role::UnitStaff => self.unit_code.as_deref() == Some(raised_by),
            Role::Admin => true,
            _ => false,
        }
    }

    /// Sees a job post with its applications in the console: whoever manages it, and reviewers.
    pub fn may_read_post(&self, employer_id: i64, raised_by: &str) -> bool {
        self.may_manage_post(employer_id, raised_by) || self.role == Role::Reviewer
    }

    /// Enters job posts collected offline for their unit (they count for 1.1.1): the staff of a
    /// street or an industry office.
    pub fn may_raise_posts(&self, plan: &Plan) -> bool {
        self.role == Role::UnitStaff
            && self
                .unit_code
                .as_deref()
                .and_then(|code| plan.unit(code))
                .is_some_and(|unit| {
                    matches!(unit.kind, UnitKind::Street | UnitKind::IndustryOffice)
                })
    }

    /// Records returnee services (lectures, classes, five-ones) of `task` for its own unit: the
    /// staff of a street, or of a lead unit of the task.
    pub fn may_record_returnee_services(&self, plan: &Plan, task: &str) -> bool {
        let Some(unit) = self.unit_code.as_deref() else {
            return false;
        };
        let street = plan.unit(unit).is_some_and(|u| u.kind == UnitKind::Street);
        let lead = plan
            .tasks
            .iter()
            .any(|t| t.code == task && t.lead_units.iter().any(|l| l == unit));
        self.role == Role::UnitStaff && (street || lead)
    }

    /// Closes any published post (an upheld complaint): reviewers.
    pub fn may_close_any_post(&self) -> bool {
        self.role == Role::Reviewer
    }

    /// Moves an application along (viewed, interview, offer, hire): only the account of the
    /// employer whose post it applies to; staff and admins do not decide for an employer.
    pub fn may_move_application(&self, post_employer_id: i64) -> bool {
        self.role == Role::Employer && self.employer_id == Some(post_employer_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn staff(unit: &str) -> Actor {
        Actor {
            user_id: 1,
            username: "u".into(),
            role: Role::UnitStaff,
            unit_code: Some(unit.into()),
            employer_id: None,
            applicant_id: None,
        }
    }

    #[test]
    fn only_the_posts_employer_moves_its_applications() {
        let employer = Actor {
            role: Role::Employer,
            unit_code: None,
            employer_id: Some(7),
            ..staff("jinghe")
        };
        let admin = Actor {
            role: Role::Admin,
            unit_code: None,
            ..staff("jinghe")
        };
        assert!(employer.may_move_application(7));
        assert!(!employer.may_move_application(8));
        assert!(!staff("jinghe").may_move_application(7));
        assert!(!admin.may_move_application(7));
    }

    #[test]
    fn events_are_recorded_by_the_organisers_staff_the_task_force_or_admins() {
        let as_role = |role| Actor {
            role,
            unit_code: None,
            ..staff("jinghe")
        };
        assert!(staff("jinghe").may_record_event_for("jinghe"));
        assert!(!staff("jinghe").may_record_event_for("changqing"));
        assert!(as_role(Role::TaskForce).may_record_event_for("changqing"));
        assert!(as_role(Role::Admin).may_record_event_for("changqing"));
        assert!(!as_role(Role::Reviewer).may_record_event_for("jinghe"));
        assert!(!as_role(Role::Employer).may_record_event_for("jinghe"));
    }

    #[test]
    fn unit_staff_record_only_for_their_own_unit() {
        assert!(staff("jinghe").may_record_for("jinghe"));
        assert!(!staff("jinghe").may_record_for("changqing"));
    }

    #[test]
    fn a_post_is_managed_by_its_employer_its_raising_unit_and_admins_and_read_by_reviewers() {
        let employer = Actor {
            role: Role::Employer,
            unit_code: None,
            employer_id: Some(7),
            ..staff("jinghe")
        };
        assert!(employer.may_manage_post(7, "jinghe"));
        assert!(!employer.may_manage_post(8, "jinghe"));
        assert!(staff("jinghe").may_manage_post(8, "jinghe"));
        assert!(!staff("changqing").may_read_post(8, "jinghe"));
        let reviewer = Actor {
            role: Role::Reviewer,
            unit_code: None,
            ..staff("jinghe")
        };
        assert!(!reviewer.may_manage_post(8, "jinghe"));
        assert!(reviewer.may_read_post(8, "jinghe"));
        assert!(reviewer.may_review_posts() && reviewer.may_close_any_post());
        assert!(!staff("jinghe").may_review_posts());
    }

    #[test]
    fn employers_and_applicants_stay_on_their_own_pages() {
        assert!(Role::Employer.may_enter(Area::Employer).is_ok());
        assert!(Role::Employer.may_enter(Area::Staff).is_err());
        assert!(Role::Applicant.may_enter(Area::Employer).is_err());
        assert!(Role::Applicant.may_enter(Area::Shared).is_ok());
        assert!(Role::TaskForce.may_enter(Area::Staff).is_ok());
    }

    #[test]
    fn the_task_force_reviews_reports_and_reviewers_do_not() {
        let as_role = |role| Actor {
            role,
            unit_code: None,
            ..staff("jinghe")
        };
        assert!(as_role(Role::TaskForce).may_review_reports());
        assert!(!as_role(Role::Reviewer).may_review_reports());
        assert!(!staff("jinghe").may_review_reports());
    }

    #[test]
    fn the_task_force_reads_all_but_records_nothing() {
        let tf = Actor {
            user_id: 2,
            username: "tf".into(),
            role: Role::TaskForce,
            unit_code: None,
            employer_id: None,
            applicant_id: None,
        };
        assert!(tf.may_read_records_of("jinghe"));
        assert!(!tf.may_record_for("jinghe"));
    }

    #[test]
    fn an_employer_reads_no_unit_and_is_not_staff() {
        let employer = Actor {
            user_id: 3,
            username: "e".into(),
            role: Role::Employer,
            unit_code: None,
            employer_id: Some(1),
            applicant_id: None,
        };
        assert!(!employer.may_read_records_of("jinghe"));
        assert!(!employer.may_record_for("jinghe"));
        assert!(!Role::Employer.is_staff());
    }

    #[test]
    fn role_codes_round_trip() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.code()), Some(role));
        }
        assert_eq!(Role::parse("root"), None);
    }

    #[test]
    fn only_admins_edit_the_work_calendar() {
        for role in Role::ALL {
            let actor = Actor {
                role,
                ..staff("jinghe")
            };
            assert_eq!(actor.may_edit_calendar(), role == Role::Admin, "{role:?}");
        }
    }

    #[test]
    fn each_gate_lets_through_only_those_its_page_is_for() {
        let as_role = |role| Actor {
            role,
            unit_code: None,
            ..staff("jinghe")
        };
        let (admin, task_force, reviewer, employer) = (
            as_role(Role::Admin),
            as_role(Role::TaskForce),
            as_role(Role::Reviewer),
            as_role(Role::Employer),
        );
        let jinghe = staff("jinghe");
        assert_eq!(admin.may_pass(Gate::Administration), Ok(()));
        assert_eq!(
            task_force.may_pass(Gate::Administration),
            Err("只有系统管理员可以管理用户")
        );
        let own_form = Gate::ProgressForm { unit: "jinghe" };
        assert_eq!(jinghe.may_pass(own_form), Ok(()));
        assert_eq!(
            jinghe.may_pass(Gate::ProgressForm { unit: "changqing" }),
            Err("只能为本单位填报进度")
        );
        assert!(
            admin.may_pass(own_form).is_err(),
            "admins record for no unit"
        );
        let sources = |unit| Gate::IndicatorSources {
            indicator: "1.1.1.positions",
            unit,
        };
        assert_eq!(jinghe.may_pass(sources("jinghe")), Ok(()));
        assert_eq!(task_force.may_pass(sources("changqing")), Ok(()));
        assert_eq!(
            jinghe.may_pass(sources("changqing")),
            Err("只能查看本单位的明细")
        );
        assert_eq!(task_force.may_pass(Gate::ReportingRates), Ok(()));
        assert_eq!(
            jinghe.may_pass(Gate::ReportingRates),
            Err("报送率汇总只向工作专班开放")
        );
        for queue in [Gate::PostReview, Gate::Complaints] {
            assert_eq!(reviewer.may_pass(queue), Ok(()));
            assert_eq!(admin.may_pass(queue), Ok(()));
            assert!(jinghe.may_pass(queue).is_err());
        }
        let plan = crate::plan::dongxihu();
        let import = Gate::RosterImport {
            plan: &plan,
            roster: Roster::Migrants,
        };
        assert_eq!(jinghe.may_pass(import), Ok(()));
        assert_eq!(
            staff("rsj").may_pass(import),
            Ok(()),
            "the lead unit of 2.1.1"
        );
        assert_eq!(
            staff("swj").may_pass(import),
            Err("只有街道和牵头部门的填报员可以导入名册")
        );
        assert!(task_force.may_pass(import).is_err(), "imports are a unit's");
        let console = Gate::Area {
            area: Area::Staff,
            path: "/dashboard",
        };
        assert_eq!(jinghe.may_pass(console), Ok(()));
        assert_eq!(
            employer.may_pass(console),
            Err("用人单位账户只能使用用人单位页面")
        );
        let api = Gate::Api {
            path: "/api/v1/progress",
        };
        assert_eq!(reviewer.may_pass(api), Ok(()));
        for outsider in [employer, as_role(Role::Applicant)] {
            assert_eq!(
                outsider.may_pass(api),
                Err("用人单位和求职者账户不能使用该接口")
            );
        }
    }
}

/// Whether `may` allows writing for the street a form names as typed (code, name or alias). A
/// street the plan does not know passes for anyone who may write for some street, so that the
/// form's own check names the unknown street instead of refusing access.
pub fn may_write_typed_street(plan: &Plan, typed: &str, may: impl Fn(&str) -> bool) -> bool {
    match crate::people::parse_street(plan, typed) {
        Ok(street) => may(street),
        Err(_) => plan.streets().any(|u| may(&u.code)),
    }
}

#[cfg(test)]
mod typed_street_tests {
    use super::*;

    #[test]
    fn a_typed_street_is_judged_as_that_street_and_an_unknown_one_by_any_street() {
        let plan = crate::plan::dongxihu();
        let only_jinghe = |street: &str| street == "jinghe";
        assert!(may_write_typed_street(&plan, "径河", only_jinghe));
        assert!(!may_write_typed_street(&plan, "长青", only_jinghe));
        assert!(may_write_typed_street(&plan, "火星", only_jinghe));
        assert!(!may_write_typed_street(&plan, "火星", |_| false));
    }
}

/// The actors access tests are written with: a unit's staff, and a role of no unit.
#[cfg(test)]
pub(crate) mod test_actors {
    use super::{Actor, Role};

    pub(crate) fn staff(unit: &str) -> Actor {
        Actor {
            user_id: 1,
            username: "u".into(),
            role: Role::UnitStaff,
            unit_code: Some(unit.into()),
            employer_id: None,
            applicant_id: None,
        }
    }

    pub(crate) fn as_role(role: Role) -> Actor {
        Actor {
            role,
            unit_code: None,
            ..staff("")
        }
    }
}
