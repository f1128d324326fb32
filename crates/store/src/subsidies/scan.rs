//! 免申即享 in the store: gathering the candidates core decides (graduates on the roster hired
//! through the job platform, with their months of social insurance at the employer from the
//! imported enrolment list; returnee businesses with their licence and headcount), and the
//! district unit's bulk confirmation, which files each confirmed offer straight into its 公示
//! and notifies the beneficiary (portal message to an employer, SMS to a business's founder
//! through the outbox), all in one transaction.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use linkong_core::access::Actor;
use linkong_core::calendar::WorkCalendar;
use linkong_core::insurance::insured_months;
use linkong_core::rules::{Fact, RuleBook, format_fen};
use linkong_core::subsidies::scan::{Beneficiary, Hire, Offer, Venture, offers};
use linkong_core::subsidies::{
    Category, Channel, StepKind, SubsidyStatus, mask_name, notice_until,
};

use super::file::{Applicant, NewApplication, SubsidyWrite, claim_key, known_labels};
use crate::audit::{AuditAppend, AuditEvent};
use crate::{BeginWrite, Error, Result, Store, on_db};

/// Names one offer of a scan: the policy and who it is for, as a form's checkbox value
/// (`expansion_subsidy:e7:p11`, `startup_subsidy:b3`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct OfferKey(pub String);

impl OfferKey {
    pub fn of(offer: &Offer) -> OfferKey {
        OfferKey(match offer.beneficiary {
            Beneficiary::Employer {
                employer_id,
                person_id,
            } => format!("{}:e{employer_id}:p{person_id}", offer.scheme.policy_id),
            Beneficiary::Business { business_id } => {
                format!("{}:b{business_id}", offer.scheme.policy_id)
            }
        })
    }
}

/// What the scan page shows: the offers the actor may confirm, and the conflicts.
#[derive(Debug, Clone, Default)]
pub struct ScanPage {
    pub day: Option<NaiveDate>,
    pub offers: Vec<Offer>,
    pub conflicts: Vec<(String, String)>,
}

/// (applicant, claim key, known facts, message, sealed phone) of one confirmed offer.
type OfferWrite = (Applicant, String, Vec<String>, String, Option<Vec<u8>>);

/// The offers of the scan that `keys` name; one no longer there refuses the batch, named.
fn chosen_offers<'p>(page: &'p ScanPage, keys: &[OfferKey]) -> Result<Vec<&'p Offer>> {
    keys.iter()
        .map(|key| {
            page.offers
                .iter()
                .find(|o| &OfferKey::of(o) == key)
                .ok_or_else(|| {
                    Error::Conflict(format!(
                        "“{}”已不在比对结果中（可能已确认或不再符合），请刷新后重试",
                        key.0
                    ))
                })
        })
        .collect()
}

type HireRow = (
    i64,
    String,
    String,
    String,
    i64,
    String,
    NaiveDate,
    NaiveDate,
);

impl Store {
    /// Full months the graduate `person` has been insured at `employer` by `on`, if the
    /// enrolment list has any row of theirs there.
    pub(super) async fn insured_months_at(
        &self,
        employer: i64,
        person: i64,
        on: NaiveDate,
    ) -> Result<Option<i64>> {
        let uscc: Option<String> = on_db!(self, pool => sqlx::query_scalar(
            "SELECT uscc FROM employers WHERE id = $1"
        )
        .bind(employer)
        .fetch_optional(pool)
        .await?);
        let Some(uscc) = uscc else {
            return Ok(None);
        };
        let mine: Vec<_> = self
            .enrolments_at_employers(std::slice::from_ref(&uscc))
            .await?
            .into_iter()
            .filter(|e| e.person_id == Some(person))
            .collect();
        Ok((!mine.is_empty()).then(|| insured_months(&mine, &uscc, on)))
    }

    /// Claim keys of applications in progress or paid.
    async fn claims(&self) -> Result<BTreeSet<String>> {
        let keys: Vec<String> = on_db!(self, pool => sqlx::query_scalar(
            "SELECT claim_key FROM subsidy_applications WHERE status <> 'rejected'"
        )
        .fetch_all(pool)
        .await?);
        Ok(keys.into_iter().collect())
    }

