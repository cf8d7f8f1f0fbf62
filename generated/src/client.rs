//! The async client (cargo feature `client`): reqwest with rustls, bearer auth, region or custom
//! base URL, `Intercom-Version` on every request. Each version module adds typed, grouped calls
//! (`client.v2_11().contacts().create_contact(…)`); [`Client::call`] takes any operation value.

use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use crate::runtime::operation::{
    bearer, build_request, parse_borrowed, request_parts, Operation, Paginated, RequestContext, USER_AGENT,
};
use crate::runtime::{Decoding, Error, Mismatch};

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

/// The per-request timeout of a client unless [`ClientBuilder::timeout`] or
/// [`ClientBuilder::no_timeout`] says otherwise.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// The largest response body a client reads unless [`ClientBuilder::max_body_size`] says
/// otherwise: far above any Intercom page, far below what would exhaust memory.
pub const DEFAULT_MAX_BODY_SIZE: u64 = 64 * 1024 * 1024;

/// At most this much is reserved up front for a body of announced length, so that a
/// `Content-Length` the server then does not send cannot make the client allocate the limit.
const MAX_PREALLOCATED_BODY: u64 = 1024 * 1024;

struct Inner {
    http: reqwest::Client,
    token: String,
    /// `Bearer <token>`, built once; `None` when the token cannot be a header value (reported
    /// by every call).
    authorization: Option<http::HeaderValue>,
    base_url: String,
    user_agent: String,
    timeout: Option<Duration>,
    max_body_size: u64,
    decoding: Decoding,
}

/// A cheap-to-clone handle; share one per process.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url)
            .field("token", &"<redacted>")
            .field("timeout", &self.inner.timeout)
            .field("max_body_size", &self.inner.max_body_size)
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
    http: Option<reqwest::Client>,
}

impl std::fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("token", &"<redacted>")
            .field("timeout", &self.timeout)
            .field("max_body_size", &self.max_body_size)
            .finish()
    }
}

impl ClientBuilder {
    pub fn region(mut self, region: Region) -> Self {
        self.base_url = region.base_url().to_string();
        self
    }

    /// Any base URL (a proxy, a mock server); a trailing slash is ignored.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into().trim_end_matches('/').to_string();
        self
    }

    /// The time a request may take, from connecting until its body is read; when it is up the
    /// call fails with [`Error::Timeout`]. [`DEFAULT_TIMEOUT`] (30 s) unless changed here or
    /// turned off with [`ClientBuilder::no_timeout`].
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// No per-request timeout: a server that never answers keeps the call waiting forever,
    /// unless a client given to [`ClientBuilder::http_client`] has a timeout of its own.
    pub fn no_timeout(mut self) -> Self {
        self.timeout = None;
        self
    }

    /// The largest response body, in bytes, that a call reads; a longer one (by its
    /// `Content-Length` or as it streams in) fails the call with [`Error::BodyTooLarge`].
    /// [`DEFAULT_MAX_BODY_SIZE`] (64 MiB) unless changed here.
    /// Fails a response whose members do not fit their declared JSON types with
    /// [`Error::Decode`] instead of decoding it leniently (the default: the drifted member is kept
    /// raw in its struct's `extra_` map and reported in [`Response::mismatches`]).
    pub fn strict_decoding(mut self, strict: bool) -> Self {
        self.decoding = if strict { Decoding::Strict } else { Decoding::Lenient };
        self
    }

    pub fn max_body_size(mut self, bytes: u64) -> Self {
        self.max_body_size = bytes;
        self
    }

    /// Appended to the crate's own `User-Agent`.
    pub fn user_agent_suffix(mut self, suffix: &str) -> Self {
        self.user_agent = format!("{USER_AGENT} {suffix}");
        self
    }

    /// Use a preconfigured reqwest client (proxies, connection pools, middleware-free tuning).
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    pub fn build(self) -> Client {
        Client {
            inner: Arc::new(Inner {
                http: self.http.unwrap_or_default(),
                authorization: bearer(&self.token).ok(),
                token: self.token,
                base_url: self.base_url,
                user_agent: self.user_agent,
                timeout: self.timeout,
                max_body_size: self.max_body_size,
                decoding: self.decoding,
            }),
        }
    }
}

