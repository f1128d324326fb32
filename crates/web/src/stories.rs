//! Returnee start-up stories on the public portal (创业故事, task 2.5.3): the showcase cases that
//! 区委宣传部 or 区融媒体中心 published with the founder's consent, phone first and without
//! login, their photos, and their JSON list. Any other case is not found here.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use chrono::NaiveDate;
use linkong_core::businesses::BusinessForm;
use linkong_store::showcase::ShowcaseCase;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::MaybeViewer;
use crate::view::{PortalNav, section_name, unit_name};
use crate::{AppError, AppState};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/stories", get(list_page))
        .route("/stories/{id}", get(detail_page))
        .route("/stories/{id}/photos/{n}", get(photo))
}

/// The public JSON list, with its OpenAPI annotation (see [`crate::openapi`]).
pub fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(api_list))
}

/// A published story as the portal and the API show it: what the founder agreed to publish,
/// nothing more (no ID number, no consent record).
#[derive(Serialize, ToSchema)]
pub struct Story {
    pub id: i64,
    pub title: String,
    /// 创业故事正文。
    pub story: String,
    /// 典型人物（创办人）姓名。
    pub founder: String,
    /// 创业主体名称。
    pub business: String,
    /// 所在街道。
    pub street: String,
    /// 国民经济行业门类（GB/T 4754）。
    pub industry: String,
    /// 新业态，如“休闲民宿”“乡村旅游”。
    pub forms: Vec<String>,
    /// 获评情况，如“当选”（推荐参选“武汉返乡创业之星”的结果）。
    pub honour: Option<String>,
    pub published_on: NaiveDate,
    /// 照片地址，按顺序。
    pub photos: Vec<String>,
}

fn story(state: &AppState, case: ShowcaseCase) -> Story {
    let honour = (case.status == linkong_core::showcase::CaseStatus::Starred).then(|| {
        if case.outcome_note.is_empty() {
            "武汉返乡创业之星".to_owned()
        } else {
            case.outcome_note.clone()
        }
    });
    Story {
        photos: case
            .photos
            .iter()
            .map(|(n, _)| format!("/stories/{}/photos/{n}", case.id))
            .collect(),
        id: case.id,
        street: unit_name(state, &case.street_code),
        industry: section_name(&case.section),
        forms: case
            .forms
            .iter()
            .filter(|f| **f != BusinessForm::Other)
            .map(|f| f.label().to_owned())
            .collect(),
        published_on: case.published_on.unwrap_or(case.recommended_on),
        title: case.title,
        story: case.story,
        founder: case.founder,
        business: case.business_name,
        honour,
    }
}

/// A story as the list shows it: the story and the first lines of its text.
pub struct Card {
    pub story: Story,
    pub forms: String,
    pub excerpt: String,
}

fn card(state: &AppState, case: ShowcaseCase) -> Card {
    let story = story(state, case);
    let forms = story.forms.join("、");
    let excerpt: String = story.story.chars().take(80).collect();
    let excerpt = if story.story.chars().count() > 80 {
        format!("{excerpt}…")
    } else {
        excerpt
    };
    Card {
        story,
        forms,
        excerpt,
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "stories.html")]
struct ListPage {
    portal: PortalNav,
    cards: Vec<Card>,
}

async fn list_page(
    State(state): State<AppState>,
    viewer: MaybeViewer,
) -> Result<ListPage, AppError> {
    let cases = state.store.published_stories().await?;
    Ok(ListPage {
        portal: PortalNav::of(&viewer),
        cards: cases.into_iter().map(|c| card(&state, c)).collect(),
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "story.html")]
struct DetailPage {
    portal: PortalNav,
    card: Card,
}

fn story_id(text: &str) -> Result<i64, AppError> {
    text.parse::<i64>()
        .map_err(|_| AppError::not_found("该创业故事不存在或未发布"))
}

async fn detail_page(
    State(state): State<AppState>,
    viewer: MaybeViewer,
    Path(id): Path<String>,
) -> Result<DetailPage, AppError> {
    let case = state.store.published_story(story_id(&id)?).await?;
    Ok(DetailPage {
        portal: PortalNav::of(&viewer),
        card: card(&state, case),
    })
}

async fn photo(
    State(state): State<AppState>,
    Path((id, n)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let n = n
        .parse::<i64>()
        .map_err(|_| AppError::not_found("该照片不存在"))?;
    let (media_type, bytes) = state.store.story_photo(story_id(&id)?, n).await?;
    Ok((
        [
            (header::CONTENT_TYPE, media_type),
            (header::CACHE_CONTROL, "public, max-age=3600".to_owned()),
        ],
        bytes,
    )
        .into_response())
}

/// The published stories.
#[derive(Serialize, ToSchema)]
struct StoryList {
    total: usize,
    stories: Vec<Story>,
}

/// Returnee start-up stories published on the portal (public), latest first: showcase cases
/// whose founders agreed to their publication.
#[utoipa::path(
    get,
    path = "/api/v1/stories",
    operation_id = "listStories",
    tag = "returnees",
    responses((status = 200, description = "已在门户发布的返区创业故事", body = StoryList))
)]
async fn api_list(State(state): State<AppState>) -> Result<Json<StoryList>, AppError> {
    let cases = state.store.published_stories().await?;
    let stories: Vec<Story> = cases.into_iter().map(|c| story(&state, c)).collect();
    Ok(Json(StoryList {
        total: stories.len(),
        stories,
    }))
}
