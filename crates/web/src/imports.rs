//! Imports running in the background: the upload is saved, the import runs on its own task,
//! and its page (`/imports/{token}`) shows progress, refreshing itself, until the import is
//! written or refused — with an error workbook to fix and import again.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Path, State};
use axum::routing::get;
use linkong_import::run::{Failure, Imported, Progress};

use crate::auth::{Nav, Viewer};
use crate::{AppError, AppState};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/imports/{token}", get(status_page))
        .route("/imports/{token}/errors.xlsx", get(errors_workbook))
}

/// Where an import stands.
#[derive(Debug, Clone)]
pub enum JobState {
    Running(Option<Progress>),
    /// Written: the counts, and the footer rows (合计, 填表人 …) left out.
    Done(Imported),
    Refused {
        message: String,
        /// The first problems, as sentences naming row and column.
        problems: Vec<String>,
        count: usize,
        errors_file: Option<PathBuf>,
    },
}

#[derive(Debug, Clone)]
pub struct Job {
    pub owner: i64,
    pub roster: &'static str,
    pub back: &'static str,
    /// What a row counts: 人 for a roster (a person a row), 条 for the enrolment list.
    pub counted: &'static str,
    pub file_name: String,
    pub state: JobState,
}

/// The imports of this server process, by token. Only the user who started one sees it.
#[derive(Default)]
pub struct Jobs {
    jobs: Mutex<HashMap<String, Job>>,
}

/// How many imports are remembered before the finished ones are forgotten.
const KEEP_JOBS: usize = 500;

/// Problems listed on the page; the error workbook has them all.
const SHOWN_PROBLEMS: usize = 200;

impl Jobs {
    pub fn start(&self, token: &str, job: Job) {
        if let Ok(mut jobs) = self.jobs.lock() {
            // Finished imports are forgotten once many have gathered (their pages expire).
            if jobs.len() >= KEEP_JOBS {
                jobs.retain(|_, j| matches!(j.state, JobState::Running(_)));
            }
            jobs.insert(token.to_owned(), job);
        }
    }

    pub fn progress(&self, token: &str, progress: Progress) {
        if let Ok(mut jobs) = self.jobs.lock()
            && let Some(job) = jobs.get_mut(token)
            && matches!(job.state, JobState::Running(_))
        {
            job.state = JobState::Running(Some(progress));
        }
    }

    pub fn finish(&self, token: &str, result: Result<Imported, Failure>, errors_file: PathBuf) {
        let state = match result {
            Ok(imported) => JobState::Done(imported),
            Err(Failure::Rows {
                count, problems, ..
            }) => JobState::Refused {
                message: format!("发现 {count} 处错误，整表未导入。"),
                problems: problems
                    .iter()
                    .take(SHOWN_PROBLEMS)
                    .map(|p| p.to_string())
                    .collect(),
                count,
                errors_file: errors_file.exists().then_some(errors_file),
            },
            Err(Failure::File(message)) => JobState::Refused {
                message,
                problems: Vec::new(),
                count: 0,
                errors_file: None,
            },
            Err(Failure::Store(e)) => {
                tracing::error!(error = %e, "import failed");
                JobState::Refused {
                    message: match e {
                        linkong_store::Error::Database(_) | linkong_store::Error::Sqlite(_) => {
                            "数据库写入失败，整表未导入，请稍后重试".into()
                        }
                        other => other.to_string(),
                    },
                    problems: Vec::new(),
                    count: 0,
                    errors_file: None,
                }
            }
        };
        if let Ok(mut jobs) = self.jobs.lock()
            && let Some(job) = jobs.get_mut(token)
        {
            job.state = state;
        }
    }

    fn get(&self, token: &str, owner: i64) -> Option<Job> {
        self.jobs
            .lock()
            .ok()?
            .get(token)
            .filter(|job| job.owner == owner)
            .cloned()
    }
}

/// The directory uploads and error workbooks of imports are kept in.
pub fn imports_dir(state: &AppState) -> PathBuf {
    state.store.files_dir().join("imports")
}

#[derive(Template, WebTemplate)]
#[template(path = "import_status.html")]
struct StatusPage {
    nav: Nav,
    token: String,
    job: Job,
    phase: &'static str,
    rows: u64,
    percent: u32,
}

async fn status_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(token): Path<String>,
) -> Result<StatusPage, AppError> {
    let job = state
        .imports
        .get(&token, viewer.user.id)
        .ok_or_else(|| AppError::not_found("该导入不存在或已过期"))?;
    let (phase, rows, percent) = match &job.state {
        JobState::Running(Some(p)) => (
            "校验并写入",
            p.rows,
            (p.fraction.clamp(0.0, 1.0) * 100.0) as u32,
        ),
        _ => ("排队", 0, 0),
    };
    Ok(StatusPage {
        nav: Nav::of(&viewer, &state),
        token,
        job,
        phase,
        rows,
        percent,
    })
}

async fn errors_workbook(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(token): Path<String>,
) -> Result<axum::response::Response, AppError> {
    let job = state
        .imports
        .get(&token, viewer.user.id)
        .ok_or_else(|| AppError::not_found("该导入不存在或已过期"))?;
    let JobState::Refused {
        errors_file: Some(path),
        ..
    } = &job.state
    else {
        return Err(AppError::not_found("该导入没有错误清单"));
    };
    let bytes = tokio::fs::read(path).await.map_err(|e| {
        tracing::error!(error = %e, "error workbook unreadable");
        AppError::Internal
    })?;
    Ok(crate::download::respond("import-errors.xlsx", bytes))
}

/// How long an error workbook stays downloadable.
const KEEP_ERRORS: std::time::Duration = std::time::Duration::from_secs(24 * 3600);

/// Removes error workbooks (and uploads a crash left behind) older than [`KEEP_ERRORS`]: they
/// hold personal data and must not pile up.
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
            .is_some_and(|age| age > KEEP_ERRORS);
        if old {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Runs an import on its own task and records how it goes; the upload is removed afterwards.
pub fn spawn<F, Fut>(state: &AppState, token: String, upload: PathBuf, run: F)
where
    F: FnOnce(linkong_import::run::ProgressFn, PathBuf) -> Fut + Send + 'static,
    Fut: std::future::Future<Output = Result<Imported, Failure>> + Send + 'static,
{
    let jobs = state.imports.clone();
    let errors_file = upload.with_extension("errors.xlsx");
    if let Some(dir) = upload.parent() {
        remove_stale(dir);
    }
    tokio::spawn(async move {
        let progress_jobs = jobs.clone();
        let progress_token = token.clone();
        let progress: linkong_import::run::ProgressFn =
            Arc::new(move |p| progress_jobs.progress(&progress_token, p));
        let result = run(progress, errors_file.clone()).await;
        let _ = tokio::fs::remove_file(&upload).await;
        jobs.finish(&token, result, errors_file);
    });
}
