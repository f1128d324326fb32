//! Subsidy applications from filing to payment (issue 14 items 5, 6, 8): filed on the portal
//! by an employer, at the window by a street or the district unit, or confirmed from the
//! 免申即享 scan; pre-checked by the rules with the trace kept; reviewed by the applicant's
//! street and the category's district unit; shown in 公示 for seven working days (objections
//! recorded and answered); paid by 区财政局. Who may do what is `core::subsidies` on the
//! `Actor`; each step is one transaction with its history row, its audit row and, for a
//! payment, the figure tallies of the day it was paid.

mod file;
mod money;
mod scan;
mod steps;

use chrono::{DateTime, NaiveDate, Utc};
use linkong_core::access::Actor;
use linkong_core::calendar::WorkCalendar;
use linkong_core::rules::Decision;
use linkong_core::subsidies::{
    ApplicantKind, Category, Channel, StepKind, SubsidyStatus, due_on, mask_account, mask_name,
    overdue_working_days,
};
use linkong_core::time::local_date;
use serde::Serialize;

use crate::{Error, Result, Store, on_db};
pub use file::{ApplicationDraft, Filed};
pub use linkong_core::subsidies::Level;
pub use money::MonthlyPayment;
pub use scan::{OfferKey, ScanPage};
pub use steps::ReviewDraft;

/// An application as lists, pages and the API show it; names of people are masked.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SubsidyApplication {
    pub id: i64,
    pub policy_id: String,
    pub policy_title: String,
    pub category: Category,
    pub channel: Channel,
    pub applicant_kind: ApplicantKind,
    pub employer_id: Option<i64>,
    pub business_id: Option<i64>,
    pub person_id: Option<i64>,
    /// The employer's or business's name, or the applying person's masked name.
    pub applicant_name: String,
    /// The hired graduate of a hiring subsidy, masked.
    pub graduate_name: Option<String>,
    /// The street that reviews it.
    pub street_code: String,
    /// The district unit that reviews it, whose figure its payment is.
    pub counted_for: String,
    pub applied_on: NaiveDate,
    /// The approved amount, in 分.
    pub amount_fen: i64,
    pub status: SubsidyStatus,
    /// The day of its last step.
    pub status_on: NaiveDate,
    pub notice_from: Option<NaiveDate>,
    pub notice_until: Option<NaiveDate>,
    /// Why it was rejected.
    pub reason: String,
    pub paid_fen: Option<i64>,
    pub paid_on: Option<NaiveDate>,
    pub rule_version: String,
    /// By when its waiting step is due, and how many working days it is late.
    pub due_on: Option<NaiveDate>,
    pub overdue_days: Option<u32>,
}

/// One dated step of an application's history.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct SubsidyStep {
    pub step: String,
    pub done_on: NaiveDate,
    pub note: String,
    pub done_by_name: String,
}

impl SubsidyStep {
    pub fn label(&self) -> &'static str {
        StepKind::parse(&self.step).map_or("", StepKind::label)
    }
}

/// An objection lodged in the 公示, with its answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Objection {
    pub id: i64,
    pub lodged_on: NaiveDate,
    pub text: String,
    /// Whether the objector left a way to reach them (shown only to the district unit).
    pub contact: Option<String>,
    pub answer: Option<String>,
    pub upheld: Option<bool>,
    pub answered_on: Option<NaiveDate>,
}

/// 区财政局's payment as shown: the account masked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Payment {
    pub amount_fen: i64,
    pub paid_on: NaiveDate,
    pub account: String,
}

/// An application with its decision, history, objections and payment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SubsidyDetail {
    pub application: SubsidyApplication,
    pub decision: Decision,
    /// Labels of the facts taken from the registries (the others were declared).
    pub known_facts: Vec<String>,
    pub steps: Vec<SubsidyStep>,
    pub objections: Vec<Objection>,
    pub payment: Option<Payment>,
}

/// One line of the public 公示 page.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NoticeLine {
    pub id: i64,
    pub policy_title: String,
    /// The employer or business by name; a person masked.
    pub beneficiary: String,
    /// The hired graduate, masked.
    pub graduate_name: Option<String>,
    pub street_code: String,
    pub amount_fen: i64,
    pub notice_from: NaiveDate,
    pub notice_until: NaiveDate,
}

