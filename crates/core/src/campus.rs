//! Campus programmes (“创业培训进校园”, task 1.2.1, and 1.1.2's 一校一策): universities and the
//! district's liaison stations at them, campus activities by kind, internship bases and
//! internship placements, and one recruitment plan per university and year.
//!
//! 东政办〔2025〕3号 任务 1.2.1: 依托区内高校和我区驻高校大学生就业创业服务联络站……定期开展政策宣传、
//! 结对辅导、研讨交流、实习实训、创新实践等大学生创业活动。依托网安基地企业，建立武大、华科网安学院
//! 实习实训基地。附件: 团区委、区人社局各开展政策宣传活动2场，每年组织80/80/70/70名大学生实习实训。
//! 任务 1.1.2: 根据高校重点学科特点和毕业生就业需求，结合东西湖区产业发展布局，“一校一策”制定招聘方案。
//!
//! How the figures count (our reading, shown on the page):
//! * 1.2.1.policy_events: each 政策宣传 activity, for its organising unit, on the day it was held.
//! * 1.2.1.interns: each student placed, for the organising unit, on the placement's start day;
//!   a student (university and student number) counts once per unit and year, at the first
//!   placement of that year — a second placement with the same unit adds nothing, one with
//!   another unit counts for that unit. A placement that ends early (中止) still counted: the
//!   student was organised to go.

use chrono::{Datelike, NaiveDate};

use crate::cells;
use crate::field::{FieldError, checked_text_up_to};
use crate::industry::LeadingIndustry;
use crate::phone::Phone;
use crate::uscc::Uscc;

/// The plan task of the campus activities and internships.
pub const TASK: &str = "1.2.1";
/// The plan task whose 一校一策 recruitment plans are kept here.
pub const PLAN_TASK: &str = "1.1.2";

/// The units that record campus programmes, each its own: the units of 1.2.1 with a figure or
/// a base to build (团区委, 区人社局, 区经科局, 现代服务业产业办).
pub const UNITS: [&str; 4] = ["tuanquwei", "rsj", "jkj", "xiandaifuwu"];

/// Is `unit` one of the units that record campus programmes?
pub fn is_campus_unit(unit: &str) -> bool {
    UNITS.contains(&unit)
}

vocabulary!(
    /// The kinds of campus activity the task names.
    ActivityKind, "活动类型" {
        PolicyPublicity = "policy_publicity", "政策宣传";
        Pairing = "pairing", "结对辅导";
        Seminar = "seminar", "研讨交流";
        Internship = "internship", "实习实训";
        Innovation = "innovation", "创新实践";
    }
);

vocabulary!(
    /// How an internship placement ended.
    InternshipOutcome, "实习结果" {
        Completed = "completed", "完成";
        Stopped = "stopped", "中止";
        Retained = "retained", "留用";
    }
);

fn note<T>(errors: &mut Vec<FieldError>, field: &'static str, r: Result<T, String>) -> Option<T> {
    r.map_err(|message| errors.push(FieldError { field, message }))
        .ok()
}

/// A day no later than today and not before 2000.
fn past_day(input: &str, today: NaiveDate) -> Result<NaiveDate, String> {
    if input.trim().is_empty() {
        return Err("请填写日期".into());
    }
    match cells::parse_date(input) {
        Ok(day) if day > today => Err(format!("{day} 晚于今天")),
        Ok(day) if day.year() < 2000 => Err(format!("{day} 早于 2000 年")),
        other => other,
    }
}

/// A university chosen from the list, by its id.
fn university(input: &str) -> Result<i64, String> {
    match input.trim() {
        "" => Err("请选择高校".into()),
        text => text
            .parse::<i64>()
            .map_err(|_| format!("“{text}”不是平台登记的高校")),
    }
}

/// A whole number of people (zero or more).
fn count(input: &str) -> Result<i64, String> {
    cells::parse_count(input)
}

/// A university as typed in.
pub fn validate_university(name: &str) -> Result<String, Vec<FieldError>> {
    let mut errors = Vec::new();
    let name = checked_text_up_to(&mut errors, "高校名称", name, true, 60);
    if errors.is_empty() {
        Ok(name)
    } else {
        Err(errors)
    }
}

/// A liaison station as typed in.
#[derive(Debug, Clone, Default)]
pub struct StationDraft {
    pub university: String,
    pub contact_name: String,
    pub contact_phone: String,
    pub opened_on: String,
}

/// A checked liaison station; its host unit is the recording unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidStation {
    pub university_id: i64,
    pub contact_name: String,
    pub contact_phone: Option<Phone>,
    pub opened_on: NaiveDate,
}

