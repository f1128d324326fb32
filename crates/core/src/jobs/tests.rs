use super::*;
use crate::events::EventKind;
use crate::plan::Plan;
use crate::registry::Registry;

const PLAN: &str = include_str!("../../../../plans/dongxihu-2025-2027.toml");

fn plan() -> Plan {
    Plan::parse(PLAN).unwrap()
}

fn good() -> PostDraft {
    PostDraft {
        title: "前端开发工程师".into(),
        description: "负责公司官网和小程序的前端开发，熟悉 Vue 或 React。".into(),
        occupation_group: "2".into(),
        occupation: "软件工程技术人员".into(),
        industry_section: "I".into(),
        leading_industry: "cyber_security_big_data".into(),
        industry_code: "6513".into(),
        occupation_code: String::new(),
        level: String::new(),
        positions: "3".into(),
        education: "bachelor".into(),
        experience: "fresh".into(),
        salary_min: "6000".into(),
        salary_max: "9000".into(),
        street_code: "jinyinhu".into(),
        contact_name: "李女士".into(),
        contact_phone: "13800138000".into(),
        valid_from: "2025-05-01".into(),
        valid_until: "2025/7/31".into(),
        raised_by: "jinyinhu".into(),
    }
}

fn fields(draft: &PostDraft) -> Vec<&'static str> {
    validate_post(&plan(), draft)
        .unwrap_err()
        .iter()
        .map(|e| e.field)
        .collect()
}

#[test]
fn a_complete_post_is_valid() {
    let post = validate_post(&plan(), &good()).unwrap();
    assert_eq!(post.positions, 3);
    assert_eq!(post.education, Education::Bachelor);
    assert_eq!(
        post.valid_until,
        NaiveDate::from_ymd_opt(2025, 7, 31).unwrap()
    );
    assert_eq!(post.industry_section.letter(), 'I');
}

#[test]
fn salary_min_above_max_names_the_field() {
    let draft = PostDraft {
        salary_min: "9000".into(),
        salary_max: "6000".into(),
        ..good()
    };
    let errors = validate_post(&plan(), &draft).unwrap_err();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].field, "最高月薪");
    assert!(errors[0].message.contains("不能低于最低月薪"));
}

#[test]
fn zero_negative_or_fractional_positions_are_refused() {
    for bad in ["0", "-3", "2.5", "", "十"] {
        let draft = PostDraft {
            positions: bad.into(),
            ..good()
        };
        assert_eq!(fields(&draft), ["招聘人数"], "{bad}");
    }
    let full_width = PostDraft {
        positions: "１２".into(),
        ..good()
    };
    assert_eq!(validate_post(&plan(), &full_width).unwrap().positions, 12);
}

#[test]
fn validity_ending_before_it_starts_is_refused() {
    let draft = PostDraft {
        valid_from: "2025-06-01".into(),
        valid_until: "2025-05-31".into(),
        ..good()
    };
    assert_eq!(fields(&draft), ["有效期截止"]);
    let too_long = PostDraft {
        valid_from: "2025-01-01".into(),
        valid_until: "2026-06-30".into(),
        ..good()
    };
    assert_eq!(fields(&too_long), ["有效期截止"]);
}

#[test]
fn every_wrong_field_is_named_at_once() {
    let draft = PostDraft {
        title: "".into(),
        industry_section: "Z".into(),
        leading_industry: "mining".into(),
        street_code: "gaoxin".into(),
        raised_by: "rsj".into(),
        valid_from: "明天".into(),
        ..good()
    };
    assert_eq!(
        fields(&draft),
        [
            "岗位名称",
            "行业门类",
            "主导产业",
            "工作街道",
            "有效期开始",
            "筹集单位"
        ]
    );
}

#[test]
fn an_industry_office_may_raise_a_post_but_works_happen_in_a_street() {
    let draft = PostDraft {
        raised_by: "gaoxin".into(),
        ..good()
    };
    assert_eq!(validate_post(&plan(), &draft).unwrap().raised_by, "gaoxin");
}

