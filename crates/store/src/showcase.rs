//! Showcase cases of returnee start-ups (2.5.3): recommended with the founder's consent by a
//! street (its own street's businesses) or 区农业农村局, with photos kept like evidence files;
//! collected by 区人社局, who nominates some to "武汉返乡创业之星" and records the outcome;
//! published on the portal by 区委宣传部 or 区融媒体中心, and only when the consent covers the
//! portal. A case counts toward 2.5.3 for its recommending unit on the recommendation day: the
//! recommendation writes the case, its photos, its tally and the audit row in one transaction.

use chrono::{DateTime, NaiveDate, Utc};
use linkong_core::access::Actor;
use linkong_core::businesses::BusinessForm;
use linkong_core::evidence::file_name_or;
use linkong_core::field::FieldError;
use linkong_core::plan::Plan;
use linkong_core::showcase::{
    CaseDraft, CaseStatus, CaseStep, Consent, ValidCase, check_publication, founder_of,
    nomination_day, outcome_note, photo_count, photo_media_type, validate_case,
};
use linkong_core::time::local_date;
use serde::Serialize;
use sm3::{Digest, Sm3};
use sqlx::{PgConnection, SqliteConnection};

use crate::audit::{AuditAppend, AuditEvent};
use crate::evidence::{CheckedEvidence, EvidenceUpload};
use crate::figures::{DayKey, FigureWrite, Kind};
use crate::selection::stored_forms;
use crate::{BeginWrite, Error, Result, Store, on_db};

/// A showcase case with what it shows of its business and founder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ShowcaseCase {
    pub id: i64,
    pub business_id: i64,
    pub business_name: String,
    pub street_code: String,
    pub section: String,
    pub forms: Vec<BusinessForm>,
    pub person_id: i64,
    pub founder: String,
    pub recommender: String,
    pub title: String,
    pub story: String,
    pub consent: Consent,
    pub status: CaseStatus,
    pub recommended_on: NaiveDate,
    pub collected_on: Option<NaiveDate>,
    pub nominated_on: Option<NaiveDate>,
    pub decided_on: Option<NaiveDate>,
    pub outcome_note: String,
    pub published_on: Option<NaiveDate>,
    pub published_by: Option<String>,
    /// The photos' positions and names, in order.
    pub photos: Vec<(i64, String)>,
}

/// Filters of a case list; the actor's scope narrows it further.
#[derive(Debug, Clone, Default)]
pub struct CaseFilter {
    /// Recommended in this year.
    pub year: Option<i32>,
    pub street: Option<String>,
    pub recommender: Option<String>,
    pub status: Option<CaseStatus>,
    pub business: Option<i64>,
    /// Cases of this resident, or of businesses they founded.
    pub person: Option<i64>,
}

