//! Client-side pacing, sans-IO: from the rate-limit headers of every response, decide when the
//! next request may go so that concurrent tasks stay under Intercom's window instead of
//! discovering it by 429. The client holds one [`Pacer`] per `Client` (shared by its clones),
//! asks it before every attempt and tells it every response; this module only decides.
//!
//! Intercom's limits (the "Rate Limiting" reference,
//! <https://developers.intercom.com/docs/references/rest-api/errors/rate-limiting/> and
//! <https://developers.intercom.com/docs/references/2.0/rest-api/errors/rate-limiting>): every
//! response carries `X-RateLimit-Limit`, `X-RateLimit-Remaining` and `X-RateLimit-Reset` (Unix
//! seconds), a 429 too; private apps get 10,000 calls per minute per app and 25,000 per
//! workspace (the 2.0 page); the reference's own example shows the reset moving 10 s at a time,
//! and Intercom's support answers that the allowance is distributed over 10-second periods
//! (<https://community.intercom.com/api-webhooks-23/what-is-the-current-api-rate-limit-218>):
//! a burst hits 429 well under the per-minute figure.
//!
//! The rule: the allowance left in the window (`remaining`, less a safety margin, less the
//! requests granted since, sent or waiting for their slot, which the server has not counted in
//! what it reported) is spread evenly over the time left until the reset after the last slot
//! handed out, one request every `time left / allowance`. Before the first answer nothing is
//! known, so the first requests go at once (as many as the caller runs concurrently). When
//! nothing is left the next request waits for the reset plus a random part of one interval of
//! the next window, so that neither the tasks of this client nor several processes (which cannot
//! share this state) wake together into the new window. A 429 carries the headers too, so it
//! updates the state like any response: the server is the authority.
//!
//! Without the headers (a proxy strips them, a mock server) the pacer never delays anything.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use super::rate_limit::RateLimit;

/// The window length Intercom documents (see the module docs), used until two responses with
/// different resets show the real one.
pub const DOCUMENTED_WINDOW: Duration = Duration::from_secs(10);

/// Added to the reset the server names before a request counts on the new window: the reset is
/// read against this machine's clock, which may trail the server's by a little.
const RESET_GUARD: Duration = Duration::from_millis(10);

/// How a client paces its requests. On by default ([`Pacing::default`]); [`Pacing::off`] sends
/// every request at once, as before pacing existed (429s are still retried).
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub struct Pacing {
    /// Whether requests wait for their slot at all. The state (and `Client::rate_limit`) is kept
    /// either way.
    pub enabled: bool,
    /// The part of each window's allowance left unspent, from 0.0 to 0.5 (at least one request
    /// when above zero): room for the other apps and processes of the workspace and for the
    /// requests this client cannot see. Default 0.03.
    pub safety_margin: f64,
    /// The most requests per window this client spends, when lower than the server's limit (to
    /// leave the rest of a shared workspace limit to others). Default `None`: the server's limit.
    pub budget: Option<u64>,
}

impl Default for Pacing {
    fn default() -> Self {
        Pacing { enabled: true, safety_margin: 0.03, budget: None }
    }
}

impl Pacing {
    /// No pacing: every request goes at once (the client still records the rate limit).
    pub fn off() -> Pacing {
        Pacing { enabled: false, ..Pacing::default() }
    }

    /// The share of each window left unspent, clamped to 0.0..=0.5 (not a number counts as 0).
    pub fn with_safety_margin(mut self, margin: f64) -> Self {
        self.safety_margin = if margin.is_nan() { 0.0 } else { margin.clamp(0.0, 0.5) };
        self
    }

    /// At most `requests` per window (at least 1).
    pub fn with_budget(mut self, requests: u64) -> Self {
        self.budget = Some(requests.max(1));
        self
    }

    /// Requests per window this client plans to spend of a server `limit`.
    fn usable(&self, limit: u64) -> u64 {
        let limit = self.budget.map_or(limit, |budget| budget.min(limit));
        let margin = if self.safety_margin > 0.0 { ((limit as f64) * self.safety_margin).ceil().max(1.0) } else { 0.0 };
        limit.saturating_sub(margin as u64)
    }
}

/// The window the latest responses describe.
#[derive(Debug, Clone, Copy)]
struct Window {
    /// `X-RateLimit-Reset` as sent (Unix seconds): it names the window.
    reset: u64,
    /// When the window ends on the pacer's clock (fixed when the window is first seen).
    ends_at: Duration,
    limit: u64,
    /// The least `X-RateLimit-Remaining` reported for this window (responses may arrive out of
    /// order; the smallest is the latest the server counted).
    remaining: u64,
}

