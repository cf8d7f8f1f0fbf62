//! Decode throughput over each enabled version's whole example corpus (every request and response
//! example whose schema is a named model and that decodes strictly), in one run and interleaved:
//! - typed: `serde_json::from_slice` into the generated model;
//! - `Value`: `serde_json::from_slice::<serde_json::Value>` on the same bytes, the baseline;
//! - both again the way the client decodes a body (`runtime::de::from_body`: checked as UTF-8
//!   once, then decoded as text), each against the other, so that what reading text gains is not
//!   credited to the typed models;
//! - two floors no decoder built on serde_json can go below: every member skipped
//!   (`IgnoredAny`), and every string value copied into a `String` of its own with nothing else
//!   built (what a model owning its strings cannot avoid);
//! - derived (latest stable version only): the same structs with serde's derived `Deserialize`, as
//!   progenitor and typify emit them (`benches/derived/`, generated), on the examples it decodes.
//!
//! `cargo bench -p intercom-api --all-features --bench corpus` measures (`INTERCOM_BENCH_ROUNDS`,
//! default 15); without `--bench` (under `cargo test`) it runs one round and checks that every
//! corpus decodes. Each round times every representation once, back to back, so the ratios compare
//! passes taken moments apart; medians over rounds are reported. Two diagnosis aids:
//! `INTERCOM_BENCH_WORST=1` also times each example on its own, repeated (warm caches), and lists
//! where typed decoding loses most against half the `Value` time; `INTERCOM_BENCH_COLD=1` times
//! each example inside the corpus pass (cold, as the pass meets it) and lists the same.

#[path = "../tests/conformance/versions.rs"]
mod versions;

#[path = "derived/latest.rs"]
mod derived;
#[path = "../tests/support/spec.rs"]
mod spec;

use std::hint::black_box;
use std::time::Instant;

use intercom_api::runtime::de::from_body;
use intercom_codegen::median;
use serde::de::DeserializeOwned;
use serde_json::Value;

const DEFAULT_ROUNDS: usize = 15;
/// The target: typed decoding at least this much faster than `Value` on every corpus.
const TARGET_OVER_VALUE: f64 = 2.0;

/// What the generated model dispatch hands each model type to.
pub trait ModelVisitor {
    type Output;
    fn visit<T: DeserializeOwned>(self) -> Self::Output;
}

type Decode = fn(&[u8]) -> bool;

fn decodes<T: DeserializeOwned>(bytes: &[u8]) -> bool {
    serde_json::from_slice::<T>(bytes).is_ok()
}

fn decodes_as_text<T: DeserializeOwned>(bytes: &[u8]) -> bool {
    from_body::<T>(bytes).is_ok()
}

/// The baseline: the same bytes into `serde_json::Value`, from bytes and as text.
fn value_decodes(bytes: &[u8]) -> bool {
    decodes::<Value>(bytes)
}

fn value_decodes_as_text(bytes: &[u8]) -> bool {
    decodes_as_text::<Value>(bytes)
}

/// The parser's floor: serde_json reads every member and skips it, building nothing. No decoder
/// built on serde_json can take less time than this, so `Value`'s time over it bounds the ratio
/// any typed model can reach against `Value`.
fn skips(bytes: &[u8]) -> bool {
    decodes::<serde::de::IgnoredAny>(bytes)
}

/// The floor of any model that owns its strings: serde_json reads every member, every string
/// value is copied into a `String` of its own (as a model's `String` field holds it), and nothing
/// else is built; member names are only looked at, as a model matches them without allocating.
fn owns_strings(bytes: &[u8]) -> bool {
    decodes::<OwnedStrings>(bytes)
}

struct OwnedStrings;

impl<'de> serde::Deserialize<'de> for OwnedStrings {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(OwnedStrings)
    }
}

