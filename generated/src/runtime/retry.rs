//! The retry policy, sans-IO: which failures are retried and how long to wait before the next
//! attempt. The client sleeps; this module only decides.
//!
//! - Retried statuses: 408, 429, 500, 502, 503, 504; and a connection that failed before a
//!   response arrived.
//! - Idempotent methods (`GET`, `HEAD`, `PUT`, `DELETE`, `OPTIONS`, `TRACE`) are retried on all of
//!   them. Other methods (`POST`, `PATCH`) only where a repeat cannot duplicate a side effect: a 429
//!   (Intercom refused the request unprocessed) and a connection that failed before the request was
//!   written.
//! - The wait is the server's when it gives one: `Retry-After` (seconds or an HTTP date), else on a
//!   429 `X-RateLimit-Reset` (Unix seconds). Otherwise exponential backoff with full jitter: a
//!   random wait between zero and `initial_backoff × 2^retry`, at most `max_backoff`.
//! - A server's wait longer than `max_wait` is not waited out: the call returns the error at once,
//!   with the wait in [`Error::retry_after`](super::Error::retry_after), instead of sleeping part
//!   of it and sending a request the server asked not to see. The client does the same when the
//!   wait would pass the call's `deadline` (attempts and waits together).
//! - A timeout is not retried: the timeout is the caller's budget for the attempt.

use std::hash::{BuildHasher, Hasher};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use super::rate_limit::RateLimit;

/// How many times and how patiently a call is retried. Set per client
/// (`ClientBuilder::retry_policy`, `ClientBuilder::max_retries`) and per call
/// (`Call::retry_policy`, `Call::max_retries`). The state of the retries (attempts made so far)
/// belongs to one call, never to the client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct RetryPolicy {
    /// Retries after the first attempt; 0 disables retrying. Default [`DEFAULT_MAX_RETRIES`].
    pub max_retries: u32,
    /// The backoff bound before the first retry, doubled for each further one. Default 500 ms.
    pub initial_backoff: Duration,
    /// The largest backoff bound (before jitter). Default 30 s.
    pub max_backoff: Duration,
    /// The longest wait before a retry. A server that asks for a longer one (`Retry-After: 3600`)
    /// is not retried: the call returns its error at once. Default 60 s.
    pub max_wait: Duration,
    /// The most time a whole call may take, attempts and waits together (each attempt is also
    /// bounded by the per-attempt timeout). A wait that would pass it is not started: the call
    /// returns its last error at once. `None` (the default): no overall deadline.
    pub deadline: Option<Duration>,
    /// Full jitter (a uniformly random wait up to the bound); `false` waits the bound itself,
    /// which makes delays predictable in tests. Default `true`.
    pub jitter: bool,
}

/// Retries of a call unless configured otherwise.
pub const DEFAULT_MAX_RETRIES: u32 = 2;

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: DEFAULT_MAX_RETRIES,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(30),
            max_wait: Duration::from_secs(60),
            deadline: None,
            jitter: true,
        }
    }
}

/// What an attempt ended with, as far as retrying is concerned.
#[derive(Debug, Clone, Copy)]
pub enum AttemptOutcome<'a> {
    /// A response arrived with this status and these headers.
    Response(http::StatusCode, &'a http::HeaderMap),
    /// The connection failed before the request was written (refused, DNS, TLS handshake).
    NotSent,
    /// The connection failed after the request may have been written, before a response.
    Interrupted,
}

/// Why a retry waits as long as it does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DelaySource {
    /// The `Retry-After` header.
    RetryAfter,
    /// The `X-RateLimit-Reset` header of a 429.
    RateLimitReset,
    /// Exponential backoff (with jitter unless turned off).
    Backoff,
}

impl RetryPolicy {
    /// A policy that never retries.
    pub fn none() -> RetryPolicy {
        RetryPolicy { max_retries: 0, ..RetryPolicy::default() }
    }

