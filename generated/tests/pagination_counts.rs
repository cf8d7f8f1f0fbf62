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

/// A cursor list that also numbers its pages (`pages.page`, `pages.total_pages`) lets a stream tell
/// a missing next cursor (drift: an error) from the last page; the generator records both members
/// for every cursor-paginated operation whose response has them, and for no other style.
#[test]
fn cursor_lists_that_number_their_pages_say_when_more_remain() {
    use intercom_codegen::ir::Paging;
    let spec = spec::workspace();
    for pinned in &spec.versions.versions {
        let prepared = spec.prepare(pinned).unwrap_or_else(|e| panic!("{e}"));
        let mut numbered = Vec::new();
        for op in &prepared.ir.operations {
            let Paging::Paginated(p) = &op.paging else { continue };
            let cursor = matches!(p.style, Style::QueryCursor | Style::BodyCursor);
            if p.page_of_total.is_some() {
                assert!(cursor, "{} {}: only cursor lists need page numbers to detect drift", pinned.name, op.id);
                numbered.push(op.id.as_str());
            }
        }
        // Contact and conversation searches and the conversation list number their pages in every
        // version (2.11's `GET /contacts` too, which the stream tests use).
        for id in ["SearchContacts", "listConversations", "searchConversations"] {
            assert!(numbered.contains(&id), "{}: {id} lacks pages.page/total_pages ({numbered:?})", pinned.name);
        }
    }
}
