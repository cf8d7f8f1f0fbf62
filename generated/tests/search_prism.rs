//! The README's three searches, built with the typed `search` modules of 2.16 and 2.11, sent to
//! Stoplight Prism serving each version's fixed-up description: Prism must find nothing wrong in
//! the request (no 422, no `sl-violations` located in the request) and the answer must decode.
//!
//! `cargo xtask test` passes the servers in `INTERCOM_PRISM_URLS` (`2.11=http://127.0.0.1:4014;…`),
//! as for `mock_server.rs`; without it the test fails under `CI=true` and is skipped with a notice
//! elsewhere.

#![cfg(all(feature = "client", any(feature = "v2_16", feature = "v2_11")))]

use std::collections::BTreeMap;

use serde_json::Value;

fn request_violations(headers: &http::HeaderMap) -> Vec<String> {
    let Some(raw) = headers.get("sl-violations").and_then(|v| v.to_str().ok()) else { return Vec::new() };
    let parsed: Vec<Value> = serde_json::from_str(raw).unwrap_or_default();
    parsed
        .into_iter()
        .filter(|v| v.pointer("/location/0").and_then(Value::as_str) == Some("request"))
        .map(|v| v.to_string())
        .collect()
}

/// The Prism server of each version, or `None` (skipped) outside CI.
fn prism_urls() -> Option<BTreeMap<String, String>> {
    let Some(urls) = std::env::var("INTERCOM_PRISM_URLS").ok().filter(|u| !u.is_empty()) else {
        assert!(std::env::var("CI").is_err(), "CI must run the Prism searches: run them through `cargo xtask test`");
        eprintln!("NOTICE: INTERCOM_PRISM_URLS is not set; the Prism searches were skipped");
        return None;
    };
    Some(urls.split(';').filter_map(|kv| kv.split_once('=')).map(|(k, v)| (k.to_string(), v.to_string())).collect())
}

fn client_for(version: &str) -> Option<intercom_api::Client> {
    let urls = prism_urls()?;
    let url = urls.get(version).unwrap_or_else(|| panic!("no Prism server for {version} in INTERCOM_PRISM_URLS"));
    Some(intercom_api::Client::builder("test-token").base_url(url.as_str()).max_retries(0).build())
}

/// Checks one answer: a success Prism did not flag.
fn accepted<T>(what: &str, response: Result<intercom_api::client::Response<T>, intercom_api::Error>) {
    let response = response.unwrap_or_else(|e| panic!("{what}: {e}"));
    assert!(response.status.is_success(), "{what}: status {}", response.status);
    let violations = request_violations(&response.headers);
    assert!(violations.is_empty(), "{what}: Prism flags the request: {violations:?}");
}

macro_rules! readme_searches {
    ($version:literal, $module:ident) => {
        #[tokio::test]
        async fn the_readme_searches() {
            use intercom_api::$module::search::{contacts, conversations, tickets};
            let Some(client) = client_for($version) else { return };
            let api = client.$module();
            let query = contacts::email().ends_with("@example.com").and(contacts::signed_up_at().after(1_704_067_200));
            accepted("contacts", api.contacts().search(query).unwrap().response().await);
            let query = conversations::open().eq(true).and(conversations::team_assignee_id().eq(5_017_691));
            accepted("conversations", api.conversations().search(query).unwrap().response().await);
            let query = tickets::all_of([
                tickets::ticket_type_id().eq("1234"),
                tickets::state().is_in(["submitted", "in_progress"]),
            ]);
            accepted("tickets", api.tickets().search(query).unwrap().response().await);
        }
    };
}

#[cfg(feature = "v2_16")]
mod v2_16 {
    use super::*;
    readme_searches!("2.16", v2_16);
}

#[cfg(feature = "v2_11")]
mod v2_11 {
    use super::*;
    readme_searches!("2.11", v2_11);
}
