//! The migration report between two small fixture versions (tests/fixtures/diff/), compared with
//! the committed expected report; and the properties every report has.

use std::path::{Path, PathBuf};

use intercom_codegen::diff::{self, VersionIr};
use intercom_codegen::FixupsFile;

fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/diff")
}

fn version(file: &str, name: &str) -> VersionIr {
    let label = format!("generator/tests/fixtures/diff/{file}");
    let bytes = std::fs::read(fixture_dir().join(file)).unwrap();
    let prepared = intercom_codegen::prepare_unpinned(&label, name, &bytes, &FixupsFile::default()).unwrap();
    VersionIr::new(name, &prepared)
}

#[test]
fn report_matches_the_committed_one() {
    let report = diff::report(&version("before.yaml", "1.0"), &version("after.yaml", "2.0"));
    let expected_path = fixture_dir().join("expected.md");
    let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
    assert!(
        report == expected,
        "the report differs from {}; if the change is intended, replace that file's contents with:\n{report}",
        expected_path.display()
    );
}

#[test]
fn reports_are_deterministic_and_empty_between_equal_versions() {
    let (a, b) = (version("before.yaml", "1.0"), version("after.yaml", "2.0"));
    assert_eq!(diff::report(&a, &b), diff::report(&version("before.yaml", "1.0"), &version("after.yaml", "2.0")));
    let same = diff::diff(&b, &version("after.yaml", "2.0"));
    assert!(same.summary().is_empty(), "{same:?}");
    assert_eq!(same.summary().to_string(), "no changes");
    // Backwards, what was added is removed.
    let forward = diff::diff(&a, &b).summary();
    let backward = diff::diff(&b, &a).summary();
    assert_eq!((forward.operations_added, forward.types_added), (backward.operations_removed, backward.types_removed));
    assert_eq!(forward.operations_changed, backward.operations_changed);
}