/// Checks a station: the university, a contact person (optional) and their phone (optional,
/// kept encrypted), the day it opened.
pub fn validate_station(
    draft: &StationDraft,
    today: NaiveDate,
) -> Result<ValidStation, Vec<FieldError>> {
    let mut errors = Vec::new();
    let university_id = note(&mut errors, "高校", university(&draft.university));
    let contact_name = checked_text_up_to(&mut errors, "联系人", &draft.contact_name, false, 20);
    let contact_phone = match draft.contact_phone.trim() {
        "" => Some(None),
        text => note(
            &mut errors,
            "联系电话",
            Phone::parse(text).map(Some).map_err(|e| e.to_string()),
        ),
    };
    let opened_on = note(&mut errors, "设立日期", past_day(&draft.opened_on, today));
    match (university_id, contact_phone, opened_on) {
        (Some(university_id), Some(contact_phone), Some(opened_on)) if errors.is_empty() => {
            Ok(ValidStation {
                university_id,
                contact_name,
                contact_phone,
                opened_on,
            })
        }
        _ => Err(errors),
    }
}

/// A campus activity as typed in.
#[derive(Debug, Clone, Default)]
pub struct ActivityDraft {
    pub kind: String,
    pub university: String,
    pub held_on: String,
    pub participants: String,
    pub note: String,
}

/// A checked campus activity; its organiser is the recording unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidActivity {
    pub kind: ActivityKind,
    pub university_id: i64,
    pub held_on: NaiveDate,
    pub participants: i64,
    pub note: String,
}

/// Checks an activity: its kind, the university, the day held (not in the future), how many
/// took part, a note.
pub fn validate_activity(
    draft: &ActivityDraft,
    today: NaiveDate,
) -> Result<ValidActivity, Vec<FieldError>> {
    let mut errors = Vec::new();
    let kind = match draft.kind.trim() {
        "" => note(&mut errors, "活动类型", Err("请选择活动类型".into())),
        text => note(&mut errors, "活动类型", ActivityKind::parse(text)),
    };
    let university_id = note(&mut errors, "高校", university(&draft.university));
    let held_on = note(&mut errors, "活动日期", past_day(&draft.held_on, today));
    let participants = note(&mut errors, "参与人数", count(&draft.participants));
    let note_text = checked_text_up_to(&mut errors, "活动内容", &draft.note, true, 300);
    match (kind, university_id, held_on, participants) {
        (Some(kind), Some(university_id), Some(held_on), Some(participants))
            if errors.is_empty() =>
        {
            Ok(ValidActivity {
                kind,
                university_id,
                held_on,
                participants,
                note: note_text,
            })
        }
        _ => Err(errors),
    }
}

/// The host employer: a registered employer (by USCC) or, when it is not registered, its name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HostEmployer {
    Registered(Uscc),
    Named(String),
}

fn host_employer(errors: &mut Vec<FieldError>, uscc: &str, name: &str) -> Option<HostEmployer> {
    match (uscc.trim(), name.trim()) {
        ("", "") => note(
            errors,
            "接收单位",
            Err("请填写接收单位的统一社会信用代码或名称".into()),
        ),
        ("", _) => {
            let name = checked_text_up_to(errors, "接收单位", name, true, 60);
            Some(HostEmployer::Named(name))
        }
        (code, _) => note(
            errors,
            "统一社会信用代码",
            Uscc::parse(code)
                .map(HostEmployer::Registered)
                .map_err(|e| e.to_string()),
        ),
    }
}

/// An internship base as typed in.
#[derive(Debug, Clone, Default)]
pub struct BaseDraft {
    pub name: String,
    pub employer_uscc: String,
    pub employer_name: String,
    /// The partner universities or colleges, one a line (or separated by 、 or ；).
    pub partners: String,
    pub places: String,
}

/// A checked internship base; its unit is the recording unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidBase {
    pub name: String,
    pub employer: HostEmployer,
    pub partners: Vec<String>,
    pub places: i64,
}