/// The pacing state of one client. Times are durations on a monotonic clock the caller chooses
/// (the client uses tokio's, so a paused test clock paces in virtual time); `unix_now` is the
/// wall clock, only to read `X-RateLimit-Reset`.
#[derive(Debug, Clone)]
pub struct Pacer {
    config: Pacing,
    latest: RateLimit,
    window: Option<Window>,
    /// The window length: the shortest step between two resets once seen (an idle client may
    /// skip windows); before that the time to the first reset seen (a window is at least that
    /// long, in whole seconds: the reset's resolution), at most [`DOCUMENTED_WINDOW`].
    window_length: Duration,
    /// Whether `window_length` comes from two resets.
    length_measured: bool,
    /// When the last request granted goes.
    last_grant: Duration,
    /// When the next request may go.
    next_slot: Duration,
    /// The time between two requests.
    interval: Duration,
    /// Requests granted whose response has not been observed.
    in_flight: u64,
}

impl Pacer {
    pub fn new(config: Pacing) -> Pacer {
        Pacer {
            config,
            latest: RateLimit::default(),
            window: None,
            window_length: DOCUMENTED_WINDOW,
            length_measured: false,
            last_grant: Duration::ZERO,
            next_slot: Duration::ZERO,
            interval: Duration::ZERO,
            in_flight: 0,
        }
    }

    pub fn config(&self) -> Pacing {
        self.config
    }

    /// The rate limit of the latest response (all `None` before any or without the headers).
    pub fn latest(&self) -> RateLimit {
        self.latest
    }

    /// Requests granted and not yet answered.
    pub fn in_flight(&self) -> u64 {
        self.in_flight
    }

    /// A request wants to go at `now`: how long it must wait first (zero: at once). The slot is
    /// taken, so the caller must send after the wait and call [`Pacer::observe`] or
    /// [`Pacer::abandon`] when the attempt ends.
    pub fn grant(&mut self, now: Duration, random: u64) -> Duration {
        self.in_flight += 1;
        if !self.config.enabled || self.window.is_none() {
            self.last_grant = self.last_grant.max(now);
            return Duration::ZERO;
        }
        if let Some(window) = self.window {
            if now >= window.ends_at && self.next_slot <= window.ends_at {
                // The window ended without news from the next one: pace at the full rate of a
                // fresh window, from a random point of its first interval.
                self.interval = self.fresh_interval(window.limit);
                self.next_slot = window.ends_at + jitter(self.interval, random);
            }
        }
        let slot = self.next_slot.max(now);
        self.last_grant = slot;
        self.next_slot = slot + self.interval;
        slot - now
    }

    /// An attempt ended without a response (a transport failure, a timeout, a dropped call).
    pub fn abandon(&mut self) {
        self.in_flight = self.in_flight.saturating_sub(1);
    }

    /// An attempt ended with a response reporting `rate_limit` (a success or an error, a 429
    /// above all), observed at `now`.
    pub fn observe(&mut self, rate_limit: &RateLimit, now: Duration, unix_now: SystemTime, random: u64) {
        self.abandon();
        if rate_limit.is_known() {
            self.latest = *rate_limit;
        }
        let (Some(limit), Some(remaining), Some(reset)) = (rate_limit.limit, rate_limit.remaining, rate_limit.reset)
        else {
            return;
        };
        match &mut self.window {
            Some(window) if reset < window.reset => {} // an answer from a window already over
            Some(window) if reset == window.reset => {
                window.remaining = window.remaining.min(remaining);
                window.limit = limit;
            }
            previous => {
                let until_reset =
                    (UNIX_EPOCH + Duration::from_secs(reset)).duration_since(unix_now).unwrap_or_default();
                let step = previous.map(|old| Duration::from_secs(reset - old.reset));
                match step {
                    Some(step) if step <= DOCUMENTED_WINDOW * 6 => {
                        let shortest = if self.length_measured { self.window_length.min(step) } else { step };
                        self.window_length = shortest;
                        self.length_measured = true;
                    }
                    _ if !self.length_measured => {
                        self.window_length = until_reset.max(Duration::from_secs(1)).min(DOCUMENTED_WINDOW);
                    }
                    _ => {}
                }
                *previous = Some(Window { reset, ends_at: now + until_reset + RESET_GUARD, limit, remaining });
            }
        }
        self.reschedule(now, random);
    }

