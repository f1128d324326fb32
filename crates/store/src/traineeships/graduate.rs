//! A graduate's traineeships and courses, written from the graduate's page: checked by core,
//! refused when the base is withdrawn or full or the graduate is already in a traineeship,
//! and written in one transaction with the 1131 service row, the tallies and the audit row.

use chrono::{DateTime, NaiveDate, Utc};
use linkong_core::access::Actor;
use linkong_core::field::FieldError;
use linkong_core::plan::Plan;
use linkong_core::time::local_date;
use linkong_core::traineeships::{
    BaseFacts, BaseStatus, Outcome, ValidCourse, ValidEnd, ValidTraineeship, admit, course_note,
    hire_evidence, traineeship_note, validate_end,
};

use super::{
    COURSE_SELECT, CourseEntry, ITEM, TRAINEESHIP_SELECT, TraineeshipEntry, hired_placement,
    placement_days, trainee_day, year_of,
};
use crate::audit::{AuditAppend, AuditEvent};
use crate::figures::{DayKey, FigureWrite};
use crate::graduates::{GraduateEntry, GraduateWrite, NewService};
use crate::market_order::days_of;
use crate::{BeginWrite, Error, Result, Store, on_db};

/// A graduate the actor may serve, and the unit the actor records for.
pub(super) struct Served {
    pub(super) entry: GraduateEntry,
    pub(super) unit: String,
}

impl Served {
    /// The 1131 "培训或见习" service a traineeship or course starting on `day` writes.
    fn service<'a>(
        &'a self,
        actor: &Actor,
        day: NaiveDate,
        note: &'a str,
        now: DateTime<Utc>,
    ) -> NewService<'a> {
        NewService {
            graduate_id: self.entry.id,
            item: ITEM,
            post_id: None,
            done_on: day,
            unit: &self.unit,
            user_id: actor.user_id,
            note,
            now,
        }
    }
}

/// A traineeship's row as an outcome update reads it.
#[derive(sqlx::FromRow)]
struct Stored {
    graduate_id: i64,
    base_id: i64,
    base_name: String,
    starts_on: NaiveDate,
}

impl Store {
    /// The graduate, if the actor reaches them and may serve them (refusals audited).
    pub(super) async fn served_graduate(
        &self,
        plan: &Plan,
        actor: &Actor,
        graduate_id: i64,
        ip: &str,
    ) -> Result<Served> {
        let (entry, _) = self.graduate(plan, actor, graduate_id, ip).await?;
        let target = format!("graduate:{graduate_id}");
        let unit = self
            .check_serves(plan, actor, &entry.street_code, target, ip)
            .await?;
        Ok(Served { entry, unit })
    }

    /// The base a traineeship starting on `starts_on` goes to, if core admits it: the base's
    /// places used that year and the graduate's ongoing traineeship (other than `except`).
    pub(super) async fn admitted(
        &self,
        graduate_id: i64,
        base_id: i64,
        starts_on: NaiveDate,
        except: Option<i64>,
    ) -> Result<BaseFacts> {
        let (from, to) = days_of(Some(year_of(starts_on)));
        let except = except.unwrap_or(0);
        let base: Option<(String, String, i64, i64)> = on_db!(self, pool => sqlx::query_as(
            "SELECT b.name, b.status, b.places, (SELECT COUNT(*) FROM traineeships t WHERE t.base_id = b.id \
             AND t.starts_on >= $2 AND t.starts_on <= $3 AND t.id <> $4) FROM traineeship_bases b WHERE b.id = $1"
        )
        .bind(base_id)
        .bind(from)
        .bind(to)
        .bind(except)
        .fetch_optional(pool)
        .await?);
        let ongoing: Option<String> = on_db!(self, pool => sqlx::query_scalar(
            "SELECT b.name FROM traineeships t JOIN traineeship_bases b ON b.id = t.base_id \
             WHERE t.graduate_id = $1 AND t.outcome = $2 AND t.id <> $3 LIMIT 1"
        )
        .bind(graduate_id)
        .bind(Outcome::Ongoing.code())
        .bind(except)
        .fetch_optional(pool)
        .await?);
        let facts = base.map(|(name, status, places, used)| BaseFacts {
            name,
            status: BaseStatus::parse(&status).unwrap_or(BaseStatus::Withdrawn),
            places,
            used,
        });
        let errors = admit(facts.as_ref(), ongoing.as_deref(), year_of(starts_on));
        match facts {
            Some(facts) if errors.is_empty() => Ok(facts),
            _ => Err(Error::Fields(errors)),
        }
    }

