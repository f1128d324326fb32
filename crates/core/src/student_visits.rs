//! 学子东西湖行 (task 1.3.3): visits of university students organised by a unit — a day's
//! itinerary of stops (park tours, leading firms, policy briefings, cultural experiences, each at
//! a place) and the students who came (name, school, major, grade).
//!
//! 东政办〔2025〕3号 任务 1.3.3: 每年邀请500名以上高校优秀学生代表来东西湖开展社会实践，参观走访区内
//! 新兴产业园区和龙头企业，举办政策解读会，安排特色文化体验. The appendix gives 团区委, 区人社局,
//! 区经科局, 区科服中心 and 区现代服务产业办 100 students a year each; 区文旅局 配合 (it may be
//! recorded as assisting a visit, and counts nothing).
//!
//! How 1.3.3.students counts: *distinct students* per organising unit per year. A student is
//! identified by name + school + major as typed (normalised: full-width to half-width, spaces
//! dropped), since the seed asks for no ID number of a visiting student; the same student on a
//! second visit of the same unit in the same year does not count again. Each student counts on
//! the date of their first visit of the year with that unit (by date, then by visit id).

use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use std::collections::BTreeSet;

use crate::cells;
use crate::field::{FieldError, checked_text_up_to};
use crate::plan::Plan;

/// The plan task the visits serve.
pub const TASK: &str = "1.3.3";

/// 区文旅局: 配合上述部门开展活动 — recorded as assisting a visit, never counted.
pub const ASSISTING_UNIT: &str = "wlj";

/// The field the students' errors are named under, in the form and in an import.
pub const STUDENTS_FIELD: &str = "参与学生";

/// The units that organise visits and hold 1.3.3's quotas (团区委 the lead, 区人社局, 区经科局,
/// 区科服中心, 区现代服务产业办).
pub fn organisers(plan: &Plan) -> Vec<&str> {
    plan.quota_units(TASK)
}

/// Is `unit` the lead of task 1.3.3 (团区委)?
pub fn is_lead(plan: &Plan, unit: &str) -> bool {
    plan.tasks
        .iter()
        .any(|t| t.code == TASK && t.lead_units.iter().any(|u| u == unit))
}

vocabulary!(
    /// What a stop of the itinerary is: the four kinds task 1.3.3 names.
    StopKind, "行程类别" {
        ParkTour = "park_tour", "园区参观";
        LeadingFirm = "leading_firm", "龙头企业走访";
        PolicyBriefing = "policy_briefing", "政策解读会";
        Culture = "culture", "特色文化体验";
    }
);

/// A stop as typed in.
#[derive(Debug, Clone, Default)]
pub struct StopDraft {
    pub kind: String,
    pub place: String,
}

/// A checked stop: its kind and the place (a park, a firm, a hall).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Stop {
    pub kind: StopKind,
    pub place: String,
}

/// A student as typed in (a line of the form, a row of a list).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StudentDraft {
    pub name: String,
    pub school: String,
    pub major: String,
    pub grade: String,
}

/// Who a student is for the count: name + school + major, normalised (see the module doc).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct StudentKey(String);

impl StudentKey {
    pub fn of(name: &str, school: &str, major: &str) -> StudentKey {
        let part = |s: &str| -> String {
            cells::normalise(s)
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect()
        };
        StudentKey(format!("{}|{}|{}", part(name), part(school), part(major)))
    }

    /// The key as stored.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// A key read back from the database.
    pub fn stored(text: String) -> StudentKey {
        StudentKey(text)
    }
}

/// A checked student.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Student {
    pub name: String,
    pub school: String,
    pub major: String,
    pub grade: String,
    pub key: StudentKey,
}

/// A visit as typed in; `students` carry the row (or line) number they were typed on.
#[derive(Debug, Clone, Default)]
pub struct VisitDraft {
    pub title: String,
    pub visited_on: String,
    pub assisted: bool,
    pub stops: Vec<StopDraft>,
    pub students: Vec<(usize, StudentDraft)>,
    pub note: String,
}

