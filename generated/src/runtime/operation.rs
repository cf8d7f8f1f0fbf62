//! The sans-IO core: an [`Operation`] is a typed request value. [`build_request`] turns it into an
//! `http::Request<Vec<u8>>`, [`parse_response`] turns an `http::Response<Vec<u8>>` into the typed
//! success value or an [`Error`]. Any HTTP stack can carry the bytes in between.

use super::error::{ApiError, CallContext, Error};
use super::lenient::{self, Mismatch};
use super::params::Query;
use super::rate_limit::RateLimit;

/// How an operation's success body is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum SuccessBody {
    /// JSON into the operation's output type.
    Json,
    /// No body expected (`()`); whatever arrives is ignored.
    Empty,
    /// Plain text into a `String`.
    Text,
    /// The raw body, unchanged, into [`bytes::Bytes`] (a download such as a reporting-data export).
    /// The request asks for `Accept: application/octet-stream`.
    Binary,
    /// The success is a `3xx` redirect: its `Location` header into a `String`. The redirect is
    /// never followed (no transport of this crate follows redirects).
    Redirect,
}

/// An encoded request body and its `Content-Type`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestBody {
    pub content_type: String,
    pub bytes: Vec<u8>,
}

impl RequestBody {
    /// A JSON body (`application/json`).
    pub fn json(bytes: Vec<u8>) -> RequestBody {
        RequestBody { content_type: "application/json".into(), bytes }
    }
}

/// One Intercom operation with all its parameters. Generated for every operation of every version.
pub trait Operation {
    /// The typed success value.
    type Output: serde::de::DeserializeOwned + serde::Serialize;
    /// `GET`, `POST`, …
    const METHOD: http::Method;
    /// The path template as written in the spec (`/contacts/{contact_id}`).
    const PATH: &'static str;
    /// The spec's operationId.
    const OPERATION_ID: &'static str;
    /// The `Intercom-Version` of the module this operation belongs to.
    const VERSION: &'static str;
    const SUCCESS_BODY: SuccessBody;

    /// The path with parameters filled in and percent-encoded.
    fn path(&self) -> Result<String, Error>;
    /// Query parameters.
    fn query(&self, query: &mut Query) -> Result<(), Error>;
    /// Extra header parameters (the version header is handled by [`build_request`]).
    fn headers(&self, _headers: &mut Vec<(&'static str, String)>) -> Result<(), Error> {
        Ok(())
    }
    /// The encoded body, if the operation has one (JSON, unless [`Operation::request_body`] says
    /// otherwise).
    fn body(&self) -> Result<Option<Vec<u8>>, Error>;
    /// The encoded body with its content type; by default [`Operation::body`] as JSON. A
    /// `multipart/form-data` operation overrides it (the content type carries the boundary).
    fn request_body(&self) -> Result<Option<RequestBody>, Error> {
        Ok(self.body()?.map(RequestBody::json))
    }
}

/// Everything about a request that is not the operation: where it goes and who sends it.
#[derive(Clone, Copy)]
pub struct RequestContext<'a> {
    /// `https://api.intercom.io`, without a trailing slash.
    pub base_url: &'a str,
    /// Bearer token; `None` leaves authentication to the caller's stack.
    pub token: Option<&'a str>,
    pub user_agent: &'a str,
}

impl std::fmt::Debug for RequestContext<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RequestContext")
            .field("base_url", &super::redact::redact_url(self.base_url))
            .field("token", &self.token.map(|_| "<redacted>"))
            .finish()
    }
}

pub const USER_AGENT: &str = concat!("intercom-api-rust/", env!("CARGO_PKG_VERSION"));

/// Builds the HTTP request for `operation`.
pub fn build_request<O: Operation>(
    operation: &O,
    context: RequestContext<'_>,
) -> Result<http::Request<Vec<u8>>, Error> {
    let parts = request_parts(operation, context)?;
    let mut request = http::Request::new(parts.body.unwrap_or_default());
    *request.method_mut() = parts.method;
    *request.uri_mut() = parts.uri.parse().map_err(|e: http::uri::InvalidUri| invalid_uri(&parts.uri, e))?;
    *request.headers_mut() = parts.headers;
    Ok(request)
}

