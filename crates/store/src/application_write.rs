//! An application's rows as each database writes them best: the application, its first
//! status step, and the push it answers (a post pushed to this applicant, by their account or
//! by their resident's phone, is marked answered). Applications take turns at the store's write
//! lock and the audit chain's, so their round trips count at a job fair's rate: PostgreSQL
//! writes a group's rows in one statement; SQLite, which takes no data-modifying `WITH`, in
//! three (each a hand-off to its connection's own thread, not a trip over a network).
//!
//! Applications are committed in groups: each waits in [`Waiting`] for the write lock, and
//! whichever gets it first writes every application waiting then in one transaction — one
//! commit (one flush to disk) and one turn at the locks for the lot, instead of one each. At a
//! job fair's rate that turn is what applications queue for. The group is written on a task of
//! its own that holds the lock, so that a request dropped halfway (its client gone) neither
//! cuts the others' commit short nor leaves them unanswered. Should the group's transaction
//! fail, each of its applications is tried again alone, so that one bad row fails only itself.

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use sqlx::{PgConnection, SqliteConnection};
use tokio::sync::{OwnedMutexGuard, oneshot};

use crate::audit::{AuditAppend, AuditEvent};
use crate::pushes::reaching;
use crate::{BeginWrite, Error, Result, Store, on_db};

/// The most applications one transaction writes.
const MOST_IN_A_GROUP: usize = 256;

/// An application waiting for its turn to be written.
pub(crate) struct Pending {
    pub post_id: i64,
    pub applicant_id: i64,
    pub user_id: i64,
    pub event: AuditEvent,
    /// The application's id, `None` if the pair was kept already, or why it failed.
    pub answer: oneshot::Sender<Result<Option<i64>>>,
}

/// The applications waiting for the write lock (see the module's notes).
#[derive(Clone, Default)]
pub(crate) struct Waiting(Arc<Mutex<Vec<Pending>>>);

impl Waiting {
    fn push(&self, pending: Pending) {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(pending);
    }

    /// The first waiting applications, at most a group's worth.
    fn take(&self) -> Vec<Pending> {
        let mut waiting = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let n = waiting.len().min(MOST_IN_A_GROUP);
        waiting.drain(..n).collect()
    }
}

impl Store {
    /// Writes one application with whichever group it joins; returns its id, or `None` when the
    /// applicant had applied to the post already.
    pub(crate) async fn write_application(
        &self,
        post_id: i64,
        applicant_id: i64,
        user_id: i64,
        event: AuditEvent,
    ) -> Result<Option<i64>> {
        let (answer, answered) = oneshot::channel();
        self.waiting_applications.push(Pending {
            post_id,
            applicant_id,
            user_id,
            event,
            answer,
        });
        let guard = self.write_lock.clone().lock_owned().await;
        let group = self.waiting_applications.take();
        if group.is_empty() {
            // An earlier group took this one; its answer is there or on its way.
            drop(guard);
        } else {
            let store = self.clone();
            tokio::spawn(async move { store.write_group(group, guard).await });
        }
        answered
            .await
            .map_err(|_| Error::Config("申请未能保存：写入中断，请重试".into()))?
    }

    /// Writes a group in one transaction and answers each; if the transaction fails, each
    /// application alone. The write lock is held until every answer is given.
    async fn write_group(&self, group: Vec<Pending>, _guard: OwnedMutexGuard<()>) {
        let written = self.write_applications(&group).await;
        match written {
            Ok(ids) => {
                for (pending, id) in group.into_iter().zip(ids) {
                    let _ = pending.answer.send(Ok(id));
                }
            }
            Err(error) if group.len() == 1 => {
                if let Some(pending) = group.into_iter().next() {
                    let _ = pending.answer.send(Err(error));
                }
            }
            Err(_) => {
                for pending in group {
                    let alone = self
                        .write_applications(std::slice::from_ref(&pending))
                        .await
                        .map(|ids| ids.into_iter().next().flatten());
                    let _ = pending.answer.send(alone);
                }
            }
        }
    }

    /// The applications' rows and an audit link for each one written, in one transaction: the
    /// links together at the end, so that the chain's head is read and moved once.
    async fn write_applications(&self, group: &[Pending]) -> Result<Vec<Option<i64>>> {
        let now = self.now();
        Ok(on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let ids = tx.insert_applications(group, now).await?;
            let events: Vec<&AuditEvent> = group
                .iter()
                .zip(&ids)
                .filter(|(_, id)| id.is_some())
                .map(|(pending, _)| &pending.event)
                .collect();
            tx.append_audits(now, &events).await?;
            tx.commit().await?;
            ids
        }))
    }
}

pub(crate) trait ApplicationWrite {
    /// Inserts each application of the group received `now` and returns their ids in the
    /// group's order: `None` for an applicant who has applied to that post already, before or
    /// earlier in the group (the table keeps a pair once; nothing is written for it).
    async fn insert_applications(
        &mut self,
        group: &[Pending],
        now: DateTime<Utc>,
    ) -> Result<Vec<Option<i64>>>;
}

