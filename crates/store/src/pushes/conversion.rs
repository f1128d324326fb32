//! From push to hire (issue 16 item 5): each push with what followed it, and the funnel per
//! street and per channel. A street's staff see their street's pushes; the district's readers
//! (区人社局, the task force) every street.

use chrono::{DateTime, Utc};
use linkong_core::access::{Actor, PeopleScope, Roster};
use linkong_core::plan::Plan;
use linkong_core::pushes::{Channel, Funnel, Stage, stage_of};
use linkong_core::subsidies::mask_name;
use serde::Serialize;

use crate::{Error, Result, Store, on_db};

/// Which pushes: of a year, optionally of one street, channel and stage reached.
#[derive(Debug, Clone, Default)]
pub struct PushFilter {
    pub year: i32,
    pub street: Option<String>,
    pub channel: Option<Channel>,
    pub stage: Option<Stage>,
}

/// One push and what followed it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PushTrail {
    pub id: i64,
    pub person_kind: String,
    pub person_ref: i64,
    pub name_masked: String,
    pub street_code: String,
    pub post_id: i64,
    pub post_title: String,
    pub employer_name: String,
    pub channel: Channel,
    pub reasons: String,
    pub pushed_at: DateTime<Utc>,
    pub pushed_by: String,
    pub viewed_at: Option<DateTime<Utc>>,
    pub application_id: Option<i64>,
    pub hired_at: Option<DateTime<Utc>>,
    pub stage: Stage,
}

/// The funnel of a year's pushes, per street and per channel.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Conversion {
    pub total: Funnel,
    pub by_street: Vec<(String, Funnel)>,
    pub by_channel: Vec<(Channel, Funnel)>,
}

#[derive(sqlx::FromRow)]
struct TrailRow {
    id: i64,
    person_kind: String,
    person_ref: i64,
    name: Option<String>,
    street_code: String,
    post_id: i64,
    post_title: String,
    employer_name: String,
    channel: String,
    reasons: String,
    pushed_at: DateTime<Utc>,
    pushed_by: String,
    viewed_at: Option<DateTime<Utc>>,
    application_id: Option<i64>,
    hired_at: Option<DateTime<Utc>>,
}

impl TrailRow {
    fn trail(self) -> Result<PushTrail> {
        let stage = stage_of(
            self.viewed_at.is_some(),
            self.application_id.is_some(),
            self.hired_at.is_some(),
        );
        Ok(PushTrail {
            id: self.id,
            person_kind: self.person_kind,
            person_ref: self.person_ref,
            name_masked: mask_name(self.name.as_deref().unwrap_or("")),
            street_code: self.street_code,
            post_id: self.post_id,
            post_title: self.post_title,
            employer_name: self.employer_name,
            channel: Channel::parse(&self.channel).map_err(Error::Config)?,
            reasons: self.reasons,
            pushed_at: self.pushed_at,
            pushed_by: self.pushed_by,
            viewed_at: self.viewed_at,
            application_id: self.application_id,
            hired_at: self.hired_at,
            stage,
        })
    }
}

const TRAIL_SELECT: &str = "SELECT jp.id, jp.person_kind, jp.person_ref, \
     COALESCE(pe.name, a.name) AS name, jp.street_code, jp.post_id, p.title AS post_title, \
     e.name AS employer_name, jp.channel, jp.reasons, jp.pushed_at, u.username AS pushed_by, \
     jp.viewed_at, jp.application_id, ap.hired_at FROM job_pushes jp \
     JOIN job_posts p ON p.id = jp.post_id JOIN employers e ON e.id = p.employer_id \
     JOIN users u ON u.id = jp.pushed_by LEFT JOIN persons pe ON pe.id = jp.person_id \
     LEFT JOIN applicants a ON a.id = jp.applicant_id \
     LEFT JOIN applications ap ON ap.id = jp.application_id";

/// The most pushes one trail page lists.
const MAX_TRAIL: usize = 2000;

