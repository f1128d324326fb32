//! 区人社局's side of the labour-market order: special actions (`/staff/market-order/actions`),
//! cases opened from the public's complaints about posts (`/staff/market-order/cases`), and the
//! portal's notices with their monthly schedule (`/staff/market-order/notices`). A form's errors
//! come back beside it; the store refuses anyone but the lead.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use linkong_core::access::Gate;
use linkong_core::field::FieldError;
use linkong_core::market_order::{
    ActionDraft, CaseDraft, CaseOutcome, IssueMonth, NoticeDraft, NoticeKind, NoticeSchedule,
    OutcomeDraft, TASK,
};
use linkong_store::jobs::Complaint;
use linkong_store::market_order::{MarketCase, MarketNotice, NoticeFilter};
use serde::Deserialize;

use super::vocabulary;
use crate::auth::{Nav, Viewer};
use crate::view::{Choice, choices, unit_name};
use crate::{AppError, AppState};

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/staff/market-order/actions",
            get(new_action).post(create_action),
        )
        .route("/staff/market-order/cases", get(cases_page).post(open_case))
        .route("/staff/market-order/cases/{id}/outcome", post(decide))
        .route(
            "/staff/market-order/notices",
            get(notices_page).post(publish),
        )
}

fn status_of(errors: &[FieldError]) -> StatusCode {
    if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    }
}

// ---- special actions ----

#[derive(Template, WebTemplate)]
#[template(path = "market_action_form.html")]
struct ActionPage {
    nav: Nav,
    leads: Vec<Choice>,
    /// (code, name, checked)
    units: Vec<(String, String, bool)>,
    name: String,
    starts_on: String,
    ends_on: String,
    errors: Vec<FieldError>,
}

async fn action_page(
    state: &AppState,
    viewer: &Viewer,
    draft: ActionDraft,
    errors: Vec<FieldError>,
) -> Result<Response, AppError> {
    let (actor, plan) = (viewer.actor(), &state.plan);
    let gate = Gate::MarketOrderLead { plan };
    state.store.enter(&actor, gate, &viewer.ip).await?;
    let task_units: Vec<String> = plan
        .tasks
        .iter()
        .filter(|t| t.code == TASK)
        .flat_map(|t| t.lead_units.iter().chain(&t.cooperating_units).cloned())
        .collect();
    let named = |code: &String| (code.clone(), unit_name(state, code));
    let page = ActionPage {
        nav: Nav::of(viewer, state),
        leads: choices(task_units.iter().map(named), &draft.lead_unit),
        units: task_units
            .iter()
            .map(|c| {
                (
                    c.clone(),
                    unit_name(state, c),
                    draft.cooperating.contains(c),
                )
            })
            .collect(),
        name: draft.name,
        starts_on: draft.starts_on,
        ends_on: draft.ends_on,
        errors,
    };
    Ok((status_of(&page.errors), page).into_response())
}

async fn new_action(State(state): State<AppState>, viewer: Viewer) -> Result<Response, AppError> {
    let draft = ActionDraft {
        lead_unit: "rsj".into(),
        starts_on: state.today().to_string(),
        ..ActionDraft::default()
    };
    action_page(&state, &viewer, draft, Vec::new()).await
}

async fn create_action(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let mut csrf = String::new();
    let mut draft = ActionDraft::default();
    for (key, value) in pairs {
        match key.as_str() {
            "csrf" => csrf = value,
            "name" => draft.name = value,
            "lead_unit" => draft.lead_unit = value,
            "starts_on" => draft.starts_on = value,
            "ends_on" => draft.ends_on = value,
            "cooperating" => draft.cooperating.push(value),
            _ => {}
        }
    }
    viewer.check_csrf(&state, &csrf).await?;
    match state
        .store
        .start_market_action(&state.plan, &viewer.actor(), &draft, &viewer.ip)
        .await
    {
        Ok(_) => Ok(Redirect::to("/staff/market-order?saved=1").into_response()),
        Err(linkong_store::Error::Fields(errors)) => {
            action_page(&state, &viewer, draft, errors).await
        }
        Err(e) => Err(e.into()),
    }
}

