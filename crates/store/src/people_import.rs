//! The writer of roster imports: checked rows arrive in batches and go into one transaction —
//! all of a file, or none of it. Residents are matched by the blind index of their resident
//! ID (one person, one row, whatever rosters they are in); a row equal to what is stored
//! changes nothing, so importing the same file twice leaves the database as it was.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use linkong_core::people::{ValidGraduate, ValidMigrant, ValidPerson};
use serde::Serialize;

use crate::audit::{AuditAppend, AuditEvent};
use crate::crypto::FieldCipher;
use crate::figures::{BulkTally, FigureWrite, Kind};
use crate::import_runs::FinishRun;
use crate::{Error, Result, Store, on_db};
use linkong_core::access::Roster;

mod pg_copy;
mod sqlite;

/// Who writes an import: a street for its own residents, or a lead unit of the roster's
/// tasks for any street. `user_id` is None for the command line.
#[derive(Debug, Clone)]
pub struct Importer {
    pub user_id: Option<i64>,
    pub name: String,
    pub unit_code: String,
    pub ip: String,
    /// The web import run (its token) this import is, marked done in the transaction that
    /// writes the rows; None from the command line.
    pub run: Option<String>,
}

/// A checked row of one roster or another.
#[derive(Debug, Clone)]
pub enum RowData {
    Migrant(ValidMigrant),
    Graduate(ValidGraduate),
}

/// One checked row to write, with the row number it came from (for messages), and its
/// personal numbers already sealed when the reader had a core to spare (see [`seal`]).
#[derive(Debug, Clone)]
pub struct ImportRow {
    pub row: usize,
    pub data: RowData,
    pub sealed: Option<Sealed>,
}

/// A resident's ID and phone number as stored: ciphertext and blind index.
#[derive(Clone)]
pub struct Sealed {
    id_enc: Vec<u8>,
    id_index: Vec<u8>,
    phone: Option<(Vec<u8>, Vec<u8>)>,
}

impl std::fmt::Debug for Sealed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Sealed(***)")
    }
}

/// Encrypts and indexes a resident's numbers, off the writer's path.
pub fn seal(cipher: &FieldCipher, person: &ValidPerson) -> Sealed {
    Sealed {
        id_enc: cipher.encrypt(person.id_number.as_str()),
        id_index: cipher.blind_index(person.id_number.as_str()),
        phone: person
            .phone
            .as_ref()
            .map(|p| (cipher.encrypt(p.expose()), cipher.blind_index(p.expose()))),
    }
}

impl ImportRow {
    pub fn person(&self) -> &ValidPerson {
        match &self.data {
            RowData::Migrant(m) => &m.person,
            RowData::Graduate(g) => &g.person,
        }
    }

    fn roster(&self) -> Roster {
        match self.data {
            RowData::Migrant(_) => Roster::Migrants,
            RowData::Graduate(_) => Roster::Graduates,
        }
    }
}

/// What the reader of a file sends the writer: rows, then `Finish` once the whole file is in.
#[derive(Debug)]
pub enum ImportBatch {
    Rows(Vec<ImportRow>),
    Finish,
}

/// A row refused while writing (the resident belongs to another street).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowRefusal {
    pub row: usize,
    pub field: &'static str,
    pub message: String,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ImportOutcome {
    pub rows: u64,
    pub created: u64,
    pub updated: u64,
    pub unchanged: u64,
}

/// Residents of one batch already stored: resident ID index → (person id, street).
type Existing = HashMap<Vec<u8>, (i64, String)>;

/// The tallies counted per household street (the roster and placements, people surveyed and
/// their intentions, five-ones services): a roster row, or a resident's street, may have
/// changed, so an import counts them again, once.
const PER_HOUSEHOLD_STREET: [Kind; 5] = [
    Kind::Placed,
    Kind::Roster,
    Kind::Surveyed,
    Kind::Intending,
    Kind::FiveOnes,
];

/// Rows per multi-row statement on PostgreSQL.
const BATCH: usize = 500;

impl Store {
    /// The field cipher, for sealing rows on another thread ([`seal`]).
    pub fn field_cipher(&self) -> Result<std::sync::Arc<FieldCipher>> {
        self.cipher
            .clone()
            .ok_or_else(|| Error::Config("未配置个人信息加密密钥".into()))
    }