    /// Graduates on the roster placed through an application to a post: each with the
    /// employer, when they left school and were hired, and their months insured there.
    async fn scan_hires(&self, today: NaiveDate, claims: &BTreeSet<String>) -> Result<Vec<Hire>> {
        let rows: Vec<HireRow> = on_db!(self, pool => sqlx::query_as(
            "SELECT e.id, e.name, e.uscc, e.street_code, g.person_id, p.name, g.graduated_on, g.placed_on \
             FROM graduates g JOIN persons p ON p.id = g.person_id JOIN applications a ON a.id = g.placement_application \
             JOIN job_posts j ON j.id = a.post_id JOIN employers e ON e.id = j.employer_id \
             WHERE g.placement <> 'not_yet' AND g.placed_on IS NOT NULL ORDER BY g.placed_on, g.id LIMIT 5000"
        )
        .fetch_all(pool)
        .await?);
        let usccs: Vec<String> = rows
            .iter()
            .map(|r| r.2.clone())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let mut by_person: BTreeMap<i64, Vec<_>> = BTreeMap::new();
        for e in self.enrolments_at_employers(&usccs).await? {
            if let Some(person) = e.person_id {
                by_person.entry(person).or_default().push(e);
            }
        }
        Ok(rows
            .into_iter()
            .map(
                |(employer_id, employer_name, uscc, street, person_id, name, left, hired)| {
                    let enrolments = by_person.get(&person_id).map_or(&[][..], Vec::as_slice);
                    let claimed_groups = claims
                        .iter()
                        .filter_map(|k| k.strip_prefix("group:"))
                        .filter_map(|k| k.strip_suffix(&format!(":person:{person_id}")))
                        .map(str::to_owned)
                        .collect();
                    Hire {
                        employer_id,
                        employer_name,
                        person_id,
                        person_name: mask_name(&name),
                        street_code: street,
                        left_school_on: left,
                        hired_on: hired,
                        insured_months: insured_months(enrolments, &uscc, today),
                        claimed_groups,
                    }
                },
            )
            .collect())
    }

    /// Returnee businesses trading, with what the registries know of them.
    async fn scan_ventures(
        &self,
        today: NaiveDate,
        claims: &BTreeSet<String>,
    ) -> Result<Vec<Venture>> {
        let rows: Vec<(i64, String, String)> = on_db!(self, pool => sqlx::query_as(
            "SELECT id, name, street_code FROM businesses WHERE status = 'operating' ORDER BY id LIMIT 5000"
        )
        .fetch_all(pool)
        .await?);
        let mut ventures = Vec::new();
        for (business_id, name, street_code) in rows {
            let facts = self.business_facts(business_id, today).await?;
            let (Some(Fact::Date(licensed_on)), Some(Fact::Boolean(first)), Some(Fact::Integer(n))) = (
                facts.get("licence_date"),
                facts.get("first_licence"),
                facts.get("employees"),
            ) else {
                continue;
            };
            let claimed = claims
                .iter()
                .filter_map(|k| k.strip_prefix("policy:"))
                .filter_map(|k| k.strip_suffix(&format!(":business:{business_id}")))
                .map(str::to_owned)
                .collect();
            ventures.push(Venture {
                business_id,
                name,
                street_code,
                licensed_on: *licensed_on,
                first_licence: *first,
                employees: *n,
                claimed,
            });
        }
        Ok(ventures)
    }

    /// The offers today, as far as the actor confirms them (the district unit of each category,
    /// or 区人社局's reviewers); anyone who confirms none is refused and audited.
    pub async fn subsidy_scan(&self, book: &RuleBook, actor: &Actor, ip: &str) -> Result<ScanPage> {
        if !Category::ALL
            .iter()
            .any(|c| actor.may_review_subsidy_for_district(*c))
        {
            let why = "只有区级主管单位可以运行“免申即享”比对";
            return Err(self.deny(actor, "subsidies:scan".into(), why, ip).await);
        }
        let today = self.today();
        let claims = self.claims().await?;
        let hires = self.scan_hires(today, &claims).await?;
        let ventures = self.scan_ventures(today, &claims).await?;
        let mut found = offers(book, today, &hires, &ventures);
        found
            .offers
            .retain(|o| actor.may_review_subsidy_for_district(o.scheme.category));
        Ok(ScanPage {
            day: Some(today),
            offers: found.offers,
            conflicts: found.conflicts,
        })
    }

