//! What the client tells `tracing`: one `intercom.call` span per call with its fields, one event per
//! retry with its delay, and never the token. A minimal subscriber records everything as text.

#![cfg(all(feature = "test-util", feature = "v2_11", feature = "tracing"))]

use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use intercom_api::client::testing::{MockTransport, Scripted};
use intercom_api::runtime::RetryPolicy;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

const TOKEN: &str = "tok-SECRET-9f2c";

#[derive(Clone, Default)]
struct Recorder {
    /// `span <name> <fields>`, `record <id> <fields>` and `event <fields>` lines.
    lines: Arc<Mutex<Vec<String>>>,
    next: Arc<AtomicU64>,
}

struct Fields(String);

impl Visit for Fields {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        let _ = write!(self.0, " {}={:?}", field.name(), value);
    }
}

impl Subscriber for Recorder {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, span: &Attributes<'_>) -> Id {
        let mut fields = Fields(String::new());
        span.record(&mut fields);
        self.lines.lock().unwrap().push(format!("span {}{}", span.metadata().name(), fields.0));
        Id::from_u64(self.next.fetch_add(1, Ordering::Relaxed) + 1)
    }
    fn record(&self, id: &Id, values: &Record<'_>) {
        let mut fields = Fields(String::new());
        values.record(&mut fields);
        self.lines.lock().unwrap().push(format!("record {}{}", id.into_u64(), fields.0));
    }
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, event: &Event<'_>) {
        let mut fields = Fields(String::new());
        event.record(&mut fields);
        self.lines.lock().unwrap().push(format!("event {}{}", event.metadata().level(), fields.0));
    }
    fn enter(&self, _: &Id) {}
    fn exit(&self, _: &Id) {}
}

#[test]
fn one_span_per_call_one_event_per_retry_and_never_the_token() {
    let recorder = Recorder::default();
    let mock = MockTransport::new();
    mock.push(Scripted::status(503, "busy"));
    mock.push(
        Scripted::json(200, r#"{"type":"admin","id":"1"}"#)
            .header("x-request-id", "req-7")
            .header("x-ratelimit-remaining", "41"),
    );
    mock.push(Scripted::json(404, r#"{"type":"error.list","errors":[{"code":"not_found","message":"x"}]}"#));
    let client = intercom_api::Client::builder(TOKEN)
        .transport(mock.clone())
        .retry_policy(RetryPolicy::default().with_jitter(false))
        .build();
    tracing::subscriber::with_default(recorder.clone(), || {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().start_paused(true).build().unwrap();
        runtime.block_on(async {
            client.v2_11().admins().identify_admin().await.unwrap();
            client.v2_11().tags().find_tag("9").await.unwrap_err();
        });
    });
    let lines = recorder.lines.lock().unwrap().clone();
    let all = lines.join("\n");
    assert!(!all.contains(TOKEN) && !all.contains("Bearer"), "{all}");

    let spans: Vec<&String> = lines.iter().filter(|l| l.starts_with("span intercom.call")).collect();
    assert_eq!(spans.len(), 2, "{all}");
    assert!(
        spans[0].contains(r#"operation="identifyAdmin""#)
            && spans[0].contains(r#"version="2.11""#)
            && spans[0].contains("method=GET")
            && spans[0].contains(r#"path="/me""#),
        "{}",
        spans[0]
    );
    assert!(spans[1].contains(r#"path="/tags/{tag_id}""#), "{}", spans[1]);
    for field in ["attempt=2", "status=200", r#"request_id="req-7""#, "rate_limit_remaining=41", "status=404"] {
        assert!(lines.iter().any(|l| l.starts_with("record") && l.contains(field)), "{field} not recorded:\n{all}");
    }
    let retries: Vec<&String> =
        lines.iter().filter(|l| l.starts_with("event WARN") && l.contains("retrying")).collect();
    assert_eq!(retries.len(), 1, "{all}");
    assert!(retries[0].contains("delay_ms=500") && retries[0].contains("delay_source=Backoff"), "{}", retries[0]);
}

#[test]
fn a_request_held_back_by_pacing_is_one_debug_event_with_its_delay() {
    let recorder = Recorder::default();
    let mock = MockTransport::new();
    // 10 left of 100 for the next 10 s (less a margin of 3): the second call waits its slot.
    let reset = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() + 10;
    mock.push(
        Scripted::json(200, r#"{"type":"admin","id":"1"}"#)
            .header("x-ratelimit-limit", "100")
            .header("x-ratelimit-remaining", "10")
            .header("x-ratelimit-reset", &reset.to_string()),
    );
    mock.push(Scripted::json(200, r#"{"type":"admin","id":"1"}"#));
    let client = intercom_api::Client::builder(TOKEN).transport(mock.clone()).build();
    tracing::subscriber::with_default(recorder.clone(), || {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().start_paused(true).build().unwrap();
        runtime.block_on(async {
            client.v2_11().admins().identify_admin().await.unwrap();
            client.v2_11().admins().identify_admin().await.unwrap();
        });
    });
    let lines = recorder.lines.lock().unwrap().clone();
    let all = lines.join("\n");
    let paced: Vec<&String> = lines.iter().filter(|l| l.starts_with("event DEBUG") && l.contains("pacing")).collect();
    assert_eq!(paced.len(), 1, "{all}");
    assert!(
        paced[0].contains(r#"operation="identifyAdmin""#) && paced[0].contains("rate_limit_remaining=10"),
        "{}",
        paced[0]
    );
    // 7 slots over the 9-10 s left: more than a second each.
    let delay: u64 = paced[0].split("delay_ms=").nth(1).unwrap().split(' ').next().unwrap().parse().unwrap();
    assert!((1000..=1500).contains(&delay), "{}", paced[0]);
}
