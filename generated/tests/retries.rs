//! Retries, rate limits, timeouts and failure modes of the client, through the scripted transport
//! (`client::testing`) on tokio's paused clock: no sockets, no wall-clock sleeps. Every delay
//! asserted here is virtual time the client waited.

#![cfg(all(feature = "test-util", feature = "v2_11"))]

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use intercom_api::client::testing::{MockTransport, Scripted};
use intercom_api::runtime::{ErrorCode, RateLimit, RetryPolicy};
use intercom_api::v2_11::models::CreateNoteRequest;
use intercom_api::{Client, Error};
use tokio::time::Instant;

const TOKEN: &str = "secret-token-7f3a";
const ME: &str = r#"{"type":"admin","id":"991","name":"Ada","email":"ada@example.com"}"#;
const NOTE: &str = r#"{"type":"note","id":"1","body":"hi"}"#;

fn client(mock: &MockTransport) -> Client {
    // No jitter, so every backoff is exactly 500 ms × 2^retry.
    Client::builder(TOKEN).transport(mock.clone()).retry_policy(RetryPolicy::default().with_jitter(false)).build()
}

fn error_list(code: &str) -> String {
    format!(r#"{{"type":"error.list","request_id":"req-{code}","errors":[{{"code":"{code}","message":"m"}}]}}"#)
}

fn epoch_now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs()
}

fn assert_no_token(err: &Error) {
    let shown = format!("{err} {err:?}");
    assert!(!shown.contains(TOKEN), "{shown}");
}

#[tokio::test(start_paused = true)]
async fn a_429_with_retry_after_is_retried_after_that_many_seconds() {
    let mock = MockTransport::new();
    mock.push(
        Scripted::json(429, error_list("rate_limit_exceeded"))
            .header("retry-after", "3")
            .header("x-ratelimit-remaining", "0"),
    );
    mock.push(
        Scripted::json(200, ME)
            .header("x-ratelimit-limit", "10000")
            .header("x-ratelimit-remaining", "9999")
            .header("x-ratelimit-reset", "1700000060")
            .header("x-request-id", "req-ok"),
    );
    let start = Instant::now();
    let response = client(&mock).v2_11().admins().identify_admin().response().await.unwrap();
    assert_eq!(start.elapsed(), Duration::from_secs(3));
    assert_eq!(response.attempts, 2);
    assert_eq!(mock.request_count(), 2);
    assert_eq!(
        response.rate_limit,
        RateLimit { limit: Some(10000), remaining: Some(9999), reset: Some(1_700_000_060) }
    );
    assert_eq!(response.request_id.as_deref(), Some("req-ok"));
    assert_eq!(response.data.id.as_deref(), Some("991"));
}

#[tokio::test(start_paused = true)]
async fn a_429_with_only_a_reset_waits_until_the_reset() {
    let mock = MockTransport::new();
    let reset = epoch_now() + 5;
    mock.push(Scripted::json(429, error_list("rate_limit_exceeded")).header("x-ratelimit-reset", &reset.to_string()));
    mock.push(Scripted::json(200, ME));
    let start = Instant::now();
    let response = client(&mock).v2_11().admins().identify_admin().response().await.unwrap();
    // The reset is in whole seconds, read against the wall clock: 4 to 5 s away.
    let waited = start.elapsed();
    assert!(waited > Duration::from_secs(3) && waited <= Duration::from_secs(5), "{waited:?}");
    assert_eq!(response.attempts, 2);
}

#[tokio::test(start_paused = true)]
async fn a_503_twice_then_success_backs_off_exponentially() {
    let mock = MockTransport::new();
    mock.push(Scripted::status(503, "<html>busy</html>"));
    mock.push(Scripted::status(503, "<html>busy</html>"));
    mock.push(Scripted::json(200, ME));
    let start = Instant::now();
    let response = client(&mock).v2_11().admins().identify_admin().response().await.unwrap();
    assert_eq!(start.elapsed(), Duration::from_millis(500 + 1000));
    assert_eq!(response.attempts, 3);
    assert_eq!(mock.request_count(), 3);
    // Every attempt is the same request, token included.
    let requests = mock.requests();
    assert!(requests.iter().all(|r| r.uri() == "https://api.intercom.io/me"));
    assert!(requests.iter().all(|r| r.headers()["authorization"] == format!("Bearer {TOKEN}").as_str()));
}

