//! [`JobIndex`]: one tantivy index, one writer behind a mutex, one manually reloaded reader.

use std::fs;
use std::path::Path;
use std::sync::atomic::{AtomicI64, Ordering as AtomicOrdering};
use std::sync::{Mutex, MutexGuard};

use tantivy::collector::sort_key::{SortBySimilarityScore, SortByStaticFastValue};
use tantivy::collector::{Count, TopDocs};
use tantivy::directory::MmapDirectory;
use tantivy::query::{Query, RangeQuery};
use tantivy::schema::{Field, Value};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{
    DocAddress, Index, IndexReader, IndexSettings, IndexWriter, Order, ReloadPolicy, Searcher,
    TantivyDocument, Term,
};

use crate::error::SearchError;
use crate::highlight::{snippet_html, title_html};
use crate::query::{Expiry, build_query, parse_terms};
use crate::schema::{
    Fields, PUBLISHED_AT, SALARY_MAX, SCHEMA_VERSION, build_schema, day_number, from_day_number,
    jieba_analyzer, register_tokenizers, to_document,
};
use crate::{JobDoc, JobHit, JobHits, JobQuery, Sort};

/// Memory the writer buffers documents in before it writes a segment.
const WRITER_MEMORY_BYTES: usize = 50_000_000;
/// The file in the index directory that names the [`SCHEMA_VERSION`] the index was built with.
const VERSION_FILE: &str = "schema-version";

/// The doc store uncompressed, in small blocks: a page of hits reads 20 posts' stored fields,
/// and each read decompressed a whole 16 KiB LZ4 block (a tenth of a search's time under a
/// fair's load). The store is about three times the size (some 100 MB for 100,000 posts).
fn settings() -> IndexSettings {
    IndexSettings {
        docstore_compression: tantivy::store::Compressor::None,
        docstore_blocksize: 4_096,
        ..IndexSettings::default()
    }
}

/// The search index of published job posts. Cheap to share in an `Arc`: searches run in
/// parallel, changes are serialised.
pub struct JobIndex {
    index: Index,
    fields: Fields,
    reader: IndexReader,
    /// Opened at the first change, and closed while waiting for merges.
    writer: Mutex<Option<IndexWriter>>,
    /// Jieba as the words fields use it, cloned for each query.
    words: TextAnalyzer,
    last_seq: AtomicI64,
    /// The day (a day number) of the last [`JobIndex::remove_expired`]: no post in the index
    /// had expired by then, so a search for that day or an earlier one needs no expiry filter
    /// (a fifth of a broad search's time). `i64::MIN` before the first sweep.
    swept_on: AtomicI64,
}

impl JobIndex {
    /// An empty index in memory, for tests and small tools.
    pub fn in_ram() -> Result<JobIndex, SearchError> {
        let (schema, fields) = build_schema();
        let index = Index::builder()
            .schema(schema)
            .settings(settings())
            .create_in_ram()?;
        JobIndex::from_index(index, fields)
    }

    /// Opens the index in `dir`, creating the directory and the index as needed. An index built
    /// with another [`SCHEMA_VERSION`] (or another schema) is wiped and created anew, empty, so
    /// that `last_seq()` is 0 and the caller reindexes everything.
    pub fn open(dir: &Path) -> Result<JobIndex, SearchError> {
        let (schema, fields) = build_schema();
        fs::create_dir_all(dir).map_err(|source| directory_error(dir, source))?;
        let version_file = dir.join(VERSION_FILE);
        let stored_version = fs::read_to_string(&version_file).unwrap_or_default();
        if stored_version.trim() == SCHEMA_VERSION.to_string() {
            let directory = MmapDirectory::open(dir)?;
            if !Index::exists(&directory).map_err(tantivy::TantivyError::from)? {
                let index = Index::create(directory, schema, settings())?;
                return JobIndex::from_index(index, fields);
            }
            let index = Index::open(directory)?;
            if index.schema() == schema {
                return JobIndex::from_index(index, fields);
            }
        }
        wipe(dir)?;
        let index = Index::create(MmapDirectory::open(dir)?, schema, settings())?;
        // Written last: if anything above fails, the next open wipes again.
        fs::write(&version_file, SCHEMA_VERSION.to_string())
            .map_err(|source| directory_error(dir, source))?;
        JobIndex::from_index(index, fields)
    }

