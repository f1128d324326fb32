//! The “中国网谷杯” start-up contest (1.2.3): editions with their tracks, entries, rounds,
//! scores, advancing, awards, follow-on support and landings (the rules are `core::contest`,
//! who may do what `core::access`). Every read takes the `Actor` and refuses, audited, whoever
//! may not read the contest (streets among them); every write is one transaction with its
//! audit row, and the two that change 1.2.3's figures (an entry registered, an entry landed)
//! refresh their day's tally in it. The leader's phone is sealed and only shown masked.
//!
//! An edition is a few hundred entries at most: a page reads its rounds, scores and advances
//! whole and puts them together in Rust.

use chrono::{Datelike, NaiveDate};
use linkong_core::access::Actor;
use linkong_core::contest::{AwardGrade, Stage, Standing, SupportKind};
use linkong_core::plan::Plan;
use linkong_core::registry::Registry;
use linkong_core::time::local_date;
use serde::Serialize;

use crate::{Error, Result, Store, on_db};

mod write;

/// A track of an edition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Track {
    pub id: i64,
    pub name: String,
}

/// A round of an edition: its stage, scale (the highest score) and judges.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Round {
    pub id: i64,
    pub stage: Stage,
    pub scale: i64,
    pub judges: Vec<String>,
    pub held_on: NaiveDate,
}

/// An edition with its tracks and rounds (in stage order) and how many entries it has.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Edition {
    pub id: i64,
    pub year: i32,
    pub name: String,
    pub organiser: String,
    pub opens_on: NaiveDate,
    pub closes_on: NaiveDate,
    pub tracks: Vec<Track>,
    pub rounds: Vec<Round>,
    pub entries: i64,
    pub awarded: i64,
    pub landed: i64,
}

impl Edition {
    /// The round after `round_id`, in stage order.
    pub fn round_after(&self, round_id: i64) -> Option<&Round> {
        let at = self.rounds.iter().position(|r| r.id == round_id)?;
        self.rounds.get(at + 1)
    }

    /// The final, if the edition has one.
    pub fn final_round(&self) -> Option<&Round> {
        self.rounds.iter().find(|r| r.stage == Stage::Final)
    }
}

/// An award of the final; `amount` in 元.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Award {
    pub grade: AwardGrade,
    pub amount: i64,
    pub awarded_on: NaiveDate,
}

/// The returnee business a winning project became.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Landing {
    pub business_id: i64,
    pub business_name: String,
    pub landed_on: NaiveDate,
}

/// An entry's standing in one round of its edition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RoundResult {
    pub round_id: i64,
    pub stage: Stage,
    pub scale: i64,
    pub reached: bool,
    /// The panel's score, in hundredths.
    pub score: Option<i64>,
}

/// An entry as staff see it: the leader's phone masked, never in clear.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContestEntry {
    pub id: i64,
    pub edition_id: i64,
    pub year: i32,
    pub organiser: String,
    pub track_id: i64,
    pub track: String,
    pub project: String,
    pub team: String,
    pub leader: String,
    pub school: String,
    pub field: String,
    pub brief: String,
    /// The leader in the graduate roster or out-migrant registry, when linked.
    pub person_id: Option<i64>,
    pub phone_masked: String,
    pub registered_on: NaiveDate,
    pub award: Option<Award>,
    pub landing: Option<Landing>,
    /// The entry in each round of its edition, in stage order (filled on edition and entry
    /// pages; empty in lists).
    pub results: Vec<RoundResult>,
}

impl ContestEntry {
    /// The entry's standing in a round, as core's rules take it.
    pub fn standing(&self, round_id: i64) -> Standing {
        let result = self.results.iter().find(|r| r.round_id == round_id);
        Standing {
            reached: result.is_some_and(|r| r.reached),
            scored: result.is_some_and(|r| r.score.is_some()),
        }
    }

    /// The last round it reached.
    pub fn furthest(&self) -> Option<Stage> {
        self.results
            .iter()
            .rev()
            .find(|r| r.reached)
            .map(|r| r.stage)
    }
}

/// Follow-on support given to an entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Support {
    pub id: i64,
    pub kind: SupportKind,
    pub given_on: NaiveDate,
    pub unit_code: String,
    pub note: String,
    /// 元, for the angel fund.
    pub amount: Option<i64>,
}