#[tokio::test(start_paused = true)]
async fn the_retry_budget_ends_with_the_last_error_and_its_rate_limit() {
    let mock = MockTransport::new();
    for _ in 0..3 {
        mock.push(
            Scripted::json(429, error_list("rate_limit_exceeded"))
                .header("x-ratelimit-limit", "100")
                .header("x-ratelimit-remaining", "0")
                .header("retry-after", "1"),
        );
    }
    let start = Instant::now();
    let err = client(&mock).v2_11().admins().identify_admin().await.unwrap_err();
    assert_eq!(start.elapsed(), Duration::from_secs(2));
    assert_eq!(mock.request_count(), 3);
    assert_eq!(err.code(), Some(ErrorCode::RateLimitExceeded));
    assert_eq!(err.rate_limit(), Some(RateLimit { limit: Some(100), remaining: Some(0), reset: None }));
    let context = err.context().unwrap();
    assert_eq!((context.operation_id, context.path, context.attempts), ("identifyAdmin", "/me", 3));
    assert_eq!(context.method, http::Method::GET);
    assert_eq!(err.request_id(), Some("req-rate_limit_exceeded"));
    let shown = err.to_string();
    assert!(shown.contains("identifyAdmin (GET /me, version 2.11, 3 attempts)"), "{shown}");
    assert!(shown.contains("rate_limit_exceeded") && shown.contains("[request req-rate_limit_exceeded]"), "{shown}");
    assert_no_token(&err);
}

#[tokio::test(start_paused = true)]
async fn retries_are_configurable_per_client_and_per_call() {
    let mock = MockTransport::new();
    for _ in 0..6 {
        mock.push(Scripted::status(502, "bad gateway"));
    }
    // Per call: none.
    let err = client(&mock).v2_11().admins().identify_admin().max_retries(0).await.unwrap_err();
    assert_eq!(err.status(), Some(http::StatusCode::BAD_GATEWAY));
    assert_eq!(mock.request_count(), 1);
    // Per client: one.
    let one = Client::builder(TOKEN).transport(mock.clone()).max_retries(1).build();
    one.v2_11().admins().identify_admin().await.unwrap_err();
    assert_eq!(mock.request_count(), 3);
    // Per call, over the client's: three (retry state is per call: the client's earlier calls do
    // not use up this one's budget).
    let err = one.v2_11().admins().identify_admin().max_retries(2).await.unwrap_err();
    assert_eq!(err.context().unwrap().attempts, 3);
    assert_eq!(mock.request_count(), 6);
}

#[tokio::test(start_paused = true)]
async fn a_500_on_a_post_is_not_retried() {
    let mock = MockTransport::new();
    mock.push(Scripted::json(500, error_list("server_error")).header("x-request-id", "req-500"));
    mock.push(Scripted::json(200, NOTE));
    let body = CreateNoteRequest::new("hi");
    let err = client(&mock).v2_11().notes().create_note("c1", body).await.unwrap_err();
    assert_eq!(mock.request_count(), 1);
    assert_eq!(err.status(), Some(http::StatusCode::INTERNAL_SERVER_ERROR));
    assert_eq!(err.code(), Some(ErrorCode::ServerError));
    let context = err.context().unwrap();
    assert_eq!((context.operation_id, context.path), ("createNote", "/contacts/{contact_id}/notes"));
    assert_eq!(context.method, http::Method::POST);
    assert_no_token(&err);
}

#[tokio::test(start_paused = true)]
async fn a_429_on_a_post_is_retried() {
    let mock = MockTransport::new();
    mock.push(Scripted::json(429, error_list("rate_limit_exceeded")).header("retry-after", "2"));
    mock.push(Scripted::json(200, NOTE));
    let body = CreateNoteRequest::new("hi");
    let start = Instant::now();
    client(&mock).v2_11().notes().create_note("c1", body).await.unwrap();
    assert_eq!(start.elapsed(), Duration::from_secs(2));
    assert_eq!(mock.request_count(), 2);
}

#[tokio::test(start_paused = true)]
async fn a_connection_reset_before_a_response() {
    // GET: retried after the first backoff.
    let mock = MockTransport::new();
    mock.push(Scripted::reset());
    mock.push(Scripted::json(200, ME));
    let start = Instant::now();
    let response = client(&mock).v2_11().admins().identify_admin().response().await.unwrap();
    assert_eq!((response.attempts, start.elapsed()), (2, Duration::from_millis(500)));

    // POST: the request may have been written, so it is not repeated.
    let mock = MockTransport::new();
    mock.push(Scripted::reset());
    let body = CreateNoteRequest::new("hi");
    let err = client(&mock).v2_11().notes().create_note("c1", body.clone()).await.unwrap_err();
    assert!(matches!(err, Error::Transport { not_sent: false, .. }), "{err:?}");
    assert_eq!(mock.request_count(), 1);
    assert_eq!(err.operation_id(), Some("createNote"));
    assert_no_token(&err);

    // POST whose connection failed before the request was written: safe to retry.
    let mock = MockTransport::new();
    mock.push(Scripted::not_sent());
    mock.push(Scripted::json(200, NOTE));
    client(&mock).v2_11().notes().create_note("c1", body).await.unwrap();
    assert_eq!(mock.request_count(), 2);
}