    /// Spreads what is left of the window over the time left in it. The requests already granted,
    /// sent or still waiting for their slot, count against what the server reported: it has not
    /// seen them yet.
    fn reschedule(&mut self, now: Duration, random: u64) {
        let Some(window) = self.window else { return };
        let from = now.max(self.last_grant);
        if from >= window.ends_at {
            // The slots handed out already reach into the next window (or the window is over):
            // pace at the rate of a fresh window until its own answers arrive.
            self.interval = self.fresh_interval(window.limit);
            self.next_slot = (self.last_grant + self.interval).max(now);
            return;
        }
        let reserved = window.limit - self.config.usable(window.limit);
        let allowance = window.remaining.saturating_sub(reserved).saturating_sub(self.in_flight);
        if allowance == 0 {
            self.interval = self.fresh_interval(window.limit);
            self.next_slot = self.next_slot.max(window.ends_at + jitter(self.interval, random));
        } else {
            self.interval = (window.ends_at - from) / u32::try_from(allowance).unwrap_or(u32::MAX);
            self.next_slot = (self.last_grant + self.interval).max(now);
        }
    }

    /// The interval that spends a fresh window's allowance evenly.
    fn fresh_interval(&self, limit: u64) -> Duration {
        let usable = self.config.usable(limit).max(1);
        self.window_length / u32::try_from(usable).unwrap_or(u32::MAX)
    }
}

