//! `cargo xtask fuzz [--runs N] [--max-time SECS] [--target NAME]`: writes the seed corpora, then
//! runs each `cargo fuzz` target of fuzz/ in turn and prints, per target, the executions done and
//! whether a crash was found (the command fails if one was).
//!
//! The targets need nightly (sanitizers) and their own workspace, so they are run through
//! `cargo +nightly fuzz`; xtask itself stays on stable. The corpora and artifacts are git-ignored.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::spec_files;

/// The shared list of model names: a `decode_responses` input starts with an index into it.
#[path = "../../fuzz/type_names.rs"]
mod type_names;

const TARGETS: [&str; 4] = ["decode_responses", "build_request", "generator", "webhooks"];
/// The version whose models and operations the targets exercise.
const VERSION: &str = "2.11";

struct Options {
    runs: u64,
    /// libFuzzer's `-max_total_time`: a bound for targets too slow for `runs` executions.
    max_time: Option<u64>,
    targets: Vec<&'static str>,
}

/// What one target's run did.
struct Outcome {
    target: &'static str,
    executions: Option<u64>,
    exec_per_sec: Option<u64>,
    /// Files libFuzzer wrote to `fuzz/artifacts/<target>/` during this run (crash-*, oom-*, ...).
    artifacts: Vec<PathBuf>,
    success: bool,
}

pub fn run(args: &[&str]) -> Result<(), String> {
    let options = parse_args(args)?;
    ensure_cargo_fuzz()?;
    let root = spec_files::workspace_root();
    let fuzz_dir = root.join("fuzz");
    for target in &options.targets {
        let seeds = seeds(&root, target)?;
        let written = write_corpus(&fuzz_dir.join("corpus").join(target), &seeds)?;
        println!("== {target}: {written} seeds in fuzz/corpus/{target}/");
    }
    let mut outcomes = Vec::new();
    for target in &options.targets {
        outcomes.push(run_target(&fuzz_dir, target, &options)?);
    }
    println!("== fuzz summary");
    for o in &outcomes {
        let count = |n: Option<u64>| n.map_or("?".to_string(), |n| n.to_string());
        let verdict = match (&o.artifacts[..], o.success) {
            ([], true) => "no crash".to_string(),
            ([], false) => "FAILED without an artifact (see the output above)".to_string(),
            (found, _) => {
                format!("CRASH: {}", found.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", "))
            }
        };
        println!(
            "{:<18} {:>10} executions  {:>6} exec/s  {verdict}",
            o.target,
            count(o.executions),
            count(o.exec_per_sec)
        );
    }
    match outcomes.iter().filter(|o| !o.success || !o.artifacts.is_empty()).count() {
        0 => Ok(()),
        n => Err(format!("{n} fuzz target(s) found a crash")),
    }
}

fn parse_args(args: &[&str]) -> Result<Options, String> {
    let mut options = Options { runs: 1_000_000, max_time: None, targets: TARGETS.to_vec() };
    let number = |v: &str| v.parse::<u64>().map_err(|e| format!("{v}: {e}"));
    let mut rest = args;
    while let [flag, value, tail @ ..] = rest {
        match *flag {
            "--runs" => options.runs = number(value)?,
            "--max-time" => options.max_time = Some(number(value)?),
            "--target" => {
                let known = TARGETS
                    .iter()
                    .find(|t| *t == value)
                    .ok_or_else(|| format!("unknown target `{value}` (known: {})", TARGETS.join(", ")))?;
                options.targets = vec![known];
            }
            _ => return Err(format!("unknown option `{flag}`")),
        }
        rest = tail;
    }
    if !rest.is_empty() {
        return Err(format!("`{}` needs a value", rest[0]));
    }
    Ok(options)
}

