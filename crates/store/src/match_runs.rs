//! The matching batch's input and its kept results (issue 16 items 4 and 6; migration 0042).
//! The batch reads who to score ([`Store::batch_seekers`]) and the open posts, scores them in
//! the app crate, and keeps each person's top N with [`Store::save_match_run`], replacing the
//! previous lists of the run's street (or the district's). Reading the kept lists
//! ([`Store::stored_matches`]) leaves out every post that is no longer open: a post closed
//! since the run is never shown or pushed from them.

use chrono::{DateTime, NaiveDate, Utc};
use linkong_core::access::{Actor, Roster};
use linkong_core::matching::batch::{SeekerKind, degree_education, returnee_seeker};
use linkong_core::matching::{Opening, Seeker};
use linkong_core::people::{Degree, Intention, Placement, Schooling};
use linkong_core::plan::Plan;
use linkong_core::time::local_date;
use serde::Serialize;

use crate::{BeginWrite, Error, Result, Store, on_db};

/// A person the batch scores, with the posts not to suggest again (already referred).
#[derive(Debug, Clone, PartialEq)]
pub struct BatchSeeker {
    pub kind: SeekerKind,
    /// graduates.id of a graduate, persons.id of a returnee.
    pub person_ref: i64,
    pub street_code: String,
    pub seeker: Seeker,
    pub left_out: Vec<i64>,
}

/// One kept suggestion of a run.
#[derive(Debug, Clone, PartialEq)]
pub struct NewMatchResult {
    pub kind: SeekerKind,
    pub person_ref: i64,
    pub street_code: String,
    /// 1 for the best.
    pub rank: i64,
    pub post_id: i64,
    pub score: f64,
    pub reasons: Vec<String>,
    pub warnings: Vec<String>,
}

/// A run as it is recorded.
#[derive(Debug, Clone, PartialEq)]
pub struct NewMatchRun<'a> {
    pub street: Option<&'a str>,
    pub top_n: usize,
    pub persons: usize,
    pub posts: usize,
    pub millis: u64,
    /// `command` or `nightly`.
    pub started_by: &'a str,
}

/// A recorded run.
#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct MatchRunEntry {
    pub id: i64,
    pub run_at: DateTime<Utc>,
    pub street_code: Option<String>,
    pub top_n: i64,
    pub persons: i64,
    pub posts: i64,
    pub results: i64,
    pub millis: i64,
    pub started_by: String,
}

/// A kept suggestion whose post is still open, with the person's and the post's names.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredMatch {
    pub kind: SeekerKind,
    pub person_ref: i64,
    pub person_name: String,
    pub street_code: String,
    pub rank: i64,
    pub post_id: i64,
    pub title: String,
    pub employer_name: String,
    pub score: f64,
    pub reasons: Vec<String>,
    pub warnings: Vec<String>,
    /// When the run that found it ran.
    pub run_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct StoredRow {
    person_kind: String,
    person_ref: i64,
    person_name: String,
    street_code: String,
    rank: i64,
    post_id: i64,
    title: String,
    employer_name: String,
    score_tenths: i64,
    reasons: String,
    warnings: String,
    run_at: DateTime<Utc>,
}

/// Rows written per INSERT (9 values each, well under both databases' limits).
const INSERT_ROWS: usize = 500;

