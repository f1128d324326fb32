//! Returnee title evaluation (职称评审申报, task 2.4.4): 畅通人才职称评审渠道. A unit of 2.4.4
//! (区人社局 lead; 区农业农村局, 区科服中心 and the streets) takes in a returnee's application
//! for a professional title — series, speciality, level sought — and forwards it to an
//! evaluation committee (评审委员会); the committee's result (通过 with the day the title was
//! obtained, or 未通过) is recorded later.
//!
//! **What 2.4.4's figure counts** (the seed gives no number: an activity indicator, 无目标值):
//! applications (人次), for the recording unit on the forwarded day. The result never moves it.

use chrono::NaiveDate;

use crate::field::{FieldError, checked_text_up_to};
use crate::field::{note, past_day};
use crate::resident::ResidentId;

vocabulary!(
    /// The title series (职称系列) applied in.
    TitleSeries, "职称系列" {
        Engineering = "engineering", "工程技术";
        Agriculture = "agriculture", "农业技术";
        Economics = "economics", "经济";
        Accounting = "accounting", "会计";
        Health = "health", "卫生技术";
        Education = "education", "教育";
        Crafts = "crafts", "工艺美术";
        Other = "other", "其他";
    }
);

vocabulary!(
    /// The level sought.
    TitleLevel, "申报级别" {
        Junior = "junior", "初级";
        Intermediate = "intermediate", "中级";
        DeputySenior = "deputy_senior", "副高级";
        Senior = "senior", "正高级";
    }
);

vocabulary!(
    /// The committee's result.
    TitleResult, "评审结果" {
        Pending = "pending", "待评审";
        Passed = "passed", "通过";
        Failed = "failed", "未通过";
    }
);

/// An application as typed into its form.
#[derive(Debug, Clone, Default)]
pub struct ApplicationDraft {
    pub id_number: String,
    pub series: String,
    pub speciality: String,
    pub level: String,
    pub submitted_on: String,
    pub committee: String,
    pub forwarded_on: String,
}

/// A checked application; the store finds the person in the registry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidApplication {
    pub id: ResidentId,
    pub series: TitleSeries,
    pub speciality: String,
    pub level: TitleLevel,
    pub submitted_on: NaiveDate,
    pub committee: String,
    pub forwarded_on: NaiveDate,
}

/// A result as typed into its form.
#[derive(Debug, Clone, Default)]
pub struct ResultDraft {
    pub result: String,
    pub obtained_on: String,
}

/// A checked result: 通过 always with the day the title was obtained, the others without.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ValidResult {
    pub result: TitleResult,
    pub obtained_on: Option<NaiveDate>,
}

/// A choice of a vocabulary: required, then parsed.
pub(crate) fn chosen<T>(
    errors: &mut Vec<FieldError>,
    field: &'static str,
    typed: &str,
    parse: fn(&str) -> Result<T, String>,
) -> Option<T> {
    match typed.trim() {
        "" => note(errors, field, Err("请选择".into())),
        text => note(errors, field, parse(text)),
    }
}

/// Checks an application as typed in; every wrong field is reported, in the form's order. It
/// is recorded once forwarded: the forwarded day is neither before the submission nor after
/// today.
pub fn validate_application(
    draft: &ApplicationDraft,
    today: NaiveDate,
) -> Result<ValidApplication, Vec<FieldError>> {
    let mut errors = Vec::new();
    let id = note(
        &mut errors,
        "身份证号码",
        ResidentId::parse(&draft.id_number).map_err(|e| e.to_string()),
    );
    let series = chosen(&mut errors, "职称系列", &draft.series, TitleSeries::parse);
    let speciality = checked_text_up_to(&mut errors, "专业", &draft.speciality, true, 40);
    let level = chosen(&mut errors, "申报级别", &draft.level, TitleLevel::parse);
    let submitted_on = note(
        &mut errors,
        "申报日期",
        past_day(&draft.submitted_on, today),
    );
    let committee = checked_text_up_to(&mut errors, "评审委员会", &draft.committee, true, 60);
    let forwarded_on = match (submitted_on, past_day(&draft.forwarded_on, today)) {
        (Some(submitted), Ok(day)) if day < submitted => {
            Err(format!("{day} 早于申报日期 {submitted}"))
        }
        (_, parsed) => parsed,
    };
    let forwarded_on = note(&mut errors, "报送日期", forwarded_on);
    match (id, series, level, submitted_on, forwarded_on) {
        (Some(id), Some(series), Some(level), Some(submitted_on), Some(forwarded_on))
            if errors.is_empty() =>
        {
            Ok(ValidApplication {
                id,
                series,
                speciality,
                level,
                submitted_on,
                committee,
                forwarded_on,
            })
        }
        _ => Err(errors),
    }
}

/// Checks a result of an application submitted on `submitted_on` and forwarded on
/// `forwarded_on`: 通过 needs the day the title was obtained, neither before the submission
/// nor the forwarding nor after today; 待评审 and 未通过 take no day.
pub fn validate_result(
    draft: &ResultDraft,
    submitted_on: NaiveDate,
    forwarded_on: NaiveDate,
    today: NaiveDate,
) -> Result<ValidResult, Vec<FieldError>> {
    let mut errors = Vec::new();
    let result = chosen(&mut errors, "评审结果", &draft.result, TitleResult::parse);
    let typed = draft.obtained_on.trim();
    let field = "取得日期";
    let obtained_on = match (result, typed) {
        (Some(TitleResult::Passed), "") => note(
            &mut errors,
            field,
            Err("评审通过的须填写取得职称的日期".into()),
        ),
        (Some(TitleResult::Passed), _) => {
            let day = match past_day(typed, today) {
                Ok(day) if day < submitted_on => Err(format!("{day} 早于申报日期 {submitted_on}")),
                Ok(day) if day < forwarded_on => Err(format!("{day} 早于报送日期 {forwarded_on}")),
                parsed => parsed,
            };
            note(&mut errors, field, day)
        }
        (Some(_), "") | (None, _) => None,
        (Some(_), _) => note(
            &mut errors,
            field,
            Err("只有评审通过的才填写取得日期".into()),
        ),
    };
    match result {
        Some(result) if errors.is_empty() => Ok(ValidResult {
            result,
            obtained_on,
        }),
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests;
