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
    let yaml = format!("{HEAD}components:\n  schemas:\n    a:\n      type: object\n      properties:\n        b: {{type: file}}\n");
    assert_eq!(prepare(&yaml).err().unwrap().to_string(), "bad.yaml at /components/schemas/a/properties/b/type: unsupported schema type `file`");
    let yaml = format!("{HEAD}components:\n  schemas:\n    a:\n      $ref: 'other.yaml#/x'\n");
    let err = prepare(&yaml).err().unwrap().to_string();
    assert!(err.starts_with("bad.yaml at /components/schemas/a"), "{err}");
    let yaml = "openapi: 3.0.1\npaths:\n  /x:\n    get:\n      parameters:\n        - {name: c, in: cookie}\n      responses: {}\n";
    assert_eq!(prepare(yaml).err().unwrap().to_string(), "bad.yaml at /paths/~1x/get/parameters/0/in: unsupported parameter location Some(\"cookie\")");
}

#[test]
fn hash_mismatch_names_both_hashes() {
    let versions = config::parse_versions(
        "versions.toml",
        "[upstream]\nrepository = 'r'\ncommit = 'c'\nraw_url = 'u'\n[[version]]\nname = '2.11'\npath = 'p.yaml'\nsha256 = '0000000000000000000000000000000000000000000000000000000000000000'\n",
    )
    .unwrap();
    let input = intercom_codegen::VersionInput { upstream: &versions.upstream, pinned: &versions.versions[0], yaml: HEAD.as_bytes() };
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
    let err = intercom_codegen::prepare_unpinned("bad.yaml", "fixture", format!("{HEAD}components: {{schemas: {{}}}}\n").as_bytes(), &fixups).err().unwrap().to_string();
    assert_eq!(err, "bad.yaml at /components/schemas/gone: fix-up `x` does not apply: target does not exist (has upstream changed it?)");
    let bad = config::parse_fixups("fixups.toml", "[[fixup]]\nid = 'x'\nversions = []\nop = 'remove'\npointer = '/a'\nvalue = 1\nwhy = 'w'\n");
    assert!(bad.err().unwrap().to_string().contains("forbidden for remove"));
}

#[test]
fn parallel_generation_keeps_input_order_and_reports_the_first_failing_version() {
    let good = HEAD.as_bytes();
    let pinned = |name: &str, sha: &str| config::PinnedVersion { name: name.into(), path: format!("{name}.yaml"), sha256: sha.into() };
    let ok = intercom_codegen::load::sha256_hex(good);
    let wrong = "0".repeat(64);
    let versions = [pinned("2.1", &ok), pinned("2.2", &ok), pinned("2.3", &ok), pinned("2.4", &ok), pinned("2.5", &ok)];
    let upstream = config::Upstream { repository: "r".into(), commit: "c".into(), raw_url: "u".into() };
    let inputs: Vec<_> = versions.iter().map(|p| intercom_codegen::VersionInput { upstream: &upstream, pinned: p, yaml: good }).collect();
    let outputs = intercom_codegen::generate_versions(&inputs, &FixupsFile::default()).unwrap();
    let modules: Vec<&str> = outputs.iter().map(|(files, _)| files[0].path.as_str()).collect();
    assert_eq!(modules, ["generated/src/v2_1/mod.rs", "generated/src/v2_2/mod.rs", "generated/src/v2_3/mod.rs", "generated/src/v2_4/mod.rs", "generated/src/v2_5/mod.rs"]);

    // 2.3 and 2.5 are bad: whichever worker finishes first, the error is 2.3's.
    let bad = [pinned("2.1", &ok), pinned("2.2", &ok), pinned("2.3", &wrong), pinned("2.4", &ok), pinned("2.5", &wrong)];
    let inputs: Vec<_> = bad.iter().map(|p| intercom_codegen::VersionInput { upstream: &upstream, pinned: p, yaml: good }).collect();
    let err = intercom_codegen::generate_versions(&inputs, &FixupsFile::default()).err().unwrap().to_string();
    assert!(err.starts_with("2.3 (2.3.yaml): sha256 mismatch"), "{err}");
}