    /// Writes an admitted traineeship; the caller holds the write lock.
    pub(super) async fn write_traineeship(
        &self,
        actor: &Actor,
        served: &Served,
        valid: &ValidTraineeship,
        base: &BaseFacts,
        ip: &str,
    ) -> Result<i64> {
        let (graduate_id, now) = (served.entry.id, self.now());
        let event = AuditEvent::new("graduate.traineeship", format!("graduate:{graduate_id}"))
            .by(Some(actor.user_id), &actor.username)
            .detail(format!("{}，{}", base.name, valid.end.outcome.label()))
            .from_ip(ip);
        let note = traineeship_note(&base.name);
        let service = served.service(actor, valid.starts_on, &note, now);
        let keys = [trainee_day(&served.unit, valid.starts_on)];
        let hire = Hire::of(&served.entry, valid.end, &base.name);
        Ok(on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO traineeships (graduate_id, base_id, starts_on, planned_end_on, ended_on, \
                 outcome, unit_code, created_by, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id",
            )
            .bind(graduate_id)
            .bind(valid.base_id)
            .bind(valid.starts_on)
            .bind(valid.planned_end_on)
            .bind(valid.end.ended_on)
            .bind(valid.end.outcome.code())
            .bind(&served.unit)
            .bind(actor.user_id)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            tx.insert_service(&service).await?;
            if let Some(hire) = &hire {
                tx.update_placement(graduate_id, hire.placement, Some(hire.on), &hire.evidence, now)
                    .await?;
                tx.refresh_figures(&hire.days).await?;
            }
            tx.refresh_figures(&keys).await?;
            tx.append_audit(now, &event).await?;
            tx.commit().await?;
            id
        }))
    }

    /// Records how a traineeship ended (or corrects it); a graduate hired by the base and not
    /// yet placed is placed in the same transaction. Audited.
    pub async fn set_traineeship_outcome(
        &self,
        plan: &Plan,
        actor: &Actor,
        id: i64,
        outcome: &str,
        ended_on: &str,
        ip: &str,
    ) -> Result<i64> {
        let stored: Option<Stored> = on_db!(self, pool => sqlx::query_as(
            "SELECT t.graduate_id, t.base_id, b.name AS base_name, t.starts_on FROM traineeships t \
             JOIN traineeship_bases b ON b.id = t.base_id WHERE t.id = $1"
        )
        .bind(id)
        .fetch_optional(pool)
        .await?);
        let stored = stored.ok_or_else(|| Error::not_found(format!("见习登记 {id}")))?;
        let served = self
            .served_graduate(plan, actor, stored.graduate_id, ip)
            .await?;
        let today = local_date(self.now());
        let end = validate_end(outcome, ended_on, Some(stored.starts_on), today)
            .map_err(Error::Fields)?;
        let _guard = self.write_lock.lock().await;
        if end.outcome == Outcome::Ongoing {
            self.admitted_again(&stored, id).await?;
        }
        let now = self.now();
        let event = AuditEvent::new("graduate.traineeship_outcome", format!("traineeship:{id}"))
            .by(Some(actor.user_id), &actor.username)
            .detail(format!("{}：{}", stored.base_name, end.outcome.label()))
            .from_ip(ip);
        let hire = Hire::of(&served.entry, end, &stored.base_name);
        on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            sqlx::query(
                "UPDATE traineeships SET outcome = $2, ended_on = $3, updated_at = $4 WHERE id = $1",
            )
            .bind(id)
            .bind(end.outcome.code())
            .bind(end.ended_on)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            if let Some(hire) = &hire {
                tx.update_placement(stored.graduate_id, hire.placement, Some(hire.on), &hire.evidence, now)
                    .await?;
                tx.refresh_figures(&hire.days).await?;
            }
            tx.append_audit(now, &event).await?;
            tx.commit().await?;
        });
        Ok(stored.graduate_id)
    }

    /// A traineeship set back to ongoing: no other may be ongoing (its base's places were
    /// counted when it was recorded).
    async fn admitted_again(&self, stored: &Stored, id: i64) -> Result<()> {
        match self
            .admitted(
                stored.graduate_id,
                stored.base_id,
                stored.starts_on,
                Some(id),
            )
            .await
        {
            Err(Error::Fields(errors)) => {
                let ongoing: Vec<FieldError> =
                    errors.into_iter().filter(|e| e.field == "毕业生").collect();
                if ongoing.is_empty() {
                    Ok(())
                } else {
                    Err(Error::Fields(ongoing))
                }
            }
            other => other.map(|_| ()),
        }
    }

    /// Writes a course enrolment with its 1131 service row, tally and audit row.
    pub(super) async fn write_course(
        &self,
        actor: &Actor,
        served: &Served,
        valid: &ValidCourse,
        ip: &str,
    ) -> Result<i64> {
        let (graduate_id, now) = (served.entry.id, self.now());
        let event = AuditEvent::new("graduate.course", format!("graduate:{graduate_id}"))
            .by(Some(actor.user_id), &actor.username)
            .detail(format!("{}，{}", valid.course, valid.result.label()))
            .from_ip(ip);
        let note = course_note(&valid.course);
        let service = served.service(actor, valid.starts_on, &note, now);
        let keys = [trainee_day(&served.unit, valid.starts_on)];
        let _guard = self.write_lock.lock().await;
        Ok(on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO graduate_courses (graduate_id, course, provider, starts_on, ends_on, result, \
                 certificate, unit_code, created_by, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
            )
            .bind(graduate_id)
            .bind(&valid.course)
            .bind(&valid.provider)
            .bind(valid.starts_on)
            .bind(valid.ends_on)
            .bind(valid.result.code())
            .bind(&valid.certificate)
            .bind(&served.unit)
            .bind(actor.user_id)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            tx.insert_service(&service).await?;
            tx.refresh_figures(&keys).await?;
            tx.append_audit(now, &event).await?;
            tx.commit().await?;
            id
        }))
    }

    /// A graduate's traineeships and courses, if the actor reaches them (refusal audited).
    pub async fn graduate_trainee_records(
        &self,
        plan: &Plan,
        actor: &Actor,
        graduate_id: i64,
        ip: &str,
    ) -> Result<(Vec<TraineeshipEntry>, Vec<CourseEntry>)> {
        self.graduate(plan, actor, graduate_id, ip).await?;
        let traineeships = on_db!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "{TRAINEESHIP_SELECT} WHERE r.graduate_id = $1 ORDER BY r.starts_on, r.id"
        )))
        .bind(graduate_id)
        .fetch_all(pool)
        .await?);
        let courses = on_db!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "{COURSE_SELECT} WHERE r.graduate_id = $1 ORDER BY r.starts_on, r.id"
        )))
        .bind(graduate_id)
        .fetch_all(pool)
        .await?);
        Ok((traineeships, courses))
    }
}

/// The placement a base's hire writes: employed, on the traineeship's end, with its evidence,
/// and the placement tallies it moves.
struct Hire {
    placement: linkong_core::people::Placement,
    on: NaiveDate,
    evidence: String,
    days: Vec<DayKey>,
}

impl Hire {
    fn of(entry: &GraduateEntry, end: ValidEnd, base: &str) -> Option<Hire> {
        let placement = hired_placement(end.outcome, &entry.placement)?;
        let on = end.ended_on?;
        Some(Hire {
            placement,
            on,
            evidence: hire_evidence(base),
            days: placement_days(entry.year, &entry.street_code, [entry.placed_on, Some(on)]),
        })
    }
}
