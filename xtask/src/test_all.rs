//! `cargo xtask test`: every check a change must pass, in one command (the one CI runs), sharing
//! one target directory: freshness, the whole test suite, clippy, rustdoc, and each version
//! feature built alone.

use std::process::Command;

use crate::spec_files;

pub fn run() -> Result<(), String> {
    println!("== codegen --check");
    crate::codegen::run(true)?;
    cargo("tests", &["test", "--workspace", "--all-features", "--all-targets"], &[])?;
    cargo("clippy", &["clippy", "--workspace", "--all-features", "--all-targets", "--", "-D", "warnings"], &[])?;
    cargo("rustdoc", &["doc", "--workspace", "--all-features", "--no-deps"], &[("RUSTDOCFLAGS", "-D warnings")])?;
    let inputs = spec_files::load_inputs(&spec_files::workspace_root())?;
    for v in &inputs.versions.versions {
        let feature = v.module_name();
        cargo(&format!("intercom-api with only `{feature}`"), &["check", "-p", "intercom-api", "--no-default-features", "--features", &feature], &[])?;
    }
    println!("== all checks passed");
    Ok(())
}

fn cargo(what: &str, args: &[&str], env: &[(&str, &str)]) -> Result<(), String> {
    println!("== {what}: cargo {}", args.join(" "));
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = Command::new(cargo)
        .args(args)
        .envs(env.iter().copied())
        .current_dir(spec_files::workspace_root())
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{what} failed ({status})"))
    }
}
