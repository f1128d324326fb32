//! Recruitment events (招聘活动): campus fairs, other fairs, 送岗位进社区, 市外引才 — with the
//! employers and posts taking part, attendance and intentions reached. Events held count toward
//! the plan's indicators by themselves (see `registry`).

use chrono::{DateTime, NaiveDate, Utc};
use linkong_core::access::Actor;
use linkong_core::events::{EventKind, ValidEvent, validate_event};
use linkong_core::field::FieldError;
use linkong_core::plan::Plan;
use linkong_core::time::local_date;
use serde::Serialize;
use sqlx::{PgConnection, SqliteConnection};

use crate::audit::{AuditAppend, AuditEvent};
use crate::figures::{DayKey, FigureWrite, Kind};
use crate::jobs::JobPost;
use crate::{BeginWrite, Error, Result, Store, on_db};

pub use linkong_core::events::EventDraft;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RecruitmentEvent {
    pub id: i64,
    pub kind: EventKind,
    pub title: String,
    pub organiser: String,
    pub held_on: NaiveDate,
    pub online: bool,
    pub place: String,
    pub attendance: i64,
    pub intentions: i64,
    pub note: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EventDetail {
    pub event: RecruitmentEvent,
    pub employers: Vec<(i64, String)>,
    pub posts: Vec<JobPost>,
}

type EventRow = (
    i64,
    String,
    String,
    String,
    NaiveDate,
    bool,
    String,
    i64,
    i64,
    String,
    DateTime<Utc>,
);

const EVENT_COLUMNS: &str = "SELECT id, kind, title, organiser, held_on, online, place, attendance, intentions, note, \
     created_at FROM recruitment_events";

fn event_view(row: EventRow) -> Result<RecruitmentEvent> {
    let (
        id,
        kind,
        title,
        organiser,
        held_on,
        online,
        place,
        attendance,
        intentions,
        note,
        created_at,
    ) = row;
    Ok(RecruitmentEvent {
        id,
        kind: EventKind::parse(&kind)
            .map_err(|_| Error::Config(format!("活动 {id} 的类型无法识别")))?,
        title,
        organiser,
        held_on,
        online,
        place,
        attendance,
        intentions,
        note,
        created_at,
    })
}

impl Store {
    /// Records an event for the actor's own unit (the task force and admins for any unit).
    pub async fn save_event(
        &self,
        actor: &Actor,
        plan: &Plan,
        draft: &EventDraft,
        ip: &str,
    ) -> Result<i64> {
        let organiser = draft.organiser.trim();
        if !actor.may_record_event_for(organiser) {
            return Err(self
                .deny(
                    actor,
                    format!("event:{organiser}"),
                    "只能登记本单位举办的活动",
                    ip,
                )
                .await);
        }
        let mut errors = Vec::new();
        let today = local_date(self.now());
        let is_unit = |code: &str| plan.unit(code).is_some();
        let checked = validate_event(draft, plan.years(), is_unit, today, &mut errors);
        self.check_event_links(draft, &mut errors).await?;
        let (Some(new), true) = (checked, errors.is_empty()) else {
            return Err(Error::Fields(errors));
        };
        let (kind, held_on) = (new.kind, new.held_on);
        let now = self.now();
        let event = AuditEvent::new("event.create", format!("event:{organiser}"))
            .by(Some(actor.user_id), &actor.username)
            .detail(format!("{}：{}（{held_on}）", kind.label(), new.title))
            .from_ip(ip);
        let _guard = self.write_lock.lock().await;
        Ok(on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let id = tx.insert_event(&new, actor.user_id, now).await?;
            tx.refresh_figures(&[DayKey::new(Kind::Event, kind.code(), organiser, held_on)])
                .await?;
            tx.append_audit(now, &event).await?;
            tx.commit().await?;
            id
        }))
    }

    /// Checks that the posts taking part are published and the employers exist; what is
    /// wrong goes to `errors`.
    async fn check_event_links(
        &self,
        draft: &EventDraft,
        errors: &mut Vec<FieldError>,
    ) -> Result<()> {
        for post_id in &draft.post_ids {
            match self.job_post(*post_id).await? {
                Some(post) if post.published_at.is_some() => {}
                _ => errors.push(FieldError {
                    field: "参与岗位",
                    message: format!("岗位 {post_id} 不存在或未发布"),
                }),
            }
        }
        for employer_id in &draft.employer_ids {
            if self.employer(*employer_id).await?.is_none() {
                errors.push(FieldError {
                    field: "参与单位",
                    message: format!("用人单位 {employer_id} 不存在"),
                });
            }
        }
        Ok(())
    }

    /// Events of a year, newest first (public).
    pub async fn events_of_year(&self, year: i32) -> Result<Vec<RecruitmentEvent>> {
        let from = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or_default();
        let to = NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or_default();
        let rows: Vec<EventRow> = on_db!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "{EVENT_COLUMNS} WHERE held_on >= $1 AND held_on <= $2 ORDER BY held_on DESC, id DESC"
        )))
        .bind(from)
        .bind(to)
        .fetch_all(pool)
        .await?);
        rows.into_iter().map(event_view).collect()
    }

    /// The next `limit` events held on or after `from`, soonest first (public: the portal's home).
    pub async fn coming_events(
        &self,
        from: NaiveDate,
        limit: i64,
    ) -> Result<Vec<RecruitmentEvent>> {
        let rows: Vec<EventRow> = on_db!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "{EVENT_COLUMNS} WHERE held_on >= $1 ORDER BY held_on, id LIMIT $2"
        )))
        .bind(from)
        .bind(limit)
        .fetch_all(pool)
        .await?);
        rows.into_iter().map(event_view).collect()
    }

    /// One event with its employers and the posts still open (public).
    pub async fn event(&self, id: i64) -> Result<EventDetail> {
        let row: Option<EventRow> = on_db!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "{EVENT_COLUMNS} WHERE id = $1"
        )))
        .bind(id)
        .fetch_optional(pool)
        .await?);
        let event = event_view(row.ok_or_else(|| Error::not_found("该招聘活动不存在"))?)?;
        let employers: Vec<(i64, String)> = on_db!(self, pool => sqlx::query_as(
            "SELECT e.id, e.name FROM event_employers x JOIN employers e ON e.id = x.employer_id \
             WHERE x.event_id = $1 ORDER BY e.name",
        )
        .bind(id)
        .fetch_all(pool)
        .await?);
        let post_ids: Vec<i64> = on_db!(self, pool => sqlx::query_scalar(
            "SELECT post_id FROM event_posts WHERE event_id = $1 ORDER BY post_id",
        )
        .bind(id)
        .fetch_all(pool)
        .await?);
        let today = local_date(self.now());
        let mut posts = Vec::new();
        for post_id in post_ids {
            if let Some(post) = self.job_post(post_id).await?
                && post.is_open_on(today)
            {
                posts.push(post);
            }
        }
        Ok(EventDetail {
            event,
            employers,
            posts,
        })
    }
}

