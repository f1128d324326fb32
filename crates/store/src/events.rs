//! Recruitment events (招聘活动): campus fairs, other fairs, 送岗位进社区, 市外引才 — with the
//! employers and posts taking part, attendance and intentions reached. Events held count toward
//! the plan's indicators by themselves (see `registry`).

use chrono::{DateTime, NaiveDate, Utc};
use linkong_core::access::Actor;
use linkong_core::events::{EventKind, event_day};
use linkong_core::field::FieldError;
use linkong_core::plan::Plan;
use linkong_core::time::local_date;
use serde::Serialize;
use sqlx::{PgConnection, SqliteConnection};

use crate::audit::{AuditAppend, AuditEvent};
use crate::figures::{DayKey, FigureWrite, Kind};
use crate::jobs::JobPost;
use crate::{BeginWrite, Error, Result, Store, on_db};

/// An event as typed into the form.
#[derive(Debug, Clone, Default)]
pub struct EventDraft {
    pub kind: String,
    pub title: String,
    pub organiser: String,
    pub held_on: String,
    pub online: bool,
    pub place: String,
    pub attendance: String,
    pub intentions: String,
    pub note: String,
    pub employer_ids: Vec<i64>,
    pub post_ids: Vec<i64>,
}

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

fn count(input: &str, field: &'static str, errors: &mut Vec<FieldError>) -> i64 {
    let input = input.trim();
    if input.is_empty() {
        return 0;
    }
    match input.parse::<i64>() {
        Ok(n) if (0..=1_000_000).contains(&n) => n,
        _ => {
            errors.push(FieldError {
                field,
                message: "应为不小于 0 的整数".into(),
            });
            0
        }
    }
}

/// The event typed into `draft`, checked field by field; what is wrong goes to `errors`. The
/// employers and posts taking part are listed once each, and checked against the database later.
fn checked_event<'a>(
    plan: &Plan,
    draft: &'a EventDraft,
    today: NaiveDate,
    errors: &mut Vec<FieldError>,
) -> Option<NewEvent<'a>> {
    let organiser = draft.organiser.trim();
    let kind = EventKind::parse(&draft.kind)
        .map_err(|e| {
            errors.push(FieldError {
                field: "活动类型",
                message: e,
            })
        })
        .ok();
    let title = draft.title.trim();
    if title.chars().count() < 2 || title.chars().count() > 80 {
        errors.push(FieldError {
            field: "活动名称",
            message: "请填写活动名称（2 至 80 字）".into(),
        });
    }
    if plan.unit(organiser).is_none() {
        errors.push(FieldError {
            field: "举办单位",
            message: format!("未知的单位“{organiser}”"),
        });
    }
    let held_on = event_day(&draft.held_on, plan.years(), today)
        .map_err(|message| {
            errors.push(FieldError {
                field: "举办日期",
                message,
            })
        })
        .ok();
    let place = draft.place.trim();
    if !draft.online && place.is_empty() {
        errors.push(FieldError {
            field: "举办地点",
            message: "线下活动请填写地点".into(),
        });
    }
    let attendance = count(&draft.attendance, "参加人数", errors);
    let intentions = count(&draft.intentions, "达成意向人数", errors);
    if intentions > attendance && attendance > 0 {
        errors.push(FieldError {
            field: "达成意向人数",
            message: format!("达成意向人数（{intentions}）不能多于参加人数（{attendance}）"),
        });
    }
    let mut employers = draft.employer_ids.clone();
    employers.sort_unstable();
    employers.dedup();
    let mut posts = draft.post_ids.clone();
    posts.sort_unstable();
    posts.dedup();
    Some(NewEvent {
        kind: kind?,
        title,
        organiser,
        held_on: held_on?,
        online: draft.online,
        place,
        attendance,
        intentions,
        note: draft.note.trim(),
        employers,
        posts,
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
        let checked = checked_event(plan, draft, local_date(self.now()), &mut errors);
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

/// An event as it is written, with the employers and posts taking part (each once).
struct NewEvent<'a> {
    kind: EventKind,
    title: &'a str,
    organiser: &'a str,
    held_on: NaiveDate,
    online: bool,
    place: &'a str,
    attendance: i64,
    intentions: i64,
    note: &'a str,
    employers: Vec<i64>,
    posts: Vec<i64>,
}

/// The writes of an event, inside the caller's transaction so that the event, its employers
/// and posts, the tallies and the audit row commit together.
trait EventWrite {
    async fn insert_event(
        &mut self,
        event: &NewEvent<'_>,
        user_id: i64,
        now: DateTime<Utc>,
    ) -> Result<i64>;
}

macro_rules! impl_event_write {
    ($conn:ty) => {
        impl EventWrite for $conn {
            async fn insert_event(
                &mut self,
                e: &NewEvent<'_>,
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