#[test]
fn unit_staff_enter_offline_posts_only_for_their_own_unit() {
    let post = validate_post(&plan(), &good()).unwrap();
    let staff = |unit: &str| Actor {
        user_id: 1,
        username: "u".into(),
        role: Role::UnitStaff,
        unit_code: Some(unit.into()),
        employer_id: None,
        applicant_id: None,
    };
    assert_eq!(raised_by_own_unit(&staff("jinyinhu"), &post), Ok(()));
    let other = raised_by_own_unit(&staff("jinghe"), &post).unwrap_err();
    assert_eq!(
        (other.field, other.message.as_str()),
        ("筹集单位", "代为登记的岗位计入本单位")
    );
    let admin = Actor {
        role: Role::Admin,
        unit_code: None,
        ..staff("jinghe")
    };
    assert_eq!(
        raised_by_own_unit(&admin, &post),
        Ok(()),
        "admins enter for any unit"
    );
}

#[test]
fn unit_staff_enter_posts_only_for_verified_employers() {
    let staff = Actor {
        user_id: 1,
        username: "u".into(),
        role: Role::UnitStaff,
        unit_code: Some("jinghe".into()),
        employer_id: None,
        applicant_id: None,
    };
    assert_eq!(staff_may_post_for(&staff, "智造科技", true), Ok(()));
    let pending = staff_may_post_for(&staff, "智造科技", false).unwrap_err();
    assert_eq!(
        (pending.field, pending.message.as_str()),
        ("用人单位", "智造科技尚未通过认证，不能代为登记岗位")
    );
    let employer = Actor {
        role: Role::Employer,
        unit_code: None,
        employer_id: Some(7),
        ..staff
    };
    assert_eq!(staff_may_post_for(&employer, "智造科技", false), Ok(()));
}

#[test]
fn a_published_post_past_its_validity_is_expired() {
    let until = NaiveDate::from_ymd_opt(2025, 7, 31).unwrap();
    let day = |d| NaiveDate::from_ymd_opt(2025, 8, d).unwrap();
    assert_eq!(PostStatus::Published.on(until, day(1)), PostStatus::Expired);
    assert_eq!(
        PostStatus::Published.on(until, until),
        PostStatus::Published
    );
    assert_eq!(PostStatus::Closed.on(until, day(1)), PostStatus::Closed);
}

#[test]
fn an_application_moves_along_received_viewed_interview_offer_hired() {
    use ApplicationStatus::*;
    assert!(Received.can_move_to(Viewed));
    assert!(Viewed.can_move_to(Interview));
    assert!(Interview.can_move_to(Offer));
    assert!(Offer.can_move_to(Hired));
}

#[test]
fn an_application_is_hired_only_after_an_offer() {
    use ApplicationStatus::*;
    for from in [Received, Viewed, Interview] {
        assert!(!from.can_move_to(Hired), "{from:?}");
    }
}

#[test]
fn an_application_may_be_declined_at_any_step_before_hire() {
    use ApplicationStatus::*;
    for from in [Received, Viewed, Interview, Offer] {
        assert!(from.can_move_to(Declined), "{from:?}");
    }
}

#[test]
fn a_hired_application_cannot_move_again() {
    assert!(ApplicationStatus::Hired.next().is_empty());
}

#[test]
fn a_declined_application_cannot_move_again() {
    assert!(ApplicationStatus::Declined.next().is_empty());
}

#[test]
fn an_application_never_moves_back() {
    for (i, from) in ApplicationStatus::ALL.iter().enumerate() {
        for back in &ApplicationStatus::ALL[..=i] {
            assert!(!from.can_move_to(*back), "{from:?} → {back:?}");
        }
    }
}

