//! Every field documented in a search operation's "Accepted Fields" table, in every pinned
//! version, has its function in the generated `search` module, listed in its `FIELDS` with its
//! type; no row goes unread. The rows are counted here by a scan of the description independent
//! of the generator's parser, so a parser that silently skips rows fails too.

#[path = "support/spec.rs"]
mod spec;

use std::collections::{BTreeMap, BTreeSet};

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

/// The operators an "Accepted Operators" section allows, scanned naively and independently of
/// `intercom_codegen::search_operators`: per field type (`String`, `Date`, …), and per field the
/// prose singles out ("Searching by `tag_id` supports only the `=` and `!=` operators", "You may
/// use the `<=` or `>=` operators to search by `created_at`", "All except Date and tag_id").
#[derive(Debug, Default)]
struct Scanned {
    by_type: BTreeMap<&'static str, BTreeSet<String>>,
    excluded: BTreeMap<String, BTreeSet<String>>,
    only: BTreeMap<String, BTreeSet<String>>,
    added: BTreeMap<String, BTreeSet<String>>,
}

const TYPES: [&str; 5] = ["String", "Integer", "Boolean", "Date", "Datetime"];

fn scan_operators(description: &str) -> Scanned {
    let section = description.split_once("### Accepted Operators").expect("an Accepted Operators section").1;
    let section = section.split("\n#").next().unwrap();
    let rows: Vec<&str> = section.lines().map(str::trim).filter(|l| l.starts_with('|')).skip(2).collect();
    let with_datetime = rows.iter().any(|r| r.contains("Datetime"));
    let types: Vec<&str> = TYPES.iter().copied().filter(|t| *t != "Datetime" || with_datetime).collect();
    let mut out = Scanned::default();
    for row in rows {
        let cells: Vec<&str> = row.split('|').map(str::trim).collect();
        let (op, valid) = (cells[1].to_string(), cells[2]);
        // The type words of the cell, `Datetime` not counted as `Date`.
        let words: Vec<&str> =
            valid.split(|c: char| !c.is_ascii_alphanumeric() && c != '_').filter(|w| !w.is_empty()).collect();
        let named = |t: &str| words.contains(&t);
        let allowed: Vec<&str> = if valid.starts_with("All") {
            types.iter().copied().filter(|t| !named(t)).collect()
        } else {
            types.iter().copied().filter(|t| named(t)).collect()
        };
        for t in allowed {
            out.by_type.entry(t).or_default().insert(op.clone());
        }
        if valid.starts_with("All except") {
            for field in words.iter().filter(|w| w.contains('_')) {
                out.excluded.entry(field.to_string()).or_default().insert(op.clone());
            }
        }
    }
    // The prose: operators and fields are the backticked spans of a sentence.
    for sentence in section.split(['.', '\n']) {
        let spans: Vec<&str> = sentence.split('`').skip(1).step_by(2).collect();
        let (fields, ops): (Vec<&str>, Vec<&str>) = spans.iter().partition(|s| s.contains('_'));
        let ops: BTreeSet<String> = ops.iter().map(|o| o.to_string()).collect();
        if sentence.contains("supports only") {
            out.only.insert(fields[0].to_string(), ops);
        } else if sentence.contains("may use") {
            out.added.insert(fields[0].to_string(), ops);
        } else if sentence.contains("not supported for Date") || sentence.contains("do not support") {
            out.by_type.get_mut("Date").unwrap().retain(|o| !ops.contains(o));
        }
    }
    out
}

/// The `Allows` implementations in one module's source (without whitespace): (rules type, kind,
/// operator as the runtime's `Operator` spells it on the wire).
fn allows_impls(module: &str) -> BTreeSet<(String, String, String)> {
    let wire = |variant: &str| {
        Operator_wire::ALL.iter().find(|(v, _)| *v == variant).map(|(_, w)| w.to_string()).expect(variant)
    };
    module
        .split("impls::Allows<s::kind::")
        .skip(1)
        .map(|rest| {
            let (kind, rest) = rest.split_once(",s::op::").unwrap();
            let (op, rest) = rest.split_once(">for").unwrap();
            let (target, _) = rest.split_once('{').unwrap();
            (target.to_string(), kind.to_string(), wire(op))
        })
        .collect()
}

/// The runtime's operator names and their wire spelling, as documented.
#[allow(non_snake_case)]
mod Operator_wire {
    pub const ALL: [(&str, &str); 12] = [
        ("Eq", "="),
        ("Ne", "!="),
        ("In", "IN"),
        ("Nin", "NIN"),
        ("Lt", "<"),
        ("Gt", ">"),
        ("Le", "<="),
        ("Ge", ">="),
        ("Contains", "~"),
        ("NotContains", "!~"),
        ("StartsWith", "^"),
        ("EndsWith", "$"),
    ];
}

