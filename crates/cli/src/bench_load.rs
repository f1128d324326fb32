//! The load generator of `linkong bench fair`: open loop, as visitors arrive whether or not the
//! server has answered the last one. Request k of a step is due at k / rate seconds; its
//! latency runs from when it was due (not from when it could be sent) to the end of its body,
//! so a server that falls behind is charged for the wait. Bounded in time (the step's length,
//! then the last answers) and in requests in flight (past the bound a request is an error).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

/// Requests in flight at once; one more is counted as an error (the server is far behind).
const MAX_IN_FLIGHT: u64 = 4_096;
/// A request not answered in this time is an error.
const TIMEOUT: Duration = Duration::from_secs(10);

/// What the fair asks: the demo's searches, the open posts, and signed-in applicants. Each
/// application is by a distinct (applicant, post) pair; those the server confirmed are kept.
pub struct Mix {
    queries: Vec<String>,
    posts: Vec<i64>,
    sessions: Vec<Applicant>,
    seed: u64,
    next_application: AtomicU64,
    confirmed: Mutex<Vec<(i64, i64)>>,
}

/// A signed-in applicant of the mix.
pub struct Applicant {
    pub id: i64,
    pub session: String,
    pub csrf: String,
}

/// One request of the mix.
enum Ask {
    Search(usize),
    Detail(i64),
    Apply { session: usize, post: i64 },
}

#[derive(Clone, Copy)]
enum Kind {
    Search,
    Detail,
    Apply,
}

impl Mix {
    pub fn new(queries: Vec<String>, posts: Vec<i64>, sessions: Vec<Applicant>, seed: u64) -> Mix {
        Mix {
            queries,
            posts,
            sessions,
            seed,
            next_application: AtomicU64::new(0),
            confirmed: Mutex::new(Vec::new()),
        }
    }

    /// The (post, applicant) pairs of the applications the server confirmed so far.
    pub fn confirmed(&self) -> Vec<(i64, i64)> {
        self.confirmed.lock().map(|c| c.clone()).unwrap_or_default()
    }

    /// 70 % search, 20 % detail, 10 % apply.
    fn pick(&self, rng: &mut StdRng) -> Ask {
        match rng.random_range(0..100) {
            0..70 => Ask::Search(rng.random_range(0..self.queries.len())),
            70..90 => Ask::Detail(self.posts[rng.random_range(0..self.posts.len())]),
            _ => {
                // Applicant n mod A applies to the posts in turn: no pair twice until every
                // applicant has applied to every post.
                let n = self.next_application.fetch_add(1, Ordering::Relaxed);
                let applicants = self.sessions.len() as u64;
                let post = self.posts[((n / applicants) % self.posts.len() as u64) as usize];
                Ask::Apply {
                    session: (n % applicants) as usize,
                    post,
                }
            }
        }
    }
}

/// The answers of one step.
pub struct Step {
    pub rate: u32,
    pub search: Vec<Duration>,
    pub detail: Vec<Duration>,
    pub apply: Vec<Duration>,
    pub errors: u64,
    /// Searches and detail pages sent again once because the connection they went out on was
    /// closed before any answer (see [`send`]); answered all the same, their wait included.
    pub retried: u64,
    /// The first error, to name in the table.
    pub first_error: Option<String>,
    /// From the first request due to the last answer.
    pub elapsed: Duration,
}

impl Step {
    pub fn all(&self) -> Vec<Duration> {
        [&self.search, &self.detail, &self.apply]
            .into_iter()
            .flatten()
            .copied()
            .collect()
    }

    /// Successful answers per second.
    pub fn achieved(&self) -> f64 {
        self.all().len() as f64 / self.elapsed.as_secs_f64().max(f64::MIN_POSITIVE)
    }

    /// No error, and p99 within `p99`.
    pub fn held(&self, p99: Duration) -> bool {
        self.errors == 0 && crate::bench_support::percentile(&self.all(), 0.99) <= p99
    }
}

#[derive(Default)]
struct Answers {
    search: Vec<Duration>,
    detail: Vec<Duration>,
    apply: Vec<Duration>,
    errors: u64,
    retried: u64,
    first_error: Option<String>,
}

impl Answers {
    fn record(&mut self, kind: Kind, outcome: Result<(Duration, bool), String>) {
        match outcome {
            Ok((took, retried)) => {
                self.retried += u64::from(retried);
                self.took(kind, took);
            }
            Err(error) => {
                self.errors += 1;
                self.first_error.get_or_insert(error);
            }
        }
    }

    fn took(&mut self, kind: Kind, took: Duration) {
        match kind {
            Kind::Search => self.search.push(took),
            Kind::Detail => self.detail.push(took),
            Kind::Apply => self.apply.push(took),
        }
    }
}

fn client() -> anyhow::Result<reqwest::Client> {
    Ok(reqwest::Client::builder()
        .timeout(TIMEOUT)
        .pool_max_idle_per_host(MAX_IN_FLIGHT as usize)
        // A redirect (to the sign-in page) is an answer to count as wrong, not to follow.
        .redirect(reqwest::redirect::Policy::none())
        .build()?)
}

