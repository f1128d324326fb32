//! linkong-web: the HTTP face of linkong. Server-rendered Chinese pages (askama), no scripts,
//! a strict Content-Security-Policy, sessions in the database, CSRF tokens on every form, and
//! the JSON API under `/api/v1`, which describes itself at `/api/openapi.json` ([`openapi`]).

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use chrono::NaiveDate;
use linkong_app::SearchSync;
use linkong_core::calendar::WorkCalendar;
use linkong_core::fraud::FraudRules;
use linkong_core::plan::Plan;
use linkong_core::time::local_date;
use linkong_search::JobIndex;
use linkong_store::Store;

mod admin;
mod api;
mod assessment;
mod auth;
mod businesses;
mod campus;
mod candidates;
mod carriers;
mod charts;
mod contest;
mod contest_portal;
mod conversion;
mod dashboard;
mod download;
mod employers;
mod error;
mod events;
mod exchange;
mod experts;
mod failure;
mod format;
mod gigs;
mod graduates;
mod home;
mod hr_actions;
mod imports;
mod insurance;
mod jobs;
pub mod limits;
mod loans;
mod market_order;
mod me;
mod mentoring;
mod metrics;
mod openapi;
mod people;
mod policy_list;
mod policy_list_staff;
mod posts;
mod projects;
mod push;
mod records;
mod reports;
mod returnees;
mod roster;
mod security;
mod selection;
mod showcase;
mod skills;
mod sources;
mod steering;
mod stories;
mod student_visits;
mod subsidies;
mod talent_trips;
mod titles;
mod token_scopes;
mod traineeships;
mod two_factor;
mod view;
mod window;

pub use error::AppError;

/// What every handler can reach: one shared [`Shared`], so that the copy each extractor and
/// middleware layer takes is one reference count, not one per field (cloning the fields for
/// every layer was about 4 % of a search page's processor time).
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// The state's parts (see [`AppState`]).
#[derive(Clone)]
pub struct Shared {
    pub store: Store,
    pub plan: Arc<Plan>,
    /// Working days for report deadlines; replaced whole when an admin edits a year.
    calendar: Arc<std::sync::RwLock<Arc<WorkCalendar>>>,
    /// Mark the session cookie `Secure` (behind TLS).
    pub secure_cookies: bool,
    /// The public job search; follows the database's change log through `search_sync`.
    pub search: Arc<JobIndex>,
    pub search_sync: SearchSync,
    /// The public search of the policy list, rebuilt from the store after each change.
    pub(crate) policies: Arc<policy_list::PolicySearch>,
    /// Fraud-screening rules for job posts (`rules/fraud-screening.toml`).
    pub fraud: Arc<FraudRules>,
    /// This server's name in the import runs it keeps (host:port; see [`imports::server_name`]).
    pub server: Arc<str>,
    /// The policies as dated rules (`policies/dongxihu.toml`), deciding subsidy applications.
    pub rules: Arc<linkong_core::rules::RuleBook>,
    /// The person–job matching's weights (`matching/weights.toml`).
    pub matching: Arc<linkong_core::matching::Weights>,
    /// The rate limits' counters (`rules/rate-limits.toml`; see [`limits`]).
    pub limits: Arc<limits::Limiters>,
    /// The counters `/metrics` shows (see [`metrics`]).
    metrics: Arc<metrics::Metrics>,
}

impl AppState {
    /// A state with the shipped fraud rules and a search index in memory (see [`with_search`]).
    ///
    /// [`with_search`]: AppState::with_search
    pub fn new(store: Store, plan: Plan, calendar: WorkCalendar) -> AppState {
        let search = Arc::new(JobIndex::in_ram().expect("an index in memory always opens"));
        AppState(Arc::new(Shared {
            search_sync: SearchSync::new(store.clone(), search.clone()),
            store,
            plan: Arc::new(plan),
            calendar: Arc::new(std::sync::RwLock::new(Arc::new(calendar))),
            secure_cookies: false,
            search,
            policies: Arc::new(policy_list::PolicySearch::new()),
            fraud: Arc::new(FraudRules::shipped()),
            server: Arc::from(format!("localhost:pid{}", std::process::id())),
            rules: Arc::new(
                linkong_core::rules::RuleBook::parse(linkong_core::rules::DONGXIHU)
                    .expect("the shipped rules parse (core's tests check them)"),
            ),
            matching: Arc::new(
                linkong_core::matching::Weights::parse(linkong_core::matching::WEIGHTS_FILE)
                    .expect("the shipped weights parse (core's tests check them)"),
            ),
            limits: Arc::new(limits::Limiters::new(
                &linkong_core::limits::RateLimits::shipped(),
            )),
            metrics: Arc::new(metrics::Metrics::new()),
        }))
    }

    /// The parts, to change before the state is shared (copied first if it already is).
    fn parts(&mut self) -> &mut Shared {
        Arc::make_mut(&mut self.0)
    }

    /// Uses these rate limits (a load benchmark speaks from one address).
    pub fn with_rate_limits(mut self, limits: &linkong_core::limits::RateLimits) -> AppState {
        self.parts().limits = Arc::new(limits::Limiters::new(limits));
        self
    }