#[test]
fn search_input_is_bounded() {
    assert_eq!(check_query("  会计   出纳 ").unwrap(), "会计 出纳");
    assert!(
        check_query(&"会".repeat(10_000))
            .unwrap_err()
            .contains("最多 50 个字")
    );
    assert_eq!(check_query("\"(*:^~").unwrap(), "\"(*:^~");
    assert_eq!(check_page("2"), Ok(2));
    assert!(check_page("-1").unwrap_err().contains("收到 -1"));
    assert!(check_page("0").is_err());
    assert!(check_page("abc").unwrap_err().contains("整数"));
    assert!(check_page("99999999999999999999").is_err());
}

#[test]
fn the_plan_names_a_registry_for_the_job_indicators() {
    let plan = plan();
    let registry = |code: &str| {
        crate::record::find_indicator(&plan, code)
            .unwrap()
            .1
            .registry
    };
    assert_eq!(registry("1.1.1.positions"), Some(Registry::PostPositions));
    assert_eq!(
        registry("1.1.1.emerging_share"),
        Some(Registry::EmergingShare)
    );
    assert_eq!(
        registry("1.1.2.campus_fairs"),
        Some(Registry::Events(EventKind::CampusFair))
    );
    assert_eq!(
        registry("2.5.4.community_job_events"),
        Some(Registry::Events(EventKind::Community))
    );
    assert_eq!(
        registry("1.1.4.placement_rate"),
        Some(Registry::PlacementRate)
    );
    assert_eq!(
        registry("2.2.2.malanhua_trainees"),
        Some(Registry::MalanhuaTrainees)
    );
    // Lectures add to the guidance a unit records by hand; every other registry excludes it.
    assert_eq!(
        registry("2.2.1.guidance"),
        Some(Registry::LectureAttendance)
    );
    assert!(Registry::LectureAttendance.takes_manual_records());
    assert!(!Registry::PostPositions.takes_manual_records());
    assert_eq!(
        registry("2.1.2.projects"),
        Some(Registry::ProjectsScreenedIn)
    );
    assert_eq!(registry("2.4.2.guaranteed_loans"), Some(Registry::Loans));
}

#[test]
fn an_unknown_registry_is_a_plan_error_on_its_line() {
    let text = PLAN.replacen(
        "registry = \"job_posts.positions\"",
        "registry = \"job_posts.salaries\"",
        1,
    );
    let errors = Plan::parse(&text).unwrap_err();
    let message = errors.0.iter().map(|e| e.to_string()).collect::<Vec<_>>();
    assert!(
        message
            .iter()
            .any(|m| m.contains("未知的登记来源“job_posts.salaries”")),
        "{message:?}"
    );
}

#[test]
fn a_rejection_must_tell_the_employer_why() {
    assert_eq!(reject_post("  "), Err(ReviewRefusal::NoRejectReason));
    let outcome = reject_post(" 薪资不实 ").unwrap();
    assert_eq!(outcome.status, PostStatus::Rejected);
    assert_eq!(outcome.note.as_deref(), Some("薪资不实"));
}

#[test]
fn a_high_risk_post_is_published_only_with_the_reviewers_written_reason() {
    assert_eq!(
        publish_post(true, true, Some("  ")),
        Err(ReviewRefusal::NoOverrideReason)
    );
    let outcome = publish_post(true, true, Some(" 已电话核实 ")).unwrap();
    assert_eq!(outcome.status, PostStatus::Published);
    assert_eq!(outcome.override_reason.as_deref(), Some("已电话核实"));
    assert_eq!(
        publish_post(false, true, Some("不需要"))
            .unwrap()
            .override_reason,
        None
    );
}

#[test]
fn only_a_verified_employers_post_is_published() {
    assert_eq!(
        publish_post(false, false, None),
        Err(ReviewRefusal::EmployerNotVerified)
    );
}

