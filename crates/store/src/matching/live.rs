//! The open posts and their matcher, kept between requests (issue 16: the portal's 为你推荐
//! answers in milliseconds instead of reading and indexing every open post per request).
//!
//! What is kept is keyed by what decides it: the day (a post expires at the day's end with no
//! write), the last sequence number of `search_changes` (every write that publishes or closes a
//! post appends to it in the same transaction, and writes are serialised — across servers too,
//! by the write lock's advisory lock on PostgreSQL — so the sequence only grows, in commit
//! order), the count of verified employers (a post is open only when its employer is, and an
//! employer verified after its posts were loaded opens them with no post written), the weights
//! and the streets' names. A request whose key differs rebuilds it, one
//! request at a time: a new or closed post shows at the next request, on every server.

use std::ops::Deref;
use std::sync::{Arc, Mutex};

use chrono::NaiveDate;
use linkong_core::matching::{Matcher, StreetNames, Weights};
use linkong_core::plan::Plan;

use super::{OpenPosts, index_openings, street_names};
use crate::{Error, Result, Store, on_db};

/// The kept open posts, shared by the clones of one [`Store`].
#[derive(Clone, Default)]
pub(crate) struct OpenCache {
    kept: Arc<Mutex<Option<Kept>>>,
    /// One rebuild at a time; the others wait for it and take its result.
    rebuilding: Arc<tokio::sync::Mutex<()>>,
}

/// What the open posts were built from.
#[derive(Clone, PartialEq)]
struct Key {
    today: NaiveDate,
    /// The last change of `search_changes` and the verified employers' count.
    version: (i64, i64),
    weights: Weights,
    streets: StreetNames,
}

struct Kept {
    key: Key,
    open: Arc<OpenPosts>,
}

impl OpenCache {
    fn get(&self, key: &Key) -> Option<Arc<OpenPosts>> {
        let kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
        kept.as_ref()
            .filter(|k| &k.key == key)
            .map(|k| k.open.clone())
    }

    fn put(&self, key: Key, open: Arc<OpenPosts>) {
        let mut kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
        *kept = Some(Kept { key, open });
    }
}

/// A matcher to score with: the kept one of the open posts, or one built for a single call
/// (a pending post scored among the open ones).
pub(crate) enum Scoring {
    Kept(Arc<OpenPosts>),
    Own(Box<Matcher>),
}

impl Deref for Scoring {
    type Target = Matcher;

    fn deref(&self) -> &Matcher {
        match self {
            Scoring::Kept(open) => &open.matcher,
            Scoring::Own(matcher) => matcher,
        }
    }
}

impl Store {
    /// The posts open on `today` with their matcher under `weights`: the kept ones while no
    /// post was published or closed since and the day is the same, else read and indexed anew.
    pub(crate) async fn live_open(
        &self,
        plan: &Plan,
        weights: &Weights,
        today: NaiveDate,
    ) -> Result<Arc<OpenPosts>> {
        let mut key = Key {
            today,
            version: self.open_version().await?,
            weights: weights.clone(),
            streets: street_names(plan),
        };
        if let Some(open) = self.open_cache.get(&key) {
            return Ok(open);
        }
        let _turn = self.open_cache.rebuilding.lock().await;
        // Another request may have rebuilt it while this one waited.
        key.version = self.open_version().await?;
        if let Some(open) = self.open_cache.get(&key) {
            return Ok(open);
        }
        let posts = self.open_posts(today).await?;
        let (streets, weights) = (key.streets.clone(), weights.clone());
        let open = tokio::task::spawn_blocking(move || {
            OpenPosts::of(posts, |openings| {
                index_openings(openings, streets, &weights, today)
            })
        })
        .await
        .map_err(|e| Error::Config(format!("岗位匹配索引构建中断：{e}")))??;
        let open = Arc::new(open);
        self.open_cache.put(key, open.clone());
        Ok(open)
    }

    /// What the open posts depend on besides the day: the last change of a post and how many
    /// employers are verified.
    async fn open_version(&self) -> Result<(i64, i64)> {
        let (seq, verified): (Option<i64>, i64) = on_db!(self, pool => sqlx::query_as(
            "SELECT (SELECT MAX(seq) FROM search_changes), \
             (SELECT COUNT(*) FROM employers WHERE status = 'verified')",
        )
        .fetch_one(pool)
        .await?);
        Ok((seq.unwrap_or(0), verified))
    }
}
