//! Conformance: every request and response example in each enabled version's description decodes
//! into its generated type and re-encodes to the same JSON (null ≡ absent; members the type does not
//! declare are ignored by design). Response examples must pass 100%; request examples that
//! contradict their own schema are upstream defects and must be listed in
//! `spec/example-contradictions.toml`, so that a new failure (or a fixed one) is noticed.

#[path = "conformance/versions.rs"]
mod versions;

#[macro_use]
#[path = "support/report.rs"]
mod report;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use intercom_codegen::conformance::{self, first_difference, strip_nulls};
use serde_json::Value;

/// Decode then encode one value as `T`.
pub fn roundtrip<T: serde::de::DeserializeOwned + serde::Serialize>(value: &Value) -> Result<Value, String> {
    let decoded: T = serde_json::from_value(value.clone()).map_err(|e| format!("decode: {e}"))?;
    serde_json::to_value(&decoded).map_err(|e| format!("encode: {e}"))
}

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

fn description(root: &Path, upstream: &intercom_codegen::Upstream, pinned: &intercom_codegen::PinnedVersion) -> Vec<u8> {
    let env_dir = std::env::var_os("INTERCOM_OPENAPI_DIR").map(PathBuf::from);
    for candidate in intercom_codegen::spec_candidates(env_dir.as_deref(), root, upstream, pinned) {
        if let Ok(bytes) = std::fs::read(&candidate) {
            return bytes;
        }
    }
    panic!(
        "{} ({}): description not found; set INTERCOM_OPENAPI_DIR to a checkout of Intercom-OpenAPI (CI uses ../shared/intercom-openapi) or run `cargo xtask codegen` once with network to fill spec/cache",
        pinned.name, pinned.path
    );
}

#[derive(Default)]
struct Tally {
    passed: usize,
    total: usize,
}

#[test]
fn spec_examples_round_trip() {
    let root = workspace();
    let versions = intercom_codegen::config::parse_versions("spec/versions.toml", &std::fs::read_to_string(root.join("spec/versions.toml")).unwrap()).unwrap();
    let fixups = intercom_codegen::config::parse_fixups("spec/fixups.toml", &std::fs::read_to_string(root.join("spec/fixups.toml")).unwrap()).unwrap();
    let known_text = std::fs::read_to_string(root.join("spec/example-contradictions.toml")).unwrap();
    let known: toml_known::Known = toml_known::parse(&known_text);

    let mut failures = Vec::new();
    let mut unexpectedly_passing = Vec::new();
    let mut tested_any = false;
    report!("conformance (examples decoded and re-encoded identically / examples with a named type):");
    for pinned in &versions.versions {
        let Some(roundtrip) = versions::roundtrip_for(&pinned.name) else { continue };
        tested_any = true;
        let bytes = description(&root, &versions.upstream, pinned);
        let input = intercom_codegen::VersionInput { upstream: &versions.upstream, pinned, yaml: &bytes };
        let prepared = intercom_codegen::prepare(&input, &fixups).unwrap_or_else(|e| panic!("{e}"));
        let (cases, skipped) = conformance::cases(&prepared);
        let (mut responses, mut requests) = (Tally::default(), Tally::default());
        // Request examples that illustrate an error response are invalid on purpose: counted, not failed.
        let mut error_examples = Tally::default();
        let mut undeclared = 0;
        let known_here: BTreeSet<&str> = known.for_version(&pinned.name);
        for case in &cases {
            let outcome = match roundtrip(&case.type_name, &case.value) {
                // Identical to the example, or to the example less the members its type does not declare.
                Some(Ok(encoded)) if strip_nulls(&encoded) == strip_nulls(&case.value) || strip_nulls(&encoded) == strip_nulls(&case.expected) => Ok(()),
                Some(Ok(encoded)) => Err(format!(
                    "re-encoded differently (re-encoded vs expected) at {}",
                    first_difference(&strip_nulls(&encoded), &strip_nulls(&case.expected)).unwrap_or_default()
                )),
                Some(Err(e)) => Err(e),
                None => Err(format!("no round trip for type {}", case.type_name)),
            };
            undeclared += case.undeclared.len();
            let illustrates_error = case.is_request && case.paired_status.as_deref().is_some_and(|s| !s.starts_with('2'));
            if illustrates_error {
                error_examples.total += 1;
                error_examples.passed += usize::from(outcome.is_ok());
                continue;
            }
            let tally = if case.is_request { &mut requests } else { &mut responses };
            tally.total += 1;
            let listed = known_here.contains(case.pointer.as_str());
            match (&outcome, listed) {
                (Ok(()), false) => tally.passed += 1,
                (Ok(()), true) => {
                    tally.passed += 1;
                    unexpectedly_passing.push(format!("{} {}", pinned.name, case.pointer));
                }
                (Err(_), true) if case.is_request => {}
                (Err(e), _) => failures.push(format!("{} {} as {}: {e}", pinned.name, case.pointer, case.type_name)),
            }
        }
        report!(
            "  {:<5} responses {}/{}  requests {}/{} (the rest are the {} upstream contradictions listed)  requests illustrating an error {}/{}  (undeclared members ignored: {undeclared}; examples without a named type: {skipped})",
            pinned.name, responses.passed, responses.total, requests.passed, requests.total, known_here.len(), error_examples.passed, error_examples.total
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

/// `spec/example-contradictions.toml`: request examples that contradict their own schema upstream.
mod toml_known {
    use std::collections::BTreeSet;

    #[derive(serde::Deserialize)]
    pub struct Known {
        #[serde(default)]
        contradiction: Vec<Entry>,
    }

    #[derive(serde::Deserialize)]
    struct Entry {
        versions: Vec<String>,
        pointer: String,
        #[allow(dead_code)]
        why: String,
    }

    pub fn parse(text: &str) -> Known {
        toml::from_str(text).unwrap_or_else(|e| panic!("spec/example-contradictions.toml: {e}"))
    }

    impl Known {
        pub fn for_version(&self, version: &str) -> BTreeSet<&str> {
            self.contradiction.iter().filter(|e| e.versions.iter().any(|v| v == version)).map(|e| e.pointer.as_str()).collect()
        }
    }
}
