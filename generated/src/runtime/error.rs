//! The one error type of the crate: what can go wrong between building a request and holding a
//! typed response.

use std::borrow::Cow;
use std::fmt;

use super::error_code::ErrorCode;
use super::pagination::PageToken;
use super::rate_limit::RateLimit;

/// The most characters of one piece of server-supplied text (an error message, a request id, a
/// JSON path) that `Display` and `Debug` show: enough to read, too little to flood a log line.
pub(crate) const MAX_SHOWN_CHARS: usize = 200;

/// The most bytes of a raw body that `Debug` shows (the whole body stays in the value).
pub(crate) const MAX_SHOWN_BODY_BYTES: usize = 1024;

/// Text that cannot forge log lines: control characters (C0, DEL, C1) and the Unicode line
/// separators and bidirectional overrides are shown escaped (`\n`, `\u{1b}`), and at most `max`
/// characters are kept, followed by `…` when cut. Other text, including non-ASCII, stays readable.
/// Borrows when nothing needs changing, which is the common case.
pub(crate) fn sanitize(text: &str, max: usize) -> Cow<'_, str> {
    let cut = byte_offset(text, max);
    if cut == text.len() && !text.contains(must_escape) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(cut + 16);
    for c in text[..cut].chars() {
        if must_escape(c) {
            out.extend(c.escape_debug());
        } else {
            out.push(c);
        }
    }
    if cut < text.len() {
        out.push('…');
    }
    Cow::Owned(out)
}

/// The byte offset of the `n`th character (the text's length if it is shorter).
fn byte_offset(text: &str, n: usize) -> usize {
    text.char_indices().nth(n).map_or(text.len(), |(i, _)| i)
}

/// Characters a terminal or log viewer may act on rather than show: they could end a log line,
/// rewrite it (ANSI escapes start with ESC) or reorder it (bidi overrides, "Trojan Source").
fn must_escape(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{2028}' | '\u{2029}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// A server-supplied string for `Display`: sanitized and capped.
fn shown(text: &str) -> Cow<'_, str> {
    sanitize(text, MAX_SHOWN_CHARS)
}

/// `Debug` of a server-supplied string: quoted, escaped and capped like [`sanitize`].
struct DebugText<'a>(&'a str);

impl fmt::Debug for DebugText<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let cut = byte_offset(self.0, MAX_SHOWN_CHARS);
        fmt::Debug::fmt(&self.0[..cut], f)?;
        if cut < self.0.len() {
            write!(f, "… ({} bytes)", self.0.len())?;
        }
        Ok(())
    }
}

/// `Debug` of a raw body: its first [`MAX_SHOWN_BODY_BYTES`] as (lossy) UTF-8 text, then its
/// length, instead of a list of byte numbers that can run to megabytes.
struct DebugBody<'a>(&'a [u8]);

impl fmt::Debug for DebugBody<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let head = &self.0[..self.0.len().min(MAX_SHOWN_BODY_BYTES)];
        fmt::Debug::fmt(&String::from_utf8_lossy(head), f)?;
        if head.len() < self.0.len() {
            write!(f, "… ({} bytes)", self.0.len())?;
        }
        Ok(())
    }
}

fn debug_opt(text: &Option<String>) -> Option<DebugText<'_>> {
    text.as_deref().map(DebugText)
}

/// Intercom's error body (`{"type": "error.list", "request_id": …, "errors": [{code, message, field}]}`),
/// the same in every API version. `Debug` shows each string escaped and capped.
#[derive(Clone, PartialEq, Eq, Default, serde::Deserialize)]
pub struct ErrorList {
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
    #[serde(default)]
    pub request_id: Option<String>,
    #[serde(default)]
    pub errors: Vec<ErrorItem>,
}

impl fmt::Debug for ErrorList {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ErrorList")
            .field("kind", &debug_opt(&self.kind))
            .field("request_id", &debug_opt(&self.request_id))
            .field("errors", &self.errors)
            .finish()
    }
}

#[derive(Clone, PartialEq, Eq, Default, serde::Deserialize)]
pub struct ErrorItem {
    #[serde(default)]
    pub code: Option<String>,
    #[serde(default)]
    pub message: Option<String>,
    #[serde(default)]
    pub field: Option<String>,
}

impl fmt::Debug for ErrorItem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ErrorItem")
            .field("code", &debug_opt(&self.code))
            .field("message", &debug_opt(&self.message))
            .field("field", &debug_opt(&self.field))
            .finish()
    }
}