#[test]
fn every_operator_of_every_version_has_its_rule_and_no_other_exists() {
    let spec = spec::workspace();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut checked = 0;
    for pinned in &spec.versions.versions {
        let prepared = spec.prepare(pinned).unwrap_or_else(|e| panic!("{e}"));
        let resources = extract(&pinned.name, &pinned.name, &prepared.ir, &spec.fixups.search).unwrap();
        let source_path = root.join(format!("src/versions/{}/search.rs", pinned.module_name()));
        let source: String = std::fs::read_to_string(&source_path).unwrap().split_whitespace().collect();
        for r in &resources {
            let description = prepared.ir.operations[r.operation].description.as_deref().unwrap();
            let scanned = scan_operators(description);
            let start = source.find(&format!("pubmod{}{{", r.resource)).unwrap();
            let module = &source[start + 4..];
            let module = &source[start..start + 4 + module.find("pubmod").unwrap_or(module.len())];
            let found = allows_impls(module);
            let context = format!("{} {}", pinned.name, r.resource);

            // The search's own rules: exactly the table's, per type.
            let mut expected = BTreeSet::new();
            for (ty, ops) in &scanned.by_type {
                for op in ops {
                    expected.insert(("Resource".to_string(), ty.to_string(), op.clone()));
                }
            }
            let of_resource: BTreeSet<_> = found.iter().filter(|(t, ..)| t == "Resource").cloned().collect();
            assert_eq!(of_resource, expected, "{context}: the search's operators");
            checked += expected.len();

            // Each field the prose singles out has rules of its own, exactly as written.
            let singled: BTreeSet<&String> =
                scanned.excluded.keys().chain(scanned.only.keys()).chain(scanned.added.keys()).collect();
            for name in singled {
                let field = r.fields.iter().find(|f| &f.name == name).unwrap_or_else(|| panic!("{context}: {name}"));
                let table_type = field.table_type.label();
                let ops: BTreeSet<String> = match (scanned.only.get(name), scanned.added.get(name)) {
                    (Some(only), _) => only.clone(),
                    (None, added) => {
                        let mut ops = scanned.by_type[table_type].clone();
                        ops.retain(|o| !scanned.excluded.get(name).is_some_and(|e| e.contains(o)));
                        ops.extend(added.into_iter().flatten().cloned());
                        ops
                    }
                };
                let function = field.function_name();
                let signature = module
                    .split_once(&format!("pubfn{}()->s::", function.trim_start_matches("r#")))
                    .unwrap_or_else(|| panic!("{context}: no function for {name}"))
                    .1;
                let (handle, rest) = signature.split_once("<Resource,").expect("a field with rules of its own");
                let marker = rest.split_once('>').unwrap().0;
                let kind = handle.trim_end_matches("Field");
                let mine: BTreeSet<String> =
                    found.iter().filter(|(t, k, _)| t == marker && k == kind).map(|(.., o)| o.clone()).collect();
                assert_eq!(mine, ops, "{context}: `{name}` ({marker})");
                checked += ops.len();
            }
            // And no other rules type exists.
            let markers: BTreeSet<&String> = found.iter().map(|(t, ..)| t).filter(|t| *t != "Resource").collect();
            let own = r.fields.iter().filter(|f| f.own_operators).count();
            assert_eq!(markers.len(), own, "{context}: rules types {markers:?}");
        }
    }
    // 11 versions × 2–4 searches × ~25 (type, operator) pairs.
    assert!(checked > 700, "only {checked} operator rules checked");
}

#[test]
fn every_operator_a_handle_may_be_given_has_a_method() {
    // The generator gives a rules type an operator only where `handle_has` says its handle has
    // the method; `tests/search.rs` (`every_handle_method_sends_its_operator`) calls each of them.
    use intercom_codegen::search::handle_has;
    use intercom_codegen::search_operators::SearchOperator;
    let menu =
        |ty| SearchOperator::ALL.into_iter().filter(|o| handle_has(ty, *o)).map(|o| o.wire()).collect::<Vec<_>>();
    assert_eq!(menu(SearchFieldType::String), ["=", "!=", "IN", "NIN", "~", "!~", "^", "$"]);
    assert_eq!(menu(SearchFieldType::Integer), ["=", "!=", "IN", "NIN", "<", ">", "<=", ">="]);
    assert_eq!(menu(SearchFieldType::Boolean), ["=", "!=", "IN", "NIN"]);
    assert_eq!(menu(SearchFieldType::Date), ["=", "!=", "IN", "NIN", "<", ">", "<=", ">="]);
    assert_eq!(menu(SearchFieldType::Datetime), ["=", "!=", "IN", "NIN", "<", ">", "<=", ">="]);
    assert_eq!(menu(SearchFieldType::Tag), ["=", "!="]);
    assert!(menu(SearchFieldType::Custom).is_empty());
}