/// The error for a URI that does not parse, naming it without the credentials it may embed.
pub(crate) fn invalid_uri(uri: &str, problem: impl std::fmt::Display) -> Error {
    Error::InvalidRequest(format!("{}: {problem}", super::redact::redact_url(uri)))
}

/// A request before it is put into any HTTP stack's request type; the client turns it into a
/// `reqwest::Request` directly, so the URI is parsed once and the body never copied.
pub(crate) struct RequestParts {
    pub method: http::Method,
    pub uri: String,
    pub headers: http::HeaderMap,
    pub body: Option<Vec<u8>>,
}

pub(crate) fn request_parts<O: Operation>(operation: &O, context: RequestContext<'_>) -> Result<RequestParts, Error> {
    let mut uri = String::with_capacity(context.base_url.len() + 64);
    uri.push_str(context.base_url.trim_end_matches('/'));
    uri.push_str(&operation.path()?);
    let mut query = Query::default();
    operation.query(&mut query)?;
    if !query.is_empty() {
        uri.push('?');
        uri.push_str(&query.encode());
    }
    // The module is the version: its types decode only its answers.
    let version = O::VERSION;
    let mut headers = http::HeaderMap::with_capacity(8);
    let accept = match O::SUCCESS_BODY {
        SuccessBody::Binary => "application/octet-stream",
        _ => "application/json",
    };
    headers.insert(http::header::ACCEPT, http::HeaderValue::from_static(accept));
    headers.insert("intercom-version", header_value("Intercom-Version", version)?);
    headers.insert(http::header::USER_AGENT, header_value("User-Agent", context.user_agent)?);
    if let Some(token) = context.token {
        headers.insert(http::header::AUTHORIZATION, bearer(token)?);
    }
    let mut extra = Vec::new();
    operation.headers(&mut extra)?;
    // An operation's header replaces a default of the same name (its `Accept`), and is appended to
    // its own earlier values.
    let mut replaced: Vec<http::HeaderName> = Vec::new();
    for (name, value) in extra {
        let header = http::HeaderName::from_bytes(name.as_bytes())
            .map_err(|_| Error::InvalidRequest(format!("{name:?} is not a valid header name")))?;
        if header == http::header::AUTHORIZATION {
            return Err(Error::InvalidRequest("an operation may not set the Authorization header".into()));
        }
        if !replaced.contains(&header) {
            headers.remove(&header);
            replaced.push(header.clone());
        }
        headers.append(header, header_value(name, &value)?);
    }
    let body = match operation.request_body()? {
        Some(RequestBody { content_type, bytes }) => {
            headers.insert(http::header::CONTENT_TYPE, header_value("Content-Type", &content_type)?);
            Some(bytes)
        }
        None => None,
    };
    Ok(RequestParts { method: O::METHOD, uri, headers, body })
}

/// The `Authorization` value for `token`, marked sensitive so that it is never logged.
pub(crate) fn bearer(token: &str) -> Result<http::HeaderValue, Error> {
    let mut value = http::HeaderValue::from_str(&format!("Bearer {token}"))
        .map_err(|_| Error::InvalidRequest("the token is not a valid header value".into()))?;
    value.set_sensitive(true);
    Ok(value)
}

fn header_value(name: &str, value: &str) -> Result<http::HeaderValue, Error> {
    http::HeaderValue::from_str(value)
        .map_err(|_| Error::InvalidRequest(format!("{value:?} is not a valid value for the {name} header")))
}

/// How a success body is decoded when a member's JSON type contradicts its declaration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Decoding {
    /// The drifted member is kept raw in its struct's `extra_` map, its typed field stays empty,
    /// and the response still decodes; each such member is reported as a [`Mismatch`].
    #[default]
    Lenient,
    /// Every mismatch is an [`Error::Decode`] naming its JSON path.
    Strict,
}

/// A decoded success value, the members a lenient decode had to keep raw, and the members the
/// description does not declare.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Decoded<T> {
    pub value: T,
    pub mismatches: Vec<Mismatch>,
    /// JSON paths of the members kept in an `extra_` map because their struct does not declare
    /// them (`data[0].formatted_phone`), in document order ([`undeclared::paths`](super::undeclared::paths)).
    pub undeclared: Vec<String>,
}