/// An edition's page: the edition and its entries with their results, by track.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EditionPage {
    pub edition: Edition,
    pub entries: Vec<ContestEntry>,
}

/// An entry's page: the entry with its results, its edition and its support.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EntryPage {
    pub edition: Edition,
    pub entry: ContestEntry,
    pub support: Vec<Support>,
}

/// What the public portal shows of the current edition: no person data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PublicContest {
    pub year: i32,
    pub name: String,
    pub opens_on: NaiveDate,
    pub closes_on: NaiveDate,
    pub tracks: Vec<String>,
    pub entries: i64,
    pub winners: Vec<PublicWinner>,
}

/// An awarded project as the portal shows it: the project, its school, track and award.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PublicWinner {
    pub project: String,
    pub school: String,
    pub track: String,
    pub grade: AwardGrade,
    pub landed: bool,
}

#[derive(sqlx::FromRow)]
struct EditionRow {
    id: i64,
    year: i64,
    name: String,
    organiser: String,
    opens_on: NaiveDate,
    closes_on: NaiveDate,
    entries: i64,
    awarded: i64,
    landed: i64,
}

#[derive(sqlx::FromRow)]
struct RoundRow {
    id: i64,
    edition_id: i64,
    stage: String,
    scale: i64,
    judges: String,
    held_on: NaiveDate,
}

#[derive(sqlx::FromRow)]
struct EntryRow {
    id: i64,
    edition_id: i64,
    year: i64,
    organiser: String,
    track_id: i64,
    track: String,
    project: String,
    team: String,
    leader: String,
    school: String,
    field: String,
    brief: String,
    person_id: Option<i64>,
    phone_enc: Option<Vec<u8>>,
    registered_on: NaiveDate,
    award_grade: Option<String>,
    award_amount: Option<i64>,
    awarded_on: Option<NaiveDate>,
    business_id: Option<i64>,
    business_name: Option<String>,
    landed_on: Option<NaiveDate>,
}

const EDITION_SELECT: &str = "SELECT d.id, d.year, d.name, d.organiser, d.opens_on, d.closes_on, \
     (SELECT COUNT(*) FROM contest_entries e WHERE e.edition_id = d.id) AS entries, \
     (SELECT COUNT(*) FROM contest_entries e WHERE e.edition_id = d.id AND e.award_grade IS NOT NULL) AS awarded, \
     (SELECT COUNT(*) FROM contest_entries e WHERE e.edition_id = d.id AND e.landed_on IS NOT NULL) AS landed \
     FROM contest_editions d";

const ENTRY_SELECT: &str = "SELECT e.id, e.edition_id, d.year, d.organiser, e.track_id, t.name AS track, \
     e.project, e.team, e.leader, e.school, e.field, e.brief, e.person_id, e.phone_enc, e.registered_on, \
     e.award_grade, e.award_amount, e.awarded_on, e.business_id, b.name AS business_name, e.landed_on \
     FROM contest_entries e JOIN contest_editions d ON d.id = e.edition_id \
     JOIN contest_tracks t ON t.id = e.track_id LEFT JOIN businesses b ON b.id = e.business_id";

fn unreadable(what: &str, id: i64) -> Error {
    Error::Config(format!("大赛记录 {id} 的{what}无法识别"))
}

impl RoundRow {
    fn view(self) -> Result<Round> {
        Ok(Round {
            stage: Stage::parse(&self.stage).map_err(|_| unreadable("赛程", self.id))?,
            id: self.id,
            scale: self.scale,
            judges: self.judges.lines().map(str::to_owned).collect(),
            held_on: self.held_on,
        })
    }
}