    pub fn with_max_retries(mut self, retries: u32) -> Self {
        self.max_retries = retries;
        self
    }

    pub fn with_initial_backoff(mut self, backoff: Duration) -> Self {
        self.initial_backoff = backoff;
        self
    }

    pub fn with_max_backoff(mut self, backoff: Duration) -> Self {
        self.max_backoff = backoff;
        self
    }

    pub fn with_max_wait(mut self, wait: Duration) -> Self {
        self.max_wait = wait;
        self
    }

    /// The overall deadline of a call (see [`RetryPolicy::deadline`]).
    pub fn with_deadline(mut self, deadline: Duration) -> Self {
        self.deadline = Some(deadline);
        self
    }

    pub fn with_jitter(mut self, jitter: bool) -> Self {
        self.jitter = jitter;
        self
    }

    /// The wait before retrying after `outcome`, or `None` when it is not retried: the failure is
    /// not retryable for `method`, `retries_done` retries were already made, or the server asked
    /// for a wait longer than `max_wait`. `now` reads HTTP dates and `X-RateLimit-Reset`; `random`
    /// is the jitter source.
    pub fn delay(
        &self,
        method: &http::Method,
        outcome: AttemptOutcome<'_>,
        retries_done: u32,
        now: SystemTime,
        random: u64,
    ) -> Option<(Duration, DelaySource)> {
        if retries_done >= self.max_retries || !is_retryable(method, outcome) {
            return None;
        }
        let hint = match outcome {
            AttemptOutcome::Response(status, headers) => server_delay(status, headers, now),
            _ => None,
        };
        match hint {
            // Waiting part of it would only send a request the server said it would refuse.
            Some((wait, _)) if wait > self.max_wait => None,
            Some(hint) => Some(hint),
            None => Some((self.backoff(retries_done, random).min(self.max_wait), DelaySource::Backoff)),
        }
    }

    /// The backoff before retry number `retries_done + 1`.
    fn backoff(&self, retries_done: u32, random: u64) -> Duration {
        let factor = 1u32.checked_shl(retries_done.min(31)).unwrap_or(u32::MAX);
        let bound = self.initial_backoff.saturating_mul(factor).min(self.max_backoff);
        if !self.jitter {
            return bound;
        }
        // A uniformly random point of [0, bound], at nanosecond resolution.
        let nanos = bound.as_nanos().min(u64::MAX as u128) as u64;
        let scaled = (u128::from(random) * u128::from(nanos)) >> 64;
        Duration::from_nanos(scaled as u64)
    }
}

/// Whether `method` is safe to repeat on every retryable failure.
pub fn is_idempotent(method: &http::Method) -> bool {
    matches!(
        *method,
        http::Method::GET
            | http::Method::HEAD
            | http::Method::PUT
            | http::Method::DELETE
            | http::Method::OPTIONS
            | http::Method::TRACE
    )
}

/// Whether the status is one of those retried (408, 429, 500, 502, 503, 504).
pub fn is_retryable_status(status: http::StatusCode) -> bool {
    matches!(status.as_u16(), 408 | 429 | 500 | 502 | 503 | 504)
}

fn is_retryable(method: &http::Method, outcome: AttemptOutcome<'_>) -> bool {
    match outcome {
        AttemptOutcome::NotSent => true,
        AttemptOutcome::Interrupted => is_idempotent(method),
        AttemptOutcome::Response(status, _) if status == http::StatusCode::TOO_MANY_REQUESTS => true,
        AttemptOutcome::Response(status, _) => is_retryable_status(status) && is_idempotent(method),
    }
}

