//! Where a post's grams occur, in one field: each distinct gram of the title, the employer and
//! the description once, repeated by the weight of the texts that hold it (title 3, employer 2,
//! description 1: 工程 in the title and the description is there four times). A keyword of up
//! to [`MAX_GRAM`] characters is then one posting list, [`Presence`], whose term frequency is
//! the score the three texts' gram fields gave it: the sum of the weights of the texts it
//! occurs in. Before, such a keyword was a union of three posting lists — the term in each
//! text's grams — and walking, jumping and scoring that union was most of a search's matching.
//! Longer keywords stay phrases of grams on each text's own field, which keeps positions.
//!
//! [`MAX_GRAM`]: crate::grams::MAX_GRAM

use std::collections::HashMap;

use tantivy::postings::{Postings, SegmentPostings};
use tantivy::query::{EmptyScorer, EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::schema::IndexRecordOption;
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};
use tantivy::{DocId, DocSet, Score, SegmentReader, TantivyError, Term};

use crate::grams::{GramTokenizer, MAX_GRAM};

/// The presence field's tokenizer, by the name the index registers it under.
pub(crate) const PRESENCE: &str = "linkong_presence";

/// The weights of the title, the employer and the description, in the order
/// [`presence_text`] joins them: the boosts their gram fields score with.
pub(crate) const WEIGHTS: [u32; 3] = [3, 2, 1];

/// Between two texts in the presence field's value; taken out of the texts themselves.
const SEPARATOR: char = '\u{1f}';

/// The presence field's value: the title, the employer and the description, joined so that
/// [`PresenceTokenizer`] can tell them apart. (A value of the document rather than tokens made
/// beforehand: tantivy keeps a pre-tokenized value in the document as JSON, which made
/// indexing four times slower.)
pub(crate) fn presence_text(texts: [&str; 3]) -> String {
    let mut joined = String::with_capacity(texts.iter().map(|text| text.len() + 1).sum());
    for (index, text) in texts.into_iter().enumerate() {
        if index > 0 {
            joined.push(SEPARATOR);
        }
        joined.extend(text.chars().filter(|&ch| ch != SEPARATOR));
    }
    joined
}

/// Every distinct gram of a [`presence_text`], as many times as the summed [`WEIGHTS`] of the
/// texts holding it.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct PresenceTokenizer;

/// A gram as a key without an allocation: its characters, padded with NUL.
type GramKey = [char; MAX_GRAM];

impl Tokenizer for PresenceTokenizer {
    type TokenStream<'a> = PresenceTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> PresenceTokenStream {
        // Gram → (the texts already counted, one bit each; the summed weight).
        let mut grams: HashMap<GramKey, (u8, u32)> = HashMap::new();
        for (index, part) in text.split(SEPARATOR).take(WEIGHTS.len()).enumerate() {
            let bit = 1u8 << index;
            let mut stream = GramTokenizer.token_stream(part);
            while stream.advance() {
                let mut key = ['\0'; MAX_GRAM];
                for (slot, ch) in key.iter_mut().zip(stream.token().text.chars()) {
                    *slot = ch;
                }
                let (seen, sum) = grams.entry(key).or_insert((0, 0));
                if *seen & bit == 0 {
                    *seen |= bit;
                    *sum += WEIGHTS[index];
                }
            }
        }
        PresenceTokenStream {
            grams: grams
                .into_iter()
                .map(|(key, (_, weight))| (key, weight))
                .collect(),
            next: 0,
            left: 0,
            token: Token::default(),
        }
    }
}

pub(crate) struct PresenceTokenStream {
    grams: Vec<(GramKey, u32)>,
    next: usize,
    /// Repeats of the current gram still to give.
    left: u32,
    token: Token,
}

impl TokenStream for PresenceTokenStream {
    fn advance(&mut self) -> bool {
        if self.left > 0 {
            self.left -= 1;
            self.token.position += 1;
            return true;
        }
        let Some(&(key, weight)) = self.grams.get(self.next) else {
            return false;
        };
        self.next += 1;
        self.token.text.clear();
        self.token
            .text
            .extend(key.iter().take_while(|&&ch| ch != '\0'));
        self.token.position = self.token.position.wrapping_add(1);
        self.left = weight - 1;
        true
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

/// The posts whose presence field holds `term`, scored by its frequency there: the summed
/// weights of the texts that hold it.
#[derive(Clone, Debug)]
pub(crate) struct Presence {
    term: Term,
}

impl Presence {
    pub(crate) fn new(term: Term) -> Presence {
        Presence { term }
    }
}

impl Query for Presence {
    fn weight(&self, _: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(PresenceWeight {
            term: self.term.clone(),
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        visitor(&self.term, false);
    }
}

struct PresenceWeight {
    term: Term,
}

impl Weight for PresenceWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let index = reader.inverted_index(self.term.field())?;
        Ok(
            match index.read_postings(&self.term, IndexRecordOption::WithFreqs)? {
                Some(postings) => Box::new(PresenceScorer { postings, boost }),
                None => Box::new(EmptyScorer),
            },
        )
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.scorer(reader, 1.0)?;
        if scorer.seek(doc) != doc {
            return Err(TantivyError::InvalidArgument(format!(
                "Document #({doc}) does not match"
            )));
        }
        Ok(Explanation::new(
            "summed weight of the texts holding the gram",
            scorer.score(),
        ))
    }
}

struct PresenceScorer {
    postings: SegmentPostings,
    boost: Score,
}

impl DocSet for PresenceScorer {
    fn advance(&mut self) -> DocId {
        self.postings.advance()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        self.postings.seek(target)
    }

    fn doc(&self) -> DocId {
        self.postings.doc()
    }

    fn size_hint(&self) -> u32 {
        self.postings.size_hint()
    }
}

impl Scorer for PresenceScorer {
    fn score(&mut self) -> Score {
        self.postings.term_freq() as Score * self.boost
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn weights(texts: [&str; 3]) -> HashMap<String, usize> {
        let text = presence_text(texts);
        let mut counts = HashMap::new();
        let mut stream = PresenceTokenizer.token_stream(&text);
        while stream.advance() {
            *counts.entry(stream.token().text.clone()).or_default() += 1;
        }
        counts
    }

    #[test]
    fn a_gram_counts_once_per_text_by_that_texts_weight() {
        let counts = weights(["会计会计", "武汉会计", "出纳"]);
        // 会计 twice in the title, once in the employer's name: 3 + 2.
        assert_eq!(counts["会计"], 5);
        assert_eq!(counts["武汉"], 2);
        assert_eq!(counts["出纳"], 1);
        assert_eq!(counts["会计会计"], 3);
        assert!(!counts.contains_key("计出"), "no gram spans two texts");
    }

    #[test]
    fn grams_are_folded_as_the_gram_fields_fold_them() {
        let counts = weights(["", "", "AutoCAD 制图"]);
        assert_eq!(counts["cad"], 1);
        assert!(!counts.contains_key("CAD"));
        assert!(!counts.contains_key("d 制"), "no gram holds whitespace");
    }

    #[test]
    fn the_weights_are_the_gram_fields_boosts() {
        let (_, fields) = crate::schema::build_schema();
        assert_eq!(
            fields.texts().map(|text| text.boost),
            WEIGHTS.map(|weight| weight as f32)
        );
    }

    #[test]
    fn a_separator_inside_a_text_moves_no_gram_to_another_text() {
        let counts = weights(["会\u{1f}计", "", "出纳"]);
        assert_eq!(counts["会计"], 3);
        assert_eq!(counts["出纳"], 1);
    }
}
