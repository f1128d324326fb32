//! The social-insurance enrolment list (参保名单) in the store: 区人社局 imports it (a whole file
//! in one transaction with its audit row, or nothing), and the 免申即享 scan reads it back by
//! employer. The resident ID is sealed with the same blind index as `persons.id_number_index`,
//! so that rows join to residents; a row is keyed by person, employer and start month, so that
//! importing the same list again updates rows and never duplicates them.

use chrono::{DateTime, NaiveDate, Utc};
use linkong_core::access::Actor;
use linkong_core::insurance::{Enrolment, ValidEnrolment, kinds_from_code};

use crate::audit::{AuditAppend, AuditEvent};
use crate::import_runs::FinishRun;
use crate::people::ImportOutcome;
use crate::{BeginWrite, Result, Store, on_db};

mod sources;

pub use sources::{EnrolmentSource, ResidentEnrolment};

/// USCCs per query when reading enrolments by employer.
const USCC_CHUNK: usize = 500;

/// A row as stored, to compare with a row imported again.
#[derive(Debug, PartialEq, Eq, sqlx::FromRow)]
struct Stored {
    id: i64,
    person_id: Option<i64>,
    name: String,
    employer_name: String,
    kinds: String,
    ended_on: Option<NaiveDate>,
}

/// An enrolment as read for the scan, before its index is written out as hex.
#[derive(sqlx::FromRow)]
struct EnrolmentRow {
    person_id: Option<i64>,
    id_number_index: Vec<u8>,
    employer_uscc: String,
    kinds: String,
    started_on: NaiveDate,
    ended_on: Option<NaiveDate>,
}

impl From<EnrolmentRow> for Enrolment {
    fn from(row: EnrolmentRow) -> Enrolment {
        Enrolment {
            person_id: row.person_id,
            id_number_index: hex::encode(&row.id_number_index),
            employer_uscc: row.employer_uscc,
            kinds: kinds_from_code(&row.kinds),
            started_on: row.started_on,
            ended_on: row.ended_on,
        }
    }
}

/// A row ready to write: its ID sealed and indexed, its fields as stored.
struct SealedRow {
    id_enc: Vec<u8>,
    id_index: Vec<u8>,
    name: String,
    uscc: String,
    employer_name: String,
    kinds: String,
    started_on: NaiveDate,
    ended_on: Option<NaiveDate>,
}

/// What importing one row did.
enum Written {
    Created,
    Updated,
    Unchanged,
}

/// What every row of one import shares: the file's name, the importer, the time.
struct Batch<'a> {
    file_name: &'a str,
    user: Option<i64>,
    now: DateTime<Utc>,
}

/// Counts one written row into the import's outcome.
fn tally(outcome: &mut ImportOutcome, written: Written) {
    outcome.rows += 1;
    match written {
        Written::Created => outcome.created += 1,
        Written::Updated => outcome.updated += 1,
        Written::Unchanged => outcome.unchanged += 1,
    }
}

impl Store {
    /// Writes a checked enrolment list: every row, in one transaction with one audit row, or
    /// none. A row whose person, employer and start month are stored already updates that row
    /// (unchanged when equal). Only 区人社局's staff and admins may (core's
    /// `Actor::may_import_insurance`); anyone else is refused and the attempt audited. `run`
    /// is the web import run this is (its token), marked done in the same transaction.
    pub async fn import_enrolments(
        &self,
        actor: &Actor,
        file_name: &str,
        rows: &[ValidEnrolment],
        ip: &str,
        run: Option<&str>,
    ) -> Result<ImportOutcome> {
        if !actor.may_import_insurance() {
            return Err(self
                .deny(
                    actor,
                    "import:insurance".into(),
                    "只有区人社局的人员和系统管理员可以导入参保名单",
                    ip,
                )
                .await);
        }
        let cipher = self.field_cipher()?;
        let sealed: Vec<SealedRow> = rows
            .iter()
            .map(|valid| SealedRow {
                id_enc: cipher.encrypt(valid.id_number.as_str()),
                id_index: cipher.blind_index(valid.id_number.as_str()),
                name: valid.name.clone(),
                uscc: valid.uscc.as_str().to_owned(),
                employer_name: valid.employer_name.clone(),
                kinds: valid.kinds_code(),
                started_on: valid.started_on,
                ended_on: valid.ended_on,
            })
            .collect();
        self.write_enrolments(actor, file_name, &sealed, ip, run)
            .await
    }

