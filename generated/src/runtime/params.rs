//! Encoding of path and query parameters. Parameters are turned into JSON first (so enums give
//! their wire strings), then laid out as OpenAPI's `style: form` asks: scalars as `k=v`, arrays as
//! `k=a&k=b` (explode) or `k=a,b`, objects as their members `a=1&b=2` (explode) or `k=a,1,b,2`.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde_json::Value;

use super::error::Error;

/// RFC 3986 unreserved characters stay; everything else in a path segment is escaped.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

fn to_json<T: serde::Serialize + ?Sized>(value: &T) -> Result<Value, Error> {
    serde_json::to_value(value).map_err(Error::Encode)
}

fn scalar_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// A path parameter, percent-encoded as one segment (`/` inside an id cannot change the route).
/// [`path_param`] (what generated code calls) also refuses the values that URL normalisation would
/// remove. Only the tests compare the two now.
#[cfg(test)]
fn path_segment<T: serde::Serialize + ?Sized>(value: &T) -> Result<String, Error> {
    Ok(encode_segment(&segment_text(value)?))
}

/// A path parameter of operation `operation`, percent-encoded as one segment, so that no value
/// can change the endpoint: `/`, `?`, `#`, `%`, spaces, CR/LF and non-ASCII are all escaped.
///
/// Three values cannot be escaped into something harmless and are refused with
/// [`Error::InvalidRequest`] naming the operation and the parameter: the empty string (it would
/// leave `//` in the path) and `.` and `..` (URL parsers and proxies remove or merge such dot
/// segments, so `detach("..", "co1")` would send `DELETE /companies/co1`). `%2e` is a dot to a
/// WHATWG URL parser too, but it can only come from the input text, and `%` is escaped (`%252e`),
/// so values such as `%2e%2e` are sent literally and accepted.
pub fn path_param<T: serde::Serialize + ?Sized>(
    operation: &'static str,
    name: &'static str,
    value: &T,
) -> Result<String, Error> {
    let text = segment_text(value)?;
    if matches!(text.as_str(), "" | "." | "..") {
        return Err(Error::InvalidRequest(format!(
            "{operation}: the path parameter `{name}` is {text:?}, which cannot be sent as a path segment"
        )));
    }
    Ok(encode_segment(&text))
}

/// The text of a path parameter before escaping (arrays comma-separated, as `style: simple`).
fn segment_text<T: serde::Serialize + ?Sized>(value: &T) -> Result<String, Error> {
    Ok(match to_json(value)? {
        Value::Array(items) => items.iter().map(scalar_text).collect::<Vec<_>>().join(","),
        other => scalar_text(&other),
    })
}

fn encode_segment(text: &str) -> String {
    utf8_percent_encode(text, SEGMENT).to_string()
}

/// A header parameter's value (scalars as text, arrays comma-separated).
pub fn header_value<T: serde::Serialize + ?Sized>(value: &T) -> Result<String, Error> {
    Ok(match to_json(value)? {
        Value::Array(items) => items.iter().map(scalar_text).collect::<Vec<_>>().join(","),
        other => scalar_text(&other),
    })
}

/// Query pairs, in the order parameters were added.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Query {
    pairs: Vec<(String, String)>,
}

