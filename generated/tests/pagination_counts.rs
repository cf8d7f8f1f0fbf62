//! The README's table of paginated operations per version and style is what the generator derives
//! from the pinned descriptions (the same `pagination::Summary` that `cargo xtask codegen` reports).

#[path = "support/spec.rs"]
mod spec;

use intercom_codegen::ir::PaginationStyle as Style;
use intercom_codegen::pagination::Summary;

#[test]
fn the_readme_counts_match_the_generator() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let spec = spec::workspace();
    for pinned in &spec.versions.versions {
        let prepared = spec.prepare(pinned).unwrap_or_else(|e| panic!("{e}"));
        let summary = Summary::of(&prepared.ir.operations);
        let counts: Vec<String> =
            Style::ALL.iter().map(|s| summary.by_style.get(s).map_or(0, Vec::len).to_string()).collect();
        let row = format!("| {} | {} | {} |", pinned.name, counts.join(" | "), summary.total());
        assert!(readme.contains(&row), "README.md lacks the row `{row}` (see `cargo xtask codegen`)");
    }
}
