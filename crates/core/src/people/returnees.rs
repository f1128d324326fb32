//! The checks of returnee services as typed in (tasks 2.1.4, 2.2.1, 2.2.2): who may be named
//! as a returnee, the attendee list of a lecture or Malanhua class, and a five-ones record.
//! The store looks the resident IDs up in the out-migrant registry; these rules decide.

use chrono::{Datelike, NaiveDate};

use super::{Festival, TrainingKind, checked_date, five_ones_year};
use crate::access::PeopleScope;
use crate::field::FieldError;
use crate::resident::ResidentId;

/// The most attendees one lecture or class takes.
pub const MAX_ATTENDEES: usize = 500;

impl TrainingKind {
    /// The plan's task a lecture (2.2.1) or a Malanhua class (2.2.2) counts toward.
    pub fn task_code(self) -> &'static str {
        match self {
            TrainingKind::Lecture => "2.2.1",
            TrainingKind::Malanhua => "2.2.2",
        }
    }
}

/// What the registry holds under a resident ID: the person, their household street (户籍街道),
/// and whether they are on the out-migrant roster.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Registered<'a> {
    pub person_id: i64,
    pub household_street: &'a str,
    pub migrant: bool,
}

/// The person a returnee service names by `id`: an out-migrant of the registry (`found`) within
/// the recording actor's `scope`; otherwise why not. The number is shown masked.
pub fn returnee(
    id: &ResidentId,
    found: Option<Registered>,
    scope: &PeopleScope,
) -> Result<i64, String> {
    match found {
        Some(person) if person.migrant && scope.reaches(person.household_street) => {
            Ok(person.person_id)
        }
        Some(person) if person.migrant => Err(format!("{} 不是本街道户籍人员", id.masked())),
        _ => Err(format!(
            "{} 未登记在外出就业人员信息库中，请先登记",
            id.masked()
        )),
    }
}

/// The attendees of a lecture or class as typed: one resident ID a line, or separated by
/// commas, spaces, 、 or semicolons; each parsed, or why it is no resident ID. An empty list, or
/// one longer than [`MAX_ATTENDEES`], is refused whole.
pub fn attendee_list(typed: &str) -> Result<Vec<Result<ResidentId, String>>, FieldError> {
    let lines: Vec<&str> = typed
        .split(|c: char| {
            c == '\n' || c == ',' || c == '，' || c == '、' || c == ';' || c.is_whitespace()
        })
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let refused = |message: String| FieldError {
        field: "参加人员",
        message,
    };
    if lines.is_empty() {
        return Err(refused("请填写参加人员的身份证号码，每行一个".into()));
    }
    if lines.len() > MAX_ATTENDEES {
        return Err(refused(format!("一次最多登记 {MAX_ATTENDEES} 人")));
    }
    Ok(lines
        .into_iter()
        .map(|line| ResidentId::parse(line).map_err(|e| e.to_string()))
        .collect())
}

/// The people who attended, in the list's order, each named once: `named` holds, per entry
/// of the list, the person [`returnee`] found or why not. What is wrong goes to `errors`,
/// numbered as the entries are.
pub fn checked_attendees(named: &[Result<i64, String>], errors: &mut Vec<FieldError>) -> Vec<i64> {
    let mut attendees: Vec<i64> = Vec::new();
    for (n, entry) in named.iter().enumerate() {
        let message = match entry {
            Ok(person) if attendees.contains(person) => format!("第{}个号码重复", n + 1),
            Ok(person) => {
                attendees.push(*person);
                continue;
            }
            Err(why) => format!("第{}个：{why}", n + 1),
        };
        errors.push(FieldError {
            field: "参加人员",
            message,
        });
    }
    attendees
}

/// A five-ones visit as typed in: the returnee's resident ID, the festival, the items given.
#[derive(Debug, Clone, Default)]
pub struct FiveOnesDraft {
    pub id_number: String,
    pub year: String,
    pub festival: String,
    /// Letter, talk, park visit, policy list, gift, in [`super::FIVE_ONES`] order.
    pub items: [bool; 5],
    pub served_on: String,
}

/// A five-ones record whose fields are right (the returnee is looked up apart).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ValidFiveOnes {
    pub year: i64,
    pub festival: Festival,
    pub items: [bool; 5],
    pub served_on: NaiveDate,
}

