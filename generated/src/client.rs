//! The async client (cargo feature `client`): bearer auth, region or custom base URL,
//! `Intercom-Version` on every request, retries with backoff, rate-limit headers, timeouts per
//! client and per call, pacing under Intercom's rate limit shared by every clone of a client, a
//! bound on requests in flight, one `tracing` span per call, and pagination streams (read with
//! `.next().await`; also `futures::Stream`s). Each version module adds typed, grouped calls
//! (`client.v2_11().contacts().create_contact(…)`); [`Client::call`] takes any operation value.
//!
//! The bytes go through a [`Transport`]: [`ReqwestTransport`] (reqwest with rustls) unless
//! [`ClientBuilder::transport`] plugs in another, such as `testing::MockTransport` (feature
//! `test-util`).

use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use crate::runtime::operation::{
    bearer, build_request, invalid_uri, parse_owned, request_parts, RequestContext, USER_AGENT,
};
use crate::runtime::redact::{redact_text, redact_url, secrets_of};
use crate::runtime::retry::{random_u64, AttemptOutcome};
use crate::runtime::{
    CallContext, Decoding, Error, Mismatch, Operation, Pacing, PageToken, Paginated, RateLimit, RetryPolicy,
};

mod gate;
mod pages;
#[cfg(feature = "test-util")]
pub mod testing;
mod transport;

pub use pages::{EndReason, Items, PageMismatch, Pages, Paginate};
pub use transport::{ReqwestTransport, Transport, TransportError, TransportErrorKind, TransportFuture};

/// Where an Intercom workspace is hosted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Region {
    #[default]
    Us,
    Eu,
    Au,
}

impl Region {
    pub fn base_url(self) -> &'static str {
        match self {
            Region::Us => "https://api.intercom.io",
            Region::Eu => "https://api.eu.intercom.io",
            Region::Au => "https://api.au.intercom.io",
        }
    }
}

/// The per-attempt timeout of a client unless [`ClientBuilder::timeout`] or
/// [`ClientBuilder::no_timeout`] says otherwise.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// The largest response body a client reads unless [`ClientBuilder::max_body_size`] says
/// otherwise: far above any Intercom page, far below what would exhaust memory.
pub const DEFAULT_MAX_BODY_SIZE: u64 = 64 * 1024 * 1024;

/// The transport of a client: the built-in reqwest one is called directly (its requests are built
/// as `reqwest::Request`s, the URL parsed once, and its own timer does the timeout), any other
/// through the [`Transport`] trait.
enum Carrier {
    Reqwest(ReqwestTransport),
    Custom(Arc<dyn Transport>),
}

struct Inner {
    transport: Carrier,
    token: String,
    /// `Bearer <token>`, built once; `None` when the token cannot be a header value (reported
    /// by every call).
    authorization: Option<http::HeaderValue>,
    base_url: String,
    /// The user info embedded in `base_url` (`user:secret@`) and its parts, hidden from every
    /// error a transport returns; empty for an ordinary base URL.
    base_url_secrets: Vec<String>,
    user_agent: String,
    timeout: Option<Duration>,
    max_body_size: u64,
    decoding: Decoding,
    retry: RetryPolicy,
    /// Pacing and the in-flight bound, shared by every clone.
    gate: gate::Gate,
}

/// A cheap-to-clone handle; share one per process. Clones share the pacing state (the rate limit
/// the latest response reported) and the `max_in_flight` bound; separate clients, and clients
/// in separate processes, pace independently.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &redact_url(&self.inner.base_url))
            .field("token", &"<redacted>")
            .field("timeout", &self.inner.timeout)
            .field("max_body_size", &self.inner.max_body_size)
            .field("retry", &self.inner.retry)
            .field("pacing", &self.inner.gate.pacing())
            .field("max_in_flight", &self.inner.gate.max_in_flight())
            .finish()
    }
}

