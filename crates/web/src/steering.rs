//! The task force's steering pages at `/staff/steering` (core::steering, store::steering):
//! supervision items (raised from the dashboard's lag flags, answered by the unit with
//! evidence, closed or escalated), the joint meetings' minutes with the quarter's figures frozen
//! into them, and publicity items counted per quarter. Handlers extract, call one store
//! function and render; who may do what is core's.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use chrono::Datelike;
use linkong_core::field::FieldError;
use linkong_core::reporting::ReportPeriod;
use linkong_core::steering::{
    DecisionDraft, MeetingDraft, PublicityDraft, PublicityKind, SupervisionDraft,
};
use linkong_store::evidence::EvidenceUpload;
use linkong_store::steering::{Meeting, PublicityItem, SupervisionItem, SupervisionStep, Verdict};
use serde::Deserialize;

use crate::auth::{Nav, Viewer};
use crate::download::attachment;
use crate::view::{Choice, choices, unit_name};
use crate::{AppError, AppState};

mod api;
pub use api::api;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/staff/steering", get(overview))
        .route("/staff/steering/supervision", post(raise))
        .route("/staff/steering/supervision/new", get(raise_form))
        .route("/staff/steering/supervision/{id}", get(item_page))
        .route("/staff/steering/supervision/{id}/answer", post(answer))
        .route("/staff/steering/supervision/{id}/decide", post(decide))
        .route("/staff/steering/supervision/{id}/evidence", get(evidence))
        .route("/staff/steering/meetings", post(record_meeting))
        .route("/staff/steering/meetings/new", get(meeting_form))
        .route("/staff/steering/meetings/{id}", get(meeting_page))
        .route("/staff/steering/decisions/{id}/done", post(follow_up))
        .route("/staff/steering/publicity", post(record_publicity))
}

fn number(text: &str, what: &str) -> Result<i64, AppError> {
    text.parse::<i64>()
        .map_err(|_| AppError::not_found(format!("该{what}不存在")))
}

/// A supervision item as a list row shows it.
pub struct ItemLine {
    pub item: SupervisionItem,
    pub unit: String,
    pub indicator: String,
}

fn item_line(state: &AppState, item: SupervisionItem) -> ItemLine {
    let indicator = item
        .indicator_code
        .as_deref()
        .and_then(|code| linkong_core::record::find_indicator(&state.plan, code))
        .map(|(_, i)| format!("{} {}", i.code, i.name))
        .unwrap_or_default();
    ItemLine {
        unit: unit_name(state, &item.unit_code),
        indicator,
        item,
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "steering.html")]
struct OverviewPage {
    nav: Nav,
    may_steer: bool,
    items: Vec<ItemLine>,
    overdue: usize,
    meetings: Vec<Meeting>,
    /// The decisions not carried out yet, with their owner's name.
    decisions: Vec<(linkong_store::steering::Decision, String)>,
    year: i32,
    publicity: Vec<(PublicityItem, String)>,
    /// Items published in each quarter of the year.
    per_quarter: [usize; 4],
    publicity_units: Vec<Choice>,
    kinds: Vec<Choice>,
    form: PublicityForm,
    errors: Vec<FieldError>,
    today: String,
}

#[derive(Deserialize, Default, Clone)]
struct PublicityForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    unit: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    outlet: String,
    #[serde(default)]
    published_on: String,
    #[serde(default)]
    link: String,
}

async fn overview(State(state): State<AppState>, viewer: Viewer) -> Result<Response, AppError> {
    Ok(
        overview_page(&state, &viewer, PublicityForm::default(), Vec::new())
            .await?
            .into_response(),
    )
}