impl Store {
    /// The pushes of `filter` the actor reaches, newest first (at most 2000). A street the
    /// actor does not reach is refused (and audited).
    pub async fn push_trail(
        &self,
        plan: &Plan,
        actor: &Actor,
        filter: &PushFilter,
        ip: &str,
    ) -> Result<Vec<PushTrail>> {
        let street = self
            .trail_street(plan, actor, filter.street.as_deref(), ip)
            .await?;
        let all = self.year_pushes(filter.year, street.as_deref()).await?;
        Ok(all
            .into_iter()
            .filter(|t| filter.channel.is_none_or(|c| c == t.channel))
            .filter(|t| filter.stage.is_none_or(|s| reached(t.stage, s)))
            .take(MAX_TRAIL)
            .collect())
    }

    /// The funnel of `year`'s pushes the actor reaches, per street and per channel.
    pub async fn push_conversion(
        &self,
        plan: &Plan,
        actor: &Actor,
        year: i32,
        ip: &str,
    ) -> Result<Conversion> {
        let street = self.trail_street(plan, actor, None, ip).await?;
        let mut conversion = Conversion::default();
        for trail in self.year_pushes(year, street.as_deref()).await? {
            conversion.total.add(trail.stage);
            funnel_of(&mut conversion.by_street, trail.street_code.clone()).add(trail.stage);
            funnel_of(&mut conversion.by_channel, trail.channel).add(trail.stage);
        }
        conversion.by_street.sort_by(|a, b| a.0.cmp(&b.0));
        conversion
            .by_channel
            .sort_by_key(|(c, _)| Channel::ALL.iter().position(|x| x == c));
        Ok(conversion)
    }

    /// The pushes of graduate or person rows matching `condition` (`$1` bound to `value`).
    pub(crate) async fn push_trail_where(
        &self,
        condition: &str,
        value: i64,
    ) -> Result<Vec<PushTrail>> {
        let rows: Vec<TrailRow> = on_db!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "{TRAIL_SELECT} WHERE {condition} ORDER BY jp.id DESC"
        )))
        .bind(value)
        .fetch_all(pool)
        .await?);
        rows.into_iter().map(TrailRow::trail).collect()
    }

    /// The street a trail or funnel is limited to: the one asked, if the actor reaches it; the
    /// actor's own for a street's staff; none (every street) for the district's readers.
    async fn trail_street(
        &self,
        plan: &Plan,
        actor: &Actor,
        asked: Option<&str>,
        ip: &str,
    ) -> Result<Option<String>> {
        match (actor.people_scope(plan, Roster::Graduates), asked) {
            (PeopleScope::All, asked) => Ok(asked.map(str::to_owned)),
            (PeopleScope::Street(own), None) => Ok(Some(own)),
            (PeopleScope::Street(own), Some(asked)) if own == asked => Ok(Some(own)),
            _ => Err(self
                .deny(
                    actor,
                    format!("job_pushes:{}", asked.unwrap_or("*")),
                    "只能查看本街道的岗位推送",
                    ip,
                )
                .await),
        }
    }

    /// A year's pushes (by the local day pushed), of one street or all, newest first.
    async fn year_pushes(&self, year: i32, street: Option<&str>) -> Result<Vec<PushTrail>> {
        let (from, to) = crate::jobs::year_bounds(year);
        let rows: Vec<TrailRow> = on_db!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "{TRAIL_SELECT} WHERE ($1 = '' OR jp.street_code = $1) \
             AND jp.pushed_at >= $2 AND jp.pushed_at < $3 ORDER BY jp.id DESC"
        )))
        .bind(street.unwrap_or(""))
        .bind(from)
        .bind(to)
        .fetch_all(pool)
        .await?);
        rows.into_iter().map(TrailRow::trail).collect()
    }
}

/// Whether a push at `stage` has reached `asked` (a hire has also been applied for, viewed, pushed).
fn reached(stage: Stage, asked: Stage) -> bool {
    let rank = |s: Stage| Stage::ALL.iter().position(|x| *x == s);
    rank(stage) >= rank(asked)
}

/// The funnel of `key` in `funnels`, added when missing.
fn funnel_of<K: PartialEq>(funnels: &mut Vec<(K, Funnel)>, key: K) -> &mut Funnel {
    let at = match funnels.iter().position(|(k, _)| *k == key) {
        Some(at) => at,
        None => {
            funnels.push((key, Funnel::default()));
            funnels.len() - 1
        }
    };
    &mut funnels[at].1
}