impl Store {
    fn entry_view(&self, row: EntryRow) -> Result<ContestEntry> {
        let id = row.id;
        let award = match (row.award_grade, row.award_amount, row.awarded_on) {
            (Some(grade), Some(amount), Some(awarded_on)) => Some(Award {
                grade: AwardGrade::parse(&grade).map_err(|_| unreadable("奖项", id))?,
                amount,
                awarded_on,
            }),
            _ => None,
        };
        let landing = match (row.business_id, row.landed_on) {
            (Some(business_id), Some(landed_on)) => Some(Landing {
                business_id,
                business_name: row.business_name.unwrap_or_default(),
                landed_on,
            }),
            _ => None,
        };
        let phone_masked = match row.phone_enc {
            Some(sealed) if !sealed.is_empty() => {
                linkong_core::phone::mask_phone(&self.cipher()?.decrypt(&sealed)?)
            }
            _ => String::new(),
        };
        Ok(ContestEntry {
            id,
            edition_id: row.edition_id,
            year: i32::try_from(row.year).map_err(|_| unreadable("年度", id))?,
            organiser: row.organiser,
            track_id: row.track_id,
            track: row.track,
            project: row.project,
            team: row.team,
            leader: row.leader,
            school: row.school,
            field: row.field,
            brief: row.brief,
            person_id: row.person_id,
            phone_masked,
            registered_on: row.registered_on,
            award,
            landing,
            results: Vec::new(),
        })
    }

    /// Refuses, and audits, an actor who may not read the contest.
    async fn check_reads_contest(
        &self,
        plan: &Plan,
        actor: &Actor,
        target: String,
        ip: &str,
    ) -> Result<()> {
        if actor.may_read_contest(plan) {
            return Ok(());
        }
        Err(self
            .deny(
                actor,
                target,
                "只有任务 1.2.3 的牵头和配合单位可以查看创新创业大赛",
                ip,
            )
            .await)
    }

    /// Refuses, and audits, an actor who does not organise the contest; its unit otherwise.
    async fn check_organiser(
        &self,
        plan: &Plan,
        actor: &Actor,
        target: String,
        ip: &str,
    ) -> Result<String> {
        if let Some(unit) = actor.contest_organiser(plan) {
            return Ok(unit.to_owned());
        }
        Err(self
            .deny(actor, target, "只有大赛主办单位（区经科局）可以办理", ip)
            .await)
    }