async fn overview_page(
    state: &AppState,
    viewer: &Viewer,
    form: PublicityForm,
    errors: Vec<FieldError>,
) -> Result<OverviewPage, AppError> {
    let actor = viewer.actor();
    let items = state
        .store
        .supervision_items(&actor, None, false, &viewer.ip)
        .await?;
    let meetings = state.store.meetings(&actor, &viewer.ip).await?;
    let decisions = state
        .store
        .open_decisions(&actor, None, &viewer.ip)
        .await?
        .into_iter()
        .map(|d| {
            let owner = unit_name(state, &d.owner_unit);
            (d, owner)
        })
        .collect();
    let year = state.today().year();
    let publicity = state.store.publicity(year).await?;
    let mut per_quarter = [0; 4];
    for p in &publicity {
        per_quarter[(p.published_on.month0() / 3) as usize] += 1;
    }
    let own = actor.unit_code.clone().unwrap_or_default();
    let units = state
        .plan
        .units
        .iter()
        .filter(|u| actor.may_record_publicity(&u.code))
        .map(|u| (u.code.clone(), u.name.clone()));
    let selected = if form.unit.is_empty() {
        own
    } else {
        form.unit.clone()
    };
    Ok(OverviewPage {
        nav: Nav::of(viewer, state),
        may_steer: actor.may_steer(),
        overdue: items.iter().filter(|i| i.overdue).count(),
        items: items.into_iter().map(|i| item_line(state, i)).collect(),
        meetings,
        decisions,
        year,
        publicity: publicity
            .into_iter()
            .map(|p| {
                let unit = unit_name(state, &p.unit_code);
                (p, unit)
            })
            .collect(),
        per_quarter,
        publicity_units: choices(units, &selected),
        kinds: choices(
            PublicityKind::ALL
                .iter()
                .map(|k| (k.code().to_owned(), k.label().to_owned())),
            &form.kind,
        ),
        form,
        errors,
        today: state.today().to_string(),
    })
}

async fn record_publicity(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(form): Form<PublicityForm>,
) -> Result<Response, AppError> {
    viewer.check_csrf(&state, &form.csrf).await?;
    let draft = PublicityDraft {
        unit: form.unit.clone(),
        kind: form.kind.clone(),
        title: form.title.clone(),
        outlet: form.outlet.clone(),
        published_on: form.published_on.clone(),
        link: form.link.clone(),
    };
    match state
        .store
        .record_publicity(&state.plan, &viewer.actor(), &draft, &viewer.ip)
        .await
    {
        Ok(_) => Ok(Redirect::to("/staff/steering#publicity").into_response()),
        Err(linkong_store::Error::Fields(errors)) => {
            let page = overview_page(&state, &viewer, form, errors).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize, Default, Clone)]
struct RaiseForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    unit: String,
    #[serde(default)]
    indicator: String,
    #[serde(default)]
    problem: String,
    #[serde(default)]
    action: String,
    #[serde(default)]
    working_days: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "supervision_form.html")]
struct RaisePage {
    nav: Nav,
    units: Vec<Choice>,
    indicators: Vec<Choice>,
    form: RaiseForm,
    errors: Vec<FieldError>,
}

fn raise_page(
    state: &AppState,
    viewer: &Viewer,
    form: RaiseForm,
    errors: Vec<FieldError>,
) -> RaisePage {
    let units = state
        .plan
        .units
        .iter()
        .map(|u| (u.code.clone(), u.name.clone()));
    let indicators = std::iter::once((String::new(), "（不针对具体指标）".to_owned())).chain(
        state
            .plan
            .indicators()
            .map(|(_, i)| (i.code.clone(), format!("{} {}", i.code, i.name))),
    );
    RaisePage {
        nav: Nav::of(viewer, state),
        units: choices(units, &form.unit),
        indicators: choices(indicators, &form.indicator),
        form,
        errors,
    }
}

/// The form, filled from a lag flag of the dashboard (`unit`, `indicator`, `problem`).
async fn raise_form(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(mut form): Query<RaiseForm>,
) -> Result<RaisePage, AppError> {
    if !viewer.actor().may_steer() {
        return Err(AppError::forbidden("只有工作专班可以发起督办"));
    }
    if form.working_days.is_empty() {
        form.working_days = "10".into();
    }
    if form.action.is_empty() && !form.indicator.is_empty() {
        form.action =
            "请分析滞后原因，制定整改措施，在办理时限内反馈办理情况并上传佐证材料。".into();
    }
    Ok(raise_page(&state, &viewer, form, Vec::new()))
}

