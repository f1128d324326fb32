//! The options of a `<select>`.

pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

/// The options of a select from (value, label) pairs, the one equal to `selected` marked.
pub fn choices(items: impl Iterator<Item = (String, String)>, selected: &str) -> Vec<Choice> {
    items
        .map(|(value, label)| Choice {
            selected: value == selected.trim(),
            value,
            label,
        })
        .collect()
}

/// The options of a select from a vocabulary's (code, label) pairs, `selected` marked.
pub fn vocabulary(
    all: impl Iterator<Item = (&'static str, &'static str)>,
    selected: &str,
) -> Vec<Choice> {
    choices(all.map(|(c, l)| (c.to_owned(), l.to_owned())), selected)
}
