//! Campus programmes (task 1.2.1 and 1.1.2's 一校一策): universities and the liaison stations
//! at them, campus activities, internship bases, internship placements, recruitment plans per
//! university and year with the campus fairs held under them. 政策宣传 activities fill
//! 1.2.1.policy_events and placements 1.2.1.interns (see `linkong_core::campus` for how they
//! count); each write refreshes the days it changes in its own transaction, with its audit row.
//!
//! Who may do what is core's (`Actor::campus_unit`, `campus_scope`); every refusal is audited.
//! Reads here, writes in `campus/write.rs`.

use chrono::NaiveDate;
use linkong_core::access::{Actor, CampusScope};
use linkong_core::campus::{ActivityKind, InternshipOutcome, counted_placements, industries_of};
use linkong_core::time::local_date;
use serde::Serialize;

use crate::{Error, Result, Store, on_db};

mod write;

/// A university with how many liaison stations the district keeps at it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct University {
    pub id: i64,
    pub name: String,
    pub stations: i64,
}

/// A liaison station (驻高校大学生就业创业服务联络站); the contact's phone masked.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Station {
    pub id: i64,
    pub university_id: i64,
    pub university: String,
    pub host_unit: String,
    pub contact_name: String,
    /// 138****5678; empty when none was given.
    pub contact_phone_masked: String,
    pub opened_on: NaiveDate,
}

/// A campus activity.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Activity {
    pub id: i64,
    pub kind: ActivityKind,
    pub organiser: String,
    pub university_id: i64,
    pub university: String,
    pub held_on: NaiveDate,
    pub participants: i64,
    pub note: String,
}

/// An internship base (实习实训基地) with its partner universities or colleges.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Base {
    pub id: i64,
    pub name: String,
    /// The host employer in the employers registry, if registered there.
    pub employer_id: Option<i64>,
    pub employer_name: String,
    pub partners: Vec<String>,
    pub unit_code: String,
    pub places: i64,
    /// Placements at the base, all years.
    pub placed: i64,
}

/// An internship placement (实习实训).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Placement {
    pub id: i64,
    pub student_name: String,
    pub student_no: String,
    pub university_id: i64,
    pub university: String,
    pub major: String,
    pub employer_id: Option<i64>,
    pub employer_name: String,
    pub base_id: Option<i64>,
    pub base_name: Option<String>,
    pub organiser: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    /// `null` while running or not yet recorded.
    pub outcome: Option<InternshipOutcome>,
    /// Counts for 1.2.1.interns (the student's first placement with the unit that year);
    /// only known on lists of a whole year.
    pub counted: bool,
}

/// A recruitment plan (一校一策, 1.1.2) of a university for a year, with the campus fairs held
/// under it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RecruitmentPlan {
    pub id: i64,
    pub university_id: i64,
    pub university: String,
    pub year: i32,
    pub disciplines: String,
    pub wishes: String,
    /// The fitting leading industries (their names).
    pub industries: Vec<String>,
    pub fairs_planned: i64,
    /// Campus fairs (recruitment events of kind campus_fair) linked to the university and
    /// held in the year, up to today.
    pub fairs_held: i64,
    pub unit_code: String,
}

/// A campus fair (a recruitment event of kind campus_fair).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct CampusFair {
    pub event_id: i64,
    pub title: String,
    pub held_on: NaiveDate,
    pub organiser: String,
}

/// What the campus page shows for a year.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CampusOverview {
    pub year: i32,
    pub universities: Vec<University>,
    pub stations: Vec<Station>,
    pub bases: Vec<Base>,
    pub plans: Vec<RecruitmentPlan>,
    /// The activities held in the year, of the units the reader reads.
    pub activities: Vec<Activity>,
    /// The placements started in the year, of the units the reader reads.
    pub placements: Vec<Placement>,
}

/// A university with everything the district does there in a year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UniversityDetail {
    pub university: University,
    pub stations: Vec<Station>,
    pub plan: Option<RecruitmentPlan>,
    /// Campus fairs linked to the university, held in the year.
    pub fairs: Vec<CampusFair>,
    /// Campus fairs of the year not yet linked to any university.
    pub unlinked_fairs: Vec<CampusFair>,
    pub activities: Vec<Activity>,
    pub placements: Vec<Placement>,
}

/// Filters of the campus lists.
#[derive(Debug, Clone)]
pub struct CampusFilter {
    pub year: i32,
    /// The recording unit.
    pub unit: Option<String>,
}

