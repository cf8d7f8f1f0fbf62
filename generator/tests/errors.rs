//! Bad input is refused with an error that names the file and the JSON pointer, never a panic.

use intercom_codegen::{config, Error, FixupsFile};

fn prepare(yaml: &str) -> Result<intercom_codegen::Prepared, Error> {
    intercom_codegen::prepare_unpinned("bad.yaml", "fixture", yaml.as_bytes(), &FixupsFile::default())
}

const HEAD: &str = "openapi: 3.0.1\ninfo: {title: t, version: '1'}\npaths: {}\n";

#[test]
fn malformed_yaml_names_the_file_and_line() {
    let err = prepare("openapi: 3.0.1\npaths: [unclosed\n").err().unwrap().to_string();
    assert!(err.starts_with("bad.yaml: malformed YAML"), "{err}");
    assert!(err.contains("line"), "{err}");
}

#[test]
fn not_openapi_3_0_is_refused() {
    let err = prepare("openapi: 3.1.0\n").err().unwrap().to_string();
    assert_eq!(err, "bad.yaml at /openapi: unsupported OpenAPI version `3.1.0` (only 3.0.x is supported)");
}

#[test]
fn dangling_ref_names_its_pointer() {
    let yaml = format!("{HEAD}components:\n  schemas:\n    a:\n      type: object\n      properties:\n        b: {{$ref: '#/components/schemas/missing'}}\n");
    let err = prepare(&yaml).err().unwrap().to_string();
    assert_eq!(
        err,
        "bad.yaml at /components/schemas/a/properties/b/$ref: `$ref` `#/components/schemas/missing` points at no schema, and no fix-up in spec/fixups.toml defines it"
    );
}

#[test]
fn unsupported_constructs_name_their_pointer() {
    let yaml = format!(
        "{HEAD}components:\n  schemas:\n    a:\n      type: object\n      properties:\n        b: {{type: file}}\n"
    );
    assert_eq!(
        prepare(&yaml).err().unwrap().to_string(),
        "bad.yaml at /components/schemas/a/properties/b/type: unsupported schema type `file`"
    );
    let yaml = format!("{HEAD}components:\n  schemas:\n    a:\n      $ref: 'other.yaml#/x'\n");
    let err = prepare(&yaml).err().unwrap().to_string();
    assert!(err.starts_with("bad.yaml at /components/schemas/a"), "{err}");
    let yaml = "openapi: 3.0.1\npaths:\n  /x:\n    get:\n      parameters:\n        - {name: c, in: cookie}\n      responses: {}\n";
    assert_eq!(
        prepare(yaml).err().unwrap().to_string(),
        "bad.yaml at /paths/~1x/get/parameters/0/in: unsupported parameter location Some(\"cookie\")"
    );
}

#[test]
fn hash_mismatch_names_both_hashes() {
    let versions = config::parse_versions(
        "versions.toml",
        "[upstream]\nrepository = 'r'\ncommit = 'c'\nraw_url = 'u'\n[[version]]\nname = '2.11'\npath = 'p.yaml'\nsha256 = '0000000000000000000000000000000000000000000000000000000000000000'\n",
    )
    .unwrap();
    let input = intercom_codegen::VersionInput {
        upstream: &versions.upstream,
        pinned: &versions.versions[0],
        yaml: HEAD.as_bytes(),
        resources: None,
    };
    let err = intercom_codegen::prepare(&input, &FixupsFile::default()).err().unwrap().to_string();
    assert!(err.starts_with("2.11 (p.yaml): sha256 mismatch: expected 0000"), "{err}");
    assert!(err.contains(&intercom_codegen::load::sha256_hex(HEAD.as_bytes())), "{err}");
}

