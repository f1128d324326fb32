//! The steps after filing: the street's and the district unit's reviews, objections in the
//! 公示 and their answers, and 区财政局's payment, each one transaction with its history row
//! and audit row (the payment also with the day's figure tallies).

use chrono::NaiveDate;
use linkong_core::access::Actor;
use linkong_core::calendar::WorkCalendar;
use linkong_core::subsidies::{
    Level, ObjectionDraft, PaymentDraft, StepKind, SubsidyStatus, may_object, may_pay,
    review_verdict, stage_for, validate_answer, validate_objection, validate_payment,
};

use super::SubsidyApplication;
use super::file::SubsidyWrite;
use crate::audit::{AuditAppend, AuditEvent};
use crate::figures::{DayKey, FigureWrite, Kind};
use crate::{BeginWrite, Error, Result, Store, on_db};

/// A review's verdict as typed: pass, or reject with a reason.
#[derive(Debug, Clone, Default)]
pub struct ReviewDraft {
    /// `pass` or `reject`.
    pub verdict: String,
    pub note: String,
}

/// The tallies a payment changes: its category's money for the district unit on the day
/// paid, and the 免申即享 money when it came from an offer.
pub(super) fn payment_keys(application: &SubsidyApplication, paid_on: NaiveDate) -> Vec<DayKey> {
    let unit = application.counted_for.as_str();
    vec![
        DayKey::new(
            Kind::SubsidyPaid,
            application.category.code(),
            unit,
            paid_on,
        ),
        DayKey::new(Kind::OfferPaid, "", unit, paid_on),
    ]
}

fn conflict(message: String) -> Error {
    Error::Conflict(message)
}

