//! What `/metrics` samples from the database at each scrape: the work waiting in queues and
//! the connection pool. Counts only — never a row's content — so nothing personal leaves.

use crate::{Result, Store, on_db};

/// Work waiting in the database's queues.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Queues {
    /// SMS in the outbox still to be tried.
    pub sms_waiting: i64,
    /// SMS given up on after the last attempt.
    pub sms_abandoned: i64,
    /// Job posts waiting for a reviewer.
    pub posts_pending_review: i64,
    /// Complaints about posts not yet handled.
    pub complaints_open: i64,
    /// The latest change of the search log (the index follows it; see `app::SearchSync`).
    pub search_seq: i64,
}

/// The database connection pool of this process.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PoolStats {
    /// Connections open now, idle or in use.
    pub open: u32,
    pub idle: u32,
    pub max: u32,
}

impl Store {
    /// The queues' sizes, in one read.
    pub async fn queues(&self) -> Result<Queues> {
        let (sms_waiting, sms_abandoned) = self.outbox_counts().await?;
        let (posts_pending_review, complaints_open): (i64, i64) = on_db!(self, pool => sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM job_posts WHERE status = 'pending'), \
             (SELECT COUNT(*) FROM post_complaints WHERE status = 'open')"
        )
        .fetch_one(pool)
        .await?);
        Ok(Queues {
            sms_waiting,
            sms_abandoned,
            posts_pending_review,
            complaints_open,
            search_seq: self.search_seq().await?,
        })
    }

    /// The pool's connections now.
    pub fn pool_stats(&self) -> PoolStats {
        on_db!(self, pool => PoolStats {
            open: pool.size(),
            idle: u32::try_from(pool.num_idle()).unwrap_or(u32::MAX),
            max: pool.options().get_max_connections(),
        })
    }
}
