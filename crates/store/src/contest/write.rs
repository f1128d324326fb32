//! The contest's writes: each asks core, then writes one transaction with its audit row (and,
//! for an entry registered or landed, 1.2.3's day tally).

use chrono::{DateTime, NaiveDate, Utc};
use linkong_core::access::Actor;
use linkong_core::contest::{
    AwardDraft, EditionDays, EditionDraft, EntryDraft, LandingDraft, RoundDraft, SupportDraft,
    SupportKind, ValidAward, ValidEdition, ValidEntry, ValidRound, ValidSupport, edition_year_free,
    may_advance, may_score, parse_score, validate_award, validate_edition, validate_entry,
    validate_landing, validate_round, validate_support,
};
use linkong_core::field::FieldError;
use linkong_core::plan::Plan;
use linkong_core::time::local_date;
use sqlx::{PgConnection, SqliteConnection};

use crate::audit::{AuditAppend, AuditEvent};
use crate::figures::{DayKey, FigureWrite, Kind};
use crate::{BeginWrite, Error, Result, Store, on_db};

fn fields(errors: Vec<FieldError>) -> Error {
    Error::Fields(errors)
}

fn one(error: FieldError) -> Error {
    Error::Fields(vec![error])
}

/// An entry as it is written: the checked form, the leader linked, the phone sealed.
struct NewEntry<'a> {
    edition_id: i64,
    valid: &'a ValidEntry,
    person_id: Option<i64>,
    phone_enc: Option<Vec<u8>>,
    user_id: i64,
    now: DateTime<Utc>,
}

/// What one write changes, beside its rows: the audit row and the tallies it recounts.
struct Effects {
    event: AuditEvent,
    keys: Vec<DayKey>,
    now: DateTime<Utc>,
}