    /// Writes sealed rows in one transaction with one audit row (the caller asked core).
    async fn write_enrolments(
        &self,
        actor: &Actor,
        file_name: &str,
        sealed: &[SealedRow],
        ip: &str,
        run: Option<&str>,
    ) -> Result<ImportOutcome> {
        let user = (actor.user_id > 0).then_some(actor.user_id);
        let _guard = self.write_lock.lock().await;
        let batch = Batch {
            file_name,
            user,
            now: self.now(),
        };
        let mut outcome = ImportOutcome::default();
        on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            for row in sealed {
                tally(&mut outcome, tx.write_enrolment(row, &batch).await?);
            }
            let event = AuditEvent::new("import.insurance", "insurance_enrolments")
                .by(user, &actor.username)
                .detail(format!(
                    "{file_name}：{} 行，新增 {}，更新 {}，未变 {}",
                    outcome.rows, outcome.created, outcome.updated, outcome.unchanged
                ))
                .from_ip(ip);
            tx.append_audit(batch.now, &event).await?;
            tx.finish_import_run(run, &outcome, batch.now).await?;
            tx.commit().await?;
        });
        Ok(outcome)
    }

    /// Every enrolment at the employers `usccs`, for the 免申即享 scan — an internal read, with
    /// no actor: it returns no personal data in clear (no name, no ID: only the ID's blind index
    /// as hex and the resident's id when the resident is in the database, matched now by that
    /// index). Ordered by person, employer and start.
    pub async fn enrolments_at_employers(&self, usccs: &[String]) -> Result<Vec<Enrolment>> {
        let mut enrolments = Vec::new();
        for chunk in usccs.chunks(USCC_CHUNK) {
            let places: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
            let sql = format!(
                "SELECT COALESCE(e.person_id, p.id) AS person_id, e.id_number_index, e.employer_uscc, \
                 e.kinds, e.started_on, e.ended_on FROM insurance_enrolments e \
                 LEFT JOIN persons p ON p.id_number_index = e.id_number_index \
                 WHERE e.employer_uscc IN ({}) \
                 ORDER BY e.id_number_index, e.employer_uscc, e.started_on",
                places.join(", ")
            );
            let rows: Vec<EnrolmentRow> = on_db!(self, pool => {
                let mut query = sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()));
                for uscc in chunk {
                    query = query.bind(uscc);
                }
                query.fetch_all(pool).await?
            });
            enrolments.extend(rows.into_iter().map(Enrolment::from));
        }
        Ok(enrolments)
    }

    /// How many distinct people were enrolled at the employer `uscc` on `as_of` (any kind).
    pub async fn insured_headcount(&self, uscc: &str, as_of: NaiveDate) -> Result<i64> {
        Ok(on_db!(self, pool => sqlx::query_scalar(
            "SELECT COUNT(DISTINCT id_number_index) FROM insurance_enrolments \
             WHERE employer_uscc = $1 AND started_on <= $2 AND (ended_on IS NULL OR ended_on >= $2)"
        )
        .bind(uscc)
        .bind(as_of)
        .fetch_one(pool)
        .await?))
    }
}

