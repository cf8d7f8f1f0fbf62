//! Receiving the notifications Intercom posts to a webhook endpoint (cargo feature `webhooks`; no
//! HTTP client needed).
//!
//! Two steps, framework-neutral (bytes and a header value in, or an `http::Request`):
//! - [`Verifier`]: the `X-Hub-Signature` header (`sha1=` + HMAC-SHA1 of the raw body, keyed with
//!   the app's client secret) checked in constant time against one or more secrets, after a body
//!   size limit;
//! - [`decode`] into [`Notification`], whose item is decoded by topic into a version's models
//!   (`intercom_api::v2_16::webhooks::Event`, one variant per topic Intercom documents for 2.16
//!   with a model, `Untyped` for a documented topic whose item stays JSON), and whose envelope
//!   members are decoded like a model's: drift reported, undeclared members kept and listed.
//!
//! [`receive`] does both. Verify the bytes exactly as received: a body parsed and re-serialized
//! first no longer matches its signature. Answer 2xx quickly and handle the event afterwards:
//! Intercom retries a delivery that is not acknowledged, and a repeat has the same
//! [`Notification::id`].

mod envelope;
mod notification;
mod verify;

pub use envelope::Links;
#[doc(hidden)]
pub use notification::decode_item;
pub use notification::{decode, DecodeError, Event, Notification};
pub use verify::{
    parse_signature, MalformedSignature, Signature, Verified, Verifier, VerifyError, DEFAULT_MAX_BODY_SIZE,
    SIGNATURE_HEADER,
};

use std::fmt;

use crate::runtime::Decoded;

/// Why a received notification was not accepted: it is not Intercom's, or it is not a notification.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ReceiveError {
    /// The signature check failed: answer 401 (or 403) and do not act on the body.
    Verify(VerifyError),
    /// Signed, but not a notification: not a JSON object, or no string `topic`.
    Decode(DecodeError),
}

impl fmt::Display for ReceiveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReceiveError::Verify(e) => e.fmt(f),
            ReceiveError::Decode(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for ReceiveError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ReceiveError::Verify(e) => Some(e),
            ReceiveError::Decode(e) => Some(e),
        }
    }
}

impl From<VerifyError> for ReceiveError {
    fn from(e: VerifyError) -> Self {
        ReceiveError::Verify(e)
    }
}

impl From<DecodeError> for ReceiveError {
    fn from(e: DecodeError) -> Self {
        ReceiveError::Decode(e)
    }
}

/// Verifies the raw `body` against its `X-Hub-Signature` value, then decodes it with `E` (a
/// version's `webhooks::Event`).
pub fn receive<E: Event>(
    verifier: &Verifier,
    body: &[u8],
    signature_header: Option<&[u8]>,
) -> Result<Decoded<Notification<E>>, ReceiveError> {
    verifier.verify(body, signature_header)?;
    Ok(decode(body)?)
}

/// [`receive`] from a request whose body has been read.
pub fn receive_request<E: Event, B: AsRef<[u8]>>(
    verifier: &Verifier,
    request: &http::Request<B>,
) -> Result<Decoded<Notification<E>>, ReceiveError> {
    verifier.verify_request(request)?;
    Ok(decode(request.body().as_ref())?)
}

/// A topic string no `Topic` of the version names (`FromStr`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownTopic(String);

impl UnknownTopic {
    /// For generated code: the topic that was not known.
    #[doc(hidden)]
    pub fn new(topic: &str) -> UnknownTopic {
        UnknownTopic(topic.to_string())
    }

    /// The topic as given.
    pub fn topic(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for UnknownTopic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` is not a webhook topic of this API version", self.0)
    }
}

impl std::error::Error for UnknownTopic {}