/// Configures a [`Client`].
pub struct ClientBuilder {
    token: String,
    base_url: String,
    user_agent: String,
    timeout: Option<Duration>,
    max_body_size: u64,
    decoding: Decoding,
    retry: RetryPolicy,
    pacing: Pacing,
    max_in_flight: Option<usize>,
    http: Option<reqwest::Client>,
    transport: Option<Arc<dyn Transport>>,
}

impl std::fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &redact_url(&self.base_url))
            .field("token", &"<redacted>")
            .field("timeout", &self.timeout)
            .field("max_body_size", &self.max_body_size)
            .field("retry", &self.retry)
            .field("pacing", &self.pacing)
            .field("max_in_flight", &self.max_in_flight)
            .finish()
    }
}

impl ClientBuilder {
    pub fn region(mut self, region: Region) -> Self {
        self.base_url = region.base_url().to_string();
        self
    }

    /// Any base URL (a proxy, a mock server); a trailing slash is ignored. Credentials embedded in
    /// it (`https://user:secret@proxy/`) are kept in the URL the transport gets, and shown as
    /// `https://***@proxy/` by `Debug`, errors and logs.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into().trim_end_matches('/').to_string();
        self
    }

    /// The time one attempt may take, from sending until its body is read; when it is up the call
    /// fails with [`Error::Timeout`] (timeouts are not retried). [`DEFAULT_TIMEOUT`] (30 s) unless
    /// changed here or turned off with [`ClientBuilder::no_timeout`]; a call can set its own with
    /// [`Call::timeout`].
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// No per-attempt timeout: a server that never answers keeps the call waiting forever, unless
    /// the call sets one or the transport has a timeout of its own.
    pub fn no_timeout(mut self) -> Self {
        self.timeout = None;
        self
    }

    /// Fails a response whose members do not fit their declared JSON types with
    /// [`Error::Decode`] instead of decoding it leniently (the default: the drifted member is kept
    /// raw in its struct's `extra_` map and reported in [`Response::mismatches`]).
    pub fn strict_decoding(mut self, strict: bool) -> Self {
        self.decoding = if strict { Decoding::Strict } else { Decoding::Lenient };
        self
    }

    /// The largest response body, in bytes, that a call reads; a longer one (by its
    /// `Content-Length` or as it streams in) fails the call with [`Error::BodyTooLarge`].
    /// [`DEFAULT_MAX_BODY_SIZE`] (64 MiB) unless changed here.
    pub fn max_body_size(mut self, bytes: u64) -> Self {
        self.max_body_size = bytes;
        self
    }

    /// Appended to the crate's own `User-Agent`.
    pub fn user_agent_suffix(mut self, suffix: &str) -> Self {
        self.user_agent = format!("{USER_AGENT} {suffix}");
        self
    }

    /// Use a preconfigured reqwest client (proxies, connection pools) in the default transport.
    ///
    /// Build it with `.redirect(reqwest::redirect::Policy::none())`: the client never follows a
    /// redirect (an operation such as Preview's call recording returns the `Location` instead), and
    /// a response that reqwest reached by following one is refused with [`Error::Transport`].
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// Sends every request through `transport` instead of reqwest.
    pub fn transport(mut self, transport: impl Transport) -> Self {
        self.transport = Some(Arc::new(transport));
        self
    }

    /// The retry policy of every call (a call can override it with [`Call::retry_policy`] or
    /// [`Call::max_retries`]). [`RetryPolicy::default`]: 2 retries.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Retries after the first attempt; 0 disables retrying.
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.retry.max_retries = retries;
        self
    }

    /// The overall deadline of every call: attempts and waits (retries, pacing) together. A wait
    /// that would pass it is not started; the call returns its last error (or
    /// [`Error::Timeout`]) at once. None by default; [`Call::deadline`] sets one per call.
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.retry.deadline = Some(deadline);
        self
    }

    /// How requests are paced under Intercom's rate limit ([`Pacing::default`]: on, spreading
    /// each window's remaining allowance over the rest of the window; [`Pacing::off`] sends at
    /// once). The state is shared by every clone of the client.
    pub fn pacing(mut self, pacing: Pacing) -> Self {
        self.pacing = pacing;
        self
    }

    /// At most `requests` attempts of this client (and its clones) on the wire at once (at least
    /// 1); the others wait for a place. Unbounded by default. A retry's wait does not hold a place.
    pub fn max_in_flight(mut self, requests: usize) -> Self {
        self.max_in_flight = Some(requests.max(1));
        self
    }

    pub fn build(self) -> Client {
        let transport = self.transport.map(Carrier::Custom).unwrap_or_else(|| {
            Carrier::Reqwest(ReqwestTransport::new(self.http.unwrap_or_else(default_http_client), self.max_body_size))
        });
        Client {
            inner: Arc::new(Inner {
                transport,
                authorization: bearer(&self.token).ok(),
                token: self.token,
                base_url_secrets: secrets_of(&self.base_url),
                base_url: self.base_url,
                user_agent: self.user_agent,
                timeout: self.timeout,
                max_body_size: self.max_body_size,
                decoding: self.decoding,
                retry: self.retry,
                gate: gate::Gate::new(self.pacing, self.max_in_flight),
            }),
        }
    }
}

