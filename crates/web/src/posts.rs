//! Job posts behind the counter: employers draft and submit their posts and handle
//! applications; street and industry-office staff enter posts collected offline; reviewers see
//! each post's risk reasons and publish, override or reject; the 举报 queue.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use linkong_core::access::{Gate, Role};
use linkong_core::field::FieldError;
use linkong_core::industry::{LeadingIndustry, SECTIONS};
use linkong_core::jobs::{
    ApplicationStatus, Education, Experience, OccupationGroup, PostDraft, PostStatus,
};
use linkong_core::plan::UnitKind;
use linkong_store::applicants::Application;
use linkong_store::jobs::{Complaint, JobPost, PostList, PostReview};
use serde::Deserialize;

use crate::auth::{Nav, Viewer};
use crate::view::{Choice, choices, unit_name};
use crate::{AppError, AppState};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/employer/posts/new", get(new_page))
        .route("/employer/posts", post(create))
        .route("/employer/posts/{id}", get(edit_page).post(update))
        .route("/employer/posts/{id}/close", post(close))
        .route("/employer/applications/{id}", post(move_application))
        .route("/posts", get(staff_list).post(create))
        .route("/posts/new", get(new_page))
        .route("/posts/{id}", get(edit_page).post(update))
        .route("/posts/{id}/close", post(close))
        .route("/review/posts", get(review_page))
        .route("/review/posts/{id}", post(review))
        .route("/review/posts/{id}/emerging", post(override_emerging))
        .route("/review/complaints", get(complaints_page))
        .route("/review/complaints/{id}", post(handle_complaint))
}

/// Where the viewer's post pages live: employers under /employer, staff under /posts.
fn base(viewer: &Viewer) -> &'static str {
    if viewer.user.role == Role::Employer {
        "/employer/posts"
    } else {
        "/posts"
    }
}

/// A post as lists show it.
pub struct PostRow {
    pub id: i64,
    pub title: String,
    pub employer: String,
    pub positions: i64,
    pub raised_by: String,
    pub status: &'static str,
    pub status_code: &'static str,
    pub editable: bool,
    pub open: bool,
    pub risk: String,
    pub review_note: String,
}

pub fn row(state: &AppState, post: &JobPost) -> PostRow {
    let status = post.status_on(state.today());
    PostRow {
        id: post.id,
        title: post.title.clone(),
        employer: post.employer_name.clone(),
        positions: post.positions,
        raised_by: unit_name(state, &post.raised_by),
        status: status.label(),
        status_code: status.code(),
        editable: status.is_editable(),
        open: status == PostStatus::Published,
        risk: post
            .risk
            .as_ref()
            .map(|r| format!("{}（{} 分）", r.level.label(), r.score))
            .unwrap_or_default(),
        review_note: post.review_note.clone().unwrap_or_default(),
    }
}

#[derive(Deserialize, Default, Clone)]
pub struct PostForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    action: String,
    #[serde(default)]
    employer_id: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    occupation_group: String,
    #[serde(default)]
    occupation_code: String,
    #[serde(default)]
    occupation: String,
    #[serde(default)]
    level: String,
    #[serde(default)]
    industry_section: String,
    #[serde(default)]
    industry_code: String,
    #[serde(default)]
    leading_industry: String,
    #[serde(default)]
    positions: String,
    #[serde(default)]
    education: String,
    #[serde(default)]
    experience: String,
    #[serde(default)]
    salary_min: String,
    #[serde(default)]
    salary_max: String,
    #[serde(default)]
    street_code: String,
    #[serde(default)]
    contact_name: String,
    #[serde(default)]
    contact_phone: String,
    #[serde(default)]
    valid_from: String,
    #[serde(default)]
    valid_until: String,
    #[serde(default)]
    raised_by: String,
}

impl PostForm {
    fn draft(&self) -> PostDraft {
        PostDraft {
            title: self.title.clone(),
            description: self.description.clone(),
            // A select always sends a value: where a code is typed, the code decides.
            occupation_group: self.unless_coded(&self.occupation_code, &self.occupation_group),
            occupation_code: self.occupation_code.clone(),
            occupation: self.occupation.clone(),
            level: self.level.clone(),
            industry_section: self.unless_coded(&self.industry_code, &self.industry_section),
            industry_code: self.industry_code.clone(),
            leading_industry: self.leading_industry.clone(),
            positions: self.positions.clone(),
            education: self.education.clone(),
            experience: self.experience.clone(),
            salary_min: self.salary_min.clone(),
            salary_max: self.salary_max.clone(),
            street_code: self.street_code.clone(),
            contact_name: self.contact_name.clone(),
            contact_phone: self.contact_phone.clone(),
            valid_from: self.valid_from.clone(),
            valid_until: self.valid_until.clone(),
            raised_by: self.raised_by.clone(),
        }
    }