    /// Writes a checked roster file in one transaction: all of it, or — when a row is refused
    /// while writing, or the sender stops before `Finish` — none of it. Audited once, with
    /// the counts. Every row must belong to `roster`.
    pub async fn import_rows(
        &self,
        importer: &Importer,
        roster: Roster,
        file_name: &str,
        mut rows: tokio::sync::mpsc::Receiver<ImportBatch>,
    ) -> Result<std::result::Result<ImportOutcome, Vec<RowRefusal>>> {
        let cipher = self.cipher()?;
        let street_only = importer_street(self, importer).await?;
        let _guard = self.write_lock.lock().await;
        let now = self.now();
        let mut outcome = ImportOutcome::default();
        let mut refusals = Vec::new();
        let context = BatchContext {
            roster,
            street_only: street_only.as_deref(),
            unit: &importer.unit_code,
            now,
        };
        on_db!(self, pool => {
            let mut connection = pool.acquire().await?;
            connection.bulk_cache(true).await?;
            let written = async {
                let begin = connection.begin_statement();
                let mut tx = sqlx::Connection::begin_with(&mut *connection, begin).await?;
                let wrote = tx
                    .write_rows(&mut rows, &context, cipher, &mut outcome, &mut refusals)
                    .await?;
                if matches!(wrote, Wrote::Unfinished) || !refusals.is_empty() {
                    tx.rollback().await?;
                    refusals.sort_by_key(|r| r.row);
                    return Ok(Err(std::mem::take(&mut refusals)));
                }
                let action = match roster {
                    Roster::Migrants => "import.migrants",
                    Roster::Graduates => "import.graduates",
                };
                let event = AuditEvent::new(action, format!("unit:{}", importer.unit_code))
                    .by(importer.user_id, &importer.name)
                    .detail(format!(
                        "{file_name}：{} 行，新增 {}，更新 {}，未变 {}",
                        outcome.rows, outcome.created, outcome.updated, outcome.unchanged
                    ))
                    .from_ip(&importer.ip);
                match wrote {
                    Wrote::Tallied(tally) => tx.add_tally(&tally).await?,
                    _ => tx.rebuild_figures(&PER_HOUSEHOLD_STREET).await?,
                }
                tx.append_audit(now, &event).await?;
                tx.finish_import_run(importer.run.as_deref(), &outcome, now)
                    .await?;
                tx.commit().await?;
                Ok(Ok(outcome))
            }
            .await;
            connection.bulk_cache(false).await?;
            written
        })
    }
}

/// A row's key in its roster: the person, and for graduates the roster year.
fn roster_key(row: &ImportRow, person_id: i64) -> (i64, i64) {
    match &row.data {
        RowData::Migrant(_) => (person_id, 0),
        RowData::Graduate(g) => (person_id, i64::from(g.year())),
    }
}

/// A batch as the writers take it: every row of `roster`, every row sealed.
fn prepare_batch(
    mut batch: Vec<ImportRow>,
    roster: Roster,
    cipher: &FieldCipher,
) -> Result<Vec<ImportRow>> {
    if batch.iter().any(|r| r.roster() != roster) {
        return Err(Error::Config("导入的行不属于该名册".into()));
    }
    for row in batch.iter_mut().filter(|r| r.sealed.is_none()) {
        row.sealed = Some(seal(cipher, row.person()));
    }
    Ok(batch)
}

/// What a writer made of the reader's rows.
enum Wrote {
    /// The reader stopped before `Finish`: nothing is kept.
    Unfinished,
    /// Every row written; the household tallies are to be rebuilt from the rows.
    Rows,
    /// Every row written, all of them new residents: the household tallies they add, counted
    /// while writing (no other tally of [`PER_HOUSEHOLD_STREET`] changes).
    Tallied(BulkTally),
}

impl From<bool> for Wrote {
    fn from(finished: bool) -> Self {
        if finished {
            Wrote::Rows
        } else {
            Wrote::Unfinished
        }
    }
}

/// Takes the reader's batches until `Finish` (returns true) or until the reader stops
/// (false), writing each with [`WriteBatch`].
async fn write_each_batch<C: WriteBatch>(
    connection: &mut C,
    rows: &mut tokio::sync::mpsc::Receiver<ImportBatch>,
    context: &BatchContext<'_>,
    cipher: &FieldCipher,
    outcome: &mut ImportOutcome,
    refusals: &mut Vec<RowRefusal>,
) -> Result<bool> {
    while let Some(batch) = rows.recv().await {
        let mut batch = match batch {
            ImportBatch::Rows(batch) => prepare_batch(batch, context.roster, cipher)?,
            ImportBatch::Finish => return Ok(true),
        };
        connection
            .write_batch(&mut batch, context, outcome, refusals)
            .await?;
        // Thousands of rows' strings are freed off the writer's path.
        drop(tokio::task::spawn_blocking(move || drop(batch)));
    }
    Ok(false)
}

