//! Showcase cases of returnee start-ups (返区创业先进典型, task 2.5.3): a returnee business and its
//! founder, the story told of them and its photos, recommended by a street (一名 each) or by
//! 区农业农村局 (至少5名), collected by 区人社局, who recommends some to "武汉返乡创业之星" and
//! records the outcome; published on the portal by 区委宣传部 or 区融媒体中心.
//!
//! **Consent comes first** (个人信息保护法 第十三、十四条: a person's consent to the purpose). A
//! case names a person and tells their story, so it is recommended only with the consent
//! recorded — who gave it, on which day, and for what: publication on the portal, use in the
//! media. A case without it is refused, naming the field; a case is published on the portal
//! only when its consent covers the portal.
//!
//! **What 2.5.3's figure counts**: cases recommended, per recommending unit, on the day of the
//! recommendation (the units' duty is "推荐…典型案例"; what 区人社局 and the city do next is
//! shown on the case, not counted).

use chrono::NaiveDate;

use crate::businesses::text_field;
use crate::cells;
use crate::field::FieldError;
use crate::plan::Plan;
use crate::selection::picked_id;

/// The task of the showcase cases.
pub const TASK: &str = "2.5.3";
/// The units that publish cases on the portal (2.5.3: 负责返区创业典型案例的宣传工作).
pub const PUBLISHERS: [&str; 2] = ["xcb", "rmtzx"];
/// The largest photo taken.
pub const MAX_PHOTO_BYTES: usize = 5 * 1024 * 1024;
/// The most photos one case shows.
pub const MAX_PHOTOS: usize = 6;
/// The media types of photos: what every phone's browser shows.
pub const PHOTO_MEDIA_TYPES: [&str; 2] = ["image/jpeg", "image/png"];

vocabulary!(
    /// Where a case stands on its way to "武汉返乡创业之星".
    CaseStatus, "案例状态" {
        Recommended = "recommended", "已推荐";
        Collected = "collected", "已汇总";
        Nominated = "nominated", "已推荐参选";
        Starred = "starred", "当选";
        NotStarred = "not_starred", "未当选";
    }
);

vocabulary!(
    /// What the person agreed their case may be used for.
    ConsentScope, "同意范围" {
        Portal = "portal", "在门户网站发布";
        Media = "media", "媒体宣传报道";
    }
);

/// What moves a case along; all are the lead unit's (区人社局).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CaseStep {
    /// 汇总: taken into the district's collection of cases.
    Collect,
    /// Recommended to "武汉返乡创业之星" on `on`.
    Nominate { on: NaiveDate },
    /// The city's decision, with a note.
    Outcome { starred: bool, note: String },
}

impl CaseStep {
    pub fn label(&self) -> &'static str {
        match self {
            CaseStep::Collect => "汇总",
            CaseStep::Nominate { .. } => "推荐参选“武汉返乡创业之星”",
            CaseStep::Outcome { .. } => "登记评选结果",
        }
    }
}

impl CaseStatus {
    /// The status after `step`: recommended cases are collected, collected ones nominated,
    /// nominated ones decided; a decision only after the nomination.
    pub fn after(self, step: &CaseStep) -> Result<CaseStatus, String> {
        use CaseStatus::*;
        match (self, step) {
            (Recommended, CaseStep::Collect) => Ok(Collected),
            (Collected, CaseStep::Nominate { .. }) => Ok(Nominated),
            (Nominated, CaseStep::Outcome { starred, .. }) => {
                Ok(if *starred { Starred } else { NotStarred })
            }
            (Recommended | Collected, CaseStep::Outcome { .. }) => {
                Err("尚未推荐参选“武汉返乡创业之星”，不能登记评选结果".into())
            }
            (status, step) => Err(format!(
                "案例当前为“{}”，不能{}",
                status.label(),
                step.label()
            )),
        }
    }
}

/// The units that recommend cases: those with a quota on 2.5.3 (区农业农村局 and the 12
/// streets).
pub fn recommending_units(plan: &Plan) -> Vec<&str> {
    plan.quota_units(TASK)
}

/// A person's consent as recorded.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Consent {
    /// Who consented (the founder, or whoever signed for them).
    pub given_by: String,
    pub given_on: NaiveDate,
    pub portal: bool,
    pub media: bool,
}

impl Consent {
    /// May the case be published on the portal? Only with consent to that.
    pub fn allows_portal(&self) -> Result<(), FieldError> {
        if self.portal {
            Ok(())
        } else {
            Err(FieldError {
                field: "同意范围",
                message: "本人未同意在门户网站发布，不能发布".into(),
            })
        }
    }
}

/// May a case be put on the portal (`publish`) or taken off it, given the day it went up?
pub fn check_publication(published_on: Option<NaiveDate>, publish: bool) -> Result<(), String> {
    match (published_on, publish) {
        (Some(day), true) => Err(format!("该案例已于 {day} 在门户发布")),
        (None, false) => Err("该案例未在门户发布".into()),
        _ => Ok(()),
    }
}

/// A case as typed into the form: the business and its founder (ids), the story, the consent.
#[derive(Debug, Clone, Default)]
pub struct CaseDraft {
    pub business: String,
    pub founder: String,
    pub title: String,
    pub story: String,
    pub consent_by: String,
    pub consent_on: String,
    /// [`ConsentScope`] codes ticked.
    pub consent_scopes: Vec<String>,
}

