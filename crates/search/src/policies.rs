//! [`PolicyIndex`]: the policy list (政策清单) searched the way job posts are — every keyword a
//! case-insensitive substring of the title, issuer, 文号, benefit or conditions (character
//! grams), ranked by whole jieba words — plus the abbreviations people type for a policy's
//! full name (社保 for 社会保险). The list is a few hundred entries: the index lives in memory
//! and is rebuilt whole from the published entries whenever one changes.

use std::sync::Mutex;

use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::{
    Field, INDEXED, IndexRecordOption, STORED, Schema, TextFieldIndexing, TextOptions, Value,
};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

use crate::error::SearchError;
use crate::highlight::{snippet_html, title_html};
use crate::query::{boosted, jieba_words, parse_terms, substring_query_in};
use crate::schema::{GRAMS, JIEBA, TextFields, jieba_analyzer, register_tokenizers};

/// Memory the writer buffers documents in; the whole list fits many times over.
const WRITER_MEMORY_BYTES: usize = 15_000_000;

/// Short and full forms of the same words in policy texts, both ways: a keyword with one also
/// matches the text with the other. Only pairs that always mean the same thing.
const ABBREVIATIONS: [(&str, &str); 5] = [
    ("社保", "社会保险"),
    ("医保", "医疗保险"),
    ("创业贷", "创业担保贷款"),
    ("双创", "创新创业"),
    ("大学生", "高校毕业生"),
];

/// A published policy as the index needs it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolicyDoc {
    pub id: i64,
    pub title: String,
    pub issuer: String,
    /// 文号.
    pub document_number: String,
    /// What it gives.
    pub benefit: String,
    pub conditions: String,
}

/// One policy found, best first.
#[derive(Clone, Debug, PartialEq)]
pub struct PolicyHit {
    pub id: i64,
    /// The whole title, HTML-escaped, keywords in `<mark>`.
    pub title_html: String,
    /// About 120 characters of the benefit around the keywords, escaped and marked.
    pub snippet_html: String,
}

#[derive(Clone, Copy, Debug)]
struct PolicyFields {
    id: Field,
    title: TextFields,
    issuer: TextFields,
    document_number: TextFields,
    benefit: TextFields,
    conditions: TextFields,
}

impl PolicyFields {
    fn texts(&self) -> [TextFields; 5] {
        [
            self.title,
            self.issuer,
            self.document_number,
            self.benefit,
            self.conditions,
        ]
    }
}

fn build_schema() -> (Schema, PolicyFields) {
    let mut builder = Schema::builder();
    let words = TextOptions::default().set_stored().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(JIEBA)
            .set_index_option(IndexRecordOption::WithFreqs),
    );
    let grams = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(GRAMS)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let mut text = |name: &str, boost: f32| TextFields {
        words: builder.add_text_field(name, words.clone()),
        grams: builder.add_text_field(&format!("{name}_grams"), grams.clone()),
        boost,
    };
    let (title, issuer, document_number) =
        (text("title", 3.0), text("issuer", 1.0), text("number", 1.0));
    let (benefit, conditions) = (text("benefit", 1.5), text("conditions", 1.0));
    let fields = PolicyFields {
        id: builder.add_i64_field("id", INDEXED | STORED),
        title,
        issuer,
        document_number,
        benefit,
        conditions,
    };
    (builder.build(), fields)
}

/// The published policies, searchable. Cheap to share in an `Arc`.
pub struct PolicyIndex {
    fields: PolicyFields,
    reader: IndexReader,
    writer: Mutex<IndexWriter>,
    words: TextAnalyzer,
}

impl PolicyIndex {
    /// An empty index in memory.
    pub fn in_ram() -> Result<PolicyIndex, SearchError> {
        let (schema, fields) = build_schema();
        let index = Index::create_in_ram(schema);
        register_tokenizers(&index);
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        let writer = index.writer(WRITER_MEMORY_BYTES)?;
        Ok(PolicyIndex {
            fields,
            reader,
            writer: Mutex::new(writer),
            words: jieba_analyzer(),
        })
    }