/// The whole of an import's rows, as each database writes them best: batch by batch unless
/// the database has a better way.
trait WriteRows: WriteBatch + Sized {
    /// Takes the reader's batches until `Finish` or until the reader stops; the caller rolls
    /// back unless it finished without refusals.
    async fn write_rows(
        &mut self,
        rows: &mut tokio::sync::mpsc::Receiver<ImportBatch>,
        context: &BatchContext<'_>,
        cipher: &FieldCipher,
        outcome: &mut ImportOutcome,
        refusals: &mut Vec<RowRefusal>,
    ) -> Result<Wrote> {
        Ok(
            write_each_batch(self, rows, context, cipher, outcome, refusals)
                .await?
                .into(),
        )
    }
}

impl WriteRows for sqlx::SqliteConnection {}

/// Out-migrant rosters (the large ones) go through `COPY` and a staging table
/// ([`pg_copy`]); graduate rosters through multi-row upserts.
impl WriteRows for sqlx::PgConnection {
    async fn write_rows(
        &mut self,
        rows: &mut tokio::sync::mpsc::Receiver<ImportBatch>,
        context: &BatchContext<'_>,
        cipher: &FieldCipher,
        outcome: &mut ImportOutcome,
        refusals: &mut Vec<RowRefusal>,
    ) -> Result<Wrote> {
        match context.roster {
            Roster::Migrants => {
                pg_copy::copy_migrants(self, rows, context, cipher, outcome, refusals).await
            }
            Roster::Graduates => Ok(write_each_batch(
                self, rows, context, cipher, outcome, refusals,
            )
            .await?
            .into()),
        }
    }
}

/// The street an importer is confined to (None for a lead unit, which imports any street).
async fn importer_street(store: &Store, importer: &Importer) -> Result<Option<String>> {
    let kind: Option<String> = on_db!(store, pool => sqlx::query_scalar(
        "SELECT kind FROM units WHERE code = $1"
    )
    .bind(&importer.unit_code)
    .fetch_optional(pool)
    .await?);
    match kind.as_deref() {
        None => Err(Error::invalid(
            "导入单位",
            format!("单位“{}”不存在", importer.unit_code),
        )),
        Some("street") => Ok(Some(importer.unit_code.clone())),
        Some(_) => Ok(None),
    }
}

/// What every batch of one import shares.
struct BatchContext<'a> {
    roster: Roster,
    /// The street the importer is confined to, if any.
    street_only: Option<&'a str>,
    /// The unit that surveyed the rows (the importer).
    unit: &'a str,
    now: DateTime<Utc>,
}

/// A connection set up for an import's one long write.
trait BulkConnection {
    /// The statement that opens the import's transaction.
    fn begin_statement(&self) -> &'static str;
    /// Gives the connection the caches of a bulk write (`true`), or its usual ones back.
    async fn bulk_cache(&mut self, bulk: bool) -> Result<()>;
}

impl BulkConnection for sqlx::PgConnection {
    fn begin_statement(&self) -> &'static str {
        "BEGIN"
    }

    async fn bulk_cache(&mut self, _bulk: bool) -> Result<()> {
        Ok(())
    }
}

/// Writes a batch of sealed rows of one roster, counting them into `outcome`. A row whose
/// resident is registered with another street than the importer's is refused; once a row is
/// refused nothing more is written (the transaction is rolled back) but the rows are still
/// checked, so that every refusal is named.
trait WriteBatch {
    async fn write_batch(
        &mut self,
        batch: &mut [ImportRow],
        context: &BatchContext<'_>,
        outcome: &mut ImportOutcome,
        refusals: &mut Vec<RowRefusal>,
    ) -> Result<()>;
}

/// The message for a resident another street registered.
fn refusal(row: usize) -> RowRefusal {
    let why = linkong_core::access::registered_elsewhere();
    RowRefusal {
        row,
        field: why.field,
        message: why.message,
    }
}

