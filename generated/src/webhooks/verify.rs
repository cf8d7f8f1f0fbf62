//! Checking that a notification comes from Intercom: the `X-Hub-Signature` header against the raw
//! body, with RustCrypto's HMAC-SHA1 and its constant-time comparison.
//!
//! What Intercom documents (Webhook models, "Signed notifications", e.g.
//! <https://developers.intercom.com/docs/references/1.0/webhooks/webhook-models> and
//! <https://intercom-developer-hub.readme.io/reference/signed-notifications>): the header is
//! `X-Hub-Signature: sha1=` followed by "the hexadecimal (40-byte) representation of a SHA-1
//! signature computed using the HMAC algorithm as defined in RFC2104", keyed with the app's client
//! secret, over the notification's body. Every example shows lower-case hex; the pages never say
//! that upper-case is excluded. Upper-case hex is therefore **accepted**: it names the same 20
//! bytes, the comparison is of those bytes, and rejecting it would only turn a harmless re-casing
//! (by a proxy) into a delivery Intercom retries again and again. Everything else about the header
//! is strict: the `sha1=` prefix exactly, exactly 40 hex digits.

use std::fmt;

use hmac::{Hmac, Mac};
use sha1::Sha1;

/// The header Intercom signs notifications in (header names are case-insensitive).
pub const SIGNATURE_HEADER: &str = "x-hub-signature";

/// The largest body [`Verifier`] hashes unless told otherwise: 4 MiB. A notification is one API
/// object (a conversation with its parts is the largest); anything much bigger is not Intercom's.
pub const DEFAULT_MAX_BODY_SIZE: usize = 4 * 1024 * 1024;

const PREFIX: &[u8] = b"sha1=";
const DIGEST_LEN: usize = 20;

/// A signature header's digest, decoded: the 20 bytes after `sha1=`.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Signature([u8; DIGEST_LEN]);

impl Signature {
    /// The digest's bytes.
    pub fn as_bytes(&self) -> &[u8; DIGEST_LEN] {
        &self.0
    }
}

impl fmt::Debug for Signature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Signature(sha1=")?;
        for b in self.0 {
            write!(f, "{b:02x}")?;
        }
        f.write_str(")")
    }
}

/// Why a signature header could not be read (before any secret is involved).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum MalformedSignature {
    /// The value does not start with `sha1=`.
    WrongPrefix,
    /// After `sha1=` there are not 40 characters (`found` is how many there are).
    WrongLength { found: usize },
    /// The character at `position` after `sha1=` is not a hex digit.
    NotHex { position: usize },
}

impl fmt::Display for MalformedSignature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MalformedSignature::WrongPrefix => f.write_str("it does not start with `sha1=`"),
            MalformedSignature::WrongLength { found } => {
                write!(f, "`sha1=` is followed by {found} characters, not the 40 hex digits of a SHA-1 digest")
            }
            MalformedSignature::NotHex { position } => {
                write!(f, "the character at position {position} after `sha1=` is not a hex digit")
            }
        }
    }
}

/// Reads a signature header value: `sha1=` and 40 hex digits (either case), surrounding spaces
/// and tabs ignored (they are not part of an HTTP field value).
pub fn parse_signature(header: &[u8]) -> Result<Signature, MalformedSignature> {
    let header = trim_ows(header);
    let hex = header.strip_prefix(PREFIX).ok_or(MalformedSignature::WrongPrefix)?;
    if hex.len() != 2 * DIGEST_LEN {
        return Err(MalformedSignature::WrongLength { found: hex.len() });
    }
    let mut digest = [0u8; DIGEST_LEN];
    for (i, pair) in hex.chunks_exact(2).enumerate() {
        let high = nibble(pair[0]).ok_or(MalformedSignature::NotHex { position: 2 * i })?;
        let low = nibble(pair[1]).ok_or(MalformedSignature::NotHex { position: 2 * i + 1 })?;
        digest[i] = high << 4 | low;
    }
    Ok(Signature(digest))
}

fn trim_ows(mut s: &[u8]) -> &[u8] {
    while let [b' ' | b'\t', rest @ ..] = s {
        s = rest;
    }
    while let [rest @ .., b' ' | b'\t'] = s {
        s = rest;
    }
    s
}

fn nibble(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

/// Why a notification was not accepted as Intercom's. No variant holds, and no message shows, a
/// secret.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum VerifyError {
    /// The body is larger than the verifier's limit; nothing was hashed.
    BodyTooLarge { size: usize, limit: usize },
    /// There is no `X-Hub-Signature` header: the subscription may have no secret, or the request
    /// is not from Intercom.
    MissingSignature,
    /// The header is not `sha1=` and 40 hex digits.
    MalformedSignature(MalformedSignature),
    /// The verifier holds no usable secret (only empty ones, which anybody could sign with).
    NoSecret,
    /// The signature is well-formed but is not the HMAC-SHA1 of the body under any of the
    /// verifier's secrets: a wrong secret, a forged request, or a body changed on the way (parsed
    /// and re-serialized before verifying, re-encoded, trimmed).
    Mismatch,
}

