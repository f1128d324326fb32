//! The rate limits' counters: a token bucket per client and kind (core's
//! [`linkong_core::limits`] decides the kinds, the rates, the client and the words).
//!
//! Per-address limits are one middleware, [`per_address`], in front of every route: it asks
//! core which kind a request falls under, so the limited routes are listed once, in core, not
//! layered route by route. Per-account limits are checked by the handlers that know the
//! account ([`Limiters::check_account`]).
//!
//! The counters live in this process. With several servers behind a load balancer each keeps
//! its own, so a client may get up to one bucket per server; the sign-in lockout, which
//! matters most, is in the database and shared.

use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU32, Ordering};

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use linkong_core::limits::{Limited, Rate, RateLimits, client_ip};

use crate::{AppError, AppState};

/// How many checks between sweeps of buckets that are full again (idle clients).
const SWEEP_EVERY: u32 = 4096;

/// One bucket table per kind.
pub struct Limiters {
    buckets: Vec<(Limited, DefaultKeyedRateLimiter<String>)>,
    clock: DefaultClock,
    checks: AtomicU32,
}

impl std::fmt::Debug for Limiters {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Limiters")
    }
}

fn quota(rate: Rate) -> Quota {
    let per_minute = NonZeroU32::new(rate.per_minute).unwrap_or(NonZeroU32::MIN);
    let burst = NonZeroU32::new(rate.burst).unwrap_or(NonZeroU32::MIN);
    Quota::per_minute(per_minute).allow_burst(burst)
}

impl Limiters {
    pub fn new(limits: &RateLimits) -> Limiters {
        Limiters {
            buckets: Limited::ALL
                .into_iter()
                .map(|kind| (kind, RateLimiter::keyed(quota(limits.rate(kind)))))
                .collect(),
            clock: DefaultClock::default(),
            checks: AtomicU32::new(0),
        }
    }

    /// Takes one token of `kind` for `key`; refused with 429 and when to try again.
    fn take(&self, kind: Limited, key: String) -> Result<(), AppError> {
        let Some((_, limiter)) = self.buckets.iter().find(|(k, _)| *k == kind) else {
            return Ok(());
        };
        if self.checks.fetch_add(1, Ordering::Relaxed) % SWEEP_EVERY == SWEEP_EVERY - 1 {
            limiter.retain_recent();
        }
        limiter.check_key(&key).map_err(|not_until| {
            let wait = not_until.wait_time_from(self.clock.now());
            AppError::TooMany {
                message: kind.refusal(wait),
                retry_after: wait.as_secs() + 1,
            }
        })
    }

    /// A signed-in account's own limit on applying or complaining.
    pub fn check_account(&self, kind: Limited, user_id: i64) -> Result<(), AppError> {
        self.take(kind, user_id.to_string())
    }
}

/// The client's address as core decides it from the connection and a local proxy's headers.
pub fn client_address(peer: Option<IpAddr>, headers: &HeaderMap) -> Option<IpAddr> {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    peer.map(|peer| client_ip(peer, header("x-real-ip"), header("x-forwarded-for")))
}

fn peer(request: &Request) -> Option<IpAddr> {
    request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip())
}

/// Refuses a client past its per-address limit for the request's kind (see the module's doc).
pub async fn per_address(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let is_post = request.method() == Method::POST;
    if let Some(kind) = Limited::of_request(is_post, request.uri().path()) {
        let address = client_address(peer(&request), request.headers());
        let key = address.map(|a| a.to_string()).unwrap_or_default();
        if let Err(refused) = state.limits.take(kind, key) {
            return refused.into_response();
        }
    }
    next.run(request).await
}
