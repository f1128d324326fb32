//! 1.1.4.trainees counted from the rows: the reference the tallies are held to.

use chrono::NaiveDate;

use crate::{Result, Store, on_db};

/// A traineeship's figure id and a course's never meet: 2·id and 2·id + 1 (negated by the
/// caller, as every registry figure's).
pub(crate) const TRAINEE_ROWS: &str = "SELECT 2 * id, unit_code, starts_on FROM traineeships \
     WHERE starts_on >= $1 AND starts_on <= $2 \
     UNION ALL SELECT 2 * id + 1, unit_code, starts_on FROM graduate_courses \
     WHERE starts_on >= $1 AND starts_on <= $2";

impl Store {
    /// Traineeships and courses starting within [from, to]: (figure id, recording unit, start).
    pub(crate) async fn trainee_rows(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<(i64, String, NaiveDate)>> {
        Ok(on_db!(self, pool => sqlx::query_as(TRAINEE_ROWS)
            .bind(from)
            .bind(to)
            .fetch_all(pool)
            .await?))
    }
}
