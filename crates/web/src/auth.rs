//! Logging in and out, the current user, CSRF tokens and the forced first password change.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{ConnectInfo, FromRequestParts, State};
use axum::http::header;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use linkong_core::access::{Area, Gate, Role, TokenScopes};

use crate::token_scopes::TokenCaller;
use linkong_core::password::NewPassword;
use linkong_store::audit::AuditEvent;
use linkong_store::users::User;
use serde::Deserialize;

use crate::{AppError, AppState};

pub const SESSION_COOKIE: &str = "lk_session";
/// Double-submit token for the login form, before there is a session to hold one.
pub const LOGIN_CSRF_COOKIE: &str = "lk_login_csrf";

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/login", get(login_page).post(login))
        .route("/logout", post(logout))
        .route(
            "/account/password",
            get(password_page).post(change_password),
        )
        .route("/healthz", get(healthz))
}

/// The client's address ("" when unknown, e.g. in-process tests): the connection's peer, or
/// the address a proxy on this machine names (core's `limits::client_ip`).
pub struct ClientIp(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<ClientIp, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<std::net::SocketAddr>>()
            .map(|ConnectInfo(addr)| addr.ip());
        let ip = crate::limits::client_address(peer, &parts.headers)
            .map(|ip| ip.to_string())
            .unwrap_or_default();
        Ok(ClientIp(ip))
    }
}

/// The logged-in user of a page request. Without a session the page redirects to /login; a
/// user who must change their password is sent to do that first.
#[derive(Debug, Clone)]
pub struct Viewer {
    pub user: User,
    pub csrf: String,
    pub ip: String,
    /// The scopes of the bearer token the request came with; `None` for a session.
    pub token: Option<TokenScopes>,
    /// A session whose account needs a second factor that it has not given yet: it reaches
    /// only [`FACTOR_PATHS`].
    pub factor_pending: bool,
}

/// What a session waiting for its second factor may reach.
const FACTOR_PATHS: [&str; 3] = ["/login/code", "/account/two-factor", "/logout"];

impl Viewer {
    /// Checks a submitted form's CSRF token; a missing or wrong one is refused and audited.
    pub async fn check_csrf(&self, state: &AppState, submitted: &str) -> Result<(), AppError> {
        // A bearer token is sent by its client, never by a browser on its own, so it cannot be
        // forged across sites; a token's write scope was checked when it came in.
        if self.token.is_some() {
            return Ok(());
        }
        if !submitted.is_empty() && constant_time_eq(submitted.as_bytes(), self.csrf.as_bytes()) {
            return Ok(());
        }
        state
            .store
            .audit(
                AuditEvent::new("csrf.rejected", format!("user:{}", self.user.username))
                    .by(Some(self.user.id), &self.user.username)
                    .from_ip(&self.ip),
            )
            .await?;
        Err(AppError::forbidden(
            "表单已失效或来源不明（缺少安全令牌），请刷新页面后重试",
        ))
    }

