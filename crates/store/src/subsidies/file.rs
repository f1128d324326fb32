//! Filing an application: who applies, the facts the registries know, the rules' pre-check,
//! and the one transaction that keeps it with its decision, history row and audit row.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use linkong_core::access::{Actor, Role};
use linkong_core::field::FieldError;
use linkong_core::resident::ResidentId;
use linkong_core::rules::{Decision, Fact, Facts, Policy, RuleBook, RulesError};
use linkong_core::subsidies::facts::combine;
use linkong_core::subsidies::{
    ApplicantKind, Channel, Scheme, StepKind, SubsidyStatus, decide, scheme,
};
use linkong_core::uscc::Uscc;
use sqlx::{PgConnection, SqliteConnection};

use crate::audit::{AuditAppend, AuditEvent};
use crate::{BeginWrite, Error, Result, Store, on_db};

/// An application as typed on the portal or at the window.
#[derive(Debug, Clone, Default)]
pub struct ApplicationDraft {
    /// The policy id of the rules file.
    pub policy: String,
    /// The applying employer's or business's 统一社会信用代码, or the applying person's
    /// 公民身份号码; an employer on the portal applies as itself and leaves it empty.
    pub applicant: String,
    /// The hired graduate's 公民身份号码 (hiring subsidies).
    pub graduate: String,
    /// The application date (the window; the portal files today).
    pub applied_on: String,
    /// Declared facts by name, as typed.
    pub facts: BTreeMap<String, String>,
}

/// What filing came to: filed (its id), or refused by the rules with the trace saying why
/// (nothing kept but the audit row).
#[derive(Debug, Clone, PartialEq)]
pub enum Filed {
    Filed(i64),
    Refused(Box<Decision>),
}

/// Who applies, as the registries know them.
#[derive(Debug, Clone, Default)]
pub(super) struct Applicant {
    pub employer_id: Option<i64>,
    pub business_id: Option<i64>,
    /// The applying person, or the hired graduate.
    pub person_id: Option<i64>,
    pub street: String,
    pub name: String,
}

/// An application as it is written (filed, or confirmed from the scan into its 公示).
pub(super) struct NewApplication<'a> {
    pub scheme: &'a Scheme,
    pub channel: Channel,
    pub applicant: &'a Applicant,
    pub claim_key: String,
    pub applied_on: NaiveDate,
    pub decision: &'a Decision,
    pub known: Vec<String>,
    pub status: SubsidyStatus,
    pub notice: Option<(NaiveDate, NaiveDate)>,
    pub user_id: Option<i64>,
    pub now: DateTime<Utc>,
}

/// What may be claimed once: a graduate within a benefit group (any employer), a business or
/// a person within a policy.
pub(super) fn claim_key(scheme: &Scheme, policy: &Policy, applicant: &Applicant) -> String {
    let person = applicant.person_id.unwrap_or_default();
    match scheme.applicant {
        ApplicantKind::Employer => {
            let group = policy.group.as_deref().unwrap_or(&policy.id);
            format!("group:{group}:person:{person}")
        }
        ApplicantKind::Business => format!(
            "policy:{}:business:{}",
            policy.id,
            applicant.business_id.unwrap_or_default()
        ),
        ApplicantKind::Person => format!("policy:{}:person:{person}", policy.id),
    }
}