/// The default reqwest client: it never follows redirects. A redirect's `Location` (a signed URL
/// on another host, say) is the answer of the operations that declare one, and following it would
/// send the request, headers included, wherever the server points.
fn default_http_client() -> reqwest::Client {
    // `build` fails only where `reqwest::Client::new` panics (no TLS backend); the transport still
    // refuses any response reached through a redirect.
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap_or_default()
}

/// A typed response with its status and headers.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Response<T> {
    pub status: http::StatusCode,
    pub headers: http::HeaderMap,
    pub data: T,
    /// Members whose JSON type contradicted their declaration, kept raw in their struct's `extra_`
    /// map (empty unless Intercom sent something the description does not say).
    pub mismatches: Vec<Mismatch>,
    /// JSON paths of the members the description does not declare, kept in their struct's
    /// `extra_` map (`data[0].formatted_phone`); also logged as one `tracing` debug event. Empty
    /// when the response holds only what the description declares.
    pub undeclared: Vec<String>,
    /// `X-RateLimit-Limit`, `-Remaining` and `-Reset` of this response.
    pub rate_limit: RateLimit,
    /// The `x-request-id` header.
    pub request_id: Option<String>,
    /// Attempts made, retries included.
    pub attempts: u32,
}

impl<T> Response<T> {
    /// Everything but the data (a stream keeps it for each page it returns).
    pub(crate) fn metadata(&self) -> Response<()> {
        Response {
            status: self.status,
            headers: self.headers.clone(),
            data: (),
            mismatches: self.mismatches.clone(),
            undeclared: self.undeclared.clone(),
            rate_limit: self.rate_limit,
            request_id: self.request_id.clone(),
            attempts: self.attempts,
        }
    }
}

/// What one call adds to the client's settings: headers, retries, timeout.
#[derive(Debug, Clone, Default)]
pub(crate) struct CallOptions {
    headers: Vec<(http::HeaderName, http::HeaderValue)>,
    /// The first header given to [`Call::header`] that is not a valid header, reported when the
    /// call is sent (so that `.header(…)` chains).
    invalid_header: Option<String>,
    retry: Option<RetryPolicy>,
    timeout: Option<Duration>,
}

impl Client {
    /// A client for the US region with an access token.
    pub fn new(token: impl Into<String>) -> Client {
        Client::builder(token).build()
    }