/// The mix at `rate` requests per second for `length`.
pub async fn run_step(
    base: &str,
    mix: &Arc<Mix>,
    rate: u32,
    length: Duration,
) -> anyhow::Result<Step> {
    let client = client()?;
    let answers = Arc::new(Mutex::new(Answers::default()));
    let in_flight = Arc::new(AtomicU64::new(0));
    let mut rng = StdRng::seed_from_u64(mix.seed ^ u64::from(rate));
    let total = u64::from(rate) * length.as_secs();
    let gap_ns = 1_000_000_000 / u64::from(rate.max(1));
    let start = Instant::now() + Duration::from_millis(20);
    let mut tasks = tokio::task::JoinSet::new();
    for k in 0..total {
        let due = start + Duration::from_nanos(k * gap_ns);
        tokio::time::sleep_until(due.into()).await;
        while tasks.try_join_next().is_some() {}
        let ask = mix.pick(&mut rng);
        if in_flight.load(Ordering::Relaxed) >= MAX_IN_FLIGHT {
            let mut answers = answers.lock().unwrap_or_else(|e| e.into_inner());
            answers.record(
                kind_of(&ask),
                Err(format!("同时等待的请求超过 {MAX_IN_FLIGHT} 个")),
            );
            continue;
        }
        in_flight.fetch_add(1, Ordering::Relaxed);
        let (client, mix, base) = (client.clone(), mix.clone(), base.to_owned());
        let (answers, in_flight) = (answers.clone(), in_flight.clone());
        tasks.spawn(async move {
            let kind = kind_of(&ask);
            let outcome = send(&client, &base, &mix, ask)
                .await
                .map(|retried| (due.elapsed(), retried));
            in_flight.fetch_sub(1, Ordering::Relaxed);
            answers
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .record(kind, outcome);
        });
    }
    while tasks.join_next().await.is_some() {}
    let elapsed = start.elapsed();
    let answers = std::mem::take(&mut *answers.lock().unwrap_or_else(|e| e.into_inner()));
    Ok(Step {
        rate,
        search: answers.search,
        detail: answers.detail,
        apply: answers.apply,
        errors: answers.errors,
        retried: answers.retried,
        first_error: answers.first_error,
        elapsed,
    })
}

fn kind_of(ask: &Ask) -> Kind {
    match ask {
        Ask::Search(_) => Kind::Search,
        Ask::Detail(_) => Kind::Detail,
        Ask::Apply { .. } => Kind::Apply,
    }
}

/// One request to its last byte; returns whether it was sent twice. An error names the
/// request and what went wrong.
///
/// A search or a detail page whose kept-alive connection was closed under it before any answer
/// (nginx's graceful reload closes its old worker's idle connections; a request written at
/// that instant meets a closed socket) is sent once more on another connection, as a browser
/// does with such a request. Applications are never sent twice: an application is not safe to
/// repeat, and a lost one counts as an error.
async fn send(client: &reqwest::Client, base: &str, mix: &Mix, ask: Ask) -> Result<bool, String> {
    let applied = match ask {
        Ask::Apply { session, post } => Some((post, mix.sessions[session].id)),
        _ => None,
    };
    let (what, request) = match ask {
        Ask::Search(n) => {
            let url = format!("{base}/jobs?{}", mix.queries[n]);
            (url.clone(), client.get(url))
        }
        Ask::Detail(id) => {
            let url = format!("{base}/jobs/{id}");
            (url.clone(), client.get(url))
        }
        Ask::Apply { session, post } => {
            let applicant = &mix.sessions[session];
            let url = format!("{base}/jobs/{post}/apply");
            let request = client
                .post(&url)
                .header("cookie", format!("lk_session={}", applicant.session))
                .header("content-type", "application/x-www-form-urlencoded")
                .body(format!("csrf={}", applicant.csrf));
            (format!("POST {url}"), request)
        }
    };
    let again = request.try_clone().filter(|_| applied.is_none());
    let (response, retried) = match (request.send().await, again) {
        (Ok(response), _) => (response, false),
        (Err(e), Some(again)) if e.is_request() && !e.is_timeout() => (
            again
                .send()
                .await
                .map_err(|e| format!("{what}（重发）：{e}"))?,
            true,
        ),
        (Err(e), _) => return Err(format!("{what}：{e}")),
    };
    let status = response.status();
    // Read to the last byte as a browser does, as bytes: only an application's page is looked
    // into (decoding every page as text was a tenth of the generator's time).
    let body = response.bytes().await.map_err(|e| format!("{what}：{e}"))?;
    if !status.is_success() {
        return Err(format!("{what}：{status}"));
    }
    if let Some(pair) = applied {
        // Only an application the page confirms counts as accepted (a refusal may also be
        // a 200 page, with its message).
        let sign = "申请已投递".as_bytes();
        if !body.windows(sign.len()).any(|part| part == sign) {
            return Err(format!("{what}：页面没有“申请已投递”"));
        }
        if let Ok(mut confirmed) = mix.confirmed.lock() {
            confirmed.push(pair);
        }
    }
    Ok(retried)
}

/// The floor: GET `url` on `connections` connections, each asking again as soon as it is
/// answered, for `length`; answers per second.
pub async fn floor(url: &str, connections: usize, length: Duration) -> anyhow::Result<f64> {
    let client = client()?;
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..connections {
        let (client, url) = (client.clone(), url.to_owned());
        tasks.spawn(async move {
            let mut answered = 0u64;
            while started.elapsed() < length {
                let response = client.get(&url).send().await?;
                anyhow::ensure!(
                    response.status().is_success(),
                    "{url}：{}",
                    response.status()
                );
                response.bytes().await?;
                answered += 1;
            }
            anyhow::Ok(answered)
        });
    }
    let mut answered = 0;
    while let Some(done) = tasks.join_next().await {
        answered += done??;
    }
    Ok(answered as f64 / started.elapsed().as_secs_f64())
}
