//! Imports running in the background: the upload is saved, the import runs on its own task,
//! and its page (`/imports/{token}`) shows progress, refreshing itself, until the import is
//! written or refused — with an error workbook to fix and import again.
//!
//! The run is kept in the database (`store::import_runs`): any server behind it shows the
//! page, and after a restart a run its server lost shows 中断 (`core::imports`).

use std::path::PathBuf;
use std::sync::Arc;

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Path, State};
use axum::routing::get;
use linkong_core::imports::{HEARTBEAT_EVERY, INTERRUPTED, ImportKind, KEEP_PROBLEMS, Standing};
use linkong_import::run::{Failure, Imported};
use linkong_store::Store;
use linkong_store::import_runs::{FooterRow, ImportRun, NewImportRun, RunEnd, RunProgress};

use crate::auth::{Nav, Viewer};
use crate::metrics::ImportEnd;
use crate::{AppError, AppState};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/imports/{token}", get(status_page))
        .route("/imports/{token}/errors.xlsx", get(errors_workbook))
}

/// Problems listed on the page; the error workbook has them all.
const SHOWN_PROBLEMS: usize = 200;

/// Where the page of an import leads back to: the list it fills.
fn back_of(kind: ImportKind) -> &'static str {
    match kind {
        ImportKind::Migrants => "/people/migrants",
        ImportKind::Graduates => "/people/graduates",
        ImportKind::Insurance => "/staff/insurance",
    }
}

/// The directory uploads and error workbooks of imports are kept in.
pub fn imports_dir(state: &AppState) -> PathBuf {
    state.store.files_dir().join("imports")
}

/// This server's name in the runs it keeps: host and port, the same after a restart.
pub fn server_name(addr: std::net::SocketAddr) -> String {
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .or_else(|| std::env::var("HOSTNAME").ok())
        .map(|h| h.trim().to_owned())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "localhost".into());
    format!("{host}:{}", addr.port())
}

/// Clears the problems of runs that ended more than [`KEEP_PROBLEMS`] ago, and removes their
/// error workbooks.
async fn forget_old_problems(store: &Store) {
    match store.forget_old_import_problems().await {
        Ok(files) => {
            for file in files {
                let _ = tokio::fs::remove_file(store.files_dir().join(file)).await;
            }
        }
        Err(e) => tracing::warn!(error = %e, "old import problems not cleared yet"),
    }
}

/// Marks interrupted the runs a previous process on this server's address left running (it
/// is gone: this one holds the address) and removes their uploads.
pub async fn interrupt_left_over(state: &AppState) {
    match state.store.interrupt_import_runs(&state.server).await {
        Ok(tokens) => {
            if !tokens.is_empty() {
                tracing::warn!(
                    runs = tokens.len(),
                    "imports interrupted by the last stop marked 中断"
                );
            }
            let dir = imports_dir(state);
            for token in tokens {
                let _ = tokio::fs::remove_file(dir.join(format!("{token}.upload"))).await;
            }
        }
        Err(e) => tracing::error!(error = %e, "cannot mark interrupted imports"),
    }
    forget_old_problems(&state.store).await;
}

#[derive(Template, WebTemplate)]
#[template(path = "import_status.html")]
struct StatusPage {
    nav: Nav,
    run: ImportRun,
    roster: &'static str,
    back: &'static str,
    counted: &'static str,
    phase: &'static str,
    rows: u64,
    percent: u32,
    interrupted: &'static str,
}

impl StatusPage {
    fn refreshes(&self) -> bool {
        self.run.standing.is_open()
    }
}

/// The run of `token` if the viewer started it (the store asks core); else 404.
async fn run_of(state: &AppState, viewer: &Viewer, token: &str) -> Result<ImportRun, AppError> {
    state
        .store
        .import_run(viewer.user.id, token)
        .await?
        .ok_or_else(|| AppError::not_found("该导入不存在或已过期"))
}

async fn status_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(token): Path<String>,
) -> Result<StatusPage, AppError> {
    let run = run_of(&state, &viewer, &token).await?;
    let (rows, percent) = match (run.standing, run.progress) {
        (Standing::Running, Some(p)) => (p.rows, (p.fraction.clamp(0.0, 1.0) * 100.0) as u32),
        _ => (0, 0),
    };
    let phase = match run.standing {
        Standing::Running => "校验并写入",
        _ => "排队",
    };
    Ok(StatusPage {
        nav: Nav::of(&viewer, &state),
        roster: run.kind.label(),
        back: back_of(run.kind),
        counted: run.kind.counted(),
        run,
        phase,
        rows,
        percent,
        interrupted: INTERRUPTED,
    })
}

async fn errors_workbook(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(token): Path<String>,
) -> Result<axum::response::Response, AppError> {
    let run = run_of(&state, &viewer, &token).await?;
    let Some(RunEnd::Refused {
        errors_file: Some(path),
        ..
    }) = &run.end
    else {
        return Err(AppError::not_found("该导入没有错误清单"));
    };
    let bytes = tokio::fs::read(state.store.files_dir().join(path))
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "error workbook unreadable");
            AppError::not_found("错误清单已过期，请重新导入该文件")
        })?;
    Ok(crate::download::respond("import-errors.xlsx", bytes))
}

