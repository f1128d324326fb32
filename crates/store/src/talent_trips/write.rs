//! The writes of the 揽才团 trips, inside the caller's transaction so that the rows, the tallies
//! and the audit row commit together.

use chrono::{DateTime, Utc};
use linkong_core::talent_trips::{ValidDelegate, ValidHire, ValidTrip};
use sqlx::{PgConnection, SqliteConnection};

use crate::Result;

pub(super) trait TripWrite {
    async fn insert_trip(
        &mut self,
        organiser: &str,
        trip: &ValidTrip,
        user_id: i64,
        now: DateTime<Utc>,
    ) -> Result<i64>;
    async fn insert_delegate(
        &mut self,
        trip_id: i64,
        delegate: &ValidDelegate,
        now: DateTime<Utc>,
    ) -> Result<()>;
    async fn insert_hire(
        &mut self,
        trip_id: i64,
        hire: &ValidHire,
        user_id: i64,
        now: DateTime<Utc>,
    ) -> Result<i64>;
}

macro_rules! impl_trip_write {
    ($conn:ty) => {
        impl TripWrite for $conn {
            async fn insert_trip(
                &mut self,
                organiser: &str,
                trip: &ValidTrip,
                user_id: i64,
                now: DateTime<Utc>,
            ) -> Result<i64> {
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO talent_trips (organiser, destination, departed_on, returned_on, note, \
                     created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                )
                .bind(organiser)
                .bind(&trip.destination)
                .bind(trip.departed_on)
                .bind(trip.returned_on)
                .bind(&trip.note)
                .bind(user_id)
                .bind(now)
                .fetch_one(&mut *self)
                .await?;
                for unit in &trip.partners {
                    sqlx::query("INSERT INTO talent_trip_partners (trip_id, unit_code) VALUES ($1, $2)")
                        .bind(id)
                        .bind(unit)
                        .execute(&mut *self)
                        .await?;
                }
                for fair in &trip.fairs {
                    sqlx::query("INSERT INTO talent_trip_fairs (trip_id, school, held_on) VALUES ($1, $2, $3)")
                        .bind(id)
                        .bind(&fair.school)
                        .bind(fair.held_on)
                        .execute(&mut *self)
                        .await?;
                }
                Ok(id)
            }

            async fn insert_delegate(
                &mut self,
                trip_id: i64,
                delegate: &ValidDelegate,
                now: DateTime<Utc>,
            ) -> Result<()> {
                sqlx::query(
                    "INSERT INTO talent_trip_employers (trip_id, employer_id, posts, cvs, created_at) \
                     VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(trip_id)
                .bind(delegate.employer_id)
                .bind(delegate.posts)
                .bind(delegate.cvs)
                .bind(now)
                .execute(&mut *self)
                .await?;
                Ok(())
            }

            async fn insert_hire(
                &mut self,
                trip_id: i64,
                hire: &ValidHire,
                user_id: i64,
                now: DateTime<Utc>,
            ) -> Result<i64> {
                Ok(sqlx::query_scalar(
                    "INSERT INTO talent_trip_hires (trip_id, employer_id, person_name, hired_on, application_id, \
                     created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                )
                .bind(trip_id)
                .bind(hire.employer_id)
                .bind(&hire.name)
                .bind(hire.hired_on)
                .bind(hire.application_id)
                .bind(user_id)
                .bind(now)
                .fetch_one(&mut *self)
                .await?)
            }
        }
    };
}

impl_trip_write!(SqliteConnection);
impl_trip_write!(PgConnection);
