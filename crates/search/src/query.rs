//! Turns a [`JobQuery`] into a tantivy query, without tantivy's query parser: the user's text is
//! only ever matched as text, so `"(*:^~` are ordinary characters.

use std::ops::Bound;

use tantivy::Term;
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, Occur, PhraseQuery, Query, RangeQuery,
    TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::TextAnalyzer;

use crate::JobQuery;
use crate::grams::{MAX_GRAM, fold};
use crate::presence::Presence;
use crate::schema::{Fields, TextFields, day_number};
use crate::sum::Sum;

/// Keywords beyond these are ignored, as by the SQL search the index stands in for.
pub(crate) const MAX_TERMS: usize = 8;
pub(crate) const MAX_TERM_CHARS: usize = 30;

/// The keywords of `text`: split on whitespace, at most [`MAX_TERMS`] of them, each cut to
/// [`MAX_TERM_CHARS`] characters and lowercased; repeats are dropped as they change nothing.
pub(crate) fn parse_terms(text: &str) -> Vec<String> {
    let mut terms: Vec<String> = Vec::new();
    for word in text.split_whitespace().take(MAX_TERMS) {
        let cut: String = word.chars().take(MAX_TERM_CHARS).collect();
        let term: String = fold(&cut).iter().map(|folded| folded.ch).collect();
        if !term.is_empty() && !terms.contains(&term) {
            terms.push(term);
        }
    }
    terms
}

/// Every term must occur as a substring of the title, employer or description; filters must hold.
/// Where the field holds the term scores a constant (title above employer above description;
/// for a term of up to four characters, one posting list in the presence field gives that); a
/// term that is one whole jieba word also scores that word's frequency in each field (BM25), so
/// that a post with 会计 as a word ranks above one with it inside 会计师. A term of several words
/// (五险一金: 五险 and 一金) scores by field alone: every post it matches holds its words side
/// by side, so their frequencies would rank by length and repetition only, at a third of the
/// search's time.
pub(crate) fn build_query(
    fields: &Fields,
    terms: &[String],
    query: &JobQuery,
    expiry: Expiry,
    words: &mut TextAnalyzer,
) -> Box<dyn Query> {
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    let filters = filters(fields, query, expiry);
    let alone = terms.len() == 1 && filters.is_empty();
    for term in terms {
        let mut substring = if term.chars().count() <= MAX_GRAM {
            // One posting list: the gram in the presence field, scored as the three texts'.
            let gram = Term::from_field_text(fields.presence, term);
            vec![Box::new(Presence::new(gram)) as Box<dyn Query>]
        } else {
            substring_queries(&fields.texts(), term)
        };
        let one_word = matches!(jieba_words(words, term).as_slice(), [word] if word == term);
        let word_queries: Vec<Box<dyn Query>> = if one_word {
            fields
                .texts()
                .iter()
                .map(|text| {
                    let word_query = TermQuery::new(
                        Term::from_field_text(text.words, term),
                        IndexRecordOption::WithFreqs,
                    );
                    boosted(word_query, text.boost)
                })
                .collect()
        } else {
            Vec::new()
        };
        let term_query: Box<dyn Query> = if alone {
            // The query is this term and nothing else, so its union is walked post by post:
            // tantivy's union, which does that a window of posts at a time, is the faster. And
            // every post holding the word holds the term, so one union of both kinds matches
            // the same posts with the same scores, and spares seeking the word's postings at
            // each hit.
            substring.extend(word_queries);
            let should = substring.into_iter().map(|q| (Occur::Should, q)).collect();
            Box::new(BooleanQuery::new(should))
        } else if substring.len() == 1 && word_queries.is_empty() {
            // A short term that is no single word: its presence postings as they are.
            substring.remove(0)
        } else {
            // Beside another term or a filter the union is mostly asked to jump to a post that
            // another clause found; the words are sought only where the term matched.
            Box::new(Sum::new(substring, word_queries))
        };
        clauses.push((Occur::Must, term_query));
    }
    clauses.extend(filters);
    if clauses.is_empty() {
        // No keyword, no filter, and no expired post in the index: every post.
        return Box::new(AllQuery);
    }
    Box::new(BooleanQuery::new(clauses))
}

/// The clauses that restrict the posts without scoring: the ticked filters, and expiry unless
/// the index was swept on the query's day.
fn filters(fields: &Fields, query: &JobQuery, expiry: Expiry) -> Vec<(Occur, Box<dyn Query>)> {
    let mut filters: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for (field, value) in [
        (fields.industry, &query.industry),
        (fields.leading, &query.leading),
        (fields.street, &query.street),
        (fields.education, &query.education),
    ] {
        if let Some(value) = value {
            let term = Term::from_field_text(field, value);
            filters.push(filter(TermQuery::new(term, IndexRecordOption::Basic)));
        }
    }
    if let Some(emerging) = query.emerging {
        let term = Term::from_field_bool(fields.emerging, emerging);
        filters.push(filter(TermQuery::new(term, IndexRecordOption::Basic)));
    }
    if let Some(salary) = query.salary_at_least {
        filters.push(filter(at_least(fields.salary_max, salary)));
    }
    // A post is valid through its last day; one that ended before today is expired.
    if expiry == Expiry::Filter {
        filters.push(filter(at_least(
            fields.valid_until,
            day_number(query.today),
        )));
    }
    filters
}

