//! The open posts as the matcher holds them, and the one scoring function every list uses:
//! a live page, a push list, the nightly batch and the benchmark's brute force alike.
//!
//! [`Matcher::top`] finds the same best `n` as [`Matcher::rank`] without scoring every post.
//! Of a seeker's score, only major and skills depend on the post's words, and they are 0 on a
//! post naming none of the seeker's tokens. Every other factor depends on one attribute of the
//! post only — its street (near), education asked — or on the post alone (freshness,
//! verification, risk), or is bounded by its weight and scored exactly per post (salary,
//! occupation, level: the occupation compares codes, which the occupation group does not
//! bound). So the posts are put in buckets of equal street and education; a bucket's best
//! possible score is known
//! before any of its posts is scored; buckets are visited best first and a post is scored only
//! while it could still enter the list. The posts naming the seeker's tokens (the inverted
//! index's candidates) are scored alike, with their words' points added to the bound.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::streets::near_part;
use super::words::{PostTexts, PostWords, SeekerWords, Tokenize, major_part, skills_part};
use super::{
    Contribution, Factor, Match, Opening, Seeker, Weights, education_part, flag_part, fresh_part,
    level_part, occupation_part, salary_part,
};

/// The streets' names by unit code, for the reasons (jinghe → 径河街道).
pub type StreetNames = HashMap<String, String>;

/// What a factor's points depend on, which decides how [`Matcher::top`] bounds them.
enum Reach {
    /// The seeker's words in the post's text: 0 unless the post names one of them.
    Words,
    /// The post's street only.
    Street,
    /// The education the post asks only.
    Level,
    /// The post alone, the same for every seeker.
    Post,
    /// At most the factor's weight, scored exactly per post before the post is scored whole.
    Weight,
}

/// Every factor's reach; a factor added later must say its own here.
fn reach(factor: Factor) -> Reach {
    match factor {
        Factor::Major | Factor::Skills => Reach::Words,
        Factor::Near => Reach::Street,
        Factor::Education => Reach::Level,
        Factor::Fresh | Factor::Verified | Factor::FraudRisk => Reach::Post,
        Factor::Salary | Factor::Occupation | Factor::Level => Reach::Weight,
    }
}

/// A seeker ready to be scored: their words resolved against the posts'.
#[derive(Debug, Clone)]
pub struct Query<'s> {
    pub seeker: &'s Seeker,
    words: SeekerWords,
}

/// The most points in words a post outside the candidates may earn (see [`Matcher::top`]).
const WORDS_SLACK: f64 = 3.0;

