//! Employers on the web: self-registration (public), the employer's own page, and the review
//! list for 区人社局 reviewers (streets see the employers in their street).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use axum_extra::extract::cookie::CookieJar;
use linkong_core::employers::EmployerStatus;
use linkong_core::field::FieldError;
use linkong_core::industry::SECTIONS;
use linkong_core::plan::UnitKind;
use linkong_store::employers::{Employer, EmployerDraft};
use serde::Deserialize;

use crate::auth::{ClientIp, Nav, Viewer, anonymous_csrf, check_anonymous_csrf};
use crate::view::Choice;
use crate::{AppError, AppState};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/employers/register", get(register_page).post(register))
        .route("/employer", get(own_page))
        .route("/review/employers", get(review_page))
        .route("/review/employers/{id}", post(review))
}

#[derive(Template, WebTemplate)]
#[template(path = "employer_register.html")]
struct RegisterPage {
    csrf: String,
    sections: Vec<Choice>,
    streets: Vec<Choice>,
    form: RegisterForm,
    errors: Vec<FieldError>,
    done: Option<String>,
}

#[derive(Deserialize, Default, Clone)]
struct RegisterForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    uscc: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    industry_section: String,
    #[serde(default)]
    street_code: String,
    #[serde(default)]
    contact_name: String,
    #[serde(default)]
    contact_phone: String,
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
}

fn register_view(
    state: &AppState,
    csrf: String,
    form: RegisterForm,
    errors: Vec<FieldError>,
    done: Option<String>,
) -> RegisterPage {
    RegisterPage {
        csrf,
        sections: SECTIONS
            .iter()
            .map(|(letter, name)| Choice {
                value: letter.to_string(),
                label: format!("{letter} {name}"),
                selected: form.industry_section == letter.to_string(),
            })
            .collect(),
        streets: state
            .plan
            .units
            .iter()
            .filter(|u| u.kind == UnitKind::Street)
            .map(|u| Choice {
                value: u.code.clone(),
                label: u.name.clone(),
                selected: form.street_code == u.code,
            })
            .collect(),
        form: RegisterForm {
            password: String::new(),
            ..form
        },
        errors,
        done,
    }
}

async fn register_page(State(state): State<AppState>, jar: CookieJar) -> impl IntoResponse {
    let (jar, csrf) = anonymous_csrf(&state, jar);
    (
        jar,
        register_view(&state, csrf, RegisterForm::default(), Vec::new(), None),
    )
}

async fn register(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    jar: CookieJar,
    Form(form): Form<RegisterForm>,
) -> Result<Response, AppError> {
    check_anonymous_csrf(&state, &jar, &form.csrf, "employer.register", &ip).await?;
    let draft = EmployerDraft {
        uscc: form.uscc.clone(),
        name: form.name.clone(),
        industry_section: form.industry_section.clone(),
        street_code: form.street_code.clone(),
        contact_name: form.contact_name.clone(),
        contact_phone: form.contact_phone.clone(),
        account_username: form.username.clone(),
        account_password: form.password.clone(),
    };
    if draft.account_username.trim().is_empty() {
        let (jar, csrf) = anonymous_csrf(&state, jar);
        let errors = vec![FieldError {
            field: "用户名",
            message: "请设置登录用户名".into(),
        }];
        return Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            jar,
            register_view(&state, csrf, form, errors, None),
        )
            .into_response());
    }
    match state
        .store
        .register_employer(&state.plan, &draft, &ip)
        .await
    {
        Ok(employer) => {
            let (jar, csrf) = anonymous_csrf(&state, jar);
            let done = format!(
                "{} 已提交注册，区人社局审核通过后即可发布岗位。请用用户名 {} 登录查看审核进度。",
                employer.name,
                form.username.trim()
            );
            Ok((
                jar,
                register_view(
                    &state,
                    csrf,
                    RegisterForm::default(),
                    Vec::new(),
                    Some(done),
                ),
            )
                .into_response())
        }
        Err(linkong_store::Error::Fields(errors)) => {
            let (jar, csrf) = anonymous_csrf(&state, jar);
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                jar,
                register_view(&state, csrf, form, errors, None),
            )
                .into_response())
        }
        Err(linkong_store::Error::Invalid { field, message }) => {
            let (jar, csrf) = anonymous_csrf(&state, jar);
            let errors = vec![FieldError { field, message }];
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                jar,
                register_view(&state, csrf, form, errors, None),
            )
                .into_response())
        }
        Err(e) => Err(e.into()),
    }
}

