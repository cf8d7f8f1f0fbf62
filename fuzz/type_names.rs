//! The model names of the 2.11 conformance dispatcher (generated/tests/conformance/v2_11.rs), in
//! its order. A `decode_responses` input starts with an index into this list, so the fuzz target's
//! build script and `cargo xtask fuzz` (which writes the seeds) must read the same list: both
//! include this file.

/// The path of the dispatcher, relative to the workspace root.
pub const DISPATCHER: &str = "generated/tests/conformance/v2_11.rs";

/// Every `…::<m::Name>` in the dispatcher's source, in first occurrence order: its arms call a
/// generic function with each model (`crate::roundtrip::<m::Name>(value)` or
/// `visitor.visit::<m::Name>()`, depending on the generator's version), so the turbofish is the
/// part that does not change.
pub fn type_names(dispatcher_source: &str) -> Vec<String> {
    const MARK: &str = "::<m::";
    let mut names: Vec<String> = Vec::new();
    for (at, _) in dispatcher_source.match_indices(MARK) {
        let rest = &dispatcher_source[at + MARK.len()..];
        let name: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
        if !name.is_empty() && !names.contains(&name) {
            names.push(name);
        }
    }
    names
}