/// Checks a base: its name, host employer, at least one partner university or college, and
/// how many places it offers (at least one).
pub fn validate_base(draft: &BaseDraft) -> Result<ValidBase, Vec<FieldError>> {
    let mut errors = Vec::new();
    let name = checked_text_up_to(&mut errors, "基地名称", &draft.name, true, 60);
    let employer = host_employer(&mut errors, &draft.employer_uscc, &draft.employer_name);
    let partners: Vec<String> = draft
        .partners
        .split(['\n', '、', '；', ';'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_owned)
        .collect();
    if partners.is_empty() {
        errors.push(FieldError {
            field: "合作院校",
            message: "请至少填写一所合作高校或学院".into(),
        });
    } else if partners.iter().any(|p| p.chars().count() > 60) {
        errors.push(FieldError {
            field: "合作院校",
            message: "每所院校最多 60 个字".into(),
        });
    }
    let places = match count(&draft.places) {
        Ok(0) => note(&mut errors, "实习岗位数", Err("至少 1 个".into())),
        other => note(&mut errors, "实习岗位数", other),
    };
    match (employer, places) {
        (Some(employer), Some(places)) if errors.is_empty() => Ok(ValidBase {
            name,
            employer,
            partners,
            places,
        }),
        _ => Err(errors),
    }
}

/// An internship placement as typed in.
#[derive(Debug, Clone, Default)]
pub struct PlacementDraft {
    pub student_name: String,
    pub student_no: String,
    pub university: String,
    pub major: String,
    pub employer_uscc: String,
    pub employer_name: String,
    /// The base it is at (its id), if any.
    pub base: String,
    pub starts_on: String,
    pub ends_on: String,
    pub outcome: String,
}

/// A checked placement; its organising unit is the recording unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidPlacement {
    pub student_name: String,
    /// 学号: with the university, what makes a student count once per unit and year.
    pub student_no: String,
    pub university_id: i64,
    pub major: String,
    pub employer: HostEmployer,
    pub base_id: Option<i64>,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub outcome: Option<InternshipOutcome>,
}

/// 学号: 4 to 20 letters and digits.
fn student_no(input: &str) -> Result<String, String> {
    let text = cells::normalise(input).trim().to_uppercase();
    if text.is_empty() {
        return Err("请填写学号".into());
    }
    if !(4..=20).contains(&text.len()) || !text.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(format!(
            "“{}”不是有效的学号（4 至 20 位字母或数字）",
            input.trim()
        ));
    }
    Ok(text)
}

/// The end of a placement: on or after its start; an outcome needs the placement ended.
fn end_day(input: &str, starts_on: Option<NaiveDate>) -> Result<NaiveDate, String> {
    if input.trim().is_empty() {
        return Err("请填写结束日期".into());
    }
    let day = cells::parse_date(input)?;
    match starts_on {
        Some(start) if day < start => Err(format!("结束日期 {day} 早于开始日期 {start}")),
        _ => Ok(day),
    }
}

/// Checks a placement: the student (name, 学号, university, major), the host employer, the
/// base if any, the start (not in the future) and the end (not before the start), and the
/// outcome once known (only after the placement has ended, or 中止 at any time).
pub fn validate_placement(
    draft: &PlacementDraft,
    today: NaiveDate,
) -> Result<ValidPlacement, Vec<FieldError>> {
    let mut errors = Vec::new();
    let student_name = checked_text_up_to(&mut errors, "学生姓名", &draft.student_name, true, 20);
    let student_no = note(&mut errors, "学号", student_no(&draft.student_no));
    let university_id = note(&mut errors, "高校", university(&draft.university));
    let major = checked_text_up_to(&mut errors, "专业", &draft.major, true, 40);
    let employer = host_employer(&mut errors, &draft.employer_uscc, &draft.employer_name);
    let base_id = match draft.base.trim() {
        "" => Some(None),
        text => note(
            &mut errors,
            "实习实训基地",
            text.parse::<i64>()
                .map(Some)
                .map_err(|_| format!("“{text}”不是平台登记的实习实训基地")),
        ),
    };
    let starts_on = note(&mut errors, "开始日期", past_day(&draft.starts_on, today));
    let ends_on = note(&mut errors, "结束日期", end_day(&draft.ends_on, starts_on));
    let outcome = match draft.outcome.trim() {
        "" => Some(None),
        text => note(
            &mut errors,
            "实习结果",
            outcome_on(text, ends_on, today).map(Some),
        ),
    };
    match (
        student_no,
        university_id,
        employer,
        base_id,
        starts_on,
        ends_on,
        outcome,
    ) {
        (
            Some(student_no),
            Some(university_id),
            Some(employer),
            Some(base_id),
            Some(starts_on),
            Some(ends_on),
            Some(outcome),
        ) if errors.is_empty() => Ok(ValidPlacement {
            student_name,
            student_no,
            university_id,
            major,
            employer,
            base_id,
            starts_on,
            ends_on,
            outcome,
        }),
        _ => Err(errors),
    }
}

/// An outcome for a placement ending on `ends_on`: 中止 at any time, 完成 and 留用 once ended.
fn outcome_on(
    input: &str,
    ends_on: Option<NaiveDate>,
    today: NaiveDate,
) -> Result<InternshipOutcome, String> {
    let outcome = InternshipOutcome::parse(input)?;
    match ends_on {
        Some(end) if outcome != InternshipOutcome::Stopped && end > today => {
            Err(format!("实习至 {end} 结束，结束前只能登记“中止”"))
        }
        _ => Ok(outcome),
    }
}

