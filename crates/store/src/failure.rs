//! Failure support (创业失败帮扶, task 2.3.4): a case for each founder of a returnee business
//! that closed (opened in the closure's own transaction, see `businesses.rs`) or opened by hand
//! for a business not in the registry; its support steps, each by a unit of 2.3.4 with a
//! planned date and the day it was done; and the outcome it closes with. Each step done is a
//! figure of 2.3.4 for its responsible unit on its done day, kept in the same transaction.
//!
//! Scoping comes from core (`Actor::failure_scope`) and is applied in the query and again on
//! every case: a street reaches its own cases (and those with a step given to it), a
//! cooperating unit the cases with a step given to it, 区人社局 and the district's readers all.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use linkong_core::access::{Actor, FailureReach, FailureScope, Gate};
use linkong_core::failure::{
    CaseDraft, CaseFacts, CloseDraft, FailureOutcome, FailureStatus, StepDraft, StepKind,
    StepStatus, restart_wish, step_status, takes_closing, takes_done, takes_steps, validate_case,
    validate_close, validate_done, validate_step,
};
use linkong_core::field::FieldError;
use linkong_core::plan::Plan;
use linkong_core::time::local_date;
use serde::Serialize;

use crate::audit::{AuditAppend, AuditEvent};
use crate::figures::{DayKey, FigureWrite, Kind};
use crate::{BeginWrite, Error, Result, Store, on_db};

mod write;
pub(crate) use write::{FailureWrite, NewCase};

/// A support step as pages and the API show it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SupportStep {
    pub id: i64,
    pub kind: StepKind,
    /// The unit of 2.3.4 responsible for it (its figure counts for this unit).
    pub unit_code: String,
    pub planned_on: NaiveDate,
    pub done_on: Option<NaiveDate>,
    pub note: String,
    pub status: StepStatus,
}

/// A case as lists, pages and the API show it: the person's ID masked.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FailureCase {
    pub id: i64,
    pub person_id: i64,
    pub name: String,
    /// The resident ID masked (420112********1234).
    pub id_masked: String,
    /// The closed business when it is in the registry; `null` for a case opened by hand.
    pub business_id: Option<i64>,
    pub business_name: String,
    pub business_closed_on: NaiveDate,
    pub close_reason: String,
    /// The responsible street.
    pub street_code: String,
    pub opened_on: NaiveDate,
    /// 有再创业意愿: restart steps (training, guidance, financing) may be planned.
    pub wants_restart: bool,
    pub outcome: Option<FailureOutcome>,
    pub closed_on: Option<NaiveDate>,
    /// For 再创业: the new business, when it is in the registry.
    pub new_business_id: Option<i64>,
    pub new_business_name: Option<String>,
    pub outcome_note: String,
    pub status: FailureStatus,
    pub steps: Vec<SupportStep>,
}

impl FailureCase {
    fn reach_units(&self) -> Vec<&str> {
        self.steps.iter().map(|s| s.unit_code.as_str()).collect()
    }

    fn facts(&self) -> CaseFacts {
        CaseFacts {
            opened_on: self.opened_on,
            wants_restart: self.wants_restart,
            closed: self.outcome.is_some(),
        }
    }
}

/// A case with what its close form offers: the person's other businesses in the registry that
/// the reader reaches (the new business of a 再创业).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CaseDetail {
    pub case: FailureCase,
    pub other_businesses: Vec<(i64, String)>,
}

/// Which cases a list shows, within the actor's scope.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum CaseListed {
    #[default]
    All,
    Open,
    Closed,
    /// Open, with a step past its planned date and not done (core decides which).
    Overdue,
}

/// Filters of the case list.
#[derive(Debug, Clone, Default)]
pub struct CaseFilter {
    pub street: Option<String>,
    pub listed: CaseListed,
    pub person_id: Option<i64>,
    /// The closed business, or the new business of a 再创业.
    pub business_id: Option<i64>,
}

/// A step done, with its case, for the rows behind 2.3.4's figure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DoneStep {
    pub case_id: i64,
    pub name: String,
    pub business_name: String,
    pub step: SupportStep,
}

#[derive(sqlx::FromRow)]
struct CaseRow {
    id: i64,
    person_id: i64,
    name: String,
    id_number_enc: Vec<u8>,
    business_id: Option<i64>,
    business_name: String,
    business_closed_on: NaiveDate,
    close_reason: String,
    street_code: String,
    opened_on: NaiveDate,
    wants_restart: bool,
    outcome: Option<String>,
    closed_on: Option<NaiveDate>,
    new_business_id: Option<i64>,
    new_business_name: Option<String>,
    outcome_note: String,
}

