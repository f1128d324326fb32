//! The writes of the 学子东西湖行 visits, inside the caller's transaction so that the rows, the
//! tallies and the audit row commit together.

use chrono::{DateTime, Datelike, Utc};
use linkong_core::student_visits::{Student, StudentKey, ValidVisit};
use sqlx::{PgConnection, SqliteConnection};

use super::visit_day_keys;
use crate::Result;
use crate::figures::DayKey;

pub(super) trait VisitWrite {
    async fn insert_visit(
        &mut self,
        organiser: &str,
        visit: &ValidVisit,
        user_id: i64,
        now: DateTime<Utc>,
    ) -> Result<i64>;
    async fn insert_students(
        &mut self,
        visit_id: i64,
        students: &[Student],
        now: DateTime<Utc>,
    ) -> Result<()>;
    /// The day tallies of `organiser`'s visits in `year` holding any of `keys`.
    async fn visit_days(
        &mut self,
        organiser: &str,
        year: i32,
        keys: &[StudentKey],
    ) -> Result<Vec<DayKey>>;
}

macro_rules! impl_visit_write {
    ($conn:ty) => {
        impl VisitWrite for $conn {
            async fn insert_visit(
                &mut self,
                organiser: &str,
                visit: &ValidVisit,
                user_id: i64,
                now: DateTime<Utc>,
            ) -> Result<i64> {
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO student_visits (organiser, title, visited_on, visit_year, assisted, note, \
                     created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
                )
                .bind(organiser)
                .bind(&visit.title)
                .bind(visit.visited_on)
                .bind(i64::from(visit.visited_on.year()))
                .bind(visit.assisted)
                .bind(&visit.note)
                .bind(user_id)
                .bind(now)
                .fetch_one(&mut *self)
                .await?;
                for (position, stop) in visit.stops.iter().enumerate() {
                    sqlx::query(
                        "INSERT INTO student_visit_stops (visit_id, position, kind, place) VALUES ($1, $2, $3, $4)",
                    )
                    .bind(id)
                    .bind(position as i64)
                    .bind(stop.kind.code())
                    .bind(&stop.place)
                    .execute(&mut *self)
                    .await?;
                }
                Ok(id)
            }

            async fn insert_students(
                &mut self,
                visit_id: i64,
                students: &[Student],
                now: DateTime<Utc>,
            ) -> Result<()> {
                for s in students {
                    sqlx::query(
                        "INSERT INTO student_visit_students (visit_id, name, school, major, grade, student_key, \
                         created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                    )
                    .bind(visit_id)
                    .bind(&s.name)
                    .bind(&s.school)
                    .bind(&s.major)
                    .bind(&s.grade)
                    .bind(s.key.as_str())
                    .bind(now)
                    .execute(&mut *self)
                    .await?;
                }
                Ok(())
            }

            async fn visit_days(
                &mut self,
                organiser: &str,
                year: i32,
                keys: &[StudentKey],
            ) -> Result<Vec<DayKey>> {
                let rows: Vec<(chrono::NaiveDate, String)> = sqlx::query_as(
                    "SELECT v.visited_on, s.student_key FROM student_visits v \
                     JOIN student_visit_students s ON s.visit_id = v.id \
                     WHERE v.organiser = $1 AND v.visit_year = $2",
                )
                .bind(organiser)
                .bind(i64::from(year))
                .fetch_all(&mut *self)
                .await?;
                Ok(visit_day_keys(organiser, rows, keys))
            }
        }
    };
}

impl_visit_write!(SqliteConnection);
impl_visit_write!(PgConnection);
