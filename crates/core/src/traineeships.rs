//! Traineeships and skills training of unplaced graduates (就业见习 / 就业技能培训, task 1.1.4):
//! 落实"1131"服务 … 加强就业技能培训，优先推荐参加就业见习.
//!
//! 区人社局 (the task's lead) keeps the traineeship bases (就业见习基地): an employer with a
//! number of traineeship places a year. A graduate of the roster is placed at an active base
//! that still has places in the start's year, unless already in an ongoing traineeship; the
//! outcome is recorded when it ends, and a graduate hired by the base counts as placed. A
//! graduate may also be enrolled in a skills-training course. Each traineeship and each course
//! is a 1131 service of the item "培训或见习".
//!
//! **What 1.1.4's figure `1.1.4.trainees` counts** (the seed gives no number: an activity
//! indicator, 无目标值): each traineeship and each course (人次), on its start day, for the unit
//! that recorded it (the graduate's street or 区人社局).

use chrono::{Months, NaiveDate};

use crate::cells;
use crate::field::{FieldError, checked_text_up_to, note, past_day};
use crate::people::{Placement, service_day};
use crate::phone::Phone;
use crate::plan::{Plan, UnitKind};
use crate::uscc::Uscc;

/// The task of the traineeships.
pub const TASK: &str = "1.1.4";

/// The longest traineeship: 见习期限一般为 3—12 个月 (人社部发〔2018〕36号).
pub const MAX_MONTHS: u32 = 12;

vocabulary!(
    /// Whether a base still takes trainees.
    BaseStatus, "基地状态" {
        Active = "active", "在册";
        Withdrawn = "withdrawn", "已撤销";
    }
);

vocabulary!(
    /// How a traineeship went.
    Outcome, "见习结果" {
        Ongoing = "ongoing", "在岗见习中";
        Hired = "hired", "见习期满留用";
        Completed = "completed", "期满未留用";
        Quit = "quit", "中途退出";
    }
);

vocabulary!(
    /// How a skills-training course ended for the graduate.
    CourseResult, "培训结果" {
        Completed = "completed", "结业";
        Certified = "certified", "取得证书";
        NotCompleted = "not_completed", "未结业";
    }
);

/// A traineeship base as typed into its form.
#[derive(Debug, Clone, Default)]
pub struct BaseDraft {
    pub name: String,
    pub employer: String,
    pub uscc: String,
    pub street: String,
    pub places: String,
    pub posts: String,
    pub contact_name: String,
    pub contact_phone: String,
    pub recognised_on: String,
}

/// A checked base; a new base is active.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidBase {
    pub name: String,
    pub employer: String,
    pub uscc: Option<Uscc>,
    pub street_code: String,
    pub places: i64,
    pub posts: String,
    pub contact_name: String,
    pub contact_phone: Phone,
    pub recognised_on: NaiveDate,
}

/// The places a base offers a year: a whole number from 1 to 10,000.
fn places(input: &str) -> Result<i64, String> {
    match cells::parse_count(input) {
        Ok(n) if (1..=10_000).contains(&n) => Ok(n),
        Ok(n) => Err(format!("须为 1—10000 之间的整数（收到 {n}）")),
        Err(_) if input.trim().is_empty() => Err("请填写每年见习岗位数".into()),
        Err(e) => Err(e),
    }
}

/// A street of the district by code or name.
fn street(plan: &Plan, input: &str) -> Result<String, String> {
    let code = input.trim();
    if code.is_empty() {
        return Err("请选择".into());
    }
    plan.units
        .iter()
        .find(|u| u.kind == UnitKind::Street && (u.code == code || u.name == code))
        .map(|u| u.code.clone())
        .ok_or_else(|| format!("“{code}”不是东西湖区的街道"))
}

/// Checks a base as typed in; every wrong field is reported, in the form's order. The USCC
/// is optional (an institution may have none at hand), the contact phone required.
pub fn validate_base(
    plan: &Plan,
    draft: &BaseDraft,
    today: NaiveDate,
) -> Result<ValidBase, Vec<FieldError>> {
    let mut errors = Vec::new();
    let name = checked_text_up_to(&mut errors, "基地名称", &draft.name, true, 100);
    let employer = checked_text_up_to(&mut errors, "依托单位", &draft.employer, true, 100);
    let uscc = match draft.uscc.trim() {
        "" => Some(None),
        text => note(
            &mut errors,
            "统一社会信用代码",
            Uscc::parse(text).map(Some).map_err(|e| e.to_string()),
        ),
    };
    let street_code = note(&mut errors, "所在街道", street(plan, &draft.street));
    let places = note(&mut errors, "每年见习岗位数", places(&draft.places));
    let posts = checked_text_up_to(&mut errors, "见习岗位（职业）", &draft.posts, true, 200);
    let contact_name = checked_text_up_to(&mut errors, "联系人", &draft.contact_name, true, 50);
    let contact_phone = note(
        &mut errors,
        "联系电话",
        Phone::parse(&draft.contact_phone).map_err(|e| e.to_string()),
    );
    let recognised_on = note(
        &mut errors,
        "认定日期",
        past_day(&draft.recognised_on, today),
    );
    match (uscc, street_code, places, contact_phone, recognised_on) {
        (Some(uscc), Some(street_code), Some(places), Some(contact_phone), Some(recognised_on))
            if errors.is_empty() =>
        {
            Ok(ValidBase {
                name,
                employer,
                uscc,
                street_code,
                places,
                posts,
                contact_name,
                contact_phone,
                recognised_on,
            })
        }
        _ => Err(errors),
    }
}