    pub fn builder(token: impl Into<String>) -> ClientBuilder {
        ClientBuilder {
            token: token.into(),
            base_url: Region::Us.base_url().into(),
            user_agent: USER_AGENT.into(),
            timeout: Some(DEFAULT_TIMEOUT),
            max_body_size: DEFAULT_MAX_BODY_SIZE,
            decoding: Decoding::Lenient,
            retry: RetryPolicy::default(),
            pacing: Pacing::default(),
            max_in_flight: None,
            http: None,
            transport: None,
        }
    }

    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// The per-attempt timeout ([`DEFAULT_TIMEOUT`] unless configured; `None` after
    /// [`ClientBuilder::no_timeout`]).
    pub fn timeout(&self) -> Option<Duration> {
        self.inner.timeout
    }

    /// The largest response body a call reads, in bytes.
    pub fn max_body_size(&self) -> u64 {
        self.inner.max_body_size
    }

    /// The retry policy of calls that do not set their own.
    pub fn retry_policy(&self) -> RetryPolicy {
        self.inner.retry
    }

    /// The rate limit the latest response of any call of this client (or its clones) reported:
    /// what pacing works from. All `None` before the first response, or when Intercom's headers
    /// never arrive.
    pub fn rate_limit(&self) -> RateLimit {
        self.inner.gate.rate_limit()
    }

    /// How this client paces its requests.
    pub fn pacing(&self) -> Pacing {
        self.inner.gate.pacing()
    }

    /// The bound on attempts in flight, if one was set.
    pub fn max_in_flight(&self) -> Option<usize> {
        self.inner.gate.max_in_flight()
    }

    /// A call of any operation value; `.await` it for the typed result.
    pub fn call<O: Operation>(&self, operation: O) -> Call<O> {
        Call { client: self.clone(), operation, options: CallOptions::default() }
    }

    /// Every page of a paginated operation, as a stream.
    pub fn pages<O: Paginated>(&self, operation: O) -> Pages<O> {
        Pages::new(self.clone(), operation, CallOptions::default())
    }

    /// The sans-IO request this client would send for `operation`.
    pub fn request_for<O: Operation>(&self, operation: &O) -> Result<http::Request<Vec<u8>>, Error> {
        build_request(
            operation,
            RequestContext {
                base_url: &self.inner.base_url,
                token: Some(&self.inner.token),
                user_agent: &self.inner.user_agent,
            },
        )
    }

    /// [`Client::request`] straight into reqwest's type: the URL is parsed once, into a `Url`.
    fn reqwest_request<O: Operation>(
        &self,
        operation: &O,
        extra: &[(http::HeaderName, http::HeaderValue)],
    ) -> Result<reqwest::Request, Error> {
        let inner = &*self.inner;
        let parts = request_parts(
            operation,
            RequestContext { base_url: &inner.base_url, token: None, user_agent: &inner.user_agent },
        )?;
        let url = reqwest::Url::parse(&parts.uri).map_err(|e| invalid_uri(&parts.uri, e))?;
        let mut request = reqwest::Request::new(parts.method, url);
        *request.headers_mut() = parts.headers;
        let authorization = match &inner.authorization {
            Some(value) => value.clone(),
            None => bearer(&inner.token)?,
        };
        let headers = request.headers_mut();
        headers.insert(http::header::AUTHORIZATION, authorization);
        for (name, value) in extra {
            headers.insert(name.clone(), value.clone());
        }
        *request.body_mut() = parts.body.map(reqwest::Body::from);
        Ok(request)
    }

    fn request<O: Operation>(
        &self,
        operation: &O,
        extra: &[(http::HeaderName, http::HeaderValue)],
    ) -> Result<http::Request<Vec<u8>>, Error> {
        let inner = &*self.inner;
        // The token goes in below from the value cached at build time, not re-formatted per call.
        let parts = request_parts(
            operation,
            RequestContext { base_url: &inner.base_url, token: None, user_agent: &inner.user_agent },
        )?;
        let mut request = http::Request::new(parts.body.unwrap_or_default());
        *request.method_mut() = parts.method;
        *request.uri_mut() = parts.uri.parse().map_err(|e: http::uri::InvalidUri| invalid_uri(&parts.uri, e))?;
        *request.headers_mut() = parts.headers;
        // Only an invalid token leaves no cached value; `bearer` reports why.
        let authorization = match &inner.authorization {
            Some(value) => value.clone(),
            None => bearer(&inner.token)?,
        };
        let headers = request.headers_mut();
        headers.insert(http::header::AUTHORIZATION, authorization);
        for (name, value) in extra {
            headers.insert(name.clone(), value.clone());
        }
        Ok(request)
    }

