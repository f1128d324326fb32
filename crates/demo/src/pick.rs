//! Drawing from word lists: uniform and weighted picks that cannot fail on the non-empty,
//! compile-time lists of this crate.

use rand::RngExt;
use rand::rngs::StdRng;

/// One element, uniformly. The lists are constants of this crate and never empty.
pub(crate) fn one<'a, T>(rng: &mut StdRng, items: &'a [T]) -> &'a T {
    &items[rng.random_range(0..items.len())]
}

/// One element, in proportion to its weight.
pub(crate) fn weighted<'a, T>(rng: &mut StdRng, items: &'a [(T, u32)]) -> &'a T {
    let total: u32 = items.iter().map(|(_, w)| w).sum();
    let mut ticket = rng.random_range(0..total.max(1));
    for (item, weight) in items {
        if ticket < *weight {
            return item;
        }
        ticket -= weight;
    }
    &items[items.len() - 1].0
}

/// `count` distinct elements in random order (all of them if there are fewer).
pub(crate) fn several<'a, T>(rng: &mut StdRng, items: &'a [T], count: usize) -> Vec<&'a T> {
    let mut indices: Vec<usize> = (0..items.len()).collect();
    let count = count.min(items.len());
    // A partial Fisher–Yates shuffle: only the first `count` places are drawn.
    for i in 0..count {
        let j = rng.random_range(i..indices.len());
        indices.swap(i, j);
    }
    indices[..count].iter().map(|&i| &items[i]).collect()
}

/// A character of a string of CJK characters, uniformly.
pub(crate) fn char_of(rng: &mut StdRng, chars: &str) -> char {
    let count = chars.chars().count();
    chars
        .chars()
        .nth(rng.random_range(0..count))
        .unwrap_or('金')
}