/// A traineeship as typed into the graduate's page.
#[derive(Debug, Clone, Default)]
pub struct TraineeshipDraft {
    pub base: String,
    pub starts_on: String,
    pub planned_end_on: String,
    pub ended_on: String,
    pub outcome: String,
}

/// A checked traineeship; whether the base takes it is [`admit`]'s to say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidTraineeship {
    pub base_id: i64,
    pub starts_on: NaiveDate,
    pub planned_end_on: NaiveDate,
    pub end: ValidEnd,
}

/// How a traineeship stands: ongoing, or ended on a day with an outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ValidEnd {
    pub outcome: Outcome,
    pub ended_on: Option<NaiveDate>,
}

/// The outcome and the actual end of a traineeship that started on `starts_on`: none while
/// ongoing; once it ended, the day it did, not before the start nor after today.
pub fn validate_end(
    outcome: &str,
    ended_on: &str,
    starts_on: Option<NaiveDate>,
    today: NaiveDate,
) -> Result<ValidEnd, Vec<FieldError>> {
    let mut errors = Vec::new();
    let outcome = match outcome.trim() {
        "" => Some(Outcome::Ongoing),
        text => note(&mut errors, "见习结果", Outcome::parse(text)),
    };
    let ended_on = match (outcome, ended_on.trim()) {
        (Some(Outcome::Ongoing), "") | (None, _) => None,
        (Some(Outcome::Ongoing), _) => note::<NaiveDate>(
            &mut errors,
            "实际结束日期",
            Err("在岗见习中不填实际结束日期".into()),
        ),
        (Some(_), text) => {
            let day = match (starts_on, past_day(text, today)) {
                (Some(start), Ok(end)) if end < start => {
                    Err(format!("{end} 早于见习开始日期 {start}"))
                }
                (_, parsed) => parsed,
            };
            note(&mut errors, "实际结束日期", day)
        }
    };
    match outcome {
        Some(outcome) if errors.is_empty() => Ok(ValidEnd { outcome, ended_on }),
        _ => Err(errors),
    }
}

/// Checks a traineeship as typed in for a graduate of the roster of `graduation_year`: the
/// start is a 1131 service day (not before that year, not after today); the planned end is
/// after the start and within [`MAX_MONTHS`]; the outcome as [`validate_end`] says.
pub fn validate_traineeship(
    draft: &TraineeshipDraft,
    today: NaiveDate,
    graduation_year: i64,
) -> Result<ValidTraineeship, Vec<FieldError>> {
    let mut errors = Vec::new();
    let base_id = match draft.base.trim() {
        "" => note(&mut errors, "见习基地", Err("请选择".into())),
        text => note(
            &mut errors,
            "见习基地",
            text.parse::<i64>()
                .map_err(|_| format!("“{text}”不是基地编号")),
        ),
    };
    let starts_on = match draft.starts_on.trim() {
        "" => note(&mut errors, "见习开始日期", Err("不能为空".into())),
        text => note(
            &mut errors,
            "见习开始日期",
            service_day(text, today, graduation_year),
        ),
    };
    let planned = match (starts_on, cells::parse_date(&draft.planned_end_on)) {
        (_, Err(_)) if draft.planned_end_on.trim().is_empty() => Err("不能为空".into()),
        (Some(start), Ok(end)) if end <= start => Err(format!("{end} 不晚于见习开始日期 {start}")),
        (Some(start), Ok(end)) if start.checked_add_months(Months::new(MAX_MONTHS)) < Some(end) => {
            Err(format!("见习期限最长 {MAX_MONTHS} 个月"))
        }
        (_, parsed) => parsed,
    };
    let planned_end_on = note(&mut errors, "计划结束日期", planned);
    let end = validate_end(&draft.outcome, &draft.ended_on, starts_on, today)
        .map_err(|e| errors.extend(e))
        .ok();
    match (base_id, starts_on, planned_end_on, end) {
        (Some(base_id), Some(starts_on), Some(planned_end_on), Some(end)) if errors.is_empty() => {
            Ok(ValidTraineeship {
                base_id,
                starts_on,
                planned_end_on,
                end,
            })
        }
        _ => Err(errors),
    }
}

