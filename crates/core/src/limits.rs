//! How often one client may knock: the rate limits on sign-in, registration, applications,
//! complaints and search (`rules/rate-limits.toml`), which request falls under which, who the
//! client is behind a proxy, and what a refused client is told.
//!
//! The web layer keeps the counters (a token bucket per client and kind); what counts, how much
//! and the words are decided here.

use std::collections::BTreeMap;
use std::net::IpAddr;
use std::time::Duration;

use serde::Deserialize;

/// What is limited, and by whom: per address (`…Ip`) or per signed-in account (`…Account`).
/// Sign-in per account is the database's lockout after failed passwords (see the store's
/// `authenticate`): it holds across servers, so it is not counted here again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Limited {
    LoginIp,
    RegisterIp,
    ApplyIp,
    ApplyAccount,
    ComplaintIp,
    ComplaintAccount,
    SearchIp,
}

impl Limited {
    pub const ALL: [Limited; 7] = [
        Limited::LoginIp,
        Limited::RegisterIp,
        Limited::ApplyIp,
        Limited::ApplyAccount,
        Limited::ComplaintIp,
        Limited::ComplaintAccount,
        Limited::SearchIp,
    ];

    /// The table's name in `rules/rate-limits.toml`.
    pub fn key(self) -> &'static str {
        match self {
            Limited::LoginIp => "login_ip",
            Limited::RegisterIp => "register_ip",
            Limited::ApplyIp => "apply_ip",
            Limited::ApplyAccount => "apply_account",
            Limited::ComplaintIp => "complaint_ip",
            Limited::ComplaintAccount => "complaint_account",
            Limited::SearchIp => "search_ip",
        }
    }

    /// What the refused client was doing, in the words of the refusal.
    fn doing(self) -> &'static str {
        match self {
            Limited::LoginIp => "登录尝试",
            Limited::RegisterIp => "注册",
            Limited::ApplyIp | Limited::ApplyAccount => "投递申请",
            Limited::ComplaintIp | Limited::ComplaintAccount => "举报",
            Limited::SearchIp => "搜索",
        }
    }

    /// The per-address kind a request falls under, from its method and path; `None` for
    /// everything that is not limited. Per-account kinds are checked where the account is known.
    pub fn of_request(is_post: bool, path: &str) -> Option<Limited> {
        let path = path.trim_end_matches('/');
        if !is_post {
            return matches!(path, "/jobs" | "/api/v1/jobs").then_some(Limited::SearchIp);
        }
        match path {
            "/login" | "/me/login" => return Some(Limited::LoginIp),
            "/me/register" | "/employers/register" => return Some(Limited::RegisterIp),
            _ => {}
        }
        let post = path.strip_prefix("/jobs/")?;
        let (id, action) = post.split_once('/')?;
        if id.is_empty() || !id.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        match action {
            "apply" => Some(Limited::ApplyIp),
            "report" => Some(Limited::ComplaintIp),
            _ => None,
        }
    }

    /// The refusal: what, and when to try again (whole seconds, at least one).
    pub fn refusal(self, wait: Duration) -> String {
        let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
        format!("{}过于频繁，请 {} 秒后再试", self.doing(), seconds.max(1))
    }
}

/// One kind's bucket: `burst` requests at once, refilled at `per_minute`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rate {
    pub burst: u32,
    pub per_minute: u32,
}

/// Every kind's rate. `parse` requires each kind, so a file never leaves one unlimited by
/// omission.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RateLimits {
    rates: BTreeMap<Limited, Rate>,
}

/// The shipped limits, for when no file is given.
pub const SHIPPED: &str = include_str!("../../../rules/rate-limits.toml");

impl RateLimits {
    /// Reads a limits file; names the table or key that is missing or wrong.
    pub fn parse(text: &str) -> Result<RateLimits, String> {
        let mut tables: BTreeMap<String, toml::Value> =
            toml::from_str(text).map_err(|e| format!("访问频率限制文件有误：{}", e.message()))?;
        let mut rates = BTreeMap::new();
        for kind in Limited::ALL {
            let value = tables
                .remove(kind.key())
                .ok_or_else(|| format!("访问频率限制：缺少 [{}]", kind.key()))?;
            let rate: Rate = value
                .try_into()
                .map_err(|e: toml::de::Error| format!("[{}]：{}", kind.key(), e.message()))?;
            if rate.burst == 0 || rate.per_minute == 0 {
                return Err(format!(
                    "[{}]：burst 与 per_minute 都须大于 0（收到 {} 与 {}）",
                    kind.key(),
                    rate.burst,
                    rate.per_minute
                ));
            }
            rates.insert(kind, rate);
        }
        if let Some(unknown) = tables.keys().next() {
            return Err(format!("访问频率限制：未知的表 [{unknown}]"));
        }
        Ok(RateLimits { rates })
    }

    /// The shipped file's limits.
    pub fn shipped() -> RateLimits {
        RateLimits::parse(SHIPPED).expect("the shipped rate limits parse")
    }

    /// Every kind at `rate`: for load benchmarks that speak from one address.
    pub fn all(rate: Rate) -> RateLimits {
        RateLimits {
            rates: Limited::ALL.into_iter().map(|k| (k, rate)).collect(),
        }
    }

    /// The same limits with one kind changed.
    pub fn with(mut self, kind: Limited, rate: Rate) -> RateLimits {
        self.rates.insert(kind, rate);
        self
    }

    pub fn rate(&self, kind: Limited) -> Rate {
        self.rates[&kind]
    }
}