#[test]
fn stale_fixups_are_refused() {
    let fixups = config::parse_fixups(
        "fixups.toml",
        "[[fixup]]\nid = 'x'\nversions = ['fixture']\nop = 'replace'\npointer = '/components/schemas/gone'\nvalue = 1\nwhy = 'w'\n",
    )
    .unwrap();
    let err = intercom_codegen::prepare_unpinned(
        "bad.yaml",
        "fixture",
        format!("{HEAD}components: {{schemas: {{}}}}\n").as_bytes(),
        &fixups,
    )
    .err()
    .unwrap()
    .to_string();
    assert_eq!(err, "bad.yaml at /components/schemas/gone: fix-up `x` does not apply: target does not exist (has upstream changed it?)");
    let bad = config::parse_fixups(
        "fixups.toml",
        "[[fixup]]\nid = 'x'\nversions = []\nop = 'remove'\npointer = '/a'\nvalue = 1\nwhy = 'w'\n",
    );
    assert!(bad.err().unwrap().to_string().contains("forbidden for remove"));
}

#[test]
fn parallel_generation_keeps_input_order_and_reports_the_first_failing_version() {
    let good = HEAD.as_bytes();
    let pinned = |name: &str, sha: &str| config::PinnedVersion {
        name: name.into(),
        path: format!("{name}.yaml"),
        sha256: sha.into(),
    };
    let ok = intercom_codegen::load::sha256_hex(good);
    let wrong = "0".repeat(64);
    let versions = [pinned("2.1", &ok), pinned("2.2", &ok), pinned("2.3", &ok), pinned("2.4", &ok), pinned("2.5", &ok)];
    let upstream = config::Upstream { repository: "r".into(), commit: "c".into(), raw_url: "u".into() };
    let inputs: Vec<_> = versions
        .iter()
        .map(|p| intercom_codegen::VersionInput { upstream: &upstream, pinned: p, yaml: good, resources: None })
        .collect();
    let outputs = intercom_codegen::generate_versions(&inputs, &FixupsFile::default()).unwrap();
    let modules: Vec<&str> = outputs.iter().map(|(files, _)| files[0].path.as_str()).collect();
    assert_eq!(
        modules,
        [
            "generated/src/versions/v2_1/mod.rs",
            "generated/src/versions/v2_2/mod.rs",
            "generated/src/versions/v2_3/mod.rs",
            "generated/src/versions/v2_4/mod.rs",
            "generated/src/versions/v2_5/mod.rs"
        ]
    );

    // 2.3 and 2.5 are bad: whichever worker finishes first, the error is 2.3's.
    let bad =
        [pinned("2.1", &ok), pinned("2.2", &ok), pinned("2.3", &wrong), pinned("2.4", &ok), pinned("2.5", &wrong)];
    let inputs: Vec<_> = bad
        .iter()
        .map(|p| intercom_codegen::VersionInput { upstream: &upstream, pinned: p, yaml: good, resources: None })
        .collect();
    let err = intercom_codegen::generate_versions(&inputs, &FixupsFile::default()).err().unwrap().to_string();
    assert!(err.starts_with("2.3 (2.3.yaml): sha256 mismatch"), "{err}");
}

// Hostile but parseable specs: each is refused with the place named, or generated, never a panic
// or a hang (issue 13).

#[test]
fn an_alias_cycle_is_an_error_naming_its_schemas() {
    let yaml = format!(
        "{HEAD}components:\n  schemas:\n    a: {{$ref: '#/components/schemas/b'}}\n    b: {{$ref: '#/components/schemas/a'}}\n"
    );
    let err = prepare(&yaml).err().unwrap().to_string();
    assert!(err.contains("only alias each other form a cycle"), "{err}");
    assert!(err.contains("/components/schemas/a") && err.contains("/components/schemas/b"), "{err}");
    // The same cycle used as a response (which used to hang the generator) is refused the same way.
    let yaml = "openapi: 3.0.1\ninfo: {title: t, version: '1'}\npaths:\n  /x:\n    get:\n      operationId: x\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/a'}\ncomponents:\n  schemas:\n    a: {$ref: '#/components/schemas/b'}\n    b: {$ref: '#/components/schemas/a'}\n";
    assert!(prepare(yaml).err().unwrap().to_string().contains("form a cycle"));
    // An alias of itself through an array cannot be a Rust type alias either.
    let yaml =
        format!("{HEAD}components:\n  schemas:\n    c: {{type: array, items: {{$ref: '#/components/schemas/c'}}}}\n");
    assert!(prepare(&yaml)
        .err()
        .unwrap()
        .to_string()
        .contains("bad.yaml at /components/schemas/c: schemas that only alias each other form a cycle"));
}

