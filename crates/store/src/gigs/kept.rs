//! The open gigs, kept a few seconds per street (issue 17 item 2): the job search's first page
//! shows them, and at a job fair that is thousands of reads a second of a list that changes a
//! few times a day. A gig posted or closed through this store clears what is kept at once; one
//! written by another server shows within [`KEEP`], as a post it publishes shows in this
//! server's search within its poll. The day is part of the key: a gig past its last day leaves
//! at midnight with no write.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::NaiveDate;

use super::GigPost;

/// How long a list read from the database is shown without asking it again.
pub(crate) const KEEP: Duration = Duration::from_secs(5);

/// The kept lists, shared by the clones of one [`crate::Store`].
#[derive(Clone, Default)]
pub(crate) struct OpenGigs {
    kept: Arc<Mutex<HashMap<Option<String>, Kept>>>,
}

struct Kept {
    today: NaiveDate,
    read_at: Instant,
    gigs: Vec<GigPost>,
}

impl OpenGigs {
    /// The list of `street` (None: all streets) read on `today` less than [`KEEP`] ago.
    pub(crate) fn get(&self, street: Option<&str>, today: NaiveDate) -> Option<Vec<GigPost>> {
        let kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
        kept.get(&street.map(str::to_owned))
            .filter(|k| k.today == today && k.read_at.elapsed() < KEEP)
            .map(|k| k.gigs.clone())
    }

    pub(crate) fn put(&self, street: Option<&str>, today: NaiveDate, gigs: &[GigPost]) {
        let mut kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
        kept.insert(
            street.map(str::to_owned),
            Kept {
                today,
                read_at: Instant::now(),
                gigs: gigs.to_vec(),
            },
        );
    }

    /// Forgets every list: a gig was posted or closed.
    pub(crate) fn clear(&self) {
        self.kept.lock().unwrap_or_else(|e| e.into_inner()).clear();
    }
}
