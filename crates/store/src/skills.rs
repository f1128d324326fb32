//! Returnee skills training (返区人员职业技能培训, task 2.4.4): a unit of 2.4.4 records the
//! classes it organised, with their trainees from the out-migrant registry (named by resident
//! ID, found through the blind index, within the unit's reach) and whether each obtained a
//! certificate. Trainees count toward 2.4.4 (人次) for the organiser on the class's end day, the
//! tally written in the same transaction as the rows and the audit line.

use chrono::NaiveDate;
use linkong_core::access::{Actor, Gate};
use linkong_core::field::FieldError;
use linkong_core::plan::Plan;
use linkong_core::skills::{ClassDraft, ClassKind, ValidClass, validate_class};
use linkong_core::time::local_date;
use serde::Serialize;

use crate::audit::{AuditAppend, AuditEvent};
use crate::figures::{DayKey, FigureWrite, Kind};
use crate::market_order::days_of;
use crate::{BeginWrite, Error, Result, Store, on_db};

/// A class with how many were trained and certified: no personal data.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct SkillsClass {
    pub id: i64,
    /// A [`ClassKind`] code.
    pub kind: String,
    pub title: String,
    pub organiser: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub trainees: i64,
    pub certified: i64,
}

impl SkillsClass {
    /// The kind's label.
    pub fn kind_label(&self) -> &'static str {
        ClassKind::parse(&self.kind).map_or("其他", ClassKind::label)
    }
}

const CLASS_SELECT: &str = "SELECT c.id, c.kind, c.title, c.organiser, c.starts_on, c.ends_on, \
     (SELECT COUNT(*) FROM skills_trainees t WHERE t.class_id = c.id) AS trainees, \
     (SELECT COUNT(*) FROM skills_trainees t WHERE t.class_id = c.id AND t.certified) AS certified \
     FROM skills_classes c";

impl Store {
    /// The class as core checks it, with its trainees found in the registry: each a returnee
    /// within the actor's reach; what is wrong is reported naming the field and the line.
    async fn checked_class(
        &self,
        plan: &Plan,
        actor: &Actor,
        draft: &ClassDraft,
    ) -> Result<(ValidClass, Vec<i64>)> {
        let today = local_date(self.now());
        let class = validate_class(draft, today).map_err(Error::Fields)?;
        let mut errors = Vec::new();
        let mut people = Vec::with_capacity(class.trainees.len());
        for (n, t) in class.trainees.iter().enumerate() {
            match self.returnee(plan, actor, t.id.as_str()).await? {
                Ok(person) => people.push(person),
                Err(why) => errors.push(FieldError {
                    field: "参训人员",
                    message: format!("第{}行：{why}", n + 1),
                }),
            }
        }
        if !errors.is_empty() {
            return Err(Error::Fields(errors));
        }
        Ok((class, people))
    }

    /// Records a class organised by the actor's own unit of 2.4.4, with its trainees; they
    /// count toward 2.4.4 on its end day. One transaction with its tally and audit row.
    pub async fn record_skills_class(
        &self,
        plan: &Plan,
        actor: &Actor,
        draft: &ClassDraft,
        ip: &str,
    ) -> Result<i64> {
        self.enter(actor, Gate::SkillsForm { plan }, ip).await?;
        let organiser = actor.skills_unit(plan).unwrap_or_default().to_owned();
        let (class, people) = self.checked_class(plan, actor, draft).await?;
        let now = self.now();
        let event = AuditEvent::new("skills.class", format!("unit:{organiser}"))
            .by(Some(actor.user_id), &actor.username)
            .detail(format!(
                "{}：{}，{} 人",
                class.kind.label(),
                class.title,
                people.len()
            ))
            .from_ip(ip);
        let keys = [DayKey::new(
            Kind::SkillsTrained,
            "",
            &organiser,
            class.ends_on,
        )];
        let _guard = self.write_lock.lock().await;
        Ok(on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO skills_classes (kind, title, organiser, starts_on, ends_on, created_by, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            )
            .bind(class.kind.code())
            .bind(&class.title)
            .bind(&organiser)
            .bind(class.starts_on)
            .bind(class.ends_on)
            .bind(actor.user_id)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            for (t, person) in class.trainees.iter().zip(&people) {
                sqlx::query(
                    "INSERT INTO skills_trainees (class_id, person_id, certified, certificate) VALUES ($1, $2, $3, $4)",
                )
                .bind(id)
                .bind(person)
                .bind(t.certified)
                .bind(&t.certificate)
                .execute(&mut *tx)
                .await?;
            }
            tx.refresh_figures(&keys).await?;
            tx.append_audit(now, &event).await?;
            tx.commit().await?;
            id
        }))
    }

    /// The classes that ended in `year` (every year when `None`), of `unit` if given, latest
    /// first: counts only, no personal data, so every staff member reads them.
    pub async fn skills_classes(
        &self,
        year: Option<i32>,
        unit: Option<&str>,
    ) -> Result<Vec<SkillsClass>> {
        let (from, to) = days_of(year);
        Ok(
            on_db!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "{CLASS_SELECT} WHERE c.ends_on >= $1 AND c.ends_on <= $2 AND ($3 = '' OR c.organiser = $3) \
             ORDER BY c.ends_on DESC, c.id DESC LIMIT 2000"
        )))
        .bind(from)
        .bind(to)
        .bind(unit.unwrap_or_default())
        .fetch_all(pool)
        .await?),
        )
    }

    /// Registry figures of the classes that ended within [from, to]: (id, organiser, trainees
    /// in hundredths, end day), one per class with trainees.
    pub(crate) async fn skills_rows(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<(i64, String, i64, NaiveDate)>> {
        Ok(on_db!(self, pool => sqlx::query_as(
            "SELECT c.id, c.organiser, COUNT(*) * 100, c.ends_on FROM skills_classes c \
             JOIN skills_trainees t ON t.class_id = c.id WHERE c.ends_on >= $1 AND c.ends_on <= $2 \
             GROUP BY c.id, c.organiser, c.ends_on"
        )
        .bind(from)
        .bind(to)
        .fetch_all(pool)
        .await?))
    }
}
