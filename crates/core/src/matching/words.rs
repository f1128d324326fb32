//! The seeker's words against the posts' words: BM25 over the tokens of the search crate's
//! tokenizer (jieba, lowercased), given to this module as a function so that core stays free
//! of the tokenizer's dictionary.
//!
//! A post's text is two fields: its heading (title and occupation) and its body (description).
//! Each word the seeker brings (a major's word such as 会计, a skill such as Excel) is tokenized
//! like the posts; a token's BM25 term score `tf·(k1+1) / (tf + k1·(1−b+b·len/avglen))` is
//! capped at 1 — the score of one mention in a field of average length — and a word's share is
//! the idf-weighted mean of its tokens' capped scores. So a share of 1 is every token named at
//! least once in a text of ordinary length; a longer text needs more mentions (b), repeats
//! saturate (k1), and rare tokens count more than common ones (idf).

use std::collections::HashMap;

use super::{Contribution, Factor, Opening, Seeker, Weights, major_words, part};

/// The tokenizer: text to lowercased words, as the search index cuts them.
pub type Tokenize<'a> = &'a (dyn Fn(&str) -> Vec<String> + Sync);

/// BM25's two constants: term-frequency saturation and length normalisation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bm25 {
    pub k1: f64,
    pub b: f64,
}

/// One post's tokens, heading and body, cut once (cutting is the slow part).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PostWords {
    pub heading: Vec<String>,
    pub body: Vec<String>,
}

impl PostWords {
    pub fn of(post: &Opening, tokenize: Tokenize<'_>) -> PostWords {
        PostWords {
            heading: tokenize(&format!("{} {}", post.title, post.occupation)),
            body: tokenize(&post.description),
        }
    }
}

/// One field of one post: its terms with their frequencies, sorted by term, and its length.
#[derive(Debug, Clone, Default)]
struct Field {
    terms: Box<[(u32, u32)]>,
    len: u32,
}

impl Field {
    fn of(tokens: &[String], ids: &mut HashMap<String, u32>) -> Field {
        let mut terms: Vec<(u32, u32)> = Vec::with_capacity(tokens.len());
        for token in tokens {
            let next = ids.len() as u32;
            let id = *ids.entry(token.clone()).or_insert(next);
            terms.push((id, 1));
        }
        terms.sort_unstable();
        terms.dedup_by(|later, kept| {
            let same = later.0 == kept.0;
            if same {
                kept.1 += 1;
            }
            same
        });
        Field {
            terms: terms.into_boxed_slice(),
            len: tokens.len() as u32,
        }
    }

    fn tf(&self, term: u32) -> u32 {
        self.terms
            .binary_search_by_key(&term, |t| t.0)
            .map_or(0, |at| self.terms[at].1)
    }
}

/// The open posts' words as an inverted index: which posts name a term, how often, in which
/// field, and how long each field is.
#[derive(Debug, Clone)]
pub struct PostTexts {
    ids: HashMap<String, u32>,
    /// Posts naming each term, ascending.
    postings: Vec<Vec<u32>>,
    heading: Vec<Field>,
    body: Vec<Field>,
    avg_heading: f64,
    avg_body: f64,
    bm25: Bm25,
}

/// A seeker's word resolved against the posts: its tokens' terms (None: no post names it)
/// and idf.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Word {
    pub(crate) label: String,
    terms: Vec<(Option<u32>, f64)>,
    idf_sum: f64,
}

impl PostTexts {
    pub fn build(words: &[PostWords], bm25: Bm25) -> PostTexts {
        let mut ids = HashMap::new();
        let heading: Vec<Field> = words
            .iter()
            .map(|w| Field::of(&w.heading, &mut ids))
            .collect();
        let body: Vec<Field> = words.iter().map(|w| Field::of(&w.body, &mut ids)).collect();
        let mut postings: Vec<Vec<u32>> = vec![Vec::new(); ids.len()];
        for (post, (h, b)) in heading.iter().zip(&body).enumerate() {
            let mut terms: Vec<u32> = h.terms.iter().chain(b.terms.iter()).map(|t| t.0).collect();
            terms.sort_unstable();
            terms.dedup();
            for term in terms {
                postings[term as usize].push(post as u32);
            }
        }
        // The average of the fields that have words: a post without a description does not
        // make the others' descriptions look long.
        let average = |fields: &[Field]| {
            let filled = fields.iter().filter(|f| f.len > 0);
            let total: f64 = filled.clone().map(|f| f64::from(f.len)).sum();
            (total / filled.count().max(1) as f64).max(1.0)
        };
        PostTexts {
            avg_heading: average(&heading),
            avg_body: average(&body),
            ids,
            postings,
            heading,
            body,
            bm25,
        }
    }

