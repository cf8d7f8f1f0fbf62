//! Property tests of webhook receiving (the stable counterpart of the `webhooks` fuzz target):
//! no header value and no body can panic verification or decoding; a body signed with the secret
//! verifies and any other signature does not; a decoded notification re-encodes to a value that
//! decodes to the same notification.

#![cfg(all(feature = "webhooks", feature = "v2_16"))]

use hmac::{Hmac, Mac};
use intercom_api::v2_16::webhooks::{self, Event};
use intercom_api::webhooks::{parse_signature, Verifier, VerifyError};
use proptest::prelude::*;

fn config() -> ProptestConfig {
    ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() }
}

/// `sha1=` and the HMAC-SHA1 of `body` under `secret`, in lower-case hex, computed here apart from
/// the verifier.
fn sign(secret: &[u8], body: &[u8]) -> String {
    let mut mac = <Hmac<sha1::Sha1> as Mac>::new_from_slice(secret).unwrap();
    mac.update(body);
    let digest = mac.finalize().into_bytes();
    format!("sha1={}", digest.iter().map(|b| format!("{b:02x}")).collect::<String>())
}

/// Header values near the valid shape: prefixes, lengths and alphabets mixed.
fn header_like() -> impl Strategy<Value = Vec<u8>> {
    let prefix = prop::sample::select(vec!["sha1=", "", "SHA1=", "sha256=", "sha1", " sha1="]);
    let digits = prop::collection::vec(
        prop_oneof![prop::sample::select(b"0123456789abcdefABCDEFgz =\t".to_vec()), any::<u8>()],
        0..45,
    );
    (prefix, digits).prop_map(|(p, d)| [p.as_bytes(), &d].concat())
}

/// JSON-ish bodies: notifications with arbitrary topics and items, and arbitrary bytes.
fn body_like() -> impl Strategy<Value = Vec<u8>> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
        "[a-z_ ]{0,8}".prop_map(serde_json::Value::from),
    ];
    let value = leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::from),
            prop::collection::btree_map(
                prop::sample::select(vec!["id", "type", "title", "state", "created_at", "contacts", "x"]),
                inner,
                0..5
            )
            .prop_map(|m| m
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect::<serde_json::Map<_, _>>()
                .into()),
        ]
    });
    let topic = prop::sample::select(vec![
        "conversation.admin.replied",
        "contact.deleted",
        "company.created",
        "admin.logged_in",
        "ping",
        "made.up",
        "",
    ]);
    let notification = (topic, value.clone(), value).prop_map(|(topic, item, created_at)| {
        serde_json::to_vec(&serde_json::json!({
            "type": "notification_event", "topic": topic, "created_at": created_at,
            "data": { "type": "notification_event_data", "item": item }
        }))
        .unwrap()
    });
    prop_oneof![notification, prop::collection::vec(any::<u8>(), 0..64)]
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn header_parsing_never_panics_and_accepts_only_the_documented_shape(header in header_like()) {
        let parsed = parse_signature(&header);
        let trimmed = String::from_utf8_lossy(&header).trim_matches([' ', '\t']).to_string();
        let valid = trimmed.strip_prefix("sha1=").is_some_and(|hex| hex.len() == 40 && hex.bytes().all(|b| b.is_ascii_hexdigit()));
        prop_assert_eq!(parsed.is_ok(), valid, "{:?}", trimmed);
    }

    #[test]
    fn only_the_right_signature_verifies(secret in prop::collection::vec(any::<u8>(), 1..40), body in body_like(), other in header_like()) {
        let verifier = Verifier::new(&secret);
        let right = sign(&secret, &body);
        prop_assert!(verifier.verify(&body, Some(right.as_bytes())).is_ok());
        if other != right.as_bytes() {
            // Another header fails unless it names the same digest (e.g. in upper case).
            if let Ok(sig) = parse_signature(&other) {
                let same = parse_signature(right.as_bytes()).unwrap() == sig;
                prop_assert_eq!(verifier.verify(&body, Some(&other)).is_ok(), same);
            } else {
                let malformed = matches!(verifier.verify(&body, Some(&other)), Err(VerifyError::MalformedSignature(_)));
                prop_assert!(malformed);
            }
        }
    }

    #[test]
    fn decoding_never_panics_and_round_trips(body in body_like()) {
        let Ok(decoded) = webhooks::decode(&body) else { return Ok(()) };
        let encoded = serde_json::to_vec(&decoded.value).unwrap();
        let again = webhooks::decode(&encoded).expect("an encoded notification decodes");
        prop_assert_eq!(&again.value, &decoded.value);
        // The topic decides the variant; an unknown one keeps its item.
        if decoded.value.event.topic().is_none() {
            let unknown = matches!(decoded.value.event, Event::Unknown { .. });
            prop_assert!(unknown);
        }
    }
}
