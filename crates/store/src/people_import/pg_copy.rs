//! PostgreSQL's writer of out-migrant rosters. While the reading thread checks and seals the
//! file, the rows are gathered into chunks and each chunk is written as soon as it is full, so
//! that reading and writing run side by side on the two cores:
//!
//! - the residents already stored are read once, at the start, as blind index → street, with
//!   `persons` locked against other writers (`SHARE ROW EXCLUSIVE`: others still read it and
//!   refer to it) so that the list stays true until the commit — a lookup per chunk cost a
//!   third of the database's time, one index descent per row;
//! - residents new to the database get ids from the sequence, in blind-index order, and go
//!   with their roster rows straight into `persons` and `migrants` by binary `COPY` —
//!   PostgreSQL's bulk path, many rows to a heap write and a WAL record, where an
//!   `INSERT … SELECT` writes one at a time; sorting a chunk by blind index keeps the unique
//!   index's inserts close together;
//! - residents already stored go to a temporary staging table; once the whole file is in, one
//!   statement upserts them and their roster rows, changing only what changed.
//!
//! All of it in the import's one transaction: a refusal or an error anywhere rolls every chunk
//! back. A street importer's rows whose resident another street registered are refused;
//! once one is, nothing more is written, but the rest of the file is still checked so that the
//! error workbook lists every such row.
//!
//! Row by row, PostgreSQL checks each foreign key with a query of its own (three per row here:
//! the resident's street, the roster row's resident and its surveying unit) — more time than
//! the inserts themselves at a million rows. Where the connection may set
//! `session_replication_role` (a superuser, or a role granted `SET` on it) and the tables
//! have no triggers of their own, those per-row checks are off for the import's writes, and
//! the same checks are made once before the commit: every street and the surveying unit must
//! be a unit, and those units are locked `FOR KEY SHARE` as the per-row checks would lock
//! them; new roster rows take their resident ids from the rows just copied, and the residents
//! already stored are locked `FOR KEY SHARE` too.

use std::collections::{BTreeSet, HashMap};
use std::time::{Duration, Instant};

use chrono::{DateTime, NaiveDate, Utc};
use futures_util::TryStreamExt;
use sqlx::PgConnection;
use tokio::sync::mpsc::{Receiver, Sender};

use super::{
    BatchContext, ImportBatch, ImportOutcome, ImportRow, RowData, RowRefusal, Sealed, Wrote,
    migrants_upsert, persons_upsert, prepare_batch, refusal,
};
use crate::crypto::FieldCipher;
use crate::figures::{BulkTally, Kind};
use crate::{Error, Result};

/// Rows per chunk: large enough that a chunk's inserts into the unique index of blind indexes
/// walk it from left to right, small enough that writing starts soon after reading does (three
/// chunks at most are held: one being written, one waiting, one being gathered). Debug builds
/// (the tests) take small chunks, so that a test's file spans several.
const CHUNK: usize = if cfg!(debug_assertions) { 512 } else { 65_536 };

/// The staging table: a row of the file whose resident is already stored, resident and roster
/// columns as stored.
const STAGE: &str = "CREATE TEMPORARY TABLE import_stage (\
    row_no BIGINT NOT NULL, id_number_enc BYTEA NOT NULL, id_number_index BYTEA NOT NULL, \
    name TEXT NOT NULL, gender TEXT NOT NULL, birth_date DATE NOT NULL, phone_enc BYTEA, \
    phone_index BYTEA, street_code TEXT NOT NULL, community TEXT NOT NULL, schooling TEXT, \
    province TEXT NOT NULL, city TEXT NOT NULL, section TEXT NOT NULL, occupation TEXT NOT NULL, \
    skills TEXT NOT NULL, years_away BIGINT NOT NULL, intention TEXT NOT NULL, \
    business_field TEXT NOT NULL, contact_consent BOOLEAN NOT NULL, surveyed_on DATE NOT NULL, \
    returned_on DATE) ON COMMIT DROP";