/// A non-success HTTP response. `Debug` shows the body as capped text.
#[derive(Clone)]
pub struct ApiError {
    pub status: http::StatusCode,
    pub headers: http::HeaderMap,
    /// From the body's `request_id`, else the `x-request-id` header.
    pub request_id: Option<String>,
    /// The parsed `error.list`, when the body is one.
    pub error_list: Option<ErrorList>,
    /// The raw body (always kept: it is what support will ask for).
    pub body: Vec<u8>,
    /// The rate-limit headers of the response (a 429 above all).
    pub rate_limit: RateLimit,
    /// The wait the server asked for before another attempt, read when the response arrived:
    /// `Retry-After` (seconds or an HTTP date), else on a 429 until `X-RateLimit-Reset`.
    pub retry_after: Option<std::time::Duration>,
    /// The call that failed, when known.
    pub context: Option<Box<CallContext>>,
}

/// Which call an error comes from: operation, method and path template, version, request id,
/// attempts made, the rate limit last reported and, for a page of a stream, where that page starts
/// (start a new stream there to resume). Never the token.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct CallContext {
    /// The spec's operationId (`listAllCompanies`).
    pub operation_id: &'static str,
    pub method: http::Method,
    /// The path template (`/companies/{id}`), never the filled-in path.
    pub path: &'static str,
    /// The module's `Intercom-Version`.
    pub version: &'static str,
    /// Intercom's request id (`x-request-id`, or the error body's `request_id`), when a response
    /// arrived.
    pub request_id: Option<String>,
    /// Attempts made, retries included.
    pub attempts: u32,
    /// The rate limit of the last response (all `None` if none arrived).
    pub rate_limit: RateLimit,
    /// The page the failed request asked for (streams only; `None` for a first page without a
    /// position).
    pub page: Option<PageToken>,
}

impl CallContext {
    /// The context of operation `O` before any attempt.
    pub fn of<O: super::Operation + ?Sized>() -> CallContext {
        CallContext {
            operation_id: O::OPERATION_ID,
            method: O::METHOD,
            path: O::PATH,
            version: O::VERSION,
            request_id: None,
            attempts: 0,
            rate_limit: RateLimit::default(),
            page: None,
        }
    }
}

impl fmt::Debug for CallContext {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CallContext")
            .field("operation_id", &self.operation_id)
            .field("method", &self.method)
            .field("path", &self.path)
            .field("version", &self.version)
            .field("request_id", &debug_opt(&self.request_id))
            .field("attempts", &self.attempts)
            .field("rate_limit", &self.rate_limit)
            .field("page", &self.page)
            .finish()
    }
}

impl fmt::Display for CallContext {
    /// ` in listAllCompanies (GET /companies, version 2.11, 3 attempts, page 2) [request abc]`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, " in {} ({} {}, version {}", self.operation_id, self.method, self.path, self.version)?;
        if self.attempts > 1 {
            write!(f, ", {} attempts", self.attempts)?;
        }
        if let Some(page) = &self.page {
            write!(f, ", {page}")?;
        }
        f.write_str(")")?;
        if let Some(id) = &self.request_id {
            write!(f, " [request {}]", shown(id))?;
        }
        Ok(())
    }
}

impl fmt::Debug for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiError")
            .field("status", &self.status)
            .field("headers", &self.headers)
            .field("request_id", &debug_opt(&self.request_id))
            .field("error_list", &self.error_list)
            .field("body", &DebugBody(&self.body))
            .field("rate_limit", &self.rate_limit)
            .field("retry_after", &self.retry_after)
            .field("context", &self.context)
            .finish()
    }
}

impl ApiError {
    pub fn from_response(status: http::StatusCode, headers: http::HeaderMap, body: Vec<u8>) -> ApiError {
        let error_list = super::de::from_body::<ErrorList>(&body)
            .ok()
            .filter(|e| e.kind.as_deref() == Some("error.list") || !e.errors.is_empty());
        let request_id = error_list
            .as_ref()
            .and_then(|e| e.request_id.clone())
            .or_else(|| headers.get("x-request-id").and_then(|v| v.to_str().ok()).map(str::to_string));
        let rate_limit = RateLimit::from_headers(&headers);
        let retry_after =
            super::retry::server_delay(status, &headers, std::time::SystemTime::now()).map(|(wait, _)| wait);
        ApiError { status, headers, request_id, error_list, body, rate_limit, retry_after, context: None }
    }

