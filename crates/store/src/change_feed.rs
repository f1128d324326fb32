//! The change feed's wake-up call: on PostgreSQL, every statement that appends to the search
//! change log notifies [`SEARCH_CHANGES_CHANNEL`] when it commits (migration 0047's trigger), so
//! every app server on the database hears of it at once. What changed is always read from the
//! log itself, by sequence number: a notification only says "look now", and one missed (a lost
//! connection, a server that was down) only delays a change until the next poll.

use crate::{Db, Result, Store};

/// The channel the search change log notifies.
pub const SEARCH_CHANGES_CHANNEL: &str = "linkong_search_changes";

/// What a listener heard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Heard {
    /// Changes were committed.
    Changes,
    /// The connection was lost and made again: notifications in between were missed.
    Reconnected,
}

/// Listens for committed changes; on SQLite (one file, one server) it never hears anything.
pub struct ChangeListener {
    listener: Option<sqlx::postgres::PgListener>,
}

impl Store {
    /// A listener on the search change log's channel.
    pub async fn listen_for_changes(&self) -> Result<ChangeListener> {
        let listener = match &self.db {
            Db::Postgres(pool) => {
                let mut listener = sqlx::postgres::PgListener::connect_with(pool).await?;
                listener.listen(SEARCH_CHANGES_CHANNEL).await?;
                Some(listener)
            }
            Db::Sqlite(_) => None,
        };
        Ok(ChangeListener { listener })
    }
}

impl ChangeListener {
    /// Waits for the next notification (forever on SQLite).
    pub async fn next(&mut self) -> Result<Heard> {
        let Some(listener) = &mut self.listener else {
            return std::future::pending().await;
        };
        Ok(match listener.try_recv().await? {
            Some(_) => Heard::Changes,
            None => Heard::Reconnected,
        })
    }
}