async fn raise(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(form): Form<RaiseForm>,
) -> Result<Response, AppError> {
    viewer.check_csrf(&state, &form.csrf).await?;
    let draft = SupervisionDraft {
        unit: form.unit.clone(),
        indicator: form.indicator.clone(),
        problem: form.problem.clone(),
        action: form.action.clone(),
        working_days: form.working_days.clone(),
    };
    match state
        .store
        .raise_supervision(
            &state.plan,
            &state.calendar(),
            &viewer.actor(),
            &draft,
            &viewer.ip,
        )
        .await
    {
        Ok(id) => Ok(Redirect::to(&format!("/staff/steering/supervision/{id}")).into_response()),
        Err(linkong_store::Error::Fields(errors)) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            raise_page(&state, &viewer, form, errors),
        )
            .into_response()),
        Err(e) => Err(e.into()),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "supervision.html")]
struct ItemPage {
    nav: Nav,
    line: ItemLine,
    steps: Vec<SupervisionStep>,
    may_answer: bool,
    may_steer: bool,
    errors: Vec<FieldError>,
    response: String,
}

async fn item_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<ItemPage, AppError> {
    let id = number(&id, "督办事项")?;
    render_item(&state, &viewer, id, Vec::new(), String::new()).await
}

async fn render_item(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    errors: Vec<FieldError>,
    response: String,
) -> Result<ItemPage, AppError> {
    let actor = viewer.actor();
    let (item, steps) = state.store.supervision_item(&actor, id, &viewer.ip).await?;
    Ok(ItemPage {
        nav: Nav::of(viewer, state),
        may_answer: actor.may_answer_supervision(&item.unit_code) && item.status.takes_answer(),
        may_steer: actor.may_steer() && item.status.is_open(),
        line: item_line(state, item),
        steps,
        errors,
        response,
    })
}

