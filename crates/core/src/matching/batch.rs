//! Who the district's matching batch scores (issue 16 item 4; plan 1.1.4 and 2.5.4): the
//! unplaced graduates of the year, and the returnees of the out-migrant registry who mean to
//! come back to work (返区意向 返区就业) — the registry records no other wish for a job. A
//! returnee is matched on the skills and the trade recorded in the survey, the schooling as
//! the education held and the household street as home.

use crate::jobs::Education;
use crate::people::{Degree, Schooling};

use super::Seeker;

vocabulary!(
    /// Whom a batch result is for.
    SeekerKind, "匹配对象" {
        Graduate = "graduate", "未就业毕业生";
        Returnee = "returnee", "返区求职人员";
    }
);

/// The education a graduate's degree satisfies.
pub fn degree_education(degree: Degree) -> Education {
    match degree {
        Degree::Associate => Education::Associate,
        Degree::Bachelor => Education::Bachelor,
        Degree::Master => Education::Master,
        Degree::Doctor => Education::Doctor,
    }
}

/// The education a schooling satisfies (none below senior school: 学历不限 posts only).
pub fn schooling_education(schooling: Option<Schooling>) -> Education {
    match schooling {
        None | Some(Schooling::Primary | Schooling::Junior) => Education::Any,
        Some(Schooling::Senior) => Education::HighSchool,
        Some(Schooling::Associate) => Education::Associate,
        Some(Schooling::Bachelor) => Education::Bachelor,
        Some(Schooling::Master) => Education::Master,
        Some(Schooling::Doctor) => Education::Doctor,
    }
}

/// The skills written in a survey cell ("焊接、设备维护"), one word each, without repeats.
pub fn skill_words(text: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    for word in text.split(['、', '，', ',', '；', ';', '/', '／', ' ', '　']) {
        let word = word.trim();
        if !word.is_empty() && !words.iter().any(|w| w == word) {
            words.push(word.to_owned());
        }
    }
    words
}

/// A returnee as the matcher sees them: the survey's skills and trade, schooling, home street.
pub fn returnee_seeker(
    skills: &str,
    occupation: &str,
    schooling: Option<Schooling>,
    home_street: &str,
) -> Seeker {
    let mut words = skill_words(skills);
    for word in skill_words(occupation) {
        if !words.contains(&word) {
            words.push(word);
        }
    }
    Seeker {
        major: String::new(),
        skills: words,
        education: schooling_education(schooling),
        wanted_group: None,
        wanted_occupation: None,
        wanted_level: None,
        wanted_salary: None,
        home_street: home_street.to_owned(),
        wanted_streets: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_returnee_is_matched_on_the_survey_s_skills_and_trade() {
        let seeker = returnee_seeker(
            "焊接、设备维护",
            "电子装配工",
            Some(Schooling::Senior),
            "jinghe",
        );
        assert_eq!(seeker.skills, ["焊接", "设备维护", "电子装配工"]);
        assert_eq!(seeker.education, Education::HighSchool);
        assert_eq!(seeker.home_street, "jinghe");
        assert!(seeker.major.is_empty());
    }

    #[test]
    fn skills_are_split_on_the_usual_separators_without_repeats() {
        assert_eq!(
            skill_words("A2驾照，叉车; 叉车 / 电工证"),
            ["A2驾照", "叉车", "电工证"]
        );
        assert!(skill_words("  ").is_empty());
        assert_eq!(schooling_education(Some(Schooling::Junior)), Education::Any);
        assert_eq!(degree_education(Degree::Master), Education::Master);
    }
}