/// Columns of `import_stage` in the order each row is copied.
const STAGE_COLUMNS: i16 = 22;

/// The columns of `persons` a new resident is copied into, in order.
const COPY_PERSONS: &str = "COPY persons (id, id_number_enc, id_number_index, name, gender, \
    birth_date, phone_enc, phone_index, street_code, community, schooling, created_at, \
    updated_at) FROM STDIN (FORMAT binary)";

/// Columns of [`COPY_PERSONS`].
const PERSON_COLUMNS: i16 = 13;

/// The columns of `migrants` a new roster row is copied into, in order.
const COPY_MIGRANTS: &str = "COPY migrants (person_id, province, city, section, occupation, \
    skills, years_away, intention, business_field, contact_consent, surveyed_on, surveyed_by, \
    returned_on, updated_at) FROM STDIN (FORMAT binary)";

/// Columns of [`COPY_MIGRANTS`].
const MIGRANT_COLUMNS: i16 = 14;

/// The persons' columns of a staged row, as `persons_upsert` takes them ($2 is now).
const PERSON_VALUES: &str = "s.id_number_enc, s.id_number_index, s.name, s.gender, \
    s.birth_date, s.phone_enc, s.phone_index, s.street_code, s.community, s.schooling, $2, $2";

/// The roster columns of a staged row after the resident id, as `migrants_upsert` takes them
/// ($1 is the surveying unit, $2 now).
const MIGRANT_VALUES: &str = "s.province, s.city, s.section, s.occupation, s.skills, \
    s.years_away, s.intention, s.business_field, s.contact_consent, s.surveyed_on, $1, \
    s.returned_on, $2";

/// What the chunks wrote, for the counts and the checks before the commit.
#[derive(Default)]
struct Written {
    rows: u64,
    /// Rows whose resident was already stored (staged).
    staged: u64,
    /// Every street of the file's rows.
    streets: BTreeSet<String>,
    /// Time spent writing chunks (the rest of the reading time is waiting for rows).
    writing: Duration,
    /// The household tallies the new residents add (surveyed, and meaning to come back).
    tally: BulkTally,
    /// `COPY` buffers, kept from chunk to chunk: a fresh one each time cost the kernel's
    /// zeroing of its pages.
    buffers: [Vec<u8>; 2],
}

/// Writes an out-migrant roster chunk by chunk while the reader goes on; returns what it
/// wrote, as the other writers do: when every row was a new resident, with the tallies they
/// add. Phases are logged with their seconds.
pub(super) async fn copy_migrants(
    connection: &mut PgConnection,
    rows: &mut Receiver<ImportBatch>,
    context: &BatchContext<'_>,
    cipher: &FieldCipher,
    outcome: &mut ImportOutcome,
    refusals: &mut Vec<RowRefusal>,
) -> Result<Wrote> {
    let started = Instant::now();
    sqlx::raw_sql(STAGE).execute(&mut *connection).await?;
    // Sorts and hashes of many staged rows stay in memory (this transaction only).
    sqlx::raw_sql("SET LOCAL work_mem = '256MB'")
        .execute(&mut *connection)
        .await?;
    let unchecked = per_row_checks_off(connection).await?;
    lock_persons(connection).await?;
    let (chunks, mut gathered) = tokio::sync::mpsc::channel(1);
    let gather = gather_chunks(rows, context, cipher, chunks);
    let write = async {
        let mut written = Written::default();
        let mut stored = None;
        while let Some(chunk) = gathered.recv().await {
            let began = Instant::now();
            // A file of one chunk looks up its own residents; a larger one reads every stored
            // resident once, at its first chunk.
            let lookup = match stored.take() {
                Some(lookup) => lookup,
                None => {
                    let only = (chunk.len() < CHUNK).then_some(chunk.as_slice());
                    stored_persons(connection, only).await?
                }
            };
            write_chunk(connection, chunk, context, &lookup, &mut written, refusals).await?;
            stored = Some(lookup);
            written.writing += began.elapsed();
        }
        Ok::<_, Error>(written)
    };
    let (finished, written) = tokio::try_join!(gather, write)?;
    let copied = started.elapsed().as_secs_f64();
    if !finished || !refusals.is_empty() {
        return Ok(finished.into());
    }
    if unchecked {
        check_units(connection, &written.streets, context.unit).await?;
        lock_stored_persons(connection).await?;
    }
    let (listed, updated) = if written.staged > 0 {
        update_stored(connection, context).await?
    } else {
        (0, 0)
    };
    if unchecked {
        sqlx::raw_sql("SET LOCAL session_replication_role = origin")
            .execute(&mut *connection)
            .await?;
    }
    outcome.rows = written.rows;
    outcome.created = written.rows - listed;
    outcome.updated = updated;
    outcome.unchanged = listed - updated;
    tracing::info!(
        "导入阶段：读取并写入 {} 行 {copied:.2} s（其中写入 {:.2} s，新人员 {} 人直接写入），已有人员 {} 人更新 {:.2} s（逐行外键检查{}）",
        written.rows,
        written.writing.as_secs_f64(),
        written.rows - written.staged,
        written.staged,
        started.elapsed().as_secs_f64() - copied,
        if unchecked {
            "改为整句检查"
        } else {
            "照常"
        }
    );
    Ok(if written.staged == 0 {
        Wrote::Tallied(written.tally)
    } else {
        Wrote::Rows
    })
}

