//! The grams tokenizer: at every character, the grams of one to [`MAX_GRAM`] characters that
//! start there, lowercased, all at the position of that character.
//!
//! A term of up to [`MAX_GRAM`] characters occurs as a substring exactly when it occurs as a gram;
//! a longer one exactly when grams covering all its characters occur at the right distances, which
//! a phrase query checks. So the index finds the same posts as SQL `ILIKE '%term%'`. Grams up to
//! four characters (rather than bigrams only) make the common Chinese words of two to four
//! characters a single posting-list lookup and halve the phrase work for longer terms.

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

/// One character of the folded (lowercased) text, with the byte span of the original character
/// it came from; a character whose lowercase is several characters yields several entries.
#[derive(Clone, Copy, Debug)]
pub(crate) struct FoldedChar {
    pub(crate) ch: char,
    pub(crate) from: usize,
    pub(crate) to: usize,
}

/// Lowercases `text` one character at a time. The index, the query and the highlighter all fold
/// through here, so a term matches a text exactly when its folded characters occur in the text's.
pub(crate) fn fold(text: &str) -> Vec<FoldedChar> {
    let mut folded = Vec::with_capacity(text.len());
    for (from, original) in text.char_indices() {
        let to = from + original.len_utf8();
        if original.is_ascii() {
            let ch = original.to_ascii_lowercase();
            folded.push(FoldedChar { ch, from, to });
        } else if CASELESS.contains(&original) {
            // Most of a Chinese text: no lookup in the case tables (a twentieth of a page of
            // hits' time went there).
            folded.push(FoldedChar {
                ch: original,
                from,
                to,
            });
        } else {
            folded.extend(
                original
                    .to_lowercase()
                    .map(|ch| FoldedChar { ch, from, to }),
            );
        }
    }
    folded
}

/// CJK radicals and symbols, kana, bopomofo, enclosed and compatibility CJK, and the unified
/// ideographs with extension A: no character here has a lowercase other than itself (checked
/// character by character in the tests).
pub(crate) const CASELESS: std::ops::RangeInclusive<char> = '\u{2E80}'..='\u{9FFF}';

/// The longest gram indexed, in characters.
pub(crate) const MAX_GRAM: usize = 4;

#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct GramTokenizer;

pub(crate) struct GramTokenStream {
    chars: Vec<FoldedChar>,
    /// The next gram to consider starts at character `start` and is `length` characters long.
    start: usize,
    length: usize,
    token: Token,
}

impl Tokenizer for GramTokenizer {
    type TokenStream<'a> = GramTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> GramTokenStream {
        GramTokenStream {
            chars: fold(text),
            start: 0,
            length: 1,
            token: Token::default(),
        }
    }
}

impl TokenStream for GramTokenStream {
    fn advance(&mut self) -> bool {
        while self.start < self.chars.len() {
            let end = self.start + self.length;
            // Whitespace separates terms in a query, so no term contains it: grams stop before
            // it, and positions keep counting across it so that distances stay exact.
            let Some(last) = self
                .chars
                .get(end - 1)
                .filter(|last| !last.ch.is_whitespace())
            else {
                self.start += 1;
                self.length = 1;
                continue;
            };
            let first = self.chars[self.start];
            self.token.text.clear();
            self.token
                .text
                .extend(self.chars[self.start..end].iter().map(|c| c.ch));
            self.token.position = self.start;
            self.token.position_length = 1;
            self.token.offset_from = first.from;
            self.token.offset_to = last.to;
            if self.length == MAX_GRAM {
                self.start += 1;
                self.length = 1;
            } else {
                self.length += 1;
            }
            return true;
        }
        false
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(text: &str) -> Vec<(String, usize)> {
        let mut tokenizer = GramTokenizer;
        let mut stream = tokenizer.token_stream(text);
        let mut out = Vec::new();
        while let Some(token) = stream.next() {
            out.push((token.text.clone(), token.position));
        }
        out
    }

    #[test]
    fn emits_every_gram_of_up_to_four_characters_at_its_first_character() {
        let expected = [
            ("机", 0),
            ("机电", 0),
            ("机电工", 0),
            ("机电工程", 0),
            ("电", 1),
            ("电工", 1),
            ("电工程", 1),
            ("电工程师", 1),
            ("工", 2),
            ("工程", 2),
            ("工程师", 2),
            ("程", 3),
            ("程师", 3),
            ("师", 4),
        ];
        let expected: Vec<_> = expected.iter().map(|(t, p)| (t.to_string(), *p)).collect();
        assert_eq!(tokens("机电工程师"), expected);
    }

    #[test]
    fn lowercases_and_stops_at_whitespace_but_keeps_positions() {
        let expected = [("a", 0), ("a", 2), ("ab", 2), ("b", 3)];
        let expected: Vec<_> = expected.iter().map(|(t, p)| (t.to_string(), *p)).collect();
        assert_eq!(tokens("A AB"), expected);
    }

    #[test]
    fn the_caseless_range_has_no_character_with_another_lowercase() {
        for ch in CASELESS {
            assert_eq!(
                ch.to_lowercase().collect::<Vec<_>>(),
                [ch],
                "U+{:04X}",
                ch as u32
            );
        }
        for ch in (0..128u8).map(char::from) {
            assert_eq!(
                ch.to_lowercase().collect::<Vec<_>>(),
                [ch.to_ascii_lowercase()]
            );
        }
        // Nor does any other character lowercase into it: a caseless term is found by bytes.
        for ch in (0..=0x10FFFF).filter_map(char::from_u32) {
            if !CASELESS.contains(&ch) {
                assert!(
                    ch.to_lowercase().all(|lower| !CASELESS.contains(&lower)),
                    "U+{:04X}",
                    ch as u32
                );
            }
        }
        let folded: String = fold("ＡＢ会计İ").iter().map(|f| f.ch).collect();
        assert_eq!(folded, "ａｂ会计i\u{307}");
    }

    #[test]
    fn offsets_point_at_the_original_characters() {
        let mut tokenizer = GramTokenizer;
        let mut stream = tokenizer.token_stream("会计Ⅻ");
        let mut spans = Vec::new();
        while let Some(token) = stream.next() {
            spans.push((token.offset_from, token.offset_to));
        }
        assert_eq!(spans, [(0, 3), (0, 6), (0, 9), (3, 6), (3, 9), (6, 9)]);
    }
}
