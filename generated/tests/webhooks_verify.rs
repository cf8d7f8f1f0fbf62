//! Verification of webhook signatures (`intercom_api::webhooks::Verifier`): the HMAC-SHA1 vectors
//! of RFC 2202, a signature computed by Python, and each way a delivery can be wrong.

#![cfg(feature = "webhooks")]

use intercom_api::webhooks::{parse_signature, MalformedSignature, Verifier, VerifyError};

/// `sha1=` and the lower-case hex of `digest`.
fn header(digest: &str) -> Vec<u8> {
    format!("sha1={digest}").into_bytes()
}

/// RFC 2202, section 3 (HMAC-SHA-1): key, data, digest. The verifier must accept exactly these.
#[test]
fn rfc_2202_vectors_verify() {
    let vectors: [(Vec<u8>, Vec<u8>, &str); 7] = [
        (vec![0x0b; 20], b"Hi There".to_vec(), "b617318655057264e28bc0b6fb378c8ef146be00"),
        (b"Jefe".to_vec(), b"what do ya want for nothing?".to_vec(), "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"),
        (vec![0xaa; 20], vec![0xdd; 50], "125d7342b9ac11cd91a39af48aa17b4f63f175d3"),
        ((1..=25).collect(), vec![0xcd; 50], "4c9007f4026250c6bc8414f9bf50c86c2d7235da"),
        (vec![0x0c; 20], b"Test With Truncation".to_vec(), "4c1a03424b55e07fe7f27be1d58bb9324a9a5a04"),
        (
            vec![0xaa; 80],
            b"Test Using Larger Than Block-Size Key - Hash Key First".to_vec(),
            "aa4ae5e15272d00e95705637ce8a3b55ed402112",
        ),
        (
            vec![0xaa; 80],
            b"Test Using Larger Than Block-Size Key and Larger Than One Block-Size Data".to_vec(),
            "e8e99d0f45237d786d6bbaa7965c7808bbff1a91",
        ),
    ];
    for (i, (key, data, digest)) in vectors.iter().enumerate() {
        let verifier = Verifier::new(key);
        assert_eq!(verifier.verify(data, Some(&header(digest))).map(|v| v.secret_index), Ok(0), "vector {}", i + 1);
        // One flipped bit of the digest is a mismatch.
        let mut flipped = digest.to_string().into_bytes();
        flipped[39] = if flipped[39] == b'0' { b'1' } else { b'0' };
        let flipped = String::from_utf8(flipped).unwrap();
        assert_eq!(verifier.verify(data, Some(&header(&flipped))), Err(VerifyError::Mismatch), "vector {}", i + 1);
    }
}

/// The fixture signed by Python's `hmac` (command in `fixtures/webhooks/signed.toml`).
struct Signed {
    secret: String,
    body: Vec<u8>,
    signature: String,
}

fn signed() -> Signed {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/webhooks");
    let table: toml::Table = std::fs::read_to_string(dir.join("signed.toml")).unwrap().parse().unwrap();
    let text = |key: &str| table[key].as_str().unwrap().to_string();
    Signed {
        secret: text("secret"),
        body: std::fs::read(dir.join(text("body"))).unwrap(),
        signature: text("signature"),
    }
}

#[test]
fn a_signature_made_by_python_verifies() {
    let s = signed();
    let verifier = Verifier::new(&s.secret);
    assert_eq!(verifier.verify(&s.body, Some(s.signature.as_bytes())).map(|v| v.secret_index), Ok(0));
    // The same through the `http::Request` entry point.
    let request = http::Request::post("/hooks").header("X-Hub-Signature", &s.signature).body(s.body.clone()).unwrap();
    assert_eq!(verifier.verify_request(&request).map(|v| v.secret_index), Ok(0));
}