/// Gathers the reader's batches into chunks of [`CHUNK`] rows and hands each on; returns
/// whether the reader finished. Rows after an unfinished file are not handed on.
async fn gather_chunks(
    rows: &mut Receiver<ImportBatch>,
    context: &BatchContext<'_>,
    cipher: &FieldCipher,
    chunks: Sender<Vec<ImportRow>>,
) -> Result<bool> {
    let mut chunk = Vec::with_capacity(CHUNK);
    while let Some(batch) = rows.recv().await {
        let batch = match batch {
            ImportBatch::Rows(batch) => prepare_batch(batch, context.roster, cipher)?,
            ImportBatch::Finish => {
                if !chunk.is_empty() {
                    // The writer has stopped only on an error, which the join returns.
                    let _ = chunks.send(chunk).await;
                }
                return Ok(true);
            }
        };
        chunk.extend(batch);
        if chunk.len() >= CHUNK {
            let full = std::mem::replace(&mut chunk, Vec::with_capacity(CHUNK));
            if chunks.send(full).await.is_err() {
                return Ok(false);
            }
        }
    }
    Ok(false)
}

/// Residents stored before the import: blind index → their street (`persons` is locked
/// against other writers until the commit).
struct Stored {
    persons: HashMap<u128, u16>,
    streets: Vec<String>,
}

impl Stored {
    /// The street of the resident with this blind index, if stored.
    fn street(&self, index: &[u8]) -> Option<&str> {
        if self.persons.is_empty() {
            return None;
        }
        let key = u128::from_be_bytes(index.try_into().ok()?);
        let street = *self.persons.get(&key)?;
        self.streets.get(usize::from(street)).map(String::as_str)
    }
}

/// Locks `persons` against other writers until the commit, so that the residents read as
/// stored stay so.
async fn lock_persons(connection: &mut PgConnection) -> Result<()> {
    sqlx::raw_sql("LOCK TABLE persons IN SHARE ROW EXCLUSIVE MODE")
        .execute(&mut *connection)
        .await?;
    Ok(())
}