fn lines(text: &str) -> Vec<String> {
    text.lines()
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

impl Store {
    /// Whom a batch of `year` scores, of `street` or the district: the unplaced graduates of
    /// the year and the returnees who mean to come back to work.
    pub async fn batch_seekers(&self, year: i32, street: Option<&str>) -> Result<Vec<BatchSeeker>> {
        let mut seekers = self.batch_graduates(year, street).await?;
        seekers.extend(self.batch_returnees(street).await?);
        Ok(seekers)
    }

    async fn batch_graduates(&self, year: i32, street: Option<&str>) -> Result<Vec<BatchSeeker>> {
        let rows: Vec<(i64, String, String, String)> = on_db!(self, pool => sqlx::query_as(
            "SELECT g.id, g.major, g.degree, p.street_code FROM graduates g \
             JOIN persons p ON p.id = g.person_id \
             WHERE g.year = $1 AND g.placement = $2 AND ($3 IS NULL OR p.street_code = $3) \
             ORDER BY g.id",
        )
        .bind(i64::from(year))
        .bind(Placement::NotYet.code())
        .bind(street)
        .fetch_all(pool)
        .await?);
        let referred = self.referred_posts(year).await?;
        rows.into_iter()
            .map(|(id, major, degree, street_code)| {
                let degree = Degree::parse(&degree)
                    .map_err(|_| Error::Config(format!("毕业生 {id} 的学历无法识别")))?;
                Ok(BatchSeeker {
                    kind: SeekerKind::Graduate,
                    person_ref: id,
                    seeker: Seeker {
                        major,
                        skills: Vec::new(),
                        education: degree_education(degree),
                        wanted_group: None,
                        wanted_occupation: None,
                        wanted_level: None,
                        wanted_salary: None,
                        home_street: street_code.clone(),
                        wanted_streets: Vec::new(),
                    },
                    street_code,
                    left_out: referred.get(&id).cloned().unwrap_or_default(),
                })
            })
            .collect()
    }

    async fn batch_returnees(&self, street: Option<&str>) -> Result<Vec<BatchSeeker>> {
        type Row = (i64, String, String, Option<String>, String);
        let rows: Vec<Row> = on_db!(self, pool => sqlx::query_as(
            "SELECT m.person_id, m.skills, m.occupation, p.schooling, p.street_code \
             FROM migrants m JOIN persons p ON p.id = m.person_id \
             WHERE m.intention = $1 AND ($2 IS NULL OR p.street_code = $2) ORDER BY m.person_id",
        )
        .bind(Intention::Work.code())
        .bind(street)
        .fetch_all(pool)
        .await?);
        Ok(rows
            .into_iter()
            .map(|(id, skills, occupation, schooling, street_code)| {
                let schooling = schooling.and_then(|s| Schooling::parse(&s).ok());
                BatchSeeker {
                    kind: SeekerKind::Returnee,
                    person_ref: id,
                    seeker: returnee_seeker(&skills, &occupation, schooling, &street_code),
                    street_code,
                    left_out: Vec::new(),
                }
            })
            .collect())
    }

    /// The posts open on `today` (published, valid, of a verified employer), by id.
    pub async fn open_openings(&self, today: NaiveDate) -> Result<Vec<(i64, Opening)>> {
        self.open_posts(today)
            .await?
            .iter()
            .map(|post| Ok((post.id, post.opening()?)))
            .collect()
    }

    /// Records a run and its results in one transaction, replacing the kept results of its
    /// street (or, for the district, all of them). Returns the run's id.
    pub async fn save_match_run(
        &self,
        run: &NewMatchRun<'_>,
        results: &[NewMatchResult],
    ) -> Result<i64> {
        let now = self.now();
        let _guard = self.write_lock.lock().await;
        Ok(on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO match_runs (run_at, street_code, top_n, persons, posts, results, \
                 millis, started_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
            )
            .bind(now)
            .bind(run.street)
            .bind(run.top_n as i64)
            .bind(run.persons as i64)
            .bind(run.posts as i64)
            .bind(results.len() as i64)
            .bind(run.millis as i64)
            .bind(run.started_by)
            .fetch_one(&mut *tx)
            .await?;
            sqlx::query("DELETE FROM match_results WHERE ($1 IS NULL OR street_code = $1)")
                .bind(run.street)
                .execute(&mut *tx)
                .await?;
            for chunk in results.chunks(INSERT_ROWS) {
                let mut sql = String::from(
                    "INSERT INTO match_results (run_id, person_kind, person_ref, street_code, \
                     rank, post_id, score_tenths, reasons, warnings) VALUES ",
                );
                for i in 0..chunk.len() {
                    let at = i * 9;
                    let values: Vec<String> = (1..=9).map(|k| format!("${}", at + k)).collect();
                    sql.push_str(if i == 0 { "(" } else { ", (" });
                    sql.push_str(&values.join(", "));
                    sql.push(')');
                }
                let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
                for result in chunk {
                    query = query
                        .bind(id)
                        .bind(result.kind.code())
                        .bind(result.person_ref)
                        .bind(result.street_code.as_str())
                        .bind(result.rank)
                        .bind(result.post_id)
                        .bind((result.score * 10.0).round() as i64)
                        .bind(result.reasons.join("\n"))
                        .bind(result.warnings.join("\n"));
                }
                query.execute(&mut *tx).await?;
            }
            tx.commit().await?;
            id
        }))
    }

    /// The latest run, of any street or the district (the nightly job's "is it due?").
    pub async fn last_match_run(&self) -> Result<Option<MatchRunEntry>> {
        Ok(on_db!(self, pool => sqlx::query_as(
            "SELECT id, run_at, street_code, top_n, persons, posts, results, millis, started_by \
             FROM match_runs ORDER BY id DESC LIMIT 1",
        )
        .fetch_optional(pool)
        .await?))
    }

    /// The kept suggestions of the persons the actor reaches (of `street`, or all they reach),
    /// best first per person, leaving out posts no longer open today. A street the actor does
    /// not reach is refused (and audited).
    pub async fn stored_matches(
        &self,
        plan: &Plan,
        actor: &Actor,
        street: Option<&str>,
        ip: &str,
    ) -> Result<Vec<StoredMatch>> {
        let graduates = actor.people_scope(plan, Roster::Graduates);
        let returnees = actor.people_scope(plan, Roster::Migrants);
        if let Some(street) = street
            && !graduates.reaches(street)
            && !returnees.reaches(street)
        {
            let target = format!("street:{street}");
            return Err(self.deny(actor, target, "只能查看本街道户籍人员", ip).await);
        }
        let today = local_date(self.now());
        let rows: Vec<StoredRow> = on_db!(self, pool => sqlx::query_as(
            "SELECT r.person_kind, r.person_ref, COALESCE(pg.name, pr.name, '') AS person_name, \
             r.street_code, r.rank, r.post_id, j.title, e.name AS employer_name, r.score_tenths, \
             r.reasons, r.warnings, m.run_at FROM match_results r \
             JOIN match_runs m ON m.id = r.run_id \
             JOIN job_posts j ON j.id = r.post_id \
             JOIN employers e ON e.id = j.employer_id \
             LEFT JOIN graduates g ON r.person_kind = 'graduate' AND g.id = r.person_ref \
             LEFT JOIN persons pg ON pg.id = g.person_id \
             LEFT JOIN persons pr ON r.person_kind = 'returnee' AND pr.id = r.person_ref \
             WHERE j.status = 'published' AND j.valid_until >= $1 AND e.status = 'verified' \
             AND ($2 IS NULL OR r.street_code = $2) \
             ORDER BY r.street_code, r.person_kind, r.person_ref, r.rank",
        )
        .bind(today)
        .bind(street)
        .fetch_all(pool)
        .await?);
        let reaches = |kind: SeekerKind, street: &str| match kind {
            SeekerKind::Graduate => graduates.reaches(street),
            SeekerKind::Returnee => returnees.reaches(street),
        };
        Ok(rows
            .into_iter()
            .filter_map(|row| {
                let kind = SeekerKind::parse(&row.person_kind).ok()?;
                reaches(kind, &row.street_code).then(|| StoredMatch {
                    kind,
                    person_ref: row.person_ref,
                    person_name: row.person_name,
                    street_code: row.street_code,
                    rank: row.rank,
                    post_id: row.post_id,
                    title: row.title,
                    employer_name: row.employer_name,
                    score: row.score_tenths as f64 / 10.0,
                    reasons: lines(&row.reasons),
                    warnings: lines(&row.warnings),
                    run_at: row.run_at,
                })
            })
            .collect())
    }
}