/// Whether a search must leave out expired posts itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Expiry {
    /// The index may hold posts expired on the query's day.
    Filter,
    /// The index was swept of them on that day or later (`JobIndex::remove_expired`).
    Swept,
}

/// Matches the documents in which `term` occurs as a substring of one of `texts` (the job
/// index's or the policy index's text fields).
pub(crate) fn substring_query_in(texts: &[TextFields], term: &str) -> Box<dyn Query> {
    Box::new(Sum::new(substring_queries(texts, term), Vec::new()))
}

/// One query per text field, each matching the documents in which `term` occurs as a
/// substring of that field: a term query on the gram when the term is short enough to be one,
/// else a phrase of grams covering it.
fn substring_queries(texts: &[TextFields], term: &str) -> Vec<Box<dyn Query>> {
    let chars: Vec<char> = term.chars().collect();
    texts
        .iter()
        .copied()
        .map(|text: TextFields| {
            let field = text.grams;
            let query: Box<dyn Query> = if chars.len() <= MAX_GRAM {
                let gram = Term::from_field_text(field, term);
                Box::new(TermQuery::new(gram, IndexRecordOption::Basic))
            } else {
                let grams = covering_grams(chars.len())
                    .map(|at| {
                        let gram = String::from_iter(&chars[at..at + MAX_GRAM]);
                        (at, Term::from_field_text(field, &gram))
                    })
                    .collect();
                Box::new(PhraseQuery::new_with_offset(grams))
            };
            // Where the term occurs scores a constant: the words fields rank by frequency, and a
            // phrase without scoring stops at its first occurrence instead of counting them all.
            let constant: Box<dyn Query> = Box::new(ConstScoreQuery::new(query, text.boost));
            constant
        })
        .collect()
}

/// Where the fewest grams of [`MAX_GRAM`] characters start that together cover all `length`
/// characters: every [`MAX_GRAM`]th character, and the last gram flush with the end.
fn covering_grams(length: usize) -> impl Iterator<Item = usize> {
    let last = length - MAX_GRAM;
    (0..last).step_by(MAX_GRAM).chain([last])
}

/// The distinct jieba words of `term`, as the title/employer/description words fields hold them,
/// without the words inside a longer one: jieba's search mode cuts 工程师 into 工程 and 工程师,
/// and it is the one word 工程师.
pub(crate) fn jieba_words(analyzer: &mut TextAnalyzer, term: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    let mut stream = analyzer.token_stream(term);
    while let Some(token) = stream.next() {
        let word = token.text.trim();
        if !word.is_empty() && !words.iter().any(|known| known == word) {
            words.push(word.to_owned());
        }
    }
    let whole: Vec<String> = words.clone();
    words.retain(|word| {
        !whole
            .iter()
            .any(|longer| longer.len() > word.len() && longer.contains(word.as_str()))
    });
    words
}

fn at_least(field: Field, value: i64) -> impl Query {
    RangeQuery::new(
        Bound::Included(Term::from_field_i64(field, value)),
        Bound::Unbounded,
    )
}

/// A clause that restricts the result without changing any score.
fn filter(query: impl Query) -> (Occur, Box<dyn Query>) {
    (
        Occur::Must,
        Box::new(ConstScoreQuery::new(Box::new(query), 0.0)),
    )
}

pub(crate) fn boosted(query: impl Query, boost: f32) -> Box<dyn Query> {
    Box::new(BoostQuery::new(Box::new(query), boost))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_are_split_lowercased_cut_and_capped() {
        let long = "长".repeat(40);
        let text = format!("  Java\t前端  JAVA {long} a b c d e f g h");
        let terms = parse_terms(&text);
        assert_eq!(terms[0], "java");
        assert_eq!(terms[1], "前端");
        assert_eq!(terms[2], "长".repeat(MAX_TERM_CHARS));
        // Eight words were taken (the repeated JAVA among them), seven remain distinct.
        assert_eq!(terms.len(), 7);
    }

    #[test]
    fn covering_grams_cover_every_character_with_the_fewest_grams() {
        let starts = |length| covering_grams(length).collect::<Vec<_>>();
        assert_eq!(starts(5), [0, 1]);
        assert_eq!(starts(8), [0, 4]);
        assert_eq!(starts(9), [0, 4, 5]);
        assert_eq!(starts(12), [0, 4, 8]);
        assert_eq!(starts(30), [0, 4, 8, 12, 16, 20, 24, 26]);
    }

    #[test]
    fn a_term_keeps_its_longest_jieba_words_only() {
        let mut analyzer = crate::schema::jieba_analyzer();
        // Search mode also cuts 工程 out of 工程师: inside the longer word, it is dropped.
        assert_eq!(jieba_words(&mut analyzer, "工程师"), ["工程师"]);
        assert_eq!(jieba_words(&mut analyzer, "五险一金"), ["五险", "一金"]);
        assert_eq!(
            jieba_words(&mut analyzer, "熟悉javascript"),
            ["熟悉", "javascript"]
        );
    }

    #[test]
    fn blank_text_has_no_terms() {
        assert!(parse_terms(" \t\n　").is_empty());
    }
}
