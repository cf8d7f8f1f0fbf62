//! What the benchmarks of this crate share: the 2.11 description's own response examples, found
//! through the generator (the same corpus the conformance test round-trips), so the bytes measured
//! are ones Intercom documents rather than hand-made ones.

use serde_json::Value;
use std::collections::BTreeMap;

/// The version the benchmarks measure: the latest, and the default feature.
const VERSION: &str = "2.11";

/// For each model name, the largest response example of the description whose schema is that model,
/// as compact JSON bytes.
pub fn largest_response_examples() -> BTreeMap<String, Vec<u8>> {
    let spec = super::spec::workspace();
    let pinned = spec.pinned(VERSION).unwrap_or_else(|e| panic!("{e}"));
    let prepared = spec.prepare(pinned).unwrap_or_else(|e| panic!("{e}"));
    let (cases, _) = intercom_codegen::conformance::cases(&prepared);
    let mut out: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    for case in cases.into_iter().filter(|c| !c.is_request) {
        let bytes = serde_json::to_vec(&case.value).expect("a JSON tree serializes");
        let slot = out.entry(case.type_name).or_default();
        if bytes.len() > slot.len() {
            *slot = bytes;
        }
    }
    out
}

/// The example for `name`, with a message that lists what there is when it is missing.
pub fn example<'a>(examples: &'a BTreeMap<String, Vec<u8>>, name: &str) -> &'a [u8] {
    examples.get(name).unwrap_or_else(|| {
        panic!(
            "no {VERSION} response example has the model `{name}`; there are: {:?}",
            examples.keys().collect::<Vec<_>>()
        )
    })
}

/// The description's own `ContactList` example has an empty `data`; a page of `size` copies of its
/// largest `Contact` example is the list a client actually receives (the API allows up to 150).
pub fn contact_page(examples: &BTreeMap<String, Vec<u8>>, size: usize) -> Vec<u8> {
    let contact: Value = serde_json::from_slice(example(examples, "Contact")).expect("example is JSON");
    let mut page: Value = serde_json::from_slice(example(examples, "ContactList")).expect("example is JSON");
    page["data"] = Value::Array(vec![contact; size]);
    page["total_count"] = Value::from(size);
    serde_json::to_vec(&page).expect("a JSON tree serializes")
}
