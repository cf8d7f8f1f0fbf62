//! Resource features (issue 27): every resource alone leaves no reference to an item it disables,
//! in every pinned version; the gates of a three-tag fixture are pinned by a snapshot; the tag
//! table is enforced.

use std::collections::BTreeSet;
use std::path::Path;

use intercom_codegen::ir::Gate;
use intercom_codegen::{FixupsFile, Workspace};

fn workspace() -> Workspace {
    Workspace::load(Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap()).unwrap_or_else(|e| panic!("{e}"))
}

const FIXTURE: &str = "generator/tests/fixtures/resources/tags.yaml";

fn fixture_bytes() -> Vec<u8> {
    std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().join(FIXTURE)).unwrap()
}

/// For each pinned version, the `-core` feature with each resource alone (and with none) compiles
/// no item that names one it leaves out: types, operations, client groups and their methods.
#[test]
fn every_resource_alone_is_closed_in_every_version() {
    let ws = workspace();
    for pinned in &ws.versions.versions {
        let prepared = ws.prepare(pinned).unwrap_or_else(|e| panic!("{e}"));
        let r = &prepared.ir.resources;
        assert!(!r.features.is_empty(), "{}: no resource features", pinned.name);
        assert_eq!(r.types.len(), prepared.ir.types.len(), "{}: every type has a gate", pinned.name);
        let dangling = intercom_codegen::resources::dangling(&prepared.ir);
        assert!(
            dangling.is_empty(),
            "{}: {} dangling references:\n{}",
            pinned.name,
            dangling.len(),
            dangling.join("\n")
        );
        // Every feature comes from spec/resources.toml, so it means the same in every version.
        let table: BTreeSet<&String> = ws.resources.tags.values().collect();
        assert!(r.features.keys().all(|f| table.contains(f)), "{}: a feature not in the table", pinned.name);
    }
}

/// The check itself catches a gate that leaves a referenced type out.
#[test]
fn a_type_gated_narrower_than_its_users_is_reported() {
    let mut prepared =
        intercom_codegen::prepare_unpinned(FIXTURE, "fixture", &fixture_bytes(), &FixupsFile::default()).unwrap();
    assert!(intercom_codegen::resources::dangling(&prepared.ir).is_empty());
    prepared.ir.resources.types.insert("Admin".into(), Gate::Any(vec!["help-center".into()]));
    let dangling = intercom_codegen::resources::dangling(&prepared.ir);
    assert!(dangling.contains(&"`contacts` alone: type Contact needs type Admin".to_string()), "{dangling:?}");
    assert!(dangling.contains(&"`notes` alone: type Note needs type Admin".to_string()), "{dangling:?}");
}

/// The fixture's gates, and the code they produce, pinned.
#[test]
fn fixture_gates() {
    let prepared =
        intercom_codegen::prepare_unpinned(FIXTURE, "fixture", &fixture_bytes(), &FixupsFile::default()).unwrap();
    let r = &prepared.ir.resources;
    let any = |fs: &[&str]| Gate::Any(fs.iter().map(|f| f.to_string()).collect());
    assert_eq!(r.features.keys().collect::<Vec<_>>(), ["contacts", "help-center", "notes"]);
    assert_eq!(r.version_feature, "fixture");
    assert_eq!(r.type_gate("ErrorBody"), &Gate::Always, "every resource reaches the error");
    assert_eq!(r.type_gate("Admin"), &Gate::Always);
    assert_eq!(r.type_gate("Contact"), &any(&["contacts"]));
    assert_eq!(r.type_gate("Note"), &any(&["contacts", "notes"]), "createNote is tagged Notes and Contacts");
    assert_eq!(r.type_gate("Collection"), &any(&["help-center"]));
    assert_eq!(r.type_gate("Unused"), &Gate::FullVersion);
    let code = intercom_codegen::render_gated_fixture("resources/tags.rs", FIXTURE, &prepared).unwrap();
    insta::assert_snapshot!("fixture_resource_gates", code);
}

/// With the table, a tag it lacks is an error naming the operation; a listed tag takes the
/// table's feature name, whatever its spelling.
#[test]
fn the_tag_table_is_enforced() {
    let versions = intercom_codegen::config::parse_versions(
        "versions.toml",
        &format!(
            "[upstream]\nrepository = 'r'\ncommit = 'c'\nraw_url = 'u'\n[[version]]\nname = '2.11'\npath = 'p.yaml'\nsha256 = '{}'\n",
            intercom_codegen::load::sha256_hex(&fixture_bytes())
        ),
    )
    .unwrap();
    let bytes = fixture_bytes();
    let prepare = |table: &str| {
        let table = intercom_codegen::config::parse_resources("resources.toml", table).unwrap();
        let input = intercom_codegen::VersionInput {
            upstream: &versions.upstream,
            pinned: &versions.versions[0],
            yaml: &bytes,
            resources: Some(&table),
        };
        intercom_codegen::prepare(&input, &FixupsFile::default()).map(|p| p.ir.resources)
    };
    let err = prepare("[tags]\nContacts = 'contacts'\nNotes = 'notes'\n").err().unwrap().to_string();
    assert!(err.starts_with("2.11 (p.yaml) at /paths/~1help_center~1collections/get/tags:"), "{err}");
    assert!(err.contains("tag `Help Center` has no cargo feature in spec/resources.toml"), "{err}");
    let r = prepare("[tags]\nContacts = 'people'\nNotes = 'notes'\n'Help Center' = 'articles'\n").unwrap();
    assert_eq!(r.features.keys().collect::<Vec<_>>(), ["articles", "notes", "people"]);
    assert_eq!(r.features["people"], ["Contacts"]);
    assert_eq!(r.version_feature, "v2_11");
}

#[test]
fn feature_names_are_checked() {
    let parse = |t: &str| {
        intercom_codegen::config::parse_resources("spec/resources.toml", t).map(|_| ()).unwrap_err().to_string()
    };
    assert!(parse("[tags]\nContacts = 'Contacts'\n").contains("must be kebab-case"));
    assert!(parse("[tags]\nContacts = 'help--center'\n").contains("must be kebab-case"));
    assert!(parse("[tags]\nClient = 'client'\n").contains("taken by the crate itself"));
    assert!(parse("[tags]\nX = 'preview-core'\n").contains("taken by the crate itself"));
}
