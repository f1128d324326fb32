//! Keeps the search index in step with the database: it applies the database's change log
//! (`search_changes`) in order, after every write that publishes or withdraws a post, at start,
//! and every few seconds (so that several app servers each follow the same log).

use std::time::Duration;

use linkong_search::JobDoc;
use linkong_store::jobs::IndexedPost;

use crate::{AppError, AppState};

/// Changes applied per commit of the index.
const BATCH: i64 = 5_000;

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
        emerging: post.emerging,
        salary_min: post.salary_min,
        salary_max: post.salary_max,
        published_at: post.published_at.timestamp(),
        valid_until: post.valid_until,
    }
}

/// Applies every change the index has not seen yet.
pub async fn sync(state: &AppState) -> Result<(), AppError> {
    let _one_at_a_time = state.search_sync.lock().await;
    loop {
        let seq = state.search.last_seq();
        let changes = state.store.search_changes(seq, BATCH).await?;
        if changes.seq == seq {
            return Ok(());
        }
        let index = state.search.clone();
        let docs: Vec<JobDoc> = changes.published.into_iter().map(doc).collect();
        tokio::task::spawn_blocking(move || index.apply(docs, &changes.removed, changes.seq))
            .await
            .map_err(|e| {
                tracing::error!(error = %e, "search index task failed");
                AppError::Internal { api: false }
            })?
            .map_err(|e| {
                tracing::error!(error = %e, "search index update failed");
                AppError::Internal { api: false }
            })?;
    }
}

/// Follows the change log in the background for as long as the server runs.
pub fn follow(state: AppState) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(5));
        loop {
            tick.tick().await;
            if let Err(e) = sync(&state).await {
                tracing::warn!(error = ?e, "search index sync failed; retrying");
            }
        }
    });
}
