//! The retry policy: which failed attempts are repeated, and how long to wait before each repeat.
//!
//! Everything here is a pure function of its inputs (the random source is passed in), so the
//! whole policy is pinned down by the table tests at the bottom of this file. The send loop in
//! `call.rs` only asks [`decide`] and obeys.

use std::time::{Duration, SystemTime};

use reqwest::header::{HeaderMap, RETRY_AFTER};
use reqwest::{Method, StatusCode};

use crate::error::NotRetried;

/// Retry settings of a client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RetryConfig {
    /// Retries after the first attempt, when a call does not say otherwise.
    pub(crate) max_retries: u32,
    /// When false, calls make one attempt unless they ask for retries themselves.
    pub(crate) enabled: bool,
    /// The base wait before the first retry; it doubles for each further retry.
    pub(crate) initial_backoff: Duration,
    /// The ceiling of the exponential wait.
    pub(crate) max_backoff: Duration,
    /// The longest `Retry-After` the client will sleep through; a server asking for more gets
    /// its error handed straight back to the caller instead.
    pub(crate) max_retry_after: Duration,
}

impl Default for RetryConfig {
    fn default() -> Self {
        RetryConfig {
            max_retries: 2,
            enabled: true,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(8),
            max_retry_after: Duration::from_secs(60),
        }
    }
}

impl RetryConfig {
    /// The retry count a call gets when it sets none itself.
    pub(crate) fn default_retries(&self) -> u32 {
        if self.enabled { self.max_retries } else { 0 }
    }
}

/// What went wrong with one attempt, reduced to what the policy needs to know.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Failure {
    /// Connecting failed (TCP, TLS or proxy handshake), so no byte of the request was sent.
    Connect,
    /// The attempt ran out of time; the server may or may not have received and acted on it.
    Timeout,
    /// The connection broke after the request started going out, or while reading the answer.
    ConnectionLost,
    /// The server answered with this non-success status.
    Status(StatusCode),
}

/// The policy's judgement of one failure, before counting retries or time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// Safe to repeat, and repeating may succeed.
    Retry,
    /// Repeating would get the same answer (4xx other than 429, 500, ...).
    Final,
    /// Repeating may succeed, but the request may have reached the server and its method is not
    /// idempotent, so a repeat could act twice.
    Unsafe,
}

/// Methods whose repetition has the same effect as doing them once (RFC 9110, section 9.2.2).
pub(crate) fn is_idempotent(method: &Method) -> bool {
    matches!(
        *method,
        Method::GET | Method::HEAD | Method::OPTIONS | Method::PUT | Method::DELETE | Method::TRACE
    )
}

/// Judges one failed attempt.
///
/// - A failed connect sent nothing, so it is retried whatever the method.
/// - 429 means the server turned the request away without acting on it: retried for any method.
/// - 502, 503 and 504 come from gateways and overloaded backends and are usually transient, but
///   the backend may have acted before the gateway gave up. Retried for idempotent methods only.
/// - Timeouts and connections lost after sending: the same reasoning as 502-504.
/// - Every other status is the server's considered answer and is returned as it is.
pub(crate) fn verdict(idempotent: bool, failure: Failure) -> Verdict {
    let transient = if idempotent {
        Verdict::Retry
    } else {
        Verdict::Unsafe
    };
    match failure {
        Failure::Connect => Verdict::Retry,
        Failure::Status(StatusCode::TOO_MANY_REQUESTS) => Verdict::Retry,
        Failure::Status(
            StatusCode::BAD_GATEWAY | StatusCode::SERVICE_UNAVAILABLE | StatusCode::GATEWAY_TIMEOUT,
        ) => transient,
        Failure::Status(_) => Verdict::Final,
        Failure::Timeout | Failure::ConnectionLost => transient,
    }
}

/// How much retrying a call has left.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Budget {
    /// Retries already made.
    pub(crate) retries_done: u32,
    /// Retries allowed for this call.
    pub(crate) max_retries: u32,
    /// Time left before the call's overall deadline.
    pub(crate) remaining: Duration,
}

/// What the send loop does after a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Decision {
    /// Sleep this long, then try again.
    Retry(Duration),
    /// Return the error, with the reason when a transient failure was kept from retrying.
    Stop(Option<NotRetried>),
}