/// A case whose every field has been checked; the store checks the business and the founder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidCase {
    pub business_id: i64,
    pub founder_id: i64,
    pub title: String,
    pub story: String,
    pub consent: Consent,
}

/// The consent as typed: nothing at all is refused as a whole ("本人同意"); a partial one names
/// what is missing.
fn consent(errors: &mut Vec<FieldError>, draft: &CaseDraft, today: NaiveDate) -> Option<Consent> {
    let scopes: Vec<&String> = draft
        .consent_scopes
        .iter()
        .filter(|s| !s.trim().is_empty())
        .collect();
    if draft.consent_by.trim().is_empty() && draft.consent_on.trim().is_empty() && scopes.is_empty()
    {
        errors.push(FieldError {
            field: "本人同意",
            message: "未登记本人同意（同意人、同意日期和同意范围），不能推荐典型案例".into(),
        });
        return None;
    }
    let given_by = text_field(errors, "同意人", &draft.consent_by, true, 30);
    let day = match cells::parse_date(&draft.consent_on) {
        Ok(day) if day > today => Err(format!("{day} 晚于今天")),
        other => other,
    };
    let given_on = day
        .map_err(|message| {
            errors.push(FieldError {
                field: "同意日期",
                message,
            })
        })
        .ok();
    let (mut portal, mut media) = (false, false);
    for scope in scopes {
        match ConsentScope::parse(scope) {
            Ok(ConsentScope::Portal) => portal = true,
            Ok(ConsentScope::Media) => media = true,
            Err(message) => errors.push(FieldError {
                field: "同意范围",
                message,
            }),
        }
    }
    if !portal && !media && !errors.iter().any(|e| e.field == "同意范围") {
        errors.push(FieldError {
            field: "同意范围",
            message: "请勾选本人同意的使用范围".into(),
        });
    }
    Some(Consent {
        given_by,
        given_on: given_on?,
        portal,
        media,
    })
}

/// Checks a case as typed in. Every wrong field is reported, in the form's order.
pub fn validate_case(draft: &CaseDraft, today: NaiveDate) -> Result<ValidCase, Vec<FieldError>> {
    let mut errors = Vec::new();
    let business = picked_id(
        &mut errors,
        "创业主体",
        &draft.business,
        "请选择返区创业主体",
    );
    let founder = picked_id(
        &mut errors,
        "典型人物",
        &draft.founder,
        "请选择该主体的创办人",
    );
    let title = text_field(&mut errors, "标题", &draft.title, true, 40);
    let story = text_field(&mut errors, "创业故事", &draft.story, true, 5000);
    let consent = consent(&mut errors, draft, today);
    match (business, founder, consent) {
        (Some(business_id), Some(founder_id), Some(consent)) if errors.is_empty() => {
            Ok(ValidCase {
                business_id,
                founder_id,
                title,
                story,
                consent,
            })
        }
        _ => Err(errors),
    }
}

/// The founder of a case is one of its business's founders.
pub fn founder_of(founder: i64, founders: &[i64]) -> Result<(), FieldError> {
    if founders.contains(&founder) {
        Ok(())
    } else {
        Err(FieldError {
            field: "典型人物",
            message: "须为该创业主体的创办人".into(),
        })
    }
}

/// The media type of a photo of `size` bytes whose content reads as `sniffed`: not empty, at
/// most [`MAX_PHOTO_BYTES`], JPEG or PNG.
pub fn photo_media_type(size: usize, sniffed: Option<&str>) -> Result<&'static str, FieldError> {
    let refused = |message: String| FieldError {
        field: "照片",
        message,
    };
    if size == 0 {
        return Err(refused("文件为空".into()));
    }
    if size > MAX_PHOTO_BYTES {
        return Err(refused(format!(
            "单张照片不超过 {} MB",
            MAX_PHOTO_BYTES / 1024 / 1024
        )));
    }
    PHOTO_MEDIA_TYPES
        .iter()
        .copied()
        .find(|accepted| sniffed == Some(*accepted))
        .ok_or_else(|| refused("只接受 JPEG 或 PNG 格式的图片".into()))
}

/// How many photos a case may hold: [`MAX_PHOTOS`].
pub fn photo_count(count: usize) -> Result<(), FieldError> {
    if count > MAX_PHOTOS {
        return Err(FieldError {
            field: "照片",
            message: format!("最多 {MAX_PHOTOS} 张"),
        });
    }
    Ok(())
}

/// The day a case is recommended to "武汉返乡创业之星": not after today, not before it was
/// recommended to the district.
pub fn nomination_day(
    input: &str,
    recommended_on: NaiveDate,
    today: NaiveDate,
) -> Result<NaiveDate, FieldError> {
    let day = match cells::parse_date(input) {
        Ok(day) if day > today => Err(format!("{day} 晚于今天")),
        Ok(day) if day < recommended_on => Err(format!("{day} 早于推荐日期 {recommended_on}")),
        other => other,
    };
    day.map_err(|message| FieldError {
        field: "推荐参选日期",
        message,
    })
}

/// The note of an outcome (optional, ≤ 200 字).
pub fn outcome_note(input: &str) -> Result<String, FieldError> {
    crate::selection::outcome_note(input)
}

#[cfg(test)]
mod tests;
