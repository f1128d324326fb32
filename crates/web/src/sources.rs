//! Drill-down behind an indicator that a registry fills: the published posts raised by a unit
//! in a year (1.1.1), the events a unit held (1.1.2, 2.5.4, and 2.5.1's promotion events), the
//! projects a unit collected that were screened into the project library (2.1.2), the businesses
//! that moved into a street's carriers (2.4.1) or the carriers recognised as municipal (1.2.2,
//! 2.4.1), or the projects and showcase cases a unit recommended (2.5.2, 2.5.3); the expert
//! pool's, the window's, the contest's and failure support's rows are on their own pages,
//! filtered to the unit and year.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use linkong_core::access::{Actor, Gate};
use linkong_core::events::EventKind;
use linkong_core::registry::Registry;
use linkong_store::carriers::Residence;
use linkong_store::carriers::applications::Application;
use linkong_store::jobs::PostList;
use linkong_store::projects::Project;
use linkong_store::selection::SelectionEntry;
use linkong_store::showcase::ShowcaseCase;
use serde::Deserialize;

use crate::auth::{Nav, Viewer};
use crate::events::EventRow;
use crate::posts::PostRow;
use crate::view::{YearQuery, year_of};
use crate::{AppError, AppState};

pub fn router() -> Router<AppState> {
    Router::new().route("/indicators/{code}/sources", get(sources_page))
}

#[derive(Deserialize, Default)]
struct SourceQuery {
    #[serde(default)]
    unit: String,
    #[serde(default)]
    year: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "sources.html")]
struct SourcesPage {
    nav: Nav,
    indicator_code: String,
    indicator_name: String,
    unit_name: String,
    year: i32,
    registry: &'static str,
    posts: Vec<PostRow>,
    post_base: &'static str,
    events: Vec<EventRow>,
    projects: Vec<Project>,
    entries: Vec<SelectionEntry>,
    cases: Vec<ShowcaseCase>,
    arrivals: Vec<Residence>,
    recognitions: Vec<Application>,
    total_positions: i64,
}

/// The posts a unit raised in `year` (only the emerging-industry ones for the share).
async fn raised_posts(
    state: &AppState,
    actor: &Actor,
    unit: &str,
    year: i32,
    emerging_only: bool,
) -> Result<Vec<PostRow>, AppError> {
    Ok(state
        .store
        .job_posts(actor, PostList::RaisedBy { unit, year })
        .await?
        .iter()
        .filter(|p| !emerging_only || p.emerging)
        .map(|p| crate::posts::row(state, p))
        .collect())
}

/// The events of `kinds` a unit held in `year`, up to today (only those in a coastal region
/// when `coastal_only`).
async fn held_events(
    state: &AppState,
    unit: &str,
    (kinds, coastal_only): (&[EventKind], bool),
    year: i32,
) -> Result<Vec<EventRow>, AppError> {
    let today = state.today();
    Ok(state
        .store
        .events_of_year(year)
        .await?
        .into_iter()
        .filter(|e| kinds.contains(&e.kind) && (e.coastal || !coastal_only))
        .filter(|e| e.organiser == unit && e.held_on <= today)
        .map(|e| crate::events::event_row(state, e))
        .collect())
}

/// The projects behind 2.1.2: those `unit` collected that were screened in during `year`.
async fn library_projects(
    state: &AppState,
    viewer: &Viewer,
    registry: Registry,
    unit: &str,
    year: i32,
) -> Result<Vec<Project>, AppError> {
    if registry != Registry::ProjectsScreenedIn {
        return Ok(Vec::new());
    }
    let actor = viewer.actor();
    Ok(state
        .store
        .screened_projects(&actor, unit, year, &viewer.ip)
        .await?)
}

/// The recommendations behind 2.5.2 or 2.5.3: what `unit` recommended during `year`.
async fn recommendations(
    state: &AppState,
    viewer: &Viewer,
    registry: Registry,
    unit: &str,
    year: i32,
) -> Result<(Vec<SelectionEntry>, Vec<ShowcaseCase>), AppError> {
    let (actor, store) = (viewer.actor(), &state.store);
    Ok(match registry {
        Registry::SelectionRecommendations => (
            store
                .recommended_entries(&actor, unit, year, &viewer.ip)
                .await?,
            Vec::new(),
        ),
        Registry::ShowcaseRecommendations => (
            Vec::new(),
            store
                .recommended_cases(&actor, unit, year, &viewer.ip)
                .await?,
        ),
        _ => (Vec::new(), Vec::new()),
    })
}

