//! How people write the values of a vocabulary: 观望 for 未确定, 大学本科 for 本科, √ for 是.
//! The shipped table (`classifications/synonyms.toml`) is read once; a vocabulary's `parse`
//! tries its codes, then its labels, then these spellings, and a refusal lists the labels, so
//! that a survey sheet as a street fills it in is read, or says what to write instead.

use std::collections::{BTreeMap, HashMap};
use std::sync::LazyLock;

use crate::cells;

/// The table as shipped.
pub const SYNONYMS_FILE: &str = include_str!("../../../classifications/synonyms.toml");

/// Spellings by vocabulary (its Chinese name): the spelling's [`key`] → the code it stands for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Synonyms {
    vocabularies: HashMap<String, HashMap<String, String>>,
}

impl Synonyms {
    /// Reads a table: a section per vocabulary, in it a list of spellings per code. A spelling
    /// listed twice in a section (under one code or two) is refused, naming it.
    pub fn parse(text: &str) -> Result<Synonyms, String> {
        let file: BTreeMap<String, BTreeMap<String, Vec<String>>> =
            toml::from_str(text).map_err(|e| format!("常见写法表格式有误：{}", e.message()))?;
        let mut vocabularies = HashMap::new();
        for (vocabulary, codes) in file {
            let mut spellings: HashMap<String, String> = HashMap::new();
            for (code, written) in codes {
                for spelling in written {
                    let key = key(&spelling);
                    if key.is_empty() {
                        return Err(format!("常见写法表“{vocabulary}”中 {code} 有空写法"));
                    }
                    if let Some(other) = spellings.insert(key, code.clone()) {
                        return Err(format!(
                            "常见写法表“{vocabulary}”中“{spelling}”重复（{other}、{code}）"
                        ));
                    }
                }
            }
            vocabularies.insert(vocabulary, spellings);
        }
        Ok(Synonyms { vocabularies })
    }

    /// The shipped table. (Its test keeps it readable; were it not, no spelling is known.)
    pub fn shipped() -> &'static Synonyms {
        static SHIPPED: LazyLock<Synonyms> =
            LazyLock::new(|| Synonyms::parse(SYNONYMS_FILE).unwrap_or_default());
        &SHIPPED
    }

    /// The code `written` stands for in `vocabulary`, if it is one of its spellings.
    pub fn code(&self, vocabulary: &str, written: &str) -> Option<&str> {
        self.vocabularies
            .get(vocabulary)?
            .get(&key(written))
            .map(String::as_str)
    }

    /// Every vocabulary of the table, each with its spellings' keys and codes.
    pub fn vocabularies(&self) -> impl Iterator<Item = (&str, &HashMap<String, String>)> {
        self.vocabularies.iter().map(|(v, s)| (v.as_str(), s))
    }
}

/// What a spelling is compared by: the cell normalised ([`cells::normalise`]: full width to
/// half, odd spaces), without spaces, ASCII letters in lower case.
pub fn key(text: &str) -> String {
    cells::normalise(text)
        .chars()
        .filter(|c| *c != ' ')
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// A vocabulary's value as people write it: its code or label (compared by [`key`]), or one of
/// the shipped spellings. The refusal quotes the cell and lists the labels to choose from;
/// the caller names the field.
pub fn read<T: Copy>(
    vocabulary: &str,
    all: &[T],
    code: fn(T) -> &'static str,
    label: fn(T) -> &'static str,
    input: &str,
) -> Result<T, String> {
    let written = key(input);
    let by_code = |wanted: &str| all.iter().copied().find(|v| code(*v) == wanted);
    let found = all
        .iter()
        .copied()
        .find(|v| key(code(*v)) == written || key(label(*v)) == written)
        .or_else(|| {
            Synonyms::shipped()
                .code(vocabulary, &written)
                .and_then(by_code)
        });
    found.ok_or_else(|| refusal(input, all.iter().map(|v| label(*v))))
}

/// “随便”无法识别，可填：无意向、未确定、返区就业、返区创业 — or, for an empty cell, 未填写.
pub fn refusal<'a>(input: &str, labels: impl Iterator<Item = &'a str>) -> String {
    let labels = labels.collect::<Vec<_>>().join("、");
    let shown = input.trim();
    if shown.is_empty() {
        format!("未填写，可填：{labels}")
    } else {
        format!("“{shown}”无法识别，可填：{labels}")
    }
}

#[cfg(test)]
mod tests;
