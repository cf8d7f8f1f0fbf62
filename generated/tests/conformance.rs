//! Conformance: every request and response example in each enabled version's description decodes
//! into its generated type and re-encodes to the same JSON, every member kept (null ≡ absent and
//! numbers compared by value, nothing else forgiven): members a type does not declare must survive
//! in its `extra_` map. Decoding is the client's: strict first, lenient when that fails (the count of
//! examples that needed it is reported). Response examples must pass 100%; request examples that
//! contradict their own schema are upstream defects and must be listed in
//! `spec/example-contradictions.toml`, so that a new failure (or a fixed one) is noticed.

#[path = "conformance/versions.rs"]
mod versions;

#[macro_use]
#[path = "support/report.rs"]
mod report;
#[path = "support/spec.rs"]
mod spec;
#[path = "support/example_contradictions.rs"]
mod toml_known;

use std::collections::BTreeSet;

use intercom_codegen::conformance::{self, first_difference, strip_nulls};
use serde_json::Value;

/// What the generated model dispatch (`conformance/vX_Y.rs`) hands each model type to.
pub trait ModelVisitor {
    type Output;
    fn visit<T: serde::de::DeserializeOwned + serde::Serialize>(self) -> Self::Output;
}

/// Round-trips one value through the model it is visited with.
struct RoundtripVisitor<'v>(&'v Value);

impl ModelVisitor for RoundtripVisitor<'_> {
    type Output = Roundtripped;
    fn visit<T: serde::de::DeserializeOwned + serde::Serialize>(self) -> Roundtripped {
        roundtrip::<T>(self.0)
    }
}

/// What a round trip gives.
pub struct Decoded {
    /// The value decoded the client's way (strictly, else leniently) and encoded again.
    pub encoded: Value,
    /// What the lenient decode kept raw (empty when the strict decode succeeded).
    pub mismatches: Vec<intercom_api::runtime::Mismatch>,
    /// The JSON path a strict decode fails at, if it fails.
    pub strict_failure: Option<String>,
}

pub type Roundtripped = Result<Decoded, String>;

/// Decode then encode one value as `T`, the way the client decodes: strictly, else leniently. The
/// strict failure is the client's own (`Decoding::Strict`), path included.
pub fn roundtrip<T: serde::de::DeserializeOwned + serde::Serialize>(value: &Value) -> Roundtripped {
    use intercom_api::runtime::{operation::decode_success_with, Decoding, Error, SuccessBody};
    let bytes = serde_json::to_vec(value).map_err(|e| format!("encode the example: {e}"))?;
    let ok = http::StatusCode::OK;
    let (decoded, mismatches, strict_failure): (T, _, _) =
        match decode_success_with::<T>(SuccessBody::Json, ok, &bytes, Decoding::Strict) {
            Ok(strict) => (strict.value, Vec::new(), None),
            Err(Error::Decode { path, message, .. }) => {
                let lenient = decode_success_with::<T>(SuccessBody::Json, ok, &bytes, Decoding::Lenient)
                    .map_err(|e| format!("decode: {e} (strictly at `{path}`: {message})"))?;
                (lenient.value, lenient.mismatches, Some(path))
            }
            Err(other) => return Err(format!("decode: {other}")),
        };
    let encoded = serde_json::to_value(&decoded).map_err(|e| format!("encode: {e}"))?;
    Ok(Decoded { encoded, mismatches, strict_failure })
}

/// What one example's round trip came to.
#[derive(Debug, PartialEq)]
enum Outcome {
    /// Identical to the example, every member kept, decoded strictly.
    RoundTrips,
    /// A response example lenient decoding keeps whole and strict decoding rejects: its schema
    /// and it disagree, so spec/example-contradictions.toml must list it, saying which is right.
    ContradictsStrictly { mismatches: String },
    /// Failed, with why.
    Fails(String),
}

impl From<Result<(), String>> for Outcome {
    fn from(result: Result<(), String>) -> Self {
        result.map_or_else(Outcome::Fails, |()| Outcome::RoundTrips)
    }
}

