//! The policy list (政策清单, issue 14 item 1) on the public portal: `/policies` (a search box —
//! the job search's Chinese search, see `linkong_search::PolicyIndex` — and audience chips),
//! `/policies/{id}` (every field, and the parameters in force of the policy's rule), and the
//! public `GET /api/v1/policies`. The staff pages are in `policy_list_staff.rs`. Handlers
//! extract, call the store (and the index), and render.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::routing::get;
use axum::{Json, Router};
use linkong_core::policy_list::Audience;
use linkong_core::rules::{RuleBook, Unit, format_fen};
use linkong_search::{PolicyDoc, PolicyHit, PolicyIndex};
use linkong_store::policy_list::{PolicyListMark, PublicFilter, StoredPolicy};
use serde::{Deserialize, Serialize};
use tokio::sync::Mutex;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::MaybeViewer;
use crate::openapi::ErrorBody;
use crate::view::{PortalNav, unit_name};
use crate::{AppError, AppState};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/policies", get(list_page))
        .route("/policies/{id}", get(detail_page))
        .merge(crate::policy_list_staff::router())
}

/// The public JSON list, with its OpenAPI annotation (see [`crate::openapi`]).
pub fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(api_list))
}

/// The search index of the published policies (a few hundred entries), rebuilt from the store
/// whenever the list's mark ([`linkong_store::policy_list::PolicyListMark`]) differs from the
/// one it was built at — after a change made through this server or any other, or at midnight.
pub struct PolicySearch {
    index: PolicyIndex,
    built_at: Mutex<Option<PolicyListMark>>,
}

impl PolicySearch {
    pub fn new() -> PolicySearch {
        PolicySearch {
            index: PolicyIndex::in_ram().expect("an index in memory always opens"),
            built_at: Mutex::new(None),
        }
    }

    async fn search(&self, state: &AppState, text: &str) -> Result<Vec<PolicyHit>, AppError> {
        let mark = state.store.policy_list_mark().await?;
        {
            let mut built_at = self.built_at.lock().await;
            if *built_at != Some(mark) {
                // Read after the mark: a change in between only makes the next search rebuild.
                self.rebuild(state).await?;
                *built_at = Some(mark);
            }
        }
        self.index.search(text).map_err(AppError::internal)
    }

    async fn rebuild(&self, state: &AppState) -> Result<(), AppError> {
        let published = state.store.searchable_policy_entries().await?;
        let docs: Vec<PolicyDoc> = published
            .into_iter()
            .map(|p| PolicyDoc {
                id: p.id,
                title: p.entry.title,
                issuer: p.entry.issuer,
                document_number: p.entry.document_number,
                benefit: p.entry.benefit,
                conditions: p.entry.conditions,
            })
            .collect();
        self.index.replace(&docs).map_err(AppError::internal)
    }
}

impl Default for PolicySearch {
    fn default() -> Self {
        PolicySearch::new()
    }
}

#[derive(Deserialize, Default, Clone)]
pub struct ListQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    audience: String,
}

impl ListQuery {
    fn audience(&self) -> Result<Option<Audience>, AppError> {
        match self.audience.trim() {
            "" | "all" => Ok(None),
            code => Audience::parse(code).map(Some).map_err(|_| {
                AppError::bad_request(format!(
                    "适用对象：“{code}”不存在，可用 graduate、returnee、employer"
                ))
            }),
        }
    }
}

/// The published entries in force for the query's audience, in the search's order when there
/// are keywords, each with its marked title and benefit snippet.
async fn found(
    state: &AppState,
    query: &ListQuery,
) -> Result<Vec<(StoredPolicy, PolicyHit)>, AppError> {
    let filter = PublicFilter {
        audience: query.audience()?,
        today: state.today(),
    };
    let mut listed = state.store.public_policy_entries(filter).await?;
    if query.q.trim().is_empty() {
        return Ok(listed
            .into_iter()
            .map(|p| {
                let hit = PolicyHit {
                    id: p.id,
                    title_html: escape(&p.entry.title),
                    snippet_html: escape(&excerpt(&p.entry.benefit)),
                };
                (p, hit)
            })
            .collect());
    }
    let hits = state.policies.search(state, &query.q).await?;
    Ok(hits
        .into_iter()
        .filter_map(|hit| {
            let at = listed.iter().position(|p| p.id == hit.id)?;
            Some((listed.swap_remove(at), hit))
        })
        .collect())
}

/// Text as HTML, the way the index marks its hits (the template shows both unescaped).
fn escape(text: &str) -> String {
    let mut html = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => html.push_str("&amp;"),
            '<' => html.push_str("&lt;"),
            '>' => html.push_str("&gt;"),
            '"' => html.push_str("&quot;"),
            '\'' => html.push_str("&#39;"),
            c => html.push(c),
        }
    }
    html
}

fn excerpt(text: &str) -> String {
    let cut: String = text.chars().take(120).collect();
    if text.chars().count() > 120 {
        format!("{cut}…")
    } else {
        cut
    }
}

/// An entry's dates in words: "2025-01-01 至 2027-12-31" or "2025-01-01 起长期有效".
pub(crate) fn dates_text(policy: &StoredPolicy) -> String {
    match policy.entry.effective_to {
        Some(to) => format!("{} 至 {to}", policy.entry.effective_from),
        None => format!("{} 起长期有效", policy.entry.effective_from),
    }
}

pub(crate) fn audiences_text(policy: &StoredPolicy) -> String {
    let labels: Vec<&str> = policy.entry.audiences.iter().map(|a| a.label()).collect();
    labels.join("、")
}