impl<'de> serde::de::Visitor<'de> for OwnedStrings {
    type Value = OwnedStrings;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, _: bool) -> Result<Self, E> {
        Ok(self)
    }
    fn visit_i64<E>(self, _: i64) -> Result<Self, E> {
        Ok(self)
    }
    fn visit_u64<E>(self, _: u64) -> Result<Self, E> {
        Ok(self)
    }
    fn visit_f64<E>(self, _: f64) -> Result<Self, E> {
        Ok(self)
    }
    fn visit_unit<E>(self) -> Result<Self, E> {
        Ok(self)
    }
    fn visit_str<E>(self, text: &str) -> Result<Self, E> {
        black_box(text.to_owned());
        Ok(self)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self, A::Error> {
        while seq.next_element::<OwnedStrings>()?.is_some() {}
        Ok(self)
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self, A::Error> {
        while map.next_key::<serde::de::IgnoredAny>()?.is_some() {
            map.next_value::<OwnedStrings>()?;
        }
        Ok(self)
    }
}

/// Resolves a model name to its decoders (from bytes, as text) once, so the timed loop pays no
/// name lookup.
struct DecoderOf;

impl ModelVisitor for DecoderOf {
    type Output = (Decode, Decode);
    fn visit<T: DeserializeOwned>(self) -> (Decode, Decode) {
        (decodes::<T>, decodes_as_text::<T>)
    }
}

/// One example, compact, with the decoders of its model.
struct Sample {
    type_name: String,
    is_request: bool,
    bytes: Vec<u8>,
    typed: Decode,
    typed_as_text: Decode,
    derived: Option<Decode>,
}

fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let rounds = if full {
        std::env::var("INTERCOM_BENCH_ROUNDS")
            .ok()
            .and_then(|v| v.parse().ok())
            .filter(|&n| n > 0)
            .unwrap_or(DEFAULT_ROUNDS)
    } else {
        1
    };
    println!(
        "corpus decode: every example of each version, {rounds} round(s){}",
        if full { "" } else { " (smoke mode: pass --bench to measure)" }
    );
    let spec = spec::workspace();
    for pinned in &spec.versions.versions {
        if !versions::enabled(&pinned.name) {
            continue;
        }
        let with_derived = pinned.name == derived::VERSION;
        let samples = corpus(&spec.prepare(pinned).unwrap_or_else(|e| panic!("{e}")), &pinned.name, with_derived);
        assert!(
            !with_derived || samples.iter().any(|s| s.derived.is_some()),
            "the derived baseline of {} decodes none of its examples",
            pinned.name
        );
        report(&pinned.name, &samples, rounds, full);
        if std::env::var_os("INTERCOM_BENCH_WORST").is_some() {
            worst(&samples);
        }
        if std::env::var_os("INTERCOM_BENCH_COLD").is_some() {
            cold(&samples, rounds);
        }
    }
}

