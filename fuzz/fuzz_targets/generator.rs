//! The generator on arbitrary input, two ways:
//! - the bytes as a whole description (YAML parsing, fix-ups, lowering, emission);
//! - the bytes as the YAML of one schema, `components/schemas/x`, in a valid skeleton whose one
//!   operation returns it and takes it as its body: most random documents fail early for want of
//!   `openapi`/`paths`, so this reaches lowering and emission of the schema itself quickly.
//!
//! Properties: nothing panics (errors are fine), and a description the generator accepts renders
//! to code `syn` parses (`render_fixture` only fails when it would write unparsable Rust, which is
//! a generator bug, as generator/tests/proptest_spec.rs treats it).
#![no_main]

use intercom_codegen::FixupsFile;
use libfuzzer_sys::fuzz_target;
use serde_json::{json, Value};

fuzz_target!(|data: &[u8]| {
    generate("fuzz.yaml", data);
    // A document that already looks like a description gains nothing from being nested.
    if let Ok(schema) = serde_yaml::from_slice::<Value>(data) {
        if schema.get("openapi").is_none() {
            let doc = skeleton(schema);
            generate("fuzz-schema.yaml", serde_json::to_string(&doc).expect("a JSON tree serializes").as_bytes());
        }
    }
});

fn generate(label: &str, yaml: &[u8]) {
    let Ok(prepared) = intercom_codegen::prepare_unpinned(label, "fixture", yaml, &FixupsFile::default()) else {
        return;
    };
    if let Err(e) = intercom_codegen::render_fixture("fuzz.rs", label, &prepared) {
        panic!("accepted but rendered unparsable code: {e}\n{}", String::from_utf8_lossy(yaml));
    }
}

/// A minimal valid description with `schema` as `components/schemas/x`, used by a response and a
/// request body so that operations are emitted for it too.
fn skeleton(schema: Value) -> Value {
    let x = json!({"$ref": "#/components/schemas/x"});
    json!({
        "openapi": "3.0.1",
        "info": {"title": "fuzz", "version": "1"},
        "paths": {
            "/x/{id}": {
                "put": {
                    "operationId": "putX",
                    "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
                    "requestBody": {"content": {"application/json": {"schema": x}}},
                    "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": x}}}}
                }
            }
        },
        "components": {"schemas": {"x": schema}}
    })
}
