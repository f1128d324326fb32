//! Two-factor sign-in's pages: the code after the password (`/login/code`) and binding an
//! authenticator app (`/account/two-factor`). Core decides who needs it and reads the codes;
//! the store checks them, once, and audits.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Router};
use axum_extra::extract::cookie::{Cookie, CookieJar};
use linkong_core::two_factor::Refusal;
use qrcode::QrCode;
use qrcode::render::svg;
use serde::Deserialize;

use crate::auth::{SESSION_COOKIE, Viewer, landing};
use crate::{AppError, AppState};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/login/code", get(code_page).post(check_code))
        .route("/account/two-factor", get(account_page).post(confirm))
}

#[derive(Deserialize)]
struct CodeForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    code: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "login_code.html")]
struct CodePage {
    csrf: String,
    display_name: String,
    error: Option<String>,
}

/// Where a viewer goes once both factors are given.
fn onward(viewer: &Viewer) -> String {
    if viewer.user.must_change_password {
        "/account/password".into()
    } else {
        landing(&viewer.user)
    }
}

async fn code_page(State(state): State<AppState>, viewer: Viewer) -> Result<Response, AppError> {
    if !viewer.factor_pending {
        return Ok(Redirect::to(&onward(&viewer)).into_response());
    }
    if !state.store.factor_status(viewer.user.id).await?.enrolled {
        return Ok(Redirect::to("/account/two-factor").into_response());
    }
    Ok(code_view(&viewer, None).into_response())
}

fn code_view(viewer: &Viewer, error: Option<String>) -> CodePage {
    CodePage {
        csrf: viewer.csrf.clone(),
        display_name: viewer.user.display_name.clone(),
        error,
    }
}

async fn check_code(
    State(state): State<AppState>,
    viewer: Viewer,
    jar: CookieJar,
    Form(form): Form<CodeForm>,
) -> Result<Response, AppError> {
    viewer.check_csrf(&state, &form.csrf).await?;
    if !viewer.factor_pending {
        return Ok(Redirect::to(&onward(&viewer)).into_response());
    }
    let token = jar
        .get(SESSION_COOKIE)
        .map(|c| c.value().to_owned())
        .unwrap_or_default();
    match state
        .store
        .check_factor(&viewer.user, &token, &form.code, &viewer.ip)
        .await?
    {
        Ok(()) => Ok(Redirect::to(&onward(&viewer)).into_response()),
        Err(Refusal::TooMany) => {
            let jar = jar.remove(Cookie::build(SESSION_COOKIE).path("/"));
            let error = AppError::TooMany {
                message: Refusal::TooMany.to_string(),
                retry_after: 1,
            };
            Ok((jar, error).into_response())
        }
        Err(refusal) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            code_view(&viewer, Some(refusal.to_string())),
        )
            .into_response()),
    }
}

enum TwoFactorView {
    Enrol {
        qr_svg: String,
        secret: String,
        error: Option<String>,
    },
    Codes {
        codes: Vec<String>,
        next: String,
    },
    Enrolled {
        codes_left: i64,
        next: String,
    },
}

#[derive(Template, WebTemplate)]
#[template(path = "two_factor.html")]
struct TwoFactorPage {
    csrf: String,
    view: TwoFactorView,
}

/// The QR code of an `otpauth://` address, as inline SVG (no script, no image request).
fn qr_svg(address: &str) -> Result<String, AppError> {
    let code = QrCode::new(address.as_bytes()).map_err(AppError::internal)?;
    Ok(code
        .render::<svg::Color>()
        .min_dimensions(200, 200)
        .quiet_zone(true)
        .build())
}

async fn enrol_view(
    state: &AppState,
    viewer: &Viewer,
    error: Option<String>,
) -> Result<TwoFactorPage, AppError> {
    let enrolment = state.store.begin_enrolment(&viewer.user).await?;
    Ok(TwoFactorPage {
        csrf: viewer.csrf.clone(),
        view: TwoFactorView::Enrol {
            qr_svg: qr_svg(&enrolment.address)?,
            secret: enrolment.secret,
            error,
        },
    })
}

async fn account_page(
    State(state): State<AppState>,
    viewer: Viewer,
) -> Result<TwoFactorPage, AppError> {
    let status = state.store.factor_status(viewer.user.id).await?;
    if !status.enrolled {
        return enrol_view(&state, &viewer, None).await;
    }
    Ok(TwoFactorPage {
        csrf: viewer.csrf.clone(),
        view: TwoFactorView::Enrolled {
            codes_left: status.recovery_codes_left,
            next: onward(&viewer),
        },
    })
}

async fn confirm(
    State(state): State<AppState>,
    viewer: Viewer,
    jar: CookieJar,
    Form(form): Form<CodeForm>,
) -> Result<Response, AppError> {
    viewer.check_csrf(&state, &form.csrf).await?;
    let token = jar.get(SESSION_COOKIE).map(|c| c.value().to_owned());
    match state
        .store
        .confirm_enrolment(&viewer.user, token.as_deref(), &form.code, &viewer.ip)
        .await?
    {
        Ok(codes) => Ok(TwoFactorPage {
            csrf: viewer.csrf.clone(),
            view: TwoFactorView::Codes {
                codes,
                next: onward(&viewer),
            },
        }
        .into_response()),
        Err(refusal) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            enrol_view(&state, &viewer, Some(refusal.to_string())).await?,
        )
            .into_response()),
    }
}