/// Decides whether to retry after `failure`, and after how long.
///
/// A `Retry-After` the server sent is honoured exactly (it knows its own load better than our
/// backoff does) unless it exceeds the configured cap, in which case the error goes back to the
/// caller at once with `retry_after` filled in: sleeping a capped amount would only earn another
/// 429. A wait that would not end before the deadline also stops, since the retry could not
/// finish in time anyway.
pub(crate) fn decide(
    idempotent: bool,
    failure: Failure,
    retry_after: Option<Duration>,
    budget: Budget,
    config: &RetryConfig,
    rng: &mut fastrand::Rng,
) -> Decision {
    match verdict(idempotent, failure) {
        Verdict::Final => Decision::Stop(None),
        Verdict::Unsafe => Decision::Stop(Some(NotRetried::NotIdempotent)),
        Verdict::Retry => {
            if budget.retries_done >= budget.max_retries {
                return Decision::Stop(None);
            }
            let wait = match retry_after {
                Some(wait) if wait > config.max_retry_after => return Decision::Stop(None),
                Some(wait) => wait,
                None => backoff(
                    budget.retries_done + 1,
                    config.initial_backoff,
                    config.max_backoff,
                    rng,
                ),
            };
            if wait >= budget.remaining {
                Decision::Stop(None)
            } else {
                Decision::Retry(wait)
            }
        }
    }
}

/// The wait before retry number `retry` (1 for the first): `initial * 2^(retry-1)`, capped at
/// `max`, then jittered uniformly into its upper half.
///
/// The jitter spreads out clients that failed together so they do not return together; keeping
/// the lower half out guarantees each wait is at least half the nominal one, so an overloaded
/// server still gets its breathing room.
pub(crate) fn backoff(
    retry: u32,
    initial: Duration,
    max: Duration,
    rng: &mut fastrand::Rng,
) -> Duration {
    let factor = 2u32.saturating_pow(retry.saturating_sub(1));
    let nominal = initial.saturating_mul(factor).min(max);
    let floor = nominal / 2;
    floor + (nominal - floor).mul_f64(rng.f64())
}