impl<T> Decoded<T> {
    fn clean(value: T) -> Decoded<T> {
        Decoded { value, mismatches: Vec::new(), undeclared: Vec::new() }
    }
}

/// Reads the response to `O`: its typed output on a 2xx, an [`Error::Api`] otherwise. Decoding is
/// [`Decoding::Lenient`]; [`parse_response_with`] chooses and also returns the mismatches.
pub fn parse_response<O: Operation>(response: http::Response<Vec<u8>>) -> Result<O::Output, Error> {
    parse_response_with::<O>(response, Decoding::Lenient).map(|d| d.value)
}

/// [`parse_response`] with the decoding mode chosen, returning what lenient decoding kept raw.
pub fn parse_response_with<O: Operation>(
    response: http::Response<Vec<u8>>,
    decoding: Decoding,
) -> Result<Decoded<O::Output>, Error> {
    let (parts, body) = response.into_parts();
    parse_owned::<O>(parts.status, &parts.headers, body, decoding)
}

/// [`parse_response_with`] taking the body by value: a binary success hands it over without a copy.
pub(crate) fn parse_owned<O: Operation>(
    status: http::StatusCode,
    headers: &http::HeaderMap,
    body: Vec<u8>,
    decoding: Decoding,
) -> Result<Decoded<O::Output>, Error> {
    if O::SUCCESS_BODY == SuccessBody::Binary && status.is_success() {
        let deserializer = OwnedBytes(body);
        return match <O::Output as serde::Deserialize>::deserialize(deserializer) {
            Ok(value) => Ok(Decoded::clean(value)),
            // Only a hand-written `Operation` whose output cannot hold bytes gets here.
            Err(e) => Err(Error::Decode {
                path: ".".into(),
                message: e.to_string(),
                status,
                body: Vec::new(),
                context: Some(Box::new(CallContext::of::<O>())),
            }),
        };
    }
    parse_borrowed::<O>(status, headers, &body, decoding)
}

/// [`parse_response_with`] over borrowed parts (what the client holds): the body and headers are
/// copied only into an error.
pub(crate) fn parse_borrowed<O: Operation>(
    status: http::StatusCode,
    headers: &http::HeaderMap,
    body: &[u8],
    decoding: Decoding,
) -> Result<Decoded<O::Output>, Error> {
    let context = || {
        let mut context = CallContext::of::<O>();
        context.attempts = 1;
        context.rate_limit = RateLimit::from_headers(headers);
        context.request_id = headers.get("x-request-id").and_then(|v| v.to_str().ok()).map(str::to_string);
        context
    };
    if O::SUCCESS_BODY == SuccessBody::Redirect && !(status.is_client_error() || status.is_server_error()) {
        // The location is the answer; without one, or without a redirect, there is none.
        let location = match headers.get(http::header::LOCATION).map(|v| v.to_str()) {
            _ if !status.is_redirection() => Err(format!("expected a redirect with a `Location`, got status {status}")),
            Some(Ok(location)) => Ok(location),
            Some(Err(_)) => Err("the redirect's `Location` header is not visible ASCII".to_string()),
            None => Err("the redirect has no `Location` header".to_string()),
        };
        return match location {
            Ok(location) => {
                decode_success_with::<O::Output>(SuccessBody::Redirect, status, location.as_bytes(), decoding)
            }
            Err(message) => {
                Err(Error::Decode { path: ".".into(), message, status, body: body.to_vec(), context: None })
            }
        }
        .map_err(|e| e.with_context(context()));
    }
    if !status.is_success() {
        let mut error = ApiError::from_response(status, headers.clone(), body.to_vec());
        let mut context = context();
        context.request_id = error.request_id.clone();
        error.context = Some(Box::new(context));
        return Err(Error::Api(Box::new(error)));
    }
    decode_success_with::<O::Output>(O::SUCCESS_BODY, status, body, decoding).map_err(|e| e.with_context(context()))
}

/// A deserializer that hands an owned byte buffer to the visitor (`bytes::Bytes` takes it over
/// without copying).
struct OwnedBytes(Vec<u8>);

impl<'de> serde::Deserializer<'de> for OwnedBytes {
    type Error = serde::de::value::Error;

