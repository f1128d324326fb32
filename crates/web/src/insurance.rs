//! The upload of the social-insurance enrolment list (参保名单) from the 社保 system, by
//! 区人社局's staff and admins (`/staff/insurance`): the file is saved and imported in the
//! background like a roster (progress page, error workbook, whole file or nothing).

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use linkong_core::access::Gate;

use crate::auth::{Nav, Viewer};
use crate::imports::Started;
use crate::roster::{MAX_UPLOAD_BYTES, receive};
use crate::{AppError, AppState};

const BASE: &str = "/staff/insurance";

pub fn router() -> Router<AppState> {
    Router::new()
        .route(BASE, get(form))
        .route("/staff/insurance/template.xlsx", get(template))
        .route(
            "/staff/insurance/import",
            get(form)
                .post(upload)
                .layer(DefaultBodyLimit::max(MAX_UPLOAD_BYTES + 64 * 1024)),
        )
}

#[derive(Template, WebTemplate)]
#[template(path = "insurance_import.html")]
struct InsuranceForm {
    nav: Nav,
    error: Option<String>,
}

/// The form, once the store let the viewer through the import's gate (audited refusal).
async fn form_of(
    state: &AppState,
    viewer: &Viewer,
    error: Option<String>,
) -> Result<InsuranceForm, AppError> {
    state
        .store
        .enter(&viewer.actor(), Gate::InsuranceImport, &viewer.ip)
        .await?;
    Ok(InsuranceForm {
        nav: Nav::of(viewer, state),
        error,
    })
}

async fn form(State(state): State<AppState>, viewer: Viewer) -> Result<InsuranceForm, AppError> {
    form_of(&state, &viewer, None).await
}

async fn template() -> Result<Response, AppError> {
    crate::download::download(
        "insurance-template.xlsx",
        linkong_import::insurance::template(),
    )
}

/// Saves the uploaded list and starts its import; the browser goes to its progress page.
async fn upload(
    State(state): State<AppState>,
    viewer: Viewer,
    mut multipart: Multipart,
) -> Result<Response, AppError> {
    let token = linkong_store::random_token()[..24].to_owned();
    let (csrf, upload) = receive(&state, &mut multipart, &token).await?;
    viewer.check_csrf(&state, &csrf).await?;
    let Some((file_name, path)) = upload.filter(|(name, _)| !name.is_empty()) else {
        let error = "文件：请选择要导入的 .xlsx 或 .csv 文件".to_owned();
        return Ok(form_of(&state, &viewer, Some(error)).await?.into_response());
    };
    state
        .store
        .enter(&viewer.actor(), Gate::InsuranceImport, &viewer.ip)
        .await?;
    let (store, today, actor, ip) = (
        state.store.clone(),
        state.today(),
        viewer.actor(),
        viewer.ip.clone(),
    );
    let (upload, run) = (path.clone(), token.clone());
    let started = Started {
        token: token.clone(),
        owner_id: viewer.user.id,
        kind: linkong_core::imports::ImportKind::Insurance,
        file_name: file_name.clone(),
    };
    crate::imports::spawn(&state, started, path, move |_, errors_to| async move {
        linkong_import::insurance::import_insurance(
            &store,
            &actor,
            &upload,
            &file_name,
            today,
            Some(&errors_to),
            &ip,
            Some(&run),
        )
        .await
    })
    .await;
    Ok(Redirect::to(&format!("/imports/{token}")).into_response())
}
