//! Failure support (创业失败帮扶, task 2.3.4): the staff pages at `/staff/failure` (the cases,
//! open, closed or with overdue steps; a case with its steps, the wish to start again and the
//! close form; the form opening a case by hand; the steps done behind 2.3.4's figure) and
//! `/api/v1/failure-cases`. Every read is scoped by the store; handlers extract, call one store
//! function and render.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use linkong_core::access::Gate;
use linkong_core::failure::{
    CaseDraft, CloseDraft, FailureOutcome, FailureStatus, StepDraft, StepKind, StepStatus,
    support_units,
};
use linkong_core::field::FieldError;
use linkong_store::failure::{CaseDetail, CaseFilter, CaseListed, DoneStep, FailureCase};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::{ApiViewer, Nav, Viewer};
use crate::openapi::ErrorBody;
use crate::view::{Choice, YearQuery, choices, unit_name, year_of};
use crate::{AppError, AppState};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/staff/failure", get(list_page).post(create))
        .route("/staff/failure/new", get(new_form))
        .route("/staff/failure/export.xlsx", get(export))
        .route("/staff/failure/steps", get(steps_page))
        .route("/staff/failure/{id}", get(detail_page))
        .route("/staff/failure/{id}/steps", post(add_step))
        .route("/staff/failure/{id}/steps/{step}/done", post(step_done))
        .route("/staff/failure/{id}/restart", post(restart))
        .route("/staff/failure/{id}/close", post(close))
}

/// Failure support's JSON API, with its OpenAPI annotation (see [`crate::openapi`]).
pub fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(api_list))
}

fn number(text: &str) -> Result<i64, AppError> {
    text.parse::<i64>()
        .map_err(|_| AppError::not_found("该创业失败帮扶档案不存在"))
}

/// The badge colour of a case's or a step's standing.
fn case_badge(status: FailureStatus) -> &'static str {
    match status {
        FailureStatus::Overdue => "seriously_lagging",
        FailureStatus::Open => "on_track",
        FailureStatus::Closed => "done",
    }
}

fn step_badge(status: StepStatus) -> &'static str {
    match status {
        StepStatus::Overdue => "seriously_lagging",
        StepStatus::Planned => "on_track",
        StepStatus::Done => "done",
        StepStatus::NotDone => "lagging",
    }
}

// ---- the list and the API ----

#[derive(Deserialize, Default, Clone)]
pub struct ListQuery {
    #[serde(default)]
    street: String,
    #[serde(default)]
    listed: String,
}

impl ListQuery {
    /// The store's filter, or the first wrong parameter (named).
    fn filter(&self, state: &AppState) -> Result<CaseFilter, AppError> {
        let listed = match self.listed.trim() {
            "" | "all" => CaseListed::All,
            "open" => CaseListed::Open,
            "closed" => CaseListed::Closed,
            "overdue" => CaseListed::Overdue,
            other => {
                return Err(AppError::bad_request(format!(
                    "列表：“{other}”不存在，可用 all、open、closed、overdue"
                )));
            }
        };
        let street = crate::view::optional_unit(state, "街道", &self.street)?;
        Ok(CaseFilter {
            street,
            listed,
            ..CaseFilter::default()
        })
    }
}

/// A case as the pages show it.
pub struct CaseLine {
    pub case: FailureCase,
    pub street: String,
    pub badge: &'static str,
    pub done: usize,
    pub overdue: usize,
}

pub fn case_line(state: &AppState, case: FailureCase) -> CaseLine {
    let count = |s: StepStatus| case.steps.iter().filter(|x| x.status == s).count();
    CaseLine {
        street: unit_name(state, &case.street_code),
        badge: case_badge(case.status),
        done: count(StepStatus::Done),
        overdue: count(StepStatus::Overdue),
        case,
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "failure_cases.html")]
struct ListPage {
    nav: Nav,
    query: ListQuery,
    lines: Vec<CaseLine>,
    may_open: bool,
}

async fn list_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<ListQuery>,
) -> Result<ListPage, AppError> {
    let filter = query.filter(&state)?;
    let cases = state
        .store
        .failure_cases(&state.plan, &viewer.actor(), &filter, &viewer.ip)
        .await?;
    Ok(ListPage {
        nav: Nav::of(&viewer, &state),
        lines: cases.into_iter().map(|c| case_line(&state, c)).collect(),
        may_open: viewer.actor().may_open_failure_cases(&state.plan),
        query,
    })
}