#[test]
fn a_tampered_body_is_a_mismatch() {
    let s = signed();
    let verifier = Verifier::new(&s.secret);
    let mut body = s.body.clone();
    let at = body.iter().position(|&b| b == b'7').unwrap();
    body[at] = b'8';
    assert_eq!(verifier.verify(&body, Some(s.signature.as_bytes())), Err(VerifyError::Mismatch));
    // Parsed and re-serialized (what frameworks do to a JSON body): same data, other bytes.
    let reserialized = serde_json::to_vec(&serde_json::from_slice::<serde_json::Value>(&s.body).unwrap()).unwrap();
    assert_eq!(verifier.verify(&reserialized, Some(s.signature.as_bytes())), Err(VerifyError::Mismatch));
    // One byte more or less.
    assert_eq!(verifier.verify(&s.body[..s.body.len() - 1], Some(s.signature.as_bytes())), Err(VerifyError::Mismatch));
}

#[test]
fn a_tampered_header_is_a_mismatch() {
    let s = signed();
    let verifier = Verifier::new(&s.secret);
    let mut sig = s.signature.clone().into_bytes();
    let last = sig.len() - 1;
    sig[last] = if sig[last] == b'a' { b'b' } else { b'a' };
    assert_eq!(verifier.verify(&s.body, Some(&sig)), Err(VerifyError::Mismatch));
}

#[test]
fn a_wrong_secret_is_a_mismatch_and_rotation_accepts_either() {
    let s = signed();
    assert_eq!(
        Verifier::new("not the secret").verify(&s.body, Some(s.signature.as_bytes())),
        Err(VerifyError::Mismatch)
    );
    let rotating = Verifier::new("the new secret").also_accept(&s.secret);
    assert_eq!(rotating.verify(&s.body, Some(s.signature.as_bytes())).map(|v| v.secret_index), Ok(1));
}

/// Upper-case hex names the same digest and is accepted (see the module docs of `webhooks` for
/// why); mixed case too.
#[test]
fn upper_case_hex_is_accepted() {
    let s = signed();
    let verifier = Verifier::new(&s.secret);
    let upper = format!("sha1={}", s.signature["sha1=".len()..].to_ascii_uppercase());
    assert_ne!(upper, s.signature);
    assert_eq!(verifier.verify(&s.body, Some(upper.as_bytes())).map(|v| v.secret_index), Ok(0));
    // The prefix itself is not case-insensitive: Intercom always sends `sha1=`.
    let upper_prefix = format!("SHA1={}", &s.signature["sha1=".len()..]);
    assert_eq!(
        verifier.verify(&s.body, Some(upper_prefix.as_bytes())),
        Err(VerifyError::MalformedSignature(MalformedSignature::WrongPrefix))
    );
}

#[test]
fn malformed_headers_say_what_is_wrong() {
    let s = signed();
    let verifier = Verifier::new(&s.secret);
    let digest = &s.signature["sha1=".len()..];
    let malformed = |h: &str| match verifier.verify(&s.body, Some(h.as_bytes())) {
        Err(VerifyError::MalformedSignature(why)) => why,
        other => panic!("{h:?}: {other:?}"),
    };
    assert_eq!(malformed(digest), MalformedSignature::WrongPrefix, "missing `sha1=`");
    assert_eq!(malformed(&format!("sha256={digest}")), MalformedSignature::WrongPrefix);
    assert_eq!(malformed(""), MalformedSignature::WrongPrefix);
    assert_eq!(malformed("sha1="), MalformedSignature::WrongLength { found: 0 });
    assert_eq!(malformed(&format!("sha1={}", &digest[..39])), MalformedSignature::WrongLength { found: 39 });
    assert_eq!(malformed(&format!("sha1={digest}0")), MalformedSignature::WrongLength { found: 41 });
    let not_hex = format!("sha1={}g{}", &digest[..7], &digest[8..]);
    assert_eq!(malformed(&not_hex), MalformedSignature::NotHex { position: 7 });
    // Surrounding whitespace is not part of a header value.
    assert_eq!(verifier.verify(&s.body, Some(format!(" {} ", s.signature).as_bytes())).map(|v| v.secret_index), Ok(0));
    assert!(parse_signature(format!("sha1={digest}").as_bytes()).is_ok());
}

