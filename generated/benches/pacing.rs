//! Pacing under load (issue 24, item 5): concurrent tasks sharing one [`intercom_api::Client`]
//! against a server on 127.0.0.1 that enforces a rate-limit window the way Intercom documents it
//! (a fixed allowance per window, `X-RateLimit-Limit` / `-Remaining` / `-Reset` on every answer,
//! `429` with `rate_limit_exceeded` beyond the allowance), with pacing on and off.
//!
//! Intercom's window is 10 s with 166 calls (1,000 per minute); here the same 166 calls are
//! allowed per 1-second window (time scaled down 10x, so a run takes seconds, not minutes).
//! Windows start at whole Unix seconds, so `X-RateLimit-Reset` (whole seconds) is exact, as on
//! Intercom where the reset moves 10 s at a time.
//!
//! Per run: 429s received, calls that failed after retries, achieved throughput as a fraction of
//! the enforced limit, p50/p99 latency of a call (pacing waits and retries included), and the
//! process's peak resident memory during the run (`VmHWM`, reset before each run).
//!
//! `cargo bench -p intercom-api --features v2_11,client --bench pacing` measures (20,000 calls
//! per run unless `INTERCOM_BENCH_CALLS` says otherwise); without `--bench` (under `cargo test`)
//! one small run of each mode checks that everything works.

mod loopback;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use futures_util::StreamExt;
use intercom_api::runtime::Pacing;

/// Calls allowed per window: Intercom's 166 per 10 s.
const LIMIT: u64 = 166;
/// The window, scaled down from Intercom's 10 s.
const WINDOW: Duration = Duration::from_secs(1);
const ME: &[u8] = br#"{"type":"admin","id":"991","name":"Ada","email":"ada@example.com"}"#;
const RATE_LIMITED: &[u8] =
    br#"{"type":"error.list","errors":[{"code":"rate_limit_exceeded","message":"Exceeded rate limit"}]}"#;

/// What the server counted.
#[derive(Default)]
struct Counts {
    accepted: AtomicU64,
    rejected: AtomicU64,
}

/// The window in force: its index (Unix time / window) and the calls it accepted.
#[derive(Default)]
struct Window {
    index: u128,
    used: u64,
}

fn start_server(counts: Arc<Counts>) -> loopback::Server {
    let window = Mutex::new(Window::default());
    loopback::Server::start_with(Arc::new(move |_path: &str| {
        let now = SystemTime::now().duration_since(UNIX_EPOCH).expect("after 1970");
        let index = now.as_nanos() / WINDOW.as_nanos();
        let accepted = {
            let mut window = window.lock().expect("window lock");
            if window.index != index {
                *window = Window { index, used: 0 };
            }
            let accepted = window.used < LIMIT;
            window.used += u64::from(accepted);
            accepted.then_some(LIMIT - window.used)
        };
        let reset_nanos = (index + 1) * WINDOW.as_nanos();
        let reset = reset_nanos.div_ceil(1_000_000_000);
        let headers = |remaining: u64| {
            [
                ("x-ratelimit-limit", LIMIT.to_string()),
                ("x-ratelimit-remaining", remaining.to_string()),
                ("x-ratelimit-reset", reset.to_string()),
            ]
        };
        match accepted {
            Some(remaining) => {
                counts.accepted.fetch_add(1, Ordering::Relaxed);
                loopback::respond("200 OK", &headers(remaining), ME)
            }
            None => {
                counts.rejected.fetch_add(1, Ordering::Relaxed);
                loopback::respond("429 Too Many Requests", &headers(0), RATE_LIMITED)
            }
        }
    }))
}

struct Run {
    rejected: u64,
    failed: usize,
    throughput: f64,
    p50: Duration,
    p99: Duration,
    peak_mib: Option<f64>,
    seconds: f64,
}

/// Resets the process's peak resident set (Linux: `clear_refs` 5), so `VmHWM` covers one run.
fn reset_peak_memory() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

fn peak_memory_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

/// Waits for the start of the next window, so every run starts with a full one.
fn align_to_window() {
    let now = SystemTime::now().duration_since(UNIX_EPOCH).expect("after 1970");
    let into = Duration::from_nanos((now.as_nanos() % WINDOW.as_nanos()) as u64);
    std::thread::sleep(WINDOW - into);
}

/// One run on a runtime of its own: dropping the runtime afterwards closes the client's pooled
/// connections, so the server's connection threads end (and the server can be dropped) at once.
fn run(tasks: usize, calls: usize, pacing: Pacing) -> Run {
    let counts = Arc::new(Counts::default());
    let server = start_server(Arc::clone(&counts));
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("tokio runtime");
    let mut run = runtime.block_on(calls_through_one_client(&server, tasks, calls, pacing));
    drop(runtime);
    drop(server);
    run.rejected = counts.rejected.load(Ordering::Relaxed);
    let limit_per_second = LIMIT as f64 / WINDOW.as_secs_f64();
    run.throughput = counts.accepted.load(Ordering::Relaxed) as f64 / run.seconds / limit_per_second;
    run
}