/// What moves a case along, as typed in (core checks it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseAction<'a> {
    Collect,
    Nominate { on: &'a str },
    Outcome { starred: bool, note: &'a str },
}

#[derive(sqlx::FromRow)]
struct CaseRow {
    id: i64,
    business_id: i64,
    business_name: String,
    street_code: String,
    section: String,
    forms: String,
    person_id: i64,
    founder: String,
    recommender: String,
    title: String,
    story: String,
    consent_by: String,
    consent_on: NaiveDate,
    consent_portal: bool,
    consent_media: bool,
    status: String,
    recommended_on: NaiveDate,
    collected_on: Option<NaiveDate>,
    nominated_on: Option<NaiveDate>,
    decided_on: Option<NaiveDate>,
    outcome_note: String,
    published_on: Option<NaiveDate>,
    published_by: Option<String>,
}

impl CaseRow {
    fn view(self) -> Result<ShowcaseCase> {
        let id = self.id;
        Ok(ShowcaseCase {
            status: CaseStatus::parse(&self.status)
                .map_err(|_| Error::Config(format!("典型案例 {id} 的状态无法识别")))?,
            id,
            business_id: self.business_id,
            business_name: self.business_name,
            street_code: self.street_code,
            section: self.section,
            forms: stored_forms(&self.forms),
            person_id: self.person_id,
            founder: self.founder,
            recommender: self.recommender,
            title: self.title,
            story: self.story,
            consent: Consent {
                given_by: self.consent_by,
                given_on: self.consent_on,
                portal: self.consent_portal,
                media: self.consent_media,
            },
            recommended_on: self.recommended_on,
            collected_on: self.collected_on,
            nominated_on: self.nominated_on,
            decided_on: self.decided_on,
            outcome_note: self.outcome_note,
            published_on: self.published_on,
            published_by: self.published_by,
            photos: Vec::new(),
        })
    }
}

const CASE_SELECT: &str = "SELECT c.id, c.business_id, b.name AS business_name, b.street_code, b.section, b.forms, \
     c.person_id, p.name AS founder, c.recommender, c.title, c.story, c.consent_by, c.consent_on, c.consent_portal, \
     c.consent_media, c.status, c.recommended_on, c.collected_on, c.nominated_on, c.decided_on, c.outcome_note, \
     c.published_on, c.published_by FROM showcase_cases c JOIN businesses b ON b.id = c.business_id \
     JOIN persons p ON p.id = c.person_id";

/// `$1`–`$2` the days recommended, `$3` street, `$4` recommender, `$5` status ('' any), `$6`
/// business, `$7` person (0 any), `$8` 1 for the cases on the portal only.
const CASE_WHERE: &str = " WHERE c.recommended_on >= $1 AND c.recommended_on <= $2 \
     AND ($3 = '' OR b.street_code = $3) AND ($4 = '' OR c.recommender = $4) AND ($5 = '' OR c.status = $5) \
     AND ($6 = 0 OR c.business_id = $6) AND ($7 = 0 OR c.person_id = $7 \
     OR c.business_id IN (SELECT f.business_id FROM business_founders f WHERE f.person_id = $7)) \
     AND ($8 = 0 OR (c.published_on IS NOT NULL AND c.consent_portal))";

/// The days of `year`, or of all time.
fn days_of(year: Option<i32>) -> (NaiveDate, NaiveDate) {
    let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default();
    match year {
        Some(y) => (day(y, 1, 1), day(y, 12, 31)),
        None => (day(1900, 1, 1), day(9999, 12, 31)),
    }
}

/// A photo as uploaded, accepted as core's rules say (JPEG or PNG up to 5 MB), its type judged
/// by its first bytes.
pub fn check_photo(upload: EvidenceUpload) -> std::result::Result<CheckedEvidence, FieldError> {
    let sniffed = infer::get(&upload.bytes).map(|kind| kind.mime_type());
    let media_type = photo_media_type(upload.bytes.len(), sniffed)?;
    Ok(CheckedEvidence {
        file_name: file_name_or(&upload.file_name, "照片"),
        media_type,
        digest: hex::encode(Sm3::digest(&upload.bytes)),
        bytes: upload.bytes,
    })
}

/// The photos checked, or every refusal, each naming the photo by its position.
fn checked_photos(
    uploads: Vec<EvidenceUpload>,
    errors: &mut Vec<FieldError>,
) -> Vec<CheckedEvidence> {
    if let Err(e) = photo_count(uploads.len()) {
        errors.push(e);
        return Vec::new();
    }
    let mut photos = Vec::new();
    for (n, upload) in uploads.into_iter().enumerate() {
        match check_photo(upload) {
            Ok(photo) => photos.push(photo),
            Err(e) => errors.push(FieldError {
                field: e.field,
                message: format!("第{}张：{}", n + 1, e.message),
            }),
        }
    }
    photos
}

impl Store {
    async fn case_rows(
        &self,
        filter: &CaseFilter,
        (street, unit): (&str, &str),
        public: bool,
    ) -> Result<Vec<ShowcaseCase>> {
        let (from, to) = days_of(filter.year);
        let order = if public {
            "c.published_on DESC, c.id DESC"
        } else {
            "c.recommended_on DESC, c.id DESC"
        };
        let rows: Vec<CaseRow> = on_db!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "{CASE_SELECT}{CASE_WHERE} ORDER BY {order} LIMIT 2000"
        )))
        .bind(from)
        .bind(to)
        .bind(street)
        .bind(unit)
        .bind(filter.status.map_or("", |s| s.code()))
        .bind(filter.business.unwrap_or(0))
        .bind(filter.person.unwrap_or(0))
        .bind(i64::from(public))
        .fetch_all(pool)
        .await?);
        let mut cases = rows
            .into_iter()
            .map(CaseRow::view)
            .collect::<Result<Vec<_>>>()?;
        for case in &mut cases {
            case.photos = self.case_photos(case.id).await?;
        }
        Ok(cases)
    }

    async fn case_photos(&self, id: i64) -> Result<Vec<(i64, String)>> {
        Ok(on_db!(self, pool => sqlx::query_as(
            "SELECT position, file_name FROM showcase_photos WHERE case_id = $1 ORDER BY position"
        )
        .bind(id)
        .fetch_all(pool)
        .await?))
    }

    /// The cases the actor reads that match `filter`, newest first; asking beyond the actor's
    /// scope, or having none, is refused and audited.
    pub async fn showcase_cases(
        &self,
        plan: &Plan,
        actor: &Actor,
        filter: &CaseFilter,
        ip: &str,
    ) -> Result<Vec<ShowcaseCase>> {
        let scope = actor.showcase_scope(plan);
        let asked = (filter.street.as_deref(), filter.recommender.as_deref());
        match crate::selection::scoped(&scope, asked.0, asked.1) {
            Ok((street, unit)) => self.case_rows(filter, (&street, &unit), false).await,
            Err(target) => Err(self
                .deny(
                    actor,
                    format!("showcase:{target}"),
                    "只能查看本街道或本单位推荐的典型案例",
                    ip,
                )
                .await),
        }
    }

    /// The cases of a resident or a business, as far as the actor reads (for the person's and
    /// the business's pages): none when it reads none.
    pub async fn showcase_cases_about(
        &self,
        plan: &Plan,
        actor: &Actor,
        filter: &CaseFilter,
    ) -> Result<Vec<ShowcaseCase>> {
        match crate::selection::scoped(&actor.showcase_scope(plan), None, None) {
            Ok((street, unit)) => self.case_rows(filter, (&street, &unit), false).await,
            Err(_) => Ok(Vec::new()),
        }
    }

    async fn stored_case(&self, id: i64) -> Result<ShowcaseCase> {
        let row: Option<CaseRow> = on_db!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "{CASE_SELECT} WHERE c.id = $1"
        )))
        .bind(id)
        .fetch_optional(pool)
        .await?);
        let mut case = row
            .ok_or_else(|| Error::not_found("该典型案例不存在"))?
            .view()?;
        case.photos = self.case_photos(id).await?;
        Ok(case)
    }

    /// One case, if the actor reads it; refused and audited otherwise.
    pub async fn showcase_case(
        &self,
        plan: &Plan,
        actor: &Actor,
        id: i64,
        ip: &str,
    ) -> Result<ShowcaseCase> {
        let case = self.stored_case(id).await?;
        if actor
            .showcase_scope(plan)
            .reaches(&case.street_code, &case.recommender)
        {
            return Ok(case);
        }
        Err(self
            .deny(
                actor,
                format!("showcase:{id}"),
                "只能查看本街道或本单位推荐的典型案例",
                ip,
            )
            .await)
    }

    /// The cases on the portal (public), latest published first.
    pub async fn published_stories(&self) -> Result<Vec<ShowcaseCase>> {
        self.case_rows(&CaseFilter::default(), ("", ""), true).await
    }

    /// One case on the portal (public); any other is not found.
    pub async fn published_story(&self, id: i64) -> Result<ShowcaseCase> {
        match self.stored_case(id).await {
            Ok(case) if case.published_on.is_some() && case.consent.portal => Ok(case),
            Ok(_) | Err(Error::NotFound(_)) => Err(Error::not_found("该创业故事不存在或未发布")),
            Err(e) => Err(e),
        }
    }

    /// A photo of a case: its media type and bytes.
    async fn photo_file(&self, id: i64, position: i64) -> Result<(String, Vec<u8>)> {
        let found: Option<(String, String)> = on_db!(self, pool => sqlx::query_as(
            "SELECT f.digest, f.media_type FROM showcase_photos s JOIN evidence_files f ON f.digest = s.digest \
             WHERE s.case_id = $1 AND s.position = $2"
        )
        .bind(id)
        .bind(position)
        .fetch_optional(pool)
        .await?);
        let (digest, media_type) = found.ok_or_else(|| Error::not_found("该照片不存在"))?;
        Ok((media_type, self.read_evidence_file(&digest).await?))
    }

    /// A photo of a case on the portal (public).
    pub async fn story_photo(&self, id: i64, position: i64) -> Result<(String, Vec<u8>)> {
        self.published_story(id).await?;
        self.photo_file(id, position).await
    }

    /// A photo of a case the actor reads.
    pub async fn case_photo(
        &self,
        plan: &Plan,
        actor: &Actor,
        (id, position): (i64, i64),
        ip: &str,
    ) -> Result<(String, Vec<u8>)> {
        self.showcase_case(plan, actor, id, ip).await?;
        self.photo_file(id, position).await
    }

    /// The cases `unit` recommended in `year`: the rows behind its 2.5.3 figure. Only readers
    /// of the unit's records see them.
    pub async fn recommended_cases(
        &self,
        actor: &Actor,
        unit: &str,
        year: i32,
        ip: &str,
    ) -> Result<Vec<ShowcaseCase>> {
        if !actor.may_read_records_of(unit) {
            return Err(self
                .deny(
                    actor,
                    format!("showcase:{unit}"),
                    "只能查看本单位的明细",
                    ip,
                )
                .await);
        }
        let filter = CaseFilter {
            year: Some(year),
            ..CaseFilter::default()
        };
        let mut rows = self.case_rows(&filter, ("", unit), false).await?;
        rows.sort_by_key(|c| (c.recommended_on, c.id));
        Ok(rows)
    }

    /// Cases recommended within [from, to]: (id, unit, day), the reference the tallies are
    /// held to.
    pub(crate) async fn recommended_cases_from_rows(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<(i64, String, NaiveDate)>> {
        Ok(on_db!(self, pool => sqlx::query_as(
            "SELECT id, recommender, recommended_on FROM showcase_cases \
             WHERE recommended_on >= $1 AND recommended_on <= $2",
        )
        .bind(from)
        .bind(to)
        .fetch_all(pool)
        .await?))
    }

    /// The case as typed in and its photos, checked together (every wrong field named), with
    /// the business it names and that business's founders; the actor must recommend for a
    /// unit of 2.5.3 and reach the business's street.
    async fn checked_case(
        &self,
        plan: &Plan,
        actor: &Actor,
        (draft, photos): (&CaseDraft, Vec<EvidenceUpload>),
        ip: &str,
    ) -> Result<(ValidCase, Vec<CheckedEvidence>)> {
        let today = local_date(self.now());
        let (valid, mut errors) = match validate_case(draft, today) {
            Ok(valid) => (Some(valid), Vec::new()),
            Err(errors) => (None, errors),
        };
        let photos = checked_photos(photos, &mut errors);
        let Some(valid) = valid.filter(|_| errors.is_empty()) else {
            return Err(Error::Fields(errors));
        };
        let business = match self.stored_business(valid.business_id).await {
            Ok(business) => business,
            Err(Error::NotFound(message)) => {
                return Err(Error::Fields(vec![FieldError {
                    field: "创业主体",
                    message,
                }]));
            }
            Err(e) => return Err(e),
        };
        if !actor.may_recommend_case(plan, &business.street_code) {
            return Err(self
                .deny(
                    actor,
                    format!("business:{}", business.id),
                    "街道只能推荐本街道的典型案例",
                    ip,
                )
                .await);
        }
        let founders: Vec<i64> = business.founders.iter().map(|f| f.person_id).collect();
        founder_of(valid.founder_id, &founders).map_err(|e| Error::Fields(vec![e]))?;
        Ok((valid, photos))
    }

    /// Recommends a showcase case for the actor's own unit, with the founder's consent and the
    /// photos; it counts toward 2.5.3 from today. One transaction with its tally and audit row.
    pub async fn recommend_case(
        &self,
        plan: &Plan,
        actor: &Actor,
        draft: &CaseDraft,
        photos: Vec<EvidenceUpload>,
        ip: &str,
    ) -> Result<i64> {
        let Some(unit) = actor.showcase_recommender(plan) else {
            return Err(self
                .deny(
                    actor,
                    "showcase".into(),
                    "只有街道和区农业农村局可以推荐典型案例",
                    ip,
                )
                .await);
        };
        let (valid, photos) = self.checked_case(plan, actor, (draft, photos), ip).await?;
        for photo in &photos {
            self.write_evidence(photo).await?;
        }
        let now = self.now();
        let new = NewCase {
            valid: &valid,
            recommender: unit,
            photos: &photos,
            user_id: actor.user_id,
            now,
        };
        let event = AuditEvent::new(
            "showcase.recommend",
            format!("business:{}", valid.business_id),
        )
        .by(Some(actor.user_id), &actor.username)
        .detail(format!(
            "典型案例：{}（{} 张照片）",
            valid.title,
            photos.len()
        ))
        .from_ip(ip);
        let keys = [DayKey::new(Kind::Showcase, "", unit, local_date(now))];
        let _guard = self.write_lock.lock().await;
        Ok(on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let id = tx.insert_case(&new).await?;
            tx.refresh_figures(&keys).await?;
            tx.append_audit(now, &event).await?;
            tx.commit().await?;
            id
        }))
    }

    /// Collects a case, nominates it to "武汉返乡创业之星" on a day, or records the outcome:
    /// the lead of 2.5.3 (区人社局) only.
    pub async fn move_showcase_case(
        &self,
        plan: &Plan,
        actor: &Actor,
        id: i64,
        action: CaseAction<'_>,
        ip: &str,
    ) -> Result<()> {
        if !actor.may_lead_showcase(plan) {
            return Err(self
                .deny(
                    actor,
                    format!("showcase:{id}"),
                    "典型案例由区人社局汇总和推荐参选",
                    ip,
                )
                .await);
        }
        let case = self.stored_case(id).await?;
        let today = local_date(self.now());
        let one = |e: FieldError| Error::Fields(vec![e]);
        let step = match action {
            CaseAction::Collect => CaseStep::Collect,
            CaseAction::Nominate { on } => CaseStep::Nominate {
                on: nomination_day(on, case.recommended_on, today).map_err(one)?,
            },
            CaseAction::Outcome { starred, note } => CaseStep::Outcome {
                starred,
                note: outcome_note(note).map_err(one)?,
            },
        };
        let next = case.status.after(&step).map_err(Error::Conflict)?;
        let now = self.now();
        let event = AuditEvent::new("showcase.move", format!("showcase:{id}"))
            .by(Some(actor.user_id), &actor.username)
            .detail(format!("{}：{}", step.label(), case.title))
            .from_ip(ip);
        let _guard = self.write_lock.lock().await;
        on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            tx.move_case(id, next, &step, now).await?;
            tx.append_audit(now, &event).await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// Puts a case on the portal today (`publish`) or takes it off: 区委宣传部 and 区融媒体中心
    /// only, and only a case whose consent covers the portal goes up.
    pub async fn publish_showcase_case(
        &self,
        plan: &Plan,
        actor: &Actor,
        id: i64,
        publish: bool,
        ip: &str,
    ) -> Result<()> {
        if !actor.may_publish_showcase(plan) {
            return Err(self
                .deny(
                    actor,
                    format!("showcase:{id}"),
                    "只有区委宣传部、区融媒体中心可以在门户发布典型案例",
                    ip,
                )
                .await);
        }
        let case = self.stored_case(id).await?;
        if publish {
            case.consent
                .allows_portal()
                .map_err(|e| Error::Fields(vec![e]))?;
        }
        check_publication(case.published_on, publish).map_err(Error::Conflict)?;
        let now = self.now();
        let unit = actor.unit_code.clone().unwrap_or_default();
        let event = AuditEvent::new(
            if publish {
                "showcase.publish"
            } else {
                "showcase.unpublish"
            },
            format!("showcase:{id}"),
        )
        .by(Some(actor.user_id), &actor.username)
        .detail(case.title.clone())
        .from_ip(ip);
        let _guard = self.write_lock.lock().await;
        on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            tx.publish_case(id, publish.then_some(unit.as_str()), now).await?;
            tx.append_audit(now, &event).await?;
            tx.commit().await?;
        });
        Ok(())
    }
}