    /// The first error's code as an [`ErrorCode`] (`ErrorCode::Unknown` for a code this crate does
    /// not know), if the body had one.
    pub fn error_code(&self) -> Option<ErrorCode> {
        self.code().map(ErrorCode::parse)
    }

    /// Every error's code, in order.
    pub fn error_codes(&self) -> impl Iterator<Item = ErrorCode> + '_ {
        self.error_list.iter().flat_map(|l| &l.errors).filter_map(|e| e.code.as_deref()).map(ErrorCode::parse)
    }

    /// The first error's code (`not_found`, `unauthorized`, …), if the body had one.
    pub fn code(&self) -> Option<&str> {
        self.error_list.as_ref()?.errors.first()?.code.as_deref()
    }
}

/// Everything that can go wrong with a call. `Display` never shows a server-supplied string
/// unescaped or longer than 200 characters (control characters would let a response forge log
/// lines), and neither `Display` nor `Debug` ever shows the access token; `Debug` shows bodies as
/// their first KiB of text. The raw bodies stay in [`ApiError::body`] and `Decode::body`.
#[non_exhaustive]
pub enum Error {
    /// Intercom answered with a non-success status.
    Api(Box<ApiError>),
    /// A success body did not decode into the expected type.
    Decode {
        /// JSON path of the failing value (`data[3].created_at`).
        path: String,
        message: String,
        status: http::StatusCode,
        body: Vec<u8>,
        /// The call whose response this was.
        context: Option<Box<CallContext>>,
    },
    /// The request body could not be encoded.
    Encode(serde_json::Error),
    /// The request could not be built (an invalid base URL, header value or path parameter).
    InvalidRequest(String),
    /// The connection failed before a response arrived (after any retries).
    Transport {
        source: Box<dyn std::error::Error + Send + Sync>,
        /// Whether the request was known not to have been written (a refused connection, DNS, TLS).
        not_sent: bool,
        context: Option<Box<CallContext>>,
    },
    /// No response within the client's or the call's timeout.
    Timeout { context: Option<Box<CallContext>> },
    /// The response body was longer than the client's `max_body_size`; it was not read further.
    BodyTooLarge {
        /// The limit in bytes.
        limit: u64,
        context: Option<Box<CallContext>>,
    },
    /// A page of a stream says more pages remain but gives no usable position for the next one
    /// (missing, or of the wrong JSON type): the stream ends with this error rather than silently
    /// drop the rest. The page itself was returned before it.
    Pagination {
        /// JSON path of the member that should say where the next page starts.
        path: String,
        message: String,
        /// The call that fetched the page (its `page` is the page's own position).
        context: Option<Box<CallContext>>,
    },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api(e) => display_api(e, f),
            Error::Decode { path, message, status, context, .. } => {
                write!(f, "cannot decode the {status} response at `{}`: {}", shown(path), shown(message))?;
                display_context(context.as_deref(), f)
            }
            // An error with an inner error says what failed and leaves the inner error to
            // `source()` (the Rust API guidelines, C-GOOD-ERR): an error reporter walks the chain
            // and would otherwise print the inner message twice.
            Error::Encode(_) => f.write_str("cannot encode the request body"),
            // Ours, but it may quote a caller (a header value, a URL): escaped too, with room for
            // a long URL.
            Error::InvalidRequest(m) => write!(f, "invalid request: {}", sanitize(m, MAX_OWN_CHARS)),
            Error::Transport { not_sent, context, .. } => {
                f.write_str(if *not_sent {
                    "transport error before the request was sent"
                } else {
                    "transport error: no response arrived"
                })?;
                display_context(context.as_deref(), f)
            }
            Error::Timeout { context } => {
                f.write_str("the request timed out")?;
                display_context(context.as_deref(), f)
            }
            Error::BodyTooLarge { limit, context } => {
                write!(f, "the response body is larger than the limit of {limit} bytes")?;
                display_context(context.as_deref(), f)
            }
            Error::Pagination { path, message, context } => {
                write!(f, "pagination cannot go on at `{}`: {}", shown(path), shown(message))?;
                display_context(context.as_deref(), f)
            }
        }
    }
}

fn display_context(context: Option<&CallContext>, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    match context {
        Some(c) => fmt::Display::fmt(c, f),
        None => Ok(()),
    }
}

/// The most characters shown of a message that is ours or the HTTP stack's.
const MAX_OWN_CHARS: usize = 1000;