    fn deserialize_any<V: serde::de::Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        visitor.visit_byte_buf(self.0)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf option unit
        unit_struct newtype_struct seq tuple tuple_struct map struct enum identifier ignored_any
    }
}

/// Decodes a success body the way `kind` says, leniently, naming the JSON path of a failure.
pub fn decode_success<T: serde::de::DeserializeOwned + serde::Serialize>(
    kind: SuccessBody,
    status: http::StatusCode,
    body: &[u8],
) -> Result<T, Error> {
    decode_success_with(kind, status, body, Decoding::Lenient).map(|d| d.value)
}

/// [`decode_success`] with the decoding mode chosen.
pub fn decode_success_with<T: serde::de::DeserializeOwned + serde::Serialize>(
    kind: SuccessBody,
    status: http::StatusCode,
    body: &[u8],
    decoding: Decoding,
) -> Result<Decoded<T>, Error> {
    // Fast and strict first. Only a body that fails is decoded again, leniently, if asked. The
    // path of a failure was noted while its error unwound (`unwind`): naming it costs no second
    // decode. A decode that kept an undeclared member anywhere is walked once more to name them
    // all (`undeclared`); one that kept none costs nothing more.
    let decode = |bytes: &[u8]| {
        super::unwind::clear();
        let (result, kept) = super::undeclared::watch(|| {
            // A lenient decode reuses the items a failed strict pass decoded (`resume`).
            let first = match decoding {
                Decoding::Lenient => super::resume::first_pass(|| super::de::from_body::<T>(bytes)),
                Decoding::Strict => super::de::from_body::<T>(bytes),
            };
            match first {
                Ok(value) => Ok(Decoded::clean(value)),
                Err(fast) => {
                    super::resume::locate();
                    let failure = (super::unwind::take(), fast.to_string());
                    let result = match decoding {
                        Decoding::Lenient => lenient::decode::<T>(bytes)
                            .map(|(value, mismatches)| Decoded { value, mismatches, undeclared: Vec::new() })
                            .map_err(|_| failure),
                        Decoding::Strict => Err(failure),
                    };
                    super::resume::clear();
                    result
                }
            }
        });
        result.map(|mut decoded| {
            if kept {
                decoded.undeclared = super::undeclared::paths(&decoded.value);
            }
            decoded
        })
    };
    let result = match kind {
        SuccessBody::Json => decode(body),
        // `()` decodes from `null`; the body itself is irrelevant.
        SuccessBody::Empty => decode(b"null"),
        // The raw body as bytes (copied here; `parse_response` and the client hand the body over
        // without a copy).
        SuccessBody::Binary => <T as serde::Deserialize>::deserialize(serde::de::value::BytesDeserializer::<
            serde::de::value::Error,
        >::new(body))
        .map(Decoded::clean)
        .map_err(|e| (".".into(), e.to_string())),
        // `body` is the redirect's `Location` value (what `parse_response` passes).
        SuccessBody::Redirect | SuccessBody::Text => match serde_json::to_vec(&String::from_utf8_lossy(body)) {
            Ok(json) => decode(&json),
            Err(e) => Err((".".into(), e.to_string())),
        },
    };
    let decoded = result.map_err(|(path, message)| Error::Decode {
        path,
        message,
        status,
        body: body.to_vec(),
        context: None,
    })?;
    log_mismatches(&decoded.mismatches);
    log_undeclared(&decoded.undeclared);
    Ok(decoded)
}

#[cfg(feature = "tracing")]
fn log_mismatches(mismatches: &[Mismatch]) {
    for m in mismatches {
        tracing::warn!(path = %m.path, message = %m.message, "a response member did not fit its declared type; kept raw in `extra_`");
    }
}

/// One debug event per response, not per member: undeclared members are common (Intercom adds
/// members before its descriptions do) and harmless.
#[cfg(feature = "tracing")]
fn log_undeclared(undeclared: &[String]) {
    if !undeclared.is_empty() {
        tracing::debug!(count = undeclared.len(), paths = ?undeclared, "response members the description does not declare; kept in `extra_`");
    }
}

#[cfg(not(feature = "tracing"))]
fn log_undeclared(_: &[String]) {}

#[cfg(not(feature = "tracing"))]
fn log_mismatches(_: &[Mismatch]) {}

