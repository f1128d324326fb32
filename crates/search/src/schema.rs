//! The fields of the job index and how a [`JobDoc`] becomes a tantivy document.

use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::{LowerCaser, TextAnalyzer};
use tantivy::{Index, TantivyDocument};
use tantivy_jieba::JiebaTokenizer;

use crate::JobDoc;
use crate::grams::GramTokenizer;
use crate::presence::{PRESENCE, PresenceTokenizer, presence_text};

/// Bump whenever the schema, a tokenizer or the index settings change: an on-disk index of
/// another version is wiped and rebuilt by the caller. 3: the doc store uncompressed. 4: the
/// presence field.
pub const SCHEMA_VERSION: u32 = 4;

pub(crate) const JIEBA: &str = "linkong_jieba";
pub(crate) const GRAMS: &str = "linkong_grams";

/// One searchable text (title, employer or description) in its two indexings.
#[derive(Clone, Copy, Debug)]
pub(crate) struct TextFields {
    /// Jieba words: ranks whole-word matches first.
    pub(crate) words: Field,
    /// Grams of one to four characters: decide which posts match.
    pub(crate) grams: Field,
    pub(crate) boost: f32,
}

#[derive(Clone, Copy, Debug)]
pub(crate) struct Fields {
    pub(crate) id: Field,
    pub(crate) title: TextFields,
    pub(crate) employer: TextFields,
    pub(crate) description: TextFields,
    /// Each distinct gram of the three texts, repeated by their weights (`presence`).
    pub(crate) presence: Field,
    pub(crate) industry: Field,
    pub(crate) leading: Field,
    pub(crate) street: Field,
    pub(crate) education: Field,
    /// Stored only: shown on a card, never searched.
    pub(crate) experience: Field,
    /// Stored only: shown on a card, never searched.
    pub(crate) positions: Field,
    pub(crate) emerging: Field,
    /// Stored only: shown on a card, never searched.
    pub(crate) salary_min: Field,
    pub(crate) salary_max: Field,
    pub(crate) published_at: Field,
    pub(crate) valid_until: Field,
}

pub(crate) const PUBLISHED_AT: &str = "published_at";
pub(crate) const SALARY_MAX: &str = "salary_max";

impl Fields {
    pub(crate) fn texts(&self) -> [TextFields; 3] {
        [self.title, self.employer, self.description]
    }
}

pub(crate) fn build_schema() -> (Schema, Fields) {
    let mut builder = Schema::builder();
    let words = |stored: bool| {
        let indexing = TextFieldIndexing::default()
            .set_tokenizer(JIEBA)
            .set_index_option(IndexRecordOption::WithFreqs);
        let options = TextOptions::default().set_indexing_options(indexing);
        if stored {
            options.set_stored()
        } else {
            options
        }
    };
    let grams = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(GRAMS)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let mut text = |name: &str, stored: bool, boost: f32| TextFields {
        words: builder.add_text_field(name, words(stored)),
        grams: builder.add_text_field(&format!("{name}_grams"), grams.clone()),
        boost,
    };
    // Every field is stored, so that a page of hits renders without the database.
    let title = text("title", true, 3.0);
    let employer = text("employer", true, 2.0);
    let description = text("description", true, 1.0);
    // Frequencies are the scores (`presence`); nothing reads positions or lengths.
    let presence = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(PRESENCE)
            .set_index_option(IndexRecordOption::WithFreqs)
            .set_fieldnorms(false),
    );
    let fields = Fields {
        id: builder.add_i64_field("id", INDEXED | STORED),
        title,
        employer,
        description,
        presence: builder.add_text_field("presence", presence),
        industry: builder.add_text_field("industry", STRING | STORED),
        leading: builder.add_text_field("leading", STRING | STORED),
        street: builder.add_text_field("street", STRING | STORED),
        education: builder.add_text_field("education", STRING | STORED),
        experience: builder.add_text_field("experience", STORED),
        positions: builder.add_i64_field("positions", STORED),
        emerging: builder.add_bool_field("emerging", INDEXED | STORED),
        salary_min: builder.add_i64_field("salary_min", STORED),
        salary_max: builder.add_i64_field(SALARY_MAX, FAST | STORED),
        published_at: builder.add_i64_field(PUBLISHED_AT, FAST | STORED),
        valid_until: builder.add_i64_field("valid_until", FAST | STORED),
    };
    (builder.build(), fields)
}

pub(crate) fn register_tokenizers(index: &Index) {
    let tokenizers = index.tokenizers();
    tokenizers.register(JIEBA, jieba_analyzer());
    tokenizers.register(GRAMS, TextAnalyzer::from(GramTokenizer));
    tokenizers.register(PRESENCE, TextAnalyzer::from(PresenceTokenizer));
}

pub(crate) fn jieba_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(JiebaTokenizer::with_ordinal_position_mode(true))
        .filter(LowerCaser)
        .build()
}

/// Days since 1970-01-01, the form `valid_until` is indexed in.
pub(crate) fn day_number(date: chrono::NaiveDate) -> i64 {
    i64::from(date.to_epoch_days())
}

/// The date of a day number written by [`day_number`].
pub(crate) fn from_day_number(days: i64) -> Option<chrono::NaiveDate> {
    i32::try_from(days)
        .ok()
        .and_then(chrono::NaiveDate::from_epoch_days)
}

pub(crate) fn to_document(fields: &Fields, job: &JobDoc) -> TantivyDocument {
    let mut doc = TantivyDocument::new();
    doc.add_i64(fields.id, job.id);
    for (text, value) in [
        (fields.title, &job.title),
        (fields.employer, &job.employer),
        (fields.description, &job.description),
    ] {
        doc.add_text(text.words, value);
        doc.add_text(text.grams, value);
    }
    doc.add_text(
        fields.presence,
        presence_text([&job.title, &job.employer, &job.description]),
    );
    doc.add_text(fields.industry, &job.industry);
    doc.add_text(fields.leading, &job.leading);
    doc.add_text(fields.street, &job.street);
    doc.add_text(fields.education, &job.education);
    doc.add_text(fields.experience, &job.experience);
    doc.add_i64(fields.positions, job.positions);
    doc.add_bool(fields.emerging, job.emerging);
    doc.add_i64(fields.salary_min, job.salary_min);
    doc.add_i64(fields.salary_max, job.salary_max);
    doc.add_i64(fields.published_at, job.published_at);
    doc.add_i64(fields.valid_until, day_number(job.valid_until));
    doc
}