#[test]
fn an_all_of_cycle_is_an_error_not_a_stack_overflow() {
    let yaml = format!("{HEAD}components:\n  schemas:\n    a: {{allOf: [{{$ref: '#/components/schemas/b'}}]}}\n    b: {{allOf: [{{$ref: '#/components/schemas/a'}}]}}\n");
    let err = prepare(&yaml).err().unwrap().to_string();
    assert!(err.contains("`allOf` nested deeper than 16 (a cycle?)"), "{err}");
}

#[test]
fn operation_ids_equal_after_case_conversion_are_refused_naming_both() {
    let op = |id: &str| format!("    get:\n      operationId: {id}\n      responses: {{'204': {{description: ok}}}}\n");
    let yaml = format!(
        "openapi: 3.0.1\ninfo: {{title: t, version: '1'}}\npaths:\n  /a:\n{}  /b:\n{}",
        op("getThing"),
        op("get_thing")
    );
    let err = prepare(&yaml).err().unwrap().to_string();
    assert_eq!(
        err,
        "bad.yaml at /paths/~1b/get: operations `getThing` (/paths/~1a/get) and `get_thing` (/paths/~1b/get) both map to the Rust name `GetThing`; rename one with a fix-up"
    );
}

#[test]
fn schemas_equal_after_case_conversion_are_refused_naming_both() {
    let yaml =
        format!("{HEAD}components:\n  schemas:\n    note_list: {{type: object}}\n    NoteList: {{type: object}}\n");
    let err = prepare(&yaml).err().unwrap().to_string();
    assert!(
        err.contains("/components/schemas/NoteList")
            && err.contains("/components/schemas/note_list")
            && err.contains("`NoteList`"),
        "{err}"
    );
}

#[test]
fn an_unbalanced_path_template_is_refused() {
    let yaml = "openapi: 3.0.1\ninfo: {title: t, version: '1'}\npaths:\n  /a/{id:\n    get:\n      responses: {'204': {description: ok}}\n";
    let err = prepare(yaml).err().unwrap().to_string();
    assert_eq!(err, "bad.yaml at /paths/~1a~1{id: path template `/a/{id` has an unbalanced or empty `{…}`");
}

#[test]
fn an_undeclared_path_segment_becomes_a_required_parameter_and_is_reported() {
    let yaml = "openapi: 3.0.1\ninfo: {title: t, version: '1'}\npaths:\n  /jobs/{job_identifier}:\n    get:\n      operationId: getJob\n      responses: {'204': {description: ok}}\n";
    let prepared = prepare(yaml).unwrap();
    let param = &prepared.ir.operations[0].params[0];
    assert_eq!(
        (param.wire.as_str(), param.required, &param.ty),
        ("job_identifier", true, &intercom_codegen::ir::Ty::String)
    );
    assert_eq!(
        prepared.ir.notes["path template segment declared by no parameter: a required string parameter"],
        vec!["/paths/~1jobs~1{job_identifier}/get (job_identifier)"]
    );
}

#[test]
fn a_yaml_alias_bomb_is_refused_by_the_node_budget() {
    // Nine levels of nine aliases: 9^9 (387 million) nodes once expanded. The padding raises
    // serde_yaml's own repetition limit (100 jumps per event) out of reach, as a real description
    // around the bomb would: the node budget must stop it.
    let mut yaml =
        format!("openapi: 3.0.1\npad: [{}]\na0: &a0 [x, x, x, x, x, x, x, x, x]\n", vec!["0"; 200_000].join(", "));
    for level in 1..9 {
        let prev = format!("*a{}", level - 1);
        yaml.push_str(&format!("a{level}: &a{level} [{}]\n", [prev.as_str(); 9].join(", ")));
    }
    yaml.push_str("bomb: *a8\n");
    let err = prepare(&yaml).err().unwrap().to_string();
    assert!(
        err.starts_with("bad.yaml: malformed YAML: ")
            && err.contains("more than 1000000 nodes once aliases are expanded (an alias bomb?)"),
        "{err}"
    );
    // A small budget shows the count is exact: 3 nodes (map, key's value, ...) fit, fewer do not.
    assert!(intercom_codegen::load::parse_yaml_bounded("x.yaml", b"openapi: 3.0.1\n", 2).is_ok());
    assert!(intercom_codegen::load::parse_yaml_bounded("x.yaml", b"openapi: 3.0.1\n", 1).is_err());
}