/// A typed response with its status and headers (rate-limit headers, request id, …).
#[derive(Debug, Clone)]
pub struct Response<T> {
    pub status: http::StatusCode,
    pub headers: http::HeaderMap,
    pub data: T,
    /// Members whose JSON type contradicted their declaration, kept raw in their struct's `extra_`
    /// map (empty unless Intercom sent something the description does not say).
    pub mismatches: Vec<Mismatch>,
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
            http: None,
        }
    }

    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// The per-request timeout ([`DEFAULT_TIMEOUT`] unless configured; `None` after
    /// [`ClientBuilder::no_timeout`]).
    pub fn timeout(&self) -> Option<Duration> {
        self.inner.timeout
    }

    /// The largest response body a call reads, in bytes.
    pub fn max_body_size(&self) -> u64 {
        self.inner.max_body_size
    }

    /// A call of any operation value; `.await` it for the typed result.
    pub fn call<O: Operation>(&self, operation: O) -> Call<'_, O> {
        Call { client: self, operation, headers: Vec::new() }
    }

    /// Every page of a paginated operation, in order: `while let Some(page) = pages.next().await`.
    pub fn pages<O: Paginated>(&self, operation: O) -> Pages<'_, O> {
        Pages { client: self, operation: Some(operation), headers: Vec::new(), seen: Vec::new() }
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

    async fn execute<O: Operation>(
        &self,
        operation: &O,
        extra: &[(http::HeaderName, http::HeaderValue)],
    ) -> Result<Response<O::Output>, Error> {
        let inner = &*self.inner;
        // The token goes in below from the value cached at build time, not re-formatted per call.
        let parts = request_parts(
            operation,
            RequestContext { base_url: &inner.base_url, token: None, user_agent: &inner.user_agent },
        )?;
        let url = reqwest::Url::parse(&parts.uri).map_err(|e| Error::InvalidRequest(format!("{}: {e}", parts.uri)))?;
        let mut request = reqwest::Request::new(parts.method, url);
        *request.headers_mut() = parts.headers;
        // Only an invalid token leaves no cached value; `bearer` reports why.
        let authorization = match &inner.authorization {
            Some(value) => value.clone(),
            None => bearer(&inner.token)?,
        };
        request.headers_mut().insert(http::header::AUTHORIZATION, authorization);
        for (name, value) in extra {
            request.headers_mut().insert(name.clone(), value.clone());
        }
        *request.body_mut() = parts.body.map(reqwest::Body::from);
        *request.timeout_mut() = inner.timeout;
        let mut response = inner.http.execute(request).await.map_err(transport)?;
        let status = response.status();
        let headers = std::mem::take(response.headers_mut());
        let body = read_body(&mut response, inner.max_body_size).await?;
        let decoded = parse_borrowed::<O>(status, &headers, &body, inner.decoding)?;
        Ok(Response { status, headers, data: decoded.value, mismatches: decoded.mismatches })
    }
}

/// Reads the body up to `limit` bytes: a longer announced length is refused before reading, and a
/// body without one (chunked) or longer than announced is cut off as soon as it passes the limit.
async fn read_body(response: &mut reqwest::Response, limit: u64) -> Result<Vec<u8>, Error> {
    let announced = response.content_length().unwrap_or(0);
    if announced > limit {
        return Err(Error::BodyTooLarge { limit });
    }
    let mut body = Vec::with_capacity(announced.min(MAX_PREALLOCATED_BODY) as usize);
    while let Some(chunk) = response.chunk().await.map_err(transport)? {
        if (body.len() + chunk.len()) as u64 > limit {
            return Err(Error::BodyTooLarge { limit });
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

fn transport(e: reqwest::Error) -> Error {
    if e.is_timeout() {
        Error::Timeout
    } else {
        Error::Transport(Box::new(e))
    }
}

/// One pending call: the operation (reachable through `Deref`, so optional parameters can be set
/// before awaiting) and extra headers.
pub struct Call<'a, O> {
    client: &'a Client,
    operation: O,
    headers: Vec<(http::HeaderName, http::HeaderValue)>,
}

impl<O> std::ops::Deref for Call<'_, O> {
    type Target = O;
    fn deref(&self) -> &O {
        &self.operation
    }
}

impl<O> std::ops::DerefMut for Call<'_, O> {
    fn deref_mut(&mut self) -> &mut O {
        &mut self.operation
    }
}

impl<'a, O: Operation + Send + Sync + 'a> Call<'a, O> {
    /// Changes the operation (e.g. sets optional parameters) before sending.
    pub fn with(mut self, change: impl FnOnce(&mut O)) -> Self {
        change(&mut self.operation);
        self
    }

    /// Adds a header to this call only. Invalid names or values are reported when sent.
    pub fn header(mut self, name: &str, value: &str) -> Result<Self, Error> {
        let name = http::HeaderName::from_bytes(name.as_bytes()).map_err(|e| Error::InvalidRequest(e.to_string()))?;
        let value = http::HeaderValue::from_str(value).map_err(|e| Error::InvalidRequest(e.to_string()))?;
        self.headers.push((name, value));
        Ok(self)
    }

    /// Sends and returns the typed data with the response's status and headers.
    pub async fn response(self) -> Result<Response<O::Output>, Error> {
        self.client.execute(&self.operation, &self.headers).await
    }
}

impl<'a, O> IntoFuture for Call<'a, O>
where
    O: Operation + Send + Sync + 'a,
    O::Output: Send,
{
    type Output = Result<O::Output, Error>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send + 'a>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(async move { self.response().await.map(|r| r.data) })
    }
}

/// The pages of a [`Paginated`] operation, fetched one at a time as they are asked for.
pub struct Pages<'a, O> {
    client: &'a Client,
    /// The request for the next page; `None` once the last page was returned (or an error).
    operation: Option<O>,
    /// Extra headers sent with every page (from [`Call::header`]).
    headers: Vec<(http::HeaderName, http::HeaderValue)>,
    /// Cursors already followed: a server repeating one must not loop us forever.
    seen: Vec<String>,
}

impl<O: Paginated> Pages<'_, O> {
    /// The next page, or `None` after the last one. An error ends the iteration.
    pub async fn next(&mut self) -> Option<Result<O::Output, Error>> {
        let mut operation = self.operation.take()?;
        match self.client.execute(&operation, &self.headers).await {
            Ok(response) => {
                if let Some(cursor) = O::next_cursor(&response.data).filter(|c| !self.seen.contains(c)) {
                    self.seen.push(cursor.clone());
                    operation.set_cursor(cursor);
                    self.operation = Some(operation);
                }
                Some(Ok(response.data))
            }
            Err(e) => Some(Err(e)),
        }
    }
}

impl<'a, O: Paginated + Send + Sync + 'a> Call<'a, O> {
    /// Every page of this call, each sent with the headers set on the call.
    pub fn pages(self) -> Pages<'a, O> {
        Pages { client: self.client, operation: Some(self.operation), headers: self.headers, seen: Vec::new() }
    }
}