    /// Marks the session cookie `Secure` (behind TLS) or not.
    pub fn with_secure_cookies(mut self, secure: bool) -> AppState {
        self.parts().secure_cookies = secure;
        self
    }

    /// Uses this rule book (tests decide with a changed one).
    pub fn with_rules(mut self, rules: linkong_core::rules::RuleBook) -> AppState {
        self.parts().rules = Arc::new(rules);
        self
    }

    /// Uses this search index (e.g. one on disk under `data/search`).
    pub fn with_search(self, index: JobIndex) -> AppState {
        self.with_shared_search(Arc::new(index))
    }

    /// Uses an index shared with another state (benchmarks compare backends on one index).
    pub fn with_shared_search(mut self, index: Arc<JobIndex>) -> AppState {
        let parts = self.parts();
        parts.search_sync = SearchSync::new(parts.store.clone(), index.clone());
        parts.search = index;
        self
    }

    /// Uses these fraud-screening rules.
    pub fn with_fraud_rules(mut self, rules: FraudRules) -> AppState {
        self.parts().fraud = Arc::new(rules);
        self
    }

    /// The working-day calendar as it stands now.
    pub fn calendar(&self) -> Arc<WorkCalendar> {
        self.calendar
            .read()
            .map(|c| c.clone())
            .unwrap_or_else(|poisoned| poisoned.into_inner().clone())
    }

    pub(crate) fn replace_calendar(&self, calendar: WorkCalendar) {
        match self.calendar.write() {
            Ok(mut current) => *current = Arc::new(calendar),
            Err(poisoned) => *poisoned.into_inner() = Arc::new(calendar),
        }
    }

    /// Today in Wuhan, by the store's (injectable) clock.
    pub fn today(&self) -> NaiveDate {
        local_date(self.store.now())
    }
}

/// The whole application: pages, API, static files, security layers.
pub fn router(state: AppState) -> Router {
    // The API's routes come with their description; the other half is the document.
    let (api, _document) = openapi::api_routes().split_for_parts();
    Router::new()
        .merge(home::router())
        .merge(auth::router())
        .merge(two_factor::router())
        .merge(dashboard::router())
        .merge(records::router())
        .merge(employers::router())
        .merge(jobs::router())
        .merge(me::router())
        .merge(posts::router())
        .merge(events::router())
        .merge(experts::router())
        .merge(people::router())
        .merge(graduates::router())
        .merge(push::router())
        .merge(conversion::router())
        .merge(candidates::router())
        .merge(returnees::router())
        .merge(businesses::router())
        .merge(projects::router())
        .merge(selection::router())
        .merge(contest::router())
        .merge(contest_portal::router())
        .merge(showcase::router())
        .merge(stories::router())
        .merge(carriers::router())
        .merge(imports::router())
        .merge(insurance::router())
        .merge(sources::router())
        .merge(window::router())
        .merge(failure::router())
        .merge(loans::router())
        .merge(campus::router())
        .merge(policy_list::router())
        .merge(mentoring::router())
        .merge(market_order::router())
        .merge(skills::router())
        .merge(subsidies::router())
        .merge(steering::router())
        .merge(student_visits::router())
        .merge(talent_trips::router())
        .merge(titles::router())
        .merge(hr_actions::router())
        .merge(traineeships::router())
        .merge(gigs::router())
        .merge(assessment::router())
        .merge(reports::router())
        .merge(admin::router())
        .merge(metrics::router())
        .merge(api)
        .merge(security::static_router())
        .fallback(|| async { AppError::not_found("页面不存在，请检查地址") })
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            token_scopes::token_scopes,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            limits::per_address,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            security::check_origin,
        ))
        .layer(axum::middleware::from_fn(error::answer_in_kind))
        .layer(axum::middleware::from_fn(security::headers))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            metrics::track,
        ))
        .with_state(state)
}

/// Serves until Ctrl-C.
pub async fn serve(state: AppState, addr: SocketAddr) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    serve_on(state, listener).await
}

/// Serves on `listener`, as the server named by its address: the imports a previous process
/// on that address left running are marked interrupted first.
pub async fn serve_on(
    mut state: AppState,
    listener: tokio::net::TcpListener,
) -> std::io::Result<()> {
    state.parts().server = Arc::from(imports::server_name(listener.local_addr()?));
    imports::interrupt_left_over(&state).await;
    let app = router(state).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(stop_asked())
        .await
}

/// Ctrl-C, or SIGTERM (systemd's stop, a rolling restart): the server stops taking
/// connections and ends once the requests it holds are answered.
async fn stop_asked() {
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        () = terminated() => {}
    }
    tracing::info!("stop asked: answering the requests in hand, then ending");
}

/// SIGTERM; never where there is none.
#[cfg(unix)]
async fn terminated() {
    use tokio::signal::unix::{SignalKind, signal};
    match signal(SignalKind::terminate()) {
        Ok(mut signal) => {
            signal.recv().await;
        }
        Err(_) => std::future::pending::<()>().await,
    }
}

#[cfg(not(unix))]
async fn terminated() {
    std::future::pending::<()>().await
}
