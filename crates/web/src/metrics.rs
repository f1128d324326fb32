//! `/metrics` in the Prometheus text format (version 0.0.4): HTTP requests by route pattern and
//! status class, their latency, imports running and finished, the queues waiting in the
//! database, the connection pool and the process's memory, threads and files.
//!
//! Labels are bounded: a request is counted under its route's pattern (`/jobs/{id}`), never its
//! path, so neither an ID nor a search word becomes a label. Only a request made on this
//! machine and not relayed by a proxy is answered (core's `is_direct_local`); everyone else
//! gets 404, as if the page did not exist. Prometheus on the same host scrapes
//! `http://127.0.0.1:PORT/metrics` directly; nginx in front adds `X-Real-IP`, so nothing from
//! outside gets through it.

use std::net::{IpAddr, SocketAddr};
use std::sync::atomic::AtomicU64;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use axum::Router;
use axum::extract::{ConnectInfo, MatchedPath, Request, State};
use axum::http::{HeaderMap, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use linkong_core::limits::is_direct_local;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::encoding::prometheus_text::{CONTENT_TYPE, encode};
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;

use crate::{AppError, AppState};

pub fn router() -> Router<AppState> {
    Router::new().route("/metrics", get(scrape))
}

/// Upper bounds of the latency buckets, in seconds: 1 ms to 10 s.
const LATENCY_BUCKETS: [f64; 13] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// The route label of a request no route matched (unknown paths are not labels of their own).
const UNMATCHED: &str = "unmatched";

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    method: &'static str,
    route: String,
    status: &'static str,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    method: &'static str,
    route: String,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct OutcomeLabels {
    outcome: &'static str,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct QueueLabels {
    queue: &'static str,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct PoolLabels {
    state: &'static str,
}

/// How a finished import ended, for `linkong_imports_finished_total`.
#[derive(Debug, Clone, Copy)]
pub(crate) enum ImportEnd {
    Written,
    /// Refused: rows with errors, or a file that cannot be read.
    Refused,
    /// The database failed.
    Failed,
}

/// The process's counters; the sampled values are set at each scrape.
pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: Family<RouteLabels, Histogram>,
    imports_running: Gauge,
    imports_finished: Family<OutcomeLabels, Counter>,
    queues: Family<QueueLabels, Gauge>,
    pool: Family<PoolLabels, Gauge>,
    pool_max: Gauge,
    process: ProcessGauges,
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Metrics")
    }
}

/// The process basics of the usual names (`process_*`), read from `/proc` on Linux.
struct ProcessGauges {
    start_time: Gauge<f64, AtomicU64>,
    resident_memory: Gauge,
    threads: Gauge,
    open_fds: Gauge,
}

impl Default for Metrics {
    fn default() -> Metrics {
        Metrics::new()
    }
}

