//! The plan file as written, before any check: what serde reads, with the spans that let
//! [`Plan::parse`](super::Plan::parse) name the line of each error.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawPlanFile {
    pub(super) plan: RawPlanInfo,
    pub(super) reporting: RawReporting,
    #[serde(default)]
    pub(super) assessment: Option<RawAssessment>,
    #[serde(default)]
    pub(super) units: Vec<RawUnit>,
    #[serde(default)]
    pub(super) sections: Vec<RawSection>,
    #[serde(default)]
    pub(super) tasks: Vec<RawTask>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawPlanInfo {
    pub(super) code: String,
    pub(super) name: String,
    pub(super) document_number: String,
    pub(super) issuer: String,
    pub(super) issued_on: toml::value::Datetime,
    pub(super) district_code: String,
    pub(super) district_name: String,
    pub(super) first_year: Spanned<i64>,
    pub(super) last_year: Spanned<i64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawReporting {
    pub(super) quarterly_due_working_days: Spanned<i64>,
    pub(super) annual_due: Spanned<String>,
    #[serde(default)]
    pub(super) source: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawAssessment {
    pub(super) completion_points: Spanned<i64>,
    pub(super) timeliness_points: i64,
    pub(super) late_credit_percent: Spanned<i64>,
    #[serde(default)]
    pub(super) source: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawUnit {
    pub(super) code: Spanned<String>,
    pub(super) name: String,
    #[serde(default)]
    pub(super) full_name: Option<String>,
    pub(super) kind: Spanned<String>,
    #[serde(default)]
    pub(super) aliases: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSection {
    pub(super) code: Spanned<String>,
    pub(super) title: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawTask {
    pub(super) code: Spanned<String>,
    pub(super) section: Spanned<String>,
    pub(super) name: String,
    pub(super) text: String,
    #[serde(default)]
    pub(super) lead_units: Vec<Spanned<String>>,
    #[serde(default)]
    pub(super) cooperating_units: Vec<Spanned<String>>,
    #[serde(default)]
    pub(super) remark: Option<String>,
    #[serde(default)]
    pub(super) duties: Vec<RawDuty>,
    #[serde(default)]
    pub(super) indicators: Vec<RawIndicator>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawDuty {
    pub(super) units: Vec<Spanned<String>>,
    pub(super) text: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawIndicator {
    pub(super) code: Spanned<String>,
    pub(super) name: String,
    pub(super) measure: String,
    pub(super) comparator: Spanned<String>,
    #[serde(default)]
    pub(super) target: Option<Spanned<f64>>,
    #[serde(default)]
    pub(super) target_max: Option<Spanned<f64>>,
    pub(super) period: Spanned<String>,
    #[serde(default)]
    pub(super) aggregation: Option<Spanned<String>>,
    #[serde(default)]
    pub(super) source: String,
    #[serde(default)]
    pub(super) quotas: BTreeMap<Spanned<String>, Spanned<f64>>,
    #[serde(default)]
    pub(super) quotas_sum_to_target: bool,
    #[serde(default)]
    pub(super) choice: Option<String>,
    #[serde(default)]
    pub(super) weight: Option<Spanned<i64>>,
    #[serde(default)]
    pub(super) registry: Option<Spanned<String>>,
}