/// A checked visit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidVisit {
    pub title: String,
    pub visited_on: NaiveDate,
    /// 区文旅局 assisted.
    pub assisted: bool,
    pub stops: Vec<Stop>,
    pub students: Vec<Student>,
    pub note: String,
}

/// The most students one list takes (one visit's day, or one file).
pub const MAX_STUDENTS: usize = 500;
const MAX_STOPS: usize = 12;

/// The students of a form's text box, one a line: 姓名，学校，专业，年级 (commas, full-width
/// commas, tabs or spaces between). Blank lines are skipped; each keeps its line number.
pub fn student_lines(text: &str) -> Vec<(usize, StudentDraft)> {
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(i, line)| {
            let mut parts = line
                .split([',', '，', '\t', ';', '；', '、', ' ', '\u{3000}'])
                .filter(|p| !p.trim().is_empty())
                .map(|p| p.trim().to_owned());
            let mut next = || parts.next().unwrap_or_default();
            let draft = StudentDraft {
                name: next(),
                school: next(),
                major: next(),
                grade: next(),
            };
            (i + 1, draft)
        })
        .collect()
}

/// Checks a list of students (`rows`: their row or line number and what was typed) against
/// each other and against the keys already on the visit. Every wrong row is named, under
/// [`STUDENTS_FIELD`], with its number: an empty or too long part, or the same student twice
/// (name + school + major) in the list or already on the visit.
pub fn checked_students(
    rows: &[(usize, StudentDraft)],
    already: &[StudentKey],
    row_word: &str,
) -> Result<Vec<Student>, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut seen: Vec<(StudentKey, usize)> = Vec::new();
    let on_visit: BTreeSet<&StudentKey> = already.iter().collect();
    let mut students = Vec::new();
    if rows.is_empty() {
        errors.push(FieldError {
            field: STUDENTS_FIELD,
            message: "至少填写一名学生".into(),
        });
    }
    if rows.len() > MAX_STUDENTS {
        errors.push(FieldError {
            field: STUDENTS_FIELD,
            message: format!("一次最多 {MAX_STUDENTS} 名学生"),
        });
        return Err(errors);
    }
    for (row, draft) in rows {
        let mut problems = Vec::new();
        let parts = [
            ("姓名", &draft.name, 20),
            ("学校", &draft.school, 40),
            ("专业", &draft.major, 40),
            ("年级", &draft.grade, 10),
        ];
        for (what, value, max) in parts {
            let value = cells::normalise(value);
            if value.is_empty() {
                problems.push(format!("{what}不能为空"));
            } else if value.chars().count() > max {
                problems.push(format!("{what}最多 {max} 个字"));
            }
        }
        let key = StudentKey::of(&draft.name, &draft.school, &draft.major);
        if problems.is_empty() {
            if let Some((_, first)) = seen.iter().find(|(k, _)| *k == key) {
                problems.push(format!(
                    "与第 {first} {row_word}是同一名学生（姓名、学校、专业相同），同一活动不能重复登记"
                ));
            } else if on_visit.contains(&key) {
                problems.push(format!(
                    "{}（{} {}）已在本次活动名单中，不能重复登记",
                    draft.name.trim(),
                    draft.school.trim(),
                    draft.major.trim()
                ));
            }
        }
        if !problems.is_empty() {
            errors.push(FieldError {
                field: STUDENTS_FIELD,
                message: format!("第 {row} {row_word}：{}", problems.join("；")),
            });
            continue;
        }
        seen.push((key.clone(), *row));
        students.push(Student {
            name: cells::normalise(&draft.name),
            school: cells::normalise(&draft.school),
            major: cells::normalise(&draft.major),
            grade: cells::normalise(&draft.grade),
            key,
        });
    }
    if errors.is_empty() {
        Ok(students)
    } else {
        Err(errors)
    }
}