/// A base as the store finds it when a graduate is placed there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseFacts {
    pub name: String,
    pub status: BaseStatus,
    pub places: i64,
    /// Traineeships at the base that start in the year of the new one.
    pub used: i64,
}

/// May the graduate start a traineeship at `base`? Not at a base that does not exist, is
/// withdrawn or has no places left in the start's year; not while in an ongoing traineeship
/// (`ongoing` names its base).
pub fn admit(base: Option<&BaseFacts>, ongoing: Option<&str>, year: i32) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let field = "见习基地";
    match base {
        None => note::<()>(&mut errors, field, Err("该基地不存在".into())),
        Some(b) if b.status == BaseStatus::Withdrawn => note::<()>(
            &mut errors,
            field,
            Err(format!("{}已撤销，不能登记见习", b.name)),
        ),
        Some(b) if b.used >= b.places => note::<()>(
            &mut errors,
            field,
            Err(format!(
                "{} {year} 年的 {} 个见习岗位已满",
                b.name, b.places
            )),
        ),
        Some(_) => None,
    };
    if let Some(base) = ongoing {
        note::<()>(
            &mut errors,
            "毕业生",
            Err(format!("正在{base}见习中，请先登记该见习的结果")),
        );
    }
    errors
}

/// The placement a traineeship's outcome gives a graduate who is `now`: employed when hired by
/// the base and not yet placed; nothing otherwise (an earlier placement stands).
pub fn placement_on(outcome: Outcome, now: Placement) -> Option<Placement> {
    (outcome == Outcome::Hired && !now.is_placed()).then_some(Placement::Employed)
}

/// The evidence written with a placement by a base's hire.
pub fn hire_evidence(base: &str) -> String {
    format!("就业见习基地留用：{base}")
}

/// The note of the 1131 service a traineeship writes.
pub fn traineeship_note(base: &str) -> String {
    format!("就业见习：{base}")
}

/// The note of the 1131 service a course writes.
pub fn course_note(course: &str) -> String {
    format!("技能培训：{course}")
}

/// A skills-training course as typed into the graduate's page.
#[derive(Debug, Clone, Default)]
pub struct CourseDraft {
    pub course: String,
    pub provider: String,
    pub starts_on: String,
    pub ends_on: String,
    pub result: String,
    pub certificate: String,
}

/// A checked course enrolment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidCourse {
    pub course: String,
    pub provider: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub result: CourseResult,
    pub certificate: String,
}

/// Checks a course as typed in for a graduate of the roster of `graduation_year`: the start
/// is a 1131 service day; the end not before it (and past, once the course is finished); a
/// certificate is named when obtained, and only then.
pub fn validate_course(
    draft: &CourseDraft,
    today: NaiveDate,
    graduation_year: i64,
) -> Result<ValidCourse, Vec<FieldError>> {
    let mut errors = Vec::new();
    let course = checked_text_up_to(&mut errors, "培训项目", &draft.course, true, 100);
    let provider = checked_text_up_to(&mut errors, "培训机构", &draft.provider, true, 100);
    let starts_on = match draft.starts_on.trim() {
        "" => note(&mut errors, "培训开始日期", Err("不能为空".into())),
        text => note(
            &mut errors,
            "培训开始日期",
            service_day(text, today, graduation_year),
        ),
    };
    let result = match draft.result.trim() {
        "" => note(&mut errors, "培训结果", Err("请选择".into())),
        text => note(&mut errors, "培训结果", CourseResult::parse(text)),
    };
    let finished = result.is_some_and(|r| r != CourseResult::NotCompleted);
    let ends = match (starts_on, cells::parse_date(&draft.ends_on)) {
        (_, Err(_)) if draft.ends_on.trim().is_empty() => Err("不能为空".into()),
        (Some(start), Ok(end)) if end < start => Err(format!("{end} 早于培训开始日期 {start}")),
        (_, Ok(end)) if finished && end > today => Err(format!("{end} 晚于今天，尚未结业")),
        (_, parsed) => parsed,
    };
    let ends_on = note(&mut errors, "培训结束日期", ends);
    let certificate = checked_text_up_to(&mut errors, "证书名称", &draft.certificate, false, 100);
    match result {
        Some(CourseResult::Certified) if certificate.is_empty() => {
            note::<()>(
                &mut errors,
                "证书名称",
                Err("取得证书的须填写证书名称".into()),
            );
        }
        Some(CourseResult::Completed | CourseResult::NotCompleted) if !certificate.is_empty() => {
            note::<()>(
                &mut errors,
                "证书名称",
                Err("未取得证书的不填证书名称".into()),
            );
        }
        _ => {}
    }
    match (starts_on, ends_on, result) {
        (Some(starts_on), Some(ends_on), Some(result)) if errors.is_empty() => Ok(ValidCourse {
            course,
            provider,
            starts_on,
            ends_on,
            result,
            certificate,
        }),
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests;
