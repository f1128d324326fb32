//! Residents already in the database enrolled at an employer without their ID in clear: the
//! sealed ID and its index are copied from `persons`. The demo enrols this way the graduates
//! placed through a job application (at the post's employer) and the people of returnee
//! businesses, so that the 免申即享 scan finds someone.

use chrono::NaiveDate;
use linkong_core::access::Actor;
use linkong_core::insurance::{InsuranceKind, kinds_code};

use super::SealedRow;
use crate::people::ImportOutcome;
use crate::{Error, Result, Store, on_db};

/// A resident at an employer since a day: where an enrolment could come from.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct EnrolmentSource {
    pub person_id: i64,
    pub employer_uscc: String,
    pub employer_name: String,
    pub since: NaiveDate,
}

/// An enrolment of a resident known by id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResidentEnrolment {
    pub person_id: i64,
    pub employer_uscc: String,
    pub employer_name: String,
    pub kinds: Vec<InsuranceKind>,
    pub started_on: NaiveDate,
    pub ended_on: Option<NaiveDate>,
}

impl Store {
    /// Graduates placed through a job application on the platform, at the employer of the
    /// post they were hired for, since their placement.
    pub async fn placed_through_applications(&self) -> Result<Vec<EnrolmentSource>> {
        Ok(on_db!(self, pool => sqlx::query_as(
            "SELECT g.person_id, e.uscc AS employer_uscc, e.name AS employer_name, g.placed_on AS since \
             FROM graduates g JOIN applications a ON a.id = g.placement_application \
             JOIN job_posts p ON p.id = a.post_id JOIN employers e ON e.id = p.employer_id \
             WHERE g.placed_on IS NOT NULL ORDER BY g.person_id"
        )
        .fetch_all(pool)
        .await?))
    }

    /// The founders of returnee businesses still operating, at their business since its licence.
    pub async fn business_founders_at_work(&self) -> Result<Vec<EnrolmentSource>> {
        Ok(on_db!(self, pool => sqlx::query_as(
            "SELECT f.person_id, b.uscc AS employer_uscc, b.name AS employer_name, b.licensed_on AS since \
             FROM business_founders f JOIN businesses b ON b.id = f.business_id \
             WHERE b.status = 'operating' ORDER BY b.id, f.position"
        )
        .fetch_all(pool)
        .await?))
    }

    /// Graduates employed (单位就业) without a platform application, with their placement
    /// day: people the demo gives a job at a returnee business.
    pub async fn employed_elsewhere(&self, limit: i64) -> Result<Vec<(i64, NaiveDate)>> {
        Ok(on_db!(self, pool => sqlx::query_as(
            "SELECT person_id, placed_on FROM graduates WHERE placement = 'employed' \
             AND placement_application IS NULL AND placed_on IS NOT NULL ORDER BY id LIMIT $1"
        )
        .bind(limit)
        .fetch_all(pool)
        .await?))
    }

    /// Enrols residents known to the database (as an import of the list would: one
    /// transaction, audited, the same key), their sealed IDs copied, never decrypted. The same
    /// access as the import: 区人社局's staff and admins.
    pub async fn enrol_residents(
        &self,
        actor: &Actor,
        batch: &str,
        rows: &[ResidentEnrolment],
        ip: &str,
    ) -> Result<ImportOutcome> {
        if !actor.may_import_insurance() {
            let why = "只有区人社局的人员和系统管理员可以导入参保名单";
            return Err(self.deny(actor, "import:insurance".into(), why, ip).await);
        }
        let mut sealed = Vec::with_capacity(rows.len());
        for row in rows {
            let person: Option<(Vec<u8>, Vec<u8>, String)> = on_db!(self, pool => sqlx::query_as(
                "SELECT id_number_enc, id_number_index, name FROM persons WHERE id = $1"
            )
            .bind(row.person_id)
            .fetch_optional(pool)
            .await?);
            let (id_enc, id_index, name) = person
                .ok_or_else(|| Error::invalid("人员", format!("人员 {} 不存在", row.person_id)))?;
            sealed.push(SealedRow {
                id_enc,
                id_index,
                name,
                uscc: row.employer_uscc.clone(),
                employer_name: row.employer_name.clone(),
                kinds: kinds_code(&row.kinds),
                started_on: row.started_on,
                ended_on: row.ended_on,
            });
        }
        self.write_enrolments(actor, batch, &sealed, ip, None).await
    }
}