/// The cases of the list's filter the viewer reaches, one row a step (a case without steps on
/// one row), as a workbook (ID numbers masked).
async fn export(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<ListQuery>,
) -> Result<Response, AppError> {
    let filter = query.filter(&state)?;
    let cases = state
        .store
        .export_failure_cases(&state.plan, &viewer.actor(), &filter, &viewer.ip)
        .await?;
    let lines: Vec<CaseLine> = cases.into_iter().map(|c| case_line(&state, c)).collect();
    crate::download::download("failure-cases.xlsx", export_workbook(&state, &lines))
}

/// The workbook's rows: the case's cells, then its step's (empty for a case without steps).
fn export_rows(state: &AppState, lines: &[CaseLine]) -> Vec<Vec<String>> {
    let day = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    let mut rows = Vec::new();
    for l in lines {
        let c = &l.case;
        let case = [
            c.opened_on.to_string(),
            c.name.clone(),
            c.id_masked.clone(),
            c.business_name.clone(),
            c.business_closed_on.to_string(),
            l.street.clone(),
            if c.wants_restart { "有" } else { "" }.to_owned(),
            c.status.label().to_owned(),
            c.outcome.map(|o| o.label().to_owned()).unwrap_or_default(),
            day(c.closed_on),
        ];
        let steps: Vec<[String; 5]> = c
            .steps
            .iter()
            .map(|s| {
                [
                    s.kind.label().to_owned(),
                    unit_name(state, &s.unit_code),
                    s.planned_on.to_string(),
                    day(s.done_on),
                    s.status.label().to_owned(),
                ]
            })
            .collect();
        if steps.is_empty() {
            rows.push(case.to_vec());
        }
        for step in steps {
            rows.push(case.iter().cloned().chain(step).collect());
        }
    }
    rows
}

fn export_workbook(
    state: &AppState,
    lines: &[CaseLine],
) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let bold = rust_xlsxwriter::Format::new().set_bold();
    let ws = workbook.add_worksheet();
    ws.set_name("创业失败帮扶")?;
    let headers = [
        "建档日期",
        "帮扶对象",
        "身份证号码",
        "关闭的创业主体",
        "关闭日期",
        "责任街道",
        "再创业意愿",
        "档案状态",
        "帮扶结果",
        "结案日期",
        "帮扶措施",
        "责任单位",
        "计划日期",
        "完成日期",
        "措施状态",
    ];
    for (c, h) in headers.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &bold)?;
        ws.set_column_width(c as u16, 12)?;
    }
    for (r, row) in export_rows(state, lines).iter().enumerate() {
        for (c, text) in row.iter().enumerate() {
            ws.write_string(r as u32 + 1, c as u16, text)?;
        }
    }
    workbook.save_to_buffer()
}

/// The failure-support cases.
#[derive(Serialize, ToSchema)]
struct ApiFailureCases {
    total: usize,
    cases: Vec<FailureCase>,
}

/// Failure-support cases (创业失败帮扶, task 2.3.4) with their steps, scoped like the pages: a
/// street gets its own cases (and those with a step given to it), a cooperating unit the cases
/// with a step given to it, 区人社局 all. Resident IDs are masked.
#[utoipa::path(
    get,
    path = "/api/v1/failure-cases",
    operation_id = "listFailureCases",
    tag = "failure",
    params(
        ("street" = Option<String>, Query, description = "责任街道代码"),
        ("listed" = Option<String>, Query, description = "all、open（帮扶中）、closed（已结案）、overdue（有措施逾期）"),
    ),
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "创业失败帮扶档案", body = ApiFailureCases),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "无权查看该街道或该档案", body = ErrorBody),
        (status = 422, description = "参数有误", body = ErrorBody),
    )
)]
async fn api_list(
    State(state): State<AppState>,
    ApiViewer(viewer): ApiViewer,
    Query(query): Query<ListQuery>,
) -> Result<Json<ApiFailureCases>, AppError> {
    let filter = query.filter(&state)?;
    let cases = state
        .store
        .failure_cases(&state.plan, &viewer.actor(), &filter, &viewer.ip)
        .await?;
    Ok(Json(ApiFailureCases {
        total: cases.len(),
        cases,
    }))
}

// ---- the steps behind 2.3.4's figure ----

#[derive(Deserialize, Default)]
struct StepsQuery {
    #[serde(default)]
    unit: String,
    #[serde(default)]
    year: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "failure_steps.html")]
struct StepsPage {
    nav: Nav,
    unit_name: String,
    year: i32,
    steps: Vec<DoneStep>,
}

async fn steps_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<StepsQuery>,
) -> Result<StepsPage, AppError> {
    let unit = state
        .plan
        .unit(query.unit.trim())
        .ok_or_else(|| AppError::bad_request(format!("单位：未知的单位“{}”", query.unit.trim())))?;
    let year = year_of(
        &state,
        &YearQuery {
            year: Some(query.year.clone()),
            saved: None,
        },
    )?;
    let steps = state
        .store
        .failure_steps_done(&state.plan, &viewer.actor(), &unit.code, year, &viewer.ip)
        .await?;
    Ok(StepsPage {
        nav: Nav::of(&viewer, &state),
        unit_name: unit.name.clone(),
        year,
        steps,
    })
}

