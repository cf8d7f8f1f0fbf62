//! Codegen benchmark: the time to regenerate every pinned version, against the time to only parse
//! the same YAML files into `openapiv3::OpenAPI`, plus the regeneration split by stage.
//!
//! `cargo bench -p intercom-codegen --bench codegen` measures (release). Without `--bench` (as under
//! `cargo test --all-targets`) it is a smoke run: one round on the first version only, so CI checks
//! that the benchmark works without timing anything.
//!
//! The four measurements of a round run back to back, in an order that rotates from round to
//! round, and the ratio is taken within each round: the machine is shared and noisy, so a slow
//! spell hits baseline and candidate alike, and the median ratio stays meaningful.

use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

use intercom_codegen::{
    fixups, load, lower, median, render, FixupsFile, PinnedVersion, VersionInput, VersionModule, VersionsFile,
    Workspace,
};

/// The allocator `cargo xtask codegen` runs with (xtask/src/main.rs), for both sides.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Rounds in a real run; `INTERCOM_BENCH_ROUNDS` overrides.
const DEFAULT_ROUNDS: usize = 9;
/// Regeneration over parse-only that the issue accepts.
const TARGET_RATIO: f64 = 1.5;

struct Spec {
    pinned: PinnedVersion,
    yaml: Vec<u8>,
}

/// Per-round times of each stage, summed over the versions.
#[derive(Default, Clone, Copy)]
struct Stages {
    load: Duration,
    fixup: Duration,
    lower: Duration,
    emit: Duration,
    /// `render::render` per module: models, operations, client.
    render: [Duration; 3],
    /// Diagnostic, timed apart from `render`: how much of rendering is `syn::parse2` (tokens to a
    /// syntax tree) rather than `prettyplease` printing it.
    syn_parse: Duration,
}

impl Stages {
    fn render_total(&self) -> Duration {
        self.render.iter().sum()
    }

    fn total(&self) -> Duration {
        self.load + self.fixup + self.lower + self.emit + self.render_total()
    }
}

fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("generator lives in the workspace").to_path_buf();
    let ws = Workspace::load(&root).unwrap_or_else(|e| panic!("{e}"));
    let mut specs = read_specs(&ws);
    let (versions, fixups_file) = (ws.versions, ws.fixups);
    if !full {
        specs.truncate(1);
    }
    let rounds = if full { rounds_from_env() } else { 1 };
    let bytes: usize = specs.iter().map(|s| s.yaml.len()).sum();
    let names: Vec<&str> = specs.iter().map(|s| s.pinned.name.as_str()).collect();
    println!(
        "codegen: {} version(s) ({}), {:.1} MB of YAML, {rounds} rounds{}",
        specs.len(),
        names.join(", "),
        bytes as f64 / 1e6,
        if full { "" } else { " (smoke mode: pass --bench to measure)" }
    );

    let threads = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    let mut parse_only = Vec::new();
    let mut regenerate = Vec::new();
    let mut one_at_a_time = Vec::new();
    let mut staged = Vec::new();
    for round in 0..rounds {
        // Rotate which measurement goes first, so none always runs on a cold cache.
        for step in 0..4 {
            match (round + step) % 4 {
                0 => parse_only.push(time(|| parse_openapiv3(&specs))),
                1 => regenerate.push(time(|| regenerate_all(&versions, &fixups_file, &specs))),
                2 => one_at_a_time.push(time(|| regenerate_one_at_a_time(&versions, &fixups_file, &specs))),
                _ => staged.push(stages(&versions, &fixups_file, &specs)),
            }
        }
    }
    report(full, &parse_only, &regenerate, (threads, &one_at_a_time), &staged);
}

