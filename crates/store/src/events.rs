//! Recruitment events (招聘活动): campus fairs, other fairs, 送岗位进社区, 市外引才 — with the
//! employers and posts taking part, attendance and intentions reached — and the returnee
//! promotion events of 2.5.1 (返区创业推介, 产业对接), held in the district or elsewhere, whose
//! invitations live in `promotion.rs`. Events held count toward the plan's indicators by
//! themselves (see `registry`).

use chrono::{DateTime, NaiveDate, Utc};
use linkong_core::access::{Actor, may_organise_promotion};
use linkong_core::events::promotion::{InvitationCounts, PromotionOutcome, event_counts};
use linkong_core::events::{EventKind, Organisers, ValidEvent, Venue, validate_event};
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
    /// Held outside the district: the province and city (None: in the district).
    pub away_province: Option<String>,
    pub away_city: Option<String>,
    /// Held in a coastal, economically developed region.
    pub coastal: bool,
    /// From the invitations when the event has any (core's `event_counts`), else as typed.
    pub attendance: i64,
    pub intentions: i64,
    pub note: String,
    pub created_at: DateTime<Utc>,
}

/// The public list of events: a year's, and the promotion events still to come.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EventList {
    pub events: Vec<RecruitmentEvent>,
    pub upcoming_promotions: Vec<RecruitmentEvent>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EventDetail {
    pub event: RecruitmentEvent,
    pub employers: Vec<(i64, String)>,
    pub posts: Vec<JobPost>,
}

/// An event as stored, with the counts of its invitations.
#[derive(sqlx::FromRow)]
struct EventRow {
    id: i64,
    kind: String,
    title: String,
    organiser: String,
    held_on: NaiveDate,
    online: bool,
    place: String,
    away_province: Option<String>,
    away_city: Option<String>,
    coastal: bool,
    attendance: i64,
    intentions: i64,
    note: String,
    created_at: DateTime<Utc>,
    invited: i64,
    attended: i64,
    intending: i64,
}

/// The events' columns and their invitations' counts; `{intending}` is the list of outcomes
/// that count as an intention reached (core's `PromotionOutcome::is_intention`).
const EVENT_SELECT: &str = "SELECT e.id, e.kind, e.title, e.organiser, e.held_on, e.online, e.place, \
     e.away_province, e.away_city, e.coastal, e.attendance, e.intentions, e.note, e.created_at, \
     (SELECT COUNT(*) FROM event_invitations i WHERE i.event_id = e.id) AS invited, \
     (SELECT COUNT(*) FROM event_invitations i WHERE i.event_id = e.id AND i.attended) AS attended, \
     (SELECT COUNT(*) FROM event_invitations i WHERE i.event_id = e.id AND i.attended \
      AND i.outcome IN ({intending})) AS intending \
     FROM recruitment_events e";

/// [`EVENT_SELECT`] with the outcomes that count as intentions filled in (codes from core).
pub(crate) fn event_select() -> String {
    let intending: Vec<String> = PromotionOutcome::ALL
        .iter()
        .filter(|o| o.is_intention())
        .map(|o| format!("'{}'", o.code()))
        .collect();
    EVENT_SELECT.replace("{intending}", &intending.join(", "))
}

fn event_view(row: EventRow) -> Result<RecruitmentEvent> {
    let id = row.id;
    let (attendance, intentions) = event_counts(
        (row.attendance, row.intentions),
        InvitationCounts {
            invited: row.invited,
            attended: row.attended,
            intentions: row.intending,
        },
    );
    Ok(RecruitmentEvent {
        id,
        kind: EventKind::parse(&row.kind)
            .map_err(|_| Error::Config(format!("活动 {id} 的类型无法识别")))?,
        title: row.title,
        organiser: row.organiser,
        held_on: row.held_on,
        online: row.online,
        place: row.place,
        away_province: row.away_province,
        away_city: row.away_city,
        coastal: row.coastal,
        attendance,
        intentions,
        note: row.note,
        created_at: row.created_at,
    })
}

