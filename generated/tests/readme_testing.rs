//! The README's example of a user's own test with `client::testing` (kept compiling and passing).

#![cfg(all(feature = "test-util", feature = "v2_11"))]

use intercom_api::client::testing::{MockTransport, Scripted};

/// The code under test: the name of the admin the token belongs to.
async fn whoami(client: &intercom_api::Client) -> Result<String, intercom_api::Error> {
    let me = client.v2_11().admins().identify_admin().await?;
    Ok(me.name.unwrap_or_default())
}

#[tokio::test(start_paused = true)] // tokio's paused clock: retry waits take no real time
async fn whoami_waits_out_a_rate_limit() {
    let mock = MockTransport::new();
    mock.push(
        Scripted::json(429, r#"{"type":"error.list","errors":[{"code":"rate_limit_exceeded"}]}"#)
            .header("retry-after", "2"),
    );
    mock.push(Scripted::json(200, r#"{"type":"admin","id":"1","name":"Ada"}"#));
    let client = intercom_api::Client::builder("test-token").transport(mock.clone()).build();

    assert_eq!(whoami(&client).await.unwrap(), "Ada");

    let requests = mock.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[1].uri().path(), "/me");
}
