//! The “中国网谷杯” start-up contest (1.2.3) in the staff console: the editions, an edition's
//! page (tracks, entries by track, rounds with their scores and the advancing form, awards)
//! with its results as a workbook, an entry's page (scores, award, support, landing), the rows
//! behind 1.2.3's figures, and the JSON list of editions and entries. Who may do what is decided
//! in core and enforced by the store; a form's wrong fields come back beside the form.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use linkong_core::contest::{
    AwardDraft, AwardGrade, EditionDraft, EntryDraft, LandingDraft, RoundDraft, Stage,
    SupportDraft, SupportKind,
};
use linkong_core::field::FieldError;
use linkong_core::registry::Registry;
use linkong_store::Error as StoreError;
use linkong_store::businesses::BusinessFilter;
use linkong_store::contest::{ContestEntry, Edition, EditionPage, EntryPage, Round};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::{ApiViewer, Nav, Viewer};
use crate::openapi::ErrorBody;
use crate::view::{Choice, choices, unit_name};
use crate::{AppError, AppState};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/staff/contest", get(editions_page).post(create_edition))
        .route("/staff/contest/counted", get(counted_page))
        .route("/staff/contest/{id}", get(edition_page))
        .route("/staff/contest/{id}/export.xlsx", get(export))
        .route("/staff/contest/{id}/entries", post(register_entry))
        .route("/staff/contest/{id}/rounds", post(add_round))
        .route("/staff/contest/{id}/advance", post(advance))
        .route("/staff/contest/entries/{id}", get(entry_page))
        .route("/staff/contest/entries/{id}/score", post(score))
        .route("/staff/contest/entries/{id}/award", post(award))
        .route("/staff/contest/entries/{id}/support", post(support))
        .route("/staff/contest/entries/{id}/landing", post(land))
}

/// The contest's JSON API, with its OpenAPI annotations (see [`crate::openapi`]).
pub fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(api_editions))
        .routes(routes!(api_entries))
}

fn id_of(text: &str, what: &str) -> Result<i64, AppError> {
    text.parse::<i64>()
        .map_err(|_| AppError::not_found(format!("该{what}不存在")))
}

/// A store answer to a form: its wrong fields to show beside the form, or an error page.
fn field_errors(error: StoreError) -> Result<Vec<FieldError>, AppError> {
    match error {
        StoreError::Fields(errors) => Ok(errors),
        StoreError::Invalid { field, message } => Ok(vec![FieldError { field, message }]),
        other => Err(other.into()),
    }
}

/// A score in hundredths as people read it: 91.5, 88.
pub fn score_text(hundredths: i64) -> String {
    let text = format!("{}.{:02}", hundredths / 100, hundredths % 100);
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

// ---------- editions ----------

#[derive(Deserialize, Default, Clone)]
pub struct EditionForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    year: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    opens_on: String,
    #[serde(default)]
    closes_on: String,
    #[serde(default)]
    tracks: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "staff_contest.html")]
struct EditionsPage {
    nav: Nav,
    editions: Vec<Edition>,
    organiser: String,
    may_run: bool,
    form: EditionForm,
    errors: Vec<FieldError>,
}

async fn editions(
    state: &AppState,
    viewer: &Viewer,
    form: EditionForm,
    errors: Vec<FieldError>,
) -> Result<EditionsPage, AppError> {
    let (plan, actor) = (&state.plan, viewer.actor());
    let editions = state
        .store
        .contest_editions(plan, &actor, &viewer.ip)
        .await?;
    Ok(EditionsPage {
        nav: Nav::of(viewer, state),
        organiser: editions
            .first()
            .map(|e| unit_name(state, &e.organiser))
            .unwrap_or_else(|| unit_name(state, "jkj")),
        editions,
        may_run: actor.may_run_contest(plan),
        form,
        errors,
    })
}

async fn editions_page(
    State(state): State<AppState>,
    viewer: Viewer,
) -> Result<EditionsPage, AppError> {
    editions(&state, &viewer, EditionForm::default(), Vec::new()).await
}

