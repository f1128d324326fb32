//! Returnee title evaluation (职称评审申报, task 2.4.4): a unit of 2.4.4 records the applications
//! it took in and forwarded to an evaluation committee, each naming a returnee of the
//! out-migrant registry by resident ID (found through the blind index, within the unit's
//! reach), and later the committee's result. Applications count toward 2.4.4 (人次) for the
//! recording unit on the forwarded day, the tally written in the same transaction as the row
//! and its audit line; the result is an audited update that moves no figure.

use chrono::NaiveDate;
use linkong_core::access::{Actor, Gate, TitleScope};
use linkong_core::field::FieldError;
use linkong_core::plan::Plan;
use linkong_core::time::local_date;
use linkong_core::titles::{
    ApplicationDraft, ResultDraft, TitleLevel, TitleResult, TitleSeries, ValidApplication,
    validate_application, validate_result,
};
use serde::Serialize;

use crate::audit::{AuditAppend, AuditEvent};
use crate::figures::{DayKey, FigureWrite, Kind};
use crate::market_order::days_of;
use crate::{BeginWrite, Error, Result, Store, on_db};

/// An application as the pages show it: the applicant's ID masked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TitleApplication {
    pub id: i64,
    pub person_id: i64,
    pub name: String,
    pub id_masked: String,
    /// The unit that took it in and forwarded it.
    pub unit_code: String,
    pub series: TitleSeries,
    pub speciality: String,
    pub level: TitleLevel,
    pub submitted_on: NaiveDate,
    pub committee: String,
    pub forwarded_on: NaiveDate,
    pub result: TitleResult,
    pub obtained_on: Option<NaiveDate>,
}

type ApplicationRow = (
    i64,
    i64,
    String,
    Vec<u8>,
    String,
    String,
    String,
    String,
    NaiveDate,
    String,
    NaiveDate,
    String,
    Option<NaiveDate>,
);

const APPLICATION_SELECT: &str = "SELECT a.id, p.id, p.name, p.id_number_enc, a.unit_code, a.series, \
     a.speciality, a.level, a.submitted_on, a.committee, a.forwarded_on, a.result, a.obtained_on \
     FROM title_applications a JOIN persons p ON p.id = a.person_id";

impl Store {
    fn application_of(&self, row: ApplicationRow) -> Result<TitleApplication> {
        let unreadable = |what: &str| Error::Config(format!("职称申报 {} 的{what}无法识别", row.0));
        Ok(TitleApplication {
            id: row.0,
            person_id: row.1,
            name: row.2,
            id_masked: self.masked_numbers(&row.3, None)?.0,
            unit_code: row.4,
            series: TitleSeries::parse(&row.5).map_err(|_| unreadable("职称系列"))?,
            speciality: row.6,
            level: TitleLevel::parse(&row.7).map_err(|_| unreadable("申报级别"))?,
            submitted_on: row.8,
            committee: row.9,
            forwarded_on: row.10,
            result: TitleResult::parse(&row.11).map_err(|_| unreadable("评审结果"))?,
            obtained_on: row.12,
        })
    }

    /// The application as core checks it, with its applicant found in the registry within the
    /// actor's reach.
    async fn checked_application(
        &self,
        plan: &Plan,
        actor: &Actor,
        draft: &ApplicationDraft,
    ) -> Result<(ValidApplication, i64)> {
        let app = validate_application(draft, local_date(self.now())).map_err(Error::Fields)?;
        match self.returnee(plan, actor, app.id.as_str()).await? {
            Ok(person) => Ok((app, person)),
            Err(message) => Err(Error::Fields(vec![FieldError {
                field: "身份证号码",
                message,
            }])),
        }
    }