    /// One call: attempts until success, a failure that is not retried, or the retry budget is
    /// spent. `page` is the page position the request asks for (streams), kept in error contexts.
    pub(crate) async fn execute<O: Operation>(
        &self,
        operation: &O,
        options: &CallOptions,
        page: Option<PageToken>,
    ) -> Result<Response<O::Output>, Error> {
        let span = trace::call_span::<O>();
        trace::instrument(self.attempts::<O>(operation, options, page, &span), &span).await
    }

    async fn attempts<O: Operation>(
        &self,
        operation: &O,
        options: &CallOptions,
        page: Option<PageToken>,
        span: &trace::Span,
    ) -> Result<Response<O::Output>, Error> {
        if let Some(problem) = &options.invalid_header {
            return Err(Error::InvalidRequest(problem.clone()));
        }
        let inner = &*self.inner;
        let policy = options.retry.unwrap_or(inner.retry);
        let timeout = options.timeout.or(inner.timeout);
        let mut context = CallContext::of::<O>();
        context.page = page;
        let mut retries = 0u32;
        let deadline = policy.deadline.map(|budget| tokio::time::Instant::now() + budget);
        // Whether a wait still leaves the call inside its deadline.
        let fits = |wait: Duration| deadline.is_none_or(|at| tokio::time::Instant::now() + wait <= at);
        loop {
            context.attempts = retries + 1;
            trace::record_attempt(span, context.attempts);
            let ticket = match inner.gate.enter(deadline, O::OPERATION_ID).await {
                Ok(ticket) => ticket,
                Err(gate::Refused::PastDeadline) => return Err(Error::Timeout { context: Some(Box::new(context)) }),
            };
            let attempt_timeout = match deadline {
                None => timeout,
                Some(at) => {
                    let left = at.saturating_duration_since(tokio::time::Instant::now());
                    Some(timeout.map_or(left, |t| t.min(left)))
                }
            };
            let result = match self.send_once(operation, options, attempt_timeout).await {
                Ok(result) => result,
                Err(SendError::Request(e)) => return Err(e),
                Err(SendError::Timeout) => return Err(Error::Timeout { context: Some(Box::new(context)) }),
            };
            match result {
                Ok(response) => {
                    let (parts, body) = response.into_parts();
                    let (status, headers) = (parts.status, parts.headers);
                    context.rate_limit = RateLimit::from_headers(&headers);
                    // Every answer, a 429 above all, tells the client's pacing where the window is.
                    ticket.answered(&context.rate_limit);
                    context.request_id = headers.get("x-request-id").and_then(|v| v.to_str().ok()).map(str::to_string);
                    trace::record_response(span, status, &context);
                    if !status.is_success() {
                        let outcome = AttemptOutcome::Response(status, &headers);
                        let delay = policy.delay(&O::METHOD, outcome, retries, SystemTime::now(), random_u64());
                        if let Some(delay) = delay.filter(|(wait, _)| fits(*wait)) {
                            trace::retry(&context, delay, &format!("status {}", status.as_u16()));
                            tokio::time::sleep(delay.0).await;
                            retries += 1;
                            continue;
                        }
                    }
                    if body.len() as u64 > inner.max_body_size {
                        return Err(Error::BodyTooLarge {
                            limit: inner.max_body_size,
                            context: Some(Box::new(context)),
                        });
                    }
                    return decode::<O>(status, headers, body, inner.decoding, context);
                }
                Err(failure) => {
                    drop(ticket);
                    let outcome = match failure.kind() {
                        TransportErrorKind::NotSent => AttemptOutcome::NotSent,
                        TransportErrorKind::Interrupted => AttemptOutcome::Interrupted,
                        TransportErrorKind::Timeout => return Err(Error::Timeout { context: Some(Box::new(context)) }),
                        TransportErrorKind::BodyTooLarge { limit } => {
                            return Err(Error::BodyTooLarge { limit, context: Some(Box::new(context)) })
                        }
                        _ => {
                            return Err(Error::Transport {
                                source: hide_secrets(failure.into_source(), &inner.base_url_secrets),
                                not_sent: false,
                                context: Some(Box::new(context)),
                            })
                        }
                    };
                    let delay = policy.delay(&O::METHOD, outcome, retries, SystemTime::now(), random_u64());
                    if let Some(delay) = delay.filter(|(wait, _)| fits(*wait)) {
                        trace::retry(&context, delay, "connection failed");
                        tokio::time::sleep(delay.0).await;
                        retries += 1;
                        continue;
                    }
                    let not_sent = matches!(outcome, AttemptOutcome::NotSent);
                    return Err(Error::Transport {
                        source: hide_secrets(failure.into_source(), &inner.base_url_secrets),
                        not_sent,
                        context: Some(Box::new(context)),
                    });
                }
            }
        }
    }

