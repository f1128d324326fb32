//! The writes of the mentorings, inside the caller's transaction so that each action commits
//! together with its tally and audit row.

use chrono::{DateTime, NaiveDate, Utc};
use linkong_core::mentoring::{
    Mentor, MentorKind, ValidEnd, ValidFinancing, ValidMentoring, ValidMilestone, ValidVisit,
};
use sqlx::{PgConnection, SqliteConnection};

use crate::{Error, Result};

/// A mentoring as it is written.
pub(super) struct NewMentoring<'a> {
    pub valid: &'a ValidMentoring,
    pub opened_by: &'a str,
    /// The selection entry and the showcase case it was chosen from.
    pub links: (Option<i64>, Option<i64>),
    pub user_id: i64,
    pub now: DateTime<Utc>,
}

/// One thing added to a running mentoring, or its end.
pub(super) enum Entry<'a> {
    Milestone(&'a ValidMilestone),
    Reached {
        milestone: i64,
        title: &'a str,
        on: NaiveDate,
    },
    Visit(&'a ValidVisit),
    Financing(&'a ValidFinancing),
    End(&'a ValidEnd),
}

impl Entry<'_> {
    pub fn action(&self) -> &'static str {
        match self {
            Entry::Milestone(_) => "mentoring.milestone",
            Entry::Reached { .. } => "mentoring.milestone_reached",
            Entry::Visit(_) => "mentoring.visit",
            Entry::Financing(_) => "mentoring.financing",
            Entry::End(_) => "mentoring.end",
        }
    }

    /// What the audit row says (no personal numbers: none are kept).
    pub fn detail(&self) -> String {
        match self {
            Entry::Milestone(m) => format!("节点：{}（计划 {}）", m.title, m.due_on),
            Entry::Reached { title, on, .. } => format!("节点完成：{title}（{on}）"),
            Entry::Visit(v) => format!("走访：{}", v.visited_on),
            Entry::Financing(f) => format!("融资对接：{}（{}）", f.funder, f.result.label()),
            Entry::End(e) => format!("结束：{}（{}）", e.outcome.label(), e.ended_on),
        }
    }
}

pub(super) trait MentoringWrite {
    async fn insert_mentoring(&mut self, new: &NewMentoring<'_>) -> Result<i64>;
    async fn write_entry(
        &mut self,
        id: i64,
        entry: &Entry<'_>,
        user_id: i64,
        now: DateTime<Utc>,
    ) -> Result<()>;
}

macro_rules! impl_mentoring_write {
    ($conn:ty) => {
        impl MentoringWrite for $conn {
            async fn insert_mentoring(&mut self, n: &NewMentoring<'_>) -> Result<i64> {
                let v = n.valid;
                let (kind, expert, name, organisation) = match &v.mentor {
                    Mentor::Expert(id) => (MentorKind::Expert, Some(*id), "", ""),
                    Mentor::Instructor { name, organisation } => {
                        (MentorKind::Instructor, None, name.as_str(), organisation.as_str())
                    }
                };
                Ok(sqlx::query_scalar(
                    "INSERT INTO mentorings (business_id, opened_by, chosen_for, chosen_note, selection_entry_id, \
                     showcase_case_id, started_on, mentor_kind, expert_id, instructor_name, instructor_org, fund_joins, \
                     status, end_note, created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, \
                     $10, $11, $12, 'active', '', $13, $14, $14) RETURNING id",
                )
                .bind(v.business_id)
                .bind(n.opened_by)
                .bind(v.chosen_for.code())
                .bind(&v.chosen_note)
                .bind(n.links.0)
                .bind(n.links.1)
                .bind(v.started_on)
                .bind(kind.code())
                .bind(expert)
                .bind(name)
                .bind(organisation)
                .bind(v.fund_joins)
                .bind(n.user_id)
                .bind(n.now)
                .fetch_one(&mut *self)
                .await?)
            }

            async fn write_entry(
                &mut self,
                id: i64,
                entry: &Entry<'_>,
                user_id: i64,
                now: DateTime<Utc>,
            ) -> Result<()> {
                let done = match entry {
                    Entry::Milestone(m) => sqlx::query(
                        "INSERT INTO mentoring_milestones (mentoring_id, title, due_on, done_on, created_by, created_at) \
                         VALUES ($1, $2, $3, NULL, $4, $5)",
                    )
                    .bind(id)
                    .bind(&m.title)
                    .bind(m.due_on)
                    .bind(user_id)
                    .bind(now),
                    Entry::Reached { milestone, on, .. } => sqlx::query(
                        "UPDATE mentoring_milestones SET done_on = $1 WHERE id = $2 AND mentoring_id = $3 \
                         AND done_on IS NULL",
                    )
                    .bind(*on)
                    .bind(*milestone)
                    .bind(id),
                    Entry::Visit(v) => sqlx::query(
                        "INSERT INTO mentoring_visits (mentoring_id, visited_on, visitor, problems_raised, problems_solved, \
                         created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                    )
                    .bind(id)
                    .bind(v.visited_on)
                    .bind(&v.visitor)
                    .bind(&v.problems_raised)
                    .bind(&v.problems_solved)
                    .bind(user_id)
                    .bind(now),
                    Entry::Financing(f) => sqlx::query(
                        "INSERT INTO mentoring_financing (mentoring_id, contacted_on, funder, amount, result, created_by, \
                         created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                    )
                    .bind(id)
                    .bind(f.contacted_on)
                    .bind(&f.funder)
                    .bind(f.amount)
                    .bind(f.result.code())
                    .bind(user_id)
                    .bind(now),
                    Entry::End(e) => sqlx::query(
                        "UPDATE mentorings SET status = 'ended', outcome = $1, ended_on = $2, end_note = $3, \
                         updated_at = $4 WHERE id = $5 AND status = 'active'",
                    )
                    .bind(e.outcome.code())
                    .bind(e.ended_on)
                    .bind(&e.note)
                    .bind(now)
                    .bind(id),
                };
                let changed = "该跟踪陪跑已结束或已被他人修改，请刷新后重试";
                if done.execute(&mut *self).await?.rows_affected() != 1 {
                    return Err(Error::Conflict(changed.into()));
                }
                if !matches!(entry, Entry::End(_)) {
                    // Still running when the entry commits: an end in between refuses it.
                    let touched = sqlx::query(
                        "UPDATE mentorings SET updated_at = $1 WHERE id = $2 AND status = 'active'",
                    )
                    .bind(now)
                    .bind(id)
                    .execute(&mut *self)
                    .await?;
                    if touched.rows_affected() != 1 {
                        return Err(Error::Conflict(changed.into()));
                    }
                }
                Ok(())
            }
        }
    };
}

impl_mentoring_write!(SqliteConnection);
impl_mentoring_write!(PgConnection);
