//! The pinned descriptions as this crate's tests and benchmarks see them: the generator's one
//! loader (`intercom_codegen::Workspace`: `spec/versions.toml`, `spec/fixups.toml`, the description
//! from `$INTERCOM_OPENAPI_DIR` or `spec/cache/`), loaded from this workspace's root.

use std::path::Path;

use intercom_codegen::Workspace;

/// This repository's workspace; a test cannot go on without it, and the error says how to fix it.
pub fn workspace() -> Workspace {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("generated/ lives in the workspace");
    Workspace::load(root).unwrap_or_else(|e| panic!("{e}"))
}
