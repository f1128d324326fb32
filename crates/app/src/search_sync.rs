//! Keeps the search index in step with the database: it applies the database's change log
//! (`search_changes`) in order, after every write that publishes or withdraws a post, at start,
//! whenever the database says another server committed changes (PostgreSQL's LISTEN/NOTIFY),
//! and every few seconds whatever happens — so a missed notification only delays a change. The
//! last sequence applied is kept with the index (its commit payload), so a restart resumes.
//! The first sync of each day also removes the posts that expired by that day.

use std::sync::Arc;
use std::time::Duration;

use linkong_search::{JobDoc, JobIndex, SearchError};
use linkong_store::Store;
use linkong_store::change_feed::{ChangeListener, Heard};
use linkong_store::jobs::IndexedPost;
use thiserror::Error;
use tokio::sync::Mutex;

/// Changes applied per commit of the index.
const BATCH: i64 = 5_000;

/// How often a server looks for changes made by the others.
const FOLLOW_EVERY: Duration = Duration::from_secs(5);

#[derive(Debug, Error)]
pub enum SyncError {
    #[error("读取变更记录失败：{0}")]
    Store(#[from] linkong_store::Error),
    #[error("更新搜索索引失败：{0}")]
    Index(#[from] SearchError),
    #[error("搜索索引任务中断：{0}")]
    Task(#[from] tokio::task::JoinError),
}

/// One index following one database; clones share the index and take turns applying changes.
#[derive(Clone)]
pub struct SearchSync {
    store: Store,
    index: Arc<JobIndex>,
    one_at_a_time: Arc<Mutex<()>>,
}

impl SearchSync {
    pub fn new(store: Store, index: Arc<JobIndex>) -> SearchSync {
        SearchSync {
            store,
            index,
            one_at_a_time: Arc::new(Mutex::new(())),
        }
    }

    pub fn index(&self) -> &Arc<JobIndex> {
        &self.index
    }

    /// Applies every change the index has not seen yet. After a catch-up of more than one
    /// batch (a rebuild at start), the index is merged into one segment.
    pub async fn sync(&self) -> Result<(), SyncError> {
        let _turn = self.one_at_a_time.lock().await;
        let mut batches = 0;
        loop {
            let seq = self.index.last_seq();
            let changes = self.store.search_changes(seq, BATCH).await?;
            if changes.seq == seq {
                break;
            }
            let index = self.index.clone();
            let docs: Vec<JobDoc> = changes.published.into_iter().map(doc).collect();
            tokio::task::spawn_blocking(move || index.apply(docs, &changes.removed, changes.seq))
                .await??;
            batches += 1;
        }
        if batches > 1 {
            let index = self.index.clone();
            let merged = tokio::task::spawn_blocking(move || index.merge_segments()).await??;
            tracing::info!(
                segments = merged,
                "search index caught up and merged into one segment"
            );
        }
        self.remove_expired().await
    }

    /// Once a day (at the first sync of the day, by the store's clock), the posts expired by
    /// today leave the index, so that today's searches need no expiry filter.
    async fn remove_expired(&self) -> Result<(), SyncError> {
        let today = linkong_core::time::local_date(self.store.now());
        let index = self.index.clone();
        let removed = tokio::task::spawn_blocking(move || index.remove_expired(today)).await??;
        if removed > 0 {
            tracing::info!(removed, %today, "expired posts removed from the search index");
        }
        Ok(())
    }

    /// Follows the change log in the background for as long as the runtime runs: woken by the
    /// database's notifications, and polling every few seconds.
    pub fn follow(self) {
        self.follow_with(FOLLOW_EVERY, Wake::OnNotification);
    }

    /// Follows the change log, polling every `poll`, and with [`Wake::OnNotification`] also as
    /// soon as the database notifies a commit.
    pub fn follow_with(self, poll: Duration, wake: Wake) -> tokio::task::JoinHandle<()> {
        tokio::spawn(async move {
            let mut listener = match wake {
                Wake::OnNotification => self.listen().await,
                Wake::PollOnly => None,
            };
            let mut tick = tokio::time::interval(poll);
            loop {
                if listener.is_none() && wake == Wake::OnNotification {
                    // Not listening (the database was away at start): ask again at each poll.
                    listener = self.listen().await;
                }
                tokio::select! {
                    _ = tick.tick() => {}
                    heard = heard(&mut listener) => {
                        if let Err(e) = heard {
                            tracing::warn!(error = %e, "change notifications lost; polling until they are back");
                            tokio::time::sleep(Duration::from_secs(1)).await;
                        }
                    }
                }
                if let Err(e) = self.sync().await {
                    tracing::warn!(error = %e, "search index sync failed; retrying");
                }
            }
        })
    }

    async fn listen(&self) -> Option<ChangeListener> {
        match self.store.listen_for_changes().await {
            Ok(listener) => Some(listener),
            Err(e) => {
                tracing::warn!(error = %e, "cannot listen for change notifications; polling only");
                None
            }
        }
    }
}

/// What wakes a following server besides its poll.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wake {
    /// The database's notification of committed changes (PostgreSQL; SQLite has none).
    OnNotification,
    /// Nothing: the poll alone (as when notifications are blocked).
    PollOnly,
}

/// The next notification, or never without a listener. A reconnection counts: what was
/// notified while the connection was down is caught up from the log.
async fn heard(listener: &mut Option<ChangeListener>) -> linkong_store::Result<Heard> {
    match listener {
        Some(listener) => listener.next().await,
        None => std::future::pending().await,
    }
}

fn doc(post: IndexedPost) -> JobDoc {
    JobDoc {
        id: post.id,
        title: post.title,
        employer: post.employer,
        description: post.description,
        industry: post.industry,
        leading: post.leading,
        street: post.street,
        education: post.education,
        experience: post.experience,
        positions: post.positions,
        emerging: post.emerging,
        salary_min: post.salary_min,
        salary_max: post.salary_max,
        published_at: post.published_at.timestamp(),
        valid_until: post.valid_until,
    }
}
