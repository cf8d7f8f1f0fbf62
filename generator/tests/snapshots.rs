//! insta snapshots: the API surface of each fixture spec (one per construct) and of every pinned
//! version (one line per type, field, variant and operation). Review a
//! change with `cargo insta review`.

use std::path::{Path, PathBuf};

use intercom_codegen::Workspace;

fn workspace() -> Workspace {
    Workspace::load(Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap()).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn fixture_code() {
    let ws = workspace();
    let dir = ws.root().join("generator/tests/fixtures");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    paths.sort();
    assert!(paths.len() >= 5, "fixture specs missing from {}", dir.display());
    for path in paths {
        let stem = path.file_stem().unwrap().to_string_lossy().to_string();
        let label = format!("generator/tests/fixtures/{stem}.yaml");
        let prepared =
            intercom_codegen::prepare_unpinned(&label, "fixture", &std::fs::read(&path).unwrap(), &ws.fixups).unwrap();
        // The fixture's code is pinned once, by the committed `generated/tests/fixtures/{stem}.rs`
        // (written and checked by `cargo xtask codegen`, compiled and exercised by the generated
        // crate's tests); here it must at least render.
        intercom_codegen::render_fixture(&format!("generated/tests/fixtures/{stem}.rs"), &label, &prepared).unwrap();
        insta::assert_snapshot!(format!("fixture_{stem}_surface"), intercom_codegen::surface(&prepared));
    }
}

#[test]
fn version_surfaces() {
    let ws = workspace();
    for pinned in &ws.versions.versions {
        let prepared = ws.prepare(pinned).unwrap_or_else(|e| panic!("{e}"));
        // Every component schema has a type of its UpperCamelCase name.
        let schemas = prepared.doc.pointer("/components/schemas").and_then(|s| s.as_object()).unwrap();
        for key in schemas.keys() {
            let name = intercom_codegen::naming::type_name(key);
            assert!(prepared.ir.types.contains_key(&name), "{}: schema `{key}` has no type `{name}`", pinned.name);
        }
        assert_eq!(prepared.ir.components.len(), schemas.len());
        // Inline types are named within the limit, and no union branch is left a position.
        for def in prepared.ir.types.values() {
            if intercom_codegen::naming::component_schema(&def.origin).is_none() {
                let max = intercom_codegen::naming::MAX_TYPE_NAME;
                assert!(def.name.len() <= max, "{}: inline type `{}` is over {max} characters", pinned.name, def.name);
            }
            let positional =
                |name: &str| name.split("Variant").skip(1).any(|rest| rest.starts_with(|c: char| c.is_ascii_digit()));
            assert!(!positional(&def.name), "{}: type `{}` is named by position", pinned.name, def.name);
            if let intercom_codegen::ir::TypeKind::OneOf(variants) = &def.kind {
                for v in variants {
                    assert!(!positional(&v.rust), "{}: `{}::{}` is named by position", pinned.name, def.name, v.rust);
                }
            }
        }
        insta::assert_snapshot!(format!("surface_{}", pinned.module_name()), intercom_codegen::surface(&prepared));
    }
}
