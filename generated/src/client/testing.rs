//! A test kit (feature `test-util`): [`MockTransport`] serves scripted responses in order and
//! records every request, so tests of code that calls Intercom need no network and no server.
//!
//! ```ignore
//! let mock = MockTransport::new();
//! mock.push(Scripted::json(200, r#"{"type":"admin","id":"1"}"#));
//! let client = intercom_api::Client::builder("test-token").transport(mock.clone()).build();
//! let me = client.v2_11().admins().identify_admin().await?;
//! assert_eq!(mock.requests()[0].uri().path(), "/me");
//! ```

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use super::transport::{Transport, TransportError, TransportErrorKind, TransportFuture};

/// One scripted answer.
#[derive(Debug)]
pub struct Scripted {
    delay: Duration,
    answer: Answer,
}

#[derive(Debug)]
enum Answer {
    Response(http::Response<Vec<u8>>),
    Failure(TransportErrorKind, String),
}

impl Scripted {
    /// A response with `status` and `body` (no headers).
    pub fn status(status: u16, body: impl Into<Vec<u8>>) -> Scripted {
        let mut response = http::Response::new(body.into());
        *response.status_mut() = http::StatusCode::from_u16(status).expect("a valid status code");
        Scripted { delay: Duration::ZERO, answer: Answer::Response(response) }
    }

    /// A JSON response (`content-type: application/json`).
    pub fn json(status: u16, body: impl Into<Vec<u8>>) -> Scripted {
        Scripted::status(status, body).header("content-type", "application/json")
    }

    /// A ready-made response.
    pub fn response(response: http::Response<Vec<u8>>) -> Scripted {
        Scripted { delay: Duration::ZERO, answer: Answer::Response(response) }
    }

    /// The connection fails before the request is written (refused, DNS).
    pub fn not_sent() -> Scripted {
        Scripted {
            delay: Duration::ZERO,
            answer: Answer::Failure(TransportErrorKind::NotSent, "connection refused".into()),
        }
    }

    /// The connection is reset after the request was written, before a response.
    pub fn reset() -> Scripted {
        Scripted {
            delay: Duration::ZERO,
            answer: Answer::Failure(TransportErrorKind::Interrupted, "connection reset by peer".into()),
        }
    }

    /// Adds a response header.
    pub fn header(mut self, name: &'static str, value: &str) -> Scripted {
        if let Answer::Response(response) = &mut self.answer {
            response.headers_mut().append(name, value.parse().expect("a valid header value"));
        }
        self
    }

    /// Answers only after `delay` (on tokio's clock, so a paused clock makes it instant).
    pub fn after(mut self, delay: Duration) -> Scripted {
        self.delay = delay;
        self
    }
}

#[derive(Default)]
struct State {
    script: VecDeque<Scripted>,
    requests: Vec<http::Request<Vec<u8>>>,
}

/// A [`Transport`] that answers from a script and records requests. Clones share the script and
/// the record. When the script runs out, a request fails with a transport error of kind
/// [`TransportErrorKind::Other`] (never retried).
#[derive(Clone, Default)]
pub struct MockTransport {
    state: Arc<Mutex<State>>,
}

impl std::fmt::Debug for MockTransport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let state = self.lock();
        f.debug_struct("MockTransport")
            .field("scripted", &state.script.len())
            .field("requests", &state.requests.len())
            .finish()
    }
}

impl MockTransport {
    pub fn new() -> MockTransport {
        MockTransport::default()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Appends an answer to the script.
    pub fn push(&self, answer: Scripted) -> &Self {
        self.lock().script.push_back(answer);
        self
    }

    /// Every request received so far, in order (the `Authorization` header is marked sensitive,
    /// so `Debug` does not show it).
    pub fn requests(&self) -> Vec<http::Request<Vec<u8>>> {
        self.lock().requests.clone()
    }

    /// How many requests were received.
    pub fn request_count(&self) -> usize {
        self.lock().requests.len()
    }

    /// Scripted answers not used yet.
    pub fn remaining(&self) -> usize {
        self.lock().script.len()
    }
}

impl Transport for MockTransport {
    fn send(&self, request: http::Request<Vec<u8>>) -> TransportFuture<'_> {
        let next = {
            let mut state = self.lock();
            state.requests.push(request);
            state.script.pop_front()
        };
        Box::pin(async move {
            let Some(scripted) = next else {
                return Err(TransportError::new(TransportErrorKind::Other, "the mock transport's script ran out"));
            };
            if !scripted.delay.is_zero() {
                tokio::time::sleep(scripted.delay).await;
            }
            match scripted.answer {
                Answer::Response(response) => Ok(response),
                Answer::Failure(kind, message) => Err(TransportError::new(kind, message)),
            }
        })
    }
}