#[derive(sqlx::FromRow)]
struct StepRow {
    id: i64,
    case_id: i64,
    kind: String,
    unit_code: String,
    planned_on: NaiveDate,
    done_on: Option<NaiveDate>,
    note: String,
}

/// The list's conditions: `$1` the scope ('all', or 'some' for `$2`'s street or unit), `$3`
/// the responsible street ('' any), `$4` the person (0 any), `$5` a business (0 any).
const CASE_WHERE: &str = " WHERE ($1 = 'all' OR c.street_code = $2 \
     OR EXISTS (SELECT 1 FROM failure_steps x WHERE x.case_id = c.id AND x.unit_code = $2)) \
     AND ($3 = '' OR c.street_code = $3) AND ($4 = 0 OR c.person_id = $4) \
     AND ($5 = 0 OR c.business_id = $5 OR c.new_business_id = $5)";

const CASE_SELECT: &str = "SELECT c.id, c.person_id, p.name, p.id_number_enc, c.business_id, \
     c.business_name, c.business_closed_on, c.close_reason, c.street_code, c.opened_on, c.wants_restart, \
     c.outcome, c.closed_on, c.new_business_id, nb.name AS new_business_name, c.outcome_note \
     FROM failure_cases c JOIN persons p ON p.id = c.person_id \
     LEFT JOIN businesses nb ON nb.id = c.new_business_id";

const STEP_SELECT: &str = "SELECT s.id, s.case_id, s.kind, s.unit_code, s.planned_on, s.done_on, s.note \
     FROM failure_steps s JOIN failure_cases c ON c.id = s.case_id";

/// The most cases one list shows.
const MAX_LIST: i64 = 2000;

/// The bound values of [`CASE_WHERE`].
struct CaseArgs {
    scope: &'static str,
    scope_code: String,
    street: String,
    person_id: i64,
    business_id: i64,
}

impl CaseArgs {
    fn of(scope: &FailureScope, filter: &CaseFilter) -> CaseArgs {
        let (scope, scope_code) = match scope {
            FailureScope::Street(code) | FailureScope::Unit(code) => ("some", code.clone()),
            FailureScope::All | FailureScope::Nothing => ("all", String::new()),
        };
        CaseArgs {
            scope,
            scope_code,
            street: filter.street.clone().unwrap_or_default(),
            person_id: filter.person_id.unwrap_or(0),
            business_id: filter.business_id.unwrap_or(0),
        }
    }

    fn one(id: i64) -> (String, i64) {
        (" WHERE c.id = $1".into(), id)
    }
}

fn step_of(row: StepRow, case_closed: bool, today: NaiveDate) -> Result<SupportStep> {
    let kind = StepKind::parse(&row.kind)
        .map_err(|_| Error::Config(format!("帮扶措施 {} 的类别无法识别", row.id)))?;
    Ok(SupportStep {
        id: row.id,
        kind,
        status: step_status(row.planned_on, row.done_on.is_some(), case_closed, today),
        unit_code: row.unit_code,
        planned_on: row.planned_on,
        done_on: row.done_on,
        note: row.note,
    })
}

impl Store {
    fn failure_case_of(
        &self,
        row: CaseRow,
        steps: Vec<StepRow>,
        today: NaiveDate,
    ) -> Result<FailureCase> {
        let outcome = row
            .outcome
            .as_deref()
            .map(FailureOutcome::parse)
            .transpose()
            .map_err(|_| Error::Config(format!("帮扶档案 {} 的结果无法识别", row.id)))?;
        let closed = outcome.is_some();
        let steps: Vec<SupportStep> = steps
            .into_iter()
            .map(|s| step_of(s, closed, today))
            .collect::<Result<_>>()?;
        let statuses: Vec<StepStatus> = steps.iter().map(|s| s.status).collect();
        Ok(FailureCase {
            id: row.id,
            person_id: row.person_id,
            name: row.name,
            id_masked: self.masked_numbers(&row.id_number_enc, None)?.0,
            business_id: row.business_id,
            business_name: row.business_name,
            business_closed_on: row.business_closed_on,
            close_reason: row.close_reason,
            street_code: row.street_code,
            opened_on: row.opened_on,
            wants_restart: row.wants_restart,
            status: FailureStatus::of(closed, &statuses),
            outcome,
            closed_on: row.closed_on,
            new_business_id: row.new_business_id,
            new_business_name: row.new_business_name,
            outcome_note: row.outcome_note,
            steps,
        })
    }