fn rounds_from_env() -> usize {
    std::env::var("INTERCOM_BENCH_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|&n| n > 0)
        .unwrap_or(DEFAULT_ROUNDS)
}

/// Every pinned description, read before any timing starts (file I/O is not part of either side).
fn read_specs(ws: &Workspace) -> Vec<Spec> {
    ws.versions
        .versions
        .iter()
        .map(|pinned| {
            let yaml = ws.description(pinned).unwrap_or_else(|e| panic!("{e}"));
            Spec { pinned: pinned.clone(), yaml }
        })
        .collect()
}

fn time(f: impl FnOnce()) -> Duration {
    let start = Instant::now();
    f();
    start.elapsed()
}

/// The baseline: YAML straight into the typed `openapiv3` model, nothing else.
fn parse_openapiv3(specs: &[Spec]) {
    for spec in specs {
        let doc: openapiv3::OpenAPI = serde_yaml::from_slice(&spec.yaml)
            .unwrap_or_else(|e| panic!("{}: openapiv3 cannot parse: {e}", spec.pinned.name));
        black_box(doc);
    }
}

/// What `cargo xtask codegen` computes (every file's contents, versions and files on threads),
/// without writing.
fn regenerate_all(versions: &VersionsFile, fixups_file: &FixupsFile, specs: &[Spec]) {
    let inputs: Vec<VersionInput<'_>> = specs
        .iter()
        .map(|spec| VersionInput {
            upstream: &versions.upstream,
            pinned: &spec.pinned,
            yaml: &spec.yaml,
            resources: None,
        })
        .collect();
    black_box(intercom_codegen::generate_versions(&inputs, fixups_file).expect("generation succeeds"));
}

/// The same with one version at a time (each version's files still on their own threads): what
/// generating the versions in parallel adds.
fn regenerate_one_at_a_time(versions: &VersionsFile, fixups_file: &FixupsFile, specs: &[Spec]) {
    for spec in specs {
        let input =
            VersionInput { upstream: &versions.upstream, pinned: &spec.pinned, yaml: &spec.yaml, resources: None };
        black_box(intercom_codegen::generate_version(&input, fixups_file).expect("generation succeeds"));
    }
}

/// The same pipeline through its public stages, each timed on its own. It covers the `models`,
/// `operations` and `client` modules; the small `mod.rs`, the test helpers and the report are the
/// remainder between this sum and [`regenerate_all`].
fn stages(versions: &VersionsFile, fixups_file: &FixupsFile, specs: &[Spec]) -> Stages {
    let mut s = Stages::default();
    for spec in specs {
        let pinned = &spec.pinned;
        let input = VersionInput { upstream: &versions.upstream, pinned, yaml: &spec.yaml, resources: None };
        let file = input.file_label();
        let mut t = Instant::now();
        let mut lap = || {
            let d = t.elapsed();
            t = Instant::now();
            d
        };
        load::verify_sha256(&file, &spec.yaml, &pinned.sha256).expect("pinned hash");
        let mut doc = load::parse_yaml(&file, &spec.yaml).expect("YAML parses");
        s.load += lap();
        let applied = fixups::apply(&file, &pinned.name, &mut doc, fixups_file).expect("fix-ups apply");
        s.fixup += lap();
        let ir = lower::lower(&file, &doc).expect("lowering succeeds");
        s.lower += lap();
        let prepared = intercom_codegen::Prepared { doc, fixups: applied, ir };
        let tokens = intercom_codegen::emit_tokens(&pinned.module_name(), &prepared);
        s.emit += lap();
        for (i, ts) in tokens.into_iter().enumerate() {
            let copy = ts.clone();
            lap();
            black_box(render::render(VersionModule::ALL[i].file_name(), "bench", ts).expect("tokens parse as a file"));
            s.render[i] += lap();
            black_box(syn::parse2::<syn::File>(copy).expect("tokens parse as a file"));
            s.syn_parse += lap();
        }
        black_box(prepared);
    }
    s
}

fn ms(d: &Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn report(
    full: bool,
    parse_only: &[Duration],
    regenerate: &[Duration],
    (threads, one_at_a_time): (usize, &[Duration]),
    staged: &[Stages],
) {
    let base = median(parse_only.iter().map(ms).collect());
    let regen = median(regenerate.iter().map(ms).collect());
    let ratio = median(parse_only.iter().zip(regenerate).map(|(p, r)| r.as_secs_f64() / p.as_secs_f64()).collect());
    let stage = |f: fn(&Stages) -> Duration| median(staged.iter().map(|s| ms(&f(s))).collect());
    let rows = [
        ("load (sha256 + YAML -> JSON tree)", stage(|s| s.load)),
        ("fix-up", stage(|s| s.fixup)),
        ("lower (IR)", stage(|s| s.lower)),
        ("emit (tokens)", stage(|s| s.emit)),
        ("render (syn parse + prettyplease)", stage(Stages::render_total)),
        ("  render models.rs", stage(|s| s.render[0])),
        ("  render operations.rs", stage(|s| s.render[1])),
        ("  render client.rs", stage(|s| s.render[2])),
        ("  of which syn::parse2 (timed apart)", stage(|s| s.syn_parse)),
    ];
    let staged_total = stage(Stages::total);
    println!("{:<44} {:>10} {:>9}", "measurement (median)", "ms", "x parse");
    println!("{:<44} {:>10.1} {:>9.2}", "parse-only: YAML -> openapiv3::OpenAPI", base, 1.0);
    println!("{:<44} {:>10.1} {:>9.2}", format!("regenerate (as cargo xtask codegen, {threads} cores)"), regen, ratio);
    let one = median(one_at_a_time.iter().map(ms).collect());
    let one_ratio =
        median(parse_only.iter().zip(one_at_a_time).map(|(p, r)| r.as_secs_f64() / p.as_secs_f64()).collect());
    println!("{:<44} {:>10.1} {:>9.2}", "  the same, one version at a time", one, one_ratio);
    println!("stages, single-threaded (the work, not the wall time):");
    for (name, v) in rows {
        println!("  {:<42} {:>10.1} {:>9.2}", name, v, v / base);
    }
    println!(
        "  {:<42} {:>10.1} {:>9.2}",
        "sum of stages (models/operations/client)",
        staged_total,
        staged_total / base
    );
    if !full {
        return;
    }
    let met = if ratio <= TARGET_RATIO { "met" } else { "not met" };
    // One line for `cargo xtask bench` to collect: item, what, baseline, candidate, ratio, target, verdict.
    println!("summary\t1 codegen\tregenerate all versions (release)\tparse-only {base:.0} ms\t{regen:.0} ms\t{ratio:.2}x\t<= {TARGET_RATIO}x\t{met}");
}