// ---- cases from complaints ----

#[derive(Deserialize, Default, Clone)]
struct CaseForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    complaint: String,
    #[serde(default)]
    opened_on: String,
    #[serde(default)]
    inspection: String,
    #[serde(default)]
    outcome: String,
    #[serde(default)]
    decided_on: String,
    #[serde(default)]
    note: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "staff_market_cases.html")]
struct CasesPage {
    nav: Nav,
    complaints: Vec<Complaint>,
    cases: Vec<MarketCase>,
    inspections: Vec<Choice>,
    outcomes: Vec<Choice>,
    form: CaseForm,
    /// The case whose outcome form came back (0: the opening form).
    errors_of: i64,
    errors: Vec<FieldError>,
    may_lead: bool,
    today: String,
}

async fn cases_view(
    state: &AppState,
    viewer: &Viewer,
    form: CaseForm,
    (errors_of, errors): (i64, Vec<FieldError>),
) -> Result<Response, AppError> {
    let (actor, plan, store) = (viewer.actor(), &state.plan, &state.store);
    let cases = store.market_cases(plan, &actor, &viewer.ip).await?;
    let complaints = store.complaints_without_case(plan, &actor).await?;
    let all = linkong_store::market_order::InspectionFilter::default();
    let inspections = store
        .market_inspections(plan, &actor, &all, &viewer.ip)
        .await?
        .into_iter()
        .map(|i| {
            let label = format!("{} {}（{}）", i.inspected_on, i.target_name, i.action_name);
            (i.id.to_string(), label)
        });
    let page = CasesPage {
        nav: Nav::of(viewer, state),
        complaints,
        cases,
        inspections: choices(inspections, &form.inspection),
        outcomes: vocabulary(
            CaseOutcome::ALL.iter().map(|o| (o.code(), o.label())),
            &form.outcome,
        ),
        form,
        errors_of,
        errors,
        may_lead: actor.may_lead_market_order(plan),
        today: state.today().to_string(),
    };
    Ok((status_of(&page.errors), page).into_response())
}

#[derive(Deserialize, Default)]
struct CasesQuery {
    #[serde(default)]
    complaint: String,
}

async fn cases_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<CasesQuery>,
) -> Result<Response, AppError> {
    let form = CaseForm {
        complaint: query.complaint,
        opened_on: state.today().to_string(),
        decided_on: state.today().to_string(),
        ..CaseForm::default()
    };
    cases_view(&state, &viewer, form, (0, Vec::new())).await
}

async fn open_case(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(form): Form<CaseForm>,
) -> Result<Response, AppError> {
    viewer.check_csrf(&state, &form.csrf).await?;
    let draft = CaseDraft {
        complaint: form.complaint.clone(),
        opened_on: form.opened_on.clone(),
        inspection: form.inspection.clone(),
        outcome: form.outcome.clone(),
        note: form.note.clone(),
    };
    match state
        .store
        .open_market_case(&state.plan, &viewer.actor(), &draft, &viewer.ip)
        .await
    {
        Ok(_) => Ok(Redirect::to("/staff/market-order/cases").into_response()),
        Err(linkong_store::Error::Fields(errors)) => {
            cases_view(&state, &viewer, form, (0, errors)).await
        }
        Err(e) => Err(e.into()),
    }
}

async fn decide(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(form): Form<CaseForm>,
) -> Result<Response, AppError> {
    viewer.check_csrf(&state, &form.csrf).await?;
    let draft = OutcomeDraft {
        outcome: form.outcome.clone(),
        decided_on: form.decided_on.clone(),
        note: form.note.clone(),
    };
    match state
        .store
        .decide_market_case(&state.plan, &viewer.actor(), id, &draft, &viewer.ip)
        .await
    {
        Ok(()) => Ok(Redirect::to("/staff/market-order/cases").into_response()),
        Err(linkong_store::Error::Fields(errors)) => {
            cases_view(&state, &viewer, form, (id, errors)).await
        }
        Err(e) => Err(e.into()),
    }
}

// ---- the portal's notices ----