    /// Which cases the actor reads; refused (and audited) when none.
    async fn failure_scope(&self, plan: &Plan, actor: &Actor, ip: &str) -> Result<FailureScope> {
        let scope = actor.failure_scope(plan);
        if scope == FailureScope::Nothing {
            return Err(self
                .deny(actor, "failure".into(), "无权查看创业失败帮扶档案", ip)
                .await);
        }
        Ok(scope)
    }

    /// The cases of `args` and their steps, oldest step first.
    async fn failure_case_rows(&self, args: &CaseArgs) -> Result<Vec<(CaseRow, Vec<StepRow>)>> {
        macro_rules! bound {
            ($query:expr) => {
                $query
                    .bind(args.scope)
                    .bind(&args.scope_code)
                    .bind(&args.street)
                    .bind(args.person_id)
                    .bind(args.business_id)
            };
        }
        let (cases, steps): (Vec<CaseRow>, Vec<StepRow>) = on_db!(self, pool => {
            let cases = bound!(sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "{CASE_SELECT}{CASE_WHERE} ORDER BY c.opened_on DESC, c.id DESC LIMIT {MAX_LIST}"
            ))))
            .fetch_all(pool)
            .await?;
            let steps = bound!(sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "{STEP_SELECT}{CASE_WHERE} ORDER BY s.planned_on, s.id"
            ))))
            .fetch_all(pool)
            .await?;
            (cases, steps)
        });
        Ok(group_steps(cases, steps))
    }

    async fn failure_case_by_id(&self, id: i64) -> Result<FailureCase> {
        let (where_sql, id) = CaseArgs::one(id);
        let (row, steps): (Option<CaseRow>, Vec<StepRow>) = on_db!(self, pool => {
            let row = sqlx::query_as(sqlx::AssertSqlSafe(format!("{CASE_SELECT}{where_sql}")))
                .bind(id)
                .fetch_optional(pool)
                .await?;
            let steps = sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "{STEP_SELECT}{where_sql} ORDER BY s.planned_on, s.id"
            )))
            .bind(id)
            .fetch_all(pool)
            .await?;
            (row, steps)
        });
        let row = row.ok_or_else(|| Error::not_found(format!("创业失败帮扶档案 {id}")))?;
        self.failure_case_of(row, steps, local_date(self.now()))
    }

    /// The cases the actor reaches that match `filter`, newest first, each with its steps.
    /// Asking for another street's list is refused and audited.
    pub async fn failure_cases(
        &self,
        plan: &Plan,
        actor: &Actor,
        filter: &CaseFilter,
        ip: &str,
    ) -> Result<Vec<FailureCase>> {
        let scope = self.failure_scope(plan, actor, ip).await?;
        if let Some(street) = &filter.street
            && !scope.allows_street(street)
        {
            return Err(self
                .deny(
                    actor,
                    format!("failure:street:{street}"),
                    "只能查看本街道的创业失败帮扶档案",
                    ip,
                )
                .await);
        }
        self.reached_failure_cases(&scope, filter).await
    }

    /// Every case of the filter the actor reaches, for export (IDs masked), audited with the
    /// row count.
    pub async fn export_failure_cases(
        &self,
        plan: &Plan,
        actor: &Actor,
        filter: &CaseFilter,
        ip: &str,
    ) -> Result<Vec<FailureCase>> {
        let cases = self.failure_cases(plan, actor, filter, ip).await?;
        self.audit(
            AuditEvent::new("failure.export", "export:failure_cases")
                .by(Some(actor.user_id), &actor.username)
                .detail(format!("{} 份档案，号码已脱敏", cases.len()))
                .from_ip(ip),
        )
        .await?;
        Ok(cases)
    }

    async fn reached_failure_cases(
        &self,
        scope: &FailureScope,
        filter: &CaseFilter,
    ) -> Result<Vec<FailureCase>> {
        let today = local_date(self.now());
        let mut cases = Vec::new();
        for (row, steps) in self.failure_case_rows(&CaseArgs::of(scope, filter)).await? {
            let case = self.failure_case_of(row, steps, today)?;
            let units = case.reach_units();
            let reach = FailureReach {
                street: &case.street_code,
                step_units: &units,
            };
            let listed = match filter.listed {
                CaseListed::All => true,
                CaseListed::Open => case.outcome.is_none(),
                CaseListed::Closed => case.outcome.is_some(),
                CaseListed::Overdue => case.status == FailureStatus::Overdue,
            };
            if scope.reaches(reach) && listed {
                cases.push(case);
            }
        }
        Ok(cases)
    }

    /// The cases of a person or a business for their page, within the actor's scope (none when
    /// the actor reads no case: the page itself is scoped by its own registry).
    pub async fn failure_cases_about(
        &self,
        plan: &Plan,
        actor: &Actor,
        filter: &CaseFilter,
    ) -> Result<Vec<FailureCase>> {
        let scope = actor.failure_scope(plan);
        if scope == FailureScope::Nothing {
            return Ok(Vec::new());
        }
        self.reached_failure_cases(&scope, filter).await
    }

    /// One case with its steps, if the actor reaches it; an attempt outside is refused and
    /// audited.
    pub async fn failure_case(
        &self,
        plan: &Plan,
        actor: &Actor,
        id: i64,
        ip: &str,
    ) -> Result<CaseDetail> {
        let scope = self.failure_scope(plan, actor, ip).await?;
        let case = self.failure_case_by_id(id).await?;
        let units = case.reach_units();
        let reach = FailureReach {
            street: &case.street_code,
            step_units: &units,
        };
        if !scope.reaches(reach) {
            return Err(self
                .deny(
                    actor,
                    format!("failure_case:{id}"),
                    "只能查看本街道或本单位承担措施的创业失败帮扶档案",
                    ip,
                )
                .await);
        }
        let other_businesses = self.other_businesses_of_case(plan, actor, &case).await?;
        Ok(CaseDetail {
            case,
            other_businesses,
        })
    }

    /// The businesses the case's person founded, other than the closed one, that the actor
    /// reaches: the new business a 再创业 may name.
    async fn other_businesses_of_case(
        &self,
        plan: &Plan,
        actor: &Actor,
        case: &FailureCase,
    ) -> Result<Vec<(i64, String)>> {
        let rows: Vec<(i64, String, String)> = on_db!(self, pool => sqlx::query_as(
            "SELECT b.id, b.name, b.street_code FROM businesses b JOIN business_founders f \
             ON f.business_id = b.id WHERE f.person_id = $1 AND b.id <> $2 ORDER BY b.licensed_on, b.id"
        )
        .bind(case.person_id)
        .bind(case.business_id.unwrap_or(0))
        .fetch_all(pool)
        .await?);
        let scope = actor.business_scope(plan);
        Ok(rows
            .into_iter()
            .filter(|(_, _, street)| scope.reaches(street))
            .map(|(id, name, _)| (id, name))
            .collect())
    }

    /// A case the actor keeps (its street's staff, 区人社局); refused and audited otherwise.
    async fn kept_failure_case(
        &self,
        plan: &Plan,
        actor: &Actor,
        id: i64,
        ip: &str,
    ) -> Result<FailureCase> {
        let case = self.failure_case_by_id(id).await?;
        if !actor.may_keep_failure_case(plan, &case.street_code) {
            return Err(self
                .deny(
                    actor,
                    format!("failure_case:{id}"),
                    "只有档案所在街道和区人社局可以安排帮扶措施和结案",
                    ip,
                )
                .await);
        }
        Ok(case)
    }

    /// Opens a case by hand for a resident of the registry whose business is not in it: the
    /// responsible street is the person's household street, which the actor must keep.
    pub async fn open_failure_case(
        &self,
        plan: &Plan,
        actor: &Actor,
        draft: &CaseDraft,
        ip: &str,
    ) -> Result<i64> {
        let gate = Gate::FailureCaseForm { plan };
        self.enter(actor, gate, ip).await?;
        let valid = validate_case(draft, local_date(self.now())).map_err(Error::Fields)?;
        let Some((person_id, street)) = self.registered_person(&valid.person, false).await? else {
            return Err(Error::Fields(vec![FieldError {
                field: "身份证号码",
                message: format!("{} 未在平台登记，请先登记该人员", valid.person.masked()),
            }]));
        };
        if !actor.may_keep_failure_case(plan, &street) {
            return Err(self
                .deny(
                    actor,
                    format!("failure:person:{person_id}"),
                    "只能为本街道户籍人员建立创业失败帮扶档案",
                    ip,
                )
                .await);
        }
        let now = self.now();
        let case = NewCase {
            person_id,
            business_id: None,
            business_name: &valid.business_name,
            business_closed_on: valid.business_closed_on,
            close_reason: &valid.reason,
            street_code: &street,
            opened_on: valid.opened_on,
            wants_restart: valid.wants_restart,
            user_id: actor.user_id,
            now,
        };
        let event = |id: i64| {
            AuditEvent::new("failure.open", format!("failure_case:{id}"))
                .by(Some(actor.user_id), &actor.username)
                .detail(format!("手工建档（{}，{}）", street, valid.opened_on))
                .from_ip(ip)
        };
        let _guard = self.write_lock.lock().await;
        Ok(on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let id = tx.insert_case(&case).await?;
            tx.append_audit(now, &event(id)).await?;
            tx.commit().await?;
            id
        }))
    }

    /// Adds a support step to an open case (its keepers); a step already done counts for its
    /// unit on its done day, in the same transaction.
    pub async fn add_failure_step(
        &self,
        plan: &Plan,
        actor: &Actor,
        case_id: i64,
        draft: &StepDraft,
        ip: &str,
    ) -> Result<i64> {
        let case = self.kept_failure_case(plan, actor, case_id, ip).await?;
        takes_steps(case.outcome.is_some()).map_err(Error::Conflict)?;
        let today = local_date(self.now());
        let step = validate_step(plan, draft, case.facts(), today).map_err(Error::Fields)?;
        let now = self.now();
        let event = AuditEvent::new("failure.step", format!("failure_case:{case_id}"))
            .by(Some(actor.user_id), &actor.username)
            .detail(format!(
                "{}（{}，计划 {}{}）",
                step.kind.label(),
                step.unit,
                step.planned_on,
                step.done_on
                    .map(|d| format!("，完成 {d}"))
                    .unwrap_or_default()
            ))
            .from_ip(ip);
        let keys: Vec<DayKey> = step
            .done_on
            .map(|day| DayKey::new(Kind::FailureStep, "", &step.unit, day))
            .into_iter()
            .collect();
        let _guard = self.write_lock.lock().await;
        Ok(on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let Some(id) = tx.insert_step(case_id, &step, actor.user_id, now).await? else {
                return Err(Error::Conflict("该帮扶已结案，不能再添加帮扶措施".into()));
            };
            tx.refresh_figures(&keys).await?;
            tx.append_audit(now, &event).await?;
            tx.commit().await?;
            id
        }))
    }

    /// Records a planned step as done: its unit's staff, or the case's keepers. It counts for
    /// the step's unit on `done_on`.
    pub async fn record_step_done(
        &self,
        plan: &Plan,
        actor: &Actor,
        (case_id, step_id): (i64, i64),
        done_on: &str,
        ip: &str,
    ) -> Result<()> {
        let case = self.failure_case_by_id(case_id).await?;
        let step = case
            .steps
            .iter()
            .find(|s| s.id == step_id)
            .ok_or_else(|| Error::not_found(format!("帮扶措施 {step_id}")))?;
        if !actor.may_record_step_done(plan, &case.street_code, &step.unit_code) {
            return Err(self
                .deny(
                    actor,
                    format!("failure_case:{case_id}"),
                    "只有措施的责任单位、档案所在街道和区人社局可以登记措施完成",
                    ip,
                )
                .await);
        }
        takes_done(step.done_on.is_some(), case.outcome.is_some()).map_err(Error::Conflict)?;
        let day = validate_done(done_on, case.opened_on, local_date(self.now()))
            .map_err(Error::Fields)?;
        let now = self.now();
        let event = AuditEvent::new("failure.step_done", format!("failure_case:{case_id}"))
            .by(Some(actor.user_id), &actor.username)
            .detail(format!(
                "{}（{}）完成 {day}",
                step.kind.label(),
                step.unit_code
            ))
            .from_ip(ip);
        let key = DayKey::new(Kind::FailureStep, "", &step.unit_code, day);
        let _guard = self.write_lock.lock().await;
        on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            if !tx.mark_step_done(step_id, day, actor.user_id).await? {
                return Err(Error::Conflict("该措施已登记完成或档案已结案".into()));
            }
            tx.refresh_figures(std::slice::from_ref(&key)).await?;
            tx.append_audit(now, &event).await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// Records whether the person wants to start again (their keepers), while the case is open.
    pub async fn set_failure_restart(
        &self,
        plan: &Plan,
        actor: &Actor,
        case_id: i64,
        wants: bool,
        ip: &str,
    ) -> Result<()> {
        let case = self.kept_failure_case(plan, actor, case_id, ip).await?;
        takes_steps(case.outcome.is_some()).map_err(Error::Conflict)?;
        let restart_steps = case.steps.iter().filter(|s| s.kind.is_restart()).count();
        restart_wish(wants, restart_steps).map_err(Error::Conflict)?;
        let now = self.now();
        let event = AuditEvent::new("failure.restart", format!("failure_case:{case_id}"))
            .by(Some(actor.user_id), &actor.username)
            .detail(if wants {
                "有再创业意愿"
            } else {
                "无再创业意愿"
            })
            .from_ip(ip);
        let _guard = self.write_lock.lock().await;
        on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            if !tx.set_wants_restart(case_id, wants).await? {
                return Err(Error::Conflict("该帮扶已结案".into()));
            }
            tx.append_audit(now, &event).await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// Closes a case with its outcome (its keepers); a 再创业 may name the person's new business
    /// in the registry.
    pub async fn close_failure_case(
        &self,
        plan: &Plan,
        actor: &Actor,
        case_id: i64,
        draft: &CloseDraft,
        ip: &str,
    ) -> Result<()> {
        let case = self.kept_failure_case(plan, actor, case_id, ip).await?;
        takes_closing(case.outcome.is_some()).map_err(Error::Conflict)?;
        let close =
            validate_close(draft, case.opened_on, local_date(self.now())).map_err(Error::Fields)?;
        if let Some(new) = close.new_business {
            let founded = self.other_businesses_of_case(plan, actor, &case).await?;
            if !founded.iter().any(|(id, _)| *id == new) {
                return Err(Error::Fields(vec![FieldError {
                    field: "新创业主体",
                    message: "该主体不是此人创办的其他在册创业主体".into(),
                }]));
            }
        }
        let now = self.now();
        let event = AuditEvent::new("failure.close", format!("failure_case:{case_id}"))
            .by(Some(actor.user_id), &actor.username)
            .detail(format!("{}（{}）", close.outcome.label(), close.closed_on))
            .from_ip(ip);
        let _guard = self.write_lock.lock().await;
        on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            if !tx.close_case(case_id, &close).await? {
                return Err(Error::Conflict("该帮扶已结案".into()));
            }
            tx.append_audit(now, &event).await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// The steps behind 2.3.4's figure of `unit` in `year` that the actor reaches: done by that
    /// unit within the year, up to today.
    pub async fn failure_steps_done(
        &self,
        plan: &Plan,
        actor: &Actor,
        unit: &str,
        year: i32,
        ip: &str,
    ) -> Result<Vec<DoneStep>> {
        let scope = self.failure_scope(plan, actor, ip).await?;
        let today = local_date(self.now());
        let cases = self
            .reached_failure_cases(&scope, &CaseFilter::default())
            .await?;
        let mut done: Vec<DoneStep> = cases
            .into_iter()
            .flat_map(|case| {
                let (case_id, name, business) = (case.id, case.name, case.business_name);
                case.steps.into_iter().map(move |step| DoneStep {
                    case_id,
                    name: name.clone(),
                    business_name: business.clone(),
                    step,
                })
            })
            .filter(|d| d.step.unit_code == unit)
            .filter(|d| {
                d.step
                    .done_on
                    .is_some_and(|day| day.year() == year && day <= today)
            })
            .collect();
        done.sort_by_key(|d| (d.step.done_on, d.step.id));
        Ok(done)
    }
}

/// Each case with its steps.
fn group_steps(cases: Vec<CaseRow>, steps: Vec<StepRow>) -> Vec<(CaseRow, Vec<StepRow>)> {
    let mut by_case: std::collections::HashMap<i64, Vec<StepRow>> =
        std::collections::HashMap::new();
    for step in steps {
        by_case.entry(step.case_id).or_default().push(step);
    }
    cases
        .into_iter()
        .map(|c| {
            let steps = by_case.remove(&c.id).unwrap_or_default();
            (c, steps)
        })
        .collect()
}

/// The cases a business's closure opens: one per founder, for the business's street, on the
/// closing day (written by `businesses.rs` in the closure's transaction).
pub(crate) fn cases_of_closure<'a>(
    business: &'a crate::businesses::Business,
    closed_on: NaiveDate,
    reason: &'a str,
    user_id: i64,
    now: DateTime<Utc>,
) -> Vec<NewCase<'a>> {
    business
        .founders
        .iter()
        .map(|f| NewCase {
            person_id: f.person_id,
            business_id: Some(business.id),
            business_name: &business.name,
            business_closed_on: closed_on,
            close_reason: reason,
            street_code: &business.street_code,
            opened_on: closed_on,
            wants_restart: false,
            user_id,
            now,
        })
        .collect()
}
