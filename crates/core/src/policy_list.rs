//! The policy list (政策清单, issue 14 item 1; 东政办〔2025〕3号 任务 1.3.1, 2.3.1): each policy a
//! graduate, a returnee or an employer may claim, with its 文号, issuer, dates, what it gives,
//! its conditions in words, the documents to bring and the unit that handles it; linked to its
//! rule in `policies/*.toml` where the amount is computable. 区科服中心 keeps the list (任务
//! 1.2.1: "收集涉企政策并制定政策清单"); the public reads what is published.

use chrono::NaiveDate;
use serde::Serialize;

use crate::field::{FieldError, checked_text_up_to, parse_date};
use crate::plan::Plan;
use crate::rules::RuleBook;

/// The unit that keeps the list: 区科服中心.
pub const MAINTAINING_UNIT: &str = "kfzx";

vocabulary! {
    /// Who a policy is for.
    Audience, "适用对象" {
        Graduate = "graduate", "高校毕业生";
        Returnee = "returnee", "返乡创业人员";
        Employer = "employer", "用人单位";
    }
}

vocabulary! {
    /// Where an entry stands: only a published one is public.
    PolicyStatus, "状态" {
        Draft = "draft", "草稿";
        Published = "published", "已发布";
        Withdrawn = "withdrawn", "已撤回";
    }
}

/// An entry as typed into the form (every field a string; audiences the ticked boxes).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
pub struct PolicyEntryDraft {
    pub title: String,
    pub document_number: String,
    pub issuer: String,
    pub effective_from: String,
    pub effective_to: String,
    pub audiences: Vec<String>,
    pub benefit: String,
    pub conditions: String,
    /// One document per line.
    pub documents: String,
    pub handling_unit: String,
    pub rule_id: String,
}

/// An entry whose every field is right.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PolicyEntry {
    pub title: String,
    /// 文号; empty when not known.
    pub document_number: String,
    pub issuer: String,
    pub effective_from: NaiveDate,
    /// Last day in force; `null` for no end date.
    pub effective_to: Option<NaiveDate>,
    pub audiences: Vec<Audience>,
    /// What it gives (享受内容).
    pub benefit: String,
    /// Who qualifies, in words (申请条件).
    pub conditions: String,
    /// The documents to bring (申请材料), one each.
    pub documents: Vec<String>,
    /// Unit code of the plan that handles it (经办单位).
    pub handling_unit: String,
    /// The policy id in the rules file that computes it, if any.
    pub rule_id: Option<String>,
}

impl PolicyEntry {
    /// In force on `today` or later: not yet ended. Published entries that ended drop off the
    /// public list.
    pub fn current_or_coming(&self, today: NaiveDate) -> bool {
        self.effective_to.is_none_or(|to| to >= today)
    }

    /// The documents as the form shows them, one per line.
    pub fn documents_text(&self) -> String {
        self.documents.join("\n")
    }

    /// The entry as its form is filled in for an edit.
    pub fn to_draft(&self) -> PolicyEntryDraft {
        PolicyEntryDraft {
            title: self.title.clone(),
            document_number: self.document_number.clone(),
            issuer: self.issuer.clone(),
            effective_from: self.effective_from.to_string(),
            effective_to: self.effective_to.map(|d| d.to_string()).unwrap_or_default(),
            audiences: self.audiences.iter().map(|a| a.code().into()).collect(),
            benefit: self.benefit.clone(),
            conditions: self.conditions.clone(),
            documents: self.documents_text(),
            handling_unit: self.handling_unit.clone(),
            rule_id: self.rule_id.clone().unwrap_or_default(),
        }
    }
}

/// The labels of the fields of `after` that differ from `before`, in form order: what a new
/// version changed.
pub fn changed_fields(before: &PolicyEntry, after: &PolicyEntry) -> Vec<&'static str> {
    let pairs = [
        ("政策名称", before.title != after.title),
        ("文号", before.document_number != after.document_number),
        ("发文单位", before.issuer != after.issuer),
        ("生效日期", before.effective_from != after.effective_from),
        ("截止日期", before.effective_to != after.effective_to),
        ("适用对象", before.audiences != after.audiences),
        ("享受内容", before.benefit != after.benefit),
        ("申请条件", before.conditions != after.conditions),
        ("申请材料", before.documents != after.documents),
        ("经办单位", before.handling_unit != after.handling_unit),
        ("计算规则", before.rule_id != after.rule_id),
    ];
    pairs
        .into_iter()
        .filter(|(_, changed)| *changed)
        .map(|(label, _)| label)
        .collect()
}

impl PolicyStatus {
    /// The status after publishing: a draft or a withdrawn entry is published; the refusal says
    /// why.
    pub fn publish(self) -> Result<PolicyStatus, String> {
        match self {
            PolicyStatus::Draft | PolicyStatus::Withdrawn => Ok(PolicyStatus::Published),
            PolicyStatus::Published => Err("该政策已发布".into()),
        }
    }