/// The rows behind the carriers' figures: the move-ins counted for a street (2.4.1), or the
/// recognitions counted for a unit (1.2.2, 2.4.1).
async fn carrier_rows(
    state: &AppState,
    viewer: &Viewer,
    registry: Registry,
    unit: &str,
    year: i32,
) -> Result<(Vec<Residence>, Vec<Application>), AppError> {
    use linkong_core::carriers::applications::ApplicationKind;
    let (store, actor, ip) = (&state.store, viewer.actor(), &viewer.ip);
    let kind = match registry {
        Registry::CarrierResidents => {
            let arrivals = store.carrier_arrivals(&actor, unit, year, ip).await?;
            return Ok((arrivals, Vec::new()));
        }
        Registry::IncubationBases => ApplicationKind::IncubationBase,
        Registry::ReturneeParks => ApplicationKind::ReturneePark,
        _ => return Ok((Vec::new(), Vec::new())),
    };
    let recognised = store.recognitions(&actor, kind, unit, year, ip).await?;
    Ok((Vec::new(), recognised))
}

/// Where the rows behind the expert pool's and the window's figures are listed (scoped there),
/// for a unit and year.
fn support_rows(registry: Registry, unit: &str, year: i32) -> String {
    let page = if registry == Registry::ExpertServices {
        "/staff/experts/services"
    } else {
        "/staff/window"
    };
    format!("{page}?year={year}&unit={unit}")
}

/// Where the rows behind a figure are listed on a registry's own page (scoped there), for a
/// unit and year: trainings, expert services, window visits, contest entries registered or
/// landed, mentorings, and the roster behind a rate.
fn listed_elsewhere(registry: Registry, unit: &linkong_core::plan::Unit, year: i32) -> String {
    match registry {
        Registry::ExpertServices | Registry::WindowVisits => {
            support_rows(registry, &unit.code, year)
        }
        Registry::FailureSupportSteps => {
            format!("/staff/failure/steps?year={year}&unit={}", unit.code)
        }
        Registry::MentoringsStarted => format!("/staff/mentoring?year={year}&unit={}", unit.code),
        Registry::Loans => format!("/staff/loans?year={year}&unit={}", unit.code),
        Registry::CampusPolicyEvents => {
            format!("/staff/campus?year={year}&unit={}#activities", unit.code)
        }
        Registry::CampusInterns => {
            format!("/staff/campus?year={year}&unit={}#placements", unit.code)
        }
        Registry::StudentVisitors => format!("/staff/visits?year={year}&unit={}", unit.code),
        Registry::TalentTrips | Registry::TalentTripHires => {
            format!("/staff/talent-trips?year={year}&unit={}", unit.code)
        }
        Registry::SubsidiesPaid(category) => format!(
            "/staff/subsidies?paid_in={year}&counted_for={}&category={}",
            unit.code,
            category.code()
        ),
        Registry::OfferPayments => format!(
            "/staff/subsidies?paid_in={year}&counted_for={}&channel=offer",
            unit.code
        ),
        Registry::MigrantsSurveyed | Registry::ReturnIntentionShare => {
            // The people surveyed, by household street (the whole district for the lead unit).
            format!("/people/migrants?counted_in={year}{}", street_param(unit))
        }
        Registry::FiveOnesServices => {
            format!(
                "/people/returnees?year={year}{}#five-ones",
                street_param(unit)
            )
        }
        Registry::MarketInspections => {
            format!("/staff/market-order?year={year}&unit={}", unit.code)
        }
        Registry::MarketNotices => {
            format!("/staff/market-order/notices?year={year}&unit={}", unit.code)
        }
        Registry::SkillsTrained => format!("/staff/skills?year={year}&unit={}", unit.code),
        Registry::TitlesForwarded => format!("/staff/titles?year={year}&unit={}", unit.code),
        Registry::HrServices => format!("/staff/hr-actions?year={year}&unit={}", unit.code),
        Registry::GraduateTrainees => {
            format!(
                "/staff/traineeships/placements?year={year}&unit={}",
                unit.code
            )
        }
        Registry::PlacementRate => {
            // The people behind a rate are on the roster, scoped there by household street.
            format!("/people/graduates?year={year}{}", street_param(unit))
        }
        Registry::ContestEntries | Registry::ContestLandings => format!(
            "/staff/contest/counted?registry={}&unit={}&year={year}",
            registry.code(),
            unit.code
        ),
        _ => format!("/people/returnees?year={year}"),
    }
}

