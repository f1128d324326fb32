//! The policy list's staff pages at `/staff/policies` (issue 14 item 1): every entry with its
//! status, the form for a new entry or a new version, one entry with its publish/withdraw
//! button and its version history (who saved which version when, what changed). Only the
//! list's keepers (区科服中心, the task force, admins) get through: the store decides and
//! audits a refusal.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use linkong_core::field::FieldError;
use linkong_core::policy_list::{Audience, PolicyEntryDraft, PolicyStatus};
use linkong_store::policy_list::{PolicyVersion, StoredPolicy};

use crate::auth::{CsrfForm, Nav, Viewer};
use crate::error::saved_or_again;
use crate::policy_list::{RuleLine, audiences_text, dates_text, policy_id, rule_lines};
use crate::view::{Choice, choices, unit_name};
use crate::{AppError, AppState};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/staff/policies", get(list_page).post(create))
        .route("/staff/policies/new", get(new_form))
        .route("/staff/policies/{id}", get(detail_page).post(edit))
        .route("/staff/policies/{id}/edit", get(edit_form))
        .route("/staff/policies/{id}/publish", post(publish))
        .route("/staff/policies/{id}/withdraw", post(withdraw))
}

/// The badge colour of an entry's status.
pub(crate) fn badge(status: &PolicyStatus) -> &'static str {
    match status {
        PolicyStatus::Published => "done",
        PolicyStatus::Draft => "on_track",
        PolicyStatus::Withdrawn => "lagging",
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "policies_staff.html")]
struct ListPage {
    nav: Nav,
    policies: Vec<StoredPolicy>,
}

async fn list_page(State(state): State<AppState>, viewer: Viewer) -> Result<ListPage, AppError> {
    let policies = state
        .store
        .policy_entries_for_staff(&viewer.actor(), &viewer.ip)
        .await?;
    Ok(ListPage {
        nav: Nav::of(&viewer, &state),
        policies,
    })
}

// ---- one entry: its fields, publish/withdraw, its versions ----

#[derive(Template, WebTemplate)]
#[template(path = "policy_staff.html")]
struct DetailPage {
    nav: Nav,
    policy: StoredPolicy,
    audiences: String,
    dates: String,
    unit: String,
    rule_lines: Vec<RuleLine>,
    versions: Vec<PolicyVersion>,
}

async fn detail_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<DetailPage, AppError> {
    let id = policy_id(&id)?;
    let actor = viewer.actor();
    let policy = state
        .store
        .policy_entry_for_staff(&actor, id, &viewer.ip)
        .await?;
    let versions = state
        .store
        .policy_entry_versions(&actor, id, &viewer.ip)
        .await?;
    let rule_lines = match &policy.entry.rule_id {
        Some(rule) => rule_lines(&state.rules, rule, state.today()),
        None => Vec::new(),
    };
    Ok(DetailPage {
        nav: Nav::of(&viewer, &state),
        audiences: audiences_text(&policy),
        dates: dates_text(&policy),
        unit: unit_name(&state, &policy.entry.handling_unit),
        rule_lines,
        versions,
        policy,
    })
}

async fn publish(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(form): Form<CsrfForm>,
) -> Result<Redirect, AppError> {
    viewer.check_csrf(&state, &form.csrf).await?;
    let id = policy_id(&id)?;
    state
        .store
        .publish_policy_entry(&viewer.actor(), id, &viewer.ip)
        .await?;
    Ok(Redirect::to(&format!("/staff/policies/{id}")))
}

async fn withdraw(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(form): Form<CsrfForm>,
) -> Result<Redirect, AppError> {
    viewer.check_csrf(&state, &form.csrf).await?;
    let id = policy_id(&id)?;
    state
        .store
        .withdraw_policy_entry(&viewer.actor(), id, &viewer.ip)
        .await?;
    Ok(Redirect::to(&format!("/staff/policies/{id}")))
}

// ---- the form: a new entry, or a new version of one ----

/// The form as submitted; `audiences` comes once per ticked box.
#[derive(Default, Clone)]
struct PolicyInput {
    csrf: String,
    draft: PolicyEntryDraft,
}

