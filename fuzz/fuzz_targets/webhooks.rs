//! Webhook receiving (`intercom_api::webhooks`) on arbitrary input.
//!
//! Input: a signature header value up to the first `\n`, then the body. Properties:
//! - neither header parsing, nor verification, nor decoding panics;
//! - verification fails unless the header is a well-formed `sha1=` signature;
//! - a decoded notification encodes again, and that encoding decodes to an equal notification.
//!
//! `tests/proptest_webhooks.rs` in `generated/` checks the same properties on stable, in CI.
#![no_main]

use intercom_api::v2_11::webhooks;
use intercom_api::webhooks::{parse_signature, Verifier, VerifyError};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (header, body) = match data.iter().position(|&b| b == b'\n') {
        Some(at) => (&data[..at], &data[at + 1..]),
        None => (data, &[][..]),
    };
    let parsed = parse_signature(header);
    let verified = Verifier::new("fuzz secret").max_body_size(1 << 16).verify(body, Some(header));
    if parsed.is_err() {
        assert!(matches!(verified, Err(VerifyError::MalformedSignature(_)) | Err(VerifyError::BodyTooLarge { .. })));
    }
    let Ok(decoded) = webhooks::decode(body) else { return };
    let encoded = serde_json::to_vec(&decoded.value).expect("a decoded notification encodes");
    let again = webhooks::decode(&encoded).expect("an encoded notification decodes");
    assert_eq!(again.value, decoded.value);
});