/// The wait the server asked for: `Retry-After`, else on a 429 `X-RateLimit-Reset`.
pub fn server_delay(
    status: http::StatusCode,
    headers: &http::HeaderMap,
    now: SystemTime,
) -> Option<(Duration, DelaySource)> {
    if let Some(value) = headers.get(http::header::RETRY_AFTER).and_then(|v| v.to_str().ok()) {
        let value = value.trim();
        if let Ok(seconds) = value.parse::<u64>() {
            return Some((Duration::from_secs(seconds), DelaySource::RetryAfter));
        }
        if let Some(at) = parse_http_date(value) {
            return Some((at.duration_since(now).unwrap_or(Duration::ZERO), DelaySource::RetryAfter));
        }
    }
    if status == http::StatusCode::TOO_MANY_REQUESTS {
        if let Some(wait) = RateLimit::from_headers(headers).reset_after(now) {
            return Some((wait, DelaySource::RateLimitReset));
        }
    }
    None
}

/// An IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), the HTTP date format servers must send.
pub fn parse_http_date(text: &str) -> Option<SystemTime> {
    let rest = text.split_once(", ")?.1;
    let mut parts = rest.split(' ');
    let day: u64 = parts.next()?.parse().ok()?;
    let month = match parts.next()? {
        "Jan" => 1,
        "Feb" => 2,
        "Mar" => 3,
        "Apr" => 4,
        "May" => 5,
        "Jun" => 6,
        "Jul" => 7,
        "Aug" => 8,
        "Sep" => 9,
        "Oct" => 10,
        "Nov" => 11,
        "Dec" => 12,
        _ => return None,
    };
    let year: i64 = parts.next()?.parse().ok()?;
    let mut clock = parts.next()?.split(':').map(|p| p.parse::<u64>().ok());
    let (h, m, s) = (clock.next()??, clock.next()??, clock.next()??);
    if parts.next()? != "GMT" || parts.next().is_some() || !(1..=31).contains(&day) || h > 23 || m > 59 || s > 60 {
        return None;
    }
    let days = days_from_civil(year, month, day as i64);
    let seconds = u64::try_from(days).ok()? * 86_400 + h * 3600 + m * 60 + s;
    Some(UNIX_EPOCH + Duration::from_secs(seconds))
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// A random number for jitter, from the standard library's randomly keyed hasher.
pub fn random_u64() -> u64 {
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u64(SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_nanos() as u64));
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    const GET: http::Method = http::Method::GET;
    const POST: http::Method = http::Method::POST;

    fn status(code: u16) -> http::StatusCode {
        http::StatusCode::from_u16(code).unwrap()
    }

    fn fixed() -> RetryPolicy {
        RetryPolicy::default().with_jitter(false)
    }

    #[test]
    fn http_dates() {
        let t = parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT").unwrap();
        assert_eq!(t.duration_since(UNIX_EPOCH).unwrap().as_secs(), 784_111_777);
        let t = parse_http_date("Thu, 29 Feb 2024 00:00:00 GMT").unwrap();
        assert_eq!(t.duration_since(UNIX_EPOCH).unwrap().as_secs(), 1_709_164_800);
        for bad in
            ["", "yesterday", "Sun, 06 Nov 1994 08:49:37 CET", "Sun, 32 Nov 1994 08:49:37 GMT", "Sun, 06 Nov 1994"]
        {
            assert_eq!(parse_http_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn which_failures_are_retried() {
        let headers = http::HeaderMap::new();
        let now = UNIX_EPOCH;
        for code in [408, 429, 500, 502, 503, 504] {
            assert!(fixed().delay(&GET, AttemptOutcome::Response(status(code), &headers), 0, now, 0).is_some());
        }
        for code in [400, 401, 403, 404, 409, 422, 501] {
            assert!(fixed().delay(&GET, AttemptOutcome::Response(status(code), &headers), 0, now, 0).is_none());
        }
        // POST: only 429 and a request never written.
        assert!(fixed().delay(&POST, AttemptOutcome::Response(status(429), &headers), 0, now, 0).is_some());
        for code in [408, 500, 502, 503, 504] {
            assert!(fixed().delay(&POST, AttemptOutcome::Response(status(code), &headers), 0, now, 0).is_none());
        }
        assert!(fixed().delay(&POST, AttemptOutcome::NotSent, 0, now, 0).is_some());
        assert!(fixed().delay(&POST, AttemptOutcome::Interrupted, 0, now, 0).is_none());
        assert!(fixed().delay(&http::Method::PATCH, AttemptOutcome::Interrupted, 0, now, 0).is_none());
        assert!(fixed().delay(&GET, AttemptOutcome::Interrupted, 0, now, 0).is_some());
        // The budget.
        assert!(fixed().delay(&GET, AttemptOutcome::NotSent, 2, now, 0).is_none());
        assert!(RetryPolicy::none().delay(&GET, AttemptOutcome::NotSent, 0, now, 0).is_none());
    }

    #[test]
    fn server_hints_win_and_are_capped() {
        let now = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let mut headers = http::HeaderMap::new();
        headers.insert("retry-after", "7".parse().unwrap());
        headers.insert("x-ratelimit-reset", "1700000030".parse().unwrap());
        let on = |h: &http::HeaderMap, code| fixed().delay(&GET, AttemptOutcome::Response(status(code), h), 0, now, 0);
        assert_eq!(on(&headers, 429), Some((Duration::from_secs(7), DelaySource::RetryAfter)));
        headers.remove("retry-after");
        assert_eq!(on(&headers, 429), Some((Duration::from_secs(30), DelaySource::RateLimitReset)));
        // Reset is a rate-limit hint only.
        assert_eq!(on(&headers, 503), Some((Duration::from_millis(500), DelaySource::Backoff)));
        headers.insert("retry-after", "Tue, 14 Nov 2023 22:13:40 GMT".parse().unwrap());
        assert_eq!(on(&headers, 503), Some((Duration::from_secs(20), DelaySource::RetryAfter)));
        // A wait beyond `max_wait` is not retried at all (not cut short and retried early).
        headers.insert("retry-after", "60".parse().unwrap());
        assert_eq!(on(&headers, 503), Some((Duration::from_secs(60), DelaySource::RetryAfter)));
        headers.insert("retry-after", "61".parse().unwrap());
        assert_eq!(on(&headers, 503), None);
        headers.insert("retry-after", "3600".parse().unwrap());
        assert_eq!(on(&headers, 429), None);
        headers.remove("retry-after");
        headers.insert("x-ratelimit-reset", "1700003600".parse().unwrap());
        assert_eq!(on(&headers, 429), None);
    }

    #[test]
    fn backoff_doubles_up_to_its_cap_and_jitter_stays_below_the_bound() {
        let policy = fixed().with_max_retries(10);
        let delays: Vec<u64> = (0..8)
            .map(|n| policy.delay(&GET, AttemptOutcome::NotSent, n, UNIX_EPOCH, 0).unwrap().0.as_millis() as u64)
            .collect();
        assert_eq!(delays, [500, 1000, 2000, 4000, 8000, 16000, 30000, 30000]);
        let jittered = RetryPolicy::default().with_max_retries(40);
        for n in 0..40 {
            for random in [0, 1, u64::MAX / 3, u64::MAX] {
                let (d, _) = jittered.delay(&GET, AttemptOutcome::NotSent, n, UNIX_EPOCH, random).unwrap();
                assert!(d <= Duration::from_secs(30), "{d:?}");
            }
        }
        let (zero, _) = jittered.delay(&GET, AttemptOutcome::NotSent, 3, UNIX_EPOCH, 0).unwrap();
        assert_eq!(zero, Duration::ZERO);
        let (top, _) = jittered.delay(&GET, AttemptOutcome::NotSent, 3, UNIX_EPOCH, u64::MAX).unwrap();
        assert!(top > Duration::from_millis(3999) && top <= Duration::from_secs(4), "{top:?}");
    }
}
