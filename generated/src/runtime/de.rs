//! Decoding of generated structs whose fields are all optional (every type a response can carry).
//!
//! serde's derive would expand, per struct, a field-identifier enum with its own `Deserialize`
//! impl, a visitor with both `visit_seq` and `visit_map`, and a local per field. Over the ~200
//! structs of a version that expansion was half of the crate's compile time (BENCHMARKS.md, 2).
//! Here the loop over the JSON object, the key lookup and the skipping of unknown members are
//! written once; a generated struct only lists its wire names and stores the value of the member
//! at a given index ([`Fields`]).
//!
//! Behaviour, as with the derive: members may come in any order, unknown members are skipped
//! (forward compatibility), a missing member or `null` leaves the field `None`. A repeated member
//! keeps its last value, as `serde_json::Value` does.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};

/// A generated struct that decodes member by member into its `Default` value.
pub trait Fields: Default {
    /// The type's name, for error messages ("expected a JSON object for Contact").
    const NAME: &'static str;
    /// The wire names of the fields, in the order [`Fields::set`] numbers them.
    const FIELDS: &'static [&'static str];
    /// Decodes the value of the member named `Self::FIELDS[index]` into its field.
    fn set<'de, A: MapAccess<'de>>(&mut self, index: usize, map: &mut A) -> Result<(), A::Error>;
}

/// `Deserialize::deserialize` for every [`Fields`] type.
pub fn deserialize<'de, D: Deserializer<'de>, T: Fields>(deserializer: D) -> Result<T, D::Error> {
    deserializer.deserialize_map(StructVisitor::<T>(PhantomData))
}

struct StructVisitor<T>(PhantomData<T>);

impl<'de, T: Fields> Visitor<'de> for StructVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a JSON object for {}", T::NAME)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        let mut out = T::default();
        while let Some(position) = map.next_key_seed(KeyPosition(T::FIELDS))? {
            match position {
                Some(index) => out.set(index, &mut map)?,
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(out)
    }
}

/// Reads a member name and finds it among the known ones without allocating, whether the
/// deserializer lends the name from its input or only for the duration of the call.
struct KeyPosition(&'static [&'static str]);

impl<'de> DeserializeSeed<'de> for KeyPosition {
    type Value = Option<usize>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Option<usize>, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeyPosition {
    type Value = Option<usize>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a member name")
    }

    fn visit_str<E: serde::de::Error>(self, name: &str) -> Result<Option<usize>, E> {
        Ok(self.0.iter().position(|known| *known == name))
    }

    fn visit_bytes<E: serde::de::Error>(self, name: &[u8]) -> Result<Option<usize>, E> {
        Ok(self.0.iter().position(|known| known.as_bytes() == name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Default, PartialEq)]
    struct Sample {
        id: Option<String>,
        count: Option<i64>,
    }

    impl Fields for Sample {
        const NAME: &'static str = "Sample";
        const FIELDS: &'static [&'static str] = &["id", "count"];
        fn set<'de, A: MapAccess<'de>>(&mut self, index: usize, map: &mut A) -> Result<(), A::Error> {
            match index {
                0 => self.id = map.next_value()?,
                _ => self.count = map.next_value()?,
            }
            Ok(())
        }
    }

    impl<'de> serde::Deserialize<'de> for Sample {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            deserialize(deserializer)
        }
    }

    #[test]
    fn members_in_any_order_unknown_skipped_null_and_missing_are_none() {
        let s: Sample = serde_json::from_str(r#"{"extra":{"deep":[1,2]},"count":3,"id":null}"#).unwrap();
        assert_eq!(s, Sample { id: None, count: Some(3) });
        let s: Sample = serde_json::from_str("{}").unwrap();
        assert_eq!(s, Sample::default());
    }

    #[test]
    fn escaped_names_are_matched_too() {
        // `\u0069d` is "id": serde_json cannot lend this name from the input.
        let s: Sample = serde_json::from_str(r#"{"\u0069d":"a"}"#).unwrap();
        assert_eq!(s.id.as_deref(), Some("a"));
        let s: Sample = serde_json::from_reader(&br#"{"id":"b"}"#[..]).unwrap();
        assert_eq!(s.id.as_deref(), Some("b"));
    }

    #[test]
    fn repeated_member_keeps_the_last_value() {
        let s: Sample = serde_json::from_str(r#"{"count":1,"count":2}"#).unwrap();
        assert_eq!(s.count, Some(2));
    }

    #[test]
    fn wrong_shapes_are_errors_naming_the_type_and_the_member() {
        let e = serde_json::from_str::<Sample>("[1]").unwrap_err().to_string();
        assert!(e.contains("a JSON object for Sample"), "{e}");
        let e = serde_json::from_str::<Sample>(r#"{"count":"x"}"#).unwrap_err().to_string();
        assert!(e.contains("expected i64"), "{e}");
        let mut de = serde_json::Deserializer::from_str(r#"{"id":"a","count":true}"#);
        let e = serde_path_to_error::deserialize::<_, Sample>(&mut de).unwrap_err();
        assert_eq!(e.path().to_string(), "count");
    }
}