/// cargo-fuzz is not a workspace dependency (it is a cargo subcommand): install it on first use.
fn ensure_cargo_fuzz() -> Result<(), String> {
    let installed = Command::new("cargo")
        .args(["fuzz", "--version"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if installed {
        return Ok(());
    }
    println!("== installing cargo-fuzz: cargo install cargo-fuzz --locked");
    let status = Command::new("cargo")
        .args(["install", "cargo-fuzz", "--locked"])
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    status.success().then_some(()).ok_or_else(|| format!("cargo install cargo-fuzz failed ({status})"))
}

/// The seed inputs of `target`, named.
fn seeds(root: &Path, target: &str) -> Result<Vec<(String, Vec<u8>)>, String> {
    match target {
        "decode_responses" => decode_seeds(root),
        "build_request" => Ok(request_seeds()),
        "generator" => generator_seeds(root),
        "webhooks" => webhook_seeds(root),
        _ => unreachable!("targets come from TARGETS"),
    }
}

/// `[signature header]\n[body]` (see fuzz_targets/webhooks.rs): the notification signed by Python
/// in generated/tests/fixtures/webhooks/, a ping, an unknown topic and malformed headers.
fn webhook_seeds(root: &Path) -> Result<Vec<(String, Vec<u8>)>, String> {
    let dir = root.join("generated/tests/fixtures/webhooks");
    let signed: toml_edit::DocumentMut =
        spec_files::read_text(&dir.join("signed.toml"))?.parse().map_err(|e| format!("signed.toml: {e}"))?;
    let text = |key: &str| signed.get(key).and_then(|v| v.as_str()).ok_or(format!("signed.toml: no `{key}`"));
    let body = std::fs::read(dir.join(text("body")?)).map_err(|e| format!("{}: {e}", text("body").unwrap_or("")))?;
    let ping = br#"{"type":"notification_event","topic":"ping","data":{"type":"notification_event_data","item":{"type":"ping","message":"hi"}}}"#;
    let unknown = br#"{"type":"notification_event","topic":"made.up","created_at":"soon","data":{"item":[1]}}"#;
    let seeds: [(&str, &[u8], &[u8]); 5] = [
        ("signed", text("signature")?.as_bytes(), &body),
        ("ping", b"sha1=0000000000000000000000000000000000000000", ping),
        ("unknown-topic", b"sha1=", unknown),
        ("upper-case", b"SHA1=ABCDEF0123456789ABCDEF0123456789ABCDEF01", ping),
        ("empty", b"", b""),
    ];
    Ok(seeds.iter().map(|(name, header, body)| (name.to_string(), [header, &b"\n"[..], body].concat())).collect())
}

/// Every example of 2.11 with a named type (responses, and request bodies, which are models too),
/// as `[index of the type name, u16 big-endian][JSON]`: the fuzzer starts from valid bodies of
/// every type instead of having to discover their members.
fn decode_seeds(root: &Path) -> Result<Vec<(String, Vec<u8>)>, String> {
    let names = type_names::type_names(&spec_files::read_text(&root.join(type_names::DISPATCHER))?);
    let prepared = prepare_latest(root)?;
    let (cases, _) = intercom_codegen::conformance::cases(&prepared);
    let mut seeds = Vec::new();
    for (i, case) in cases.iter().enumerate() {
        // A type that is not in the dispatcher would be fuzzed as another type: leave it out.
        let Some(index) = names.iter().position(|n| *n == case.type_name) else { continue };
        let mut bytes =
            u16::try_from(index).map_err(|_| "more than 65536 model names".to_string())?.to_be_bytes().to_vec();
        bytes.extend(intercom_codegen::json::to_vec(&case.value).expect("a JSON tree serializes"));
        seeds.push((format!("{}-{i}", case.type_name), bytes));
    }
    Ok(seeds)
}

/// Fields separated by 0xFF (see fuzz_targets/build_request.rs): ids with the characters that
/// matter in a path (separators, dots, escapes, non-ASCII), and paging values.
fn request_seeds() -> Vec<(String, Vec<u8>)> {
    let inputs: [&[&str]; 8] = [
        &["5ba682d23d7cf92bef87bfd4", "531ee472cce572a6ec000006", "WzE2MDI1MjA0MDAwMDAsMTAwXQ==", "1", "50"],
        &["", "co1"],
        &["..", "."],
        &["../admins", "a/b?c=d#e"],
        &["%2e%2E", "a%2Fb", "x+y z&k=v", "-1", "9223372036854775807"],
        &["Zoë/日本", "a\r\nHost: evil"],
        &["...", ". "],
        &["c1", "co1", ""],
    ];
    inputs
        .iter()
        .enumerate()
        .map(|(i, fields)| (format!("seed-{i}"), fields.iter().map(|f| f.as_bytes()).collect::<Vec<_>>().join(&0xFF)))
        .collect()
}

/// The fixture specs whole, and component schemas of 2.11 alone (the target nests a document
/// without `openapi` into a skeleton as `components/schemas/x`). Only schemas without `$ref` are
/// taken: in the skeleton their references would dangle.
fn generator_seeds(root: &Path) -> Result<Vec<(String, Vec<u8>)>, String> {
    let mut seeds = Vec::new();
    let fixtures = root.join("generator/tests/fixtures");
    let entries = std::fs::read_dir(&fixtures).map_err(|e| format!("{}: {e}", fixtures.display()))?;
    for entry in entries.flatten() {
        let path = entry.path();
        if path.extension().is_some_and(|e| e == "yaml") {
            let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            seeds.push((format!("fixture-{}", path.file_stem().unwrap_or_default().to_string_lossy()), bytes));
        }
    }
    let prepared = prepare_latest(root)?;
    let schemas = prepared
        .doc
        .pointer("/components/schemas")
        .and_then(|s| s.as_object())
        .ok_or("2.11 has no components/schemas")?;
    for (name, schema) in schemas {
        let text = intercom_codegen::json::to_string_pretty(schema).expect("a JSON tree serializes");
        if !text.contains("$ref") && text.len() <= 4096 {
            seeds.push((format!("schema-{name}"), text.into_bytes()));
        }
    }
    Ok(seeds)
}

/// The 2.11 description after its fix-ups, as the generator sees it.
fn prepare_latest(root: &Path) -> Result<intercom_codegen::Prepared, String> {
    let inputs = spec_files::load_inputs(root)?;
    let pinned = inputs.pinned(VERSION).map_err(|e| e.to_string())?;
    spec_files::prepare(&inputs, pinned)
}

/// Writes the seeds into the corpus directory, next to what earlier runs found (kept: it is what
/// makes a second run start where the first stopped).
fn write_corpus(dir: &Path, seeds: &[(String, Vec<u8>)]) -> Result<usize, String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for (name, bytes) in seeds {
        let path = dir.join(format!("seed-{}", name.trim_start_matches("seed-")));
        std::fs::write(&path, bytes).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok(seeds.len())
}

/// Runs one target, echoing libFuzzer's output and keeping its final statistics.
fn run_target(fuzz_dir: &Path, target: &'static str, options: &Options) -> Result<Outcome, String> {
    let artifact_dir = fuzz_dir.join("artifacts").join(target);
    let before = list(&artifact_dir);
    let mut args = vec!["+nightly".to_string(), "fuzz".into(), "run".into(), target.into(), "--".into()];
    // 64 KiB holds every seed; 2 GiB leaves room for the generator on large documents.
    args.extend([
        format!("-runs={}", options.runs),
        "-max_len=65536".into(),
        "-rss_limit_mb=2048".into(),
        "-print_final_stats=1".into(),
    ]);
    args.extend(options.max_time.map(|t| format!("-max_total_time={t}")));
    println!("== {target}: cargo {}", args.join(" "));
    // `cargo xtask` runs under the stable toolchain; let `+nightly` decide for the child.
    let mut child = Command::new("cargo")
        .args(&args)
        .env_remove("RUSTUP_TOOLCHAIN")
        .current_dir(fuzz_dir)
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run cargo fuzz: {e}"))?;
    let (mut executions, mut exec_per_sec) = (None, None);
    let stderr = child.stderr.take().expect("stderr is piped");
    for line in BufReader::new(stderr).lines() {
        let line = line.map_err(|e| format!("reading cargo fuzz output: {e}"))?;
        eprintln!("{line}");
        executions = stat(&line, "stat::number_of_executed_units:").or(executions);
        exec_per_sec = stat(&line, "stat::average_exec_per_sec:").or(exec_per_sec);
    }
    let status = child.wait().map_err(|e| format!("cargo fuzz: {e}"))?;
    let artifacts = list(&artifact_dir).into_iter().filter(|p| !before.contains(p)).collect();
    Ok(Outcome { target, executions, exec_per_sec, artifacts, success: status.success() })
}

/// The number after `key` in a `-print_final_stats=1` line.
fn stat(line: &str, key: &str) -> Option<u64> {
    line.strip_prefix(key)?.trim().parse().ok()
}

fn list(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir).map(|entries| entries.flatten().map(|e| e.path()).collect()).unwrap_or_default()
}