#[derive(sqlx::FromRow)]
struct StationRow {
    id: i64,
    university_id: i64,
    university: String,
    host_unit: String,
    contact_name: String,
    contact_phone_enc: Option<Vec<u8>>,
    opened_on: NaiveDate,
}

#[derive(sqlx::FromRow)]
struct ActivityRow {
    id: i64,
    kind: String,
    organiser: String,
    university_id: i64,
    university: String,
    held_on: NaiveDate,
    participants: i64,
    note: String,
}

#[derive(sqlx::FromRow)]
struct BaseRow {
    id: i64,
    name: String,
    employer_id: Option<i64>,
    employer_name: String,
    partners: String,
    unit_code: String,
    places: i64,
    placed: i64,
}

#[derive(sqlx::FromRow)]
struct PlacementRow {
    id: i64,
    student_name: String,
    student_no: String,
    university_id: i64,
    university: String,
    major: String,
    employer_id: Option<i64>,
    employer_name: String,
    base_id: Option<i64>,
    base_name: Option<String>,
    organiser: String,
    starts_on: NaiveDate,
    ends_on: NaiveDate,
    outcome: Option<String>,
}

#[derive(sqlx::FromRow)]
struct PlanRow {
    id: i64,
    university_id: i64,
    university: String,
    year: i64,
    disciplines: String,
    wishes: String,
    industries: String,
    fairs_planned: i64,
    fairs_held: i64,
    unit_code: String,
}

const UNIVERSITY_SELECT: &str = "SELECT u.id, u.name, \
     CAST((SELECT COUNT(*) FROM campus_stations s WHERE s.university_id = u.id) AS BIGINT) AS stations \
     FROM universities u";

const STATION_SELECT: &str = "SELECT s.id, s.university_id, u.name AS university, s.host_unit, s.contact_name, \
     s.contact_phone_enc, s.opened_on FROM campus_stations s JOIN universities u ON u.id = s.university_id \
     WHERE ($1 = 0 OR s.university_id = $1) ORDER BY u.name, s.opened_on, s.id";

/// `$1` the unit ('' any), `$2`..`$3` the days, `$4` the university (0 any).
const ACTIVITY_SELECT: &str = "SELECT a.id, a.kind, a.organiser, a.university_id, u.name AS university, a.held_on, \
     a.participants, a.note FROM campus_activities a JOIN universities u ON u.id = a.university_id \
     WHERE ($1 = '' OR a.organiser = $1) AND a.held_on >= $2 AND a.held_on <= $3 AND ($4 = 0 OR a.university_id = $4) \
     ORDER BY a.held_on DESC, a.id DESC";

const BASE_SELECT: &str = "SELECT b.id, b.name, b.employer_id, b.employer_name, b.partners, b.unit_code, b.places, \
     CAST((SELECT COUNT(*) FROM internships i WHERE i.base_id = b.id) AS BIGINT) AS placed \
     FROM internship_bases b ORDER BY b.name";

const PLACEMENT_COLUMNS: &str = "SELECT i.id, i.student_name, i.student_no, i.university_id, u.name AS university, \
     i.major, i.employer_id, i.employer_name, i.base_id, b.name AS base_name, i.organiser, i.starts_on, i.ends_on, \
     i.outcome FROM internships i JOIN universities u ON u.id = i.university_id \
     LEFT JOIN internship_bases b ON b.id = i.base_id";

/// `$1` the unit ('' any), `$2` the year, `$3` the university (0 any).
const PLACEMENT_WHERE: &str = " WHERE ($1 = '' OR i.organiser = $1) AND i.year = $2 AND ($3 = 0 OR i.university_id = $3) \
     ORDER BY i.starts_on DESC, i.id DESC";

/// `$1` the year, `$2` today, `$3` the university (0 any).
const PLAN_SELECT: &str = "SELECT p.id, p.university_id, u.name AS university, p.year, p.disciplines, p.wishes, \
     p.industries, p.fairs_planned, p.unit_code, CAST((SELECT COUNT(*) FROM campus_fair_links l \
     JOIN recruitment_events e ON e.id = l.event_id WHERE l.university_id = p.university_id \
     AND e.kind = 'campus_fair' AND e.held_on >= $4 AND e.held_on <= $2) AS BIGINT) AS fairs_held \
     FROM campus_plans p JOIN universities u ON u.id = p.university_id \
     WHERE p.year = $1 AND ($3 = 0 OR p.university_id = $3) ORDER BY u.name";