    fn from_index(index: Index, fields: Fields) -> Result<JobIndex, SearchError> {
        register_tokenizers(&index);
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        let last_seq = seq_of(index.load_metas()?.payload.as_deref());
        let mut words = jieba_analyzer();
        // Loads jieba's dictionary now rather than during the first search.
        words.token_stream("预热").process(&mut |_| {});
        Ok(JobIndex {
            index,
            fields,
            reader,
            writer: Mutex::new(None),
            words,
            last_seq: AtomicI64::new(last_seq),
            swept_on: AtomicI64::new(i64::MIN),
        })
    }

    /// The change sequence stored with the last commit; 0 for a new or cleared index.
    pub fn last_seq(&self) -> i64 {
        self.last_seq.load(AtomicOrdering::SeqCst)
    }

    /// Removes the posts `deletes` and every post with the id of an upsert, adds `upserts`, and
    /// commits with `seq`. Searches see the change as soon as this returns. A post in both lists
    /// ends up present; of two upserts with one id, the later one stays. An upsert that had
    /// expired by the day of the last [`JobIndex::remove_expired`] is removed instead: no search
    /// from that day on would show it.
    pub fn apply(
        &self,
        upserts: Vec<JobDoc>,
        deletes: &[i64],
        seq: i64,
    ) -> Result<(), SearchError> {
        let mut guard = self.lock_writer()?;
        let swept_on = self.swept_on.load(AtomicOrdering::SeqCst);
        let writer = self.open_writer(&mut guard)?;
        let written = (|| {
            for id in deletes {
                writer.delete_term(Term::from_field_i64(self.fields.id, *id));
            }
            for job in &upserts {
                writer.delete_term(Term::from_field_i64(self.fields.id, job.id));
                if day_number(job.valid_until) >= swept_on {
                    writer.add_document(to_document(&self.fields, job))?;
                }
            }
            commit(writer, seq)
        })();
        self.finish(guard, written, seq)
    }

    /// Removes every post that had expired by `today` (valid until an earlier day), once a
    /// day: afterwards searches for `today` skip the expiry filter. Returns the posts removed;
    /// a day already swept removes nothing and writes nothing.
    pub fn remove_expired(&self, today: chrono::NaiveDate) -> Result<u64, SearchError> {
        let day = day_number(today);
        let mut guard = self.lock_writer()?;
        if day <= self.swept_on.load(AtomicOrdering::SeqCst) {
            return Ok(0);
        }
        let before = self.num_docs();
        let seq = self.last_seq();
        let writer = self.open_writer(&mut guard)?;
        let expired = RangeQuery::new(
            std::ops::Bound::Unbounded,
            std::ops::Bound::Excluded(Term::from_field_i64(self.fields.valid_until, day)),
        );
        let written = writer
            .delete_query(Box::new(expired))
            .and_then(|_| commit(writer, seq));
        if let Err(error) = written {
            let _ = writer.rollback();
            return Err(error.into());
        }
        self.reader.reload()?;
        // Raised only once searches see the removal, and before an `apply` may run again.
        self.swept_on.store(day, AtomicOrdering::SeqCst);
        drop(guard);
        Ok(before.saturating_sub(self.num_docs()))
    }

    /// Removes every post, before a full rebuild; `last_seq()` is 0 afterwards.
    pub fn clear(&self) -> Result<(), SearchError> {
        let mut guard = self.lock_writer()?;
        let writer = self.open_writer(&mut guard)?;
        let written = (|| {
            writer.delete_all_documents()?;
            commit(writer, 0)
        })();
        self.finish(guard, written, 0)
    }

    /// Drops what a failed change left in the writer, so that the next commit does not carry it;
    /// publishes a successful one.
    fn finish(
        &self,
        mut guard: MutexGuard<'_, Option<IndexWriter>>,
        written: tantivy::Result<()>,
        seq: i64,
    ) -> Result<(), SearchError> {
        if let Err(error) = written {
            // The change already failed; a rollback error would only hide why.
            if let Some(writer) = guard.as_mut() {
                let _ = writer.rollback();
            }
            return Err(error.into());
        }
        // Stored before another change may commit: a sweep commits with the last sequence.
        self.last_seq.store(seq, AtomicOrdering::SeqCst);
        drop(guard);
        self.reader.reload()?;
        Ok(())
    }

