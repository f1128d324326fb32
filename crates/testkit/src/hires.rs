//! A graduate of the roster hired through the job platform, and their social insurance at the
//! employer: what the 免申即享 scan and the hiring subsidies start from.

use chrono::{Duration, NaiveDate};
use linkong_core::access::{Actor, Role, Roster};
use linkong_core::fraud::FraudRules;
use linkong_core::insurance::{EnrolmentDraft, validate_enrolment};
use linkong_core::jobs::{ApplicationStatus, PostDraft};
use linkong_core::people::{GraduateDraft, PersonDraft, validate_graduate};
use linkong_store::Store;
use linkong_store::applicants::ApplicantSignup;
use linkong_store::employers::EmployerDraft;
use linkong_store::jobs::PostReview;
use linkong_store::people::{ImportRow, RowData};

use crate::{account, import_rows, plan, resident_id_for, uscc_for};

/// What [`hired_graduate`] made.
#[derive(Debug, Clone)]
pub struct Hired {
    /// The employer's account.
    pub boss: Actor,
    pub employer_id: i64,
    pub employer_uscc: String,
    /// The graduate's resident ID and the id of their person record.
    pub resident_id: String,
    pub person_id: i64,
    pub application: i64,
}

/// Graduate `n` (left school 2025-06-30, of 径河) on the roster, employer `n` registered (its
/// account `boss{n}`, password `Employer#2025`) and publishing a post, the graduate applying
/// through the portal and hired on `today`: the roster places them by the hire.
pub async fn hired_graduate(store: &Store, n: usize, today: NaiveDate) -> Hired {
    let (resident_id, phone) = graduate_on_roster(store, n, today).await;
    let (boss, employer_id, employer_uscc, post) = publishing_employer(store, n, today).await;
    let applicant = store
        .register_applicant(
            &ApplicantSignup {
                phone,
                name: format!("毕业生{n}"),
                password: "Graduate#2025".into(),
            },
            "",
        )
        .await
        .expect("signed up")
        .actor();
    let application = store.apply(&applicant, post, "").await.expect("applied");
    for to in [
        ApplicationStatus::Viewed,
        ApplicationStatus::Interview,
        ApplicationStatus::Offer,
        ApplicationStatus::Hired,
    ] {
        store
            .move_application(&boss, application, to, "")
            .await
            .expect("moved");
    }
    let person_id = store
        .graduate_placed_by(application)
        .await
        .expect("read")
        .expect("placed by the hire");
    Hired {
        boss,
        employer_id,
        employer_uscc,
        resident_id,
        person_id,
        application,
    }
}

/// Graduate `n` of 径河 (江汉大学 会计学 本科, left school 2025-06-30) imported onto the
/// roster on `today`: their resident ID and phone.
pub async fn graduate_on_roster(store: &Store, n: usize, today: NaiveDate) -> (String, String) {
    let plan = plan();
    let phone = format!("1370000{:04}", n % 10_000);
    let resident_id = resident_id_for(n);
    let draft = GraduateDraft {
        person: PersonDraft {
            name: format!("毕业生{n}"),
            id_number: resident_id.clone(),
            phone: phone.clone(),
            street: "径河".into(),
            community: String::new(),
            schooling: "本科".into(),
        },
        school: "江汉大学".into(),
        major: "会计学".into(),
        degree: "本科".into(),
        graduated_on: "2025-06-30".into(),
        wish: "财务".into(),
    };
    let row = ImportRow {
        row: 2,
        sealed: None,
        data: RowData::Graduate(validate_graduate(&plan, &draft, today).expect("a valid graduate")),
    };
    import_rows(store, "jinghe", Roster::Graduates, vec![row], true)
        .await
        .expect("imported")
        .expect("no refusals");
    (resident_id, phone)
}

/// Employer `n` registered, approved and publishing one post valid from `today`: (its account,
/// its id, its USCC, the post).
pub async fn publishing_employer(
    store: &Store,
    n: usize,
    today: NaiveDate,
) -> (Actor, i64, String, i64) {
    let plan = plan();
    let reviewer = account(store, &format!("shenhe{n}"), Role::Reviewer, None).await;
    let uscc = uscc_for(50_000 + n);
    let registered = store
        .register_employer(
            &plan,
            &EmployerDraft {
                uscc: uscc.clone(),
                name: format!("武汉临空港智造科技{n}号有限公司"),
                industry_section: "C".into(),
                street_code: "jinghe".into(),
                contact_name: "王敏".into(),
                contact_phone: "13812345678".into(),
                account_username: format!("boss{n}"),
                account_password: "Employer#2025".into(),
            },
            "",
        )
        .await
        .expect("registered");
    store
        .review_employer(&reviewer, registered.id, true, "", "")
        .await
        .expect("approved");
    let boss = store
        .user_by_name(&format!("boss{n}"))
        .await
        .expect("read")
        .expect("the account")
        .actor();
    let draft = PostDraft {
        title: "出纳（应届）".into(),
        description: "负责日常收付款、票据整理和银行对账，会计相关专业应届毕业生优先考虑。".into(),
        occupation_group: "3".into(),
        occupation: "会计".into(),
        industry_section: "C".into(),
        leading_industry: "intelligent_manufacturing".into(),
        industry_code: String::new(),
        occupation_code: String::new(),
        level: String::new(),
        positions: "2".into(),
        education: "bachelor".into(),
        experience: "fresh".into(),
        salary_min: "4500".into(),
        salary_max: "6000".into(),
        street_code: "jinghe".into(),
        contact_name: "李女士".into(),
        contact_phone: "13900001111".into(),
        valid_from: today.to_string(),
        valid_until: (today + Duration::days(60)).to_string(),
        raised_by: "jinghe".into(),
    };
    let rules = FraudRules::parse(include_str!("../../../rules/fraud-screening.toml"))
        .expect("the shipped fraud rules");
    let post = store
        .save_job_post(&boss, &plan, &rules, None, None, &draft, true, "")
        .await
        .expect("saved");
    store
        .review_job_post(
            &reviewer,
            post.id,
            &PostReview::Publish {
                override_reason: None,
            },
            "",
        )
        .await
        .expect("published");
    (boss, registered.id, uscc, post.id)
}

/// The graduate insured at the employer (失业、工伤、养老) from the month `from` (`2025-07`),
/// imported by 区人社局's staff `rsj_user` on `today`.
pub async fn insure(store: &Store, rsj: &Actor, hired: &Hired, from: &str, today: NaiveDate) {
    let row = validate_enrolment(
        &EnrolmentDraft {
            name: "毕业生".into(),
            id_number: hired.resident_id.clone(),
            uscc: hired.employer_uscc.clone(),
            employer_name: "用人单位".into(),
            kinds: "失业、工伤、养老".into(),
            started: from.into(),
            ended: String::new(),
        },
        today,
    )
    .expect("a valid enrolment");
    store
        .import_enrolments(rsj, "参保名单.xlsx", &[row], "", None)
        .await
        .expect("imported");
}
