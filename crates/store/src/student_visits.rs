//! 学子东西湖行 (task 1.3.3): the visits a unit organised, their itinerary and their students.
//! A visit and its students, the 1.3.3 tallies they change and the audit row are written in one
//! transaction. 1.3.3.students counts distinct students per organising unit and year, each on
//! the day of their first visit (core's rule, `student_visits::counted_students`): a new visit
//! or added students can move a student off a later visit's day, so every day of that unit's
//! visits of the year sharing a student is recounted.
//!
//! Scoping comes from core (`Actor::student_visit_scope`): the organising unit its own, 团区委
//! and the district's readers all, 区文旅局 the visits it assisted.

use chrono::{Datelike, NaiveDate};
use linkong_core::access::{Actor, Gate, StudentVisitScope};
use linkong_core::plan::Plan;
use linkong_core::student_visits::{
    CountedVisit, Stop, StopKind, StudentDraft, StudentKey, VisitDraft, checked_students,
    counted_students, validate_visit,
};
use linkong_core::time::local_date;
use serde::Serialize;

use crate::audit::{AuditAppend, AuditEvent};
use crate::figures::{DayKey, FigureWrite, Kind};
use crate::{BeginWrite, Error, Result, Store, on_db};

mod write;
use write::VisitWrite;

/// A visit as lists and the API show it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StudentVisit {
    pub id: i64,
    /// The organising unit's code; the visit counts for it.
    pub organiser: String,
    pub title: String,
    pub visited_on: NaiveDate,
    /// 区文旅局 assisted.
    pub assisted: bool,
    pub note: String,
    pub stops: Vec<Stop>,
    /// Students on the visit.
    pub students: i64,
}

/// A student of a visit.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct VisitStudent {
    pub id: i64,
    pub name: String,
    pub school: String,
    pub major: String,
    pub grade: String,
}

/// A visit with its students.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StudentVisitDetail {
    pub visit: StudentVisit,
    pub students: Vec<VisitStudent>,
}

/// Filters of the visit list.
#[derive(Debug, Clone, Default)]
pub struct StudentVisitFilter {
    pub year: Option<i32>,
    pub organiser: Option<String>,
}

#[derive(sqlx::FromRow)]
struct VisitRow {
    id: i64,
    organiser: String,
    title: String,
    visited_on: NaiveDate,
    assisted: bool,
    note: String,
    students: i64,
}

/// `$1` the year (0 any), `$2` the organiser ('' any), `$3` the scope ('all', 'unit',
/// 'assisted'), `$4` the scope's unit.
const VISIT_LIST: &str = "SELECT v.id, v.organiser, v.title, v.visited_on, v.assisted, v.note, \
     (SELECT COUNT(*) FROM student_visit_students s WHERE s.visit_id = v.id) AS students \
     FROM student_visits v WHERE ($1 = 0 OR v.visit_year = $1) AND ($2 = '' OR v.organiser = $2) \
     AND ($3 = 'all' OR ($3 = 'unit' AND v.organiser = $4) OR ($3 = 'assisted' AND v.assisted)) \
     ORDER BY v.visited_on DESC, v.id DESC";