#[tokio::test(start_paused = true)]
async fn a_response_slower_than_the_call_timeout() {
    let mock = MockTransport::new();
    mock.push(Scripted::json(200, ME).after(Duration::from_secs(10)));
    let start = Instant::now();
    let err = client(&mock).v2_11().admins().identify_admin().timeout(Duration::from_secs(2)).await.unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    // Timeouts are not retried: the timeout is the call's budget for the attempt.
    assert_eq!((start.elapsed(), mock.request_count()), (Duration::from_secs(2), 1));
    assert_eq!(err.operation_id(), Some("identifyAdmin"));

    // The client's timeout applies when the call sets none.
    let mock = MockTransport::new();
    mock.push(Scripted::json(200, ME).after(Duration::from_secs(40)));
    let start = Instant::now();
    let err = client(&mock).v2_11().admins().identify_admin().await.unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    assert_eq!(start.elapsed(), intercom_api::client::DEFAULT_TIMEOUT);

    // A call's timeout may also be longer than the client's.
    let mock = MockTransport::new();
    mock.push(Scripted::json(200, ME).after(Duration::from_secs(40)));
    client(&mock).v2_11().admins().identify_admin().timeout(Duration::from_secs(60)).await.unwrap();
}

#[tokio::test(start_paused = true)]
async fn bodies_that_are_not_the_declared_json() {
    for (body, content_type) in [
        (r#"{"type":"admin","id":"99"#, "application/json"),
        ("<!DOCTYPE html><html><body>Maintenance</body></html>", "text/html"),
        ("", "application/json"),
    ] {
        let mock = MockTransport::new();
        mock.push(Scripted::status(200, body).header("content-type", content_type).header("x-request-id", "req-d"));
        let err = client(&mock).v2_11().admins().identify_admin().await.unwrap_err();
        match &err {
            Error::Decode { status, body: raw, context, .. } => {
                assert_eq!(*status, http::StatusCode::OK);
                assert_eq!(raw, body.as_bytes());
                let context = context.as_deref().unwrap();
                assert_eq!((context.operation_id, context.attempts), ("identifyAdmin", 1));
            }
            other => panic!("{body:?}: {other:?}"),
        }
        assert_eq!(err.request_id(), Some("req-d"));
        // A decode failure is not a transient one: never retried.
        assert_eq!(mock.request_count(), 1);
        assert_no_token(&err);
    }
}

#[tokio::test(start_paused = true)]
async fn error_codes_are_an_enum_with_a_catch_all() {
    let mock = MockTransport::new();
    mock.push(Scripted::json(404, error_list("company_not_found")));
    mock.push(Scripted::json(400, error_list("brand_new_code")));
    let api = client(&mock);
    let err = api.v2_11().companies().retrieve_a_company_by_id("x").await.unwrap_err();
    assert_eq!(err.code(), Some(ErrorCode::CompanyNotFound));
    let err = api.v2_11().companies().retrieve_a_company_by_id("x").await.unwrap_err();
    assert_eq!(err.code(), Some(ErrorCode::Unknown("brand_new_code".into())));
}

#[tokio::test(start_paused = true)]
async fn the_script_running_out_is_an_error_not_a_hang() {
    let mock = MockTransport::new();
    let err = client(&mock).v2_11().admins().identify_admin().await.unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert_eq!(mock.request_count(), 1);
}

#[test]
fn streams_and_calls_are_send() {
    fn send<T: Send>(_: &T) {}
    let mock = MockTransport::new();
    let client = client(&mock);
    let call = client.v2_11().admins().identify_admin();
    send(&std::future::IntoFuture::into_future(call));
    send(&client.v2_11().companies().list_all_companies().items());
    send(&client.v2_11().contacts().list_contacts().pages());
}

#[tokio::test(start_paused = true)]
async fn a_server_wait_beyond_max_wait_returns_at_once_with_retry_after() {
    let mock = MockTransport::new();
    mock.push(
        Scripted::json(429, error_list("rate_limit_exceeded"))
            .header("retry-after", "3600")
            .header("x-ratelimit-remaining", "0"),
    );
    mock.push(Scripted::json(200, ME));
    let start = Instant::now();
    let err = client(&mock).v2_11().admins().identify_admin().await.unwrap_err();
    // No wait and no retry the server asked not to see: the 200 scripted next is never asked for.
    assert_eq!(start.elapsed(), Duration::ZERO);
    assert_eq!((mock.request_count(), mock.remaining()), (1, 1));
    assert_eq!(err.retry_after(), Some(Duration::from_secs(3600)));
    assert!(err.is_rate_limited() && err.is_retryable(), "{err:?}");
    assert_eq!(err.context().unwrap().attempts, 1);

    // The same with a reset an hour away and no `Retry-After`.
    let mock = MockTransport::new();
    let reset = epoch_now() + 3600;
    mock.push(Scripted::json(429, error_list("rate_limit_exceeded")).header("x-ratelimit-reset", &reset.to_string()));
    let err = client(&mock).v2_11().admins().identify_admin().await.unwrap_err();
    assert_eq!(start.elapsed(), Duration::ZERO);
    assert_eq!(mock.request_count(), 1);
    let wait = err.retry_after().unwrap();
    assert!(wait > Duration::from_secs(3590) && wait <= Duration::from_secs(3600), "{wait:?}");
}

#[tokio::test(start_paused = true)]
async fn a_server_wait_beyond_the_call_deadline_returns_at_once() {
    let mock = MockTransport::new();
    mock.push(Scripted::json(429, error_list("rate_limit_exceeded")).header("retry-after", "5"));
    mock.push(Scripted::json(200, ME));
    let start = Instant::now();
    let err = client(&mock).v2_11().admins().identify_admin().deadline(Duration::from_secs(4)).await.unwrap_err();
    assert_eq!((start.elapsed(), mock.request_count()), (Duration::ZERO, 1));
    assert_eq!(err.retry_after(), Some(Duration::from_secs(5)));
    // Within the deadline the same wait is waited out.
    let mock = MockTransport::new();
    mock.push(Scripted::json(429, error_list("rate_limit_exceeded")).header("retry-after", "5"));
    mock.push(Scripted::json(200, ME));
    let start = Instant::now();
    client(&mock).v2_11().admins().identify_admin().deadline(Duration::from_secs(6)).await.unwrap();
    assert_eq!((start.elapsed(), mock.request_count()), (Duration::from_secs(5), 2));
}

#[tokio::test(start_paused = true)]
async fn the_deadline_bounds_attempts_and_waits_together() {
    // Backoffs of 0.5 s and 1 s fit a 2 s deadline; the next (2 s) would not, so the third 503
    // is the answer, at 1.5 s, though retries remain.
    let mock = MockTransport::new();
    for _ in 0..6 {
        mock.push(Scripted::status(503, "busy"));
    }
    let api = Client::builder(TOKEN)
        .transport(mock.clone())
        .retry_policy(RetryPolicy::default().with_jitter(false).with_max_retries(5))
        .deadline(Duration::from_secs(2))
        .build();
    let start = Instant::now();
    let err = api.v2_11().admins().identify_admin().await.unwrap_err();
    assert_eq!((start.elapsed(), mock.request_count()), (Duration::from_millis(1500), 3));
    assert_eq!(err.status(), Some(http::StatusCode::SERVICE_UNAVAILABLE));
    assert!(err.is_retryable() && !err.is_rate_limited() && err.retry_after().is_none(), "{err:?}");

    // An attempt is cut at the deadline even when the per-attempt timeout is longer.
    let mock = MockTransport::new();
    mock.push(Scripted::status(503, "busy"));
    mock.push(Scripted::json(200, ME).after(Duration::from_secs(10)));
    let api = Client::builder(TOKEN)
        .transport(mock.clone())
        .retry_policy(RetryPolicy::default().with_jitter(false))
        .deadline(Duration::from_secs(3))
        .build();
    let start = Instant::now();
    let err = api.v2_11().admins().identify_admin().await.unwrap_err();
    assert!(err.is_timeout() && err.is_retryable(), "{err:?}");
    assert_eq!((start.elapsed(), mock.request_count()), (Duration::from_secs(3), 2));
}

#[tokio::test(start_paused = true)]
async fn errors_say_whether_they_are_worth_retrying() {
    let mock = MockTransport::new();
    mock.push(Scripted::json(404, error_list("not_found")));
    let err = client(&mock).v2_11().admins().identify_admin().await.unwrap_err();
    assert!(!err.is_retryable() && !err.is_rate_limited() && err.retry_after().is_none(), "{err:?}");
    let mock = MockTransport::new();
    mock.push(Scripted::not_sent());
    let err = client(&mock).v2_11().admins().identify_admin().max_retries(0).await.unwrap_err();
    assert!(err.is_retryable() && !err.is_rate_limited(), "{err:?}");
    assert!(!Error::InvalidRequest("x".into()).is_retryable());
}
