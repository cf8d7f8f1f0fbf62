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
pub fn path_segment<T: serde::Serialize + ?Sized>(value: &T) -> Result<String, Error> {
    let json = to_json(value)?;
    let text = match &json {
        Value::Array(items) => items.iter().map(scalar_text).collect::<Vec<_>>().join(","),
        other => scalar_text(other),
    };
    Ok(utf8_percent_encode(&text, SEGMENT).to_string())
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
            Value::Array(items) => self.pairs.push((name.to_string(), items.iter().map(scalar_text).collect::<Vec<_>>().join(","))),
            Value::Object(members) if explode => {
                for (k, v) in members.iter().filter(|(_, v)| !v.is_null()) {
                    self.pairs.push((k.clone(), scalar_text(v)));
                }
            }
            Value::Object(members) => {
                let flat: Vec<String> = members.iter().filter(|(_, v)| !v.is_null()).flat_map(|(k, v)| [k.clone(), scalar_text(v)]).collect();
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
