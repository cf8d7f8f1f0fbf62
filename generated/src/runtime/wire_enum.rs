//! Decoding of generated string enums: any string is accepted, known values map to their variant
//! and anything else to `Unknown(String)`, so a value Intercom adds later never fails a decode.

use std::fmt;
use std::marker::PhantomData;

/// Deserializes a string into an enum through its `From<&str>` (which has a catch-all arm).
pub fn deserialize<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: for<'a> From<&'a str>,
{
    struct Visitor<T>(PhantomData<T>);
    impl<T: for<'a> From<&'a str>> serde::de::Visitor<'_> for Visitor<T> {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a string")
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<T, E> {
            Ok(T::from(v))
        }
    }
    deserializer.deserialize_str(Visitor(PhantomData))
}