async fn create_edition(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(form): Form<EditionForm>,
) -> Result<Response, AppError> {
    viewer.check_csrf(&state, &form.csrf).await?;
    let draft = EditionDraft {
        year: form.year.clone(),
        name: form.name.clone(),
        opens_on: form.opens_on.clone(),
        closes_on: form.closes_on.clone(),
        tracks: form.tracks.clone(),
    };
    let created = state
        .store
        .create_contest_edition(&state.plan, &viewer.actor(), &draft, &viewer.ip)
        .await;
    match created {
        Ok(id) => Ok(Redirect::to(&format!("/staff/contest/{id}?saved=1")).into_response()),
        Err(e) => {
            let errors = field_errors(e)?;
            let page = editions(&state, &viewer, form, errors).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

// ---------- an edition ----------

/// The entry form as typed in, kept when it comes back with errors.
#[derive(Deserialize, Default, Clone)]
pub struct EntryForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    track: String,
    #[serde(default)]
    project: String,
    #[serde(default)]
    team: String,
    #[serde(default)]
    leader: String,
    #[serde(default)]
    school: String,
    #[serde(default)]
    field: String,
    #[serde(default)]
    brief: String,
    #[serde(default)]
    leader_id: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    registered_on: String,
}

impl EntryForm {
    fn draft(&self) -> EntryDraft {
        EntryDraft {
            track: self.track.clone(),
            project: self.project.clone(),
            team: self.team.clone(),
            leader: self.leader.clone(),
            school: self.school.clone(),
            field: self.field.clone(),
            brief: self.brief.clone(),
            leader_id: self.leader_id.clone(),
            phone: self.phone.clone(),
            registered_on: self.registered_on.clone(),
        }
    }
}

#[derive(Deserialize, Default, Clone)]
pub struct RoundForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    stage: String,
    #[serde(default)]
    scale: String,
    #[serde(default)]
    judges: String,
    #[serde(default)]
    held_on: String,
}

/// A round as the edition's page shows it: the entries that reached it, best score first, and
/// those that may advance from it.
pub struct RoundView {
    pub round: Round,
    pub next: Option<Stage>,
    pub lines: Vec<RoundLine>,
}

pub struct RoundLine {
    pub entry_id: i64,
    pub project: String,
    pub school: String,
    pub track: String,
    pub score: Option<String>,
    pub advanced: bool,
    pub may_advance: bool,
}

fn round_views(page: &EditionPage) -> Vec<RoundView> {
    page.edition
        .rounds
        .iter()
        .map(|round| {
            let next = page.edition.round_after(round.id);
            let mut lines: Vec<(Option<i64>, RoundLine)> = page
                .entries
                .iter()
                .filter(|e| e.standing(round.id).reached)
                .map(|e| {
                    let result = e.results.iter().find(|r| r.round_id == round.id);
                    let score = result.and_then(|r| r.score);
                    let advanced = next.is_some_and(|n| e.standing(n.id).reached);
                    (
                        score,
                        RoundLine {
                            entry_id: e.id,
                            project: e.project.clone(),
                            school: e.school.clone(),
                            track: e.track.clone(),
                            score: score.map(score_text),
                            advanced,
                            may_advance: next.is_some() && score.is_some() && !advanced,
                        },
                    )
                })
                .collect();
            lines.sort_by_key(|(score, _)| std::cmp::Reverse(*score));
            RoundView {
                round: round.clone(),
                next: next.map(|n| n.stage),
                lines: lines.into_iter().map(|(_, l)| l).collect(),
            }
        })
        .collect()
}

#[derive(Template, WebTemplate)]
#[template(path = "staff_contest_edition.html")]
struct EditionView {
    nav: Nav,
    edition: Edition,
    organiser: String,
    /// Each track with its entries.
    by_track: Vec<(String, Vec<ContestEntry>)>,
    rounds: Vec<RoundView>,
    awarded: Vec<ContestEntry>,
    may_run: bool,
    tracks: Vec<Choice>,
    stages: Vec<Choice>,
    entry: EntryForm,
    round: RoundForm,
    /// Which form the errors belong to: entry, round or advance.
    errors_of: &'static str,
    errors: Vec<FieldError>,
    saved: bool,
    today: String,
}

async fn edition_view(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    (entry, round): (EntryForm, RoundForm),
    (errors_of, errors): (&'static str, Vec<FieldError>),
) -> Result<EditionView, AppError> {
    let (plan, actor) = (&state.plan, viewer.actor());
    let page = state
        .store
        .contest_edition(plan, &actor, id, &viewer.ip)
        .await?;
    let rounds = round_views(&page);
    let by_track = page
        .edition
        .tracks
        .iter()
        .map(|t| {
            let entries = page
                .entries
                .iter()
                .filter(|e| e.track_id == t.id)
                .cloned()
                .collect();
            (t.name.clone(), entries)
        })
        .collect();
    let awarded = page
        .entries
        .iter()
        .filter(|e| e.award.is_some())
        .cloned()
        .collect();
    let held: Vec<Stage> = page.edition.rounds.iter().map(|r| r.stage).collect();
    Ok(EditionView {
        nav: Nav::of(viewer, state),
        organiser: unit_name(state, &page.edition.organiser),
        tracks: choices(
            page.edition
                .tracks
                .iter()
                .map(|t| (t.id.to_string(), t.name.clone())),
            &entry.track,
        ),
        stages: choices(
            Stage::ALL
                .iter()
                .filter(|s| !held.contains(s))
                .map(|s| (s.code().to_owned(), s.label().to_owned())),
            &round.stage,
        ),
        by_track,
        rounds,
        awarded,
        may_run: actor.may_run_contest(plan),
        edition: page.edition,
        entry,
        round,
        errors_of,
        errors,
        saved: false,
        today: state.today().to_string(),
    })
}

#[derive(Deserialize, Default)]
struct Saved {
    #[serde(default)]
    saved: String,
}

async fn edition_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(saved): Query<Saved>,
) -> Result<EditionView, AppError> {
    let id = id_of(&id, "届大赛")?;
    let forms = (EntryForm::default(), RoundForm::default());
    let mut page = edition_view(&state, &viewer, id, forms, ("", Vec::new())).await?;
    page.saved = saved.saved == "1";
    Ok(page)
}

/// Back to the edition's page after a write, or the page again with the form's errors.
async fn after_edition_write(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    done: Result<(), StoreError>,
    forms: (EntryForm, RoundForm),
    errors_of: &'static str,
) -> Result<Response, AppError> {
    match done {
        Ok(()) => {
            Ok(Redirect::to(&format!("/staff/contest/{id}?saved=1#{errors_of}")).into_response())
        }
        Err(e) => {
            let errors = field_errors(e)?;
            let page = edition_view(state, viewer, id, forms, (errors_of, errors)).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

async fn register_entry(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(form): Form<EntryForm>,
) -> Result<Response, AppError> {
    viewer.check_csrf(&state, &form.csrf).await?;
    let id = id_of(&id, "届大赛")?;
    let done = state
        .store
        .register_contest_entry(&state.plan, &viewer.actor(), id, &form.draft(), &viewer.ip)
        .await
        .map(|_| ());
    after_edition_write(
        &state,
        &viewer,
        id,
        done,
        (form, RoundForm::default()),
        "entry",
    )
    .await
}

async fn add_round(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(form): Form<RoundForm>,
) -> Result<Response, AppError> {
    viewer.check_csrf(&state, &form.csrf).await?;
    let id = id_of(&id, "届大赛")?;
    let draft = RoundDraft {
        stage: form.stage.clone(),
        scale: form.scale.clone(),
        judges: form.judges.clone(),
        held_on: form.held_on.clone(),
    };
    let done = state
        .store
        .add_contest_round(&state.plan, &viewer.actor(), id, &draft, &viewer.ip)
        .await
        .map(|_| ());
    after_edition_write(
        &state,
        &viewer,
        id,
        done,
        (EntryForm::default(), form),
        "round",
    )
    .await
}

/// The advancing form: `csrf`, `round` and one `entry` per ticked box.
async fn advance(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let one = |key: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    viewer.check_csrf(&state, &one("csrf")).await?;
    let id = id_of(&id, "届大赛")?;
    let round = id_of(&one("round"), "轮比赛")?;
    let entries: Vec<i64> = pairs
        .iter()
        .filter(|(k, _)| k == "entry")
        .filter_map(|(_, v)| v.parse().ok())
        .collect();
    let done = state
        .store
        .advance_contest_entries(
            &state.plan,
            &viewer.actor(),
            (id, round),
            &entries,
            &viewer.ip,
        )
        .await
        .map(|_| ());
    let forms = (EntryForm::default(), RoundForm::default());
    after_edition_write(&state, &viewer, id, done, forms, "advance").await
}

async fn export(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let id = id_of(&id, "届大赛")?;
    let page = state
        .store
        .contest_edition(&state.plan, &viewer.actor(), id, &viewer.ip)
        .await?;
    let name = format!("contest-{}.xlsx", page.edition.year);
    crate::download::download(&name, linkong_app::contest::results_workbook(&page))
}

// ---------- an entry ----------

/// Every form of the entry's page as typed in, kept when one comes back with errors.
#[derive(Deserialize, Default, Clone)]
pub struct EntryActionForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    round: String,
    #[serde(default)]
    score: String,
    #[serde(default)]
    grade: String,
    #[serde(default)]
    amount: String,
    #[serde(default)]
    awarded_on: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    given_on: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    business: String,
    #[serde(default)]
    landed_on: String,
}

/// An entry's result in a round as its page shows it.
pub struct ResultLine {
    pub round_id: i64,
    pub stage: &'static str,
    pub scale: i64,
    pub reached: bool,
    pub score: Option<String>,
}

/// Support as the entry's page shows it.
pub struct SupportLine {
    pub kind: &'static str,
    pub given_on: String,
    pub unit: String,
    pub note: String,
    pub amount: Option<i64>,
}

#[derive(Template, WebTemplate)]
#[template(path = "staff_contest_entry.html")]
struct EntryView {
    nav: Nav,
    page: EntryPage,
    results: Vec<ResultLine>,
    support: Vec<SupportLine>,
    may_run: bool,
    reached_final: bool,
    grades: Vec<Choice>,
    /// The support kinds the viewer may record.
    kinds: Vec<Choice>,
    businesses: Vec<Choice>,
    form: EntryActionForm,
    errors_of: &'static str,
    errors: Vec<FieldError>,
    saved: bool,
    today: String,
}

/// The businesses a winning entry may land as, once it is awarded and not landed yet.
async fn landing_choices(
    state: &AppState,
    viewer: &Viewer,
    page: &EntryPage,
    selected: &str,
) -> Result<Vec<Choice>, AppError> {
    let actor = viewer.actor();
    if !actor.may_run_contest(&state.plan)
        || page.entry.award.is_none()
        || page.entry.landing.is_some()
    {
        return Ok(Vec::new());
    }
    let businesses = state
        .store
        .businesses(&state.plan, &actor, &BusinessFilter::default(), &viewer.ip)
        .await?;
    Ok(choices(
        businesses.into_iter().map(|b| {
            (
                b.id.to_string(),
                format!("{}（{}）", b.name, unit_name(state, &b.street_code)),
            )
        }),
        selected,
    ))
}

fn result_lines(page: &EntryPage) -> Vec<ResultLine> {
    page.entry
        .results
        .iter()
        .map(|r| ResultLine {
            round_id: r.round_id,
            stage: r.stage.label(),
            scale: r.scale,
            reached: r.reached,
            score: r.score.map(score_text),
        })
        .collect()
}

async fn entry_view(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    form: EntryActionForm,
    (errors_of, errors): (&'static str, Vec<FieldError>),
) -> Result<EntryView, AppError> {
    let (plan, actor) = (&state.plan, viewer.actor());
    let page = state
        .store
        .contest_entry(plan, &actor, id, &viewer.ip)
        .await?;
    let reached_final = page
        .edition
        .final_round()
        .is_some_and(|f| page.entry.standing(f.id).reached);
    let support = page
        .support
        .iter()
        .map(|s| SupportLine {
            kind: s.kind.label(),
            given_on: s.given_on.to_string(),
            unit: unit_name(state, &s.unit_code),
            note: s.note.clone(),
            amount: s.amount,
        })
        .collect();
    Ok(EntryView {
        nav: Nav::of(viewer, state),
        results: result_lines(&page),
        support,
        may_run: actor.may_run_contest(plan),
        reached_final,
        grades: choices(
            AwardGrade::ALL
                .iter()
                .map(|g| (g.code().to_owned(), g.label().to_owned())),
            &form.grade,
        ),
        kinds: choices(
            SupportKind::ALL
                .iter()
                .filter(|k| actor.may_record_contest_support(plan, **k))
                .map(|k| (k.code().to_owned(), k.label().to_owned())),
            &form.kind,
        ),
        businesses: landing_choices(state, viewer, &page, &form.business).await?,
        page,
        form,
        errors_of,
        errors,
        saved: false,
        today: state.today().to_string(),
    })
}

async fn entry_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(saved): Query<Saved>,
) -> Result<EntryView, AppError> {
    let id = id_of(&id, "参赛项目")?;
    let mut page = entry_view(
        &state,
        &viewer,
        id,
        EntryActionForm::default(),
        ("", Vec::new()),
    )
    .await?;
    page.saved = saved.saved == "1";
    Ok(page)
}

/// Runs one form of the entry's page: back to the page, or the page with the form's errors.
async fn entry_action(
    state: AppState,
    viewer: Viewer,
    id: String,
    form: EntryActionForm,
    which: &'static str,
) -> Result<Response, AppError> {
    viewer.check_csrf(&state, &form.csrf).await?;
    let id = id_of(&id, "参赛项目")?;
    let (plan, actor, store, ip) = (
        &state.plan,
        viewer.actor(),
        &state.store,
        viewer.ip.as_str(),
    );
    let done = match which {
        "score" => {
            let round = id_of(&form.round, "轮比赛")?;
            store
                .score_contest_entry(plan, &actor, (id, round), &form.score, ip)
                .await
        }
        "award" => {
            let draft = AwardDraft {
                grade: form.grade.clone(),
                amount: form.amount.clone(),
                awarded_on: form.awarded_on.clone(),
            };
            store
                .award_contest_entry(plan, &actor, id, &draft, ip)
                .await
        }
        "support" => {
            let draft = SupportDraft {
                kind: form.kind.clone(),
                given_on: form.given_on.clone(),
                note: form.note.clone(),
                amount: form.amount.clone(),
            };
            store
                .record_contest_support(plan, &actor, id, &draft, ip)
                .await
                .map(|_| ())
        }
        _ => {
            let draft = LandingDraft {
                business: form.business.clone(),
                landed_on: form.landed_on.clone(),
            };
            store.land_contest_entry(plan, &actor, id, &draft, ip).await
        }
    };
    match done {
        Ok(()) => Ok(
            Redirect::to(&format!("/staff/contest/entries/{id}?saved=1#{which}")).into_response(),
        ),
        Err(e) => {
            let errors = field_errors(e)?;
            let page = entry_view(&state, &viewer, id, form, (which, errors)).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

async fn score(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(form): Form<EntryActionForm>,
) -> Result<Response, AppError> {
    entry_action(state, viewer, id, form, "score").await
}

async fn award(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(form): Form<EntryActionForm>,
) -> Result<Response, AppError> {
    entry_action(state, viewer, id, form, "award").await
}

async fn support(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(form): Form<EntryActionForm>,
) -> Result<Response, AppError> {
    entry_action(state, viewer, id, form, "support").await
}

async fn land(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(form): Form<EntryActionForm>,
) -> Result<Response, AppError> {
    entry_action(state, viewer, id, form, "landing").await
}

// ---------- the rows behind 1.2.3's figures ----------

#[derive(Deserialize, Default)]
struct CountedQuery {
    #[serde(default)]
    registry: String,
    #[serde(default)]
    unit: String,
    #[serde(default)]
    year: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "staff_contest_counted.html")]
struct CountedPage {
    nav: Nav,
    title: &'static str,
    landed: bool,
    unit_name: String,
    year: i32,
    entries: Vec<ContestEntry>,
}

/// The entries registered (or landed) that a unit's 1.2.3 figure of a year counts.
async fn counted_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<CountedQuery>,
) -> Result<CountedPage, AppError> {
    let registry = Registry::parse(query.registry.trim())
        .filter(|r| matches!(r, Registry::ContestEntries | Registry::ContestLandings))
        .ok_or_else(|| AppError::bad_request("统计口径：应为 contest.entries 或 contest.landed"))?;
    let unit = state
        .plan
        .unit(query.unit.trim())
        .ok_or_else(|| AppError::bad_request(format!("单位：未知的单位“{}”", query.unit.trim())))?;
    let year = query
        .year
        .trim()
        .parse::<i32>()
        .ok()
        .filter(|y| state.plan.years().contains(y))
        .ok_or_else(|| AppError::bad_request("年度：应为行动方案年度"))?;
    let entries = state
        .store
        .contest_counted(&viewer.actor(), registry, &unit.code, year, &viewer.ip)
        .await?;
    let landed = registry == Registry::ContestLandings;
    Ok(CountedPage {
        nav: Nav::of(&viewer, &state),
        title: if landed {
            "获奖项目落地东西湖"
        } else {
            "大赛参赛项目"
        },
        landed,
        unit_name: unit.name.clone(),
        year,
        entries,
    })
}

// ---------- JSON ----------

/// The contest's editions.
#[derive(Serialize, ToSchema)]
struct EditionList {
    total: usize,
    editions: Vec<Edition>,
}

/// “中国网谷杯”创新创业大赛的各届大赛（任务 1.2.3），含赛道和各轮比赛：任务 1.2.3 的牵头和配合单位及
/// 全区查看角色可用，街道等其他单位 403。
#[utoipa::path(
    get,
    path = "/api/v1/contest/editions",
    operation_id = "listContestEditions",
    tag = "returnees",
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "各届大赛", body = EditionList),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "无权查看创新创业大赛", body = ErrorBody),
    )
)]
async fn api_editions(
    State(state): State<AppState>,
    ApiViewer(viewer): ApiViewer,
) -> Result<Json<EditionList>, AppError> {
    let editions = state
        .store
        .contest_editions(&state.plan, &viewer.actor(), &viewer.ip)
        .await?;
    Ok(Json(EditionList {
        total: editions.len(),
        editions,
    }))
}

/// An edition's entries.
#[derive(Serialize, ToSchema)]
struct EntryList {
    total: usize,
    entries: Vec<ContestEntry>,
}

/// 一届大赛的参赛项目，含各轮评分（百分之一分）、奖项和落地情况；负责人电话已打码。
#[utoipa::path(
    get,
    path = "/api/v1/contest/editions/{id}/entries",
    operation_id = "listContestEntries",
    tag = "returnees",
    params(("id" = i64, Path, description = "届次编号")),
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "参赛项目", body = EntryList),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "无权查看创新创业大赛", body = ErrorBody),
        (status = 404, description = "该届大赛不存在", body = ErrorBody),
    )
)]
async fn api_entries(
    State(state): State<AppState>,
    ApiViewer(viewer): ApiViewer,
    Path(id): Path<String>,
) -> Result<Json<EntryList>, AppError> {
    let id = id_of(&id, "届大赛")?;
    let page = state
        .store
        .contest_edition(&state.plan, &viewer.actor(), id, &viewer.ip)
        .await?;
    Ok(Json(EntryList {
        total: page.entries.len(),
        entries: page.entries,
    }))
}
