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