#[test]
fn oversized_input_is_refused_before_parsing() {
    let big = vec![b' '; intercom_codegen::load::MAX_INPUT_BYTES + 1];
    let err = prepare(std::str::from_utf8(&big).unwrap()).err().unwrap().to_string();
    assert!(err.contains("bytes is more than the"), "{err}");
}

#[test]
fn enum_value_names_are_numbered_in_linear_time() {
    // Before, de-duplication was quadratic (111 s for 100,000 values); the values all fold to the
    // same Rust name `A` plus a number, the worst case for numbering. Such an enum is now refused
    // (below), but the numbering is shared by every name the generator dedupes.
    const MARKS: [char; 10] = ['!', '#', '$', '%', '&', '*', '+', ',', '-', '.'];
    let names: Vec<String> = (0..100_000u32)
        .map(|i| format!("a{}", (0..5).map(|d| MARKS[(i / 10u32.pow(d) % 10) as usize]).collect::<String>()))
        .map(|wire| intercom_codegen::naming::variant_name(&wire))
        .collect();
    let deduped = intercom_codegen::naming::dedupe(names);
    let unique: std::collections::BTreeSet<&str> = deduped.iter().map(String::as_str).collect();
    assert_eq!(unique.len(), 100_000, "every variant name is unique");
    assert_eq!(deduped[0], "A");
    assert_eq!(deduped[99_999], "A100000");
}

/// A component schema `e` that is a string enum of `count` values.
fn enum_of(count: usize) -> String {
    let values: Vec<String> = (0..count).map(|i| format!("v{i}")).collect();
    format!("{HEAD}components:\n  schemas:\n    e: {{type: string, enum: [{}]}}\n", values.join(", "))
}

#[test]
fn an_enum_above_the_limit_is_refused_with_its_pointer() {
    use intercom_codegen::lower::MAX_ENUM_VALUES;
    let prepared = prepare(&enum_of(MAX_ENUM_VALUES)).unwrap();
    let intercom_codegen::ir::TypeKind::Enum(values) = &prepared.ir.types["E"].kind else { panic!("not an enum") };
    assert_eq!(values.len(), MAX_ENUM_VALUES);
    // 100,000 values once generated and then exhausted rustc (24.3 GB); now nothing is generated.
    for count in [MAX_ENUM_VALUES + 1, 100_000] {
        assert_eq!(
            prepare(&enum_of(count)).err().unwrap().to_string(),
            format!(
                "bad.yaml at /components/schemas/e/enum: an enum of {count} values is more than the 1000 this generator accepts (rustc's memory grows faster than the number of values)"
            )
        );
    }
    // An inline enum is refused at its own pointer.
    let values: Vec<String> = (0..=MAX_ENUM_VALUES).map(|i| format!("v{i}")).collect();
    let yaml = format!(
        "{HEAD}components:\n  schemas:\n    a:\n      type: object\n      properties:\n        state: {{type: string, enum: [{}]}}\n",
        values.join(", ")
    );
    let err = prepare(&yaml).err().unwrap().to_string();
    assert!(
        err.starts_with("bad.yaml at /components/schemas/a/properties/state/enum: an enum of 1001 values"),
        "{err}"
    );
}