/// Checks a five-ones record but its resident ID; what is wrong goes to `errors`. The service
/// is counted per plan year, so it was given in the year it is recorded for; and a record says
/// which of the five items were given, at least one.
pub fn validate_five_ones(
    draft: &FiveOnesDraft,
    years: std::ops::RangeInclusive<i32>,
    today: NaiveDate,
    errors: &mut Vec<FieldError>,
) -> Option<ValidFiveOnes> {
    let festival = Festival::parse(&draft.festival)
        .map_err(|message| {
            errors.push(FieldError {
                field: "节日",
                message,
            })
        })
        .ok();
    let served_on = checked_date(errors, "服务日期", &draft.served_on, today);
    let year = five_ones_year(&draft.year, years)
        .map_err(|message| {
            errors.push(FieldError {
                field: "年度",
                message,
            })
        })
        .ok();
    if let (Some(y), Some(d)) = (year, served_on)
        && i64::from(d.year()) != y
    {
        errors.push(FieldError {
            field: "服务日期",
            message: format!("{d} 不在 {y} 年"),
        });
    }
    if !draft.items.iter().any(|given| *given) {
        errors.push(FieldError {
            field: "服务内容",
            message: "请至少勾选一项".into(),
        });
    }
    Some(ValidFiveOnes {
        year: year?,
        festival: festival?,
        items: draft.items,
        served_on: served_on?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::people::tests::id_with_check;

    fn id(n: u32) -> String {
        id_with_check(&format!("42011219900307{n:03}"))
    }

    fn registered(person_id: i64, street: &str) -> Option<Registered<'_>> {
        Some(Registered {
            person_id,
            household_street: street,
            migrant: true,
        })
    }

    #[test]
    fn a_returnee_is_an_out_migrant_of_the_recording_street() {
        let jinghe = PeopleScope::Street("jinghe".into());
        let someone = ResidentId::parse(&id(1)).unwrap();
        assert_eq!(returnee(&someone, registered(7, "jinghe"), &jinghe), Ok(7));
        assert_eq!(
            returnee(&someone, registered(7, "changqing"), &PeopleScope::All),
            Ok(7)
        );
        let other_street = returnee(&someone, registered(7, "changqing"), &jinghe).unwrap_err();
        assert!(
            other_street.ends_with("不是本街道户籍人员"),
            "{other_street}"
        );
        assert!(other_street.contains("********"), "{other_street}");
        let resident_only = Some(Registered {
            migrant: false,
            ..registered(7, "jinghe").unwrap()
        });
        for found in [None, resident_only] {
            let why = returnee(&someone, found, &jinghe).unwrap_err();
            assert!(
                why.ends_with("未登记在外出就业人员信息库中，请先登记"),
                "{why}"
            );
        }
    }

    #[test]
    fn an_attendee_list_names_someone_and_at_most_500_people() {
        for typed in ["", " \n 、 "] {
            let refused = attendee_list(typed).unwrap_err();
            assert_eq!(refused.field, "参加人员");
            assert_eq!(refused.message, "请填写参加人员的身份证号码，每行一个");
        }
        let many = vec![id(1); 501].join("\n");
        assert_eq!(
            attendee_list(&many).unwrap_err().message,
            "一次最多登记 500 人"
        );
        assert_eq!(
            attendee_list(&vec![id(1); 500].join("、")).unwrap().len(),
            500
        );
    }

    #[test]
    fn attendees_are_separated_by_lines_commas_spaces_or_enumeration_commas() {
        let typed = format!("{}，{} {}、{};{}\n12345", id(1), id(2), id(3), id(4), id(5));
        let list = attendee_list(&typed).unwrap();
        assert_eq!(list.len(), 6);
        assert!(list[..5].iter().all(Result::is_ok));
        assert!(list[5].is_err(), "12345 is no resident ID");
    }

    #[test]
    fn each_attendee_is_named_once_and_every_wrong_one_by_its_place_in_the_list() {
        let named = [Ok(1), Err("不是身份证号码".to_owned()), Ok(2), Ok(1)];
        let mut errors = Vec::new();
        assert_eq!(checked_attendees(&named, &mut errors), [1, 2]);
        let messages: Vec<&str> = errors.iter().map(|e| e.message.as_str()).collect();
        assert_eq!(messages, ["第2个：不是身份证号码", "第4个号码重复"]);
        assert!(errors.iter().all(|e| e.field == "参加人员"));
    }

    fn visit() -> FiveOnesDraft {
        FiveOnesDraft {
            id_number: id(1),
            year: "2025".into(),
            festival: "中秋节".into(),
            items: [true, false, false, true, false],
            served_on: "2025-10-02".into(),
        }
    }

    fn five_ones(draft: &FiveOnesDraft) -> (Option<ValidFiveOnes>, Vec<FieldError>) {
        let mut errors = Vec::new();
        let today = NaiveDate::from_ymd_opt(2025, 10, 10).unwrap();
        let valid = validate_five_ones(draft, 2025..=2027, today, &mut errors);
        (valid, errors)
    }

    #[test]
    fn a_five_ones_record_needs_at_least_one_of_the_five_items() {
        let (valid, errors) = five_ones(&visit());
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(valid.unwrap().festival, Festival::MidAutumn);
        let none = FiveOnesDraft {
            items: [false; 5],
            ..visit()
        };
        let (_, errors) = five_ones(&none);
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].field, "服务内容");
        assert_eq!(errors[0].message, "请至少勾选一项");
    }

    #[test]
    fn a_five_ones_service_is_given_in_the_year_it_is_recorded_for() {
        let next_year = FiveOnesDraft {
            year: "2026".into(),
            ..visit()
        };
        let (valid, errors) = five_ones(&next_year);
        assert!(valid.is_some());
        assert_eq!(errors[0].field, "服务日期");
        assert_eq!(errors[0].message, "2025-10-02 不在 2026 年");
        let wrong = FiveOnesDraft {
            year: "2031".into(),
            festival: "元宵".into(),
            items: [false; 5],
            served_on: "2025-13-01".into(),
            ..visit()
        };
        let (valid, errors) = five_ones(&wrong);
        assert!(valid.is_none());
        let fields: Vec<&str> = errors.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["节日", "服务日期", "年度", "服务内容"]);
    }

    #[test]
    fn a_lecture_counts_toward_2_2_1_and_a_malanhua_class_toward_2_2_2() {
        assert_eq!(TrainingKind::Lecture.task_code(), "2.2.1");
        assert_eq!(TrainingKind::Malanhua.task_code(), "2.2.2");
    }
}