impl WriteBatch for sqlx::PgConnection {
    async fn write_batch(
        &mut self,
        batch: &mut [ImportRow],
        context: &BatchContext<'_>,
        outcome: &mut ImportOutcome,
        refusals: &mut Vec<RowRefusal>,
    ) -> Result<()> {
        let (roster, now) = (context.roster, context.now);
        for chunk in batch.chunks(BATCH) {
            let indexes: Vec<Vec<u8>> = chunk
                .iter()
                .map(|r| {
                    r.sealed
                        .as_ref()
                        .map_or_else(Vec::new, |s| s.id_index.clone())
                })
                .collect();
            let existing = self.existing_of(&indexes).await?;
            for (row, index) in chunk.iter().zip(&indexes) {
                if let (Some(own), Some((_, street))) = (context.street_only, existing.get(index))
                    && street != own
                {
                    refusals.push(refusal(row.row));
                }
            }
            if !refusals.is_empty() {
                continue;
            }
            let changed_people = self.upsert_persons(chunk, &indexes, now).await?;
            let mut ids: Vec<i64> = Vec::with_capacity(chunk.len());
            for index in &indexes {
                let id = existing
                    .get(index)
                    .map(|(id, _)| *id)
                    .or_else(|| changed_people.get(index).copied())
                    .ok_or_else(|| Error::Config("导入的人员未能写入".into()))?;
                ids.push(id);
            }
            // Residents new to the database are in no roster yet.
            let listed = if existing.is_empty() {
                HashSet::new()
            } else {
                self.listed_of(roster, &ids).await?
            };
            let changed = match roster {
                Roster::Migrants => self.upsert_migrants(chunk, &ids, context.unit, now).await?,
                Roster::Graduates => self.upsert_graduates(chunk, &ids, now).await?,
            };
            for ((row, index), id) in chunk.iter().zip(&indexes).zip(&ids) {
                outcome.rows += 1;
                let key = roster_key(row, *id);
                if !listed.contains(&key) {
                    outcome.created += 1;
                } else if changed_people.contains_key(index) || changed.contains(&key) {
                    outcome.updated += 1;
                } else {
                    outcome.unchanged += 1;
                }
            }
        }
        Ok(())
    }
}

/// The multi-row statements of an import on PostgreSQL.
trait PeopleBatch {
    async fn existing_of(&mut self, indexes: &[Vec<u8>]) -> Result<Existing>;
    /// Inserts new residents and updates changed ones; returns index → id of those written.
    async fn upsert_persons(
        &mut self,
        chunk: &[ImportRow],
        indexes: &[Vec<u8>],
        now: DateTime<Utc>,
    ) -> Result<HashMap<Vec<u8>, i64>>;
    /// The roster keys of the chunk already in the roster.
    async fn listed_of(&mut self, roster: Roster, ids: &[i64]) -> Result<HashSet<(i64, i64)>>;
    /// Inserts new survey rows and updates changed ones; returns the keys written.
    async fn upsert_migrants(
        &mut self,
        chunk: &[ImportRow],
        ids: &[i64],
        unit: &str,
        now: DateTime<Utc>,
    ) -> Result<HashSet<(i64, i64)>>;
    /// Inserts new graduate rows and updates changed ones (never their placement); returns
    /// the keys written.
    async fn upsert_graduates(
        &mut self,
        chunk: &[ImportRow],
        ids: &[i64],
        now: DateTime<Utc>,
    ) -> Result<HashSet<(i64, i64)>>;
}

impl PeopleBatch for sqlx::PgConnection {
    async fn existing_of(&mut self, indexes: &[Vec<u8>]) -> Result<Existing> {
        let sql = format!(
            "SELECT id_number_index, id, street_code FROM persons \
                     WHERE id_number_index IN {}",
            placeholders(indexes.len(), 1)
        );
        let mut query = sqlx::query_as::<_, (Vec<u8>, i64, String)>(sqlx::AssertSqlSafe(sql));
        for index in indexes {
            query = query.bind(index);
        }
        Ok(query
            .fetch_all(&mut *self)
            .await?
            .into_iter()
            .map(|(index, id, street)| (index, (id, street)))
            .collect())
    }