/// The stored residents' blind indexes and streets: those of `only`'s rows, or every one.
async fn stored_persons(
    connection: &mut PgConnection,
    only: Option<&[ImportRow]>,
) -> Result<Stored> {
    let streets: Vec<String> = sqlx::query_scalar("SELECT code FROM units ORDER BY code")
        .fetch_all(&mut *connection)
        .await?;
    let indexes = only
        .unwrap_or_default()
        .iter()
        .map(|row| sealed_of(row).map(|s| s.id_index.clone()))
        .collect::<Result<Vec<_>>>()?;
    let mut persons = HashMap::new();
    // Two statements, not one with a flag: each keeps its own plan (index or whole table).
    let query = match only {
        Some(_) => sqlx::query_as::<_, (Vec<u8>, String)>(
            "SELECT id_number_index, street_code FROM persons WHERE id_number_index = ANY($1)",
        )
        .bind(&indexes),
        None => sqlx::query_as("SELECT id_number_index, street_code FROM persons"),
    };
    let mut rows = query.fetch(&mut *connection);
    while let Some((index, street)) = rows.try_next().await? {
        let key = <[u8; 16]>::try_from(index.as_slice())
            .map(u128::from_be_bytes)
            .map_err(|_| Error::Config("身份证号码的盲索引长度不是 16 字节".into()))?;
        // `persons.street_code` refers to `units`: every street is in the list.
        let street = streets
            .binary_search(&street)
            .ok()
            .and_then(|at| u16::try_from(at).ok())
            .ok_or_else(|| Error::Config(format!("居民的户籍街道“{street}”不是单位")))?;
        persons.insert(key, street);
    }
    drop(rows);
    Ok(Stored { persons, streets })
}

/// One chunk: residents already stored are staged (refused when another street registered
/// them and the importer is a street), new ones copied into `persons` and `migrants`. Once a
/// row is refused nothing more is written; the rest is only checked.
async fn write_chunk(
    connection: &mut PgConnection,
    chunk: Vec<ImportRow>,
    context: &BatchContext<'_>,
    stored: &Stored,
    written: &mut Written,
    refusals: &mut Vec<RowRefusal>,
) -> Result<()> {
    let mut fresh = Vec::with_capacity(chunk.len());
    let mut known = Vec::new();
    for row in &chunk {
        let street = &migrant_of(row)?.person.street_code;
        if !written.streets.contains(street) {
            written.streets.insert(street.clone());
        }
        match stored.street(&sealed_of(row)?.id_index) {
            None => fresh.push(row),
            Some(registered) => {
                if context.street_only.is_some_and(|own| own != registered) {
                    refusals.push(refusal(row.row));
                }
                known.push(row);
            }
        }
    }
    written.rows += chunk.len() as u64;
    written.staged += known.len() as u64;
    if refusals.is_empty() {
        stage(connection, &known).await?;
        insert_new(connection, &mut fresh, context, written).await?;
    }
    // Thousands of rows' strings are freed off the writer's path.
    drop(tokio::task::spawn_blocking(move || drop(chunk)));
    Ok(())
}

/// Copies rows whose resident is already stored into `import_stage`.
async fn stage(connection: &mut PgConnection, rows: &[&ImportRow]) -> Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let mut buffer = Vec::with_capacity(rows.len() * 400);
    copy_header(&mut buffer);
    for row in rows {
        encode_staged(&mut buffer, row)?;
    }
    copy_in(
        connection,
        "COPY import_stage FROM STDIN (FORMAT binary)",
        &mut buffer,
    )
    .await
}

/// Residents new to the database, and their roster rows: ids drawn from the sequence, given
/// in blind-index order, both tables copied.
async fn insert_new(
    connection: &mut PgConnection,
    fresh: &mut [&ImportRow],
    context: &BatchContext<'_>,
    written: &mut Written,
) -> Result<()> {
    if fresh.is_empty() {
        return Ok(());
    }
    fresh.sort_unstable_by(|a, b| blind_index(a).cmp(blind_index(b)));
    let mut ids: Vec<i64> =
        sqlx::query_scalar("SELECT nextval('persons_id_seq') FROM generate_series(1, $1)")
            .bind(fresh.len() as i64)
            .fetch_all(&mut *connection)
            .await?;
    ids.sort_unstable();
    let [persons, migrants] = &mut written.buffers;
    copy_header(persons);
    copy_header(migrants);
    // Residents are sent a mebibyte at a time as they are encoded, so that PostgreSQL writes
    // them while the rest (and their roster rows) are encoded.
    let mut copy = connection.copy_in_raw(COPY_PERSONS).await?;
    for (row, id) in fresh.iter().zip(&ids) {
        encode_person(persons, *id, row, context.now)?;
        encode_migrant(migrants, *id, row, context)?;
        count_in(&mut written.tally, *id, migrant_of(row)?);
        if persons.len() >= 1 << 20 {
            copy.send(persons.as_slice()).await?;
            persons.clear();
        }
    }
    persons.extend_from_slice(&(-1i16).to_be_bytes());
    copy.send(persons.as_slice()).await?;
    copy.finish().await?;
    copy_in(connection, COPY_MIGRANTS, migrants).await
}