/// A group's applications, their first steps and the pushes they answer, in one statement:
/// the group's round trips are what the chain's lock waits on, and on two busy cores each
/// one waits its turn for the processor. Rows come in as arrays, numbered (a pair's first step
/// is by its first place's user); a pair named twice is inserted once (`DO NOTHING` skips the
/// second), and [`first_places`] answers its first place only.
const INSERT_GROUP: &str = "WITH input AS (\
       SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bigint[]) \
       WITH ORDINALITY AS t(post_id, applicant_id, user_id, n)), \
     application AS (\
       INSERT INTO applications (post_id, applicant_id, status, created_at, updated_at) \
       SELECT post_id, applicant_id, 'received', $4, $4 FROM input ORDER BY n \
       ON CONFLICT (post_id, applicant_id) DO NOTHING RETURNING id, post_id, applicant_id), \
     step AS (\
       INSERT INTO application_events (application_id, status, at, by_user) \
       SELECT DISTINCT ON (new.id) new.id, 'received', $4, i.user_id FROM application new \
       JOIN input i ON i.post_id = new.post_id AND i.applicant_id = new.applicant_id \
       ORDER BY new.id, i.n), \
     push AS (\
       UPDATE job_pushes jp SET application_id = new.id FROM application new \
       WHERE jp.post_id = new.post_id AND jp.application_id IS NULL AND {reaching}) \
     SELECT id, post_id, applicant_id FROM application";

impl ApplicationWrite for PgConnection {
    async fn insert_applications(
        &mut self,
        group: &[Pending],
        now: DateTime<Utc>,
    ) -> Result<Vec<Option<i64>>> {
        let column = |of: fn(&Pending) -> i64| group.iter().map(of).collect::<Vec<i64>>();
        let statement = INSERT_GROUP.replace("{reaching}", &reaching("jp.", "new.applicant_id"));
        let inserted: Vec<(i64, i64, i64)> = sqlx::query_as(sqlx::AssertSqlSafe(statement))
            .bind(column(|p| p.post_id))
            .bind(column(|p| p.applicant_id))
            .bind(column(|p| p.user_id))
            .bind(now)
            .fetch_all(&mut *self)
            .await?;
        Ok(first_places(group, &inserted))
    }
}

impl ApplicationWrite for SqliteConnection {
    /// Three statements for the whole group, as on PostgreSQL one: each statement is a hand-off
    /// to the connection's own thread and back, and on two busy cores each hand-off waits its
    /// turn for the processor while the group holds the write lock (one per application and
    /// step was what queued a fair's applications for seconds).
    async fn insert_applications(
        &mut self,
        group: &[Pending],
        now: DateTime<Utc>,
    ) -> Result<Vec<Option<i64>>> {
        let mut applications = sqlx::QueryBuilder::new(
            "INSERT INTO applications (post_id, applicant_id, status, created_at, updated_at) ",
        );
        applications.push_values(group, |mut row, pending| {
            row.push_bind(pending.post_id)
                .push_bind(pending.applicant_id)
                .push("'received'")
                .push_bind(now)
                .push_bind(now);
        });
        applications.push(
            " ON CONFLICT (post_id, applicant_id) DO NOTHING RETURNING id, post_id, applicant_id",
        );
        let inserted: Vec<(i64, i64, i64)> =
            applications.build_query_as().fetch_all(&mut *self).await?;
        let ids = first_places(group, &inserted);
        let new: Vec<(&Pending, i64)> = group
            .iter()
            .zip(&ids)
            .filter_map(|(pending, id)| id.map(|id| (pending, id)))
            .collect();
        if new.is_empty() {
            return Ok(ids);
        }
        let mut steps = sqlx::QueryBuilder::new(
            "INSERT INTO application_events (application_id, status, at, by_user) ",
        );
        steps.push_values(&new, |mut row, (pending, id)| {
            row.push_bind(*id)
                .push("'received'")
                .push_bind(now)
                .push_bind(pending.user_id);
        });
        steps.build().execute(&mut *self).await?;
        let mut pushes = sqlx::QueryBuilder::new("WITH new (id, post_id, applicant_id) AS (");
        pushes.push_values(&new, |mut row, (pending, id)| {
            row.push_bind(*id)
                .push_bind(pending.post_id)
                .push_bind(pending.applicant_id);
        });
        pushes.push(format!(
            ") UPDATE job_pushes SET application_id = new.id FROM new \
             WHERE job_pushes.post_id = new.post_id AND job_pushes.application_id IS NULL AND {}",
            reaching("job_pushes.", "new.applicant_id")
        ));
        pushes.build().execute(&mut *self).await?;
        Ok(ids)
    }
}

/// Each place of a group its new application's id, from the rows inserted as (id, post,
/// applicant) in any order: only the first place naming a pair gets it; a later one, and a
/// pair kept before, get `None`.
fn first_places(group: &[Pending], inserted: &[(i64, i64, i64)]) -> Vec<Option<i64>> {
    let mut new: std::collections::HashMap<(i64, i64), i64> = inserted
        .iter()
        .map(|&(id, post, applicant)| ((post, applicant), id))
        .collect();
    group
        .iter()
        .map(|p| new.remove(&(p.post_id, p.applicant_id)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::{Pending, first_places};
    use crate::audit::AuditEvent;

    fn pending(post_id: i64, applicant_id: i64) -> Pending {
        Pending {
            post_id,
            applicant_id,
            user_id: 1,
            event: AuditEvent::new("application.create", format!("job_post:{post_id}")),
            answer: tokio::sync::oneshot::channel().0,
        }
    }

    #[test]
    fn rows_go_to_the_first_place_naming_their_pair() {
        // Places 0 and 2 name the same pair, place 1 a pair kept before (no row), place 3 a
        // new pair; the database returns the rows in any order.
        let group = [pending(7, 1), pending(8, 1), pending(7, 1), pending(7, 2)];
        let rows = [(11, 7, 2), (10, 7, 1)];
        assert_eq!(
            first_places(&group, &rows),
            vec![Some(10), None, None, Some(11)]
        );
    }
}