thread_local! {
    /// Per post, what the weightier tokens it names can add (0: names none); kept between
    /// lists of one thread and cleared after each, so a list touches only its candidates.
    static REACH: std::cell::RefCell<Vec<f64>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// The order of a list: best total first, then the post's place in the posts. Totals are
/// compared to a millionth of a point, so that a bound added up in another order than the
/// total it bounds cannot differ from it by rounding.
fn order_key(total: f64) -> i64 {
    (total * 1e6).round() as i64
}

/// The best `n` so far, as (order key, post), best first.
struct Best {
    n: usize,
    found: Vec<(i64, usize)>,
}

impl Best {
    fn new(n: usize) -> Best {
        Best {
            n,
            found: Vec::with_capacity(n + 1),
        }
    }

    /// Could a post of this bound (and place) still enter the list?
    fn may_take(&self, bound: f64, post: usize) -> bool {
        if self.found.len() < self.n {
            return true;
        }
        // One millionth of slack: the bound's rounding may differ from the total's.
        let bound = order_key(bound) + 1;
        let (key, last) = self.found[self.n - 1];
        bound > key || (bound == key && post < last)
    }

    /// Is the list full with every entry above `bound`, whatever the post's place?
    fn below(&self, bound: f64) -> bool {
        self.found.len() == self.n
            && self
                .found
                .last()
                .is_some_and(|&(key, _)| order_key(bound) + 1 < key)
    }

    fn offer(&mut self, total: f64, post: usize) {
        let entry = (order_key(total), post);
        let at = self
            .found
            .partition_point(|&(k, p)| k > entry.0 || (k == entry.0 && p < post));
        if at < self.n {
            self.found.insert(at, entry);
            self.found.truncate(self.n);
        }
    }
}

/// The posts of one street and education, best freshness-and-trust first.
struct Bucket {
    street: usize,
    level: usize,
    /// Posts by their own points (fresh, verified, risk) high to low, then by place.
    posts: Vec<u32>,
}

/// The open posts with their words indexed, scored on `today` under `weights`.
pub struct Matcher {
    posts: Vec<Opening>,
    weights: Weights,
    today: NaiveDate,
    street_names: StreetNames,
    texts: PostTexts,
    /// Each post's points that depend on the post alone.
    own: Vec<f64>,
    /// A post of each street and education asked (to score those factors on).
    streets: Vec<usize>,
    levels: Vec<usize>,
    /// Each post's bucket.
    bucket_of: Vec<u32>,
    buckets: Vec<Bucket>,
}

impl Matcher {
    /// Indexes `posts`, cutting their words with `tokenize`.
    pub fn new(
        posts: Vec<Opening>,
        weights: Weights,
        today: NaiveDate,
        street_names: StreetNames,
        tokenize: Tokenize<'_>,
    ) -> Matcher {
        let words: Vec<PostWords> = posts.iter().map(|p| PostWords::of(p, tokenize)).collect();
        Matcher::with_words(posts, &words, weights, today, street_names)
    }

    /// Indexes `posts` whose words were cut already (`words[i]` of `posts[i]`).
    pub fn with_words(
        posts: Vec<Opening>,
        words: &[PostWords],
        weights: Weights,
        today: NaiveDate,
        street_names: StreetNames,
    ) -> Matcher {
        let texts = PostTexts::build(words, weights.bm25);
        let mut matcher = Matcher {
            posts,
            weights,
            today,
            street_names,
            texts,
            own: Vec::new(),
            streets: Vec::new(),
            levels: Vec::new(),
            bucket_of: Vec::new(),
            buckets: Vec::new(),
        };
        matcher.own = (0..matcher.posts.len())
            .map(|p| matcher.own_points(p))
            .collect();
        matcher.fill_buckets();
        matcher
    }

    /// The posts the matcher holds.
    pub fn posts(&self) -> &[Opening] {
        &self.posts
    }

    /// The weights it scores with.
    pub fn weights(&self) -> &Weights {
        &self.weights
    }

    /// A street's name, or its code when the names do not have it.
    fn street_name(&self, code: &str) -> String {
        self.street_names
            .get(code)
            .map_or_else(|| code.to_owned(), Clone::clone)
    }

    /// `seeker` ready to be scored, their words cut with the posts' tokenizer.
    pub fn query<'s>(&self, seeker: &'s Seeker, tokenize: Tokenize<'_>) -> Query<'s> {
        Query {
            seeker,
            words: SeekerWords::of(seeker, &self.texts, tokenize),
        }
    }

    /// Every factor's points of `query` against post `post`, in [`Factor::ALL`]'s order; the
    /// reasons are written only when `explain`.
    fn parts(&self, query: &Query<'_>, post: usize, explain: bool) -> Vec<Contribution> {
        let (seeker, weights) = (query.seeker, &self.weights);
        let opening = &self.posts[post];
        let words = &query.words;
        vec![
            major_part(seeker, words, &self.texts, post, weights, explain),
            skills_part(words, &self.texts, post, weights, explain),
            occupation_part(seeker, opening, weights),
            education_part(seeker, opening, weights),
            salary_part(seeker, opening, weights),
            near_part(seeker, opening, weights, &|c| self.street_name(c), explain),
            fresh_part(opening, weights, self.today),
            flag_part(
                Factor::Verified,
                opening.employer_verified,
                weights,
                "单位已核验",
            ),
            flag_part(
                Factor::FraudRisk,
                opening.high_risk,
                weights,
                "风险提示：诈骗筛查标为高风险",
            ),
            level_part(seeker, opening, weights),
        ]
    }

    /// `query` scored against post `post`: each factor's points with its reason, and the total.
    pub fn score(&self, query: &Query<'_>, post: usize) -> Match {
        let parts = self.parts(query, post, true);
        Match {
            total: parts.iter().map(|c| c.points).sum(),
            parts,
        }
    }

    /// The total alone, without writing the reasons: the same sum as [`Matcher::score`]'s.
    fn total(&self, query: &Query<'_>, post: usize) -> f64 {
        self.parts(query, post, false)
            .iter()
            .map(|c| c.points)
            .sum()
    }

    /// The best `n` posts for `query`, best first (equal totals in the posts' order), scoring
    /// every post: the brute force [`Matcher::top`] is measured against.
    pub fn rank(&self, query: &Query<'_>, n: usize) -> Vec<(usize, Match)> {
        let mut best = Best::new(n);
        for post in 0..self.posts.len() {
            best.offer(self.total(query, post), post);
        }
        self.explained(query, &best)
    }

    /// The same list as [`Matcher::rank`], scoring only the posts that could enter it.
    pub fn top(&self, query: &Query<'_>, n: usize) -> Vec<(usize, Match)> {
        let mut best = Best::new(n);
        if n == 0 || self.posts.is_empty() {
            return Vec::new();
        }
        let bounds = self.bucket_bounds(query);
        // The tokens many posts name weigh little (idf): a post naming only such tokens
        // earns at most `slack` in words and is bounded with its bucket; the posts naming a
        // weightier token are the candidates, bounded by what their tokens can add.
        let impacts = query.words.impacts(&self.weights);
        let mut slack = 0.0;
        let low = impacts
            .iter()
            .take_while(|(_, points)| {
                slack += points;
                slack <= WORDS_SLACK
            })
            .count();
        let slack: f64 = impacts[..low].iter().map(|(_, points)| points).sum();
        REACH.with_borrow_mut(|reach| {
            if reach.len() < self.posts.len() {
                reach.resize(self.posts.len(), 0.0);
            }
            let mut candidates: Vec<u32> = Vec::new();
            for &(term, points) in &impacts[low..] {
                for &post in self.texts.postings(term) {
                    if reach[post as usize] == 0.0 {
                        candidates.push(post);
                    }
                    reach[post as usize] += points;
                }
            }
            self.visit_buckets(query, &bounds, slack, reach, &mut best);
            let words_full = self.words_full(query);
            for &post in &candidates {
                let post = post as usize;
                let bound = bounds[self.bucket_of[post] as usize] + self.own[post];
                let words = (reach[post] + slack).min(words_full);
                if best.may_take(bound + words, post)
                    && best.may_take(bound + self.words_points(query, post), post)
                {
                    best.offer(self.total(query, post), post);
                }
            }
            for post in candidates {
                reach[post as usize] = 0.0;
            }
        });
        self.explained(query, &best)
    }

    /// The posts naming none of the weightier tokens (`reach` 0), bucket by bucket, best
    /// first, while they could still enter the list; each is bounded closer (its own pay and
    /// words) before it is scored.
    fn visit_buckets(
        &self,
        query: &Query<'_>,
        bounds: &[f64],
        slack: f64,
        reach: &[f64],
        best: &mut Best,
    ) {
        let mut order: Vec<usize> = (0..self.buckets.len()).collect();
        order.sort_by(|&a, &b| {
            let top = |i: usize| bounds[i] + self.own[self.buckets[i].posts[0] as usize];
            top(b).total_cmp(&top(a))
        });
        let weight_bound = self.weight_bound_all(query.seeker);
        for b in order {
            for &post in &self.buckets[b].posts {
                let post = post as usize;
                let bound = bounds[b] + self.own[post] + slack;
                if best.below(bound) {
                    // The bucket's later posts, and the later buckets, can score no more.
                    break;
                }
                if reach[post] != 0.0 || !best.may_take(bound, post) {
                    continue;
                }
                let closer = bounds[b] - weight_bound
                    + self.weight_points(query.seeker, post)
                    + self.own[post]
                    + self.words_points(query, post);
                if best.may_take(closer, post) {
                    best.offer(self.total(query, post), post);
                }
            }
        }
    }

    /// The most the factors bounded by their weight can give `seeker` (see `bucket_bounds`).
    fn weight_bound_all(&self, seeker: &Seeker) -> f64 {
        Factor::ALL
            .iter()
            .filter(|f| matches!(reach(**f), Reach::Weight))
            .map(|f| self.weight_bound(seeker, *f))
            .sum()
    }

    /// What the factors bounded by their weight give `seeker` on post `post` (salary,
    /// occupation and level exactly; any other, at most its bound).
    fn weight_points(&self, seeker: &Seeker, post: usize) -> f64 {
        let (opening, weights) = (&self.posts[post], &self.weights);
        Factor::ALL
            .iter()
            .filter(|f| matches!(reach(**f), Reach::Weight))
            .map(|f| match f {
                Factor::Salary => salary_part(seeker, opening, weights).points,
                Factor::Occupation => occupation_part(seeker, opening, weights).points,
                Factor::Level => level_part(seeker, opening, weights).points,
                _ => self.weight_bound(seeker, *f),
            })
            .sum()
    }

    /// The points major and skills give `query` on post `post`.
    fn words_points(&self, query: &Query<'_>, post: usize) -> f64 {
        let (words, weights) = (&query.words, &self.weights);
        major_part(query.seeker, words, &self.texts, post, weights, false).points
            + skills_part(words, &self.texts, post, weights, false).points
    }

    /// The most points major and skills can give `query` on any post.
    fn words_full(&self, query: &Query<'_>) -> f64 {
        let full = |factor: Factor, any: bool| {
            if any { self.weights.of(factor) } else { 0.0 }
        };
        full(Factor::Major, !query.words.major.is_empty())
            + full(Factor::Skills, !query.words.skills.is_empty())
    }

    fn explained(&self, query: &Query<'_>, best: &Best) -> Vec<(usize, Match)> {
        best.found
            .iter()
            .map(|&(_, post)| (post, self.score(query, post)))
            .collect()
    }

    /// The points of post `post` that are the same for every seeker.
    fn own_points(&self, post: usize) -> f64 {
        let nobody = Seeker {
            major: String::new(),
            skills: Vec::new(),
            education: crate::jobs::Education::Any,
            wanted_group: None,
            wanted_occupation: None,
            wanted_level: None,
            wanted_salary: None,
            home_street: String::new(),
            wanted_streets: Vec::new(),
        };
        let query = Query {
            seeker: &nobody,
            words: SeekerWords {
                major: Vec::new(),
                skills: Vec::new(),
            },
        };
        self.parts(&query, post, false)
            .iter()
            .filter(|c| matches!(reach(c.factor), Reach::Post))
            .map(|c| c.points)
            .sum()
    }

    /// Puts every post in the bucket of its street and education asked.
    fn fill_buckets(&mut self) {
        let mut streets: HashMap<&str, usize> = HashMap::new();
        let mut levels: HashMap<crate::jobs::Education, usize> = HashMap::new();
        let mut keys: HashMap<(usize, usize), usize> = HashMap::new();
        for (i, post) in self.posts.iter().enumerate() {
            let slot = |seen: usize, reps: &mut Vec<usize>| {
                if seen == reps.len() {
                    reps.push(i);
                }
                seen
            };
            let next = streets.len();
            let s = slot(
                *streets.entry(post.street_code.as_str()).or_insert(next),
                &mut self.streets,
            );
            let next = levels.len();
            let l = slot(
                *levels.entry(post.education).or_insert(next),
                &mut self.levels,
            );
            let next = keys.len();
            let b = *keys.entry((s, l)).or_insert(next);
            if b == self.buckets.len() {
                self.buckets.push(Bucket {
                    street: s,
                    level: l,
                    posts: Vec::new(),
                });
            }
            self.buckets[b].posts.push(i as u32);
            self.bucket_of.push(b as u32);
        }
        let own = &self.own;
        for bucket in &mut self.buckets {
            bucket
                .posts
                .sort_by(|&a, &b| own[b as usize].total_cmp(&own[a as usize]).then(a.cmp(&b)));
        }
    }

    /// The most `query` can score in each bucket, leaving out the words (0 off the candidates)
    /// and the post's own points (added per post).
    fn bucket_bounds(&self, query: &Query<'_>) -> Vec<f64> {
        let on = |reps: &[usize], wanted: fn(&Reach) -> bool| -> Vec<f64> {
            reps.iter()
                .map(|&post| {
                    self.parts(query, post, false)
                        .iter()
                        .filter(|c| wanted(&reach(c.factor)))
                        .map(|c| c.points)
                        .sum()
                })
                .collect()
        };
        let street = on(&self.streets, |r| matches!(r, Reach::Street));
        let level = on(&self.levels, |r| matches!(r, Reach::Level));
        let weight = self.weight_bound_all(query.seeker);
        self.buckets
            .iter()
            .map(|b| street[b.street] + level[b.level] + weight)
            .collect()
    }

    /// The most a factor bounded by its weight can give `seeker`: salary gives nothing to a
    /// seeker who named no pay, occupation nothing to one who wants none, level nothing to one
    /// who wants no level.
    fn weight_bound(&self, seeker: &Seeker, factor: Factor) -> f64 {
        match factor {
            Factor::Salary if seeker.wanted_salary.is_none_or(|w| w <= 0) => 0.0,
            Factor::Occupation
                if seeker.wanted_group.is_none() && seeker.wanted_occupation.is_none() =>
            {
                0.0
            }
            Factor::Level if seeker.wanted_level.is_none() => 0.0,
            _ => self.weights.of(factor),
        }
    }
}