#[derive(Default)]
struct Tally {
    passed: usize,
    total: usize,
}

#[test]
fn spec_examples_round_trip() {
    let spec = spec::workspace();
    let known_text = std::fs::read_to_string(spec.root().join("spec/example-contradictions.toml")).unwrap();
    let known: toml_known::Known = toml_known::parse(&known_text);

    let mut failures = Vec::new();
    let mut unexpectedly_passing = Vec::new();
    let mut tested_any = false;
    report!("conformance (examples decoded and re-encoded identically / examples with a named type):");
    for pinned in &spec.versions.versions {
        if !versions::enabled(&pinned.name) {
            continue;
        }
        let roundtrip =
            |type_name: &str, value: &Value| versions::visit(&pinned.name, type_name, RoundtripVisitor(value));
        tested_any = true;
        let prepared = spec.prepare(pinned).unwrap_or_else(|e| panic!("{e}"));
        let (cases, skipped) = conformance::cases(&prepared);
        let (mut responses, mut requests) = (Tally::default(), Tally::default());
        // Request examples that illustrate an error response are invalid on purpose: counted, not failed.
        let mut error_examples = Tally::default();
        let mut undeclared = 0;
        let mut lenient = 0;
        let mut responses_listed = 0;
        let known_here: BTreeSet<&str> = known.for_version(&pinned.name);
        for case in &cases {
            let listed = known_here.contains(case.pointer.as_str());
            let outcome: Outcome = match roundtrip(&case.type_name, &case.value) {
                // An example that decodes only leniently contradicts its schema: a request example
                // always fails; a response example must still round-trip losslessly (lenient
                // decoding is the response policy), and strict decoding must reject exactly the
                // listed ones.
                Some(Ok(d)) if case.is_request && d.strict_failure.is_some() => Outcome::Fails(format!(
                    "decodes only leniently: a member contradicts its declared type: {}",
                    d.mismatches.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ")
                )),
                Some(Ok(d)) if d.strict_failure.is_some() => {
                    lenient += 1;
                    match lossless(&d, &case.value) {
                        Ok(()) => Outcome::ContradictsStrictly {
                            mismatches: d.mismatches.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "),
                        },
                        Err(e) => Outcome::Fails(e),
                    }
                }
                Some(Ok(d)) => lossless(&d, &case.value).into(),
                Some(Err(e)) => Outcome::Fails(e),
                None => Outcome::Fails(format!("no round trip for type {}", case.type_name)),
            };
            undeclared += if case.is_request { 0 } else { case.undeclared.len() };
            let illustrates_error =
                case.is_request && case.paired_status.as_deref().is_some_and(|s| !s.starts_with('2'));
            if illustrates_error {
                error_examples.total += 1;
                error_examples.passed += usize::from(outcome == Outcome::RoundTrips);
                continue;
            }
            let tally = if case.is_request { &mut requests } else { &mut responses };
            tally.total += 1;
            match (outcome, listed) {
                (Outcome::RoundTrips, false) => tally.passed += 1,
                (Outcome::RoundTrips, true) => {
                    tally.passed += 1;
                    unexpectedly_passing.push(format!("{} {}", pinned.name, case.pointer));
                }
                (Outcome::Fails(_), true) if case.is_request => {}
                // Lossless under lenient decoding, rejected by strict decoding, and listed.
                (Outcome::ContradictsStrictly { .. }, true) => {
                    tally.passed += 1;
                    responses_listed += 1;
                }
                // Lossless, but a contradiction nobody has weighed yet.
                (Outcome::ContradictsStrictly { mismatches }, false) => {
                    tally.passed += 1;
                    failures.push(format!(
                        "{} {} as {}: strict decoding rejects it ({mismatches}) and it is not listed in spec/example-contradictions.toml (decide which side is right: a fix-up, or a listed contradiction saying why)",
                        pinned.name, case.pointer, case.type_name,
                    ));
                }
                (Outcome::Fails(e), _) => {
                    failures.push(format!("{} {} as {}: {e}", pinned.name, case.pointer, case.type_name))
                }
            }
        }
        // Composed from property examples: must decode strictly (a contradiction between a
        // property's example and its type is what these find) and losslessly. Retyped: every
        // scalar's JSON type changed; must decode leniently and losslessly, and fail strictly at
        // the path of the first member lenient decoding kept raw.
        let (mut composed, mut retyped) = (Tally::default(), Tally::default());
        let wrong_examples = known.property_examples_for(&pinned.name);
        for pointer in &wrong_examples {
            if prepared.doc.pointer(&format!("{pointer}/example")).is_none() {
                failures.push(format!("{} {pointer}: listed in spec/example-contradictions.toml but has no `example` any more (remove it)", pinned.name));
            }
        }
        for case in conformance::composed_cases(&prepared, &|pointer| wrong_examples.contains(pointer)) {
            let label = format!("{} {} as {}", pinned.name, case.pointer, case.type_name);
            composed.total += 1;
            match roundtrip(&case.type_name, &case.value) {
                Some(Ok(d)) if d.strict_failure.is_some() => failures.push(format!(
                    "{label}: a property example contradicts its type: {}",
                    d.mismatches.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ")
                )),
                Some(Ok(d)) => match lossless(&d, &case.value) {
                    Ok(()) => composed.passed += 1,
                    Err(e) => failures.push(format!("{label}: {e}")),
                },
                Some(Err(e)) => failures.push(format!("{label}: {e}")),
                None => failures.push(format!("{label}: no round trip for the type")),
            }
            let changed = conformance::retype(&case.value);
            retyped.total += 1;
            match roundtrip(&case.type_name, &changed) {
                Some(Ok(d)) => {
                    let strict_path_matches =
                        d.strict_failure.as_deref() == d.mismatches.first().map(|m| m.path.as_str());
                    match lossless(&d, &changed) {
                        Ok(()) if strict_path_matches => retyped.passed += 1,
                        Ok(()) => failures.push(format!(
                            "{label} retyped: strict decoding fails at {:?}, lenient kept {:?} first",
                            d.strict_failure,
                            d.mismatches.first()
                        )),
                        Err(e) => failures.push(format!("{label} retyped: {e}")),
                    }
                }
                Some(Err(e)) => failures.push(format!("{label} retyped: {e}")),
                None => {}
            }
        }
        report!(
            "  {:<5} composed from property examples lossless {}/{}  with every scalar retyped: decoded leniently and losslessly, strict path right {}/{}",
            pinned.name, composed.passed, composed.total, retyped.passed, retyped.total
        );
        report!(
            "  {:<5} responses lossless {}/{}, strictly {}/{} (the rest are the {responses_listed} listed contradictions; strict decoding rejects exactly those)  requests {}/{} (the rest are the {} upstream contradictions listed)  requests illustrating an error {}/{}  (response members no schema declares, kept in `extra_`: {undeclared}; decoded leniently: {lenient}; examples without a named type: {skipped})",
            pinned.name, responses.passed, responses.total, responses.total - lenient, responses.total, requests.passed, requests.total, known_here.len() - responses_listed, error_examples.passed, error_examples.total
        );
    }
    assert!(tested_any, "no version feature is enabled");
    assert!(failures.is_empty(), "{} examples failed:\n{}", failures.len(), failures.join("\n"));
    assert!(
        unexpectedly_passing.is_empty(),
        "listed in spec/example-contradictions.toml but now passing (remove them):\n{}",
        unexpectedly_passing.join("\n")
    );
}

/// The re-encoded value equals `example` with every member kept (null ≡ absent, numbers by value).
fn lossless(decoded: &Decoded, example: &Value) -> Result<(), String> {
    if strip_nulls(&decoded.encoded) == strip_nulls(example) {
        Ok(())
    } else {
        Err(format!(
            "re-encoded differently (re-encoded vs example) at {}",
            first_difference(&strip_nulls(&decoded.encoded), &strip_nulls(example)).unwrap_or_default()
        ))
    }
}