/// `$1` the university (0: fairs linked to none), `$2`..`$3` the days.
const FAIR_SELECT: &str = "SELECT e.id AS event_id, e.title, e.held_on, e.organiser FROM recruitment_events e \
     LEFT JOIN campus_fair_links l ON l.event_id = e.id WHERE e.kind = 'campus_fair' \
     AND e.held_on >= $2 AND e.held_on <= $3 AND (($1 = 0 AND l.event_id IS NULL) OR l.university_id = $1) \
     ORDER BY e.held_on, e.id";

fn year_days(year: i32) -> (NaiveDate, NaiveDate) {
    let day = |m, d| NaiveDate::from_ymd_opt(year, m, d).unwrap_or_default();
    (day(1, 1), day(12, 31))
}

fn unreadable(what: &str, id: i64) -> Error {
    Error::Config(format!("校园工作记录 {id} 的{what}无法识别"))
}

impl Store {
    /// Which units' campus rows the actor reads; refused (and audited) when none.
    async fn campus_scope(&self, actor: &Actor, ip: &str) -> Result<CampusScope> {
        let scope = actor.campus_scope();
        if scope == CampusScope::Nothing {
            return Err(self
                .deny(actor, "campus".into(), "无权查看校园工作台账", ip)
                .await);
        }
        Ok(scope)
    }

    /// The unit whose activities and placements a list shows, as the scope allows; asking for
    /// another unit's is refused and audited.
    async fn campus_unit_of(&self, actor: &Actor, asked: Option<&str>, ip: &str) -> Result<String> {
        let scope = self.campus_scope(actor, ip).await?;
        match scope.unit_of(asked) {
            Ok(unit) => Ok(unit.unwrap_or_default().to_owned()),
            Err(why) => Err(self
                .deny(
                    actor,
                    format!("campus:unit:{}", asked.unwrap_or_default()),
                    why,
                    ip,
                )
                .await),
        }
    }

    /// Every university, stations, bases, the year's plans, and the year's activities and
    /// placements of the units the actor reads (`filter.unit`: one of them).
    pub async fn campus_overview(
        &self,
        actor: &Actor,
        filter: &CampusFilter,
        ip: &str,
    ) -> Result<CampusOverview> {
        let unit = self
            .campus_unit_of(actor, filter.unit.as_deref(), ip)
            .await?;
        Ok(CampusOverview {
            year: filter.year,
            universities: self.universities().await?,
            stations: self.campus_stations(0).await?,
            bases: self.internship_bases().await?,
            plans: self.campus_plans(filter.year, 0).await?,
            activities: self.campus_activities(&unit, filter.year, 0).await?,
            placements: self.internships(&unit, filter.year, 0).await?,
        })
    }

    /// A university with its stations, its plan, fairs, activities and placements of `year`
    /// (those of the units the actor reads).
    pub async fn university_detail(
        &self,
        actor: &Actor,
        id: i64,
        year: i32,
        ip: &str,
    ) -> Result<UniversityDetail> {
        let unit = self.campus_unit_of(actor, None, ip).await?;
        let university = self
            .universities()
            .await?
            .into_iter()
            .find(|u| u.id == id)
            .ok_or_else(|| Error::not_found(format!("高校 {id}")))?;
        let (from, to) = year_days(year);
        Ok(UniversityDetail {
            stations: self.campus_stations(id).await?,
            plan: self.campus_plans(year, id).await?.into_iter().next(),
            fairs: self.campus_fairs(id, from, to).await?,
            unlinked_fairs: self.campus_fairs(0, from, to).await?,
            activities: self.campus_activities(&unit, year, id).await?,
            placements: self.internships(&unit, year, id).await?,
            university,
        })
    }

    /// One placement, if the actor reads its unit's; refused and audited otherwise.
    pub async fn placement(&self, actor: &Actor, id: i64, ip: &str) -> Result<Placement> {
        let scope = self.campus_scope(actor, ip).await?;
        let row: Option<PlacementRow> = on_db!(self, pool => sqlx::query_as(
            sqlx::AssertSqlSafe(format!("{PLACEMENT_COLUMNS} WHERE i.id = $1"))
        )
        .bind(id)
        .fetch_optional(pool)
        .await?);
        let row = row.ok_or_else(|| Error::not_found(format!("实习实训记录 {id}")))?;
        if !scope.reaches(&row.organiser) {
            return Err(self
                .deny(
                    actor,
                    format!("internship:{id}"),
                    "只能查看本单位组织的实习实训",
                    ip,
                )
                .await);
        }
        placement_of(row)
    }