/// Filters of an application list; the actor's reach narrows it further.
#[derive(Debug, Clone, Default)]
pub struct SubsidyFilter {
    pub status: Option<SubsidyStatus>,
    pub street: Option<String>,
    pub category: Option<Category>,
    pub policy: Option<String>,
    pub employer: Option<i64>,
    /// Only those whose waiting step is past its deadline.
    pub overdue: bool,
    /// Paid in this year (the rows behind a money figure).
    pub paid_in: Option<i32>,
    /// Reviewed by, and counted for, this district unit.
    pub counted_for: Option<String>,
    pub channel: Option<Channel>,
}

#[derive(sqlx::FromRow)]
struct ApplicationRow {
    id: i64,
    policy_id: String,
    policy_title: String,
    category: String,
    channel: String,
    applicant_kind: String,
    employer_id: Option<i64>,
    business_id: Option<i64>,
    person_id: Option<i64>,
    org_name: Option<String>,
    person_name: Option<String>,
    street_code: String,
    counted_for: String,
    applied_on: NaiveDate,
    amount_fen: i64,
    status: String,
    status_on: NaiveDate,
    notice_from: Option<NaiveDate>,
    notice_until: Option<NaiveDate>,
    reason: String,
    paid_fen: Option<i64>,
    paid_on: Option<NaiveDate>,
    rule_version: String,
}

impl ApplicationRow {
    fn view(self, calendar: &WorkCalendar, today: NaiveDate) -> Result<SubsidyApplication> {
        let id = self.id;
        let unreadable = |what: &str| Error::Config(format!("补贴申请 {id} 的{what}无法识别"));
        let applicant_kind =
            ApplicantKind::parse(&self.applicant_kind).map_err(|_| unreadable("申请主体"))?;
        let status = SubsidyStatus::parse(&self.status).map_err(|_| unreadable("状态"))?;
        let masked = self.person_name.as_deref().map(mask_name);
        let (applicant_name, graduate_name) = match applicant_kind {
            ApplicantKind::Person => (masked.unwrap_or_default(), None),
            _ => (self.org_name.unwrap_or_default(), masked),
        };
        let due = due_on(calendar, status, self.status_on, self.notice_until);
        Ok(SubsidyApplication {
            category: Category::parse(&self.category).map_err(|_| unreadable("类别"))?,
            channel: Channel::parse(&self.channel).map_err(|_| unreadable("渠道"))?,
            applicant_kind,
            applicant_name,
            graduate_name,
            overdue_days: overdue_working_days(calendar, due, today),
            due_on: due,
            status,
            id,
            policy_id: self.policy_id,
            policy_title: self.policy_title,
            employer_id: self.employer_id,
            business_id: self.business_id,
            person_id: self.person_id,
            street_code: self.street_code,
            counted_for: self.counted_for,
            applied_on: self.applied_on,
            amount_fen: self.amount_fen,
            status_on: self.status_on,
            notice_from: self.notice_from,
            notice_until: self.notice_until,
            reason: self.reason,
            paid_fen: self.paid_fen,
            paid_on: self.paid_on,
            rule_version: self.rule_version,
        })
    }
}

const APPLICATION_SELECT: &str = "SELECT a.id, a.policy_id, a.policy_title, a.category, a.channel, \
     a.applicant_kind, a.employer_id, a.business_id, a.person_id, COALESCE(e.name, b.name) AS org_name, \
     p.name AS person_name, a.street_code, a.counted_for, a.applied_on, a.amount_fen, a.status, a.status_on, \
     a.notice_from, a.notice_until, a.reason, a.paid_fen, a.paid_on, a.rule_version \
     FROM subsidy_applications a LEFT JOIN employers e ON e.id = a.employer_id \
     LEFT JOIN businesses b ON b.id = a.business_id LEFT JOIN persons p ON p.id = a.person_id";

