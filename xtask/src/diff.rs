//! `cargo xtask diff <from> <to>`: the Markdown migration report between two pinned versions, on
//! standard output (the reports between consecutive versions are committed under `changes/` by
//! `cargo xtask codegen`; this command compares any two).

#[cfg(test)]
use std::path::Path;

use intercom_codegen::diff::{self, VersionIr};
use intercom_codegen::Workspace;

use crate::spec_files;

pub fn run(from: &str, to: &str) -> Result<(), String> {
    print!("{}", report(&spec_files::load_inputs(&spec_files::workspace_root())?, from, to)?);
    Ok(())
}

/// [`run`]'s report for the workspace at `root` with descriptions from the checkout `openapi_dir`
/// (tests).
#[cfg(test)]
pub fn report_in(root: &Path, openapi_dir: Option<&Path>, from: &str, to: &str) -> Result<String, String> {
    report(&spec_files::load_inputs(root)?.with_openapi_dir(openapi_dir), from, to)
}

fn report(inputs: &Workspace, from: &str, to: &str) -> Result<String, String> {
    let from = version_ir(inputs, from)?;
    let to = version_ir(inputs, to)?;
    Ok(diff::report(&from, &to))
}

/// The IR of pinned version `name` (hash checked, fix-ups applied).
pub fn version_ir(inputs: &Workspace, name: &str) -> Result<VersionIr, String> {
    let pinned = inputs.pinned(name).map_err(|e| e.to_string())?;
    let prepared = spec_files::prepare(inputs, pinned)?;
    Ok(VersionIr::new(&pinned.name, &prepared))
}
