//! Fraud screening of job posts (任务 1.3.4): rules from `rules/fraud-screening.toml` give each
//! post risk points and reasons that the reviewer sees. A high-risk post is not published
//! without a reviewer's explicit override.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct KeywordRule {
    code: String,
    label: String,
    points: u32,
    keywords: Vec<String>,
    source: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct HighPayRule {
    label: String,
    points: u32,
    monthly_yuan_at_least: i64,
    source: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct MissingItemsRule {
    label: String,
    points_each: u32,
    source: String,
}

/// The screening rules, read from the rules file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FraudRules {
    high_risk: u32,
    medium_risk: u32,
    keyword_rules: Vec<KeywordRule>,
    high_pay_no_experience: HighPayRule,
    missing_items: MissingItemsRule,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RiskLevel {
    Low,
    Medium,
    High,
}

impl RiskLevel {
    pub fn label(self) -> &'static str {
        match self {
            RiskLevel::Low => "低风险",
            RiskLevel::Medium => "中风险",
            RiskLevel::High => "高风险",
        }
    }
}

/// Why a post scored points: the rule, what was found, and the rule's source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reason {
    pub code: String,
    pub label: String,
    pub evidence: String,
    pub points: u32,
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Screening {
    /// 0–100.
    pub score: u32,
    pub level: RiskLevel,
    pub reasons: Vec<Reason>,
}

/// What the screening reads of a post.
#[derive(Debug, Clone, Default)]
pub struct PostFacts<'a> {
    pub employer: &'a str,
    pub title: &'a str,
    pub description: &'a str,
    pub positions: Option<i64>,
    pub place: &'a str,
    /// Monthly pay in yuan.
    pub salary_min: Option<i64>,
    pub salary_max: Option<i64>,
    pub valid_until: Option<NaiveDate>,
    pub requires_experience: bool,
    pub requires_education: bool,
}

