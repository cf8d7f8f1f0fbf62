//! What one drifted member costs (issue 28, item 2): a large `ContactList` decoded through the
//! client's own decoding (`decode_success_with`) clean, with one member of its last contact of the
//! wrong JSON type (lenient: kept raw, reported), and the same body in strict mode (an error
//! naming the path). Each is measured for peak heap growth during the decode (a counting global
//! allocator: exact, unlike resident memory) and for time, and reported as ratios to the clean
//! decode of the same run.
//!
//! `cargo bench -p intercom-api --features v2_11 --bench drift` measures a page of about 50 MB
//! (`INTERCOM_BENCH_MB` chooses another size). Under `cargo test` it runs once on about 1 MB,
//! which checks that every case decodes as described, without timing anything.

mod common;
#[path = "../tests/support/spec.rs"]
mod spec;

#[path = "../tests/support/counting_alloc.rs"]
mod counting_alloc;
#[path = "../tests/support/small_contact.rs"]
mod small_contact;

use std::time::{Duration, Instant};

use http::StatusCode;
use intercom_api::runtime::operation::decode_success_with;
use intercom_api::runtime::{Decoding, Error, SuccessBody};
use intercom_api::v2_11::models::{
    ArticleTranslatedContent, Company, Contact, ContactAvatar, ContactCompanies, ContactList, ContactLocation,
    ContactNotes, ContactSocialProfiles, ContactSubscriptionTypes, ContactTags, Conversation, ConversationListItem,
    DataExportCsv, GroupTranslatedContent, Ticket, Visitor,
};
use serde_json::Value;
use small_contact::small_contact;

/// Runs `f` and returns its result, what it cost in memory (the counting allocator's, on this
/// thread: peak heap growth over what was live before, and all bytes allocated), and the time.
fn measure<R>(f: impl FnOnce() -> R) -> (R, counting_alloc::Cost, Duration) {
    let started = Instant::now();
    let (result, cost) = counting_alloc::cost_of(f);
    (result, cost, started.elapsed())
}

fn decode(body: &[u8], decoding: Decoding) -> Result<ContactList, Error> {
    decode_success_with::<ContactList>(SuccessBody::Json, StatusCode::OK, body, decoding).map(|d| d.value)
}

/// The same page with the last contact's `name` a number: one drifted member, as far from the
/// start as it can be.
fn drifted(clean: &[u8]) -> Vec<u8> {
    let mut page: Value = serde_json::from_slice(clean).expect("the page is JSON");
    let data = page["data"].as_array_mut().expect("a list of contacts");
    let last = data.last_mut().expect("at least one contact");
    last["name"] = Value::from(12345);
    serde_json::to_vec(&page).expect("a JSON tree serializes")
}

struct Case {
    what: &'static str,
    peak: usize,
    allocated: usize,
    time: Duration,
}

/// A page of `count` small contacts, the description's `ContactList` example around them.
fn small_page(examples: &std::collections::BTreeMap<String, Vec<u8>>, count: usize) -> Vec<u8> {
    let mut page: Value = serde_json::from_slice(common::example(examples, "ContactList")).expect("example is JSON");
    page["data"] = Value::Array((0..count).map(small_contact).collect());
    page["total_count"] = Value::from(count);
    serde_json::to_vec(&page).expect("a JSON tree serializes")
}

fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let megabytes: usize = std::env::var("INTERCOM_BENCH_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|&n: &usize| n >= 1)
        .unwrap_or(if full { 50 } else { 1 });
    let rounds = if full { 3 } else { 1 };
    let examples = common::largest_response_examples();
    println!(
        "drift: size_of::<Contact>() = {} bytes, size_of::<ContactList>() = {} bytes{}",
        std::mem::size_of::<Contact>(),
        std::mem::size_of::<ContactList>(),
        if full { "" } else { " (smoke mode: pass --bench to measure)" }
    );
    print_sizes();
    let contact_len = common::example(&examples, "Contact").len();
    let example_page = common::contact_page(&examples, (megabytes << 20) / contact_len + 1);
    pages("example contacts", &example_page, rounds);
    let small_len = serde_json::to_vec(&small_contact(0)).expect("a JSON tree serializes").len();
    let small = small_page(&examples, (megabytes << 20) / small_len + 1);
    pages("small contacts", &small, rounds);
}

