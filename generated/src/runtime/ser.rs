//! Encoding of generated structs whose fields are all optional: the counterpart of
//! [`de`](super::de). A generated `Serialize` opens a map and calls [`entry`] once per field, instead
//! of serde's derive, which expands every field into a length term plus an
//! `if skip { skip_field } else { serialize_field }` pair (BENCHMARKS.md, 2).

use serde::ser::SerializeMap;
use serde::Serialize;

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

/// Writes the members of the catch-all map, after the declared fields: a member whose name is a
/// declared field that is set is left out (the typed value wins); one whose declared field is
/// empty is written (it is what a lenient decode kept when the value did not fit the field).
pub fn extra<M: SerializeMap>(
    map: &mut M,
    extra: &serde_json::Map<String, serde_json::Value>,
    fields: &[&str],
    set: &[bool],
) -> Result<(), M::Error> {
    for (name, value) in extra {
        let shadowed = fields.iter().zip(set).any(|(field, is_set)| *is_set && field == name);
        if !shadowed {
            map.serialize_entry(name, value)?;
        }
    }
    Ok(())
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

    #[test]
    fn set_fields_in_declaration_order_none_left_out() {
        let sample = Sample { id: Some("a\"b"), count: None, tags: Some(vec![]) };
        assert_eq!(serde_json::to_string(&sample).unwrap(), r#"{"id":"a\"b","tags":[]}"#);
        let empty = Sample { id: None, count: None, tags: None };
        assert_eq!(serde_json::to_string(&empty).unwrap(), "{}");
        assert_eq!(serde_json::to_value(&empty).unwrap(), serde_json::json!({}));
    }
}