#[cfg(test)]
mod tests {
    use super::*;

    /// A hand-written operation of each new success kind, with headers of its own.
    struct Op<const KIND: u8>;

    impl<const KIND: u8> Operation for Op<KIND> {
        type Output = bytes::Bytes;
        const METHOD: http::Method = http::Method::GET;
        const PATH: &'static str = "/x";
        const OPERATION_ID: &'static str = "x";
        const VERSION: &'static str = "2.16";
        const SUCCESS_BODY: SuccessBody = if KIND == 0 { SuccessBody::Binary } else { SuccessBody::Json };

        fn path(&self) -> Result<String, Error> {
            Ok("/x".into())
        }
        fn query(&self, _: &mut Query) -> Result<(), Error> {
            Ok(())
        }
        fn headers(&self, headers: &mut Vec<(&'static str, String)>) -> Result<(), Error> {
            match KIND {
                1 => headers.extend([("Accept", "text/csv".to_string()), ("accept", "application/zip".to_string())]),
                2 => headers.push(("Authorization", "Bearer other".to_string())),
                _ => {}
            }
            Ok(())
        }
        fn body(&self) -> Result<Option<Vec<u8>>, Error> {
            Ok(None)
        }
    }

    struct Location;

    impl Operation for Location {
        type Output = String;
        const METHOD: http::Method = http::Method::GET;
        const PATH: &'static str = "/r";
        const OPERATION_ID: &'static str = "r";
        const VERSION: &'static str = "2.16";
        const SUCCESS_BODY: SuccessBody = SuccessBody::Redirect;

        fn path(&self) -> Result<String, Error> {
            Ok("/r".into())
        }
        fn query(&self, _: &mut Query) -> Result<(), Error> {
            Ok(())
        }
        fn body(&self) -> Result<Option<Vec<u8>>, Error> {
            Ok(None)
        }
    }

    const CONTEXT: RequestContext<'static> =
        RequestContext { base_url: "https://api.intercom.io", token: Some("t"), user_agent: "test" };

    #[test]
    fn binary_success_takes_the_body_over_without_a_copy() {
        let body = b"\x00\xffraw".to_vec();
        let allocation = body.as_ptr();
        let response = http::Response::builder().status(200).body(body).unwrap();
        let bytes = parse_response::<Op<0>>(response).unwrap();
        assert_eq!(&bytes[..], b"\x00\xffraw");
        assert_eq!(bytes.as_ptr(), allocation, "the Vec's allocation is the Bytes'");
        // Through the public borrowed decoder, the same bytes (copied).
        let decoded: bytes::Bytes = decode_success(SuccessBody::Binary, http::StatusCode::OK, b"\x00\xffraw").unwrap();
        assert_eq!(decoded, bytes);
        // A binary operation asks for binary.
        let request = build_request(&Op::<0>, CONTEXT).unwrap();
        assert_eq!(request.headers()["accept"], "application/octet-stream");
    }

    #[test]
    fn operation_headers_replace_the_defaults_of_their_name() {
        let request = build_request(&Op::<1>, CONTEXT).unwrap();
        let accepts: Vec<_> = request.headers().get_all("accept").iter().collect();
        assert_eq!(accepts, ["text/csv", "application/zip"], "the operation's values, not JSON's as well");
        // The token is the context's only: an operation cannot set `Authorization`.
        assert!(matches!(build_request(&Op::<2>, CONTEXT), Err(Error::InvalidRequest(_))));
    }

    #[test]
    fn redirect_location_is_the_output() {
        let response =
            http::Response::builder().status(307).header("location", "https://elsewhere.example/f").body(Vec::new());
        assert_eq!(parse_response::<Location>(response.unwrap()).unwrap(), "https://elsewhere.example/f");
        let bad = http::Response::builder().status(302).header("location", b"\xff".as_slice()).body(Vec::new());
        match parse_response::<Location>(bad.unwrap()) {
            Err(Error::Decode { message, .. }) => assert!(message.contains("not visible ASCII"), "{message}"),
            other => panic!("{other:?}"),
        }
        let server_error = http::Response::builder().status(500).body(Vec::new()).unwrap();
        assert!(matches!(parse_response::<Location>(server_error), Err(Error::Api(_))));
    }
}