#[test]
fn a_missing_header_is_its_own_error() {
    let s = signed();
    let verifier = Verifier::new(&s.secret);
    assert_eq!(verifier.verify(&s.body, None), Err(VerifyError::MissingSignature));
    let unsigned = http::Request::post("/hooks").body(s.body.clone()).unwrap();
    assert_eq!(verifier.verify_request(&unsigned), Err(VerifyError::MissingSignature));
}

#[test]
fn an_empty_body_verifies_only_with_its_own_signature() {
    let verifier = Verifier::new("key");
    // python3 -c 'import hmac, hashlib; print(hmac.new(b"key", b"", hashlib.sha1).hexdigest())'
    let empty = header("f42bb0eeb018ebbd4597ae7213711ec60760843f");
    assert_eq!(verifier.verify(b"", Some(&empty)).map(|v| v.secret_index), Ok(0));
    assert_eq!(verifier.verify(b"{}", Some(&empty)), Err(VerifyError::Mismatch));
    let s = signed();
    assert_eq!(Verifier::new(&s.secret).verify(b"", Some(s.signature.as_bytes())), Err(VerifyError::Mismatch));
}

#[test]
fn a_body_over_the_limit_is_refused_before_anything_else() {
    let s = signed();
    let verifier = Verifier::new(&s.secret).max_body_size(s.body.len() - 1);
    let too_large = VerifyError::BodyTooLarge { size: s.body.len(), limit: s.body.len() - 1 };
    assert_eq!(verifier.verify(&s.body, Some(s.signature.as_bytes())), Err(too_large.clone()));
    // Even without a header: the size is checked first.
    assert_eq!(verifier.verify(&s.body, None), Err(too_large));
    let exact = Verifier::new(&s.secret).max_body_size(s.body.len());
    assert_eq!(exact.verify(&s.body, Some(s.signature.as_bytes())).map(|v| v.secret_index), Ok(0));
}

#[test]
fn empty_secrets_are_never_used() {
    // HMAC with an empty key is computable by anyone: the verifier must not accept it.
    // python3 -c 'import hmac, hashlib; print(hmac.new(b"", b"{}", hashlib.sha1).hexdigest())'
    let forged = header("9b9585ab4f87eff122c8cd8e6fd94d358ed56f22");
    assert_eq!(Verifier::new("").verify(b"{}", Some(&forged)), Err(VerifyError::NoSecret));
    assert_eq!(Verifier::new("").also_accept("").verify(b"{}", Some(&forged)), Err(VerifyError::NoSecret));
}

/// No `Debug` or `Display` of a verifier or of any error shows a secret.
#[test]
fn secrets_never_show() {
    let secret = "s3cr3t-never-printed";
    let verifier = Verifier::new(secret).also_accept("0ld-s3cr3t-never-printed");
    let s = signed();
    let mut shown = vec![format!("{verifier:?}"), format!("{:?}", verifier.clone())];
    for header in [None, Some(&b"sha1=zz"[..]), Some(s.signature.as_bytes()), Some(&b"md5=1"[..])] {
        let error = verifier.verify(&s.body, header).unwrap_err();
        shown.push(format!("{error:?}"));
        shown.push(error.to_string());
    }
    let error = Verifier::new(secret).max_body_size(1).verify(&s.body, None).unwrap_err();
    shown.push(format!("{error:?} {error}"));
    for text in &shown {
        assert!(!text.contains("s3cr3t"), "{text}");
        // Nor the secret's bytes in hex.
        assert!(!text.contains("733363723374"), "{text}");
    }
    assert!(shown[0].contains("[2 redacted]"), "{}", shown[0]);
}
