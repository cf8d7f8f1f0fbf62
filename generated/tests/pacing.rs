//! Pacing under Intercom's rate limit and the `max_in_flight` bound, on tokio's paused clock
//! against `client::testing::WindowedServer` (a scripted server enforcing a window with real
//! headers and 429s) and `MockTransport`: no sockets, no wall-clock sleeps, no timed assertions
//! (every time below is virtual time the client chose to wait).

#![cfg(all(feature = "test-util", feature = "v2_11"))]

use std::collections::BTreeMap;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use futures_util::StreamExt;
use intercom_api::client::testing::{MockTransport, Scripted, WindowedServer};
use intercom_api::runtime::{Pacing, RateLimit};
use intercom_api::Client;
use tokio::time::Instant;

const TOKEN: &str = "pacing-token";
const ME: &str = r#"{"type":"admin","id":"991","name":"Ada"}"#;
/// Intercom's default allowance per 10-second window (1,000 per minute / 6).
const LIMIT: u64 = 166;
const WINDOW: Duration = Duration::from_secs(10);

/// `calls` calls of `identifyAdmin`, `tasks` at a time, through clones of one client.
async fn run(client: &Client, calls: usize, tasks: usize) -> Vec<Result<(), intercom_api::Error>> {
    let results = std::sync::Mutex::new(Vec::new());
    futures_util::stream::iter(0..calls)
        .for_each_concurrent(tasks, |_| {
            let client = client.clone();
            let results = &results;
            async move {
                let outcome = client.v2_11().admins().identify_admin().await.map(drop);
                results.lock().unwrap().push(outcome);
            }
        })
        .await;
    results.into_inner().unwrap()
}

/// Requests per whole second of the server's clock.
fn per_second(arrivals: &[Duration]) -> BTreeMap<u64, u64> {
    let mut seconds = BTreeMap::new();
    for at in arrivals {
        *seconds.entry(at.as_secs()).or_default() += 1;
    }
    seconds
}

#[tokio::test(start_paused = true)]
async fn concurrent_tasks_stay_under_the_window_and_spread_their_requests() {
    for tasks in [1, 8, 32, 128] {
        let server = WindowedServer::new(LIMIT, WINDOW, ME);
        let client = Client::builder(TOKEN).transport(server.clone()).build();
        let calls = 4 * LIMIT as usize;
        let start = Instant::now();
        let results = run(&client, calls, tasks).await;
        assert!(results.iter().all(Result::is_ok), "{tasks} tasks");
        assert_eq!((server.rejected(), server.accepted()), (0, calls as u64), "{tasks} tasks: no 429 at all");
        assert!(server.busiest_window() <= LIMIT, "{tasks} tasks");
        // Spread, not spent at the start of each window and then stalled: after the first
        // window (whose first burst goes before anything is known), no second carries more than
        // twice its share of a window.
        let seconds = per_second(&server.arrivals());
        let busiest = seconds.range(WINDOW.as_secs()..).map(|(_, n)| *n).max().unwrap();
        assert!(busiest <= 2 * LIMIT / 10, "{tasks} tasks: {seconds:?}");
        // And the allowance is used: four windows' worth in at most five windows.
        assert!(start.elapsed() <= 5 * WINDOW, "{tasks} tasks: {:?}", start.elapsed());
        assert_eq!(client.rate_limit().limit, Some(LIMIT));
    }
}

#[tokio::test(start_paused = true)]
async fn without_pacing_the_same_work_runs_into_429s() {
    let server = WindowedServer::new(LIMIT, WINDOW, ME);
    let client = Client::builder(TOKEN).transport(server.clone()).pacing(Pacing::off()).build();
    let results = run(&client, 4 * LIMIT as usize, 32).await;
    // As before pacing existed: every task races into the limit and collects 429s, and calls
    // whose retries run out fail.
    assert!(server.rejected() > 0, "{} 429s", server.rejected());
    assert_eq!(server.busiest_window(), LIMIT);
    assert_eq!(results.len(), 4 * LIMIT as usize);
}

