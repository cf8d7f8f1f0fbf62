//! A `multipart/form-data` encoder (RFC 7578) for the operations whose request body is a form,
//! such as Preview's catalog upload. Generated code adds one part per member that is set, in the
//! schema's order; [`Form::finish`] picks a boundary that occurs in none of the parts and returns
//! the body with its `Content-Type`.
//!
//! The boundary is deterministic: the same form always encodes to the same bytes.

use super::error::Error;
use super::operation::RequestBody;

/// The boundary's fixed part; a counter is appended until no part contains the boundary.
const BOUNDARY_PREFIX: &str = "intercom-rs-form-boundary-";

/// A form being built.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Form {
    parts: Vec<Part>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Part {
    name: String,
    /// `Some((filename, content type))` for a file part.
    file: Option<(String, String)>,
    content: Vec<u8>,
}

impl Form {
    pub fn new() -> Form {
        Form::default()
    }

    /// A text part: a scalar as its text (an enum as its wire value, a number as written).
    /// Objects and arrays are refused with [`Error::InvalidRequest`].
    pub fn text<T: serde::Serialize + ?Sized>(&mut self, name: &str, value: &T) -> Result<&mut Form, Error> {
        let text = match serde_json::to_value(value).map_err(Error::Encode)? {
            serde_json::Value::String(s) => s,
            serde_json::Value::Null => String::new(),
            serde_json::Value::Array(_) | serde_json::Value::Object(_) => {
                return Err(Error::InvalidRequest(format!(
                    "the form member `{name}` is not a scalar and cannot be sent as a text part"
                )))
            }
            other => other.to_string(),
        };
        check_quotable(name)?;
        self.parts.push(Part { name: name.to_string(), file: None, content: text.into_bytes() });
        Ok(self)
    }

    /// A file part with `filename` and `content_type`, its content sent byte for byte.
    pub fn file(&mut self, name: &str, filename: &str, content_type: &str, content: &[u8]) -> Result<&mut Form, Error> {
        check_quotable(name)?;
        check_quotable(filename)?;
        if content_type.bytes().any(|b| b.is_ascii_control()) {
            return Err(Error::InvalidRequest(format!("{content_type:?} is not a valid part content type")));
        }
        self.parts.push(Part {
            name: name.to_string(),
            file: Some((filename.to_string(), content_type.to_string())),
            content: content.to_vec(),
        });
        Ok(self)
    }

    /// The encoded body and its `multipart/form-data; boundary=…` content type.
    pub fn finish(&self) -> RequestBody {
        let boundary = self.boundary();
        let mut out = Vec::with_capacity(self.parts.iter().map(|p| p.content.len() + 160).sum::<usize>() + 64);
        for part in &self.parts {
            out.extend_from_slice(b"--");
            out.extend_from_slice(boundary.as_bytes());
            out.extend_from_slice(b"\r\nContent-Disposition: form-data; name=\"");
            out.extend_from_slice(part.name.as_bytes());
            out.push(b'"');
            if let Some((filename, content_type)) = &part.file {
                out.extend_from_slice(b"; filename=\"");
                out.extend_from_slice(filename.as_bytes());
                out.extend_from_slice(b"\"\r\nContent-Type: ");
                out.extend_from_slice(content_type.as_bytes());
            }
            out.extend_from_slice(b"\r\n\r\n");
            out.extend_from_slice(&part.content);
            out.extend_from_slice(b"\r\n");
        }
        out.extend_from_slice(b"--");
        out.extend_from_slice(boundary.as_bytes());
        out.extend_from_slice(b"--\r\n");
        RequestBody { content_type: format!("multipart/form-data; boundary={boundary}"), bytes: out }
    }

    /// The first of `intercom-rs-form-boundary-0`, `-1`, … that no part's content contains (names
    /// and filenames are checked too, although they cannot hold a line break).
    fn boundary(&self) -> String {
        let contains = |haystack: &[u8], needle: &[u8]| haystack.windows(needle.len()).any(|w| w == needle);
        (0u64..)
            .map(|n| format!("{BOUNDARY_PREFIX}{n}"))
            .find(|b| {
                !self.parts.iter().any(|p| {
                    contains(&p.content, b.as_bytes())
                        || contains(p.name.as_bytes(), b.as_bytes())
                        || p.file.as_ref().is_some_and(|(f, _)| contains(f.as_bytes(), b.as_bytes()))
                })
            })
            .unwrap_or_else(|| BOUNDARY_PREFIX.to_string())
    }
}

