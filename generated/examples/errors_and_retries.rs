//! Retries, rate limits, timeouts and typed error codes.
//!
//! `cargo run -p intercom-api --features v2_11,test-util --example errors_and_retries` runs it
//! offline against the scripted transport of `client::testing`; with `INTERCOM_TOKEN` set it
//! calls Intercom instead.

use std::time::Duration;

use intercom_api::client::testing::{MockTransport, Scripted};
use intercom_api::runtime::{ErrorCode, RetryPolicy};
use intercom_api::{Client, Error};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // Up to 4 retries per call, waiting at most 10 s before any one of them.
    let policy = RetryPolicy::default().with_max_retries(4).with_max_wait(Duration::from_secs(10));
    let builder = match std::env::var("INTERCOM_TOKEN") {
        Ok(token) => Client::builder(token),
        Err(_) => Client::builder("offline").transport(scripted()),
    };
    let client = builder.retry_policy(policy).timeout(Duration::from_secs(20)).build();
    let api = client.v2_11();

    // A 429 is retried after `Retry-After` (or `X-RateLimit-Reset`); the response says how many
    // attempts it took and what is left of the rate limit.
    let me = api.admins().identify_admin().response().await?;
    println!(
        "{} after {} attempt(s); {:?} of {:?} requests left",
        me.data.name.unwrap_or_default(),
        me.attempts,
        me.rate_limit.remaining,
        me.rate_limit.limit
    );

    // Errors carry a typed code, the operation, the request id and the rate limit.
    match api.companies().retrieve_a_company_by_id("no-such-company").max_retries(0).await {
        Ok(_) => println!("found it"),
        Err(error) => {
            match error.code() {
                Some(ErrorCode::CompanyNotFound | ErrorCode::NotFound) => println!("no such company"),
                Some(ErrorCode::RateLimitExceeded) => println!("slow down until {:?}", error.rate_limit()),
                Some(other) => println!("Intercom said {other}"),
                None => println!("no error code"),
            }
            println!("  {error}");
            println!("  operation {:?}, request {:?}", error.operation_id(), error.request_id());
        }
    }

    // A per-call timeout, shorter than the client's.
    match api.tags().list_tags().timeout(Duration::from_millis(300)).await {
        Err(Error::Timeout { .. }) => println!("tags: timed out"),
        other => println!("tags: {:?}", other.map(|t| t.data.map_or(0, |d| d.len()))),
    }
    Ok(())
}

/// Offline answers for the calls above, in order.
fn scripted() -> MockTransport {
    let mock = MockTransport::new();
    mock.push(
        Scripted::json(429, r#"{"type":"error.list","errors":[{"code":"rate_limit_exceeded","message":"slow down"}]}"#)
            .header("retry-after", "1"),
    );
    mock.push(
        Scripted::json(200, r#"{"type":"admin","id":"1","name":"Ada"}"#)
            .header("x-ratelimit-limit", "10000")
            .header("x-ratelimit-remaining", "9998"),
    );
    mock.push(
        Scripted::json(
            404,
            r#"{"type":"error.list","request_id":"req-42","errors":[{"code":"company_not_found","message":"Company Not Found"}]}"#,
        )
        .header("x-request-id", "req-42"),
    );
    mock.push(Scripted::json(200, r#"{"type":"list","data":[]}"#).after(Duration::from_secs(1)));
    mock
}