/// `$1` status, `$2` street, `$3` category, `$4` policy ('' any), `$5` employer (0 any);
/// the reach: `$6` a unit ('' all) whose street or district applications it reads; `$7` the
/// district unit counted for, `$8` the channel ('' any); `$9` 1 to keep those paid within
/// [`$11`, `$10`].
const APPLICATION_WHERE: &str = " WHERE ($1 = '' OR a.status = $1) AND ($2 = '' OR a.street_code = $2) \
     AND ($3 = '' OR a.category = $3) AND ($4 = '' OR a.policy_id = $4) AND ($5 = 0 OR a.employer_id = $5) \
     AND ($6 = '' OR a.street_code = $6 OR a.counted_for = $6) AND ($7 = '' OR a.counted_for = $7) \
     AND ($8 = '' OR a.channel = $8) AND a.applied_on <= $10 AND ($9 = 0 OR (a.paid_on >= $11 AND a.paid_on <= $10))";

const DENIED: &str = "只能查看本街道、本单位审核或本单位申请的补贴";

impl Store {
    fn today(&self) -> NaiveDate {
        local_date(self.now())
    }

    async fn subsidy_rows(
        &self,
        calendar: &WorkCalendar,
        filter: &SubsidyFilter,
        reach: &str,
    ) -> Result<Vec<SubsidyApplication>> {
        let day = |y: i32, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default();
        let (paid_from, paid_to) = match filter.paid_in {
            Some(y) => (day(y, 1, 1), day(y, 12, 31)),
            None => (day(1900, 1, 1), day(9999, 12, 31)),
        };
        let rows: Vec<ApplicationRow> = on_db!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "{APPLICATION_SELECT}{APPLICATION_WHERE} ORDER BY a.id DESC LIMIT 2000"
        )))
        .bind(filter.status.map_or("", |s| s.code()))
        .bind(filter.street.as_deref().unwrap_or_default())
        .bind(filter.category.map_or("", |c| c.code()))
        .bind(filter.policy.as_deref().unwrap_or_default())
        .bind(filter.employer.unwrap_or(0))
        .bind(reach)
        .bind(filter.counted_for.as_deref().unwrap_or_default())
        .bind(filter.channel.map_or("", |c| c.code()))
        .bind(i64::from(filter.paid_in.is_some()))
        .bind(paid_to)
        .bind(paid_from)
        .fetch_all(pool)
        .await?);
        let today = self.today();
        let mut views = rows
            .into_iter()
            .map(|r| r.view(calendar, today))
            .collect::<Result<Vec<_>>>()?;
        if filter.overdue {
            views.retain(|a| a.overdue_days.is_some());
        }
        Ok(views)
    }

    /// The applications the actor reads that match `filter`, latest first: everything for the
    /// task force, reviewers and 区财政局; a unit's staff those of its street or its district
    /// category; an employer its own. Anyone else is refused and audited.
    pub async fn subsidies(
        &self,
        calendar: &WorkCalendar,
        actor: &Actor,
        filter: &SubsidyFilter,
        ip: &str,
    ) -> Result<Vec<SubsidyApplication>> {
        let mut filter = filter.clone();
        let reach = if actor.reads_every_subsidy() {
            String::new()
        } else if let Some(employer) = actor.employer_id {
            filter.employer = Some(employer);
            String::new()
        } else if actor.reads_subsidy_lists() {
            actor.unit_code.clone().unwrap_or_default()
        } else {
            return Err(self.deny(actor, "subsidies".into(), DENIED, ip).await);
        };
        self.subsidy_rows(calendar, &filter, &reach).await
    }

    /// One application as stored (no access check: callers check).
    async fn stored_subsidy(&self, calendar: &WorkCalendar, id: i64) -> Result<SubsidyApplication> {
        let row: Option<ApplicationRow> = on_db!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "{APPLICATION_SELECT} WHERE a.id = $1"
        )))
        .bind(id)
        .fetch_optional(pool)
        .await?);
        row.ok_or_else(|| Error::not_found("该补贴申请不存在"))?
            .view(calendar, self.today())
    }

    /// The application if the actor reads it; refused and audited otherwise.
    async fn readable_subsidy(
        &self,
        calendar: &WorkCalendar,
        actor: &Actor,
        id: i64,
        ip: &str,
    ) -> Result<SubsidyApplication> {
        let application = self.stored_subsidy(calendar, id).await?;
        if !actor.may_read_subsidy(
            application.category,
            &application.street_code,
            application.employer_id,
        ) {
            return Err(self.deny(actor, format!("subsidy:{id}"), DENIED, ip).await);
        }
        Ok(application)
    }

    /// One application with its decision and trace, history, objections and payment.
    pub async fn subsidy(
        &self,
        calendar: &WorkCalendar,
        actor: &Actor,
        id: i64,
        ip: &str,
    ) -> Result<SubsidyDetail> {
        let application = self.readable_subsidy(calendar, actor, id, ip).await?;
        let (decision, known): (String, String) = on_db!(self, pool => sqlx::query_as(
            "SELECT decision, known_facts FROM subsidy_applications WHERE id = $1"
        )
        .bind(id)
        .fetch_one(pool)
        .await?);
        let decision: Decision = serde_json::from_str(&decision)
            .map_err(|e| Error::Config(format!("补贴申请 {id} 的判定记录无法读取：{e}")))?;
        let steps: Vec<SubsidyStep> = on_db!(self, pool => sqlx::query_as(
            "SELECT step, done_on, note, done_by_name FROM subsidy_steps WHERE application_id = $1 ORDER BY id"
        )
        .bind(id)
        .fetch_all(pool)
        .await?);
        let shows_contact = actor.may_review_subsidy_for_district(application.category);
        Ok(SubsidyDetail {
            known_facts: known
                .split(',')
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect(),
            objections: self.objections_of(id, shows_contact).await?,
            payment: self.payment_of(id).await?,
            application,
            decision,
            steps,
        })
    }

    async fn objections_of(&self, id: i64, shows_contact: bool) -> Result<Vec<Objection>> {
        #[allow(clippy::type_complexity)]
        let rows: Vec<(
            i64,
            NaiveDate,
            String,
            Option<Vec<u8>>,
            Option<String>,
            Option<bool>,
            Option<NaiveDate>,
        )> = on_db!(self, pool => sqlx::query_as(
                "SELECT id, lodged_on, text, contact_enc, answer, upheld, answered_on FROM subsidy_objections \
                 WHERE application_id = $1 ORDER BY id"
            )
            .bind(id)
            .fetch_all(pool)
            .await?);
        let cipher = self.cipher()?;
        rows.into_iter()
            .map(
                |(id, lodged_on, text, contact, answer, upheld, answered_on)| {
                    let contact = match contact {
                        Some(enc) if shows_contact => Some(cipher.decrypt(&enc)?),
                        Some(_) => Some("（已留联系方式）".to_owned()),
                        None => None,
                    };
                    Ok(Objection {
                        id,
                        lodged_on,
                        text,
                        contact,
                        answer,
                        upheld,
                        answered_on,
                    })
                },
            )
            .collect()
    }

    async fn payment_of(&self, id: i64) -> Result<Option<Payment>> {
        let row: Option<(i64, NaiveDate, String)> = on_db!(self, pool => sqlx::query_as(
            "SELECT amount_fen, paid_on, account_tail FROM subsidy_payments WHERE application_id = $1"
        )
        .bind(id)
        .fetch_optional(pool)
        .await?);
        Ok(row.map(|(amount_fen, paid_on, tail)| Payment {
            amount_fen,
            paid_on,
            account: mask_account(&tail),
        }))
    }

    /// The public 公示 page: applications in their notice period today, names of people masked,
    /// no numbers. Anyone may read it.
    pub async fn subsidy_notices(&self) -> Result<Vec<NoticeLine>> {
        let today = self.today();
        #[allow(clippy::type_complexity)]
        let rows: Vec<(
            i64,
            String,
            String,
            Option<String>,
            Option<String>,
            String,
            i64,
            NaiveDate,
            NaiveDate,
        )> = on_db!(self, pool => sqlx::query_as(
                "SELECT a.id, a.policy_title, a.applicant_kind, COALESCE(e.name, b.name), p.name, a.street_code, \
                 a.amount_fen, a.notice_from, a.notice_until FROM subsidy_applications a \
                 LEFT JOIN employers e ON e.id = a.employer_id LEFT JOIN businesses b ON b.id = a.business_id \
                 LEFT JOIN persons p ON p.id = a.person_id \
                 WHERE a.status = 'notice' AND a.notice_from <= $1 AND a.notice_until >= $1 ORDER BY a.notice_from, a.id"
            )
            .bind(today)
            .fetch_all(pool)
            .await?);
        Ok(rows
            .into_iter()
            .map(
                |(id, policy_title, kind, org, person, street_code, amount_fen, from, until)| {
                    let person = person.as_deref().map(mask_name);
                    let (beneficiary, graduate_name) = if kind == ApplicantKind::Person.code() {
                        (person.unwrap_or_default(), None)
                    } else {
                        (org.unwrap_or_default(), person)
                    };
                    NoticeLine {
                        id,
                        policy_title,
                        beneficiary,
                        graduate_name,
                        street_code,
                        amount_fen,
                        notice_from: from,
                        notice_until: until,
                    }
                },
            )
            .collect())
    }

    /// The portal messages of an employer's account, newest first.
    pub async fn employer_messages(&self, actor: &Actor) -> Result<Vec<(DateTime<Utc>, String)>> {
        let Some(employer) = actor.employer_id else {
            return Ok(Vec::new());
        };
        Ok(on_db!(self, pool => sqlx::query_as(
            "SELECT created_at, body FROM notifications WHERE channel = 'portal' AND employer_id = $1 \
             ORDER BY id DESC LIMIT 50"
        )
        .bind(employer)
        .fetch_all(pool)
        .await?))
    }
}