    /// Waits until the segment merges that earlier changes started have finished, and shows
    /// their result to searches. Worth calling after a full rebuild: until then the merges share
    /// the processor with searches, and a search visits more, smaller segments.
    pub fn wait_for_merges(&self) -> Result<(), SearchError> {
        let mut guard = self.lock_writer()?;
        if let Some(writer) = guard.take() {
            writer.wait_merging_threads()?;
        }
        drop(guard);
        self.reader.reload()?;
        Ok(())
    }

    /// Merges every segment into one, once the merges under way have finished, and shows it to
    /// searches. Worth calling after a catch-up of many changes (a rebuild at start): the merge
    /// policy leaves a 100,000-post rebuild in several segments of 15,000–20,000 posts, and a
    /// search looks terms up and builds its scorers in each. Returns the segments merged.
    pub fn merge_segments(&self) -> Result<usize, SearchError> {
        let mut guard = self.lock_writer()?;
        if let Some(writer) = guard.take() {
            writer.wait_merging_threads()?;
        }
        let segments = self.index.searchable_segment_ids()?;
        if segments.len() > 1 {
            let writer = self.open_writer(&mut guard)?;
            writer.merge(&segments).wait()?;
        }
        drop(guard);
        self.reader.reload()?;
        Ok(segments.len())
    }

    fn lock_writer(&self) -> Result<MutexGuard<'_, Option<IndexWriter>>, SearchError> {
        match self.writer.lock() {
            Ok(guard) => Ok(guard),
            Err(poisoned) => {
                // A change panicked half-way: forget its uncommitted operations, then carry on.
                let mut guard = poisoned.into_inner();
                if let Some(writer) = guard.as_mut() {
                    writer.rollback()?;
                }
                self.writer.clear_poison();
                Ok(guard)
            }
        }
    }

    fn open_writer<'a>(
        &self,
        guard: &'a mut MutexGuard<'_, Option<IndexWriter>>,
    ) -> Result<&'a mut IndexWriter, SearchError> {
        let writer = match guard.take() {
            Some(writer) => writer,
            None => self.index.writer(WRITER_MEMORY_BYTES)?,
        };
        Ok(guard.insert(writer))
    }

    /// One page of the posts matching `query`, with the total count.
    pub fn search(&self, query: &JobQuery) -> Result<JobHits, SearchError> {
        let terms = parse_terms(&query.text);
        let mut words = self.words.clone();
        // Read before the searcher: a sweep raises it only once its removal is visible.
        let swept = day_number(query.today) <= self.swept_on.load(AtomicOrdering::SeqCst);
        let expiry = if swept { Expiry::Swept } else { Expiry::Filter };
        let matching = build_query(&self.fields, &terms, query, expiry, &mut words);
        let searcher = self.reader.searcher();
        // Neither bound can exceed the number of posts, whatever the caller asked for.
        let end = query
            .offset
            .saturating_add(query.limit)
            .min(searcher.num_docs() as usize);
        let start = query.offset.min(end);
        let (total, page) = if start == end {
            (searcher.search(&*matching, &Count)?, Vec::new())
        } else {
            top_docs(&searcher, &*matching, query.sort, start..end)?
        };
        let needles: Vec<Vec<char>> = terms.iter().map(|term| term.chars().collect()).collect();
        let hits = page
            .into_iter()
            .map(|(score, address)| self.hit(&searcher, address, score, &needles))
            .collect::<Result<_, _>>()?;
        Ok(JobHits { total, hits })
    }

    fn hit(
        &self,
        searcher: &Searcher,
        address: DocAddress,
        score: f32,
        needles: &[Vec<char>],
    ) -> Result<JobHit, SearchError> {
        let doc: TantivyDocument = searcher.doc(address)?;
        let post = self.post(&Stored(&doc))?;
        Ok(JobHit {
            id: post.id,
            score,
            title_html: title_html(&post.title, needles),
            snippet_html: snippet_html(&post.description, needles),
            post,
        })
    }

    /// The post from its stored fields.
    fn post(&self, stored: &Stored<'_>) -> Result<JobDoc, SearchError> {
        let fields = &self.fields;
        let text = |field, name| stored.text(field, name).map(str::to_owned);
        let valid_until = stored.i64(fields.valid_until, "valid_until")?;
        Ok(JobDoc {
            id: stored.i64(fields.id, "id")?,
            title: text(fields.title.words, "title")?,
            employer: text(fields.employer.words, "employer")?,
            description: text(fields.description.words, "description")?,
            industry: text(fields.industry, "industry")?,
            leading: text(fields.leading, "leading")?,
            street: text(fields.street, "street")?,
            education: text(fields.education, "education")?,
            experience: text(fields.experience, "experience")?,
            positions: stored.i64(fields.positions, "positions")?,
            emerging: stored.bool(fields.emerging, "emerging")?,
            salary_min: stored.i64(fields.salary_min, "salary_min")?,
            salary_max: stored.i64(fields.salary_max, "salary_max")?,
            published_at: stored.i64(fields.published_at, "published_at")?,
            valid_until: from_day_number(valid_until)
                .ok_or(SearchError::MissingField("valid_until"))?,
        })
    }

    /// Posts in the index now, as searches see them.
    pub fn num_docs(&self) -> u64 {
        self.reader.searcher().num_docs()
    }
}