#[tokio::test(start_paused = true)]
async fn without_rate_limit_headers_pacing_stays_out_of_the_way() {
    let mock = MockTransport::new();
    for _ in 0..500 {
        mock.push(Scripted::json(200, ME));
    }
    let client = Client::builder(TOKEN).transport(mock.clone()).build();
    let start = Instant::now();
    let results = run(&client, 500, 32).await;
    assert!(results.iter().all(Result::is_ok));
    assert_eq!(start.elapsed(), Duration::ZERO);
    assert_eq!(client.rate_limit(), RateLimit::default());
}

fn epoch_now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs()
}

#[tokio::test(start_paused = true)]
async fn a_429_seen_by_one_clone_holds_back_the_others_until_the_reset() {
    let mock = MockTransport::new();
    let reset = epoch_now() + 3;
    mock.push(
        Scripted::json(429, r#"{"type":"error.list","errors":[{"code":"rate_limit_exceeded"}]}"#)
            .header("x-ratelimit-limit", "166")
            .header("x-ratelimit-remaining", "0")
            .header("x-ratelimit-reset", &reset.to_string()),
    );
    mock.push(Scripted::json(200, ME));
    let client = Client::builder(TOKEN).transport(mock.clone()).build();
    let other = client.clone();
    let err = client.v2_11().admins().identify_admin().max_retries(0).await.unwrap_err();
    assert!(err.is_rate_limited());
    assert_eq!(other.rate_limit(), RateLimit { limit: Some(166), remaining: Some(0), reset: Some(reset) });
    // The clone's call waits for the reset (2 to 3 s away on the wall clock, plus at most one
    // interval of the next window, 10 s / 161, of jitter) instead of collecting another 429.
    let start = Instant::now();
    other.v2_11().admins().identify_admin().await.unwrap();
    let waited = start.elapsed();
    assert!(waited > Duration::from_secs(2) && waited < Duration::from_millis(3100), "{waited:?}");
    assert_eq!(mock.request_count(), 2);
}

#[tokio::test(start_paused = true)]
async fn max_in_flight_bounds_the_requests_on_the_wire() {
    for (bound, expected) in [(None, 1), (Some(2), 5), (Some(1), 10)] {
        let mock = MockTransport::new();
        for _ in 0..10 {
            mock.push(Scripted::json(200, ME).after(Duration::from_secs(1)));
        }
        let mut builder = Client::builder(TOKEN).transport(mock.clone());
        if let Some(bound) = bound {
            builder = builder.max_in_flight(bound);
        }
        let client = builder.build();
        assert_eq!(client.max_in_flight(), bound);
        let start = Instant::now();
        // Ten tasks at once: the client, not the caller, keeps `bound` on the wire.
        let results = run(&client, 10, 10).await;
        assert!(results.iter().all(Result::is_ok));
        assert_eq!(start.elapsed(), Duration::from_secs(expected), "{bound:?}");
    }
}

#[tokio::test(start_paused = true)]
async fn an_explicit_budget_leaves_the_rest_of_the_window_to_others() {
    let server = WindowedServer::new(LIMIT, WINDOW, ME);
    let client = Client::builder(TOKEN).transport(server.clone()).pacing(Pacing::default().with_budget(50)).build();
    let results = run(&client, 150, 8).await;
    assert!(results.iter().all(Result::is_ok));
    assert_eq!(server.rejected(), 0);
    // 50 a window at most, less the margin, after the first burst of 8.
    let seconds = per_second(&server.arrivals());
    let mut windows = BTreeMap::new();
    for (second, n) in seconds {
        *windows.entry(second / WINDOW.as_secs()).or_insert(0) += n;
    }
    assert!(windows.values().all(|&n| n <= 50), "{windows:?}");
}
