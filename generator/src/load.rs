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

/// Inputs larger than this are refused before parsing: Intercom's largest description (Preview) is
/// about 1.6 MB.
pub const MAX_INPUT_BYTES: usize = 32 << 20;

/// At most this many YAML nodes (scalars, sequences, mappings) after aliases are expanded; the
/// largest description (Preview) has about 41,000. A few aliases nested a few levels deep ("billion laughs")
/// expand to billions of nodes: counting while the tree is built stops such a file within a
/// fraction of a second and a bounded amount of memory.
pub const MAX_NODES: usize = 1_000_000;

/// Parses YAML into JSON. Mapping keys must be strings (OpenAPI's are), and the document must be an
/// OpenAPI 3.0 description.
pub fn parse_yaml(file: &str, bytes: &[u8]) -> Result<Value> {
    parse_yaml_bounded(file, bytes, MAX_NODES)
}

/// [`parse_yaml`] with an explicit node budget.
pub fn parse_yaml_bounded(file: &str, bytes: &[u8], max_nodes: usize) -> Result<Value> {
    if bytes.len() > MAX_INPUT_BYTES {
        return Err(Error::Yaml {
            file: file.into(),
            message: format!("{} bytes is more than the {MAX_INPUT_BYTES} accepted", bytes.len()),
        });
    }
    let text = std::str::from_utf8(bytes)
        .map_err(|e| Error::Yaml { file: file.into(), message: format!("not UTF-8: {e}") })?;
    let budget = std::cell::Cell::new(max_nodes);
    let value: Value = serde::de::DeserializeSeed::deserialize(
        budgeted::Node { left: &budget, limit: max_nodes },
        serde_yaml::Deserializer::from_str(text),
    )
    .map_err(|e| Error::Yaml { file: file.into(), message: e.to_string() })?;
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

/// A `serde_json::Value` built from any deserializer, counting nodes against a budget.
mod budgeted {
    use std::cell::Cell;
    use std::fmt;

    use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
    use serde_json::{Map, Number, Value};

    /// Deserializes one node (and everything below it) into a `Value`.
    #[derive(Clone, Copy)]
    pub struct Node<'b> {
        pub left: &'b Cell<usize>,
        pub limit: usize,
    }

    impl Node<'_> {
        fn spend<E: de::Error>(self) -> Result<(), E> {
            match self.left.get() {
                0 => Err(E::custom(format_args!(
                    "more than {} nodes once aliases are expanded (an alias bomb?)",
                    self.limit
                ))),
                left => {
                    self.left.set(left - 1);
                    Ok(())
                }
            }
        }
    }

    impl<'de> DeserializeSeed<'de> for Node<'_> {
        type Value = Value;
        fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
            deserializer.deserialize_any(self)
        }
    }

    impl<'de> Visitor<'de> for Node<'_> {
        type Value = Value;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("any YAML value")
        }

        fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
            self.spend()?;
            Ok(Value::Bool(v))
        }

        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
            self.spend()?;
            Ok(Value::from(v))
        }

        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
            self.spend()?;
            Ok(Value::from(v))
        }

        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
            self.spend()?;
            // Like `serde_json::Value`: a non-finite float has no JSON number and becomes null.
            Ok(Number::from_f64(v).map_or(Value::Null, Value::Number))
        }

        fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
            self.spend()?;
            Ok(Value::String(v.to_owned()))
        }

        fn visit_string<E: de::Error>(self, v: String) -> Result<Value, E> {
            self.spend()?;
            Ok(Value::String(v))
        }

        fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
            self.spend()?;
            Ok(Value::Null)
        }

        fn visit_none<E: de::Error>(self) -> Result<Value, E> {
            self.visit_unit()
        }

        fn visit_some<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
            deserializer.deserialize_any(self)
        }

        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
            self.spend()?;
            let mut out = Vec::new();
            while let Some(item) = seq.next_element_seed(self)? {
                out.push(item);
            }
            Ok(Value::Array(out))
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
            self.spend()?;
            let mut out = Map::new();
            while let Some(key) = map.next_key::<String>()? {
                let value = map.next_value_seed(self)?;
                out.insert(key, value);
            }
            Ok(Value::Object(out))
        }
    }
}
