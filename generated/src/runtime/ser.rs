//! Encoding of generated structs whose fields are all optional: the counterpart of
//! [`de`](super::de). A generated `Serialize` opens a map and calls [`entry`] once per field, instead
//! of serde's derive, which expands every field into a length term plus an
//! `if skip { skip_field } else { serialize_field }` pair (BENCHMARKS.md, 2).

use serde::ser::SerializeMap;
use serde::Serialize;

use super::Error;

/// Writes `name: value` when the field is set; a `None` field is left out, so a request carries
/// only what the caller set and a decoded response re-encodes to what was received.
pub fn entry<M: SerializeMap, T: Serialize>(
    map: &mut M,
    name: &'static str,
    value: &Option<T>,
) -> Result<(), M::Error> {
    match value {
        Some(value) => map.serialize_entry(name, value),
        None => Ok(()),
    }
}

/// Writes the members of the catch-all map, after the declared fields. A member whose name is a
/// declared field that is empty is written: it is what a lenient decode kept when the value did not
/// fit the field, or a value the caller sends on purpose in a JSON type the description does not
/// allow. A member whose name is a declared field that is set would send the member twice (or drop
/// one of the two values silently): that is an error, which [`json_body`] turns into
/// [`Error::InvalidRequest`] before anything is sent.
pub fn extra<M: SerializeMap>(
    map: &mut M,
    extra: &serde_json::Map<String, serde_json::Value>,
    fields: &[&str],
    set: &[bool],
) -> Result<(), M::Error> {
    if super::undeclared::walking() {
        // Asked for the undeclared members' names only (`undeclared::paths`): a member named like
        // a declared field is a value kept raw because it did not fit, a mismatch, not undeclared.
        extra.keys().filter(|name| !fields.contains(&name.as_str())).for_each(|name| super::undeclared::found(name));
        return Ok(());
    }
    for (name, value) in extra {
        let shadowed = fields.iter().zip(set).any(|(field, is_set)| *is_set && field == name);
        if shadowed {
            return Err(serde::ser::Error::custom(format_args!(
                "{DECLARED_IN_EXTRA}`{name}` is a declared member, and it is set: set only the field (a value of another JSON type goes in `extra_` with the field left `None`)"
            )));
        }
        map.serialize_entry(name, value)?;
    }
    Ok(())
}

/// How [`extra`]'s error starts, so that [`json_body`] can tell a caller's mistake from a failure
/// of the encoder.
const DECLARED_IN_EXTRA: &str = "`extra_` member ";

/// A request body as JSON: [`Error::InvalidRequest`] when the value names a declared member in its
/// `extra_` map too (see [`extra`]), [`Error::Encode`] for any other encoding failure.
pub fn json_body<T: Serialize + ?Sized>(value: &T) -> Result<Vec<u8>, Error> {
    serde_json::to_vec(value).map_err(|e| {
        let message = e.to_string();
        if message.starts_with(DECLARED_IN_EXTRA) {
            Error::InvalidRequest(format!("request body: {message}"))
        } else {
            Error::Encode(e)
        }
    })
}

#[cfg(test)]
mod tests {
    use serde::Serializer;

    use super::*;

    struct Sample {
        id: Option<&'static str>,
        count: Option<i64>,
        tags: Option<Vec<&'static str>>,
    }

    impl Serialize for Sample {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            let mut map = serializer.serialize_map(None)?;
            entry(&mut map, "id", &self.id)?;
            entry(&mut map, "count", &self.count)?;
            entry(&mut map, "tags", &self.tags)?;
            map.end()
        }
    }

    struct WithExtra {
        id: Option<&'static str>,
        extra_: serde_json::Map<String, serde_json::Value>,
    }

    impl Serialize for WithExtra {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            let mut map = serializer.serialize_map(None)?;
            entry(&mut map, "id", &self.id)?;
            extra(&mut map, &self.extra_, &["id"], &[self.id.is_some()])?;
            map.end()
        }
    }

    fn members(pairs: serde_json::Value) -> serde_json::Map<String, serde_json::Value> {
        pairs.as_object().cloned().unwrap()
    }

    #[test]
    fn extra_members_follow_the_declared_ones_and_an_empty_field_may_be_sent_raw() {
        let value = WithExtra { id: Some("a"), extra_: members(serde_json::json!({"locale": "fr", "z": 1})) };
        assert_eq!(json_body(&value).unwrap(), br#"{"id":"a","locale":"fr","z":1}"#);
        let raw = WithExtra { id: None, extra_: members(serde_json::json!({"id": 7})) };
        assert_eq!(json_body(&raw).unwrap(), br#"{"id":7}"#);
    }

    #[test]
    fn an_extra_member_naming_a_set_field_is_an_invalid_request() {
        let value = WithExtra { id: Some("a"), extra_: members(serde_json::json!({"id": "b"})) };
        match json_body(&value) {
            Err(Error::InvalidRequest(message)) => {
                assert!(message.contains("`id` is a declared member"), "{message}")
            }
            other => panic!("expected InvalidRequest, got {other:?}"),
        }
    }

    #[test]
    fn set_fields_in_declaration_order_none_left_out() {
        let sample = Sample { id: Some("a\"b"), count: None, tags: Some(vec![]) };
        assert_eq!(serde_json::to_string(&sample).unwrap(), r#"{"id":"a\"b","tags":[]}"#);
        let empty = Sample { id: None, count: None, tags: None };
        assert_eq!(serde_json::to_string(&empty).unwrap(), "{}");
        assert_eq!(serde_json::to_value(&empty).unwrap(), serde_json::json!({}));
    }
}
