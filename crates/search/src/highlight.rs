//! Marks the searched terms in a hit's title and description.
//!
//! The marks come from the same case-insensitive substring match that decides the hits, not from
//! tantivy's snippet generator: that one would mark overlapping grams one by one and knows
//! nothing of terms that matched as a phrase of them.

use std::ops::Range;

use crate::grams::{CASELESS, FoldedChar, fold};

/// Length of the description fragment shown under a hit, in characters.
pub(crate) const SNIPPET_CHARS: usize = 120;
/// Characters of context kept before the first mark of a fragment.
const LEAD_CHARS: usize = 20;

/// Where one term occurs in a text, in bytes of the original text.
struct Occurrence {
    bytes: Range<usize>,
    term: usize,
}

/// The whole title, escaped, with every occurrence of a term marked.
pub(crate) fn title_html(title: &str, terms: &[Vec<char>]) -> String {
    let occurrences = find(title, terms);
    render(title, 0..title.len(), &merge(&occurrences))
}

/// About [`SNIPPET_CHARS`] characters of the description, escaped, placed to show as many
/// different terms as it can and with them marked; the beginning when no term occurs.
pub(crate) fn snippet_html(description: &str, terms: &[Vec<char>]) -> String {
    let occurrences = find(description, terms);
    let window = fragment(description, &occurrences);
    let mut html = String::with_capacity(window.len() + 64);
    if window.start > 0 {
        html.push('…');
    }
    html.push_str(&render(description, window.clone(), &merge(&occurrences)));
    if window.end < description.len() {
        html.push('…');
    }
    html
}

fn find(text: &str, terms: &[Vec<char>]) -> Vec<Occurrence> {
    let mut found = Vec::new();
    let mut folded = None;
    for (term, needle) in terms.iter().enumerate() {
        if needle.is_empty() {
            continue;
        }
        if needle.iter().all(|ch| CASELESS.contains(ch)) {
            find_caseless(text, needle, term, &mut found);
        } else {
            let folded = folded.get_or_insert_with(|| fold(text));
            find_folded(folded, needle, term, &mut found);
        }
    }
    found
}

/// A term of caseless characters only (most Chinese terms) occurs in the folded text exactly
/// where its bytes occur in the text: no other character folds into one of them. Found without
/// folding the text (half of a page of hits' highlighting went there), overlaps included.
fn find_caseless(text: &str, needle: &[char], term: usize, found: &mut Vec<Occurrence>) {
    let pattern: String = needle.iter().collect();
    let step = needle[0].len_utf8();
    let mut from = 0;
    while let Some(at) = text[from..].find(&pattern) {
        let start = from + at;
        found.push(Occurrence {
            bytes: start..start + pattern.len(),
            term,
        });
        from = start + step;
    }
}

fn find_folded(folded: &[FoldedChar], needle: &[char], term: usize, found: &mut Vec<Occurrence>) {
    if needle.len() > folded.len() {
        return;
    }
    for start in 0..=folded.len() - needle.len() {
        let candidate = &folded[start..start + needle.len()];
        if candidate
            .iter()
            .zip(needle)
            .all(|(have, want)| have.ch == *want)
        {
            let bytes = candidate[0].from..candidate[needle.len() - 1].to;
            found.push(Occurrence { bytes, term });
        }
    }
}

/// Sorted, disjoint byte ranges covering every occurrence: overlapping and touching marks become
/// one, so `会计` and `计师` in `会计师` show as a single `<mark>会计师</mark>`.
fn merge(occurrences: &[Occurrence]) -> Vec<Range<usize>> {
    let mut ranges: Vec<Range<usize>> = occurrences.iter().map(|o| o.bytes.clone()).collect();
    ranges.sort_by_key(|range| range.start);
    let mut merged: Vec<Range<usize>> = Vec::with_capacity(ranges.len());
    for range in ranges {
        match merged.last_mut() {
            Some(last) if range.start <= last.end => last.end = last.end.max(range.end),
            _ => merged.push(range),
        }
    }
    merged
}

/// The byte range of the fragment to show: [`SNIPPET_CHARS`] characters starting a little before
/// the first occurrence of some term, choosing the start that shows the most different terms.
fn fragment(text: &str, occurrences: &[Occurrence]) -> Range<usize> {
    let starts: Vec<usize> = text.char_indices().map(|(at, _)| at).collect();
    if starts.len() <= SNIPPET_CHARS {
        return 0..text.len();
    }
    let byte_at = |char_index: usize| starts.get(char_index).copied().unwrap_or(text.len());
    let window_from = |first_char: usize| byte_at(first_char)..byte_at(first_char + SNIPPET_CHARS);
    let last_start = starts.len() - SNIPPET_CHARS;

    let mut best = (0, 0);
    let mut seen_terms = Vec::new();
    for occurrence in occurrences {
        if seen_terms.contains(&occurrence.term) {
            continue;
        }
        seen_terms.push(occurrence.term);
        let first_char = starts.partition_point(|&at| at < occurrence.bytes.start);
        let candidate = first_char.saturating_sub(LEAD_CHARS).min(last_start);
        let window = window_from(candidate);
        let mut shown: Vec<usize> = occurrences
            .iter()
            .filter(|o| window.start <= o.bytes.start && o.bytes.end <= window.end)
            .map(|o| o.term)
            .collect();
        shown.sort_unstable();
        shown.dedup();
        if shown.len() > best.0 || (shown.len() == best.0 && candidate < best.1) {
            best = (shown.len(), candidate);
        }
    }
    window_from(best.1)
}