impl Query {
    pub fn push<T: serde::Serialize + ?Sized>(&mut self, name: &str, value: &T, explode: bool) -> Result<(), Error> {
        match to_json(value)? {
            Value::Null => {}
            Value::Array(items) if explode => {
                for item in items.iter().filter(|i| !i.is_null()) {
                    self.pairs.push((name.to_string(), scalar_text(item)));
                }
            }
            Value::Array(items) => {
                self.pairs.push((name.to_string(), items.iter().map(scalar_text).collect::<Vec<_>>().join(",")))
            }
            Value::Object(members) if explode => {
                for (k, v) in members.iter().filter(|(_, v)| !v.is_null()) {
                    self.pairs.push((k.clone(), scalar_text(v)));
                }
            }
            Value::Object(members) => {
                let flat: Vec<String> = members
                    .iter()
                    .filter(|(_, v)| !v.is_null())
                    .flat_map(|(k, v)| [k.clone(), scalar_text(v)])
                    .collect();
                self.pairs.push((name.to_string(), flat.join(",")));
            }
            other => self.pairs.push((name.to_string(), scalar_text(&other))),
        }
        Ok(())
    }

    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }

    /// `a=1&b=x%20y`, form-urlencoded.
    pub fn encode(&self) -> String {
        let mut out = String::new();
        for (i, (k, v)) in self.pairs.iter().enumerate() {
            if i > 0 {
                out.push('&');
            }
            out.extend(utf8_percent_encode(k, SEGMENT));
            out.push('=');
            out.extend(utf8_percent_encode(v, SEGMENT));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn path_segments_are_escaped() {
        assert_eq!(path_segment("a/b c").unwrap(), "a%2Fb%20c");
        assert_eq!(path_segment(&42).unwrap(), "42");
        assert_eq!(path_segment("ünï~-._").unwrap(), "%C3%BCn%C3%AF~-._");
    }

    const OP: &str = "detachContactFromACompany";

    #[test]
    fn path_params_refuse_values_that_urls_drop_or_merge() {
        for value in ["", ".", ".."] {
            let err = path_param(OP, "company_id", value).unwrap_err();
            match &err {
                Error::InvalidRequest(m) => assert!(m.contains(OP) && m.contains("`company_id`"), "{m}"),
                other => panic!("{other:?}"),
            }
        }
        // A null or empty array is also empty text.
        assert!(path_param(OP, "id", &Value::Null).is_err());
        assert!(path_param(OP, "id", &json!([])).is_err());
    }

    #[test]
    fn path_params_encode_like_path_segment() {
        for value in ["a/b c", "...", ". ", "ünï~-._", "x", "%2e%2E"] {
            assert_eq!(path_param(OP, "id", value).unwrap(), path_segment(value).unwrap(), "{value}");
        }
        assert_eq!(path_param(OP, "id", &42).unwrap(), "42");
        assert_eq!(path_param(OP, "id", &json!(["a", "b"])).unwrap(), "a%2Cb");
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 256, failure_persistence: None, ..Default::default() })]

        /// Whatever `path_param` accepts, it encodes exactly like `path_segment` (moved here from
        /// tests/proptest_runtime.rs when `path_segment` became private).
        #[test]
        fn path_param_encodes_like_path_segment(value in "[/?#%. +&=;2eEFa-z\\r\\n\\x00é\u{202e}]{0,12}|\\PC{0,12}") {
            if let Ok(encoded) = path_param(OP, "contact_id", &value) {
                proptest::prop_assert_eq!(encoded, path_segment(&value).unwrap());
            }
        }
    }

    #[test]
    fn path_params_keep_every_special_character_in_one_segment() {
        let cases = [
            ("a/b", "a%2Fb"),
            ("a?b=1", "a%3Fb%3D1"),
            ("a#frag", "a%23frag"),
            ("a%2Fb", "a%252Fb"),
            ("a\r\nHost: evil", "a%0D%0AHost%3A%20evil"),
            ("a b", "a%20b"),
            ("Zoë/日本", "Zo%C3%AB%2F%E6%97%A5%E6%9C%AC"),
            ("../admins", "..%2Fadmins"),
        ];
        for (value, encoded) in cases {
            assert_eq!(path_param(OP, "id", value).unwrap(), encoded, "{value:?}");
        }
    }

    /// The percent-encoded dot forms that WHATWG parsers treat as `.`/`..` are harmless as input:
    /// their `%` is escaped, so the parsed URL keeps them as one literal segment.
    #[cfg(feature = "client")]
    #[test]
    fn encoded_dot_forms_survive_url_parsing() {
        for value in ["%2e", "%2E", ".%2e", "%2e.", "%2e%2e", "%2E%2e", "..."] {
            let url = format!(
                "https://api.intercom.io/contacts/c1/companies/{}",
                path_param(OP, "company_id", value).unwrap()
            );
            let parsed = reqwest::Url::parse(&url).unwrap();
            let segments: Vec<&str> = parsed.path_segments().unwrap().collect();
            assert_eq!(segments.len(), 4, "{value}: {parsed}");
            let last = percent_encoding::percent_decode_str(segments[3]).decode_utf8().unwrap();
            assert_eq!(last, value, "{parsed}");
        }
        // Whereas the raw dot forms would be normalised away, which is why they are refused.
        let parsed = reqwest::Url::parse("https://api.intercom.io/contacts/../companies/co1").unwrap();
        assert_eq!(parsed.path(), "/companies/co1");
        let parsed = reqwest::Url::parse("https://api.intercom.io/contacts/%2e%2E/companies/co1").unwrap();
        assert_eq!(parsed.path(), "/companies/co1");
    }

    #[test]
    fn form_style_layouts() {
        let mut q = Query::default();
        q.push("per_page", &50, true).unwrap();
        q.push("ids", &json!(["a", "b"]), false).unwrap();
        q.push("tag", &json!(["x", "y"]), true).unwrap();
        q.push("filter", &json!({"email": "a@b.c"}), true).unwrap();
        q.push("skip", &Option::<i64>::None, true).unwrap();
        q.push("obj", &json!({"k": 1, "j": "v"}), false).unwrap();
        assert_eq!(q.encode(), "per_page=50&ids=a%2Cb&tag=x&tag=y&email=a%40b.c&obj=k%2C1%2Cj%2Cv");
    }
}
