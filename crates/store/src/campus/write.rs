//! The campus writes: each asks core who may write and what is valid, then writes its rows,
//! the figure days it changes and its audit row in one transaction. Bad input writes nothing.

use chrono::Datelike;
use linkong_core::access::{Actor, Gate};
use linkong_core::campus::{
    ActivityDraft, BaseDraft, HostEmployer, PlacementDraft, PlanDraft, StationDraft,
    industries_code, validate_activity, validate_base, validate_outcome, validate_placement,
    validate_plan, validate_station, validate_university,
};
use linkong_core::field::FieldError;
use linkong_core::plan::Plan;
use linkong_core::time::local_date;

use crate::audit::{AuditAppend, AuditEvent};
use crate::figures::{DayKey, FigureWrite, Kind};
use crate::{BeginWrite, Error, Result, Store, on_db};

fn field(field: &'static str, message: impl Into<String>) -> Error {
    Error::Fields(vec![FieldError {
        field,
        message: message.into(),
    }])
}

impl Store {
    /// The unit the actor records campus programmes for (its own, one of the four); others
    /// are refused at the form's gate, audited.
    async fn campus_recorder(&self, actor: &Actor, ip: &str) -> Result<String> {
        self.enter(actor, Gate::CampusForm, ip).await?;
        Ok(actor.campus_unit().unwrap_or_default().to_owned())
    }

    fn campus_event(
        actor: &Actor,
        action: &'static str,
        target: String,
        detail: String,
        ip: &str,
    ) -> AuditEvent {
        AuditEvent::new(action, target)
            .by(Some(actor.user_id), &actor.username)
            .detail(detail)
            .from_ip(ip)
    }

    /// The name of a registered university, or the 高校 field's error.
    async fn university_name(&self, id: i64) -> Result<String> {
        let name: Option<String> = on_db!(self, pool => sqlx::query_scalar(
            "SELECT name FROM universities WHERE id = $1"
        )
        .bind(id)
        .fetch_optional(pool)
        .await?);
        name.ok_or_else(|| field("高校", format!("编号 {id} 的高校未登记，请先登记该高校")))
    }

    /// The host employer as stored: a registered employer's id and name, or the name typed.
    async fn host_employer(&self, employer: &HostEmployer) -> Result<(Option<i64>, String)> {
        match employer {
            HostEmployer::Named(name) => Ok((None, name.clone())),
            HostEmployer::Registered(uscc) => {
                let found: Option<(i64, String)> = on_db!(self, pool => sqlx::query_as(
                    "SELECT id, name FROM employers WHERE uscc = $1"
                )
                .bind(uscc.as_str())
                .fetch_optional(pool)
                .await?);
                found.map(|(id, name)| (Some(id), name)).ok_or_else(|| {
                    field(
                        "统一社会信用代码",
                        format!(
                            "{} 不在用人单位名录中；未登记的单位请只填写单位名称",
                            uscc.as_str()
                        ),
                    )
                })
            }
        }
    }

