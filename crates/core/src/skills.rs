//! Returnee skills training (返区人员职业技能培训, task 2.4.4): 组织高素质农民等各类返区人才培训
//! … 开展返区人员职业技能培训，提升其技能水平 (区人社局 lead; 区农业农村局, 区科服中心 and the
//! streets cooperate).
//!
//! A class has a kind, an organising unit of 2.4.4 (its own staff record it), a title and a
//! period; its trainees come from the out-migrant/returnee registry by resident ID, each with a
//! certificate obtained or not (and the certificate's name, optional).
//!
//! **What 2.4.4's figure counts** (the seed gives no number: an activity indicator, 无目标值):
//! trainees (人次), for the organising unit on the class's end day.

use chrono::NaiveDate;

use crate::field::{FieldError, checked_text_up_to, note, past_day};
use crate::plan::Plan;
use crate::resident::ResidentId;

/// The task of the skills training.
pub const TASK: &str = "2.4.4";

/// At most this many trainees are typed into one class.
pub const MAX_TRAINEES: usize = 500;

vocabulary!(
    /// What kind of class.
    ClassKind, "培训类型" {
        Farmers = "farmers", "高素质农民培训";
        Vocational = "vocational", "职业技能培训";
        Other = "other", "其他";
    }
);

/// Is `unit` one of 2.4.4's lead or cooperating units?
pub fn in_task(plan: &Plan, unit: &str) -> bool {
    plan.tasks.iter().any(|t| {
        t.code == TASK
            && (t.lead_units.iter().any(|u| u == unit)
                || t.cooperating_units.iter().any(|u| u == unit))
    })
}

/// A class as typed into its form; `trainees` holds one trainee a line: the resident ID, then
/// optionally 是/否 (certificate obtained; 否 when left out) and the certificate's name (a name
/// alone means 是).
#[derive(Debug, Clone, Default)]
pub struct ClassDraft {
    pub kind: String,
    pub title: String,
    pub starts_on: String,
    pub ends_on: String,
    pub trainees: String,
}

/// One trainee line, checked: the ID, whether a certificate was obtained, its name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TraineeLine {
    pub id: ResidentId,
    pub certified: bool,
    pub certificate: String,
}

/// A checked class; the store finds the trainees in the registry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidClass {
    pub kind: ClassKind,
    pub title: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub trainees: Vec<TraineeLine>,
}

/// One line of the trainee list, or why it is wrong.
fn trainee_line(line: &str) -> Result<TraineeLine, String> {
    let mut parts = line
        .split(|c: char| c == ',' || c == '，' || c == '\t' || c.is_whitespace())
        .map(str::trim)
        .filter(|p| !p.is_empty());
    let id = ResidentId::parse(parts.next().unwrap_or_default()).map_err(|e| e.to_string())?;
    let rest: Vec<&str> = parts.collect();
    let (certified, name) = match rest.first().copied() {
        None => (false, Vec::new()),
        Some("否") if rest.len() > 1 => return Err("未取得证书的不填证书名称".into()),
        Some("否") => (false, Vec::new()),
        Some("是") => (true, rest[1..].to_vec()),
        Some(_) => (true, rest),
    };
    let certificate = name.join(" ");
    if certificate.chars().count() > 100 {
        return Err("证书名称最多 100 个字".into());
    }
    Ok(TraineeLine {
        id,
        certified,
        certificate,
    })
}

/// The trainee list as typed: every line checked, each person named once.
fn trainee_list(errors: &mut Vec<FieldError>, typed: &str) -> Vec<TraineeLine> {
    let lines: Vec<&str> = typed
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let field = "参训人员";
    if lines.is_empty() {
        note::<()>(
            errors,
            field,
            Err("请填写参训人员的身份证号码，每行一人".into()),
        );
        return Vec::new();
    }
    if lines.len() > MAX_TRAINEES {
        note::<()>(
            errors,
            field,
            Err(format!("一次最多登记 {MAX_TRAINEES} 人")),
        );
        return Vec::new();
    }
    let mut out: Vec<TraineeLine> = Vec::new();
    for (n, line) in lines.into_iter().enumerate() {
        match trainee_line(line) {
            Ok(t) if out.iter().any(|o| o.id == t.id) => {
                note::<()>(errors, field, Err(format!("第{}行：号码重复", n + 1)));
            }
            Ok(t) => out.push(t),
            Err(why) => {
                note::<()>(errors, field, Err(format!("第{}行：{why}", n + 1)));
            }
        }
    }
    out
}

/// Checks a class as typed in; every wrong field is reported, in the form's order. The end
/// day may not be before the start day nor after today (a class is recorded once held).
pub fn validate_class(draft: &ClassDraft, today: NaiveDate) -> Result<ValidClass, Vec<FieldError>> {
    let mut errors = Vec::new();
    let kind = match draft.kind.trim() {
        "" => note(&mut errors, "培训类型", Err("请选择".into())),
        text => note(&mut errors, "培训类型", ClassKind::parse(text)),
    };
    let title = checked_text_up_to(&mut errors, "培训名称", &draft.title, true, 100);
    let starts_on = note(&mut errors, "开始日期", past_day(&draft.starts_on, today));
    let ends_on = match (starts_on, past_day(&draft.ends_on, today)) {
        (Some(start), Ok(end)) if end < start => Err(format!("{end} 早于开始日期 {start}")),
        (_, parsed) => parsed,
    };
    let ends_on = note(&mut errors, "结束日期", ends_on);
    let trainees = trainee_list(&mut errors, &draft.trainees);
    match (kind, starts_on, ends_on) {
        (Some(kind), Some(starts_on), Some(ends_on)) if errors.is_empty() => Ok(ValidClass {
            kind,
            title,
            starts_on,
            ends_on,
            trainees,
        }),
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests;