    /// Every placement of the year the actor reads (of `filter.unit`), for the xlsx export,
    /// audited with the row count.
    pub async fn export_placements(
        &self,
        actor: &Actor,
        filter: &CampusFilter,
        ip: &str,
    ) -> Result<Vec<Placement>> {
        let unit = self
            .campus_unit_of(actor, filter.unit.as_deref(), ip)
            .await?;
        let placements = self.internships(&unit, filter.year, 0).await?;
        self.audit(
            crate::audit::AuditEvent::new("internship.export", "export:internships")
                .by(Some(actor.user_id), &actor.username)
                .detail(format!(
                    "{} 年 {} 条实习实训记录",
                    filter.year,
                    placements.len()
                ))
                .from_ip(ip),
        )
        .await?;
        Ok(placements)
    }

    /// Every university, by name.
    pub async fn universities(&self) -> Result<Vec<University>> {
        Ok(on_db!(self, pool => sqlx::query_as(
            sqlx::AssertSqlSafe(format!("{UNIVERSITY_SELECT} ORDER BY u.name"))
        )
        .fetch_all(pool)
        .await?))
    }

    async fn campus_stations(&self, university: i64) -> Result<Vec<Station>> {
        let rows: Vec<StationRow> = on_db!(self, pool => sqlx::query_as(STATION_SELECT)
            .bind(university)
            .fetch_all(pool)
            .await?);
        rows.into_iter()
            .map(|r| {
                let contact_phone_masked = match r.contact_phone_enc {
                    Some(sealed) if !sealed.is_empty() => {
                        linkong_core::phone::mask_phone(&self.cipher()?.decrypt(&sealed)?)
                    }
                    _ => String::new(),
                };
                Ok(Station {
                    id: r.id,
                    university_id: r.university_id,
                    university: r.university,
                    host_unit: r.host_unit,
                    contact_name: r.contact_name,
                    contact_phone_masked,
                    opened_on: r.opened_on,
                })
            })
            .collect()
    }

    async fn campus_activities(
        &self,
        unit: &str,
        year: i32,
        university: i64,
    ) -> Result<Vec<Activity>> {
        let (from, to) = year_days(year);
        let rows: Vec<ActivityRow> = on_db!(self, pool => sqlx::query_as(ACTIVITY_SELECT)
            .bind(unit)
            .bind(from)
            .bind(to)
            .bind(university)
            .fetch_all(pool)
            .await?);
        rows.into_iter()
            .map(|r| {
                Ok(Activity {
                    kind: ActivityKind::parse(&r.kind).map_err(|_| unreadable("活动类型", r.id))?,
                    id: r.id,
                    organiser: r.organiser,
                    university_id: r.university_id,
                    university: r.university,
                    held_on: r.held_on,
                    participants: r.participants,
                    note: r.note,
                })
            })
            .collect()
    }

    async fn internship_bases(&self) -> Result<Vec<Base>> {
        let rows: Vec<BaseRow> = on_db!(self, pool => sqlx::query_as(BASE_SELECT)
            .fetch_all(pool)
            .await?);
        Ok(rows
            .into_iter()
            .map(|r| Base {
                id: r.id,
                name: r.name,
                employer_id: r.employer_id,
                employer_name: r.employer_name,
                partners: r.partners.lines().map(str::to_owned).collect(),
                unit_code: r.unit_code,
                places: r.places,
                placed: r.placed,
            })
            .collect())
    }