/// `&street=…` for a street, nothing for a district unit (whose figure is the district's).
fn street_param(unit: &linkong_core::plan::Unit) -> String {
    if unit.kind == linkong_core::plan::UnitKind::Street {
        format!("&street={}", unit.code)
    } else {
        String::new()
    }
}

/// The unit and the year a drill-down asks for, or the first wrong one (named).
fn unit_and_year<'s>(
    state: &'s AppState,
    query: &SourceQuery,
) -> Result<(&'s linkong_core::plan::Unit, i32), AppError> {
    let unit = state
        .plan
        .unit(query.unit.trim())
        .ok_or_else(|| AppError::bad_request(format!("单位：未知的单位“{}”", query.unit.trim())))?;
    let year = year_of(
        state,
        &YearQuery {
            year: Some(query.year.clone()),
            saved: None,
        },
    )?;
    Ok((unit, year))
}

async fn sources_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(code): Path<String>,
    Query(query): Query<SourceQuery>,
) -> Result<Response, AppError> {
    let plan = &state.plan;
    let (_, indicator) = linkong_core::record::find_indicator(plan, &code)
        .ok_or_else(|| AppError::not_found(format!("指标“{code}”不存在")))?;
    let registry = indicator
        .registry
        .ok_or_else(|| AppError::not_found("该指标由各单位手工填报，请查看填报记录"))?;
    let (unit, year) = unit_and_year(&state, &query)?;
    let actor = viewer.actor();
    let gate = Gate::IndicatorSources {
        indicator: &code,
        unit: &unit.code,
    };
    state.store.enter(&actor, gate, &viewer.ip).await?;
    let (posts, events) = match registry {
        Registry::PostPositions | Registry::EmergingShare => {
            let emerging_only = registry == Registry::EmergingShare;
            let posts = raised_posts(&state, &actor, &unit.code, year, emerging_only).await?;
            (posts, Vec::new())
        }
        Registry::Events(_) | Registry::PromotionEvents | Registry::CoastalPromotionEvents => {
            let counted = registry.counted_events().unwrap_or_default();
            let events = held_events(&state, &unit.code, counted, year).await?;
            (Vec::new(), events)
        }
        Registry::ProjectsScreenedIn
        | Registry::CarrierResidents
        | Registry::IncubationBases
        | Registry::ReturneeParks
        | Registry::SelectionRecommendations
        | Registry::ShowcaseRecommendations => (Vec::new(), Vec::new()),
        // Every other registry lists its rows on its own page, scoped there.
        _ => {
            let to = listed_elsewhere(registry, unit, year);
            return Ok(Redirect::to(&to).into_response());
        }
    };
    let projects = library_projects(&state, &viewer, registry, &unit.code, year).await?;
    let (entries, cases) = recommendations(&state, &viewer, registry, &unit.code, year).await?;
    let (arrivals, recognitions) =
        carrier_rows(&state, &viewer, registry, &unit.code, year).await?;
    Ok(SourcesPage {
        nav: Nav::of(&viewer, &state),
        indicator_code: indicator.code.clone(),
        indicator_name: indicator.name.clone(),
        unit_name: unit.name.clone(),
        year,
        registry: registry.label(),
        total_positions: posts.iter().map(|p| p.positions).sum(),
        posts,
        post_base: "/posts",
        events,
        projects,
        entries,
        cases,
        arrivals,
        recognitions,
    }
    .into_response())
}