    /// A select's value, or nothing when the code it belongs to was typed.
    fn unless_coded(&self, code: &str, chosen: &str) -> String {
        if code.trim().is_empty() {
            chosen.to_owned()
        } else {
            String::new()
        }
    }

    fn of(post: &JobPost) -> PostForm {
        PostForm {
            title: post.title.clone(),
            description: post.description.clone(),
            occupation_group: post.occupation_group.code().into(),
            occupation_code: post.occupation_code.clone().unwrap_or_default(),
            occupation: post.occupation.clone(),
            level: post.level.code().into(),
            industry_section: post.industry_section.clone(),
            industry_code: post.industry_code.clone().unwrap_or_default(),
            leading_industry: post.leading_industry.code().into(),
            positions: post.positions.to_string(),
            education: post.education.code().into(),
            experience: post.experience.code().into(),
            salary_min: post.salary_min.to_string(),
            salary_max: post.salary_max.to_string(),
            street_code: post.street_code.clone(),
            contact_name: post.contact_name.clone(),
            valid_from: post.valid_from.to_string(),
            valid_until: post.valid_until.to_string(),
            raised_by: post.raised_by.clone(),
            ..PostForm::default()
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "post_form.html")]
struct FormPage {
    nav: Nav,
    action: String,
    form: PostForm,
    errors: Vec<FieldError>,
    employers: Vec<Choice>,
    groups: Vec<Choice>,
    levels: Vec<Choice>,
    /// The 职业分类大典 excerpt for the code field's list (code, name).
    occupations: Vec<(&'static str, &'static str)>,
    sections: Vec<Choice>,
    leading: Vec<Choice>,
    educations: Vec<Choice>,
    experiences: Vec<Choice>,
    streets: Vec<Choice>,
    raisers: Vec<Choice>,
    review_note: Option<String>,
}

/// The employers a staff member may post for (verified ones); an employer posts for itself.
async fn employer_choices(
    state: &AppState,
    viewer: &Viewer,
    selected: &str,
) -> Result<Vec<Choice>, AppError> {
    if viewer.user.role == Role::Employer {
        return Ok(Vec::new());
    }
    let verified = state
        .store
        .employers(&viewer.actor())
        .await?
        .into_iter()
        .filter(|e| e.status.may_publish());
    Ok(choices(
        verified.map(|e| (e.id.to_string(), format!("{}（{}）", e.name, e.uscc))),
        selected,
    ))
}

/// A new form's defaults: raised by the viewer's unit (or the employer's street), worked in
/// the same street, valid for 90 days from today.
async fn fill_defaults(
    state: &AppState,
    viewer: &Viewer,
    form: &mut PostForm,
) -> Result<(), AppError> {
    if form.raised_by.is_empty() {
        form.raised_by = match (&viewer.user.unit_code, viewer.user.employer_id) {
            (Some(unit), _) => unit.clone(),
            (None, Some(id)) => state
                .store
                .employer(id)
                .await?
                .map(|e| e.street_code)
                .unwrap_or_default(),
            _ => String::new(),
        };
    }
    if form.street_code.is_empty() {
        form.street_code = form.raised_by.clone();
    }
    if form.valid_from.is_empty() {
        let today = state.today();
        form.valid_from = today.to_string();
        form.valid_until = (today + chrono::Duration::days(90)).to_string();
    }
    Ok(())
}

/// The (code, name) of the plan's units of these kinds.
fn units_of(state: &AppState, kinds: &[UnitKind]) -> Vec<(String, String)> {
    state
        .plan
        .units
        .iter()
        .filter(|u| kinds.contains(&u.kind))
        .map(|u| (u.code.clone(), u.name.clone()))
        .collect()
}

/// The options of a vocabulary given as (code, label) pairs.
fn options<'a>(items: impl Iterator<Item = (&'a str, &'a str)>, selected: &str) -> Vec<Choice> {
    choices(items.map(|(c, l)| (c.to_owned(), l.to_owned())), selected)
}