async fn answer(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    mut multipart: Multipart,
) -> Result<Response, AppError> {
    let id = number(&id, "督办事项")?;
    let (mut csrf, mut response, mut evidence) = (String::new(), String::new(), None);
    let unreadable = |_| AppError::bad_request("表单数据不完整或文件过大（佐证材料不超过 10 MB）");
    while let Some(field) = multipart.next_field().await.map_err(unreadable)? {
        let name = field.name().unwrap_or("").to_owned();
        if name == "evidence" {
            let file_name = field.file_name().unwrap_or("").to_owned();
            let bytes = field.bytes().await.map_err(unreadable)?;
            if !bytes.is_empty() {
                evidence = Some(EvidenceUpload {
                    file_name,
                    bytes: bytes.to_vec(),
                });
            }
            continue;
        }
        let text = field.text().await.map_err(unreadable)?;
        match name.as_str() {
            "csrf" => csrf = text,
            "response" => response = text,
            _ => {}
        }
    }
    viewer.check_csrf(&state, &csrf).await?;
    match state
        .store
        .answer_supervision(&viewer.actor(), id, &response, evidence, &viewer.ip)
        .await
    {
        Ok(()) => Ok(Redirect::to(&format!("/staff/steering/supervision/{id}")).into_response()),
        Err(linkong_store::Error::Fields(errors)) => {
            let page = render_item(&state, &viewer, id, errors, response).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(linkong_store::Error::Invalid { field, message }) => {
            let errors = vec![FieldError { field, message }];
            let page = render_item(&state, &viewer, id, errors, response).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize, Default)]
struct DecideForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    verdict: String,
    #[serde(default)]
    note: String,
}

async fn decide(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(form): Form<DecideForm>,
) -> Result<Response, AppError> {
    let id = number(&id, "督办事项")?;
    viewer.check_csrf(&state, &form.csrf).await?;
    let verdict = match form.verdict.as_str() {
        "close" => Verdict::Close,
        "escalate" => Verdict::Escalate,
        _ => return Err(AppError::bad_request("处理方式：请选择办结或升级督办")),
    };
    match state
        .store
        .decide_supervision(&viewer.actor(), id, verdict, &form.note, &viewer.ip)
        .await
    {
        Ok(()) => Ok(Redirect::to(&format!("/staff/steering/supervision/{id}")).into_response()),
        Err(linkong_store::Error::Fields(errors)) => {
            let page = render_item(&state, &viewer, id, errors, String::new()).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

async fn evidence(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let id = number(&id, "督办事项")?;
    let (name, media_type, bytes) = state
        .store
        .supervision_evidence(&viewer.actor(), id, &viewer.ip)
        .await?;
    Ok(attachment(&name, &media_type, bytes))
}

/// Blank decision rows the meeting form offers.
const DECISION_ROWS: usize = 5;

#[derive(Template, WebTemplate)]
#[template(path = "meeting_form.html")]
struct MeetingFormPage {
    nav: Nav,
    draft: MeetingDraft,
    quarters: Vec<Choice>,
    attendees: Vec<Choice>,
    /// Each decision row with the owner choices, the row's own selected.
    rows: Vec<(DecisionDraft, Vec<Choice>)>,
    errors: Vec<FieldError>,
    today: String,
}

fn meeting_form_page(
    state: &AppState,
    viewer: &Viewer,
    mut draft: MeetingDraft,
    errors: Vec<FieldError>,
) -> MeetingFormPage {
    let today = state.today();
    let plan = &state.plan;
    let quarters = (plan.info.first_year..=plan.info.last_year)
        .flat_map(ReportPeriod::of_year)
        .filter(|p| matches!(p, ReportPeriod::Quarter { .. }) && p.range().1 < today)
        .map(|p| (p.code(), p.label()));
    let quarters: Vec<(String, String)> = quarters.collect();
    if draft.quarter.is_empty()
        && let Some((last, _)) = quarters.last()
    {
        draft.quarter = last.clone();
    }
    let units = || plan.units.iter().map(|u| (u.code.clone(), u.name.clone()));
    let attendees = units()
        .map(|(code, name)| Choice {
            selected: draft.attendees.contains(&code),
            value: code,
            label: name,
        })
        .collect();
    while draft.decisions.len() < DECISION_ROWS {
        draft.decisions.push(DecisionDraft::default());
    }
    let owners = |selected: &str| {
        let none = std::iter::once((String::new(), "请选择".to_owned()));
        choices(none.chain(units()), selected)
    };
    MeetingFormPage {
        nav: Nav::of(viewer, state),
        quarters: choices(quarters.into_iter().rev(), &draft.quarter),
        attendees,
        rows: draft
            .decisions
            .iter()
            .map(|d| (d.clone(), owners(&d.owner)))
            .collect(),
        draft,
        errors,
        today: today.to_string(),
    }
}

async fn meeting_form(
    State(state): State<AppState>,
    viewer: Viewer,
) -> Result<MeetingFormPage, AppError> {
    if !viewer.actor().may_steer() {
        return Err(AppError::forbidden("只有工作专班可以登记联席会议"));
    }
    let draft = MeetingDraft {
        held_on: state.today().to_string(),
        ..Default::default()
    };
    Ok(meeting_form_page(&state, &viewer, draft, Vec::new()))
}

/// The meeting form's fields: repeated `attendee`, and `decision_text_N`, `decision_owner_N`,
/// `decision_due_N` per decision row.
fn meeting_draft(pairs: &[(String, String)]) -> MeetingDraft {
    let mut draft = MeetingDraft::default();
    let mut rows: std::collections::BTreeMap<usize, DecisionDraft> = Default::default();
    for (key, value) in pairs {
        match key.as_str() {
            "held_on" => draft.held_on = value.clone(),
            "quarter" => draft.quarter = value.clone(),
            "chair" => draft.chair = value.clone(),
            "minutes" => draft.minutes = value.clone(),
            "attendee" => draft.attendees.push(value.clone()),
            _ => {
                let Some((field, n)) = key
                    .strip_prefix("decision_")
                    .and_then(|rest| rest.rsplit_once('_'))
                else {
                    continue;
                };
                let Ok(n) = n.parse::<usize>() else { continue };
                let row = rows.entry(n).or_default();
                match field {
                    "text" => row.text = value.clone(),
                    "owner" => row.owner = value.clone(),
                    "due" => row.due_on = value.clone(),
                    _ => {}
                }
            }
        }
    }
    draft.decisions = rows.into_values().collect();
    draft
}

async fn record_meeting(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let csrf = pairs
        .iter()
        .find(|(k, _)| k == "csrf")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    viewer.check_csrf(&state, &csrf).await?;
    let draft = meeting_draft(&pairs);
    match state
        .store
        .record_meeting(&state.plan, &viewer.actor(), &draft, &viewer.ip)
        .await
    {
        Ok(id) => Ok(Redirect::to(&format!("/staff/steering/meetings/{id}")).into_response()),
        Err(linkong_store::Error::Fields(errors)) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            meeting_form_page(&state, &viewer, draft, errors),
        )
            .into_response()),
        Err(e) => Err(e.into()),
    }
}

/// A frozen figure as the minutes print it.
pub struct FigureLine {
    pub code: String,
    pub name: String,
    pub target: String,
    pub actual: String,
    pub completion: String,
    pub status: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "meeting.html")]
struct MeetingPage {
    nav: Nav,
    meeting: Meeting,
    quarter: String,
    attendees: String,
    figures: Vec<FigureLine>,
    /// Each listed item with its unit's name.
    items: Vec<(linkong_core::steering::ListedItem, String)>,
    decisions: Vec<DecisionLine>,
    today: String,
}

/// A decision as the minutes show it: its owner by name, and whether the viewer may record
/// its follow-up now.
pub struct DecisionLine {
    pub decision: linkong_store::steering::Decision,
    pub owner: String,
    pub may_follow_up: bool,
    /// The follow-up form: refused errors and what was typed, or empty with today's date.
    pub errors: Vec<FieldError>,
    pub note: String,
    pub done_on: String,
}

async fn meeting_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<MeetingPage, AppError> {
    let id = number(&id, "联席会议")?;
    render_meeting(&state, &viewer, id, None).await
}

#[derive(Deserialize, Default, Clone)]
struct FollowUpForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    done_on: String,
}