/// A scripted server that enforces a rate-limit window the way Intercom documents it: at most
/// `limit` requests per `window` (windows follow each other from the server's creation, on
/// tokio's clock), every answer carrying `X-RateLimit-Limit`, `-Remaining` and `-Reset` (Unix
/// seconds, rounded up), and a request beyond the limit answered `429` with
/// `rate_limit_exceeded`. Every other request gets `200` with a JSON body: always the same
/// ([`WindowedServer::new`]) or chosen per request ([`WindowedServer::routed`]). It records when
/// each request arrived, so tests can check how requests were spread.
#[derive(Clone)]
pub struct WindowedServer {
    limit: u64,
    window: Duration,
    body: Arc<AnswerFn>,
    origin: tokio::time::Instant,
    /// The wall clock at `origin`; the server's wall clock advances with tokio's from there, as
    /// the client's pacing does, so resets agree on a paused clock.
    wall_at_origin: std::time::SystemTime,
    record: Arc<Mutex<WindowRecord>>,
}

/// The body of an accepted request.
type AnswerFn = dyn Fn(&http::Request<Vec<u8>>) -> Vec<u8> + Send + Sync;

#[derive(Default)]
struct WindowRecord {
    /// Arrival times of every request, since the server's creation.
    arrivals: Vec<Duration>,
    /// Requests accepted per window index.
    accepted: std::collections::BTreeMap<u64, u64>,
    rejected: u64,
}

impl std::fmt::Debug for WindowedServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WindowedServer").field("limit", &self.limit).field("window", &self.window).finish()
    }
}

impl WindowedServer {
    /// `limit` requests (at least 1) per `window` (at least 1 ms), answering `body` (JSON).
    pub fn new(limit: u64, window: Duration, body: impl Into<Vec<u8>>) -> WindowedServer {
        let body = body.into();
        WindowedServer::routed(limit, window, move |_| body.clone())
    }

    /// `limit` requests (at least 1) per `window` (at least 1 ms), answering each accepted
    /// request with the JSON body `answer` gives for it.
    pub fn routed(
        limit: u64,
        window: Duration,
        answer: impl Fn(&http::Request<Vec<u8>>) -> Vec<u8> + Send + Sync + 'static,
    ) -> WindowedServer {
        WindowedServer {
            limit: limit.max(1),
            window: window.max(Duration::from_millis(1)),
            body: Arc::new(answer),
            origin: tokio::time::Instant::now(),
            wall_at_origin: std::time::SystemTime::now(),
            record: Arc::default(),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, WindowRecord> {
        self.record.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// When each request arrived, since the server was created, in arrival order.
    pub fn arrivals(&self) -> Vec<Duration> {
        self.lock().arrivals.clone()
    }

    /// Requests answered `429`.
    pub fn rejected(&self) -> u64 {
        self.lock().rejected
    }

    /// Requests answered `200`.
    pub fn accepted(&self) -> u64 {
        self.lock().accepted.values().sum()
    }

    /// The most requests accepted in any one window (never above the limit).
    pub fn busiest_window(&self) -> u64 {
        self.lock().accepted.values().copied().max().unwrap_or(0)
    }

    /// The answer to `request`, arriving now.
    fn answer(&self, request: &http::Request<Vec<u8>>) -> http::Response<Vec<u8>> {
        let since = tokio::time::Instant::now().saturating_duration_since(self.origin);
        let window_nanos = self.window.as_nanos().max(1);
        let index = (since.as_nanos() / window_nanos) as u64;
        let left = self.window.saturating_mul(u32::try_from(index + 1).unwrap_or(u32::MAX)).saturating_sub(since);
        let (accepted, status) = {
            let mut record = self.lock();
            record.arrivals.push(since);
            let used = record.accepted.entry(index).or_default();
            if *used < self.limit {
                *used += 1;
                (*used, 200)
            } else {
                record.rejected += 1;
                (self.limit, 429)
            }
        };
        let window_end = (self.wall_at_origin + since + left).duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
        let reset = window_end.as_secs() + u64::from(window_end.subsec_nanos() > 0);
        let body = if status == 200 {
            (self.body)(request)
        } else {
            br#"{"type":"error.list","errors":[{"code":"rate_limit_exceeded","message":"Exceeded rate limit"}]}"#
                .to_vec()
        };
        let mut response = http::Response::new(body);
        *response.status_mut() = http::StatusCode::from_u16(status).unwrap_or(http::StatusCode::OK);
        let headers = response.headers_mut();
        headers.insert(http::header::CONTENT_TYPE, http::HeaderValue::from_static("application/json"));
        headers.insert("x-ratelimit-limit", self.limit.into());
        headers.insert("x-ratelimit-remaining", (self.limit - accepted).into());
        headers.insert("x-ratelimit-reset", reset.into());
        response
    }
}

impl Transport for WindowedServer {
    fn send(&self, request: http::Request<Vec<u8>>) -> TransportFuture<'_> {
        let answer = self.answer(&request);
        Box::pin(async move { Ok(answer) })
    }
}