    /// Adds a university (the four units' staff), unless one of the same name exists.
    pub async fn add_university(&self, actor: &Actor, name: &str, ip: &str) -> Result<i64> {
        self.campus_recorder(actor, ip).await?;
        let name = validate_university(name).map_err(Error::Fields)?;
        let now = self.now();
        let _guard = self.write_lock.lock().await;
        Ok(on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM universities WHERE name = $1")
                .bind(&name)
                .fetch_optional(&mut *tx)
                .await?;
            if exists.is_some() {
                return Err(field("高校名称", format!("“{name}”已登记")));
            }
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO universities (name, created_by, created_at) VALUES ($1, $2, $3) RETURNING id",
            )
            .bind(&name)
            .bind(actor.user_id)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            let event = Self::campus_event(actor, "university.add", format!("university:{id}"), name.clone(), ip);
            tx.append_audit(now, &event).await?;
            tx.commit().await?;
            id
        }))
    }

    /// Records a liaison station hosted by the actor's unit; the contact's phone encrypted.
    pub async fn add_station(&self, actor: &Actor, draft: &StationDraft, ip: &str) -> Result<i64> {
        let unit = self.campus_recorder(actor, ip).await?;
        let valid = validate_station(draft, local_date(self.now())).map_err(Error::Fields)?;
        let university = self.university_name(valid.university_id).await?;
        let phone = match &valid.contact_phone {
            Some(p) => Some(self.cipher()?.encrypt(p.expose())),
            None => None,
        };
        let now = self.now();
        let detail = format!("{unit} 驻{university}联络站，设立于 {}", valid.opened_on);
        let _guard = self.write_lock.lock().await;
        Ok(on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO campus_stations (university_id, host_unit, contact_name, contact_phone_enc, opened_on, \
                 created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            )
            .bind(valid.university_id)
            .bind(&unit)
            .bind(&valid.contact_name)
            .bind(phone.as_deref())
            .bind(valid.opened_on)
            .bind(actor.user_id)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            let event = Self::campus_event(actor, "campus_station.add", format!("campus_station:{id}"), detail, ip);
            tx.append_audit(now, &event).await?;
            tx.commit().await?;
            id
        }))
    }

    /// Records a campus activity organised by the actor's unit; a 政策宣传 one counts for
    /// 1.2.1.policy_events on its day, refreshed in the same transaction.
    pub async fn record_campus_activity(
        &self,
        actor: &Actor,
        draft: &ActivityDraft,
        ip: &str,
    ) -> Result<i64> {
        let unit = self.campus_recorder(actor, ip).await?;
        let valid = validate_activity(draft, local_date(self.now())).map_err(Error::Fields)?;
        let university = self.university_name(valid.university_id).await?;
        let now = self.now();
        let detail = format!(
            "{unit} {} {university} {}，{} 人",
            valid.held_on,
            valid.kind.label(),
            valid.participants
        );
        let key = DayKey::new(
            Kind::CampusActivity,
            valid.kind.code(),
            &unit,
            valid.held_on,
        );
        let _guard = self.write_lock.lock().await;
        Ok(on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO campus_activities (kind, organiser, university_id, held_on, participants, note, \
                 created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
            )
            .bind(valid.kind.code())
            .bind(&unit)
            .bind(valid.university_id)
            .bind(valid.held_on)
            .bind(valid.participants)
            .bind(&valid.note)
            .bind(actor.user_id)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            tx.refresh_figures(std::slice::from_ref(&key)).await?;
            let event = Self::campus_event(actor, "campus_activity.record", format!("campus_activity:{id}"), detail, ip);
            tx.append_audit(now, &event).await?;
            tx.commit().await?;
            id
        }))
    }

    /// Records an internship base of the actor's unit, unless one of the same name exists.
    pub async fn add_internship_base(
        &self,
        actor: &Actor,
        draft: &BaseDraft,
        ip: &str,
    ) -> Result<i64> {
        let unit = self.campus_recorder(actor, ip).await?;
        let valid = validate_base(draft).map_err(Error::Fields)?;
        let (employer_id, employer_name) = self.host_employer(&valid.employer).await?;
        let partners = valid.partners.join("\n");
        let now = self.now();
        let detail = format!(
            "{unit} {}（{employer_name}，{} 个岗位）",
            valid.name, valid.places
        );
        let _guard = self.write_lock.lock().await;
        Ok(on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM internship_bases WHERE name = $1")
                .bind(&valid.name)
                .fetch_optional(&mut *tx)
                .await?;
            if exists.is_some() {
                return Err(field("基地名称", format!("“{}”已登记", valid.name)));
            }
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO internship_bases (name, employer_id, employer_name, partners, unit_code, places, \
                 created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
            )
            .bind(&valid.name)
            .bind(employer_id)
            .bind(&employer_name)
            .bind(&partners)
            .bind(&unit)
            .bind(valid.places)
            .bind(actor.user_id)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            let event = Self::campus_event(actor, "internship_base.add", format!("internship_base:{id}"), detail, ip);
            tx.append_audit(now, &event).await?;
            tx.commit().await?;
            id
        }))
    }

    /// Records an internship placement organised by the actor's unit. It counts for
    /// 1.2.1.interns on its start day if it is the student's first with the unit that year;
    /// the days of the student's other placements that year are recounted with it.
    pub async fn record_placement(
        &self,
        actor: &Actor,
        draft: &PlacementDraft,
        ip: &str,
    ) -> Result<i64> {
        let unit = self.campus_recorder(actor, ip).await?;
        let valid = validate_placement(draft, local_date(self.now())).map_err(Error::Fields)?;
        let university = self.university_name(valid.university_id).await?;
        let (employer_id, employer_name) = self.host_employer(&valid.employer).await?;
        if let Some(base) = valid.base_id {
            self.internship_base_exists(base).await?;
        }
        let now = self.now();
        let year = i64::from(valid.starts_on.year());
        let detail = format!(
            "{unit} {university} {}，{} 至 {}，{employer_name}",
            valid.student_no, valid.starts_on, valid.ends_on
        );
        let _guard = self.write_lock.lock().await;
        Ok(on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO internships (student_name, student_no, university_id, major, employer_id, employer_name, \
                 base_id, organiser, starts_on, ends_on, year, outcome, created_by, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id",
            )
            .bind(&valid.student_name)
            .bind(&valid.student_no)
            .bind(valid.university_id)
            .bind(&valid.major)
            .bind(employer_id)
            .bind(&employer_name)
            .bind(valid.base_id)
            .bind(&unit)
            .bind(valid.starts_on)
            .bind(valid.ends_on)
            .bind(year)
            .bind(valid.outcome.map(|o| o.code()))
            .bind(actor.user_id)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            let days: Vec<chrono::NaiveDate> = sqlx::query_scalar(
                "SELECT DISTINCT starts_on FROM internships WHERE organiser = $1 AND university_id = $2 \
                 AND student_no = $3 AND year = $4",
            )
            .bind(&unit)
            .bind(valid.university_id)
            .bind(&valid.student_no)
            .bind(year)
            .fetch_all(&mut *tx)
            .await?;
            let keys: Vec<DayKey> = days.into_iter().map(|d| DayKey::new(Kind::Intern, "", &unit, d)).collect();
            tx.refresh_figures(&keys).await?;
            let event = Self::campus_event(actor, "internship.record", format!("internship:{id}"), detail, ip);
            tx.append_audit(now, &event).await?;
            tx.commit().await?;
            id
        }))
    }

    async fn internship_base_exists(&self, id: i64) -> Result<()> {
        let found: Option<i64> = on_db!(self, pool => sqlx::query_scalar(
            "SELECT id FROM internship_bases WHERE id = $1"
        )
        .bind(id)
        .fetch_optional(pool)
        .await?);
        found
            .map(|_| ())
            .ok_or_else(|| field("实习实训基地", format!("编号 {id} 的基地未登记")))
    }

    /// Records how a placement of the actor's unit ended (完成、中止、留用); the figure does not
    /// change (a placement counts when it starts).
    pub async fn record_placement_outcome(
        &self,
        actor: &Actor,
        id: i64,
        outcome: &str,
        ip: &str,
    ) -> Result<()> {
        let unit = self.campus_recorder(actor, ip).await?;
        let placement = self.placement(actor, id, ip).await?;
        if placement.organiser != unit {
            return Err(self
                .deny(
                    actor,
                    format!("internship:{id}"),
                    "只能登记本单位组织的实习实训",
                    ip,
                )
                .await);
        }
        let outcome = validate_outcome(outcome, placement.ends_on, local_date(self.now()))
            .map_err(Error::Fields)?;
        let now = self.now();
        let event = Self::campus_event(
            actor,
            "internship.outcome",
            format!("internship:{id}"),
            outcome.label().to_owned(),
            ip,
        );
        let _guard = self.write_lock.lock().await;
        on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            sqlx::query("UPDATE internships SET outcome = $1 WHERE id = $2")
                .bind(outcome.code())
                .bind(id)
                .execute(&mut *tx)
                .await?;
            tx.append_audit(now, &event).await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// Saves a university's recruitment plan (一校一策) for a year, kept by the actor's unit;
    /// one per university and year.
    pub async fn save_campus_plan(
        &self,
        plan: &Plan,
        actor: &Actor,
        draft: &PlanDraft,
        ip: &str,
    ) -> Result<i64> {
        let unit = self.campus_recorder(actor, ip).await?;
        let valid = validate_plan(draft, plan.years()).map_err(Error::Fields)?;
        let university = self.university_name(valid.university_id).await?;
        let now = self.now();
        let detail = format!(
            "{unit} {university} {} 年一校一策，计划校园招聘 {} 场",
            valid.year, valid.fairs_planned
        );
        let _guard = self.write_lock.lock().await;
        Ok(on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let exists: Option<String> = sqlx::query_scalar(
                "SELECT unit_code FROM campus_plans WHERE university_id = $1 AND year = $2",
            )
            .bind(valid.university_id)
            .bind(i64::from(valid.year))
            .fetch_optional(&mut *tx)
            .await?;
            if let Some(by) = exists {
                return Err(field("年度", format!("{university} {} 年的一校一策已由 {by} 制定", valid.year)));
            }
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO campus_plans (university_id, year, disciplines, wishes, industries, fairs_planned, \
                 unit_code, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
            )
            .bind(valid.university_id)
            .bind(i64::from(valid.year))
            .bind(&valid.disciplines)
            .bind(&valid.wishes)
            .bind(industries_code(&valid.industries))
            .bind(valid.fairs_planned)
            .bind(&unit)
            .bind(actor.user_id)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            let event = Self::campus_event(actor, "campus_plan.save", format!("campus_plan:{id}"), detail, ip);
            tx.append_audit(now, &event).await?;
            tx.commit().await?;
            id
        }))
    }

    /// Links a campus fair (a recruitment event of kind campus_fair) to the university it was
    /// held at, once; the fairs held under the university's plans count it.
    pub async fn link_campus_fair(
        &self,
        actor: &Actor,
        university_id: i64,
        event: &str,
        ip: &str,
    ) -> Result<()> {
        self.campus_recorder(actor, ip).await?;
        let university = self.university_name(university_id).await?;
        let event_id = event
            .trim()
            .parse::<i64>()
            .map_err(|_| field("校园招聘活动", "请选择一场校园招聘活动"))?;
        let kind: Option<String> = on_db!(self, pool => sqlx::query_scalar(
            "SELECT kind FROM recruitment_events WHERE id = $1"
        )
        .bind(event_id)
        .fetch_optional(pool)
        .await?);
        if kind.as_deref() != Some("campus_fair") {
            return Err(field(
                "校园招聘活动",
                format!("活动 {event_id} 不是已登记的校园招聘活动"),
            ));
        }
        let now = self.now();
        let event = Self::campus_event(
            actor,
            "campus_fair.link",
            format!("event:{event_id}"),
            university.clone(),
            ip,
        );
        let _guard = self.write_lock.lock().await;
        on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let done = sqlx::query(
                "INSERT INTO campus_fair_links (event_id, university_id) VALUES ($1, $2) ON CONFLICT (event_id) DO NOTHING",
            )
            .bind(event_id)
            .bind(university_id)
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() == 0 {
                return Err(field("校园招聘活动", "该活动已关联到一所高校"));
            }
            tx.append_audit(now, &event).await?;
            tx.commit().await?;
        });
        Ok(())
    }
}