// ---- opening a case by hand ----

#[derive(Deserialize, Default, Clone)]
struct CaseForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    id_number: String,
    #[serde(default)]
    business_name: String,
    #[serde(default)]
    business_closed_on: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    opened_on: String,
    #[serde(default)]
    wants_restart: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "failure_form.html")]
struct FormPage {
    nav: Nav,
    form: CaseForm,
    errors: Vec<FieldError>,
    today: String,
}

fn form_page(
    state: &AppState,
    viewer: &Viewer,
    form: CaseForm,
    errors: Vec<FieldError>,
) -> Response {
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = FormPage {
        nav: Nav::of(viewer, state),
        today: state.today().to_string(),
        form,
        errors,
    };
    (status, page).into_response()
}

async fn new_form(State(state): State<AppState>, viewer: Viewer) -> Result<Response, AppError> {
    let gate = Gate::FailureCaseForm { plan: &state.plan };
    state.store.enter(&viewer.actor(), gate, &viewer.ip).await?;
    let form = CaseForm {
        opened_on: state.today().to_string(),
        ..CaseForm::default()
    };
    Ok(form_page(&state, &viewer, form, Vec::new()))
}

async fn create(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(form): Form<CaseForm>,
) -> Result<Response, AppError> {
    viewer.check_csrf(&state, &form.csrf).await?;
    let draft = CaseDraft {
        id_number: form.id_number.clone(),
        business_name: form.business_name.clone(),
        business_closed_on: form.business_closed_on.clone(),
        reason: form.reason.clone(),
        opened_on: form.opened_on.clone(),
        wants_restart: form.wants_restart == "1",
    };
    match state
        .store
        .open_failure_case(&state.plan, &viewer.actor(), &draft, &viewer.ip)
        .await
    {
        Ok(id) => Ok(Redirect::to(&format!("/staff/failure/{id}?saved=1")).into_response()),
        Err(linkong_store::Error::Fields(errors)) => Ok(form_page(&state, &viewer, form, errors)),
        Err(e) => Err(e.into()),
    }
}

// ---- one case: steps, the wish to start again, closing ----

#[derive(Deserialize, Default, Clone)]
struct StepForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    unit: String,
    #[serde(default)]
    planned_on: String,
    #[serde(default)]
    done_on: String,
    #[serde(default)]
    note: String,
}

#[derive(Deserialize, Default, Clone)]
struct DoneForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    done_on: String,
}

#[derive(Deserialize, Default, Clone)]
struct RestartForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    wants_restart: String,
}

#[derive(Deserialize, Default, Clone)]
struct CloseForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    outcome: String,
    #[serde(default)]
    closed_on: String,
    #[serde(default)]
    new_business: String,
    #[serde(default)]
    note: String,
}

/// A step as the case's page shows it: the step, its kind, unit and status labels, its badge,
/// and whether the viewer may record it done.
pub struct StepLine {
    pub step: linkong_store::failure::SupportStep,
    pub unit: String,
    pub badge: &'static str,
    pub may_record: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "failure_case.html")]
struct DetailPage {
    nav: Nav,
    line: CaseLine,
    steps: Vec<StepLine>,
    other_businesses: Vec<(i64, String)>,
    may_keep: bool,
    kinds: Vec<Choice>,
    units: Vec<Choice>,
    outcomes: Vec<Choice>,
    step: StepForm,
    close: CloseForm,
    /// Which form the errors belong to: step, done, close.
    errors_of: &'static str,
    errors: Vec<FieldError>,
    saved: bool,
    today: String,
}

/// The forms of a case's page as submitted, with what is wrong (empty on a fresh page).
#[derive(Default)]
struct Forms {
    step: StepForm,
    close: CloseForm,
    errors_of: &'static str,
    errors: Vec<FieldError>,
}

fn kind_choices(selected: &str, wants_restart: bool) -> Vec<Choice> {
    choices(
        StepKind::ALL.iter().map(|k| {
            let label = match (k.is_restart(), wants_restart) {
                (true, false) => format!("{}（需有再创业意愿）", k.label()),
                _ => k.label().to_owned(),
            };
            (k.code().to_owned(), label)
        }),
        selected,
    )
}

/// The units a step may be given to: 2.3.4's.
fn unit_choices(state: &AppState, selected: &str) -> Vec<Choice> {
    choices(
        support_units(&state.plan)
            .into_iter()
            .map(|code| (code.to_owned(), unit_name(state, code))),
        selected,
    )
}