/// A name or filename goes between double quotes in `Content-Disposition`: a quote, backslash or
/// control character (a line break would start a header of its own) is refused.
fn check_quotable(text: &str) -> Result<(), Error> {
    if text.chars().any(|c| c == '"' || c == '\\' || c.is_control()) {
        return Err(Error::InvalidRequest(format!("{text:?} cannot be sent as a form part's name or filename")));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn boundary_of(body: &RequestBody) -> String {
        body.content_type.strip_prefix("multipart/form-data; boundary=").expect("a multipart content type").to_string()
    }

    #[test]
    fn parts_in_order_with_exact_bytes() {
        let payload: &[u8] = b"[{\"id\":\"1\"}]\x00\xff\r\n";
        let mut form = Form::new();
        form.text("finalize", "false").unwrap();
        form.file("catalog", "catalog.json", "application/json", payload).unwrap();
        form.text("part_number", &2i64).unwrap();
        let body = form.finish();
        let boundary = boundary_of(&body);
        assert_eq!(boundary, "intercom-rs-form-boundary-0");
        let mut expected = Vec::new();
        expected.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"finalize\"\r\n\r\nfalse\r\n").as_bytes(),
        );
        expected.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"catalog\"; filename=\"catalog.json\"\r\nContent-Type: application/json\r\n\r\n"
            )
            .as_bytes(),
        );
        expected.extend_from_slice(payload);
        expected.extend_from_slice(
            format!("\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"part_number\"\r\n\r\n2\r\n--{boundary}--\r\n")
                .as_bytes(),
        );
        assert_eq!(body.bytes, expected);
    }

    #[test]
    fn boundary_never_occurs_in_the_payload() {
        let payload = b"--intercom-rs-form-boundary-0\r\n--intercom-rs-form-boundary-1--".to_vec();
        let mut form = Form::new();
        form.file("catalog", "catalog.json", "application/json", &payload).unwrap();
        let body = form.finish();
        let boundary = boundary_of(&body);
        assert_eq!(boundary, "intercom-rs-form-boundary-2");
        let delimiter = format!("--{boundary}");
        let occurrences = body.bytes.windows(delimiter.len()).filter(|w| *w == delimiter.as_bytes()).count();
        assert_eq!(occurrences, 2, "one opening delimiter and the closing one");
        // The payload is intact between the part's headers and the closing delimiter.
        let start = body.bytes.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4;
        assert_eq!(&body.bytes[start..start + payload.len()], payload.as_slice());
    }

    #[test]
    fn same_form_same_bytes() {
        let build = || {
            let mut form = Form::new();
            form.text("import_job_id", "job_1").unwrap();
            form.file("catalog", "catalog.json", "application/json", b"[]").unwrap();
            form.finish()
        };
        assert_eq!(build(), build());
    }

    #[test]
    fn empty_form_is_only_the_closing_delimiter() {
        let body = Form::new().finish();
        assert_eq!(body.bytes, b"--intercom-rs-form-boundary-0--\r\n");
    }

    #[test]
    fn enums_numbers_and_bools_as_text() {
        #[derive(serde::Serialize)]
        enum Finalize {
            #[serde(rename = "true")]
            True,
        }
        let mut form = Form::new();
        form.text("finalize", &Finalize::True).unwrap();
        form.text("ratio", &serde_json::Number::from_f64(1.5).unwrap()).unwrap();
        form.text("flag", &true).unwrap();
        let text = String::from_utf8(form.finish().bytes).unwrap();
        assert!(text.contains("name=\"finalize\"\r\n\r\ntrue\r\n"), "{text}");
        assert!(text.contains("name=\"ratio\"\r\n\r\n1.5\r\n"), "{text}");
        assert!(text.contains("name=\"flag\"\r\n\r\ntrue\r\n"), "{text}");
    }

    #[test]
    fn bad_input_is_an_error_not_a_panic() {
        let mut form = Form::new();
        assert!(matches!(form.text("list", &vec![1, 2]), Err(Error::InvalidRequest(_))));
        assert!(matches!(form.text("a\"b", "x"), Err(Error::InvalidRequest(_))));
        assert!(matches!(form.file("f", "x\r\nInjected: 1", "application/json", b""), Err(Error::InvalidRequest(_))));
        assert!(matches!(form.file("f", "f.json", "application/json\r\nX: 1", b""), Err(Error::InvalidRequest(_))));
        assert_eq!(form.finish().bytes, b"--intercom-rs-form-boundary-0--\r\n", "refused parts are not added");
    }
}