fn display_api(e: &ApiError, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    write!(f, "Intercom returned {}", e.status)?;
    if let Some(list) = &e.error_list {
        for item in &list.errors {
            write!(
                f,
                "; {}: {}",
                shown(item.code.as_deref().unwrap_or("error")),
                shown(item.message.as_deref().unwrap_or(""))
            )?;
            if let Some(field) = &item.field {
                write!(f, " (field `{}`)", shown(field))?;
            }
        }
    }
    match &e.context {
        Some(c) => fmt::Display::fmt(c, f),
        None => {
            if let Some(id) = &e.request_id {
                write!(f, " [request {}]", shown(id))?;
            }
            Ok(())
        }
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api(e) => f.debug_tuple("Api").field(e).finish(),
            Error::Decode { path, message, status, body, context } => f
                .debug_struct("Decode")
                .field("path", &DebugText(path))
                .field("message", &DebugText(message))
                .field("status", status)
                .field("body", &DebugBody(body))
                .field("context", context)
                .finish(),
            Error::Encode(e) => f.debug_tuple("Encode").field(e).finish(),
            Error::InvalidRequest(m) => f.debug_tuple("InvalidRequest").field(m).finish(),
            Error::Transport { source, not_sent, context } => f
                .debug_struct("Transport")
                .field("source", source)
                .field("not_sent", not_sent)
                .field("context", context)
                .finish(),
            Error::Timeout { context } => f.debug_struct("Timeout").field("context", context).finish(),
            Error::BodyTooLarge { limit, context } => {
                f.debug_struct("BodyTooLarge").field("limit", limit).field("context", context).finish()
            }
            Error::Pagination { path, message, context } => f
                .debug_struct("Pagination")
                .field("path", &DebugText(path))
                .field("message", &DebugText(message))
                .field("context", context)
                .finish(),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Encode(e) => Some(e),
            Error::Transport { source, .. } => Some(source.as_ref()),
            _ => None,
        }
    }
}

impl Error {
    /// The API error, if this is one.
    pub fn api(&self) -> Option<&ApiError> {
        match self {
            Error::Api(e) => Some(e),
            _ => None,
        }
    }

    /// The call this error comes from (operation, method and path template, request id, attempts,
    /// the page to resume from), when it comes from one.
    pub fn context(&self) -> Option<&CallContext> {
        match self {
            Error::Api(e) => e.context.as_deref(),
            Error::Decode { context, .. }
            | Error::Transport { context, .. }
            | Error::Timeout { context }
            | Error::BodyTooLarge { context, .. }
            | Error::Pagination { context, .. } => context.as_deref(),
            Error::Encode(_) | Error::InvalidRequest(_) => None,
        }
    }

    fn context_slot(&mut self) -> Option<&mut Option<Box<CallContext>>> {
        match self {
            Error::Api(e) => Some(&mut e.context),
            Error::Decode { context, .. }
            | Error::Transport { context, .. }
            | Error::Timeout { context }
            | Error::BodyTooLarge { context, .. }
            | Error::Pagination { context, .. } => Some(context),
            Error::Encode(_) | Error::InvalidRequest(_) => None,
        }
    }

    /// This error with `context` attached (errors raised before a request exists keep none).
    pub fn with_context(mut self, context: CallContext) -> Error {
        if let Some(slot) = self.context_slot() {
            *slot = Some(Box::new(context));
        }
        self
    }

    /// Changes the attached context, if there is one.
    #[cfg_attr(not(feature = "client"), allow(dead_code))]
    pub(crate) fn update_context(&mut self, change: impl FnOnce(&mut CallContext)) {
        if let Some(Some(context)) = self.context_slot() {
            change(context);
        }
    }