fn report(version: &str, samples: &[Sample], rounds: usize, full: bool) {
    let bytes: usize = samples.iter().map(|s| s.bytes.len()).sum();
    let derived: Vec<&Sample> = samples.iter().filter(|s| s.derived.is_some()).collect();
    let derived_bytes: usize = derived.iter().map(|s| s.bytes.len()).sum();
    let (mut typed_t, mut value_t, mut typed_on_derived_t, mut derived_t) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let (mut typed_as_text_t, mut value_as_text_t) = (Vec::new(), Vec::new());
    let (mut floor_t, mut owned_floor_t) = (Vec::new(), Vec::new());
    // The same pass split into request and response examples, to show which part loses.
    let parts: [Vec<&Sample>; 2] =
        [true, false].map(|request| samples.iter().filter(|s| s.is_request == request).collect());
    let mut part_t: [(Vec<f64>, Vec<f64>); 2] = Default::default();
    for _ in 0..rounds {
        typed_t.push(time(|| samples.iter().all(|s| (s.typed)(black_box(&s.bytes)))));
        value_t.push(time(|| samples.iter().all(|s| value_decodes(black_box(&s.bytes)))));
        typed_as_text_t.push(time(|| samples.iter().all(|s| (s.typed_as_text)(black_box(&s.bytes)))));
        value_as_text_t.push(time(|| samples.iter().all(|s| value_decodes_as_text(black_box(&s.bytes)))));
        floor_t.push(time(|| samples.iter().all(|s| skips(black_box(&s.bytes)))));
        owned_floor_t.push(time(|| samples.iter().all(|s| owns_strings(black_box(&s.bytes)))));
        for (part, (typed, value)) in parts.iter().zip(&mut part_t) {
            typed.push(time(|| part.iter().all(|s| (s.typed)(black_box(&s.bytes)))));
            value.push(time(|| part.iter().all(|s| value_decodes(black_box(&s.bytes)))));
        }
        if !derived.is_empty() {
            typed_on_derived_t.push(time(|| derived.iter().all(|s| (s.typed)(black_box(&s.bytes)))));
            derived_t.push(time(|| derived.iter().all(|s| (s.derived.expect("filtered"))(black_box(&s.bytes)))));
        }
    }
    let (typed, value) = (median(typed_t), median(value_t));
    let mb = |t: f64, n: usize| n as f64 / t / 1e6;
    println!(
        "  {version:<5} {} examples, {bytes} bytes: typed {:.0} MB/s, Value {:.0} MB/s, typed/Value {:.2}x",
        samples.len(),
        mb(typed, bytes),
        mb(value, bytes),
        value / typed
    );
    let (typed_as_text, value_as_text) = (median(typed_as_text_t), median(value_as_text_t));
    println!(
        "        both as text (as the client decodes): typed {:.0} MB/s, Value {:.0} MB/s, typed/Value {:.2}x; typed as text/from bytes {:.2}x",
        mb(typed_as_text, bytes),
        mb(value_as_text, bytes),
        value_as_text / typed_as_text,
        typed / typed_as_text
    );
    let (floor, owned_floor) = (median(floor_t), median(owned_floor_t));
    println!(
        "        parser floor (every member skipped, nothing built): {:.0} MB/s; Value takes {:.2}x the floor, typed {:.2}x",
        mb(floor, bytes),
        value / floor,
        typed / floor
    );
    println!(
        "        owned-strings floor (every string value copied out, nothing else built): {:.0} MB/s; Value takes {:.2}x it, typed {:.2}x",
        mb(owned_floor, bytes),
        value / owned_floor,
        typed / owned_floor
    );
    for ((part, (typed, value)), label) in parts.iter().zip(part_t).zip(["requests", "responses"]) {
        if part.is_empty() {
            continue;
        }
        let part_bytes: usize = part.iter().map(|s| s.bytes.len()).sum();
        let (typed, value) = (median(typed), median(value));
        println!(
            "        {label}: {} examples, {part_bytes} bytes: typed {:.0} MB/s, Value {:.0} MB/s, typed/Value {:.2}x",
            part.len(),
            mb(typed, part_bytes),
            mb(value, part_bytes),
            value / typed
        );
    }
    if full {
        let met = if value / typed >= TARGET_OVER_VALUE { "met" } else { "not met" };
        println!("summary\t3 corpus\tdecode {version}: {} examples, typed\tValue {:.0} MB/s\t{:.0} MB/s\t{:.2}x\t>= {TARGET_OVER_VALUE:.1}x\t{met}", samples.len(), mb(value, bytes), mb(typed, bytes), value / typed);
        let met = if value_as_text / typed_as_text >= TARGET_OVER_VALUE { "met" } else { "not met" };
        println!("summary\t3 corpus\tdecode {version} as text: {} examples, typed\tValue as text {:.0} MB/s\t{:.0} MB/s\t{:.2}x\t>= {TARGET_OVER_VALUE:.1}x\t{met}", samples.len(), mb(value_as_text, bytes), mb(typed_as_text, bytes), value_as_text / typed_as_text);
    }
    if !derived.is_empty() {
        let (typed, derived_median) = (median(typed_on_derived_t), median(derived_t));
        println!(
            "  {version:<5} {} examples the derived baseline decodes, {derived_bytes} bytes: typed {:.0} MB/s, derived {:.0} MB/s, typed/derived {:.2}x",
            derived.len(),
            mb(typed, derived_bytes),
            mb(derived_median, derived_bytes),
            derived_median / typed
        );
        if full {
            let met = if derived_median / typed >= 1.0 { "met" } else { "not met" };
            println!(
                "summary\t3 corpus\tdecode {version}: {} examples, typed\tserde-derived {:.0} MB/s\t{:.0} MB/s\t{:.2}x\t>= 1.0x\t{met}",
                derived.len(),
                mb(derived_median, derived_bytes),
                mb(typed, derived_bytes),
                derived_median / typed
            );
        }
    }
}

