//! Applicants' own pages (求职者): register with a phone and a password, log in with them, keep
//! a short profile and follow their applications.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use axum_extra::extract::cookie::{Cookie, CookieJar};
use linkong_core::applicants::Profile;
use linkong_core::field::FieldError;
use linkong_core::jobs::Education;
use linkong_core::plan::UnitKind;
use linkong_store::applicants::{ApplicantSignup, Application};
use linkong_store::matching::PostMatch;
use linkong_store::pushes::{Message, PushedToMe};
use serde::Deserialize;

use crate::auth::{
    ClientIp, LOGIN_CSRF_COOKIE, MaybeViewer, SESSION_COOKIE, Viewer, anonymous_csrf,
    check_anonymous_csrf, session_cookie,
};
use crate::jobs::PortalNav;
use crate::view::Choice;
use crate::{AppError, AppState};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/me", get(own_page))
        .route("/me/profile", post(save_profile))
        .route("/me/findable", post(save_findable))
        .route("/me/messages/{id}", get(open_message))
        .route("/me/login", get(login_page).post(login))
        .route("/me/register", get(register_page).post(register))
}

#[derive(Deserialize, Default)]
struct Next {
    #[serde(default)]
    next: String,
}

/// Only a path on this site, never another site.
fn safe_next(next: &str) -> String {
    if next.starts_with('/') && !next.starts_with("//") && !next.contains('\\') {
        next.to_owned()
    } else {
        "/me".to_owned()
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "me_login.html")]
struct LoginPage {
    portal: PortalNav,
    csrf: String,
    next: String,
    phone: String,
    error: Option<String>,
    register: bool,
    name: String,
    errors: Vec<FieldError>,
}

fn login_view(csrf: String, next: String, register: bool) -> LoginPage {
    LoginPage {
        portal: PortalNav {
            signed_in: None,
            home: "/me/login".into(),
        },
        csrf,
        next,
        phone: String::new(),
        error: None,
        register,
        name: String::new(),
        errors: Vec::new(),
    }
}

async fn login_page(
    State(state): State<AppState>,
    jar: CookieJar,
    Query(next): Query<Next>,
) -> impl IntoResponse {
    let (jar, csrf) = anonymous_csrf(&state, jar);
    (jar, login_view(csrf, safe_next(&next.next), false))
}

async fn register_page(
    State(state): State<AppState>,
    jar: CookieJar,
    Query(next): Query<Next>,
) -> impl IntoResponse {
    let (jar, csrf) = anonymous_csrf(&state, jar);
    (jar, login_view(csrf, safe_next(&next.next), true))
}

#[derive(Deserialize)]
struct LoginForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    next: String,
}

async fn signed_in(
    state: &AppState,
    jar: CookieJar,
    user_id: i64,
    next: &str,
) -> Result<Response, AppError> {
    let session = state.store.create_session(user_id).await?;
    let jar = jar
        .remove(Cookie::build(LOGIN_CSRF_COOKIE).path("/"))
        .add(session_cookie(state, SESSION_COOKIE, session.token));
    Ok((jar, Redirect::to(&safe_next(next))).into_response())
}

async fn login(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    jar: CookieJar,
    Form(form): Form<LoginForm>,
) -> Result<Response, AppError> {
    check_anonymous_csrf(&state, &jar, &form.csrf, "applicant.login", &ip).await?;
    // An unknown phone goes through the same checks as a wrong password.
    let username = state
        .store
        .applicant_username(&form.phone)
        .await?
        .unwrap_or_else(|| format!("{}0", linkong_store::users::APPLICANT_PREFIX));
    match state
        .store
        .authenticate(&username, &form.password, &ip)
        .await?
    {
        Ok(user) => signed_in(&state, jar, user.id, &form.next).await,
        Err(error) => {
            let (jar, csrf) = anonymous_csrf(&state, jar);
            let mut page = login_view(csrf, safe_next(&form.next), false);
            page.phone = form.phone.trim().chars().take(20).collect();
            page.error = Some(error.to_string().replace("用户名", "手机号码"));
            Ok((StatusCode::UNAUTHORIZED, jar, page).into_response())
        }
    }
}

async fn register(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    jar: CookieJar,
    Form(form): Form<LoginForm>,
) -> Result<Response, AppError> {
    check_anonymous_csrf(&state, &jar, &form.csrf, "applicant.register", &ip).await?;
    let signup = ApplicantSignup {
        phone: form.phone.clone(),
        name: form.name.clone(),
        password: form.password.clone(),
    };
    match state.store.register_applicant(&signup, &ip).await {
        Ok(user) => signed_in(&state, jar, user.id, &form.next).await,
        Err(linkong_store::Error::Fields(errors)) => refused(&state, jar, &form, errors),
        Err(linkong_store::Error::Invalid { field, message }) => {
            refused(&state, jar, &form, vec![FieldError { field, message }])
        }
        Err(e) => Err(e.into()),
    }
}

fn refused(
    state: &AppState,
    jar: CookieJar,
    form: &LoginForm,
    errors: Vec<FieldError>,
) -> Result<Response, AppError> {
    let (jar, csrf) = anonymous_csrf(state, jar);
    let mut page = login_view(csrf, safe_next(&form.next), true);
    page.phone = form.phone.trim().chars().take(20).collect();
    page.name = form.name.trim().chars().take(40).collect();
    page.errors = errors;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, jar, page).into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "me.html")]
