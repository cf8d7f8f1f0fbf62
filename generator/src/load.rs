//! Turning the bytes of one pinned description into a JSON tree: hash check, then YAML parsing.
//!
//! The tree stays a `serde_json::Value` on purpose: `openapiv3`'s typed model drops the siblings
//! of `$ref` (`nullable`, `description`) and the `properties` that sit beside `allOf`/`anyOf`, and
//! Intercom's descriptions rely on both. Walking the tree ourselves keeps every node and gives us
//! exact JSON pointers for error messages.

use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};

pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

pub fn verify_sha256(file: &str, bytes: &[u8], expected: &str) -> Result<()> {
    let actual = sha256_hex(bytes);
    if actual.eq_ignore_ascii_case(expected) {
        Ok(())
    } else {
        Err(Error::HashMismatch { file: file.into(), expected: expected.into(), actual })
    }
}

/// Parses YAML into JSON. Mapping keys must be strings (OpenAPI's are), and the document must be an
/// OpenAPI 3.0 description.
pub fn parse_yaml(file: &str, bytes: &[u8]) -> Result<Value> {
    let text = std::str::from_utf8(bytes).map_err(|e| Error::Yaml { file: file.into(), message: format!("not UTF-8: {e}") })?;
    let value: Value = serde_yaml::from_str(text).map_err(|e| Error::Yaml { file: file.into(), message: e.to_string() })?;
    match value.get("openapi").and_then(Value::as_str) {
        Some(v) if v.starts_with("3.0.") => Ok(value),
        Some(v) => Err(Error::Spec {
            location: crate::error::Location { file: file.into(), pointer: "/openapi".into() },
            message: format!("unsupported OpenAPI version `{v}` (only 3.0.x is supported)"),
        }),
        None => Err(Error::Spec {
            location: crate::error::Location { file: file.into(), pointer: String::new() },
            message: "not an OpenAPI description: no string member `openapi` at the top".into(),
        }),
    }
}
