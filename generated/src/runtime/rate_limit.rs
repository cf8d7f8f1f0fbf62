//! Intercom's rate-limit headers (`X-RateLimit-Limit`, `-Remaining`, `-Reset`), parsed once per
//! response and carried by every client `Response` and every API error.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The rate-limit state a response reported. Each part is `None` when its header was missing or
/// not a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RateLimit {
    /// `X-RateLimit-Limit`: requests allowed per window.
    pub limit: Option<u64>,
    /// `X-RateLimit-Remaining`: requests left in the current window.
    pub remaining: Option<u64>,
    /// `X-RateLimit-Reset`: when the window resets, in Unix seconds.
    pub reset: Option<u64>,
}

impl RateLimit {
    /// Reads the three headers (names are case-insensitive; values must be decimal integers).
    pub fn from_headers(headers: &http::HeaderMap) -> RateLimit {
        let number = |name: &str| headers.get(name)?.to_str().ok()?.trim().parse::<u64>().ok();
        RateLimit {
            limit: number("x-ratelimit-limit"),
            remaining: number("x-ratelimit-remaining"),
            reset: number("x-ratelimit-reset"),
        }
    }

    /// Whether any of the headers was present.
    pub fn is_known(&self) -> bool {
        self.limit.is_some() || self.remaining.is_some() || self.reset.is_some()
    }

    /// How long until the window resets, seen from `now` (zero if it already has).
    pub fn reset_after(&self, now: SystemTime) -> Option<Duration> {
        let reset = UNIX_EPOCH + Duration::from_secs(self.reset?);
        Some(reset.duration_since(now).unwrap_or(Duration::ZERO))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_three_headers() {
        let mut headers = http::HeaderMap::new();
        headers.insert("X-RateLimit-Limit", "10000".parse().unwrap());
        headers.insert("x-ratelimit-remaining", " 9 ".parse().unwrap());
        headers.insert("X-RateLimit-Reset", "1700000060".parse().unwrap());
        let limit = RateLimit::from_headers(&headers);
        assert_eq!(limit, RateLimit { limit: Some(10000), remaining: Some(9), reset: Some(1_700_000_060) });
        let now = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        assert_eq!(limit.reset_after(now), Some(Duration::from_secs(60)));
        assert_eq!(limit.reset_after(now + Duration::from_secs(100)), Some(Duration::ZERO));
    }

    #[test]
    fn garbage_is_unknown() {
        let mut headers = http::HeaderMap::new();
        headers.insert("x-ratelimit-remaining", "-1".parse().unwrap());
        headers.insert("x-ratelimit-limit", "lots".parse().unwrap());
        assert_eq!(RateLimit::from_headers(&headers), RateLimit::default());
        assert!(!RateLimit::default().is_known());
    }
}