/// Folds full-width characters and drops spaces and filler symbols, so that "押 金" and "押*金"
/// read as "押金".
fn fold(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            other => other,
        })
        .filter(|c| !c.is_whitespace() && !"*·•-_~～|/\\.。,，、".contains(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

/// The fraud-screening rules shipped with linkong (`rules/fraud-screening.toml`).
pub const SHIPPED_RULES: &str = include_str!("../../../rules/fraud-screening.toml");

impl FraudRules {
    /// The shipped rules (a test below proves they parse).
    pub fn shipped() -> FraudRules {
        FraudRules::parse(SHIPPED_RULES).expect("the shipped fraud rules parse")
    }

    pub fn parse(text: &str) -> Result<FraudRules, String> {
        let rules: FraudRules =
            toml::from_str(text).map_err(|e| format!("识别规则文件有误：{}", e.message()))?;
        if rules.medium_risk >= rules.high_risk || rules.high_risk > 100 {
            return Err("识别规则文件有误：须 medium_risk < high_risk ≤ 100".into());
        }
        if let Some(rule) = rules.keyword_rules.iter().find(|r| r.keywords.is_empty()) {
            return Err(format!("识别规则文件有误：规则“{}”没有关键词", rule.code));
        }
        Ok(rules)
    }

    pub fn high_risk_points(&self) -> u32 {
        self.high_risk
    }

    pub fn screen(&self, post: &PostFacts) -> Screening {
        let text = fold(&format!(
            "{} {} {}",
            post.employer, post.title, post.description
        ));
        let mut reasons = Vec::new();
        for rule in &self.keyword_rules {
            let found: Vec<&str> = rule
                .keywords
                .iter()
                .map(String::as_str)
                .filter(|k| text.contains(&fold(k)))
                .collect();
            if !found.is_empty() {
                reasons.push(Reason {
                    code: rule.code.clone(),
                    label: rule.label.clone(),
                    evidence: format!("含“{}”", found.join("”“")),
                    points: rule.points,
                    source: rule.source.clone(),
                });
            }
        }
        let pay = &self.high_pay_no_experience;
        if let Some(max) = post.salary_max
            && max >= pay.monthly_yuan_at_least
            && !post.requires_experience
            && !post.requires_education
        {
            reasons.push(Reason {
                code: "high_pay_no_experience".into(),
                label: pay.label.clone(),
                evidence: format!("月薪最高 {max} 元，不限学历和经验"),
                points: pay.points,
                source: pay.source.clone(),
            });
        }
        let missing: Vec<&str> = [
            (post.employer.trim().is_empty(), "用人单位"),
            (post.positions.is_none_or(|p| p <= 0), "招聘人数"),
            (post.description.trim().chars().count() < 10, "岗位职责"),
            (post.place.trim().is_empty(), "工作地点"),
            (post.salary_min.is_none_or(|s| s <= 0), "基本工资"),
            (post.valid_until.is_none(), "有效期"),
        ]
        .into_iter()
        .filter_map(|(is_missing, item)| is_missing.then_some(item))
        .collect();
        if !missing.is_empty() {
            let rule = &self.missing_items;
            reasons.push(Reason {
                code: "missing_items".into(),
                label: rule.label.clone(),
                evidence: format!("缺少：{}", missing.join("、")),
                points: rule.points_each * missing.len() as u32,
                source: rule.source.clone(),
            });
        }
        let score = reasons.iter().map(|r| r.points).sum::<u32>().min(100);
        let level = if score >= self.high_risk {
            RiskLevel::High
        } else if score >= self.medium_risk {
            RiskLevel::Medium
        } else {
            RiskLevel::Low
        };
        Screening {
            score,
            level,
            reasons,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> FraudRules {
        FraudRules::shipped()
    }

    #[test]
    fn the_shipped_rules_parse() {
        assert!(FraudRules::parse(SHIPPED_RULES).is_ok());
    }

    fn honest() -> PostFacts<'static> {
        PostFacts {
            employer: "武汉临空港智造科技有限公司",
            title: "嵌入式软件工程师",
            description: "负责工业控制器嵌入式软件开发与测试，参与产品需求分析。",
            positions: Some(3),
            place: "金银湖街道",
            salary_min: Some(7000),
            salary_max: Some(12000),
            valid_until: NaiveDate::from_ymd_opt(2025, 12, 31),
            requires_experience: true,
            requires_education: true,
        }
    }

    fn codes(screening: &Screening) -> Vec<&str> {
        screening.reasons.iter().map(|r| r.code.as_str()).collect()
    }

    #[test]
    fn an_honest_post_is_low_risk() {
        let screening = rules().screen(&honest());
        assert_eq!(
            (screening.score, screening.level),
            (0, RiskLevel::Low),
            "{screening:?}"
        );
    }

    #[test]
    fn a_deposit_and_ten_thousand_a_day_is_high_risk_with_both_reasons() {
        let post = PostFacts {
            description: "入职先交押金，日结过万，名额有限。",
            ..honest()
        };
        let screening = rules().screen(&post);
        assert_eq!(screening.level, RiskLevel::High);
        assert_eq!(codes(&screening), ["fee", "too_good_pay"]);
        assert!(
            screening.reasons[0].evidence.contains("押金")
                && screening.reasons[0].evidence.contains("先交")
        );
        assert!(screening.reasons[1].evidence.contains("日结过万"));
    }

    #[test]
    fn each_keyword_rule_fires_on_its_own_words() {
        for (text, code) in [
            ("需缴纳报名费 200 元", "fee"),
            ("公司提供招转培机会，可申请培训贷", "training_loan"),
            ("在家刷单，佣金日结", "brushing"),
            ("轻松月入三万", "too_good_pay"),
            ("入职需将身份证原件押在公司", "documents"),
            ("限男性，限本地户口", "discrimination"),
        ] {
            let post = PostFacts {
                description: text,
                ..honest()
            };
            assert!(
                codes(&rules().screen(&post)).contains(&code),
                "{text} should trigger {code}"
            );
        }
    }

    #[test]
    fn spacing_and_full_width_do_not_hide_a_keyword() {
        let post = PostFacts {
            description: "入职需交 押 * 金，保 证 金ＯＫ",
            ..honest()
        };
        assert_eq!(codes(&rules().screen(&post)), ["fee"]);
    }

    #[test]
    fn high_pay_for_no_experience_and_no_education_is_suspicious() {
        let post = PostFacts {
            salary_max: Some(30000),
            requires_experience: false,
            requires_education: false,
            ..honest()
        };
        let screening = rules().screen(&post);
        assert_eq!(codes(&screening), ["high_pay_no_experience"]);
        assert_eq!(screening.level, RiskLevel::Medium);
        let with_experience = PostFacts {
            salary_max: Some(30000),
            ..honest()
        };
        assert!(rules().screen(&with_experience).reasons.is_empty());
    }

    #[test]
    fn missing_mandatory_items_are_named() {
        let post = PostFacts {
            employer: "",
            positions: None,
            place: "",
            salary_min: None,
            valid_until: None,
            ..honest()
        };
        let screening = rules().screen(&post);
        let missing = &screening.reasons[0];
        assert_eq!(missing.code, "missing_items");
        assert_eq!(
            missing.evidence,
            "缺少：用人单位、招聘人数、工作地点、基本工资、有效期"
        );
        assert_eq!((missing.points, screening.level), (75, RiskLevel::High));
    }

    #[test]
    fn a_malformed_rules_file_is_refused() {
        assert!(FraudRules::parse("high_risk = 20\nmedium_risk = 30\n").is_err());
        assert!(
            FraudRules::parse(&SHIPPED_RULES.replace("medium_risk = 30", "medium_risk = 70"))
                .unwrap_err()
                .contains("medium_risk")
        );
    }
}
