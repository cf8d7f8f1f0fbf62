//! The transport seam: a [`Transport`] takes an `http::Request<Vec<u8>>` and returns an
//! `http::Response<Vec<u8>>`. The client builds requests, retries, times out, traces and decodes;
//! a transport only carries bytes. [`ReqwestTransport`] is the default; plug in your own stack
//! (tower, reqwest-middleware, a recording proxy) with
//! [`ClientBuilder::transport`](super::ClientBuilder::transport).

use std::fmt;
use std::future::Future;
use std::pin::Pin;

/// What a [`Transport`] returns.
pub type TransportFuture<'a> =
    Pin<Box<dyn Future<Output = Result<http::Response<Vec<u8>>, TransportError>> + Send + 'a>>;

/// Sends one request and reads its whole response. Implementations must be cheap to share: the
/// client holds one in an `Arc` and calls it from many tasks at once.
///
/// A transport must not follow redirects: a `3xx` is returned as it is (the operations that
/// answer with a redirect return its `Location`, and following one would send the request to
/// whichever host the server names).
pub trait Transport: Send + Sync + 'static {
    fn send(&self, request: http::Request<Vec<u8>>) -> TransportFuture<'_>;
}

/// How a request failed without a response, which decides whether it may be retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// The connection failed before the request was written (refused, DNS, TLS handshake): safe to
    /// retry for every method.
    NotSent,
    /// The connection failed after the request may have been written (reset, closed early):
    /// retried for idempotent methods only.
    Interrupted,
    /// The response body passed the client's `max_body_size`.
    BodyTooLarge { limit: u64 },
    /// The transport's own timeout expired.
    Timeout,
    /// Anything else; never retried.
    Other,
}

/// A transport failure: its [`TransportErrorKind`] and the underlying error.
pub struct TransportError {
    kind: TransportErrorKind,
    source: Box<dyn std::error::Error + Send + Sync>,
}

impl TransportError {
    pub fn new(kind: TransportErrorKind, source: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        TransportError { kind, source: source.into() }
    }

    /// The connection failed before the request was written.
    pub fn not_sent(source: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        Self::new(TransportErrorKind::NotSent, source)
    }

    /// The connection failed after the request may have been written.
    pub fn interrupted(source: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        Self::new(TransportErrorKind::Interrupted, source)
    }

    pub fn kind(&self) -> TransportErrorKind {
        self.kind
    }

    pub(crate) fn into_source(self) -> Box<dyn std::error::Error + Send + Sync> {
        self.source
    }
}

impl fmt::Debug for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TransportError").field("kind", &self.kind).field("source", &self.source).finish()
    }
}

/// Says how the transport failed; the underlying error is `source()`, not repeated here (an error
/// reporter prints both).
impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            TransportErrorKind::NotSent => f.write_str("the connection failed before the request was written"),
            TransportErrorKind::Interrupted => f.write_str("the connection failed before a response arrived"),
            TransportErrorKind::BodyTooLarge { limit } => {
                write!(f, "the response body is larger than the limit of {limit} bytes")
            }
            TransportErrorKind::Timeout => f.write_str("the transport timed out"),
            TransportErrorKind::Other => f.write_str("the transport failed"),
        }
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(self.source.as_ref())
    }
}

/// At most this much is reserved up front for a body of announced length, so that a
/// `Content-Length` the server then does not send cannot make the client allocate the limit.
const MAX_PREALLOCATED_BODY: u64 = 1024 * 1024;

/// The default transport: a `reqwest::Client` (rustls, HTTP/2, connection pooling) reading bodies
/// up to a size limit.
#[derive(Debug, Clone)]
pub struct ReqwestTransport {
    http: reqwest::Client,
    max_body_size: u64,
}

impl ReqwestTransport {
    /// `http` reading at most `max_body_size` bytes of any response body. Build `http` with
    /// `.redirect(reqwest::redirect::Policy::none())`: a response reached by following a redirect
    /// is refused with a transport error (the client never follows redirects).
    pub fn new(http: reqwest::Client, max_body_size: u64) -> Self {
        ReqwestTransport { http, max_body_size }
    }
}

impl ReqwestTransport {
    /// Sends a request already in reqwest's type (what the client does, so that the URL is parsed
    /// once) and reads the whole response.
    pub(crate) async fn execute(&self, request: reqwest::Request) -> Result<http::Response<Vec<u8>>, TransportError> {
        let requested = request.url().clone();
        let mut response = self.http.execute(request).await.map_err(classify)?;
        // A caller's own reqwest client may follow redirects; its answer would not be Intercom's.
        if response.url() != &requested {
            return Err(TransportError::new(
                TransportErrorKind::Other,
                format!(
                    "the reqwest client followed a redirect to {}; build it with `redirect(reqwest::redirect::Policy::none())`",
                    response.url().origin().ascii_serialization()
                ),
            ));
        }
        let mut out = http::Response::new(Vec::new());
        *out.status_mut() = response.status();
        *out.version_mut() = response.version();
        *out.headers_mut() = std::mem::take(response.headers_mut());
        *out.body_mut() = read_body(&mut response, self.max_body_size).await?;
        Ok(out)
    }
}

impl Transport for ReqwestTransport {
    fn send(&self, request: http::Request<Vec<u8>>) -> TransportFuture<'_> {
        Box::pin(async move {
            let request = reqwest::Request::try_from(request)
                .map_err(|e| TransportError::new(TransportErrorKind::Other, without_credentials(e)))?;
            self.execute(request).await
        })
    }
}

/// Reads the body up to `limit` bytes: a longer announced length is refused before reading, and a
/// body without one (chunked) or longer than announced is cut off as soon as it passes the limit.
async fn read_body(response: &mut reqwest::Response, limit: u64) -> Result<Vec<u8>, TransportError> {
    let too_large =
        || TransportError::new(TransportErrorKind::BodyTooLarge { limit }, "the response body is too large");
    let announced = response.content_length().unwrap_or(0);
    if announced > limit {
        return Err(too_large());
    }
    let mut body = Vec::with_capacity(announced.min(MAX_PREALLOCATED_BODY) as usize);
    while let Some(chunk) = response.chunk().await.map_err(|e| {
        if e.is_timeout() {
            TransportError::new(TransportErrorKind::Timeout, without_credentials(e))
        } else {
            TransportError::interrupted(without_credentials(e))
        }
    })? {
        if (body.len() + chunk.len()) as u64 > limit {
            return Err(too_large());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

fn classify(e: reqwest::Error) -> TransportError {
    let kind = if e.is_timeout() {
        TransportErrorKind::Timeout
    } else if e.is_connect() {
        TransportErrorKind::NotSent
    } else if e.is_builder() {
        TransportErrorKind::Other
    } else {
        TransportErrorKind::Interrupted
    };
    TransportError::new(kind, without_credentials(e))
}

/// reqwest's errors name their URL in `Display` and `Debug` (`… for url (https://user:secret@host/…)`);
/// user info embedded in a base URL is replaced by `***` there, the rest of the URL kept.
fn without_credentials(mut e: reqwest::Error) -> reqwest::Error {
    if let Some(url) = e.url_mut() {
        if !url.username().is_empty() || url.password().is_some() {
            // Both fail only for URLs that cannot have user info, which then have none.
            let _ = url.set_password(None);
            let _ = url.set_username(crate::runtime::redact::REDACTED_USERINFO);
        }
    }
    e
}
