//! The error-code table (`runtime::error_code::KNOWN`) against the data it comes from: every code in
//! the `error.list` examples of every pinned description must be in the table, and every code in the
//! table must come from an example or from Intercom's documented general codes. A re-pin that brings
//! a new code fails here until the code is added.

#[path = "support/spec.rs"]
mod spec;

use std::collections::BTreeSet;

use intercom_api::runtime::error_code::{DOCUMENTED_GENERAL, KNOWN};
use serde_json::Value;

/// Example values that are not codes Intercom sends.
const PLACEHOLDERS: &[&str] = &["this_is_an_id", "test", "string", "error"];

fn collect(value: &Value, out: &mut BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            if map.get("type").and_then(Value::as_str) == Some("error.list") {
                for item in map.get("errors").and_then(Value::as_array).into_iter().flatten() {
                    if let Some(code) = item.get("code").and_then(Value::as_str) {
                        out.insert(code.to_string());
                    }
                }
            }
            map.values().for_each(|v| collect(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| collect(v, out)),
        _ => {}
    }
}

#[test]
fn the_code_table_matches_the_descriptions_examples() {
    let spec = spec::workspace();
    let mut examples = BTreeSet::new();
    for pinned in &spec.versions.versions {
        let yaml = spec.description(pinned).unwrap_or_else(|e| panic!("{e}"));
        let doc = intercom_codegen::load::parse_yaml(&pinned.path, &yaml).unwrap_or_else(|e| panic!("{e}"));
        let before = examples.len();
        collect(&doc["paths"], &mut examples);
        assert!(examples.len() >= before);
    }
    examples.retain(|c| !PLACEHOLDERS.contains(&c.as_str()));
    assert!(examples.len() > 40, "only {} codes found: {examples:?}", examples.len());
    let table: BTreeSet<String> = KNOWN.iter().map(|(_, wire)| wire.to_string()).collect();
    let missing: Vec<&String> = examples.difference(&table).collect();
    assert!(missing.is_empty(), "codes in the descriptions' examples missing from runtime/error_code.rs: {missing:?}");
    let unexplained: Vec<&String> =
        table.iter().filter(|c| !examples.contains(*c) && !DOCUMENTED_GENERAL.contains(&c.as_str())).collect();
    assert!(
        unexplained.is_empty(),
        "codes in the table from neither an example nor the documented list: {unexplained:?}"
    );
}