#[test]
fn a_post_belongs_to_its_employer_the_posting_employer_or_the_one_staff_chose() {
    let staff = Actor {
        user_id: 1,
        username: "u".into(),
        role: Role::UnitStaff,
        unit_code: Some("jinghe".into()),
        employer_id: None,
        applicant_id: None,
    };
    assert_eq!(
        post_employer(&staff, Some(3), None),
        Ok(3),
        "an edit keeps it"
    );
    assert_eq!(post_employer(&staff, None, Some(9)), Ok(9));
    assert_eq!(
        post_employer(&staff, None, None),
        Err(PostEmployerRefusal::NoEmployerChosen)
    );
    let employer = Actor {
        role: Role::Employer,
        unit_code: None,
        employer_id: Some(7),
        ..staff.clone()
    };
    assert_eq!(
        post_employer(&employer, None, Some(9)),
        Ok(7),
        "not another's"
    );
    let orphan = Actor {
        employer_id: None,
        ..employer
    };
    assert_eq!(
        post_employer(&orphan, None, None),
        Err(PostEmployerRefusal::AccountWithoutEmployer)
    );
    let applicant = Actor {
        role: Role::Applicant,
        unit_code: None,
        applicant_id: Some(5),
        ..staff
    };
    assert_eq!(
        post_employer(&applicant, None, Some(9)),
        Err(PostEmployerRefusal::MayNotPost)
    );
}

#[test]
fn a_refused_review_names_its_field_or_the_unverified_employer() {
    assert_eq!(ReviewRefusal::NoRejectReason.field(), Some("审核意见"));
    assert_eq!(
        ReviewRefusal::NoOverrideReason.field(),
        Some("人工复核意见")
    );
    assert_eq!(ReviewRefusal::EmployerNotVerified.field(), None);
    assert!(
        ReviewRefusal::EmployerNotVerified
            .message("智造科技")
            .starts_with("智造科技尚未通过单位认证")
    );
}

#[test]
fn a_post_with_an_occupation_code_takes_its_major_group_and_a_level() {
    let draft = PostDraft {
        occupation_group: String::new(),
        occupation_code: "2-02-10-03".into(),
        level: "研发/高端".into(),
        ..good()
    };
    let post = validate_post(&plan(), &draft).unwrap();
    assert_eq!(post.occupation_group, OccupationGroup::Professionals);
    assert_eq!(post.level, JobLevel::Advanced);
    let no_level = validate_post(&plan(), &good()).unwrap();
    assert_eq!(
        no_level.level,
        JobLevel::Professional,
        "the group's default"
    );
}

#[test]
fn a_code_of_another_major_group_or_a_bad_level_is_refused_naming_the_field() {
    let draft = PostDraft {
        occupation_group: "2".into(),
        occupation_code: "6-31-01-03".into(),
        level: "boss".into(),
        ..good()
    };
    let errors = validate_post(&plan(), &draft).unwrap_err();
    let named: Vec<&str> = errors.iter().map(|e| e.field).collect();
    assert_eq!(named, ["职业代码", "岗位层次"]);
    assert!(
        errors[0].message.contains("属于第 6 大类"),
        "{}",
        errors[0].message
    );
    let draft = PostDraft {
        occupation_code: "2-77".into(),
        industry_code: "6".into(),
        ..good()
    };
    assert_eq!(fields(&draft), ["职业代码", "行业代码"]);
    let draft = PostDraft {
        industry_section: "C".into(),
        ..good()
    };
    assert_eq!(fields(&draft), ["行业代码"], "6513 is in section I");
}

#[test]
fn the_emerging_flag_is_derived_from_the_industry_not_ticked() {
    let software = validate_post(&plan(), &good()).unwrap();
    assert!(software.emerging);
    assert!(software.emerging_basis.unwrap().contains("1.3"));
    let factory = PostDraft {
        industry_section: "C".into(),
        industry_code: String::new(),
        occupation_group: "6".into(),
        ..good()
    };
    let factory = validate_post(&plan(), &factory).unwrap();
    assert!(!factory.emerging);
    assert_eq!(factory.emerging_basis, None);
}
