//! Occupation codes of 《中华人民共和国职业分类大典（2022年版）》 (plan 1.1.1 "细化岗位层次分类"):
//! a code names a major group (大类 `2`), a middle group (中类 `2-06`), a minor group (小类
//! `2-06-03`) or an occupation (细类 `2-06-03-00`). The district's excerpt of the classification
//! is shipped as data (`classifications/occupations-2022.tsv`) with its source; [`Classification::parse`]
//! reads it and refuses a bad row naming its line.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Serialize;

use crate::jobs::OccupationGroup;

/// The excerpt as shipped.
pub const OCCUPATIONS_FILE: &str = include_str!("../../../classifications/occupations-2022.tsv");

/// A well-formed code whose middle group (or major group, for a code of one digit) the
/// classification knows; parse it with [`Classification::code`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct OccupationCode(String);

impl OccupationCode {
    /// Checks the shape only: `d`, `d-dd`, `d-dd-dd` or `d-dd-dd-dd`, the major group 1 to 8.
    fn shape(input: &str) -> Option<OccupationCode> {
        let code = input.trim();
        let mut parts = code.split('-');
        let major = parts.next()?;
        if major.len() != 1 || !matches!(major.as_bytes()[0], b'1'..=b'8') {
            return None;
        }
        let rest: Vec<&str> = parts.collect();
        let well_formed = rest.len() <= 3
            && rest
                .iter()
                .all(|p| p.len() == 2 && p.bytes().all(|b| b.is_ascii_digit()));
        well_formed.then(|| OccupationCode(code.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The major group (大类) the code belongs to.
    pub fn group(&self) -> OccupationGroup {
        OccupationGroup::parse(&self.0[..1]).unwrap_or(OccupationGroup::Other)
    }

    /// The middle group's code (`2-06`), if the code is that detailed.
    pub fn middle(&self) -> Option<&str> {
        (self.0.len() >= 4).then(|| &self.0[..4])
    }

    /// The code one level up (`2-06-03` → `2-06`); `None` for a major group.
    fn parent(&self) -> Option<OccupationCode> {
        self.0
            .rfind('-')
            .map(|at| OccupationCode(self.0[..at].to_owned()))
    }
}

/// The shipped excerpt: every code with its name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Classification {
    names: BTreeMap<OccupationCode, String>,
}

impl Classification {
    /// Reads the excerpt: `code<TAB>name[<TAB>note]` a line, `#` lines are comments. A malformed
    /// code, an empty name, a code listed twice or one whose parent is not listed above it is
    /// refused naming the line.
    pub fn parse(text: &str) -> Result<Classification, String> {
        let mut names = BTreeMap::new();
        for (at, line) in text.lines().enumerate() {
            let line_no = at + 1;
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let mut fields = line.split('\t');
            let code_text = fields.next().unwrap_or_default();
            let name = fields.next().unwrap_or_default().trim();
            let code = OccupationCode::shape(code_text).ok_or_else(|| {
                format!(
                    "职业代码表第 {line_no} 行：职业代码“{code_text}”格式不对（应如 2-06-03-00）"
                )
            })?;
            if name.is_empty() {
                return Err(format!("职业代码表第 {line_no} 行：{code_text} 缺少名称"));
            }
            if let Some(parent) = code.parent()
                && !names.contains_key(&parent)
            {
                return Err(format!(
                    "职业代码表第 {line_no} 行：{code_text} 的上一级 {} 不在表中",
                    parent.as_str()
                ));
            }
            if names.insert(code, name.to_owned()).is_some() {
                return Err(format!("职业代码表第 {line_no} 行：{code_text} 重复"));
            }
        }
        if names.is_empty() {
            return Err("职业代码表是空的".into());
        }
        Ok(Classification { names })
    }

    /// The excerpt shipped in `classifications/occupations-2022.tsv` (core's tests parse it).
    pub fn shipped() -> &'static Classification {
        static SHIPPED: OnceLock<Classification> = OnceLock::new();
        SHIPPED.get_or_init(|| {
            Classification::parse(OCCUPATIONS_FILE)
                .expect("classifications/occupations-2022.tsv parses (core's tests check it)")
        })
    }

    /// A code as typed in: well formed, and its middle group (or major group) known. A minor
    /// group or occupation the excerpt does not list is accepted under its middle group, as
    /// employers may name any occupation of the classification.
    pub fn code(&self, input: &str) -> Result<OccupationCode, String> {
        let wrong = || {
            format!(
                "职业代码“{}”不对：应为职业分类大典（2022年版）的代码，如 2-06-03-00",
                input.trim()
            )
        };
        let code = OccupationCode::shape(input).ok_or_else(wrong)?;
        let anchor = code.middle().unwrap_or(&code.0[..1]).to_owned();
        if !self.names.contains_key(&OccupationCode(anchor)) {
            return Err(wrong());
        }
        Ok(code)
    }

    /// The name of `code`, or of the nearest group above it the excerpt lists.
    pub fn name(&self, code: &OccupationCode) -> &str {
        let mut at = Some(code.clone());
        while let Some(code) = at {
            if let Some(name) = self.names.get(&code) {
                return name;
            }
            at = code.parent();
        }
        ""
    }

    /// Every code with its name, in code order (for a form's list).
    pub fn entries(&self) -> impl Iterator<Item = (&str, &str)> {
        self.names.iter().map(|(c, n)| (c.as_str(), n.as_str()))
    }

    pub fn len(&self) -> usize {
        self.names.len()
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }
}

#[cfg(test)]
mod tests;