/// The writes of an event, inside the caller's transaction so that the event, its employers
/// and posts, the tallies and the audit row commit together.
trait EventWrite {
    async fn insert_event(
        &mut self,
        event: &ValidEvent<'_>,
        user_id: i64,
        now: DateTime<Utc>,
    ) -> Result<i64>;
}

macro_rules! impl_event_write {
    ($conn:ty) => {
        impl EventWrite for $conn {
            async fn insert_event(
                &mut self,
                e: &ValidEvent<'_>,
                user_id: i64,
                now: DateTime<Utc>,
            ) -> Result<i64> {
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO recruitment_events (kind, title, organiser, held_on, online, place, attendance, intentions, \
                     note, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
                )
                .bind(e.kind.code())
                .bind(e.title)
                .bind(e.organiser)
                .bind(e.held_on)
                .bind(e.online)
                .bind(e.place)
                .bind(e.attendance)
                .bind(e.intentions)
                .bind(e.note)
                .bind(user_id)
                .bind(now)
                .fetch_one(&mut *self)
                .await?;
                for employer in &e.employers {
                    sqlx::query("INSERT INTO event_employers (event_id, employer_id) VALUES ($1, $2)")
                        .bind(id)
                        .bind(employer)
                        .execute(&mut *self)
                        .await?;
                }
                for post in &e.posts {
                    sqlx::query("INSERT INTO event_posts (event_id, post_id) VALUES ($1, $2)")
                        .bind(id)
                        .bind(post)
                        .execute(&mut *self)
                        .await?;
                }
                Ok(id)
            }
        }
    };
}

impl_event_write!(SqliteConnection);
impl_event_write!(PgConnection);