    /// The placements of `unit` ('' all) started in `year`, each marked whether it counts.
    async fn internships(&self, unit: &str, year: i32, university: i64) -> Result<Vec<Placement>> {
        let rows: Vec<PlacementRow> = on_db!(self, pool => sqlx::query_as(
            sqlx::AssertSqlSafe(format!("{PLACEMENT_COLUMNS}{PLACEMENT_WHERE}"))
        )
        .bind(unit)
        .bind(i64::from(year))
        .bind(university)
        .fetch_all(pool)
        .await?);
        let mut placements = rows
            .into_iter()
            .map(placement_of)
            .collect::<Result<Vec<_>>>()?;
        if university == 0 {
            let keys: Vec<(i64, String, String, NaiveDate)> = placements
                .iter()
                .map(|p| {
                    let student = format!("{}:{}", p.university_id, p.student_no);
                    (p.id, p.organiser.clone(), student, p.starts_on)
                })
                .collect();
            let counted = counted_placements(
                keys.iter()
                    .map(|(id, unit, student, day)| (*id, unit.as_str(), student.as_str(), *day)),
            );
            for p in &mut placements {
                p.counted = counted.contains(&p.id);
            }
        }
        Ok(placements)
    }

    async fn campus_plans(&self, year: i32, university: i64) -> Result<Vec<RecruitmentPlan>> {
        let today = local_date(self.now());
        let (from, _) = year_days(year);
        let rows: Vec<PlanRow> = on_db!(self, pool => sqlx::query_as(PLAN_SELECT)
            .bind(i64::from(year))
            .bind(today)
            .bind(university)
            .bind(from)
            .fetch_all(pool)
            .await?);
        rows.into_iter()
            .map(|r| {
                Ok(RecruitmentPlan {
                    year: i32::try_from(r.year).map_err(|_| unreadable("年度", r.id))?,
                    id: r.id,
                    university_id: r.university_id,
                    university: r.university,
                    disciplines: r.disciplines,
                    wishes: r.wishes,
                    industries: industries_of(&r.industries)
                        .into_iter()
                        .map(|i| i.label().to_owned())
                        .collect(),
                    fairs_planned: r.fairs_planned,
                    fairs_held: r.fairs_held,
                    unit_code: r.unit_code,
                })
            })
            .collect()
    }

    async fn campus_fairs(
        &self,
        university: i64,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<CampusFair>> {
        Ok(on_db!(self, pool => sqlx::query_as(FAIR_SELECT)
            .bind(university)
            .bind(from)
            .bind(to)
            .fetch_all(pool)
            .await?))
    }

    /// 政策宣传 activities held within [from, to], for the figures' reference: (id, unit, day).
    pub(crate) async fn policy_events_from_rows(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<(i64, String, NaiveDate)>> {
        Ok(on_db!(self, pool => sqlx::query_as(
            "SELECT id, organiser, held_on FROM campus_activities \
             WHERE kind = $1 AND held_on >= $2 AND held_on <= $3",
        )
        .bind(ActivityKind::PolicyPublicity.code())
        .bind(from)
        .bind(to)
        .fetch_all(pool)
        .await?))
    }

    /// The placements that count for 1.2.1.interns, started within [from, to], counted from
    /// every placement of those years by core's rule: (id, unit, day).
    pub(crate) async fn interns_from_rows(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<(i64, String, NaiveDate)>> {
        let (first, _) = year_days(chrono::Datelike::year(&from));
        let (_, last) = year_days(chrono::Datelike::year(&to));
        let rows: Vec<(i64, String, String, NaiveDate)> = on_db!(self, pool => sqlx::query_as(
            "SELECT id, organiser, CAST(university_id AS TEXT) || ':' || student_no, starts_on \
             FROM internships WHERE starts_on >= $1 AND starts_on <= $2",
        )
        .bind(first)
        .bind(last)
        .fetch_all(pool)
        .await?);
        let counted = counted_placements(
            rows.iter()
                .map(|(id, unit, student, day)| (*id, unit.as_str(), student.as_str(), *day)),
        );
        Ok(rows
            .into_iter()
            .filter(|(id, _, _, day)| counted.contains(id) && *day >= from && *day <= to)
            .map(|(id, unit, _, day)| (id, unit, day))
            .collect())
    }
}

fn placement_of(r: PlacementRow) -> Result<Placement> {
    let outcome = r
        .outcome
        .as_deref()
        .map(InternshipOutcome::parse)
        .transpose()
        .map_err(|_| unreadable("实习结果", r.id))?;
    Ok(Placement {
        id: r.id,
        student_name: r.student_name,
        student_no: r.student_no,
        university_id: r.university_id,
        university: r.university,
        major: r.major,
        employer_id: r.employer_id,
        employer_name: r.employer_name,
        base_id: r.base_id,
        base_name: r.base_name,
        organiser: r.organiser,
        starts_on: r.starts_on,
        ends_on: r.ends_on,
        outcome,
        counted: false,
    })
}