    pub fn actor(&self) -> linkong_core::access::Actor {
        self.user.actor()
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

async fn viewer_from(parts: &mut Parts, state: &AppState) -> Result<Option<Viewer>, AppError> {
    let ClientIp(ip) = ClientIp::from_request_parts(parts, state)
        .await
        .unwrap_or(ClientIp(String::new()));
    let jar = CookieJar::from_headers(&parts.headers);
    if let Some(cookie) = jar.get(SESSION_COOKIE)
        && let Some(session) = state.store.session(cookie.value()).await?
    {
        return Ok(Some(Viewer {
            user: session.user,
            csrf: session.csrf_token,
            ip,
            token: None,
            factor_pending: session.factor_pending,
        }));
    }
    let bearer = parts
        .headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    if bearer.is_some() {
        // `token_scopes` found the token and let the request through its scopes.
        if let Some(caller) = parts.extensions.get::<TokenCaller>() {
            return Ok(Some(Viewer {
                user: caller.user.clone(),
                csrf: String::new(),
                ip,
                token: Some(caller.scopes),
                factor_pending: false,
            }));
        }
        let event = AuditEvent::new("token.rejected", parts.uri.path().to_owned()).from_ip(&ip);
        state.store.audit(event).await?;
    }
    Ok(None)
}

/// The part of the site a path belongs to.
fn area_of(path: &str) -> Area {
    if path == "/"
        || path == "/account/password"
        || path == "/logout"
        || FACTOR_PATHS.contains(&path)
    {
        Area::Shared
    } else if path.starts_with("/employer") {
        Area::Employer
    } else if path.starts_with("/me") {
        Area::Applicant
    } else {
        Area::Staff
    }
}

impl FromRequestParts<AppState> for Viewer {
    type Rejection = Response;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Viewer, Response> {
        let viewer = viewer_from(parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        let Some(viewer) = viewer else {
            return Err(Redirect::to("/login").into_response());
        };
        if viewer.factor_pending && !FACTOR_PATHS.contains(&parts.uri.path()) {
            return Err(Redirect::to("/login/code").into_response());
        }
        if viewer.user.must_change_password
            && !viewer.factor_pending
            && !["/account/password", "/logout"].contains(&parts.uri.path())
        {
            return Err(Redirect::to("/account/password").into_response());
        }
        // Employers and applicants have pages of their own; the staff console (monitoring,
        // reports) is not theirs.
        let path = parts.uri.path();
        let gate = Gate::Area {
            area: area_of(path),
            path,
        };
        state
            .store
            .enter(&viewer.actor(), gate, &viewer.ip)
            .await
            .map_err(|denied| AppError::from(denied).into_response())?;
        Ok(viewer)
    }
}

/// Whoever is logged in, if anyone, for public pages that change a little for them (the
/// job detail's 申请 button). Never redirects.
pub struct MaybeViewer(pub Option<Viewer>);

impl FromRequestParts<AppState> for MaybeViewer {
    type Rejection = Response;
    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<MaybeViewer, Response> {
        let viewer = viewer_from(parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        Ok(MaybeViewer(viewer.filter(|v| {
            !v.user.must_change_password && !v.factor_pending
        })))
    }
}

/// The caller of an API request: a session cookie or a bearer token; 401 JSON otherwise.
pub struct ApiViewer(pub Viewer);

impl FromRequestParts<AppState> for ApiViewer {
    type Rejection = AppError;
    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<ApiViewer, AppError> {
        let Some(viewer) = viewer_from(parts, state)
            .await?
            .filter(|v| !v.factor_pending)
        else {
            return Err(AppError::Unauthorized);
        };
        let gate = Gate::Api {
            path: parts.uri.path(),
        };
        state.store.enter(&viewer.actor(), gate, &viewer.ip).await?;
        if viewer.user.must_change_password {
            return Err(AppError::forbidden("请先修改初始密码"));
        }
        Ok(ApiViewer(viewer))
    }
}

/// The page layout's knowledge of who is looking.
pub struct Nav {
    pub display_name: String,
    pub role_label: &'static str,
    pub unit_code: Option<String>,
    pub unit_name: Option<String>,
    pub is_admin: bool,
    pub is_staff: bool,
    pub csrf: String,
}

impl Nav {
    pub fn of(viewer: &Viewer, state: &AppState) -> Nav {
        let unit_name = viewer
            .user
            .unit_code
            .as_deref()
            .and_then(|c| state.plan.unit(c))
            .map(|u| u.name.clone());
        Nav {
            display_name: viewer.user.display_name.clone(),
            role_label: viewer.user.role.label(),
            unit_code: viewer.user.unit_code.clone(),
            unit_name,
            is_admin: viewer.user.role.manages_users(),
            is_staff: viewer.user.role.is_staff(),
            csrf: viewer.csrf.clone(),
        }
    }
}

pub fn landing(user: &User) -> String {
    match (&user.unit_code, user.role) {
        (_, Role::Employer) => "/employer".into(),
        (_, Role::Applicant) => "/me".into(),
        (Some(unit), _) => format!("/units/{unit}"),
        (None, _) => "/dashboard".into(),
    }
}

async fn healthz(State(state): State<AppState>) -> Result<&'static str, AppError> {
    state.store.ping().await?;
    Ok("ok")
}

#[derive(Template, WebTemplate)]
#[template(path = "login.html")]
struct LoginPage {
    csrf: String,
    error: Option<String>,
    username: String,
    plan_name: String,
}

pub fn session_cookie(state: &AppState, name: &'static str, value: String) -> Cookie<'static> {
    Cookie::build((name, value))
        .http_only(true)
        .same_site(SameSite::Lax)
        .path("/")
        .secure(state.secure_cookies)
        .build()
}

/// A fresh double-submit token for a form shown before there is a session (login, employer
/// registration): the same value goes into a cookie and into the form.
pub fn anonymous_csrf(state: &AppState, jar: CookieJar) -> (CookieJar, String) {
    let csrf = linkong_store::random_token();
    (
        jar.add(session_cookie(state, LOGIN_CSRF_COOKIE, csrf.clone())),
        csrf,
    )
}

/// Checks an anonymous form's token against its cookie; a missing or wrong one is refused and
/// audited under `target`.
pub async fn check_anonymous_csrf(
    state: &AppState,
    jar: &CookieJar,
    submitted: &str,
    target: &str,
    ip: &str,
) -> Result<(), AppError> {
    let expected = jar
        .get(LOGIN_CSRF_COOKIE)
        .map(|c| c.value().to_owned())
        .unwrap_or_default();
    if !submitted.is_empty() && constant_time_eq(submitted.as_bytes(), expected.as_bytes()) {
        return Ok(());
    }
    state
        .store
        .audit(AuditEvent::new("csrf.rejected", target.to_owned()).from_ip(ip))
        .await?;
    Err(AppError::forbidden(
        "表单已失效或来源不明（缺少安全令牌），请刷新页面后重试",
    ))
}

async fn login_page(State(state): State<AppState>, jar: CookieJar) -> impl IntoResponse {
    let (jar, csrf) = anonymous_csrf(&state, jar);
    (
        jar,
        LoginPage {
            csrf,
            error: None,
            username: String::new(),
            plan_name: state.plan.info.name.clone(),
        },
    )
}

#[derive(Deserialize)]
struct LoginForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    csrf: String,
}

async fn login(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    jar: CookieJar,
    Form(form): Form<LoginForm>,
) -> Result<Response, AppError> {
    check_anonymous_csrf(&state, &jar, &form.csrf, "login", &ip).await?;
    let outcome = state
        .store
        .authenticate(&form.username, &form.password, &ip)
        .await?;
    let user = match outcome {
        Ok(user) => user,
        Err(error) => {
            let (jar, csrf) = anonymous_csrf(&state, jar);
            let page = LoginPage {
                csrf,
                error: Some(error.to_string()),
                username: form.username.trim().to_owned(),
                plan_name: state.plan.info.name.clone(),
            };
            return Ok((axum::http::StatusCode::UNAUTHORIZED, jar, page).into_response());
        }
    };
    let session = state.store.create_session(user.id).await?;
    let jar = jar
        .remove(Cookie::build(LOGIN_CSRF_COOKIE).path("/"))
        .add(session_cookie(&state, SESSION_COOKIE, session.token));
    let next = if linkong_core::two_factor::required(user.role) {
        "/login/code".to_owned()
    } else if user.must_change_password {
        "/account/password".to_owned()
    } else {
        landing(&user)
    };
    Ok((jar, Redirect::to(&next)).into_response())
}

/// A form that carries nothing but the session's CSRF token (a button that acts).
#[derive(Deserialize)]
pub struct CsrfForm {
    #[serde(default)]
    pub csrf: String,
}

async fn logout(
    State(state): State<AppState>,
    viewer: Viewer,
    jar: CookieJar,
    Form(form): Form<CsrfForm>,
) -> Result<Response, AppError> {
    viewer.check_csrf(&state, &form.csrf).await?;
    if let Some(cookie) = jar.get(SESSION_COOKIE) {
        state.store.end_session(cookie.value()).await?;
    }
    state
        .store
        .audit(
            AuditEvent::new("logout", format!("user:{}", viewer.user.username))
                .by(Some(viewer.user.id), &viewer.user.username)
                .from_ip(&viewer.ip),
        )
        .await?;
    let jar = jar.remove(Cookie::build(SESSION_COOKIE).path("/"));
    Ok((jar, Redirect::to("/login")).into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "password.html")]
struct PasswordPage {
    nav: Nav,
    forced: bool,
    error: Option<String>,
    done: bool,
}

async fn password_page(State(state): State<AppState>, viewer: Viewer) -> PasswordPage {
    PasswordPage {
        forced: viewer.user.must_change_password,
        nav: Nav::of(&viewer, &state),
        error: None,
        done: false,
    }
}

#[derive(Deserialize)]
struct PasswordForm {
    #[serde(default)]
    current: String,
    #[serde(default)]
    new: String,
    #[serde(default)]
    confirm: String,
    #[serde(default)]
    csrf: String,
}

async fn change_password(
    State(state): State<AppState>,
    viewer: Viewer,
    jar: CookieJar,
    Form(form): Form<PasswordForm>,
) -> Result<Response, AppError> {
    viewer.check_csrf(&state, &form.csrf).await?;
    let page = |error: Option<String>, done: bool| PasswordPage {
        forced: viewer.user.must_change_password && !done,
        nav: Nav::of(&viewer, &state),
        error,
        done,
    };
    if form.new != form.confirm {
        return Ok((
            axum::http::StatusCode::UNPROCESSABLE_ENTITY,
            page(Some("确认密码：两次输入的新密码不一致".into()), false),
        )
            .into_response());
    }
    let new = match NewPassword::parse(&form.new, &viewer.user.username) {
        Ok(new) => new,
        Err(e) => {
            return Ok((
                axum::http::StatusCode::UNPROCESSABLE_ENTITY,
                page(Some(format!("新密码：{e}")), false),
            )
                .into_response());
        }
    };
    match state
        .store
        .change_password(&viewer.user, &form.current, &new, &viewer.ip)
        .await
    {
        Ok(()) => {
            // Every session of the user ended with the old password; this browser gets a new one.
            // The old session had passed both factors (the page is closed to one that has not).
            let session = state.store.renew_session(viewer.user.id).await?;
            let jar = jar.add(session_cookie(&state, SESSION_COOKIE, session.token));
            if viewer.user.must_change_password {
                return Ok((jar, Redirect::to(&landing(&viewer.user))).into_response());
            }
            let mut done = page(None, true);
            done.nav.csrf = session.csrf_token;
            Ok((jar, done).into_response())
        }
        Err(e @ linkong_store::Error::Invalid { .. }) => Ok((
            axum::http::StatusCode::UNPROCESSABLE_ENTITY,
            page(Some(e.to_string()), false),
        )
            .into_response()),
        Err(e) => Err(e.into()),
    }
}
