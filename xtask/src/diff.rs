//! `cargo xtask diff <from> <to>`: the Markdown migration report between two pinned versions, on
//! standard output (the reports between consecutive versions are committed under `changes/` by
//! `cargo xtask codegen`; this command compares any two).

use std::path::{Path, PathBuf};

use intercom_codegen::diff::{self, VersionIr};
use intercom_codegen::VersionInput;

use crate::spec_files::{self, Inputs};

pub fn run(from: &str, to: &str) -> Result<(), String> {
    let openapi_dir = std::env::var_os("INTERCOM_OPENAPI_DIR").map(PathBuf::from);
    print!("{}", report_in(&spec_files::workspace_root(), openapi_dir.as_deref(), from, to)?);
    Ok(())
}

pub fn report_in(root: &Path, openapi_dir: Option<&Path>, from: &str, to: &str) -> Result<String, String> {
    let inputs = spec_files::load_inputs(root)?;
    let from = version_ir(root, openapi_dir, &inputs, from)?;
    let to = version_ir(root, openapi_dir, &inputs, to)?;
    Ok(diff::report(&from, &to))
}

/// The IR of pinned version `name` (hash checked, fix-ups applied).
pub fn version_ir(root: &Path, openapi_dir: Option<&Path>, inputs: &Inputs, name: &str) -> Result<VersionIr, String> {
    let pinned = inputs.versions.versions.iter().find(|v| v.name == name).ok_or_else(|| {
        let known: Vec<&str> = inputs.versions.versions.iter().map(|v| v.name.as_str()).collect();
        format!("version `{name}` is not in spec/versions.toml (pinned: {})", known.join(", "))
    })?;
    let bytes = spec_files::description_bytes(root, openapi_dir, &inputs.versions, pinned)?;
    let input = VersionInput { upstream: &inputs.versions.upstream, pinned, yaml: &bytes };
    let prepared = intercom_codegen::prepare(&input, &inputs.fixups).map_err(|e| e.to_string())?;
    Ok(VersionIr::new(&pinned.name, &prepared))
}