/// Checks the outcome recorded later on a placement ending on `ends_on`.
pub fn validate_outcome(
    input: &str,
    ends_on: NaiveDate,
    today: NaiveDate,
) -> Result<InternshipOutcome, Vec<FieldError>> {
    let checked = if input.trim().is_empty() {
        Err("请选择实习结果".into())
    } else {
        outcome_on(input, Some(ends_on), today)
    };
    checked.map_err(|message| {
        vec![FieldError {
            field: "实习结果",
            message,
        }]
    })
}

/// A recruitment plan (一校一策) as typed in.
#[derive(Debug, Clone, Default)]
pub struct PlanDraft {
    pub university: String,
    pub year: String,
    pub disciplines: String,
    pub wishes: String,
    /// Codes (or names) of the plan's leading industries that fit.
    pub industries: Vec<String>,
    pub fairs_planned: String,
}

/// A checked recruitment plan; its unit is the recording unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidPlan {
    pub university_id: i64,
    pub year: i32,
    pub disciplines: String,
    pub wishes: String,
    pub industries: Vec<LeadingIndustry>,
    pub fairs_planned: i64,
}

/// Checks a recruitment plan: the university, a year of the action plan, the key disciplines
/// and the graduates' wishes, at least one fitting industry, the campus fairs planned.
pub fn validate_plan(
    draft: &PlanDraft,
    years: std::ops::RangeInclusive<i32>,
) -> Result<ValidPlan, Vec<FieldError>> {
    let mut errors = Vec::new();
    let university_id = note(&mut errors, "高校", university(&draft.university));
    let year = note(
        &mut errors,
        "年度",
        draft
            .year
            .trim()
            .parse::<i32>()
            .ok()
            .filter(|y| years.contains(y))
            .ok_or_else(|| format!("年度应为 {} 至 {} 年之一", years.start(), years.end())),
    );
    let disciplines = checked_text_up_to(&mut errors, "重点学科", &draft.disciplines, true, 200);
    let wishes = checked_text_up_to(&mut errors, "毕业生就业需求", &draft.wishes, true, 500);
    let mut industries = Vec::new();
    for code in draft.industries.iter().filter(|c| !c.trim().is_empty()) {
        match LeadingIndustry::parse(code) {
            Ok(i) if !industries.contains(&i) => industries.push(i),
            Ok(_) => {}
            Err(message) => errors.push(FieldError {
                field: "对接产业",
                message,
            }),
        }
    }
    if industries.is_empty() && !errors.iter().any(|e| e.field == "对接产业") {
        errors.push(FieldError {
            field: "对接产业",
            message: "请至少选择一个对接的主导产业".into(),
        });
    }
    let fairs_planned = note(&mut errors, "计划校园招聘场次", count(&draft.fairs_planned));
    match (university_id, year, fairs_planned) {
        (Some(university_id), Some(year), Some(fairs_planned)) if errors.is_empty() => {
            Ok(ValidPlan {
                university_id,
                year,
                disciplines,
                wishes,
                industries,
                fairs_planned,
            })
        }
        _ => Err(errors),
    }
}

/// The industries of a plan as stored: their codes, comma-separated.
pub fn industries_code(industries: &[LeadingIndustry]) -> String {
    industries
        .iter()
        .map(|i| i.code())
        .collect::<Vec<_>>()
        .join(",")
}

/// The industries of a plan from their stored codes (unknown codes are skipped).
pub fn industries_of(stored: &str) -> Vec<LeadingIndustry> {
    stored
        .split(',')
        .filter_map(|c| LeadingIndustry::parse(c).ok())
        .collect()
}

/// Which placements count for 1.2.1.interns: given placements as (id, organising unit, student
/// key, start day), the ids of those that count — each student's first placement (by start
/// day, then id) with a unit in a year. The store's SQL says the same; this is the reference.
pub fn counted_placements<'a>(
    placements: impl IntoIterator<Item = (i64, &'a str, &'a str, NaiveDate)>,
) -> Vec<i64> {
    let mut sorted: Vec<_> = placements.into_iter().collect();
    sorted.sort_by_key(|(id, _, _, day)| (*day, *id));
    let mut seen = std::collections::BTreeSet::new();
    sorted
        .into_iter()
        .filter(|(_, unit, student, day)| seen.insert((*unit, *student, day.year())))
        .map(|(id, _, _, _)| id)
        .collect()
}

#[cfg(test)]
mod tests;