    /// One attempt on the wire, within the timeout. The request is built again for each attempt
    /// (about 2 µs) rather than cloned up front: a call that succeeds the first time, the common
    /// case, pays nothing for being retryable.
    async fn send_once<O: Operation>(
        &self,
        operation: &O,
        options: &CallOptions,
        timeout: Option<Duration>,
    ) -> Result<Result<http::Response<Vec<u8>>, TransportError>, SendError> {
        match &self.inner.transport {
            Carrier::Reqwest(transport) => {
                let mut request = self.reqwest_request(operation, &options.headers).map_err(SendError::Request)?;
                *request.timeout_mut() = timeout;
                Ok(transport.execute(request).await)
            }
            Carrier::Custom(transport) => {
                let sent = transport.send(self.request(operation, &options.headers).map_err(SendError::Request)?);
                match timeout {
                    Some(limit) => tokio::time::timeout(limit, sent).await.map_err(|_| SendError::Timeout),
                    None => Ok(sent.await),
                }
            }
        }
    }
}

/// A transport's error as the caller will see it: unchanged, unless its text (`Display` or `Debug`,
/// of it or of an error it wraps) shows credentials embedded in the base URL. reqwest's errors
/// never do (the transport redacts their URL); another transport's that does is replaced by its
/// text with the credentials as `***`, its chain flattened into that text.
fn hide_secrets(
    source: Box<dyn std::error::Error + Send + Sync>,
    secrets: &[String],
) -> Box<dyn std::error::Error + Send + Sync> {
    if secrets.is_empty() {
        return source;
    }
    let mut display = source.to_string();
    let mut next = source.source();
    while let Some(inner) = next {
        display.push_str(": ");
        display.push_str(&inner.to_string());
        next = inner.source();
    }
    let debug = format!("{source:?}");
    if !secrets.iter().any(|secret| display.contains(secret.as_str()) || debug.contains(secret.as_str())) {
        return source;
    }
    Box::new(Redacted {
        display: redact_text(&display, secrets).into_owned(),
        debug: redact_text(&debug, secrets).into_owned(),
    })
}

/// A transport error whose text showed credentials, with them replaced by `***`.
struct Redacted {
    display: String,
    debug: String,
}

impl std::fmt::Display for Redacted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.display)
    }
}

impl std::fmt::Debug for Redacted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.debug)
    }
}

impl std::error::Error for Redacted {}

/// Why an attempt produced neither a response nor a transport failure.
enum SendError {
    /// The request could not be built.
    Request(Error),
    /// A custom transport did not answer within the call's timeout.
    Timeout,
}