/// The client's address: the connection's peer, or — when the peer is a proxy on this machine
/// (loopback, as nginx in `docs/operations.md`) — the address the proxy names in `X-Real-IP`,
/// else the last one in `X-Forwarded-For`. Headers from any other peer are ignored: they could
/// be forged to dodge the limits.
pub fn client_ip(peer: IpAddr, real_ip: Option<&str>, forwarded_for: Option<&str>) -> IpAddr {
    if !peer.is_loopback() {
        return peer;
    }
    let named = real_ip
        .and_then(|v| v.trim().parse().ok())
        .or_else(|| forwarded_for?.rsplit(',').next()?.trim().parse().ok());
    named.unwrap_or(peer)
}

/// Whether a request was made on this machine and not relayed by a proxy: the peer is loopback
/// and names no other client (`X-Real-IP`, `X-Forwarded-For`, `Forwarded`). Operators'
/// endpoints (`/metrics`) answer only these: nginx on the same host always adds the headers
/// (`docs/operations.md`), so a request from the internet never passes as local.
pub fn is_direct_local(peer: IpAddr, proxy_headers: &[Option<&str>]) -> bool {
    peer.is_loopback() && proxy_headers.iter().all(Option::is_none)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_fall_under_their_kind_and_others_under_none() {
        assert_eq!(Limited::of_request(true, "/login"), Some(Limited::LoginIp));
        assert_eq!(
            Limited::of_request(true, "/me/login"),
            Some(Limited::LoginIp)
        );
        assert_eq!(
            Limited::of_request(true, "/employers/register"),
            Some(Limited::RegisterIp)
        );
        assert_eq!(
            Limited::of_request(true, "/jobs/12/apply"),
            Some(Limited::ApplyIp)
        );
        assert_eq!(
            Limited::of_request(true, "/jobs/12/report"),
            Some(Limited::ComplaintIp)
        );
        assert_eq!(Limited::of_request(false, "/jobs"), Some(Limited::SearchIp));
        assert_eq!(
            Limited::of_request(false, "/api/v1/jobs"),
            Some(Limited::SearchIp)
        );
        assert_eq!(Limited::of_request(false, "/login"), None);
        assert_eq!(Limited::of_request(false, "/jobs/12"), None);
        assert_eq!(Limited::of_request(true, "/jobs/x/apply"), None);
        assert_eq!(Limited::of_request(true, "/jobs//apply"), None);
        assert_eq!(Limited::of_request(true, "/records"), None);
    }

    #[test]
    fn the_refusal_says_what_and_rounds_the_wait_up() {
        assert_eq!(
            Limited::LoginIp.refusal(Duration::from_millis(5200)),
            "登录尝试过于频繁，请 6 秒后再试"
        );
        assert_eq!(
            Limited::SearchIp.refusal(Duration::ZERO),
            "搜索过于频繁，请 1 秒后再试"
        );
    }

    #[test]
    fn the_shipped_file_limits_every_kind() {
        let limits = RateLimits::shipped();
        for kind in Limited::ALL {
            assert!(limits.rate(kind).burst > 0, "{kind:?}");
        }
    }

    #[test]
    fn a_file_missing_a_kind_or_with_a_zero_or_unknown_table_is_refused_by_name() {
        let without_search: String = SHIPPED
            .split("\n[")
            .filter(|t| !t.starts_with("search_ip]"))
            .collect::<Vec<_>>()
            .join("\n[");
        assert_eq!(
            RateLimits::parse(&without_search).unwrap_err(),
            "访问频率限制：缺少 [search_ip]"
        );
        let zero = SHIPPED.replacen("burst = ", "burst = 0 #", 1);
        assert!(
            RateLimits::parse(&zero)
                .unwrap_err()
                .contains("burst 与 per_minute 都须大于 0"),
        );
        let unknown = format!("{SHIPPED}\n[upload_ip]\nburst = 1\nper_minute = 1\n");
        assert_eq!(
            RateLimits::parse(&unknown).unwrap_err(),
            "访问频率限制：未知的表 [upload_ip]"
        );
        let typo = SHIPPED.replacen("per_minute = ", "per_minut = ", 1);
        assert!(RateLimits::parse(&typo).unwrap_err().contains("per_minut"));
    }

    #[test]
    fn only_a_local_unproxied_peer_is_direct_local() {
        let loopback: IpAddr = "127.0.0.1".parse().unwrap();
        let loopback6: IpAddr = "::1".parse().unwrap();
        let outside: IpAddr = "203.0.113.9".parse().unwrap();
        assert!(is_direct_local(loopback, &[None, None, None]));
        assert!(is_direct_local(loopback6, &[None, None, None]));
        assert!(!is_direct_local(
            loopback,
            &[Some("198.51.100.7"), None, None]
        ));
        assert!(!is_direct_local(loopback, &[None, Some("127.0.0.1"), None]));
        assert!(!is_direct_local(
            loopback,
            &[None, None, Some("for=1.2.3.4")]
        ));
        // An empty header is still a proxy's word.
        assert!(!is_direct_local(loopback, &[Some(""), None, None]));
        assert!(!is_direct_local(outside, &[None, None, None]));
    }

    #[test]
    fn only_a_local_proxy_may_name_the_client() {
        let loopback: IpAddr = "127.0.0.1".parse().unwrap();
        let outside: IpAddr = "203.0.113.9".parse().unwrap();
        let named: IpAddr = "198.51.100.7".parse().unwrap();
        assert_eq!(client_ip(loopback, Some("198.51.100.7"), None), named);
        assert_eq!(
            client_ip(loopback, None, Some("10.0.0.1, 198.51.100.7")),
            named
        );
        assert_eq!(client_ip(loopback, Some("garbage"), None), loopback);
        assert_eq!(client_ip(loopback, None, None), loopback);
        assert_eq!(client_ip(outside, Some("198.51.100.7"), None), outside);
    }
}