/// One write of the contest, run in the transaction of [`Store::contest_write`].
enum Change<'a> {
    Edition(&'a ValidEdition, &'a str, i64),
    Entry(NewEntry<'a>),
    Round(i64, &'a ValidRound),
    Score { round: i64, entry: i64, score: i64 },
    Advance { round: i64, entries: &'a [i64] },
    Award(i64, &'a ValidAward),
    Support(i64, &'a ValidSupport, &'a str, i64),
    Landing(i64, i64, NaiveDate),
}

impl Store {
    fn contest_effects(
        &self,
        actor: &Actor,
        action: &'static str,
        target: String,
        detail: String,
        ip: &str,
    ) -> Effects {
        Effects {
            event: AuditEvent::new(action, target)
                .by(Some(actor.user_id), &actor.username)
                .detail(detail)
                .from_ip(ip),
            keys: Vec::new(),
            now: self.now(),
        }
    }

    /// Writes `change` with its audit row and tallies in one transaction; the new row's id.
    async fn contest_write(&self, change: Change<'_>, effects: Effects) -> Result<i64> {
        let _guard = self.write_lock.lock().await;
        let now = effects.now;
        Ok(on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let id = tx.contest_change(&change, now).await?;
            tx.refresh_figures(&effects.keys).await?;
            tx.append_audit(now, &effects.event).await?;
            tx.commit().await?;
            id
        }))
    }

    /// Opens an edition with its tracks, for the organiser's unit; one a year.
    pub async fn create_contest_edition(
        &self,
        plan: &Plan,
        actor: &Actor,
        draft: &EditionDraft,
        ip: &str,
    ) -> Result<i64> {
        let unit = self
            .check_organiser(plan, actor, "contest".into(), ip)
            .await?;
        let valid = validate_edition(draft, plan.years()).map_err(fields)?;
        let taken: Option<i64> = on_db!(self, pool => sqlx::query_scalar(
            "SELECT id FROM contest_editions WHERE year = $1"
        )
        .bind(i64::from(valid.year))
        .fetch_optional(pool)
        .await?);
        edition_year_free(valid.year, taken.is_some()).map_err(one)?;
        let effects = self.contest_effects(
            actor,
            "contest.edition",
            format!("contest:{}", valid.year),
            valid.name.clone(),
            ip,
        );
        self.contest_write(Change::Edition(&valid, &unit, actor.user_id), effects)
            .await
    }

    /// Registers an entry on a track of an edition; it counts toward 1.2.3 for the edition's
    /// organiser on its registration day.
    pub async fn register_contest_entry(
        &self,
        plan: &Plan,
        actor: &Actor,
        edition: i64,
        draft: &EntryDraft,
        ip: &str,
    ) -> Result<i64> {
        self.check_organiser(plan, actor, format!("contest:{edition}"), ip)
            .await?;
        let edition = self.stored_edition(edition).await?;
        let days = EditionDays {
            opens_on: edition.opens_on,
            closes_on: edition.closes_on,
        };
        let valid = validate_entry(draft, days, local_date(self.now())).map_err(fields)?;
        if !edition.tracks.iter().any(|t| t.id == valid.track_id) {
            return Err(one(FieldError {
                field: "赛道",
                message: "不是本届大赛的赛道".into(),
            }));
        }
        let person_id = match &valid.leader_id {
            None => None,
            Some(id) => match self.registered_person(id, false).await? {
                Some((person, _)) => Some(person),
                None => {
                    return Err(one(FieldError {
                        field: "负责人身份证号码",
                        message: "未在毕业生名册或外出就业人员信息库中找到；不关联可留空".into(),
                    }));
                }
            },
        };
        let phone_enc = match &valid.phone {
            Some(phone) => Some(self.cipher()?.encrypt(phone.expose())),
            None => None,
        };
        let mut effects = self.contest_effects(
            actor,
            "contest.entry",
            format!("contest:{}", edition.id),
            format!("{}：{}（{}）", edition.name, valid.project, valid.school),
            ip,
        );
        effects.keys.push(DayKey::new(
            Kind::ContestEntry,
            "",
            edition.organiser.clone(),
            valid.registered_on,
        ));
        let new = NewEntry {
            edition_id: edition.id,
            valid: &valid,
            person_id,
            phone_enc,
            user_id: actor.user_id,
            now: effects.now,
        };
        self.contest_write(Change::Entry(new), effects).await
    }

    /// Adds a round to an edition: each stage once, in order.
    pub async fn add_contest_round(
        &self,
        plan: &Plan,
        actor: &Actor,
        edition: i64,
        draft: &RoundDraft,
        ip: &str,
    ) -> Result<i64> {
        self.check_organiser(plan, actor, format!("contest:{edition}"), ip)
            .await?;
        let edition = self.stored_edition(edition).await?;
        let held: Vec<_> = edition.rounds.iter().map(|r| r.stage).collect();
        let valid = validate_round(draft, edition.year, &held).map_err(fields)?;
        let effects = self.contest_effects(
            actor,
            "contest.round",
            format!("contest:{}", edition.id),
            format!(
                "{}：{}（满分 {}）",
                edition.name,
                valid.stage.label(),
                valid.scale
            ),
            ip,
        );
        self.contest_write(Change::Round(edition.id, &valid), effects)
            .await
    }

    /// Records (or corrects) an entry's score in a round it reached, within the round's scale.
    pub async fn score_contest_entry(
        &self,
        plan: &Plan,
        actor: &Actor,
        (entry, round): (i64, i64),
        score: &str,
        ip: &str,
    ) -> Result<()> {
        self.check_organiser(plan, actor, format!("contest_entry:{entry}"), ip)
            .await?;
        let page = self.stored_entry_page(entry).await?;
        let round = page
            .edition
            .rounds
            .iter()
            .find(|r| r.id == round)
            .ok_or_else(|| Error::not_found("本届大赛没有该轮比赛"))?;
        may_score(round.stage, page.entry.standing(round.id)).map_err(one)?;
        let score = parse_score(score, round.scale).map_err(one)?;
        let detail = format!(
            "{}：{} {}.{:02}",
            page.entry.project,
            round.stage.label(),
            score / 100,
            score % 100
        );
        let effects = self.contest_effects(
            actor,
            "contest.score",
            format!("contest_entry:{entry}"),
            detail,
            ip,
        );
        self.contest_write(
            Change::Score {
                round: round.id,
                entry,
                score,
            },
            effects,
        )
        .await?;
        Ok(())
    }

    /// Advances scored entries of a round into the edition's next round, all or none; how many.
    pub async fn advance_contest_entries(
        &self,
        plan: &Plan,
        actor: &Actor,
        (edition, round): (i64, i64),
        entries: &[i64],
        ip: &str,
    ) -> Result<usize> {
        self.check_organiser(plan, actor, format!("contest:{edition}"), ip)
            .await?;
        let page = self.contest_edition(plan, actor, edition, ip).await?;
        let from = page
            .edition
            .rounds
            .iter()
            .find(|r| r.id == round)
            .ok_or_else(|| Error::not_found("本届大赛没有该轮比赛"))?;
        let next = page.edition.round_after(round);
        if entries.is_empty() {
            return Err(one(FieldError {
                field: "参赛项目",
                message: "请勾选晋级的项目".into(),
            }));
        }
        for id in entries {
            let entry = page
                .entries
                .iter()
                .find(|e| e.id == *id)
                .ok_or_else(|| Error::not_found("本届大赛没有该参赛项目"))?;
            let already = next.is_some_and(|n| entry.standing(n.id).reached);
            may_advance(
                from.stage,
                entry.standing(round),
                next.map(|n| n.stage),
                already,
            )
            .map_err(|e| {
                one(FieldError {
                    field: e.field,
                    message: format!("{}：{}", entry.project, e.message),
                })
            })?;
        }
        let Some(next) = next else {
            return Err(Error::Conflict("没有下一轮比赛".into()));
        };
        let detail = format!(
            "{} 个项目由{}晋级{}",
            entries.len(),
            from.stage.label(),
            next.stage.label()
        );
        let effects = self.contest_effects(
            actor,
            "contest.advance",
            format!("contest:{edition}"),
            detail,
            ip,
        );
        self.contest_write(
            Change::Advance {
                round: next.id,
                entries,
            },
            effects,
        )
        .await?;
        Ok(entries.len())
    }

    /// Awards an entry that reached the final.
    pub async fn award_contest_entry(
        &self,
        plan: &Plan,
        actor: &Actor,
        entry: i64,
        draft: &AwardDraft,
        ip: &str,
    ) -> Result<()> {
        self.check_organiser(plan, actor, format!("contest_entry:{entry}"), ip)
            .await?;
        let page = self.stored_entry_page(entry).await?;
        let reached_final = page
            .edition
            .final_round()
            .is_some_and(|f| page.entry.standing(f.id).reached);
        let valid = validate_award(
            draft,
            reached_final,
            page.entry.award.is_some(),
            local_date(self.now()),
        )
        .map_err(fields)?;
        let detail = format!(
            "{}：{} {} 元",
            page.entry.project,
            valid.grade.label(),
            valid.amount
        );
        let effects = self.contest_effects(
            actor,
            "contest.award",
            format!("contest_entry:{entry}"),
            detail,
            ip,
        );
        self.contest_write(Change::Award(entry, &valid), effects)
            .await?;
        Ok(())
    }

    /// Records follow-on support an entry was given, for the actor's unit.
    pub async fn record_contest_support(
        &self,
        plan: &Plan,
        actor: &Actor,
        entry: i64,
        draft: &SupportDraft,
        ip: &str,
    ) -> Result<i64> {
        let page = self.contest_entry(plan, actor, entry, ip).await?;
        let why = "创业讲堂、实训和融资对接由任务 1.2.3 的单位登记，天使投资基金由区基金公司登记";
        let target = format!("contest_entry:{entry}");
        if !SupportKind::ALL
            .iter()
            .any(|k| actor.may_record_contest_support(plan, *k))
        {
            return Err(self.deny(actor, target, why, ip).await);
        }
        let valid = validate_support(draft, page.entry.registered_on, local_date(self.now()))
            .map_err(fields)?;
        let unit = match actor.unit_code.as_deref() {
            Some(unit) if actor.may_record_contest_support(plan, valid.kind) => unit,
            _ => return Err(self.deny(actor, target, why, ip).await),
        };
        let detail = format!("{}：{}", page.entry.project, valid.kind.label());
        let effects = self.contest_effects(
            actor,
            "contest.support",
            format!("contest_entry:{entry}"),
            detail,
            ip,
        );
        self.contest_write(Change::Support(entry, &valid, unit, actor.user_id), effects)
            .await
    }

    /// Lands a winning entry as a returnee business of the registry; it counts toward 1.2.3
    /// for the edition's organiser on the landing day.
    pub async fn land_contest_entry(
        &self,
        plan: &Plan,
        actor: &Actor,
        entry: i64,
        draft: &LandingDraft,
        ip: &str,
    ) -> Result<()> {
        self.check_organiser(plan, actor, format!("contest_entry:{entry}"), ip)
            .await?;
        let page = self.stored_entry_page(entry).await?;
        let awarded_on = page.entry.award.as_ref().map(|a| a.awarded_on);
        let today = local_date(self.now());
        let valid = validate_landing(draft, awarded_on, page.entry.landing.is_some(), today)
            .map_err(fields)?;
        let business = match self.stored_business(valid.business_id).await {
            Ok(business) => business,
            Err(Error::NotFound(message)) => {
                return Err(one(FieldError {
                    field: "创业主体",
                    message,
                }));
            }
            Err(e) => return Err(e),
        };
        let detail = format!("{} 落地为 {}", page.entry.project, business.name);
        let mut effects = self.contest_effects(
            actor,
            "contest.land",
            format!("contest_entry:{entry}"),
            detail,
            ip,
        );
        effects.keys.push(DayKey::new(
            Kind::ContestLanding,
            "",
            page.edition.organiser.clone(),
            valid.landed_on,
        ));
        self.contest_write(
            Change::Landing(entry, business.id, valid.landed_on),
            effects,
        )
        .await?;
        Ok(())
    }
}

/// The contest's rows, inside the caller's transaction.
trait ContestWrite {
    /// Writes `change`; the id of the row it added (0 for updates).
    async fn contest_change(&mut self, change: &Change<'_>, now: DateTime<Utc>) -> Result<i64> {
        match change {
            Change::Edition(edition, organiser, user) => {
                self.insert_edition(edition, organiser, *user, now).await
            }
            Change::Entry(new) => self.insert_contest_entry(new).await,
            Change::Round(edition, round) => self.insert_round(*edition, round).await,
            Change::Score {
                round,
                entry,
                score,
            } => self
                .put_score((*round, *entry), *score, now)
                .await
                .map(|_| 0),
            Change::Advance { round, entries } => {
                for entry in entries.iter() {
                    self.insert_advance(*round, *entry, now).await?;
                }
                Ok(0)
            }
            Change::Award(entry, award) => self.set_award(*entry, award, now).await.map(|_| 0),
            Change::Support(entry, support, unit, user) => {
                self.insert_support(*entry, support, unit, (*user, now))
                    .await
            }
            Change::Landing(entry, business, day) => self
                .set_landing(*entry, *business, *day, now)
                .await
                .map(|_| 0),
        }
    }
    async fn insert_edition(
        &mut self,
        edition: &ValidEdition,
        organiser: &str,
        user: i64,
        now: DateTime<Utc>,
    ) -> Result<i64>;
    async fn insert_contest_entry(&mut self, new: &NewEntry<'_>) -> Result<i64>;
    async fn insert_round(&mut self, edition: i64, round: &ValidRound) -> Result<i64>;
    async fn put_score(&mut self, at: (i64, i64), score: i64, now: DateTime<Utc>) -> Result<()>;
    async fn insert_advance(&mut self, round: i64, entry: i64, now: DateTime<Utc>) -> Result<()>;
    async fn set_award(&mut self, entry: i64, award: &ValidAward, now: DateTime<Utc>)
    -> Result<()>;
    async fn insert_support(
        &mut self,
        entry: i64,
        support: &ValidSupport,
        unit: &str,
        by: (i64, DateTime<Utc>),
    ) -> Result<i64>;
    async fn set_landing(
        &mut self,
        entry: i64,
        business: i64,
        day: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<()>;
}

macro_rules! impl_contest_write {
    ($conn:ty) => {
        impl ContestWrite for $conn {
            async fn insert_edition(&mut self, e: &ValidEdition, organiser: &str, user: i64, now: DateTime<Utc>) -> Result<i64> {
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO contest_editions (year, name, organiser, opens_on, closes_on, created_by, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                )
                .bind(i64::from(e.year))
                .bind(e.name.as_str())
                .bind(organiser)
                .bind(e.opens_on)
                .bind(e.closes_on)
                .bind(user)
                .bind(now)
                .fetch_one(&mut *self)
                .await?;
                for (position, track) in e.tracks.iter().enumerate() {
                    sqlx::query("INSERT INTO contest_tracks (edition_id, position, name) VALUES ($1, $2, $3)")
                        .bind(id)
                        .bind(i64::try_from(position).unwrap_or_default())
                        .bind(track.as_str())
                        .execute(&mut *self)
                        .await?;
                }
                Ok(id)
            }

            async fn insert_contest_entry(&mut self, n: &NewEntry<'_>) -> Result<i64> {
                let v = n.valid;
                Ok(sqlx::query_scalar(
                    "INSERT INTO contest_entries (edition_id, track_id, project, team, leader, school, field, brief, \
                     person_id, phone_enc, registered_on, created_by, created_at, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) RETURNING id",
                )
                .bind(n.edition_id)
                .bind(v.track_id)
                .bind(v.project.as_str())
                .bind(v.team.as_str())
                .bind(v.leader.as_str())
                .bind(v.school.as_str())
                .bind(v.field.as_str())
                .bind(v.brief.as_str())
                .bind(n.person_id)
                .bind(n.phone_enc.as_deref())
                .bind(v.registered_on)
                .bind(n.user_id)
                .bind(n.now)
                .fetch_one(&mut *self)
                .await?)
            }

            async fn insert_round(&mut self, edition: i64, round: &ValidRound) -> Result<i64> {
                Ok(sqlx::query_scalar(
                    "INSERT INTO contest_rounds (edition_id, stage, scale, judges, held_on) \
                     VALUES ($1, $2, $3, $4, $5) RETURNING id",
                )
                .bind(edition)
                .bind(round.stage.code())
                .bind(round.scale)
                .bind(round.judges.join("\n"))
                .bind(round.held_on)
                .fetch_one(&mut *self)
                .await?)
            }

            async fn put_score(&mut self, (round, entry): (i64, i64), score: i64, now: DateTime<Utc>) -> Result<()> {
                sqlx::query(
                    "INSERT INTO contest_scores (round_id, entry_id, score, scored_at) VALUES ($1, $2, $3, $4) \
                     ON CONFLICT (round_id, entry_id) DO UPDATE SET score = excluded.score, scored_at = excluded.scored_at",
                )
                .bind(round)
                .bind(entry)
                .bind(score)
                .bind(now)
                .execute(&mut *self)
                .await?;
                Ok(())
            }

            async fn insert_advance(&mut self, round: i64, entry: i64, now: DateTime<Utc>) -> Result<()> {
                sqlx::query("INSERT INTO contest_advances (round_id, entry_id, advanced_at) VALUES ($1, $2, $3)")
                    .bind(round)
                    .bind(entry)
                    .bind(now)
                    .execute(&mut *self)
                    .await?;
                Ok(())
            }

            async fn set_award(&mut self, entry: i64, award: &ValidAward, now: DateTime<Utc>) -> Result<()> {
                sqlx::query(
                    "UPDATE contest_entries SET award_grade = $1, award_amount = $2, awarded_on = $3, updated_at = $4 WHERE id = $5",
                )
                .bind(award.grade.code())
                .bind(award.amount)
                .bind(award.awarded_on)
                .bind(now)
                .bind(entry)
                .execute(&mut *self)
                .await?;
                Ok(())
            }

            async fn insert_support(&mut self, entry: i64, support: &ValidSupport, unit: &str, (user, now): (i64, DateTime<Utc>)) -> Result<i64> {
                Ok(sqlx::query_scalar(
                    "INSERT INTO contest_support (entry_id, kind, given_on, unit_code, note, amount, created_by, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
                )
                .bind(entry)
                .bind(support.kind.code())
                .bind(support.given_on)
                .bind(unit)
                .bind(support.note.as_str())
                .bind(support.amount)
                .bind(user)
                .bind(now)
                .fetch_one(&mut *self)
                .await?)
            }

            async fn set_landing(&mut self, entry: i64, business: i64, day: NaiveDate, now: DateTime<Utc>) -> Result<()> {
                sqlx::query("UPDATE contest_entries SET business_id = $1, landed_on = $2, updated_at = $3 WHERE id = $4")
                    .bind(business)
                    .bind(day)
                    .bind(now)
                    .bind(entry)
                    .execute(&mut *self)
                    .await?;
                Ok(())
            }
        }
    };
}

impl_contest_write!(SqliteConnection);
impl_contest_write!(PgConnection);