/// The final answer of a call: its decoded output with what the client saw, or the decoding error
/// carrying the call's attempts and page position.
fn decode<O: Operation>(
    status: http::StatusCode,
    headers: http::HeaderMap,
    body: Vec<u8>,
    decoding: Decoding,
    mut context: CallContext,
) -> Result<Response<O::Output>, Error> {
    match parse_owned::<O>(status, &headers, body, decoding) {
        Ok(decoded) => Ok(Response {
            status,
            headers,
            data: decoded.value,
            mismatches: decoded.mismatches,
            undeclared: decoded.undeclared,
            rate_limit: context.rate_limit,
            request_id: context.request_id,
            attempts: context.attempts,
        }),
        Err(mut e) => {
            e.update_context(|c| {
                c.attempts = context.attempts;
                c.page = context.page.take();
            });
            Err(e)
        }
    }
}

/// The `tracing` side of a call, compiled out without the `tracing` feature. The token is never
/// a field: only the operation, version, method, path template, attempt, status, request id and
/// rate-limit remaining are.
#[cfg(feature = "tracing")]
mod trace {
    use std::time::Duration;

    use crate::runtime::retry::DelaySource;
    use crate::runtime::{CallContext, Operation};
    pub use tracing::Span;
    use tracing::{field::Empty, Instrument};

    pub fn call_span<O: Operation>() -> Span {
        tracing::info_span!(
            "intercom.call",
            operation = O::OPERATION_ID,
            version = O::VERSION,
            method = %O::METHOD,
            path = O::PATH,
            attempt = Empty,
            status = Empty,
            request_id = Empty,
            rate_limit_remaining = Empty,
        )
    }

    pub async fn instrument<F: std::future::Future>(future: F, span: &Span) -> F::Output {
        future.instrument(span.clone()).await
    }

    pub fn record_attempt(span: &Span, attempt: u32) {
        span.record("attempt", attempt);
    }

    pub fn record_response(span: &Span, status: http::StatusCode, context: &CallContext) {
        span.record("status", status.as_u16());
        if let Some(id) = &context.request_id {
            span.record("request_id", crate::runtime::error::sanitize(id, 200).as_ref());
        }
        if let Some(remaining) = context.rate_limit.remaining {
            span.record("rate_limit_remaining", remaining);
        }
    }

    pub fn retry(context: &CallContext, (delay, source): (Duration, DelaySource), reason: &str) {
        tracing::warn!(
            operation = context.operation_id,
            attempt = context.attempts,
            delay_ms = delay.as_millis() as u64,
            delay_source = ?source,
            reason,
            "retrying Intercom call"
        );
    }

    pub fn paced(operation: &'static str, delay: Duration, rate_limit_remaining: Option<u64>) {
        tracing::debug!(
            operation,
            delay_ms = delay.as_millis() as u64,
            rate_limit_remaining,
            "pacing Intercom call under the rate limit"
        );
    }
}

#[cfg(not(feature = "tracing"))]
mod trace {
    use std::time::Duration;

    use crate::runtime::retry::DelaySource;
    use crate::runtime::{CallContext, Operation};

    pub struct Span;

    #[allow(clippy::extra_unused_type_parameters)] // the same signature as with `tracing`
    pub fn call_span<O: Operation>() -> Span {
        Span
    }

    pub async fn instrument<F: std::future::Future>(future: F, _: &Span) -> F::Output {
        future.await
    }

    pub fn record_attempt(_: &Span, _: u32) {}

    pub fn record_response(_: &Span, _: http::StatusCode, _: &CallContext) {}

    pub fn retry(_: &CallContext, _: (Duration, DelaySource), _: &str) {}

