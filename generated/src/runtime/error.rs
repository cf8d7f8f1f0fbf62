//! The one error type of the crate: what can go wrong between building a request and holding a
//! typed response.

use std::fmt;

/// Intercom's error body (`{"type": "error.list", "request_id": …, "errors": [{code, message, field}]}`),
/// the same in every API version.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Deserialize)]
pub struct ErrorList {
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
    #[serde(default)]
    pub request_id: Option<String>,
    #[serde(default)]
    pub errors: Vec<ErrorItem>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Deserialize)]
pub struct ErrorItem {
    #[serde(default)]
    pub code: Option<String>,
    #[serde(default)]
    pub message: Option<String>,
    #[serde(default)]
    pub field: Option<String>,
}

/// A non-success HTTP response.
#[derive(Debug, Clone)]
pub struct ApiError {
    pub status: http::StatusCode,
    pub headers: http::HeaderMap,
    /// From the body's `request_id`, else the `x-request-id` header.
    pub request_id: Option<String>,
    /// The parsed `error.list`, when the body is one.
    pub error_list: Option<ErrorList>,
    /// The raw body (always kept: it is what support will ask for).
    pub body: Vec<u8>,
}

impl ApiError {
    pub fn from_response(status: http::StatusCode, headers: http::HeaderMap, body: Vec<u8>) -> ApiError {
        let error_list = serde_json::from_slice::<ErrorList>(&body).ok().filter(|e| e.kind.as_deref() == Some("error.list") || !e.errors.is_empty());
        let request_id = error_list
            .as_ref()
            .and_then(|e| e.request_id.clone())
            .or_else(|| headers.get("x-request-id").and_then(|v| v.to_str().ok()).map(str::to_string));
        ApiError { status, headers, request_id, error_list, body }
    }

    /// The first error's code (`not_found`, `unauthorized`, …), if the body had one.
    pub fn code(&self) -> Option<&str> {
        self.error_list.as_ref()?.errors.first()?.code.as_deref()
    }
}

#[derive(Debug)]
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
    },
    /// The request body could not be encoded.
    Encode(serde_json::Error),
    /// The request could not be built (an invalid base URL or header value).
    InvalidRequest(String),
    /// The connection failed before a response arrived.
    Transport(Box<dyn std::error::Error + Send + Sync>),
    /// No response within the configured timeout.
    Timeout,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api(e) => {
                write!(f, "Intercom returned {}", e.status)?;
                if let Some(list) = &e.error_list {
                    for item in &list.errors {
                        write!(f, "; {}: {}", item.code.as_deref().unwrap_or("error"), item.message.as_deref().unwrap_or(""))?;
                        if let Some(field) = &item.field {
                            write!(f, " (field `{field}`)")?;
                        }
                    }
                }
                if let Some(id) = &e.request_id {
                    write!(f, " [request {id}]")?;
                }
                Ok(())
            }
            Error::Decode { path, message, status, .. } => write!(f, "cannot decode the {status} response at `{path}`: {message}"),
            Error::Encode(e) => write!(f, "cannot encode the request body: {e}"),
            Error::InvalidRequest(m) => write!(f, "invalid request: {m}"),
            Error::Transport(e) => write!(f, "transport error: {e}"),
            Error::Timeout => f.write_str("the request timed out"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Encode(e) => Some(e),
            Error::Transport(e) => Some(e.as_ref()),
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

    /// The HTTP status of an API or decode error.
    pub fn status(&self) -> Option<http::StatusCode> {
        match self {
            Error::Api(e) => Some(e.status),
            Error::Decode { status, .. } => Some(*status),
            _ => None,
        }
    }
}