impl fmt::Display for VerifyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            VerifyError::BodyTooLarge { size, limit } => {
                write!(f, "webhook body of {size} bytes is larger than the limit of {limit} bytes")
            }
            VerifyError::MissingSignature => f.write_str("webhook request has no X-Hub-Signature header"),
            VerifyError::MalformedSignature(why) => write!(f, "malformed X-Hub-Signature header: {why}"),
            VerifyError::NoSecret => f.write_str("webhook verifier has no non-empty secret to verify with"),
            VerifyError::Mismatch => f.write_str(
                "X-Hub-Signature does not match the body under any configured secret (wrong secret, forged \
                 request, or a body changed before verifying)",
            ),
        }
    }
}

impl std::error::Error for VerifyError {}

impl From<MalformedSignature> for VerifyError {
    fn from(why: MalformedSignature) -> Self {
        VerifyError::MalformedSignature(why)
    }
}

/// Which of a verifier's secrets signed a notification (its position, in the order the secrets
/// were given): during a rotation, tells when the old secret is no longer used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Verified {
    pub secret_index: usize,
}

/// A client secret. Its `Debug` shows only how many secrets there are, never a byte of one.
#[derive(Clone)]
struct Secret(Box<[u8]>);

/// Verifies notification signatures against one or more client secrets (several while a secret is
/// being rotated), after checking the body against a size limit.
///
/// ```
/// use intercom_api::webhooks::{Verifier, VerifyError};
///
/// let verifier = Verifier::new("client secret").also_accept("previous client secret");
/// let body = br#"{"type":"notification_event","topic":"ping"}"#;
/// let header = "sha1=0000000000000000000000000000000000000000";
/// assert_eq!(verifier.verify(body, Some(header.as_bytes())), Err(VerifyError::Mismatch));
/// ```
#[derive(Clone)]
pub struct Verifier {
    secrets: Vec<Secret>,
    max_body_size: usize,
}

impl fmt::Debug for Verifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Verifier")
            .field("secrets", &format_args!("[{} redacted]", self.secrets.len()))
            .field("max_body_size", &self.max_body_size)
            .finish()
    }
}

impl Verifier {
    /// A verifier with the app's client secret and the [`DEFAULT_MAX_BODY_SIZE`].
    pub fn new(secret: impl AsRef<[u8]>) -> Verifier {
        Verifier { secrets: Vec::new(), max_body_size: DEFAULT_MAX_BODY_SIZE }.also_accept(secret)
    }

    /// Also accepts notifications signed with `secret` (rotation: the new secret and the old one
    /// until Intercom signs with the new one only). An empty secret is ignored: anybody can sign
    /// with it, and it is usually an unset environment variable.
    pub fn also_accept(mut self, secret: impl AsRef<[u8]>) -> Verifier {
        let secret = secret.as_ref();
        if !secret.is_empty() {
            self.secrets.push(Secret(secret.into()));
        }
        self
    }

    /// Sets the largest body that is hashed (and decoded); a larger one is
    /// [`VerifyError::BodyTooLarge`].
    pub fn max_body_size(mut self, bytes: usize) -> Verifier {
        self.max_body_size = bytes;
        self
    }

    /// The largest body this verifier accepts: servers should stop reading a body beyond it.
    pub fn body_limit(&self) -> usize {
        self.max_body_size
    }

    /// Verifies the raw body (the exact bytes received, before any parsing) against the value of
    /// its `X-Hub-Signature` header (`None` when the request had none).
    pub fn verify(&self, body: &[u8], signature_header: Option<&[u8]>) -> Result<Verified, VerifyError> {
        if body.len() > self.max_body_size {
            return Err(VerifyError::BodyTooLarge { size: body.len(), limit: self.max_body_size });
        }
        let signature = parse_signature(signature_header.ok_or(VerifyError::MissingSignature)?)?;
        if self.secrets.is_empty() {
            return Err(VerifyError::NoSecret);
        }
        for (secret_index, Secret(key)) in self.secrets.iter().enumerate() {
            // HMAC takes keys of any length, so this never fails; a failure would only skip the key.
            let Ok(mut mac) = <Hmac<Sha1> as Mac>::new_from_slice(key) else { continue };
            mac.update(body);
            // Constant time: `verify_slice` compares through `subtle`, never with `==`.
            if mac.verify_slice(signature.as_bytes()).is_ok() {
                return Ok(Verified { secret_index });
            }
        }
        Err(VerifyError::Mismatch)
    }

    /// [`Verifier::verify`] on a request whose body has been read: its `X-Hub-Signature` header
    /// (the first, if it was sent more than once) against its body.
    pub fn verify_request<B: AsRef<[u8]>>(&self, request: &http::Request<B>) -> Result<Verified, VerifyError> {
        let header = request.headers().get(SIGNATURE_HEADER).map(http::HeaderValue::as_bytes);
        self.verify(request.body().as_ref(), header)
    }
}