    /// Confirms the chosen offers in one transaction: each becomes an application already past
    /// the street's and the district's checks, in 公示 from today for seven working days, and
    /// its beneficiary is notified. An offer no longer found (confirmed meanwhile, or no longer
    /// eligible) refuses the whole batch, naming it.
    pub async fn confirm_offers(
        &self,
        book: &RuleBook,
        calendar: &WorkCalendar,
        actor: &Actor,
        keys: &[OfferKey],
        ip: &str,
    ) -> Result<usize> {
        if keys.is_empty() {
            return Err(Error::invalid("确认对象", "请至少勾选一项"));
        }
        let page = self.subsidy_scan(book, actor, ip).await?;
        let chosen = chosen_offers(&page, keys)?;
        let today = self.today();
        let notice = (today, notice_until(calendar, today));
        let now = self.now();
        let writes = self.offer_writes(book, &chosen, notice).await?;
        let event = AuditEvent::new("subsidy.offer_confirm", "subsidies:scan")
            .by(Some(actor.user_id), &actor.username)
            .detail(format!("确认“免申即享” {} 项", chosen.len()))
            .from_ip(ip);
        let _guard = self.write_lock.lock().await;
        on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            for (offer, (applicant, key, known, message, phone)) in chosen.iter().zip(&writes) {
                let new = NewApplication {
                    scheme: offer.scheme,
                    channel: Channel::Offer,
                    applicant,
                    claim_key: key.clone(),
                    applied_on: today,
                    decision: &offer.decision,
                    known: known.clone(),
                    status: SubsidyStatus::Notice,
                    notice: Some(notice),
                    user_id: Some(actor.user_id),
                    now,
                };
                let id = tx.insert_application(&new).await?;
                let by = (Some(actor.user_id), actor.username.as_str());
                tx.add_step(id, StepKind::Offered, today, "数据比对符合条件，免于申请", by, now).await?;
                tx.add_step(id, StepKind::DistrictPassed, today, "", by, now).await?;
                let channel = if applicant.employer_id.is_some() { "portal" } else { "sms" };
                sqlx::query(
                    "INSERT INTO notifications (channel, employer_id, person_id, phone_enc, body, application_id, created_at) \
                     VALUES ($1, $2, NULL, $3, $4, $5, $6)",
                )
                .bind(channel)
                .bind(applicant.employer_id)
                .bind(phone)
                .bind(message)
                .bind(id)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            }
            tx.append_audit(now, &event).await?;
            tx.commit().await?;
        });
        Ok(chosen.len())
    }

    /// What confirming each offer writes: its applicant, claim key, facts from the registries,
    /// the message to its beneficiary and, for a business, its founder's sealed phone.
    async fn offer_writes(
        &self,
        book: &RuleBook,
        chosen: &[&Offer],
        notice: (NaiveDate, NaiveDate),
    ) -> Result<Vec<OfferWrite>> {
        let mut writes = Vec::new();
        for offer in chosen {
            let applicant = self.offer_applicant(offer).await?;
            let policy = book
                .policy(offer.scheme.policy_id)
                .map_err(|e| Error::Config(e.to_string()))?;
            let key = claim_key(offer.scheme, policy, &applicant);
            let known = known_labels(book, &offer.facts, &offer.facts);
            let message = format!(
                "【东西湖区】经数据比对，{}符合《{}》条件，核定 {}，无需申请，已进入公示（{} 至 {}）。",
                applicant.name,
                policy.title,
                format_fen(offer.decision.amount_fen),
                notice.0,
                notice.1
            );
            let phone = match applicant.business_id {
                Some(business) => self.founder_phone(business).await?,
                None => None,
            };
            writes.push((applicant, key, known, message, phone));
        }
        Ok(writes)
    }

    /// The applicant of an offer, as filing would name it.
    async fn offer_applicant(&self, offer: &Offer) -> Result<Applicant> {
        match offer.beneficiary {
            Beneficiary::Employer {
                employer_id,
                person_id,
            } => {
                let (street, name): (String, String) = on_db!(self, pool => sqlx::query_as(
                    "SELECT street_code, name FROM employers WHERE id = $1"
                )
                .bind(employer_id)
                .fetch_one(pool)
                .await?);
                Ok(Applicant {
                    employer_id: Some(employer_id),
                    person_id: Some(person_id),
                    street,
                    name,
                    ..Applicant::default()
                })
            }
            Beneficiary::Business { business_id } => {
                let (street, name): (String, String) = on_db!(self, pool => sqlx::query_as(
                    "SELECT street_code, name FROM businesses WHERE id = $1"
                )
                .bind(business_id)
                .fetch_one(pool)
                .await?);
                Ok(Applicant {
                    business_id: Some(business_id),
                    street,
                    name,
                    ..Applicant::default()
                })
            }
        }
    }

    /// The main founder's phone, sealed as stored, for the SMS outbox.
    async fn founder_phone(&self, business: i64) -> Result<Option<Vec<u8>>> {
        let phone: Option<Option<Vec<u8>>> = on_db!(self, pool => sqlx::query_scalar(
            "SELECT p.phone_enc FROM business_founders f JOIN persons p ON p.id = f.person_id \
             WHERE f.business_id = $1 ORDER BY f.position LIMIT 1"
        )
        .bind(business)
        .fetch_optional(pool)
        .await?);
        Ok(phone.flatten())
    }
}