/// `size_of` of the 2.11 models with the most members, and of the structs a `Contact` holds
/// inline (each an `Option<T>` member): what a decoded list costs per item before any string.
fn print_sizes() {
    macro_rules! sizes {
        ($($t:ty),* $(,)?) => { [$((stringify!($t), std::mem::size_of::<$t>(), std::mem::size_of::<Option<$t>>())),*] };
    }
    let largest = sizes![
        Contact,
        GroupTranslatedContent,
        ArticleTranslatedContent,
        Visitor,
        Conversation,
        ConversationListItem,
        DataExportCsv,
        Ticket,
        Company,
    ];
    let inside_contact = sizes![
        ContactAvatar,
        ContactTags,
        ContactNotes,
        ContactCompanies,
        ContactLocation,
        ContactSocialProfiles,
        ContactSubscriptionTypes,
    ];
    println!("\nsize_of (2.11):");
    for (name, size, optional) in largest.iter().chain(&inside_contact) {
        println!("  {name:<28} {size:>6} bytes   Option<_>: {optional:>6}");
        println!("summary\t8 drift\tsize_of::<{name}>()\t\t{size} bytes\t\t\t\t");
    }
}

/// Measures one page clean, drifted leniently and drifted strictly, and prints the table.
fn pages(shape: &str, clean: &[u8], rounds: usize) {
    let drift = drifted(clean);
    let count = serde_json::from_slice::<Value>(clean).expect("JSON")["data"].as_array().map_or(0, Vec::len);
    let last = count - 1;
    println!("\n{shape}: ContactList of {count} contacts, {:.1} MB", clean.len() as f64 / 1e6);

    let mut cases = Vec::new();
    let mut run = |what: &'static str, body: &[u8], decoding: Decoding, check: &dyn Fn(Result<ContactList, Error>)| {
        let mut peaks = Vec::new();
        let mut allocated = Vec::new();
        let mut times = Vec::new();
        for _ in 0..rounds {
            let (result, cost, time) = measure(|| decode(body, decoding));
            // Dropped outside the measured span: freeing is not the decode's cost.
            check(result);
            peaks.push(cost.peak);
            allocated.push(cost.total);
            times.push(time);
        }
        times.sort();
        peaks.sort();
        allocated.sort();
        let middle = rounds / 2;
        cases.push(Case { what, peak: peaks[middle], allocated: allocated[middle], time: times[middle] });
    };
    run("clean, lenient (the default)", clean, Decoding::Lenient, &|r| {
        let list = r.expect("the clean page decodes");
        assert_eq!(list.data.as_ref().map(Vec::len), Some(count));
    });
    run("one drifted member, lenient", &drift, Decoding::Lenient, &|r| {
        let list = r.expect("a drifted member is kept raw, not an error");
        let data = list.data.expect("the contacts");
        assert_eq!(data.len(), count);
        assert_eq!(data[last].name, None);
        assert_eq!(data[last].extra_.get("name"), Some(&Value::from(12345)));
    });
    run("one drifted member, strict", &drift, Decoding::Strict, &|r| match r {
        Err(Error::Decode { path, .. }) => assert_eq!(path, format!("data[{last}].name")),
        other => panic!("expected a decode error, got {:?}", other.map(|_| "a list")),
    });

    let body = clean.len() as f64;
    let (base_peak, base_time) = (cases[0].peak as f64, cases[0].time.as_secs_f64());
    println!(
        "{:<32} {:>12} {:>10} {:>11} {:>14} {:>10} {:>11}",
        "case", "peak +MB", "x body", "x clean", "allocated MB", "ms", "x clean"
    );
    for c in &cases {
        println!(
            "{:<32} {:>12.1} {:>10.2} {:>11.2} {:>14.1} {:>10.1} {:>11.2}",
            c.what,
            c.peak as f64 / 1e6,
            c.peak as f64 / body,
            c.peak as f64 / base_peak,
            c.allocated as f64 / 1e6,
            c.time.as_secs_f64() * 1e3,
            c.time.as_secs_f64() / base_time
        );
    }
    for c in &cases[1..] {
        println!(
            "summary\t8 drift\t{shape}: {}\tclean: +{:.0} MB, {:.0} ms\t+{:.0} MB, {:.0} ms\tmemory {:.2}x, time {:.2}x\t<= 1.25x\t{}",
            c.what,
            base_peak / 1e6,
            base_time * 1e3,
            c.peak as f64 / 1e6,
            c.time.as_secs_f64() * 1e3,
            c.peak as f64 / base_peak,
            c.time.as_secs_f64() / base_time,
            if c.peak as f64 <= 1.25 * base_peak && c.time.as_secs_f64() <= 1.25 * base_time { "met" } else { "not met" }
        );
    }
    // A strict decode that fails frees what it had built before it returns; a clean decode's
    // result is freed later, by its user. The same work on both sides: the clean decode with its
    // result dropped inside the span.
    let mut with_drop: Vec<Duration> = (0..rounds)
        .map(|_| {
            let started = Instant::now();
            drop(decode(clean, Decoding::Strict).expect("the clean page decodes"));
            started.elapsed()
        })
        .collect();
    with_drop.sort();
    let with_drop = with_drop[rounds / 2].as_secs_f64();
    let strict = cases[2].time.as_secs_f64();
    println!(
        "clean decode and dropping its result: {:.1} ms; the strict drifted decode is {:.2}x that",
        with_drop * 1e3,
        strict / with_drop
    );
    println!(
        "summary\t8 drift\t{shape}: strict drifted decode against a clean one whose result is freed too\tclean + drop: {:.0} ms\t{:.0} ms\t{:.2}x\t<= 1.25x\t{}",
        with_drop * 1e3,
        strict * 1e3,
        strict / with_drop,
        if strict <= 1.25 * with_drop { "met" } else { "not met" }
    );
    // The least a second reading of the text can cost: serde_json reading the whole body without
    // building anything (`IgnoredAny`, its fastest reading). The lenient pass after a strict one
    // skips the items the strict pass decoded this way, so a drifted lenient decode costs at
    // least the clean decode plus about this much.
    let mut skips: Vec<Duration> = (0..rounds)
        .map(|_| {
            let started = Instant::now();
            let text = std::str::from_utf8(clean).expect("the page is UTF-8");
            serde_json::from_str::<serde::de::IgnoredAny>(text).expect("the page is JSON");
            started.elapsed()
        })
        .collect();
    skips.sort();
    let skip = skips[rounds / 2].as_secs_f64();
    println!(
        "reading the body without building anything (IgnoredAny): {:.1} ms, {:.2}x the clean decode",
        skip * 1e3,
        skip / base_time
    );
    println!(
        "summary\t8 drift\t{shape}: reading the body without decoding\tclean: {:.0} ms\t{:.0} ms\t{:.2}x\t—\tmeasured (floor of a second reading)",
        base_time * 1e3,
        skip * 1e3,
        skip / base_time
    );
    println!(
        "summary\t8 drift\t{shape}: clean decode memory\t{:.1} MB body\t+{:.0} MB\t{:.2}x the body\t<= 8x\t{}",
        body / 1e6,
        base_peak / 1e6,
        base_peak / body,
        if base_peak <= 8.0 * body { "met" } else { "not met" }
    );
}
