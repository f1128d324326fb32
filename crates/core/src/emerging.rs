//! Whether a post is an emerging-industry or high-end-service job (新兴产业、高端服务业岗位,
//! 东政办〔2025〕3号 任务 1.1.1: at least 30 % of positions). The flag is derived, not ticked:
//! from the post's industry (GB/T 4754-2017) through a shipped excerpt of 国家统计局《战略性新兴
//! 产业分类（2018）》 (`classifications/emerging-industries-2018.tsv`), and, for the district's high-end
//! services, from the occupation's major group too. A reviewer may change the derived flag
//! only with a written reason ([`check_override`]).

use std::sync::OnceLock;

use crate::field::FieldError;
use crate::industry::{IndustryCode, Section};
use crate::jobs::OccupationGroup;

/// The mapping as shipped.
pub const EMERGING_FILE: &str =
    include_str!("../../../classifications/emerging-industries-2018.tsv");

/// One row: an industry prefix (a section letter or leading digits), its category and the
/// major groups it is limited to (none: any).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Row {
    prefix: String,
    category: String,
    name: String,
    groups: Option<Vec<OccupationGroup>>,
}

/// The industries whose posts count as emerging or high-end services.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmergingMap {
    rows: Vec<Row>,
}

/// What the derivation found: the flag, and the row it rests on (shown on the post's page).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Derivation {
    pub emerging: bool,
    /// "战略性新兴产业 1.3 新兴软件和新型信息技术服务（行业 6513）", or `None` when nothing matched.
    pub basis: Option<String>,
}

impl EmergingMap {
    /// Reads the mapping: `industry<TAB>category<TAB>name<TAB>groups` a line, `#` lines are
    /// comments; a bad industry code or group list is refused naming the line.
    pub fn parse(text: &str) -> Result<EmergingMap, String> {
        let mut rows = Vec::new();
        for (at, line) in text.lines().enumerate() {
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let wrong = |what: &str| format!("新兴产业认定表第 {} 行：{what}", at + 1);
            let fields: Vec<&str> = line.split('\t').map(str::trim).collect();
            let [prefix, category, name, groups] = fields[..] else {
                return Err(wrong("应有 4 列（行业代码、类别、类别名称、职业大类）"));
            };
            let is_section = prefix.len() == 1 && Section::parse(prefix).is_ok();
            if !is_section && IndustryCode::parse(prefix).is_err() {
                return Err(wrong(&format!("行业代码“{prefix}”不对")));
            }
            if category.is_empty() || name.is_empty() {
                return Err(wrong("缺少类别或类别名称"));
            }
            let groups = match groups {
                "*" => None,
                list => Some(
                    list.split(',')
                        .map(|g| OccupationGroup::parse(g.trim()))
                        .collect::<Result<Vec<_>, _>>()
                        .map_err(|_| wrong(&format!("职业大类“{list}”不对")))?,
                ),
            };
            rows.push(Row {
                prefix: prefix.to_owned(),
                category: category.to_owned(),
                name: name.to_owned(),
                groups,
            });
        }
        if rows.is_empty() {
            return Err("新兴产业认定表是空的".into());
        }
        Ok(EmergingMap { rows })
    }

    /// The mapping shipped in `classifications/emerging-industries-2018.tsv` (core's tests parse it).
    pub fn shipped() -> &'static EmergingMap {
        static SHIPPED: OnceLock<EmergingMap> = OnceLock::new();
        SHIPPED.get_or_init(|| {
            EmergingMap::parse(EMERGING_FILE).expect(
                "classifications/emerging-industries-2018.tsv parses (core's tests check it)",
            )
        })
    }

    /// Derives the flag of a post in `section` (and `industry`, when the post gives its code)
    /// for an occupation of `group`: the longest matching row whose groups admit the post's.
    pub fn derive(
        &self,
        section: Section,
        industry: Option<&IndustryCode>,
        group: OccupationGroup,
    ) -> Derivation {
        let letter = section.letter().to_string();
        let matches = |row: &&Row| {
            let industry_fits = row.prefix == letter
                || industry.is_some_and(|code| code.as_str().starts_with(&row.prefix));
            industry_fits && row.groups.as_ref().is_none_or(|g| g.contains(&group))
        };
        let best = self.rows.iter().filter(matches).max_by_key(|row| {
            (
                row.prefix.len(),
                row.prefix.chars().all(|c| c.is_ascii_digit()),
            )
        });
        match best {
            Some(row) => {
                let industry = industry.map_or(letter.as_str(), |c| c.as_str());
                let basis = if row.category.starts_with(|c: char| c.is_ascii_digit()) {
                    format!(
                        "战略性新兴产业 {} {}（行业 {industry}）",
                        row.category, row.name
                    )
                } else {
                    format!("{}（行业 {industry}）", row.name)
                };
                Derivation {
                    emerging: true,
                    basis: Some(basis),
                }
            }
            None => Derivation {
                emerging: false,
                basis: None,
            },
        }
    }
}

/// A reviewer's change of the derived flag, checked: a reason of 4 to 200 characters is
/// required, and the change must change something.
pub fn check_override(current: bool, wanted: bool, reason: &str) -> Result<String, FieldError> {
    let reason = reason.trim();
    if current == wanted {
        return Err(FieldError {
            field: "新兴产业岗位",
            message: format!(
                "该岗位已{}新兴产业、高端服务业岗位，无需更改",
                if current { "是" } else { "不是" }
            ),
        });
    }
    let length = reason.chars().count();
    if !(4..=200).contains(&length) {
        return Err(FieldError {
            field: "更改理由",
            message: "更改认定结果须写明理由（4 至 200 字）".into(),
        });
    }
    Ok(reason.to_owned())
}

#[cfg(test)]
mod tests;
