//! Client overhead: requests per second of a typed call through [`intercom_api::Client`] against a
//! bare `reqwest` call to the same URL, both against a server on 127.0.0.1 that this benchmark
//! starts and stops (see `loopback`), answering with the 2.11 description's own examples.
//!
//! Three ways to make the same request, all through one `reqwest::Client` (so one pooled
//! keep-alive connection):
//! - `bare`: reqwest sends the request and reads the body bytes (the baseline);
//! - `bare+serde`: the same, then `serde_json::from_slice` into the same model the typed call
//!   returns, so the SDK's own plumbing can be told apart from the cost of decoding;
//! - `typed`: `client.call(operation).await`.
//!
//! `cargo bench -p intercom-api --bench client` measures; without `--bench` (under `cargo test`) a
//! few requests of each kind check that everything works. Request counts are fixed, never open-ended.
//! Each round runs every kind back to back in a rotating order and ratios are taken within a round,
//! so a busy spell on the machine hits all kinds alike.

mod common;
mod loopback;
#[path = "../tests/support/spec.rs"]
mod spec;

use std::collections::BTreeMap;
use std::time::Instant;

use intercom_api::runtime::Operation;
use intercom_api::v2_11::models::{AdminWithApp, ContactList};
use intercom_api::v2_11::operations::{IdentifyAdmin, ListContacts};
use intercom_codegen::median;
use serde::de::DeserializeOwned;

const TOKEN: &str = "bench-token";
/// Rounds in a real run; `INTERCOM_BENCH_ROUNDS` overrides.
const DEFAULT_ROUNDS: usize = 15;
/// Contacts in the `/contacts` response (the API's default page is 15, its maximum 150).
const PAGE_SIZE: usize = 50;
/// The target: a typed call within 5% of a bare one.
const TARGET_SLOWDOWN: f64 = 0.05;

struct Plan {
    warmup: usize,
    rounds: usize,
    per_round: usize,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Bare,
    BareSerde,
    Typed,
}

const KINDS: [Kind; 3] = [Kind::Bare, Kind::BareSerde, Kind::Typed];

fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let rounds = std::env::var("INTERCOM_BENCH_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|&n| n > 0)
        .unwrap_or(DEFAULT_ROUNDS);
    let plan =
        if full { Plan { warmup: 300, rounds, per_round: 300 } } else { Plan { warmup: 2, rounds: 1, per_round: 5 } };
    let examples = common::largest_response_examples();
    let routes = BTreeMap::from([
        ("/me".to_string(), common::example(&examples, "AdminWithApp").to_vec()),
        ("/contacts".to_string(), common::contact_page(&examples, PAGE_SIZE)),
    ]);
    let sizes: Vec<(String, usize)> = routes.iter().map(|(k, v)| (k.clone(), v.len())).collect();
    let routes_copy = routes.clone();
    let server = loopback::Server::start(routes);
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("tokio runtime");
    let http = reqwest::Client::new();
    let client = intercom_api::Client::builder(TOKEN).base_url(server.base_url()).http_client(http.clone()).build();
    println!(
        "client: 127.0.0.1, one keep-alive connection, {} rounds x {} requests per kind, medians{}",
        plan.rounds,
        plan.per_round,
        if full { "" } else { " (smoke mode: pass --bench to measure)" }
    );
    println!(
        "{:<28} {:>12} {:>12} {:>12} {:>11}",
        "GET (response bytes)", "bare req/s", "+serde req/s", "typed req/s", "typed/bare"
    );
    let mut summary = Vec::new();
    for (path, bytes) in &sizes {
        let label = format!("{path} ({bytes} B)");
        let r = match path.as_str() {
            "/me" => {
                runtime.block_on(measure::<IdentifyAdmin, AdminWithApp>(&plan, &http, &client, IdentifyAdmin::new))
            }
            _ => runtime.block_on(measure::<ListContacts, ContactList>(&plan, &http, &client, ListContacts::new)),
        };
        println!("{:<28} {:>12.0} {:>12.0} {:>12.0} {:>10.3}x", label, r.rps[0], r.rps[1], r.rps[2], r.typed_over_bare);
        summary.push((path.clone(), label, r));
    }
    // After all I/O, so that no pooled connection sits idle in the middle of a measurement.
    println!("the SDK's own work per call, without I/O (medians):");
    for (path, label, r) in &summary {
        let body = &routes_copy[path];
        let cpu = match path.as_str() {
            "/me" => sdk_cpu(&plan, &client, IdentifyAdmin::new, body),
            _ => sdk_cpu(&plan, &client, ListContacts::new, body),
        };
        println!(
            "  {label}: bare request {:.1} µs; SDK CPU per call: build request {:.2} µs, parse_response {:.2} µs (of which plain serde_json::from_slice {:.2} µs)",
            1e6 / r.rps[0],
            cpu.build_us,
            cpu.parse_us,
            cpu.plain_decode_us
        );
    }
    // Connections close with the clients; only then can the server's threads finish.
    drop(client);
    drop(http);
    drop(runtime);
    drop(server);
    if full {
        for (_, label, r) in summary {
            let slowdown = 1.0 - r.typed_over_bare;
            let met = if slowdown <= TARGET_SLOWDOWN { "met" } else { "not met" };
            // One line per operation for `cargo xtask bench`: item, what, baseline, candidate, ratio, target, verdict.
            println!(
                "summary\t4 client\ttyped call GET {label}\tbare reqwest {:.0} req/s\t{:.0} req/s\t{:.3}x\t>= {:.2}x\t{met}",
                r.rps[0],
                r.rps[2],
                r.typed_over_bare,
                1.0 - TARGET_SLOWDOWN
            );
        }
    }
}

