//! The small contact of the memory measurements (`tests/drift_memory.rs`, `benches/drift.rs`):
//! only scalar members, 196 bytes of JSON, so that the models' own size, not their strings, is
//! most of a decoded page of them.

use serde_json::Value;

/// The contact numbered `index` (its id, email and name differ).
pub fn small_contact(index: usize) -> Value {
    serde_json::json!({
        "type": "contact",
        "id": format!("{index:024x}"),
        "workspace_id": "ecahpwf5",
        "role": "user",
        "email": format!("joe{index}@bloggs.com"),
        "name": format!("Joe Bloggs {index}"),
        "created_at": 1719492777,
        "updated_at": 1719492777
    })
}