    /// The status after withdrawing: only a published entry is withdrawn.
    pub fn withdraw(self) -> Result<PolicyStatus, String> {
        match self {
            PolicyStatus::Published => Ok(PolicyStatus::Withdrawn),
            PolicyStatus::Draft => Err("草稿尚未发布，无需撤回".into()),
            PolicyStatus::Withdrawn => Err("该政策已撤回".into()),
        }
    }
}

/// Checks a draft: every wrong field is named, all at once.
pub fn parse_entry(
    plan: &Plan,
    rules: &RuleBook,
    draft: &PolicyEntryDraft,
) -> Result<PolicyEntry, Vec<FieldError>> {
    let mut errors = Vec::new();
    let title = checked_text_up_to(&mut errors, "政策名称", &draft.title, true, 100);
    let document_number =
        checked_text_up_to(&mut errors, "文号", &draft.document_number, false, 60);
    let issuer = checked_text_up_to(&mut errors, "发文单位", &draft.issuer, true, 100);
    let (effective_from, effective_to) = dates(&mut errors, draft);
    let audiences = audiences(&mut errors, &draft.audiences);
    let benefit = checked_text_up_to(&mut errors, "享受内容", &draft.benefit, true, 2000);
    let conditions = checked_text_up_to(&mut errors, "申请条件", &draft.conditions, true, 4000);
    let documents = documents(&mut errors, &draft.documents);
    let handling_unit = handling_unit(&mut errors, plan, &draft.handling_unit);
    let rule_id = rule_id(&mut errors, rules, &draft.rule_id);
    match (effective_from, errors.is_empty()) {
        (Some(effective_from), true) => Ok(PolicyEntry {
            title,
            document_number,
            issuer,
            effective_from,
            effective_to,
            audiences,
            benefit,
            conditions,
            documents,
            handling_unit,
            rule_id,
        }),
        _ => Err(errors),
    }
}

fn wrong(errors: &mut Vec<FieldError>, field: &'static str, message: impl Into<String>) {
    errors.push(FieldError {
        field,
        message: message.into(),
    });
}

fn dates(
    errors: &mut Vec<FieldError>,
    draft: &PolicyEntryDraft,
) -> (Option<NaiveDate>, Option<NaiveDate>) {
    let from = match draft.effective_from.trim() {
        "" => {
            wrong(errors, "生效日期", "不能为空");
            None
        }
        text => parse_date(text).or_else(|| {
            wrong(
                errors,
                "生效日期",
                format!("“{text}”不是日期，例如 2025-01-01"),
            );
            None
        }),
    };
    let to = match draft.effective_to.trim() {
        "" => None,
        text => parse_date(text).or_else(|| {
            wrong(
                errors,
                "截止日期",
                format!("“{text}”不是日期，例如 2027-12-31"),
            );
            None
        }),
    };
    if let (Some(from), Some(to)) = (from, to)
        && to < from
    {
        wrong(errors, "截止日期", format!("{to} 早于生效日期 {from}"));
    }
    (from, to)
}

fn audiences(errors: &mut Vec<FieldError>, ticked: &[String]) -> Vec<Audience> {
    let mut found = Vec::new();
    for code in ticked.iter().filter(|c| !c.trim().is_empty()) {
        match Audience::parse(code) {
            Ok(audience) if !found.contains(&audience) => found.push(audience),
            Ok(_) => {}
            Err(message) => wrong(errors, "适用对象", message),
        }
    }
    if found.is_empty() && errors.iter().all(|e| e.field != "适用对象") {
        let labels: Vec<&str> = Audience::ALL.iter().map(|a| a.label()).collect();
        wrong(
            errors,
            "适用对象",
            format!("至少选择一项（{}）", labels.join("、")),
        );
    }
    found.sort_by_key(|a| Audience::ALL.iter().position(|b| b == a));
    found
}

fn documents(errors: &mut Vec<FieldError>, text: &str) -> Vec<String> {
    let lines: Vec<String> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect();
    if lines.len() > 30 || lines.iter().any(|l| l.chars().count() > 200) {
        wrong(errors, "申请材料", "最多 30 项，每项最多 200 个字");
    }
    lines
}

fn handling_unit(errors: &mut Vec<FieldError>, plan: &Plan, code: &str) -> String {
    let code = code.trim();
    if code.is_empty() {
        wrong(errors, "经办单位", "不能为空");
    } else if plan.unit(code).is_none() {
        wrong(
            errors,
            "经办单位",
            format!("“{code}”不是行动方案中的责任单位"),
        );
    }
    code.to_owned()
}

fn rule_id(errors: &mut Vec<FieldError>, rules: &RuleBook, id: &str) -> Option<String> {
    let id = id.trim();
    if id.is_empty() {
        return None;
    }
    if rules.policy(id).is_err() {
        let ids: Vec<&str> = rules.policies.iter().map(|p| p.id.as_str()).collect();
        wrong(
            errors,
            "计算规则",
            format!("“{id}”不在政策规则中，可选：{}", ids.join("、")),
        );
    }
    Some(id.to_owned())
}

#[cfg(test)]
mod tests;