pub(super) trait SubsidyWrite {
    async fn insert_application(&mut self, new: &NewApplication<'_>) -> Result<i64>;
    async fn add_step(
        &mut self,
        id: i64,
        step: StepKind,
        on: NaiveDate,
        note: &str,
        by: (Option<i64>, &str),
        now: DateTime<Utc>,
    ) -> Result<()>;
}

macro_rules! impl_subsidy_write {
    ($conn:ty) => {
        impl SubsidyWrite for $conn {
            async fn insert_application(&mut self, n: &NewApplication<'_>) -> Result<i64> {
                let decision = serde_json::to_string(n.decision)
                    .map_err(|e| Error::Config(format!("判定记录无法保存：{e}")))?;
                let inserted = sqlx::query_scalar(
                    "INSERT INTO subsidy_applications (policy_id, policy_title, category, channel, applicant_kind, \
                     employer_id, business_id, person_id, street_code, counted_for, claim_key, applied_on, rule_version, \
                     decision, known_facts, amount_fen, status, status_on, notice_from, notice_until, reason, created_by, \
                     created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, \
                     $16, $17, $18, $19, $20, '', $21, $22, $22) RETURNING id",
                )
                .bind(&n.decision.policy_id)
                .bind(&n.decision.trace.policy_title)
                .bind(n.scheme.category.code())
                .bind(n.channel.code())
                .bind(n.scheme.applicant.code())
                .bind(n.applicant.employer_id)
                .bind(n.applicant.business_id)
                .bind(n.applicant.person_id)
                .bind(&n.applicant.street)
                .bind(n.scheme.category.district_unit())
                .bind(&n.claim_key)
                .bind(n.applied_on)
                .bind(&n.decision.trace.rule_version)
                .bind(decision)
                .bind(n.known.join(","))
                .bind(n.decision.amount_fen)
                .bind(n.status.code())
                .bind(local_day(n.now))
                .bind(n.notice.map(|(from, _)| from))
                .bind(n.notice.map(|(_, until)| until))
                .bind(n.user_id)
                .bind(n.now)
                .fetch_one(&mut *self)
                .await;
                match inserted {
                    Ok(id) => Ok(id),
                    Err(e) => match Error::from(e) {
                        e if e.is_unique_violation() => Err(Error::Conflict(format!(
                            "《{}》已有同一对象的申请在办或已拨付，不能重复申请",
                            n.decision.trace.policy_title
                        ))),
                        e => Err(e),
                    },
                }
            }

            async fn add_step(
                &mut self,
                id: i64,
                step: StepKind,
                on: NaiveDate,
                note: &str,
                by: (Option<i64>, &str),
                now: DateTime<Utc>,
            ) -> Result<()> {
                sqlx::query(
                    "INSERT INTO subsidy_steps (application_id, step, done_on, note, done_by, done_by_name, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7)",
                )
                .bind(id)
                .bind(step.code())
                .bind(on)
                .bind(note)
                .bind(by.0)
                .bind(by.1)
                .bind(now)
                .execute(&mut *self)
                .await?;
                Ok(())
            }
        }
    };
}

impl_subsidy_write!(SqliteConnection);
impl_subsidy_write!(PgConnection);

fn local_day(at: DateTime<Utc>) -> NaiveDate {
    linkong_core::time::local_date(at)
}

fn invalid(field: &'static str, message: impl Into<String>) -> Error {
    Error::Fields(vec![FieldError {
        field,
        message: message.into(),
    }])
}

/// The scheme and policy a draft names, or the field 政策 named.
pub(super) fn scheme_and_policy<'b>(
    book: &'b RuleBook,
    id: &str,
) -> Result<(&'static Scheme, &'b Policy)> {
    let id = id.trim();
    let known = || invalid("政策", format!("“{id}”不是可申请的政策"));
    let scheme = scheme(id).ok_or_else(known)?;
    let policy = book.policy(id).map_err(|_| known())?;
    Ok((scheme, policy))
}

impl Store {
    /// The person a 公民身份号码 names in the registry, with their street and name.
    async fn person_by_id_number(
        &self,
        field: &'static str,
        text: &str,
    ) -> Result<(i64, String, String)> {
        let id = ResidentId::parse(text).map_err(|e| invalid(field, e.to_string()))?;
        let index = self.cipher()?.blind_index(id.as_str());
        let found: Option<(i64, String, String)> = on_db!(self, pool => sqlx::query_as(
            "SELECT id, street_code, name FROM persons WHERE id_number_index = $1"
        )
        .bind(index)
        .fetch_optional(pool)
        .await?);
        found.ok_or_else(|| invalid(field, "该公民身份号码不在本区人员登记中"))
    }

    /// Who applies under `scheme`, from the draft (or the employer account on the portal).
    pub(super) async fn applicant_of(
        &self,
        scheme: &Scheme,
        actor: &Actor,
        draft: &ApplicationDraft,
        channel: Channel,
    ) -> Result<Applicant> {
        let mut applicant = match scheme.applicant {
            ApplicantKind::Employer => self.applying_employer(actor, draft, channel).await?,
            ApplicantKind::Business => self.applying_business(&draft.applicant).await?,
            ApplicantKind::Person => {
                let (id, street, name) =
                    self.person_by_id_number("申请人", &draft.applicant).await?;
                Applicant {
                    person_id: Some(id),
                    street,
                    name,
                    ..Applicant::default()
                }
            }
        };
        if scheme.names_graduate {
            let (id, _, _) = self
                .person_by_id_number("招用的毕业生", &draft.graduate)
                .await?;
            applicant.person_id = Some(id);
        }
        Ok(applicant)
    }

    async fn applying_employer(
        &self,
        actor: &Actor,
        draft: &ApplicationDraft,
        channel: Channel,
    ) -> Result<Applicant> {
        let row: Option<(i64, String, String)> = if channel == Channel::Portal {
            on_db!(self, pool => sqlx::query_as("SELECT id, street_code, name FROM employers WHERE id = $1")
                .bind(actor.employer_id.unwrap_or_default())
                .fetch_optional(pool)
                .await?)
        } else {
            let uscc =
                Uscc::parse(&draft.applicant).map_err(|e| invalid("申请单位", e.to_string()))?;
            on_db!(self, pool => sqlx::query_as("SELECT id, street_code, name FROM employers WHERE uscc = $1")
                .bind(uscc.as_str())
                .fetch_optional(pool)
                .await?)
        };
        let (id, street, name) =
            row.ok_or_else(|| invalid("申请单位", "该用人单位未在平台登记"))?;
        Ok(Applicant {
            employer_id: Some(id),
            street,
            name,
            ..Applicant::default()
        })
    }

