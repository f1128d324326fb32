//! People of the neighbouring districts working elsewhere, added to the out-migrant registry as
//! promotion targets (task 2.5.1; the model is core's `events::neighbours`): one resident row,
//! filed under the street responsible for them, and a survey row naming their home district.

use linkong_core::access::Actor;
use linkong_core::events::neighbours::validate_neighbour;
use linkong_core::people::{MigrantDraft, ValidMigrant};
use linkong_core::plan::Plan;
use linkong_core::time::local_date;
use sqlx::{PgConnection, SqliteConnection};

use crate::audit::{AuditAppend, AuditEvent};
use crate::crypto::FieldCipher;
use crate::{BeginWrite, Error, Result, Store, on_db};

impl Store {
    /// Adds a person of a neighbouring district (`home_district`) to the registry, filed under
    /// the responsible street typed as their street; refused (and audited) for an actor who
    /// may not file people under that street. A resident ID already in the registry is refused:
    /// they are there already. One transaction with its audit row; returns the person's id.
    pub async fn add_neighbour(
        &self,
        actor: &Actor,
        plan: &Plan,
        draft: &MigrantDraft,
        home_district: &str,
        ip: &str,
    ) -> Result<i64> {
        let today = local_date(self.now());
        let (migrant, home) =
            validate_neighbour(plan, draft, home_district, today).map_err(Error::Fields)?;
        let street = migrant.person.street_code.clone();
        if !actor.may_register_neighbour(plan, &street) {
            return Err(self
                .deny(
                    actor,
                    format!("street:{street}"),
                    "只能把周边区域人员登记到本单位负责的街道",
                    ip,
                )
                .await);
        }
        let cipher = self.cipher()?;
        let index = cipher.blind_index(migrant.person.id_number.as_str());
        let known: Option<i64> = on_db!(self, pool => sqlx::query_scalar(
            "SELECT id FROM persons WHERE id_number_index = $1",
        )
        .bind(&index)
        .fetch_optional(pool)
        .await?);
        if known.is_some() {
            return Err(Error::invalid(
                "身份证号码",
                format!(
                    "{} 已登记在人员库中，无需重复登记",
                    migrant.person.id_number.masked()
                ),
            ));
        }
        let unit = actor.unit_code.clone().unwrap_or_default();
        let now = self.now();
        let event = AuditEvent::new("migrant.neighbour", format!("street:{street}"))
            .by(Some(actor.user_id), &actor.username)
            .detail(format!("登记{home}外出就业人员为推介对象"))
            .from_ip(ip);
        let _guard = self.write_lock.lock().await;
        Ok(on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let id = tx
                .insert_neighbour(cipher, &migrant, home, &unit, now)
                .await?;
            tx.append_audit(now, &event).await?;
            tx.commit().await?;
            id
        }))
    }
}

/// The rows of a neighbouring person, inside the caller's transaction.
trait NeighbourWrite {
    async fn insert_neighbour(
        &mut self,
        cipher: &FieldCipher,
        migrant: &ValidMigrant,
        home: &str,
        unit: &str,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<i64>;
}

macro_rules! impl_neighbour_write {
    ($conn:ty) => {
        impl NeighbourWrite for $conn {
            async fn insert_neighbour(
                &mut self,
                cipher: &FieldCipher,
                m: &ValidMigrant,
                home: &str,
                unit: &str,
                now: chrono::DateTime<chrono::Utc>,
            ) -> Result<i64> {
                let p = &m.person;
                let id_number = p.id_number.as_str();
                let phone = p.phone.as_ref().map(|phone| phone.expose());
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO persons (id_number_enc, id_number_index, name, gender, birth_date, \
                     phone_enc, phone_index, street_code, community, schooling, created_at, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING id",
                )
                .bind(cipher.encrypt(id_number))
                .bind(cipher.blind_index(id_number))
                .bind(&p.name)
                .bind(p.id_number.gender().code())
                .bind(p.id_number.birth_date())
                .bind(phone.map(|phone| cipher.encrypt(phone)))
                .bind(phone.map(|phone| cipher.blind_index(phone)))
                .bind(&p.street_code)
                .bind(&p.community)
                .bind(p.schooling.map(|s| s.code()))
                .bind(now)
                .fetch_one(&mut *self)
                .await?;
                sqlx::query(
                    "INSERT INTO migrants (person_id, province, city, section, occupation, skills, years_away, \
                     intention, business_field, contact_consent, surveyed_on, surveyed_by, returned_on, updated_at, \
                     home_district) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
                )
                .bind(id)
                .bind(m.province)
                .bind(&m.city)
                .bind(m.section.letter().to_string())
                .bind(&m.occupation)
                .bind(&m.skills)
                .bind(m.years_away)
                .bind(m.intention.code())
                .bind(&m.business_field)
                .bind(m.contact_consent)
                .bind(m.surveyed_on)
                .bind(unit)
                .bind(m.returned_on)
                .bind(now)
                .bind(home)
                .execute(&mut *self)
                .await?;
                Ok(id)
            }
        }
    };
}

impl_neighbour_write!(SqliteConnection);
impl_neighbour_write!(PgConnection);
