//! `cargo xtask test`: every check a change must pass, in one command (the one CI runs), sharing
//! one target directory: freshness, the whole test suite, clippy, rustdoc, and each version
//! feature built alone.

use std::process::Command;
use std::time::Instant;

use crate::spec_files;

pub fn run() -> Result<(), String> {
    // Formatting first: it is the cheapest check and needs no build. Generated files opt out
    // through their preamble; the fuzz crate is its own workspace.
    cargo("format", &["fmt", "--all", "--check"], &[])?;
    cargo("format (fuzz)", &["fmt", "--all", "--check", "--manifest-path", "fuzz/Cargo.toml"], &[])?;
    println!("== codegen --check");
    let started = Instant::now();
    crate::codegen::run(true)?;
    println!("== codegen --check: passed in {:.0} s", started.elapsed().as_secs_f64());
    let root = spec_files::workspace_root();
    let inputs = spec_files::load_inputs(&root)?;
    // Build every test first, so that the mock servers start on an idle machine (eleven Prism
    // processes parsing their descriptions while rustc runs would slow both) and wait for no build.
    cargo("tests (build)", &["test", "--workspace", "--all-features", "--all-targets", "--no-run"], &[])?;
    // Mock servers for the operation tests; they stop when `servers` drops, on every path out.
    let servers = match crate::prism::binary(&root) {
        Some(bin) => {
            println!("== starting Prism ({}) for every version", bin.display());
            Some(crate::prism::start(&root, &inputs, &bin)?)
        }
        None if std::env::var_os("CI").is_some() => {
            return Err("Prism is not installed (.ci/run installs it into .tools/)".into())
        }
        None => {
            println!("NOTICE: Prism not found (.tools/node_modules/.bin/prism or $PRISM_BIN): the operation suite will be skipped");
            None
        }
    };
    let urls = servers.as_ref().map(|s| s.urls.clone()).unwrap_or_default();
    cargo("tests", &["test", "--workspace", "--all-features", "--all-targets"], &[("INTERCOM_PRISM_URLS", &urls)])?;
    if let Some(url) = servers.as_ref().and_then(|s| s.url("2.11")) {
        cargo(
            "quickstart example against Prism 2.11",
            &["run", "-p", "intercom-api", "--features", "v2_11,client", "--example", "quickstart"],
            &[("INTERCOM_BASE_URL", url), ("INTERCOM_TOKEN", "test-token")],
        )?;
    }
    drop(servers);
    // The crate docs' quickstart (2.11, with the client), with the features of the run above so
    // the library build is shared.
    cargo("doctests", &["test", "--doc", "-p", "intercom-api", "--features", "v2_11,client"], &[])?;
    cargo("clippy", &["clippy", "--workspace", "--all-features", "--all-targets", "--", "-D", "warnings"], &[])?;
    cargo("rustdoc", &["doc", "--workspace", "--all-features", "--no-deps"], &[("RUSTDOCFLAGS", "-D warnings")])?;
    for v in &inputs.versions.versions {
        let feature = v.module_name();
        cargo(
            &format!("intercom-api with only `{feature}`"),
            &["check", "-p", "intercom-api", "--no-default-features", "--features", &feature],
            &[],
        )?;
    }
    resources()?;
    // The crate as crates.io would receive it: complete metadata, within the size limit, and
    // building from the packaged files alone.
    cargo("package", &["package", "-p", "intercom-api", "--allow-dirty"], &[])?;
    println!("== all checks passed");
    Ok(())
}

/// `cargo xtask test --resources`: every resource feature alone, with the client and webhooks, on
/// the latest stable version and on Preview at once (one `cargo check` per resource rather than
/// one per resource and version: BENCHMARKS.md, 9), and neither with no resource at all. The
/// resources of each version are those its full feature lists in `generated/Cargo.toml`.
pub fn resources() -> Result<(), String> {
    let root = spec_files::workspace_root();
    let inputs = spec_files::load_inputs(&root)?;
    let mut cores = Vec::new();
    let mut every = std::collections::BTreeSet::new();
    let latest = inputs.versions.latest_stable().ok_or("spec/versions.toml pins no stable version")?;
    let preview = inputs.versions.versions.iter().find(|v| !v.is_stable());
    let cargo_toml = spec_files::read_text(&root.join("generated/Cargo.toml"))?;
    let doc: toml_edit::DocumentMut = cargo_toml.parse().map_err(|e| format!("generated/Cargo.toml: {e}"))?;
    for v in std::iter::once(latest).chain(preview) {
        let module = v.module_name();
        let core = intercom_codegen::core_feature(&module);
        let listed = doc
            .get("features")
            .and_then(|f| f.get(&module))
            .and_then(|i| i.as_array())
            .ok_or_else(|| format!("generated/Cargo.toml has no feature `{module}`"))?;
        every.extend(listed.iter().filter_map(|f| f.as_str()).filter(|f| *f != core).map(str::to_string));
        cores.push(core);
    }
    let base = format!("client,webhooks,{}", cores.join(","));
    let started = Instant::now();
    cargo(
        "intercom-api with no resource",
        &["check", "-p", "intercom-api", "--no-default-features", "--features", &base],
        &[],
    )?;
    for resource in &every {
        let features = format!("{base},{resource}");
        cargo(
            &format!("intercom-api with only `{resource}`"),
            &["check", "-p", "intercom-api", "--no-default-features", "--features", &features],
            &[],
        )?;
    }
    // The run-time side (a topic whose model is left out decodes as `Unknown`) needs a subset
    // build; the test names the features it is written for.
    cargo(
        "resource features at run time",
        &[
            "test",
            "-p",
            "intercom-api",
            "--no-default-features",
            "--features",
            "webhooks,v2_16-core,companies",
            "--test",
            "resource_features",
        ],
        &[],
    )?;
    println!("== {} resource checks and a test: passed in {:.0} s", every.len() + 1, started.elapsed().as_secs_f64());
    Ok(())
}

fn cargo(what: &str, args: &[&str], env: &[(&str, &str)]) -> Result<(), String> {
    println!("== {what}: cargo {}", args.join(" "));
    // Each step's time, so that a slower CI run shows where the time went.
    let started = Instant::now();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = Command::new(cargo)
        .args(args)
        .envs(env.iter().copied())
        .current_dir(spec_files::workspace_root())
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if status.success() {
        println!("== {what}: passed in {:.0} s", started.elapsed().as_secs_f64());
        Ok(())
    } else {
        Err(format!("{what} failed ({status})"))
    }
}