/// The enrolment rows, inside the import's transaction.
trait EnrolmentWrite {
    /// Writes one row: a new enrolment, or the stored one of the same person, employer and
    /// start month brought up to date.
    async fn write_enrolment(&mut self, row: &SealedRow, batch: &Batch<'_>) -> Result<Written> {
        let person_id = self.person_of(&row.id_index).await?;
        let stored = self.stored_enrolment(row).await?;
        let wanted = Stored {
            id: stored.as_ref().map_or(0, |s| s.id),
            person_id,
            name: row.name.clone(),
            employer_name: row.employer_name.clone(),
            kinds: row.kinds.clone(),
            ended_on: row.ended_on,
        };
        match stored {
            Some(s) if s == wanted => Ok(Written::Unchanged),
            Some(_) => {
                self.update_enrolment(&wanted, row, batch).await?;
                Ok(Written::Updated)
            }
            None => {
                self.insert_enrolment(&wanted, row, batch).await?;
                Ok(Written::Created)
            }
        }
    }
    /// The resident with this ID index, if known.
    async fn person_of(&mut self, id_index: &[u8]) -> Result<Option<i64>>;
    async fn stored_enrolment(&mut self, row: &SealedRow) -> Result<Option<Stored>>;
    async fn update_enrolment(
        &mut self,
        wanted: &Stored,
        row: &SealedRow,
        batch: &Batch<'_>,
    ) -> Result<()>;
    async fn insert_enrolment(
        &mut self,
        wanted: &Stored,
        row: &SealedRow,
        batch: &Batch<'_>,
    ) -> Result<()>;
}

macro_rules! impl_enrolment_write {
    ($conn:ty) => {
        impl EnrolmentWrite for $conn {
            async fn person_of(&mut self, id_index: &[u8]) -> Result<Option<i64>> {
                Ok(sqlx::query_scalar("SELECT id FROM persons WHERE id_number_index = $1")
                    .bind(id_index)
                    .fetch_optional(&mut *self)
                    .await?)
            }

            async fn stored_enrolment(&mut self, row: &SealedRow) -> Result<Option<Stored>> {
                Ok(sqlx::query_as(
                    "SELECT id, person_id, name, employer_name, kinds, ended_on FROM insurance_enrolments \
                     WHERE id_number_index = $1 AND employer_uscc = $2 AND started_on = $3",
                )
                .bind(&row.id_index)
                .bind(row.uscc.as_str())
                .bind(row.started_on)
                .fetch_optional(&mut *self)
                .await?)
            }

            async fn update_enrolment(&mut self, wanted: &Stored, row: &SealedRow, batch: &Batch<'_>) -> Result<()> {
                sqlx::query(
                    "UPDATE insurance_enrolments SET person_id = $1, name = $2, employer_name = $3, \
                     kinds = $4, ended_on = $5, id_number_enc = $6, batch = $7, imported_by = $8, \
                     imported_at = $9 WHERE id = $10",
                )
                .bind(wanted.person_id)
                .bind(&wanted.name)
                .bind(&wanted.employer_name)
                .bind(&wanted.kinds)
                .bind(wanted.ended_on)
                .bind(&row.id_enc)
                .bind(batch.file_name)
                .bind(batch.user)
                .bind(batch.now)
                .bind(wanted.id)
                .execute(&mut *self)
                .await?;
                Ok(())
            }

            async fn insert_enrolment(&mut self, wanted: &Stored, row: &SealedRow, batch: &Batch<'_>) -> Result<()> {
                sqlx::query(
                    "INSERT INTO insurance_enrolments (id_number_enc, id_number_index, person_id, name, \
                     employer_uscc, employer_name, kinds, started_on, ended_on, batch, imported_by, imported_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
                )
                .bind(&row.id_enc)
                .bind(&row.id_index)
                .bind(wanted.person_id)
                .bind(&wanted.name)
                .bind(row.uscc.as_str())
                .bind(&wanted.employer_name)
                .bind(&wanted.kinds)
                .bind(row.started_on)
                .bind(wanted.ended_on)
                .bind(batch.file_name)
                .bind(batch.user)
                .bind(batch.now)
                .execute(&mut *self)
                .await?;
                Ok(())
            }
        }
    };
}

impl_enrolment_write!(sqlx::PgConnection);
impl_enrolment_write!(sqlx::SqliteConnection);