/// Removes error workbooks (and uploads a crash left behind) older than core's
/// [`KEEP_PROBLEMS`]: they hold personal data and must not pile up.
fn remove_stale(dir: &std::path::Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|at| at.elapsed().ok())
            .is_some_and(|age| KEEP_PROBLEMS.to_std().is_ok_and(|keep| age > keep));
        if old {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// How an import's result is kept: the counts, or why nothing was written (the error
/// workbook by its path under the files directory).
fn end_of(store: &Store, result: Result<Imported, Failure>, errors_file: PathBuf) -> RunEnd {
    let refused = |message: String| RunEnd::Refused {
        message,
        problem_count: 0,
        problems: Vec::new(),
        errors_file: None,
    };
    match result {
        Ok(imported) => RunEnd::Done {
            outcome: imported.outcome,
            skipped: imported
                .skipped
                .iter()
                .map(|s| FooterRow {
                    row: s.row as u64,
                    word: s.word.to_owned(),
                })
                .collect(),
        },
        Err(Failure::Rows {
            count, problems, ..
        }) => RunEnd::Refused {
            message: format!("发现 {count} 处错误，整表未导入。"),
            problem_count: count as u64,
            problems: problems
                .iter()
                .take(SHOWN_PROBLEMS)
                .map(|p| p.to_string())
                .collect(),
            errors_file: errors_file
                .exists()
                .then(|| errors_file.strip_prefix(store.files_dir()).ok())
                .flatten()
                .map(|p| p.to_string_lossy().into_owned()),
        },
        Err(Failure::File(message)) => refused(message),
        Err(Failure::Store(e)) => {
            tracing::error!(error = %e, "import failed");
            refused(match e {
                linkong_store::Error::Database(_) | linkong_store::Error::Sqlite(_) => {
                    "数据库写入失败，整表未导入，请稍后重试".into()
                }
                other => other.to_string(),
            })
        }
    }
}

/// Writes a run out, trying again while the database is busy (a SQLite import of another
/// file holds the write lock until it ends); gives up after `tries`.
async fn write_out(store: &Store, token: &str, tries: u32) {
    for attempt in 1..=tries {
        match store.write_import_run(token).await {
            Ok(()) => return,
            Err(e) if attempt == tries => {
                tracing::error!(error = %e, "import run not written");
            }
            Err(_) => tokio::time::sleep(HEARTBEAT_EVERY).await,
        }
    }
}

/// Beats the run's heartbeat, with its progress, while it runs; stops when dropped.
struct Heartbeat(tokio::task::JoinHandle<()>);

impl Heartbeat {
    fn start(store: Store, token: String) -> Heartbeat {
        Heartbeat(tokio::spawn(async move {
            loop {
                tokio::time::sleep(HEARTBEAT_EVERY).await;
                if let Err(e) = store.write_import_run(&token).await {
                    tracing::debug!(error = %e, "heartbeat waits for the database");
                }
            }
        }))
    }
}

impl Drop for Heartbeat {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// What an import started on a page is.
pub struct Started {
    pub token: String,
    pub owner_id: i64,
    pub kind: ImportKind,
    pub file_name: String,
}

/// How long an upload's answer waits for its run to be written: a SQLite import of another
/// file holds the write lock, and then the run is written from its task once it can be.
const FIRST_WRITE_WAIT: std::time::Duration = std::time::Duration::from_secs(2);

/// Runs an import on its own task and keeps how it goes; the upload is removed afterwards.
/// The run is written to the database before this returns (so a server killed after
/// answering the upload still shows the run after a restart) and before the import begins
/// (so before a SQLite import takes the write lock); a panic in the import is kept as a
/// refusal.
pub async fn spawn<F, Fut>(state: &AppState, started: Started, upload: PathBuf, run: F)
where
    F: FnOnce(linkong_import::run::ProgressFn, PathBuf) -> Fut + Send + 'static,
    Fut: std::future::Future<Output = Result<Imported, Failure>> + Send + 'static,
{
    let store = state.store.clone();
    let metrics = state.metrics.clone();
    metrics.import_started();
    store.begin_import_run(NewImportRun {
        token: &started.token,
        owner_id: started.owner_id,
        kind: started.kind,
        file_name: &started.file_name,
        server: &state.server,
    });
    let errors_file = upload.with_extension("errors.xlsx");
    if let Some(dir) = upload.parent() {
        remove_stale(dir);
    }
    let token = started.token;
    let written = tokio::time::timeout(FIRST_WRITE_WAIT, store.write_import_run(&token)).await;
    let written = matches!(written, Ok(Ok(())));
    tokio::spawn(async move {
        if !written {
            write_out(&store, &token, 30).await;
        }
        let heartbeat = Heartbeat::start(store.clone(), token.clone());
        let progress: linkong_import::run::ProgressFn = {
            let (store, token) = (store.clone(), token.clone());
            Arc::new(move |p| {
                store.note_import_progress(
                    &token,
                    RunProgress {
                        rows: p.rows,
                        fraction: p.fraction,
                    },
                )
            })
        };
        let result = tokio::spawn(run(progress, errors_file.clone()))
            .await
            .unwrap_or_else(|e| Err(Failure::File(format!("导入出错，整表未导入：{e}"))));
        let _ = tokio::fs::remove_file(&upload).await;
        drop(heartbeat);
        metrics.import_finished(match &result {
            Ok(_) => ImportEnd::Written,
            Err(Failure::Store(_)) => ImportEnd::Failed,
            Err(_) => ImportEnd::Refused,
        });
        store.end_import_run(&token, end_of(&store, result, errors_file));
        write_out(&store, &token, 60).await;
        forget_old_problems(&store).await;
    });
}
