//! The recall guarantee: the index finds exactly the posts that SQL
//! `(title||' '||employer||' '||description) ILIKE '%term%'` finds for every term.

mod common;

use std::collections::BTreeSet;

use common::{index_of, job, query};
use linkong_search::JobDoc;

/// A small deterministic generator (xorshift), so a failure can be reproduced.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, bound: usize) -> usize {
        (self.next() % bound as u64) as usize
    }

    fn pick<'a>(&mut self, items: &'a [char]) -> &'a char {
        &items[self.below(items.len())]
    }
}

/// Few distinct characters, so that substrings repeat, overlap and straddle words.
const VARIED: &[char] = &[
    '会', '计', '师', '电', '工', '前', '端', '司', '机', '程', '员', '助', '理', 'J', 'a', 'v',
    'A', 'S', 's', '1', ' ', ' ', '，', '(', '"',
];

/// So few characters that long terms nearly occur everywhere: a phrase that skipped a character
/// of the term, or let its grams drift apart, would find posts it must not.
const FEW: &[char] = &['a', 'B', 'b', '会', ' '];

fn text(random: &mut Random, alphabet: &[char], max_chars: usize) -> String {
    let length = 1 + random.below(max_chars);
    (0..length).map(|_| *random.pick(alphabet)).collect()
}

fn posts(random: &mut Random, alphabet: &[char]) -> Vec<JobDoc> {
    (1..=500)
        .map(|id| {
            let title = text(random, alphabet, 12);
            let employer = text(random, alphabet, 10);
            let description = text(random, alphabet, 80);
            job(id, &title, &employer, &description)
        })
        .collect()
}

fn lowercase(text: &str) -> String {
    text.chars().flat_map(char::to_lowercase).collect()
}

/// What the SQL search finds: every whitespace-separated term a substring of the joined texts.
fn brute_force(posts: &[JobDoc], terms: &str) -> BTreeSet<i64> {
    let terms: Vec<String> = terms.split_whitespace().map(lowercase).collect();
    posts
        .iter()
        .filter(|post| {
            let joined = lowercase(&format!(
                "{} {} {}",
                post.title, post.employer, post.description
            ));
            terms.iter().all(|term| joined.contains(term.as_str()))
        })
        .map(|post| post.id)
        .collect()
}

#[test]
fn hits_are_exactly_the_posts_containing_every_term() {
    #[rustfmt::skip]
    let fixed = [
        "会计", "电工", "前端", "司机", "java", "JAVA", "s", "会", "计师", "师会", "aa", "a a",
        "会计 电工", "jav 1", "(\"", "，会", "工程师", "员助理", "会会", "计计计", "1 s 会",
        "会计师电工", "javas", "计计计计计", "工程员助理会计", "会计师电工前端司机",
    ];
    assert_recall(VARIED, 0x5eed_1234_abcd_0001, &fixed);
}

#[test]
fn long_terms_match_exactly_even_in_text_of_few_letters() {
    let fixed = [
        "aaaaa",
        "abbab",
        "会会会会会",
        "ab会ba",
        "a b",
        "bbbbbbbbb",
        "aBaBaBaBaBaB",
    ];
    assert_recall(FEW, 0x0123_4567_89ab_cdef, &fixed);
}

/// Indexes 500 posts of `alphabet` and checks the `fixed` queries and 300 pieces of the posts
/// against the brute-force search.
fn assert_recall(alphabet: &[char], seed: u64, fixed: &[&str]) {
    let mut random = Random(seed);
    let posts = posts(&mut random, alphabet);
    let index = index_of(posts.clone());
    let mut queries: Vec<String> = fixed.iter().map(|term| term.to_string()).collect();
    // Pieces of the posts themselves, one to twelve characters long, alone and in pairs.
    for _ in 0..300 {
        let post = &posts[random.below(posts.len())];
        let source: Vec<char> = post.description.chars().collect();
        let start = random.below(source.len());
        let length = 1 + random.below(12);
        let piece: String = source[start..(start + length).min(source.len())]
            .iter()
            .collect();
        if random.below(3) == 0 {
            let other = text(&mut random, alphabet, 3);
            queries.push(format!("{piece} {other}"));
        } else {
            queries.push(piece);
        }
    }

    let mut checked = 0;
    for terms in &queries {
        if terms.split_whitespace().next().is_none() {
            continue;
        }
        let expected = brute_force(&posts, terms);
        let found = index.search(&query(terms)).expect("the search answers");
        let found_ids: BTreeSet<i64> = found.hits.iter().map(|hit| hit.id).collect();
        assert_eq!(found_ids, expected, "terms {terms:?}");
        assert_eq!(found.total, expected.len(), "terms {terms:?}");
        checked += 1;
    }
    assert!(checked > 250, "only {checked} queries were checked");
}