pub struct EmployerView {
    pub id: i64,
    pub uscc: String,
    pub name: String,
    pub industry: String,
    pub street: String,
    pub contact: String,
    pub status: &'static str,
    pub pending: bool,
    pub note: String,
}

fn view(state: &AppState, e: Employer) -> EmployerView {
    let industry = SECTIONS
        .iter()
        .find(|(l, _)| l.to_string() == e.industry_section)
        .map_or(e.industry_section.clone(), |(l, n)| format!("{l} {n}"));
    EmployerView {
        id: e.id,
        uscc: e.uscc,
        name: e.name,
        industry,
        street: state
            .plan
            .unit(&e.street_code)
            .map_or(e.street_code.clone(), |u| u.name.clone()),
        contact: format!("{} {}", e.contact_name, e.contact_phone_masked),
        status: e.status.label(),
        pending: e.status == EmployerStatus::Pending,
        note: e.review_note.unwrap_or_default(),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "employer.html")]
struct OwnPage {
    nav: Nav,
    employer: Option<EmployerView>,
    posts: Vec<crate::posts::PostRow>,
    applications: Vec<crate::posts::ApplicationRow>,
    post_base: &'static str,
}

async fn own_page(State(state): State<AppState>, viewer: Viewer) -> Result<OwnPage, AppError> {
    let employer = match viewer.user.employer_id {
        Some(id) => state.store.employer(id).await?.map(|e| view(&state, e)),
        None => None,
    };
    let (posts, applications) = if employer.is_some() {
        crate::posts::employer_lists(&state, &viewer).await?
    } else {
        (Vec::new(), Vec::new())
    };
    Ok(OwnPage {
        nav: Nav::of(&viewer, &state),
        employer,
        posts,
        applications,
        post_base: "/employer/posts",
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "review_employers.html")]
struct ReviewPage {
    nav: Nav,
    employers: Vec<EmployerView>,
    can_review: bool,
    error: Option<String>,
}

async fn review_page(
    State(state): State<AppState>,
    viewer: Viewer,
) -> Result<ReviewPage, AppError> {
    render_review(&state, &viewer, None).await
}

async fn render_review(
    state: &AppState,
    viewer: &Viewer,
    error: Option<String>,
) -> Result<ReviewPage, AppError> {
    let employers = state
        .store
        .employers(&viewer.actor())
        .await?
        .into_iter()
        .map(|e| view(state, e))
        .collect();
    Ok(ReviewPage {
        nav: Nav::of(viewer, state),
        employers,
        can_review: viewer.actor().may_review_posts(),
        error,
    })
}

#[derive(Deserialize)]
struct ReviewForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    decision: String,
    #[serde(default)]
    note: String,
}

async fn review(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(form): Form<ReviewForm>,
) -> Result<Response, AppError> {
    viewer.check_csrf(&state, &form.csrf).await?;
    let verified = match form.decision.as_str() {
        "verify" => true,
        "reject" => false,
        _ => return Err(AppError::bad_request("审核结论：请选择认证或不予认证")),
    };
    match state
        .store
        .review_employer(&viewer.actor(), id, verified, &form.note, &viewer.ip)
        .await
    {
        Ok(()) => Ok(render_review(&state, &viewer, None).await?.into_response()),
        Err(linkong_store::Error::Invalid { field, message }) => {
            let page = render_review(&state, &viewer, Some(format!("{field}：{message}"))).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}
