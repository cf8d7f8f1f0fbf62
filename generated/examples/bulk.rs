//! Bulk work at Intercom's rate limit: every contact streamed and updated, then a search whose
//! results are acted on, many calls at a time through one `Client`.
//!
//! `cargo run -p intercom-api --features v2_11,test-util --example bulk` runs it offline, on
//! tokio's paused clock (so minutes of rate-limit windows take no real time), against
//! `client::testing::WindowedServer`: a scripted workspace that allows 166 calls per 10-second
//! window (Intercom's 1,000 per minute, spread over 10-second windows) and answers `429` beyond.
//!
//! The client does the pacing: it reads `X-RateLimit-Remaining` / `-Reset` from every answer and
//! spreads what is left of each window over the rest of it, shared by every clone and task, so
//! the job gets no 429s; `max_in_flight` bounds the calls on the wire, so the fan-out below
//! needs no semaphore of its own.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use futures_util::{StreamExt, TryStreamExt};
use intercom_api::client::testing::WindowedServer;
use intercom_api::v2_11::models::{
    SearchRequest, SearchRequestQuery, SingleFilterSearchRequest, SingleFilterSearchRequestOperator,
    SingleFilterSearchRequestValue, UpdateContactRequest,
};
use intercom_api::Client;

/// Contacts in the scripted workspace.
const CONTACTS: usize = 600;
/// Contacts per page of `GET /contacts` (Intercom's largest).
const PER_PAGE: usize = 150;
/// Updates running at once.
const CONCURRENCY: usize = 32;

#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let server = scripted_workspace();
    let client = Client::builder("offline").transport(server.clone()).max_in_flight(CONCURRENCY).build();
    let api = client.v2_11();
    let start = tokio::time::Instant::now();

    // 1. Stream every contact (one page in memory at a time) and update each one, 32 at a time.
    // An error ends the job with that error; `Error::is_retryable` and `Error::retry_after` say
    // whether and when to run it again.
    let updated = AtomicUsize::new(0);
    api.contacts()
        .list_contacts()
        .per_page(PER_PAGE as i64)
        .items()
        .try_for_each_concurrent(CONCURRENCY, |contact| {
            let updated = &updated;
            async move {
                let mut backfill = serde_json::Map::new();
                backfill.insert("plan_checked".into(), true.into());
                let change = UpdateContactRequest { custom_attributes: Some(backfill), ..Default::default() };
                api.contacts().update_contact(contact.id.unwrap_or_default(), change).await?;
                updated.fetch_add(1, Ordering::Relaxed);
                Ok(())
            }
        })
        .await?;
    println!("updated {} contacts in {:?} (virtual time)", updated.into_inner(), start.elapsed());

    // 2. Search, then act on every result: collect the ids first (a search cursor is not a
    // snapshot, so acting while paging could move results between pages), then fan out.
    let query = SearchRequestQuery::Single(SingleFilterSearchRequest {
        field: Some("custom_attributes.plan_checked".into()),
        operator: Some(SingleFilterSearchRequestOperator::Eq),
        value: Some(SingleFilterSearchRequestValue::Bool(true)),
        ..Default::default()
    });
    let ids: Vec<String> = api
        .contacts()
        .search_contacts(SearchRequest::new(query))
        .items()
        .map_ok(|contact| contact.id.unwrap_or_default())
        .try_collect()
        .await?;
    let results: Vec<_> = futures_util::stream::iter(ids)
        .map(|id| async move {
            let change = UpdateContactRequest { unsubscribed_from_emails: Some(true), ..Default::default() };
            api.contacts().update_contact(id, change).await
        })
        .buffer_unordered(CONCURRENCY)
        .collect()
        .await;
    let failed = results.iter().filter(|r| r.is_err()).count();
    println!("acted on {} search results, {failed} failed", results.len());

    let limit = client.rate_limit();
    println!(
        "{} calls in {:?}, {} answered 429; last rate limit: {:?} of {:?} left",
        server.accepted() + server.rejected(),
        start.elapsed(),
        server.rejected(),
        limit.remaining,
        limit.limit,
    );
    Ok(())
}

/// A workspace of `CONTACTS` contacts behind Intercom's default window.
fn scripted_workspace() -> WindowedServer {
    WindowedServer::routed(166, Duration::from_secs(10), |request| {
        let path = request.uri().path();
        let query = request.uri().query().unwrap_or("");
        let contact = |n: usize| format!(r#"{{"type":"contact","id":"{n}","email":"user{n}@example.com"}}"#);
        let list = |from: usize, to: usize, next: Option<usize>| {
            let data: Vec<String> = (from..to).map(contact).collect();
            let next = next.map_or("null".into(), |n| format!(r#"{{"starting_after":"c{n}"}}"#));
            format!(r#"{{"type":"list","data":[{}],"pages":{{"next":{next}}}}}"#, data.join(",")).into_bytes()
        };
        match (request.method().as_str(), path) {
            ("GET", "/contacts") => {
                let from = query
                    .split('&')
                    .find_map(|pair| pair.strip_prefix("starting_after=c"))
                    .and_then(|n| n.parse().ok())
                    .unwrap_or(0);
                let to = (from + PER_PAGE).min(CONTACTS);
                list(from, to, (to < CONTACTS).then_some(to))
            }
            // Every contact whose plan was checked: the first 40, on one page.
            ("POST", "/contacts/search") => list(0, 40, None),
            ("PUT", _) => contact(path.rsplit('/').next().and_then(|id| id.parse().ok()).unwrap_or(0)).into_bytes(),
            _ => br#"{"type":"error.list","errors":[{"code":"not_found","message":"no such route"}]}"#.to_vec(),
        }
    })
}