fn outcome_choices(selected: &str) -> Vec<Choice> {
    choices(
        FailureOutcome::ALL
            .iter()
            .map(|o| (o.code().to_owned(), o.label().to_owned())),
        selected,
    )
}

async fn detail(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    forms: Forms,
) -> Result<DetailPage, AppError> {
    let actor = viewer.actor();
    let CaseDetail {
        case,
        other_businesses,
    } = state
        .store
        .failure_case(&state.plan, &actor, id, &viewer.ip)
        .await?;
    let open = case.outcome.is_none();
    let plan = &state.plan;
    let steps = case
        .steps
        .iter()
        .map(|s| StepLine {
            unit: unit_name(state, &s.unit_code),
            badge: step_badge(s.status),
            may_record: open
                && s.done_on.is_none()
                && actor.may_record_step_done(plan, &case.street_code, &s.unit_code),
            step: s.clone(),
        })
        .collect();
    Ok(DetailPage {
        nav: Nav::of(viewer, state),
        steps,
        other_businesses,
        may_keep: open && actor.may_keep_failure_case(plan, &case.street_code),
        kinds: kind_choices(&forms.step.kind, case.wants_restart),
        units: unit_choices(state, &forms.step.unit),
        outcomes: outcome_choices(&forms.close.outcome),
        step: forms.step,
        close: forms.close,
        errors_of: forms.errors_of,
        errors: forms.errors,
        saved: false,
        today: state.today().to_string(),
        line: case_line(state, case),
    })
}

#[derive(Deserialize, Default)]
struct Saved {
    #[serde(default)]
    saved: String,
}

async fn detail_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(saved): Query<Saved>,
) -> Result<DetailPage, AppError> {
    let mut page = detail(&state, &viewer, number(&id)?, Forms::default()).await?;
    page.saved = saved.saved == "1";
    Ok(page)
}

/// The case's page again with what was wrong (422), or on to it saved.
async fn after_save<T>(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    saved: linkong_store::Result<T>,
    forms: impl FnOnce(Vec<FieldError>) -> Forms,
) -> Result<Response, AppError> {
    let to = format!("/staff/failure/{id}?saved=1");
    crate::error::saved_or_again(saved, &to, |errors| {
        detail(state, viewer, id, forms(errors))
    })
    .await
}

async fn add_step(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(form): Form<StepForm>,
) -> Result<Response, AppError> {
    let id = number(&id)?;
    viewer.check_csrf(&state, &form.csrf).await?;
    let draft = StepDraft {
        kind: form.kind.clone(),
        unit: form.unit.clone(),
        planned_on: form.planned_on.clone(),
        done_on: form.done_on.clone(),
        note: form.note.clone(),
    };
    let saved = state
        .store
        .add_failure_step(&state.plan, &viewer.actor(), id, &draft, &viewer.ip)
        .await;
    after_save(&state, &viewer, id, saved, |errors| Forms {
        step: form,
        errors_of: "step",
        errors,
        ..Forms::default()
    })
    .await
}

async fn step_done(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, step)): Path<(String, String)>,
    Form(form): Form<DoneForm>,
) -> Result<Response, AppError> {
    let (id, step) = (number(&id)?, number(&step)?);
    viewer.check_csrf(&state, &form.csrf).await?;
    let saved = state
        .store
        .record_step_done(
            &state.plan,
            &viewer.actor(),
            (id, step),
            &form.done_on,
            &viewer.ip,
        )
        .await;
    after_save(&state, &viewer, id, saved, |errors| Forms {
        errors_of: "done",
        errors,
        ..Forms::default()
    })
    .await
}

async fn restart(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(form): Form<RestartForm>,
) -> Result<Response, AppError> {
    let id = number(&id)?;
    viewer.check_csrf(&state, &form.csrf).await?;
    let wants = form.wants_restart == "1";
    state
        .store
        .set_failure_restart(&state.plan, &viewer.actor(), id, wants, &viewer.ip)
        .await?;
    Ok(Redirect::to(&format!("/staff/failure/{id}?saved=1")).into_response())
}

async fn close(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(form): Form<CloseForm>,
) -> Result<Response, AppError> {
    let id = number(&id)?;
    viewer.check_csrf(&state, &form.csrf).await?;
    let draft = CloseDraft {
        outcome: form.outcome.clone(),
        closed_on: form.closed_on.clone(),
        new_business: form.new_business.clone(),
        note: form.note.clone(),
    };
    let saved = state
        .store
        .close_failure_case(&state.plan, &viewer.actor(), id, &draft, &viewer.ip)
        .await;
    after_save(&state, &viewer, id, saved, |errors| Forms {
        close: form,
        errors_of: "close",
        errors,
        ..Forms::default()
    })
    .await
}