/// A uniformly random point of `[0, bound)`.
fn jitter(bound: Duration, random: u64) -> Duration {
    let nanos = bound.as_nanos().min(u128::from(u64::MAX)) as u64;
    Duration::from_nanos(((u128::from(random) * u128::from(nanos)) >> 64) as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    const UNIX: u64 = 1_700_000_000;

    fn at(ms: u64) -> Duration {
        Duration::from_millis(ms)
    }

    fn unix(ms: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(UNIX) + at(ms)
    }

    /// The time until a reset 10 s away counts as over.
    fn ten_seconds() -> Duration {
        Duration::from_secs(10) + RESET_GUARD
    }

    fn headers(limit: u64, remaining: u64, reset_in: u64) -> RateLimit {
        RateLimit { limit: Some(limit), remaining: Some(remaining), reset: Some(UNIX + reset_in) }
    }

    #[test]
    fn without_headers_nothing_waits() {
        let mut pacer = Pacer::new(Pacing::default());
        for n in 0..1000 {
            assert_eq!(pacer.grant(at(n), n), Duration::ZERO);
        }
        pacer.observe(&RateLimit::default(), at(0), unix(0), 0);
        pacer.observe(&RateLimit { remaining: Some(0), ..RateLimit::default() }, at(0), unix(0), 0);
        assert_eq!(pacer.grant(at(0), 0), Duration::ZERO);
        assert_eq!(pacer.latest().remaining, Some(0));
    }

    #[test]
    fn the_remaining_allowance_is_spread_over_the_rest_of_the_window() {
        let mut pacer = Pacer::new(Pacing::default().with_safety_margin(0.0));
        pacer.grant(at(0), 0);
        // 100 left, 10 s to go: one request every ~100 ms after the one just answered.
        pacer.observe(&headers(100, 100, 10), at(0), unix(0), 0);
        let waits: Vec<Duration> = (0..5).map(|_| pacer.grant(at(0), 0)).collect();
        let interval = ten_seconds() / 100;
        assert_eq!(waits, [interval, interval * 2, interval * 3, interval * 4, interval * 5]);
        assert_eq!(pacer.in_flight(), 5);
    }

    #[test]
    fn in_flight_requests_and_the_margin_are_held_back() {
        // A margin of 10% of 100 and 40 requests in flight leave 50 for the 10 s: every ~200 ms.
        let mut pacer = Pacer::new(Pacing::default().with_safety_margin(0.1));
        for _ in 0..41 {
            pacer.grant(at(0), 0);
        }
        pacer.observe(&headers(100, 100, 10), at(0), unix(0), 0);
        assert_eq!(pacer.grant(at(0), 0), ten_seconds() / 50);
        assert_eq!(pacer.grant(at(0), 0), ten_seconds() / 50 * 2);
    }

    #[test]
    fn an_explicit_budget_caps_the_window() {
        // The server allows 1000, the budget 100 (less a margin of 3): 997 remaining leaves
        // 997 - 903 = 94 for the 10 s.
        let mut pacer = Pacer::new(Pacing::default().with_budget(100));
        pacer.grant(at(0), 0);
        pacer.observe(&headers(1000, 997, 10), at(0), unix(0), 0);
        assert_eq!(pacer.grant(at(0), 0), ten_seconds() / 94);
    }

    #[test]
    fn an_exhausted_window_waits_for_the_reset_with_jitter() {
        let mut pacer = Pacer::new(Pacing::default().with_safety_margin(0.0));
        pacer.grant(at(0), 0);
        // A 429: nothing left, the reset 10 s away. Nobody goes before it; the first request of
        // the next window goes at a random point of its first interval (10 s / 100).
        pacer.observe(&headers(100, 0, 10), at(0), unix(0), u64::MAX / 2);
        let first = pacer.grant(at(0), 0);
        assert_eq!(first, at(10_000) + RESET_GUARD + at(50) - Duration::from_nanos(1));
        let second = pacer.grant(at(0), 0);
        assert_eq!(second - first, at(100));
        // Another random draw starts elsewhere in the interval: processes do not wake together.
        let mut other = Pacer::new(Pacing::default().with_safety_margin(0.0));
        other.grant(at(0), 0);
        other.observe(&headers(100, 0, 10), at(0), unix(0), 0);
        assert_eq!(other.grant(at(0), 0), at(10_000) + RESET_GUARD);
    }

    #[test]
    fn stale_and_out_of_order_answers_do_not_loosen_the_pace() {
        let mut pacer = Pacer::new(Pacing::default().with_safety_margin(0.0));
        for _ in 0..3 {
            pacer.grant(at(0), 0);
        }
        pacer.observe(&headers(100, 10, 10), at(0), unix(0), 0);
        // A slower response reporting more remaining for the same window changes nothing.
        pacer.observe(&headers(100, 50, 10), at(0), unix(0), 0);
        // An answer from the previous window is ignored.
        pacer.observe(&headers(100, 100, 0), at(0), unix(0), 0);
        // 10 remaining, none in flight: every second.
        assert_eq!(pacer.grant(at(0), 0), ten_seconds() / 10);
        assert_eq!(pacer.grant(at(0), 0), ten_seconds() / 10 * 2);
    }

    #[test]
    fn a_window_that_ends_without_news_is_paced_at_the_full_rate_of_a_fresh_one() {
        let mut pacer = Pacer::new(Pacing::default().with_safety_margin(0.0));
        pacer.grant(at(0), 0);
        pacer.observe(&headers(50, 50, 1), at(0), unix(0), 0);
        pacer.observe(&headers(50, 49, 2), at(500), unix(500), 0); // the next window: 1 s long
        assert_eq!(pacer.window_length, Duration::from_secs(1));
        // Long after that window, nothing was heard: 50 per 1 s, from the window's end.
        assert_eq!(pacer.grant(at(5000), 0), Duration::ZERO);
        assert_eq!(pacer.grant(at(5000), 0), at(20));
    }

    #[test]
    fn the_window_length_comes_from_the_resets() {
        let mut pacer = Pacer::new(Pacing::default());
        assert_eq!(pacer.window_length, DOCUMENTED_WINDOW);
        // First sight, 3 s before the reset: the window is at least 3 s long.
        pacer.observe(&headers(100, 99, 3), at(0), unix(0), 0);
        assert_eq!(pacer.window_length, Duration::from_secs(3));
        // Two resets 2 s apart: windows of 2 s.
        pacer.observe(&headers(100, 99, 5), at(3000), unix(3000), 0);
        assert_eq!(pacer.window_length, Duration::from_secs(2));
        // An idle client skips windows: a longer step does not lengthen the window.
        pacer.observe(&headers(100, 99, 11), at(9000), unix(9000), 0);
        assert_eq!(pacer.window_length, Duration::from_secs(2));
    }

    #[test]
    fn off_never_waits_but_keeps_the_state() {
        let mut pacer = Pacer::new(Pacing::off());
        pacer.grant(at(0), 0);
        pacer.observe(&headers(10, 0, 10), at(0), unix(0), 0);
        assert_eq!(pacer.grant(at(0), 0), Duration::ZERO);
        assert_eq!(pacer.latest(), headers(10, 0, 10));
    }

    #[test]
    fn margins_are_clamped() {
        assert_eq!(Pacing::default().with_safety_margin(f64::NAN).safety_margin, 0.0);
        assert_eq!(Pacing::default().with_safety_margin(7.0).safety_margin, 0.5);
        assert_eq!(Pacing::default().with_budget(0).budget, Some(1));
        assert_eq!(Pacing::default().usable(166), 161);
        assert_eq!(Pacing::default().with_safety_margin(0.0).usable(166), 166);
    }
}