fn checked_stops(errors: &mut Vec<FieldError>, stops: &[StopDraft]) -> Vec<Stop> {
    let mut checked = Vec::new();
    let typed: Vec<(usize, &StopDraft)> = stops
        .iter()
        .enumerate()
        .filter(|(_, s)| !s.kind.trim().is_empty() || !s.place.trim().is_empty())
        .collect();
    if typed.is_empty() {
        errors.push(FieldError {
            field: "行程",
            message: "至少安排一站（园区参观、龙头企业走访、政策解读会或特色文化体验）".into(),
        });
    }
    if typed.len() > MAX_STOPS {
        errors.push(FieldError {
            field: "行程",
            message: format!("最多 {MAX_STOPS} 站"),
        });
    }
    for (n, (_, stop)) in typed.iter().enumerate() {
        let kind = StopKind::parse(&stop.kind);
        let place = stop.place.trim();
        let problem = match (&kind, place.chars().count()) {
            (Err(_), _) if stop.kind.trim().is_empty() => Some("请选择类别".to_owned()),
            (Err(e), _) => Some(format!("类别{e}")),
            (_, 0) => Some("请填写地点".to_owned()),
            (_, len) if len > 60 => Some("地点最多 60 个字".to_owned()),
            _ => None,
        };
        match (problem, kind) {
            (Some(message), _) => errors.push(FieldError {
                field: "行程",
                message: format!("第 {} 站：{message}", n + 1),
            }),
            (None, Ok(kind)) => checked.push(Stop {
                kind,
                place: place.to_owned(),
            }),
            (None, Err(_)) => {}
        }
    }
    checked
}

/// A visit's day: in a year of the plan and no later than today.
fn visit_day(plan: &Plan, input: &str, today: NaiveDate) -> Result<NaiveDate, String> {
    let day = cells::parse_date(input)?;
    if day > today {
        return Err(format!("{day} 晚于今天"));
    }
    if !plan.years().contains(&day.year()) {
        return Err(format!("{day} 不在行动方案的年度内"));
    }
    Ok(day)
}

/// Checks a visit: a title, its day, at least one stop of a named kind at a place, and at
/// least one student, none twice. Every wrong field (and student row) is named.
pub fn validate_visit(
    plan: &Plan,
    draft: &VisitDraft,
    today: NaiveDate,
) -> Result<ValidVisit, Vec<FieldError>> {
    let mut errors = Vec::new();
    let title = checked_text_up_to(&mut errors, "活动名称", &draft.title, true, 60);
    let visited_on = visit_day(plan, &draft.visited_on, today)
        .map_err(|message| {
            errors.push(FieldError {
                field: "活动日期",
                message,
            })
        })
        .ok();
    let stops = checked_stops(&mut errors, &draft.stops);
    let students = checked_students(&draft.students, &[], "行")
        .map_err(|e| errors.extend(e))
        .ok();
    let note = checked_text_up_to(&mut errors, "备注", &draft.note, false, 500);
    match (visited_on, students) {
        (Some(visited_on), Some(students)) if errors.is_empty() => Ok(ValidVisit {
            title,
            visited_on,
            assisted: draft.assisted,
            stops,
            students,
            note,
        }),
        _ => Err(errors),
    }
}

/// One visit as the count sees it: its id, organising unit, day and its students' keys.
#[derive(Debug, Clone)]
pub struct CountedVisit {
    pub id: i64,
    pub unit: String,
    pub visited_on: NaiveDate,
    pub students: Vec<StudentKey>,
}

/// How many students each visit adds to 1.3.3.students: those on their first visit of the
/// year with that unit (by date, then id). Returns (visit id, unit, day, students counted),
/// visits adding none left out.
pub fn counted_students(visits: &[CountedVisit]) -> Vec<(i64, String, NaiveDate, i64)> {
    let mut ordered: Vec<&CountedVisit> = visits.iter().collect();
    ordered.sort_by_key(|v| (v.visited_on, v.id));
    let mut seen: BTreeSet<(&str, i32, &StudentKey)> = BTreeSet::new();
    let mut counted = Vec::new();
    for v in ordered {
        let new = v
            .students
            .iter()
            .filter(|k| seen.insert((v.unit.as_str(), v.visited_on.year(), k)))
            .count() as i64;
        if new > 0 {
            counted.push((v.id, v.unit.clone(), v.visited_on, new));
        }
    }
    counted
}

#[cfg(test)]
mod tests;