impl Metrics {
    pub fn new() -> Metrics {
        let mut metrics = Metrics {
            registry: Registry::default(),
            requests: Family::default(),
            latency: Family::new_with_constructor(|| Histogram::new(LATENCY_BUCKETS)),
            imports_running: Gauge::default(),
            imports_finished: Family::default(),
            queues: Family::default(),
            pool: Family::default(),
            pool_max: Gauge::default(),
            process: ProcessGauges {
                start_time: Gauge::default(),
                resident_memory: Gauge::default(),
                threads: Gauge::default(),
                open_fds: Gauge::default(),
            },
        };
        let started = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0.0, |d| d.as_secs_f64());
        metrics.process.start_time.set(started);
        metrics.register();
        metrics
    }

    fn register(&mut self) {
        let r = &mut self.registry;
        r.register(
            "linkong_http_requests",
            "HTTP requests answered, by method, route pattern and status class",
            self.requests.clone(),
        );
        r.register(
            "linkong_http_request_duration_seconds",
            "Time to answer an HTTP request, by method and route pattern",
            self.latency.clone(),
        );
        r.register(
            "linkong_imports_running",
            "Roster imports running in this process",
            self.imports_running.clone(),
        );
        r.register(
            "linkong_imports_finished",
            "Roster imports finished in this process, by outcome (written, refused, failed)",
            self.imports_finished.clone(),
        );
        r.register(
            "linkong_queue_size",
            "Work waiting: sms (outbox, still tried), sms_abandoned, posts_pending_review, \
             complaints_open, search_changes (not yet in this process's search index)",
            self.queues.clone(),
        );
        r.register(
            "linkong_db_pool_connections",
            "Database connections of this process, by state (idle, in_use)",
            self.pool.clone(),
        );
        r.register(
            "linkong_db_pool_max_connections",
            "The most connections the pool opens",
            self.pool_max.clone(),
        );
        self.register_process();
    }

    fn register_process(&mut self) {
        let (r, p) = (&mut self.registry, &self.process);
        r.register(
            "process_start_time_seconds",
            "Start time of the process since the Unix epoch, in seconds",
            p.start_time.clone(),
        );
        r.register(
            "process_resident_memory_bytes",
            "Resident memory size in bytes",
            p.resident_memory.clone(),
        );
        r.register(
            "process_threads",
            "Threads of the process",
            p.threads.clone(),
        );
        r.register(
            "process_open_fds",
            "Open file descriptors",
            p.open_fds.clone(),
        );
    }

    /// Counts one answered request.
    fn observe(&self, method: &'static str, route: String, status: u16, seconds: f64) {
        self.latency
            .get_or_create(&RouteLabels {
                method,
                route: route.clone(),
            })
            .observe(seconds);
        self.requests
            .get_or_create(&RequestLabels {
                method,
                route,
                status: status_class(status),
            })
            .inc();
    }

    /// Counts a finished import.
    pub(crate) fn import_started(&self) {
        self.imports_running.inc();
    }

    pub(crate) fn import_finished(&self, end: ImportEnd) {
        self.imports_running.dec();
        let outcome = match end {
            ImportEnd::Written => "written",
            ImportEnd::Refused => "refused",
            ImportEnd::Failed => "failed",
        };
        self.imports_finished
            .get_or_create(&OutcomeLabels { outcome })
            .inc();
    }

    /// Samples what is read at scrape time, then writes everything in the text format.
    async fn render(&self, state: &AppState) -> Result<String, AppError> {
        let queues = state.store.queues().await.map_err(AppError::internal)?;
        let behind = (queues.search_seq - state.search.last_seq()).max(0);
        for (queue, size) in [
            ("sms", queues.sms_waiting),
            ("sms_abandoned", queues.sms_abandoned),
            ("posts_pending_review", queues.posts_pending_review),
            ("complaints_open", queues.complaints_open),
            ("search_changes", behind),
        ] {
            self.queues.get_or_create(&QueueLabels { queue }).set(size);
        }
        let pool = state.store.pool_stats();
        let idle = i64::from(pool.idle);
        self.pool
            .get_or_create(&PoolLabels { state: "idle" })
            .set(idle);
        self.pool
            .get_or_create(&PoolLabels { state: "in_use" })
            .set((i64::from(pool.open) - idle).max(0));
        self.pool_max.set(i64::from(pool.max));
        self.sample_process();
        let mut text = String::new();
        encode(&mut text, &self.registry).map_err(AppError::internal)?;
        Ok(text)
    }

    /// Reads the process's memory, threads and open files (Linux; left at 0 elsewhere).
    fn sample_process(&self) {
        let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
        let field = |name: &str| -> Option<i64> {
            let line = status.lines().find(|l| l.starts_with(name))?;
            line[name.len()..].split_whitespace().next()?.parse().ok()
        };
        if let Some(kib) = field("VmRSS:") {
            self.process.resident_memory.set(kib * 1024);
        }
        if let Some(threads) = field("Threads:") {
            self.process.threads.set(threads);
        }
        if let Ok(fds) = std::fs::read_dir("/proc/self/fd") {
            self.process
                .open_fds
                .set(i64::try_from(fds.count()).unwrap_or(i64::MAX));
        }
    }
}

fn status_class(status: u16) -> &'static str {
    match status {
        100..=199 => "1xx",
        200..=299 => "2xx",
        300..=399 => "3xx",
        400..=499 => "4xx",
        _ => "5xx",
    }
}

/// The method as a label; methods no route takes are one label, not one each.
fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::OPTIONS => "OPTIONS",
        _ => "other",
    }
}

/// Counts every request under its route pattern, with its status and time (the outermost
/// layer, so that what is counted is what the client got).
pub async fn track(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = method_label(request.method());
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| UNMATCHED.to_owned(), |p| p.as_str().to_owned());
    let response = next.run(request).await;
    state.metrics.observe(
        method,
        route,
        response.status().as_u16(),
        started.elapsed().as_secs_f64(),
    );
    response
}

fn peer(request: &Request) -> Option<IpAddr> {
    request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip())
}

/// Whether the request came straight from this machine (see the module's doc).
fn direct_local(peer: Option<IpAddr>, headers: &HeaderMap) -> bool {
    let header = |name: &str| headers.get(name).map(|v| v.to_str().unwrap_or(""));
    peer.is_some_and(|peer| {
        is_direct_local(
            peer,
            &[
                header("x-real-ip"),
                header("x-forwarded-for"),
                header("forwarded"),
            ],
        )
    })
}

async fn scrape(State(state): State<AppState>, request: Request) -> Result<Response, AppError> {
    if !direct_local(peer(&request), request.headers()) {
        return Err(AppError::not_found("页面不存在，请检查地址"));
    }
    let text = state.metrics.render(&state).await?;
    Ok(([(header::CONTENT_TYPE, CONTENT_TYPE)], text).into_response())
}