impl Store {
    /// The person of the graduate a hire on the job platform placed, if any.
    pub async fn graduate_placed_by(&self, application: i64) -> Result<Option<i64>> {
        Ok(on_db!(self, pool => sqlx::query_scalar(
            "SELECT person_id FROM graduates WHERE placement_application = $1"
        )
        .bind(application)
        .fetch_optional(pool)
        .await?))
    }
}

impl Store {
    /// The applications the actor reads that match `filter` (as [`Store::subsidies`]), each
    /// with its decision and trace, the decisions read in one query per 500 applications.
    pub async fn subsidies_with_traces(
        &self,
        calendar: &WorkCalendar,
        actor: &Actor,
        filter: &SubsidyFilter,
        ip: &str,
    ) -> Result<Vec<(SubsidyApplication, Decision)>> {
        let rows = self.subsidies(calendar, actor, filter, ip).await?;
        let mut decisions = std::collections::HashMap::new();
        for chunk in rows.chunks(500) {
            let places: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
            let sql = format!(
                "SELECT id, decision FROM subsidy_applications WHERE id IN ({})",
                places.join(", ")
            );
            let found: Vec<(i64, String)> = on_db!(self, pool => {
                let mut query = sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()));
                for a in chunk {
                    query = query.bind(a.id);
                }
                query.fetch_all(pool).await?
            });
            decisions.extend(found);
        }
        rows.into_iter()
            .map(|a| {
                let text = decisions.remove(&a.id).unwrap_or_default();
                let decision: Decision = serde_json::from_str(&text).map_err(|e| {
                    Error::Config(format!("补贴申请 {} 的判定记录无法读取：{e}", a.id))
                })?;
                Ok((a, decision))
            })
            .collect()
    }

    /// The applications of the list with each decision and its trace, for an audit download;
    /// the download is audited.
    pub async fn export_subsidies(
        &self,
        calendar: &WorkCalendar,
        actor: &Actor,
        filter: &SubsidyFilter,
        ip: &str,
    ) -> Result<Vec<(SubsidyApplication, Decision)>> {
        let out = self
            .subsidies_with_traces(calendar, actor, filter, ip)
            .await?;
        self.audit(
            crate::audit::AuditEvent::new("subsidy.export", "export:subsidies")
                .by(Some(actor.user_id), &actor.username)
                .detail(format!("{} 行（含判定依据）", out.len()))
                .from_ip(ip),
        )
        .await?;
        Ok(out)
    }
}