/// Reads `Retry-After` as delta-seconds (`"120"`, fractions tolerated) or as an HTTP date, which
/// is turned into a wait relative to `now` (a date in the past means "now").
pub(crate) fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    if let Ok(seconds) = value.parse::<f64>() {
        return Duration::try_from_secs_f64(seconds).ok();
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(date.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    const POST: Method = Method::POST;
    const PATCH: Method = Method::PATCH;
    const PUT: Method = Method::PUT;
    const GET: Method = Method::GET;
    const DELETE: Method = Method::DELETE;

    fn status(code: u16) -> Failure {
        Failure::Status(StatusCode::from_u16(code).unwrap())
    }

    #[test]
    fn verdict_table() {
        use Verdict::*;
        let table = [
            (GET, Failure::Connect, Retry),
            (POST, Failure::Connect, Retry),
            (PATCH, Failure::Connect, Retry),
            (GET, status(429), Retry),
            (POST, status(429), Retry),
            (PUT, status(502), Retry),
            (PUT, status(503), Retry),
            (DELETE, status(504), Retry),
            (GET, status(503), Retry),
            (POST, status(502), Unsafe),
            (POST, status(503), Unsafe),
            (POST, status(504), Unsafe),
            (PATCH, status(503), Unsafe),
            (GET, Failure::Timeout, Retry),
            (POST, Failure::Timeout, Unsafe),
            (GET, Failure::ConnectionLost, Retry),
            (POST, Failure::ConnectionLost, Unsafe),
            (PATCH, Failure::ConnectionLost, Unsafe),
            (GET, status(500), Final),
            (POST, status(500), Final),
            (PUT, status(501), Final),
            (PUT, status(400), Final),
            (POST, status(401), Final),
            (GET, status(404), Final),
            (PUT, status(409), Final),
        ];
        for (method, failure, expected) in table {
            assert_eq!(
                verdict(is_idempotent(&method), failure),
                expected,
                "{method} {failure:?}"
            );
        }
    }

    #[test]
    fn idempotent_methods() {
        for method in [
            GET,
            Method::HEAD,
            Method::OPTIONS,
            PUT,
            DELETE,
            Method::TRACE,
        ] {
            assert!(is_idempotent(&method), "{method}");
        }
        for method in [POST, PATCH, Method::CONNECT] {
            assert!(!is_idempotent(&method), "{method}");
        }
    }

    fn config() -> RetryConfig {
        RetryConfig {
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_secs(1),
            ..RetryConfig::default()
        }
    }

    fn budget(retries_done: u32) -> Budget {
        Budget {
            retries_done,
            max_retries: 2,
            remaining: Duration::from_secs(120),
        }
    }

    fn decide_with(
        method: &Method,
        failure: Failure,
        retry_after: Option<Duration>,
        budget: Budget,
    ) -> Decision {
        decide(
            is_idempotent(method),
            failure,
            retry_after,
            budget,
            &config(),
            &mut fastrand::Rng::with_seed(7),
        )
    }

    #[test]
    fn retries_until_budget_spent() {
        assert!(matches!(
            decide_with(&PUT, status(503), None, budget(0)),
            Decision::Retry(_)
        ));
        assert!(matches!(
            decide_with(&PUT, status(503), None, budget(1)),
            Decision::Retry(_)
        ));
        assert_eq!(
            decide_with(&PUT, status(503), None, budget(2)),
            Decision::Stop(None)
        );
    }

    #[test]
    fn zero_retries_never_retry() {
        let none = Budget {
            max_retries: 0,
            ..budget(0)
        };
        assert_eq!(
            decide_with(&GET, Failure::Connect, None, none),
            Decision::Stop(None)
        );
    }

    #[test]
    fn unsafe_failures_stop_with_reason_even_with_budget() {
        for failure in [status(503), Failure::Timeout, Failure::ConnectionLost] {
            assert_eq!(
                decide_with(&POST, failure, None, budget(0)),
                Decision::Stop(Some(NotRetried::NotIdempotent)),
                "{failure:?}"
            );
        }
    }

    #[test]
    fn retry_after_is_used_exactly() {
        assert_eq!(
            decide_with(&POST, status(429), Some(Duration::from_secs(3)), budget(0)),
            Decision::Retry(Duration::from_secs(3))
        );
    }

    #[test]
    fn retry_after_above_cap_stops() {
        assert_eq!(
            decide_with(&POST, status(429), Some(Duration::from_secs(61)), budget(0)),
            Decision::Stop(None)
        );
        assert_eq!(
            decide_with(&POST, status(429), Some(Duration::from_secs(60)), budget(0)),
            Decision::Retry(Duration::from_secs(60))
        );
    }

    #[test]
    fn wait_past_deadline_stops() {
        let short = Budget {
            remaining: Duration::from_secs(2),
            ..budget(0)
        };
        assert_eq!(
            decide_with(&GET, status(429), Some(Duration::from_secs(5)), short),
            Decision::Stop(None)
        );
    }

    #[test]
    fn backoff_bounds() {
        let mut rng = fastrand::Rng::with_seed(1);
        let initial = Duration::from_millis(100);
        let max = Duration::from_millis(1000);
        for _ in 0..1000 {
            for (retry, nominal) in [
                (1, 100),
                (2, 200),
                (3, 400),
                (4, 800),
                (5, 1000),
                (40, 1000),
            ] {
                let wait = backoff(retry, initial, max, &mut rng);
                let nominal = Duration::from_millis(nominal);
                assert!(wait >= nominal / 2 && wait <= nominal, "{retry}: {wait:?}");
            }
        }
    }

    #[test]
    fn backoff_is_jittered() {
        let mut rng = fastrand::Rng::with_seed(3);
        let waits: std::collections::BTreeSet<_> = (0..20)
            .map(|_| {
                backoff(
                    3,
                    Duration::from_millis(100),
                    Duration::from_secs(10),
                    &mut rng,
                )
            })
            .collect();
        assert!(waits.len() > 10, "{waits:?}");
    }

    #[test]
    fn backoff_survives_huge_inputs() {
        let mut rng = fastrand::Rng::with_seed(5);
        let wait = backoff(u32::MAX, Duration::MAX, Duration::from_secs(30), &mut rng);
        assert!(wait <= Duration::from_secs(30));
    }

    fn headers(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(RETRY_AFTER, value.parse().unwrap());
        headers
    }

    #[test]
    fn retry_after_delta_seconds() {
        let now = SystemTime::now();
        assert_eq!(
            retry_after(&headers("1"), now),
            Some(Duration::from_secs(1))
        );
        assert_eq!(
            retry_after(&headers(" 120 "), now),
            Some(Duration::from_secs(120))
        );
        assert_eq!(
            retry_after(&headers("0.5"), now),
            Some(Duration::from_millis(500))
        );
        assert_eq!(retry_after(&headers("-1"), now), None);
        assert_eq!(retry_after(&headers("soon"), now), None);
        assert_eq!(retry_after(&HeaderMap::new(), now), None);
    }

    #[test]
    fn retry_after_http_date() {
        let now = httpdate::parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT").unwrap();
        assert_eq!(
            retry_after(&headers("Sun, 06 Nov 1994 08:50:07 GMT"), now),
            Some(Duration::from_secs(30))
        );
        // A date already past means the server is ready now.
        assert_eq!(
            retry_after(&headers("Sun, 06 Nov 1994 08:00:00 GMT"), now),
            Some(Duration::ZERO)
        );
    }

    #[test]
    fn retry_after_http_date_beyond_cap_stops() {
        let now = httpdate::parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT").unwrap();
        let wait = retry_after(&headers("Sun, 06 Nov 1994 09:49:37 GMT"), now);
        assert_eq!(wait, Some(Duration::from_secs(3600)));
        assert_eq!(
            decide_with(&GET, status(503), wait, budget(0)),
            Decision::Stop(None)
        );
    }

    #[test]
    fn disabled_config_defaults_to_zero_retries() {
        let config = RetryConfig {
            enabled: false,
            ..RetryConfig::default()
        };
        assert_eq!(config.default_retries(), 0);
        assert_eq!(RetryConfig::default().default_retries(), 2);
    }
}