/// A new resident's figures, as the tallies' rebuild counts them: surveyed on the survey
/// day for their street (a new roster row belongs to the district), and meaning to come back
/// if so; the figure's id is the resident's, negated.
fn count_in(tally: &mut BulkTally, id: i64, m: &linkong_core::people::ValidMigrant) {
    let (street, day) = (m.person.street_code.as_str(), m.surveyed_on);
    tally.add(Kind::Surveyed, street, day, -id, 100);
    if m.intention.means_to_come_back() {
        tally.add(Kind::Intending, street, day, -id, 100);
    }
}

/// Empties a binary `COPY` buffer (keeping its memory) and writes the header.
fn copy_header(buffer: &mut Vec<u8>) {
    buffer.clear();
    buffer.extend_from_slice(b"PGCOPY\n\xff\r\n\0");
    buffer.extend_from_slice(&[0; 8]);
}

/// Sends a whole binary `COPY` buffer, its trailer added.
async fn copy_in(
    connection: &mut PgConnection,
    statement: &'static str,
    buffer: &mut Vec<u8>,
) -> Result<()> {
    buffer.extend_from_slice(&(-1i16).to_be_bytes());
    let mut copy = connection.copy_in_raw(statement).await?;
    for piece in buffer.chunks(1 << 20) {
        copy.send(piece).await?;
    }
    copy.finish().await?;
    Ok(())
}

/// Turns the per-row foreign-key checks off for this transaction when the role may and no
/// trigger of the schema's own is on the written tables; returns whether it did.
async fn per_row_checks_off(connection: &mut PgConnection) -> Result<bool> {
    let version: String = sqlx::query_scalar("SELECT current_setting('server_version_num')")
        .fetch_one(&mut *connection)
        .await?;
    // `has_parameter_privilege` (a role granted SET on the setting) came with PostgreSQL 15.
    let granted = if version.parse::<u32>().unwrap_or(0) >= 150_000 {
        "has_parameter_privilege('session_replication_role', 'SET')"
    } else {
        "false"
    };
    let sql = format!(
        "SELECT ((SELECT rolsuper FROM pg_roles WHERE rolname = current_user) OR {granted}) \
         AND NOT EXISTS (SELECT 1 FROM pg_trigger WHERE NOT tgisinternal \
             AND tgrelid IN ('persons'::regclass, 'migrants'::regclass))"
    );
    let allowed: bool = sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
        .fetch_one(&mut *connection)
        .await?;
    if allowed {
        sqlx::raw_sql("SET LOCAL session_replication_role = replica")
            .execute(&mut *connection)
            .await?;
    }
    Ok(allowed)
}

/// The foreign-key checks on units, once for the file: every street of its rows and the
/// surveying unit are units, locked as a per-row check would lock them.
async fn check_units(
    connection: &mut PgConnection,
    streets: &BTreeSet<String>,
    unit: &str,
) -> Result<()> {
    let mut wanted: BTreeSet<&str> = streets.iter().map(String::as_str).collect();
    wanted.insert(unit);
    let wanted: Vec<&str> = wanted.into_iter().collect();
    let found: Vec<String> = sqlx::query_scalar(
        "SELECT code FROM units WHERE code = ANY($1) ORDER BY code FOR KEY SHARE",
    )
    .bind(&wanted)
    .fetch_all(&mut *connection)
    .await?;
    match wanted.iter().find(|code| !found.iter().any(|f| f == *code)) {
        None => Ok(()),
        Some(code) => Err(Error::invalid("户籍街道", format!("单位“{code}”不存在"))),
    }
}