async fn form_page(
    state: &AppState,
    viewer: &Viewer,
    action: String,
    mut form: PostForm,
    errors: Vec<FieldError>,
    review_note: Option<String>,
) -> Result<Response, AppError> {
    let employers = employer_choices(state, viewer, &form.employer_id).await?;
    fill_defaults(state, viewer, &mut form).await?;
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = FormPage {
        nav: Nav::of(viewer, state),
        action,
        errors,
        employers,
        groups: choices(
            OccupationGroup::ALL
                .iter()
                .map(|g| (g.code().into(), format!("{} {}", g.code(), g.label()))),
            &form.occupation_group,
        ),
        levels: options(
            linkong_core::jobs::JobLevel::ALL
                .iter()
                .map(|l| (l.code(), l.label())),
            &form.level,
        ),
        occupations: linkong_core::occupations::Classification::shipped()
            .entries()
            .collect(),
        sections: choices(
            SECTIONS
                .iter()
                .map(|(l, n)| (l.to_string(), format!("{l} {n}"))),
            &form.industry_section,
        ),
        leading: options(
            LeadingIndustry::ALL.iter().map(|i| (i.code(), i.label())),
            &form.leading_industry,
        ),
        educations: options(
            Education::ALL.iter().map(|e| (e.code(), e.label())),
            &form.education,
        ),
        experiences: options(
            Experience::ALL.iter().map(|e| (e.code(), e.label())),
            &form.experience,
        ),
        streets: choices(
            units_of(state, &[UnitKind::Street]).into_iter(),
            &form.street_code,
        ),
        raisers: choices(
            units_of(state, &[UnitKind::Street, UnitKind::IndustryOffice]).into_iter(),
            &form.raised_by,
        ),
        form,
        review_note,
    };
    Ok((status, page).into_response())
}

#[derive(Deserialize, Default)]
struct NewQuery {
    #[serde(default)]
    employer: String,
}

async fn new_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<NewQuery>,
) -> Result<Response, AppError> {
    let form = PostForm {
        employer_id: query.employer,
        ..PostForm::default()
    };
    form_page(
        &state,
        &viewer,
        base(&viewer).into(),
        form,
        Vec::new(),
        None,
    )
    .await
}

fn path_id(text: &str) -> Result<i64, AppError> {
    text.parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or_else(|| AppError::not_found("该岗位不存在"))
}

async fn edit_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let id = path_id(&id)?;
    let post = owned_post(&state, &viewer, id).await?;
    let action = format!("{}/{id}", base(&viewer));
    let note = post.review_note.clone();
    form_page(
        &state,
        &viewer,
        action,
        PostForm::of(&post),
        Vec::new(),
        note,
    )
    .await
}

/// A post the viewer manages (their employer's, or raised by their unit); others are refused
/// and audited.
async fn owned_post(state: &AppState, viewer: &Viewer, id: i64) -> Result<JobPost, AppError> {
    Ok(state
        .store
        .job_post_for(&viewer.actor(), id, &viewer.ip)
        .await?)
}

async fn save(
    state: &AppState,
    viewer: &Viewer,
    id: Option<i64>,
    form: PostForm,
) -> Result<Response, AppError> {
    viewer.check_csrf(state, &form.csrf).await?;
    let submit = form.action == "submit";
    let employer_id = form.employer_id.trim().parse::<i64>().ok();
    let result = state
        .store
        .save_job_post(
            &viewer.actor(),
            &state.plan,
            &state.fraud,
            id,
            employer_id,
            &form.draft(),
            submit,
            &viewer.ip,
        )
        .await;
    let action = match id {
        Some(id) => format!("{}/{id}", base(viewer)),
        None => base(viewer).to_owned(),
    };
    match result {
        Ok(_) => {
            let back = if viewer.user.role == Role::Employer {
                "/employer"
            } else {
                "/posts"
            };
            Ok(Redirect::to(back).into_response())
        }
        Err(linkong_store::Error::Fields(errors)) => {
            form_page(state, viewer, action, form, errors, None).await
        }
        Err(linkong_store::Error::Invalid { field, message }) => {
            let errors = vec![FieldError { field, message }];
            form_page(state, viewer, action, form, errors, None).await
        }
        Err(e) => Err(e.into()),
    }
}