    async fn upsert_persons(
        &mut self,
        chunk: &[ImportRow],
        indexes: &[Vec<u8>],
        now: DateTime<Utc>,
    ) -> Result<HashMap<Vec<u8>, i64>> {
        let sql = persons_upsert(&values(chunk.len(), 12));
        let mut query = sqlx::query_as::<_, (Vec<u8>, i64)>(sqlx::AssertSqlSafe(sql));
        for (row, index) in chunk.iter().zip(indexes) {
            let person = row.person();
            let sealed = row
                .sealed
                .as_ref()
                .ok_or_else(|| Error::Config("导入的行未加密".into()))?;
            query = query
                .bind(&sealed.id_enc)
                .bind(index)
                .bind(&person.name)
                .bind(person.id_number.gender().code())
                .bind(person.id_number.birth_date())
                .bind(sealed.phone.as_ref().map(|(enc, _)| enc))
                .bind(sealed.phone.as_ref().map(|(_, index)| index))
                .bind(&person.street_code)
                .bind(&person.community)
                .bind(person.schooling.map(|s| s.code()))
                .bind(now)
                .bind(now);
        }
        Ok(query.fetch_all(&mut *self).await?.into_iter().collect())
    }

    async fn listed_of(&mut self, roster: Roster, ids: &[i64]) -> Result<HashSet<(i64, i64)>> {
        let sql = match roster {
            Roster::Migrants => format!(
                "SELECT person_id, CAST(0 AS BIGINT) FROM migrants WHERE person_id IN {}",
                placeholders(ids.len(), 1)
            ),
            Roster::Graduates => format!(
                "SELECT person_id, year FROM graduates WHERE person_id IN {}",
                placeholders(ids.len(), 1)
            ),
        };
        let mut query = sqlx::query_as::<_, (i64, i64)>(sqlx::AssertSqlSafe(sql));
        for id in ids {
            query = query.bind(id);
        }
        Ok(query.fetch_all(&mut *self).await?.into_iter().collect())
    }

    async fn upsert_migrants(
        &mut self,
        chunk: &[ImportRow],
        ids: &[i64],
        unit: &str,
        now: DateTime<Utc>,
    ) -> Result<HashSet<(i64, i64)>> {
        let sql = migrants_upsert(&values(chunk.len(), 14));
        let mut query = sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(sql));
        for (row, id) in chunk.iter().zip(ids) {
            let RowData::Migrant(m) = &row.data else {
                return Err(Error::Config("导入的行不属于外出就业人员名册".into()));
            };
            query = query
                .bind(id)
                .bind(m.province)
                .bind(&m.city)
                .bind(m.section.letter().to_string())
                .bind(&m.occupation)
                .bind(&m.skills)
                .bind(m.years_away)
                .bind(m.intention.code())
                .bind(&m.business_field)
                .bind(m.contact_consent)
                .bind(m.surveyed_on)
                .bind(unit)
                .bind(m.returned_on)
                .bind(now);
        }
        Ok(query
            .fetch_all(&mut *self)
            .await?
            .into_iter()
            .map(|id| (id, 0))
            .collect())
    }

    async fn upsert_graduates(
        &mut self,
        chunk: &[ImportRow],
        ids: &[i64],
        now: DateTime<Utc>,
    ) -> Result<HashSet<(i64, i64)>> {
        let sql = graduates_upsert(&placeholders(chunk.len(), 12));
        let mut query = sqlx::query_as::<_, (i64, i64)>(sqlx::AssertSqlSafe(sql));
        for (row, id) in chunk.iter().zip(ids) {
            let RowData::Graduate(g) = &row.data else {
                return Err(Error::Config("导入的行不属于离校未就业毕业生名册".into()));
            };
            query = query
                .bind(id)
                .bind(i64::from(g.year()))
                .bind(&g.school)
                .bind(&g.major)
                .bind(g.degree.code())
                .bind(g.graduated_on)
                .bind(&g.wish)
                .bind("not_yet")
                .bind(None::<chrono::NaiveDate>)
                .bind("")
                .bind(now)
                .bind(now);
        }
        Ok(query.fetch_all(&mut *self).await?.into_iter().collect())
    }
}

