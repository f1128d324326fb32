//! [`Sum`]: the posts any of some queries match, scored by the sum of the scores of every query
//! that matches the post — including queries that only add to the score and never decide a match.
//!
//! A search's keywords are unions (the term in the title, the employer or the description) that
//! are intersected with each other and with the filters, so a keyword beside another clause is
//! mostly a union asked to jump ahead to a post another clause found. tantivy's own union buffers
//! a window of 4,096 documents: each jump beyond the window clears that window's bitset and
//! scores and fills it again from every part — about 30 % of the server's CPU under searches
//! alone. A union of a few posting lists is cheaper kept lazily there: a jump is a skip-list seek
//! in each part, and a post's score is summed from the parts that sit on it. A keyword alone is
//! walked post by post, which tantivy's union does faster; `query::build_query` keeps it there.

use tantivy::query::{EmptyScorer, EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, SegmentReader, TERMINATED, TantivyError, Term};

/// Matches what any of `matching` matches; the score is the sum of the scores of the
/// `matching` and `scoring` queries that match the post. `scoring` never decides a match.
#[derive(Debug)]
pub(crate) struct Sum {
    matching: Vec<Box<dyn Query>>,
    scoring: Vec<Box<dyn Query>>,
}

impl Sum {
    pub(crate) fn new(matching: Vec<Box<dyn Query>>, scoring: Vec<Box<dyn Query>>) -> Sum {
        Sum { matching, scoring }
    }
}

impl Clone for Sum {
    fn clone(&self) -> Sum {
        let copies = |queries: &[Box<dyn Query>]| queries.iter().map(|q| q.box_clone()).collect();
        Sum {
            matching: copies(&self.matching),
            scoring: copies(&self.scoring),
        }
    }
}

impl Query for Sum {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let weights = |queries: &[Box<dyn Query>]| {
            queries
                .iter()
                .map(|query| query.weight(enable_scoring))
                .collect::<tantivy::Result<Vec<_>>>()
        };
        let scoring = if enable_scoring.is_scoring_enabled() {
            weights(&self.scoring)?
        } else {
            // Nothing asks for a score: the queries that only score have nothing to do.
            Vec::new()
        };
        Ok(Box::new(SumWeight {
            matching: weights(&self.matching)?,
            scoring,
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        for query in self.matching.iter().chain(&self.scoring) {
            query.query_terms(visitor);
        }
    }
}

struct SumWeight {
    matching: Vec<Box<dyn Weight>>,
    scoring: Vec<Box<dyn Weight>>,
}

impl Weight for SumWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let scorers = |weights: &[Box<dyn Weight>]| -> tantivy::Result<Vec<Box<dyn Scorer>>> {
            let mut scorers = Vec::with_capacity(weights.len());
            for weight in weights {
                let scorer = weight.scorer(reader, boost)?;
                if scorer.doc() != TERMINATED {
                    scorers.push(scorer);
                }
            }
            Ok(scorers)
        };
        let matching = scorers(&self.matching)?;
        if matching.is_empty() {
            return Ok(Box::new(EmptyScorer));
        }
        Ok(Box::new(SumScorer::new(matching, scorers(&self.scoring)?)))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.scorer(reader, 1.0)?;
        if scorer.seek(doc) != doc {
            return Err(TantivyError::InvalidArgument(format!(
                "Document #({doc}) does not match"
            )));
        }
        Ok(Explanation::new(
            "sum of the parts that match",
            scorer.score(),
        ))
    }
}

/// The union of `matching`, lazily: each part stays on its own next document.
struct SumScorer {
    matching: Vec<Box<dyn Scorer>>,
    /// Parts that only score; each is moved up to the current document when it is scored.
    scoring: Vec<Box<dyn Scorer>>,
    doc: DocId,
}

impl SumScorer {
    fn new(matching: Vec<Box<dyn Scorer>>, scoring: Vec<Box<dyn Scorer>>) -> SumScorer {
        let mut scorer = SumScorer {
            matching,
            scoring,
            doc: 0,
        };
        scorer.doc = scorer.lowest();
        scorer
    }

    /// The lowest document any part is on.
    fn lowest(&self) -> DocId {
        self.matching
            .iter()
            .map(|part| part.doc())
            .min()
            .unwrap_or(TERMINATED)
    }
}