/// `text[window]`, HTML-escaped, with the parts inside `marks` wrapped in `<mark>`.
fn render(text: &str, window: Range<usize>, marks: &[Range<usize>]) -> String {
    let mut html = String::with_capacity(window.len() + 16 * marks.len());
    let mut at = window.start;
    for mark in marks {
        let start = mark.start.max(at);
        let end = mark.end.min(window.end);
        if start >= end {
            continue;
        }
        escape_into(&mut html, &text[at..start]);
        html.push_str("<mark>");
        escape_into(&mut html, &text[start..end]);
        html.push_str("</mark>");
        at = end;
    }
    escape_into(&mut html, &text[at..window.end]);
    html
}

pub(crate) fn escape_into(html: &mut String, text: &str) {
    for ch in text.chars() {
        match ch {
            '&' => html.push_str("&amp;"),
            '<' => html.push_str("&lt;"),
            '>' => html.push_str("&gt;"),
            '"' => html.push_str("&quot;"),
            '\'' => html.push_str("&#39;"),
            _ => html.push(ch),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(words: &[&str]) -> Vec<Vec<char>> {
        words.iter().map(|word| word.chars().collect()).collect()
    }

    #[test]
    fn title_marks_every_occurrence_case_insensitively_and_escapes_the_rest() {
        let html = title_html("<b>Java</b> & JAVASCRIPT", &terms(&["java"]));
        assert_eq!(
            html,
            "&lt;b&gt;<mark>Java</mark>&lt;/b&gt; &amp; <mark>JAVA</mark>SCRIPT"
        );
    }

    #[test]
    fn overlapping_terms_make_one_mark() {
        let html = title_html("会计师事务所", &terms(&["会计", "计师"]));
        assert_eq!(html, "<mark>会计师</mark>事务所");
    }

    #[test]
    fn a_long_description_shows_a_fragment_around_the_match() {
        let description = format!("{}招聘电工{}", "前".repeat(200), "后".repeat(200));
        let html = snippet_html(&description, &terms(&["电工"]));
        let expected = format!(
            "…{}招聘<mark>电工</mark>{}…",
            "前".repeat(18),
            "后".repeat(SNIPPET_CHARS - 22)
        );
        assert_eq!(html, expected);
    }

    #[test]
    fn the_fragment_prefers_the_place_showing_more_terms() {
        let description = format!("司机{}司机 夜班{}", "甲".repeat(150), "乙".repeat(150));
        let html = snippet_html(&description, &terms(&["司机", "夜班"]));
        assert!(
            html.contains("<mark>司机</mark> <mark>夜班</mark>"),
            "{html}"
        );
    }

    #[test]
    fn without_a_match_the_fragment_is_the_beginning() {
        let description = "'".repeat(300);
        let html = snippet_html(&description, &terms(&["无"]));
        assert_eq!(html, format!("{}…", "&#39;".repeat(SNIPPET_CHARS)));
    }

    #[test]
    fn caseless_terms_are_found_where_folding_the_text_finds_them() {
        let alphabet: Vec<char> = "哈会计师A a İＡ（）,，K\u{212A}k".chars().collect();
        let needles = terms(&["哈", "哈哈", "会计", "计师", "会计师", "哈（", "）会"]);
        let mut state: u64 = 0x2545_f491_4f6c_dd1d;
        for _ in 0..2_000 {
            let mut text = String::new();
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            for _ in 0..(state % 24) {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                text.push(alphabet[(state % alphabet.len() as u64) as usize]);
            }
            let folded = fold(&text);
            for (term, needle) in needles.iter().enumerate() {
                let (mut quick, mut slow) = (Vec::new(), Vec::new());
                find_caseless(&text, needle, term, &mut quick);
                find_folded(&folded, needle, term, &mut slow);
                let ranges = |found: &[Occurrence]| -> Vec<Range<usize>> {
                    found.iter().map(|o| o.bytes.clone()).collect()
                };
                assert_eq!(ranges(&quick), ranges(&slow), "{text:?} {needle:?}");
            }
        }
    }

    #[test]
    fn characters_that_change_length_when_lowercased_stay_on_char_boundaries() {
        // U+0130 lowercases to two characters; the mark covers the whole original character.
        let html = title_html("İSTANBUL", &terms(&["i\u{307}s"]));
        assert_eq!(html, "<mark>İS</mark>TANBUL");
    }
}