/// The roster rows of residents already stored reference them with no per-row check: those
/// residents are locked `FOR KEY SHARE`, as the check would, so that none is deleted before
/// this transaction ends.
async fn lock_stored_persons(connection: &mut PgConnection) -> Result<()> {
    sqlx::raw_sql(
        "SELECT p.id FROM persons p JOIN import_stage s ON p.id_number_index = s.id_number_index \
         ORDER BY p.id FOR KEY SHARE OF p",
    )
    .execute(&mut *connection)
    .await?;
    Ok(())
}

/// Residents already stored: their rows are upserted, changing only what changed. Returns
/// the staged rows already in the roster, and how many of those changed.
async fn update_stored(
    connection: &mut PgConnection,
    context: &BatchContext<'_>,
) -> Result<(u64, u64)> {
    let people = persons_upsert(&format!(
        "SELECT {PERSON_VALUES} FROM import_stage s WHERE EXISTS \
         (SELECT 1 FROM persons p WHERE p.id_number_index = s.id_number_index)"
    ));
    let roster = migrants_upsert(&format!(
        "SELECT p.id, {MIGRANT_VALUES} FROM import_stage s JOIN persons p \
         ON p.id_number_index = s.id_number_index WHERE true"
    ));
    // Every sub-statement sees the rows as they were before it: `listed` is the roster as it
    // was, the RETURNING lists are what changed.
    let sql = format!(
        "WITH listed AS MATERIALIZED (SELECT p.id FROM import_stage s \
           JOIN persons p ON p.id_number_index = s.id_number_index \
           JOIN migrants m ON m.person_id = p.id), \
         people AS ({people}), roster AS ({roster}) \
         SELECT (SELECT count(*) FROM listed), \
           (SELECT count(*) FROM listed WHERE id IN (SELECT id FROM people) \
              OR id IN (SELECT person_id FROM roster))"
    );
    let (listed, updated): (i64, i64) = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(context.unit)
        .bind(context.now)
        .fetch_one(&mut *connection)
        .await?;
    Ok((
        u64::try_from(listed).unwrap_or(0),
        u64::try_from(updated).unwrap_or(0),
    ))
}

/// The row's sealed ID and phone numbers.
fn sealed_of(row: &ImportRow) -> Result<&Sealed> {
    row.sealed
        .as_ref()
        .ok_or_else(|| Error::Config("导入的行未加密".into()))
}

/// The row's blind index of its resident ID (empty if not sealed).
fn blind_index(row: &ImportRow) -> &[u8] {
    row.sealed.as_ref().map_or(&[], |s| s.id_index.as_slice())
}

/// The row's out-migrant.
fn migrant_of(row: &ImportRow) -> Result<&linkong_core::people::ValidMigrant> {
    match &row.data {
        RowData::Migrant(m) => Ok(m),
        RowData::Graduate(_) => Err(Error::Config("导入的行不属于外出就业人员名册".into())),
    }
}

/// Appends a staged row to a binary `COPY` buffer, in `import_stage`'s column order.
fn encode_staged(buffer: &mut Vec<u8>, row: &ImportRow) -> Result<()> {
    let (m, sealed) = (migrant_of(row)?, sealed_of(row)?);
    let mut out = Fields(buffer);
    out.0.extend_from_slice(&STAGE_COLUMNS.to_be_bytes());
    out.bytes(Some(&(row.row as i64).to_be_bytes()));
    out.person(&m.person, sealed);
    out.roster(m);
    out.date(m.returned_on);
    Ok(())
}