impl PolicyInput {
    fn from_pairs(pairs: Vec<(String, String)>) -> PolicyInput {
        let mut input = PolicyInput::default();
        let d = &mut input.draft;
        for (key, value) in pairs {
            let slot = match key.as_str() {
                "csrf" => &mut input.csrf,
                "title" => &mut d.title,
                "document_number" => &mut d.document_number,
                "issuer" => &mut d.issuer,
                "effective_from" => &mut d.effective_from,
                "effective_to" => &mut d.effective_to,
                "benefit" => &mut d.benefit,
                "conditions" => &mut d.conditions,
                "documents" => &mut d.documents,
                "handling_unit" => &mut d.handling_unit,
                "rule_id" => &mut d.rule_id,
                "audiences" => {
                    d.audiences.push(value);
                    continue;
                }
                _ => continue,
            };
            *slot = value;
        }
        input
    }
}

/// A tick box of the form.
pub struct Tick {
    pub code: &'static str,
    pub label: &'static str,
    pub checked: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "policy_form.html")]
struct FormPage {
    nav: Nav,
    id: Option<i64>,
    form: PolicyEntryDraft,
    errors: Vec<FieldError>,
    audiences: Vec<Tick>,
    units: Vec<Choice>,
    rules: Vec<Choice>,
}

fn form_page(
    state: &AppState,
    viewer: &Viewer,
    id: Option<i64>,
    form: PolicyEntryDraft,
    errors: Vec<FieldError>,
) -> FormPage {
    let audiences = Audience::ALL
        .iter()
        .map(|a| Tick {
            code: a.code(),
            label: a.label(),
            checked: form.audiences.iter().any(|t| Audience::parse(t) == Ok(*a)),
        })
        .collect();
    let units = choices(
        state
            .plan
            .units
            .iter()
            .map(|u| (u.code.clone(), u.name.clone())),
        &form.handling_unit,
    );
    let rule_options = state
        .rules
        .policies
        .iter()
        .map(|p| (p.id.clone(), format!("{}（{}）", p.title, p.id)));
    FormPage {
        nav: Nav::of(viewer, state),
        rules: choices(rule_options, &form.rule_id),
        id,
        audiences,
        units,
        form,
        errors,
    }
}

async fn new_form(State(state): State<AppState>, viewer: Viewer) -> Result<Response, AppError> {
    // The list's door: a viewer who may not keep it is refused (and audited) here already.
    state
        .store
        .policy_entries_for_staff(&viewer.actor(), &viewer.ip)
        .await?;
    let form = PolicyEntryDraft {
        handling_unit: linkong_core::policy_list::MAINTAINING_UNIT.into(),
        ..PolicyEntryDraft::default()
    };
    Ok(form_page(&state, &viewer, None, form, Vec::new()).into_response())
}

async fn edit_form(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let id = policy_id(&id)?;
    let policy = state
        .store
        .policy_entry_for_staff(&viewer.actor(), id, &viewer.ip)
        .await?;
    let form = policy.entry.to_draft();
    Ok(form_page(&state, &viewer, Some(id), form, Vec::new()).into_response())
}

async fn create(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let input = PolicyInput::from_pairs(pairs);
    viewer.check_csrf(&state, &input.csrf).await?;
    let saved = state
        .store
        .create_policy_entry(
            (&state.plan, &state.rules),
            &viewer.actor(),
            &input.draft,
            &viewer.ip,
        )
        .await;
    let to = match &saved {
        Ok(id) => format!("/staff/policies/{id}"),
        Err(_) => String::new(),
    };
    saved_or_again(saved, &to, |errors| async {
        Ok(form_page(
            &state,
            &viewer,
            None,
            input.draft.clone(),
            errors,
        ))
    })
    .await
}

async fn edit(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let id = policy_id(&id)?;
    let input = PolicyInput::from_pairs(pairs);
    viewer.check_csrf(&state, &input.csrf).await?;
    let saved = state
        .store
        .edit_policy_entry(
            (&state.plan, &state.rules),
            &viewer.actor(),
            id,
            &input.draft,
            &viewer.ip,
        )
        .await;
    saved_or_again(saved, &format!("/staff/policies/{id}"), |errors| async {
        Ok(form_page(
            &state,
            &viewer,
            Some(id),
            input.draft.clone(),
            errors,
        ))
    })
    .await
}
