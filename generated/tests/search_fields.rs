//! Every field documented in a search operation's "Accepted Fields" table, in every pinned
//! version, has its function in the generated `search` module, listed in its `FIELDS` with its
//! type; no row goes unread. The rows are counted here by a scan of the description independent
//! of the generator's parser, so a parser that silently skips rows fails too.

#[path = "support/spec.rs"]
mod spec;

use intercom_codegen::config::SearchFieldType;
use intercom_codegen::search::extract;

/// The table rows under the "Accepted Fields" heading of `description`, counted naively: lines
/// starting with `|` after the heading, up to the first line that does not, minus the header and
/// separator rows.
fn rows_in(description: &str) -> usize {
    let after = description.split_once("Accepted Fields").map_or("", |(_, rest)| rest);
    let table: Vec<&str> =
        after.lines().map(str::trim).skip_while(|l| !l.starts_with('|')).take_while(|l| l.starts_with('|')).collect();
    table.len().saturating_sub(2)
}

#[test]
fn every_documented_field_of_every_version_has_its_function() {
    let spec = spec::workspace();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut total = 0;
    for pinned in &spec.versions.versions {
        let prepared = spec.prepare(pinned).unwrap_or_else(|e| panic!("{e}"));
        let resources = extract(&pinned.name, &pinned.name, &prepared.ir, &spec.fixups.search).unwrap();
        let source_path = root.join(format!("src/versions/{}/search.rs", pinned.module_name()));
        let source = std::fs::read_to_string(&source_path).unwrap_or_else(|e| panic!("{}: {e}", source_path.display()));
        // Compared without whitespace: the formatter breaks long lines anywhere.
        let source: String = source.split_whitespace().collect();

        // Every search operation whose description has the table is a resource.
        let documented: Vec<(&str, &str)> = prepared.doc["paths"]
            .as_object()
            .unwrap()
            .iter()
            .filter(|(path, _)| path.ends_with("/search"))
            .filter_map(|(path, item)| Some((path.as_str(), item["post"]["description"].as_str()?)))
            .filter(|(_, description)| description.contains("Accepted Fields"))
            .collect();
        assert_eq!(resources.len(), documented.len(), "{}: search resources", pinned.name);
        assert!(!resources.is_empty(), "{}: no search resource at all", pinned.name);

        for (path, description) in documented {
            let resource = path.trim_end_matches("/search").rsplit('/').next().unwrap();
            let r = resources.iter().find(|r| r.resource == resource).unwrap_or_else(|| panic!("{path}"));
            assert!(r.unread.is_empty(), "{} {path}: rows not read: {:?}", pinned.name, r.unread);
            assert_eq!(r.fields.len(), rows_in(description), "{} {path}: rows read vs rows in the table", pinned.name);
            assert!(source.contains(&format!("pubmod{resource}{{")), "{}: no module {resource}", pinned.name);
            for f in &r.fields {
                let label = f.field_type.label();
                assert!(
                    source.contains(&format!("s::FieldInfo::new(\"{}\",s::FieldType::{label}", f.name)),
                    "{} {resource}: `{}` is not in FIELDS as {label}",
                    pinned.name,
                    f.name
                );
                if f.field_type != SearchFieldType::Custom || f.family_prefix().is_some() {
                    let function = f.function_name();
                    let function = function.trim_start_matches("r#");
                    assert!(
                        source.contains(&format!("pubfn{function}("))
                            || source.contains(&format!("pubfnr#{function}(")),
                        "{} {resource}: no function for `{}`",
                        pinned.name,
                        f.name
                    );
                }
            }
            total += r.fields.len();
        }
    }
    // 11 versions × 2–4 searches: a floor that catches an extraction that lost whole tables.
    assert!(total > 900, "only {total} fields over all versions");
}

#[test]
fn every_search_fixup_has_evidence_and_sets_its_row() {
    let spec = spec::workspace();
    assert!(!spec.fixups.search.is_empty());
    for fix in &spec.fixups.search {
        assert!(fix.evidence.contains("https://developers.intercom.com/"), "{}: evidence must cite Intercom", fix.id);
        for version in &fix.versions {
            let pinned = spec.pinned(version).unwrap();
            let prepared = spec.prepare(pinned).unwrap();
            let resources = extract(version, version, &prepared.ir, &spec.fixups.search).unwrap();
            let field = resources
                .iter()
                .filter(|r| r.resource == fix.resource)
                .flat_map(|r| &r.fields)
                .find(|f| f.name == fix.field)
                .unwrap_or_else(|| panic!("{}: {version} has no {}.{}", fix.id, fix.resource, fix.field));
            assert_eq!((field.field_type, field.fixup.as_deref()), (fix.field_type, Some(fix.id.as_str())));
        }
    }
}