/// A case as it is written, with its photos.
struct NewCase<'a> {
    valid: &'a ValidCase,
    recommender: &'a str,
    photos: &'a [CheckedEvidence],
    user_id: i64,
    now: DateTime<Utc>,
}

/// The writes of the showcase cases, inside the caller's transaction so that the case, its
/// photos, its tally and the audit row commit together.
trait CaseWrite {
    async fn insert_case(&mut self, new: &NewCase<'_>) -> Result<i64>;
    async fn move_case(
        &mut self,
        id: i64,
        next: CaseStatus,
        step: &CaseStep,
        now: DateTime<Utc>,
    ) -> Result<()>;
    /// Publishes by `unit` today, or (None) takes the case off the portal.
    async fn publish_case(&mut self, id: i64, unit: Option<&str>, now: DateTime<Utc>)
    -> Result<()>;
}

macro_rules! impl_case_write {
    ($conn:ty) => {
        impl CaseWrite for $conn {
            async fn insert_case(&mut self, n: &NewCase<'_>) -> Result<i64> {
                let (v, consent) = (n.valid, &n.valid.consent);
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO showcase_cases (business_id, person_id, recommender, title, story, consent_by, \
                     consent_on, consent_portal, consent_media, status, recommended_on, outcome_note, created_by, \
                     created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'recommended', $10, '', \
                     $11, $12, $12) RETURNING id",
                )
                .bind(v.business_id)
                .bind(v.founder_id)
                .bind(n.recommender)
                .bind(&v.title)
                .bind(&v.story)
                .bind(&consent.given_by)
                .bind(consent.given_on)
                .bind(consent.portal)
                .bind(consent.media)
                .bind(local_date(n.now))
                .bind(n.user_id)
                .bind(n.now)
                .fetch_one(&mut *self)
                .await?;
                for (position, photo) in (1_i64..).zip(n.photos) {
                    sqlx::query(
                        "INSERT INTO evidence_files (digest, media_type, size_bytes, stored_at) \
                         VALUES ($1, $2, $3, $4) ON CONFLICT (digest) DO NOTHING",
                    )
                    .bind(&photo.digest)
                    .bind(photo.media_type)
                    .bind(photo.bytes.len() as i64)
                    .bind(n.now)
                    .execute(&mut *self)
                    .await?;
                    sqlx::query(
                        "INSERT INTO showcase_photos (case_id, position, digest, file_name) VALUES ($1, $2, $3, $4)",
                    )
                    .bind(id)
                    .bind(position)
                    .bind(&photo.digest)
                    .bind(&photo.file_name)
                    .execute(&mut *self)
                    .await?;
                }
                Ok(id)
            }

            async fn move_case(
                &mut self,
                id: i64,
                next: CaseStatus,
                step: &CaseStep,
                now: DateTime<Utc>,
            ) -> Result<()> {
                let today = local_date(now);
                // (the day column the step sets, its day, the outcome's note)
                let (sql, day, note) = match step {
                    CaseStep::Collect => (
                        "UPDATE showcase_cases SET status = $1, collected_on = $2, updated_at = $3 WHERE id = $4 \
                         AND $5 = ''",
                        today,
                        "",
                    ),
                    CaseStep::Nominate { on } => (
                        "UPDATE showcase_cases SET status = $1, nominated_on = $2, updated_at = $3 WHERE id = $4 \
                         AND $5 = ''",
                        *on,
                        "",
                    ),
                    CaseStep::Outcome { note, .. } => (
                        "UPDATE showcase_cases SET status = $1, decided_on = $2, updated_at = $3, \
                         outcome_note = $5 WHERE id = $4",
                        today,
                        note.as_str(),
                    ),
                };
                let query = sqlx::query(sql)
                    .bind(next.code())
                    .bind(day)
                    .bind(now)
                    .bind(id)
                    .bind(note);
                query.execute(&mut *self).await?;
                Ok(())
            }

            async fn publish_case(
                &mut self,
                id: i64,
                unit: Option<&str>,
                now: DateTime<Utc>,
            ) -> Result<()> {
                sqlx::query(
                    "UPDATE showcase_cases SET published_on = $1, published_by = $2, updated_at = $3 WHERE id = $4",
                )
                .bind(unit.map(|_| local_date(now)))
                .bind(unit)
                .bind(now)
                .bind(id)
                .execute(&mut *self)
                .await?;
                Ok(())
            }
        }
    };
}

impl_case_write!(SqliteConnection);
impl_case_write!(PgConnection);
