//! Arbitrary strings as path and query parameters of a few 2.11 operations, built into requests.
//!
//! Properties:
//! - building never panics;
//! - path operations fail with `Error::InvalidRequest` exactly when a path parameter is "", "."
//!   or "..", the values URL normalisation would drop or merge (runtime/params.rs, `path_param`);
//! - otherwise the URI path has the template's segments: its literal ones unchanged and each
//!   parameter as one segment that percent-decodes to the input, also after a WHATWG URL parser
//!   (what reqwest uses) has normalised the URI, so no value can change the endpoint;
//! - the query of `ListContacts` form-decodes to exactly the pairs that were set.
//!
//! Input: up to five fields separated by the byte 0xFF (never part of UTF-8, so `cargo xtask fuzz`
//! can write seeds by hand): the first and second path parameter, `starting_after`, `page` and
//! `per_page` (decimal). Text is decoded lossily; a missing field (or a number that does not
//! parse) leaves the parameter unset.
#![no_main]

use intercom_api::runtime::{build_request, Error, Operation, RequestContext};
use intercom_api::v2_11::operations::{DetachContactFromACompany, ListContacts, ShowContact};
use libfuzzer_sys::fuzz_target;

const BASE: &str = "https://api.intercom.io";
const CONTEXT: RequestContext<'static> = RequestContext { base_url: BASE, token: Some("t"), user_agent: "fuzz" };

struct Input {
    first: String,
    second: String,
    starting_after: Option<String>,
    page: Option<i64>,
    per_page: Option<i64>,
}

impl Input {
    fn split(data: &[u8]) -> Input {
        let mut fields = data.split(|b| *b == 0xFF).map(|f| String::from_utf8_lossy(f).into_owned());
        let first = fields.next().unwrap_or_default();
        let second = fields.next().unwrap_or_default();
        let starting_after = fields.next();
        let mut number = || fields.next().and_then(|f| f.parse().ok());
        let (page, per_page) = (number(), number());
        Input { first, second, starting_after, page, per_page }
    }
}

fuzz_target!(|data: &[u8]| {
    let input = Input::split(data);
    check_path(&ShowContact::new(input.first.as_str()), &[&input.first]);
    check_path(
        &DetachContactFromACompany::new(input.first.as_str(), input.second.as_str()),
        &[&input.first, &input.second],
    );
    check_query(input.page, input.per_page, input.starting_after);
});

/// `values` are the operation's path parameters in template order.
fn check_path<O: Operation>(op: &O, values: &[&str]) {
    let refused = values.iter().any(|v| matches!(*v, "" | "." | ".."));
    let request = match build_request(op, CONTEXT) {
        Err(Error::InvalidRequest(message)) if refused => {
            assert!(message.contains(O::OPERATION_ID), "{message} does not name {}", O::OPERATION_ID);
            return;
        }
        Err(e) => panic!("{}: {values:?} refused with {e:?}", O::PATH),
        Ok(_) if refused => panic!("{}: {values:?} accepted, but one of them cannot be a path segment", O::PATH),
        Ok(request) => request,
    };
    let uri = request.uri();
    assert_eq!(uri.scheme_str(), Some("https"));
    assert_eq!(uri.authority().map(|a| a.as_str()), Some("api.intercom.io"), "{uri}");
    assert!(uri.query().is_none(), "{uri}");
    let segments: Vec<&str> = uri.path().split('/').collect();
    check_segments(O::PATH, values, &segments, &uri.to_string());
    // What reqwest sends: the same URI after WHATWG parsing (dot segments resolved, etc.).
    let parsed = url::Url::parse(&uri.to_string()).unwrap_or_else(|e| panic!("{uri}: {e}"));
    let segments: Vec<&str> =
        std::iter::once("").chain(parsed.path_segments().expect("https URLs have a path")).collect();
    check_segments(O::PATH, values, &segments, parsed.as_str());
}

/// `segments` begins with the empty text before the path's leading `/`.
fn check_segments(template: &str, values: &[&str], segments: &[&str], uri: &str) {
    let expected: Vec<&str> = template.split('/').collect();
    assert_eq!(segments.len(), expected.len(), "{uri} does not have the segments of {template}");
    let mut params = values.iter();
    for (segment, want) in segments.iter().zip(&expected) {
        if want.starts_with('{') {
            let value = params.next().expect("one value per template parameter");
            let decoded =
                percent_encoding::percent_decode_str(segment).decode_utf8().unwrap_or_else(|e| panic!("{uri}: {e}"));
            assert_eq!(&decoded, value, "{uri}: segment {segment:?}");
        } else {
            assert_eq!(segment, want, "{uri} does not follow {template}");
        }
    }
    assert!(params.next().is_none(), "{template} has fewer parameters than given");
}

fn check_query(page: Option<i64>, per_page: Option<i64>, starting_after: Option<String>) {
    let op = ListContacts { page, per_page, starting_after: starting_after.clone(), ..ListContacts::new() };
    let request = build_request(&op, CONTEXT).unwrap_or_else(|e| panic!("{op:?}: {e:?}"));
    let uri = request.uri();
    assert_eq!(uri.path(), "/contacts", "{uri}");
    let got: Vec<(String, String)> =
        url::form_urlencoded::parse(uri.query().unwrap_or("").as_bytes()).into_owned().collect();
    let want: Vec<(String, String)> = [
        ("page", page.map(|n| n.to_string())),
        ("per_page", per_page.map(|n| n.to_string())),
        ("starting_after", starting_after),
    ]
    .into_iter()
    .filter_map(|(k, v)| Some((k.to_string(), v?)))
    .collect();
    assert_eq!(got, want, "{uri}");
}