    /// Replaces everything in the index by `policies`; searches see them when this returns.
    pub fn replace(&self, policies: &[PolicyDoc]) -> Result<(), SearchError> {
        let mut writer = match self.writer.lock() {
            Ok(writer) => writer,
            Err(poisoned) => poisoned.into_inner(),
        };
        let written = (|| {
            writer.delete_all_documents()?;
            for policy in policies {
                writer.add_document(self.document(policy))?;
            }
            writer.commit().map(|_| ())
        })();
        if let Err(error) = written {
            let _ = writer.rollback();
            return Err(error.into());
        }
        drop(writer);
        self.reader.reload()?;
        Ok(())
    }

    fn document(&self, policy: &PolicyDoc) -> TantivyDocument {
        let mut doc = TantivyDocument::new();
        doc.add_i64(self.fields.id, policy.id);
        for (text, value) in self.fields.texts().into_iter().zip([
            &policy.title,
            &policy.issuer,
            &policy.document_number,
            &policy.benefit,
            &policy.conditions,
        ]) {
            doc.add_text(text.words, value);
            doc.add_text(text.grams, value);
        }
        doc
    }

    /// The policies matching every keyword of `text`, best first; all of them for blank text.
    pub fn search(&self, text: &str) -> Result<Vec<PolicyHit>, SearchError> {
        let terms = parse_terms(text);
        let searcher = self.reader.searcher();
        let all = searcher.num_docs() as usize;
        if all == 0 {
            return Ok(Vec::new());
        }
        let query = self.query(&terms);
        let found = searcher.search(&*query, &TopDocs::with_limit(all).order_by_score())?;
        let needles: Vec<Vec<char>> = terms
            .iter()
            .flat_map(|term| spellings(term))
            .map(|term| term.chars().collect())
            .collect();
        found
            .into_iter()
            .map(|(_, address)| {
                let doc: TantivyDocument = searcher.doc(address)?;
                let text = |field: Field| doc.get_first(field).and_then(|v| v.as_str());
                let id = doc
                    .get_first(self.fields.id)
                    .and_then(|v| v.as_i64())
                    .ok_or(SearchError::MissingField("id"))?;
                Ok(PolicyHit {
                    id,
                    title_html: title_html(text(self.fields.title.words).unwrap_or(""), &needles),
                    snippet_html: snippet_html(
                        text(self.fields.benefit.words).unwrap_or(""),
                        &needles,
                    ),
                })
            })
            .collect()
    }

    /// Each keyword (in one of its spellings) must occur; whole words add to the score.
    fn query(&self, terms: &[String]) -> Box<dyn Query> {
        if terms.is_empty() {
            return Box::new(tantivy::query::AllQuery);
        }
        let texts = self.fields.texts();
        let mut words = self.words.clone();
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for term in terms {
            let spellings = spellings(term);
            let any_spelling: Vec<(Occur, Box<dyn Query>)> = spellings
                .iter()
                .map(|s| (Occur::Should, substring_query_in(&texts, s)))
                .collect();
            clauses.push((Occur::Must, Box::new(BooleanQuery::new(any_spelling))));
            for word in spellings.iter().flat_map(|s| jieba_words(&mut words, s)) {
                for text in texts {
                    let query = TermQuery::new(
                        Term::from_field_text(text.words, &word),
                        IndexRecordOption::WithFreqs,
                    );
                    clauses.push((Occur::Should, boosted(query, text.boost)));
                }
            }
        }
        Box::new(BooleanQuery::new(clauses))
    }
}

/// A keyword as typed, and with each abbreviation in it written out (or a full form
/// abbreviated): `社保补贴` is also `社会保险补贴`.
fn spellings(term: &str) -> Vec<String> {
    let mut all = vec![term.to_owned()];
    for (short, full) in ABBREVIATIONS {
        for (from, to) in [(full, short), (short, full)] {
            let known: Vec<String> = all
                .iter()
                .filter(|s| s.contains(from))
                .map(|s| s.replace(from, to))
                .collect();
            for spelling in known {
                if !all.contains(&spelling) {
                    all.push(spelling);
                }
            }
        }
    }
    all
}

#[cfg(test)]
mod tests;
