//! Property test: small OpenAPI descriptions built from the constructs Intercom uses (and hostile
//! names, templates and references) go through the whole generator. Each one is refused with an
//! error or generates code that parses as Rust; nothing panics, overflows or hangs. The fixture
//! specs (tests/fixtures/*.yaml) pin the constructs whose output must also compile.

use proptest::prelude::*;
use serde_json::{json, Map, Value};

const NAMES: &[&str] = &[
    "a",
    "b",
    "self",
    "Self",
    "super",
    "crate",
    "type",
    "note_list",
    "NoteList",
    "x-y",
    "1st",
    "Unknown",
    "ünï",
    "",
    "extra",
    "error",
    "r#x",
    "pt-BR",
];
const TEMPLATES: &[&str] =
    &["/a", "/a/{id}", "/a/{id}/b/{other}", "/{x}", "/a/{", "/a/{}", "/a/}", "/a/{self}", "/a/{type}"];
const OPERATION_IDS: &[&str] = &["get", "getThing", "get_thing", "self", "Self", "type", "x-y", ""];

fn name() -> impl Strategy<Value = String> {
    prop::sample::select(NAMES).prop_map(str::to_string)
}

/// Every description defines these (so most references resolve, and cycles through them are
/// common); one in eight references dangles.
const DEFINED: &[&str] = &["a", "b", "c"];

fn reference() -> impl Strategy<Value = Value> {
    prop_oneof![7 => prop::sample::select(DEFINED).prop_map(str::to_string), 1 => name()]
        .prop_map(|n| json!({"$ref": format!("#/components/schemas/{n}")}))
}

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        prop::sample::select(&["string", "integer", "number", "boolean", "object", "array", "file"][..])
            .prop_map(|t| json!({"type": t})),
        (
            prop::collection::vec(
                prop::sample::select(&["a", "A", "self", "Unknown", "unknown", "2.1", "2.10", "!=", "", "\r"][..]),
                0..5
            ),
            any::<bool>()
        )
            .prop_map(|(values, nullable)| json!({"type": "string", "enum": values, "nullable": nullable})),
        Just(json!({"type": "integer", "format": "date-time"})),
        Just(json!({})),
        reference(),
        reference().prop_map(|mut r| {
            r["nullable"] = json!(true);
            r["description"] = json!("a\rb\r\nc");
            r
        }),
    ]
}

fn schema() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            (prop::collection::btree_map(name(), inner.clone(), 0..4), prop::collection::vec(name(), 0..3))
                .prop_map(|(props, required)| { json!({"type": "object", "properties": props, "required": required}) }),
            inner.clone().prop_map(|items| json!({"type": "array", "items": items})),
            prop::collection::vec(inner.clone(), 1..4).prop_map(|m| json!({"oneOf": m})),
            prop::collection::vec(inner.clone(), 1..3).prop_map(|m| json!({"anyOf": m})),
            (prop::collection::vec(inner.clone(), 1..3), prop::collection::btree_map(name(), inner.clone(), 0..2))
                .prop_map(|(m, props)| json!({"allOf": m, "properties": props})),
            inner.prop_map(|v| json!({"type": "object", "additionalProperties": v})),
        ]
    })
}

fn operation() -> impl Strategy<Value = (String, String, Value)> {
    (
        prop_oneof![6 => prop::sample::select(&TEMPLATES[..4]), 1 => prop::sample::select(TEMPLATES)],
        prop::sample::select(&["get", "post", "delete"][..]),
        prop::option::of(prop::sample::select(OPERATION_IDS)),
        prop::collection::vec((name(), prop::sample::select(&["path", "query", "header"][..]), leaf()), 0..3),
        prop::option::of(schema()),
        prop::option::of(schema()),
    )
        .prop_map(|(path, method, id, params, body, response)| {
            let mut op = Map::new();
            if let Some(id) = id {
                op.insert("operationId".into(), json!(id));
            }
            let params: Vec<Value> = params
                .into_iter()
                .map(|(n, at, s)| json!({"name": n, "in": at, "required": at == "path", "schema": s}))
                .collect();
            op.insert("parameters".into(), json!(params));
            if let Some(b) = body {
                op.insert("requestBody".into(), json!({"content": {"application/json": {"schema": b}}}));
            }
            let ok = match response {
                Some(r) => json!({"description": "ok", "content": {"application/json": {"schema": r}}}),
                None => json!({"description": "ok"}),
            };
            op.insert("responses".into(), json!({"200": ok}));
            (path.to_string(), method.to_string(), Value::Object(op))
        })
}

fn description() -> impl Strategy<Value = Value> {
    (prop::collection::vec(schema(), DEFINED.len()), prop::collection::btree_map(name(), schema(), 0..3), prop::collection::vec(operation(), 0..4)).prop_map(|(defined, mut schemas, ops)| {
        for (n, s) in DEFINED.iter().zip(defined) {
            schemas.insert(n.to_string(), s);
        }
        let mut paths = Map::new();
        for (path, method, op) in ops {
            let item = paths.entry(path).or_insert_with(|| json!({}));
            item[method] = op;
        }
        json!({"openapi": "3.0.1", "info": {"title": "t", "version": "1"}, "paths": paths, "components": {"schemas": schemas}})
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn any_description_is_refused_or_generates_parsable_code(doc in description()) {
        // JSON is YAML: the text goes through the same loader as a real description.
        let text = serde_json::to_string(&doc).unwrap();
        let fixups = intercom_codegen::FixupsFile::default();
        match intercom_codegen::prepare_unpinned("prop.yaml", "fixture", text.as_bytes(), &fixups) {
            Ok(prepared) => {
                if let Err(e) = intercom_codegen::render_fixture("prop.rs", "prop.yaml", &prepared) {
                    panic!("accepted but rendered unparsable code: {e}\n{text}");
                }
            }
            Err(e) => {
                // Refusals name the input, and a place in it when the problem is inside.
                let message = e.to_string();
                prop_assert!(message.starts_with("prop.yaml"), "{}", message);
            }
        }
    }
}
