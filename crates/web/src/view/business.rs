//! A returnee business's industry and new business forms as people read them.

use linkong_core::businesses::BusinessForm;
use linkong_core::industry::Section;

/// The forms' labels, joined by 、 ("" for none).
pub fn forms_text(forms: &[BusinessForm]) -> String {
    forms
        .iter()
        .map(|f| f.label())
        .collect::<Vec<_>>()
        .join("、")
}

/// The GB/T 4754 section's letter and name, or the letter as stored.
pub fn section_name(letter: &str) -> String {
    Section::parse(letter)
        .map(|s| format!("{} {}", s.letter(), s.name()))
        .unwrap_or_else(|_| letter.to_owned())
}
