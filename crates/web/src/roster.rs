//! What the two roster pages (out-migrants, unplaced graduates) share: whom the viewer
//! reaches and which streets that covers, the street filter, and a roster file's upload (the
//! import itself runs in the background, see `imports`).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::Multipart;
use axum::response::{IntoResponse, Redirect, Response};
use linkong_core::access::{Gate, PeopleScope, Roster};
use linkong_core::plan::UnitKind;
use linkong_import::run::RosterFile;
use linkong_store::people::Importer;

use crate::auth::{Nav, Viewer};
use crate::imports::{Started, imports_dir};
use crate::view::unit_name;
use crate::{AppError, AppState};

/// The largest roster file taken over the web (the command line takes any size).
pub const MAX_UPLOAD_BYTES: usize = 64 * 1024 * 1024;

/// A `street` query parameter: none, or a street of the plan by its code.
pub fn street_param(state: &AppState, text: &str) -> Result<Option<String>, String> {
    match text.trim() {
        "" => Ok(None),
        code => state
            .plan
            .unit(code)
            .filter(|u| u.kind == UnitKind::Street)
            .map(|u| Some(u.code.clone()))
            .ok_or_else(|| format!("街道：“{code}”不存在")),
    }
}

/// What the viewer reaches of `roster`, and the streets in it as (code, name); a viewer who
/// reaches nobody is refused, and the attempt audited.
pub async fn roster_reach(
    state: &AppState,
    viewer: &Viewer,
    roster: Roster,
) -> Result<(PeopleScope, Vec<(String, String)>), AppError> {
    let scope = state
        .store
        .roster_scope(&viewer.actor(), &state.plan, roster, &viewer.ip)
        .await?;
    let streets = state
        .plan
        .units
        .iter()
        .filter(|u| u.kind == UnitKind::Street && scope.reaches(&u.code))
        .map(|u| (u.code.clone(), u.name.clone()))
        .collect();
    Ok((scope, streets))
}

/// A row of the list as the page shows it.
#[derive(Template, WebTemplate)]
#[template(path = "import_form.html")]
pub struct ImportForm {
    nav: Nav,
    title: &'static str,
    base: &'static str,
    error: Option<String>,
    unit: String,
}

/// A roster's import pages: where they live and what they read.
#[derive(Clone, Copy)]
pub struct RosterPages {
    pub file: RosterFile,
    pub base: &'static str,
    pub title: &'static str,
}

/// The unit the viewer imports as: their own, once the store has let them through the
/// roster's import gate.
async fn import_unit(
    state: &AppState,
    viewer: &Viewer,
    pages: RosterPages,
) -> Result<String, AppError> {
    let gate = Gate::RosterImport {
        plan: &state.plan,
        roster: pages.file.roster,
    };
    state.store.enter(&viewer.actor(), gate, &viewer.ip).await?;
    Ok(viewer.user.unit_code.clone().unwrap_or_default())
}

pub async fn import_form_of(
    state: &AppState,
    viewer: &Viewer,
    pages: RosterPages,
    error: Option<String>,
) -> Result<ImportForm, AppError> {
    let unit = import_unit(state, viewer, pages).await?;
    Ok(ImportForm {
        nav: Nav::of(viewer, state),
        title: pages.title,
        base: pages.base,
        error,
        unit: unit_name(state, &unit),
    })
}

/// Reads the upload form: its CSRF token, and the file (its name as sent, where it was saved
/// under the imports directory as `{token}.upload`).
pub(crate) async fn receive(
    state: &AppState,
    multipart: &mut Multipart,
    token: &str,
) -> Result<(String, Option<(String, std::path::PathBuf)>), AppError> {
    use tokio::io::AsyncWriteExt;
    let unreadable = |_| AppError::bad_request("表单数据不完整或文件过大（不超过 64 MB）");
    let mut csrf = String::new();
    let mut upload = None;
    let dir = imports_dir(state);
    tokio::fs::create_dir_all(&dir)
        .await
        .map_err(AppError::internal)?;
    while let Some(mut field) = multipart.next_field().await.map_err(unreadable)? {
        match field.name().unwrap_or("") {
            "csrf" => csrf = field.text().await.map_err(unreadable)?,
            "file" => {
                let name = field.file_name().unwrap_or("").to_owned();
                let path = dir.join(format!("{token}.upload"));
                let mut file = tokio::fs::File::create(&path)
                    .await
                    .map_err(AppError::internal)?;
                while let Some(chunk) = field.chunk().await.map_err(unreadable)? {
                    file.write_all(&chunk).await.map_err(AppError::internal)?;
                }
                file.flush().await.map_err(AppError::internal)?;
                upload = Some((name, path));
            }
            _ => {}
        }
    }
    Ok((csrf, upload))
}

/// Saves an uploaded roster file and starts its import; the browser goes to its progress page.
pub async fn upload(
    state: AppState,
    viewer: Viewer,
    mut multipart: Multipart,
    pages: RosterPages,
) -> Result<Response, AppError> {
    let token = linkong_store::random_token()[..24].to_owned();
    let (csrf, upload) = receive(&state, &mut multipart, &token).await?;
    viewer.check_csrf(&state, &csrf).await?;
    let unit = import_unit(&state, &viewer, pages).await?;
    let Some((file_name, path)) = upload.filter(|(name, _)| !name.is_empty()) else {
        return Ok(import_form_of(
            &state,
            &viewer,
            pages,
            Some("文件：请选择要导入的 .xlsx 或 .csv 文件".into()),
        )
        .await?
        .into_response());
    };
    let importer = Importer {
        user_id: Some(viewer.user.id),
        name: viewer.user.username.clone(),
        unit_code: unit,
        ip: viewer.ip.clone(),
        run: Some(token.clone()),
    };
    let (store, plan, today) = (state.store.clone(), state.plan.clone(), state.today());
    let upload = path.clone();
    let started = Started {
        token: token.clone(),
        owner_id: viewer.user.id,
        kind: pages.file.roster.into(),
        file_name: file_name.clone(),
    };
    crate::imports::spawn(
        &state,
        started,
        path,
        move |progress, errors_to| async move {
            linkong_import::run::import_file(
                pages.file,
                &store,
                plan,
                &importer,
                &upload,
                &file_name,
                today,
                Some(&errors_to),
                progress,
            )
            .await
        },
    )
    .await;
    Ok(Redirect::to(&format!("/imports/{token}")).into_response())
}