async fn calls_through_one_client(server: &loopback::Server, tasks: usize, calls: usize, pacing: Pacing) -> Run {
    let client = intercom_api::Client::builder("bench-token").base_url(server.base_url()).pacing(pacing).build();
    align_to_window();
    reset_peak_memory();
    let latencies = Mutex::new(Vec::with_capacity(calls));
    let failed = AtomicU64::new(0);
    let start = Instant::now();
    futures_util::stream::iter(0..calls)
        .for_each_concurrent(tasks, |_| {
            let (client, latencies, failed) = (&client, &latencies, &failed);
            async move {
                let began = Instant::now();
                if client.v2_11().admins().identify_admin().await.is_err() {
                    failed.fetch_add(1, Ordering::Relaxed);
                }
                latencies.lock().expect("latencies lock").push(began.elapsed());
            }
        })
        .await;
    let seconds = start.elapsed().as_secs_f64();
    let peak_mib = peak_memory_mib();
    drop(client);
    let mut latencies = latencies.into_inner().expect("latencies");
    latencies.sort_unstable();
    let at = |q: f64| latencies[((latencies.len() - 1) as f64 * q).round() as usize];
    Run {
        rejected: 0,
        failed: failed.into_inner() as usize,
        throughput: 0.0,
        p50: at(0.5),
        p99: at(0.99),
        peak_mib,
        seconds,
    }
}

fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let calls = std::env::var("INTERCOM_BENCH_CALLS")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|&n: &usize| n > 0)
        .unwrap_or(if full { 20_000 } else { 40 });
    let concurrency: &[usize] = if full { &[1, 8, 32, 128] } else { &[8] };
    println!(
        "pacing: {LIMIT} calls per {:?} window on 127.0.0.1, {calls} calls per run{}",
        WINDOW,
        if full { "" } else { " (smoke mode: pass --bench to measure)" }
    );
    println!(
        "{:<7} {:>5} {:>7} {:>6} {:>7} {:>7} {:>11} {:>11} {:>9} {:>8}",
        "pacing", "tasks", "429s", "429 %", "failed", "of lim", "p50", "p99", "peak MiB", "seconds"
    );
    let mut goal_met = None;
    // Over the runs with pacing on: the worst of each goal's measure; off: the most 429s.
    let (mut on_failed, mut on_worst_share, mut on_lowest_throughput) = (0usize, 0f64, f64::INFINITY);
    let mut off_worst_share: Option<f64> = None;
    // `INTERCOM_BENCH_PACING=on` (or `off`) runs one mode only.
    let only = std::env::var("INTERCOM_BENCH_PACING").ok();
    let modes = [("on", Pacing::default()), ("off", Pacing::off())];
    for (label, pacing) in modes.into_iter().filter(|(label, _)| only.as_deref().is_none_or(|o| o == *label)) {
        for &tasks in concurrency {
            let r = run(tasks, calls, pacing);
            let share = r.rejected as f64 / calls as f64;
            println!(
                "{label:<7} {tasks:>5} {:>7} {:>5.2}% {:>7} {:>6.1}% {:>11.1?} {:>11.1?} {:>9} {:>8.1}",
                r.rejected,
                share * 100.0,
                r.failed,
                r.throughput * 100.0,
                r.p50,
                r.p99,
                r.peak_mib.map_or("n/a".into(), |m| format!("{m:.1}")),
                r.seconds,
            );
            if label == "on" {
                let met = r.failed == 0 && share <= 0.005 && r.throughput >= 0.9;
                goal_met = Some(goal_met.unwrap_or(true) && met);
                on_failed += r.failed;
                on_worst_share = on_worst_share.max(share);
                on_lowest_throughput = on_lowest_throughput.min(r.throughput);
            } else {
                off_worst_share = Some(off_worst_share.unwrap_or(0.0).max(share));
            }
        }
    }
    if let Some(met) = goal_met {
        let verdict = if met { "met" } else { "NOT met" };
        println!("goal (pacing on: 0 failed, 429s <= 0.5% of calls, throughput >= 90% of the limit): {verdict}");
        // For `cargo xtask bench`'s table (xtask/src/bench.rs reads `summary` lines).
        let tasks: Vec<String> = concurrency.iter().map(usize::to_string).collect();
        let baseline = off_worst_share
            .map_or("pacing off: not run".into(), |s| format!("pacing off: up to {:.2}% 429s", s * 100.0));
        println!(
            "summary\t6 pacing\tpacing on, {} tasks, {calls} calls each\t{baseline}\t{on_failed} failed, up to {:.2}% 429s\tmin {:.1}% of limit\t0 failed, 429s <= 0.5%, >= 90% of limit\t{}",
            tasks.join("/"),
            on_worst_share * 100.0,
            on_lowest_throughput * 100.0,
            if met { "met" } else { "not met" },
        );
    }
}