/// Appends a new resident to a binary `COPY` buffer, in [`COPY_PERSONS`]' column order.
fn encode_person(buffer: &mut Vec<u8>, id: i64, row: &ImportRow, now: DateTime<Utc>) -> Result<()> {
    let (m, sealed) = (migrant_of(row)?, sealed_of(row)?);
    let mut out = Fields(buffer);
    out.0.extend_from_slice(&PERSON_COLUMNS.to_be_bytes());
    out.bytes(Some(&id.to_be_bytes()));
    out.person(&m.person, sealed);
    out.timestamp(now);
    out.timestamp(now);
    Ok(())
}

/// Appends a new roster row to a binary `COPY` buffer, in [`COPY_MIGRANTS`]' column order.
fn encode_migrant(
    buffer: &mut Vec<u8>,
    id: i64,
    row: &ImportRow,
    context: &BatchContext<'_>,
) -> Result<()> {
    let m = migrant_of(row)?;
    let mut out = Fields(buffer);
    out.0.extend_from_slice(&MIGRANT_COLUMNS.to_be_bytes());
    out.bytes(Some(&id.to_be_bytes()));
    out.roster(m);
    out.text(Some(context.unit));
    out.date(m.returned_on);
    out.timestamp(context.now);
    Ok(())
}

/// Fields of a binary `COPY` row: each a length (-1 for NULL) and its bytes.
struct Fields<'a>(&'a mut Vec<u8>);

impl Fields<'_> {
    fn bytes(&mut self, value: Option<&[u8]>) {
        match value {
            Some(v) => {
                self.0.extend_from_slice(&(v.len() as i32).to_be_bytes());
                self.0.extend_from_slice(v);
            }
            None => self.0.extend_from_slice(&(-1i32).to_be_bytes()),
        }
    }

    fn text(&mut self, value: Option<&str>) {
        self.bytes(value.map(str::as_bytes));
    }

    /// The resident's columns from the sealed ID number to the schooling, as stored.
    fn person(&mut self, person: &linkong_core::people::ValidPerson, sealed: &Sealed) {
        self.bytes(Some(&sealed.id_enc));
        self.bytes(Some(&sealed.id_index));
        self.text(Some(&person.name));
        self.text(Some(person.id_number.gender().code()));
        self.date(Some(person.id_number.birth_date()));
        self.bytes(sealed.phone.as_ref().map(|(enc, _)| enc.as_slice()));
        self.bytes(sealed.phone.as_ref().map(|(_, index)| index.as_slice()));
        self.text(Some(&person.street_code));
        self.text(Some(&person.community));
        self.text(person.schooling.map(|s| s.code()));
    }

    /// The roster's columns from the province to the survey date.
    fn roster(&mut self, m: &linkong_core::people::ValidMigrant) {
        self.text(Some(m.province));
        self.text(Some(&m.city));
        self.text(Some(m.section.letter().encode_utf8(&mut [0; 4])));
        self.text(Some(&m.occupation));
        self.text(Some(&m.skills));
        self.bytes(Some(&m.years_away.to_be_bytes()));
        self.text(Some(m.intention.code()));
        self.text(Some(&m.business_field));
        self.bytes(Some(&[u8::from(m.contact_consent)]));
        self.date(Some(m.surveyed_on));
    }

    /// A moment as microseconds since 2000-01-01 UTC, PostgreSQL's epoch.
    fn timestamp(&mut self, value: DateTime<Utc>) {
        let epoch = DateTime::<Utc>::from_timestamp(946_684_800, 0).unwrap_or_default();
        let micros = (value - epoch).num_microseconds().unwrap_or(i64::MAX);
        self.bytes(Some(&micros.to_be_bytes()));
    }

    /// A date as days since 2000-01-01, PostgreSQL's epoch.
    fn date(&mut self, value: Option<NaiveDate>) {
        let epoch = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or_default();
        let days = value.map(|d| ((d - epoch).num_days() as i32).to_be_bytes());
        self.bytes(days.as_ref().map(|d| d.as_slice()));
    }
}