impl Store {
    /// The street's or the district unit's review. Passing the district review starts the
    /// 公示: [`linkong_core::subsidies::NOTICE_DAYS`] working days from the next working day.
    /// A rejection needs its reason, which the applicant sees.
    pub async fn review_subsidy(
        &self,
        calendar: &WorkCalendar,
        actor: &Actor,
        id: i64,
        level: Level,
        draft: &ReviewDraft,
        ip: &str,
    ) -> Result<()> {
        let application = self.stored_subsidy(calendar, id).await?;
        let allowed = match level {
            Level::Street => actor.may_review_subsidy_for_street(&application.street_code),
            Level::District => actor.may_review_subsidy_for_district(application.category),
        };
        let (expected, action) = level.waits_in();
        if !allowed {
            let why = "只有申请主体所在街道、该类补贴的区级主管单位可以审核";
            return Err(self.deny(actor, format!("subsidy:{id}"), why, ip).await);
        }
        stage_for(application.status, expected, action).map_err(conflict)?;
        let verdict = review_verdict(level, &draft.verdict, &draft.note).map_err(Error::Fields)?;
        let today = self.today();
        let notice = verdict.starts_notice.then(|| {
            (
                today,
                linkong_core::subsidies::notice_until(calendar, today),
            )
        });
        let (status, step, note) = (verdict.status, verdict.step, &verdict.note);
        let event = AuditEvent::new("subsidy.review", format!("subsidy:{id}"))
            .by(Some(actor.user_id), &actor.username)
            .detail(format!(
                "{}：{}{}",
                action,
                step.label(),
                if note.is_empty() {
                    String::new()
                } else {
                    format!("（{note}）")
                }
            ))
            .from_ip(ip);
        let now = self.now();
        let _guard = self.write_lock.lock().await;
        on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let changed = sqlx::query(
                "UPDATE subsidy_applications SET status = $1, status_on = $2, notice_from = $3, notice_until = $4, \
                 reason = $5, updated_at = $6 WHERE id = $7 AND status = $8",
            )
            .bind(status.code())
            .bind(today)
            .bind(notice.map(|(from, _)| from))
            .bind(notice.map(|(_, until)| until))
            .bind(&verdict.reason)
            .bind(now)
            .bind(id)
            .bind(expected.code())
            .execute(&mut *tx)
            .await?;
            if changed.rows_affected() != 1 {
                return Err(conflict("该申请已被他人处理，请刷新后重试".into()));
            }
            let by = (Some(actor.user_id), actor.username.as_str());
            tx.add_step(id, step, today, note, by, now).await?;
            tx.append_audit(now, &event).await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// An objection lodged by anyone on the public 公示 page while the 公示 runs; the contact
    /// is encrypted. Audited without its text's contact.
    pub async fn object_to_subsidy(
        &self,
        calendar: &WorkCalendar,
        id: i64,
        draft: &ObjectionDraft,
        ip: &str,
    ) -> Result<()> {
        let application = self.stored_subsidy(calendar, id).await?;
        let today = self.today();
        may_object(application.status, application.notice_until, today).map_err(conflict)?;
        let (text, contact) = validate_objection(draft).map_err(Error::Fields)?;
        let contact = if contact.is_empty() {
            None
        } else {
            Some(self.cipher()?.encrypt(&contact))
        };
        let now = self.now();
        let event = AuditEvent::new("subsidy.objection", format!("subsidy:{id}"))
            .by(None, "公众")
            .detail(format!("公示异议（{} 字）", text.chars().count()))
            .from_ip(ip);
        let _guard = self.write_lock.lock().await;
        on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            sqlx::query(
                "INSERT INTO subsidy_objections (application_id, lodged_on, text, contact_enc, created_at) \
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(id)
            .bind(today)
            .bind(&text)
            .bind(contact)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            tx.add_step(id, StepKind::Objection, today, "", (None, "公众"), now).await?;
            tx.append_audit(now, &event).await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// The district unit answers an objection; upheld, the application is rejected with the
    /// answer as its reason.
    #[allow(clippy::too_many_arguments)]
    pub async fn answer_objection(
        &self,
        calendar: &WorkCalendar,
        actor: &Actor,
        id: i64,
        objection: i64,
        upheld: &str,
        answer: &str,
        ip: &str,
    ) -> Result<()> {
        let application = self.stored_subsidy(calendar, id).await?;
        if !actor.may_review_subsidy_for_district(application.category) {
            let why = "只有该类补贴的区级主管单位可以答复公示异议";
            return Err(self.deny(actor, format!("subsidy:{id}"), why, ip).await);
        }
        stage_for(application.status, SubsidyStatus::Notice, "答复异议").map_err(conflict)?;
        let answer = validate_answer(upheld, answer).map_err(Error::Fields)?;
        let today = self.today();
        let now = self.now();
        let step = if answer.upheld {
            StepKind::ObjectionUpheld
        } else {
            StepKind::ObjectionAnswered
        };
        let event = AuditEvent::new("subsidy.objection_answer", format!("subsidy:{id}"))
            .by(Some(actor.user_id), &actor.username)
            .detail(step.label())
            .from_ip(ip);
        let _guard = self.write_lock.lock().await;
        on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let changed = sqlx::query(
                "UPDATE subsidy_objections SET answer = $1, upheld = $2, answered_on = $3, answered_by = $4 \
                 WHERE id = $5 AND application_id = $6 AND answer IS NULL",
            )
            .bind(&answer.answer)
            .bind(answer.upheld)
            .bind(today)
            .bind(actor.user_id)
            .bind(objection)
            .bind(id)
            .execute(&mut *tx)
            .await?;
            if changed.rows_affected() != 1 {
                return Err(conflict("该异议不存在或已答复".into()));
            }
            if answer.upheld {
                sqlx::query(
                    "UPDATE subsidy_applications SET status = 'rejected', status_on = $1, reason = $2, updated_at = $3 \
                     WHERE id = $4 AND status = 'notice'",
                )
                .bind(today)
                .bind(&answer.answer)
                .bind(now)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            }
            let by = (Some(actor.user_id), actor.username.as_str());
            tx.add_step(id, step, today, &answer.answer, by, now).await?;
            tx.append_audit(now, &event).await?;
            tx.commit().await?;
        });
        Ok(())
    }

    async fn open_objections(&self, id: i64) -> Result<i64> {
        Ok(on_db!(self, pool => sqlx::query_scalar(
            "SELECT COUNT(*) FROM subsidy_objections WHERE application_id = $1 AND answer IS NULL"
        )
        .bind(id)
        .fetch_one(pool)
        .await?))
    }

    /// 区财政局 records the payment of an application whose 公示 has ended with every objection
    /// answered: at most the approved amount, to an account kept encrypted (its last four
    /// digits for the mask). The day's money tallies change in the same transaction.
    pub async fn pay_subsidy(
        &self,
        calendar: &WorkCalendar,
        actor: &Actor,
        id: i64,
        draft: &PaymentDraft,
        ip: &str,
    ) -> Result<()> {
        if !actor.may_pay_subsidy() {
            let why = "只有区财政局可以登记拨付";
            return Err(self.deny(actor, format!("subsidy:{id}"), why, ip).await);
        }
        let application = self.stored_subsidy(calendar, id).await?;
        let today = self.today();
        let open = self.open_objections(id).await?;
        may_pay(application.status, application.notice_until, today, open).map_err(conflict)?;
        let payment = validate_payment(
            draft,
            application.amount_fen,
            application.notice_until,
            today,
        )
        .map_err(Error::Fields)?;
        let tail: String = payment.account[payment.account.len() - 4..].to_owned();
        let sealed = self.cipher()?.encrypt(&payment.account);
        let keys = payment_keys(&application, payment.paid_on);
        let now = self.now();
        let event = AuditEvent::new("subsidy.pay", format!("subsidy:{id}"))
            .by(Some(actor.user_id), &actor.username)
            .detail(format!(
                "拨付 {} 分（核定 {} 分），账号尾号 {tail}",
                payment.amount_fen, application.amount_fen
            ))
            .from_ip(ip);
        let _guard = self.write_lock.lock().await;
        on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let changed = sqlx::query(
                "UPDATE subsidy_applications SET status = 'paid', status_on = $1, paid_fen = $2, paid_on = $3, \
                 updated_at = $4 WHERE id = $5 AND status = 'notice'",
            )
            .bind(today)
            .bind(payment.amount_fen)
            .bind(payment.paid_on)
            .bind(now)
            .bind(id)
            .execute(&mut *tx)
            .await?;
            if changed.rows_affected() != 1 {
                return Err(conflict("该申请已被他人处理，请刷新后重试".into()));
            }
            sqlx::query(
                "INSERT INTO subsidy_payments (application_id, amount_fen, paid_on, account_enc, account_tail, paid_by, \
                 created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(id)
            .bind(payment.amount_fen)
            .bind(payment.paid_on)
            .bind(sealed)
            .bind(&tail)
            .bind(actor.user_id)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            let by = (Some(actor.user_id), actor.username.as_str());
            tx.add_step(id, StepKind::Paid, payment.paid_on, "", by, now).await?;
            tx.refresh_figures(&keys).await?;
            tx.append_audit(now, &event).await?;
            tx.commit().await?;
        });
        Ok(())
    }
}