/// The upsert of `persons` rows: a row equal to the stored one is left alone (and not
/// returned); `source` is its rows: `VALUES …` or a `SELECT`.
fn persons_upsert(source: &str) -> String {
    format!(
        "INSERT INTO persons (id_number_enc, id_number_index, name, gender, birth_date, \
                     phone_enc, phone_index, street_code, community, schooling, created_at, updated_at) \
                     {source} ON CONFLICT (id_number_index) DO UPDATE SET name = excluded.name, \
                     street_code = excluded.street_code, community = excluded.community, \
                     schooling = COALESCE(excluded.schooling, persons.schooling), \
                     phone_enc = CASE WHEN excluded.phone_index IS NULL \
                       OR excluded.phone_index = persons.phone_index THEN persons.phone_enc \
                       ELSE excluded.phone_enc END, \
                     phone_index = COALESCE(excluded.phone_index, persons.phone_index), \
                     updated_at = excluded.updated_at \
                     WHERE persons.name <> excluded.name OR persons.street_code <> excluded.street_code \
                     OR persons.community <> excluded.community \
                     OR (excluded.schooling IS NOT NULL \
                         AND persons.schooling IS DISTINCT FROM excluded.schooling) \
                     OR (excluded.phone_index IS NOT NULL \
                         AND persons.phone_index IS DISTINCT FROM excluded.phone_index) \
                     RETURNING id_number_index, id"
    )
}

/// The upsert of `migrants` rows: a row equal to the stored one is left alone (and not
/// returned); `source` is its rows: `VALUES …` or a `SELECT`.
fn migrants_upsert(source: &str) -> String {
    format!(
        "INSERT INTO migrants (person_id, province, city, section, occupation, skills, \
                     years_away, intention, business_field, contact_consent, surveyed_on, surveyed_by, \
                     returned_on, updated_at) {source} \
                     ON CONFLICT (person_id) DO UPDATE SET province = excluded.province, \
                     city = excluded.city, section = excluded.section, occupation = excluded.occupation, \
                     skills = excluded.skills, years_away = excluded.years_away, \
                     intention = excluded.intention, business_field = excluded.business_field, \
                     contact_consent = excluded.contact_consent, surveyed_on = excluded.surveyed_on, \
                     surveyed_by = excluded.surveyed_by, returned_on = excluded.returned_on, \
                     updated_at = excluded.updated_at \
                     WHERE migrants.province <> excluded.province OR migrants.city <> excluded.city \
                     OR migrants.section <> excluded.section OR migrants.occupation <> excluded.occupation \
                     OR migrants.skills <> excluded.skills OR migrants.years_away <> excluded.years_away \
                     OR migrants.intention <> excluded.intention \
                     OR migrants.business_field <> excluded.business_field \
                     OR migrants.contact_consent <> excluded.contact_consent \
                     OR migrants.surveyed_on <> excluded.surveyed_on \
                     OR migrants.surveyed_by <> excluded.surveyed_by \
                     OR migrants.returned_on IS DISTINCT FROM excluded.returned_on \
                     RETURNING person_id"
    )
}

/// The upsert of `graduates` rows: a row equal to the stored one is left alone (and not
/// returned); `values` holds the placeholders of the rows.
fn graduates_upsert(values: &str) -> String {
    format!(
        "INSERT INTO graduates (person_id, year, school, major, degree, graduated_on, \
                     wish, placement, placed_on, placement_evidence, created_at, updated_at) \
                     VALUES {values} \
                     ON CONFLICT (person_id, year) DO UPDATE SET school = excluded.school, \
                     major = excluded.major, degree = excluded.degree, \
                     graduated_on = excluded.graduated_on, wish = excluded.wish, \
                     updated_at = excluded.updated_at \
                     WHERE graduates.school <> excluded.school OR graduates.major <> excluded.major \
                     OR graduates.degree <> excluded.degree \
                     OR graduates.graduated_on <> excluded.graduated_on \
                     OR graduates.wish <> excluded.wish \
                     RETURNING person_id, year"
    )
}

/// `VALUES ($1, …, $w), (…)`: the source of an upsert of `rows` rows of `width` columns.
fn values(rows: usize, width: usize) -> String {
    format!("VALUES {}", placeholders(rows, width))
}

/// `($1, …, $w), (…)`: `rows` groups of `width`
/// placeholders; one group of `rows` when `width` is 1.
fn placeholders(rows: usize, width: usize) -> String {
    let mark = |i: usize| format!("${i}");
    if width == 1 {
        let list: Vec<String> = (1..=rows).map(mark).collect();
        return format!("({})", list.join(", "));
    }
    let groups: Vec<String> = (0..rows)
        .map(|r| {
            let cells: Vec<String> = (1..=width).map(|c| mark(r * width + c)).collect();
            format!("({})", cells.join(", "))
        })
        .collect();
    groups.join(", ")
}