    async fn applying_business(&self, text: &str) -> Result<Applicant> {
        let uscc = Uscc::parse(text).map_err(|e| invalid("创业主体", e.to_string()))?;
        let row: Option<(i64, String, String)> = on_db!(self, pool => sqlx::query_as(
            "SELECT id, street_code, name FROM businesses WHERE uscc = $1"
        )
        .bind(uscc.as_str())
        .fetch_optional(pool)
        .await?);
        let (id, street, name) =
            row.ok_or_else(|| invalid("创业主体", "该统一社会信用代码不在返区创业主体登记中"))?;
        Ok(Applicant {
            business_id: Some(id),
            street,
            name,
            ..Applicant::default()
        })
    }

    /// Whether an application holding `key` is in progress or paid.
    pub(super) async fn claimed(&self, key: &str) -> Result<bool> {
        let n: i64 = on_db!(self, pool => sqlx::query_scalar(
            "SELECT COUNT(*) FROM subsidy_applications WHERE claim_key = $1 AND status <> 'rejected'"
        )
        .bind(key)
        .fetch_one(pool)
        .await?);
        Ok(n > 0)
    }

    /// A returnee business's licence date, whether it is its founders' first, and its
    /// latest headcount on or before `on`.
    pub(super) async fn business_facts(&self, business: i64, on: NaiveDate) -> Result<Facts> {
        let (licensed_on, earlier): (NaiveDate, i64) = on_db!(self, pool => sqlx::query_as(
            "SELECT b.licensed_on, (SELECT COUNT(*) FROM business_founders f JOIN business_founders g \
             ON g.person_id = f.person_id AND g.business_id <> f.business_id JOIN businesses o ON o.id = g.business_id \
             WHERE f.business_id = b.id AND o.licensed_on < b.licensed_on) FROM businesses b WHERE b.id = $1"
        )
        .bind(business)
        .fetch_one(pool)
        .await?);
        let headcount: Option<i64> = on_db!(self, pool => sqlx::query_scalar(
            "SELECT headcount FROM business_employment WHERE business_id = $1 AND counted_on <= $2 \
             ORDER BY counted_on DESC LIMIT 1"
        )
        .bind(business)
        .bind(on)
        .fetch_optional(pool)
        .await?);
        let mut facts = Facts::new();
        facts.insert("licence_date".into(), Fact::Date(licensed_on));
        facts.insert("first_licence".into(), Fact::Boolean(earlier == 0));
        if let Some(headcount) = headcount {
            facts.insert("employees".into(), Fact::Integer(headcount));
        }
        Ok(facts)
    }

    /// What the roster knows of a graduate: when they left school.
    async fn graduate_left_school(&self, person: i64) -> Result<Option<NaiveDate>> {
        Ok(on_db!(self, pool => sqlx::query_scalar(
            "SELECT MAX(graduated_on) FROM graduates WHERE person_id = $1"
        )
        .bind(person)
        .fetch_one(pool)
        .await?))
    }

    /// The facts the registries know about this applicant: they override the form.
    pub(super) async fn known_facts(
        &self,
        scheme: &Scheme,
        policy: &Policy,
        applicant: &Applicant,
        on: NaiveDate,
    ) -> Result<Facts> {
        let mut facts = Facts::new();
        if let Some(business) = applicant.business_id {
            facts.extend(self.business_facts(business, on).await?);
        }
        if let Some(person) = applicant.person_id {
            if let Some(left) = self.graduate_left_school(person).await? {
                facts.insert("left_school_on".into(), Fact::Date(left));
            }
            if scheme.names_graduate {
                let key = claim_key(scheme, policy, applicant);
                facts.insert(
                    "counted_elsewhere".into(),
                    Fact::Boolean(self.claimed(&key).await?),
                );
                if let Some(employer) = applicant.employer_id
                    && let Some(months) = self.insured_months_at(employer, person, on).await?
                {
                    facts.insert("insured_months".into(), Fact::Integer(months));
                }
            }
        }
        Ok(facts)
    }

