//! The README's quickstart is the example the tests compile and `cargo xtask test` runs against
//! Prism: the Rust block under "## Quickstart" must equal `examples/quickstart.rs` exactly.

#[test]
fn readme_quickstart_is_the_compiled_example() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("../README.md")).unwrap();
    let example = std::fs::read_to_string(root.join("examples/quickstart.rs")).unwrap();
    let section = &readme[readme.find("## Quickstart").expect("README has a Quickstart section")..];
    let start = section.find("```rust\n").expect("a rust block in the Quickstart section") + "```rust\n".len();
    let end = section[start..].find("```\n").expect("the block ends") + start;
    assert_eq!(&section[start..end], example, "README quickstart differs from generated/examples/quickstart.rs");
}