struct OwnPage {
    portal: PortalNav,
    csrf: String,
    phone: String,
    profile: Profile,
    educations: Vec<Choice>,
    streets: Vec<Choice>,
    /// 岗位层次 choices.
    levels: Vec<Choice>,
    /// The 职业分类大典 excerpt (code, name) for the code field's list.
    occupations: Vec<(&'static str, &'static str)>,
    applications: Vec<Application>,
    errors: Vec<FieldError>,
    saved: bool,
    /// "为你推荐": the open posts that fit the profile best, with why.
    recommended: Vec<PostMatch>,
    /// The posts staff pushed or employers invited them to.
    pushed: Vec<PushedToMe>,
    messages: Vec<Message>,
    unread: usize,
    /// Consented to be found by employers.
    findable: bool,
}

/// Posts "为你推荐" shows.
const RECOMMENDED: usize = 5;

async fn render_own(
    state: &AppState,
    viewer: Viewer,
    form: Option<Profile>,
    errors: Vec<FieldError>,
    saved: bool,
) -> Result<Response, AppError> {
    let actor = viewer.actor();
    let applicant = state.store.applicant(&actor).await?;
    let profile = form.unwrap_or_else(|| Profile {
        name: applicant.name.clone(),
        education: applicant.education.code().into(),
        major: applicant.major.clone(),
        skills: applicant.skills.clone(),
        wanted_job: applicant.wanted_job.clone(),
        wanted_level: applicant.wanted_level.clone().unwrap_or_default(),
        wanted_occupation_code: applicant.wanted_occupation_code.clone().unwrap_or_default(),
        wanted_street: applicant.wanted_street.clone().unwrap_or_default(),
        salary_expectation: applicant
            .salary_expectation
            .map(|s| s.to_string())
            .unwrap_or_default(),
    });
    let messages = state.store.my_messages(&actor).await?;
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = OwnPage {
        portal: PortalNav::of(&MaybeViewer(Some(viewer.clone()))),
        csrf: viewer.csrf.clone(),
        phone: applicant.phone_masked.clone(),
        educations: Education::ALL
            .iter()
            .map(|e| Choice {
                value: e.code().into(),
                label: e.label().into(),
                selected: e.code() == profile.education,
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
                selected: u.code == profile.wanted_street,
            })
            .collect(),
        levels: linkong_core::jobs::JobLevel::ALL
            .iter()
            .map(|l| Choice {
                value: l.code().into(),
                label: l.label().into(),
                selected: l.code() == profile.wanted_level,
            })
            .collect(),
        occupations: linkong_core::occupations::Classification::shipped()
            .entries()
            .collect(),
        profile,
        applications: state.store.my_applications(&actor).await?,
        errors,
        saved,
        recommended: state
            .store
            .recommend_for_me(&state.plan, &actor, &state.matching, RECOMMENDED)
            .await?,
        pushed: state.store.pushed_to_me(&actor).await?,
        unread: messages.iter().filter(|m| m.read_at.is_none()).count(),
        messages,
        findable: state.store.findable(&actor).await?,
    };
    Ok((status, page).into_response())
}

async fn own_page(State(state): State<AppState>, viewer: Viewer) -> Result<Response, AppError> {
    render_own(&state, viewer, None, Vec::new(), false).await
}

#[derive(Deserialize)]
struct ProfileForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    education: String,
    #[serde(default)]
    major: String,
    #[serde(default)]
    skills: String,
    #[serde(default)]
    wanted_job: String,
    #[serde(default)]
    wanted_level: String,
    #[serde(default)]
    wanted_occupation_code: String,
    #[serde(default)]
    wanted_street: String,
    #[serde(default)]
    salary_expectation: String,
}

async fn save_profile(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(form): Form<ProfileForm>,
) -> Result<Response, AppError> {
    viewer.check_csrf(&state, &form.csrf).await?;
    let profile = Profile {
        name: form.name,
        education: form.education,
        major: form.major,
        skills: form.skills,
        wanted_job: form.wanted_job,
        wanted_level: form.wanted_level,
        wanted_occupation_code: form.wanted_occupation_code,
        wanted_street: form.wanted_street,
        salary_expectation: form.salary_expectation,
    };
    match state
        .store
        .save_profile(&viewer.actor(), &state.plan, &profile, &viewer.ip)
        .await
    {
        Ok(_) => render_own(&state, viewer, None, Vec::new(), true).await,
        Err(linkong_store::Error::Fields(errors)) => {
            render_own(&state, viewer, Some(profile), errors, false).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
struct FindableForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    findable: String,
}

/// Gives or withdraws the consent to be found by employers.
async fn save_findable(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(form): Form<FindableForm>,
) -> Result<Response, AppError> {
    viewer.check_csrf(&state, &form.csrf).await?;
    let findable = match form.findable.as_str() {
        "yes" => true,
        "no" => false,
        other => {
            return Err(AppError::bad_request(format!(
                "允许单位查看：无法识别“{other}”"
            )));
        }
    };
    state
        .store
        .set_findable(&viewer.actor(), findable, &viewer.ip)
        .await?;
    Ok(Redirect::to("/me#consent-h").into_response())
}

/// Opens a message: marks it read and goes where it points.
async fn open_message(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let link = state.store.read_message(&viewer.actor(), id).await?;
    Ok(Redirect::to(&safe_next(&link)).into_response())
}