#[test]
fn a_type_that_is_not_a_type_name_is_refused_with_its_pointer() {
    let property = |schema: &str| {
        format!("{HEAD}components:\n  schemas:\n    a:\n      type: object\n      properties:\n        b: {schema}\n")
    };
    assert_eq!(
        prepare(&property("{type: 5}")).err().unwrap().to_string(),
        "bad.yaml at /components/schemas/a/properties/b/type: `type` must be a type name, not `5`"
    );
    let type_array = "bad.yaml at /components/schemas/a/properties/b/type: `type` is a list; OpenAPI 3.0 has no type arrays (write one type and `nullable: true`)";
    assert_eq!(prepare(&property("{type: [string, 'null']}")).err().unwrap().to_string(), type_array);
    // In an enum, an array's items, a component schema itself, and in a pinned version's file.
    assert!(prepare(&property("{type: [string], enum: [a, b]}"))
        .err()
        .unwrap()
        .to_string()
        .ends_with("/b/type: `type` is a list; OpenAPI 3.0 has no type arrays (write one type and `nullable: true`)"));
    let err = prepare(&property("{type: array, items: {type: true}}")).err().unwrap().to_string();
    assert_eq!(
        err,
        "bad.yaml at /components/schemas/a/properties/b/items/type: `type` must be a type name, not `true`"
    );
    let err = prepare(&format!(
        "{HEAD}components:\n  schemas:\n    a: {{type: [object, 'null'], properties: {{x: {{type: string}}}}}}\n"
    ))
    .err()
    .unwrap()
    .to_string();
    assert!(err.starts_with("bad.yaml at /components/schemas/a/type: `type` is a list"), "{err}");
    let err = intercom_codegen::prepare_unpinned(
        "2.11 (descriptions/2.11/api.intercom.io.yaml)",
        "2.11",
        property("{type: 5}").as_bytes(),
        &FixupsFile::default(),
    )
    .err()
    .unwrap()
    .to_string();
    assert!(
        err.starts_with("2.11 (descriptions/2.11/api.intercom.io.yaml) at /components/schemas/a/properties/b/type"),
        "{err}"
    );
}

#[test]
fn an_unusable_operation_id_is_named_from_method_and_path() {
    let op = |id: &str| {
        format!(
            "openapi: 3.0.1\npaths:\n  /contacts/{{id}}/notes:\n    get:\n      operationId: {id}\n      parameters:\n        - {{name: id, in: path, required: true, schema: {{type: string}}}}\n      responses: {{'200': {{description: ok}}}}\n"
        )
    };
    let named = |id: &str| {
        let prepared = prepare(&op(id)).unwrap();
        let op = &prepared.ir.operations[0];
        (op.id.clone(), op.type_name.clone(), op.fn_name.clone())
    };
    let from_path =
        ("get /contacts/id/notes".to_string(), "GetContactsIdNotes".to_string(), "get_contacts_id_notes".to_string());
    for unusable in ["日本語", "créerNote", "'42'", "'…'", "'list notes ✓'"] {
        assert_eq!(named(unusable), from_path, "{unusable}");
    }
    assert_eq!(named("listNotes"), ("listNotes".to_string(), "ListNotes".to_string(), "list_notes".to_string()));
}

#[test]
fn unsupported_form_bodies_name_their_pointer() {
    let form = |schema: &str| {
        format!(
            "openapi: 3.0.1\npaths:\n  /x:\n    post:\n      requestBody:\n        content:\n          multipart/form-data:\n            schema: {schema}\n      responses: {{}}\n"
        )
    };
    // A nested object cannot be a text part.
    let err = prepare(&form("{type: object, properties: {meta: {type: object, properties: {a: {type: string}}}}}"))
        .err()
        .unwrap()
        .to_string();
    assert_eq!(
        err,
        "bad.yaml at /paths/~1x/post/requestBody/content/multipart~1form-data/schema/properties/meta: `multipart/form-data` member `meta`: only binary and scalar members are supported"
    );
    // A form is an object with properties.
    let err = prepare(&form("{type: string}")).err().unwrap().to_string();
    assert_eq!(
        err,
        "bad.yaml at /paths/~1x/post/requestBody/content/multipart~1form-data: a `multipart/form-data` body must be an object with properties"
    );
}