    /// Files an application from the portal (an employer, for itself) or the window (a
    /// street's or the district unit's staff). The rules pre-check it on its date; refused, the
    /// decision comes back with its trace and only the audit row is written. Filed, it waits
    /// for the street's review.
    pub async fn file_subsidy(
        &self,
        book: &RuleBook,
        actor: &Actor,
        draft: &ApplicationDraft,
        channel: Channel,
        ip: &str,
    ) -> Result<Filed> {
        let (scheme, policy) = scheme_and_policy(book, &draft.policy)?;
        let today = self.today();
        let applied_on = self.application_day(policy, draft, channel, today)?;
        let applicant = self.applicant_of(scheme, actor, draft, channel).await?;
        if !may_file(actor, scheme, &applicant, channel) {
            let why = "只有申请单位本身（网上）或其所在街道、区级主管单位（窗口）可以提交";
            return Err(self
                .deny(actor, format!("subsidy:{}", policy.id), why, ip)
                .await);
        }
        let known = self
            .known_facts(scheme, policy, &applicant, applied_on)
            .await?;
        let facts = combine(book, policy, &draft.facts, &known).map_err(Error::Fields)?;
        let decision = decide(book, policy, &facts, applied_on).map_err(|m| invalid("政策", m))?;
        let now = self.now();
        let event = |action: &'static str, detail: String| {
            AuditEvent::new(action, format!("subsidy:{}", policy.id))
                .by(Some(actor.user_id), &actor.username)
                .detail(detail)
                .from_ip(ip)
        };
        if !decision.eligible {
            self.audit(event("subsidy.refused", refusal(&decision)))
                .await?;
            return Ok(Filed::Refused(Box::new(decision)));
        }
        let key = claim_key(scheme, policy, &applicant);
        if scheme.applicant != ApplicantKind::Employer && self.claimed(&key).await? {
            let message = format!(
                "{} 已申请《{}》，不能重复申请",
                applicant.name, policy.title
            );
            return Err(Error::Conflict(message));
        }
        let new = NewApplication {
            scheme,
            channel,
            applicant: &applicant,
            claim_key: key,
            applied_on,
            decision: &decision,
            known: known_labels(book, &known, &facts),
            status: SubsidyStatus::StreetReview,
            notice: None,
            user_id: Some(actor.user_id),
            now,
        };
        let detail = format!(
            "《{}》{}，核定 {} 分，规则版本 {}",
            policy.title, applicant.name, decision.amount_fen, decision.trace.rule_version
        );
        let event = event("subsidy.apply", detail);
        let _guard = self.write_lock.lock().await;
        Ok(Filed::Filed(on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let id = tx.insert_application(&new).await?;
            let by = (Some(actor.user_id), actor.username.as_str());
            tx.add_step(id, StepKind::Applied, today, channel.label(), by, now).await?;
            tx.append_audit(now, &event).await?;
            tx.commit().await?;
            id
        })))
    }

    /// The application date: today on the portal; at the window as typed, not after today.
    /// The policy must be in force on it.
    fn application_day(
        &self,
        policy: &Policy,
        draft: &ApplicationDraft,
        channel: Channel,
        today: NaiveDate,
    ) -> Result<NaiveDate> {
        let day = if channel == Channel::Portal || draft.applied_on.trim().is_empty() {
            today
        } else {
            match linkong_core::cells::parse_date(&draft.applied_on) {
                Ok(day) if day > today => {
                    return Err(invalid("申请日期", format!("{day} 晚于今天")));
                }
                Ok(day) => day,
                Err(e) => return Err(invalid("申请日期", e)),
            }
        };
        if !policy.in_force(day) {
            let refused = RulesError::NotInForce {
                title: policy.title.clone(),
                date: day,
                from: policy.from,
                to: policy.to.map_or("长期".into(), |d| d.to_string()),
            };
            return Err(invalid("申请日期", refused.to_string()));
        }
        Ok(day)
    }
}

/// Who may file through `channel`: on the portal the employer itself, for the employer
/// schemes; at the window the applicant's street or the category's district unit.
fn may_file(actor: &Actor, scheme: &Scheme, applicant: &Applicant, channel: Channel) -> bool {
    match channel {
        Channel::Portal => {
            actor.role == Role::Employer
                && scheme.applicant == ApplicantKind::Employer
                && actor.employer_id == applicant.employer_id
        }
        Channel::Window => actor.may_file_subsidy(scheme.category, &applicant.street),
        Channel::Offer => false,
    }
}

/// What the audit row of a refused pre-check says: the policy and each condition not met.
fn refusal(decision: &Decision) -> String {
    let failed: Vec<&str> = decision
        .trace
        .conditions
        .iter()
        .filter(|c| !c.met)
        .map(|c| c.sentence.as_str())
        .collect();
    format!(
        "《{}》预审不通过：{}",
        decision.trace.policy_title,
        failed.join("；")
    )
}

/// The labels of the facts decided on that came from the registries.
pub(super) fn known_labels(book: &RuleBook, known: &Facts, used: &Facts) -> Vec<String> {
    used.keys()
        .filter(|name| known.contains_key(*name))
        .filter_map(|name| book.facts.get(name).map(|d| d.label.clone()))
        .collect()
}