/// Records how a decision was carried out, then shows its meeting (422 with the fields named).
async fn follow_up(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(form): Form<FollowUpForm>,
) -> Result<Response, AppError> {
    let id = number(&id, "议定事项")?;
    viewer.check_csrf(&state, &form.csrf).await?;
    let done = state
        .store
        .follow_up_decision(&viewer.actor(), id, &form.note, &form.done_on, &viewer.ip)
        .await;
    match done {
        Ok(meeting) => Ok(
            Redirect::to(&format!("/staff/steering/meetings/{meeting}#decisions-h"))
                .into_response(),
        ),
        Err(linkong_store::Error::Fields(errors)) => {
            let meeting = state.store.decision_meeting(id).await?;
            let page = render_meeting(&state, &viewer, meeting, Some((id, errors, form))).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

async fn render_meeting(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    refused: Option<(i64, Vec<FieldError>, FollowUpForm)>,
) -> Result<MeetingPage, AppError> {
    let actor = viewer.actor();
    let meeting = state.store.meeting(&actor, id, &viewer.ip).await?;
    let quarter = ReportPeriod::parse(&meeting.quarter, &state.plan)
        .map(ReportPeriod::label)
        .unwrap_or_else(|_| meeting.quarter.clone());
    let attendees: Vec<String> = meeting
        .attendees
        .iter()
        .map(|u| unit_name(state, u))
        .collect();
    let figures = meeting
        .figures
        .iter()
        .map(|f| {
            let amount = |v: Option<i64>| {
                v.map_or("—".to_owned(), |v| {
                    format!("{}{}", crate::format::amount(v), f.measure)
                })
            };
            FigureLine {
                code: f.indicator_code.clone(),
                name: f.name.clone(),
                target: f.target.map_or("无目标值".to_owned(), |t| amount(Some(t))),
                actual: amount(f.actual),
                completion: f.completion.map_or("—".into(), |c| format!("{c:.1}%")),
                status: f.status.clone().unwrap_or_else(|| "—".into()),
            }
        })
        .collect();
    let items = meeting
        .items
        .iter()
        .map(|i| (i.clone(), unit_name(state, &i.unit_code)))
        .collect();
    let today = state.today().to_string();
    let mut refused = refused;
    let decisions = meeting
        .decisions
        .iter()
        .map(|d| {
            let (errors, form) = match refused.take_if(|(id, _, _)| *id == d.id) {
                Some((_, errors, form)) => (errors, form),
                None => (Vec::new(), FollowUpForm::default()),
            };
            DecisionLine {
                owner: unit_name(state, &d.owner_unit),
                may_follow_up: d.done_on.is_none() && actor.may_follow_up_decision(&d.owner_unit),
                decision: d.clone(),
                errors,
                note: form.note,
                done_on: if form.done_on.is_empty() {
                    today.clone()
                } else {
                    form.done_on
                },
            }
        })
        .collect();
    Ok(MeetingPage {
        nav: Nav::of(viewer, state),
        quarter,
        attendees: attendees.join("、"),
        figures,
        items,
        decisions,
        today,
        meeting,
    })
}
