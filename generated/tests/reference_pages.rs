//! Reference pages: the payloads Intercom's reference pages show for a version decode into that
//! version's type strictly, with nothing kept in `extra_` (no member the type does not declare)
//! and no mismatch, and re-encode to the same JSON (null ≡ absent, as in the conformance test).
//!
//! One fixture per page under `tests/fixtures/reference_pages/` (`{version}-{page}.json`): the
//! page's URL, its version, and each payload it shows in full with the type it is. A member a
//! page shows that the version's description lacks is a fix-up in `spec/fixups.toml` with the page
//! as evidence (as `contact-formatted-phone` is); without it, this test names the member.

#[path = "conformance/versions.rs"]
mod versions;

use std::path::Path;

use intercom_codegen::conformance::{first_difference, strip_nulls};
use serde_json::Value;

/// What the generated model dispatch (`conformance/vX_Y.rs`) hands each model type to.
pub trait ModelVisitor {
    type Output;
    fn visit<T: serde::de::DeserializeOwned + serde::Serialize>(self) -> Self::Output;
}

/// Checks one payload against the model it is visited with: strictly, or, for a payload whose
/// member at the given path contradicts its declared type, leniently with that one mismatch.
struct Faithful<'v>(&'v Value, Option<&'v str>);

impl ModelVisitor for Faithful<'_> {
    type Output = Result<(), String>;
    fn visit<T: serde::de::DeserializeOwned + serde::Serialize>(self) -> Result<(), String> {
        use intercom_api::runtime::{operation::decode_success_with, Decoding, SuccessBody};
        let bytes = serde_json::to_vec(self.0).map_err(|e| format!("encode the payload: {e}"))?;
        let decode = |how| decode_success_with::<T>(SuccessBody::Json, http::StatusCode::OK, &bytes, how);
        let decoded = match (decode(Decoding::Strict), self.1) {
            (Ok(decoded), None) => decoded,
            (Err(e), None) => return Err(format!("strict decoding refuses it: {e}")),
            (Ok(_), Some(path)) => {
                return Err(format!("strict decoding accepts it, though listed as refused at `{path}`"))
            }
            (Err(e), Some(path)) => {
                if !e.to_string().contains(&format!("at `{path}`")) {
                    return Err(format!("strict decoding refuses it elsewhere than `{path}`: {e}"));
                }
                let mut decoded = decode(Decoding::Lenient).map_err(|e| format!("lenient decoding refuses it: {e}"))?;
                let at: Vec<&str> = decoded.mismatches.iter().map(|m| m.path.as_str()).collect();
                if at != [path] {
                    return Err(format!("lenient decoding kept {at:?} raw, not only `{path}`"));
                }
                // The one expected mismatch; the checks below still apply to everything else.
                decoded.mismatches.clear();
                decoded
            }
        };
        if !decoded.undeclared.is_empty() {
            return Err(format!(
                "members the type does not declare, kept in `extra_`: {} (a fix-up with the page as evidence?)",
                decoded.undeclared.join(", ")
            ));
        }
        if !decoded.mismatches.is_empty() {
            let mismatches: Vec<String> = decoded.mismatches.iter().map(ToString::to_string).collect();
            return Err(format!("members of another type than declared: {}", mismatches.join("; ")));
        }
        let encoded = serde_json::to_value(&decoded.value).map_err(|e| format!("re-encode: {e}"))?;
        let (encoded, shown) = (strip_nulls(&encoded), strip_nulls(self.0));
        match first_difference(&encoded, &shown) {
            None if encoded == shown => Ok(()),
            at => Err(format!("re-encoded differently (re-encoded vs page) at {}", at.unwrap_or_default())),
        }
    }
}

/// One reference page and what it shows.
#[derive(serde::Deserialize)]
struct Page {
    url: String,
    version: String,
    payloads: Vec<Shown>,
}

#[derive(serde::Deserialize)]
struct Shown {
    /// The generated type's name in that version (`Note`, `Company`).
    r#type: String,
    /// Where on the page (`POST /contacts/{id}/notes: the response`).
    shows: String,
    value: Value,
    /// A member the page shows with another type than the version declares, where the
    /// declaration is right: the path strict decoding refuses, and why the declaration stands.
    #[serde(default)]
    contradiction: Option<Contradiction>,
}

#[derive(serde::Deserialize)]
struct Contradiction {
    strict_refuses_at: String,
    why: String,
}

fn pages() -> Vec<(String, Page)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/reference_pages");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|path| {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let text = std::fs::read_to_string(&path).unwrap();
            let page: Page = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert!(page.url.starts_with("http"), "{name}: the page's URL is the fixture's evidence");
            assert!(name.starts_with(&format!("{}-", page.version)), "{name}: named `{{version}}-{{page}}.json`");
            (name, page)
        })
        .collect()
}

#[test]
fn reference_page_payloads_round_trip_with_nothing_undeclared() {
    let pages = pages();
    assert!(pages.len() >= 10, "reference page fixtures missing: {}", pages.len());
    let mut failures = Vec::new();
    let mut checked = 0;
    for (name, page) in &pages {
        if !versions::enabled(&page.version) {
            continue;
        }
        for shown in &page.payloads {
            checked += 1;
            let refused_at = shown.contradiction.as_ref().map(|c| {
                assert!(!c.why.is_empty(), "{name}: a contradiction says why the declaration stands");
                c.strict_refuses_at.as_str()
            });
            let outcome = versions::visit(&page.version, &shown.r#type, Faithful(&shown.value, refused_at))
                .unwrap_or_else(|| Err(format!("{} has no type `{}`", page.version, shown.r#type)));
            if let Err(e) = outcome {
                failures.push(format!("{name} ({}), {} as {}: {e}", page.url, shown.shows, shown.r#type));
            }
        }
    }
    let enabled_with_pages = pages.iter().any(|(_, p)| versions::enabled(&p.version));
    assert!(!enabled_with_pages || checked > 0);
    assert!(failures.is_empty(), "{} payloads failed:\n{}", failures.len(), failures.join("\n"));
}

/// The check itself catches what it is for: a member the type does not declare, and one of
/// another type, each named.
#[cfg(feature = "v2_11")]
#[test]
fn an_undeclared_or_mistyped_member_is_named() {
    let undeclared = serde_json::json!({"type": "note", "id": "1", "brand_new": 1});
    let err = versions::visit("2.11", "Note", Faithful(&undeclared, None)).unwrap().unwrap_err();
    assert!(err.contains("brand_new"), "{err}");
    let mistyped = serde_json::json!({"type": "note", "id": "1", "created_at": "yesterday"});
    let err = versions::visit("2.11", "Note", Faithful(&mistyped, None)).unwrap().unwrap_err();
    assert!(err.contains("strict decoding refuses it"), "{err}");
    // Listed at its path, the same payload passes leniently; listed elsewhere, it does not.
    assert_eq!(versions::visit("2.11", "Note", Faithful(&mistyped, Some("created_at"))), Some(Ok(())));
    let err = versions::visit("2.11", "Note", Faithful(&mistyped, Some("body"))).unwrap().unwrap_err();
    assert!(err.contains("elsewhere"), "{err}");
    let fine = serde_json::json!({"type": "note", "id": "1", "body": "<p>x</p>"});
    assert_eq!(versions::visit("2.11", "Note", Faithful(&fine, None)), Some(Ok(())));
    let err = versions::visit("2.11", "Note", Faithful(&fine, Some("body"))).unwrap().unwrap_err();
    assert!(err.contains("strict decoding accepts it"), "{err}");
}