async fn create(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(form): Form<PostForm>,
) -> Result<Response, AppError> {
    save(&state, &viewer, None, form).await
}

async fn update(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(form): Form<PostForm>,
) -> Result<Response, AppError> {
    let id = path_id(&id)?;
    save(&state, &viewer, Some(id), form).await
}

#[derive(Deserialize)]
struct NoteForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    decision: String,
    #[serde(default)]
    to: String,
}

async fn close(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(form): Form<NoteForm>,
) -> Result<Response, AppError> {
    let id = path_id(&id)?;
    viewer.check_csrf(&state, &form.csrf).await?;
    state
        .store
        .close_job_post(&viewer.actor(), id, &form.note, &viewer.ip)
        .await?;
    state.search_sync.sync().await.map_err(AppError::internal)?;
    let back = if viewer.user.role == Role::Employer {
        "/employer"
    } else {
        "/posts"
    };
    Ok(Redirect::to(back).into_response())
}

/// The employer's view of its applications.
pub struct ApplicationRow {
    pub application: Application,
    pub moves: Vec<(&'static str, &'static str)>,
}

pub async fn employer_lists(
    state: &AppState,
    viewer: &Viewer,
) -> Result<(Vec<PostRow>, Vec<ApplicationRow>), AppError> {
    let actor = viewer.actor();
    let posts = state
        .store
        .job_posts(&actor, PostList::Mine)
        .await?
        .iter()
        .map(|p| row(state, p))
        .collect();
    let applications = state
        .store
        .employer_applications(&actor)
        .await?
        .into_iter()
        .map(|application| ApplicationRow {
            moves: application
                .status
                .next()
                .iter()
                .map(|s| (s.code(), s.label()))
                .collect(),
            application,
        })
        .collect();
    Ok((posts, applications))
}

async fn move_application(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(form): Form<NoteForm>,
) -> Result<Response, AppError> {
    let id = id
        .parse::<i64>()
        .map_err(|_| AppError::not_found("该申请不存在"))?;
    viewer.check_csrf(&state, &form.csrf).await?;
    let to = ApplicationStatus::parse(&form.to)
        .map_err(|e| AppError::bad_request(format!("申请状态：{e}")))?;
    state
        .store
        .move_application(&viewer.actor(), id, to, &viewer.ip)
        .await?;
    Ok(Redirect::to("/employer#applications").into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "posts.html")]
struct StaffList {
    nav: Nav,
    posts: Vec<PostRow>,
    can_post: bool,
    post_base: &'static str,
}

async fn staff_list(State(state): State<AppState>, viewer: Viewer) -> Result<StaffList, AppError> {
    let posts = state
        .store
        .job_posts(&viewer.actor(), PostList::Mine)
        .await?
        .iter()
        .map(|p| row(&state, p))
        .collect();
    let can_post = viewer.actor().may_raise_posts(&state.plan);
    Ok(StaffList {
        nav: Nav::of(&viewer, &state),
        posts,
        can_post,
        post_base: "/posts",
    })
}

/// A pending post as the reviewer sees it: everything, and why it scored.
pub struct ReviewItem {
    pub post: JobPost,
    pub row: PostRow,
    pub level: &'static str,
    pub high: bool,
    pub street: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "review_posts.html")]
struct ReviewPage {
    nav: Nav,
    items: Vec<ReviewItem>,
    error: Option<String>,
}

async fn render_review(
    state: &AppState,
    viewer: &Viewer,
    error: Option<String>,
) -> Result<Response, AppError> {
    let items = state
        .store
        .job_posts(&viewer.actor(), PostList::Pending)
        .await?
        .into_iter()
        .map(|post| ReviewItem {
            row: row(state, &post),
            level: post.risk.as_ref().map_or("low", |r| match r.level {
                linkong_core::fraud::RiskLevel::High => "high",
                linkong_core::fraud::RiskLevel::Medium => "medium",
                linkong_core::fraud::RiskLevel::Low => "low",
            }),
            high: post
                .risk
                .as_ref()
                .is_some_and(|r| r.level == linkong_core::fraud::RiskLevel::High),
            street: unit_name(state, &post.street_code),
            post,
        })
        .collect();
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok((
        status,
        ReviewPage {
            nav: Nav::of(viewer, state),
            items,
            error,
        },
    )
        .into_response())
}