type Page = Vec<(f32, DocAddress)>;

/// A stored document's values; a missing one names its field.
struct Stored<'a>(&'a TantivyDocument);

impl Stored<'_> {
    fn text(&self, field: Field, name: &'static str) -> Result<&str, SearchError> {
        self.0
            .get_first(field)
            .and_then(|value| value.as_str())
            .ok_or(SearchError::MissingField(name))
    }

    fn i64(&self, field: Field, name: &'static str) -> Result<i64, SearchError> {
        self.0
            .get_first(field)
            .and_then(|value| value.as_i64())
            .ok_or(SearchError::MissingField(name))
    }

    fn bool(&self, field: Field, name: &'static str) -> Result<bool, SearchError> {
        self.0
            .get_first(field)
            .and_then(|value| value.as_bool())
            .ok_or(SearchError::MissingField(name))
    }
}

/// The hits ranked `range` in the order `sort` asks for, and how many match in all.
fn top_docs(
    searcher: &Searcher,
    query: &dyn Query,
    sort: Sort,
    range: std::ops::Range<usize>,
) -> tantivy::Result<(usize, Page)> {
    let top = TopDocs::for_doc_range(range);
    let newest = (
        SortByStaticFastValue::<i64>::for_field(PUBLISHED_AT),
        Order::Desc,
    );
    Ok(match sort {
        Sort::Relevance => {
            let by_score = top.order_by(((SortBySimilarityScore, Order::Desc), newest));
            let (total, docs) = searcher.search(query, &(Count, by_score))?;
            let page = docs
                .into_iter()
                .map(|((score, _), address)| (score, address));
            (total, page.collect())
        }
        Sort::Newest => {
            let (total, docs) = searcher.search(query, &(Count, top.order_by(newest)))?;
            (total, unscored(docs))
        }
        Sort::Salary => {
            let salary = (
                SortByStaticFastValue::<i64>::for_field(SALARY_MAX),
                Order::Desc,
            );
            let (total, docs) = searcher.search(query, &(Count, top.order_by((salary, newest))))?;
            (total, unscored(docs))
        }
    })
}

/// Sorting by a field skips scoring altogether: such hits carry a score of 0.
fn unscored<SortKey>(docs: Vec<(SortKey, DocAddress)>) -> Page {
    docs.into_iter()
        .map(|(_, address)| (0.0, address))
        .collect()
}

fn commit(writer: &mut IndexWriter, seq: i64) -> tantivy::Result<()> {
    let mut prepared = writer.prepare_commit()?;
    prepared.set_payload(&seq.to_string());
    prepared.commit()?;
    Ok(())
}

fn seq_of(payload: Option<&str>) -> i64 {
    payload.and_then(|text| text.parse().ok()).unwrap_or(0)
}

/// Removes everything inside `dir`, keeping `dir` itself.
fn wipe(dir: &Path) -> Result<(), SearchError> {
    let remove = |entry: std::io::Result<fs::DirEntry>| -> std::io::Result<()> {
        let path = entry?.path();
        if path.is_dir() {
            fs::remove_dir_all(path)
        } else {
            fs::remove_file(path)
        }
    };
    fs::read_dir(dir)
        .and_then(|entries| entries.into_iter().try_for_each(remove))
        .map_err(|source| directory_error(dir, source))
}

fn directory_error(dir: &Path, source: std::io::Error) -> SearchError {
    SearchError::Directory {
        path: dir.to_path_buf(),
        source,
    }
}
