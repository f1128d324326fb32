//! Applicants (求职者): the checks of what an applicant types in about themself, at sign-up and
//! in their profile. The phone and the password have types of their own ([`crate::phone`],
//! [`crate::password`]); the store encrypts the phone.

use serde::Serialize;

use crate::field::FieldError;
use crate::jobs::{Education, JobLevel};
use crate::occupations::{Classification, OccupationCode};
use crate::plan::{Plan, UnitKind};

/// The longest name an applicant may give.
pub const MAX_NAME_CHARS: usize = 40;
/// The highest monthly salary an applicant may expect, in yuan.
pub const MAX_SALARY_EXPECTATION: i64 = 1_000_000;

/// The short profile an applicant keeps, as typed into the form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Profile {
    pub name: String,
    pub education: String,
    pub major: String,
    pub skills: String,
    pub wanted_job: String,
    /// 岗位层次 wanted, optional.
    #[serde(default)]
    pub wanted_level: String,
    /// 职业分类大典 code of the job wanted, optional.
    #[serde(default)]
    pub wanted_occupation_code: String,
    pub wanted_street: String,
    pub salary_expectation: String,
}

/// A profile whose every field is well formed, text fields trimmed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidProfile {
    pub name: String,
    pub education: Education,
    pub major: String,
    pub skills: String,
    pub wanted_job: String,
    pub wanted_level: Option<JobLevel>,
    pub wanted_occupation_code: Option<OccupationCode>,
    pub wanted_street: Option<String>,
    pub salary_expectation: Option<i64>,
}

/// Checks every field of a profile; all wrong fields are reported at once.
pub fn validate_profile(plan: &Plan, profile: &Profile) -> Result<ValidProfile, Vec<FieldError>> {
    let mut errors = Vec::new();
    let name = check_name(&profile.name).map_err(|e| errors.push(e)).ok();
    let education = Education::parse(&profile.education)
        .map_err(|_| wrong(&mut errors, "学历", "请选择学历"))
        .ok();
    for (field, value, max) in [
        ("专业", &profile.major, 40),
        ("技能特长", &profile.skills, 200),
        ("意向岗位", &profile.wanted_job, 40),
    ] {
        if value.trim().chars().count() > max {
            wrong(&mut errors, field, &format!("不超过 {max} 字"));
        }
    }
    let (wanted_level, wanted_occupation_code) = check_wanted_kind(profile, &mut errors);
    let wanted_street = check_wanted_street(plan, &profile.wanted_street, &mut errors);
    let salary_expectation = check_salary_expectation(&profile.salary_expectation, &mut errors);
    let (Some(name), Some(education), true) = (name, education, errors.is_empty()) else {
        return Err(errors);
    };
    Ok(ValidProfile {
        name: name.to_owned(),
        education,
        major: profile.major.trim().to_owned(),
        skills: profile.skills.trim().to_owned(),
        wanted_job: profile.wanted_job.trim().to_owned(),
        wanted_level,
        wanted_occupation_code,
        wanted_street,
        salary_expectation,
    })
}

/// A name of 1 to [`MAX_NAME_CHARS`] characters, trimmed: at sign-up and in the profile.
pub fn check_name(input: &str) -> Result<&str, FieldError> {
    let name = input.trim();
    if name.is_empty() || name.chars().count() > MAX_NAME_CHARS {
        return Err(FieldError {
            field: "姓名",
            message: format!("请填写姓名（不超过 {MAX_NAME_CHARS} 字）"),
        });
    }
    Ok(name)
}

fn wrong(errors: &mut Vec<FieldError>, field: &'static str, message: &str) {
    errors.push(FieldError {
        field,
        message: message.into(),
    });
}

/// The level and occupation code wanted, each optional.
fn check_wanted_kind(
    profile: &Profile,
    errors: &mut Vec<FieldError>,
) -> (Option<JobLevel>, Option<OccupationCode>) {
    let level = match profile.wanted_level.trim() {
        "" => None,
        level => JobLevel::parse(level)
            .map_err(|_| wrong(errors, "岗位层次", "请从列表中选择岗位层次"))
            .ok(),
    };
    let code = match profile.wanted_occupation_code.trim() {
        "" => None,
        code => Classification::shipped()
            .code(code)
            .map_err(|e| wrong(errors, "职业代码", &e))
            .ok(),
    };
    (level, code)
}

/// No street, or one of the plan's streets (not an office or a park).
fn check_wanted_street(plan: &Plan, input: &str, errors: &mut Vec<FieldError>) -> Option<String> {
    let street = input.trim();
    if street.is_empty() {
        None
    } else if plan
        .unit(street)
        .is_some_and(|u| u.kind == UnitKind::Street)
    {
        Some(street.to_owned())
    } else {
        wrong(errors, "意向街道", "请从列表中选择街道");
        None
    }
}

