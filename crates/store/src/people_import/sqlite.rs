//! The SQLite writer of roster imports. A million rows through sqlx cost more in binding and
//! channel hops than SQLite spends writing them, so each batch goes through SQLite's own
//! prepared statements (rusqlite) on the very connection — and transaction — sqlx holds, rows
//! in blind-index order so that neighbouring rows land on neighbouring index pages. A resident
//! new to the database costs two plain inserts (the person, the roster row); a stored one a
//! lookup, the street check and two upserts that write only what changed.

use chrono::{NaiveDate, SecondsFormat};
use rusqlite::{OptionalExtension, Statement, params};

use super::{
    BatchContext, BulkConnection, ImportOutcome, ImportRow, RowData, RowRefusal, Sealed,
    WriteBatch, graduates_upsert, migrants_upsert, persons_upsert, placeholders, refusal,
    roster_key, values,
};
use crate::Result;
use linkong_core::access::Roster;

impl BulkConnection for sqlx::SqliteConnection {
    /// The write lock at once, as every write transaction here takes it.
    fn begin_statement(&self) -> &'static str {
        crate::SQLITE_BEGIN_WRITE
    }

    /// 128 MiB of page cache holds the hot pages of a million residents' indexes, so that
    /// random index inserts do not spill to the WAL and read back; statement journals and
    /// other temporary data stay in memory. Afterwards SQLite's defaults come back.
    async fn bulk_cache(&mut self, bulk: bool) -> Result<()> {
        let pragmas = if bulk {
            "PRAGMA cache_size = -131072; PRAGMA temp_store = MEMORY"
        } else {
            "PRAGMA cache_size = -2000; PRAGMA temp_store = DEFAULT"
        };
        sqlx::raw_sql(pragmas).execute(self).await?;
        Ok(())
    }
}

impl WriteBatch for sqlx::SqliteConnection {
    async fn write_batch(
        &mut self,
        batch: &mut [ImportRow],
        context: &BatchContext<'_>,
        outcome: &mut ImportOutcome,
        refusals: &mut Vec<RowRefusal>,
    ) -> Result<()> {
        batch.sort_unstable_by(|a, b| index_of(a).cmp(index_of(b)));
        let mut handle = self.lock_handle().await?;
        let raw = handle.as_raw_handle();
        let written = blocking(|| {
            // SAFETY: `handle` keeps sqlx off this connection until it is dropped below, after
            // the wrapper; a wrapper made by `from_handle` never closes the connection.
            let connection = unsafe { rusqlite::Connection::from_handle(raw.as_ptr()) }?;
            // No statement here may stop half-way — foreign keys are checked at commit, other
            // constraints FAIL rather than ABORT, and each statement writes one row — so SQLite
            // needs no statement journal, a copy of every page each row's insert touches.
            connection.execute_batch("PRAGMA defer_foreign_keys = ON")?;
            let now = context.now.to_rfc3339_opts(SecondsFormat::AutoSi, false);
            let mut writer = Writer::prepare(&connection, context, &now)?;
            for row in batch.iter() {
                writer.write(row, outcome, refusals)?;
            }
            Ok::<_, rusqlite::Error>(())
        });
        drop(handle);
        Ok(written?)
    }
}

/// Runs SQLite's blocking calls without starving the runtime's other tasks where it can.
fn blocking<R>(work: impl FnOnce() -> R) -> R {
    use tokio::runtime::{Handle, RuntimeFlavor};
    match Handle::try_current() {
        Ok(runtime) if runtime.runtime_flavor() == RuntimeFlavor::MultiThread => {
            tokio::task::block_in_place(work)
        }
        _ => work(),
    }
}

fn sealed(row: &ImportRow) -> rusqlite::Result<&Sealed> {
    row.sealed
        .as_ref()
        .ok_or_else(|| rusqlite::Error::ToSqlConversionFailure("导入的行未加密".into()))
}

fn index_of(row: &ImportRow) -> &[u8] {
    row.sealed.as_ref().map_or(&[], |s| s.id_index.as_slice())
}

/// A date as sqlx writes it to SQLite (chrono's `%F`, for the years a roster holds).
fn day(date: NaiveDate) -> String {
    use chrono::Datelike;
    format!("{:04}-{:02}-{:02}", date.year(), date.month(), date.day())
}

/// The statements of one batch.
struct Writer<'c> {
    connection: &'c rusqlite::Connection,
    context: &'c BatchContext<'c>,
    /// sqlx's text of the import's instant.
    now: &'c str,
    /// A resident new to the database; no change when the resident is stored.
    insert_person: Statement<'c>,
    /// A stored resident's id and street.
    find_person: Statement<'c>,
    /// A stored resident updated where the row differs; returns a row only then.
    update_person: Statement<'c>,
    /// Is the resident in the roster (for graduates: that year's)?
    listed: Statement<'c>,
    /// The roster row of a resident new to the database.
    insert_roster: Statement<'c>,
    /// The roster row inserted or updated where it differs; returns a row only then.
    upsert_roster: Statement<'c>,
}