    pub fn paced(_: &'static str, _: Duration, _: Option<u64>) {}
}

/// One pending call: the operation, extra headers, and its own retry policy and timeout if set.
/// Optional parameters are set with the call's generated setters (`.per_page(50)`), or all at once
/// with [`Call::with`]. A call owns a handle to its client (an `Arc`), so it, and the future it
/// becomes when awaited, is `'static + Send`: it can be handed to `tokio::spawn` as it is.
pub struct Call<O> {
    client: Client,
    operation: O,
    options: CallOptions,
}

impl<O> Call<O> {
    /// The operation, for the generated setters.
    #[allow(dead_code)] // unused when no version feature is enabled (no setters are generated in)
    pub(crate) fn operation_mut(&mut self) -> &mut O {
        &mut self.operation
    }

    /// The operation this call will send.
    pub fn operation(&self) -> &O {
        &self.operation
    }
}

impl<O: Operation + Send + Sync + 'static> Call<O> {
    /// Changes the operation (e.g. sets several optional parameters) before sending.
    pub fn with(mut self, change: impl FnOnce(&mut O)) -> Self {
        change(&mut self.operation);
        self
    }

    /// Adds a header to this call only (every page of a stream carries it too). An invalid name
    /// or value fails the call with [`Error::InvalidRequest`] when it is sent, before anything goes
    /// out. A raw `Intercom-Version` here replaces the module's, but the answer is still decoded
    /// as the module's types.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        let parsed =
            http::HeaderName::from_bytes(name.as_bytes()).map_err(|e| format!("header name {name:?}: {e}")).and_then(
                |n| http::HeaderValue::from_str(value).map(|v| (n, v)).map_err(|e| format!("header {name}: {e}")),
            );
        match parsed {
            Ok(header) => self.options.headers.push(header),
            Err(problem) => {
                self.options.invalid_header.get_or_insert(problem);
            }
        }
        self
    }

    /// The timeout of each attempt of this call (each page of a stream), instead of the client's.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.options.timeout = Some(timeout);
        self
    }

    /// Retries of this call after its first attempt, instead of the client's; 0 disables.
    pub fn max_retries(mut self, retries: u32) -> Self {
        let policy = self.options.retry.unwrap_or(self.client.inner.retry);
        self.options.retry = Some(policy.with_max_retries(retries));
        self
    }

    /// The overall deadline of this call (every page of a stream has its own): attempts and
    /// waits together, see [`ClientBuilder::deadline`].
    pub fn deadline(mut self, deadline: Duration) -> Self {
        let policy = self.options.retry.unwrap_or(self.client.inner.retry);
        self.options.retry = Some(policy.with_deadline(deadline));
        self
    }

    /// The retry policy of this call, instead of the client's.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.options.retry = Some(policy);
        self
    }

    /// Sends and returns the typed data with the response's status, headers and rate limit.
    pub async fn response(self) -> Result<Response<O::Output>, Error> {
        self.client.execute(&self.operation, &self.options, None).await
    }
}

impl<O> IntoFuture for Call<O>
where
    O: Operation + Send + Sync + 'static,
    O::Output: Send,
{
    type Output = Result<O::Output, Error>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send + 'static>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(async move { self.response().await.map(|r| r.data) })
    }
}

impl<O: Paginated + Send + Sync + 'static> Call<O> {
    /// Every page of this call as a stream ([`Pages::next`], or `futures::Stream`), each page sent
    /// with this call's headers, retry policy and timeout.
    pub fn pages(self) -> Pages<O> {
        Pages::new(self.client, self.operation, self.options)
    }

    /// The pages from `page` on (a position saved from a failed stream, [`Pages::resume_from`]).
    pub fn pages_from(mut self, page: PageToken) -> Pages<O> {
        self.operation.set_page(page);
        self.pages()
    }

    /// Every item of every page, in order, as a stream ([`Items::next`], or `futures::Stream`).
    pub fn items(self) -> Items<O> {
        Items::new(self.pages())
    }

    /// The items from page `page` on.
    pub fn items_from(self, page: PageToken) -> Items<O> {
        Items::new(self.pages_from(page))
    }
}