impl Store {
    /// Records a visit organised by the actor's unit with its stops and students; refused (and
    /// audited) for anyone but an organising unit's staff, every wrong field named otherwise.
    pub async fn record_student_visit(
        &self,
        plan: &Plan,
        actor: &Actor,
        draft: &VisitDraft,
        ip: &str,
    ) -> Result<i64> {
        self.enter(actor, Gate::StudentVisitForm { plan }, ip)
            .await?;
        let organiser = actor.student_visit_organiser(plan).unwrap_or_default();
        let today = local_date(self.now());
        let visit = validate_visit(plan, draft, today).map_err(Error::Fields)?;
        let now = self.now();
        let event = |id: i64| {
            AuditEvent::new("student_visit.record", format!("student_visit:{id}"))
                .by(Some(actor.user_id), &actor.username)
                .detail(format!(
                    "{}，{}，学生 {} 名",
                    visit.title,
                    visit.visited_on,
                    visit.students.len()
                ))
                .from_ip(ip)
        };
        let keys: Vec<StudentKey> = visit.students.iter().map(|s| s.key.clone()).collect();
        let _guard = self.write_lock.lock().await;
        Ok(on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let id = tx.insert_visit(organiser, &visit, actor.user_id, now).await?;
            tx.insert_students(id, &visit.students, now).await?;
            let days = tx.visit_days(organiser, visit.visited_on.year(), &keys).await?;
            tx.refresh_figures(&days).await?;
            tx.append_audit(now, &event(id)).await?;
            tx.commit().await?;
            id
        }))
    }

    /// Adds students (`rows`: their row number and what was typed, from a file or the form) to
    /// a visit: its organiser's staff only. All or nothing: each wrong row is named, and a
    /// student already on the visit or twice in the list is refused.
    pub async fn add_visit_students(
        &self,
        plan: &Plan,
        actor: &Actor,
        id: i64,
        rows: &[(usize, StudentDraft)],
        ip: &str,
    ) -> Result<usize> {
        let visit = self.student_visit_row(id).await?;
        if !actor.may_keep_student_visit(plan, &visit.organiser) {
            let why = "只有组织该活动的单位可以登记参与学生";
            return Err(self
                .deny(actor, format!("student_visit:{id}"), why, ip)
                .await);
        }
        let already: Vec<StudentKey> = self
            .students_of_visit(id)
            .await?
            .iter()
            .map(|s| StudentKey::of(&s.name, &s.school, &s.major))
            .collect();
        let students = checked_students(rows, &already, "行").map_err(Error::Fields)?;
        let now = self.now();
        let event = AuditEvent::new("student_visit.students", format!("student_visit:{id}"))
            .by(Some(actor.user_id), &actor.username)
            .detail(format!("新增参与学生 {} 名", students.len()))
            .from_ip(ip);
        let keys: Vec<StudentKey> = students.iter().map(|s| s.key.clone()).collect();
        let year = visit.visited_on.year();
        let _guard = self.write_lock.lock().await;
        on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            tx.insert_students(id, &students, now).await?;
            let days = tx.visit_days(&visit.organiser, year, &keys).await?;
            tx.refresh_figures(&days).await?;
            tx.append_audit(now, &event).await?;
            tx.commit().await?;
        });
        Ok(students.len())
    }

    async fn student_visit_row(&self, id: i64) -> Result<VisitRow> {
        let row: Option<VisitRow> = on_db!(self, pool => sqlx::query_as(
            "SELECT v.id, v.organiser, v.title, v.visited_on, v.assisted, v.note, \
             (SELECT COUNT(*) FROM student_visit_students s WHERE s.visit_id = v.id) AS students \
             FROM student_visits v WHERE v.id = $1",
        )
        .bind(id)
        .fetch_optional(pool)
        .await?);
        row.ok_or_else(|| Error::not_found(format!("学子东西湖行活动 {id}")))
    }

    async fn students_of_visit(&self, id: i64) -> Result<Vec<VisitStudent>> {
        Ok(on_db!(self, pool => sqlx::query_as(
            "SELECT id, name, school, major, grade FROM student_visit_students WHERE visit_id = $1 ORDER BY id",
        )
        .bind(id)
        .fetch_all(pool)
        .await?))
    }

    async fn student_visit_stops(&self, ids: &[i64]) -> Result<Vec<(i64, Stop)>> {
        let rows: Vec<(i64, String, String)> = on_db!(self, pool => sqlx::query_as(
            "SELECT visit_id, kind, place FROM student_visit_stops ORDER BY visit_id, position",
        )
        .fetch_all(pool)
        .await?);
        Ok(rows
            .into_iter()
            .filter(|(id, _, _)| ids.contains(id))
            .filter_map(|(id, kind, place)| {
                let kind = StopKind::parse(&kind).ok()?;
                Some((id, Stop { kind, place }))
            })
            .collect())
    }

    async fn student_visits_of(&self, rows: Vec<VisitRow>) -> Result<Vec<StudentVisit>> {
        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        let stops = self.student_visit_stops(&ids).await?;
        Ok(rows
            .into_iter()
            .map(|r| StudentVisit {
                stops: stops
                    .iter()
                    .filter(|(id, _)| *id == r.id)
                    .map(|(_, s)| s.clone())
                    .collect(),
                id: r.id,
                organiser: r.organiser,
                title: r.title,
                visited_on: r.visited_on,
                assisted: r.assisted,
                note: r.note,
                students: r.students,
            })
            .collect())
    }

    /// The visits the actor reads, newest first; a reader of none is refused (audited).
    pub async fn student_visits(
        &self,
        plan: &Plan,
        actor: &Actor,
        filter: &StudentVisitFilter,
        ip: &str,
    ) -> Result<Vec<StudentVisit>> {
        let (scope, unit) = match actor.student_visit_scope(plan) {
            StudentVisitScope::All => ("all", String::new()),
            StudentVisitScope::Unit(unit) => ("unit", unit),
            StudentVisitScope::Assisted => ("assisted", String::new()),
            StudentVisitScope::Nothing => {
                let why = "只有任务 1.3.3 的组织和配合单位可以查看学子东西湖行活动";
                return Err(self.deny(actor, "student_visits".into(), why, ip).await);
            }
        };
        let rows: Vec<VisitRow> = on_db!(self, pool => sqlx::query_as(VISIT_LIST)
            .bind(i64::from(filter.year.unwrap_or(0)))
            .bind(filter.organiser.clone().unwrap_or_default())
            .bind(scope)
            .bind(unit)
            .fetch_all(pool)
            .await?);
        self.student_visits_of(rows).await
    }

    /// A visit with its students, if the actor reads it (refused and audited otherwise).
    pub async fn student_visit(
        &self,
        plan: &Plan,
        actor: &Actor,
        id: i64,
        ip: &str,
    ) -> Result<StudentVisitDetail> {
        let row = self.student_visit_row(id).await?;
        if !actor
            .student_visit_scope(plan)
            .reaches(&row.organiser, row.assisted)
        {
            let why = "只能查看本单位组织（或协助）的学子东西湖行活动";
            return Err(self
                .deny(actor, format!("student_visit:{id}"), why, ip)
                .await);
        }
        let students = self.students_of_visit(id).await?;
        let visit = self.student_visits_of(vec![row]).await?.remove(0);
        Ok(StudentVisitDetail { visit, students })
    }

    /// A visit's students for the export: as [`Store::student_visit`], the download audited.
    pub async fn export_visit_students(
        &self,
        plan: &Plan,
        actor: &Actor,
        id: i64,
        ip: &str,
    ) -> Result<StudentVisitDetail> {
        let detail = self.student_visit(plan, actor, id, ip).await?;
        let event = AuditEvent::new("student_visit.export", format!("student_visit:{id}"))
            .by(Some(actor.user_id), &actor.username)
            .detail(format!("导出参与学生 {} 名", detail.students.len()))
            .from_ip(ip);
        self.audit(event).await?;
        Ok(detail)
    }

    /// Each visit's students counted in [from, to] by core's rule, from every row: (visit id,
    /// organiser, day, students counted). The years around the window are read whole, since a
    /// student counts at their first visit of the year.
    pub(crate) async fn counted_student_visits_from_rows(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<(i64, String, NaiveDate, i64)>> {
        let rows: Vec<(i64, String, NaiveDate, String)> = on_db!(self, pool => sqlx::query_as(
            "SELECT v.id, v.organiser, v.visited_on, s.student_key FROM student_visits v \
             JOIN student_visit_students s ON s.visit_id = v.id \
             WHERE v.visit_year >= $1 AND v.visit_year <= $2 ORDER BY v.id",
        )
        .bind(i64::from(from.year()))
        .bind(i64::from(to.year()))
        .fetch_all(pool)
        .await?);
        let mut visits: Vec<CountedVisit> = Vec::new();
        for (id, unit, day, key) in rows {
            match visits.last_mut() {
                Some(v) if v.id == id => v.students.push(StudentKey::stored(key)),
                _ => visits.push(CountedVisit {
                    id,
                    unit,
                    visited_on: day,
                    students: vec![StudentKey::stored(key)],
                }),
            }
        }
        Ok(counted_students(&visits)
            .into_iter()
            .filter(|(_, _, day, _)| *day >= from && *day <= to)
            .collect())
    }
}

/// The tallies a change of `keys` on a visit of `organiser` in `year` touches: the days of that
/// unit's visits of the year holding any of them.
pub(crate) fn visit_day_keys(
    organiser: &str,
    days_with_keys: Vec<(NaiveDate, String)>,
    keys: &[StudentKey],
) -> Vec<DayKey> {
    let mut days: Vec<NaiveDate> = days_with_keys
        .into_iter()
        .filter(|(_, key)| keys.iter().any(|k| k.as_str() == key))
        .map(|(day, _)| day)
        .collect();
    days.sort_unstable();
    days.dedup();
    days.into_iter()
        .map(|day| DayKey::new(Kind::StudentVisit, "", organiser, day))
        .collect()
}