/// The tallies an event counts in: its kind's, and the coastal events' when held there.
fn event_keys(kind: EventKind, organiser: &str, held_on: NaiveDate, coastal: bool) -> Vec<DayKey> {
    let mut keys = vec![DayKey::new(Kind::Event, kind.code(), organiser, held_on)];
    if coastal {
        keys.push(DayKey::new(
            Kind::CoastalEvent,
            kind.code(),
            organiser,
            held_on,
        ));
    }
    keys
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
        let organisers = Organisers {
            is_unit: |code: &str| plan.unit(code).is_some(),
            may_promote: |code: &str| may_organise_promotion(plan, code),
        };
        let checked = validate_event(draft, plan.years(), organisers, today, &mut errors);
        self.check_event_links(draft, &mut errors).await?;
        let (Some(new), true) = (checked, errors.is_empty()) else {
            return Err(Error::Fields(errors));
        };
        let keys = event_keys(new.kind, organiser, new.held_on, new.venue.coastal());
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
            tx.refresh_figures(&keys).await?;
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
        let sql = format!(
            "{} WHERE e.held_on >= $1 AND e.held_on <= $2 ORDER BY e.held_on DESC, e.id DESC",
            event_select()
        );
        let rows: Vec<EventRow> = on_db!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
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
        let sql = format!(
            "{} WHERE e.held_on >= $1 ORDER BY e.held_on, e.id LIMIT $2",
            event_select()
        );
        let rows: Vec<EventRow> = on_db!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
        .bind(from)
        .bind(limit)
        .fetch_all(pool)
        .await?);
        rows.into_iter().map(event_view).collect()
    }

    /// One event with its employers and the posts still open (public).
    pub async fn event(&self, id: i64) -> Result<EventDetail> {
        let event = self
            .event_row(id)
            .await?
            .ok_or_else(|| Error::not_found("该招聘活动不存在"))?;
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

impl Store {
    /// One event as lists show it (public: no invitation data beyond its counts).
    pub(crate) async fn event_row(&self, id: i64) -> Result<Option<RecruitmentEvent>> {
        let sql = format!("{} WHERE e.id = $1", event_select());
        let row: Option<EventRow> = on_db!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
            .bind(id)
            .fetch_optional(pool)
            .await?);
        row.map(event_view).transpose()
    }

    /// The portal's list (public): the events of `year`, and up to ten promotion events held
    /// from `today` on, soonest first — place and date, no invitation data.
    pub async fn event_list(&self, year: i32, today: NaiveDate) -> Result<EventList> {
        Ok(EventList {
            events: self.events_of_year(year).await?,
            upcoming_promotions: self
                .upcoming_events(&EventKind::PROMOTION, today, 10)
                .await?,
        })
    }

    /// Events of `kinds` held from `from` on, soonest first, at most `limit` (public).
    pub async fn upcoming_events(
        &self,
        kinds: &[EventKind],
        from: NaiveDate,
        limit: i64,
    ) -> Result<Vec<RecruitmentEvent>> {
        let mut all = Vec::new();
        for kind in kinds {
            let sql = format!(
                "{} WHERE e.kind = $1 AND e.held_on >= $2 ORDER BY e.held_on, e.id LIMIT $3",
                event_select()
            );
            let rows: Vec<EventRow> = on_db!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
                .bind(kind.code())
                .bind(from)
                .bind(limit)
                .fetch_all(pool)
                .await?);
            for row in rows {
                all.push(event_view(row)?);
            }
        }
        all.sort_by_key(|e| (e.held_on, e.id));
        all.truncate(usize::try_from(limit).unwrap_or_default());
        Ok(all)
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
                let away = match &e.venue {
                    Venue::District => None,
                    Venue::Away { province, city, .. } => Some((*province, *city)),
                };
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO recruitment_events (kind, title, organiser, held_on, online, place, attendance, intentions, \
                     note, created_by, created_at, away_province, away_city, coastal) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id",
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
                .bind(away.map(|(province, _)| province))
                .bind(away.map(|(_, city)| city))
                .bind(e.venue.coastal())
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