    /// Editions with their tracks and rounds, `id` one or all (0), newest year first.
    async fn edition_rows(&self, id: i64) -> Result<Vec<Edition>> {
        let rows: Vec<EditionRow> = on_db!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "{EDITION_SELECT} WHERE ($1 = 0 OR d.id = $1) ORDER BY d.year DESC"
        )))
        .bind(id)
        .fetch_all(pool)
        .await?);
        let tracks: Vec<(i64, i64, String)> = on_db!(self, pool => sqlx::query_as(
            "SELECT id, edition_id, name FROM contest_tracks WHERE ($1 = 0 OR edition_id = $1) ORDER BY position, id"
        )
        .bind(id)
        .fetch_all(pool)
        .await?);
        let rounds: Vec<RoundRow> = on_db!(self, pool => sqlx::query_as(
            "SELECT id, edition_id, stage, scale, judges, held_on FROM contest_rounds WHERE ($1 = 0 OR edition_id = $1)"
        )
        .bind(id)
        .fetch_all(pool)
        .await?);
        let mut rounds = rounds
            .into_iter()
            .map(|r| Ok((r.edition_id, r.view()?)))
            .collect::<Result<Vec<_>>>()?;
        rounds.sort_by_key(|(_, r)| r.stage.rank());
        rows.into_iter()
            .map(|row| {
                Ok(Edition {
                    year: i32::try_from(row.year).map_err(|_| unreadable("年度", row.id))?,
                    tracks: tracks
                        .iter()
                        .filter(|(_, e, _)| *e == row.id)
                        .map(|(id, _, name)| Track {
                            id: *id,
                            name: name.clone(),
                        })
                        .collect(),
                    rounds: rounds
                        .iter()
                        .filter(|(e, _)| *e == row.id)
                        .map(|(_, r)| r.clone())
                        .collect(),
                    id: row.id,
                    name: row.name,
                    organiser: row.organiser,
                    opens_on: row.opens_on,
                    closes_on: row.closes_on,
                    entries: row.entries,
                    awarded: row.awarded,
                    landed: row.landed,
                })
            })
            .collect()
    }

    pub(crate) async fn stored_edition(&self, id: i64) -> Result<Edition> {
        self.edition_rows(id)
            .await?
            .pop()
            .filter(|_| id > 0)
            .ok_or_else(|| Error::not_found("该届大赛不存在"))
    }

    /// Entries matching `sql_where` (binding `$1`), without their results.
    async fn contest_entry_rows(&self, sql_where: &str, key: i64) -> Result<Vec<ContestEntry>> {
        let rows: Vec<EntryRow> = on_db!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "{ENTRY_SELECT} WHERE {sql_where} ORDER BY t.position, e.registered_on, e.id"
        )))
        .bind(key)
        .fetch_all(pool)
        .await?);
        rows.into_iter().map(|r| self.entry_view(r)).collect()
    }

    /// Puts each entry's results in the rounds of `edition` together: the first round is every
    /// entry's; a later one only of the entries advanced into it.
    async fn with_contest_results(
        &self,
        edition: &Edition,
        entries: &mut [ContestEntry],
    ) -> Result<()> {
        let scores: Vec<(i64, i64, i64)> = on_db!(self, pool => sqlx::query_as(
            "SELECT s.round_id, s.entry_id, s.score FROM contest_scores s \
             JOIN contest_rounds r ON r.id = s.round_id WHERE r.edition_id = $1"
        )
        .bind(edition.id)
        .fetch_all(pool)
        .await?);
        let advances: Vec<(i64, i64)> = on_db!(self, pool => sqlx::query_as(
            "SELECT a.round_id, a.entry_id FROM contest_advances a \
             JOIN contest_rounds r ON r.id = a.round_id WHERE r.edition_id = $1"
        )
        .bind(edition.id)
        .fetch_all(pool)
        .await?);
        let first = edition.rounds.first().map(|r| r.id);
        for entry in entries {
            entry.results = edition
                .rounds
                .iter()
                .map(|round| RoundResult {
                    round_id: round.id,
                    stage: round.stage,
                    scale: round.scale,
                    reached: Some(round.id) == first || advances.contains(&(round.id, entry.id)),
                    score: scores
                        .iter()
                        .find(|(r, e, _)| *r == round.id && *e == entry.id)
                        .map(|(_, _, s)| *s),
                })
                .collect();
        }
        Ok(())
    }

    /// The editions, newest first, for readers of the contest; refused and audited otherwise.
    pub async fn contest_editions(
        &self,
        plan: &Plan,
        actor: &Actor,
        ip: &str,
    ) -> Result<Vec<Edition>> {
        self.check_reads_contest(plan, actor, "contest".into(), ip)
            .await?;
        self.edition_rows(0).await
    }

    /// An edition with its entries and their results, for readers of the contest.
    pub async fn contest_edition(
        &self,
        plan: &Plan,
        actor: &Actor,
        id: i64,
        ip: &str,
    ) -> Result<EditionPage> {
        self.check_reads_contest(plan, actor, format!("contest:{id}"), ip)
            .await?;
        let edition = self.stored_edition(id).await?;
        let mut entries = self.contest_entry_rows("e.edition_id = $1", id).await?;
        self.with_contest_results(&edition, &mut entries).await?;
        Ok(EditionPage { edition, entries })
    }

    pub(crate) async fn stored_entry_page(&self, id: i64) -> Result<EntryPage> {
        let mut entries = self.contest_entry_rows("e.id = $1", id).await?;
        let Some(mut entry) = entries.pop() else {
            return Err(Error::not_found("该参赛项目不存在"));
        };
        let edition = self.stored_edition(entry.edition_id).await?;
        self.with_contest_results(&edition, std::slice::from_mut(&mut entry))
            .await?;
        let rows: Vec<(i64, String, NaiveDate, String, String, Option<i64>)> = on_db!(self, pool => sqlx::query_as(
            "SELECT id, kind, given_on, unit_code, note, amount FROM contest_support \
             WHERE entry_id = $1 ORDER BY given_on, id"
        )
        .bind(id)
        .fetch_all(pool)
        .await?);
        let support = rows
            .into_iter()
            .map(|(sid, kind, given_on, unit_code, note, amount)| {
                Ok(Support {
                    kind: SupportKind::parse(&kind).map_err(|_| unreadable("服务类型", sid))?,
                    id: sid,
                    given_on,
                    unit_code,
                    note,
                    amount,
                })
            })
            .collect::<Result<_>>()?;
        Ok(EntryPage {
            edition,
            entry,
            support,
        })
    }

    /// An entry with its results and support, for readers of the contest.
    pub async fn contest_entry(
        &self,
        plan: &Plan,
        actor: &Actor,
        id: i64,
        ip: &str,
    ) -> Result<EntryPage> {
        self.check_reads_contest(plan, actor, format!("contest_entry:{id}"), ip)
            .await?;
        self.stored_entry_page(id).await
    }

    /// The entries of an edition (all editions: 0), without results, for readers of the contest.
    pub async fn contest_entries(
        &self,
        plan: &Plan,
        actor: &Actor,
        edition: i64,
        ip: &str,
    ) -> Result<Vec<ContestEntry>> {
        self.check_reads_contest(plan, actor, format!("contest:{edition}"), ip)
            .await?;
        self.contest_entry_rows("($1 = 0 OR e.edition_id = $1)", edition)
            .await
    }

    /// The winning projects landed as this business, as far as the actor reads the contest
    /// (none when it reads none): for the business's page.
    pub async fn contest_landings_of(
        &self,
        plan: &Plan,
        actor: &Actor,
        business: i64,
    ) -> Result<Vec<ContestEntry>> {
        if !actor.may_read_contest(plan) {
            return Ok(Vec::new());
        }
        self.contest_entry_rows("e.business_id = $1", business)
            .await
    }

    /// The rows behind `unit`'s 1.2.3 figure of `registry` in `year`: entries registered, or
    /// entries landed, up to today. Readers of the unit's records only.
    pub async fn contest_counted(
        &self,
        actor: &Actor,
        registry: Registry,
        unit: &str,
        year: i32,
        ip: &str,
    ) -> Result<Vec<ContestEntry>> {
        if !actor.may_read_records_of(unit) {
            return Err(self
                .deny(actor, format!("contest:{unit}"), "只能查看本单位的明细", ip)
                .await);
        }
        let today = local_date(self.now());
        let in_year = |day: Option<NaiveDate>| day.is_some_and(|d| d.year() == year && d <= today);
        let mut rows = self
            .contest_entry_rows("($1 = 0 OR e.edition_id = $1)", 0)
            .await?;
        rows.retain(|e| {
            e.organiser == unit
                && match registry {
                    Registry::ContestLandings => in_year(e.landing.as_ref().map(|l| l.landed_on)),
                    _ => in_year(Some(e.registered_on)),
                }
        });
        Ok(rows)
    }

    /// The current edition as the public portal shows it (the latest that has opened): its
    /// tracks and awarded projects, names of projects and schools only.
    pub async fn public_contest(&self) -> Result<Option<PublicContest>> {
        let today = local_date(self.now());
        let Some(edition) = self
            .edition_rows(0)
            .await?
            .into_iter()
            .find(|e| e.opens_on <= today)
        else {
            return Ok(None);
        };
        let mut winners: Vec<PublicWinner> = self
            .contest_entry_rows(
                "e.edition_id = $1 AND e.award_grade IS NOT NULL",
                edition.id,
            )
            .await?
            .into_iter()
            .filter_map(|e| {
                let award = e.award?;
                Some(PublicWinner {
                    project: e.project,
                    school: e.school,
                    track: e.track,
                    grade: award.grade,
                    landed: e.landing.is_some(),
                })
            })
            .collect();
        winners.sort_by_key(|w| AwardGrade::ALL.iter().position(|g| *g == w.grade));
        Ok(Some(PublicContest {
            year: edition.year,
            name: edition.name,
            opens_on: edition.opens_on,
            closes_on: edition.closes_on,
            tracks: edition.tracks.into_iter().map(|t| t.name).collect(),
            entries: edition.entries,
            winners,
        }))
    }

    /// Entries registered (or, `landed`, landed) within [from, to]: (id, organiser, day), the
    /// reference the tallies are held to.
    pub(crate) async fn contest_rows(
        &self,
        landed: bool,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<(i64, String, NaiveDate)>> {
        let sql = if landed {
            "SELECT e.id, d.organiser, e.landed_on FROM contest_entries e JOIN contest_editions d ON d.id = e.edition_id \
             WHERE e.landed_on IS NOT NULL AND e.landed_on >= $1 AND e.landed_on <= $2"
        } else {
            "SELECT e.id, d.organiser, e.registered_on FROM contest_entries e JOIN contest_editions d ON d.id = e.edition_id \
             WHERE e.registered_on >= $1 AND e.registered_on <= $2"
        };
        Ok(on_db!(self, pool => sqlx::query_as(sql)
            .bind(from)
            .bind(to)
            .fetch_all(pool)
            .await?))
    }
}