struct Measured {
    /// Median requests per second of each kind, in [`KINDS`] order.
    rps: [f64; 3],
    /// Median over rounds of typed req/s divided by bare req/s.
    typed_over_bare: f64,
}

async fn measure<O, M>(plan: &Plan, http: &reqwest::Client, client: &intercom_api::Client, op: fn() -> O) -> Measured
where
    O: Operation<Output = M> + Send + Sync + 'static,
    M: DeserializeOwned + Send,
{
    let url = format!("{}{}", client.base_url(), O::PATH);
    for kind in KINDS {
        run::<O, M>(kind, plan.warmup, http, client, &url, op).await;
    }
    let mut per_kind: [Vec<f64>; 3] = Default::default();
    let mut ratios = Vec::new();
    for round in 0..plan.rounds {
        let mut rps = [0.0; 3];
        for step in 0..KINDS.len() {
            let i = (round + step) % KINDS.len();
            let start = Instant::now();
            run::<O, M>(KINDS[i], plan.per_round, http, client, &url, op).await;
            rps[i] = plan.per_round as f64 / start.elapsed().as_secs_f64();
            per_kind[i].push(rps[i]);
        }
        ratios.push(rps[2] / rps[0]);
    }
    Measured { rps: per_kind.map(median), typed_over_bare: median(ratios) }
}

/// `count` sequential requests of one kind; every response must be a 200 that reads (and, where the
/// kind decodes, decodes) completely.
async fn run<O, M>(
    kind: Kind,
    count: usize,
    http: &reqwest::Client,
    client: &intercom_api::Client,
    url: &str,
    op: fn() -> O,
) where
    O: Operation<Output = M> + Send + Sync + 'static,
    M: DeserializeOwned + Send,
{
    for _ in 0..count {
        match kind {
            Kind::Typed => {
                std::hint::black_box(client.call(op()).await.expect("typed call succeeds"));
            }
            Kind::Bare | Kind::BareSerde => {
                let response = http
                    .get(url)
                    .bearer_auth(TOKEN)
                    .header("Intercom-Version", O::VERSION)
                    .header("Accept", "application/json")
                    .send()
                    .await
                    .expect("bare request succeeds");
                assert_eq!(response.status(), 200, "{url}");
                let body = response.bytes().await.expect("body reads");
                if kind == Kind::BareSerde {
                    std::hint::black_box(serde_json::from_slice::<M>(&body).expect("body decodes"));
                } else {
                    std::hint::black_box(body);
                }
            }
        }
    }
}

struct SdkCpu {
    build_us: f64,
    parse_us: f64,
    plain_decode_us: f64,
}

/// The CPU the typed call adds around the I/O, timed without any I/O, through the public sans-IO
/// path: building the request (`request_for` and the conversion to `reqwest::Request`) and
/// `parse_response` on the same body (copied into an owned `Vec`), next to a plain
/// `serde_json::from_slice` of that body into the same model. An upper bound: the client itself
/// builds the `reqwest::Request` without the `http::Uri` step and decodes without the copy.
fn sdk_cpu<O>(plan: &Plan, client: &intercom_api::Client, op: fn() -> O, body: &[u8]) -> SdkCpu
where
    O: Operation,
{
    let iterations = plan.per_round;
    let per_call = |f: &mut dyn FnMut()| {
        let runs: Vec<f64> = (0..plan.rounds.min(5))
            .map(|_| {
                let start = Instant::now();
                for _ in 0..iterations {
                    f();
                }
                start.elapsed().as_secs_f64() * 1e6 / iterations as f64
            })
            .collect();
        median(runs)
    };
    let build_us = per_call(&mut || {
        let request = client.request_for(&op()).expect("request builds");
        std::hint::black_box(reqwest::Request::try_from(request).expect("reqwest takes it"));
    });
    let parse_us = per_call(&mut || {
        let response = http::Response::builder()
            .status(200)
            .header("content-type", "application/json")
            .body(body.to_vec())
            .expect("response builds");
        std::hint::black_box(intercom_api::runtime::parse_response::<O>(response).expect("body decodes"));
    });
    let plain_decode_us = per_call(&mut || {
        std::hint::black_box(serde_json::from_slice::<O::Output>(body).expect("body decodes"));
    });
    SdkCpu { build_us, parse_us, plain_decode_us }
}
