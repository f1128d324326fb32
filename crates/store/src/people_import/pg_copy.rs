//! PostgreSQL's writer of out-migrant rosters. While the file is read, its sealed rows stream
//! into a temporary staging table with one binary `COPY`; once the whole file is in, a few
//! set-based statements write it: the street check (refusals by row), the counts, the upsert
//! of residents and roster rows already stored (changing only what changed), and one insert of
//! every new resident with their roster row, ids drawn from the sequence once for both tables.
//!
//! Row by row, PostgreSQL checks each foreign key with a query of its own (three per row here:
//! the resident's street, the roster row's resident and its surveying unit) — more time than
//! the inserts themselves at a million rows. Where the connection may set
//! `session_replication_role` (a superuser, or a role granted `SET` on it) and the tables
//! have no triggers of their own, those per-row checks are off for the two inserts, and the
//! same checks are made once per statement instead: every street and the surveying unit must
//! be a unit, and those units are locked `FOR KEY SHARE` as the per-row checks would; roster
//! rows take their resident ids from `persons` in the same transaction, and the residents
//! already stored are locked `FOR KEY SHARE` too.

use std::time::Instant;

use chrono::NaiveDate;
use sqlx::PgConnection;
use tokio::sync::mpsc::Receiver;

use super::{
    BatchContext, ImportBatch, ImportOutcome, ImportRow, RowData, RowRefusal, Sealed,
    migrants_upsert, persons_upsert, prepare_batch, refusal,
};
use crate::crypto::FieldCipher;
use crate::{Error, Result};

/// The staging table: a row of the file, resident and roster columns as stored.
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

/// The persons' columns of a staged row, as `persons_upsert` takes them ($2 is now).
const PERSON_VALUES: &str = "s.id_number_enc, s.id_number_index, s.name, s.gender, \
    s.birth_date, s.phone_enc, s.phone_index, s.street_code, s.community, s.schooling, $2, $2";

/// The roster columns of a staged row after the resident id, as `migrants_upsert` takes them
/// ($1 is the surveying unit, $2 now).
const MIGRANT_VALUES: &str = "s.province, s.city, s.section, s.occupation, s.skills, \
    s.years_away, s.intention, s.business_field, s.contact_consent, s.surveyed_on, $1, \
    s.returned_on, $2";

/// Writes an out-migrant roster through the staging table; returns whether the reader
/// finished (`Finish`), as the other writers do. Phases are logged with their seconds.
pub(super) async fn copy_migrants(
    connection: &mut PgConnection,
    rows: &mut Receiver<ImportBatch>,
    context: &BatchContext<'_>,
    cipher: &FieldCipher,
    outcome: &mut ImportOutcome,
    refusals: &mut Vec<RowRefusal>,
) -> Result<bool> {
    let started = Instant::now();
    sqlx::raw_sql(STAGE).execute(&mut *connection).await?;
    // Sorts and hashes of a million staged rows stay in memory (this transaction only).
    sqlx::raw_sql("SET LOCAL work_mem = '256MB'")
        .execute(&mut *connection)
        .await?;
    let (finished, staged) = stage(connection, rows, context, cipher).await?;
    let copied = started.elapsed().as_secs_f64();
    if !finished {
        return Ok(false);
    }
    outcome.rows = staged;
    if let Some(own) = context.street_only {
        refusals.extend(registered_elsewhere(connection, own).await?);
        if !refusals.is_empty() {
            return Ok(true);
        }
    }
    let unchecked = per_row_checks_off(connection).await?;
    if unchecked {
        check_units(connection, context.unit).await?;
        lock_stored_persons(connection).await?;
    }
    let (listed, updated) = update_stored(connection, context).await?;
    let stored = started.elapsed().as_secs_f64();
    insert_new(connection, context).await?;
    if unchecked {
        sqlx::raw_sql("SET LOCAL session_replication_role = origin")
            .execute(&mut *connection)
            .await?;
    }
    outcome.created = staged - listed;
    outcome.updated = updated;
    outcome.unchanged = listed - updated;
    tracing::info!(
        "导入阶段：读取并暂存 {staged} 行 {copied:.2} s，已有人员更新 {:.2} s，新人员写入 {:.2} s（逐行外键检查{}）",
        stored - copied,
        started.elapsed().as_secs_f64() - stored,
        if unchecked {
            "改为整句检查"
        } else {
            "照常"
        }
    );
    Ok(true)
}

/// Copies every batch into `import_stage` while the reader goes on; returns whether the
/// reader finished, and the rows copied.
async fn stage(
    connection: &mut PgConnection,
    rows: &mut Receiver<ImportBatch>,
    context: &BatchContext<'_>,
    cipher: &FieldCipher,
) -> Result<(bool, u64)> {
    let mut copy = connection
        .copy_in_raw("COPY import_stage FROM STDIN (FORMAT binary)")
        .await?;
    let mut buffer = Vec::with_capacity(1 << 20);
    buffer.extend_from_slice(b"PGCOPY\n\xff\r\n\0");
    buffer.extend_from_slice(&[0; 8]);
    let mut finished = false;
    while let Some(batch) = rows.recv().await {
        let batch = match batch {
            ImportBatch::Rows(batch) => prepare_batch(batch, context.roster, cipher)?,
            ImportBatch::Finish => {
                finished = true;
                break;
            }
        };
        for row in &batch {
            encode_row(&mut buffer, row)?;
        }
        copy.send(buffer.as_slice()).await?;
        buffer.clear();
        drop(tokio::task::spawn_blocking(move || drop(batch)));
    }
    buffer.extend_from_slice(&(-1i16).to_be_bytes());
    copy.send(buffer).await?;
    let staged = copy.finish().await?;
    Ok((finished, staged))
}