/// A policy as the portal's list shows it.
pub struct Card {
    pub id: i64,
    pub title_html: String,
    pub snippet_html: String,
    pub issuer: String,
    pub document_number: String,
    pub audiences: String,
    pub dates: String,
    pub unit: String,
}

fn card(state: &AppState, (policy, hit): (StoredPolicy, PolicyHit)) -> Card {
    Card {
        id: policy.id,
        title_html: hit.title_html,
        snippet_html: hit.snippet_html,
        audiences: audiences_text(&policy),
        dates: dates_text(&policy),
        unit: unit_name(state, &policy.entry.handling_unit),
        issuer: policy.entry.issuer,
        document_number: policy.entry.document_number,
    }
}

/// An audience chip of the list.
pub struct Chip {
    pub code: &'static str,
    pub label: &'static str,
    pub current: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "policies.html")]
struct ListPage {
    portal: PortalNav,
    query: ListQuery,
    chips: Vec<Chip>,
    cards: Vec<Card>,
}

async fn list_page(
    State(state): State<AppState>,
    viewer: MaybeViewer,
    Query(query): Query<ListQuery>,
) -> Result<ListPage, AppError> {
    let cards = found(&state, &query).await?;
    let asked = query.audience()?;
    let mut chips = vec![Chip {
        code: "",
        label: "全部",
        current: asked.is_none(),
    }];
    chips.extend(Audience::ALL.iter().map(|a| Chip {
        code: a.code(),
        label: a.label(),
        current: asked == Some(*a),
    }));
    Ok(ListPage {
        portal: PortalNav::of(&viewer),
        cards: cards.into_iter().map(|f| card(&state, f)).collect(),
        chips,
        query,
    })
}

/// A parameter of the entry's rule with its value in force, as people read it.
pub struct RuleLine {
    pub label: String,
    pub value: String,
    pub source: String,
    pub confirmed: bool,
}

/// The parameters in force `today` of the rule `rule_id` (none when it has no value today).
pub(crate) fn rule_lines(
    rules: &RuleBook,
    rule_id: &str,
    today: chrono::NaiveDate,
) -> Vec<RuleLine> {
    let Ok(policy) = rules.policy(rule_id) else {
        return Vec::new();
    };
    policy
        .parameters
        .values()
        .filter_map(|p| {
            let value = p.value_on(today)?;
            // As a decision's trace shows them (core::rules::eval).
            let shown = match p.unit {
                Unit::Money => format_fen(value.value),
                Unit::Count => format!("{} 人", value.value),
                Unit::Months => format!("{} 个月", value.value),
                Unit::BasisPoints => format!("{} 个基点", value.value),
                Unit::Fraction => format!("{}/{}", value.value, value.denominator),
            };
            Some(RuleLine {
                label: p.label.clone(),
                value: shown,
                source: value.source.clone(),
                confirmed: value.confirmed,
            })
        })
        .collect()
}

#[derive(Template, WebTemplate)]
#[template(path = "policy.html")]
struct DetailPage {
    portal: PortalNav,
    policy: StoredPolicy,
    audiences: String,
    dates: String,
    unit: String,
    rule_lines: Vec<RuleLine>,
    today: chrono::NaiveDate,
}

pub(crate) fn policy_id(text: &str) -> Result<i64, AppError> {
    text.parse::<i64>()
        .map_err(|_| AppError::not_found("该政策不存在或未发布"))
}

async fn detail_page(
    State(state): State<AppState>,
    viewer: MaybeViewer,
    Path(id): Path<String>,
) -> Result<DetailPage, AppError> {
    let policy = state.store.public_policy_entry(policy_id(&id)?).await?;
    let today = state.today();
    let rule_lines = match &policy.entry.rule_id {
        Some(rule) => rule_lines(&state.rules, rule, today),
        None => Vec::new(),
    };
    Ok(DetailPage {
        portal: PortalNav::of(&viewer),
        audiences: audiences_text(&policy),
        dates: dates_text(&policy),
        unit: unit_name(&state, &policy.entry.handling_unit),
        rule_lines,
        today,
        policy,
    })
}

/// The published policies found.
#[derive(Serialize, ToSchema)]
struct PolicyList {
    total: usize,
    policies: Vec<StoredPolicy>,
}

/// The policy list (政策清单, public): published policies not yet ended, best match first when
/// searched (every keyword must occur in the title, issuer, 文号, benefit or conditions;
/// 社保 also finds 社会保险), else the latest in force first.
#[utoipa::path(
    get,
    path = "/api/v1/policies",
    operation_id = "listPolicies",
    tag = "policies",
    params(
        ("q" = Option<String>, Query, description = "关键词，空格分隔，如“创业补贴”"),
        ("audience" = Option<String>, Query, description = "适用对象：graduate（高校毕业生）、returnee（返乡创业人员）、employer（用人单位）"),
    ),
    responses(
        (status = 200, description = "已发布的政策", body = PolicyList),
        (status = 422, description = "参数有误", body = ErrorBody),
    )
)]
async fn api_list(
    State(state): State<AppState>,
    Query(query): Query<ListQuery>,
) -> Result<Json<PolicyList>, AppError> {
    let policies: Vec<StoredPolicy> = found(&state, &query)
        .await?
        .into_iter()
        .map(|(p, _)| p)
        .collect();
    Ok(Json(PolicyList {
        total: policies.len(),
        policies,
    }))
}