    /// BM25's idf of a term named by `df` of the posts (never negative).
    fn idf(&self, df: usize) -> f64 {
        let n = self.heading.len() as f64;
        let df = df as f64;
        (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
    }

    /// `label` cut into tokens and resolved against the posts; None when it has no token.
    pub(crate) fn word(&self, label: &str, tokenize: Tokenize<'_>) -> Option<Word> {
        let mut tokens = tokenize(label);
        tokens.sort_unstable();
        tokens.dedup();
        let terms: Vec<(Option<u32>, f64)> = tokens
            .iter()
            .map(|t| {
                let id = self.ids.get(t).copied();
                let df = id.map_or(0, |id| self.postings[id as usize].len());
                (id, self.idf(df))
            })
            .collect();
        let idf_sum: f64 = terms.iter().map(|t| t.1).sum();
        (!terms.is_empty() && idf_sum > 0.0).then(|| Word {
            label: label.trim().to_owned(),
            terms,
            idf_sum,
        })
    }

    /// The posts naming `term`, ascending.
    pub(crate) fn postings(&self, term: u32) -> &[u32] {
        &self.postings[term as usize]
    }

    /// A term's BM25 score in one field, capped at one mention in a field of average length.
    fn capped(&self, field: &Field, avg: f64, term: u32) -> f64 {
        let tf = f64::from(field.tf(term));
        if tf == 0.0 {
            return 0.0;
        }
        let Bm25 { k1, b } = self.bm25;
        let norm = k1 * (1.0 - b + b * f64::from(field.len) / avg);
        (tf * (k1 + 1.0) / (tf + norm)).min(1.0)
    }

    /// The share (0 to 1) of `word` that post `post`'s heading, or body, names.
    fn share(&self, word: &Word, post: usize, heading: bool) -> f64 {
        let (field, avg) = if heading {
            (&self.heading[post], self.avg_heading)
        } else {
            (&self.body[post], self.avg_body)
        };
        let named: f64 = word
            .terms
            .iter()
            .filter_map(|(term, idf)| term.map(|t| idf * self.capped(field, avg, t)))
            .sum();
        named / word.idf_sum
    }

    /// The share of `word` the post names in either field.
    fn share_anywhere(&self, word: &Word, post: usize) -> f64 {
        let named: f64 = word
            .terms
            .iter()
            .filter_map(|(term, idf)| {
                let term = (*term)?;
                let heading = self.capped(&self.heading[post], self.avg_heading, term);
                let body = self.capped(&self.body[post], self.avg_body, term);
                Some(idf * heading.max(body))
            })
            .sum();
        named / word.idf_sum
    }
}

/// A seeker's major and skills resolved against the posts' words.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SeekerWords {
    pub(crate) major: Vec<Word>,
    pub(crate) skills: Vec<Word>,
}

impl SeekerWords {
    pub(crate) fn of(seeker: &Seeker, texts: &PostTexts, tokenize: Tokenize<'_>) -> SeekerWords {
        let major = major_words(&seeker.major)
            .iter()
            .filter_map(|w| texts.word(w, tokenize))
            .collect();
        let mut skills: Vec<Word> = Vec::new();
        for skill in seeker.skills.iter().map(|s| s.trim()) {
            if skills.iter().any(|w| w.label == skill) {
                continue;
            }
            skills.extend(texts.word(skill, tokenize));
        }
        SeekerWords { major, skills }
    }

    /// The most points each token any post names can add to major and skills together,
    /// lowest first: a post naming only tokens of a set earns at most their sum in words.
    pub(crate) fn impacts(&self, weights: &Weights) -> Vec<(u32, f64)> {
        let mut impact: HashMap<u32, f64> = HashMap::new();
        let whole: f64 = self.skills.iter().map(|w| w.idf_sum).sum();
        let roles = [
            (&self.major, weights.of(Factor::Major), None),
            (&self.skills, weights.of(Factor::Skills), Some(whole)),
        ];
        for (words, full, over) in roles {
            for word in words {
                let over = over.unwrap_or(word.idf_sum);
                for (term, idf) in &word.terms {
                    if let Some(term) = term {
                        *impact.entry(*term).or_default() += full * idf / over;
                    }
                }
            }
        }
        let mut impacts: Vec<(u32, f64)> = impact.into_iter().collect();
        impacts.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
        impacts
    }
}

/// Major: the best of the major's words, by its BM25 share in the post's heading (full points)
/// or half its share in the body (专业匹配：会计学 ↔ 会计).
pub(crate) fn major_part(
    seeker: &Seeker,
    words: &SeekerWords,
    texts: &PostTexts,
    post: usize,
    weights: &Weights,
    explain: bool,
) -> Contribution {
    let mut best: Option<(f64, &Word)> = None;
    for word in &words.major {
        let share = texts
            .share(word, post, true)
            .max(texts.share(word, post, false) / 2.0);
        if share > 0.0 && best.is_none_or(|(s, _)| share > s) {
            best = Some((share, word));
        }
    }
    let Some((share, word)) = best else {
        return part(Factor::Major, 0.0, None);
    };
    let reason = explain.then(|| format!("专业匹配：{} ↔ {}", seeker.major.trim(), word.label));
    part(Factor::Major, weights.of(Factor::Major) * share, reason)
}

/// Skills: the idf-weighted BM25 share of all the skills' tokens the post names; the reason
/// lists the skills named at least half (技能匹配：Excel、出纳).
pub(crate) fn skills_part(
    words: &SeekerWords,
    texts: &PostTexts,
    post: usize,
    weights: &Weights,
    explain: bool,
) -> Contribution {
    let mut named = 0.0;
    let mut whole = 0.0;
    let mut found: Vec<&str> = Vec::new();
    for word in &words.skills {
        let share = texts.share_anywhere(word, post);
        named += share * word.idf_sum;
        whole += word.idf_sum;
        if explain && share >= 0.5 {
            found.push(&word.label);
        }
    }
    if named <= 0.0 {
        return part(Factor::Skills, 0.0, None);
    }
    let reason = (explain && !found.is_empty()).then(|| format!("技能匹配：{}", found.join("、")));
    part(
        Factor::Skills,
        weights.of(Factor::Skills) * named / whole,
        reason,
    )
}
