//! Maintainers' commands. The only code in the workspace that writes files.
//!
//! - `cargo xtask codegen`          regenerate `generated/` for every version in spec/versions.toml
//! - `cargo xtask codegen --check`  regenerate in memory; fail listing stale files
//! - `cargo xtask diff FROM TO`     the Markdown migration report between two pinned versions
//! - `cargo xtask pin [--from DIR] [--add V [--path P]] [--details]`  re-pin to a newer upstream checkout (or add V)
//! - `cargo xtask spec --fixed V`   print version V's description after fix-ups, as JSON
//! - `cargo xtask test`             every check CI runs (freshness, tests, clippy, docs, features)
//! - `cargo xtask test --resources` only its checks of each resource feature alone (latest stable + Preview)
//! - `cargo xtask bench [--quick]`  rerun every benchmark of BENCHMARKS.md and print a summary
//! - `cargo xtask bench compile`  the crate-only debug build of every version, against 2.11's
//! - `cargo xtask bench resources [--release]`  crate-only builds of 2.16 and Preview by resource features
//! - `cargo xtask fuzz [--runs N] [--max-time SECS] [--target NAME]`  seed and run the fuzz targets of fuzz/

mod bench;
mod codegen;
mod diff;
mod fuzz;
mod pin;
mod prism;
mod spec_files;
mod test_all;

use std::process::ExitCode;

/// See xtask/Cargo.toml: the generator is allocation-bound.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let result = match args.as_slice() {
        ["codegen"] => codegen::run(false),
        ["codegen", "--check"] => codegen::run(true),
        ["diff", from, to] => diff::run(from, to),
        ["pin", rest @ ..] => pin::run(rest),
        ["spec", "--fixed", version] => spec_files::print_fixed(version),
        ["test"] => test_all::run(),
        ["test", "--resources"] => test_all::resources(),
        ["bench"] => bench::run(false),
        ["bench", "--quick"] => bench::run(true),
        ["bench", "compile"] => bench::compile_every_version(),
        ["bench", "resources"] => bench::resources(false),
        ["bench", "resources", "--release"] => bench::resources(true),
        ["fuzz", rest @ ..] => fuzz::run(rest),
        _ => Err(USAGE.to_string()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

const USAGE: &str = "usage: cargo xtask codegen [--check] | cargo xtask diff <from> <to> | cargo xtask pin [--from <dir>] [--add <version> [--path <path>]] [--details] | cargo xtask spec --fixed <version> | cargo xtask test [--resources] | cargo xtask bench [--quick | compile | resources [--release]] | cargo xtask fuzz [--runs N] [--max-time SECS] [--target NAME]";