/// Each example timed on its own, repeated (warm caches; a diagnosis aid, not a benchmark).
fn worst(samples: &[Sample]) {
    const REPEATS: u32 = 200;
    let per_decode = |decode: &dyn Fn() -> bool| {
        median((0..15).map(|_| time(|| (0..REPEATS).all(|_| decode()))).collect()) / f64::from(REPEATS)
    };
    let rows = samples
        .iter()
        .map(|s| {
            (per_decode(&|| (s.typed)(black_box(&s.bytes))), per_decode(&|| value_decodes(black_box(&s.bytes))), s)
        })
        .collect();
    losses("warm", rows);
}

/// Each example timed on its own inside a pass over the whole corpus, as that pass meets it: after
/// every other model's code and data, not after itself (a diagnosis aid, not a benchmark). What the
/// pass pays on top of the per-example warm times of [`worst`] is the cost of running one model
/// after another.
fn cold(samples: &[Sample], rounds: usize) {
    let pass = |decode: &dyn Fn(&Sample) -> bool, times: &mut [Vec<f64>]| {
        for (sample, times) in samples.iter().zip(times.iter_mut()) {
            let start = Instant::now();
            assert!(decode(sample), "a corpus sample failed to decode");
            times.push(start.elapsed().as_secs_f64());
        }
    };
    let (mut typed, mut value) = (vec![Vec::new(); samples.len()], vec![Vec::new(); samples.len()]);
    for _ in 0..rounds {
        pass(&|s| (s.typed)(black_box(&s.bytes)), &mut typed);
        pass(&|s| value_decodes(black_box(&s.bytes)), &mut value);
    }
    let rows = typed.into_iter().zip(value).zip(samples).map(|((t, v), s)| (median(t), median(v), s)).collect();
    losses("cold", rows);
}

/// Prints, for per-example times `(typed, Value, example)` in seconds, their sums over every
/// example, the requests and the responses, then the 25 examples with the largest excess over
/// half the `Value` time: where the 2x target is lost.
fn losses(label: &str, mut rows: Vec<(f64, f64, &Sample)>) {
    for (part, request) in [("every example", None), ("requests", Some(true)), ("responses", Some(false))] {
        let rows = rows.iter().filter(|r| request.is_none() || request == Some(r.2.is_request));
        let (t, v) = rows.fold((0.0, 0.0), |(t, v), r| (t + r.0, v + r.1));
        println!(
            "    {label}, {part}: sum of per-sample medians: typed {:.1} µs, Value {:.1} µs, typed/Value {:.2}x",
            t * 1e6,
            v * 1e6,
            v / t
        );
    }
    rows.sort_by(|a, b| (b.0 - b.1 / 2.0).total_cmp(&(a.0 - a.1 / 2.0)));
    for (typed, value, s) in rows.iter().take(25) {
        let part = if s.is_request { "request" } else { "response" };
        println!(
            "    {:.2}x  {:>7.1} µs  {:>6} bytes  {} ({part})",
            value / typed,
            typed * 1e6,
            s.bytes.len(),
            s.type_name
        );
    }
}

/// Seconds one pass takes; the pass must succeed (every sample decodes).
fn time(pass: impl Fn() -> bool) -> f64 {
    let start = Instant::now();
    assert!(pass(), "a corpus sample failed to decode");
    start.elapsed().as_secs_f64()
}

/// Every example of a version with a named model that the typed model decodes strictly.
fn corpus(prepared: &intercom_codegen::Prepared, version: &str, with_derived: bool) -> Vec<Sample> {
    let (cases, _) = intercom_codegen::conformance::cases(prepared);
    cases
        .into_iter()
        .filter_map(|case| {
            let bytes = serde_json::to_vec(&case.value).expect("a JSON tree serializes");
            let (typed, typed_as_text) = versions::visit(version, &case.type_name, DecoderOf)?;
            let derived = if with_derived { derived_decoder(&case.type_name).filter(|d| d(&bytes)) } else { None };
            typed(&bytes).then_some(Sample {
                type_name: case.type_name,
                is_request: case.is_request,
                bytes,
                typed,
                typed_as_text,
                derived,
            })
        })
        .collect()
}

fn derived_decoder(type_name: &str) -> Option<Decode> {
    derived::visit(type_name, DecoderOf).map(|(from_bytes, _)| from_bytes)
}