impl DocSet for SumScorer {
    fn advance(&mut self) -> DocId {
        let current = self.doc;
        if current == TERMINATED {
            return TERMINATED;
        }
        for part in &mut self.matching {
            if part.doc() == current {
                part.advance();
            }
        }
        self.doc = self.lowest();
        self.doc
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.doc >= target {
            return self.doc;
        }
        for part in &mut self.matching {
            if part.doc() < target {
                part.seek(target);
            }
        }
        self.doc = self.lowest();
        self.doc
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        self.matching
            .iter()
            .map(|part| part.size_hint())
            .fold(0u32, u32::saturating_add)
    }

    fn cost(&self) -> u64 {
        self.matching.iter().map(|part| part.cost()).sum()
    }
}

impl Scorer for SumScorer {
    fn score(&mut self) -> Score {
        let doc = self.doc;
        let mut score = 0.0;
        for part in &mut self.matching {
            if part.doc() == doc {
                score += part.score();
            }
        }
        for part in &mut self.scoring {
            if part.doc() < doc {
                part.seek(doc);
            }
            if part.doc() == doc {
                score += part.score();
            }
        }
        score
    }
}

#[cfg(test)]
mod tests {
    use tantivy::collector::{Count, TopDocs};
    use tantivy::query::{BooleanQuery, ConstScoreQuery, Occur, TermQuery};
    use tantivy::schema::{IndexRecordOption, STRING, Schema};
    use tantivy::{Index, IndexWriter, TantivyDocument};

    use super::*;

    /// Documents 0..n, each holding the words its number is a multiple of (2, 3, 5, 7).
    fn index(n: u32) -> (Index, tantivy::schema::Field) {
        let mut builder = Schema::builder();
        let field = builder.add_text_field("multiple", STRING);
        let index = Index::create_in_ram(builder.build());
        let mut writer: IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
        for i in 0..n {
            let mut doc = TantivyDocument::new();
            for k in [2, 3, 5, 7] {
                if i % k == 0 {
                    doc.add_text(field, k.to_string());
                }
            }
            writer.add_document(doc).unwrap();
        }
        writer.commit().unwrap();
        (index, field)
    }

    fn term(field: tantivy::schema::Field, k: u32, score: f32) -> Box<dyn Query> {
        let query = TermQuery::new(
            Term::from_field_text(field, &k.to_string()),
            IndexRecordOption::Basic,
        );
        Box::new(ConstScoreQuery::new(Box::new(query), score))
    }

    /// `Sum` finds and scores what a boolean query of should clauses does, also inside an
    /// intersection (where it is asked to seek) and with parts that only score.
    #[test]
    fn sum_matches_and_scores_as_a_boolean_union() {
        let (index, field) = index(20_000);
        let searcher = index.reader().unwrap().searcher();
        let top = TopDocs::with_limit(20_000).order_by_score();
        let ours = Sum::new(
            vec![term(field, 2, 1.0), term(field, 3, 2.0)],
            vec![term(field, 5, 4.0)],
        );
        let theirs = BooleanQuery::new(vec![
            (
                Occur::Must,
                Box::new(BooleanQuery::new(vec![
                    (Occur::Should, term(field, 2, 1.0)),
                    (Occur::Should, term(field, 3, 2.0)),
                ])) as Box<dyn Query>,
            ),
            (Occur::Should, term(field, 5, 4.0)),
        ]);
        let sorted = |query: &dyn Query| {
            let mut hits: Vec<(u32, u32)> = searcher
                .search(query, &top)
                .unwrap()
                .into_iter()
                .map(|(score, address)| (address.doc_id, (score * 10.0) as u32))
                .collect();
            hits.sort_unstable();
            hits
        };
        let expected = sorted(&theirs);
        // Multiples of 2 or 3 below 20,000: 10,000 + 6,667 - 3,334.
        assert_eq!(expected.len(), 13_333);
        assert_eq!(sorted(&ours), expected);
        // In an intersection with a sparse clause, the union is sought far ahead.
        let sparse = |query: Box<dyn Query>| {
            BooleanQuery::new(vec![
                (Occur::Must, term(field, 7, 0.0)),
                (Occur::Must, query),
            ])
        };
        assert_eq!(
            sorted(&sparse(Box::new(ours.clone()))),
            sorted(&sparse(Box::new(theirs)))
        );
        assert_eq!(searcher.search(&ours, &Count).unwrap(), expected.len());
    }

    #[test]
    fn a_sum_of_nothing_that_matches_is_empty() {
        let (index, field) = index(100);
        let searcher = index.reader().unwrap().searcher();
        let nothing = Sum::new(vec![term(field, 11, 1.0)], vec![term(field, 2, 1.0)]);
        assert_eq!(searcher.search(&nothing, &Count).unwrap(), 0);
    }
}