async fn review_page(State(state): State<AppState>, viewer: Viewer) -> Result<Response, AppError> {
    let gate = Gate::PostReview;
    state.store.enter(&viewer.actor(), gate, &viewer.ip).await?;
    render_review(&state, &viewer, None).await
}

async fn review(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(form): Form<NoteForm>,
) -> Result<Response, AppError> {
    let id = path_id(&id)?;
    viewer.check_csrf(&state, &form.csrf).await?;
    let decision = match form.decision.as_str() {
        "publish" => PostReview::Publish {
            override_reason: Some(form.note.clone()),
        },
        "reject" => PostReview::Reject {
            reason: form.note.clone(),
        },
        _ => return Err(AppError::bad_request("审核结论：请选择发布或退回")),
    };
    match state
        .store
        .review_job_post(&viewer.actor(), id, &decision, &viewer.ip)
        .await
    {
        Ok(_) => {
            state.search_sync.sync().await.map_err(AppError::internal)?;
            render_review(&state, &viewer, None).await
        }
        Err(e @ (linkong_store::Error::Invalid { .. } | linkong_store::Error::Conflict(_))) => {
            render_review(&state, &viewer, Some(e.to_string())).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
struct EmergingForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    emerging: String,
    #[serde(default)]
    reason: String,
}

/// A reviewer changes a post's derived emerging flag with a reason: back to the post's public
/// page if it is open, else to the review queue; a refusal is shown on the queue.
async fn override_emerging(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(form): Form<EmergingForm>,
) -> Result<Response, AppError> {
    let id = path_id(&id)?;
    viewer.check_csrf(&state, &form.csrf).await?;
    let wanted = match form.emerging.as_str() {
        "1" => true,
        "0" => false,
        _ => return Err(AppError::bad_request("新兴产业岗位：请选择是或否")),
    };
    let changed = state
        .store
        .override_emerging(&viewer.actor(), id, wanted, &form.reason, &viewer.ip)
        .await;
    match changed {
        Ok(post) if post.is_open_on(state.today()) => {
            state.search_sync.sync().await.map_err(AppError::internal)?;
            Ok(Redirect::to(&format!("/jobs/{id}")).into_response())
        }
        Ok(_) => Ok(Redirect::to("/review/posts").into_response()),
        Err(
            e @ (linkong_store::Error::Invalid { .. }
            | linkong_store::Error::Fields(_)
            | linkong_store::Error::Conflict(_)),
        ) => render_review(&state, &viewer, Some(e.to_string())).await,
        Err(e) => Err(e.into()),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "complaints.html")]
struct ComplaintsPage {
    nav: Nav,
    complaints: Vec<Complaint>,
    error: Option<String>,
}

async fn complaints_page(
    State(state): State<AppState>,
    viewer: Viewer,
) -> Result<Response, AppError> {
    let gate = Gate::Complaints;
    state.store.enter(&viewer.actor(), gate, &viewer.ip).await?;
    Ok(ComplaintsPage {
        nav: Nav::of(&viewer, &state),
        complaints: state.store.complaints(&viewer.actor()).await?,
        error: None,
    }
    .into_response())
}

async fn handle_complaint(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(form): Form<NoteForm>,
) -> Result<Response, AppError> {
    let id = id
        .parse::<i64>()
        .map_err(|_| AppError::not_found("该举报不存在"))?;
    viewer.check_csrf(&state, &form.csrf).await?;
    let upheld = match form.decision.as_str() {
        "uphold" => true,
        "dismiss" => false,
        _ => return Err(AppError::bad_request("处理结论：请选择属实或不属实")),
    };
    match state
        .store
        .handle_complaint(&viewer.actor(), id, upheld, &form.note, &viewer.ip)
        .await
    {
        Ok(()) => {
            state.search_sync.sync().await.map_err(AppError::internal)?;
            Ok(Redirect::to("/review/complaints").into_response())
        }
        Err(e @ linkong_store::Error::Invalid { .. }) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            ComplaintsPage {
                nav: Nav::of(&viewer, &state),
                complaints: state.store.complaints(&viewer.actor()).await?,
                error: Some(e.to_string()),
            },
        )
            .into_response()),
        Err(e) => Err(e.into()),
    }
}