    /// Records an application taken in and forwarded by the actor's own unit of 2.4.4; it
    /// counts toward 2.4.4 on its forwarded day. One transaction with its tally and audit row.
    pub async fn record_title_application(
        &self,
        plan: &Plan,
        actor: &Actor,
        draft: &ApplicationDraft,
        ip: &str,
    ) -> Result<i64> {
        self.enter(actor, Gate::TitleForm { plan }, ip).await?;
        let unit = actor.titles_unit(plan).unwrap_or_default().to_owned();
        let (app, person) = self.checked_application(plan, actor, draft).await?;
        let now = self.now();
        let event = AuditEvent::new("titles.application", format!("person:{person}"))
            .by(Some(actor.user_id), &actor.username)
            .detail(format!(
                "{}{}（{}），报送{}",
                app.series.label(),
                app.level.label(),
                app.speciality,
                app.committee
            ))
            .from_ip(ip);
        let keys = [DayKey::new(
            Kind::TitlesForwarded,
            "",
            &unit,
            app.forwarded_on,
        )];
        let _guard = self.write_lock.lock().await;
        Ok(on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO title_applications (person_id, unit_code, series, speciality, level, submitted_on, \
                 committee, forwarded_on, result, obtained_on, created_by, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'pending', NULL, $9, $10, $10) RETURNING id",
            )
            .bind(person)
            .bind(&unit)
            .bind(app.series.code())
            .bind(&app.speciality)
            .bind(app.level.code())
            .bind(app.submitted_on)
            .bind(&app.committee)
            .bind(app.forwarded_on)
            .bind(actor.user_id)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            tx.refresh_figures(&keys).await?;
            tx.append_audit(now, &event).await?;
            tx.commit().await?;
            id
        }))
    }

    /// Records the committee's result of an application: only by the unit that recorded it,
    /// checked by core against its days; an audited update that moves no figure.
    pub async fn record_title_result(
        &self,
        plan: &Plan,
        actor: &Actor,
        id: i64,
        draft: &ResultDraft,
        ip: &str,
    ) -> Result<()> {
        let stored: Option<(String, NaiveDate, NaiveDate, String)> = on_db!(self, pool => sqlx::query_as(
            "SELECT unit_code, submitted_on, forwarded_on, result FROM title_applications WHERE id = $1"
        )
        .bind(id)
        .fetch_optional(pool)
        .await?);
        let (unit, submitted_on, forwarded_on, before) =
            stored.ok_or_else(|| Error::not_found("该职称评审申报不存在"))?;
        if !actor.may_keep_titles_of(plan, &unit) {
            let why = "只能登记本单位受理的职称评审申报的结果";
            return Err(self.deny(actor, format!("title:{id}"), why, ip).await);
        }
        let today = local_date(self.now());
        let valid =
            validate_result(draft, submitted_on, forwarded_on, today).map_err(Error::Fields)?;
        let now = self.now();
        let before = TitleResult::parse(&before).map_or("？", TitleResult::label);
        let event = AuditEvent::new("titles.result", format!("title:{id}"))
            .by(Some(actor.user_id), &actor.username)
            .detail(format!("{before} → {}", valid.result.label()))
            .from_ip(ip);
        let _guard = self.write_lock.lock().await;
        on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            sqlx::query(
                "UPDATE title_applications SET result = $1, obtained_on = $2, updated_at = $3 WHERE id = $4",
            )
            .bind(valid.result.code())
            .bind(valid.obtained_on)
            .bind(now)
            .bind(id)
            .execute(&mut *tx)
            .await?;
            tx.append_audit(now, &event).await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// The unit whose applications a list shows: `asked` within the actor's scope; a refusal
    /// (audited) when the actor reaches none or asks beyond its own.
    async fn title_unit_filter(
        &self,
        plan: &Plan,
        actor: &Actor,
        asked: Option<&str>,
        ip: &str,
    ) -> Result<String> {
        match (actor.title_scope(plan), asked) {
            (TitleScope::All, asked) => Ok(asked.unwrap_or_default().to_owned()),
            (TitleScope::Unit(own), None) => Ok(own),
            (scope @ TitleScope::Unit(_), Some(unit)) if scope.reaches(unit) => Ok(unit.into()),
            _ => {
                let why = "只能查看本单位受理的职称评审申报";
                Err(self.deny(actor, "titles".into(), why, ip).await)
            }
        }
    }

    /// The applications forwarded in `year` (every year when `None`) that the actor reaches,
    /// of `unit` if given, latest first, IDs masked.
    pub async fn title_applications(
        &self,
        plan: &Plan,
        actor: &Actor,
        year: Option<i32>,
        unit: Option<&str>,
        ip: &str,
    ) -> Result<Vec<TitleApplication>> {
        let unit = self.title_unit_filter(plan, actor, unit, ip).await?;
        let (from, to) = days_of(year);
        let rows: Vec<ApplicationRow> = on_db!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "{APPLICATION_SELECT} WHERE a.forwarded_on >= $1 AND a.forwarded_on <= $2 \
             AND ($3 = '' OR a.unit_code = $3) ORDER BY a.forwarded_on DESC, a.id DESC LIMIT 2000"
        )))
        .bind(from)
        .bind(to)
        .bind(&unit)
        .fetch_all(pool)
        .await?);
        rows.into_iter().map(|r| self.application_of(r)).collect()
    }

    /// One application, if the actor reaches its unit; an attempt outside is refused and
    /// audited.
    pub async fn title_application(
        &self,
        plan: &Plan,
        actor: &Actor,
        id: i64,
        ip: &str,
    ) -> Result<TitleApplication> {
        let row: Option<ApplicationRow> = on_db!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "{APPLICATION_SELECT} WHERE a.id = $1"
        )))
        .bind(id)
        .fetch_optional(pool)
        .await?);
        let app =
            self.application_of(row.ok_or_else(|| Error::not_found("该职称评审申报不存在"))?)?;
        if !actor.title_scope(plan).reaches(&app.unit_code) {
            let why = "只能查看本单位受理的职称评审申报";
            return Err(self.deny(actor, format!("title:{id}"), why, ip).await);
        }
        Ok(app)
    }

    /// Registry rows within [from, to]: applications by recording unit on the forwarded day,
    /// or HR services by the action's organiser on the service day: (id, unit, day).
    pub(crate) async fn titles_hr_rows(
        &self,
        services: bool,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<(i64, String, NaiveDate)>> {
        let sql = if services {
            "SELECT s.id, a.organiser, s.served_on FROM hr_services s JOIN hr_actions a ON a.id = s.action_id \
             WHERE s.served_on >= $1 AND s.served_on <= $2"
        } else {
            "SELECT id, unit_code, forwarded_on FROM title_applications \
             WHERE forwarded_on >= $1 AND forwarded_on <= $2"
        };
        Ok(on_db!(self, pool => sqlx::query_as(sql)
            .bind(from)
            .bind(to)
            .fetch_all(pool)
            .await?))
    }
}