#[derive(Deserialize, Default, Clone)]
struct NoticeForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    issue_month: String,
    #[serde(default)]
    published_on: String,
    #[serde(default)]
    source: String,
}

#[derive(Deserialize, Default)]
struct NoticesQuery {
    #[serde(default)]
    year: String,
    #[serde(default)]
    unit: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "staff_market_notices.html")]
struct NoticesPage {
    nav: Nav,
    schedules: Vec<NoticeSchedule>,
    notices: Vec<MarketNotice>,
    kinds: Vec<Choice>,
    sources: Vec<Choice>,
    form: NoticeForm,
    errors: Vec<FieldError>,
    may_lead: bool,
    today: String,
}

/// The sources a notice may name: the complaints and the inspections the viewer reads.
async fn sources(
    state: &AppState,
    viewer: &Viewer,
    selected: &str,
) -> Result<Vec<Choice>, AppError> {
    let (actor, plan, store) = (viewer.actor(), &state.plan, &state.store);
    let mut items: Vec<(String, String)> = Vec::new();
    if actor.may_lead_market_order(plan) {
        let all = linkong_store::market_order::InspectionFilter::default();
        for i in store
            .market_inspections(plan, &actor, &all, &viewer.ip)
            .await?
        {
            let label = format!("检查：{} {}", i.inspected_on, i.target_name);
            items.push((format!("inspection:{}", i.id), label));
        }
        for k in store.market_cases(plan, &actor, &viewer.ip).await? {
            let label = format!("举报：{}（{}）", k.post_title, k.reason);
            items.push((format!("complaint:{}", k.complaint_id), label));
        }
        for c in store.complaints_without_case(plan, &actor).await? {
            let label = format!("举报：{}（{}）", c.post_title, c.reason);
            items.push((format!("complaint:{}", c.id), label));
        }
    }
    Ok(choices(items.into_iter(), selected))
}

async fn notices_view(
    state: &AppState,
    viewer: &Viewer,
    query: &NoticesQuery,
    form: NoticeForm,
    errors: Vec<FieldError>,
) -> Result<Response, AppError> {
    let (actor, plan, store) = (viewer.actor(), &state.plan, &state.store);
    let year = crate::view::optional_year(state, &query.year)?;
    let filter = NoticeFilter {
        year,
        unit: Some(query.unit.trim().to_owned()).filter(|u| !u.is_empty()),
        kind: None,
    };
    let notices = store
        .staff_market_notices(plan, &actor, &filter, &viewer.ip)
        .await?;
    let page = NoticesPage {
        nav: Nav::of(viewer, state),
        schedules: store.notice_schedules().await?,
        notices,
        kinds: vocabulary(
            NoticeKind::ALL.iter().map(|k| (k.code(), k.label())),
            &form.kind,
        ),
        sources: sources(state, viewer, &form.source).await?,
        form,
        errors,
        may_lead: actor.may_lead_market_order(plan),
        today: state.today().to_string(),
    };
    Ok((status_of(&page.errors), page).into_response())
}

async fn notices_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<NoticesQuery>,
) -> Result<Response, AppError> {
    let today = state.today();
    let form = NoticeForm {
        issue_month: IssueMonth::of(today).code(),
        published_on: today.to_string(),
        ..NoticeForm::default()
    };
    notices_view(&state, &viewer, &query, form, Vec::new()).await
}

async fn publish(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(form): Form<NoticeForm>,
) -> Result<Response, AppError> {
    viewer.check_csrf(&state, &form.csrf).await?;
    let draft = NoticeDraft {
        kind: form.kind.clone(),
        title: form.title.clone(),
        body: form.body.clone(),
        issue_month: form.issue_month.clone(),
        published_on: form.published_on.clone(),
        source: form.source.clone(),
    };
    match state
        .store
        .publish_market_notice(&state.plan, &viewer.actor(), &draft, &viewer.ip)
        .await
    {
        Ok(_) => Ok(Redirect::to("/staff/market-order/notices").into_response()),
        Err(linkong_store::Error::Fields(errors)) => {
            let query = NoticesQuery::default();
            notices_view(&state, &viewer, &query, form, errors).await
        }
        Err(e) => Err(e.into()),
    }
}