impl<'c> Writer<'c> {
    fn prepare(
        connection: &'c rusqlite::Connection,
        context: &'c BatchContext<'c>,
        now: &'c str,
    ) -> rusqlite::Result<Writer<'c>> {
        let (listed, upsert_roster) = match context.roster {
            Roster::Migrants => (
                "SELECT 1 FROM migrants WHERE person_id = $1 AND $2 = 0",
                migrants_upsert(&values(1, 14)),
            ),
            Roster::Graduates => (
                "SELECT 1 FROM graduates WHERE person_id = $1 AND year = $2",
                graduates_upsert(&placeholders(1, 12)),
            ),
        };
        let prepare =
            |sql: &str| connection.prepare(&sql.replacen("INSERT INTO", "INSERT OR FAIL INTO", 1));
        Ok(Writer {
            connection,
            context,
            now,
            insert_person: prepare(
                "INSERT INTO persons (id_number_enc, id_number_index, name, gender, birth_date, \
                 phone_enc, phone_index, street_code, community, schooling, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) \
                 ON CONFLICT (id_number_index) DO NOTHING",
            )?,
            find_person: prepare("SELECT id, street_code FROM persons WHERE id_number_index = $1")?,
            update_person: prepare(&persons_upsert(&values(1, 12)))?,
            listed: prepare(listed)?,
            insert_roster: prepare(
                upsert_roster
                    .split(" ON CONFLICT")
                    .next()
                    .unwrap_or(&upsert_roster),
            )?,
            upsert_roster: prepare(&upsert_roster)?,
        })
    }

    fn write(
        &mut self,
        row: &ImportRow,
        outcome: &mut ImportOutcome,
        refusals: &mut Vec<RowRefusal>,
    ) -> rusqlite::Result<()> {
        let sealed = sealed(row)?;
        let (person, now) = (row.person(), self.now);
        let phone = sealed.phone.as_ref();
        let values = params![
            sealed.id_enc,
            sealed.id_index,
            person.name,
            person.id_number.gender().code(),
            day(person.id_number.birth_date()),
            phone.map(|(enc, _)| enc),
            phone.map(|(_, index)| index),
            person.street_code,
            person.community,
            person.schooling.map(|s| s.code()),
            now,
            now,
        ];
        // Once a row is refused nothing more is written; only refusals are still looked for.
        let writing = refusals.is_empty();
        if writing && self.insert_person.execute(values)? == 1 {
            // A resident new to the database is in no roster yet.
            let id = self.connection.last_insert_rowid();
            write_roster(&mut self.insert_roster, self.context.unit, now, row, id)?;
            outcome.rows += 1;
            outcome.created += 1;
            return Ok(());
        }
        let Some((id, street)) = self.find(sealed)? else {
            // A new resident while no longer writing; while writing, a row that was neither
            // inserted nor found must not pass unnoticed.
            return if writing {
                Err(rusqlite::Error::QueryReturnedNoRows)
            } else {
                Ok(())
            };
        };
        if self.context.street_only.is_some_and(|own| own != street) {
            refusals.push(refusal(row.row));
            return Ok(());
        }
        if !writing {
            return Ok(());
        }
        let person_changed = self.update_person.exists(values)?;
        let key = roster_key(row, id);
        let listed = self.listed.exists(params![key.0, key.1])?;
        let roster_changed =
            write_roster(&mut self.upsert_roster, self.context.unit, now, row, id)?;
        outcome.rows += 1;
        if !listed {
            outcome.created += 1;
        } else if person_changed || roster_changed {
            outcome.updated += 1;
        } else {
            outcome.unchanged += 1;
        }
        Ok(())
    }

    fn find(&mut self, sealed: &Sealed) -> rusqlite::Result<Option<(i64, String)>> {
        self.find_person
            .query_row([&sealed.id_index], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()
    }
}

/// Writes a roster row by `statement` (an insert or an upsert); true if a row came back (the
/// upsert's new or changed row).
fn write_roster(
    statement: &mut Statement<'_>,
    unit: &str,
    now: &str,
    row: &ImportRow,
    person_id: i64,
) -> rusqlite::Result<bool> {
    match &row.data {
        RowData::Migrant(m) => statement.exists(params![
            person_id,
            m.province,
            m.city,
            m.section.letter().to_string(),
            m.occupation,
            m.skills,
            m.years_away,
            m.intention.code(),
            m.business_field,
            m.contact_consent,
            day(m.surveyed_on),
            unit,
            m.returned_on.map(day),
            now,
        ]),
        RowData::Graduate(g) => statement.exists(params![
            person_id,
            i64::from(g.year()),
            g.school,
            g.major,
            g.degree.code(),
            day(g.graduated_on),
            g.wish,
            "not_yet",
            None::<String>,
            "",
            now,
            now,
        ]),
    }
}