/// Rows whose resident is registered with a street other than `own`.
async fn registered_elsewhere(connection: &mut PgConnection, own: &str) -> Result<Vec<RowRefusal>> {
    let rows: Vec<i64> = sqlx::query_scalar(
        "SELECT s.row_no FROM import_stage s JOIN persons p \
         ON p.id_number_index = s.id_number_index WHERE p.street_code <> $1 ORDER BY s.row_no",
    )
    .bind(own)
    .fetch_all(&mut *connection)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| refusal(usize::try_from(row).unwrap_or(0)))
        .collect())
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

/// The foreign-key checks on units, once per statement: every staged street and the
/// surveying unit are units, locked as a per-row check would lock them.
async fn check_units(connection: &mut PgConnection, unit: &str) -> Result<()> {
    let mut wanted: Vec<String> =
        sqlx::query_scalar("SELECT DISTINCT street_code FROM import_stage")
            .fetch_all(&mut *connection)
            .await?;
    wanted.push(unit.to_owned());
    wanted.sort();
    wanted.dedup();
    let found: Vec<String> = sqlx::query_scalar(
        "SELECT code FROM units WHERE code = ANY($1) ORDER BY code FOR KEY SHARE",
    )
    .bind(&wanted)
    .fetch_all(&mut *connection)
    .await?;
    match wanted.iter().find(|code| !found.contains(code)) {
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

/// Residents new to the database, and their roster rows, in one statement: ids drawn once,
/// rows in blind-index order so that the unique index fills from left to right.
async fn insert_new(connection: &mut PgConnection, context: &BatchContext<'_>) -> Result<()> {
    let sql = format!(
        "WITH fresh AS MATERIALIZED (SELECT nextval('persons_id_seq') AS id, s.* \
           FROM import_stage s WHERE NOT EXISTS \
           (SELECT 1 FROM persons p WHERE p.id_number_index = s.id_number_index) \
           ORDER BY s.id_number_index), \
         people AS (INSERT INTO persons (id, id_number_enc, id_number_index, name, gender, \
           birth_date, phone_enc, phone_index, street_code, community, schooling, created_at, \
           updated_at) SELECT s.id, {PERSON_VALUES} FROM fresh s) \
         INSERT INTO migrants (person_id, province, city, section, occupation, skills, \
           years_away, intention, business_field, contact_consent, surveyed_on, surveyed_by, \
           returned_on, updated_at) SELECT s.id, {MIGRANT_VALUES} FROM fresh s"
    );
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(context.unit)
        .bind(context.now)
        .execute(&mut *connection)
        .await?;
    Ok(())
}

/// Appends one row to a binary `COPY` buffer, in `import_stage`'s column order.
fn encode_row(buffer: &mut Vec<u8>, row: &ImportRow) -> Result<()> {
    let RowData::Migrant(m) = &row.data else {
        return Err(Error::Config("导入的行不属于外出就业人员名册".into()));
    };
    let sealed: &Sealed = row
        .sealed
        .as_ref()
        .ok_or_else(|| Error::Config("导入的行未加密".into()))?;
    let person = &m.person;
    let mut out = Fields(buffer);
    out.0.extend_from_slice(&STAGE_COLUMNS.to_be_bytes());
    out.bytes(Some(&(row.row as i64).to_be_bytes()));
    out.bytes(Some(&sealed.id_enc));
    out.bytes(Some(&sealed.id_index));
    out.text(Some(&person.name));
    out.text(Some(person.id_number.gender().code()));
    out.date(Some(person.id_number.birth_date()));
    out.bytes(sealed.phone.as_ref().map(|(enc, _)| enc.as_slice()));
    out.bytes(sealed.phone.as_ref().map(|(_, index)| index.as_slice()));
    out.text(Some(&person.street_code));
    out.text(Some(&person.community));
    out.text(person.schooling.map(|s| s.code()));
    out.text(Some(m.province));
    out.text(Some(&m.city));
    out.text(Some(m.section.letter().encode_utf8(&mut [0; 4])));
    out.text(Some(&m.occupation));
    out.text(Some(&m.skills));
    out.bytes(Some(&m.years_away.to_be_bytes()));
    out.text(Some(m.intention.code()));
    out.text(Some(&m.business_field));
    out.bytes(Some(&[u8::from(m.contact_consent)]));
    out.date(Some(m.surveyed_on));
    out.date(m.returned_on);
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

    /// A date as days since 2000-01-01, PostgreSQL's epoch.
    fn date(&mut self, value: Option<NaiveDate>) {
        let epoch = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or_default();
        let days = value.map(|d| ((d - epoch).num_days() as i32).to_be_bytes());
        self.bytes(days.as_ref().map(|d| d.as_slice()));
    }
}