    /// The operationId of the failed call, when known.
    pub fn operation_id(&self) -> Option<&'static str> {
        self.context().map(|c| c.operation_id)
    }

    /// Intercom's request id, when a response arrived.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Api(e) => e.request_id.as_deref().or_else(|| e.context.as_ref()?.request_id.as_deref()),
            other => other.context()?.request_id.as_deref(),
        }
    }

    /// The rate limit the last response reported (a 429 above all).
    pub fn rate_limit(&self) -> Option<RateLimit> {
        match self {
            Error::Api(e) => Some(e.rate_limit),
            other => other.context().map(|c| c.rate_limit).filter(RateLimit::is_known),
        }
    }

    /// The first Intercom error code of an API error.
    pub fn code(&self) -> Option<ErrorCode> {
        self.api()?.error_code()
    }

    /// Whether Intercom answered that the resource does not exist: a `404` (whatever its error
    /// code: `not_found`, `company_not_found`, …).
    pub fn is_not_found(&self) -> bool {
        matches!(self, Error::Api(e) if e.status == http::StatusCode::NOT_FOUND)
    }

    /// Where the failed page of a stream starts: start a new stream there to resume.
    pub fn page(&self) -> Option<&PageToken> {
        self.context()?.page.as_ref()
    }

    /// Whether this is a timeout.
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Timeout { .. })
    }

    /// Whether Intercom refused the call for its rate limit (a 429).
    pub fn is_rate_limited(&self) -> bool {
        self.status() == Some(http::StatusCode::TOO_MANY_REQUESTS)
    }

    /// Whether the same request may succeed later: a retryable status (408, 429, 500, 502, 503,
    /// 504), a connection that failed before a response, or a timeout. It says nothing of whether
    /// repeating is safe: a `POST` whose connection failed after writing (`not_sent: false`) or
    /// that got a 500 may have been carried out (the client itself repeats those only for
    /// idempotent methods; see [`CallContext::method`]). [`Error::retry_after`] says how long to wait.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Api(e) => super::retry::is_retryable_status(e.status),
            Error::Transport { .. } | Error::Timeout { .. } => true,
            // A page whose next position drifted would drift again.
            Error::Decode { .. }
            | Error::Encode(_)
            | Error::InvalidRequest(_)
            | Error::BodyTooLarge { .. }
            | Error::Pagination { .. } => false,
        }
    }

    /// The wait the server asked for before trying again (`Retry-After`, else a 429's
    /// `X-RateLimit-Reset`), as read when the response arrived. The client returns an error at
    /// once, without the retry, when this wait is longer than the call may still spend
    /// (`RetryPolicy::max_wait`, `RetryPolicy::deadline`).
    pub fn retry_after(&self) -> Option<std::time::Duration> {
        self.api()?.retry_after
    }

    /// The HTTP status of an API or decode error.
    pub fn status(&self) -> Option<http::StatusCode> {
        match self {
            Error::Api(e) => Some(e.status),
            Error::Decode { status, .. } => Some(*status),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sanitize_keeps_ordinary_text_borrowed() {
        for text in ["", "Resource Not Found", "Zoë, 日本語, emoji 🎉, tab-free", "a\\nb (a backslash and an n)"]
        {
            assert!(matches!(sanitize(text, 200), Cow::Borrowed(t) if t == text), "{text}");
        }
    }

    #[test]
    fn sanitize_escapes_every_control_and_line_breaking_character() {
        let forged = "ok\n2024-01-01 INFO admin logged in\r\x1b[31mred\x1b[0m\u{7f}\u{85}\u{9b}\u{2028}\u{2029}\u{202e}\u{2066}\0";
        let shown = sanitize(forged, 200);
        assert_eq!(shown, "ok\\n2024-01-01 INFO admin logged in\\r\\u{1b}[31mred\\u{1b}[0m\\u{7f}\\u{85}\\u{9b}\\u{2028}\\u{2029}\\u{202e}\\u{2066}\\0");
        assert!(!shown.chars().any(must_escape));
    }

    #[test]
    fn sanitize_caps_by_characters_with_an_ellipsis() {
        assert_eq!(sanitize("abcdef", 3), "abc…");
        assert_eq!(sanitize("abc", 3), "abc");
        // Multi-byte characters are counted, never split.
        assert_eq!(sanitize("ééééé", 2), "éé…");
        assert_eq!(sanitize("\n\n\n\n", 2), "\\n\\n…");
        let long = "x".repeat(10_000_000);
        assert_eq!(sanitize(&long, MAX_SHOWN_CHARS).chars().count(), MAX_SHOWN_CHARS + 1);
    }

    fn api_error(body: &str) -> Error {
        let mut headers = http::HeaderMap::new();
        headers.insert("x-request-id", http::HeaderValue::from_static("hdr"));
        Error::Api(Box::new(ApiError::from_response(http::StatusCode::BAD_REQUEST, headers, body.as_bytes().to_vec())))
    }

    #[test]
    fn display_escapes_and_caps_every_server_supplied_piece() {
        let long = "m".repeat(5000);
        let body = format!(
            r#"{{"type":"error.list","request_id":"r\n1","errors":[{{"code":"c\u001b[2J","message":"{long}","field":"f\r\nX-Forged: 1"}}]}}"#
        );
        let shown = api_error(&body).to_string();
        assert!(!shown.contains(['\n', '\r', '\x1b']), "{shown}");
        assert!(shown.contains("c\\u{1b}[2J: mmm"), "{shown}");
        assert!(shown.contains("(field `f\\r\\nX-Forged: 1`) [request r\\n1]"), "{shown}");
        assert!(shown.len() < 400, "{}", shown.len());

        let decode = Error::Decode {
            path: "data.\u{1b}]0;title\u{7}".into(),
            message: "bad\nline".into(),
            status: http::StatusCode::OK,
            body: Vec::new(),
            context: None,
        };
        assert_eq!(decode.to_string(), "cannot decode the 200 OK response at `data.\\u{1b}]0;title\\u{7}`: bad\\nline");
        assert_eq!(Error::InvalidRequest("x\ny".into()).to_string(), "invalid request: x\\ny");
        assert_eq!(
            Error::BodyTooLarge { limit: 10, context: None }.to_string(),
            "the response body is larger than the limit of 10 bytes"
        );
    }

    /// Every message of the chain an error reporter prints (`Display`, then each `source()`).
    fn chain(error: &dyn std::error::Error) -> Vec<String> {
        let mut messages = vec![error.to_string()];
        let mut next = error.source();
        while let Some(inner) = next {
            messages.push(inner.to_string());
            next = inner.source();
        }
        messages
    }

    #[test]
    fn no_variant_prints_its_inner_error_twice() {
        let encode = Error::Encode(serde_json::from_str::<u8>("\"x\"").unwrap_err());
        let transport = Error::Transport { source: "connection refused".into(), not_sent: true, context: None };
        let others = [
            api_error(r#"{"type":"error.list","errors":[{"code":"not_found","message":"gone"}]}"#),
            Error::InvalidRequest("bad header".into()),
            Error::Timeout { context: None },
            Error::BodyTooLarge { limit: 1, context: None },
        ];
        assert_eq!(
            chain(&encode),
            ["cannot encode the request body", "invalid type: string \"x\", expected u8 at line 1 column 3"]
        );
        assert_eq!(chain(&transport), ["transport error before the request was sent", "connection refused"]);
        for error in [&encode, &transport].into_iter().chain(&others) {
            let messages = chain(error);
            for (i, outer) in messages.iter().enumerate() {
                for inner in &messages[i + 1..] {
                    assert!(!outer.contains(inner.as_str()), "{outer:?} repeats {inner:?}");
                }
            }
        }
    }

    #[test]
    fn not_found_is_a_404_answer() {
        let not_found = |status: u16, body: &str| {
            Error::Api(Box::new(ApiError::from_response(
                http::StatusCode::from_u16(status).unwrap(),
                http::HeaderMap::new(),
                body.as_bytes().to_vec(),
            )))
        };
        assert!(not_found(404, r#"{"type":"error.list","errors":[{"code":"company_not_found"}]}"#).is_not_found());
        assert!(not_found(404, "<html>not here</html>").is_not_found());
        assert!(!not_found(400, r#"{"type":"error.list","errors":[{"code":"parameter_invalid"}]}"#).is_not_found());
        assert!(!Error::Timeout { context: None }.is_not_found());
    }

    #[test]
    fn debug_shows_bodies_as_capped_text() {
        let debug = format!("{:?}", api_error("<html>bad gateway</html>"));
        assert!(debug.contains(r#"body: "<html>bad gateway</html>""#), "{debug}");
        let big = Error::Decode {
            path: "p".repeat(1000),
            message: "m".into(),
            status: http::StatusCode::OK,
            body: vec![b'{'; 5000],
            context: None,
        };
        let debug = format!("{big:?}");
        assert!(debug.contains("… (5000 bytes)") && debug.contains("… (1000 bytes)"), "{debug}");
        assert!(debug.len() < 1600, "{}", debug.len());
        // Invalid UTF-8 is shown lossily rather than as numbers.
        let debug = format!(
            "{:?}",
            Error::Decode {
                path: String::new(),
                message: String::new(),
                status: http::StatusCode::OK,
                body: vec![b'a', 0xff, b'b'],
                context: None,
            }
        );
        assert!(debug.contains("body: \"a\u{fffd}b\""), "{debug}");
    }
}