/// No expectation, or a whole number of yuan from 1 to [`MAX_SALARY_EXPECTATION`].
fn check_salary_expectation(input: &str, errors: &mut Vec<FieldError>) -> Option<i64> {
    let salary = input.trim();
    if salary.is_empty() {
        return None;
    }
    match salary.parse::<i64>() {
        Ok(n) if (1..=MAX_SALARY_EXPECTATION).contains(&n) => Some(n),
        _ => {
            wrong(errors, "期望月薪", "期望月薪应为正的整数（元）");
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PLAN: &str = include_str!("../../../plans/dongxihu-2025-2027.toml");

    fn plan() -> Plan {
        Plan::parse(PLAN).unwrap()
    }

    fn good() -> Profile {
        Profile {
            name: " 张三 ".into(),
            education: "bachelor".into(),
            major: " 会计 ".into(),
            skills: "出纳".into(),
            wanted_job: "会计".into(),
            wanted_level: "professional".into(),
            wanted_occupation_code: "2-06-03-00".into(),
            wanted_street: "jinyinhu".into(),
            salary_expectation: "6000".into(),
        }
    }

    #[test]
    fn the_wanted_level_and_occupation_code_are_kept_or_refused_naming_the_field() {
        let valid = validate_profile(&plan(), &good()).unwrap();
        assert_eq!(valid.wanted_level, Some(JobLevel::Professional));
        assert_eq!(
            valid.wanted_occupation_code.as_ref().map(|c| c.as_str()),
            Some("2-06-03-00")
        );
        let bad = Profile {
            wanted_level: "boss".into(),
            wanted_occupation_code: "9-99".into(),
            ..good()
        };
        let errors = validate_profile(&plan(), &bad).unwrap_err();
        assert_eq!(fields(errors), ["岗位层次", "职业代码"]);
        let empty = Profile {
            wanted_level: String::new(),
            wanted_occupation_code: " ".into(),
            ..good()
        };
        let valid = validate_profile(&plan(), &empty).unwrap();
        assert_eq!(
            (valid.wanted_level, valid.wanted_occupation_code),
            (None, None)
        );
    }

    fn fields(errors: Vec<FieldError>) -> Vec<&'static str> {
        errors.into_iter().map(|e| e.field).collect()
    }

    #[test]
    fn a_complete_profile_is_kept_trimmed() {
        let valid = validate_profile(&plan(), &good()).unwrap();
        assert_eq!(valid.name, "张三");
        assert_eq!(valid.major, "会计");
        assert_eq!(valid.education, Education::Bachelor);
        assert_eq!(valid.wanted_street.as_deref(), Some("jinyinhu"));
        assert_eq!(valid.salary_expectation, Some(6000));
    }

    #[test]
    fn the_wanted_street_and_salary_may_be_left_empty() {
        let profile = Profile {
            wanted_street: " ".into(),
            salary_expectation: "".into(),
            ..good()
        };
        let valid = validate_profile(&plan(), &profile).unwrap();
        assert_eq!(valid.wanted_street, None);
        assert_eq!(valid.salary_expectation, None);
    }

    #[test]
    fn an_applicant_without_a_name_is_refused() {
        assert!(check_name("   ").is_err());
        assert!(check_name(&"张".repeat(41)).is_err());
        assert_eq!(check_name(" 李四 "), Ok("李四"));
    }

    #[test]
    fn the_wanted_street_must_be_a_street_of_the_plan() {
        let office = Profile {
            wanted_street: "gaoxin".into(),
            ..good()
        };
        let unknown = Profile {
            wanted_street: "nowhere".into(),
            ..good()
        };
        assert_eq!(
            fields(validate_profile(&plan(), &office).unwrap_err()),
            ["意向街道"]
        );
        assert_eq!(
            fields(validate_profile(&plan(), &unknown).unwrap_err()),
            ["意向街道"]
        );
    }

    #[test]
    fn the_salary_expectation_is_a_positive_whole_number_of_yuan() {
        for salary in ["0", "-5", "6000.5", "1000001", "很多"] {
            let profile = Profile {
                salary_expectation: salary.into(),
                ..good()
            };
            assert_eq!(
                fields(validate_profile(&plan(), &profile).unwrap_err()),
                ["期望月薪"],
                "{salary}"
            );
        }
    }

    #[test]
    fn every_wrong_field_of_a_profile_is_named_at_once() {
        let profile = Profile {
            name: "".into(),
            education: "".into(),
            skills: "技".repeat(201),
            wanted_street: "nowhere".into(),
            salary_expectation: "0".into(),
            ..good()
        };
        assert_eq!(
            fields(validate_profile(&plan(), &profile).unwrap_err()),
            ["姓名", "学历", "技能特长", "意向街道", "期望月薪"]
        );
    }
}
