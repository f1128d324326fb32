//! Work that runs once across servers: a scheduled job (the nightly matching batch, the nightly
//! backup) first takes its name's lock. On PostgreSQL it is a session-level advisory lock held
//! on a connection of its own for as long as the job runs; that connection is closed, not
//! returned to the pool, when the job ends — so the lock goes with it, also when the server
//! dies mid-job (PostgreSQL ends the session and releases the lock, and another server takes it
//! at its next check). On SQLite (one file, one server) a lock in this process is enough.

use std::collections::HashMap;
use std::sync::{Arc, Mutex as StdMutex};

use crate::{Db, Result, Store};

/// The first key of every job lock (two 32-bit keys: a space of their own, apart from the
/// audit chain's single 64-bit key).
const JOB_LOCKS: i32 = 0x4c4b_4a42; // "LKJB"

/// Held while a job runs; dropping it releases the lock.
pub struct Exclusive {
    held: Held,
}

/// What holds the lock, until released or dropped.
enum Held {
    Postgres {
        connection: sqlx::pool::PoolConnection<sqlx::Postgres>,
        name: String,
    },
    Process {
        _guard: tokio::sync::OwnedMutexGuard<()>,
    },
}

impl Exclusive {
    /// Releases the lock now, before this returns (dropping it releases it too, but on
    /// PostgreSQL only once its connection has been closed in the background).
    pub async fn release(self) -> Result<()> {
        if let Held::Postgres {
            mut connection,
            name,
        } = self.held
        {
            sqlx::query("SELECT pg_advisory_unlock($1, hashtext($2))")
                .bind(JOB_LOCKS)
                .bind(&name)
                .execute(&mut *connection)
                .await?;
        }
        Ok(())
    }
}

/// The in-process locks of a SQLite store, by job name.
#[derive(Default, Clone)]
pub(crate) struct ProcessLocks(Arc<StdMutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>>);

impl Store {
    /// The lock of job `name`, or `None` while another server (or task) holds it.
    pub async fn try_exclusive(&self, name: &str) -> Result<Option<Exclusive>> {
        match &self.db {
            Db::Postgres(pool) => {
                let mut connection = pool.acquire().await?;
                // Whatever happens next, this connection is not reused: closing it is what
                // releases the lock.
                connection.close_on_drop();
                let taken: bool =
                    sqlx::query_scalar("SELECT pg_try_advisory_lock($1, hashtext($2))")
                        .bind(JOB_LOCKS)
                        .bind(name)
                        .fetch_one(&mut *connection)
                        .await?;
                Ok(taken.then(|| Exclusive {
                    held: Held::Postgres {
                        connection,
                        name: name.to_owned(),
                    },
                }))
            }
            Db::Sqlite(_) => {
                let lock = {
                    let mut locks = self
                        .process_locks
                        .0
                        .lock()
                        .unwrap_or_else(|e| e.into_inner());
                    locks.entry(name.to_owned()).or_default().clone()
                };
                Ok(lock.try_lock_owned().ok().map(|guard| Exclusive {
                    held: Held::Process { _guard: guard },
                }))
            }
        }
    }
}
